"""Shared look of the package's model figures (axes, fonts, one colour per model)."""

from __future__ import annotations

from matplotlib.figure import Figure

#: one colour per cross-section model or curve family, so a model looks the same everywhere
MODEL_COLOURS = {
    "chain": "#d62728",
    "kamae2006": "#1f77b4",
    "kelner2006": "#2ca02c",
    "hybrid": "#000000",
}


def _style(ax, xlabel: str, ylabel: str, title: str | None = None) -> None:
    """Log-log, labelled, light grid, inward ticks: the look of every figure of the package."""
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel, fontsize=12)
    ax.set_ylabel(ylabel, fontsize=12)
    if title:
        ax.set_title(title, fontsize=13)
    ax.grid(True, which="major", alpha=0.3)
    ax.tick_params(which="both", direction="in", top=True, right=True, labelsize=10)


def new_axes(xlabel: str, ylabel: str, title: str | None = None, size=(7.0, 4.8)):
    """A Figure with one log-log axes, labelled, light grid, inward ticks."""
    fig = Figure(figsize=size, layout="constrained")
    ax = fig.add_subplot()
    _style(ax, xlabel, ylabel, title)
    return fig, ax


def axes_for(ax, xlabel: str, ylabel: str, title: str | None = None, size=(7.0, 4.8)):
    """``(figure, axes)``: ``ax`` and its figure when given (labelled and styled as by
    :func:`new_axes`), else a new figure from :func:`new_axes`."""
    if ax is None:
        return new_axes(xlabel, ylabel, title, size)
    _style(ax, xlabel, ylabel, title)
    return ax.figure, ax
