/**
 * The digest of a recording: its output, hashed as it is recorded so that it does not depend
 * on how the run was split into frames (one running hash for the spikes and one per trace
 * channel), combined at the end with a hash of everything else the file holds — scene, start
 * state, event log, trace labels, steps, versions, dates — so that a file changed after it
 * was recorded no longer matches its own digest. Each hash mixes 32-bit words (Float64 bit
 * patterns, Int32 indices, UTF-16 code units) through two independent multiply–xorshift lanes
 * (53 bits of result, as in cyrb53). It proves a replay identical to the bit and catches edits;
 * it is not a cryptographic signature (whoever edits a file can recompute it).
 */
import { tracesOf, type Recording } from './recording.ts';

export class Digest {
  private h1: number;
  private h2: number;
  private readonly f64 = new Float64Array(1);
  private readonly words = new Uint32Array(this.f64.buffer);

  constructor(seed = 0) {
    this.h1 = 0xdeadbeef ^ seed;
    this.h2 = 0x41c6ce57 ^ seed;
  }

  private word(w: number): void {
    this.h1 = Math.imul(this.h1 ^ w, 2654435761);
    this.h2 = Math.imul(this.h2 ^ w, 1597334677);
  }

  int(value: number): void {
    this.word(value | 0);
  }

  float(value: number): void {
    this.f64[0] = value;
    this.word(this.words[0]!);
    this.word(this.words[1]!);
  }

  ints(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.word(values[i]! | 0);
  }

  floats(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.float(values[i]!);
  }

  /** The UTF-16 code units of a text, then its length (so that texts never run into each other). */
  text(value: string): void {
    for (let i = 0; i < value.length; i++) this.word(value.charCodeAt(i));
    this.word(value.length);
  }

  /** The digest so far as 14 hex digits. */
  hex(): string {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    const value = 4294967296 * (2097151 & h2) + (h1 >>> 0);
    return value.toString(16).padStart(14, '0');
  }
}

/** Digest of a whole output: spikes (step, neuron, time) and every trace channel, chunk-independent. */
export class OutputDigest {
  private readonly spikes = new Digest(1);
  private readonly traces: Digest[];

  /** `channels`: how many trace channels the output has (0 for spikes only). */
  constructor(channels: number) {
    this.traces = Array.from({ length: channels }, (_, c) => new Digest(2 + c));
  }

  addSpikes(step: ArrayLike<number>, neuron: ArrayLike<number>, timeMs: ArrayLike<number>): void {
    for (let i = 0; i < step.length; i++) {
      this.spikes.int(step[i]!);
      this.spikes.int(neuron[i]!);
      this.spikes.float(timeMs[i]!);
    }
  }

  addTraces(traces: readonly ArrayLike<number>[]): void {
    this.traces.forEach((digest, c) => digest.floats(traces[c]!));
  }

  /**
   * The digest of the output so far with `content`, the canonical text of the rest of the
   * recording (see `contentText`); without it, the digest of the output alone (format 1's).
   */
  hex(content?: string): string {
    const parts = [this.spikes, ...this.traces];
    if (content !== undefined) {
      const rest = new Digest(0x5ec0de);
      rest.text(content);
      parts.push(rest);
    }
    const all = new Digest(0);
    for (const part of parts) {
      const hex = part.hex();
      all.int(parseInt(hex.slice(0, 7), 16));
      all.int(parseInt(hex.slice(7), 16));
    }
    return all.hex();
  }
}

/**
 * Everything a recording holds but its output's values and its digest, as canonical JSON: the
 * digest's `content` from format 2 on. Undefined for a format 1 file, whose digest covers its
 * output alone (its other fields are still compared with the replay's, one by one).
 */
export function contentText(recording: Recording): string | undefined {
  if (recording.version < 2) return undefined;
  const { output, ...rest } = recording;
  return canonicalJson({ ...rest, traceProbes: output.traces?.probes ?? null });
}

/** The digest a recording's content should carry: recomputed from what it holds (spikes, traces, labels, scene, start, events…). */
export function recordingDigest(recording: Recording): string {
  const traces = tracesOf(recording) ?? [];
  const digest = new OutputDigest(traces.length);
  const { step, neuron, timeMs } = recording.output.spikes;
  digest.addSpikes(step, neuron, timeMs);
  digest.addTraces(traces);
  return digest.hex(contentText(recording));
}

/**
 * JSON with object keys sorted, so that equal values give equal text whatever the order in which
 * their fields were built. Values are written as JSON writes them (−0 as 0, undefined fields left
 * out): the digest covers what a file holds, and a recording in memory and its file agree.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string' || typeof value === 'number') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',') + ']';
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((k) => record[k] !== undefined)
      .sort();
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonicalJson(record[k])).join(',') + '}';
  }
  return 'null';
}
