"""PBH source term (positrons.sources.pbh.source): factorisation, units, mass integral."""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from positrons import constants as const
from positrons.sources.halo import NFW, Burkert
from positrons.sources.pbh import emission, spectra
from positrons.sources.pbh.mass_functions import LogNormal, Monochromatic, PowerLaw
from positrons.sources.pbh.source import PBHSource, population_spectrum

ENERGIES = np.geomspace(1e-4, 0.5, 60)


def test_q_at_the_sun_is_local_density_times_spectrum_per_mass():
    # hand value: monochromatic M, NFW normalised to rho0 = 0.43 GeV cm^-3 at (R, z) = (8.5 kpc, 0):
    # q = f rho0 / M x d2N/dtdE with M in GeV (M [g] x 5.6096e23 GeV/g, CODATA c^2/e typed here)
    M = 2e16
    M_GeV = M * 1e-3 * 299792458.0**2 / 1.602176634e-19 * 1e-9
    source = PBHSource(mass_function=Monochromatic(M), f_pbh=0.1)
    per_hole = spectra.spectrum("positron", ENERGIES, M).total
    expected = 0.1 * 0.43 / M_GeV * per_hole
    assert source(8.5, 0.0, ENERGIES) == pytest.approx(expected, rel=1e-12)
    assert source.profile(8.5, 0.0) == pytest.approx(0.1 * 0.43, rel=1e-14)  # GeV cm^-3
    assert source.spectrum(ENERGIES) == pytest.approx(per_hole / M_GeV, rel=1e-12)


def test_the_solver_calling_convention():
    # the 2D solver calls source(R[:, None, None], z[None, :, None], T[None, None, :]) in kpc, and
    # profile(R[:, None], z[None, :]) and spectrum(T) separately; hand values: the Burkert shape
    # at r = 5 kpc (R = 3, z = 4) relative to r_sun = 8.5 kpc, rho ~ 1/((1 + u)(1 + u^2)), u = r/12.67
    source = PBHSource(mass_function=LogNormal(1e16, 1.0), halo=Burkert(), particle="electron", f_pbh=1e-3)
    R = np.array([0.0, 3.0, 8.5, 20.0])
    z = np.array([-4.0, 0.0, 4.0])
    T = ENERGIES[::10]
    q = source(R[:, None, None], z[None, :, None], T[None, None, :])
    assert q.shape == (4, 3, T.size)
    assert np.allclose(q, source.grid(R, z, T), rtol=0, atol=0)

    def shape(r):
        x = r / 12.67
        return 1 / ((1 + x) * (1 + x * x))

    rho_35 = 1e-3 * 0.43 * shape(5.0) / shape(8.5)
    assert source.profile(3.0, 4.0) == pytest.approx(rho_35, rel=1e-13)
    per_gram = population_spectrum("electron", T, LogNormal(1e16, 1.0)).total
    per_GeV = per_gram / const.gram_in_GeV
    assert q[1, 2] == pytest.approx(rho_35 * per_GeV, rel=1e-12)
    assert q[1, 0] == pytest.approx(q[1, 2], rel=1e-15)  # symmetric in z
    assert source.spectrum(T.reshape(1, 1, -1)).shape == (1, 1, T.size)


def test_population_spectrum_equals_direct_mass_integral():
    # independent method: adaptive quadrature over ln M of psi(M)/M d2N/dtdE (primary) at two
    # energies; 1e-5 = accuracy of the composite Gauss-Legendre rule
    lognormal = LogNormal(1e16, 2.0)
    energies = np.array([1e-3, 0.05])
    spec = population_spectrum("positron", energies, lognormal)
    for E, ours in zip(energies, spec.primary):
        direct = quad(lambda lnm: lognormal.psi(math.exp(lnm)) * emission.primary_spectrum("positron", E, math.exp(lnm)),
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
    mono = spectra.spectrum("positron", ENERGIES, 1e16).total / 1e16
    significant = mono > 1e-4 * mono.max()
    assert np.allclose(narrow[significant], mono[significant], rtol=5e-3)


def test_power_law_population_is_dominated_by_light_holes():
    # psi ~ M^-1.5 on [5e14, 1e18] g: at 100 MeV the emission comes from the lightest (hottest) holes
    spec = population_spectrum("positron", [0.1], PowerLaw(5e14, 1e18, -0.5)).total[0]
    light_only = population_spectrum("positron", [0.1], PowerLaw(5e14, 1e15, -0.5)).total[0]
    fraction_light = (5e14**-0.5 - 1e15**-0.5) / (5e14**-0.5 - 1e18**-0.5)
    assert spec == pytest.approx(light_only * fraction_light, rel=1e-2)


def test_a_source_below_the_evaporation_mass_is_flagged():
    # holes below M_min = 5e14 g have evaporated: refused by the mass function unless M_min is
    # lowered on purpose, and then the present-day source warns
    from positrons.sources.pbh.source import EvaporatedMassWarning

    with pytest.raises(ValueError, match="evaporated"):
        PBHSource(mass_function=Monochromatic(1e14))
    with pytest.warns(EvaporatedMassWarning, match="below 5e\\+14 g"):
        PBHSource(mass_function=Monochromatic(1e14, M_min=1e13))
    with pytest.warns(EvaporatedMassWarning):
        PBHSource(mass_function=PowerLaw(1e14, 1e16, -0.5))


def test_invalid_source_parameters():
    with pytest.raises(ValueError, match="f_pbh"):
        PBHSource(mass_function=Monochromatic(1e16), f_pbh=-0.1)
    with pytest.raises(ValueError, match="unknown particle"):
        PBHSource(mass_function=Monochromatic(1e16), particle="antiproton")
    with pytest.raises(TypeError):
        PBHSource(Monochromatic(1e16))  # keyword-only: an unnamed argument is an error
    assert PBHSource(mass_function=Monochromatic(1e16)).halo == NFW()
