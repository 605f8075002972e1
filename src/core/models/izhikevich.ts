/**
 * Izhikevich's simple model of spiking neurons (seed program 4).
 *
 *   v' = k2·v² + k1·v + k0 − u + I
 *   u' = a·(b·(v − uVOffset) − uLeak·u)
 *   v > vPeak  →  spike; v ← c, u ← u + d
 *
 * With the defaults k2 = 0.04, k1 = 5, k0 = 140, uVOffset = 0, uLeak = 1, vPeak = 30 this is
 * the model of the paper: v' = 0.04v² + 5v + 140 − u + I, u' = a(bv − u). The extra constants
 * let every one of the 20 presets (A)–(T) be a set of parameter values: (G) and (L) use
 * 4.1v + 108 (k1 = 4.1, k0 = 108), (R) uses u' = a·b·(v + 65) (uVOffset = −65, uLeak = 0).
 * v is in mV, t in ms; u, c and d in mV as in the paper, a in ms⁻¹, b dimensionless, and the
 * input I in the paper's units (mV/ms).
 *
 * References: E. M. Izhikevich, "Simple model of spiking neurons", IEEE TNN 14:1569 (2003);
 * "Which model to use for cortical spiking neurons?", IEEE TNN 15:1063 (2004) (the 20
 * presets); the seed notebook's program 4 (tools/izhikevich_seed.py runs it).
 *
 * Numerics, the seed's forward Euler with the seed's update order, step by step:
 *   1. v ← v + dt·(((k2·(v·v) + k1·v) + k0 − u) + I)     (same operations, same order)
 *   2. u ← u + dt·(a·(b·(v − uVOffset) − uLeak·u))        with the NEW v
 *   3. if v > vPeak (the new v): v ← c, u ← u + d; the spike's time is the end of the step.
 * Taking u from the new v is the seed's choice and matters: it keeps (P) bistability,
 * (Q) DAP, (T) inhibition-induced bursting and others looking as in the paper, while the
 * textbook order (u from the old v) changes the spike count of 8 of the 20 presets (C, D, H,
 * N, P, Q, S, T; (T) fires 390 times instead of 12, (Q) 4 times instead of once). The
 * arithmetic is written in the seed's order so that, with v·v for the seed's v**2, the kernel
 * reproduces the seed's run bit for bit (see tests/izhikevich.test.ts; the seed's v**2 goes
 * through the C library's pow(), which is off by one ulp now and then, never enough to move
 * a spike of the 20 presets).
 *
 * The probe v shows vPeak on a spike step (the seed draws 30 there); u shows u after the
 * reset. a, b, c, d are stored per neuron so that a network can give each neuron its own
 * values; setParam fills every neuron.
 */
import type { Kernel, KernelConfig, KernelState, ModelDefinition, SpikeBuffer } from '../kernel.ts';
import { assignState, copyState, DivergenceError } from '../kernel.ts';
import type { ParamSchema, ParamValues } from '../schema.ts';

export const izhikevichParams = [
  { name: 'a', label: 'recovery rate', unit: 'ms⁻¹', default: 0.02, min: -10, max: 10, typical: [0, 0.2], precision: 3, doc: 'how fast u follows v: small a, slow adaptation' },
  { name: 'b', label: 'recovery sensitivity', unit: '', default: 0.2, min: -10, max: 10, typical: [-0.2, 0.4], precision: 3, doc: 'how strongly u follows v (negative in the inhibition-induced presets)' },
  { name: 'c', label: 'reset potential', unit: 'mV', default: -65, min: -200, max: 100, typical: [-80, -40], precision: 1, doc: 'v after a spike: higher c, bursts' },
  { name: 'd', label: 'after-spike jump of u', unit: 'mV', default: 6, min: -100, max: 100, typical: [-2, 10], precision: 2, doc: 'added to u after each spike: larger d, stronger adaptation' },
  { name: 'vPeak', label: 'spike peak', unit: 'mV', default: 30, min: -100, max: 200, typical: [0, 50], precision: 1, doc: 'spike cut-off: v > vPeak is a spike and resets v and u' },
  { name: 'k2', label: 'v² coefficient', unit: 'mV⁻¹·ms⁻¹', default: 0.04, min: -10, max: 10, typical: [0.02, 0.06], precision: 4, doc: 'quadratic term of v′ = k2·v² + k1·v + k0 − u + I (0.04 in the paper)' },
  { name: 'k1', label: 'v coefficient', unit: 'ms⁻¹', default: 5, min: -100, max: 100, typical: [3, 7], precision: 2, doc: 'linear term of v′ (5; 4.1 in presets G and L)' },
  { name: 'k0', label: 'constant drive of v′', unit: 'mV/ms', default: 140, min: -10000, max: 10000, typical: [100, 180], precision: 1, doc: 'constant term of v′ (140; 108 in presets G and L)' },
  { name: 'uVOffset', label: 'u′ voltage offset', unit: 'mV', default: 0, min: -200, max: 200, typical: [-80, 0], precision: 1, doc: 'u′ = a·(b·(v − uVOffset) − uLeak·u); −65 in preset R' },
  { name: 'uLeak', label: 'u′ leak weight', unit: '', default: 1, min: 0, max: 10, typical: [0, 1], precision: 2, doc: 'weight of −u in u′ (1; 0 in preset R, whose u′ = a·b·(v + 65))' },
  { name: 'v0', label: 'initial potential', unit: 'mV', default: -70, min: -200, max: 100, typical: [-90, -40], precision: 1, doc: 'v at t = 0' },
  { name: 'u0', label: 'initial recovery', unit: 'mV', default: -14, min: -1000, max: 1000, typical: [-30, 10], precision: 1, doc: 'u at t = 0 (the presets use b·v0 unless the paper gives it)' },
] as const satisfies ParamSchema;
export type IzhikevichParams = ParamValues<typeof izhikevichParams>;
export type IzhikevichParamName = keyof IzhikevichParams;

/** The parameters stored per neuron (filled from the scalar by setParam). */
const PER_NEURON = ['a', 'b', 'c', 'd'] as const;
type PerNeuronParam = (typeof PER_NEURON)[number];

export const IZHIKEVICH_PROBES = [
  { name: 'v', unit: 'mV', doc: 'membrane potential (spike steps show vPeak)' },
  { name: 'u', unit: 'mV', doc: 'recovery variable (after the reset on spike steps)' },
] as const;

export class IzhikevichKernel implements Kernel {
  readonly size: number;
  readonly dtMs: number;
  readonly inputCurrent: Float64Array;
  private readonly params: IzhikevichParams;
  // Per-neuron parameters; a network may write its own values into them.
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly c: Float64Array;
  readonly d: Float64Array;
  // State, one entry per neuron.
  readonly v: Float64Array;
  readonly u: Float64Array;
  private readonly spiked: Uint8Array;

  constructor(config: KernelConfig) {
    this.size = config.size;
    this.dtMs = config.dtMs;
    this.params = { ...(config.params as IzhikevichParams) };
    const { a, b, c, d, v0, u0 } = this.params;
    this.inputCurrent = new Float64Array(this.size);
    this.a = new Float64Array(this.size).fill(a);
    this.b = new Float64Array(this.size).fill(b);
    this.c = new Float64Array(this.size).fill(c);
    this.d = new Float64Array(this.size).fill(d);
    this.v = new Float64Array(this.size).fill(v0);
    this.u = new Float64Array(this.size).fill(u0);
    this.spiked = new Uint8Array(this.size);
  }

  step(step: number, spikes: SpikeBuffer): void {
    const { v, u, a, b, c, d, spiked, inputCurrent, dtMs: dt } = this;
    const { k2, k1, k0, uVOffset, uLeak, vPeak } = this.params;
    const endMs = (step + 1) * dt;
    for (let i = 0; i < v.length; i++) {
      const vOld = v[i]!;
      const uOld = u[i]!;
      // The seed's expressions, operation for operation: its 0.04*v**2 is 0.04*(v*v).
      const vNew = vOld + dt * (k2 * (vOld * vOld) + k1 * vOld + k0 - uOld + inputCurrent[i]!);
      const uNew = uOld + dt * (a[i]! * (b[i]! * (vNew - uVOffset) - uLeak * uOld));
      if (!(vNew - vNew === 0 && uNew - uNew === 0)) throw new DivergenceError(vNew - vNew === 0 ? 'u' : 'v', i, step, endMs, vNew - vNew === 0 ? uNew : vNew);
      if (vNew > vPeak) {
        spikes.push(step, i, endMs);
        spiked[i] = 1;
        v[i] = c[i]!;
        u[i] = uNew + d[i]!;
      } else {
        spiked[i] = 0;
        v[i] = vNew;
        u[i] = uNew;
      }
    }
  }

  probe(probe: number, neuron: number): number {
    if (probe === 1) return this.u[neuron]!;
    return this.spiked[neuron] ? this.params.vPeak : this.v[neuron]!;
  }

  getParam(name: string): number {
    return this.params[name as IzhikevichParamName];
  }

  setParam(name: string, value: number): void {
    this.params[name as IzhikevichParamName] = value;
    if ((PER_NEURON as readonly string[]).includes(name)) this[name as PerNeuronParam].fill(value);
  }

  private state(): KernelState {
    return { v: this.v, u: this.u, spiked: this.spiked };
  }

  saveState(): KernelState {
    return copyState(this.state());
  }

  restoreState(state: KernelState): void {
    assignState(this.state(), state);
  }
}

export const izhikevich: ModelDefinition = {
  id: 'izhikevich',
  title: 'Izhikevich simple model',
  summary:
    "v' = 0.04v² + 5v + 140 − u + I, u' = a(bv − u); v > 30 mV → v = c, u = u + d (Izhikevich 2003, 2004; " +
    'constants generalised as k2, k1, k0, uVOffset, uLeak, vPeak so that all 20 presets of the 2004 paper are parameter sets; seed program 4)',
  params: izhikevichParams,
  choices: [],
  probes: IZHIKEVICH_PROBES,
  inputUnit: 'mV/ms',
  inputTypical: [-20, 40],
  create: (config) => new IzhikevichKernel(config),
};
