/**
 * Counter-based random numbers: a deviate is a pure function of (key, stream, draw, item), so
 * that any thread can draw the numbers of any items — and a network split across threads draws
 * exactly the numbers it draws in one thread, whatever the split.
 *
 * The generator is Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy
 * as 1, 2, 3", SC 2011; the Random123 library): a keyed bijection of a 128-bit counter, ten rounds
 * of 32×32→64-bit multiplications, that passes TestU01's BigCrush for any key and counter
 * pattern. Its known-answer vectors (Random123's tests/kat_vectors) are in the tests.
 *
 * Normal deviates for a whole population (fillCounterNormals): items are grouped in blocks of
 * NORMAL_BLOCK; Philox of (block, draw, stream) gives a 128-bit state, from which xoshiro128**
 * (Blackman & Vigna 2018, the generator of random.ts) makes the block's 32-bit words, each giving
 * two deviates by the table method of random.ts (16 bits each: the low half to the even item,
 * the high half to the odd one). Philox in JavaScript costs ~10× xoshiro per bit (its 32×32→64
 * products are four Math.imul each), so it seeds a block instead of making every bit: the cost
 * per deviate is xoshiro's plus 1/256 of a Philox call. A block's state is a uniform 128-bit value
 * for every (block, draw, stream) — distinct blocks and draws are the images of distinct counters
 * under one bijection — and its 128 words are a stretch of xoshiro128**'s sequence of period
 * 2^128 − 1 from there. The two outer bins of the table (|z| > 4.17, probability 2/65 536) draw
 * an exact tail deviate (Marsaglia's tail method, its logarithm from deterministic-math.ts) from
 * Philox of (item, draw, TAIL | attempt): its own counters, so a tail never shifts any other number.
 *
 * Quality measured in tests/counter-random.test.ts: mean, variance, the frequencies of |z| > 1 … 4.5,
 * a Kolmogorov–Smirnov test against the normal, correlations between neighbouring items, across
 * block edges, between the two halves of a word and between successive draws of an item.
 */
import { log } from './numerics/deterministic-math.ts';
import { fastNormalTable, FAST_NORMAL_TAIL } from './random.ts';
import { instantiateKernel, wasmKernelUsable } from './wasm.ts';
import * as normalsWasm from './counter-random.wasm.ts';

/** Items per Philox-seeded block of fillCounterNormals (even). */
export const NORMAL_BLOCK = 256;
/** Counter word 3 of a block's state; tails use TAIL | attempt. */
const BLOCK_STATE = 0;
const TAIL = 0x80000000 | 0;
/** Philox4x32's multipliers and Weyl key increments (Random123). */
const M0 = 0xd2511f53 | 0;
const M1 = 0xcd9e8d57 | 0;
const W0 = 0x9e3779b9 | 0;
const W1 = 0xbb67ae85 | 0;
const ROUNDS = 10;
const TWO_POW_32 = 4294967296;

/**
 * Philox4x32-10 of the counter (c0, c1, c2, c3) under the key (k0, k1), into out[0 … 3] (as
 * int32: `>>> 0` reads them unsigned). The high half of each 32×32-bit product is built from
 * 16-bit limbs with Math.imul, so every operation is exact 32-bit integer arithmetic.
 */
export function philox4x32(c0: number, c1: number, c2: number, c3: number, k0: number, k1: number, out: Int32Array): void {
  c0 |= 0;
  c1 |= 0;
  c2 |= 0;
  c3 |= 0;
  k0 |= 0;
  k1 |= 0;
  for (let round = 0; round < ROUNDS; round++) {
    // hi0:lo0 = M0 · c0, hi1:lo1 = M1 · c2.
    const a0 = c0 & 0xffff;
    const b0 = c0 >>> 16;
    const cross0a = Math.imul(b0, M0 & 0xffff) >>> 0;
    const cross0b = Math.imul(a0, M0 >>> 16) >>> 0;
    const hi0 = ((Math.imul(b0, M0 >>> 16) >>> 0) + (cross0a >>> 16) + (cross0b >>> 16) + (((Math.imul(a0, M0 & 0xffff) >>> 16) + (cross0a & 0xffff) + (cross0b & 0xffff)) >>> 16)) | 0;
    const a2 = c2 & 0xffff;
    const b2 = c2 >>> 16;
    const cross1a = Math.imul(b2, M1 & 0xffff) >>> 0;
    const cross1b = Math.imul(a2, M1 >>> 16) >>> 0;
    const hi1 = ((Math.imul(b2, M1 >>> 16) >>> 0) + (cross1a >>> 16) + (cross1b >>> 16) + (((Math.imul(a2, M1 & 0xffff) >>> 16) + (cross1a & 0xffff) + (cross1b & 0xffff)) >>> 16)) | 0;
    const lo0 = Math.imul(c0, M0);
    const lo1 = Math.imul(c2, M1);
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
    k0 = (k0 + W0) | 0;
    k1 = (k1 + W1) | 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
}

const words = new Int32Array(4);
/** A whole block, for a range that starts or ends inside one. */
const partial = new Float64Array(NORMAL_BLOCK);

/**
 * Standard normal deviates of items from … to−1 for draw number `draw` (0 … 2^53) of `stream`
 * under `key`, into out[from … to−1]. The value of out[i] depends on (key, stream, draw, i)
 * only: filling any sub-range, in any order or any thread, gives the same numbers.
 */
export function fillCounterNormals(out: Float64Array, from: number, to: number, key: number, stream: number, draw: number): void {
  for (let block = Math.floor(from / NORMAL_BLOCK); block * NORMAL_BLOCK < to; block++) {
    const start = block * NORMAL_BLOCK;
    const lo = Math.max(from, start);
    const hi = Math.min(to, start + NORMAL_BLOCK);
    if (lo === start && hi === start + NORMAL_BLOCK) {
      fillBlock(out, start, block, key, stream, draw);
    } else {
      // Part of a block: the whole block, then its part (every item keeps its word).
      fillBlock(partial, 0, block, key, stream, draw);
      out.set(partial.subarray(lo - start, hi - start), lo);
    }
  }
}

/** The xoshiro128** state of `block` (Philox of its counter) into words[0 … 3]. */
function blockState(block: number, key: number, stream: number, draw: number, words: Int32Array): void {
  philox4x32(block, draw >>> 0, Math.floor(draw / TWO_POW_32), BLOCK_STATE, key, stream, words);
  // xoshiro's one forbidden state (probability 2^−128): any fixed replacement keeps it a function of the counter.
  if ((words[0]! | words[1]! | words[2]! | words[3]!) === 0) words[0] = 1;
}

/** The NORMAL_BLOCK deviates of `block` into out[at …]. */
function fillBlock(out: Float64Array, at: number, block: number, key: number, stream: number, draw: number): void {
  const table = fastNormalTable();
  blockState(block, key, stream, draw, words);
  let s0 = words[0]!;
  let s1 = words[1]!;
  let s2 = words[2]!;
  let s3 = words[3]!;
  let sum = 0;
  // xoshiro128** (as Random.nextUint32) inlined on int32 locals: a loop that calls nothing. Its
  // bound is an int32 local: a bundler makes NORMAL_BLOCK a `var`, which V8 would re-read and
  // re-check every turn.
  const end = (at + NORMAL_BLOCK) | 0;
  for (let i = at | 0; i < end; i += 2) {
    const m = Math.imul(s1, 5);
    const r = Math.imul((m << 7) | (m >>> 25), 9);
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    const z0 = table[r & 0xffff]!;
    const z1 = table[r >>> 16]!;
    out[i] = z0;
    out[i + 1] = z1;
    sum += z0 + z1;
  }
  // The tail bins hold ±Infinity, which the sum notices: replace them by exact tail deviates.
  if (!(sum - sum === 0)) replaceTails(out, at, block, key, stream, draw);
}

/** Replaces the tail bins' ±Infinity among the deviates of `block` at out[at …] by exact tail deviates. */
function replaceTails(out: Float64Array, at: number, block: number, key: number, stream: number, draw: number): void {
  for (let i = at; i < at + NORMAL_BLOCK; i++) {
    const z = out[i]!;
    if (z === Infinity || z === -Infinity) out[i] = counterTail(key, stream, draw, block * NORMAL_BLOCK + i - at, z > 0);
  }
}

/** Blocks the WebAssembly fill advances side by side (one per i32x4 lane). */
const LANES = 4;
/** Bytes of the table fastNormalTable in a WebAssembly memory (WasmCounterNormals). */
export const NORMAL_TABLE_BYTES = 65536 * 4;

/**
 * fillCounterNormals with its inner loop in WebAssembly (counter-random.wat: xoshiro128** and the
 * table method for four blocks at a time, one per SIMD lane), into arrays of a WebAssembly memory.
 * The same numbers: each lane runs the JavaScript loop's integer operations on its own block;
 * Philox (once per block), the tails and the blocks a range cuts are the JavaScript code's.
 * The memory holds the table (copyNormalTable, once per memory) and, per user (a thread), a
 * scratch area of scratchBytes(maxItems).
 */
export class WasmCounterNormals {
  private readonly kernel: { normals(out: number, groups: number, states: number, table: number, flags: number): void };
  /** Per group of LANES blocks, their states word by word (s0 of each lane, then s1, s2, s3). */
  private readonly states: Int32Array;
  private readonly flags: Int32Array;
  private readonly lane = new Int32Array(4);

  /** Whether instances can be made now (WebAssembly SIMD, and shared memory when asked for; wasm.ts). */
  static usable(shared: boolean): boolean {
    return wasmKernelUsable(normalsWasm, shared);
  }

  /** Bytes of scratch for ranges of up to maxItems items (a multiple of 16). */
  static scratchBytes(maxItems: number): number {
    return Math.ceil(((Math.ceil(maxItems / (LANES * NORMAL_BLOCK)) + 1) * (16 * LANES + 4)) / 16) * 16;
  }

  /** Writes the table at byte tableAt of memory (NORMAL_TABLE_BYTES bytes). */
  static copyNormalTable(memory: WebAssembly.Memory, tableAt: number): void {
    new Float32Array(memory.buffer, tableAt, NORMAL_TABLE_BYTES / 4).set(fastNormalTable());
  }

  constructor(memory: WebAssembly.Memory, private readonly tableAt: number, scratchAt: number, maxItems: number) {
    this.kernel = instantiateKernel(normalsWasm, memory);
    const groups = Math.ceil(maxItems / (LANES * NORMAL_BLOCK)) + 1;
    this.states = new Int32Array(memory.buffer, scratchAt, 4 * LANES * groups);
    this.flags = new Int32Array(memory.buffer, scratchAt + 16 * LANES * groups, groups);
  }

  /** fillCounterNormals(out, from, to, key, stream, draw), out in this memory; to − from ≤ maxItems. */
  fill(out: Float64Array, from: number, to: number, key: number, stream: number, draw: number): void {
    const first = Math.ceil(from / NORMAL_BLOCK);
    const groups = Math.floor((Math.floor(to / NORMAL_BLOCK) - first) / LANES);
    if (groups <= 0) return fillCounterNormals(out, from, to, key, stream, draw);
    const end = first + LANES * groups;
    if (from < first * NORMAL_BLOCK) fillCounterNormals(out, from, first * NORMAL_BLOCK, key, stream, draw);
    const { states, lane } = this;
    for (let b = 0; b < LANES * groups; b++) {
      blockState(first + b, key, stream, draw, lane);
      const at = 4 * LANES * (b >> 2) + (b & 3);
      for (let w = 0; w < 4; w++) states[at + LANES * w] = lane[w]!;
    }
    this.kernel.normals(out.byteOffset + 8 * first * NORMAL_BLOCK, groups, states.byteOffset, this.tableAt, this.flags.byteOffset);
    for (let g = 0; g < groups; g++) {
      if (this.flags[g] === 0) continue;
      for (let b = first + LANES * g; b < first + LANES * (g + 1); b++) replaceTails(out, b * NORMAL_BLOCK, b, key, stream, draw);
    }
    if (end * NORMAL_BLOCK < to) fillCounterNormals(out, end * NORMAL_BLOCK, to, key, stream, draw);
  }
}

/** The deviate of one item, as fillCounterNormals gives it (for references and tests; it fills the item's block). */
export function counterNormal(key: number, stream: number, draw: number, item: number): number {
  const one = new Float64Array(item + 1);
  fillCounterNormals(one, item, item + 1, key, stream, draw);
  return one[item]!;
}

/** Uniform in [0, 1) with 53 bits from two 32-bit words (as Random.uniform). */
function uniform53(high: number, low: number): number {
  return ((high >>> 5) * 67108864 + (low >>> 6)) / 9007199254740992;
}

/**
 * A deviate of the standard normal conditioned on |Z| > FAST_NORMAL_TAIL, with the given sign
 * (Marsaglia 1964), from Philox of (item, draw, TAIL | attempt): two uniforms per attempt.
 */
function counterTail(key: number, stream: number, draw: number, item: number, positive: boolean): number {
  const q = FAST_NORMAL_TAIL;
  const tail = new Int32Array(4);
  for (let attempt = 0; ; attempt++) {
    philox4x32(item, draw >>> 0, Math.floor(draw / TWO_POW_32), TAIL | attempt, key, stream, tail);
    const x = -log(1 - uniform53(tail[0]!, tail[1]!)) / q;
    const y = -log(1 - uniform53(tail[2]!, tail[3]!));
    if (y + y >= x * x) return positive ? q + x : -(q + x);
  }
}
