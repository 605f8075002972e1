/**
 * The page around the canvas: the layout (stage, a resizable and collapsible control panel on
 * the right, replay bar and status line at the bottom), the scene's caption over the views, the
 * error banner and notices with actions (a recording to download, a draft to restore) — both
 * in the flow above the canvas, so that they never cover a lane's label — the shortcuts overlay,
 * the file picker and drag-and-drop of recordings. Text only ever goes in through textContent —
 * names and messages from a loaded file included.
 */
import type { Intent } from './intents.ts';
import { SHORTCUTS } from './keyboard.ts';

export interface PageElements {
  root: HTMLElement;
  stage: HTMLElement;
  canvasHost: HTMLElement;
  panel: HTMLElement;
  caption: CaptionBox;
  status: StatusLine;
  banner: ErrorBanner;
  notices: Notices;
  replayBar: ReplayBar;
  shortcuts: ShortcutsOverlay;
  /** The hidden `<input type=file>` behind "open recording…" (class `recording-file`). */
  filePicker: HTMLInputElement;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, parent?: HTMLElement): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  el.className = className;
  parent?.appendChild(el);
  return el;
}

export function createPage(root: HTMLElement): PageElements {
  root.replaceChildren();
  root.classList.add('lab');
  const stage = element('main', 'stage', root);
  const captionElement = element('section', 'caption', stage);
  const banners = element('div', 'banners', stage);
  const canvasArea = element('div', 'canvas-area', stage);
  const canvasHost = element('div', 'canvas-host', canvasArea);
  const handle = element('div', 'panel-handle', root);
  const panel = element('aside', 'panel', root);
  bindPanelHandle(root, handle);
  const replayElement = element('section', 'replay-bar', root);
  const statusElement = element('footer', 'status', root);
  const filePicker = element('input', 'recording-file', root);
  filePicker.type = 'file';
  filePicker.accept = '.gz,.json,application/gzip,application/json';
  filePicker.hidden = true;
  const drop = element('div', 'drop-hint', canvasArea);
  drop.textContent = 'Drop a Spikescope scene (.json) to run it, or a recording (.json.gz or .json) to replay it';
  drop.hidden = true;
  return {
    root,
    stage,
    canvasHost,
    panel,
    caption: new CaptionBox(captionElement),
    status: new StatusLine(statusElement),
    banner: new ErrorBanner(banners),
    notices: new Notices(banners),
    replayBar: new ReplayBar(replayElement),
    shortcuts: new ShortcutsOverlay(canvasArea),
    filePicker,
  };
}

const PANEL_MIN = 220;
const PANEL_MAX = 720;

/**
 * The panel's edge: drag it to resize the panel (220 … 720 px), click its button (or
 * double-click the edge) to collapse the panel to the edge and open it again.
 */
function bindPanelHandle(root: HTMLElement, handle: HTMLElement): void {
  handle.title = 'drag to resize the panel; click ‹ › to hide or show it';
  const toggle = element('button', 'panel-toggle', handle);
  toggle.type = 'button';
  const show = (): void => {
    const collapsed = root.classList.contains('panel-collapsed');
    toggle.textContent = collapsed ? '‹' : '›';
    toggle.title = collapsed ? 'show the panel' : 'hide the panel';
  };
  const setCollapsed = (on: boolean): void => {
    root.classList.toggle('panel-collapsed', on);
    show();
  };
  toggle.addEventListener('click', () => setCollapsed(!root.classList.contains('panel-collapsed')));
  handle.addEventListener('dblclick', () => setCollapsed(!root.classList.contains('panel-collapsed')));
  handle.addEventListener('pointerdown', (e) => {
    if (e.target === toggle || root.classList.contains('panel-collapsed')) return;
    e.preventDefault();
    handle.setPointerCapture(e.pointerId);
    const move = (m: PointerEvent): void => {
      const width = Math.round(Math.min(PANEL_MAX, Math.max(PANEL_MIN, root.clientWidth - m.clientX)));
      root.style.setProperty('--panel-width', `${width}px`);
    };
    const up = (): void => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  });
  show();
}

/**
 * The scene's caption above the views: what you see, the protocol, two things to try, and the
 * `?` key advertised. Open by default; its header collapses it to one line.
 */
export class CaptionBox {
  private readonly body: HTMLElement;
  private readonly toggleButton: HTMLButtonElement;
  private readonly lines: HTMLElement[];

  constructor(
    private readonly element: HTMLElement,
    onShortcuts: () => void = () => {},
  ) {
    element.setAttribute('aria-label', 'about this scene');
    const header = element.appendChild(Object.assign(document.createElement('div'), { className: 'caption-header' }));
    this.toggleButton = header.appendChild(Object.assign(document.createElement('button'), { className: 'caption-toggle', type: 'button' }));
    this.toggleButton.addEventListener('click', () => this.toggle());
    const keys = header.appendChild(Object.assign(document.createElement('button'), { className: 'caption-keys', type: 'button', textContent: 'press ? for keys and mouse' }));
    keys.addEventListener('click', () => this.onShortcuts());
    this.onShortcuts = onShortcuts;
    this.body = element.appendChild(Object.assign(document.createElement('div'), { className: 'caption-body' }));
    this.lines = ['What you see', 'Protocol', 'Try'].map((label) => {
      const line = this.body.appendChild(Object.assign(document.createElement('p'), { className: 'caption-line' }));
      line.appendChild(Object.assign(document.createElement('b'), { textContent: `${label}: ` }));
      return line.appendChild(document.createElement('span'));
    });
    this.toggle(true);
  }

  onShortcuts: () => void;

  show(caption: { see: string; protocol: string; tries: [string, string] }): void {
    const texts = [caption.see, caption.protocol, `1) ${caption.tries[0]}  2) ${caption.tries[1]}`];
    this.lines.forEach((line, i) => setText(line, texts[i]!));
  }

  toggle(open = this.body.hidden): void {
    this.body.hidden = !open;
    this.element.classList.toggle('collapsed', !open);
    this.toggleButton.textContent = open ? '▾ About this scene' : '▸ About this scene';
    this.toggleButton.title = open ? 'hide the caption' : 'show what you see, the protocol and what to try';
  }

  get open(): boolean {
    return !this.body.hidden;
  }
}

/**
 * Recordings given by the file picker or dropped on the page become `load-recording` intents.
 * Returns a function that stops listening.
 */
export function bindRecordingFiles(page: PageElements, target: Window, emit: (intent: Intent) => void): () => void {
  const hint = page.stage.querySelector<HTMLElement>('.drop-hint');
  const hasFiles = (e: DragEvent): boolean => Array.from(e.dataTransfer?.types ?? []).includes('Files');
  const onPick = (): void => {
    const file = page.filePicker.files?.[0];
    if (file) emit({ kind: 'load-recording', source: file, name: file.name });
    page.filePicker.value = '';
  };
  const onDragOver = (e: DragEvent): void => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    if (hint) hint.hidden = false;
  };
  const onDragLeave = (e: DragEvent): void => {
    if (hint && (e.relatedTarget === null || !page.root.contains(e.relatedTarget as Node))) hint.hidden = true;
  };
  const onDrop = (e: DragEvent): void => {
    if (hint) hint.hidden = true;
    const file = e.dataTransfer?.files?.[0];
    if (!file) return;
    e.preventDefault();
    emit({ kind: 'load-recording', source: file, name: file.name });
  };
  page.filePicker.addEventListener('change', onPick);
  target.addEventListener('dragover', onDragOver);
  target.addEventListener('dragleave', onDragLeave);
  target.addEventListener('drop', onDrop);
  return () => {
    page.filePicker.removeEventListener('change', onPick);
    target.removeEventListener('dragover', onDragOver);
    target.removeEventListener('dragleave', onDragLeave);
    target.removeEventListener('drop', onDrop);
  };
}

export interface StatusFields {
  scene: string;
  /** Simulated time since the scene was opened (step × dt: the time base of every message). */
  totalTimeMs: number;
  /** Time in the current pass of a looping protocol (shown when it differs from the total). */
  timeMs: number;
  /** The run left the model's meaningful range: what and how to get back. */
  warnings: readonly string[];
  realtimeFactor: number;
  fps: number;
  spikeCount: number;
  /** Mean firing rate per neuron (left out where it means nothing). */
  rateHz?: number;
  playing: boolean;
  capped: boolean;
  /** Threads computing the simulation (shown when more than one). */
  threads: number;
  /** The simulation's hot loop runs in WebAssembly (shown). */
  wasm?: boolean;
  target?: number;
  /** A recording in progress, or a replay. */
  session?: { kind: 'rec'; timeMs: number; events: number; forked: boolean } | { kind: 'replay'; identical: boolean };
}

export class StatusLine {
  private readonly fields: Record<string, HTMLSpanElement> = {};
  private readonly slow: HTMLSpanElement;

  constructor(private readonly element: HTMLElement) {
    for (const name of ['state', 'mode', 'scene', 'time', 'speed', 'fps', 'spikes', 'rate', 'threads', 'target', 'warning']) {
      this.fields[name] = element.appendChild(Object.assign(document.createElement('span'), { className: `status-${name}` }));
    }
    this.slow = element.appendChild(Object.assign(document.createElement('span'), { className: 'status-slow', textContent: 'slower than real time' }));
    this.slow.hidden = true;
    this.slow.title = 'the per-frame step cap is hit: the simulation falls behind the chosen speed';
  }

  show(s: StatusFields): void {
    this.set('state', s.playing ? '▶ running' : '❚❚ paused');
    this.set('scene', s.scene);
    this.set('time', `t = ${formatTime(s.totalTimeMs)}${s.timeMs !== s.totalTimeMs ? ` · pass ${formatTime(s.timeMs)}` : ''}`);
    this.set('warning', s.warnings.length ? `⚠ ${s.warnings.join(' · ')}` : '');
    this.fields.warning!.hidden = s.warnings.length === 0;
    this.set('speed', `${s.realtimeFactor.toFixed(s.realtimeFactor < 1 ? 3 : 2)}× real time`);
    this.set('fps', `${s.fps.toFixed(0)} fps`);
    this.set('spikes', `${s.spikeCount} spikes`);
    this.set('rate', s.rateHz === undefined ? '' : `${s.rateHz.toFixed(1)} Hz/neuron`);
    this.set('threads', [s.threads > 1 ? `${s.threads} threads` : '', s.wasm ? 'WebAssembly' : ''].filter(Boolean).join(' · '));
    this.set('target', s.target === undefined ? '' : `target neuron ${s.target}`);
    const session = s.session;
    this.set(
      'mode',
      !session ? '' : session.kind === 'rec' ? `● REC${session.forked ? ' (forked)' : ''} ${formatTime(session.timeMs)} · ${session.events} event${session.events === 1 ? '' : 's'}` : `REPLAY ${session.identical ? '✓' : '✗ NOT identical'}`,
    );
    const mode = this.fields.mode!;
    mode.hidden = !session;
    mode.classList.toggle('rec', session?.kind === 'rec');
    mode.classList.toggle('replay', session?.kind === 'replay');
    mode.classList.toggle('bad', session?.kind === 'replay' && !session.identical);
    this.slow.hidden = !s.capped;
    this.element.classList.toggle('paused', !s.playing);
  }

  /** The status line's text, as a person reads it. */
  get text(): string {
    return this.element.textContent ?? '';
  }

  private set(name: string, text: string): void {
    const field = this.fields[name]!;
    if (field.textContent !== text) field.textContent = text;
  }
}

export function formatTime(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(2)} ms`;
}

/** A visible message over the stage, for divergence and invalid input. */
export class ErrorBanner {
  private readonly element: HTMLDivElement;
  private readonly text: HTMLSpanElement;

  constructor(parent: HTMLElement) {
    this.element = element('div', 'error-banner', parent);
    this.element.setAttribute('role', 'alert');
    this.element.hidden = true;
    this.text = element('span', 'error-text', this.element);
    const close = element('button', 'error-close', this.element);
    close.textContent = '×';
    close.title = 'dismiss';
    close.addEventListener('click', () => this.hide());
  }

  show(kind: string, message: string): void {
    this.text.textContent = `${kind}: ${message}`;
    this.element.hidden = false;
  }

  hide(): void {
    this.element.hidden = true;
  }

  get message(): string | undefined {
    return this.element.hidden ? undefined : (this.text.textContent ?? undefined);
  }
}

export interface NoticeAction {
  label: string;
  /** A button that runs this… */
  run?: () => void;
  /** …or a link that downloads this URL under this name. */
  href?: string;
  download?: string;
  /** Stable hook for tests and scripts (`data-action`). */
  id: string;
  /** The notice's job is done once this action is used: it leaves (after `doneAfterMs`, default 1.5 s). */
  done?: boolean;
}

/**
 * Calm messages over the stage, each with its actions (restore / discard a draft, download a
 * recording) and a close button; one per key, a new one with the same key replaces it.
 */
export class Notices {
  private readonly shown = new Map<string, { element: HTMLElement; onClose: (() => void) | undefined }>();

  constructor(private readonly parent: HTMLElement) {}

  /** `hideAfterMs`: a notice that only informs goes away by itself. */
  show(key: string, text: string, actions: NoticeAction[] = [], options: { tone?: 'info' | 'good'; onClose?: () => void; hideAfterMs?: number } = {}): void {
    this.hide(key);
    const notice = element('div', `notice notice-${options.tone ?? 'info'}`, this.parent);
    notice.dataset.notice = key;
    notice.setAttribute('role', 'status');
    element('span', 'notice-text', notice).textContent = text;
    for (const action of actions) {
      const control = action.href ? element('a', 'notice-action', notice) : element('button', 'notice-action', notice);
      control.textContent = action.label;
      control.dataset.action = action.id;
      if (control instanceof HTMLAnchorElement) {
        control.href = action.href!;
        if (action.download) control.download = action.download;
      }
      if (action.run) control.addEventListener('click', action.run);
      // Later than the click's own work (a download reads its URL first).
      if (action.done) control.addEventListener('click', () => setTimeout(() => this.shown.get(key)?.element === notice && this.hide(key), 1500));
    }
    const close = element('button', 'notice-close', notice);
    close.textContent = '×';
    close.title = 'dismiss';
    close.addEventListener('click', () => this.hide(key));
    this.shown.set(key, { element: notice, onClose: options.onClose });
    if (options.hideAfterMs) setTimeout(() => this.shown.get(key)?.element === notice && this.hide(key), options.hideAfterMs);
  }

  hide(key: string): void {
    const shown = this.shown.get(key);
    if (!shown) return;
    this.shown.delete(key);
    shown.element.remove();
    shown.onClose?.();
  }

  text(key: string): string | undefined {
    return this.shown.get(key)?.element.textContent ?? undefined;
  }
}

export interface ReplayBarModel {
  /** The recording's scene, as its file names it. */
  sceneTitle: string;
  identical: boolean;
  digest: string;
  message: string;
  firstStep: number;
  endStep: number;
  step: number;
  dtMs: number;
  playing: boolean;
}

/**
 * The replay bar under the stage: REPLAY, the recording's scene, the digest check, play/pause,
 * a scrub slider over the recording's steps, take over, download, and back to live.
 */
export class ReplayBar {
  private readonly title: HTMLSpanElement;
  private readonly verdict: HTMLSpanElement;
  private readonly play: HTMLButtonElement;
  private readonly slider: HTMLInputElement;
  private readonly time: HTMLSpanElement;
  private emit: (intent: Intent) => void = () => {};
  private readonly row: HTMLElement;
  private dragging = false;
  private model: ReplayBarModel | undefined;

  constructor(private readonly element: HTMLElement) {
    element.hidden = true;
    element.setAttribute('aria-label', 'replay');
    const info = element.appendChild(Object.assign(document.createElement('div'), { className: 'replay-row' }));
    const controls = element.appendChild(Object.assign(document.createElement('div'), { className: 'replay-row' }));
    info.appendChild(Object.assign(document.createElement('span'), { className: 'replay-badge', textContent: 'REPLAY' }));
    this.title = info.appendChild(Object.assign(document.createElement('span'), { className: 'replay-title' }));
    this.verdict = info.appendChild(Object.assign(document.createElement('span'), { className: 'replay-verdict' }));
    this.row = controls;
    this.play = this.button('replay-play', '▶', () => this.emit({ kind: 'toggle-play' }));
    this.slider = controls.appendChild(Object.assign(document.createElement('input'), { className: 'replay-scrub', type: 'range', min: '0', max: '1', step: '1', value: '0' }));
    this.slider.title = 'scrub: seek anywhere in the recording';
    this.slider.addEventListener('pointerdown', () => (this.dragging = true));
    for (const type of ['pointerup', 'pointercancel', 'change'] as const) this.slider.addEventListener(type, () => (this.dragging = false));
    this.slider.addEventListener('input', () => this.emit({ kind: 'seek', step: Number(this.slider.value) }));
    this.time = controls.appendChild(Object.assign(document.createElement('span'), { className: 'replay-time' }));
    this.button('replay-take-over', 'take over', () => this.emit({ kind: 'take-over' })).title = 'go on live from this step, recording a fork that keeps the history before it';
    this.button('replay-download', '⤓ download', () => this.emit({ kind: 'export', what: 'recording' })).title = 'download this recording (.json.gz)';
    this.button('replay-leave', '✕ back to live', () => this.emit({ kind: 'leave-replay' })).title = "leave the replay: run the recording's scene live from t = 0";
  }

  bind(emit: (intent: Intent) => void): void {
    this.emit = emit;
  }

  show(model: ReplayBarModel | undefined): void {
    this.model = model;
    this.element.hidden = !model;
    if (!model) return;
    setText(this.title, model.sceneTitle);
    setText(this.verdict, model.identical ? `✓ bit-identical (digest ${model.digest})` : `✗ NOT identical: ${model.message}`);
    this.verdict.classList.toggle('bad', !model.identical);
    this.verdict.title = model.message;
    setText(this.play, model.playing ? '❚❚' : '▶');
    this.play.title = model.playing ? 'pause' : 'play';
    if (this.slider.min !== String(model.firstStep)) this.slider.min = String(model.firstStep);
    if (this.slider.max !== String(model.endStep)) this.slider.max = String(model.endStep);
    if (!this.dragging) this.slider.value = String(model.step);
    const at = (model.step - model.firstStep) * model.dtMs;
    const total = (model.endStep - model.firstStep) * model.dtMs;
    setText(this.time, `t = ${formatTime(model.step * model.dtMs)} · ${formatTime(at)} of ${formatTime(total)} recorded`);
  }

  get visible(): boolean {
    return !this.element.hidden && this.model !== undefined;
  }

  private button(className: string, text: string, run: () => void): HTMLButtonElement {
    const button = this.row.appendChild(Object.assign(document.createElement('button'), { className, textContent: text, type: 'button' }));
    button.addEventListener('click', run);
    return button;
  }
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export class ShortcutsOverlay {
  private readonly element: HTMLDivElement;

  constructor(parent: HTMLElement) {
    this.element = element('div', 'shortcuts', parent);
    this.element.hidden = true;
    this.element.setAttribute('role', 'dialog');
    this.element.setAttribute('aria-label', 'keyboard shortcuts');
    const title = element('h2', '', this.element);
    title.textContent = 'Keyboard and mouse';
    const list = element('dl', '', this.element);
    for (const [key, what] of SHORTCUTS) {
      element('dt', '', list).textContent = key;
      element('dd', '', list).textContent = what;
    }
    this.element.addEventListener('click', () => this.toggle(false));
  }

  toggle(show = this.element.hidden): void {
    this.element.hidden = !show;
  }

  get visible(): boolean {
    return !this.element.hidden;
  }
}
