"""Benchmark of the 2D transport solver (issue: Galactic transport).

    python benchmarks/bench_propagation.py [--quick]

(a) build the operator of a model and solve e+ on a 41 x 81 spatial grid (dR = 0.5 kpc,
    dz = 0.1 kpc, z_h = 4 kpc: model GH) with 52 energies 0.1-1000 GeV (the DRAGON2
    comparison size);
(b) the same with 0.1 MeV - 10 TeV in steps of 1.2 (101 energies);
(c) 50 further sources on the already-built propagator of (a): a fresh solve each, the
    energy-response route (one solve per injected energy once, then a matrix product, for
    sources sharing one spatial profile), and the observer (adjoint) route (one adjoint solve
    per observed energy once, then one dot product for ANY source: 50 different spatial
    profiles and spectra, each checked against a fresh solve).
Wall time and peak memory (tracemalloc) are printed; the baseline, measured in the same run,
is SuperLU's direct sparse solve of the same system on a grid 4x coarser in space
(its fill-in makes the full grid impractical), against our solver on that grid.
"""

import sys
import time
import tracemalloc

import numpy as np
import scipy.sparse.linalg as spla

from positrons.propagation.diffusion2d import Grid, Propagator
from positrons.propagation.models import PRESETS


def timed(func):
    tracemalloc.start()
    t0 = time.perf_counter()
    out = func()
    dt = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return dt, peak / 2**20, out


def main(quick=False):
    model = PRESETS["GH"]
    source = lambda R, z, T: model.source_distribution(R, z) * T**-2.4 * 1e-26  # noqa: E731
    cases = [("(a) 52 energies 0.1-1000 GeV", np.geomspace(0.1, 1000, 52))]
    if not quick:
        cases.append(("(b) 101 energies 0.1 MeV-10 TeV", 1e-4 * 1.2 ** np.arange(101)))
    built = {}
    for label, T in cases:
        grid = Grid.for_model(model, T)
        t_build, mem_build, prop = timed(lambda: Propagator.for_species(model, grid, "positron"))
        t_solve, mem_solve, sol = timed(lambda: prop.solve(source))
        print(f"{label}: grid {grid.n_R} x {grid.n_z} x {T.size} = {np.prod(grid.shape)} unknowns; "
              f"build {t_build:.2f} s ({mem_build:.0f} MB), solve {t_solve:.2f} s ({mem_solve:.0f} MB, "
              f"{sol.iterations} GMRES iterations, block residual {sol.residual:.1e}); "
              f"total {t_build + t_solve:.2f} s")
        built[label] = prop

    prop = built[cases[0][0]]
    T = prop.grid.T
    n_sources = 10 if quick else 50
    t0 = time.perf_counter()
    for k in range(n_sources):
        index = 2.0 + 0.02 * k
        prop.solve(lambda R, z, TT: model.source_distribution(R, z) * TT**-index * 1e-26)
    per_solve = (time.perf_counter() - t0) / n_sources
    t_resp, _, G = timed(lambda: prop.energy_response(model.source_distribution))
    t0 = time.perf_counter()
    for k in range(n_sources):
        prop.local_flux(model.source_distribution, T ** -(2.0 + 0.02 * k) * 1e-26)
    per_product = (time.perf_counter() - t0) / n_sources
    print(f"(c) {n_sources} further sources: {per_solve * 1e3:.0f} ms per fresh solve; energy response "
          f"built once in {t_resp:.1f} s, then {per_product * 1e6:.0f} us per source "
          f"(break-even after {t_resp / max(per_solve - per_product, 1e-9):.0f} sources)")

    # observer (adjoint) route: any spatial profile and spectrum
    rng = np.random.default_rng(2024)
    params = [(rng.uniform(0, 16), rng.uniform(0.5, 6), rng.uniform(0.05, 1.5), rng.uniform(1.5, 3.5),
               10 ** rng.uniform(0, 3)) for _ in range(n_sources)]

    def arbitrary(R0, wR, zs, index, cut):
        return lambda R, z, TT: (np.exp(-((R - R0) ** 2) / (2 * wR**2)) * np.exp(-np.abs(z) / zs)
                                 * TT**-index * np.exp(-TT / cut) * 1e-26)

    t_obs, mem_obs, W = timed(lambda: prop.observer_response())
    t0 = time.perf_counter()
    fluxes = [prop.observer_flux(arbitrary(*par)) for par in params]
    per_dot = (time.perf_counter() - t0) / n_sources
    n_check = 3
    worst = 0.0
    for par, flux in zip(params[:n_check], fluxes):
        direct = prop.solve(arbitrary(*par)).flux(model.r_sun_kpc)
        sel = direct > 1e-6 * direct.max()  # below, exponential cut-offs leave round-off noise in both
        worst = max(worst, float(np.max(np.abs(flux[sel] / direct[sel] - 1))))
    print(f"(c') observer response (adjoint, any source): built once in {t_obs:.1f} s ({mem_obs:.0f} MB peak, "
          f"W {W.nbytes / 2**20:.0f} MB), then {per_dot * 1e3:.1f} ms per source for {n_sources} sources with "
          f"different spatial profiles and spectra (callable evaluated on the grid + dot product); "
          f"break-even after {t_obs / max(per_solve - per_dot, 1e-9):.0f} sources; "
          f"max relative difference to a fresh solve over {n_check} of them (where the flux is > 1e-6 of its "
          f"maximum): {worst:.1e}")

    # baseline: direct sparse LU of the whole system on a coarser grid
    coarse = Grid.for_model(model, np.geomspace(0.1, 1000, 52), dR_kpc=1.0, dz_kpc=0.2)
    prop_c = Propagator.for_species(model, coarse, "positron")
    b = prop_c._source_vector(source)
    t_ours, _, _ = timed(lambda: prop_c.solve(source))
    t_lu, mem_lu, _ = timed(lambda: spla.splu(prop_c.matrix.tocsc()).solve(b))
    print(f"baseline on {coarse.n_R} x {coarse.n_z} x 52 = {np.prod(coarse.shape)} unknowns: SuperLU direct "
          f"{t_lu:.2f} s ({mem_lu:.0f} MB) vs ours {t_ours:.2f} s: ratio {t_lu / t_ours:.1f}x")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
