"""Benchmark of the 2D drift model beside the force field and the 1D Parker solver, same run.

    python benchmarks/bench_drift.py

Times (wall clock, best of 3; the machine is shared, so compare within one run):

* a TOA spectrum at 30 energies (0.3-50 GeV) of e+ for the AMS-02 2011-2018 period
  (two polarities weighted, i.e. two 2D solves) on the default ``DriftGrid``;
* the same period as a transfer matrix (all LIS nodes at once, both polarities);
* the 1D Parker solver (default ``ParkerGrid``, phi = 0.6 GV) and the force field on the same
  30 energies as the baselines;
* applying the drift transfer matrix to a new LIS (what a scan pays per LIS afterwards).
"""

from __future__ import annotations

import time

import numpy as np

from positrons.heliosphere import force_field
from positrons.heliosphere.drift_modulation import DriftModulation
from positrons.heliosphere.parker import HelModLikeDiffusion, solve_parker

T = np.geomspace(0.3, 50.0, 30)


def lis(T):
    return 1.6e-2 * (T / 10.0) ** -3.3 * ((T / (T + 2.0)) / (10.0 / 12.0)) ** 4


def best_of(fn, n=3):
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main():
    model = DriftModulation("ams02_2011_2018")
    diffusion = HelModLikeDiffusion.from_phi(0.6)
    rows = [
        ("force field, 30 energies", lambda: force_field.modulate(T, lis, 0.6, "positron")),
        ("Parker 1D, 30 energies", lambda: solve_parker(T, lis, "positron", diffusion).flux(T)),
        ("drift 2D (2 polarities), 30 energies", lambda: model.modulate(T, lis, "positron")),
    ]
    for label, fn in rows:
        t, _ = best_of(fn)
        print(f"{label:45s} {t * 1e3:10.3f} ms")
    t, tm = best_of(lambda: model.transfer_matrix("positron", T[0], T[-1]), n=1)
    print(f"{'drift 2D transfer matrix ' + str(tm.matrix.shape):45s} {t * 1e3:10.3f} ms")
    t, _ = best_of(lambda: tm.apply(lis, T))
    print(f"{'drift transfer matrix applied to a LIS':45s} {t * 1e3:10.3f} ms")
    print("grid:", {k: v for k, v in model.settings().items() if k.startswith("grid_")})


if __name__ == "__main__":
    main()
