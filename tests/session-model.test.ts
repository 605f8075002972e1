/**
 * The model-based test of what the page drives: the lab's state and reducer (play, pause and
 * speed held there once), the page's one clock that follows it and outlives each run, and a
 * LiveRun (the engine's boundary) over the engine host in this thread behind the same client as
 * the worker — the code the page runs, minus the Worker, the views and the animation frames (a
 * subject here). fast-check plays
 * random sequences of wall time passing, pause, play, speed, single steps, pulses, parameter
 * changes, save + load + replay, seek and take-over; a model says what must hold after each
 * (paused: no step computed; playing: steps go on; a seek lands where asked), and at the end the
 * recording (or the fork of a replay taken over) replays bit-identically.
 */
import fc from 'fast-check';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { parseScene, type Scene } from '../src/core/scene.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { EngineClient } from '../src/engine/client.ts';
import type { LiveRun } from '../src/engine/live-run.ts';
import { pageClock, startRun } from '../src/app/pipeline.ts';
import { clockControls, initialLabState, reduceLab, type LabAction, type LabState } from '../src/app/lab-state.ts';
import type { Recording } from '../src/session/recording.ts';
import { tracesOf } from '../src/session/recording.ts';
import { verifyRecording } from '../src/session/replay.ts';

/** Lets every message in flight (microtasks) arrive. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

const scene = parseScene({ ...builtinScene('izhikevich/A')!, durationMs: 5e5 });
const MAX_STEPS = 400;

/** The page's side, as the lab composes it: its state, its one clock, the engine, the current run, and the wall clock's animation frames. */
class Page {
  readonly engine = EngineClient.local();
  readonly frames$ = new Subject<number>();
  state: LabState = initialLabState();
  readonly clock = pageClock(this.state, this.frames$);
  run: LiveRun;
  now = 0;
  /** The recording the replay was loaded from. */
  loaded: Recording | undefined;

  constructor() {
    this.dispatch({ kind: 'opened', scene, id: 'test', reset: false });
    this.dispatch({ kind: 'speed', speed: 1 });
    this.dispatch({ kind: 'loop', on: false });
    this.run = this.open(this.engine.newSession(), scene, { open: { loop: false, probes: [] } });
  }

  /** As the lab does: the reducer's next state, and the clock told what changed. */
  dispatch(action: LabAction): void {
    const prev = this.state;
    this.state = reduceLab(prev, action);
    for (const control of clockControls(prev, this.state, action)) this.clock.control$.next(control);
  }

  open(session: number, s: Scene, start: Parameters<typeof startRun>[5]): LiveRun {
    const run = startRun(this.engine, session, s, this.clock, { loop: this.state.loop, maxStepsPerAdvance: MAX_STEPS }, start);
    run.ended$.subscribe(() => this.dispatch({ kind: 'replay-ended' }));
    run.errors$.subscribe(() => this.dispatch({ kind: 'run-failed' }));
    return run;
  }

  async frame(wallMs: number): Promise<void> {
    this.now += wallMs;
    this.frames$.next(this.now);
    await settle();
    await settle();
  }

  /** Opens `recording` in replay, as the page does: the engine verifies it, then a run of the new session shows it. */
  async replay(recording: Recording): Promise<void> {
    const next = this.engine.newSession();
    const info = await this.engine.call(this.run.session, 'replay', { next, source: { text: JSON.stringify(recording) }, options: { loop: false, probes: [] } });
    expect(info.identical).toBe(true);
    this.run.dispose();
    // A replay opens as a scene does (its own speed, playing), under the same clock.
    this.dispatch({ kind: 'opened', scene: info.scene, id: 'recording', reset: false });
    const status = { mode: 'replay' as const, step: info.firstStep, timeMs: info.firstStep * scene.dtMs, origin: info.firstStep, params: { ...info.scene.params }, loop: false, recordedSteps: null, recordedEvents: null, recordingFull: null, replay: { firstStep: info.firstStep, endStep: info.endStep, digest: info.digest }, threads: 1, wasm: false };
    this.run = this.open(next, info.scene, { status });
    this.loaded = recording;
  }
}

/** `fresh`: a new run's clock has seen no animation frame yet (its first frame only starts its wall clock). */
type Model = { playing: boolean; mode: 'live' | 'replay'; fresh: boolean };
type Command = fc.AsyncCommand<Model, Page>;

const atEnd = (run: LiveRun): boolean => run.status.replay !== null && run.status.step >= run.status.replay.endStep;

const commands: fc.Arbitrary<Command>[] = [
  fc.integer({ min: 1, max: 60 }).map(
    (ms): Command => ({
      check: () => true,
      run: async (m, page) => {
        const before = page.run.status.step;
        await page.frame(ms);
        const after = page.run.status.step;
        if (!m.playing) expect(after).toBe(before);
        else if (!m.fresh && !atEnd(page.run) && (ms * page.state.speed) / scene.dtMs >= 1) expect(after).toBeGreaterThan(before);
        m.fresh = false;
        expect(page.run.failed).toBe(false);
      },
      toString: () => `${ms} ms pass`,
    }),
  ),
  fc.constant<Command>({ check: () => true, run: async (m, page) => ((m.playing = false), page.dispatch({ kind: 'pause' })), toString: () => 'pause' }),
  fc.constant<Command>({
    check: () => true,
    run: async (m, page) => {
      const end = atEnd(page.run);
      // At the end of a replay, the page seeks back to its start before it plays.
      if (!end) page.dispatch({ kind: 'play' });
      if (!end) expect(page.state.playing).toBe(true);
      m.playing = page.state.playing;
    },
    toString: () => 'play',
  }),
  fc.constantFrom(0.5, 1, 4, 20).map((speed): Command => ({ check: () => true, run: async (_, page) => page.dispatch({ kind: 'speed', speed }), toString: () => `speed ${speed}×` })),
  fc.integer({ min: 1, max: 900 }).map(
    (n): Command => ({
      check: (m) => m.mode === 'live',
      run: async (m, page) => {
        const before = page.run.status.step;
        page.run.step(n);
        for (let k = 0; k < 6; k++) await settle();
        // Every single step is computed, in advances of the cap (and wall-clock steps besides when playing).
        if (m.playing) expect(page.run.status.step).toBeGreaterThanOrEqual(before + n);
        else expect(page.run.status.step).toBe(before + n);
      },
      toString: () => `step(${n})`,
    }),
  ),
  fc.record({ amplitude: fc.double({ min: -30, max: 30, noNaN: true }), durationMs: fc.double({ min: 0.25, max: 10, noNaN: true }) }).map(
    (p): Command => ({ check: () => true, run: async (m, page) => ((m.mode = 'live'), page.run.pulse(p.amplitude, p.durationMs)), toString: () => `pulse(${p.amplitude}, ${p.durationMs})` }),
  ),
  fc.double({ min: 0, max: 12, noNaN: true }).map((d): Command => ({ check: () => true, run: async (m, page) => ((m.mode = 'live'), page.run.setParam('d', d)), toString: () => `set d = ${d}` })),
  fc.constant<Command>({
    check: (m) => m.mode === 'live',
    run: async (m, page) => {
      // Save, load, and replay what was saved: the engine verifies it before the run shows it.
      const stopped = await page.run.stopRecording('test', true);
      const recording = stopped!.recording!;
      await page.replay(recording);
      m.mode = 'replay';
      m.playing = true;
      m.fresh = true;
    },
    toString: () => 'save+load+replay',
  }),
  fc.double({ min: 0, max: 1, noNaN: true }).map(
    (f): Command => ({
      check: (m) => m.mode === 'replay',
      run: async (m, page) => {
        const replay = page.run.status.replay;
        if (!replay) return;
        const target = Math.floor(replay.firstStep + f * (replay.endStep - replay.firstStep));
        page.dispatch({ kind: 'pause' });
        m.playing = false;
        await page.run.seek(target, 50);
        expect(page.run.status.step).toBe(target);
      },
      toString: () => `pause+seek(${f.toFixed(3)})`,
    }),
  ),
  fc.constant<Command>({
    check: (m) => m.mode === 'replay',
    run: async (m, page) => {
      await page.run.takeOver();
      m.mode = 'live';
      expect(page.run.recording).not.toBeNull();
    },
    toString: () => 'take over',
  }),
];

describe('the live session, model-based (what the page drives)', () => {
  it('play, pause, speed, steps, pulse, parameter change, save, load, seek and take-over: paused computes nothing, and the recording always replays bit-identically', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 25 }), async (cmds) => {
        const page = new Page();
        await page.run.startRecording(true);
        await page.frame(0);
        await fc.asyncModelRun(() => ({ model: { playing: true, mode: 'live', fresh: false } as Model, real: page }), cmds);
        await page.frame(16);
        const stopped = page.run.recording ? await page.run.stopRecording('test', true) : null;
        const recording = stopped?.recording ?? page.loaded!;
        const check = verifyRecording(recording);
        expect(check.message).toBe('the replay is bit-identical to the recording');
        expect(check.identical).toBe(true);
        // The recorded traces are the replayed ones, bit for bit.
        expect(tracesOf(check.replayed!)).toEqual(tracesOf(recording));
        page.run.dispose();
      }),
      { numRuns: 40 },
    );
  });
});
