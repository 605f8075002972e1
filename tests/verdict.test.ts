/**
 * The replay verdict cannot be fooled: real recordings (every field kind — traces, spikes, events,
 * start state with kernel arrays, counters and noise, a fork) are mutated by fast-check, structure
 * by structure (every byte of trace data, spike fields, labels, events, start state, scene, digest,
 * any leaf set to a hostile value, unknown fields) and as raw bytes (bit flips of the JSON text and
 * of the gzip, truncations). Each mutated file goes through what the CLI's `replay --verify` and
 * the page run (decodeRecording, then verifyRecording). It must be refused with a RecordingError
 * or InputError that says why, or verified "not identical" — or, when "identical", hold exactly
 * what the original holds (the mutation changed nothing the file means). The suite prints the
 * figures: mutated files, refused, not identical, unchanged, false passes, crashes.
 */
import { cpus, loadavg } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEventLog, type InputEvent } from '../src/core/events.ts';
import { DEFAULT_LIMITS } from '../src/core/limits.ts';
import { parseScene, probeNames } from '../src/core/scene.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { InputError } from '../src/core/schema.ts';
import { Simulation } from '../src/core/simulation.ts';
import { canonicalJson, contentText } from '../src/session/digest.ts';
import { decodeRecording, encodeRecording } from '../src/session/file.ts';
import { Session } from '../src/session/session.ts';
import { Recorder } from '../src/session/recorder.ts';
import { parseRecording, RecordingError, type Recording } from '../src/session/recording.ts';
import { recordRun, verifyRecording } from '../src/session/replay.ts';

/** The README's events example, on izhikevich/B (801 steps): its last `restart` lies after the last step and is kept. */
const README_EVENTS = [
  { kind: 'pulse', step: 40, amplitude: 30, durationMs: 2, targets: [0] },
  { kind: 'hold', step: 100, amplitude: 5 },
  { kind: 'release', step: 180 },
  { kind: 'set-param', step: 200, name: 'd', value: 2 },
  { kind: 'set-stimulus', step: 300, stimulus: [{ kind: 'dc', amplitude: 1 }] },
  { kind: 'restart', step: 801 },
];

function record(sceneInput: unknown, options: { events?: unknown[]; advance?: number; steps: number; traces?: boolean }): Recording {
  const scene = parseScene(sceneInput);
  const simulation = new Simulation(scene);
  if (options.advance) simulation.advance(options.advance);
  const events = parseEventLog(options.events ?? [], { ...scene, params: { ...simulation.currentParams }, firstStep: simulation.step, limits: DEFAULT_LIMITS });
  const recorder = Recorder.start(simulation, { traces: options.traces ?? true });
  recordRun(simulation, recorder, options.steps, { events });
  return recorder.finish({ createdAt: '2026-01-01T00:00:00.000Z' });
}

/** Real recordings covering every kind of field a file holds. */
function recordings(): Recording[] {
  const files: Recording[] = [];
  // 1. A preset with the README's events (pulse with targets, hold, release, set-param, set-stimulus, a trailing restart) and traces.
  files.push(record(builtinScene('izhikevich/B'), { events: README_EVENTS, steps: 801 }));
  // 2. A small LIF ring with OU noise, started mid-run: a start state with kernel arrays, a spike counter and the noise's state.
  const ring = { model: 'lif-network', neurons: 6, connectivity: { kind: 'ring', weight: 2 }, params: { tauPscMs: 2 }, stimulus: [{ kind: 'dc', amplitude: 1.5, targets: [0] }, { kind: 'ou', mean: 0.2, sigma: 0.3, tauMs: 5, targets: [1, 3] }], dtMs: 0.125, durationMs: 100, probes: [{ variable: 'v', neuron: 0 }, { variable: 'iSyn', neuron: 1 }] };
  files.push(record(ring, { advance: 97, steps: 300, events: [{ kind: 'pulse', step: 120, amplitude: 4, durationMs: 1, targets: [2] }, { kind: 'set-param', step: 200, name: 'tauPscMs', value: 3 }] }));
  // 3. The 2003 network (sparse, 40 neurons), mid-run: counters and a generator state in the kernel; no traces.
  files.push(record({ model: 'izhikevich-2003', neurons: 40, options: { connectivity: 'sparse' }, params: { fanIn: 5, thalamicExcitatory: 8 }, dtMs: 0.5, durationMs: 100, seed: 3 }, { advance: 31, steps: 160, traces: false }));
  // 4. HH, two neurons, exponential Euler, a hold on one of them.
  files.push(record({ model: 'hh', neurons: 2, options: { method: 'exponential-euler' }, stimulus: [{ kind: 'dc', amplitude: 10 }], dtMs: 0.05, durationMs: 20, probes: [{ variable: 'v', neuron: 1 }, { variable: 'n', neuron: 0 }] }, { steps: 400, events: [{ kind: 'hold', step: 50, amplitude: 3, targets: [1] }, { kind: 'release', step: 90 }] }));
  // 5. A fork: a replay of (1) taken over at step 333, with a pulse after the fork (forkedFrom, a history before it).
  const lab = new Session(builtinScene('izhikevich/B')!, { loop: true });
  lab.startRecording({ traces: true });
  lab.advance(500);
  lab.input({ kind: 'pulse', amplitude: 20, durationMs: 1 });
  lab.advance(300);
  const original = lab.stopRecording()!;
  lab.replay(original);
  lab.seek(333);
  lab.takeOver();
  lab.input({ kind: 'pulse', amplitude: 25, durationMs: 3 });
  lab.advance(200);
  files.push(lab.stopRecording()!);
  return files;
}

const HOSTILE: unknown[] = [0, -0, 1, -1, 0.5, 7, 1e-300, 1e300, -1e300, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53, Number.MAX_VALUE, '', 'x', 'AAAA', 'not base64!', '00000000000000', null, true, false, [], {}, [1, 2, 3], { kind: 'dc' }, [[[]]], 'v', 'Float64Array', 'Array'];
const hostileValue = fc.oneof(fc.constantFrom(...HOSTILE), fc.double(), fc.integer(), fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 2 }));

const KINDS = [
  'trace-bit',
  'trace-swap',
  'trace-label',
  'trace-shape',
  'spike-field',
  'spike-list',
  'event-field',
  'event-list',
  'start-kernel',
  'start-other',
  'scene-field',
  'digest',
  'meta',
  'leaf',
  'extra-key',
  'json-bits',
  'gzip-bits',
  'truncate',
] as const;
type Kind = (typeof KINDS)[number];

interface Mutation {
  file: number;
  kind: Kind;
  a: number;
  b: number;
  c: number;
  value: unknown;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const bytesOf = (base64: string): Uint8Array => Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0));
const base64Of = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));

function flipDouble(x: number, bit: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setUint8(7 - (bit >> 3), view.getUint8(7 - (bit >> 3)) ^ (1 << (bit & 7)));
  const y = view.getFloat64(0);
  return Number.isFinite(y) ? y : -x - 1;
}

/** Every path to a leaf (or an empty container) of a JSON value. */
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  if (entries.length === 0) return [prefix];
  return entries.flatMap(([k, v]) => leafPaths(v, [...prefix, k]));
}
function objectPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [...(Array.isArray(value) ? [] : [prefix]), ...entries.flatMap(([k, v]) => objectPaths(v, [...prefix, k]))];
}
function at(root: Json, path: (string | number)[]): Json {
  let node = root;
  for (const key of path) node = node[key];
  return node;
}

/** Applies a structure-aware mutation to a copy of the recording; returns the JSON object (or undefined: mutate the bytes instead). */
function mutateJson(original: Recording, m: Mutation): Json | undefined {
  const r: Json = structuredClone(original);
  const { a, b, c } = m;
  const traces = r.output.traces as { probes: { variable: string; neuron: number }[]; values: string[] } | undefined;
  const spikes = r.output.spikes as { step: number[]; neuron: number[]; timeMs: number[] };
  const events = r.events as Json[];
  const n = r.scene.neurons as number;
  const kind: Kind = !traces && m.kind.startsWith('trace') ? 'spike-field' : !r.start && m.kind.startsWith('start') ? 'scene-field' : m.kind;
  switch (kind) {
    case 'trace-bit': {
      const channel = a % traces!.values.length;
      const bytes = bytesOf(traces!.values[channel]!);
      bytes[b % bytes.length]! ^= 1 << (c % 8);
      traces!.values[channel] = base64Of(bytes);
      break;
    }
    case 'trace-swap': {
      const count = traces!.values.length;
      const i = a % count;
      const j = count > 1 ? (i + 1 + (b % (count - 1))) % count : i;
      [traces!.values[i], traces!.values[j]] = [traces!.values[j]!, traces!.values[i]!];
      if (c % 2) [traces!.probes[i], traces!.probes[j]] = [traces!.probes[j]!, traces!.probes[i]!];
      break;
    }
    case 'trace-label': {
      const probe = traces!.probes[a % traces!.probes.length]!;
      const names = probeNames(r.scene.model).filter((v) => v !== probe.variable);
      if (b % 2 || n === 1) probe.variable = names[c % names.length]!;
      else probe.neuron = (probe.neuron + 1 + (c % (n - 1))) % n;
      break;
    }
    case 'trace-shape': {
      const channel = a % traces!.values.length;
      switch (b % 4) {
        case 0:
          delete r.output.traces;
          break;
        case 1:
          traces!.values.splice(channel, 1);
          traces!.probes.splice(channel, 1);
          break;
        case 2:
          traces!.values.push(traces!.values[channel]!);
          traces!.probes.push({ ...traces!.probes[channel]! });
          break;
        default:
          traces!.values[channel] = base64Of(bytesOf(traces!.values[channel]!).slice(0, -8));
      }
      break;
    }
    case 'spike-field': {
      if (spikes.step.length === 0) return mutateJson(original, { ...m, kind: 'spike-list' });
      const i = a % spikes.step.length;
      if (b % 3 === 0) spikes.step[i] = spikes.step[i]! + (c % 2 ? 1 : -1) * (1 + (c % 3));
      else if (b % 3 === 1) spikes.neuron[i] = n > 1 ? (spikes.neuron[i]! + 1 + (c % (n - 1))) % n : spikes.neuron[i]! + 1;
      else spikes.timeMs[i] = flipDouble(spikes.timeMs[i]!, c % 64);
      break;
    }
    case 'spike-list': {
      const count = spikes.step.length;
      const i = count > 0 ? a % count : 0;
      const op = count === 0 ? 3 : b % 4;
      if (op === 0) for (const list of [spikes.step, spikes.neuron, spikes.timeMs]) list.splice(i, 1);
      else if (op === 1) for (const list of [spikes.step, spikes.neuron, spikes.timeMs]) list.splice(i, 0, list[i]!);
      else if (op === 2 && count > 1) {
        const j = (i + 1) % count;
        for (const list of [spikes.step, spikes.neuron, spikes.timeMs]) [list[i], list[j]] = [list[j]!, list[i]!];
      } else {
        const step = r.firstStep + (c % r.steps);
        spikes.step.splice(i, 0, step);
        spikes.neuron.splice(i, 0, c % n);
        spikes.timeMs.splice(i, 0, (step + 1) * r.scene.dtMs);
      }
      break;
    }
    case 'event-field': {
      if (events.length === 0) return mutateJson(original, { ...m, kind: 'event-list' });
      const e = events[a % events.length]!;
      const fields = Object.keys(e);
      const field = fields[b % fields.length]!;
      const v = e[field];
      if (field === 'kind') e.kind = ['pulse', 'hold', 'release', 'set-param', 'set-stimulus', 'restart'][c % 6];
      else if (typeof v === 'number') e[field] = c % 3 === 0 ? v + (c % 2 ? 1 : -1) : c % 3 === 1 ? flipDouble(v, c % 64) : v * 2;
      else if (Array.isArray(v) && field === 'targets') e.targets = [(v[0] + 1 + c) % n];
      else if (Array.isArray(v)) e[field] = c % 2 ? [] : [{ kind: 'dc', amplitude: c % 7 }];
      else if (typeof v === 'string') e[field] = c % 2 ? 'a' : v + 'x';
      break;
    }
    case 'event-list': {
      const i = events.length > 0 ? a % events.length : 0;
      const op = events.length === 0 ? 2 : b % 4;
      if (op === 0) events.splice(i, 1);
      else if (op === 1) events.splice(i, 0, structuredClone(events[i]!));
      else if (op === 2) {
        const step = r.firstStep + (c % (r.steps + 2));
        const pos = events.findIndex((e) => e.step > step);
        events.splice(pos < 0 ? events.length : pos, 0, c % 2 ? { kind: 'pulse', step, amplitude: 1 + (c % 9), durationMs: 0.5 } : { kind: 'release', step });
      } else if (events.length > 1) {
        const j = (i + 1) % events.length;
        [events[i], events[j]] = [events[j]!, events[i]!];
      }
      break;
    }
    case 'start-kernel': {
      const kernel = r.start.kernel as Record<string, { type: string; base64?: string; data?: number[] }>;
      const keys = Object.keys(kernel);
      const entry = kernel[keys[a % keys.length]!]!;
      if (entry.type === 'Array') {
        const data = entry.data!;
        if (data.length === 0 || c % 5 === 0) data.push(c % 3);
        else data[b % data.length] = c % 4 === 0 ? data[b % data.length]! + 1 : flipDouble(data[b % data.length]!, c % 64);
      } else {
        const bytes = bytesOf(entry.base64!);
        if (bytes.length === 0 || c % 7 === 0) entry.base64 = base64Of(new Uint8Array([...bytes, 1, 2, 3, 4, 5, 6, 7, 8]));
        else {
          bytes[b % bytes.length]! ^= 1 << (c % 8);
          entry.base64 = base64Of(bytes);
        }
      }
      break;
    }
    case 'start-other': {
      const start = r.start as Json;
      switch (a % 7) {
        case 0: {
          const names = Object.keys(start.params);
          const name = names[b % names.length]!;
          start.params[name] = c % 2 ? start.params[name] * (1 + 1e-12) + 1e-300 : start.params[name] + 0.5;
          break;
        }
        case 1:
          start[b % 2 ? 'stimulusStep' : 'origin'] += c % 2 ? 1 : -1;
          break;
        case 2:
          start.noise.random[b % start.noise.random.length] ^= 1 << (c % 31);
          break;
        case 3:
          if (start.noise.values.length === 0) start.noise.values.push('AAAAAAAAAAA=');
          else {
            const bytes = bytesOf(start.noise.values[b % start.noise.values.length]);
            if (bytes.length > 0) bytes[c % bytes.length]! ^= 1 << (c % 8);
            start.noise.values[b % start.noise.values.length] = base64Of(bytes);
          }
          break;
        case 4:
          start.hand.push({ kind: 'dc', amplitude: 1 + (c % 5), startMs: 0 });
          break;
        case 5:
          start.pending.push({ kind: 'release', step: start.step + (c % 10) });
          break;
        default:
          if (start.stimulus.length > 0) start.stimulus[b % start.stimulus.length].startMs = (c % 50) + 0.25;
          else start.stimulus.push({ kind: 'dc', amplitude: 1 });
      }
      break;
    }
    case 'scene-field': {
      const scene = r.scene as Json;
      switch (a % 7) {
        case 0: {
          const names = Object.keys(scene.params);
          const name = names[b % names.length]!;
          scene.params[name] = c % 2 ? scene.params[name] * (1 + 1e-9) : scene.params[name] + 0.001;
          break;
        }
        case 1:
          scene.seed = (scene.seed + 1 + (c % 5)) % 2 ** 32;
          break;
        case 2:
          scene.title = `${scene.title ?? ''}!`;
          break;
        case 3:
          scene.probes = scene.probes.slice(1);
          break;
        case 4:
          if (scene.stimulus.length > 0) scene.stimulus[b % scene.stimulus.length].amplitude = (c % 7) + 0.5;
          else scene.stimulus.push({ kind: 'dc', amplitude: c % 7 });
          break;
        case 5:
          scene.durationMs = scene.dtMs * (Math.round(scene.durationMs / scene.dtMs) + 1 + (c % 3));
          break;
        default:
          scene.dtMs = scene.dtMs * (c % 2 ? 0.5 : 1 + 1e-12);
      }
      break;
    }
    case 'digest': {
      const digest = r.output.digest as string;
      const i = a % digest.length;
      r.output.digest = digest.slice(0, i) + ((parseInt(digest[i]!, 16) + 1 + (b % 15)) % 16).toString(16) + digest.slice(i + 1);
      break;
    }
    case 'meta': {
      switch (a % 6) {
        case 0:
          r.firstStep += b % 2 ? 1 : -1;
          break;
        case 1:
          r.steps += b % 2 ? 1 : -1;
          break;
        case 2:
          r.createdAt = '2027-02-02T00:00:00.000Z';
          break;
        case 3:
          r.appVersion = '9.9.9';
          break;
        case 4:
          if (r.forkedFrom) delete r.forkedFrom;
          else r.forkedFrom = { digest: r.output.digest, step: r.firstStep + (c % (r.steps + 1)) };
          break;
        default:
          if (r.forkedFrom) r.forkedFrom.step += 1;
          else r.version = 2;
      }
      break;
    }
    case 'leaf': {
      const paths = leafPaths(r).filter((p) => p.length > 0);
      const path = paths[a % paths.length]!;
      at(r, path.slice(0, -1))[path[path.length - 1]!] = m.value;
      break;
    }
    case 'extra-key': {
      const paths = objectPaths(r);
      at(r, paths[a % paths.length]!)[`x${c % 3}`] = m.value ?? 0;
      break;
    }
    default:
      return undefined;
  }
  return r;
}

async function mutatedBytes(original: Recording, m: Mutation): Promise<Uint8Array> {
  const json = mutateJson(original, m);
  if (json) return encodeRecording(json as Recording, m.c % 2 === 0);
  const text = new TextEncoder().encode(JSON.stringify(original));
  const flip = (bytes: Uint8Array): Uint8Array => {
    const out = bytes.slice();
    const positions = [m.a, m.b, m.c].slice(0, 1 + (m.c % 3));
    for (const p of positions) out[p % out.length]! ^= 1 << ((p >> 3) % 8);
    return out;
  };
  if (m.kind === 'json-bits') return flip(text);
  const gz = await encodeRecording(original, true);
  if (m.kind === 'gzip-bits') return flip(gz);
  // truncate
  return m.b % 2 ? text.slice(0, m.a % text.length) : gz.slice(0, m.a % gz.length);
}

/** What the file means: everything but the digest, with the output's values (the oracle of a pass). */
function meaning(recording: Recording): string {
  return contentText(recording) + canonicalJson(recording.output.spikes) + canonicalJson(recording.output.traces?.values ?? null);
}

type Outcome = 'refused' | 'not identical' | 'identical, unchanged' | 'FALSE PASS' | 'CRASH';

describe('the replay verdict', () => {
  const files = recordings();

  it('the recordings used below verify as identical, and the README example keeps its restart', () => {
    for (const file of files) expect(verifyRecording(file).message).toBe('the replay is bit-identical to the recording');
    expect(files[0]!.events.map((e) => e.kind)).toEqual(README_EVENTS.map((e) => e.kind));
    expect(files[0]!.events.at(-1)).toEqual({ kind: 'restart', step: 801 });
    expect(files[1]!.start?.kernel.spikedCount).toBeDefined();
    expect(files[2]!.start?.kernel.counters).toBeDefined();
    expect(files[4]!.forkedFrom?.step).toBe(333);
  });

  it('never says identical unless the file holds exactly what the replay gives: ≥ 1000 mutated files, 0 false passes, 0 crashes', async () => {
    const counts: Record<Outcome, number> = { refused: 0, 'not identical': 0, 'identical, unchanged': 0, 'FALSE PASS': 0, CRASH: 0 };
    const byKind = new Map<Kind, number>();
    const problems: string[] = [];
    const truth = files.map(meaning);
    const classify = async (m: Mutation): Promise<Outcome> => {
      const bytes = await mutatedBytes(files[m.file]!, m);
      let recording: Recording;
      try {
        recording = await decodeRecording(bytes);
      } catch (error) {
        if (error instanceof RecordingError && error.message.length > 10) return 'refused';
        problems.push(`${m.kind}: decode threw ${String(error)}`);
        return 'CRASH';
      }
      try {
        const verdict = verifyRecording(recording);
        if (!verdict.identical) return verdict.message.length > 10 ? 'not identical' : 'CRASH';
        if (meaning(recording) === truth[m.file]) return 'identical, unchanged';
        problems.push(`${m.kind} (${JSON.stringify({ ...m, value: undefined })}): identical, but the file differs from what was recorded`);
        return 'FALSE PASS';
      } catch (error) {
        if ((error instanceof RecordingError || error instanceof InputError) && error.message.length > 10) return 'refused';
        problems.push(`${m.kind}: verify threw ${String(error)}`);
        return 'CRASH';
      }
    };
    const mutation = fc.record({
      file: fc.nat({ max: files.length - 1 }),
      kind: fc.constantFrom(...KINDS),
      a: fc.nat(),
      b: fc.nat(),
      c: fc.nat(),
      value: hostileValue,
    });
    const runs = 1200;
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const outcome = await classify(m);
        counts[outcome]++;
        byKind.set(m.kind, (byKind.get(m.kind) ?? 0) + 1);
        return outcome !== 'FALSE PASS' && outcome !== 'CRASH';
      }),
      { numRuns: runs },
    );
    const total = Object.values(counts).reduce((s, n) => s + n, 0);
    console.log(
      `mutated recordings: ${total} (${[...byKind].map(([k, v]) => `${k} ${v}`).join(', ')})\n` +
        `  refused with a RecordingError/InputError: ${counts.refused}, verified NOT identical: ${counts['not identical']}, identical and unchanged in meaning: ${counts['identical, unchanged']}\n` +
        `  false passes: ${counts['FALSE PASS']}, crashes: ${counts.CRASH}   (${cpus()[0]?.model}, load ${loadavg().map((x) => x.toFixed(2)).join(' ')})`,
    );
    expect(problems).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(1000);
    expect(counts['FALSE PASS']).toBe(0);
    expect(counts.CRASH).toBe(0);
  }, 600_000);

  it('names the first difference: the channel and step of a trace, the spike, the label, the event, the start field, the digest', async () => {
    const [b, ring] = files as [Recording, Recording];
    // Through the file's JSON, as a file arrives.
    const verdict = (r: Json): string => verifyRecording(parseRecording(JSON.stringify(r))).message;
    const edit = (file: Recording, change: (r: Json) => void): Json => {
      const r: Json = structuredClone(file);
      change(r);
      return r;
    };
    // One Float64 of trace 0 (the issue's reproduction).
    expect(verdict(edit(b, (r) => {
      const bytes = bytesOf(r.output.traces.values[0]);
      new DataView(bytes.buffer).setFloat64(8 * 17, 12.5, true);
      r.output.traces.values[0] = base64Of(bytes);
    }))).toMatch(/^trace v \(channel 0\) differs at step 17 \(t = 4\.5 ms\): the file holds 12\.5 \(0x4029000000000000\), the replay gives -?\d/);
    expect(verdict(edit(b, (r) => r.output.traces.values.reverse()))).toMatch(/^trace v \(channel 0\) differs at step 0/);
    expect(verdict(edit(b, (r) => (r.output.traces.probes[1].variable = 'v')))).toBe("trace channel 1 is labelled v in the file, the replay's channel 1 is u");
    expect(verdict(edit(b, (r) => (r.output.spikes.timeMs[1] += 0.25)))).toMatch(/^spike 1 differs: recorded neuron 0 at [\d.]+ ms \(step \d+\), replayed neuron 0 at [\d.]+ ms/);
    expect(verdict(edit(b, (r) => Object.values(r.output.spikes).forEach((list) => (list as number[]).pop())))).toMatch(/^the recording holds 2 spikes, the replay made 3/);
    // An event changed with no effect on the output: the digest covers the log.
    expect(verdict(edit(b, (r) => (r.events[5].step = 900)))).toMatch(/^the file's digest [0-9a-f]{14} does not match what it holds/);
    // A start state that makes every neuron of the ring fire at once: the replay's output says so.
    expect(verdict(edit(ring, (r) => (r.start.kernel.v.base64 = base64Of(new Uint8Array(new Float64Array(6).fill(0.99).buffer)))))).toMatch(/^(spike \d+ differs|the recording holds \d+ spikes, the replay made \d+)/);
    expect(verdict(edit(ring, (r) => (r.scene.title = 'renamed')))).toMatch(/digest .* does not match what it holds/);
    expect(verdict(edit(b, (r) => (r.output.digest = '0123456789abcd')))).toMatch(/^the file's digest 0123456789abcd does not match what it holds \([0-9a-f]{14}\)/);
  });

  it('a malformed start state is refused naming the field, never "Cannot read properties of undefined"', async () => {
    const ring = files[1]!;
    const cases: [(r: Json) => void, RegExp][] = [
      [(r) => delete r.start.kernel.v, /start\.kernel\.v = undefined is not allowed: a Float64Array of 6 values/],
      [(r) => (r.start.kernel.extra = { type: 'Array', data: [] }), /start\.kernel\.extra = .* not a state field of lif-network/],
      [(r) => (r.start.kernel.spikedCount.data = [1e9]), /start\.kernel\.spikedCount\[0\] = 1000000000 is not allowed: a whole number from 0 to 6/],
      [(r) => (r.start.kernel.v = { type: 'Int32Array', base64: r.start.kernel.v.base64 }), /start\.kernel\.v\.type = "Int32Array" is not allowed: "Float64Array"/],
      [(r) => r.start.noise.values.push('AAAAAAAAAAA='), /start\.noise\.values = .* a list of 1 base64 arrays, one per noise source/],
      [(r) => (r.start.noise.random = [0, 0, 0, 0, 0, 0]), /start\.noise\.random = .* a generator state/],
      [(r) => (r.start.params.rm = 1e300), /start\.params\.rm = 1e\+300 is not allowed: a number from 0\.001 to 1000/],
      [(r) => (r.start.params.cm = 0.001), /start\.params = .* a value that keeps dtMs = 0\.125 ms a stable step: forward Euler/],
      [(r) => delete r.start.params.tauPscMs, /start\.params\.tauPscMs = undefined is not allowed/],
      [(r) => r.start.pending.push({ kind: 'release', step: 200 }), /start\.pending = .* an empty list/],
      [(r) => (r.start.step = 5), /start\.step = 5 is not allowed: the recording's firstStep, 97/],
      [(r) => (r.events[0].step = 50), /events\[0\]\.step = 50 is not allowed: a step at or after the recording's first step, 97/],
    ];
    for (const [change, message] of cases) {
      const r: Json = structuredClone(ring);
      change(r);
      let error: unknown;
      try {
        verifyRecording(await decodeRecording(await encodeRecording(r as Recording)));
      } catch (e) {
        error = e;
      }
      expect(error, String(message)).toBeInstanceOf(RecordingError);
      expect((error as Error).message).toMatch(message);
    }
  });

  it('keeps the events after the last step: replayed, they stay pending and the verdict holds', () => {
    const b = files[0]!;
    const after = b.events.filter((e: InputEvent) => e.step >= b.firstStep + b.steps);
    expect(after).toEqual([{ kind: 'restart', step: 801 }]);
    expect(verifyRecording(b).replayed!.events).toEqual(b.events);
  });
});
