"""Upper limits on the normalisation ``f`` of a signal (e.g. f_PBH), with or without background.

The signal enters linearly: the predicted flux on the data energies is ``f s(T)`` with
``s`` the flux at Earth for ``f = 1`` (for primordial black holes: the positron flux of a
population making up all of dark matter, propagated and modulated, e.g. with
:func:`positrons.heliosphere.modulate`).  Two methods:

Without background (conservative; Boudaud & Cirelli 2019, PRL 122, 041104,
arXiv:1807.03075, section "Constraints")
    The largest ``f >= 0`` for which the signal alone exceeds no selected data point by
    more than ``n_sigma`` standard deviations:

        f s_i <= d_i + n_sigma sigma_i^up   for every i   =>
        f_max = min_{i: s_i > 0} (d_i + n_sigma sigma_i^up) / s_i                  (1)

    with ``sigma^up`` the error used where the model lies above the data (the upper error
    for the 'side' rule of :mod:`positrons.stats.likelihood`).  The point reaching the
    minimum is the 'driving' point.  No background is subtracted, so the limit is
    conservative (Boudaud & Cirelli use n_sigma = 2).

With a rescaled background
    Model ``m(T) = f s(T) + A (T / 1 GeV)^delta b(T)`` with ``b`` the background (for
    positrons the secondary flux), ``A`` and ``delta`` free.  chi2 (the given
    :class:`~positrons.stats.likelihood.Chi2`) is minimised over ``(f >= 0, A, delta)`` with
    iminuit's Migrad (James & Roos 1975).  With the profile

        chi2_p(f) = min_{A, delta} chi2(f, A, delta)                                (2)

    the upper limit at confidence level CL is the ``f > f_best`` where

        chi2_p(f) - chi2_min = Delta,  Delta = 3.84 for 95% C.L.                     (3)

    (the 95% quantile of a chi2 with one degree of freedom, Wilks' theorem; PDG Review of
    Particle Physics, "Statistics", Table 40.2).  ``f_best`` is bounded at 0, so when the
    best fit sits at the boundary chi2_min is chi2_p(0).  The root is found with Brent's
    method on a bracket that is doubled until it contains the crossing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

from .likelihood import Chi2

__all__ = [
    "BackgroundLimit",
    "DELTA_CHI2_95",
    "Limit",
    "delta_chi2_for",
    "limit_with_background",
    "limit_without_background",
    "profile_upper_limit",
]

#: Delta chi2 for 95% C.L. on one parameter (the 0.95 quantile of chi2 with 1 dof, 3.8415)
DELTA_CHI2_95 = float(stats.chi2.ppf(0.95, 1))


def delta_chi2_for(cl: float) -> float:
    """``Delta chi2`` for confidence level ``cl`` and one parameter: the ``cl`` quantile of a
    chi2 distribution with one degree of freedom (3.8415 for 0.95, 1 for 0.6827)."""
    if not 0.0 < cl < 1.0:
        raise ValueError(f"confidence level {cl} not in (0, 1)")
    return float(stats.chi2.ppf(cl, 1))


@dataclass(frozen=True)
class Limit:
    """An upper limit on ``f`` and the data point that sets it.

    ``f`` is ``inf`` (and the driving fields ``None``) when the signal is nowhere positive.
    ``driving_index`` counts the points of the :class:`~positrons.stats.likelihood.Chi2`
    (its :attr:`~positrons.stats.likelihood.Chi2.energies`), not the dataset rows.
    """

    f: float
    driving_energy_GeV: float | None
    driving_index: int | None
    method: str


@dataclass(frozen=True)
class BackgroundLimit:
    """Result of :func:`limit_with_background` (Eqs. 2-3 of the module docstring).

    ``f_limit`` -- the upper limit; ``f_best``, ``A_best``, ``delta_best`` and ``chi2_min``
    -- the global best fit (``f >= 0``); ``ndof`` = points - free parameters;
    ``A_at_limit`` and ``delta_at_limit`` -- the profiled background at ``f_limit``;
    ``driving_index``/``driving_energy_GeV``/``driving_pull`` -- the point with the largest
    pull ``(m - d) / sigma`` at the limit; ``delta_chi2`` -- the Delta of Eq. (3).
    """

    f_limit: float
    f_best: float
    A_best: float
    delta_best: float
    chi2_min: float
    ndof: int
    A_at_limit: float
    delta_at_limit: float
    driving_index: int
    driving_energy_GeV: float
    driving_pull: float
    delta_chi2: float
    method: str


def _on_points(x, chi2: Chi2, name: str) -> np.ndarray:
    """``x`` evaluated on ``chi2.energies``: a callable of T [GeV] or an array already on them."""
    arr = np.asarray(x(chi2.energies) if callable(x) else x, dtype=float)
    if arr.shape != (chi2.n_points,):
        raise ValueError(f"{name} has shape {arr.shape}; expected ({chi2.n_points},) values on Chi2.energies")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} is not finite at every data energy")
    return arr


def limit_without_background(signal_per_unit_f, chi2_or_dataset, n_sigma: float = 2.0) -> Limit:
    """Eq. (1): the largest ``f >= 0`` with ``f s_i <= d_i + n_sigma sigma_i^up`` at every point.

    Parameters
    ----------
    signal_per_unit_f : array or callable
        Signal flux for ``f = 1`` on ``chi2.energies`` (or a function of kinetic energy [GeV]).
    chi2_or_dataset : Chi2 or positrons.data.Dataset
        The points; a Dataset is wrapped in ``Chi2(dataset)`` (all rows, default rules).
    n_sigma : float
        Allowed excess in units of the upper error (2 in Boudaud & Cirelli 2019).
    """
    chi2 = chi2_or_dataset if isinstance(chi2_or_dataset, Chi2) else Chi2(chi2_or_dataset)
    s = _on_points(signal_per_unit_f, chi2, "signal_per_unit_f")
    method = f"no_background_{n_sigma:g}sigma"
    positive = s > 0
    if not positive.any():
        return Limit(math.inf, None, None, method)
    ceiling = chi2.values + n_sigma * chi2.sigma_above()
    # a signal of ~1e-300 at a point (a cut-off spectrum) gives f = inf there, as it should
    with np.errstate(divide="ignore", over="ignore"):
        f_i = np.where(positive, ceiling / np.where(positive, s, 1.0), np.inf)
    i = int(np.argmin(f_i))
    return Limit(max(float(f_i[i]), 0.0), float(chi2.energies[i]), i, method)


def profile_upper_limit(
    profile: Callable[[float], float],
    f_best: float,
    chi2_min: float,
    f_scale: float,
    delta_chi2: float = DELTA_CHI2_95,
    max_doublings: int = 80,
    rtol: float = 1e-8,
) -> float:
    """Eq. (3): the ``f > f_best`` where ``profile(f) - chi2_min = delta_chi2``.

    The bracket ``[f_best, f_best + f_scale]`` is doubled (in width) until the profile
    crosses; the root is then found with :func:`scipy.optimize.brentq` to relative
    tolerance ``rtol``.  Raises ``RuntimeError`` if no crossing is found.
    """
    if not f_scale > 0:
        raise ValueError(f"f_scale must be positive, got {f_scale}")

    def g(f):
        return profile(f) - chi2_min - delta_chi2

    lo, width = f_best, f_scale
    hi = f_best + width
    for _ in range(max_doublings):
        if g(hi) > 0:
            break
        lo = hi
        width *= 2.0
        hi = f_best + width
    else:
        raise RuntimeError(f"profile chi2 does not rise by {delta_chi2} up to f = {hi:g}")
    return float(optimize.brentq(g, lo, hi, rtol=rtol, xtol=1e-14 * max(abs(hi), 1e-300)))


def limit_with_background(
    signal_per_unit_f,
    background,
    chi2: Chi2,
    *,
    cl: float = 0.95,
    A_start: float = 1.0,
    delta_start: float = 0.0,
    A_limits: tuple[float | None, float | None] = (0.0, None),
    delta_limits: tuple[float | None, float | None] = (None, None),
    delta_fixed: float | None = None,
    pivot_GeV: float = 1.0,
) -> BackgroundLimit:
    """Best fit of ``f s + A (T/pivot)^delta b`` and the upper limit on ``f`` (Eqs. 2-3).

    Parameters
    ----------
    signal_per_unit_f, background : array or callable
        Signal for ``f = 1`` and background, on ``chi2.energies`` (or functions of T [GeV]).
    chi2 : Chi2
        The points and the chi2 rule (range, asymmetric errors, covariance).
    cl : float
        Confidence level; ``Delta chi2`` is :func:`delta_chi2_for` ``(cl)`` (3.84 for 0.95).
    A_start, delta_start : float
        Migrad starting values for the background rescaling.
    A_limits, delta_limits : (low, high)
        Bounds given to Migrad (``None``: unbounded).  ``A >= 0`` by default (a flux).
    delta_fixed : float, optional
        Fix the tilt ``delta`` to this value (then only ``A`` is profiled and ``ndof`` is
        ``n - 2``).
    pivot_GeV : float
        The energy where ``delta`` does not change the background (1 GeV, our default).

    Requires ``iminuit``.
    """
    from iminuit import Minuit

    s = _on_points(signal_per_unit_f, chi2, "signal_per_unit_f")
    b = _on_points(background, chi2, "background")
    x = np.log(chi2.energies / pivot_GeV)
    delta_chi2 = delta_chi2_for(cl)

    def model(f, A, delta):
        return f * s + A * np.exp(delta * x) * b

    def cost(f, A, delta):
        return chi2(model(f, A, delta))

    def minuit(f0, A0, d0, fix_f):
        m = Minuit(cost, f=f0, A=A0, delta=d0)
        m.errordef = Minuit.LEAST_SQUARES
        m.tol = 1e-4
        m.limits["f"] = (0.0, None)
        m.limits["A"] = A_limits
        m.limits["delta"] = delta_limits
        m.fixed["f"] = fix_f
        if delta_fixed is not None:
            m.values["delta"] = delta_fixed
            m.fixed["delta"] = True
        m.migrad()
        if not fix_f:
            m.migrad()  # a second pass from the first minimum; cheap and more robust
        return m

    d0 = delta_start if delta_fixed is None else delta_fixed
    # background-only profile point, then the full fit started from the no-background scale
    m0 = minuit(0.0, A_start, d0, fix_f=True)
    f_scale = limit_without_background(s, chi2, n_sigma=2.0).f
    if not math.isfinite(f_scale) or f_scale <= 0:
        raise ValueError("the signal is nowhere positive on the data energies: no limit on f")
    candidates = [m0]
    for f0 in (0.1 * f_scale, 0.5 * f_scale):
        candidates.append(minuit(f0, m0.values["A"], m0.values["delta"], fix_f=False))
    best = min(candidates, key=lambda m: m.fval)
    f_best, A_best, delta_best = (float(best.values[k]) for k in ("f", "A", "delta"))
    chi2_min = float(best.fval)

    start = {"A": A_best, "delta": delta_best}

    def profile(f):
        m = minuit(f, start["A"], start["delta"], fix_f=True)
        start["A"], start["delta"] = float(m.values["A"]), float(m.values["delta"])
        return float(m.fval)

    f_limit = profile_upper_limit(profile, f_best, chi2_min, f_scale=max(f_scale, f_best), delta_chi2=delta_chi2)
    m_lim = minuit(f_limit, start["A"], start["delta"], fix_f=True)
    A_lim, d_lim = float(m_lim.values["A"]), float(m_lim.values["delta"])
    pulls = chi2.pulls(model(f_limit, A_lim, d_lim))
    i = int(np.argmax(pulls))
    n_free = 2 if delta_fixed is not None else 3
    return BackgroundLimit(
        f_limit=f_limit,
        f_best=f_best,
        A_best=A_best,
        delta_best=delta_best,
        chi2_min=chi2_min,
        ndof=chi2.n_points - n_free,
        A_at_limit=A_lim,
        delta_at_limit=d_lim,
        driving_index=i,
        driving_energy_GeV=float(chi2.energies[i]),
        driving_pull=float(pulls[i]),
        delta_chi2=delta_chi2,
        method=f"background_profile_{100 * cl:g}CL",
    )
