/** From the stimulus panel's fields to the engine's stimulus protocol. */
import type { Scene } from '../core/scene.ts';
import { parseStimulus, type Stimulus } from '../core/stimulus.ts';
import type { StimulusForm } from '../ui/intents.ts';

export function defaultStimulusForm(amplitude: number): StimulusForm {
  return { kind: 'protocol', amplitude, delayMs: 0, widthMs: 5, periodMs: 50, frequencyHz: 10, offset: 0, drive: 'target' };
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
