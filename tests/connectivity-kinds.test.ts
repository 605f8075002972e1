/**
 * Connectivity kinds of the scene (src/core/connectivity.ts): none, ring, random (dense, by
 * probability, by fan-in), all-to-all and a user matrix — the synapses each builds, the checks
 * and limits parseScene applies to them (the same for the CLI, files, links and the page's panel).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildWeights, parseConnectivity, type SparseWeights } from '../src/core/connectivity.ts';
import { synapseCount } from '../src/core/limits.ts';
import { Random } from '../src/core/random.ts';
import { parseScene } from '../src/core/scene.ts';
import { runScene } from '../src/stream/run.ts';

/** Presynaptic neurons of each postsynaptic neuron. */
function inputs(w: SparseWeights): number[][] {
  const out: number[][] = Array.from({ length: w.size }, () => []);
  for (let j = 0; j < w.size; j++) for (let k = w.offsets[j]!; k < w.offsets[j + 1]!; k++) out[w.targets[k]!]!.push(j);
  return out;
}

describe('connectivity kinds', () => {
  it('all-to-all: every neuron drives every other one with the weight; none, ring as before', () => {
    const w = buildWeights({ kind: 'all-to-all', weight: 0.25 }, 5, new Random(1));
    expect(w.targets.length).toBe(20);
    expect(inputs(w)).toEqual([0, 1, 2, 3, 4].map((i) => [0, 1, 2, 3, 4].filter((j) => j !== i)));
    expect([...w.weights].every((x) => x === 0.25)).toBe(true);
    expect(buildWeights({ kind: 'none' }, 5, new Random(1)).targets.length).toBe(0);
    expect(inputs(buildWeights({ kind: 'ring' }, 4, new Random(1)))).toEqual([[3], [0], [1], [2]]);
  });

  it('random by fan-in: exactly fanIn distinct inputs per neuron, weights in [0, weightMax), the same from the same seed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, seed, f) => {
        const fanIn = Math.floor(f * n);
        const w = buildWeights({ kind: 'random', fanIn, weightMax: 2 }, n, new Random(seed));
        for (const pres of inputs(w)) {
          expect(pres.length).toBe(fanIn);
          expect(new Set(pres).size).toBe(fanIn);
        }
        expect([...w.weights].every((x) => x >= 0 && x < 2)).toBe(true);
        expect(buildWeights({ kind: 'random', fanIn, weightMax: 2 }, n, new Random(seed))).toEqual(w);
      }),
      { numRuns: 100 },
    );
  });

  it('random by probability: about p·N² synapses (p = 0 none, p = 1 all), no pair twice', () => {
    const n = 300;
    for (const p of [0, 0.05, 0.5, 1]) {
      const w = buildWeights({ kind: 'random', probability: p, weightMax: 1 }, n, new Random(3));
      const expected = p * n * n;
      const sd = Math.sqrt(n * n * p * (1 - p));
      expect(Math.abs(w.targets.length - expected)).toBeLessThanOrEqual(5 * sd + 1e-9);
      for (const pres of inputs(w)) expect(new Set(pres).size).toBe(pres.length);
    }
  });

  it('parsing: fields checked per kind, with the field named; fanIn within the network; probability or fanIn, not both', () => {
    expect(parseConnectivity({ kind: 'random', probability: 0.1, weightMax: 0.5 }, 10)).toEqual({ kind: 'random', probability: 0.1, weightMax: 0.5 });
    expect(() => parseConnectivity({ kind: 'random', probability: 1.5 }, 10)).toThrow(/connectivity.probability = 1.5 is not allowed/);
    expect(() => parseConnectivity({ kind: 'random', fanIn: 11 }, 10)).toThrow(/connectivity.fanIn = 11 is not allowed: a whole number from 0 to 10/);
    expect(() => parseConnectivity({ kind: 'random', fanIn: 2, probability: 0.1 }, 10)).toThrow(/not both/);
    expect(() => parseConnectivity({ kind: 'all-to-all', weightMax: 1 }, 10)).toThrow(/connectivity.weightMax .* not a field of "all-to-all"/);
    expect(() => parseConnectivity({ kind: 'star' }, 10)).toThrow(/one of none, ring, random, all-to-all, matrix/);
  });

  it('limits: synapses counted from the kind before any is built (the CLI and the page alike)', () => {
    const scene = (connectivity: object, neurons: number) => ({ model: 'lif-network' as const, neurons, connectivity, durationMs: 1 });
    expect(() => parseScene(scene({ kind: 'all-to-all' }, 10_000))).toThrow(/neurons = 10000 is not allowed: at most 20 000 000 synapses/);
    expect(() => parseScene(scene({ kind: 'random', fanIn: 300 }, 100_000))).toThrow(/fanIn = 300 synapses per neuron make 30000000/);
    parseScene(scene({ kind: 'random', fanIn: 100 }, 100_000));
    parseScene(scene({ kind: 'random', probability: 0.001 }, 100_000));
    const parsed = parseScene(scene({ kind: 'random', probability: 0.5 }, 10));
    expect(synapseCount(parsed)).toBe(50);
  });

  it('a network of each kind runs, and the same scene gives the same spikes', () => {
    for (const connectivity of [{ kind: 'all-to-all', weight: 0.2 }, { kind: 'random', probability: 0.2, weightMax: 1 }, { kind: 'random', fanIn: 5, weightMax: 1 }]) {
      const scene = parseScene({ model: 'lif-network', neurons: 40, connectivity, params: { spikeDelta: 0 }, stimulus: [{ kind: 'dc', amplitude: 1.5, targets: [0, 1, 2] }], durationMs: 200, seed: 5 });
      const a = runScene(scene);
      expect(a.spikes.neuron.length).toBeGreaterThan(0);
      expect(runScene(scene).spikes).toEqual(a.spikes);
    }
  });
});
