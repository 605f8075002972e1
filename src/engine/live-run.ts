/**
 * One run of a session in the engine (a worker, or in-thread for the gallery), paced by the
 * real-time clock:
 *
 *   animation frames ─► steps owed (wall time × speed / dt) ─► advance(n) ─► engine ─► frame ─► views, stats
 *
 * Each animation frame adds the steps its wall time owes. At most one advance is in flight:
 * while the engine is busy the owed steps accumulate, up to a cap (`maxStepsPerAdvance`); steps
 * owed beyond it are dropped and the frames say `capped`, so the page shows that the run is
 * slower than real time instead of queueing work without bound. A frame that comes back sends
 * the next advance at once when steps are owed, so a slow engine is never idle. Single steps
 * asked for explicitly are never dropped (they go in chunks of the cap).
 *
 * Inputs are posted to the engine, which stamps them at the next step not yet computed: after
 * the advance in flight, so a pulse acts at the next frame's first step.
 *
 * No DOM and no Pixi here: the animation frames are injectable, so this runs in Node too.
 */
import { Subject, type Observable, type Subscription } from 'rxjs';
import type { Input } from '../core/events.ts';
import { models } from '../core/models/index.ts';
import { DEFAULT_LIMITS } from '../core/limits.ts';
import { checkParamValues, type ProbeRef, type Scene } from '../core/scene.ts';
import { checkParam, findParam } from '../core/schema.ts';
import type { Stimulus } from '../core/stimulus.ts';
import type { SessionStatus } from '../session/session.ts';
import type { Recording } from '../session/recording.ts';
import type { RasterUpdate, RasterView } from '../stream/raster-bins.ts';
import { clampSpeed, sharedFrames$ } from '../stream/realtime.ts';
import { frameStats, type Stats, type StatsFrame, type WallTick } from '../stream/stats.ts';
import type { EngineClient, FrameMessage } from './client.ts';
import type { CallResult, OpenOptions, PageFrame, RecordingInfo } from './protocol.ts';

export interface LiveFrame {
  frame: PageFrame;
  stats: Stats;
  /**
   * Steps at which the passes of the protocol seen in this frame began (their t = 0): the pass
   * of the frame's first step, then one for each loop back inside the frame.
   */
  passStarts: readonly number[];
  /** The recording in progress after this frame, or null. */
  recording: RecordingInfo | null;
  /** performance.now() when the frame's message arrived, and the engine's time computing it. */
  receivedAt: number;
  computeMs: number;
  /** The frame does not follow the previous one (a seek): views start over. */
  jump: boolean;
}

export interface LiveRunOptions {
  playing: boolean;
  speed: number;
  loop: boolean;
  /** Most steps in one advance; owed steps beyond it are dropped (the run falls behind wall time). */
  maxStepsPerAdvance: number;
  /** Animation-frame timestamps (the page's shared loop by default). */
  frames$?: Observable<number>;
}

/** Pacing of one advance in flight, for the stats. */
interface InFlight extends WallTick {
  /** Steps of it that wall time owed (the rest were asked for explicitly: single steps, a seek's fill). */
  paced: number;
}

const NO_STATS: Stats = { timeMs: 0, realtimeFactor: 0, stepsPerSecond: 0, framesPerSecond: 0, spikeCount: 0, rateHz: 0, cappedFrames: 0, cappedTotal: 0 };

export class LiveRun {
  readonly scene: Scene;
  readonly session: number;
  /** One emission per frame the engine computed. */
  readonly frames$ = new Subject<LiveFrame>();
  /** The run stopped (divergence, or the worker died): the page says why, the views keep their last frame. */
  readonly errors$ = new Subject<Error>();
  /** An input the engine refused: the page says why, the run goes on. */
  readonly rejections$ = new Subject<Error>();
  /** The raster binned again for a new view (see setView). */
  readonly rasters$ = new Subject<RasterUpdate>();
  playing: boolean;
  speed: number;
  private loopOn: boolean;
  failed = false;
  spikeCount = 0;
  holding = false;
  /** The engine's status after the latest frame. */
  status: SessionStatus;
  /** Parameter changes sent and not yet seen in force in a frame's status (for the checks of the next change). */
  private sentParams: Record<string, number> = {};
  recording: RecordingInfo | null = null;
  private readonly client: EngineClient;
  private readonly maxSteps: number;
  private readonly stats$ = new Subject<StatsFrame>();
  private stats: Stats = NO_STATS;
  private readonly subscriptions: Subscription[] = [];
  private readonly unlisten: () => void;
  private owed = 0;
  private explicit = 0;
  private wallMs = 0;
  private capped = false;
  private inFlight: InFlight | undefined;
  private lastTimestamp: number | undefined;
  private passStart: number;
  private lastEnd: number | undefined;
  private stimulusFor: ((startMs: number) => Stimulus) | undefined;
  private seeking = false;
  private queuedSeek: number | undefined;
  private seekWaiters: { step: number; resolve: () => void }[] = [];
  private disposed = false;
  private rasterView: RasterView | null = null;
  private trigger = 0;

  /**
   * A run of session `session`. With `open`, the run opens the session in the engine with the
   * scene; without, the session is there already (a replay the engine just opened) and
   * `status` is where it stands.
   */
  constructor(client: EngineClient, session: number, scene: Scene, options: LiveRunOptions, start: { open: OpenOptions } | { status: SessionStatus }) {
    this.client = client;
    this.session = session;
    this.scene = scene;
    this.playing = options.playing;
    this.speed = clampSpeed(options.speed);
    this.loopOn = options.loop;
    this.maxSteps = Math.max(1, Math.floor(options.maxStepsPerAdvance));
    this.status =
      'status' in start
        ? start.status
        : { mode: 'live', step: 0, timeMs: 0, origin: 0, params: { ...scene.params }, loop: options.loop, recordedSteps: null, recordedEvents: null, recordingFull: null, replay: null, threads: 1 };
    this.passStart = this.status.origin;
    this.unlisten = client.listen(session, {
      frame: (message, receivedAt) => this.onFrame(message, receivedAt),
      failed: (error) => this.fail(error),
      rejected: (error) => this.rejections$.next(error),
      raster: (update) => this.rasters$.next(update),
    });
    if ('open' in start) client.send({ type: 'open', session, scene, options: start.open });
    this.subscriptions.push(
      // The stats stream of the engine's frames (the stream operator reads firstStep, steps, dtMs, spikes and the tick).
      this.stats$.pipe(frameStats(scene.neurons)).subscribe((s) => (this.stats = s)),
      (options.frames$ ?? sharedFrames$).subscribe((timestamp) => this.onAnimationFrame(timestamp)),
    );
  }

  get mode(): 'live' | 'replay' {
    return this.status.mode;
  }

  /** Simulated time of the current pass of the protocol (0 at each loop), ms. */
  get timeMs(): number {
    return (this.status.step - this.status.origin) * this.scene.dtMs;
  }

  /** Simulated time since the run started, over every pass, ms. */
  get totalTimeMs(): number {
    return this.status.step * this.scene.dtMs;
  }

  get params(): Readonly<Record<string, number>> {
    return this.status.params;
  }

  get loop(): boolean {
    return this.loopOn;
  }

  set loop(on: boolean) {
    this.loopOn = on;
    this.sendLoop();
  }

  play(): void {
    if (this.disposed || this.failed) return;
    if (this.atEnd()) return;
    this.playing = true;
  }

  pause(): void {
    this.playing = false;
    this.owed = 0;
    this.explicit = 0;
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Computes `steps` more steps, in chunks of the cap, playing or paused. */
  step(steps = 1): void {
    if (this.disposed || this.failed) return;
    this.explicit += Math.max(1, Math.floor(steps));
    this.pump();
  }

  setSpeed(speed: number): void {
    this.speed = clampSpeed(speed);
  }

  /**
   * Validates a parameter change here — against the model's schema, and with the parameters in
   * force (and those sent since the last frame) for a stable step and synapses within the limits —
   * so that a bad value throws InputError and nothing is sent; then sends it. (The engine checks
   * again, against what it holds.)
   */
  setParam(name: string, value: unknown): void {
    const spec = findParam(models[this.scene.model].params, name);
    const checked = checkParam(spec, value);
    const params = { ...this.status.params, ...this.sentParams, [name]: checked };
    checkParamValues(this.scene, params, name, checked, DEFAULT_LIMITS);
    this.input({ kind: 'set-param', name, value: checked });
    this.sentParams[name] = checked;
  }

  /**
   * Replaces the stimulus from the next step: `make(startMs)` builds it to start at a time of the
   * pass (now, and 0 when a new pass starts). Undefined goes back to the scene's own protocol.
   */
  setStimulus(make: ((startMs: number) => Stimulus) | undefined): void {
    this.stimulusFor = make;
    this.input({ kind: 'set-stimulus', stimulus: make ? make(this.timeMs) : this.scene.stimulus });
    this.sendLoop();
  }

  pulse(amplitude: number, durationMs: number, targets?: number[]): void {
    this.input({ kind: 'pulse', amplitude, durationMs, ...(targets ? { targets } : {}) });
  }

  hold(amplitude: number, targets?: number[]): void {
    if (this.holding) this.input({ kind: 'release' });
    this.holding = true;
    this.input({ kind: 'hold', amplitude, ...(targets ? { targets } : {}) });
  }

  /** Sets state variables of one neuron at the next step (a click in the phase plane; recorded). */
  setState(neuron: number, state: Record<string, number>): void {
    this.input({ kind: 'set-state', neuron, state });
  }

  release(): void {
    if (!this.holding) return;
    this.holding = false;
    this.input({ kind: 'release' });
  }

  /** Records these probes after the scene's own from the next frame on. */
  setExtraProbes(probes: ProbeRef[]): void {
    this.client.send({ type: 'probes', session: this.session, probes });
  }

  /** The raster's view: the engine bins the spikes for it and sends its columns with the frames (and at once, binned again). */
  setRasterView(view: RasterView): void {
    this.rasterView = view;
    this.sendView();
  }

  /** The scope's trigger neuron: the engine sends its spikes with the frames. */
  setTrigger(neuron: number): void {
    this.trigger = neuron;
    this.sendView();
  }

  private sendView(): void {
    if (!this.disposed) this.client.send({ type: 'view', session: this.session, raster: this.rasterView, trigger: this.trigger });
  }

  startRecording(traces: boolean): Promise<RecordingInfo> {
    return this.client.call(this.session, 'start-recording', { traces }).then((info) => (this.recording = info));
  }

  stopRecording(sceneName: string, object: boolean): Promise<CallResult<'stop-recording'>> {
    return this.client.call(this.session, 'stop-recording', { sceneName, object }).then((result) => {
      this.recording = null;
      return result;
    });
  }

  /** Leaves the replay at the current step: the run goes on live and records a fork. */
  takeOver(): Promise<RecordingInfo | null> {
    return this.client.call(this.session, 'take-over', {}).then((info) => {
      if (info) {
        this.recording = info;
        this.status = { ...this.status, mode: 'live', replay: null };
      }
      return info;
    });
  }

  /**
   * Puts a replay at `step`: the engine seeks (from its snapshots) to `fill` steps before it and
   * computes those, so that the views show the moments before `step`. Seeks asked for while one
   * is under way are merged (the latest wins). Resolves when the run has reached `step`.
   */
  seek(step: number, fill: number): Promise<void> {
    const replay = this.status.replay;
    if (!replay) return Promise.reject(new Error('seek needs a replay'));
    const target = Math.max(replay.firstStep, Math.min(replay.endStep, Math.floor(step)));
    const done = new Promise<void>((resolve) => this.seekWaiters.push({ step: target, resolve }));
    if (this.seeking) {
      this.queuedSeek = target;
      return done;
    }
    this.seeking = true;
    const from = Math.max(replay.firstStep, target - Math.max(0, Math.floor(fill)));
    this.owed = 0;
    this.explicit = target - from;
    this.client.call(this.session, 'seek', { step: from }).then(
      (reached) => this.afterSeek(target, reached),
      (error: Error) => {
        this.seeking = false;
        this.rejections$.next(error);
      },
    );
    this.pump();
    return done;
  }

  private afterSeek(target: number, reached: number): void {
    this.seeking = false;
    if (!this.inFlight) this.status = { ...this.status, step: reached };
    if (this.explicit === 0 && !this.inFlight) this.resolveSeeks(target, true);
    const queued = this.queuedSeek;
    this.queuedSeek = undefined;
    if (queued !== undefined && queued !== target) void this.seek(queued, this.explicit);
    this.pump();
  }

  private resolveSeeks(step: number, any = false): void {
    const waiting = this.seekWaiters;
    this.seekWaiters = waiting.filter((w) => !(any || step >= w.step));
    for (const w of waiting) if (any || step >= w.step) w.resolve();
  }

  /** Stops for good (a new scene or a replay replaces this run). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.unlisten();
    this.subscriptions.forEach((s) => s.unsubscribe());
    this.frames$.complete();
    this.errors$.complete();
    this.rejections$.complete();
    this.rasters$.complete();
    this.resolveSeeks(0, true);
  }

  private input(input: Input): void {
    if (this.disposed || this.failed) return;
    // In a replay, an input takes over: the engine forks at the next step and records from there.
    if (this.status.mode === 'replay') this.status = { ...this.status, mode: 'live', replay: null };
    this.client.send({ type: 'input', session: this.session, input });
  }

  private sendLoop(): void {
    this.client.send({ type: 'loop', session: this.session, loop: this.loopOn, passStimulus: this.stimulusFor ? this.stimulusFor(0) : null });
  }

  private atEnd(): boolean {
    const replay = this.status.mode === 'replay' ? this.status.replay : null;
    return replay !== null && this.status.step >= replay.endStep;
  }

  private onAnimationFrame(timestamp: number): void {
    const wallMs = this.lastTimestamp === undefined ? 0 : Math.max(0, timestamp - this.lastTimestamp);
    this.lastTimestamp = timestamp;
    if (!this.playing || this.failed) return;
    this.wallMs += wallMs;
    this.owed += (wallMs * this.speed) / this.scene.dtMs;
    if (this.owed > this.maxSteps) {
      // Owed beyond what one advance may carry: forgotten, and said (slower than real time).
      this.owed = this.maxSteps;
      this.capped = true;
    }
    this.pump();
  }

  /** Sends the next advance when none is in flight and steps are owed. */
  private pump(): void {
    if (this.inFlight || this.failed || this.disposed) return;
    const explicit = Math.min(this.explicit, this.maxSteps);
    const wall = Math.min(Math.floor(this.owed), this.maxSteps - explicit);
    const steps = explicit + wall;
    if (steps <= 0) return;
    this.explicit -= explicit;
    this.owed -= wall;
    this.inFlight = { firstStep: this.status.step, steps, paced: wall, wallMs: this.wallMs, capped: this.capped };
    this.wallMs = 0;
    this.capped = false;
    this.client.send({ type: 'advance', session: this.session, steps });
  }

  private onFrame(message: FrameMessage, receivedAt: number): void {
    const tick = this.inFlight;
    this.inFlight = undefined;
    if (this.disposed) return;
    const frame = message.frame;
    if (!frame || !tick) {
      this.pump();
      return;
    }
    this.status = frame.status;
    for (const [name, value] of Object.entries(this.sentParams)) if (Object.is(this.status.params[name], value)) delete this.sentParams[name];
    this.recording = message.recording;
    this.spikeCount += frame.spikeCount;
    const passStarts = [this.passStart];
    for (const event of frame.events) if (event.kind === 'restart') passStarts.push(event.step);
    this.passStart = passStarts.at(-1)!;
    const jump = this.lastEnd !== undefined && frame.firstStep !== this.lastEnd;
    this.lastEnd = frame.firstStep + frame.steps;
    // The stats see the steps wall time paced (explicit steps have no wall time: they would inflate the real-time factor).
    const paced = Math.min(tick.paced, frame.steps);
    if (paced > 0) this.stats$.next({ ...frame, steps: paced, tick: { firstStep: frame.firstStep, steps: paced, wallMs: tick.wallMs, capped: tick.capped } });
    if (this.atEnd()) this.pause();
    if (frame.steps > 0) {
      this.frames$.next({ frame, stats: this.stats, passStarts, recording: message.recording, receivedAt, computeMs: message.computeMs, jump });
    }
    if (!this.seeking && this.explicit === 0) this.resolveSeeks(this.status.step);
    this.pump();
  }

  private fail(error: Error): void {
    this.inFlight = undefined;
    this.failed = true;
    this.playing = false;
    this.owed = 0;
    this.explicit = 0;
    this.errors$.next(error);
  }
}
