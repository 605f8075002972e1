/**
 * The counter-based generator (src/core/counter-random.ts): Philox4x32-10 against Random123's
 * known answers, any sub-range drawing the same numbers as the whole, and the quality of the
 * normal deviates — moments, tails, a KS test against the normal, and independence between
 * items (neighbours, the two halves of a word, across the edges of the Philox-seeded blocks),
 * between successive draws of an item, and between keys.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { counterNormal, fillCounterNormals, NORMAL_BLOCK, NORMAL_TABLE_BYTES, philox4x32, WasmCounterNormals } from '../src/core/counter-random.ts';
import { kernelMemory } from '../src/core/wasm.ts';
import { expectStandardNormal, meanVar } from './statistics.ts';

const hex = (words: Int32Array): string[] => Array.from(words, (w) => (w >>> 0).toString(16).padStart(8, '0'));

/** Correlation of x and y (same length). */
function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const [mx, vx] = meanVar(x);
  const [my, vy] = meanVar(y);
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += (x[i]! - mx) * (y[i]! - my);
  return sum / x.length / Math.sqrt(vx * vy);
}

/** `draws` draws of items 0 … items−1: row d is draw d. */
function draws(key: number, stream: number, draws: number, items: number): Float64Array[] {
  return Array.from({ length: draws }, (_, d) => {
    const z = new Float64Array(items);
    fillCounterNormals(z, 0, items, key, stream, d);
    return z;
  });
}

describe('Philox4x32-10', () => {
  it("gives Random123's known answers (tests/kat_vectors: counter, key → output)", () => {
    const out = new Int32Array(4);
    philox4x32(0, 0, 0, 0, 0, 0, out);
    expect(hex(out)).toEqual(['6627e8d5', 'e169c58d', 'bc57ac4c', '9b00dbd8']);
    philox4x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, out);
    expect(hex(out)).toEqual(['408f276d', '41c83b0e', 'a20bc7c6', '6d5451fd']);
    philox4x32(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344, 0xa4093822, 0x299f31d0, out);
    expect(hex(out)).toEqual(['d16cfe09', '94fdcceb', '5001e420', '24126ea1']);
  });
});

describe('counter-based normal deviates (fillCounterNormals)', () => {
  it('any sub-range, filled in any order, holds the numbers of the whole range', () => {
    const items = 3 * NORMAL_BLOCK + 77;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 2 ** 40 }), fc.array(fc.integer({ min: 0, max: items }), { maxLength: 6 }), (key, draw, cuts) => {
        const whole = new Float64Array(items);
        fillCounterNormals(whole, 0, items, key, 7, draw);
        const edges = [0, ...cuts.sort((a, b) => a - b), items];
        const pieces = new Float64Array(items);
        // Back to front, so that no piece can lean on a neighbour filled before it.
        for (let p = edges.length - 2; p >= 0; p--) fillCounterNormals(pieces, edges[p]!, edges[p + 1]!, key, 7, draw);
        expect(pieces).toEqual(whole);
        expect(whole.every(Number.isFinite)).toBe(true);
        const item = cuts[0] ?? 5;
        if (item < items) expect(counterNormal(key, 7, draw, item)).toBe(whole[item]);
      }),
      { numRuns: 40 },
    );
  });

  it('have mean 0, variance 1, normal tails (exact beyond the table) and a normal distribution function', () => {
    const rows = draws(11, 3, 40, 100_000);
    const z = new Float64Array(rows.length * 100_000);
    rows.forEach((row, d) => z.set(row, d * 100_000));
    expectStandardNormal(z);
  });

  it('are uncorrelated between items: neighbours, the two halves of a word, across block edges, and block sums have variance 256', () => {
    const items = 64 * NORMAL_BLOCK;
    const rows = draws(5, 3, 100, items);
    const z = new Float64Array(rows.length * items);
    rows.forEach((row, d) => z.set(row, d * items));
    const n = z.length;
    const limit = 5 / Math.sqrt(n);
    // Lags 1 (the two halves of one word, and neighbouring words), 2, 3, and a block apart.
    for (const lag of [1, 2, 3, NORMAL_BLOCK]) {
      expect(Math.abs(correlation(z.subarray(lag), z.subarray(0, n - lag))), `lag ${lag}`).toBeLessThan(limit);
    }
    // The last item of a block with the first of the next, over every edge and draw.
    const last: number[] = [];
    const first: number[] = [];
    for (const row of rows) for (let b = 1; b < items / NORMAL_BLOCK; b++) last.push(row[b * NORMAL_BLOCK - 1]!), first.push(row[b * NORMAL_BLOCK]!);
    expect(Math.abs(correlation(last, first))).toBeLessThan(5 / Math.sqrt(last.length));
    // Sums over blocks: N(0, 256) when the 256 deviates of a block are independent.
    const sums: number[] = [];
    for (let start = 0; start < n; start += NORMAL_BLOCK) {
      let s = 0;
      for (let i = start; i < start + NORMAL_BLOCK; i++) s += z[i]!;
      sums.push(s / Math.sqrt(NORMAL_BLOCK));
    }
    const [, sumVariance] = meanVar(sums);
    expect(Math.abs(sumVariance - 1)).toBeLessThan(5 * Math.sqrt(2 / sums.length));
  });

  it('are uncorrelated between successive draws of an item, and between keys', () => {
    const items = 16 * NORMAL_BLOCK;
    const rows = draws(9, 3, 200, items);
    const now: number[] = [];
    const next: number[] = [];
    for (let d = 0; d + 1 < rows.length; d++) for (let i = 0; i < items; i++) now.push(rows[d]![i]!), next.push(rows[d + 1]![i]!);
    expect(Math.abs(correlation(now, next))).toBeLessThan(5 / Math.sqrt(now.length));
    // Neighbouring keys (seeds 9 and 10) and another stream of the same key.
    for (const [key, stream] of [[10, 3], [9, 4]]) {
      const other = draws(key!, stream!, 50, items);
      const a: number[] = [];
      const b: number[] = [];
      for (let d = 0; d < 50; d++) for (let i = 0; i < items; i++) a.push(rows[d]![i]!), b.push(other[d]![i]!);
      expect(Math.abs(correlation(a, b))).toBeLessThan(5 / Math.sqrt(a.length));
    }
  });
});

describe('the WebAssembly fill (counter-random.wat)', () => {
  it('draws the numbers of fillCounterNormals, tails included, for any range, key, stream and draw, in a shared and a plain memory', () => {
    const items = 80_001;
    const layouts = [true, false].map((shared) => {
      const scratch = NORMAL_TABLE_BYTES;
      const memory = kernelMemory(scratch + WasmCounterNormals.scratchBytes(items) + 8 * items, shared);
      WasmCounterNormals.copyNormalTable(memory, 0);
      const out = new Float64Array(memory.buffer, scratch + WasmCounterNormals.scratchBytes(items), items);
      return { normals: new WasmCounterNormals(memory, 0, scratch, items), out };
    });
    let tails = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: items }),
        fc.integer({ min: 0, max: items }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 2 ** 53 })),
        (a, b, key, stream, draw) => {
          const [from, to] = a <= b ? [a, b] : [b, a];
          const expected = new Float64Array(items);
          fillCounterNormals(expected, from, to, key, stream, draw);
          for (const { normals, out } of layouts) {
            out.fill(7);
            normals.fill(out, from, to, key, stream, draw);
            // The first item whose bits differ (Object.is: also −0 against +0), or whose value outside the range changed.
            let differs = -1;
            for (let i = 0; i < items && differs < 0; i++) if (!Object.is(out[i], i >= from && i < to ? expected[i] : 7)) differs = i;
            expect(differs).toBe(-1);
          }
          for (let i = from; i < to; i++) if (Math.abs(expected[i]!) > 4.17) tails++;
        },
      ),
      { numRuns: 60 },
    );
    // Tail deviates (|z| > 4.17, probability 2/65 536 each) were among those compared.
    expect(tails).toBeGreaterThan(0);
  });
});
