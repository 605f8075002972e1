/**
 * Runs the values of a sweep on several Node worker threads (one per core is the natural
 * choice). Each run is independent and deterministic, so the results equal those of
 * `runSweep` in one thread, bit for bit, in the same order.
 */
import type { Limits } from '../core/limits.ts';
import type { Scene } from '../core/scene.ts';
import type { RunResult } from '../stream/run.ts';
import { workerEntry } from './worker-entry.ts';

/** A worker's answer: a result, or an error's name (InputError, DivergenceError…) and message. */
type Reply = { index: number; result?: RunResult; error?: { name: string; message: string } };

export async function runSweepInWorkers(scene: Scene, workers: number, limits: Limits, onProgress?: (fraction: number) => void): Promise<{ value: number; result: RunResult }[]> {
  const { param, values } = scene.sweep!;
  const jobs = values.map((value, index) => {
    const single: Scene = { ...scene, params: { ...scene.params, [param]: value } };
    delete single.sweep;
    return { index, scene: single, limits };
  });
  const results = new Array<RunResult>(jobs.length);
  let next = 0;
  let done = 0;
  const pool = Array.from({ length: Math.min(workers, jobs.length) }, () => workerEntry('sweep-worker'));
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const feed = (): void => {
              const job = jobs[next++];
              if (job) worker.postMessage(job);
              else resolve();
            };
            worker.on('message', (reply: Reply) => {
              if (reply.error !== undefined) return reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
              results[reply.index] = reply.result!;
              onProgress?.(++done / jobs.length);
              feed();
            });
            worker.on('error', reject);
            feed();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((worker) => worker.terminate()));
  }
  return values.map((value, index) => ({ value, result: results[index]! }));
}
