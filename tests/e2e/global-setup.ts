/**
 * Global setup of the browser tests: builds the page once, serves it with `vite preview` in
 * its own process group, and starts one browser per engine that every test shares:
 *  - Chromium (SwiftShader WebGL), through playwright-core's browser server;
 *  - Firefox ESR, headless, through puppeteer-core over WebDriver BiDi (it has no WebGL here);
 *  - WebKitGTK's MiniBrowser, through WebKitWebDriver under a virtual X display (Xvfb), as one
 *    W3C WebDriver session driven with plain HTTP.
 * The three start in parallel. Tests read the endpoints with `inject`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type BrowserServer } from 'playwright-core';
import puppeteer, { type Browser as PuppeteerBrowser } from 'puppeteer-core';
import type { TestProject } from 'vitest/node';
import { freePort } from './free-port.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    wsEndpoint: string;
    firefoxEndpoint: string;
    webkitDriver: string;
    webkitSession: string;
  }
}

const ROOT = resolve(import.meta.dirname, '../..');
const OUT_DIR = 'test-artifacts/e2e-dist';
const VITE = resolve(ROOT, 'node_modules/.bin/vite');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
const WEBKIT_DRIVER = process.env.WEBKIT_DRIVER_PATH ?? '/usr/bin/WebKitWebDriver';
/** The window the WebKit session asks for (its viewport is this less the browser's own bar). */
export const WEBKIT_WINDOW = { width: 1280, height: 860 };

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`nothing answered at ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A process in its own group, killed with the group (a killed parent may leave children up). */
function spawnGroup(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; stdio?: ('ignore' | 'pipe')[] } = {}): { child: ChildProcess; stop: () => void } {
  const child = spawn(command, args, { cwd: ROOT, detached: true, stdio: options.stdio ?? 'ignore', env: options.env ?? process.env });
  return {
    child,
    stop: () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

function need(path: string, what: string): void {
  if (!existsSync(path)) throw new Error(`${what} not found at ${path}: run \`bash .ci/setup\` (it installs it) or set its *_PATH variable`);
}

/** Debian's MiniBrowser, in the WebKitGTK library folder of the machine's architecture. */
function miniBrowser(): string {
  if (process.env.WEBKIT_MINIBROWSER) return process.env.WEBKIT_MINIBROWSER;
  for (const dir of readdirSync('/usr/lib')) {
    const path = `/usr/lib/${dir}/webkit2gtk-4.1/MiniBrowser`;
    if (existsSync(path)) return path;
  }
  throw new Error('MiniBrowser (Debian package libwebkit2gtk-4.1-0) not found: run `bash .ci/setup`');
}

/** Xvfb on a display it picks itself (-displayfd), then WebKitWebDriver on it, then one session. */
async function startWebKit(stops: (() => void)[]): Promise<{ driver: string; session: string }> {
  need(WEBKIT_DRIVER, 'WebKitWebDriver (Debian package webkit2gtk-driver)');
  const binary = miniBrowser();
  const xvfb = spawnGroup('Xvfb', ['-displayfd', '1', '-screen', '0', '1600x1200x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'ignore'] });
  stops.push(xvfb.stop);
  const display = await new Promise<string>((done, fail) => {
    let text = '';
    xvfb.child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) done(text.trim());
    });
    xvfb.child.once('exit', (code) => fail(new Error(`Xvfb exited (${code}): is the xvfb package installed? (bash .ci/setup)`)));
    setTimeout(() => fail(new Error('Xvfb did not report its display within 10 s')), 10_000);
  });
  const port = await freePort();
  const driver = spawnGroup(WEBKIT_DRIVER, [`--port=${port}`, '--host=127.0.0.1'], { env: { ...process.env, DISPLAY: `:${display}` } });
  stops.push(driver.stop);
  const url = `http://127.0.0.1:${port}`;
  await waitForServer(`${url}/status`, 15_000);
  const response = await fetch(`${url}/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ capabilities: { alwaysMatch: { browserName: 'MiniBrowser', 'webkitgtk:browserOptions': { binary, args: ['--automation'] } } } }),
  });
  const answer = (await response.json()) as { value: { sessionId?: string; message?: string } };
  if (!response.ok || !answer.value.sessionId) throw new Error(`WebKitWebDriver gave no session: ${JSON.stringify(answer.value)}`);
  const session = answer.value.sessionId;
  stops.unshift(() => void fetch(`${url}/session/${session}`, { method: 'DELETE' }).catch(() => undefined));
  await fetch(`${url}/session/${session}/window/rect`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(WEBKIT_WINDOW) });
  return { driver: url, session };
}

/**
 * Firefox, left running without a client: its WebDriver BiDi server takes one session at a
 * time, so each test connects, and disconnects when done. Returns its endpoint and how to stop it.
 */
async function startFirefox(): Promise<{ endpoint: string; stop: () => void }> {
  need(FIREFOX, 'Firefox ESR (Debian package firefox-esr)');
  const browser: PuppeteerBrowser = await puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX, headless: true, protocol: 'webDriverBiDi' });
  const endpoint = browser.wsEndpoint();
  const pid = browser.process()?.pid;
  await browser.disconnect();
  return {
    endpoint,
    stop: () => {
      try {
        // puppeteer starts it in its own process group (with its content processes)
        if (pid) process.kill(-pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const build = spawnSync(VITE, ['build', '--outDir', OUT_DIR, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);

  const stops: (() => void)[] = [];
  const port = await freePort();
  const preview = spawnGroup(VITE, ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', OUT_DIR]);
  stops.push(preview.stop);
  let chromiumServer: BrowserServer | undefined;
  const teardown = async (): Promise<void> => {
    await chromiumServer?.close().catch(() => undefined);
    // The WebKit session goes first (it was put at the front), then the processes.
    for (const stop of stops) stop();
  };
  try {
    const baseUrl = `http://127.0.0.1:${port}/`;
    await waitForServer(baseUrl, 20_000);
    const [chromiumStarted, firefoxStarted, webkitStarted] = await Promise.allSettled([chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }), startFirefox(), startWebKit(stops)]);
    if (chromiumStarted.status === 'fulfilled') chromiumServer = chromiumStarted.value;
    if (firefoxStarted.status === 'fulfilled') stops.push(firefoxStarted.value.stop);
    for (const started of [chromiumStarted, firefoxStarted, webkitStarted]) if (started.status === 'rejected') throw started.reason;
    const webkit = (webkitStarted as PromiseFulfilledResult<{ driver: string; session: string }>).value;
    project.provide('baseUrl', baseUrl);
    project.provide('wsEndpoint', chromiumServer!.wsEndpoint());
    project.provide('firefoxEndpoint', (firefoxStarted as PromiseFulfilledResult<{ endpoint: string }>).value.endpoint);
    project.provide('webkitDriver', webkit.driver);
    project.provide('webkitSession', webkit.session);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
