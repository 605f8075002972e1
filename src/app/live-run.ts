/**
 * One live run of a scene: the real-time clock, the model operator and the inputs, wired as
 * the design's one-way stream —
 *
 *   control ─► realtimeClock ─► simulate(simulation, inputs) ─► { frame, stats } per animation frame
 *
 * — plus what the page adds around it: looping back to t = 0 at the end of the protocol (the
 * user's parameter values and stimulus carry over, the display time keeps growing so the
 * views keep scrolling), single steps of any size (sent in chunks the per-frame cap allows),
 * and errors turned into a message while the views keep their last frame.
 *
 * No DOM and no Pixi here: the frame source is injectable, so this runs in Node too.
 */
import { BehaviorSubject, catchError, EMPTY, Observable, share, Subject, switchMap, tap } from 'rxjs';
import type { Input } from '../core/events.ts';
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
  /** Display time at t = 0 of the current pass (grows by the duration at each loop). */
  offsetMs: number;
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
  /** One emission per animation frame in which steps were computed. */
  readonly frames$: Observable<LiveFrame>;
  /** Errors of the run (divergence): the run stops, the page says why. */
  readonly errors$ = new Subject<Error>();
  playing: boolean;
  speed: number;
  loop: boolean;
  /** Spikes since the run started, over every pass. */
  spikeCount = 0;
  /** performance.now() when the current frame's tick arrived and when its steps were done. */
  tickStartedAt = 0;
  simulatedAt = 0;
  private simulation: Simulation;
  private readonly totalSteps: number;
  private readonly runs$: BehaviorSubject<Simulation>;
  private readonly control$ = new Subject<ClockControl>();
  private readonly inputs$ = new Subject<Input>();
  private readonly options: LiveRunOptions;
  private extraProbes: ProbeRef[];
  private offsetMs = 0;
  private stimulusFor: (startMs: number) => Stimulus;
  private held: { amplitude: number; targets?: number[] } | undefined;
  private stepsOwed = 0;
  private stepChunkInFlight = false;
  private restartQueued = false;
  private stopped = false;
  /** Set when the run failed (divergence): it stays stopped until the scene is reset. */
  failed = false;

  constructor(scene: Scene, options: LiveRunOptions) {
    this.scene = scene;
    this.options = options;
    this.playing = options.playing;
    this.speed = clampSpeed(options.speed);
    this.loop = options.loop;
    this.extraProbes = options.extraProbes;
    this.totalSteps = stepCount(scene);
    this.stimulusFor = () => scene.stimulus;
    this.simulation = this.createSimulation(scene.params);
    this.runs$ = new BehaviorSubject(this.simulation);
    const source$ = this.runs$.pipe(
      switchMap((simulation) =>
        realtimeClock({ dtMs: scene.dtMs, maxStepsPerFrame: options.maxStepsPerFrame, playing: this.playing, speed: this.speed, ...(options.frames$ ? { frames$: options.frames$ } : {}) }, this.control$).pipe(
          tap(() => (this.tickStartedAt = performance.now())),
          simulate(() => simulation, this.inputs$),
          tap((frame) => this.afterFrame(frame)),
          catchError((error: unknown) => {
            this.stop(error instanceof Error ? error : new Error(String(error)));
            return EMPTY;
          }),
        ),
      ),
      share(),
    );
    const neurons = scene.neurons;
    this.frames$ = new Observable<LiveFrame>((subscriber) => {
      let stats: Stats | undefined;
      // Subscribed first, so each frame's stats are ready when the frame is handed on.
      const statsSub = source$.pipe(frameStats(neurons)).subscribe((s) => (stats = s));
      const frameSub = source$.subscribe({
        next: (frame) => subscriber.next({ frame, stats: stats!, offsetMs: this.offsetMs }),
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
      return () => {
        statsSub.unsubscribe();
        frameSub.unsubscribe();
      };
    });
  }

  /** The simulation of the current pass (read-only use). */
  get current(): Simulation {
    return this.simulation;
  }

  get timeMs(): number {
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

  /** Replaces the stimulus; `make(startMs)` builds it for a pass that starts (or resumes) at startMs. */
  setStimulus(make: (startMs: number) => Stimulus): void {
    this.stimulusFor = make;
    this.send({ kind: 'set-stimulus', stimulus: make(this.simulation.timeMs) });
  }

  pulse(amplitude: number, durationMs: number, targets?: number[]): void {
    this.send({ kind: 'pulse', amplitude, durationMs, ...(targets ? { targets } : {}) });
  }

  hold(amplitude: number, targets?: number[]): void {
    if (this.held) this.send({ kind: 'release' });
    this.held = { amplitude, ...(targets ? { targets } : {}) };
    this.send({ kind: 'hold', ...this.held });
  }

  release(): void {
    if (!this.held) return;
    this.held = undefined;
    this.send({ kind: 'release' });
  }

  get holding(): boolean {
    return this.held !== undefined;
  }

  /** Records these probes after the scene's own from the next frame on. */
  setExtraProbes(probes: ProbeRef[]): void {
    this.extraProbes = probes;
    this.simulation.setExtraProbes(probes);
  }

  /** Stops for good (a new scene replaces this run). */
  dispose(): void {
    this.stopped = true;
    this.runs$.complete();
    this.control$.complete();
    this.inputs$.complete();
    this.errors$.complete();
  }

  private send(input: Input): void {
    this.inputs$.next(input);
  }

  private createSimulation(params: Readonly<Record<string, number>>): Simulation {
    const simulation = new Simulation({ ...this.scene, params: { ...params }, stimulus: this.stimulusFor(0) });
    if (this.extraProbes.length > 0) simulation.setExtraProbes(this.extraProbes);
    return simulation;
  }

  private afterFrame(frame: SimFrame<RealtimeTick>): void {
    this.simulatedAt = performance.now();
    this.spikeCount += frame.spikes.step.length;
    this.stepChunkInFlight = false;
    if (frame.tick.playing) this.stepsOwed = 0;
    else this.stepsOwed = Math.max(0, this.stepsOwed - frame.steps);
    if (this.loop && this.simulation.step >= this.totalSteps && !this.restartQueued) {
      this.restartQueued = true;
      // After the frame has reached every subscriber.
      queueMicrotask(() => this.restart());
    } else {
      this.sendStepChunk();
    }
  }

  /** Back to t = 0 with the current parameters, stimulus, probes and held current. */
  private restart(): void {
    this.restartQueued = false;
    if (this.stopped) return;
    this.offsetMs += this.simulation.timeMs;
    this.simulation = this.createSimulation(this.simulation.currentParams);
    this.runs$.next(this.simulation);
    if (this.held) this.send({ kind: 'hold', ...this.held });
    this.stepChunkInFlight = false;
    this.sendStepChunk();
  }

  private sendStepChunk(): void {
    if (this.stepChunkInFlight || this.stepsOwed <= 0 || this.stopped) return;
    this.stepChunkInFlight = true;
    this.control$.next({ kind: 'step', steps: Math.min(this.stepsOwed, this.options.maxStepsPerFrame) });
  }

  private stop(error: Error): void {
    this.failed = true;
    this.playing = false;
    this.stepsOwed = 0;
    this.errors$.next(error);
  }
}
