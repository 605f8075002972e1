import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScene } from '../src/core/scene.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { runScene } from '../src/stream/run.ts';

/** The seed's program 1, transcribed loop for loop: the reference for the whole trace. */
function seedLif(T = 50, dt = 0.125, I = 1.5): { Vm: number[]; spikes: number[] } {
  const n = Math.round(T / dt) + 1;
  const Vm = new Array<number>(n).fill(0);
  const [Rm, Cm, tauRef, Vth, Vspike] = [1, 10, 4, 1, 0.5];
  const tauM = Rm * Cm;
  let tRest = 0;
  const spikes: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = i * dt;
    if (t > tRest) {
      Vm[i] = Vm[i - 1]! + ((-Vm[i - 1]! + I * Rm) / tauM) * dt;
      if (Vm[i]! >= Vth) {
        Vm[i]! += Vspike;
        tRest = t + tauRef;
        spikes.push(t);
      }
    }
  }
  return { Vm, spikes };
}

describe('LIF (seed program 1)', () => {
  it('spikes at exactly 11, 26 and 41 ms under DC 1.5 at dt = 0.125 ms, as the seed does', () => {
    const result = runScene(builtinScene('lif')!);
    expect(Array.from(result.spikes.timeMs)).toEqual([11, 26, 41]);
    expect(seedLif().spikes).toEqual([11, 26, 41]);
  });

  it("reproduces the seed's whole trace, spike deltas and refractory zeros included", () => {
    const result = runScene(builtinScene('lif')!);
    const { Vm } = seedLif();
    // Seed sample i is the state after i steps; our step k ends at (k+1)·dt.
    expect(Array.from(result.traces[0]!)).toEqual(Vm.slice(1));
  });

  const lifScene = (method: string, current: number, dtMs: number, durationMs: number, tauRefMs = 4) =>
    parseScene({ model: 'lif', options: { method }, params: { tauRefMs }, stimulus: [{ kind: 'dc', amplitude: current }], dtMs, durationMs });

  it('exact method: interspike interval = tau_ref + tau·ln(IR / (IR − Vth)) for any dt', () => {
    fc.assert(
      fc.property(fc.double({ min: 1.05, max: 20, noNaN: true }), fc.constantFrom(0.01, 0.1, 0.125, 0.3, 1), fc.double({ min: 0, max: 10, noNaN: true }), (current, dtMs, tauRefMs) => {
        const result = runScene(lifScene('exact', current, dtMs, 300, tauRefMs));
        const expected = tauRefMs + 10 * Math.log(current / (current - 1));
        const times = Array.from(result.spikes.timeMs);
        expect(times.length).toBeGreaterThan(2);
        // The first interval starts from V = 0 at t = 0 without refractoriness.
        expect(times[0]).toBeCloseTo(10 * Math.log(current / (current - 1)), 9);
        for (let s = 1; s < times.length; s++) {
          if (expected >= dtMs) expect(times[s]! - times[s - 1]!).toBeCloseTo(expected, 9);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('never integrates while refractory: V sits at reset for round(tau_ref/dt) steps after each spike (Euler)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 30, noNaN: true }), fc.double({ min: 0.5, max: 10, noNaN: true }), fc.constantFrom(0.05, 0.1, 0.125, 0.25), (current, tauRefMs, dtMs) => {
        const result = runScene(lifScene('euler', current, dtMs, 100, tauRefMs));
        const v = result.traces[0]!;
        const refSteps = Math.round(tauRefMs / dtMs);
        const spikeSteps = Array.from(result.spikes.step);
        for (const k of spikeSteps) {
          for (let j = k + 1; j <= Math.min(k + refSteps, result.steps - 1); j++) {
            expect(v[j]).toBe(0);
            expect(spikeSteps.includes(j)).toBe(false);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('stays below threshold when I·R < Vth', () => {
    const result = runScene(lifScene('euler', 0.9, 0.125, 500));
    expect(result.spikes.step.length).toBe(0);
    expect(result.traces[0]![result.steps - 1]).toBeCloseTo(0.9, 6);
  });
});
