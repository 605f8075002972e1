/**
 * The state variables a user may set on one neuron (a click in the phase plane): per model (its
 * `settableState`), a schema of names, units and bounds, the same mechanism as the parameters'. `setNeuronState`
 * writes them through the kernel's saved state, so no kernel needs code of its own for it.
 */
import type { Kernel } from './kernel.ts';
import { models, type ModelId } from './models/index.ts';
import type { ParamSchema } from './schema.ts';

/** What a `set-state` event may set, per model (each model file's `settableState`). */
export const settableState = Object.fromEntries(Object.values(models).map((model) => [model.id, model.settableState])) as Record<ModelId, ParamSchema>;

/** Fields of the saved state that setting v clears for the neuron: a refractory period in progress. */
const CLEARED_WITH_V = ['refractorySteps', 'refractoryMs'];

/**
 * Sets validated state values of one neuron, effective for the next step. Costs a copy of the
 * kernel's state (a click, not a step: ~1 ms at 100k neurons).
 */
export function setNeuronState(kernel: Kernel, neuron: number, values: Readonly<Record<string, number>>): void {
  const state = kernel.saveState();
  for (const [name, value] of Object.entries(values)) {
    const array = state[name];
    if (!array || Array.isArray(array)) throw new Error(`the kernel has no state array ${name}`);
    array[neuron] = value;
    if (name === 'v') for (const cleared of CLEARED_WITH_V) (state[cleared] as Float64Array | Int32Array | undefined)?.fill(0, neuron, neuron + 1);
  }
  kernel.restoreState(state);
}
