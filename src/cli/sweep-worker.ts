/**
 * A Node worker thread for headless runs: it runs the scenes it is sent through the same
 * operator path as the main thread (runScene) and posts the results back.
 */
import { parentPort } from 'node:worker_threads';
import type { Scene } from '../core/scene.ts';
import { runScene } from '../stream/run.ts';

parentPort!.on('message', (job: { index: number; scene: Scene }) => {
  try {
    parentPort!.postMessage({ index: job.index, result: runScene(job.scene) });
  } catch (error) {
    parentPort!.postMessage({ index: job.index, error: (error as Error).message });
  }
});
