import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpikeBuffer } from '../src/core/kernel.ts';
import { Izhikevich2003Kernel, izhikevich2003Params, V0, V_PEAK } from '../src/core/models/izhikevich-2003.ts';
import { Random } from '../src/core/random.ts';
import { parseScene, stepCount, type Scene } from '../src/core/scene.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { InputError } from '../src/core/schema.ts';
import { DivergenceError, Simulation } from '../src/core/simulation.ts';
import { useWasmKernels } from '../src/core/wasm.ts';
import { runScene } from '../src/stream/run.ts';
import { expectStandardNormal, ksDistance, ksLimit, meanVar } from './statistics.ts';

const DEFAULTS = Object.fromEntries(izhikevich2003Params.map((p) => [p.name, p.default]));

function makeKernel(size: number, connectivity: 'dense' | 'sparse', seed = 1, params: Record<string, number> = {}): Izhikevich2003Kernel {
  return new Izhikevich2003Kernel({ size, dtMs: 0.5, params: { ...DEFAULTS, ...params }, choices: { connectivity }, seed });
}

function scene(neurons: number, connectivity: 'dense' | 'sparse', extra: Record<string, unknown> = {}): Scene {
  return parseScene({ model: 'izhikevich-2003', neurons, options: { connectivity }, dtMs: 0.5, durationMs: 100, seed: 7, ...extra });
}

describe('fast normal deviates (Random.fillNormalFast)', () => {
  it('have mean 0, variance 1, normal tails and a normal distribution function', () => {
    const n = 4_000_000;
    const z = new Float64Array(n);
    new Random(11).fillNormalFast(z, 0, n);
    expectStandardNormal(z);
  });

  it('are uncorrelated, neighbours included (the two halves of one 32-bit word)', () => {
    const n = 1_000_000;
    const z = new Float64Array(n);
    new Random(5).fillNormalFast(z, 0, n);
    for (const lag of [1, 2, 3]) {
      let sum = 0;
      for (let i = lag; i < n; i++) sum += z[i]! * z[i - lag]!;
      expect(Math.abs(sum / n)).toBeLessThan(5 / Math.sqrt(n));
    }
  });

  it('are reproducible from the state, for any start, end and odd counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 3000 }), (seed, start, count) => {
        const a = new Float64Array(start + count);
        const b = new Float64Array(start + count);
        new Random(seed).fillNormalFast(a, start, start + count);
        new Random(seed).fillNormalFast(b, start, start + count);
        expect(b).toEqual(a);
        expect(a.subarray(0, start).every((z) => z === 0)).toBe(true);
        expect(a.subarray(start).every((z) => Number.isFinite(z))).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('jump() moves to another stream, the same for the same seed; getState/setState resumes it', () => {
    const a = new Random(3);
    const b = new Random(3);
    b.jump();
    const c = new Random(3);
    c.jump();
    const first = [a.nextUint32(), a.nextUint32()];
    expect([b.nextUint32(), b.nextUint32()]).not.toEqual(first);
    c.nextUint32();
    c.nextUint32();
    const state = c.getState();
    const next = c.uniform();
    c.setState(state);
    expect(c.uniform()).toBe(next);
  });

  it('fillUint32 and fillBelow (the sparse build’s bulk draws) give what nextUint32 and a one-by-one Lemire draw give, and leave the same state', () => {
    const belowOne = (random: Random, n: number): number => {
      for (;;) {
        const product = random.nextUint32() * n;
        const high = Math.floor(product / 4294967296);
        const low = product - high * 4294967296;
        if (low >= n || low >= 4294967296 % n) return high;
      }
    };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: (1 << 21) - 300 }), fc.integer({ min: 0, max: 300 }), (seed, firstBound, count) => {
        const bulk = new Random(seed);
        const single = new Random(seed);
        const words = new Int32Array(count);
        bulk.fillUint32(words);
        expect(Array.from(words, (w) => w >>> 0)).toEqual(Array.from({ length: count }, () => single.nextUint32()));
        const draws = new Int32Array(count);
        bulk.fillBelow(draws, firstBound);
        expect(Array.from(draws)).toEqual(Array.from({ length: count }, (_, k) => belowOne(single, firstBound + k)));
        expect(bulk.uniform()).toBe(single.uniform());
      }),
      { numRuns: 200 },
    );
  });
});

describe('Izhikevich (2003) network: the paper’s distributions', () => {
  it('neurons: 80 % excitatory with a = 0.02, b = 0.2, c = −65 + 15r², d = 8 − 6r²; inhibitory a = 0.02 + 0.08r, b = 0.25 − 0.05r, c = −65, d = 2; v0 = −65, u0 = b·v0', () => {
    const n = 5000;
    const k = makeKernel(n, 'sparse', 3, { fanIn: 5 });
    expect(k.excitatory).toBe(4000);
    const rExc: number[] = [];
    const rInh: number[] = [];
    for (let i = 0; i < n; i++) {
      expect(k.v[i]).toBe(V0);
      expect(k.u[i]).toBe(k.b[i]! * V0);
      if (i < k.excitatory) {
        expect(k.a[i]).toBe(0.02);
        expect(k.b[i]).toBe(0.2);
        const r2 = (k.c[i]! + 65) / 15;
        expect(r2).toBeGreaterThanOrEqual(0);
        expect(r2).toBeLessThan(1);
        expect((8 - k.d[i]!) / 6).toBeCloseTo(r2, 12);
        rExc.push(Math.sqrt(r2));
      } else {
        expect(k.c[i]).toBe(-65);
        expect(k.d[i]).toBe(2);
        const r = (k.a[i]! - 0.02) / 0.08;
        expect((0.25 - k.b[i]!) / 0.05).toBeCloseTo(r, 12);
        rInh.push(r);
      }
    }
    // r ~ U(0, 1) for both kinds.
    expect(ksDistance(rExc, (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(ksLimit(rExc.length));
    expect(ksDistance(rInh, (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(ksLimit(rInh.length));
    // Means: E[c] = −65 + 15/3 = −60, E[d] = 8 − 6/3 = 6 (excitatory); E[a] = 0.06, E[b] = 0.225 (inhibitory).
    const [meanC] = meanVar(k.c.subarray(0, 4000));
    const [meanD] = meanVar(k.d.subarray(0, 4000));
    const [meanA] = meanVar(k.a.subarray(4000));
    const [meanB] = meanVar(k.b.subarray(4000));
    expect(Math.abs(meanC + 60)).toBeLessThan(5 * (15 * Math.sqrt(4 / 45)) / Math.sqrt(4000));
    expect(Math.abs(meanD - 6)).toBeLessThan(5 * (6 * Math.sqrt(4 / 45)) / Math.sqrt(4000));
    expect(Math.abs(meanA - 0.06)).toBeLessThan(5 * (0.08 / Math.sqrt(12)) / Math.sqrt(1000));
    expect(Math.abs(meanB - 0.225)).toBeLessThan(5 * (0.05 / Math.sqrt(12)) / Math.sqrt(1000));
  });

  it('dense weights are U(0, 1), one per ordered pair (self-connections included), scaled 0.5 (excitatory) and −1 (inhibitory)', () => {
    const k = makeKernel(1000, 'dense', 4);
    const w = k.denseWeights;
    expect(w.length).toBe(1000 * 1000);
    const [mean, variance] = meanVar(w);
    expect(Math.min(...w.subarray(0, 10000))).toBeGreaterThanOrEqual(0);
    let max = 0;
    for (let i = 0; i < w.length; i++) max = Math.max(max, w[i]!);
    expect(max).toBeLessThan(1);
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / w.length));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.001);
    expect(ksDistance(w.subarray(0, 200_000), (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(ksLimit(200_000));
    for (let i = 0; i < 1000; i++) expect(w[i * 1000 + i]).toBeGreaterThan(0);
  });

  /** Steps twins of a network, without thalamic noise, where only twin A has neuron j fire in step 0. */
  function kickOf(j: number, connectivity: 'dense' | 'sparse', n: number, params: Record<string, number> = {}) {
    const quiet = { thalamicExcitatory: 0, thalamicInhibitory: 0, fanIn: 10, ...params };
    const a = makeKernel(n, connectivity, 9, quiet);
    const b = makeKernel(n, connectivity, 9, quiet);
    a.v[j] = 100;
    const spikesA = new SpikeBuffer();
    const spikesB = new SpikeBuffer();
    a.step(0, spikesA);
    b.step(0, spikesB);
    const sameStep = Array.from(a.v, (v, i) => (i === j ? 0 : v - b.v[i]!));
    a.step(1, spikesA);
    b.step(1, spikesB);
    const nextStep = Array.from(a.v, (v, i) => (i === j ? 0 : v - b.v[i]!));
    return { a, spikesA, spikesB, sameStep, nextStep };
  }

  it('a spike adds weightExcitatory·w (or −weightInhibitory·w) to v of every target in the update of the next step', () => {
    const n = 60;
    for (const j of [3, 55]) {
      const { a, spikesA, spikesB, sameStep, nextStep } = kickOf(j, 'dense', n);
      expect(Array.from(spikesA.neuron.subarray(0, spikesA.length))).toEqual([j]);
      expect(spikesB.length).toBe(0);
      expect(sameStep.every((d) => d === 0)).toBe(true);
      const gain = j < a.excitatory ? 0.5 : -1;
      for (let i = 0; i < n; i++) if (i !== j) expect(nextStep[i]).toBeCloseTo(gain * a.denseWeights[j * n + i]!, 11);
    }
    // The scales are live parameters.
    const scaled = kickOf(3, 'dense', n, { weightExcitatory: 2 });
    for (let i = 4; i < n; i++) expect(scaled.nextStep[i]).toBeCloseTo(2 * scaled.a.denseWeights[3 * n + i]!, 11);
  });

  it('sparse: a spike kicks exactly the targets of its row, by their weights', () => {
    const n = 200;
    for (const j of [0, 170]) {
      const { a, sameStep, nextStep } = kickOf(j, 'sparse', n);
      expect(sameStep.every((d) => d === 0)).toBe(true);
      const expected = new Array<number>(n).fill(0);
      const gain = j < a.excitatory ? 0.5 : -1;
      for (let k = a.offsets[j]!; k < a.offsets[j + 1]!; k++) expected[a.synapseTarget[2 * k]!] = gain * a.synapseWeight[2 * k + 1]!;
      for (let i = 0; i < n; i++) expect(nextStep[i]).toBeCloseTo(expected[i]!, 11);
    }
  });

  it('sparse: every neuron has exactly fanIn distinct presynaptic neurons, never itself; rows are sorted', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 1000 }), (n, fraction, seed) => {
        const fanIn = Math.floor(fraction * (n - 1));
        const k = makeKernel(n, 'sparse', seed, { fanIn });
        expect(k.synapses).toBe(n * fanIn);
        const fanInOf = new Array<number>(n).fill(0);
        let selfOrUnsorted = 0;
        for (let j = 0; j < n; j++) {
          let previous = -1;
          for (let s = k.offsets[j]!; s < k.offsets[j + 1]!; s++) {
            const target = k.synapseTarget[2 * s]!;
            if (target === j || target <= previous) selfOrUnsorted++;
            previous = target;
            fanInOf[target]!++;
          }
        }
        expect(selfOrUnsorted).toBe(0);
        expect(fanInOf.every((count) => count === fanIn)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('sparse: presynaptic neurons are uniform among the others, weights U(0, 1)', () => {
    const n = 10_000;
    const fanIn = 100;
    const k = makeKernel(n, 'sparse', 21, { fanIn });
    // Out-degrees: Binomial(N·K, 1/N) per neuron, mean K, variance ≈ K.
    const degrees = Array.from({ length: n }, (_, j) => k.offsets[j + 1]! - k.offsets[j]!);
    const [mean, variance] = meanVar(degrees);
    expect(mean).toBe(fanIn);
    expect(variance).toBeGreaterThan(0.85 * fanIn);
    expect(variance).toBeLessThan(1.15 * fanIn);
    const weights = new Float64Array(k.synapses);
    for (let s = 0; s < weights.length; s++) weights[s] = k.synapseWeight[2 * s + 1]!;
    const [wMean, wVar] = meanVar(weights);
    expect(Math.abs(wMean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / weights.length));
    expect(Math.abs(wVar - 1 / 12)).toBeLessThan(0.001);
    expect(ksDistance(weights.subarray(0, 200_000), (x) => Math.min(1, Math.max(0, x)))).toBeLessThan(ksLimit(200_000));
  });
});

describe('Izhikevich (2003) network: behaviour', () => {
  /** Population spike counts in 1 ms bins, and their spectrum. */
  function analyse(result: ReturnType<typeof runScene>, neurons: number, excitatory: number) {
    const ms = Math.round(result.steps * result.dtMs);
    const counts = new Float64Array(ms);
    let exc = 0;
    for (let s = 0; s < result.spikes.neuron.length; s++) {
      counts[Math.min(ms - 1, Math.floor(result.spikes.timeMs[s]! - 1e-9))]!++;
      if (result.spikes.neuron[s]! < excitatory) exc++;
    }
    const total = result.spikes.neuron.length;
    const seconds = ms / 1000;
    // Skip the first 100 ms (the start from v = −65 everywhere is synchronous).
    const settled = counts.subarray(100);
    const [mean, variance] = meanVar(settled);
    const power = (hz: number): number => {
      let re = 0;
      let im = 0;
      for (let t = 0; t < settled.length; t++) {
        re += (settled[t]! - mean) * Math.cos((2 * Math.PI * hz * t) / 1000);
        im += (settled[t]! - mean) * Math.sin((2 * Math.PI * hz * t) / 1000);
      }
      return re * re + im * im;
    };
    const band = (lo: number, hi: number): number => {
      let sum = 0;
      for (let hz = lo; hz <= hi; hz++) sum += power(hz);
      return sum / (hi - lo + 1);
    };
    return {
      rateHz: total / neurons / seconds,
      excitatoryHz: exc / excitatory / seconds,
      inhibitoryHz: (total - exc) / (neurons - excitatory) / seconds,
      fano: variance / mean,
      alpha: band(8, 13) / band(60, 100),
      gamma: band(30, 50) / band(60, 100),
    };
  }

  it("the paper's 1000-neuron network fires at ~8 Hz, both kinds of neuron, in synchronous alpha and gamma rhythms", () => {
    // Measured over seeds 1–60 (1 s each): mean rate 7.9–8.9 Hz (the paper's own program, run with
    // the same generator: 7.1–7.9 Hz); excitatory and inhibitory rates within 10 % of each other;
    // the variance of the 1 ms population count 3–12× its mean (independent Poisson firing: 1×);
    // power at 8–13 Hz 3–67×, and at 30–50 Hz 3–13×, the power at 60–100 Hz. The bounds leave room.
    for (const seed of [1, 2]) {
      const result = runScene({ ...builtinScene('izhikevich-2003')!, seed });
      const stats = analyse(result, 1000, 800);
      expect(stats.rateHz).toBeGreaterThan(5);
      expect(stats.rateHz).toBeLessThan(15);
      expect(stats.excitatoryHz).toBeGreaterThan(3);
      expect(stats.inhibitoryHz).toBeGreaterThan(3);
      expect(stats.fano).toBeGreaterThan(2);
      expect(stats.alpha).toBeGreaterThan(2);
      expect(stats.gamma).toBeGreaterThan(2);
    }
  });

  it('the sparse network (fan-in 100) fires asynchronously at a few Hz', () => {
    const result = runScene(scene(5000, 'sparse', { durationMs: 500 }));
    const stats = analyse(result, 5000, 4000);
    expect(stats.rateHz).toBeGreaterThan(2);
    expect(stats.rateHz).toBeLessThan(10);
    expect(stats.excitatoryHz).toBeGreaterThan(1);
    expect(stats.inhibitoryHz).toBeGreaterThan(1);
  });

  it('the v probe reads 30 mV on the spike steps of its neuron, u the recovery variable', () => {
    const result = runScene(scene(1000, 'dense', { durationMs: 300, probes: [{ variable: 'v', neuron: 0 }, { variable: 'u', neuron: 0 }] }));
    const spikeSteps = Array.from(result.spikes.step).filter((_, s) => result.spikes.neuron[s] === 0);
    expect(spikeSteps.length).toBeGreaterThan(0);
    const v = result.traces[0]!;
    for (let k = 0; k < result.steps; k++) {
      if (spikeSteps.includes(k)) expect(v[k]).toBe(V_PEAK);
      else expect(v[k]).toBeLessThan(V_PEAK);
    }
    expect(result.traces[1]!.every((u) => u > -30 && u < 30)).toBe(true);
  });
});

describe('Izhikevich (2003) network: reproducibility', () => {
  const spikesOf = (result: ReturnType<typeof runScene>) => [Array.from(result.spikes.step), Array.from(result.spikes.neuron)];

  it('same seed → identical spikes; another seed → other spikes (both steppings, both connectivities)', () => {
    for (const [stepping, dtMs] of [['euler', 0.5], ['paper', 1]] as const) {
      for (const connectivity of ['dense', 'sparse'] as const) {
        const base = scene(600, connectivity, { params: { fanIn: 50 }, dtMs, options: { connectivity, stepping } });
        const a = runScene(base);
        expect(a.spikes.neuron.length).toBeGreaterThan(100);
        expect(spikesOf(runScene(base))).toEqual(spikesOf(a));
        expect(spikesOf(runScene({ ...base, seed: base.seed + 1 }))).not.toEqual(spikesOf(a));
      }
    }
  });

  it('a kernel told that its input is all zeros (inputIsZero: I_ext not read) computes the bits of one that reads zeros, ±0 included, at any thalamic sigma', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('sparse', 'dense'),
        fc.constantFrom(0, 0.5, 5, 40),
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.boolean(), { minLength: 301, maxLength: 301 }),
        (connectivity, sigma, seed, negativeZeros) => {
          const params = { thalamicExcitatory: sigma, thalamicInhibitory: sigma / 2, fanIn: 30 };
          const skipping = makeKernel(301, connectivity, seed, params);
          const reading = makeKernel(301, connectivity, seed, params);
          skipping.inputIsZero = true;
          negativeZeros.forEach((negative, i) => (reading.inputCurrent[i] = negative ? -0 : 0));
          const spikes = [new SpikeBuffer(), new SpikeBuffer()];
          for (let step = 0; step < 300; step++) {
            skipping.step(step, spikes[0]!);
            reading.step(step, spikes[1]!);
          }
          expect(Array.from(spikes[0]!.neuron.subarray(0, spikes[0]!.length))).toEqual(Array.from(spikes[1]!.neuron.subarray(0, spikes[1]!.length)));
          const bytes = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
          for (const name of ['v', 'u', 'synaptic'] as const) expect(bytes(skipping[name])).toEqual(bytes(reading[name]));
        },
      ),
      { numRuns: 12 },
    );
  });

  it('the WebAssembly update, noise and propagation compute the bits of the JavaScript loops: v, u, sums, who fired and in what order, divergence, rebuilds', () => {
    const wasmKernel = (size: number, connectivity: 'dense' | 'sparse', seed: number, params: Record<string, number>, wasm: boolean) => {
      useWasmKernels(wasm);
      try {
        return makeKernel(size, connectivity, seed, params);
      } finally {
        useWasmKernels(true);
      }
    };
    expect(wasmKernel(10, 'sparse', 1, { fanIn: 3 }, true).wasm).toBe(true);
    expect(wasmKernel(10, 'sparse', 1, { fanIn: 3 }, false).wasm).toBe(false);
    fc.assert(
      fc.property(
        fc.constantFrom('sparse', 'dense'),
        fc.integer({ min: 2, max: 61 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.constantFrom(0, 2, 5, 40),
        fc.integer({ min: 1, max: 1000 }),
        fc.boolean(),
        fc.array(fc.oneof(fc.double({ min: -100, max: 100, noNaN: true }), fc.constantFrom(0, -0, 1e300, Infinity, NaN)), { minLength: 61, maxLength: 61 }),
        fc.array(fc.double({ min: -200, max: 60, noNaN: true }), { minLength: 61, maxLength: 61 }),
        fc.integer({ min: 1, max: 60 }),
        (connectivity, size, excitatoryFraction, sigma, seed, external, input, v, newFanIn) => {
          const params = { excitatoryFraction, thalamicExcitatory: sigma, thalamicInhibitory: sigma / 2, fanIn: Math.min(10, size - 1), weightExcitatory: 3, weightInhibitory: 7 };
          const kernels = [true, false].map((wasm) => wasmKernel(size, connectivity, seed, params, wasm));
          const outcomes = kernels.map((k) => {
            k.inputIsZero = !external;
            for (let i = 0; i < size; i++) {
              k.v[i] = v[i]!;
              if (external) k.inputCurrent[i] = input[i]!;
            }
            const spikes = new SpikeBuffer();
            let error = '';
            try {
              for (let step = 0; step < 40; step++) {
                // A rebuild half-way: more synapses than the WebAssembly memory has room for are kept (and propagated) in JavaScript.
                if (step === 20) k.setParam('fanIn', Math.min(newFanIn, size - 1));
                k.step(step, spikes);
              }
            } catch (caught) {
              error = String(caught);
            }
            const bytes = (a: Float64Array) => Array.from(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
            return { error, fired: Array.from(spikes.neuron.subarray(0, spikes.length)), v: bytes(k.v), u: bytes(k.u), synaptic: bytes(k.synaptic) };
          });
          expect(outcomes[0]).toEqual(outcomes[1]);
        },
      ),
      { numRuns: 150 },
    );
  });

  /** Everything a run produced, with the ticks given (the rest in one tick). */
  function runSplit(s: Scene, sizes: readonly number[]) {
    const simulation = new Simulation(s);
    const total = stepCount(s);
    const spikes: number[] = [];
    const traces = simulation.channels.map(() => [] as number[]);
    let done = 0;
    for (const size of [...sizes, total]) {
      const steps = Math.min(size, total - done);
      if (steps <= 0) break;
      const frame = simulation.advance(steps);
      for (let i = 0; i < frame.spikes.step.length; i++) spikes.push(frame.spikes.step[i]!, frame.spikes.neuron[i]!);
      frame.traces.forEach((trace, c) => traces[c]!.push(...trace));
      done += steps;
    }
    return { spikes, traces, state: simulation.kernel.saveState() };
  }

  // The properties below hold for both steppings: the default (0.5 ms) and the paper's (1 ms).
  for (const [stepping, dtMs] of [['euler', 0.5], ['paper', 1]] as const) {
    describe(`stepping '${stepping}'`, () => {
      const chunked = scene(800, 'sparse', {
        dtMs,
        durationMs: 60,
        options: { connectivity: 'sparse', stepping },
        params: { fanIn: 40, thalamicHoldMs: 1.5 },
        stimulus: [{ kind: 'dc', amplitude: 3, startMs: 10, stopMs: 30, targets: [0, 1, 2] }],
        probes: [
          { variable: 'v', neuron: 0 },
          { variable: 'u', neuron: 1 },
          { variable: 'iExt', neuron: 2 },
        ],
      });

      it('any split of the steps into ticks gives bit-identical spikes, traces and state', () => {
        const whole = runSplit(chunked, []);
        fc.assert(
          fc.property(fc.array(fc.integer({ min: 1, max: 37 }), { maxLength: 12 }), (sizes) => {
            expect(runSplit(chunked, sizes)).toEqual(whole);
          }),
          { numRuns: 15 },
        );
      });

      it('runScene gives the same spikes and traces for any steps per tick, events included', () => {
        const events = [
          { kind: 'pulse' as const, step: 15, amplitude: 20, durationMs: 2, targets: [5] },
          { kind: 'set-param' as const, step: 40, name: 'weightExcitatory', value: 1 },
        ];
        const reference = runScene(chunked, { stepsPerTick: 1000, events });
        for (const stepsPerTick of [1, 3, 17]) {
          const result = runScene(chunked, { stepsPerTick, events });
          expect(spikesOf(result)).toEqual(spikesOf(reference));
          expect(result.traces).toEqual(reference.traces);
        }
      });

      it('a snapshot taken mid-run resumes bit-identically, in the same or a new simulation', () => {
        const total = stepCount(chunked);
        fc.assert(
          fc.property(fc.integer({ min: 0, max: total - 1 }), (at) => {
            const original = new Simulation(chunked);
            original.advance(at);
            const snapshot = original.snapshot();
            const rest = original.advance(total - at);
            const state = original.kernel.saveState();

            const resumed = new Simulation(chunked);
            resumed.advance(Math.min(total, at + 7));
            resumed.restore(snapshot);
            const again = resumed.advance(total - at);
            expect(again.spikes).toEqual(rest.spikes);
            expect(again.traces).toEqual(rest.traces);
            expect(resumed.kernel.saveState()).toEqual(state);
          }),
          { numRuns: 10 },
        );
      });

      it('a restart replays the run from its start exactly (the thalamic hold restarts too)', () => {
        const base = scene(300, 'sparse', { dtMs, durationMs: 20, options: { connectivity: 'sparse', stepping }, params: { fanIn: 20 } });
        const steps = stepCount(base);
        const fresh = new Simulation(base).advance(steps).spikes;
        const restartAt = Math.floor(0.8 * steps) + 1;
        const simulation = new Simulation(base);
        simulation.schedule({ kind: 'restart', step: restartAt });
        const looped = simulation.advance(restartAt + steps).spikes;
        const after = Array.from(looped.step).flatMap((step, s) => (step >= restartAt ? [step - restartAt, looped.neuron[s]!] : []));
        expect(after).toEqual(Array.from(fresh.step).flatMap((step, s) => [step, fresh.neuron[s]!]));
      });
    });
  }

  it('changing excitatoryFraction or fanIn rebuilds the structure a fresh network with those values has', () => {
    const k = makeKernel(300, 'sparse', 5, { fanIn: 20 });
    k.setParam('excitatoryFraction', 0.5);
    k.setParam('fanIn', 30);
    const fresh = makeKernel(300, 'sparse', 5, { fanIn: 30, excitatoryFraction: 0.5 });
    expect(k.excitatory).toBe(150);
    expect(k.a).toEqual(fresh.a);
    expect(k.d).toEqual(fresh.d);
    expect(k.offsets).toEqual(fresh.offsets);
    expect(k.synapseTarget).toEqual(fresh.synapseTarget);
    expect(k.synapseWeight).toEqual(fresh.synapseWeight);
    // A value the network cannot take is refused and changes nothing.
    expect(() => k.setParam('fanIn', 300)).toThrow(InputError);
    expect(k.getParam('fanIn')).toBe(30);
    expect(k.offsets).toEqual(fresh.offsets);
  });
});

describe('Izhikevich (2003) network: errors', () => {
  it('refuses what it cannot build, naming the field', () => {
    expect(() => new Simulation(scene(10_001, 'dense'))).toThrow(/neurons = 10001 .*synapses/);
    expect(() => new Simulation(scene(50, 'sparse'))).toThrow(/params.fanIn = 100 .*at most neurons − 1 = 49/);
    expect(() => new Simulation(scene(50, 'dense', { connectivity: { kind: 'ring' } }))).toThrow(/connectivity = "ring"/);
  });

  it('a non-finite v or u stops the run with the neuron and the step', () => {
    const k = makeKernel(100, 'sparse', 1, { fanIn: 10 });
    const spikes = new SpikeBuffer();
    k.step(0, spikes);
    k.u[42] = Infinity;
    let caught: unknown;
    try {
      k.step(1, spikes);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DivergenceError);
    expect(caught).toMatchObject({ variable: 'v', neuron: 42, step: 1, timeMs: 1, value: -Infinity });
    const inhibitory = makeKernel(100, 'dense', 1);
    inhibitory.v[90] = NaN;
    expect(() => inhibitory.step(0, new SpikeBuffer())).toThrow(/v of neuron 90 became NaN/);
  });
});
