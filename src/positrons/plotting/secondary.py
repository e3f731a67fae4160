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


def plot_feynman_x(measurement, charge: int = +1):
    """A measured dn/dx_F (``accelerator_data.FeynmanXDensity``) against the chain's pion model
    (dsigma/dx_F over Kamae's sigma_inel), with the ratio underneath."""
    import matplotlib.pyplot as plt

    from .. import constants as const
    from ..cross_sections import kamae2006
    from ..cross_sections.pion_production import dsigma_dxF

    T_p = float(np.sqrt(measurement.p_lab_GeV**2 + const.m_proton**2) - const.m_proton)
    sigma_inel = float(sum(kamae2006.sigma_pp_components(T_p)))
    x = np.linspace(0.0, 0.95, 200)
    fig, (ax, ax_ratio) = plt.subplots(2, 1, figsize=(7, 6), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    ax.errorbar(measurement.x_F, measurement.dn_dxF, yerr=measurement.stat_error, fmt="o", color="k", ms=4,
                label=f"{measurement.reference.split(',')[0]} ({measurement.particle}, {measurement.p_lab_GeV:g} GeV/c)")
    ax.plot(x, dsigma_dxF(T_p, x, charge) / sigma_inel, color=MODEL_COLOURS.get("chain"), lw=1.8,
            label=r"chain (BSG77 shape, Dermer $\sigma$) / Kamae $\sigma_{inel}$")
    ax.set_yscale("log")
    ax.set_ylim(bottom=1e-4)
    ax.set_ylabel(r"$dn/dx_F$ per inelastic collision")
    ax.legend(fontsize=9)
    ratio = dsigma_dxF(T_p, measurement.x_F, charge) / sigma_inel / measurement.dn_dxF
    ax_ratio.plot(measurement.x_F, ratio, "o", color=MODEL_COLOURS.get("chain"), ms=4)
    ax_ratio.axhline(1.0, color="0.5", lw=0.8)
    ax_ratio.set_ylim(0.0, 1.5)
    ax_ratio.set_xlabel(r"$x_F = 2p_L^*/\sqrt{s}$")
    ax_ratio.set_ylabel("model / data")
    fig.tight_layout()
    return fig
