import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble, moduleText, watFiles } from '../scripts/build-wasm.ts';

describe('WebAssembly kernels', () => {
  const files = watFiles();

  it('there are the two the engine uses (izhikevich-2003.wat, counter-random.wat)', () => {
    expect(files.map((file) => basename(file))).toEqual(['counter-random.wat', 'izhikevich-2003.wat']);
  });

  for (const file of files) {
    it(`${basename(file)}: the committed ${basename(file, '.wat')}.wasm.ts is this text assembled (run \`npm run build:wasm\` after an edit), and both variants validate`, async () => {
      const name = basename(file, '.wat');
      const bytes = await assemble(name, readFileSync(file, 'utf8'));
      expect(readFileSync(file.replace(/\.wat$/, '.wasm.ts'), 'utf8')).toBe(moduleText(name, bytes));
      expect(WebAssembly.validate(bytes.shared)).toBe(true);
      expect(WebAssembly.validate(bytes.plain)).toBe(true);
      expect(bytes.plain).not.toEqual(bytes.shared);
    });
  }
});
