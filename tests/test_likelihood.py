"""Chi2 (positrons.stats.likelihood) against hand-computed chi2 values on small synthetic
datasets, and against the AMS-02 positron-flux point count in the range of Huang & Zhou
(2024, arXiv:2403.04987).

Tolerances are 1e-12 relative: every expected number is the same arithmetic done by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

import positrons.data as data
from positrons.data import Dataset
from positrons.stats import Chi2, parse_missing_error_rule

NAN = np.nan


def make_dataset(energy, value, *, stat=None, sys=None, energy_unit="GeV", value_unit="1 / (GeV m2 s sr)"):
    """A kinetic-energy flux Dataset built in memory; ``stat``/``sys`` are (low, high) pairs."""
    energy = np.asarray(energy, dtype=float)
    n = len(energy)
    nan = np.full(n, NAN)
    stat = stat or (nan, nan)
    sys = sys or (nan, nan)
    meta = {
        "dataset_id": "synthetic",
        "experiment": "Synthetic",
        "species": "positron",
        "quantity": "flux",
        "energy_variable": "kinetic_energy",
        "energy_unit": energy_unit,
        "value_unit": value_unit,
        "energy_ref_meaning": "test",
        "reference": "test",
        "doi": None,
        "arxiv": None,
        "year": 2026,
        "data_taking_period": None,
        "solar_modulation_phi_GV": None,
        "source": "test",
        "notes": [],
        "flags": [],
        "n_points": n,
        "energy_range": [float(energy.min()), float(energy.max())],
        "value_scaling": None,
    }
    return Dataset(
        energy_low=nan,
        energy_high=nan,
        energy_ref=energy,
        value=value,
        stat_err_low=stat[0],
        stat_err_high=stat[1],
        sys_err_low=sys[0],
        sys_err_high=sys[1],
        tot_err_low=nan,
        tot_err_high=nan,
        meta=meta,
    )


def test_stat_and_sys_add_in_quadrature():
    """sigma^2 = stat^2 + sys^2 : stat 3, sys 4 -> sigma 5; residuals 5 and 10 -> chi2 = 1 + 4."""
    ds = make_dataset([1.0, 2.0], [10.0, 20.0], stat=([3.0, 3.0], [3.0, 3.0]), sys=([4.0, 4.0], [4.0, 4.0]))
    chi2 = Chi2(ds)
    assert chi2.n_points == 2
    np.testing.assert_array_equal(chi2.energies, [1.0, 2.0])
    assert chi2([15.0, 30.0]) == pytest.approx(5.0, rel=1e-12)
    assert chi2(chi2.values) == 0.0


def test_side_rule_for_asymmetric_errors():
    """d = 10, lower error 1, upper error 2: model 12 (above) uses 2 -> 1; model 8 (below) uses 1 -> 4.
    The 'mean' rule uses 1.5 for both: (2/1.5)^2 each."""
    ds = make_dataset([1.0], [10.0], stat=([1.0], [2.0]))
    side = Chi2(ds)
    assert side.asymmetric_rule == "side"
    assert side([12.0]) == pytest.approx(1.0, rel=1e-12)
    assert side([8.0]) == pytest.approx(4.0, rel=1e-12)
    np.testing.assert_array_equal(side.sigma_above(), [2.0])
    mean = Chi2(ds, asymmetric_rule="mean")
    assert mean([12.0]) == pytest.approx((2 / 1.5) ** 2, rel=1e-12)
    assert mean([8.0]) == pytest.approx((2 / 1.5) ** 2, rel=1e-12)
    with pytest.raises(ValueError, match="asymmetric_rule"):
        Chi2(ds, asymmetric_rule="upper")


def test_points_without_errors_by_rule():
    """The middle point has no error and the dataset declares none: 'assume' (default) refuses
    (the choice must be explicit); 'skip' leaves it out (2 points, chi2 of the others only);
    'relative:0.1' gives it sigma = 0.1 * 20 = 2; 'raise' refuses."""
    nan = NAN
    ds = make_dataset([1.0, 2.0, 3.0], [10.0, 20.0, 30.0], stat=([1.0, nan, 3.0], [1.0, nan, 3.0]))
    with pytest.raises(ValueError, match="neither a published nor an assumed error; choose missing_errors='skip'"):
        Chi2(ds)
    skip = Chi2(ds, missing_errors="skip")
    assert skip.missing_errors == "skip"
    assert (skip.n_points, skip.n_skipped, skip.n_assumed) == (2, 1, 0)
    np.testing.assert_array_equal(skip.energies, [1.0, 3.0])
    assert skip([11.0, 36.0]) == pytest.approx(1.0 + 4.0, rel=1e-12)

    rel = Chi2(ds, missing_errors="relative:0.1")
    assert (rel.n_points, rel.n_skipped, rel.n_assumed) == (3, 0, 1)
    assert rel.error_assumed.tolist() == [False, True, False]
    assert rel([11.0, 24.0, 36.0]) == pytest.approx(1.0 + 4.0 + 4.0, rel=1e-12)

    with pytest.raises(ValueError, match="no errors"):
        Chi2(ds, missing_errors="raise")
    for bad in ("relative", "relative:-1", "relative:x", "drop"):
        with pytest.raises(ValueError, match="unknown missing_errors rule"):
            parse_missing_error_rule(bad)
    assert parse_missing_error_rule("relative:0.25") == ("relative", 0.25)
    assert parse_missing_error_rule("assume") == ("assume", None)


VOYAGER = "voyager1_electron_lis_cummings2016"


def test_voyager_assume_uses_the_declared_10_percent():
    """All 9 Voyager 1 points are used by default; the 4 without a published error get 10 % of
    the value (the dataset's assumed_errors), visible per point; 'skip' uses the 5 others."""
    ds = data.load(VOYAGER)
    assume = Chi2(ds)
    assert (assume.n_points, assume.n_assumed, assume.n_skipped) == (9, 4, 0)
    np.testing.assert_allclose(assume.energies[assume.error_assumed] * 1e3, [8.4, 15.4, 25.9, 39.5], rtol=1e-12)
    np.testing.assert_allclose(assume.err_low[assume.error_assumed], 0.1 * assume.values[assume.error_assumed],
                               rtol=1e-12)
    skip = Chi2(ds, missing_errors="skip")
    assert (skip.n_points, skip.n_assumed, skip.n_skipped) == (5, 0, 4)
    np.testing.assert_allclose(skip.energies * 1e3, [3.5, 4.7, 6.9, 10.2, 11.9], rtol=1e-12)
    assert "n_assumed=4" in repr(assume) and "missing_errors='assume'" in repr(assume)


def test_assumed_errors_in_a_selected_range_are_counted():
    chi2 = Chi2(data.load(VOYAGER), 0.005, 0.020)  # GeV: 6.9, 8.4, 10.2, 11.9, 15.4 MeV
    assert (chi2.n_points, chi2.n_assumed) == (5, 2)


def test_covariance_ignores_the_missing_errors_rule():
    chi2 = Chi2(data.load(VOYAGER), covariance=np.eye(9))
    assert (chi2.n_points, chi2.n_assumed, chi2.n_skipped) == (9, 0, 0)


def test_one_sided_error_is_used_for_both_sides():
    ds = make_dataset([1.0], [10.0], stat=([NAN], [2.0]))
    chi2 = Chi2(ds)
    assert chi2.n_points == 1
    assert chi2([6.0]) == pytest.approx(4.0, rel=1e-12)


def test_diagonal_covariance_equals_the_error_chi2():
    """r^T C^-1 r with C = diag(sigma^2) is Eq. (1) (same numbers, reordered arithmetic)."""
    rng = np.random.default_rng(1)
    E = np.geomspace(1, 10, 8)
    d = 100 * E**-3
    sigma = 0.05 * d
    model = d * (1 + 0.07 * rng.standard_normal(8))
    plain = Chi2.from_arrays(E, d, sigma)
    cov = Chi2.from_arrays(E, d, sigma, covariance=np.diag(sigma**2))
    assert cov(model) == pytest.approx(plain(model), rel=1e-12)
    assert plain(model) > 1.0  # the comparison is not trivially 0 = 0


def test_correlated_covariance_by_hand():
    """2x2 C = [[1, 0.5], [0.5, 1]], r = (1, 1): C^-1 = [[1, -0.5], [-0.5, 1]] / 0.75 -> chi2 = 1/0.75.
    Positive correlation lowers chi2 of a coherent shift below the diagonal value 2."""
    chi2 = Chi2.from_arrays([1.0, 2.0], [0.0, 0.0], [1.0, 1.0], covariance=[[1.0, 0.5], [0.5, 1.0]])
    assert chi2([1.0, 1.0]) == pytest.approx(1 / 0.75, rel=1e-12)
    with pytest.raises(ValueError, match="positive definite"):
        Chi2.from_arrays([1.0, 2.0], [0.0, 0.0], [1.0, 1.0], covariance=[[1.0, 2.0], [2.0, 1.0]])
    with pytest.raises(ValueError, match="shape"):
        Chi2.from_arrays([1.0, 2.0], [0.0, 0.0], [1.0, 1.0], covariance=np.eye(3))


def test_covariance_of_all_rows_is_restricted_to_the_selection():
    """A covariance given for 3 rows, range keeping rows 2-3: the lower-right 2x2 block is used."""
    full = np.array([[4.0, 0.0, 0.0], [0.0, 1.0, 0.5], [0.0, 0.5, 1.0]])
    chi2 = Chi2.from_arrays([1.0, 2.0, 3.0], [0.0, 0.0, 0.0], 1.0, energy_min=1.5, covariance=full)
    assert chi2.n_points == 2
    assert chi2([1.0, 1.0]) == pytest.approx(1 / 0.75, rel=1e-12)


def test_energy_range_and_unit_conversion():
    """A dataset in MeV is compared in GeV: rows at 500, 1500, 2500 MeV, range 1-2 GeV keeps one,
    and its value (per MeV) is multiplied by 1000 (per GeV)."""
    ds = make_dataset([500.0, 1500.0, 2500.0], [1.0, 2.0, 3.0], stat=([0.1] * 3, [0.1] * 3),
                      energy_unit="MeV", value_unit="1 / (MeV m2 s sr)")
    chi2 = Chi2(ds, energy_min=1.0, energy_max=2.0)
    np.testing.assert_allclose(chi2.energies, [1.5], rtol=1e-12)
    np.testing.assert_allclose(chi2.values, [2000.0], rtol=1e-12)
    assert chi2([2100.0]) == pytest.approx(1.0, rel=1e-12)


def test_model_must_match_the_points():
    chi2 = Chi2.from_arrays([1.0, 2.0], [1.0, 1.0], 0.1)
    with pytest.raises(ValueError, match="shape"):
        chi2([1.0])
    with pytest.raises(ValueError, match="finite"):
        chi2([1.0, np.nan])
    with pytest.raises(ValueError, match="non-positive error"):
        Chi2.from_arrays([1.0], [1.0], 0.0)


def test_ams02_positrons_between_0p5_and_5p2_GeV():
    """The AMS-02 positron flux has 16 points between 0.5 and 5.2 GeV (range of Huang & Zhou 2024).

    The 16 are the bins overlapping [0.5, 5.2] GeV (edges 0.50 ... 5.49 GeV); selecting by the
    representative energy gives 15, because the 16th bin (5.00 - 5.49 GeV) is quoted at
    5.24 GeV.  Both rules are checked so that a change in either is seen.
    """
    ds = data.load("ams02_positron_flux_prl2019")
    overlap = Chi2(ds, 0.5, 5.2, select_by="bin_overlap")
    assert overlap.n_points == 16
    assert overlap.energies[-1] == pytest.approx(5.24)
    by_energy = Chi2(ds, 0.5, 5.2)
    assert by_energy.n_points == 15
    assert by_energy.n_skipped == 0
    # sigma = stat (+) sys of the table, first bin 0.50-0.65 GeV
    lo, hi = ds.errors("total")
    assert by_energy.err_high[0] == pytest.approx(hi[0], rel=1e-12)
    assert by_energy.energies[0] == pytest.approx(0.57)
