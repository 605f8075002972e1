import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DivergenceError } from '../src/core/kernel.ts';
import { InputError } from '../src/core/schema.ts';
import { parseScene, type Scene } from '../src/core/scene.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { Simulation } from '../src/core/simulation.ts';
import { decodeRecording, encodeRecording } from '../src/session/file.ts';
import { DEFAULT_LIMITS } from '../src/core/limits.ts';
import { Recorder } from '../src/session/recorder.ts';
import { parseRecording, RECORDING_VERSION, RecordingError, tracesOf, type Recording } from '../src/session/recording.ts';
import { rebuildRecording, verifyRecording } from '../src/session/replay.ts';
import { Session } from '../src/session/session.ts';

/** A live session of `scene` recording with traces: `steps` steps, with a pulse at `pulseAt`. */
function recorded(input: Scene, steps: number, pulseAt: number, amplitude = 20, durationMs = 3): Session {
  const session = new Session(input, { loop: false });
  session.startRecording({ traces: true });
  session.advance(pulseAt);
  session.input({ kind: 'pulse', amplitude, durationMs });
  session.advance(steps - pulseAt);
  return session;
}

const scene = parseScene({ ...builtinScene('izhikevich/A')!, durationMs: 5e5 });

// The model-based test of play, pause, seek, take-over… drives the page's live run: tests/session-model.test.ts.
describe('record and replay', () => {
  it('a recording started mid-run carries its start state and replays bit-identically', async () => {
    const simulation = new Simulation(builtinScene('ring')!);
    simulation.advance(1234);
    simulation.schedule({ kind: 'pulse', step: 1240, amplitude: 3, durationMs: 1, targets: [7] });
    const recorder = Recorder.start(simulation, { traces: true });
    for (let i = 0; i < 10; i++) recorder.record({ ...simulation.advance(100), events: [] });
    const recording = await decodeRecording(await encodeRecording(recorder.finish()));
    expect(recording.firstStep).toBe(1234);
    expect(recording.events.length).toBe(1);
    expect(verifyRecording(recording).identical).toBe(true);
  });

  it('a draft (the log alone, as autosaved) rebuilds the whole recording by replay', () => {
    const session = recorded(scene, 800, 300);
    const draft = parseRecording(JSON.stringify(session.draft()));
    expect(draft.output.spikes.step).toEqual([]);
    const recording = session.stopRecording()!;
    // The same log and output (its creation date aside: the draft was saved a moment before).
    const rebuilt = rebuildRecording(draft, true);
    expect(rebuilt.events).toEqual(recording.events);
    expect(rebuilt.output.spikes).toEqual(recording.output.spikes);
    expect(tracesOf(rebuilt)).toEqual(tracesOf(recording));
  });

  it('a tampered output is caught: the replay says what differs', () => {
    const recording = recorded(scene, 800, 0, 0.5, 0.25).stopRecording()!;
    const tampered = structuredClone(recording);
    tampered.output.spikes.timeMs[1]! += 0.25;
    const check = verifyRecording(tampered);
    expect(check.identical).toBe(false);
    expect(check.message).toMatch(/spike 1 differs/);
    const otherDigest = { ...structuredClone(recording), output: { ...recording.output, digest: '00000000000000' } };
    expect(verifyRecording(otherDigest).message).toMatch(/digest 00000000000000 does not match what it holds/);
  });
});

describe('untrusted recording files', () => {
  const makeFile = async () => {
    const recording = recorded(builtinScene('lif')!, 300, 100, 2, 1).stopRecording()!;
    return { recording, text: JSON.stringify(recording) };
  };

  /** The session that keeps running while bad files arrive. */
  const runningSession = () => {
    const sim = new Simulation(builtinScene('izhikevich/C')!);
    return { sim, reference: new Simulation(builtinScene('izhikevich/C')!) };
  };

  const expectClearRejection = async (bytes: Uint8Array, message?: RegExp) => {
    let outcome: unknown;
    try {
      const recording = await decodeRecording(bytes);
      // A mutation may leave a valid file: then it replays, identical or not, or stops on a clear error.
      try {
        verifyRecording(recording);
      } catch (error) {
        expect(error instanceof DivergenceError || error instanceof InputError).toBe(true);
      }
      outcome = 'accepted';
    } catch (error) {
      outcome = error;
      expect(error).toBeInstanceOf(RecordingError);
      expect((error as Error).message.length).toBeGreaterThan(10);
      if (message) expect((error as Error).message).toMatch(message);
    }
    return outcome;
  };

  it('truncated, bit-flipped and retyped files get a clear error, nothing crashes, and the running session is unchanged', async () => {
    const { text } = await makeFile();
    const bytes = new TextEncoder().encode(text);
    const gz = await encodeRecording(JSON.parse(text));
    const { sim, reference } = runningSession();
    const paths = (value: unknown, prefix: (string | number)[] = []): (string | number)[][] =>
      typeof value === 'object' && value !== null
        ? Object.entries(value).flatMap(([k, v]) => [[...prefix, Array.isArray(value) ? Number(k) : k], ...paths(v, [...prefix, Array.isArray(value) ? Number(k) : k])])
        : [];
    const allPaths = paths(JSON.parse(text)).filter((p) => p.length < 6);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.integer({ min: 0, max: bytes.length - 1 }).map((n) => ({ kind: 'truncated', bytes: bytes.slice(0, n) })),
          fc.integer({ min: 0, max: gz.length - 2 }).map((n) => ({ kind: 'truncated gzip', bytes: gz.slice(0, n) })),
          fc.array(fc.tuple(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }).map((flips) => {
            const b = bytes.slice();
            for (const [at, bit] of flips) b[at]! ^= 1 << bit;
            return { kind: 'bit-flipped', bytes: b };
          }),
          fc.array(fc.tuple(fc.integer({ min: 0, max: gz.length - 1 }), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 3 }).map((flips) => {
            const b = gz.slice();
            for (const [at, bit] of flips) b[at]! ^= 1 << bit;
            return { kind: 'bit-flipped gzip', bytes: b };
          }),
          fc.tuple(fc.constantFrom(...allPaths), fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}))).map(([path, value]) => {
            const json = JSON.parse(text);
            let at = json;
            for (const key of path.slice(0, -1)) at = at[key];
            at[path[path.length - 1]!] = value;
            return { kind: `wrong type at ${path.join('.')}`, bytes: new TextEncoder().encode(JSON.stringify(json)) };
          }),
        ),
        async ({ bytes: bad }) => {
          sim.advance(13);
          await expectClearRejection(bad);
          sim.advance(13);
        },
      ),
      { numRuns: 300 },
    );
    const steps = sim.step;
    expect(sim.snapshot()).toEqual((reference.advance(steps), reference.snapshot()));
  });

  it('wrong version, wrong format, absurd values and oversized files are refused by name', async () => {
    const { recording } = await makeFile();
    const enc = (r: unknown) => new TextEncoder().encode(JSON.stringify(r));
    await expectClearRejection(enc({ ...recording, version: RECORDING_VERSION + 1 }), new RegExp(`version = ${RECORDING_VERSION + 1} is not allowed: 1 to ${RECORDING_VERSION}`));
    await expectClearRejection(enc({ ...recording, version: 0 }), /version = 0 is not allowed/);
    await expectClearRejection(enc({ ...recording, format: 'wav' }), /format = "wav"/);
    await expectClearRejection(enc({ ...recording, scene: { ...recording.scene, dtMs: 1e9 } }), /scene\.dtMs = 1000000000 is not allowed: a number from 0.0001 to 10 ms/);
    await expectClearRejection(enc({ ...recording, scene: { ...recording.scene, neurons: 1e12 } }), /scene\.neurons = 1000000000000/);
    await expectClearRejection(enc({ ...recording, events: [{ kind: 'pulse', step: 5, amplitude: 1e300, durationMs: 1 }] }), /events\[0\]\.amplitude = 1e\+300/);
    await expectClearRejection(enc({ ...recording, events: [{ kind: 'eval', step: 5, code: 'alert(1)' }] }), /events\[0\]\.kind = "eval" is not allowed/);
    await expectClearRejection(enc({ ...recording, steps: -3 }), /steps = -3/);
    // A replay is work: bounded in steps and in steps × neurons, so a file cannot hold the engine for hours.
    await expectClearRejection(enc({ ...recording, steps: 2e9 }), /steps = 2000000000 is not allowed: at most 50 000 000 steps/);
    const big = { ...recording, scene: { ...recording.scene, model: 'izhikevich', neurons: 100000, params: {}, options: {}, probes: undefined, stimulus: [] }, events: [], output: { ...recording.output, spikes: { step: [], neuron: [], timeMs: [] } } };
    await expectClearRejection(enc({ ...big, steps: 300000 }), /steps = 300000 is not allowed: at most 2e10 neuron-steps of work \(this is 6e10/);
    await expectClearRejection(new Uint8Array(DEFAULT_LIMITS.fileBytes + 1), /too large/);
    await expectClearRejection(new Uint8Array(0), /empty/);
    const many = { ...recording, events: Array.from({ length: 1_000_001 }, () => ({ kind: 'release', step: 1 })) };
    await expectClearRejection(enc(many), /events = "1000001 events" is not allowed: at most 1000000 events/);
  });

  it('izhikevich-2003 recordings of formats 1 and 2 are refused, saying why (its output moved in format 3); format 2 recordings of other models replay exactly', () => {
    // A file of an older version carries that version in its digest's content: written as that version.
    const record = (input: Scene, steps: number, version?: number): Recording => {
      const simulation = new Simulation(input);
      const recorder = Recorder.start(simulation, { traces: true });
      recorder.record({ ...simulation.advance(steps), events: [] });
      return recorder.finish({ createdAt: '2026-01-01T00:00:00.000Z', ...(version !== undefined && { version }) });
    };
    const network = record(parseScene({ ...builtinScene('izhikevich-2003')!, neurons: 200 }), 50);
    expect(network.version).toBe(RECORDING_VERSION);
    for (const version of [1, 2]) {
      expect(() => parseRecording(JSON.stringify({ ...network, version }))).toThrow(RecordingError);
      expect(() => parseRecording(JSON.stringify({ ...network, version }))).toThrow(
        new RegExp(
          `^this recording of izhikevich-2003 is format ${version}, and the output of izhikevich-2003 changed since \\(format 3: its thalamic noise and synaptic sums became independent of how the network is split across threads — .*\\), so this app cannot replay it bit for bit\\. Record the session again\\.$`,
        ),
      );
    }
    expect(verifyRecording(parseRecording(JSON.stringify(network))).identical).toBe(true);
    for (const id of ['izhikevich/B', 'lif', 'ring', 'hh']) {
      const old = parseRecording(JSON.stringify(record(builtinScene(id)!, 200, 2)));
      expect(old.version).toBe(2);
      expect(verifyRecording(old).message).toBe('the replay is bit-identical to the recording');
    }
  });

  it('a gzip bomb is stopped at the decompressed size bound', async () => {
    const huge = new Uint8Array(300 * 1024 * 1024).fill(32); // 300 MB of spaces compresses to ~300 KB
    const gz = new Uint8Array(await new Response(new Blob([huge]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
    expect(gz.length).toBeLessThan(DEFAULT_LIMITS.fileBytes);
    await expectClearRejection(gz, /decompresses to more than/);
  });
});

describe('live inputs: checked once, at the engine boundary', () => {
  const lif = (): Scene => parseScene({ model: 'lif', dtMs: 1, durationMs: 1000 });

  it('Session.input, for Node code that does not go through the page: a bad value is refused naming the field and the allowed range, and the run goes on', () => {
    const session = new Session(lif(), { loop: false });
    session.startRecording();
    session.advance(10);
    const refusals: [unknown, string][] = [
      [{ kind: 'pulse', amplitude: 2e9, durationMs: 2 }, 'pulse.amplitude = 2000000000 is not allowed: a number from -1000000000 to 1000000000 nA'],
      [{ kind: 'pulse', amplitude: 5, durationMs: 0 }, 'pulse.durationMs = 0 is not allowed: a number greater than 0 and at most 1000000000 ms'],
      [{ kind: 'hold', amplitude: 'a lot' }, 'hold.amplitude = "a lot" is not allowed: a number from -1000000000 to 1000000000 nA'],
      [{ kind: 'set-param', name: 'cm', value: -1 }, 'cm = -1 is not allowed: a number from'],
      [{ kind: 'set-param', name: 'cm', value: 0.1 }, 'cm = 0.1 is not allowed: a value that keeps dtMs = 1 ms a stable step'],
      [{ kind: 'set-stimulus', stimulus: [{ kind: 'pulses', amplitude: 1, widthMs: 2, periodMs: -5 }] }, 'set-stimulus.stimulus[0].periodMs = -5 is not allowed: a number greater than 0 and at most 1000000000 ms'],
      [{ kind: 'laser' }, 'laser.kind = "laser" is not allowed: one of pulse, hold'],
    ];
    for (const [input, message] of refusals) {
      let error: unknown;
      try {
        session.input(input);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(input)).toBeInstanceOf(InputError);
      expect((error as Error).message).toContain(message);
    }
    // Nothing was scheduled; the run goes on, and takes a good input after the refusals.
    expect(session.advance(10).steps).toBe(10);
    session.input({ kind: 'pulse', amplitude: 5, durationMs: 2 });
    expect(session.advance(10).events).toEqual([{ kind: 'pulse', step: 20, amplitude: 5, durationMs: 2 }]);
    expect(session.stopRecording()!.events).toEqual([{ kind: 'pulse', step: 20, amplitude: 5, durationMs: 2 }]);
  });

  it("Session.applyChecked, the page's path: the page's check (LiveRun) is trusted, except a parameter change a replay's recorded change may have made stale", () => {
    // LIF at dt = 1 ms is stable while 2·rm·cm > 1 ms (cm = 2 nF by default).
    const live = new Session(lif(), { loop: false });
    live.startRecording();
    live.advance(10);
    live.applyChecked({ kind: 'set-param', name: 'rm', value: 0.5 });
    live.advance(20);
    const recording = live.stopRecording()!;
    expect(recording.events).toEqual([{ kind: 'set-param', step: 10, name: 'rm', value: 0.5 }]);

    // In the replay, the page had the frame of steps 0–5 (rm as the scene has it) when it checked
    // cm = 0.6 (stable with rm = 1: 2·1·0.6 = 1.2 ms); the advance in flight applied the recorded
    // rm = 0.5, with which cm = 0.6 is not stable (0.6 ms): the session refuses it, naming the bound.
    const replay = new Session(lif(), { loop: false });
    replay.replay(recording);
    expect(replay.advance(5).status.params.rm).toBe(1);
    replay.advance(10);
    expect(() => replay.applyChecked({ kind: 'set-param', name: 'cm', value: 0.6 })).toThrowError(/^cm = 0\.6 is not allowed: a value that keeps dtMs = 1 ms a stable step: forward Euler .* 0\.6 ms/);
    // The replay goes on; a change that stays stable takes it over.
    expect(replay.status().mode).toBe('replay');
    replay.applyChecked({ kind: 'set-param', name: 'cm', value: 3 });
    expect(replay.advance(5).status).toMatchObject({ mode: 'live', params: { rm: 0.5, cm: 3 } });
  });
});
