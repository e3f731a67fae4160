"""Figures of upper limits on f_PBH (draws; computes no physics).

Every number comes from :mod:`positrons.analysis.pbh_limits` (scans, phi bands, the fluxes at a
limit), computed by the caller (:mod:`positrons.commands.pbh`, ``tools/make_pbh_limit_figures.py``)
and passed in.  Functions build a :class:`matplotlib.figure.Figure` (no pyplot state).

* :func:`plot_limits_by_model` -- one panel per propagation model (2 x 3), one curve per
  dataset, the force-field band phi -/+ 0.1 GV shaded;
* :func:`plot_limit_curves` -- several curves on one axes (log-normal widths against
  monochromatic; with against without background);
* :func:`plot_flux_at_limit` -- the PBH positron flux at the limit of one mass, the fitted
  secondary background and their sum on the AMS-02 points;
* :func:`plot_limit_bands` -- limits over the draws of a propagation posterior
  (:class:`LimitBand`: median line, central 68 % and 95 % shaded), with reference curves;
* :class:`PublishedBound` -- the hook for published limits.  Published curves (e.g. Boudaud &
  Cirelli 2019, PRL 122, 041104, Voyager 1) are *not* shipped: their numbers cannot be read
  from here and none are invented.  Digitise the curve yourself, build
  ``PublishedBound(M_g, f, citation)`` (e.g. from a two-column file with
  :meth:`PublishedBound.from_file`) and pass it as ``published=[...]``; it is drawn as a thin
  black line labelled with the citation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from .bands import draw_quantile_band

__all__ = ["LIMIT_METHODS", "LimitBand", "LimitCurve", "PublishedBound", "method_note", "plot_flux_at_limit",
           "plot_limit_bands", "plot_limit_curves", "plot_limits_by_model"]

#: one colour per dataset, so a dataset looks the same on every limit figure
DATASET_COLOURS = {
    "ams02_positron_flux_prl2019": "#d62728",
    "ams02_allelectron_flux_physrep2021_crdb": "#1f77b4",
    "voyager1_electron_lis_cummings2016": "#2ca02c",
}
DATASET_LABELS = {
    "ams02_positron_flux_prl2019": "AMS-02 e$^+$",
    "ams02_allelectron_flux_physrep2021_crdb": "AMS-02 e$^+$ + e$^-$",
    "voyager1_electron_lis_cummings2016": "Voyager 1 e$^+$ + e$^-$",
}
#: what each limit rule means, by background option, as written on the figures
#: (Boudaud & Cirelli 2019, PRL 122, 041104 for the first; Wilks' theorem, PDG "Statistics", for the second)
LIMIT_METHODS = {
    "none": r"PBH flux $\leq$ data + 2$\sigma$ at every point (2$\sigma$, conservative)",
    "secondary": r"secondary $\times A\,(T/\mathrm{GeV})^\delta$ profiled, $\Delta\chi^2$ = 3.84 (95 % C.L.)",
}
#: the phi band, as written on the figures that draw it
PHI_BAND_NOTE = r"band: force-field $\phi \mp 0.1$ GV"
#: the propagation-posterior band, as written on the figures that draw it
POSTERIOR_BAND_NOTE = "band: propagation posterior draws, median line, central 68 % and 95 % shaded"
_CYCLE = ("#000000", "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e")


@dataclass(frozen=True)
class LimitCurve:
    """One f_PBH(M) curve: masses [g], limits, and optionally a band (``f_low``, ``f_high``)."""

    label: str
    masses_g: np.ndarray
    f: np.ndarray
    f_low: np.ndarray | None = None
    f_high: np.ndarray | None = None
    colour: str | None = None
    linestyle: str = "-"


@dataclass(frozen=True)
class LimitBand:
    """f_PBH(M) over the draws of a propagation posterior: the per-mass median and the
    central 68 % (``lo68``-``hi68``) and 95 % (``lo95``-``hi95``) intervals of the limits."""

    label: str
    masses_g: np.ndarray
    median: np.ndarray
    lo68: np.ndarray
    hi68: np.ndarray
    lo95: np.ndarray
    hi95: np.ndarray
    colour: str | None = None


@dataclass(frozen=True)
class PublishedBound:
    """A published limit curve supplied by the user, with the reference it comes from.

    ``citation`` is shown in the legend (e.g. "Boudaud & Cirelli 2019, PRL 122, 041104, Fig. 2,
    Voyager 1, no background"); say in it how the curve was obtained (digitised, table)."""

    masses_g: np.ndarray
    f: np.ndarray
    citation: str

    def __post_init__(self):
        if not self.citation.strip():
            raise ValueError("a published bound needs its citation")
        m, f = np.asarray(self.masses_g, dtype=float), np.asarray(self.f, dtype=float)
        if m.shape != f.shape or m.ndim != 1 or len(m) < 2:
            raise ValueError("masses_g and f must be 1-D arrays of the same length (>= 2)")

    @classmethod
    def from_file(cls, path, citation: str) -> PublishedBound:
        """Two whitespace- or comma-separated columns M [g], f_PBH; '#' starts a comment."""
        text = Path(path).read_text().replace(",", " ")
        table = np.loadtxt(text.splitlines(), ndmin=2)
        return cls(table[:, 0], table[:, 1], citation)


def method_note(background: str | None = None) -> str:
    """The limit rule of ``background`` ("none" or "secondary") as one line for a figure;
    None: both rules, one line each (for a figure whose title says which background)."""
    if background is None:
        return "\n".join(f"background {name}: {rule}" for name, rule in LIMIT_METHODS.items())
    prefix = "no background" if background == "none" else f"{background} background"
    return f"{prefix}: {LIMIT_METHODS.get(background, '')}".rstrip(": ")


def _draw_note(ax, note: str):
    """``note`` in small type in the lower right corner of ``ax`` (below rising limit curves), on a white box."""
    ax.text(0.98, 0.03, note, transform=ax.transAxes, va="bottom", ha="right", fontsize=7.5, color="0.15",
            bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="0.8", alpha=0.9), zorder=20)


def _figure_and_axes(ax=None):
    """(figure, axes): ``ax`` and its figure, or a new 7 x 4.8 inch figure with one axes."""
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=(7.0, 4.8), layout="constrained")
    return fig, fig.add_subplot()


def _limit_axes(ax, title=None):
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.axhline(1.0, color="0.4", lw=0.8, ls=":")
    ax.grid(True, which="major", alpha=0.3)
    ax.tick_params(which="both", direction="in", top=True, right=True, labelsize=9)
    if title:
        ax.set_title(title, fontsize=11)


def _draw_curve(ax, curve: LimitCurve, colour):
    colour = curve.colour or colour
    ok = np.isfinite(curve.f) & (curve.f > 0)
    ax.plot(curve.masses_g[ok], curve.f[ok], color=colour, lw=2, ls=curve.linestyle, label=curve.label)
    if curve.f_low is not None and curve.f_high is not None:
        band = ok & np.isfinite(curve.f_low) & np.isfinite(curve.f_high)
        ax.fill_between(curve.masses_g[band], curve.f_low[band], curve.f_high[band], color=colour, alpha=0.25, lw=0)


def _draw_published(ax, published: Sequence[PublishedBound]):
    for k, bound in enumerate(published):
        ax.plot(bound.masses_g, bound.f, color="k", lw=1.2, ls=("--", "-.", ":")[k % 3], label=bound.citation)


def plot_limits_by_model(panels: dict[str, list[LimitCurve]], *, published: Sequence[PublishedBound] = (),
                         ylim=(1e-9, 1e3), note: str | None = None) -> Figure:
    """One panel per model (2 rows x 3 columns for six models), the curves of each panel drawn
    with their band; ``published`` curves are drawn on every panel."""
    n = len(panels)
    ncols = 3 if n > 4 else max(n, 1)
    nrows = int(np.ceil(n / ncols))
    fig = Figure(figsize=(4.2 * ncols, 3.5 * nrows + 0.4), layout="constrained")
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False)
    for ax, (model, curves) in zip(axes.flat, panels.items()):
        _limit_axes(ax, model)
        off_scale = []
        for k, curve in enumerate(curves):
            _draw_curve(ax, curve, _CYCLE[(k + 1) % len(_CYCLE)])
            finite = curve.f[np.isfinite(curve.f)]
            if finite.size == 0 or finite.min() > ylim[1]:
                low = f"f > {finite.min():.1e}" if finite.size else "no limit"
                off_scale.append(f"{curve.label.split(' (')[0]}: off scale ({low})")
        if off_scale:
            ax.text(0.03, 0.97 if model != next(iter(panels)) else 0.55, "\n".join(off_scale), transform=ax.transAxes,
                    va="top", fontsize=8, color="0.25")
        _draw_published(ax, published)
        ax.set_ylim(*ylim)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("$M$ [g]")
    for ax in axes[:, 0]:
        ax.set_ylabel("$f_{PBH}$ upper limit")
    axes.flat[0].legend(fontsize=8, loc="upper left")
    if note:
        fig.suptitle(note, fontsize=10)
    return fig


def plot_limit_curves(curves: Sequence[LimitCurve], *, title: str | None = None,
                      published: Sequence[PublishedBound] = (), ylim=None, ax=None, note: str | None = None
                      ) -> Figure:
    """Several f_PBH(M) curves (with optional bands) on one log-log axes (``ax``, or a new
    figure's); returns the figure.

    ``note``: text written in the lower right corner: the limit rule (confidence level),
    dataset, model and mass function when the title and labels do not say them; None: both
    limit rules (:func:`method_note`), and the phi band when a curve has one."""
    fig, ax = _figure_and_axes(ax)
    _limit_axes(ax, title)
    for k, curve in enumerate(curves):
        _draw_curve(ax, curve, _CYCLE[k % len(_CYCLE)])
    _finish_limit_axes(ax, published, ylim, legend_size=9)
    if note is None:
        note = method_note()
        if any(c.f_low is not None for c in curves):
            note += "\n" + PHI_BAND_NOTE
    if note:
        _draw_note(ax, note)
    return fig


def _finish_limit_axes(ax, published, ylim, legend_size: float) -> None:
    """Published bounds, the y range, the axis labels and the legend of a limits figure."""
    _draw_published(ax, published)
    if ylim:
        ax.set_ylim(*ylim)
    ax.set_xlabel("$M$ [g] (central mass for a log-normal)", fontsize=12)
    ax.set_ylabel("$f_{PBH}$ upper limit", fontsize=12)
    ax.legend(fontsize=legend_size, loc="upper left")


def plot_limit_bands(bands: Sequence[LimitBand], curves: Sequence[LimitCurve] = (), *, title: str | None = None,
                     published: Sequence[PublishedBound] = (), ylim=None, ax=None, note: str | None = None
                     ) -> Figure:
    """Limits over propagation-posterior draws (:class:`LimitBand`: median line, 68 % and 95 %
    shaded) with optional reference ``curves`` (thin lines, e.g. single models) on one log-log
    axes (``ax``, or a new figure's); returns the figure.  ``note``: text in the lower right
    corner (None: both limit rules and :data:`POSTERIOR_BAND_NOTE`)."""
    fig, ax = _figure_and_axes(ax)
    _limit_axes(ax, title)
    for k, band in enumerate(bands):
        colour = band.colour or DATASET_COLOURS.get(band.label, _CYCLE[k % len(_CYCLE)])
        draw_quantile_band(ax, band.masses_g, band.median, band.lo68, band.hi68, band.lo95, band.hi95, colour,
                           band.label)
    for k, curve in enumerate(curves):
        ok = np.isfinite(curve.f) & (curve.f > 0)
        ax.plot(curve.masses_g[ok], curve.f[ok], color=curve.colour or _CYCLE[(k + 1) % len(_CYCLE)], lw=1.0,
                ls=curve.linestyle, label=curve.label)
    _finish_limit_axes(ax, published, ylim, legend_size=8.5)
    if note is None:
        note = method_note() + "\n" + POSTERIOR_BAND_NOTE
    if note:
        _draw_note(ax, note)
    return fig


def plot_flux_at_limit(spectra, points, fit_points=None, *, energy_power: float = 2.0,
                       title: str | None = None, ax=None) -> Figure:
    """The PBH flux at the f_PBH limit, the fitted background and their sum, on the data.

    Parameters
    ----------
    spectra : positrons.analysis.pbh_limits.LimitSpectra
        ``T_GeV``, ``signal`` (at the limit), ``background`` (profiled at the limit),
        ``background_best`` and the labels.
    points : (T, value, err_low, err_high)
        The data [GeV, GeV^-1 m^-2 s^-1 sr^-1], drawn in grey.
    fit_points : (T, value, err_low, err_high), optional
        The points used in the fit, drawn in black on top.
    energy_power : float
        Fluxes are multiplied by T^energy_power.
    ax : matplotlib Axes, optional
        Draw there (default: a new figure); the figure is returned.
    """
    fig, ax = _figure_and_axes(ax)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.grid(True, which="major", alpha=0.3)
    ax.tick_params(which="both", direction="in", top=True, right=True, labelsize=10)
    T = spectra.T_GeV
    w = T**energy_power
    for pts, colour, label in ((points, "0.6", "data (not fitted)"), (fit_points, "k", "data in the fit")):
        if pts is None:
            continue
        e, v, lo, hi = (np.asarray(a, dtype=float) for a in pts)
        we = e**energy_power
        ax.errorbar(e, v * we, yerr=[lo * we, hi * we], fmt="o", ms=3, color=colour, label=label, zorder=3)
    rule = r"95 % C.L. limit ($\Delta\chi^2$ = 3.84)" if spectra.background is not None else r"2$\sigma$ limit, no background"
    ax.plot(T, spectra.signal * w, color="#d62728", lw=2, label=f"PBH at the {rule}, f = {spectra.f_limit:.3g}")
    if spectra.background is not None:
        ax.plot(T, spectra.background * w, color="#1f77b4", lw=1.5, ls="--",
                label=r"secondaries $\times A (T/\mathrm{GeV})^\delta$ at the limit")
        ax.plot(T, spectra.background_best * w, color="#1f77b4", lw=1.0, ls=":", label="background, best fit")
        ax.plot(T, (spectra.background + spectra.signal) * w, color="k", lw=1.5, label="sum at the limit")
    ax.set_xlabel("kinetic energy $T$ [GeV]", fontsize=12)
    p = energy_power - 1
    unit = "" if p == 0 else ("GeV " if p == 1 else rf"GeV$^{{{p:g}}}$ ")
    ax.set_ylabel(rf"$T^{{{energy_power:g}}}\,\Phi$ [{unit}m$^{{-2}}$ s$^{{-1}}$ sr$^{{-1}}$]", fontsize=12)
    positive = spectra.signal[spectra.signal > 0]
    if fit_points is not None or points is not None:
        ref = np.asarray((fit_points or points)[1]) * np.asarray((fit_points or points)[0]) ** energy_power
        ax.set_ylim(ref.min() / 30, ref.max() * 5)
    elif positive.size:
        ax.set_ylim(positive.max() * w.max() * 1e-4, None)
    ax.set_title(title or f"{spectra.model}, {spectra.label}, phi = {spectra.phi_GV:g} GV", fontsize=12)
    ax.legend(fontsize=9)
    return fig
