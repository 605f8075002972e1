/**
 * Fuzzed scenes, per model: fast-check builds scenes from the models' own schemas — parameter
 * values in range, at the bounds and hostile (out of range, NaN, ±Infinity, huge, strings, null),
 * neurons, dt and durations valid and absurd, stimulus sources of every kind, connectivity, probes,
 * options, sweeps and event logs. Each goes through what `run` does (parseScene with the limits,
 * then the run through the model operator); one in 20 goes through the CLI itself, in-process
 * (`main(['run', file, '--out', …])`). Every scene must run with finite output (no NaN, no
 * ±Infinity) or be refused with a one-line message and exit code 2 — never crash. The suite
 * prints the figures per model.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { exitCode } from '../src/cli/main.ts';
import { parseEventLog } from '../src/core/events.ts';
import { DEFAULT_LIMITS } from '../src/core/limits.ts';
import { MODEL_IDS, models, type ModelId } from '../src/core/models/index.ts';
import { parseScene, probeNames } from '../src/core/scene.ts';
import type { ParamSpec } from '../src/core/schema.ts';
import { STIMULUS_KINDS } from '../src/core/stimulus.ts';
import { runSweep } from '../src/stream/run.ts';
import { cliInProcess } from './support/cli.ts';

const SCENES_PER_MODEL = 1000;
const dir = mkdtempSync(join(tmpdir(), 'spikescope-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOSTILE_NUMBERS = [NaN, Infinity, -Infinity, -1, 0, -0, 1e-300, 1e9, 1e12, 1e300, -1e300, 2 ** 31, 2 ** 53, Number.MAX_VALUE, Number.MIN_VALUE];
const hostile = fc.oneof(fc.constantFrom<unknown>(...HOSTILE_NUMBERS, '1', '', null, true, [], {}, [1], { kind: 'dc' }), fc.double(), fc.integer());

function paramValue(spec: ParamSpec): fc.Arbitrary<unknown> {
  const whole = (v: number): number => (spec.integer ? Math.round(v) : v);
  const inRange = fc.double({ min: spec.min, max: spec.max, noNaN: true }).map(whole);
  // Near the default (×0.5 … ×2, within the range): where models are usually run.
  const nearDefault = fc.double({ min: 0.5, max: 2, noNaN: true }).map((f) => whole(Math.min(spec.max, Math.max(spec.min, spec.default * f))));
  return fc.oneof({ weight: 8, arbitrary: inRange }, { weight: 8, arbitrary: nearDefault }, { weight: 4, arbitrary: fc.constantFrom(spec.min, spec.max, spec.default) }, { weight: 1, arbitrary: hostile });
}

/** A record of some of a schema's parameters (and, rarely, an unknown one). */
function paramsOf(specs: readonly ParamSpec[]): fc.Arbitrary<unknown> {
  const some = fc.subarray([...specs], { maxLength: 4 }).chain((chosen) => fc.tuple(...chosen.map(paramValue)).map((values) => Object.fromEntries(chosen.map((s, i) => [s.name, values[i]]))));
  return fc.oneof({ weight: 60, arbitrary: some }, { weight: 1, arbitrary: fc.constant({ bogus: 1 }) }, { weight: 1, arbitrary: hostile });
}

/** Mostly `good`, one time in `odds` a hostile value. */
const mostly = (good: fc.Arbitrary<unknown>, odds = 40): fc.Arbitrary<unknown> => fc.oneof({ weight: odds - 1, arbitrary: good }, { weight: 1, arbitrary: hostile });
const amplitude = mostly(fc.double({ min: -40, max: 40, noNaN: true }));
const time = mostly(fc.double({ min: 0.1, max: 30, noNaN: true }));
const targets = (n: number) => fc.oneof({ weight: 4, arbitrary: fc.array(fc.integer({ min: 0, max: Math.max(0, n - 1) }), { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: fc.constantFrom<unknown>([], [-1], [n], [0.5], 'all') });

function source(n: number): fc.Arbitrary<unknown> {
  return fc
    .record(
      {
        kind: fc.oneof({ weight: 40, arbitrary: fc.constantFrom<string>(...STIMULUS_KINDS) }, { weight: 1, arbitrary: fc.constant('bogus') }),
        amplitude,
        rampMs: time,
        frequencyHz: time,
        phaseDeg: time,
        offset: amplitude,
        widthMs: time,
        periodMs: time,
        count: fc.oneof(fc.integer({ min: 0, max: 10 }), hostile),
        mean: amplitude,
        sigma: mostly(fc.double({ min: 0, max: 10, noNaN: true })),
        tauMs: time,
        rateHz: fc.oneof(fc.double({ min: 0, max: 2000, noNaN: true }), hostile),
        startMs: time,
        stopMs: time,
        targets: targets(n),
        stray: fc.nat({ max: 30 }),
      },
      { requiredKeys: ['kind', 'amplitude', 'rampMs', 'frequencyHz', 'phaseDeg', 'offset', 'widthMs', 'periodMs', 'count', 'mean', 'sigma', 'tauMs', 'rateHz', 'startMs', 'stopMs', 'targets', 'stray'] },
    )
    .map((s) => {
      // Mostly the fields a kind needs, sometimes stray ones.
      const needs: Record<string, string[]> = { dc: ['amplitude'], ramp: ['amplitude', 'rampMs'], sine: ['amplitude', 'frequencyHz'], pulses: ['amplitude', 'widthMs', 'periodMs'], ou: ['mean', 'sigma', 'tauMs'], poisson: ['rateHz', 'amplitude'] };
      const optional: Record<string, string[]> = { sine: ['phaseDeg', 'offset'], pulses: ['count'] };
      const keep = new Set(['kind', ...(needs[s.kind as string] ?? []), ...(optional[s.kind as string] ?? []), ...(s.stray % 3 === 0 ? ['startMs', 'stopMs', 'targets'] : [])]);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s)) if (k !== 'stray' && (keep.has(k) || s.stray === 0)) out[k] = v;
      if (out.kind !== undefined && needs[s.kind as string]?.every((k) => out[k] === undefined)) Object.assign(out, { amplitude: 1 });
      return out;
    });
}

function sceneFor(model: ModelId): fc.Arbitrary<{ scene: Record<string, unknown>; events: unknown }> {
  const definition = models[model];
  const neurons = fc.oneof({ weight: 40, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(0, -1, 1.5, 200_001, 2.5e6, 1e9, 2 ** 31, NaN, Infinity, '3', null) });
  // HH's explicit methods need a small step (stability.ts): mostly steps it takes, sometimes not.
  const goodDt = model === 'hh' ? fc.constantFrom(0.005, 0.01, 0.0125, 0.015, 0.025, 0.05) : fc.constantFrom(0.01, 0.0125, 0.025, 0.05, 0.1, 0.125, 0.25, 0.5, 1, 2);
  const dt = fc.oneof({ weight: 32, arbitrary: goodDt }, { weight: 2, arbitrary: fc.double({ min: 1e-4, max: 10, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(0, -0.1, 1e-5, 11, NaN, Infinity, '0.1') });
  const steps = fc.oneof({ weight: 40, arbitrary: fc.integer({ min: 1, max: 60 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1, 1.5, 1e12, 7.3) });
  const options = fc.record(Object.fromEntries(definition.choices.map((c) => [c.name, fc.oneof({ weight: 40, arbitrary: fc.constantFrom<unknown>(...c.choices) }, { weight: 1, arbitrary: fc.constantFrom<unknown>('bogus', 3, null) })])), { requiredKeys: [] });
  const probe = fc.record({ variable: fc.oneof({ weight: 40, arbitrary: fc.constantFrom(...probeNames(model)) }, { weight: 1, arbitrary: fc.constant('bogus') }), neuron: fc.oneof({ weight: 40, arbitrary: fc.integer({ min: 0, max: 1 }) }, { weight: 1, arbitrary: hostile }) });
  return fc
    .record(
      {
        neurons,
        dt,
        steps,
        params: paramsOf(definition.params),
        options: fc.oneof({ weight: 40, arbitrary: options }, { weight: 1, arbitrary: fc.constantFrom<unknown>({ bogus: 'x' }, 'euler', null) }),
        stimulus: fc.oneof({ weight: 40, arbitrary: fc.array(source(6), { maxLength: 3 }) }, { weight: 1, arbitrary: hostile }),
        connectivity: model === 'lif-network'
          ? fc.oneof(
              fc.record({ kind: fc.constant('ring'), weight: amplitude }, { requiredKeys: ['kind'] }),
              fc.record({ kind: fc.constant('random'), weightMax: amplitude }, { requiredKeys: ['kind'] }),
              fc.integer({ min: 1, max: 6 }).chain((n) => fc.record({ kind: fc.constant('matrix'), weights: fc.array(fc.array(amplitude, { minLength: n, maxLength: n }), { minLength: n, maxLength: n }) })),
              fc.constantFrom<unknown>({ kind: 'none' }, undefined, { kind: 'bogus' }, 'ring'),
            )
          : fc.oneof({ weight: 40, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom<unknown>({ kind: 'ring' }, { kind: 'none' }) }),
        seed: fc.oneof({ weight: 40, arbitrary: fc.integer({ min: 0, max: 2 ** 32 - 1 }) }, { weight: 1, arbitrary: hostile }),
        probes: fc.oneof({ weight: 10, arbitrary: fc.constant(undefined) }, { weight: 10, arbitrary: fc.array(probe, { maxLength: 4 }) }, { weight: 1, arbitrary: hostile }),
        sweep: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.record({ param: fc.constantFrom(...definition.params.map((p) => p.name), 'bogus'), values: fc.array(fc.oneof(fc.double({ min: 0, max: 10, noNaN: true }), hostile), { minLength: 1, maxLength: 3 }) }) }),
        extra: fc.oneof({ weight: 40, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant({ eval: 'alert(1)' }) }),
        events: fc.oneof(
          { weight: 4, arbitrary: fc.constant([]) },
          {
            weight: 2,
            arbitrary: fc.array(
              fc.oneof(
                fc.record({ kind: fc.constant('pulse'), step: fc.integer({ min: 0, max: 40 }), amplitude, durationMs: time }),
                fc.tuple(fc.integer({ min: 0, max: 40 }), fc.constantFrom(...definition.params)).chain(([step, spec]) => paramValue(spec).map((value) => ({ kind: 'set-param', step, name: spec.name, value }))),
                fc.record({ kind: fc.constantFrom('hold', 'release', 'restart'), step: fc.integer({ min: 0, max: 40 }), amplitude }),
                fc.record({ kind: fc.constant('set-stimulus'), step: fc.integer({ min: 0, max: 40 }), stimulus: fc.array(source(6), { maxLength: 2 }) }),
              ),
              { maxLength: 4 },
            ).map((events) => events.sort((a, b) => a.step - b.step)),
          },
          { weight: 1, arbitrary: fc.constantFrom<unknown>(null, {}, [{ kind: 'eval', step: 0 }], [{ kind: 'release', step: -1 }]) },
        ),
      },
      { requiredKeys: [] },
    )
    .map((r) => {
      const dtMs = r.dt;
      const durationMs = typeof dtMs === 'number' && typeof r.steps === 'number' ? r.steps * dtMs : r.steps;
      const scene: Record<string, unknown> = { model, neurons: r.neurons, params: r.params, options: r.options, stimulus: r.stimulus, dtMs, durationMs, seed: r.seed };
      if (r.connectivity !== undefined) scene.connectivity = r.connectivity;
      if (r.probes !== undefined) scene.probes = r.probes;
      if (r.sweep !== undefined) scene.sweep = r.sweep;
      if (r.extra !== undefined) scene.extra = r.extra;
      for (const key of Object.keys(scene)) if (scene[key] === undefined) delete scene[key];
      return { scene, events: r.events };
    });
}

type Outcome = 'ran' | 'refused' | 'crash' | 'nan';

/** What `run` does with a scene (and an events log), in-process. */
function runInProcess(input: { scene: Record<string, unknown>; events: unknown }): { outcome: Outcome; detail: string } {
  try {
    const scene = parseScene(input.scene, DEFAULT_LIMITS);
    const events = parseEventLog(input.events ?? [], { ...scene, limits: DEFAULT_LIMITS });
    const runs = runSweep(scene, { limits: DEFAULT_LIMITS, events });
    for (const { result } of runs) {
      for (const trace of result.traces) for (const x of trace) if (!Number.isFinite(x)) return { outcome: 'nan', detail: `a trace value ${x}` };
      for (const t of result.spikes.timeMs) if (!Number.isFinite(t)) return { outcome: 'nan', detail: `a spike time ${t}` };
    }
    return { outcome: 'ran', detail: '' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (exitCode(error) === 2 && message.length > 10 && !message.includes('\n')) return { outcome: 'refused', detail: message };
    return { outcome: 'crash', detail: `${(error as Error)?.name}: ${message}` };
  }
}

let cliRuns = 0;
/** The same scene through the CLI's own entry point (`main`), in-process: exit 0 with finite JSON, or exit 2 with one line. */
async function runThroughCli(input: { scene: Record<string, unknown> }): Promise<{ outcome: Outcome; detail: string }> {
  const file = join(dir, `scene-${cliRuns}.json`);
  const out = join(dir, `out-${cliRuns++}.json`);
  writeFileSync(file, JSON.stringify(input.scene));
  const { code, stderr } = await cliInProcess('run', file, '--out', out);
  if (code === 2 && stderr.split('\n').filter(Boolean).length === 1) return { outcome: 'refused', detail: stderr };
  if (code !== 0) return { outcome: 'crash', detail: `exit ${code}: ${stderr}` };
  let json: { traces?: Record<string, unknown[]>; runs?: { traces: Record<string, unknown[]> }[] };
  try {
    json = JSON.parse(readFileSync(out, 'utf8'));
  } catch (error) {
    return { outcome: 'nan', detail: `the output is not JSON (a NaN?): ${(error as Error).message}` };
  }
  for (const traces of json.runs ? json.runs.map((r) => r.traces) : [json.traces ?? {}]) {
    for (const values of Object.values(traces)) if (values.some((x) => typeof x !== 'number' || !Number.isFinite(x))) return { outcome: 'nan', detail: 'a non-finite trace value' };
  }
  return { outcome: 'ran', detail: '' };
}

describe('fuzzed scenes', () => {
  const figures: string[] = [];
  afterAll(() => {
    if (figures.length > 0) console.log(`fuzzed scenes per model (${cpus()[0]?.model}, load ${loadavg().map((x) => x.toFixed(2)).join(' ')}):\n${figures.join('\n')}`);
  });

  it.each(MODEL_IDS)('%s: ≥ 1000 scenes from the schema, each a valid run with finite output or a one-line refusal (exit 2); 0 crashes, 0 NaN', async (model) => {
    const counts: Record<Outcome, number> = { ran: 0, refused: 0, crash: 0, nan: 0 };
    let viaCli = 0;
    const problems: string[] = [];
    const reasons = new Map<string, number>();
    let index = 0;
    await fc.assert(
      fc.asyncProperty(sceneFor(model), async (input) => {
        const viaMain = index++ % 20 === 0;
        const { outcome, detail } = viaMain ? await runThroughCli(input) : runInProcess(input);
        if (viaMain) viaCli++;
        counts[outcome]++;
        if (process.env.FUZZ_REASONS && outcome === 'refused') {
          // Set FUZZ_REASONS=1 to see what the fuzzer's scenes are refused for (to keep a good share of valid ones).
          const reason = detail.replace(/^spikescope: /, '').replace(/\[\d+\]/g, '[]').slice(0, Number(process.env.FUZZ_REASONS) > 1 ? 90 : detail.indexOf(' = '));
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        }
        if (outcome === 'crash' || outcome === 'nan') problems.push(`${detail} ← ${JSON.stringify(input).slice(0, 400)}`);
        return outcome === 'ran' || outcome === 'refused';
      }),
      { numRuns: SCENES_PER_MODEL },
    );
    if (process.env.FUZZ_REASONS) console.log(model, [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 12));
    const total = counts.ran + counts.refused + counts.crash + counts.nan;
    figures.push(`  ${model}: ${total} scenes (${viaCli} through the CLI's main): ${counts.ran} ran with finite output, ${counts.refused} refused with exit 2, ${counts.crash} crashes, ${counts.nan} with NaN`);
    expect(problems).toEqual([]);
    expect(total).toBeGreaterThanOrEqual(SCENES_PER_MODEL);
    // The fuzzer is not all refusals: a good share of its scenes run.
    expect(counts.ran).toBeGreaterThan(SCENES_PER_MODEL / 10);
  }, 600_000);
});
