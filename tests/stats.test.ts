/** The stats stream (src/stream/stats.ts): what the status line shows, from the frames of the page's runs. */
import { from, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { frameStats, type Stats, type StatsFrame } from '../src/stream/stats.ts';

/** A frame of `steps` steps at dt 0.5 ms that took `wallMs` of wall time, with `spikes` spikes. */
function frames(list: { steps: number; wallMs: number; spikes: number; capped?: boolean }[]): StatsFrame[] {
  let first = 0;
  return list.map(({ steps, wallMs, spikes, capped = false }) => {
    const frame = { firstStep: first, steps, dtMs: 0.5, spikeCount: spikes, tick: { firstStep: first, steps, wallMs, capped } };
    first += steps;
    return frame;
  });
}

function statsOf(input: StatsFrame[], neurons: number, windowFrames?: number): Stats[] {
  let out: Stats[] = [];
  from(input).pipe(frameStats(neurons, windowFrames), toArray()).subscribe((s) => (out = s));
  return out;
}

describe('frameStats', () => {
  it('real-time factor, steps/s, fps and rate over the frames so far', () => {
    // 2 frames of 32 steps (16 ms simulated) in 16 ms of wall time each: real time, 62.5 fps.
    const [first, second] = statsOf(frames([{ steps: 32, wallMs: 16, spikes: 3 }, { steps: 32, wallMs: 16, spikes: 1 }]), 10);
    expect(first).toEqual({ timeMs: 16, realtimeFactor: 1, stepsPerSecond: 2000, framesPerSecond: 62.5, spikeCount: 3, rateHz: (3 * 1000) / (16 * 10), cappedFrames: 0, cappedTotal: 0 });
    expect(second!.timeMs).toBe(32);
    expect(second!.spikeCount).toBe(4);
    // 4 spikes over 32 ms of 10 neurons: 12.5 Hz.
    expect(second!.rateHz).toBe(12.5);
    expect(second!.realtimeFactor).toBe(1);
  });

  it('averages over a sliding window, counts all spikes and capped frames since the start', () => {
    const list = [
      { steps: 10, wallMs: 100, spikes: 5, capped: true },
      { steps: 40, wallMs: 10, spikes: 0 },
      { steps: 40, wallMs: 10, spikes: 2, capped: true },
      { steps: 40, wallMs: 10, spikes: 0 },
    ];
    const stats = statsOf(frames(list), 1, 2);
    const last = stats.at(-1)!;
    // The window holds the last two frames: 80 steps (40 ms) in 20 ms.
    expect(last.realtimeFactor).toBe(2);
    expect(last.framesPerSecond).toBe(100);
    expect(last.cappedFrames).toBe(1);
    expect(last.cappedTotal).toBe(2);
    expect(last.spikeCount).toBe(7);
    expect(last.rateHz).toBe((2 * 1000) / 40);
    expect(last.timeMs).toBe(130 * 0.5);
  });

  it('no wall time yet (the first frame of a run, or single steps): figures are 0, not Infinity or NaN', () => {
    const [s] = statsOf(frames([{ steps: 0, wallMs: 0, spikes: 0 }]), 5);
    expect(s).toEqual({ timeMs: 0, realtimeFactor: 0, stepsPerSecond: 0, framesPerSecond: 0, spikeCount: 0, rateHz: 0, cappedFrames: 0, cappedTotal: 0 });
  });
});
