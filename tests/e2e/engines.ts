/**
 * One way to drive the page in each of the three browser engines the global setup started:
 * Chromium (playwright-core), Firefox (puppeteer-core over WebDriver BiDi) and WebKit (plain
 * W3C WebDriver HTTP calls to WebKitWebDriver). Expressions are sent as text and their values
 * come back as JSON text (BiDi's own serialisation turned nested objects into nulls).
 */
import { chromium } from 'playwright-core';
import puppeteer from 'puppeteer-core';
import { inject } from 'vitest';
import type { Status } from './page.ts';

export type Engine = 'chromium' | 'firefox' | 'webkit';
export const ENGINES: readonly Engine[] = ['chromium', 'firefox', 'webkit'];

export interface EnginePage {
  readonly engine: Engine;
  /** Opens the page at `query` (e.g. `?scene=lif`) and waits for a first frame. */
  open(query: string): Promise<void>;
  /** The value of `expression` in the page (a promise is awaited), through JSON. */
  value<T>(expression: string): Promise<T>;
  /** A PNG of the viewport. */
  screenshot(): Promise<Buffer>;
  /** Uncaught errors and console errors since the page was opened. */
  errors(): Promise<string[]>;
  close(): Promise<void>;
}

const VIEWPORT = { width: 1280, height: 800 };

/** `expression`, awaited, as JSON text: what every engine's evaluate can return intact. */
const asJson = (expression: string): string => `(async () => JSON.stringify((await (${expression})) ?? null))()`;

export async function openEngine(engine: Engine): Promise<EnginePage> {
  if (engine === 'chromium') return chromiumPage();
  if (engine === 'firefox') return firefoxPage();
  return webkitPage();
}

/** Resolves once `window.spikescope` runs a scene (polling `ready`, an expression of the page). */
async function untilRunning(check: () => Promise<boolean>, query: string, errors: () => Promise<string[]>): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`the page ${query} did not start; page errors: ${(await errors()).join('; ') || 'none'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const RUNNING = 'window.spikescope !== undefined && window.spikescope.status().totalTimeMs > 0';

/** What the playwright (Chromium) and puppeteer (Firefox) pages offer alike. */
interface ScriptablePage {
  goto(url: string): Promise<unknown>;
  evaluate(expression: string): Promise<unknown>;
  screenshot(): Promise<Uint8Array>;
}

/** An EnginePage over a playwright or puppeteer page whose errors `problems` collects. */
function scriptablePage(engine: Engine, page: ScriptablePage, problems: string[], close: () => Promise<void>): EnginePage {
  const errors = async (): Promise<string[]> => [...problems];
  return {
    engine,
    open: async (query) => {
      await page.goto(new URL(query, inject('baseUrl')).href);
      await untilRunning(async () => (await page.evaluate(RUNNING)) === true, query, errors);
    },
    value: async <T>(expression: string) => JSON.parse((await page.evaluate(asJson(expression))) as string) as T,
    screenshot: async () => Buffer.from(await page.screenshot()),
    errors,
    close,
  };
}

async function chromiumPage(): Promise<EnginePage> {
  const browser = await chromium.connect(inject('wsEndpoint'));
  const page = await browser.newPage({ viewport: VIEWPORT });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));
  return scriptablePage('chromium', page, problems, () => browser.close());
}

async function firefoxPage(): Promise<EnginePage> {
  const browser = await puppeteer.connect({ browserWSEndpoint: inject('firefoxEndpoint'), protocol: 'webDriverBiDi' });
  const page = await browser.newPage();
  await page.setViewport(VIEWPORT);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error instanceof Error ? error.message : String(error)));
  page.on('console', (message) => void (message.type() === 'error' && problems.push(message.text())));
  return scriptablePage('firefox', page, problems, async () => {
    await page.close();
    await browser.disconnect();
  });
}

/**
 * WebKit through its WebDriver session (shared by every test: one MiniBrowser window). Errors
 * are collected by a listener installed right after each load, from the page's own
 * `error`/`unhandledrejection` events.
 */
async function webkitPage(): Promise<EnginePage> {
  const base = `${inject('webkitDriver')}/session/${inject('webkitSession')}`;
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(base + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    const answer = (await response.json()) as { value: T & { error?: string; message?: string } };
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${answer.value.error}: ${answer.value.message}`);
    return answer.value;
  };
  const run = async (expression: string): Promise<string> =>
    call<string>('POST', '/execute/async', { script: `const done = arguments[arguments.length - 1]; ${asJson(expression)}.then(done, (e) => done(JSON.stringify({ pageError: String(e) })));`, args: [] });
  const errors = async (): Promise<string[]> => JSON.parse(await run('window.__engineErrors ?? []')) as string[];
  const collectErrors = `(() => {
    window.__engineErrors = window.__engineErrors ?? [];
    addEventListener('error', (e) => window.__engineErrors.push(String(e.message)));
    addEventListener('unhandledrejection', (e) => window.__engineErrors.push(String(e.reason)));
    return true;
  })()`;
  return {
    engine: 'webkit',
    open: async (query) => {
      await call('POST', '/url', { url: new URL(query, inject('baseUrl')).href });
      await run(collectErrors);
      await untilRunning(async () => JSON.parse(await run(RUNNING)) === true, query, errors);
    },
    value: async <T>(expression: string) => {
      const text = await run(expression);
      const value = JSON.parse(text) as T & { pageError?: string };
      if (value && typeof value === 'object' && 'pageError' in value) throw new Error(`in WebKit: ${value.pageError}`);
      return value;
    },
    screenshot: async () => Buffer.from(await call<string>('GET', '/screenshot'), 'base64'),
    errors,
    close: async () => void (await call('POST', '/url', { url: 'about:blank' })),
  };
}

/** Polls status() until `accept` holds. */
export async function waitFor(page: EnginePage, accept: (s: Status) => boolean, what: string, timeoutMs = 30_000): Promise<Status> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await page.value<Status>('window.spikescope.status()');
    if (accept(s)) return s;
    if (Date.now() > deadline) throw new Error(`${page.engine}: timed out waiting for ${what}; last status ${JSON.stringify({ ...s, params: undefined })}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
