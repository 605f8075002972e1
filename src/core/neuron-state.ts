/**
 * The state variables a user may set on one neuron (a click in the phase plane): per model, a
 * schema of names, units and bounds, the same mechanism as the parameters'. `setNeuronState`
 * writes them through the kernel's saved state, so no kernel needs code of its own for it.
 */
import type { Kernel } from './kernel.ts';
import type { ModelId } from './models/index.ts';
import type { ParamSchema } from './schema.ts';

const izhikevichState = [
  { name: 'v', unit: 'mV', default: -65, min: -1000, max: 1000, doc: 'membrane potential' },
  { name: 'u', unit: 'mV', default: -13, min: -10_000, max: 10_000, doc: 'recovery variable' },
] as const satisfies ParamSchema;

const lifState = [{ name: 'v', unit: 'V', default: 0, min: -1000, max: 1000, doc: 'membrane potential (ends a refractory period in progress)' }] as const satisfies ParamSchema;

/** What a `set-state` event may set, per model. */
export const settableState: Record<ModelId, ParamSchema> = {
  izhikevich: izhikevichState,
  'izhikevich-2003': izhikevichState,
  hh: [
    { name: 'v', unit: 'mV', default: 0, min: -200, max: 200, doc: 'membrane potential (rest at 0 mV)' },
    { name: 'm', unit: '', default: 0.05, min: 0, max: 1, doc: 'sodium activation gate' },
    { name: 'h', unit: '', default: 0.6, min: 0, max: 1, doc: 'sodium inactivation gate' },
    { name: 'n', unit: '', default: 0.32, min: 0, max: 1, doc: 'potassium activation gate' },
  ],
  lif: lifState,
  'lif-network': lifState,
};

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
