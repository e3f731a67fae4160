"""Benchmark of the nuclear network (Li-Si, 26 isotopes) on the default 2D grid, printed beside
one single-species solve (12C alone, same grid and settings) timed in the same run.

    python benchmarks/bench_network.py [--model MED] [--quick]

``--quick``: the coarse grid of the tests (dR 2 kpc, dz 0.2 kpc, 5 energies per decade).
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from positrons.analysis.nuclei import NUCLEI_ENERGY_RANGE_GEV_N
from positrons.propagation.grid import GridSpec
from positrons.propagation.models import get_propagation_model
from positrons.propagation.network import NetworkSettings, solve_network


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="MED")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    model = get_propagation_model(args.model)
    spec = GridSpec(2.0, 0.2, 0.5, 5) if args.quick else GridSpec()
    T_n = spec.energies(*NUCLEI_ENERGY_RANGE_GEV_N)
    settings = NetworkSettings()
    t0 = time.perf_counter()
    solve_network(model, T_n, NetworkSettings(isotopes=("12C",), fragmentation=False, decays=False), spec)
    t_single = time.perf_counter() - t0
    t0 = time.perf_counter()
    net = solve_network(model, T_n, settings, spec)
    t_net = time.perf_counter() - t0
    grid = spec.grid(model, T_n)
    print(f"model {model.name}, grid {grid.n_R} x {grid.n_z} x {T_n.size} (R x z x energy), "
          f"dR {spec.dR_kpc:g} kpc, dz {spec.dz_kpc:g}-{spec.dz_max_kpc:g} kpc")
    print(f"single-species solve (12C):          {t_single:7.2f} s")
    print(f"network ({len(net.isotopes)} isotopes, Li-Si):        {t_net:7.2f} s  "
          f"({t_net / t_single:.1f} x single, {t_net / len(net.isotopes):.2f} s per isotope)")
    i = int(np.argmin(np.abs(T_n - 10.0)))
    print(f"B/C (LIS) at {T_n[i]:.3g} GeV/n: "
          f"{net.element_flux_per_nucleon(5)[i] / net.element_flux_per_nucleon(6)[i]:.4f}")


if __name__ == "__main__":
    main()
