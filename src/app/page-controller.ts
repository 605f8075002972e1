/** What the automation handle and main.ts need from a page (the lab or the gallery). */
import type { Scene } from '../core/scene.ts';
import type { Recording } from '../session/recording.ts';
import type { ExportKind, Intent } from '../ui/intents.ts';
import type { PhasePlaneStatus } from '../view/phase-plane-view.ts';
import type { DraftInfo } from '../engine/protocol.ts';

export interface PageStatus {
  sceneId: string;
  /** Simulated time of the current pass of the protocol, ms (back to 0 when it loops). */
  timeMs: number;
  /** Simulated time since the scene was loaded, over every pass, ms. */
  totalTimeMs: number;
  spikeCount: number;
  /** The Pixi renderer's name; 'webgl' when WebGL works. */
  renderer: string;
  realtimeFactor: number;
  fps: number;
  playing: boolean;
  lastError: string | null;
  params: Record<string, number>;
  /** The scene's time step, ms. */
  dtMs: number;
  /** The neuron hand pulses go to. */
  target: number;
  neurons: number;
  /** Live, or replaying a recording. */
  mode: 'live' | 'replay';
  /** The recording in progress: steps, events in its log, its simulated time; forked when it took over a replay. */
  recording: { steps: number; events: number; timeMs: number; forked: boolean; traces: boolean } | null;
  /** The replay: the recording's steps, the current step, and whether the replay proved bit-identical to its digest. */
  replay: { firstStep: number; endStep: number; step: number; identical: boolean; digest: string; message: string; sceneId: string } | null;
  /** A draft left by an earlier page, offered back (restore / discard), or null. */
  draft: DraftInfo | null;
  /** Threads that computed the engine's last step: more than 1 when a network is split across workers (cross-origin isolated pages only). */
  threads: number;
  /** The engine's hot loop runs in WebAssembly (the 2003 network where the browser has WebAssembly SIMD). */
  wasm: boolean;
  /** The picked neuron's phase plane (the lab; not the gallery): axes, input, fixed points, range, cost per frame. */
  phasePlane?: PhasePlaneStatus | null;
  /** The scene's caption: what you see, the protocol, two things to try ('' in the gallery). */
  caption: string;
  /** The run has left the model's meaningful range (a probed potential far outside its display range, rates above ~1 kHz per neuron): what, and how to get back. */
  warnings: string[];
}

/** A replay's verdict as the automation handle returns it. */
export interface ReplayResult {
  identical: boolean;
  message: string;
  digest: string;
}

/** An export as data: the file's name, where its content comes from, and its text (a data URL for the PNG). */
export interface ExportResult {
  name: string;
  source: 'recording' | 'replay' | 'view' | 'scene';
  mime: string;
  text: string;
}

/** Recording and replay, where the page has them (the lab; not the gallery). Failures are reported on the page and resolve to null. */
export interface SessionController {
  startRecording(options: { traces?: boolean }): Promise<void>;
  stopRecording(): Promise<Recording | null>;
  loadRecording(source: Blob | string | object): Promise<ReplayResult | null>;
  seek(step: number): Promise<void>;
  takeOver(): Promise<void>;
  exportData(what: ExportKind): Promise<ExportResult | null>;
}

/** The user's scenes, where the page has them (the lab). Failures are reported on the page. */
export interface SceneController {
  /** Runs a scene object (checked as the CLI checks a scene file); false when refused (reported). */
  loadScene(scene: unknown): boolean;
  /** The running scene, live parameter and stimulus changes folded in. */
  currentScene(): Scene;
  /** The URL that opens the running scene, or (`events`) the last recording's session. */
  shareLink(options: { events?: boolean }): Promise<string>;
}

export interface PageController {
  /** Acts on an intent; invalid input is reported on the page (lastError and the banner), never thrown. */
  handle(intent: Intent): void;
  status(): PageStatus;
  /** Shows an error in the banner and in status().lastError. */
  reportError(error: unknown): void;
  frameProfile(): { totalMs: number[]; simMs: number[]; viewMs: number[] };
  session?: SessionController;
  scenes?: SceneController;
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
