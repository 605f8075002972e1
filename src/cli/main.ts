#!/usr/bin/env node
/**
 * The headless command line; see usage(). Bad arguments, bad input files and runs refused by a
 * limit print one line and exit with code 2; `replay --verify` exits 1 when the replay is not
 * identical to the file; anything else that goes wrong exits 1.
 */
import { realpathSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEventLog, type InputEvent } from '../core/events.ts';
import { checkRunPlan, DEFAULT_LIMITS, LARGE_LIMITS, type Limits } from '../core/limits.ts';
import { parseScene, sceneFields, stepCount, type Scene } from '../core/scene.ts';
import { models } from '../core/models/index.ts';
import { builtinScene, builtinSceneIds } from '../core/scenes.ts';
import { Simulation } from '../core/simulation.ts';
import { defaultThreads, MAX_DEFAULT_THREADS, MIN_NEURONS_PER_THREAD, useThreads } from '../core/threads.ts';
import { runJson, spikesCsv, tracesCsv } from '../session/export.ts';
import { decodeRecording, encodeRecording } from '../session/file.ts';
import { Recorder } from '../session/recorder.ts';
import { RecordingError } from '../session/recording.ts';
import { recordRun, replaySimulation, verifyRecording } from '../session/replay.ts';
import { runSimulation, runSweep } from '../stream/run.ts';
import { isOn, numberFlag, parseArgs, PROGRAM, UsageError, wholeNumberFlag, type CommandSpec, type Options } from './args.ts';
import { checkWritable, readBounded, readTextBounded, writeChunks } from './files.ts';
import { runSweepInWorkers } from './parallel.ts';
import { availableCores, nodeThreadPool } from './threads.ts';

/** The usage text (export's line comes with its module, which is loaded only when needed: the exporter is large). */
const usage = async (): Promise<string> => `usage:
  ${PROGRAM} list
  ${PROGRAM} run <scene-id | scene.json> [--duration MS] [--dt MS] [--out FILE] [--format json|csv] [--workers N] [--threads N] [--allow-large]
  ${PROGRAM} record <scene-id | scene.json> [--events FILE] [--duration MS] [--dt MS] [--traces] [--threads N] [--allow-large] --out FILE[.gz]
  ${PROGRAM} replay FILE [--verify] [--out traces.csv | spikes.csv] [--threads N] [--allow-large]
  ${(await import('./export-command.ts')).EXPORT_USAGE}
Switches take --name, --name=true or --name=false. --allow-large raises the limits (README, "Limits").
--threads N: threads that share one network (izhikevich-2003); the output is the same for any N.
Default: one per core, at most ${MAX_DEFAULT_THREADS}, and at most one per ${MIN_NEURONS_PER_THREAD} neurons.`;

const COMMANDS: Record<string, CommandSpec> = {
  list: { values: [], switches: [] },
  run: { values: ['duration', 'dt', 'out', 'format', 'workers', 'threads'], switches: ['allow-large'] },
  record: { values: ['events', 'duration', 'dt', 'out', 'threads'], switches: ['traces', 'allow-large'] },
  replay: { values: ['out', 'threads'], switches: ['verify', 'allow-large'] },
};

/** Errors that come from what the user gave (arguments, files, scenes, a limit, a diverging model): exit code 2. */
const BAD_INPUT = new Set(['UsageError', 'InputError', 'RecordingError', 'DivergenceError']);

/** The exit code for an error: 2 for bad input (by class name, so that errors from worker threads count too), else 1. */
export function exitCode(error: unknown): 1 | 2 {
  return error instanceof Error && BAD_INPUT.has(error.name) ? 2 : 1;
}

function limitsOf(options: Options): Limits {
  return isOn(options, 'allow-large') ? LARGE_LIMITS : DEFAULT_LIMITS;
}

function loadScene(ref: string, limits: Limits): Scene {
  const builtin = builtinScene(ref);
  if (builtin) return builtin;
  if (!ref.endsWith('.json')) throw new UsageError(`unknown scene "${ref}": give a built-in id (see \`${PROGRAM} list\`) or a path to a .json file`);
  return parseScene(readJson(ref, 'scene file', limits), limits);
}

function readJson(path: string, what: string, limits: Limits): unknown {
  const text = readTextBounded(path, what, limits.inputFileBytes, 'inputFileBytes');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The scene with the command line's overrides, validated again as a whole (steps, work and traces included). */
function withOverrides(scene: Scene, options: Options, limits: Limits): Scene {
  const duration = numberFlag(options, 'duration', sceneFields.durationMs);
  const dt = numberFlag(options, 'dt', sceneFields.dtMs);
  return parseScene({ ...scene, ...(duration !== undefined && { durationMs: duration }), ...(dt !== undefined && { dtMs: dt }) }, limits);
}

/** The one positional argument a command takes. */
function single(options: Options, what: string): string {
  const [ref, extra] = options.positional;
  if (ref === undefined) throw new UsageError(what);
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  return ref;
}

/**
 * Runs `work` with the network of `scene` split across --threads N threads (default: defaultThreads),
 * and stops the threads after.
 */
async function withThreads<T>(options: Options, scene: Scene, work: () => T | Promise<T>): Promise<T> {
  const threads = wholeNumberFlag(options, 'threads', 1, 64, defaultThreads(scene.neurons, models[scene.model].threadPart !== undefined, availableCores()));
  const pool = threads > 1 ? nodeThreadPool(threads) : undefined;
  useThreads(pool);
  try {
    return await work();
  } finally {
    useThreads(undefined);
    await pool?.close();
  }
}

function progressBar(): ((fraction: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = -1;
  return (fraction) => {
    const percent = Math.floor(fraction * 100);
    if (percent === last) return;
    last = percent;
    const width = 30;
    const filled = Math.round((percent / 100) * width);
    process.stderr.write(`\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${percent}%`);
    if (percent === 100) process.stderr.write('\n');
  };
}

async function run(options: Options): Promise<void> {
  const ref = single(options, 'run needs a scene id or a scene .json path');
  const limits = limitsOf(options);
  const format = options.flags.get('format') ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new UsageError(`--format ${format} is not allowed: json or csv`);
  const final = withOverrides(loadScene(ref, limits), options, limits);
  // A run keeps every probe's trace, for every run of a sweep.
  checkRunPlan(final, { steps: stepCount(final), runs: final.sweep?.values.length ?? 1, probes: final.probes.length, field: 'durationMs', value: final.durationMs }, limits);
  const workers = wholeNumberFlag(options, 'workers', 1, 64, 1);
  if (format === 'csv' && final.sweep) throw new UsageError('--format csv takes a scene without a sweep; use json for sweeps');
  const out = options.flags.get('out');
  if (out !== undefined) checkWritable(out);
  const onProgress = progressBar();
  // A sweep's runs are independent: with --workers they run on Node worker threads.
  const runs = final.sweep && workers > 1 ? await runSweepInWorkers(final, workers, limits, onProgress) : await withThreads(options, final, () => runSweep(final, { limits, ...(onProgress && { onProgress }) }));
  writeChunks(out, format === 'csv' ? tracesCsv(runs[0]!.result) : withNewline(runJson(final, runs, final.sweep)));
}

function* withNewline(chunks: Iterable<string>): Generator<string> {
  yield* chunks;
  yield '\n';
}

async function record(options: Options): Promise<void> {
  const ref = single(options, 'record needs a scene id or a scene .json path');
  const limits = limitsOf(options);
  const out = options.flags.get('out');
  if (out === undefined) throw new UsageError('record needs --out FILE (FILE.gz to compress)');
  const scene = loadScene(ref, limits);
  if (scene.sweep) throw new UsageError('a recording holds one run: give a scene without a sweep');
  const final = withOverrides(scene, options, limits);
  let events: InputEvent[] = [];
  const eventsFile = options.flags.get('events');
  if (eventsFile !== undefined) events = parseEventLog(readJson(eventsFile, 'events file', limits), { ...final, limits });
  const traces = isOn(options, 'traces');
  checkRunPlan(final, { steps: stepCount(final), probes: traces ? final.probes.length : 0, field: 'durationMs', value: final.durationMs }, limits);
  checkWritable(out);
  const recording = await withThreads(options, final, () => {
    const simulation = new Simulation(final);
    const recorder = Recorder.start(simulation, { traces, limits });
    recordRun(simulation, recorder, stepCount(final), { events, onProgress: progressBar() });
    return recorder.finish();
  });
  const bytes = await encodeRecording(recording, out.endsWith('.gz'));
  // The recorder keeps the text within limits.textBytes; the file itself must be readable by replay too.
  if (bytes.length > limits.fileBytes) throw new RecordingError(`the recording would be ${bytes.length} bytes, more than replay reads (${limits.fileBytes}, limit "fileBytes"): record fewer steps, fewer probes or without --traces, or compress it (FILE.gz)`);
  writeChunks(out, [bytes]);
  const after = recording.events.filter((e) => e.step >= recording.firstStep + recording.steps).length;
  const kept = after > 0 ? ` (${after} at or after its last step, kept in the log)` : '';
  process.stderr.write(`recorded ${recording.steps} steps, ${recording.events.length} events${kept}, ${recording.output.spikes.step.length} spikes, digest ${recording.output.digest} → ${out}\n`);
}

/** Exit code of replay: 0 done (and identical), 1 not identical, 2 bad file or arguments. */
async function replay(options: Options): Promise<number> {
  const file = single(options, 'replay needs a recording file');
  const limits = limitsOf(options);
  const out = options.flags.get('out');
  const verify = isOn(options, 'verify');
  if (!verify && out === undefined) throw new UsageError('replay needs --verify and/or --out FILE');
  if (out !== undefined) checkWritable(out);
  const recording = await decodeRecording(readBounded(file, 'recording', limits.fileBytes, 'fileBytes'), limits);
  return withThreads(options, recording.scene, () => {
    let status = 0;
    if (verify) {
      const verification = verifyRecording(recording, progressBar(), limits);
      process.stdout.write(`${verification.identical ? 'identical' : 'NOT identical'}: ${verification.message} (digest ${verification.actual}, recorded ${verification.expected})\n`);
      status = verification.identical ? 0 : 1;
    }
    if (out !== undefined) {
      const result = runSimulation(replaySimulation(recording), recording.steps, { limits });
      writeChunks(out, /spike/i.test(basename(out)) ? spikesCsv(result) : tracesCsv(result));
    }
    return status;
  });
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // `help`, or --help / -h anywhere (`record --help` too): the usage, on stdout.
    if (command === undefined || command === 'help' || argv.some((arg) => arg === '--help' || arg === '-h')) {
      process.stdout.write((await usage()) + '\n');
      return command === undefined ? 2 : 0;
    }
    // export has its own module (src/cli/export-command.ts): its arguments, messages and exit codes.
    if (command === 'export') return await (await import('./export-command.ts')).exportCommand(rest);
    const spec = COMMANDS[command];
    if (!spec) throw new UsageError(`unknown command "${command}"; commands: ${[...Object.keys(COMMANDS), 'export'].join(', ')}`);
    const options = parseArgs(rest, command, spec);
    switch (command) {
      case 'list':
        if (options.positional.length > 0) throw new UsageError(`list takes no arguments`);
        process.stdout.write(builtinSceneIds.join('\n') + '\n');
        return 0;
      case 'run':
        await run(options);
        return 0;
      case 'record':
        await record(options);
        return 0;
      default:
        return await replay(options);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`spikescope: ${message.split('\n')[0]}\n`);
    return exitCode(error);
  }
}

// Run when started as a program (not when a test imports `main`); npm's bin link is a symlink to this file.
if (process.argv[1] !== undefined && realpathSync(resolve(process.argv[1])) === fileURLToPath(import.meta.url)) process.exitCode = await main(process.argv.slice(2));
