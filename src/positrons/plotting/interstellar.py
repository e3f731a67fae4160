"""Figures of the interstellar medium and of the energy-loss times.

Draws only: the numbers come from :mod:`positrons.interstellar` (the model's own methods,
evaluated on plotting grids) and, for :func:`plot_loss_times`, from arrays the caller
computed with :mod:`positrons.losses`.  Both return a :class:`matplotlib.figure.Figure`
built without pyplot.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .. import units as u

__all__ = ["plot_ism", "plot_loss_times"]

_GAS_STYLE = {"HI": ("C0", "-"), "H2 (x2)": ("C3", "-"), "HII": ("C2", "-"), "total H": ("k", "--")}
_PROCESS_COLOURS = {
    "ionization": "C0",
    "coulomb": "C9",
    "bremsstrahlung_neutral": "C1",
    "bremsstrahlung_ionized": "C5",
    "synchrotron": "C2",
    "inverse_compton": "C3",
}


def _gas_curves(gas, R, z):
    return {
        "HI": gas.n_HI(R, z),
        "H2 (x2)": 2.0 * gas.n_H2(R, z),
        "HII": gas.n_HII(R, z),
        "total H": gas.n_H_total(R, z),
    }


def _style(ax, xlabel, ylabel, logy=True):
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    ax.grid(True, alpha=0.3)
    ax.tick_params(which="both", direction="in", top=True, right=True)


def plot_ism(ism, R_max_kpc: float = 20.0, z_max_kpc: float = 4.0) -> Figure:
    """Four panels: gas vs R (z = 0) and vs z (R = r_sun); radiation energy densities vs R
    (z = 0, solid) and vs z at the Sun (top axis, dashed); B vs R (z = 0) and vs z."""
    r_sun = ism.r_sun_kpc
    R = np.linspace(0.0, R_max_kpc, 401)
    z = np.linspace(-z_max_kpc, z_max_kpc, 401)
    fig = Figure(figsize=(11.0, 8.0), layout="constrained")
    (a_gR, a_gz), (a_rad, a_B) = fig.subplots(2, 2)

    for name, values in _gas_curves(ism.gas, R, 0.0).items():
        colour, ls = _GAS_STYLE[name]
        a_gR.plot(R, values, color=colour, ls=ls, label=name)
    a_gR.axvline(r_sun, color="0.6", lw=0.8)
    a_gR.set_ylim(1e-3, 5.0)
    a_gR.set_title(f"gas at z = 0 (He/H = {ism.gas.he_to_h:g} not shown)", fontsize=11)
    _style(a_gR, "R [kpc]", r"density [cm$^{-3}$] (H atoms)")
    a_gR.legend(fontsize=9)

    for name, values in _gas_curves(ism.gas, r_sun, z).items():
        colour, ls = _GAS_STYLE[name]
        a_gz.plot(z, values, color=colour, ls=ls, label=name)
    a_gz.set_ylim(1e-4, 2.0)
    a_gz.set_title(f"gas at R = {r_sun:g} kpc", fontsize=11)
    _style(a_gz, "z [kpc]", r"density [cm$^{-3}$] (H atoms)")

    top = a_rad.twiny()
    for i, comp in enumerate(ism.radiation.components):
        colour = f"C{i}"
        label = f"{comp.name} ({comp.temperature_K:g} K)"
        a_rad.plot(R, comp.energy_density(R, 0.0) / u.eV, color=colour, label=label)
        top.plot(z, comp.energy_density(r_sun, z) / u.eV, color=colour, ls="--")
    a_rad.plot(R, ism.radiation.energy_density(R, 0.0) / u.eV, color="k", label="total")
    top.plot(z, ism.radiation.energy_density(r_sun, z) / u.eV, color="k", ls="--")
    top.set_xlabel(f"z [kpc] at R = {r_sun:g} kpc (dashed)")
    top.tick_params(direction="in")
    a_rad.set_title("radiation field, solid: vs R at z = 0", fontsize=11)
    _style(a_rad, "R [kpc] (solid)", r"energy density [eV cm$^{-3}$]")
    a_rad.legend(fontsize=9, loc="upper right")

    a_B.plot(R, ism.magnetic.strength(R, 0.0), color="C4", label="vs R, z = 0")
    topB = a_B.twiny()
    topB.plot(z, ism.magnetic.strength(r_sun, z), color="C4", ls="--")
    topB.set_xlabel(f"z [kpc] at R = {r_sun:g} kpc (dashed)")
    topB.tick_params(direction="in")
    mag = ism.magnetic
    a_B.set_title(
        f"B = {mag.b0_muG:g} exp(-(R-{r_sun:g})/{mag.r_scale_kpc:g} - |z|/{mag.z_scale_kpc:g}) $\\mu$G", fontsize=11
    )
    _style(a_B, "R [kpc] (solid)", r"B [$\mu$G]")
    return fig


def plot_loss_times(T, total_b, by_process: dict, references=(), title: str | None = None) -> Figure:
    """Loss times T/b [yr] against kinetic energy T [GeV]: each process, the total, and
    reference curves ``(label, T_array, time_yr_array, style_dict)``.  ``total_b`` and the
    values of ``by_process`` are loss rates [GeV/s] on ``T``."""
    T = np.asarray(T, dtype=float)
    fig = Figure(figsize=(7.4, 5.4), layout="constrained")
    ax = fig.add_subplot()
    ax.set_xscale("log")
    for name, b in by_process.items():
        ax.plot(T, T / np.asarray(b) / u.yr, color=_PROCESS_COLOURS.get(name), lw=1.4, label=name.replace("_", " "))
    ax.plot(T, T / np.asarray(total_b) / u.yr, color="k", lw=2.4, label="total")
    for label, Tr, tr, style in references:
        ax.plot(Tr, tr, label=label, **style)
    _style(ax, "kinetic energy T [GeV]", r"loss time $T/b(T)$ [yr]")
    ax.set_ylim(1e1, 1e11)
    if title:
        ax.set_title(title, fontsize=11)
    ax.legend(fontsize=8.5, loc="lower center", ncol=2, framealpha=0.9)
    return fig
