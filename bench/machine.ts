/**
 * How many cores' worth of arithmetic this machine gives right now: a pure arithmetic loop (no
 * memory traffic) on 1 thread, then on N threads at once; the ratio of their throughputs. With a
 * core per thread it is N; a virtual machine whose virtual cores share a physical one (or a busy
 * host) gives less — on our 2-core VM it measured from 0.77 to 2.14 within one evening
 * (2026-11-30). No split of a network across threads can speed it up beyond that, so the bench
 * prints it at its start and end, beside the speed-ups it measures.
 */
import { Worker } from 'node:worker_threads';

/** The loop: two dependent multiply-adds per turn, in registers. Posts millions of turns per second. */
const LOOP = `
const { parentPort, workerData } = require('node:worker_threads');
let x = 1.0001, y = 0.5;
const turns = workerData;
const start = performance.now();
for (let i = 0; i < turns; i++) { x = x * 0.9999999 + 1e-7; y = y * x + 0.25 - y * y; }
parentPort.postMessage(x + y > -1 ? turns / (performance.now() - start) / 1e3 : 0);
`;

/** Combined throughput (millions of turns per second) of `threads` threads running the loop at once. */
function throughput(threads: number, turns: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const workers = Array.from({ length: threads }, () => new Worker(LOOP, { eval: true, workerData: turns }));
    let total = 0;
    let done = 0;
    for (const worker of workers) {
      worker.once('error', reject).once('message', (rate: number) => {
        total += rate;
        void worker.terminate();
        if (++done === threads) resolve(total);
      });
    }
  });
}

/**
 * The throughput of `threads` threads at once over that of 1 (each run ~0.3 s): three runs of
 * each, alternately, and the median of the three side-by-side ratios — this machine's speed per
 * thread drifts within seconds, and two bests from different seconds gave ratios above N.
 */
export async function coreScaling(threads: number): Promise<number> {
  const turns = 1e8;
  const ratios: number[] = [];
  for (let k = 0; k < 3; k++) {
    const one = await throughput(1, turns);
    ratios.push((await throughput(threads, turns)) / one);
  }
  return ratios.sort((a, b) => a - b)[1]!;
}

export function coreScalingText(threads: number, scaling: number): string {
  const drift = scaling > threads * 1.05 ? `; above ${threads}×: one thread's speed changed between the runs` : '';
  return `${threads} threads of a pure arithmetic loop ran ${scaling.toFixed(2)}× as fast together as 1 (${threads}× with a core each${drift})`;
}
