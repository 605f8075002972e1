/**
 * The model operator: ticks in, frames out, one frame per tick.
 *
 *   clock$.pipe(simulate(scene, inputs$))  →  Observable<Frame>
 *
 * Inputs arriving while the run goes on are stamped with the next step not yet computed and
 * take effect there; inputs that already carry a step (a replayed log) keep it. Every event
 * the run applies is reported in the frame that contains its step, so that a recorder sees
 * the whole truth of the run: (scene, event log).
 */
import { EMPTY, Observable, type OperatorFunction } from 'rxjs';
import type { Input, InputEvent } from '../core/events.ts';
import type { Scene } from '../core/scene.ts';
import { Simulation, type Frame } from '../core/simulation.ts';
import type { Tick } from './clock.ts';

/**
 * A frame with the tick that asked for it and the events that took effect in its steps.
 *
 * @example
 * ```ts
 * virtualClock(400, 100)
 *   .pipe(simulate(builtinScene('lif')!))
 *   .subscribe((frame: SimFrame) => console.log(frame.tick.firstStep, frame.events.length));
 * ```
 */
export interface SimFrame<T extends Tick = Tick> extends Frame {
  tick: T;
  events: InputEvent[];
  /** The simulation that produced the frame, for sinks that read state (read-only use). */
  simulation: Simulation;
}

export type StampedOrLive = Input | InputEvent;

function isStamped(input: StampedOrLive): input is InputEvent {
  return typeof (input as { step?: unknown }).step === 'number';
}

/**
 * The model operator: ticks and inputs in, one frame per tick out (typed arrays for every step of
 * the tick: traces per probe, spikes). Any split of the steps into ticks gives bit-identical
 * output.
 *
 * @example
 * ```ts
 * // The README's Node example: Izhikevich (B) gets a 2 ms hand pulse at 10 ms.
 * const scene = builtinScene('izhikevich/B')!;
 * const hand$ = new Subject<Input>();
 * virtualClock(801, 40)
 *   .pipe(simulate(scene, hand$))
 *   .subscribe((frame) => {
 *     frame.spikes.timeMs.forEach((t, i) => console.log(`spike of neuron ${frame.spikes.neuron[i]} at ${t} ms`));
 *     if (frame.firstStep === 0) hand$.next({ kind: 'pulse', amplitude: 30, durationMs: 2 });
 *   });
 * ```
 */
export function simulate<T extends Tick>(scene: Scene | (() => Simulation), inputs$: Observable<StampedOrLive> = EMPTY): OperatorFunction<T, SimFrame<T>> {
  return (ticks$) =>
    new Observable<SimFrame<T>>((subscriber) => {
      const simulation = typeof scene === 'function' ? scene() : new Simulation(scene);
      const applied: InputEvent[] = [];
      const inputSub = inputs$.subscribe({
        next: (input) => {
          const event = isStamped(input) ? input : ({ ...input, step: simulation.step } as InputEvent);
          try {
            simulation.schedule(event);
            applied.push(event);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error) => subscriber.error(error),
      });
      const tickSub = ticks$.subscribe({
        next: (tick) => {
          if (tick.firstStep !== simulation.step) {
            subscriber.error(new Error(`tick starts at step ${tick.firstStep} but the simulation is at step ${simulation.step}`));
            return;
          }
          let frame: Frame;
          try {
            frame = simulation.advance(tick.steps);
          } catch (error) {
            subscriber.error(error);
            return;
          }
          const end = frame.firstStep + frame.steps;
          let n = 0;
          while (n < applied.length && applied[n]!.step < end) n++;
          subscriber.next({ ...frame, tick, events: applied.splice(0, n), simulation });
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        inputSub.unsubscribe();
        tickSub.unsubscribe();
      };
    });
}
