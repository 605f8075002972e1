/**
 * Threads in the page: served with COOP/COEP (vite.config.ts), the page is cross-origin isolated
 * and the engine worker splits the 100k network across Web Workers; a recording made there,
 * with a pulse and a parameter change that rebuilds the network, verifies bit for bit with the
 * CLI on one thread and on two. The 10k network stays on one thread (the default rule).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliVerify } from './cli.ts';
import { spikescope, status, waitForStatus, withPage, SHOTS, useBrowser } from './page.ts';
import { crop, decodePng, foregroundFraction } from './png.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FILES = resolve(ROOT, 'test-artifacts/recordings');
/** The raster plot's background (src/view/raster.ts BACKGROUND). */
const RASTER_BACKGROUND = 0x10161e;

const browser = useBrowser();
beforeAll(() => {
  mkdirSync(FILES, { recursive: true });
});

describe('threads in the page', () => {
  it('the 100k network runs on several Web Workers, and its recording verifies with the CLI on one thread and on two', async () => {
    await withPage(browser(), '?scene=izhikevich-2003%2Fsparse-100k', async (page) => {
      expect(await page.evaluate('crossOriginIsolated')).toBe(true);
      const cores = await page.evaluate<number>('navigator.hardwareConcurrency');
      // defaultThreads: one per core, at most 8, at most one per 20 000 neurons.
      const expected = Math.min(cores, 8, 5);
      // The helpers start asynchronously: the first steps may be computed on one thread.
      const running = await waitForStatus(page, (s) => s.threads === expected, `${expected} threads`, 30_000);
      expect(running.threads).toBe(expected);
      expect(running.wasm).toBe(true);
      await expect.poll(() => page.locator('.status-threads').textContent()).toBe(expected > 1 ? `${expected} threads · WebAssembly` : 'WebAssembly');
      // Right after the switch the raster shows the spikes so far. (It went blank here: the status
      // line's "2 threads" resized the plot, and the raster waited, empty, for the engine to bin
      // the window again for the new size — a whole frame of the 100k network.)
      const shown = await waitForStatus(page, (s) => s.spikeCount > 0, 'spikes');
      const png = await page.screenshot({ path: `${SHOTS}/threads-100k.png` });
      const stage = await page.evaluate(() => {
        const r = document.querySelector('canvas')!.getBoundingClientRect();
        return { left: r.left, top: r.top, width: r.width, height: r.height };
      });
      // The raster's plot: the top third of the stage, right of its neuron axis.
      const raster = crop(decodePng(png), stage.left + 70, stage.top + 0.1 * stage.height, stage.left + stage.width - 12, stage.top + 0.35 * stage.height);
      const lit = foregroundFraction(raster, RASTER_BACKGROUND);
      console.log(`threads-100k.png at t = ${shown.totalTimeMs} ms, ${shown.spikeCount} spikes: ${(lit * 100).toFixed(1)} % of the raster's plot lit`);
      expect(lit).toBeGreaterThan(0.01);
      await spikescope(page, 'pause()');
      await spikescope(page, 'startRecording({ traces: true })');
      await spikescope(page, 'step(20)');
      await spikescope(page, 'pulse({ amplitude: 40, durationMs: 2, neuron: 99999 })');
      await spikescope(page, 'step(20)');
      await spikescope(page, 'setParam("fanIn", 80)');
      await spikescope(page, 'step(40)');
      await waitForStatus(page, (s) => (s.recording?.steps ?? 0) >= 80, 'the recording to hold 80 steps', 60_000);
      const recording = await page.evaluate('window.spikescope.stopRecording().then((r) => JSON.stringify(r))');
      const file = resolve(FILES, 'threads-100k.json');
      writeFileSync(file, recording as string);
      for (const threads of ['1', '2']) {
        const cli = cliVerify(file, '--threads', threads);
        expect(cli.stdout, cli.stderr).toMatch(/^identical: the replay is bit-identical/);
        expect(cli.status).toBe(0);
      }
      expect((await status(page)).lastError).toBeNull();
    });
  });

  it('the 10k network stays on one thread', async () => {
    await withPage(browser(), '?scene=izhikevich-2003%2Fsparse-10k', async (page) => {
      await page.waitForTimeout(500);
      expect((await status(page)).threads).toBe(1);
      expect(await page.locator('.status-threads').textContent()).toBe('WebAssembly');
    });
  });
});
