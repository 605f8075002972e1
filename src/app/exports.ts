/** The lab's exports: traces and spikes CSV, a replay's recording file and a PNG of the views, as data and as downloads. */
import { Rectangle, type Application } from 'pixi.js';
import type { ExportKind } from '../ui/intents.ts';
import { formatTime, type Notices } from '../ui/page.ts';
import { theme } from '../view/theme.ts';
import type { EngineClient } from '../engine/client.ts';
import { timestamp } from '../engine/host.ts';
import type { LiveRun } from '../engine/live-run.ts';
import type { ExportResult } from './page-controller.ts';

/** An export's file: its name, where its content comes from, the file, its text (a data URL for binary files), and the steps it covers. */
export interface ExportFile {
  name: string;
  source: ExportResult['source'];
  blob: Blob;
  text: string;
  steps: number;
}

/** What an export is made from: the run's session in the engine (its recording, replay, or what the views show); the PNG from the canvas. */
export interface ExportSources {
  engine: EngineClient;
  run: LiveRun | undefined;
  /** The scene's name in file names. */
  sceneName: string;
  pixi: Application;
  /** Draws the views now (before the PNG is taken). */
  render: () => void;
}

/**
 * The traces or spikes CSV of the recording in progress, the last recording stopped, or the
 * replay — else of what the views hold (kept by the engine worker) —, the recording of a replay
 * as a file, or a PNG of the views.
 */
export async function makeExport(what: ExportKind, from: ExportSources): Promise<ExportFile> {
  const stamp = timestamp();
  const sceneName = from.sceneName;
  if (what === 'png') {
    from.render();
    const { width, height } = from.pixi.screen;
    const dataUrl = await from.pixi.renderer.extract.base64({ target: from.pixi.stage, format: 'png', clearColor: theme.background, frame: new Rectangle(0, 0, width, height) });
    // Decoded here, not fetched: the page's Content-Security-Policy gives fetch no data: URLs.
    const blob = new Blob([bytesOfDataUrl(dataUrl)], { type: 'image/png' });
    return { name: `spikescope-${sceneName}-${stamp}.png`, source: 'view', blob, text: dataUrl, steps: 0 };
  }
  const run = from.run;
  const answer = run ? await from.engine.call(run.session, 'export', { what, sceneName }) : null;
  if (!answer) throw new Error(what === 'recording' ? 'there is no recording to download: record one (R) or open one' : 'nothing runs to export (open a scene)');
  const { file, source, steps } = answer;
  if (file.text !== undefined) return { name: file.name, source, blob: new Blob([file.text], { type: file.mime }), text: file.text, steps };
  const bytes = file.bytes as Uint8Array<ArrayBuffer>;
  return { name: file.name, source, blob: new Blob([bytes], { type: file.mime }), text: `data:${file.mime};base64,${base64(bytes)}`, steps };
}

/** Downloads an export and says in a notice what it holds (`viewMs`: the time the views hold, for an export of them). */
export function downloadExport(what: ExportKind, file: ExportFile, viewMs: number, notices: Notices): void {
  saveFile(file.name, file.blob);
  const from = file.source === 'view' ? `what the views hold (no recording or replay: the last ${formatTime(viewMs)})` : `the ${file.source}`;
  const which =
    what === 'png'
      ? 'a PNG of the views'
      : what === 'recording'
        ? 'the recording'
        : what === 'pynn'
          ? `a PyNN script of the ${file.source === 'scene' ? 'scene (parameters and stimulus in force, from t = 0)' : file.source}`
          : `the ${what} CSV of ${from}`;
  const run = what === 'pynn' ? ' — run it: python3 <file> --simulator neuron (or brian2; mpirun for MPI)' : '';
  notices.show('export', `Exported ${which}: ${file.name}${run}`, [], { tone: 'good', hideAfterMs: 10_000 });
}

/** Downloads `blob` as `name` (an a[download] link, clicked). */
export function saveFile(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function bytesOfDataUrl(dataUrl: string): Uint8Array<ArrayBuffer> {
  const binary = atob(dataUrl.slice(dataUrl.indexOf(',') + 1));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
