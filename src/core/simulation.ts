/**
 * The simulation driver: a scene's kernel, its stimulus, the queue of input events, and the
 * probes. `advance(n)` computes the next n steps and returns them as one Frame of typed
 * arrays. Whatever the sizes of successive `advance` calls, the numbers are the same: the
 * state carries over between calls and nothing depends on how the steps were grouped.
 */
import type { HoldEvent, InputEvent, PulseEvent, ReleaseEvent } from './events.ts';
export { DivergenceError } from './kernel.ts';
import { DivergenceError, SpikeBuffer, type Kernel, type KernelState } from './kernel.ts';
import { models } from './models/index.ts';
import { setNeuronState } from './neuron-state.ts';
import { channelName, INPUT_PROBE, probeUnit, type ProbeRef, type Scene } from './scene.ts';
import { fillStimulus, StimulusDriver, type DcSource, type Stimulus } from './stimulus.ts';
import { currentThreads } from './threads.ts';

/**
 * The steps firstStep … firstStep+steps−1 of a run.
 *
 * @example
 * ```ts
 * const frame = new Simulation(builtinScene('lif')!).advance(400);
 * frame.spikes.timeMs; // Float64Array [11, 26, …]
 * ```
 */
export interface Frame {
  firstStep: number;
  steps: number;
  dtMs: number;
  /** One array per channel (see Simulation.channels), `steps` values each: the value at the end of each step. */
  traces: Float64Array[];
  spikes: { step: Int32Array; neuron: Int32Array; timeMs: Float64Array };
}

export interface Channel {
  name: string;
  variable: string;
  neuron: number;
  unit: string;
  /** Index into the model's probes, or −1 for the external input. */
  probe: number;
}

/** A point of a run from which it can resume bit-identically. */
export interface Snapshot {
  step: number;
  kernel: KernelState;
  params: Record<string, number>;
  stimulus: Stimulus;
  /** Step at which the protocol was set (it seeds the protocol's noise). */
  stimulusStep: number;
  /** Step of the last restart: the protocol's t = 0. */
  origin: number;
  noise: ReturnType<StimulusDriver['saveState']>;
  hand: DcSource[];
  pending: InputEvent[];
}

/**
 * An event stamped for a step that is already computed.
 *
 * @example
 * ```ts
 * const simulation = new Simulation(builtinScene('lif')!);
 * simulation.advance(100);
 * simulation.schedule({ kind: 'release', step: 10 }); // throws LateEventError
 * ```
 */
export class LateEventError extends Error {
  constructor(event: InputEvent, next: number) {
    super(`event ${event.kind} is stamped for step ${event.step}, but steps before ${next} are already computed`);
    this.name = 'LateEventError';
  }
}

/**
 * One run of a scene, advanced step by step: the imperative core under the stream operators. Takes
 * stamped events, gives frames, snapshots and restores its state bit for bit.
 *
 * @example
 * ```ts
 * const simulation = new Simulation(builtinScene('lif')!);
 * simulation.schedule({ kind: 'pulse', step: 40, amplitude: 30, durationMs: 2 });
 * const frame = simulation.advance(stepCount(simulation.scene));
 * console.log(frame.spikes.timeMs);
 * ```
 */
export class Simulation {
  readonly scene: Scene;
  readonly kernel: Kernel;
  /** What is recorded into each frame's traces (the scene's probes, then any extra ones); observation only, it never changes the run. */
  channels: Channel[];
  readonly dtMs: number;
  private next = 0;
  private protocol: StimulusDriver;
  /** Step at which the current protocol took effect. */
  private protocolStep = 0;
  /** Step of the last restart: the protocol's clock reads (step − origin)·dt. */
  private origin = 0;
  /** The kernel's state at step 0 for given parameters (those of the scene at first), for restarts. */
  private initial: { params: Record<string, number>; state: KernelState };
  /** Currents added by hand pulses and holds, after the protocol's, so they never disturb its sums. */
  private hand: DcSource[] = [];
  private readonly params: Record<string, number>;
  private pending: InputEvent[] = [];
  private readonly spikes = new SpikeBuffer();
  /** True while kernel.inputCurrent is known to hold only zeros. */
  private inputIsZero = true;
  /**
   * The protocol whose steady input (StimulusDriver.steady) kernel.inputCurrent is known to hold,
   * with no hand currents: refilling it would write the same numbers, so it is filled once.
   */
  private inputHoldsSteady: StimulusDriver | undefined;

  constructor(scene: Scene) {
    this.scene = scene;
    this.dtMs = scene.dtMs;
    this.params = { ...scene.params };
    this.kernel = this.createKernel(scene.params, true);
    this.protocol = new StimulusDriver(scene.stimulus, scene.neurons, protocolSeed(scene.seed, 0));
    this.initial = { params: { ...scene.params }, state: this.kernel.saveState() };
    this.channels = this.makeChannels(scene.probes);
  }

  /**
   * From the next frame on, records these probes after the scene's own (e.g. the neuron picked
   * on the raster). The scene's probes always come first, so a recorder keeps its channels.
   * Probes must be valid for the scene.
   */
  setExtraProbes(probes: readonly ProbeRef[]): void {
    this.channels = this.makeChannels([...this.scene.probes, ...probes]);
  }

  private makeChannels(probes: readonly ProbeRef[]): Channel[] {
    const model = models[this.scene.model];
    return probes.map((p) => ({
      name: channelName(this.scene, p),
      variable: p.variable,
      neuron: p.neuron,
      unit: probeUnit(this.scene.model, p.variable),
      probe: p.variable === INPUT_PROBE.name ? -1 : model.probes.findIndex((q) => q.name === p.variable),
    }));
  }

  /** The scene's kernel; `split`: across the threads set by useThreads (the one that steps, not the initial-state ones). */
  private createKernel(params: Record<string, number>, split = false): Kernel {
    const scene = this.scene;
    const threads = split ? currentThreads() : undefined;
    return models[scene.model].create({
      size: scene.neurons,
      dtMs: scene.dtMs,
      params: { ...params },
      choices: { ...scene.options },
      seed: scene.seed,
      connectivity: scene.connectivity,
      ...(threads && { threads }),
    });
  }

  /** The next step to be computed; simulated time is step × dt. */
  get step(): number {
    return this.next;
  }

  get timeMs(): number {
    return this.next * this.dtMs;
  }

  /** Step of the last restart: the protocol's t = 0. */
  get currentOrigin(): number {
    return this.origin;
  }

  /** Current parameter values (scene values changed by set-param events so far). */
  get currentParams(): Readonly<Record<string, number>> {
    return this.params;
  }

  /** Events scheduled and not yet applied, in the order they will apply. */
  get pendingEvents(): readonly InputEvent[] {
    return this.pending;
  }

  /** The stimulus protocol in force (the scene's, or the last set-stimulus event's). */
  get currentStimulus(): Stimulus {
    return this.protocol.stimulus;
  }

  /** Queues an event; events of the same step keep the order in which they were scheduled. */
  schedule(event: InputEvent): void {
    if (event.step < this.next) throw new LateEventError(event, this.next);
    let at = this.pending.length;
    while (at > 0 && this.pending[at - 1]!.step > event.step) at--;
    this.pending.splice(at, 0, event);
  }

  /** Computes `count` steps and returns them. Throws DivergenceError on NaN/Inf. */
  advance(count: number): Frame {
    const { kernel, channels, spikes, dtMs } = this;
    const first = this.next;
    const traces = channels.map(() => new Float64Array(count));
    spikes.clear();
    for (let s = 0; s < count; s++) {
      const step = first + s;
      if (this.pending.length > 0 && this.pending[0]!.step === step) this.applyDue(step);
      // With no sources the input stays all zeros: skip refilling it (it matters at 100k neurons).
      // With steady sources only (dc without a window), it holds the same numbers step after step: fill it once.
      const none = this.protocol.empty && this.hand.length === 0;
      const steadyHeld = this.hand.length === 0 && this.inputHoldsSteady === this.protocol;
      if ((!none || !this.inputIsZero) && !steadyHeld) {
        this.protocol.fill(step - this.origin, dtMs, kernel.inputCurrent);
        if (this.hand.length > 0) fillStimulus(this.hand, step * dtMs, kernel.inputCurrent, true);
        this.inputIsZero = none;
        this.inputHoldsSteady = this.hand.length === 0 && this.protocol.steady ? this.protocol : undefined;
      }
      if (kernel.inputIsZero !== undefined) kernel.inputIsZero = this.inputIsZero;
      kernel.step(step, spikes);
      for (let c = 0; c < channels.length; c++) {
        const channel = channels[c]!;
        const value = channel.probe < 0 ? kernel.inputCurrent[channel.neuron]! : kernel.probe(channel.probe, channel.neuron);
        if (!Number.isFinite(value)) throw new DivergenceError(channel.variable, channel.neuron, step, (step + 1) * dtMs, value);
        traces[c]![s] = value;
      }
      this.next = step + 1;
    }
    return {
      firstStep: first,
      steps: count,
      dtMs,
      traces,
      spikes: { step: spikes.step.slice(0, spikes.length), neuron: spikes.neuron.slice(0, spikes.length), timeMs: spikes.timeMs.slice(0, spikes.length) },
    };
  }

  private applyDue(step: number): void {
    let n = 0;
    while (n < this.pending.length && this.pending[n]!.step === step) this.apply(this.pending[n++]!);
    this.pending.splice(0, n);
    // Drop hand sources that have ended, so that per-step cost stays bounded.
    const now = step * this.dtMs;
    this.hand = this.hand.filter((source) => source.stopMs === undefined || source.stopMs > now);
  }

  private apply(event: InputEvent): void {
    switch (event.kind) {
      case 'pulse':
      case 'hold':
      case 'release':
        this.hand = applyHandEvent(this.hand, event, this.dtMs);
        break;
      case 'set-param':
        this.params[event.name] = event.value;
        this.kernel.setParam(event.name, event.value);
        break;
      case 'set-stimulus':
        this.protocolStep = event.step;
        this.protocol = new StimulusDriver(event.stimulus, this.scene.neurons, protocolSeed(this.scene.seed, event.step - this.origin));
        break;
      case 'restart':
        this.restart(event.step);
        break;
      case 'set-state':
        setNeuronState(this.kernel, event.neuron, event.state);
        this.inputHoldsSteady = undefined; // the kernel's state was written back: fill the input again
        break;
    }
  }

  /**
   * The initial state for these parameters: v0 and the like set it, so a changed parameter
   * means building a fresh kernel once (a 100k network takes ~0.4 s); each later loop reuses it.
   */
  private initialStateFor(params: Record<string, number>): KernelState {
    const same = Object.keys(params).every((name) => Object.is(params[name], this.initial.params[name]));
    if (!same) this.initial = { params: { ...params }, state: this.createKernel(params).saveState() };
    return this.initial.state;
  }

  /** Initial state again, with the parameters in force; the protocol clock back at 0. */
  private restart(step: number): void {
    this.kernel.restoreState(this.initialStateFor(this.params));
    this.origin = step;
    this.protocolStep = step;
    this.protocol = new StimulusDriver(this.protocol.stimulus, this.scene.neurons, protocolSeed(this.scene.seed, 0));
    this.inputIsZero = false;
    this.inputHoldsSteady = undefined;
  }

  /** The state at the next step to compute, from which `restore` resumes the run bit for bit. */
  snapshot(): Snapshot {
    return {
      step: this.next,
      kernel: this.kernel.saveState(),
      params: { ...this.params },
      stimulus: this.protocol.stimulus,
      stimulusStep: this.protocolStep,
      origin: this.origin,
      noise: this.protocol.saveState(),
      hand: this.hand.map((s) => ({ ...s })),
      pending: this.pending.slice(),
    };
  }

  /** Goes back (or forward) to a snapshot of this simulation: the run resumes from it bit for bit. */
  restore(snapshot: Snapshot): void {
    this.next = snapshot.step;
    this.kernel.restoreState(snapshot.kernel);
    for (const [name, value] of Object.entries(snapshot.params)) {
      this.params[name] = value;
      this.kernel.setParam(name, value);
    }
    this.origin = snapshot.origin;
    this.protocol = new StimulusDriver(snapshot.stimulus, this.scene.neurons, protocolSeed(this.scene.seed, snapshot.stimulusStep - snapshot.origin));
    this.protocol.restoreState(snapshot.noise);
    this.protocolStep = snapshot.stimulusStep;
    this.hand = snapshot.hand.map((s) => ({ ...s }));
    this.inputIsZero = false;
    this.inputHoldsSteady = undefined;
    this.pending = snapshot.pending.slice();
  }
}

/**
 * The hand currents after a pulse, hold or release: each is a dc source whose window opens and
 * closes half a step before the step times, so that exactly the intended steps are inside it
 * (a pulse lasts max(1, round(durationMs/dt)) steps; a release ends every hold).
 */
export function applyHandEvent(hand: readonly DcSource[], event: PulseEvent | HoldEvent | ReleaseEvent, dtMs: number): DcSource[] {
  const edge = (step: number): number => (step - 0.5) * dtMs;
  const targets = event.kind !== 'release' && event.targets ? { targets: event.targets } : {};
  switch (event.kind) {
    case 'pulse': {
      const steps = Math.max(1, Math.round(event.durationMs / dtMs));
      return [...hand, { kind: 'dc', amplitude: event.amplitude, startMs: edge(event.step), stopMs: edge(event.step + steps), ...targets }];
    }
    case 'hold':
      return [...hand, { kind: 'dc', amplitude: event.amplitude, startMs: edge(event.step), ...targets }];
    case 'release':
      return hand.map((source) => (source.stopMs === undefined ? { ...source, stopMs: edge(event.step) } : source));
  }
}

/** The noise seed of a protocol set at `step` after the last restart: distinct per step, the same in every replay and every loop. */
function protocolSeed(seed: number, step: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + step) >>> 0;
}
