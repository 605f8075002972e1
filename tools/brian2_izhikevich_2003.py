#!/usr/bin/env python3
"""The sparse Izhikevich (2003) network of Spikescope's scene izhikevich-2003/sparse-100k, in Brian2's
C++ standalone mode with OpenMP: the reference for the bench case brian2-sparse-100k, which compares
its speed with Spikescope's on the same machine in the same run.

    /usr/bin/python3 tools/brian2_izhikevich_2003.py [--neurons N] [--threads T] [--duration-ms MS] [--seed S]

prints one JSON line: {"neurons", "synapses", "threads", "durationMs", "buildSeconds" (Python network
construction), "compileSeconds" (code generation and C++ compilation), "runSeconds" (the compiled
simulation loop: Brian2's last_run_time), "realtimeFactor" (durationMs / 1000 / runSeconds),
"spikes", "rateHz", "brian2"}. Debian's python3-brian (2.5.1) with g++ and libgomp; the compiled
project goes to a temporary folder.

The same network as Spikescope's (src/core/models/izhikevich-2003.ts, connectivity 'sparse'):
N neurons, 80 % excitatory; a, b, c, d from r ~ U(0, 1) as in the paper; v0 = -65, u0 = b*v0; each
neuron receives exactly K = 100 synapses from distinct other neurons, weights 0.5*U(0, 1)
(excitatory) or -U(0, 1) (inhibitory); thalamic input sigma*N(0, 1) (5 or 2) redrawn every 1 ms and
held; forward Euler at dt = 0.5 ms; threshold v >= 30, reset v = c, u += d. A spike's weights are
added to a `kick` of its targets and enter v in the next step's update beside the Euler increment,
as in Spikescope (header, point 3): the neurons' state update, then `v += kick` (the run_regularly
after it), then the threshold. What differs: Brian2's Euler updates u from the v at the start of
the step (Spikescope and the paper: from the new v), and the random numbers (numpy's and Brian2's,
not Spikescope's), so the spikes differ while the work per step is the same kind and size: N neuron
updates, N/2 normal deviates and ~N*K*rate synaptic events per step.
"""
import argparse
import json
import os
import shutil
import tempfile
import time

import numpy as np


def fixed_fan_in(n, k, rng):
    """For each neuron, k distinct presynaptic neurons other than itself: (pre, post) arrays."""
    pre = rng.integers(0, n - 1, size=(n, k))
    while True:
        pre.sort(axis=1)
        repeated = np.flatnonzero((pre[:, 1:] == pre[:, :-1]).any(axis=1))
        if repeated.size == 0:
            break
        pre[repeated] = rng.integers(0, n - 1, size=(repeated.size, k))
    post = np.repeat(np.arange(n), k)
    pre = pre.ravel()
    pre = pre + (pre >= post)  # candidates 0 ... n-2 skip the post itself
    return pre, post


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--neurons', type=int, default=100_000)
    parser.add_argument('--fan-in', type=int, default=100)
    parser.add_argument('--threads', type=int, default=2)
    parser.add_argument('--duration-ms', type=float, default=1000)
    parser.add_argument('--seed', type=int, default=1)
    args = parser.parse_args()

    import brian2 as b2

    folder = tempfile.mkdtemp(prefix='spikescope-brian2-')
    started = time.perf_counter()
    b2.set_device('cpp_standalone', directory=folder, build_on_run=False)
    b2.prefs.devices.cpp_standalone.openmp_threads = args.threads
    b2.prefs.logging.console_log_level = 'WARNING'
    b2.defaultclock.dt = 0.5 * b2.ms
    b2.seed(args.seed)

    n = args.neurons
    ne = round(0.8 * n)
    rng = np.random.default_rng(args.seed)
    r = rng.random(n)
    excitatory = np.arange(n) < ne
    equations = '''
    dv/dt = (0.04*v**2 + 5*v + 140 - u + I) / ms : 1
    du/dt = a*(b*v - u) / ms : 1
    I : 1
    kick : 1
    sigma : 1
    a : 1
    b : 1
    c : 1
    d : 1
    '''
    neurons = b2.NeuronGroup(n, equations, threshold='v >= 30', reset='v = c; u += d', method='euler')
    neurons.a = np.where(excitatory, 0.02, 0.02 + 0.08 * r)
    neurons.b = np.where(excitatory, 0.2, 0.25 - 0.05 * r)
    neurons.c = np.where(excitatory, -65 + 15 * r**2, -65)
    neurons.d = np.where(excitatory, 8 - 6 * r**2, 2)
    neurons.sigma = np.where(excitatory, 5.0, 2.0)
    neurons.v = -65
    neurons.u = neurons.b[:] * -65
    # The thalamic input, redrawn every 1 ms before the update; the kick after it (before the threshold).
    neurons.run_regularly('I = sigma * randn()', dt=1 * b2.ms, when='before_groups')
    neurons.run_regularly('v += kick; kick = 0', when='groups', order=1)

    pre, post = fixed_fan_in(n, args.fan_in, rng)
    synapses = b2.Synapses(neurons, neurons, 'w : 1', on_pre='kick_post += w')
    synapses.connect(i=pre, j=post)
    synapses.w = np.where(pre < ne, 0.5, -1.0) * rng.random(pre.size)
    monitor = b2.SpikeMonitor(neurons, record=False)
    built = time.perf_counter()

    b2.run(args.duration_ms * b2.ms)
    b2.device.build(directory=folder, compile=True, run=True, debug=False)
    finished = time.perf_counter()
    run_seconds = float(b2.device._last_run_time)
    spikes = int(monitor.num_spikes)
    shutil.rmtree(folder, ignore_errors=True)
    print(json.dumps({
        'neurons': n,
        'synapses': int(pre.size),
        'threads': args.threads,
        'durationMs': args.duration_ms,
        'buildSeconds': round(built - started, 3),
        'compileSeconds': round(finished - built - run_seconds, 3),
        'runSeconds': round(run_seconds, 4),
        'realtimeFactor': round(args.duration_ms / 1000 / run_seconds, 4),
        'spikes': spikes,
        'rateHz': round(spikes / n / (args.duration_ms / 1000), 3),
        'brian2': b2.__version__,
        'cpus': os.cpu_count(),
    }))


if __name__ == '__main__':
    main()
