/**
 * Replay: a recording's scene and event log run again, bit for bit. `verifyRecording` proves
 * it (digest and spikes); the Replayer seeks by restoring periodic state snapshots instead of
 * re-running from the start, and lets the user take over at any step.
 */
import { Simulation, type Snapshot } from '../core/simulation.ts';
import { virtualClock } from '../stream/clock.ts';
import { simulate } from '../stream/simulate.ts';
import { Recorder } from './recorder.ts';
import { snapshotOf, type Recording } from './recording.ts';

/** A simulation positioned at the recording's first step with every recorded event scheduled. */
export function replaySimulation(recording: Recording): Simulation {
  const simulation = new Simulation(recording.scene);
  const start = snapshotOf(recording);
  if (start) simulation.restore(start);
  for (const event of recording.events) simulation.schedule(event);
  return simulation;
}

/** Runs a recording's log again and returns it with the output rebuilt (e.g. a draft saved during a session). */
export function rebuildRecording(log: Recording, traces: boolean): Recording {
  const simulation = replaySimulation(log);
  const recorder = Recorder.start(simulation, { traces });
  let done = 0;
  while (done < log.steps) {
    const n = Math.min(2000, log.steps - done);
    recorder.record(simulation.advance(n));
    done += n;
  }
  const rebuilt = recorder.finish(log.createdAt);
  if (log.forkedFrom) rebuilt.forkedFrom = log.forkedFrom;
  return rebuilt;
}

export interface Verification {
  identical: boolean;
  expected: string;
  actual: string;
  /** What differs, in words. */
  message: string;
  replayed: Recording;
}

/** Runs the recording again through the model operator and compares the output with what the file holds. */
export function verifyRecording(recording: Recording, onProgress?: (fraction: number) => void): Verification {
  const simulation = replaySimulation(recording);
  const recorder = Recorder.start(simulation, { traces: recording.output.traces !== undefined });
  let failure: unknown;
  virtualClock(recording.steps, 2000, recording.firstStep)
    .pipe(simulate(() => simulation))
    .subscribe({
      next: (frame) => {
        recorder.record(frame);
        onProgress?.((frame.firstStep + frame.steps - recording.firstStep) / recording.steps);
      },
      error: (error) => (failure = error),
    });
  if (failure !== undefined) throw failure;
  const replayed = recorder.finish(recording.createdAt);
  const expected = recording.output.digest;
  const actual = replayed.output.digest;
  const a = recording.output.spikes;
  const b = replayed.output.spikes;
  let message = 'the replay is bit-identical to the recording';
  if (a.step.length !== b.step.length) message = `the recording holds ${a.step.length} spikes, the replay made ${b.step.length}`;
  else {
    const i = a.step.findIndex((s, k) => s !== b.step[k] || a.neuron[k] !== b.neuron[k] || !Object.is(a.timeMs[k], b.timeMs[k]));
    if (i >= 0) message = `spike ${i} differs: recorded neuron ${a.neuron[i]} at ${a.timeMs[i]} ms, replayed neuron ${b.neuron[i]} at ${b.timeMs[i]} ms`;
    else if (expected !== actual) message = `the spikes agree but the output digest differs (recorded ${expected}, replayed ${actual})`;
  }
  return { identical: expected === actual && message.startsWith('the replay is'), expected, actual, message, replayed };
}

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
      this.simulation.advance(Math.min(nextMark, target) - this.simulation.step);
      if (this.simulation.step === nextMark && !this.snapshots.has(nextMark)) this.snapshots.set(nextMark, this.simulation.snapshot());
    }
  }

  /**
   * The user acts at the current step: recorded events from here on are dropped, and the
   * returned recorder keeps the history before the fork and records what follows.
   */
  takeOver(options: { traces?: boolean } = {}): Recorder {
    this.simulation.restore({ ...this.simulation.snapshot(), pending: [] });
    return Recorder.fork(this.recording, this.simulation.step, options);
  }
}
