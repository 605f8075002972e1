/**
 * The package's public API as its doc comments give it: every export of `spikescope`
 * (src/index.ts) and `spikescope/view` (src/view/index.ts) with its summary and `@example` blocks,
 * read with the TypeScript compiler (tests/api-docs.test.ts checks that none lacks either); and
 * the examples as one TypeScript file, their free names (such as `scene` or `app`) declared once,
 * which tests/package.test.ts type-checks against the packed package's declarations.
 */
import { join, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '..');
const ENTRY_POINTS = { spikescope: 'src/index.ts', 'spikescope/view': 'src/view/index.ts' } as const;

/** Heads each example in the generated file, so that an error names its export. */
const MARK = '//@example of ';

/** What the examples use without saying where it comes from. */
const PRELUDE = `import { readFileSync, writeFileSync } from 'node:fs';
import { Application } from 'pixi.js';
import { map, Observable, Subject } from 'rxjs';
import * as spikescope from 'spikescope';
import * as view from 'spikescope/view';
import { $SPIKESCOPE } from 'spikescope';
import { $VIEW } from 'spikescope/view';
declare const scene: spikescope.Scene, text: string, big: boolean, bytes: Uint8Array, recording: spikescope.Recording, recorder: spikescope.Recorder;
declare const hand$: Subject<spikescope.Input>, control$: Observable<spikescope.ClockControl>, frames$: Observable<spikescope.SimFrame<spikescope.RealtimeTick>>;
declare const app: Application, scope: view.Oscilloscope, status: { textContent: string }, draw: (frame: spikescope.Frame) => void;
`;

export interface Export {
  entry: string;
  name: string;
  summary: string;
  examples: string[];
  isType: boolean;
}

/** Every public export with its doc comment (a program of the sources, not type-checked as a whole). */
export function publicExports(): Export[] {
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

/** Every example of `api` in one module, each in its own block headed by MARK and its export's name. */
export function examplesSource(api: readonly Export[]): string {
  const names = (entry: string): string => api.filter((e) => e.entry === entry).map((e) => (e.isType ? `type ${e.name}` : e.name)).join(', ');
  const prelude = PRELUDE.replace('$SPIKESCOPE', names('spikescope')).replace('$VIEW', names('spikescope/view'));
  const blocks = api.flatMap(({ entry, name, examples }) => examples.map((code) => `${MARK}${entry}: ${name}\n{\n${code}}\n`));
  return `${prelude}\n${blocks.join('\n')}export {};\n`;
}

/** A type error in the examples' file as "<export>: <line> — <message>". */
export function describeExampleError(d: ts.Diagnostic): string {
  const { line } = d.file!.getLineAndCharacterOfPosition(d.start!);
  const lines = d.file!.text.split('\n');
  const owner = lines.slice(0, line + 1).reverse().find((l) => l.startsWith(MARK)) ?? 'prelude';
  return `${owner.slice(MARK.length)}: ${lines[line]!.trim()} — ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`;
}
