/**
 * The page's run controller (src/engine/live-run.ts) in Node: the engine host in this thread behind
 * the same client as the worker, the animation frames replaced by a subject. Loops land on the
 * exact step where the protocol ends whatever the frame size, every pass is the same run again,
 * single steps beyond the cap are all computed, at most one advance is ever in flight (owed steps
 * are capped and the frames say so), and an input acts at the next step not yet computed.
 */
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { loadScene } from '../src/app/catalog.ts';
import { EngineClient } from '../src/engine/client.ts';
import { EngineHost } from '../src/engine/host.ts';
import type { EngineMessage, EnginePort, EngineRequest } from '../src/engine/protocol.ts';
import type { LiveFrame } from '../src/engine/live-run.ts';
import { pageClock, startRun } from '../src/app/pipeline.ts';
import { stepCount } from '../src/core/scene.ts';

/** Lets every message in flight (microtasks) arrive. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function start(options: { speed: number; loop: boolean; playing: boolean; maxStepsPerAdvance: number }, engine = EngineClient.local(), sceneId = 'izhikevich/A') {
  const scene = loadScene(sceneId);
  const frames$ = new Subject<number>();
  const clock = pageClock({ playing: options.playing, speed: options.speed }, frames$);
  const run = startRun(engine, engine.newSession(), scene, clock, { loop: options.loop, maxStepsPerAdvance: options.maxStepsPerAdvance }, { open: { loop: options.loop, probes: [] } });
  const frames: LiveFrame[] = [];
  run.frames$.subscribe((f) => frames.push(f));
  let now = 0;
  frames$.next(now);
  const tick = async (wallMs: number): Promise<void> => {
    now += wallMs;
    frames$.next(now);
    await settle();
  };
  return { scene, run, frames, tick };
}

/** An engine that takes a while over each advance (a busy worker): requests are handled in order, each advance when released. */
function slowEngine() {
  const queue: EngineRequest[] = [];
  let host: EngineHost;
  const drain = (): void => {
    while (queue.length > 0 && queue[0]!.type !== 'advance') host.handle(queue.shift()!);
  };
  const port: EnginePort = {
    onmessage: null,
    postMessage: (request) => {
      queue.push(request);
      drain();
    },
  };
  host = new EngineHost((message: EngineMessage) => queueMicrotask(() => port.onmessage?.({ data: message })));
  const release = async (): Promise<void> => {
    if (queue[0]?.type === 'advance') host.handle(queue.shift()!);
    drain();
    await settle();
  };
  const held = (): number[] => queue.flatMap((r) => (r.type === 'advance' ? [r.steps] : []));
  return { engine: new EngineClient(port), held, release };
}

describe('the live run', () => {
  it('loops back to t = 0 at the exact end of each pass, whatever the frame size', async () => {
    const { scene, run, frames, tick } = start({ speed: 1, loop: true, playing: true, maxStepsPerAdvance: 100_000 });
    const pass = stepCount(scene);
    for (const wallMs of [37, 250, 16, 333, 91, 400]) await tick(wallMs);
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

  it('runs on past the protocol when the loop is off', async () => {
    const { scene, run, tick } = start({ speed: 1, loop: false, playing: true, maxStepsPerAdvance: 100_000 });
    await tick(3 * scene.durationMs);
    expect(run.timeMs).toBeCloseTo(3 * scene.durationMs, 6);
  });

  it('computes every single step asked for while paused, in advances of the cap', async () => {
    const { run, frames, tick } = start({ speed: 1, loop: true, playing: false, maxStepsPerAdvance: 1000 });
    run.step(2500);
    await tick(16);
    expect(frames.map((f) => f.frame.steps)).toEqual([1000, 1000, 500]);
    expect(run.totalTimeMs).toBe(2500 * 0.25);
  });

  it('keeps one advance in flight: owed steps accumulate up to the cap, the excess is dropped and said', async () => {
    const { engine, held, release } = slowEngine();
    const { run, frames, tick } = start({ speed: 1, loop: false, playing: true, maxStepsPerAdvance: 200 }, engine);
    await tick(10); // 40 steps owed: sent
    expect(held()).toEqual([40]);
    for (let k = 0; k < 20; k++) await tick(16); // the engine is busy: 1280 steps owed, never queued
    expect(held()).toEqual([40]);
    await release(); // the first frame comes back, and the capped owed steps go at once
    expect(held()).toEqual([200]);
    await release();
    expect(frames.map((f) => f.frame.steps)).toEqual([40, 200]);
    expect(frames[1]!.stats.cappedFrames).toBe(1);
    expect(run.totalTimeMs).toBe(240 * 0.25);
  });

  it('an input acts at the next step not yet computed: after the advance in flight', async () => {
    const { engine, release } = slowEngine();
    const { frames, run, tick } = start({ speed: 1, loop: false, playing: true, maxStepsPerAdvance: 1000 }, engine);
    await tick(25); // advance of 100 steps in flight
    run.pulse(30, 2);
    await release();
    await tick(25);
    await release();
    expect(frames[0]!.frame.events).toEqual([]);
    expect(frames[1]!.frame.events).toEqual([{ kind: 'pulse', step: 100, amplitude: 30, durationMs: 2 }]);
  });

  it('rejects a parameter out of range with a message naming it, and keeps running', async () => {
    const { run, tick } = start({ speed: 1, loop: true, playing: true, maxStepsPerAdvance: 100_000 });
    expect(() => run.setParam('d', 1e6)).toThrow(/d = 1000000 .*from -100 to 100/);
    run.setParam('d', 2);
    await tick(50);
    await tick(50);
    expect(run.params.d).toBe(2);
    expect(run.failed).toBe(false);
  });

  it('checks a parameter change with the changes sent before it, until a frame whose advance followed them has them in force', async () => {
    // lif: forward Euler at dt = 0.125 ms is stable while 2·rm·cm > 0.125 ms (rm = 1 MΩ, cm = 10 nF).
    const { engine, release } = slowEngine();
    const { run, tick } = start({ speed: 1, loop: false, playing: true, maxStepsPerAdvance: 1000 }, engine, 'lif');
    await tick(25); // an advance in flight
    run.setParam('rm', 0.01); // sent after it: the frame of the advance in flight does not have it
    expect(() => run.setParam('cm', 5)).toThrow(/^cm = 5 is not allowed: a value that keeps dtMs = 0\.125 ms a stable step/);
    await release();
    expect(run.params.rm).toBe(1);
    expect(() => run.setParam('cm', 5)).toThrow(/^cm = 5 is not allowed/);
    await tick(25);
    await release();
    expect(run.params.rm).toBe(0.01);
    expect(() => run.setParam('cm', 5)).toThrow(/^cm = 5 is not allowed/);
    run.setParam('rm', 1);
    run.setParam('cm', 5);
    await tick(25);
    await release();
    expect(run.params).toMatchObject({ rm: 1, cm: 5 });
    expect(run.failed).toBe(false);
  });

  it('refuses a bad hand pulse, hold or protocol at the boundary, naming the field and the allowed range: nothing reaches the engine and the run goes on', async () => {
    const { run, frames, tick } = start({ speed: 1, loop: false, playing: true, maxStepsPerAdvance: 100_000 });
    const rejected: Error[] = [];
    run.rejections$.subscribe((e) => rejected.push(e));
    await tick(20);
    expect(() => run.pulse(2e9, 2)).toThrow('pulse.amplitude = 2000000000 is not allowed: a number from -1000000000 to 1000000000 mV/ms');
    expect(() => run.pulse(10, 0)).toThrow('pulse.durationMs = 0 is not allowed: a number greater than 0 and at most 1000000000 ms');
    expect(() => run.hold(Number.POSITIVE_INFINITY)).toThrow('hold.amplitude = Infinity is not allowed');
    expect(() => run.setStimulus(() => [{ kind: 'sine', amplitude: 1, frequencyHz: 10, phaseDeg: 1e10 }], false)).toThrow('set-stimulus.stimulus[0].phaseDeg = 10000000000 is not allowed: a number from -1000000000 to 1000000000 °');
    expect(run.holding).toBe(false);
    run.pulse(10, 2);
    await tick(20);
    await tick(20);
    expect(frames.flatMap((f) => f.frame.events)).toEqual([expect.objectContaining({ kind: 'pulse', amplitude: 10, durationMs: 2 })]);
    expect(rejected).toEqual([]);
    expect(run.failed).toBe(false);
    expect(run.totalTimeMs).toBeGreaterThan(0);
  });

  it('one page clock outlives its runs: its speed, set before the first run and between runs, paces each; a new run starts at its own first step with a fresh wall clock', async () => {
    const engine = EngineClient.local();
    const frames$ = new Subject<number>();
    const clock = pageClock({ playing: true, speed: 1 }, frames$);
    clock.control$.next({ kind: 'speed', speed: 0.5 }); // before any run: not lost
    const scene = loadScene('izhikevich/A'); // dt 0.25 ms
    const open = () => startRun(engine, engine.newSession(), scene, clock, { loop: false, maxStepsPerAdvance: 100_000 }, { open: { loop: false, probes: [] } });
    let now = 0;
    const tick = async (wallMs: number): Promise<void> => {
      frames$.next((now += wallMs));
      await settle();
    };
    const first = open();
    await tick(0);
    await tick(100); // 100 ms × 0.5 / 0.25 ms = 200 steps
    expect(first.status.step).toBe(200);
    first.dispose();
    clock.control$.next({ kind: 'speed', speed: 2 }); // between runs
    const second = open();
    expect(second.status.step).toBe(0);
    await tick(100); // the new run's first frame only starts its wall clock
    expect(second.status.step).toBe(0);
    await tick(10); // 10 ms × 2 / 0.25 ms
    expect(second.status.step).toBe(80);
    second.dispose();
  });
});
