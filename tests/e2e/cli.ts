/** The Node CLI, as the browser tests call it to verify the recordings made in the page. */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** The CLI's verdict on a recording file (`replay FILE --verify`: exit 0 identical, 1 not, 2 bad file). */
export function cliVerify(file: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'replay', file, '--verify'], { cwd: ROOT, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
