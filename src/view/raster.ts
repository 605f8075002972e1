/**
 * The spike raster: one row per neuron, time scrolling to the left, for networks of 50 to
 * 100 000+ neurons, with a population firing-rate strip under it.
 *
 * The spikes never come to this thread: the engine worker bins them for the view this raster
 * describes (src/stream/raster-bins.ts: counts per time bin and pixel row) and sends each frame's
 * new columns. This colours them into a CPU bitmap (one texel per screen pixel, or per neuron
 * when there are fewer neurons than pixel rows; ring-bitmap.ts: a texture with a GPU renderer, a
 * canvas without WebGL) whose time columns are a ring: the work per frame is the new columns,
 * whatever the network size and its rate, and only they are uploaded. When several neurons share a pixel row, their spikes add up in brightness; when
 * a neuron spans several rows, its spike fills its band. When the view changes (zoom, pan, size,
 * time window) `onViewChange` says so, and the worker bins the window again for it.
 *
 * Interaction: the wheel zooms the neuron axis around the pointer, a drag pans it, a click
 * picks the neuron under the pointer (`onPick`).
 */
import { Container, Graphics, Rectangle, type FederatedPointerEvent, type FederatedWheelEvent } from 'pixi.js';
import type { RasterUpdate, RasterView } from '../stream/raster-bins.ts';
import type { Drawing } from './drawing.ts';
import { LabelPool } from './label-pool.ts';
import { createRingBitmap, type ChangedColumns, type RingBitmap } from './ring-bitmap.ts';
import { formatMs, formatTick, niceRange, niceTicks } from './scale.ts';
import { theme } from './theme.ts';
import { createTraceLine, type TraceLine } from './trace-line.ts';

const MARGIN = { left: 64, right: 10, top: 18, bottom: 22 };
const RATE_HEIGHT = 56;
const GAP = 8;
const RATE_SMOOTH_MS = 5;

/** Texel colours by number of spikes in the pixel (little-endian RGBA in a Uint32). */
function rgba(r: number, g: number, b: number): number {
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}
const BACKGROUND = rgba(0x10, 0x16, 0x1e);
/** Blues for any neuron (and the excitatory ones), reds for the inhibitory neurons of a network that has them. */
const HIT_COLORS = new Uint32Array([BACKGROUND, rgba(0x3e, 0x9e, 0xd8), rgba(0x6c, 0xc8, 0xf2), rgba(0xa8, 0xe6, 0xff), rgba(0xe8, 0xfa, 0xff)]);
const INHIBITORY_COLORS = new Uint32Array([BACKGROUND, rgba(0xd8, 0x4a, 0x4a), rgba(0xf2, 0x6c, 0x6c), rgba(0xff, 0xa0, 0xa0), rgba(0xff, 0xe0, 0xe0)]);

/**
 * The spike raster: one row per neuron, time scrolling to the left, with a population firing-rate
 * strip; networks of 50 to 100 000+ neurons. Wheel zooms, drag pans, a click picks a neuron
 * (`onPick`).
 *
 * @example
 * ```ts
 * const raster = new Raster(scene.neurons, drawingOf(app.renderer));
 * app.stage.addChild(raster.container);
 * raster.setArea(0, 0, 800, 400);
 * // The spikes are binned for the raster's view by RasterBins (in the page: in the engine worker).
 * const bins = new RasterBins();
 * raster.onViewChange = (view) => bins.setView(view);
 * virtualClock(10_000, 100).pipe(simulate(scene)).subscribe((frame) => {
 *   bins.push(frame.spikes, (frame.firstStep + frame.steps) * frame.dtMs);
 *   raster.apply(bins.take());
 *   raster.draw();
 * });
 * ```
 */
export class Raster {
  readonly container = new Container();
  /** Called with the neuron index when a row is clicked. */
  onPick: ((neuron: number) => void) | undefined;
  /** Called when the view changed by itself (zoom, pan) and wants to be drawn. */
  onInvalidate: (() => void) | undefined;
  /** Called with the view whenever it changes: the engine bins the spikes for it (RasterBins). */
  onViewChange: ((view: RasterView) => void) | undefined;
  private readonly neurons: number;
  private readonly overlay = new Graphics();
  private readonly labels = new LabelPool(11);
  private readonly rateLine: TraceLine;
  private readonly bitmap: RingBitmap;
  /** The bitmap's texels: (column, row) at column·height + row. */
  private pixels = new Uint32Array(1);
  private rateCounts = new Float32Array(1);
  /** Columns coloured since the last upload: bins from … to (or every column). */
  private changed: ChangedColumns = { all: true };
  private width = 1;
  private height = 1;
  private area = { x: 0, y: 0, width: 300, height: 200 };
  private plot = { x: 0, y: 0, width: 1, height: 1 };
  private windowMs = 1000;
  private binMs = 1;
  private headBin = -1;
  private first = 0;
  private count: number;
  private picked = 0;
  /** Neurons from this index on are inhibitory (drawn red); none by default. */
  private inhibitoryFrom = Infinity;
  private rateMax = 10;
  /** The number of the current view (RasterView.version); updates for older ones are dropped. */
  private version = 1;
  private viewChanged = true;
  private overlayDirty = true;
  private drag: { y: number; first: number; moved: boolean } | undefined;

  constructor(neurons: number, drawing: Drawing) {
    this.neurons = neurons;
    this.count = neurons;
    this.bitmap = createRingBitmap(drawing);
    this.rateLine = createTraceLine(drawing, 4096, theme.accent);
    this.container.addChild(this.bitmap.view, this.overlay, this.rateLine.view, this.labels.container);
    this.container.eventMode = 'static';
    this.container.cursor = 'crosshair';
    this.container.on('wheel', (e: FederatedWheelEvent) => this.onWheel(e));
    this.container.on('pointerdown', (e: FederatedPointerEvent) => this.onPointerDown(e));
    this.container.on('globalpointermove', (e: FederatedPointerEvent) => this.onPointerMove(e));
    this.container.on('pointerup', () => this.onPointerUp());
    this.container.on('pointerupoutside', () => (this.drag = undefined));
  }

  /** Places the raster in its container's coordinates, in pixels. */
  setArea(x: number, y: number, width: number, height: number): void {
    this.area = { x, y, width: Math.max(80, width), height: Math.max(60, height) };
    const plotWidth = Math.max(16, Math.floor(this.area.width - MARGIN.left - MARGIN.right));
    const plotHeight = Math.max(16, Math.floor(this.area.height - MARGIN.top - MARGIN.bottom - RATE_HEIGHT - GAP));
    this.plot = { x: Math.round(x + MARGIN.left), y: Math.round(y + MARGIN.top), width: plotWidth, height: plotHeight };
    this.container.hitArea = new Rectangle(this.plot.x, this.plot.y, plotWidth, plotHeight);
    // One texel row per pixel row, or per neuron when there are fewer neurons than pixels (the
    // quad stretches them): a 50-neuron ring uploads 50 rows a frame, not the plot's height.
    const rows = Math.min(plotHeight, this.neurons);
    if (plotWidth !== this.width || rows !== this.height || this.pixels.length === 1) {
      this.allocate(plotWidth, rows);
      this.changeView();
    }
    this.bitmap.place(this.plot.x, this.plot.y, plotWidth, plotHeight);
    this.overlayDirty = true;
  }

  /** Sets the time window shown, ms. */
  setWindowMs(ms: number): void {
    if (ms === this.windowMs) return;
    this.windowMs = ms;
    this.changeView();
    this.overlayDirty = true;
  }

  /** The neuron that hand pulses go to, marked on the raster. */
  setPicked(neuron: number): void {
    this.picked = neuron;
    this.overlayDirty = true;
  }

  /** Neurons from `first` on are inhibitory: their spikes are drawn red, the others' blue (from the next update on). */
  setInhibitoryFrom(first: number): void {
    if (first === this.inhibitoryFrom) return;
    this.inhibitoryFrom = first;
    this.overlayDirty = true;
  }

  /** Shows neurons [first, first + count). */
  setView(first: number, count: number): void {
    const minCount = Math.min(this.neurons, 8);
    const c = Math.max(minCount, Math.min(this.neurons, count));
    const f = Math.max(0, Math.min(this.neurons - c, first));
    if (c === this.count && f === this.first) return;
    this.count = c;
    this.first = f;
    this.changeView();
    this.overlayDirty = true;
    this.onInvalidate?.();
  }

  /** Shows every neuron again (undoes zoom and pan). */
  resetView(): void {
    this.setView(0, this.neurons);
  }

  get view(): { first: number; count: number } {
    return { first: this.first, count: this.count };
  }

  /** Blank (a seek: the engine starts the window over too). */
  clear(): void {
    this.pixels.fill(BACKGROUND);
    this.rateCounts.fill(0);
    this.changed = { all: true };
  }

  /**
   * The view the engine bins for changed: it gets a new version number at once, so that an update
   * binned for the old one (a frame already on its way) is dropped rather than coloured into
   * columns of another size; the next draw asks the engine for the new one.
   */
  private changeView(): void {
    this.version++;
    this.viewChanged = true;
  }

  /** The view the engine bins for. */
  private currentView(): RasterView {
    return { width: this.width, rows: this.height, windowMs: this.windowMs, first: this.first, count: this.count, version: this.version };
  }

  /** Colours the bins of an update from the engine into their columns (an update for an older view is dropped). */
  apply(update: RasterUpdate): void {
    if (update.version !== this.version) return;
    const { width, height, pixels, rateCounts } = this;
    const { hits, counts, firstBin } = update;
    const lastColor = HIT_COLORS.length - 1;
    // Rows from this one on show inhibitory neurons (a row shows neurons from first + row·count/height).
    const inhibitoryRow = this.inhibitoryFrom < this.first + this.count ? Math.max(0, Math.ceil(((this.inhibitoryFrom - this.first) * height) / this.count)) : height;
    for (let k = 0; k < counts.length; k++) {
      // Bins before the run's start (bin < 0) are columns too: blank.
      const column = (((firstBin + k) % width) + width) % width;
      for (let row = 0, i = column * height, h = k * height; row < height; row++, i++, h++) {
        const hit = hits[h]!;
        pixels[i] = (row < inhibitoryRow ? HIT_COLORS : INHIBITORY_COLORS)[hit < lastColor ? hit : lastColor]!;
      }
      rateCounts[column] = counts[k]!;
    }
    const changed = this.changed;
    const last = firstBin + counts.length - 1;
    if (counts.length > 0 && !changed.all) {
      this.changed = changed.to < changed.from ? { all: false, from: firstBin, to: last } : { all: false, from: Math.min(changed.from, firstBin), to: Math.max(changed.to, last) };
    }
    this.binMs = update.binMs;
    this.headBin = update.headBin;
  }

  /** Draws the spikes pushed since the last draw (everything again after a change of view). */
  draw(): void {
    if (this.viewChanged) {
      // Until the engine's bins for the new view arrive, the old bitmap stays (it is a few ms).
      this.viewChanged = false;
      this.onViewChange?.(this.currentView());
    }
    // The oldest column at the left: the column after the head.
    this.bitmap.present((((this.headBin + 1) % this.width) + this.width) % this.width, this.changed);
    this.changed = { all: false, from: 0, to: -1 };
    this.drawRate();
    if (this.overlayDirty) this.drawOverlay();
  }

  /**
   * New texels for a new plot size. What was drawn is scaled into them (nearest neighbour, the
   * newest column kept at the head), so that the raster does not go blank until the engine's bins
   * for the new size arrive: that waits for the frame the engine is computing, up to a second when
   * a large network runs slower than real time (the page's status line or a warning appearing
   * resizes the plot).
   */
  private allocate(width: number, height: number): void {
    const old = { pixels: this.pixels, rateCounts: this.rateCounts, width: this.width, height: this.height, headBin: this.headBin };
    this.width = width;
    this.height = height;
    this.bitmap.resize(width, height);
    this.pixels = this.bitmap.pixels.fill(BACKGROUND);
    this.rateCounts = new Float32Array(width);
    this.changed = { all: true };
    if (old.pixels.length > 1 && old.headBin >= 0) this.rescale(old);
  }

  /** Scales the old texels and rate counts into the new ones, column k before the head to column k·oldWidth/width before it. */
  private rescale(old: { pixels: Uint32Array; rateCounts: Float32Array; width: number; height: number; headBin: number }): void {
    const { width, height, pixels, rateCounts } = this;
    // The head in new bins: the same time, bins of oldWidth/width times the old length.
    const head = Math.floor(((old.headBin + 1) * width) / old.width) - 1;
    const binRatio = old.width / width;
    for (let k = 0; k < width; k++) {
      const bin = head - k;
      const oldBin = old.headBin - Math.floor(k * binRatio);
      if (bin < 0 || oldBin < 0 || oldBin <= old.headBin - old.width) break;
      const column = bin % width;
      const oldColumn = oldBin % old.width;
      for (let row = 0, i = column * height; row < height; row++, i++) pixels[i] = old.pixels[oldColumn * old.height + Math.floor((row * old.height) / height)]!;
      rateCounts[column] = old.rateCounts[oldColumn]! * binRatio;
    }
    this.headBin = head;
    this.binMs *= binRatio;
  }

  private drawRate(): void {
    const { width, rateCounts } = this;
    const top = this.plot.y + this.plot.height + GAP;
    const left = this.plot.x;
    const smooth = Math.max(1, Math.round(RATE_SMOOTH_MS / this.binMs));
    const toHz = 1000 / (this.neurons * smooth * this.binMs);
    const xy = this.rateLine.xy;
    const points = Math.min(width, this.rateLine.capacity);
    let sum = 0;
    let max = 0;
    const oldest = this.headBin - width + 1;
    for (let k = 0; k < points; k++) {
      const b = oldest + k;
      sum += b >= 0 ? rateCounts[b % width]! : 0;
      const leaving = b - smooth;
      if (leaving >= oldest && leaving >= 0) sum -= rateCounts[leaving % width]!;
      const rate = sum * toHz;
      if (rate > max) max = rate;
      xy[2 * k] = left + k + 0.5;
      xy[2 * k + 1] = rate;
    }
    const [, niceMax] = niceRange(0, Math.max(5, max), 2);
    if (niceMax !== this.rateMax && (max > this.rateMax || max < this.rateMax / 3)) {
      this.rateMax = niceMax;
      this.overlayDirty = true;
    }
    const scale = RATE_HEIGHT / this.rateMax;
    const bottom = top + RATE_HEIGHT;
    for (let k = 0; k < points; k++) xy[2 * k + 1] = Math.max(top, bottom - xy[2 * k + 1]! * scale);
    this.rateLine.commit(points);
  }

  private drawOverlay(): void {
    this.overlayDirty = false;
    const g = this.overlay;
    const labels = this.labels;
    const { x, y, width, height } = this.plot;
    g.clear();
    labels.begin();
    g.rect(x + 0.5, y + 0.5, width - 1, height - 1).stroke({ width: 1, color: theme.axis });
    const { ticks, step } = niceTicks(this.first, this.first + this.count - 1, Math.max(2, Math.floor(height / 40)));
    const rows = height / this.count;
    for (const tick of ticks) {
      if (!Number.isInteger(tick)) continue;
      const ty = Math.round(y + (tick - this.first + 0.5) * rows) + 0.5;
      g.moveTo(x - 3, ty).lineTo(x, ty);
      labels.add(formatTick(tick, Math.max(1, step)), x - 14, ty, theme.label, 1, 0.5);
    }
    g.stroke({ width: 1, color: theme.axis });
    const perRow = this.count / height;
    const axisLabel = labels.add(perRow > 1 ? `neuron · ${formatTick(perRow, 0.1)} per pixel row` : 'neuron', x, y - 2, theme.text, 0, 1, true);
    // The picked neuron: a band across the raster and a marker on the axis.
    if (this.picked >= this.first && this.picked < this.first + this.count) {
      const py = y + (this.picked - this.first) * rows;
      const ph = Math.max(1, rows);
      g.rect(x, py, width, ph).fill({ color: theme.target, alpha: 0.18 });
      g.poly([x - 10, py + ph / 2 - 4, x - 3, py + ph / 2, x - 10, py + ph / 2 + 4]).fill({ color: theme.target });
    }
    // Above the raster: the axis label, the legend of the dot colours (a network with inhibitory
    // neurons), the target neuron at the right; the texts shorten to fit (same font: width ∝ length).
    const charWidth = axisLabel.width / Math.max(1, axisLabel.text.length);
    const legendTexts = (long: boolean): [string, string] => [`${long ? 'excitatory' : 'exc'} 0–${this.inhibitoryFrom - 1}`, `${long ? 'inhibitory' : 'inh'} ${this.inhibitoryFrom}–${this.neurons - 1}`];
    const targetTexts = [`target neuron ${this.picked} (click a row to pick)`, `target neuron ${this.picked}`, `target ${this.picked}`];
    const hasLegend = this.inhibitoryFrom < this.neurons;
    const room = width - axisLabel.width - 16;
    const fits = (legend: [string, string] | undefined, target: string): boolean => ((legend ? legend[0].length + legend[1].length + 4 : 0) + target.length + 2) * charWidth <= room;
    let legend = hasLegend ? legendTexts(true) : undefined;
    let target = targetTexts.find((t) => fits(legend, t));
    if (!target && legend) {
      legend = legendTexts(false);
      target = targetTexts.find((t) => fits(legend, t));
    }
    labels.add(target ?? targetTexts[2]!, x + width, y - 2, theme.target, 1, 1, true);
    if (legend) {
      const exc = labels.add(legend[0], x + axisLabel.width + 16, y - 2, theme.excitatory, 0, 1, true);
      labels.add(legend[1], exc.x + exc.width + 10, y - 2, theme.inhibitory, 0, 1, true);
    }
    // Rate strip.
    const top = y + height + GAP;
    g.rect(x + 0.5, top + 0.5, width - 1, RATE_HEIGHT - 1).stroke({ width: 1, color: theme.axis });
    g.moveTo(x, top + RATE_HEIGHT / 2 + 0.5).lineTo(x + width, top + RATE_HEIGHT / 2 + 0.5).stroke({ width: 1, color: theme.grid });
    labels.add(`${formatTick(this.rateMax, this.rateMax / 2)}`, x - 6, top + 2, theme.label, 1, 0.5);
    labels.add('0', x - 6, top + RATE_HEIGHT, theme.label, 1, 0.5);
    labels.add('rate Hz', x - 6, top + RATE_HEIGHT / 2, theme.text, 1, 0.5, true);
    const bottom = top + RATE_HEIGHT;
    for (let d = 0; d <= 10; d += 2) {
      const tx = x + (d * width) / 10;
      labels.add(d === 10 ? 'now' : formatMs((d - 10) * (this.windowMs / 10)), tx, bottom + 4, theme.label, d === 0 ? 0 : d === 10 ? 1 : 0.5, 0);
    }
    labels.end();
  }

  private rowNeuron(globalY: number): number {
    const local = this.container.toLocal({ x: 0, y: globalY }).y;
    return Math.floor(this.first + ((local - this.plot.y) / this.plot.height) * this.count);
  }

  private onWheel(e: FederatedWheelEvent): void {
    const local = this.container.toLocal(e.global);
    const fraction = (local.y - this.plot.y) / this.plot.height;
    const anchor = this.first + fraction * this.count;
    const count = this.count * Math.exp(e.deltaY * 0.0015);
    this.setView(anchor - fraction * count, count);
  }

  private onPointerDown(e: FederatedPointerEvent): void {
    this.drag = { y: e.global.y, first: this.first, moved: false };
  }

  private onPointerMove(e: FederatedPointerEvent): void {
    const drag = this.drag;
    if (!drag) return;
    const dy = e.global.y - drag.y;
    if (Math.abs(dy) > 3) drag.moved = true;
    if (drag.moved) this.setView(drag.first - (dy / this.plot.height) * this.count, this.count);
  }

  private onPointerUp(): void {
    const drag = this.drag;
    this.drag = undefined;
    if (!drag || drag.moved) return;
    const neuron = this.rowNeuron(drag.y);
    if (neuron >= 0 && neuron < this.neurons) this.onPick?.(neuron);
  }

}
