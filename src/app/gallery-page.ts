/**
 * The gallery page (`?view=gallery&model=<id>`, izhikevich by default): the scenes of a model
 * side by side (the 20 Izhikevich presets, the 8 AdEx patterns), each running its own looping
 * simulation of v and its stimulus at the same speed, in one Pixi canvas. Clicking a panel opens
 * that scene in the lab. What a gallery says comes from its model file (presentation.gallery).
 *
 * The panels stay in the main thread (an in-thread engine behind the same client as the
 * lab's worker): each is one neuron at 0.1× real time, a few steps per frame, and all of them
 * together cost ~0.2 ms of simulation per frame — less than posting 20 frames across threads
 * would; the gallery records nothing, so it needs none of the worker's session machinery.
 */
import { Text, type Application } from 'pixi.js';
import { Subscription } from 'rxjs';
import { stepCount } from '../core/scene.ts';
import { InputError } from '../core/schema.ts';
import { captionText, type Caption } from './captions.ts';
import { models, MODEL_IDS, type ModelId } from '../core/models/index.ts';
import type { Intent } from '../ui/intents.ts';
import type { PageElements } from '../ui/page.ts';
import GUI from 'lil-gui';
import { drawingOf } from '../view/drawing.ts';
import { Gallery } from '../view/gallery.ts';
import { theme } from '../view/theme.ts';
import { loadScene, maxStepsPerFrame, SPEEDS, stimulusExtent } from './catalog.ts';
import { EngineClient } from '../engine/client.ts';
import { FrameTimer } from './frame-timer.ts';
import type { LiveRun } from '../engine/live-run.ts';
import { pageClock, startRun } from './pipeline.ts';
import { clampSpeed } from '../stream/realtime.ts';
import { errorText, type PageController, type PageStatus } from './page-controller.ts';

/** The models that have a gallery (their model file gives presentation.gallery). */
export const GALLERY_MODELS = MODEL_IDS.filter((id) => models[id].presentation.gallery);

const HEADER = 24;

export class GalleryPage implements PageController {
  private readonly gallery: Gallery;
  private readonly runs: LiveRun[];
  /** Each preset's clock; their play and speed follow `playing` and `controls.speed`, held here once. */
  private readonly clocks: ReturnType<typeof pageClock>[];
  private readonly subscription: Subscription;
  private readonly timer = new FrameTimer();
  private readonly controls = { speed: 0.1, play: (): void => {}, lab: (): void => {} };
  private playing = true;
  private fps = 0;
  private lastError: string | null = null;
  private renderQueued = false;
  private frameStart = 0;
  private simulatedMs = 0;
  private lastStatusAt = 0;

  private readonly caption: Caption;
  private readonly statusText: string;

  constructor(
    private readonly pixi: Application,
    private readonly page: PageElements,
    modelId = 'izhikevich',
  ) {
    if (!(GALLERY_MODELS as string[]).includes(modelId)) throw new InputError('model', modelId, `a model with a gallery: ${GALLERY_MODELS.join(', ')}`);
    const model = models[modelId as ModelId];
    const about = model.presentation.gallery!;
    this.caption = { see: about.see, protocol: about.protocol, tries: [...about.tries] };
    this.statusText = about.status;
    page.caption.show(this.caption);
    page.caption.onShortcuts = () => this.handle({ kind: 'shortcuts' });
    const first = model.probes[0]!.name;
    const scenes = model.scenes.map(({ id }) => {
      const scene = loadScene(id);
      scene.probes = [
        { variable: first, neuron: 0 },
        { variable: 'iExt', neuron: 0 },
      ];
      return scene;
    });
    this.gallery = new Gallery(
      scenes.map((scene) => {
        const [lo, hi] = stimulusExtent(scene.stimulus, scene);
        const pad = Math.max(1e-3, (hi - lo) * 0.1);
        return { sceneId: scene.id!, label: scene.title!.replace(`${about.name} `, ''), steps: stepCount(scene), vRange: [...about.vRange] as [number, number], stimulusRange: [Math.min(lo, 0) - pad, Math.max(hi, 0) + pad] as [number, number] };
      }),
      drawingOf(pixi.renderer),
    );
    this.gallery.onOpen = (id) => {
      window.location.search = `?scene=${encodeURIComponent(id)}`;
    };
    const title = new Text({
      text: `${about.title} · click one to open it`,
      style: { fontFamily: theme.fontFamily, fontSize: 13, fill: theme.text, fontWeight: 'bold' },
    });
    title.position.set(10, 5);
    pixi.stage.addChild(this.gallery.container, title);
    this.clocks = scenes.map(() => pageClock({ playing: this.playing, speed: this.controls.speed }));
    this.runs = scenes.map((scene, index) => {
      const engine = EngineClient.local();
      return startRun(engine, engine.newSession(), scene, this.clocks[index]!, { loop: true, maxStepsPerAdvance: maxStepsPerFrame(scene) }, { open: { loop: true, probes: [] } });
    });
    this.subscription = new Subscription();
    this.runs.forEach((run, index) => {
      this.subscription.add(
        run.frames$.subscribe(({ frame, stats, passStarts, receivedAt, computeMs }) => {
          // The simulation ran in this thread, just before its frame arrived.
          if (this.frameStart === 0) this.frameStart = receivedAt - computeMs;
          this.simulatedMs += computeMs;
          if (index === 0) this.fps = stats.framesPerSecond;
          // Each pass of the protocol in the frame goes to its place in the panel.
          const v = frame.traces[0]!;
          const input = frame.traces[1]!;
          const end = frame.firstStep + frame.steps;
          passStarts.forEach((start, k) => {
            const from = Math.max(start, frame.firstStep);
            const to = passStarts[k + 1] ?? end;
            if (to > from) this.gallery.push(index, from - start, to - from, v.subarray(from - frame.firstStep, to - frame.firstStep), input.subarray(from - frame.firstStep, to - frame.firstStep));
          });
          this.invalidate();
        }),
      );
    });
    this.gallery.onInvalidate = () => this.invalidate();
    for (const run of this.runs) run.errors$.subscribe((e) => this.reportError(e));

    const gui = new GUI({ container: page.panel, title: `${about.name} gallery`, width: 300, injectStyles: false });
    this.controls.play = () => this.handle({ kind: 'toggle-play' });
    this.controls.lab = () => this.handle({ kind: 'load-scene', id: scenes[0]!.id! });
    gui.add(this.controls, 'play').name('❚❚ pause / ▶ play  [Space]');
    gui.add(this.controls, 'speed', Object.fromEntries(SPEEDS.map((s) => [`${s}×`, s]))).name('speed (× real time)').onChange((speed: number) => this.handle({ kind: 'speed', speed }));
    gui.add(this.controls, 'lab').name('← back to the lab');
    const note = document.createElement('p');
    note.className = 'gallery-note';
    note.textContent = about.note;
    page.panel.appendChild(note);
  }

  layout(): void {
    const { width, height } = this.pixi.screen;
    this.gallery.setArea(0, HEADER, width, height - HEADER);
    this.invalidate();
  }

  handle(intent: Intent): void {
    try {
      switch (intent.kind) {
        case 'toggle-play':
        case 'play':
        case 'pause':
          this.playing = intent.kind === 'toggle-play' ? !this.playing : intent.kind === 'play';
          for (const clock of this.clocks) clock.control$.next({ kind: this.playing ? 'play' : 'pause' });
          break;
        case 'speed':
          this.controls.speed = clampSpeed(intent.speed);
          for (const clock of this.clocks) clock.control$.next({ kind: 'speed', speed: this.controls.speed });
          break;
        case 'load-scene':
          loadScene(intent.id);
          window.location.search = `?scene=${encodeURIComponent(intent.id)}`;
          break;
        case 'shortcuts':
          this.page.shortcuts.toggle(intent.show);
          break;
        case 'caption':
          this.page.caption.toggle(intent.open);
          break;
        case 'open-gallery':
          break;
        default:
          throw new InputError('action', intent.kind, 'one of play, pause, speed, loadScene in the gallery (open a scene for the rest)');
      }
    } catch (error) {
      this.reportError(error);
    }
  }

  status(): PageStatus {
    return {
      sceneId: 'gallery',
      timeMs: this.runs[0]?.timeMs ?? 0,
      totalTimeMs: this.runs[0]?.timeMs ?? 0,
      spikeCount: this.runs.reduce((sum, run) => sum + run.spikeCount, 0),
      renderer: this.pixi.renderer.name,
      realtimeFactor: this.playing ? this.controls.speed : 0,
      fps: this.playing ? this.fps : 0,
      playing: this.playing,
      lastError: this.lastError,
      params: {},
      dtMs: this.runs[0]?.scene.dtMs ?? 0,
      target: 0,
      neurons: this.runs.length,
      mode: 'live',
      recording: null,
      replay: null,
      draft: null,
      threads: 1,
      wasm: false,
      caption: captionText(this.caption),
      warnings: [],
    };
  }

  frameProfile(): { totalMs: number[]; simMs: number[]; viewMs: number[] } {
    return this.timer.recent();
  }

  reportError(error: unknown): void {
    this.lastError = errorText(error);
    this.page.banner.show(error instanceof InputError ? 'Invalid input' : 'Error', error instanceof Error ? error.message : String(error));
  }

  private invalidate(): void {
    if (this.renderQueued) return;
    this.renderQueued = true;
    queueMicrotask(() => this.render());
  }

  private render(): void {
    this.renderQueued = false;
    const before = performance.now();
    this.gallery.draw();
    this.pixi.render();
    const end = performance.now();
    if (this.frameStart > 0) {
      this.timer.record(end - this.frameStart, this.simulatedMs, end - before);
      this.frameStart = 0;
      this.simulatedMs = 0;
    }
    if (end - this.lastStatusAt > 100) {
      this.lastStatusAt = end;
      const s = this.status();
      this.page.status.show({ scene: this.statusText, timeMs: s.timeMs, totalTimeMs: s.totalTimeMs, warnings: [], realtimeFactor: s.realtimeFactor, fps: s.fps, spikeCount: s.spikeCount, playing: s.playing, capped: false, threads: 1 });
    }
  }

  dispose(): void {
    this.subscription.unsubscribe();
    for (const run of this.runs) run.dispose();
  }
}

