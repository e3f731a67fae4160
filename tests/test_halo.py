"""Dark-matter halo profiles (positrons.sources.halo) against their defining formulas."""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from positrons import units as u
from positrons.sources import halo


@pytest.mark.parametrize("name", sorted(halo.PROFILES))
def test_every_profile_is_normalised_at_the_sun(name):
    profile = halo.get_profile(name)
    assert profile.density(8.5 * u.kpc) == pytest.approx(0.43, rel=1e-14)
    other = halo.get_profile(name, rho_local=0.3, r_sun=8.33 * u.kpc)
    assert other.density(8.33 * u.kpc) == pytest.approx(0.3, rel=1e-14)


def test_nfw_is_the_spec_formula():
    # SPEC 3.1: rho = rho_0 (1 + r_sun/r_s)^2 (r/r_sun)^-1 (1 + r/r_s)^-2, 0.43 GeV/cm^3, 8.5 and 20 kpc
    r = np.array([0.1, 1.0, 8.5, 20.0, 100.0]) * u.kpc
    r_sun, r_s = 8.5 * u.kpc, 20.0 * u.kpc
    expected = 0.43 * (1 + r_sun / r_s) ** 2 * (r / r_sun) ** -1 * (1 + r / r_s) ** -2
    assert np.allclose(halo.NFW().density(r), expected, rtol=1e-13)


def test_profile_slopes():
    # logarithmic slopes that define the shapes: NFW -1 -> -3; Einasto -2 (r/r_s)^alpha, = -2 at r_s;
    # Burkert and isothermal have cores (slope -> 0) and fall as r^-3 resp. r^-2
    def slope(profile, r):
        return (math.log(profile.density(r * 1.001)) - math.log(profile.density(r / 1.001))) / math.log(1.001**2)

    nfw = halo.NFW()
    assert slope(nfw, 1e-3 * nfw.r_s) == pytest.approx(-1.0, abs=3e-3)
    assert slope(nfw, 1e3 * nfw.r_s) == pytest.approx(-3.0, abs=3e-3)
    ein = halo.Einasto()
    assert slope(ein, ein.r_s) == pytest.approx(-2.0, abs=1e-5)
    bur, iso = halo.Burkert(), halo.Isothermal()
    assert slope(bur, 1e-4 * bur.r_s) == pytest.approx(0.0, abs=1e-3)
    assert slope(bur, 1e4 * bur.r_s) == pytest.approx(-3.0, abs=1e-3)
    assert slope(iso, 1e-4 * iso.r_s) == pytest.approx(0.0, abs=1e-3)
    assert slope(iso, 1e4 * iso.r_s) == pytest.approx(-2.0, abs=1e-3)


def test_nfw_enclosed_mass_matches_closed_form():
    # M(<r) = 4 pi rho_s r_s^3 [ln(1 + c) - c/(1 + c)], c = r/r_s: checks density() by integration
    nfw = halo.NFW(r_min=0.0)
    rho_s = 0.43 * (8.5 / 20.0) * (1 + 8.5 / 20.0) ** 2
    c = 8.5 / 20.0
    closed = 4 * math.pi * rho_s * nfw.r_s**3 * (math.log(1 + c) - c / (1 + c))
    numeric, _ = quad(lambda r: 4 * math.pi * r * r * nfw.density(r), 0.0, 8.5 * u.kpc, epsrel=1e-10, limit=200)
    assert numeric == pytest.approx(closed, rel=1e-8)


def test_cylindrical_grid_and_centre_are_finite():
    nfw = halo.NFW()
    R = np.array([0.0, 4.0, 8.5]) * u.kpc
    z = np.array([-1.0, 0.0, 1.0]) * u.kpc
    grid = nfw.density_grid(R, z)
    assert grid.shape == (3, 3)
    assert np.all(np.isfinite(grid))
    assert grid[0, 1] == pytest.approx(nfw.density(nfw.r_min))  # centre held at r_min = 1 pc
    assert np.allclose(grid[:, 0], grid[:, 2])  # symmetric in z
    assert grid[2, 1] == pytest.approx(0.43)
    assert nfw.density_cylindrical(3.0 * u.kpc, 4.0 * u.kpc) == pytest.approx(nfw.density(5.0 * u.kpc))


def test_astropy_lengths_are_accepted():
    import astropy.units as apu

    assert halo.NFW().density(8.5 * apu.kpc) == pytest.approx(0.43)


def test_unknown_profiles_and_parameters_are_refused():
    with pytest.raises(ValueError, match="unknown halo profile"):
        halo.get_profile("moore")
    with pytest.raises(ValueError, match="nfw profile"):
        halo.get_profile("nfw", rs=20.0)
    with pytest.raises(ValueError, match="rho_local"):
        halo.NFW(rho_local=-1.0)
    with pytest.raises(ValueError, match=">= 0"):
        halo.NFW().density(-1.0)
