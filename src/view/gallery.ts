/**
 * The Izhikevich gallery: the 4 × 5 grid of the 20 firing patterns of Izhikevich (2004), each
 * panel showing its preset's whole protocol (v on top, the stimulus under it, as in the paper's
 * figure) in one Pixi canvas. Each panel is fed by its own looping simulation; a new pass
 * overwrites the previous one from the left, like a storage oscilloscope. Clicking a panel
 * calls `onOpen` with the preset's scene id.
 */
import { Container, Graphics, Rectangle, type FederatedPointerEvent } from 'pixi.js';
import type { Drawing } from './drawing.ts';
import { LabelPool } from './label-pool.ts';
import { theme } from './theme.ts';
import { createTraceLine, type TraceLine } from './trace-line.ts';

export interface GalleryPanelSpec {
  sceneId: string;
  label: string;
  /** Samples in one pass of the protocol. */
  steps: number;
  vRange: [number, number];
  stimulusRange: [number, number];
}

interface Panel {
  spec: GalleryPanelSpec;
  v: Float32Array;
  stimulus: Float32Array;
  filled: number;
  vLine: TraceLine;
  stimulusLine: TraceLine;
  box: { x: number; y: number; width: number; height: number };
  dirty: boolean;
}

const COLUMNS = 4;
const ROWS = 5;
const PAD = 6;
const TITLE = 18;

export class Gallery {
  readonly container = new Container();
  onOpen: ((sceneId: string) => void) | undefined;
  /** Called when the gallery changed by itself (hover) and wants to be drawn. */
  onInvalidate: (() => void) | undefined;
  private readonly frame = new Graphics();
  private readonly labels = new LabelPool(11);
  private readonly panels: Panel[];
  private hover = -1;

  constructor(specs: readonly GalleryPanelSpec[], drawing: Drawing) {
    this.container.addChild(this.frame);
    this.panels = specs.map((spec) => {
      const panel: Panel = {
        spec,
        v: new Float32Array(spec.steps),
        stimulus: new Float32Array(spec.steps),
        filled: 0,
        vLine: createTraceLine(drawing, spec.steps, 0x7cfc9a),
        stimulusLine: createTraceLine(drawing, spec.steps, 0xf5d76e),
        box: { x: 0, y: 0, width: 1, height: 1 },
        dirty: true,
      };
      this.container.addChild(panel.vLine.view, panel.stimulusLine.view);
      return panel;
    });
    this.container.addChild(this.labels.container);
    this.container.eventMode = 'static';
    this.container.cursor = 'pointer';
    this.container.on('pointertap', (e: FederatedPointerEvent) => {
      const index = this.panelAt(e.global.x, e.global.y);
      const panel = this.panels[index];
      if (panel) this.onOpen?.(panel.spec.sceneId);
    });
    this.container.on('globalpointermove', (e: FederatedPointerEvent) => {
      const index = this.panelAt(e.global.x, e.global.y);
      if (index !== this.hover) {
        this.hover = index;
        this.drawFrame();
        this.onInvalidate?.();
      }
    });
  }

  setArea(x: number, y: number, width: number, height: number): void {
    this.container.hitArea = new Rectangle(x, y, width, height);
    const cellWidth = width / COLUMNS;
    const cellHeight = height / ROWS;
    this.panels.forEach((panel, i) => {
      const column = i % COLUMNS;
      const row = Math.floor(i / COLUMNS);
      panel.box = { x: Math.round(x + column * cellWidth + PAD), y: Math.round(y + row * cellHeight + PAD), width: Math.floor(cellWidth - 2 * PAD), height: Math.floor(cellHeight - 2 * PAD) };
      panel.dirty = true;
    });
    this.drawFrame();
  }

  /** Adds samples [firstStep, firstStep + steps) of the panel's current pass. */
  push(index: number, firstStep: number, steps: number, v: ArrayLike<number>, stimulus: ArrayLike<number>): void {
    const panel = this.panels[index];
    if (!panel) return;
    const n = Math.min(steps, panel.spec.steps - firstStep);
    for (let k = 0; k < n; k++) {
      panel.v[firstStep + k] = v[k]!;
      panel.stimulus[firstStep + k] = stimulus[k]!;
    }
    panel.filled = Math.max(panel.filled, firstStep + Math.max(0, n));
    panel.dirty = true;
  }

  draw(): void {
    for (const panel of this.panels) {
      if (!panel.dirty) continue;
      panel.dirty = false;
      const { x, y, width, height } = panel.box;
      const plotTop = y + TITLE;
      const plotHeight = height - TITLE - 4;
      const vHeight = plotHeight * 0.74;
      const sTop = plotTop + vHeight + 4;
      const sHeight = plotHeight - vHeight - 4;
      this.fill(panel.vLine, panel.v, panel.filled, panel.spec.steps, x + 4, width - 8, plotTop, vHeight, panel.spec.vRange);
      this.fill(panel.stimulusLine, panel.stimulus, panel.filled, panel.spec.steps, x + 4, width - 8, sTop, sHeight, panel.spec.stimulusRange);
    }
  }

  private fill(line: TraceLine, values: Float32Array, count: number, steps: number, left: number, width: number, top: number, height: number, range: [number, number]): void {
    const [lo, hi] = range;
    const scale = height / (hi - lo);
    const bottom = top + height;
    const xy = line.xy;
    const dx = width / Math.max(1, steps - 1);
    for (let k = 0; k < count; k++) {
      const p = bottom - (values[k]! - lo) * scale;
      xy[2 * k] = left + k * dx;
      xy[2 * k + 1] = p < top ? top : p > bottom ? bottom : p;
    }
    line.commit(count);
  }

  private panelAt(gx: number, gy: number): number {
    const local = this.container.toLocal({ x: gx, y: gy });
    return this.panels.findIndex(({ box }) => local.x >= box.x && local.x < box.x + box.width && local.y >= box.y && local.y < box.y + box.height);
  }

  private drawFrame(): void {
    const g = this.frame;
    g.clear();
    this.labels.begin();
    this.panels.forEach((panel, i) => {
      const { x, y, width, height } = panel.box;
      g.rect(x + 0.5, y + 0.5, width - 1, height - 1).stroke({ width: 1, color: i === this.hover ? theme.accent : theme.grid });
      this.labels.addFitted(panel.spec.label, width - 10, x + 6, y + 3, i === this.hover ? theme.accent : theme.text, true);
    });
    this.labels.end();
  }
}
