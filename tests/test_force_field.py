"""Tests of the force-field approximation (positrons.heliosphere.force_field).

Compared against: the analytic properties of Gleeson & Axford's solution (phi = 0 is the
identity, composition phi_1 then phi_2 = phi_1 + phi_2, conservation of the phase-space
density f ∝ Phi/p^2 along the shift, a uniform f is left unchanged), numbers worked out by
hand from Eq. 2, and the per-nucleon form of the literature for nuclei.  Tolerances are
round-off (1e-12) wherever the property is exact; tabulated spectra are exact on power
laws because they are interpolated in log-log.
"""

import astropy.units as au
import numpy as np
import pytest

from positrons import constants as const
from positrons import kinematics as kin
from positrons.heliosphere import force_field as ff

M_E = const.m_electron
T = np.geomspace(0.01, 1000.0, 301)


def lis_peaked(T, N=1.6e-2, gamma=3.3, Tc=2.0, a=4.0):
    """A smooth LIS with a low-energy turnover (peak of Phi near 0.4 GeV)."""
    T = np.asarray(T, dtype=float)
    return N * (T / 10.0) ** -gamma * ((T / (T + Tc)) / (10.0 / (10.0 + Tc))) ** a


def power_law(T):
    return 2.0 * np.asarray(T, dtype=float) ** -3.1


@pytest.mark.parametrize("species", ["positron", "electron", "proton", "helium"])
def test_zero_phi_is_identity(species):
    assert np.allclose(ff.modulate(T, lis_peaked, 0.0, species), lis_peaked(T), rtol=1e-14, atol=0)
    grid = np.geomspace(0.1, 100, 50)
    # on the nodes of a tabulated LIS, phi = 0 returns the table itself
    assert np.allclose(ff.modulate(grid, (grid, lis_peaked(grid)), 0.0, species), lis_peaked(grid), rtol=1e-13, atol=0)


@pytest.mark.parametrize("species", ["positron", "proton", "helium"])
def test_composition_phi1_then_phi2_equals_sum(species):
    # Eq. 2 is a shift of total energy by |Z| phi: two shifts add (exact up to round-off)
    once = ff.modulate(T, lis_peaked, 0.3 + 0.45, species)
    first = lambda t: ff.modulate(t, lis_peaked, 0.3, species)  # noqa: E731
    twice = ff.modulate(T, first, 0.45, species)
    assert np.allclose(twice, once, rtol=1e-12, atol=0)
    # and the composition differs from a single step of either potential (the test can fail)
    assert np.max(np.abs(twice / ff.modulate(T, lis_peaked, 0.45, species) - 1)) > 0.1


@pytest.mark.parametrize("species", ["positron", "helium"])
def test_phase_space_density_is_conserved_along_the_shift(species):
    phi = 0.6
    shift = ff.charge_shift(phi, species)
    toa = ff.modulate(T, lis_peaked, phi, species)
    f_toa = ff.phase_space_density(T, toa, species)
    f_lis = ff.phase_space_density(T + shift, lis_peaked(T + shift), species)
    assert np.allclose(f_toa, f_lis, rtol=1e-12, atol=0)


def test_uniform_phase_space_density_is_not_modulated():
    # Phi_LIS = p^2 (f = const): every energy is fed by the same f, so TOA = LIS for any phi
    p2 = lambda t: kin.momentum_from_kinetic(t, M_E) ** 2  # noqa: E731
    for phi in (0.2, 1.0, 3.0):
        assert np.allclose(ff.modulate(T, p2, phi), p2(T), rtol=1e-12, atol=0)


def test_particle_number_is_not_conserved():
    # the particles found at [a, b] at Earth came from [a + phi, b + phi]; their number is
    # reduced by p^2/p'^2 < 1 (adiabatic losses), it is not a mere relabelling of energies
    phi, a, b = 0.5, 0.1, 1.0
    t = np.linspace(a, b, 20001)
    n_toa = np.trapezoid(ff.modulate(t, lis_peaked, phi), t)
    n_source = np.trapezoid(lis_peaked(t + phi), t + phi)
    assert n_toa / n_source < 0.5


def test_numbers_worked_by_hand():
    # Phi_LIS = T^-3; electron at T = 1 GeV, phi = 0.5 GV:
    # 1.5^-3 * 1 (1 + 2 m) / (1.5 (1.5 + 2 m)), m = 0.51099895 MeV
    m = M_E
    expected = 1.5**-3 * (1.0 + 2 * m) / (1.5 * (1.5 + 2 * m))
    got = ff.modulate(1.0, lambda t: np.asarray(t) ** -3.0, 0.5, "electron")
    assert got == pytest.approx(expected, rel=1e-14)
    assert expected == pytest.approx(0.131732, rel=1e-5)  # the formula evaluated by hand
    # proton at T = 0.1 GeV, phi = 0.5 GV: the shift is |Z| phi = 0.5 GeV
    mp = const.m_proton
    expected_p = 0.6**-3 * 0.1 * (0.1 + 2 * mp) / (0.6 * (0.6 + 2 * mp))
    assert ff.modulate(0.1, lambda t: np.asarray(t) ** -3.0, 0.5, "proton") == pytest.approx(expected_p, rel=1e-14)


def test_nucleus_convention_matches_the_per_nucleon_formula():
    # literature form for nuclei: J(T_n) = J_LIS(T_n + Z phi/A) T_n (T_n + 2 m_n) /
    # ((T_n + Z phi/A)(T_n + Z phi/A + 2 m_n)), m_n = m/A, J per GeV/n = A * Phi per GeV
    he = kin.get_species("helium")
    Z, A, m_n = he.abs_charge, he.mass_number, he.mass / he.mass_number
    phi = 0.7
    T_n = np.geomspace(0.05, 50, 40)
    J_lis = lambda tn: A * lis_peaked(A * np.asarray(tn))  # noqa: E731 (per nucleon)
    s = Z * phi / A
    J_toa = J_lis(T_n + s) * T_n * (T_n + 2 * m_n) / ((T_n + s) * (T_n + s + 2 * m_n))
    Phi_toa = ff.modulate(A * T_n, lis_peaked, phi, "helium")
    assert np.allclose(A * Phi_toa, J_toa, rtol=1e-12, atol=0)
    assert ff.charge_shift(phi, "helium") == pytest.approx(2 * phi)  # per particle


def test_inverse_recovers_the_lis_on_its_domain():
    phi = 0.55
    toa = ff.modulate(T, lis_peaked, phi)
    back = ff.demodulate(T, lambda t: ff.modulate(t, lis_peaked, phi), phi)
    ok = T > phi
    assert np.allclose(back[ok], lis_peaked(T[ok]), rtol=1e-12, atol=0)
    assert np.all(np.isnan(back[~ok]))  # T <= |Z| phi never reaches Earth
    # tabulated TOA: exact on the shifted grid T_i + phi, NaN below its first point
    shifted = T + phi
    assert np.allclose(ff.demodulate(shifted, (T, toa), phi), lis_peaked(shifted), rtol=1e-12, atol=0)
    assert np.isnan(ff.demodulate(T[0] + phi - 1e-3, (T, toa), phi))


def test_tabulated_power_law_is_exact_and_extrapolation_rules():
    grid = np.geomspace(0.1, 100.0, 25)
    table = (grid, power_law(grid))
    t = np.geomspace(0.1, 100.0, 200)
    phi = 0.5
    exact = ff.modulate(t, power_law, phi)
    # log-log interpolation is exact for a power law, and so is its power-law continuation
    assert np.allclose(ff.modulate(t, table, phi), exact, rtol=1e-12, atol=0)
    # the 'nan' rule refuses to read above the table
    strict = ff.modulate(t, table, phi, extrapolate="nan")
    above = t + phi > grid[-1]
    assert np.all(np.isnan(strict[above])) and np.allclose(strict[~above], exact[~above], rtol=1e-12)
    # below the table: always NaN
    assert np.isnan(ff.LogLogSpectrum(*table)(0.05))
    # the continuation uses the slope of the LAST two points
    bent = (grid, np.where(grid < 50, power_law(grid), power_law(grid) * (grid / 50) ** -1.0))
    s = ff.LogLogSpectrum(*bent)
    assert s.upper_index == pytest.approx(-4.1, rel=1e-12)
    assert s(200.0) == pytest.approx(bent[1][-1] * 2.0**-4.1, rel=1e-12)


def test_band_is_the_pointwise_envelope():
    phi, dphi = 0.55, 0.1
    central, low, high = ff.modulate_band(T, lis_peaked, phi, dphi)
    a = ff.modulate(T, lis_peaked, phi - dphi)
    b = ff.modulate(T, lis_peaked, phi + dphi)
    assert np.array_equal(central, ff.modulate(T, lis_peaked, phi))
    assert np.array_equal(low, np.minimum(np.minimum(a, b), central))
    assert np.array_equal(high, np.maximum(np.maximum(a, b), central))
    assert np.all(low <= central) and np.all(central <= high)
    # the band has a width wherever modulation acts (here everywhere below 1 TeV)
    assert np.all(high > low)
    # default width is 0.1 GV
    assert ff.DEFAULT_DELTA_PHI == 0.1
    assert np.array_equal(ff.modulate_band(T, lis_peaked, phi)[1], low)


def test_band_clips_negative_phi_at_zero():
    central, low, high = ff.modulate_band(T, power_law, 0.05, 0.1)
    # phi - dphi < 0 is replaced by 0: the upper edge is the LIS itself (f falls with p)
    assert np.allclose(high, power_law(T), rtol=1e-14)
    assert np.allclose(low, ff.modulate(T, power_law, 0.15), rtol=1e-14)


def test_forcefield_record_and_quantities():
    model = ff.ForceField(550 * au.MV, "helium")
    assert model.phi == pytest.approx(0.55)
    assert model.shift == pytest.approx(1.1)
    assert np.array_equal(model.modulate(T, lis_peaked), ff.modulate(T, lis_peaked, 0.55, "helium"))
    c, lo, hi = model.band(T, lis_peaked)
    assert np.all(lo <= c) and np.all(c <= hi)


@pytest.mark.parametrize(
    "call",
    [
        lambda: ff.modulate(T, lis_peaked, -0.1),
        lambda: ff.modulate(T, ([1.0, 0.5, 2.0], [1.0, 1.0, 1.0]), 0.5),  # unsorted grid
        lambda: ff.modulate(T, ([0.5, 1.0], [1.0, 0.0]), 0.5),  # non-positive flux
        lambda: ff.modulate(T, lis_peaked, 0.5, extrapolate="linear"),
        lambda: ff.modulate(T, lis_peaked, 0.5, species="neutrino"),
        lambda: ff.modulate_band(T, lis_peaked, 0.5, -0.1),
        lambda: ff.ForceField(np.nan),
    ],
)
def test_invalid_input_is_refused(call):
    with pytest.raises(ValueError):
        call()
