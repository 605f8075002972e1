/**
 * One set of limits (src/core/limits.ts), the same for run, record, replay and the page:
 * the README's table is the code's; a recorder never writes what replay refuses, at any limits
 * (a property with small limits) and at the real step limit (the issue's 5 000 ms at dt 1e-4);
 * hostile inputs are refused with exit 2 before they cost memory, and the suite prints the peak
 * memory of each (the worst first); the integrators' step bounds hold for scenes, sweeps, events,
 * start states and live changes alike; a duration must be a whole number of steps.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseEventLog } from '../src/core/events.ts';
import { DEFAULT_LIMITS, LARGE_LIMITS, LimitError, limitsMarkdown, type Limits } from '../src/core/limits.ts';
import { parseScene, stepCount } from '../src/core/scene.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { Simulation } from '../src/core/simulation.ts';
import { stepBound } from '../src/core/stability.ts';
import { Session } from '../src/session/session.ts';
import { Recorder } from '../src/session/recorder.ts';
import { parseRecording } from '../src/session/recording.ts';
import { verifyRecording } from '../src/session/replay.ts';
import { cliInProcess } from './support/cli.ts';

const ROOT = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'spikescope-limits-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const machine = (): string => `${cpus()[0]?.model}, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}`;

const cli = cliInProcess;

describe('the limits table', () => {
  it("is the README's: the README holds the table generated from src/core/limits.ts", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(limitsMarkdown());
  });

  it('every limit has a default no larger than its opt-in ceiling', () => {
    for (const [name, value] of Object.entries(DEFAULT_LIMITS)) if (name !== 'large') expect(value, name).toBeLessThanOrEqual(LARGE_LIMITS[name as keyof Limits] as number);
  });
});

describe('nothing a recorder writes is refused by replay', () => {
  it('at any limits: a recorder stops before a limit, and replay under the same limits accepts the file and finds it identical', async () => {
    const base = parseScene({
      model: 'lif-network',
      neurons: 5,
      connectivity: { kind: 'ring', weight: 3 },
      params: { tauRefMs: 0.5, tauPscMs: 1 },
      stimulus: [{ kind: 'dc', amplitude: 2, targets: [0] }, { kind: 'poisson', rateHz: 300, amplitude: 8 }],
      dtMs: 0.25,
      durationMs: 100,
      probes: [{ variable: 'v', neuron: 0 }, { variable: 'iSyn', neuron: 2 }],
    });
    let stopped = 0;
    let whole = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          steps: fc.integer({ min: 400, max: 3000 }),
          spikes: fc.integer({ min: 0, max: 400 }),
          events: fc.integer({ min: 0, max: 6 }),
          textBytes: fc.integer({ min: 2000, max: 60_000 }),
          traceSamples: fc.integer({ min: 0, max: 6000 }),
          work: fc.integer({ min: 12_000, max: 100_000 }),
        }),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.record({ step: fc.integer({ min: 0, max: 1500 }), amplitude: fc.double({ min: -5, max: 20, noNaN: true }) }), { maxLength: 8 }),
        async (small, traces, frames, pulses) => {
          const limits: Limits = { ...DEFAULT_LIMITS, ...small };
          // The scene passes these limits (its duration's steps and work), as it would have to be recorded at all.
          let scene;
          try {
            scene = parseScene(base, limits);
          } catch {
            return true;
          }
          const simulation = new Simulation(scene);
          // As a live input or an events file gives them: parsed (−0 becomes 0, as in the file).
          const events = parseEventLog(pulses.sort((a, b) => a.step - b.step).map((p) => ({ kind: 'pulse', step: p.step, amplitude: p.amplitude, durationMs: 1 })), { ...scene, limits: DEFAULT_LIMITS });
          for (const event of events) simulation.schedule(event);
          let recorder: Recorder;
          try {
            recorder = Recorder.start(simulation, { traces, limits });
          } catch (error) {
            // The events already due do not fit: nothing is recorded at all.
            expect(error).toBeInstanceOf(LimitError);
            return true;
          }
          let full = false;
          for (const n of frames) {
            const frame = simulation.advance(n);
            try {
              recorder.record(frame);
            } catch (error) {
              expect(error).toBeInstanceOf(LimitError);
              full = true;
              break;
            }
          }
          if (full) stopped++;
          else whole++;
          const text = JSON.stringify(recorder.finish());
          expect(text.length).toBeLessThanOrEqual(limits.textBytes);
          const verdict = verifyRecording(parseRecording(text, limits), undefined, limits);
          expect(verdict.message).toBe('the replay is bit-identical to the recording');
          return true;
        },
      ),
      { numRuns: 300 },
    );
    console.log(`recorders at random small limits: ${stopped} stopped at a limit, ${whole} within them; every file accepted by replay under the same limits and identical`);
    expect(stopped).toBeGreaterThan(20);
  });

  it("at the real step limit: the issue's 5 000 ms at dt 1e-4 (5·10⁷ steps) records and verifies; one step more is refused before any work", async () => {
    const file = join(dir, 'at-limit.json.gz');
    const started = performance.now();
    const recorded = await cli('record', 'lif', '--duration', '5000', '--dt', '1e-4', '--out', file);
    const recordMs = performance.now() - started;
    expect(recorded.stderr).toMatch(/^recorded 50000000 steps/);
    expect(recorded.code).toBe(0);
    const verified = await cli('replay', file, '--verify');
    expect(verified.stdout).toMatch(/^identical: the replay is bit-identical/);
    expect(verified.code).toBe(0);
    const over = await cli('record', 'lif', '--duration', '5000.0001', '--dt', '1e-4', '--out', join(dir, 'over.json.gz'));
    expect(over.code).toBe(2);
    expect(over.stderr).toBe('spikescope: durationMs = 5000.0001 is not allowed: at most 50 000 000 steps of dtMs = 0.0001 ms (this is 50 000 001 steps) (limit "steps"; the CLI\'s --allow-large raises it to 1 000 000 000)\n');
    console.log(`record and replay at the step limit (5e7 LIF steps): recorded in ${(recordMs / 1000).toFixed(1)} s, verified identical (${machine()})`);
  }, 600_000);

  it('the page: a recording that reaches a limit stops growing, says why, and what it holds replays as identical', () => {
    // The page's session with small limits (the page uses the defaults; the code path is the same).
    const limits: Limits = { ...DEFAULT_LIMITS, traceSamples: 30_000 };
    const lab = new Session(builtinScene('izhikevich/A')!, { loop: true, limits });
    lab.startRecording({ traces: true });
    let status = lab.advance(100).status;
    while (status.recordingFull === null) status = lab.advance(1000).status;
    expect(status.recordingFull).toBe('recorded trace samples = 30300 is not allowed: at most 30 000 samples (the recording reached step 10100, 10100 steps) (limit "traceSamples"; the CLI\'s --allow-large raises it to 100 000 000)');
    // It stopped growing; the run goes on.
    expect(lab.advance(1000).status.recordedSteps).toBe(9100);
    const recording = lab.stopRecording()!;
    expect(recording.steps).toBe(9100);
    expect(verifyRecording(parseRecording(JSON.stringify(recording), limits), undefined, limits).identical).toBe(true);
  });
});

describe('hostile inputs are refused before they cost memory', () => {
  it('exit 2 naming the limit, and the peak memory of each (the worst printed first)', () => {
    const write = (name: string, data: string | Uint8Array): string => {
      const path = join(dir, name);
      writeFileSync(path, data);
      return path;
    };
    const huge = write('huge.json.gz', '');
    truncateSync(huge, 2 ** 30); // a sparse 1 GB file: costs no disk
    const bomb = write('bomb.json.gz', gzipSync(Buffer.alloc(300 * 1024 * 1024, 32), { level: 9 }));
    const events = Array.from({ length: 1_100_000 }, (_, step) => ({ kind: 'release', step }));
    const recording = JSON.parse(JSON.stringify({ format: 'spikescope-recording', version: 1, appVersion: '0.1.0', createdAt: '', scene: { model: 'lif' }, firstStep: 0, steps: 1e12, events: [], output: { spikes: { step: [], neuron: [], timeMs: [] }, digest: '00000000000000' } }));
    // An events file just under the input file limit, of the smallest events there are (~2.4 million).
    const item = '{"kind":"release","step":1}';
    const count = Math.floor((DEFAULT_LIMITS.inputFileBytes - 2) / (item.length + 1));
    const cases: [string, string[], RegExp][] = [
      ['a 20 000-neuron lif-network with random connectivity (4·10⁸ synapses)', ['run', write('net.json', JSON.stringify({ model: 'lif-network', neurons: 20000, connectivity: { kind: 'random' } }))], /neurons = 20000 is not allowed: at most 20 000 000 synapses/],
      ['run lif --duration 1e8 --dt 1e-4 (10¹² steps)', ['run', 'lif', '--duration', '1e8', '--dt', '1e-4'], /durationMs = 100000000 is not allowed: at most 50 000 000 steps/],
      ['2·10⁶ HH neurons for 100 ms, even with --allow-large', ['run', write('hh.json', JSON.stringify({ model: 'hh', neurons: 2e6, dtMs: 0.01, durationMs: 100 })), '--allow-large'], /at most 1e12 neuron-steps of work/],
      ['a recording claiming 10¹² steps', ['replay', write('steps.json', JSON.stringify(recording)), '--verify'], /steps = 1000000000000 is not allowed/],
      ['a 1 GB recording file', ['replay', huge, '--verify'], /is too large: 1073741824 bytes, at most 268435456 \(limit "fileBytes"\)/],
      ['a gzip bomb (300 MB of spaces in 300 KB)', ['replay', bomb, '--verify'], /decompresses to more than 268435456 bytes/],
      ['an events file of 1.1 million events', ['record', 'lif', '--events', write('events.json', JSON.stringify(events)), '--out', join(dir, 'x.json')], /events = "1100000 events" is not allowed: at most 1000000 events/],
      [`an events file of ${(count / 1e6).toFixed(1)} million events in 64 MB`, ['record', 'lif', '--events', write('events64.json', `[${Array(count).fill(item).join(',')}]`), '--out', join(dir, 'x.json')], /events = "\d+ events" is not allowed: at most 1000000 events/],
      ['a 65 MB scene file', ['run', write('scene.json', ' '.repeat(DEFAULT_LIMITS.inputFileBytes + 1))], /too large: 67108865 bytes, at most 67108864 \(limit "inputFileBytes"\)/],
    ];
    const report = resolve(dir, 'rss.cjs');
    writeFileSync(report, "process.on('exit', () => require('fs').writeSync(2, `\\nmaxRSS ${process.resourceUsage().maxRSS}\\n`));\n");
    const results = cases.map(([what, args, message]) => {
      const run = spawnSync(process.execPath, ['--require', report, '--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
      const [text, rss] = run.stderr.split('\nmaxRSS ');
      expect(run.status, what).toBe(2);
      expect(text, what).toMatch(message);
      expect(text!.trim().split('\n').length, what).toBe(1);
      return { what, mb: Number(rss) / 1024 };
    });
    results.sort((a, b) => b.mb - a.mb);
    console.log(`peak memory (max RSS of the CLI process) of refused inputs, worst first (${machine()}):\n${results.map((r) => `  ${r.mb.toFixed(0).padStart(5)} MB  ${r.what}`).join('\n')}\nworst refused input: ${results[0]!.what}, ${results[0]!.mb.toFixed(0)} MB`);
    // A Node process with the engine loaded takes ~100 MB; nothing refused may take more than a few hundred.
    for (const r of results) expect(r.mb, r.what).toBeLessThan(600);
  }, 300_000);
});

describe('step bounds of the explicit integrators', () => {
  it('forward-Euler LIF: dt < 2·tau_m; at the bound it is refused, just below it runs without swinging', () => {
    // tau_m = rm·cm = 2 ms: dt 4 is the bound.
    const lif = (dtMs: number, params: Record<string, number> = { rm: 1, cm: 2 }) => ({ model: 'lif', params, stimulus: [{ kind: 'dc', amplitude: 2 }], dtMs, durationMs: dtMs * 100 });
    expect(() => parseScene(lif(4))).toThrow('dtMs = 4 is not allowed: less than 4 ms: forward Euler (options.method \'euler\') is stable only for dt < 2·tau_m = 2·rm·cm = 4 ms; use a smaller dtMs, or options.method \'exact\'');
    expect(() => parseScene(lif(5))).toThrow(/dtMs = 5 is not allowed: less than 4 ms/);
    const below = new Simulation(parseScene(lif(3.9))).advance(100);
    expect(Math.max(...below.traces[0]!.map(Math.abs))).toBeLessThan(10);
    expect(() => parseScene({ ...lif(5), options: { method: 'exact' } })).not.toThrow();
    // The same bound for a network, a sweep value, a set-param event, a live change.
    expect(() => parseScene({ model: 'lif-network', neurons: 3, params: { cm: 0.05 }, dtMs: 0.125, durationMs: 10 })).toThrow(/dt < 2·tau_m = 2·rm·cm = 0\.1 ms/);
    expect(() => parseScene({ ...lif(1), sweep: { param: 'cm', values: [2, 0.4] } })).toThrow(/sweep\.values\[1\] = 0\.4 is not allowed: a value that keeps dtMs = 1 ms a stable step: forward Euler .* dt < 2·tau_m = 2·rm·cm = 0\.8 ms/);
    const scene = parseScene(lif(1));
    expect(() => parseEventLog([{ kind: 'set-param', step: 5, name: 'rm', value: 3 }, { kind: 'set-param', step: 9, name: 'cm', value: 0.1 }], { ...scene, limits: DEFAULT_LIMITS })).toThrow(
      /events\[1\]\.value = 0\.1 is not allowed: a value that keeps dtMs = 1 ms a stable step: forward Euler .* dt < 2·tau_m = 2·rm·cm = 0\.6 ms/,
    );
    const lab = new Session(scene);
    lab.advance(10);
    expect(() => lab.input({ kind: 'set-param', name: 'cm', value: 0.4 })).toThrow(/cm = 0\.4 is not allowed: a value that keeps dtMs = 1 ms a stable step: forward Euler .* dt < 2·tau_m = 2·rm·cm = 0\.8 ms/);
    // The refused change left the run as it was.
    expect(lab.status().params.cm).toBe(2);
    expect(lab.advance(10).steps).toBe(10);
  });

  it('Hodgkin–Huxley Euler and RK4: the bound for every gate state (0.0128 and 0.0178 ms with the defaults); exponential Euler has none', () => {
    const hh = parseScene({ model: 'hh', dtMs: 0.01 });
    const euler = stepBound('hh', hh.params, { method: 'euler' })!;
    const rk4 = stepBound('hh', hh.params, { method: 'rk4' })!;
    expect(euler.maxDtMs).toBeCloseTo(2 / 156.3, 10);
    expect(rk4.maxDtMs).toBeCloseTo(2.785 / 156.3, 10);
    expect(stepBound('hh', hh.params, { method: 'exponential-euler' })).toBeUndefined();
    expect(stepBound('izhikevich', {}, {})).toBeUndefined();
    expect(() => parseScene({ model: 'hh', dtMs: 0.02 })).toThrow(/dtMs = 0\.02 is not allowed: less than 0\.01782 ms: RK4 .* λ = \(gNa \+ gK \+ gL\)\/cm = 156\.3 \/ms; use a smaller dtMs, or options.method 'exponential-euler'/);
    expect(() => parseScene({ model: 'hh', dtMs: 0.02, options: { method: 'exponential-euler' } })).not.toThrow();
    // A parameter that speeds the membrane up moves the bound: a live gNa of 1000 at dt 0.01 is refused.
    const lab = new Session(hh);
    expect(() => lab.input({ kind: 'set-param', name: 'gNa', value: 1000 })).toThrow(/gNa = 1000 is not allowed: a value that keeps dtMs = 0\.01 ms a stable step: RK4/);
  });
});

describe('a duration is a whole number of steps', () => {
  it('one rule everywhere: within a relative 1e-9 it is whole, else it is refused with the nearest durations', async () => {
    expect(() => parseScene({ model: 'lif', dtMs: 10, durationMs: 14 })).toThrow('durationMs = 14 is not allowed: a whole number of steps of dtMs = 10 ms (1.40000 steps given), e.g. 10 or 20 ms');
    expect(stepCount(parseScene({ model: 'hh', dtMs: 0.01, durationMs: 50 }))).toBe(5000);
    expect(stepCount(parseScene({ model: 'lif', dtMs: 0.1, durationMs: 0.3 }))).toBe(3);
    // The CLI's overrides go through the same rule (the issue's dt 10, duration 14 ran one step).
    expect(await cli('run', 'lif', '--dt', '10', '--duration', '14')).toMatchObject({ code: 2, stdout: '', stderr: expect.stringMatching(/durationMs = 14 is not allowed: a whole number of steps of dtMs = 10 ms/) });
    expect(await cli('record', 'lif', '--dt', '10', '--duration', '14', '--out', join(dir, 'r.json'))).toMatchObject({ code: 2 });
  });
});
