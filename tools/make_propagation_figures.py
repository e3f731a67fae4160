"""Figures of docs/propagation.md: secondary e+ and PBH e+ through the six propagation models.

    python tools/make_propagation_figures.py

Local interstellar (unmodulated) fluxes at the Sun, E^3-weighted for secondaries (source
built from propagated, AMS-02-normalised p and He) and E^2-weighted for PBHs (2e16 g,
monochromatic, f_PBH = 1, NFW), 1 kpc x 0.1 kpc grid.
"""

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from positrons.analysis import galactic
from positrons.analysis.transport import Transport
from positrons.propagation.diffusion2d import Propagator
from positrons.propagation.grid import GridSpec
from positrons.propagation.models import PRESETS

OUT = Path(__file__).resolve().parents[1] / "docs" / "figures"
COLOURS = {"MIN": "#1f77b4", "MED": "#2ca02c", "MAX": "#d62728", "MAX2": "#9467bd", "DB": "#000000", "GH": "#ff7f0e"}


def _axes(title, ylabel):
    fig = Figure(figsize=(7.0, 4.8), layout="constrained")
    ax = fig.add_subplot()
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("kinetic energy $T$ [GeV]", fontsize=12)
    ax.set_ylabel(ylabel, fontsize=12)
    ax.set_title(title, fontsize=12)
    ax.grid(True, alpha=0.3)
    ax.tick_params(which="both", direction="in", top=True, right=True)
    return fig, ax


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    spec = GridSpec()  # the converged default grid
    T = spec.energies(1e-3, 1e4)
    fig_s, ax_s = _axes("secondary positrons (local interstellar)", r"$T^3\,\Phi$ [GeV$^2$ m$^{-2}$ s$^{-1}$ sr$^{-1}$]")
    T_pbh = spec.energies(1e-4, 100.0)
    fig_p, ax_p = _axes(r"positrons from PBHs of $2\times10^{16}$ g ($f_{PBH}=1$, NFW; local interstellar)",
                        r"$T^2\,\Phi$ [GeV m$^{-2}$ s$^{-1}$ sr$^{-1}$]")
    rows = []
    for name, model in PRESETS.items():
        field, _, _ = galactic.secondary_source_field(model, "positron", T, transport=Transport(spec))
        flux = Propagator.for_species(model, spec.grid(model, T), "positron").solve(field).flux(model.r_sun_kpc)
        ax_s.plot(T, T**3 * flux, color=COLOURS[name], lw=2 if name == "DB" else 1.6, label=name)
        profile, spectrum = galactic.pbh_profile_and_spectrum(2e16, "positron", T_pbh)
        flux_p, _ = galactic.local_flux(model, "positron", profile, spectrum, T_pbh, transport=Transport(spec))
        ax_p.plot(T_pbh, T_pbh**2 * flux_p, color=COLOURS[name], lw=2 if name == "DB" else 1.6, label=name)
        at = lambda e: float(np.interp(np.log(e), np.log(T_pbh), flux_p))  # noqa: E731
        rows.append((name, at(0.01), at(0.1), at(1.0)))
        print(f"{name}: PBH e+ flux at 10 MeV {at(0.01):.3e}, 100 MeV {at(0.1):.3e}, 1 GeV {at(1.0):.3e} (m^2 s sr GeV)^-1")
    for ax in (ax_s, ax_p):
        ax.legend(fontsize=10)
    ax_s.set_ylim(1e-3, 2e2)
    ymax = max(line.get_ydata().max() for line in ax_p.get_lines())
    ax_p.set_ylim(ymax * 1e-6, ymax * 3)
    fig_s.savefig(OUT / "propagation_secondary_positrons.png", dpi=130)
    fig_p.savefig(OUT / "propagation_pbh_2e16g.png", dpi=130)
    print("wrote", OUT / "propagation_secondary_positrons.png", OUT / "propagation_pbh_2e16g.png")


if __name__ == "__main__":
    main()
