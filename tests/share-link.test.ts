/**
 * Share links (src/session/share-link.ts): random valid scenes and event logs → link → the same
 * scene and, replayed, the same output digest; link → scene → link is stable; hostile links are
 * refused with a message naming the link, and a decompression bomb stops at the limit.
 */
import { cpus, loadavg } from 'node:os';
import { deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEventLog, type InputEvent } from '../src/core/events.ts';
import { DEFAULT_LIMITS } from '../src/core/limits.ts';
import { parseScene, stepCount, type Scene } from '../src/core/scene.ts';
import { builtinScene } from '../src/core/scenes.ts';
import { Simulation } from '../src/core/simulation.ts';
import { canonicalJson } from '../src/session/digest.ts';
import { Recorder } from '../src/session/recorder.ts';
import type { Recording } from '../src/session/recording.ts';
import { recordRun, verifyRecording } from '../src/session/replay.ts';
import { applyMergePatch, decodeLink, encodeLink, mergePatch, recordingFromLog } from '../src/session/share-link.ts';

const base = ['izhikevich/A', 'izhikevich/F', 'lif', 'hh', 'ring'] as const;

/** A valid scene near a built-in one: a few parameters changed, a stimulus, a size, a connectivity. */
const sceneArb: fc.Arbitrary<Scene> = fc
  .record({
    base: fc.constantFrom(...base),
    scale: fc.double({ min: 0.8, max: 1.2, noNaN: true }),
    amplitude: fc.double({ min: 0, max: 20, noNaN: true }),
    kind: fc.constantFrom('dc', 'pulses', 'sine', 'ou', 'poisson'),
    seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    neurons: fc.integer({ min: 2, max: 30 }),
    connectivity: fc.constantFrom<object>({ kind: 'ring', weight: 1 }, { kind: 'random', probability: 0.2, weightMax: 0.5 }, { kind: 'random', fanIn: 2 }, { kind: 'all-to-all', weight: 0.05 }, { kind: 'none' }),
    fromScratch: fc.boolean(),
  })
  .map(({ base: id, scale, amplitude, kind, seed, neurons, connectivity, fromScratch }) => {
    const scene = builtinScene(id)!;
    const first = Object.keys(scene.params)[0]!;
    const params = { ...scene.params, [first]: Number((scene.params[first]! * scale).toPrecision(6)) };
    const source =
      kind === 'dc'
        ? { kind, amplitude, startMs: 5 }
        : kind === 'pulses'
          ? { kind, amplitude, widthMs: 2, periodMs: 10 }
          : kind === 'sine'
            ? { kind, amplitude, frequencyHz: 40 }
            : kind === 'ou'
              ? { kind, mean: amplitude / 2, sigma: 1, tauMs: 5 }
              : { kind, rateHz: 200, amplitude };
    const input: Record<string, unknown> = { ...scene, params, stimulus: [...scene.stimulus, source], seed, durationMs: 40 };
    if (scene.model === 'lif-network') Object.assign(input, { neurons, connectivity, stimulus: [{ ...source, targets: [0] }], probes: [{ variable: 'v', neuron: 1 }] });
    if (fromScratch) delete input.id;
    return parseScene(input);
  });

/** Events within the run: pulses and parameter changes. */
function eventsArb(scene: Scene): fc.Arbitrary<InputEvent[]> {
  const steps = stepCount(scene);
  const first = Object.keys(scene.params)[0]!;
  const event = fc.oneof(
    fc.record({ step: fc.integer({ min: 0, max: steps - 1 }), amplitude: fc.double({ min: -20, max: 20, noNaN: true }), durationMs: fc.double({ min: 0.5, max: 5, noNaN: true }) }).map((e) => ({ kind: 'pulse', ...e })),
    fc.record({ step: fc.integer({ min: 0, max: steps - 1 }), f: fc.double({ min: 0.9, max: 1.1, noNaN: true }) }).map(({ step, f }) => ({ kind: 'set-param', step, name: first, value: scene.params[first]! * f })),
  );
  return fc.array(event, { maxLength: 8 }).map((events) => parseEventLog(events.sort((a, b) => a.step - b.step), { ...scene, firstStep: 0, limits: DEFAULT_LIMITS }));
}

function record(scene: Scene, events: InputEvent[], traces: boolean) {
  const simulation = new Simulation(scene);
  const recorder = Recorder.start(simulation, { traces });
  recordRun(simulation, recorder, stepCount(scene), { events });
  return recorder.finish();
}

describe('share links', () => {
  it('random valid scenes → link → the same scene; link → scene → link is the same link', async () => {
    await fc.assert(
      fc.asyncProperty(sceneArb, async (scene) => {
        const link = await encodeLink({ scene });
        expect(link).toMatch(/^s1\.[A-Za-z0-9_-]+$/);
        const { scene: back, log } = await decodeLink(`#${link}`);
        expect(log).toBeUndefined();
        expect(canonicalJson(back)).toBe(canonicalJson(scene));
        expect(await encodeLink({ scene: back })).toBe(link);
      }),
      { numRuns: 60 },
    );
  });

  it('random scenes and event logs → link → replayed with the same output digest (✓), and a changed digest gives ✗', async () => {
    await fc.assert(
      fc.asyncProperty(
        sceneArb.chain((scene) => fc.tuple(fc.constant(scene), eventsArb(scene), fc.boolean())),
        async ([scene, events, traces]) => {
          const recording = record(scene, events, traces);
          const link = await encodeLink({ scene, recording });
          const { scene: back, log } = await decodeLink(link);
          expect(canonicalJson(back)).toBe(canonicalJson(recording.scene));
          expect(log!.events).toEqual(recording.events);
          const rebuilt = recordingFromLog(log!);
          const verdict = verifyRecording(rebuilt);
          expect(verdict.identical, verdict.message).toBe(true);
          expect(verdict.actual).toBe(recording.output.digest);
          expect(rebuilt.output.spikes).toEqual(recording.output.spikes);
          expect(await encodeLink({ scene: back, recording: rebuilt })).toBe(link);
          // A link whose digest is not what the log gives: ✗, with both digests.
          const forged = recordingFromLog({ ...log!, output: { ...log!.output, digest: '0123456789abcd' } });
          expect(verifyRecording(forged).identical).toBe(false);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('a scene with a built-in base is a merge patch: small; without one, the whole scene', async () => {
    const a = builtinScene('izhikevich/A')!;
    const same = await encodeLink({ scene: a });
    const changed = await encodeLink({ scene: { ...a, params: { ...a.params, d: 7 } } });
    const scratch = await encodeLink({ scene: { ...a, id: 'mine' } });
    console.log(`link sizes: izhikevich/A ${same.length + 1} chars, with d = 7 ${changed.length + 1}, from scratch ${scratch.length + 1} (CPU ${cpus()[0]?.model}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    expect(same.length).toBeLessThan(80);
    expect(changed.length).toBeLessThan(scratch.length);
    expect(mergePatch({ a: 1, b: [1, 2], c: { d: 1, e: 2 } }, { a: 1, b: [1], c: { d: 1 } })).toEqual({ b: [1], c: { e: null } });
    expect(applyMergePatch({ a: 1, c: { d: 1, e: 2 } }, { c: { e: null }, f: 3 })).toEqual({ a: 1, c: { d: 1 }, f: 3 });
  });

  it('hostile links: garbage, truncated, wrong version, bad base, hostile fields, a decompression bomb — each refused naming the link', async () => {
    const good = await encodeLink({ scene: { ...builtinScene('izhikevich/A')!, title: '<img src=x onerror=alert(1)>' } });
    const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
    const packed = (value: unknown): string => `s1.${b64(deflateRawSync(JSON.stringify(value)))}`;
    const bad: [string, RegExp][] = [
      ['', /a Spikescope link/],
      ['garbage', /a Spikescope link/],
      ['s1.!!!!', /base64url/],
      [good.slice(0, good.length - 10), /cut or was changed/],
      [`s2.${good.slice(3)}`, /format s1/],
      [`s1.${b64(new Uint8Array([1, 2, 3, 4, 5]))}`, /cut or was changed|JSON/],
      [packed([1, 2]), /an object/],
      [packed({ base: 'no-such-scene', scene: {} }), /link base/],
      [`s1.${b64(deflateRawSync('{"base":"izhikevich/A","scene":{"__proto__":{"polluted":1}}}'))}`, /__proto__/],
      [packed({ scene: { model: 'izhikevich', neurons: 1e9 } }), /neurons/],
      [packed({ scene: { model: 'lif-network', neurons: 100_000, connectivity: { kind: 'random' } } }), /synapses/],
      [packed({ scene: { model: 'izhikevich' }, log: { events: 'x' } }), /recording|log/],
      [packed({ scene: { model: 'izhikevich' }, run: 'alert(1)' }), /no other fields/],
      ['s1.' + 'A'.repeat(3_000_000), /at most/],
    ];
    for (const [link, message] of bad) await expect(decodeLink(link), link.slice(0, 40)).rejects.toThrow(message);
    // 64 MB + 1 of zeros deflate to ~64 kB: inflation stops at the limit, before any parse.
    const bomb = `s1.${b64(deflateRawSync(Buffer.alloc(DEFAULT_LIMITS.inputFileBytes + 1)))}`;
    console.log(`decompression bomb: a ${bomb.length}-char link that inflates to ${DEFAULT_LIMITS.inputFileBytes + 1} bytes`);
    await expect(decodeLink(bomb)).rejects.toThrow(/inputFileBytes/);
    // HTML in strings is data: it comes back as text, never interpreted (the page puts text in with textContent).
    expect((await decodeLink(good)).scene.title).toBe('<img src=x onerror=alert(1)>');
  });

  it('figures: link sizes of a 200-neuron random network, and of a log of 100 000 events', async () => {
    const net = parseScene({ id: 'mine', model: 'lif-network', neurons: 200, connectivity: { kind: 'random', probability: 0.1, weightMax: 0.5 }, stimulus: [{ kind: 'dc', amplitude: 1.5, targets: [0, 1, 2, 3, 4] }], durationMs: 1000, seed: 7 });
    const netLink = await encodeLink({ scene: net });
    const scene = builtinScene('izhikevich/A')!;
    const long = parseScene({ ...scene, durationMs: 50_000 });
    const events = parseEventLog(
      Array.from({ length: 100_000 }, (_, k) => (k % 2 === 0 ? { kind: 'pulse', step: k * 2, amplitude: 5 + (k % 7), durationMs: 1 } : { kind: 'set-param', step: k * 2, name: 'd', value: 2 + (k % 50) / 10 })),
      { ...long, firstStep: 0, limits: DEFAULT_LIMITS },
    );
    const recording: Recording = { format: 'spikescope-recording', version: 3, appVersion: '0.2.0', createdAt: new Date(0).toISOString(), scene: long, firstStep: 0, steps: stepCount(long), events, output: { spikes: { step: [], neuron: [], timeMs: [] }, digest: '00000000000000' } };
    const started = performance.now();
    const eventsLink = await encodeLink({ scene: long, recording });
    const decoded = await decodeLink(eventsLink);
    const ms = performance.now() - started;
    console.log(`link sizes: 200-neuron random network ${netLink.length + 1} chars; izhikevich/A with 100 000 events ${eventsLink.length + 1} chars (${((eventsLink.length + 1) / 1024).toFixed(0)} KiB, encode + decode ${ms.toFixed(0)} ms; CPU ${cpus()[0]?.model}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    expect(decoded.log!.events.length).toBe(100_000);
    expect(netLink.length).toBeLessThan(16 * 1024);
  });
});
