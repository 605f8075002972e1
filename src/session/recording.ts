/**
 * The recording file: the scene, every input event with its step, the seed (in the scene),
 * the format and app versions, the output (spikes always, traces optionally) and a digest of
 * the output, so that a replay can prove itself identical. A recording started in the middle
 * of a run carries the state it started from.
 *
 * Files from elsewhere are untrusted: `parseRecording` checks every field against this
 * schema and bounds sizes and counts; a bad file gets a RecordingError naming what is wrong.
 * Nothing in a file is ever evaluated.
 */
import { parseEventLog, type InputEvent } from '../core/events.ts';
import type { KernelState } from '../core/kernel.ts';
import { checkLimit, checkRunPlan, DEFAULT_LIMITS, type Limits } from '../core/limits.ts';
import { models } from '../core/models/index.ts';
import { checkParamValues, parseScene, probeNames, type ProbeRef, type Scene } from '../core/scene.ts';
import { checkParam, InputError } from '../core/schema.ts';
import type { Snapshot } from '../core/simulation.ts';
import { parseStimulus } from '../core/stimulus.ts';

export const RECORDING_FORMAT = 'spikescope-recording';
/**
 * The version this app writes. Older files are read when their output is still what this app
 * computes, and refused with the reason otherwise:
 *  2: every exp, log, sin and cos the engine computes comes from deterministic-math.ts (the same
 *     bits in every JavaScript engine). Version 1 files, made with the browser's own Math
 *     functions, are read when their replay uses none of them (see formatOneRefusal).
 *  3: the izhikevich-2003 network's thalamic noise and synaptic sums became independent of how
 *     the network is split across threads (OUTPUT_CHANGES): older files of it are refused.
 */
export const RECORDING_VERSION = 3;

/**
 * What a version changed in the output of whole models: a file of an older version whose model a
 * later change touched cannot be replayed bit for bit, and is refused saying why.
 */
const OUTPUT_CHANGES: readonly { version: number; models: readonly string[]; what: string }[] = [
  {
    version: 3,
    models: ['izhikevich-2003'],
    what: 'its thalamic noise and synaptic sums became independent of how the network is split across threads — a counter-based generator per neuron, exact sums',
  },
];

/** Why a file of `version` with this model cannot be replayed exactly because of OUTPUT_CHANGES, or undefined. */
export function versionRefusal(version: number, model: string): string | undefined {
  const changes = OUTPUT_CHANGES.filter((c) => c.version > version && c.models.includes(model));
  if (changes.length === 0) return undefined;
  const list = changes.map((c) => `format ${c.version}: ${c.what}`).join('; ');
  return `this recording of ${model} is format ${version}, and the output of ${model} changed since (${list}), so this app cannot replay it bit for bit. Record the session again.`;
}

export const APP_VERSION = '0.2.0';

/** Largest step number a recording may reach (steps are Int32 in frames). */
const MAX_STEP = 0x7fffffff;

export interface RecordedOutput {
  spikes: { step: number[]; neuron: number[]; timeMs: number[] };
  /** Traces of the scene's probes, one per probe, one value per recorded step: base64 of Float64 bytes, so every bit survives. */
  traces?: { probes: ProbeRef[]; values: string[] };
  digest: string;
}

/**
 * A snapshot as JSON. Typed arrays are stored as base64 of their bytes (little-endian), so
 * that every bit survives, −0 included; plain number lists stay lists.
 */
export interface SnapshotJson extends Omit<Snapshot, 'kernel' | 'noise'> {
  kernel: Record<string, { type: 'Float64Array' | 'Int32Array' | 'Uint8Array'; base64: string } | { type: 'Array'; data: number[] }>;
  noise: { random: number[]; values: string[] };
}

/**
 * A recording: the file format `spikescope-recording` (JSON, optionally gzip), enough to replay a
 * run bit for bit and check it against its output.
 *
 * @example
 * ```ts
 * const recording: Recording = parseRecording(text);
 * console.log(recording.scene.id, recording.steps, recording.events.length, recording.output.digest);
 * ```
 */
export interface Recording {
  format: typeof RECORDING_FORMAT;
  /** RECORDING_VERSION when written by this app; an older version when read from a file that this app still replays exactly. */
  version: number;
  appVersion: string;
  createdAt: string;
  scene: Scene;
  /** Step at which the recording starts (0, or the step of `start`). */
  firstStep: number;
  /** Steps covered: firstStep … firstStep+steps−1. */
  steps: number;
  /** The state the recording starts from, when it does not start at step 0. */
  start?: SnapshotJson;
  events: InputEvent[];
  output: RecordedOutput;
  /** Set on a recording that took over a replay: the original's digest and the step of the fork. */
  forkedFrom?: { digest: string; step: number };
}

/**
 * A file that cannot be used; the message says what is wrong.
 *
 * @example
 * ```ts
 * try {
 *   await decodeRecording(bytes);
 * } catch (error) {
 *   if (error instanceof RecordingError) console.log(`bad file: ${error.message}`);
 * }
 * ```
 */
export class RecordingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordingError';
  }
}

export function snapshotToJson(snapshot: Snapshot): SnapshotJson {
  const kernel: SnapshotJson['kernel'] = {};
  for (const [key, value] of Object.entries(snapshot.kernel)) {
    kernel[key] = Array.isArray(value) ? { type: 'Array', data: key === GENERATOR_FIELD ? generatorState(value) : value.slice() } : { type: value.constructor.name as 'Float64Array', base64: toBase64(value) };
  }
  return { ...snapshot, kernel, noise: { random: generatorState(snapshot.noise.random), values: snapshot.noise.values.map(toBase64) } };
}

/** The kernel state field that holds a generator's state (random.ts), as the 2003 network names it. */
const GENERATOR_FIELD = 'random';

/**
 * A generator state (Random.getState) in one form: its four 32-bit words unsigned. The generator
 * keeps them signed or unsigned as its arithmetic leaves them and reads both alike (setState
 * takes w >>> 0), so a state written, restored and written again stays the same text.
 */
function generatorState(state: readonly number[]): number[] {
  return state.map((w, i) => (i < 4 ? w >>> 0 : w));
}

const ARRAY_TYPES = { Float64Array, Int32Array, Uint8Array } as const;

export function toBase64(array: Float64Array | Int32Array | Uint8Array): string {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64<T extends keyof typeof ARRAY_TYPES>(type: T, base64: unknown, field: string, maxLength: number): InstanceType<(typeof ARRAY_TYPES)[T]> {
  const kind = ARRAY_TYPES[type];
  if (typeof base64 !== 'string' || base64.length > Math.ceil((maxLength * kind.BYTES_PER_ELEMENT) / 3) * 4) throw new InputError(field, base64, `base64 of at most ${maxLength} values`);
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    throw new InputError(field, base64, 'valid base64');
  }
  if (binary.length % kind.BYTES_PER_ELEMENT !== 0) throw new InputError(field, `${binary.length} bytes`, `a multiple of ${kind.BYTES_PER_ELEMENT} bytes`);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new kind(bytes.buffer) as InstanceType<(typeof ARRAY_TYPES)[T]>;
}

/** The recorded traces as arrays (one per probe). */
export function tracesOf(recording: Recording): Float64Array[] | undefined {
  return recording.output.traces?.values.map((v, c) => fromBase64('Float64Array', v, `output.traces.values[${c}]`, recording.steps));
}

/**
 * The recording's start state as a Snapshot, checked against `reference`, a snapshot of a fresh
 * simulation of the recording's scene: the kernel must hold exactly the reference's fields,
 * with the same types and lengths, and its counters and indices must be in range; the protocol's
 * noise state must fit the start's stimulus. A mismatch is a RecordingError naming the field.
 */
export function snapshotOf(recording: Recording, reference: Snapshot): Snapshot | undefined {
  const start = recording.start;
  if (!start) return undefined;
  try {
    return snapshotFromJson(start, recording.scene, reference);
  } catch (error) {
    if (error instanceof InputError) throw new RecordingError(`bad recording: ${error.message}`);
    throw error;
  }
}

const SNAPSHOT_KEYS = ['step', 'kernel', 'params', 'stimulus', 'stimulusStep', 'origin', 'noise', 'hand', 'pending'];

/**
 * Checks what a start state holds without a kernel at hand (types, sizes, parameters, protocol);
 * `snapshotFromJson` completes the check against a kernel's own state.
 */
function checkSnapshotJson(json: unknown, scene: Scene, firstStep: number, limits: Limits, field = 'start'): SnapshotJson {
  const raw = object(json, field, SNAPSHOT_KEYS);
  const step = wholeNumber(raw.step, `${field}.step`, MAX_STEP);
  if (step !== firstStep) throw new InputError(`${field}.step`, step, `the recording's firstStep, ${firstStep}`);
  const kernelRaw = object(raw.kernel, `${field}.kernel`);
  const kernel: SnapshotJson['kernel'] = {};
  // Every kernel keeps a few numbers per neuron; nothing holds more than 64 values per neuron.
  const max = scene.neurons * 64 + 64;
  for (const [key, entry] of Object.entries(kernelRaw)) {
    const at = `${field}.kernel.${key}`;
    const e = object(entry, at);
    if (e.type === 'Array') {
      object(entry, at, ['type', 'data']);
      const data = numbers(e.data, `${at}.data`, max);
      kernel[key] = { type: 'Array', data: key === GENERATOR_FIELD ? randomState(data, `${at}.data`) : data };
    } else if (typeof e.type === 'string' && e.type in ARRAY_TYPES) {
      object(entry, at, ['type', 'base64']);
      fromBase64(e.type as keyof typeof ARRAY_TYPES, e.base64, `${at}.base64`, max);
      kernel[key] = { type: e.type as 'Float64Array', base64: e.base64 as string };
    } else {
      throw new InputError(`${at}.type`, e.type, 'Float64Array, Int32Array, Uint8Array or Array');
    }
  }
  const definition = models[scene.model];
  const paramsRaw = object(raw.params, `${field}.params`, definition.params.map((p) => p.name));
  const params: Record<string, number> = {};
  for (const spec of definition.params) params[spec.name] = checkParam(spec, paramsRaw[spec.name], `${field}.params.${spec.name}`);
  checkParamValues(scene, params, `${field}.params`, params, limits);
  const stimulus = parseStimulus(raw.stimulus, scene.neurons, `${field}.stimulus`);
  const stimulusStep = wholeNumber(raw.stimulusStep, `${field}.stimulusStep`, step);
  const origin = wholeNumber(raw.origin, `${field}.origin`, step);
  const noise = object(raw.noise, `${field}.noise`, ['random', 'values']);
  const noiseSources = stimulus.filter((s) => s.kind === 'ou' || s.kind === 'poisson');
  if (!Array.isArray(noise.values) || noise.values.length !== noiseSources.length) {
    throw new InputError(`${field}.noise.values`, noise.values, `a list of ${noiseSources.length} base64 arrays, one per noise source of start.stimulus`);
  }
  noise.values.forEach((v, i) => {
    const source = noiseSources[i]!;
    const length = source.kind === 'ou' ? (source.targets?.length ?? scene.neurons) : 0;
    const values = fromBase64('Float64Array', v, `${field}.noise.values[${i}]`, length);
    if (values.length !== length) throw new InputError(`${field}.noise.values[${i}]`, `${values.length} values`, `${length} values (one per neuron the source drives)`);
  });
  const hand = parseStimulus(raw.hand, scene.neurons, `${field}.hand`);
  hand.forEach((s, i) => {
    if (s.kind !== 'dc') throw new InputError(`${field}.hand[${i}].kind`, s.kind, '"dc" (hand pulses and holds are dc sources)');
  });
  if (!Array.isArray(raw.pending) || raw.pending.length > 0) throw new InputError(`${field}.pending`, raw.pending, 'an empty list (events due at the start are in the log)');
  return {
    step,
    kernel,
    params,
    stimulus,
    stimulusStep,
    origin,
    noise: { random: randomState(noise.random, `${field}.noise.random`), values: noise.values as string[] },
    hand: hand as Snapshot['hand'],
    pending: [],
  };
}

/** Ranges of a kernel's integer fields that index or count neurons (a file cannot make a step loop longer than the network). */
const KERNEL_INDEX_FIELDS: Record<string, 'count' | 'indices'> = { spikedCount: 'count', spikedList: 'indices' };

function snapshotFromJson(json: SnapshotJson, scene: Scene, reference: Snapshot): Snapshot {
  const field = 'start';
  const n = scene.neurons;
  const kernel: KernelState = {};
  const expected = reference.kernel;
  const describeType = (value: KernelState[string]): string => (Array.isArray(value) ? 'Array' : value.constructor.name);
  for (const key of Object.keys(json.kernel)) {
    if (!(key in expected)) throw new InputError(`${field}.kernel.${key}`, json.kernel[key], `not a state field of ${scene.model}; fields: ${Object.keys(expected).join(', ')}`);
  }
  for (const [key, want] of Object.entries(expected)) {
    const at = `${field}.kernel.${key}`;
    const entry = json.kernel[key];
    if (entry === undefined) throw new InputError(at, undefined, `a ${describeType(want)} of ${want.length} values (a state field of ${scene.model})`);
    if (entry.type !== describeType(want)) throw new InputError(`${at}.type`, entry.type, `"${describeType(want)}"`);
    const value = entry.type === 'Array' ? entry.data : fromBase64(entry.type, entry.base64, `${at}.base64`, want.length);
    if (value.length !== want.length) throw new InputError(at, `${value.length} values`, `${want.length} values`);
    if (key === GENERATOR_FIELD) randomState(value as number[], at);
    else if (entry.type === 'Array' || entry.type === 'Int32Array') {
      const rule = KERNEL_INDEX_FIELDS[key];
      const [low, high] = rule === 'count' ? [0, n] : rule === 'indices' ? [0, n - 1] : [-0x80000000, 0x7fffffff];
      for (let i = 0; i < value.length; i++) {
        const x = value[i]!;
        if (!Number.isInteger(x) || x < low || x > high) throw new InputError(`${at}[${i}]`, x, `a whole number from ${low} to ${high}`);
      }
    }
    kernel[key] = value;
  }
  return {
    step: json.step,
    kernel,
    params: json.params,
    stimulus: json.stimulus,
    stimulusStep: json.stimulusStep,
    origin: json.origin,
    noise: { random: json.noise.random, values: json.noise.values.map((v, i) => fromBase64('Float64Array', v, `${field}.noise.values[${i}]`, n)) },
    hand: json.hand,
    pending: [],
  };
}

/** A generator state (random.ts): four 32-bit words, not all zero, a spare flag and a spare normal deviate. */
function randomState(value: unknown, field: string): number[] {
  const state = numbers(value, field, 6);
  const words = state.slice(0, 4);
  // Words may be written signed (version 1 files kept them as the generator left them): read both alike.
  if (state.length !== 6 || words.some((w) => !Number.isInteger(w) || w < -0x80000000 || w > 0xffffffff) || words.every((w) => w === 0) || (state[4] !== 0 && state[4] !== 1) || !Number.isFinite(state[5])) {
    throw new InputError(field, state, 'a generator state: 4 words of 32 bits (not all 0), a flag 0 or 1 and a finite number');
  }
  return generatorState(state);
}

/**
 * Validates untrusted JSON text as a recording, within `limits`.
 *
 * @example
 * ```ts
 * const recording = parseRecording(readFileSync('session.json', 'utf8'));
 * ```
 */
export function parseRecording(text: string, limits: Limits = DEFAULT_LIMITS): Recording {
  if (text.length > limits.textBytes) throw new RecordingError(`the file is too large: ${text.length} bytes of text, at most ${limits.textBytes} (limit "textBytes")`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RecordingError(`the file is not valid JSON (truncated or corrupted?): ${(error as Error).message}`);
  }
  try {
    return checkRecording(json, limits);
  } catch (error) {
    if (error instanceof InputError) throw new RecordingError(`bad recording: ${error.message}`);
    throw error;
  }
}

const RECORDING_KEYS = ['format', 'version', 'appVersion', 'createdAt', 'scene', 'firstStep', 'steps', 'start', 'events', 'output', 'forkedFrom'];

function checkRecording(json: unknown, limits: Limits): Recording {
  const raw = object(json, 'recording', RECORDING_KEYS);
  if (raw.format !== RECORDING_FORMAT) throw new InputError('format', raw.format, `"${RECORDING_FORMAT}"`);
  if (typeof raw.version !== 'number' || !Number.isInteger(raw.version) || raw.version < 1 || raw.version > RECORDING_VERSION) {
    throw new InputError('version', raw.version, `1 to ${RECORDING_VERSION} (this app writes version ${RECORDING_VERSION} files, and reads older ones whose output it still computes)`);
  }
  const version = raw.version;
  const appVersion = text(raw.appVersion, 'appVersion', 50);
  const createdAt = text(raw.createdAt, 'createdAt', 50);
  const scene = withField('scene', () => parseScene(raw.scene, limits));
  const refusal = versionRefusal(version, scene.model);
  if (refusal) throw new RecordingError(refusal);
  const steps = wholeNumber(raw.steps, 'steps', MAX_STEP);
  const firstStep = wholeNumber(raw.firstStep, 'firstStep', MAX_STEP - steps);
  const output = object(raw.output, 'output', ['spikes', 'traces', 'digest']);
  const tracesRaw = output.traces === undefined ? undefined : object(output.traces, 'output.traces', ['probes', 'values']);
  const probes = tracesRaw && parseProbeList(tracesRaw.probes, scene);
  // The work and the memory a replay will take, before anything is decoded or run.
  checkRunPlan(scene, { steps, probes: probes?.length ?? 0, field: 'steps', value: steps }, limits);
  let start: SnapshotJson | undefined;
  if (raw.start !== undefined) start = checkSnapshotJson(raw.start, scene, firstStep, limits);
  else if (firstStep !== 0) throw new InputError('start', undefined, `a start state: the recording starts at step ${firstStep}, not 0`);
  const events = parseEventLog(raw.events, { ...scene, params: start?.params ?? scene.params, firstStep, limits });
  const spikesRaw = object(output.spikes, 'output.spikes', ['step', 'neuron', 'timeMs']);
  const spikeStep = numbers(spikesRaw.step, 'output.spikes.step', limits.spikes);
  const spikeNeuron = numbers(spikesRaw.neuron, 'output.spikes.neuron', limits.spikes);
  const spikeTime = numbers(spikesRaw.timeMs, 'output.spikes.timeMs', limits.spikes);
  checkLimit(limits, 'spikes', spikeStep.length, 'output.spikes', `${spikeStep.length} spikes`);
  if (spikeNeuron.length !== spikeStep.length || spikeTime.length !== spikeStep.length) {
    throw new InputError('output.spikes', `${spikeStep.length} steps, ${spikeNeuron.length} neurons, ${spikeTime.length} times`, 'three lists of the same length');
  }
  for (let i = 0; i < spikeStep.length; i++) {
    const step = spikeStep[i]!;
    const neuron = spikeNeuron[i]!;
    if (!Number.isInteger(step) || step < firstStep || step >= firstStep + steps) throw new InputError(`output.spikes.step[${i}]`, step, `a step of the recording, ${firstStep} to ${firstStep + steps - 1}`);
    if (!Number.isInteger(neuron) || neuron < 0 || neuron >= scene.neurons) throw new InputError(`output.spikes.neuron[${i}]`, neuron, `a neuron index from 0 to ${scene.neurons - 1}`);
    if (!Number.isFinite(spikeTime[i])) throw new InputError(`output.spikes.timeMs[${i}]`, spikeTime[i], 'a finite number');
  }
  const digest = text(output.digest, 'output.digest', 64);
  if (!/^[0-9a-f]{14}$/.test(digest)) throw new InputError('output.digest', digest, '14 hexadecimal digits');
  const recording: Recording = {
    format: RECORDING_FORMAT,
    version,
    appVersion,
    createdAt,
    scene,
    firstStep,
    steps,
    events,
    output: { spikes: { step: spikeStep, neuron: spikeNeuron, timeMs: spikeTime }, digest },
  };
  if (start) recording.start = start;
  if (tracesRaw && probes) {
    if (!Array.isArray(tracesRaw.values) || tracesRaw.values.length !== probes.length) throw new InputError('output.traces.values', tracesRaw.values, `${probes.length} lists, one per probe`);
    tracesRaw.values.forEach((v, c) => {
      const list = fromBase64('Float64Array', v, `output.traces.values[${c}]`, steps);
      if (list.length !== steps) throw new InputError(`output.traces.values[${c}]`, `${list.length} values`, `${steps} values, one per step`);
    });
    recording.output.traces = { probes, values: tracesRaw.values as string[] };
  }
  if (raw.forkedFrom !== undefined) {
    const fork = object(raw.forkedFrom, 'forkedFrom', ['digest', 'step']);
    const forkDigest = text(fork.digest, 'forkedFrom.digest', 64);
    if (!/^[0-9a-f]{14}$/.test(forkDigest)) throw new InputError('forkedFrom.digest', forkDigest, '14 hexadecimal digits');
    recording.forkedFrom = { digest: forkDigest, step: wholeNumber(fork.step, 'forkedFrom.step', firstStep + steps, firstStep) };
  }
  if (recording.version === 1) {
    const refusal = formatOneRefusal(scene, events, start);
    if (refusal) throw new RecordingError(refusal);
  }
  return recording;
}

/**
 * Why a version 1 file cannot be replayed, or undefined when it can. Version 1 files were made
 * before deterministic math: exp, log, sin and cos came from the browser's Math, which JavaScript
 * engines may compute differently in the last bit, so a replay of a run that used them cannot
 * promise the recorded bits. Runs without them (the Izhikevich models, the Euler LIF, dc, ramp
 * and pulse stimuli) compute exactly what they computed then.
 */
export function formatOneRefusal(scene: Scene, events: readonly InputEvent[], start?: Pick<Snapshot, 'stimulus' | 'pending'>): string | undefined {
  const uses = new Set<string>();
  if (scene.model === 'hh') uses.add('the HH rate functions (exp)');
  if (scene.model === 'lif-network') uses.add("the network's synaptic currents (exp)");
  if (scene.model === 'lif' && scene.options.method === 'exact') uses.add('the exact LIF update (exp, log)');
  const protocols = [scene.stimulus, start?.stimulus ?? [], ...[...events, ...(start?.pending ?? [])].map((e) => (e.kind === 'set-stimulus' ? e.stimulus : []))];
  for (const source of protocols.flat()) {
    if (source.kind === 'sine') uses.add('a sine stimulus (sin)');
    if (source.kind === 'ou') uses.add('Ornstein–Uhlenbeck noise (exp, log, sin, cos)');
    if (source.kind === 'poisson') uses.add('Poisson input (exp)');
  }
  if (uses.size === 0) return undefined;
  return `recorded with format 1, before deterministic math: its replay depends on ${[...uses].join(', ')}, which format 1 took from the JavaScript engine's own Math (engines may differ in the last bit), so its output cannot be reproduced exactly. Record the session again: format ${RECORDING_VERSION} files replay the same in every browser.`;
}

function parseProbeList(input: unknown, scene: Scene): ProbeRef[] {
  if (!Array.isArray(input) || input.length > 64) throw new InputError('output.traces.probes', input, 'a list of at most 64 probes');
  const names = probeNames(scene.model);
  return input.map((p, i) => {
    const probe = object(p, `output.traces.probes[${i}]`, ['variable', 'neuron']);
    if (typeof probe.variable !== 'string' || !names.includes(probe.variable)) throw new InputError(`output.traces.probes[${i}].variable`, probe.variable, `one of ${names.join(', ')}`);
    return { variable: probe.variable, neuron: wholeNumber(probe.neuron, `output.traces.probes[${i}].neuron`, scene.neurons - 1) };
  });
}

function withField<T>(field: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${field}.${error.field}`, error.value, error.allowed);
    throw error;
  }
}

/** An object; with `keys`, one that holds no other fields (a file holds nothing the checks do not see). */
function object(value: unknown, field: string, keys?: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(field, value, 'an object');
  if (keys) {
    for (const key of Object.keys(value)) {
      if (!keys.includes(key)) throw new InputError(`${field}.${key}`, (value as Record<string, unknown>)[key], `not a field here; fields: ${keys.join(', ')}`);
    }
  }
  return value as Record<string, unknown>;
}

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.length > max) throw new InputError(field, value, `a string of at most ${max} characters`);
  return value;
}

function wholeNumber(value: unknown, field: string, max: number, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new InputError(field, value, `a whole number from ${min} to ${max}`);
  return value;
}

function numbers(value: unknown, field: string, max: number): number[] {
  if (!Array.isArray(value)) throw new InputError(field, value, 'a list of numbers');
  if (value.length > max) throw new InputError(field, `a list of ${value.length}`, `at most ${max} numbers`);
  for (let i = 0; i < value.length; i++) {
    if (typeof value[i] !== 'number') throw new InputError(`${field}[${i}]`, value[i], 'a number');
  }
  return value as number[];
}

