"""Dipole geometry of the inner belt (positrons.magnetosphere.dipole).

Compared against: the Martin et al. (1995) number (0.18 G at L = 1.2), closed forms of the
dipole field line, and adaptive quadrature (scipy.quad) of the bounce integral for the
Gauss-Legendre bounce weights.
"""

import numpy as np
import pytest
from scipy import integrate

from positrons.magnetosphere import dipole


def test_equatorial_field_at_l_1_2_is_the_spec_value():
    # Martin et al. 1995: B = 0.312/L^3 G = 0.18 G at L = 1.2 (0.1806 before rounding)
    assert dipole.equatorial_field(1.2) == pytest.approx(0.18, rel=5e-3)
    assert dipole.equatorial_field(1.0) == dipole.B0_GAUSS


def test_field_line_geometry_closed_forms():
    L = 1.2
    lam_f = dipole.footpoint_latitude(L)
    assert dipole.altitude_km(L, lam_f) == pytest.approx(0.0, abs=1e-9)  # the foot is on the surface
    assert np.degrees(lam_f) == pytest.approx(np.degrees(np.arccos(np.sqrt(1 / 1.2))), rel=1e-12)
    assert dipole.equatorial_altitude_km(L) == pytest.approx(0.2 * dipole.EARTH_RADIUS_KM)
    for h in (100.0, 600.0, 1200.0):
        assert dipole.altitude_km(L, dipole.mirror_latitude(L, h)) == pytest.approx(h, rel=1e-12)
    # B grows away from the equator: sqrt(1 + 3 sin^2)/cos^6 (value at 20 deg)
    lam = np.radians(20.0)
    expected = np.sqrt(1 + 3 * np.sin(lam) ** 2) / np.cos(lam) ** 6
    assert dipole.field_strength(L, lam) / dipole.equatorial_field(L) == pytest.approx(expected, rel=1e-14)


def test_refuses_shells_below_the_surface_and_mirror_points_off_the_line():
    with pytest.raises(ValueError, match="L must be >= 1"):
        dipole.equatorial_field(0.9)
    with pytest.raises(ValueError, match="mirror altitude"):
        dipole.mirror_latitude(1.2, 2000.0)


@pytest.mark.parametrize("h_mirror", [200.0, 700.0, 1200.0])
def test_bounce_weights_match_adaptive_quadrature(h_mirror):
    # <g> = Int g ds/v_par / Int ds/v_par; reference by scipy.quad (it copes with the
    # integrable 1/sqrt singularity at the mirror point, to ~1e-7 here)
    L = 1.2
    lam_m = float(dipole.mirror_latitude(L, h_mirror))
    lam, w = dipole.bounce_nodes(L, lam_m, n=48)
    assert w.sum() == pytest.approx(1.0, rel=1e-14)

    def time_weight(x):
        ratio = dipole.field_strength(L, x) / dipole.field_strength(L, lam_m)
        return np.cos(x) * np.sqrt(1 + 3 * np.sin(x) ** 2) / np.sqrt(max(1 - ratio, 1e-300))

    g = lambda x: np.exp(-dipole.altitude_km(L, x) / 150.0)  # a steep, atmosphere-like weight
    num, _ = integrate.quad(lambda x: g(x) * time_weight(x), 0, lam_m, limit=200, epsrel=1e-10)
    den, _ = integrate.quad(time_weight, 0, lam_m, limit=200, epsrel=1e-10)
    assert np.sum(w * g(lam)) == pytest.approx(num / den, rel=1e-5)


def test_equatorially_mirroring_particles_sit_at_the_equator():
    lam, w = dipole.bounce_nodes(1.2, 0.0)
    assert lam.tolist() == [0.0] and w.tolist() == [1.0]
    # 90 deg pitch angle at the equator
    assert dipole.equatorial_pitch_angle(1.2, 1e-9) == pytest.approx(np.pi / 2, abs=1e-6)


def test_bounce_averaged_synchrotron_field_limits():
    # <B^2 sin^2 alpha> = <B^3>/B_m lies between B_eq^3/B_m (all time at the equator) and B_m^2
    # (all time at the mirror point); equatorial particles: B_eq^2; a given B_eq scales it as B_eq^2
    L = 1.2
    B_eq = dipole.equatorial_field(L)
    assert dipole.bounce_averaged_b2_sin2(L) == pytest.approx(B_eq**2, rel=1e-15)
    for h in (400.0, 1000.0):
        B_m = dipole.field_strength(L, dipole.mirror_latitude(L, h))
        value = dipole.bounce_averaged_b2_sin2(L, h)
        assert B_eq**3 / B_m < value < B_m**2
        assert dipole.bounce_averaged_b2_sin2(L, h, B_eq=2 * B_eq) == pytest.approx(4 * value, rel=1e-14)
