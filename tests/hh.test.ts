/**
 * Hodgkin–Huxley kernel against an independent high-accuracy solution (tools/hh_reference.py:
 * scipy DOP853, rtol = atol = 1e-10, event location of the 50 mV crossings), plus invariants.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Kernel } from '../src/core/kernel.ts';
import { DivergenceError, SpikeBuffer } from '../src/core/kernel.ts';
import type { HhMethod } from '../src/core/models/hh.ts';
import { alm, aln, bem, ben, hermiteCrossing, hh, hhDerivative, HH_PROBES, type HhParams } from '../src/core/models/hh.ts';
import { RungeKutta4 } from '../src/core/numerics/integrators.ts';

interface Reference {
  currentUApercm2: number;
  durationMs: number;
  thresholdMv: number;
  spikeTimesMs: number[];
  vSamples: { tMs: number; vMv: number }[];
}
const reference = JSON.parse(readFileSync(new URL('./reference/hh-spikes.json', import.meta.url), 'utf8')) as Reference;

const defaults = (): Record<string, number> => Object.fromEntries(hh.params.map((p) => [p.name, p.default]));

function makeKernel(method: HhMethod, dtMs: number, currents: readonly number[]): Kernel {
  const kernel = hh.create({ size: currents.length, dtMs, params: defaults(), choices: { method }, seed: 0 });
  kernel.inputCurrent.set(currents);
  return kernel;
}

/** Runs steps [from, to) and returns every probe of every neuron after every step, and the spikes. */
function run(kernel: Kernel, from: number, to: number, spikes = new SpikeBuffer()): { traces: Float64Array; spikes: SpikeBuffer } {
  const width = kernel.size * HH_PROBES.length;
  const traces = new Float64Array((to - from) * width);
  for (let k = from; k < to; k++) {
    kernel.step(k, spikes);
    for (let i = 0; i < kernel.size; i++) {
      for (let p = 0; p < HH_PROBES.length; p++) traces[(k - from) * width + i * HH_PROBES.length + p] = kernel.probe(p, i);
    }
  }
  return { traces, spikes };
}

function spikeTimes(spikes: SpikeBuffer, neuron = 0): number[] {
  const out: number[] = [];
  for (let j = 0; j < spikes.length; j++) if (spikes.neuron[j] === neuron) out.push(spikes.timeMs[j]!);
  return out;
}

/** Spike times of the reference protocol (I = 10 µA/cm², 200 ms) and their largest error. */
function referenceRun(method: HhMethod, dtMs: number): { times: number[]; maxError: number } {
  expect(reference.currentUApercm2).toBe(10);
  expect(defaults().vSpikeThreshold).toBe(reference.thresholdMv);
  const kernel = makeKernel(method, dtMs, [reference.currentUApercm2]);
  const spikes = new SpikeBuffer();
  const steps = Math.round(reference.durationMs / dtMs);
  for (let k = 0; k < steps; k++) kernel.step(k, spikes);
  const times = spikeTimes(spikes);
  expect(times.length).toBe(reference.spikeTimesMs.length);
  const maxError = Math.max(...times.map((t, j) => Math.abs(t - reference.spikeTimesMs[j]!)));
  return { times, maxError };
}

describe('rate functions', () => {
  it('alpha_m and alpha_n are finite and continuous through their removable singularities', () => {
    expect(alm(25)).toBe(1);
    expect(aln(10)).toBe(0.1);
    // Both branches (the series for |x| < 1e-6, expm1 beyond) must agree with the Taylor
    // expansion x/(e^x − 1) = 1 − x/2 + x²/12 − …, x = (25 − V)/10 or (10 − V)/10.
    const series = (x: number): number => 1 - x / 2 + (x * x) / 12;
    for (const eps of [1e-12, 1e-9, 1e-7, 5e-6, 1e-5, 1e-4, 1e-3]) {
      for (const dv of [-eps, eps]) {
        expect(alm(25 + dv)).toBeCloseTo(series(-dv / 10), 12);
        expect(aln(10 + dv)).toBeCloseTo(0.1 * series(-dv / 10), 13);
      }
    }
  });

  it('match the seed formulas away from the singularities', () => {
    for (const v of [-40, -5, 0, 3.3, 24, 26, 60, 120]) {
      expect(alm(v)).toBeCloseTo((0.1 * (25 - v)) / (Math.exp((25 - v) / 10) - 1), 12);
      expect(aln(v)).toBeCloseTo((0.01 * (10 - v)) / (Math.exp((10 - v) / 10) - 1), 12);
    }
    expect(bem(18)).toBeCloseTo(4 / Math.E, 14);
    expect(ben(80)).toBeCloseTo(0.125 / Math.E, 14);
  });

  it('a kernel started at the singular potentials gives finite gates', () => {
    for (const v0 of [10, 25]) {
      const kernel = hh.create({ size: 1, dtMs: 0.01, params: { ...defaults(), v0 }, choices: { method: 'rk4' }, seed: 0 });
      for (let p = 0; p < HH_PROBES.length; p++) expect(Number.isFinite(kernel.probe(p, 0))).toBe(true);
      run(kernel, 0, 10);
      for (let p = 0; p < HH_PROBES.length; p++) expect(Number.isFinite(kernel.probe(p, 0))).toBe(true);
    }
  });
});

describe('hermiteCrossing', () => {
  it('finds the exact crossing of a cubic (the Hermite interpolant reproduces cubics)', () => {
    const cubic = (t: number): number => 10 + 30 * t + 80 * t * t - 50 * t * t * t;
    const slope = (t: number): number => 30 + 160 * t - 150 * t * t;
    const dt = 0.8;
    const fraction = hermiteCrossing(cubic(0), cubic(dt), slope(0), slope(dt), dt, 40);
    expect(cubic(fraction * dt)).toBeCloseTo(40, 11);
  });
});

describe('against the scipy reference (I = 10 µA/cm², 200 ms)', () => {
  it('rk4 at dt = 0.01 ms: same spikes, every time within 1e-4 ms', () => {
    const { maxError } = referenceRun('rk4', 0.01);
    console.log(`rk4 dt=0.01: ${reference.spikeTimesMs.length} spikes, max spike-time error ${maxError.toExponential(3)} ms`);
    expect(maxError).toBeLessThan(1e-4);
    // Measured 3.7e-7 ms. Linear interpolation of the crossing would give 6.4e-5 ms here: it
    // would pass the 1e-4 requirement only just, so hold the Hermite interpolant to what it does.
    expect(maxError).toBeLessThan(1e-6);
  });

  it("rk4 at the seed's dt = 0.025 ms: same spikes, every time within 1e-4 ms", () => {
    const { maxError } = referenceRun('rk4', 0.025);
    console.log(`rk4 dt=0.025: max spike-time error ${maxError.toExponential(3)} ms`);
    expect(maxError).toBeLessThan(1e-4);
  });

  it('rk4 at dt = 0.01 ms follows the reference trajectory', () => {
    const dtMs = 0.01;
    const kernel = makeKernel('rk4', dtMs, [reference.currentUApercm2]);
    const spikes = new SpikeBuffer();
    let step = 0;
    let maxError = 0;
    for (const sample of reference.vSamples) {
      const target = Math.round(sample.tMs / dtMs);
      for (; step < target; step++) kernel.step(step, spikes);
      maxError = Math.max(maxError, Math.abs(kernel.probe(0, 0) - sample.vMv));
    }
    console.log(`rk4 dt=0.01: max V error at the sample times ${maxError.toExponential(3)} mV`);
    expect(maxError).toBeLessThan(1e-3);
  });

  // Measured: exponential Euler 9.8e-3 ms, forward Euler 3.7e-2 ms at dt = 0.01 (accumulated
  // over 14 spikes; the first is much closer). The bounds leave about 50 % of margin.
  it.each([
    ['exponential-euler', 0.015],
    ['euler', 0.055],
  ] as const)('%s at dt = 0.01 ms: same spikes, times within %s ms', (method, tolerance) => {
    const { maxError } = referenceRun(method, 0.01);
    console.log(`${method} dt=0.01: max spike-time error ${maxError.toExponential(3)} ms`);
    expect(maxError).toBeLessThan(tolerance);
  });

  // The spike-time error shrinks like dt^p: RK4 p = 4, the staggered exponential Euler p = 2,
  // forward Euler p = 1. Measured from dt = 0.02 to 0.01, where the reference (≈2.5e-10 ms
  // between two scipy solvers) is far more accurate than any of them.
  it.each([
    ['rk4', 4],
    ['exponential-euler', 2],
    ['euler', 1],
  ] as const)('%s spike times converge with order %s', (method, order) => {
    const coarse = referenceRun(method, 0.02).maxError;
    const fine = referenceRun(method, 0.01).maxError;
    const measured = Math.log2(coarse / fine);
    console.log(`${method}: spike-time error ${coarse.toExponential(2)} → ${fine.toExponential(2)} ms, order ${measured.toFixed(2)}`);
    expect(Math.abs(measured - order)).toBeLessThan(0.25);
  });
});

describe('resting neuron', () => {
  it.each(['rk4', 'euler', 'exponential-euler'] as const)('%s: with I = 0 it stays near 0 mV and never spikes', (method) => {
    const kernel = makeKernel(method, 0.025, [0]);
    const { traces, spikes } = run(kernel, 0, 4000);
    let maxAbsV = 0;
    for (let k = 0; k < 4000; k++) maxAbsV = Math.max(maxAbsV, Math.abs(traces[k * HH_PROBES.length]!));
    expect(spikes.length).toBe(0);
    expect(maxAbsV).toBeLessThan(0.05);
  });
});

describe("the kernel's RK4", () => {
  it('is RungeKutta4 on hhDerivative, bit for bit, from any state, input, step and parameters', () => {
    const bits = (x: number): bigint => new BigInt64Array(new Float64Array([x]).buffer)[0]!;
    const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true });
    fc.assert(
      fc.property(
        fc.record({ v: finite(-150, 150), m: finite(0, 1), h: finite(0, 1), n: finite(0, 1) }),
        finite(-100, 300),
        finite(0.001, 0.1),
        fc.record({ gNa: finite(0, 1000), gK: finite(0, 1000), gL: finite(0, 100), eNa: finite(-200, 200), eK: finite(-200, 200), eL: finite(-200, 200), cm: finite(0.01, 100) }),
        (state, current, dtMs, changes) => {
          const params = { ...defaults(), ...changes } as HhParams;
          const kernel = hh.create({ size: 1, dtMs, params, choices: { method: 'rk4' }, seed: 0 });
          kernel.restoreState({ v: [state.v], m: [state.m], h: [state.h], n: [state.n] });
          kernel.inputCurrent[0] = current;
          let diverged = false;
          try {
            kernel.step(0, new SpikeBuffer());
          } catch (error) {
            if (!(error instanceof DivergenceError)) throw error;
            diverged = true;
          }
          const y = Float64Array.of(state.v, state.m, state.h, state.n);
          new RungeKutta4(4).step(
            hhDerivative(
              () => params,
              () => current,
            ),
            0,
            y,
            dtMs,
          );
          // Extreme parameters may overflow V: both then say so (the kernel with a DivergenceError).
          if (diverged) return !Number.isFinite(y[0]!);
          return [0, 1, 2, 3].every((k) => bits(kernel.probe(k, 0)) === bits(y[k]!));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('invariants', () => {
  // RK4 is explicit: below about −21 µA/cm² the neuron hyperpolarises past −56 mV, where
  // beta_m = 4·exp(−V/18) exceeds RK4's stability limit at dt = 0.025 and the run diverges
  // (see the test below). Exponential Euler is stable for any stimulus.
  const ranges: Record<'rk4' | 'exponential-euler', [number, number]> = { rk4: [-20, 200], 'exponential-euler': [-50, 200] };
  it.each(['rk4', 'exponential-euler'] as const)('%s: gates stay in [0, 1] and V stays finite under any constant stimulus', (method) => {
    const [low, high] = ranges[method];
    fc.assert(
      fc.property(
        fc.double({ min: low, max: high, noNaN: true }),
        fc.double({ min: 0.01, max: 0.025, noNaN: true }),
        (current, dtMs) => {
          const kernel = makeKernel(method, dtMs, [current]);
          const spikes = new SpikeBuffer();
          const steps = Math.round(50 / dtMs);
          for (let k = 0; k < steps; k++) {
            kernel.step(k, spikes);
            if (!Number.isFinite(kernel.probe(0, 0))) return false;
            for (let gate = 1; gate <= 3; gate++) {
              const x = kernel.probe(gate, 0);
              if (!(x >= 0 && x <= 1)) return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a diverging run stops with a message naming the neuron and the time', () => {
    const kernel = makeKernel('rk4', 0.025, [0, -50]);
    expect(() => run(kernel, 0, 4000)).toThrow(/diverged: v of neuron 1 became NaN at t = [\d.]+ ms/);
  });

  it.each(['rk4', 'euler', 'exponential-euler'] as const)('%s: saveState/restoreState resumes bit-identically', (method) => {
    const currents = [10, 3, 25];
    const kernel = makeKernel(method, 0.02, currents);
    run(kernel, 0, 1000);
    const saved = kernel.saveState();
    const first = run(kernel, 1000, 3000);
    // The saved copy did not follow the kernel.
    const fresh = makeKernel(method, 0.02, currents);
    run(fresh, 0, 1000);
    expect(fresh.saveState()).toEqual(saved);

    kernel.restoreState(saved);
    const again = run(kernel, 1000, 3000);
    const other = makeKernel(method, 0.02, currents);
    other.restoreState(saved);
    const elsewhere = run(other, 1000, 3000);
    for (const replay of [again, elsewhere]) {
      expect(replay.traces).toEqual(first.traces);
      expect(replay.spikes.length).toBe(first.spikes.length);
      expect(replay.spikes.length).toBeGreaterThan(0);
      expect(replay.spikes.timeMs.slice(0, replay.spikes.length)).toEqual(first.spikes.timeMs.slice(0, first.spikes.length));
    }
  });

  it.each(['rk4', 'euler', 'exponential-euler'] as const)('%s: one kernel of several neurons equals separate one-neuron kernels', (method) => {
    const currents = [0, 6.5, 10, 20, 80, -10];
    const steps = 2500;
    const together = run(makeKernel(method, 0.02, currents), 0, steps);
    const width = currents.length * HH_PROBES.length;
    let spikesSeen = 0;
    currents.forEach((current, i) => {
      const alone = run(makeKernel(method, 0.02, [current]), 0, steps);
      for (let k = 0; k < steps; k++) {
        for (let p = 0; p < HH_PROBES.length; p++) {
          const a = together.traces[k * width + i * HH_PROBES.length + p]!;
          const b = alone.traces[k * HH_PROBES.length + p]!;
          if (!Object.is(a, b)) expect.fail(`neuron ${i}, step ${k}, probe ${HH_PROBES[p]!.name}: ${a} ≠ ${b}`);
        }
      }
      const mine = spikeTimes(together.spikes, i);
      expect(mine).toEqual(spikeTimes(alone.spikes));
      spikesSeen += mine.length;
    });
    expect(spikesSeen).toBeGreaterThan(3);
  });

  it('probes give the ionic currents of the end-of-step state', () => {
    const kernel = makeKernel('rk4', 0.01, [10]);
    run(kernel, 0, 180); // on the first upstroke
    const [v, m, h, n, iNa, iK, iL] = HH_PROBES.map((_, p) => kernel.probe(p, 0)) as [number, number, number, number, number, number, number];
    expect(iNa).toBe(120 * m * m * m * h * (v - 115));
    expect(iK).toBe(36 * n * n * n * n * (v + 12));
    expect(iL).toBeCloseTo(0.3 * (v - 10.6), 12);
  });
});
