/**
 * The lab page as a user meets it, in real Chromium with real WebGL: it opens alive, the
 * panel's pulse button and parameter fields change what the neuron does, the keyboard works,
 * and bad input is answered with a message while the run goes on.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { controller, spikescope, status, stepAndCount, waitForHandle, waitForStatus, withPage, useBrowser } from './page.ts';

const browser = useBrowser();

/** Izhikevich (B) after its phasic spike: a neuron at rest under a small DC, paused, loop off. */
async function restingNeuron(page: Page): Promise<void> {
  await controller(page, 'loop protocol').locator('input').uncheck();
  await spikescope(page, 'setSpeed(2)');
  await waitForStatus(page, (s) => s.timeMs > 80 && s.spikeCount >= 1, 'the phasic spike of (B)');
  await spikescope(page, 'pause()');
  await waitForStatus(page, (s) => !s.playing, 'pause');
}

describe('the lab page', () => {
  it('opens on Izhikevich (A), drawn with WebGL, and it moves', async () => {
    await withPage(browser(), '', async (page) => {
      const first = await status(page);
      expect(first.renderer).toBe('webgl');
      expect(first.sceneId).toBe('izhikevich/A');
      expect(first.playing).toBe(true);
      const canvas = page.locator('canvas');
      const before = await canvas.screenshot();
      await page.waitForTimeout(400);
      const after = await canvas.screenshot();
      expect(Buffer.compare(before, after)).not.toBe(0);
      const later = await waitForStatus(page, (s) => s.totalTimeMs > first.totalTimeMs + 10, 'simulated time to advance');
      expect(later.spikeCount).toBeGreaterThan(0);
      expect(later.lastError).toBeNull();
    });
  });

  it('a pulse from the panel makes a resting neuron spike', async () => {
    await withPage(browser(), '?scene=izhikevich/B', async (page) => {
      await restingNeuron(page);
      expect(await stepAndCount(page, 200)).toBe(0); // at rest: no spikes of its own
      await page.locator('.lil-function button', { hasText: 'pulse' }).click();
      expect(await stepAndCount(page, 200)).toBeGreaterThanOrEqual(1);
      expect((await status(page)).lastError).toBeNull();
    });
  });

  it('a DC below threshold from the stimulus panel silences the LIF neuron, and a panel pulse makes it fire', async () => {
    await withPage(browser(), '?scene=lif', async (page) => {
      const stimulus = page.locator('.lil-gui').filter({ has: page.locator(':scope > .lil-title', { hasText: 'Stimulus' }) });
      await stimulus.locator(':scope > .lil-title').click();
      await stimulus.locator('[data-stimulus="kind"] select').selectOption({ label: 'dc' });
      const amplitude = stimulus.locator('[data-stimulus="amplitude"] input.param-value');
      await amplitude.fill('0.5');
      await amplitude.press('Enter');
      await spikescope(page, 'pause()');
      await stepAndCount(page, 400); // the last spike under the old drive fades out
      expect(await stepAndCount(page, 800)).toBe(0); // I·R = 0.5 < threshold 1
      await page.locator('.lil-function button', { hasText: 'pulse' }).click();
      expect(await stepAndCount(page, 200)).toBe(1);
    });
  });

  it('loops the protocol back to t = 0, or runs on when the loop is off', async () => {
    await withPage(browser(), '?scene=izhikevich/A', async (page) => {
      await spikescope(page, 'setSpeed(20)');
      const looped = await waitForStatus(page, (s) => s.totalTimeMs > 250, 'two passes of (A)');
      expect(looped.timeMs).toBeLessThan(101);
      await controller(page, 'loop protocol').locator('input').uncheck();
      const on = await waitForStatus(page, (s) => s.timeMs > 150, 'the run to go on past the protocol');
      expect(on.lastError).toBeNull();
    });
  });

  it('a parameter typed into the panel changes the firing rate', async () => {
    await withPage(browser(), '?scene=lif', async (page) => {
      await spikescope(page, 'pause()');
      const before = await stepAndCount(page, 2400); // 300 ms under DC 1.5
      const field = page.locator('.lil-controller[data-param="tauRefMs"] input.param-value');
      await field.fill('20');
      await field.press('Enter');
      // The change takes effect at the next step computed.
      const after = await stepAndCount(page, 2400);
      expect((await status(page)).params.tauRefMs).toBe(20);
      expect(before).toBeGreaterThanOrEqual(15);
      expect(after).toBeLessThan(before * 0.7);
      // Reset: t = 0 with the scene's own values again.
      await page.locator('.lil-function button', { hasText: 'reset' }).click();
      const reset = await waitForStatus(page, (s) => s.totalTimeMs < 100, 'the reset');
      expect(reset.params.tauRefMs).toBe(4);
      expect(await page.locator('.lil-controller[data-param="tauRefMs"] input.param-value').inputValue()).toBe('4');
    });
  });

  it('the keyboard: Space pauses and plays, R records, ? shows the shortcuts, P pulses, holding I injects', async () => {
    await withPage(browser(), '?scene=izhikevich/B', async (page) => {
      await page.keyboard.press('Space');
      await waitForStatus(page, (s) => !s.playing, 'Space to pause');
      await page.keyboard.press('Space');
      await waitForStatus(page, (s) => s.playing, 'Space to play');

      await page.keyboard.press('r');
      await waitForStatus(page, (s) => s.recording !== null && s.recording.steps > 0, 'R to start recording');
      await expect.poll(() => page.locator('.status-mode').textContent()).toMatch(/^● REC /);
      await page.keyboard.press('r');
      await waitForStatus(page, (s) => s.recording === null, 'R to stop recording');
      await expect.poll(() => page.locator('[data-notice="recording"]').isVisible()).toBe(true);
      expect(await page.locator('[data-notice="recording"] [data-action="download-recording"]').getAttribute('download')).toMatch(/^spikescope-izhikevich-B-.*\.json\.gz$/);

      await page.keyboard.press('?');
      await expect.poll(() => page.locator('.shortcuts').isVisible()).toBe(true);
      expect(await page.locator('.shortcuts').textContent()).toContain('play / pause');
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('.shortcuts').isVisible()).toBe(false);

      await restingNeuron(page);
      expect(await stepAndCount(page, 200)).toBe(0);
      await page.keyboard.press('p');
      expect(await stepAndCount(page, 200)).toBe(1);
      expect(await stepAndCount(page, 200)).toBe(0);
      await spikescope(page, 'setSpeed(1)');
      await spikescope(page, 'play()');
      const start = await status(page);
      await page.keyboard.down('i');
      await waitForStatus(page, (s) => s.spikeCount >= start.spikeCount + 2, 'spikes while I is held');
      await page.keyboard.up('i');
      await page.waitForTimeout(100);
      await spikescope(page, 'pause()');
      await waitForStatus(page, (s) => !s.playing, 'pause');
      expect(await stepAndCount(page, 400)).toBe(0); // released: back at rest
    });
  });

  it('a bad value through setParam shows a message naming it, and the run goes on', async () => {
    await withPage(browser(), '?scene=izhikevich/A', async (page) => {
      await spikescope(page, 'setParam("a", 50)');
      const s = await status(page);
      expect(s.lastError).toMatch(/\ba = 50\b/);
      expect(s.lastError).toContain('from -10 to 10');
      const banner = page.locator('.error-banner');
      await expect.poll(() => banner.isVisible()).toBe(true);
      expect(await banner.textContent()).toContain('a = 50');
      expect(s.params.a).toBe(0.02);
      await waitForStatus(page, (t) => t.totalTimeMs > s.totalTimeMs + 10 && t.playing, 'the run to go on');
    });
  });

  it('a parameter change that makes forward Euler unstable is refused with the step bound, and the run goes on', async () => {
    await withPage(browser(), '?scene=lif', async (page) => {
      // dt = 0.125 ms: cm = 0.05 would make tau_m = 0.05 ms, 2·tau_m = 0.1 ms < dt.
      await spikescope(page, 'setParam("cm", 0.05)');
      const s = await status(page);
      expect(s.lastError).toMatch(/cm = 0\.05 is not allowed: a value that keeps dtMs = 0\.125 ms a stable step: forward Euler .* dt < 2·tau_m = 2·rm·cm = 0\.1 ms/);
      expect(await page.locator('.error-banner').textContent()).toContain('forward Euler');
      expect(s.params.cm).toBe(10);
      await waitForStatus(page, (t) => t.totalTimeMs > s.totalTimeMs + 5 && t.playing && t.params.cm === 10, 'the run to go on');
    });
  });

  it('a diverging model stops with a message and keeps its last frame', async () => {
    await withPage(browser(), '?scene=izhikevich/A', async (page) => {
      await spikescope(page, 'setSpeed(5)');
      await page.waitForTimeout(300);
      // v' = −10·v² + …: v runs off to −∞ within a few steps, never reaching the spike cut-off.
      await spikescope(page, 'setParam("k2", -10)');
      const s = await waitForStatus(page, (t) => t.lastError !== null, 'the divergence');
      expect(s.lastError).toContain('diverged');
      expect(s.playing).toBe(false);
      await expect.poll(() => page.locator('.error-banner').isVisible()).toBe(true);
      await page.screenshot({ path: 'test-artifacts/screenshots/divergence.png' });
    });
  });

  it('the gallery button opens the 20 patterns, and clicking a panel opens that preset', async () => {
    await withPage(browser(), '?scene=lif', async (page) => {
      await page.locator('.lil-function button', { hasText: 'Izhikevich gallery' }).click();
      await page.waitForURL(/view=gallery/);
      await waitForHandle(page, 'spikeCount', 30_000);
      expect((await status(page)).sceneId).toBe('gallery');
      const canvas = await page.locator('canvas').boundingBox();
      if (!canvas) throw new Error('no canvas');
      // (C) is the third panel of the first row of the 4 × 5 grid (under a 24 px title).
      await page.mouse.click(canvas.x + canvas.width * (2.5 / 4), canvas.y + 24 + (canvas.height - 24) / 10);
      await page.waitForURL(/scene=izhikevich%2FC|scene=izhikevich\/C/);
      await waitForHandle(page, 'totalTimeMs', 30_000);
      const s = await status(page);
      expect(s.sceneId).toBe('izhikevich/C');
      expect(s.renderer).toBe('webgl');
    });
  });

  it('clicking a raster row picks the target neuron and probes it', async () => {
    await withPage(browser(), '?scene=ring', async (page) => {
      const canvas = await page.locator('canvas').boundingBox();
      if (!canvas) throw new Error('no canvas');
      // The raster's neuron axis spans its plot; a click in the lower half picks a neuron there.
      await page.mouse.click(canvas.x + canvas.width / 2, canvas.y + 40 + (canvas.height * 0.52 - 110) * 0.75);
      const s = await waitForStatus(page, (t) => t.target > 20, 'a neuron in the lower half to be picked');
      expect(s.target).toBeLessThan(50);
      await spikescope(page, 'pickNeuron(7)');
      expect((await status(page)).target).toBe(7);
      await spikescope(page, 'pickNeuron(50)');
      expect((await status(page)).lastError).toContain('neuron = 50');
    });
  });
});
