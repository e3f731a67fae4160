"""PBH source term (positrons.sources.pbh.source): factorisation, units, mass integral."""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from positrons import constants as const
from positrons import units as u
from positrons.sources.halo import Burkert, NFW
from positrons.sources.pbh import hawking
from positrons.sources.pbh.mass_functions import LogNormal, Monochromatic, PowerLaw
from positrons.sources.pbh.source import PBHSource, population_spectrum

ENERGIES = np.geomspace(1e-4, 0.5, 60)


def test_q_at_the_sun_is_local_density_times_spectrum_per_mass():
    # monochromatic M: q = f rho_sun / M x d2N/dtdE, rho_sun = 0.43 GeV/cm^3 = 0.43/gram_in_GeV g/cm^3
    M = 2e16
    source = PBHSource(mass_function=Monochromatic(M), f_pbh=0.1)
    q = source.q([8.5 * u.kpc], [0.0], ENERGIES)
    per_hole = hawking.spectrum("positron", ENERGIES, M).total
    expected = 0.1 * (0.43 / const.gram_in_GeV) / M * per_hole
    assert q.shape == (1, 1, ENERGIES.size)
    assert np.allclose(q[0, 0], expected, rtol=1e-12)


def test_q_factorises_on_a_grid():
    source = PBHSource(mass_function=LogNormal(1e16, 1.0), halo=Burkert(), particle="electron")
    R = np.linspace(0.0, 20.0, 5) * u.kpc
    z = np.linspace(-4.0, 4.0, 3) * u.kpc
    q = source.q(R, z, ENERGIES)
    rho = source.density(R[:, None], z[None, :])
    spec = source.spectrum(ENERGIES)
    assert q.shape == (5, 3, ENERGIES.size)
    assert np.allclose(q, rho[:, :, None] * spec.total[None, None, :], rtol=1e-14)
    assert np.allclose(rho, Burkert().density_grid(R, z) / const.gram_in_GeV, rtol=1e-14)


def test_population_spectrum_equals_direct_mass_integral():
    # independent method: adaptive quadrature over ln M of psi(M)/M d2N/dtdE (primary) at two
    # energies; 1e-5 = accuracy of the composite Gauss-Legendre rule
    lognormal = LogNormal(1e16, 2.0)
    energies = np.array([1e-3, 0.05])
    spec = population_spectrum("positron", energies, lognormal)
    for E, ours in zip(energies, spec.primary):
        direct = quad(lambda lnm: lognormal.psi(math.exp(lnm)) * hawking.primary_spectrum("positron", E, math.exp(lnm)),
                      math.log(5e14), math.log(1e16) + 16.0, limit=400, epsrel=1e-9,
                      points=[math.log(1e16)])[0]
        assert ours == pytest.approx(direct, rel=1e-5)


def test_mass_quadrature_is_converged():
    # halving the panel width changes the population spectrum by < 1e-6 where it matters
    lognormal = LogNormal(1e16, 1.0)
    coarse = population_spectrum("positron", ENERGIES, lognormal).total
    fine = population_spectrum("positron", ENERGIES, lognormal, panel_width=0.1).total
    significant = coarse > 1e-6 * coarse.max()
    assert np.allclose(coarse[significant], fine[significant], rtol=1e-6)


def test_narrow_lognormal_tends_to_monochromatic():
    # sigma -> 0: Integral psi/M N dM -> N(M_c)/M_c; the correction is ~ (sigma E/T)^2 / 2, < 5e-3
    # for sigma = 0.003 up to E/T = 30 (the Boltzmann tail varies as exp(-E/T) with T ~ 1/M)
    narrow = population_spectrum("positron", ENERGIES, LogNormal(1e16, 0.003)).total
    mono = hawking.spectrum("positron", ENERGIES, 1e16).total / 1e16
    significant = mono > 1e-4 * mono.max()
    assert np.allclose(narrow[significant], mono[significant], rtol=5e-3)


def test_power_law_population_is_dominated_by_light_holes():
    # psi ~ M^-1.5 on [5e14, 1e18] g: at 100 MeV the emission comes from the lightest (hottest) holes
    spec = population_spectrum("positron", [0.1], PowerLaw(5e14, 1e18, -0.5)).total[0]
    light_only = population_spectrum("positron", [0.1], PowerLaw(5e14, 1e15, -0.5)).total[0]
    fraction_light = (5e14**-0.5 - 1e15**-0.5) / (5e14**-0.5 - 1e18**-0.5)
    assert spec == pytest.approx(light_only * fraction_light, rel=1e-2)


def test_invalid_source_parameters():
    with pytest.raises(ValueError, match="f_pbh"):
        PBHSource(mass_function=Monochromatic(1e16), f_pbh=-0.1)
    with pytest.raises(ValueError, match="unknown particle"):
        PBHSource(mass_function=Monochromatic(1e16), particle="antiproton")
    with pytest.raises(TypeError):
        PBHSource(Monochromatic(1e16))  # keyword-only: an unnamed argument is an error
    assert PBHSource(mass_function=Monochromatic(1e16)).halo == NFW()
