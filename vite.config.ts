import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The page's Content-Security-Policy, the one source of the meta tag in index.html (the build
 * checks they agree) and of the header the dev and preview servers send:
 * - scripts and workers only from the page's own origin: no inline script, no eval (Pixi runs
 *   without eval through `pixi.js/unsafe-eval`, imported by src/app/main.ts); 'wasm-unsafe-eval'
 *   lets the engine compile its WebAssembly kernel (src/core/wasm.ts, bytes shipped in its own
 *   script) and nothing else: JavaScript's eval and new Function stay blocked;
 * - styles only from files: lil-gui's stylesheet is imported as a file (`injectStyles: false`);
 *   Pixi styles its canvas through the CSSOM, which a policy does not restrict;
 * - fonts from the page and `data:` (lil-gui's icon font is a data: URL in its stylesheet);
 * - images from the page and `data:` (the favicon is `data:,`); nothing needs `blob:` — downloads
 *   are links to blob: URLs, which a policy does not govern, and the PNG export is a data URL
 *   returned to the caller, never loaded;
 * - no plugins, no <base>, no form submissions, no frames.
 * The dev server adds one nonce to style-src: Vite's dev client injects each CSS file as a
 * <style> element carrying it (`html.cspNonce`); the built page needs none.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
].join('; ');

/**
 * Cross-origin isolation: with these the page has SharedArrayBuffer, and the engine splits a large
 * network across Web Workers (src/engine/threads.ts). A static host must send the same two
 * headers (README, "Deploy"); without them the engine computes on one worker.
 */
const CROSS_ORIGIN_ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

const DEV_NONCE = 'spikescope-dev';
const DEV_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", `style-src 'self' 'nonce-${DEV_NONCE}'`);
const META = `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`;

/** Checks that index.html carries the policy; in dev, serves it with the dev nonce. */
function contentSecurityPolicy(): Plugin {
  return {
    name: 'spikescope-content-security-policy',
    transformIndexHtml: {
      order: 'pre',
      handler(html, context) {
        if (!html.includes(META)) throw new Error(`index.html must carry the Content-Security-Policy of vite.config.ts:\n${META}`);
        return context.server ? html.replace(META, META.replace(CONTENT_SECURITY_POLICY, DEV_POLICY)) : html;
      },
    },
  };
}

export default defineConfig(({ command }) => ({
  plugins: [contentSecurityPolicy()],
  // lil-gui's package exports only its scripts; its stylesheet is imported as a file (see CONTENT_SECURITY_POLICY).
  resolve: { alias: { 'lil-gui/dist/lil-gui.css': resolve(import.meta.dirname, 'node_modules/lil-gui/dist/lil-gui.css') } },
  ...(command === 'serve' && { html: { cspNonce: DEV_NONCE } }),
  server: { host: '127.0.0.1', port: 5173, headers: { 'Content-Security-Policy': DEV_POLICY, ...CROSS_ORIGIN_ISOLATION } },
  preview: { host: '127.0.0.1', port: 4173, headers: { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, ...CROSS_ORIGIN_ISOLATION } },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  // The engine worker (src/engine/worker.ts) is a module worker: bundled as an ES module.
  worker: { format: 'es' },
  // The built page refers to its files by relative paths, so it works under any base path (README, Deploy).
  base: './',
  test: {
    environment: 'node',
    testTimeout: 60_000,
    // Each project lists its own files (a project that extends the root would add to the root's list).
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: [...configDefaults.exclude, 'tests/e2e/**'] } },
      {
        // The page in real Chromium (WebGL by SwiftShader): one build, one server and one browser
        // for all files (global setup), files one at a time, after the unit tests.
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 90_000,
          hookTimeout: 90_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
}));
