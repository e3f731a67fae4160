"""Trapped-proton spectra (positrons.magnetosphere.trapped_protons).

Compared against: the table of Martin et al. (1995) (the interpolation must pass through it),
adaptive quadrature of the differential flux (it must integrate back to the integral
table), the AP-8 MIN model through spacepy/IRBEM (the table's first points are AP-8).
"""

import numpy as np
import pytest
from scipy import integrate

from positrons.magnetosphere import trapped_protons as tp


def test_interpolation_passes_through_the_table():
    spec = tp.martin1995_l12()
    E = np.asarray(tp.MARTIN1995_L12_ENERGIES_MEV) * 1e-3
    assert spec.integral(E) == pytest.approx(np.asarray(tp.MARTIN1995_L12_INTEGRAL_FLUX), rel=1e-12)


def test_differential_flux_is_positive_and_integrates_back_to_the_table():
    spec = tp.martin1995_l12()
    T = np.geomspace(0.05, 9.9, 400)
    assert np.all(spec.differential(T) > 0)
    assert spec.differential(10.5) == 0.0  # above E_max
    # -dJ/dE integrated between table points reproduces J differences (quad, rtol 1e-8)
    for a, b in [(0.1, 0.2), (0.3, 1.0), (1.0, 5.0)]:
        value, _ = integrate.quad(spec.differential, a, b, limit=200, epsrel=1e-10, points=[0.4, 0.6])
        assert value == pytest.approx(spec.integral(a) - spec.integral(b), rel=1e-8)


def test_power_law_beyond_the_table_has_the_last_segment_slope():
    spec = tp.martin1995_l12()
    slope = np.log(3.0e5 / 1.0e6) / np.log(1000 / 600)
    assert np.log(spec.integral(4.0) / spec.integral(2.0)) / np.log(2.0) == pytest.approx(slope, rel=1e-12)


def test_the_table_is_refused_at_other_shells():
    with pytest.raises(ValueError, match="L = 1.2 only"):
        tp.proton_spectrum_for_shell(1.3, "table")
    with pytest.raises(ValueError, match="unknown proton source"):
        tp.proton_spectrum_for_shell(1.2, "ap9")


def test_table_refuses_an_increasing_integral_flux():
    with pytest.raises(ValueError, match="decreasing"):
        tp.IntegralProtonSpectrum((0.1, 0.2), (1.0, 2.0), L=1.2, description="bad")


def test_table_is_ap8_min_and_the_scaling_is_the_identity_at_l_1_2():
    pytest.importorskip("spacepy.irbempy")
    J = tp.ap8_integral_flux(1.2, model="min")
    # Martin et al. 1995: 2.1e7, 9.3e6, 4.1e6 m^-2 s^-1 at 100, 200, 300 MeV (rounded to 2 digits: 1 %)
    assert J == pytest.approx([2.1e7, 9.3e6, 4.1e6], rel=1e-2)
    same = tp.ap8_scaled(1.2)
    assert same.integral_flux == pytest.approx(tp.MARTIN1995_L12_INTEGRAL_FLUX, rel=1e-12)
    higher = tp.proton_spectrum_for_shell(1.4, "ap8-min")
    assert higher.integral(0.1) > 5 * same.integral(0.1)  # the belt's heart is near L = 1.4-1.5
    with pytest.raises(ValueError, match="no trapped protons"):
        tp.ap8_scaled(1.1)
