/**
 * One run of a session in the engine (a worker, or in-thread for the gallery), paced by the
 * real-time clock — the engine's side of the page's pipeline:
 *
 *   realtimeClock(control$) ─► tick ─► advance(n) ─► engine ─► frame ─► frames$ (views, stats)
 *        ▲                                                      │
 *        └────────────────────── done ◄─────────────────────────┘
 *
 * The clock (src/stream/realtime.ts) holds the pacing: the steps owed and the cap, one tick in
 * flight at a time. It comes from outside and outlives the run: the page keeps one clock, whose
 * play, pause and speed follow the page's state (src/app/lab-state.ts), and a run starts under it
 * with a `run` control. A run does not play, pause or loop by itself: it says when a replay has
 * reached its end (`ended$`) or the run stopped (`errors$`), and the page decides. Each tick
 * becomes one `advance` message; each frame that comes back tells the clock `done`, which sends
 * the next tick at once when steps are owed, so a slow engine is never idle and never flooded.
 *
 * Inputs are checked here, once, at the engine's boundary (checkInput: parseInput, and a parameter
 * change against the parameters in force and those sent since the last frame), so that a bad value
 * throws InputError and nothing is sent; then posted to the engine, whose session takes them as
 * checked (Session.applyChecked) and stamps them at the next step not yet computed: after the
 * advance in flight, so a pulse acts at the next frame's first step.
 *
 * The clock comes from outside (src/app/pipeline.ts composes clock → engine → views). No DOM
 * and no Pixi here: the animation frames are injectable, so this runs in Node too.
 */
import { Subject, type Observable, type Observer, type Subscription } from 'rxjs';
import { checkInput, type Input } from '../core/events.ts';
import { DEFAULT_LIMITS } from '../core/limits.ts';
import type { ProbeRef, Scene } from '../core/scene.ts';
import type { Stimulus } from '../core/stimulus.ts';
import type { SessionStatus } from '../session/session.ts';
import type { RasterUpdate, RasterView } from '../stream/raster-bins.ts';
import type { ClockControl, ClockReport, RealtimeTick } from '../stream/realtime.ts';
import { frameStats, type Stats, type StatsFrame } from '../stream/stats.ts';
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
  /** Whether the session loops its protocol when it opens (the engine's status says it from the first frame on). */
  loop: boolean;
  /** Most steps in one advance; wall-clock steps owed beyond it are forgotten (the run falls behind wall time, and says so). */
  maxStepsPerAdvance: number;
  /** The pacer (src/app/pipeline.ts makes it): its reports (one advance per tick) and its controls (`run` at the start, `done` for each frame, single steps, seeks). */
  clock: PageClock;
}

/** The page's clock: its reports (hot: one clock for many runs, one after another) and its controls. */
export interface PageClock {
  reports$: Observable<ClockReport>;
  control$: Observer<ClockControl>;
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
  /** A frame of a replay reached the recording's end: the page pauses (play seeks back to the start). */
  readonly ended$ = new Subject<void>();
  failed = false;
  spikeCount = 0;
  holding = false;
  /** The engine's status after the latest frame. */
  status: SessionStatus;
  /**
   * Parameter changes sent after the advance of the latest frame was (for the checks of the next
   * change), each with its place among the inputs sent: a frame's status has every input sent
   * before its advance in force (or refused by the engine), so those are dropped with it.
   */
  private sentParams = new Map<string, { value: number; order: number }>();
  private inputsSent = 0;
  /** Inputs sent before the advance in flight: its frame's status accounts for them. */
  private inputsBeforeInFlight = 0;
  recording: RecordingInfo | null = null;
  private readonly client: EngineClient;
  /** The pacer's controls, and what it said last (whether it plays, its speed, the single steps it still owes). */
  private readonly control$: Observer<ClockControl>;
  private clock!: ClockReport;
  private readonly stats$ = new Subject<StatsFrame>();
  private stats: Stats = NO_STATS;
  private readonly subscriptions: Subscription[] = [];
  private readonly clockSubscription: Subscription;
  private readonly unlisten: () => void;
  /** The tick whose frame the engine is computing. */
  private inFlight: RealtimeTick | undefined;
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
    this.status =
      'status' in start
        ? start.status
        : { mode: 'live', step: 0, timeMs: 0, origin: 0, params: { ...scene.params }, loop: options.loop, recordedSteps: null, recordedEvents: null, recordingFull: null, replay: null, threads: 1, wasm: false };
    this.passStart = this.status.origin;
    this.unlisten = client.listen(session, {
      frame: (message, receivedAt) => this.onFrame(message, receivedAt),
      failed: (error) => this.fail(error),
      rejected: (error) => this.rejections$.next(error),
      raster: (update) => this.rasters$.next(update),
    });
    if ('open' in start) client.send({ type: 'open', session, scene, options: start.open });
    // The stats stream of the engine's frames (the stream operator reads firstStep, steps, dtMs, spikes and the tick).
    this.subscriptions.push(this.stats$.pipe(frameStats(scene.neurons)).subscribe((s) => (this.stats = s)));
    this.control$ = options.clock.control$;
    this.clockSubscription = options.clock.reports$.subscribe((report) => this.onClock(report));
    // The run starts under the clock, which reports at once: `clock` is set from here on.
    this.control$.next({ kind: 'run', from: this.status.step, dtMs: scene.dtMs, maxStepsPerFrame: options.maxStepsPerAdvance });
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

  /** A replay at its recording's end: play would compute nothing (the page seeks back to the start first). */
  get ended(): boolean {
    const replay = this.status.mode === 'replay' ? this.status.replay : null;
    return replay !== null && this.status.step >= replay.endStep;
  }

  /** Whether the session starts its protocol again at its end (and with what stimulus, see setStimulus). */
  setLoop(loop: boolean): void {
    this.sendLoop(loop);
  }

  /** Computes `steps` more steps, in chunks of the cap, playing or paused. */
  step(steps = 1): void {
    if (this.disposed || this.failed) return;
    this.control$.next({ kind: 'step', steps });
  }

  /** Changes a parameter from the next step (checked by `input`: a bad value throws InputError and nothing is sent). */
  setParam(name: string, value: unknown): void {
    this.input({ kind: 'set-param', name, value } as Input);
  }

  /**
   * Replaces the stimulus from the next step: `make(startMs)` builds it to start at a time of the
   * pass (now, and 0 when a new pass starts). Undefined goes back to the scene's own protocol.
   * `loop`: whether the session loops from then on.
   */
  setStimulus(make: ((startMs: number) => Stimulus) | undefined, loop: boolean): void {
    // Checked before it replaces anything: a refused protocol leaves the one in force, for this pass and the next.
    const input = this.check({ kind: 'set-stimulus', stimulus: make ? make(this.timeMs) : this.scene.stimulus });
    this.stimulusFor = make;
    this.send(input);
    this.sendLoop(loop);
  }

  pulse(amplitude: unknown, durationMs: unknown, targets?: unknown): void {
    this.send(this.check({ kind: 'pulse', amplitude, durationMs, ...(targets ? { targets } : {}) }));
  }

  hold(amplitude: unknown, targets?: unknown): void {
    const hold = this.check({ kind: 'hold', amplitude, ...(targets ? { targets } : {}) });
    if (this.holding) this.input({ kind: 'release' });
    this.holding = true;
    this.send(hold);
  }

  /** Sets state variables of one neuron at the next step (a click in the phase plane; recorded). */
  setState(neuron: number, state: Record<string, unknown>): void {
    this.input({ kind: 'set-state', neuron, state } as Input);
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
    this.client.call(this.session, 'seek', { step: from }).then(
      (reached) => this.afterSeek(target, reached),
      (error: Error) => {
        this.seeking = false;
        this.rejections$.next(error);
      },
    );
    // After the seek message: the engine computes the fill from where the seek put it.
    if (!this.disposed && !this.failed) this.control$.next({ kind: 'seek', from, fill: target - from });
    return done;
  }

  private afterSeek(target: number, reached: number): void {
    this.seeking = false;
    if (!this.inFlight) this.status = { ...this.status, step: reached };
    if (this.clock.pending === 0 && !this.inFlight) this.resolveSeeks(target, true);
    const queued = this.queuedSeek;
    this.queuedSeek = undefined;
    if (queued !== undefined && queued !== target) void this.seek(queued, this.clock.pending);
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
    this.clockSubscription.unsubscribe();
    this.subscriptions.forEach((s) => s.unsubscribe());
    this.frames$.complete();
    this.errors$.complete();
    this.rejections$.complete();
    this.rasters$.complete();
    this.ended$.complete();
    this.resolveSeeks(0, true);
  }

  /**
   * The engine's boundary: checks an input for the scene's model and size (and a parameter change
   * with the parameters in force and those sent since the last frame, for a stable step and
   * synapses within the limits) and sends it. A bad input throws InputError and nothing is sent.
   */
  private input(input: Input): void {
    this.send(this.check(input));
  }

  private check(input: unknown): Input {
    const params = { ...this.status.params };
    for (const [name, sent] of this.sentParams) params[name] = sent.value;
    return checkInput(input, this.scene, params, DEFAULT_LIMITS);
  }

  private send(input: Input): void {
    if (this.disposed || this.failed) return;
    if (input.kind === 'set-param') this.sentParams.set(input.name, { value: input.value, order: this.inputsSent });
    this.inputsSent++;
    // In a replay, an input takes over: the engine forks at the next step and records from there.
    if (this.status.mode === 'replay') this.status = { ...this.status, mode: 'live', replay: null };
    this.client.send({ type: 'input', session: this.session, input });
  }

  private sendLoop(loop: boolean): void {
    if (!this.disposed) this.client.send({ type: 'loop', session: this.session, loop, passStimulus: this.stimulusFor ? this.stimulusFor(0) : null });
  }

  /** The clock's report: a tick becomes one advance of the engine. */
  private onClock(report: ClockReport): void {
    this.clock = report;
    const tick = report.tick;
    if (!tick || this.failed || this.disposed) return;
    this.inFlight = tick;
    this.inputsBeforeInFlight = this.inputsSent;
    this.client.send({ type: 'advance', session: this.session, steps: tick.steps });
  }

  private onFrame(message: FrameMessage, receivedAt: number): void {
    const tick = this.inFlight;
    this.inFlight = undefined;
    if (this.disposed) return;
    const frame = message.frame;
    if (!frame || !tick) {
      this.control$.next({ kind: 'done', next: this.status.step });
      return;
    }
    this.status = frame.status;
    for (const [name, sent] of this.sentParams) if (sent.order < this.inputsBeforeInFlight) this.sentParams.delete(name);
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
    if (this.ended) this.ended$.next();
    if (frame.steps > 0) {
      this.frames$.next({ frame, stats: this.stats, passStarts, recording: message.recording, receivedAt, computeMs: message.computeMs, jump });
    }
    if (!this.seeking && this.clock.pending === 0) this.resolveSeeks(this.status.step);
    this.control$.next({ kind: 'done', next: this.status.step });
  }

  private fail(error: Error): void {
    this.inFlight = undefined;
    this.failed = true;
    // No more ticks for this run (the page pauses the clock: see errors$).
    this.clockSubscription.unsubscribe();
    this.errors$.next(error);
  }
}
