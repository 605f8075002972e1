#!/usr/bin/env bash
# Independent reference for src/core/numerics/deterministic-math.ts: the bit patterns of exp,
# expm1, log, sin and cos for fixed inputs, computed by openlibm (JuliaMath's packaging of
# FreeBSD's msun, the fdlibm code our module ports) compiled with the system C compiler.
#
# Writes tests/reference/deterministic-math.json: per function, [input, output] pairs as 16 hex
# digits of the double's bits ("nan" for a NaN result, whose bits JavaScript does not keep).
# The inputs: the edge cases (±0, subnormals, ±Inf, NaN, the overflow and underflow thresholds
# and their neighbours, multiples of ln2 and of π/2 and their neighbours, huge arguments) and a
# fixed pseudo-random sample over several ranges and over all bit patterns.
#
# Run: bash tools/deterministic_math_reference.sh   (needs git, make and a C compiler; set
# OPENLIBM_DIR to an openlibm checkout to skip the clone)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
COMMIT=82e90aef0657289192efe77be89791c07dea0775
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

if [ -n "${OPENLIBM_DIR:-}" ]; then
  git -C "$OPENLIBM_DIR" archive "$COMMIT" | tar -x -C "$WORK"
else
  git clone --quiet https://github.com/JuliaMath/openlibm.git "$WORK/clone"
  git -C "$WORK/clone" archive "$COMMIT" | tar -x -C "$WORK"
fi
make -C "$WORK" -j2 libopenlibm.a >/dev/null

cat >"$WORK/reference.c" <<'C'
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "openlibm_math.h"

static uint64_t state = 0x9e3779b97f4a7c15ULL;
static uint64_t next(void) { /* xorshift64* */
  state ^= state >> 12; state ^= state << 25; state ^= state >> 27;
  return state * 0x2545f4914f6cdd1dULL;
}
static double uniform(void) { return (double)(next() >> 11) * 0x1p-53; }
static double fromBits(uint64_t b) { double x; memcpy(&x, &b, 8); return x; }
static uint64_t bits(double x) { uint64_t b; memcpy(&b, &x, 8); return b; }
static double up(double x, int n) { return fromBits(bits(x) + (uint64_t)n); } /* n ulps away from 0 */

typedef double (*fn)(double);
static int first = 1;
static void emit(const char *name, fn f, const double *xs, int n) {
  printf("%s    \"%s\": [\n", first ? "" : ",\n", name);
  first = 0;
  for (int i = 0; i < n; i++) {
    double y = f(xs[i]);
    if (y != y) printf("      [\"%016llx\", \"nan\"]", (unsigned long long)bits(xs[i]));
    else printf("      [\"%016llx\", \"%016llx\"]", (unsigned long long)bits(xs[i]), (unsigned long long)bits(y));
    printf(i + 1 < n ? ",\n" : "\n");
  }
  printf("    ]");
}

#define MAX 2000
static double xs[MAX];
static int n;
static void add(double x) { if (n < MAX) xs[n++] = x; }
static void addSigned(double x) { add(x); add(-x); }
static void common(void) {
  n = 0;
  add(0.0); add(-0.0); add(1.0 / 0.0); add(-1.0 / 0.0); add(0.0 / 0.0);
  addSigned(0x1p-1074); addSigned(0x0.fffffffffffffp-1022); addSigned(0x1p-1022); addSigned(0x1.fffffffffffffp1023);
  addSigned(1.0); addSigned(0.5); addSigned(2.0); addSigned(10.0); addSigned(0x1p-28); addSigned(0x1p-54); addSigned(1e-300);
}
static void samples(double lo, double hi, int count) { for (int i = 0; i < count; i++) add(lo + (hi - lo) * uniform()); }
static void anyBits(int count) { for (int i = 0; i < count; i++) add(fromBits(next())); }

int main(void) {
  printf("{\n  \"generatedBy\": \"tools/deterministic_math_reference.sh\",\n");
  printf("  \"reference\": \"openlibm %s (FreeBSD msun), compiled with the system C compiler\",\n", COMMIT);
  printf("  \"format\": \"per function: [input, output] as the 16 hex digits of each double's bits; nan for a NaN result\",\n");
  first = 1;
  printf("  \"functions\": {\n");

  /* exp and expm1: thresholds, multiples of ln2, the reduction's boundaries. */
  for (int which = 0; which < 2; which++) {
    common();
    double thresholds[] = { 709.782712893383973096, -745.13321910194110842, 56 * 0.6931471805599453, -56 * 0.6931471805599453, 0.5 * 0.6931471805599453, 1.5 * 0.6931471805599453, -708.3964185322641, 1e-5, -1e-5 };
    for (unsigned t = 0; t < sizeof thresholds / sizeof *thresholds; t++) for (int d = -2; d <= 2; d++) add(up(thresholds[t], d));
    for (int k = -1074; k <= 1024; k += 37) for (int d = -1; d <= 1; d++) add(up(k * 0.6931471805599453, d));
    samples(-750, 750, 150); samples(-2, 2, 100); samples(-1e-6, 1e-6, 30); anyBits(60);
    emit(which == 0 ? "exp" : "expm1", which == 0 ? exp : expm1, xs, n);
  }

  /* log: powers of two, near 1, subnormals, negative numbers. */
  common();
  for (int k = -1074; k <= 1023; k += 23) { add(ldexp(1.0, k)); add(up(ldexp(1.0, k), 1)); add(up(ldexp(1.0, k), -1)); }
  for (int d = -3; d <= 3; d++) add(up(1.0, d));
  samples(0.5, 2, 100); samples(0.999, 1.001, 50); samples(0, 1e-310, 30); samples(0, 1e10, 100); anyBits(80);
  emit("log", log, xs, n);

  /* sin and cos: multiples of π/2 (where the reduction cancels), the reduction's boundaries, huge arguments. */
  for (int which = 0; which < 2; which++) {
    common();
    for (int k = -40; k <= 40; k++) for (int d = -1; d <= 1; d++) add(up(k * 1.5707963267948966, d));
    double bounds[] = { 0.7853981633974483, 2.356194490192345, 3.9269908169872414, 5.497787143782138, 7.0685834705770345, 1647099.3291652855, 1e6, 1e22, 1e300, 0x1p1023 };
    for (unsigned t = 0; t < sizeof bounds / sizeof *bounds; t++) for (int d = -2; d <= 2; d++) { add(up(bounds[t], d)); add(-up(bounds[t], d)); }
    add(6381956970095103.0 * 0x1p797); /* the double closest to a multiple of π/2 (Kahan, McDonald) */
    samples(-7, 7, 120); samples(-1e6, 1e6, 50); samples(-1e15, 1e15, 30); anyBits(100);
    emit(which == 0 ? "sin" : "cos", which == 0 ? sin : cos, xs, n);
  }
  printf("\n  }\n}\n");
  return 0;
}
C
cc -O2 -DCOMMIT="\"$COMMIT\"" -I"$WORK/include" -I"$WORK/src" "$WORK/reference.c" "$WORK/libopenlibm.a" -o "$WORK/reference"
"$WORK/reference" >"$ROOT/tests/reference/deterministic-math.json"
echo "wrote tests/reference/deterministic-math.json" >&2
