/**
 * Record and replay in real Chromium: a recording made in the page with hand pulses and a
 * parameter change verifies with the CLI; the file opened through the file picker and dropped
 * on the page replays bit-identically; seek and take-over fork it; bad files are answered in the
 * banner while the running session goes on; a recording in progress survives a reload; exports
 * give CSVs with the right headers and a PNG that is not blank. Screenshots of each state land in
 * test-artifacts/screenshots/.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Download, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { builtinScene } from '../../src/core/scenes.ts';
import { exportPyNN } from '../../src/export/pynn.ts';
import { decodeRecording } from '../../src/session/file.ts';
import { cliVerify } from './cli.ts';
import { spikescope, status, waitForHandle, waitForStatus, withPage, type Status, SHOTS, useBrowser } from './page.ts';
import { decodePng, foregroundFraction } from './png.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const FILES = resolve(ROOT, 'test-artifacts/recordings');
const BACKGROUND = 0x0b0f14;

const browser = useBrowser();
beforeAll(() => {
  mkdirSync(FILES, { recursive: true });
});

async function downloaded(download: Download): Promise<Buffer> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Clicks a control and returns the file it downloads. */
async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), click()]);
  return { name: file.suggestedFilename(), bytes: await downloaded(file) };
}

/** The running session goes on untouched after a bad file: same scene and mode, time still growing, the banner naming the problem. */
async function expectUntouched(page: Page, before: Status, pattern: RegExp): Promise<void> {
  const after = await waitForStatus(page, (s) => s.lastError !== null && s.lastError !== before.lastError, 'the bad file to be answered');
  expect(after.lastError).toMatch(pattern);
  expect(await page.locator('.error-banner').textContent()).toMatch(pattern);
  expect(after.sceneId).toBe(before.sceneId);
  expect(after.mode).toBe('live');
  const later = await waitForStatus(page, (s) => s.totalTimeMs > after.totalTimeMs + 5, 'the run to go on');
  expect(later.sceneId).toBe(before.sceneId);
}

describe('record and replay', () => {
  const jsonFile = resolve(FILES, 'izhikevich-B.json');
  let gzipFile = '';
  let recorded: { steps: number; firstStep: number; output: { digest: string } } | undefined;

  it('(a) a recording made in the page with hand pulses and a parameter change verifies with the CLI', async () => {
    await withPage(browser(), '?scene=izhikevich/B', async (page) => {
      await spikescope(page, 'setSpeed(1)');
      await page.locator('[data-record="toggle"] button').click();
      await waitForStatus(page, (s) => s.recording !== null, 'recording to start');
      await page.locator('.lil-function button', { hasText: 'pulse' }).click();
      await page.waitForTimeout(300);
      await spikescope(page, 'setParam("d", 4)');
      await page.waitForTimeout(300);
      await spikescope(page, 'pulse({ amplitude: 30, durationMs: 2 })');
      const s = await waitForStatus(page, (t) => (t.recording?.events ?? 0) >= 3 && (t.recording?.timeMs ?? 0) > 400, 'the inputs to be recorded');
      await expect.poll(() => page.locator('.status-mode').textContent()).toMatch(/^● REC .* · \d+ events$/);
      await page.screenshot({ path: `${SHOTS}/session-recording.png` });
      expect(s.recording!.forked).toBe(false);

      const file = await download(page, async () => {
        const recording = await spikescope<{ events: { kind: string }[]; steps: number; firstStep: number; output: { digest: string } }>(page, 'stopRecording()');
        expect(recording.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['pulse', 'set-param']));
        expect(recording.events.filter((e) => e.kind === 'pulse').length).toBe(2);
        writeFileSync(jsonFile, JSON.stringify(recording));
        recorded = recording;
        await page.locator('[data-action="download-recording"]').click();
      });
      expect(file.name).toMatch(/^spikescope-izhikevich-B-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.json\.gz$/);
      expect(JSON.parse(gunzipSync(file.bytes).toString('utf8')).output.digest).toBe(recorded!.output.digest);
      gzipFile = resolve(FILES, file.name);
      writeFileSync(gzipFile, file.bytes);
      expect((await status(page)).recording).toBeNull();
    });
    for (const file of [jsonFile, gzipFile]) {
      const cli = cliVerify(file);
      expect(cli.stderr).toBe('');
      expect(cli.stdout).toMatch(/^identical/);
      expect(cli.status).toBe(0);
    }
  });

  it('(b) the file through the picker replays bit-identically; seek and take over with a pulse record a fork', async () => {
    await withPage(browser(), '?scene=lif', async (page) => {
      await page.setInputFiles('input.recording-file', gzipFile);
      const replay = await waitForStatus(page, (s) => s.mode === 'replay', 'replay mode');
      expect(replay.sceneId).toBe('izhikevich/B');
      expect(replay.replay).toMatchObject({ identical: true, digest: recorded!.output.digest, firstStep: recorded!.firstStep, endStep: recorded!.firstStep + recorded!.steps });
      await expect.poll(() => page.locator('.replay-verdict').textContent()).toContain(`✓ bit-identical (digest ${recorded!.output.digest})`);
      await expect.poll(() => page.locator('.status-mode').textContent()).toBe('REPLAY ✓');
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${SHOTS}/session-replay.png` });

      const middle = recorded!.firstStep + Math.floor(recorded!.steps / 2);
      await spikescope(page, 'pause()');
      await spikescope(page, `seek(${middle})`);
      const sought = await status(page);
      expect(sought.mode).toBe('replay');
      expect(sought.replay!.step).toBe(middle);
      await spikescope(page, 'pulse({ amplitude: 30, durationMs: 2 })');
      await spikescope(page, 'play()');
      const forked = await waitForStatus(page, (s) => s.recording?.forked === true && (s.recording?.steps ?? 0) > recorded!.steps / 2 + 20, 'the take-over to record a fork');
      expect(forked.mode).toBe('live');
      expect(forked.replay).toBeNull();
      await expect.poll(() => page.locator('.status-mode').textContent()).toMatch(/^● REC \(forked\)/);
      await page.screenshot({ path: `${SHOTS}/session-take-over.png` });
      const fork = await spikescope<{ forkedFrom: { step: number; digest: string }; events: { kind: string; step: number }[] }>(page, 'stopRecording()');
      expect(fork.forkedFrom).toEqual({ digest: recorded!.output.digest, step: middle });
      expect(fork.events.some((e) => e.kind === 'pulse' && e.step === middle)).toBe(true);
      const forkFile = resolve(FILES, 'fork.json');
      writeFileSync(forkFile, JSON.stringify(fork));
      expect(cliVerify(forkFile).status).toBe(0);
    });
  });

  it('(c) a truncated file, a bit-flipped gzip and a wrong version are answered in the banner while the session goes on', async () => {
    const gzip = readFileSync(gzipFile);
    const truncated = resolve(FILES, 'truncated.json.gz');
    writeFileSync(truncated, gzip.subarray(0, Math.floor(gzip.length / 2)));
    const flipped = resolve(FILES, 'flipped.json.gz');
    const bad = Buffer.from(gzip);
    bad[Math.floor(bad.length / 2)]! ^= 0x10;
    writeFileSync(flipped, bad);
    const truncatedJson = resolve(FILES, 'truncated.json');
    writeFileSync(truncatedJson, readFileSync(jsonFile).subarray(0, 300));
    await withPage(browser(), '?scene=izhikevich/C', async (page) => {
      let before = await status(page);
      await page.setInputFiles('input.recording-file', truncated);
      await expectUntouched(page, before, /not valid gzip/);
      await page.screenshot({ path: `${SHOTS}/session-bad-file.png` });

      before = await status(page);
      await page.setInputFiles('input.recording-file', flipped);
      await expectUntouched(page, before, /not valid gzip|not valid JSON|bad recording/);

      before = await status(page);
      await page.setInputFiles('input.recording-file', truncatedJson);
      await expectUntouched(page, before, /not valid JSON \(truncated or corrupted\?\)/);

      before = await status(page);
      const wrong = { ...JSON.parse(readFileSync(jsonFile, 'utf8')), version: 7 };
      expect(await page.evaluate((r) => window.spikescope!.loadRecording(r), wrong)).toBeNull();
      await expectUntouched(page, before, /version = 7/);

      before = await status(page);
      const absurd = { ...JSON.parse(readFileSync(jsonFile, 'utf8')), steps: 2_000_000_000 };
      await page.evaluate((r) => window.spikescope!.loadRecording(r), absurd);
      await expectUntouched(page, before, /events\[\d+\]|too long to replay|steps/);
    });
  });

  it('(d) a recording dropped on the page replays', async () => {
    const bytes = readFileSync(gzipFile).toString('base64');
    await withPage(browser(), '?scene=hh', async (page) => {
      await page.evaluate((data) => {
        const binary = atob(data);
        const file = new File([Uint8Array.from(binary, (c) => c.charCodeAt(0))], 'dropped.json.gz', { type: 'application/gzip' });
        const transfer = new DataTransfer();
        transfer.items.add(file);
        document.querySelector('.stage')!.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      }, bytes);
      const s = await waitForStatus(page, (t) => t.mode === 'replay', 'replay mode after the drop');
      expect(s.replay).toMatchObject({ identical: true, digest: recorded!.output.digest });
      expect(s.sceneId).toBe('izhikevich/B');
      // At its end the replay pauses; play then starts it again from its first step.
      await spikescope(page, 'setSpeed(100)');
      const end = await waitForStatus(page, (t) => !t.playing && t.replay?.step === t.replay?.endStep, 'the replay to pause at its end');
      expect(end.mode).toBe('replay');
      await spikescope(page, 'setSpeed(0.1)'); // at 100× the whole replay takes a few ms
      await page.locator('.replay-play').click();
      await waitForStatus(page, (t) => t.playing && t.replay !== null && t.replay.step < t.replay.endStep, 'play to start the replay again');
    });
  });

  it('a recording whose output differs from its digest replays, loudly NOT identical', async () => {
    const tampered = JSON.parse(readFileSync(jsonFile, 'utf8')) as { output: { spikes: { timeMs: number[] } } };
    tampered.output.spikes.timeMs[0]! += 0.25;
    await withPage(browser(), '?scene=lif', async (page) => {
      const result = await page.evaluate((r) => window.spikescope!.loadRecording(r), tampered);
      expect(result).toMatchObject({ identical: false, message: expect.stringMatching(/^spike 0 differs: recorded neuron 0 at .* ms \(step \d+\), replayed neuron 0 at .* ms \(step \d+\)$/) });
      const s = await waitForStatus(page, (t) => t.mode === 'replay', 'replay mode');
      expect(s.replay!.identical).toBe(false);
      await expect.poll(() => page.locator('.error-banner').isVisible()).toBe(true);
      expect(await page.locator('.error-banner').textContent()).toContain('✗ NOT identical: spike 0 differs');
      await expect.poll(() => page.locator('.replay-verdict').textContent()).toContain('✗ NOT identical');
      await expect.poll(() => page.locator('.status-mode').textContent()).toBe('REPLAY ✗ NOT identical');
      await page.screenshot({ path: `${SHOTS}/session-not-identical.png` });
    });
  });

  it('(e) a recording in progress survives a reload: the draft is offered back and restores with at most ~2 s lost', async () => {
    await withPage(browser(), '?scene=izhikevich/A', async (page) => {
      await spikescope(page, 'startRecording({ traces: true })');
      await waitForStatus(page, (s) => s.recording !== null, 'recording');
      await page.waitForTimeout(1500);
      await spikescope(page, 'pulse({ amplitude: 30, durationMs: 2 })');
      await page.waitForTimeout(1500);
      const speed = (await status(page)).realtimeFactor || 0.1;
      // Paused, so that no step (and no draft of it) is made between this status and the reload.
      await spikescope(page, 'pause()');
      await page.waitForTimeout(300);
      const before = await status(page);
      expect(before.recording!.events).toBeGreaterThanOrEqual(1);
      await page.reload();
      await waitForHandle(page, 'draft', 20_000);
      const notice = page.locator('[data-notice="draft"]');
      await expect.poll(() => notice.isVisible()).toBe(true);
      expect(await notice.textContent()).toContain('Restore it?');
      await page.screenshot({ path: `${SHOTS}/session-restore-draft.png` });
      await notice.locator('[data-action="restore-draft"]').click();
      const restored = await waitForStatus(page, (s) => s.mode === 'replay', 'the draft to open in replay mode');
      expect(restored.replay!.identical).toBe(true);
      const endMs = restored.replay!.endStep * restored.dtMs;
      console.log(`reload during a recording: ${(before.totalTimeMs - endMs).toFixed(1)} ms of simulated time lost at ${speed.toFixed(2)}× (${((before.totalTimeMs - endMs) / speed / 1000).toFixed(2)} s of wall time)`);
      expect(endMs).toBeLessThanOrEqual(before.totalTimeMs);
      expect(endMs).toBeGreaterThanOrEqual(before.totalTimeMs - 2000 * speed);
      expect(await page.locator('[data-notice="draft"]').count()).toBe(0);
      // The restored recording downloads as a file the CLI verifies.
      const file = await download(page, () => page.locator('.replay-download').click());
      const restoredFile = resolve(FILES, 'restored.json.gz');
      writeFileSync(restoredFile, file.bytes);
      const recording = JSON.parse(gunzipSync(file.bytes).toString('utf8')) as { output: { digest: string; traces?: unknown }; events: unknown[] };
      expect(recording.output.digest).toBe(restored.replay!.digest);
      expect(recording.output.traces).toBeDefined();
      expect(cliVerify(restoredFile).status).toBe(0);
    });
  });

  it('(f) exports: traces and spikes CSV with their headers (of the replay, and of the views when there is none), a PNG that is not blank, and the PyNN script the CLI writes', async () => {
    await withPage(browser(), '?scene=ring', async (page) => {
      await page.waitForTimeout(500);
      const traces = await download(page, () => page.locator('[data-export="traces"] button').click());
      expect(traces.name).toMatch(/^spikescope-ring-view-traces-.*\.csv$/);
      const lines = traces.bytes.toString('utf8').trim().split('\n');
      // The scene's probes, then the target neuron's input, then what its phase plane reads besides
      // (its synaptic input): one column per probe, units in the header.
      expect(lines[0]).toMatch(/^time \(ms\),v\[0\] \([^)]+\),v\[1\] \([^)]+\),iSyn\[1\] \(nA\),iExt\[0\] \(nA\),iSyn\[0\] \(nA\)$/);
      expect(lines.length).toBeGreaterThan(10);
      expect(lines[1]!.split(',').length).toBe(lines[0]!.split(',').length);
      const spikes = await download(page, () => page.locator('[data-export="spikes"] button').click());
      const spikeLines = spikes.bytes.toString('utf8').trim().split('\n');
      expect(spikeLines[0]).toBe('time (ms),neuron');
      expect(spikeLines.length).toBeGreaterThan(1);
      expect(await page.locator('[data-notice="export"]').textContent()).toContain('what the views hold');

      const png = await download(page, () => page.locator('[data-export="png"] button').click());
      expect(png.name).toMatch(/\.png$/);
      const image = decodePng(png.bytes);
      expect(image.width).toBeGreaterThan(500);
      const foreground = foregroundFraction(image, BACKGROUND);
      console.log(`PNG export: ${image.width}×${image.height}, ${(foreground * 100).toFixed(1)} % of pixels not background`);
      expect(foreground).toBeGreaterThan(0.01);

      // The PyNN script of the scene (no recording): the text the CLI's export writes.
      const script = await download(page, () => page.locator('[data-export="pynn"] button').click());
      expect(script.name).toMatch(/^spikescope-ring-pynn-.*\.py$/);
      expect(script.bytes.toString('utf8')).toBe((await exportPyNN(builtinScene('ring')!)).text);
      expect(await page.locator('[data-notice="export"]').textContent()).toContain('a PyNN script of the scene');
      await page.locator('[data-export="pynn"]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: 'test-artifacts/screenshots/session-pynn-export.png' });
    });
    await withPage(browser(), '?scene=lif', async (page) => {
      await page.setInputFiles('input.recording-file', gzipFile);
      await waitForStatus(page, (s) => s.mode === 'replay', 'replay mode');
      const traces = await download(page, () => page.locator('[data-export="traces"] button').click());
      expect(traces.name).toMatch(/^spikescope-izhikevich-B-replay-traces-.*\.csv$/);
      const lines = traces.bytes.toString('utf8').trim().split('\n');
      expect(lines[0]!.startsWith('time (ms),v (mV)')).toBe(true);
      expect(lines.length).toBe(recorded!.steps + 1);
      const spikes = await download(page, () => page.locator('[data-export="spikes"] button').click());
      expect(spikes.bytes.toString('utf8').split('\n')[0]).toBe('time (ms),neuron');
      // The replay's PyNN script: the recording's, with its hand input.
      const script = await download(page, () => page.locator('[data-export="pynn"] button').click());
      expect(script.name).toMatch(/^spikescope-izhikevich-B-replay-pynn-.*\.py$/);
      expect(script.bytes.toString('utf8')).toBe((await exportPyNN(await decodeRecording(readFileSync(gzipFile)))).text);
    });
  });
});
