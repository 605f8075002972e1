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
 * `startRun` builds the first two stages for one session of the engine (the lab's scene or
 * replay, or each preset of the gallery); `toViews` connects the third. Nothing here holds state:
 * the clock holds the pacing, the engine the run, the views what they show.
 */
import { Subject, Subscription, type Observable } from 'rxjs';
import type { Scene } from '../core/scene.ts';
import type { EngineClient } from '../engine/client.ts';
import { LiveRun, type LiveFrame } from '../engine/live-run.ts';
import type { OpenOptions } from '../engine/protocol.ts';
import type { SessionStatus } from '../session/session.ts';
import type { RasterUpdate } from '../stream/raster-bins.ts';
import { clockReports, type ClockControl } from '../stream/realtime.ts';

export interface RunOptions {
  playing: boolean;
  speed: number;
  loop: boolean;
  /** Most steps in one advance; wall-clock steps owed beyond it are forgotten (the run falls behind wall time, and says so). */
  maxStepsPerAdvance: number;
  /** Animation-frame timestamps (the page's shared loop by default; a subject in tests). */
  frames$?: Observable<number>;
}

/**
 * clock → engine: a run of session `session`, paced by the real-time clock. With `open`, the run
 * opens the session in the engine with the scene; with `status`, the session is there already
 * (a replay the engine just opened).
 */
export function startRun(engine: EngineClient, session: number, scene: Scene, options: RunOptions, start: { open: OpenOptions } | { status: SessionStatus }): LiveRun {
  const control$ = new Subject<ClockControl>();
  const reports$ = clockReports(
    {
      dtMs: scene.dtMs,
      maxStepsPerFrame: options.maxStepsPerAdvance,
      from: 'status' in start ? start.status.step : 0,
      playing: options.playing,
      speed: options.speed,
      oneInFlight: true,
      ...(options.frames$ && { frames$: options.frames$ }),
    },
    control$,
  );
  return new LiveRun(engine, session, scene, { loop: options.loop, clock: { reports$, control$ } }, start);
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
}

/** engine → views. */
export function toViews(run: LiveRun, views: ViewSinks): Subscription {
  const subscription = new Subscription();
  subscription.add(run.frames$.subscribe((live) => views.frame(live)));
  if (views.raster) subscription.add(run.rasters$.subscribe((update) => views.raster!(update)));
  subscription.add(run.errors$.subscribe((error) => views.failed(error)));
  if (views.rejected) subscription.add(run.rejections$.subscribe((error) => views.rejected!(error)));
  return subscription;
}
