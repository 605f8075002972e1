/**
 * The helper's side of threads.ts: what a helper thread (a Node worker or a Web Worker) runs.
 * The worker entry only wires its messages to `handle`. On an attach message the helper builds
 * the model's part from the shared arrays and loops — waiting for a command, running the step's
 * two phases around the barrier — until the host tells it to return (to take another kernel's
 * arrays) or to quit.
 */
import { models } from './models/index.ts';
import { ATTACHED, barrier, COMMAND, EPOCH, FAILED, FINISHED, HELPER_PARTS, PROFILING, QUIT, RETURN, WANTED, waitWhile, type AttachMessage, type HelperInit, type ThreadPart } from './threads.ts';

export class ThreadHelper {
  private readonly control: Int32Array;
  /** This helper's HELPER_PARTS times (ms), added up while the host profiles. */
  private readonly timing: Float64Array;
  private readonly helper: number;
  private readonly threads: number;
  private quit = false;

  constructor(init: HelperInit) {
    this.control = new Int32Array(init.control);
    this.timing = new Float64Array(init.timing, 8 * HELPER_PARTS.length * init.helper, HELPER_PARTS.length);
    this.helper = init.helper;
    this.threads = init.threads;
  }

  handle(message: AttachMessage): void {
    const c = this.control;
    if (this.quit || message.type !== 'attach' || Atomics.load(c, WANTED) !== message.id) return;
    let part: ThreadPart;
    try {
      const make = models[message.model as keyof typeof models]?.threadPart;
      if (!make) throw new Error(`model ${message.model} cannot be split across threads`);
      part = make(message.shared, message.worker);
    } catch (error) {
      this.fail(error);
      return;
    }
    // Read the epoch first: a command issued after this read is seen, whatever happens next.
    let seen = Atomics.load(c, EPOCH);
    if (Atomics.load(c, WANTED) !== message.id) return;
    Atomics.store(c, ATTACHED + this.helper, message.id);
    Atomics.notify(c, ATTACHED + this.helper);
    const finished = FINISHED(this.threads) + this.helper;
    const timing = this.timing;
    for (;;) {
      waitWhile(c, EPOCH, seen);
      const profiling = Atomics.load(c, PROFILING) === 1;
      let time = profiling ? performance.now() : 0;
      seen = Atomics.load(c, EPOCH);
      const command = Atomics.load(c, COMMAND);
      if (command === RETURN || command === QUIT) {
        this.quit = command === QUIT;
        Atomics.store(c, ATTACHED + this.helper, 0);
        Atomics.notify(c, ATTACHED + this.helper);
        return;
      }
      let ok = true;
      try {
        part.phase1();
      } catch (error) {
        ok = false;
        this.fail(error);
      }
      if (profiling) time = lap(timing, 0, time);
      // Always at the barrier, failed or not: the others wait there.
      barrier(c, this.threads);
      if (profiling) time = lap(timing, 1, time);
      if (ok) {
        try {
          part.phase2();
        } catch (error) {
          this.fail(error);
        }
      }
      if (profiling) lap(timing, 2, time);
      Atomics.store(c, finished, seen);
      Atomics.notify(c, finished);
    }
  }

  private fail(error: unknown): void {
    console.error(`spikescope helper thread ${this.helper}:`, error);
    Atomics.store(this.control, FAILED, 1);
  }
}

/** Adds the time since `since` to timing[part]; returns now. */
function lap(timing: Float64Array, part: number, since: number): number {
  const now = performance.now();
  timing[part]! += now - since;
  return now;
}
