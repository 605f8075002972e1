/**
 * The headless command line. Usage:
 *   npm run cli -- list
 *   npm run cli -- run <scene-id | scene.json> [--duration MS] [--dt MS] [--out FILE] [--format json|csv]
 * Bad arguments print one line and exit with code 2.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseScene, sceneFields, type Scene } from '../core/scene.ts';
import { builtinScene, builtinSceneIds } from '../core/scenes.ts';
import { checkParam, InputError } from '../core/schema.ts';
import { runToJson, tracesToCsv } from '../session/export.ts';
import { runSweep } from '../stream/run.ts';

const USAGE = `usage:
  npm run cli -- list
  npm run cli -- run <scene-id | scene.json> [--duration MS] [--dt MS] [--out FILE] [--format json|csv]`;

/** A mistake in the command line: reported in one line, exit code 2. */
class UsageError extends Error {}

interface Options {
  positional: string[];
  flags: Map<string, string>;
}

const FLAGS: Record<string, readonly string[]> = {
  list: [],
  run: ['duration', 'dt', 'out', 'format'],
};

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

function run(options: Options): void {
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
  const onProgress = progressBar();
  const runs = runSweep(final, onProgress ? { onProgress } : {});
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

export function main(argv: string[]): number {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help') {
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    }
    if (!(command in FLAGS)) throw new UsageError(`unknown command "${command}"; commands: ${Object.keys(FLAGS).join(', ')}`);
    const options = parseArgs(rest, command);
    if (command === 'list') {
      if (options.positional.length > 0) throw new UsageError(`list takes no arguments`);
      process.stdout.write(builtinSceneIds.join('\n') + '\n');
    } else {
      run(options);
    }
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof InputError) {
      process.stderr.write(`spikescope: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`spikescope: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
