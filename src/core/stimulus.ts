/**
 * Stimulus protocols: the external current as a sum of sources, each a waveform inside an
 * optional time window, applied to all neurons or to a list of them. Deterministic sources
 * (dc, ramp, sine, pulses) are functions of time; noise sources (Ornstein–Uhlenbeck, Poisson)
 * draw from the run's seeded generator, one independent process per neuron.
 *
 * Time convention (the seed's): step k uses the stimulus at t = k·dt, the start of the step.
 * Windows are open intervals, startMs < t < stopMs, as the seed writes its protocols; a
 * missing bound is unbounded. Sources are summed in the order given, starting from 0, so
 * that a protocol written as the seed writes it gives the seed's numbers bit for bit.
 */
import { exp, sin } from './numerics/deterministic-math.ts';
import { Random } from './random.ts';
import { checkParam, InputError, type ParamSpec } from './schema.ts';

interface Window {
  /** The source is on for startMs < t (default: from the start). */
  startMs?: number;
  /** The source is on for t < stopMs (default: for ever). */
  stopMs?: number;
  /** Neuron indices the source drives; all neurons when absent. */
  targets?: number[];
}

/** A constant current. */
export interface DcSource extends Window {
  kind: 'dc';
  amplitude: number;
}
/** A linear ramp that rises by `amplitude` every `rampMs`, from 0 at startMs: amplitude·(t − startMs)/rampMs. */
export interface RampSource extends Window {
  kind: 'ramp';
  amplitude: number;
  rampMs: number;
}
/** offset + amplitude·sin(2π·frequencyHz·(t − startMs)/1000 + phaseDeg). */
export interface SineSource extends Window {
  kind: 'sine';
  amplitude: number;
  frequencyHz: number;
  phaseDeg?: number;
  offset?: number;
}
/** A train of `count` rectangular pulses of `widthMs`, one every `periodMs`, the first right after startMs. */
export interface PulseTrainSource extends Window {
  kind: 'pulses';
  amplitude: number;
  widthMs: number;
  periodMs: number;
  count?: number;
}

/**
 * Ornstein–Uhlenbeck noise per neuron: dI = (mean − I)·dt/tauMs + sigma·sqrt(2·dt/tauMs)·ξ,
 * advanced by its exact update each step; stationary mean `mean`, standard deviation `sigma`.
 */
export interface OuSource extends Window {
  kind: 'ou';
  mean: number;
  sigma: number;
  tauMs: number;
}
/**
 * Poisson spike input per neuron: events at `rateHz`; each event adds `amplitude` to the
 * current of the step it falls in (a kick of amplitude·dt to a membrane integrating I).
 */
export interface PoissonSource extends Window {
  kind: 'poisson';
  rateHz: number;
  amplitude: number;
}

export type DeterministicSource = DcSource | RampSource | SineSource | PulseTrainSource;
export type NoiseSource = OuSource | PoissonSource;
export type StimulusSource = DeterministicSource | NoiseSource;
/**
 * A scene's stimulus: a list of sources summed (`dc`, `ramp`, `sine`, `pulses`, `ou`, `poisson`),
 * each with an optional open window `startMs < t < stopMs` and optional `targets`.
 *
 * @example
 * ```ts
 * const stimulus: Stimulus = [
 *   { kind: 'dc', amplitude: 5, startMs: 10 },
 *   { kind: 'ou', mean: 0, sigma: 2, tauMs: 5 },
 * ];
 * ```
 */
export type Stimulus = StimulusSource[];

export const STIMULUS_KINDS = ['dc', 'ramp', 'sine', 'pulses', 'ou', 'poisson'] as const;

/**
 * The bound of every number a user types about stimulation — the sources of a protocol, hand
 * pulses and holds (events.ts), the page's stimulus form — currents, times and the rest: far
 * beyond anything physiological, finite. It is the widest any of these ever allowed (events
 * took amplitudes up to 1e6 and durations up to 1e7, sources 1e9), so that every scene and
 * recording made before still parses.
 */
const LIMIT = 1e9;

/** A current in the model's input unit (`unit: 'input'`, see currentSpec). */
function current(name: string, label: string, doc: string, bounds: { min?: number; default?: number } = {}): ParamSpec {
  return { name, label, unit: 'input', default: bounds.default ?? 0, min: bounds.min ?? -LIMIT, max: LIMIT, precision: 2, doc };
}
/** A length of time: greater than 0. */
function duration(name: string, label: string, defaultMs: number, typical: readonly [number, number], doc: string): ParamSpec {
  return { name, label, unit: 'ms', default: defaultMs, min: 0, minExclusive: true, max: LIMIT, typical, log: true, doc };
}
/** A moment: a time of the protocol's clock. */
function moment(name: string, label: string, defaultMs: number, doc: string): ParamSpec {
  return { name, label, unit: 'ms', default: defaultMs, min: -LIMIT, max: LIMIT, typical: [0, 1000], precision: 1, doc };
}

/**
 * Every field of a stimulus source, described for people (label, one-line doc, typical range,
 * precision) as the model parameters are. `unit: 'input'` stands for the model's input unit
 * (nA, µA/cm², mV/ms), and the typical range of such a field is the model's (`currentSpec`).
 * The allowed ranges are what parseStimulus checks; the hand pulse's fields (events.ts) and the
 * page's stimulus form derive from the same specs.
 */
export const stimulusFieldSpecs = {
  amplitude: current('amplitude', 'amplitude', 'height of the current (dc, pulses, sine), rise per rampMs (ramp), size of each kick (poisson)', { default: 1 }),
  offset: current('offset', 'offset', 'constant added to the sine'),
  mean: current('mean', 'mean current', 'stationary mean of the Ornstein–Uhlenbeck noise'),
  sigma: current('sigma', 'noise amplitude', 'stationary standard deviation of the Ornstein–Uhlenbeck noise', { min: 0, default: 1 }),
  tauMs: duration('tauMs', 'noise correlation time', 5, [0.5, 100], 'how long the Ornstein–Uhlenbeck noise remembers its value'),
  rateHz: { name: 'rateHz', label: 'input rate', unit: 'Hz', default: 100, min: 0, max: 1e5, typical: [1, 10_000], log: true, doc: 'mean rate of the Poisson input events, per neuron' },
  rampMs: duration('rampMs', 'ramp time', 100, [1, 1000], 'time the ramp takes to rise by its amplitude'),
  frequencyHz: { name: 'frequencyHz', label: 'frequency', unit: 'Hz', default: 10, min: -LIMIT, max: LIMIT, typical: [0.5, 200], log: true, doc: 'cycles of the sine per second' },
  phaseDeg: { name: 'phaseDeg', label: 'phase', unit: '°', default: 0, min: -LIMIT, max: LIMIT, typical: [0, 360], precision: 0, doc: 'phase of the sine at its start' },
  widthMs: duration('widthMs', 'pulse width', 5, [0.5, 100], 'length of each pulse'),
  periodMs: duration('periodMs', 'pulse period', 50, [5, 1000], 'one pulse every period'),
  count: { name: 'count', label: 'number of pulses', unit: '', default: 1, min: 0, max: LIMIT, integer: true, typical: [1, 100], log: true, doc: 'pulses in the train (all of them when absent)' },
  startMs: moment('startMs', 'start', 0, 'the source is on after this time (t > startMs)'),
  stopMs: moment('stopMs', 'stop', 1000, 'the source is on before this time (t < stopMs)'),
} as const satisfies Record<string, ParamSpec>;

export type StimulusField = keyof typeof stimulusFieldSpecs;

/**
 * The hand injection's fields (a pulse event's and a hold's): its current and its duration have
 * the sources' bounds.
 */
export const handFieldSpecs = {
  amplitude: { ...stimulusFieldSpecs.amplitude, precision: 1, doc: 'current of a pulse and of the held injection' },
  durationMs: duration('durationMs', 'pulse duration', 1, [0.1, 50], 'length of one pulse'),
} as const satisfies Record<string, ParamSpec>;

/** A delay from the moment a source is applied (the page's stimulus form): a time ≥ 0, in the sources' bounds. */
export const delaySpec: ParamSpec = { ...moment('delayMs', 'start after', 0, 'delay from the moment the source is applied'), min: 0, typical: [0, 200] };

/** A current field's spec for a model: its unit and typical range. */
export function currentSpec(spec: ParamSpec, unit: string, typical: readonly [number, number]): ParamSpec {
  return spec.unit === 'input' ? { ...spec, unit, typical } : spec;
}

function isNoise(source: StimulusSource): source is NoiseSource {
  return source.kind === 'ou' || source.kind === 'poisson';
}

const REQUIRED: Record<StimulusSource['kind'], readonly StimulusField[]> = {
  dc: ['amplitude'],
  ramp: ['amplitude', 'rampMs'],
  sine: ['amplitude', 'frequencyHz'],
  pulses: ['amplitude', 'widthMs', 'periodMs'],
  ou: ['mean', 'sigma', 'tauMs'],
  poisson: ['rateHz', 'amplitude'],
};
const OPTIONAL: Record<StimulusSource['kind'], readonly StimulusField[]> = {
  dc: [],
  ramp: [],
  sine: ['phaseDeg', 'offset'],
  pulses: ['count'],
  ou: [],
  poisson: [],
};
const WINDOW = ['startMs', 'stopMs', 'targets'];


function inWindow(source: Window, t: number): boolean {
  return (source.startMs === undefined || t > source.startMs) && (source.stopMs === undefined || t < source.stopMs);
}

/** Value of one deterministic source at time t (ms), ignoring its targets. */
export function sourceValue(source: DeterministicSource, t: number): number {
  if (!inWindow(source, t)) return 0;
  const start = source.startMs ?? 0;
  switch (source.kind) {
    case 'dc':
      return source.amplitude;
    case 'ramp':
      return (source.amplitude * (t - start)) / source.rampMs;
    case 'sine':
      return (source.offset ?? 0) + source.amplitude * sin((2 * Math.PI * source.frequencyHz * (t - start)) / 1000 + ((source.phaseDeg ?? 0) * Math.PI) / 180);
    case 'pulses': {
      const sinceStart = t - start;
      const index = Math.floor(sinceStart / source.periodMs);
      if (source.count !== undefined && index >= source.count) return 0;
      return sinceStart - index * source.periodMs < source.widthMs ? source.amplitude : 0;
    }
  }
}

/** Sum of the deterministic sources at time t for one neuron (sources whose targets exclude it are skipped). */
export function stimulusValue(stimulus: readonly DeterministicSource[], t: number, neuron = 0): number {
  let total = 0;
  for (const source of stimulus) {
    if (source.targets && !source.targets.includes(neuron)) continue;
    total += sourceValue(source, t);
  }
  return total;
}

/**
 * Sets `current` (one entry per neuron) to the deterministic sources at time t, or adds them
 * when `add` is true. Allocates nothing. Sources without targets are summed once, in order.
 */
export function fillStimulus(stimulus: readonly DeterministicSource[], t: number, current: Float64Array, add = false): void {
  let everyone = 0;
  let anyTargeted = false;
  for (const source of stimulus) {
    if (source.targets) anyTargeted = true;
    else everyone += sourceValue(source, t);
  }
  if (!add) current.fill(everyone);
  else if (everyone !== 0) for (let i = 0; i < current.length; i++) current[i]! += everyone;
  if (!anyTargeted) return;
  for (const source of stimulus) {
    const targets = source.targets;
    if (!targets) continue;
    const value = sourceValue(source, t);
    if (value === 0) continue;
    for (let k = 0; k < targets.length; k++) current[targets[k]!]! += value;
  }
}

/**
 * A protocol in a running simulation: the deterministic sources plus the state of its noise
 * sources (one OU value per driven neuron, and the generator). Noise evolves from step 0
 * whether or not its window is open, so a window never changes the random sequence.
 */
export class StimulusDriver {
  readonly stimulus: Stimulus;
  private readonly deterministic: DeterministicSource[];
  private readonly noise: NoiseSource[];
  /** OU value per driven neuron, one array per noise source (empty for Poisson). */
  private readonly values: Float64Array[];
  private readonly random: Random;
  /**
   * The deterministic sources' values when they never change (dc sources without a window): filled
   * once by fillStimulus itself, so copying it gives the same bits as filling every step.
   */
  private readonly constant: Float64Array | undefined;

  constructor(stimulus: Stimulus, size: number, seed: number) {
    this.stimulus = stimulus;
    this.deterministic = stimulus.filter((s): s is DeterministicSource => !isNoise(s));
    this.noise = stimulus.filter(isNoise);
    const steady = this.deterministic.length > 0 && this.deterministic.every((s) => s.kind === 'dc' && s.startMs === undefined && s.stopMs === undefined);
    this.constant = steady ? new Float64Array(size) : undefined;
    if (this.constant) fillStimulus(this.deterministic, 0, this.constant);
    this.values = this.noise.map((s) => new Float64Array(s.kind === 'ou' ? (s.targets?.length ?? size) : 0).fill(s.kind === 'ou' ? s.mean : 0));
    this.random = new Random(seed);
  }

  get empty(): boolean {
    return this.stimulus.length === 0;
  }

  /** True when every step's input is the same (dc sources without a window, no noise): fill gives the same numbers at every step. */
  get steady(): boolean {
    return this.constant !== undefined && this.noise.length === 0;
  }

  /** Sets `current` to the protocol's value for the step that starts at `step`·dt. */
  fill(step: number, dtMs: number, current: Float64Array): void {
    const t = step * dtMs;
    if (this.constant && this.constant.length === current.length) current.set(this.constant);
    else fillStimulus(this.deterministic, t, current);
    for (let n = 0; n < this.noise.length; n++) {
      const source = this.noise[n]!;
      const on = inWindow(source, t);
      const targets = source.targets;
      const count = targets?.length ?? current.length;
      if (source.kind === 'ou') {
        const values = this.values[n]!;
        const decay = exp(-dtMs / source.tauMs);
        const spread = source.sigma * Math.sqrt(1 - decay * decay);
        for (let k = 0; k < count; k++) {
          const value = source.mean + (values[k]! - source.mean) * decay + spread * this.random.normal();
          values[k] = value;
          if (on) current[targets ? targets[k]! : k]! += value;
        }
      } else {
        const expected = (source.rateHz * dtMs) / 1000;
        const none = exp(-expected);
        for (let k = 0; k < count; k++) {
          const events = poisson(this.random, none);
          if (on && events > 0) current[targets ? targets[k]! : k]! += events * source.amplitude;
        }
      }
    }
  }

  saveState(): { random: number[]; values: Float64Array[] } {
    return { random: this.random.getState(), values: this.values.map((v) => v.slice()) };
  }

  restoreState(state: { random: number[]; values: Float64Array[] }): void {
    this.random.setState(state.random);
    state.values.forEach((v, n) => this.values[n]!.set(v));
  }
}

/** A Poisson deviate by inversion (Knuth); `none` = exp(−mean), small means only. */
function poisson(random: Random, none: number): number {
  let events = 0;
  let product = random.uniform();
  while (product > none && events < 1000) {
    events++;
    product *= random.uniform();
  }
  return events;
}

/** Validates an untrusted stimulus description; errors name the field, the value and what is allowed. */
export function parseStimulus(input: unknown, size: number, field = 'stimulus'): Stimulus {
  if (input === undefined) return [];
  if (!Array.isArray(input)) throw new InputError(field, input, 'a list of stimulus sources');
  if (input.length > 1000) throw new InputError(field, `${input.length} sources`, 'at most 1000 sources');
  return input.map((raw, index) => parseSource(raw, size, `${field}[${index}]`));
}

function parseSource(raw: unknown, size: number, field: string): StimulusSource {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new InputError(field, raw, 'an object with a "kind"');
  const record = raw as Record<string, unknown>;
  const kind = record.kind;
  if (typeof kind !== 'string' || !(STIMULUS_KINDS as readonly string[]).includes(kind)) {
    throw new InputError(`${field}.kind`, kind, `one of ${STIMULUS_KINDS.join(', ')}`);
  }
  const k = kind as StimulusSource['kind'];
  const known = new Set(['kind', ...REQUIRED[k], ...OPTIONAL[k], ...WINDOW]);
  for (const key of Object.keys(record)) {
    if (!known.has(key)) throw new InputError(`${field}.${key}`, record[key], `not a field of a "${k}" source; fields: ${[...known].join(', ')}`);
  }
  const out: Record<string, unknown> = { kind: k };
  for (const key of REQUIRED[k]) {
    if (record[key] === undefined) throw new InputError(`${field}.${key}`, undefined, `a number (required for "${k}")`);
  }
  // Each number against its spec (stimulusFieldSpecs): the bounds the panel, the form and the builder show.
  for (const key of [...REQUIRED[k], ...OPTIONAL[k], 'startMs', 'stopMs'] as const) {
    if (record[key] !== undefined) out[key] = checkParam(stimulusFieldSpecs[key], record[key], `${field}.${key}`);
  }
  if (out.startMs !== undefined && out.stopMs !== undefined && (out.stopMs as number) <= (out.startMs as number)) {
    throw new InputError(`${field}.stopMs`, out.stopMs, `a time after startMs (${out.startMs})`);
  }
  if (record.targets !== undefined) {
    const targets = record.targets;
    if (!Array.isArray(targets) || targets.length === 0 || targets.some((n) => !Number.isInteger(n) || n < 0 || n >= size)) {
      throw new InputError(`${field}.targets`, targets, `a non-empty list of neuron indices from 0 to ${size - 1}`);
    }
    out.targets = [...new Set(targets as number[])];
  }
  return out as unknown as StimulusSource;
}

/**
 * The fields each source kind takes besides its window (startMs, stopMs, targets): required,
 * then optional — what parseStimulus checks, for forms that build sources (the scene panel).
 */
export function sourceFields(kind: StimulusSource['kind']): { required: readonly StimulusField[]; optional: readonly StimulusField[] } {
  return { required: REQUIRED[kind], optional: OPTIONAL[kind] };
}
