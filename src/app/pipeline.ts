/**
 * The page's pipeline, in one place. Cycle.js's shape: the sources (animation frames, the user's
 * intents) go in, the sinks (the views) come out, and every effect lives in a driver — the engine
 * worker behind EngineClient, Pixi behind the views.
 *
 *   animation frames ─┐
 *   control$ ─────────┴─► realtimeClock ─► tick ─► engine (LiveRun: one advance per tick, ─► frame ─► views
 *   (play, pause,            ▲ (the one pacer)      inputs checked once, here)                (scope, raster,
 *    speed, step, seek)      └──────────── done (one tick in flight) ◄─────────────────────┘   plane, status)
 *
 * `pageClock` is the first stage, one for the page's lifetime (its play, pause and speed follow the
 * page's state: src/app/lab-state.ts); `startRun` the second, for one session of the engine (the
 * lab's scene or replay, or each preset of the gallery), started under the clock; `toViews`
 * connects the third. Nothing here holds state: the page's state holds play, pause, speed and
 * loop, the clock the pacing, the engine the run, the views what they show.
 */
import { connectable, Subject, Subscription, type Observable } from 'rxjs';
import type { Scene } from '../core/scene.ts';
import type { EngineClient } from '../engine/client.ts';
import { LiveRun, type LiveFrame, type PageClock } from '../engine/live-run.ts';
import type { OpenOptions } from '../engine/protocol.ts';
import type { SessionStatus } from '../session/session.ts';
import type { RasterUpdate } from '../stream/raster-bins.ts';
import { clockReports, type ClockControl } from '../stream/realtime.ts';

/**
 * The real-time clock of a page (the lab has one for its lifetime; each preset of the gallery
 * one): `control$` drives it — play, pause and speed from the page's state, a `run` control
 * when a run starts under it, `done` and single steps from the run. Its reports are shared, so
 * the clock and its play and speed go on from one run to the next.
 */
export function pageClock(initial: { playing: boolean; speed: number }, frames$?: Observable<number>): PageClock & { control$: Subject<ClockControl> } {
  const control$ = new Subject<ClockControl>();
  // dt and the cap are the run's: each run starts under the clock with its own (a `run` control).
  const reports$ = connectable(clockReports({ dtMs: 1, maxStepsPerFrame: 1, playing: initial.playing, speed: initial.speed, oneInFlight: true, ...(frames$ && { frames$ }) }, control$), {
    connector: () => new Subject(),
    resetOnDisconnect: false,
  });
  // Running from now on, for the page's lifetime: no control is lost before the first run, none between two runs.
  reports$.connect();
  return { control$, reports$ };
}

/**
 * clock → engine: a run of session `session` under `clock`. With `open`, the run opens the
 * session in the engine with the scene; with `status`, the session is there already (a replay
 * the engine just opened). `loop`: whether the session loops its protocol as it opens.
 */
export function startRun(engine: EngineClient, session: number, scene: Scene, clock: PageClock, options: { loop: boolean; maxStepsPerAdvance: number }, start: { open: OpenOptions } | { status: SessionStatus }): LiveRun {
  return new LiveRun(engine, session, scene, { ...options, clock }, start);
}

/** What the views do with a run's output. */
export interface ViewSinks {
  /** A frame the engine computed: the scope, the raster, the phase plane and the status line draw it. */
  frame(live: LiveFrame): void;
  /** The raster binned again by the engine for a new view (zoom, pan). */
  raster?(update: RasterUpdate): void;
  /** The run stopped (a divergence, the worker died): the views keep their last frame. */
  failed(error: Error): void;
  /** An input the engine refused: the run goes on. */
  rejected?(error: Error): void;
  /** A replay reached its recording's end. */
  ended?(): void;
}

/** engine → views. */
export function toViews(run: LiveRun, views: ViewSinks): Subscription {
  const subscription = new Subscription();
  subscription.add(run.frames$.subscribe((live) => views.frame(live)));
  if (views.raster) subscription.add(run.rasters$.subscribe((update) => views.raster!(update)));
  subscription.add(run.errors$.subscribe((error) => views.failed(error)));
  if (views.rejected) subscription.add(run.rejections$.subscribe((error) => views.rejected!(error)));
  if (views.ended) subscription.add(run.ended$.subscribe(() => views.ended!()));
  return subscription;
}
