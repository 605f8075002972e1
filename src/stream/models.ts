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

export const lif = operatorFor('lif');
export const lifNetwork = operatorFor('lif-network');
export const hodgkinHuxley = operatorFor('hh');
export const izhikevich = operatorFor('izhikevich');
