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
 * Reading the synapses (exports, tools): `synapses` counts them; dense: denseWeights[j·N + i] is
 * the U(0, 1) weight of j → i; sparse: the synapses of presynaptic neuron j are the records
 * k = offsets[j] … offsets[j+1] − 1, with target synapseTarget[2k] and U(0, 1) weight
 * synapseWeight[2k + 1]. The weight in mV is that times weightExcitatory (j < excitatory) or
 * −weightInhibitory.
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
 *     adapt less after a spike and the 1000-neuron network fires ~11 % faster than the paper's
 *     program; a fine step (0.025 ms) faster still, so 0.5 ms is the closer of the two.
 *     'paper' (dt = 1 ms only): the paper's program exactly, its arithmetic included — see
 *     integratePaper. Scene izhikevich-2003/paper; the statistics of both against the
 *     program's are in docs/izhikevich-2003.md.
 *  2. Threshold v ≥ 30 (the paper's `v>=30`), tested on v at the end of a step; the spike's time is
 *     the end of that step. The reset (v ← c, u ← u + d, with u already updated from the
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
 *     How Σw is summed, so that no split of the network across threads changes a bit:
 *       dense  — Σ_j gain_j·W_ji in ascending presynaptic order j, the paper's `sum(S(:,fired),2)`
 *                (a thread adds every spike's row into its own targets, spikes in neuron order);
 *       sparse — exactly: the U(0, 1) weights are 24-bit (multiples of 2^−24, stored in Float32) and
 *                a target receives at most fanIn ≤ 10^5 of them per step, so their sums need at
 *                most 41 bits and a Float64 holds them with no rounding, in any order. A neuron keeps
 *                two such sums, of the excitatory and of the inhibitory spikes it received; its
 *                update adds weightExcitatory·Σ_exc − weightInhibitory·Σ_inh, with the weights in
 *                force in the step of the spikes (so a change of weight acts on the spikes of the
 *                step it is made in, as for dense). Exact sums let threads propagate spikes in any
 *                order — the four-rows-at-a-time walk below included.
 *  4. Thalamic input. z is redrawn before the first step and then every H = max(1,
 *     round(thalamicHoldMs/dt)) steps (every 1 ms = 2 steps by default: the paper draws once per
 *     1 ms step), and held in between; the count of steps left and of draws made are part of the
 *     state, so a restart or a restored snapshot holds and redraws as the original run did. A new
 *     thalamicHoldMs applies from the next redraw. sigma multiplies z at each step, so a new sigma
 *     applies at once. The scene's input (stimulus, hand pulses) adds to sigma·z.
 *  5. Normal deviates: z_i of draw d is a function of (seed, d, i) only — counter-random.ts's
 *     generator (Philox4x32-10 seeding xoshiro128** per block of 256 neurons, the table method of
 *     random.ts with exact tails) — so every thread draws its own neurons' numbers, the same
 *     numbers whatever the split. Its quality is described and tested there.
 *  6. Self-connections: dense keeps them (the paper's S has a diagonal); sparse has none.
 *  7. Random numbers, all from the scene seed. The structure comes from Random(seed): r_i in
 *     neuron order; then the weights — dense in the order pre j = 0…N−1, post i = 0…N−1 (MATLAB's
 *     column order of rand(N, Ne)), sparse by drawing each post's presynaptic set (Floyd's
 *     sampling) and then the weights in row order. The thalamic noise comes from the counter-based
 *     generator keyed by the seed (stream THALAMIC_STREAM), so a change of structure never changes
 *     the noise and vice versa.
 *  8. Changing excitatoryFraction (or fanIn, when sparse) while running rebuilds the structure
 *     from the seed (a, b, c, d and the weights; v, u and the noise go on); weightExcitatory and
 *     weightInhibitory scale the stored U(0, 1) weights, so they apply to the spikes of the step
 *     they are changed in.
 *
 * Threads (threads.ts): the neurons are cut into W contiguous ranges, one per thread, and every
 * per-neuron array is shared (SharedArrayBuffer). A step is phase 1 — each thread draws its
 * neurons' noise, updates them, resets those that crossed and lists them — then a barrier, then
 * phase 2 — each thread adds every spike of the step into the synaptic sums of its own neurons
 * (the part of a sparse row that targets a range is contiguous, rows being sorted by target:
 * `rowStarts` gives where it begins). Spikes act in the next step, so one barrier per step is
 * enough. With one thread, the same code runs over one range. Results are bit-identical for any
 * number of threads (points 3 and 5).
 *
 * Speed (one thread; see the notes at the loops): the per-step arrays live in one Float64Array,
 * the excitatory neurons share a and b so their loop reads neither, the Euler step is arranged
 * for a short dependency chain, the loops call nothing, and sparse rows are walked four at a time.
 * Nothing is allocated per step. A non-finite v or u stops the run with a DivergenceError naming
 * the neuron and the step. Where the engine has WebAssembly SIMD, the Euler update and the sparse
 * propagation run in izhikevich-2003.wat and the noise in counter-random.wat instead (the same
 * operations, the same bits: README, "WebAssembly kernels"), over arrays that then live in a
 * WebAssembly.Memory (WasmLayout).
 */
import { fillCounterNormals, NORMAL_BLOCK, NORMAL_TABLE_BYTES, WasmCounterNormals } from '../counter-random.ts';
import type { Kernel, KernelConfig, KernelState, ModelDefinition, SpikeBuffer } from '../kernel.ts';
import { assignState, copyState, DivergenceError } from '../kernel.ts';
import { Random } from '../random.ts';
import { InputError, type ChoiceSpec, type ParamSchema, type ParamValues } from '../schema.ts';
import { canShareMemory, type ThreadPart, type ThreadPool } from '../threads.ts';
import { instantiateKernel, kernelMemory, wasmKernelUsable } from '../wasm.ts';
import * as updateWasm from './izhikevich-2003.wasm.ts';
import { IZHIKEVICH_STATE, izhikevichPlane } from './izhikevich.ts';
import type { ModelScene } from '../kernel.ts';

export const izhikevich2003Params = [
  { name: 'excitatoryFraction', label: 'excitatory fraction', unit: '', default: 0.8, min: 0, max: 1, typical: [0, 1], precision: 2, doc: 'fraction of excitatory neurons: neurons 0 … round(fraction·N) − 1, the rest inhibitory' },
  { name: 'thalamicExcitatory', label: 'thalamic noise to excitatory', unit: 'mV/ms', default: 5, min: 0, max: 1000, typical: [0, 10], precision: 2, doc: 'standard deviation of the thalamic input to excitatory neurons (5·randn)' },
  { name: 'thalamicInhibitory', label: 'thalamic noise to inhibitory', unit: 'mV/ms', default: 2, min: 0, max: 1000, typical: [0, 5], precision: 2, doc: 'standard deviation of the thalamic input to inhibitory neurons (2·randn)' },
  { name: 'thalamicHoldMs', label: 'thalamic redraw interval', unit: 'ms', default: 1, min: 0.0001, max: 1000, typical: [0.5, 20], log: true, doc: 'the thalamic input is redrawn this often (whole steps, at least one) and held in between' },
  { name: 'weightExcitatory', label: 'excitatory synapse weight', unit: 'mV', default: 0.5, min: 0, max: 100, typical: [0, 1], precision: 3, doc: 'a synapse from an excitatory neuron weighs weightExcitatory·U(0,1): the jump of postsynaptic v' },
  { name: 'weightInhibitory', label: 'inhibitory synapse weight', unit: 'mV', default: 1, min: 0, max: 100, typical: [0, 2], precision: 3, doc: 'a synapse from an inhibitory neuron weighs −weightInhibitory·U(0,1)' },
  { name: 'fanIn', label: 'synapses per neuron', unit: '', default: 100, min: 0, max: 100_000, integer: true, typical: [1, 1000], log: true, doc: "connectivity 'sparse': presynaptic neurons per neuron, distinct and never itself (at most N − 1)" },
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
  { name: 'v', unit: 'mV', doc: 'membrane potential (spike steps show 30 mV; includes the synaptic kicks of the step)', range: [-90, 40] },
  { name: 'u', unit: 'mV', doc: 'recovery variable (after the reset on spike steps)', range: [-90, 40] },
] as const;

/** The paper's constants. */
export const V_PEAK = 30;
export const V0 = -65;
const EXCITATORY_A = 0.02;
const EXCITATORY_B = 0.2;
/** Largest dense network: its N² weights take 8·N² bytes (800 MB at 10 000). */
export const MAX_DENSE_NEURONS = 10_000;
const MAX_SYNAPSES = 0x7fffffff;
/**
 * The sections of the per-neuron array (Izhikevich2003Shared.perNeuron), in order, N numbers each
 * but SUMS, 2N: the synaptic sums of neuron i, Σexc at SUMS·N + 2i and Σinh beside it (one cache
 * line for both: spike propagation writes them at random places, and this halves the lines it touches).
 */
const [V, U, Z, I_EXT, SUMS, A, B, C, D, SECTIONS] = [0, 1, 2, 3, 4, 6, 7, 8, 9, 10] as const;
/**
 * The scalars of a step (Izhikevich2003Shared.scalars), written by the thread that drives the kernel
 * before the step; every thread copies them at the start of its phase 1 (the driver may write the
 * next step's while a helper is still in phase 2 of this one).
 *  DRAW: the thalamic draw to make before updating, or −1 (held);
 *  DELIVER_E/I: the factors of Σexc and Σinh in the update (the weights in force when the spikes
 *    were propagated; dense: 1 and 0, its sums being weighted already);
 *  GAIN_E/I: the weights of this step's spikes, for dense propagation;
 *  EXTERNAL: 1 when I_ext is to be read, 0 when the driver said it holds only zeros (Kernel.inputIsZero).
 */
const [STEP, DRAW, SIGMA_E, SIGMA_I, DELIVER_E, DELIVER_I, GAIN_E, GAIN_I, EXCITATORY, EXTERNAL, SCALARS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
/**
 * Where a step's time goes, when a profile is asked for (Izhikevich2003Kernel.profile): ms spent by
 * the driving thread in each part, summed over steps. BARRIER is the wait for the other threads
 * (their share of the work beyond the driver's); SPIKES the handing of the spikes to the driver.
 */
export const PROFILE_PARTS = ['noise', 'update', 'reset', 'barrier', 'spikes', 'propagation'] as const;
const [P_NOISE, P_UPDATE, P_RESET, P_BARRIER, P_SPIKES, P_PROPAGATION] = [0, 1, 2, 3, 4, 5] as const;

/**
 * The numbers the update loops use besides the step's scalars, per range (Izhikevich2003Range.constants).
 * A loop reads every number it uses from a Float64Array or makes it int32 with `| 0` before it
 * starts: a bundler (esbuild, Vite) turns this module's constants into `var`s, and V8's optimized
 * code of these loops was seen converting such a `var`, or an object's field, again at each of
 * its uses inside the loop (a Smi-or-HeapNumber test and a load, every turn); a double loaded
 * from a Float64Array, or an int32, is used as it is. Measured alternately against the former
 * loops in one process: the update 7–10 % faster, the same bits.
 */
const [K_DT, K_K2, K_K1, K_U_DECAY, K_U_GAIN, K_PEAK] = [0, 1, 2, 3, 4, 5] as const;
/** Further constants of the WebAssembly update (izhikevich-2003.wat), written per step; K_SUM, K_SUM + 1: what it returns of Σ v_new. */
const [K_SIGMA, K_DELIVER_E, K_DELIVER_I, K_SUM] = [6, 7, 8, 9] as const;

/** Rows per block when the sparse rows are built (buildSparse): 2^12 rows of ~100 synapses, ~3 MB. */
const ROW_BLOCK_BITS = 12;
const ROWS_PER_BLOCK = 1 << ROW_BLOCK_BITS;

/** The stream of the counter-based generator that draws the thalamic deviates. */
export const THALAMIC_STREAM = 0x7468616c; // "thal"

export function holdSteps(holdMs: number, dtMs: number): number {
  return Math.max(1, Math.round(holdMs / dtMs));
}

/** How a step is cut between threads: thread w computes neurons bounds[w] … bounds[w+1]−1. */
interface Partition {
  threads: number;
  bounds: Int32Array;
  /**
   * Sparse: rowStarts[b][j] is the first record of row j whose target is ≥ bounds[b], for
   * b = 1 … W−1 (b = 0 is offsets[j], b = W is offsets[j+1]); empty for dense.
   */
  rowStarts: Int32Array[];
  /** Spikes each thread found, by parity of the step: counts[parity·W + w]. */
  counts: Int32Array;
  /** Per thread: the first neuron whose v or u is not finite (−1: none), the variable (0 v, 1 u), its value. */
  errors: Float64Array;
}

/** Everything the threads share: structured-cloneable (typed arrays over SharedArrayBuffers when threaded). */
export interface Izhikevich2003Shared {
  size: number;
  dtMs: number;
  seed: number;
  connectivity: Izhikevich2003Connectivity;
  stepping: Izhikevich2003Stepping;
  /** v | u | z | I_ext | Σexc,Σinh | a | b | c | d (a struct of arrays in one buffer: see SUMS). */
  perNeuron: Float64Array;
  /** The last step in which each neuron fired (−1: never), for the v probe. */
  spikeStep: Int32Array;
  scalars: Float64Array;
  /** Who fired, by parity of the step: thread w lists its neurons from fired[parity·N + bounds[w]] on. */
  fired: Int32Array;
  denseWeights: Float64Array;
  offsets: Int32Array;
  /** Sparse records, 8 bytes each: target (Int32) at 2k, U(0, 1) weight (Float32, same buffer) at 2k+1. */
  records: Int32Array;
  partition: Partition;
  /** Where the WebAssembly kernels run: their memory and what it holds; undefined: the JavaScript loops, over plain (Shared)ArrayBuffers. */
  wasm: WasmLayout | undefined;
}

/**
 * The WebAssembly memory of a network whose update and sparse propagation (izhikevich-2003.wat)
 * and thalamic noise (counter-random.wat) run in WebAssembly: perNeuron from byte 0, then fired,
 * then per thread WASM_CONSTANT_BYTES of constants from `constants`, the normal table at `table`,
 * per thread `scratchBytes` of the noise's scratch from `scratch`; when sparse, the row offsets
 * (N + 1 int32) at `offsets`, room for `recordCapacity` synapse records at `records` and for the
 * row starts of the threads 1 … W − 1 (N int32 each) at `rowStarts`. A rebuild with more synapses
 * than the room keeps them outside, and propagates in JavaScript. Shared across threads when
 * they split the network.
 */
interface WasmLayout {
  memory: WebAssembly.Memory;
  constants: number;
  table: number;
  scratch: number;
  scratchBytes: number;
  offsets: number;
  records: number;
  recordCapacity: number;
  rowStarts: number;
}

/** The largest WebAssembly memory made for a network (bytes): beyond it, synapses stay in JavaScript arrays. */
const WASM_MAX_BYTES = 0x80000000;

/** Bytes of constants per thread in the WebAssembly memory (see the .wat file: 11 doubles). */
const WASM_CONSTANT_BYTES = 128;

/** The exports of izhikevich-2003.wat: the updates (neurons from … to−1, an even count; they return the new count of who fired) and the sparse propagation. */
interface NetworkWasm {
  excitatory(x: number, n: number, from: number, to: number, fired: number, count: number, constants: number, external: number): number;
  inhibitory(x: number, n: number, from: number, to: number, fired: number, count: number, constants: number, external: number): number;
  /** Sparse propagation of the spikes listed at bytes fired … firedEnd − 1 (as propagateSparse). */
  propagate(x: number, n: number, fired: number, firedEnd: number, records: number, starts: number, ends: number, endShift: number, excitatory: number): void;
}

/** The WebAssembly memory of a network of n neurons and `synapses` sparse synapses, split across up to `threads` threads (WasmLayout). */
function wasmLayout(n: number, synapses: number, threads: number, shared: boolean): WasmLayout | undefined {
  const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;
  const constants = align(SECTIONS * n * 8 + 2 * n * 4);
  const table = constants + threads * WASM_CONSTANT_BYTES;
  const scratch = table + NORMAL_TABLE_BYTES;
  const scratchBytes = WasmCounterNormals.scratchBytes(n);
  const offsets = scratch + threads * scratchBytes;
  const rowStarts = align(offsets + 4 * (n + 1));
  const records = align(rowStarts + 4 * n * (threads - 1));
  const recordCapacity = records + 8 * synapses <= WASM_MAX_BYTES ? synapses : 0;
  let memory: WebAssembly.Memory;
  try {
    memory = kernelMemory(records + 8 * recordCapacity, shared);
  } catch {
    // The engine would not reserve that much at once (a 32-bit browser, memory pressure): the JavaScript loops, over ordinary arrays.
    return undefined;
  }
  WasmCounterNormals.copyNormalTable(memory, table);
  return { memory, constants, table, scratch, scratchBytes, offsets, records, recordCapacity, rowStarts };
}

function allocate<T extends Float64Array | Int32Array>(kind: { new (buffer: ArrayBuffer | SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number, shared: boolean): T {
  const bytes = length * kind.BYTES_PER_ELEMENT;
  return new kind(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
}

/**
 * What one thread computes of a step: phase 1 and phase 2 for neurons lo … hi−1. The host's
 * kernel runs one (thread 0, or the whole network alone); each helper thread runs its own, made
 * from the shared arrays by izhikevich2003.threadPart.
 */
export class Izhikevich2003Range implements ThreadPart {
  private readonly n: number;
  private readonly dtMs: number;
  private readonly seed: number;
  private readonly sparse: boolean;
  private readonly paper: boolean;
  private readonly x: Float64Array;
  private readonly thalamic: Float64Array;
  private readonly spikeStep: Int32Array;
  private readonly scalars: Float64Array;
  private readonly fired: Int32Array;
  private readonly denseWeights: Float64Array;
  private readonly target: Int32Array;
  private readonly weight: Float32Array;
  private readonly partition: Partition;
  private readonly worker: number;
  private readonly lo: number;
  private readonly hi: number;
  /** Where this range's sparse rows begin and end: starts[j] … ends[j + endShift] − 1. */
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly endShift: number;
  // The step's scalars, copied in phase 1.
  private step = 0;
  private parity = 0;
  private excitatory = 0;
  /** The weights of this step's spikes, for dense propagation: [gainE, gainI] (doubles for the loop: see the note at K_DT). */
  private readonly gains = new Float64Array(2);
  /** Spikes found in phase 1 (written to fired from firedAt on). */
  private count = 0;
  private firedAt = 0;
  /** ms per part of PROFILE_PARTS, when profiling. */
  profile: Float64Array | undefined;
  /**
   * dt, the Euler step's constants and the threshold: K_DT … (see the note at K_DT); with the
   * WebAssembly update, this range's block of constants in its memory (K_SIGMA … K_SUM too).
   */
  private readonly constants: Float64Array;
  /** The WebAssembly update (izhikevich-2003.wat) and noise (counter-random.wat), when the arrays live in a WebAssembly memory. */
  private readonly kernel: NetworkWasm | undefined;
  private readonly normals: WasmCounterNormals | undefined;
  /** Sparse, with the synapses in the WebAssembly memory: propagation by izhikevich-2003.wat. */
  private readonly wasmPropagation: boolean;

  constructor(shared: Izhikevich2003Shared, worker: number) {
    const p = shared.partition;
    this.n = shared.size;
    this.dtMs = shared.dtMs;
    this.seed = shared.seed;
    this.sparse = shared.connectivity === 'sparse';
    this.paper = shared.stepping === 'paper';
    this.x = shared.perNeuron;
    this.thalamic = shared.perNeuron.subarray(Z * this.n, (Z + 1) * this.n);
    this.spikeStep = shared.spikeStep;
    this.scalars = shared.scalars;
    this.fired = shared.fired;
    this.denseWeights = shared.denseWeights;
    this.target = shared.records;
    this.weight = new Float32Array(shared.records.buffer, shared.records.byteOffset, shared.records.length);
    this.partition = p;
    this.worker = worker;
    this.lo = p.bounds[worker]!;
    this.hi = p.bounds[worker + 1]!;
    this.starts = worker === 0 ? shared.offsets : p.rowStarts[worker]!;
    this.ends = worker + 1 === p.threads ? shared.offsets : p.rowStarts[worker + 1]!;
    this.endShift = worker + 1 === p.threads ? 1 : 0;
    const dt = this.dtMs;
    const constants = [dt, 0.04 * dt, 5 * dt, 1 - dt * EXCITATORY_A, dt * EXCITATORY_A * EXCITATORY_B, V_PEAK];
    const wasm = shared.wasm;
    this.wasmPropagation = wasm !== undefined && this.sparse && [this.target, this.starts, this.ends].every((array) => array.buffer === wasm.memory.buffer);
    if (wasm) {
      this.kernel = instantiateKernel<NetworkWasm>(updateWasm, wasm.memory);
      this.normals = new WasmCounterNormals(wasm.memory, wasm.table, wasm.scratch + worker * wasm.scratchBytes, this.n);
      this.constants = new Float64Array(wasm.memory.buffer, wasm.constants + worker * WASM_CONSTANT_BYTES, WASM_CONSTANT_BYTES / 8);
      this.constants.set(constants);
    } else {
      this.constants = Float64Array.from(constants);
    }
  }

  /** Noise, update, threshold and reset of this range's neurons; lists those that fired. */
  phase1(): void {
    const s = this.scalars;
    this.step = s[STEP]!;
    this.parity = this.step & 1;
    this.excitatory = s[EXCITATORY]!;
    this.gains[0] = s[GAIN_E]!;
    this.gains[1] = s[GAIN_I]!;
    const { lo, hi, partition, worker } = this;
    partition.errors[3 * worker] = -1;
    const profile = this.profile;
    let time = profile ? performance.now() : 0;
    const draw = s[DRAW]!;
    if (draw >= 0) {
      if (this.normals) this.normals.fill(this.thalamic, lo, hi, this.seed, THALAMIC_STREAM, draw);
      else fillCounterNormals(this.thalamic, lo, hi, this.seed, THALAMIC_STREAM, draw);
    }
    if (profile) time = lap(profile, P_NOISE, time);
    this.count = 0;
    this.firedAt = this.parity * this.n + lo;
    const middle = Math.min(hi, Math.max(lo, this.excitatory));
    if (this.paper) {
      this.integratePaper(lo, middle, SIGMA_E);
      this.integratePaper(middle, hi, SIGMA_I);
    } else if (this.kernel) {
      this.integrateWasm(lo, middle, false);
      this.integrateWasm(middle, hi, true);
    } else {
      this.integrateExcitatory(lo, middle);
      this.integrateInhibitory(middle, hi);
    }
    if (profile) time = lap(profile, P_UPDATE, time);
    this.reset();
    partition.counts[this.parity * partition.threads + worker] = this.count;
    if (profile) lap(profile, P_RESET, time);
  }

  /** Adds every spike of the step (every thread's list, in neuron order) into this range's synaptic sums. */
  phase2(): void {
    const { partition, parity, n, profile } = this;
    const time = profile ? performance.now() : 0;
    for (let w = 0; w < partition.threads; w++) {
      const first = parity * n + partition.bounds[w]!;
      const end = first + partition.counts[parity * partition.threads + w]!;
      if (this.wasmPropagation) {
        const fired = this.fired.byteOffset;
        this.kernel!.propagate(this.x.byteOffset, n, fired + 4 * first, fired + 4 * end, this.target.byteOffset, this.starts.byteOffset, this.ends.byteOffset, this.endShift, this.excitatory);
      } else if (this.sparse) this.propagateSparse(first, end);
      else this.propagateDense(first, end);
    }
    if (profile) lap(profile, P_PROPAGATION, time);
  }

  /*
   * The Euler step of the header, arranged so that the terms that do not depend on v are computed
   * beside the chain that does (the loop is bound by the latency of that chain, not by arithmetic):
   *   v_new = v + dt·(0.04v² + 5v + 140 − u + I) + Σw  as  (0.04dt·v + 5dt)·v + (v + dt·(140 − u + I) + Σw)
   *   u_new = u + dt·a·(b·v_new − u)                    as  (1 − dt·a)·u + (dt·a·b)·v_new
   * with Σw = deliverE·Σexc + deliverI·Σinh, read and cleared in the same pass. I = σz + I_ext: I_ext
   * is read only when the driver may have put input there (scalar EXTERNAL; usually there is none);
   * otherwise +0 is added in its place, which changes no bit: y + (+0) = y for every y but −0, and
   * (140 − u) + σz is never −0 (a sum is −0 only when both terms are, and a difference only as
   * −0 − (+0), which 140 − u is not). Crossings go to `fired` (reset() resets them). Non-finite
   * values are caught by a running sum of v_new, which becomes NaN or ±Infinity with any of them;
   * findDivergence() then names the neuron (a test per neuron cost 10–20 %).
   */

  /**
   * The Euler step of neurons from … to−1 of one kind in WebAssembly (izhikevich-2003.wat: the same
   * expressions, two neurons per SIMD instruction), pairs of neurons; an odd last one by the
   * JavaScript loop. The same bits and the same list of who fired, in the same order.
   */
  private integrateWasm(from: number, to: number, inhibitory: boolean): void {
    const s = this.scalars;
    const k = this.constants;
    const pairsEnd = to - ((to - from) & 1);
    k[K_SIGMA] = s[inhibitory ? SIGMA_I : SIGMA_E]!;
    k[K_DELIVER_E] = s[DELIVER_E]!;
    k[K_DELIVER_I] = s[DELIVER_I]!;
    const firedAddress = this.fired.byteOffset + 4 * (this.firedAt + this.count);
    const external = s[EXTERNAL] === 1 ? 1 : 0;
    const kind = inhibitory ? this.kernel!.inhibitory : this.kernel!.excitatory;
    this.count = kind(this.x.byteOffset, this.n, from, pairsEnd, firedAddress, this.count, k.byteOffset, external);
    const sum0 = k[K_SUM]!;
    const sum1 = k[K_SUM + 1]!;
    if (!(sum0 - sum0 === 0 && sum1 - sum1 === 0)) this.findDivergence(from, pairsEnd);
    if (pairsEnd < to) {
      if (inhibitory) this.integrateInhibitory(pairsEnd, to);
      else this.integrateExcitatory(pairsEnd, to);
    }
  }

  /** Excitatory neurons from … to−1, which all have a = 0.02, b = 0.2 (so the loop reads neither array). */
  private integrateExcitatory(from: number, to: number): void {
    const { x, fired } = this;
    const s = this.scalars;
    const k = this.constants;
    // Doubles from Float64Arrays and integers made int32 by `| 0` (see the note at K_DT).
    const dt = k[K_DT]!;
    const k2 = k[K_K2]!;
    const k1 = k[K_K1]!;
    const uDecay = k[K_U_DECAY]!;
    const uGain = k[K_U_GAIN]!;
    const vPeak = k[K_PEAK]!;
    const sigma = s[SIGMA_E]!;
    const deliverE = s[DELIVER_E]!;
    const deliverI = s[DELIVER_I]!;
    const external = s[EXTERNAL] === 1;
    const n = this.n | 0;
    const firedAt = this.firedAt | 0;
    const uAt = (U * n) | 0;
    const zAt = (Z * n) | 0;
    const iAt = (I_EXT * n) | 0;
    const sAt = (SUMS * n) | 0;
    let count = this.count | 0;
    let sum = 0;
    let i = from | 0;
    const end = to | 0;
    // Two neurons per turn (V8 does not unroll loops; this saves ~12 % here), then the odd one.
    for (; i + 1 < end; i += 2) {
      const v0 = x[i]!;
      const v1 = x[i + 1]!;
      const u0 = x[uAt + i]!;
      const u1 = x[uAt + i + 1]!;
      const kick0 = deliverE * x[sAt + 2 * i]! + deliverI * x[sAt + 2 * i + 1]!;
      const kick1 = deliverE * x[sAt + 2 * i + 2]! + deliverI * x[sAt + 2 * i + 3]!;
      x[sAt + 2 * i] = 0;
      x[sAt + 2 * i + 1] = 0;
      x[sAt + 2 * i + 2] = 0;
      x[sAt + 2 * i + 3] = 0;
      let input0 = 0;
      let input1 = 0;
      if (external) {
        input0 = x[iAt + i]!;
        input1 = x[iAt + i + 1]!;
      }
      const vNew0 = (k2 * v0 + k1) * v0 + (v0 + dt * (140 - u0 + sigma * x[zAt + i]! + input0) + kick0);
      const vNew1 = (k2 * v1 + k1) * v1 + (v1 + dt * (140 - u1 + sigma * x[zAt + i + 1]! + input1) + kick1);
      x[i] = vNew0;
      x[i + 1] = vNew1;
      x[uAt + i] = uDecay * u0 + uGain * vNew0;
      x[uAt + i + 1] = uDecay * u1 + uGain * vNew1;
      if (vNew0 >= vPeak) fired[firedAt + count++] = i;
      if (vNew1 >= vPeak) fired[firedAt + count++] = i + 1;
      sum += vNew0 + vNew1;
    }
    if (i < end) {
      const v = x[i]!;
      const u = x[uAt + i]!;
      const kick = deliverE * x[sAt + 2 * i]! + deliverI * x[sAt + 2 * i + 1]!;
      x[sAt + 2 * i] = 0;
      x[sAt + 2 * i + 1] = 0;
      const vNew = (k2 * v + k1) * v + (v + dt * (140 - u + sigma * x[zAt + i]! + x[iAt + i]!) + kick);
      x[i] = vNew;
      x[uAt + i] = uDecay * u + uGain * vNew;
      if (vNew >= vPeak) fired[firedAt + count++] = i;
      sum += vNew;
    }
    this.count = count;
    if (!(sum - sum === 0)) this.findDivergence(from, to);
  }

  /** Inhibitory neurons from … to−1, each with its own a and b (two per turn, as above). */
  private integrateInhibitory(from: number, to: number): void {
    const { x, fired } = this;
    const s = this.scalars;
    const k = this.constants;
    const dt = k[K_DT]!;
    const k2 = k[K_K2]!;
    const k1 = k[K_K1]!;
    const vPeak = k[K_PEAK]!;
    const sigma = s[SIGMA_I]!;
    const deliverE = s[DELIVER_E]!;
    const deliverI = s[DELIVER_I]!;
    const external = s[EXTERNAL] === 1;
    const n = this.n | 0;
    const firedAt = this.firedAt | 0;
    const uAt = (U * n) | 0;
    const zAt = (Z * n) | 0;
    const iAt = (I_EXT * n) | 0;
    const sAt = (SUMS * n) | 0;
    const aAt = (A * n) | 0;
    const bAt = (B * n) | 0;
    let count = this.count | 0;
    let sum = 0;
    let i = from | 0;
    const end = to | 0;
    for (; i + 1 < end; i += 2) {
      const v0 = x[i]!;
      const v1 = x[i + 1]!;
      const u0 = x[uAt + i]!;
      const u1 = x[uAt + i + 1]!;
      const kick0 = deliverE * x[sAt + 2 * i]! + deliverI * x[sAt + 2 * i + 1]!;
      const kick1 = deliverE * x[sAt + 2 * i + 2]! + deliverI * x[sAt + 2 * i + 3]!;
      x[sAt + 2 * i] = 0;
      x[sAt + 2 * i + 1] = 0;
      x[sAt + 2 * i + 2] = 0;
      x[sAt + 2 * i + 3] = 0;
      const aDt0 = dt * x[aAt + i]!;
      const aDt1 = dt * x[aAt + i + 1]!;
      let input0 = 0;
      let input1 = 0;
      if (external) {
        input0 = x[iAt + i]!;
        input1 = x[iAt + i + 1]!;
      }
      const vNew0 = (k2 * v0 + k1) * v0 + (v0 + dt * (140 - u0 + sigma * x[zAt + i]! + input0) + kick0);
      const vNew1 = (k2 * v1 + k1) * v1 + (v1 + dt * (140 - u1 + sigma * x[zAt + i + 1]! + input1) + kick1);
      x[i] = vNew0;
      x[i + 1] = vNew1;
      x[uAt + i] = (1 - aDt0) * u0 + aDt0 * x[bAt + i]! * vNew0;
      x[uAt + i + 1] = (1 - aDt1) * u1 + aDt1 * x[bAt + i + 1]! * vNew1;
      if (vNew0 >= vPeak) fired[firedAt + count++] = i;
      if (vNew1 >= vPeak) fired[firedAt + count++] = i + 1;
      sum += vNew0 + vNew1;
    }
    if (i < end) {
      const v = x[i]!;
      const u = x[uAt + i]!;
      const kick = deliverE * x[sAt + 2 * i]! + deliverI * x[sAt + 2 * i + 1]!;
      x[sAt + 2 * i] = 0;
      x[sAt + 2 * i + 1] = 0;
      const aDt = dt * x[aAt + i]!;
      const vNew = (k2 * v + k1) * v + (v + dt * (140 - u + sigma * x[zAt + i]! + x[iAt + i]!) + kick);
      x[i] = vNew;
      x[uAt + i] = (1 - aDt) * u + aDt * x[bAt + i]! * vNew;
      if (vNew >= vPeak) fired[firedAt + count++] = i;
      sum += vNew;
    }
    this.count = count;
    if (!(sum - sum === 0)) this.findDivergence(from, to);
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

  /** Stepping 'paper', neurons from … to−1, with the thalamic standard deviation in scalars[sigmaSlot] (two per turn, as above). */
  private integratePaper(from: number, to: number, sigmaSlot: number): void {
    const { x, fired } = this;
    const s = this.scalars;
    const vPeak = this.constants[K_PEAK]!;
    const sigma = s[sigmaSlot]!;
    const deliverE = s[DELIVER_E]!;
    const deliverI = s[DELIVER_I]!;
    const n = this.n | 0;
    const firedAt = this.firedAt | 0;
    const uAt = (U * n) | 0;
    const zAt = (Z * n) | 0;
    const iAt = (I_EXT * n) | 0;
    const sAt = (SUMS * n) | 0;
    const aAt = (A * n) | 0;
    const bAt = (B * n) | 0;
    let count = this.count | 0;
    let sum = 0;
    let i = from | 0;
    const end = to | 0;
    for (; i + 1 < end; i += 2) {
      const v0 = x[i]!;
      const v1 = x[i + 1]!;
      const u0 = x[uAt + i]!;
      const u1 = x[uAt + i + 1]!;
      const in0 = sigma * x[zAt + i]! + x[iAt + i]! + (deliverE * x[sAt + 2 * i]! + deliverI * x[sAt + 2 * i + 1]!);
      const in1 = sigma * x[zAt + i + 1]! + x[iAt + i + 1]! + (deliverE * x[sAt + 2 * i + 2]! + deliverI * x[sAt + 2 * i + 3]!);
      x[sAt + 2 * i] = 0;
      x[sAt + 2 * i + 1] = 0;
      x[sAt + 2 * i + 2] = 0;
      x[sAt + 2 * i + 3] = 0;
      const half0 = v0 + 0.5 * (0.04 * (v0 * v0) + 5 * v0 + 140 - u0 + in0);
      const half1 = v1 + 0.5 * (0.04 * (v1 * v1) + 5 * v1 + 140 - u1 + in1);
      const vNew0 = half0 + 0.5 * (0.04 * (half0 * half0) + 5 * half0 + 140 - u0 + in0);
      const vNew1 = half1 + 0.5 * (0.04 * (half1 * half1) + 5 * half1 + 140 - u1 + in1);
      x[i] = vNew0;
      x[i + 1] = vNew1;
      x[uAt + i] = u0 + x[aAt + i]! * (x[bAt + i]! * vNew0 - u0);
      x[uAt + i + 1] = u1 + x[aAt + i + 1]! * (x[bAt + i + 1]! * vNew1 - u1);
      if (vNew0 >= vPeak) fired[firedAt + count++] = i;
      if (vNew1 >= vPeak) fired[firedAt + count++] = i + 1;
      sum += vNew0 + vNew1;
    }
    if (i < end) {
      const v = x[i]!;
      const u = x[uAt + i]!;
      const input = sigma * x[zAt + i]! + x[iAt + i]! + (deliverE * x[sAt + 2 * i]! + deliverI * x[sAt + 2 * i + 1]!);
      x[sAt + 2 * i] = 0;
      x[sAt + 2 * i + 1] = 0;
      const half = v + 0.5 * (0.04 * (v * v) + 5 * v + 140 - u + input);
      const vNew = half + 0.5 * (0.04 * (half * half) + 5 * half + 140 - u + input);
      x[i] = vNew;
      x[uAt + i] = u + x[aAt + i]! * (x[bAt + i]! * vNew - u);
      if (vNew >= vPeak) fired[firedAt + count++] = i;
      sum += vNew;
    }
    this.count = count;
    if (!(sum - sum === 0)) this.findDivergence(from, to);
  }

  /** Records the first neuron in [from, to) whose v or u is not finite (a huge but finite sum is not a divergence), unless one is recorded. */
  private findDivergence(from: number, to: number): void {
    const { x, n, partition, worker } = this;
    const errors = partition.errors;
    if (errors[3 * worker]! >= 0) return;
    for (let i = from; i < to; i++) {
      const bad = !Number.isFinite(x[i]!) ? 0 : !Number.isFinite(x[U * n + i]!) ? 1 : -1;
      if (bad >= 0) {
        errors[3 * worker] = i;
        errors[3 * worker + 1] = bad;
        errors[3 * worker + 2] = x[bad * n + i]!;
        return;
      }
    }
  }

  /** Resets the neurons that crossed in this step: v ← c, u ← u + d (in neuron order). */
  private reset(): void {
    const { x, spikeStep, fired } = this;
    const n = this.n | 0;
    const step = this.step | 0;
    const firedAt = this.firedAt | 0;
    const end = (firedAt + this.count) | 0;
    const uAt = (U * n) | 0;
    const cAt = (C * n) | 0;
    const dAt = (D * n) | 0;
    for (let s = firedAt; s < end; s++) {
      const i = fired[s]!;
      x[i] = x[cAt + i]!;
      x[uAt + i]! += x[dAt + i]!;
      spikeStep[i] = step;
    }
  }

  /** Each spike adds its row of weights, times its sign's weight, to Σexc of this range's neurons (spikes in neuron order). */
  private propagateDense(first: number, end: number): void {
    const { x, fired, denseWeights: w } = this;
    const gainE = this.gains[0]!;
    const gainI = this.gains[1]!;
    const n = this.n | 0;
    const lo = this.lo | 0;
    const hi = this.hi | 0;
    const excitatory = this.excitatory | 0;
    const at = (SUMS * n) | 0;
    for (let s = first; s < end; s++) {
      const j = fired[s]!;
      const gain = j < excitatory ? gainE : gainI;
      for (let i = lo, k = j * n + lo; i < hi; i++, k++) x[at + 2 * i]! += gain * w[k]!;
    }
  }

  /**
   * Each spike adds its U(0, 1) weights to Σexc or Σinh of its targets in this range (exact sums:
   * header, point 3). The rows of a 100k network are far apart in memory (80 MB of synapses), so
   * the walk waits on memory: four rows are walked side by side to have four times as many loads
   * in flight (1.7× faster than one row at a time).
   */
  private propagateSparse(first: number, end: number): void {
    const { x, fired, target: t, weight: w, starts, ends } = this;
    const endShift = this.endShift | 0;
    const excitatory = this.excitatory | 0;
    // Σexc of target t at eAt + 2t, Σinh at eAt + 2t + 1.
    const eAt = (SUMS * this.n) | 0;
    const hAt = (eAt + 1) | 0;
    let s = first | 0;
    for (; s + 3 < end; s += 4) {
      const j0 = fired[s]!;
      const j1 = fired[s + 1]!;
      const j2 = fired[s + 2]!;
      const j3 = fired[s + 3]!;
      const at0 = j0 < excitatory ? eAt : hAt;
      const at1 = j1 < excitatory ? eAt : hAt;
      const at2 = j2 < excitatory ? eAt : hAt;
      const at3 = j3 < excitatory ? eAt : hAt;
      // Record indices ×2: k is the target's slot, k + 1 the weight's.
      let k0 = 2 * starts[j0]!;
      let k1 = 2 * starts[j1]!;
      let k2 = 2 * starts[j2]!;
      let k3 = 2 * starts[j3]!;
      const e0 = 2 * ends[j0 + endShift]!;
      const e1 = 2 * ends[j1 + endShift]!;
      const e2 = 2 * ends[j2 + endShift]!;
      const e3 = 2 * ends[j3 + endShift]!;
      while (k0 < e0 && k1 < e1 && k2 < e2 && k3 < e3) {
        x[at0 + 2 * t[k0]!]! += w[k0 + 1]!;
        x[at1 + 2 * t[k1]!]! += w[k1 + 1]!;
        x[at2 + 2 * t[k2]!]! += w[k2 + 1]!;
        x[at3 + 2 * t[k3]!]! += w[k3 + 1]!;
        k0 += 2;
        k1 += 2;
        k2 += 2;
        k3 += 2;
      }
      for (; k0 < e0; k0 += 2) x[at0 + 2 * t[k0]!]! += w[k0 + 1]!;
      for (; k1 < e1; k1 += 2) x[at1 + 2 * t[k1]!]! += w[k1 + 1]!;
      for (; k2 < e2; k2 += 2) x[at2 + 2 * t[k2]!]! += w[k2 + 1]!;
      for (; k3 < e3; k3 += 2) x[at3 + 2 * t[k3]!]! += w[k3 + 1]!;
    }
    for (; s < end; s++) {
      const j = fired[s]!;
      const at = j < excitatory ? eAt : hAt;
      for (let k = 2 * starts[j]!, e = 2 * ends[j + endShift]!; k < e; k += 2) x[at + 2 * t[k]!]! += w[k + 1]!;
    }
  }
}

/** Adds the time since `since` to profile[part]; returns now. */
function lap(profile: Float64Array, part: number, since: number): number {
  const now = performance.now();
  profile[part]! += now - since;
  return now;
}

/**
 * An inhibitory neuron's cost in a step relative to an excitatory one's (its update reads a and b;
 * noise, reset and propagation cost the same): from the one-thread profile, update 4.4 vs 5.75 ns,
 * the rest ~2.9 ns each (docs/izhikevich-2003.md).
 */
const INHIBITORY_COST = 1.2;

/**
 * Bounds of W contiguous ranges of about equal work (excitatory neurons 0 … Ne−1 cost 1, the
 * others INHIBITORY_COST), cut at multiples of the noise's blocks when the ranges are large.
 */
function partitionBounds(n: number, threads: number, excitatory: number): Int32Array {
  const bounds = new Int32Array(threads + 1);
  const unit = n >= threads * NORMAL_BLOCK * 4 ? NORMAL_BLOCK : 2;
  const total = excitatory + INHIBITORY_COST * (n - excitatory);
  for (let w = 1; w < threads; w++) {
    const work = (w * total) / threads;
    const at = work <= excitatory ? work : excitatory + (work - excitatory) / INHIBITORY_COST;
    bounds[w] = Math.min(n, Math.max(bounds[w - 1]!, Math.round(at / unit) * unit));
  }
  bounds[threads] = n;
  return bounds;
}

export class Izhikevich2003Kernel implements Kernel {
  readonly size: number;
  readonly dtMs: number;
  readonly connectivity: Izhikevich2003Connectivity;
  readonly stepping: Izhikevich2003Stepping;
  private readonly seed: number;
  private readonly params: Izhikevich2003Params;
  private holdSteps: number;
  /** Typed arrays over SharedArrayBuffers (a pool of threads was given and memory can be shared). */
  private readonly sharedMemory: boolean;
  private readonly pool: ThreadPool | undefined;
  /** The arrays every thread works on. */
  private readonly shared: Izhikevich2003Shared;

  // Views of the per-neuron sections.
  readonly v: Float64Array;
  readonly u: Float64Array;
  /** Standard normal deviates z of the thalamic input, held between redraws. */
  readonly thalamic: Float64Array;
  readonly inputCurrent: Float64Array;
  /**
   * Σ of the U(0, 1) weights of the spikes of the last step (dense: of the weighted weights), delivered in
   * the next update (header, point 3): the excitatory spikes' at 2i, the inhibitory spikes' at 2i + 1.
   */
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

  private lastStep = -1;
  /** Steps the current thalamic deviates still hold for; 0: redraw before the next step. */
  private holdLeft = 0;
  /** Thalamic draws made so far: the next one is draw number `draws`. */
  private draws = 0;
  /** The weights of the last step's spikes, for their delivery in the next update (sparse; dense: 1 and 0). */
  private deliverE: number;
  private deliverI: number;
  /** The whole network as one range, for steps computed in this thread alone. */
  private alone: { partition: Partition; range: Izhikevich2003Range };
  /** The split across the pool's threads, once asked for (a new one after a rebuild). */
  private split: { id: number; partition: Partition; range: Izhikevich2003Range } | undefined;
  /** The pool's epoch of the last step computed with helpers: settle() waits for their phase 2 of it. */
  private lastEpoch = 0;
  /** Threads that computed the last step. */
  threadsInUse = 1;
  /** Set by the driver when inputCurrent holds only zeros for the next step (Kernel.inputIsZero): the Euler loops then skip it. */
  inputIsZero = false;
  /** When set, the driving thread's ms per part of PROFILE_PARTS are added here (summed over steps). */
  profile: Float64Array | undefined;

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
    this.pool = config.threads;
    this.sharedMemory = config.threads !== undefined && canShareMemory();
    this.holdSteps = holdSteps(this.params.thalamicHoldMs, this.dtMs);
    const shared = this.sharedMemory;
    // The WebAssembly kernels and their memory (WasmLayout), unless this engine cannot run them.
    const synapses = this.connectivity === 'sparse' && this.params.fanIn <= n - 1 ? n * this.params.fanIn : 0;
    const wasm = wasmKernelUsable(updateWasm, shared) && WasmCounterNormals.usable(shared) ? wasmLayout(n, synapses, this.pool?.threads ?? 1, shared) : undefined;
    const perNeuron = wasm ? new Float64Array(wasm.memory.buffer, 0, SECTIONS * n) : allocate(Float64Array, SECTIONS * n, shared);
    const fired = wasm ? new Int32Array(wasm.memory.buffer, SECTIONS * n * 8, 2 * n) : allocate(Int32Array, 2 * n, shared);
    const section = (k: number): Float64Array => perNeuron.subarray(k * n, (k + 1) * n);
    this.v = section(V);
    this.u = section(U);
    this.thalamic = section(Z);
    this.inputCurrent = section(I_EXT);
    this.synaptic = perNeuron.subarray(SUMS * n, (SUMS + 2) * n);
    this.a = section(A);
    this.b = section(B);
    this.c = section(C);
    this.d = section(D);
    this.shared = {
      size: n,
      dtMs: this.dtMs,
      seed: this.seed,
      connectivity: this.connectivity,
      stepping: this.stepping,
      perNeuron,
      spikeStep: allocate(Int32Array, n, shared).fill(-1),
      scalars: allocate(Float64Array, SCALARS, shared),
      fired,
      denseWeights: this.connectivity === 'dense' ? allocate(Float64Array, n * n, shared) : new Float64Array(0),
      offsets: new Int32Array(1),
      records: new Int32Array(0),
      partition: this.partition(1),
      wasm,
    };
    this.build();
    this.v.fill(V0);
    for (let i = 0; i < n; i++) this.u[i] = this.b[i]! * V0;
    [this.deliverE, this.deliverI] = this.deliveryFactors();
    this.alone = { partition: this.shared.partition, range: new Izhikevich2003Range(this.shared, 0) };
  }

  /** The partition of the network into `threads` ranges, with its sparse row splits. */
  private partition(threads: number): Partition {
    const n = this.size;
    const shared = this.sharedMemory;
    const bounds = partitionBounds(n, threads, this.excitatory);
    const rowStarts: Int32Array[] = [];
    if (this.connectivity === 'sparse' && threads > 1) {
      const { offsets, records, wasm } = this.shared;
      const inWasm = wasm !== undefined && records.buffer === wasm.memory.buffer;
      for (let b = 1; b < threads; b++) {
        const starts = inWasm ? new Int32Array(wasm.memory.buffer, wasm.rowStarts + 4 * n * (b - 1), n) : allocate(Int32Array, n, shared);
        const bound = bounds[b]!;
        for (let j = 0; j < n; j++) {
          // The first record of row j with target ≥ bound (targets ascend within a row).
          let lo = offsets[j]!;
          let hi = offsets[j + 1]!;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (records[2 * mid]! < bound) lo = mid + 1;
            else hi = mid;
          }
          starts[j] = lo;
        }
        rowStarts[b] = starts;
      }
    }
    return { threads, bounds, rowStarts, counts: allocate(Int32Array, 2 * threads, shared), errors: allocate(Float64Array, 3 * threads, shared) };
  }

  /** The factors of Σexc and Σinh in the update: the weights in force (dense sums are weighted already: 1 and 0). */
  private deliveryFactors(): [number, number] {
    return this.connectivity === 'dense' ? [1, 0] : [this.params.weightExcitatory, -this.params.weightInhibitory];
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
      const w = this.shared.denseWeights;
      for (let k = 0; k < w.length; k++) w[k] = random.uniform();
      this.denseWeights = w;
    } else {
      this.buildSparse(random, fanIn);
    }
  }

  /**
   * Fixed fan-in: for each post i, K distinct presynaptic neurons ≠ i (Floyd's sampling); then rows by
   * pre, targets ascending, and the weights in row order. The rows are a transpose of the draws; it
   * is built without scattering over the whole record array or the row offsets (at 10⁸ synapses each
   * of those accesses missed the cache): the synapses are counted per block of 2^12 rows while they
   * are drawn, staged in the region of their block in draw order, and each block, a few MB, is then
   * counted into its rows and sorted into them in cache.
   */
  private buildSparse(random: Random, fanIn: number): void {
    const n = this.size;
    const presynaptic = new Int32Array(n * fanIn);
    const blocks = Math.ceil(n / ROWS_PER_BLOCK);
    const blockCount = new Int32Array(blocks);
    // The set drawn so far for post i: open addressing in a table of ≥ 2K slots (in L1 for K = 100,
    // where a mark per neuron would be read and written at random in N·4 bytes); a slot is taken
    // for post i when its stamp is i + 1, so nothing is cleared between posts.
    let bits = 8;
    while (1 << bits < 2 * fanIn + 1) bits++;
    const mask = (1 << bits) - 1;
    const keys = new Int32Array(mask + 1);
    const stamps = new Int32Array(mask + 1);
    const others = n - 1;
    const firstJ = others - fanIn;
    // Floyd's draws for one post: draws[f] uniform in [0, firstJ + f + 1), as `below` would draw them one by one.
    const draws = new Int32Array(fanIn);
    for (let i = 0; i < n; i++) {
      let at = i * fanIn;
      const stamp = i + 1;
      random.fillBelow(draws, firstJ + 1);
      // Floyd: a uniform K-subset of the candidates 0 … N−2 (candidate t is neuron t below i, t + 1 from i on).
      for (let f = 0; f < fanIn; f++) {
        const j = firstJ + f;
        const t = draws[f]!;
        let slot = Math.imul(t, 0x9e3779b1) >>> (32 - bits);
        let taken = false;
        for (; stamps[slot] === stamp; slot = (slot + 1) & mask) {
          if (keys[slot] === t) {
            taken = true;
            break;
          }
        }
        // t is in the set: take j (never in it yet), at its own slot.
        let candidate = t;
        if (taken) {
          candidate = j;
          slot = Math.imul(j, 0x9e3779b1) >>> (32 - bits);
          while (stamps[slot] === stamp) slot = (slot + 1) & mask;
        }
        keys[slot] = candidate;
        stamps[slot] = stamp;
        const pre = candidate < i ? candidate : candidate + 1;
        presynaptic[at++] = pre;
        blockCount[pre >>> ROW_BLOCK_BITS]!++;
      }
    }
    // In the WebAssembly memory when there is room (WasmLayout), for the propagation there.
    const wasm = this.shared.wasm;
    const inWasm = wasm !== undefined && presynaptic.length <= wasm.recordCapacity;
    const offsets = inWasm ? new Int32Array(wasm.memory.buffer, wasm.offsets, n + 1) : allocate(Int32Array, n + 1, this.sharedMemory);
    const records = inWasm ? new Int32Array(wasm.memory.buffer, wasm.records, 2 * presynaptic.length) : allocate(Int32Array, 2 * presynaptic.length, this.sharedMemory);
    // Stage (target, pre) in draw order — posts ascending — in the region of the pre's block of rows.
    const blockStart = new Int32Array(blocks + 1);
    let largest = 0;
    for (let b = 0; b < blocks; b++) {
      blockStart[b + 1] = blockStart[b]! + blockCount[b]!;
      largest = Math.max(largest, blockCount[b]!);
    }
    const blockFill = blockStart.slice(0, blocks);
    for (let i = 0, k = 0; i < n; i++) {
      for (let f = 0; f < fanIn; f++, k++) {
        const pre = presynaptic[k]!;
        const slot = blockFill[pre >>> ROW_BLOCK_BITS]!++;
        records[2 * slot] = i;
        records[2 * slot + 1] = pre;
      }
    }
    // Each block: its rows' offsets from its own counts, then its synapses into its rows; staged in
    // ascending post order, so each row's targets come out sorted.
    const staged = new Int32Array(2 * largest);
    const fill = new Int32Array(ROWS_PER_BLOCK);
    for (let b = 0; b < blocks; b++) {
      const firstRow = b * ROWS_PER_BLOCK;
      const lastRow = Math.min(n, firstRow + ROWS_PER_BLOCK);
      const from = blockStart[b]!;
      const count = blockCount[b]!;
      staged.set(records.subarray(2 * from, 2 * (from + count)));
      fill.fill(0);
      for (let s = 0; s < count; s++) fill[staged[2 * s + 1]! - firstRow]!++;
      let start = from;
      for (let row = firstRow; row < lastRow; row++) {
        const rowCount = fill[row - firstRow]!;
        offsets[row] = start;
        fill[row - firstRow] = start;
        start += rowCount;
      }
      for (let s = 0; s < count; s++) records[2 * fill[staged[2 * s + 1]! - firstRow]!++] = staged[2 * s]!;
    }
    offsets[n] = presynaptic.length;
    // 24-bit uniforms, in row order: exactly representable in the Float32 weights, in [0, 1 − 2^−24] (and summed exactly: header, point 3).
    const weight = new Float32Array(records.buffer, records.byteOffset, records.length);
    const words = new Int32Array(4096);
    for (let from = 0; from < presynaptic.length; from += words.length) {
      const count = Math.min(words.length, presynaptic.length - from);
      random.fillUint32(words, 0, count);
      for (let k = 0; k < count; k++) weight[2 * (from + k) + 1] = (words[k]! >>> 8) / 0x1000000;
    }
    this.offsets = offsets;
    this.synapseTarget = records;
    this.synapseWeight = weight;
    this.shared.offsets = offsets;
    this.shared.records = records;
  }

  step(step: number, spikes: SpikeBuffer): void {
    const scalars = this.shared.scalars;
    let draw = -1;
    if (this.holdLeft === 0) {
      draw = this.draws++;
      this.holdLeft = this.holdSteps;
    }
    this.holdLeft--;
    scalars[STEP] = step;
    scalars[DRAW] = draw;
    scalars[SIGMA_E] = this.params.thalamicExcitatory;
    scalars[SIGMA_I] = this.params.thalamicInhibitory;
    scalars[DELIVER_E] = this.deliverE;
    scalars[DELIVER_I] = this.deliverI;
    scalars[GAIN_E] = this.params.weightExcitatory;
    scalars[GAIN_I] = -this.params.weightInhibitory;
    scalars[EXCITATORY] = this.excitatory;
    scalars[EXTERNAL] = this.inputIsZero ? 0 : 1;
    const split = this.splitReady();
    const { partition, range } = split ?? this.alone;
    const profile = this.profile;
    range.profile = profile;
    if (split) this.lastEpoch = this.pool!.startStep();
    range.phase1();
    let time = profile ? performance.now() : 0;
    if (split) this.pool!.barrier();
    if (profile) time = lap(profile, P_BARRIER, time);
    this.collect(step, spikes, partition);
    if (profile) lap(profile, P_SPIKES, time);
    range.phase2();
    [this.deliverE, this.deliverI] = this.deliveryFactors();
    this.lastStep = step;
    this.threadsInUse = partition.threads;
  }

  /** The split across the pool, when every helper is there for it (asking for them the first time). */
  private splitReady(): { id: number; partition: Partition; range: Izhikevich2003Range } | undefined {
    const pool = this.pool;
    if (!pool || !this.sharedMemory) return undefined;
    if (!this.split) {
      const partition = this.partition(pool.threads);
      const shared = { ...this.shared, partition };
      this.split = { id: pool.newId(), partition, range: new Izhikevich2003Range(shared, 0) };
      pool.attach(this.split.id, izhikevich2003.id, shared);
    }
    return pool.attached(this.split.id) ? this.split : undefined;
  }

  /** After phase 1 of every thread: a divergence stops the run; the spikes go out in neuron order. */
  private collect(step: number, spikes: SpikeBuffer, partition: Partition): void {
    const { threads, bounds, counts, errors } = partition;
    const endMs = (step + 1) * this.dtMs;
    for (let w = 0; w < threads; w++) {
      const neuron = errors[3 * w]!;
      if (neuron >= 0) throw new DivergenceError(errors[3 * w + 1] === 0 ? 'v' : 'u', neuron, step, endMs, errors[3 * w + 2]!);
    }
    const fired = this.shared.fired;
    const parity = step & 1;
    for (let w = 0; w < threads; w++) {
      const first = parity * this.size + bounds[w]!;
      const end = first + counts[parity * threads + w]!;
      for (let s = first; s < end; s++) spikes.push(step, fired[s]!, endMs);
    }
  }

  /** Waits for the helpers to finish the last step (their phase 2 writes synaptic sums). */
  private settle(): void {
    if (this.lastEpoch > 0) this.pool?.settle(this.lastEpoch);
  }

  /** Whether the thalamic noise and the Euler update (for 'euler') run in WebAssembly. */
  get wasm(): boolean {
    return this.shared.wasm !== undefined;
  }

  /** The number of synapses. */
  get synapses(): number {
    return this.connectivity === 'dense' ? this.size * this.size : this.offsets[this.size]!;
  }

  probe(probe: number, neuron: number): number {
    if (probe === 1) return this.u[neuron]!;
    const fired = this.shared.spikeStep[neuron]!;
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
      this.settle();
      try {
        this.build();
      } catch (error) {
        this.params[key] = old;
        throw error;
      }
      // New structure arrays: new ranges (and new shared arrays for the helpers, when next asked for).
      this.alone = { partition: this.shared.partition, range: new Izhikevich2003Range(this.shared, 0) };
      this.split = undefined;
    }
  }

  private arrays(): KernelState {
    const { v, u, thalamic, synaptic } = this;
    return { v, u, thalamic, synaptic, spikeStep: this.shared.spikeStep };
  }

  // Whole-number counters in a plain Array (a file's start state is checked as such); the two
  // delivery weights, any doubles, in their own Float64Array.
  saveState(): KernelState {
    this.settle();
    return { ...copyState(this.arrays()), counters: [this.lastStep, this.holdLeft, this.draws], delivery: Float64Array.of(this.deliverE, this.deliverI) };
  }

  restoreState(state: KernelState): void {
    const { counters, delivery } = state;
    if (!Array.isArray(counters) || counters.length !== 3) throw new Error('state field counters is missing or has the wrong size');
    if (!(delivery instanceof Float64Array) || delivery.length !== 2) throw new Error('state field delivery is missing or has the wrong size');
    this.settle();
    assignState(this.arrays(), state);
    [this.lastStep, this.holdLeft, this.draws] = counters as [number, number, number];
    this.deliverE = delivery[0]!;
    this.deliverI = delivery[1]!;
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
  inputTypical: [-10, 30],
  network: true,
  work: 1,
  settableState: IZHIKEVICH_STATE,
  scenes: izhikevich2003Scenes(),
  plane: {
    probes: { x: 'v', y: 'u', input: ['iExt'], resets: true },
    // The plane of one neuron: its own a, b, c, d (izhikevich2003Neuron) with the paper's constants.
    compute: (model, params, input, range, samples) => {
      for (const name of ['a', 'b', 'c', 'd']) {
        if (typeof params[name] !== 'number') throw new InputError(`params.${name}`, params[name], "the neuron's own value (izhikevich2003Neuron gives a, b, c, d)");
      }
      return izhikevichPlane(model, { ...IZHIKEVICH_2003_CONSTANTS, a: params.a!, b: params.b!, c: params.c!, d: params.d! }, input, range, samples);
    },
    state: (x, y) => ({ v: x, u: y }),
    neuronParams: {
      dependsOn: ['excitatoryFraction'],
      of: (seed, neurons, params, neuron) => izhikevich2003Neuron(seed, neurons, params.excitatoryFraction ?? 0.8, neuron),
    },
  },
  presentation: {
    hand: { amplitude: 20, durationMs: 2 },
    frameCost: 1,
    caption: (scene) => ({
      see: `${scene.neurons} Izhikevich neurons: the raster (top) has excitatory neurons in blue (the first 80 %) and inhibitory ones in red, with the population rate under it; the scope shows neuron 0's v and u (mV).`,
      protocol: 'random thalamic input to every neuron (5·randn to excitatory, 2·randn to inhibitory, redrawn every ms), no other stimulus; the network runs on (the input lane appears when you inject).',
      tries: ['watch the population rate for rhythms (alpha ~10 Hz, gamma ~40 Hz); set the inhibitory synapse weight to 0 and see them change.', 'click a raster row to probe that neuron, then press P to pulse it.'],
    }),
    // The excitatory neurons come first (the kernel's order).
    inhibitoryFrom: (neurons, params) => Math.round((params.excitatoryFraction ?? 0.8) * neurons),
  },
  create: (config) => new Izhikevich2003Kernel(config),
  threadPart: (shared, worker) => new Izhikevich2003Range(shared as Izhikevich2003Shared, worker),
};

// ── Phase plane ──

/** The paper's constants of the 2003 network, and its neuron parameters drawn as the kernel draws them. */
export const IZHIKEVICH_2003_CONSTANTS = { k2: 0.04, k1: 5, k0: 140, uVOffset: 0, uLeak: 1, vPeak: 30 };

/**
 * a, b, c, d of neuron `index` of an izhikevich-2003 network: r_i ~ U(0, 1) is the (i+1)-th
 * draw of Random(seed), as in the kernel's build (neuron order, before the weights); the
 * formulas are the paper's (tests check them against the kernel's own arrays).
 */
export function izhikevich2003Neuron(seed: number, neurons: number, excitatoryFraction: number, index: number): { a: number; b: number; c: number; d: number } {
  if (!Number.isInteger(index) || index < 0 || index >= neurons) throw new InputError('neuron', index, `a neuron index from 0 to ${neurons - 1}`);
  const random = new Random(seed);
  let r = 0;
  for (let i = 0; i <= index; i++) r = random.uniform();
  if (index < Math.round(excitatoryFraction * neurons)) return { a: 0.02, b: 0.2, c: -65 + 15 * r * r, d: 8 - 6 * r * r };
  return { a: 0.02 + 0.08 * r, b: 0.25 - 0.05 * r, c: -65, d: 2 };
}

/**
 * Izhikevich (2003): the paper's dense network of 1000 (stepped at 0.5 ms, and as the paper's program
 * at 1 ms), and sparse networks of 10 000 and 100 000 (fan-in 100), stepped as the dense default.
 */
function izhikevich2003Scenes(): ModelScene[] {
  const probes = [
    { variable: 'v', neuron: 0 },
    { variable: 'u', neuron: 0 },
    { variable: 'iExt', neuron: 0 },
  ];
  const common = { dtMs: 0.5, durationMs: 1000, seed: 1, probes } as const;
  return [
    {
      id: 'izhikevich-2003',
      title: 'Izhikevich (2003) network: 1000 neurons, all-to-all',
      description:
        "The paper's network: 800 excitatory and 200 inhibitory neurons with random parameters, thalamic noise, every neuron coupled to every neuron. Rhythms in the alpha (~10 Hz) and gamma (~40 Hz) bands appear in the raster.",
      ...common,
      neurons: 1000,
      options: { connectivity: 'dense' },
    },
    {
      id: 'izhikevich-2003/paper',
      title: 'Izhikevich (2003) network as the paper ran it: 1 ms steps',
      description:
        "The same network stepped as the paper's MATLAB program: 1 ms steps, v by two 0.5 ms half-steps with one input, u by one 1 ms step, the threshold checked once per ms. It fires ~10 % less than the 0.5 ms default (docs/izhikevich-2003.md).",
      ...common,
      dtMs: 1,
      neurons: 1000,
      options: { connectivity: 'dense', stepping: 'paper' },
    },
    {
      id: 'izhikevich-2003/sparse-10k',
      title: 'Izhikevich (2003) network: 10 000 neurons, 100 synapses each',
      description: 'The same neurons and weights, each neuron receiving 100 random synapses: weaker coupling, asynchronous firing at ~5 Hz.',
      ...common,
      neurons: 10_000,
      options: { connectivity: 'sparse' },
    },
    {
      id: 'izhikevich-2003/sparse-100k',
      title: 'Izhikevich (2003) network: 100 000 neurons, 100 synapses each',
      description: '10 million synapses; runs at about real time in one thread.',
      ...common,
      neurons: 100_000,
      options: { connectivity: 'sparse' },
    },
  ];
}
