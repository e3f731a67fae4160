"""Benchmark of the propagation fit: the time per likelihood evaluation with the slab model
(B/C + p + He + 10Be/9Be, 13 parameters) beside the same model's B/C with the 2D network on
the reference solver (``SolverSettings(method="reference")``, coarse uniform grid), in the
same run; with ``--full-fit``, the wall time of a whole fit (6 free propagation parameters,
B/C + p + He + 10Be/9Be, 2 processes): nested sampling (nautilus, 1000 live points, to 10 000
effective samples; the default) or emcee (``--sampler emcee``: 32 walkers, ``--steps``).

    python benchmarks/bench_fit.py [--evaluations 50] [--full-fit [--sampler emcee --steps 30000] --output DIR]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from positrons.analysis.nuclei import network_ratios
from positrons.analysis.posterior import model_with
from positrons.analysis.propagation_fit import FitSettings, PropagationLikelihood, fit_propagation
from positrons.propagation.grid import GridSpec
from positrons.propagation.network import NetworkSettings, solve_network
from positrons.propagation.slab import SlabNetwork
from positrons.propagation.solution import SolverSettings

from bench_propagation import calibration  # benchmarks/ is on the path when run as a script

#: the posterior of the nautilus fit of docs/propagation_fit.md (its header holds the run's cost)
DOCS_FIT = Path(__file__).resolve().parents[1] / "docs" / "figures" / "propagation_fit" / "posterior.ecsv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluations", type=int, default=50)
    parser.add_argument("--full-fit", action="store_true")
    parser.add_argument("--sampler", choices=("nautilus", "emcee"), default="nautilus")
    parser.add_argument("--steps", type=int, default=30000)
    parser.add_argument("--output", default="bench_fit_run")
    args = parser.parse_args()
    settings = FitSettings(data=("bc", "p", "he", "be10"), sampler=args.sampler, steps=args.steps)
    cal = calibration()
    print(f"machine calibration: sparse LU of a 300 x 300 Laplacian {cal * 1e3:.0f} ms")
    t0 = time.perf_counter()
    like = PropagationLikelihood(settings)
    t_build = time.perf_counter() - t0
    x0 = like.start()
    rng = np.random.default_rng(0)
    points = [x0 * (1 + 0.02 * rng.standard_normal(x0.size)) for _ in range(args.evaluations)]
    t0 = time.perf_counter()
    for p in points:
        like(p)
    t_eval = (time.perf_counter() - t0) / args.evaluations
    model = model_with(like.base, dict(zip(like.parameters, x0)))
    T_n = like.networks["nuclei"].T_n
    t0 = time.perf_counter()
    SlabNetwork(T_n).solve(model)
    t_slab_bc = time.perf_counter() - t0
    net = like.networks["nuclei"]
    t0 = time.perf_counter()
    slab = net.solve(model)
    t_slab_solve = time.perf_counter() - t0
    spec = GridSpec(dR_kpc=1.0, dz_kpc=0.2, dz_max_kpc=0.2, energy_points_per_decade=8)
    T2 = spec.energies(0.03, 3e3)
    t0 = time.perf_counter()
    ref = solve_network(model, T2, NetworkSettings(), spec, solver=SolverSettings(method="reference"))
    t_ref = time.perf_counter() - t0
    R = np.array([10.0, 100.0])
    bc_ref = network_ratios(ref, "B/C", 0.0, R, "rigidity")[0]
    bc_slab = network_ratios(slab, "B/C", 0.0, R, "rigidity")[0]
    print(f"slab likelihood ({len(like.parameters)} parameters, {', '.join(settings.data)}; "
          f"{T_n.size} energies): build {t_build:.2f} s, {1e3 * t_eval:.1f} ms per evaluation "
          f"({t_eval / cal:.3f} calibrations)")
    print(f"slab network alone (26 isotopes, B/C): {1e3 * t_slab_solve:.1f} ms per solve "
          f"({1e3 * t_slab_bc:.0f} ms with its tabulation)")
    print(f"2D network, reference solver, grid dR {spec.dR_kpc:g} x dz {spec.dz_kpc:g} kpc, {T2.size} energies: "
          f"{t_ref:.1f} s per solve  ({t_ref / t_slab_solve:.0f} x the slab; {t_ref / cal:.0f} calibrations)")
    print(f"B/C at 10, 100 GV (LIS): slab {bc_slab.round(4)}, 2D reference {bc_ref.round(4)}")
    if settings.sampler == "nautilus" and DOCS_FIT.is_file():
        from positrons.analysis.posterior import PropagationPosterior

        docs_fit = PropagationPosterior.read(DOCS_FIT).settings
        n_eval = int(docs_fit["diagnostics"]["n_like"])
        wall = docs_fit["diagnostics"].get("wall_time_s")
        print(f"the nautilus fit of the docs ({n_eval} evaluations"
              + ("" if wall is None else f", {wall / 60:.1f} min wall when it ran") + "): "
              f"~{n_eval * t_eval / 2 / 60:.0f} min of likelihood on 2 processes at this speed "
              f"(the rest of its wall time is the sampler's own work), "
              f"~{n_eval * t_ref / 2 / 86400:.1f} days with the 2D reference solver")
    if settings.sampler == "emcee":
        n_eval = settings.walkers * settings.steps
        print(f"a fit of {settings.steps} steps x {settings.walkers} walkers = {n_eval} evaluations: "
              f"~{n_eval * t_eval / 2 / 60:.0f} min on 2 processes at this speed "
              f"(~{n_eval * t_ref / 2 / 86400:.1f} days with the 2D reference solver)")
    if args.full_fit:
        t0 = time.perf_counter()
        result = fit_propagation(settings, output=args.output)
        wall = time.perf_counter() - t0
        n_eval = result.diagnostics.get("n_like", settings.walkers * settings.steps)
        print(f"full fit: {wall:.0f} s wall, {n_eval} likelihood evaluations "
              f"({n_eval * t_eval / 2:.0f} s of them on 2 processes at the speed above; "
              f"~{n_eval * t_ref / 2 / 86400:.1f} days with the 2D reference solver)")
        print(result.summary())


if __name__ == "__main__":
    main()
