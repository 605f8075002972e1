/**
 * The lab page's reducer (src/app/lab-state.ts), without a browser: a scene opening with its
 * presentation, play / pause / speed / loop held once in the state, the checks of what the state
 * takes, and two properties — any sequence of actions keeps the state's invariants (and never
 * changes the state it was given), and the page's clock, told only `clockControls`, plays and
 * runs at the speed the state says after every action.
 */
import fc from 'fast-check';
import { Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { loadScene, loopsByDefault, presentation } from '../src/app/catalog.ts';
import { clockControls, initialLabState, maxTimePerDivMs, reduceLab, type LabAction, type LabState } from '../src/app/lab-state.ts';
import { checkStimulusForm, handSpecs } from '../src/app/stimulus-form.ts';
import type { Scene } from '../src/core/scene.ts';
import { InputError } from '../src/core/schema.ts';
import { clockReports, MAX_SPEED, MIN_SPEED, type ClockControl, type ClockReport } from '../src/stream/realtime.ts';
import { STIMULUS_KINDS } from '../src/ui/intents.ts';

const single = loadScene('izhikevich/A');
const network = loadScene('izhikevich-2003/sparse-10k');
const ring = loadScene('ring');
const opened = (scene: Scene, state = initialLabState(), reset = false): LabState => reduceLab(state, { kind: 'opened', scene, id: scene.id ?? 'x', reset });
const run = (state: LabState, ...actions: LabAction[]): LabState => actions.reduce(reduceLab, state);

describe('the lab reducer', () => {
  it('a scene opens with its presentation and plays; its loop is the scene default when the user wants loops', () => {
    const s = opened(single);
    const look = presentation(single);
    expect(s).toMatchObject({ scene: single, sceneId: 'izhikevich/A', playing: true, speed: look.speed, timePerDivMs: look.timePerDivMs, hand: look.hand, target: 0, loop: true, halted: false, injected: false, lastError: null });
    expect(s.stimulusForm.kind).toBe('protocol');
    expect(s.stimulusForm.amplitude).toBe(look.hand.amplitude);
    // A network runs on (no loop); the user's "no loop" stays from scene to scene.
    expect(opened(network, s).loop).toBe(loopsByDefault(network));
    const noLoop = run(s, { kind: 'loop', on: false });
    expect(opened(ring, noLoop).loop).toBe(false);
    expect(opened(single, run(noLoop, { kind: 'loop', on: true })).loop).toBe(true);
  });

  it('reset keeps the page choices (speed, target, play state) and goes back to the scene protocol', () => {
    const s = run(opened(network), { kind: 'speed', speed: 7 }, { kind: 'pick', neuron: 42 }, { kind: 'pause' }, { kind: 'stimulus', form: { ...initialLabState().stimulusForm, kind: 'dc', amplitude: 5 } }, { kind: 'set-param', name: 'excitatoryFraction', value: 0.7 });
    expect(s.injected).toBe(true);
    expect(s.requestedParams).toEqual({ excitatoryFraction: 0.7 });
    const r = opened(network, s, true);
    expect(r).toMatchObject({ speed: 7, target: 42, playing: false, injected: false, requestedParams: {} });
    expect(r.stimulusForm.kind).toBe('protocol');
    // The target stays within a smaller scene.
    expect(opened(single, s, true).target).toBe(0);
  });

  it('play, pause and toggle; a failed run plays no more until a scene opens; a replay end pauses', () => {
    const s = opened(single);
    expect(run(s, { kind: 'pause' }).playing).toBe(false);
    expect(run(s, { kind: 'toggle-play' }).playing).toBe(false);
    expect(run(s, { kind: 'toggle-play' }, { kind: 'toggle-play' }).playing).toBe(true);
    const failed = run(s, { kind: 'run-failed' });
    expect(failed).toMatchObject({ playing: false, halted: true });
    expect(run(failed, { kind: 'play' }).playing).toBe(false);
    expect(run(failed, { kind: 'toggle-play' }).playing).toBe(false);
    expect(run(opened(single, failed, true), { kind: 'play' }).playing).toBe(true);
    expect(run(s, { kind: 'replay-ended' }).playing).toBe(false);
  });

  it('speed is clamped to 0.1 … 100 (a non-number gives 1×), as the clock does', () => {
    const s = opened(single);
    expect(run(s, { kind: 'speed', speed: 1000 }).speed).toBe(100);
    expect(run(s, { kind: 'speed', speed: 0 }).speed).toBe(0.1);
    expect(run(s, { kind: 'speed', speed: Number.NaN }).speed).toBe(1);
  });

  it('a stimulus of the user runs on (no loop) and shows the input lane; the scene protocol loops again', () => {
    const s = opened(single);
    const dc = run(s, { kind: 'stimulus', form: { ...s.stimulusForm, kind: 'dc', amplitude: 12 } });
    expect(dc.loop).toBe(false);
    expect(dc.injected).toBe(true);
    expect(dc.stimulusForm.amplitude).toBe(12);
    expect(run(dc, { kind: 'stimulus', form: { ...dc.stimulusForm, kind: 'protocol' } }).loop).toBe(true);
    expect(run(s, { kind: 'pulse' }).injected).toBe(true);
  });

  it('refuses what it cannot take with an InputError and leaves the state as it was', () => {
    const s = Object.freeze(opened(network));
    expect(() => reduceLab(s, { kind: 'pick', neuron: network.neurons })).toThrow(InputError);
    expect(() => reduceLab(s, { kind: 'pick', neuron: 1.5 })).toThrow(/neuron index from 0 to 9999/);
    expect(() => reduceLab(s, { kind: 'hand', amplitude: 1e12, durationMs: 2 })).toThrow(/hand amplitude/);
    expect(() => reduceLab(s, { kind: 'stimulus', form: { ...s.stimulusForm, kind: 'dc', amplitude: 'lots' } })).toThrow(InputError);
    expect(s.target).toBe(0);
  });

  it('the time base is at most what the scope history holds', () => {
    const s = opened(single);
    expect(run(s, { kind: 'time-per-div', ms: 1e9 }).timePerDivMs).toBe(maxTimePerDivMs(single.dtMs));
    expect(run(s, { kind: 'time-per-div', ms: 50 }).timePerDivMs).toBe(50);
  });

  it('before a scene opens, the run intents change nothing', () => {
    const s = initialLabState();
    expect(run(s, { kind: 'pause' }, { kind: 'speed', speed: 5 }, { kind: 'pick', neuron: 3 })).toBe(s);
  });

  it('the clock is told play or pause when that changed (pause always), and the speed when it changed', () => {
    const s = opened(single);
    const controls = (action: LabAction, from = s): ClockControl[] => clockControls(from, reduceLab(from, action), action);
    expect(controls({ kind: 'pause' })).toEqual([{ kind: 'pause' }]);
    expect(controls({ kind: 'pause' }, run(s, { kind: 'pause' }))).toEqual([{ kind: 'pause' }]);
    expect(controls({ kind: 'play' })).toEqual([]);
    expect(controls({ kind: 'speed', speed: 3 })).toEqual([{ kind: 'speed', speed: 3 }]);
    expect(controls({ kind: 'run-failed' })).toEqual([{ kind: 'pause' }]);
    expect(controls({ kind: 'set-param', name: 'a', value: 0.03 })).toEqual([]);
  });
});

// ── properties ──────────────────────────────────────────────────────────────────────────────

const scenes = [single, network, ring, loadScene('hh'), loadScene('adex/tonic')];
const number = fc.oneof(fc.double({ noNaN: false }), fc.integer({ min: -5, max: 20_000 }), fc.constantFrom(0.1, 1, 2, 100));
const action: fc.Arbitrary<LabAction> = fc.oneof(
  fc.record({ kind: fc.constant('opened' as const), scene: fc.constantFrom(...scenes), id: fc.constant('s'), reset: fc.boolean() }),
  fc.constantFrom<LabAction>({ kind: 'play' }, { kind: 'pause' }, { kind: 'toggle-play' }, { kind: 'replay-ended' }, { kind: 'run-failed' }, { kind: 'pulse' }, { kind: 'hold' }, { kind: 'release' }, { kind: 'reset' }, { kind: 'record' }),
  number.map((speed): LabAction => ({ kind: 'speed', speed })),
  fc.boolean().map((on): LabAction => ({ kind: 'loop', on })),
  fc.boolean().map((on): LabAction => ({ kind: 'record-traces', on })),
  number.map((neuron): LabAction => ({ kind: 'pick', neuron })),
  number.map((ms): LabAction => ({ kind: 'time-per-div', ms: Math.abs(ms) })),
  fc.constantFrom('roll' as const, 'trigger' as const).map((mode): LabAction => ({ kind: 'scope-mode', mode })),
  fc.tuple(number, number).map(([amplitude, durationMs]): LabAction => ({ kind: 'hand', amplitude, durationMs })),
  fc.tuple(fc.constantFrom(...STIMULUS_KINDS), number, fc.constantFrom('all' as const, 'target' as const)).map(
    ([kind, amplitude, drive]): LabAction => ({ kind: 'stimulus', form: { ...initialLabState().stimulusForm, kind, amplitude, drive } }),
  ),
  fc.tuple(fc.constantFrom('a', 'd', 'cm'), fc.double({ min: -1, max: 1, noNaN: true })).map(([name, value]): LabAction => ({ kind: 'set-param', name, value })),
);

/** Applies `a`, or keeps the state when the reducer refuses it (InputError only). */
function step(state: LabState, a: LabAction): LabState {
  try {
    return reduceLab(state, a);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return state;
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe('the lab reducer, properties', () => {
  it('any sequence of actions keeps the invariants and never changes the state it was given', () => {
    for (const scene of scenes) deepFreeze(scene);
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        let state = deepFreeze(initialLabState());
        for (const a of actions) {
          state = deepFreeze(step(state, a));
          expect(state.speed).toBeGreaterThanOrEqual(MIN_SPEED);
          expect(state.speed).toBeLessThanOrEqual(MAX_SPEED);
          if (state.halted) expect(state.playing).toBe(false);
          if (state.loop) expect(state.loopWanted).toBe(true);
          const scene = state.scene;
          if (!scene) continue;
          expect(Number.isInteger(state.target) && state.target >= 0 && state.target < scene.neurons).toBe(true);
          expect(state.timePerDivMs).toBeLessThanOrEqual(maxTimePerDivMs(scene.dtMs));
          // The hand and the form are within their schemas.
          expect(checkStimulusForm(state.stimulusForm, scene.model)).toEqual(state.stimulusForm);
          const specs = handSpecs(scene.model);
          expect(state.hand.amplitude).toBeGreaterThanOrEqual(specs.amplitude.min);
          expect(state.hand.amplitude).toBeLessThanOrEqual(specs.amplitude.max);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the page clock, told only clockControls, plays and runs at the speed of the state after every action', () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        let state = initialLabState();
        const control$ = new Subject<ClockControl>();
        let report: ClockReport | undefined;
        const subscription = clockReports({ dtMs: 0.1, maxStepsPerFrame: 100, playing: state.playing, speed: state.speed, frames$: new Subject<number>() }, control$).subscribe((r) => (report = r));
        for (const a of actions) {
          const next = step(state, a);
          for (const control of clockControls(state, next, a)) control$.next(control);
          state = next;
          expect({ playing: report!.playing, speed: report!.speed }).toEqual({ playing: state.playing, speed: state.speed });
        }
        subscription.unsubscribe();
      }),
      { numRuns: 300 },
    );
  });
});
