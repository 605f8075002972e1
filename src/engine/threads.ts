/**
 * Threads for the page's engine: a ThreadPool (src/core/threads.ts) of Web Workers started from
 * the engine worker, when the page is cross-origin isolated (SharedArrayBuffer exists only then:
 * the server must send COOP: same-origin and COEP: require-corp; see README). Otherwise — and for
 * scenes too small to gain — the engine computes on its own thread.
 *
 * A pool is sized for the scene (defaultThreads: one thread per core, at most 8, at most one per
 * 20 000 neurons) and kept while the next scene wants the same size. Its workers start
 * asynchronously; the kernel computes alone until they are there (the bits are the same).
 */
import { models } from '../core/models/index.ts';
import type { Scene } from '../core/scene.ts';
import { canShareMemory, defaultThreads, ThreadPool, type HelperInit } from '../core/threads.ts';

let pool: ThreadPool | undefined;

function spawn(init: HelperInit): Worker {
  const worker = new Worker(new URL('./thread-worker.ts', import.meta.url), { type: 'module', name: `spikescope-thread ${init.helper}` });
  worker.postMessage(init);
  return worker;
}

/** The pool a session of `scene` splits its network across, or undefined for one thread. */
export function threadsFor(scene: Scene): ThreadPool | undefined {
  const cores = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  const threads = canShareMemory() ? defaultThreads(scene.neurons, models[scene.model].threadPart !== undefined, cores) : 1;
  if (pool?.threads === threads) return pool;
  void pool?.close();
  pool = threads > 1 ? new ThreadPool(threads, spawn) : undefined;
  return pool;
}
