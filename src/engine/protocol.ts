/**
 * The messages between the page's main thread and the engine worker (src/engine/worker.ts),
 * which hosts one Session at a time.
 *
 * The main thread numbers the sessions it opens; every message names the session it is for, so
 * that frames of a session the page has left (a scene reloaded, a recording opened) are dropped
 * on arrival, and a message for a session the worker has left is ignored there. The worker
 * handles messages in order, so an input posted after an advance acts at the step that follows
 * that advance: the next step not yet computed.
 *
 * One frame message per advance, carrying typed arrays for every step of it (never one message
 * per step or per neuron). A frame's spikes stay in the worker: it bins them for the page's raster
 * and keeps them with the traces for the exports of what the views show; the page receives their
 * count, the spikes of the scope's trigger neuron, and the raster's new columns.
 */
import type { Input } from '../core/events.ts';
import type { ProbeRef, Scene } from '../core/scene.ts';
import type { Stimulus } from '../core/stimulus.ts';
import type { SessionFrame } from '../session/session.ts';
import type { Recording } from '../session/recording.ts';
import type { RasterUpdate, RasterView } from '../stream/raster-bins.ts';

/** A frame as the page receives it: a SessionFrame without its spike list, with what the page's views need of the spikes. */
export interface PageFrame extends Omit<SessionFrame, 'spikes'> {
  spikeCount: number;
  /** The spikes of the scope's trigger neuron (see the `view` request). */
  trigger: { step: Int32Array; neuron: Int32Array };
  /** The raster's columns changed by this frame, binned for the page's raster view; null without one. */
  raster: RasterUpdate | null;
}

/** An error as it crosses: the class name (InputError, DivergenceError, RecordingError…) and its message. */
export interface WireError {
  name: string;
  message: string;
}

/** A recording in progress, as the status line shows it. */
export interface RecordingInfo {
  steps: number;
  events: number;
  /** The recording took over a replay: it keeps the history before the fork. */
  forked: boolean;
  traces: boolean;
  /** The recording reached a limit a replay checks (what and where), so it holds no more; the page stops and offers it. Null while it grows. */
  full: string | null;
}

/** A replay just opened: what the replay panel shows. */
export interface ReplayInfo {
  scene: Scene;
  firstStep: number;
  endStep: number;
  identical: boolean;
  /** The digest the file holds, and the one the replay computed. */
  digest: string;
  actual: string;
  /** What differs, in words (or that the replay is bit-identical). */
  message: string;
  traces: boolean;
  forkedFrom: Recording['forkedFrom'] | null;
  events: number;
}

/** A draft found in IndexedDB at start-up (the recording in progress when the page went away). */
export interface DraftInfo {
  sceneId: string;
  title: string;
  steps: number;
  timeMs: number;
  events: number;
  traces: boolean;
  savedAt: number;
}

/** What a stopped recording holds, for the notice that offers it. */
export interface RecordingSummary {
  steps: number;
  timeMs: number;
  events: number;
}

/** A file ready to download. */
export interface FileOut {
  name: string;
  mime: string;
  /** Text files as text; binary (gzip) as bytes (copied, not transferred). */
  text?: string;
  bytes?: Uint8Array;
}

/**
 * Where a loaded recording comes from: a file's bytes (gzip or JSON, decoded and validated in the
 * worker), JSON text, or a share link's log (a recording's JSON without its output's values: the
 * worker rebuilds them by replay and keeps the link's digest, see share-link.ts).
 */
export type RecordingSource = { bytes: Uint8Array } | { text: string } | { log: string };

/** What a session is opened with. */
export interface OpenOptions {
  loop: boolean;
  /** Probes recorded after the scene's own (the target neuron of a network). */
  probes: ProbeRef[];
  /** When looping, the stimulus each new pass starts with (see Session.passStimulus). */
  passStimulus?: Stimulus;
}

/** Calls that answer (each with a `reply` message). */
export interface EngineCalls {
  'start-recording': { args: { traces: boolean }; result: RecordingInfo };
  /**
   * Stops the recording: its gzip file, what it holds, and (with `object`) the recording itself —
   * the page's own button leaves it in the worker, a script asks for it. Null when none was running.
   */
  'stop-recording': { args: { sceneName: string; object: boolean }; result: { recording: Recording | null; summary: RecordingSummary; file: FileOut } | null };
  'take-over': { args: Record<string, never>; result: RecordingInfo | null };
  /** Seeks the replay to `step` (clamped to the recording); answers with the step reached. */
  seek: { args: { step: number }; result: number };
  /**
   * Opens a recording in replay mode as session `next`, once decoded, validated and verified;
   * a bad file is an error answer and the running session goes on untouched.
   */
  replay: { args: { next: number; source: RecordingSource; options: OpenOptions }; result: ReplayInfo };
  'find-draft': { args: Record<string, never>; result: DraftInfo | null };
  /** Rebuilds the found draft's output by replay and opens it in replay mode as session `next`. */
  'restore-draft': { args: { next: number; options: OpenOptions }; result: ReplayInfo };
  'discard-draft': { args: Record<string, never>; result: null };
  /**
   * The traces or spikes CSV, the recording file or the PyNN script of the recording in progress,
   * the last one stopped or the replay; without any, the CSV of what the views show (the session's
   * last 2^17 steps: source 'view') or the PyNN script of the scene with the parameters and stimulus
   * in force (source 'scene'); null for a recording file when there is none.
   */
  export: { args: { what: 'traces' | 'spikes' | 'recording' | 'pynn'; sceneName: string }; result: { file: FileOut; source: 'recording' | 'replay' | 'view' | 'scene'; steps: number } | null };
}
export type CallName = keyof EngineCalls;
export type CallArgs<N extends CallName> = EngineCalls[N]['args'];
export type CallResult<N extends CallName> = EngineCalls[N]['result'];

/** Main thread → worker. */
export type EngineRequest =
  | { type: 'open'; session: number; scene: Scene; options: OpenOptions }
  | { type: 'advance'; session: number; steps: number }
  | { type: 'input'; session: number; input: Input }
  | { type: 'probes'; session: number; probes: ProbeRef[] }
  | { type: 'loop'; session: number; loop: boolean; passStimulus: Stimulus | null }
  /** What the page's views show: the raster's view (null: no raster) and the scope's trigger neuron. A raster view is answered at once with a `raster` message. */
  | { type: 'view'; session: number; raster: RasterView | null; trigger: number }
  | { [N in CallName]: { type: 'call'; id: number; session: number; name: N; args: CallArgs<N> } }[CallName];

/** Worker → main thread. */
export type EngineMessage =
  /** The answer to an advance; `frame` is null when the session was left meanwhile. `computeMs`: the worker's time for it. */
  | { type: 'frame'; session: number; frame: PageFrame | null; recording: RecordingInfo | null; computeMs: number }
  /** The raster binned again for a new view (between frames: a paused run redraws too). */
  | { type: 'raster'; session: number; update: RasterUpdate }
  /** The session stopped (a divergence): the views keep their last frame, the page says why. */
  | { type: 'failed'; session: number; error: WireError }
  /** An input or setting the session could not take (it goes on). */
  | { type: 'rejected'; session: number; error: WireError }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: WireError };

/** Anything that carries messages both ways: a Worker, or an in-thread stand-in (the gallery, tests). */
export interface EnginePort {
  postMessage(message: EngineRequest): void;
  onmessage: ((event: { data: EngineMessage }) => void) | null;
  terminate?(): void;
}

export function toWireError(error: unknown): WireError {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** An Error again on the main thread, with the worker's class name (the page tells InputError, DivergenceError… apart by name). */
export function fromWireError(error: WireError): Error {
  const e = new Error(error.message);
  e.name = error.name;
  return e;
}
