/**
 * The worker side of the engine protocol (src/engine/protocol.ts): one Session at a time,
 * driven by the page's messages. No DOM and no Worker API here — the worker entry
 * (worker.ts) only wires `handle` to its messages — so the same host runs in Node tests
 * and, for the gallery's small presets, in the main thread.
 *
 * What it adds around Session: session numbers (messages for a session it has left are
 * answered with an empty frame or ignored), recordings opened from untrusted bytes (decoded,
 * validated and verified before the running session is replaced, so a bad file leaves it
 * untouched), the draft of a recording in progress saved every second, drafts offered back and
 * rebuilt, the files the page downloads (the gzip recording, traces and spikes CSV), and what the
 * page's views need of a frame's spikes (the raster's binned columns, the trigger neuron's spikes:
 * the spike list itself stays here, with the history of what the views show for their exports).
 */
import { userEventCount } from '../core/events.ts';
import { channelName, probeUnit, stepCount, type Scene } from '../core/scene.ts';
import type { Channel } from '../core/simulation.ts';
import { exportPyNN } from '../export/pynn.ts';
import { useThreads, type ThreadPool } from '../core/threads.ts';
import type { SavedDraft } from '../session/autosave.ts';
import { spikesToCsv, tracesToCsv } from '../session/export.ts';
import { encodeRecording, decodeRecording } from '../session/file.ts';
import { Session, type SessionFrame, type SessionStatus } from '../session/session.ts';
import { parseRecording, RecordingError, tracesOf, type Recording } from '../session/recording.ts';
import { rebuildRecording } from '../session/replay.ts';
import { recordingFromLog } from '../session/share-link.ts';
import { RasterBins } from '../stream/raster-bins.ts';
import type { RunResult } from '../stream/run.ts';
import {
  toWireError,
  type CallArgs,
  type CallName,
  type CallResult,
  type DraftInfo,
  type EngineMessage,
  type EngineRequest,
  type FileOut,
  type OpenOptions,
  type PageFrame,
  type RecordingInfo,
  type ReplayInfo,
} from './protocol.ts';
import { ViewHistory } from './view-history.ts';

/** Where drafts go: IndexedDB in the worker (session/autosave.ts), a stand-in in tests. */
export interface DraftStore {
  save(saved: SavedDraft): Promise<unknown>;
  load(): Promise<SavedDraft | undefined>;
  clear(): Promise<unknown>;
}

export interface HostOptions {
  /**
   * Transfer the frames' buffers instead of copying them. Off by default: detaching any
   * ArrayBuffer makes V8 check every later typed-array access in this thread for detachment,
   * which slows the kernels' loops by 20–50 % (docs/izhikevich-2003.md), while copying a frame
   * costs microseconds.
   */
  transfer?: boolean;
  /** The threads a session of `scene` splits its network across (threads.ts); none: one thread. */
  threads?: (scene: Scene) => ThreadPool | undefined;
}

export type Post = (message: EngineMessage, transfer: Transferable[]) => void;

export class EngineHost {
  private session: Session | undefined;
  private sessionId = 0;
  private failed = false;
  /** The recording in progress keeps traces; it took over a replay. */
  private recordingTraces = false;
  private forked = false;
  /** The recording being replayed, as its file holds it (and its history after a take-over). */
  private replaying: Recording | undefined;
  /**
   * The replay's own output of that recording (the verification's): what the traces and spikes
   * exports give, so that a file's stored output is never exported unless it is what the replay makes.
   */
  private replayed: Recording | undefined;
  /** The last recording stopped in this session: exports use it until something else runs. */
  private stopped: Recording | undefined;
  private found: SavedDraft | undefined;
  /** What the page's views show of the session: its recent steps (for exports), the raster's bins, the scope's trigger neuron. */
  private views = { history: new ViewHistory(), raster: new RasterBins(), rasterShown: false, trigger: 0, end: -1 };
  /** Draft saves and clears, one after the other, so that a clear is never overtaken by a save. */
  private drafts: Promise<unknown> = Promise.resolve();
  private saving = false;

  constructor(
    private readonly post: Post,
    private readonly store?: DraftStore,
    private readonly options: HostOptions = {},
  ) {}

  handle(request: EngineRequest): void {
    switch (request.type) {
      case 'open':
        this.useThreadsFor(request.scene);
        this.open(request.session, new Session(request.scene, { loop: request.options.loop }), request.options);
        return;
      case 'advance':
        this.advance(request.session, request.steps);
        return;
      case 'input':
        this.withSession(request.session, (session) => {
          const wasReplay = session.mode === 'replay';
          // Checked at the engine's boundary (LiveRun) before it was posted.
          session.applyChecked(request.input);
          if (wasReplay) this.tookOver();
        });
        return;
      case 'probes':
        this.withSession(request.session, (session) => session.setExtraProbes(request.probes));
        return;
      case 'loop':
        this.withSession(request.session, (session) => {
          session.loop = request.loop;
          session.passStimulus = request.passStimulus ?? undefined;
        });
        return;
      case 'view':
        // Also for a session that failed: its views still zoom and pan over what it computed.
        if (request.session === this.sessionId && this.session) {
          const views = this.views;
          views.trigger = request.trigger;
          const raster = request.raster;
          views.rasterShown = raster !== null;
          if (!raster || raster.version === views.raster.version) return;
          views.raster.setView(raster);
          this.post({ type: 'raster', session: request.session, update: views.raster.take() }, []);
        }
        return;
      case 'call':
        void this.call(request.id, request.session, request.name, request.args);
        return;
    }
  }

  /** Saves the draft of the recording in progress (the worker calls this every second). */
  saveDraft(): Promise<unknown> {
    const session = this.session;
    if (!this.store || !session?.recording || this.saving || this.failed) return this.drafts;
    const saved: SavedDraft = { draft: session.draft()!, traces: this.recordingTraces, savedAt: Date.now() };
    this.saving = true;
    return this.queueDraft(() => this.store!.save(saved)).finally(() => (this.saving = false));
  }

  private queueDraft(operation: () => Promise<unknown>): Promise<unknown> {
    this.drafts = this.drafts.then(operation).catch(() => undefined);
    return this.drafts;
  }

  private open(id: number, session: Session, options: OpenOptions): void {
    if (options.probes.length > 0) session.setExtraProbes(options.probes);
    if (options.passStimulus) session.passStimulus = options.passStimulus;
    this.session = session;
    this.sessionId = id;
    this.failed = false;
    this.forked = false;
    this.recordingTraces = false;
    this.replaying = undefined;
    this.replayed = undefined;
    this.stopped = undefined;
    this.views = { history: new ViewHistory(), raster: new RasterBins(), rasterShown: false, trigger: 0, end: -1 };
  }

  private withSession(id: number, act: (session: Session) => void): void {
    if (id !== this.sessionId || !this.session || this.failed) return;
    try {
      act(this.session);
    } catch (error) {
      this.post({ type: 'rejected', session: id, error: toWireError(error) }, []);
    }
  }

  private advance(id: number, steps: number): void {
    const session = this.session;
    if (id !== this.sessionId || !session || this.failed) {
      this.post({ type: 'frame', session: id, frame: null, recording: null, computeMs: 0 }, []);
      return;
    }
    const started = performance.now();
    let frame: SessionFrame;
    try {
      frame = session.advance(steps);
    } catch (error) {
      this.failed = true;
      this.post({ type: 'failed', session: id, error: toWireError(error) }, []);
      return;
    }
    const page = this.pageFrame(frame);
    const transfer: Transferable[] = [];
    if (this.options.transfer) {
      for (const trace of page.traces) transfer.push(trace.buffer);
      transfer.push(page.trigger.step.buffer, page.trigger.neuron.buffer);
      if (page.raster) transfer.push(page.raster.hits.buffer, page.raster.counts.buffer);
    }
    this.post({ type: 'frame', session: id, frame: page, recording: this.recordingInfo(frame.status), computeMs: performance.now() - started }, transfer);
  }

  /** The frame as the page receives it; its spikes go to the view history and the raster's bins here. */
  private pageFrame(frame: SessionFrame): PageFrame {
    const views = this.views;
    const { spikes, ...rest } = frame;
    views.history.push(frame);
    // A frame that does not follow the previous one (a seek): the raster starts over.
    if (views.end >= 0 && frame.firstStep !== views.end) views.raster.clear();
    views.end = frame.firstStep + frame.steps;
    views.raster.push(spikes, views.end * frame.dtMs);
    let count = 0;
    for (let s = 0; s < spikes.neuron.length; s++) if (spikes.neuron[s] === views.trigger) count++;
    const trigger = { step: new Int32Array(count), neuron: new Int32Array(count).fill(views.trigger) };
    for (let s = 0, k = 0; s < spikes.neuron.length; s++) if (spikes.neuron[s] === views.trigger) trigger.step[k++] = spikes.step[s]!;
    return { ...rest, spikeCount: spikes.step.length, trigger, raster: views.rasterShown ? views.raster.take() : null };
  }

  private recordingInfo(status: SessionStatus): RecordingInfo | null {
    if (status.recordedSteps === null) return null;
    return { steps: status.recordedSteps, events: status.recordedEvents ?? 0, forked: this.forked, traces: this.recordingTraces, full: status.recordingFull };
  }

  /** The session left its replay at the current step and records a fork (traces kept when the replay had them). */
  private tookOver(): void {
    this.forked = true;
    this.recordingTraces = this.replaying?.output.traces !== undefined;
  }

  private async call<N extends CallName>(id: number, session: number, name: N, args: CallArgs<N>): Promise<void> {
    try {
      const value = await this.run(session, name, args);
      this.post({ type: 'reply', id, ok: true, value }, []);
    } catch (error) {
      this.post({ type: 'reply', id, ok: false, error: toWireError(error) }, []);
    }
  }

  private current(id: number): Session {
    if (id !== this.sessionId || !this.session) throw new Error('that session was closed (a scene or a recording was opened since)');
    return this.session;
  }

  private async run<N extends CallName>(id: number, name: N, args: CallArgs<N>): Promise<CallResult<N>> {
    type R = CallResult<N>;
    switch (name) {
      case 'start-recording': {
        const session = this.current(id);
        const { traces } = args as CallArgs<'start-recording'>;
        session.startRecording({ traces });
        this.recordingTraces = traces;
        this.forked = false;
        this.stopped = undefined;
        void this.saveDraft();
        return this.recordingInfo(session.status()) as R;
      }
      case 'stop-recording': {
        const session = this.current(id);
        const recording = session.stopRecording();
        void this.queueDraft(() => this.store?.clear() ?? Promise.resolve());
        if (!recording) return null as R;
        this.stopped = recording;
        const { sceneName, object } = args as CallArgs<'stop-recording'>;
        const file = await recordingFile(recording, sceneName);
        const summary = { steps: recording.steps, timeMs: recording.steps * recording.scene.dtMs, events: userEventCount(recording.events) };
        return { recording: object ? recording : null, summary, file } as R;
      }
      case 'take-over': {
        const session = this.current(id);
        if (session.mode !== 'replay') return null as R;
        session.takeOver();
        this.tookOver();
        return this.recordingInfo(session.status()) as R;
      }
      case 'seek': {
        const session = this.current(id);
        session.seek((args as CallArgs<'seek'>).step);
        return session.status().step as R;
      }
      case 'replay': {
        const { next, source, options } = args as CallArgs<'replay'>;
        const recording = 'bytes' in source ? await decodeRecording(source.bytes) : 'log' in source ? recordingFromLog(parseRecording(source.log)) : parseRecording(source.text);
        return this.openReplay(next, recording, options) as R;
      }
      case 'find-draft': {
        this.found = await this.store?.load();
        return (this.found ? draftInfo(this.found) : null) as R;
      }
      case 'restore-draft': {
        const { next, options } = args as CallArgs<'restore-draft'>;
        const found = this.found;
        if (!found) throw new RecordingError('there is no draft to restore');
        return this.openReplay(next, rebuildRecording(found.draft, found.traces), options) as R;
      }
      case 'discard-draft':
        this.found = undefined;
        await this.queueDraft(() => this.store?.clear() ?? Promise.resolve());
        return null as R;
      case 'export': {
        const { what, sceneName } = args as CallArgs<'export'>;
        return (await this.export(id, what, sceneName)) as R;
      }
    }
    throw new Error(`unknown call ${String(name)}`);
  }

  /** Sessions created from now on split their networks across the threads meant for `scene`. */
  private useThreadsFor(scene: Scene): void {
    useThreads(this.options.threads?.(scene));
  }

  /** Replaces the running session by a replay of `recording`, once it is verified; anything wrong leaves the running one as it was. */
  private openReplay(next: number, recording: Recording, options: OpenOptions): ReplayInfo {
    this.useThreadsFor(recording.scene);
    const session = new Session(recording.scene, { loop: options.loop });
    const verification = session.replay(recording);
    this.open(next, session, options);
    this.replaying = recording;
    this.replayed = verification.replayed;
    return {
      scene: recording.scene,
      firstStep: recording.firstStep,
      endStep: recording.firstStep + recording.steps,
      identical: verification.identical,
      digest: verification.expected,
      actual: verification.actual,
      message: verification.message,
      traces: recording.output.traces !== undefined,
      forkedFrom: recording.forkedFrom ?? null,
      events: userEventCount(recording.events),
    };
  }

  private async export(id: number, what: 'traces' | 'spikes' | 'recording' | 'pynn', sceneName: string): Promise<CallResult<'export'>> {
    const session = this.current(id);
    let recording: Recording;
    let source: 'recording' | 'replay';
    if (session.recording) {
      // The recording in progress: its log, with the output rebuilt by replay.
      recording = rebuildRecording(session.draft()!, what === 'traces' || this.recordingTraces);
      source = 'recording';
    } else if (this.stopped) {
      recording = this.stopped;
      source = 'recording';
    } else if (this.replaying && session.mode === 'replay') {
      if (what === 'recording') return { file: await recordingFile(this.replaying, sceneName), source: 'replay', steps: this.replaying.steps };
      if (!this.replayed) throw new RecordingError('this recording does not replay to its end (see the verdict), so it has no output to export');
      recording = this.replayed;
      source = 'replay';
    } else if (what === 'pynn') {
      const scene = session.sceneNow();
      const script = await exportPyNN(scene);
      return { file: { name: `spikescope-${sceneName}-pynn-${timestamp()}.py`, mime: 'text/x-python', text: script.text }, source: 'scene', steps: stepCount(scene) };
    } else {
      if (what === 'recording') return null;
      const view = this.views.history.toRunResult(session.scene);
      const name = `spikescope-${sceneName}-view-${what}-${timestamp()}.csv`;
      return { file: { name, mime: 'text/csv', text: what === 'traces' ? tracesToCsv(view) : spikesToCsv(view) }, source: 'view', steps: view.steps };
    }
    if (what === 'recording') return { file: await recordingFile(recording, sceneName), source, steps: recording.steps };
    if (what === 'pynn') {
      const script = await exportPyNN(recording);
      return { file: { name: `spikescope-${sceneName}-${source}-pynn-${timestamp()}.py`, mime: 'text/x-python', text: script.text }, source, steps: recording.steps };
    }
    if (what === 'traces' && !recording.output.traces) recording = rebuildRecording(recording, true);
    const result = runResultOf(recording);
    const name = `spikescope-${sceneName}-${source}-${what}-${timestamp()}.csv`;
    return { file: { name, mime: 'text/csv', text: what === 'traces' ? tracesToCsv(result) : spikesToCsv(result) }, source, steps: recording.steps };
  }
}

function draftInfo(saved: SavedDraft): DraftInfo {
  const { draft } = saved;
  return {
    sceneId: draft.scene.id ?? draft.scene.model,
    title: draft.scene.title ?? draft.scene.id ?? draft.scene.model,
    steps: draft.steps,
    timeMs: draft.steps * draft.scene.dtMs,
    events: userEventCount(draft.events),
    traces: saved.traces,
    savedAt: saved.savedAt,
  };
}

export function timestamp(date = new Date()): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
}

async function recordingFile(recording: Recording, sceneName: string): Promise<FileOut> {
  return { name: `spikescope-${sceneName}-${timestamp()}.json.gz`, mime: 'application/gzip', bytes: await encodeRecording(recording, true) };
}

/** A recording (with traces) as the run result the CSV writers take: one column per scene probe, units from the model. */
export function runResultOf(recording: Recording): RunResult {
  const scene: Scene = recording.scene;
  const channels: Channel[] = (recording.output.traces?.probes ?? []).map((p, index) => ({
    name: channelName(scene, p),
    variable: p.variable,
    neuron: p.neuron,
    unit: probeUnit(scene.model, p.variable),
    probe: index,
  }));
  const { spikes } = recording.output;
  return {
    scene,
    dtMs: scene.dtMs,
    firstStep: recording.firstStep,
    steps: recording.steps,
    channels,
    traces: tracesOf(recording) ?? [],
    spikes: { step: Int32Array.from(spikes.step), neuron: Int32Array.from(spikes.neuron), timeMs: Float64Array.from(spikes.timeMs) },
    events: recording.events,
  };
}
