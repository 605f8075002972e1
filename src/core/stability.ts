/**
 * Step-size bounds of the explicit integrators, where one is known. A run whose dt is at or
 * beyond its bound is refused (scene, sweep value, set-param event, recording's start state,
 * live parameter change), with the same message everywhere, instead of swinging to absurd
 * values while it "runs".
 *
 * - LIF, forward Euler (`lif`, `lif-network`, method 'euler'): between spikes the membrane is
 *   linear, v' = (−v + R·I)/tau_m, and Euler multiplies the distance to R·I by (1 − dt/tau_m)
 *   each step: stable iff |1 − dt/tau_m| < 1, i.e. dt < 2·tau_m = 2·rm·cm. Exact method: no bound.
 * - Hodgkin–Huxley, forward Euler and RK4: an explicit method is stable on y' = −λy iff λ·dt lies
 *   in its stability interval on the negative real axis, (0, 2) for Euler and (0, 2.785…) for
 *   RK4. With the gates frozen, V relaxes at rate g/C where g = gNa·m³h + gK·n⁴ + gL is at most
 *   gNa + gK + gL (gates in [0, 1]); each gate relaxes at rate alpha_x(V) + beta_x(V). Without
 *   injected current V stays between the reversal potentials (and v0), where the gate rates are
 *   largest at the ends (alpha_m + beta_m and alpha_n + beta_n are convex in V; beta_h ≤ 1). So
 *   λ_max = max((gNa + gK + gL)/cm, the gate rates at the ends of [min(E, v0), max(E, v0)]), and
 *   dt < 2/λ_max (Euler), dt < 2.785/λ_max (RK4): 0.0128 ms and 0.0178 ms with the defaults,
 *   set by the membrane (all channels open). The bound is sufficient, not necessary (an action
 *   potential never opens every channel at once: RK4 runs the default scene up to dt ≈ 0.08 ms),
 *   and a strong hyperpolarising stimulus can take V below the range, where beta_m grows as
 *   exp(−V/18): such a run may still diverge, and then stops with a DivergenceError saying where.
 *   Exponential Euler: no bound (each variable relaxes exactly).
 * - Izhikevich (both models), forward Euler: v' = 0.04v² + 5v + 140 − u + I is nonlinear and the
 *   reset at 30 mV keeps v bounded; there is no simple bound on dt (a too-large dt changes the
 *   firing pattern rather than blowing up). None is enforced; a non-finite v still stops the run.
 */
import { alh, alm, aln, bem, ben } from './models/hh.ts';
import type { ModelId } from './models/index.ts';
import { InputError } from './schema.ts';

/** The real-axis stability limit of classic RK4: λ·dt < 2.7852935634. */
const RK4_REAL_LIMIT = 2.785;

export interface StepBound {
  /** dt must be less than this (ms). */
  maxDtMs: number;
  /** Why, in words, with the numbers: "forward Euler is stable only for dt < 2·tau_m = 2·rm·cm = 20 ms". */
  reason: string;
  /** What to do instead. */
  advice: string;
}

/** The bound on dt for a model with these parameters and choices, or undefined when none is known. */
export function stepBound(model: ModelId, params: Readonly<Record<string, number>>, options: Readonly<Record<string, string>>): StepBound | undefined {
  switch (model) {
    case 'lif':
    case 'lif-network': {
      if ((options.method ?? 'euler') !== 'euler') return undefined;
      const tau = params.rm! * params.cm!;
      return {
        maxDtMs: 2 * tau,
        reason: `forward Euler (options.method 'euler') is stable only for dt < 2·tau_m = 2·rm·cm = ${round(2 * tau)} ms`,
        advice: "use a smaller dtMs, or options.method 'exact'",
      };
    }
    case 'hh': {
      const method = options.method ?? 'rk4';
      if (method !== 'euler' && method !== 'rk4') return undefined;
      const { gNa, gK, gL, cm, eNa, eK, eL, v0 } = params as Record<string, number>;
      const membrane = (gNa! + gK! + gL!) / cm!;
      const low = Math.min(eNa!, eK!, eL!, v0!);
      const high = Math.max(eNa!, eK!, eL!, v0!);
      const gates = Math.max(...[low, high].map((v) => Math.max(alm(v) + bem(v), aln(v) + ben(v), alh(v) + 1)));
      const rate = Math.max(membrane, gates);
      const c = method === 'euler' ? 2 : RK4_REAL_LIMIT;
      const which = membrane >= gates ? `(gNa + gK + gL)/cm = ${round(membrane)} /ms` : `the fastest gate rate between ${round(low)} and ${round(high)} mV, ${round(gates)} /ms`;
      return {
        maxDtMs: c / rate,
        reason: `${method === 'euler' ? 'forward Euler' : 'RK4'} (options.method '${method}') is stable for every state only for dt < ${c}/λ = ${round(c / rate)} ms, λ = ${which}`,
        advice: "use a smaller dtMs, or options.method 'exponential-euler'",
      };
    }
    default:
      return undefined;
  }
}

/**
 * Throws an InputError when dt is at or beyond the bound. `field`/`value` name what the user
 * gave (dtMs, or the parameter that moved the bound), so the message points at it.
 */
export function checkStepBound(model: ModelId, params: Readonly<Record<string, number>>, options: Readonly<Record<string, string>>, dtMs: number, field = 'dtMs', value: unknown = dtMs): void {
  const bound = stepBound(model, params, options);
  if (bound && !(dtMs < bound.maxDtMs)) {
    const allowed = field === 'dtMs' ? `less than ${round(bound.maxDtMs)} ms` : `a value that keeps dtMs = ${dtMs} ms a stable step`;
    throw new InputError(field, value, `${allowed}: ${bound.reason}; ${bound.advice}`);
  }
}

function round(x: number): string {
  return String(Number(x.toPrecision(4)));
}
