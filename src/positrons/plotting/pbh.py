"""Figure of PBH emission spectra (draws; computes no physics).

:func:`plot_pbh_spectra` is "the usual figure" of ``positrons pbh spectrum --plot``: on the
left, spectra per black hole of a few monochromatic masses; on the right, spectra per gram
of PBHs of a few log-normal populations and a monochromatic reference; each curve total
(thick), primary (dashed) and secondary (dotted).  The spectra are computed by the caller
(:mod:`positrons.analysis.pbh_spectra`, from :mod:`positrons.sources.pbh`) and passed in as objects
with ``E_kin``, ``primary``, ``secondary`` and ``total`` arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e")
_NAMES = {"positron": "e$^+$", "electron": "e$^-$", "photon": r"$\gamma$"}


@dataclass(frozen=True)
class SpectrumCurve:
    """One spectrum to draw: a legend label and the spectrum (``E_kin``, ``primary``, ``secondary``, ``total``)."""

    label: str
    spectrum: object


def mass_label(mass_g: float, temperature_MeV: float | None = None) -> str:
    """'5$\\times$10$^{14}$ g  (T = 21.1 MeV)' for a legend."""
    exponent = int(np.floor(np.log10(mass_g)))
    mantissa = mass_g / 10**exponent
    text = (f"{mantissa:g}" + r"$\times$" if not np.isclose(mantissa, 1.0) else "") + f"$10^{{{exponent}}}$ g"
    return text if temperature_MeV is None else text + f"  (T = {temperature_MeV:.3g} MeV)"


def _draw(axis, curve: SpectrumCurve, colour, thick=2.0):
    s = curve.spectrum
    axis.loglog(s.E_kin, s.total, color=colour, lw=thick, label=curve.label)
    axis.loglog(s.E_kin, s.primary, color=colour, lw=1.0, ls="--")
    axis.loglog(s.E_kin, s.secondary, color=colour, lw=1.0, ls=":")


def plot_pbh_spectra(particle: str, content: str, per_hole: list, per_gram: list, reference=None,
                     requested=None, requested_panel: str = "left", lognormal_centre_g: float = 1e16,
                     ax=None) -> Figure:
    """Two panels of PBH spectra (module docstring).

    Parameters
    ----------
    particle, content : str
        For the titles and labels.
    per_hole, per_gram : list of SpectrumCurve
        Left panel (per black hole [GeV^-1 s^-1]) and right panel (per gram of PBHs
        [GeV^-1 s^-1 g^-1]) curves.
    reference : (label, E_kin, values), optional
        A dash-dotted grey line on the right panel (e.g. a monochromatic spectrum / M).
    requested : SpectrumCurve, optional
        An extra black dashed total on ``requested_panel`` ("left" or "right").
    lognormal_centre_g : float
        M_c of the right panel's populations, for its title.
    ax : (Axes, Axes), optional
        The two panels to draw on (default: a new 12 x 4.8 inch figure); their figure is returned.
    """
    if ax is None:
        fig = Figure(figsize=(12.0, 4.8), layout="constrained")
        left, right = fig.subplots(1, 2)
    else:
        left, right = ax
        fig = left.figure
    for curve, colour in zip(per_hole, _COLOURS):
        _draw(left, curve, colour)
    for curve, colour in zip(per_gram, _COLOURS):
        _draw(right, curve, colour)
    if reference is not None:
        label, E, values = reference
        right.loglog(E, values, color="0.5", lw=1.5, ls="-.", label=label)
    name = _NAMES.get(particle, particle)
    for axis in (left, right):  # limits from the standard curves
        lines = [line.get_ydata() for line in axis.get_lines()]
        top = max((np.nanmax(y) for y in lines if np.any(np.asarray(y) > 0)), default=1.0)
        axis.set_ylim(top * 1e-8, top * 5)
        energies = np.concatenate([np.asarray(line.get_xdata()) for line in axis.get_lines()])
        axis.set_xlim(energies.min(), energies.max())
    if requested is not None:
        axis = left if requested_panel == "left" else right
        axis.loglog(requested.spectrum.E_kin, requested.spectrum.total, color="k", lw=1.2, ls=(0, (4, 2)),
                    label=requested.label)
    for axis in (left, right):
        axis.set_xlabel("kinetic energy [GeV]")
        axis.grid(True, which="major", alpha=0.3)
        axis.legend(loc="upper left" if particle == "photon" else "lower left", fontsize=8.5, frameon=False)
    left.set_title(f"Monochromatic: {name} per black hole")
    left.set_ylabel(r"$d^2N/dt\,dE$  [GeV$^{-1}$ s$^{-1}$]")
    right.set_title(f"Log-normal, $M_c$ = {mass_label(lognormal_centre_g)}: {name} per gram of PBHs")
    right.set_ylabel(r"$\int dM\,\psi(M)/M\;d^2N/dt\,dE$  [GeV$^{-1}$ s$^{-1}$ g$^{-1}$]")

    secondary = r"secondary ($\mu$, $\pi^\pm$ decays)" if particle != "photon" else r"secondary ($\pi^0 \to \gamma\gamma$)"
    styles = [Line2D([], [], color="0.2", lw=2.0), Line2D([], [], color="0.2", lw=1.0, ls="--"),
              Line2D([], [], color="0.2", lw=1.0, ls=":")]
    fig.legend(styles, ["total", "primary (Hawking)", secondary], loc="outside lower center", ncol=3, fontsize=9,
               frameon=False)
    fig.suptitle(f"Hawking emission of Schwarzschild PBHs (particle content: {content})", fontsize=11)
    return fig


def plot_pbh_spectrum(spectrum, label: str, normalisation: str = "", ax=None) -> Figure:
    """One PBH spectrum: total (thick), primary (dashed) and secondary (dotted) against kinetic
    energy [GeV] on log-log axes (``ax``, or a new figure's); ``normalisation`` (e.g. "per black
    hole [GeV^-1 s^-1]") labels the y axis.  Returns the figure."""
    from .style import axes_for

    fig, ax = axes_for(ax, "kinetic energy [GeV]", f"$d^2N/dt\\,dE$  {normalisation}".rstrip())
    _draw(ax, SpectrumCurve(label, spectrum), _COLOURS[0])
    ax.legend(fontsize=8.5, frameon=False)
    return fig
