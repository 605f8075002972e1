/**
 * `window.spikescope`: a small, typed handle for tests and scripts to read the page's state and
 * act as a user would. Every action goes through the same intents as the panel and keyboard;
 * invalid arguments never throw into the caller's script: they set `status().lastError` and
 * show the error banner, and the run goes on.
 */
import type { Scene } from '../core/scene.ts';
import { InputError } from '../core/schema.ts';
import type { Recording } from '../session/recording.ts';
import type { ExportKind } from '../ui/intents.ts';
import type { ExportResult, PageController, PageStatus, ReplayResult, SessionController } from './page-controller.ts';

export type SpikescopeStatus = PageStatus;

export interface SpikescopeHandle {
  /** A snapshot of the page's state (read-only copy). */
  status(): SpikescopeStatus;
  /** One current pulse at the next step not yet computed (neuron: the target neuron by default). */
  pulse(options: { amplitude: number; durationMs: number; neuron?: number }): void;
  /** Starts injecting `amplitude` into the target neuron until `release()`. */
  hold(amplitude: number): void;
  release(): void;
  /** Changes a model parameter live; a value outside the schema's range is rejected with a message. */
  setParam(name: string, value: number): void;
  play(): void;
  pause(): void;
  /** Computes n steps (default 1) over the next frames, playing or paused. */
  step(n?: number): void;
  /** Speed in × real time, clamped to 0.1 … 100. */
  setSpeed(speed: number): void;
  /**
   * Opens a built-in scene by id, or runs a scene object (checked as the CLI checks a scene file:
   * parseScene with the default limits); a bad one sets lastError, shows the banner, and the
   * running scene goes on.
   */
  loadScene(scene: string | object): void;
  /** The running scene as a scene file holds it (live parameter and stimulus changes folded in): `npm run cli -- run` accepts it. Null in the gallery. */
  currentScene(): Scene | null;
  /**
   * The URL of a share link to the running scene; with `events`, to the recording in progress, the
   * last one stopped or the replay (opening it replays the session with its ✓ / ✗ verdict).
   * Null (and the banner) when there is nothing to share.
   */
  shareLink(options?: { events?: boolean }): Promise<string | null>;
  /** Makes neuron i the target of hand pulses and shows it on the oscilloscope. */
  pickNeuron(neuron: number): void;
  /**
   * Main-thread JS ms of recent frames, oldest first: reading the engine worker's frame message
   * (the simulation itself runs in the worker), the views and the render submission.
   */
  frameTimes(): number[];
  /** The same frames split into `simMs` (reading the engine's message, stats) and `viewMs` (push, draw, render). */
  frameProfile(): { totalMs: number[]; simMs: number[]; viewMs: number[] };
  /** Starts recording at the next step (`traces`: keep the probed traces too; default: the panel's "keep traces"). In a replay: takes over. */
  startRecording(options?: { traces?: boolean }): Promise<void>;
  /** Stops the recording and offers its file; resolves to the recording (the file's format, JSON-serialisable), or null when none ran. */
  stopRecording(): Promise<Recording | null>;
  /**
   * Replays a recording object or its JSON text (the same checks as a file: validated, then
   * replayed to verify its digest). A bad one sets lastError, shows the banner, leaves the running
   * session untouched and resolves to null.
   */
  loadRecording(recording: object | string): Promise<ReplayResult | null>;
  /** In a replay: puts it at `step` (the views show the moments before it); resolves when there. */
  seek(step: number): Promise<void>;
  /** Leaves the replay at the current step: live from there, recording a fork that keeps the history. */
  takeOver(): Promise<void>;
  /** An export as data: `traces` / `spikes` CSV text, `png` as a data URL, `recording` (of a replay) as a gzip data URL. */
  exportData(what: ExportKind): Promise<ExportResult | null>;
}

declare global {
  interface Window {
    spikescope?: SpikescopeHandle;
  }
}

export function createAutomation(page: PageController): SpikescopeHandle {
  const number = (field: string, value: unknown): number => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new InputError(field, value, 'a finite number');
    return value;
  };
  const guarded =
    <A extends unknown[]>(action: (...args: A) => void) =>
    (...args: A): void => {
      try {
        action(...args);
      } catch (error) {
        // Bad arguments are reported on the page like any other invalid input.
        page.reportError(error);
      }
    };
  return Object.freeze({
    status: () => structuredClone(page.status()),
    pulse: guarded((options: { amplitude: number; durationMs: number; neuron?: number }) => {
      if (typeof options !== 'object' || options === null) throw new InputError('pulse', options, 'an object { amplitude, durationMs, neuron? }');
      page.handle({
        kind: 'pulse',
        amplitude: number('pulse.amplitude', options.amplitude),
        durationMs: number('pulse.durationMs', options.durationMs),
        ...(options.neuron === undefined ? {} : { neuron: number('pulse.neuron', options.neuron) }),
      });
    }),
    hold: guarded((amplitude: number) => page.handle({ kind: 'hold', amplitude: number('amplitude', amplitude) })),
    release: guarded(() => page.handle({ kind: 'release' })),
    setParam: guarded((name: string, value: number) => {
      if (typeof name !== 'string') throw new InputError('name', name, 'a parameter name');
      page.handle({ kind: 'set-param', name, value });
    }),
    play: guarded(() => page.handle({ kind: 'play' })),
    pause: guarded(() => page.handle({ kind: 'pause' })),
    step: guarded((n: number = 1) => {
      const steps = number('steps', n);
      if (!Number.isInteger(steps) || steps < 1 || steps > 1e7) throw new InputError('steps', n, 'a whole number from 1 to 10000000');
      page.handle({ kind: 'step', steps });
    }),
    setSpeed: guarded((speed: number) => page.handle({ kind: 'speed', speed: number('speed', speed) })),
    loadScene: guarded((scene: string | object) => {
      if (typeof scene === 'string') page.handle({ kind: 'load-scene', id: scene });
      else if (typeof scene === 'object' && scene !== null && page.scenes) page.scenes.loadScene(structuredClone(scene));
      else throw new InputError('scene', scene, page.scenes ? 'a scene id or a scene object' : 'a scene id (scene objects open in the lab, not the gallery)');
    }),
    currentScene: () => (page.scenes ? structuredClone(page.scenes.currentScene()) : null),
    shareLink: async (options: { events?: boolean } = {}) => {
      try {
        if (!page.scenes) throw new InputError('shareLink', 'gallery', 'the lab (open a scene)');
        if (typeof options !== 'object' || options === null || (options.events !== undefined && typeof options.events !== 'boolean')) throw new InputError('options', options, 'an object { events?: true or false }');
        return await page.scenes.shareLink(options);
      } catch (error) {
        page.reportError(error);
        return null;
      }
    },
    pickNeuron: guarded((neuron: number) => page.handle({ kind: 'pick', neuron: number('neuron', neuron) })),
    frameTimes: () => page.frameProfile().totalMs,
    frameProfile: () => page.frameProfile(),
    startRecording: (options: { traces?: boolean } = {}) =>
      sessionCall(page, (session) => {
        if (typeof options !== 'object' || options === null) throw new InputError('options', options, 'an object { traces? }');
        if (options.traces !== undefined && typeof options.traces !== 'boolean') throw new InputError('traces', options.traces, 'true or false');
        return session.startRecording(options);
      }).then(() => undefined),
    stopRecording: () => sessionCall(page, (session) => session.stopRecording()),
    loadRecording: (recording: object | string) =>
      sessionCall(page, (session) => {
        if ((typeof recording !== 'object' || recording === null) && typeof recording !== 'string') throw new InputError('recording', recording, 'a recording object or its JSON text');
        return session.loadRecording(recording);
      }),
    seek: (step: number) => sessionCall(page, (session) => session.seek(number('step', step))).then(() => undefined),
    takeOver: () => sessionCall(page, (session) => session.takeOver()).then(() => undefined),
    exportData: (what: ExportKind) =>
      sessionCall(page, (session) => {
        if (!['traces', 'spikes', 'png', 'recording', 'pynn'].includes(what)) throw new InputError('what', what, 'traces, spikes, png, recording or pynn');
        return session.exportData(what);
      }),
  });
}

/** Runs a recording/replay call; where the page has none (the gallery) or the arguments are bad, reports it and resolves to null. */
async function sessionCall<T>(page: PageController, call: (session: SessionController) => Promise<T>): Promise<T | null> {
  try {
    if (!page.session) throw new InputError('action', 'recording', 'available in the lab (open a scene), not in the gallery');
    return await call(page.session);
  } catch (error) {
    page.reportError(error);
    return null;
  }
}
