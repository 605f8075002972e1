/**
 * One network split across threads (src/core/threads.ts, real Node worker threads): for any
 * number of threads W = 1 … 4 and any split of the steps into ticks, with events of every kind
 * (pulses, parameter changes that rebuild the structure or not, restarts) and snapshots restored
 * mid-run, the spikes, traces, digest and final state are the bits of one thread.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadsFor } from '../src/engine/threads.ts';
import { nodeThreadPool } from '../src/cli/threads.ts';
import type { InputEvent } from '../src/core/events.ts';
import { DivergenceError } from '../src/core/kernel.ts';
import type { Izhikevich2003Kernel } from '../src/core/models/izhikevich-2003.ts';
import { parseScene, type Scene } from '../src/core/scene.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { Simulation } from '../src/core/simulation.ts';
import { defaultThreads, useThreads, type ThreadPool } from '../src/core/threads.ts';
import { Recorder } from '../src/session/recorder.ts';
import { Replayer, verifyRecording } from '../src/session/replay.ts';

const pools = new Map<number, ThreadPool>();

beforeAll(() => {
  for (const threads of [2, 3, 4]) pools.set(threads, nodeThreadPool(threads));
});

afterAll(async () => {
  useThreads(undefined);
  await Promise.all([...pools.values()].map((pool) => pool.close()));
});

function withThreads<T>(threads: number, work: () => T): T {
  useThreads(threads > 1 ? pools.get(threads) : undefined);
  try {
    return work();
  } finally {
    useThreads(undefined);
  }
}

interface Plan {
  scene: Scene;
  events: InputEvent[];
  /** Steps per advance, in order (the rest in one advance). */
  ticks: number[];
  /** After this many advances: snapshot, run on a few steps, restore, go on (never when undefined). */
  detourAfter: number | undefined;
}

/** Runs a plan on `threads` threads: everything it produced, and the threads that computed the last step. */
function run(threads: number, plan: Plan) {
  return withThreads(threads, () => {
    const simulation = new Simulation(plan.scene);
    for (const event of plan.events) simulation.schedule(event);
    const recorder = Recorder.start(simulation, { traces: true });
    const total = Math.round(plan.scene.durationMs / plan.scene.dtMs);
    const ticks = [...plan.ticks, total];
    for (let t = 0; simulation.step < total; t++) {
      if (t === plan.detourAfter) {
        const snapshot = simulation.snapshot();
        simulation.advance(Math.min(9, total - simulation.step));
        simulation.restore(snapshot);
      }
      recorder.record({ ...simulation.advance(Math.min(ticks[Math.min(t, ticks.length - 1)]!, total - simulation.step)), events: [] });
    }
    const { output } = recorder.finish({ createdAt: '2026-01-01T00:00:00.000Z' });
    return { output, state: simulation.kernel.saveState(), threadsInUse: (simulation.kernel as Izhikevich2003Kernel).threadsInUse };
  });
}

const sceneArbitrary = fc
  .record({
    neurons: fc.integer({ min: 20, max: 700 }),
    sparse: fc.boolean(),
    paper: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    fanIn: fc.integer({ min: 1, max: 40 }),
    holdMs: fc.constantFrom(0.5, 1, 1.5, 3),
    steps: fc.integer({ min: 20, max: 160 }),
  })
  .map(({ neurons, sparse, paper, seed, fanIn, holdMs, steps }) => {
    const dtMs = paper ? 1 : 0.5;
    return parseScene({
      model: 'izhikevich-2003',
      neurons,
      options: { connectivity: sparse ? 'sparse' : 'dense', stepping: paper ? 'paper' : 'euler' },
      params: { fanIn: Math.min(fanIn, neurons - 1), thalamicHoldMs: holdMs },
      dtMs,
      durationMs: steps * dtMs,
      seed,
      probes: [
        { variable: 'v', neuron: 0 },
        { variable: 'u', neuron: neurons - 1 },
        { variable: 'iExt', neuron: Math.floor(neurons / 2) },
      ],
    });
  });

function eventArbitrary(scene: Scene): fc.Arbitrary<InputEvent> {
  const steps = Math.round(scene.durationMs / scene.dtMs);
  const step = fc.integer({ min: 0, max: steps - 1 });
  const n = scene.neurons;
  const param = fc.oneof(
    fc.record({ name: fc.constantFrom('weightExcitatory', 'weightInhibitory'), value: fc.double({ min: 0, max: 3, noNaN: true }) }),
    fc.record({ name: fc.constant('thalamicExcitatory'), value: fc.double({ min: 0, max: 12, noNaN: true }) }),
    fc.record({ name: fc.constant('thalamicHoldMs'), value: fc.constantFrom(0.5, 1, 2.5) }),
    fc.record({ name: fc.constant('excitatoryFraction'), value: fc.double({ min: 0.3, max: 1, noNaN: true }) }),
    fc.record({ name: fc.constant('fanIn'), value: fc.integer({ min: 1, max: Math.min(30, n - 1) }) }),
  );
  return fc.oneof(
    fc.record({ kind: fc.constant('pulse' as const), step, amplitude: fc.double({ min: -20, max: 40, noNaN: true }), durationMs: fc.constantFrom(0.5, 1, 3), targets: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { minLength: 1, maxLength: 8 }) }),
    fc.record({ kind: fc.constant('pulse' as const), step, amplitude: fc.double({ min: -5, max: 10, noNaN: true }), durationMs: fc.constant(2) }),
    step.chain((s) => param.map((p): InputEvent => ({ kind: 'set-param', step: s, ...p }))),
    step.map((s): InputEvent => ({ kind: 'restart', step: s })),
  );
}

const planArbitrary: fc.Arbitrary<Plan> = sceneArbitrary.chain((scene) =>
  fc.record({
    scene: fc.constant(scene),
    events: fc.array(eventArbitrary(scene), { maxLength: 6 }).map((events) => events.sort((a, b) => a.step - b.step)),
    ticks: fc.array(fc.integer({ min: 1, max: 37 }), { maxLength: 10 }),
    detourAfter: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
  }),
);

describe('one network across threads', () => {
  it('any number of threads (1–4) and any ticks give the bits of one thread: spikes, traces, digest and state, with events and restored snapshots', () => {
    fc.assert(
      fc.property(planArbitrary, fc.integer({ min: 1, max: 4 }), (plan, threads) => {
        const one = run(1, { ...plan, ticks: [], detourAfter: undefined });
        const split = run(threads, plan);
        expect(split.threadsInUse).toBe(threads);
        expect(split.output).toEqual(one.output);
        expect(split.state).toEqual(one.state);
      }),
      { numRuns: 40 },
    );
  });

  it('weights with many mantissa bits (0.1, 1/3, 1e-7, 12.345678, π, 100), set in the scene and changed live, give the bits of one thread, sparse and dense', () => {
    // Sparse sums are exact because the stored U(0, 1) factors are 24-bit (on one thread as on W);
    // weightExcitatory and weightInhibitory are any double in [0, 100] and multiply those exact
    // sums once per neuron and step, so no value of theirs can make the order of additions matter.
    const awkward = fc.constantFrom(0.1, 1 / 3, 1e-7, 12.345678, Math.PI, 100, 0.7000000000000001, 2 / 3 + 1e-9);
    const plans = fc
      .record({
        neurons: fc.integer({ min: 50, max: 600 }),
        sparse: fc.boolean(),
        seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fanIn: fc.integer({ min: 5, max: 60 }),
        excitatory: awkward,
        inhibitory: awkward,
        changes: fc.array(fc.record({ step: fc.integer({ min: 0, max: 119 }), name: fc.constantFrom('weightExcitatory', 'weightInhibitory'), value: awkward }), { maxLength: 5 }),
        ticks: fc.array(fc.integer({ min: 1, max: 29 }), { maxLength: 8 }),
      })
      .map(({ neurons, sparse, seed, fanIn, excitatory, inhibitory, changes, ticks }): Plan => ({
        scene: parseScene({
          model: 'izhikevich-2003',
          neurons,
          options: { connectivity: sparse ? 'sparse' : 'dense' },
          params: { fanIn: Math.min(fanIn, neurons - 1), weightExcitatory: excitatory, weightInhibitory: inhibitory },
          dtMs: 0.5,
          durationMs: 60,
          seed,
          probes: [{ variable: 'v', neuron: neurons - 1 }],
        }),
        events: changes.map((change): InputEvent => ({ kind: 'set-param', ...change })).sort((a, b) => a.step - b.step),
        ticks,
        detourAfter: undefined,
      }));
    fc.assert(
      fc.property(plans, fc.integer({ min: 2, max: 4 }), (plan, threads) => {
        // A strong dense network may diverge (100 mV weights): then the same neuron, step and value.
        const outcome = (w: number, p: Plan) => {
          try {
            const { output, state } = run(w, p);
            return { output, state };
          } catch (error) {
            if (!(error instanceof DivergenceError)) throw error;
            return { diverged: error.message };
          }
        };
        expect(outcome(threads, plan)).toEqual(outcome(1, { ...plan, ticks: [] }));
      }),
      { numRuns: 25 },
    );
  });

  it('a weight above the schema\'s 100 mV (12345.678) is refused with the range, not quantised', () => {
    expect(() => parseScene({ model: 'izhikevich-2003', neurons: 100, params: { weightExcitatory: 12345.678 }, dtMs: 0.5, durationMs: 10, seed: 1 })).toThrow(/weightExcitatory.*100/);
  });

  it('a divergence stops the run with the same neuron, step and value on any number of threads', () => {
    const scene = parseScene({ model: 'izhikevich-2003', neurons: 400, options: { connectivity: 'sparse' }, params: { fanIn: 20 }, dtMs: 0.5, durationMs: 50, seed: 3 });
    const messages = [1, 2, 3, 4].map((threads) =>
      withThreads(threads, () => {
        const simulation = new Simulation(scene);
        // Neuron 350 is in the last thread's range for every W.
        simulation.schedule({ kind: 'pulse', step: 10, amplitude: 1e200, durationMs: 1, targets: [350] });
        try {
          simulation.advance(100);
        } catch (error) {
          expect(error).toBeInstanceOf(DivergenceError);
          return (error as Error).message;
        }
        return 'no divergence';
      }),
    );
    expect(messages[0]).toMatch(/neuron 350/);
    expect(new Set(messages).size).toBe(1);
  });

  it('a recording made on 4 threads verifies on 1 and on 3, and its replay seeks and takes over the same on 2', () => {
    const scene = parseScene({ model: 'izhikevich-2003', neurons: 3000, options: { connectivity: 'sparse' }, params: { fanIn: 50 }, dtMs: 0.5, durationMs: 200, seed: 11, probes: [{ variable: 'v', neuron: 2999 }] });
    const recording = withThreads(4, () => {
      const simulation = new Simulation(scene);
      simulation.schedule({ kind: 'pulse', step: 30, amplitude: 20, durationMs: 2, targets: [0, 1500, 2999] });
      simulation.schedule({ kind: 'set-param', step: 90, name: 'fanIn', value: 40 });
      const recorder = Recorder.start(simulation, { traces: true });
      for (let i = 0; i < 10; i++) recorder.record({ ...simulation.advance(40), events: [] });
      return recorder.finish({ createdAt: '2026-01-01T00:00:00.000Z' });
    });
    for (const threads of [1, 3]) expect(withThreads(threads, () => verifyRecording(recording).message)).toBe('the replay is bit-identical to the recording');
    const seekAndTakeOver = (threads: number) =>
      withThreads(threads, () => {
        const replayer = new Replayer(recording, 60);
        replayer.seek(170);
        replayer.seek(75);
        replayer.takeOver();
        replayer.simulation.schedule({ kind: 'set-param', step: replayer.simulation.step, name: 'weightInhibitory', value: 2 });
        const frame = replayer.simulation.advance(100);
        return { spikes: frame.spikes, state: replayer.simulation.kernel.saveState() };
      });
    expect(seekAndTakeOver(2)).toEqual(seekAndTakeOver(1));
  });

  it('a model that cannot be split (the LIF ring, a lif-network) runs whole on the host with threads offered: the bits of one thread', () => {
    const scene = parseScene({ ...builtinScene('ring')!, durationMs: 300 });
    const total = Math.round(scene.durationMs / scene.dtMs);
    const output = (threads: number) =>
      withThreads(threads, () => {
        const simulation = new Simulation(scene);
        simulation.schedule({ kind: 'set-param', step: 100, name: 'tauPscMs', value: 1 / 3 });
        const recorder = Recorder.start(simulation, { traces: true });
        for (const steps of [7, 13, 400, total]) recorder.record({ ...simulation.advance(Math.min(steps, total - simulation.step)), events: [] });
        return recorder.finish({ createdAt: '2026-01-01T00:00:00.000Z' }).output;
      });
    const one = output(1);
    expect(one.spikes.step.length).toBeGreaterThan(0);
    for (const threads of [2, 4]) expect(output(threads)).toEqual(one);
  });

  it('by default, one thread per core up to 8, and no more than one per 20 000 neurons; one for models that cannot split', () => {
    expect(defaultThreads(100_000, true, 2)).toBe(2);
    expect(defaultThreads(100_000, true, 16)).toBe(5);
    expect(defaultThreads(1_000_000, true, 16)).toBe(8);
    expect(defaultThreads(10_000, true, 8)).toBe(1);
    expect(defaultThreads(1_000_000, false, 8)).toBe(1);
  });

  it('the page splits nothing when it is not cross-origin isolated (no SharedArrayBuffer there)', () => {
    const scope = globalThis as { crossOriginIsolated?: boolean };
    scope.crossOriginIsolated = false;
    try {
      expect(threadsFor(builtinScene('izhikevich-2003/sparse-100k')!)).toBeUndefined();
    } finally {
      delete scope.crossOriginIsolated;
    }
  });
});
