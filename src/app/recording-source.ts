/** A recording opened on the page (a picked or dropped file, JSON text, an object) as it goes to the engine worker. */
import { checkFileSize } from '../session/file.ts';
import { RecordingError } from '../session/recording.ts';
import type { RecordingSource } from '../engine/protocol.ts';

/** A file's bytes (bounded before reading), JSON text, or an object as JSON text. */
export async function recordingSource(source: Blob | string | object | RecordingSource): Promise<RecordingSource> {
  // A share link's log (share-link.ts), already JSON text.
  if (typeof source === 'object' && source !== null && 'log' in source && typeof source.log === 'string' && Object.keys(source).length === 1) return { log: source.log };
  if (source instanceof Blob) {
    checkFileSize(source.size);
    return { bytes: new Uint8Array(await source.arrayBuffer()) };
  }
  if (typeof source === 'string') return { text: source };
  let text: string | undefined;
  try {
    text = JSON.stringify(source);
  } catch (error) {
    throw new RecordingError(`not a recording: it cannot be read as JSON (${(error as Error).message})`);
  }
  if (typeof text !== 'string') throw new RecordingError('not a recording: expected a recording object or its JSON text');
  return { text };
}
