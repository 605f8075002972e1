/**
 * Synapse weight matrices, held sparse: for each presynaptic neuron the list of its
 * postsynaptic targets and weights (compressed sparse rows keyed by the presynaptic
 * neuron), which is what spike propagation walks.
 */
import { log } from './numerics/deterministic-math.ts';
import { Random } from './random.ts';
import { checkParam, InputError, plainZero, type ParamSpec } from './schema.ts';

export interface SparseWeights {
  readonly size: number;
  /** Outgoing synapses of neuron j are entries offsets[j] … offsets[j+1]−1. */
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly weights: Float64Array;
}

/** The seed's ring: neuron i is driven by neuron i−1 (and neuron 0 by neuron N−1). */
export interface RingConnectivity {
  kind: 'ring';
  weight?: number;
}
/**
 * Random synapses, each with a weight drawn uniformly in [0, weightMax). Without `probability` or
 * `fanIn`, every neuron drives every neuron (itself included, as in the seed); with `probability`,
 * each of the N² possible synapses exists with that probability; with `fanIn`, each neuron
 * receives exactly `fanIn` synapses from distinct presynaptic neurons (itself possibly among them).
 */
export interface RandomConnectivity {
  kind: 'random';
  weightMax?: number;
  probability?: number;
  fanIn?: number;
}
/** Every neuron drives every other neuron (not itself) with the same weight. */
export interface AllToAllConnectivity {
  kind: 'all-to-all';
  weight?: number;
}
/** A user-given dense matrix, weights[post][pre] (the seed's I = W·Isyn convention); zeros are dropped. */
export interface MatrixConnectivity {
  kind: 'matrix';
  weights: number[][];
}
/** No synapses. */
export interface NoConnectivity {
  kind: 'none';
}
export type Connectivity = RingConnectivity | RandomConnectivity | AllToAllConnectivity | MatrixConnectivity | NoConnectivity;
export const CONNECTIVITY_KINDS = ['none', 'ring', 'random', 'all-to-all', 'matrix'] as const;

/** Largest |weight| accepted from a file. */
const MAX_WEIGHT = 1e6;

/**
 * The numbers of a connectivity, described once like model parameters (the scene panel's fields
 * derive from them; parseConnectivity checks them). `fanIn`'s upper bound is the network's size.
 */
export const connectivityFieldSpecs = {
  weight: { name: 'weight', label: 'synaptic weight', unit: '', default: 1, min: -MAX_WEIGHT, max: MAX_WEIGHT, typical: [-2, 2], precision: 3, doc: 'weight of every synapse (ring, all-to-all)' },
  weightMax: { name: 'weightMax', label: 'largest weight', unit: '', default: 0.3, min: -MAX_WEIGHT, max: MAX_WEIGHT, typical: [0, 2], precision: 3, doc: 'random weights are drawn uniformly in [0, weightMax)' },
  probability: { name: 'probability', label: 'connection probability', unit: '', default: 0.1, min: 0, max: 1, typical: [0, 1], precision: 3, doc: 'each possible synapse exists with this probability (random)' },
  fanIn: { name: 'fanIn', label: 'synapses per neuron', unit: '', default: 10, min: 0, max: 1e6, integer: true, typical: [1, 1000], log: true, doc: 'each neuron receives exactly this many synapses from distinct random neurons (random)' },
} as const satisfies Record<string, ParamSpec>;

/** The fields each kind takes (besides `kind`; a matrix takes `weights`, a list of rows). */
export const CONNECTIVITY_FIELDS: Record<Connectivity['kind'], readonly (keyof typeof connectivityFieldSpecs)[]> = {
  none: [],
  ring: ['weight'],
  random: ['weightMax', 'probability', 'fanIn'],
  'all-to-all': ['weight'],
  matrix: [],
};

export function buildWeights(connectivity: Connectivity, size: number, random: Random): SparseWeights {
  switch (connectivity.kind) {
    case 'none':
      return fromTriplets(size, [], [], []);
    case 'ring': {
      const pre = Array.from({ length: size }, (_, j) => j);
      return fromTriplets(size, pre, pre.map((j) => (j + 1) % size), pre.map(() => connectivity.weight ?? 1));
    }
    case 'all-to-all': {
      const weight = connectivity.weight ?? 1;
      const offsets = new Int32Array(size + 1);
      for (let j = 0; j <= size; j++) offsets[j] = j * (size - 1);
      const targets = new Int32Array(size * (size - 1));
      const weights = new Float64Array(size * (size - 1)).fill(weight);
      for (let j = 0, at = 0; j < size; j++) for (let i = 0; i < size; i++) if (i !== j) targets[at++] = i;
      return { size, offsets, targets, weights };
    }
    case 'random': {
      if (connectivity.probability !== undefined) return randomByProbability(size, connectivity.probability, connectivity.weightMax ?? 0.3, random);
      if (connectivity.fanIn !== undefined) return randomByFanIn(size, connectivity.fanIn, connectivity.weightMax ?? 0.3, random);
      // Every pre j drives every post i: rows of N by pre, drawn row by row by post, like numpy's
      // rand(N, N). Written straight into the compressed rows (12 bytes per synapse, no triplets).
      const weightMax = connectivity.weightMax ?? 0.3;
      const offsets = new Int32Array(size + 1);
      for (let j = 0; j <= size; j++) offsets[j] = j * size;
      const targets = new Int32Array(size * size);
      const weights = new Float64Array(size * size);
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          targets[j * size + i] = i;
          weights[j * size + i] = random.uniform() * weightMax;
        }
      }
      return { size, offsets, targets, weights };
    }
    case 'matrix': {
      // weights[post][pre]; zeros dropped; within a pre's row, posts in ascending order.
      const rows = connectivity.weights;
      const offsets = new Int32Array(size + 1);
      for (const row of rows) row.forEach((w, j) => w !== 0 && offsets[j + 1]!++);
      for (let j = 0; j < size; j++) offsets[j + 1]! += offsets[j]!;
      const fill = offsets.slice(0, size);
      const targets = new Int32Array(offsets[size]!);
      const weights = new Float64Array(offsets[size]!);
      rows.forEach((row, i) =>
        row.forEach((w, j) => {
          if (w === 0) return;
          const at = fill[j]!++;
          targets[at] = i;
          weights[at] = w;
        }),
      );
      return { size, offsets, targets, weights };
    }
  }
}

/**
 * Each (post i, pre j) synapse exists with probability p, walked post by post, pre by pre; the
 * gaps between synapses are geometric (one draw per synapse, not per pair), then the weight.
 */
function randomByProbability(size: number, p: number, weightMax: number, random: Random): SparseWeights {
  const pre: number[] = [];
  const post: number[] = [];
  const weight: number[] = [];
  const total = size * size;
  // The number of pairs skipped before the next synapse: geometric, from one uniform draw.
  const logMiss = p < 1 ? log(1 - p) : -Infinity;
  const skip = (): number => (p < 1 ? Math.floor(log(1 - random.uniform()) / logMiss) : 0);
  if (p > 0 && logMiss !== 0) {
    for (let k = skip(); k < total; k += 1 + skip()) {
      post.push(Math.floor(k / size));
      pre.push(k % size);
      weight.push(random.uniform() * weightMax);
    }
  }
  return fromTriplets(size, pre, post, weight);
}

/** Each post i draws `fanIn` distinct pre neurons (Floyd's sampling, then in ascending order), each with its weight. */
function randomByFanIn(size: number, fanIn: number, weightMax: number, random: Random): SparseWeights {
  const pre = new Array<number>(size * fanIn);
  const post = new Array<number>(size * fanIn);
  const weight = new Array<number>(size * fanIn);
  const chosen = new Uint8Array(size);
  const picks: number[] = [];
  for (let i = 0, at = 0; i < size; i++) {
    picks.length = 0;
    for (let j = size - fanIn; j < size; j++) {
      const t = random.int(j + 1);
      const pick = chosen[t] ? j : t;
      chosen[pick] = 1;
      picks.push(pick);
    }
    picks.sort((a, b) => a - b);
    for (const j of picks) {
      chosen[j] = 0;
      pre[at] = j;
      post[at] = i;
      weight[at++] = random.uniform() * weightMax;
    }
  }
  return fromTriplets(size, pre, post, weight);
}

/** Builds the sparse form from (pre, post, weight) triplets, grouped by presynaptic neuron in a stable order. */
export function fromTriplets(size: number, pre: readonly number[], post: readonly number[], weight: readonly number[]): SparseWeights {
  const offsets = new Int32Array(size + 1);
  for (const j of pre) offsets[j + 1]!++;
  for (let j = 0; j < size; j++) offsets[j + 1]! += offsets[j]!;
  const fill = offsets.slice(0, size);
  const targets = new Int32Array(pre.length);
  const weights = new Float64Array(pre.length);
  for (let k = 0; k < pre.length; k++) {
    const at = fill[pre[k]!]!++;
    targets[at] = post[k]!;
    weights[at] = weight[k]!;
  }
  return { size, offsets, targets, weights };
}

/** Validates an untrusted connectivity description for a network of `size` neurons. */
export function parseConnectivity(input: unknown, size: number, field = 'connectivity'): Connectivity {
  if (input === undefined) return { kind: 'none' };
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InputError(field, input, 'an object with a "kind"');
  const record = input as Record<string, unknown>;
  const finiteWeight = (key: string, value: unknown): number => {
    if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > MAX_WEIGHT) {
      throw new InputError(`${field}.${key}`, value, `a number from -${MAX_WEIGHT} to ${MAX_WEIGHT}`);
    }
    return plainZero(value);
  };
  const only = (keys: readonly string[]): void => {
    for (const key of Object.keys(record)) {
      if (key !== 'kind' && !keys.includes(key)) throw new InputError(`${field}.${key}`, record[key], `not a field of "${String(record.kind)}" connectivity; fields: ${keys.join(', ') || 'none'}`);
    }
  };
  switch (record.kind) {
    case 'none':
      return { kind: 'none' };
    case 'ring':
      only(['weight']);
      return record.weight === undefined ? { kind: 'ring' } : { kind: 'ring', weight: finiteWeight('weight', record.weight) };
    case 'random': {
      only(['weightMax', 'probability', 'fanIn']);
      const out: RandomConnectivity = { kind: 'random' };
      if (record.weightMax !== undefined) out.weightMax = finiteWeight('weightMax', record.weightMax);
      if (record.probability !== undefined && record.fanIn !== undefined) throw new InputError(`${field}.fanIn`, record.fanIn, 'nothing when probability is given (a random network has a probability or a fan-in, not both)');
      if (record.probability !== undefined) out.probability = checkParam(connectivityFieldSpecs.probability, record.probability, `${field}.probability`);
      if (record.fanIn !== undefined) out.fanIn = checkParam({ ...connectivityFieldSpecs.fanIn, max: size }, record.fanIn, `${field}.fanIn`);
      return out;
    }
    case 'all-to-all':
      only(['weight']);
      return record.weight === undefined ? { kind: 'all-to-all' } : { kind: 'all-to-all', weight: finiteWeight('weight', record.weight) };
    case 'matrix': {
      only(['weights']);
      const rows = record.weights;
      if (!Array.isArray(rows) || rows.length !== size) throw new InputError(`${field}.weights`, rows, `a list of ${size} rows (one per postsynaptic neuron)`);
      const weights = rows.map((row, i) => {
        if (!Array.isArray(row) || row.length !== size) throw new InputError(`${field}.weights[${i}]`, row, `a list of ${size} weights (one per presynaptic neuron)`);
        return row.map((w, j) => finiteWeight(`weights[${i}][${j}]`, w));
      });
      return { kind: 'matrix', weights };
    }
    default:
      throw new InputError(`${field}.kind`, record.kind, `one of ${CONNECTIVITY_KINDS.join(', ')}`);
  }
}
