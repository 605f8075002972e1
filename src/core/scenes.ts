/**
 * The built-in scenes: the seed notebook's four programs, ready to run, and every other scene a
 * model file declares (its `scenes`), in the registry's order of models.
 */
import { models } from './models/index.ts';
import { parseScene, type Scene, type SceneInput } from './scene.ts';

const builtins: SceneInput[] = Object.values(models).flatMap((model) => model.scenes.map((scene): SceneInput => ({ ...scene, model: model.id as SceneInput['model'] })));

export const builtinScenes: ReadonlyMap<string, Scene> = new Map(builtins.map((input) => [input.id!, parseScene(input)]));

/**
 * The ids of the built-in scenes (`lif`, `ring`, `hh`, `izhikevich/A` … `izhikevich/T`,
 * `izhikevich-2003`, …), in order.
 *
 * @example
 * ```ts
 * for (const id of builtinSceneIds) console.log(id, builtinScene(id)!.title);
 * ```
 */
export const builtinSceneIds: readonly string[] = [...builtinScenes.keys()];

/**
 * A built-in scene by id, as a fresh copy the caller may change.
 *
 * @example
 * ```ts
 * const scene = builtinScene('izhikevich/B')!;
 * scene.durationMs = 100; // a copy: the built-in stays as it was
 * ```
 */
export function builtinScene(id: string): Scene | undefined {
  const scene = builtinScenes.get(id);
  return scene && structuredClone(scene);
}
