/**
 * What the views hold, kept exactly (Float64) for the exports when there is no recording: the
 * last `capacity` steps of every channel and the spikes of those steps. It starts over when the
 * channels change (a neuron picked) or the run jumps (a seek), so it is always one stretch of
 * one run.
 */
import type { Scene } from '../core/scene.ts';
import type { Channel } from '../core/simulation.ts';
import type { SessionFrame } from '../session/session.ts';
import type { RunResult } from '../stream/run.ts';

export class ViewHistory {
  private channels: Channel[] = [];
  private traces: Float64Array[] = [];
  /** Steps [first, end) are held (first ≥ end − capacity). */
  private first = 0;
  private end = -1;
  private readonly spikeStep: Int32Array;
  private readonly spikeNeuron: Int32Array;
  private readonly spikeTime: Float64Array;
  private spikes = 0;

  constructor(
    private readonly capacity = 1 << 17,
    private readonly spikeCapacity = 1 << 18,
  ) {
    this.spikeStep = new Int32Array(spikeCapacity);
    this.spikeNeuron = new Int32Array(spikeCapacity);
    this.spikeTime = new Float64Array(spikeCapacity);
  }

  clear(): void {
    this.end = -1;
    this.spikes = 0;
  }

  push(frame: SessionFrame): void {
    const sameChannels = frame.channels.length === this.channels.length && frame.channels.every((c, i) => c.name === this.channels[i]!.name);
    if (!sameChannels) {
      this.channels = frame.channels;
      this.traces = frame.channels.map(() => new Float64Array(this.capacity));
      this.clear();
    }
    if (this.end !== frame.firstStep) {
      this.clear();
      this.first = this.end = frame.firstStep;
    }
    const n = frame.steps;
    for (let c = 0; c < this.traces.length; c++) {
      const ring = this.traces[c]!;
      const trace = frame.traces[c]!;
      for (let k = Math.max(0, n - this.capacity); k < n; k++) ring[(frame.firstStep + k) % this.capacity] = trace[k]!;
    }
    this.end += n;
    this.first = Math.max(this.first, this.end - this.capacity);
    const { step, neuron, timeMs } = frame.spikes;
    for (let s = 0; s < step.length; s++) {
      const at = this.spikes++ % this.spikeCapacity;
      this.spikeStep[at] = step[s]!;
      this.spikeNeuron[at] = neuron[s]!;
      this.spikeTime[at] = timeMs[s]!;
    }
  }

  /** Steps held. */
  get steps(): number {
    return Math.max(0, this.end - this.first);
  }

  /** The held stretch as a run result (the CSV writers' input). */
  toRunResult(scene: Scene): RunResult {
    const steps = this.steps;
    const traces = this.traces.map((ring) => {
      const out = new Float64Array(steps);
      for (let k = 0; k < steps; k++) out[k] = ring[(this.first + k) % this.capacity]!;
      return out;
    });
    const kept: number[] = [];
    for (let i = Math.max(0, this.spikes - this.spikeCapacity); i < this.spikes; i++) {
      const at = i % this.spikeCapacity;
      if (this.spikeStep[at]! >= this.first) kept.push(at);
    }
    return {
      scene,
      dtMs: scene.dtMs,
      firstStep: this.first,
      steps,
      channels: this.channels,
      traces,
      spikes: {
        step: Int32Array.from(kept, (at) => this.spikeStep[at]!),
        neuron: Int32Array.from(kept, (at) => this.spikeNeuron[at]!),
        timeMs: Float64Array.from(kept, (at) => this.spikeTime[at]!),
      },
      events: [],
    };
  }
}
