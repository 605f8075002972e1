/**
 * The 20 firing patterns (A)–(T) of Izhikevich 2004 (IEEE TNN 15:1063, fig. 1), as the seed
 * notebook's program 4 sets them up: parameters, initial state, dt, duration and stimulus.
 *
 * Each preset reproduces the seed's run exactly (tests/izhikevich.test.ts checks every spike
 * against tools/izhikevich_seed.py):
 *  - u0 = b·v0, computed here as the seed computes it, unless the seed gives u0 ((R));
 *  - the seed samples t = 0, dt, …, T (np.arange(0, T+dt, dt), T/dt + 1 samples) and step k
 *    uses the stimulus at t = k·dt, so durationMs = T + dt gives the same number of steps;
 *  - the stimuli are sums of sources with open windows (startMs < t < stopMs) whose value at
 *    t = k·dt equals the seed's stim[k] bit for bit, e.g. (S) "80 if t < 50 or t > 250, else
 *    75" is 75 + (5 for t < 50) + (5 for t > 250).
 */
import type { IzhikevichParamName } from '../models/izhikevich.ts';
import type { DeterministicSource } from '../stimulus.ts';

export type IzhikevichPresetId = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M' | 'N' | 'O' | 'P' | 'Q' | 'R' | 'S' | 'T';

export interface IzhikevichPreset {
  readonly id: IzhikevichPresetId;
  /** Letter and name of the pattern, e.g. '(A) tonic spiking'. */
  readonly label: string;
  /** Values that differ from the schema defaults (always a, b, c, d, v0, u0). */
  readonly params: Partial<Record<IzhikevichParamName, number>>;
  readonly dtMs: number;
  readonly durationMs: number;
  readonly stimulus: DeterministicSource[];
}

interface Recipe {
  a: number;
  b: number;
  c: number;
  d: number;
  v0: number;
  /** When absent, b·v0. */
  u0?: number;
  /** The seed's duration T (ms); it samples t = 0 … T inclusive. */
  T: number;
  dtMs?: number;
  /** Constants that differ from the paper's (k1, k0, uVOffset, uLeak). */
  constants?: Partial<Record<IzhikevichParamName, number>>;
  stimulus: DeterministicSource[];
}

function preset(id: IzhikevichPresetId, name: string, recipe: Recipe): IzhikevichPreset {
  const { a, b, c, d, v0, T, dtMs = 0.25, constants = {}, stimulus } = recipe;
  const u0 = recipe.u0 ?? b * v0;
  return { id, label: `(${id}) ${name}`, params: { a, b, c, d, v0, u0, ...constants }, dtMs, durationMs: T + dtMs, stimulus };
}

/** A constant `amplitude` for startMs < t < stopMs (either bound may be left open). */
function dc(amplitude: number, startMs?: number, stopMs?: number): DeterministicSource {
  const source: DeterministicSource = { kind: 'dc', amplitude };
  if (startMs !== undefined) source.startMs = startMs;
  if (stopMs !== undefined) source.stopMs = stopMs;
  return source;
}

/** The seed's 4.1·v + 108 in place of 5·v + 140 ((G), (L)). */
const CLASS_1 = { k1: 4.1, k0: 108 };
/** The seed's (L) pulse times, computed as it computes them. */
const L_START = 100 / 11;

export const izhikevichPresets: readonly IzhikevichPreset[] = [
  preset('A', 'tonic spiking', { a: 0.02, b: 0.2, c: -65, d: 6, v0: -70, T: 100, stimulus: [dc(14, 10)] }),
  preset('B', 'phasic spiking', { a: 0.02, b: 0.25, c: -65, d: 6, v0: -64, T: 200, stimulus: [dc(0.5, 20)] }),
  preset('C', 'tonic bursting', { a: 0.02, b: 0.2, c: -50, d: 2, v0: -70, T: 220, stimulus: [dc(15, 22)] }),
  preset('D', 'phasic bursting', { a: 0.02, b: 0.25, c: -55, d: 0.05, v0: -64, T: 200, dtMs: 0.2, stimulus: [dc(0.6, 20)] }),
  preset('E', 'mixed mode', { a: 0.02, b: 0.2, c: -55, d: 4, v0: -70, T: 160, stimulus: [dc(10, 16)] }),
  preset('F', 'spike frequency adaptation', { a: 0.01, b: 0.2, c: -65, d: 8, v0: -70, T: 85, stimulus: [dc(35, 8)] }),
  // 0.075·(t − 30) for t > 30.
  preset('G', 'class 1 excitable', {
    a: 0.02, b: -0.1, c: -55, d: 6, v0: -60, T: 300, constants: CLASS_1,
    stimulus: [{ kind: 'ramp', amplitude: 0.075, rampMs: 1, startMs: 30 }],
  }),
  // −0.5 + 0.015·(t − 30) for t > 30, −0.5 before.
  preset('H', 'class 2 excitable', {
    a: 0.2, b: 0.26, c: -65, d: 0, v0: -64, T: 300,
    stimulus: [dc(-0.5), { kind: 'ramp', amplitude: 0.015, rampMs: 1, startMs: 30 }],
  }),
  preset('I', 'spike latency', { a: 0.02, b: 0.2, c: -65, d: 6, v0: -70, T: 100, dtMs: 0.2, stimulus: [dc(7.04, 10, 13)] }),
  preset('J', 'subthreshold oscillations', { a: 0.05, b: 0.26, c: -60, d: 0, v0: -62, T: 200, stimulus: [dc(2, 20, 25)] }),
  preset('K', 'resonator', {
    a: 0.1, b: 0.26, c: -60, d: -1, v0: -62, T: 400,
    stimulus: [dc(0.65, 40, 44), dc(0.65, 60, 64), dc(0.65, 260, 264), dc(0.65, 300, 304)],
  }),
  preset('L', 'integrator', {
    a: 0.02, b: -0.1, c: -55, d: 6, v0: -60, T: 100, constants: CLASS_1,
    stimulus: [dc(9, L_START, L_START + 2), dc(9, L_START + 5, L_START + 7), dc(9, 60, 62), dc(9, 70, 72)],
  }),
  preset('M', 'rebound spike', { a: 0.03, b: 0.25, c: -60, d: 4, v0: -64, T: 200, dtMs: 0.2, stimulus: [dc(-15, 20, 25)] }),
  preset('N', 'rebound burst', { a: 0.03, b: 0.25, c: -52, d: 0, v0: -64, T: 200, dtMs: 0.2, stimulus: [dc(-15, 20, 25)] }),
  preset('O', 'threshold variability', {
    a: 0.03, b: 0.25, c: -60, d: 4, v0: -64, T: 100,
    stimulus: [dc(1, 10, 15), dc(1, 80, 85), dc(-6, 70, 75)],
  }),
  // 1.24 in two windows, 0.24 elsewhere: 0.24 + 1 is 1.24 exactly in doubles.
  preset('P', 'bistability', {
    a: 0.1, b: 0.26, c: -60, d: 0, v0: -61, T: 300,
    stimulus: [dc(0.24), dc(1, 300 / 8, 300 / 8 + 5), dc(1, 216, 221)],
  }),
  // The seed's |t − 10| < 1, i.e. 9 < t < 11 (t − 10 is exact near there).
  preset('Q', 'depolarizing after-potential', { a: 1, b: 0.2, c: -60, d: -21, v0: -70, T: 50, dtMs: 0.1, stimulus: [dc(20, 9, 11)] }),
  // u' = a·b·(v + 65); t/25 for t < 200, then (t − 300)/12.5·4 for 300 ≤ t < 312.5 (0 at t = 300 either way).
  preset('R', 'accommodation', {
    a: 0.02, b: 1, c: -55, d: 4, v0: -65, u0: -16, T: 400, dtMs: 0.5, constants: { uVOffset: -65, uLeak: 0 },
    stimulus: [
      { kind: 'ramp', amplitude: 1, rampMs: 25, stopMs: 200 },
      { kind: 'ramp', amplitude: 4, rampMs: 12.5, startMs: 300, stopMs: 312.5 },
    ],
  }),
  // 80 for t < 50 and t > 250, 75 between.
  preset('S', 'inhibition-induced spiking', { a: -0.02, b: -1, c: -60, d: 8, v0: -63.8, T: 350, dtMs: 0.5, stimulus: [dc(75), dc(5, undefined, 50), dc(5, 250)] }),
  preset('T', 'inhibition-induced bursting', { a: -0.026, b: -1, c: -45, d: -2, v0: -63.8, T: 350, dtMs: 0.5, stimulus: [dc(75), dc(5, undefined, 50), dc(5, 250)] }),
];
