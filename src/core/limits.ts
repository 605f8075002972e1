/**
 * Limits: every bound on what a scene, a flag, an events file or a recording may ask of the
 * engine, in one table described like the parameter schemas (name, value, unit, doc). They are
 * checked where input enters — scene parsing, run planning, recording parsing, file reading —
 * before anything is allocated or computed, and the same table serves `run`, `record`,
 * `replay` and the page. Spikes, which no plan can count, are counted as they come.
 *
 * Each limit has a default and a higher ceiling, `large`, that a user opts into for a big run
 * (the CLI's `--allow-large`); the ceiling still keeps a run within a few GB of memory and
 * hours, not days, of work. The page always uses the defaults.
 */
import { models, type ModelId } from './models/index.ts';
import { InputError } from './schema.ts';
import type { Scene } from './scene.ts';
import type { Stimulus } from './stimulus.ts';

export interface LimitSpec {
  readonly name: string;
  /** The default bound. */
  readonly value: number;
  /** The bound with the opt-in for big runs (`--allow-large`). */
  readonly large: number;
  readonly unit: string;
  readonly doc: string;
}

const MB = 1024 * 1024;

export const LIMITS = {
  neurons: { name: 'neurons', value: 200_000, large: 2_000_000, unit: 'neurons', doc: 'neurons in a scene' },
  synapses: {
    name: 'synapses',
    value: 20_000_000,
    large: 200_000_000,
    unit: 'synapses',
    doc: 'synapses a scene builds, counted before any is built: N² for dense connectivity (lif-network random or matrix, izhikevich-2003 dense), N(N−1) all-to-all, N²·probability or N·fanIn for random, N·fanIn for sparse, N for a ring',
  },
  steps: { name: 'steps', value: 50_000_000, large: 1_000_000_000, unit: 'steps', doc: 'steps of one run or one recording' },
  work: {
    name: 'work',
    value: 2e10,
    large: 1e12,
    unit: 'neuron-steps',
    doc: "steps × neurons × the model's cost per neuron-step, plus the neurons each stimulus source drives each step (weights below); a sweep counts all its runs",
  },
  traceSamples: { name: 'traceSamples', value: 10_000_000, large: 100_000_000, unit: 'samples', doc: 'trace values kept (8 bytes each): steps × probes, summed over the runs of a sweep' },
  spikes: { name: 'spikes', value: 5_000_000, large: 50_000_000, unit: 'spikes', doc: 'spikes kept by one run or one recording, counted as they come: a run stops when it passes the limit' },
  events: { name: 'events', value: 1_000_000, large: 1_000_000, unit: 'events', doc: 'events in an events file or a recording' },
  inputFileBytes: {
    name: 'inputFileBytes',
    value: 64 * MB,
    large: 512 * MB,
    unit: 'bytes',
    doc: 'a scene or events file, checked before it is read (its JSON is parsed whole: a 64 MB file costs about 250 MB)',
  },
  fileBytes: { name: 'fileBytes', value: 256 * MB, large: 256 * MB, unit: 'bytes', doc: 'a recording file as read (compressed or not), checked before it is read' },
  textBytes: {
    name: 'textBytes',
    value: 256 * MB,
    large: 256 * MB,
    unit: 'bytes',
    doc: "a recording's JSON text, checked while it is decompressed; a recorder stops before its file would pass it",
  },
} as const satisfies Record<string, LimitSpec>;

export type LimitName = keyof typeof LIMITS;
/**
 * The bounds in force: the defaults, or the large ones. Every run, event log and recording file
 * is checked against them before anything is allocated (README, "Limits").
 *
 * @example
 * ```ts
 * const limits: Limits = big ? LARGE_LIMITS : DEFAULT_LIMITS;
 * console.log(limits.neurons, limits.steps);
 * ```
 */
export type Limits = { readonly [K in LimitName]: number } & { readonly large: boolean };

function table(large: boolean): Limits {
  const out: Record<string, number | boolean> = { large };
  for (const [name, spec] of Object.entries(LIMITS)) out[name] = large ? spec.large : spec.value;
  return out as Limits;
}

/**
 * The default limits, those of the page and of the CLI without `--allow-large`.
 *
 * @example
 * ```ts
 * const events = parseEventLog(JSON.parse(text), { ...scene, limits: DEFAULT_LIMITS });
 * ```
 */
export const DEFAULT_LIMITS: Limits = table(false);
/**
 * The higher limits a user opts into for a big run (the CLI's `--allow-large`).
 *
 * @example
 * ```ts
 * const scene = parseScene({ model: 'izhikevich-2003', neurons: 1_000_000, options: { connectivity: 'sparse' } }, LARGE_LIMITS);
 * ```
 */
export const LARGE_LIMITS: Limits = table(true);

/**
 * Cost of one neuron-step relative to a LIF neuron's (~20 ns on one core), from each model file's
 * `work`, measured with the
 * kernels of this repository (bench and tests/limits.test.ts print the figures): it is what
 * `work` counts, so that a limit on work bounds the time a run may take whatever its model.
 */
export const WORK_PER_NEURON_STEP = Object.fromEntries(Object.values(models).map((model) => [model.id, model.work])) as Record<ModelId, number | Readonly<Record<string, number>>>;
/** Cost per driven neuron-step of a stimulus source: noise draws random numbers, a targeted source adds to each target. */
const WORK_PER_DRIVEN_NEURON = { ou: 8, poisson: 4, deterministic: 1 } as const;

/** Thrown when an input passes a limit: an InputError naming the field, its value and the limit. */
export class LimitError extends InputError {
  constructor(
    field: string,
    value: unknown,
    readonly limit: LimitName,
    limits: Limits,
    what = '',
  ) {
    const spec = LIMITS[limit];
    const bound = `at most ${formatCount(limits[limit])} ${spec.unit}${what}`;
    const raise = limits.large || spec.large === spec.value ? `limit "${limit}"${limits.large ? ' with --allow-large' : ''}` : `limit "${limit}"; the CLI's --allow-large raises it to ${formatCount(spec.large)}`;
    super(field, value, `${bound} (${raise})`);
    this.name = 'InputError';
  }
}

/** Throws a LimitError when `count` passes the limit. `what` follows the bound in the message (e.g. " for 1000 neurons"). */
export function checkLimit(limits: Limits, limit: LimitName, count: number, field: string, value: unknown = count, what = ''): void {
  if (!(count <= limits[limit])) throw new LimitError(field, value, limit, limits, what);
}

/** 20000000 → "20 000 000"; 2e10 → "2e10". */
export function formatCount(n: number): string {
  if (n >= 1e10) return n.toExponential().replace('e+', 'e');
  return n.toLocaleString('en-US').replace(/,/g, ' ');
}

/** What a scene's structure needs: the quantities limited before a kernel is built. */
type SceneShape = Pick<Scene, 'model' | 'neurons' | 'params' | 'options' | 'connectivity' | 'stimulus'>;

/** Synapses the scene will build (dense connectivity counts N², whatever its weights). */
export function synapseCount(scene: SceneShape): number {
  const n = scene.neurons;
  if (scene.model === 'izhikevich-2003') return scene.options.connectivity === 'sparse' ? n * (scene.params.fanIn ?? 0) : n * n;
  switch (scene.connectivity.kind) {
    case 'ring':
      return n;
    case 'random': {
      const { probability, fanIn } = scene.connectivity;
      // With a probability, the expected count (the draw may pass it by a few standard deviations).
      return probability !== undefined ? Math.ceil(n * n * probability) : fanIn !== undefined ? n * fanIn : n * n;
    }
    case 'all-to-all':
      return n * (n - 1);
    case 'matrix':
      return n * n;
    default:
      return 0;
  }
}

/** Work of one step (see LIMITS.work) for the scene's model, neurons and stimulus. */
export function workPerStep(scene: SceneShape): number {
  const weight = WORK_PER_NEURON_STEP[scene.model];
  const perNeuron = typeof weight === 'number' ? weight : (weight[scene.options.method ?? ''] ?? Math.max(...Object.values(weight)));
  return scene.neurons * perNeuron + stimulusWork(scene.stimulus, scene.neurons);
}

export function stimulusWork(stimulus: Stimulus, neurons: number): number {
  let work = 0;
  for (const source of stimulus) {
    const driven = source.targets?.length ?? neurons;
    if (source.kind === 'ou' || source.kind === 'poisson') work += driven * WORK_PER_DRIVEN_NEURON[source.kind];
    else if (source.targets) work += driven * WORK_PER_DRIVEN_NEURON.deterministic;
  }
  return work;
}

/**
 * Checks the plan of a run before it starts: `steps` steps of `scene`, `runs` times (a sweep),
 * keeping `probes` trace channels. `field` and `value` name what the user gave for the length
 * (durationMs, steps…), so that the message points at it.
 */
export function checkRunPlan(scene: SceneShape & Pick<Scene, 'dtMs'>, plan: { steps: number; runs?: number; probes: number; field: string; value: unknown }, limits: Limits): void {
  const runs = plan.runs ?? 1;
  const per = ` of dtMs = ${scene.dtMs} ms`;
  checkLimit(limits, 'steps', plan.steps, plan.field, plan.value, `${per} (this is ${formatCount(plan.steps)} steps)`);
  const work = plan.steps * runs * workPerStep(scene);
  checkLimit(limits, 'work', work, plan.field, plan.value, ` of work (this is ${formatCount(work)}: ${formatCount(plan.steps)} steps${runs > 1 ? ` × ${runs} runs` : ''} of ${scene.neurons} ${scene.model} neuron${scene.neurons === 1 ? '' : 's'})`);
  const samples = plan.steps * runs * plan.probes;
  checkLimit(limits, 'traceSamples', samples, plan.field, plan.value, ` of traces (this is ${formatCount(samples)}: ${formatCount(plan.steps)} steps × ${plan.probes} probes${runs > 1 ? ` × ${runs} runs` : ''})`);
}

/** The limits as the README's table (tests/limits.test.ts checks that the README holds exactly this). */
export function limitsMarkdown(): string {
  const value = (spec: LimitSpec, n: number): string => (spec.unit === 'bytes' ? `${n / MB} MB` : formatCount(n));
  const rows = Object.values(LIMITS).map((spec: LimitSpec) => `| \`${spec.name}\` | ${value(spec, spec.value)} | ${value(spec, spec.large)} | ${spec.unit} | ${spec.doc} |`);
  const weights = Object.entries(WORK_PER_NEURON_STEP)
    .map(([model, w]) => (typeof w === 'number' ? `${model} ${w}` : Object.entries(w).map(([method, x]) => `${model} ${method} ${x}`).join(', ')))
    .join(', ');
  const driven = `${WORK_PER_DRIVEN_NEURON.ou} for an Ornstein–Uhlenbeck source, ${WORK_PER_DRIVEN_NEURON.poisson} for a Poisson source, ${WORK_PER_DRIVEN_NEURON.deterministic} for a deterministic source with targets`;
  return [
    '| limit | default | with `--allow-large` | unit | what it bounds |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `Work per neuron-step (a LIF neuron-step, ~20 ns on one core, counts 1): ${weights}; per neuron a stimulus source drives: ${driven}.`,
  ].join('\n');
}
