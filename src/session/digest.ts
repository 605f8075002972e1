/**
 * A digest of a run's output that does not depend on how the run was split into frames:
 * one running hash for the spikes and one per trace channel, combined at the end. Each hash
 * mixes the 32-bit words of the values (Float64 bit patterns, Int32 indices) through two
 * independent multiply–xorshift lanes (53 bits of result, as in cyrb53). It proves a replay
 * identical to the bit; it is not a cryptographic signature.
 */
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

  hex(): string {
    const all = new Digest(0);
    for (const part of [this.spikes, ...this.traces]) {
      const hex = part.hex();
      all.int(parseInt(hex.slice(0, 7), 16));
      all.int(parseInt(hex.slice(7), 16));
    }
    return all.hex();
  }
}
