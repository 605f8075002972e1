/**
 * Files of the command line: every file read is bounded by its size before it is read (stat,
 * then a read that stops past the limit, for pipes and devices whose size stat does not know),
 * and every output path is checked before the run is computed, so that a typo in --out never
 * costs a whole run. Outputs are written in chunks, never as one giant string.
 */
import { closeSync, constants, accessSync, fstatSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './args.ts';

/** The bytes of a file of at most `limit` bytes (the limit named `limitName` in limits.ts), or a UsageError (size or read error) naming it. */
export function readBounded(path: string, what: string, limit: number, limitName: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) throw new UsageError(`cannot read ${what} ${path}: it is a directory`);
    if (stat.size > limit) throw new UsageError(`${what} ${path} is too large: ${stat.size} bytes, at most ${limit} (limit "${limitName}")`);
    // Read at most limit + 1 bytes whatever stat said (a pipe, a device, a file that grows).
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(Math.min(1 << 20, limit + 1 - total));
      if (chunk.length === 0) throw new UsageError(`${what} ${path} is too large: more than ${limit} bytes (limit "${limitName}")`);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    return bytes;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  } finally {
    closeSync(fd);
  }
}

/** A file's text (UTF-8), bounded like readBounded. */
export function readTextBounded(path: string, what: string, limit: number, limitName: string): string {
  return new TextDecoder().decode(readBounded(path, what, limit, limitName));
}

/** Checks, before any work, that `path` can be written: its directory exists and is writable, and it is not a directory. */
export function checkWritable(path: string): void {
  const dir = dirname(resolve(path));
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new UsageError(`cannot write ${path}: the directory ${dir} does not exist`);
  }
  if (!isDir) throw new UsageError(`cannot write ${path}: ${dir} is not a directory`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new UsageError(`cannot write ${path}: the directory ${dir} is not writable`);
  }
  try {
    if (statSync(path).isDirectory()) throw new UsageError(`cannot write ${path}: it is a directory`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // Does not exist yet: fine.
  }
}

/** Writes chunks (text or bytes) to `path` (or stdout when undefined), buffered, without joining them into one string. */
export function writeChunks(path: string | undefined, chunks: Iterable<string | Uint8Array>): void {
  let fd: number;
  try {
    fd = path === undefined ? 1 : openSync(path, 'w');
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
  }
  const encoder = new TextEncoder();
  let buffer: string[] = [];
  let buffered = 0;
  const writeBytes = (bytes: Uint8Array): void => {
    for (let at = 0; at < bytes.length; ) at += writeFully(fd, bytes.subarray(at));
  };
  const flush = (): void => {
    writeBytes(encoder.encode(buffer.join('')));
    buffer = [];
    buffered = 0;
  };
  try {
    for (const chunk of chunks) {
      if (typeof chunk !== 'string') {
        flush();
        writeBytes(chunk);
        continue;
      }
      buffer.push(chunk);
      buffered += chunk.length;
      if (buffered >= 1 << 20) flush();
    }
    flush();
  } finally {
    if (path !== undefined) closeSync(fd);
  }
}

/** One write; stdout may be a non-blocking pipe, which answers EAGAIN when full: wait and retry. */
function writeFully(fd: number, bytes: Uint8Array): number {
  for (;;) {
    try {
      return writeSync(fd, bytes);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}
