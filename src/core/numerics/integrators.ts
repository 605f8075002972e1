/**
 * Explicit one-step integrators for y' = f(t, y), reusable by any model.
 * Each integrator owns its scratch arrays, so a step allocates nothing; y is updated in place.
 */

/** Writes f(t, y) into dydt. Must not keep references to y or dydt. */
export type Derivative = (t: number, y: Float64Array, dydt: Float64Array) => void;

export interface Integrator {
  readonly order: number;
  /** Advances y from t to t + dt in place. Leaves f(t, y_start) in `slope` for callers that need it. */
  step(f: Derivative, t: number, y: Float64Array, dt: number): void;
  /** f(t, y) at the start of the last step. */
  readonly slope: Float64Array;
}

/** Forward Euler: y1 = y0 + dt·f(t0, y0). First order. */
export class ForwardEuler implements Integrator {
  readonly order = 1;
  readonly slope: Float64Array;
  constructor(dimension: number) {
    this.slope = new Float64Array(dimension);
  }
  step(f: Derivative, t: number, y: Float64Array, dt: number): void {
    const k = this.slope;
    f(t, y, k);
    for (let i = 0; i < y.length; i++) y[i] = y[i]! + dt * k[i]!;
  }
}

/** The classic fourth-order Runge–Kutta method on the whole coupled system. */
export class RungeKutta4 implements Integrator {
  readonly order = 4;
  readonly slope: Float64Array;
  private readonly k2: Float64Array;
  private readonly k3: Float64Array;
  private readonly k4: Float64Array;
  private readonly stage: Float64Array;
  constructor(dimension: number) {
    this.slope = new Float64Array(dimension);
    this.k2 = new Float64Array(dimension);
    this.k3 = new Float64Array(dimension);
    this.k4 = new Float64Array(dimension);
    this.stage = new Float64Array(dimension);
  }
  step(f: Derivative, t: number, y: Float64Array, dt: number): void {
    const { slope: k1, k2, k3, k4, stage } = this;
    const n = y.length;
    const half = dt / 2;
    f(t, y, k1);
    for (let i = 0; i < n; i++) stage[i] = y[i]! + half * k1[i]!;
    f(t + half, stage, k2);
    for (let i = 0; i < n; i++) stage[i] = y[i]! + half * k2[i]!;
    f(t + half, stage, k3);
    for (let i = 0; i < n; i++) stage[i] = y[i]! + dt * k3[i]!;
    f(t + dt, stage, k4);
    for (let i = 0; i < n; i++) y[i] = y[i]! + (dt / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!);
  }
}
