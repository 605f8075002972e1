/**
 * The package's public API is documented: every export of `spikescope` (src/index.ts) and
 * `spikescope/view` (src/view/index.ts) has a doc comment with a summary and an `@example` — what
 * TypeDoc (`npm run docs`) publishes. (The examples are type-checked by tests/package.test.ts,
 * against the packed package's declarations, in one program with the README's example.)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publicExports } from './api-examples.ts';

const ROOT = resolve(import.meta.dirname, '..');

describe('public API docs', () => {
  const api = publicExports();

  it('every public export has a summary and an @example', () => {
    expect(api.length).toBeGreaterThan(40);
    const lacking = api.flatMap(({ entry, name, summary, examples }) => {
      const lacks = [summary === '' && 'a doc comment', examples.every((e) => e.trim() === '') && 'an @example (a ```ts block)'].filter(Boolean);
      return lacks.length > 0 ? [`${entry}: ${name} lacks ${lacks.join(' and ')}`] : [];
    });
    expect(lacking).toEqual([]);
  });

  it('npm run docs builds the TypeDoc pages (it fails on an undocumented export or public method)', () => {
    const out = mkdtempSync(join(tmpdir(), 'spikescope-docs-'));
    try {
      const typedoc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typedoc/bin/typedoc'), '--out', out], { cwd: ROOT, encoding: 'utf8' });
      expect(typedoc.status, typedoc.stdout + typedoc.stderr).toBe(0);
      expect(existsSync(join(out, 'functions/spikescope.simulate.html'))).toBe(true);
      expect(existsSync(join(out, 'classes/spikescope_view.Oscilloscope.html'))).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 600_000);
});
