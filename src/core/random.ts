/**
 * Seeded pseudo-random numbers for the engine (nothing in the engine calls Math.random).
 * xoshiro128** (Blackman & Vigna, 2018) on 32-bit words, seeded through splitmix32 so that
 * any integer seed gives a well-mixed state. Gaussian numbers by the Box–Muller transform.
 * Logarithms, sines and cosines come from deterministic-math.ts: the same bits in every engine.
 */
import { cos, exp, log, sin } from './numerics/deterministic-math.ts';

export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal = 0;
  private hasSpare = false;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /**
   * out[k] = a uniform integer in [0, firstBound + k) for each k, without bias, for bounds from 1
   * to 2^21 (Lemire's multiply-shift with rejection: x·n for a 32-bit x is exact in a double, its
   * high 32 bits are the result, and the rare x whose low part falls below 2^32 mod n are redrawn).
   * The words are nextUint32's, in order; the state is kept in locals (a loop over nextUint32 reads
   * and writes the four fields at every call).
   */
  fillBelow(out: Int32Array, firstBound: number): void {
    let s0 = this.s0 | 0;
    let s1 = this.s1 | 0;
    let s2 = this.s2 | 0;
    let s3 = this.s3 | 0;
    for (let k = 0; k < out.length; k++) {
      const n = firstBound + k;
      const threshold = 4294967296 % n;
      for (;;) {
        const m = Math.imul(s1, 5);
        const x = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
        const t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        const product = x * n;
        const high = Math.floor(product / 4294967296);
        const low = product - high * 4294967296;
        if (low >= n || low >= threshold) {
          out[k] = high;
          break;
        }
      }
    }
    this.s0 = s0 >>> 0;
    this.s1 = s1 >>> 0;
    this.s2 = s2 >>> 0;
    this.s3 = s3 >>> 0;
  }

  /** out[from … to−1] = the next nextUint32() words in order (as int32: `>>> 0` reads them unsigned), the state in locals. */
  fillUint32(out: Int32Array, from = 0, to = out.length): void {
    let s0 = this.s0 | 0;
    let s1 = this.s1 | 0;
    let s2 = this.s2 | 0;
    let s3 = this.s3 | 0;
    for (let k = from; k < to; k++) {
      const m = Math.imul(s1, 5);
      out[k] = Math.imul((m << 7) | (m >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
    }
    this.s0 = s0 >>> 0;
    this.s1 = s1 >>> 0;
    this.s2 = s2 >>> 0;
    this.s3 = s3 >>> 0;
  }

  /** Uniform in [0, 1), with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal deviate. */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spareNormal;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * log(u));
    this.spareNormal = r * sin(2 * Math.PI * v);
    this.hasSpare = true;
    return r * cos(2 * Math.PI * v);
  }

  /** The whole generator state, for snapshots. */
  getState(): number[] {
    return [this.s0, this.s1, this.s2, this.s3, this.hasSpare ? 1 : 0, this.spareNormal];
  }

  setState(state: readonly number[]): void {
    [this.s0, this.s1, this.s2, this.s3] = state.map((v) => v >>> 0) as [number, number, number, number];
    this.hasSpare = state[4] === 1;
    this.spareNormal = state[5] ?? 0;
  }
  /**
   * Advances the generator by 2^64 outputs (xoshiro128**'s jump function): a copy jumped once
   * gives a stream that does not overlap this one for 2^64 draws. Used to give a kernel's
   * noise its own stream, independent of the stream that drew its structure.
   */
  jump(): void {
    let t0 = 0;
    let t1 = 0;
    let t2 = 0;
    let t3 = 0;
    for (const word of JUMP_128) {
      for (let bit = 0; bit < 32; bit++) {
        if ((word >>> bit) & 1) {
          t0 ^= this.s0;
          t1 ^= this.s1;
          t2 ^= this.s2;
          t3 ^= this.s3;
        }
        this.nextUint32();
      }
    }
    this.s0 = t0 >>> 0;
    this.s1 = t1 >>> 0;
    this.s2 = t2 >>> 0;
    this.s3 = t3 >>> 0;
  }

  /**
   * Fills out[start … end−1] with standard normal deviates by the table method described at
   * `fastNormalTable` (below): two deviates per 32-bit output, the low 16 bits then the high 16
   * bits (an odd count drops the last high half). About 1.2 ns per deviate, against ~25 ns for
   * Box–Muller. Same state and same calls give the same values.
   */
  fillNormalFast(out: Float64Array, start: number, end: number): void {
    const table = fastNormalTable();
    const mask = NORMAL_TABLE_SIZE - 1;
    const pairsEnd = start + ((end - start) & ~1);
    // xoshiro128** inlined on local copies of the state (as signed int32). The inner loop calls
    // nothing (a call in a loop makes V8 re-check every typed array on every access): the tail
    // bins hold ±Infinity, which a running sum notices; after each chunk that had one, its
    // entries are replaced by exact tail deviates (drawn with uniform(), after the chunk's words).
    let s0 = this.s0 | 0;
    let s1 = this.s1 | 0;
    let s2 = this.s2 | 0;
    let s3 = this.s3 | 0;
    for (let chunk = start; chunk < pairsEnd; chunk += NORMAL_CHUNK) {
      const chunkEnd = Math.min(chunk + NORMAL_CHUNK, pairsEnd);
      let sum = 0;
      for (let i = chunk; i < chunkEnd; i += 2) {
        const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
        const t = s1 << 9;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = (s3 << 11) | (s3 >>> 21);
        const z0 = table[r & mask]!;
        const z1 = table[r >>> 16]!;
        out[i] = z0;
        out[i + 1] = z1;
        sum += z0 + z1;
      }
      if (!(sum - sum === 0)) {
        this.s0 = s0 >>> 0;
        this.s1 = s1 >>> 0;
        this.s2 = s2 >>> 0;
        this.s3 = s3 >>> 0;
        for (let i = chunk; i < chunkEnd; i++) {
          const z = out[i]!;
          if (z === Infinity || z === -Infinity) out[i] = normalTail(this, z > 0);
        }
        s0 = this.s0 | 0;
        s1 = this.s1 | 0;
        s2 = this.s2 | 0;
        s3 = this.s3 | 0;
      }
    }
    this.s0 = s0 >>> 0;
    this.s1 = s1 >>> 0;
    this.s2 = s2 >>> 0;
    this.s3 = s3 >>> 0;
    if (pairsEnd < end) {
      this.fillNormalFast(oddScratch, 0, 2);
      out[pairsEnd] = oddScratch[0]!;
    }
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/*
 * Fast normal deviates for noise-heavy kernels (Random.fillNormalFast), and xoshiro128**'s jump.
 *
 * The table method: the standard normal is cut into M = 65 536 bins of equal probability 1/M,
 * [q_k, q_k+1] with q_k = Φ⁻¹(k/M). A deviate takes 16 random bits k (two deviates per 32-bit
 * output of the generator) and returns the mean of the normal over bin k,
 *   t_k = E[Z | q_k < Z < q_k+1] = M·(φ(q_k) − φ(q_k+1)),
 * except for the two outer bins (|Z| > q_1 ≈ 4.17, probability 2/M), where it draws an exact
 * deviate of the normal's tail beyond q_1 (Marsaglia's tail method, from `uniform()`).
 * Quality: the distribution function differs from Φ by at most 1/M ≈ 1.5e-5 anywhere (a
 * Kolmogorov–Smirnov test would need ~1e10 deviates to see it); the mean is exactly 0 (the table
 * is antisymmetric); the variance is 1 − 1.4e-7 (the spread inside the 65 534 inner bins is
 * lost); the tails beyond ±4.17 are exact. q_k comes from Acklam's rational approximation of
 * Φ⁻¹ (relative error < 1.2e-9), which moves bin edges by ≤ 1e-9 in probability. The table
 * (Float32, 256 KiB: it stays in a 1 MiB L2 cache) is built once, on first use.
 */
const NORMAL_TABLE_BITS = 16;
const NORMAL_TABLE_SIZE = 1 << NORMAL_TABLE_BITS;
let normalTable: Float32Array | undefined;
/** Deviates per chunk of fillNormalFast (even). */
const NORMAL_CHUNK = 1024;
/** Where an odd count's last pair goes. */
const oddScratch = new Float64Array(2);

/** Φ⁻¹(p) by Acklam's algorithm (relative error < 1.15e-9), for 0 < p < 1. */
export function inverseNormalCdf(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239] as const;
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572] as const;
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783] as const;
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416] as const;
  const low = 0.02425;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * log(p < low ? p : 1 - p));
    const x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    return p < low ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** The bin means t_k of the fast normal method; entries 0 and M−1 (the tail bins, drawn exactly) hold −Infinity and +Infinity. */
export function fastNormalTable(): Float32Array {
  if (normalTable) return normalTable;
  const m = NORMAL_TABLE_SIZE;
  const table = new Float32Array(m);
  table[0] = -Infinity;
  table[m - 1] = Infinity;
  const density = (x: number): number => exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
  // Lower half from the edges, upper half by symmetry: the table is exactly antisymmetric.
  let edge = inverseNormalCdf(1 / m);
  for (let k = 1; k < m / 2; k++) {
    const next = k + 1 === m / 2 ? 0 : inverseNormalCdf((k + 1) / m);
    const mean = m * (density(edge) - density(next));
    table[k] = mean;
    table[m - 1 - k] = -mean;
    edge = next;
  }
  normalTable = table;
  return table;
}

/** |Z| beyond which the fast normal method draws from the exact tail: q_1 = −Φ⁻¹(1/M). */
export const FAST_NORMAL_TAIL = -inverseNormalCdf(1 / NORMAL_TABLE_SIZE);

const JUMP_128 = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b] as const;

/** A deviate of the standard normal conditioned on |Z| > FAST_NORMAL_TAIL, with the given sign (Marsaglia 1964). */
function normalTail(random: Random, positive: boolean): number {
  const q = FAST_NORMAL_TAIL;
  let x: number;
  let y: number;
  do {
    x = -log(1 - random.uniform()) / q;
    y = -log(1 - random.uniform());
  } while (y + y < x * x);
  return positive ? q + x : -(q + x);
}
