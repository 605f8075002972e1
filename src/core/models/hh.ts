/**
 * Hodgkin–Huxley squid giant axon (seed program 3), with the resting potential shifted to 0 mV.
 *
 *   C dV/dt = I − gNa·m³·h·(V − ENa) − gK·n⁴·(V − EK) − gL·(V − EL)
 *   dx/dt   = alpha_x(V)·(1 − x) − beta_x(V)·x,   x ∈ {m, h, n}
 *
 *   alpha_m = 0.1·(25 − V) / (exp((25 − V)/10) − 1)     beta_m = 4·exp(−V/18)
 *   alpha_h = 0.07·exp(−V/20)                          beta_h = 1 / (exp((30 − V)/10) + 1)
 *   alpha_n = 0.01·(10 − V) / (exp((10 − V)/10) − 1)     beta_n = 0.125·exp(−V/80)
 *
 * V in mV, t in ms, conductances in mS/cm², C in µF/cm², currents in µA/cm². alpha_m and alpha_n
 * have removable singularities at V = 25 and V = 10 mV; they are evaluated through
 * x/(exp(x) − 1), which takes its limit 1 (by a series) near x = 0, so they never give NaN.
 * The exponentials come from src/core/numerics/deterministic-math.ts (the same bits in every
 * JavaScript engine), two per evaluation of all six rates (see hhRates).
 *
 * Reference: A. L. Hodgkin & A. F. Huxley, J. Physiol. 117:500–544 (1952), in the seed notebook's
 * convention (rest at 0 mV, depolarisation positive): ENa = 115, EK = −12, EL = 10.6 mV;
 * gNa = 120, gK = 36, gL = 0.3 mS/cm²; C = 1 µF/cm². The gates start at their steady state for v0.
 *
 * The seed's own "RK4" used the half step as if it were the whole step and held the gates fixed
 * while stepping V (and V fixed while stepping the gates), so its dynamics ran about twice as fast
 * as its time axis said. Here the coupled 4-variable system [V, m, h, n] is integrated as one,
 * by the method chosen with `method`:
 *  - `rk4` (default): classic fourth-order Runge–Kutta on the coupled system;
 *  - `euler`: forward Euler on the coupled system (first order, for comparison);
 *  - `exponential-euler`: over each step, each gate relaxes exactly towards x_inf(V) with time
 *    constant tau_x(V), V frozen at its start value; then V relaxes exactly towards its
 *    conductance-weighted reversal potential, the conductances frozen at the updated gates
 *    (x ← x_inf + (x − x_inf)·exp(−dt/tau_x); stable for any dt, keeps the gates in [0, 1]).
 *
 * A spike is an upward crossing of vSpikeThreshold inside a step. Its time is found on the cubic
 * Hermite interpolant of V between the start and the end of the step (values and dV/dt at both
 * ends), by safeguarded Newton iterations; the interpolant's error is O(dt⁴), as RK4's.
 * The input current of each neuron is held constant within a step.
 */
import { exp } from '../numerics/deterministic-math.ts';
import type { Derivative } from '../numerics/integrators.ts';
import { ForwardEuler } from '../numerics/integrators.ts';
import type { KernelConfig, ModelDefinition, SpikeBuffer, StepBound } from '../kernel.ts';
import { ArrayKernel, DivergenceError, roundForMessage } from '../kernel.ts';
import type { ChoiceSpec, ParamSchema, ParamValues } from '../schema.ts';
import { classify, numericJacobian, zeros, type FixedPoint, type PhasePlane, type PlaneRange } from '../plane.ts';

export const hhParams = [
  { name: 'gNa', label: 'sodium conductance', unit: 'mS/cm²', default: 120, min: 0, max: 1000, typical: [0, 240], precision: 1, doc: 'maximal sodium conductance: the upstroke of the action potential' },
  { name: 'gK', label: 'potassium conductance', unit: 'mS/cm²', default: 36, min: 0, max: 1000, typical: [0, 72], precision: 1, doc: 'maximal potassium conductance: the repolarisation after the peak' },
  { name: 'gL', label: 'leak conductance', unit: 'mS/cm²', default: 0.3, min: 0, max: 100, typical: [0, 1], precision: 3, doc: 'leak conductance: pulls V towards E_L' },
  { name: 'eNa', label: 'sodium reversal', unit: 'mV', default: 115, min: -200, max: 200, typical: [50, 150], precision: 1, doc: 'sodium reversal potential (rest at 0 mV, Hodgkin & Huxley 1952)' },
  { name: 'eK', label: 'potassium reversal', unit: 'mV', default: -12, min: -200, max: 200, typical: [-40, 20], precision: 1, doc: 'potassium reversal potential (rest at 0 mV, Hodgkin & Huxley 1952)' },
  { name: 'eL', label: 'leak reversal', unit: 'mV', default: 10.6, min: -200, max: 200, typical: [-10, 30], precision: 1, doc: 'leak reversal potential (rest at 0 mV, Hodgkin & Huxley 1952)' },
  { name: 'cm', label: 'membrane capacitance', unit: 'µF/cm²', default: 1, min: 0.01, max: 100, typical: [0.1, 10], log: true, doc: 'membrane capacitance per unit area: larger is slower' },
  { name: 'v0', label: 'initial potential', unit: 'mV', default: 0, min: -100, max: 150, typical: [-20, 40], precision: 1, doc: 'V at t = 0 (the gates start at their steady state for it)' },
  { name: 'vSpikeThreshold', label: 'spike detection level', unit: 'mV', default: 50, min: -100, max: 200, typical: [0, 100], precision: 1, doc: 'a spike is counted at an upward crossing of this potential (detection only)' },
] as const satisfies ParamSchema;
export type HhParams = ParamValues<typeof hhParams>;

export type HhMethod = 'rk4' | 'euler' | 'exponential-euler';
export const hhMethod: ChoiceSpec<HhMethod> = {
  name: 'method',
  choices: ['rk4', 'euler', 'exponential-euler'],
  default: 'rk4',
  doc: 'integrator: classic RK4 on the coupled system, forward Euler, or exponential Euler (gates and V relax exactly over a step with the others frozen)',
};

export const HH_PROBES = [
  { name: 'v', unit: 'mV', doc: 'membrane potential (rest at 0 mV, Hodgkin & Huxley 1952)', range: [-20, 120], note: 'rest at 0 mV (Hodgkin & Huxley 1952)' },
  { name: 'm', unit: '', doc: 'sodium activation gate' },
  { name: 'h', unit: '', doc: 'sodium inactivation gate' },
  { name: 'n', unit: '', doc: 'potassium activation gate' },
  { name: 'iNa', unit: 'µA/cm²', doc: 'sodium current gNa·m³·h·(V − ENa)', range: [-10, 10] },
  { name: 'iK', unit: 'µA/cm²', doc: 'potassium current gK·n⁴·(V − EK)', range: [-10, 10] },
  { name: 'iL', unit: 'µA/cm²', doc: 'leak current gL·(V − EL)', range: [-10, 10] },
] as const;

/**
 * x/(eˣ − 1) for |x| < 0.5, by its Taylor series Σ Bₙxⁿ/n! (Bernoulli numbers) to x¹⁴: the first
 * term left out, B₁₆x¹⁶/16!, is below 6e-18 there. Arithmetic only, and exact to a few ulps right
 * through the removable singularity at 0, where the quotient would cancel.
 */
function exprelInvSeries(x: number): number {
  const z = x * x;
  return 1 - x / 2 + z * (1 / 12 + z * (-1 / 720 + z * (1 / 30240 + z * (-1 / 1209600 + z * (1 / 47900160 + z * (-691 / 1307674368000 + z * (1 / 74724249600)))))));
}

const E = exp(1);
const E_2_5 = exp(2.5);
const E_3 = exp(3);

/**
 * The six rate functions at v (1/ms, V in mV with rest at 0), written into
 * `rates` = [alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n].
 *
 * Two exponentials instead of six: with q = exp(−V/80), exp(−V/20) = q⁴ and exp(−V/10) = q⁸, so
 * exp((25 − V)/10) = e^2.5·q⁸, exp((30 − V)/10) = e³·q⁸, exp((10 − V)/10) = e·q⁸; beta_m needs
 * exp(−V/18) of its own. The powers cost ~9 ulps of relative accuracy (1e-15), far below any
 * integrator's error. Near their singularities (|x| < 0.5) alpha_m and alpha_n use the series
 * above instead of x/(e^x − 1), whose subtraction would cancel.
 */
export function hhRates(v: number, rates: Float64Array): void {
  const q = exp(-v / 80);
  const q2 = q * q;
  const q4 = q2 * q2;
  const q8 = q4 * q4;
  const xm = (25 - v) / 10;
  rates[0] = xm > -0.5 && xm < 0.5 ? exprelInvSeries(xm) : xm / (E_2_5 * q8 - 1);
  rates[1] = 4 * exp(-v / 18);
  rates[2] = 0.07 * q4;
  rates[3] = 1 / (E_3 * q8 + 1);
  const xn = (10 - v) / 10;
  rates[4] = 0.1 * (xn > -0.5 && xn < 0.5 ? exprelInvSeries(xn) : xn / (E * q8 - 1));
  rates[5] = 0.125 * q;
}

// The seed's rate functions one at a time (for tests and the initial gates), through hhRates.
const oneRate = new Float64Array(6);
const rate = (index: number) => (v: number): number => {
  hhRates(v, oneRate);
  return oneRate[index]!;
};
export const alm = rate(0);
export const bem = rate(1);
export const alh = rate(2);
export const beh = rate(3);
export const aln = rate(4);
export const ben = rate(5);

/**
 * Fraction s ∈ [0, 1] of the step at which the cubic Hermite interpolant through
 * (0, v0, slope0) and (dt, v1, slope1) equals `threshold`, given v0 < threshold ≤ v1.
 * Newton iterations, kept inside a shrinking bracket (bisection when Newton leaves it).
 */
export function hermiteCrossing(v0: number, v1: number, slope0: number, slope1: number, dt: number, threshold: number): number {
  const d0 = dt * slope0;
  const d1 = dt * slope1;
  let lo = 0;
  let hi = 1;
  let s = (threshold - v0) / (v1 - v0);
  for (let iter = 0; iter < 50; iter++) {
    const s2 = s * s;
    const s3 = s2 * s;
    const value = (2 * s3 - 3 * s2 + 1) * v0 + (s3 - 2 * s2 + s) * d0 + (3 * s2 - 2 * s3) * v1 + (s3 - s2) * d1 - threshold;
    if (value === 0) return s;
    if (value < 0) lo = s;
    else hi = s;
    const derivative = 6 * (s2 - s) * (v0 - v1) + (3 * s2 - 4 * s + 1) * d0 + (3 * s2 - 2 * s) * d1;
    let next = s - value / derivative;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - s) < 1e-15) return next;
    s = next;
  }
  return s;
}

/**
 * dy/dt of one neuron, y = [V, m, h, n], under the input current that `current()` gives (read at
 * each evaluation): the system every integrator steps (the kernel's stepRk4 is RK4 on it, spelled out).
 */
export function hhDerivative(params: () => HhParams, current: () => number): Derivative {
  const rates = new Float64Array(6);
  return (_t, y, dydt) => {
    const p = params();
    const v = y[0]!;
    const m = y[1]!;
    const h = y[2]!;
    const n = y[3]!;
    hhRates(v, rates);
    dydt[0] = (current() - ionicCurrent(p, v, m, h, n)) / p.cm;
    dydt[1] = rates[0]! * (1 - m) - rates[1]! * m;
    dydt[2] = rates[2]! * (1 - h) - rates[3]! * h;
    dydt[3] = rates[4]! * (1 - n) - rates[5]! * n;
  };
}

/** I_Na + I_K + I_L in µA/cm². */
function ionicCurrent(p: HhParams, v: number, m: number, h: number, n: number): number {
  const n2 = n * n;
  return p.gNa * m * m * m * h * (v - p.eNa) + p.gK * n2 * n2 * (v - p.eK) + p.gL * (v - p.eL);
}

export class HhKernel extends ArrayKernel<HhParams> {
  readonly method: HhMethod;
  // State, one entry per neuron.
  readonly v: Float64Array;
  readonly m: Float64Array;
  readonly h: Float64Array;
  readonly n: Float64Array;
  // Scratch, reused every step: one neuron's [V, m, h, n], dV/dt at the end of a crossing step.
  private readonly y = new Float64Array(4);
  private readonly endSlope = new Float64Array(4);
  /** The rates at the V being evaluated (see hhRates). */
  private readonly rates = new Float64Array(6);
  /** Method 'euler''s integrator (rk4 and exponential-euler are spelled out below). */
  private readonly integrator: ForwardEuler | null;
  /** The input current of the neuron being stepped, read by `derivative`. */
  private current = 0;
  private readonly derivative: Derivative;

  constructor(config: KernelConfig) {
    const { v0 } = config.params as HhParams;
    const v = new Float64Array(config.size).fill(v0);
    const m = new Float64Array(config.size).fill(alm(v0) / (alm(v0) + bem(v0)));
    const h = new Float64Array(config.size).fill(alh(v0) / (alh(v0) + beh(v0)));
    const n = new Float64Array(config.size).fill(aln(v0) / (aln(v0) + ben(v0)));
    super(config, { v, m, h, n });
    this.method = (config.choices.method as HhMethod | undefined) ?? 'rk4';
    this.v = v;
    this.m = m;
    this.h = h;
    this.n = n;
    this.integrator = this.method === 'euler' ? new ForwardEuler(4) : null;
    this.derivative = hhDerivative(
      () => this.params,
      () => this.current,
    );
  }

  step(step: number, spikes: SpikeBuffer): void {
    const { v, m, h, n, y, inputCurrent, dtMs: dt, integrator } = this;
    const threshold = this.params.vSpikeThreshold;
    const startMs = step * dt;
    for (let i = 0; i < v.length; i++) {
      const vStart = v[i]!;
      y[0] = vStart;
      y[1] = m[i]!;
      y[2] = h[i]!;
      y[3] = n[i]!;
      this.current = inputCurrent[i]!;
      let startSlope: number;
      if (this.method === 'rk4') {
        startSlope = this.stepRk4(y, dt);
      } else if (integrator) {
        integrator.step(this.derivative, startMs, y, dt);
        startSlope = integrator.slope[0]!;
      } else {
        startSlope = this.stepExponentialEuler(y, dt);
      }
      const vEnd = y[0]!;
      if (!Number.isFinite(vEnd)) {
        throw new DivergenceError('v', i, step, startMs + dt, vEnd);
      }
      if (vStart < threshold && vEnd >= threshold) {
        this.derivative(startMs + dt, y, this.endSlope);
        const fraction = hermiteCrossing(vStart, vEnd, startSlope, this.endSlope[0]!, dt, threshold);
        spikes.push(step, i, startMs + fraction * dt);
      }
      v[i] = vEnd;
      m[i] = y[1]!;
      h[i] = y[2]!;
      n[i] = y[3]!;
    }
  }

  /**
   * One classic RK4 step of y = [V, m, h, n] in place: RungeKutta4 (numerics/integrators.ts) on
   * hhDerivative, its operations in its order but on local numbers rather than through its loops
   * and the closure — the same bits (a test compares them), and 1.35–1.5× the speed of the
   * hh-single bench measured alternately in one process (2026-11-30); returns dV/dt at the start.
   */
  private stepRk4(y: Float64Array, dt: number): number {
    const p = this.params;
    const r = this.rates;
    const current = this.current;
    const cm = p.cm;
    const half = dt / 2;
    const v = y[0]!;
    const m = y[1]!;
    const h = y[2]!;
    const n = y[3]!;
    hhRates(v, r);
    const v1 = (current - ionicCurrent(p, v, m, h, n)) / cm;
    const m1 = r[0]! * (1 - m) - r[1]! * m;
    const h1 = r[2]! * (1 - h) - r[3]! * h;
    const n1 = r[4]! * (1 - n) - r[5]! * n;
    let sv = v + half * v1;
    let sm = m + half * m1;
    let sh = h + half * h1;
    let sn = n + half * n1;
    hhRates(sv, r);
    const v2 = (current - ionicCurrent(p, sv, sm, sh, sn)) / cm;
    const m2 = r[0]! * (1 - sm) - r[1]! * sm;
    const h2 = r[2]! * (1 - sh) - r[3]! * sh;
    const n2 = r[4]! * (1 - sn) - r[5]! * sn;
    sv = v + half * v2;
    sm = m + half * m2;
    sh = h + half * h2;
    sn = n + half * n2;
    hhRates(sv, r);
    const v3 = (current - ionicCurrent(p, sv, sm, sh, sn)) / cm;
    const m3 = r[0]! * (1 - sm) - r[1]! * sm;
    const h3 = r[2]! * (1 - sh) - r[3]! * sh;
    const n3 = r[4]! * (1 - sn) - r[5]! * sn;
    sv = v + dt * v3;
    sm = m + dt * m3;
    sh = h + dt * h3;
    sn = n + dt * n3;
    hhRates(sv, r);
    const v4 = (current - ionicCurrent(p, sv, sm, sh, sn)) / cm;
    const m4 = r[0]! * (1 - sm) - r[1]! * sm;
    const h4 = r[2]! * (1 - sh) - r[3]! * sh;
    const n4 = r[4]! * (1 - sn) - r[5]! * sn;
    const sixth = dt / 6;
    y[0] = v + sixth * (v1 + 2 * v2 + 2 * v3 + v4);
    y[1] = m + sixth * (m1 + 2 * m2 + 2 * m3 + m4);
    y[2] = h + sixth * (h1 + 2 * h2 + 2 * h3 + h4);
    y[3] = n + sixth * (n1 + 2 * n2 + 2 * n3 + n4);
    return v1;
  }

  /**
   * One exponential-Euler step of y = [V, m, h, n] in place; returns the true dV/dt at the start.
   * The gates relax first with V frozen at its start value; V then relaxes with the conductances
   * frozen at the updated gates. This staggering (instead of freezing both at the start) costs
   * nothing and measures about ten times more accurate spike times at dt = 0.01 ms, with an
   * error that shrinks like dt² on the reference test rather than like dt.
   */
  private stepExponentialEuler(y: Float64Array, dt: number): number {
    const p = this.params;
    const v = y[0]!;
    const m = y[1]!;
    const h = y[2]!;
    const n = y[3]!;
    const startSlope = (this.current - ionicCurrent(p, v, m, h, n)) / p.cm;
    const r = this.rates;
    hhRates(v, r);
    const mNew = relaxGate(m, r[0]!, r[1]!, dt);
    const hNew = relaxGate(h, r[2]!, r[3]!, dt);
    const nNew = relaxGate(n, r[4]!, r[5]!, dt);
    const nNew2 = nNew * nNew;
    const conductanceNa = p.gNa * mNew * mNew * mNew * hNew;
    const conductanceK = p.gK * nNew2 * nNew2;
    const conductance = conductanceNa + conductanceK + p.gL;
    const vInf = (conductanceNa * p.eNa + conductanceK * p.eK + p.gL * p.eL + this.current) / conductance;
    y[0] = vInf + (v - vInf) * exp((-conductance / p.cm) * dt);
    y[1] = mNew;
    y[2] = hNew;
    y[3] = nNew;
    return startSlope;
  }

  probe(probe: number, neuron: number): number {
    const v = this.v[neuron]!;
    const p = this.params;
    switch (probe) {
      case 0:
        return v;
      case 1:
        return this.m[neuron]!;
      case 2:
        return this.h[neuron]!;
      case 3:
        return this.n[neuron]!;
      case 4: {
        const m = this.m[neuron]!;
        return p.gNa * m * m * m * this.h[neuron]! * (v - p.eNa);
      }
      case 5: {
        const n2 = this.n[neuron]! * this.n[neuron]!;
        return p.gK * n2 * n2 * (v - p.eK);
      }
      case 6:
        return p.gL * (v - p.eL);
      default:
        throw new RangeError(`hh: no probe number ${probe} (there are ${HH_PROBES.length})`);
    }
  }
}

/** x relaxed over dt towards alpha/(alpha + beta) with time constant 1/(alpha + beta). */
function relaxGate(x: number, alpha: number, beta: number, dt: number): number {
  const sum = alpha + beta;
  const xInf = alpha / sum;
  return xInf + (x - xInf) * exp(-sum * dt);
}

/** The real-axis stability limit of classic RK4: λ·dt < 2.7852935634. */
const RK4_REAL_LIMIT = 2.785;

/**
 * Forward Euler's and RK4's bound: an explicit method is stable on y' = −λy iff λ·dt lies in its
 * stability interval on the negative real axis, (0, 2) for Euler and (0, 2.785…) for RK4. With
 * the gates frozen, V relaxes at rate g/C where g = gNa·m³h + gK·n⁴ + gL is at most
 * gNa + gK + gL (gates in [0, 1]); each gate relaxes at rate alpha_x(V) + beta_x(V). Without
 * injected current V stays between the reversal potentials (and v0), where the gate rates are
 * largest at the ends (alpha_m + beta_m and alpha_n + beta_n are convex in V; beta_h ≤ 1). So
 * λ_max = max((gNa + gK + gL)/cm, the gate rates at the ends of [min(E, v0), max(E, v0)]), and
 * dt < 2/λ_max (Euler), dt < 2.785/λ_max (RK4): 0.0128 ms and 0.0178 ms with the defaults, set by
 * the membrane (all channels open). The bound is sufficient, not necessary (an action potential
 * never opens every channel at once: RK4 runs the default scene up to dt ≈ 0.08 ms), and a strong
 * hyperpolarising stimulus can take V below the range, where beta_m grows as exp(−V/18): such a
 * run may still diverge, and then stops with a DivergenceError saying where. Exponential Euler:
 * no bound (each variable relaxes exactly).
 */
function hhStepBound(params: Readonly<Record<string, number>>, options: Readonly<Record<string, string>>): StepBound | undefined {
  const method = options.method ?? 'rk4';
  if (method !== 'euler' && method !== 'rk4') return undefined;
  const { gNa, gK, gL, cm, eNa, eK, eL, v0 } = params as Record<string, number>;
  const membrane = (gNa! + gK! + gL!) / cm!;
  const low = Math.min(eNa!, eK!, eL!, v0!);
  const high = Math.max(eNa!, eK!, eL!, v0!);
  const gates = Math.max(...[low, high].map((v) => Math.max(alm(v) + bem(v), aln(v) + ben(v), alh(v) + 1)));
  const rate = Math.max(membrane, gates);
  const c = method === 'euler' ? 2 : RK4_REAL_LIMIT;
  const which = membrane >= gates ? `(gNa + gK + gL)/cm = ${roundForMessage(membrane)} /ms` : `the fastest gate rate between ${roundForMessage(low)} and ${roundForMessage(high)} mV, ${roundForMessage(gates)} /ms`;
  return {
    maxDtMs: c / rate,
    reason: `${method === 'euler' ? 'forward Euler' : 'RK4'} (options.method '${method}') is stable for every state only for dt < ${c}/λ = ${roundForMessage(c / rate)} ms, λ = ${which}`,
    advice: "use a smaller dtMs, or options.method 'exponential-euler'",
  };
}

export const hh: ModelDefinition = {
  id: 'hh',
  title: 'Hodgkin–Huxley',
  summary:
    'C dV/dt = I − gNa·m³h(V − ENa) − gK·n⁴(V − EK) − gL(V − EL), dx/dt = alpha_x(1 − x) − beta_x·x for x = m, h, n; squid axon, rest at 0 mV (Hodgkin & Huxley 1952; seed program 3)',
  params: hhParams,
  choices: [hhMethod],
  probes: HH_PROBES,
  inputUnit: 'µA/cm²',
  inputTypical: [-10, 40],
  work: { rk4: 60, euler: 10, 'exponential-euler': 15 },
  settableState: [
    { name: 'v', unit: 'mV', default: 0, min: -200, max: 200, doc: 'membrane potential (rest at 0 mV)' },
    { name: 'm', unit: '', default: 0.05, min: 0, max: 1, doc: 'sodium activation gate' },
    { name: 'h', unit: '', default: 0.6, min: 0, max: 1, doc: 'sodium inactivation gate' },
    { name: 'n', unit: '', default: 0.32, min: 0, max: 1, doc: 'potassium activation gate' },
  ],
  scenes: [
    {
      id: 'hh',
      title: 'Hodgkin–Huxley squid axon under 10 µA/cm²',
      description: 'Seed program 3 with a correct RK4 on the coupled system: repetitive action potentials; gates m, h, n and the ionic currents. V in mV, rest at 0 mV (Hodgkin & Huxley 1952).',
      stimulus: [{ kind: 'dc', amplitude: 10 }],
      dtMs: 0.01,
      durationMs: 200,
    },
  ],
  plane: {
    probes: { x: 'v', y: 'n', input: ['iExt'], resets: false },
    compute: (_model, params, input, range, samples) => hhPlane(params as Partial<HhPlaneParams>, input, range, samples),
    // V and n; m = m∞(V) and h = 0.89 − 1.1·n, the reduction's (clamped to [0, 1]).
    state: (x, y) => {
      const n = Math.min(1, Math.max(0, y));
      return { v: x, m: mInf(x), h: Math.min(1, Math.max(0, HH_REDUCTION.h0 - HH_REDUCTION.h1 * n)), n };
    },
  },
  presentation: {
    hand: { amplitude: 20, durationMs: 1 },
    frameCost: 8,
    caption: (_scene, protocol) => ({
      see: 'the Hodgkin–Huxley squid axon: V in mV with rest at 0 mV (Hodgkin & Huxley 1952; today one writes V − 65 mV), the gates m, h, n (0 … 1) and the ionic currents (µA/cm²).',
      protocol: `${protocol} Repetitive action potentials.`,
      tries: ['set the sodium conductance (gNa) to 60: the spikes stop.', 'Stimulus → dc, amplitude 5 µA/cm²: the neuron rests; press P to fire one spike.'],
    }),
  },
  stepBound: hhStepBound,
  create: (config) => new HhKernel(config),
};

/** The reduction drawn for Hodgkin–Huxley: m = m∞(V), h = H0 − H1·n. */
export const HH_REDUCTION = { h0: 0.89, h1: 1.1, text: 'm = m∞(V), h = 0.89 − 1.1·n (Rinzel 1985; Izhikevich 2007)' } as const;

// ── Hodgkin–Huxley, reduced to (V, n) ───────────────────────────────────────────────────────

export interface HhPlaneParams {
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

function hhPlaneParams(p: Partial<HhPlaneParams>): HhPlaneParams {
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
  const p = hhPlaneParams(given);
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


export function hhPlane(given: Partial<HhPlaneParams>, input: number, range: PlaneRange | undefined, samples: number): PhasePlane {
  const p = hhPlaneParams(given);
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
  const p = hhPlaneParams(given);
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
