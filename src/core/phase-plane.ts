/**
 * The phase plane of one neuron at a given input current: the axes, the nullclines, the fixed
 * points classified from the Jacobian's eigenvalues, and the lines of the reset (vPeak, c, the
 * threshold). Pure numerics for Node and the page alike (the page's phase-plane view draws it).
 *
 * Izhikevich (every preset, and one neuron of the 2003 network), the v–u plane:
 *   v′ = k2·v² + k1·v + k0 − u + I     v-nullcline  u = k2·v² + k1·v + k0 + I
 *   u′ = a·(b·(v − uVOffset) − uLeak·u)  u-nullcline  uLeak·u = b·(v − uVOffset): the line
 *        u = (b/uLeak)(v − uVOffset), or the vertical v = uVOffset when uLeak = 0 (preset R).
 *   Fixed points: the roots of k2·v² + (k1 − β)·v + k0 + I + β·uVOffset = 0 (β = b/uLeak), two of
 *   them below the saddle-node input I* = (k1 − β)²/(4·k2) − k0 − β·uVOffset, none above it.
 *   Jacobian [[2·k2·v + k1, −1], [a·b, −a·uLeak]].
 *   In the 2003 network, a neuron's a, b, c, d are drawn from the seed (izhikevich2003Neuron);
 *   the input is the neuron's external input (stimulus and hand pulses): the thalamic noise
 *   (zero mean, redrawn every ms) and the synaptic kicks are left out of the nullclines.
 *
 * Hodgkin–Huxley, projected on (V, n). The full model has four variables; its nullclines are
 * drawn for the two-dimensional reduction of Rinzel (1985) as fitted by Izhikevich (2007,
 * Dynamical Systems in Neuroscience): m at its steady state m∞(V) (m is fast), and h tied to n
 * by the line h = 0.89 − 1.1·n that the full model's orbits follow closely:
 *   C·V′ = I − gNa·m∞(V)³·(0.89 − 1.1·n)·(V − ENa) − gK·n⁴·(V − EK) − gL·(V − EL)
 *   n′   = αn(V)·(1 − n) − βn(V)·n          n-nullcline  n = n∞(V)
 * The fixed points are those of this reduction (the full model's rest differs a little: see
 * hhReductionError and the tests, which measure how far the full model departs from it).
 *
 * LIF: V against dV/dt = (−V + I·R)/τ, a line crossing dV/dt = 0 at V = I·R, the one fixed
 * point (stable, eigenvalue −1/τ) when it lies below the threshold; the threshold and reset
 * are vertical lines. In the LIF network the input is I_ext + I_syn.
 *
 * A nullcline is a polyline x0, y0, x1, y1, … sampled over the plane's x range; a pair of NaN
 * separates branches. Kinds: stable/unstable node (real eigenvalues of one sign), stable/unstable
 * focus (complex), saddle (real, opposite signs), non-hyperbolic (an eigenvalue with zero real
 * part: a saddle-node point or a centre).
 */
import { alh, aln, alm, beh, bem, ben, hhRates } from './models/hh.ts';
import type { ModelId } from './models/index.ts';
import { Random } from './random.ts';
import { InputError } from './schema.ts';

/**
 * The kind of a fixed point, from the eigenvalues of the Jacobian there.
 *
 * @example
 * ```ts
 * const stable = (kind: FixedPointKind): boolean => kind.startsWith('stable');
 * ```
 */
export type FixedPointKind = 'stable node' | 'unstable node' | 'stable focus' | 'unstable focus' | 'saddle' | 'non-hyperbolic';

/**
 * A fixed point of the plane (where the nullclines cross) and its kind.
 *
 * @example
 * ```ts
 * const [rest] = phasePlane('izhikevich', builtinScene('izhikevich/A')!.params, 0).fixedPoints;
 * console.log(rest!.x, rest!.kind); // v at rest (mV), 'stable node'
 * ```
 */
export interface FixedPoint {
  x: number;
  y: number;
  kind: FixedPointKind;
  /** Eigenvalues of the Jacobian (1/ms), as re/im pairs. */
  eigenvalues: { re: number; im: number }[];
}

export interface PlaneAxis {
  name: string;
  unit: string;
}

export interface Nullcline {
  /** Which derivative vanishes on it, e.g. `v′ = 0`. */
  name: string;
  /** x0, y0, x1, y1, …; NaN, NaN between branches. */
  points: number[];
}

/** A vertical (x = value) or horizontal (y = value) line of the reset: vPeak, c, the threshold. */
export interface PlaneLine {
  name: string;
  axis: 'x' | 'y';
  value: number;
}

/**
 * What `phasePlane` returns: the axes, the nullclines (polylines, NaN pairs between branches), the
 * fixed points by kind, the reset lines and the range sampled.
 *
 * @example
 * ```ts
 * const plane: PhasePlane = phasePlane('hh', {}, 0);
 * console.log(plane.x.name, plane.y.name, plane.reduction); // V n m = m∞(V), h = 0.89 − 1.1·n …
 * ```
 */
export interface PhasePlane {
  model: ModelId;
  x: PlaneAxis;
  y: PlaneAxis;
  /** The input current the nullclines are drawn for (the model's input unit). */
  input: number;
  nullclines: Nullcline[];
  fixedPoints: FixedPoint[];
  lines: PlaneLine[];
  /** The plane the nullclines were sampled over. */
  range: PlaneRange;
  /** The reduction drawn, when the model has more than two variables. */
  reduction?: string;
}

export interface PlaneRange {
  x: [number, number];
  y: [number, number];
}

export interface PlaneOptions {
  /** The plane to sample the nullclines over; by default one that holds the fixed points and the reset. */
  range?: PlaneRange;
  /** Points per nullcline across the x range (default 200). */
  samples?: number;
}

/** The reduction drawn for Hodgkin–Huxley: m = m∞(V), h = H0 − H1·n. */
export const HH_REDUCTION = { h0: 0.89, h1: 1.1, text: 'm = m∞(V), h = 0.89 − 1.1·n (Rinzel 1985; Izhikevich 2007)' } as const;

/** Which probes of a model give the plane's x and y, and whether y is V′ computed from V and the input (LIF). */
export interface PlaneProbes {
  x: string;
  y: string | null;
  /** Probes whose sum is the input the nullclines move with. */
  input: string[];
  /** Whether a spike resets the state (the trajectory's jump is drawn dashed). */
  resets: boolean;
}

export function planeProbes(model: ModelId): PlaneProbes {
  switch (model) {
    case 'izhikevich':
    case 'izhikevich-2003':
      return { x: 'v', y: 'u', input: ['iExt'], resets: true };
    case 'hh':
      return { x: 'v', y: 'n', input: ['iExt'], resets: false };
    case 'lif':
      return { x: 'v', y: null, input: ['iExt'], resets: true };
    case 'lif-network':
      return { x: 'v', y: null, input: ['iExt', 'iSyn'], resets: true };
  }
}

/** The paper's constants of the 2003 network, and its neuron parameters drawn as the kernel draws them. */
const IZHIKEVICH_2003_CONSTANTS = { k2: 0.04, k1: 5, k0: 140, uVOffset: 0, uLeak: 1, vPeak: 30 };

/**
 * a, b, c, d of neuron `index` of an izhikevich-2003 network: r_i ~ U(0, 1) is the (i+1)-th
 * draw of Random(seed), as in the kernel's build (neuron order, before the weights); the
 * formulas are the paper's (tests check them against the kernel's own arrays).
 */
export function izhikevich2003Neuron(seed: number, neurons: number, excitatoryFraction: number, index: number): { a: number; b: number; c: number; d: number } {
  if (!Number.isInteger(index) || index < 0 || index >= neurons) throw new InputError('neuron', index, `a neuron index from 0 to ${neurons - 1}`);
  const random = new Random(seed);
  let r = 0;
  for (let i = 0; i <= index; i++) r = random.uniform();
  if (index < Math.round(excitatoryFraction * neurons)) return { a: 0.02, b: 0.2, c: -65 + 15 * r * r, d: 8 - 6 * r * r };
  return { a: 0.02 + 0.08 * r, b: 0.25 - 0.05 * r, c: -65, d: 2 };
}

/**
 * The phase plane of `model` with these parameters at input current `input`. For
 * izhikevich-2003 the parameters must include the neuron's a, b, c, d (izhikevich2003Neuron).
 *
 * @example
 * ```ts
 * const plane = phasePlane('izhikevich', builtinScene('izhikevich/A')!.params, 0);
 * plane.fixedPoints.map((f) => f.kind); // ['stable node', 'saddle']
 * ```
 */
export function phasePlane(model: ModelId, params: Readonly<Record<string, number>>, input: number, options: PlaneOptions = {}): PhasePlane {
  if (typeof input !== 'number' || !Number.isFinite(input)) throw new InputError('input', input, 'a finite number (the input current)');
  const samples = Math.max(2, Math.min(10_000, Math.round(options.samples ?? 200)));
  switch (model) {
    case 'izhikevich':
      return izhikevichPlane(model, izhikevichConstants(params), input, options.range, samples);
    case 'izhikevich-2003': {
      for (const name of ['a', 'b', 'c', 'd']) {
        if (typeof params[name] !== 'number') throw new InputError(`params.${name}`, params[name], "the neuron's own value (izhikevich2003Neuron gives a, b, c, d)");
      }
      return izhikevichPlane(model, { ...IZHIKEVICH_2003_CONSTANTS, a: params.a!, b: params.b!, c: params.c!, d: params.d! }, input, options.range, samples);
    }
    case 'hh':
      return hhPlane(params as Partial<HhPlaneParams>, input, options.range, samples);
    case 'lif':
    case 'lif-network':
      return lifPlane(model, { ...LIF_DEFAULTS, ...(params as Partial<LifPlaneParams>) }, input, options.range, samples);
  }
}

/**
 * The state values that put a neuron at (x, y) of its plane, for a set-state event: Izhikevich
 * v and u; HH V and n, with m = m∞(V) and h = 0.89 − 1.1·n (the reduction's, clamped to [0, 1]);
 * LIF V (its dV/dt follows from V and the input).
 */
export function planeState(model: ModelId, x: number, y: number): Record<string, number> {
  switch (model) {
    case 'izhikevich':
    case 'izhikevich-2003':
      return { v: x, u: y };
    case 'hh': {
      const n = Math.min(1, Math.max(0, y));
      return { v: x, m: mInf(x), h: Math.min(1, Math.max(0, HH_REDUCTION.h0 - HH_REDUCTION.h1 * n)), n };
    }
    case 'lif':
    case 'lif-network':
      return { v: x };
  }
}

// ── Classification ─────────────────────────────────────────────────────────────────────────

/** Kind and eigenvalues of a fixed point from its 2×2 Jacobian [[j11, j12], [j21, j22]]. */
export function classify(j11: number, j12: number, j21: number, j22: number): { kind: FixedPointKind; eigenvalues: { re: number; im: number }[] } {
  const trace = j11 + j22;
  const det = j11 * j22 - j12 * j21;
  const disc = trace * trace - 4 * det;
  if (disc >= 0) {
    const root = Math.sqrt(disc);
    // Without cancellation: the larger-magnitude root first, the other from the product det.
    const big = trace >= 0 ? (trace + root) / 2 : (trace - root) / 2;
    const small = big === 0 ? 0 : det / big;
    const eigenvalues = [big, small].sort((p, q) => p - q).map((re) => ({ re, im: 0 }));
    const kind: FixedPointKind = det < 0 ? 'saddle' : det === 0 || trace === 0 ? 'non-hyperbolic' : trace < 0 ? 'stable node' : 'unstable node';
    return { kind, eigenvalues };
  }
  const re = trace / 2;
  const im = Math.sqrt(-disc) / 2;
  return { kind: re === 0 ? 'non-hyperbolic' : re < 0 ? 'stable focus' : 'unstable focus', eigenvalues: [{ re, im: -im }, { re, im }] };
}

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

function izhikevichConstants(p: Readonly<Record<string, number>>): IzhikevichConstants {
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

function izhikevichPlane(model: ModelId, p: IzhikevichConstants, input: number, given: PlaneRange | undefined, samples: number): PhasePlane {
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

// ── Hodgkin–Huxley, reduced to (V, n) ───────────────────────────────────────────────────────

interface HhPlaneParams {
  gNa: number;
  gK: number;
  gL: number;
  eNa: number;
  eK: number;
  eL: number;
  cm: number;
  vSpikeThreshold: number;
}

const HH_DEFAULTS: HhPlaneParams = { gNa: 120, gK: 36, gL: 0.3, eNa: 115, eK: -12, eL: 10.6, cm: 1, vSpikeThreshold: 50 };

function hhParams(p: Partial<HhPlaneParams>): HhPlaneParams {
  return { ...HH_DEFAULTS, ...p };
}

const rates = new Float64Array(6);

export function mInf(v: number): number {
  hhRates(v, rates);
  return rates[0]! / (rates[0]! + rates[1]!);
}

export function nInf(v: number): number {
  hhRates(v, rates);
  return rates[4]! / (rates[4]! + rates[5]!);
}

export function hInf(v: number): number {
  hhRates(v, rates);
  return rates[2]! / (rates[2]! + rates[3]!);
}

/** V′ and n′ of the reduced HH model (the kernel's equations with m = m∞(V), h = 0.89 − 1.1·n). */
export function hhReducedRhs(given: Partial<HhPlaneParams>, v: number, n: number, input: number): [number, number] {
  const p = hhParams(given);
  hhRates(v, rates);
  const m = rates[0]! / (rates[0]! + rates[1]!);
  const an = rates[4]!;
  const bn = rates[5]!;
  const h = HH_REDUCTION.h0 - HH_REDUCTION.h1 * n;
  const n2 = n * n;
  const ionic = p.gNa * m * m * m * h * (v - p.eNa) + p.gK * n2 * n2 * (v - p.eK) + p.gL * (v - p.eL);
  return [(input - ionic) / p.cm, an * (1 - n) - bn * n];
}

/** V′ on the n-nullcline n = n∞(V): the reduced model's fixed points are its zeros. */
function hhOnNNullcline(p: HhPlaneParams, v: number, input: number): number {
  return hhReducedRhs(p, v, nInf(v), input)[0];
}

/** Zeros of f on [lo, hi]: a scan in steps of `step`, then bisection to adjacent doubles. */
function zeros(f: (x: number) => number, lo: number, hi: number, step: number): number[] {
  const found: number[] = [];
  let x0 = lo;
  let f0 = f(x0);
  for (let x1 = lo + step; x0 < hi; x1 = Math.min(hi, x1 + step)) {
    const f1 = f(x1);
    if (f0 === 0) found.push(x0);
    else if (f0 * f1 < 0) found.push(bisect(f, x0, x1, f0));
    x0 = x1;
    f0 = f1;
    if (x1 === hi) {
      if (f1 === 0) found.push(x1);
      break;
    }
  }
  return found;
}

function bisect(f: (x: number) => number, a: number, b: number, fa: number): number {
  for (let i = 0; i < 200; i++) {
    const mid = a + (b - a) / 2;
    if (mid === a || mid === b) break;
    const fm = f(mid);
    if (fm === 0) return mid;
    if (fa * fm < 0) b = mid;
    else {
      a = mid;
      fa = fm;
    }
  }
  return Math.abs(f(a)) <= Math.abs(f(b)) ? a : b;
}

/** Central-difference Jacobian of a 2-D right-hand side at (x, y). */
export function numericJacobian(rhs: (x: number, y: number) => [number, number], x: number, y: number, hx: number, hy: number): [number, number, number, number] {
  const [fxp, gxp] = rhs(x + hx, y);
  const [fxm, gxm] = rhs(x - hx, y);
  const [fyp, gyp] = rhs(x, y + hy);
  const [fym, gym] = rhs(x, y - hy);
  return [(fxp - fxm) / (2 * hx), (fyp - fym) / (2 * hy), (gxp - gxm) / (2 * hx), (gyp - gym) / (2 * hy)];
}

function hhPlane(given: Partial<HhPlaneParams>, input: number, range: PlaneRange | undefined, samples: number): PhasePlane {
  const p = hhParams(given);
  const rhs = (v: number, n: number): [number, number] => hhReducedRhs(p, v, n, input);
  const fixedPoints = zeros((v) => hhOnNNullcline(p, v, input), -100, 200, 0.25).map((v): FixedPoint => {
    const n = nInf(v);
    const [j11, j12, j21, j22] = numericJacobian(rhs, v, n, 1e-5, 1e-7);
    return { x: v, y: n, ...classify(j11, j12, j21, j22) };
  });
  const plane = range ?? { x: [Math.min(-20, ...fixedPoints.map((f) => f.x - 5)), Math.max(120, ...fixedPoints.map((f) => f.x + 5))] as [number, number], y: [0, 1] as [number, number] };
  const [x0, x1] = plane.x;
  const nNull: number[] = [];
  const vNull: number[] = [];
  let branches = 0;
  for (let k = 0; k < samples; k++) {
    const v = x0 + ((x1 - x0) * k) / (samples - 1);
    nNull.push(v, nInf(v));
    // V′ = 0 for given V: c4·n⁴ + c1·n + c0 = 0 on n ∈ [0, 1] (h = 0.89 − 1.1·n is linear in n).
    const m = mInf(v);
    const gNa = p.gNa * m * m * m * (v - p.eNa);
    const c4 = -p.gK * (v - p.eK);
    const c1 = HH_REDUCTION.h1 * gNa;
    const c0 = input - HH_REDUCTION.h0 * gNa - p.gL * (v - p.eL);
    const roots = zeros((n) => ((c4 * n * n) * (n * n) + c1 * n + c0), 0, 1, 1 / 32);
    // One root per column continues a branch; none or several break it (outside (EK, ENa) the
    // quartic can have two roots in [0, 1]: the lower is drawn, the branch marked broken).
    if (roots.length === 0) {
      if (branches > 0) vNull.push(NaN, NaN);
      branches = 0;
    } else {
      vNull.push(v, roots[0]!);
      branches++;
    }
  }
  return {
    model: 'hh',
    x: { name: 'V', unit: 'mV' },
    y: { name: 'n', unit: '' },
    input,
    nullclines: [
      { name: 'V′ = 0', points: vNull },
      { name: 'n′ = 0', points: nNull },
    ],
    fixedPoints,
    lines: [{ name: 'spike threshold', axis: 'x', value: p.vSpikeThreshold }],
    range: plane,
    reduction: HH_REDUCTION.text,
  };
}

/**
 * How far a full HH state departs from the reduction: m − m∞(V) and h − (0.89 − 1.1·n). The
 * tests run the full model and report the largest and RMS departures over an orbit.
 */
export function hhReductionError(v: number, m: number, h: number, n: number): { m: number; h: number } {
  return { m: m - mInf(v), h: h - (HH_REDUCTION.h0 - HH_REDUCTION.h1 * n) };
}

/** The full 4-variable HH model's resting potential(s) at `input`: zeros of V′ with every gate at its steady state. */
export function hhFullFixedVs(given: Partial<HhPlaneParams>, input: number): number[] {
  const p = hhParams(given);
  return zeros(
    (v) => {
      const m = alm(v) / (alm(v) + bem(v));
      const h = alh(v) / (alh(v) + beh(v));
      const n = aln(v) / (aln(v) + ben(v));
      const n2 = n * n;
      return input - (p.gNa * m * m * m * h * (v - p.eNa) + p.gK * n2 * n2 * (v - p.eK) + p.gL * (v - p.eL));
    },
    -100,
    200,
    0.25,
  );
}

// ── LIF: V against dV/dt ────────────────────────────────────────────────────────────────────

interface LifPlaneParams {
  rm: number;
  cm: number;
  vThreshold: number;
  vReset: number;
}

const LIF_DEFAULTS: LifPlaneParams = { rm: 1, cm: 10, vThreshold: 1, vReset: 0 };

/** dV/dt of the LIF neuron (V/ms). */
export function lifSlope(p: { rm: number; cm: number }, v: number, input: number): number {
  return (-v + input * p.rm) / (p.rm * p.cm);
}

function lifPlane(model: ModelId, p: LifPlaneParams, input: number, range: PlaneRange | undefined, samples: number): PhasePlane {
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
