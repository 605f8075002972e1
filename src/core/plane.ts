/**
 * The parts of a phase plane every model shares: the plane's types, the classification of fixed
 * points from a 2×2 Jacobian, and root finding. Each model file supplies its own plane (its
 * `plane` field, a PlaneDefinition); src/core/phase-plane.ts picks it by model id.
 */
import type { ModelId } from './models/index.ts';

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


/** Which probes of a model give the plane's x and y, and whether y is V′ computed from V and the input (LIF). */
export interface PlaneProbes {
  x: string;
  y: string | null;
  /** Probes whose sum is the input the nullclines move with. */
  input: string[];
  /** Whether a spike resets the state (the trajectory's jump is drawn dashed). */
  resets: boolean;
}

/**
 * A model's phase plane, supplied by its model file: which probes give x and y, the plane at given
 * parameters and input, and the state that puts a neuron at a point of it (a click).
 */
export interface PlaneDefinition {
  readonly probes: PlaneProbes;
  compute(model: ModelId, params: Readonly<Record<string, number>>, input: number, range: PlaneRange | undefined, samples: number): PhasePlane;
  state(x: number, y: number): Record<string, number>;
  /**
   * Networks whose neurons differ: the parameters one neuron's plane is drawn with, beyond the
   * run's (as the kernel draws them from the seed). `dependsOn` names the run parameters they
   * follow, so that a caller recomputes them only when one of those, the seed, the size or the
   * neuron changes.
   */
  readonly neuronParams?: {
    readonly dependsOn: readonly string[];
    of(seed: number, neurons: number, params: Readonly<Record<string, number>>, neuron: number): Record<string, number>;
  };
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


/** Zeros of f on [lo, hi]: a scan in steps of `step`, then bisection to adjacent doubles. */
export function zeros(f: (x: number) => number, lo: number, hi: number, step: number): number[] {
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

export function bisect(f: (x: number) => number, a: number, b: number, fa: number): number {
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
