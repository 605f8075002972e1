/**
 * The package's public API is documented: every export of `spikescope` (src/index.ts) and
 * `spikescope/view` (src/view/index.ts) has a doc comment with a summary and an `@example` — what
 * TypeDoc (`npm run docs`) publishes — and every example type-checks against the package (its
 * free names, such as `scene` or `app`, declared once below). Read with the TypeScript compiler.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const ENTRY_POINTS = { spikescope: 'src/index.ts', 'spikescope/view': 'src/view/index.ts' } as const;

/** Heads each example in the generated file, so that an error names its export. */
const MARK = '//@example of ';

/** What the examples use without saying where it comes from. */
const PRELUDE = `import { readFileSync, writeFileSync } from 'node:fs';
import { Application } from 'pixi.js';
import { Observable, Subject } from 'rxjs';
import * as spikescope from 'spikescope';
import * as view from 'spikescope/view';
import { $SPIKESCOPE } from 'spikescope';
import { $VIEW } from 'spikescope/view';
declare const scene: spikescope.Scene, text: string, big: boolean, bytes: Uint8Array, recording: spikescope.Recording, recorder: spikescope.Recorder;
declare const hand$: Subject<spikescope.Input>, control$: Observable<spikescope.ClockControl>, frames$: Observable<spikescope.SimFrame<spikescope.RealtimeTick>>;
declare const app: Application, scope: view.Oscilloscope, status: { textContent: string }, draw: (frame: spikescope.Frame) => void;
`;

interface Export {
  entry: string;
  name: string;
  summary: string;
  examples: string[];
  isType: boolean;
}

function publicExports(): Export[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
  const program = ts.createProgram(Object.values(ENTRY_POINTS).map((path) => join(ROOT, path)), config.options);
  const checker = program.getTypeChecker();
  const result: Export[] = [];
  for (const [entry, path] of Object.entries(ENTRY_POINTS)) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(join(ROOT, path))!)!;
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const examples = symbol
        .getJsDocTags(checker)
        .filter((tag) => tag.name === 'example')
        .map((tag) => /```ts\n([\s\S]*?)```/.exec(ts.displayPartsToString(tag.text))?.[1] ?? '');
      const isType = (symbol.flags & (ts.SymbolFlags.Value | ts.SymbolFlags.Class)) === 0;
      result.push({ entry, name: exported.name, summary: ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim(), examples, isType });
    }
  }
  return result;
}

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

  it('every @example type-checks against the package', () => {
    const names = (entry: string): string => api.filter((e) => e.entry === entry).map((e) => (e.isType ? `type ${e.name}` : e.name)).join(', ');
    const prelude = PRELUDE.replace('$SPIKESCOPE', names('spikescope')).replace('$VIEW', names('spikescope/view'));
    const blocks = api.flatMap(({ entry, name, examples }) => examples.map((code) => `${MARK}${entry}: ${name}\n{\n${code}}\n`));
    const dir = join(ROOT, 'test-artifacts');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'api-examples.ts');
    writeFileSync(file, `${prelude}\n${blocks.join('\n')}export {};\n`);
    const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const program = ts.createProgram([file], { ...config.options, noUnusedLocals: false });
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === file)
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start!);
        const lines = d.file!.text.split('\n');
        const owner = lines.slice(0, line + 1).reverse().find((l) => l.startsWith(MARK)) ?? 'prelude';
        return `${owner.slice(MARK.length)}: ${lines[line]!.trim()} — ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
      });
    expect(problems).toEqual([]);
    // A program of the whole source: 30–80 s on a loaded 2-core machine.
  }, 300_000);

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
