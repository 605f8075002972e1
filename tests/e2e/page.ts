/**
 * Helpers for the browser tests: connect to the shared Chromium, open the page, and talk to
 * `window.spikescope`. Expressions are sent as strings, so nothing depends on how the test
 * file was compiled.
 */
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import type { SpikescopeStatus } from '../../src/app/automation.ts';

export type Status = SpikescopeStatus;

export function connectBrowser(): Promise<Browser> {
  return chromium.connect(inject('wsEndpoint'));
}

/** Where the browser tests leave screenshots for a person to look at. */
export const SHOTS = 'test-artifacts/screenshots';

/**
 * The shared Chromium for a test file: connected before its tests (with the screenshot folder
 * made) and let go after them. Call at the top of the file; the getter gives the browser.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await connectBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is connected in beforeAll: use it inside a test');
    return browser;
  };
}

/** Page errors, console errors and Content-Security-Policy violations of each open page, as they happen. */
const pageProblems = new WeakMap<Page, string[]>();

/** What went wrong in the page so far: uncaught errors, console errors, CSP violations (`CSP violation: …`). */
export function problemsOf(page: Page): readonly string[] {
  return pageProblems.get(page) ?? [];
}

/**
 * Opens the page at `query` (e.g. `?scene=lif`) and waits for a first frame. A Content-Security-
 * Policy violation (the `securitypolicyviolation` event, in the page or its workers) counts as a
 * page error: `withPage` and `closePage` fail the test on any.
 */
export async function openPage(browser: Browser, query = '', viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  const problems: string[] = [];
  pageProblems.set(page, problems);
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  await page.exposeFunction('__spikescopeCspViolation', (text: string) => problems.push(`CSP violation: ${text}`));
  await page.addInitScript(() => {
    const report = (e: SecurityPolicyViolationEvent): void =>
      void (window as unknown as { __spikescopeCspViolation: (text: string) => void }).__spikescopeCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
    document.addEventListener('securitypolicyviolation', report);
  });
  await page.goto(new URL(query, inject('baseUrl')).href);
  try {
    await waitForHandle(page, 'totalTimeMs', 30_000);
  } catch (error) {
    throw new Error(`the page ${query} did not start: ${String(error)}; page errors: ${problems.join('; ') || 'none'}`);
  }
  if (problems.length > 0) throw new Error(`page errors: ${problems.join('; ')}`);
  return page;
}

/**
 * Waits until `window.spikescope` exists and its status's `field` is set (a count above 0, or not
 * null). A function predicate, not a string: Playwright polls a string predicate with eval, which
 * the page's Content-Security-Policy forbids.
 */
export async function waitForHandle(page: Page, field: 'totalTimeMs' | 'spikeCount' | 'draft', timeout = 20_000): Promise<void> {
  await page.waitForFunction(
    (name) => {
      const handle = (window as unknown as { spikescope?: { status(): Record<string, unknown> } }).spikescope;
      if (handle === undefined) return false;
      const value = handle.status()[name];
      return typeof value === 'number' ? value > 0 : value !== null && value !== undefined;
    },
    field,
    { timeout, polling: 100 },
  );
}

/** Calls `window.spikescope.<expression>` in the page, e.g. `status()` or `setParam("a", 0.1)`. */
export function spikescope<T = unknown>(page: Page, expression: string): Promise<T> {
  return page.evaluate(`window.spikescope.${expression}`) as Promise<T>;
}

export function status(page: Page): Promise<Status> {
  return spikescope<Status>(page, 'status()');
}

/** Polls status() until `accept` holds. */
export async function waitForStatus(page: Page, accept: (s: Status) => boolean, what: string, timeoutMs = 20_000): Promise<Status> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await status(page);
    if (accept(s)) return s;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last status ${JSON.stringify({ ...s, params: undefined })}`);
    await page.waitForTimeout(50);
  }
}

/** Computes `steps` steps (while paused) and waits until they are done; returns the spikes they made. */
export async function stepAndCount(page: Page, steps: number): Promise<number> {
  const before = await status(page);
  await spikescope(page, `step(${steps})`);
  const target = before.totalTimeMs + steps * before.dtMs - before.dtMs / 2;
  const after = await waitForStatus(page, (s) => s.totalTimeMs >= target, `${steps} steps`);
  return after.spikeCount - before.spikeCount;
}

/** A lil-gui controller row by its label. */
export function controller(page: Page, label: string) {
  return page.locator('.lil-controller').filter({ has: page.locator('.lil-name', { hasText: label }) });
}

/** Closes a page opened by openPage; fails when anything went wrong in it (a CSP violation included). */
export async function closePage(page: Page): Promise<void> {
  const problems = problemsOf(page);
  await page.close();
  if (problems.length > 0) throw new Error(`page errors: ${problems.join('; ')}`);
}

/** Opens a page, runs `test` on it and closes it, whatever happens; fails on any page error or CSP violation. */
export async function withPage(browser: Browser, query: string, test: (page: Page) => Promise<void>, viewport?: { width: number; height: number }): Promise<void> {
  const page = await openPage(browser, query, viewport);
  let passed = false;
  try {
    await test(page);
    passed = true;
  } finally {
    if (passed) await closePage(page);
    else await page.close();
  }
}

/** Median (the measure), mean and 95th percentile of per-frame times, for the printed (not asserted) figures. */
export function summary(values: number[]): string {
  if (values.length === 0) return 'no frames';
  const sorted = [...values].sort((a, b) => a - b);
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!;
  return `median ${median.toFixed(2)} ms, mean ${mean.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms (${values.length} frames)`;
}
