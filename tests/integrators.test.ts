/**
 * Convergence order of the reusable integrators, measured on problems with known solutions:
 * the error at a fixed end time for dt = 2^−k, and the least-squares slope of log(error)
 * against log(dt). The dt ranges stop well before round-off dominates.
 */
import { describe, expect, it } from 'vitest';
import type { Derivative, Integrator } from '../src/core/numerics/integrators.ts';
import { ForwardEuler, RungeKutta4 } from '../src/core/numerics/integrators.ts';

interface Problem {
  name: string;
  dimension: number;
  f: Derivative;
  y0: number[];
  /** Where the error is measured: away from any sign change of the leading error term. */
  endTime: number;
  exact(t: number): number[];
}

/** y'' = −y as a first-order system: y = [x, x'], x(0) = 1, x'(0) = 0, so x = cos t. */
const oscillator: Problem = {
  name: "harmonic oscillator y'' = −y",
  dimension: 2,
  f: (_t, y, dydt) => {
    dydt[0] = y[1]!;
    dydt[1] = -y[0]!;
  },
  y0: [1, 0],
  endTime: 2,
  exact: (t) => [Math.cos(t), -Math.sin(t)],
};

/** Non-autonomous: y' = −y + sin t, y(0) = 1, so y = (sin t − cos t)/2 + 1.5·e^−t (checks the stage times). */
const forcedDecay: Problem = {
  name: "forced decay y' = −y + sin t",
  dimension: 1,
  f: (t, y, dydt) => {
    dydt[0] = -y[0]! + Math.sin(t);
  },
  y0: [1],
  // At t ≈ 2 the leading RK4 error term of this problem changes sign, which would blur the fit.
  endTime: 1,
  exact: (t) => [(Math.sin(t) - Math.cos(t)) / 2 + 1.5 * Math.exp(-t)],
};

function errorAtEnd(integrator: Integrator, problem: Problem, dt: number): number {
  const y = Float64Array.from(problem.y0);
  const steps = Math.round(problem.endTime / dt);
  for (let k = 0; k < steps; k++) integrator.step(problem.f, k * dt, y, dt);
  const exact = problem.exact(steps * dt);
  let error = 0;
  for (let i = 0; i < y.length; i++) error = Math.max(error, Math.abs(y[i]! - exact[i]!));
  return error;
}

/** Least-squares slope of log(error) against log(dt). */
function fittedOrder(points: { dt: number; error: number }[]): number {
  const xs = points.map((p) => Math.log(p.dt));
  const ys = points.map((p) => Math.log(p.error));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  return sxy / sxx;
}

function measureOrder(make: (dimension: number) => Integrator, problem: Problem, exponents: number[]): number {
  const points = exponents.map((k) => {
    const dt = 2 ** -k;
    return { dt, error: errorAtEnd(make(problem.dimension), problem, dt) };
  });
  const order = fittedOrder(points);
  console.log(`${make(1).constructor.name} on ${problem.name}: order ${order.toFixed(3)}`, points.map((p) => `dt=2^${Math.log2(p.dt)}: ${p.error.toExponential(2)}`).join(', '));
  return order;
}

describe.each([oscillator, forcedDecay])('convergence order on $name', (problem) => {
  it('forward Euler is first order', () => {
    const order = measureOrder((d) => new ForwardEuler(d), problem, [6, 7, 8, 9, 10, 11, 12]);
    expect(order).toBeGreaterThan(0.9);
    expect(order).toBeLessThan(1.1);
  });

  it('RK4 is fourth order', () => {
    // Errors from ~1e-5 (dt = 1/4) down to ~1e-11 (dt = 1/128): far above round-off (~1e-15).
    const order = measureOrder((d) => new RungeKutta4(d), problem, [2, 3, 4, 5, 6, 7]);
    expect(order).toBeGreaterThan(3.8);
    expect(order).toBeLessThan(4.2);
  });
});

describe('integrator contract', () => {
  it.each([
    ['ForwardEuler', (d: number) => new ForwardEuler(d)],
    ['RungeKutta4', (d: number) => new RungeKutta4(d)],
  ] as const)('%s leaves f(t0, y0) in slope', (_name, make) => {
    const integrator = make(1);
    const y = Float64Array.of(0.75);
    const t0 = 0.3;
    integrator.step(forcedDecay.f, t0, y, 0.1);
    expect(integrator.slope[0]).toBe(-0.75 + Math.sin(t0));
  });
});
