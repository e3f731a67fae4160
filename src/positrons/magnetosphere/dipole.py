"""The centred, axis-aligned dipole field of the inner magnetosphere.

Geometry of a dipole field line of McIlwain shell ``L`` (lengths in Earth radii R_E,
magnetic latitude ``lam``; e.g. Roederer 1970, "Dynamics of geomagnetically trapped
radiation", Sect. I.3; Walt 1994, "Introduction to geomagnetically trapped radiation",
Eqs. 3.3-3.6)::

    r(lam)   = L cos^2(lam)                                   (field line)
    B(lam)   = B_0 / L^3 * sqrt(1 + 3 sin^2 lam) / cos^6 lam  (field strength)
    ds/dlam  = L R_E cos(lam) sqrt(1 + 3 sin^2 lam)            (arc length)

with ``B_0 = 0.312`` G, the equatorial surface field used by Martin et al. (1995)
section 6 (B = 0.312/L^3 G = 0.18 G at L = 1.2).  A particle of equatorial pitch angle
``alpha_0`` mirrors where ``B(lam_m) = B_eq / sin^2(alpha_0)`` (first adiabatic invariant);
its parallel speed is ``v sqrt(1 - B(lam)/B(lam_m))``, so the fraction of a bounce spent
near ``lam`` is proportional to ``ds / sqrt(1 - B/B_m)``.

The dipole is centred and aligned with the rotation axis, so magnetic and geographic
latitudes coincide and the shell has the same altitude at every longitude.  The real
field is tilted by ~10 deg and offset by ~500 km: its drift shells dip lowest over the
South Atlantic Anomaly, which this geometry does not have (see docs/belt.md).

Units: field in gauss, lengths in Earth radii unless a name says ``_km``; angles in radians.
"""

from __future__ import annotations

import numpy as np

from ..quadrature import gauss_legendre

#: equatorial surface field of the dipole [G] (Martin et al. 1995)
B0_GAUSS = 0.312
#: Earth radius [km] used to turn radial distance into altitude (IGRF reference radius)
EARTH_RADIUS_KM = 6371.2


def _check_shell(L):
    L = np.asarray(L, dtype=float)
    if np.any(~np.isfinite(L)) or np.any(L < 1.0):
        raise ValueError(f"the McIlwain parameter L must be >= 1 (a field line above the surface), got {L}")
    return L


def equatorial_field(L):
    """Dipole field at the magnetic equator of shell ``L``: ``B = B_0 / L^3`` [G]."""
    return B0_GAUSS / _check_shell(L) ** 3


def field_strength(L, lam):
    """Dipole field [G] at magnetic latitude ``lam`` [rad] on the field line of shell ``L``."""
    s = np.sin(lam)
    return equatorial_field(L) * np.sqrt(1.0 + 3.0 * s * s) / np.cos(lam) ** 6


def radial_distance(L, lam):
    """Distance from the Earth's centre [R_E] of the field line point: ``L cos^2(lam)``."""
    return _check_shell(L) * np.cos(lam) ** 2


def altitude_km(L, lam):
    """Altitude above the surface [km] of the field-line point at latitude ``lam``."""
    return (radial_distance(L, lam) - 1.0) * EARTH_RADIUS_KM


def equatorial_altitude_km(L):
    """Altitude [km] where shell ``L`` crosses the equator: ``(L - 1) R_E``."""
    return (_check_shell(L) - 1.0) * EARTH_RADIUS_KM


def footpoint_latitude(L):
    """Magnetic latitude [rad] where the field line of ``L`` meets the surface: ``cos^2 = 1/L``."""
    return np.arccos(np.sqrt(1.0 / _check_shell(L)))


def mirror_latitude(L, mirror_altitude_km):
    """Latitude [rad] where the field line of ``L`` is at ``mirror_altitude_km``.

    From ``L cos^2(lam) = 1 + h/R_E``; ``h`` must lie between 0 and the equatorial altitude.
    """
    L = _check_shell(L)
    h = np.asarray(mirror_altitude_km, dtype=float)
    h_eq = equatorial_altitude_km(L)
    if np.any(h < 0) or np.any(h > h_eq * (1 + 1e-12)):
        raise ValueError(
            f"mirror altitude must lie between 0 and the equatorial altitude {float(np.max(h_eq)):.0f} km "
            f"of L = {L}; got {h} km"
        )
    return np.arccos(np.sqrt(np.minimum((1.0 + h / EARTH_RADIUS_KM) / L, 1.0)))


def equatorial_pitch_angle(L, mirror_lat):
    """Equatorial pitch angle [rad] of particles mirroring at ``mirror_lat``: ``sin^2 a0 = B_eq/B_m``."""
    ratio = equatorial_field(L) / field_strength(L, mirror_lat)
    return np.arcsin(np.sqrt(ratio))


def bounce_nodes(L, mirror_lat: float, n: int = 48):
    """Latitudes [rad] and weights for averages over a bounce between +-``mirror_lat``.

    The time-weighted average of ``g`` along the field line is
    ``<g> = Integral g ds/v_par / Integral ds/v_par``, ``v_par ~ sqrt(1 - B/B_m)``.
    The substitution ``lam = lam_m sin(theta)`` removes the integrable 1/sqrt singularity
    at the mirror point; Gauss-Legendre in ``theta`` on [0, pi/2] (the bounce is symmetric
    about the equator: each node stands for both hemispheres).  Returns ``(lam, w)`` with
    ``sum(w) = 1``.  For ``mirror_lat = 0`` (equatorially mirroring particles) a single
    node at the equator.
    """
    if mirror_lat <= 0:
        return np.zeros(1), np.ones(1)
    x, w = gauss_legendre(n)
    theta = 0.25 * np.pi * (x + 1.0)
    lam = mirror_lat * np.sin(theta)
    dlam = mirror_lat * np.cos(theta)  # d lam / d theta
    b_ratio = field_strength(L, lam) / field_strength(L, mirror_lat)
    ds = np.cos(lam) * np.sqrt(1.0 + 3.0 * np.sin(lam) ** 2)
    weight = w * dlam * ds / np.sqrt(np.maximum(1.0 - b_ratio, 1e-300))
    return lam, weight / weight.sum()


#: Gauss-Legendre nodes of the bounce averages (density and synchrotron field use the same)
BOUNCE_NODES = 32


def bounce_averaged_b2_sin2(L, mirror_altitude_km=None, n: int = BOUNCE_NODES, B_eq=None) -> float:
    """Bounce average of ``B^2 sin^2(alpha)`` [G^2] for particles mirroring at ``mirror_altitude_km``.

    The synchrotron loss rate goes as ``B^2 sin^2(alpha)`` with the local field and pitch
    angle.  Along the bounce ``sin^2(alpha(lam)) = B(lam)/B_m`` (first adiabatic invariant),
    so ``<B^2 sin^2 alpha> = <B^3>/B_m``, averaged with the time weights ``ds/v_par`` of
    :func:`bounce_nodes` -- the weights of the drift-shell density average
    (:func:`positrons.magnetosphere.atmosphere.drift_shell_density`).  ``None`` (or the
    equatorial altitude) means equatorially mirroring particles: ``B_eq^2`` (sin alpha = 1).
    ``B_eq`` [G] replaces the dipole's ``0.312/L^3`` (the shape along the line is kept).
    """
    L = float(_check_shell(L))
    b_eq = float(equatorial_field(L)) if B_eq is None else float(B_eq)
    if mirror_altitude_km is None:
        return b_eq**2
    lam_m = float(mirror_latitude(L, mirror_altitude_km))
    lam, w = bounce_nodes(L, lam_m, n)
    shape = field_strength(L, lam) / equatorial_field(L)  # B / B_eq along the line
    shape_m = float(field_strength(L, lam_m) / equatorial_field(L))
    return b_eq**2 * float(np.sum(w * shape**3)) / shape_m
