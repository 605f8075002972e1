/** Main-thread milliseconds of recent frames: total, simulation, and views (push, draw, render). */
export class FrameTimer {
  private readonly total: Float64Array;
  private readonly sim: Float64Array;
  private readonly view: Float64Array;
  private count = 0;

  constructor(private readonly size = 240) {
    this.total = new Float64Array(size);
    this.sim = new Float64Array(size);
    this.view = new Float64Array(size);
  }

  record(totalMs: number, simMs: number, viewMs: number): void {
    const slot = this.count++ % this.size;
    this.total[slot] = totalMs;
    this.sim[slot] = simMs;
    this.view[slot] = viewMs;
  }

  clear(): void {
    this.count = 0;
  }

  /** Oldest first. */
  recent(): { totalMs: number[]; simMs: number[]; viewMs: number[] } {
    const n = Math.min(this.count, this.size);
    const pick = (a: Float64Array): number[] => Array.from({ length: n }, (_, k) => a[(this.count - n + k) % this.size]!);
    return { totalMs: pick(this.total), simMs: pick(this.sim), viewMs: pick(this.view) };
  }
}
