import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  // The engine worker (src/app/engine-worker.ts) is a module worker: bundled as an ES module.
  worker: { format: 'es' },
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
});
