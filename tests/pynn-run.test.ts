/**
 * The exported PyNN scripts, run on NEURON (also under mpirun) and Brian2, against the engine's own
 * runs: the proof that an export is faithful. Debian's python3-pynn, python3-neuron, neuron-dev,
 * openmpi-bin, python3-mpi4py and python3-brian must be installed (.ci/setup does it); without
 * them every test here fails and says what to install — none is skipped.
 *
 * Scripts are written to a temporary folder; their NMODL mechanisms are compiled once for all of
 * them (SPIKESCOPE_NMODL_DIR). Several runs share one Python process where a script allows it
 * (a sweep runs all its values in one process).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InputEvent } from '../src/core/events.ts';
import { parseScene, type Scene } from '../src/core/scene.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { Simulation } from '../src/core/simulation.ts';
import { exportPyNN } from '../src/export/pynn.ts';
import { Recorder } from '../src/session/recorder.ts';
import type { Recording } from '../src/session/recording.ts';
import { replaySimulation } from '../src/session/replay.ts';
import { runScene, runSimulation, runSweep } from '../src/stream/run.ts';
import { compareSpikes, INSTALL_HINT, missingSimulators, runPyNNScript, type ScriptOutput, type ScriptSpikes as Spikes } from '../tools/run-pynn.ts';

const folder = mkdtempSync(join(tmpdir(), 'spikescope-pynn-'));
const env = { ...process.env, SPIKESCOPE_NMODL_DIR: join(folder, 'nmodl') };
let missing: string | null = null;

beforeAll(() => {
  missing = missingSimulators(env);
}, 120_000);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

function requireSimulators(): void {
  if (missing) throw new Error(`the PyNN export tests need NEURON, Brian2, PyNN and MPI: ${missing}. Install them: ${INSTALL_HINT}`);
}

async function writeScript(input: Scene | Recording, name: string): Promise<string> {
  const path = join(folder, `${name}.py`);
  writeFileSync(path, (await exportPyNN(input)).text);
  return path;
}

/** Runs a script (under mpirun with `processes` > 1) and returns its JSON output. */
function runScript(script: string, args: string[], processes = 1): ScriptOutput {
  return runPyNNScript(script, args, `${script}-${args.join('-').replace(/[^A-Za-z0-9]+/g, '_')}-${processes}.json`, processes, env);
}

/** Per neuron, the same number of spikes and each within `tolerance` ms of the engine's; returns the largest difference. */
function expectSameSpikes(actual: Spikes, expected: { timeMs: ArrayLike<number>; neuron: ArrayLike<number> }, tolerance: number, label: string): number {
  const comparison = compareSpikes(actual, expected);
  expect(comparison.spikes, `${label}: spike count`).toBe(comparison.expected);
  expect(comparison.otherCounts, `${label}: neurons with another spike count`).toBe(0);
  expect(comparison.largestMs, `${label}: largest spike-time difference (ms)`).toBeLessThanOrEqual(tolerance);
  return comparison.largestMs;
}

/** Mean, excitatory and inhibitory rates (Hz) of a 2003 network's run (the first 80 % of the neurons are excitatory). */
function networkRates(scene: Scene, neurons: ArrayLike<number>): { mean: number; excitatory: number; inhibitory: number } {
  const excitatory = Math.round(0.8 * scene.neurons);
  let e = 0;
  for (let k = 0; k < neurons.length; k++) if (neurons[k]! < excitatory) e++;
  const seconds = scene.durationMs / 1000;
  return { mean: neurons.length / scene.neurons / seconds, excitatory: e / excitatory / seconds, inhibitory: (neurons.length - e) / (scene.neurons - excitatory) / seconds };
}

function rateText(r: { mean: number; excitatory: number; inhibitory: number }): string {
  return `${r.mean.toFixed(3)}, ${r.excitatory.toFixed(3)}, ${r.inhibitory.toFixed(3)}`;
}

function record(scene: Scene, before: number, steps: number, events: InputEvent[]): Recording {
  const simulation = new Simulation(scene);
  for (const event of events.filter((e) => e.step < before + steps)) simulation.schedule(event);
  simulation.advance(before);
  const recorder = Recorder.start(simulation);
  recorder.record({ ...simulation.advance(steps), events: events.filter((e) => e.step >= before) });
  return recorder.finish();
}

describe('exported PyNN scripts, run', () => {
  it('a scene file with a hostile id, title and description still gives a script Python runs as written', async () => {
    requireSimulators();
    const hostile = 'x""" \\N{oops} \\x \u0000\u0007 """; import os; os._exit(7) # \'\'\'';
    const scene = parseScene({ ...builtinScene('lif')!, id: hostile, title: hostile, description: `${hostile}\n${hostile}` });
    const out = runScript(await writeScript(scene, 'hostile'), ['--simulator', 'neuron']);
    expect(out.spikes.timeMs).toEqual(Array.from(runScene(scene).spikes.timeMs));
  }, 60_000);

  it("LIF single neuron: every spike within 2·dt of the engine on NEURON (Spikescope and standard IF_curr_alpha cells) and Brian2", async () => {
    requireSimulators();
    const scene = parseScene({ ...builtinScene('lif')!, durationMs: 300, stimulus: [{ kind: 'dc', amplitude: 1.5, stopMs: 120 }, { kind: 'pulses', amplitude: 3, widthMs: 2.1, periodMs: 20, startMs: 150 }] });
    const expected = runScene(scene).spikes;
    const script = await writeScript(scene, 'lif');
    // (PyNN's Brian2 backend spends ~30 s choosing IF_curr_alpha's integration method with sympy: measured
    // by hand, docs/scale-out.md, not here.)
    for (const [simulator, cells] of [['neuron', 'spikescope'], ['neuron', 'standard'], ['brian2', 'spikescope']] as const) {
      const out = runScript(script, ['--simulator', simulator, '--cells', cells]);
      const largest = expectSameSpikes(out.spikes, expected, 2 * scene.dtMs, `lif ${simulator} ${cells}`);
      if (cells === 'spikescope') expect(largest, `lif ${simulator}: the engine's own update`).toBe(0);
    }
  }, 180_000);

  it('the seed ring at tau_psc = 6, 15 and 25 ms: the engine\'s spikes on NEURON and on Brian2', async () => {
    requireSimulators();
    const scene = parseScene({ ...builtinScene('ring-sweep')!, sweep: { param: 'tauPscMs', values: [6, 15, 25] } });
    const expected = runSweep(scene);
    const script = await writeScript(scene, 'ring');
    for (const simulator of ['neuron', 'brian2']) {
      const out = runScript(script, ['--simulator', simulator]);
      expect(out.runs!.map((r) => r.value)).toEqual([6, 15, 25]);
      out.runs!.forEach((run, k) => expectSameSpikes(run.spikes, expected[k]!.result.spikes, 2 * scene.dtMs, `ring tau_psc = ${run.value} on ${simulator}`));
    }
  }, 180_000);

  it('all 20 Izhikevich presets, (G), (L) and (R) included: the same spikes on NEURON, each within max(1 ms, 2·dt)', async () => {
    requireSimulators();
    for (const preset of 'ABCDEFGHIJKLMNOPQRST') {
      const scene = builtinScene(`izhikevich/${preset}`)!;
      const out = runScript(await writeScript(scene, `izhikevich-${preset}`), ['--simulator', 'neuron']);
      expectSameSpikes(out.spikes, runScene(scene).spikes, Math.max(1, 2 * scene.dtMs), `izhikevich/${preset}`);
    }
  }, 300_000);

  it("Hodgkin–Huxley (NEURON's hh, dt 0.01 ms, 200 ms): every spike within 0.05 ms", async () => {
    requireSimulators();
    const scene = builtinScene('hh')!;
    const out = runScript(await writeScript(scene, 'hh'), ['--simulator', 'neuron']);
    const largest = expectSameSpikes(out.spikes, runScene(scene).spikes, 0.05, 'hh');
    console.log(`hh on NEURON: ${out.spikes.timeMs.length} spikes, largest difference ${largest.toFixed(4)} ms`);
  }, 120_000);

  it('recordings: hand pulses, holds, parameter changes, protocol changes, restarts and a mid-run start replay the engine\'s spikes', async () => {
    requireSimulators();
    const izhikevich: InputEvent[] = [
      { kind: 'pulse', step: 40, amplitude: 30, durationMs: 2, targets: [0] },
      { kind: 'hold', step: 100, amplitude: 5 },
      { kind: 'release', step: 180 },
      { kind: 'set-param', step: 200, name: 'd', value: 2 },
      { kind: 'set-stimulus', step: 300, stimulus: [{ kind: 'dc', amplitude: 1, startMs: 80 }] },
      { kind: 'restart', step: 500 },
      { kind: 'pulse', step: 600, amplitude: 20, durationMs: 3 },
    ];
    const ring: InputEvent[] = [
      { kind: 'pulse', step: 400, amplitude: 3, durationMs: 5, targets: [25] },
      { kind: 'set-param', step: 1000, name: 'tauPscMs', value: 9 },
      { kind: 'hold', step: 1300, amplitude: 1.2, targets: [10, 11] },
      { kind: 'release', step: 1900 },
      { kind: 'restart', step: 2200 },
      { kind: 'set-param', step: 2500, name: 'vThreshold', value: 1.1 },
    ];
    const recordings: [string, Recording][] = [
      ['izhikevich-B', record(builtinScene('izhikevich/B')!, 0, 801, izhikevich)],
      ['ring-mid-run', record(builtinScene('ring')!, 700, 2800, ring)],
    ];
    for (const [name, recording] of recordings) {
      const expected = runSimulation(replaySimulation(recording), recording.steps).spikes;
      const script = await writeScript(recording, name);
      for (const simulator of ['neuron', 'brian2']) {
        const largest = expectSameSpikes(runScript(script, ['--simulator', simulator]).spikes, expected, 2 * recording.scene.dtMs, `${name} on ${simulator}`);
        expect(largest, `${name} on ${simulator}`).toBe(0);
      }
    }
  }, 180_000);

  it("the Izhikevich (2003) network's cells and dense synapses, default and paper stepping, without thalamic noise: the engine's spikes exactly", async () => {
    requireSimulators();
    // σ = 0 leaves no random stream: the only difference left would be the cells' arithmetic or the synapses' timing.
    // (The rates of izhikevich-2003/paper with its noise, 1 s: docs/scale-out.md, tools/pynn-agreement.ts network.)
    const targets = [...Array.from({ length: 20 }, (_, k) => k), 160, 161, 162, 163, 164];
    const base = {
      model: 'izhikevich-2003',
      neurons: 200,
      durationMs: 500,
      seed: 7,
      params: { thalamicExcitatory: 0, thalamicInhibitory: 0 },
      stimulus: [
        { kind: 'dc', amplitude: 6, startMs: 20, targets },
        { kind: 'pulses', amplitude: 12, widthMs: 3, periodMs: 37, startMs: 5 },
      ],
    };
    const runs = [
      ['euler', 0.5, ['neuron']],
      ['paper', 1, ['neuron', 'brian2']],
    ] as const;
    for (const [stepping, dtMs, simulators] of runs) {
      const scene = parseScene({ ...base, id: `dense-${stepping}`, dtMs, options: { connectivity: 'dense', stepping } });
      const expected = runScene(scene).spikes;
      expect(new Set(expected.neuron).size, `${stepping}: every neuron fires`).toBe(scene.neurons);
      const script = await writeScript(scene, `dense-${stepping}`);
      for (const simulator of simulators) {
        const largest = expectSameSpikes(runScript(script, ['--simulator', simulator]).spikes, expected, 2 * dtMs, `${stepping} stepping on ${simulator}`);
        expect(largest, `${stepping} stepping on ${simulator}`).toBe(0);
      }
    }
  }, 180_000);

  it('izhikevich-2003/sparse-10k, 1 s on NEURON: mpirun -np 2 gives the spikes of one process; rates within 10 % of the engine\'s', async () => {
    requireSimulators();
    const scene = builtinScene('izhikevich-2003/sparse-10k')!;
    const script = await writeScript(scene, 'sparse-10k');
    const one = runScript(script, ['--simulator', 'neuron']);
    const two = runScript(script, ['--simulator', 'neuron'], 2);
    expect(two.processes).toBe(2);
    expect(two.spikes).toEqual(one.spikes);
    const ours = networkRates(scene, runScene(scene).spikes.neuron);
    const theirs = networkRates(scene, one.spikes.neuron);
    for (const key of ['mean', 'excitatory', 'inhibitory'] as const) {
      expect(Math.abs(theirs[key] / ours[key] - 1), `${key} rate: NEURON ${theirs[key].toFixed(3)} Hz, Spikescope ${ours[key].toFixed(3)} Hz`).toBeLessThan(0.1);
    }
    console.log(
      `sparse-10k on NEURON: rates (mean, exc., inh.) ${rateText(theirs)} Hz against Spikescope's ${rateText(ours)} Hz; ` +
        `wall (build + run) ${one.wallSeconds.build.toFixed(1)} + ${one.wallSeconds.run.toFixed(1)} s in one process, ${two.wallSeconds.build.toFixed(1)} + ${two.wallSeconds.run.toFixed(1)} s in two`,
    );
  }, 600_000);
});
