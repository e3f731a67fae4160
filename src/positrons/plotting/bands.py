"""Quantile bands over the draws of a posterior: a median line and shaded central intervals.

One job: draw, on an existing axes, what :func:`positrons.analysis.posterior.quantile_band`
computed (the median and the central 68 % and 95 % intervals of a quantity over posterior
draws), in one colour, the 68 % interval darker than the 95 %.  Used by the limit figures
(:mod:`positrons.plotting.limits`) and the fraction figures (:mod:`positrons.plotting.fraction`).
"""

from __future__ import annotations

import numpy as np


def draw_quantile_band(ax, x, median, lo68, hi68, lo95, hi95, colour, label: str, what: str = "draws",
                       positive: bool = True) -> None:
    """The ``median`` against ``x`` as a line labelled ``label``, and the central 68 % and 95 %
    intervals shaded (labelled "68 % of the ``what``", ...), where all five are finite (and,
    with ``positive``, > 0: for log axes)."""
    x, median, lo68, hi68, lo95, hi95 = (np.asarray(a, dtype=float) for a in (x, median, lo68, hi68, lo95, hi95))
    ok = np.all([np.isfinite(a) & ((a > 0) if positive else True) for a in (median, lo68, hi68, lo95, hi95)], axis=0)
    ax.fill_between(x[ok], lo95[ok], hi95[ok], color=colour, alpha=0.15, lw=0, label=f"95 % of the {what}")
    ax.fill_between(x[ok], lo68[ok], hi68[ok], color=colour, alpha=0.35, lw=0, label=f"68 % of the {what}")
    ax.plot(x[ok], median[ok], color=colour, lw=2, label=label)
