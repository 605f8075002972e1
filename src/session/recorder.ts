/**
 * The recorder: a sink for frames that keeps the event log, the spikes, optionally the
 * traces of the scene's probes, and the output digest, and turns them into a Recording.
 * Storage grows in chunks; nothing is copied per step.
 *
 * It records only what a replay accepts: a frame that would take the recording past a limit
 * (steps, work, spikes, events, or a file text larger than limits.textBytes, estimated from
 * above as it goes) is refused with a LimitError before anything of it is kept, so the
 * recording so far stays whole and replayable.
 */
import { userEventCount, type InputEvent } from '../core/events.ts';
import { checkLimit, DEFAULT_LIMITS, workPerStep, type Limits } from '../core/limits.ts';
import type { Scene } from '../core/scene.ts';
import type { Frame, Simulation } from '../core/simulation.ts';
import { contentText, OutputDigest } from './digest.ts';
import { APP_VERSION, RECORDING_FORMAT, RECORDING_VERSION, snapshotToJson, toBase64, tracesOf, type Recording, type SnapshotJson } from './recording.ts';

export interface RecorderOptions {
  /** Keep the probed traces too (spikes are always kept). */
  traces?: boolean;
  /** The limits a replay will check (default: the defaults). */
  limits?: Limits;
}

/** Upper bounds of the JSON text of a spike (step, neuron and time, with separators) and of a trace value (base64 of 8 bytes). */
const SPIKE_TEXT_BYTES = 44;
const TRACE_VALUE_TEXT_BYTES = 32 / 3;
/** Room for the fields around the lists (format, versions, dates, digest, fork, keys). */
const FRAME_TEXT_BYTES = 1024;

/** Growable list of numbers in typed-array chunks. */
class NumberLog {
  private chunks: Float64Array[] = [];
  private current = new Float64Array(4096);
  private used = 0;
  length = 0;

  push(value: number): void {
    if (this.used === this.current.length) {
      this.chunks.push(this.current);
      this.current = new Float64Array(this.current.length * 2);
      this.used = 0;
    }
    this.current[this.used++] = value;
    this.length++;
  }

  pushAll(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) this.push(values[i]!);
  }

  toFloat64Array(): Float64Array {
    const out = new Float64Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    out.set(this.current.subarray(0, this.used), at);
    return out;
  }

  toArray(): number[] {
    return Array.from(this.toFloat64Array());
  }
}

/** The digest field of a draft, whose output is yet to be rebuilt. */
export const EMPTY_DIGEST = '00000000000000';

/** Where a recording begins: its scene, first step, start state and the events already due. */
interface Origin {
  scene: Scene;
  firstStep: number;
  start: SnapshotJson | undefined;
  /** Events scheduled before recording began, logged once. */
  pending: InputEvent[];
  /** The simulation recorded: events it still holds when the recording ends are kept in the log. */
  simulation?: Simulation;
}

/** What `finish` may set besides the date: a replay rebuilds a file with the file's own fields. */
export interface FinishOptions {
  createdAt?: string;
  appVersion?: string;
  /** The format version (a replay of a version 1 file rebuilds it as version 1, with that version's digest). */
  version?: Recording['version'];
  forkedFrom?: Recording['forkedFrom'];
}

/**
 * Records a run as it goes: its scene, its start state, the events applied and the output (spikes,
 * optional traces, a digest of every output bit); `finish()` gives the {@link Recording}.
 *
 * @example
 * ```ts
 * const simulation = new Simulation(builtinScene('izhikevich/B')!);
 * const recorder = Recorder.start(simulation, { traces: true });
 * virtualClock(801, 40).pipe(simulate(() => simulation, hand$)).subscribe((frame) => recorder.record(frame));
 * const bytes = await encodeRecording(recorder.finish());
 * ```
 */
export class Recorder {
  readonly firstStep: number;
  private steps = 0;
  private readonly scene: Scene;
  private readonly start: SnapshotJson | undefined;
  private readonly events: InputEvent[] = [];
  /** Events already in the log when recording began: frames will report them again. */
  private readonly known = new Set<InputEvent>();
  private readonly spikeStep = new NumberLog();
  private readonly spikeNeuron = new NumberLog();
  private readonly spikeTime = new NumberLog();
  private readonly traces: NumberLog[] | undefined;
  private readonly digest: OutputDigest;
  private forkedFrom: Recording['forkedFrom'];
  private readonly simulation: Simulation | undefined;
  private readonly limits: Limits;
  private readonly workPerStep: number;
  /** An upper bound of the file's JSON text so far. */
  private textBytes: number;
  /** A frame was refused: the recording ends where it stands (events after it are not its own). */
  private full = false;

  private constructor(origin: Origin, options: RecorderOptions) {
    this.scene = origin.scene;
    this.firstStep = origin.firstStep;
    this.start = origin.start;
    this.simulation = origin.simulation;
    this.limits = options.limits ?? DEFAULT_LIMITS;
    this.workPerStep = workPerStep(origin.scene);
    for (const event of origin.pending) {
      this.events.push(event);
      this.known.add(event);
    }
    this.traces = options.traces ? origin.scene.probes.map(() => new NumberLog()) : undefined;
    this.digest = new OutputDigest(this.traces?.length ?? 0);
    // The scene, the start state, the events already due and, with traces, the probes' labels and the values' quotes.
    const labels = this.traces ? JSON.stringify(origin.scene.probes).length + 3 * this.traces.length : 0;
    this.textBytes = FRAME_TEXT_BYTES + JSON.stringify(origin.scene).length + (origin.start ? JSON.stringify(origin.start).length : 0) + eventsText(origin.pending) + labels;
    checkLimit(this.limits, 'events', this.events.length, 'events due when recording starts', this.events.length);
    checkLimit(this.limits, 'textBytes', this.textBytes, 'recording file size', `~${this.textBytes} bytes`, ' of JSON text (its scene and start state alone)');
  }

  /** Starts recording `simulation` at its current step (from its current state when that is not step 0). */
  static start(simulation: Simulation, options: RecorderOptions = {}): Recorder {
    const snapshot = simulation.snapshot();
    // Pending events go into the log, not the start state, so that a replay schedules them once.
    const start = snapshot.step === 0 ? undefined : snapshotToJson({ ...snapshot, pending: [] });
    return new Recorder({ scene: simulation.scene, firstStep: snapshot.step, start, pending: snapshot.pending, simulation }, options);
  }

  /**
   * A recorder for a run that takes over a replay of `recording` at step `fork`: it keeps the
   * recording's history before the fork (its start, events and output) and goes on from there.
   * Events the replay had scheduled for the fork step or later are dropped: the user acts now.
   */
  static fork(recording: Recording, fork: number, simulation: Simulation, options: RecorderOptions = {}): Recorder {
    const keepTraces = Boolean(options.traces && recording.output.traces);
    const recorder = new Recorder({ scene: recording.scene, firstStep: recording.firstStep, start: recording.start, pending: [], simulation }, { ...options, traces: keepTraces });
    const { spikes } = recording.output;
    const traces = tracesOf(recording);
    const cut = spikes.step.findIndex((step) => step >= fork);
    const n = cut < 0 ? spikes.step.length : cut;
    const steps = fork - recording.firstStep;
    recorder.record({
      firstStep: recording.firstStep,
      steps,
      dtMs: recording.scene.dtMs,
      traces: traces ? traces.map((v) => v.subarray(0, steps)) : [],
      spikes: { step: Int32Array.from(spikes.step.slice(0, n)), neuron: Int32Array.from(spikes.neuron.slice(0, n)), timeMs: Float64Array.from(spikes.timeMs.slice(0, n)) },
      events: recording.events.filter((e) => e.step < fork),
    });
    recorder.forkedFrom = { digest: recording.output.digest, step: fork };
    return recorder;
  }

  /**
   * Adds one frame (and the events applied in it). Frames must follow each other. A frame that
   * would take the recording past a limit is refused whole (LimitError) and nothing changes.
   */
  record(frame: Frame & { events?: readonly InputEvent[] }): void {
    if (frame.firstStep !== this.firstStep + this.steps) throw new Error(`the recorder expected step ${this.firstStep + this.steps}, got a frame from step ${frame.firstStep}`);
    const fresh = (frame.events ?? []).filter((event) => !this.known.has(event));
    try {
      this.checkLimits(frame, fresh);
    } catch (error) {
      this.full = true;
      throw error;
    }
    for (const event of frame.events ?? []) if (!this.known.delete(event)) this.events.push(event);
    const { step, neuron, timeMs } = frame.spikes;
    this.spikeStep.pushAll(step);
    this.spikeNeuron.pushAll(neuron);
    this.spikeTime.pushAll(timeMs);
    this.digest.addSpikes(step, neuron, timeMs);
    if (this.traces) {
      const own = frame.traces.slice(0, this.traces.length);
      own.forEach((trace, c) => this.traces![c]!.pushAll(trace));
      this.digest.addTraces(own);
    }
    this.steps += frame.steps;
    this.textBytes += this.frameText(frame, fresh);
  }

  /** The text a frame adds to the file, from above. */
  private frameText(frame: Frame, events: readonly InputEvent[]): number {
    return frame.spikes.step.length * SPIKE_TEXT_BYTES + (this.traces ? Math.ceil(frame.steps * this.traces.length * TRACE_VALUE_TEXT_BYTES) : 0) + eventsText(events);
  }

  private checkLimits(frame: Frame, events: readonly InputEvent[]): void {
    const { limits } = this;
    const steps = this.steps + frame.steps;
    const at = ` (the recording reached step ${frame.firstStep + frame.steps}, ${steps} steps)`;
    checkLimit(limits, 'steps', steps, 'recorded steps', steps, at);
    checkLimit(limits, 'work', steps * this.workPerStep, 'recorded work', steps * this.workPerStep, at);
    checkLimit(limits, 'traceSamples', this.traces ? steps * this.traces.length : 0, 'recorded trace samples', steps * (this.traces?.length ?? 0), at);
    checkLimit(limits, 'spikes', this.spikeStep.length + frame.spikes.step.length, 'recorded spikes', this.spikeStep.length + frame.spikes.step.length, at);
    checkLimit(limits, 'events', this.events.length + events.length, 'recorded events', this.events.length + events.length, at);
    const text = this.textBytes + this.frameText(frame, events);
    checkLimit(limits, 'textBytes', text, 'recording file size', `~${text} bytes`, ` of JSON text${at}`);
  }

  get stepCount(): number {
    return this.steps;
  }

  get eventCount(): number {
    return this.events.length;
  }

  /** Events the user made (the loop's restarts not counted: see userEventCount). */
  get userEventCount(): number {
    if (this.userEvents.length !== this.events.length) this.userEvents = { length: this.events.length, count: userEventCount(this.events) };
    return this.userEvents.count;
  }
  private userEvents = { length: 0, count: 0 };

  /**
   * The log alone — scene, start, events, steps — with an empty output: enough to rebuild the
   * whole recording by replay (see `rebuildRecording`), and cheap to save every few seconds.
   */
  draft(createdAt = new Date().toISOString()): Recording {
    const recording: Recording = {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      appVersion: APP_VERSION,
      createdAt,
      scene: this.scene,
      firstStep: this.firstStep,
      steps: this.steps,
      events: [...this.events, ...this.trailingEvents()],
      output: { spikes: { step: [], neuron: [], timeMs: [] }, digest: EMPTY_DIGEST },
    };
    if (this.start) recording.start = this.start;
    if (this.forkedFrom) recording.forkedFrom = this.forkedFrom;
    return recording;
  }

  /**
   * Events the simulation holds for steps at or after the recording's end (an events file's
   * last `restart`, a pulse given just before stopping): kept in the log, so that the file
   * says everything that was asked, as far as the limits leave room (never after a refused
   * frame: such a recording was cut short). A replay schedules them and reaches its end first.
   */
  private trailingEvents(): InputEvent[] {
    if (this.full) return [];
    const logged = new Set(this.events);
    const trailing: InputEvent[] = [];
    let text = this.textBytes;
    for (const event of this.simulation?.pendingEvents ?? []) {
      if (logged.has(event)) continue;
      text += eventsText([event]);
      // Only as many as the file has room for (limits.ts): a file a replay refuses is never written.
      if (this.events.length + trailing.length + 1 > this.limits.events || text > this.limits.textBytes) break;
      trailing.push(event);
    }
    return trailing;
  }

  /** The recording of everything recorded so far, with its output digest (the recorder may go on). */
  finish(options: FinishOptions = {}): Recording {
    const recording = this.draft(options.createdAt);
    if (options.appVersion !== undefined) recording.appVersion = options.appVersion;
    if (options.version !== undefined) recording.version = options.version;
    if (options.forkedFrom) recording.forkedFrom = options.forkedFrom;
    recording.output = {
      spikes: { step: this.spikeStep.toArray(), neuron: this.spikeNeuron.toArray(), timeMs: this.spikeTime.toArray() },
      digest: EMPTY_DIGEST,
    };
    if (this.traces) recording.output.traces = { probes: this.scene.probes.map((p) => ({ ...p })), values: this.traces.map((t) => toBase64(t.toFloat64Array())) };
    recording.output.digest = this.digest.hex(contentText(recording));
    return recording;
  }
}

function eventsText(events: readonly InputEvent[]): number {
  let bytes = 0;
  for (const event of events) bytes += JSON.stringify(event).length + 1;
  return bytes;
}
