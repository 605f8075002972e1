/**
 * A session: everything the page does to the engine, behind one synchronous interface
 * that runs the same in a Web Worker, in the page's main thread and in Node.
 *
 *   live:   inputs stamped at the next step, the protocol looping by `restart` events,
 *           optionally recorded (and its log autosaved as a draft);
 *   replay: a recording run again, with seek by snapshots and take-over at any step.
 *
 * `advance(n)` returns one frame with the status the views need; a frame's typed arrays
 * are fresh and can be transferred to another thread.
 *
 * The session computes as the CLI does, through the model operator, as one long-lived pipeline
 * per simulation (a live run, or the replay that replaces it):
 *
 *   ticks$.pipe(simulate(simulation, inputs$))  →  one frame per advance
 *
 * An advance is a tick into it; an input, or a restart the loop stamps, is an event into it, and
 * comes back in the frame that applies it.
 */
import { Subject, type Subscription } from 'rxjs';
import { checkInput, type Input, type InputEvent } from '../core/events.ts';
import { DEFAULT_LIMITS, LimitError, type Limits } from '../core/limits.ts';
import { checkParamValues, stepCount, type ProbeRef, type Scene } from '../core/scene.ts';
import { Simulation, type Channel, type Frame } from '../core/simulation.ts';
import type { Stimulus } from '../core/stimulus.ts';
import type { Tick } from '../stream/clock.ts';
import { simulate, type SimFrame } from '../stream/simulate.ts';
import { Recorder } from './recorder.ts';
import type { Recording } from './recording.ts';
import { Replayer, verifyRecording, type Verification } from './replay.ts';

export interface SessionStatus {
  mode: 'live' | 'replay';
  /** Next step to compute, and its time. */
  step: number;
  timeMs: number;
  /** Step of the last restart (the protocol's t = 0). */
  origin: number;
  params: Record<string, number>;
  loop: boolean;
  /** Steps recorded so far, or null when not recording. */
  recordedSteps: number | null;
  /** Events the user made in the recording so far (the loop's restarts, kept in the log, not counted), or null when not recording. */
  recordedEvents: number | null;
  /** Why the recording stopped growing (it reached a limit a replay checks), or null. */
  recordingFull: string | null;
  /** In replay: the recording's first and end steps. */
  replay: { firstStep: number; endStep: number; digest: string } | null;
  /** Threads that computed the last step (a network split across threads: src/core/threads.ts). */
  threads: number;
  /** The kernel's hot loop runs in WebAssembly (Kernel.wasm). */
  wasm: boolean;
}

export interface SessionFrame extends Frame {
  channels: Channel[];
  events: InputEvent[];
  status: SessionStatus;
}

export class Session {
  readonly scene: Scene;
  private simulation: Simulation;
  private replayer: Replayer | undefined;
  private recorder: Recorder | undefined;
  /** Set when the recording reached a limit: it keeps what it holds and records no more frames. */
  private recordingFull: string | null = null;
  private extraProbes: ProbeRef[] = [];
  /** The pipeline of the simulation: ticks and events in, frames out (see the file's comment). */
  private readonly ticks$ = new Subject<Tick>();
  private readonly events$ = new Subject<InputEvent>();
  private pipeline!: Subscription;
  /** What the pipeline gave for the last tick: its frame, or why it stopped. */
  private output: { frame: SimFrame } | { error: unknown } | undefined;
  private readonly passSteps: number;
  loop: boolean;
  /**
   * When looping, the stimulus each new pass starts with (a set-stimulus event stamped with each
   * restart): a protocol the user set mid-pass, made to start at the pass's t = 0 again. Undefined:
   * the protocol in force carries over (its clock restarts with the pass).
   */
  passStimulus: Stimulus | undefined;

  /**
   * The page may not have seen the parameters an input meets: the last advance was a replay's
   * (recorded changes), or a seek came after it. The page has every frame but the one in flight.
   */
  private paramsMayBeUnseen = false;

  /** The limits its recordings keep within and its parameter changes are checked against (the page: the defaults). */
  private readonly limits: Limits;

  constructor(scene: Scene, options: { loop?: boolean; limits?: Limits } = {}) {
    this.scene = scene;
    this.simulation = new Simulation(scene);
    this.connect();
    this.passSteps = stepCount(scene);
    this.loop = options.loop ?? true;
    this.limits = options.limits ?? DEFAULT_LIMITS;
  }

  /** The scene with the parameters and stimulus protocol now in force: what an export of the session (not of a recording) runs, from t = 0. */
  sceneNow(): Scene {
    return { ...this.simulation.scene, params: { ...this.simulation.currentParams }, stimulus: this.simulation.currentStimulus };
  }

  get mode(): 'live' | 'replay' {
    return this.replayer ? 'replay' : 'live';
  }

  /**
   * An input from a caller that has not checked it (Node code, tests), checked as the page's are
   * at the engine's boundary (checkInput: its fields against the schemas, a parameter change with
   * the parameters in force and those scheduled), then stamped at the next step; in a replay it
   * takes over first. A bad one throws InputError naming the field and what is allowed, and the
   * run goes on as it was.
   */
  input(input: unknown): InputEvent {
    return this.schedule(checkInput(input, this.scene, this.paramsAhead(), this.limits));
  }

  /**
   * An input already checked at the engine's boundary (LiveRun, on the page's side of the worker),
   * stamped at the next step; in a replay it takes over first. The page checked a parameter change
   * against the parameters of the last frame it had, which are those the change meets — except
   * when a replay may have changed them since (its recorded changes in the advance in flight, a
   * seek): only then is the change checked here, against the parameters really in force.
   */
  applyChecked(input: Input): InputEvent {
    if (input.kind === 'set-param' && this.paramsMayBeUnseen) checkParamValues(this.scene, { ...this.paramsAhead(), [input.name]: input.value }, input.name, input.value, this.limits);
    return this.schedule(input);
  }

  private schedule(input: Input): InputEvent {
    if (this.replayer) this.takeOver();
    const event = { ...input, step: this.simulation.step } as InputEvent;
    this.events$.next(event);
    return event;
  }

  /** Runs the model operator over the current simulation, for the session's lifetime (or until a replay replaces it). */
  private connect(): void {
    this.pipeline?.unsubscribe();
    const simulation = this.simulation;
    this.pipeline = this.ticks$.pipe(simulate(() => simulation, this.events$)).subscribe({
      next: (frame) => (this.output = { frame }),
      error: (error: unknown) => (this.output = { error }),
    });
  }

  /** The parameters in force with the changes already scheduled: those a new change joins. */
  private paramsAhead(): Record<string, number> {
    const params = { ...this.simulation.currentParams };
    for (const event of this.simulation.pendingEvents) if (event.kind === 'set-param') params[event.name] = event.value;
    return params;
  }

  setExtraProbes(probes: ProbeRef[]): void {
    this.extraProbes = probes;
    this.simulation.setExtraProbes(probes);
  }

  /**
   * Computes `steps` steps (a replay stops at its end). When looping, a restart event is
   * stamped at each pass end the frame reaches, so frames keep the size asked for.
   */
  advance(steps: number): SessionFrame {
    const sim = this.simulation;
    let count = Math.max(0, Math.floor(steps));
    if (this.replayer) count = Math.min(count, this.replayer.endStep - sim.step);
    else if (this.loop && this.passSteps > 0) this.scheduleRestarts(sim.step + count);
    const frame = this.step(count);
    this.paramsMayBeUnseen = this.replayer !== undefined;
    const { firstStep, dtMs, traces, spikes, events } = frame;
    const labFrame = { firstStep, steps: frame.steps, dtMs, traces, spikes, channels: sim.channels, events } as SessionFrame;
    if (this.recorder && this.recordingFull === null) {
      try {
        this.recorder.record(labFrame);
      } catch (error) {
        // The file would pass a limit a replay checks: it keeps what it holds; the page stops and offers it.
        if (!(error instanceof LimitError)) throw error;
        this.recordingFull = error.message;
      }
    }
    // After recording the frame, so that recordedSteps and recordedEvents count it.
    labFrame.status = this.status();
    return labFrame;
  }

  /** One tick of `count` steps into the pipeline; throws what stopped it (a divergence). */
  private step(count: number): SimFrame {
    this.output = undefined;
    this.ticks$.next({ firstStep: this.simulation.step, steps: count });
    const output = this.output as { frame: SimFrame } | { error: unknown } | undefined;
    if (!output) throw new Error('the session stopped computing (an earlier step failed)');
    if ('error' in output) throw output.error;
    return output.frame;
  }

  /** Stamps a restart at every pass end before `end` not yet scheduled (recorded like any input). */
  private scheduleRestarts(end: number): void {
    let passEnd = this.lastRestart() + this.passSteps;
    while (passEnd < end) {
      this.events$.next({ kind: 'restart', step: passEnd });
      if (this.passStimulus) this.events$.next({ kind: 'set-stimulus', step: passEnd, stimulus: this.passStimulus });
      passEnd += this.passSteps;
    }
  }

  /** The step of the latest restart, applied or scheduled. */
  private lastRestart(): number {
    let last = this.simulation.currentOrigin;
    for (const e of this.simulation.pendingEvents) if (e.kind === 'restart' && e.step > last) last = e.step;
    return last;
  }

  status(): SessionStatus {
    const sim = this.simulation;
    return {
      mode: this.mode,
      step: sim.step,
      timeMs: sim.timeMs,
      origin: sim.currentOrigin,
      params: { ...sim.currentParams },
      loop: this.loop,
      recordedSteps: this.recorder ? this.recorder.stepCount : null,
      recordedEvents: this.recorder ? this.recorder.userEventCount : null,
      recordingFull: this.recorder ? this.recordingFull : null,
      replay: this.replayer ? { firstStep: this.replayer.firstStep, endStep: this.replayer.endStep, digest: this.replayer.recording.output.digest } : null,
      threads: sim.kernel.threadsInUse ?? 1,
      wasm: sim.kernel.wasm ?? false,
    };
  }

  startRecording(options: { traces?: boolean } = {}): void {
    if (this.replayer) throw new Error('a replay is running: take over first to record');
    this.recorder = Recorder.start(this.simulation, { ...options, limits: this.limits });
    this.recordingFull = null;
  }

  get recording(): boolean {
    return this.recorder !== undefined;
  }

  stopRecording(): Recording | undefined {
    const recording = this.recorder?.finish();
    this.recorder = undefined;
    this.recordingFull = null;
    return recording;
  }

  /** The recording's log so far (cheap), for autosave. */
  draft(): Recording | undefined {
    return this.recorder?.draft();
  }

  /** Checks a loaded recording by replaying it headless, then puts the session at its start in replay mode. */
  replay(recording: Recording, onProgress?: (fraction: number) => void): Verification {
    const verification = verifyRecording(recording, onProgress, this.limits);
    this.recorder = undefined;
    this.replayer = new Replayer(recording);
    this.simulation = this.replayer.simulation;
    this.simulation.setExtraProbes(this.extraProbes);
    this.connect();
    return verification;
  }

  seek(step: number): void {
    if (!this.replayer) throw new Error('seek needs a replay');
    this.replayer.seek(step);
    this.paramsMayBeUnseen = true;
  }

  /** Leaves the replay at the current step: the run goes on live and records a fork that keeps the history. */
  takeOver(): void {
    if (!this.replayer) return;
    const traces = this.replayer.recording.output.traces !== undefined;
    this.recorder = this.replayer.takeOver({ traces, limits: this.limits });
    this.recordingFull = null;
    this.replayer = undefined;
  }
}
