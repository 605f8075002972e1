import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinScene } from '../src/core/scenes.ts';
import { decodeRecording, encodeRecording } from '../src/session/file.ts';
import { Session } from '../src/session/session.ts';
import { verifyRecording } from '../src/session/replay.ts';

describe('session (what the page drives, in a worker or not)', () => {
  it('loops the protocol with restart events, and a recording spanning loops replays bit-identically', () => {
    const scene = builtinScene('izhikevich/B')!; // 801 steps per pass
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 3, maxLength: 12 }), fc.integer({ min: 0, max: 1500 }), (sizes, pulseAt) => {
        const lab = new Session(scene, { loop: true });
        lab.startRecording({ traces: true });
        let pulsed = false;
        for (const n of sizes) {
          if (!pulsed && lab.status().step >= pulseAt) {
            lab.input({ kind: 'pulse', amplitude: 20, durationMs: 1 });
            pulsed = true;
          }
          const frame = lab.advance(n);
          expect(frame.steps).toBeLessThanOrEqual(n);
          // A frame never crosses the end of a pass.
          const passStart = frame.status.origin;
          expect(frame.firstStep + frame.steps - passStart).toBeLessThanOrEqual(801);
        }
        const recording = lab.stopRecording()!;
        expect(verifyRecording(recording).identical).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('each pass of a loop repeats the first one exactly when nothing is touched', () => {
    const lab = new Session(builtinScene('izhikevich/C')!, { loop: true });
    const v: number[] = [];
    for (let i = 0; i < 30; i++) v.push(...lab.advance(100).traces[0]!);
    expect(v.length).toBeGreaterThan(2 * 881);
    expect(v.slice(881, 2 * 881)).toEqual(v.slice(0, 881));
  });

  it('replay, seek, and take-over: the fork keeps the history before it and replays bit-identically', async () => {
    const lab = new Session(builtinScene('ring')!, { loop: false });
    lab.startRecording({ traces: true });
    lab.advance(1000);
    lab.input({ kind: 'pulse', amplitude: 3, durationMs: 2, targets: [25] });
    lab.advance(1000);
    const original = await decodeRecording(await encodeRecording(lab.stopRecording()!));
    const replay = new Session(original.scene, { loop: false });
    expect(replay.replay(original).identical).toBe(true);
    replay.seek(1500);
    expect(replay.status()).toMatchObject({ mode: 'replay', step: 1500 });
    replay.advance(100);
    replay.input({ kind: 'set-param', name: 'tauPscMs', value: 8 });
    expect(replay.status().mode).toBe('live');
    replay.advance(700);
    const fork = replay.stopRecording()!;
    expect(fork.forkedFrom).toEqual({ digest: original.output.digest, step: 1600 });
    expect(fork.events.map((e) => [e.kind, e.step])).toEqual([
      ['pulse', 1000],
      ['set-param', 1600],
    ]);
    expect(fork.steps).toBe(2300);
    expect(verifyRecording(fork).identical).toBe(true);
    // The history before the fork is the original's, spike for spike.
    const before = (r: typeof fork) => r.output.spikes.timeMs.filter((_, i) => r.output.spikes.step[i]! < 1600);
    expect(before(fork)).toEqual(before(original));
  });

  it('a pass stimulus starts each new pass again, is logged with the restart, and replays bit-identically', () => {
    const scene = builtinScene('izhikevich/B')!; // 801 steps per pass, dt 0.25 ms
    const lab = new Session(scene, { loop: true });
    lab.startRecording({ traces: true });
    lab.advance(100);
    // The user's DC from t = 5 ms of the pass: set now for the rest of this pass, and for each new pass.
    const from = (startMs: number) => [{ kind: 'dc' as const, amplitude: 10, startMs: startMs + 5 }];
    lab.input({ kind: 'set-stimulus', stimulus: from(lab.status().timeMs) });
    lab.passStimulus = from(0);
    const events = [];
    for (let i = 0; i < 20; i++) events.push(...lab.advance(100).events);
    expect(events.map((e) => [e.kind, e.step])).toEqual([
      ['set-stimulus', 100],
      ['restart', 801],
      ['set-stimulus', 801],
      ['restart', 1602],
      ['set-stimulus', 1602],
    ]);
    const status = lab.status();
    expect(status.recordedSteps).toBe(2100);
    // The user's events: the set-stimulus at step 100 (the loop's restarts and their set-stimulus are logged, not counted).
    expect(status.recordedEvents).toBe(1);
    // A frame's status counts the frame itself.
    const last = lab.advance(10);
    expect(last.status).toMatchObject({ step: 2110, recordedSteps: 2110, recordedEvents: 1 });
    // The second and third passes are the same run (both start with the user's DC at 5 ms).
    const recording = lab.stopRecording()!;
    expect(recording.events).toHaveLength(5);
    expect(lab.status().recordedEvents).toBeNull();
    expect(verifyRecording(recording).identical).toBe(true);
    const replay = new Session(scene, { loop: true });
    replay.replay(recording);
    const v = replay.advance(2100).traces[0]!;
    for (let k = 0; k < 400; k++) expect(v[1602 + k]).toBe(v[801 + k]);
  });
});
