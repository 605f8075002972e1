import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InputEvent, PulseEvent } from '../src/core/events.ts';
import { parseScene, stepCount, type Scene } from '../src/core/scene.ts';
import { builtinScene, builtinSceneIds } from '../src/core/scenes.ts';
import { DivergenceError, Simulation } from '../src/core/simulation.ts';
import { runScene } from '../src/stream/run.ts';

/** Runs `scene` with the given tick sizes (the rest in one tick) and returns everything it produced. */
function runSplit(scene: Scene, sizes: number[], events: InputEvent[] = []) {
  const simulation = new Simulation(scene);
  for (const event of events) simulation.schedule(event);
  const total = stepCount(scene);
  const traces = simulation.channels.map(() => [] as number[]);
  const spikes: number[] = [];
  let done = 0;
  for (const size of [...sizes, total]) {
    const steps = Math.min(size, total - done);
    if (steps <= 0) break;
    const frame = simulation.advance(steps);
    frame.traces.forEach((trace, c) => traces[c]!.push(...trace));
    for (let s = 0; s < frame.spikes.step.length; s++) spikes.push(frame.spikes.step[s]!, frame.spikes.neuron[s]!, frame.spikes.timeMs[s]!);
    done += steps;
  }
  return { traces, spikes, state: simulation.kernel.saveState() };
}

const shortScene = (id: string): Scene => {
  const scene = builtinScene(id)!;
  delete scene.sweep;
  // At most 2000 neurons: the 100k network would only make the comparisons slow (its own tests cover it).
  return parseScene({ ...scene, neurons: Math.min(scene.neurons, 2000), durationMs: Math.min(scene.durationMs, 60) });
};

describe('simulation driver', () => {
  it('every built-in scene gives bit-identical traces, spikes and state for any split into ticks', () => {
    for (const id of builtinSceneIds) {
      const scene = shortScene(id);
      const whole = runSplit(scene, []);
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: 97 }), { maxLength: 40 }), (sizes) => {
          expect(runSplit(scene, sizes)).toEqual(whole);
        }),
        { numRuns: 8 },
      );
    }
  });

  it('the same scene gives identical output twice', () => {
    for (const id of ['lif', 'ring', 'hh', 'izhikevich/T']) {
      const scene = shortScene(id);
      expect(runScene(scene)).toEqual(runScene(scene));
    }
  });

  it('a parameter change stamped at step k equals running to k, changing it, and going on', () => {
    const scene = shortScene('izhikevich/A');
    const total = stepCount(scene);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: total - 1 }), fc.double({ min: 2, max: 10, noNaN: true }), (k, d) => {
        const stamped = runSplit(scene, [], [{ kind: 'set-param', step: k, name: 'd', value: d }]);
        const manual = new Simulation(scene);
        const first = manual.advance(k);
        manual.kernel.setParam('d', d);
        const rest = manual.advance(total - k);
        expect(stamped.traces[0]).toEqual([...first.traces[0]!, ...rest.traces[0]!]);
      }),
      { numRuns: 25 },
    );
  });

  it('events of one step apply in log order, each exactly once, whatever the split', () => {
    const scene = shortScene('lif');
    fc.assert(
      fc.property(
        fc.array(fc.record({ step: fc.integer({ min: 0, max: 399 }), amplitude: fc.double({ min: -2, max: 2, noNaN: true }), durationMs: fc.double({ min: 0.1, max: 5, noNaN: true }) }), { maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { maxLength: 20 }),
        (raw, sizes) => {
          const events: PulseEvent[] = raw.map((e) => ({ kind: 'pulse' as const, ...e })).sort((a, b) => a.step - b.step);
          const whole = runSplit(scene, [], events);
          expect(runSplit(scene, sizes, events)).toEqual(whole);
          // The input channel shows every pulse's amplitude summed over exactly its steps.
          const iExt = whole.traces[1]!;
          const expected = new Array<number>(400).fill(1.5);
          for (const e of events) {
            const n = Math.max(1, Math.round(e.durationMs / 0.125));
            for (let k = e.step; k < Math.min(400, e.step + n); k++) expected[k]! += e.amplitude;
          }
          iExt.forEach((value, k) => expect(value).toBeCloseTo(expected[k]!, 9));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('a hold injects from its step until the release', () => {
    const scene = shortScene('lif');
    const result = runSplit(scene, [], [
      { kind: 'hold', step: 10, amplitude: 2 },
      { kind: 'release', step: 30 },
    ]);
    const iExt = result.traces[1]!;
    expect(iExt.slice(0, 10).every((v) => v === 1.5)).toBe(true);
    expect(iExt.slice(10, 30).every((v) => v === 3.5)).toBe(true);
    expect(iExt.slice(30).every((v) => v === 1.5)).toBe(true);
  });

  it('a restart at step k starts the run over: the pass after it equals a fresh run, shifted by k steps', () => {
    for (const id of ['izhikevich/B', 'ring', 'hh']) {
      const scene = shortScene(id);
      const total = stepCount(scene);
      fc.assert(
        fc.property(fc.integer({ min: 1, max: total }), (k) => {
          const fresh = runSplit(scene, []);
          const looped = runSplit(parseScene({ ...scene, durationMs: (k + total) * scene.dtMs }), [], [{ kind: 'restart', step: k }]);
          expect(looped.traces.map((t) => t.slice(k))).toEqual(fresh.traces);
          const after: number[] = [];
          for (let s = 0; s < looped.spikes.length; s += 3) {
            if (looped.spikes[s]! >= k) after.push(looped.spikes[s]! - k, looped.spikes[s + 1]!);
          }
          const expected: number[] = [];
          for (let s = 0; s < fresh.spikes.length; s += 3) expected.push(fresh.spikes[s]!, fresh.spikes[s + 1]!);
          expect(after).toEqual(expected);
        }),
        { numRuns: 6 },
      );
    }
  });

  it('a restart keeps changed parameters and rebuilds the initial state from them', () => {
    const scene = shortScene('izhikevich/A');
    const sim = new Simulation(scene);
    sim.schedule({ kind: 'set-param', step: 0, name: 'v0', value: -50 });
    sim.schedule({ kind: 'restart', step: 10 });
    sim.advance(10);
    const after = sim.advance(1).traces[0]![0]!;
    const direct = new Simulation(parseScene({ ...scene, params: { ...scene.params, v0: -50 } })).advance(1).traces[0]![0]!;
    expect(after).toBe(direct);
  });

  it('snapshot and restore resume bit-identically', () => {
    for (const id of ['ring', 'hh', 'izhikevich/R', 'lif']) {
      const scene = shortScene(id);
      const total = stepCount(scene);
      const a = new Simulation(scene);
      a.advance(Math.floor(total / 3));
      const snapshot = a.snapshot();
      const restOfA = a.advance(total - Math.floor(total / 3));
      const b = new Simulation(scene);
      b.advance(7);
      b.restore(snapshot);
      expect(b.advance(total - Math.floor(total / 3))).toEqual(restOfA);
    }
  });

  it('stops with a clear message when a run diverges', () => {
    // Forward Euler on HH within its step bound (stability.ts), but a hyperpolarising current takes V
    // far below the reversal potentials, where beta_m grows as exp(−V/18) past what dt can follow.
    const scene = parseScene({ model: 'hh', options: { method: 'euler' }, stimulus: [{ kind: 'dc', amplitude: -50 }], dtMs: 0.01, durationMs: 100 });
    expect(() => runScene(scene)).toThrowError(DivergenceError);
    expect(() => runScene(scene)).toThrowError(/diverged: \w+ of neuron 0 became (NaN|-?Infinity) at t = [\d.]+ ms \(step \d+\)/);
  });

  it('a parsed scene parses again to itself (files hold parsed scenes)', () => {
    for (const id of builtinSceneIds) {
      const scene = builtinScene(id)!;
      expect(parseScene(JSON.parse(JSON.stringify(scene)))).toEqual(scene);
    }
    const population = parseScene({ model: 'izhikevich', neurons: 500 });
    expect(parseScene(JSON.parse(JSON.stringify(population)))).toEqual(population);
    expect(() => parseScene({ model: 'hh', connectivity: { kind: 'ring' } })).toThrowError(/connectivity = \{"kind":"ring"\} is not allowed: nothing/);
  });

  it('refuses an event stamped for a step already computed', () => {
    const simulation = new Simulation(shortScene('lif'));
    simulation.advance(10);
    expect(() => simulation.schedule({ kind: 'release', step: 3 })).toThrowError(/step 3.*already computed/);
  });
});
