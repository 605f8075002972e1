/** From the stimulus panel's fields to the engine's stimulus protocol; the schema of those fields and of the hand injection, from the stimulus sources' (one set of bounds). */
import { models } from '../core/models/index.ts';
import type { Scene } from '../core/scene.ts';
import { checkParam, type ParamSpec } from '../core/schema.ts';
import { currentSpec, delaySpec, handFieldSpecs, parseStimulus, stimulusFieldSpecs, type Stimulus } from '../core/stimulus.ts';
import type { StimulusForm, Typed } from '../ui/intents.ts';

export function defaultStimulusForm(amplitude: number): StimulusForm {
  return { kind: 'protocol', amplitude, delayMs: 0, widthMs: 5, periodMs: 50, frequencyHz: 10, offset: 0, drive: 'target' };
}

type FormNumber = Exclude<keyof StimulusForm, 'kind' | 'drive'>;

/** The stimulus panel's number fields, described by the stimulus sources' schema (currents in the model's unit and typical range). */
export function stimulusFormSpecs(model: Scene['model']): Record<FormNumber, ParamSpec> {
  const { inputUnit, inputTypical } = models[model];
  const current = (spec: ParamSpec): ParamSpec => currentSpec(spec, inputUnit, inputTypical);
  return {
    amplitude: current(stimulusFieldSpecs.amplitude),
    delayMs: delaySpec,
    widthMs: stimulusFieldSpecs.widthMs,
    periodMs: { ...stimulusFieldSpecs.periodMs, label: 'period / ramp time', doc: 'pulses: one every period; ramp: the time to rise by the amplitude' },
    frequencyHz: stimulusFieldSpecs.frequencyHz,
    offset: current(stimulusFieldSpecs.offset),
  };
}

/** The hand injection's fields: the pulse's (and hold's) amplitude and the pulse's duration. */
export function handSpecs(model: Scene['model']): { amplitude: ParamSpec; durationMs: ParamSpec } {
  const { inputUnit, inputTypical } = models[model];
  return { amplitude: currentSpec(handFieldSpecs.amplitude, inputUnit, inputTypical), durationMs: handFieldSpecs.durationMs };
}

/** A form as typed, checked field by field against its schema (an InputError names the first bad one and its allowed range). */
export function checkStimulusForm(form: Typed<StimulusForm>, model: Scene['model']): StimulusForm {
  const specs = stimulusFormSpecs(model);
  const out = { ...form } as StimulusForm;
  for (const key of Object.keys(specs) as FormNumber[]) out[key] = checkParam(specs[key], form[key], specs[key].label);
  return out;
}

/**
 * A protocol maker: given the time of the pass at which the form is applied (or 0 when the
 * pass starts over), the stimulus (validated, so a bad field is an InputError naming it).
 * Sources start at the step at `startMs + delay`. Undefined for the scene's own protocol.
 */
export function stimulusMaker(form: StimulusForm, scene: Scene, target: number): ((startMs: number) => Stimulus) | undefined {
  if (form.kind === 'protocol') return undefined;
  if (form.kind === 'off') return () => [];
  const targets = scene.neurons > 1 && form.drive === 'target' ? { targets: [target] } : {};
  const make = (startMs: number): Stimulus => {
    const start = { startMs: startMs + form.delayMs - scene.dtMs / 2, ...targets };
    switch (form.kind) {
      case 'dc':
        return [{ kind: 'dc', amplitude: form.amplitude, ...start }];
      case 'pulses':
        return [{ kind: 'pulses', amplitude: form.amplitude, widthMs: form.widthMs, periodMs: form.periodMs, ...start }];
      case 'ramp':
        return [{ kind: 'ramp', amplitude: form.amplitude, rampMs: form.periodMs, ...start }];
      case 'sine':
        return [{ kind: 'sine', amplitude: form.amplitude, frequencyHz: form.frequencyHz, offset: form.offset, ...start }];
      default:
        return [];
    }
  };
  parseStimulus(make(0), scene.neurons);
  return make;
}
