/**
 * Node worker threads for the command line's worker entries (sweep-worker, thread-worker), found
 * beside this file with its extension: from the TypeScript sources (the CLI under tsx, the tests)
 * the entry's .ts runs through tsx; from the built package (dist/lib/cli/*.js) or a bundle that
 * bundles the entries beside itself (*.mjs: the bench, the browser tests' CLI) the built file
 * runs, with no tsx.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function workerEntry(name: string, options: WorkerOptions = {}): Worker {
  const extension = import.meta.url.slice(import.meta.url.lastIndexOf('.'));
  const url = new URL(`./${name}${extension}`, import.meta.url);
  if (extension !== '.ts') return new Worker(url, options);
  return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`, { ...options, eval: true });
}
