/**
 * Keeps the recording in progress in IndexedDB as it grows, so that a reload or a crash
 * loses at most the last `intervalMs` of input. Only the log is saved (scene, start state,
 * events, steps): the output is rebuilt by replay when the draft is offered back.
 */
import { parseRecording, type Recording } from './recording.ts';

const DB_NAME = 'spikescope';
const STORE = 'drafts';
const KEY = 'recording-in-progress';

export interface SavedDraft {
  draft: Recording;
  /** Whether the recording kept traces. */
  traces: boolean;
  savedAt: number;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

function openDb(): Promise<IDBDatabase> {
  const req = indexedDB.open(DB_NAME, 1);
  req.onupgradeneeded = () => req.result.createObjectStore(STORE);
  return request(req);
}

async function withStore<T>(mode: IDBTransactionMode, use: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await openDb();
  try {
    return await request(use(db.transaction(STORE, mode).objectStore(STORE)));
  } finally {
    db.close();
  }
}

export function saveDraft(saved: SavedDraft): Promise<unknown> {
  // Stored as JSON text so that what comes back goes through the same validation as a file.
  return withStore('readwrite', (store) => store.put(JSON.stringify(saved), KEY));
}

/** The draft left by an earlier page, validated; undefined when there is none or it is unusable. */
export async function loadDraft(): Promise<SavedDraft | undefined> {
  const text = await withStore('readonly', (store) => store.get(KEY) as IDBRequest<string | undefined>);
  if (typeof text !== 'string') return undefined;
  try {
    const raw = JSON.parse(text) as { draft: unknown; traces: unknown; savedAt: unknown };
    return { draft: parseRecording(JSON.stringify(raw.draft)), traces: raw.traces === true, savedAt: Number(raw.savedAt) || 0 };
  } catch {
    return undefined;
  }
}

export function clearDraft(): Promise<unknown> {
  return withStore('readwrite', (store) => store.delete(KEY));
}

/** Saves `current()` every `intervalMs` while recording; returns a function that stops it. */
export function autosave(current: () => SavedDraft | undefined, intervalMs = 1000): () => void {
  let busy = false;
  const timer = setInterval(() => {
    const saved = current();
    if (!saved || busy) return;
    busy = true;
    saveDraft(saved)
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, intervalMs);
  return () => clearInterval(timer);
}
