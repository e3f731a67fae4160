"""Figures of secondary production: cross sections and source terms of every model.

Draws curves computed by :mod:`positrons.analysis.secondary_spectra`; computes no cross
section or source term itself.
"""

from __future__ import annotations

import numpy as np

from .style import MODEL_COLOURS, axes_for


def plot_cross_sections(T_e, curves: dict, title: str = "", ax=None):
    """E dsigma/dE [mb] against lepton kinetic energy ``T_e`` [GeV] for each ``curves``
    entry (model name -> dsigma/dE [mb/GeV]); returns the figure."""
    fig, ax = axes_for(ax, "lepton kinetic energy $T_e$ [GeV]", r"$T_e\,d\sigma/dT_e$ [mb]")
    T_e = np.asarray(T_e, dtype=float)
    for name, sigma in curves.items():
        ax.plot(T_e, T_e * np.asarray(sigma), "-", color=MODEL_COLOURS.get(name), lw=1.8, label=name)
    if title:
        ax.set_title(title, fontsize=12)
    ax.set_ylim(bottom=1e-3)
    ax.legend(fontsize=10)
    return fig


def plot_sources(T_e, curves: dict, lepton: str, n_H: float = 1.0, ax=None):
    """E^2 q(E) against ``T_e`` [GeV] for each ``curves`` entry (model name -> q
    [GeV^-1 cm^-3 s^-1], gas of ``n_H`` [cm^-3], He/H = 0.1); returns the figure.

    A model whose projectile range ends (chain at 1 TeV, kelner2006 starts at 100 GeV) is
    incomplete where those projectiles matter; the y range is set by the largest curve, so
    such drops leave the frame.
    """
    fig, ax = axes_for(
        ax,
        "lepton kinetic energy $T_e$ [GeV]",
        r"$T_e^2\,q(T_e)$ [GeV cm$^{-3}$ s$^{-1}$]",
        title=f"secondary {lepton} source, $n_H$ = {n_H:g} cm$^{{-3}}$, He/H = 0.1",
    )
    T_e = np.asarray(T_e, dtype=float)
    peak = 0.0
    for name, q in curves.items():
        ax.plot(T_e, T_e**2 * q, color=MODEL_COLOURS.get(name), lw=2.4 if name == "hybrid" else 1.6,
                ls="--" if name == "hybrid" else "-", label=name)
        peak = max(peak, float(np.max(T_e**2 * q)))
    ax.set_ylim(peak * 1e-4, peak * 3)
    ax.legend(fontsize=10)
    return fig


def plot_feynman_x(comparison):
    """A measured dn/dx_F against a model, with the ratio underneath.

    ``comparison``: a :class:`~positrons.analysis.secondary_spectra.FeynmanXComparison`
    (``measurement``, the model on ``x`` and ``model_at_data`` at the measured x_F).
    """
    import matplotlib.pyplot as plt

    measurement = comparison.measurement
    fig, (ax, ax_ratio) = plt.subplots(2, 1, figsize=(7, 6), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    ax.errorbar(measurement.x_F, measurement.dn_dxF, yerr=measurement.stat_error, fmt="o", color="k", ms=4,
                label=f"{measurement.reference.split(',')[0]} ({measurement.particle}, {measurement.p_lab_GeV:g} GeV/c)")
    ax.plot(comparison.x, comparison.model, color=MODEL_COLOURS.get("chain"), lw=1.8,
            label=r"chain (BSG77 shape, Dermer $\sigma$) / Kamae $\sigma_{inel}$")
    ax.set_yscale("log")
    ax.set_ylim(bottom=1e-4)
    ax.set_ylabel(r"$dn/dx_F$ per inelastic collision")
    ax.legend(fontsize=9)
    ratio = comparison.model_at_data / measurement.dn_dxF
    ax_ratio.plot(measurement.x_F, ratio, "o", color=MODEL_COLOURS.get("chain"), ms=4)
    ax_ratio.axhline(1.0, color="0.5", lw=0.8)
    ax_ratio.set_ylim(0.0, 1.5)
    ax_ratio.set_xlabel(r"$x_F = 2p_L^*/\sqrt{s}$")
    ax_ratio.set_ylabel("model / data")
    fig.tight_layout()
    return fig
