"""Kinematics and unit conversions against hand calculations.

Hand values use PDG masses to 9 digits (m_e = 0.51099895 MeV, m_p = 938.272088 MeV; the
4He entry of `particle`, 3728.401 MeV, is used symbolically) and c = 2.99792458e10 cm/s, so
the tolerances are 1e-8 where a hand value enters.
"""

import math

import numpy as np
import pytest

from positrons import constants as const
from positrons import kinematics as kin
from positrons import units as u


def test_units_are_consistent():
    assert u.kpc / u.pc == 1e3
    assert u.pc / u.cm == pytest.approx(3.0857e18, rel=1e-4)
    assert u.MeV / u.GeV == pytest.approx(1e-3)
    assert u.erg == pytest.approx(624.15, rel=1e-4)  # 1 erg in GeV
    assert u.yr == pytest.approx(3.15576e7)


def test_to_internal_strips_astropy_quantities():
    import astropy.units as au

    assert u.to_internal(3 * au.MeV, "energy") == pytest.approx(3e-3)
    assert u.to_internal(2 * au.kpc, "length") == pytest.approx(2 * u.kpc, rel=1e-9)
    assert u.to_internal(5.0, "energy") == 5.0
    with pytest.raises(ValueError, match="unknown physical type"):
        u.to_internal(1.0, "colour")


def test_pdg_masses_come_from_particle():
    assert const.m_electron == pytest.approx(0.51099895e-3, rel=1e-8)
    assert const.m_muon == pytest.approx(0.1056583755, rel=1e-8)
    assert const.m_pion_charged == pytest.approx(0.13957039, rel=1e-7)
    assert const.m_proton == pytest.approx(0.93827208816, rel=1e-7)
    assert const.tau_muon == pytest.approx(2.1969811e-6, rel=1e-6)
    assert const.tau_pion_charged == pytest.approx(2.6033e-8, rel=1e-4)


def test_electron_kinematics_by_hand():
    # T = 1 GeV electron: p = sqrt(T (T + 2m)) = sqrt(1 * 1.0010219979) = 1.000510868...
    T = 1.0
    p = math.sqrt(T * (T + 2 * 0.51099895e-3))
    assert kin.momentum_from_kinetic(T, const.m_electron) == pytest.approx(p, rel=1e-9)
    assert kin.rigidity_from_kinetic(T, "positron") == pytest.approx(p, rel=1e-9)
    assert kin.beta_from_kinetic(T, const.m_electron) == pytest.approx(p / (T + 0.51099895e-3), rel=1e-9)
    assert kin.gamma_from_kinetic(T, const.m_electron) == pytest.approx(1 + 1 / 0.51099895e-3, rel=1e-8)


def test_proton_kinematics_by_hand():
    # R = 1 GV proton: E = sqrt(1 + 0.938272^2) = 1.371260; T = 0.432988 GeV.
    # (CRDB's conversion of the AMS 1.00 GV edge, 0.4330753 GeV/n, follows from m_p = 0.938
    # GeV: sqrt(1 + 0.938^2) - 0.938 = 0.433075.)
    T = kin.kinetic_from_rigidity(1.0, "proton")
    assert T == pytest.approx(math.sqrt(1 + 0.938272088**2) - 0.938272088, rel=1e-8)
    assert T == pytest.approx(0.432988, abs=1e-6)
    assert kin.dT_dR(T, "proton") == pytest.approx(1.0 / math.sqrt(1 + 0.93827208816**2), rel=1e-8)


def test_helium_kinematics_by_hand():
    # 4He (Z = 2): R = 10 GV -> p = 20 GeV; T = sqrt(400 + m^2) - m with m = 3.7284 GeV
    m = const.m_helium4
    T = kin.kinetic_from_rigidity(10.0, "helium")
    assert T == pytest.approx(math.sqrt(400 + m * m) - m, rel=1e-10)
    assert kin.kinetic_per_nucleon(T, "helium") == pytest.approx(T / 4)
    assert kin.kinetic_from_per_nucleon(T / 4, "helium") == pytest.approx(T)
    # dT/dR = |Z| beta = 2 * 20 / sqrt(400 + m^2)
    assert kin.dT_dR(T, "helium") == pytest.approx(2 * 20 / math.sqrt(400 + m * m), rel=1e-10)


@pytest.mark.parametrize("species", ["electron", "proton", "helium"])
def test_round_trips_and_jacobian(species):
    T = np.geomspace(1e-4, 1e4, 41)
    R = kin.rigidity_from_kinetic(T, species)
    assert np.allclose(kin.kinetic_from_rigidity(R, species), T, rtol=1e-12)
    # numerical derivative of T(R) against the analytic Jacobian
    h = 1e-6
    num = (kin.kinetic_from_rigidity(R * (1 + h), species) - kin.kinetic_from_rigidity(R * (1 - h), species)) / (2 * h * R)
    assert np.allclose(num, kin.dT_dR(T, species), rtol=1e-6)


def test_kinetic_from_momentum_is_stable_at_low_momentum():
    # T = p^2 / 2m for p << m, without cancellation
    p = 1e-9
    assert kin.kinetic_from_momentum(p, const.m_proton) == pytest.approx(p * p / (2 * const.m_proton), rel=1e-12)


def test_flux_density_conversion_by_hand():
    # n = 1e-10 cm^-3 GeV^-1 of ultra-relativistic electrons:
    # Phi = c n / 4pi = 2.99792458e10 * 1e-10 / (4 pi) cm^-2 s^-1 sr^-1 GeV^-1
    #     = 0.238565 * 1e4 m^-2 ... = 2385.65 m^-2 s^-1 sr^-1 GeV^-1
    T = 1e3
    flux = kin.flux_from_density(1e-10, T, const.m_electron)
    assert flux == pytest.approx(2.99792458 / (4 * math.pi) * 1e4, rel=1e-6)
    assert kin.density_from_flux(flux, T, const.m_electron) == pytest.approx(1e-10, rel=1e-12)
    # non-relativistic proton, T = 1 MeV: gamma = 1.00106579, beta = sqrt(1 - 1/gamma^2)
    beta = kin.beta_from_kinetic(1e-3, const.m_proton)
    assert beta == pytest.approx(0.0461321, rel=1e-5)


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="unknown species"):
        kin.get_species("tachyon")
    with pytest.raises(ValueError, match=">= 0"):
        kin.momentum_from_kinetic(-1.0, const.m_proton)
    with pytest.raises(ValueError, match="per nucleon"):
        kin.kinetic_per_nucleon(1.0, "electron")
    with pytest.raises(ValueError, match="rest mass"):
        kin.kinetic_from_total(1e-4, const.m_electron)
    with pytest.raises(ValueError, match="T > 0"):
        kin.density_from_flux(1.0, 0.0, const.m_electron)
