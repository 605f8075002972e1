/**
 * The raster's bitmap where the spikes are: spikes binned into (time bin, pixel row) counts for the
 * page's raster view, in the engine worker, so that the page's main thread receives a frame's new
 * columns — a few KB — instead of every spike (a 100k network at real time fires ~13 000 per
 * frame). No DOM and no Pixi: src/view/raster.ts colours what this counts.
 *
 * The bins are a ring of `width` columns of `rows` counts (a column is one time bin of
 * windowMs / width); a pixel row holds count/rows neurons of the view [first, first + count), or a
 * neuron spans several rows. Per column it also counts every spike (the population rate strip).
 * The spikes of the window are kept, so that a new view (zoom, pan, size, time window) is binned
 * again from them.
 */

/** What the page's raster shows: its plot's columns and texel rows, time window and neurons. */
export interface RasterView {
  /** Columns (time bins) and texel rows of the bitmap. */
  width: number;
  rows: number;
  windowMs: number;
  /** Neurons first … first + count − 1 are shown. */
  first: number;
  count: number;
  /** The page's number for this view: updates made for an older one are dropped. */
  version: number;
}

/** Bins firstBin … headBin, as the page applies them (every column of them overwritten). */
export interface RasterUpdate {
  version: number;
  binMs: number;
  headBin: number;
  firstBin: number;
  /** Per bin, `rows` counts (saturated at 255): bin b's rows from (b − firstBin)·rows. */
  hits: Uint8Array;
  /** Per bin, the spikes of every neuron (the rate strip). */
  counts: Uint32Array;
}

/** Most spikes kept for binning again: the window's at 100 000 neurons × ~10 Hz × 2 s (the store grows to it). */
const HISTORY = 1 << 21;
const NO_VIEW: RasterView = { width: 1, rows: 1, windowMs: 1, first: 0, count: 1, version: 0 };

/**
 * A raster's spikes binned for its view: (time bin, pixel row) counts and a count per time bin,
 * of which each `take()` gives the columns new since the last (what `Raster.apply` of
 * `spikescope/view` draws). The page keeps it in its engine worker.
 *
 * @example
 * ```ts
 * const bins = new RasterBins();
 * bins.setView({ width: 800, rows: 400, windowMs: 1000, first: 0, count: scene.neurons, version: 1 });
 * virtualClock(10_000, 100).pipe(simulate(scene)).subscribe((frame) => {
 *   bins.push(frame.spikes, (frame.firstStep + frame.steps) * frame.dtMs);
 *   const update = bins.take(); // update.hits: spikes per (column, row); update.counts: per column
 *   console.log(update.firstBin, update.headBin);
 * });
 * ```
 */
export class RasterBins {
  private view = NO_VIEW;
  private binMs = 1;
  private hits = new Uint8Array(1);
  private counts = new Uint32Array(1);
  private headBin = -1;
  /** The first bin not yet sent complete (the last one sent may have been partial). */
  private sentFrom = 0;
  /** Send the whole window next (a new view, or the run jumped). */
  private full = true;
  private nowMs = 0;
  /** The last spikes, a ring of a power of two (grown up to HISTORY as they come). */
  private historyTime = new Float64Array(1024);
  private historyNeuron = new Int32Array(1024);
  private historyLength = 0;

  /** The version of the view binned for. */
  get version(): number {
    return this.view.version;
  }

  /** A new view: the window's spikes are binned again for it. */
  setView(view: RasterView): void {
    this.view = view;
    this.binMs = view.windowMs / view.width;
    if (this.hits.length !== view.width * view.rows) this.hits = new Uint8Array(view.width * view.rows);
    if (this.counts.length !== view.width) this.counts = new Uint32Array(view.width);
    this.rebin();
  }

  /** Forgets every spike (the run jumped: a seek). */
  clear(): void {
    this.historyLength = 0;
    this.nowMs = 0;
    this.rebin();
  }

  /** Adds a frame's spikes (kept, and binned once there is a view); `endMs` is the run time at the frame's end. */
  push(spikes: { neuron: Int32Array; timeMs: Float64Array }, endMs: number): void {
    const { neuron, timeMs } = spikes;
    while (this.historyLength + neuron.length > this.historyTime.length && this.historyTime.length < HISTORY) this.growHistory();
    const mask = this.historyTime.length - 1;
    for (let s = 0; s < neuron.length; s++) {
      const at = this.historyLength++ & mask;
      this.historyTime[at] = timeMs[s]!;
      this.historyNeuron[at] = neuron[s]!;
    }
    this.nowMs = Math.max(this.nowMs, endMs);
    this.advanceHead();
    for (let s = 0; s < neuron.length; s++) this.add(timeMs[s]!, neuron[s]!);
  }

  /** The bins changed since the last take (the whole window after a new view or a jump). */
  take(): RasterUpdate {
    const { width, rows } = this.view;
    const firstBin = this.full ? this.headBin - width + 1 : Math.max(this.sentFrom, this.headBin - width + 1);
    const bins = Math.max(0, this.headBin - firstBin + 1);
    const hits = new Uint8Array(bins * rows);
    const counts = new Uint32Array(bins);
    for (let k = 0; k < bins; k++) {
      const bin = firstBin + k;
      if (bin < 0) continue;
      const column = bin % width;
      for (let row = 0, i = column; row < rows; row++, i += width) hits[k * rows + row] = this.hits[i]!;
      counts[k] = this.counts[column]!;
    }
    this.full = false;
    this.sentFrom = this.headBin;
    return { version: this.view.version, binMs: this.binMs, headBin: this.headBin, firstBin, hits, counts };
  }

  /** Doubles the spike store, keeping its order. */
  private growHistory(): void {
    const size = this.historyTime.length;
    const time = new Float64Array(2 * size);
    const neuron = new Int32Array(2 * size);
    const held = Math.min(this.historyLength, size);
    for (let k = 0; k < held; k++) {
      const at = (this.historyLength - held + k) & (size - 1);
      time[k] = this.historyTime[at]!;
      neuron[k] = this.historyNeuron[at]!;
    }
    this.historyTime = time;
    this.historyNeuron = neuron;
    this.historyLength = held;
  }

  /** Bins the window's spikes again (a new view, or nothing after a clear). */
  private rebin(): void {
    this.hits.fill(0);
    this.counts.fill(0);
    this.headBin = Math.floor(this.nowMs / this.binMs);
    this.full = true;
    const since = this.nowMs - this.view.windowMs;
    const mask = this.historyTime.length - 1;
    const held = Math.min(this.historyLength, this.historyTime.length);
    for (let k = 1; k <= held; k++) {
      const at = (this.historyLength - k) & mask;
      const t = this.historyTime[at]!;
      if (t <= since) break;
      this.add(t, this.historyNeuron[at]!);
    }
  }

  /** Moves the newest bin to the current time, clearing the columns it passes. */
  private advanceHead(): void {
    const head = Math.floor(this.nowMs / this.binMs);
    if (head <= this.headBin) return;
    const { width, rows } = this.view;
    if (head - this.headBin >= width) {
      this.hits.fill(0);
      this.counts.fill(0);
    } else {
      for (let b = this.headBin + 1; b <= head; b++) {
        const column = b % width;
        for (let row = 0, i = column; row < rows; row++, i += width) this.hits[i] = 0;
        this.counts[column] = 0;
      }
    }
    this.headBin = head;
  }

  /** Counts one spike in its bin and the rows of its neuron (a neuron spanning 4 or more rows leaves a gap row under it). */
  private add(t: number, neuron: number): void {
    const bin = Math.floor(t / this.binMs);
    const { width, rows, first, count } = this.view;
    if (bin > this.headBin || bin <= this.headBin - width) return;
    const column = bin % width;
    this.counts[column]!++;
    const rel = neuron - first;
    if (rel < 0 || rel >= count) return;
    const rowsPerNeuron = rows / count;
    const y0 = Math.floor(rel * rowsPerNeuron);
    let y1 = Math.max(y0 + 1, Math.floor((rel + 1) * rowsPerNeuron));
    if (y1 - y0 >= 4) y1--;
    const hits = this.hits;
    for (let row = y0; row < y1 && row < rows; row++) {
      const i = row * width + column;
      if (hits[i]! < 255) hits[i]!++;
    }
  }
}
