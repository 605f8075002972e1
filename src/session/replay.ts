/**
 * Replay: a recording's scene and event log run again, bit for bit. `verifyRecording` proves
 * it — the one verdict the CLI and the page give: the replay's output is compared with
 * everything the file holds, field by field, and the file's digest with its content; the
 * Replayer seeks by restoring periodic state snapshots instead of re-running from the start,
 * and lets the user take over at any step.
 */
import { from, tap } from 'rxjs';
import type { InputEvent } from '../core/events.ts';
import { DEFAULT_LIMITS, LimitError, type Limits } from '../core/limits.ts';
import { channelName } from '../core/scene.ts';
import { DivergenceError, Simulation, type Snapshot } from '../core/simulation.ts';
import { virtualClock } from '../stream/clock.ts';
import { simulate } from '../stream/simulate.ts';
import { canonicalJson } from './digest.ts';
import { Recorder, type RecorderOptions } from './recorder.ts';
import { snapshotOf, tracesOf, type Recording } from './recording.ts';

/**
 * A simulation positioned at the recording's first step with every recorded event scheduled.
 * The start state is checked against the fresh simulation's own (RecordingError when it does not fit).
 */
export function replaySimulation(recording: Recording): Simulation {
  const simulation = new Simulation(recording.scene);
  const start = snapshotOf(recording, simulation.snapshot());
  if (start) simulation.restore(start);
  for (const event of recording.events) simulation.schedule(event);
  return simulation;
}

/**
 * Runs `steps` steps of `simulation` from where it is through the model operator (the path the
 * page and `run` take), into `recorder`; `events` are scheduled as a log. Throws what stops the
 * run: a divergence, or a LimitError from the recorder.
 */
export function recordRun(simulation: Simulation, recorder: Recorder, steps: number, options: { events?: readonly InputEvent[]; onProgress?: ((fraction: number) => void) | undefined } = {}): void {
  const first = simulation.step;
  let failure: unknown;
  virtualClock(steps, 2000, first)
    .pipe(
      simulate(() => simulation, from(options.events ?? [])),
      // In the pipe, so that a refused frame ends the run through the error callback.
      tap((frame) => recorder.record(frame)),
    )
    .subscribe({
      next: (frame) => options.onProgress?.((frame.firstStep + frame.steps - first) / steps),
      error: (error) => (failure = error),
    });
  if (failure !== undefined) throw failure;
}

/** Runs `steps` steps of `simulation` through the model operator, keeping nothing of their frames (a seek). */
function runSteps(simulation: Simulation, steps: number): void {
  let failure: unknown;
  virtualClock(steps, Math.max(1, steps), simulation.step)
    .pipe(simulate(() => simulation))
    .subscribe({ error: (error) => (failure = error) });
  if (failure !== undefined) throw failure;
}

/** Runs a recording's log again and returns it with the output rebuilt (e.g. a draft saved during a session). */
export function rebuildRecording(log: Recording, traces: boolean, limits: Limits = DEFAULT_LIMITS): Recording {
  const simulation = replaySimulation(log);
  const recorder = Recorder.start(simulation, { traces, limits });
  recordRun(simulation, recorder, log.steps);
  return recorder.finish({ createdAt: log.createdAt, appVersion: log.appVersion, ...(log.forkedFrom && { forkedFrom: log.forkedFrom }) });
}

/**
 * The verdict of {@link verifyRecording}: whether the replay is bit-identical, both digests, what
 * differs in words, and the replayed recording.
 *
 * @example
 * ```ts
 * const verdict: Verification = verifyRecording(recording);
 * if (!verdict.identical) console.error(verdict.message);
 * ```
 */
export interface Verification {
  identical: boolean;
  /** The digest the file carries. */
  expected: string;
  /** The digest of the replay's output (with the file's scene, log and dates): equal to `expected` only for an untouched file. */
  actual: string;
  /** What differs, in words: the first difference, naming the field, the index or step, and both values. */
  message: string;
  /** The replay as a recording (the file's fields, the replay's output); undefined when the replay could not finish. */
  replayed: Recording | undefined;
}

/**
 * Runs the recording again through the model operator and compares the result with what the
 * file holds: start state, event log, spikes (step, neuron, time), trace channels (labels and
 * every Float64 bit), then the digest, which must match both. Identical only when all agree.
 * A bad start state throws a RecordingError; a replay that diverges or passes a limit is "not
 * identical" (the file claims an output the replay does not give).
 *
 * @example
 * ```ts
 * const { identical, message } = verifyRecording(await decodeRecording(bytes));
 * console.log(identical ? '✓' : '✗', message);
 * ```
 */
export function verifyRecording(recording: Recording, onProgress?: (fraction: number) => void, limits: Limits = DEFAULT_LIMITS): Verification {
  const expected = recording.output.digest;
  const simulation = replaySimulation(recording);
  const recorder = Recorder.start(simulation, { traces: recording.output.traces !== undefined, limits });
  let failure: unknown;
  try {
    recordRun(simulation, recorder, recording.steps, { onProgress });
  } catch (error) {
    failure = error;
  }
  if (failure !== undefined) {
    if (failure instanceof DivergenceError || failure instanceof LimitError) {
      return { identical: false, expected, actual: 'none', message: `the replay stopped at step ${simulation.step} of ${recording.firstStep}…${recording.firstStep + recording.steps - 1}: ${failure.message}`, replayed: undefined };
    }
    throw failure;
  }
  const replayed = recorder.finish({ createdAt: recording.createdAt, appVersion: recording.appVersion, version: recording.version, ...(recording.forkedFrom && { forkedFrom: recording.forkedFrom }) });
  const actual = replayed.output.digest;
  const difference =
    firstDifference(recording, replayed) ??
    (expected !== actual ? `the file's digest ${expected} does not match what it holds (${actual}): the file was changed after it was recorded` : undefined);
  return { identical: difference === undefined, expected, actual, message: difference ?? 'the replay is bit-identical to the recording', replayed };
}

/** The first field in which the file (`stored`) and the replay differ, in words; undefined when none does. */
export function firstDifference(stored: Recording, replayed: Recording): string | undefined {
  return startDifference(stored, replayed) ?? eventDifference(stored, replayed) ?? spikeDifference(stored, replayed) ?? traceDifference(stored, replayed);
}

function startDifference(stored: Recording, replayed: Recording): string | undefined {
  const a = stored.start;
  const b = replayed.start;
  if (!a || !b) return a === b ? undefined : `the start state: the file ${a ? 'has one' : 'has none'}, the replay ${b ? 'has one' : 'has none'}`;
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (key === 'kernel') {
      for (const name of new Set([...Object.keys(a.kernel), ...Object.keys(b.kernel)])) {
        const x = canonicalJson(a.kernel[name]);
        const y = canonicalJson(b.kernel[name]);
        if (x !== y) return `the start state's kernel field ${name} differs: the file holds ${clip(x)}, the replay restored ${clip(y)}`;
      }
      continue;
    }
    const x = canonicalJson((a as unknown as Record<string, unknown>)[key]);
    const y = canonicalJson((b as unknown as Record<string, unknown>)[key]);
    if (x !== y) return `the start state's ${key} differs: the file holds ${clip(x)}, the replay restored ${clip(y)}`;
  }
  return undefined;
}

function eventDifference(stored: Recording, replayed: Recording): string | undefined {
  const a = stored.events;
  const b = replayed.events;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] === undefined ? 'nothing' : canonicalJson(a[i]);
    const y = b[i] === undefined ? 'nothing' : canonicalJson(b[i]);
    if (x !== y) return `event ${i} differs: the file holds ${clip(x)}, the replay applied ${clip(y)}`;
  }
  return undefined;
}

function spikeDifference(stored: Recording, replayed: Recording): string | undefined {
  const a = stored.output.spikes;
  const b = replayed.output.spikes;
  const n = Math.min(a.step.length, b.step.length);
  for (let i = 0; i < n; i++) {
    if (a.step[i] !== b.step[i] || a.neuron[i] !== b.neuron[i] || !Object.is(a.timeMs[i], b.timeMs[i])) {
      return `spike ${i} differs: recorded neuron ${a.neuron[i]} at ${a.timeMs[i]} ms (step ${a.step[i]}), replayed neuron ${b.neuron[i]} at ${b.timeMs[i]} ms (step ${b.step[i]})`;
    }
  }
  if (a.step.length !== b.step.length) {
    const extra = a.step.length > b.step.length ? `the file's spike ${n} is neuron ${a.neuron[n]} at ${a.timeMs[n]} ms` : `the replay's spike ${n} is neuron ${b.neuron[n]} at ${b.timeMs[n]} ms`;
    return `the recording holds ${a.step.length} spikes, the replay made ${b.step.length}: ${extra}`;
  }
  return undefined;
}

function traceDifference(stored: Recording, replayed: Recording): string | undefined {
  const a = stored.output.traces;
  const b = replayed.output.traces;
  if (!a || !b) return a === b ? undefined : `the file ${a ? 'holds' : 'holds no'} traces, the replay ${b ? 'made' : 'made none'}`;
  if (a.probes.length !== b.probes.length) return `the file holds ${a.probes.length} trace channels, the replay made ${b.probes.length}`;
  const label = (p: { variable: string; neuron: number }): string => channelName(stored.scene, p);
  for (let c = 0; c < a.probes.length; c++) {
    if (label(a.probes[c]!) !== label(b.probes[c]!)) return `trace channel ${c} is labelled ${label(a.probes[c]!)} in the file, the replay's channel ${c} is ${label(b.probes[c]!)}`;
  }
  const x = tracesOf(stored)!;
  const y = tracesOf(replayed)!;
  for (let c = 0; c < x.length; c++) {
    const k = firstBitDifference(x[c]!, y[c]!);
    if (k >= 0) {
      const step = stored.firstStep + k;
      return `trace ${label(a.probes[c]!)} (channel ${c}) differs at step ${step} (t = ${(step + 1) * stored.scene.dtMs} ms): the file holds ${bits(x[c]![k]!)}, the replay gives ${bits(y[c]![k]!)}`;
    }
  }
  return undefined;
}

/** Index of the first value whose bits differ (−0 and 0, NaN payloads included), or −1. */
function firstBitDifference(a: Float64Array, b: Float64Array): number {
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length * 2);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return i >> 1;
  return a.length === b.length ? -1 : Math.min(a.length, b.length);
}

/** A value with its bit pattern, so that two that print alike still show how they differ. */
function bits(value: number | undefined): string {
  if (value === undefined) return 'nothing';
  const word = new DataView(new ArrayBuffer(8));
  word.setFloat64(0, value);
  const hex = word.getBigUint64(0).toString(16).padStart(16, '0');
  return `${Object.is(value, -0) ? '-0' : value} (0x${hex})`;
}

function clip(text: string): string {
  return text.length > 120 ? text.slice(0, 117) + '...' : text;
}

/**
 * A recording replayed with seek (through snapshots kept along the way) and take-over: the run
 * goes on live from the current step, recording a fork.
 *
 * @example
 * ```ts
 * const replayer = new Replayer(recording);
 * replayer.seek(2000);
 * const recorder = replayer.takeOver({ traces: true }); // live from step 2000
 * ```
 */
export class Replayer {
  readonly recording: Recording;
  readonly simulation: Simulation;
  /** Steps between kept snapshots. */
  readonly interval: number;
  private readonly snapshots = new Map<number, Snapshot>();

  constructor(recording: Recording, interval = Math.max(500, Math.ceil(recording.steps / 100))) {
    this.recording = recording;
    this.interval = interval;
    this.simulation = replaySimulation(recording);
    this.snapshots.set(recording.firstStep, this.simulation.snapshot());
  }

  get firstStep(): number {
    return this.recording.firstStep;
  }

  get endStep(): number {
    return this.recording.firstStep + this.recording.steps;
  }

  /**
   * Puts the simulation at `step` (clamped to the recording): from the nearest snapshot at or
   * before it, running the steps between and keeping a snapshot every `interval` steps.
   */
  seek(step: number): void {
    const target = Math.max(this.firstStep, Math.min(this.endStep, Math.floor(step)));
    let from = this.firstStep;
    for (const at of this.snapshots.keys()) if (at <= target && at > from) from = at;
    // Going on from where the simulation is beats restoring, when it is between the snapshot and the target.
    if (!(this.simulation.step >= from && this.simulation.step <= target)) this.simulation.restore(this.snapshots.get(from)!);
    while (this.simulation.step < target) {
      const nextMark = (Math.floor((this.simulation.step - this.firstStep) / this.interval) + 1) * this.interval + this.firstStep;
      runSteps(this.simulation, Math.min(nextMark, target) - this.simulation.step);
      if (this.simulation.step === nextMark && !this.snapshots.has(nextMark)) this.snapshots.set(nextMark, this.simulation.snapshot());
    }
  }

  /**
   * The user acts at the current step: recorded events from here on are dropped, and the
   * returned recorder keeps the history before the fork and records what follows.
   */
  takeOver(options: RecorderOptions = {}): Recorder {
    this.simulation.restore({ ...this.simulation.snapshot(), pending: [] });
    return Recorder.fork(this.recording, this.simulation.step, this.simulation, options);
  }
}
