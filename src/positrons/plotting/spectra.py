"""A local interstellar spectrum, T^3 x flux (draws; computes no physics)."""

from __future__ import annotations

import numpy as np

T3_LABEL = r"$T^3\,\Phi$ [GeV$^2$ m$^{-2}$ s$^{-1}$ sr$^{-1}$]"


def plot_local_spectrum(T, flux, title: str | None = None, ax=None, label: str | None = None):
    """T^3 x ``flux`` [m^-2 s^-1 sr^-1 GeV^-1] against kinetic energy ``T`` [GeV] on log-log
    axes (``ax``, or a new figure's; points where the flux is 0 are left out); returns the figure."""
    from .style import new_axes

    if ax is None:
        fig, ax = new_axes("kinetic energy $T$ [GeV]", T3_LABEL, title=title)
    else:
        fig = ax.figure
        if title:
            ax.set_title(title)
    T, flux = np.asarray(T, dtype=float), np.asarray(flux, dtype=float)
    keep = flux > 0
    ax.plot(T[keep], (T**3 * flux)[keep], lw=2, label=label)
    return fig
