/** Statistics the tests of random numbers share: the normal distribution function, Kolmogorov–Smirnov, moments. */
import { expect } from 'vitest';
import { FAST_NORMAL_TAIL } from '../src/core/random.ts';

/** Standard normal distribution function (Abramowitz & Stegun 7.1.26 for erf, |error| < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Kolmogorov–Smirnov distance between a sample and a distribution function. */
export function ksDistance(sample: ArrayLike<number>, cdf: (x: number) => number): number {
  const sorted = Float64Array.from(sample).sort();
  let d = 0;
  for (let i = 0; i < sorted.length; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, f - i / sorted.length, (i + 1) / sorted.length - f);
  }
  return d;
}

/** KS critical distance at the 0.1 % level. */
export const ksLimit = (n: number): number => 1.95 / Math.sqrt(n);

export function meanVar(values: ArrayLike<number>): [number, number] {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  const mean = sum / values.length;
  let sq = 0;
  for (let i = 0; i < values.length; i++) sq += (values[i]! - mean) ** 2;
  return [mean, sq / values.length];
}

/**
 * Checks a sample of ≥ 10⁶ standard normal deviates: mean and variance within 5 standard errors,
 * the frequencies of |z| > 1, 2, 3, 4, 4.5 within 5 standard errors, deviates beyond the table of the
 * fast method (exact tails, not a cut-off), and a KS test of the first 10⁶ against Φ.
 */
export function expectStandardNormal(z: Float64Array): void {
  const n = z.length;
  const [mean, variance] = meanVar(z);
  expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
  expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
  for (const q of [1, 2, 3, 4, 4.5]) {
    let count = 0;
    for (let i = 0; i < n; i++) if (Math.abs(z[i]!) > q) count++;
    const expected = n * 2 * (1 - normalCdf(q));
    expect(Math.abs(count - expected), `|z| > ${q}`).toBeLessThan(5 * Math.sqrt(expected) + 2);
  }
  let beyond = 0;
  let max = 0;
  for (let i = 0; i < n; i++) {
    if (Math.abs(z[i]!) > FAST_NORMAL_TAIL) beyond++;
    max = Math.max(max, Math.abs(z[i]!));
  }
  expect(beyond).toBeGreaterThan(0);
  expect(max).toBeGreaterThan(FAST_NORMAL_TAIL + 0.2);
  expect(ksDistance(z.subarray(0, 1_000_000), normalCdf)).toBeLessThan(ksLimit(1_000_000));
}
