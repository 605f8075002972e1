/**
 * Statistics of a network's spikes over a window of simulated time: firing rates, the ISI CV and
 * the peak frequencies of the population rate's alpha and gamma rhythms. One definition, used by
 * the tests and by tools/izhikevich-2003-stats.ts, and mirrored line for line by
 * tools/izhikevich_2003_paper.py (the reference table); docs/izhikevich-2003.md states it in words.
 *
 * For a window [fromMs, toMs) of a run with time step dtMs, a spike of step k (the engine's time
 * (k + 1)·dtMs) belongs to it when fromMs ≤ k·dtMs < toMs — the step starts in the window:
 *  - rates: spikes in the window per neuron per second, over all neurons, the excitatory ones
 *    (0 … excitatory−1) and the inhibitory ones;
 *  - ISI CV: for each neuron with at least 3 spikes in the window, the standard deviation (divided
 *    by the count) of its intervals between consecutive spikes over their mean; the mean over those
 *    neurons;
 *  - population rate: spikes of all neurons in 1 ms bins (bin b holds the steps that start in
 *    [fromMs + b, fromMs + b + 1)), so the window must be whole milliseconds of whole steps;
 *  - spectrum (Welch): segments of 1000 bins (1 s) starting every 500 bins, as many as fit; each
 *    has its mean subtracted and is multiplied by the periodic Hann window 0.5 − 0.5·cos(2πn/1000);
 *    the power |Σ x_n e^{−2πi f n/1000}|² at whole frequencies f Hz, averaged over segments;
 *  - alphaHz: the f of the largest power in 5 … 15 Hz; gammaHz: in 20 … 80 Hz (ties: the lower f).
 */
import * as deterministic from './numerics/deterministic-math.ts';

export interface SpikeList {
  step: ArrayLike<number>;
  neuron: ArrayLike<number>;
}

export interface StatisticsWindow {
  neurons: number;
  /** Neurons 0 … excitatory−1 are excitatory, the rest inhibitory. */
  excitatory: number;
  dtMs: number;
  fromMs: number;
  toMs: number;
}

export interface NetworkStatistics {
  rateHz: number;
  excitatoryHz: number;
  inhibitoryHz: number;
  isiCv: number;
  /** Neurons that had at least 3 spikes in the window (those the ISI CV averages). */
  cvNeurons: number;
  alphaHz: number;
  gammaHz: number;
}

/** Where the rhythms' peaks are searched, in Hz (inclusive). */
export const ALPHA_SEARCH_HZ = [5, 15] as const;
export const GAMMA_SEARCH_HZ = [20, 80] as const;
/** Welch segment length and hop, in 1 ms bins. */
export const SEGMENT_BINS = 1000;
const HOP_BINS = 500;

/** Whole steps of dtMs in `ms`, or an error: the windows and bins must fall on step boundaries. */
function wholeSteps(ms: number, dtMs: number, what: string): number {
  const steps = Math.round(ms / dtMs);
  if (Math.abs(steps * dtMs - ms) > 1e-9 * Math.max(1, ms)) throw new Error(`${what} (${ms} ms) is not a whole number of steps of ${dtMs} ms`);
  return steps;
}

export function networkStatistics(spikes: SpikeList, window: StatisticsWindow): NetworkStatistics {
  const { neurons, excitatory, dtMs, fromMs, toMs } = window;
  const stepsPerBin = wholeSteps(1, dtMs, 'a 1 ms bin');
  const first = wholeSteps(fromMs, dtMs, 'the window start');
  const end = wholeSteps(toMs, dtMs, 'the window end');
  const bins = (end - first) / stepsPerBin;
  if (!Number.isInteger(bins) || bins < SEGMENT_BINS) throw new Error(`the window must be whole milliseconds, at least ${SEGMENT_BINS} ms`);
  const seconds = (toMs - fromMs) / 1000;

  const counts = new Float64Array(bins);
  const spikesOf = new Int32Array(neurons);
  const lastStep = new Int32Array(neurons).fill(-1);
  // Per neuron: the sum and the sum of squares of its intervals (in steps), for the CV.
  const intervalSum = new Float64Array(neurons);
  const intervalSquares = new Float64Array(neurons);
  let excitatorySpikes = 0;
  let total = 0;
  for (let s = 0; s < spikes.step.length; s++) {
    const k = spikes.step[s]!;
    if (k < first || k >= end) continue;
    const i = spikes.neuron[s]!;
    counts[Math.floor((k - first) / stepsPerBin)]!++;
    total++;
    if (i < excitatory) excitatorySpikes++;
    spikesOf[i]!++;
    if (lastStep[i]! >= 0) {
      const interval = k - lastStep[i]!;
      intervalSum[i]! += interval;
      intervalSquares[i]! += interval * interval;
    }
    lastStep[i] = k;
  }
  let cvSum = 0;
  let cvNeurons = 0;
  for (let i = 0; i < neurons; i++) {
    const intervals = spikesOf[i]! - 1;
    if (intervals < 2) continue;
    const mean = intervalSum[i]! / intervals;
    const variance = Math.max(0, intervalSquares[i]! / intervals - mean * mean);
    cvSum += Math.sqrt(variance) / mean;
    cvNeurons++;
  }
  const power = populationSpectrum(counts);
  return {
    rateHz: total / neurons / seconds,
    excitatoryHz: excitatorySpikes / excitatory / seconds,
    inhibitoryHz: (total - excitatorySpikes) / (neurons - excitatory) / seconds,
    isiCv: cvNeurons > 0 ? cvSum / cvNeurons : NaN,
    cvNeurons,
    alphaHz: peak(power, ALPHA_SEARCH_HZ),
    gammaHz: peak(power, GAMMA_SEARCH_HZ),
  };
}

/**
 * The Welch spectrum of the header of 1 ms population counts: power at f = 0 … 80 Hz (index f),
 * averaged over the segments of SEGMENT_BINS that start every HOP_BINS.
 */
export function populationSpectrum(counts: ArrayLike<number>, maxHz = GAMMA_SEARCH_HZ[1]): Float64Array {
  const m = SEGMENT_BINS;
  const window = new Float64Array(m);
  const cos = new Float64Array(m);
  const sin = new Float64Array(m);
  for (let n = 0; n < m; n++) {
    window[n] = 0.5 - 0.5 * deterministic.cos((2 * Math.PI * n) / m);
    cos[n] = deterministic.cos((2 * Math.PI * n) / m);
    sin[n] = deterministic.sin((2 * Math.PI * n) / m);
  }
  const power = new Float64Array(maxHz + 1);
  const x = new Float64Array(m);
  let segments = 0;
  for (let start = 0; start + m <= counts.length; start += HOP_BINS) {
    let mean = 0;
    for (let n = 0; n < m; n++) mean += counts[start + n]!;
    mean /= m;
    for (let n = 0; n < m; n++) x[n] = (counts[start + n]! - mean) * window[n]!;
    for (let f = 0; f <= maxHz; f++) {
      let re = 0;
      let im = 0;
      // e^{−2πi f n/m}: the phase f·n mod m indexes the tables exactly.
      for (let n = 0, phase = 0; n < m; n++, phase = (phase + f) % m) {
        re += x[n]! * cos[phase]!;
        im -= x[n]! * sin[phase]!;
      }
      power[f]! += re * re + im * im;
    }
    segments++;
  }
  for (let f = 0; f <= maxHz; f++) power[f]! /= segments;
  return power;
}

/** The frequency of the largest power in [lo, hi] Hz; the lower one on a tie. */
function peak(power: Float64Array, [lo, hi]: readonly [number, number]): number {
  let best = lo;
  for (let f = lo + 1; f <= hi; f++) if (power[f]! > power[best]!) best = f;
  return best;
}

/** Mean, standard deviation (n − 1), min and max of a statistic over runs (seeds). */
export interface Spread {
  mean: number;
  sd: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) * (b - mean), 0) / (values.length - 1));
  return { mean, sd, min: Math.min(...values), max: Math.max(...values) };
}
