/**
 * The Node CLI, as the browser tests call it to verify the recordings made in the page: its own
 * entry point (src/cli/main.ts), bundled once per test file by esbuild, as the bench runs its
 * cases — under tsx every call would spend 1.5–5 s on this machine loading the sources. The
 * helper threads' entry (src/cli/thread-worker.ts) is bundled beside it: `--threads N` loads it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '../..');
let bundle: string | undefined;

function cliBundle(): string {
  if (!bundle) {
    const dir = mkdtempSync(join(tmpdir(), 'spikescope-cli-'));
    buildSync({
      entryPoints: { cli: resolve(ROOT, 'src/cli/main.ts'), 'thread-worker': resolve(ROOT, 'src/cli/thread-worker.ts') },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outdir: dir,
      outExtension: { '.js': '.mjs' },
      logLevel: 'warning',
    });
    bundle = join(dir, 'cli.mjs');
  }
  return bundle;
}

/** The CLI's verdict on a recording file (`replay FILE --verify [options]`: exit 0 identical, 1 not, 2 bad file). */
export function cliVerify(file: string, ...options: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cliBundle(), 'replay', file, '--verify', ...options], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs the CLI with `args` (e.g. `run scene.json`): its exit status, stdout and stderr. */
export function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cliBundle(), ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
