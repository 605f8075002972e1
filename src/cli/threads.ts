/**
 * Threads for headless runs: a ThreadPool (src/core/threads.ts) of Node worker threads. From
 * the TypeScript sources (the CLI under tsx, the tests) each helper loads thread-worker.ts
 * through tsx; from a bundle (the bench bundles thread-worker.ts beside its own entry) it loads
 * the bundled thread-worker.mjs next to the running file.
 */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ThreadPool, type HelperInit } from '../core/threads.ts';

const fromSources = import.meta.url.endsWith('.ts');

function spawn(init: HelperInit): Worker {
  const worker = fromSources
    ? new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(new URL('./thread-worker.ts', import.meta.url).href)}); });`, { eval: true, workerData: init })
    : new Worker(fileURLToPath(new URL('./thread-worker.mjs', import.meta.url)), { workerData: init });
  // A pool never keeps the process alive by itself.
  worker.unref();
  worker.on('error', (error) => process.stderr.write(`spikescope: helper thread ${init.helper} failed: ${error.message}\n`));
  return worker;
}

/** A pool of `threads` threads (this one and threads − 1 workers); a kernel attaching to it waits for its workers. */
export function nodeThreadPool(threads: number): ThreadPool {
  return new ThreadPool(threads, spawn, { blockingAttach: true });
}

/** The cores this process may use. */
export function availableCores(): number {
  return availableParallelism();
}
