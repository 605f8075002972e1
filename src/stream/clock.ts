/**
 * Clocks: streams of ticks, each saying "compute steps firstStep … firstStep+steps−1".
 * Time is step × dt, never an accumulated float; a tick never skips or repeats a step.
 */
import { Observable } from 'rxjs';

/**
 * What a clock emits: "compute steps firstStep … firstStep + steps − 1".
 *
 * @example
 * ```ts
 * const tick: Tick = { firstStep: 0, steps: 40 };
 * ```
 */
export interface Tick {
  firstStep: number;
  steps: number;
}

/**
 * A virtual clock for Node, tests and fast replay: ticks of `stepsPerTick` steps (the last one
 * shorter) covering steps `from` … `from+totalSteps−1`, emitted synchronously as fast as the
 * subscriber consumes them.
 *
 * @example
 * ```ts
 * virtualClock(801, 40) // 801 steps, 40 per frame
 *   .pipe(simulate(builtinScene('izhikevich/B')!))
 *   .subscribe((frame) => console.log(frame.firstStep, frame.spikes.timeMs));
 * ```
 */
export function virtualClock(totalSteps: number, stepsPerTick: number, from = 0): Observable<Tick> {
  if (!Number.isInteger(stepsPerTick) || stepsPerTick < 1) throw new RangeError(`stepsPerTick = ${stepsPerTick} must be a whole number ≥ 1`);
  return new Observable<Tick>((subscriber) => {
    const end = from + totalSteps;
    for (let first = from; first < end && !subscriber.closed; first += stepsPerTick) {
      subscriber.next({ firstStep: first, steps: Math.min(stepsPerTick, end - first) });
    }
    subscriber.complete();
  });
}

/** A clock from an explicit list of tick sizes (used to test that grouping never matters). */
export function splitClock(sizes: readonly number[], from = 0): Observable<Tick> {
  return new Observable<Tick>((subscriber) => {
    let first = from;
    for (const steps of sizes) {
      if (subscriber.closed) return;
      subscriber.next({ firstStep: first, steps });
      first += steps;
    }
    subscriber.complete();
  });
}
