/**
 * The headless command line; see USAGE. Bad arguments print one line and exit with code 2.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { from } from 'rxjs';
import { parseEventLog, type InputEvent } from '../core/events.ts';
import { parseScene, sceneFields, stepCount, type Scene } from '../core/scene.ts';
import { builtinScene, builtinSceneIds } from '../core/scenes.ts';
import { checkParam, InputError } from '../core/schema.ts';
import { Simulation } from '../core/simulation.ts';
import { runToJson, spikesToCsv, tracesToCsv } from '../session/export.ts';
import { decodeRecording, encodeRecording } from '../session/file.ts';
import { Recorder } from '../session/recorder.ts';
import { RecordingError } from '../session/recording.ts';
import { replaySimulation, verifyRecording } from '../session/replay.ts';
import { virtualClock } from '../stream/clock.ts';
import { runSimulation, runSweep } from '../stream/run.ts';
import { runSweepInWorkers } from './parallel.ts';
import { simulate } from '../stream/simulate.ts';

const USAGE = `usage:
  npm run cli -- list
  npm run cli -- run <scene-id | scene.json> [--duration MS] [--dt MS] [--out FILE] [--format json|csv] [--workers N]
  npm run cli -- record <scene-id | scene.json> [--events FILE] [--duration MS] [--traces] --out FILE[.gz]
  npm run cli -- replay FILE [--verify] [--out traces.csv | spikes.csv]`;

/** A mistake in the command line: reported in one line, exit code 2. */
class UsageError extends Error {}

interface Options {
  positional: string[];
  flags: Map<string, string>;
}

const FLAGS: Record<string, readonly string[]> = {
  list: [],
  run: ['duration', 'dt', 'out', 'format', 'workers'],
  record: ['events', 'duration', 'traces', 'out'],
  replay: ['verify', 'out'],
};
/** Flags that take no value. */
const SWITCHES = ['traces', 'verify'];

function parseArgs(argv: string[], command: string): Options {
  const allowed = FLAGS[command] ?? [];
  const positional: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (!allowed.includes(name)) throw new UsageError(`unknown option --${name} for ${command}; allowed: ${allowed.map((f) => '--' + f).join(' ') || 'none'}`);
    if (SWITCHES.includes(name)) {
      flags.set(name, 'yes');
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`option --${name} needs a value`);
    flags.set(name, value);
  }
  return { positional, flags };
}

function loadScene(ref: string): Scene {
  const builtin = builtinScene(ref);
  if (builtin) return builtin;
  if (!ref.endsWith('.json')) throw new UsageError(`unknown scene "${ref}": give a built-in id (see \`npm run cli -- list\`) or a path to a .json file`);
  let text: string;
  try {
    text = readFileSync(ref, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read scene file ${ref}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`scene file ${ref} is not valid JSON: ${(error as Error).message}`);
  }
  return parseScene(json);
}

function numberFlag(flags: Map<string, string>, name: string, spec: (typeof sceneFields)[keyof typeof sceneFields]): number | undefined {
  const text = flags.get(name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${name} ${JSON.stringify(text)} is not a number`);
  return checkParam(spec, value, `--${name}`);
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
  const [ref, extra] = options.positional;
  if (ref === undefined) throw new UsageError('run needs a scene id or a scene .json path');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  const format = options.flags.get('format') ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new UsageError(`--format ${format} is not allowed: json or csv`);
  const scene = loadScene(ref);
  const duration = numberFlag(options.flags, 'duration', sceneFields.durationMs);
  const dt = numberFlag(options.flags, 'dt', sceneFields.dtMs);
  // Re-validate with the overrides, so that the new step count is checked like any scene.
  const final = parseScene({ ...scene, ...(duration !== undefined && { durationMs: duration }), ...(dt !== undefined && { dtMs: dt }) });
  const workersText = options.flags.get('workers') ?? '1';
  const workers = Number(workersText);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError(`--workers ${workersText} is not allowed: a whole number from 1 to 64`);
  const onProgress = progressBar();
  // A sweep's runs are independent: with --workers they run on Node worker threads.
  const runs = final.sweep && workers > 1 ? await runSweepInWorkers(final, workers, onProgress) : runSweep(final, onProgress ? { onProgress } : {});
  let text: string;
  if (format === 'csv') {
    if (runs.length !== 1) throw new UsageError('--format csv takes a scene without a sweep; use json for sweeps');
    text = tracesToCsv(runs[0]!.result);
  } else if (final.sweep) {
    text = JSON.stringify({ scene: final, sweep: final.sweep, runs: runs.map(({ value, result }) => ({ value, ...runToJson(result) })) });
  } else {
    text = JSON.stringify({ scene: final, ...runToJson(runs[0]!.result) });
  }
  const out = options.flags.get('out');
  if (out !== undefined) writeFileSync(out, text + (text.endsWith('\n') ? '' : '\n'));
  else process.stdout.write(text + (text.endsWith('\n') ? '' : '\n'));
}

function readText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
}

function writeOut(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

async function record(options: Options): Promise<void> {
  const [ref, extra] = options.positional;
  if (ref === undefined) throw new UsageError('record needs a scene id or a scene .json path');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  const out = options.flags.get('out');
  if (out === undefined) throw new UsageError('record needs --out FILE (FILE.gz to compress)');
  const scene = loadScene(ref);
  if (scene.sweep) throw new UsageError('a recording holds one run: give a scene without a sweep');
  const duration = numberFlag(options.flags, 'duration', sceneFields.durationMs);
  const final = parseScene({ ...scene, ...(duration !== undefined && { durationMs: duration }) });
  let events: InputEvent[] = [];
  const eventsFile = options.flags.get('events');
  if (eventsFile !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(readText(eventsFile, 'events file'));
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`events file ${eventsFile} is not valid JSON: ${(error as Error).message}`);
    }
    events = parseEventLog(json, final.model, final.neurons);
  }
  const simulation = new Simulation(final);
  const recorder = Recorder.start(simulation, { traces: options.flags.has('traces') });
  const onProgress = progressBar();
  const steps = stepCount(final);
  let failure: unknown;
  virtualClock(steps, 1000)
    .pipe(simulate(() => simulation, from(events)))
    .subscribe({
      next: (frame) => {
        recorder.record(frame);
        onProgress?.((frame.firstStep + frame.steps) / steps);
      },
      error: (error) => (failure = error),
    });
  if (failure !== undefined) throw failure;
  const recording = recorder.finish();
  writeOut(out, await encodeRecording(recording, out.endsWith('.gz')));
  process.stderr.write(`recorded ${recording.steps} steps, ${recording.events.length} events, ${recording.output.spikes.step.length} spikes, digest ${recording.output.digest} → ${out}\n`);
}

/** Exit code of replay: 0 done (and identical), 1 not identical, 2 bad file or arguments. */
async function replay(options: Options): Promise<number> {
  const [file, extra] = options.positional;
  if (file === undefined) throw new UsageError('replay needs a recording file');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  const out = options.flags.get('out');
  if (!options.flags.has('verify') && out === undefined) throw new UsageError('replay needs --verify and/or --out FILE');
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read recording ${file}: ${(error as Error).message}`);
  }
  const recording = await decodeRecording(bytes);
  let status = 0;
  if (options.flags.has('verify')) {
    const verification = verifyRecording(recording, progressBar());
    process.stdout.write(`${verification.identical ? 'identical' : 'NOT identical'}: ${verification.message} (digest ${verification.actual}, recorded ${verification.expected})\n`);
    status = verification.identical ? 0 : 1;
  }
  if (out !== undefined) {
    const result = runSimulation(replaySimulation(recording), recording.steps);
    writeOut(out, /spike/i.test(basename(out)) ? spikesToCsv(result) : tracesToCsv(result));
  }
  return status;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help') {
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    if (!(command in FLAGS)) throw new UsageError(`unknown command "${command}"; commands: ${Object.keys(FLAGS).join(', ')}`);
    const options = parseArgs(rest, command);
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
    if (error instanceof UsageError || error instanceof InputError || error instanceof RecordingError) {
      process.stderr.write(`spikescope: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`spikescope: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
