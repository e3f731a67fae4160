"""Convergence of the headline numbers under grid refinement (the transport engine's contract).

    python benchmarks/convergence.py [--models GH,MED] [--quick] [--markdown FILE]

Every quantity is computed twice: on the default grid (:class:`positrons.propagation.grid.GridSpec`,
default :class:`~positrons.propagation.solution.SolverSettings`) and with all spacings halved
(dR, dz at the disc, dz at the halo boundary, and twice the energies per decade) and the solver
tolerance tightened 10x.  The table gives both values and their relative change; the default
grid is "converged" where that change is <= 2 %.

Quantities (per model): f_PBH upper limits at 1e15, 1e16, 2e16 and 5e16 g (monochromatic) from
the AMS-02 positron flux and Voyager 1 e+ + e-, without and with the secondary background (AMS-02
only: the background is secondary positrons, which cannot describe Voyager's electrons); the
secondary-positron and primary-electron local interstellar fluxes at 0.5, 5 and 50 GeV; the
positron fraction (secondaries only, modulated) at 10 GeV.

``--quick`` checks the machinery on a coarse grid (and its halving) in a minute; the full run
(default grid against the refined one) takes ~30 min on two cores, mostly the refined grid.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from positrons.analysis.fraction import secondary_lis
from positrons.heliosphere.force_field import as_spectrum
from positrons.propagation.grid import GridSpec
from positrons.propagation.solution import SolverSettings
from positrons.analysis.pbh_limits import pbh_limit_scan
from positrons.analysis.transport import Transport

MASSES_G = (1e15, 1e16, 2e16, 5e16)
AMS = "ams02_positron_flux_prl2019"
VOYAGER = "voyager1_electron_lis_cummings2016"
SPECTRUM_ENERGIES_GEV = (0.5, 5.0, 50.0)
TOLERANCE = 0.02


def quantities(model: str, spec: GridSpec, settings: SolverSettings) -> dict[str, float]:
    """Every headline number of ``model`` on one grid, by name."""
    out = {}
    for dataset, label in ((AMS, "AMS-02 e+"), (VOYAGER, "Voyager 1")):
        backgrounds = ("none", "secondary") if dataset == AMS else ("none",)
        for background in backgrounds:
            scan = pbh_limit_scan(model, MASSES_G, dataset, background=background,
                                  transport=Transport(spec, settings, cache=None))
            for mass, f in zip(MASSES_G, scan.f_limit):
                out[f"f_PBH({mass:.0e} g), {label}, background {background}"] = float(f)
    lis = secondary_lis(model, transport=Transport(spec, settings, cache=None))
    for E in SPECTRUM_ENERGIES_GEV:
        at = lambda flux: float(as_spectrum((lis.T, flux))(E))  # noqa: E731  (monotone cubic in log-log)
        out[f"secondary e+ LIS at {E:g} GeV"] = at(lis.positrons)
        out[f"primary e- LIS at {E:g} GeV"] = at(lis.primary_electrons)
    out["positron fraction at 10 GeV (secondary, phi of the model)"] = float(lis.prediction([10.0]).fraction[0])
    return out


def table(models, base: GridSpec, settings: SolverSettings) -> tuple[list[str], float]:
    """Markdown rows of the comparison, and the largest relative change."""
    rows = ["| model | quantity | default grid | halved spacings, rtol / 10 | change |", "|---|---|---|---|---|"]
    worst = 0.0
    for model in models:
        t0 = time.perf_counter()
        coarse = quantities(model, base, settings)
        t1 = time.perf_counter()
        fine = quantities(model, base.refined(2.0), settings.tightened(10.0))
        t2 = time.perf_counter()
        print(f"{model}: default grid {t1 - t0:.0f} s, refined {t2 - t1:.0f} s", flush=True)
        for name, value in coarse.items():
            change = fine[name] / value - 1
            worst = max(worst, abs(change))
            flag = "" if abs(change) <= TOLERANCE else " **>2 %**"
            rows.append(f"| {model} | {name} | {value:.4g} | {fine[name]:.4g} | {100 * change:+.2f} %{flag} |")
    return rows, worst


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default="GH,MED")
    parser.add_argument("--quick", action="store_true", help="a coarse grid and its halving (machinery check)")
    parser.add_argument("--markdown", metavar="FILE", help="also write the table to FILE")
    parser.add_argument("--grid", metavar="DR,DZ,DZMAX,N", help="another base grid than the default (kpc, kpc, "
                        "kpc, energies per decade), e.g. to try a candidate default")
    args = parser.parse_args(argv)
    base = GridSpec(2.0, 0.2, 0.8, 6) if args.quick else GridSpec()
    if args.grid:
        base = GridSpec(*(float(x) for x in args.grid.split(",")))
    settings = SolverSettings()
    print(f"default grid: {base}; solver: {settings}")
    rows, worst = table(args.models.split(","), base, settings)
    text = "\n".join(rows)
    print(text)
    print(f"largest change: {100 * worst:.2f} % (tolerance {100 * TOLERANCE:g} %)")
    if args.markdown:
        with open(args.markdown, "w") as fh:
            fh.write(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
