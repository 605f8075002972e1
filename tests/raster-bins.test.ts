/**
 * The raster's bins in the engine worker (src/stream/raster-bins.ts): whatever the frames, views
 * and jumps, the bitmap the page builds from the updates (overwriting their columns, as
 * src/view/raster.ts does) is the bitmap of the window binned at once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RasterBins, type RasterUpdate, type RasterView } from '../src/stream/raster-bins.ts';

/** The page's side: a ring of columns overwritten by each update. */
class PageBitmap {
  hits: Uint8Array;
  counts: Uint32Array;
  head = -1;
  constructor(readonly view: RasterView) {
    this.hits = new Uint8Array(view.width * view.rows);
    this.counts = new Uint32Array(view.width);
  }
  apply(update: RasterUpdate): void {
    const { width, rows } = this.view;
    for (let k = 0; k < update.counts.length; k++) {
      const column = (((update.firstBin + k) % width) + width) % width;
      for (let row = 0; row < rows; row++) this.hits[row * width + column] = update.hits[k * rows + row]!;
      this.counts[column] = update.counts[k]!;
    }
    this.head = update.headBin;
  }
}

/** A frame of spikes: times in (startMs, endMs], any neurons. */
const frameArbitrary = (neurons: number) =>
  fc.record({ ms: fc.double({ min: 0.1, max: 40, noNaN: true }), spikes: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: neurons - 1 })), { maxLength: 60 }) });

describe('raster bins', () => {
  it('the page bitmap built from the updates is the window binned at once, for any frames, views and jumps', () => {
    const neurons = 500;
    const viewArbitrary = fc.record({ width: fc.integer({ min: 5, max: 80 }), rows: fc.integer({ min: 1, max: 60 }), windowMs: fc.constantFrom(10, 37.5, 100), first: fc.integer({ min: 0, max: 400 }), count: fc.integer({ min: 8, max: 500 }) });
    const step = fc.oneof(frameArbitrary(neurons).map((f) => ({ kind: 'frame' as const, ...f })), viewArbitrary.map((v) => ({ kind: 'view' as const, v })), fc.constant({ kind: 'jump' as const }));
    fc.assert(
      fc.property(viewArbitrary, fc.array(step, { maxLength: 25 }), (first, steps) => {
        let version = 1;
        let view: RasterView = { ...first, count: Math.min(first.count, neurons - first.first), version };
        const bins = new RasterBins();
        bins.setView(view);
        let page = new PageBitmap(view);
        page.apply(bins.take());
        let now = 0;
        const all: { neuron: number[]; timeMs: number[] } = { neuron: [], timeMs: [] };
        for (const s of steps) {
          if (s.kind === 'view') {
            view = { ...s.v, count: Math.min(s.v.count, neurons - s.v.first), version: ++version };
            bins.setView(view);
            page = new PageBitmap(view);
            page.apply(bins.take());
          } else if (s.kind === 'jump') {
            bins.clear();
            all.neuron = [];
            all.timeMs = [];
            now = 0;
            page.apply(bins.take());
          } else {
            const end = now + s.ms;
            const spikes = s.spikes.map(([f, n]) => [now + Math.max(1e-9, f) * s.ms, n] as const).sort((a, b) => a[0] - b[0]);
            const frame = { neuron: Int32Array.from(spikes, (x) => x[1]), timeMs: Float64Array.from(spikes, (x) => x[0]) };
            bins.push(frame, end);
            all.neuron.push(...frame.neuron);
            all.timeMs.push(...frame.timeMs);
            now = end;
            page.apply(bins.take());
          }
        }
        // The same window binned at once.
        const fresh = new RasterBins();
        fresh.push({ neuron: Int32Array.from(all.neuron), timeMs: Float64Array.from(all.timeMs) }, now);
        fresh.setView(view);
        const reference = new PageBitmap(view);
        reference.apply(fresh.take());
        expect(page.head).toBe(reference.head);
        expect(page.hits).toEqual(reference.hits);
        expect(page.counts).toEqual(reference.counts);
      }),
      { numRuns: 300 },
    );
  });
});
