/** The CLI contract, exercised as a user runs it: a separate process, stdout parsed as JSON or CSV. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import hhReference from './reference/hh-spikes.json' with { type: 'json' };
import izhikevichSeed from './reference/izhikevich-seed.json' with { type: 'json' };
import { builtinScene } from '../src/core/scenes.ts';
import { Session } from '../src/session/session.ts';
import { cliInProcess } from './support/cli.ts';

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
    expect(ids.slice(24, 28)).toEqual(['izhikevich-2003', 'izhikevich-2003/paper', 'izhikevich-2003/sparse-10k', 'izhikevich-2003/sparse-100k']);
    expect(ids.slice(28)).toEqual(['tonic', 'adapting', 'initial-burst', 'regular-bursting', 'delayed-accelerating', 'delayed-regular-bursting', 'transient', 'irregular'].map((p) => `adex/${p}`));
  });

  it("run lif reproduces the seed's spikes at 11, 26 and 41 ms", () => {
    const out = runJson('lif');
    expect(out.spikes.timeMs).toEqual([11, 26, 41]);
    expect(out.steps).toBe(400);
    expect(out.traces.v.length).toBe(400);
  });

  // In-process (the same `main` as `npm run cli`): 20 separate processes cost ~40 s of CPU for tsx's start alone.
  it('reproduces the spike times of all 20 Izhikevich presets exactly (seed sample i = our step i, time (i+1)·dt)', async () => {
    for (const preset of izhikevichSeed) {
      const file = join(mkdtempSync(join(tmpdir(), 'spikescope-')), 'out.json');
      const { code, stderr } = await cliInProcess('run', `izhikevich/${preset.id}`, '--out', file);
      expect([code, stderr]).toEqual([0, '']);
      const out = JSON.parse(readFileSync(file, 'utf8'));
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
      [['run', 'lif', '-o', 'x.json'], /unknown option -o for run: options are written out, with two dashes; allowed: .*--out/],
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
  }, 240_000); // nine CLI processes, each a tsx start: ~15 s on a quiet machine, over a minute on a loaded one

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

  it('--threads: a recording made on 4 threads verifies on 1, one made on 1 verifies on 4, and both are the same file but for its date', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spikescope-'));
    const events = join(dir, 'events.json');
    writeFileSync(events, JSON.stringify([
      { kind: 'pulse', step: 20, amplitude: 25, durationMs: 2, targets: [0, 5000, 9999] },
      { kind: 'set-param', step: 60, name: 'weightExcitatory', value: 0.8 },
    ]));
    const on = (threads: number) => {
      const file = join(dir, `t${threads}.json`);
      const recorded = cli('record', 'izhikevich-2003/sparse-10k', '--duration', '50', '--events', events, '--traces', '--threads', String(threads), '--out', file);
      expect(recorded.status, recorded.stderr).toBe(0);
      return file;
    };
    const four = on(4);
    const one = on(1);
    for (const [file, threads] of [[four, '1'], [one, '4']] as const) {
      const verified = cli('replay', file, '--verify', '--threads', threads);
      expect(verified.stdout).toMatch(/^identical: the replay is bit-identical/);
      expect(verified.status).toBe(0);
    }
    // The same file but for its date, and so its digest (which covers every field).
    const content = (file: string) => {
      const { createdAt: _date, output, ...rest } = JSON.parse(readFileSync(file, 'utf8'));
      return { ...rest, spikes: output.spikes, traces: output.traces };
    };
    expect(content(four)).toEqual(content(one));
    expect(cli('run', 'lif', '--threads', '0').stderr).toMatch(/--threads 0 is not allowed: a whole number from 1 to 64/);
  }, 180_000); // five CLI processes on a 10k network: ~15 s on a quiet machine, a minute on a loaded one
});

describe('the CLI refuses what it cannot honour, before any work (in-process: the same main)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'spikescope-cli-'));

  it('help, --help or -h after any command prints the usage on stdout and exits 0', async () => {
    for (const args of [['help'], ['--help'], ['-h'], ['record', '--help'], ['run', 'lif', '-h'], ['replay', 'x.json', '--verify', '--help'], ['export', '--help']]) {
      const { code, stdout, stderr } = await cliInProcess(...args);
      expect(code, args.join(' ')).toBe(0);
      expect(stderr).toBe('');
      expect(stdout).toMatch(/^usage:\n.* record <scene-id \| scene\.json>.*\n.* export </s);
    }
  });

  it('numbers parse strictly: hex, a trailing e, blanks and Infinity are refused for every number flag', async () => {
    for (const [flag, text] of [['dt', '0x1'], ['dt', '1e'], ['dt', ' 1'], ['dt', 'Infinity'], ['duration', '1_000'], ['duration', '0b11'], ['workers', '2.0e0x']] as const) {
      const { code, stdout, stderr } = await cliInProcess('run', 'lif', `--${flag}`, text, '--out', join(dir, 'x.json'));
      expect(code, `--${flag} ${text}`).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(flag === 'workers' ? /--workers 2\.0e0x is not allowed: a whole number from 1 to 64/ : new RegExp(`--${flag} "${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}" is not (a number|allowed)`));
    }
    expect((await cliInProcess('run', 'lif', '--dt', '1e-1', '--duration', '5e1', '--out', join(dir, 'ok.json'))).code).toBe(0);
    expect((await cliInProcess('record', 'lif', '--duration', '0x10', '--out', join(dir, 'x.json'))).stderr).toMatch(/--duration "0x10" is not a number/);
  });

  it('switches take --name, --name=true or --name=false, for every switch; anything else is refused', async () => {
    const withTraces = join(dir, 'with.json');
    const without = join(dir, 'without.json');
    expect((await cliInProcess('record', 'lif', '--traces=true', '--out', withTraces)).code).toBe(0);
    expect((await cliInProcess('record', 'lif', '--traces=false', '--out', without)).code).toBe(0);
    expect(JSON.parse(readFileSync(withTraces, 'utf8')).output.traces).toBeDefined();
    expect(JSON.parse(readFileSync(without, 'utf8')).output.traces).toBeUndefined();
    expect(await cliInProcess('record', 'lif', '--traces=maybe', '--out', without)).toMatchObject({ code: 2, stderr: 'spikescope: --traces=maybe is not allowed: --traces, --traces=true or --traces=false\n' });
    expect(await cliInProcess('replay', without, '--verify=false')).toMatchObject({ code: 2, stderr: 'spikescope: replay needs --verify and/or --out FILE\n' });
    expect(await cliInProcess('replay', without, '--verify=true')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^identical/) });
    expect(await cliInProcess('run', 'lif', '--allow-large=yes')).toMatchObject({ code: 2, stderr: expect.stringMatching(/--allow-large=yes is not allowed/) });
    expect(await cliInProcess('run', 'lif', '--dt', '0.1', '--dt', '0.2')).toMatchObject({ code: 2, stderr: 'spikescope: option --dt is given twice\n' });
  });

  it('--out into a missing directory fails with exit 2 before anything is computed (run, record, replay)', async () => {
    const missing = join(dir, 'no', 'such', 'dir', 'out.json');
    for (const args of [['run', 'hh', '--out', missing], ['record', 'hh', '--out', missing], ['replay', join(dir, 'with.json'), '--out', missing]]) {
      const { code, stdout, stderr } = await cliInProcess(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(`spikescope: cannot write ${missing}: the directory ${join(dir, 'no', 'such', 'dir')} does not exist\n`);
    }
  });

  it("the README's events example: record keeps the restart at step 801 (after the last step) and the file verifies", async () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const example = readme.match(/An events file is a JSON list[\s\S]*?```json\n([\s\S]*?)```/)![1]!;
    const events = join(dir, 'events.json');
    writeFileSync(events, example);
    const file = join(dir, 'session.json.gz');
    const recorded = await cliInProcess('record', 'izhikevich/B', '--events', events, '--traces', '--out', file);
    expect(recorded.stderr).toMatch(/^recorded 801 steps, 7 events \(1 at or after its last step, kept in the log\), \d+ spikes, digest [0-9a-f]{14} → /);
    expect(recorded.code).toBe(0);
    expect(await cliInProcess('replay', file, '--verify')).toMatchObject({ code: 0, stdout: expect.stringMatching(/^identical: the replay is bit-identical/) });
  });

  it('a malformed start state, a start.params out of its schema and events before firstStep exit 2 naming the field', async () => {
    const lab = new Session(builtinScene('izhikevich/B')!);
    lab.advance(100);
    lab.startRecording();
    lab.advance(200);
    const recording = lab.stopRecording()!;
    const cases: [(r: Record<string, any>) => void, RegExp][] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
      [(r) => (r.start.noise.values = ['AAAAAAAAAAA=']), /start\.noise\.values = \["AAAAAAAAAAA="\] is not allowed: a list of 0 base64 arrays/],
      [(r) => (r.start.kernel = {}), /start\.kernel\.v = undefined is not allowed: a Float64Array of 1 values/],
      [(r) => (r.start.params.a = 1e300), /start\.params\.a = 1e\+300 is not allowed: a number from/],
      [(r) => (r.events = [{ kind: 'release', step: 99 }]), /events\[0\]\.step = 99 is not allowed: a step at or after the recording's first step, 100/],
    ];
    for (const [change, message] of cases) {
      const r = structuredClone(recording) as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
      change(r);
      const file = join(dir, 'bad-start.json');
      writeFileSync(file, JSON.stringify(r));
      const { code, stderr } = await cliInProcess('replay', file, '--verify');
      expect(code, String(message)).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/Cannot read properties/);
    }
  });

  it('a run that diverges exits 2 with the message (its input made it diverge)', async () => {
    const scene = join(dir, 'diverges.json');
    writeFileSync(scene, JSON.stringify({ model: 'hh', options: { method: 'euler' }, stimulus: [{ kind: 'dc', amplitude: -50 }], dtMs: 0.01, durationMs: 20 }));
    expect(await cliInProcess('run', scene, '--out', join(dir, 'd.json'))).toMatchObject({ code: 2, stderr: expect.stringMatching(/^spikescope: the simulation diverged: \w+ of neuron 0 became/) });
    // Forward-Euler LIF beyond its bound is refused before it runs (it used to swing to ±3000 V with exit 0).
    expect(await cliInProcess('run', 'lif', '--dt', '10', '--duration', '100')).toMatchObject({ code: 0 });
    const unstable = join(dir, 'unstable.json');
    writeFileSync(unstable, JSON.stringify({ model: 'lif', params: { cm: 4 }, stimulus: [{ kind: 'dc', amplitude: 1.5 }], dtMs: 10, durationMs: 1000 }));
    expect(await cliInProcess('run', unstable)).toMatchObject({ code: 2, stderr: expect.stringMatching(/dtMs = 10 is not allowed: less than 8 ms: forward Euler .* dt < 2·tau_m = 2·rm·cm = 8 ms/) });
  });
});
