/**
 * The oscilloscope: recent values of the probed channels, drawn in lanes that share a unit
 * (the membrane potential on top, the stimulus at the bottom as in the seed's figures), with a
 * grid labelled in units, a legend, a time base in ms/div, roll mode (newest sample at the
 * right edge) and a spike-triggered sweep mode (each sweep starts 2 divisions before a spike
 * of the trigger neuron and is held until the next spike after it completes).
 *
 * Per frame: `push(frame)` copies the frame's samples into one ring per channel; `draw()`
 * decimates each visible window to at most two points per pixel column into a preallocated
 * buffer of its trace line (trace-line.ts: a mesh with WebGL, a path without). The grid and
 * labels are rebuilt only when the layout or a scale changes.
 */
import { Container, Graphics } from 'pixi.js';
import type { Drawing } from './drawing.ts';
import { LabelPool } from './label-pool.ts';
import { decimate, SampleRing, type TracePlacement } from './sample-ring.ts';
import { formatMs, formatTick, niceRange, niceTicks } from './scale.ts';
import { theme } from './theme.ts';
import { createTraceLine, type TraceLine } from './trace-line.ts';

/**
 * A channel of the oscilloscope: a probed trace, its unit, colour and lane (channels with the same
 * lane share its scale).
 *
 * @example
 * ```ts
 * scope.setChannels([{ name: 'v', variable: 'v', neuron: 0, unit: 'mV', color: 0x7fd4ff, lane: 'mV', range: [-80, 40], autoScale: false }]);
 * ```
 */
export interface ScopeChannel {
  /** Unique label, e.g. `v` or `v[3]`. */
  name: string;
  variable: string;
  neuron: number;
  /** Unit shown on the lane's axis. */
  unit: string;
  color: number;
  /** Lane key: channels with the same key share a lane and its scale. */
  lane: string;
  /** The range the lane shows at least (auto scale) or exactly (fixed scale). */
  range: [number, number];
  /** Whether the lane follows the data (true) or keeps `range`. */
  autoScale: boolean;
  /** Shown after the lane's unit, e.g. the HH convention "rest at 0 mV (Hodgkin & Huxley 1952)". */
  note?: string;
}

export interface LaneView {
  key: string;
  unit: string;
  channels: string[];
  lo: number;
  hi: number;
  auto: boolean;
}

/**
 * What a frame gives the scope: samples per channel and the spikes.
 *
 * @example
 * ```ts
 * virtualClock(4000, 100).pipe(simulate(scene)).subscribe((frame) => {
 *   scope.push(frame); // a Frame is a ScopeFrame
 *   scope.draw();
 * });
 * ```
 */
export interface ScopeFrame {
  firstStep: number;
  steps: number;
  /** One per scope channel, in order; a missing one leaves a gap. */
  traces: (ArrayLike<number> | undefined)[];
  spikes: { step: Int32Array; neuron: Int32Array };
}

/**
 * How the oscilloscope sweeps: `roll` (newest sample at the right edge) or `trigger` (each sweep
 * starts 2 divisions before a spike of the trigger neuron).
 *
 * @example
 * ```ts
 * scope.setMode('trigger');
 * scope.setTriggerNeuron(3);
 * ```
 */
export type ScopeMode = 'roll' | 'trigger';

interface Lane {
  key: string;
  unit: string;
  note: string | undefined;
  channels: number[];
  hint: [number, number];
  lo: number;
  hi: number;
  auto: boolean;
  weight: number;
  top: number;
  height: number;
}

interface Trace {
  spec: ScopeChannel;
  ring: SampleRing;
  line: TraceLine;
}

const DIVISIONS = 10;
const PRE_TRIGGER_DIVISIONS = 2;
const MARGIN = { left: 64, right: 10, top: 16, bottom: 36 };
const LANE_GAP = 20;

/**
 * The oscilloscope: recent values of the probed channels in lanes that share a unit, with a grid,
 * a legend, a time base in ms/div, roll and spike-triggered modes. A Pixi `Container`
 * (`container`) to add to a stage.
 *
 * @example
 * ```ts
 * const app = new Application();
 * await app.init({ width: 800, height: 400 });
 * const scope = new Oscilloscope(scene.dtMs, 1 << 17, drawingOf(app.renderer));
 * app.stage.addChild(scope.container);
 * scope.setArea(0, 0, 800, 400);
 * scope.setChannels([{ name: 'v', variable: 'v', neuron: 0, unit: 'mV', color: 0x7fd4ff, lane: 'mV', range: [-80, 40], autoScale: true }]);
 * virtualClock(4000, 100).pipe(simulate(scene)).subscribe((frame) => scope.push(frame));
 * scope.draw();
 * ```
 */
export class Oscilloscope {
  readonly container = new Container();
  private readonly grid = new Graphics();
  private readonly traceLayer = new Container();
  private readonly labels = new LabelPool(11);
  private traces: Trace[] = [];
  private lanes: Lane[] = [];
  private area = { x: 0, y: 0, width: 300, height: 200 };
  private written = 0;
  private timePerDiv = 10;
  private mode: ScopeMode = 'roll';
  private triggerNeuron = 0;
  private readonly triggers = new Float64Array(64);
  private triggerCount = 0;
  private sweepAt = -1;
  private staticDirty = true;
  private readonly extent = new Float64Array(2);
  private readonly place: TracePlacement = { left: 0, width: 0, top: 0, height: 0, lo: 0, hi: 1 };
  /** Called when a lane's range changes by itself (auto scale), so that controls can follow. */
  onLanesChanged: (() => void) | undefined;

  /**
   * @param dtMs the time step of the samples
   * @param capacity samples kept per channel (the longest window the time base allows)
   * @param drawing how the trace lines are drawn (GPU meshes, or Canvas 2D paths without WebGL)
   */
  constructor(
    private readonly dtMs: number,
    private readonly capacity: number,
    private readonly drawing: Drawing,
  ) {
    this.container.addChild(this.grid, this.traceLayer, this.labels.container);
  }

  /** Longest time/div whose window fits in the history. */
  get maxTimePerDivMs(): number {
    return (this.capacity * this.dtMs) / DIVISIONS;
  }

  get windowSamples(): number {
    return Math.max(2, Math.round((this.timePerDiv * DIVISIONS) / this.dtMs));
  }

  /** Sets the channels; channels whose name is unchanged keep their history. */
  setChannels(channels: readonly ScopeChannel[]): void {
    const old = new Map(this.traces.map((t) => [t.spec.name, t]));
    const oldLanes = new Map(this.lanes.map((l) => [l.key, l]));
    const capacityPoints = 2 * 4096 + 8;
    this.traces = channels.map((spec) => {
      const kept = old.get(spec.name);
      if (kept) {
        old.delete(spec.name);
        kept.spec = spec;
        kept.line.setColor(spec.color);
        return kept;
      }
      const ring = new SampleRing(this.capacity);
      ring.values.fill(NaN);
      ring.written = this.written;
      const line = createTraceLine(this.drawing, capacityPoints, spec.color);
      this.traceLayer.addChild(line.view);
      return { spec, ring, line };
    });
    for (const gone of old.values()) gone.line.destroy();
    const lanes: Lane[] = [];
    this.traces.forEach((trace, index) => {
      const spec = trace.spec;
      let lane = lanes.find((l) => l.key === spec.lane);
      if (!lane) {
        const previous = oldLanes.get(spec.lane);
        lane = {
          key: spec.lane,
          unit: spec.unit,
          note: spec.note,
          channels: [],
          hint: [spec.range[0], spec.range[1]],
          lo: previous?.lo ?? (spec.autoScale ? niceRange(spec.range[0], spec.range[1])[0] : spec.range[0]),
          hi: previous?.hi ?? (spec.autoScale ? niceRange(spec.range[0], spec.range[1])[1] : spec.range[1]),
          auto: previous?.auto ?? spec.autoScale,
          weight: lanes.length === 0 ? 3 : 1.4,
          top: 0,
          height: 0,
        };
        lanes.push(lane);
      } else {
        lane.hint = [Math.min(lane.hint[0], spec.range[0]), Math.max(lane.hint[1], spec.range[1])];
      }
      lane.channels.push(index);
    });
    // The stimulus lane is the smallest.
    for (const lane of lanes) if (lane.key === 'input' && lanes.length > 1) lane.weight = 1;
    this.lanes = lanes;
    this.staticDirty = true;
  }

  /** Places the scope in its container's coordinates, in pixels. */
  setArea(x: number, y: number, width: number, height: number): void {
    this.area = { x, y, width: Math.max(50, width), height: Math.max(40, height) };
    this.staticDirty = true;
  }

  /** Sets the time base, ms per division (10 divisions), at most what the history holds. */
  setTimePerDiv(ms: number): void {
    this.timePerDiv = Math.min(ms, this.maxTimePerDivMs);
    this.sweepAt = -1;
    this.staticDirty = true;
  }

  get timePerDivMs(): number {
    return this.timePerDiv;
  }

  /** Roll or spike-triggered sweeps. */
  setMode(mode: ScopeMode): void {
    this.mode = mode;
    this.sweepAt = -1;
    this.staticDirty = true;
  }

  /** The neuron whose spikes trigger the sweeps in `trigger` mode. */
  setTriggerNeuron(neuron: number): void {
    this.triggerNeuron = neuron;
    this.triggerCount = 0;
    this.sweepAt = -1;
    this.staticDirty = true;
  }

  /** The lanes as shown: key, unit, channels and the range of each. */
  lanesView(): LaneView[] {
    return this.lanes.map((l) => ({ key: l.key, unit: l.unit, channels: l.channels.map((c) => this.traces[c]!.spec.name), lo: l.lo, hi: l.hi, auto: l.auto }));
  }

  /** Fixes a lane's range, or gives it back to auto scale. */
  setLaneRange(key: string, range: { lo?: number; hi?: number; auto?: boolean }): void {
    const lane = this.lanes.find((l) => l.key === key);
    if (!lane) return;
    if (range.auto !== undefined) lane.auto = range.auto;
    if (range.lo !== undefined || range.hi !== undefined) {
      const lo = range.lo ?? lane.lo;
      const hi = range.hi ?? lane.hi;
      if (hi > lo) {
        lane.lo = lo;
        lane.hi = hi;
        lane.auto = false;
      }
    }
    this.staticDirty = true;
  }

  /** Forgets every sample (a new scene); the channels stay. */
  clear(): void {
    this.written = 0;
    for (const t of this.traces) {
      t.ring.clear();
      t.ring.values.fill(NaN);
    }
    this.triggerCount = 0;
    this.sweepAt = -1;
    for (const lane of this.lanes) {
      if (lane.auto) [lane.lo, lane.hi] = niceRange(lane.hint[0], lane.hint[1]);
    }
    this.staticDirty = true;
  }

  /** Adds a frame's samples (and spikes, for the trigger); `draw()` shows them. */
  push(frame: ScopeFrame): void {
    const n = frame.steps;
    for (let c = 0; c < this.traces.length; c++) {
      const trace = frame.traces[c];
      const ring = this.traces[c]!.ring;
      if (trace) ring.push(trace, n);
      else ring.skip(n);
    }
    const { step, neuron } = frame.spikes;
    for (let s = 0; s < step.length; s++) {
      if (neuron[s] !== this.triggerNeuron) continue;
      this.triggers[this.triggerCount++ % this.triggers.length] = this.written + (step[s]! - frame.firstStep);
    }
    this.written += n;
  }

  /** Updates the traces (and, when needed, grid and labels) for the samples pushed so far. */
  draw(): void {
    const window = this.windowSamples;
    let end = this.written;
    let windowStart: number;
    if (this.mode === 'trigger') {
      this.updateSweep(window);
      if (this.sweepAt < 0) {
        for (const t of this.traces) t.line.commit(0);
        if (this.staticDirty) this.drawStatic();
        return;
      }
      windowStart = this.sweepAt - this.preTrigger(window);
      end = Math.min(this.written, windowStart + window);
    } else {
      windowStart = this.written - window;
    }
    const start = Math.max(windowStart, this.written - this.capacity, 0);
    const plotLeft = this.area.x + MARGIN.left;
    const plotWidth = this.area.width - MARGIN.left - MARGIN.right;
    if (this.staticDirty) this.layoutLanes();
    for (const lane of this.lanes) {
      let min = Infinity;
      let max = -Infinity;
      for (let pass = 0; pass < 2; pass++) {
        Object.assign(this.place, { left: plotLeft, width: plotWidth, top: lane.top, height: lane.height, lo: lane.lo, hi: lane.hi });
        for (const c of lane.channels) {
          const trace = this.traces[c]!;
          const count = decimate(trace.ring, windowStart, window, start, end, this.place, trace.line.xy, this.extent);
          trace.line.commit(count);
          if (this.extent[0]! < min) min = this.extent[0]!;
          if (this.extent[1]! > max) max = this.extent[1]!;
        }
        if (pass === 0 && !(lane.auto && min <= max && this.autoScale(lane, min, max))) break;
      }
    }
    if (this.staticDirty) this.drawStatic();
  }

  private preTrigger(window: number): number {
    return Math.round((window * PRE_TRIGGER_DIVISIONS) / DIVISIONS);
  }

  /** Starts a new sweep at the latest trigger once the current sweep is complete. */
  private updateSweep(window: number): void {
    const post = window - this.preTrigger(window);
    if (this.sweepAt >= 0 && this.written < this.sweepAt + post) return;
    const held = Math.min(this.triggerCount, this.triggers.length);
    for (let k = 0; k < held; k++) {
      const at = this.triggers[(this.triggerCount - 1 - k) % this.triggers.length]!;
      if (at > this.sweepAt && at >= this.written - this.capacity + this.preTrigger(window)) {
        if (this.sweepAt < 0) this.staticDirty = true;
        this.sweepAt = at;
        return;
      }
    }
  }

  /**
   * Follows the data in view: grows at once, shrinks when the data use less than a third of the
   * lane. The lane fits the data, not its nominal range, so that small signals (a subthreshold
   * oscillation of a few mV) are seen; a flat or nearly flat signal gets at least a twentieth of
   * the nominal range around it.
   */
  private autoScale(lane: Lane, min: number, max: number): boolean {
    const least = (lane.hint[1] - lane.hint[0]) / 20;
    const middle = (min + max) / 2;
    const lo = Math.min(min, middle - least / 2);
    const hi = Math.max(max, middle + least / 2);
    const span = lane.hi - lane.lo;
    const grow = min < lane.lo || max > lane.hi;
    const shrink = hi - lo < span / 3;
    if (!grow && !shrink) return false;
    const [nlo, nhi] = niceRange(lo, hi);
    if (nlo === lane.lo && nhi === lane.hi) return false;
    lane.lo = nlo;
    lane.hi = nhi;
    this.staticDirty = true;
    this.onLanesChanged?.();
    return true;
  }

  private layoutLanes(): void {
    const top = this.area.y + MARGIN.top;
    const height = this.area.height - MARGIN.top - MARGIN.bottom - LANE_GAP * Math.max(0, this.lanes.length - 1);
    const total = this.lanes.reduce((sum, l) => sum + l.weight, 0) || 1;
    let y = top;
    for (const lane of this.lanes) {
      lane.top = Math.round(y);
      lane.height = Math.max(10, Math.round((height * lane.weight) / total));
      y += lane.height + LANE_GAP;
    }
  }

  private drawStatic(): void {
    this.staticDirty = false;
    this.layoutLanes();
    const g = this.grid;
    const labels = this.labels;
    const left = this.area.x + MARGIN.left;
    const width = this.area.width - MARGIN.left - MARGIN.right;
    g.clear();
    labels.begin();
    for (const lane of this.lanes) {
      const { ticks, step } = niceTicks(lane.lo, lane.hi, Math.max(2, Math.min(6, Math.floor(lane.height / 40))));
      const scale = lane.height / (lane.hi - lane.lo);
      for (const tick of ticks) {
        const y = Math.round(lane.top + lane.height - (tick - lane.lo) * scale) + 0.5;
        g.moveTo(left, y).lineTo(left + width, y);
        labels.add(formatTick(tick, step), left - 6, y, theme.label, 1, 0.5);
      }
      g.stroke({ width: 1, color: theme.grid });
      if (lane.lo < 0 && lane.hi > 0) {
        const y = Math.round(lane.top + lane.height + lane.lo * scale) + 0.5;
        g.moveTo(left, y).lineTo(left + width, y).stroke({ width: 1, color: theme.gridMajor });
      }
      for (let d = 1; d < DIVISIONS; d++) {
        const x = Math.round(left + (d * width) / DIVISIONS) + 0.5;
        g.moveTo(x, lane.top).lineTo(x, lane.top + lane.height);
      }
      g.stroke({ width: 1, color: theme.grid });
      g.rect(left + 0.5, lane.top + 0.5, width - 1, lane.height - 1).stroke({ width: 1, color: theme.axis });
      // Unit at the top left, legend at the top right, just above the lane.
      const unit = `${lane.unit || '1'}${lane.note ? ` · ${lane.note}` : ''}`;
      labels.add(lane.auto ? `${unit} · auto scale` : unit, left, lane.top - 2, theme.text, 0, 1, true);
      let x = left + width;
      for (let k = lane.channels.length - 1; k >= 0; k--) {
        const spec = this.traces[lane.channels[k]!]!.spec;
        const label = labels.add(spec.name, x, lane.top - 2, spec.color, 1, 1, true);
        x -= label.width + 14;
        g.rect(x + 4, lane.top - 9, 8, 2).fill({ color: spec.color });
      }
    }
    const last = this.lanes[this.lanes.length - 1];
    const bottom = last ? last.top + last.height : this.area.y + this.area.height - MARGIN.bottom;
    const every = width / DIVISIONS < 56 ? 2 : 1;
    const offset = this.mode === 'trigger' ? PRE_TRIGGER_DIVISIONS : DIVISIONS;
    for (let d = 0; d <= DIVISIONS; d += every) {
      const x = left + (d * width) / DIVISIONS;
      const ms = (d - offset) * this.timePerDiv;
      const text = d === offset ? (this.mode === 'trigger' ? 'spike' : 'now') : formatMs(ms);
      labels.add(text, x, bottom + 4, theme.label, d === 0 ? 0 : d === DIVISIONS ? 1 : 0.5, 0);
    }
    const info = `${formatMs(this.timePerDiv)}/div · ${this.mode === 'trigger' ? `triggered on spikes of neuron ${this.triggerNeuron}` : 'roll'}`;
    labels.add(info, left, bottom + 19, theme.axis, 0, 0);
    if (this.mode === 'trigger') {
      const x = Math.round(left + (PRE_TRIGGER_DIVISIONS * width) / DIVISIONS) + 0.5;
      for (const lane of this.lanes) g.moveTo(x, lane.top).lineTo(x, lane.top + lane.height);
      g.stroke({ width: 1, color: theme.warn, alpha: 0.5 });
      if (this.sweepAt < 0) labels.add(`waiting for a spike of neuron ${this.triggerNeuron}…`, left + width / 2, (this.lanes[0]?.top ?? 0) + 24, theme.warn, 0.5, 0);
    }
    labels.end();
  }
}
