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
import { models } from '../core/models/index.ts';
import { parseScene, probeNames, type ProbeRef, type Scene } from '../core/scene.ts';
import { InputError } from '../core/schema.ts';
import type { Snapshot } from '../core/simulation.ts';
import { parseStimulus } from '../core/stimulus.ts';

export const RECORDING_FORMAT = 'spikescope-recording';
/**
 * 2: every exp, log, sin and cos the engine computes comes from deterministic-math.ts (the same
 * bits in every JavaScript engine). Version 1 files, made with the browser's own Math functions,
 * are read when their replay uses none of them (see formatOneRefusal) and refused otherwise.
 */
export const RECORDING_VERSION = 2;
export const APP_VERSION = '0.1.0';

/** Bounds on untrusted files. */
export const LIMITS = {
  /** Decompressed JSON text. */
  bytes: 256 * 1024 * 1024,
  events: 1_000_000,
  spikes: 20_000_000,
  traceValues: 50_000_000,
  /** Steps a replay may take (5e7: 500 s of HH at dt = 0.01 ms). */
  steps: 50_000_000,
  /** Work a replay may take, steps × neurons (2e10: ~100 s of the 100k network, ~80 s to replay). */
  neuronSteps: 2e10,
} as const;

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

export interface Recording {
  format: typeof RECORDING_FORMAT;
  version: typeof RECORDING_VERSION | 1;
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

/** A file that cannot be used; the message says what is wrong. */
export class RecordingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordingError';
  }
}

export function snapshotToJson(snapshot: Snapshot): SnapshotJson {
  const kernel: SnapshotJson['kernel'] = {};
  for (const [key, value] of Object.entries(snapshot.kernel)) {
    kernel[key] = Array.isArray(value) ? { type: 'Array', data: value.slice() } : { type: value.constructor.name as 'Float64Array', base64: toBase64(value) };
  }
  return { ...snapshot, kernel, noise: { random: snapshot.noise.random, values: snapshot.noise.values.map(toBase64) } };
}

const ARRAY_TYPES = { Float64Array, Int32Array, Uint8Array } as const;

export function toBase64(array: Float64Array | Int32Array | Uint8Array): string {
  const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64<T extends keyof typeof ARRAY_TYPES>(type: T, base64: unknown, field: string, maxLength: number): InstanceType<(typeof ARRAY_TYPES)[T]> {
  const kind = ARRAY_TYPES[type];
  if (typeof base64 !== 'string' || base64.length > ((maxLength * kind.BYTES_PER_ELEMENT + 2) / 3) * 4 + 4) throw new InputError(field, base64, `base64 of at most ${maxLength} values`);
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

function snapshotFromJson(json: unknown, scene: Scene, field: string): Snapshot {
  const raw = object(json, field);
  const kernelRaw = object(raw.kernel, `${field}.kernel`);
  const kernel: KernelState = {};
  for (const [key, entry] of Object.entries(kernelRaw)) {
    const e = object(entry, `${field}.kernel.${key}`);
    const max = scene.neurons * 64 + 64;
    if (e.type === 'Array') kernel[key] = numbers(e.data, `${field}.kernel.${key}.data`, max);
    else if (typeof e.type === 'string' && e.type in ARRAY_TYPES) kernel[key] = fromBase64(e.type as keyof typeof ARRAY_TYPES, e.base64, `${field}.kernel.${key}.base64`, max);
    else throw new InputError(`${field}.kernel.${key}.type`, e.type, 'Float64Array, Int32Array, Uint8Array or Array');
  }
  const noise = object(raw.noise, `${field}.noise`);
  if (!Array.isArray(noise.values)) throw new InputError(`${field}.noise.values`, noise.values, 'a list of number lists');
  const params: Record<string, number> = {};
  const paramsRaw = object(raw.params, `${field}.params`);
  for (const spec of models[scene.model].params) {
    const value = paramsRaw[spec.name];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(`${field}.params.${spec.name}`, value, 'a finite number');
    params[spec.name] = value;
  }
  const hand = parseStimulus(raw.hand, scene.neurons, `${field}.hand`);
  if (hand.some((s) => s.kind !== 'dc')) throw new InputError(`${field}.hand`, raw.hand, 'dc sources only');
  return {
    step: wholeNumber(raw.step, `${field}.step`, LIMITS.steps),
    kernel,
    params,
    stimulus: parseStimulus(raw.stimulus, scene.neurons, `${field}.stimulus`),
    stimulusStep: wholeNumber(raw.stimulusStep, `${field}.stimulusStep`, LIMITS.steps),
    origin: wholeNumber(raw.origin, `${field}.origin`, LIMITS.steps),
    noise: { random: numbers(noise.random, `${field}.noise.random`, 6), values: noise.values.map((v, i) => fromBase64('Float64Array', v, `${field}.noise.values[${i}]`, scene.neurons)) },
    hand: hand as Snapshot['hand'],
    pending: parseEventLog(raw.pending, scene.model, scene.neurons, LIMITS.events, `${field}.pending`),
  };
}

/** The recorded traces as arrays (one per probe). */
export function tracesOf(recording: Recording): Float64Array[] | undefined {
  return recording.output.traces?.values.map((v, c) => fromBase64('Float64Array', v, `output.traces.values[${c}]`, recording.steps));
}

export function snapshotOf(recording: Recording): Snapshot | undefined {
  return recording.start && snapshotFromJson(recording.start, recording.scene, 'start');
}

/** Validates untrusted JSON text as a recording. */
export function parseRecording(text: string): Recording {
  if (text.length > LIMITS.bytes) throw new RecordingError(`the file is too large: ${text.length} bytes, at most ${LIMITS.bytes}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new RecordingError(`the file is not valid JSON (truncated or corrupted?): ${(error as Error).message}`);
  }
  try {
    return checkRecording(json);
  } catch (error) {
    if (error instanceof InputError) throw new RecordingError(`bad recording: ${error.message}`);
    throw error;
  }
}

function checkRecording(json: unknown): Recording {
  const raw = object(json, 'recording');
  if (raw.format !== RECORDING_FORMAT) throw new InputError('format', raw.format, `"${RECORDING_FORMAT}"`);
  if (raw.version !== RECORDING_VERSION && raw.version !== 1) throw new InputError('version', raw.version, `${RECORDING_VERSION} or 1 (this app reads version ${RECORDING_VERSION} files, and version 1 files of models and stimuli without transcendental functions)`);
  const appVersion = text(raw.appVersion, 'appVersion', 50);
  const createdAt = text(raw.createdAt, 'createdAt', 50);
  const scene = withField('scene', () => parseScene(raw.scene));
  const firstStep = wholeNumber(raw.firstStep, 'firstStep', 0x7fffffff - LIMITS.steps);
  const steps = wholeNumber(raw.steps, 'steps', LIMITS.steps);
  if (steps * scene.neurons > LIMITS.neuronSteps) {
    throw new InputError('steps', steps, `at most ${Math.floor(LIMITS.neuronSteps / scene.neurons)} for ${scene.neurons} neurons (a replay is bounded to ${LIMITS.neuronSteps} neuron-steps)`);
  }
  const events = parseEventLog(raw.events, scene.model, scene.neurons, LIMITS.events);
  events.forEach((e, i) => {
    if (e.step < firstStep || e.step >= firstStep + steps) throw new InputError(`events[${i}].step`, e.step, `a step within the recording, ${firstStep} to ${firstStep + steps - 1}`);
  });
  const output = object(raw.output, 'output');
  const spikesRaw = object(output.spikes, 'output.spikes');
  const spikeStep = numbers(spikesRaw.step, 'output.spikes.step', LIMITS.spikes);
  const spikeNeuron = numbers(spikesRaw.neuron, 'output.spikes.neuron', LIMITS.spikes);
  const spikeTime = numbers(spikesRaw.timeMs, 'output.spikes.timeMs', LIMITS.spikes);
  if (spikeNeuron.length !== spikeStep.length || spikeTime.length !== spikeStep.length) {
    throw new InputError('output.spikes', `${spikeStep.length} steps, ${spikeNeuron.length} neurons, ${spikeTime.length} times`, 'three lists of the same length');
  }
  const digest = text(output.digest, 'output.digest', 64);
  if (!/^[0-9a-f]{14}$/.test(digest)) throw new InputError('output.digest', digest, '14 hexadecimal digits');
  const recording: Recording = {
    format: RECORDING_FORMAT,
    version: raw.version,
    appVersion,
    createdAt,
    scene,
    firstStep,
    steps,
    events,
    output: { spikes: { step: spikeStep, neuron: spikeNeuron, timeMs: spikeTime }, digest },
  };
  if (output.traces !== undefined) {
    const traces = object(output.traces, 'output.traces');
    const probes = parseProbeList(traces.probes, scene);
    if (!Array.isArray(traces.values) || traces.values.length !== probes.length) throw new InputError('output.traces.values', traces.values, `${probes.length} lists, one per probe`);
    if (probes.length * steps > LIMITS.traceValues) throw new InputError('output.traces', `${probes.length * steps} values`, `at most ${LIMITS.traceValues} values`);
    traces.values.forEach((v, c) => {
      const list = fromBase64('Float64Array', v, `output.traces.values[${c}]`, steps);
      if (list.length !== steps) throw new InputError(`output.traces.values[${c}]`, `${list.length} values`, `${steps} values, one per step`);
    });
    recording.output.traces = { probes, values: traces.values as string[] };
  }
  let start: Snapshot | undefined;
  if (raw.start !== undefined) {
    start = snapshotFromJson(raw.start, scene, 'start');
    if ((raw.start as { step: number }).step !== firstStep) throw new InputError('start.step', (raw.start as { step: unknown }).step, `the recording's firstStep, ${firstStep}`);
    recording.start = raw.start as SnapshotJson;
  } else if (firstStep !== 0) {
    throw new InputError('start', undefined, `a start state: the recording starts at step ${firstStep}, not 0`);
  }
  if (raw.forkedFrom !== undefined) {
    const fork = object(raw.forkedFrom, 'forkedFrom');
    recording.forkedFrom = { digest: text(fork.digest, 'forkedFrom.digest', 64), step: wholeNumber(fork.step, 'forkedFrom.step', LIMITS.steps) };
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
export function formatOneRefusal(scene: Scene, events: readonly InputEvent[], start?: Snapshot): string | undefined {
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
    const probe = object(p, `output.traces.probes[${i}]`);
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

function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InputError(field, value, 'an object');
  return value as Record<string, unknown>;
}

function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string' || value.length > max) throw new InputError(field, value, `a string of at most ${max} characters`);
  return value;
}

function wholeNumber(value: unknown, field: string, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) throw new InputError(field, value, `a whole number from 0 to ${max}`);
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
