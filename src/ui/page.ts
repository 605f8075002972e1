/**
 * The page around the canvas: the layout (stage, control panel on the right, status line at
 * the bottom), the error banner, the shortcuts overlay and the status line. Text only ever goes
 * in through textContent.
 */
import { SHORTCUTS } from './keyboard.ts';

export interface PageElements {
  root: HTMLElement;
  stage: HTMLElement;
  canvasHost: HTMLElement;
  panel: HTMLElement;
  status: StatusLine;
  banner: ErrorBanner;
  shortcuts: ShortcutsOverlay;
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
  const canvasHost = element('div', 'canvas-host', stage);
  const panel = element('aside', 'panel', root);
  const statusElement = element('footer', 'status', root);
  return {
    root,
    stage,
    canvasHost,
    panel,
    status: new StatusLine(statusElement),
    banner: new ErrorBanner(stage),
    shortcuts: new ShortcutsOverlay(stage),
  };
}

export interface StatusFields {
  scene: string;
  timeMs: number;
  realtimeFactor: number;
  fps: number;
  spikeCount: number;
  /** Mean firing rate per neuron (left out where it means nothing). */
  rateHz?: number;
  playing: boolean;
  capped: boolean;
  target?: number;
}

export class StatusLine {
  private readonly fields: Record<string, HTMLSpanElement> = {};
  private readonly slow: HTMLSpanElement;

  constructor(private readonly element: HTMLElement) {
    for (const name of ['state', 'scene', 'time', 'speed', 'fps', 'spikes', 'rate', 'target']) {
      this.fields[name] = element.appendChild(Object.assign(document.createElement('span'), { className: `status-${name}` }));
    }
    this.slow = element.appendChild(Object.assign(document.createElement('span'), { className: 'status-slow', textContent: 'slower than real time' }));
    this.slow.hidden = true;
    this.slow.title = 'the per-frame step cap is hit: the simulation falls behind the chosen speed';
  }

  show(s: StatusFields): void {
    this.set('state', s.playing ? '▶ running' : '❚❚ paused');
    this.set('scene', s.scene);
    this.set('time', `t = ${formatTime(s.timeMs)}`);
    this.set('speed', `${s.realtimeFactor.toFixed(s.realtimeFactor < 1 ? 3 : 2)}× real time`);
    this.set('fps', `${s.fps.toFixed(0)} fps`);
    this.set('spikes', `${s.spikeCount} spikes`);
    this.set('rate', s.rateHz === undefined ? '' : `${s.rateHz.toFixed(1)} Hz/neuron`);
    this.set('target', s.target === undefined ? '' : `target neuron ${s.target}`);
    this.slow.hidden = !s.capped;
    this.element.classList.toggle('paused', !s.playing);
  }

  private set(name: string, text: string): void {
    const field = this.fields[name]!;
    if (field.textContent !== text) field.textContent = text;
  }
}

function formatTime(ms: number): string {
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
