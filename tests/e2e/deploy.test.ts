/**
 * The built page on a plain static host under a sub-path (README, "Deploy"): the page the global
 * setup built, served by a bare file server at /some/sub/path/ — once with the cross-origin
 * isolation headers (COOP/COEP), once without. Either way the page must load every file (no
 * request fails), start its engine worker and run the 100k network; `crossOriginIsolated` says
 * which host it is on. With the headers the network is split across helper Web Workers (started
 * from the sub-path too), as the default rule says: one per core, at most 8, at most one per
 * 20 000 neurons; without them it runs on the engine worker alone.
 */
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DEFAULT_THREADS, MIN_NEURONS_PER_THREAD } from '../../src/core/threads.ts';
import { connectBrowser, openPage, status, waitForHandle, waitForStatus } from './page.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const SITE = join(ROOT, 'test-artifacts/e2e-dist');
const SHOTS = join(ROOT, 'test-artifacts/screenshots');
const SUB_PATH = '/some/sub/path/';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml', '.wasm': 'application/wasm' };
const NEURONS = 100_000;
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

let server: Server;
let origin: string;
let browser: Browser;

/** /isolated/some/sub/path/… sends COOP/COEP, /plain/some/sub/path/… does not; the rest is the site's files. */
function serve(): Promise<void> {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = /^\/(isolated|plain)(\/.*)$/.exec(url.pathname);
    if (!match || !match[2]!.startsWith(SUB_PATH)) return void response.writeHead(404).end();
    let file = normalize(join(SITE, match[2]!.slice(SUB_PATH.length)));
    if (!file.startsWith(SITE)) return void response.writeHead(403).end();
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const body = readFileSync(file);
      response.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', ...(match[1] === 'isolated' && ISOLATION) });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((done) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
      done();
    }),
  );
}

beforeAll(async () => {
  await serve();
  browser = await connectBrowser();
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => server?.close(done));
});

describe('the built page under a sub-path of a static host', () => {
  for (const host of ['isolated', 'plain'] as const) {
    it(`${host === 'isolated' ? 'with COOP/COEP: the 100k network split across Web Workers' : 'without COOP/COEP: the 100k network on one worker'}; every file loads`, async () => {
      const url = `${origin}/${host}${SUB_PATH}?scene=izhikevich-2003%2Fsparse-100k`;
      const page = await openPage(browser, url);
      // Loaded again from a blank page with the listeners on: a reload would abort the first
      // load's requests still in flight (the helper workers' scripts) and count them as failed.
      await page.goto('about:blank');
      const failed: string[] = [];
      page.on('requestfailed', (request) => failed.push(request.url()));
      page.on('response', (response) => {
        if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
      });
      try {
        await page.goto(url);
        await waitForHandle(page, 'totalTimeMs', 30_000);
        const cores = await page.evaluate<number>('navigator.hardwareConcurrency');
        const threads = host === 'isolated' ? Math.min(cores, MAX_DEFAULT_THREADS, Math.floor(NEURONS / MIN_NEURONS_PER_THREAD)) : 1;
        // The helpers start asynchronously: the first steps may be computed on one thread.
        await waitForStatus(page, (s) => s.threads === threads && s.totalTimeMs > 200 && s.spikeCount > 0, `the network running with spikes on ${threads} thread(s)`, 60_000);
        const s = await status(page);
        const isolated = await page.evaluate('crossOriginIsolated');
        expect(isolated).toBe(host === 'isolated');
        expect(s.threads).toBe(threads);
        // The Euler update runs in WebAssembly in both (shared memory when isolated, plain otherwise).
        expect(s.wasm).toBe(true);
        expect(await page.locator('.status-threads').textContent()).toBe(threads > 1 ? `${threads} threads · WebAssembly` : 'WebAssembly');
        expect(s.lastError).toBeNull();
        expect(failed).toEqual([]);
        await page.screenshot({ path: join(SHOTS, `deploy-sub-path-${host}.png`) });
        console.log(`${url}: crossOriginIsolated ${String(isolated)}, ${s.threads} thread(s) of ${cores} cores, ${s.spikeCount} spikes in ${s.totalTimeMs.toFixed(0)} ms, renderer ${s.renderer}`);
      } finally {
        await page.close();
      }
    });
  }
});
