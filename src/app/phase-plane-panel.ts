/**
 * What the lab needs to show the picked neuron's phase plane: the probes it reads (beyond the
 * scope's), the subject (model, neuron, channel names), the parameters in force (for a network
 * whose neurons differ, the neuron's own, drawn from the seed as the kernel draws them) and the
 * set-state event of a click in the plane.
 */
import { models } from '../core/models/index.ts';
import { planeProbes, planeState } from '../core/phase-plane.ts';
import { channelName, type ProbeRef, type Scene } from '../core/scene.ts';
import type { PlaneSubject } from '../view/phase-plane-view.ts';

/** Probes of `target` the plane reads that `existing` does not have. */
export function planeExtraProbes(scene: Scene, target: number, existing: readonly ProbeRef[]): ProbeRef[] {
  const wanted = planeProbes(scene.model);
  const variables = [wanted.x, ...(wanted.y ? [wanted.y] : []), ...wanted.input];
  return variables.map((variable) => ({ variable, neuron: target })).filter((w) => !existing.some((p) => p.variable === w.variable && p.neuron === w.neuron));
}

export function planeSubject(scene: Scene, target: number): PlaneSubject {
  return { model: scene.model, neuron: target, channel: (variable) => channelName(scene, { variable, neuron: target }), dtMs: scene.dtMs, inputUnit: models[scene.model].inputUnit };
}

/** The parameters the plane is drawn with: the run's, and for a network whose neurons differ the picked neuron's own (cached). */
export class PlaneParams {
  private key = '';
  private neuron: Record<string, number> = {};

  of(scene: Scene, target: number, params: Readonly<Record<string, number>>): Readonly<Record<string, number>> {
    const own = models[scene.model].plane.neuronParams;
    if (!own) return params;
    const key = `${scene.model}|${scene.seed}|${scene.neurons}|${target}|${own.dependsOn.map((name) => params[name]).join('|')}`;
    if (key !== this.key) {
      this.key = key;
      this.neuron = own.of(scene.seed, scene.neurons, params, target);
    }
    return { ...params, ...this.neuron };
  }
}

/** The set-state input that puts `target` at (x, y) of its plane (the engine's boundary checks it against the model's state bounds). */
export function planeClick(scene: Scene, target: number, x: number, y: number): { neuron: number; state: Record<string, number> } {
  return { neuron: target, state: planeState(scene.model, x, y) };
}
