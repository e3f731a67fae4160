"""Benchmark of the PBH emission code: ``python benchmarks/bench_pbh.py``.

Prints the one-off costs (reading the shipped greybody table, building the decay matrices)
and the time of the calls a limit scan repeats: one spectrum of a hole (primary + secondary)
and one log-normal population spectrum, each on 200 kinetic energies, and dM/dt.
"""

from __future__ import annotations

import time

import numpy as np


def best_of(function, repeat: int = 20) -> float:
    """Smallest wall time [s] of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    start = time.perf_counter()
    from positrons.sources.pbh import evaporation, greybody, secondaries, spectra
    from positrons.sources.pbh.mass_functions import LogNormal
    from positrons.sources.pbh.source import population_spectrum

    t_import = time.perf_counter() - start

    start = time.perf_counter()
    greybody.default_tables()
    t_tables = time.perf_counter() - start
    start = time.perf_counter()
    secondaries._secondary_matrices()
    t_matrices = time.perf_counter() - start

    energies = np.geomspace(1e-5, 10.0, 200)
    rng = np.random.default_rng(1)
    masses = 10 ** rng.uniform(14.5, 17.5, 20)
    it = iter(np.resize(masses, 10000))
    t_one = best_of(lambda: spectra.spectrum("positron", energies, next(it)))
    lognormals = {sigma: LogNormal(1e16, sigma) for sigma in (0.5, 1.0, 2.0)}
    t_pop = {s: best_of(lambda: population_spectrum("positron", energies, mf)) for s, mf in lognormals.items()}
    n_nodes = {s: mf.quadrature()[0].size for s, mf in lognormals.items()}
    t_mdot = best_of(lambda: evaporation.mass_loss_rate(np.geomspace(1e14, 1e18, 200)))
    t_life = best_of(lambda: evaporation.lifetime(1e15), repeat=5)

    print("positrons PBH benchmark (best of repeated calls)")
    print(f"  import positrons.sources.pbh                     {t_import * 1e3:8.1f} ms (once)")
    print(f"  read shipped greybody table (4 spins)            {t_tables * 1e3:8.1f} ms (once)")
    print(f"  build decay matrices (mu, pi -> e; pi0 -> gamma) {t_matrices * 1e3:8.1f} ms (once per process)")
    print(f"  one spectrum, 200 energies, any mass            {t_one * 1e3:8.2f} ms")
    for sigma in lognormals:
        print(f"  log-normal sigma = {sigma:3.1f} ({n_nodes[sigma]:3d} masses), 200 energies {t_pop[sigma] * 1e3:8.2f} ms")
    print(f"  dM/dt at 200 masses                              {t_mdot * 1e3:8.2f} ms")
    print(f"  lifetime of one hole (400-node integral)         {t_life * 1e3:8.2f} ms")


if __name__ == "__main__":
    main()
