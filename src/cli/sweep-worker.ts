/**
 * A Node worker thread for headless runs: it runs the scenes it is sent through the same
 * operator path as the main thread (runScene) and posts the results back, handing over the
 * buffers of its traces and spikes rather than copying them (they are the run's own).
 */
import { parentPort } from 'node:worker_threads';
import type { Limits } from '../core/limits.ts';
import type { Scene } from '../core/scene.ts';
import { runScene } from '../stream/run.ts';

parentPort!.on('message', (job: { sweep: number; index: number; scene: Scene; limits: Limits }) => {
  const { sweep, index } = job;
  try {
    const result = runScene(job.scene, { limits: job.limits });
    const { step, neuron, timeMs } = result.spikes;
    const buffers = [...result.traces, step, neuron, timeMs].map((array) => array.buffer as ArrayBuffer);
    parentPort!.postMessage({ sweep, index, result }, [...new Set(buffers)]);
  } catch (error) {
    const { name, message } = error instanceof Error ? error : { name: 'Error', message: String(error) };
    parentPort!.postMessage({ sweep, index, error: { name, message } });
  }
});
