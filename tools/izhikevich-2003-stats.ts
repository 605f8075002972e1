/**
 * The statistics of src/core/spike-statistics.ts for Spikescope's Izhikevich (2003) network of
 * 1000 over seeds 1 … N, beside those of the paper's own program (tests/reference/
 * izhikevich-2003-paper.json, written by tools/izhikevich_2003_paper.py): the figures of
 * docs/izhikevich-2003.md.
 *
 *   npx tsx tools/izhikevich-2003-stats.ts                        the default: stepping 'euler', dt 0.5 ms
 *   npx tsx tools/izhikevich-2003-stats.ts --stepping paper       izhikevich-2003/paper (dt 1 ms)
 *   npx tsx tools/izhikevich-2003-stats.ts --dt 0.05              a finer step of the default stepping
 *   … --seeds 16 --duration 5000 --param weightExcitatory=0 --dc 10
 *
 * --param sets a model parameter, --dc adds a constant input to every neuron (mV/ms). For each
 * window of the reference it prints every statistic's mean, standard deviation (n − 1) and range
 * over the seeds, and, for the network as the paper has it (no --param or --dc), how many of the
 * reference's standard deviations the mean lies from the reference mean.
 */
import { cpus, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { parseScene } from '../src/core/scene.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { networkStatistics, spread, type NetworkStatistics, type Spread } from '../src/core/spike-statistics.ts';
import { runScene } from '../src/stream/run.ts';

type Key = keyof NetworkStatistics;
interface Reference {
  seeds: number[];
  durationMs: number;
  windows: { fromMs: number; toMs: number; summary: Record<Key, Spread> }[];
}

const KEYS: Key[] = ['rateHz', 'excitatoryHz', 'inhibitoryHz', 'isiCv', 'alphaHz', 'gammaHz'];
const reference = JSON.parse(readFileSync(new URL('../tests/reference/izhikevich-2003-paper.json', import.meta.url), 'utf8')) as Reference;

function options(argv: string[]) {
  const out = { stepping: 'euler', dt: NaN, seeds: reference.seeds.length, duration: reference.durationMs, params: {} as Record<string, number>, dc: 0 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i]!, argv[i + 1]];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--stepping') out.stepping = value;
    else if (flag === '--dt') out.dt = Number(value);
    else if (flag === '--seeds') out.seeds = Number(value);
    else if (flag === '--duration') out.duration = Number(value);
    else if (flag === '--dc') out.dc = Number(value);
    else if (flag === '--param') {
      const [name, number] = value.split('=');
      out.params[name!] = Number(number);
    } else throw new Error(`unknown flag ${flag}; known: --stepping, --dt, --seeds, --duration, --param name=value, --dc`);
  }
  if (Number.isNaN(out.dt)) out.dt = out.stepping === 'paper' ? 1 : 0.5;
  return out;
}

function main(): void {
  const o = options(process.argv.slice(2));
  const base = builtinScene('izhikevich-2003')!;
  const asPaper = Object.keys(o.params).length === 0 && o.dc === 0;
  console.log(
    `izhikevich-2003, 1000 neurons, stepping '${o.stepping}', dt ${o.dt} ms, seeds 1–${o.seeds}, ${o.duration} ms each` +
      `${Object.entries(o.params).map(([k, v]) => `, ${k} = ${v}`).join('')}${o.dc ? `, DC ${o.dc} mV/ms` : ''}`,
  );
  console.log(`${cpus()[0]?.model ?? 'unknown CPU'}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the start`);
  const windows = reference.windows.map((w) => ({ ...w, rows: [] as NetworkStatistics[] }));
  const start = performance.now();
  for (let seed = 1; seed <= o.seeds; seed++) {
    const scene = parseScene({
      ...base,
      dtMs: o.dt,
      durationMs: o.duration,
      seed,
      probes: [],
      options: { ...base.options, stepping: o.stepping },
      params: { ...base.params, ...o.params },
      stimulus: o.dc ? [{ kind: 'dc', amplitude: o.dc }] : [],
    });
    const result = runScene(scene);
    for (const w of windows) w.rows.push(networkStatistics(result.spikes, { neurons: 1000, excitatory: 800, dtMs: o.dt, fromMs: w.fromMs, toMs: w.toMs }));
  }
  const seconds = (performance.now() - start) / 1000;
  for (const w of windows) {
    console.log(`\nwindow ${w.fromMs}–${w.toMs} ms        mean ± sd [min – max]${asPaper ? '                    the paper’s program: mean ± sd   (mean − ref.)/ref. sd' : ''}`);
    for (const key of KEYS) {
      const s = spread(w.rows.map((r) => r[key]));
      const ref = w.summary[key];
      const digits = key === 'isiCv' ? 4 : key.endsWith('Hz') && !key.startsWith('alpha') && !key.startsWith('gamma') ? 3 : 2;
      const mine = `${s.mean.toFixed(digits)} ± ${s.sd.toFixed(digits)} [${s.min.toFixed(digits)} – ${s.max.toFixed(digits)}]`;
      const theirs = asPaper ? `${ref.mean.toFixed(digits)} ± ${ref.sd.toFixed(digits)}   ${((s.mean - ref.mean) / ref.sd).toFixed(1).padStart(6)}` : '';
      console.log(`  ${key.padEnd(13)} ${mine.padEnd(40)} ${theirs}`);
    }
  }
  console.log(`\n${seconds.toFixed(1)} s; load ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end`);
}

main();
