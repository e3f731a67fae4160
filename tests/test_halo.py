"""Dark-matter halo profiles (positrons.sources.halo) against their defining formulas.

Coordinates and lengths in kpc (the module's API), densities in GeV cm^-3.
"""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from positrons.sources import halo


@pytest.mark.parametrize("name", sorted(halo.PROFILES))
def test_every_profile_is_normalised_at_the_sun(name):
    profile = halo.get_profile(name)
    assert profile.density(8.5) == pytest.approx(0.43, rel=1e-14)
    other = halo.get_profile(name, rho_local=0.3, r_sun_kpc=8.33)
    assert other.density(8.33) == pytest.approx(0.3, rel=1e-14)
    # also when the inner clamp lies outside the Sun: rho(r_sun) = rho_local whatever r_min
    clamped = halo.get_profile(name, r_min_kpc=10.0)
    assert clamped.density(8.5) == pytest.approx(0.43, rel=1e-14)
    assert clamped.density(3.0) == clamped.density(10.0)


def test_nfw_is_the_spec_formula():
    # our NFW: rho = rho_0 (1 + r_sun/r_s)^2 (r/r_sun)^-1 (1 + r/r_s)^-2, 0.43 GeV/cm^3, 8.5 and 20 kpc
    r = np.array([0.1, 1.0, 8.5, 20.0, 100.0])
    r_sun, r_s = 8.5, 20.0
    expected = 0.43 * (1 + r_sun / r_s) ** 2 * (r / r_sun) ** -1 * (1 + r / r_s) ** -2
    assert np.allclose(halo.NFW().density(r), expected, rtol=1e-13)


def test_profile_slopes():
    # logarithmic slopes that define the shapes: NFW -1 -> -3; Einasto -2 (r/r_s)^alpha, = -2 at r_s;
    # Burkert and isothermal have cores (slope -> 0) and fall as r^-3 resp. r^-2
    def slope(profile, r):
        return (math.log(profile.density(r * 1.001)) - math.log(profile.density(r / 1.001))) / math.log(1.001**2)

    nfw = halo.NFW()
    assert slope(nfw, 1e-3 * nfw.r_s_kpc) == pytest.approx(-1.0, abs=3e-3)
    assert slope(nfw, 1e3 * nfw.r_s_kpc) == pytest.approx(-3.0, abs=3e-3)
    ein = halo.Einasto()
    assert slope(ein, ein.r_s_kpc) == pytest.approx(-2.0, abs=1e-5)
    bur, iso = halo.Burkert(), halo.Isothermal()
    assert slope(bur, 1e-4 * bur.r_s_kpc) == pytest.approx(0.0, abs=1e-3)
    assert slope(bur, 1e4 * bur.r_s_kpc) == pytest.approx(-3.0, abs=1e-3)
    assert slope(iso, 1e-4 * iso.r_s_kpc) == pytest.approx(0.0, abs=1e-3)
    assert slope(iso, 1e4 * iso.r_s_kpc) == pytest.approx(-2.0, abs=1e-3)


def test_nfw_enclosed_mass_matches_closed_form():
    # M(<r) = 4 pi rho_s r_s^3 [ln(1 + c) - c/(1 + c)], c = r/r_s: checks density() by integration
    nfw = halo.NFW(r_min_kpc=0.0)
    rho_s = 0.43 * (8.5 / 20.0) * (1 + 8.5 / 20.0) ** 2
    c = 8.5 / 20.0
    closed = 4 * math.pi * rho_s * nfw.r_s_kpc**3 * (math.log(1 + c) - c / (1 + c))
    numeric, _ = quad(lambda r: 4 * math.pi * r * r * nfw.density(r), 0.0, 8.5, epsrel=1e-10, limit=200)
    assert numeric == pytest.approx(closed, rel=1e-8)


def test_cylindrical_grid_and_centre_are_finite():
    nfw = halo.NFW()
    R = np.array([0.0, 4.0, 8.5])
    z = np.array([-1.0, 0.0, 1.0])
    grid = nfw.density_grid(R, z)
    assert grid.shape == (3, 3)
    assert np.all(np.isfinite(grid))
    assert grid[0, 1] == pytest.approx(nfw.density(nfw.r_min_kpc))  # centre held at r_min = 1 pc
    assert nfw.r_min_kpc == 1e-3
    assert np.allclose(grid[:, 0], grid[:, 2])  # symmetric in z
    assert grid[2, 1] == pytest.approx(0.43)
    assert nfw.density_cylindrical(3.0, 4.0) == pytest.approx(nfw.density(5.0))
    # calling a profile is the spatial profile rho(R, z) of the transport solver, broadcasting
    assert nfw(R[:, None], z[None, :]) == pytest.approx(grid, rel=1e-15)


def test_astropy_lengths_are_accepted():
    import astropy.units as apu

    assert halo.NFW().density(8.5 * apu.kpc) == pytest.approx(0.43)
    assert halo.NFW().density(8500.0 * apu.pc) == pytest.approx(0.43)


def test_unknown_profiles_and_parameters_are_refused():
    with pytest.raises(ValueError, match="unknown halo profile"):
        halo.get_profile("moore")
    with pytest.raises(ValueError, match="nfw profile"):
        halo.get_profile("nfw", rs=20.0)
    with pytest.raises(ValueError, match="nfw profile"):
        halo.get_profile("nfw", r_s=20.0)  # the cm-era name: lengths are now r_s_kpc
    with pytest.raises(ValueError, match="rho_local"):
        halo.NFW(rho_local=-1.0)
    with pytest.raises(ValueError, match=">= 0"):
        halo.NFW().density(-1.0)


@pytest.mark.parametrize(
    "make,name",
    [
        (lambda: halo.NFW(r_s_kpc=0.0), "r_s_kpc"),
        (lambda: halo.NFW(r_s_kpc=float("nan")), "r_s_kpc"),
        (lambda: halo.Burkert(r_s_kpc=-3.0), "r_s_kpc"),
        (lambda: halo.Einasto(alpha=0.0), "alpha"),
        (lambda: halo.Einasto(alpha=-0.2), "alpha"),
        (lambda: halo.NFW(rho_local=float("inf")), "rho_local"),
        (lambda: halo.Isothermal(r_sun_kpc=0.0), "r_sun_kpc"),
        (lambda: halo.NFW(r_min_kpc=-1e-3), "r_min_kpc"),
    ],
)
def test_parameters_must_be_finite_and_positive(make, name):
    # before: NFW(r_s = 0, nan, < 0), Einasto(alpha <= 0) and rho_local = inf were accepted
    with pytest.raises(ValueError, match=name):
        make()
