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
import type { KernelConfig, ModelDefinition, SpikeBuffer } from '../kernel.ts';
import { ArrayKernel, DivergenceError } from '../kernel.ts';
import type { ParamSchema, ParamValues } from '../schema.ts';
import { classify, type FixedPoint, type PhasePlane, type PlaneRange } from '../plane.ts';
import type { ModelId } from './index.ts';
import { izhikevichPresets } from '../presets/izhikevich-presets.ts';

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
  { name: 'v', unit: 'mV', doc: 'membrane potential (spike steps show vPeak)', range: [-90, 40] },
  { name: 'u', unit: 'mV', doc: 'recovery variable (after the reset on spike steps)', range: [-90, 40] },
] as const;

export class IzhikevichKernel extends ArrayKernel<IzhikevichParams> {
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
    const { v0, u0 } = config.params as IzhikevichParams;
    const v = new Float64Array(config.size).fill(v0);
    const u = new Float64Array(config.size).fill(u0);
    const spiked = new Uint8Array(config.size);
    super(config, { v, u, spiked });
    const { a, b, c, d } = this.params;
    this.a = new Float64Array(this.size).fill(a);
    this.b = new Float64Array(this.size).fill(b);
    this.c = new Float64Array(this.size).fill(c);
    this.d = new Float64Array(this.size).fill(d);
    this.v = v;
    this.u = u;
    this.spiked = spiked;
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

  override setParam(name: string, value: number): void {
    super.setParam(name, value);
    if ((PER_NEURON as readonly string[]).includes(name)) this[name as PerNeuronParam].fill(value);
  }
}

export const IZHIKEVICH_STATE = [
  { name: 'v', unit: 'mV', default: -65, min: -1000, max: 1000, doc: 'membrane potential' },
  { name: 'u', unit: 'mV', default: -13, min: -10_000, max: 10_000, doc: 'recovery variable' },
] as const satisfies ParamSchema;

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
  work: 2,
  settableState: IZHIKEVICH_STATE,
  scenes: izhikevichPresets.map((preset) => ({
    id: `izhikevich/${preset.id}`,
    title: `Izhikevich ${preset.label}`,
    description: `Seed program 4, preset ${preset.label} (Izhikevich 2004), with its own stimulus protocol.`,
    params: { ...preset.params },
    stimulus: preset.stimulus,
    dtMs: preset.dtMs,
    durationMs: preset.durationMs,
  })),
  plane: {
    probes: { x: 'v', y: 'u', input: ['iExt'], resets: true },
    compute: (model, params, input, range, samples) => izhikevichPlane(model, izhikevichConstants(params), input, range, samples),
    state: (x, y) => ({ v: x, u: y }),
  },
  presentation: {
    hand: { amplitude: 20, durationMs: 2 },
    frameCost: 1,
    caption: (scene, protocol) => ({
      see: `one Izhikevich neuron${scene.title ? ` — ${scene.title.replace(/^Izhikevich /, '')}` : ''}: its potential v and recovery variable u (mV, top), the input current (mV/ms, bottom).`,
      protocol,
      tries: ['press P for a current pulse (or hold I) and see how this pattern answers.', 'drag d (after-spike jump of u) or a (recovery rate) and watch the pattern change; reset puts the scene back.'],
    }),
    gallery: {
      name: 'Izhikevich',
      title: 'Izhikevich (2004): the 20 firing patterns',
      see: 'the 20 firing patterns of Izhikevich (2004), one neuron each with its own parameters: v (mV) over time, the input current under it.',
      protocol: "each panel runs its preset's own stimulus (DC steps, ramps, short pulses) and starts over at its end.",
      tries: ['compare (A) tonic spiking with (C) tonic bursting: only c and d differ.', 'click a panel to open that preset in the lab, with its parameters and a scope.'],
      note: 'The 20 firing patterns of Izhikevich (2004), fig. 1: each panel runs its own preset and stimulus protocol, looping. Click a panel to open it in the lab.',
      status: 'gallery · 20 Izhikevich presets',
      vRange: [-90, 35],
    },
  },
  create: (config) => new IzhikevichKernel(config),
};

// ── Izhikevich ──────────────────────────────────────────────────────────────────────────────

/**
 * The Izhikevich constants the plane needs: a, b, c, d, vPeak and the v-nullcline's k2, k1, k0,
 * uVOffset, uLeak (a preset's params hold them).
 *
 * @example
 * ```ts
 * const constants = builtinScene('izhikevich/A')!.params as unknown as IzhikevichConstants;
 * ```
 */
export interface IzhikevichConstants {
  a: number;
  b: number;
  c: number;
  d: number;
  k2: number;
  k1: number;
  k0: number;
  uVOffset: number;
  uLeak: number;
  vPeak: number;
}

export function izhikevichConstants(p: Readonly<Record<string, number>>): IzhikevichConstants {
  const get = (name: keyof IzhikevichConstants, fallback: number): number => p[name] ?? fallback;
  return { a: get('a', 0.02), b: get('b', 0.2), c: get('c', -65), d: get('d', 6), k2: get('k2', 0.04), k1: get('k1', 5), k0: get('k0', 140), uVOffset: get('uVOffset', 0), uLeak: get('uLeak', 1), vPeak: get('vPeak', 30) };
}

/** v′ and u′ of the Izhikevich model (the kernel's right-hand side, before the reset). */
export function izhikevichRhs(p: IzhikevichConstants, v: number, u: number, input: number): [number, number] {
  return [p.k2 * (v * v) + p.k1 * v + p.k0 - u + input, p.a * (p.b * (v - p.uVOffset) - p.uLeak * u)];
}

/**
 * The input at which the two fixed points of the standard u-nullcline merge (saddle-node), for
 * k2 ≠ 0 and uLeak ≠ 0: I* = (k1 − β)²/(4·k2) − k0 − β·uVOffset with β = b/uLeak. For k2 > 0 there
 * are two fixed points below I* and none above. Null when the model has no such bifurcation.
 *
 * @example
 * ```ts
 * const tonic = builtinScene('izhikevich/A')!.params as unknown as IzhikevichConstants;
 * izhikevichSaddleNodeInput(tonic); // 4 (mV/ms): (A) rests below it and fires above
 * ```
 */
export function izhikevichSaddleNodeInput(p: IzhikevichConstants): number | null {
  if (p.k2 === 0 || p.uLeak === 0 || p.a === 0) return null;
  const beta = p.b / p.uLeak;
  return ((p.k1 - beta) * (p.k1 - beta)) / (4 * p.k2) - p.k0 - beta * p.uVOffset;
}

/** The fixed points' v: roots of k2·v² + (k1 − β)·v + (k0 + I + β·uVOffset), or v = uVOffset when uLeak = 0. */
function izhikevichFixedVs(p: IzhikevichConstants, input: number): number[] {
  if (p.a === 0 || (p.uLeak === 0 && p.b === 0)) return []; // u′ ≡ 0: a line of equilibria, none isolated
  if (p.uLeak === 0) return [p.uVOffset];
  const beta = p.b / p.uLeak;
  const A = p.k2;
  const B = p.k1 - beta;
  const C = p.k0 + input + beta * p.uVOffset;
  if (A === 0) return B === 0 ? [] : [-C / B];
  const disc = B * B - 4 * A * C;
  if (disc < 0) return [];
  if (disc === 0) return [-B / (2 * A)];
  // The stable form: q = −(B + sign(B)·√disc)/2, roots q/A and C/q.
  const q = -(B + (B >= 0 ? 1 : -1) * Math.sqrt(disc)) / 2;
  return [q / A, C / q].sort((x, y) => x - y);
}

export function izhikevichPlane(model: ModelId, p: IzhikevichConstants, input: number, given: PlaneRange | undefined, samples: number): PhasePlane {
  const beta = p.uLeak === 0 ? 0 : p.b / p.uLeak;
  const uOf = (v: number): number => (p.uLeak === 0 ? p.k2 * (v * v) + p.k1 * v + p.k0 + input : beta * (v - p.uVOffset));
  const fixedPoints = izhikevichFixedVs(p, input).map((v): FixedPoint => {
    const u = uOf(v);
    return { x: v, y: u, ...classify(2 * p.k2 * v + p.k1, -1, p.a * p.b, -p.a * p.uLeak) };
  });
  const range = given ?? izhikevichRange(p, input, fixedPoints);
  const [x0, x1] = range.x;
  const vNull: number[] = [];
  const uNull: number[] = [];
  for (let k = 0; k < samples; k++) {
    const v = x0 + ((x1 - x0) * k) / (samples - 1);
    vNull.push(v, p.k2 * (v * v) + p.k1 * v + p.k0 + input);
    if (p.uLeak !== 0) uNull.push(v, beta * (v - p.uVOffset));
  }
  // uLeak = 0: u′ = a·b·(v − uVOffset) vanishes on the vertical line v = uVOffset (preset R).
  if (p.uLeak === 0 && p.b !== 0) uNull.push(p.uVOffset, range.y[0], p.uVOffset, range.y[1]);
  return {
    model,
    x: { name: 'v', unit: 'mV' },
    y: { name: 'u', unit: 'mV' },
    input,
    nullclines: [
      { name: 'v′ = 0', points: vNull },
      { name: 'u′ = 0', points: uNull },
    ],
    fixedPoints,
    lines: [
      { name: 'vPeak', axis: 'x', value: p.vPeak },
      { name: 'c (reset)', axis: 'x', value: p.c },
    ],
    range,
  };
}

function izhikevichRange(p: IzhikevichConstants, input: number, fixed: FixedPoint[]): PlaneRange {
  const xs = [p.c, p.vPeak, -80, ...fixed.map((f) => f.x)];
  const x: [number, number] = [Math.min(...xs) - 5, Math.max(...xs) + 5];
  // u around the v-nullcline's knee (its minimum over the x range) and the fixed points.
  const knee = p.k2 > 0 ? Math.min(Math.max(-p.k1 / (2 * p.k2), x[0]), x[1]) : x[0];
  const ys = [p.k2 * knee * knee + p.k1 * knee + p.k0 + input, ...fixed.map((f) => f.y)];
  const lo = Math.min(...ys);
  const hi = Math.max(...ys);
  const pad = Math.max(10, (hi - lo) * 0.2);
  return { x, y: [lo - pad, hi + pad] };
}
