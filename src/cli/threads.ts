/**
 * Threads for headless runs: a ThreadPool (src/core/threads.ts) of Node worker threads, each
 * running thread-worker beside this file (worker-entry.ts: through tsx from the sources, the
 * built .js from the package, the bundled .mjs beside a bundle — the bench, the browser tests' CLI).
 */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { ThreadPool, type HelperInit } from '../core/threads.ts';
import { workerEntry } from './worker-entry.ts';

function spawn(init: HelperInit): Worker {
  const worker = workerEntry('thread-worker', { workerData: init });
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
