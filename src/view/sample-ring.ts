/**
 * The recent history of one channel: a ring of Float32 samples addressed by an absolute,
 * ever-growing sample index (sample k is the value at the end of the k-th step the view was
 * given). Pure typed-array code, no Pixi.
 */
export class SampleRing {
  readonly values: Float32Array;
  private readonly mask: number;
  /** Samples written since the last clear; the next sample's index. */
  written = 0;

  /** `capacity` is rounded up to a power of two. */
  constructor(capacity: number) {
    const size = 2 ** Math.ceil(Math.log2(Math.max(2, capacity)));
    this.values = new Float32Array(size);
    this.mask = size - 1;
  }

  get capacity(): number {
    return this.values.length;
  }

  /** Oldest index still held. */
  get oldest(): number {
    return Math.max(0, this.written - this.values.length);
  }

  push(source: ArrayLike<number>, count = source.length): void {
    const skip = Math.max(0, count - this.values.length);
    for (let i = skip; i < count; i++) this.values[(this.written + i) & this.mask] = source[i]!;
    this.written += count;
  }

  /** Moves the write position on by `count` samples with no data (NaN: a gap in the trace). */
  skip(count: number): void {
    const n = Math.min(count, this.values.length);
    for (let i = 0; i < n; i++) this.values[(this.written + i) & this.mask] = NaN;
    this.written += count;
  }

  at(index: number): number {
    return this.values[index & this.mask]!;
  }

  clear(): void {
    this.written = 0;
  }
}

/** Where a decimated trace goes on screen: x of the window's first sample, px per sample, y mapping. */
export interface TracePlacement {
  left: number;
  width: number;
  top: number;
  height: number;
  /** Value at the bottom and top of the lane. */
  lo: number;
  hi: number;
}

/**
 * Writes the samples [start, end) of a window that begins at `windowStart` and is
 * `windowSamples` long into `xy` as a polyline: one point per sample when there are few,
 * else the min and max of each pixel column, in the order they occur (so a spike inside a
 * column is drawn whole and the line stays continuous). Values outside [lo, hi]
 * are clamped to the lane's edge. Returns the number of points and the data's min and max.
 */
export function decimate(
  ring: SampleRing,
  windowStart: number,
  windowSamples: number,
  start: number,
  end: number,
  place: TracePlacement,
  xy: Float32Array,
  extent: Float64Array,
): number {
  const maxPoints = xy.length >> 1;
  const { left, width, top, height, lo, hi } = place;
  const bottom = top + height;
  const scale = hi > lo ? height / (hi - lo) : 0;
  const pxPerSample = width / Math.max(1, windowSamples - 1);
  let points = 0;
  let min = Infinity;
  let max = -Infinity;
  const y = (v: number): number => {
    const p = bottom - (v - lo) * scale;
    return p < top ? top : p > bottom ? bottom : p;
  };
  if (end <= start) {
    extent[0] = min;
    extent[1] = max;
    return 0;
  }
  // One column per pixel (as many as the buffer holds): one point per sample when that is at most two per column.
  const columns = Math.max(1, Math.min(maxPoints >> 1, Math.round(width)));
  if (windowSamples <= 2 * columns) {
    for (let k = start; k < end && points < maxPoints; k++) {
      const v = ring.at(k);
      if (v !== v) continue;
      if (v < min) min = v;
      if (v > max) max = v;
      xy[2 * points] = left + (k - windowStart) * pxPerSample;
      xy[2 * points + 1] = y(v);
      points++;
    }
  } else {
    const samplesPerColumn = windowSamples / columns;
    const pxPerColumn = width / columns;
    const firstColumn = Math.max(0, Math.floor((start - windowStart) / samplesPerColumn));
    for (let c = firstColumn; c < columns; c++) {
      const from = Math.max(start, windowStart + Math.ceil(c * samplesPerColumn));
      const to = Math.min(end, windowStart + Math.ceil((c + 1) * samplesPerColumn));
      if (from >= end) break;
      if (to <= from) continue;
      let cMin = Infinity;
      let cMax = -Infinity;
      let iMin = 0;
      let iMax = 0;
      for (let k = from; k < to; k++) {
        const v = ring.at(k);
        if (v < cMin) {
          cMin = v;
          iMin = k;
        }
        if (v > cMax) {
          cMax = v;
          iMax = k;
        }
      }
      if (cMin === Infinity) continue;
      if (cMin < min) min = cMin;
      if (cMax > max) max = cMax;
      const x = left + (c + 0.5) * pxPerColumn;
      const first = iMin <= iMax ? cMin : cMax;
      const second = iMin <= iMax ? cMax : cMin;
      xy[2 * points] = x;
      xy[2 * points + 1] = y(first);
      xy[2 * points + 2] = x;
      xy[2 * points + 3] = y(second);
      points += 2;
    }
  }
  extent[0] = min;
  extent[1] = max;
  return points;
}
