/**
 * Run outputs in the formats the CLI and the page export: the JSON contract, traces as CSV
 * (time column, one column per probe, units in the header) and spikes as CSV (time, neuron).
 * Times are the end of each step, (step + 1)·dt, the convention every model shares.
 *
 * Each format is a generator of text chunks, so that a large run is written piece by piece
 * (the CLI) instead of as one string that could pass the JavaScript engine's string limit;
 * the `…ToCsv` functions join the chunks for the page's downloads.
 */
import type { RunResult } from '../stream/run.ts';

/** Values per chunk of a number list or rows per chunk of a CSV. */
const CHUNK = 8192;

/** A JSON list of finite numbers, in chunks. */
function* numberList(values: ArrayLike<number>): Generator<string> {
  yield '[';
  for (let i = 0; i < values.length; i += CHUNK) {
    const part: string[] = [];
    for (let k = i; k < Math.min(values.length, i + CHUNK); k++) part.push(String(values[k]));
    yield (i > 0 ? ',' : '') + part.join(',');
  }
  yield ']';
}

/** The fields of a run in the JSON contract: "dtMs", "steps", "spikes", "traces", "units" (without the braces). */
function* runFields(result: RunResult): Generator<string> {
  yield `"dtMs":${JSON.stringify(result.dtMs)},"steps":${result.steps},"spikes":{"timeMs":`;
  yield* numberList(result.spikes.timeMs);
  yield ',"neuron":';
  yield* numberList(result.spikes.neuron);
  yield '},"traces":{';
  for (let c = 0; c < result.channels.length; c++) {
    yield `${c > 0 ? ',' : ''}${JSON.stringify(result.channels[c]!.name)}:`;
    yield* numberList(result.traces[c]!);
  }
  yield '},"units":' + JSON.stringify(Object.fromEntries(result.channels.map((channel) => [channel.name, channel.unit]))) + '}';
}

/**
 * The JSON the CLI's `run` prints: `{ "scene", "dtMs", "steps", "spikes": { "timeMs", "neuron" },
 * "traces": { "<probe>": [...] }, "units" }`, or for a sweep `{ "scene", "sweep", "runs": [ { "value", … } ] }`.
 */
export function* runJson(scene: unknown, runs: readonly { value: number | undefined; result: RunResult }[], sweep?: unknown): Generator<string> {
  yield `{"scene":${JSON.stringify(scene)},`;
  if (sweep === undefined) {
    yield* runFields(runs[0]!.result);
    return;
  }
  yield `"sweep":${JSON.stringify(sweep)},"runs":[`;
  for (let r = 0; r < runs.length; r++) {
    yield `${r > 0 ? ',' : ''}{"value":${JSON.stringify(runs[r]!.value)},`;
    yield* runFields(runs[r]!.result);
  }
  yield ']}';
}

export function* tracesCsv(result: RunResult): Generator<string> {
  const header = ['time (ms)', ...result.channels.map((c) => (c.unit ? `${c.name} (${c.unit})` : c.name))];
  yield header.map(csvField).join(',') + '\n';
  for (let k0 = 0; k0 < result.steps; k0 += CHUNK) {
    const lines: string[] = [];
    for (let k = k0; k < Math.min(result.steps, k0 + CHUNK); k++) {
      let line = String((result.firstStep + k + 1) * result.dtMs);
      for (const trace of result.traces) line += ',' + String(trace[k]);
      lines.push(line);
    }
    yield lines.join('\n') + '\n';
  }
}

export function* spikesCsv(result: RunResult): Generator<string> {
  yield 'time (ms),neuron\n';
  const { timeMs, neuron } = result.spikes;
  for (let s0 = 0; s0 < neuron.length; s0 += CHUNK) {
    const lines: string[] = [];
    for (let s = s0; s < Math.min(neuron.length, s0 + CHUNK); s++) lines.push(`${timeMs[s]},${neuron[s]}`);
    yield lines.join('\n') + '\n';
  }
}

/**
 * A run's traces as CSV: `time (ms)`, then one column per probe as `name (unit)`.
 *
 * @example
 * ```ts
 * writeFileSync('traces.csv', tracesToCsv(runScene(builtinScene('hh')!)));
 * ```
 */
export function tracesToCsv(result: RunResult): string {
  return [...tracesCsv(result)].join('');
}

/**
 * A run's spikes as CSV: `time (ms),neuron`, one line per spike.
 *
 * @example
 * ```ts
 * writeFileSync('spikes.csv', spikesToCsv(runScene(builtinScene('ring')!)));
 * ```
 */
export function spikesToCsv(result: RunResult): string {
  return [...spikesCsv(result)].join('');
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
