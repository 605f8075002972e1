/**
 * A Node worker thread for headless runs: it runs the scenes it is sent through the same
 * operator path as the main thread (runScene) and posts the results back.
 */
import { parentPort } from 'node:worker_threads';
import type { Limits } from '../core/limits.ts';
import type { Scene } from '../core/scene.ts';
import { runScene } from '../stream/run.ts';

parentPort!.on('message', (job: { index: number; scene: Scene; limits: Limits }) => {
  try {
    parentPort!.postMessage({ index: job.index, result: runScene(job.scene, { limits: job.limits }) });
  } catch (error) {
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    parentPort!.postMessage({ index: job.index, error: { name, message } });
  }
});
