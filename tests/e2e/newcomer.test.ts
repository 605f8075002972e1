/**
 * The newcomer's path (issue 17), in real Chromium at the sizes people use: the first load with
 * its caption and `?` advertised, the shortcuts, a pulse, a slider, a typed bad value, a
 * recording and its replay, a run pushed out of the model's range, a network on the scope, and
 * the layout at 1400×900, 1280×720 and 900×700. Screenshots land in
 * test-artifacts/screenshots/newcomer-*.png for a person to look at.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { spikescope, status, stepAndCount, waitForStatus, withPage, SHOTS, useBrowser } from './page.ts';

const browser = useBrowser();

function withViewport(query: string, viewport: { width: number; height: number }, test: (page: Page) => Promise<void>): Promise<void> {
  return withPage(browser(), query, test, viewport);
}

const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: `${SHOTS}/newcomer-${name}.png` });

/** The box of an element, which must be visible. */
async function box(page: Page, selector: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not visible`);
  return found;
}

const field = (page: Page, name: string) => page.locator(`.lil-controller[data-param="${name}"] input.param-value`);
const slider = (page: Page, name: string) => page.locator(`.lil-controller[data-param="${name}"] input.param-slider`);

describe("a newcomer's first minutes", () => {
  it('first load: a caption says what you see, the protocol and what to try; ? is advertised and shows the keys', async () => {
    await withViewport('', { width: 1280, height: 720 }, async (page) => {
      const first = await status(page);
      expect(first.caption).toMatch(/^What you see: .+ Protocol: .+ Try: 1\) .+ 2\) .+/);
      expect(first.caption).toContain('14 mV/ms DC from 10 ms');
      expect(first.warnings).toEqual([]);
      expect(await page.locator('.caption-body').isVisible()).toBe(true);
      expect(await page.locator('.caption-keys').textContent()).toContain('?');
      await shot(page, '1-first-load-1280x720');
      // The caption folds to one line and opens again.
      await page.locator('.caption-toggle').click();
      expect(await page.locator('.caption-body').isVisible()).toBe(false);
      await page.locator('.caption-toggle').click();
      expect(await page.locator('.caption-body').isVisible()).toBe(true);
      await page.keyboard.press('?');
      await expect.poll(() => page.locator('.shortcuts').isVisible()).toBe(true);
      await shot(page, '2-shortcuts');
      await page.keyboard.press('Escape');
      await expect.poll(() => page.locator('.shortcuts').isVisible()).toBe(false);
      // The button in the caption opens the same list.
      await page.locator('.caption-keys').click();
      await expect.poll(() => page.locator('.shortcuts').isVisible()).toBe(true);
      await page.keyboard.press('Escape');
    });
  });

  it('the parameters have human labels, explanations and sliders over their typical range, all reachable without scrolling at 1400×900', async () => {
    await withViewport('?scene=izhikevich/A', { width: 1400, height: 900 }, async (page) => {
      const rows = page.locator('.lil-controller[data-param]');
      expect(await rows.count()).toBe(12);
      const d = page.locator('.lil-controller[data-param="d"]');
      expect(await d.locator('.lil-name').textContent()).toBe('after-spike jump of u');
      expect(await d.locator('.param-doc').textContent()).toMatch(/^d mV · added to u after each spike/);
      expect(await d.getAttribute('title')).toContain('allowed: a number from -100 to 100 mV; slider: -2 … 10');
      const status = await box(page, '.status');
      for (let i = 0; i < 12; i++) {
        const row = await rows.nth(i).boundingBox();
        expect(row, `parameter row ${i}`).not.toBeNull();
        expect(row!.y + row!.height, `parameter row ${i} is above the fold`).toBeLessThanOrEqual(status.y);
      }
      await shot(page, '3-parameters-1400x900');
      // The panel's edge: a drag widens it, its button hides it (the views take the room) and shows it again.
      const panel = await box(page, '.panel');
      const edge = await box(page, '.panel-handle');
      await page.mouse.move(edge.x + edge.width / 2, edge.y + 300);
      await page.mouse.down();
      await page.mouse.move(edge.x - 100, edge.y + 300, { steps: 4 });
      await page.mouse.up();
      await expect.poll(async () => (await box(page, '.panel')).width).toBeGreaterThan(panel.width + 80);
      await page.locator('.panel-toggle').click();
      expect(await page.locator('.panel').isVisible()).toBe(false);
      await expect.poll(async () => (await box(page, 'canvas')).width).toBeGreaterThan(1300);
      await page.locator('.panel-toggle').click();
      expect(await page.locator('.panel').isVisible()).toBe(true);
    });
  });

  it('a slider moves a parameter by small, clean steps; a typed bad or out-of-range value is refused with its allowed range and not applied; the keys work after Enter and Escape', async () => {
    await withViewport('?scene=izhikevich/B', { width: 1280, height: 720 }, async (page) => {
      // (B) after its phasic spike: at rest under a small DC, loop off, paused.
      await page.locator('.lil-controller').filter({ has: page.locator('.lil-name', { hasText: 'loop protocol' }) }).locator('input').uncheck();
      await spikescope(page, 'setSpeed(2)');
      await waitForStatus(page, (s) => s.timeMs > 80 && s.spikeCount >= 1, 'the phasic spike of (B)');
      await spikescope(page, 'pause()');
      await waitForStatus(page, (s) => !s.playing, 'pause');

      // A 2 px drag of d's slider: a small step, shown without float noise.
      const before = (await status(page)).params.d!;
      const track = await slider(page, 'd').boundingBox();
      const x = track!.x + (track!.width * (before + 2)) / 12; // typical −2 … 10
      const y = track!.y + track!.height / 2;
      await page.mouse.move(x, y);
      await page.mouse.down();
      await page.mouse.move(x + 2, y, { steps: 2 });
      await page.mouse.up();
      const text = await field(page, 'd').inputValue();
      expect(text).toMatch(/^-?\d+(\.\d{1,2})?$/);
      const after = Number(text);
      expect(Math.abs(after - before)).toBeGreaterThan(0);
      expect(Math.abs(after - before)).toBeLessThan(0.6);
      // Paused: the change acts at the next step computed.
      await stepAndCount(page, 1);
      expect((await status(page)).params.d).toBe(after);

      // Typed: letters, trailing junk and an out-of-range value are refused; nothing is clamped or guessed.
      const a = (await status(page)).params.a!;
      for (const [typed, shown] of [
        ['0.3abc', '"0.3abc"'],
        ['abc', '"abc"'],
        ['1e9', '1000000000'],
      ] as const) {
        await field(page, 'a').fill(typed);
        await field(page, 'a').press('Enter');
        await expect.poll(() => page.locator('.error-banner').textContent()).toContain(`a = ${shown} is not allowed: a number from -10 to 10 ms⁻¹`);
        const s = await status(page);
        expect(s.lastError).toBe(`InputError: a = ${shown} is not allowed: a number from -10 to 10 ms⁻¹`);
        expect(s.params.a).toBe(a);
        expect(await field(page, 'a').inputValue()).toBe(String(a));
      }
      await shot(page, '4-typed-bad-value');
      // After Enter the field has let go: P pulses (the neuron at rest fires once).
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('BODY');
      expect(await stepAndCount(page, 200)).toBe(0);
      await page.keyboard.press('p');
      expect(await stepAndCount(page, 200)).toBe(1);
      // Escape puts the value in force back and lets go too.
      await field(page, 'c').fill('-40');
      await field(page, 'c').press('Escape');
      expect(await field(page, 'c').inputValue()).toBe('-65');
      expect((await status(page)).params.c).toBe(-65);
      await page.keyboard.press('p');
      expect(await stepAndCount(page, 200)).toBe(1);
      // A good typed value applies.
      await field(page, 'a').fill('0.03');
      await field(page, 'a').press('Enter');
      await stepAndCount(page, 1);
      expect((await status(page)).params.a).toBe(0.03);
    });
  });

  it('a recording counts the user’s events, not the loop’s restarts; its notice leaves once downloaded or replayed; the replay bar fits at 900×700', async () => {
    await withViewport('?scene=izhikevich/A', { width: 1280, height: 720 }, async (page) => {
      await spikescope(page, 'setSpeed(20)');
      await spikescope(page, 'startRecording({ traces: false })');
      await spikescope(page, 'pulse({ amplitude: 20, durationMs: 2 })');
      // The pulse in the log (one advance may carry a few hundred ms at 20×), then two restarts of the 100 ms protocol.
      const pulsed = await waitForStatus(page, (s) => (s.recording?.events ?? 0) >= 1, 'the pulse in the log');
      const rec = await waitForStatus(page, (s) => (s.recording?.timeMs ?? 0) > pulsed.recording!.timeMs + 250, 'a recording over several passes');
      expect(rec.recording!.events).toBe(1);
      expect(await page.locator('.status-mode').textContent()).toMatch(/^● REC .* · 1 event$/);
      expect(await page.locator('.status-time').textContent()).toMatch(/^t = .* · pass /);
      const recording = await spikescope<{ events: { kind: string }[] }>(page, 'stopRecording()');
      expect(recording.events.filter((e) => e.kind === 'restart').length).toBeGreaterThanOrEqual(2);
      const notice = page.locator('[data-notice="recording"]');
      await expect.poll(() => notice.isVisible()).toBe(true);
      expect(await notice.textContent()).toMatch(/1 event,/);
      const [download] = await Promise.all([page.waitForEvent('download'), notice.locator('[data-action="download-recording"]').click()]);
      expect(download.suggestedFilename()).toMatch(/^spikescope-izhikevich-A-.*\.json\.gz$/);
      await expect.poll(() => notice.count(), { timeout: 5000 }).toBe(0);

      // Record again, and replay it: the offered file's notice leaves with the live session.
      await spikescope(page, 'startRecording({ traces: true })');
      await waitForStatus(page, (s) => (s.recording?.timeMs ?? 0) > 60, 'a second recording');
      const second = await spikescope<object>(page, 'stopRecording()');
      await expect.poll(() => notice.isVisible()).toBe(true);
      const result = await page.evaluate((r) => window.spikescope!.loadRecording(r), second);
      expect(result?.identical).toBe(true);
      expect(await notice.count()).toBe(0);
      await page.setViewportSize({ width: 900, height: 700 });
      await page.waitForTimeout(300);
      const panel = await box(page, '.panel');
      for (const selector of ['.replay-badge', '.replay-play', '.replay-scrub', '.replay-time', '.replay-take-over', '.replay-download', '.replay-leave']) {
        const b = await box(page, selector);
        expect(b.x + b.width, `${selector} left of the panel`).toBeLessThanOrEqual(panel.x);
        expect(b.y + b.height, `${selector} inside the window`).toBeLessThanOrEqual(700);
      }
      expect(await page.locator('.replay-time').textContent()).toMatch(/^t = .* · .* of .* recorded$/);
      await shot(page, '5-replay-900x700');
    });
  });

  it('a run pushed out of the model’s range says so in the status line and how to get back', async () => {
    await withViewport('?scene=izhikevich/A', { width: 1280, height: 720 }, async (page) => {
      await spikescope(page, 'setSpeed(5)');
      await spikescope(page, 'setParam("d", -60)');
      const s = await waitForStatus(page, (x) => x.warnings.length > 0, 'a warning');
      expect(s.warnings.join(' ')).toMatch(/far outside its usual .*reset \(t = 0, scene values\) to get back|Hz per neuron: above ~1 kHz/);
      await expect.poll(() => page.locator('.status-warning').textContent()).toMatch(/^⚠ /);
      await shot(page, '6-warning');
      await page.locator('.lil-function button', { hasText: 'reset' }).click();
      await waitForStatus(page, (x) => x.params.d === 6 && x.warnings.length === 0, 'the warning to go after reset');
    });
  });

  it('a network runs on without restarts; its input lane appears at the first injection; the picked neuron has its own colour', async () => {
    await withViewport('?scene=izhikevich-2003', { width: 900, height: 700 }, async (page) => {
      const inputScale = page.locator('.lil-title', { hasText: 'scale: input' });
      expect(await inputScale.count()).toBe(0);
      await spikescope(page, 'setSpeed(5)');
      const s = await waitForStatus(page, (x) => x.totalTimeMs > 1100, 'past the 1000 ms of the scene');
      expect(s.timeMs).toBe(s.totalTimeMs);
      expect(await page.locator('.lil-controller', { has: page.locator('.lil-name', { hasText: 'loop protocol' }) }).locator('input').isChecked()).toBe(false);
      await spikescope(page, 'pickNeuron(900)');
      await page.keyboard.press('p');
      await expect.poll(() => inputScale.count()).toBe(1);
      const canvas = await box(page, 'canvas');
      const caption = await box(page, '.caption');
      expect(caption.y + caption.height).toBeLessThanOrEqual(canvas.y + 1);
      await page.waitForTimeout(1500); // the picked neuron's trace fills some of the window
      await shot(page, '7-network-900x700');
    });
  });
});
