"""Make ``docs/figures/heliosphere.png``: a positron LIS, its force-field TOA spectrum with the
+-0.1 GV band, and the numerical Parker solution with the same force-field-equivalent phi.

Usage::

    python tools/make_heliosphere_figure.py [OUTPUT.png]     # default docs/figures/heliosphere.png

The LIS is an ILLUSTRATIVE parametrisation (not a fit to data; see docs/heliosphere.md)::

    Phi_LIS(T) = N (T / 10 GeV)^-gamma [ (T / (T + T_c)) / (10 / (10 + T_c)) ]^a

with N = 1.6e-2 m^-2 s^-1 sr^-1 GeV^-1 (the value at 10 GeV), gamma = 3.3, T_c = 2 GeV and
a = 4: a power law above ~10 GeV with a turnover below ~1 GeV.  phi = 0.564 GV is the
published value for AMS-02 2011/05-2013/11 (positrons.heliosphere.phi_table).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from positrons.heliosphere import force_field, parker, phi_table

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "docs" / "figures" / "heliosphere.png"

#: parameters of the illustrative LIS (module docstring)
LIS_PARAMETERS = {"N": 1.6e-2, "gamma": 3.3, "T_c": 2.0, "a": 4.0}


def illustrative_positron_lis(T, N=1.6e-2, gamma=3.3, T_c=2.0, a=4.0):
    """Illustrative positron LIS [m^-2 s^-1 sr^-1 GeV^-1] at kinetic energy ``T`` [GeV]."""
    T = np.asarray(T, dtype=float)
    return N * (T / 10.0) ** -gamma * ((T / (T + T_c)) / (10.0 / (10.0 + T_c))) ** a


def make_figure(phi: float, delta_phi: float = 0.1) -> Figure:
    T = np.geomspace(0.1, 200.0, 240)
    lis = illustrative_positron_lis(T)
    central, low, high = force_field.modulate_band(T, illustrative_positron_lis, phi, delta_phi, "positron")
    diffusion = parker.HelModLikeDiffusion.from_phi(phi)
    solution = parker.solve_parker(T, illustrative_positron_lis, "positron", diffusion)
    parker_flux = solution.flux(T)

    fig = Figure(figsize=(6.6, 6.4))
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [2.2, 1.0], "hspace": 0.06})
    w = T**3
    top.plot(T, w * lis, color="k", lw=1.8, label="LIS (illustrative)")
    top.fill_between(T, w * low, w * high, color="#1f77b4", alpha=0.25, lw=0, label=rf"force field, $\phi\pm{delta_phi:g}$ GV")
    top.plot(T, w * central, color="#1f77b4", lw=1.8, label=rf"force field, $\phi$ = {phi:g} GV")
    top.plot(T, w * parker_flux, color="#d62728", lw=1.6, ls="--", label="Parker 1D, same force-field-equivalent $\\phi$")
    top.set_xscale("log")
    top.set_yscale("log")
    top.set_ylim(2e-2, 40)
    top.set_ylabel(r"$T^3\,\Phi$  [GeV$^{2}$ m$^{-2}$ s$^{-1}$ sr$^{-1}$]")
    top.legend(loc="lower right", frameon=False, fontsize=9)
    top.set_title("Solar modulation of positrons", fontsize=11)
    top.grid(True, which="major", alpha=0.3)

    bottom.axhline(1.0, color="k", lw=1.0)
    bottom.fill_between(T, low / lis, high / lis, color="#1f77b4", alpha=0.25, lw=0)
    bottom.plot(T, central / lis, color="#1f77b4", lw=1.8)
    bottom.plot(T, parker_flux / lis, color="#d62728", lw=1.6, ls="--")
    bottom.set_xscale("log")
    bottom.set_ylim(0.0, 1.1)
    bottom.set_xlim(T[0], T[-1])
    bottom.set_xlabel("Kinetic energy $T$ [GeV]")
    bottom.set_ylabel(r"$\Phi_\mathrm{TOA} / \Phi_\mathrm{LIS}$")
    bottom.grid(True, which="major", alpha=0.3)
    fig.text(
        0.13,
        0.015,
        "Parker: V = 400 km/s, $\\kappa=(\\beta/3)K_0(R/\\mathrm{GV})(1+r/\\mathrm{AU})$, LIS at 120 AU, "
        f"at 1 AU; grid {solution.grid.n_r} x {solution.grid.n_p_per_decade}/decade",
        fontsize=7.5,
        color="0.3",
    )
    return fig


def main(argv: list[str]) -> int:
    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    output.parent.mkdir(parents=True, exist_ok=True)
    phi = next(e.phi for e in phi_table.PHI_TABLE if e.key == "AMS02(2011/05-2013/11)")
    make_figure(phi).savefig(output, dpi=150, bbox_inches="tight")
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
