/**
 * exp, expm1, log, sin and cos that give the same bits in every JavaScript engine.
 *
 * The ECMAScript specification leaves Math.exp, Math.log, Math.sin, Math.cos, Math.pow (and `**`)
 * "implementation-approximated": V8, SpiderMonkey and JavaScriptCore may differ in the last bit,
 * and one bit is enough to move a spike. These functions use only what the specification defines
 * exactly — IEEE-754 double +, −, ×, ÷ (round to nearest, no fused operations), Math.floor, and
 * integer operations on the two 32-bit words of a double — so every engine computes the same bits.
 * (Math.sqrt, Math.floor, Math.abs and the like are exact by the specification — sqrt correctly
 * rounded since ES2025, and by the hardware in every engine before — and stay as they are.)
 * Everything the engine computes (src/core, src/stream, src/session) takes its transcendentals
 * from here; tests/deterministic-math.test.ts fails when engine code calls a Math function the
 * specification leaves approximate.
 *
 * The algorithms are a line-by-line port of FreeBSD's msun (the fdlibm of Sun Microsystems, as in
 * lib/msun/src/e_exp.c, s_expm1.c, e_log.c, s_sin.c, s_cos.c, k_sin.c, k_cos.c, e_rem_pio2.c and
 * k_rem_pio2.c), which V8 also uses for its Math functions: error < 1 ulp, argument reduction
 * exact for every double (Payne–Hanek for the trigonometric functions beyond 2²⁰·π/2). Each
 * constant carries its intended bit pattern in a comment, as in fdlibm; tests check every one.
 * Nothing allocates: the words of a double go through module-level typed-array views.
 *
 * Written for speed as well: each function declares the constants it uses, as fdlibm's files do
 * (a local constant is an immediate for the compiler; read from the module scope it costs a load
 * and a check at each use, 1.5× on exp as measured). fdlibm's tests on the high word hx of |x| are
 * written as comparisons of |x| with the double whose words are (H, 0) — hx ≥ H ⇔ |x| ≥ that
 * double, hx ≤ H ⇔ |x| < the double of (H + 1, 0) — and its 2ᵏ built from words comes from a table:
 * a double built from written words makes the CPU wait for the stores (no store forwarding), which
 * doubled the cost of exp. Words are only read.
 *
 * The fdlibm sources carry this notice, preserved here as they ask:
 *   Copyright (C) 1993, 2004 by Sun Microsystems, Inc. All rights reserved.
 *   Developed at SunPro/SunSoft, a Sun Microsystems, Inc. business.
 *   Permission to use, copy, modify, and distribute this software is freely granted,
 *   provided that this notice is preserved.
 */

// The high word of a double, read through one 8-byte buffer (little- or big-endian, as the platform is).
const WORD_F64 = new Float64Array(1);
const WORD_U32 = new Uint32Array(WORD_F64.buffer);
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;

/** The high word (sign, exponent, 20 bits of mantissa) of x, as a signed 32-bit integer. */
function highWord(x: number): number {
  WORD_F64[0] = x;
  return WORD_U32[HIGH]! | 0;
}

/** POW2[k + 1074] = 2ᵏ for k = −1074 … 1023, every entry exact (doubling and halving are). */
const POW2 = new Float64Array(2098);
for (let k = 0, p = 1; k <= 1023; k++, p *= 2) POW2[k + 1074] = p;
for (let k = 0, p = 1; k >= -1074; k--, p /= 2) POW2[k + 1074] = p;

/** x·2ⁿ, exact unless it overflows or underflows (fdlibm's scalbn, for the n that occur here). */
function scalbn(x: number, n: number): number {
  const TWO_M1022 = 2.2250738585072014e-308; // 0x00100000 0x00000000: the smallest normal double
  let y = x;
  let k = n;
  while (k > 1023) {
    y *= POW2[1023 + 1074]!;
    k -= 1023;
  }
  while (k < -1022) {
    y *= TWO_M1022;
    k += 1022;
  }
  return y * POW2[k + 1074]!;
}

/**
 * eˣ (fdlibm e_exp.c). x = k·ln2 + r with |r| ≤ ln2/2 (r = hi − lo carried in two parts); e^r
 * from a degree-5 minimax rational form R(r²) (error < 2⁻⁵⁹); then scaled by 2ᵏ.
 */
export function exp(x: number): number {
  const ABOVE_HALF_LN2 = 0.3465735912322998; // 0x3fd62e43 0x00000000: hx > 0x3fd62e42, |x| > ln2/2
  const BELOW_1_5_LN2 = 1.0397205352783203; // 0x3ff0a2b2 0x00000000: hx < 0x3ff0a2b2, |x| < 1.5·ln2
  const TWO_M28 = 3.725290298461914e-9; // 0x3e300000 0x00000000
  const LN2_HI = 0.6931471803691238; // 0x3fe62e42 0xfee00000
  const LN2_LO = 1.9082149292705877e-10; // 0x3dea39ef 0x35793c76
  const INV_LN2 = 1.4426950408889634; // 0x3ff71547 0x652b82fe
  const EXP_OVERFLOW = 709.782712893384; // 0x40862e42 0xfefa39ef
  const EXP_UNDERFLOW = -745.1332191019411; // 0xc0874910 0xd52d3051
  const P1 = 0.16666666666666602; // 0x3fc55555 0x5555553e
  const P2 = -0.0027777777777015593; // 0xbf66c16c 0x16bebd93
  const P3 = 0.00006613756321437934; // 0x3f11566a 0xaf25de2c
  const P4 = -0.0000016533902205465252; // 0xbebbbd41 0xc5d26bf1
  const P5 = 4.1381367970572385e-8; // 0x3e663769 0x72bea4d0
  // Overflow, underflow, ±∞ and NaN (fdlibm tests |x| ≥ 709.78… first: the same outcomes).
  if (!(x >= EXP_UNDERFLOW && x <= EXP_OVERFLOW)) return x > 0 ? Infinity : x < 0 ? 0 : x;
  // As in openlibm and V8: the reduction gives 2.7182818284590455 for exp(1), within 1 ulp, but
  // the double nearest to e (Math.E) is preferred for so common an argument.
  if (x === 1) return 2.718281828459045; // 0x4005bf0a 0x8b145769
  const a = x < 0 ? -x : x;
  let hi = 0;
  let lo = 0;
  let k = 0;
  let r = x;
  if (a >= ABOVE_HALF_LN2) {
    // |x| > ln2/2
    if (a < BELOW_1_5_LN2) {
      // and |x| < 1.5·ln2
      k = x < 0 ? -1 : 1;
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    } else {
      k = (INV_LN2 * x + (x < 0 ? -0.5 : 0.5)) | 0;
      hi = x - k * LN2_HI; // k·LN2_HI is exact here
      lo = k * LN2_LO;
    }
    r = hi - lo;
  } else if (a < TWO_M28) {
    return 1 + x; // |x| < 2⁻²⁸
  }
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((r * c) / (c - 2) - r);
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  if (k === 1024) return y * 2 * POW2[1023 + 1074]!;
  // 2ᵏ·y; below 2⁻¹⁰²² as fdlibm does it, (2ᵏ⁺¹⁰⁰⁰·y)·2⁻¹⁰⁰⁰, to round once
  return k >= -1021 ? y * POW2[k + 1074]! : y * POW2[k + 1000 + 1074]! * POW2[-1000 + 1074]!;
}

/**
 * eˣ − 1, accurate near 0 (fdlibm s_expm1.c). Same reduction as exp, with the rounding error of
 * r = hi − lo carried as a correction c; expm1(r) from a degree-5 rational form (error < 2⁻⁶¹).
 */
export function expm1(x: number): number {
  const EXPM1_LARGE = 38.81622314453125; // 0x4043687a 0x00000000: hx ≥ 0x4043687a, |x| ≥ 56·ln2
  const ABOVE_HALF_LN2 = 0.3465735912322998; // 0x3fd62e43 0x00000000: hx > 0x3fd62e42, |x| > ln2/2
  const BELOW_1_5_LN2 = 1.0397205352783203; // 0x3ff0a2b2 0x00000000: hx < 0x3ff0a2b2, |x| < 1.5·ln2
  const TWO_M54 = 5.551115123125783e-17; // 0x3c900000 0x00000000
  const LN2_HI = 0.6931471803691238; // 0x3fe62e42 0xfee00000
  const LN2_LO = 1.9082149292705877e-10; // 0x3dea39ef 0x35793c76
  const INV_LN2 = 1.4426950408889634; // 0x3ff71547 0x652b82fe
  const EXP_OVERFLOW = 709.782712893384; // 0x40862e42 0xfefa39ef
  const EXPM1_Q1 = -0.03333333333333313; // 0xbfa11111 0x111110f4
  const EXPM1_Q2 = 0.0015873015872548146; // 0x3f5a01a0 0x19fe5585
  const EXPM1_Q3 = -0.0000793650757867488; // 0xbf14ce19 0x9eaadbb7
  const EXPM1_Q4 = 0.000004008217827329362; // 0x3ed0cfca 0x86e65239
  const EXPM1_Q5 = -2.0109921818362437e-7; // 0xbe8afdb7 0x6e09c32d
  const a = x < 0 ? -x : x;
  if (!(a < EXPM1_LARGE)) {
    // |x| ≥ 56·ln2, ±∞ or NaN
    if (x !== x) return x; // NaN
    if (x > EXP_OVERFLOW) return Infinity; // +∞ too
    if (x < 0) return -1; // x < −56·ln2 (−∞ too): e^x − 1 rounds to −1
  }
  let k = 0;
  let c = 0;
  let r = x;
  if (a >= ABOVE_HALF_LN2) {
    // |x| > ln2/2
    let hi: number;
    let lo: number;
    if (a < BELOW_1_5_LN2) {
      // and |x| < 1.5·ln2
      if (x > 0) {
        hi = x - LN2_HI;
        lo = LN2_LO;
        k = 1;
      } else {
        hi = x + LN2_HI;
        lo = -LN2_LO;
        k = -1;
      }
    } else {
      k = (INV_LN2 * x + (x < 0 ? -0.5 : 0.5)) | 0;
      hi = x - k * LN2_HI; // k·LN2_HI is exact here
      lo = k * LN2_LO;
    }
    r = hi - lo;
    c = hi - r - lo;
  } else if (a < TWO_M54) {
    // |x| < 2⁻⁵⁴: expm1(x) rounds to x
    return x;
  }
  const hfx = 0.5 * r;
  const hxs = r * hfx;
  const r1 = 1 + hxs * (EXPM1_Q1 + hxs * (EXPM1_Q2 + hxs * (EXPM1_Q3 + hxs * (EXPM1_Q4 + hxs * EXPM1_Q5))));
  const t = 3 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6 - r * t));
  if (k === 0) return r - (r * e - hxs); // c is 0
  e = r * (e - c) - c;
  e -= hxs;
  if (k === -1) return 0.5 * (r - e) - 0.5;
  if (k === 1) {
    if (r < -0.25) return -2 * (e - (r + 0.5));
    return 1 + 2 * (r - e);
  }
  if (k <= -2 || k > 56) {
    // exp(x) − 1 suffices
    const y = 1 - (e - r);
    return (k === 1024 ? y * 2 * POW2[1023 + 1074]! : y * POW2[k + 1074]!) - 1;
  }
  if (k < 20) return (1 - POW2[-k + 1074]! - (e - r)) * POW2[k + 1074]!; // 1 − 2⁻ᵏ is exact
  return (r - (e + POW2[-k + 1074]!) + 1) * POW2[k + 1074]!;
}

/**
 * Natural logarithm (fdlibm e_log.c). x = 2ᵏ·(1 + f) with √2/2 < 1 + f < √2; log(1 + f) from
 * s = f/(2 + f) and a degree-14 minimax polynomial in s (error < 2⁻⁵⁸·⁴⁵); plus k·ln2.
 */
export function log(x: number): number {
  const TWO_M1022 = 2.2250738585072014e-308; // 0x00100000 0x00000000: the smallest normal double
  if (x >= TWO_M1022 && x < Infinity) return logNormal(x, 0);
  return logOutside(x);
}

/** log for zero, subnormal, negative, infinite and NaN arguments (rare: kept out of log so that it inlines). */
function logOutside(x: number): number {
  const TWO_54 = 18014398509481984; // 0x43500000 0x00000000
  if (x === 0) return -Infinity; // log(±0)
  if (!(x > 0)) return NaN; // log(negative or NaN)
  if (x === Infinity) return x;
  return logNormal(x * TWO_54, -54); // a subnormal, scaled up
}

/** log(y) + k·ln2 for a normal, finite y > 0 (k: an exponent already taken out). */
function logNormal(y: number, k0: number): number {
  const LN2_HI = 0.6931471803691238; // 0x3fe62e42 0xfee00000
  const LN2_LO = 1.9082149292705877e-10; // 0x3dea39ef 0x35793c76
  const LG1 = 0.6666666666666735; // 0x3fe55555 0x55555593
  const LG2 = 0.3999999999940942; // 0x3fd99999 0x9997fa04
  const LG3 = 0.2857142874366239; // 0x3fd24924 0x94229359
  const LG4 = 0.22222198432149784; // 0x3fcc71c5 0x1d8e78af
  const LG5 = 0.1818357216161805; // 0x3fc74664 0x96cb03de
  const LG6 = 0.15313837699209373; // 0x3fc39a09 0xd078c69f
  const LG7 = 0.14798198605116586; // 0x3fc2f112 0xdf3e5244
  const word = highWord(y);
  const hx = word & 0x000fffff;
  // Halve the significand when it is ≥ √2 (about): fdlibm sets the exponent word to 0x3ff or 0x3fe.
  const e = (word >> 20) - 1023 + (((hx + 0x95f64) & 0x100000) >> 20);
  const k = k0 + e;
  const f = y * POW2[-e + 1074]! - 1;
  if ((0x000fffff & (2 + hx)) < 3) return logNearPowerOfTwo(f, k); // −2⁻²⁰ ≤ f < 2⁻²⁰
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const r = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7))) + w * (LG2 + w * (LG4 + w * LG6));
  if (((hx - 0x6147a) | (0x6b851 - hx)) > 0) {
    const hfsq = 0.5 * f * f;
    return k === 0 ? f - (hfsq - s * (hfsq + r)) : k * LN2_HI - (hfsq - (s * (hfsq + r) + k * LN2_LO) - f);
  }
  return k === 0 ? f - s * (f - r) : k * LN2_HI - (s * (f - r) - k * LN2_LO - f);
}

/** log((1 + f)·2ᵏ) for |f| < 2⁻²⁰, by log(1 + f) ≈ f − f²/2 + f³/3. */
function logNearPowerOfTwo(f: number, k: number): number {
  const LN2_HI = 0.6931471803691238; // 0x3fe62e42 0xfee00000
  const LN2_LO = 1.9082149292705877e-10; // 0x3dea39ef 0x35793c76
  const ONE_THIRD = 0.3333333333333333; // 0x3fd55555 0x55555555
  if (f === 0) return k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
  const r = f * f * (0.5 - ONE_THIRD * f);
  return k === 0 ? f - r : k * LN2_HI - (r - k * LN2_LO - f);
}

/** sin(x + y) for |x + y| ≲ π/4, y the tail of x (fdlibm k_sin.c; degree-13 polynomial, error < 2⁻⁵⁸). */
function kernelSin(x: number, y: number, hasTail: boolean): number {
  const SIN_S1 = -0.16666666666666632; // 0xbfc55555 0x55555549
  const SIN_S2 = 0.00833333333332249; // 0x3f811111 0x1110f8a6
  const SIN_S3 = -0.0001984126982985795; // 0xbf2a01a0 0x19c161d5
  const SIN_S4 = 0.0000027557313707070068; // 0x3ec71de3 0x57b1fe7d
  const SIN_S5 = -2.5050760253406863e-8; // 0xbe5ae5e6 0x8a2b9ceb
  const SIN_S6 = 1.58969099521155e-10; // 0x3de5d93a 0x5acfd57c
  const z = x * x;
  const w = z * z;
  const r = SIN_S2 + z * (SIN_S3 + z * SIN_S4) + z * w * (SIN_S5 + z * SIN_S6);
  const v = z * x;
  if (!hasTail) return x + v * (SIN_S1 + z * r);
  return x - (z * (0.5 * y - v * r) - y - v * SIN_S1);
}

/** cos(x + y) for |x + y| ≲ π/4, y the tail of x (fdlibm k_cos.c; degree-14 polynomial, error < 2⁻⁵⁸). */
function kernelCos(x: number, y: number): number {
  const COS_C1 = 0.0416666666666666; // 0x3fa55555 0x5555554c
  const COS_C2 = -0.001388888888887411; // 0xbf56c16c 0x16c15177
  const COS_C3 = 0.00002480158728947673; // 0x3efa01a0 0x19cb1590
  const COS_C4 = -2.7557314351390663e-7; // 0xbe927e4f 0x809c52ad
  const COS_C5 = 2.087572321298175e-9; // 0x3e21ee9e 0xbdb4b1c4
  const COS_C6 = -1.1359647557788195e-11; // 0xbda8fae9 0xbe8838d4
  const z = x * x;
  let w = z * z;
  const r = z * (COS_C1 + z * (COS_C2 + z * COS_C3)) + w * w * (COS_C4 + z * (COS_C5 + z * COS_C6));
  const hz = 0.5 * z;
  w = 1 - hz;
  return w + (1 - w - hz + (z * r - x * y));
}

/** sin x (fdlibm s_sin.c): x − n·π/2 reduced exactly, then the kernel of the quadrant n mod 4. */
export function sin(x: number): number {
  const TRIG_SMALL = 0.7853984832763672; // 0x3fe921fc 0x00000000: hx ≤ 0x3fe921fb, |x| ≲ π/4
  const TWO_M27 = 7.450580596923828e-9; // 0x3e400000 0x00000000
  const a = x < 0 ? -x : x;
  let n = 0;
  let head = x;
  let tail = 0;
  if (!(a < TRIG_SMALL)) {
    if (!(a < Infinity)) return x - x; // sin(±∞ or NaN) is NaN
    n = remPio2(x, a);
    head = REDUCED[0]!;
    tail = REDUCED[1]!;
  } else if (a < TWO_M27) return x; // keeps −0
  // Quadrants 0 … 3: sin, cos, −sin, −cos of the reduced argument (one call site per kernel, so both inline).
  const value = n & 1 ? kernelCos(head, tail) : kernelSin(head, tail, !(a < TRIG_SMALL));
  return n & 2 ? -value : value;
}

/** cos x (fdlibm s_cos.c): x − n·π/2 reduced exactly, then the kernel of the quadrant n mod 4. */
export function cos(x: number): number {
  const TRIG_SMALL = 0.7853984832763672; // 0x3fe921fc 0x00000000: hx ≤ 0x3fe921fb, |x| ≲ π/4
  const TWO_M27 = 7.450580596923828e-9; // 0x3e400000 0x00000000
  const a = x < 0 ? -x : x;
  let n = 0;
  let head = x;
  let tail = 0;
  if (!(a < TRIG_SMALL)) {
    if (!(a < Infinity)) return x - x; // cos(±∞ or NaN) is NaN
    n = remPio2(x, a);
    head = REDUCED[0]!;
    tail = REDUCED[1]!;
  } else if (a < TWO_M27) return 1;
  // Quadrants 0 … 3: cos, −sin, −cos, sin of the reduced argument.
  const value = n & 1 ? kernelSin(head, tail, true) : kernelCos(head, tail);
  return (n + 1) & 2 ? -value : value;
}

/** remPio2 writes x − n·π/2 here, as head and tail: [y0, y1]. */
const REDUCED = new Float64Array(2);

/**
 * x − n·π/2 into REDUCED (head and tail), returns n, for finite x with |x| = a > π/4 (fdlibm
 * e_rem_pio2.c, as optimised by Bruce D. Evans): for |x| ≲ 9π/4 one subtraction of n·π/2 in two
 * parts, up to 2²⁰·π/2 the medium case (π/2 in up to three 33-bit parts), beyond that Payne–Hanek.
 */
function remPio2(x: number, a: number): number {
  const REM_5PIO4 = 3.926992416381836; // 0x400f6a7b 0x00000000: hx ≤ 0x400f6a7a, |x| ≲ 5π/4
  const REM_3PIO4 = 2.3561954498291016; // 0x4002d97d 0x00000000: hx ≤ 0x4002d97c, |x| ≲ 3π/4
  const REM_9PIO4 = 7.0685882568359375; // 0x401c463c 0x00000000: hx ≤ 0x401c463b, |x| ≲ 9π/4
  const REM_7PIO4 = 5.497791290283203; // 0x4015fdbd 0x00000000: hx ≤ 0x4015fdbc, |x| ≲ 7π/4
  const REM_PIO2_LO = 1.570796012878418; // 0x3ff921fb 0x00000000: hx = 0x3ff921fb, |x| ≈ π/2 …
  const REM_PIO2_HI = 1.5707969665527344; // 0x3ff921fc 0x00000000
  const REM_2PIO2_LO = 3.141592025756836; // 0x400921fb 0x00000000: hx = 0x400921fb, |x| ≈ 2·π/2 …
  const REM_2PIO2_HI = 3.1415939331054688; // 0x400921fc 0x00000000
  const REM_3PIO2_LO = 4.7123870849609375; // 0x4012d97c 0x00000000: hx = 0x4012d97c, |x| ≈ 3·π/2 …
  const REM_3PIO2_HI = 4.712390899658203; // 0x4012d97d 0x00000000
  const REM_4PIO2_LO = 6.283184051513672; // 0x401921fb 0x00000000: hx = 0x401921fb, |x| ≈ 4·π/2 …
  const REM_4PIO2_HI = 6.2831878662109375; // 0x401921fc 0x00000000
  const REM_MEDIUM = 1647099; // 0x413921fb 0x00000000: hx < 0x413921fb, |x| ≲ 2²⁰·π/2
  // Near a multiple of π/2 the subtraction would cancel: those go to the medium case.
  if (a < REM_5PIO4) {
    if ((a >= REM_PIO2_LO && a < REM_PIO2_HI) || (a >= REM_2PIO2_LO && a < REM_2PIO2_HI)) return remPio2Medium(x);
    return reduceBy(x, a < REM_3PIO4 ? (x > 0 ? 1 : -1) : x > 0 ? 2 : -2);
  }
  if (a < REM_9PIO4) {
    if (a < REM_7PIO4) return a >= REM_3PIO2_LO && a < REM_3PIO2_HI ? remPio2Medium(x) : reduceBy(x, x > 0 ? 3 : -3);
    return a >= REM_4PIO2_LO && a < REM_4PIO2_HI ? remPio2Medium(x) : reduceBy(x, x > 0 ? 4 : -4);
  }
  return a < REM_MEDIUM ? remPio2Medium(x) : remPio2Large(x);
}

/** remPio2's medium case: n = rint(x·2/π), then x − n·π/2 with π/2 in as many 33-bit parts as needed. */
function remPio2Medium(x: number): number {
  const INV_PIO2 = 0.6366197723675814; // 0x3fe45f30 0x6dc9c883 (53 bits of 2/π)
  const PIO2_1 = 1.5707963267341256; // 0x3ff921fb 0x54400000 (first 33 bits of π/2)
  const PIO2_1T = 6.077100506506192e-11; // 0x3dd0b461 0x1a626331 (π/2 − PIO2_1)
  const PIO2_2 = 6.077100506303966e-11; // 0x3dd0b461 0x1a600000 (second 33 bits of π/2)
  const PIO2_2T = 2.0222662487959506e-21; // 0x3ba3198a 0x2e037073 (π/2 − (PIO2_1 + PIO2_2))
  const PIO2_3 = 2.0222662487111665e-21; // 0x3ba3198a 0x2e000000 (third 33 bits of π/2)
  const PIO2_3T = 8.4784276603689e-32; // 0x397b839a 0x252049c1 (π/2 − (PIO2_1 + PIO2_2 + PIO2_3))
  const ROUNDER = 6755399441055744; // 0x43380000 0x00000000: 1.5·2⁵², adding and subtracting it rounds to an integer
  const fn = x * INV_PIO2 + ROUNDER - ROUNDER;
  const n = fn | 0;
  let r = x - fn * PIO2_1;
  let w = fn * PIO2_1T; // first round, good to 85 bits
  const j = (highWord(x) >> 20) & 0x7ff;
  let y0 = r - w;
  if (j - ((highWord(y0) >> 20) & 0x7ff) > 16) {
    // second iteration, good to 118 bits
    let t = r;
    w = fn * PIO2_2;
    r = t - w;
    w = fn * PIO2_2T - (t - r - w);
    y0 = r - w;
    if (j - ((highWord(y0) >> 20) & 0x7ff) > 49) {
      // third iteration, 151 bits: covers every case
      t = r;
      w = fn * PIO2_3;
      r = t - w;
      w = fn * PIO2_3T - (t - r - w);
      y0 = r - w;
    }
  }
  REDUCED[0] = y0;
  REDUCED[1] = r - y0 - w;
  return n;
}

/** x − n·π/2 for n = ±1 … ±4, one round good to 85 bits (the small cases of remPio2). */
function reduceBy(x: number, n: number): number {
  const PIO2_1 = 1.5707963267341256; // 0x3ff921fb 0x54400000 (first 33 bits of π/2)
  const PIO2_1T = 6.077100506506192e-11; // 0x3dd0b461 0x1a626331 (π/2 − PIO2_1)
  const z = x - n * PIO2_1;
  const y0 = z - n * PIO2_1T;
  REDUCED[0] = y0;
  REDUCED[1] = z - y0 - n * PIO2_1T;
  return n;
}

/** Scratch of remPio2Large: x in three 24-bit parts, and the reduced value. */
const LARGE_X = new Float64Array(3);
const LARGE_Y = new Float64Array(2);

/** remPio2 for finite |x| ≥ 2²⁰·π/2: x split into 24-bit parts for kernelRemPio2. */
function remPio2Large(x: number): number {
  const TWO_24 = 16777216; // 0x41700000 0x00000000
  // z = scalbn(|x|, ilogb(x) − 23), in [2²³, 2²⁴)
  const e0 = ((highWord(x) >> 20) & 0x7ff) - 1046;
  let z = (x < 0 ? -x : x) * POW2[-e0 + 1074]!;
  for (let i = 0; i < 2; i++) {
    LARGE_X[i] = z | 0; // z < 2²⁴
    z = (z - LARGE_X[i]!) * TWO_24;
  }
  LARGE_X[2] = z;
  let nx = 3;
  while (LARGE_X[nx - 1] === 0) nx--; // skip zero terms
  const n = kernelRemPio2(LARGE_X, LARGE_Y, e0, nx);
  if (x < 0) {
    REDUCED[0] = -LARGE_Y[0]!;
    REDUCED[1] = -LARGE_Y[1]!;
    return -n;
  }
  REDUCED[0] = LARGE_Y[0]!;
  REDUCED[1] = LARGE_Y[1]!;
  return n;
}

/**
 * 2/π in 24-bit chunks: IPIO2[i] holds the bits 24·i … 24·i + 23 after the binary point
 * (396 hex digits; enough for any double's exponent).
 */
const IPIO2 = new Int32Array([
  0xa2f983, 0x6e4e44, 0x1529fc, 0x2757d1, 0xf534dd, 0xc0db62, 0x95993c, 0x439041, 0xfe5163, 0xabdebb, 0xc561b7, 0x246e3a, 0x424dd2, 0xe00649,
  0x2eea09, 0xd1921c, 0xfe1deb, 0x1cb129, 0xa73ee8, 0x8235f5, 0x2ebb44, 0x84e99c, 0x7026b4, 0x5f7e41, 0x3991d6, 0x398353, 0x39f49c, 0x845f8b,
  0xbdf928, 0x3b1ff8, 0x97ffde, 0x05980f, 0xef2f11, 0x8b5a0a, 0x6d1f6d, 0x367ecf, 0x27cb09, 0xb74f46, 0x3f669e, 0x5fea2d, 0x7527ba, 0xc7ebe5,
  0xf17b3d, 0x0739f7, 0x8a5292, 0xea6bfb, 0x5fb11f, 0x8d5d08, 0x560330, 0x46fc7b, 0x6babf0, 0xcfbc20, 0x9af436, 0x1da9e3, 0x91615e, 0xe61b08,
  0x659985, 0x5f14a0, 0x68408d, 0xffd880, 0x4d7327, 0x310606, 0x1556ca, 0x73a8c9, 0x60e27b, 0xc08c6b,
]);

/** π/2 in 24-bit chunks (as doubles), PIO2_CHUNKS[i] ≈ the bits 24·i … 24·i + 23 of π/2. */
const PIO2_CHUNKS = new Float64Array([
  1.570796251296997, // 0x3ff921fb 0x40000000
  7.549789415861596e-8, // 0x3e74442d 0x00000000
  5.390302529957765e-15, // 0x3cf84698 0x80000000
  3.282003415807913e-22, // 0x3b78cc51 0x60000000
  1.270655753080676e-29, // 0x39f01b83 0x80000000
  1.2293330898111133e-36, // 0x387a2520 0x40000000
  2.7337005381646456e-44, // 0x36e38222 0x80000000
  2.1674168387780482e-51, // 0x3569f31d 0x00000000
]);

// Scratch of kernelRemPio2 (fdlibm's local arrays of 20).
const REM_IQ = new Int32Array(20);
const REM_F = new Float64Array(20);
const REM_Q = new Float64Array(20);
const REM_FQ = new Float64Array(20);

/**
 * Payne–Hanek reduction (fdlibm k_rem_pio2.c, double precision: jk = 4): y = x − n·π/2 with
 * |y| ≤ π/4 for x = Σ xs[i]·2^(e0 − 24·i) ≥ 0 given in nx 24-bit parts; returns n mod 8, writes y
 * as head and tail. It multiplies x by just the bits of 2/π that matter: the product's integer
 * part mod 8 and 53+ bits of its fraction, recomputing with more bits when cancellation needs.
 */
function kernelRemPio2(xs: Float64Array, y: Float64Array, e0: number, nx: number): number {
  const TWO_24 = 16777216; // 0x41700000 0x00000000
  const TWO_M24 = 5.960464477539063e-8; // 0x3e700000 0x00000000
  const iq = REM_IQ;
  const f = REM_F;
  const q = REM_Q;
  const fq = REM_FQ;
  const jk = 4;
  const jp = jk;
  const jx = nx - 1;
  let jv = ((e0 - 3) / 24) | 0; // C's integer division truncates
  if (jv < 0) jv = 0;
  let q0 = e0 - 24 * (jv + 1);

  // f[0 … jx + jk], f[jx + jk] = IPIO2[jv + jk]
  let j = jv - jx;
  const m = jx + jk;
  for (let i = 0; i <= m; i++, j++) f[i] = j < 0 ? 0 : IPIO2[j]!;
  // q[0 … jk]
  for (let i = 0; i <= jk; i++) {
    let fw = 0;
    for (let jj = 0; jj <= jx; jj++) fw += xs[jj]! * f[jx + i - jj]!;
    q[i] = fw;
  }

  let jz = jk;
  let z: number;
  let n: number;
  let ih: number;
  for (;;) {
    // Distill q[] into iq[], in reverse.
    let i = 0;
    z = q[jz]!;
    for (let jj = jz; jj > 0; i++, jj--) {
      const fw = (TWO_M24 * z) | 0;
      iq[i] = (z - TWO_24 * fw) | 0;
      z = q[jj - 1]! + fw;
    }
    // n
    z = scalbn(z, q0);
    z -= 8 * Math.floor(z * 0.125); // trim off the integer ≥ 8
    n = z | 0;
    z -= n;
    ih = 0;
    if (q0 > 0) {
      // iq[jz − 1] holds part of n
      const bits = iq[jz - 1]! >> (24 - q0);
      n += bits;
      iq[jz - 1] = iq[jz - 1]! - (bits << (24 - q0));
      ih = iq[jz - 1]! >> (23 - q0);
    } else if (q0 === 0) ih = iq[jz - 1]! >> 23;
    else if (z >= 0.5) ih = 2;

    if (ih > 0) {
      // q > 0.5: take 1 − q
      n += 1;
      let carry = 0;
      for (let k = 0; k < jz; k++) {
        const word = iq[k]!;
        if (carry === 0) {
          if (word !== 0) {
            carry = 1;
            iq[k] = 0x1000000 - word;
          }
        } else iq[k] = 0xffffff - word;
      }
      if (q0 > 0) {
        // rare case: 1 in 12
        if (q0 === 1) iq[jz - 1] = iq[jz - 1]! & 0x7fffff;
        else if (q0 === 2) iq[jz - 1] = iq[jz - 1]! & 0x3fffff;
      }
      if (ih === 2) {
        z = 1 - z;
        if (carry !== 0) z -= scalbn(1, q0);
      }
    }

    // Recompute with more terms when the fraction cancelled to zero.
    if (z === 0) {
      let any = 0;
      for (let k = jz - 1; k >= jk; k--) any |= iq[k]!;
      if (any === 0) {
        let k = 1;
        while (iq[jk - k] === 0) k++; // k = number of terms needed
        for (let ii = jz + 1; ii <= jz + k; ii++) {
          f[jx + ii] = IPIO2[jv + ii]!;
          let fw = 0;
          for (let jj = 0; jj <= jx; jj++) fw += xs[jj]! * f[jx + ii - jj]!;
          q[ii] = fw;
        }
        jz += k;
        continue;
      }
    }
    break;
  }

  // Chop off zero terms, or break z into 24-bit parts.
  if (z === 0) {
    jz -= 1;
    q0 -= 24;
    while (iq[jz] === 0) {
      jz--;
      q0 -= 24;
    }
  } else {
    z = scalbn(z, -q0);
    if (z >= TWO_24) {
      const fw = (TWO_M24 * z) | 0;
      iq[jz] = (z - TWO_24 * fw) | 0;
      jz += 1;
      q0 += 24;
      iq[jz] = fw;
    } else iq[jz] = z | 0;
  }

  // The 24-bit integer chunks back to floating point.
  let fw = scalbn(1, q0);
  for (let i = jz; i >= 0; i--) {
    q[i] = fw * iq[i]!;
    fw *= TWO_M24;
  }
  // fq = PIO2_CHUNKS[0 … jp] · q[jz … 0]
  for (let i = jz; i >= 0; i--) {
    fw = 0;
    for (let k = 0; k <= jp && k <= jz - i; k++) fw += PIO2_CHUNKS[k]! * q[i + k]!;
    fq[jz - i] = fw;
  }
  // Compress fq[] into y[0] + y[1].
  fw = 0;
  for (let i = jz; i >= 0; i--) fw += fq[i]!;
  y[0] = ih === 0 ? fw : -fw;
  fw = fq[0]! - fw;
  for (let i = 1; i <= jz; i++) fw += fq[i]!;
  y[1] = ih === 0 ? fw : -fw;
  return n & 7;
}
