/**
 * The stats stream: from frames (and the wall time of their ticks) to what a status line
 * shows — simulated time, real-time factor, steps per second, frames per second, spikes and
 * firing rate, frames capped. Figures are averaged over a sliding window of recent frames.
 */
import { Observable, type OperatorFunction } from 'rxjs';
import type { Tick } from './clock.ts';

export interface WallTick extends Tick {
  /** Wall ms since the previous frame. */
  wallMs: number;
  capped: boolean;
}

/**
 * What a status line shows, averaged over recent frames: simulated time, real-time factor,
 * steps/s, fps, spikes, rate, frames capped.
 *
 * @example
 * ```ts
 * frames$
 *   .pipe(map((frame) => ({ ...frame, spikeCount: frame.spikes.step.length })), frameStats(scene.neurons))
 *   .subscribe((stats: Stats) => console.log(`${stats.realtimeFactor.toFixed(2)}× real time, ${stats.rateHz} Hz`));
 * ```
 */
export interface Stats {
  /** Simulated time at the end of the last frame, ms. */
  timeMs: number;
  /** Simulated time per wall time over the window (1 = real time). */
  realtimeFactor: number;
  stepsPerSecond: number;
  framesPerSecond: number;
  /** Spikes since the start of the run. */
  spikeCount: number;
  /** Mean firing rate per neuron over the window, Hz of simulated time. */
  rateHz: number;
  /** Frames in the window in which the clock hit its cap (the run fell behind wall time). */
  cappedFrames: number;
  /** Frames since the start in which the cap was hit. */
  cappedTotal: number;
}

/** What the stats need of a frame (a frame that came from the engine worker, or a SimFrame with its spikes counted). */
export interface StatsFrame {
  firstStep: number;
  steps: number;
  dtMs: number;
  spikeCount: number;
  tick: WallTick;
}

/**
 * Turns frames (of a real-time clock: they carry the wall time of their tick, and their spikes
 * counted) into {@link Stats} over a sliding window of `windowFrames` frames.
 *
 * @example
 * ```ts
 * realtimeClock({ dtMs: scene.dtMs, maxStepsPerFrame: 10_000 }, control$)
 *   .pipe(simulate(scene), map((frame) => ({ ...frame, spikeCount: frame.spikes.step.length })), frameStats(scene.neurons))
 *   .subscribe((stats) => (status.textContent = `${stats.timeMs} ms, ${stats.spikeCount} spikes`));
 * ```
 */
export function frameStats(neurons: number, windowFrames = 30): OperatorFunction<StatsFrame, Stats> {
  return (frames$) =>
    new Observable<Stats>((subscriber) => {
      const wall = new Float64Array(windowFrames);
      const steps = new Float64Array(windowFrames);
      const spikes = new Float64Array(windowFrames);
      const capped = new Uint8Array(windowFrames);
      let count = 0;
      let spikeCount = 0;
      let cappedTotal = 0;
      return frames$.subscribe({
        next: (frame) => {
          const slot = count % windowFrames;
          wall[slot] = frame.tick.wallMs;
          steps[slot] = frame.steps;
          spikes[slot] = frame.spikeCount;
          capped[slot] = frame.tick.capped ? 1 : 0;
          count++;
          spikeCount += frame.spikeCount;
          cappedTotal += capped[slot]!;
          const n = Math.min(count, windowFrames);
          let wallSum = 0;
          let stepSum = 0;
          let spikeSum = 0;
          let cappedSum = 0;
          for (let i = 0; i < n; i++) {
            wallSum += wall[i]!;
            stepSum += steps[i]!;
            spikeSum += spikes[i]!;
            cappedSum += capped[i]!;
          }
          const simMs = stepSum * frame.dtMs;
          subscriber.next({
            timeMs: (frame.firstStep + frame.steps) * frame.dtMs,
            realtimeFactor: wallSum > 0 ? simMs / wallSum : 0,
            stepsPerSecond: wallSum > 0 ? (stepSum * 1000) / wallSum : 0,
            framesPerSecond: wallSum > 0 ? (n * 1000) / wallSum : 0,
            spikeCount,
            rateHz: simMs > 0 ? (spikeSum * 1000) / (simMs * neurons) : 0,
            cappedFrames: cappedSum,
            cappedTotal,
          });
        },
        error: (e) => subscriber.error(e),
        complete: () => subscriber.complete(),
      });
    });
}
