"""Figures of the inner-belt positron population (draws; computes no physics).

:func:`plot_belt` is "the usual figure" of Martin et al. (1995): the pion integral
production P_pi(>E), the integral spectra of trapped e+ with and without synchrotron
losses (and e-), and the COSMOS-1669 measurement.  :func:`plot_production` and
:func:`plot_pion_sources` are the extra panels of ``docs/figures/belt.png``.
"""

from __future__ import annotations

import numpy as np

from .. import units as u
from .style import axes_for

#: COSMOS-1669: e+ above 20 MeV at the foot of the L = 1.2 field line [m^-2 s^-1 sr^-1]
COSMOS1669_FLUX = 920.0
COSMOS1669_ERROR = 200.0
#: energy [GeV] at which Martin et al. (1995) drew the point on their curve
COSMOS1669_DRAWN_AT = 0.030

_POS, _ELE, _PION = "#d62728", "#1f77b4", "#555555"

#: axis label of the pion integral production (a rate per unit grammage, not a flux)
PION_AXIS_LABEL = r"$\pi^+$ production $P_\pi(>T_\pi)$ [m$^{-2}$ s$^{-1}$ sr$^{-1}$ (g cm$^{-2}$)$^{-1}$]"


def draw_cosmos_point(ax):
    """The COSMOS-1669 point, drawn at 30 MeV as in Martin et al. (1995)."""
    ax.errorbar([COSMOS1669_DRAWN_AT / u.MeV], [COSMOS1669_FLUX], yerr=[COSMOS1669_ERROR], fmt="s", color="k",
                ms=6, capsize=3, zorder=5,
                label="COSMOS-1669 e$^+$ (>20 MeV, field-line foot),\ndrawn at 30 MeV as in Martin et al. 1995")


def _latex_number(x: float) -> str:
    mantissa, exponent = f"{x:.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return (f"{mantissa}$\\times$" if mantissa != "1" else "") + f"10$^{{{int(exponent)}}}$"


def _positive(y):
    y = np.asarray(y, dtype=float)
    return np.where(y > 0, y, np.nan)


def plot_belt_on(ax, result, pion_curve=None, label: str = "", electrons: bool = True, colours=(_POS, _ELE)):
    """Draw one model's curves on ``ax`` (energies on the x axis in MeV).

    ``result``: a :class:`~positrons.magnetosphere.belt.BeltResult` (energies [GeV] and the
    integral spectra I(>E) [m^-2 s^-1 sr^-1]); ``pion_curve``: ``(T [GeV], P_pi(>T))`` to
    draw as well, or None.  P_pi(>T) is a production rate per unit grammage
    [m^-2 s^-1 sr^-1 (g cm^-2)^-1], not a flux: it goes on its own right-hand axis.
    Returns that axis (None without ``pion_curve``); :func:`belt_legend` gathers both axes.
    """
    E_mev = np.asarray(result.energies) / u.MeV
    tag = f" ({label})" if label else ""
    twin = None
    if pion_curve is not None:
        T, P = pion_curve
        ax.tick_params(axis="y", which="both", right=False)
        twin = ax.twinx()
        twin.set_yscale("log")
        twin.plot(np.asarray(T) / u.MeV, _positive(P), color=_PION, lw=1.6, ls="-.",
                  label=r"$\pi^+$ production $P_\pi(>T_\pi)$ (right axis)")
        twin.set_ylabel(PION_AXIS_LABEL, fontsize=10, color=_PION)
        twin.tick_params(axis="y", which="both", colors=_PION, direction="in")
    ax.plot(E_mev, _positive(result.I_pos), color=colours[0], lw=2.0, ls="--", label="e$^+$, no synchrotron loss" + tag)
    ax.plot(E_mev, _positive(result.I_pos_synch), color=colours[0], lw=2.0, label="e$^+$, with synchrotron loss" + tag)
    if electrons:
        ax.plot(E_mev, _positive(result.I_ele_synch), color=colours[1], lw=1.4, label="e$^-$, with synchrotron loss" + tag)
    return twin


def belt_legend(ax, twin=None, **kwargs):
    """One legend on ``ax`` with the curves of ``ax`` and of its right-hand ``twin`` axis."""
    handles, labels = ax.get_legend_handles_labels()
    if twin is not None:
        more, more_labels = twin.get_legend_handles_labels()
        handles, labels = handles + more, labels + more_labels
    legend = ax.legend(handles, labels, **kwargs)
    if twin is not None:  # keep the legend above the twin's curves
        twin.set_zorder(ax.get_zorder() - 1)
        ax.patch.set_visible(False)
    return legend


def plot_belt(result, pion_curve, title: str | None = None, cosmos: bool = True, ax=None):
    """The usual figure: P_pi(>T), I(>E) of e+ with/without synchrotron losses, e-, COSMOS-1669.

    I(>E) [m^-2 s^-1 sr^-1] on the left axis, P_pi(>T) [m^-2 s^-1 sr^-1 (g cm^-2)^-1] on
    the right.  ``pion_curve``: ``(T [GeV], P_pi(>T))`` up to the top of the pion bins.  Returns the figure.
    """
    m = result.model
    fig, ax = axes_for(ax, r"Kinetic energy $E$ (e$^\pm$), $T_\pi$ (pions) [MeV]", r"e$^\pm$ integral flux $I(>E)$ [m$^{-2}$ s$^{-1}$ sr$^{-1}$]",
                       title or f"Trapped e$^\\pm$ at the top of L = {m.L:g} (B = {m.field:.3g} G, "
                       f"$\\rho$ = {_latex_number(m.density)} g cm$^{{-3}}$)", size=(7.2, 5.0))
    twin = plot_belt_on(ax, result, pion_curve)
    if cosmos:
        draw_cosmos_point(ax)
    T_top = float(np.max(pion_curve[0]))
    ax.set_xlim(np.asarray(result.energies)[0] / u.MeV, max(np.asarray(result.energies)[-1], T_top) / u.MeV)
    ax.set_ylim(bottom=1.0)
    belt_legend(ax, twin, frameon=False, fontsize=8.5, loc="lower left")
    return fig


def plot_production(ax, E, curves: dict, ylabel=True):
    """Lepton production P_e(E) per unit grammage for several decay treatments (``{label: (values, style)}``)."""
    for label, (values, style) in curves.items():
        ax.plot(np.asarray(E) / u.MeV, _positive(values), label=label, **style)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("Lepton kinetic energy $E$ [MeV]", fontsize=11)
    if ylabel:
        ax.set_ylabel(r"$P_e(E)$ [m$^{-2}$ s$^{-1}$ sr$^{-1}$ GeV$^{-1}$ (g cm$^{-2}$)$^{-1}$]", fontsize=10)


def plot_pion_sources(ax, productions: dict):
    """Binned Q_pi of several routes as step curves (``{label: (edges [GeV], values, style)}``)."""
    for label, (edges, values, style) in productions.items():
        ax.stairs(values, np.asarray(edges) / u.MeV, label=label, **style)
    ax.set_xlabel(r"Pion kinetic energy $T_\pi$ [MeV]", fontsize=11)
    ax.set_ylabel(r"$Q_\pi$ [m$^{-2}$ s$^{-1}$ sr$^{-1}$ GeV$^{-1}$ (g cm$^{-2}$)$^{-1}$]", fontsize=10)
