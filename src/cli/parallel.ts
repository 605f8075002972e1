/**
 * Runs the values of a sweep on several Node worker threads (one per core is the natural
 * choice). Each run is independent and deterministic, so the results equal those of
 * `runSweep` in one thread, bit for bit, in the same order.
 */
import type { Worker } from 'node:worker_threads';
import type { Limits } from '../core/limits.ts';
import type { Scene } from '../core/scene.ts';
import type { RunResult } from '../stream/run.ts';
import { workerEntry } from './worker-entry.ts';

/** A worker's answer to run `index` of sweep `sweep`: a result, or an error's name (InputError, DivergenceError…) and message. */
type Reply = { sweep: number; index: number; result?: RunResult; error?: { name: string; message: string } };

/** Runs sent to one worker and not answered yet: two, so that a worker never waits for its next run. */
const IN_FLIGHT = 2;

/**
 * Worker threads that run sweeps, kept between sweeps (the bench starts them, and warms them up,
 * before it times one; the CLI starts them for one sweep).
 */
export class SweepPool {
  private readonly workers: Worker[];
  /** Sweeps run so far: replies to an earlier sweep (one that failed) are ignored. */
  private sweeps = 0;

  constructor(workers: number) {
    this.workers = Array.from({ length: workers }, () => workerEntry('sweep-worker'));
  }

  get size(): number {
    return this.workers.length;
  }

  /** Runs every value of `scene`'s sweep, each on whichever worker is free; resolves in the sweep's order. */
  async run(scene: Scene, limits: Limits, onProgress?: (fraction: number) => void): Promise<{ value: number; result: RunResult }[]> {
    const { param, values } = scene.sweep!;
    const sweep = ++this.sweeps;
    const jobs = values.map((value, index) => {
      const single: Scene = { ...scene, params: { ...scene.params, [param]: value } };
      delete single.sweep;
      return { sweep, index, scene: single, limits };
    });
    const results = new Array<RunResult>(jobs.length);
    let next = 0;
    let done = 0;
    const listeners: { worker: Worker; message: (reply: Reply) => void; error: (error: Error) => void }[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const feed = (worker: Worker): void => {
          const job = jobs[next++];
          if (job) worker.postMessage(job);
        };
        for (const worker of this.workers.slice(0, jobs.length)) {
          const message = (reply: Reply): void => {
            if (reply.sweep !== sweep) return;
            if (reply.error !== undefined) return reject(Object.assign(new Error(reply.error.message), { name: reply.error.name }));
            results[reply.index] = reply.result!;
            done++;
            onProgress?.(done / jobs.length);
            if (done === jobs.length) resolve();
            else feed(worker);
          };
          listeners.push({ worker, message, error: reject });
          worker.on('message', message).on('error', reject);
          for (let k = 0; k < IN_FLIGHT; k++) feed(worker);
        }
        if (jobs.length === 0) resolve();
      });
    } finally {
      for (const { worker, message, error } of listeners) worker.off('message', message).off('error', error);
    }
    return values.map((value, index) => ({ value, result: results[index]! }));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}

/** Runs a sweep on `workers` threads started for it, and stops them after. */
export async function runSweepInWorkers(scene: Scene, workers: number, limits: Limits, onProgress?: (fraction: number) => void): Promise<{ value: number; result: RunResult }[]> {
  const pool = new SweepPool(Math.min(workers, scene.sweep!.values.length));
  try {
    return await pool.run(scene, limits, onProgress);
  } finally {
    await pool.close();
  }
}
