/**
 * The network of Izhikevich (2003): N simple-model neurons, 80 % excitatory and 20 % inhibitory,
 * driven by random thalamic input and coupled by instantaneous synapses.
 *
 *   v' = 0.04v² + 5v + 140 − u + I,   u' = a(bv − u),   v ≥ 30 mV → spike; v ← c, u ← u + d
 *   I_i = sigma_i·z_i + I_ext,i        z_i ~ N(0, 1), redrawn every thalamicHoldMs (1 ms)
 *   a spike of neuron j moves v_i of each of its targets i by W_ij (in the next step's update)
 *
 * Neuron i draws one r_i ~ U(0, 1):
 *   excitatory (i < Ne = round(excitatoryFraction·N)): a = 0.02, b = 0.2, c = −65 + 15r², d = 8 − 6r²
 *   inhibitory (i ≥ Ne): a = 0.02 + 0.08r, b = 0.25 − 0.05r, c = −65, d = 2
 *   v0 = −65 mV, u0 = b·v0; sigma = thalamicExcitatory (5) or thalamicInhibitory (2).
 * Weights: W_ij = weightExcitatory·U(0, 1) (0.5·rand) for an excitatory j, −weightInhibitory·U(0, 1)
 * (−rand) for an inhibitory j.
 * Connectivity (choice `connectivity`):
 *   'dense'  — every neuron drives every neuron, itself included: the paper's N×N matrix S
 *              (N ≤ 10 000: N² weights in one Float64Array, row j = the targets of neuron j);
 *   'sparse' — each neuron receives synapses from exactly fanIn (K = 100) presynaptic neurons,
 *              drawn uniformly without replacement among the N − 1 others (no self-connection,
 *              no double synapse); held as compressed rows by presynaptic neuron (offsets, then
 *              8-byte records target + Float32 weight, targets ascending within a row).
 *
 * Reference: E. M. Izhikevich, "Simple model of spiking neurons", IEEE Trans. Neural Networks
 * 14(6):1569–1572 (2003), its MATLAB program and Fig. 3 (1000 neurons, alpha and gamma rhythms).
 *
 * Where the paper is silent or differs, the choices made here (also in docs/izhikevich-2003.md):
 *  1. Time step (choice `stepping`). The paper steps 1 ms: v by two half steps of 0.5 ms ("for
 *     numerical stability") with one input, then u by one 1 ms step from the new v.
 *     'euler' (the default): everything steps dt (0.5 ms) by forward Euler, v first, then u from
 *     the NEW v — the paper's order (and izhikevich.ts's):
 *       v ← v + dt·(0.04v² + 5v + 140 − u + I) + Σw,   u ← u + dt·a·(b·v_new − u).
 *     At dt = 0.5 ms v is stepped as in the paper; u is stepped twice as often, so the paper's
 *     overshoot (a v of several hundred mV feeding u for a whole 1 ms step) is smaller: neurons
 *     adapt less after a spike and the 1000-neuron network fires at 7.9 Hz, against 7.1 Hz for the
 *     paper's program; a fine step (0.025 ms) gives 8.4 Hz, so 0.5 ms is the closer of the two.
 *     'paper' (dt = 1 ms only): the paper's program exactly, its arithmetic included — see
 *     integratePaper. Scene izhikevich-2003/paper; the statistics of both against the
 *     program's are in docs/izhikevich-2003.md.
 *  2. Threshold v ≥ 30 (the paper's `v>=30`), tested on v at the end of a step; the spike's time
 *     is the end of that step. The reset (v ← c, u ← u + d, with u already updated from the
 *     overshooting v, as in the paper) happens at once: the paper resets at the start of its next
 *     step, before integrating, which is the same thing (nothing reads v in between; its raster
 *     labels the spike with that next step, 1 ms later than the time here).
 *  3. Synapses. The paper adds the summed weights of the neurons that fired to the input I of its
 *     next 1 ms step, which moves v by ≈ Σw. Here a spike in step k adds its weights to the
 *     synaptic input Σw of its targets, delivered in step k+1's update as a jump of Σw mV beside
 *     the Euler increment (a current Σw/dt held for that one step): the same displacement as the
 *     paper's whatever dt is, and no delay beyond the step. Adding Σw straight into v at the end of
 *     step k (so that step k+1 evaluates 0.04v² + 5v at the kicked v) is NOT the same: a large
 *     synchronous volley then puts v past 30 at once and, in ~1 run in 6 of the 1000 network, locks
 *     it into firing every step at 60–180 Hz, which the paper's program never does. The reset
 *     neuron keeps the input it receives (the paper adds S(:,fired) after v(fired) = c(fired)).
 *     Spikes are propagated in ascending neuron order.
 *  4. Thalamic input. z is redrawn before the first step and then every H = max(1,
 *     round(thalamicHoldMs/dt)) steps (every 1 ms = 2 steps by default: the paper draws once per
 *     1 ms step), and held in between; the count of steps left is part of the state, so a restart
 *     or a restored snapshot holds and redraws as the original run did. A new thalamicHoldMs
 *     applies from the next redraw. sigma multiplies z at each step, so a new sigma applies at
 *     once. The scene's input (stimulus, hand pulses) adds to sigma·z.
 *  5. Normal deviates come from Random.fillNormalFast (a 65 536-entry table of normal bin means
 *     with exact tails beyond ±4.17; its quality is described in random.ts), not from randn.
 *  6. Self-connections: dense keeps them (the paper's S has a diagonal); sparse has none.
 *  7. Random numbers, all from the scene seed. The structure comes from Random(seed): r_i in
 *     neuron order; then the weights — dense in the order pre j = 0…N−1, post i = 0…N−1 (MATLAB's
 *     column order of rand(N, Ne)), sparse by drawing each post's presynaptic set (Floyd's
 *     sampling) and then the weights in row order. The thalamic noise comes from Random(seed)
 *     jumped by 2^64 draws, so a change of structure never changes the noise and vice versa.
 *  8. Changing excitatoryFraction (or fanIn, when sparse) while running rebuilds the structure
 *     from the seed (a, b, c, d and the weights; v, u and the noise go on); weightExcitatory and
 *     weightInhibitory scale the stored U(0, 1) weights at each spike, so they apply at once.
 *
 * Speed (one thread; see the notes at the loops): the per-step arrays live in one Float64Array,
 * the excitatory neurons share a and b so their loop reads neither, the Euler step is arranged
 * for a short dependency chain, the loops call nothing, and sparse rows are walked four at a time.
 * Nothing is allocated per step. A non-finite v or u stops the run with a DivergenceError naming
 * the neuron and the step.
 */
import type { Kernel, KernelConfig, KernelState, ModelDefinition, SpikeBuffer } from '../kernel.ts';
import { assignState, copyState, DivergenceError } from '../kernel.ts';
import { Random } from '../random.ts';
import { InputError, type ChoiceSpec, type ParamSchema, type ParamValues } from '../schema.ts';

export const izhikevich2003Params = [
  { name: 'excitatoryFraction', unit: '', default: 0.8, min: 0, max: 1, doc: 'fraction of excitatory neurons: neurons 0 … round(fraction·N) − 1, the rest inhibitory' },
  { name: 'thalamicExcitatory', unit: 'mV/ms', default: 5, min: 0, max: 1000, doc: 'standard deviation of the thalamic input to excitatory neurons (5·randn)' },
  { name: 'thalamicInhibitory', unit: 'mV/ms', default: 2, min: 0, max: 1000, doc: 'standard deviation of the thalamic input to inhibitory neurons (2·randn)' },
  { name: 'thalamicHoldMs', unit: 'ms', default: 1, min: 0.0001, max: 1000, doc: 'the thalamic input is redrawn every thalamicHoldMs (whole steps, at least one) and held in between' },
  { name: 'weightExcitatory', unit: 'mV', default: 0.5, min: 0, max: 100, doc: 'a synapse from an excitatory neuron weighs weightExcitatory·U(0,1): the jump of postsynaptic v' },
  { name: 'weightInhibitory', unit: 'mV', default: 1, min: 0, max: 100, doc: 'a synapse from an inhibitory neuron weighs −weightInhibitory·U(0,1)' },
  { name: 'fanIn', unit: '', default: 100, min: 0, max: 100_000, integer: true, doc: "connectivity 'sparse': presynaptic neurons per neuron, distinct and never itself (at most N − 1)" },
] as const satisfies ParamSchema;
export type Izhikevich2003Params = ParamValues<typeof izhikevich2003Params>;
type ParamName = keyof Izhikevich2003Params;

export type Izhikevich2003Connectivity = 'dense' | 'sparse';
export const izhikevich2003Connectivity: ChoiceSpec<Izhikevich2003Connectivity> = {
  name: 'connectivity',
  choices: ['dense', 'sparse'],
  default: 'dense',
  doc: "'dense': all-to-all with self-connections, the paper's (N ≤ 10 000); 'sparse': fixed fan-in of fanIn random presynaptic neurons",
};

export type Izhikevich2003Stepping = 'euler' | 'paper';
export const izhikevich2003Stepping: ChoiceSpec<Izhikevich2003Stepping> = {
  name: 'stepping',
  choices: ['euler', 'paper'],
  default: 'euler',
  doc: "'euler': v, then u, by one forward-Euler step of dtMs each, threshold every step; 'paper': the paper's MATLAB program, dtMs = 1 only: v by two 0.5 ms half-steps with one input, u by one 1 ms step, threshold once per ms",
};
/** The one time step of stepping 'paper': the paper's program steps 1 ms. */
export const PAPER_DT_MS = 1;

export const IZHIKEVICH_2003_PROBES = [
  { name: 'v', unit: 'mV', doc: 'membrane potential (spike steps show 30 mV; includes the synaptic kicks of the step)' },
  { name: 'u', unit: 'mV', doc: 'recovery variable (after the reset on spike steps)' },
] as const;

/** The paper's constants. */
export const V_PEAK = 30;
export const V0 = -65;
const EXCITATORY_A = 0.02;
const EXCITATORY_B = 0.2;
/** Largest dense network: its N² weights take 8·N² bytes (800 MB at 10 000). */
export const MAX_DENSE_NEURONS = 10_000;
const MAX_SYNAPSES = 0x7fffffff;
/** The sections of Izhikevich2003Kernel.perNeuron, in order. */
const [V, U, Z, I_EXT, SYN, A, B, C, D, SECTIONS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] as const;

/**
 * A uniform integer in [0, n) for 0 < n ≤ 2^21, without bias (Lemire's multiply-shift with rejection):
 * x·n for a 32-bit x is exact in a double, its high 32 bits are the result, and the rare x whose low
 * part falls below 2^32 mod n are redrawn.
 */
function below(random: Random, n: number): number {
  for (;;) {
    const product = random.nextUint32() * n;
    const high = Math.floor(product / 4294967296);
    const low = product - high * 4294967296;
    if (low >= n || low >= 4294967296 % n) return high;
  }
}

export function holdSteps(holdMs: number, dtMs: number): number {
  return Math.max(1, Math.round(holdMs / dtMs));
}

export class Izhikevich2003Kernel implements Kernel {
  readonly size: number;
  readonly dtMs: number;
  readonly connectivity: Izhikevich2003Connectivity;
  readonly stepping: Izhikevich2003Stepping;
  private readonly seed: number;
  private readonly params: Izhikevich2003Params;
  private holdSteps: number;

  /**
   * Every per-neuron quantity, in one Float64Array of nine sections of N:
   *   v | u | z | I_ext | Σw | a | b | c | d
   * (a struct of arrays in one buffer), with a view of each section: `v`, `u`, `thalamic`,
   * `inputCurrent`, `synaptic`, `a`, `b`, `c`, `d`. The hot loops index the one array: V8 re-checks
   * each typed array a loop touches on every access, and one array instead of five made the
   * excitatory loop 10–15 % faster.
   */
  private readonly perNeuron: Float64Array;
  readonly v: Float64Array;
  readonly u: Float64Array;
  /** Standard normal deviates z of the thalamic input, held between redraws. */
  readonly thalamic: Float64Array;
  readonly inputCurrent: Float64Array;
  /** Σw of the spikes of the last step, delivered in the next step's update (header, point 3). */
  readonly synaptic: Float64Array;
  // Structure, drawn from the seed (rebuilt when excitatoryFraction or, if sparse, fanIn changes).
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly c: Float64Array;
  readonly d: Float64Array;
  /** Neurons 0 … excitatory−1 are excitatory, the rest inhibitory. */
  excitatory = 0;
  /** Dense: the U(0,1) weight of pre j → post i is at j·N + i (empty when sparse). */
  denseWeights: Float64Array = new Float64Array(0);
  /** Sparse: the synapses of presynaptic neuron j are records offsets[j] … offsets[j+1]−1. */
  offsets: Int32Array = new Int32Array(1);
  /**
   * Sparse: synapse record k is 8 bytes, its target at synapseTarget[2k] and its U(0,1) weight at
   * synapseWeight[2k+1] (two views of one buffer), so a presynaptic neuron's synapses are one
   * contiguous run of memory. Targets are in ascending order within a row.
   */
  synapseTarget: Int32Array = new Int32Array(0);
  synapseWeight: Float32Array = new Float32Array(0);

  /** The last step in which each neuron fired (−1: never), for the v probe. */
  private readonly spikeStep: Int32Array;
  private lastStep = -1;
  /** Steps the current thalamic deviates still hold for; 0: redraw before the next step. */
  private holdLeft = 0;
  /** Neurons that crossed the threshold in the current step (written by the integrate loops, which call nothing). */
  private readonly fired: Int32Array;
  private firedCount = 0;
  private readonly noise: Random;

  constructor(config: KernelConfig) {
    if (config.connectivity && config.connectivity.kind !== 'none') {
      throw new InputError('connectivity', config.connectivity.kind, "none: izhikevich-2003 draws its own synapses; choose options.connectivity 'dense' or 'sparse'");
    }
    this.size = config.size;
    this.dtMs = config.dtMs;
    this.seed = config.seed;
    this.params = { ...(config.params as Izhikevich2003Params) };
    this.connectivity = config.choices.connectivity === 'sparse' ? 'sparse' : 'dense';
    this.stepping = config.choices.stepping === 'paper' ? 'paper' : 'euler';
    if (this.stepping === 'paper' && this.dtMs !== PAPER_DT_MS) {
      throw new InputError('dtMs', this.dtMs, `exactly ${PAPER_DT_MS} with options.stepping 'paper' (the paper's program steps 1 ms: v by two 0.5 ms half-steps, u by one 1 ms step); other time steps: options.stepping 'euler'`);
    }
    const n = this.size;
    if (this.connectivity === 'dense' && n > MAX_DENSE_NEURONS) {
      throw new InputError('neurons', n, `at most ${MAX_DENSE_NEURONS} with options.connectivity 'dense' (it stores N² weights); use 'sparse'`);
    }
    this.holdSteps = holdSteps(this.params.thalamicHoldMs, this.dtMs);
    this.perNeuron = new Float64Array(SECTIONS * n);
    const section = (k: number): Float64Array => this.perNeuron.subarray(k * n, (k + 1) * n);
    this.v = section(V);
    this.u = section(U);
    this.thalamic = section(Z);
    this.inputCurrent = section(I_EXT);
    this.synaptic = section(SYN);
    this.a = section(A);
    this.b = section(B);
    this.c = section(C);
    this.d = section(D);
    if (this.connectivity === 'dense') this.denseWeights = new Float64Array(n * n);
    this.build();
    this.v.fill(V0);
    for (let i = 0; i < n; i++) this.u[i] = this.b[i]! * V0;
    this.spikeStep = new Int32Array(n).fill(-1);
    this.fired = new Int32Array(n);
    this.noise = new Random(this.seed);
    this.noise.jump();
  }

  /** Draws the neurons' a, b, c, d and the synapses from the seed (header, point 7). */
  private build(): void {
    const n = this.size;
    const fanIn = this.params.fanIn;
    if (this.connectivity === 'sparse') {
      if (fanIn > n - 1) throw new InputError('params.fanIn', fanIn, `at most neurons − 1 = ${n - 1} (distinct presynaptic neurons, never itself)`);
      if (n > 0x200000) throw new InputError('neurons', n, "at most 2 097 152 with options.connectivity 'sparse'");
      if (n * fanIn > MAX_SYNAPSES) throw new InputError('params.fanIn', fanIn, `at most ${Math.floor(MAX_SYNAPSES / n)} for ${n} neurons (2^31 − 1 synapses)`);
    }
    const random = new Random(this.seed);
    const excitatory = Math.round(this.params.excitatoryFraction * n);
    const { a, b, c, d } = this;
    for (let i = 0; i < n; i++) {
      const r = random.uniform();
      if (i < excitatory) {
        a[i] = EXCITATORY_A;
        b[i] = EXCITATORY_B;
        c[i] = -65 + 15 * r * r;
        d[i] = 8 - 6 * r * r;
      } else {
        a[i] = 0.02 + 0.08 * r;
        b[i] = 0.25 - 0.05 * r;
        c[i] = -65;
        d[i] = 2;
      }
    }
    this.excitatory = excitatory;
    if (this.connectivity === 'dense') {
      const w = this.denseWeights;
      for (let k = 0; k < w.length; k++) w[k] = random.uniform();
    } else {
      this.buildSparse(random, fanIn);
    }
  }

  /** Fixed fan-in: for each post i, K distinct presynaptic neurons ≠ i (Floyd's sampling); then rows by pre. */
  private buildSparse(random: Random, fanIn: number): void {
    const n = this.size;
    const presynaptic = new Int32Array(n * fanIn);
    const chosenFor = new Int32Array(n).fill(-1);
    const others = n - 1;
    for (let i = 0; i < n; i++) {
      let at = i * fanIn;
      // Floyd: a uniform K-subset of the candidates 0 … N−2 (candidate t is neuron t below i, t + 1 from i on).
      for (let j = others - fanIn; j < others; j++) {
        const t = below(random, j + 1);
        const candidate = chosenFor[t < i ? t : t + 1] === i ? j : t;
        const neuron = candidate < i ? candidate : candidate + 1;
        chosenFor[neuron] = i;
        presynaptic[at++] = neuron;
      }
    }
    const offsets = new Int32Array(n + 1);
    for (let k = 0; k < presynaptic.length; k++) offsets[presynaptic[k]! + 1]!++;
    for (let j = 0; j < n; j++) offsets[j + 1]! += offsets[j]!;
    const fill = offsets.slice(0, n);
    const records = new ArrayBuffer(8 * presynaptic.length);
    const target = new Int32Array(records);
    const weight = new Float32Array(records);
    // Posts in ascending order, so each row's targets come out sorted.
    for (let i = 0; i < n; i++) {
      for (let k = i * fanIn; k < (i + 1) * fanIn; k++) target[2 * fill[presynaptic[k]!]!++] = i;
    }
    // 24-bit uniforms: exactly representable in the Float32 weights, in [0, 1 − 2^−24].
    for (let k = 0; k < presynaptic.length; k++) weight[2 * k + 1] = (random.nextUint32() >>> 8) / 0x1000000;
    this.offsets = offsets;
    this.synapseTarget = target;
    this.synapseWeight = weight;
  }

  step(step: number, spikes: SpikeBuffer): void {
    if (this.holdLeft === 0) {
      this.noise.fillNormalFast(this.thalamic, 0, this.size);
      this.holdLeft = this.holdSteps;
    }
    this.holdLeft--;
    this.firedCount = 0;
    if (this.stepping === 'paper') {
      this.integratePaper(step, 0, this.excitatory, this.params.thalamicExcitatory);
      this.integratePaper(step, this.excitatory, this.size, this.params.thalamicInhibitory);
    } else {
      this.integrateExcitatory(step);
      this.integrateInhibitory(step);
    }
    const first = spikes.length;
    this.reset(step, spikes);
    if (this.connectivity === 'dense') this.propagateDense(spikes, first);
    else this.propagateSparse(spikes, first);
    this.lastStep = step;
  }

  /*
   * The Euler step of the header, arranged so that the terms that do not depend on v are computed
   * beside the chain that does (the loop is bound by the latency of that chain, not by arithmetic):
   *   v_new = v + dt·(0.04v² + 5v + 140 − u + I) + Σw  as  (0.04dt·v + 5dt)·v + (v + dt·(140 − u + I) + Σw)
   *   u_new = u + dt·a·(b·v_new − u)                    as  (1 − dt·a)·u + (dt·a·b)·v_new
   * Σw is read and cleared in the same pass. Crossings go to `fired` (reset() records and resets
   * them). Non-finite values are caught by a running sum of v_new, which becomes NaN or ±Infinity
   * with any of them; findDivergence() then names the neuron (a test per neuron cost 10–20 %).
   */

  /** Neurons 0 … Ne−1, which all have a = 0.02, b = 0.2 (so the loop reads neither array). */
  private integrateExcitatory(step: number): void {
    const { perNeuron: x, fired, dtMs: dt, size: n } = this;
    const sigma = this.params.thalamicExcitatory;
    const k2 = 0.04 * dt;
    const k1 = 5 * dt;
    const uDecay = 1 - dt * EXCITATORY_A;
    const uGain = dt * EXCITATORY_A * EXCITATORY_B;
    const uAt = U * n;
    const zAt = Z * n;
    const iAt = I_EXT * n;
    const sAt = SYN * n;
    let count = this.firedCount;
    let sum = 0;
    const end = this.excitatory;
    let i = 0;
    // Two neurons per turn (V8 does not unroll loops; this saves ~12 % here), then the odd one.
    for (; i + 1 < end; i += 2) {
      const v0 = x[i]!;
      const v1 = x[i + 1]!;
      const u0 = x[uAt + i]!;
      const u1 = x[uAt + i + 1]!;
      const kick0 = x[sAt + i]!;
      const kick1 = x[sAt + i + 1]!;
      x[sAt + i] = 0;
      x[sAt + i + 1] = 0;
      const vNew0 = (k2 * v0 + k1) * v0 + (v0 + dt * (140 - u0 + sigma * x[zAt + i]! + x[iAt + i]!) + kick0);
      const vNew1 = (k2 * v1 + k1) * v1 + (v1 + dt * (140 - u1 + sigma * x[zAt + i + 1]! + x[iAt + i + 1]!) + kick1);
      x[i] = vNew0;
      x[i + 1] = vNew1;
      x[uAt + i] = uDecay * u0 + uGain * vNew0;
      x[uAt + i + 1] = uDecay * u1 + uGain * vNew1;
      if (vNew0 >= V_PEAK) fired[count++] = i;
      if (vNew1 >= V_PEAK) fired[count++] = i + 1;
      sum += vNew0 + vNew1;
    }
    if (i < end) {
      const v = x[i]!;
      const u = x[uAt + i]!;
      const kick = x[sAt + i]!;
      x[sAt + i] = 0;
      const vNew = (k2 * v + k1) * v + (v + dt * (140 - u + sigma * x[zAt + i]! + x[iAt + i]!) + kick);
      x[i] = vNew;
      x[uAt + i] = uDecay * u + uGain * vNew;
      if (vNew >= V_PEAK) fired[count++] = i;
      sum += vNew;
    }
    this.firedCount = count;
    if (!(sum - sum === 0)) this.findDivergence(step, 0, this.excitatory);
  }

  /** Neurons Ne … N−1, each with its own a and b (two per turn, as above). */
  private integrateInhibitory(step: number): void {
    const { perNeuron: x, fired, dtMs: dt, size: n } = this;
    const sigma = this.params.thalamicInhibitory;
    const k2 = 0.04 * dt;
    const k1 = 5 * dt;
    const uAt = U * n;
    const zAt = Z * n;
    const iAt = I_EXT * n;
    const sAt = SYN * n;
    const aAt = A * n;
    const bAt = B * n;
    let count = this.firedCount;
    let sum = 0;
    let i = this.excitatory;
    for (; i + 1 < n; i += 2) {
      const v0 = x[i]!;
      const v1 = x[i + 1]!;
      const u0 = x[uAt + i]!;
      const u1 = x[uAt + i + 1]!;
      const kick0 = x[sAt + i]!;
      const kick1 = x[sAt + i + 1]!;
      x[sAt + i] = 0;
      x[sAt + i + 1] = 0;
      const aDt0 = dt * x[aAt + i]!;
      const aDt1 = dt * x[aAt + i + 1]!;
      const vNew0 = (k2 * v0 + k1) * v0 + (v0 + dt * (140 - u0 + sigma * x[zAt + i]! + x[iAt + i]!) + kick0);
      const vNew1 = (k2 * v1 + k1) * v1 + (v1 + dt * (140 - u1 + sigma * x[zAt + i + 1]! + x[iAt + i + 1]!) + kick1);
      x[i] = vNew0;
      x[i + 1] = vNew1;
      x[uAt + i] = (1 - aDt0) * u0 + aDt0 * x[bAt + i]! * vNew0;
      x[uAt + i + 1] = (1 - aDt1) * u1 + aDt1 * x[bAt + i + 1]! * vNew1;
      if (vNew0 >= V_PEAK) fired[count++] = i;
      if (vNew1 >= V_PEAK) fired[count++] = i + 1;
      sum += vNew0 + vNew1;
    }
    if (i < n) {
      const v = x[i]!;
      const u = x[uAt + i]!;
      const kick = x[sAt + i]!;
      x[sAt + i] = 0;
      const aDt = dt * x[aAt + i]!;
      const vNew = (k2 * v + k1) * v + (v + dt * (140 - u + sigma * x[zAt + i]! + x[iAt + i]!) + kick);
      x[i] = vNew;
      x[uAt + i] = (1 - aDt) * u + aDt * x[bAt + i]! * vNew;
      if (vNew >= V_PEAK) fired[count++] = i;
      sum += vNew;
    }
    this.firedCount = count;
    if (!(sum - sum === 0)) this.findDivergence(step, this.excitatory, n);
  }

  /*
   * Stepping 'paper' (dt = 1 ms), the paper's program written as it is, so that its rounding is the
   * program's too:
   *   I = sigma·z + I_ext + Σw                          (the program's I = 5*randn + sum(S(:,fired),2))
   *   v ← v + 0.5·(0.04·v² + 5v + 140 − u + I)   twice  (v.^2 is v·v)
   *   u ← u + a·(b·v − u)                               (one 1 ms step, from the new v)
   * Σw is read and cleared as above; crossings and divergence as above. One loop serves both kinds
   * of neuron (it reads a and b, which the excitatory ones could do without: this stepping is the
   * cheaper one already, at half the steps per ms).
   */

  /** Stepping 'paper', neurons from … to−1, with thalamic standard deviation sigma (two per turn, as above). */
  private integratePaper(step: number, from: number, to: number, sigma: number): void {
    const { perNeuron: x, fired, size: n } = this;
    const uAt = U * n;
    const zAt = Z * n;
    const iAt = I_EXT * n;
    const sAt = SYN * n;
    const aAt = A * n;
    const bAt = B * n;
    let count = this.firedCount;
    let sum = 0;
    let i = from;
    for (; i + 1 < to; i += 2) {
      const v0 = x[i]!;
      const v1 = x[i + 1]!;
      const u0 = x[uAt + i]!;
      const u1 = x[uAt + i + 1]!;
      const in0 = sigma * x[zAt + i]! + x[iAt + i]! + x[sAt + i]!;
      const in1 = sigma * x[zAt + i + 1]! + x[iAt + i + 1]! + x[sAt + i + 1]!;
      x[sAt + i] = 0;
      x[sAt + i + 1] = 0;
      const half0 = v0 + 0.5 * (0.04 * (v0 * v0) + 5 * v0 + 140 - u0 + in0);
      const half1 = v1 + 0.5 * (0.04 * (v1 * v1) + 5 * v1 + 140 - u1 + in1);
      const vNew0 = half0 + 0.5 * (0.04 * (half0 * half0) + 5 * half0 + 140 - u0 + in0);
      const vNew1 = half1 + 0.5 * (0.04 * (half1 * half1) + 5 * half1 + 140 - u1 + in1);
      x[i] = vNew0;
      x[i + 1] = vNew1;
      x[uAt + i] = u0 + x[aAt + i]! * (x[bAt + i]! * vNew0 - u0);
      x[uAt + i + 1] = u1 + x[aAt + i + 1]! * (x[bAt + i + 1]! * vNew1 - u1);
      if (vNew0 >= V_PEAK) fired[count++] = i;
      if (vNew1 >= V_PEAK) fired[count++] = i + 1;
      sum += vNew0 + vNew1;
    }
    if (i < to) {
      const v = x[i]!;
      const u = x[uAt + i]!;
      const input = sigma * x[zAt + i]! + x[iAt + i]! + x[sAt + i]!;
      x[sAt + i] = 0;
      const half = v + 0.5 * (0.04 * (v * v) + 5 * v + 140 - u + input);
      const vNew = half + 0.5 * (0.04 * (half * half) + 5 * half + 140 - u + input);
      x[i] = vNew;
      x[uAt + i] = u + x[aAt + i]! * (x[bAt + i]! * vNew - u);
      if (vNew >= V_PEAK) fired[count++] = i;
      sum += vNew;
    }
    this.firedCount = count;
    if (!(sum - sum === 0)) this.findDivergence(step, from, to);
  }

  /** Throws for the first neuron in [from, to) whose v or u is not finite (a huge but finite sum is not a divergence). */
  private findDivergence(step: number, from: number, to: number): void {
    const endMs = (step + 1) * this.dtMs;
    for (let i = from; i < to; i++) {
      if (!Number.isFinite(this.v[i]!)) throw new DivergenceError('v', i, step, endMs, this.v[i]!);
      if (!Number.isFinite(this.u[i]!)) throw new DivergenceError('u', i, step, endMs, this.u[i]!);
    }
  }

  /** Records the spikes of the step, in neuron order, and resets their neurons: v ← c, u ← u + d. */
  private reset(step: number, spikes: SpikeBuffer): void {
    const { v, u, c, d, spikeStep, fired } = this;
    const endMs = (step + 1) * this.dtMs;
    for (let s = 0; s < this.firedCount; s++) {
      const i = fired[s]!;
      spikes.push(step, i, endMs);
      v[i] = c[i]!;
      u[i]! += d[i]!;
      spikeStep[i] = step;
    }
  }

  /** Each spike adds its row of weights, times its sign's weight, to the synaptic input of every neuron. */
  private propagateDense(spikes: SpikeBuffer, first: number): void {
    const { synaptic: input, denseWeights: w, size: n, excitatory } = this;
    const gainExcitatory = this.params.weightExcitatory;
    const gainInhibitory = -this.params.weightInhibitory;
    const fired = spikes.neuron;
    for (let s = first; s < spikes.length; s++) {
      const j = fired[s]!;
      const gain = j < excitatory ? gainExcitatory : gainInhibitory;
      for (let i = 0, k = j * n; i < n; i++, k++) input[i]! += gain * w[k]!;
    }
  }

  /**
   * Each spike adds its weights, times its sign's weight, to the synaptic input of its targets.
   * The rows of a 100k network are far apart in memory (80 MB of synapses), so the walk waits on
   * memory: four rows are walked side by side to have four times as many loads in flight (1.7×
   * faster than one row at a time). The order of the additions is fixed by the rows, so the sums
   * are deterministic (though not rounded as a row-by-row walk would round them).
   */
  private propagateSparse(spikes: SpikeBuffer, first: number): void {
    const { synaptic: input, offsets, synapseTarget: t, synapseWeight: w, excitatory } = this;
    const gainExcitatory = this.params.weightExcitatory;
    const gainInhibitory = -this.params.weightInhibitory;
    const fired = spikes.neuron;
    const end = spikes.length;
    let s = first;
    for (; s + 3 < end; s += 4) {
      const j0 = fired[s]!;
      const j1 = fired[s + 1]!;
      const j2 = fired[s + 2]!;
      const j3 = fired[s + 3]!;
      const g0 = j0 < excitatory ? gainExcitatory : gainInhibitory;
      const g1 = j1 < excitatory ? gainExcitatory : gainInhibitory;
      const g2 = j2 < excitatory ? gainExcitatory : gainInhibitory;
      const g3 = j3 < excitatory ? gainExcitatory : gainInhibitory;
      // Record indices ×2: k is the target's slot, k + 1 the weight's.
      let k0 = 2 * offsets[j0]!;
      let k1 = 2 * offsets[j1]!;
      let k2 = 2 * offsets[j2]!;
      let k3 = 2 * offsets[j3]!;
      const e0 = 2 * offsets[j0 + 1]!;
      const e1 = 2 * offsets[j1 + 1]!;
      const e2 = 2 * offsets[j2 + 1]!;
      const e3 = 2 * offsets[j3 + 1]!;
      while (k0 < e0 && k1 < e1 && k2 < e2 && k3 < e3) {
        input[t[k0]!]! += g0 * w[k0 + 1]!;
        input[t[k1]!]! += g1 * w[k1 + 1]!;
        input[t[k2]!]! += g2 * w[k2 + 1]!;
        input[t[k3]!]! += g3 * w[k3 + 1]!;
        k0 += 2;
        k1 += 2;
        k2 += 2;
        k3 += 2;
      }
      for (; k0 < e0; k0 += 2) input[t[k0]!]! += g0 * w[k0 + 1]!;
      for (; k1 < e1; k1 += 2) input[t[k1]!]! += g1 * w[k1 + 1]!;
      for (; k2 < e2; k2 += 2) input[t[k2]!]! += g2 * w[k2 + 1]!;
      for (; k3 < e3; k3 += 2) input[t[k3]!]! += g3 * w[k3 + 1]!;
    }
    for (; s < end; s++) {
      const j = fired[s]!;
      const gain = j < excitatory ? gainExcitatory : gainInhibitory;
      for (let k = 2 * offsets[j]!, e = 2 * offsets[j + 1]!; k < e; k += 2) input[t[k]!]! += gain * w[k + 1]!;
    }
  }

  /** The number of synapses. */
  get synapses(): number {
    return this.connectivity === 'dense' ? this.size * this.size : this.offsets[this.size]!;
  }

  probe(probe: number, neuron: number): number {
    if (probe === 1) return this.u[neuron]!;
    const fired = this.spikeStep[neuron]!;
    return fired >= 0 && fired === this.lastStep ? V_PEAK : this.v[neuron]!;
  }

  getParam(name: string): number {
    return this.params[name as ParamName];
  }

  setParam(name: string, value: number): void {
    const key = name as ParamName;
    const old = this.params[key];
    if (value === old) return;
    this.params[key] = value;
    if (key === 'thalamicHoldMs') this.holdSteps = holdSteps(value, this.dtMs);
    if (key === 'excitatoryFraction' || (key === 'fanIn' && this.connectivity === 'sparse')) {
      try {
        this.build();
      } catch (error) {
        this.params[key] = old;
        throw error;
      }
    }
  }

  private arrays(): KernelState {
    return { v: this.v, u: this.u, thalamic: this.thalamic, synaptic: this.synaptic, spikeStep: this.spikeStep };
  }

  saveState(): KernelState {
    return { ...copyState(this.arrays()), counters: [this.lastStep, this.holdLeft], random: this.noise.getState() };
  }

  restoreState(state: KernelState): void {
    const { counters, random } = state;
    if (!Array.isArray(counters) || counters.length !== 2 || !Array.isArray(random) || random.length !== 6) {
      throw new Error('state fields counters and random are missing or have the wrong size');
    }
    assignState(this.arrays(), state);
    [this.lastStep, this.holdLeft] = counters as [number, number];
    this.noise.setState(random);
  }
}

export const izhikevich2003: ModelDefinition = {
  id: 'izhikevich-2003',
  title: 'Izhikevich (2003) network: 80 % excitatory, 20 % inhibitory, thalamic noise',
  summary:
    "v' = 0.04v² + 5v + 140 − u + I, u' = a(bv − u), v ≥ 30 → v = c, u = u + d; per-neuron a, b, c, d from r ~ U(0,1); " +
    'I = 5·randn (exc.) or 2·randn (inh.) redrawn every 1 ms; a spike adds 0.5·U(0,1) (exc.) or −U(0,1) (inh.) to v of its targets; ' +
    "all-to-all ('dense', the paper's) or fixed fan-in ('sparse'); Euler steps of dt, or the paper's 1 ms steps ('paper') — E. M. Izhikevich, IEEE TNN 14:1569 (2003)",
  params: izhikevich2003Params,
  choices: [izhikevich2003Connectivity, izhikevich2003Stepping],
  probes: IZHIKEVICH_2003_PROBES,
  inputUnit: 'mV/ms',
  network: true,
  create: (config) => new Izhikevich2003Kernel(config),
};
