/**
 * The phase plane in the page, in Chromium with WebGL: it appears for Izhikevich, HH and LIF with
 * the model's axes; a held current moves the nullclines and makes the fixed points vanish; a click
 * in the plane sets the neuron's state there, recorded as a set-state event whose recording
 * verifies in the Node CLI. Screenshots: test-artifacts/screenshots/phase-plane-*.png. Prints the
 * plane's main-thread ms per frame beside the whole frame's (measured, not asserted).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cliVerify } from './cli.ts';
import { controller, spikescope, status, summary, waitForStatus, withPage, type Status, SHOTS, useBrowser } from './page.ts';

const machine = `${os.cpus()[0]?.model ?? 'cpu'}, load ${os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ')}`;

const browser = useBrowser();

type Plane = NonNullable<Status['phasePlane']>;

async function plane(page: Page): Promise<Plane> {
  const s = await waitForStatus(page, (t) => Boolean(t.phasePlane && t.phasePlane.trail.points > 0), 'the phase plane to draw');
  return s.phasePlane!;
}

/** The plane's area of the page, for screenshots. */
function clip(p: Plane) {
  return { x: p.plot.x - 52, y: p.plot.y - 22, width: p.plot.width + 64, height: p.plot.height + 56 };
}

/** Page pixels of a plane point (the canvas fills the page from its top left). */
async function pixel(page: Page, p: Plane, x: number, y: number): Promise<{ x: number; y: number }> {
  const origin = await page.evaluate('(() => { const r = document.querySelector("canvas").getBoundingClientRect(); return { x: r.left, y: r.top }; })()') as { x: number; y: number };
  return {
    x: origin.x + p.plot.x + ((x - p.range.x[0]) / (p.range.x[1] - p.range.x[0])) * p.plot.width,
    y: origin.y + p.plot.y + (1 - (y - p.range.y[0]) / (p.range.y[1] - p.range.y[0])) * p.plot.height,
  };
}

describe('the phase plane', () => {
  it('appears beside the scope with the model’s axes: Izhikevich (B) v–u, HH V–n (reduced), LIF V–dV/dt', async () => {
    const expected: Record<string, { model: string; x: string; y: string }> = {
      'izhikevich/B': { model: 'izhikevich', x: 'v mV', y: 'u mV' },
      hh: { model: 'hh', x: 'V mV', y: 'n ' },
      lif: { model: 'lif', x: 'V V', y: 'dV/dt V/ms' },
    };
    for (const [scene, want] of Object.entries(expected)) {
      await withPage(browser(), `?scene=${scene}`, async (page) => {
        await page.waitForTimeout(1500);
        const p = await plane(page);
        expect(p.model).toBe(want.model);
        expect(`${p.x.name} ${p.x.unit}`).toBe(want.x);
        expect(`${p.y.name} ${p.y.unit}`).toBe(want.y);
        await page.screenshot({ path: `${SHOTS}/phase-plane-${scene.replace('/', '-')}.png` });
        const frames = await spikescope<{ totalMs: number[]; viewMs: number[] }>(page, 'frameProfile()');
        console.log(`phase plane ${scene}: ${p.fixedPoints.length} fixed point(s) ${p.fixedPoints.map((f) => f.kind).join(', ')} at I = ${p.input}; the plane's main-thread JS ${p.costMs.median.toFixed(2)} ms/frame median, ${p.costMs.mean.toFixed(2)} mean, ${p.costMs.max.toFixed(2)} max over ${p.costMs.frames} frames; whole frame ${summary(frames.totalMs)} (${machine})`);
        expect((await status(page)).lastError).toBeNull();
      });
    }
  });

  it('Izhikevich (B): a held current moves the v-nullcline up and the two fixed points vanish; released, they come back', async () => {
    await withPage(browser(), '?scene=izhikevich/B', async (page) => {
      await controller(page, 'loop protocol').locator('input').uncheck();
      await spikescope(page, 'setSpeed(2)');
      await waitForStatus(page, (s) => s.timeMs > 80 && s.spikeCount >= 1, 'the phasic spike of (B)');
      await spikescope(page, 'pause()');
      await waitForStatus(page, (s) => !s.playing, 'pause');
      await spikescope(page, 'step(4)');
      const rest = await waitForStatus(page, (s) => s.phasePlane?.input === 0.5, 'the input 0.5 of (B)');
      // I* = (k1 − b)²/(4·k2) − k0 = 4.75²/0.16 − 140 ≈ 1.016: two fixed points at 0.5.
      expect(rest.phasePlane!.fixedPoints.map((f) => f.kind)).toEqual(['stable focus', 'saddle']);
      const before = await page.screenshot({ clip: clip(rest.phasePlane!) });
      writeFileSync(`${SHOTS}/phase-plane-hold-before.png`, before);
      await spikescope(page, 'hold(5)');
      await spikescope(page, 'step(2)');
      const held = await waitForStatus(page, (s) => s.phasePlane?.input === 5.5, 'the held input 5.5');
      expect(held.phasePlane!.fixedPoints).toEqual([]);
      const during = await page.screenshot({ clip: clip(held.phasePlane!) });
      writeFileSync(`${SHOTS}/phase-plane-hold-during.png`, during);
      expect(Buffer.compare(before, during)).not.toBe(0);
      await spikescope(page, 'release()');
      await spikescope(page, 'step(2)');
      const released = await waitForStatus(page, (s) => s.phasePlane?.input === 0.5, 'the input back to 0.5');
      expect(released.phasePlane!.fixedPoints).toHaveLength(2);
    });
  });

  it('a click in the plane sets the state there: the trajectory starts from it, the recording holds a set-state event and verifies in the CLI', async () => {
    await withPage(browser(), '?scene=izhikevich/B', async (page) => {
      await controller(page, 'loop protocol').locator('input').uncheck();
      await waitForStatus(page, (s) => s.timeMs > 30, '30 ms of (B)');
      await spikescope(page, 'pause()');
      await waitForStatus(page, (s) => !s.playing, 'pause');
      await spikescope(page, 'startRecording({ traces: true })');
      const p = await plane(page);
      // A point left of the stable focus, inside the plane: the neuron goes back to rest from there.
      const target = { x: p.range.x[0] + 0.25 * (p.range.x[1] - p.range.x[0]), y: p.range.y[0] + 0.7 * (p.range.y[1] - p.range.y[0]) };
      const at = await pixel(page, p, target.x, target.y);
      await page.mouse.click(at.x, at.y);
      await spikescope(page, 'step(1)');
      const after = await waitForStatus(page, (s) => (s.recording?.events ?? 0) >= 1 && s.phasePlane!.trail.last !== null && Math.abs(s.phasePlane!.trail.last[0] - target.x) < 0.02 * (p.range.x[1] - p.range.x[0]) + 2, 'the trail to start at the click');
      const [x, y] = after.phasePlane!.trail.last!;
      console.log(`clicked at (${target.x.toFixed(2)}, ${target.y.toFixed(2)}); one step later the neuron is at (${x.toFixed(2)}, ${y.toFixed(2)})`);
      expect(Math.abs(y - target.y)).toBeLessThan(0.02 * (p.range.y[1] - p.range.y[0]) + 0.5);
      await spikescope(page, 'step(400)');
      await waitForStatus(page, (s) => (s.recording?.steps ?? 0) >= 401, '400 more steps');
      await page.screenshot({ path: `${SHOTS}/phase-plane-click.png` });
      const recording = await spikescope<{ events: { kind: string; neuron?: number; state?: Record<string, number> }[] }>(page, 'stopRecording()');
      const setState = recording.events.filter((e) => e.kind === 'set-state');
      expect(setState).toHaveLength(1);
      expect(setState[0]!.neuron).toBe(0);
      expect(Object.keys(setState[0]!.state!)).toEqual(['v', 'u']);
      const file = join(mkdtempSync(join(os.tmpdir(), 'spikescope-plane-')), 'click.json');
      writeFileSync(file, JSON.stringify(recording));
      const verdict = cliVerify(file);
      expect(verdict.status, verdict.stdout + verdict.stderr).toBe(0);
      expect((await status(page)).lastError).toBeNull();
    });
  });

  it('the 2003 network: the picked neuron’s own plane (its a, b, c, d), and HH’s click sets V, m, h and n', async () => {
    await withPage(browser(), '?scene=izhikevich-2003', async (page) => {
      await spikescope(page, 'pickNeuron(900)');
      const p = await waitForStatus(page, (s) => s.phasePlane?.trail.points !== undefined && s.target === 900 && s.phasePlane.trail.points > 10, 'neuron 900 in the plane');
      expect(p.phasePlane!.model).toBe('izhikevich-2003');
      await page.screenshot({ path: `${SHOTS}/phase-plane-izhikevich-2003.png` });
    });
    await withPage(browser(), '?scene=hh', async (page) => {
      await spikescope(page, 'pause()');
      await waitForStatus(page, (s) => !s.playing, 'pause');
      await spikescope(page, 'startRecording({})');
      const p = await plane(page);
      const at = await pixel(page, p, 30, 0.5);
      await page.mouse.click(at.x, at.y);
      await spikescope(page, 'step(1)');
      await waitForStatus(page, (s) => (s.recording?.events ?? 0) >= 1, 'the set-state event');
      const recording = await spikescope<{ events: { kind: string; state?: Record<string, number> }[] }>(page, 'stopRecording()');
      const event = recording.events.find((e) => e.kind === 'set-state')!;
      expect(Object.keys(event.state!)).toEqual(['v', 'm', 'h', 'n']);
      expect(Math.abs(event.state!.v! - 30)).toBeLessThan(1);
      expect(Math.abs(event.state!.h! - (0.89 - 1.1 * event.state!.n!))).toBeLessThan(1e-12);
    });
  });
});
