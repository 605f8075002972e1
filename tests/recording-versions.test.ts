/**
 * Recording format versions. Version 2 came with deterministic math (every exp, log, sin and cos
 * from src/core/numerics/deterministic-math.ts). Version 1 files — the ones in
 * tests/reference/recordings-v1 were made by the CLI's `record` at commit 0aaebaf, the last
 * before it — still replay when their run uses no transcendental function (Izhikevich, Euler LIF,
 * dc/ramp/pulse stimuli: the same bits as then), and are refused, saying why, when it does.
 * Version 3 moved the izhikevich-2003 network's bits (noise and sums independent of threads):
 * its older files are refused (tests/session.test.ts checks the message for formats 1 and 2).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InputEvent } from '../src/core/events.ts';
import { parseScene, type SceneInput } from '../src/core/scene.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { Simulation } from '../src/core/simulation.ts';
import type { Stimulus } from '../src/core/stimulus.ts';
import { Recorder } from '../src/session/recorder.ts';
import { parseRecording, RECORDING_VERSION, RecordingError, type Recording } from '../src/session/recording.ts';
import { verifyRecording } from '../src/session/replay.ts';

const ROOT = resolve(import.meta.dirname, '..');
const fixture = (name: string): string => readFileSync(resolve(ROOT, 'tests/reference/recordings-v1', name), 'utf8');

/** Records `steps` steps of a scene with the events given, from step `from` (a start state when not 0). */
function record(input: SceneInput, events: InputEvent[], steps: number, from = 0): Recording {
  const simulation = new Simulation(parseScene(input));
  for (const event of events) simulation.schedule(event);
  simulation.advance(from);
  const recorder = Recorder.start(simulation, { traces: false });
  recorder.record(simulation.advance(steps));
  return recorder.finish({ createdAt: '2026-01-01T00:00:00.000Z' });
}

/** The refusal of `recording` when it claims to be a version 1 file. */
function refusalAsVersion1(recording: Recording): string {
  try {
    parseRecording(JSON.stringify({ ...recording, version: 1 }));
  } catch (error) {
    expect(error).toBeInstanceOf(RecordingError);
    return (error as Error).message;
  }
  throw new Error('not refused');
}

describe('recording format versions', () => {
  it('writes version 3', () => {
    expect(RECORDING_VERSION).toBe(3);
    expect(record(builtinScene('izhikevich/A')!, [], 10).version).toBe(3);
  });

  it('a version 1 izhikevich-2003 file is refused: its output moved in format 3', () => {
    expect(() => parseRecording(fixture('izhikevich-2003.json'))).toThrow(/^this recording of izhikevich-2003 is format 1, and the output of izhikevich-2003 changed since \(format 3: /);
  });

  it.each(['izhikevich-B.json', 'lif-euler.json'])('a version 1 file without transcendentals (%s) still replays bit-identically', (name) => {
    const recording = parseRecording(fixture(name));
    expect(recording.version).toBe(1);
    const verdict = verifyRecording(recording);
    expect(verdict.message).toMatch(/^the replay is bit-identical/);
    expect(verdict.identical).toBe(true);
    expect(verdict.actual).toBe(recording.output.digest);
  });

  it('a version 1 HH file is refused with the reason', () => {
    expect(() => parseRecording(fixture('hh.json'))).toThrow(
      /^recorded with format 1, before deterministic math: its replay depends on the HH rate functions \(exp\), which format 1 took from the JavaScript engine's own Math \(engines may differ in the last bit\), so its output cannot be reproduced exactly\. Record the session again: format 3 files replay the same in every browser\.$/,
    );
  });

  it('every model and stimulus whose run calls exp, log, sin or cos makes a version 1 file refused, by name; version 2 of the same reads', () => {
    const izhikevich = builtinScene('izhikevich/A')!;
    const sine: Stimulus = [{ kind: 'sine', amplitude: 2, frequencyHz: 10 }];
    const cases: [string, Recording][] = [
      ['the exact LIF update (exp, log)', record({ ...builtinScene('lif')!, options: { method: 'exact' } }, [], 20)],
      ["the network's synaptic currents (exp)", record(builtinScene('ring')!, [], 20)],
      ['a sine stimulus (sin)', record({ ...izhikevich, stimulus: sine }, [], 20)],
      ['Ornstein–Uhlenbeck noise (exp, log, sin, cos)', record({ ...izhikevich, stimulus: [{ kind: 'ou', mean: 1, sigma: 1, tauMs: 5 }] }, [], 20)],
      ['Poisson input (exp)', record({ ...izhikevich, stimulus: [{ kind: 'poisson', rateHz: 100, amplitude: 1 }] }, [], 20)],
      ['a sine stimulus (sin)', record(izhikevich, [{ kind: 'set-stimulus', step: 5, stimulus: sine }], 20)],
      // Started mid-run: the protocol in force is in the start state only.
      ['a sine stimulus (sin)', record(izhikevich, [{ kind: 'set-stimulus', step: 5, stimulus: sine }], 20, 10)],
    ];
    for (const [reason, recording] of cases) {
      expect(refusalAsVersion1(recording)).toContain(`its replay depends on ${reason},`);
      expect(parseRecording(JSON.stringify(recording)).version).toBe(RECORDING_VERSION);
    }
    expect(() => parseRecording(JSON.stringify({ ...record(izhikevich, [], 20), version: 1 }))).not.toThrow();
  });

  it('the CLI verifies a version 1 Izhikevich file and refuses a version 1 HH file (exit 2, the reason on stderr)', () => {
    const cli = (file: string) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'replay', resolve(ROOT, 'tests/reference/recordings-v1', file), '--verify'], { cwd: ROOT, encoding: 'utf8' });
    const ok = cli('izhikevich-B.json');
    expect(ok.stdout).toMatch(/^identical/);
    expect(ok.status).toBe(0);
    const refused = cli('hh.json');
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/recorded with format 1, before deterministic math: its replay depends on the HH rate functions/);
  });
});
