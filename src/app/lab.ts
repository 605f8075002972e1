/**
 * The live lab page: one scene running in real time, its oscilloscope (and raster for
 * networks), the control panel, the keyboard and the status line. Every user action arrives
 * here as an Intent; the run itself lives in a LiveRun, whose session the engine worker computes:
 * this thread only paces it, draws its frames and shows its state.
 */
import { Container, Text, type Application } from 'pixi.js';
import type { Subscription } from 'rxjs';
import { parseEvent } from '../core/events.ts';
import { models } from '../core/models/index.ts';
import { channelName, type ProbeRef, type Scene } from '../core/scene.ts';
import { InputError } from '../core/schema.ts';
import type { Stats } from '../stream/stats.ts';
import { ControlPanel, type PanelModel } from '../ui/controls.ts';
import type { Intent, ScopeMode, StimulusForm } from '../ui/intents.ts';
import type { PageElements } from '../ui/page.ts';
import { Oscilloscope, type ScopeChannel } from '../view/oscilloscope.ts';
import { Raster } from '../view/raster.ts';
import { channelColor, theme } from '../view/theme.ts';
import { channelScale, isNetwork, loadScene, maxStepsPerAdvance, presentation, sceneChoices, SPEEDS, stimulusUnit, targetProbes, TIME_PER_DIV } from './catalog.ts';
import { EngineClient } from './engine-client.ts';
import { FrameTimer } from './frame-timer.ts';
import { LiveRun, type LiveFrame } from './live-run.ts';
import { errorText, type PageController, type PageStatus } from './page-controller.ts';
import { defaultStimulusForm, stimulusMaker } from './stimulus-form.ts';

/** Samples kept per scope channel: 2^18 (1 MB each). */
const SCOPE_HISTORY = 1 << 18;
const HEADER = 24;
const STATUS_INTERVAL_MS = 100;

export class Lab implements PageController {
  private readonly root = new Container();
  private readonly title: Text;
  private readonly panel: ControlPanel;
  private readonly timer = new FrameTimer();
  /** The engine worker: one for the page's lifetime, hosting the session of the current run. */
  private readonly engine: EngineClient;
  private scene!: Scene;
  private sceneId = '';
  private run: LiveRun | undefined;
  private subscriptions: Subscription[] = [];
  private scope: Oscilloscope | undefined;
  private raster: Raster | undefined;
  private target = 0;
  private playing = true;
  private speed = 1;
  private loop = true;
  private hand = { amplitude: 20, durationMs: 2 };
  private stimulusForm: StimulusForm = defaultStimulusForm(1);
  private scopeMode: ScopeMode = 'roll';
  private timePerDivMs = 10;
  private stats: Stats | undefined;
  private capped = false;
  private lastError: string | null = null;
  private renderQueued = false;
  /** When the frame being drawn arrived, and when its views started: the main thread's cost of a frame. */
  private frameTiming: { receivedAt: number; viewsAt: number } | undefined;
  /** Scope channel names, and how the traces of the latest channel set map onto them. */
  private scopeNames: string[] = [];
  private traceMap: { channels: LiveFrame['frame']['channels']; index: (number | undefined)[] } | undefined;
  private lastStatusAt = 0;
  private panelLanes = '';
  /** Parameter values asked for, shown in the panel before the run applies them (at its next step). */
  private requestedParams: Record<string, number> = {};

  constructor(
    private readonly pixi: Application,
    private readonly page: PageElements,
    private readonly populationSize?: number,
  ) {
    this.title = new Text({ text: '', style: { fontFamily: theme.fontFamily, fontSize: 13, fill: theme.text, fontWeight: 'bold' } });
    this.title.position.set(10, 5);
    pixi.stage.addChild(this.root, this.title);
    this.panel = new ControlPanel(page.panel, (intent) => this.handle(intent));
    this.engine = EngineClient.worker({ transfer: new URLSearchParams(window.location.search).get('transfer') === '1' });
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
    }
  }

  status(): PageStatus {
    const run = this.run;
    return {
      sceneId: this.sceneId,
      timeMs: run?.timeMs ?? 0,
      totalTimeMs: run?.totalTimeMs ?? 0,
      spikeCount: run?.spikeCount ?? 0,
      renderer: this.pixi.renderer.name,
      realtimeFactor: this.stats?.realtimeFactor ?? 0,
      fps: this.stats?.framesPerSecond ?? 0,
      playing: run?.playing ?? false,
      lastError: this.lastError,
      params: { ...(run?.params ?? {}) },
      dtMs: this.scene?.dtMs ?? 0,
      target: this.target,
      neurons: this.scene?.neurons ?? 0,
    };
  }

  frameProfile(): { totalMs: number[]; simMs: number[]; viewMs: number[] } {
    return this.timer.recent();
  }

  /** Lays the views out for the canvas size. */
  layout(): void {
    const { width, height } = this.pixi.screen;
    if (this.raster && this.scope) {
      const rasterHeight = Math.round((height - HEADER) * 0.52);
      this.raster.setArea(0, HEADER, width, rasterHeight);
      this.scope.setArea(0, HEADER + rasterHeight + 6, width, height - HEADER - rasterHeight - 6);
    } else {
      this.scope?.setArea(0, HEADER, width, height - HEADER);
    }
    this.invalidate();
  }

  private apply(intent: Intent): void {
    const run = this.run;
    switch (intent.kind) {
      case 'load-scene':
        this.load(intent.id, false);
        return;
      case 'open-gallery':
        window.location.search = '?view=gallery';
        return;
      case 'reset':
        this.load(this.sceneId, true);
        return;
      case 'shortcuts':
        this.page.shortcuts.toggle(intent.show);
        return;
      case 'scope-mode':
        this.scopeMode = intent.mode;
        this.scope?.setMode(intent.mode);
        break;
      case 'time-per-div':
        this.setTimePerDiv(intent.ms);
        break;
      case 'lane':
        this.scope?.setLaneRange(intent.key, intent);
        break;
      case 'raster-full-view':
        this.raster?.resetView();
        break;
      case 'pick':
        this.pick(intent.neuron);
        break;
      case 'hand':
        this.hand = { amplitude: intent.amplitude, durationMs: intent.durationMs };
        return;
      default:
        if (!run) return;
        this.applyToRun(run, intent);
    }
    this.sync();
    this.invalidate();
  }

  private applyToRun(run: LiveRun, intent: Intent): void {
    switch (intent.kind) {
      case 'play':
        run.play();
        break;
      case 'pause':
        run.pause();
        break;
      case 'toggle-play':
        run.toggle();
        break;
      case 'step':
        run.step(intent.steps);
        break;
      case 'speed':
        run.setSpeed(intent.speed);
        this.speed = run.speed;
        break;
      case 'loop':
        run.loop = this.loop = intent.on;
        break;
      case 'set-param':
        run.setParam(intent.name, intent.value);
        this.requestedParams[intent.name] = intent.value;
        break;
      case 'stimulus': {
        const make = stimulusMaker(intent.form, this.scene, this.target);
        this.stimulusForm = { ...intent.form };
        run.setStimulus(make);
        break;
      }
      case 'pulse': {
        const neuron = intent.neuron ?? this.target;
        const amplitude = intent.amplitude ?? this.hand.amplitude;
        const durationMs = intent.durationMs ?? this.hand.durationMs;
        const event = parseEvent({ kind: 'pulse', step: 0, amplitude, durationMs, ...this.targets(neuron) }, this.scene.model, this.scene.neurons, 'pulse');
        if (event.kind === 'pulse') run.pulse(event.amplitude, event.durationMs, event.targets);
        break;
      }
      case 'hold': {
        const amplitude = intent.amplitude ?? this.hand.amplitude;
        const event = parseEvent({ kind: 'hold', step: 0, amplitude, ...this.targets(this.target) }, this.scene.model, this.scene.neurons, 'hold');
        if (event.kind === 'hold') run.hold(event.amplitude, event.targets);
        break;
      }
      case 'release':
        run.release();
        break;
    }
    this.playing = run.playing;
  }

  private targets(neuron: number): { targets?: number[] } {
    return isNetwork(this.scene) ? { targets: [neuron] } : neuron === 0 ? {} : { targets: [neuron] };
  }

  private load(id: string, reset: boolean): void {
    const scene = loadScene(id, this.populationSize);
    this.subscriptions.forEach((s) => s.unsubscribe());
    this.subscriptions = [];
    this.run?.dispose();
    for (const child of this.root.removeChildren()) child.destroy({ children: true });
    this.scene = scene;
    this.sceneId = id;
    const look = presentation(scene);
    if (!reset) {
      this.speed = look.speed;
      this.timePerDivMs = look.timePerDivMs;
      this.hand = { ...look.hand };
      this.playing = true;
      this.scopeMode = 'roll';
      this.target = 0;
    }
    this.stimulusForm = defaultStimulusForm(this.hand.amplitude);
    this.target = Math.min(this.target, scene.neurons - 1);
    this.lastError = null;
    this.requestedParams = {};
    this.page.banner.hide();
    this.stats = undefined;
    this.timer.clear();

    const extraProbes = targetProbes(scene, this.target);
    const probes = [...scene.probes, ...extraProbes];
    const scope = new Oscilloscope(scene.dtMs, SCOPE_HISTORY);
    scope.setChannels(this.scopeChannels(probes));
    scope.setTimePerDiv(this.timePerDivMs);
    this.timePerDivMs = scope.timePerDivMs;
    scope.setMode(this.scopeMode);
    scope.setTriggerNeuron(this.target);
    scope.onLanesChanged = () => this.sync();
    this.scope = scope;
    this.root.addChild(scope.container);
    this.raster = undefined;
    if (isNetwork(scene)) {
      const raster = new Raster(scene.neurons);
      raster.setWindowMs(this.timePerDivMs * 10);
      raster.setPicked(this.target);
      raster.onPick = (neuron) => this.handle({ kind: 'pick', neuron });
      raster.onInvalidate = () => this.invalidate();
      this.raster = raster;
      this.root.addChild(raster.container);
    }
    const title = scene.title ?? id;
    this.title.text = isNetwork(scene) && !title.includes('neurons') ? `${title} · ${scene.neurons} neurons` : title;

    const session = this.engine.newSession();
    const run = new LiveRun(this.engine, session, scene, { playing: this.playing, speed: this.speed, loop: this.loop, maxStepsPerAdvance: maxStepsPerAdvance(scene) }, { open: { loop: this.loop, probes: extraProbes } });
    this.run = run;
    this.subscriptions.push(
      run.frames$.subscribe((live) => this.onFrame(live)),
      run.errors$.subscribe((error) => {
        this.reportError(error);
        this.playing = false;
        this.sync();
      }),
      run.rejections$.subscribe((error) => this.reportError(error)),
    );
    if (!reset) {
      const url = new URL(window.location.href);
      url.searchParams.set('scene', id);
      url.searchParams.delete('view');
      window.history.replaceState(null, '', url);
    }
    this.buildPanel();
    this.layout();
  }

  private scopeChannels(probes: readonly ProbeRef[]): ScopeChannel[] {
    const seen = new Map<string, number>();
    this.scopeNames = probes.map((probe) => channelName(this.scene, probe));
    this.traceMap = undefined;
    return probes.map((probe) => {
      const occurrence = seen.get(probe.variable) ?? 0;
      seen.set(probe.variable, occurrence + 1);
      const scale = channelScale(this.scene, probe.variable, probe.neuron);
      return {
        name: channelName(this.scene, probe),
        variable: probe.variable,
        neuron: probe.neuron,
        unit: scale.unit,
        color: channelColor(probe.variable, occurrence),
        lane: scale.lane,
        range: scale.range,
        autoScale: scale.autoScale,
      };
    });
  }

  private pick(neuron: number): void {
    if (!Number.isInteger(neuron) || neuron < 0 || neuron >= this.scene.neurons) {
      throw new InputError('neuron', neuron, `a neuron index from 0 to ${this.scene.neurons - 1}`);
    }
    this.target = neuron;
    const extraProbes = targetProbes(this.scene, neuron);
    this.run?.setExtraProbes(extraProbes);
    this.scope?.setChannels(this.scopeChannels([...this.scene.probes, ...extraProbes]));
    this.scope?.setTriggerNeuron(neuron);
    this.raster?.setPicked(neuron);
    if (this.stimulusForm.kind !== 'protocol' && this.stimulusForm.drive === 'target') this.run?.setStimulus(stimulusMaker(this.stimulusForm, this.scene, neuron));
    if (this.run?.holding) this.run.hold(this.hand.amplitude, this.targets(neuron).targets);
  }

  private setTimePerDiv(ms: number): void {
    if (!this.scope) return;
    this.scope.setTimePerDiv(ms);
    this.timePerDivMs = this.scope.timePerDivMs;
    this.raster?.setWindowMs(this.timePerDivMs * 10);
  }

  private onFrame({ frame, stats, jump, receivedAt }: LiveFrame): void {
    const viewsAt = performance.now();
    this.stats = stats;
    this.capped = stats.cappedFrames > 0;
    if (jump) {
      // A seek: the views start over from the frame's first step.
      this.scope?.clear();
      this.raster?.clear();
    }
    this.scope?.push({ ...frame, traces: this.scopeTraces(frame) });
    this.raster?.push(frame.spikes, (frame.firstStep + frame.steps) * frame.dtMs);
    this.frameTiming ??= { receivedAt, viewsAt };
    this.invalidate();
  }

  /**
   * The frame's traces in the scope's channel order. A frame computed before a change of probes
   * (a neuron picked while it was in flight) has the old channels: they are matched by name.
   */
  private scopeTraces(frame: LiveFrame['frame']): (Float64Array | undefined)[] {
    const channels = frame.channels;
    if (this.traceMap?.channels !== channels) {
      const same = channels.length === this.scopeNames.length && channels.every((c, i) => c.name === this.scopeNames[i]);
      this.traceMap = { channels, index: this.scopeNames.map((name, i) => (same ? i : channels.findIndex((c) => c.name === name))).map((i) => (i !== undefined && i >= 0 ? i : undefined)) };
    }
    return this.traceMap.index.map((i) => (i === undefined ? undefined : frame.traces[i]));
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
    this.pixi.render();
    const end = performance.now();
    const run = this.run;
    const timing = this.frameTiming;
    if (timing) {
      // Main-thread JS of a frame: reading the engine's message (and the stats), then views and render submission.
      this.frameTiming = undefined;
      this.timer.record(end - timing.receivedAt, timing.viewsAt - timing.receivedAt, end - timing.viewsAt);
    }
    if (end - this.lastStatusAt > STATUS_INTERVAL_MS || !run?.playing) {
      this.lastStatusAt = end;
      this.showStatus();
    }
  }

  private showStatus(): void {
    const s = this.status();
    this.page.status.show({
      scene: s.sceneId,
      timeMs: s.timeMs,
      realtimeFactor: s.playing ? s.realtimeFactor : 0,
      fps: s.playing ? s.fps : 0,
      spikeCount: s.spikeCount,
      rateHz: this.stats?.rateHz ?? 0,
      playing: s.playing,
      capped: s.playing && this.capped,
      ...(isNetwork(this.scene) ? { target: this.target } : {}),
    });
  }

  reportError(error: unknown): void {
    const text = errorText(error);
    this.lastError = text;
    // By name: errors from the engine worker arrive as plain Errors carrying their class's name.
    const name = error instanceof Error ? error.name : '';
    const kind = name === 'InputError' ? 'Invalid input (the run goes on)' : name === 'DivergenceError' ? 'Stopped (reset to run again)' : name === 'RecordingError' ? 'Bad recording (the session goes on)' : 'Error';
    this.page.banner.show(kind, error instanceof Error ? error.message : String(error));
    console.warn(text);
    this.showStatus();
  }

  private panelModel(): PanelModel {
    const scene = this.scene;
    const params = this.run?.params ?? scene.params;
    const model = models[scene.model];
    return {
      scenes: sceneChoices(),
      sceneId: this.sceneId,
      description: scene.description ?? '',
      speeds: SPEEDS,
      run: { playing: this.run?.playing ?? this.playing, speed: this.speed, loop: this.loop },
      modelTitle: model.title.split(':')[0]!,
      params: model.params.map((spec) => ({ spec, value: this.requestedParams[spec.name] ?? params[spec.name] ?? spec.default })),
      ...(scene.sweep ? { sweep: scene.sweep } : {}),
      stimulus: this.stimulusForm,
      stimulusUnit: stimulusUnit(scene.model),
      hand: { ...this.hand, target: this.target },
      neurons: scene.neurons,
      scope: {
        mode: this.scopeMode,
        timePerDivMs: this.timePerDivMs,
        timePerDivOptions: TIME_PER_DIV.filter((t) => t <= (this.scope?.maxTimePerDivMs ?? Infinity)),
        lanes: this.scope?.lanesView() ?? [],
      },
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
