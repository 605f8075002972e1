/**
 * A steady protocol (dc sources without a window, no noise) is written into the kernel's input
 * once, not at every step (Simulation.inputHoldsSteady): the runs must be those of a protocol
 * that is filled at every step — here the same dc behind a window that covers the whole run —
 * bit for bit, whatever hand pulses, holds, releases, clicks in the phase plane, restarts and
 * protocol changes come in between.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { InputEvent } from '../src/core/events.ts';
import { parseScene, stepCount, type SceneInput } from '../src/core/scene.ts';
import { runScene } from '../src/stream/run.ts';

const base: SceneInput = {
  model: 'lif-network',
  neurons: 6,
  connectivity: { kind: 'ring', weight: 1 },
  params: { spikeDelta: 0 },
  dtMs: 0.125,
  durationMs: 60,
  probes: [
    { variable: 'v', neuron: 0 },
    { variable: 'iExt', neuron: 0 },
    { variable: 'iExt', neuron: 3 },
    { variable: 'iSyn', neuron: 2 },
  ],
};
const steady = [{ kind: 'dc', amplitude: 1.5, targets: [0] }, { kind: 'dc', amplitude: 0.25 }] as const;
// The same currents, filled at every step: a window that is open from before t = 0 to after the run.
const windowed = steady.map((source) => ({ ...source, startMs: -1, stopMs: 1e6 }));

const event = fc.oneof(
  fc.record({ kind: fc.constant('pulse' as const), amplitude: fc.double({ min: -3, max: 3, noNaN: true }), durationMs: fc.constantFrom(0.125, 1, 5) }),
  fc.record({ kind: fc.constant('hold' as const), amplitude: fc.double({ min: -3, max: 3, noNaN: true }) }),
  fc.record({ kind: fc.constant('release' as const) }),
  fc.record({ kind: fc.constant('restart' as const) }),
  fc.record({ kind: fc.constant('set-state' as const), neuron: fc.integer({ min: 0, max: 5 }), state: fc.record({ v: fc.double({ min: -1, max: 0.9, noNaN: true }) }) }),
  fc.record({ kind: fc.constant('set-stimulus' as const), windowedTwin: fc.boolean() }),
);

describe('a steady input, filled once', () => {
  it('gives the bits of the same input filled at every step, with any hand events in between', () => {
    const steps = stepCount(parseScene({ ...base, stimulus: steady }));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: steps - 1 }), event), { maxLength: 8 }), (drawn) => {
        const stamped = [...drawn].sort((a, b) => a[0] - b[0]);
        const events = (stimulus: readonly object[]): InputEvent[] =>
          stamped.map(([step, e]) => {
            if (e.kind !== 'set-stimulus') return { ...e, step } as InputEvent;
            // Alternating protocols: the steady one (or its windowed twin) and a windowed one that differs.
            return { kind: 'set-stimulus', step, stimulus: e.windowedTwin ? [{ kind: 'dc', amplitude: 0.7, startMs: -1 }] : stimulus } as InputEvent;
          });
        const a = runScene(parseScene({ ...base, stimulus: steady }), { events: events(steady), stepsPerTick: 37 });
        const b = runScene(parseScene({ ...base, stimulus: windowed }), { events: events(windowed), stepsPerTick: 37 });
        expect(a.traces).toEqual(b.traces);
        expect(a.spikes).toEqual(b.spikes);
      }),
      { numRuns: 60 },
    );
  });
});
