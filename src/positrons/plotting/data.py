"""Draw measurements: error bars against kinetic energy, one series per dataset.

Draws only; every number comes from :mod:`positrons.data` (conversion to kinetic energy
with :meth:`~positrons.data.Dataset.to_kinetic_energy`, errors with
:meth:`~positrons.data.Dataset.errors`).  Functions build a :class:`matplotlib.figure.Figure`
directly (no pyplot state, no ``show``), so they work with any backend, Agg included;
save with ``fig.savefig(path)``.

* :func:`plot_datasets` -- the datasets you pass, on one axes;
* :func:`plot_quantity` -- every shipped dataset of a quantity (positron fraction, or the
  flux of one species) on one axes, leaving out the sets that should not be compared
  directly (see its docstring).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure

from .. import data as _data

__all__ = ["plot_datasets", "plot_quantity", "COMBINED_PLOT_EXCLUDED_FLAGS"]

#: datasets carrying one of these flags are left out of :func:`plot_quantity`
COMBINED_PLOT_EXCLUDED_FLAGS = ("units_unverified", "not_independent_measurement", "duplicate")

# one base colour per experiment, so that an experiment looks the same on every figure
_EXPERIMENT_COLOURS = {
    "AMS-02": "#d62728",
    "PAMELA": "#1f77b4",
    "Fermi-LAT": "#2ca02c",
    "DAMPE": "#9467bd",
    "CALET": "#ff7f0e",
    "H.E.S.S.": "#8c564b",
    "VERITAS": "#bcbd22",
    "HEAT": "#e377c2",
    "CAPRICE94": "#17becf",
    "AMS-01": "#7f7f7f",
    "ATIC": "#393b79",
    "BETS": "#637939",
    "PPB-BETS": "#8c6d31",
    "Voyager 1": "#000000",
}
_FALLBACK_COLOURS = ("#843c39", "#7b4173", "#3182bd", "#31a354", "#756bb1", "#e6550d")
_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "<", ">", "h", "p", "*", "d", "H")

_SPECIES_TEXT = {
    "positron": "Positron",
    "electron": "Electron",
    "electron+positron": "Electron + positron",
    "proton": "Proton",
    "helium": "Helium",
    "carbon": "Carbon",
    "boron/carbon": "B/C",
}
_SUPERSCRIPT_UNITS = {  # value unit after to_kinetic_energy -> y-axis text
    "flux": r"GeV$^{{{p}}}$ m$^{{-2}}$ s$^{{-1}}$ sr$^{{-1}}$",
}


def _shade(colour: str, k: int):
    """The k-th variant of a colour, for the k-th dataset of one experiment: base, darker, lighter, ..."""
    rgb = np.array(to_rgb(colour))
    if k == 0:
        return tuple(rgb)
    amount = min(0.3 * ((k + 1) // 2), 0.75)
    darker = k % 2 == 1 and rgb.mean() > 0.2  # a near-black base can only get lighter
    return tuple(rgb * (1 - amount)) if darker else tuple(rgb + (1 - rgb) * amount)


def _y_label(quantity: str, species: set[str], energy_power) -> str:
    if quantity == "fraction":
        return r"Positron fraction  $e^+/(e^+ + e^-)$"
    if quantity == "ratio":
        return " ; ".join(sorted(_SPECIES_TEXT.get(s, s) for s in species))
    p = 0 if energy_power is None else energy_power
    unit_power = p - 1
    if unit_power == 0:
        unit = r"m$^{-2}$ s$^{-1}$ sr$^{-1}$"
    elif unit_power == 1:
        unit = r"GeV m$^{-2}$ s$^{-1}$ sr$^{-1}$"
    else:
        unit = _SUPERSCRIPT_UNITS["flux"].format(p=f"{unit_power:g}")
    weight = "" if p == 0 else (r"$E$" if p == 1 else rf"$E^{{{p:g}}}$") + r"$\,$"
    return rf"{weight}$\Phi$  [{unit}]"


def _resolve(datasets) -> list:
    if isinstance(datasets, str | _data.Dataset):
        datasets = [datasets]
    out = [_data.load(d) if isinstance(d, str) else d for d in datasets]
    if not out:
        raise ValueError("no datasets to plot")
    return out


def plot_datasets(
    datasets: Iterable,
    ax=None,
    energy_power: float | None = None,
    *,
    label_suffixes: dict[str, str] | None = None,
    title: str | None = None,
) -> Figure:
    """Draw datasets as error bars (total errors, asymmetric) against kinetic energy.

    Parameters
    ----------
    datasets
        :class:`~positrons.data.Dataset` objects or dataset IDs/aliases, all of the same
        quantity (fluxes of several species may share a figure).
    ax
        Axes to draw on; a new :class:`~matplotlib.figure.Figure` is made if ``None``.
    energy_power
        For fluxes: draw ``E^p Phi`` (``E`` = kinetic energy in GeV, per particle), e.g. 3.
        Not allowed for fractions and ratios.
    label_suffixes
        Extra legend text per dataset ID (e.g. ``"(LIS)"``).
    title
        Axes title.

    Every dataset is converted with :meth:`~positrons.data.Dataset.to_kinetic_energy`;
    the x axis is kinetic energy [GeV] (log), fluxes use a log y axis.  Each dataset is one
    series labelled "experiment (year)"; rows without any error are drawn as a second,
    open-marker series labelled "... (no error)".  Returns the Figure.
    """
    sets = _resolve(datasets)
    quantities = {d.quantity for d in sets}
    if len(quantities) != 1:
        raise ValueError(f"cannot draw different quantities on one axes: {sorted(quantities)}")
    quantity = quantities.pop()
    if energy_power is not None and quantity != "flux":
        raise ValueError(f"energy_power applies to fluxes only, not to a {quantity}")
    p = 0.0 if energy_power is None else float(energy_power)
    suffixes = label_suffixes or {}

    if ax is None:
        fig = Figure(figsize=(9.0, 6.2), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure

    several_species = len({d.species for d in sets}) > 1
    labels = [f"{d.label}, {d.species}" if several_species else d.label for d in sets]
    seen_experiment: dict[str, int] = {}
    fallback = iter(_FALLBACK_COLOURS * 4)
    x_all, y_all, handles = [], [], []
    for i, d in enumerate(sets):
        k = d.to_kinetic_energy()
        x = k.energy
        weight = x**p
        y = k.value * weight
        lo, hi = (e * weight for e in k.errors("total"))
        has_err = np.isfinite(lo) & np.isfinite(hi)

        n_same = seen_experiment.get(d.experiment, 0)
        seen_experiment[d.experiment] = n_same + 1
        base = _EXPERIMENT_COLOURS.get(d.experiment) or next(fallback)
        colour = _shade(base, n_same)
        marker = _MARKERS[i % len(_MARKERS)]
        label = labels[i] if labels.count(labels[i]) == 1 else f"{labels[i]} [{d.id}]"
        if suffixes.get(d.id):
            label = f"{label} {suffixes[d.id]}"

        style = dict(marker=marker, color=colour, linestyle="none", zorder=3)
        if has_err.any():
            handles.append(
                ax.errorbar(
                    x[has_err], y[has_err], yerr=[lo[has_err], hi[has_err]],
                    markersize=5.5, elinewidth=1.1, capsize=0, label=label, **style,
                )
            )
        if (~has_err).any():
            (line,) = ax.plot(
                x[~has_err], y[~has_err], markersize=6.5, markerfacecolor="none", markeredgewidth=1.4,
                label=f"{label} (no error)", **style,
            )
            handles.append(line)
        x_all.append(x)
        y_all.append(np.concatenate([y - np.nan_to_num(lo), y + np.nan_to_num(hi)]))

    x_all = np.concatenate(x_all)
    y_all = np.concatenate(y_all)
    ax.set_xscale("log")
    ax.set_xlim(x_all.min() / 1.6, x_all.max() * 1.6)
    if quantity == "flux":
        ax.set_yscale("log")
        positive = y_all[y_all > 0]
        ax.set_ylim(positive.min() / 2.0, positive.max() * 2.0)
    else:
        top = np.nanmax(y_all)
        ax.set_ylim(0.0, min(1.0, 1.12 * top))

    ax.set_xlabel(r"Kinetic energy $E$  [GeV]", fontsize=14)
    ax.set_ylabel(_y_label(quantity, {d.species for d in sets}, energy_power), fontsize=14)
    ax.tick_params(which="both", labelsize=12, direction="in", top=True, right=True)
    ax.tick_params(which="major", length=6)
    ax.tick_params(which="minor", length=3)
    ax.grid(True, which="major", alpha=0.3, linewidth=0.8)
    ax.grid(True, which="minor", alpha=0.1, linewidth=0.5)
    ncol = 1 if len(handles) <= 7 else 2
    ax.legend(
        handles=handles, fontsize=10.5, ncol=ncol, frameon=True, framealpha=0.9, loc="best", handletextpad=0.4
    )
    if title:
        ax.set_title(title, fontsize=15)
    return fig


def plot_quantity(
    quantity: str,
    species: str | None = None,
    ax=None,
    energy_power: float | None = None,
    *,
    exclude: Sequence[str] = (),
) -> Figure:
    """Draw every shipped dataset of ``quantity`` (and ``species``) on one figure.

    ``quantity="fraction"`` draws the positron fractions; ``quantity="flux"`` needs a
    ``species`` (``"positron"``, ``"electron"``, ``"electron+positron"``, or a nucleus).

    Left out of these combined figures: datasets flagged ``units_unverified`` (VERITAS,
    whose unit is doubtful), ``not_independent_measurement`` (the SSDC e- + e+ sum of two
    AMS-02 tables) and ``duplicate`` (a second copy of a measurement already drawn), plus
    the IDs in ``exclude``.  Datasets flagged ``local_interstellar`` (Voyager 1 beyond the
    heliopause, unmodulated) are marked "(LIS)" in the legend.  Returns the Figure.
    """
    if quantity == "flux" and species is None:
        raise ValueError("plot_quantity('flux') needs a species, e.g. species='positron'")
    ids = _data.find(species=species, quantity=quantity, exclude_flags=COMBINED_PLOT_EXCLUDED_FLAGS)
    ids = [i for i in ids if i not in set(exclude)]
    if not ids:
        raise ValueError(f"no shipped dataset of quantity {quantity!r} and species {species!r}")
    sets = sorted((_data.load(i) for i in ids), key=lambda d: (d.experiment, d.year, d.id))
    suffixes = {d.id: "(LIS)" for d in sets if "local_interstellar" in d.flags}
    if quantity == "fraction":
        title = "Positron fraction"
    else:
        title = f"{_SPECIES_TEXT.get(species, species)} {quantity}"
    return plot_datasets(sets, ax=ax, energy_power=energy_power, label_suffixes=suffixes, title=title)
