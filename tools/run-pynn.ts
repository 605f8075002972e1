/**
 * Runs an exported PyNN script (src/export/pynn.ts) as a user would — Debian's python3, under
 * mpirun for more than one process — and reads the spikes it writes. Used by tests/pynn-run.test.ts
 * and the bench's pynn-neuron-100k case.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Debian's python3: a pyenv python3 earlier on PATH lacks Debian's PyNN, NEURON and Brian2. */
export const PYTHON = process.env.SPIKESCOPE_PYTHON ?? '/usr/bin/python3';

export const INSTALL_HINT =
  "apt-get install python3-pynn python3-neuron neuron-dev openmpi-bin python3-mpi4py python3-brian gcc g++ make libx11-dev libxext-dev (as root; `bash .ci/setup` does it and builds PyNN's NEURON mechanisms)";

export interface ScriptSpikes {
  timeMs: number[];
  neuron: number[];
}

export interface ScriptOutput {
  spikes: ScriptSpikes;
  runs?: { value: number; spikes: ScriptSpikes }[];
  processes: number;
  wallSeconds: { build: number; run: number };
}

/** What is missing to run the scripts (null when nothing is). */
export function missingSimulators(env: NodeJS.ProcessEnv = process.env): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import numpy, neuron, brian2, mpi4py, pyNN.neuron, pyNN.brian2'], { encoding: 'utf8', env });
  if (probe.error || probe.status !== 0) {
    return `${PYTHON} cannot import numpy, neuron, brian2, mpi4py and PyNN's NEURON and Brian2 backends (${(probe.error?.message ?? probe.stderr).trim().split('\n').pop()})`;
  }
  const tools = ['mpirun', 'nrnivmodl'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  return tools.length > 0 ? `${tools.join(' and ')} not found` : null;
}

/**
 * Runs `script` with `args` (under `mpirun -np processes` when processes > 1, as root with
 * --allow-run-as-root) writing to `out`, and returns what it wrote. Throws with the script's
 * standard error when it fails.
 */
export function runPyNNScript(script: string, args: readonly string[], out: string, processes = 1, env: NodeJS.ProcessEnv = process.env): ScriptOutput {
  const mpi = processes > 1 ? ['mpirun', '-np', String(processes), ...(process.getuid?.() === 0 ? ['--allow-run-as-root'] : []), '--oversubscribe'] : [];
  const [program, ...rest] = [...mpi, PYTHON, script, ...args, '--out', out];
  // Open MPI's ranks wait for each other by spinning; on a machine shared with other work, yield instead.
  const result = spawnSync(program!, rest, { encoding: 'utf8', env: { OMPI_MCA_mpi_yield_when_idle: '1', ...env }, maxBuffer: 1 << 26 });
  if (result.error || result.status !== 0) {
    throw new Error(`${[program, ...rest].join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${(result.stderr ?? '').slice(-3000)}`);
  }
  return JSON.parse(readFileSync(out, 'utf8')) as ScriptOutput;
}

export interface SpikeComparison {
  spikes: number;
  expected: number;
  /** Neurons that fired a different number of times. */
  otherCounts: number;
  /** The largest difference between a neuron's k-th spikes (over the spikes both have), ms. */
  largestMs: number;
}

/** Compares two runs' spikes neuron by neuron. */
export function compareSpikes(actual: { timeMs: ArrayLike<number>; neuron: ArrayLike<number> }, expected: { timeMs: ArrayLike<number>; neuron: ArrayLike<number> }): SpikeComparison {
  const byNeuron = (s: { timeMs: ArrayLike<number>; neuron: ArrayLike<number> }): Map<number, number[]> => {
    const map = new Map<number, number[]>();
    for (let k = 0; k < s.neuron.length; k++) {
      const list = map.get(s.neuron[k]!);
      if (list) list.push(s.timeMs[k]!);
      else map.set(s.neuron[k]!, [s.timeMs[k]!]);
    }
    return map;
  };
  const a = byNeuron(actual);
  const e = byNeuron(expected);
  let otherCounts = 0;
  let largestMs = 0;
  for (const neuron of new Set([...a.keys(), ...e.keys()])) {
    const mine = a.get(neuron) ?? [];
    const theirs = e.get(neuron) ?? [];
    if (mine.length !== theirs.length) otherCounts++;
    for (let k = 0; k < Math.min(mine.length, theirs.length); k++) largestMs = Math.max(largestMs, Math.abs(mine[k]! - theirs[k]!));
  }
  return { spikes: actual.timeMs.length, expected: expected.timeMs.length, otherCounts, largestMs };
}
