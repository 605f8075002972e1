/**
 * Input events: everything a user does to a running simulation, stamped with the step at
 * which it takes effect. A run is a pure function of (scene, event log).
 *
 * Events stamped for the same step apply in log order, before that step is computed.
 */
import { models, type ModelId } from './models/index.ts';
import type { Limits } from './limits.ts';
import { settableState } from './neuron-state.ts';
import { checkParamValues, type Scene } from './scene.ts';
import { checkParam, findParam, InputError } from './schema.ts';
import { currentSpec, handFieldSpecs, parseStimulus, type Stimulus } from './stimulus.ts';

/** A rectangular current pulse of `durationMs` starting at the event's step. */
export interface PulseEvent {
  kind: 'pulse';
  step: number;
  amplitude: number;
  durationMs: number;
  targets?: number[];
}
/** Starts holding a current on (press of the inject button) until the next `release`. */
export interface HoldEvent {
  kind: 'hold';
  step: number;
  amplitude: number;
  targets?: number[];
}
/** Ends every held current. */
export interface ReleaseEvent {
  kind: 'release';
  step: number;
}
/** Changes a model parameter for every neuron. */
export interface SetParamEvent {
  kind: 'set-param';
  step: number;
  name: string;
  value: number;
}
/** Replaces the scene's stimulus protocol (hand pulses and holds are kept). Its times count from the run's start (or last restart). */
export interface SetStimulusEvent {
  kind: 'set-stimulus';
  step: number;
  stimulus: Stimulus;
}

/**
 * Starts the run over from its initial state, with the parameters and protocol in force (the
 * page's "loop protocol"). Step numbers keep growing; the protocol's clock restarts at 0.
 */
export interface RestartEvent {
  kind: 'restart';
  step: number;
}

/**
 * Sets state variables of one neuron (a click in the phase plane); the others keep their values.
 *
 * @example
 * ```ts
 * const click: SetStateEvent = { kind: 'set-state', step: 120, neuron: 0, state: { v: -60, u: -12 } };
 * ```
 */
export interface SetStateEvent {
  kind: 'set-state';
  step: number;
  neuron: number;
  state: Record<string, number>;
}

/**
 * An input stamped with the step where it acts (before that step is computed): a pulse, a hold, a
 * release, a parameter or stimulus change, a restart, a neuron's state set. A scene plus its event
 * log is the whole truth of a run.
 *
 * @example
 * ```ts
 * const log: InputEvent[] = [
 *   { kind: 'pulse', step: 40, amplitude: 30, durationMs: 2, targets: [0] },
 *   { kind: 'set-param', step: 200, name: 'd', value: 2 },
 * ];
 * ```
 */
export type InputEvent = PulseEvent | HoldEvent | ReleaseEvent | SetParamEvent | SetStimulusEvent | RestartEvent | SetStateEvent;
export const EVENT_KINDS = ['pulse', 'hold', 'release', 'set-param', 'set-stimulus', 'restart', 'set-state'] as const;

/**
 * An event not yet given a step: what a live input says before the clock stamps it.
 *
 * @example
 * ```ts
 * const hand$ = new Subject<Input>();
 * hand$.next({ kind: 'pulse', amplitude: 30, durationMs: 2 }); // acts at the next step not yet computed
 * ```
 */
export type Input = InputEvent extends infer E ? (E extends InputEvent ? Omit<E, 'step'> : never) : never;

const MAX_STEP = 0x7fffffff;

/**
 * Events the user made, as opposed to the loop's: a page that loops its protocol stamps a
 * restart at each pass end, with a set-stimulus at the same step when the user had set a
 * protocol of their own. Those are part of the log (a replay needs them) but are not counted
 * as the user's events.
 */
export function userEventCount(events: readonly InputEvent[]): number {
  const restarts = new Set<number>();
  for (const e of events) if (e.kind === 'restart') restarts.add(e.step);
  let count = 0;
  for (const e of events) if (e.kind !== 'restart' && !(e.kind === 'set-stimulus' && restarts.has(e.step))) count++;
  return count;
}

/** Validates one untrusted event (stamped with its step) for a scene's model and size. */
export function parseEvent(input: unknown, model: ModelId, neurons: number, field = 'event'): InputEvent {
  return parseAction(input, model, neurons, field, true) as InputEvent;
}

/**
 * Validates one live input (not yet stamped: it acts at the next step not yet computed) for a
 * scene's model and size, as {@link parseEvent} does an event. With `field` '' its fields are
 * named plainly, a parameter change's value by the parameter's name ("a = 50 is not allowed…").
 */
export function parseInput(input: unknown, model: ModelId, neurons: number, field = 'input'): Input {
  return parseAction(input, model, neurons, field, false) as Input;
}

/**
 * The one check of a live input, at the engine's boundary (LiveRun for the page, Session.input for
 * Node code): parseInput for the scene's model and size, with fields named as the page shows them
 * ("a = 50", "pulse.amplitude = …", "set-state.neuron = …"), and a parameter change against the
 * parameters it joins — `params`: those in force with those already sent — for a stable step and
 * synapses within the limits (checkParamValues). A bad input throws InputError.
 */
export function checkInput(input: unknown, scene: Pick<Scene, 'model' | 'neurons' | 'options' | 'dtMs' | 'connectivity'>, params: Readonly<Record<string, number>>, limits: Limits): Input {
  const kind = typeof input === 'object' && input !== null ? (input as { kind?: unknown }).kind : undefined;
  const checked = parseInput(input, scene.model, scene.neurons, kind === 'set-param' ? '' : typeof kind === 'string' ? kind : 'input');
  if (checked.kind === 'set-param') checkParamValues(scene, { ...params, [checked.name]: checked.value }, checked.name, checked.value, limits);
  return checked;
}

function parseAction(input: unknown, model: ModelId, neurons: number, field: string, stamped: boolean): InputEvent | Input {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new InputError(field || 'input', input, stamped ? 'an object with "kind" and "step"' : 'an object with "kind"');
  const raw = input as Record<string, unknown>;
  const sub = (name: string): string => (field ? `${field}.${name}` : name);
  // The step goes second, where the log has always had it.
  const at: { step?: number } = {};
  if (stamped) {
    const step = raw.step;
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 0 || step > MAX_STEP) throw new InputError(sub('step'), step, `a whole number from 0 to ${MAX_STEP}`);
    at.step = step;
  }
  // A pulse's and a hold's fields have the stimulus sources' bounds (handFieldSpecs), currents in the model's unit.
  const { inputUnit, inputTypical } = models[model];
  const amplitude = (): number => checkParam(currentSpec(handFieldSpecs.amplitude, inputUnit, inputTypical), raw.amplitude, sub('amplitude'));
  const targets = (): { targets?: number[] } => {
    const t = raw.targets;
    if (t === undefined) return {};
    if (!Array.isArray(t) || t.length === 0 || t.some((n) => !Number.isInteger(n) || n < 0 || n >= neurons)) {
      throw new InputError(sub('targets'), t, `a non-empty list of neuron indices from 0 to ${neurons - 1}`);
    }
    return { targets: [...new Set(t as number[])] };
  };
  switch (raw.kind) {
    case 'pulse': {
      const durationMs = checkParam(handFieldSpecs.durationMs, raw.durationMs, sub('durationMs'));
      return { kind: 'pulse', ...at, amplitude: amplitude(), durationMs, ...targets() };
    }
    case 'hold':
      return { kind: 'hold', ...at, amplitude: amplitude(), ...targets() };
    case 'release':
      return { kind: 'release', ...at };
    case 'restart':
      return { kind: 'restart', ...at };
    case 'set-param': {
      if (typeof raw.name !== 'string') throw new InputError(sub('name'), raw.name, `a parameter of ${model}`);
      const spec = findParam(models[model].params, raw.name, field ? sub('name') : raw.name);
      return { kind: 'set-param', ...at, name: raw.name, value: checkParam(spec, raw.value, field ? sub('value') : spec.name) };
    }
    case 'set-stimulus':
      return { kind: 'set-stimulus', ...at, stimulus: parseStimulus(raw.stimulus, neurons, sub('stimulus')) };
    case 'set-state':
      return { kind: 'set-state', ...at, neuron: neuronIndex(raw.neuron, neurons, sub('neuron')), state: parseState(raw.state, model, sub('state')) };
    default:
      throw new InputError(sub('kind'), raw.kind, `one of ${EVENT_KINDS.join(', ')}`);
  }
}

function neuronIndex(value: unknown, neurons: number, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= neurons) throw new InputError(field, value, `a neuron index from 0 to ${neurons - 1}`);
  return value;
}

/** State values checked against the model's settable state (names, bounds): at least one. */
function parseState(value: unknown, model: ModelId, field: string): Record<string, number> {
  const schema = settableState[model];
  const names = schema.map((s) => s.name).join(', ');
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0) {
    throw new InputError(field, value, `an object of state values, some of ${names}`);
  }
  const state: Record<string, number> = {};
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
    state[name] = checkParam(findParam(schema, name, `${field}.${name}`), v, `${field}.${name}`);
  }
  return state;
}

/** What an event log is checked against: the scene's model and size, and the state the log starts from. */
export interface EventLogContext extends Pick<Scene, 'model' | 'neurons' | 'dtMs' | 'options' | 'connectivity'> {
  /** The parameters in force before the first event (the scene's, or a start state's): set-param events must keep dt stable. */
  params: Readonly<Record<string, number>>;
  /** Events stamped before this step are refused (a recording's first step). */
  firstStep?: number;
  limits: Limits;
}

/**
 * Validates a whole event log: each event valid, steps never decreasing and not before
 * `firstStep`, and every parameter change keeping the integrator's step stable.
 *
 * @example
 * ```ts
 * const events = parseEventLog(JSON.parse(text), { ...scene, limits: DEFAULT_LIMITS });
 * const result = runScene(scene, { events });
 * ```
 */
export function parseEventLog(input: unknown, context: EventLogContext, field = 'events'): InputEvent[] {
  const { model, neurons, firstStep = 0 } = context;
  const maxEvents = context.limits.events;
  if (!Array.isArray(input)) throw new InputError(field, input, 'a list of events');
  if (input.length > maxEvents) throw new InputError(field, `${input.length} events`, `at most ${maxEvents} events (limit "events")`);
  const events = input.map((e, i) => parseEvent(e, model, neurons, `${field}[${i}]`));
  events.forEach((event, i) => {
    if (event.step < firstStep) throw new InputError(`${field}[${i}].step`, event.step, `a step at or after the recording's first step, ${firstStep}`);
    if (i > 0 && event.step < events[i - 1]!.step) throw new InputError(`${field}[${i}].step`, event.step, `a step ≥ the previous event's (${events[i - 1]!.step}); the log is in time order`);
  });
  checkParamChanges(events, context, field);
  return events;
}

/** Walks the set-param events in order from `context.params`: each new value must keep the run stable and within the limits (scene.ts, checkParamValues). */
export function checkParamChanges(events: readonly InputEvent[], context: Omit<EventLogContext, 'firstStep'>, field = 'events'): void {
  let params: Record<string, number> | undefined;
  events.forEach((event, i) => {
    if (event.kind !== 'set-param') return;
    params ??= { ...context.params };
    params[event.name] = event.value;
    checkParamValues(context, params, `${field}[${i}].value`, event.value, context.limits);
  });
}
