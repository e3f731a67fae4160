#!/usr/bin/env python
"""What drives the chi^2 of the secondary-background fit behind the with-background PBH limits.

    python tools/diagnose_background_fit.py [--models GH,MED,MIN,MAX,MAX2,DB]

For each model: the background-only fit A (T/GeV)^delta x (propagated secondary e+) to the AMS-02
positron flux (PRL 2019) on the default grid -- its chi^2, the pulls point by point at the
model's phi, and how chi^2 changes with the force-field potential (0.3-1.0 GV) and with the
lower end of the fitted range (0.5, 1, 2 GeV).  The numbers of docs/pbh_limits.md, section 7.
"""

from __future__ import annotations

import argparse

import numpy as np
from iminuit import Minuit
from scipy.stats import chi2 as chi2_distribution

from positrons.data import load
from positrons.propagation.grid import GridSpec
from positrons.propagation.models import PRESETS
from positrons.analysis import pbh_limits as ps
from positrons.analysis.transport import Transport, flux_at_data
from positrons.heliosphere.modulation import ForceFieldModulation
from positrons.stats.likelihood import Chi2

DATASET = "ams02_positron_flux_prl2019"
PHIS = (0.3, 0.45, 0.55, 0.7, 0.85, 1.0)


def background_fit(chi2: Chi2, background) -> tuple[float, float, float]:
    """(chi2_min, A, delta) of A (T/GeV)^delta x background."""
    fit = Minuit(lambda A, delta: chi2(A * chi2.energies**delta * background), A=1.0, delta=0.0)
    fit.errordef = 1
    fit.limits["A"] = (0, None)
    fit.limits["delta"] = (-3, 3)  # a tilt beyond |3| is not a background shape; keeps A T^delta finite
    fit.migrad()
    return float(fit.fval), float(fit.values["A"]), float(fit.values["delta"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default="GH,MED,MIN,MAX,MAX2,DB")
    args = parser.parse_args(argv)
    data = load(DATASET)
    spec = GridSpec()
    print("| model | phi [GV] | range [GeV] | points | chi2_min / ndof | p | A | delta | best phi (chi2_min) |")
    print("|---|---|---|---|---|---|---|---|---|")
    pulls = {}
    for name in args.models.split(","):
        model = PRESETS[name]
        galaxy = ps.pbh_response(model, Transport(spec))
        flux = ps.secondary_background(galaxy)
        T = galaxy.grid.T
        for lo in (0.5, 1.0, 2.0):
            chi2 = Chi2(data, lo, 5.2)
            fits = {phi: background_fit(chi2, flux_at_data(T, flux, chi2.energies, ForceFieldModulation(phi), "positron")) for phi in PHIS}
            c, A, d = fits[model.phi_GV] if model.phi_GV in fits else background_fit(
                chi2, flux_at_data(T, flux, chi2.energies, ForceFieldModulation(model.phi_GV), "positron"))
            ndof = chi2.n_points - 2
            best = min(fits, key=lambda phi: fits[phi][0])
            print(f"| {name} | {model.phi_GV:g} | {lo:g}-5.2 | {chi2.n_points} | {c:.1f} / {ndof} | "
                  f"{chi2_distribution.sf(c, ndof):.1e} | {A:.2f} | {d:.2f} | {best:g} ({fits[best][0]:.1f}) |", flush=True)
            if lo == 0.5:
                background = flux_at_data(T, flux, chi2.energies, ForceFieldModulation(model.phi_GV), "positron")
                pulls[name] = (chi2.energies, chi2.pulls(A * chi2.energies**d * background))
    for name, (E, p) in pulls.items():
        print(f"{name} pulls at its phi, 0.5-5.2 GeV: " + ", ".join(f"{e:.2g}: {v:+.1f}" for e, v in zip(E, p)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
