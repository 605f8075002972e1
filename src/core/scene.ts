/**
 * Scenes: a JSON-serialisable description of a run (model, parameters, neurons,
 * connectivity, stimulus, dt, duration, seed, probes). `parseScene` turns untrusted
 * input into a complete, validated scene; every error names the field, the value and
 * what is allowed.
 */
import { parseConnectivity, type Connectivity } from './connectivity.ts';
import { checkLimit, checkRunPlan, DEFAULT_LIMITS, LIMITS, synapseCount, type Limits } from './limits.ts';
import { MODEL_IDS, models, type ModelId } from './models/index.ts';
import { checkChoice, checkParam, findParam, InputError, resolveParams, type ParamSpec } from './schema.ts';
import { checkStepBound } from './stability.ts';
import { parseStimulus, type Stimulus } from './stimulus.ts';

/**
 * A probed trace: a variable of one neuron, recorded every step.
 *
 * @example
 * ```ts
 * const probe: ProbeRef = { variable: 'v', neuron: 0 };
 * ```
 */
export interface ProbeRef {
  /** A probe of the model (v, u, m, …) or `iExt`, the external current the neuron received. */
  variable: string;
  neuron: number;
}

/**
 * Runs the scene once per value of one parameter (the seed's tau_psc sweep).
 *
 * @example
 * ```ts
 * const scene = parseScene({ model: 'lif-network', sweep: { param: 'tauPsc', values: [2, 4, 8] } });
 * ```
 */
export interface Sweep {
  param: string;
  values: number[];
}

/**
 * A complete, validated description of a run (JSON-serialisable): model, neurons, parameters,
 * options, connectivity, stimulus, dt, duration, seed, probes.
 *
 * @example
 * ```ts
 * const scene: Scene = parseScene({ model: 'izhikevich', params: { a: 0.02, b: 0.2, c: -65, d: 8 }, stimulus: [{ kind: 'dc', amplitude: 10 }], durationMs: 200 });
 * console.log(scene.dtMs, scene.probes); // the defaults, filled in
 * ```
 */
export interface Scene {
  id?: string;
  title?: string;
  description?: string;
  model: ModelId;
  neurons: number;
  params: Record<string, number>;
  /** Model choices: integration method, initial history… */
  options: Record<string, string>;
  connectivity: Connectivity;
  stimulus: Stimulus;
  dtMs: number;
  durationMs: number;
  seed: number;
  probes: ProbeRef[];
  sweep?: Sweep;
}

/**
 * The input form: everything but the model may be left out and takes its default.
 *
 * @example
 * ```ts
 * const input: SceneInput = { model: 'hh', dtMs: 0.01, stimulus: [{ kind: 'dc', amplitude: 10 }] };
 * const scene = parseScene(input);
 * ```
 */
export type SceneInput = Partial<Scene> & { model: ModelId };

/** The external-current pseudo-probe, available for every model. */
export const INPUT_PROBE = { name: 'iExt', doc: 'external current received in the step (stimulus + hand pulses)' } as const;

/** The scene-level numbers, described once like model parameters. */
export const sceneFields = {
  neurons: { name: 'neurons', unit: '', default: 1, min: 1, max: LIMITS.neurons.large, doc: 'number of neurons (limits.ts bounds it further)', integer: true },
  dtMs: { name: 'dtMs', unit: 'ms', default: 0.125, min: 1e-4, max: 10, doc: 'time step' },
  durationMs: { name: 'durationMs', unit: 'ms', default: 100, min: 1e-4, max: 1e8, doc: 'simulated time of a run' },
  seed: { name: 'seed', unit: '', default: 1, min: 0, max: 4294967295, doc: 'seed of every random number in the run', integer: true },
} as const satisfies Record<string, ParamSpec>;

const MAX_PROBES = 64;
const MAX_SWEEP = 1000;
const SCENE_KEYS = ['id', 'title', 'description', 'model', 'neurons', 'params', 'options', 'connectivity', 'stimulus', 'dtMs', 'durationMs', 'seed', 'probes', 'sweep'];

/**
 * The steps of a run: durationMs / dtMs, which must be a whole number (within a relative 1e-9,
 * so that decimal fractions like 50 / 0.01 count as whole). One rule everywhere: a scene whose
 * duration is not a whole number of steps is refused by `parseScene` (see `wholeSteps`).
 *
 * @example
 * ```ts
 * stepCount(builtinScene('lif')!); // steps of the seed's LIF run
 * ```
 */
export function stepCount(scene: Pick<Scene, 'dtMs' | 'durationMs'>): number {
  return Math.round(scene.durationMs / scene.dtMs);
}

/** Relative tolerance within which durationMs / dtMs counts as a whole number. */
export const WHOLE_STEPS_TOLERANCE = 1e-9;

/** The step count of a duration, or an InputError naming durationMs when it is not a whole number (≥ 1) of steps. */
export function wholeSteps(durationMs: number, dtMs: number, field = 'durationMs'): number {
  const ratio = durationMs / dtMs;
  const steps = Math.round(ratio);
  if (steps < 1) throw new InputError(field, durationMs, `at least one step of dtMs (${dtMs} ms)`);
  if (Math.abs(ratio - steps) > WHOLE_STEPS_TOLERANCE * steps) {
    const below = Math.max(1, Math.floor(ratio));
    const nice = (k: number): number => Number((k * dtMs).toPrecision(12));
    throw new InputError(field, durationMs, `a whole number of steps of dtMs = ${dtMs} ms (${ratio.toPrecision(6)} steps given), e.g. ${nice(below)} or ${nice(below + 1)} ms`);
  }
  return steps;
}

/**
 * Checks a set of parameter values for a scene's model as a run would take them (a scene's own,
 * a sweep value, a set-param event, a start state): the integrator must stay stable at dt, and
 * a parameter that sizes the network (fanIn) must keep the synapses within the limit.
 */
export function checkParamValues(scene: Pick<Scene, 'model' | 'neurons' | 'options' | 'dtMs' | 'connectivity'>, params: Record<string, number>, field: string, value: unknown, limits: Limits): void {
  checkStepBound(scene.model, params, scene.options, scene.dtMs, field, value);
  const synapses = synapseCount({ ...scene, params, stimulus: [] });
  checkLimit(limits, 'synapses', synapses, field, value, ` (${scene.neurons} neurons with these parameters make ${synapses})`);
}

/** Probe names a scene may ask for. */
export function probeNames(model: ModelId): string[] {
  return [...models[model].probes.map((p) => p.name), INPUT_PROBE.name];
}

export function probeUnit(model: ModelId, variable: string): string {
  return models[model].probes.find((p) => p.name === variable)?.unit ?? models[model].inputUnit;
}

/**
 * Validates untrusted input as a scene, within `limits` (the defaults unless the user opted into
 * large runs): every field, the synapses it would build, the stability of its integrator at its
 * dt, a duration of whole steps, and the steps and work of a run of it (for a sweep, of all its runs).
 *
 * @example
 * ```ts
 * const scene = parseScene(JSON.parse(text));
 * try {
 *   parseScene({ model: 'lif', dtMs: -1 });
 * } catch (error) {
 *   console.log((error as Error).message); // dtMs = -1 is not allowed: …
 * }
 * ```
 */
export function parseScene(input: unknown, limits: Limits = DEFAULT_LIMITS): Scene {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InputError('scene', input, 'an object');
  const raw = input as Record<string, unknown>;
  for (const key of Object.keys(raw)) {
    if (!SCENE_KEYS.includes(key)) throw new InputError(key, raw[key], `not a scene field; fields: ${SCENE_KEYS.join(', ')}`);
  }
  if (typeof raw.model !== 'string' || !(MODEL_IDS as string[]).includes(raw.model)) {
    throw new InputError('model', raw.model, `one of ${MODEL_IDS.join(', ')}`);
  }
  const model = raw.model as ModelId;
  const definition = models[model];
  const text = (key: string, max: number): string | undefined => {
    const value = raw[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length > max) throw new InputError(key, value, `a string of at most ${max} characters`);
    return value;
  };
  const number = (spec: ParamSpec): number => (raw[spec.name] === undefined ? spec.default : checkParam(spec, raw[spec.name]));

  const neurons = number(sceneFields.neurons);
  checkLimit(limits, 'neurons', neurons, 'neurons');
  // A parsed scene always says { kind: 'none' } for models without synapses: accept it back.
  const connectivity = raw.connectivity as { kind?: unknown } | undefined;
  if (!definition.network && connectivity !== undefined && connectivity?.kind !== 'none') {
    throw new InputError('connectivity', raw.connectivity, `nothing (or { "kind": "none" }): model ${model} has no synapses`);
  }
  const dtMs = number(sceneFields.dtMs);
  const durationMs = number(sceneFields.durationMs);
  const steps = wholeSteps(durationMs, dtMs);

  const options: Record<string, string> = {};
  const rawOptions = raw.options ?? {};
  if (typeof rawOptions !== 'object' || rawOptions === null || Array.isArray(rawOptions)) throw new InputError('options', rawOptions, 'an object');
  for (const key of Object.keys(rawOptions)) {
    if (!definition.choices.some((c) => c.name === key)) {
      throw new InputError(`options.${key}`, (rawOptions as Record<string, unknown>)[key], `one of the options of ${model}: ${definition.choices.map((c) => c.name).join(', ') || 'none'}`);
    }
  }
  for (const choice of definition.choices) options[choice.name] = checkChoice(choice, (rawOptions as Record<string, unknown>)[choice.name], `options.${choice.name}`);

  const params = resolveParams(definition.params, raw.params);
  // Counted before a dense matrix is copied (from its kind alone) or any synapse is built.
  const kind = typeof connectivity?.kind === 'string' ? connectivity.kind : 'none';
  const parsedConnectivity = definition.network && kind !== 'matrix' ? parseConnectivity(raw.connectivity, neurons) : undefined;
  const synapses = synapseCount({ model, neurons, params, options, connectivity: parsedConnectivity ?? ({ kind } as Connectivity), stimulus: [] });
  const sparse = model === 'izhikevich-2003' && options.connectivity === 'sparse';
  const random = parsedConnectivity?.kind === 'random' ? parsedConnectivity : undefined;
  const builds = sparse
    ? `fanIn = ${params.fanIn} synapses per neuron`
    : kind === 'ring'
      ? 'a ring'
      : random?.probability !== undefined
        ? `connection probability ${random.probability}`
        : random?.fanIn !== undefined
          ? `fanIn = ${random.fanIn} synapses per neuron`
          : `N² synapses (${model === 'izhikevich-2003' ? "options.connectivity 'dense'" : `connectivity "${kind}"`})`;
  checkLimit(limits, 'synapses', synapses, sparse ? 'params.fanIn' : 'neurons', sparse ? params.fanIn : neurons, ` (${neurons} neurons with ${builds} make ${synapses})`);
  checkStepBound(model, params, options, dtMs);
  const scene: Scene = {
    model,
    neurons,
    params,
    options,
    connectivity: definition.network ? (parsedConnectivity ?? parseConnectivity(raw.connectivity, neurons)) : { kind: 'none' },
    stimulus: parseStimulus(raw.stimulus, neurons),
    dtMs,
    durationMs,
    seed: number(sceneFields.seed),
    probes: parseProbes(raw.probes, model, neurons),
  };
  const id = text('id', 200);
  const title = text('title', 200);
  const description = text('description', 4000);
  if (id !== undefined) scene.id = id;
  if (title !== undefined) scene.title = title;
  if (description !== undefined) scene.description = description;
  if (raw.sweep !== undefined) {
    scene.sweep = parseSweep(raw.sweep, model);
    const { param } = scene.sweep;
    scene.sweep.values.forEach((value, i) => checkParamValues(scene, { ...params, [param]: value }, `sweep.values[${i}]`, value, limits));
  }
  // Steps and work of a run of its duration (and of every run of its sweep). Traces are counted where
  // a run keeps them: `run` (every probe), `record --traces`, a recording's stored traces.
  checkRunPlan(scene, { steps, runs: scene.sweep?.values.length ?? 1, probes: 0, field: 'durationMs', value: durationMs }, limits);
  return scene;
}

function parseProbes(input: unknown, model: ModelId, neurons: number): ProbeRef[] {
  const names = probeNames(model);
  if (input === undefined) {
    // Every variable of a single neuron; the membrane potential and input of neuron 0 in a network.
    return neurons === 1 ? names.map((variable) => ({ variable, neuron: 0 })) : [{ variable: names[0]!, neuron: 0 }, { variable: INPUT_PROBE.name, neuron: 0 }];
  }
  if (!Array.isArray(input) || input.length > MAX_PROBES) throw new InputError('probes', input, `a list of at most ${MAX_PROBES} { variable, neuron } objects`);
  return input.map((probe, index) => {
    const field = `probes[${index}]`;
    if (typeof probe !== 'object' || probe === null) throw new InputError(field, probe, 'an object { variable, neuron }');
    const { variable, neuron = 0 } = probe as Record<string, unknown>;
    if (typeof variable !== 'string' || !names.includes(variable)) throw new InputError(`${field}.variable`, variable, `one of ${names.join(', ')}`);
    if (typeof neuron !== 'number' || !Number.isInteger(neuron) || neuron < 0 || neuron >= neurons) {
      throw new InputError(`${field}.neuron`, neuron, `a neuron index from 0 to ${neurons - 1}`);
    }
    return { variable, neuron };
  });
}

function parseSweep(input: unknown, model: ModelId): Sweep {
  if (typeof input !== 'object' || input === null) throw new InputError('sweep', input, 'an object { param, values }');
  const { param, values } = input as Record<string, unknown>;
  if (typeof param !== 'string') throw new InputError('sweep.param', param, `a parameter name of ${model}`);
  const spec = findParam(models[model].params, param, 'sweep.param');
  if (!Array.isArray(values) || values.length === 0 || values.length > MAX_SWEEP) throw new InputError('sweep.values', values, `a list of 1 to ${MAX_SWEEP} numbers`);
  return { param, values: values.map((v, i) => checkParam(spec, v, `sweep.values[${i}]`)) };
}

/** The label of a probe channel in outputs: `v` for neuron 0 of a one-neuron scene, else `v[3]`. */
export function channelName(scene: Pick<Scene, 'neurons'>, probe: ProbeRef): string {
  return scene.neurons === 1 ? probe.variable : `${probe.variable}[${probe.neuron}]`;
}
