/**
 * The user's scenes on the page: the running scene with its live changes folded in (what "save",
 * a link and `currentScene()` give), a picked or dropped file told apart as a scene or a
 * recording, a weight matrix read from CSV or JSON, and a scene saved as a file. A scene file
 * goes through the CLI's checks (parseScene with the default limits, the file size bounded by
 * `inputFileBytes` before it is read), so the page and `npm run cli -- run FILE` accept the same
 * files with the same messages.
 */
import { DEFAULT_LIMITS, type Limits } from '../core/limits.ts';
import type { Scene } from '../core/scene.ts';
import { InputError } from '../core/schema.ts';
import type { Stimulus } from '../core/stimulus.ts';
import { RECORDING_FORMAT } from '../session/recording.ts';

/**
 * The running scene as a scene file holds it: the parameters in force, the stimulus in force
 * (a source set in the panel runs from t = 0), one run (a sweep's first value: what the page runs).
 */
export function sceneNow(scene: Scene, params: Readonly<Record<string, number>>, stimulus: Stimulus | undefined): Scene {
  const { sweep: _sweep, ...rest } = structuredClone(scene);
  return { ...rest, params: { ...scene.params, ...params }, stimulus: structuredClone(stimulus ?? scene.stimulus) };
}

/** What a picked or dropped file is: a scene (its parsed JSON) or a recording (left to the recording path, which reads gzip and bounds its sizes). */
export type DroppedFile = { kind: 'scene'; input: unknown } | { kind: 'recording' };

export async function readDroppedFile(file: Blob, name = 'file', limits: Limits = DEFAULT_LIMITS): Promise<DroppedFile> {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  if (head[0] === 0x1f && head[1] === 0x8b) return { kind: 'recording' };
  // Larger than any scene file: a recording, whose own path bounds it.
  if (file.size > limits.inputFileBytes) return { kind: 'recording' };
  const text = await file.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // A broken recording (its format comes first, as recorders write it) gets the recording's own message.
    if (/^\s*\{\s*"format"\s*:\s*"spikescope-recording"/.test(text.slice(0, 200))) return { kind: 'recording' };
    throw new InputError(name, `${file.size} bytes`, `a scene JSON or a recording (.json, .json.gz); it is not valid JSON (truncated or corrupted?): ${(error as Error).message}`);
  }
  if (typeof json === 'object' && json !== null && (json as { format?: unknown }).format === RECORDING_FORMAT) return { kind: 'recording' };
  return { kind: 'scene', input: json };
}

/**
 * A weight matrix from a file: CSV (one row per postsynaptic neuron, numbers separated by commas,
 * semicolons or spaces; `#` comments and blank lines skipped) or JSON (a list of rows, or an
 * object with `weights`). Only the shape is read here: parseScene checks sizes and values.
 */
export function parseMatrixText(text: string, name: string): number[][] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (error) {
      throw new InputError(name, `${text.length} characters`, `a JSON list of rows or a CSV of numbers: ${(error as Error).message}`);
    }
    const rows = Array.isArray(json) ? json : (json as { weights?: unknown }).weights;
    if (!Array.isArray(rows)) throw new InputError(name, json, 'a JSON list of rows (or { "weights": [...] })');
    return rows as number[][];
  }
  const rows: number[][] = [];
  for (const [index, line] of trimmed.split(/\r?\n/).entries()) {
    const content = line.replace(/#.*/, '').trim();
    if (content === '') continue;
    const row = content.split(/[,;\s]+/).map((cell) => (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cell) ? Number(cell) : Number.NaN));
    const bad = row.findIndex((x) => Number.isNaN(x));
    if (bad >= 0) throw new InputError(`${name} line ${index + 1}`, content.split(/[,;\s]+/)[bad], 'a number (a CSV of weights: one row per postsynaptic neuron)');
    rows.push(row);
  }
  return rows;
}

/** The scene as a file's text: JSON that `npm run cli -- run FILE` accepts. */
export function sceneFileText(scene: Scene): string {
  return `${JSON.stringify(scene, null, 2)}\n`;
}

/** `izhikevich/B` → `spikescope-scene-izhikevich-B.json`. */
export function sceneFileName(scene: Scene): string {
  return `spikescope-scene-${(scene.id ?? scene.model).replace(/[^A-Za-z0-9_.-]+/g, '-')}.json`;
}
