/**
 * Run outputs in the formats the CLI and the page export: the JSON contract, traces as CSV
 * (time column, one column per probe, units in the header) and spikes as CSV (time, neuron).
 * Times are the end of each step, (step + 1)·dt, the convention every model shares.
 */
import type { RunResult } from '../stream/run.ts';

export interface RunJson {
  dtMs: number;
  steps: number;
  spikes: { timeMs: number[]; neuron: number[] };
  traces: Record<string, number[]>;
  units: Record<string, string>;
}

export function runToJson(result: RunResult): RunJson {
  const traces: Record<string, number[]> = {};
  const units: Record<string, string> = {};
  result.channels.forEach((channel, c) => {
    traces[channel.name] = Array.from(result.traces[c]!);
    units[channel.name] = channel.unit;
  });
  return {
    dtMs: result.dtMs,
    steps: result.steps,
    spikes: { timeMs: Array.from(result.spikes.timeMs), neuron: Array.from(result.spikes.neuron) },
    traces,
    units,
  };
}

export function tracesToCsv(result: RunResult): string {
  const header = ['time (ms)', ...result.channels.map((c) => (c.unit ? `${c.name} (${c.unit})` : c.name))];
  const lines = [header.map(csvField).join(',')];
  for (let k = 0; k < result.steps; k++) {
    let line = String((result.firstStep + k + 1) * result.dtMs);
    for (const trace of result.traces) line += ',' + String(trace[k]);
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

export function spikesToCsv(result: RunResult): string {
  const lines = ['time (ms),neuron'];
  for (let s = 0; s < result.spikes.neuron.length; s++) lines.push(`${result.spikes.timeMs[s]},${result.spikes.neuron[s]}`);
  return lines.join('\n') + '\n';
}

function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
