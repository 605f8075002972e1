/** Every model the engine knows, by id. */
import type { ModelDefinition } from '../kernel.ts';
import { adex } from './adex.ts';
import { hh } from './hh.ts';
import { izhikevich } from './izhikevich.ts';
import { izhikevich2003 } from './izhikevich-2003.ts';
import { lif } from './lif.ts';
import { lifNetwork } from './lif-network.ts';

export const models = {
  lif,
  'lif-network': lifNetwork,
  hh,
  izhikevich,
  'izhikevich-2003': izhikevich2003,
  adex,
} as const satisfies Record<string, ModelDefinition>;

/**
 * The id of a model: `lif`, `lif-network`, `hh`, `izhikevich` or `izhikevich-2003`.
 *
 * @example
 * ```ts
 * const model: ModelId = 'hh';
 * ```
 */
export type ModelId = keyof typeof models;
/**
 * Every model id, in order.
 *
 * @example
 * ```ts
 * MODEL_IDS.includes('izhikevich'); // true
 * ```
 */
export const MODEL_IDS = Object.keys(models) as ModelId[];
