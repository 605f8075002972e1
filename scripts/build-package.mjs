#!/usr/bin/env node
/**
 * Builds the npm package into dist/lib (`npm run build:package`, and `npm pack` through its
 * prepack step): the TypeScript compiler, per file, with `.d.ts` declarations beside the JS
 * (tsconfig.build.json: the entry points `spikescope`, `spikescope/view` and the `spikescope`
 * command with its worker threads). dist/lib is emptied first, so nothing stale ships.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
rmSync(join(root, 'dist/lib'), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
// The command runs straight from its file (npm links it as the `spikescope` bin).
chmodSync(join(root, 'dist/lib/cli/main.js'), 0o755);
