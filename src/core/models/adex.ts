/**
 * The adaptive exponential integrate-and-fire neuron, AdEx (Brette & Gerstner 2005):
 *
 *   C·dV/dt = −gL·(V − EL) + gL·ΔT·exp((V − VT)/ΔT) − w + I
 *   τw·dw/dt = a·(V − EL) − w
 *   V ≥ vPeak  →  spike; V ← vReset, w ← w + b
 *
 * Units: C in pF, gL and a in nS, potentials in mV, w, b and the input I in pA, τw in ms
 * (nS·mV = pA and pA/pF = mV/ms, so t is in ms). A neuron starts at V = EL, w = 0.
 *
 * References: R. Brette & W. Gerstner, J Neurophysiol 94:3637 (2005) (the defaults: their
 * regular-spiking cell, vPeak 0 mV); R. Naud, N. Marcille, C. Clopath & W. Gerstner, Biol Cybern
 * 99:335 (2008), Table 1: the eight firing patterns, each a scene `adex/<pattern>` with the
 * table's parameters and step current (from t = 0, the neuron at rest).
 *
 * Numerics. The exponential makes the upstroke stiff: between VT and vPeak = 0 mV the rate of V
 * grows by e every ΔT = 2 mV, to ~10⁹ mV/ms at the peak, so no fixed step resolves it. Each step
 * of dt is integrated by Dormand–Prince 5(4) sub-steps with error control (sub-steps of dt/2^k,
 * halved while the embedded error estimate exceeds ADEX_TOLERANCE, doubled again once it is far
 * below): far from threshold one sub-step of dt, on the upstroke as small as needed. A sub-step
 * that ends at or above vPeak is cut where V = vPeak: its length h* is found by regula falsi
 * (Illinois) on Dormand–Prince steps from the sub-step's start, so the spike time is the interpolated crossing
 * t₀ + h* (not the end of the step); the reset happens there and the rest of the step is
 * integrated from (vReset, w + b). Above vPeak the right-hand side holds V at vPeak inside the
 * exponential (as NEST's aeif models do): it never matters to a crossing found within the
 * tolerance, and keeps every value finite. All arithmetic is IEEE-exact or deterministic-math's
 * exp, so the bits are the same in Node and every browser. tests/adex.test.ts compares the spike
 * times of the eight patterns with scipy's solve_ivp (tools/adex_reference.py, rtol = atol =
 * 1e-10): within 0.05 ms at dt = 0.01 ms over 500 ms.
 *
 * Guards: a neuron spikes at most MAX_SPIKES_PER_STEP (4) times in one step (then it is held at
 * vReset for the rest of it), and a neuron whose V starts a step at or above vPeak (vReset ≥
 * vPeak) spikes at the start of the step: a pathological parameter set fires once per step
 * instead of looping; a step that needs more than MAX_EVALUATIONS_PER_STEP evaluations is
 * refused (exit 2) instead of crawling at the smallest sub-step.
 */
import { ArrayKernel, DivergenceError, type KernelConfig, type ModelDefinition, type SpikeBuffer } from '../kernel.ts';
import { exp } from '../numerics/deterministic-math.ts';
import { classify, zeros, type FixedPoint, type PhasePlane, type PlaneRange } from '../plane.ts';
import type { ParamSchema, ParamValues } from '../schema.ts';

export const adexParams = [
  { name: 'cm', label: 'membrane capacitance', unit: 'pF', default: 281, min: 1, max: 100_000, typical: [50, 500], precision: 0, doc: 'C: the larger, the slower V moves' },
  { name: 'gL', label: 'leak conductance', unit: 'nS', default: 30, min: 0, max: 10_000, typical: [1, 50], precision: 1, doc: 'gL: pulls V back to EL (τm = C/gL)' },
  { name: 'eL', label: 'leak reversal', unit: 'mV', default: -70.6, min: -200, max: 100, typical: [-90, -40], precision: 1, doc: 'EL: the resting potential without input or adaptation' },
  { name: 'vT', label: 'threshold slope point', unit: 'mV', default: -50.4, min: -200, max: 100, typical: [-70, -30], precision: 1, doc: 'VT: where the exponential upstroke takes over' },
  { name: 'deltaT', label: 'slope factor', unit: 'mV', default: 2, min: 0.2, max: 50, typical: [0.5, 10], precision: 2, doc: 'ΔT: sharpness of the spike initiation (small ΔT, a sharp threshold)' },
  { name: 'tauW', label: 'adaptation time constant', unit: 'ms', default: 144, min: 0.1, max: 100_000, typical: [10, 500], precision: 0, doc: 'τw: how slowly the adaptation current w decays' },
  { name: 'a', label: 'subthreshold adaptation', unit: 'nS', default: 4, min: -1000, max: 1000, typical: [-15, 15], precision: 1, doc: 'a: how strongly w follows V below threshold (negative: delayed firing)' },
  { name: 'b', label: 'spike-triggered adaptation', unit: 'pA', default: 80.5, min: -10_000, max: 10_000, typical: [0, 200], precision: 1, doc: 'b: added to w at each spike (larger b, stronger adaptation)' },
  { name: 'vReset', label: 'reset potential', unit: 'mV', default: -70.6, min: -200, max: 100, typical: [-80, -40], precision: 1, doc: 'V after a spike: high vReset, bursts' },
  { name: 'vPeak', label: 'spike cut-off', unit: 'mV', default: 0, min: -100, max: 100, typical: [-30, 20], precision: 1, doc: 'V ≥ vPeak is a spike and resets V and w' },
] as const satisfies ParamSchema;
export type AdexParams = ParamValues<typeof adexParams>;

/** Largest error estimate a sub-step may have, in mV for V and pA for w (absolute). */
export const ADEX_TOLERANCE = 1e-9;
/** Smallest sub-step, as a fraction of dt: 2⁻⁴⁸ (a sub-step that small is accepted whatever its error). */
const MIN_SUBSTEP = 1 / 281474976710656;
/** Most iterations that locate a crossing of vPeak inside a sub-step (regula falsi, Illinois; a few suffice). */
const CROSSING_ITERATIONS = 60;
/** The crossing's sub-step length is resolved to this fraction of dt (1e-14 ms at dt = 0.01 ms). */
const CROSSING_RESOLUTION = 1e-12;
const MAX_SPIKES_PER_STEP = 4;
/**
 * Most Dormand–Prince evaluations for one neuron in one step. The eight patterns need at most ~450
 * (a spike's halvings and its crossing); a parameter set whose error estimate cannot reach the
 * tolerance (huge w, whose spacing of doubles exceeds it, or a tiny ΔT) would otherwise crawl at
 * the smallest sub-step for 2⁴⁸ sub-steps: it is refused instead.
 */
const MAX_EVALUATIONS_PER_STEP = 5000;
/**
 * Largest argument of the exponential: exp(300) ≈ 2e130 keeps every stage finite whatever the
 * parameters. It binds only where (V − VT)/ΔT > 300, i.e. V − VT > 600 mV at ΔT = 2 mV: with
 * vPeak ≤ 100 and VT ≥ −200 mV only for ΔT < 1 mV, where the upstroke is instantaneous anyway.
 */
const EXP_CAP = 300;

// Dormand–Prince 5(4): the nodes' weights, the 5th-order solution's and the error estimate's (5th − 4th).
const A21 = 1 / 5;
const A31 = 3 / 40, A32 = 9 / 40;
const A41 = 44 / 45, A42 = -56 / 15, A43 = 32 / 9;
const A51 = 19372 / 6561, A52 = -25360 / 2187, A53 = 64448 / 6561, A54 = -212 / 729;
const A61 = 9017 / 3168, A62 = -355 / 33, A63 = 46732 / 5247, A64 = 49 / 176, A65 = -5103 / 18656;
const B1 = 35 / 384, B3 = 500 / 1113, B4 = 125 / 192, B5 = -2187 / 6784, B6 = 11 / 84;
const E1 = 71 / 57600, E3 = -71 / 16695, E4 = 71 / 1920, E5 = -17253 / 339200, E6 = 22 / 525, E7 = -1 / 40;

export class AdexKernel extends ArrayKernel<AdexParams> {
  readonly v: Float64Array;
  readonly w: Float64Array;
  private readonly spiked: Uint8Array;
  /** The last Dormand–Prince step's results: V, w and the error estimate (no allocation per step). */
  private outV = 0;
  private outW = 0;
  private outErr = 0;

  constructor(config: KernelConfig) {
    const v = new Float64Array(config.size).fill(config.params.eL!);
    const w = new Float64Array(config.size);
    const spiked = new Uint8Array(config.size);
    super(config, { v, w, spiked });
    this.v = v;
    this.w = w;
    this.spiked = spiked;
  }

  /** dV/dt (mV/ms) with V held at vPeak inside the exponential. */
  private dv(v: number, w: number, input: number): number {
    const p = this.params;
    const x = ((v < p.vPeak ? v : p.vPeak) - p.vT) / p.deltaT;
    return (-p.gL * (v - p.eL) + p.gL * p.deltaT * exp(x < EXP_CAP ? x : EXP_CAP) - w + input) / p.cm;
  }

  /** One Dormand–Prince 5(4) step of length h from (v, w): sets outV, outW and outErr (the scaled error estimate). */
  /** Dormand–Prince evaluations for the current neuron in the current step. */
  private evaluations = 0;

  private dopri(v: number, w: number, input: number, h: number): void {
    this.evaluations++;
    const p = this.params;
    const a = p.a;
    const eL = p.eL;
    const tauW = p.tauW;
    const k1v = this.dv(v, w, input);
    const k1w = (a * (v - eL) - w) / tauW;
    let sv = v + h * (A21 * k1v);
    let sw = w + h * (A21 * k1w);
    const k2v = this.dv(sv, sw, input);
    const k2w = (a * (sv - eL) - sw) / tauW;
    sv = v + h * (A31 * k1v + A32 * k2v);
    sw = w + h * (A31 * k1w + A32 * k2w);
    const k3v = this.dv(sv, sw, input);
    const k3w = (a * (sv - eL) - sw) / tauW;
    sv = v + h * (A41 * k1v + A42 * k2v + A43 * k3v);
    sw = w + h * (A41 * k1w + A42 * k2w + A43 * k3w);
    const k4v = this.dv(sv, sw, input);
    const k4w = (a * (sv - eL) - sw) / tauW;
    sv = v + h * (A51 * k1v + A52 * k2v + A53 * k3v + A54 * k4v);
    sw = w + h * (A51 * k1w + A52 * k2w + A53 * k3w + A54 * k4w);
    const k5v = this.dv(sv, sw, input);
    const k5w = (a * (sv - eL) - sw) / tauW;
    sv = v + h * (A61 * k1v + A62 * k2v + A63 * k3v + A64 * k4v + A65 * k5v);
    sw = w + h * (A61 * k1w + A62 * k2w + A63 * k3w + A64 * k4w + A65 * k5w);
    const k6v = this.dv(sv, sw, input);
    const k6w = (a * (sv - eL) - sw) / tauW;
    const nv = v + h * (B1 * k1v + B3 * k3v + B4 * k4v + B5 * k5v + B6 * k6v);
    const nw = w + h * (B1 * k1w + B3 * k3w + B4 * k4w + B5 * k5w + B6 * k6w);
    const k7v = this.dv(nv, nw, input);
    const k7w = (a * (nv - eL) - nw) / tauW;
    const ev = h * (E1 * k1v + E3 * k3v + E4 * k4v + E5 * k5v + E6 * k6v + E7 * k7v);
    const ew = h * (E1 * k1w + E3 * k3w + E4 * k4w + E5 * k5w + E6 * k6w + E7 * k7w);
    this.outV = nv;
    this.outW = nw;
    const errV = ev < 0 ? -ev : ev;
    const errW = ew < 0 ? -ew : ew;
    // NaN compares false: a non-finite estimate counts as too large.
    this.outErr = errV <= errW ? (errW === errW ? errW : Infinity) : errV === errV ? errV : Infinity;
  }

  step(step: number, spikes: SpikeBuffer): void {
    const { v, w, spiked, inputCurrent, dtMs: dt } = this;
    const { vPeak, vReset, b } = this.params;
    const minH = dt * MIN_SUBSTEP;
    const startMs = step * dt;
    for (let i = 0; i < v.length; i++) {
      const input = inputCurrent[i]!;
      let vi = v[i]!;
      let wi = w[i]!;
      let fired = 0;
      this.evaluations = 0;
      let t = 0; // time into the step (ms)
      let h = dt;
      if (vi >= vPeak) {
        // Reset above the cut-off (vReset ≥ vPeak, or a state set there): a spike at the start of the step.
        spikes.push(step, i, startMs);
        fired++;
        vi = vReset;
        wi += b;
      }
      while (t < dt) {
        if (fired >= MAX_SPIKES_PER_STEP || vi >= vPeak) break; // held at vReset (or above vPeak) for the rest of the step
        if (this.evaluations > MAX_EVALUATIONS_PER_STEP) throw new StiffnessError(i, step, startMs + t, vi, wi);
        const left = dt - t;
        const hTry = h < left ? h : left;
        this.dopri(vi, wi, input, hTry);
        if (this.outErr > ADEX_TOLERANCE && hTry > minH) {
          h = hTry / 2;
          continue;
        }
        if (!(this.outV - this.outV === 0 && this.outW - this.outW === 0) && !(this.outV === Infinity)) {
          throw new DivergenceError(this.outV - this.outV === 0 ? 'w' : 'v', i, step, startMs + t + hTry, this.outV - this.outV === 0 ? this.outW : this.outV);
        }
        if (this.outV >= vPeak) {
          // The crossing: the sub-step length h* with V(t + h*) = vPeak, by regula falsi (Illinois) on
          // [0, hTry], each value a Dormand–Prince step from the sub-step's start; V(0) < vPeak ≤ V(hTry).
          let lo = 0;
          let hi = hTry;
          let fLo = vi - vPeak;
          let fHi = this.outV - vPeak;
          let side = 0;
          const resolution = dt * CROSSING_RESOLUTION;
          for (let k = 0; k < CROSSING_ITERATIONS && hi - lo > resolution; k++) {
            // The secant's point, or the midpoint when the secant is degenerate (an infinite or flat end).
            let mid = fHi < Infinity ? lo + ((hi - lo) * -fLo) / (fHi - fLo) : lo + (hi - lo) / 2;
            if (!(mid > lo && mid < hi)) mid = lo + (hi - lo) / 2;
            if (mid === lo || mid === hi) break;
            this.dopri(vi, wi, input, mid);
            const f = this.outV - vPeak;
            if (f >= 0) {
              hi = mid;
              fHi = f;
              if (side === 1) fLo /= 2;
              side = 1;
            } else {
              lo = mid;
              fLo = f;
              if (side === -1) fHi /= 2;
              side = -1;
            }
          }
          this.dopri(vi, wi, input, hi);
          t += hi;
          spikes.push(step, i, startMs + t);
          fired++;
          vi = vReset;
          wi = this.outW + b;
          h = dt;
          continue;
        }
        vi = this.outV;
        wi = this.outW;
        t += hTry;
        // Far below the tolerance: try twice the sub-step (never more than dt).
        if (this.outErr < ADEX_TOLERANCE / 64 && h < dt) h *= 2;
      }
      if (!(vi - vi === 0 && wi - wi === 0)) throw new DivergenceError(vi - vi === 0 ? 'w' : 'v', i, step, startMs + dt, vi - vi === 0 ? wi : vi);
      v[i] = vi;
      w[i] = wi;
      spiked[i] = fired > 0 ? 1 : 0;
    }
  }

  probe(probe: number, neuron: number): number {
    if (probe === 1) return this.w[neuron]!;
    return this.spiked[neuron] ? this.params.vPeak : this.v[neuron]!;
  }
}

/** A step that needs more sub-steps than MAX_EVALUATIONS_PER_STEP: bad input (exit 2), as a divergence is. */
class StiffnessError extends DivergenceError {
  constructor(neuron: number, step: number, timeMs: number, v: number, w: number) {
    super('v', neuron, step, timeMs, v);
    this.message = `AdEx neuron ${neuron} needs more than ${MAX_EVALUATIONS_PER_STEP} sub-step evaluations in step ${step} (t = ${timeMs} ms, V = ${v} mV, w = ${w} pA): the parameters make the equations too stiff to integrate; try gentler parameters (a larger deltaT, smaller currents or a, b)`;
  }
}

// ── The eight firing patterns of Naud et al. (2008), Table 1 ────────────────────────────────

/** Table 1 of Naud et al. (2008): C (pF), gL (nS), EL, VT, ΔT (mV), a (nS), τw (ms), b (pA), Vr (mV), and the step current I (pA). */
const NAUD_2008 = [
  ['tonic', 'tonic spiking', '4a', 200, 10, -70, -50, 2, 2, 30, 0, -58, 500],
  ['adapting', 'adapting', '4b', 200, 12, -70, -50, 2, 2, 300, 60, -58, 500],
  ['initial-burst', 'initial burst', '4c', 130, 18, -58, -50, 2, 4, 150, 120, -50, 400],
  ['regular-bursting', 'regular bursting', '4d', 200, 10, -58, -50, 2, 2, 120, 100, -46, 210],
  ['delayed-accelerating', 'delayed accelerating', '4e', 200, 12, -70, -50, 2, -10, 300, 0, -58, 300],
  ['delayed-regular-bursting', 'delayed regular bursting', '4f', 100, 10, -65, -50, 2, -10, 90, 30, -47, 110],
  ['transient', 'transient spiking', '4g', 100, 10, -65, -50, 2, 10, 90, 100, -47, 180],
  ['irregular', 'irregular spiking', '4h', 100, 12, -60, -50, 2, -11, 130, 30, -48, 160],
] as const;

// ── Phase plane: V against w ────────────────────────────────────────────────────────────────

/** The V-nullcline: w = −gL(V − EL) + gL·ΔT·exp((V − VT)/ΔT) + I. */
export function adexVNullcline(p: AdexParams, v: number, input: number): number {
  return -p.gL * (v - p.eL) + p.gL * p.deltaT * exp((v - p.vT) / p.deltaT) + input;
}

/**
 * The V–w plane: V-nullcline w = −gL(V − EL) + gL·ΔT·exp((V − VT)/ΔT) + I, w-nullcline
 * w = a(V − EL); fixed points where they cross (the zeros of their difference, which is convex
 * in V: none, one or two), kinds from the Jacobian [[(gL·exp((V − VT)/ΔT) − gL)/C, −1/C],
 * [a/τw, −1/τw]]; the lines of vPeak and the reset.
 */
export function adexPlane(given: Readonly<Record<string, number>>, input: number, range: PlaneRange | undefined, samples: number): PhasePlane {
  const p = { ...Object.fromEntries(adexParams.map((s) => [s.name, s.default])), ...given } as AdexParams;
  const lo = Math.min(p.eL, p.vReset, p.vT) - 40;
  const fixedVs = zeros((v) => adexVNullcline(p, v, input) - p.a * (v - p.eL), lo, Math.max(p.vPeak, lo + 1), 0.05);
  const fixedPoints = fixedVs.map((v): FixedPoint => {
    const slope = p.gL * exp((v - p.vT) / p.deltaT) - p.gL;
    return { x: v, y: p.a * (v - p.eL), ...classify(slope / p.cm, -1 / p.cm, p.a / p.tauW, -1 / p.tauW) };
  });
  const x: [number, number] = range?.x ?? [Math.min(p.eL, p.vReset, ...fixedVs) - 10, Math.max(p.vPeak, p.vT) + 5];
  // w around the V-nullcline's minimum (its knee, at V = VT when it lies in the plane), the w-nullcline and the fixed points.
  const knee = Math.min(Math.max(p.vT, x[0]), x[1]);
  const ys = [adexVNullcline(p, knee, input), p.a * (x[0] - p.eL), p.a * (x[1] - p.eL), 0, ...fixedPoints.map((f) => f.y)];
  const yLo = Math.min(...ys);
  const yHi = Math.max(...ys, yLo + 2 * Math.max(Math.abs(p.b), 50));
  const pad = (yHi - yLo) * 0.15;
  const plane: PlaneRange = range ?? { x, y: [yLo - pad, yHi + pad] };
  const span = plane.y[1] - plane.y[0];
  const vNull: number[] = [];
  const wNull: number[] = [];
  let inside = false;
  for (let k = 0; k < samples; k++) {
    const v = plane.x[0] + ((plane.x[1] - plane.x[0]) * k) / (samples - 1);
    wNull.push(v, p.a * (v - p.eL));
    // The exponential leaves the plane fast: points beyond a span above or below break the branch (no huge coordinates to draw).
    const y = adexVNullcline(p, v, input);
    if (y > plane.y[0] - span && y < plane.y[1] + span) {
      vNull.push(v, y);
      inside = true;
    } else if (inside) {
      vNull.push(NaN, NaN);
      inside = false;
    }
  }
  return {
    model: 'adex',
    x: { name: 'V', unit: 'mV' },
    y: { name: 'w', unit: 'pA' },
    input,
    nullclines: [
      { name: 'V′ = 0', points: vNull },
      { name: 'w′ = 0', points: wNull },
    ],
    fixedPoints,
    lines: [
      { name: 'vPeak', axis: 'x', value: p.vPeak },
      { name: 'vReset', axis: 'x', value: p.vReset },
    ],
    range: plane,
  };
}

export const adex: ModelDefinition = {
  id: 'adex',
  title: 'AdEx (adaptive exponential integrate-and-fire)',
  summary:
    'C dV/dt = −gL(V − EL) + gL·ΔT·exp((V − VT)/ΔT) − w + I, τw dw/dt = a(V − EL) − w; V ≥ vPeak → V = vReset, w = w + b ' +
    '(Brette & Gerstner 2005; the 8 firing patterns of Naud et al. 2008, Table 1). Dormand–Prince 5(4) sub-steps with error control, the spike at the interpolated crossing of vPeak',
  params: adexParams,
  choices: [],
  probes: [
    { name: 'v', unit: 'mV', doc: 'membrane potential (spike steps show vPeak)', range: [-80, 10] },
    { name: 'w', unit: 'pA', doc: 'adaptation current (after the reset on spike steps)', range: [-50, 200] },
  ],
  inputUnit: 'pA',
  inputTypical: [-200, 1000],
  // Measured against the LIF (1000 neurons, one run): ~110× at rest, ~190× firing at 100 Hz: 7 exp per
  // sub-step, and hundreds of sub-steps on each upstroke.
  work: 150,
  settableState: [
    { name: 'v', unit: 'mV', default: -70, min: -1000, max: 1000, doc: 'membrane potential' },
    { name: 'w', unit: 'pA', default: 0, min: -1e6, max: 1e6, doc: 'adaptation current' },
  ],
  scenes: NAUD_2008.map(([id, name, figure, cm, gL, eL, vT, deltaT, a, tauW, b, vReset, current]) => ({
    id: `adex/${id}`,
    title: `AdEx ${name}`,
    description: `Naud et al. (2008), Table 1 and Fig. ${figure}: ${name} under a ${current} pA step from rest (C = ${cm} pF, gL = ${gL} nS, EL = ${eL} mV, a = ${a} nS, τw = ${tauW} ms, b = ${b} pA, Vr = ${vReset} mV).`,
    params: { cm, gL, eL, vT, deltaT, a, tauW, b, vReset, vPeak: 0 },
    stimulus: [{ kind: 'dc', amplitude: current }],
    dtMs: 0.01,
    durationMs: 500,
  })),
  plane: {
    probes: { x: 'v', y: 'w', input: ['iExt'], resets: true },
    compute: (_model, params, input, range, samples) => adexPlane(params, input, range, samples),
    state: (x, y) => ({ v: x, w: y }),
  },
  presentation: {
    hand: { amplitude: 2000, durationMs: 2 },
    frameCost: 75,
    tries: [
      'drag b (spike-triggered adaptation) or a (subthreshold adaptation) and watch the pattern change; the phase plane shows w jump by b at each reset.',
      'Stimulus → off: the V- and w-nullclines cross at a stable rest and a saddle; press P for a pulse and watch the trajectory leave and come back, or fire.',
    ],
    gallery: {
      name: 'AdEx',
      title: 'AdEx: the 8 firing patterns of Naud et al. (2008)',
      see: 'the eight firing patterns of the AdEx model in Naud et al. (2008), Table 1: one neuron each with its own parameters, V (mV) over time, the step current under it.',
      protocol: "each panel runs its pattern's step current from rest for 500 ms and starts over at its end.",
      tries: ['compare tonic spiking with adapting: b (the jump of w per spike) makes the intervals grow.', 'click a panel to open that pattern in the lab, with its parameters, scope and V–w phase plane.'],
      note: 'The eight firing patterns of Naud et al. (2008), Table 1 (Fig. 4a–h): each panel runs its own parameters and step current, looping. Click a panel to open it in the lab.',
      status: 'gallery · 8 AdEx patterns',
      vRange: [-80, 5],
    },
  },
  create: (config) => new AdexKernel(config),
};
