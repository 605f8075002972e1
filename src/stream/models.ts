/**
 * One operator per model: ticks + inputs → frames. Each is `simulate` on a scene of that
 * model; the config is any scene field but the model (validated, defaults filled in).
 *
 *   virtualClock(4000, 100).pipe(hodgkinHuxley({ stimulus: [{ kind: 'dc', amplitude: 10 }], dtMs: 0.01 }))
 */
import type { Observable } from 'rxjs';
import { parseScene, type SceneInput } from '../core/scene.ts';
import { simulate, type StampedOrLive } from './simulate.ts';

export type ModelConfig = Omit<Partial<SceneInput>, 'model'>;

const operatorFor =
  (model: SceneInput['model']) =>
  (config: ModelConfig = {}, inputs$?: Observable<StampedOrLive>) =>
    simulate(parseScene({ ...config, model }), inputs$);

/**
 * `simulate` for a leaky integrate-and-fire scene: the config is any scene field but the model
 * (validated, defaults filled in).
 *
 * @example
 * ```ts
 * virtualClock(400, 100).pipe(lif({ stimulus: [{ kind: 'dc', amplitude: 2 }] })).subscribe((frame) => console.log(frame.spikes.timeMs));
 * ```
 */
export const lif = operatorFor('lif');
/**
 * `simulate` for a recurrent LIF network scene (sparse synapses, alpha-shaped synaptic currents).
 *
 * @example
 * ```ts
 * virtualClock(1000, 100).pipe(lifNetwork({ neurons: 10, connectivity: { kind: 'ring', weight: 1 } })).subscribe((frame) => console.log(frame.spikes.neuron));
 * ```
 */
export const lifNetwork = operatorFor('lif-network');
/**
 * `simulate` for a Hodgkin–Huxley scene.
 *
 * @example
 * ```ts
 * virtualClock(4000, 100).pipe(hodgkinHuxley({ stimulus: [{ kind: 'dc', amplitude: 10 }], dtMs: 0.01 })).subscribe((frame) => console.log(frame.spikes.timeMs));
 * ```
 */
export const hodgkinHuxley = operatorFor('hh');
/**
 * `simulate` for an Izhikevich (2003) neuron scene.
 *
 * @example
 * ```ts
 * virtualClock(1000, 100).pipe(izhikevich({ params: { a: 0.02, b: 0.2, c: -65, d: 8 }, stimulus: [{ kind: 'dc', amplitude: 10 }] })).subscribe((frame) => console.log(frame.spikes.timeMs));
 * ```
 */
export const izhikevich = operatorFor('izhikevich');
