/** The CLI contract, exercised as a user runs it: a separate process, stdout parsed as JSON or CSV. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import hhReference from './reference/hh-spikes.json' with { type: 'json' };
import izhikevichSeed from './reference/izhikevich-seed.json' with { type: 'json' };

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function runJson(...args: string[]) {
  const { status, stdout, stderr } = cli('run', ...args);
  expect(stderr).toBe('');
  expect(status).toBe(0);
  return JSON.parse(stdout);
}

describe('npm run cli', () => {
  it('list prints every built-in scene id', () => {
    const { status, stdout } = cli('list');
    expect(status).toBe(0);
    const ids = stdout.trim().split('\n');
    expect(ids.slice(0, 4)).toEqual(['lif', 'ring', 'ring-sweep', 'hh']);
    expect(ids.slice(4, 24)).toEqual('ABCDEFGHIJKLMNOPQRST'.split('').map((p) => `izhikevich/${p}`));
    expect(ids.slice(24)).toEqual(['izhikevich-2003', 'izhikevich-2003/paper', 'izhikevich-2003/sparse-10k', 'izhikevich-2003/sparse-100k']);
  });

  it("run lif reproduces the seed's spikes at 11, 26 and 41 ms", () => {
    const out = runJson('lif');
    expect(out.spikes.timeMs).toEqual([11, 26, 41]);
    expect(out.steps).toBe(400);
    expect(out.traces.v.length).toBe(400);
  });

  it('reproduces the spike times of all 20 Izhikevich presets exactly (seed sample i = our step i, time (i+1)·dt)', () => {
    for (const preset of izhikevichSeed) {
      const out = runJson(`izhikevich/${preset.id}`);
      expect(out.steps, preset.id).toBe(preset.samples);
      expect(out.spikes.timeMs, preset.id).toEqual(preset.spikeSamples.map((i: number) => (i + 1) * preset.dtMs));
    }
  });

  it('HH spike times are within 1e-4 ms of the independent high-accuracy solution', () => {
    const out = runJson('hh');
    expect(out.dtMs).toBe(0.01);
    expect(out.spikes.timeMs.length).toBe(hhReference.spikeTimesMs.length);
    out.spikes.timeMs.forEach((t: number, s: number) => expect(Math.abs(t - hhReference.spikeTimesMs[s]!)).toBeLessThan(1e-4));
  });

  it('--duration, --dt, --format csv and --out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikescope-'));
    const file = join(dir, 'b.csv');
    expect(cli('run', 'izhikevich/B', '--duration', '10', '--dt', '0.5', '--format', 'csv', '--out', file).status).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('time (ms),v (mV),u (mV),iExt (mV/ms)');
    expect(lines.length).toBe(21);
    expect(lines[1]!.startsWith('0.5,')).toBe(true);
  });

  it('runs a scene file, and a sweep gives one run per value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikescope-'));
    const file = join(dir, 'scene.json');
    writeFileSync(file, JSON.stringify({ model: 'lif', stimulus: [{ kind: 'dc', amplitude: 2 }], durationMs: 30, sweep: { param: 'tauRefMs', values: [1, 2, 3] } }));
    const out = runJson(file);
    expect(out.runs.map((r: { value: number }) => r.value)).toEqual([1, 2, 3]);
    // A longer refractory period never gives more spikes.
    const counts = out.runs.map((r: { spikes: { timeMs: number[] } }) => r.spikes.timeMs.length);
    expect(counts[0]).toBeGreaterThanOrEqual(counts[1]);
    expect(counts[1]).toBeGreaterThanOrEqual(counts[2]);
  });

  it('a sweep on Node worker threads gives the same output, bit for bit, as in one thread', () => {
    const one = cli('run', 'ring-sweep');
    const two = cli('run', 'ring-sweep', '--workers', '2');
    expect(two.status).toBe(0);
    expect(two.stderr).toBe('');
    expect(two.stdout).toBe(one.stdout);
    expect(JSON.parse(two.stdout).runs.length).toBe(20);
  });

  it('bad arguments and bad scenes: one line on stderr naming what is wrong, exit code 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikescope-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ model: 'hh', dtMs: 0.01, stimulus: [{ kind: 'ramp', amplitude: 1 }] }));
    const cases: [string[], RegExp][] = [
      [['run'], /needs a scene/],
      [['run', 'nope'], /unknown scene "nope"/],
      [['run', 'lif', '--dt', 'abc'], /--dt "abc" is not a number/],
      [['run', 'lif', '--dt', '-1'], /--dt = -1 is not allowed: a number from 0.0001 to 10 ms/],
      [['run', 'lif', '--format', 'xml'], /--format xml is not allowed: json or csv/],
      [['run', 'lif', '--speed', '2'], /unknown option --speed/],
      [['run', 'ring-sweep', '--workers', 'many'], /--workers many is not allowed: a whole number from 1 to 64/],
      [['run', bad], /stimulus\[0\]\.rampMs = undefined is not allowed: a number \(required for "ramp"\)/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ];
    for (const [args, message] of cases) {
      const { status, stdout, stderr } = cli(...args);
      expect(status, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n').length).toBe(1);
      expect(stderr).toMatch(message);
    }
  });

  it('record makes a recording without a browser; replay --verify exits 0 when identical, 1 when not, 2 for a bad file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikescope-'));
    const events = join(dir, 'events.json');
    writeFileSync(events, JSON.stringify([
      { kind: 'pulse', step: 40, amplitude: 30, durationMs: 2 },
      { kind: 'set-param', step: 200, name: 'd', value: 2 },
    ]));
    const file = join(dir, 'b.json.gz');
    const recorded = cli('record', 'izhikevich/B', '--events', events, '--traces', '--out', file);
    expect(recorded.status).toBe(0);
    expect(recorded.stderr).toMatch(/recorded 801 steps, 2 events, 1 spikes, digest [0-9a-f]{14}/);
    const ok = cli('replay', file, '--verify', '--out', join(dir, 'spikes.csv'));
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^identical: the replay is bit-identical/);
    expect(readFileSync(join(dir, 'spikes.csv'), 'utf8')).toBe('time (ms),neuron\n11.75,0\n');
    expect(cli('replay', file, '--out', join(dir, 'traces.csv')).status).toBe(0);
    expect(readFileSync(join(dir, 'traces.csv'), 'utf8').split('\n')[0]).toBe('time (ms),v (mV),u (mV),iExt (mV/ms)');

    const plain = join(dir, 'plain.json');
    expect(cli('record', 'lif', '--duration', '30', '--out', plain).status).toBe(0);
    const recording = JSON.parse(readFileSync(plain, 'utf8'));
    recording.output.spikes.timeMs[0] = 12;
    const tampered = join(dir, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(recording));
    const differs = cli('replay', tampered, '--verify');
    expect(differs.status).toBe(1);
    expect(differs.stdout).toMatch(/NOT identical: spike 0 differs: recorded neuron 0 at 12 ms \(step 87\), replayed neuron 0 at 11 ms \(step 87\)/);

    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, readFileSync(plain, 'utf8').slice(0, 100));
    const bad = cli('replay', truncated, '--verify');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/not valid JSON \(truncated or corrupted\?\)/);
    const badEvents = join(dir, 'bad-events.json');
    writeFileSync(badEvents, JSON.stringify([{ kind: 'pulse', step: 1, amplitude: 1 }]));
    const refused = cli('record', 'lif', '--events', badEvents, '--out', join(dir, 'x.json'));
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/events\[0\]\.durationMs = undefined is not allowed/);
  });
});
