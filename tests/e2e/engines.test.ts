/**
 * The same bits in every browser. In Chromium, Firefox and WebKit each model family — LIF, the
 * LIF ring, Hodgkin–Huxley, an Izhikevich preset, the Izhikevich (2003) network of 10 000
 * neurons and an AdEx pattern — is recorded in the page, with a hand pulse and its traces, and the file is verified
 * by the Node CLI: bit-identical, every one. Each engine also computes the deterministic math's
 * reference table (tests/reference/deterministic-math.json) bit for bit, and says how often its
 * own Math.* differs there. Prints (does not assert) each engine's real-time
 * factor and main-thread time per frame for the 10k network. And headless Firefox, which has no
 * WebGL here, draws the oscilloscope and the raster with Canvas 2D, says so, and throws nothing.
 * Screenshots land in test-artifacts/screenshots/ (`<engine>-*.png`).
 */
import { buildSync } from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Recording } from '../../src/session/recording.ts';
import { theme } from '../../src/view/theme.ts';
import { cliVerify } from './cli.ts';
import { ENGINES, openEngine, waitFor, type EnginePage } from './engines.ts';
import { summary } from './page.ts';
import { colorFraction, crop, decodePng } from './png.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SHOTS = resolve(ROOT, 'test-artifacts/screenshots');
const FILES = resolve(ROOT, 'test-artifacts/recordings');

/** Each family's scene and the hand pulse the page itself offers for it (catalog.ts). */
const FAMILIES = [
  { scene: 'lif', pulse: { amplitude: 10, durationMs: 2 } },
  { scene: 'ring', pulse: { amplitude: 10, durationMs: 2 } },
  { scene: 'hh', pulse: { amplitude: 20, durationMs: 1 } },
  { scene: 'izhikevich/B', pulse: { amplitude: 20, durationMs: 2 } },
  { scene: 'izhikevich-2003/sparse-10k', pulse: { amplitude: 20, durationMs: 2 } },
  { scene: 'adex/adapting', pulse: { amplitude: 2000, durationMs: 2 } },
] as const;
/** Simulated time recorded before and after the pulse, ms (each scene runs at its own speed, 0.1–1×). */
const RECORD_MS = 60;

beforeAll(() => {
  mkdirSync(SHOTS, { recursive: true });
  mkdirSync(FILES, { recursive: true });
});

describe.each(ENGINES)('in %s', (engine) => {
  let page: EnginePage;
  beforeAll(async () => {
    page = await openEngine(engine);
    await page.open('?scene=lif');
    // The panel's "loop protocol" off: the run goes on past the protocol instead of logging restarts.
    const loop = '[...document.querySelectorAll(".lil-controller")].find((c) => c.querySelector(".lil-name")?.textContent === "loop protocol").querySelector("input")';
    await page.value(`(() => { const box = ${loop}; if (box.checked) box.click(); return box.checked; })()`);
  });
  afterAll(async () => {
    await page?.close();
  });

  it.each(FAMILIES)('$scene recorded with a hand pulse and traces verifies bit-identically in Node', async ({ scene, pulse }) => {
    await page.value(`window.spikescope.loadScene(${JSON.stringify(scene)})`);
    await waitFor(page, (s) => s.sceneId === scene && s.mode === 'live' && s.totalTimeMs > 0, `${scene} to run`);
    await page.value('window.spikescope.startRecording({ traces: true })');
    await waitFor(page, (s) => (s.recording?.timeMs ?? 0) >= RECORD_MS, 'the recording to run');
    await page.value(`window.spikescope.pulse(${JSON.stringify(pulse)})`);
    // With the loop off the log holds nothing but the pulse; then some more time after it.
    const pulsed = await waitFor(page, (s) => (s.recording?.events ?? 0) >= 1, 'the pulse to be recorded');
    const recorded = await waitFor(page, (s) => (s.recording?.timeMs ?? 0) >= pulsed.recording!.timeMs + RECORD_MS, 'the run after the pulse');
    const recording = await page.value<Recording>('window.spikescope.stopRecording()');
    expect(recorded.lastError).toBeNull();
    expect(recording.scene.id).toBe(scene);
    expect(recording.events.filter((e) => e.kind === 'pulse')).toHaveLength(1);
    expect(recording.output.traces?.values.length).toBeGreaterThan(0);
    const file = resolve(FILES, `${engine}-${scene.replaceAll('/', '_')}.json`);
    writeFileSync(file, JSON.stringify(recording));
    const cli = cliVerify(file);
    console.log(`${engine} ${scene}: ${recording.steps} steps, ${recording.output.spikes.step.length} spikes, digest ${recording.output.digest} · Node CLI: ${cli.stdout.trim() || cli.stderr.trim()}`);
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toMatch(/^identical/);
    expect(cli.status).toBe(0);
  });

  it('computes the deterministic math of the committed table bit for bit (its own Math.* printed for comparison)', async () => {
    const results = await page.value<Record<string, { wrong: number; mathDiffers: number; total: number }>>(mathCheck());
    const lines = Object.entries(results).map(([name, r]) => `${name} ${r.wrong} wrong of ${r.total} (the engine's Math.${name} differs on ${r.mathDiffers})`);
    console.log(`${engine} deterministic math against openlibm's bits: ${lines.join('; ')}`);
    expect(Object.keys(results)).toEqual(['exp', 'expm1', 'log', 'sin', 'cos']);
    for (const r of Object.values(results)) expect(r.wrong).toBe(0);
  });

  it('runs the 10k network at 1× real time (real-time factor and main-thread ms per frame printed, not asserted)', async () => {
    const scene = 'izhikevich-2003/sparse-10k';
    await page.value(`window.spikescope.loadScene(${JSON.stringify(scene)})`);
    await waitFor(page, (s) => s.sceneId === scene && s.totalTimeMs > 0, `${scene} to run`);
    await page.value('window.spikescope.setSpeed(1)');
    await new Promise((r) => setTimeout(r, 1000));
    const before = await waitFor(page, () => true, 'status');
    const framesBefore = (await page.value<number[]>('window.spikescope.frameTimes()')).length;
    const wallStart = Date.now();
    await new Promise((r) => setTimeout(r, 4000));
    const after = await waitFor(page, () => true, 'status');
    const wall = Date.now() - wallStart;
    const times = await page.value<number[]>('window.spikescope.frameTimes()');
    const frames = times.length < 240 ? times.slice(framesBefore) : times.slice(-120);
    writeFileSync(resolve(SHOTS, `${engine}-sparse-10k.png`), await page.screenshot());
    const factor = (after.totalTimeMs - before.totalTimeMs) / wall;
    console.log(
      `${engine} ${scene} asked for 1×: ${factor.toFixed(2)}× real time over ${(wall / 1000).toFixed(1)} s (status line ${after.realtimeFactor.toFixed(2)}×, ${after.fps.toFixed(0)} fps, renderer ${after.renderer}, update in ${after.wasm ? 'WebAssembly' : 'JavaScript'}) · main-thread JS/frame ${summary(frames)}`,
    );
    expect(after.lastError).toBeNull();
    expect(after.totalTimeMs).toBeGreaterThan(before.totalTimeMs);
    expect(after.spikeCount).toBeGreaterThan(before.spikeCount);
  });

  it('throws no page error', async () => {
    expect(await page.errors()).toEqual([]);
  });
});

/**
 * An expression that runs src/core/numerics/deterministic-math.ts (bundled for the page) on every
 * input of the committed table and counts, per function, the outputs that differ from the table's
 * bits — and those where the engine's own Math function differs from them.
 */
function mathCheck(): string {
  const code = buildSync({ entryPoints: [resolve(ROOT, 'src/core/numerics/deterministic-math.ts')], bundle: true, format: 'iife', globalName: 'dmath', write: false }).outputFiles[0]!.text;
  const table = (JSON.parse(readFileSync(resolve(ROOT, 'tests/reference/deterministic-math.json'), 'utf8')) as { functions: unknown }).functions;
  return `(() => {
    ${code}
    const words = new Float64Array(1);
    const bits = new BigUint64Array(words.buffer);
    const hex = (x) => (Number.isNaN(x) ? 'nan' : ((words[0] = x), bits[0].toString(16).padStart(16, '0')));
    const result = {};
    for (const [name, pairs] of Object.entries(${JSON.stringify(table)})) {
      let wrong = 0;
      let mathDiffers = 0;
      for (const [x, y] of pairs) {
        bits[0] = BigInt('0x' + x);
        const value = words[0];
        if (hex(dmath[name](value)) !== y) wrong++;
        if (hex(Math[name](value)) !== y) mathDiffers++;
      }
      result[name] = { wrong, mathDiffers, total: pairs.length };
    }
    return result;
  })()`;
}

describe('without WebGL (headless Firefox)', () => {
  it('draws the raster and the oscilloscope with Canvas 2D, says why in a notice, and throws nothing', async () => {
    const page = await openEngine('firefox');
    try {
      await page.open('?scene=ring');
      const s = await waitFor(page, (t) => t.totalTimeMs > 300, 'the ring to run 300 ms');
      expect(s.renderer).toBe('canvas');
      const notice = await page.value<string | null>('document.querySelector("[data-notice=no-webgl]")?.textContent ?? null');
      expect(notice).toMatch(/^Drawing without WebGL, with Canvas 2D \(slower drawing; the simulation is unaffected\): the browser gave no WebGL context/);
      console.log(`Firefox's notice: ${notice}`);
      writeFileSync(resolve(SHOTS, 'firefox-no-webgl-notice.png'), await page.screenshot());
      await page.value('document.querySelector("[data-notice=no-webgl] .notice-close").click()');
      await new Promise((r) => setTimeout(r, 1000));
      const png = await page.screenshot();
      writeFileSync(resolve(SHOTS, 'firefox-no-webgl-ring.png'), png);
      const image = decodePng(png);
      const stage = await page.value<{ left: number; top: number; width: number; height: number }>('(() => { const r = document.querySelector("canvas").getBoundingClientRect(); return { left: r.left, top: r.top, width: r.width, height: r.height }; })()');
      const band = (from: number, to: number) => crop(image, stage.left + 70, stage.top + from * stage.height, stage.left + stage.width - 12, stage.top + to * stage.height);
      // The ring's raster (top) shows spikes in its hit colours; the scope (bottom) the green trace of v.
      const spikes = colorFraction(band(0.1, 0.4), 0x3e9ed8, 90);
      const trace = colorFraction(band(0.55, 0.75), 0x7cfc9a, 90);
      const blank = colorFraction(band(0.1, 0.9), theme.background, 12);
      console.log(`Firefox without WebGL: raster ${(spikes * 100).toFixed(2)} % spike pixels, scope ${(trace * 100).toFixed(2)} % trace pixels, ${(blank * 100).toFixed(0)} % background`);
      expect(spikes).toBeGreaterThan(0.002);
      expect(trace).toBeGreaterThan(0.001);
      expect(await page.errors()).toEqual([]);
      expect((await waitFor(page, () => true, 'status')).lastError).toBeNull();
    } finally {
      await page.close();
    }
  });
});
