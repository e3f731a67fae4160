"""Figures of the nuclear network: a secondary-to-primary ratio with the measurements."""

from __future__ import annotations

import numpy as np

from .style import axes_for

_DATA_STYLE = ("o", "s", "^", "D", "v")


def plot_ratio(result, ax=None):
    """Ratio (LIS dashed, TOA solid) against kinetic energy per nucleon, with every dataset of
    ``result.comparisons`` (rigidity data drawn at their kinetic energy per nucleon for A/Z = 2;
    chi^2 in the legend).  ``result``: :class:`positrons.analysis.nuclei.NucleiRatioResult`; drawn on ``ax`` if given,
    else on a new figure.  Returns the figure."""
    from ..kinematics import kinetic_per_nucleon, kinetic_from_rigidity, Species
    from .. import constants as const

    fig, ax = axes_for(ax, "kinetic energy per nucleon [GeV/n]", result.ratio,
                       title=f"{result.ratio}: model {result.model}, $\\phi$ = {result.phi_GV:g} GV")
    ax.plot(result.T_n, result.ratio_lis, "--", color="0.4", lw=1.5, label="model, LIS")
    ax.plot(result.T_n, result.ratio_toa, "-", color="#d62728", lw=2, label="model, TOA")
    a_over_z2 = Species("A/Z=2", 2 * const.m_proton, 1, 2)
    for style, c in zip(_DATA_STYLE, result.comparisons):
        x = c.x if c.variable != "rigidity" else kinetic_per_nucleon(kinetic_from_rigidity(c.x, a_over_z2), a_over_z2)
        prelim = " (prelim.)" if "preliminary" in c.flags else ""
        ax.errorbar(x, c.value, yerr=c.error, fmt=style, ms=3.5, lw=1, capsize=0,
                    label=f"{c.dataset}{prelim}: $\\chi^2$/n = {c.chi2:.0f}/{c.n_points}")
    finite = result.ratio_toa[np.isfinite(result.ratio_toa) & (result.ratio_toa > 0)]
    if finite.size:
        ax.set_ylim(finite.min() / 3, finite.max() * 3)
    ax.legend(fontsize=8)
    return fig
