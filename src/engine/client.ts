/**
 * The main thread's end of the engine protocol: posts requests to the engine worker, routes its
 * frames to the run of the session they belong to (frames of a session the page has left are
 * dropped), and turns calls into promises.
 *
 * `EngineClient.worker()` starts the worker; `EngineClient.local()` runs an EngineHost in this
 * thread behind the same interface (answers come in microtasks, never synchronously), for the
 * gallery's small presets and for tests in Node.
 */
import { EngineHost } from './host.ts';
import type { RasterUpdate } from '../stream/raster-bins.ts';
import { fromWireError, type CallArgs, type CallName, type CallResult, type EngineMessage, type EnginePort, type EngineRequest } from './protocol.ts';

export interface FrameMessage extends Extract<EngineMessage, { type: 'frame' }> {}

export interface SessionListener {
  /** An advance's answer; `receivedAt` is performance.now() when its message arrived, before it was read. */
  frame(message: FrameMessage, receivedAt: number): void;
  /** The session stopped (divergence). */
  failed(error: Error): void;
  /** An input or setting was refused; the session goes on. */
  rejected(error: Error): void;
  /** The raster binned again for a new view. */
  raster?(update: RasterUpdate): void;
}

export class EngineClient {
  private nextSession = 1;
  private nextCall = 1;
  private readonly calls = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly listeners = new Map<number, SessionListener>();
  private broken: Error | undefined;

  constructor(private readonly port: EnginePort) {
    port.onmessage = (event) => {
      // Read before touching event.data: its deserialisation is part of what the main thread pays per frame.
      const receivedAt = performance.now();
      this.receive(event.data, receivedAt);
    };
  }

  /** The engine in a Web Worker (vite bundles worker.ts). `transfer`: transfer frame buffers instead of copying them (to measure). */
  static worker(options: { transfer?: boolean } = {}): EngineClient {
    const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: options.transfer ? 'spikescope-engine transfer' : 'spikescope-engine' });
    const client = new EngineClient(worker as unknown as EnginePort);
    worker.addEventListener('error', (event) => client.fail(new Error(`the engine worker failed: ${event.message || 'it could not start'}`)));
    worker.addEventListener('messageerror', () => client.fail(new Error('a message from the engine worker could not be read')));
    return client;
  }

  /** The engine in this thread, answering in microtasks. */
  static local(): EngineClient {
    const port: EnginePort = {
      onmessage: null,
      postMessage: (request) => queueMicrotask(() => host.handle(request)),
    };
    const host = new EngineHost((message) => queueMicrotask(() => port.onmessage?.({ data: message })));
    return new EngineClient(port);
  }

  /** A new session number (the page opens sessions; the engine hosts the latest). */
  newSession(): number {
    return this.nextSession++;
  }

  send(request: EngineRequest): void {
    if (this.broken) return;
    this.port.postMessage(request);
  }

  call<N extends CallName>(session: number, name: N, args: CallArgs<N>): Promise<CallResult<N>> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextCall++;
    return new Promise<CallResult<N>>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (value: unknown) => void, reject });
      try {
        this.port.postMessage({ type: 'call', id, session, name, args } as EngineRequest);
      } catch (error) {
        // e.g. a DataCloneError: nothing reached the engine.
        this.calls.delete(id);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Routes a session's frames and errors to `listener` until the returned function is called. */
  listen(session: number, listener: SessionListener): () => void {
    this.listeners.set(session, listener);
    return () => {
      if (this.listeners.get(session) === listener) this.listeners.delete(session);
    };
  }

  terminate(): void {
    this.port.terminate?.();
  }

  private receive(message: EngineMessage, receivedAt: number): void {
    switch (message.type) {
      case 'frame':
        this.listeners.get(message.session)?.frame(message, receivedAt);
        return;
      case 'failed':
        this.listeners.get(message.session)?.failed(fromWireError(message.error));
        return;
      case 'rejected':
        this.listeners.get(message.session)?.rejected(fromWireError(message.error));
        return;
      case 'raster':
        this.listeners.get(message.session)?.raster?.(message.update);
        return;
      case 'reply': {
        const call = this.calls.get(message.id);
        if (!call) return;
        this.calls.delete(message.id);
        if (message.ok) call.resolve(message.value);
        else call.reject(fromWireError(message.error));
        return;
      }
    }
  }

  /** The worker itself failed: every session stops with the message, every pending call fails. */
  private fail(error: Error): void {
    if (this.broken) return;
    this.broken = error;
    for (const listener of this.listeners.values()) listener.failed(error);
    for (const call of this.calls.values()) call.reject(error);
    this.calls.clear();
  }
}
