/**
 * The live lab page: one scene running in real time, its oscilloscope (and raster for
 * networks), the control panel, the keyboard and the status line. Every user action arrives
 * here as an Intent and goes through the page's reducer (src/app/lab-state.ts: play, speed, loop,
 * target, hand pulse, stimulus form, scope… held once, there); the lab hands each change to its
 * drivers: the page's one clock (play, pause, speed: `clockControls`), the engine run (a LiveRun,
 * whose session the engine worker computes; a new one for each scene, under the same clock),
 * the views, the panel and the URL.
 *
 * Sessions: a recording (R, or the panel) runs in the worker, which autosaves its draft; stopping
 * offers the gzip file. A recording file (picker, drop, or the automation handle) is decoded,
 * validated and verified in the worker and opens in replay mode — with its scene's views, the
 * replay bar (digest verdict, scrub, take over) — only when all of that succeeded; a bad file is
 * answered in the banner while the running session goes on. Exports: traces and spikes CSV of the
 * recording or replay (or of what the views hold when there is neither), and a PNG of the views.
 * A frame's spikes stay in the engine worker, which bins them for the raster's view and sends its
 * new columns, and keeps what the views show for their exports.
 */
import { Container, Text, type Application } from 'pixi.js';
import type { Subscription } from 'rxjs';
import { clockControls, initialLabState, reduceLab, SCOPE_HISTORY, type LabAction, type LabState } from './lab-state.ts';
import { models } from '../core/models/index.ts';
import type { ProbeRef, Scene } from '../core/scene.ts';
import { formatValue, InputError } from '../core/schema.ts';
import type { Recording } from '../session/recording.ts';
import type { Stats } from '../stream/stats.ts';
import { ControlPanel, type PanelModel } from '../ui/controls.ts';
import type { ExportKind, Intent } from '../ui/intents.ts';
import type { PageElements } from '../ui/page.ts';
import { drawingOf } from '../view/drawing.ts';
import { Oscilloscope, type ScopeChannel } from '../view/oscilloscope.ts';
import { PhasePlaneView } from '../view/phase-plane-view.ts';
import { Raster } from '../view/raster.ts';
import { theme } from '../view/theme.ts';
import { galleries, isNetwork, loadScene, maxStepsPerAdvance, sceneChoices, SPEEDS, targetProbes, TIME_PER_DIV } from './catalog.ts';
import { EngineClient } from '../engine/client.ts';
import type { ReplayInfo } from '../engine/protocol.ts';
import { downloadExport, makeExport } from './exports.ts';
import { FrameTimer } from './frame-timer.ts';
import type { LiveFrame, LiveRun } from '../engine/live-run.ts';
import { pageClock, startRun, toViews } from './pipeline.ts';
import { errorText, type ExportResult, type PageController, type PageStatus, type ReplayResult, type SessionController } from './page-controller.ts';
import { recordingSource } from './recording-source.ts';
import { scopeChannels, ScopeTraces } from './scope-channels.ts';
import { SessionNotices } from './session-notices.ts';
import { planeClick, planeExtraProbes, PlaneParams, planeSubject } from './phase-plane-panel.ts';
import { replayBarModel, statusFields } from './status-display.ts';
import { captionText, sceneCaption } from './captions.ts';
import { handSpecs, stimulusFormSpecs, stimulusMaker } from './stimulus-form.ts';
import { sceneNow } from './scene-files.ts';
import { OWN_SCENE_ID, SceneShare } from './scene-share.ts';

const HEADER = 24;
const STATUS_INTERVAL_MS = 100;
/** `?plane=0` leaves the phase plane out (to measure what it costs). */
const SHOW_PLANE = new URLSearchParams(window.location.search).get('plane') !== '0';

export class Lab implements PageController {
  private readonly root = new Container();
  private readonly title: Text;
  private readonly panel: ControlPanel;
  private readonly timer = new FrameTimer();
  /** The engine worker: one for the page's lifetime, hosting the session of the current run. */
  private readonly engine: EngineClient;
  /** What the user asked for, held once (src/app/lab-state.ts); changed only by `dispatch`. */
  private state: LabState = initialLabState();
  /** The page's one clock: it outlives the runs (a new scene restarts the run, not the clock); its play and speed follow `state`. */
  private readonly clock = pageClock(this.state);
  /** The replay the current run started as (kept after a take-over for its title). */
  private replay: ReplayInfo | undefined;
  private stoppingFullRecording = false;
  private readonly sessionNotices: SessionNotices;
  readonly session: SessionController;
  /** The user's scenes: the scene builder, scene files, share links (and the automation handle's scenes). */
  readonly scenes: SceneShare;
  private run: LiveRun | undefined;
  private subscriptions: Subscription[] = [];
  private scope: Oscilloscope | undefined;
  private raster: Raster | undefined;
  /** The picked neuron's phase plane, beside the scope. */
  private plane: PhasePlaneView | undefined;
  private readonly planeParams = new PlaneParams();
  private stats: Stats | undefined;
  private renderQueued = false;
  /** When the frame being drawn arrived, and when its views started: the main thread's cost of a frame. */
  private frameTiming: { receivedAt: number; viewsAt: number } | undefined;
  private readonly scopeTraces = new ScopeTraces();
  private lastStatusAt = 0;
  private sessionKey = '';
  private panelLanes = '';
  /** The scope's channels, and the last value of each in the latest frame (for the warnings). */
  private channels: ScopeChannel[] = [];
  private lastValues: number[] = [];
  /** The scene's caption as one text (status().caption; written once per scene). */
  private caption = '';

  constructor(
    private readonly pixi: Application,
    private readonly page: PageElements,
    private readonly populationSize?: number,
  ) {
    this.title = new Text({ text: '', style: { fontFamily: theme.fontFamily, fontSize: 13, fill: theme.text, fontWeight: 'bold' } });
    this.title.position.set(10, 5);
    pixi.stage.addChild(this.root, this.title);
    this.panel = new ControlPanel(page.panel, (intent) => this.handle(intent));
    this.scenes = new SceneShare(page, {
      currentScene: () => this.currentScene(),
      runScene: (scene) => this.openLive(scene, scene.id ?? OWN_SCENE_ID, false),
      replay: (source, name) => this.loadRecording(source, name),
      exportRecording: () => this.exportData('recording'),
      reportError: (error) => this.reportError(error),
    }, (intent) => this.handle(intent));
    page.caption.onShortcuts = () => this.handle({ kind: 'shortcuts' });
    this.sessionNotices = new SessionNotices(page.notices);
    page.replayBar.bind((intent) => this.handle(intent));
    this.engine = EngineClient.worker({ transfer: new URLSearchParams(window.location.search).get('transfer') === '1' });
    this.session = {
      startRecording: (options) => this.startRecording(options.traces),
      stopRecording: () => this.stopRecording(true),
      loadRecording: (source) => this.loadRecording(source),
      seek: (step) => this.seek(step),
      takeOver: () => this.takeOver(),
      exportData: (what) => this.exportData(what),
    };
    void this.findDraft();
  }

  /** Opens a scene with its own presentation (speed, time base, hand pulse). Throws InputError for an unknown id. */
  open(id: string): void {
    this.load(id, false);
  }

  handle(intent: Intent): void {
    try {
      this.apply(intent);
    } catch (error) {
      this.reportError(error);
      // The panel's fields show the values in force again (a refused value is not applied).
      if (this.state.scene) this.sync();
    }
  }

  /** The scene the run started from (there is one from the first `open` on). */
  private get scene(): Scene {
    return this.state.scene!;
  }

  /** The running scene as a scene file holds it: live parameter and stimulus changes folded in. */
  currentScene(): Scene {
    const { stimulusForm, target, requestedParams } = this.state;
    const stimulus = stimulusMaker(stimulusForm, this.scene, target)?.(0);
    return sceneNow(this.scene, { ...(this.run?.params ?? {}), ...requestedParams }, stimulus);
  }

  status(): PageStatus {
    const run = this.run;
    const state = this.state;
    return {
      sceneId: state.sceneId,
      timeMs: run?.timeMs ?? 0,
      totalTimeMs: run?.totalTimeMs ?? 0,
      spikeCount: run?.spikeCount ?? 0,
      renderer: this.pixi.renderer.name,
      realtimeFactor: this.stats?.realtimeFactor ?? 0,
      fps: this.stats?.framesPerSecond ?? 0,
      playing: run !== undefined && state.playing,
      lastError: state.lastError,
      params: { ...(run?.params ?? {}) },
      dtMs: state.scene?.dtMs ?? 0,
      target: state.target,
      neurons: state.scene?.neurons ?? 0,
      mode: run?.mode ?? 'live',
      recording: run?.recording ? { ...run.recording, timeMs: run.recording.steps * this.scene.dtMs } : null,
      replay:
        run?.mode === 'replay' && this.replay
          ? {
              firstStep: this.replay.firstStep,
              endStep: this.replay.endStep,
              step: run.status.step,
              identical: this.replay.identical,
              digest: this.replay.digest,
              message: this.replay.message,
              sceneId: state.sceneId,
            }
          : null,
      draft: state.draft,
      threads: run?.status.threads ?? 1,
      wasm: run?.status.wasm ?? false,
      phasePlane: this.plane?.status() ?? null,
      caption: this.caption,
      warnings: this.warnings(),
    };
  }

  /**
   * Where the run has left the model's meaningful range: a probed potential far outside the range
   * its lane is made for (three lane heights beyond it, and at least 50 mV), or a mean rate above
   * 1 kHz per neuron. Each says how to get back.
   */
  private warnings(): string[] {
    const out: string[] = [];
    const back = 'reset (t = 0, scene values) to get back';
    for (const [index, channel] of this.channels.entries()) {
      const value = this.lastValues[index];
      if (channel.lane !== 'mV' || value === undefined || !Number.isFinite(value)) continue;
      const [lo, hi] = channel.range;
      const margin = Math.max(3 * (hi - lo), 50);
      if (value < lo - margin || value > hi + margin) {
        out.push(`${channel.name} = ${formatValue(Number(value.toPrecision(4)))} ${channel.unit}, far outside its usual ${lo} … ${hi} ${channel.unit}: the model has left its meaningful range; ${back}`);
      }
    }
    const rate = this.stats?.rateHz ?? 0;
    if ((!this.run || this.state.playing) && rate > 1000) out.push(`${rate.toFixed(0)} Hz per neuron: above ~1 kHz no neuron fires, the parameters are outside the model's meaningful range; ${back}`);
    return out;
  }

  frameProfile(): { totalMs: number[]; simMs: number[]; viewMs: number[] } {
    return this.timer.recent();
  }

  /** Lays the views out for the canvas size. */
  layout(): void {
    const { width, height } = this.pixi.screen;
    let top = HEADER;
    if (this.raster) {
      const rasterHeight = Math.round((height - HEADER) * 0.52);
      this.raster.setArea(0, HEADER, width, rasterHeight);
      top = HEADER + rasterHeight + 6;
    }
    // The phase plane to the right of the scope: about square, at most 45 % of the width.
    const planeWidth = this.plane ? Math.round(Math.min(width * 0.45, Math.max(240, height - top))) : 0;
    this.scope?.setArea(0, top, width - planeWidth, height - top);
    this.plane?.setArea(width - planeWidth, top, planeWidth, height - top);
    this.invalidate();
  }

  /**
   * The state's one way to change: the reducer's next state, handed to the page's clock (play,
   * pause, speed). Throws what the reducer refuses; the state then stays as it was.
   */
  private dispatch(action: LabAction): LabState {
    const prev = this.state;
    const next = reduceLab(prev, action);
    this.state = next;
    for (const control of clockControls(prev, next, action)) this.clock.control$.next(control);
    return next;
  }

  private apply(intent: Intent): void {
    if (this.scenes.handle(intent)) return;
    const run = this.run;
    switch (intent.kind) {
      case 'load-scene':
        this.load(intent.id, false);
        return;
      case 'open-gallery':
        window.location.search = intent.model && intent.model !== 'izhikevich' ? `?view=gallery&model=${encodeURIComponent(intent.model)}` : '?view=gallery';
        return;
      case 'reset':
      case 'leave-replay':
        // The scene the run started from (the catalogue's, or a recording's), live from t = 0.
        this.openLive(this.scene, this.state.sceneId, intent.kind === 'reset');
        return;
      case 'record':
        this.toggleRecording(intent.on);
        return;
      case 'open-recording':
        this.page.filePicker.click();
        return;
      case 'seek':
        void this.seek(intent.step);
        return;
      case 'take-over':
        void this.takeOver();
        return;
      case 'export':
        void this.exportData(intent.what, true);
        return;
      case 'restore-draft':
        void this.restoreDraft();
        return;
      case 'discard-draft':
        void this.discardDraft();
        return;
      case 'shortcuts':
        this.page.shortcuts.toggle(intent.show);
        return;
      case 'caption':
        this.page.caption.toggle(intent.open);
        return;
      case 'lane': {
        const { key, lo, hi, auto } = intent;
        for (const [end, value] of [['bottom', lo], ['top', hi]] as const) {
          if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) throw new InputError(`${key} scale ${end}`, value, 'a number');
        }
        this.scope?.setLaneRange(key, { lo: lo as number | undefined, hi: hi as number | undefined, ...(auto === undefined ? {} : { auto }) });
        break;
      }
      case 'raster-full-view':
        this.raster?.resetView();
        break;
      case 'play':
      case 'toggle-play':
        // Play at the end of a replay plays it again from its start.
        if (run?.ended && !(intent.kind === 'toggle-play' && this.state.playing)) {
          const first = run.status.replay!.firstStep;
          void this.seek(first).then(() => this.handle({ kind: 'play' }));
          return;
        }
        this.dispatch(intent);
        break;
      case 'step':
        run?.step(intent.steps);
        break;
      case 'record-traces':
      case 'scope-mode':
      case 'time-per-div':
      case 'pick':
      case 'hand':
      case 'pause':
      case 'speed':
      case 'loop': {
        const prev = this.state;
        this.follow(prev, this.dispatch(intent));
        break;
      }
      default: {
        if (!run) return;
        // What the engine's boundary checks goes there first: the state takes only what it accepted.
        const prev = this.state;
        this.toRun(run, reduceLab(prev, intent), intent);
        this.follow(prev, this.dispatch(intent));
      }
    }
    this.sync();
    this.invalidate();
  }

  /** The engine run's part of an intent (its boundary throws InputError for a bad input: nothing is sent). */
  private toRun(run: LiveRun, next: LabState, intent: Intent): void {
    switch (intent.kind) {
      case 'set-param':
        run.setParam(intent.name, intent.value);
        break;
      case 'stimulus':
        run.setStimulus(stimulusMaker(next.stimulusForm, this.scene, next.target), next.loop);
        break;
      case 'pulse': {
        const neuron = intent.neuron ?? next.target;
        run.pulse(intent.amplitude ?? next.hand.amplitude, intent.durationMs ?? next.hand.durationMs, this.targets(neuron).targets);
        break;
      }
      case 'hold':
        run.hold(intent.amplitude ?? next.hand.amplitude, this.targets(next.target).targets);
        break;
      case 'release':
        run.release();
        break;
      case 'plane-click': {
        const event = planeClick(this.scene, next.target, intent.x, intent.y);
        run.setState(event.neuron, event.state);
        break;
      }
    }
  }

  /** The drivers follow a change of the state: the loop to the engine, the scope's mode and time base, the target neuron, the input lane. */
  private follow(prev: LabState, next: LabState): void {
    const run = this.run;
    // (A stimulus sent its loop with it: sent again here, the same, it changes nothing.)
    if (next.loop !== prev.loop) run?.setLoop(next.loop);
    if (next.scopeMode !== prev.scopeMode) this.scope?.setMode(next.scopeMode);
    if (next.timePerDivMs !== prev.timePerDivMs) {
      this.scope?.setTimePerDiv(next.timePerDivMs);
      this.raster?.setWindowMs(next.timePerDivMs * 10);
      this.plane?.setTrailMs(next.timePerDivMs * 10);
    }
    if (next.target !== prev.target) this.pickViews(next);
    if (next.injected && !prev.injected) this.scope?.setChannels(this.channelsFor([...this.scene.probes, ...targetProbes(this.scene, next.target)]));
  }

  private targets(neuron: number): { targets?: number[] } {
    return isNetwork(this.scene) ? { targets: [neuron] } : neuron === 0 ? {} : { targets: [neuron] };
  }

  private load(id: string, reset: boolean): void {
    this.openLive(loadScene(id, this.populationSize), id, reset);
  }

  /** Runs `scene` live from t = 0 in a new session of the engine (a recording in progress is stopped and offered first). */
  private openLive(scene: Scene, id: string, reset: boolean): void {
    this.leaveRecording();
    const extraProbes = this.show(scene, id, reset, undefined);
    const session = this.engine.newSession();
    const loop = this.state.loop;
    const run = startRun(this.engine, session, scene, this.clock, { loop, maxStepsPerAdvance: maxStepsPerAdvance(scene) }, { open: { loop, probes: extraProbes } });
    this.attach(run);
    if (!reset && scene.id === id) {
      const url = new URL(window.location.href);
      url.searchParams.set('scene', id);
      url.searchParams.delete('view');
      window.history.replaceState(null, '', url);
    }
    this.buildPanel();
    this.layout();
  }

  /** Shows a replay the engine has opened as `session`: the recording's scene, its views, the replay bar. */
  private openReplay(session: number, info: ReplayInfo): void {
    const scene = info.scene;
    const extraProbes = this.show(scene, scene.id ?? 'recording', false, info);
    const loop = this.state.loop;
    const status = { mode: 'replay' as const, step: info.firstStep, timeMs: info.firstStep * scene.dtMs, origin: info.firstStep, params: { ...scene.params }, loop, recordedSteps: null, recordedEvents: null, recordingFull: null, replay: { firstStep: info.firstStep, endStep: info.endStep, digest: info.digest }, threads: 1, wasm: false };
    const run = startRun(this.engine, session, scene, this.clock, { loop, maxStepsPerAdvance: maxStepsPerAdvance(scene) }, { status });
    // Before the run's first advance: messages reach the engine in order.
    if (extraProbes.length > 0) run.setExtraProbes(extraProbes);
    this.attach(run);
    if (!info.identical) this.page.banner.show('✗ NOT identical', info.digest === info.actual ? info.message : `${info.message} (the file's digest ${info.digest}, the replay's ${info.actual})`);
    this.buildPanel();
    this.layout();
  }

  private attach(run: LiveRun): void {
    this.run = run;
    // The scope's trigger neuron: the engine sends its spikes with the frames (the raster's view follows at its first draw).
    run.setTrigger(this.state.target);
    // The pipeline's last stage (src/app/pipeline.ts): the run's frames to the views.
    this.subscriptions.push(
      toViews(run, {
        frame: (live) => this.onFrame(live),
        raster: (update) => {
          this.raster?.apply(update);
          this.invalidate();
        },
        failed: (error) => {
          this.reportError(error);
          this.dispatch({ kind: 'run-failed' });
          this.sync();
        },
        rejected: (error) => this.reportError(error),
        ended: () => this.dispatch({ kind: 'replay-ended' }),
      }),
    );
  }

  /** Tears down the current run and views and builds the views for `scene`; returns the extra probes of the target neuron. */
  private show(scene: Scene, id: string, reset: boolean, replay: ReplayInfo | undefined): ProbeRef[] {
    this.subscriptions.forEach((s) => s.unsubscribe());
    this.subscriptions = [];
    this.run?.dispose();
    this.run = undefined;
    this.replay = replay;
    for (const child of this.root.removeChildren()) child.destroy({ children: true });
    const { target, timePerDivMs, scopeMode } = this.dispatch({ kind: 'opened', scene, id, reset });
    this.page.banner.hide();
    // A recording offered for download stays offered until another scene, a replay or a new recording.
    if (!reset) this.sessionNotices.withdrawRecording();
    this.scenes.sceneOpened(scene);
    const caption = sceneCaption(scene);
    this.page.caption.show(caption);
    this.caption = captionText(caption);
    this.stats = undefined;
    this.timer.clear();

    const scopeProbes = [...scene.probes, ...targetProbes(scene, target)];
    const extraProbes = [...targetProbes(scene, target), ...planeExtraProbes(scene, target, scopeProbes)];
    const scope = new Oscilloscope(scene.dtMs, SCOPE_HISTORY, drawingOf(this.pixi.renderer));
    scope.setChannels(this.channelsFor(scopeProbes));
    scope.setTimePerDiv(timePerDivMs);
    scope.setMode(scopeMode);
    scope.setTriggerNeuron(target);
    scope.onLanesChanged = () => this.sync();
    this.scope = scope;
    this.root.addChild(scope.container);
    this.plane = undefined;
    if (SHOW_PLANE) {
      const plane = new PhasePlaneView(drawingOf(this.pixi.renderer));
      plane.setSubject(planeSubject(scene, target));
      plane.setParams(this.planeParams.of(scene, target, scene.params));
      plane.setTrailMs(timePerDivMs * 10);
      plane.onSetState = (x, y) => this.handle({ kind: 'plane-click', x, y });
      plane.onInvalidate = () => this.invalidate();
      this.plane = plane;
      this.root.addChild(plane.container);
    }
    this.raster = undefined;
    if (isNetwork(scene)) {
      const raster = new Raster(scene.neurons, drawingOf(this.pixi.renderer));
      raster.setWindowMs(timePerDivMs * 10);
      raster.setPicked(target);
      raster.onPick = (neuron) => this.handle({ kind: 'pick', neuron });
      raster.onInvalidate = () => this.invalidate();
      raster.onViewChange = (view) => this.run?.setRasterView(view);
      this.raster = raster;
      this.root.addChild(raster.container);
    }
    this.title.text = replay ? `REPLAY · ${this.sceneTitle()}` : this.sceneTitle();
    return extraProbes;
  }

  /**
   * The scope's channels for `probes`; the frames' traces follow them. The input lane is left out
   * while a scene without stimulus has had nothing injected (it would be a flat 0); the target
   * neuron of a network has a colour of its own, the raster's.
   */
  private channelsFor(probes: readonly ProbeRef[]): ScopeChannel[] {
    const showInput = this.scene.stimulus.length > 0 || this.state.injected;
    const target = isNetwork(this.scene) ? this.state.target : undefined;
    const channels = scopeChannels(this.scene, probes, target).filter((c) => showInput || c.variable !== 'iExt');
    this.scopeTraces.setChannels(channels);
    this.channels = channels;
    this.lastValues = [];
    return channels;
  }

  /** The views and the run follow a new target neuron. */
  private pickViews({ target: neuron, stimulusForm, hand }: LabState): void {
    const scopeProbes = [...this.scene.probes, ...targetProbes(this.scene, neuron)];
    this.run?.setExtraProbes([...targetProbes(this.scene, neuron), ...planeExtraProbes(this.scene, neuron, scopeProbes)]);
    this.scope?.setChannels(this.channelsFor(scopeProbes));
    this.plane?.setSubject(planeSubject(this.scene, neuron));
    this.scope?.setTriggerNeuron(neuron);
    this.raster?.setPicked(neuron);
    this.run?.setTrigger(neuron);
    if (stimulusForm.kind !== 'protocol' && stimulusForm.drive === 'target') this.run?.setStimulus(stimulusMaker(stimulusForm, this.scene, neuron), this.state.loop);
    if (this.run?.holding) this.run.hold(hand.amplitude, this.targets(neuron).targets);
  }

  private onFrame({ frame, stats, jump, receivedAt, recording }: LiveFrame): void {
    const viewsAt = performance.now();
    if (recording?.full && !this.stoppingFullRecording) this.stopFullRecording(recording.full);
    this.stats = stats;
    if (jump) {
      // A seek: the views start over from the frame's first step.
      this.scope?.clear();
      this.raster?.clear();
      this.plane?.clear();
    }
    const traces = this.scopeTraces.of(frame);
    this.scope?.push({ ...frame, traces, spikes: frame.trigger });
    for (let c = 0; c < traces.length; c++) {
      const trace = traces[c];
      if (trace && trace.length > 0) this.lastValues[c] = trace[trace.length - 1]!;
    }
    const inhibitoryFrom = models[this.scene.model].presentation.inhibitoryFrom;
    if (this.raster && inhibitoryFrom && this.run) this.raster.setInhibitoryFrom(inhibitoryFrom(this.scene.neurons, this.run.params));
    if (this.plane && this.run) {
      // The trigger neuron is the picked one: its spikes mark the trajectory's reset jumps.
      this.plane.setParams(this.planeParams.of(this.scene, this.state.target, this.run.params));
      this.plane.push({ ...frame, spikes: frame.trigger });
    }
    if (frame.raster) this.raster?.apply(frame.raster);
    this.frameTiming ??= { receivedAt, viewsAt };
    this.invalidate();
  }

  private invalidate(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    queueMicrotask(() => this.render());
  }

  private render(): void {
    this.renderQueued = false;
    this.scope?.draw();
    this.raster?.draw();
    this.plane?.draw();
    this.pixi.render();
    const end = performance.now();
    const run = this.run;
    const timing = this.frameTiming;
    if (timing) {
      // Main-thread JS of a frame: reading the engine's message (and the stats), then views and render submission.
      this.frameTiming = undefined;
      this.timer.record(end - timing.receivedAt, timing.viewsAt - timing.receivedAt, end - timing.viewsAt);
    }
    if (end - this.lastStatusAt > STATUS_INTERVAL_MS || !run || !this.state.playing) {
      this.lastStatusAt = end;
      this.showStatus();
    }
  }

  /** The scene's title over the views (a network's says its size). */
  private sceneTitle(): string {
    const { scene, sceneId } = this.state;
    const title = scene?.title ?? sceneId;
    return scene && isNetwork(scene) && !title.includes('neurons') ? `${title} · ${scene.neurons} neurons` : title;
  }

  /** The panel follows changes of mode, recording and play state that happen in the run (a replay's end, a take-over by an input). */
  private syncSessionState(): void {
    const run = this.run;
    const key = `${run?.mode}|${run?.recording ? 1 : 0}|${this.state.playing}`;
    if (key === this.sessionKey) return;
    this.sessionKey = key;
    const title = this.sceneTitle();
    this.title.text = run?.mode === 'replay' ? `REPLAY · ${title}` : this.replay ? `${title} · taken over from a replay` : title;
    this.sync();
  }

  private showStatus(): void {
    const s = this.status();
    this.page.replayBar.show(replayBarModel(s, this.replay));
    this.syncSessionState();
    this.page.status.show(statusFields(s, this.stats, (this.stats?.cappedFrames ?? 0) > 0, isNetwork(this.scene)));
  }

  // ── Recording, replay, drafts and exports ──────────────────────────────────────────────────

  /** The scene's name in file names: `izhikevich/B` → `izhikevich-B`. */
  private fileSceneName(): string {
    return (this.state.sceneId || 'recording').replace(/[^A-Za-z0-9_.-]+/g, '-');
  }

  private toggleRecording(on?: boolean): void {
    const recording = Boolean(this.run?.recording) || this.state.recordingStarting;
    const want = on ?? !recording;
    if (want && !recording) void this.startRecording(undefined);
    else if (!want && recording) void this.stopRecording();
  }

  /** Starts recording from the next step (in a replay: takes over, which records a fork). */
  private async startRecording(traces: boolean | undefined): Promise<void> {
    const run = this.run;
    if (!run || run.failed) {
      this.reportError(new Error('nothing runs to record (reset the scene)'));
      return;
    }
    if (run.mode === 'replay') return this.takeOver();
    if (run.recording || this.state.recordingStarting) return;
    if (traces !== undefined) this.dispatch({ kind: 'record-traces', on: traces });
    this.dispatch({ kind: 'recording-starting', on: true });
    this.sessionNotices.withdrawRecording();
    this.sync();
    try {
      await run.startRecording(this.state.recordTraces);
    } catch (error) {
      this.reportError(error);
    } finally {
      this.dispatch({ kind: 'recording-starting', on: false });
      this.sync();
      this.showStatus();
    }
  }

  /** Stops the recording in progress and offers its file; resolves to the recording (null when none ran). */
  private async stopRecording(object = false): Promise<Recording | null> {
    const run = this.run;
    if (!run || (!run.recording && !this.state.recordingStarting)) return null;
    try {
      const result = await run.stopRecording(this.fileSceneName(), object);
      if (!result) return null;
      this.sessionNotices.offerRecording(result.file, result.summary);
      return result.recording;
    } catch (error) {
      this.reportError(error);
      return null;
    } finally {
      this.sync();
      this.showStatus();
    }
  }

  /** The recording reached a limit a replay checks: it is stopped and offered (it holds everything up to there), and the banner says why. */
  private stopFullRecording(reason: string): void {
    this.stoppingFullRecording = true;
    this.dispatch({ kind: 'error', text: `LimitError: ${reason}` });
    this.page.banner.show('Recording stopped at a limit (the run goes on)', `${reason}. The file holds the recording up to there.`);
    void this.stopRecording().finally(() => (this.stoppingFullRecording = false));
  }

  /** A recording in progress is stopped (and offered) before the session it records is replaced. */
  private leaveRecording(): void {
    if (this.run?.recording || this.state.recordingStarting) void this.stopRecording();
  }

  /**
   * Replays a recording: a file's bytes (decoded, validated and verified in the worker), JSON
   * text or a recording object. A bad one is reported and the running session goes on untouched.
   */
  private async loadRecording(source: Blob | string | object, name?: string): Promise<ReplayResult | null> {
    try {
      const wire = await recordingSource(source);
      this.sessionNotices.showChecking(name);
      if (this.run?.recording || this.state.recordingStarting) await this.stopRecording();
      const next = this.engine.newSession();
      const info = await this.engine.call(this.run?.session ?? 0, 'replay', { next, source: wire, options: { loop: this.state.loop, probes: [] } });
      this.openReplay(next, info);
      return { identical: info.identical, message: info.message, digest: info.digest };
    } catch (error) {
      this.reportError(error);
      return null;
    } finally {
      this.sessionNotices.hideChecking();
    }
  }

  private async seek(step: number): Promise<void> {
    const run = this.run;
    if (!run || run.mode !== 'replay' || typeof step !== 'number' || !Number.isFinite(step)) {
      this.reportError(new InputError('seek', step, run?.mode === 'replay' ? 'a step number' : 'a step of a replay (open a recording first)'));
      return;
    }
    // Computes the window the views show before the step (at most a few advances' worth).
    const fill = Math.min(Math.round((this.state.timePerDivMs * 10) / this.scene.dtMs), 4 * maxStepsPerAdvance(this.scene));
    this.scope?.clear();
    this.raster?.clear();
    this.plane?.clear();
    await run.seek(step, fill);
    this.showStatus();
  }

  private async takeOver(): Promise<void> {
    const run = this.run;
    if (!run || run.mode !== 'replay') return;
    try {
      await run.takeOver();
    } catch (error) {
      this.reportError(error);
    }
    this.sync();
    this.showStatus();
  }

  private async findDraft(): Promise<void> {
    try {
      this.dispatch({ kind: 'draft', draft: await this.engine.call(0, 'find-draft', {}) });
    } catch {
      this.dispatch({ kind: 'draft', draft: null }); // no IndexedDB (a private window): nothing to offer
    }
    const draft = this.state.draft;
    if (!draft) return;
    this.sessionNotices.offerDraft(
      draft,
      () => this.handle({ kind: 'restore-draft' }),
      () => this.handle({ kind: 'discard-draft' }),
    );
  }

  /** Rebuilds the draft's output (in the worker) and opens it in replay mode, from where it can be downloaded or taken over. */
  private async restoreDraft(): Promise<void> {
    if (!this.state.draft) return;
    this.sessionNotices.showRestoring();
    try {
      if (this.run?.recording || this.state.recordingStarting) await this.stopRecording();
      const next = this.engine.newSession();
      const info = await this.engine.call(this.run?.session ?? 0, 'restore-draft', { next, options: { loop: this.state.loop, probes: [] } });
      this.dispatch({ kind: 'draft', draft: null });
      this.sessionNotices.hideDraft();
      this.openReplay(next, info);
    } catch (error) {
      this.sessionNotices.hideDraft();
      this.reportError(error);
    }
  }

  private async discardDraft(): Promise<void> {
    this.dispatch({ kind: 'draft', draft: null });
    this.sessionNotices.hideDraft();
    try {
      await this.engine.call(0, 'discard-draft', {});
    } catch (error) {
      this.reportError(error);
    }
  }

  /** An export as data (and, from the panel, as a download): see makeExport. */
  private async exportData(what: ExportKind, download = false): Promise<ExportResult | null> {
    // A network's synapses go into its PyNN script: the 100k network's takes a while to write.
    if (what === 'pynn' && download) this.page.notices.show('export', 'Writing the PyNN script…', [], { tone: 'good' });
    try {
      const file = await makeExport(what, {
        engine: this.engine,
        run: this.run,
        sceneName: this.fileSceneName(),
        pixi: this.pixi,
        render: () => this.render(),
      });
      if (download) downloadExport(what, file, file.steps * this.scene.dtMs, this.page.notices);
      return { name: file.name, source: file.source, mime: file.blob.type, text: file.text };
    } catch (error) {
      this.reportError(error);
      return null;
    }
  }

  reportError(error: unknown): void {
    const text = errorText(error);
    this.dispatch({ kind: 'error', text });
    // By name: errors from the engine worker arrive as plain Errors carrying their class's name.
    const name = error instanceof Error ? error.name : '';
    const kind =
      name === 'InputError'
        ? 'Invalid input (the run goes on)'
        : name === 'DivergenceError'
          ? 'Stopped (reset to run again)'
          : name === 'RecordingError'
            ? 'Bad recording file (the session goes on)'
            : name === 'ExportRefusal'
              ? 'Not exported (the session goes on)'
              : 'Error';
    this.page.banner.show(kind, error instanceof Error ? error.message : String(error));
    console.warn(text);
    this.showStatus();
  }

  private panelModel(): PanelModel {
    const scene = this.scene;
    const state = this.state;
    const params = this.run?.params ?? scene.params;
    const model = models[scene.model];
    return {
      scenes: sceneChoices(),
      sceneId: state.sceneId,
      description: scene.description ?? '',
      speeds: SPEEDS,
      galleries: galleries(),
      run: { playing: state.playing, speed: state.speed, loop: state.loop },
      modelTitle: model.title.split(':')[0]!,
      params: model.params.map((spec) => ({ spec, value: state.requestedParams[spec.name] ?? params[spec.name] ?? spec.default })),
      ...(scene.sweep ? { sweep: scene.sweep } : {}),
      stimulus: state.stimulusForm,
      stimulusSpecs: stimulusFormSpecs(scene.model),
      handSpecs: handSpecs(scene.model),
      hand: { ...state.hand, target: state.target },
      neurons: scene.neurons,
      scope: {
        mode: state.scopeMode,
        timePerDivMs: state.timePerDivMs,
        timePerDivOptions: TIME_PER_DIV.filter((t) => t <= (this.scope?.maxTimePerDivMs ?? Infinity)),
        lanes: this.scope?.lanesView() ?? [],
      },
      session: { recording: Boolean(this.run?.recording) || this.state.recordingStarting, keepTraces: state.recordTraces, replay: this.run?.mode === 'replay' },
    };
  }

  /** Shows current values in the panel; lays it out again when the scope's lanes changed. */
  private sync(): void {
    const model = this.panelModel();
    const lanes = model.scope.lanes.map((l) => l.key).join();
    if (lanes !== this.panelLanes) this.buildPanel(model);
    else this.panel.sync(model);
  }

  private buildPanel(model = this.panelModel()): void {
    this.panelLanes = model.scope.lanes.map((l) => l.key).join();
    this.panel.build(model);
  }
}
