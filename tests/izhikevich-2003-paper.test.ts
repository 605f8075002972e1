/**
 * The Izhikevich (2003) network stepped as the paper's MATLAB program (options.stepping 'paper',
 * scene izhikevich-2003/paper): line by line against a literal transcription of the program, and
 * statistically against the program itself (tests/reference/izhikevich-2003-paper.json, from
 * tools/izhikevich_2003_paper.py).
 */
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { describe, expect, it } from 'vitest';
import { fillCounterNormals } from '../src/core/counter-random.ts';
import { Izhikevich2003Kernel, izhikevich2003Params, THALAMIC_STREAM, V_PEAK } from '../src/core/models/izhikevich-2003.ts';
import { Random } from '../src/core/random.ts';
import { parseScene } from '../src/core/scene.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { InputError } from '../src/core/schema.ts';
import { Simulation } from '../src/core/simulation.ts';
import { networkStatistics, spread, type NetworkStatistics, type Spread } from '../src/core/spike-statistics.ts';
import { decodeRecording, encodeRecording } from '../src/session/file.ts';
import { Recorder } from '../src/session/recorder.ts';
import { verifyRecording } from '../src/session/replay.ts';
import { runScene } from '../src/stream/run.ts';

type Key = keyof NetworkStatistics;
const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`./reference/${name}`, import.meta.url), 'utf8'));
const reference = read('izhikevich-2003-paper.json') as {
  seeds: number[];
  durationMs: number;
  windows: { fromMs: number; toMs: number; summary: Record<Key, Spread> }[];
};
const pythonSpikes = read('izhikevich-2003-paper-spikes.json') as {
  neurons: number;
  excitatory: number;
  dtMs: number;
  fromMs: number;
  toMs: number;
  statistics: NetworkStatistics;
  step: number[];
  neuron: number[];
};

/**
 * The paper's program, written as it is (one array operation per line of the MATLAB), with
 * Spikescope's random numbers drawn in the kernel's order: r in neuron order, then S column by
 * column (pre j, post i) from Random(seed); the thalamic deviates of the t-th ms are draw t − 1 of
 * the counter-based generator keyed by the seed. Returns the spikes as (step k, neuron) — a crossing found at the start of iteration t
 * happened in step k = t − 2 — and v, u after the resets of the last crossings.
 */
function paperProgram(seed: number, n: number, ms: number) {
  const ne = Math.round(0.8 * n);
  const random = new Random(seed);
  const r = Array.from({ length: n }, () => random.uniform());
  const a = r.map((ri, i) => (i < ne ? 0.02 : 0.02 + 0.08 * ri));
  const b = r.map((ri, i) => (i < ne ? 0.2 : 0.25 - 0.05 * ri));
  const c = r.map((ri, i) => (i < ne ? -65 + 15 * ri * ri : -65));
  const d = r.map((ri, i) => (i < ne ? 8 - 6 * ri * ri : 2));
  const S = new Float64Array(n * n); // S(i, j) at j·n + i
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) S[j * n + i] = (j < ne ? 0.5 : -1) * random.uniform();
  const z = new Float64Array(n);
  let v = new Array<number>(n).fill(-65);
  let u = b.map((bi, i) => bi * v[i]!);
  const steps: number[] = [];
  const neurons: number[] = [];
  for (let t = 1; t <= ms + 1; t++) {
    fillCounterNormals(z, 0, n, seed, THALAMIC_STREAM, t - 1);
    let I = Array.from(z, (zi, i) => (i < ne ? 5 : 2) * zi); // I=[5*randn(Ne,1);2*randn(Ni,1)];
    const fired = v.flatMap((vi, i) => (vi >= 30 ? [i] : [])); // fired=find(v>=30);
    for (const i of fired) steps.push(t - 2), neurons.push(i);
    for (const i of fired) v[i] = c[i]!; // v(fired)=c(fired);
    for (const i of fired) u[i] = u[i]! + d[i]!; // u(fired)=u(fired)+d(fired);
    if (t === ms + 1) break;
    const sum = new Array<number>(n).fill(0); // sum(S(:,fired),2)
    for (let i = 0; i < n; i++) for (const j of fired) sum[i] = sum[i]! + S[j * n + i]!;
    I = I.map((Ii, i) => Ii + sum[i]!); // I=I+sum(S(:,fired),2);
    // v=v+0.5*(0.04*v.^2+5*v+140-u+I); twice (v.^2 is v·v)
    v = v.map((vi, i) => vi + 0.5 * (0.04 * (vi * vi) + 5 * vi + 140 - u[i]! + I[i]!));
    v = v.map((vi, i) => vi + 0.5 * (0.04 * (vi * vi) + 5 * vi + 140 - u[i]! + I[i]!));
    u = u.map((ui, i) => ui + a[i]! * (b[i]! * v[i]! - ui)); // u=u+a.*(b.*v-u);
  }
  return { steps, neurons, v, u };
}

const paperScene = builtinScene('izhikevich-2003/paper')!;

describe("stepping 'paper': the paper's program", () => {
  it('is the program line by line: the same spikes, v and u as its literal transcription with the same random numbers', () => {
    const ms = 400;
    const program = paperProgram(3, 1000, ms);
    expect(program.steps.length).toBeGreaterThan(1000);
    const result = runScene({ ...paperScene, seed: 3, durationMs: ms, probes: [] });
    expect(Array.from(result.spikes.step)).toEqual(program.steps);
    expect(Array.from(result.spikes.neuron)).toEqual(program.neurons);
    // The engine's spike time is the end of the 1 ms step in which v crossed (the program labels it one more).
    expect(Array.from(result.spikes.timeMs)).toEqual(program.steps.map((k) => k + 1));
    const simulation = new Simulation({ ...paperScene, seed: 3, durationMs: ms, probes: [] });
    simulation.advance(ms);
    const k = simulation.kernel as Izhikevich2003Kernel;
    expect(Array.from(k.v)).toEqual(program.v);
    expect(Array.from(k.u)).toEqual(program.u);
  });

  it('the v probe shows 30 mV on the 1 ms step in which a neuron crossed, and u after its reset', () => {
    const result = runScene({ ...paperScene, durationMs: 300 });
    const spikeSteps = new Set(Array.from(result.spikes.step).filter((_, s) => result.spikes.neuron[s] === 0));
    expect(spikeSteps.size).toBeGreaterThan(0);
    const [v, u] = result.traces;
    for (let k = 0; k < result.steps; k++) {
      if (spikeSteps.has(k)) expect(v![k]).toBe(V_PEAK);
      else expect(v![k]).toBeLessThan(V_PEAK);
    }
    expect(u!.every((x) => x > -30 && x < 30)).toBe(true);
  });

  it('refuses a time step other than 1 ms, and an unknown stepping, naming the field and what is allowed', () => {
    expect(() => new Simulation({ ...paperScene, dtMs: 0.5 })).toThrow(InputError);
    expect(() => new Simulation({ ...paperScene, dtMs: 0.5 })).toThrow(/dtMs = 0.5 .*1 with options.stepping 'paper'/);
    const defaults = Object.fromEntries(izhikevich2003Params.map((p) => [p.name, p.default]));
    expect(() => new Izhikevich2003Kernel({ size: 10, dtMs: 2, params: defaults, choices: { connectivity: 'dense', stepping: 'paper' }, seed: 1 })).toThrow(/dtMs = 2/);
    expect(() => parseScene({ ...paperScene, options: { stepping: 'matlab' } })).toThrow(/options.stepping = "matlab" .*one of euler, paper/);
  });

  it('works for sparse networks too (fan-in 100, 2000 neurons): the same spikes for any ticks, a few Hz', () => {
    const sparse = parseScene({ ...paperScene, neurons: 2000, durationMs: 500, options: { connectivity: 'sparse', stepping: 'paper' }, probes: [] });
    const a = runScene(sparse);
    const b = runScene(sparse, { stepsPerTick: 37 });
    expect(Array.from(b.spikes.neuron)).toEqual(Array.from(a.spikes.neuron));
    expect(Array.from(b.spikes.step)).toEqual(Array.from(a.spikes.step));
    const rate = a.spikes.step.length / 2000 / 0.5;
    expect(rate).toBeGreaterThan(2);
    expect(rate).toBeLessThan(10);
  });
});

describe('the statistics of src/core/spike-statistics.ts', () => {
  it("give the Python program's own figures on the Python program's spikes", () => {
    const p = pythonSpikes;
    const stats = networkStatistics(p, { neurons: p.neurons, excitatory: p.excitatory, dtMs: p.dtMs, fromMs: p.fromMs, toMs: p.toMs });
    expect(stats.rateHz).toBe(p.statistics.rateHz);
    expect(stats.excitatoryHz).toBe(p.statistics.excitatoryHz);
    expect(stats.inhibitoryHz).toBe(p.statistics.inhibitoryHz);
    expect(stats.cvNeurons).toBe(p.statistics.cvNeurons);
    expect(stats.isiCv).toBeCloseTo(p.statistics.isiCv, 12);
    expect(stats.alphaHz).toBe(p.statistics.alphaHz);
    expect(stats.gammaHz).toBe(p.statistics.gammaHz);
  });

  it('bin a 0.5 ms run as the 1 ms run it would be: two steps per bin', () => {
    const oneMs = { step: [1000, 1000, 1500, 2999], neuron: [0, 900, 0, 0] };
    const halfMs = { step: oneMs.step.map((k) => 2 * k + 1), neuron: oneMs.neuron };
    const window = { neurons: 1000, excitatory: 800, fromMs: 1000, toMs: 3000 };
    expect(networkStatistics(halfMs, { ...window, dtMs: 0.5 })).toEqual(networkStatistics(oneMs, { ...window, dtMs: 1 }));
    expect(() => networkStatistics(oneMs, { ...window, dtMs: 1, toMs: 1500 })).toThrow(/at least 1000 ms/);
  });
});

describe("izhikevich-2003/paper reproduces the paper's program", () => {
  it('over the reference seeds, every statistic’s mean lies within 2 standard deviations of the program’s', () => {
    const window = reference.windows[0]!;
    const start = performance.now();
    const rows: NetworkStatistics[] = [];
    for (const seed of reference.seeds) {
      const result = runScene({ ...paperScene, seed, durationMs: reference.durationMs, probes: [] });
      rows.push(networkStatistics(result.spikes, { neurons: 1000, excitatory: 800, dtMs: 1, fromMs: window.fromMs, toMs: window.toMs }));
    }
    const lines: string[] = [];
    for (const key of ['rateHz', 'excitatoryHz', 'inhibitoryHz', 'isiCv', 'alphaHz', 'gammaHz'] as const) {
      const { mean } = spread(rows.map((row) => row[key]));
      const ref = window.summary[key];
      lines.push(`${key} ${mean.toFixed(3)} (program ${ref.mean.toFixed(3)} ± ${ref.sd.toFixed(3)})`);
      expect(Math.abs(mean - ref.mean), key).toBeLessThan(2 * ref.sd);
    }
    // The rhythms: every seed's alpha peak in 7–13 Hz, and gamma in 20–45 Hz (the program's: 7–9 and 22–37).
    for (const row of rows) {
      expect(row.alphaHz).toBeGreaterThanOrEqual(7);
      expect(row.alphaHz).toBeLessThanOrEqual(13);
      expect(row.gammaHz).toBeGreaterThanOrEqual(20);
      expect(row.gammaHz).toBeLessThanOrEqual(45);
    }
    const seconds = (performance.now() - start) / 1000;
    console.log(`${reference.seeds.length} seeds × ${reference.durationMs} ms in ${seconds.toFixed(1)} s (${cpus()[0]?.model}, load ${loadavg()[0]!.toFixed(2)}): ${lines.join('; ')}`);
  });
});

describe("stepping 'paper': recordings", () => {
  it('a recorded session of izhikevich-2003/paper, with a pulse and a parameter change, saves, loads and replays bit-identically', async () => {
    const simulation = new Simulation({ ...paperScene, durationMs: 1e6 });
    simulation.schedule({ kind: 'pulse', step: 120, amplitude: 20, durationMs: 3, targets: [0] });
    simulation.schedule({ kind: 'set-param', step: 200, name: 'weightExcitatory', value: 0.7 });
    const recorder = Recorder.start(simulation, { traces: true });
    for (let i = 0; i < 10; i++) recorder.record({ ...simulation.advance(33), events: [] });
    const recording = await decodeRecording(await encodeRecording(recorder.finish({ createdAt: '2026-01-01T00:00:00.000Z' })));
    expect(recording.scene.options).toEqual({ connectivity: 'dense', stepping: 'paper' });
    expect(recording.events.length).toBe(2);
    expect(recording.output.spikes.step.length).toBeGreaterThan(500);
    const check = verifyRecording(recording);
    expect(check.message).toBe('the replay is bit-identical to the recording');
  });
});
