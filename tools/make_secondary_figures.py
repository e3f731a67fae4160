"""Regenerate the figures of docs/secondary.md.

    python tools/make_secondary_figures.py
"""

from pathlib import Path

import numpy as np

from positrons.cross_sections.accelerator_data import NA49_PI_PLUS_158
from positrons.analysis.secondary_spectra import (SOURCE_FIGURE_MODELS, compare_cross_sections, compare_sources,
                                                  feynman_x_comparison)
from positrons.plotting.secondary import plot_sources

OUT = Path(__file__).resolve().parents[1] / "docs" / "figures"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    models = ["chain", "kamae2006", "kelner2006"]
    for T_p in (1.0, 10.0, 300.0):
        for lepton in ("positron", "electron"):
            fig = compare_cross_sections(models, T_p, lepton).plot()
            name = OUT / f"secondary_xs_{lepton}_{T_p:g}GeV.png"
            fig.savefig(name, dpi=120)
            print("wrote", name)
    for lepton in ("positron", "electron"):
        fig = plot_sources(*compare_sources(SOURCE_FIGURE_MODELS, lepton, np.geomspace(1e-3, 1e3, 2)), lepton)
        name = OUT / f"secondary_source_{lepton}.png"
        fig.savefig(name, dpi=120)
        print("wrote", name)
    name = OUT / "secondary_pions_na49.png"
    feynman_x_comparison(NA49_PI_PLUS_158).plot().savefig(name, dpi=120)
    print("wrote", name)


if __name__ == "__main__":
    main()
