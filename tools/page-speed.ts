/**
 * Measures a scene in the built page as a user sees it: real Chromium (SwiftShader WebGL, the
 * e2e tests' flags) on a running server, the speed set to 1×, then over `--seconds` (8):
 * the real-time factor reached, the page's own main-thread JS per frame (median, mean, p95:
 * spikescope.frameTimes()), Chromium's own count of main-thread script time (CDP
 * Performance.ScriptDuration) per frame, the threads and whether the page is cross-origin
 * isolated, with the CPU and the load average — and saves a screenshot.
 *
 *   npm run build && npm run preview -- --port 4391 &
 *   npx tsx tools/page-speed.ts http://127.0.0.1:4391/ [--scene izhikevich-2003/sparse-100k] [--seconds 8] [--shot FILE.png]
 */
import { cpus, loadavg } from 'node:os';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../tests/e2e/global-setup.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1]! : fallback;
};
const base = args.find((a) => /^https?:/.test(a)) ?? 'http://127.0.0.1:4173/';
const scene = flag('scene', 'izhikevich-2003/sparse-100k');
const seconds = Number(flag('seconds', '8'));
const shot = flag('shot', `test-artifacts/screenshots/page-speed-${scene.replace(/\W+/g, '-')}.png`);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

interface Status { totalTimeMs: number; realtimeFactor: number; fps: number; threads: number; renderer: string }
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  await page.goto(`${base}?scene=${encodeURIComponent(scene)}`);
  await page.waitForFunction('window.spikescope !== undefined && window.spikescope.status().totalTimeMs > 0', null, { timeout: 60_000 });
  const isolated = await page.evaluate('crossOriginIsolated');
  await page.evaluate('window.spikescope.setSpeed(1)');
  await page.waitForTimeout(1500);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const scriptSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ScriptDuration')!.value;
  const status = () => page.evaluate('window.spikescope.status()') as Promise<Status>;
  const frameTimes = () => page.evaluate('window.spikescope.frameTimes()') as Promise<number[]>;
  const loadBefore = load();
  const [s0, script0, framesBefore, wall0] = [await status(), await scriptSeconds(), (await frameTimes()).length, Date.now()];
  await page.waitForTimeout(seconds * 1000);
  const [s1, script1, times, wall1] = [await status(), await scriptSeconds(), await frameTimes(), Date.now()];
  // frameTimes keeps the last 240 frames.
  const frames = times.length >= 240 ? times.slice(-Math.min(240, Math.round(s1.fps * seconds))) : times.slice(framesBefore);
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? NaN;
  const wall = (wall1 - wall0) / 1000;
  const frameCount = s1.fps * wall;
  console.log(`${scene} in Chromium at ${base}: cross-origin isolated ${isolated}, ${s1.threads} thread(s), renderer ${s1.renderer}`);
  console.log(`  asked for 1×: ${((s1.totalTimeMs - s0.totalTimeMs) / 1000 / wall).toFixed(2)}× real time over ${wall.toFixed(1)} s (status line ${s1.realtimeFactor.toFixed(2)}×, ${s1.fps.toFixed(0)} fps)`);
  console.log(`  main-thread JS per frame (the page's count, ${frames.length} frames): median ${at(0.5).toFixed(2)} ms, mean ${(frames.reduce((a, b) => a + b, 0) / frames.length).toFixed(2)} ms, p95 ${at(0.95).toFixed(2)} ms`);
  console.log(`  Chromium's ScriptDuration: ${(((script1 - script0) * 1000) / wall).toFixed(0)} ms per second, ${(((script1 - script0) * 1000) / frameCount).toFixed(2)} ms per frame`);
  console.log(`  ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}, load average ${loadBefore} → ${load()}`);
  await page.screenshot({ path: shot });
  console.log(`  screenshot: ${shot}`);
} finally {
  await browser.close();
}
