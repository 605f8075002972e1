/**
 * Leaky integrate-and-fire neurons with an absolute refractory period (seed program 1).
 *
 *   tau_m dV/dt = −V + I·R_m,   tau_m = R_m·C_m
 *   V ≥ V_th  →  spike; V = V_reset for tau_ref; the spike's sample shows V + spike delta.
 *
 * Reference: Dayan & Abbott, Theoretical Neuroscience, §5.4; the seed notebook's defaults
 * (R_m = 1, C_m = 10, V_th = 1, reset 0, tau_ref = 4 ms, spike delta 0.5). The seed's numbers
 * are read in one consistent system — mV, nA, MΩ, nF, ms (1 nA × 1 MΩ = 1 mV, 1 MΩ × 1 nF = 1 ms:
 * tau_m = 1 MΩ × 10 nF = 10 ms, threshold 1 mV, I = 1.5 nA) — so that every number, spike and
 * reference table is the seed's, with units that make physical sense (the seed wrote kΩ, µF, V, A).
 *
 * Two integrators, chosen by `method`:
 *  - `euler` (the seed's): V += ((−V + I·R)/tau)·dt; the spike time is the end of the step in
 *    which V crossed; refractoriness lasts round(tau_ref/dt) whole steps during which V = reset.
 *  - `exact`: the input is constant within a step, so V relaxes exponentially towards I·R and
 *    the crossing time inside the step is solved analytically. Refractoriness is timed to the
 *    exact spike time, so the interspike interval under DC input is
 *    tau_ref + tau·ln(I·R / (I·R − V_th)) whatever dt is (up to 16 spikes within one step).
 */
import type { KernelConfig, ModelDefinition, SpikeBuffer, StepBound } from '../kernel.ts';
import { ArrayKernel, DivergenceError, roundForMessage } from '../kernel.ts';
import { exp, log } from '../numerics/deterministic-math.ts';
import type { ChoiceSpec, ParamSchema, ParamValues } from '../schema.ts';
import type { FixedPoint, PhasePlane, PlaneDefinition, PlaneRange } from '../plane.ts';
import type { ModelId } from './index.ts';

export const lifParams = [
  { name: 'rm', label: 'membrane resistance', unit: 'MΩ', default: 1, min: 1e-3, max: 1e3, typical: [0.1, 10], log: true, doc: 'R_m: the steady potential is R_m·I (1 MΩ × 1 nA = 1 mV)' },
  { name: 'cm', label: 'membrane capacitance', unit: 'nF', default: 10, min: 1e-3, max: 1e3, typical: [1, 100], log: true, doc: 'C_m: with R_m it sets the time constant tau_m = R_m·C_m (1 MΩ × 10 nF = 10 ms)' },
  { name: 'vThreshold', label: 'spike threshold', unit: 'mV', default: 1, min: -100, max: 100, typical: [0, 3], precision: 2, doc: 'V_th: the neuron spikes when V reaches it (potentials are relative to rest)' },
  { name: 'vReset', label: 'reset potential', unit: 'mV', default: 0, min: -100, max: 100, typical: [-1, 1], precision: 2, doc: 'V after a spike and during the refractory period' },
  { name: 'tauRefMs', label: 'refractory period', unit: 'ms', default: 4, min: 0, max: 1000, typical: [0, 20], precision: 1, doc: 'tau_ref: V is held at reset for this long after each spike' },
  { name: 'spikeDelta', label: 'drawn spike height', unit: 'mV', default: 0.5, min: 0, max: 100, typical: [0, 2], precision: 2, doc: 'added to the sample of the spike step, to draw the spike (display only)' },
  { name: 'v0', label: 'initial potential', unit: 'mV', default: 0, min: -100, max: 100, typical: [-1, 1], precision: 2, doc: 'V at t = 0' },
] as const satisfies ParamSchema;
export type LifParams = ParamValues<typeof lifParams>;

export type LifMethod = 'euler' | 'exact';
export const lifMethod: ChoiceSpec<LifMethod> = {
  name: 'method',
  choices: ['euler', 'exact'],
  default: 'euler',
  doc: "integrator: the seed's forward Euler, or the exact exponential update with exact spike times",
};

/** Where stepEuler's numbers are in LifKernel.euler. */
const [E_DT, E_TAU, E_RM, E_THRESHOLD, E_RESET, E_DELTA, E_DECAY, E_REFRACTORY, E_COUNT] = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;

/** Parts of LifKernel.doubles, each `size` long. */
const [D_V, D_SPIKE_VALUE, D_SYNAPTIC, D_RISE, D_COUNT] = [0, 1, 2, 3, 4] as const;

/** Bounds the work of one step when tau_ref is (nearly) zero and the drive is huge. */
const MAX_SPIKES_PER_STEP = 16;

export const LIF_PROBES = [{ name: 'v', unit: 'mV', doc: 'membrane potential (spike steps show V + spike delta)', range: [-0.2, 1.6], note: 'relative to rest' }] as const;

export class LifKernel extends ArrayKernel<LifParams> {
  readonly method: LifMethod;
  // State, one entry per neuron.
  readonly v: Float64Array;
  private readonly refractorySteps: Int32Array;
  private readonly refractoryMs: Float64Array;
  private readonly spiked: Uint8Array;
  private readonly spikeValue: Float64Array;
  /**
   * Current added to the external input of each neuron: zeros for lone neurons; a network
   * writes its synaptic currents here (so that it needs no pass of its own to add them).
   */
  readonly synapticCurrent: Float64Array;
  /**
   * A network's alpha filter (lif-network.ts): x = synapticRise, y = synapticCurrent, advanced over
   * the step by y ← (y + dt·x)·synapticDecay, x ← x·synapticDecay in the neuron loop, right after
   * the neuron has read y (one pass over the neurons instead of two; the same operations on the
   * same numbers). Zeros for lone neurons (with synapticDecay 1 their synaptic current stays +0).
   */
  readonly synapticRise: Float64Array;
  /**
   * v, spikeValue, synapticCurrent and synapticRise side by side (each of them is a view of its
   * part): stepEuler's loop reads and writes them through this one array.
   */
  private readonly doubles: Float64Array;
  /** exp(−dt/tau_psc) of the network's alpha filter (kept in `euler`). */
  get synapticDecay(): number {
    return this.euler[E_DECAY]!;
  }

  set synapticDecay(decay: number) {
    this.euler[E_DECAY] = decay;
  }
  /** Neurons that spiked in the last step (their `spiked` flags are cleared at the next), and how many. */
  private readonly spikedList: Int32Array;
  /** One number, kept as a plain array: recordings store this field as an "Array" (their digests cover its type). */
  private readonly spikedCount: number[];
  /** The Euler loop's numbers (E_DT …), computed when a parameter changes, not at every step. */
  private readonly euler = new Float64Array(E_COUNT);

  constructor(config: KernelConfig) {
    const size = config.size;
    const doubles = new Float64Array(D_COUNT * size);
    const part = (at: number): Float64Array => doubles.subarray(at * size, (at + 1) * size);
    const v = part(D_V).fill((config.params as LifParams).v0);
    const refractorySteps = new Int32Array(size);
    const refractoryMs = new Float64Array(size);
    const spiked = new Uint8Array(size);
    const spikeValue = part(D_SPIKE_VALUE);
    const spikedList = new Int32Array(size);
    const spikedCount = [0];
    super(config, { v, refractorySteps, refractoryMs, spiked, spikeValue, spikedList, spikedCount });
    this.method = (config.choices.method as LifMethod | undefined) ?? 'euler';
    this.v = v;
    this.refractorySteps = refractorySteps;
    this.refractoryMs = refractoryMs;
    this.spiked = spiked;
    this.spikeValue = spikeValue;
    this.synapticCurrent = part(D_SYNAPTIC);
    this.synapticRise = part(D_RISE);
    this.doubles = doubles;
    this.spikedList = spikedList;
    this.spikedCount = spikedCount;
    this.synapticDecay = 1;
    this.setEulerNumbers();
  }

  override setParam(name: string, value: number): void {
    super.setParam(name, value);
    this.setEulerNumbers();
  }

  /** The numbers stepEuler reads, from the parameters: tau_m = R_m·C_m and whole refractory steps among them. */
  private setEulerNumbers(): void {
    const { rm, cm, vThreshold, vReset, spikeDelta, tauRefMs } = this.params;
    const k = this.euler;
    k[E_DT] = this.dtMs;
    k[E_TAU] = rm * cm;
    k[E_RM] = rm;
    k[E_THRESHOLD] = vThreshold;
    k[E_RESET] = vReset;
    k[E_DELTA] = spikeDelta;
    k[E_REFRACTORY] = Math.round(tauRefMs / this.dtMs);
  }

  step(step: number, spikes: SpikeBuffer): void {
    const count = this.spikedCount;
    for (let k = 0; k < count[0]!; k++) this.spiked[this.spikedList[k]!] = 0;
    count[0] = this.method === 'exact' ? this.stepExact(step, spikes) : this.stepEuler(step);
    // Spikes are collected in the loop and handed over after it: no call inside the hot loop.
    const endMs = (step + 1) * this.dtMs;
    for (let k = 0; k < count[0]!; k++) {
      const i = this.spikedList[k]!;
      this.spiked[i] = 1;
      if (this.method === 'euler') spikes.push(step, i, endMs);
    }
  }

  /**
   * Returns how many neurons spiked (listed in spikedList). The loop reads every number it uses
   * as a double from `euler` or as an int32 (`| 0`), not from `this.params`: V8's optimized code
   * was seen unboxing an object's field again at each use inside a loop (see the note at K_DT in
   * izhikevich-2003.ts). v, the spike values and the filter are parts of one array (`doubles`),
   * which V8 checks once per turn rather than once per array. The arithmetic is the seed's, term for term.
   */
  private stepEuler(step: number): number {
    const { doubles: x, refractorySteps, inputCurrent, spikedList } = this;
    const k = this.euler;
    const dt = k[E_DT]!;
    const tau = k[E_TAU]!;
    const r = k[E_RM]!;
    const threshold = k[E_THRESHOLD]!;
    const reset = k[E_RESET]!;
    const delta = k[E_DELTA]!;
    const decay = k[E_DECAY]!;
    const refSteps = k[E_REFRACTORY]! | 0;
    const n = this.size | 0;
    const valueAt = (D_SPIKE_VALUE * n) | 0;
    const synapticAt = (D_SYNAPTIC * n) | 0;
    const riseAt = (D_RISE * n) | 0;
    let count = 0;
    // Two neurons per turn (V8 does not unroll loops), then the odd one.
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const synaptic0 = x[synapticAt + i]!;
      const synaptic1 = x[synapticAt + i + 1]!;
      const rise0 = x[riseAt + i]!;
      const rise1 = x[riseAt + i + 1]!;
      x[synapticAt + i] = (synaptic0 + dt * rise0) * decay;
      x[synapticAt + i + 1] = (synaptic1 + dt * rise1) * decay;
      x[riseAt + i] = rise0 * decay;
      x[riseAt + i + 1] = rise1 * decay;
      const refractory0 = refractorySteps[i]! | 0;
      const refractory1 = refractorySteps[i + 1]! | 0;
      if (refractory0 > 0) {
        refractorySteps[i] = refractory0 - 1;
        x[i] = reset;
      } else {
        const v = x[i]!;
        const vNew = v + ((-v + (inputCurrent[i]! + synaptic0) * r) / tau) * dt;
        if (vNew >= threshold) {
          spikedList[count++] = i;
          x[valueAt + i] = vNew + delta;
          x[i] = reset;
          refractorySteps[i] = refSteps;
        } else {
          if (!(vNew - vNew === 0)) throw new DivergenceError('v', i, step, (step + 1) * dt, vNew);
          x[i] = vNew;
        }
      }
      if (refractory1 > 0) {
        refractorySteps[i + 1] = refractory1 - 1;
        x[i + 1] = reset;
      } else {
        const v = x[i + 1]!;
        const vNew = v + ((-v + (inputCurrent[i + 1]! + synaptic1) * r) / tau) * dt;
        if (vNew >= threshold) {
          spikedList[count++] = i + 1;
          x[valueAt + i + 1] = vNew + delta;
          x[i + 1] = reset;
          refractorySteps[i + 1] = refSteps;
        } else {
          if (!(vNew - vNew === 0)) throw new DivergenceError('v', i + 1, step, (step + 1) * dt, vNew);
          x[i + 1] = vNew;
        }
      }
    }
    for (; i < n; i++) {
      // A lone neuron's rise and current are zeros that stay +0 (decay 1): the same numbers as without them.
      const synaptic = x[synapticAt + i]!;
      const rise = x[riseAt + i]!;
      x[synapticAt + i] = (synaptic + dt * rise) * decay;
      x[riseAt + i] = rise * decay;
      const refractory = refractorySteps[i]! | 0;
      if (refractory > 0) {
        refractorySteps[i] = refractory - 1;
        x[i] = reset;
        continue;
      }
      const current = inputCurrent[i]! + synaptic;
      const v = x[i]!;
      // The seed's expression, term for term, so that its spike steps are reproduced exactly.
      const vNew = v + ((-v + current * r) / tau) * dt;
      if (vNew >= threshold) {
        spikedList[count++] = i;
        x[valueAt + i] = vNew + delta;
        x[i] = reset;
        refractorySteps[i] = refSteps;
      } else {
        if (!(vNew - vNew === 0)) throw new DivergenceError('v', i, step, (step + 1) * dt, vNew);
        x[i] = vNew;
      }
    }
    return count;
  }

  /** Returns how many neurons spiked (listed in spikedList); pushes the exact spike times itself. */
  private stepExact(step: number, spikes: SpikeBuffer): number {
    const { v, refractoryMs, spikeValue, inputCurrent, synapticCurrent, synapticRise: rise, synapticDecay: decay, spikedList, dtMs: dt } = this;
    let count = 0;
    const { rm, cm, vThreshold, vReset, spikeDelta, tauRefMs } = this.params;
    const tau = rm * cm;
    const decayFullStep = exp(-dt / tau);
    const endMs = (step + 1) * dt;
    for (let i = 0; i < v.length; i++) {
      const synaptic = synapticCurrent[i]!;
      synapticCurrent[i] = (synaptic + dt * rise[i]!) * decay;
      rise[i] = rise[i]! * decay;
      const vInf = (inputCurrent[i]! + synaptic) * rm;
      let fired = false;
      let h = dt; // time of this step still to integrate
      let vi = v[i]!;
      let refractory = refractoryMs[i]!;
      // Each pass integrates to the end of the step or to the next threshold crossing; a short
      // tau_ref may end inside the step and allow another spike (bounded, for tau_ref = 0).
      for (let pass = 0; pass < MAX_SPIKES_PER_STEP; pass++) {
        if (refractory >= h) {
          refractory -= h;
          vi = vReset;
          break;
        }
        if (refractory > 0) {
          h -= refractory;
          refractory = 0;
          vi = vReset;
        }
        const vEnd = vInf + (vi - vInf) * (h === dt ? decayFullStep : exp(-h / tau));
        if (vEnd < vThreshold) {
          vi = vEnd;
          break;
        }
        // vi < V_th ≤ vEnd, so vInf > V_th and the logarithm is defined and ≥ 0.
        const crossing = vi >= vThreshold ? 0 : tau * log((vi - vInf) / (vThreshold - vInf));
        spikes.push(step, i, endMs - h + crossing);
        fired = true;
        spikeValue[i] = vThreshold + spikeDelta;
        h -= crossing;
        vi = vReset;
        refractory = tauRefMs;
      }
      if (!(vi - vi === 0)) throw new DivergenceError('v', i, step, endMs, vi);
      v[i] = vi;
      refractoryMs[i] = refractory;
      if (fired) spikedList[count++] = i;
    }
    return count;
  }

  probe(_probe: number, neuron: number): number {
    return this.spiked[neuron] ? this.spikeValue[neuron]! : this.v[neuron]!;
  }

}

/** What a click in the phase plane may set: V. */
export const LIF_STATE = [{ name: 'v', unit: 'V', default: 0, min: -1000, max: 1000, doc: 'membrane potential (ends a refractory period in progress)' }] as const satisfies ParamSchema;

/**
 * Forward Euler's bound (method 'euler'; the exact method has none): between spikes the membrane
 * is linear, v' = (−v + R·I)/tau_m, and Euler multiplies the distance to R·I by (1 − dt/tau_m)
 * each step: stable iff |1 − dt/tau_m| < 1, i.e. dt < 2·tau_m = 2·rm·cm. The LIF network's too.
 */
export function lifStepBound(params: Readonly<Record<string, number>>, options: Readonly<Record<string, string>>): StepBound | undefined {
  if ((options.method ?? 'euler') !== 'euler') return undefined;
  const tau = params.rm! * params.cm!;
  return {
    maxDtMs: 2 * tau,
    reason: `forward Euler (options.method 'euler') is stable only for dt < 2·tau_m = 2·rm·cm = ${roundForMessage(2 * tau)} ms`,
    advice: "use a smaller dtMs, or options.method 'exact'",
  };
}

export const lif: ModelDefinition = {
  id: 'lif',
  title: 'Leaky integrate-and-fire',
  summary: 'tau_m dV/dt = −V + I·R_m; V ≥ V_th → spike, V = V_reset for tau_ref (seed program 1)',
  params: lifParams,
  choices: [lifMethod],
  probes: LIF_PROBES,
  inputUnit: 'nA',
  inputTypical: [-1, 10],
  work: 1,
  settableState: LIF_STATE,
  scenes: [
    {
      id: 'lif',
      title: 'Leaky integrate-and-fire under DC input',
      description: 'Seed program 1: one LIF neuron (R = 1 MΩ, C = 10 nF, threshold 1 mV) with a 4 ms refractory period, I = 1.5 nA, forward Euler at dt = 0.125 ms. Spikes at 11, 26, 41 ms.',
      stimulus: [{ kind: 'dc', amplitude: 1.5 }],
      dtMs: 0.125,
      durationMs: 50,
    },
  ],
  plane: lifPlaneDefinition(['iExt']),
  presentation: {
    hand: { amplitude: 10, durationMs: 2 },
    frameCost: 1,
    caption: (_scene, protocol) => ({
      see: 'one leaky integrate-and-fire neuron: its potential V (mV, relative to rest) climbs towards R·I, spikes at the 1 mV threshold and is held at 0 for 4 ms; below, the input current (nA).',
      protocol: `${protocol} The seed's spikes: 11, 26 and 41 ms.`,
      tries: ['set the refractory period to 20 ms: fewer spikes.', 'Stimulus → dc, amplitude 0.5 nA: R·I = 0.5 mV stays below threshold (silence); then press P for a pulse.'],
    }),
  },
  stepBound: lifStepBound,
  create: (config) => new LifKernel(config),
};

/** The LIF plane (V against dV/dt), whose input is the sum of these probes. */
export function lifPlaneDefinition(input: string[]): PlaneDefinition {
  return {
    probes: { x: 'v', y: null, input, resets: true },
    compute: (model, params, current, range, samples) => lifPlane(model, { ...LIF_DEFAULTS, ...(params as Partial<LifPlaneParams>) }, current, range, samples),
    state: (x) => ({ v: x }),
  };
}

// ── LIF: V against dV/dt ────────────────────────────────────────────────────────────────────

export interface LifPlaneParams {
  rm: number;
  cm: number;
  vThreshold: number;
  vReset: number;
}

export const LIF_DEFAULTS: LifPlaneParams = { rm: 1, cm: 10, vThreshold: 1, vReset: 0 };

/** dV/dt of the LIF neuron (V/ms). */
export function lifSlope(p: { rm: number; cm: number }, v: number, input: number): number {
  return (-v + input * p.rm) / (p.rm * p.cm);
}

export function lifPlane(model: ModelId, p: LifPlaneParams, input: number, range: PlaneRange | undefined, samples: number): PhasePlane {
  const tau = p.rm * p.cm;
  const vStar = input * p.rm;
  const fixedPoints: FixedPoint[] = vStar < p.vThreshold ? [{ x: vStar, y: 0, kind: 'stable node', eigenvalues: [{ re: -1 / tau, im: 0 }] }] : [];
  const span = Math.max(p.vThreshold - p.vReset, 1e-3);
  const x: [number, number] = range?.x ?? [Math.min(p.vReset, vStar) - 0.2 * span, Math.max(p.vThreshold, Math.min(vStar, p.vThreshold + span)) + 0.2 * span];
  const slopes = [lifSlope(p, x[0], input), lifSlope(p, x[1], input), 0];
  const lo = Math.min(...slopes);
  const hi = Math.max(...slopes);
  const pad = Math.max((hi - lo) * 0.1, 1e-3);
  const plane: PlaneRange = range ?? { x, y: [lo - pad, hi + pad] };
  const line: number[] = [];
  for (let k = 0; k < samples; k++) {
    const v = plane.x[0] + ((plane.x[1] - plane.x[0]) * k) / (samples - 1);
    line.push(v, (-v + vStar) / tau);
  }
  return {
    model,
    x: { name: 'V', unit: 'V' },
    y: { name: 'dV/dt', unit: 'V/ms' },
    input,
    nullclines: [
      { name: 'dV/dt = (−V + I·R)/τ', points: line },
      { name: 'V′ = 0', points: [plane.x[0], 0, plane.x[1], 0] },
    ],
    fixedPoints,
    lines: [
      { name: 'threshold', axis: 'x', value: p.vThreshold },
      { name: 'reset', axis: 'x', value: p.vReset },
    ],
    range: plane,
  };
}
