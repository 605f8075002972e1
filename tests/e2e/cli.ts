/**
 * The Node CLI, as the browser tests call it to verify the recordings made in the page: its own
 * entry point (src/cli/main.ts), bundled once per test file by esbuild, as the bench runs its
 * cases — under tsx every call would spend 1.5–5 s on this machine loading the sources.
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
    bundle = join(mkdtempSync(join(tmpdir(), 'spikescope-cli-')), 'cli.mjs');
    buildSync({ entryPoints: [resolve(ROOT, 'src/cli/main.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundle, logLevel: 'warning' });
  }
  return bundle;
}

/** The CLI's verdict on a recording file (`replay FILE --verify`: exit 0 identical, 1 not, 2 bad file). */
export function cliVerify(file: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cliBundle(), 'replay', file, '--verify'], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
