/**
 * The real-time clock, the one pacer of the page: turns wall time × speed into whole steps.
 *
 * Each animation frame adds the steps its wall time owes ((elapsed wall ms × speed) / dt); the
 * whole steps owed go out as a tick and the fraction is carried. Owed steps are capped at
 * `maxStepsPerFrame`: steps owed beyond it are forgotten and the next tick says `capped`, so that
 * the page shows that the run is slower than real time instead of queueing work without bound
 * (no spiral of death). Single steps asked for explicitly are never forgotten: they go in ticks
 * of the cap, before the owed ones.
 *
 * With `oneInFlight` (the page: the engine computes in a worker), a tick is in flight until a
 * `done` control says the engine is through with it; meanwhile the owed steps accumulate (up to
 * the cap) and the tick after carries them all, at once when `done` comes. A slow engine is
 * never idle and never flooded. Without it (a synchronous consumer, e.g. `simulate` in the same
 * thread) every tick is done as soon as it is emitted.
 *
 * Pause, play, single steps, speed changes, seeks and `done` come in as control messages; a tick
 * is emitted on the frame or the control that makes steps due. A `run` control starts a new run
 * under the same clock (the lab keeps one clock for the page: a scene change restarts the run,
 * not the clock's play and speed). All clocks of the page share one animationFrames loop.
 */
import { animationFrames, filter, map, Observable, share, type OperatorFunction, type Subscription } from 'rxjs';
import type { Tick } from './clock.ts';

/**
 * A command to the real-time clock: play, pause, toggle, single steps, speed (0.1× to 100×), and
 * for a clock with a tick in flight, `done` and `seek`.
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
  /** Stops the wall-clock steps and forgets what was owed, single steps included. */
  | { kind: 'pause' }
  | { kind: 'toggle' }
  /** Computes `steps` steps (default 1), playing or paused, over several ticks when the cap needs. */
  | { kind: 'step'; steps?: number }
  | { kind: 'speed'; speed: number }
  /** The tick in flight is computed and the run is at step `next` (a replay may stop short of the tick's end). */
  | { kind: 'done'; next: number }
  /** The run jumps to step `from`: forget the wall time owed and compute `fill` steps from there. */
  | { kind: 'seek'; from: number; fill: number }
  /**
   * A new run (a scene opened, a replay) under the same clock: steps of `dtMs` from step `from`,
   * at most `maxStepsPerFrame` per tick. What was owed, asked for or in flight is forgotten, and
   * the wall clock starts again at the next frame; play and speed go on as they were.
   */
  | { kind: 'run'; from: number; dtMs: number; maxStepsPerFrame: number };

export const MIN_SPEED = 0.1;
export const MAX_SPEED = 100;

/**
 * A tick of the real-time clock: the steps to compute, how many of them wall time owed, the wall
 * time they stand for, and the clock's state.
 *
 * @example
 * ```ts
 * realtimeClock({ dtMs: 0.1, maxStepsPerFrame: 10_000 }, control$).subscribe((tick: RealtimeTick) => {
 *   if (tick.capped) console.log('slower than real time');
 * });
 * ```
 */
export interface RealtimeTick extends Tick {
  /** Wall-clock steps asked for: `paced` and those the cap forgot since the previous tick (rounded up), so `capped` ⇔ wanted > paced. */
  wanted: number;
  /** Steps of the tick that wall time owed (the rest were asked for explicitly: single steps, a seek's fill). */
  paced: number;
  /** Wall-clock steps owed beyond the cap were forgotten since the previous tick. */
  capped: boolean;
  /** Wall time (while playing) since the previous tick, ms. */
  wallMs: number;
  playing: boolean;
  speed: number;
}

/** What the clock says after each control or frame: whether it plays, at what speed, the single steps it still owes, and the tick it emits, if any. */
export interface ClockReport {
  playing: boolean;
  speed: number;
  /** Steps asked for explicitly (single steps, a seek's fill) not yet in a tick. */
  pending: number;
  tick: RealtimeTick | null;
}

export interface RealtimeClockOptions {
  dtMs: number;
  /** Most steps in one tick; wall-clock steps owed beyond it are forgotten. */
  maxStepsPerFrame: number;
  /** First step to emit (to resume a run). */
  from?: number;
  playing?: boolean;
  speed?: number;
  /** At most one tick in flight: the next waits for a `done` control. */
  oneInFlight?: boolean;
  /** Frame timestamps in ms; the shared animation-frame loop by default (injectable for tests). */
  frames$?: Observable<number>;
}

/** One animationFrames loop for the whole page. */
export const sharedFrames$: Observable<number> = animationFrames().pipe(
  map((frame) => frame.timestamp),
  share(),
);

/**
 * Emits a tick whenever steps are due (see the file's comment for the rules).
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
  return clockReports(options, control$).pipe(onlyTicks());
}

function onlyTicks(): OperatorFunction<ClockReport, RealtimeTick> {
  return (reports$) =>
    reports$.pipe(
      map((report) => report.tick),
      filter((tick): tick is RealtimeTick => tick !== null),
    );
}

/**
 * The clock with its state: a report when subscribed and after every control and every frame (whether
 * it plays, its speed, the tick it emits if any), for a driver that shows the state and sends
 * the ticks. `realtimeClock` is its ticks.
 */
export function clockReports(options: RealtimeClockOptions, control$: Observable<ClockControl>): Observable<ClockReport> {
  return new Observable<ClockReport>((subscriber) => {
    const capOf = (max: number): number => Math.max(1, Math.floor(max));
    let cap = capOf(options.maxStepsPerFrame);
    let dtMs = options.dtMs;
    let next = options.from ?? 0;
    let playing = options.playing ?? true;
    let speed = clampSpeed(options.speed ?? 1);
    /** Wall-clock steps owed (fractional), at most the cap. */
    let owed = 0;
    /** Steps asked for explicitly, not yet sent. */
    let explicit = 0;
    /** Wall time since the last tick, and the wall-clock steps the cap forgot since (fractional). */
    let wallMs = 0;
    let forgotten = 0;
    let inFlight = false;
    let lastTimestamp: number | undefined;
    const frames$ = options.frames$ ?? sharedFrames$;

    /** Sends the next tick when none is in flight and steps are due; reports the clock's state. */
    const report = (): void => {
      let tick: RealtimeTick | null = null;
      if (!inFlight) {
        const single = Math.min(explicit, cap);
        const paced = Math.min(Math.floor(owed), cap - single);
        const steps = single + paced;
        if (steps > 0) {
          explicit -= single;
          owed -= paced;
          const capped = forgotten > 0;
          tick = { firstStep: next, steps, wanted: paced + Math.ceil(forgotten), paced, capped, wallMs, playing, speed };
          next += steps;
          wallMs = 0;
          forgotten = 0;
          inFlight = options.oneInFlight === true;
        }
      }
      subscriber.next({ playing, speed, pending: explicit, tick });
    };
    const pause = (): void => {
      playing = false;
      owed = 0;
      explicit = 0;
    };
    const onControl = (control: ClockControl): void => {
      switch (control.kind) {
        case 'play':
          playing = true;
          break;
        case 'pause':
          pause();
          break;
        case 'toggle':
          if (playing) pause();
          else playing = true;
          break;
        case 'step':
          explicit += Math.max(1, Math.floor(control.steps ?? 1));
          break;
        case 'speed':
          speed = clampSpeed(control.speed);
          break;
        case 'done':
          inFlight = false;
          next = control.next;
          break;
        case 'seek':
          owed = 0;
          explicit = Math.max(0, Math.floor(control.fill));
          next = control.from;
          break;
        case 'run':
          next = control.from;
          dtMs = control.dtMs;
          cap = capOf(control.maxStepsPerFrame);
          owed = explicit = wallMs = forgotten = 0;
          inFlight = false;
          lastTimestamp = undefined;
          break;
      }
      report();
    };
    const onFrame = (timestamp: number): void => {
      const elapsed = lastTimestamp === undefined ? 0 : Math.max(0, timestamp - lastTimestamp);
      lastTimestamp = timestamp;
      if (playing) {
        wallMs += elapsed;
        owed += (elapsed * speed) / dtMs;
        if (owed > cap) {
          // Owed beyond what one tick may carry: forgotten, and said (slower than real time).
          forgotten += owed - cap;
          owed = cap;
        }
      }
      // Paused, a frame still sends the single steps the cap held back.
      report();
    };
    // The state it starts in, before any control or frame.
    subscriber.next({ playing, speed, pending: 0, tick: null });
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
