/**
 * Every built-in scene, the population and the gallery: each opens with WebGL and no error,
 * runs, and leaves a screenshot in test-artifacts/screenshots/ for a person to look at. Prints
 * (not asserted) the main-thread JS per frame and the frame rate of each.
 */
import { describe, expect, it } from 'vitest';
import { sceneIds } from '../../src/app/catalog.ts';
import { closePage, openPage, spikescope, status, summary, SHOTS, useBrowser } from './page.ts';

const browser = useBrowser();

const views = [...sceneIds.map((id) => ({ name: id, query: `?scene=${encodeURIComponent(id)}` })), { name: 'gallery', query: '?view=gallery' }];

describe('every scene', () => {
  it.each(views)('$name runs and is drawn', async ({ name, query }) => {
    const page = await openPage(browser(), query);
    try {
      // Warm up, then measure the frames of the next 1.5 s.
      await page.waitForTimeout(800);
      const warm = (await spikescope<{ totalMs: number[] }>(page, 'frameProfile()')).totalMs.length;
      await page.waitForTimeout(1500);
      const s = await status(page);
      expect(s.renderer).toBe('webgl');
      expect(s.lastError).toBeNull();
      expect(s.totalTimeMs).toBeGreaterThan(0);
      await page.screenshot({ path: `${SHOTS}/${name.replaceAll('/', '_')}.png` });
      const profile = await spikescope<{ totalMs: number[]; simMs: number[]; viewMs: number[] }>(page, 'frameProfile()');
      const measured = profile.totalMs.length < 240 ? profile.totalMs.length - warm : 90;
      const recent = (a: number[]): number[] => a.slice(-Math.max(1, measured));
      console.log(
        `${name.padEnd(14)} JS/frame ${summary(recent(profile.totalMs))} (simulation ${summary(recent(profile.simMs))}; views ${summary(recent(profile.viewMs))}) · ${s.fps.toFixed(0)} fps · ${s.realtimeFactor.toFixed(2)}× real time`,
      );
    } finally {
      await closePage(page);
    }
  });
});
