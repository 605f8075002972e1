/**
 * What the user asks for, from any control: the lil-gui panel, the keyboard, the canvas or the
 * automation handle all emit these, and the app is the one place that acts on them.
 */
export type StimulusKind = 'protocol' | 'off' | 'dc' | 'pulses' | 'ramp' | 'sine';
export const STIMULUS_KINDS: readonly StimulusKind[] = ['protocol', 'off', 'dc', 'pulses', 'ramp', 'sine'];

/** The stimulus panel's fields; times are relative to the moment the stimulus is applied. */
export interface StimulusForm {
  kind: StimulusKind;
  amplitude: number;
  delayMs: number;
  /** Pulse width. */
  widthMs: number;
  /** Pulse period; for a ramp, the time it takes to rise by `amplitude`. */
  periodMs: number;
  frequencyHz: number;
  offset: number;
  /** In a network: drive every neuron, or only the target neuron. */
  drive: 'all' | 'target';
}

/**
 * A form as the panel sends it: each number as typed — a number, or the text when it is not a
 * plain number — for the app to check against its schema.
 */
export type Typed<T> = { [K in keyof T]: T[K] extends number ? number | string : T[K] };

export type ScopeMode = 'roll' | 'trigger';

export type Intent =
  | { kind: 'load-scene'; id: string }
  | { kind: 'open-gallery'; model?: string }
  | { kind: 'play' }
  | { kind: 'pause' }
  | { kind: 'toggle-play' }
  | { kind: 'step'; steps: number }
  | { kind: 'speed'; speed: number }
  | { kind: 'reset' }
  | { kind: 'loop'; on: boolean }
  /** A value as typed (checked against the model's schema by the app). */
  | { kind: 'set-param'; name: string; value: number | string }
  | { kind: 'stimulus'; form: Typed<StimulusForm> }
  | { kind: 'hand'; amplitude: number | string; durationMs: number | string }
  /** Opens or closes the scene's caption (toggles without `open`). */
  | { kind: 'caption'; open?: boolean }
  /** A hand pulse; unset fields take the panel's amplitude, duration and target. */
  | { kind: 'pulse'; amplitude?: number; durationMs?: number; neuron?: number }
  | { kind: 'hold'; amplitude?: number }
  | { kind: 'release' }
  | { kind: 'pick'; neuron: number }
  /** A click in the phase plane at (x, y) of the plane: the target neuron's state is set there (a recorded set-state event). */
  | { kind: 'plane-click'; x: number; y: number }
  | { kind: 'scope-mode'; mode: ScopeMode }
  | { kind: 'time-per-div'; ms: number }
  | { kind: 'lane'; key: string; lo?: number | string; hi?: number | string; auto?: boolean }
  | { kind: 'raster-full-view' }
  | { kind: 'shortcuts'; show?: boolean }
  /** Starts or stops recording (toggles without `on`); in a replay, starting takes over. */
  | { kind: 'record'; on?: boolean }
  | { kind: 'record-traces'; on: boolean }
  /** Shows the file picker for a recording. */
  | { kind: 'open-recording' }
  /** A recording to replay: a file's bytes (picker, drop), JSON text, or a recording object. */
  | { kind: 'load-recording'; source: Blob | string | object; name?: string }
  | { kind: 'seek'; step: number }
  | { kind: 'take-over' }
  | { kind: 'leave-replay' }
  | { kind: 'export'; what: ExportKind }
  | { kind: 'restore-draft' }
  | { kind: 'discard-draft' }
  /** Scenes of the user's (the scene builder, scene files, links): run this scene input from t = 0 (checked by parseScene). */
  | { kind: 'apply-scene'; scene: unknown }
  /** Fills the scene builder with the running scene, live changes folded in. */
  | { kind: 'edit-current-scene' }
  | { kind: 'save-scene' }
  /** Shows the file picker for a scene (or a recording). */
  | { kind: 'open-scene-file' }
  /** Copies a link to the running scene; with `events`, to the last recording (its log, replayed with its verdict). */
  | { kind: 'copy-link'; events: boolean };

/** What the page exports: traces CSV, spikes CSV, a PNG of the views, the recording (replay) as a file, or a PyNN script. */
export type ExportKind = 'traces' | 'spikes' | 'png' | 'recording' | 'pynn';
