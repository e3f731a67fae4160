"""Figures of a propagation fit: the corner plot of a posterior and a fitted ratio with its band.

Both draw arrays they are given and compute no physics:

* :func:`corner_plot` -- one- and two-dimensional marginals of posterior samples (histograms
  on the diagonal, 68 % and 95 % highest-density contours of a 2D histogram below it), a
  minimal version of the figure of the ``corner`` package (Foreman-Mackey 2016, JOSS 1, 24);
* :func:`fit_ratio_plot` -- a ratio (B/C, 10Be/9Be, ...) at the maximum posterior, the 68 % and
  95 % bands of posterior draws, and the data.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

#: short axis labels of the fit parameters
LABELS = {
    "D0_1e28_cm2_s": r"$D_0$ [$10^{28}$ cm$^2$/s]",
    "delta1": r"$\delta$",
    "v_alfven_km_s": r"$V_A$ [km/s]",
    "z_h_kpc": r"$z_h$ [kpc]",
    "v_conv0_km_s": r"$V_c$ [km/s]",
    "eta": r"$\eta$",
    "proton_injection_index_0": r"$\gamma_p$",
    "nuisance_he_index_0": r"$\gamma_{He}$",
    "nuisance_xs_norm_B": r"$\sigma_B$ norm",
    "nuisance_xs_norm_Be": r"$\sigma_{Be}$ norm",
}


def _label(name: str) -> str:
    if name in LABELS:
        return LABELS[name]
    if name.startswith("nuisance_phi_"):
        return rf"$\phi_{{{name[len('nuisance_phi_'):]}}}$ [GV]"
    return name.replace("nuisance_", "")


def _levels(hist, fractions=(0.95, 0.68)):
    """Density thresholds enclosing ``fractions`` of a 2D histogram (highest density first)."""
    flat = np.sort(hist.ravel())[::-1]
    cumulative = np.cumsum(flat) / max(flat.sum(), 1e-300)
    out = []
    for f in fractions:
        i = min(np.searchsorted(cumulative, f), flat.size - 1)
        out.append(flat[i])
    levels = np.array(out)
    return np.unique(np.maximum(levels, 1e-300)) if np.any(np.diff(levels) <= 0) else levels


def corner_plot(samples, names, truths=None, bins: int = 30, size_per_panel: float = 1.25):
    """A corner plot of ``samples`` (n_samples, n_params) with ``names``; ``truths``: one value
    per parameter (e.g. the maximum posterior) marked in every panel.  Returns a Figure."""
    samples = np.atleast_2d(np.asarray(samples, dtype=float))
    n = samples.shape[1]
    if len(names) != n:
        raise ValueError(f"{len(names)} names for {n} columns")
    fig = Figure(figsize=(size_per_panel * n + 1, size_per_panel * n + 1))
    axes = fig.subplots(n, n, squeeze=False)
    lo = np.quantile(samples, 0.002, axis=0)
    hi = np.quantile(samples, 0.998, axis=0)
    same = hi <= lo
    hi = np.where(same, lo + 1e-9 + 1e-6 * np.abs(lo), hi)
    for i in range(n):
        for j in range(n):
            ax = axes[i, j]
            if j > i:
                ax.set_visible(False)
                continue
            if i == j:
                ax.hist(samples[:, i], bins=bins, range=(lo[i], hi[i]), histtype="step", color="k")
                q = np.quantile(samples[:, i], [0.16, 0.5, 0.84])
                for v in q:
                    ax.axvline(v, color="k", ls="--", lw=0.7)
                ax.set_yticks([])
                ax.set_title(f"{q[1]:.3g} +{q[2] - q[1]:.2g} -{q[1] - q[0]:.2g}", fontsize=7)
            else:
                hist, xe, ye = np.histogram2d(samples[:, j], samples[:, i], bins=bins,
                                              range=[[lo[j], hi[j]], [lo[i], hi[i]]])
                ax.plot(samples[:, j][::max(1, samples.shape[0] // 2000)],
                        samples[:, i][::max(1, samples.shape[0] // 2000)], ",", color="0.6", alpha=0.5)
                levels = _levels(hist)
                if levels.size == 2 and hist.max() > levels[-1]:
                    xc, yc = 0.5 * (xe[1:] + xe[:-1]), 0.5 * (ye[1:] + ye[:-1])
                    ax.contour(xc, yc, hist.T, levels=levels, colors=["#1f77b4", "#08306b"], linewidths=0.9)
                ax.set_xlim(lo[j], hi[j])
                ax.set_ylim(lo[i], hi[i])
                if truths is not None:
                    ax.plot(truths[j], truths[i], "s", color="#d62728", ms=2.5)
            if truths is not None:
                ax.axvline(truths[j], color="#d62728", lw=0.7)
            ax.tick_params(labelsize=6, direction="in")
            if i == n - 1:
                ax.set_xlabel(_label(names[j]), fontsize=8)
            else:
                ax.set_xticklabels([])
            if j == 0 and i > 0:
                ax.set_ylabel(_label(names[i]), fontsize=8)
            elif j > 0:
                ax.set_yticklabels([])
    fig.subplots_adjust(left=0.07, bottom=0.07, right=0.98, top=0.97, wspace=0.06, hspace=0.06)
    return fig


def fit_ratio_plot(curve: dict, ax=None):
    """A fitted ratio: ``curve`` with ``x``, ``best`` (the maximum posterior), optional ``lo68``,
    ``hi68``, ``lo95``, ``hi95`` bands, and the data ``data_x``, ``value``, ``error``;
    ``variable`` ("rigidity" or "kinetic_energy_per_nucleon"), ``quantity`` (e.g. "B/C") and
    ``dataset`` label the axes.  Returns the Figure."""
    from .style import axes_for

    xlabel = "rigidity R [GV]" if curve["variable"] == "rigidity" else "kinetic energy per nucleon [GeV/n]"
    fig, ax = axes_for(ax, xlabel, curve["quantity"], f"{curve['quantity']}: slab-model fit (TOA)")
    if "lo95" in curve:
        ax.fill_between(curve["x"], curve["lo95"], curve["hi95"], color="#9ecae1", alpha=0.6, lw=0,
                        label="posterior 95 %")
        ax.fill_between(curve["x"], curve["lo68"], curve["hi68"], color="#4292c6", alpha=0.7, lw=0,
                        label="posterior 68 %")
    ax.plot(curve["x"], curve["best"], color="#08306b", lw=1.4, label="maximum posterior")
    ax.errorbar(curve["data_x"], curve["value"], yerr=curve["error"], fmt="o", ms=3, color="k",
                label=curve.get("dataset", "data"))
    ax.legend(fontsize=8)
    return fig
