/**
 * Stimulus protocols: the external current as a sum of sources, each a waveform inside an
 * optional time window, applied to all neurons or to a list of them.
 *
 * Time convention (the seed's): step k uses the stimulus at t = k·dt, the start of the step.
 * Windows are open intervals, startMs < t < stopMs, as the seed writes its protocols; a
 * missing bound is unbounded. Sources are summed in the order given, starting from 0, so
 * that a protocol written as the seed writes it gives the seed's numbers bit for bit.
 */
import { InputError } from './schema.ts';

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

export type StimulusSource = DcSource | RampSource | SineSource | PulseTrainSource;
export type Stimulus = StimulusSource[];

export const STIMULUS_KINDS = ['dc', 'ramp', 'sine', 'pulses'] as const;

const REQUIRED: Record<StimulusSource['kind'], readonly string[]> = {
  dc: ['amplitude'],
  ramp: ['amplitude', 'rampMs'],
  sine: ['amplitude', 'frequencyHz'],
  pulses: ['amplitude', 'widthMs', 'periodMs'],
};
const OPTIONAL: Record<StimulusSource['kind'], readonly string[]> = {
  dc: [],
  ramp: [],
  sine: ['phaseDeg', 'offset'],
  pulses: ['count'],
};
const WINDOW = ['startMs', 'stopMs', 'targets'];
/** Bound on any current or time value in a protocol: far beyond anything physiological, finite. */
const LIMIT = 1e9;

/** Value of one source at time t (ms), ignoring its targets. */
export function sourceValue(source: StimulusSource, t: number): number {
  if (source.startMs !== undefined && !(t > source.startMs)) return 0;
  if (source.stopMs !== undefined && !(t < source.stopMs)) return 0;
  const start = source.startMs ?? 0;
  switch (source.kind) {
    case 'dc':
      return source.amplitude;
    case 'ramp':
      return (source.amplitude * (t - start)) / source.rampMs;
    case 'sine':
      return (source.offset ?? 0) + source.amplitude * Math.sin((2 * Math.PI * source.frequencyHz * (t - start)) / 1000 + ((source.phaseDeg ?? 0) * Math.PI) / 180);
    case 'pulses': {
      const sinceStart = t - start;
      const index = Math.floor(sinceStart / source.periodMs);
      if (source.count !== undefined && index >= source.count) return 0;
      return sinceStart - index * source.periodMs < source.widthMs ? source.amplitude : 0;
    }
  }
}

/** Sum of all sources at time t for neuron 0 of a one-neuron model (targets that exclude it are skipped). */
export function stimulusValue(stimulus: Stimulus, t: number, neuron = 0): number {
  let total = 0;
  for (const source of stimulus) {
    if (source.targets && !source.targets.includes(neuron)) continue;
    total += sourceValue(source, t);
  }
  return total;
}

/**
 * Fills `current` (one entry per neuron) with the stimulus at time t. Allocates nothing.
 * Sources without targets are summed once and added to every neuron.
 */
export function fillStimulus(stimulus: Stimulus, t: number, current: Float64Array): void {
  let everyone = 0;
  let anyTargeted = false;
  for (const source of stimulus) {
    if (source.targets) anyTargeted = true;
    else everyone += sourceValue(source, t);
  }
  current.fill(everyone);
  if (!anyTargeted) return;
  for (const source of stimulus) {
    const targets = source.targets;
    if (!targets) continue;
    const value = sourceValue(source, t);
    if (value === 0) continue;
    for (let k = 0; k < targets.length; k++) current[targets[k]!]! += value;
  }
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
  for (const key of [...REQUIRED[k], ...OPTIONAL[k], 'startMs', 'stopMs']) {
    const value = record[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > LIMIT) {
      throw new InputError(`${field}.${key}`, value, `a finite number between -${LIMIT} and ${LIMIT}`);
    }
    out[key] = value;
  }
  const positive = k === 'ramp' ? ['rampMs'] : k === 'pulses' ? ['widthMs', 'periodMs'] : [];
  for (const key of positive) {
    if ((out[key] as number) <= 0) throw new InputError(`${field}.${key}`, out[key], 'a number greater than 0');
  }
  if (k === 'pulses' && out.count !== undefined && (!Number.isInteger(out.count) || (out.count as number) < 0)) {
    throw new InputError(`${field}.count`, out.count, 'a whole number ≥ 0');
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
