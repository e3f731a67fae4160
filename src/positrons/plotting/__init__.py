"""Plots of package objects; draws only, computes no physics.

* :func:`plot_datasets`, :func:`plot_quantity` -- measurements (:mod:`positrons.plotting.data`).

Functions return a :class:`matplotlib.figure.Figure` built without pyplot, so they work on
a headless (Agg) backend; save with ``fig.savefig(path)``.
"""

from .data import COMBINED_PLOT_EXCLUDED_FLAGS, plot_datasets, plot_quantity

__all__ = ["COMBINED_PLOT_EXCLUDED_FLAGS", "plot_datasets", "plot_quantity"]
