/**
 * The lab page's state and its reducer: what the user asked for (play, speed, loop, the target
 * neuron, the hand pulse, the stimulus form, the scope's mode and time base, …) held once, here.
 * `reduceLab(state, action)` is a pure function — no DOM, no engine, no clock — from the state and
 * an action (a user's intent, or an event of the run: a scene opened, a replay's end, a failure)
 * to the next state; the lab (src/app/lab.ts) runs it and hands the difference to its drivers: the
 * page's clock (`clockControls`), the engine run, the views and the panel. Nothing else holds
 * these values: the clock's play and speed follow this state, the engine run keeps none.
 *
 * An action the state cannot take (a neuron that does not exist, a hand pulse out of its range,
 * a stimulus form that fails its schema) throws InputError and leaves the state as it was. What
 * only the engine can check (a parameter change against the limits, an input for the network's
 * size) is checked at its boundary first; the lab reduces the intent only when it was accepted.
 */
import type { Scene } from '../core/scene.ts';
import type { DraftInfo } from '../engine/protocol.ts';
import { checkParam, InputError } from '../core/schema.ts';
import { clampSpeed, type ClockControl } from '../stream/realtime.ts';
import type { Intent, ScopeMode, StimulusForm } from '../ui/intents.ts';
import { loopsByDefault, presentation } from './catalog.ts';
import { checkStimulusForm, defaultStimulusForm, handSpecs } from './stimulus-form.ts';

/** Samples kept per scope channel: 2^18 (1 MB each). */
export const SCOPE_HISTORY = 1 << 18;
/** Divisions of the scope's screen: its window is ten times its time base. */
const DIVISIONS = 10;

export interface LabState {
  /** The scene the run started from (the catalogue's, the user's or a recording's) and its id; null before the first. */
  scene: Scene | null;
  sceneId: string;
  /** Whether the run plays (the page's clock follows this). */
  playing: boolean;
  /** × real time, 0.1 … 100. */
  speed: number;
  /** Whether the session starts its protocol again at its end (only with the scene's own, finite protocol). */
  loop: boolean;
  /** The user's loop choice (the checkbox): off stays off from scene to scene; on loops the scenes with a finite protocol. */
  loopWanted: boolean;
  /** The run stopped (a divergence, the worker died): it plays no more until a scene opens. */
  halted: boolean;
  /** The neuron hand pulses go to, shown on the scope. */
  target: number;
  hand: { amplitude: number; durationMs: number };
  stimulusForm: StimulusForm;
  scopeMode: ScopeMode;
  /** The scope's time base, ms per division (the raster and the plane show ten of them). */
  timePerDivMs: number;
  /** Recordings keep their traces (the panel's *keep traces*). */
  recordTraces: boolean;
  /** A recording was asked for and the engine has not yet said it started. */
  recordingStarting: boolean;
  /** A draft left by an earlier page, offered back (restore / discard), or null. */
  draft: DraftInfo | null;
  /** Parameter values the engine accepted and has not yet put in force (the panel shows them before the next frame). */
  requestedParams: Record<string, number>;
  /** Something was injected since the scene opened (the input lane shows from then on). */
  injected: boolean;
  lastError: string | null;
}

/** What happens to the run rather than what the user asks for. */
export type RunEvent =
  /** A scene opened (`reset`: the same scene again from t = 0, keeping the page's choices). */
  | { kind: 'opened'; scene: Scene; id: string; reset: boolean }
  /** A replay reached the recording's end. */
  | { kind: 'replay-ended' }
  /** The run stopped: a divergence, or the engine died. */
  | { kind: 'run-failed' }
  /** An error shown in the banner (status().lastError). */
  | { kind: 'error'; text: string }
  /** Recording asked for (on), and the engine's answer (off: it started, or failed). */
  | { kind: 'recording-starting'; on: boolean }
  /** The engine found a draft of an earlier page (or none), or the offer ended (restored, discarded). */
  | { kind: 'draft'; draft: DraftInfo | null };

export type LabAction = Intent | RunEvent;

export function initialLabState(): LabState {
  return {
    scene: null,
    sceneId: '',
    playing: true,
    speed: 1,
    loop: true,
    loopWanted: true,
    halted: false,
    target: 0,
    hand: { amplitude: 20, durationMs: 2 },
    stimulusForm: defaultStimulusForm(1),
    scopeMode: 'roll',
    timePerDivMs: 10,
    recordTraces: false,
    recordingStarting: false,
    draft: null,
    requestedParams: {},
    injected: false,
    lastError: null,
  };
}

/** The longest time base the scope's history holds for a step of `dtMs`. */
export function maxTimePerDivMs(dtMs: number): number {
  return (SCOPE_HISTORY * dtMs) / DIVISIONS;
}

/** The next state: pure (the state given is not changed); throws InputError for an action the state cannot take. */
export function reduceLab(state: LabState, action: LabAction): LabState {
  if (action.kind === 'opened') return opened(state, action.scene, action.id, action.reset);
  if (action.kind === 'error') return { ...state, lastError: action.text };
  if (action.kind === 'record-traces') return { ...state, recordTraces: action.on };
  if (action.kind === 'recording-starting') return { ...state, recordingStarting: action.on };
  if (action.kind === 'draft') return { ...state, draft: action.draft };
  const scene = state.scene;
  // Before the first scene opens, nothing runs to act on.
  if (!scene) return state;
  switch (action.kind) {
    case 'play':
      return { ...state, playing: !state.halted };
    case 'pause':
      return { ...state, playing: false };
    case 'toggle-play':
      return { ...state, playing: !state.playing && !state.halted };
    case 'speed':
      return { ...state, speed: clampSpeed(action.speed) };
    case 'loop':
      return { ...state, loop: action.on, loopWanted: action.on };
    case 'stimulus': {
      const form = checkStimulusForm(action.form, scene.model);
      // A source of the user's runs on: only the scene's own (finite) protocol loops.
      const loop = form.kind === 'protocol' && state.loopWanted && loopsByDefault(scene);
      return { ...state, stimulusForm: form, loop, injected: state.injected || form.kind !== 'protocol' };
    }
    case 'pulse':
    case 'hold':
      return state.injected ? state : { ...state, injected: true };
    case 'hand': {
      const specs = handSpecs(scene.model);
      return { ...state, hand: { amplitude: checkParam(specs.amplitude, action.amplitude, 'hand amplitude'), durationMs: checkParam(specs.durationMs, action.durationMs, 'pulse duration') } };
    }
    case 'pick': {
      const neuron = action.neuron;
      if (!Number.isInteger(neuron) || neuron < 0 || neuron >= scene.neurons) throw new InputError('neuron', neuron, `a neuron index from 0 to ${scene.neurons - 1}`);
      return { ...state, target: neuron };
    }
    case 'scope-mode':
      return { ...state, scopeMode: action.mode };
    case 'time-per-div':
      return { ...state, timePerDivMs: Math.min(action.ms, maxTimePerDivMs(scene.dtMs)) };
    case 'set-param':
      // Reduced once the engine's boundary accepted it (a number within the schema and the limits): the panel shows it until it is in force.
      return typeof action.value === 'number' ? { ...state, requestedParams: { ...state.requestedParams, [action.name]: action.value } } : state;
    case 'replay-ended':
      return state.playing ? { ...state, playing: false } : state;
    case 'run-failed':
      return { ...state, playing: false, halted: true };
    default:
      // Effects only (a scene to load, a recording, an export, the caption…): the state stays.
      return state;
  }
}

/**
 * A scene opens with its own presentation (speed, time base, hand pulse) and plays, on the
 * scene's loop (if the user wants loops); `reset` opens the same scene from t = 0 and keeps the
 * page's choices. Either way the stimulus goes back to the scene's protocol, the panel's
 * parameters to the scene's, and the target stays within the scene.
 */
function opened(state: LabState, scene: Scene, id: string, reset: boolean): LabState {
  let next: LabState = { ...state, scene, sceneId: id, halted: false, requestedParams: {}, injected: false, lastError: null };
  if (!reset) {
    const look = presentation(scene);
    next = { ...next, speed: look.speed, timePerDivMs: look.timePerDivMs, hand: { ...look.hand }, playing: true, scopeMode: 'roll', target: 0, loop: state.loopWanted && loopsByDefault(scene) };
  } else if (state.stimulusForm.kind !== 'protocol') {
    next = { ...next, loop: state.loopWanted && loopsByDefault(scene) }; // back to the scene's protocol
  }
  return {
    ...next,
    stimulusForm: defaultStimulusForm(next.hand.amplitude),
    target: Math.min(next.target, scene.neurons - 1),
    timePerDivMs: Math.min(next.timePerDivMs, maxTimePerDivMs(scene.dtMs)),
  };
}

/**
 * What the page's clock is told when the state goes from `prev` to `next` by `action`: play or
 * pause when that changed (and pause whenever asked: it also forgets single steps still owed),
 * the speed when it changed. The clock's play and speed are these controls' and nothing else's.
 */
export function clockControls(prev: LabState, next: LabState, action: LabAction): ClockControl[] {
  const controls: ClockControl[] = [];
  if (prev.playing !== next.playing || action.kind === 'pause') controls.push({ kind: next.playing ? 'play' : 'pause' });
  if (prev.speed !== next.speed) controls.push({ kind: 'speed', speed: next.speed });
  return controls;
}
