"""Figures of secondary production: cross sections and source terms of every model."""

from __future__ import annotations

import numpy as np

from .style import MODEL_COLOURS, new_axes


def plot_cross_sections(models, T_projectile: float, lepton: str = "positron", reaction: str = "pp"):
    """E dsigma/dE [mb] of each model (name) at one projectile energy [GeV/n]; models outside
    their validity range at that energy, or whose tables are not on disk (orusa2022), are
    left out (said in the title)."""
    from ..cross_sections import get_model

    T_e = np.geomspace(1e-3, T_projectile, 300)[:-1]
    fig, ax = new_axes("lepton kinetic energy $T_e$ [GeV]", r"$T_e\,d\sigma/dT_e$ [mb]")
    skipped = []
    from ..cross_sections.orusa2022 import OrusaTablesMissing

    for name in models:
        try:
            model = get_model(name)
        except OrusaTablesMissing:
            skipped.append(name)
            continue
        if not model.projectile_min <= T_projectile <= model.projectile_max:
            skipped.append(name)
            continue
        for lep, style in ((lepton, "-"),):
            sigma = model.dsigma_dT(T_projectile, T_e, lepton=lep, reaction=reaction)
            ax.plot(T_e, T_e * sigma, style, color=MODEL_COLOURS.get(name), lw=1.8, label=name)
    title = f"{reaction} $\\rightarrow$ {lepton}, $T_p$ = {T_projectile:g} GeV/n"
    if skipped:
        title += f"  (not shown: {', '.join(skipped)})"
    ax.set_title(title, fontsize=12)
    ax.set_ylim(bottom=1e-3)
    ax.legend(fontsize=10)
    return fig


def plot_sources(models, lepton: str, T_e, n_H: float = 1.0):
    """E^2 q(E) of each model for the shipped proton and helium LIS (n_H [cm^-3]).

    Drawn on 80 log-spaced energies spanning ``T_e``.  A model whose projectile range ends
    (chain at 1 TeV, kelner2006 starts at 100 GeV) is incomplete where those projectiles
    matter; the y range is set by the largest curve, so such drops leave the frame.
    """
    from ..lis import shipped_lis
    from ..sources.secondary import build_production_matrix

    T_e = np.geomspace(np.min(T_e), np.max(T_e), 80)
    protons, helium = shipped_lis()
    peak = 0.0
    fig, ax = new_axes(
        "lepton kinetic energy $T_e$ [GeV]",
        r"$T_e^2\,q(T_e)$ [GeV cm$^{-3}$ s$^{-1}$]",
        title=f"secondary {lepton} source, $n_H$ = {n_H:g} cm$^{{-3}}$, He/H = 0.1",
    )
    for name in models:
        q = build_production_matrix(name, lepton, T_e).source(protons, helium, n_H=n_H)
        ax.plot(T_e, T_e**2 * q, color=MODEL_COLOURS.get(name), lw=2.4 if name == "hybrid" else 1.6,
                ls="--" if name == "hybrid" else "-", label=name)
        peak = max(peak, float(np.max(T_e**2 * q)))
    ax.set_ylim(peak * 1e-4, peak * 3)
    ax.legend(fontsize=10)
    return fig
