/**
 * The user's own scenes in real Chromium: a 200-neuron random network built in the scene builder,
 * saved, and run by the CLI from the saved file — the same spikes as the page; a recorded session
 * shared as a link and opened in a fresh page — replayed ✓ bit-identical; hostile links — the
 * banner, the default scene, and a page that keeps working. Screenshots of the builder, a banner
 * and an opened link at 1280×720 go to test-artifacts/screenshots.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import type { Download, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Scene } from '../../src/core/scene.ts';
import { encodeLink } from '../../src/session/share-link.ts';
import { builtinScene } from '../../src/core/scenes.ts';
import { cli } from './cli.ts';
import { spikescope, status, stepAndCount, waitForStatus, withPage, SHOTS, useBrowser } from './page.ts';

const VIEWPORT = { width: 1280, height: 720 };
const dir = mkdtempSync(join(tmpdir(), 'spikescope-scene-share-'));

const browser = useBrowser();

async function downloaded(download: Download): Promise<string> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Types into a builder number field and commits it (Enter). */
async function type(page: Page, id: string, value: string): Promise<void> {
  const field = page.locator(`[data-scene="${id}"] .param-value`);
  await field.fill(value);
  await field.press('Enter');
}

async function openBuilder(page: Page): Promise<void> {
  await page.locator('.scene-builder > .lil-title').click();
  await page.locator('[data-scene="apply"]').waitFor({ state: 'visible' });
}

describe('own scenes: build, save, share', () => {
  it('a 200-neuron random network built in the panel, saved, run by the CLI: the same spikes as the page', async () => {
    await withPage(
      browser(),
      '?scene=ring',
      async (page) => {
        await openBuilder(page);
        await type(page, 'neurons', '200');
        await page.locator('[data-scene="connectivity-kind"] select').selectOption({ label: 'random' });
        await type(page, 'connectivity-probability', '0.1');
        await type(page, 'connectivity-weightMax', '0.6');
        await type(page, 'seed', '7');
        await type(page, 'durationMs', '2000');
        await page.locator('.scene-builder .lil-title', { hasText: 'source 1' }).click();
        const targets = page.locator('[data-scene="source-0-targets"] input');
        await targets.fill('0-19');
        await targets.press('Enter');
        await page.screenshot({ path: `${SHOTS}/scene-builder-open.png` });
        // An invalid value: the banner names the field, and the running ring goes on.
        await type(page, 'durationMs', '2000.03');
        await page.locator('[data-scene="apply"] button').click();
        const refused = await waitForStatus(page, (s) => s.lastError !== null, 'the refusal');
        expect(refused.lastError).toMatch(/durationMs = 2000.03 is not allowed: a whole number of steps/);
        expect(refused.neurons).toBe(50);
        await waitForStatus(page, (s) => s.totalTimeMs > refused.totalTimeMs, 'the ring going on');
        await page.screenshot({ path: `${SHOTS}/scene-builder-error-banner.png` });
        await type(page, 'durationMs', '2000');
        await page.locator('[data-scene="apply"] button').click();
        await waitForStatus(page, (s) => s.neurons === 200 && s.timeMs > 100 && s.spikeCount > 50, 'the built network running');
        await spikescope(page, 'pause()');
        await page.waitForTimeout(300);
        const scene = await spikescope<Scene>(page, 'currentScene()');
        expect(scene.neurons).toBe(200);
        expect(scene.connectivity).toEqual({ kind: 'random', probability: 0.1, weightMax: 0.6 });
        expect(scene.stimulus[0]!.targets).toHaveLength(20);
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-scene="save"] button').click()]);
        expect(download.suggestedFilename()).toMatch(/\.json$/);
        const file = join(dir, download.suggestedFilename());
        writeFileSync(file, await downloaded(download));
        const exported = await spikescope<{ source: string; text: string }>(page, 'exportData("spikes")');
        expect(exported.source).toBe('view');
        const pageSpikes = exported.text.trim().split('\n').slice(1);
        const run = cli('run', file);
        expect(run.status, run.stderr).toBe(0);
        const { spikes } = JSON.parse(run.stdout) as { spikes: { timeMs: number[]; neuron: number[] } };
        const cliSpikes = spikes.timeMs.map((t, i) => `${t},${spikes.neuron[i]}`);
        console.log(`200-neuron random network: the page made ${pageSpikes.length} spikes in ${(await status(page)).timeMs.toFixed(1)} ms, the CLI ${cliSpikes.length} in ${scene.durationMs} ms from the saved file`);
        expect(pageSpikes.length).toBeGreaterThan(50);
        expect(cliSpikes.slice(0, pageSpikes.length)).toEqual(pageSpikes);
      },
      VIEWPORT,
    );
  });

  it('a recorded session as a link, opened in a fresh page: replayed ✓ bit-identical; a scene link opens its scene', async () => {
    let url = '';
    let sceneUrl = '';
    await withPage(browser(), '?scene=izhikevich/B', async (page) => {
      await spikescope(page, 'setParam("d", 3)');
      await spikescope(page, 'startRecording()');
      await waitForStatus(page, (s) => (s.recording?.steps ?? 0) > 200, 'recording');
      await spikescope(page, 'pulse({ amplitude: 30, durationMs: 2 })');
      await spikescope(page, 'setParam("a", 0.03)');
      await waitForStatus(page, (s) => (s.recording?.steps ?? 0) > 1500, 'recording more');
      await spikescope(page, 'stopRecording()');
      url = (await spikescope<string | null>(page, 'shareLink({ events: true })'))!;
      sceneUrl = (await spikescope<string | null>(page, 'shareLink()'))!;
    });
    expect(url).toMatch(/#s1\.[A-Za-z0-9_-]+$/);
    console.log(`link sizes: izhikevich/B with d = 3 → ${new URL(sceneUrl).hash.length} chars; with a recorded session → ${new URL(url).hash.length} chars`);
    await withPage(
      browser(),
      url,
      async (page) => {
        const s = await waitForStatus(page, (x) => x.mode === 'replay' && x.replay !== null, 'the link replayed', 30_000);
        expect(s.replay!.identical, s.replay!.message).toBe(true);
        expect(s.lastError).toBeNull();
        expect(s.sceneId).toBe('izhikevich/B');
        await page.waitForTimeout(500);
        await page.screenshot({ path: `${SHOTS}/scene-link-opened.png` });
      },
      VIEWPORT,
    );
    await withPage(browser(), sceneUrl, async (page) => {
      const s = await status(page);
      expect(s.sceneId).toBe('izhikevich/B');
      expect(s.params.d).toBe(3);
      expect(s.mode).toBe('live');
    });
  });

  it('hostile links: garbage, truncated, huge, wrong version, HTML in strings — the banner, the default scene, the page keeps working', async () => {
    const good = await encodeLink({ scene: builtinScene('izhikevich/C')! });
    const packed = (text: string): string => `s1.${deflateRawSync(text).toString('base64url')}`;
    const hostile: [string, string][] = [
      ['garbage', '#garbage'],
      ['truncated', `#${good.slice(0, Math.floor(good.length / 2))}`],
      ['wrong version', `#s7.${good.slice(3)}`],
      ['huge (a decompression bomb)', `#s1.${deflateRawSync(Buffer.alloc(70 * 1024 * 1024)).toString('base64url')}`],
      ['HTML in strings', `#${packed(JSON.stringify({ scene: { model: '<img src=x onerror="window.__pwned=1">', title: '<script>window.__pwned=1</script>' } }))}`],
      ['a script field', `#${packed(JSON.stringify({ scene: { model: 'izhikevich' }, onload: 'window.__pwned=1' }))}`],
    ];
    let shot = false;
    for (const [what, fragment] of hostile) {
      await withPage(
        browser(),
        `/${fragment}`,
        async (page) => {
          const s = await status(page);
          expect(s.sceneId, what).toBe('izhikevich/A');
          expect(s.lastError, what).toMatch(/link|model/);
          const banner = page.locator('.error-banner');
          await expect(banner.isVisible()).resolves.toBe(true);
          expect(await page.locator('.lab img, .banners img, .banners script').count(), what).toBe(0);
          expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), what).toBeUndefined();
          if (!shot) {
            await page.screenshot({ path: `${SHOTS}/scene-link-hostile-banner.png` });
            shot = true;
          }
          // The page keeps working: steps and a pulse.
          await spikescope(page, 'pause()');
          expect(await stepAndCount(page, 400)).toBeGreaterThanOrEqual(0);
          const before = (await status(page)).spikeCount;
          await spikescope(page, 'play()');
          await waitForStatus(page, (x) => x.spikeCount > before, `${what}: spikes after the banner`);
        },
        VIEWPORT,
      );
    }
  });

  it('a scene object through loadScene runs; a bad one is refused naming the field, and the running scene goes on', async () => {
    await withPage(browser(), '?scene=izhikevich/A', async (page) => {
      await spikescope(page, 'loadScene({ model: "lif-network", neurons: 30, connectivity: { kind: "all-to-all", weight: 0.05 }, stimulus: [{ kind: "dc", amplitude: 1.5, targets: [0, 1, 2] }], durationMs: 500 })');
      let s = await waitForStatus(page, (x) => x.neurons === 30, 'the scene object running');
      expect(s.sceneId).toBe('own-scene');
      await spikescope(page, 'loadScene({ model: "lif-network", neurons: 30, connectivity: { kind: "random", fanIn: 40 } })');
      s = await status(page);
      expect(s.lastError).toMatch(/connectivity.fanIn = 40 is not allowed: a whole number from 0 to 30/);
      expect(s.neurons).toBe(30);
      const t = s.totalTimeMs;
      await waitForStatus(page, (x) => x.totalTimeMs > t, 'the running scene goes on');
      // A scene file through the picker (as a drop): run with the CLI's checks; a bad one is named.
      const file = (scene: object) => ({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scene)) });
      await page.locator('.recording-file').setInputFiles(file({ model: 'hh', stimulus: [{ kind: 'dc', amplitude: 10 }], dtMs: 0.01, durationMs: 50 }));
      s = await waitForStatus(page, (x) => x.sceneId === 'own-scene' && x.dtMs === 0.01, 'the scene file running');
      await page.locator('.recording-file').setInputFiles(file({ model: 'hh', dtMs: 0.5 }));
      s = await waitForStatus(page, (x) => x.lastError !== null, 'the bad scene file refused');
      expect(s.lastError).toMatch(/dtMs/);
      expect(s.dtMs).toBe(0.01);
      // Copy link: a notice with the link (copied, or shown to copy by hand where there is no clipboard).
      await page.locator('.scene-builder > .lil-title').click();
      await page.locator('[data-scene="link"] button').click();
      await page.locator('[data-notice="link"]').waitFor({ state: 'visible' });
      expect(await page.locator('[data-notice="link"] [data-action="link-open"]').getAttribute('href')).toMatch(/#s1\.[A-Za-z0-9_-]+$/);
    });
  });
});
