"""Benchmark of the nuclear network (Li-Si, 26 isotopes) on the default 2D grid, printed beside
one single-species solve (12C alone, same grid and settings) timed in the same run, and beside
the network with every isotope factorising its own operator
(``NetworkSettings(share_preconditioner=False)``, the path before the shared preconditioner).

    python benchmarks/bench_network.py [--model MED] [--quick] [--repeat N]

``--quick``: the coarse grid of the tests (dR 2 kpc, dz 0.2 kpc, 5 energies per decade).
``--repeat``: time each case N times and keep the fastest (the machine may be shared).
OpenBLAS runs single-threaded here unless ``OPENBLAS_NUM_THREADS`` is set: the engine's work
(SuperLU solves) is single-threaded, and OpenBLAS's threads (woken by every dot product of
GMRES, vectors of 4e4 entries) only spin against other processes; on 2 shared cores with
other jobs running, the network took 25 s with them and 2.7 s without (back to back, MED).
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported (see above)

import argparse
import time
from dataclasses import replace

import numpy as np

from positrons.analysis.nuclei import NUCLEI_ENERGY_RANGE_GEV_N
from positrons.propagation.grid import GridSpec
from positrons.propagation.models import get_propagation_model
from positrons.propagation.network import NetworkSettings, solve_network


def _best(repeat, run):
    """(fastest wall time [s], result) of ``repeat`` calls of ``run``."""
    best, result = np.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="MED")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    model = get_propagation_model(args.model)
    spec = GridSpec(2.0, 0.2, 0.5, 5) if args.quick else GridSpec()
    T_n = spec.energies(*NUCLEI_ENERGY_RANGE_GEV_N)
    settings = NetworkSettings()
    single = NetworkSettings(isotopes=("12C",), fragmentation=False, decays=False)
    t_single, _ = _best(args.repeat, lambda: solve_network(model, T_n, single, spec))
    t_own, own = _best(args.repeat, lambda: solve_network(model, T_n, replace(settings, share_preconditioner=False),
                                                          spec))
    t_net, net = _best(args.repeat, lambda: solve_network(model, T_n, settings, spec))
    grid = spec.grid(model, T_n)
    n = len(net.isotopes)
    print(f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    print(f"model {model.name}, grid {grid.n_R} x {grid.n_z} x {T_n.size} (R x z x energy), "
          f"dR {spec.dR_kpc:g} kpc, dz {spec.dz_kpc:g}-{spec.dz_max_kpc:g} kpc")
    print(f"single-species solve (12C):                      {t_single:7.2f} s")
    print(f"network ({n} isotopes, Li-Si), own factors each:  {t_own:7.2f} s  ({t_own / t_single:.1f} x single)")
    print(f"network ({n} isotopes, Li-Si), shared factors:    {t_net:7.2f} s  ({t_net / t_single:.1f} x single, "
          f"{t_net / n:.2f} s per isotope, {t_net / t_own:.2f} x own factors)")
    i = int(np.argmin(np.abs(T_n - 10.0)))

    def bc(res):
        return res.element_flux_per_nucleon(5) / res.element_flux_per_nucleon(6)

    print(f"B/C (LIS) at {T_n[i]:.3g} GeV/n: {bc(net)[i]:.4f}; largest relative difference shared - own "
          f"factors over all energies: {np.max(np.abs(bc(net) / bc(own) - 1)):.1e}")


if __name__ == "__main__":
    main()
