/**
 * The real-time clock: turns wall time × speed into whole steps, once per animation frame.
 *
 * Each frame it owes (elapsed wall ms × speed) / dt steps; it emits the whole steps owed and
 * carries the fraction to the next frame. When more steps are owed than the cap allows, it
 * emits the cap and forgets the rest (no spiral of death) and marks the tick `capped`, so the
 * page can say that it runs slower than real time. Pause, resume, single steps and speed
 * changes come in as control messages. All frames of the page share one animationFrames loop.
 */
import { animationFrames, map, Observable, share, type Subscription } from 'rxjs';
import type { Tick } from './clock.ts';

/**
 * A command to the real-time clock: play, pause, toggle, single steps, speed (0.1× to 100×).
 *
 * @example
 * ```ts
 * const control$ = new Subject<ClockControl>();
 * control$.next({ kind: 'speed', speed: 2 });
 * control$.next({ kind: 'step', steps: 10 });
 * ```
 */
export type ClockControl =
  | { kind: 'play' }
  | { kind: 'pause' }
  | { kind: 'toggle' }
  /** Computes `steps` steps (default 1) from the next frame on, playing or paused, over several frames when the cap needs. */
  | { kind: 'step'; steps?: number }
  | { kind: 'speed'; speed: number };

export const MIN_SPEED = 0.1;
export const MAX_SPEED = 100;

/**
 * A tick of the real-time clock: the steps owed to wall time this animation frame, and the clock's
 * state.
 *
 * @example
 * ```ts
 * realtimeClock({ dtMs: 0.1, maxStepsPerFrame: 10_000 }, control$).subscribe((tick: RealtimeTick) => {
 *   if (tick.capped) console.log('slower than real time');
 * });
 * ```
 */
export interface RealtimeTick extends Tick {
  /** Steps the wall clock asked for this frame (≥ steps; larger when capped). */
  wanted: number;
  capped: boolean;
  /** Wall time since the previous frame, ms. */
  wallMs: number;
  playing: boolean;
  speed: number;
}

export interface RealtimeClockOptions {
  dtMs: number;
  /** Most steps computed in one frame. */
  maxStepsPerFrame: number;
  /** First step to emit (to resume a run). */
  from?: number;
  playing?: boolean;
  speed?: number;
  /** Frame timestamps in ms; the shared animation-frame loop by default (injectable for tests). */
  frames$?: Observable<number>;
}

/** One animationFrames loop for the whole page. */
export const sharedFrames$: Observable<number> = animationFrames().pipe(
  map((frame) => frame.timestamp),
  share(),
);

/**
 * Emits a tick on every frame in which there is something to compute.
 *
 * @example
 * ```ts
 * // In a browser: wall time × speed → whole steps per animation frame.
 * const control$ = new Subject<ClockControl>();
 * realtimeClock({ dtMs: scene.dtMs, maxStepsPerFrame: 10_000 }, control$)
 *   .pipe(simulate(scene))
 *   .subscribe((frame) => draw(frame));
 * control$.next({ kind: 'pause' });
 * ```
 */
export function realtimeClock(options: RealtimeClockOptions, control$: Observable<ClockControl>): Observable<RealtimeTick> {
  return new Observable<RealtimeTick>((subscriber) => {
    let next = options.from ?? 0;
    let playing = options.playing ?? true;
    let speed = clampSpeed(options.speed ?? 1);
    let owed = 0;
    let pendingSingle = 0;
    let lastTimestamp: number | undefined;
    const frames$ = options.frames$ ?? sharedFrames$;
    const emit = (steps: number, wanted: number, wallMs: number): void => {
      subscriber.next({ firstStep: next, steps, wanted, capped: wanted > steps, wallMs, playing, speed });
      next += steps;
    };
    const onControl = (control: ClockControl): void => {
      switch (control.kind) {
        case 'play':
          playing = true;
          break;
        case 'pause':
          playing = false;
          owed = 0;
          break;
        case 'toggle':
          playing = !playing;
          owed = 0;
          break;
        case 'step':
          pendingSingle += Math.max(1, Math.floor(control.steps ?? 1));
          break;
        case 'speed':
          speed = clampSpeed(control.speed);
          break;
      }
    };
    const onFrame = (timestamp: number): void => {
      const wallMs = lastTimestamp === undefined ? 0 : Math.max(0, timestamp - lastTimestamp);
      lastTimestamp = timestamp;
      const single = pendingSingle;
      let wanted = single;
      if (playing) {
        owed += (wallMs * speed) / options.dtMs;
        const whole = Math.floor(owed);
        owed -= whole;
        wanted += whole;
      }
      const steps = Math.min(wanted, options.maxStepsPerFrame);
      // Steps asked for explicitly are kept for the next frames; wall-clock steps the cap refused
      // are forgotten: the run falls behind wall time instead of spiralling.
      pendingSingle = Math.max(0, single - steps);
      if (steps > 0 || wanted > 0) emit(steps, wanted, wallMs);
    };
    const subscriptions: Subscription[] = [
      control$.subscribe({ next: onControl, error: (e) => subscriber.error(e) }),
      frames$.subscribe({ next: onFrame, error: (e) => subscriber.error(e), complete: () => subscriber.complete() }),
    ];
    return () => subscriptions.forEach((s) => s.unsubscribe());
  });
}

export function clampSpeed(speed: number): number {
  if (!Number.isFinite(speed)) return 1;
  return Math.min(MAX_SPEED, Math.max(MIN_SPEED, speed));
}
