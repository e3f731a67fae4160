"""The classic positron-fraction figure and the E^3-weighted e+ and e- fluxes.

* :func:`plot_fraction` -- a prediction (and a fitted primary source) over every shipped
  fraction measurement;
* :func:`plot_fraction_band` / :func:`plot_positron_flux_band` -- the secondary fraction /
  e+ flux over the draws of a propagation posterior (median line, central 68 % and 95 %
  shaded) on the same data;
* :func:`plot_lepton_fluxes` -- the e+ and e- fluxes of a prediction on AMS-02.
"""

from __future__ import annotations

import numpy as np

#: pre-2000 experiments that published e+ and e- fluxes (not a fraction): the fraction is
#: computed here at their shared energies, errors in quadrature assumed uncorrelated
EARLY_FLUX_PAIRS = (
    ("HEAT 94-95", "heat_positron_flux_1994_95", "heat_electron_flux_1994_95"),
    ("CAPRICE94", "caprice94_positron_flux", "caprice94_electron_flux"),
    ("AMS-01", "ams01_positron_flux_1998", "ams01_electron_flux_1998"),
)


def early_fraction(positron_id: str, electron_id: str):
    """(E [GeV], fraction, error) from an experiment's e+ and e- flux tables at the energies
    both quote (to 0.5 %); errors combined in quadrature as if uncorrelated.  Derived here,
    not a published fraction."""
    from ..data import load

    pos, ele = load(positron_id).to_kinetic_energy(), load(electron_id).to_kinetic_energy()
    out = []
    for E, value, lo, hi in zip(pos.energy, pos.value, *pos.errors()):
        match = np.flatnonzero(np.abs(ele.energy / E - 1) < 5e-3)
        if match.size != 1:
            continue
        j = match[0]
        e_lo, e_hi = ele.errors()
        sp, se = 0.5 * (lo + hi), 0.5 * (e_lo[j] + e_hi[j])
        total = value + ele.value[j]
        f = value / total
        err = np.hypot(ele.value[j] * sp, value * se) / total**2
        out.append((E, f, err))
    return tuple(np.array(c) for c in zip(*out)) if out else (np.array([]),) * 3


def _fraction_data(ax=None):
    """(figure, axes) with every shipped fraction measurement and the early data (a new 9 x 8.2
    inch figure unless ``ax`` is given)."""
    from .data import plot_quantity

    new_figure = ax is None
    fig = plot_quantity("fraction", ax=ax)
    ax = fig.axes[0] if new_figure else ax
    if new_figure:
        fig.set_size_inches(9.0, 8.2)
    for k, (name, pos, ele) in enumerate(EARLY_FLUX_PAIRS):
        E, f, err = early_fraction(pos, ele)
        ax.errorbar(E, f, yerr=err, fmt="^v<"[k], ms=4, color="0.45", mfc="white", lw=0.8,
                    label=f"{name} (from its e+, e- fluxes)")
    return fig, ax


#: colour of a propagation-posterior band on the fraction and flux figures
BAND_COLOUR = "#1f3b73"


def plot_fraction_band(T, band: dict, label: str, note: str | None = None, ax=None):
    """The secondary positron fraction over propagation-posterior draws on every shipped
    fraction measurement: ``band`` = ``{"median", "lo68", "hi68", "lo95", "hi95"}`` at
    kinetic energies ``T`` [GeV] (:func:`positrons.analysis.posterior.quantile_band`);
    ``note`` is written in the upper left corner.  Returns the figure."""
    from .bands import draw_quantile_band

    fig, ax = _fraction_data(ax)
    draw_quantile_band(ax, T, band["median"], band["lo68"], band["hi68"], band["lo95"], band["hi95"], BAND_COLOUR,
                       label, positive=False)
    if note:
        ax.text(0.02, 0.97, note, transform=ax.transAxes, va="top", fontsize=8)
    ax.set_ylim(0.0, 0.4)
    ax.legend(fontsize=7.5, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.11), frameon=False)
    return fig


def plot_positron_flux_band(T, band: dict, label: str, note: str | None = None, energy_power: float = 3.0,
                            ax=None):
    """The secondary e+ flux at Earth [m^-2 s^-1 sr^-1 GeV^-1] over propagation-posterior draws
    (``band`` as in :func:`plot_fraction_band`), times T^``energy_power``, on every shipped
    positron-flux measurement.  Returns the figure."""
    from .bands import draw_quantile_band
    from .data import plot_quantity

    new_figure = ax is None
    fig = plot_quantity("flux", "positron", ax=ax, energy_power=energy_power)
    ax = fig.axes[0] if new_figure else ax
    if new_figure:
        fig.set_size_inches(9.0, 7.0)
    w = np.asarray(T, dtype=float) ** energy_power
    draw_quantile_band(ax, T, *(w * np.asarray(band[k], dtype=float) for k in ("median", "lo68", "hi68", "lo95", "hi95")),
                       BAND_COLOUR, label)
    if note:
        ax.text(0.02, 0.97, note, transform=ax.transAxes, va="top", fontsize=8)
    ax.legend(fontsize=7.5, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.11), frameon=False)
    return fig


def plot_fraction(pred, label: str = "", fit=None, band=None, ax=None):
    """Every shipped fraction measurement, the early data, the secondary prediction (with an
    optional ``band`` = (T, low, high)), and the total with the primary source.

    ``pred``: :class:`positrons.analysis.fraction.FractionPrediction`; ``fit``: its
    :class:`positrons.analysis.fraction_fit.FractionFit` (marks the fitted range).  With a
    fit, the dashed secondary curve is the fitted A (E/10 GeV)^alpha times the secondary
    positrons: it rises with energy when alpha > 0 and lies above the prediction when A > 1,
    both free in the fit; the grey ``band`` is the secondary prediction as computed.  The
    legend sits below the axes, off the data.
    """
    fig, ax = _fraction_data(ax)
    if band is not None:
        T, low, high = band
        ax.fill_between(T, low, high, color="0.7", alpha=0.5, lw=0,
                        label=f"secondary ({pred.model}) as predicted: cross sections and phi spread")
    if fit is None:
        sec_label = f"secondary ({pred.model}), as predicted"
    else:
        A, alpha = fit.values.get("sec_norm"), fit.values.get("sec_tilt")
        numbers = f": A = {A:.2f}, $\\alpha$ = {alpha:.2f}" if A is not None and alpha is not None else ""
        sec_label = (f"secondary ({pred.model}) $\\times$ A (E/10 GeV)$^\\alpha$, fitted with the source{numbers}\n"
                     "(free normalisation and tilt: it rises where $\\alpha$ > 0; unfitted: grey band)")
    ax.plot(pred.T, pred.fraction_secondary, color="k", ls="--", lw=1.6, label=sec_label, zorder=10)
    if pred.primary_pairs is not None:
        ax.plot(pred.T, pred.fraction, color="crimson", lw=2.2, label=f"total: {label}", zorder=11)
    if fit is not None:
        ax.axvspan(fit.energy_range_GeV[0], fit.energy_range_GeV[1], color="gold", alpha=0.08, lw=0)
        ax.text(0.02, 0.97, f"fit to {fit.dataset}, E > {fit.energy_range_GeV[0]:g} GeV (shaded): "
                f"chi2/ndof = {fit.chi2:.1f}/{fit.ndof}", transform=ax.transAxes, va="top", fontsize=8)
    ax.set_ylim(0.0, 0.4)
    ax.legend(fontsize=7.5, ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.11), frameon=False)
    return fig


def plot_lepton_fluxes(pred, label: str = "", ax=None):
    """E^3-weighted e+ and e- fluxes at Earth with the AMS-02 measurements and the components
    (on ``ax``, or a new figure's; the figure is returned)."""
    from ..data import load
    from .style import new_axes

    if ax is None:
        fig, ax = new_axes("kinetic energy [GeV]", r"$E^3\,\Phi$ [GeV$^2$ m$^{-2}$ s$^{-1}$ sr$^{-1}$]",
                           f"Electrons and positrons at Earth ({pred.model})")
    else:
        fig = ax.figure
    T = pred.T
    w = T**3
    for dataset, colour, name in (("ams02_positron_flux_prl2019", "C3", "AMS-02 e+ (2019)"),
                                  ("ams02_electron_flux_physrep2021_crdb", "C0", "AMS-02 e- (2021)")):
        d = load(dataset).to_kinetic_energy()
        lo, hi = d.errors()
        ax.errorbar(d.energy, d.value * d.energy**3, yerr=[lo * d.energy**3, hi * d.energy**3], fmt="o", ms=3,
                    color=colour, label=name)
    ax.plot(T, w * pred.positrons, color="C3", lw=2, label="e+ total")
    ax.plot(T, w * pred.secondary_positrons, color="C3", ls="--", label="e+ secondary")
    ax.plot(T, w * pred.electrons, color="C0", lw=2, label="e- total")
    ax.plot(T, w * pred.primary_electrons, color="C0", ls=":", label="e- primary (SNR)")
    if pred.primary_pairs is not None:
        ax.plot(T, w * pred.primary_pairs, color="crimson", ls="-.", label=f"each charge: {label}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(0.3, 500)
    ax.legend(fontsize=7, ncol=2)
    return fig
