/**
 * The engine worker's host (src/engine/host.ts) in Node, driven by the protocol's messages
 * as the page sends them: a bad file leaves the running session untouched, a good one replaces
 * it (and frames of the left session come back empty), an input in a replay forks it, drafts are
 * saved while recording, cleared when it stops, and restored by replay, exports carry their
 * headers, and a file asking for absurd work is refused.
 */
import { describe, expect, it } from 'vitest';
import { EngineHost, type DraftStore } from '../src/engine/host.ts';
import type { CallArgs, CallName, CallResult, EngineMessage, OpenOptions } from '../src/engine/protocol.ts';
import { builtinScene } from '../src/core/scenes.ts';
import type { SavedDraft } from '../src/session/autosave.ts';
import { encodeRecording } from '../src/session/file.ts';
import type { Recording } from '../src/session/recording.ts';

const LIVE: OpenOptions = { loop: true, probes: [] };

function harness(store?: DraftStore) {
  const messages: EngineMessage[] = [];
  const host = new EngineHost((message) => messages.push(message), store);
  let nextId = 1;
  const call = async <N extends CallName>(session: number, name: N, args: CallArgs<N>): Promise<CallResult<N>> => {
    const id = nextId++;
    host.handle({ type: 'call', id, session, name, args } as never);
    for (let wait = 0; wait < 200; wait++) {
      const reply = messages.find((m) => m.type === 'reply' && m.id === id);
      if (reply?.type === 'reply') {
        if (reply.ok) return reply.value as CallResult<N>;
        throw Object.assign(new Error(reply.error.message), { name: reply.error.name });
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`no reply to ${name}`);
  };
  const advance = (session: number, steps: number) => {
    host.handle({ type: 'advance', session, steps });
    const last = messages.at(-1)!;
    if (last.type !== 'frame') throw new Error(`expected a frame, got ${last.type}`);
    return last;
  };
  return { host, messages, call, advance };
}

function memoryStore(): DraftStore & { saved: SavedDraft | undefined } {
  const store = {
    saved: undefined as SavedDraft | undefined,
    save: async (saved: SavedDraft) => void (store.saved = structuredClone(saved)),
    load: async () => store.saved,
    clear: async () => void (store.saved = undefined),
  };
  return store;
}

async function aRecording(): Promise<Recording> {
  const { host, call, advance } = harness();
  host.handle({ type: 'open', session: 1, scene: builtinScene('izhikevich/B')!, options: LIVE });
  advance(1, 100);
  await call(1, 'start-recording', { traces: true });
  advance(1, 200);
  host.handle({ type: 'input', session: 1, input: { kind: 'pulse', amplitude: 30, durationMs: 2 } });
  advance(1, 300);
  return (await call(1, 'stop-recording', { sceneName: 'izhikevich-B', object: true }))!.recording!;
}

describe('the engine host', () => {
  it('a bad file is refused and the running session goes on from where it was; a good one replaces it', async () => {
    const recording = await aRecording();
    const gzip = await encodeRecording(recording, true);
    const { host, call, advance } = harness();
    host.handle({ type: 'open', session: 1, scene: builtinScene('izhikevich/C')!, options: LIVE });
    advance(1, 400);
    const truncated = gzip.slice(0, gzip.length >> 1);
    await expect(call(1, 'replay', { next: 2, source: { bytes: truncated }, options: LIVE })).rejects.toThrow(/not valid gzip/);
    await expect(call(1, 'replay', { next: 2, source: { text: '{"format":"spikescope-recording","version":9}' }, options: LIVE })).rejects.toThrow(/version = 9/);
    expect(advance(1, 100).frame!.firstStep).toBe(400);

    const info = await call(1, 'replay', { next: 2, source: { bytes: gzip }, options: LIVE });
    expect(info).toMatchObject({ identical: true, digest: recording.output.digest, firstStep: 100, endStep: 600, traces: true });
    expect(advance(1, 100).frame).toBeNull(); // the left session
    const frame = advance(2, 50).frame!;
    expect(frame.firstStep).toBe(100);
    expect(frame.status).toMatchObject({ mode: 'replay', step: 150 });
  });

  it('an input in a replay takes over: the fork is recorded with the history before it', async () => {
    const recording = await aRecording();
    const { host, call, advance } = harness();
    await call(0, 'replay', { next: 5, source: { text: JSON.stringify(recording) }, options: LIVE });
    expect(await call(5, 'seek', { step: 350 })).toBe(350);
    host.handle({ type: 'input', session: 5, input: { kind: 'set-param', name: 'd', value: 4 } });
    const frame = advance(5, 100);
    expect(frame.recording).toEqual({ steps: 350, events: 2, forked: true, traces: true, full: null });
    const fork = (await call(5, 'stop-recording', { sceneName: 'x', object: true }))!.recording!;
    expect(fork.forkedFrom).toEqual({ digest: recording.output.digest, step: 350 });
    expect(fork.events.map((e) => e.kind)).toEqual(['pulse', 'set-param']);
  });

  it('saves the draft while recording, clears it when the recording stops, and restores a draft left behind', async () => {
    const store = memoryStore();
    const first = harness(store);
    first.host.handle({ type: 'open', session: 1, scene: builtinScene('izhikevich/A')!, options: LIVE });
    first.advance(1, 40);
    await first.call(1, 'start-recording', { traces: false });
    first.advance(1, 400);
    first.host.handle({ type: 'input', session: 1, input: { kind: 'pulse', amplitude: 30, durationMs: 2 } });
    first.advance(1, 400);
    await first.host.saveDraft();
    expect(store.saved?.draft.steps).toBe(800);
    expect(store.saved?.draft.firstStep).toBe(40);
    const stopped = await first.call(1, 'stop-recording', { sceneName: 'a', object: false });
    expect(stopped).toMatchObject({ recording: null, summary: { steps: 800, events: 1, timeMs: 200 } }); // the pulse (the restarts at 400 and 800 are logged, not counted)
    await first.host.saveDraft();
    expect(store.saved).toBeUndefined();

    // A page that went away while recording…
    first.host.handle({ type: 'open', session: 2, scene: builtinScene('izhikevich/A')!, options: LIVE });
    await first.call(2, 'start-recording', { traces: true });
    first.advance(2, 300);
    first.host.handle({ type: 'input', session: 2, input: { kind: 'pulse', amplitude: 30, durationMs: 2 } });
    first.advance(2, 500);
    await first.host.saveDraft();
    // …and the next page finds its draft and restores it in replay mode.
    const next = harness(store);
    next.host.handle({ type: 'open', session: 1, scene: builtinScene('lif')!, options: LIVE });
    // Its events: the pulse (the loop's restart at the end of the first pass, 400 steps, is logged, not counted).
    expect(await next.call(1, 'find-draft', {})).toMatchObject({ sceneId: 'izhikevich/A', steps: 800, events: 1, traces: true });
    const info = await next.call(1, 'restore-draft', { next: 2, options: LIVE });
    expect(info).toMatchObject({ identical: true, firstStep: 0, endStep: 800, traces: true, events: 1 });
    const file = await next.call(2, 'export', { what: 'recording', sceneName: 'izhikevich-A' });
    expect(file).toMatchObject({ source: 'replay', steps: 800 });
    expect(file!.file.name).toMatch(/^spikescope-izhikevich-A-.*\.json\.gz$/);
    await next.call(2, 'discard-draft', {});
    expect(store.saved).toBeUndefined();
  });

  it('exports the traces and spikes CSV of the recording in progress, the last one stopped and the replay; without any, of what the views show', async () => {
    const { host, call, advance } = harness();
    host.handle({ type: 'open', session: 1, scene: builtinScene('hh')!, options: LIVE });
    advance(1, 100);
    const view = (await call(1, 'export', { what: 'traces', sceneName: 'hh' }))!;
    expect(view).toMatchObject({ source: 'view', steps: 100 });
    expect(view.file.name).toMatch(/^spikescope-hh-view-traces-.*\.csv$/);
    expect(view.file.text!.trim().split('\n').length).toBe(101);
    expect(await call(1, 'export', { what: 'recording', sceneName: 'hh' })).toBeNull();
    await call(1, 'start-recording', { traces: false });
    advance(1, 2000);
    const traces = (await call(1, 'export', { what: 'traces', sceneName: 'hh' }))!;
    expect(traces.source).toBe('recording');
    const lines = traces.file.text!.trim().split('\n');
    expect(lines[0]).toBe('time (ms),v (mV),m,h,n,iNa (µA/cm²),iK (µA/cm²),iL (µA/cm²),iExt (µA/cm²)');
    expect(lines.length).toBe(2001);
    expect(lines[1]!.startsWith('1.01,')).toBe(true); // step 100 ends at 1.01 ms (dt 0.01)
    await call(1, 'stop-recording', { sceneName: 'hh', object: false });
    const spikes = (await call(1, 'export', { what: 'spikes', sceneName: 'hh' }))!;
    expect(spikes.file.text!.split('\n')[0]).toBe('time (ms),neuron');
    expect(spikes.file.name).toMatch(/^spikescope-hh-recording-spikes-.*\.csv$/);
  });

  it("keeps a frame's spikes in the worker: the page gets their count, the trigger neuron's spikes and the raster's columns for its view", async () => {
    const { host, messages, advance } = harness();
    const scene = builtinScene('izhikevich-2003')!;
    host.handle({ type: 'open', session: 1, scene, options: LIVE });
    const first = advance(1, 200).frame!;
    expect(first.raster).toBeNull();
    expect(first.spikeCount).toBeGreaterThan(0);
    expect('spikes' in first).toBe(false);
    const view = { width: 300, rows: 100, windowMs: 100, first: 0, count: 1000, version: 1 };
    host.handle({ type: 'view', session: 1, raster: view, trigger: 3 });
    const redrawn = messages.at(-1)!;
    if (redrawn.type !== 'raster') throw new Error(`expected a raster message, got ${redrawn.type}`);
    // The whole window, binned again: 300 bins of 100 rows, bins 1 … 300 (bin 300 starts at 100 ms, the end of 200 steps of 0.5 ms).
    expect(redrawn.update).toMatchObject({ version: 1, firstBin: 1, headBin: 300, binMs: 1 / 3 });
    expect(redrawn.update.counts.reduce((a, b) => a + b, 0)).toBe(first.spikeCount);
    // The next frame's columns: from the last one sent (it may have been partial) to the new head.
    const next = advance(1, 30).frame!;
    expect(next.raster).toMatchObject({ version: 1, firstBin: 300, headBin: 345 });
    expect(Array.from(next.trigger.neuron).every((n) => n === 3)).toBe(true);
    // The same view again changes nothing; a new version is answered at once.
    const before = messages.length;
    host.handle({ type: 'view', session: 1, raster: view, trigger: 3 });
    expect(messages.length).toBe(before);
  });

  it('refuses a file that asks for absurd work before replaying anything', async () => {
    const recording = await aRecording();
    const { host, call, advance } = harness();
    host.handle({ type: 'open', session: 1, scene: builtinScene('izhikevich/C')!, options: LIVE });
    const absurd = { ...recording, steps: 2_000_000_000, output: { spikes: recording.output.spikes, digest: recording.output.digest } };
    await expect(call(1, 'replay', { next: 2, source: { text: JSON.stringify(absurd) }, options: LIVE })).rejects.toThrow(/steps = 2000000000 is not allowed: at most 50 000 000 steps/);
    expect(advance(1, 10).frame!.firstStep).toBe(0);
  });
});
