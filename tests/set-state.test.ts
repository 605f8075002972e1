/** The set-state event (a click in the phase plane): validated like every event, exact in replay, verified by the CLI. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvent, type InputEvent } from '../src/core/events.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { Simulation } from '../src/core/simulation.ts';

function run(sceneId: string, events: InputEvent[], splits: number[]) {
  const sim = new Simulation(builtinScene(sceneId)!);
  for (const event of events) sim.schedule(event);
  const frames = splits.map((n) => sim.advance(n));
  return { sim, traces: sim.channels.map((_, c) => frames.flatMap((f) => [...f.traces[c]!])), spikes: frames.flatMap((f) => [...f.spikes.step]) };
}

describe('set-state events', () => {
  it('are checked against the model state schema: names, bounds, the neuron, at least one value', () => {
    expect(parseEvent({ kind: 'set-state', step: 3, neuron: 0, state: { v: -60, u: -12 } }, 'izhikevich', 1)).toEqual({ kind: 'set-state', step: 3, neuron: 0, state: { v: -60, u: -12 } });
    expect(() => parseEvent({ kind: 'set-state', step: 3, neuron: 0, state: { w: 1 } }, 'izhikevich', 1)).toThrow('event.state.w = "w" is not allowed: one of v, u');
    expect(() => parseEvent({ kind: 'set-state', step: 3, neuron: 0, state: { n: 1.5 } }, 'hh', 1)).toThrow('event.state.n = 1.5 is not allowed: a number from 0 to 1');
    expect(() => parseEvent({ kind: 'set-state', step: 3, neuron: 0, state: { v: Number.NaN } }, 'lif', 1)).toThrow('event.state.v = NaN is not allowed: a number from -1000 to 1000 V');
    expect(() => parseEvent({ kind: 'set-state', step: 3, neuron: 5, state: { v: 0 } }, 'izhikevich-2003', 5)).toThrow('event.neuron = 5 is not allowed: a neuron index from 0 to 4');
    expect(() => parseEvent({ kind: 'set-state', step: 3, neuron: 0, state: {} }, 'hh', 1)).toThrow('event.state = {} is not allowed: an object of state values, some of v, m, h, n');
    expect(() => parseEvent({ kind: 'teleport', step: 0 }, 'lif', 1)).toThrow(/one of pulse, hold, release, set-param, set-stimulus, restart, set-state/);
  });

  it('set the state where they act, whatever the split of steps; the other variables keep their values', () => {
    const events: InputEvent[] = [{ kind: 'set-state', step: 100, neuron: 0, state: { v: -40, u: -10 } }];
    const one = run('izhikevich/B', events, [801]);
    const split = run('izhikevich/B', events, [37, 63, 1, 300, 400]);
    expect(split.traces).toEqual(one.traces);
    expect(split.spikes).toEqual(one.spikes);
    const plain = run('izhikevich/B', [], [801]);
    // Step 100 (t = 25 ms, input 0.5) computes from (−40, −10): its u is −10 + dt·a·(b·v_new − u).
    const v = one.traces[0]!;
    expect(v.slice(0, 100)).toEqual(plain.traces[0]!.slice(0, 100));
    const dt = 0.25;
    const vNew = -40 + dt * (0.04 * 1600 + 5 * -40 + 140 - -10 + 0.5);
    expect(v[100]).toBe(vNew);
    expect(one.traces[1]![100]).toBe(-10 + dt * (0.02 * (0.25 * vNew - -10)));
  });

  it('HH: sets V and the gates; LIF: sets V and ends a refractory period; a network: only the neuron named', () => {
    const hh = run('hh', [{ kind: 'set-state', step: 10, neuron: 0, state: { v: 30, n: 0.5 } }], [11]).sim.kernel.saveState();
    expect(hh.n![0]).not.toBe(0.5); // a step has run from there
    const lif = new Simulation(builtinScene('lif')!);
    lif.advance(88); // the first spike is in step 87 (11 ms): refractory for 32 steps
    lif.schedule({ kind: 'set-state', step: 88, neuron: 0, state: { v: 0.5 } });
    lif.advance(1);
    expect(lif.kernel.probe(0, 0)).toBe(0.5 + ((-0.5 + 1.5) / 10) * 0.125);
    const ring = new Simulation(builtinScene('ring')!);
    ring.schedule({ kind: 'set-state', step: 0, neuron: 7, state: { v: 0.9 } });
    ring.advance(1);
    expect(ring.kernel.probe(0, 7)).toBe(0.9 + (-0.9 / 10) * 0.125);
    expect(ring.kernel.probe(0, 6)).toBe(0);
  });

  it('a recording with set-state events records and verifies in the CLI', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikescope-set-state-'));
    const events = join(dir, 'events.json');
    writeFileSync(events, JSON.stringify([{ kind: 'set-state', step: 40, neuron: 0, state: { v: -50, u: -15 } }, { kind: 'pulse', step: 60, amplitude: 20, durationMs: 2 }]));
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
    const file = join(dir, 'session.json.gz');
    const record = cli('record', 'izhikevich/B', '--events', events, '--traces', '--out', file);
    expect(record.status, record.stderr).toBe(0);
    const verify = cli('replay', file, '--verify');
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    // A bad set-state in an events file is refused with the field and what is allowed.
    writeFileSync(events, JSON.stringify([{ kind: 'set-state', step: 40, neuron: 0, state: { v: -50, w: 1 } }]));
    const bad = cli('record', 'izhikevich/B', '--events', events, '--out', join(dir, 'bad.json'));
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/state\.w = "w" is not allowed: one of v, u/);
  });
});
