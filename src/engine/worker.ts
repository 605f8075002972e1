/**
 * The engine worker: hosts one Session (through EngineHost) off the main thread, so that the
 * page's main thread only draws. Created by client.ts with
 * `new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' })`; vite bundles it.
 *
 * When the page is cross-origin isolated, a large network is split across helper workers that
 * this worker starts (threads.ts).
 *
 * Every message is handled in arrival order. While a recording runs, its draft goes to
 * IndexedDB every second (at most ~1–2 s of input is lost if the page goes away).
 */
import { clearDraft, loadDraft, saveDraft } from '../session/autosave.ts';
import { EngineHost } from './host.ts';
import type { EngineMessage, EngineRequest } from './protocol.ts';
import { threadsFor } from './threads.ts';

interface WorkerScope {
  name: string;
  postMessage(message: EngineMessage, transfer: Transferable[]): void;
  onmessage: ((event: MessageEvent<EngineRequest>) => void) | null;
}

const scope = self as unknown as WorkerScope;
// The page can ask for transferred frame buffers (`?transfer=1`, to measure): see HostOptions.transfer.
const host = new EngineHost((message, transfer) => scope.postMessage(message, transfer), { save: saveDraft, load: loadDraft, clear: clearDraft }, { transfer: scope.name.includes('transfer'), threads: threadsFor });

scope.onmessage = (event) => host.handle(event.data);
setInterval(() => void host.saveDraft(), 1000);
