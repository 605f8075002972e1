/**
 * One live run of a scene: the real-time clock, the model operator and the inputs, wired as
 * the design's one-way stream —
 *
 *   control ─► realtimeClock ─► simulate(simulation, inputs) ─► { frame, stats } per animation frame
 *
 * — plus what the page adds around it: looping back to t = 0 at the end of the protocol (a
 * `restart` input, so one Simulation serves the whole session and its event log tells all;
 * the user's parameters, stimulus and held current carry over), single steps of any size
 * (sent in chunks the per-frame cap allows), and errors turned into a message while the views
 * keep their last frame.
 *
 * No DOM and no Pixi here: the frame source is injectable, so this runs in Node too.
 */
import { catchError, EMPTY, Observable, share, Subject, tap } from 'rxjs';
import type { Input, InputEvent } from '../core/events.ts';
import { models } from '../core/models/index.ts';
import { stepCount, type ProbeRef, type Scene } from '../core/scene.ts';
import { checkParam, findParam } from '../core/schema.ts';
import { Simulation } from '../core/simulation.ts';
import type { Stimulus } from '../core/stimulus.ts';
import { clampSpeed, realtimeClock, type ClockControl, type RealtimeTick } from '../stream/realtime.ts';
import { simulate, type SimFrame } from '../stream/simulate.ts';
import { frameStats, type Stats } from '../stream/stats.ts';

export interface LiveFrame {
  frame: SimFrame<RealtimeTick>;
  stats: Stats;
  /**
   * Steps at which the passes of the protocol seen in this frame began (their t = 0): the pass
   * of the frame's first step, then one for each loop back inside the frame.
   */
  passStarts: readonly number[];
}

export interface LiveRunOptions {
  playing: boolean;
  speed: number;
  loop: boolean;
  maxStepsPerFrame: number;
  /** Probes recorded after the scene's own (the target neuron of a network). */
  extraProbes: ProbeRef[];
  /** Animation-frame timestamps (the page's shared loop by default). */
  frames$?: Observable<number>;
}

export class LiveRun {
  readonly scene: Scene;
  /** One emission per animation frame in which steps were computed. Subscribe once. */
  readonly frames$: Observable<LiveFrame>;
  /** Errors of the run (divergence): the run stops, the page says why. */
  readonly errors$ = new Subject<Error>();
  playing: boolean;
  speed: number;
  loop: boolean;
  /** Set when the run failed (divergence): it stays stopped until the scene is loaded again. */
  failed = false;
  /** Spikes since the run started. */
  spikeCount = 0;
  /** Whether a held current is on. */
  holding = false;
  /** performance.now() when the current frame's tick arrived and when its steps were done. */
  tickStartedAt = 0;
  simulatedAt = 0;
  private readonly simulation: Simulation;
  private readonly stepsPerPass: number;
  private readonly control$ = new Subject<ClockControl>();
  private readonly inputs$ = new Subject<Input | InputEvent>();
  private readonly maxStepsPerFrame: number;
  /** Step at which the latest pass began (the last restart, scheduled or done). */
  private passStart = 0;
  /** The pass starts of the frame being computed. */
  private framePassStarts: number[] = [0];
  /** The user's stimulus, built for a pass time; undefined while the scene's protocol runs. */
  private stimulusFor: ((startMs: number) => Stimulus) | undefined;
  private stepsOwed = 0;
  private stepChunkInFlight = false;
  private stopped = false;

  constructor(scene: Scene, options: LiveRunOptions) {
    this.scene = scene;
    this.playing = options.playing;
    this.speed = clampSpeed(options.speed);
    this.loop = options.loop;
    this.maxStepsPerFrame = options.maxStepsPerFrame;
    this.stepsPerPass = stepCount(scene);
    this.simulation = new Simulation(scene);
    if (options.extraProbes.length > 0) this.simulation.setExtraProbes(options.extraProbes);
    const clock$ = realtimeClock(
      { dtMs: scene.dtMs, maxStepsPerFrame: options.maxStepsPerFrame, playing: this.playing, speed: this.speed, ...(options.frames$ ? { frames$: options.frames$ } : {}) },
      this.control$,
    );
    const source$ = clock$.pipe(
      tap((tick) => {
        this.tickStartedAt = performance.now();
        this.beforeTick(tick);
      }),
      simulate(() => this.simulation, this.inputs$),
      tap((frame) => this.afterFrame(frame)),
      catchError((error: unknown) => {
        this.fail(error instanceof Error ? error : new Error(String(error)));
        return EMPTY;
      }),
      share(),
    );
    const neurons = scene.neurons;
    this.frames$ = new Observable<LiveFrame>((subscriber) => {
      let stats: Stats | undefined;
      // Subscribed first, so each frame's stats are ready when the frame is handed on.
      const statsSub = source$.pipe(frameStats(neurons)).subscribe((s) => (stats = s));
      const frameSub = source$.subscribe({
        next: (frame) => subscriber.next({ frame, stats: stats!, passStarts: this.framePassStarts }),
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
      return () => {
        statsSub.unsubscribe();
        frameSub.unsubscribe();
      };
    });
  }

  /** Simulated time of the current pass of the protocol (0 at each loop), ms. */
  get timeMs(): number {
    return (this.simulation.step - this.simulation.currentOrigin) * this.scene.dtMs;
  }

  /** Simulated time since the run started, over every pass, ms. */
  get totalTimeMs(): number {
    return this.simulation.timeMs;
  }

  get params(): Readonly<Record<string, number>> {
    return this.simulation.currentParams;
  }

  play(): void {
    if (this.stopped || this.failed) return;
    this.playing = true;
    this.control$.next({ kind: 'play' });
  }

  pause(): void {
    this.playing = false;
    this.stepsOwed = 0;
    this.control$.next({ kind: 'pause' });
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** Computes `steps` more steps, over as many frames as the cap needs. */
  step(steps = 1): void {
    if (this.stopped || this.failed) return;
    this.stepsOwed += Math.max(1, Math.floor(steps));
    this.sendStepChunk();
  }

  setSpeed(speed: number): void {
    this.speed = clampSpeed(speed);
    this.control$.next({ kind: 'speed', speed: this.speed });
  }

  /** Validates and applies a parameter change at the next step; throws InputError when out of range. */
  setParam(name: string, value: unknown): void {
    const spec = findParam(models[this.scene.model].params, name);
    this.send({ kind: 'set-param', name, value: checkParam(spec, value) });
  }

  /**
   * Replaces the stimulus from the next step: `make(startMs)` builds it to start at a time of the
   * pass (now, and 0 after each loop). Undefined goes back to the scene's own protocol.
   */
  setStimulus(make: ((startMs: number) => Stimulus) | undefined): void {
    this.stimulusFor = make;
    this.send({ kind: 'set-stimulus', stimulus: make ? make(this.timeMs) : this.scene.stimulus });
  }

  pulse(amplitude: number, durationMs: number, targets?: number[]): void {
    this.send({ kind: 'pulse', amplitude, durationMs, ...(targets ? { targets } : {}) });
  }

  hold(amplitude: number, targets?: number[]): void {
    if (this.holding) this.send({ kind: 'release' });
    this.holding = true;
    this.send({ kind: 'hold', amplitude, ...(targets ? { targets } : {}) });
  }

  release(): void {
    if (!this.holding) return;
    this.holding = false;
    this.send({ kind: 'release' });
  }

  /** Records these probes after the scene's own from the next frame on. */
  setExtraProbes(probes: ProbeRef[]): void {
    this.simulation.setExtraProbes(probes);
  }

  /** Stops for good (a new scene replaces this run). */
  dispose(): void {
    this.stopped = true;
    this.control$.complete();
    this.inputs$.complete();
    this.errors$.complete();
  }

  private send(input: Input | InputEvent): void {
    this.inputs$.next(input);
  }

  /**
   * Schedules the loops back to t = 0 that fall inside the coming tick, at the exact step where
   * each pass of the protocol ends (whatever the frame size), with the parameters, stimulus and
   * held current in force.
   */
  private beforeTick(tick: RealtimeTick): void {
    this.framePassStarts = [this.passStart];
    if (!this.loop) return;
    const end = tick.firstStep + tick.steps;
    for (;;) {
      const at = Math.max(this.passStart + this.stepsPerPass, tick.firstStep);
      if (at >= end) return;
      this.passStart = at;
      this.framePassStarts.push(at);
      this.send({ kind: 'restart', step: at });
      // A stimulus set by hand starts over with the pass, as the protocol does.
      if (this.stimulusFor) this.send({ kind: 'set-stimulus', step: at, stimulus: this.stimulusFor(0) });
    }
  }

  private afterFrame(frame: SimFrame<RealtimeTick>): void {
    this.simulatedAt = performance.now();
    this.spikeCount += frame.spikes.step.length;
    this.stepChunkInFlight = false;
    if (frame.tick.playing) this.stepsOwed = 0;
    else this.stepsOwed = Math.max(0, this.stepsOwed - frame.steps);
    this.sendStepChunk();
  }

  private sendStepChunk(): void {
    if (this.stepChunkInFlight || this.stepsOwed <= 0 || this.stopped) return;
    this.stepChunkInFlight = true;
    this.control$.next({ kind: 'step', steps: Math.min(this.stepsOwed, this.maxStepsPerFrame) });
  }

  private fail(error: Error): void {
    this.failed = true;
    this.playing = false;
    this.stepsOwed = 0;
    this.errors$.next(error);
  }
}
