/**
 * The package's public API is documented: every export of `spikescope` (src/index.ts) and
 * `spikescope/view` (src/view/index.ts) has a doc comment whose first line is a one-line summary
 * and an `@example` — what TypeDoc (`npm run docs`) publishes. Read with the TypeScript compiler.
 */
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

export const ENTRY_POINTS = { spikescope: 'src/index.ts', 'spikescope/view': 'src/view/index.ts' } as const;

/** Every export of an entry point, with what its declarations' doc comments lack. */
function undocumented(): string[] {
  const program = ts.createProgram(Object.values(ENTRY_POINTS), { allowImportingTsExtensions: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler });
  const checker = program.getTypeChecker();
  const problems: string[] = [];
  for (const [name, path] of Object.entries(ENTRY_POINTS)) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(path)!)!;
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const summary = ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
      const tags = symbol.getJsDocTags(checker).map((tag) => tag.name);
      const lacks = [summary === '' && 'a doc comment', !tags.includes('example') && 'an @example'].filter(Boolean);
      if (lacks.length > 0) problems.push(`${name}: ${exported.name} lacks ${lacks.join(' and ')}`);
    }
  }
  return problems;
}

describe('public API docs', () => {
  it('every public export has a one-line summary and an @example', () => {
    expect(undocumented()).toEqual([]);
  });
});
