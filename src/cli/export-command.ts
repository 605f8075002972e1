/**
 * `export <scene-id | scene.json | recording> --to pynn [--out FILE]`: a scene or a recording as a
 * PyNN script (src/export/pynn.ts). Exit codes: 0 written, 2 bad arguments or input, 3 refused
 * (the message says what the script could not express and why).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { DEFAULT_LIMITS } from '../core/limits.ts';
import { parseScene, type Scene } from '../core/scene.ts';
import { builtinScene } from '../core/scenes.ts';
import { InputError } from '../core/schema.ts';
import { exportPyNN, ExportRefusal } from '../export/pynn.ts';
import { decodeRecording } from '../session/file.ts';
import { RecordingError, type Recording } from '../session/recording.ts';
import { parseArgs, PROGRAM, UsageError } from './args.ts';
import { readBounded } from './files.ts';

export const EXPORT_USAGE = `${PROGRAM} export <scene-id | scene.json | recording.json[.gz]> --to pynn [--out FILE.py]`;

const TARGETS = ['pynn'];

export async function exportCommand(argv: string[]): Promise<number> {
  try {
    const { ref, to, out } = parseExportArgs(argv);
    if (!TARGETS.includes(to)) throw new UsageError(`--to ${to} is not known: ${TARGETS.join(', ')}`);
    const script = await exportPyNN(await readSource(ref));
    if (out === undefined) {
      process.stdout.write(script.text);
    } else {
      try {
        writeFileSync(out, script.text);
      } catch (error) {
        throw new UsageError(`cannot write ${out}: ${(error as Error).message}`);
      }
      process.stderr.write(`exported ${ref} → ${out} (${(script.text.length / 1e6).toFixed(2)} MB); run: python3 ${out} --simulator neuron|brian2\n`);
    }
    return 0;
  } catch (error) {
    if (error instanceof ExportRefusal) {
      process.stderr.write(`spikescope: cannot export ${argv[0] ?? 'it'} to PyNN: ${error.message}\n`);
      return 3;
    }
    if (error instanceof UsageError || error instanceof InputError || error instanceof RecordingError) {
      process.stderr.write(`spikescope: ${error.message}\nusage: ${EXPORT_USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

function parseExportArgs(argv: string[]): { ref: string; to: string; out: string | undefined } {
  const { positional, flags } = parseArgs(argv, 'export', { values: ['to', 'out'], switches: [] });
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'export needs a scene id, a scene .json or a recording' : `unexpected argument "${positional[1]}"`);
  const to = flags.get('to');
  if (to === undefined) throw new UsageError('export needs --to pynn');
  return { ref: positional[0]!, to, out: flags.get('out') };
}

/** A built-in scene, a scene file, or a recording file (JSON or gzip, told apart by their content). */
async function readSource(ref: string): Promise<Scene | Recording> {
  const builtin = builtinScene(ref);
  if (builtin) return builtin;
  // Bounded as every file the CLI reads (src/core/limits.ts): a recording's file size limit.
  if (!existsSync(ref)) throw new UsageError(`"${ref}" is neither a built-in scene (see \`${PROGRAM} list\`) nor a file`);
  const bytes = readBounded(ref, 'file', DEFAULT_LIMITS.fileBytes, 'fileBytes');
  const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b;
  if (!gzip) {
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch (error) {
      throw new UsageError(`${ref} is not valid JSON: ${(error as Error).message}`);
    }
    if ((json as { format?: unknown } | null)?.format !== 'spikescope-recording') return parseScene(json, DEFAULT_LIMITS);
  }
  return decodeRecording(bytes, DEFAULT_LIMITS);
}
