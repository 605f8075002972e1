/**
 * The page's run controller (src/app/live-run.ts) in Node, its animation frames replaced by a
 * subject: loops land on the exact step where the protocol ends whatever the frame size, every
 * pass is the same run again, and single steps beyond the per-frame cap are all computed.
 */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { loadScene } from '../../src/app/catalog.ts';
import { LiveRun, type LiveFrame } from '../../src/app/live-run.ts';
import { stepCount } from '../../src/core/scene.ts';

function start(options: { speed: number; loop: boolean; playing: boolean; maxStepsPerFrame: number }) {
  const scene = loadScene('izhikevich/A');
  const frames$ = new Subject<number>();
  const run = new LiveRun(scene, { ...options, extraProbes: [], frames$ });
  const frames: LiveFrame[] = [];
  run.frames$.subscribe((f) => frames.push(f));
  let now = 0;
  frames$.next(now);
  const tick = (wallMs: number): void => {
    now += wallMs;
    frames$.next(now);
  };
  return { scene, run, frames, tick };
}

describe('the live run', () => {
  it('loops back to t = 0 at the exact end of each pass, whatever the frame size', () => {
    const { scene, run, frames, tick } = start({ speed: 1, loop: true, playing: true, maxStepsPerFrame: 100_000 });
    const pass = stepCount(scene);
    for (const wallMs of [37, 250, 16, 333, 91, 400]) tick(wallMs);
    const restarts = frames.flatMap((f) => f.frame.events.filter((e) => e.kind === 'restart').map((e) => e.step));
    expect(restarts.length).toBeGreaterThanOrEqual(2);
    restarts.forEach((step, k) => expect(step).toBe((k + 1) * pass));
    // Every pass is the same run: v over the second pass equals v over the first.
    const v = new Float64Array(frames.reduce((n, f) => n + f.frame.steps, 0));
    for (const { frame } of frames) v.set(frame.traces[0]!, frame.firstStep);
    for (let k = 0; k < pass; k++) expect(v[pass + k]).toBe(v[k]);
    expect(run.timeMs).toBeLessThan(scene.durationMs);
    expect(frames.at(-1)!.passStarts.at(-1)).toBe(restarts.at(-1));
  });

  it('runs on past the protocol when the loop is off', () => {
    const { scene, run, tick } = start({ speed: 1, loop: false, playing: true, maxStepsPerFrame: 100_000 });
    tick(3 * scene.durationMs);
    expect(run.timeMs).toBeCloseTo(3 * scene.durationMs, 6);
  });

  it('computes every single step asked for while paused, over as many frames as the cap needs', () => {
    const { run, frames, tick } = start({ speed: 1, loop: true, playing: false, maxStepsPerFrame: 1000 });
    run.step(2500);
    for (let k = 0; k < 5; k++) tick(16);
    expect(frames.map((f) => f.frame.steps)).toEqual([1000, 1000, 500]);
    expect(run.totalTimeMs).toBe(2500 * 0.25);
  });

  it('rejects a parameter out of range with a message naming it, and keeps running', () => {
    const { run, tick } = start({ speed: 1, loop: true, playing: true, maxStepsPerFrame: 100_000 });
    expect(() => run.setParam('d', 1e6)).toThrow(/d = 1000000 .*from -100 to 100/);
    run.setParam('d', 2);
    tick(50);
    expect(run.params.d).toBe(2);
    expect(run.failed).toBe(false);
  });
});
