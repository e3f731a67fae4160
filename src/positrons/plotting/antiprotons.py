"""Figure of secondary antiprotons: p̄/p with the band of the production models and the data."""

from __future__ import annotations

import numpy as np

from .style import axes_for


def plot_pbar_p(result, ax=None):
    """p̄/p (TOA) against kinetic energy [GeV]: one line per production model, their envelope
    shaded, the p̄/p datasets of ``result.comparisons`` (rigidity converted to p̄ kinetic energy);
    drawn on ``ax`` if given, else on a new figure.  Returns the figure.  ``result``:
    :class:`positrons.analysis.antiprotons.AntiprotonResult`."""
    from ..kinematics import kinetic_from_rigidity

    fig, ax = axes_for(ax, "antiproton kinetic energy [GeV]", r"$\bar p/p$",
                       title=f"secondary $\\bar p/p$: model {result.model}, $\\phi$ = {result.phi_GV:g} GV")
    low, high = result.band
    ax.fill_between(result.T, low, high, color="#d62728", alpha=0.25, lw=0, label="production-model band")
    for name, style in zip(result.xs, ("-", "--", ":")):
        ax.plot(result.T, result.pbar_p_toa[name], style, color="#d62728", lw=1.6, label=name)
    for c in result.comparisons:
        if c.quantity != "ratio":
            continue
        x = kinetic_from_rigidity(c.x, "antiproton") if c.variable == "rigidity" else c.x
        ax.errorbar(x, c.value, yerr=c.error, fmt="o", ms=3.5, lw=1, color="k",
                    label=f"{c.dataset}: $\\chi^2$/n = {c.chi2:.0f}/{c.n_points}")
    ax.set_xlim(0.3, 1e3)
    finite = high[(result.T > 0.3) & (result.T < 1e3) & np.isfinite(high)]
    if finite.size:
        ax.set_ylim(finite[finite > 0].min() / 5, finite.max() * 3)
    ax.legend(fontsize=8)
    return fig
