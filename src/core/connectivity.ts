/**
 * Synapse weight matrices, held sparse: for each presynaptic neuron the list of its
 * postsynaptic targets and weights (compressed sparse rows keyed by the presynaptic
 * neuron), which is what spike propagation walks.
 */
import { Random } from './random.ts';
import { InputError, plainZero } from './schema.ts';

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
/** Every neuron drives every neuron (itself included, as in the seed) with a weight drawn uniformly in [0, weightMax). */
export interface RandomConnectivity {
  kind: 'random';
  weightMax?: number;
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
export type Connectivity = RingConnectivity | RandomConnectivity | MatrixConnectivity | NoConnectivity;
export const CONNECTIVITY_KINDS = ['ring', 'random', 'matrix', 'none'] as const;

/** Largest |weight| accepted from a file. */
const MAX_WEIGHT = 1e6;

export function buildWeights(connectivity: Connectivity, size: number, random: Random): SparseWeights {
  switch (connectivity.kind) {
    case 'none':
      return fromTriplets(size, [], [], []);
    case 'ring': {
      const pre = Array.from({ length: size }, (_, j) => j);
      return fromTriplets(size, pre, pre.map((j) => (j + 1) % size), pre.map(() => connectivity.weight ?? 1));
    }
    case 'random': {
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
  switch (record.kind) {
    case 'none':
      return { kind: 'none' };
    case 'ring':
      return record.weight === undefined ? { kind: 'ring' } : { kind: 'ring', weight: finiteWeight('weight', record.weight) };
    case 'random':
      return record.weightMax === undefined ? { kind: 'random' } : { kind: 'random', weightMax: finiteWeight('weightMax', record.weightMax) };
    case 'matrix': {
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
