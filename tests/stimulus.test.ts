import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkParam, InputError, type ParamSpec } from '../src/core/schema.ts';
import { parseScene, stepCount } from '../src/core/scene.ts';
import { Simulation } from '../src/core/simulation.ts';
import { fillStimulus, handFieldSpecs, parseStimulus, sourceValue, StimulusDriver, stimulusFieldSpecs } from '../src/core/stimulus.ts';
import { parseEvent } from '../src/core/events.ts';
import { MODEL_IDS, models } from '../src/core/models/index.ts';
import { handSpecs, stimulusFormSpecs } from '../src/app/stimulus-form.ts';

describe('deterministic sources', () => {
  it('dc, ramp, sine and pulse trains follow their formulas inside open windows', () => {
    expect(sourceValue({ kind: 'dc', amplitude: 2, startMs: 10, stopMs: 20 }, 10)).toBe(0);
    expect(sourceValue({ kind: 'dc', amplitude: 2, startMs: 10, stopMs: 20 }, 10.25)).toBe(2);
    expect(sourceValue({ kind: 'dc', amplitude: 2, startMs: 10, stopMs: 20 }, 20)).toBe(0);
    expect(sourceValue({ kind: 'ramp', amplitude: 4, rampMs: 12.5, startMs: 300 }, 306.25)).toBe(2);
    expect(sourceValue({ kind: 'sine', amplitude: 3, frequencyHz: 10, offset: 1 }, 25)).toBeCloseTo(1 + 3, 12);
    const train = { kind: 'pulses', amplitude: 1, widthMs: 2, periodMs: 10, count: 3, startMs: 0 } as const;
    const on = Array.from({ length: 400 }, (_, k) => sourceValue(train, k * 0.1));
    // Three pulses of 2 ms (20 samples each, the first starting after t = 0).
    expect(on.filter((v) => v === 1).length).toBe(19 + 20 + 20);
  });

  it('refuses bad sources with the field, the value and what is allowed', () => {
    const cases: [unknown, RegExp][] = [
      [{ kind: 'laser' }, /stimulus\[0\]\.kind = "laser" is not allowed: one of dc, ramp, sine, pulses, ou, poisson/],
      [{ kind: 'dc' }, /stimulus\[0\]\.amplitude = undefined is not allowed: a number \(required for "dc"\)/],
      [{ kind: 'dc', amplitude: 'big' }, /stimulus\[0\]\.amplitude = "big"/],
      [{ kind: 'pulses', amplitude: 1, widthMs: 0, periodMs: 3 }, /widthMs = 0 is not allowed: a number greater than 0/],
      [{ kind: 'dc', amplitude: 1, startMs: 5, stopMs: 2 }, /stopMs = 2 is not allowed: a time after startMs/],
      [{ kind: 'dc', amplitude: 1, targets: [7] }, /targets = \[7\] is not allowed: a non-empty list of neuron indices from 0 to 4/],
      [{ kind: 'ou', mean: 0, sigma: -1, tauMs: 5 }, /sigma = -1 is not allowed: a number from 0 to 1000000000 in the model's input unit/],
      [{ kind: 'dc', amplitude: 2e9 }, /stimulus\[0\]\.amplitude = 2000000000 is not allowed: a number from -1000000000 to 1000000000 in the model's input unit/],
      [{ kind: 'pulses', amplitude: 1, widthMs: 2, periodMs: 2e9 }, /periodMs = 2000000000 is not allowed: a number greater than 0 and at most 1000000000 ms/],
      [{ kind: 'poisson', amplitude: 1, rateHz: 2e5 }, /rateHz = 200000 is not allowed: a number from 0 to 100000 Hz/],
      [{ kind: 'pulses', amplitude: 1, widthMs: 2, periodMs: 5, count: 1.5 }, /count = 1\.5 is not allowed: a whole number from 0 to 1000000000/],
      [{ kind: 'dc', amplitude: 1, colour: 'red' }, /stimulus\[0\]\.colour = "red" is not allowed: not a field of a "dc" source/],
    ];
    for (const [source, message] of cases) {
      expect(() => parseStimulus([source], 5)).toThrowError(InputError);
      expect(() => parseStimulus([source], 5)).toThrowError(message);
    }
  });
});

describe('one set of bounds for everything a user types about stimulation', () => {
  const bounds = (spec: ParamSpec): [number, number, boolean] => [spec.min, spec.max, spec.minExclusive === true];

  it('hand pulses and holds, the stimulus form and the sources share their specs: one amplitude, one duration, one time bound', () => {
    for (const model of MODEL_IDS) {
      const form = stimulusFormSpecs(model);
      const hand = handSpecs(model);
      expect(bounds(hand.amplitude)).toEqual(bounds(stimulusFieldSpecs.amplitude));
      expect(bounds(form.amplitude)).toEqual(bounds(stimulusFieldSpecs.amplitude));
      expect(bounds(form.offset)).toEqual(bounds(stimulusFieldSpecs.offset));
      // Currents in the model's unit.
      expect(hand.amplitude.unit).toBe(models[model].inputUnit);
      expect(form.amplitude.unit).toBe(models[model].inputUnit);
      // One duration bound: a pulse's length, a train's width and period, a ramp's time, the noise's correlation time.
      for (const spec of [hand.durationMs, form.widthMs, form.periodMs, stimulusFieldSpecs.rampMs, stimulusFieldSpecs.tauMs]) expect(bounds(spec)).toEqual([0, 1e9, true]);
      // The form's delay is a time ≥ 0 within the sources' time bound.
      expect(bounds(form.delayMs)).toEqual([0, stimulusFieldSpecs.startMs.max, false]);
      // The hand pulse each model's page offers is within them.
      const offered = models[model].presentation.hand;
      expect(checkParam(hand.amplitude, offered.amplitude)).toBe(offered.amplitude);
      expect(checkParam(hand.durationMs, offered.durationMs)).toBe(offered.durationMs);
    }
    expect(handFieldSpecs.durationMs).toBe(handSpecs('lif').durationMs);
  });

  it('a pulse or hold event is refused outside them, naming the field, the allowed range and the model unit; the widest earlier bound still parses', () => {
    const pulse = (fields: object) => () => parseEvent({ kind: 'pulse', step: 3, amplitude: 1, durationMs: 2, ...fields }, 'lif', 1);
    expect(pulse({ amplitude: 2e9 })).toThrowError('event.amplitude = 2000000000 is not allowed: a number from -1000000000 to 1000000000 nA');
    expect(pulse({ durationMs: 0 })).toThrowError('event.durationMs = 0 is not allowed: a number greater than 0 and at most 1000000000 ms');
    expect(pulse({ durationMs: -0 })).toThrowError(/event\.durationMs = 0 is not allowed/);
    expect(() => parseEvent({ kind: 'hold', step: 0, amplitude: Number.NaN }, 'hh', 1)).toThrowError('event.amplitude = NaN is not allowed: a number from -1000000000 to 1000000000 µA/cm²');
    // Events once took amplitudes to 1e6 and durations to 1e7, sources 1e9: the union parses.
    expect(pulse({ amplitude: 5e6, durationMs: 5e7 })()).toMatchObject({ amplitude: 5e6, durationMs: 5e7 });
    expect(pulse({ durationMs: 1e-9 })()).toMatchObject({ durationMs: 1e-9 });
    expect(parseStimulus([{ kind: 'pulses', amplitude: -1e9, widthMs: 1e-9, periodMs: 1e9 }], 1)).toEqual([{ kind: 'pulses', amplitude: -1e9, widthMs: 1e-9, periodMs: 1e9 }]);
  });
});

describe('noise sources', () => {
  it('Ornstein–Uhlenbeck noise has the stationary mean, standard deviation and correlation time it was given', () => {
    const size = 200;
    const driver = new StimulusDriver([{ kind: 'ou', mean: 1, sigma: 2, tauMs: 5 }], size, 42);
    const current = new Float64Array(size);
    const dt = 0.5;
    const samples: number[] = [];
    const lagged: [number, number][] = [];
    const history: Float64Array[] = [];
    for (let k = 0; k < 400; k++) {
      driver.fill(k, dt, current);
      history.push(current.slice());
      if (k >= 50) {
        samples.push(...current);
        lagged.push(...Array.from(current, (v, i): [number, number] => [history[k - 10]![i]!, v]));
      }
    }
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    const sd = Math.sqrt(samples.reduce((a, b) => a + (b - mean) ** 2, 0) / samples.length);
    expect(mean).toBeCloseTo(1, 1);
    expect(sd).toBeGreaterThan(1.9);
    expect(sd).toBeLessThan(2.1);
    // Correlation at a lag of tau (10 steps of 0.5 ms) is exp(−1).
    const corr = lagged.reduce((a, [x, y]) => a + (x - mean) * (y - mean), 0) / lagged.length / (sd * sd);
    expect(corr).toBeGreaterThan(Math.exp(-1) - 0.05);
    expect(corr).toBeLessThan(Math.exp(-1) + 0.05);
  });

  it('Poisson input arrives at its rate, independently per neuron', () => {
    const size = 1000;
    const driver = new StimulusDriver([{ kind: 'poisson', rateHz: 50, amplitude: 1 }], size, 7);
    const current = new Float64Array(size);
    let events = 0;
    const steps = 10_000; // 1 s at dt = 0.1 ms
    for (let k = 0; k < steps; k++) {
      driver.fill(k, 0.1, current);
      for (const v of current) events += v;
    }
    // 50 Hz × 1000 neurons × 1 s = 50 000 events; Poisson sd ≈ 224.
    expect(Math.abs(events - 50_000)).toBeLessThan(1000);
  });

  it('noisy runs are reproducible by seed, independent of chunking and resumable from snapshots', () => {
    const scene = parseScene({
      model: 'lif-network',
      neurons: 20,
      connectivity: { kind: 'random', weightMax: 0.05 },
      stimulus: [
        { kind: 'ou', mean: 1.1, sigma: 0.5, tauMs: 3 },
        { kind: 'poisson', rateHz: 200, amplitude: 5, targets: [0, 1, 2] },
      ],
      dtMs: 0.1,
      durationMs: 50,
      seed: 9,
    });
    const total = stepCount(scene);
    const whole = new Simulation(scene).advance(total);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 20 }), (sizes) => {
        const simulation = new Simulation(scene);
        const spikes: number[] = [];
        let done = 0;
        for (const size of [...sizes, total]) {
          const n = Math.min(size, total - done);
          if (n <= 0) break;
          const frame = simulation.advance(n);
          spikes.push(...frame.spikes.timeMs);
          done += n;
        }
        expect(spikes).toEqual(Array.from(whole.spikes.timeMs));
      }),
      { numRuns: 20 },
    );
    expect(whole.spikes.step.length).toBeGreaterThan(0);
    const other = new Simulation({ ...scene, seed: 10 }).advance(total);
    expect(Array.from(other.spikes.timeMs)).not.toEqual(Array.from(whole.spikes.timeMs));
    const a = new Simulation(scene);
    a.advance(200);
    const snapshot = a.snapshot();
    const rest = a.advance(total - 200);
    const b = new Simulation(scene);
    b.restore(snapshot);
    expect(b.advance(total - 200)).toEqual(rest);
  });
});

describe('a steady protocol', () => {
  it('dc sources without a window, filled once and copied, give the bits of fillStimulus at every step', () => {
    const amplitude = fc.double({ min: -1e3, max: 1e3, noNaN: true });
    const source = fc.record({ amplitude, targets: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 8 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(source, { minLength: 1, maxLength: 6 }), fc.integer({ min: 0, max: 10_000 }), (sources, step) => {
        const stimulus = sources.map(({ amplitude, targets }) => (targets ? { kind: 'dc' as const, amplitude, targets } : { kind: 'dc' as const, amplitude }));
        const copied = new Float64Array(8).fill(Number.NaN);
        new StimulusDriver(stimulus, 8, 1).fill(step, 0.1, copied);
        const filled = new Float64Array(8);
        fillStimulus(stimulus, step * 0.1, filled);
        // Bit for bit, signed zeros included.
        expect(new Uint8Array(copied.buffer)).toEqual(new Uint8Array(filled.buffer));
      }),
      { numRuns: 200 },
    );
  });
});
