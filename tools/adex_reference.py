#!/usr/bin/env python3
"""
Reference spike times of the AdEx model (Brette & Gerstner 2005) for the eight firing patterns
of Naud, Marcille, Clopath & Gerstner (2008), Biol Cybern 99:335, Table 1: each pattern's
parameters and step current (from t = 0, the neuron at rest: V = EL, w = 0), 500 ms.

    C dV/dt = -gL (V - EL) + gL DeltaT exp((V - VT)/DeltaT) - w + I
    tauw dw/dt = a (V - EL) - w
    V >= vPeak (0 mV)  ->  V = Vr, w = w + b

scipy's solve_ivp (DOP853, rtol = atol = 1e-10) with a terminal event at vPeak; at each event the
state is reset and the integration restarts from the event time. Near the peak dV/dt reaches
~1e9 mV/ms and a solver in t needs steps below the spacing of doubles at t ~ 100 ms (solve_ivp
stops there), so the last stretch of the upstroke, from V = VT + 10 DeltaT (-30 mV) where the
exponential alone exceeds 4e5 pA and the spike can no longer be avoided, to vPeak is integrated
with V as the independent variable: dt/dV = 1/V', dw/dV = w'/V' (smooth, same tolerances); the
spike time is the event time at -30 mV plus that stretch's duration (~1e-3 ms). Above vPeak the
exponential is evaluated at vPeak (only a rejected trial step gets there). As a check of the reference itself, the same runs are repeated
with Radau (implicit, same tolerances) and the largest difference between the two is printed
and stored.

Units: pF, nS, mV, ms, pA (nS*mV = pA, pA/pF = mV/ms).

    python3 tools/adex_reference.py > tests/reference/adex-naud-2008-spikes.json

tests/adex.test.ts compares the engine's spike times with these (within 0.05 ms at dt = 0.01 ms).
"""
import json
import sys

import numpy as np
import scipy
from scipy.integrate import solve_ivp

# id: (C, gL, EL, VT, DeltaT, a, tauw, b, Vr, I) -- Table 1 of Naud et al. (2008)
PATTERNS = {
    'tonic': (200, 10, -70, -50, 2, 2, 30, 0, -58, 500),
    'adapting': (200, 12, -70, -50, 2, 2, 300, 60, -58, 500),
    'initial-burst': (130, 18, -58, -50, 2, 4, 150, 120, -50, 400),
    'regular-bursting': (200, 10, -58, -50, 2, 2, 120, 100, -46, 210),
    'delayed-accelerating': (200, 12, -70, -50, 2, -10, 300, 0, -58, 300),
    'delayed-regular-bursting': (100, 10, -65, -50, 2, -10, 90, 30, -47, 110),
    'transient': (100, 10, -65, -50, 2, 10, 90, 100, -47, 180),
    'irregular': (100, 12, -60, -50, 2, -11, 130, 30, -48, 160),
}
V_PEAK = 0.0
DURATION_MS = 500.0
TOL = 1e-10


def spike_times(params, method):
    C, gL, EL, VT, DT, a, tauw, b, Vr, I = (float(x) for x in params)
    v_switch = VT + 10 * DT  # -30 mV here: from it on the exponential term alone exceeds 4e5 pA

    def f(v, w):  # dV/dt
        return (-gL * (v - EL) + gL * DT * np.exp((min(v, V_PEAK) - VT) / DT) - w + I) / C

    def g(v, w):  # dw/dt
        return (a * (v - EL) - w) / tauw

    def rhs(t, y):
        return [f(y[0], y[1]), g(y[0], y[1])]

    def upstroke(v, y):  # V as the independent variable: dt/dV = 1/f, dw/dV = g/f
        rate = f(v, y[1])
        return [1 / rate, g(v, y[1]) / rate]

    def switch(t, y):
        return y[0] - v_switch

    switch.terminal = True
    switch.direction = 1

    t0, y0, spikes = 0.0, [EL, 0.0], []
    while t0 < DURATION_MS:
        sol = solve_ivp(rhs, (t0, DURATION_MS), y0, method=method, rtol=TOL, atol=TOL, events=switch)
        if sol.status == 0:
            break
        if sol.status != 1:
            raise SystemExit(f'{method} failed at t = {sol.t[-1]} ms: {sol.message}')
        ts = float(sol.t_events[0][0])
        ws = float(sol.y_events[0][0][1])
        # From v_switch to vPeak: f > 0 all the way (the exponential dominates), so V is a valid clock.
        up = solve_ivp(upstroke, (v_switch, V_PEAK), [0.0, ws], method=method, rtol=TOL, atol=TOL)
        if up.status != 0:
            raise SystemExit(f'{method} failed on the upstroke: {up.message}')
        te = ts + float(up.y[0][-1])
        if te >= DURATION_MS:
            break
        spikes.append(te)
        t0, y0 = te, [Vr, float(up.y[1][-1]) + b]
    return spikes


def main():
    out = {
        'source': 'tools/adex_reference.py: scipy solve_ivp DOP853, rtol = atol = 1e-10, terminal event at vPeak = 0 mV, reset and restart; Naud et al. (2008) Table 1, step current from t = 0, V(0) = EL, w(0) = 0, 500 ms',
        'scipy': scipy.__version__,
        'durationMs': DURATION_MS,
        'patterns': {},
    }
    worst = 0.0
    for name, params in PATTERNS.items():
        main_run = spike_times(params, 'DOP853')
        check = spike_times(params, 'Radau')
        if len(check) != len(main_run):
            raise SystemExit(f'{name}: DOP853 gives {len(main_run)} spikes, Radau {len(check)}')
        diff = max((abs(p - q) for p, q in zip(main_run, check)), default=0.0)
        worst = max(worst, diff)
        print(f'{name}: {len(main_run)} spikes, DOP853 vs Radau at most {diff:.2e} ms apart', file=sys.stderr)
        out['patterns'][name] = {'params': dict(zip(['cm', 'gL', 'eL', 'vT', 'deltaT', 'a', 'tauW', 'b', 'vReset', 'current'], params)), 'spikesMs': main_run, 'radauSpikesMs': check, 'radauMaxDiffMs': diff}
    out['radauMaxDiffMs'] = worst
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == '__main__':
    main()
