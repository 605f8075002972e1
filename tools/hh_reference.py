#!/usr/bin/env python3
"""Independent high-accuracy reference for the Hodgkin–Huxley kernel (src/core/models/hh.ts).

Same model as the seed notebook (program 3): squid axon, rest shifted to 0 mV,
ENa = 115, EK = -12, EL = 10.6 mV; gNa = 120, gK = 36, gL = 0.3 mS/cm²; C = 1 µF/cm².

    C dV/dt = I − gNa·m³·h·(V − ENa) − gK·n⁴·(V − EK) − gL·(V − EL)
    dx/dt   = alpha_x(V)·(1 − x) − beta_x(V)·x,   x ∈ {m, h, n}

Solved with scipy's solve_ivp (DOP853, rtol = atol = 1e-10) under I = 10 µA/cm², V(0) = 0
and the gates at their steady state for V = 0, for 200 ms. Spike times are the upward
crossings of 50 mV, located by solve_ivp's event root finder on the dense output.
The run is repeated with Radau at the same tolerances as a cross-check; the largest
difference between the two solvers' spike times is written to the file too.

Writes tests/reference/hh-spikes.json (path relative to the repository root, whatever the cwd).
Run: python3 tools/hh_reference.py
"""
import json
import math
from pathlib import Path

import numpy as np
import scipy
from scipy.integrate import solve_ivp

ENA, EK, EL = 115.0, -12.0, 10.6  # mV
GNA, GK, GL = 120.0, 36.0, 0.3  # mS/cm²
CM = 1.0  # µF/cm²
CURRENT = 10.0  # µA/cm²
DURATION_MS = 200.0
THRESHOLD_MV = 50.0
RTOL = ATOL = 1e-10
SAMPLE_TIMES_MS = [1.0, 5.0, 10.0, 20.0, 50.0, 100.0, 150.0, 200.0]

OUT = Path(__file__).resolve().parent.parent / "tests" / "reference" / "hh-spikes.json"


def exprel_inv(x):
    """x / (exp(x) − 1), with its limit 1 at x = 0 (series near 0)."""
    if abs(x) < 1e-6:
        return 1.0 - x / 2.0 + x * x / 12.0
    return x / math.expm1(x)


def alm(v):
    return exprel_inv((25.0 - v) / 10.0)  # 0.1·(25 − V)/(exp((25 − V)/10) − 1)


def bem(v):
    return 4.0 * math.exp(-v / 18.0)


def aln(v):
    return 0.1 * exprel_inv((10.0 - v) / 10.0)  # 0.01·(10 − V)/(exp((10 − V)/10) − 1)


def ben(v):
    return 0.125 * math.exp(-v / 80.0)


def alh(v):
    return 0.07 * math.exp(-v / 20.0)


def beh(v):
    return 1.0 / (math.exp((30.0 - v) / 10.0) + 1.0)


def rhs(_t, y):
    v, m, h, n = y
    i_ion = GNA * m**3 * h * (v - ENA) + GK * n**4 * (v - EK) + GL * (v - EL)
    return [
        (CURRENT - i_ion) / CM,
        alm(v) * (1.0 - m) - bem(v) * m,
        alh(v) * (1.0 - h) - beh(v) * h,
        aln(v) * (1.0 - n) - ben(v) * n,
    ]


def crossing(_t, y):
    return y[0] - THRESHOLD_MV


crossing.direction = 1.0


def initial_state(v0=0.0):
    m = alm(v0) / (alm(v0) + bem(v0))
    h = alh(v0) / (alh(v0) + beh(v0))
    n = aln(v0) / (aln(v0) + ben(v0))
    return [v0, m, h, n]


def solve(method):
    sol = solve_ivp(
        rhs,
        (0.0, DURATION_MS),
        initial_state(),
        method=method,
        rtol=RTOL,
        atol=ATOL,
        events=crossing,
        dense_output=True,
    )
    if not sol.success:
        raise RuntimeError(f"{method}: {sol.message}")
    return sol


def main():
    sol = solve("DOP853")
    check = solve("Radau")
    spikes = [float(t) for t in sol.t_events[0]]
    check_spikes = [float(t) for t in check.t_events[0]]
    if len(spikes) != len(check_spikes):
        raise RuntimeError(f"DOP853 found {len(spikes)} spikes, Radau {len(check_spikes)}")
    cross_diff = max(abs(a - b) for a, b in zip(spikes, check_spikes))
    samples = [{"tMs": t, "vMv": float(sol.sol(t)[0])} for t in SAMPLE_TIMES_MS]
    sample_diff = max(abs(float(sol.sol(t)[0]) - float(check.sol(t)[0])) for t in SAMPLE_TIMES_MS)
    data = {
        "generatedBy": "tools/hh_reference.py",
        "solver": f"scipy {scipy.__version__} solve_ivp DOP853 with event location (cross-checked with Radau)",
        "rtol": RTOL,
        "atol": ATOL,
        "model": "Hodgkin-Huxley, rest at 0 mV: ENa=115, EK=-12, EL=10.6 mV; gNa=120, gK=36, gL=0.3 mS/cm2; C=1 uF/cm2",
        "initialState": "V=0 mV, gates at steady state for V=0",
        "currentUApercm2": CURRENT,
        "durationMs": DURATION_MS,
        "thresholdMv": THRESHOLD_MV,
        "spikeCount": len(spikes),
        "spikeTimesMs": spikes,
        "vSamples": samples,
        "crossCheckMaxSpikeDiffMs": cross_diff,
        "crossCheckMaxVDiffMv": sample_diff,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"{len(spikes)} spikes; DOP853 vs Radau: max spike diff {cross_diff:.3e} ms, max V diff {sample_diff:.3e} mV")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
