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
import { models, type ModelId } from './models/index.ts';
import type { PhasePlane, PlaneOptions, PlaneProbes } from './plane.ts';
import { InputError } from './schema.ts';

export type { FixedPoint, FixedPointKind, Nullcline, PhasePlane, PlaneAxis, PlaneDefinition, PlaneLine, PlaneOptions, PlaneProbes, PlaneRange } from './plane.ts';
export { classify, numericJacobian } from './plane.ts';
export { HH_REDUCTION, hhFullFixedVs, hhReducedRhs, hhReductionError, hInf, mInf, nInf } from './models/hh.ts';
export { izhikevichRhs, izhikevichSaddleNodeInput, type IzhikevichConstants } from './models/izhikevich.ts';
export { izhikevich2003Neuron } from './models/izhikevich-2003.ts';
export { lifSlope } from './models/lif.ts';

/**
 * The phase plane of `model` with these parameters at input current `input`, as the model's own
 * file defines it (its `plane`). For izhikevich-2003 the parameters must include the neuron's
 * a, b, c, d (izhikevich2003Neuron).
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
  return models[model].plane.compute(model, params, input, options.range, samples);
}

/** Which probes of a model give the plane's x and y, and the input the nullclines move with. */
export function planeProbes(model: ModelId): PlaneProbes {
  return models[model].plane.probes;
}

/**
 * The state values that put a neuron at (x, y) of its plane, for a set-state event: Izhikevich
 * v and u; HH V and n, with m = m∞(V) and h = 0.89 − 1.1·n (the reduction's, clamped to [0, 1]);
 * LIF V (its dV/dt follows from V and the input).
 */
export function planeState(model: ModelId, x: number, y: number): Record<string, number> {
  return models[model].plane.state(x, y);
}
