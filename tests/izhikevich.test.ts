import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SpikeBuffer } from '../src/core/kernel.ts';
import { IzhikevichKernel, izhikevich, izhikevichParams, type IzhikevichParams } from '../src/core/models/izhikevich.ts';
import { izhikevichPresets, type IzhikevichPreset } from '../src/core/presets/izhikevich-presets.ts';
import { resolveParams } from '../src/core/schema.ts';
import { stimulusValue } from '../src/core/stimulus.ts';

/** One record of tests/reference/izhikevich-seed.json, written by tools/izhikevich_seed.py. */
interface SeedRun {
  finalV: number;
  finalU: number;
  vTraceSum: number;
  uTraceSum: number;
}
interface SeedRecord {
  id: string;
  label: string;
  dtMs: number;
  T: number;
  samples: number;
  spikeSamples: number[];
  /** [i, stim[i]] wherever stim[i] differs from stim[i − 1], from i = 0. */
  stimChanges: [number, number][];
  /** The seed's program as written (v**2 through the C library's pow). */
  seed: SeedRun;
  /** The same with v**2 written v*v: what an exact transcription of the seed computes. */
  product: SeedRun;
  samplesWherePowDiffers: number;
}

const seedTable = JSON.parse(readFileSync(new URL('./reference/izhikevich-seed.json', import.meta.url), 'utf8')) as SeedRecord[];

function presetFor(record: SeedRecord): IzhikevichPreset {
  const preset = izhikevichPresets.find((p) => p.id === record.id);
  if (!preset) throw new Error(`no preset ${record.id}`);
  return preset;
}

function seedStimulus(record: SeedRecord): Float64Array {
  const stim = new Float64Array(record.samples);
  const changes = record.stimChanges;
  for (let n = 0; n < changes.length; n++) {
    const [from, value] = changes[n]!;
    const to = n + 1 < changes.length ? changes[n + 1]![0] : record.samples;
    stim.fill(value, from, to);
  }
  return stim;
}

function createKernel(params: Record<string, number>, dtMs: number, size = 1): IzhikevichKernel {
  return izhikevich.create({ size, dtMs, params, choices: {}, seed: 0 }) as IzhikevichKernel;
}

interface RunResult {
  steps: number;
  spikeSteps: number[];
  spikeTimesMs: number[];
  finalV: number;
  finalU: number;
  vTraceSum: number;
  uTraceSum: number;
}

/** Runs a preset as the driver would: the stimulus at t = k·dt before step k. */
function runPreset(preset: IzhikevichPreset): RunResult {
  const kernel = createKernel(resolveParams(izhikevichParams, preset.params), preset.dtMs);
  const steps = Math.round(preset.durationMs / preset.dtMs);
  const spikes = new SpikeBuffer();
  let vTraceSum = 0;
  let uTraceSum = 0;
  for (let k = 0; k < steps; k++) {
    kernel.inputCurrent[0] = stimulusValue(preset.stimulus, k * preset.dtMs);
    kernel.step(k, spikes);
    vTraceSum += kernel.probe(0, 0);
    uTraceSum += kernel.probe(1, 0);
  }
  return {
    steps,
    spikeSteps: Array.from(spikes.step.subarray(0, spikes.length)),
    spikeTimesMs: Array.from(spikes.timeMs.subarray(0, spikes.length)),
    finalV: kernel.v[0]!,
    finalU: kernel.u[0]!,
    vTraceSum,
    uTraceSum,
  };
}

/**
 * The textbook Euler order (u from the v at the start of the step), written out here only to
 * show that the seed's order matters. Returns the spike steps.
 */
function runTextbookOrder(preset: IzhikevichPreset): number[] {
  const p = resolveParams(izhikevichParams, preset.params) as IzhikevichParams;
  const dt = preset.dtMs;
  let v = p.v0;
  let u = p.u0;
  const spikeSteps: number[] = [];
  const steps = Math.round(preset.durationMs / dt);
  for (let k = 0; k < steps; k++) {
    const input = stimulusValue(preset.stimulus, k * dt);
    const vNew = v + dt * (p.k2 * (v * v) + p.k1 * v + p.k0 - u + input);
    u = u + dt * (p.a * (p.b * (v - p.uVOffset) - p.uLeak * u));
    v = vNew;
    if (v > p.vPeak) {
      spikeSteps.push(k);
      v = p.c;
      u += p.d;
    }
  }
  return spikeSteps;
}

describe('Izhikevich presets against the seed (tools/izhikevich_seed.py)', () => {
  it('has the 20 presets A–T, in the seed order', () => {
    expect(seedTable.map((r) => r.id)).toEqual([...'ABCDEFGHIJKLMNOPQRST']);
    expect(izhikevichPresets.map((p) => p.id)).toEqual(seedTable.map((r) => r.id));
    for (const preset of izhikevichPresets) expect(preset.label.startsWith(`(${preset.id}) `)).toBe(true);
  });

  it.each(seedTable.map((r) => [`${r.label}: ${r.spikeSamples.length} spike${r.spikeSamples.length === 1 ? '' : 's'}`, r] as const))('%s, at the seed samples', (_name, record) => {
    const preset = presetFor(record);
    expect(preset.dtMs).toBe(record.dtMs);
    const run = runPreset(preset);
    expect(run.steps).toBe(record.samples);
    expect(run.spikeSteps).toEqual(record.spikeSamples);
    // Our spike time is the end of the step: one dt after the seed's sample time i·dt.
    expect(run.spikeTimesMs).toEqual(record.spikeSamples.map((i) => (i + 1) * preset.dtMs));
    // Bit for bit equal to the seed's program with its v**2 computed as the correctly rounded v*v.
    expect([run.finalV, run.finalU, run.vTraceSum, run.uTraceSum]).toEqual([
      record.product.finalV,
      record.product.finalU,
      record.product.vTraceSum,
      record.product.uTraceSum,
    ]);
    // And bit for bit equal to the seed as written wherever its pow() happened to round as v*v does.
    if (record.samplesWherePowDiffers === 0) {
      expect([run.finalV, run.finalU, run.vTraceSum, run.uTraceSum]).toEqual([record.seed.finalV, record.seed.finalU, record.seed.vTraceSum, record.seed.uTraceSum]);
    }
  });

  it.each(seedTable.map((r) => [r.label, r] as const))('%s: the stimulus equals the seed stim array bit for bit', (_name, record) => {
    const preset = presetFor(record);
    const stim = seedStimulus(record);
    const mismatches: string[] = [];
    for (let k = 0; k < record.samples; k++) {
      const value = stimulusValue(preset.stimulus, k * preset.dtMs);
      if (!Object.is(value, stim[k]!)) mismatches.push(`k=${k} t=${k * preset.dtMs}: ${value} instead of ${stim[k]}`);
    }
    expect(mismatches).toEqual([]);
  });

  it("the textbook order (u from the old v) would not reproduce the seed's patterns", () => {
    const changed = seedTable.filter((record) => runTextbookOrder(presetFor(record)).length !== record.spikeSamples.length).map((r) => r.id);
    // As the kernel's doc comment says: 8 of the 20 presets change spike count.
    expect(changed).toEqual(['C', 'D', 'H', 'N', 'P', 'Q', 'S', 'T']);
  });
});

const sane = {
  a: fc.double({ min: 0.002, max: 0.2, noNaN: true }),
  b: fc.double({ min: -0.2, max: 0.3, noNaN: true }),
  c: fc.double({ min: -75, max: -40, noNaN: true }),
  d: fc.double({ min: -5, max: 10, noNaN: true }),
  input: fc.double({ min: -5, max: 40, noNaN: true }),
  dtMs: fc.constantFrom(0.1, 0.2, 0.25, 0.5),
  v0: fc.double({ min: -80, max: -50, noNaN: true }),
};

function paramsOf(a: number, b: number, c: number, d: number, v0: number): Record<string, number> {
  return resolveParams(izhikevichParams, { a, b, c, d, v0, u0: b * v0 });
}

describe('Izhikevich kernel properties', () => {
  it('a spike step leaves v = c and u = (u after the Euler update) + d; other steps leave the Euler update', () => {
    fc.assert(
      fc.property(sane.a, sane.b, sane.c, sane.d, sane.input, sane.dtMs, sane.v0, (a, b, c, d, input, dt, v0) => {
        const kernel = createKernel(paramsOf(a, b, c, d, v0), dt);
        const spikes = new SpikeBuffer();
        let spikeCount = 0;
        for (let k = 0; k < 1000; k++) {
          const vBefore = kernel.v[0]!;
          const uBefore = kernel.u[0]!;
          kernel.inputCurrent[0] = input;
          kernel.step(k, spikes);
          // u' = a(bv − u) from the new v, as the seed integrates.
          const vEuler = vBefore + dt * (0.04 * (vBefore * vBefore) + 5 * vBefore + 140 - uBefore + input);
          const uEuler = uBefore + dt * (a * (b * vEuler - uBefore));
          if (vEuler > 30) {
            expect(spikes.length).toBe(spikeCount + 1);
            expect(spikes.step[spikeCount]).toBe(k);
            expect(spikes.timeMs[spikeCount]).toBe((k + 1) * dt);
            spikeCount++;
            expect(kernel.v[0]).toBe(c);
            expect(kernel.u[0]).toBe(uEuler + d);
            expect(kernel.probe(0, 0)).toBe(30);
          } else {
            expect(spikes.length).toBe(spikeCount);
            expect(kernel.v[0]).toBe(vEuler);
            expect(kernel.u[0]).toBe(uEuler);
            expect(kernel.probe(0, 0)).toBe(vEuler);
          }
          expect(kernel.probe(1, 0)).toBe(kernel.u[0]);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('saveState / restoreState midway resumes bit-identically', () => {
    fc.assert(
      fc.property(sane.a, sane.b, sane.c, sane.d, sane.input, sane.dtMs, sane.v0, fc.integer({ min: 1, max: 1500 }), fc.double({ min: 0, max: 1, noNaN: true }), (a, b, c, d, input, dt, v0, steps, at) => {
        const params = paramsOf(a, b, c, d, v0);
        const split = Math.floor(at * steps);
        const run = (kernel: IzhikevichKernel, from: number, to: number, spikes: SpikeBuffer, trace: number[]) => {
          for (let k = from; k < to; k++) {
            kernel.inputCurrent[0] = input;
            kernel.step(k, spikes);
            trace.push(kernel.probe(0, 0), kernel.probe(1, 0));
          }
        };
        const whole = createKernel(params, dt);
        const wholeSpikes = new SpikeBuffer();
        const wholeTrace: number[] = [];
        run(whole, 0, steps, wholeSpikes, wholeTrace);

        const first = createKernel(params, dt);
        const spikes = new SpikeBuffer();
        const trace: number[] = [];
        run(first, 0, split, spikes, trace);
        const saved = first.saveState();
        // Moving on must not change the saved copy.
        run(first, split, split + 7, new SpikeBuffer(), []);
        const second = createKernel(params, dt);
        second.restoreState(saved);
        run(second, split, steps, spikes, trace);

        expect(trace).toEqual(wholeTrace);
        expect(Array.from(spikes.step.subarray(0, spikes.length))).toEqual(Array.from(wholeSpikes.step.subarray(0, wholeSpikes.length)));
        expect(Array.from(spikes.timeMs.subarray(0, spikes.length))).toEqual(Array.from(wholeSpikes.timeMs.subarray(0, wholeSpikes.length)));
        expect([second.v[0], second.u[0]]).toEqual([whole.v[0], whole.u[0]]);
      }),
      { numRuns: 80 },
    );
  });

  it('neurons with their own a, b, c, d in one kernel behave as separate one-neuron kernels', () => {
    const neuron = fc.record({ a: sane.a, b: sane.b, c: sane.c, d: sane.d, input: sane.input });
    fc.assert(
      fc.property(fc.array(neuron, { minLength: 1, maxLength: 6 }), sane.dtMs, (neurons, dt) => {
        const steps = 600;
        const shared = createKernel(paramsOf(0.02, 0.2, -65, 6, -70), dt, neurons.length);
        neurons.forEach((n, i) => {
          shared.a[i] = n.a;
          shared.b[i] = n.b;
          shared.c[i] = n.c;
          shared.d[i] = n.d;
          shared.u[i] = 0.2 * -70;
        });
        const sharedSpikes = new SpikeBuffer();
        for (let k = 0; k < steps; k++) {
          neurons.forEach((n, i) => (shared.inputCurrent[i] = n.input));
          shared.step(k, sharedSpikes);
        }
        neurons.forEach((n, i) => {
          const single = createKernel(paramsOf(n.a, n.b, n.c, n.d, -70), dt);
          single.u[0] = 0.2 * -70;
          const spikes = new SpikeBuffer();
          for (let k = 0; k < steps; k++) {
            single.inputCurrent[0] = n.input;
            single.step(k, spikes);
          }
          const mine: number[] = [];
          for (let s = 0; s < sharedSpikes.length; s++) if (sharedSpikes.neuron[s] === i) mine.push(sharedSpikes.step[s]!);
          expect(mine).toEqual(Array.from(spikes.step.subarray(0, spikes.length)));
          expect([shared.v[i], shared.u[i]]).toEqual([single.v[0], single.u[0]]);
        });
      }),
      { numRuns: 40 },
    );
  });

  it('setParam fills every neuron and getParam reads it back', () => {
    const kernel = createKernel(resolveParams(izhikevichParams, {}), 0.25, 4);
    kernel.setParam('d', 2);
    kernel.setParam('vPeak', 25);
    expect(Array.from(kernel.d)).toEqual([2, 2, 2, 2]);
    expect(kernel.getParam('d')).toBe(2);
    expect(kernel.getParam('vPeak')).toBe(25);
    expect(kernel.getParam('a')).toBe(0.02);
  });

  it('schema defaults are preset (A), and every preset value is inside its allowed range', () => {
    const presetA = izhikevichPresets[0]!;
    const defaults = resolveParams(izhikevichParams, {});
    for (const name of ['a', 'b', 'c', 'd', 'v0'] as const) expect(defaults[name]).toBe(presetA.params[name]);
    for (const preset of izhikevichPresets) expect(() => resolveParams(izhikevichParams, preset.params, preset.id)).not.toThrow();
  });

  it('a diverging run stops with a message naming the neuron and the step', () => {
    const kernel = createKernel(resolveParams(izhikevichParams, { k2: -1 }), 0.5);
    const spikes = new SpikeBuffer();
    expect(() => {
      for (let k = 0; k < 100; k++) kernel.step(k, spikes);
    }).toThrow(/diverged: [vu] of neuron 0 became (NaN|-?Infinity) at t = [\d.]+ ms \(step \d+\)/);
  });
});
