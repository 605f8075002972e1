/**
 * The phase plane of the picked neuron, live, beside the oscilloscope: the nullclines for the
 * input it receives now (they move with the stimulus and hand pulses), the fixed points marked
 * by kind, the reset lines, and the trajectory as a fading trail whose reset jumps are dashed.
 * Axes with units; the range follows the trail and the fixed points (auto) until locked (the
 * label at the top right toggles it). A click in the plot asks for the neuron's state there
 * (`onSetState`, recorded by the lab as a set-state event).
 *
 * The numerics are the engine's phasePlane (src/core/phase-plane.ts), recomputed only when the
 * input, the parameters or the range change. Per frame: `push(frame)` stores the new samples
 * (at most TRAIL points over the trail's time span, every spike and the sample after it kept);
 * `draw()` writes only the new points' segments into a ring of line-list meshes whose alphas fade
 * by age (WebGL; Graphics paths with Canvas 2D), uploads only the meshes written to, and redraws
 * the static layer (grid, nullclines, markers, labels) only when the plane changed; nothing is
 * allocated per frame. Its own main-thread time per frame is measured (`costMs`).
 */
import { Container, Graphics, Mesh, MeshGeometry, Rectangle, Text, Texture, type Buffer, type FederatedPointerEvent } from 'pixi.js';
import type { InputEvent } from '../core/events.ts';
import type { ModelId } from '../core/models/index.ts';
import { phasePlane, planeProbes, lifSlope, type FixedPointKind, type PhasePlane, type PlaneProbes, type PlaneRange } from '../core/phase-plane.ts';
import type { Drawing } from './drawing.ts';
import { LabelPool } from './label-pool.ts';
import { formatTick, niceRange, niceTicks } from './scale.ts';
import { theme } from './theme.ts';

/** What the view reads of an engine frame. */
export interface PlaneFrame {
  firstStep: number;
  steps: number;
  channels: readonly { name: string }[];
  traces: readonly Float64Array[];
  spikes: { step: Int32Array; neuron: Int32Array };
  events: readonly InputEvent[];
}

export interface PlaneSubject {
  model: ModelId;
  /** The neuron shown, and how its channels are named in frames (`v` or `v[3]`). */
  neuron: number;
  channel: (variable: string) => string;
  dtMs: number;
  /** The model's input unit, for the title. */
  inputUnit: string;
}

export interface PhasePlaneStatus {
  model: ModelId;
  x: { name: string; unit: string };
  y: { name: string; unit: string };
  input: number;
  fixedPoints: { x: number; y: number; kind: FixedPointKind }[];
  range: PlaneRange;
  locked: boolean;
  /** The plot's rectangle in canvas pixels (CSS px), for scripts that click in it. */
  plot: { x: number; y: number; width: number; height: number };
  /** Points of the trail drawn, and the last one. */
  trail: { points: number; last: [number, number] | null };
  /** This view's main-thread ms per frame (push + draw) over recent frames. */
  costMs: { mean: number; median: number; max: number; frames: number };
}

/**
 * The trail is a ring of CHUNKS chunks of CHUNK points, each chunk one line-list mesh whose
 * segment k runs into the chunk's point k. A point's segment is written once, when the point
 * comes (its pixels do not change until the range does), and only the chunks written to are
 * uploaded; the chunks' alphas fade with their age. When the head enters a chunk, the chunk's old
 * points are dropped: the trail shows the last (CHUNKS − 1)·CHUNK to CHUNKS·CHUNK points.
 */
const CHUNK = 256;
const CHUNKS = 9;
const TRAIL = CHUNK * CHUNKS;
/** Room for the dashes of the trail's reset jumps and of the reset lines (each 3 or 4 px on, as much off). */
const DASH_VERTICES = 4096;
/** Room for a nullcline's segments, drawn twice (phasePlane samples at most 400 points per curve). */
const NULLCLINE_VERTICES = 8192;
const MARGIN = { left: 52, right: 12, top: 22, bottom: 34 };
const COLORS = {
  trail: theme.accent,
  xNullcline: 0xffb347,
  yNullcline: 0xc49bff,
  line: 0x6b7f94,
  stable: 0x7cfc9a,
  unstable: 0xff6b6b,
  saddle: 0xf5d76e,
};

export class PhasePlaneView {
  readonly container = new Container();
  private readonly grid = new Graphics();
  private readonly markers = new Graphics();
  /** The trail's head: the neuron's state now. */
  private readonly head = new Graphics();
  /** Ticks and axis names (redrawn when the range changes); the plane's own labels (when it changes). */
  private readonly axisLabels = new LabelPool(11);
  private readonly labels = new LabelPool(11);
  /** The y axis's name, turned upright (its own Text: pooled labels are not rotated). */
  private readonly yName = new Text({ text: '', style: { fontFamily: theme.fontFamily, fontSize: 11, fill: theme.text } });
  private readonly chunks: SegmentLayer[];
  /** The nullclines (each drawn twice, a pixel apart, for weight) and the dashed reset lines: line lists, not stroked paths (those were ms to build whenever the input moved). */
  private readonly nullclines: SegmentLayer[];
  private readonly resetLines: SegmentLayer;
  /** The dashes of the trail's reset jumps. */
  private readonly dashes: SegmentLayer;
  private area = { x: 0, y: 0, width: 300, height: 300 };
  private plot = { x: 0, y: 0, width: 100, height: 100 };
  private subject: PlaneSubject | undefined;
  private probes: PlaneProbes | undefined;
  /** The frame channels' names the plane reads (x, y, inputs), and their indices in the last frame's channels. */
  private channelNames: { x: string; y: string | null; inputs: string[] } | undefined;
  private channelsSeen: readonly { name: string }[] | undefined;
  private channelIndex = { x: -1, y: -1, inputs: [] as number[] };
  private params: Record<string, number> = {};
  private paramsKey = '';
  /** Moves on whenever the parameters change. */
  private paramsVersion = 0;
  private input = 0;
  private plane: PhasePlane | undefined;
  /** What the plane was computed for: input, parameters' version, range. */
  private planeFor = { input: NaN, params: -1, x0: NaN, x1: NaN, y0: NaN, y1: NaN };
  private range: PlaneRange = { x: [-1, 1], y: [-1, 1] };
  private home: { key: string; range: PlaneRange } | undefined;
  private locked = false;
  private gridDirty = true;
  private planeDirty = true;
  // The trail: a ring of points; jump[k] = 1 when the segment into point k is a reset (or a set state).
  private readonly xs = new Float64Array(TRAIL);
  private readonly ys = new Float64Array(TRAIL);
  private readonly jump = new Uint8Array(TRAIL);
  private written = 0;
  /** Points (ring positions ever written) before this one have their segments in the meshes. */
  private segmentsTo = 0;
  /** The segments' pixels are for this range and plot (else every segment is written again). */
  private segmentsFor = { x0: NaN, x1: NaN, y0: NaN, y1: NaN, px: NaN, py: NaN, width: NaN, height: NaN };
  /** Chunks written to since their last upload. */
  private readonly chunkDirty = new Uint8Array(CHUNKS);
  /** Points (ring positions ever written) whose segment is a reset jump, oldest first; the dashes are redrawn when it changes. */
  private jumps: number[] = [];
  private dashesDirty = true;
  /** Steps of the frame after which the neuron's state jumps (reused). */
  private jumpSteps = new Int32Array(16);
  private stride = 1;
  private sinceStored = 0;
  private pendingJump = false;
  private readonly cost = new Float64Array(120);
  private costCount = 0;
  /** Whether the current entry of `cost` has a push not yet closed by a draw. */
  private costOpen = false;
  /** A click in the plot: the plane's coordinates. */
  onSetState: ((x: number, y: number) => void) | undefined;
  onInvalidate: (() => void) | undefined;

  constructor(drawing: Drawing) {
    this.chunks = Array.from({ length: CHUNKS }, () => createSegmentLayer(drawing, 2 * CHUNK, COLORS.trail, 1));
    this.dashes = createSegmentLayer(drawing, DASH_VERTICES, COLORS.trail, 0.8);
    this.nullclines = [COLORS.xNullcline, COLORS.yNullcline].map((color) => createSegmentLayer(drawing, NULLCLINE_VERTICES, color, 1));
    this.resetLines = createSegmentLayer(drawing, DASH_VERTICES, COLORS.line, 1);
    const trail = new Container();
    for (const chunk of this.chunks) trail.addChild(chunk.view);
    this.head.circle(0, 0, 3).fill({ color: theme.text });
    this.head.visible = false;
    this.container.addChild(this.grid, this.axisLabels.container, this.resetLines.view, ...this.nullclines.map((n) => n.view), this.dashes.view, trail, this.markers, this.head, this.labels.container, this.yName);
    this.yName.anchor.set(0.5, 0);
    this.yName.rotation = -Math.PI / 2;
    this.container.eventMode = 'static';
    this.container.on('pointerdown', (e: FederatedPointerEvent) => this.onPointerDown(e));
  }

  /** The neuron and model shown; forgets the trail. */
  setSubject(subject: PlaneSubject): void {
    this.subject = subject;
    const probes = planeProbes(subject.model);
    this.probes = probes;
    this.channelNames = { x: subject.channel(probes.x), y: probes.y ? subject.channel(probes.y) : null, inputs: probes.input.map((v) => subject.channel(v)) };
    this.channelsSeen = undefined;
    this.plane = undefined;
    this.planeFor.params = -1;
    this.clear();
  }

  /** Parameters in force (for izhikevich-2003 with the neuron's own a, b, c, d). Called every frame: compares without allocating. */
  setParams(params: Readonly<Record<string, number>>): void {
    const held = this.params;
    let same = true;
    let count = 0;
    for (const name in params) {
      count++;
      if (!Object.is(held[name], params[name])) {
        same = false;
        break;
      }
    }
    if (same) {
      let heldCount = 0;
      for (const _ in held) heldCount++;
      if (heldCount === count) return;
    }
    this.params = { ...params };
    this.paramsKey = Object.entries(params)
      .map(([k, v]) => `${k}=${v}`)
      .join();
    this.paramsVersion++;
  }

  /** The trail shows about this much time (the scope's window). */
  setTrailMs(ms: number): void {
    const steps = this.subject ? ms / this.subject.dtMs : TRAIL;
    this.stride = Math.max(1, Math.ceil(steps / (TRAIL - 64)));
  }

  setArea(x: number, y: number, width: number, height: number): void {
    this.area = { x, y, width: Math.max(120, width), height: Math.max(120, height) };
    this.plot = { x: x + MARGIN.left, y: y + MARGIN.top, width: Math.max(20, this.area.width - MARGIN.left - MARGIN.right), height: Math.max(20, this.area.height - MARGIN.top - MARGIN.bottom) };
    this.container.hitArea = new Rectangle(this.area.x, this.area.y, this.area.width, this.area.height);
    this.gridDirty = true;
  }

  setLocked(locked: boolean): void {
    this.locked = locked;
    this.planeDirty = true;
  }

  clear(): void {
    this.written = 0;
    this.sinceStored = 0;
    this.pendingJump = false;
    this.planeDirty = true;
    this.segmentsTo = 0;
    this.segmentsFor.x0 = NaN;
    this.jumps = [];
    this.dashesDirty = true;
  }

  push(frame: PlaneFrame): void {
    const subject = this.subject;
    const probes = this.probes;
    if (!subject || !probes) return;
    const started = performance.now();
    const index = this.indexChannels(frame.channels);
    const traces = frame.traces;
    const xTrace = traces[index.x];
    const yTrace = index.y >= 0 ? traces[index.y] : undefined;
    if (!xTrace || (probes.y && !yTrace) || index.inputs.some((i) => !traces[i])) return; // a frame from before the probes changed
    const inputs = index.inputs;
    const n = frame.steps;
    // Steps after which the state jumps: a spike's reset (the spike sample shows the peak), a set-state or a restart at the next step.
    let jumpCount = 0;
    const addJump = (step: number): void => {
      if (jumpCount === this.jumpSteps.length) {
        const grown = new Int32Array(2 * jumpCount);
        grown.set(this.jumpSteps);
        this.jumpSteps = grown;
      }
      this.jumpSteps[jumpCount++] = step;
    };
    if (probes.resets) {
      const { step: spikeSteps, neuron } = frame.spikes;
      for (let s = 0; s < spikeSteps.length; s++) if (neuron[s] === subject.neuron) addJump(spikeSteps[s]! + 1);
    }
    for (const event of frame.events) if (event.kind === 'restart' || (event.kind === 'set-state' && event.neuron === subject.neuron)) addJump(event.step);
    const jumpSteps = this.jumpSteps;
    const jumpsAt = (step: number): boolean => {
      for (let j = 0; j < jumpCount; j++) if (jumpSteps[j] === step) return true;
      return false;
    };
    for (let k = 0; k < n; k++) {
      const step = frame.firstStep + k;
      if (jumpCount > 0 && jumpsAt(step)) this.pendingJump = true;
      let input = 0;
      for (let t = 0; t < inputs.length; t++) input += traces[inputs[t]!]![k]!;
      const keep = this.pendingJump || (jumpCount > 0 && jumpsAt(step + 1)) || ++this.sinceStored >= this.stride || k === n - 1;
      if (!keep) continue;
      this.sinceStored = 0;
      const x = xTrace[k]!;
      const y = yTrace ? yTrace[k]! : lifSlope(this.params as { rm: number; cm: number }, x, input);
      const at = this.written % TRAIL;
      this.xs[at] = x;
      this.ys[at] = y;
      this.jump[at] = this.pendingJump ? 1 : 0;
      if (this.pendingJump) this.jumps.push(this.written);
      this.pendingJump = false;
      this.written++;
    }
    let input = 0;
    for (let t = 0; t < inputs.length; t++) input += traces[inputs[t]!]![n - 1]!;
    if (n > 0) this.input = input;
    this.record(performance.now() - started);
  }

  /** Where the plane's channels are in `channels` (looked up again only when the frames' channels change). */
  private indexChannels(channels: readonly { name: string }[]): { x: number; y: number; inputs: number[] } {
    const seen = this.channelsSeen;
    let same = seen !== undefined && seen.length === channels.length;
    for (let c = 0; same && c < channels.length; c++) if (seen![c]!.name !== channels[c]!.name) same = false;
    if (!same) {
      const names = this.channelNames!;
      const find = (name: string): number => channels.findIndex((c) => c.name === name);
      this.channelIndex = { x: find(names.x), y: names.y === null ? -1 : find(names.y), inputs: names.inputs.map(find) };
      this.channelsSeen = channels.map((c) => ({ name: c.name }));
    }
    return this.channelIndex;
  }

  draw(): void {
    if (!this.subject) return;
    const started = performance.now();
    if (!this.locked) this.autoRange();
    const at = this.planeFor;
    const { x: [x0, x1], y: [y0, y1] } = this.range;
    const rangeMoved = at.x0 !== x0 || at.x1 !== x1 || at.y0 !== y0 || at.y1 !== y1;
    if (rangeMoved || !Object.is(at.input, this.input) || at.params !== this.paramsVersion) {
      if (rangeMoved) this.gridDirty = true;
      this.planeFor = { input: this.input, params: this.paramsVersion, x0, x1, y0, y1 };
      try {
        this.plane = phasePlane(this.subject.model, this.params, this.input, { range: this.range, samples: Math.min(400, Math.round(this.plot.width)) });
      } catch {
        this.plane = undefined; // parameters the plane cannot use (the engine reports bad ones itself)
      }
      this.planeDirty = true;
    }
    if (this.gridDirty) this.drawGrid();
    if (this.planeDirty) this.drawPlane();
    this.drawTrail();
    this.record(performance.now() - started, true);
  }

  status(): PhasePlaneStatus | null {
    const plane = this.plane;
    if (!plane) return null;
    const count = this.written - firstShown(this.written);
    const last = this.written > 0 ? (this.written - 1) % TRAIL : -1;
    const frames = Math.min(this.costCount, this.cost.length);
    let sum = 0;
    let max = 0;
    for (let i = 0; i < frames; i++) {
      sum += this.cost[i]!;
      max = Math.max(max, this.cost[i]!);
    }
    // The median as well: a compile or a recomputed plane in one frame moves the mean, not it.
    const sorted = Array.from(this.cost.subarray(0, frames)).sort((a, b) => a - b);
    const median = frames ? (sorted[(frames - 1) >> 1]! + sorted[frames >> 1]!) / 2 : 0;
    return {
      model: plane.model,
      x: { ...plane.x },
      y: { ...plane.y },
      input: plane.input,
      fixedPoints: plane.fixedPoints.map((f) => ({ x: f.x, y: f.y, kind: f.kind })),
      range: { x: [...this.range.x], y: [...this.range.y] },
      locked: this.locked,
      plot: { ...this.plot },
      trail: { points: count, last: last >= 0 ? [this.xs[last]!, this.ys[last]!] : null },
      costMs: { mean: frames ? sum / frames : 0, median, max, frames },
    };
  }

  // ── Internals ─────────────────────────────────────────────────────────────────────────────

  /** push and draw of one frame add up into one entry. */
  private record(ms: number, closes = false): void {
    const at = this.costCount % this.cost.length;
    this.cost[at] = (this.costOpen ? this.cost[at]! : 0) + ms;
    this.costOpen = !closes;
    if (closes) this.costCount++;
  }

  /** The range that holds the trail, the fixed points and the reset lines, on nice ticks; it moves only when they leave it or fill less than half of it. */
  private autoRange(): void {
    const count = this.written - firstShown(this.written);
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (let p = this.written - count; p < this.written; p++) {
      const x = this.xs[p % TRAIL]!;
      const y = this.ys[p % TRAIL]!;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    for (const f of this.plane?.fixedPoints ?? []) {
      // Fixed points far from the trail (the saddle of (S) at −121 mV) widen the plane only moderately.
      if (count === 0 || (Math.abs(f.x - (x0 + x1) / 2) < 2 * (x1 - x0 + 1) && Math.abs(f.y - (y0 + y1) / 2) < 2 * (y1 - y0 + 1))) {
        x0 = Math.min(x0, f.x);
        x1 = Math.max(x1, f.x);
        y0 = Math.min(y0, f.y);
        y1 = Math.max(y1, f.y);
      }
    }
    const home = this.homeRange();
    if (!Number.isFinite(x0) || !Number.isFinite(y0)) {
      [x0, x1] = home.x;
      [y0, y1] = home.y;
    }
    for (const line of this.plane?.lines ?? []) {
      if (line.axis === 'x') {
        x0 = Math.min(x0, line.value);
        x1 = Math.max(x1, line.value);
      }
    }
    // The lowest point of the first nullcline over the x range: the knee of Izhikevich's v-nullcline,
    // which decides whether and where the neuron rests.
    const first = this.plane?.nullclines[0]?.points ?? [];
    let knee = Infinity;
    for (let k = 0; k + 1 < first.length; k += 2) if (first[k]! >= x0 && first[k]! <= x1 && first[k + 1]! < knee) knee = first[k + 1]!;
    if (Number.isFinite(knee) && knee > y0 - (home.y[1] - home.y[0])) y0 = Math.min(y0, knee);
    // At least a fifth of the model's own plane in each direction: a neuron at rest is a point, not a scale.
    const widen = (lo: number, hi: number, min: number): [number, number] => (hi - lo >= min ? [lo, hi] : [(lo + hi) / 2 - min / 2, (lo + hi) / 2 + min / 2]);
    [x0, x1] = widen(x0, x1, 0.2 * (home.x[1] - home.x[0]));
    [y0, y1] = widen(y0, y1, 0.2 * (home.y[1] - home.y[0]));
    const [cx0, cx1] = this.range.x;
    const [cy0, cy1] = this.range.y;
    const fits = (lo: number, hi: number, r0: number, r1: number): boolean => lo >= r0 && hi <= r1 && hi - lo > 0.45 * (r1 - r0);
    if (fits(x0, x1, cx0, cx1) && fits(y0, y1, cy0, cy1)) return;
    this.range = { x: niceRange(x0, x1, 6), y: niceRange(y0, y1, 6) };
  }

  /** The model's own plane for the parameters (phasePlane's default range), cached. */
  private homeRange(): PlaneRange {
    const key = `${this.paramsKey}|${this.subject?.model}`;
    if (this.home?.key !== key) {
      let range: PlaneRange = { x: [-1, 1], y: [-1, 1] };
      try {
        range = phasePlane(this.subject!.model, this.params, this.input).range;
      } catch {
        // parameters the plane cannot use: the default square
      }
      this.home = { key, range };
    }
    return this.home.range;
  }

  private px(x: number): number {
    const [x0, x1] = this.range.x;
    const p = this.plot.x + ((x - x0) / (x1 - x0)) * this.plot.width;
    return Math.min(this.plot.x + this.plot.width, Math.max(this.plot.x, p));
  }

  private py(y: number): number {
    const [y0, y1] = this.range.y;
    const p = this.plot.y + (1 - (y - y0) / (y1 - y0)) * this.plot.height;
    return Math.min(this.plot.y + this.plot.height, Math.max(this.plot.y, p));
  }

  private inside(x: number, y: number): boolean {
    return x >= this.range.x[0] && x <= this.range.x[1] && y >= this.range.y[0] && y <= this.range.y[1];
  }

  /** Grid, ticks and axis names: when the range or the area changes. (No background fill: the page's is the same colour, and two full-size fills doubled the frame's render time with SwiftShader.) */
  private drawGrid(): void {
    this.gridDirty = false;
    const { grid, axisLabels: labels, plot } = this;
    grid.clear();
    labels.begin();
    const xt = niceTicks(this.range.x[0], this.range.x[1], Math.max(3, Math.floor(plot.width / 70)));
    const yt = niceTicks(this.range.y[0], this.range.y[1], Math.max(3, Math.floor(plot.height / 45)));
    for (const t of xt.ticks) {
      const x = this.px(t);
      grid.moveTo(x, plot.y).lineTo(x, plot.y + plot.height);
      labels.add(formatTick(t, xt.step), x, plot.y + plot.height + 3, theme.label, 0.5, 0);
    }
    for (const t of yt.ticks) {
      const y = this.py(t);
      grid.moveTo(plot.x, y).lineTo(plot.x + plot.width, y);
      labels.add(formatTick(t, yt.step), plot.x - 4, y, theme.label, 1, 0.5);
    }
    grid.stroke({ width: 1, color: theme.grid });
    grid.rect(plot.x, plot.y, plot.width, plot.height).stroke({ width: 1, color: theme.axis });
    const plane = this.plane;
    if (plane) {
      const axisName = (a: { name: string; unit: string }): string => (a.unit ? `${a.name} (${a.unit})` : a.name);
      labels.add(axisName(plane.x), plot.x + plot.width / 2, plot.y + plot.height + 17, theme.text, 0.5, 0);
      this.yName.text = axisName(plane.y);
      this.yName.position.set(this.area.x + 4, plot.y + plot.height / 2);
    }
    labels.end();
  }

  /** Nullclines, fixed points, reset lines and the plane's labels: when the input, the parameters or the range change. */
  private drawPlane(): void {
    this.planeDirty = false;
    const { markers, labels, plot } = this;
    const plane = this.plane;
    markers.clear();
    labels.begin();
    const subject = this.subject!;
    let lineVertices = 0;
    const nullclineVertices = [0, 0];
    if (plane) {
      // The reset lines (vPeak, c, threshold), dashed.
      const lines = this.resetLines.xy;
      for (const line of plane.lines) {
        if (line.axis !== 'x' || line.value < this.range.x[0] || line.value > this.range.x[1]) continue;
        const x = this.px(line.value);
        lineVertices = dashSegments(lines, lineVertices, x, plot.y, x, plot.y + plot.height, 4, 4);
        labels.add(line.name, x + 3, plot.y + 2, COLORS.line, 0, 0);
      }
      plane.nullclines.forEach((nullcline, i) => {
        const layer = this.nullclines[i];
        if (!layer) return;
        const points = nullcline.points;
        const xy = layer.xy;
        let v = 0;
        let open = false;
        let px0 = 0;
        let py0 = 0;
        for (let k = 0; k + 1 < points.length && v + 8 <= xy.length; k += 2) {
          const x = points[k]!;
          const y = points[k + 1]!;
          if (!this.inside(x, y)) {
            open = false;
            continue;
          }
          const px1 = this.px(x);
          const py1 = this.py(y);
          if (open) {
            // The segment, and again half a pixel down and right: a line of about 1.5 px.
            xy[v] = px0;
            xy[v + 1] = py0;
            xy[v + 2] = px1;
            xy[v + 3] = py1;
            xy[v + 4] = px0 + 0.5;
            xy[v + 5] = py0 + 0.5;
            xy[v + 6] = px1 + 0.5;
            xy[v + 7] = py1 + 0.5;
            v += 8;
          }
          px0 = px1;
          py0 = py1;
          open = true;
        }
        nullclineVertices[i] = v / 2;
      });
      for (const f of plane.fixedPoints) {
        if (!this.inside(f.x, f.y)) continue;
        drawFixedPoint(markers, this.px(f.x), this.py(f.y), f.kind);
        labels.add(f.kind, this.px(f.x) + 7, this.py(f.y) + 5, kindColor(f.kind), 0, 0);
      }
      // Legend: the nullclines' colours.
      const names = plane.nullclines.map((n) => n.name);
      labels.add(names[0] ?? '', plot.x + plot.width - 4, plot.y + plot.height - 30, COLORS.xNullcline, 1, 0);
      labels.add(names[1] ?? '', plot.x + plot.width - 4, plot.y + plot.height - 16, COLORS.yNullcline, 1, 0);
      const input = `${formatInput(plane.input)} ${subject.inputUnit}`;
      const fixed = plane.fixedPoints.length === 0 ? 'no fixed point' : `${plane.fixedPoints.length} fixed point${plane.fixedPoints.length > 1 ? 's' : ''}`;
      labels.addFitted(`phase plane · neuron ${subject.neuron} · I = ${input} · ${fixed}`, this.area.width - 120, this.area.x + 6, this.area.y + 4, theme.text, true);
      if (plane.reduction) labels.addFitted(`reduced: ${plane.reduction.replace(/ \(.*\)$/, '')}`, plot.width - 90, plot.x + 4, plot.y + plot.height - 16, theme.label);
    }
    // A click on it toggles the lock (onPointerDown).
    labels.add(this.locked ? '[range locked]' : '[auto range]', this.area.x + this.area.width - 6, this.area.y + 4, this.locked ? theme.warn : theme.label, 1, 0);
    labels.end();
    this.resetLines.commit(lineVertices / 2);
    this.nullclines.forEach((layer, i) => layer.commit(nullclineVertices[i]!));
  }

  /**
   * The trail's new segments into their chunks (all of them again when the range or the plot
   * moved), the chunks' alphas by age, the dashes of the reset jumps when they changed.
   */
  private drawTrail(): void {
    const { plot, range } = this;
    const at = this.segmentsFor;
    if (at.x0 !== range.x[0] || at.x1 !== range.x[1] || at.y0 !== range.y[0] || at.y1 !== range.y[1] || at.px !== plot.x || at.py !== plot.y || at.width !== plot.width || at.height !== plot.height) {
      this.segmentsFor = { x0: range.x[0], x1: range.x[1], y0: range.y[0], y1: range.y[1], px: plot.x, py: plot.y, width: plot.width, height: plot.height };
      // Every point shown, written again.
      this.segmentsTo = firstShown(this.written);
      for (const chunk of this.chunks) chunk.xy.fill(0);
      this.chunkDirty.fill(1);
      this.dashesDirty = true;
    }
    const written = this.written;
    for (let p = this.segmentsTo; p < written; p++) {
      const chunk = Math.floor(p / CHUNK) % CHUNKS;
      const k = p % CHUNK;
      const first = firstShown(p + 1);
      if (k === 0) {
        // The head enters this chunk: its old points leave the trail, and the oldest chunk left loses the segment into its first point.
        this.chunks[chunk]!.xy.fill(0);
        const oldest = (chunk + 1) % CHUNKS;
        this.chunks[oldest]!.xy.fill(0, 0, 4);
        this.chunkDirty[oldest] = 1;
        if (this.jumps.length > 0 && this.jumps[0]! <= first) {
          while (this.jumps.length > 0 && this.jumps[0]! <= first) this.jumps.shift();
          this.dashesDirty = true;
        }
      }
      this.chunkDirty[chunk] = 1;
      // Segment k runs into point p from the one before; none into the trail's first point, and a jump is dashed.
      if (p === first || this.jump[p % TRAIL]) {
        if (this.jump[p % TRAIL]) this.dashesDirty = true;
        continue;
      }
      const xy = this.chunks[chunk]!.xy;
      const prev = (p - 1) % TRAIL;
      const now = p % TRAIL;
      xy[4 * k] = this.px(this.xs[prev]!);
      xy[4 * k + 1] = this.py(this.ys[prev]!);
      xy[4 * k + 2] = this.px(this.xs[now]!);
      xy[4 * k + 3] = this.py(this.ys[now]!);
    }
    this.segmentsTo = written;
    // Alphas: the head's chunk brightest, each older one dimmer.
    const headChunk = written > 0 ? Math.floor((written - 1) / CHUNK) : 0;
    for (let c = 0; c < CHUNKS; c++) {
      const layer = this.chunks[c]!;
      const age = (((headChunk - c) % CHUNKS) + CHUNKS) % CHUNKS;
      layer.view.alpha = 0.12 + (0.88 * (CHUNKS - age)) / CHUNKS;
      if (this.chunkDirty[c]) {
        this.chunkDirty[c] = 0;
        layer.commit(2 * CHUNK);
      }
    }
    if (this.dashesDirty) {
      this.dashesDirty = false;
      const dashes = this.dashes.xy;
      let d = 0;
      const first = firstShown(written);
      for (const p of this.jumps) {
        if (p <= first || p >= written) continue;
        const prev = (p - 1) % TRAIL;
        const now = p % TRAIL;
        d = dashSegments(dashes, d, this.px(this.xs[prev]!), this.py(this.ys[prev]!), this.px(this.xs[now]!), this.py(this.ys[now]!), 3, 3);
      }
      this.dashes.commit(d / 2);
    }
    // The current state: a dot at the trail's head.
    const count = written - firstShown(written);
    this.head.visible = count > 0;
    if (count > 0) {
      const head = (written - 1) % TRAIL;
      this.head.position.set(this.px(this.xs[head]!), this.py(this.ys[head]!));
    }
  }

  private onPointerDown(e: FederatedPointerEvent): void {
    const local = this.container.toLocal(e.global);
    const { plot } = this;
    if (local.y < plot.y && local.x > this.area.x + this.area.width - 120) {
      this.setLocked(!this.locked);
      this.onInvalidate?.();
      return;
    }
    if (local.x < plot.x || local.x > plot.x + plot.width || local.y < plot.y || local.y > plot.y + plot.height) return;
    const x = this.range.x[0] + ((local.x - plot.x) / plot.width) * (this.range.x[1] - this.range.x[0]);
    const y = this.range.y[1] - ((local.y - plot.y) / plot.height) * (this.range.y[1] - this.range.y[0]);
    this.onSetState?.(x, y);
  }
}

/** The first point (ring position ever written) the trail shows when `written` have been: the head's chunk and the CHUNKS − 1 before it. */
function firstShown(written: number): number {
  return written === 0 ? 0 : Math.max(0, (Math.floor((written - 1) / CHUNK) - (CHUNKS - 1)) * CHUNK);
}

function kindColor(kind: FixedPointKind): number {
  return kind.startsWith('stable') ? COLORS.stable : kind === 'saddle' ? COLORS.saddle : kind === 'non-hyperbolic' ? theme.text : COLORS.unstable;
}

/** Filled: stable; hollow: unstable; a ring around: focus; a diamond: saddle. */
function drawFixedPoint(g: Graphics, x: number, y: number, kind: FixedPointKind): void {
  const color = kindColor(kind);
  if (kind === 'saddle') {
    g.poly([x, y - 6, x + 6, y, x, y + 6, x - 6, y]).fill({ color, alpha: 0.35 }).stroke({ width: 1.5, color });
    return;
  }
  if (kind.startsWith('stable')) g.circle(x, y, 4.5).fill({ color });
  else g.circle(x, y, 4.5).fill({ color: theme.background }).stroke({ width: 1.5, color });
  if (kind.endsWith('focus')) g.circle(x, y, 8).stroke({ width: 1, color, alpha: 0.7 });
}

/** Dashes of a segment as vertex pairs written into `xy` from index `at` (while they fit); returns the next index. */
function dashSegments(xy: Float32Array, at: number, x0: number, y0: number, x1: number, y1: number, on: number, off: number): number {
  const length = Math.hypot(x1 - x0, y1 - y0);
  if (length === 0) return at;
  const ux = (x1 - x0) / length;
  const uy = (y1 - y0) / length;
  for (let s = 0; s < length && at + 4 <= xy.length; s += on + off) {
    const e = Math.min(length, s + on);
    xy[at++] = x0 + ux * s;
    xy[at++] = y0 + uy * s;
    xy[at++] = x0 + ux * e;
    xy[at++] = y0 + uy * e;
  }
  return at;
}

function formatInput(value: number): string {
  const a = Math.abs(value);
  return (a !== 0 && (a < 0.01 || a >= 1e5) ? value.toExponential(2) : Number(value.toFixed(3)).toString()).replace('-', '−');
}

/** Separate segments (x0, y0, x1, y1 per segment) redrawn every frame: a line-list mesh with WebGL, a Graphics path without. */
interface SegmentLayer {
  readonly view: Container;
  /** Vertex pairs: segment k is points 2k and 2k+1. */
  readonly xy: Float32Array;
  commit(vertices: number): void;
}

function createSegmentLayer(drawing: Drawing, vertices: number, color: number, alpha: number): SegmentLayer {
  return drawing === 'gpu' ? new MeshSegments(vertices, color, alpha) : new PathSegments(vertices, color, alpha);
}

class MeshSegments implements SegmentLayer {
  readonly view: Mesh<MeshGeometry>;
  readonly xy: Float32Array;
  private readonly buffer: Buffer;
  /** Vertices written by the last commit (the rest of the buffer is already zero). */
  private used = 0;

  constructor(vertices: number, color: number, alpha: number) {
    const count = vertices + (vertices % 2);
    this.xy = new Float32Array(count * 2);
    const indices = new Uint32Array(count);
    for (let i = 0; i < count; i++) indices[i] = i;
    const geometry = new MeshGeometry({ positions: this.xy, uvs: new Float32Array(count * 2), indices, topology: 'line-list' });
    geometry.batchMode = 'no-batch';
    this.buffer = geometry.getBuffer('aPosition');
    this.view = new Mesh({ geometry, texture: Texture.WHITE });
    this.view.tint = color;
    this.view.alpha = alpha;
    this.view.eventMode = 'none';
  }

  commit(vertices: number): void {
    // Unused segments collapse to a point (drawn as nothing).
    if (this.used > vertices) this.xy.fill(0, vertices * 2, this.used * 2);
    this.used = vertices;
    this.buffer.update();
    this.view.visible = vertices >= 2;
  }
}

class PathSegments implements SegmentLayer {
  readonly view = new Graphics();
  readonly xy: Float32Array;

  constructor(
    vertices: number,
    private readonly color: number,
    alpha: number,
  ) {
    this.xy = new Float32Array((vertices + 1) * 2);
    this.view.alpha = alpha;
    this.view.eventMode = 'none';
  }

  commit(vertices: number): void {
    const { view, xy } = this;
    view.clear();
    if (vertices < 2) return;
    // Consecutive segments that share an end point are one path.
    for (let k = 0; k + 1 < vertices; k += 2) {
      const i = 2 * k;
      if (xy[i] === 0 && xy[i + 1] === 0 && xy[i + 2] === 0 && xy[i + 3] === 0) continue; // an empty segment
      if (k === 0 || xy[i] !== xy[i - 2] || xy[i + 1] !== xy[i - 1]) view.moveTo(xy[i]!, xy[i + 1]!);
      view.lineTo(xy[i + 2]!, xy[i + 3]!);
    }
    view.stroke({ width: 1, color: this.color });
  }
}
