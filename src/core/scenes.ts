/** The built-in scenes: the seed notebook's four programs, ready to run. */
import { izhikevichPresets } from './presets/izhikevich-presets.ts';
import { parseScene, type Scene, type SceneInput } from './scene.ts';

const RING_SIZE = 50;

const builtins: SceneInput[] = [
  {
    id: 'lif',
    title: 'Leaky integrate-and-fire under DC input',
    description: 'Seed program 1: one LIF neuron (R = 1 MΩ, C = 10 nF, threshold 1 mV) with a 4 ms refractory period, I = 1.5 nA, forward Euler at dt = 0.125 ms. Spikes at 11, 26, 41 ms.',
    model: 'lif',
    stimulus: [{ kind: 'dc', amplitude: 1.5 }],
    dtMs: 0.125,
    durationMs: 50,
  },
  {
    id: 'ring',
    title: 'Ring of 50 LIF neurons with alpha synapses',
    description: 'Seed program 2: neuron i is driven by neuron i−1; only neuron 0 receives external current (1.5 nA). Activity travels around the ring.',
    model: 'lif-network',
    neurons: RING_SIZE,
    params: { tauPscMs: 5, spikeDelta: 0 },
    connectivity: { kind: 'ring', weight: 1 },
    stimulus: [{ kind: 'dc', amplitude: 1.5, targets: [0] }],
    dtMs: 0.125,
    durationMs: 700,
    probes: [
      { variable: 'v', neuron: 0 },
      { variable: 'v', neuron: 1 },
      { variable: 'iSyn', neuron: 1 },
    ],
  },
  {
    id: 'ring-sweep',
    title: 'Ring of 50 LIF neurons, swept over tau_psc = 6 … 25 ms',
    description: "Seed program 2's loop: the ring run once per synaptic time constant; the wave's speed depends on tau_psc.",
    model: 'lif-network',
    neurons: RING_SIZE,
    params: { spikeDelta: 0 },
    connectivity: { kind: 'ring', weight: 1 },
    stimulus: [{ kind: 'dc', amplitude: 1.5, targets: [0] }],
    dtMs: 0.125,
    durationMs: 700,
    probes: [{ variable: 'v', neuron: 0 }],
    sweep: { param: 'tauPscMs', values: Array.from({ length: 20 }, (_, k) => 6 + k) },
  },
  {
    id: 'hh',
    title: 'Hodgkin–Huxley squid axon under 10 µA/cm²',
    description: 'Seed program 3 with a correct RK4 on the coupled system: repetitive action potentials; gates m, h, n and the ionic currents. V in mV, rest at 0 mV (Hodgkin & Huxley 1952).',
    model: 'hh',
    stimulus: [{ kind: 'dc', amplitude: 10 }],
    dtMs: 0.01,
    durationMs: 200,
  },
  ...izhikevichPresets.map(
    (preset): SceneInput => ({
      id: `izhikevich/${preset.id}`,
      title: `Izhikevich ${preset.label}`,
      description: `Seed program 4, preset ${preset.label} (Izhikevich 2004), with its own stimulus protocol.`,
      model: 'izhikevich',
      params: { ...preset.params },
      stimulus: preset.stimulus,
      dtMs: preset.dtMs,
      durationMs: preset.durationMs,
    }),
  ),
  ...izhikevich2003Scenes(),
];

/**
 * Izhikevich (2003): the paper's dense network of 1000 (stepped at 0.5 ms, and as the paper's program
 * at 1 ms), and sparse networks of 10 000 and 100 000 (fan-in 100), stepped as the dense default.
 */
function izhikevich2003Scenes(): SceneInput[] {
  const probes = [
    { variable: 'v', neuron: 0 },
    { variable: 'u', neuron: 0 },
    { variable: 'iExt', neuron: 0 },
  ];
  const common = { model: 'izhikevich-2003', dtMs: 0.5, durationMs: 1000, seed: 1, probes } as const;
  return [
    {
      id: 'izhikevich-2003',
      title: 'Izhikevich (2003) network: 1000 neurons, all-to-all',
      description:
        "The paper's network: 800 excitatory and 200 inhibitory neurons with random parameters, thalamic noise, every neuron coupled to every neuron. Rhythms in the alpha (~10 Hz) and gamma (~40 Hz) bands appear in the raster.",
      ...common,
      neurons: 1000,
      options: { connectivity: 'dense' },
    },
    {
      id: 'izhikevich-2003/paper',
      title: 'Izhikevich (2003) network as the paper ran it: 1 ms steps',
      description:
        "The same network stepped as the paper's MATLAB program: 1 ms steps, v by two 0.5 ms half-steps with one input, u by one 1 ms step, the threshold checked once per ms. It fires ~10 % less than the 0.5 ms default (docs/izhikevich-2003.md).",
      ...common,
      dtMs: 1,
      neurons: 1000,
      options: { connectivity: 'dense', stepping: 'paper' },
    },
    {
      id: 'izhikevich-2003/sparse-10k',
      title: 'Izhikevich (2003) network: 10 000 neurons, 100 synapses each',
      description: 'The same neurons and weights, each neuron receiving 100 random synapses: weaker coupling, asynchronous firing at ~5 Hz.',
      ...common,
      neurons: 10_000,
      options: { connectivity: 'sparse' },
    },
    {
      id: 'izhikevich-2003/sparse-100k',
      title: 'Izhikevich (2003) network: 100 000 neurons, 100 synapses each',
      description: '10 million synapses; runs at about real time in one thread.',
      ...common,
      neurons: 100_000,
      options: { connectivity: 'sparse' },
    },
  ];
}

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
