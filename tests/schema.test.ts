/**
 * The schema as people meet it: every model parameter and every stimulus and hand-pulse field has
 * a label, a one-line explanation, a typical range inside its allowed range (positive where the
 * slider is logarithmic) and a display precision; sliders step without float noise; typed text
 * is a number only when it is a plain decimal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { userEventCount } from '../src/core/events.ts';
import { models } from '../src/core/models/index.ts';
import { checkParam, formatValue, parseTyped, type ParamSpec } from '../src/core/schema.ts';
import { sliderPosition, sliderValue } from '../src/ui/param-field.ts';
import { handFieldSpecs, stimulusFieldSpecs } from '../src/core/stimulus.ts';

const described: [string, ParamSpec][] = [
  ...Object.values(models).flatMap((model) => model.params.map((spec): [string, ParamSpec] => [`${model.id}.${spec.name}`, spec])),
  ...Object.values(stimulusFieldSpecs).map((spec): [string, ParamSpec] => [`stimulus.${spec.name}`, spec]),
  ...Object.values(handFieldSpecs).map((spec): [string, ParamSpec] => [`pulse.${spec.name}`, spec]),
];

describe('the schema for people', () => {
  it.each(described)('%s has a label, an explanation, a typical range inside the allowed one and a precision', (_, spec) => {
    expect(spec.label, 'label').toMatch(/\S/);
    expect(spec.doc.length, 'one-line explanation').toBeGreaterThan(8);
    expect(spec.doc).not.toContain('\n');
    expect(spec.default).toBeGreaterThanOrEqual(spec.min);
    expect(spec.default).toBeLessThanOrEqual(spec.max);
    if (spec.unit !== 'input') {
      // Current fields take the model's typical range (checked below).
      expect(spec.typical, 'typical range').toBeDefined();
      const [lo, hi] = spec.typical!;
      expect(lo).toBeLessThan(hi);
      expect(lo).toBeGreaterThanOrEqual(spec.min);
      expect(hi).toBeLessThanOrEqual(spec.max);
      if (spec.log) expect(lo).toBeGreaterThan(0);
    }
    expect(spec.log || spec.integer || spec.precision !== undefined, 'a display precision (or a log scale)').toBe(true);
  });

  it.each(Object.values(models).map((m) => [m.id, m] as const))('%s has a typical input range', (_, model) => {
    expect(model.inputTypical[0]).toBeLessThan(model.inputTypical[1]);
    expect(model.inputUnit).toMatch(/\S/);
  });

  it('the seed LIF reads in mV, nA, MΩ, nF: tau = 1 MΩ × 10 nF = 10 ms', () => {
    const units = Object.fromEntries(models.lif.params.map((p) => [p.name, p.unit]));
    expect(units).toMatchObject({ rm: 'MΩ', cm: 'nF', vThreshold: 'mV', vReset: 'mV', v0: 'mV' });
    expect(models.lif.inputUnit).toBe('nA');
    expect(models['lif-network'].probes.map((p) => p.unit)).toEqual(['mV', 'nA']);
    expect(models.hh.probes[0]!.doc).toContain('Hodgkin & Huxley 1952');
  });

  it('slider values are rounded to the precision and stay in the allowed range, whatever the position', () => {
    fc.assert(
      fc.property(fc.constantFrom(...described.filter(([, s]) => s.typical)), fc.double({ min: 0, max: 1, noNaN: true }), ([, spec], position) => {
        const value = sliderValue(spec, position);
        expect(value).toBeGreaterThanOrEqual(spec.min);
        expect(value).toBeLessThanOrEqual(spec.max);
        expect(formatValue(value).length).toBeLessThanOrEqual(12);
        expect(() => checkParam(spec, value)).not.toThrow();
        // The slider shows the value where it was put (to within a step's rounding).
        expect(Math.abs(sliderPosition(spec, value) - position)).toBeLessThan(0.02);
      }),
    );
  });

  it('shows values without float noise', () => {
    expect(formatValue(0.1 + 0.2)).toBe('0.3');
    expect(formatValue(0.0999999999999996)).toBe('0.1');
    expect(formatValue(-65)).toBe('-65');
    expect(formatValue(1e-7)).toBe('1e-7');
  });

  it('takes typed text as a number only when it is a plain decimal', () => {
    expect(parseTyped(' 0.25 ')).toBe(0.25);
    expect(parseTyped('-2')).toBe(-2);
    expect(parseTyped('−2')).toBe(-2);
    expect(parseTyped('1e-3')).toBe(0.001);
    expect(parseTyped('-0')).toBe(0);
    for (const bad of ['0.3abc', 'abc', '', '0x10', 'Infinity', '1e', '1,5']) expect(parseTyped(bad)).toBe(bad);
    const a = models.izhikevich.params.find((p) => p.name === 'a')!;
    expect(() => checkParam(a, parseTyped('0.3abc'))).toThrow('a = "0.3abc" is not allowed: a number from -10 to 10 ms⁻¹');
    expect(() => checkParam(a, parseTyped('1e9'))).toThrow('a = 1000000000 is not allowed: a number from -10 to 10 ms⁻¹');
  });

  it("counts the user's events, not the loop's restarts", () => {
    expect(
      userEventCount([
        { kind: 'pulse', step: 3, amplitude: 1, durationMs: 1 },
        { kind: 'restart', step: 401 },
        { kind: 'set-stimulus', step: 401, stimulus: [] },
        { kind: 'set-param', step: 500, name: 'a', value: 0.1 },
        { kind: 'restart', step: 802 },
      ]),
    ).toBe(2);
  });
});
