/**
 * The scenes the page offers and how to show each: the engine's built-in scenes plus a large
 * population for the raster, default speed and time base, scales of the scope's channels, and
 * hand-pulse sizes that make the model fire.
 */
import { MODEL_IDS, models } from '../core/models/index.ts';
import { parseScene, stepCount, type ProbeRef, type Scene } from '../core/scene.ts';
import { builtinScene, builtinSceneIds } from '../core/scenes.ts';
import { InputError } from '../core/schema.ts';
import { stimulusValue, type DeterministicSource, type Stimulus } from '../core/stimulus.ts';

export const DEFAULT_SCENE_ID = 'izhikevich/A';
export const POPULATION_ID = 'population';

/** Every scene the picker lists: the built-in ones, then the population. */
export const sceneIds: readonly string[] = [...builtinSceneIds, POPULATION_ID];

/** Speeds offered by the speed control (× real time). */
export const SPEEDS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100] as const;
/** Time bases offered by the scope (ms per division). */
export const TIME_PER_DIV = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] as const;

/** The galleries the page offers, one per model whose file gives one, labelled "Izhikevich gallery (20 patterns)". */
export function galleries(): { model: string; label: string }[] {
  return MODEL_IDS.flatMap((id) => {
    const gallery = models[id].presentation.gallery;
    return gallery ? [{ model: id, label: `${gallery.name} gallery (${models[id].scenes.length} patterns)` }] : [];
  });
}

export interface SceneChoice {
  id: string;
  title: string;
}

export function sceneChoices(): SceneChoice[] {
  return sceneIds.map((id) => ({ id, title: id === POPULATION_ID ? 'Population of 10 000 Izhikevich neurons' : (builtinScene(id)?.title ?? id) }));
}

/**
 * A scene by id, ready to run live. A sweep scene runs its first value. `neurons` sizes the
 * population (50 … 200 000). Unknown ids are an InputError naming the known ones.
 */
export function loadScene(id: string, neurons?: number): Scene {
  if (id === POPULATION_ID) return populationScene(neurons ?? 10_000);
  const scene = builtinScene(id);
  if (!scene) throw new InputError('scene', id, `one of ${sceneIds.join(', ')}`);
  if (scene.sweep) scene.params[scene.sweep.param] = scene.sweep.values[0]!;
  return scene;
}

/**
 * Independent Izhikevich neurons (tonic spiking) whose DC drive grows from the top row to the
 * bottom one in 500 bands, all modulated by a slow sine: a rate gradient that breathes, with
 * phase stripes where neighbouring bands drift apart. (Deterministic on purpose: per-neuron
 * noise costs a random draw per neuron and step, more than the model itself.) The scene
 * exists to show, and measure, the raster with many neurons.
 */
export function populationScene(neurons: number): Scene {
  const n = Math.max(50, Math.min(200_000, Math.round(neurons)));
  const bands = Math.min(500, Math.floor(n / 10));
  const stimulus: Stimulus = [{ kind: 'sine', amplitude: 2.5, frequencyHz: 1, offset: 0 }];
  for (let b = 0; b < bands; b++) {
    const from = Math.floor((b * n) / bands);
    const to = Math.floor(((b + 1) * n) / bands);
    if (to <= from) continue;
    stimulus.push({ kind: 'dc', amplitude: 3 + (12 * b) / (bands - 1), targets: Array.from({ length: to - from }, (_, k) => from + k) });
  }
  return parseScene({
    id: POPULATION_ID,
    title: `Population of ${n} Izhikevich neurons`,
    description: 'Independent tonic-spiking Izhikevich neurons; the DC drive grows down the raster, a 1 Hz sine modulates all of them.',
    model: 'izhikevich',
    neurons: n,
    params: { a: 0.02, b: 0.2, c: -65, d: 6, v0: -70, u0: -14 },
    stimulus,
    // dt = 0.5 ms, as the seed's presets R, S and T: half the work of 0.25 ms for a raster that looks the same.
    dtMs: 0.5,
    durationMs: 10_000,
    probes: [
      { variable: 'v', neuron: 0 },
      { variable: 'iExt', neuron: 0 },
      { variable: 'u', neuron: 0 },
      { variable: 'v', neuron: n - 1 },
    ],
  });
}

export function isNetwork(scene: Scene): boolean {
  return scene.neurons > 1;
}

/**
 * Whether the page loops the scene's protocol by default: scenes of one neuron whose protocol
 * is a finite experiment (the Izhikevich presets, lif, hh) start over at its end. Networks and
 * the population are open-ended: they run on (a restart would leave a gap in the raster).
 */
export function loopsByDefault(scene: Scene): boolean {
  return !isNetwork(scene);
}

export interface Presentation {
  speed: number;
  timePerDivMs: number;
  /** Hand pulse and hold that make a resting neuron of this model fire. */
  hand: { amplitude: number; durationMs: number };
}

export function presentation(scene: Scene): Presentation {
  const duration = scene.durationMs;
  const speed = scene.id === POPULATION_ID ? 1 : [...SPEEDS].reverse().find((s) => s <= duration / 3000) ?? SPEEDS[0];
  const timePerDivMs = scene.id === POPULATION_ID ? 100 : TIME_PER_DIV.find((t) => t * 10 >= Math.min(Math.floor(duration), 1000)) ?? 100;
  const { amplitude, durationMs } = models[scene.model].presentation.hand;
  return { speed, timePerDivMs, hand: { amplitude, durationMs } };
}

/** Most steps one frame may compute: about two million neuron-steps, ~8 ms of simulation (the model's frameCost: HH steps cost more). */
export function maxStepsPerFrame(scene: Scene): number {
  const cost = models[scene.model].presentation.frameCost;
  return Math.max(1, Math.floor(2_000_000 / (scene.neurons * cost + 20)));
}

/**
 * Most steps one advance of the engine worker may carry: four main-thread frames' worth, about
 * 8 M neuron-steps (30–40 ms of the worker's time). The worker's time does not hold up the page,
 * so an advance may be longer than a frame; the cap bounds the work queued when the engine falls
 * behind wall time, and the wait before an input acts (it comes after the advance in flight).
 */
export function maxStepsPerAdvance(scene: Scene): number {
  return maxStepsPerFrame(scene) * 4;
}

/** Probes added to the scene's own in a network: the target neuron's potential and input (when not already probed). */
export function targetProbes(scene: Scene, target: number): ProbeRef[] {
  if (!isNetwork(scene)) return [];
  const first = models[scene.model].probes[0]!.name;
  const wanted: ProbeRef[] = [
    { variable: first, neuron: target },
    { variable: 'iExt', neuron: target },
  ];
  return wanted.filter((w) => !scene.probes.some((p) => p.variable === w.variable && p.neuron === w.neuron));
}

export interface ChannelScale {
  lane: string;
  unit: string;
  range: [number, number];
  autoScale: boolean;
  note?: string;
}

/** Which lane a channel goes to and the range it shows at least. */
export function channelScale(scene: Scene, variable: string, neuron: number): ChannelScale {
  if (variable === 'iExt') {
    const [lo, hi] = stimulusExtent(scene.stimulus, scene, neuron);
    return { lane: 'input', unit: models[scene.model].inputUnit, range: [Math.min(0, lo), Math.max(hi, lo + 1, 0)], autoScale: true };
  }
  const probe = models[scene.model].probes.find((p) => p.name === variable);
  const unit = probe?.unit ?? '';
  // Channels share a lane when they share a unit; the range (the probe's own, from its model file) is what the lane shows at least.
  if (unit === '') return { lane: 'gates', unit: 'gate', range: [0, 1], autoScale: false };
  const [lo, hi] = probe?.range ?? [0, 0.5];
  return { lane: unit, unit, range: [lo, hi], autoScale: true, ...(probe?.note ? { note: probe.note } : {}) };
}

/** Smallest and largest protocol current a neuron receives over one run (sampled per step, capped). */
export function stimulusExtent(stimulus: Stimulus, scene: Pick<Scene, 'dtMs' | 'durationMs'>, neuron = 0): [number, number] {
  const steps = stepCount(scene);
  const stride = Math.max(1, Math.floor(steps / 1000));
  let lo = Infinity;
  let hi = -Infinity;
  const deterministic = stimulus.filter((s): s is DeterministicSource => s.kind !== 'ou' && s.kind !== 'poisson');
  for (let k = 0; k < steps; k += stride) {
    const value = stimulusValue(deterministic, k * scene.dtMs, neuron);
    if (value < lo) lo = value;
    if (value > hi) hi = value;
  }
  return Number.isFinite(lo) ? [lo, hi] : [0, 1];
}
