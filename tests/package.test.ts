/**
 * The npm package as a user gets it: `npm pack` (its prepack step builds dist/lib), the tarball
 * installed into a scratch project in a temporary folder outside the repository (the package from
 * the tarball; its dependency rxjs from the npm cache or the registry), and then, in that project:
 * the README's Node example importing from `spikescope` and every `@example` of the API docs
 * (type-checked against the package's declarations in one TypeScript program; the README's run by
 * plain Node with its types stripped), `npx spikescope run lif`,
 * `npx spikescope list`, a sweep on worker threads and one network split across threads from the
 * built files, and the usage lines naming `spikescope`. Also: the tarball holds
 * the package and nothing else, and the `spikescope` entry bundles for a browser without a Node
 * module, Pixi, lil-gui or the DOM. Prints the tarball's size.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { buildSync, transformSync } from 'esbuild';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_VERSION } from '../src/session/recording.ts';
import { describeExampleError, examplesSource, publicExports } from './api-examples.ts';

const ROOT = resolve(import.meta.dirname, '..');
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
let scratch: string;
let packed: { filename: string; size: number; unpackedSize: number; files: { path: string }[] };

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** The README's Node example (a TypeScript block importing from 'spikescope') and what it prints. */
function readmeExample(): { code: string; prints: string } {
  const match = /A Node example with a hand pulse[\s\S]*?\n\n```ts\n([\s\S]*?)```\n\nIt prints:\n\n```\n([\s\S]*?)```/.exec(README);
  if (!match) throw new Error('README: the Node example and its "It prints:" block not found');
  return { code: match[1]!, prints: match[2]! };
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'spikescope-scratch-'));
  const [info] = JSON.parse(run('npm', ['pack', '--json', '--loglevel=error', '--pack-destination', scratch], ROOT).stdout) as (typeof packed)[];
  packed = info!;
  writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', `./${packed.filename}`], scratch);
  console.log(
    `package tarball ${packed.filename}: ${(packed.size / 1024).toFixed(1)} kB packed, ${(packed.unpackedSize / 1024).toFixed(1)} kB unpacked, ${packed.files.length} files` +
      ` (${cpus()[0]?.model}, load ${loadavg().map((l) => l.toFixed(2)).join(' ')})`,
  );
}, 600_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the packed package in a scratch project', () => {
  it("is version 0.2.0, the version recordings carry as appVersion", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version).toBe('0.2.0');
    expect(APP_VERSION).toBe(version);
  });

  it('ships the built package and its declarations, not the sources or tests', () => {
    const files = packed.files.map((f) => f.path);
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    for (const entry of ['index', 'view/index', 'cli/main', 'cli/sweep-worker', 'cli/thread-worker']) {
      expect(files).toContain(`dist/lib/${entry}.js`);
      expect(files).toContain(`dist/lib/${entry}.d.ts`);
    }
    expect(files.filter((f) => !f.startsWith('dist/lib/') && !['package.json', 'README.md'].includes(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
  });

  it("the README's Node example and every @example of the API docs type-check against the package's declarations (one program), and the README's runs", () => {
    const { code, prints } = readmeExample();
    expect(code).toMatch(/from 'spikescope'/);
    writeFileSync(join(scratch, 'example.ts'), code);
    const api = publicExports();
    expect(api.length).toBeGreaterThan(40);
    writeFileSync(join(scratch, 'api-examples.ts'), examplesSource(api));
    // What the API examples use besides the package: pixi.js (spikescope/view's optional peer) and
    // Node's types, linked from this repository's node_modules.
    for (const module of ['pixi.js', '@types/node']) {
      mkdirSync(dirname(join(scratch, 'node_modules', module)), { recursive: true });
      symlinkSync(join(ROOT, 'node_modules', module), join(scratch, 'node_modules', module), 'dir');
    }
    const files = ['example.ts', 'api-examples.ts'].map((file) => join(scratch, file));
    const options: ts.CompilerOptions = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      types: ['node'],
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      noEmit: true,
    };
    const program = ts.createProgram(files, options);
    const problems = ts.getPreEmitDiagnostics(program).map((d) =>
      d.file?.fileName === files[1] ? describeExampleError(d) : `${d.file ? relative(scratch, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`,
    );
    expect(problems).toEqual([]);
    // The package's own files come from the tarball's declarations, not the sources.
    const spikescope = program.getSourceFiles().filter((f) => f.fileName.includes('/spikescope/'));
    expect(spikescope.length).toBeGreaterThan(0);
    expect(spikescope.filter((f) => !f.fileName.includes('node_modules/spikescope/dist/lib/') || !f.fileName.endsWith('.d.ts'))).toEqual([]);
    // Plain Node runs the README's example with its types stripped; 'spikescope' and 'rxjs' resolve in the scratch project.
    writeFileSync(join(scratch, 'example.mjs'), transformSync(code, { loader: 'ts', format: 'esm' }).code);
    expect(run(process.execPath, ['example.mjs'], scratch).stdout).toBe(prints);
  }, 300_000);

  it('npx spikescope run lif: the seed LIF spikes at 11, 26 and 41 ms', () => {
    const output = JSON.parse(run('npx', ['--no-install', 'spikescope', 'run', 'lif'], scratch).stdout) as { spikes: { timeMs: number[] } };
    expect(output.spikes.timeMs).toEqual([11, 26, 41]);
  });

  it('npx spikescope list: the built-in scenes', () => {
    const ids = run('npx', ['--no-install', 'spikescope', 'list'], scratch).stdout.trim().split('\n');
    expect(ids).toEqual(expect.arrayContaining(['lif', 'ring', 'ring-sweep', 'hh', 'izhikevich/A', 'izhikevich/T', 'izhikevich-2003']));
  });

  it('npx spikescope run ring-sweep --workers 2: worker threads from the built files, the same results as one thread', () => {
    const threads = run('npx', ['--no-install', 'spikescope', 'run', 'ring-sweep', '--workers', '2', '--duration', '50'], scratch).stdout;
    const one = run('npx', ['--no-install', 'spikescope', 'run', 'ring-sweep', '--duration', '50'], scratch).stdout;
    expect((JSON.parse(threads) as { runs: unknown[] }).runs.length).toBeGreaterThan(1);
    expect(threads).toBe(one);
  });

  it('npx spikescope run izhikevich-2003/sparse-10k --threads 2: one network split across a helper thread from the built files, the same bytes as one thread', () => {
    // An explicit --threads N splits the network N ways whatever its size (MIN_NEURONS_PER_THREAD
    // only bounds the default), and a Node pool waits for its helpers before the first step: a
    // helper that cannot start fails the run (after 60 s) instead of leaving it on one thread.
    const args = ['--no-install', 'spikescope', 'run', 'izhikevich-2003/sparse-10k', '--duration', '200', '--threads'];
    const two = run('npx', [...args, '2'], scratch);
    const one = run('npx', [...args, '1'], scratch);
    expect(two.stderr).toBe('');
    expect((JSON.parse(one.stdout) as { spikes: { timeMs: number[] } }).spikes.timeMs.length).toBeGreaterThan(1000);
    expect(two.stdout === one.stdout, 'the outputs on 2 threads and on 1 differ').toBe(true);
  });

  it('the usage lines and hints say `spikescope`, export\'s too', () => {
    const help = run('npx', ['--no-install', 'spikescope', 'help'], scratch).stdout;
    for (const command of ['list', 'run <', 'record <', 'replay FILE', 'export <']) expect(help).toContain(`\n  spikescope ${command}`);
    expect(help).not.toContain('npm run cli');
    const exportWithout = spawnSync('npx', ['--no-install', 'spikescope', 'export', 'no-such-scene', '--to', 'pynn'], { cwd: scratch, encoding: 'utf8' });
    expect(exportWithout.status).toBe(2);
    expect(exportWithout.stderr).toContain('(see `spikescope list`)');
    expect(exportWithout.stderr).toContain('usage: spikescope export <');
  });

  it('spikescope bundles for a browser: no Node module, no Pixi, no lil-gui; spikescope/view resolves', () => {
    const entry = join(scratch, 'browser-entry.mjs');
    writeFileSync(entry, "import * as spikescope from 'spikescope'; globalThis.spikescope = spikescope;\n");
    // platform 'browser' fails the build on any import of a Node built-in.
    const result = buildSync({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent', absWorkingDir: scratch });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.includes('node_modules/spikescope/dist/lib/core/'))).toBe(true);
    expect(inputs.filter((path) => /pixi|lil-gui|node:/.test(path))).toEqual([]);
    const resolved = run(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('spikescope/view'))"], scratch).stdout.trim();
    expect(resolved).toMatch(/node_modules\/spikescope\/dist\/lib\/view\/index\.js$/);
  });
});
