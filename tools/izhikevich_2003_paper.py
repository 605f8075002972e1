#!/usr/bin/env python3
"""The MATLAB program of Izhikevich (2003), "Simple model of spiking neurons" (IEEE TNN 14:1569),
transcribed line by line, and the statistics of its spikes over many seeds: the reference for
Spikescope's scene izhikevich-2003/paper (options.stepping 'paper').

The published program (the paper's listing), with the Python line that does it:

    Ne=800; Ni=200;
    re=rand(Ne,1); ri=rand(Ni,1);
    a=[0.02*ones(Ne,1); 0.02+0.08*ri];
    b=[0.2*ones(Ne,1); 0.25-0.05*ri];
    c=[-65+15*re.^2; -65*ones(Ni,1)];
    d=[8-6*re.^2; 2*ones(Ni,1)];
    S=[0.5*rand(Ne+Ni,Ne), -rand(Ne+Ni,Ni)];
    v=-65*ones(Ne+Ni,1); u=b.*v; firings=[];
    for t=1:1000
      I=[5*randn(Ne,1);2*randn(Ni,1)];
      fired=find(v>=30);
      firings=[firings; t+0*fired,fired];
      v(fired)=c(fired);
      u(fired)=u(fired)+d(fired);
      I=I+sum(S(:,fired),2);
      v=v+0.5*(0.04*v.^2+5*v+140-u+I);
      v=v+0.5*(0.04*v.^2+5*v+140-u+I);
      u=u+a.*(b.*v-u);
    end;

Random numbers: numpy's legacy generator, np.random.RandomState(seed) (Mersenne Twister; rand is
random_sample, randn standard_normal), drawn in the program's order; rand(N, M) is filled column by
column as MATLAB does. It is not Spikescope's generator, so the comparison is statistical.

Spike times. The program finds at the start of iteration t (t = 1, 2, ...) the neurons whose v
crossed 30 mV during iteration t - 1, and labels them t. Here they are given Spikescope's index and
time: the crossing happened in 1 ms step k = t - 2 (0-based), at time k + 1 ms (the end of the step
in which v crossed). The loop runs T + 1 iterations so that the crossings of the last step, k = T - 1,
are found.

Statistics (the same definitions as src/core/spike-statistics.ts, written out in its header): rates,
ISI CV, and the alpha (5-15 Hz) and gamma (20-80 Hz) peaks of a Welch spectrum (1 s periodic-Hann
segments every 0.5 s) of the population's 1 ms spike counts; over windows of the run.

Writes:
  tests/reference/izhikevich-2003-paper.json         the statistics of every seed, and their mean,
                                                     standard deviation (n - 1), min and max, per window
  tests/reference/izhikevich-2003-paper-spikes.json  the spikes of one seed in one window and their
                                                     statistics, to check the TypeScript statistics on

Run from the repository root (Debian's python3 with python3-numpy; takes ~30 s):
  /usr/bin/python3 tools/izhikevich_2003_paper.py
"""
import argparse
import json
import math
import sys

import numpy as np

ALPHA_SEARCH_HZ = (5, 15)
GAMMA_SEARCH_HZ = (20, 80)
SEGMENT_BINS = 1000
HOP_BINS = 500


def run(seed, T, Ne=800, Ni=200):
    """The paper's program for T ms; returns the spikes as (step k, neuron) arrays, in the order found."""
    rng = np.random.RandomState(seed)
    rand = lambda rows, cols: rng.random_sample((cols, rows)).T  # MATLAB fills column by column
    randn = lambda rows: rng.standard_normal(rows)
    N = Ne + Ni
    re = rand(Ne, 1)[:, 0]
    ri = rand(Ni, 1)[:, 0]
    a = np.concatenate([0.02 * np.ones(Ne), 0.02 + 0.08 * ri])
    b = np.concatenate([0.2 * np.ones(Ne), 0.25 - 0.05 * ri])
    c = np.concatenate([-65 + 15 * re**2, -65 * np.ones(Ni)])
    d = np.concatenate([8 - 6 * re**2, 2 * np.ones(Ni)])
    S = np.hstack([0.5 * rand(N, Ne), -rand(N, Ni)])
    v = -65 * np.ones(N)
    u = b * v
    steps, neurons = [], []
    for t in range(1, T + 2):
        I = np.concatenate([5 * randn(Ne), 2 * randn(Ni)])
        fired = np.nonzero(v >= 30)[0]
        steps.append(np.full(len(fired), t - 2))
        neurons.append(fired)
        v[fired] = c[fired]
        u[fired] = u[fired] + d[fired]
        I = I + S[:, fired].sum(axis=1)
        v = v + 0.5 * (0.04 * v**2 + 5 * v + 140 - u + I)
        v = v + 0.5 * (0.04 * v**2 + 5 * v + 140 - u + I)
        u = u + a * (b * v - u)
    return np.concatenate(steps).astype(np.int64), np.concatenate(neurons).astype(np.int64)


def population_spectrum(counts, max_hz=GAMMA_SEARCH_HZ[1]):
    """Welch: 1000-bin segments every 500 bins, mean removed, periodic Hann, power at 0 ... max_hz Hz."""
    m = SEGMENT_BINS
    n = np.arange(m)
    window = 0.5 - 0.5 * np.cos(2 * np.pi * n / m)
    f = np.arange(max_hz + 1)
    phase = np.outer(f, n) % m
    cos, sin = np.cos(2 * np.pi * phase / m), np.sin(2 * np.pi * phase / m)
    power = np.zeros(max_hz + 1)
    segments = 0
    for start in range(0, len(counts) - m + 1, HOP_BINS):
        x = counts[start:start + m]
        x = (x - x.mean()) * window
        power += (cos @ x) ** 2 + (sin @ x) ** 2
        segments += 1
    return power / segments


def peak(power, band):
    lo, hi = band
    return int(lo + np.argmax(power[lo:hi + 1]))  # argmax: the first (lower) on a tie


def statistics(steps, neurons, N, Ne, from_ms, to_ms):
    """Statistics of the spikes whose 1 ms step k has from_ms <= k < to_ms (dt = 1 ms)."""
    inside = (steps >= from_ms) & (steps < to_ms)
    k, i = steps[inside], neurons[inside]
    seconds = (to_ms - from_ms) / 1000
    counts = np.bincount(k - from_ms, minlength=to_ms - from_ms).astype(float)
    excitatory = int(np.sum(i < Ne))
    cvs = []
    for neuron in range(N):
        times = k[i == neuron]
        if len(times) < 3:
            continue
        intervals = np.diff(times).astype(float)
        mean = intervals.sum() / len(intervals)
        variance = max(0.0, (intervals**2).sum() / len(intervals) - mean * mean)
        cvs.append(math.sqrt(variance) / mean)
    power = population_spectrum(counts)
    return {
        'rateHz': len(k) / N / seconds,
        'excitatoryHz': excitatory / Ne / seconds,
        'inhibitoryHz': (len(k) - excitatory) / (N - Ne) / seconds,
        'isiCv': sum(cvs) / len(cvs),
        'cvNeurons': len(cvs),
        'alphaHz': peak(power, ALPHA_SEARCH_HZ),
        'gammaHz': peak(power, GAMMA_SEARCH_HZ),
    }


def summary(rows):
    keys = rows[0].keys()
    out = {}
    for key in keys:
        values = np.array([row[key] for row in rows], dtype=float)
        out[key] = {'mean': values.mean(), 'sd': values.std(ddof=1), 'min': values.min(), 'max': values.max()}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--seeds', type=int, default=16, help='seeds 1 ... SEEDS (default 16)')
    parser.add_argument('--duration', type=int, default=5000, help='ms simulated per seed (default 5000)')
    parser.add_argument('--out', default='tests/reference/izhikevich-2003-paper.json')
    parser.add_argument('--spikes-out', default='tests/reference/izhikevich-2003-paper-spikes.json')
    args = parser.parse_args()
    N, Ne = 1000, 800
    # The first second is left out: every neuron starts at v = -65, and the start is synchronous.
    windows = [(1000, args.duration), (1000, 2000)]
    dump_seed, dump_window = 1, (1000, 3000)
    per_window = {w: [] for w in windows}
    for seed in range(1, args.seeds + 1):
        steps, neurons = run(seed, args.duration)
        for w in windows:
            per_window[w].append(statistics(steps, neurons, N, Ne, *w))
        s = per_window[windows[0]][-1]
        print(f"seed {seed}: {s['rateHz']:.3f} Hz (exc {s['excitatoryHz']:.3f}, inh {s['inhibitoryHz']:.3f}), "
              f"ISI CV {s['isiCv']:.3f}, alpha {s['alphaHz']} Hz, gamma {s['gammaHz']} Hz", file=sys.stderr)
        if seed == dump_seed:
            inside = (steps >= dump_window[0]) & (steps < dump_window[1])
            dump = {
                'about': 'Spikes of tools/izhikevich_2003_paper.py, seed 1, steps (1 ms, 0-based) in the window, with the '
                         'statistics that script computes of them (src/core/spike-statistics.ts must agree).',
                'seed': seed, 'neurons': N, 'excitatory': Ne, 'dtMs': 1,
                'fromMs': dump_window[0], 'toMs': dump_window[1],
                'statistics': statistics(steps, neurons, N, Ne, *dump_window),
                'step': steps[inside].tolist(), 'neuron': neurons[inside].tolist(),
            }
    table = {
        'about': "Statistics of the MATLAB program of Izhikevich (2003), transcribed in tools/izhikevich_2003_paper.py "
                 "(numpy's RandomState(seed) for rand and randn), 1000 neurons (800 excitatory); the definitions "
                 'are those of src/core/spike-statistics.ts. sd is the standard deviation over seeds (n - 1).',
        'command': '/usr/bin/python3 tools/izhikevich_2003_paper.py' + (f' --seeds {args.seeds}' if args.seeds != 16 else '')
                   + (f' --duration {args.duration}' if args.duration != 5000 else ''),
        'numpy': np.__version__,
        'neurons': N, 'excitatory': Ne, 'dtMs': 1, 'durationMs': args.duration,
        'seeds': list(range(1, args.seeds + 1)),
        'windows': [
            {'fromMs': w[0], 'toMs': w[1], 'perSeed': per_window[w], 'summary': summary(per_window[w])}
            for w in windows
        ],
    }
    with open(args.out, 'w') as f:
        json.dump(table, f, indent=1)
        f.write('\n')
    with open(args.spikes_out, 'w') as f:
        json.dump(dump, f, separators=(',', ':'))
        f.write('\n')
    for w in windows:
        print(f'window {w[0]}-{w[1]} ms:', file=sys.stderr)
        for key, s in summary(per_window[w]).items():
            print(f"  {key:13} mean {s['mean']:.4g}  sd {s['sd']:.3g}  min {s['min']:.4g}  max {s['max']:.4g}", file=sys.stderr)


if __name__ == '__main__':
    main()
