"""Drift-shell density (positrons.magnetosphere.atmosphere).

Compared against: closed forms for an exponential atmosphere, MSIS's own total mass
density (our element split must add up to it), and the density Martin et al. (1995)
assumed (~1e-18 g cm^-3 at L = 1.2).
"""

import numpy as np
import pytest

from positrons.magnetosphere import atmosphere, dipole


def test_equatorial_average_of_an_exponential_atmosphere_is_its_value_at_the_crossing():
    atm = atmosphere.ExponentialAtmosphere(rho_ref=1e-15, h_ref_km=500.0, scale_height_km=120.0)
    shell = atmosphere.drift_shell_density(1.2, atm)
    h_eq = dipole.equatorial_altitude_km(1.2)
    assert shell.density == pytest.approx(1e-15 * np.exp(-(h_eq - 500.0) / 120.0), rel=1e-12)
    assert shell.mass_fractions == {"O": 1.0}


def test_lower_mirror_points_see_denser_air():
    atm = atmosphere.ExponentialAtmosphere(rho_ref=1e-15, h_ref_km=500.0, scale_height_km=120.0)
    values = [atmosphere.drift_shell_density(1.2, atm, h).density for h in (1200.0, 800.0, 400.0)]
    assert values[0] < values[1] < values[2]
    # bounded by the densities at the equator and at the mirror point
    h_eq = dipole.equatorial_altitude_km(1.2)
    assert atm.mass_density(0, 0, h_eq) < values[2] < atm.mass_density(0, 0, 400.0)


def test_exponential_atmosphere_refuses_nonsense():
    with pytest.raises(ValueError, match="rho_ref > 0"):
        atmosphere.ExponentialAtmosphere(rho_ref=-1.0, h_ref_km=0.0, scale_height_km=50.0)
    with pytest.raises(ValueError, match="unknown elements"):
        atmosphere.ExponentialAtmosphere(1e-15, 500.0, 100.0, composition={"Xe": 1.0})


def test_msis_elements_add_up_to_the_msis_total_density():
    pytest.importorskip("pymsis")
    atm = atmosphere.MSISAtmosphere()
    lon, lat, alt = np.array([0.0, 90.0, 200.0]), np.array([0.0, 15.0, -20.0]), np.array([400.0, 800.0, 1274.0])
    parts = atm.element_mass_densities(lon, lat, alt)
    total = atm.mass_density(lon, lat, alt)
    # MSIS's total excludes nothing we add and we drop only NO (negligible): 0.5 %
    assert sum(parts.values()) == pytest.approx(total, rel=5e-3)


def test_msis_drift_shell_density_at_l_1_2():
    pytest.importorskip("pymsis")
    moderate = atmosphere.drift_shell_density(1.2, atmosphere.MSISAtmosphere(f107=150, f107a=150, ap=4))
    # Martin et al. took ~1e-18 g/cm^3; MSIS 2.1 at the 1274 km crossing gives 1.4e-18
    assert 1e-18 < moderate.density < 2e-18
    assert moderate.mass_fractions["He"] > 0.8  # helium dominates above ~1000 km
    low = atmosphere.drift_shell_density(1.2, atmosphere.MSISAtmosphere(f107=70, f107a=70))
    high = atmosphere.drift_shell_density(1.2, atmosphere.MSISAtmosphere(f107=250, f107a=250))
    assert low.density < moderate.density < high.density  # a hotter thermosphere reaches higher


def test_msis_refuses_bad_activity():
    with pytest.raises(ValueError, match="f107"):
        atmosphere.MSISAtmosphere(f107=-5.0)
