/**
 * The contract between the simulation driver and a model's numeric kernel.
 *
 * A kernel holds the state of `size` neurons as one typed array per variable
 * (index = neuron) and advances all of them by one time step per call to `step`.
 * It knows nothing of RxJS, the DOM or wall time, and allocates nothing per step.
 */
import type { Connectivity } from './connectivity.ts';
import type { PlaneDefinition } from './plane.ts';
import type { Scene, SceneInput } from './scene.ts';
import type { ChoiceSpec, ParamSchema } from './schema.ts';
import type { ThreadPart, ThreadPool } from './threads.ts';

export type TypedState = Float64Array | Int32Array | Uint8Array;

/** A kernel's complete dynamic state: enough to resume bit-identically. */
export type KernelState = Record<string, TypedState | number[]>;

export interface ProbeSpec {
  readonly name: string;
  readonly unit: string;
  readonly doc: string;
  /**
   * The range the scope's lane shows at least (it widens to fit the trace). Probes of one unit
   * share a lane and give it the same range. Default [0, 0.5]; unit '' (gates) is always [0, 1].
   */
  readonly range?: readonly [number, number];
  /** A note the scope shows beside the lane ("relative to rest"). */
  readonly note?: string;
}

/** How the page shows a model: the hand pulse, the frame budget, the gallery of its scenes. */
/** A scene's caption: what the views show, the protocol, and two things to try. */
export interface Caption {
  see: string;
  protocol: string;
  tries: [string, string];
}

export interface ModelPresentation {
  /** The hand pulse (key P) and its hold that make a resting neuron of this model fire. */
  readonly hand: { readonly amplitude: number; readonly durationMs: number };
  /**
   * Cost of one neuron-step in the page's frame budget, relative to an Izhikevich neuron's
   * (src/app/catalog.ts maxStepsPerFrame: ~2 million budget units per frame).
   */
  readonly frameCost: number;
  /** Two things to try, for the caption of the model's scenes (a generic pair when absent). */
  readonly tries?: readonly [string, string];
  /**
   * The caption of a scene of the model, for a newcomer, given the protocol in words (written from
   * the scene's own stimulus, so it is always true): a generic one from the probes when absent.
   */
  readonly caption?: (scene: Scene, protocol: string) => Caption;
  /** Networks of two populations: the first neuron the raster draws as inhibitory (in red), for the run's parameters. */
  readonly inhibitoryFrom?: (neurons: number, params: Readonly<Record<string, number>>) => number;
  /**
   * A gallery of the model's scenes side by side (`?view=gallery&model=<id>`; izhikevich when no
   * model is given): every scene of the model, one panel each, with its first probe and input.
   */
  readonly gallery?: {
    /** The model's short name: the panel's title ("Izhikevich gallery"), stripped from scene titles for the labels. */
    readonly name: string;
    /** The title above the panels. */
    readonly title: string;
    /** The caption: what you see, the protocol, two things to try. */
    readonly see: string;
    readonly protocol: string;
    readonly tries: readonly [string, string];
    /** The note under the panel's controls. */
    readonly note: string;
    /** The status line's scene text. */
    readonly status: string;
    /** The range of v the panels show (mV). */
    readonly vRange: readonly [number, number];
  };
}

/** A built-in scene of a model, as its model file declares it (the registry fills in the model id). */
export type ModelScene = Omit<SceneInput, 'model'> & { readonly id: string };

/**
 * A run produced NaN or ±Infinity: it stops, saying where and when.
 *
 * @example
 * ```ts
 * try {
 *   runScene(parseScene({ model: 'hh', dtMs: 1, stimulus: [{ kind: 'dc', amplitude: 1000 }] }));
 * } catch (error) {
 *   if (error instanceof DivergenceError) console.log(error.variable, error.timeMs);
 * }
 * ```
 */
export class DivergenceError extends Error {
  constructor(
    readonly variable: string,
    readonly neuron: number,
    readonly step: number,
    readonly timeMs: number,
    readonly value: number,
  ) {
    super(`the simulation diverged: ${variable} of neuron ${neuron} became ${value} at t = ${timeMs} ms (step ${step}); try a smaller dt or gentler parameters`);
    this.name = 'DivergenceError';
  }
}

/** Spikes of a run, as growable parallel arrays (no allocation per spike once grown). */
export class SpikeBuffer {
  step: Int32Array;
  neuron: Int32Array;
  /** Spike time in ms: the end of the spike's step, or the interpolated crossing where a model computes one. */
  timeMs: Float64Array;
  length = 0;

  constructor(capacity = 256) {
    this.step = new Int32Array(capacity);
    this.neuron = new Int32Array(capacity);
    this.timeMs = new Float64Array(capacity);
  }

  push(step: number, neuron: number, timeMs: number): void {
    if (this.length === this.step.length) this.grow();
    const i = this.length++;
    this.step[i] = step;
    this.neuron[i] = neuron;
    this.timeMs[i] = timeMs;
  }

  clear(): void {
    this.length = 0;
  }

  private grow(): void {
    const capacity = this.step.length * 2;
    const step = new Int32Array(capacity);
    const neuron = new Int32Array(capacity);
    const timeMs = new Float64Array(capacity);
    step.set(this.step);
    neuron.set(this.neuron);
    timeMs.set(this.timeMs);
    this.step = step;
    this.neuron = neuron;
    this.timeMs = timeMs;
  }
}

export interface Kernel {
  readonly size: number;
  readonly dtMs: number;
  /**
   * External current per neuron used by the next step (model units: µA/cm² for HH,
   * the seed's units elsewhere). The driver fills it before every step.
   */
  readonly inputCurrent: Float64Array;
  /**
   * Advances every neuron from step·dt to (step+1)·dt and appends the spikes of that step.
   * Throws a DivergenceError as soon as a state variable becomes NaN or ±Infinity (kernels
   * check their own state, where it is cheapest: inside the loop that computes it).
   */
  step(step: number, spikes: SpikeBuffer): void;
  /** Value of probe number `probe` (index into the model's probe list) for `neuron` after the last step. */
  probe(probe: number, neuron: number): number;
  /** Current value of a scalar parameter (same for every neuron). */
  getParam(name: string): number;
  /** Changes a validated parameter, effective from the next step. */
  setParam(name: string, value: number): void;
  /** Copies of the dynamic state; `restoreState` of that copy resumes bit-identically. */
  saveState(): KernelState;
  restoreState(state: KernelState): void;
  /** Threads that computed the last step (models that split across threads; 1 otherwise). */
  readonly threadsInUse?: number;
  /** True when the kernel's hot loop runs in WebAssembly (src/core/wasm.ts), with the same bits as its JavaScript loop. */
  readonly wasm?: boolean;
  /**
   * Set by the driver before each step: true when inputCurrent holds only zeros (±0) for that step,
   * so a kernel may skip reading it (a kernel whose loop adds the input where it cannot change a bit
   * declares the field; left undefined or false, the input is read).
   */
  inputIsZero?: boolean;
}

/** What every kernel needs to be built; models add their own fields. */
export interface KernelConfig {
  size: number;
  dtMs: number;
  params: Record<string, number>;
  /** Model-specific choices (integration method…), validated against `ModelDefinition.choices`. */
  choices: Record<string, string>;
  /** Seed of the kernel's own random numbers (random weights, noise). */
  seed: number;
  /** Synapses, for network models. */
  connectivity?: Connectivity;
  /** Threads to split the network across (models with `threadPart`; the others ignore it). */
  threads?: ThreadPool;
}

/** A bound on the step of a model's integrator. */
export interface StepBound {
  /** dt must be less than this (ms). */
  maxDtMs: number;
  /** Why, in words, with the numbers: "forward Euler is stable only for dt < 2·tau_m = 2·rm·cm = 20 ms". */
  reason: string;
  /** What to do instead. */
  advice: string;
}

/** Four significant digits, for a bound in a message. */
export function roundForMessage(x: number): string {
  return String(Number(x.toPrecision(4)));
}

export interface ModelDefinition {
  readonly id: string;
  readonly title: string;
  /** The equations and the reference they come from, shown in docs and the GUI. */
  readonly summary: string;
  readonly params: ParamSchema;
  readonly choices: readonly ChoiceSpec[];
  readonly probes: readonly ProbeSpec[];
  /** Unit of the external input current (the stimulus), e.g. µA/cm² for HH. */
  readonly inputUnit: string;
  /** The input currents worth exploring (the GUI's sliders for stimulus and hand currents). */
  readonly inputTypical: readonly [number, number];
  /** True for models whose neurons are coupled by a `connectivity`. */
  readonly network?: boolean;
  /**
   * Cost of one neuron-step relative to a LIF neuron's (~20 ns on one core), per integration
   * method where it differs: what LIMITS.work counts (src/core/limits.ts), so that a limit on
   * work bounds a run's time whatever its model. Measured with bench/ and tests/limits.test.ts.
   */
  readonly work: number | Readonly<Record<string, number>>;
  /** The state variables a `set-state` event (a click in the phase plane) may set on one neuron. */
  readonly settableState: ParamSchema;
  /** The built-in scenes of the model, in the order the picker lists them. */
  readonly scenes: readonly ModelScene[];
  /** The model's phase plane: its axes, nullclines, fixed points and the state of a click in it. */
  readonly plane: PlaneDefinition;
  /** How the page shows the model. */
  readonly presentation: ModelPresentation;
  /**
   * The largest stable dt of the model's explicit integrator for these parameters and options,
   * where one is known (stability.ts refuses a run at or beyond it, with the reason); none for
   * implicit or exact methods, or where no simple bound exists.
   */
  readonly stepBound?: (params: Readonly<Record<string, number>>, options: Readonly<Record<string, string>>) => StepBound | undefined;
  create(config: KernelConfig): Kernel;
  /**
   * Models that can split a network across threads (threads.ts): what a helper thread computes,
   * from the shared arrays the kernel gave the pool and the helper's index in the partition.
   */
  readonly threadPart?: (shared: unknown, worker: number) => ThreadPart;
}

/**
 * The parts of a kernel that follow from its parameters and state, declared once: a kernel hands
 * its state arrays (by name) to the constructor, and gets getParam/setParam on its own copy of
 * the parameters (`this.params`) and saveState/restoreState of those arrays. It writes `step` and
 * `probe`; a kernel with per-neuron copies of a parameter overrides setParam to fill them.
 *
 * @example
 * ```ts
 * class Leaky extends ArrayKernel<{ tau: number }> {
 *   readonly v: Float64Array;
 *   constructor(config: KernelConfig) {
 *     const v = new Float64Array(config.size);
 *     super(config, { v });
 *     this.v = v;
 *   }
 *   step(): void {
 *     for (let i = 0; i < this.size; i++) this.v[i]! += (this.dtMs * (this.inputCurrent[i]! - this.v[i]!)) / this.params.tau;
 *   }
 *   probe(_probe: number, neuron: number): number {
 *     return this.v[neuron]!;
 *   }
 * }
 * ```
 */
export abstract class ArrayKernel<P extends Record<string, number>> implements Kernel {
  readonly size: number;
  readonly dtMs: number;
  readonly inputCurrent: Float64Array;
  protected readonly params: P;

  constructor(
    config: KernelConfig,
    private readonly state: KernelState,
  ) {
    this.size = config.size;
    this.dtMs = config.dtMs;
    this.inputCurrent = new Float64Array(config.size);
    this.params = { ...config.params } as P;
  }

  abstract step(step: number, spikes: SpikeBuffer): void;
  abstract probe(probe: number, neuron: number): number;

  getParam(name: string): number {
    return this.params[name]!;
  }

  setParam(name: string, value: number): void {
    (this.params as Record<string, number>)[name] = value;
  }

  saveState(): KernelState {
    return copyState(this.state);
  }

  restoreState(state: KernelState): void {
    assignState(this.state, state);
  }
}

/** Copies a state record so that later steps do not change it. */
export function copyState(state: KernelState): KernelState {
  const out: KernelState = {};
  for (const [key, value] of Object.entries(state)) out[key] = Array.isArray(value) ? value.slice() : value.slice();
  return out;
}

/** Writes a saved state back into the kernel's own arrays (sizes must match). */
export function assignState(target: KernelState, source: KernelState): void {
  for (const [key, value] of Object.entries(target)) {
    const from = source[key];
    if (from === undefined || from.length !== value.length) throw new Error(`state field ${key} is missing or has the wrong size`);
    if (Array.isArray(value)) value.splice(0, value.length, ...(from as number[]));
    else (value as Float64Array).set(from as ArrayLike<number>);
  }
}
