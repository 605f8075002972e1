/**
 * Step-size bounds of the explicit integrators, where one is known: each model declares its own
 * (`stepBound` in its definition, with the derivation beside it). A run whose dt is at or beyond
 * its bound is refused (scene, sweep value, set-param event, recording's start state, live
 * parameter change), with the same message everywhere, instead of swinging to absurd values while
 * it "runs". Izhikevich (both models) and AdEx declare none: v' = 0.04v² + 5v + 140 − u + I is
 * nonlinear and the reset keeps v bounded, so a too-large dt changes the firing pattern rather
 * than blowing up, and AdEx's error-controlled sub-steps need none; a non-finite state still
 * stops the run with a DivergenceError.
 */
import { roundForMessage, type StepBound } from './kernel.ts';
import { models, type ModelId } from './models/index.ts';
import { InputError } from './schema.ts';

export type { StepBound };

/** The bound on dt for a model with these parameters and choices, or undefined when none is known. */
export function stepBound(model: ModelId, params: Readonly<Record<string, number>>, options: Readonly<Record<string, string>>): StepBound | undefined {
  return models[model].stepBound?.(params, options);
}

/**
 * Throws an InputError when dt is at or beyond the bound. `field`/`value` name what the user
 * gave (dtMs, or the parameter that moved the bound), so the message points at it.
 */
export function checkStepBound(model: ModelId, params: Readonly<Record<string, number>>, options: Readonly<Record<string, string>>, dtMs: number, field = 'dtMs', value: unknown = dtMs): void {
  const bound = stepBound(model, params, options);
  if (bound && !(dtMs < bound.maxDtMs)) {
    const allowed = field === 'dtMs' ? `less than ${roundForMessage(bound.maxDtMs)} ms` : `a value that keeps dtMs = ${dtMs} ms a stable step`;
    throw new InputError(field, value, `${allowed}: ${bound.reason}; ${bound.advice}`);
  }
}
