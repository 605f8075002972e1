import fc from 'fast-check';
import { from, map, Subject, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { describe, expect, it } from 'vitest';
import type { Input } from '../src/core/events.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { splitClock, virtualClock, type Tick } from '../src/stream/clock.ts';
import { clockReports, realtimeClock, type ClockControl, type RealtimeTick } from '../src/stream/realtime.ts';
import { simulate } from '../src/stream/simulate.ts';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

/** A tick as the real-time clock emits it (all of its steps paced by wall time unless said). */
const tick = (firstStep: number, steps: number, extra: Partial<RealtimeTick> = {}): RealtimeTick => ({
  firstStep,
  steps,
  wanted: steps,
  paced: steps,
  capped: false,
  wallMs: 16,
  playing: true,
  speed: 1,
  ...extra,
});
/** A tick of steps asked for explicitly (single steps, a seek's fill): no wall time in them. */
const explicit = (firstStep: number, steps: number, extra: Partial<RealtimeTick> = {}): RealtimeTick => tick(firstStep, steps, { wanted: 0, paced: 0, wallMs: 0, ...extra });

describe('real-time clock, the one pacer of the page (marbles)', () => {
  it('turns elapsed wall time × speed into whole steps, carrying fractions', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const frames$ = cold('a-b-c-d|', { a: 0, b: 16, c: 32, d: 40 });
      const ticks$ = realtimeClock({ dtMs: 5, maxStepsPerFrame: 1000, frames$ }, cold('-'));
      // 16 ms at dt 5 → 3 steps (1 ms carried); +16 → 3.4 → 3 (2 carried); +8 → 10/5 = 2.
      expectObservable(ticks$).toBe('--x-y-z|', { x: tick(0, 3), y: tick(3, 3), z: tick(6, 2, { wallMs: 8 }) });
    });
  });

  it('pause stops ticks and drops owed time; play resumes; a single step ticks at once while paused', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const frames$ = cold('a-b-c-d-e-f|', { a: 0, b: 10, c: 20, d: 30, e: 40, f: 50 });
      const controls = cold<ClockControl>('---p---s-g', { p: { kind: 'pause' }, s: { kind: 'step' }, g: { kind: 'play' } });
      const ticks$ = realtimeClock({ dtMs: 1, maxStepsPerFrame: 1000, frames$ }, controls);
      expectObservable(ticks$).toBe('--x----y--z|', {
        x: tick(0, 10, { wallMs: 10 }),
        y: explicit(10, 1, { playing: false }),
        // Wall time while paused is not owed: only the 10 ms since play.
        z: tick(11, 10, { wallMs: 10 }),
      });
    });
  });

  it('speed scales the steps per frame; the cap holds, forgets the excess and marks the tick', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const frames$ = cold('a-b-c|', { a: 0, b: 10, c: 20 });
      const controls = cold<ClockControl>('---f', { f: { kind: 'speed', speed: 100 } });
      const ticks$ = realtimeClock({ dtMs: 1, maxStepsPerFrame: 50, frames$ }, controls);
      expectObservable(ticks$).toBe('--x-y|', {
        x: tick(0, 10, { wallMs: 10 }),
        y: tick(10, 50, { wanted: 1000, capped: true, wallMs: 10, speed: 100 }),
      });
    });
  });

  it('single steps beyond the cap are computed over the next frames, not forgotten', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const frames$ = cold('a-b-c-d-e|', { a: 0, b: 10, c: 20, d: 30, e: 40 });
      const controls = cold<ClockControl>('ps', { p: { kind: 'pause' }, s: { kind: 'step', steps: 25 } });
      const ticks$ = realtimeClock({ dtMs: 1, maxStepsPerFrame: 10, frames$ }, controls);
      const paused = { playing: false };
      expectObservable(ticks$).toBe('-xy-z----|', { x: explicit(0, 10, paused), y: explicit(10, 10, paused), z: explicit(20, 5, paused) });
    });
  });

  it('one tick in flight: owed steps accumulate while the engine is busy, up to the cap, and go at once when it is done', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const frames$ = cold('a-b-c-d-e-f|', { a: 0, b: 10, c: 26, d: 42, e: 58, f: 74 });
      const controls = cold<ClockControl>('-------d---D', { d: { kind: 'done', next: 10 }, D: { kind: 'done', next: 30 } });
      const ticks$ = realtimeClock({ dtMs: 1, maxStepsPerFrame: 20, oneInFlight: true, frames$ }, controls);
      // 32 steps owed over two frames while busy: the cap sends 20 and forgets 12, twice.
      const capped = tick(10, 20, { wanted: 32, capped: true, wallMs: 32 });
      expectObservable(ticks$).toBe('--x----y---(z|)', { x: tick(0, 10, { wallMs: 10 }), y: capped, z: { ...capped, firstStep: 30 } });
    });
  });

  it('a seek forgets the wall time owed and computes its fill from the new step, before any paced step', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const frames$ = cold('a-b----c|', { a: 0, b: 10, c: 18 });
      const controls = cold<ClockControl>('---d-s', { d: { kind: 'done', next: 10 }, s: { kind: 'seek', from: 500, fill: 30 } });
      const ticks$ = realtimeClock({ dtMs: 1, maxStepsPerFrame: 1000, oneInFlight: true, frames$ }, controls);
      expectObservable(ticks$).toBe('--x--y--|', { x: tick(0, 10, { wallMs: 10 }), y: explicit(500, 30) });
    });
  });

  it('a run control starts a new run under the same clock: its step and cap, from its first step, nothing owed or in flight, its wall clock from the next frame; play and speed go on', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // A tick is in flight (no done) when the new run starts: it is forgotten, as are the steps owed since.
      const frames$ = cold('a-b--c-d-e|', { a: 0, b: 10, c: 14, d: 20, e: 24 });
      const controls = cold<ClockControl>('---vr', { v: { kind: 'speed', speed: 2 }, r: { kind: 'run', from: 7, dtMs: 0.5, maxStepsPerFrame: 8 } });
      const ticks$ = realtimeClock({ dtMs: 1, maxStepsPerFrame: 1000, oneInFlight: true, frames$ }, controls);
      // c: the new run's first frame only starts its wall clock; d: 6 ms × 2 / 0.5 ms = 24 steps owed, 8 by the cap; e: y is in flight.
      expectObservable(ticks$).toBe('--x----y--|', { x: tick(0, 10, { wallMs: 10 }), y: tick(7, 8, { wanted: 24, capped: true, wallMs: 6, speed: 2 }) });
    });
  });

  it('the state report: playing and speed after every control, single steps still owed', () => {
    const control$ = new Subject<ClockControl>();
    const frames$ = new Subject<number>();
    const reports: { playing: boolean; speed: number; pending: number; steps: number | null }[] = [];
    clockReports({ dtMs: 1, maxStepsPerFrame: 10, oneInFlight: true, frames$ }, control$).subscribe((r) => reports.push({ playing: r.playing, speed: r.speed, pending: r.pending, steps: r.tick?.steps ?? null }));
    control$.next({ kind: 'speed', speed: 1000 });
    control$.next({ kind: 'toggle' });
    control$.next({ kind: 'step', steps: 25 });
    control$.next({ kind: 'done', next: 10 });
    control$.next({ kind: 'toggle' });
    expect(reports).toEqual([
      { playing: true, speed: 1, pending: 0, steps: null },
      { playing: true, speed: 100, pending: 0, steps: null },
      { playing: false, speed: 100, pending: 0, steps: null },
      { playing: false, speed: 100, pending: 15, steps: 10 },
      { playing: false, speed: 100, pending: 5, steps: 10 },
      { playing: true, speed: 100, pending: 5, steps: null },
    ]);
  });

  it('property: ticks never skip or repeat a step, never exceed the cap, say when capped, and keep pace with wall time when uncapped', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.constantFrom(0.01, 0.1, 0.125, 1),
        fc.double({ min: 0.1, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 5000 }),
        (gaps, dtMs, speed, cap) => {
          let t = 0;
          const stamps = [0, ...gaps.map((g) => (t += g))];
          const ticks: RealtimeTick[] = [];
          realtimeClock({ dtMs, maxStepsPerFrame: cap, speed, frames$: from(stamps) }, new Subject()).subscribe((x) => ticks.push(x));
          let next = 0;
          for (const x of ticks) {
            expect(x.firstStep).toBe(next);
            expect(x.steps).toBeLessThanOrEqual(cap);
            expect(x.paced).toBe(x.steps);
            expect(x.capped).toBe(x.wanted > x.paced);
            next += x.steps;
          }
          if (!ticks.some((x) => x.capped)) {
            const owed = (t * speed) / dtMs;
            expect(next).toBeLessThanOrEqual(Math.floor(owed + 1e-6) + 1);
            expect(next).toBeGreaterThanOrEqual(Math.floor(owed) - 1);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('model operator (marbles)', () => {
  const scene = builtinScene('lif')!;

  it('emits exactly one frame per tick, covering the tick’s steps', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const ticks$ = cold<Tick>('-a--b-c|', { a: { firstStep: 0, steps: 3 }, b: { firstStep: 3, steps: 100 }, c: { firstStep: 103, steps: 1 } });
      const summary$ = ticks$.pipe(
        simulate(scene),
        map((f) => `${f.firstStep}+${f.steps}:${f.traces[0]!.length}`),
      );
      expectObservable(summary$).toBe('-x--y-z|', { x: '0+3:3', y: '3+100:100', z: '103+1:1' });
    });
  });

  it('stamps a live input with the next step not yet computed and reports it in the frame that applies it', () => {
    scheduler().run(({ cold, hot, expectObservable }) => {
      const ticks$ = cold<Tick>('-a---b|', { a: { firstStep: 0, steps: 8 }, b: { firstStep: 8, steps: 8 } });
      const inputs$ = hot<Input>('---p', { p: { kind: 'pulse', amplitude: 5, durationMs: 0.25 } });
      const frames$ = ticks$.pipe(
        simulate(scene, inputs$),
        // Copy what we assert on: frames are plain values here, but a sink may reuse buffers.
        map((f) => ({ events: f.events.map((e) => ({ ...e })), iExt: Array.from(f.traces[1]!) })),
      );
      expectObservable(frames$).toBe('-x---y|', {
        x: { events: [], iExt: new Array(8).fill(1.5) },
        y: { events: [{ kind: 'pulse', amplitude: 5, durationMs: 0.25, step: 8 }], iExt: [6.5, 6.5, 1.5, 1.5, 1.5, 1.5, 1.5, 1.5] },
      });
    });
  });

  it('any split of the ticks gives bit-identical traces and spikes (frame-rate independence)', () => {
    const ring = builtinScene('ring')!;
    const total = 2000;
    const collect = (sizes: number[]) => {
      let out: { v: number[]; spikes: number[] } = { v: [], spikes: [] };
      splitClock(sizes)
        .pipe(simulate(ring), toArray())
        .subscribe((frames) => {
          out = {
            v: frames.flatMap((f) => Array.from(f.traces[1]!)),
            spikes: frames.flatMap((f) => Array.from(f.spikes.timeMs)),
          };
        });
      return out;
    };
    const whole = collect([total]);
    expect(whole.spikes.length).toBeGreaterThan(10);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 30 }), (parts) => {
        const sizes: number[] = [];
        let left = total;
        for (const p of parts) {
          if (left === 0) break;
          sizes.push(Math.min(p, left));
          left -= Math.min(p, left);
        }
        if (left > 0) sizes.push(left);
        expect(collect(sizes)).toEqual(whole);
      }),
      { numRuns: 30 },
    );
  });

  it('the virtual clock covers every step once, the last tick shorter', () => {
    const ticks: Tick[] = [];
    virtualClock(10, 4, 5).subscribe((t) => ticks.push(t));
    expect(ticks).toEqual([
      { firstStep: 5, steps: 4 },
      { firstStep: 9, steps: 4 },
      { firstStep: 13, steps: 2 },
    ]);
  });
});
