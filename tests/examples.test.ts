import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('README examples', () => {
  it('the hand-pulse example runs and prints what the README says', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'docs/examples/hand-pulse.ts'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const readme = readFileSync('README.md', 'utf8');
    const printed = /It prints:\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(printed).toBeDefined();
    expect(result.stdout).toBe(printed);
    // The README shows the example file as it is.
    expect(readme).toContain(readFileSync('docs/examples/hand-pulse.ts', 'utf8'));
  });

  it('the phase-plane example runs and prints what the README says', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'docs/examples/phase-plane.ts'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const readme = readFileSync('README.md', 'utf8');
    expect(/The phase-plane example prints:\n\n```\n([\s\S]*?)```/.exec(readme)?.[1]).toBe(result.stdout);
    expect(readme).toContain(readFileSync('docs/examples/phase-plane.ts', 'utf8'));
  });
});
