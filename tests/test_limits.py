"""Upper limits (positrons.stats.limits) on synthetic problems whose answer is known:

* without background, Eq. (1) by hand: f = min_i (d_i + 2 sigma_i) / s_i;
* a background-only fit recovering injected (A, delta);
* Delta chi2 = 3.84 of a linear Gaussian problem: f_limit = f_best + sqrt(3.84) sigma_f with
  sigma_f from the Fisher matrix (exact when the model is linear in every free parameter).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("iminuit")

from positrons.stats import (  # noqa: E402
    DELTA_CHI2_95,
    Chi2,
    Limit,
    delta_chi2_for,
    limit_with_background,
    limit_without_background,
    profile_upper_limit,
)

E = np.geomspace(0.5, 5.0, 16)  # GeV, like the AMS-02 range of Huang & Zhou 2024
BACKGROUND = 2.0 * E**-3.0  # a power-law "secondary" flux


def signal_shape(T):
    """A soft signal peaking near 0.5-1 GeV (roughly the PBH e+ shape), positive everywhere."""
    return T**2 * np.exp(-T / 0.3) * 10.0


def test_delta_chi2_values():
    """chi2 (1 dof) quantiles: 0.95 -> 3.8415 (PDG Statistics review, Table 40.2), 0.6827 -> 1."""
    assert DELTA_CHI2_95 == pytest.approx(3.8415, abs=1e-4)
    assert delta_chi2_for(0.682689492) == pytest.approx(1.0, rel=1e-6)
    with pytest.raises(ValueError):
        delta_chi2_for(1.0)


def test_no_background_flat_signal_flat_data():
    """Flat data d = 5 with errors 1, 0.5, 2: a flat signal s = 2 is limited by the point with the
    smallest error, f = (5 + 2 * 0.5) / 2 = 3."""
    chi2 = Chi2.from_arrays([1.0, 2.0, 3.0], [5.0, 5.0, 5.0], [1.0, 0.5, 2.0])
    lim = limit_without_background(np.full(3, 2.0), chi2)
    assert isinstance(lim, Limit)
    assert lim.f == pytest.approx(3.0, rel=1e-12)
    assert (lim.driving_index, lim.driving_energy_GeV) == (1, 2.0)
    assert lim.method == "no_background_2sigma"
    # n_sigma = 1: (5 + 0.5) / 2
    assert limit_without_background(np.full(3, 2.0), chi2, n_sigma=1).f == pytest.approx(2.75, rel=1e-12)


def test_no_background_general_case_and_callable_signal():
    """f = min_i (d_i + 2 sigma_i) / s_i, computed independently with a loop; signal given as a
    function of T evaluated on Chi2.energies; a point where s = 0 sets no limit."""
    d = 3.0 * E**-2.7
    sigma = 0.04 * d
    chi2 = Chi2.from_arrays(E, d, sigma)
    s = signal_shape(E)
    expected = min((d[i] + 2 * sigma[i]) / s[i] for i in range(len(E)))
    i_exp = [(d[i] + 2 * sigma[i]) / s[i] for i in range(len(E))].index(expected)
    lim = limit_without_background(signal_shape, chi2)
    assert lim.f == pytest.approx(expected, rel=1e-12)
    assert lim.driving_index == i_exp
    assert lim.driving_energy_GeV == pytest.approx(E[i_exp])
    # a signal that vanishes everywhere is unconstrained
    none = limit_without_background(np.zeros(len(E)), chi2)
    assert math.isinf(none.f) and none.driving_index is None


def test_no_background_uses_the_upper_error():
    """Lower errors 10x the upper ones: the ceiling is d + 2 sigma_up (side rule)."""
    chi2 = Chi2.from_arrays([1.0], [4.0], err_low=[1.0], err_high=[0.1])
    assert limit_without_background([1.0], chi2).f == pytest.approx(4.2, rel=1e-12)
    mean = Chi2.from_arrays([1.0], [4.0], err_low=[1.0], err_high=[0.1], asymmetric_rule="mean")
    assert limit_without_background([1.0], mean).f == pytest.approx(4.0 + 2 * 0.55, rel=1e-12)


def test_profile_upper_limit_of_a_parabola():
    """chi2(f) = ((f - 2) / 0.5)^2: Delta = 3.84 at f = 2 + sqrt(3.8415) * 0.5 (= 2 + 1.96 sigma).
    A tiny starting bracket forces the doubling."""
    f_lim = profile_upper_limit(lambda f: ((f - 2.0) / 0.5) ** 2, 2.0, 0.0, f_scale=1e-3)
    assert f_lim == pytest.approx(2.0 + math.sqrt(DELTA_CHI2_95) * 0.5, rel=1e-8)
    assert f_lim == pytest.approx(2.0 + 1.96 * 0.5, rel=1e-4)
    with pytest.raises(RuntimeError):
        profile_upper_limit(lambda f: 0.0, 0.0, 0.0, f_scale=1.0, max_doublings=5)


def test_background_only_fit_recovers_injected_A_and_delta():
    """Data = 1.3 (T/GeV)^-0.1 b(T) with Gaussian noise of 1% (seeded) and 1% errors: the fit
    must return A and delta within 3 standard deviations of the truth, the standard deviations
    from the Fisher matrix of (A, delta) at the truth, and chi2_min about ndof."""
    rng = np.random.default_rng(42)
    truth = 1.3 * E**-0.1 * BACKGROUND
    sigma = 0.01 * truth
    d = truth + sigma * rng.standard_normal(len(E))
    chi2 = Chi2.from_arrays(E, d, sigma)
    res = limit_with_background(signal_shape, BACKGROUND, chi2)
    J = np.column_stack([E**-0.1 * BACKGROUND, 1.3 * np.log(E) * E**-0.1 * BACKGROUND]) / sigma[:, None]
    cov = np.linalg.inv(J.T @ J)
    sA, sd = np.sqrt(np.diag(cov))
    assert abs(res.A_best - 1.3) < 3 * sA
    assert abs(res.delta_best + 0.1) < 3 * sd
    assert res.ndof == len(E) - 3
    assert 0.0 < res.chi2_min < 40.0  # chi2 with 13 dof: P(> 40) ~ 1e-4
    assert res.f_limit > res.f_best >= 0.0


def test_background_only_noise_free_fit_is_exact():
    """Without noise the minimum is the truth (A = 1.3, delta = -0.1, f = 0, chi2 = 0), to
    Migrad's tolerance; 1e-4 on A and delta is well above it (EDM ~ 1e-7).  f_best within
    1e-3 f_limit (= 5e-4 sigma_f): chi2 changes by only (f / sigma_f)^2 ~ 1e-7 there, the
    minimiser's resolution."""
    truth = 1.3 * E**-0.1 * BACKGROUND
    chi2 = Chi2.from_arrays(E, truth, 0.01 * truth)
    res = limit_with_background(signal_shape, BACKGROUND, chi2)
    assert res.A_best == pytest.approx(1.3, abs=1e-4)
    assert res.delta_best == pytest.approx(-0.1, abs=1e-4)
    assert res.f_best == pytest.approx(0.0, abs=1e-3 * res.f_limit)
    assert res.chi2_min < 1e-6


def _fisher_sigma_f(columns, sigma):
    J = np.column_stack(columns) / sigma[:, None]
    return math.sqrt(np.linalg.inv(J.T @ J)[0, 0])


def test_linear_gaussian_limit_is_f_best_plus_1p96_sigma():
    """delta fixed: the model f s + A b is linear in (f, A), so the profiled chi2 is exactly
    chi2_min + ((f - f_best) / sigma_f)^2 with sigma_f^2 = (F^-1)_ff, F = J^T J / sigma^2.
    Injected f = 0.3 * (no-background limit), noise-free: f_best = f_true and
    f_limit = f_best + sqrt(3.8415) sigma_f.  Tolerance 1e-5 relative: Migrad and brentq."""
    sigma_rel = 0.02
    s = signal_shape(E)
    b = BACKGROUND
    f_true = 0.3 * limit_without_background(s, Chi2.from_arrays(E, b, sigma_rel * b)).f
    d = f_true * s + b
    sigma = sigma_rel * d
    chi2 = Chi2.from_arrays(E, d, sigma)
    res = limit_with_background(s, b, chi2, delta_fixed=0.0)
    sigma_f = _fisher_sigma_f([s, b], sigma)
    assert res.ndof == len(E) - 2
    assert res.f_best == pytest.approx(f_true, rel=1e-5)
    assert res.A_best == pytest.approx(1.0, rel=1e-5)
    assert res.f_limit == pytest.approx(f_true + math.sqrt(DELTA_CHI2_95) * sigma_f, rel=1e-5)
    assert res.f_limit > f_true + 1.95 * sigma_f  # the 1.96 sigma of a Gaussian, said plainly


def test_free_tilt_limit_matches_the_linearised_fisher_width():
    """delta free, no signal injected: f_best = 0 on the boundary, and for small deviations the
    model is nearly linear in (f, A, delta), so f_limit ~ sqrt(3.84) sigma_f with sigma_f from the
    Fisher matrix of (f, A, delta) at the truth.  2% tolerance: the tilt enters as T^delta, whose
    curvature over f_limit's range of delta shifts the crossing by well under 1% here."""
    truth = 1.3 * E**-0.1 * BACKGROUND
    sigma = 0.01 * truth
    chi2 = Chi2.from_arrays(E, truth, sigma)
    s = signal_shape(E)
    res = limit_with_background(s, BACKGROUND, chi2)
    sigma_f = _fisher_sigma_f([s, E**-0.1 * BACKGROUND, 1.3 * np.log(E) * E**-0.1 * BACKGROUND], sigma)
    assert res.f_limit == pytest.approx(math.sqrt(DELTA_CHI2_95) * sigma_f, rel=0.02)
    # profiling the background makes the limit weaker than with the background fixed at the truth,
    # where chi2(f) = f^2 sum (s/sigma)^2 gives sqrt(3.84) / sqrt(sum (s/sigma)^2)
    fixed = math.sqrt(DELTA_CHI2_95) / math.sqrt(np.sum((s / sigma) ** 2))
    assert res.f_limit > 1.5 * fixed


def test_driving_point_is_the_largest_pull_at_the_limit():
    """A signal that is a narrow bump at one point: at the limit that point has the largest
    pull (the background is pinned by the other points)."""
    truth = BACKGROUND.copy()
    chi2 = Chi2.from_arrays(E, truth, 0.01 * truth)
    s = np.zeros(len(E))
    s[5] = truth[5]
    res = limit_with_background(s, BACKGROUND, chi2)
    assert res.driving_index == 5
    assert res.driving_energy_GeV == pytest.approx(E[5])
    assert res.driving_pull > 1.0
    # the no-background limit of the same bump is driven by the same point
    assert limit_without_background(s, chi2).driving_index == 5
