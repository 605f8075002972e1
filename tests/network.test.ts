import { describe, expect, it } from 'vitest';
import { buildWeights } from '../src/core/connectivity.ts';
import { Random } from '../src/core/random.ts';
import { parseScene } from '../src/core/scene.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { runScene, runSweep } from '../src/stream/run.ts';

function firstSpikes(result: ReturnType<typeof runScene>, neurons: number): number[] {
  const first = new Array<number>(neurons).fill(Infinity);
  result.spikes.neuron.forEach((n, s) => (first[n] = Math.min(first[n]!, result.spikes.timeMs[s]!)));
  return first;
}

describe('LIF network (seed program 2)', () => {
  it('the seed ring carries activity around the ring: neuron i fires after neuron i−1, all the way round and again', () => {
    const result = runScene(builtinScene('ring')!);
    const first = firstSpikes(result, 50);
    for (let i = 1; i < 50; i++) expect(first[i]!).toBeGreaterThan(first[i - 1]!);
    // Every neuron fires more than once: the wave keeps circulating.
    const counts = new Array<number>(50).fill(0);
    result.spikes.neuron.forEach((n) => counts[n]!++);
    expect(Math.min(...counts)).toBeGreaterThan(1);
    // Spike order follows the ring: each spike of neuron i (i > 0) comes after a spike of neuron i−1 within one hop.
    const hop = (first[49]! - first[0]!) / 49;
    const times = (n: number) => Array.from(result.spikes.timeMs).filter((_, s) => result.spikes.neuron[s] === n);
    for (let i = 1; i < 50; i++) {
      for (const t of times(i)) expect(times(i - 1).some((u) => u < t && t - u < 3 * hop)).toBe(true);
    }
  });

  it('the wave speed depends on tau_psc (the seed sweep)', () => {
    const runs = runSweep(builtinScene('ring-sweep')!);
    expect(runs.length).toBe(20);
    const hops = runs.map(({ result }) => {
      const first = firstSpikes(result, 50);
      return (first[49]! - first[1]!) / 48;
    });
    // Each value gives a travelling wave, and the hop latency changes with tau_psc.
    for (const hop of hops) expect(Number.isFinite(hop) && hop > 0).toBe(true);
    expect(new Set(hops.map((h) => h.toFixed(6))).size).toBeGreaterThan(10);
  });

  it('the synaptic current of one presynaptic spike is w·s·exp(−s/tau_psc), exactly', () => {
    const w = 0.7;
    const tau = 5;
    const scene = parseScene({
      model: 'lif-network',
      neurons: 2,
      params: { tauPscMs: tau, spikeDelta: 0 },
      connectivity: { kind: 'matrix', weights: [[0, 0], [w, 0]] },
      stimulus: [{ kind: 'dc', amplitude: 50, targets: [0], stopMs: 1 }],
      dtMs: 0.125,
      durationMs: 40,
      probes: [{ variable: 'iSyn', neuron: 1 }],
    });
    const result = runScene(scene);
    const spikeTimes = Array.from(result.spikes.timeMs).filter((_, s) => result.spikes.neuron[s] === 0);
    expect(spikeTimes.length).toBe(1);
    const t0 = spikeTimes[0]!;
    for (let k = 0; k < result.steps; k++) {
      const s = (k + 1) * 0.125 - t0;
      const expected = s <= 0 ? 0 : w * s * Math.exp(-s / tau);
      expect(result.traces[0]![k]).toBeCloseTo(expected, 12);
    }
  });

  it("the seed's start (every neuron fired at −tau_ref) is an explicit option", () => {
    const scene = (history: string) =>
      parseScene({ model: 'lif-network', neurons: 3, options: { history }, connectivity: { kind: 'ring' }, params: { tauPscMs: 6 }, dtMs: 0.125, durationMs: 0.125, probes: [{ variable: 'iSyn', neuron: 1 }] });
    const none = runScene(scene('none'));
    expect(none.traces[0]![0]).toBe(0);
    const seed = runScene(scene('fired-at-minus-tau-ref'));
    const s = 4 + 0.125;
    expect(seed.traces[0]![0]).toBeCloseTo(s * Math.exp(-s / 6), 12);
  });

  it('builds the ring, random and matrix weights sparsely and deterministically', () => {
    const ring = buildWeights({ kind: 'ring', weight: 2 }, 4, new Random(1));
    expect(Array.from(ring.offsets)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(ring.targets)).toEqual([1, 2, 3, 0]);
    const a = buildWeights({ kind: 'random', weightMax: 0.3 }, 10, new Random(7));
    const b = buildWeights({ kind: 'random', weightMax: 0.3 }, 10, new Random(7));
    expect(a.targets.length).toBe(100);
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(Math.max(...a.weights)).toBeLessThan(0.3);
    const m = buildWeights({ kind: 'matrix', weights: [[0, 1], [2, 0]] }, 2, new Random(1));
    // weights[post][pre]: neuron 1 drives neuron 0 with 1; neuron 0 drives neuron 1 with 2.
    expect(Array.from(m.targets)).toEqual([1, 0]);
    expect(Array.from(m.weights)).toEqual([2, 1]);
  });
});
