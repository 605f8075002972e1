/**
 * The big networks through the engine worker: each runs ~5 s, and the test PRINTS (does not
 * assert: the machine is shared and timings are noisy) the real-time factor reached and the
 * main-thread JS ms per frame (median, mean, p95), at the scene's own speed and then asking for 1× real
 * time. It asserts only that simulated time advances, spikes arrive and the renderer is WebGL.
 *
 * The figures before and after the engine moved to the worker are in the README ("The engine worker").
 */
import { cpus, loadavg } from 'node:os';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePage, connectBrowser, openPage, spikescope, status, summary } from './page.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await connectBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Runs for `ms` and returns what to print: real-time factor over the whole span, and JS ms per frame. */
async function measure(page: Page, ms: number): Promise<{ line: string; advanced: number; spikes: number }> {
  const before = await status(page);
  const wallStart = Date.now();
  const framesBefore = (await spikescope<number[]>(page, 'frameTimes()')).length;
  await page.waitForTimeout(ms);
  const after = await status(page);
  const wall = Date.now() - wallStart;
  const times = await spikescope<number[]>(page, 'frameTimes()');
  const frames = times.length < 240 ? times.slice(framesBefore) : times.slice(-Math.min(240, Math.round((ms / 1000) * 30)));
  const factor = (after.totalTimeMs - before.totalTimeMs) / wall;
  return {
    line: `${factor.toFixed(2)}× real time over ${(wall / 1000).toFixed(1)} s (status line: ${after.realtimeFactor.toFixed(2)}×, ${after.fps.toFixed(0)} fps) · main-thread JS/frame ${summary(frames)}`,
    advanced: after.totalTimeMs - before.totalTimeMs,
    spikes: after.spikeCount - before.spikeCount,
  };
}

describe('the engine worker keeps the main thread free', () => {
  it.each(['izhikevich-2003/sparse-100k', 'izhikevich-2003/sparse-10k'])('%s: real-time factor and main-thread JS per frame', async (id) => {
    const page = await openPage(browser, `?scene=${encodeURIComponent(id)}`);
    try {
      await page.waitForTimeout(500);
      const own = await measure(page, 2500);
      await spikescope(page, 'setSpeed(1)');
      await page.waitForTimeout(300);
      const fast = await measure(page, 5000);
      const s = await status(page);
      const machine = `${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
      console.log(`${id} at its own speed: ${own.line}\n${id} asked for 1×: ${fast.line} · ${s.threads} thread${s.threads === 1 ? '' : 's'} · ${machine}`);
      expect(s.renderer).toBe('webgl');
      expect(s.lastError).toBeNull();
      expect(own.advanced + fast.advanced).toBeGreaterThan(0);
      expect(own.spikes + fast.spikes).toBeGreaterThan(0);
    } finally {
      await closePage(page);
    }
  });
});
