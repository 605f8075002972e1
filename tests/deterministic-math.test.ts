/**
 * The deterministic transcendentals (src/core/numerics/deterministic-math.ts): the same bits as
 * openlibm (FreeBSD msun, compiled C: tests/reference/deterministic-math.json, written by
 * tools/deterministic_math_reference.sh) for ~3000 fixed inputs; within 1 ulp of Math.* on
 * millions of arguments; every constant the bit pattern its comment states; exact symmetries;
 * and no engine code calling a Math function whose last bit engines may differ in.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as dmath from '../src/core/numerics/deterministic-math.ts';

const ROOT = resolve(import.meta.dirname, '..');
const FUNCTIONS = { exp: [dmath.exp, Math.exp], expm1: [dmath.expm1, Math.expm1], log: [dmath.log, Math.log], sin: [dmath.sin, Math.sin], cos: [dmath.cos, Math.cos] } as const;
type Name = keyof typeof FUNCTIONS;

const scratch = new Float64Array(1);
const scratchBits = new BigUint64Array(scratch.buffer);
function fromHex(hex: string): number {
  scratchBits[0] = BigInt(`0x${hex}`);
  return scratch[0]!;
}
function toHex(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  scratch[0] = x;
  return scratchBits[0]!.toString(16).padStart(16, '0');
}
/** Signed distance in ulps (0 for two NaNs), through the ordered integer form of the bits. */
function ulps(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const ordered = (x: number): bigint => {
    scratch[0] = x;
    const bits = BigInt.asIntN(64, scratchBits[0]!);
    return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits;
  };
  return Number(ordered(a) - ordered(b));
}

describe('deterministic math', () => {
  it('gives the bits openlibm gives for every input of the committed table', () => {
    const table = JSON.parse(readFileSync(resolve(ROOT, 'tests/reference/deterministic-math.json'), 'utf8')) as { functions: Record<Name, [string, string][]> };
    let checked = 0;
    for (const [name, pairs] of Object.entries(table.functions) as [Name, [string, string][]][]) {
      const [f] = FUNCTIONS[name];
      const wrong = pairs.filter(([x, y]) => toHex(f(fromHex(x))) !== y).map(([x, y]) => `${name}(${fromHex(x)} = 0x${x}) gave ${toHex(f(fromHex(x)))}, openlibm ${y}`);
      expect(wrong.slice(0, 5)).toEqual([]);
      checked += pairs.length;
    }
    expect(checked).toBeGreaterThan(3000);
  });

  it('is within 1 ulp of Math.* on a million arguments per function and range, edge cases included', () => {
    // A fixed xorshift stream: the same arguments on every run.
    let state = 0x12345678;
    const next = (): number => {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      return (state >>> 0) / 4294967296;
    };
    const words = new Uint32Array(scratch.buffer);
    const anyDouble = (): number => {
      words[0] = next() * 4294967296;
      words[1] = next() * 4294967296;
      return scratch[0]!;
    };
    const ln2 = 0.6931471805599453;
    const halfPi = 1.5707963267948966;
    const ranges: [Name, string, () => number][] = [
      ['exp', '[-750, 750]', () => (next() * 2 - 1) * 750],
      ['exp', 'near k·ln2', () => Math.round((next() * 2 - 1) * 1070) * ln2 * (1 + (next() - 0.5) * 1e-15)],
      ['exp', 'any double', anyDouble],
      ['expm1', '[-60, 60]', () => (next() * 2 - 1) * 60],
      ['expm1', '[-1e-5, 1e-5]', () => (next() * 2 - 1) * 1e-5],
      ['expm1', 'any double', anyDouble],
      ['log', '(0, 4)', () => next() * 4],
      ['log', 'near 1', () => 1 + (next() - 0.5) * 1e-6],
      ['log', 'any double', anyDouble],
      ['sin', '[-10, 10]', () => (next() * 2 - 1) * 10],
      ['sin', 'near k·π/2', () => Math.round((next() * 2 - 1) * 1e6) * halfPi * (1 + (next() - 0.5) * 1e-15)],
      ['sin', 'any double', anyDouble],
      ['cos', '[-10, 10]', () => (next() * 2 - 1) * 10],
      ['cos', 'near k·π/2', () => Math.round((next() * 2 - 1) * 1e6) * halfPi * (1 + (next() - 0.5) * 1e-15)],
      ['cos', 'any double', anyDouble],
    ];
    const edges = [0, -0, Infinity, -Infinity, NaN, 5e-324, -5e-324, 2.225073858507201e-308, 2.2250738585072014e-308, 1.7976931348623157e308, -1.7976931348623157e308];
    edges.push(709.782712893384, 709.7827128933841, -745.1332191019411, -745.1332191019412, 38.816242111356935, -38.816242111356935, 1, -1, ln2, halfPi, Math.PI, 1e22, 1e300);
    const lines: string[] = [];
    for (const [name, range, draw] of ranges) {
      const [mine, engine] = FUNCTIONS[name];
      const count = 1_000_000 / 3;
      let differ = 0;
      let worst = 0;
      for (let i = 0; i < count + edges.length; i++) {
        const x = i < edges.length ? edges[i]! : draw();
        const d = Math.abs(ulps(mine(x), engine(x)));
        if (d > 0) differ++;
        if (d > worst) worst = d;
        if (d > 1) throw new Error(`${name}(${x}) = ${mine(x)}, Math.${name} gives ${engine(x)}: ${d} ulps apart`);
      }
      lines.push(`${name} ${range}: ${differ} of ${Math.round(count + edges.length)} differ from Math.${name} (at most ${worst} ulp)`);
    }
    console.log(`deterministic math against this engine's Math.* (V8 ${process.versions.v8}):\n  ${lines.join('\n  ')}`);
  });

  it('states every constant with the bit pattern its comment gives', () => {
    const source = readFileSync(resolve(ROOT, 'src/core/numerics/deterministic-math.ts'), 'utf8');
    const constants = [...source.matchAll(/([-0-9.e]+)[;,]? \/\/ 0x([0-9a-f]{8}) 0x([0-9a-f]{8})/g)];
    expect(constants.length).toBeGreaterThan(50);
    for (const [, literal, high, low] of constants) expect(`${literal} ${toHex(Number(literal))}`).toBe(`${literal} ${high}${low}`);
  });

  it('keeps the symmetries exactly: sin odd, cos even, exp(1) = Math.E, log(1) = 0, exp(0) = 1', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (x) => {
        expect(Object.is(dmath.sin(-x), -dmath.sin(x))).toBe(true);
        expect(Object.is(dmath.cos(-x), dmath.cos(x))).toBe(true);
      }),
      { numRuns: 20_000 },
    );
    expect(dmath.exp(1)).toBe(Math.E);
    expect(dmath.exp(0)).toBe(1);
    expect(Object.is(dmath.log(1), 0)).toBe(true);
    expect(Object.is(dmath.expm1(-0), -0)).toBe(true);
    expect(Object.is(dmath.sin(-0), -0)).toBe(true);
  });

  it('is accurate: exp(log x) and sin² + cos² come back within a few ulps', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-300, max: 1e300, noNaN: true }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x, a) => {
        expect(Math.abs(dmath.exp(dmath.log(x)) / x - 1)).toBeLessThan(2e-13);
        expect(Math.abs(dmath.sin(a) ** 2 + dmath.cos(a) ** 2 - 1)).toBeLessThan(4e-16);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('engine code', () => {
  /** Math functions the ECMAScript specification leaves implementation-approximated (and Math.random). */
  const APPROXIMATE = /\bMath\.(exp|expm1|log|log1p|log2|log10|pow|sin|cos|tan|asin|acos|atan|atan2|sinh|cosh|tanh|asinh|acosh|atanh|cbrt|hypot|random)\b/;

  function sources(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
    });
  }

  it('calls no Math function whose last bit engines may differ in, and no ** (src/core, src/stream, src/session)', () => {
    const files = ['src/core', 'src/stream', 'src/session'].flatMap((dir) => sources(resolve(ROOT, dir)));
    expect(files.length).toBeGreaterThan(20);
    const offences: string[] = [];
    for (const file of files) {
      // Comments may name them (to say why not); code may not.
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '))
        .replace(/\/\/.*$/gm, '');
      code.split('\n').forEach((line, i) => {
        if (APPROXIMATE.test(line) || /\*\*/.test(line)) offences.push(`${file.slice(ROOT.length + 1)}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(offences).toEqual([]);
  });
});
