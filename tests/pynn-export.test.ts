/**
 * The PyNN exporter without running Python: every built-in scene exports (or is refused with a
 * reason), unknown parameters and options are refused rather than dropped, and the input a script
 * replays is the engine's own, bit for bit. tests/pynn-run.test.ts runs the scripts.
 */
import { describe, expect, it } from 'vitest';
import type { InputEvent } from '../src/core/events.ts';
import { parseScene, type Scene } from '../src/core/scene.ts';
import { builtinScene, builtinSceneIds } from '../src/core/scenes.ts';
import { Simulation } from '../src/core/simulation.ts';
import { inputSchedule } from '../src/export/input-schedule.ts';
import { IZHIKEVICH_MECHANISM, LIF_MECHANISM } from '../src/export/nmodl.ts';
import { exportPyNN, ExportRefusal } from '../src/export/pynn.ts';
import { Recorder } from '../src/session/recorder.ts';
import { runSimulation } from '../src/stream/run.ts';

async function refusal(input: Parameters<typeof exportPyNN>[0]): Promise<string> {
  try {
    await exportPyNN(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ExportRefusal);
    return (error as Error).message;
  }
  throw new Error('the export was not refused');
}

describe('PyNN export', () => {
  it('exports every built-in scene as a script with its parameters, synapses and command line (the 100k network: one file of ~62 MB); AdEx is refused by name', async () => {
    for (const id of builtinSceneIds) {
      if (id.startsWith('adex/')) {
        expect(await refusal(builtinScene(id)!)).toMatch(/^model "adex" is not exported: the PyNN exporter covers lif, lif-network, izhikevich, izhikevich-2003, hh$/);
        continue;
      }
      const { fileName, text } = await exportPyNN(builtinScene(id)!);
      expect(fileName, id).toBe(`spikescope-${id.replace('/', '-')}.py`);
      expect(text, id).toMatch(/^#!\/usr\/bin\/env python3\n"""/);
      expect(text, id).toContain(`SCENE = ${JSON.stringify(id)}`);
      expect(text, id).toContain("parser.add_argument('--simulator', choices=('neuron', 'brian2')");
      expect(text, id).toMatch(/\nif __name__ == '__main__':\n {4}main\(\)\n$/);
      for (const name of Object.keys(builtinScene(id)!.params)) expect(text, `${id} ${name}`).toContain(`    '${name}': `);
      if (id === 'izhikevich-2003/sparse-100k') {
        // 10⁷ synapses: 24 random bits of weight each, targets as differences, packed: ~6 bytes a synapse.
        expect(text.length).toBeGreaterThan(40e6);
        expect(text.length).toBeLessThan(80e6);
      }
    }
  }, 300_000);

  it('says why a simulator or cell type cannot run a scene, inside the script', async () => {
    const hh = (await exportPyNN(builtinScene('hh')!)).text;
    expect(hh).toContain('("brian2", "hh"): "this scene runs on NEURON\'s built-in hh mechanism');
    const g = (await exportPyNN(builtinScene('izhikevich/G')!)).text;
    expect(g).toContain("this scene changes k1 (4.1), k0 (108): use --cells spikescope");
    const a = (await exportPyNN(builtinScene('izhikevich/A')!)).text;
    expect(a).toContain('REFUSED = {}');
  });

  it('refuses what it does not know — a newer engine option, an unknown parameter — naming it', async () => {
    const delays = { ...builtinScene('izhikevich-2003')!, options: { connectivity: 'dense', stepping: 'euler', delays: 'axonal' } };
    expect(await refusal(delays)).toBe('options.delays is not known to the PyNN exporter for izhikevich-2003 (it exports connectivity, stepping)');
    const stepping = { ...builtinScene('izhikevich-2003')!, options: { connectivity: 'dense', stepping: 'rk4' } };
    expect(await refusal(stepping)).toBe('options.stepping = "rk4" is not exported (the exporter knows euler, paper)');
    const value = { ...builtinScene('hh')!, options: { method: 'rk45' } };
    expect(await refusal(value)).toBe('options.method = "rk45" is not exported (the exporter knows rk4, euler, exponential-euler)');
    const param = { ...builtinScene('lif')!, params: { ...builtinScene('lif')!.params, leak: 2 } };
    expect(await refusal(param)).toMatch(/^params\.leak is not known to the PyNN exporter for lif \(it maps rm, cm, /);
  });

  it('refuses noise stimulus sources and run-time changes NEURON and Brian2 cannot make', async () => {
    const ou = parseScene({ model: 'lif', stimulus: [{ kind: 'ou', mean: 1, sigma: 0.5, tauMs: 5 }] });
    expect(await refusal(ou)).toMatch(/the stimulus has a "ou" noise source: Spikescope draws it from its own generator/);
    const scene = builtinScene('izhikevich-2003')!;
    const recording = record(scene, 10, [{ kind: 'set-param', step: 4, name: 'weightExcitatory', value: 0.4 }]);
    expect(await refusal(recording)).toBe(
      'the recording changes weightExcitatory at step 4: not exported, because it rescales every synapse while the run goes on (NEURON and Brian2 keep fixed synaptic weights)',
    );
    const clicked = record(builtinScene('izhikevich/B')!, 10, [{ kind: 'set-state', step: 3, neuron: 0, state: { v: -50, u: -12 } }]);
    expect(await refusal(clicked)).toBe("the recording sets the state of neuron 0 at step 3 (a click in the phase plane): not exported (the scripts set their cells' state only at the start)");
  });

  it("the drives reproduce the engine's input current bit for bit, through pulses, holds, protocol changes and restarts", () => {
    const scene = parseScene({ ...builtinScene('ring')!, probes: [0, 1, 7, 25].map((neuron) => ({ variable: 'iExt', neuron })) });
    const events: InputEvent[] = [
      { kind: 'pulse', step: 40, amplitude: 3, durationMs: 2.3, targets: [1, 7] },
      { kind: 'hold', step: 100, amplitude: 0.5 },
      { kind: 'pulse', step: 120, amplitude: -1, durationMs: 1 },
      { kind: 'release', step: 300 },
      { kind: 'set-stimulus', step: 500, stimulus: [{ kind: 'ramp', amplitude: 0.1, rampMs: 1, startMs: 20, targets: [25] }, { kind: 'sine', amplitude: 1, frequencyHz: 40 }] },
      { kind: 'restart', step: 800 },
      { kind: 'pulse', step: 900, amplitude: 2, durationMs: 5, targets: [0] },
    ];
    const steps = 1200;
    const simulation = new Simulation(scene);
    for (const event of events) simulation.schedule(event);
    const run = runSimulation(simulation, steps);
    const schedule = inputSchedule({ scene, firstStep: 0, steps, events });
    expect(schedule.restarts).toEqual([800]);
    scene.probes.forEach(({ neuron }, c) => {
      const drive = schedule.drives.find((d) => d.neurons === 'all' || d.neurons.includes(neuron));
      const current = new Float64Array(steps);
      if (drive) drive.steps.forEach((step, k) => current.fill(drive.values[k]!, step));
      expect(Array.from(current), `neuron ${neuron}`).toEqual(Array.from(run.traces[c]!));
    });
  });

  it('the NMODL mechanisms are plain ASCII (nocmodl refuses anything else)', () => {
    for (const text of [LIF_MECHANISM, IZHIKEVICH_MECHANISM]) expect([...text].filter((c) => c.charCodeAt(0) > 126)).toEqual([]);
  });
});

/** A recording of `steps` steps of a scene with these events (the log alone is enough for an export). */
function record(scene: Scene, steps: number, events: InputEvent[]) {
  const simulation = new Simulation(scene);
  for (const event of events) simulation.schedule(event);
  const recorder = Recorder.start(simulation);
  recorder.record({ ...simulation.advance(steps), events });
  return recorder.finish();
}
