/**
 * One operator per model: ticks + inputs → frames. Each is `simulate` on a scene of that
 * model; the config is any scene field but the model (validated, defaults filled in).
 * `modelOperators` holds one for every model of the registry (src/core/models/index.ts); the
 * named ones below are aliases of it for the models that have a short name in the API.
 *
 *   virtualClock(4000, 100).pipe(hodgkinHuxley({ stimulus: [{ kind: 'dc', amplitude: 10 }], dtMs: 0.01 }))
 *   virtualClock(50_000, 1000).pipe(modelOperators.adex({ stimulus: [{ kind: 'dc', amplitude: 500 }] }))
 */
import type { Observable, OperatorFunction } from 'rxjs';
import { MODEL_IDS, type ModelId } from '../core/models/index.ts';
import { parseScene, type SceneInput } from '../core/scene.ts';
import type { Tick } from './clock.ts';
import { simulate, type SimFrame, type StampedOrLive } from './simulate.ts';

export type ModelConfig = Omit<Partial<SceneInput>, 'model'>;
export type ModelOperator = (config?: ModelConfig, inputs$?: Observable<StampedOrLive>) => OperatorFunction<Tick, SimFrame>;

const operatorFor =
  (model: ModelId): ModelOperator =>
  (config: ModelConfig = {}, inputs$?: Observable<StampedOrLive>) =>
    simulate(parseScene({ ...config, model }), inputs$);

/**
 * `simulate` for a scene of each model, by model id: derived from the registry
 * (src/core/models/index.ts), so every model has one, the ones added later too.
 *
 * @example
 * ```ts
 * virtualClock(50_000, 1000).pipe(modelOperators.adex({ params: { b: 60, tauW: 300 }, stimulus: [{ kind: 'dc', amplitude: 500 }], dtMs: 0.01 })).subscribe((frame) => console.log(frame.spikes.timeMs));
 * ```
 */
export const modelOperators = Object.fromEntries(MODEL_IDS.map((id) => [id, operatorFor(id)])) as Record<ModelId, ModelOperator>;

/**
 * `simulate` for a leaky integrate-and-fire scene: the config is any scene field but the model
 * (validated, defaults filled in).
 *
 * @example
 * ```ts
 * virtualClock(400, 100).pipe(lif({ stimulus: [{ kind: 'dc', amplitude: 2 }] })).subscribe((frame) => console.log(frame.spikes.timeMs));
 * ```
 */
export const lif = modelOperators.lif;
/**
 * `simulate` for a recurrent LIF network scene (sparse synapses, alpha-shaped synaptic currents).
 *
 * @example
 * ```ts
 * virtualClock(1000, 100).pipe(lifNetwork({ neurons: 10, connectivity: { kind: 'ring', weight: 1 } })).subscribe((frame) => console.log(frame.spikes.neuron));
 * ```
 */
export const lifNetwork = modelOperators['lif-network'];
/**
 * `simulate` for a Hodgkin–Huxley scene.
 *
 * @example
 * ```ts
 * virtualClock(4000, 100).pipe(hodgkinHuxley({ stimulus: [{ kind: 'dc', amplitude: 10 }], dtMs: 0.01 })).subscribe((frame) => console.log(frame.spikes.timeMs));
 * ```
 */
export const hodgkinHuxley = modelOperators.hh;
/**
 * `simulate` for an Izhikevich (2003) neuron scene.
 *
 * @example
 * ```ts
 * virtualClock(1000, 100).pipe(izhikevich({ params: { a: 0.02, b: 0.2, c: -65, d: 8 }, stimulus: [{ kind: 'dc', amplitude: 10 }] })).subscribe((frame) => console.log(frame.spikes.timeMs));
 * ```
 */
export const izhikevich = modelOperators.izhikevich;
/**
 * `simulate` for an Izhikevich (2003) network scene.
 *
 * @example
 * ```ts
 * virtualClock(200, 100).pipe(izhikevich2003({ neurons: 1000, options: { connectivity: 'dense' } })).subscribe((frame) => console.log(frame.spikes.timeMs.length));
 * ```
 */
export const izhikevich2003 = modelOperators['izhikevich-2003'];
