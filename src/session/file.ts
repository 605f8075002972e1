/**
 * Recording files as bytes: JSON text, gzip-compressed with the platform's CompressionStream
 * (browsers and Node alike). Reading detects gzip by its magic bytes and bounds both the
 * compressed and the decompressed size, so a hostile file cannot exhaust memory.
 */
import { DEFAULT_LIMITS, type Limits } from '../core/limits.ts';
import { parseRecording, RecordingError, type Recording } from './recording.ts';

/**
 * A recording as the bytes of its file: JSON, gzip-compressed unless `compress` is false.
 *
 * @example
 * ```ts
 * writeFileSync('session.json.gz', await encodeRecording(recorder.finish()));
 * ```
 */
export async function encodeRecording(recording: Recording, compress = true): Promise<Uint8Array> {
  const bytes = new TextEncoder().encode(JSON.stringify(recording));
  return compress ? transform(bytes, new CompressionStream('gzip')) : bytes;
}

/** The check of a file's size, made before reading it where the size is known (a File, a stat). */
export function checkFileSize(size: number, limits: Limits = DEFAULT_LIMITS): void {
  if (size > limits.fileBytes) throw new RecordingError(`the file is too large: ${size} bytes, at most ${limits.fileBytes} (limit "fileBytes")`);
}

/**
 * Reads a recording file's bytes (gzip or not, detected): sizes bounded, every field checked;
 * throws a {@link RecordingError} saying what is wrong.
 *
 * @example
 * ```ts
 * const recording = await decodeRecording(readFileSync('session.json.gz'));
 * console.log(verifyRecording(recording).message);
 * ```
 */
export async function decodeRecording(bytes: Uint8Array, limits: Limits = DEFAULT_LIMITS): Promise<Recording> {
  checkFileSize(bytes.length, limits);
  if (bytes.length === 0) throw new RecordingError('the file is empty');
  let text: Uint8Array = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      text = await transform(bytes, new DecompressionStream('gzip'), limits.textBytes);
    } catch (error) {
      if (error instanceof RecordingError) throw error;
      throw new RecordingError(`the file is not valid gzip (truncated or corrupted?): ${(error as Error).message}`);
    }
  }
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true }).decode(text);
  } catch {
    throw new RecordingError('the file is not UTF-8 text: not a Spikescope recording');
  }
  return parseRecording(decoded, limits);
}

async function transform(bytes: Uint8Array, stream: CompressionStream | DecompressionStream, limit = Infinity): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  const writing = writer.write(bytes as Uint8Array<ArrayBuffer>).then(() => writer.close());
  writing.catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new RecordingError(`the file decompresses to more than ${limit} bytes (limit "textBytes")`);
    }
    chunks.push(value);
  }
  await writing;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}
