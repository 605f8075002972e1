/**
 * Measures how closely exported scripts reproduce the engine, for docs/scale-out.md: each case
 * exported, run on NEURON and Brian2 with the Spikescope cells and with PyNN's standard cells,
 * and compared spike by spike with the engine's own run. Prints one line per run, with the
 * machine's CPU and load.
 *
 *   npx tsx tools/pynn-agreement.ts [lif] [ring] [presets] [hh] [network] [paper] [network-standard]
 *
 * (network-standard runs PyNN's Izhikevich on NEURON for the 10k network: slow, minutes.)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScene, type Scene } from '../src/core/scene.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { exportPyNN } from '../src/export/pynn.ts';
import { runScene, runSweep } from '../src/stream/run.ts';
import { compareSpikes, missingSimulators, runPyNNScript, type ScriptOutput } from './run-pynn.ts';

const chosen = new Set(process.argv.slice(2));
const all = chosen.size === 0;
const folder = mkdtempSync(join(tmpdir(), 'spikescope-agreement-'));
const env = { ...process.env, SPIKESCOPE_NMODL_DIR: join(folder, 'nmodl') };
const missing = missingSimulators(env);
if (missing) throw new Error(missing);

console.log(`${cpus()[0]?.model ?? 'CPU'} × ${cpus().length}, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

async function script(scene: Scene, name: string): Promise<string> {
  const path = join(folder, `${name}.py`);
  writeFileSync(path, (await exportPyNN(scene)).text);
  return path;
}

function run(path: string, simulator: string, cells: string, extra: string[] = []): ScriptOutput | string {
  try {
    return runPyNNScript(path, ['--simulator', simulator, '--cells', cells, ...extra], `${path}-${simulator}-${cells}.json`, 1, env);
  } catch (error) {
    return (error as Error).message.split('\n').filter((line) => line.trim()).pop() ?? 'failed';
  }
}

function line(label: string, out: ScriptOutput | string, expected: { timeMs: ArrayLike<number>; neuron: ArrayLike<number> }): void {
  if (typeof out === 'string') {
    console.log(`${label.padEnd(44)} ${out}`);
    return;
  }
  const c = compareSpikes(out.spikes, expected);
  console.log(`${label.padEnd(44)} ${String(c.spikes).padStart(5)} spikes (engine ${String(c.expected).padStart(5)}), ${String(c.otherCounts).padStart(2)} neurons with another count, largest difference ${c.largestMs.toFixed(4)} ms; wall ${out.wallSeconds.build.toFixed(1)} + ${out.wallSeconds.run.toFixed(1)} s`);
}

const combos = [
  ['neuron', 'spikescope'],
  ['brian2', 'spikescope'],
  ['neuron', 'standard'],
  ['brian2', 'standard'],
] as const;

if (all || chosen.has('lif')) {
  const scene = parseScene({ ...builtinScene('lif')!, durationMs: 300, stimulus: [{ kind: 'dc', amplitude: 1.5, stopMs: 120 }, { kind: 'pulses', amplitude: 3, widthMs: 2.1, periodMs: 20, startMs: 150 }] });
  const path = await script(scene, 'lif');
  const expected = runScene(scene).spikes;
  for (const [simulator, cells] of combos) line(`lif (300 ms) ${simulator} ${cells}`, run(path, simulator, cells), expected);
}

if (all || chosen.has('ring')) {
  const scene = parseScene({ ...builtinScene('ring-sweep')!, sweep: { param: 'tauPscMs', values: [6, 15, 25] } });
  const path = await script(scene, 'ring');
  const expected = runSweep(scene);
  for (const [simulator, cells] of combos) {
    const out = run(path, simulator, cells);
    if (typeof out === 'string') line(`ring ${simulator} ${cells}`, out, expected[0]!.result.spikes);
    else out.runs!.forEach((r, k) => line(`ring tau_psc ${r.value} ${simulator} ${cells}`, { ...out, spikes: r.spikes }, expected[k]!.result.spikes));
  }
}

if (all || chosen.has('presets')) {
  for (const preset of 'ABCDEFGHIJKLMNOPQRST') {
    const scene = builtinScene(`izhikevich/${preset}`)!;
    const path = await script(scene, `izhikevich-${preset}`);
    const expected = runScene(scene).spikes;
    for (const [simulator, cells] of combos) line(`izhikevich/${preset} ${simulator} ${cells}`, run(path, simulator, cells), expected);
  }
}

if (all || chosen.has('hh')) {
  const scene = builtinScene('hh')!;
  line('hh neuron hh', run(await script(scene, 'hh'), 'neuron', 'hh'), runScene(scene).spikes);
}

function rates(neurons: ArrayLike<number>, scene: Scene): string {
  const excitatory = Math.round(0.8 * scene.neurons);
  let e = 0;
  for (let k = 0; k < neurons.length; k++) if (neurons[k]! < excitatory) e++;
  const seconds = scene.durationMs / 1000;
  return `mean ${(neurons.length / scene.neurons / seconds).toFixed(3)}, exc. ${(e / excitatory / seconds).toFixed(3)}, inh. ${((neurons.length - e) / (scene.neurons - excitatory) / seconds).toFixed(3)} Hz`;
}

for (const [name, id, cells, simulators] of [
  ['network', 'izhikevich-2003/sparse-10k', 'spikescope', ['neuron', 'brian2']],
  ['paper', 'izhikevich-2003/paper', 'spikescope', ['neuron', 'brian2']],
  ['network-standard', 'izhikevich-2003/sparse-10k', 'standard', ['neuron']],
] as const) {
  if (!(all && name !== 'network-standard') && !chosen.has(name)) continue;
  const scene = builtinScene(id)!;
  const path = await script(scene, name);
  console.log(`${id}, 1 s, engine: ${rates(runScene(scene).spikes.neuron, scene)}`);
  for (const simulator of simulators) {
    const out = run(path, simulator, cells);
    console.log(`${id} ${simulator} ${cells}: ${typeof out === 'string' ? out : `${rates(out.spikes.neuron, scene)}; wall ${out.wallSeconds.build.toFixed(1)} + ${out.wallSeconds.run.toFixed(1)} s`}`);
  }
}
console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the end`);
