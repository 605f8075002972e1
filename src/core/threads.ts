/**
 * One network split across threads: the host thread (the one that drives the simulation) and
 * W − 1 helper threads (Node worker_threads, or Web Workers in the page) compute each step
 * together on memory they share (SharedArrayBuffer), synchronised with Atomics. Nothing here
 * knows a model: a model that can be split (ModelDefinition.threadPart) hands the pool its shared
 * arrays, and each helper builds its part from them (thread-helper.ts).
 *
 * A step is two phases with one barrier between them:
 *   host: writes the step's scalars, `startStep()` wakes the helpers;
 *   all:  phase 1 on their own neurons (update, threshold, publish who fired), `barrier()`,
 *         phase 2 (each adds the step's spikes into the input of its own neurons).
 * The host returns from the step after its own phase 2, without waiting for the helpers' (the
 * next step cannot start before they have passed the barrier, so they never fall a step behind);
 * before touching state a helper may still write, the host calls `settle()`.
 *
 * Attaching: a kernel asks for the helpers with `attach(id, model, shared)`. The helpers leave
 * whatever kernel they served (command RETURN), receive the new shared arrays by message and
 * report `attached = id`. Until every helper reports it, the kernel computes its steps alone —
 * the results do not depend on how many threads compute a step, so nothing waits for a helper
 * to start. A pool made with `blockingAttach` (Node) waits for them instead, so that every step
 * is split from the first.
 *
 * Shared words (Int32Array over `control`): see the offsets below. Waits spin for up to 50 µs (a
 * step of a large network is a few hundred µs: a futex sleep and wake-up would cost tens of µs
 * each), then sleep in Atomics.wait.
 */

/** Anything that carries messages to a helper: a Node Worker or a Web Worker. */
export interface ThreadPort {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

/** The message that gives a helper the shared arrays of a kernel. */
export interface AttachMessage {
  type: 'attach';
  id: number;
  model: string;
  /** Structured-cloneable: typed arrays over SharedArrayBuffers (shared, not copied). */
  shared: unknown;
  /** The helper's worker index in the partition (1 … W − 1; the host is 0). */
  worker: number;
}

/** What a helper thread is started with. */
export interface HelperInit {
  control: SharedArrayBuffer;
  /** ms per part of HELPER_PARTS for each helper (Float64, HELPER_PARTS.length per thread), added up while PROFILING is 1. */
  timing: SharedArrayBuffer;
  helper: number;
  threads: number;
}

// Offsets in the control words.
export const EPOCH = 0;
export const COMMAND = 1;
/** The latest kernel asked for (helpers skip an attach that is not the latest). */
export const WANTED = 2;
const BARRIER_COUNT = 3;
const BARRIER_GENERATION = 4;
/** A helper that failed writes 1 here (its message goes to its console); the host throws. */
export const FAILED = 5;
/** 1 while the helpers time their loop (ThreadPool.profileHelpers). */
export const PROFILING = 6;
/** Per helper h (1 … W − 1): the kernel it serves (0: none), and the epoch of the last command it finished. */
export const ATTACHED = 8;
export const FINISHED = (threads: number): number => ATTACHED + threads;
const controlWords = (threads: number): number => ATTACHED + 2 * threads;

/**
 * Where a helper's time goes in a step, when profiled: its phase 1, the barrier (waiting for the
 * other threads' phase 1), its phase 2. The rest of its time it waits for the host to start a step.
 */
export const HELPER_PARTS = ['phase 1', 'barrier', 'phase 2'] as const;

export const STEP = 1;
export const RETURN = 2;
export const QUIT = 3;

/**
 * How long a wait spins before it sleeps, ms. A step of the 100k network is ~0.2 ms per thread
 * and the gap between two steps a few µs: a helper that spins through it is woken by a cache line
 * (~0.1 µs), one that slept by a futex (tens of µs, and the waker may lose its core to it).
 */
const SPIN_MS = 0.05;
/** The host gives up on a barrier or a settle after this long: a helper stopped responding. */
const HOST_TIMEOUT_MS = 60_000;

/** Waits until control[index] differs from `value` (spins, then sleeps); false on timeout. */
export function waitWhile(control: Int32Array, index: number, value: number, timeoutMs = Infinity): boolean {
  if (Atomics.load(control, index) !== value) return true;
  const spinUntil = performance.now() + SPIN_MS;
  for (let i = 1; ; i++) {
    if (Atomics.load(control, index) !== value) return true;
    if ((i & 255) === 0 && performance.now() > spinUntil) break;
  }
  const end = timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
  while (Atomics.load(control, index) === value) {
    const left = end - performance.now();
    if (left <= 0) return false;
    Atomics.wait(control, index, value, left === Infinity ? undefined : left);
  }
  return true;
}

/**
 * The barrier between the phases of a step, for `threads` participants (sense by generation:
 * the last to arrive resets the count and moves the generation on, waking the others).
 */
export function barrier(control: Int32Array, threads: number, timeoutMs = Infinity): boolean {
  const generation = Atomics.load(control, BARRIER_GENERATION);
  if (Atomics.add(control, BARRIER_COUNT, 1) === threads - 1) {
    Atomics.store(control, BARRIER_COUNT, 0);
    Atomics.add(control, BARRIER_GENERATION, 1);
    Atomics.notify(control, BARRIER_GENERATION);
    return true;
  }
  return waitWhile(control, BARRIER_GENERATION, generation, timeoutMs);
}

export class ThreadPool {
  /** Threads that compute a step: the host and the helpers. */
  readonly threads: number;
  readonly control: Int32Array;
  private readonly timing: Float64Array;
  private readonly ports: ThreadPort[];
  private readonly blockingAttach: boolean;
  private nextId = 1;
  private closed = false;

  /**
   * `spawn(init)` starts helper number init.helper (1 … threads − 1) on this control block. A
   * blocking pool waits for its helpers when a kernel attaches (allowed where Atomics.wait is:
   * Node, workers); a non-blocking one lets the kernel compute alone until they are there.
   */
  constructor(threads: number, spawn: (init: HelperInit) => ThreadPort, options: { blockingAttach?: boolean } = {}) {
    if (!Number.isInteger(threads) || threads < 2) throw new Error(`a thread pool needs at least 2 threads, not ${threads}`);
    this.threads = threads;
    this.blockingAttach = options.blockingAttach ?? false;
    const buffer = new SharedArrayBuffer(4 * controlWords(threads));
    this.control = new Int32Array(buffer);
    const timing = new SharedArrayBuffer(8 * HELPER_PARTS.length * threads);
    this.timing = new Float64Array(timing);
    this.ports = Array.from({ length: threads - 1 }, (_, h) => spawn({ control: buffer, timing, helper: h + 1, threads }));
  }

  /** A fresh id for a kernel's attachment (a kernel whose shared arrays change takes a new one). */
  newId(): number {
    return this.nextId++;
  }

  /** Whether every helper serves kernel `id` (and the pool still works). */
  attached(id: number): boolean {
    if (this.closed) return false;
    const c = this.control;
    if (Atomics.load(c, FAILED) !== 0) throw new Error('a helper thread failed (its error is in its console); the run stops');
    for (let h = 1; h < this.threads; h++) if (Atomics.load(c, ATTACHED + h) !== id) return false;
    return Atomics.load(c, WANTED) === id;
  }

  /** Asks every helper to serve kernel `id`, with the shared arrays of `model`. */
  attach(id: number, model: string, shared: unknown): void {
    if (this.closed) return;
    const c = this.control;
    Atomics.store(c, WANTED, id);
    this.command(RETURN);
    this.ports.forEach((port, h) => port.postMessage({ type: 'attach', id, model, shared, worker: h + 1 } satisfies AttachMessage));
    if (this.blockingAttach) {
      for (let h = 1; h < this.threads; h++) {
        for (;;) {
          const now = Atomics.load(c, ATTACHED + h);
          if (now === id) break;
          if (Atomics.load(c, WANTED) !== id) return;
          if (!waitWhile(c, ATTACHED + h, now, HOST_TIMEOUT_MS)) throw new Error(`helper thread ${h} did not start within ${HOST_TIMEOUT_MS / 1000} s`);
        }
      }
    }
  }

  /** Wakes the helpers for a step's phase 1 (the step's scalars are written before). Returns the command's epoch. */
  startStep(): number {
    return this.command(STEP);
  }

  /** The barrier between phase 1 and phase 2, on the host's side. */
  barrier(): void {
    if (!barrier(this.control, this.threads, HOST_TIMEOUT_MS)) throw new Error(`a helper thread did not reach the end of a step's first phase within ${HOST_TIMEOUT_MS / 1000} s`);
    if (Atomics.load(this.control, FAILED) !== 0) throw new Error('a helper thread failed (its error is in its console); the run stops');
  }

  /** Waits until every helper has finished the command of `epoch` (its phase 2). */
  settle(epoch: number): void {
    const c = this.control;
    const finished = FINISHED(this.threads);
    for (let h = 1; h < this.threads; h++) {
      for (;;) {
        const now = Atomics.load(c, finished + h);
        if (now >= epoch || Atomics.load(c, ATTACHED + h) === 0) break;
        if (!waitWhile(c, finished + h, now, HOST_TIMEOUT_MS)) throw new Error(`helper thread ${h} did not finish a step within ${HOST_TIMEOUT_MS / 1000} s`);
      }
    }
  }

  /**
   * Starts timing the helpers' loops from zero (`true`), or stops. The helpers add to the times
   * read by `helperProfile` at the end of each step; two clock reads per part cost nothing
   * beside a step worth splitting.
   */
  profileHelpers(on: boolean): void {
    if (on) this.timing.fill(0);
    Atomics.store(this.control, PROFILING, on ? 1 : 0);
  }

  /** For helper h = 1 … threads − 1: ms per part of HELPER_PARTS since profileHelpers(true) (settled steps only). */
  helperProfile(helper: number): Float64Array {
    return this.timing.slice(HELPER_PARTS.length * helper, HELPER_PARTS.length * (helper + 1));
  }

  /** Stops the helpers (they leave their loop and end). */
  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.closed = true;
    this.command(QUIT);
    return Promise.all(this.ports.map((port) => port.terminate())).then(() => undefined);
  }

  private command(command: number): number {
    const c = this.control;
    Atomics.store(c, COMMAND, command);
    const epoch = Atomics.add(c, EPOCH, 1) + 1;
    Atomics.notify(c, EPOCH);
    return epoch;
  }
}

/** What a model runs on a helper thread: the two phases of a step, on its own neurons. */
export interface ThreadPart {
  phase1(): void;
  phase2(): void;
}

let current: ThreadPool | undefined;

/** Makes `pool` the threads that new simulations split their networks across (undefined: one thread). */
export function useThreads(pool: ThreadPool | undefined): void {
  current = pool;
}

/** The pool set by useThreads, if any. */
export function currentThreads(): ThreadPool | undefined {
  return current;
}

/** Whether this JavaScript environment can share memory between threads (the page: only when cross-origin isolated). */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
}

/** Most threads a run takes by default. */
export const MAX_DEFAULT_THREADS = 8;
/**
 * Fewest neurons per thread for a split to pay by default: each step costs every thread a wake-up
 * and a barrier (~5–20 µs), while a step of 20 000 neurons takes ~50 µs on one core.
 */
export const MIN_NEURONS_PER_THREAD = 20_000;

/**
 * The default number of threads of a run: one per available core, at most MAX_DEFAULT_THREADS,
 * and no more than one per MIN_NEURONS_PER_THREAD neurons; 1 for models that cannot be split.
 */
export function defaultThreads(neurons: number, splittable: boolean, cores: number): number {
  if (!splittable) return 1;
  return Math.max(1, Math.min(cores, MAX_DEFAULT_THREADS, Math.floor(neurons / MIN_NEURONS_PER_THREAD)));
}
