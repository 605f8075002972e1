/**
 * Headless runs: a scene and an event log through the same operator the page uses, on a
 * virtual clock, collected into whole-run arrays. The CLI, tests and benchmarks use this.
 */
import { from, tap } from 'rxjs';
import type { InputEvent } from '../core/events.ts';
import { checkLimit, DEFAULT_LIMITS, type Limits } from '../core/limits.ts';
import { stepCount, type Scene } from '../core/scene.ts';
import { Simulation, type Channel } from '../core/simulation.ts';
import { virtualClock } from './clock.ts';
import { simulate } from './simulate.ts';

/**
 * A whole headless run: the scene, every step's traces (one Float64Array per probe), the spikes as
 * parallel arrays, the events applied.
 *
 * @example
 * ```ts
 * const result: RunResult = runScene(builtinScene('lif')!);
 * console.log(result.spikes.timeMs, result.channels[0]!.name, result.traces[0]!.length);
 * ```
 */
export interface RunResult {
  scene: Scene;
  dtMs: number;
  /** The run covers steps firstStep … firstStep+steps−1. */
  firstStep: number;
  steps: number;
  channels: Channel[];
  /** One array per channel, one value per step (the value at the end of the step). */
  traces: Float64Array[];
  spikes: { step: Int32Array; neuron: Int32Array; timeMs: Float64Array };
  events: InputEvent[];
}

export interface RunOptions {
  events?: readonly InputEvent[];
  /** Steps per tick of the virtual clock; the results never depend on it. */
  stepsPerTick?: number;
  /** Called after each tick with the fraction done. */
  onProgress?: (fraction: number) => void;
  /** The run stops with a LimitError once it has made more spikes than `limits.spikes` (default: the defaults). */
  limits?: Limits;
}

/**
 * Runs a scene from start to end (with an optional event log) through the model operator,
 * synchronously, and gathers the frames into one {@link RunResult}.
 *
 * @example
 * ```ts
 * const result = runScene(builtinScene('lif')!);
 * console.log(Array.from(result.spikes.timeMs)); // [11, 26, 41] (ms)
 * ```
 */
export function runScene(scene: Scene, options: RunOptions = {}): RunResult {
  return runSimulation(new Simulation(scene), stepCount(scene), options);
}

/** Runs `steps` steps of a simulation from wherever it is (a replay may start mid-run). */
export function runSimulation(simulation: Simulation, steps: number, options: RunOptions = {}): RunResult {
  const scene = simulation.scene;
  const firstStep = simulation.step;
  let result: RunResult | undefined;
  let failure: unknown;
  const spikeSteps: Int32Array[] = [];
  const spikeNeurons: Int32Array[] = [];
  const spikeTimes: Float64Array[] = [];
  const events: InputEvent[] = [];
  const channels = simulation.channels;
  const limits = options.limits ?? DEFAULT_LIMITS;
  checkLimit(limits, 'traceSamples', steps * channels.length, 'steps', steps, ` of traces (this is ${steps * channels.length}: ${steps} steps × ${channels.length} probes)`);
  const traces = channels.map(() => new Float64Array(steps));
  let spikes = 0;
  virtualClock(steps, options.stepsPerTick ?? 1000, firstStep)
    .pipe(
      simulate(() => simulation, from(options.events ?? [])),
      // In the pipe, so that a run past the limit ends in the error callback.
      tap((frame) => {
        spikes += frame.spikes.step.length;
        checkLimit(limits, 'spikes', spikes, 'spikes', spikes, ` (the run reached step ${frame.firstStep + frame.steps})`);
      }),
    )
    .subscribe({
      next: (frame) => {
        frame.traces.forEach((trace, c) => traces[c]!.set(trace, frame.firstStep - firstStep));
        spikeSteps.push(frame.spikes.step);
        spikeNeurons.push(frame.spikes.neuron);
        spikeTimes.push(frame.spikes.timeMs);
        events.push(...frame.events);
        options.onProgress?.((frame.firstStep + frame.steps - firstStep) / steps);
      },
      error: (error) => (failure = error),
      complete: () => {
        result = {
          scene,
          dtMs: scene.dtMs,
          firstStep,
          steps,
          channels,
          traces,
          spikes: { step: concat(Int32Array, spikeSteps), neuron: concat(Int32Array, spikeNeurons), timeMs: concat(Float64Array, spikeTimes) },
          events,
        };
      },
    });
  if (failure !== undefined) throw failure;
  if (!result) throw new Error('the run did not complete');
  return result;
}

/**
 * Runs a scene once per value of its sweep (or once when it has none).
 *
 * @example
 * ```ts
 * for (const { value, result } of runSweep(builtinScene('ring-sweep')!)) console.log(value, result.spikes.step.length);
 * ```
 */
export function runSweep(scene: Scene, options: RunOptions = {}): { value: number | undefined; result: RunResult }[] {
  if (!scene.sweep) return [{ value: undefined, result: runScene(scene, options) }];
  const { param, values } = scene.sweep;
  return values.map((value) => {
    const single: Scene = { ...scene, params: { ...scene.params, [param]: value } };
    delete single.sweep;
    return { value, result: runScene(single, options) };
  });
}

function concat<T extends Int32Array | Float64Array>(kind: { new (n: number): T }, parts: T[]): T {
  const out = new kind(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part as never, at);
    at += part.length;
  }
  return out;
}
