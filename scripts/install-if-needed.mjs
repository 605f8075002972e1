#!/usr/bin/env node
/**
 * Installs the npm packages (`npm ci`) only when they are missing or stale, and says which in one
 * line: `npm start` and `npm test` (through .ci/setup) run it first. Stale means package-lock.json
 * changed since the last install here: its SHA-256 is kept in node_modules/.spikescope-lock-hash,
 * written after a successful `npm ci` (which empties node_modules, so an install that failed
 * half-way leaves no stamp and the next start installs again). Plain Node: it runs before any
 * package is there.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'node_modules', '.spikescope-lock-hash');
const lockHash = createHash('sha256').update(readFileSync(join(root, 'package-lock.json'))).digest('hex');

const reason = !existsSync(join(root, 'node_modules'))
  ? 'no node_modules'
  : !existsSync(stamp)
    ? 'node_modules was not installed by this script'
    : readFileSync(stamp, 'utf8').trim() !== lockHash
      ? 'package-lock.json changed since the last install'
      : undefined;

if (reason === undefined) {
  console.log('spikescope: packages up to date with package-lock.json, not installing');
} else {
  console.log(`spikescope: installing packages (npm ci): ${reason}`);
  const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (npm.status !== 0) process.exit(npm.status ?? 1);
  writeFileSync(stamp, lockHash + '\n');
}
