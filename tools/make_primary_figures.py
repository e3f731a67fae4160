"""Figures of docs/propagation.md: propagated primary protons and electrons for the six models.

    python tools/make_primary_figures.py

Each model's injection (Huang & Zhou Table 1 for protons; positrons.analysis.primaries.
ELECTRON_INJECTION for electrons) propagated on the default (converged) grid, normalised to
AMS-02 after force-field modulation at the model's phi; drawn modulated, against the data.
"""

from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from positrons.data import load
from positrons.heliosphere.force_field import modulate
from positrons.propagation.grid import GridSpec
from positrons.propagation.models import PRESETS
from positrons.analysis.primaries import fit_primary

OUT = Path(__file__).resolve().parents[1] / "docs" / "figures"
COLOURS = {"MIN": "#1f77b4", "MED": "#2ca02c", "MAX": "#d62728", "MAX2": "#9467bd", "DB": "#000000", "GH": "#ff7f0e"}
CASES = [("proton", "ams02_proton_flux_physrep2021", 2.7), ("electron", "ams02_electron_flux_physrep2021_crdb", 3.0)]


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    T = GridSpec().energies(0.1, 1e4)
    for species, dataset, power in CASES:
        fig = Figure(figsize=(7.0, 4.8), layout="constrained")
        ax = fig.add_subplot()
        data = load(dataset).to_kinetic_energy()
        lo, hi = data.errors()
        E = data.energy
        ax.errorbar(E, E**power * data.value, yerr=[E**power * lo, E**power * hi], fmt="o", ms=3, color="0.4",
                    label=f"{data.label}", zorder=1)
        for name, model in PRESETS.items():
            fit = fit_primary(model, species, dataset, T=T)
            positive = fit.flux_lis > 0
            toa = modulate(T, (T[positive], fit.flux_lis[positive]), model.phi_GV, species)
            ax.plot(T, T**power * toa, color=COLOURS[name], lw=1.6,
                    label=f"{name} (chi2/n = {fit.chi2 / fit.n_points:.1f})")
            print(f"{species} {name}: normalisation {fit.normalisation:.3e}, chi2 {fit.chi2:.0f} / {fit.n_points}")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(0.3, 3e3)
        ax.set_xlabel("kinetic energy $T$ [GeV]", fontsize=12)
        ax.set_ylabel(f"$T^{{{power:g}}}\\,\\Phi$ [GeV$^{{{power - 1:g}}}$ m$^{{-2}}$ s$^{{-1}}$ sr$^{{-1}}$]", fontsize=12)
        ax.set_title(f"primary {species}s, modulated (force field), normalised to AMS-02", fontsize=12)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
        path = OUT / f"propagation_primary_{species}s.png"
        fig.savefig(path, dpi=130)
        print("wrote", path)


if __name__ == "__main__":
    main()
