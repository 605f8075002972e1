/**
 * Runs one benchmark case and prints its measurement as one JSON line on stdout (progress on
 * stderr). bench/run.ts starts one of these per case, in a fresh Node process.
 */
import { findCase, runCase } from './cases.ts';

const at = process.argv.indexOf('--case');
const name = at >= 0 ? process.argv[at + 1] : undefined;
const threadsAt = process.argv.indexOf('--threads');
const threads = threadsAt >= 0 ? Number(process.argv[threadsAt + 1]) : 2;
const benchCase = name === undefined ? undefined : findCase(name);
if (!benchCase) {
  process.stderr.write(`bench child: no case ${String(name)}\n`);
  process.exit(2);
}
// stderr: "log: " lines go with the result, "progress: " lines are shown as they come.
const measurement = await runCase(
  benchCase,
  (line) => process.stderr.write(`log: ${line}\n`),
  (line) => process.stderr.write(`progress: ${line}\n`),
  { threads },
);
process.stdout.write(JSON.stringify(measurement) + '\n');
// Helper threads are unref'd, but a pool closing asynchronously must not hold the exit.
process.exit(0);
