"""Benchmark of the 2D transport engine against the reference method, in the same run.

    python benchmarks/bench_propagation.py [--quick]

Every case runs in a fresh subprocess (so its peak resident memory is its own) and is printed
beside the same case with ``SolverSettings(method="reference")`` (the version-0.1 solver: block
Gauss-Seidel in energy on the whole, uniform grid) and beside a machine calibration, a fixed
SciPy sparse LU (a 2D Laplacian of 300 x 300 nodes, factorised and solved) timed in the same run:
the machine is shared, so ratios are the figures to compare.

Cases (model GH: re-acceleration, convection, the largest halo of the fitted ones):

(a) the GALPROP-equivalent job: protons and helium propagated and normalised to AMS-02,
    secondary e+ and e- from them in every cell, primary e- normalised to AMS-02, on
    10 MeV - 330 TeV.  Default engine: the default grid; reference: GALPROP's grid size
    (40 x 81 nodes, dR = 0.5, dz = 0.1 kpc, 96 energies);
(b) one more source on an already built propagator (a fresh solve);
(c) the energy response of a halo-shaped source (what a PBH or dark-matter scan needs), for the
    interstellar energies of AMS-02 e+ and of Voyager 1, from an empty cache, per model;
(d) (not --quick) the default PBH scan: 6 models x 3 datasets x 30 masses, monochromatic,
    no background, from an empty cache (default engine only: the reference needs ~1 h).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.abspath(__file__)
JOB_RANGE_GEV = (0.01, 3.3e5)
REFERENCE_GRID = dict(dR_kpc=0.5, dz_kpc=0.1, dz_max_kpc=0.1, energy_points_per_decade=96 / np.log10(3.3e7))


def _spec(method: str, quick: bool):
    from positrons.propagation.grid import GridSpec

    if method == "reference":
        return GridSpec(**REFERENCE_GRID) if not quick else GridSpec(1.0, 0.2, 0.2, 6)
    return GridSpec() if not quick else GridSpec(2.0, 0.2, 0.5, 6)


def calibration() -> float:
    """Seconds of a fixed sparse LU factorisation and solve (best of 3)."""
    import scipy.sparse as sp
    import scipy.sparse.linalg as spla

    n = 300
    lap = sp.diags([-2 * np.ones(n), np.ones(n - 1), np.ones(n - 1)], [0, -1, 1])
    A = (-(sp.kron(lap, sp.identity(n)) + sp.kron(sp.identity(n), lap)) + 1e-3 * sp.identity(n * n)).tocsc()
    b = np.ones(n * n)
    best = np.inf
    for _ in range(3):
        t0 = time.perf_counter()
        spla.splu(A, permc_spec="MMD_AT_PLUS_A").solve(b)
        best = min(best, time.perf_counter() - t0)
    return best


def case_job(method: str, quick: bool) -> dict:
    """(a) and (b): the GALPROP-equivalent job, then one more source on the lepton propagator."""
    from positrons.analysis import galactic
    from positrons.analysis.transport import Transport
    from positrons.propagation.diffusion2d import Propagator, SolverSettings
    from positrons.propagation.models import PRESETS
    from positrons.analysis.primaries import fit_primary
    from positrons.propagation.injection import injection_on_grid

    model = PRESETS["GH"]
    settings = SolverSettings(method=method)
    spec = _spec(method, quick)
    T = spec.energies(*JOB_RANGE_GEV)
    t0 = time.perf_counter()
    fields = {lepton: galactic.secondary_source_field(model, lepton, T, transport=Transport(spec, settings, cache=None))[0]
              for lepton in ("positron", "electron")}
    prop = Propagator.for_species(model, spec.grid(model, T), "electron", settings=settings)
    lis = {lepton: prop.solve(field).flux(model.r_sun_kpc) for lepton, field in fields.items()}
    primary = fit_primary(model, "electron", "ams02_electron_flux_physrep2021_crdb", propagator=prop)
    job = time.perf_counter() - t0
    # (b) a fresh source on the built propagator
    t0 = time.perf_counter()
    prop.solve(1.3 * injection_on_grid(model, "electron", prop.grid) * prop.grid.T ** -0.1)
    fresh = time.perf_counter() - t0
    at = lambda f, E: float(np.exp(np.interp(np.log(E), np.log(T), np.log(np.maximum(f, 1e-300)))))  # noqa: E731
    grid = prop.grid
    return {"job_s": job, "fresh_solve_s": fresh, "unknowns": int(np.prod(grid.shape)),
            "grid": f"{grid.n_R - 1} x {grid.n_z - 2} x {T.size}",
            "e+ LIS at 10 GeV": at(lis["positron"], 10.0), "primary e- LIS at 10 GeV": at(primary.flux_lis, 10.0)}


def case_response(method: str, quick: bool, model_name: str) -> dict:
    """(c): the halo energy response for the AMS-02 e+ and Voyager 1 energies."""
    from positrons.propagation.diffusion2d import SolverSettings
    from positrons.propagation.models import PRESETS
    from positrons.analysis.pbh_limits import pbh_response
    from positrons.analysis.transport import Transport

    spec = _spec(method, quick)
    settings = SolverSettings(method=method)
    t0 = time.perf_counter()
    for observed in ((0.9, 6.0), (0.003, 0.045)):  # AMS-02 e+ (phi band), Voyager 1 [GeV]
        if method == "reference":  # the reference method has only the forward, all-energies response
            from positrons.propagation.diffusion2d import Propagator
            from positrons.sources.pbh.mass_functions import Monochromatic
            from positrons.sources.pbh.source import PBHSource
            from positrons.analysis.pbh_limits import PBH_RANGE_GEV

            model = PRESETS[model_name]
            grid = spec.grid(model, spec.energies(*PBH_RANGE_GEV))
            prop = Propagator.for_species(model, grid, "positron", settings=settings)
            prop.energy_response(PBHSource(mass_function=Monochromatic(1e16)).profile)
            break
        pbh_response(PRESETS[model_name], Transport(spec, settings, cache=None)).halo_response(observed)
    return {"response_s": time.perf_counter() - t0}


def case_scan(method: str, quick: bool) -> dict:
    """(d): the default scan from an empty cache."""
    from positrons.cache import ArrayCache
    from positrons.propagation.models import PRESETS
    from positrons.analysis.dask_scans import DATASETS
    from positrons.analysis.pbh_limits import pbh_limit_scan
    from positrons.analysis.transport import Transport

    masses = np.geomspace(5e14, 1e17, 30)
    with tempfile.TemporaryDirectory() as tmp:
        cache = ArrayCache("responses", tmp)
        t0 = time.perf_counter()
        for name in PRESETS:
            for ds in DATASETS:
                pbh_limit_scan(name, masses, ds, transport=Transport(_spec(method, quick), cache=cache))
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        pbh_limit_scan("MED", masses, DATASETS[0],
                       transport=Transport(_spec(method, quick), cache=ArrayCache("responses", tmp)))
        second = time.perf_counter() - t0
    return {"scan_s": first, "rerun_one_scan_s": second}


CASES = {"job": case_job, "response": case_response, "scan": case_scan}


def run_case(name: str, method: str, quick: bool, *extra) -> dict:
    """Run one case in a fresh interpreter; its wall time and peak RSS [MB]."""
    out = subprocess.run([sys.executable, HERE, "--case", name, method, str(quick), *extra],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _child(name, method, quick, *extra):
    import resource

    result = CASES[name](method, quick == "True", *extra)
    result["peak_rss_MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def main(quick: bool = False):
    cal = calibration()
    print(f"machine calibration: sparse LU of a 300 x 300 Laplacian {cal * 1e3:.0f} ms (figures below also as "
          f"multiples of it)")

    def fmt(seconds):
        return f"{seconds:.2f} s ({seconds / cal:.0f} cal)"

    jobs = {m: run_case("job", m, quick) for m in ("two_level", "reference")}
    new, ref = jobs["two_level"], jobs["reference"]
    print(f"(a) GALPROP-equivalent job (p, He, secondary e+ e-, primary e-; 10 MeV - 330 TeV):\n"
          f"    default engine  {new['grid']} ({new['unknowns']} unknowns): {fmt(new['job_s'])}, peak RSS "
          f"{new['peak_rss_MB']:.0f} MB\n"
          f"    reference       {ref['grid']} ({ref['unknowns']} unknowns): {fmt(ref['job_s'])}, peak RSS "
          f"{ref['peak_rss_MB']:.0f} MB\n"
          f"    speed-up {ref['job_s'] / new['job_s']:.1f}x; e+ LIS at 10 GeV {new['e+ LIS at 10 GeV']:.4g} vs "
          f"{ref['e+ LIS at 10 GeV']:.4g}, primary e- {new['primary e- LIS at 10 GeV']:.4g} vs "
          f"{ref['primary e- LIS at 10 GeV']:.4g} (m^2 s sr GeV)^-1")
    print(f"(b) a fresh solve on the built lepton propagator: default {fmt(new['fresh_solve_s'])}, reference "
          f"{fmt(ref['fresh_solve_s'])}: {ref['fresh_solve_s'] / new['fresh_solve_s']:.1f}x")
    models = ("GH",) if quick else ("GH", "MED", "MIN", "MAX", "MAX2", "DB")
    times = {m: run_case("response", "two_level", quick, m)["response_s"] for m in models}
    ref_gh = run_case("response", "reference", quick, "GH")["response_s"]
    print("(c) halo energy response (AMS-02 e+ and Voyager 1 energies), empty cache: "
          + ", ".join(f"{m} {fmt(t)}" for m, t in times.items())
          + f"; reference (GH, forward response of all energies) {fmt(ref_gh)}: {ref_gh / times['GH']:.1f}x")
    if not quick:
        scan = run_case("scan", "two_level", quick)
        print(f"(d) default scan, 6 models x 3 datasets x 30 masses, empty cache: {fmt(scan['scan_s'])}, peak RSS "
              f"{scan['peak_rss_MB']:.0f} MB; one scan again from the cache {fmt(scan['rerun_one_scan_s'])}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--case":
        _child(*sys.argv[2:])
    else:
        main(quick="--quick" in sys.argv)
