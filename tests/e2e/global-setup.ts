/**
 * Global setup of the browser tests: builds the page once, serves it with `vite preview` in
 * its own process group, and launches one headless Chromium (SwiftShader WebGL) that every
 * test connects to. Tests read `baseUrl` and `wsEndpoint` with `inject`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { chromium, type BrowserServer } from 'playwright-core';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    wsEndpoint: string;
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

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

async function waitForServer(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`vite preview did not answer at ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const build = spawnSync(VITE, ['build', '--outDir', OUT_DIR, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);

  const port = await freePort();
  const preview = spawn(VITE, ['preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', OUT_DIR], {
    cwd: ROOT,
    detached: true,
    stdio: 'ignore',
  });
  const stopPreview = (): void => {
    try {
      if (preview.pid) process.kill(-preview.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  let browser: BrowserServer | undefined;
  try {
    const baseUrl = `http://127.0.0.1:${port}/`;
    await waitForServer(baseUrl, 20_000);
    browser = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    project.provide('baseUrl', baseUrl);
    project.provide('wsEndpoint', browser.wsEndpoint());
  } catch (error) {
    stopPreview();
    await browser?.close();
    throw error;
  }
  return async () => {
    await browser?.close();
    stopPreview();
  };
}
