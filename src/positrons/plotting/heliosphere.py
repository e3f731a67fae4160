"""Figures of solar modulation: a LIS, its top-of-atmosphere spectrum and the phi band."""

from __future__ import annotations

from .style import axes_for


def plot_modulation(T, lis_values, central, low, high, label: str, ax=None):
    """LIS and TOA spectrum with its band against kinetic energy T [GeV] (any flux unit);
    returns the figure."""
    fig, ax = axes_for(ax, "Kinetic energy $T$ [GeV]", r"Flux per unit $T$ [input flux unit]", size=(6.4, 4.6))
    ax.plot(T, lis_values, color="k", lw=1.5, label="LIS (input)")
    ax.fill_between(T, low, high, color="C0", alpha=0.3, lw=0, label="TOA band")
    ax.plot(T, central, color="C0", lw=1.8, label=label)
    ax.legend(frameon=False)
    return fig
