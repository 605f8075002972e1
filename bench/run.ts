/**
 * npm run bench [-- --json] [-- --case NAME] [-- --threads N] [-- --in-process] [-- --list]
 *
 * Prints, for each case, what it measured next to its target and a verdict. Each case runs in a
 * fresh Node process (so that its peak RSS is its own and no case warms up or fragments another's
 * heap), on an esbuild bundle of the sources. Not under tsx: tsx's module loader detaches an
 * ArrayBuffer, after which V8 checks every typed-array access for detachment, 15–25 % slower on
 * the kernels' loops; the page (bundled by Vite) never pays that. `--in-process` runs the cases
 * here, under tsx, to see the difference. With `--json`: one JSON object per line and nothing else
 * on stdout. `soak` runs only when asked for by name (it takes minutes). `--threads N` (default: the
 * cores, at least 2, at most 8): the threads of the cases that split a network — the 100k case runs
 * 1 and N alternately and prints the speed-up, the 1M case and Brian2's comparison run on N — and
 * the sweep workers of seed-ring-sweep, which runs its 20 runs on 1 thread and on N alternately.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CASES, findCase, runCase, targetText, type BenchCase, type BenchOptions, type Measurement } from './cases.ts';
import { coreScaling, coreScalingText } from './machine.ts';

const args = process.argv.slice(2);
const json = args.includes('--json');
const inProcess = args.includes('--in-process');
const out = (line: string): void => void process.stdout.write(line + '\n');
const info = (line: string): void => void (json ? process.stderr : process.stdout).write(line + '\n');

function threadsOption(): number {
  const at = args.findIndex((arg) => arg === '--threads' || arg.startsWith('--threads='));
  if (at < 0) return Math.max(2, Math.min(cpus().length, 8));
  const text = args[at]!.includes('=') ? args[at]!.split('=')[1]! : args[at + 1] ?? '';
  const threads = Number(text);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    process.stderr.write(`bench: --threads ${text} is not allowed: a whole number from 1 to 64\n`);
    process.exit(2);
  }
  return threads;
}
const options: BenchOptions = { threads: threadsOption() };

function selectedCases(): BenchCase[] {
  const names: string[] = [];
  args.forEach((arg, i) => {
    if (arg === '--case') names.push(args[i + 1] ?? '');
    else if (arg.startsWith('--case=')) names.push(arg.slice('--case='.length));
  });
  if (names.length === 0) return CASES.filter((c) => !c.optional);
  return names.map((name) => {
    const found = findCase(name);
    if (!found) {
      process.stderr.write(`bench: no case "${name}"; cases: ${CASES.map((c) => c.name).join(', ')}\n`);
      process.exit(2);
    }
    return found;
  });
}

async function bundleChild(): Promise<{ file: string; cleanup: () => void } | undefined> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch {
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'spikescope-bench-'));
  const here = dirname(fileURLToPath(import.meta.url));
  // The worker threads' entries beside the child's: src/cli/worker-entry.ts loads ./thread-worker.mjs and ./sweep-worker.mjs from a bundle.
  await esbuild.build({
    entryPoints: { child: join(here, 'child.ts'), 'thread-worker': join(here, '../src/cli/thread-worker.ts'), 'sweep-worker': join(here, '../src/cli/sweep-worker.ts') },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'warning',
  });
  return { file: join(dir, 'child.mjs'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a case in a fresh Node process; resolves to its measurement and the log lines it wrote. */
function runInChild(file: string, benchCase: BenchCase): Promise<{ measurement: Measurement; log: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', file, '--case', benchCase.name, '--threads', String(options.threads)], {
      env: { ...process.env, NODE_OPTIONS: '', SPIKESCOPE_ROOT: join(dirname(fileURLToPath(import.meta.url)), '..') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let pending = '';
    const log: string[] = [];
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('log: ')) log.push(line.slice(5));
        else if (line.startsWith('progress: ')) process.stderr.write(`  ${line.slice(10)}\n`);
        else if (line.trim() !== '') process.stderr.write(line + '\n');
      }
    });
    child.on('error', reject);
    child.on('close', (status, signal) => {
      const line = stdout.trim().split('\n').pop();
      if (status !== 0 || !line) reject(new Error(`case ${benchCase.name} failed (exit ${status}${signal ? `, ${signal}` : ''})`));
      else resolve({ measurement: JSON.parse(line) as Measurement, log });
    });
  });
}

const fmt = (x: number, digits = 3): string => (Math.abs(x) >= 1e6 ? x.toExponential(digits - 1).replace('e+', 'e') : x.toLocaleString('en-US', { maximumSignificantDigits: digits }));

function measuredText(m: Measurement): string {
  const extra = m.extra ?? {};
  if (typeof extra.medianJsMs === 'number') return `100k at 1×: ${fmt(m.realtimeFactor)}× real time, main-thread JS/frame median ${fmt(extra.medianJsMs)} ms`;
  if (typeof extra.overheadPct === 'number') return `operator ${fmt(Number(extra.operatorWallMs), 4)} ms vs bare loop ${fmt(Number(extra.bareWallMs), 4)} ms: ${extra.overheadPct >= 0 ? '+' : ''}${extra.overheadPct.toFixed(1)} %`;
  if (typeof extra.expRatio === 'number') return `exp ${fmt(Number(extra.expNs))} ns vs Math.exp ${fmt(Number(extra.mathExpNs))} ns per call (${fmt(extra.expRatio)}×)`;
  if (typeof extra.heapGrowthMB === 'number') return `heap ${extra.heapGrowthMB >= 0 ? '+' : ''}${extra.heapGrowthMB.toFixed(1)} MB (${Number(extra.heapAfterWarmUpMB).toFixed(1)} → ${Number(extra.heapAtEndMB).toFixed(1)} MB), ${fmt(m.realtimeFactor)}× real time`;
  if (typeof extra.neuronRun1S === 'number') {
    const rtf = (s: unknown): string => fmt(m.bioMs / 1000 / Number(s));
    return `Spikescope ${fmt(m.realtimeFactor)}×, NEURON np 1 ${rtf(extra.neuronRun1S)}×, np 2 ${rtf(extra.neuronRun2S)}× real time`;
  }
  const cpu = typeof extra.cpuMs === 'number' ? `, CPU ${fmt(extra.cpuMs, 4)} ms` : '';
  if (m.case === 'seed-ring-sweep') {
    const oneThread = `${fmt(m.wallMs, 3)} ms for ${extra.runs} runs on 1 thread (${fmt(m.realtimeFactor)}× real time${cpu})`;
    if (typeof extra.threadedWallMs !== 'number') return oneThread;
    return `${oneThread}; ${fmt(extra.threadedWallMs, 3)} ms on ${extra.threads} warm workers (${fmt(Number(extra.speedup))}×, ${extra.threadedEqual === 'yes' ? 'same bits' : 'NOT the same bits'})`;
  }
  if (typeof extra.speedup === 'number') return `${fmt(m.realtimeFactor)}× real time on ${extra.threads} threads (1 thread ${fmt(Number(extra.oneThreadRealtime))}×), speed-up ${fmt(extra.speedup)}×`;
  if (typeof extra.ratio === 'number') return `Spikescope ${fmt(m.realtimeFactor)}× vs Brian2 ${fmt(Number(extra.brian2Realtime))}× real time: ratio ${fmt(extra.ratio)}`;
  if (m.case === 'izh2003-sparse-1m') return `built ${fmt(Number(extra.buildMs) / 1000)} s (CPU ${fmt(Number(extra.buildCpuMs) / 1000)} s), ${fmt(m.realtimeFactor)}× real time, peak ${fmt(m.peakRssMB / 1024)} GB (${extra.threads} thr.)`;
  return `${fmt(m.realtimeFactor)}× real time (${fmt(m.wallMs, 4)} ms for ${fmt(m.bioMs)} ms${cpu})`;
}

function print(m: Measurement, benchCase: BenchCase, log: readonly string[]): void {
  if (json) {
    for (const line of log) process.stderr.write(line + '\n');
    out(JSON.stringify(m));
    return;
  }
  out(`${m.case.padEnd(22)} ${measuredText(m).padEnd(62)} target ${targetText(benchCase, options).padEnd(32)} ${m.met ? 'met' : 'NOT MET'}`);
  const details = [
    `${fmt(m.neurons)} neurons, ${fmt(m.synapses)} synapses`,
    `${fmt(m.neuronStepsPerSec)} neuron-steps/s`,
    `${fmt(m.synEventsPerSec)} syn events/s`,
    `${fmt(m.spikes)} spikes`,
    `peak RSS ${fmt(m.peakRssMB)} MB`,
  ];
  if (typeof m.extra?.buildMs === 'number') details.push(`network built in ${fmt(m.extra.buildMs)} ms`);
  if (m.neurons > 0) out(`${''.padEnd(22)} ${details.join(' · ')}`);
  for (const line of log) out(`${''.padEnd(22)} ${line.trim()}`);
}

async function main(): Promise<void> {
  if (args.includes('--list')) {
    for (const c of CASES) out(`${c.name.padEnd(22)} target ${targetText(c, options).padEnd(50)} takes ${c.takes}${c.optional ? ' (only with --case)' : ''}`);
    return;
  }
  const cases = selectedCases();
  const cpu = cpus();
  const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');
  const bundle = inProcess ? undefined : await bundleChild();
  info(`Spikescope bench — Node ${process.version}, ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}, load average ${load()} (1, 5, 15 min) at start; --threads ${options.threads}`);
  info(
    bundle
      ? 'each case in a fresh Node process on an esbuild bundle of the sources, through the simulate operator on a virtual clock, after a warm-up; best of three runs'
      : `each case in this process${inProcess ? '' : ' (esbuild not found, so under tsx: typed-array loops run 15–25 % slower)'}, through the simulate operator on a virtual clock, after a warm-up; best of three runs`,
  );
  // Only when a case runs on several threads: what the machine's cores give right now (bench/machine.ts).
  const threaded = options.threads > 1 && cases.some((c) => c.threaded);
  const scaling = async (when: string): Promise<void> => {
    if (threaded) info(`this machine ${when}: ${coreScalingText(options.threads, await coreScaling(options.threads))}`);
  };
  await scaling('at the start');
  let failed = 0;
  try {
    for (const benchCase of cases) {
      try {
        const log: string[] = [];
        const { measurement: m, log: lines } = bundle
          ? await runInChild(bundle.file, benchCase)
          : { measurement: await runCase(benchCase, (line) => log.push(line), (line) => process.stderr.write(`  ${line}\n`), options), log };
        print(m, benchCase, lines);
        if (!m.met) failed++;
      } catch (error) {
        failed++;
        process.stderr.write(`${benchCase.name}: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  } finally {
    bundle?.cleanup();
  }
  await scaling('at the end');
  info(`load average ${load()} at the end; ${failed === 0 ? 'every target met' : `${failed} target(s) not met`}`);
}

await main();
