"""The heliosphere of a charge-sign-dependent model: Parker spiral field, wavy current sheet,
drift stream function and diffusion tensor.

Everything here is a frozen record of parameters plus pure functions of ``(r, theta)``
(radius [cm], colatitude [rad]) used by :mod:`~positrons.heliosphere.drift_solver`.

Magnetic field
--------------
Parker (1958) spiral of a radial wind ``V`` and a Sun rotating at ``Omega``::

    B = A_sign sigma(theta) B_r0 (AU/r)^2 (e_r - Gamma e_phi),   Gamma = tan psi = Omega r sin(theta) / V   (1)

with ``|B| = B_r0 (AU/r)^2 sqrt(1 + Gamma^2)`` and ``B_r0 = B_E / sqrt(1 + Gamma_E^2)`` fixed by the
field ``B_E`` at Earth (r = 1 AU, theta = pi/2).  ``A_sign = +1`` (A > 0: field outward in the
northern hemisphere) or ``-1``; ``sigma = +1`` north of the heliospheric current sheet and ``-1``
south of it.

Wavy current sheet, averaged over longitude
-------------------------------------------
A current sheet tilted by ``alpha`` lies at latitude ``lambda_s(phi)`` with
``tan lambda_s = tan(alpha) sin(phi*)`` (Jokipii & Thomas 1981, ApJ 243, 1115, Eq. 2, with the
co-rotating longitude ``phi*``).  A point at latitude ``lambda`` is north of the sheet for the
fraction ``1/2 + arcsin(tan lambda / tan alpha)/pi`` of longitudes, so the longitude average of
``sigma`` is::

    sigma_bar(theta) = (2/pi) arcsin(tan(lambda) / tan(alpha))  for |lambda| < alpha,  sign(lambda) otherwise   (2)

This 2D (axisymmetric) model replaces ``sigma`` by ``sigma_bar``: the current-sheet drift is
spread over the latitudes ``|lambda| < alpha`` the sheet sweeps, which is how 2D drift models
represent the wavy sheet (Potgieter & Moraal 1985, ApJ 294, 425; Hattingh & Burger 1995,
Adv. Space Res. 16, 213, do it with a drift region of the same width).

Drifts
------
The guiding-centre drift velocity averaged over a near-isotropic distribution is
``v_d = curl(K_A B/|B|)`` with ``K_A = f_A beta c r_L / 3`` and the Larmor radius
``r_L = p c / (q |B|)`` carrying the charge sign (Jokipii, Levy & Hubbard 1977, ApJ 213, 861,
Eq. 9; Burger & Potgieter 1989, ApJ 339, 501).  ``f_A`` reduces the weak-scattering value:
``f_A = k_A (R/R_A)^2 / (1 + (R/R_A)^2)`` (Burger, Potgieter & Heber 2000, JGR 105, 27447;
``k_A = 0`` switches drifts off).  For the axisymmetric field (1) with (2) only ``W_phi`` of
``W = K_A B/|B|`` matters for the (r, theta) drift, and ``v_d`` follows from the stream function
``Psi = r sin(theta) W_phi`` [cm^3/s]::

    v_r = (1/(r^2 sin theta)) dPsi/dtheta,   v_theta = -(1/(r sin theta)) dPsi/dr,
    Psi = -s sigma_bar(theta) f_A (beta c L_0 / 3) r sin(theta) (r/AU)^2 Gamma / (1 + Gamma^2)   (3)

with ``s = sign(q) A_sign`` and ``L_0 = R / B_r0`` (Larmor radius [cm] of rigidity ``R`` in the
field ``B_r0``; ``R [GV] * 1e9 / (299.79 B [G])`` in Gaussian units).  The step of ``sigma_bar``
at the sheet gives the current-sheet drift.  For ``s = +1`` (positive particles in an A > 0
cycle) Eq. 3 drifts particles inward at high latitudes, toward the equator, and outward along
the sheet; ``s = -1`` reverses every drift.  Written through ``Psi`` the drift field is
divergence-free by construction, also on the grid.

Diffusion
---------
HelMod-like parallel coefficient (Bobik et al. 2012, ApJ 745, 132, Eq. 5; the form of :mod:`.parker`)::

    K_par = (beta/3) K_0 (R/1 GV + g_low)(1 + r/1 AU),   K_perp,r = rho_r K_par,   K_perp,theta = rho_theta K_par
    K_rr = K_par cos^2 psi + K_perp,r sin^2 psi,   K_thetatheta = K_perp,theta               (4)

(``cos^2 psi = 1/(1 + Gamma^2)``, off-diagonal ``K_r theta`` terms neglected as in the 2D models
cited above).  With ``rho_r = 1`` the radial coefficient is ``K_par`` at every latitude and the
model with ``k_A = 0`` is the 1D Parker problem of :mod:`~positrons.heliosphere.parker`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .. import units as u

__all__ = [
    "OMEGA_SUN",
    "SPEED_OF_LIGHT",
    "DriftDiffusion",
    "HeliosphericField",
    "sheet_sign",
]

#: angular velocity of the Sun [rad/s] used for the Parker spiral (26-day rotation,
#: 2 pi / (26 * 86400 s); the value of Jokipii & Kopriva 1979, ApJ 234, 384)
OMEGA_SUN = 2.0 * math.pi / (26.0 * 86400.0)
#: speed of light [cm/s] (exact, SI definition)
SPEED_OF_LIGHT = 2.99792458e10
#: Larmor radius [cm] of 1 GV in 1 gauss: 1e9 V / (c [statvolt per V] * 1 G) = 1e9 / 299.792458
_LARMOR_CM_PER_GV_PER_GAUSS = 1e9 / 299.792458
_NANOTESLA_IN_GAUSS = 1e-5


def sheet_sign(theta, tilt_deg: float) -> np.ndarray:
    """Longitude-averaged sign of the field north/south of a sheet tilted by ``tilt_deg`` (Eq. 2)."""
    lam = 0.5 * math.pi - np.asarray(theta, dtype=float)
    if tilt_deg <= 0.0:
        return np.sign(lam)
    t = math.tan(math.radians(tilt_deg))
    return (2.0 / math.pi) * np.arcsin(np.clip(np.tan(lam) / t, -1.0, 1.0))


@dataclass(frozen=True)
class HeliosphericField:
    """Parker spiral with a tilted current sheet (Eqs. 1-3 of the module docstring).

    Parameters: ``B_earth_nT`` field at Earth [nT]; ``tilt_deg`` current-sheet tilt [deg]
    (0 to 90); ``polarity`` +1 (A > 0) or -1 (A < 0); ``wind_speed`` [cm/s]; ``omega`` [rad/s].
    """

    B_earth_nT: float = 5.0
    tilt_deg: float = 10.0
    polarity: int = 1
    wind_speed: float = 400.0 * u.km / u.s
    omega: float = OMEGA_SUN

    def __post_init__(self):
        if self.polarity not in (1, -1):
            raise ValueError(f"polarity must be +1 (A > 0) or -1 (A < 0), got {self.polarity!r}")
        if not (self.B_earth_nT > 0 and 0.0 <= self.tilt_deg <= 90.0 and self.wind_speed > 0 and self.omega >= 0):
            raise ValueError("HeliosphericField needs B_earth_nT > 0, 0 <= tilt_deg <= 90, wind_speed > 0, omega >= 0")

    def spiral_tan(self, r, theta) -> np.ndarray:
        """``Gamma = tan psi = Omega r sin(theta) / V`` (Eq. 1)."""
        return self.omega * np.asarray(r, dtype=float) * np.sin(theta) / self.wind_speed

    @property
    def B_r0_gauss(self) -> float:
        """Radial field at 1 AU [G]: ``B_E / sqrt(1 + Gamma_E^2)``."""
        gamma_e = self.omega * u.AU / self.wind_speed
        return self.B_earth_nT * _NANOTESLA_IN_GAUSS / math.sqrt(1.0 + gamma_e**2)

    def magnitude_gauss(self, r, theta) -> np.ndarray:
        """``|B|`` [G] (Eq. 1)."""
        r = np.asarray(r, dtype=float)
        return self.B_r0_gauss * (u.AU / r) ** 2 * np.sqrt(1.0 + self.spiral_tan(r, theta) ** 2)

    def stream_shape(self, r, theta) -> np.ndarray:
        """``sigma_bar r sin(theta) (r/AU)^2 Gamma/(1 + Gamma^2)`` [cm]: the spatial part of Eq. 3."""
        r = np.asarray(r, dtype=float)
        g = self.spiral_tan(r, theta)
        return sheet_sign(theta, self.tilt_deg) * r * np.sin(theta) * (r / u.AU) ** 2 * g / (1.0 + g**2)

    def larmor_radius_r0(self, R) -> np.ndarray:
        """``L_0 = R / B_r0`` [cm] for rigidity ``R`` [GV]."""
        return _LARMOR_CM_PER_GV_PER_GAUSS * np.asarray(R, dtype=float) / self.B_r0_gauss


@dataclass(frozen=True)
class DriftDiffusion:
    """Diffusion tensor (Eq. 4) and drift reduction of the module docstring.

    ``K0`` [cm^2/s]; ``g_low`` dimensionless; ``rho_r``, ``rho_theta`` perpendicular/parallel
    ratios; ``drift_scale`` ``k_A`` (0: no drifts, 1: weak-scattering drifts above ``R_A``);
    ``drift_R_A_GV`` [GV] the rigidity below which drifts are reduced.
    """

    K0: float
    g_low: float = 0.0
    rho_r: float = 0.02
    rho_theta: float = 0.02
    drift_scale: float = 1.0
    drift_R_A_GV: float = 0.5

    def __post_init__(self):
        if not (self.K0 > 0 and self.g_low >= 0 and self.rho_r > 0 and self.rho_theta > 0
                and self.drift_scale >= 0 and self.drift_R_A_GV > 0):
            raise ValueError("DriftDiffusion needs K0 > 0, g_low >= 0, rho_r > 0, rho_theta > 0, "
                             "drift_scale >= 0, drift_R_A_GV > 0")

    def parallel(self, r, beta: float, R: float) -> np.ndarray:
        """``K_par`` [cm^2/s] at radius ``r`` [cm] for speed ``beta`` and rigidity ``R`` [GV]."""
        return beta / 3.0 * self.K0 * (R / u.GV + self.g_low) * (1.0 + np.asarray(r, dtype=float) / u.AU)

    def radial(self, field: HeliosphericField, r, theta, beta: float, R: float) -> np.ndarray:
        """``K_rr`` [cm^2/s] (Eq. 4)."""
        cos2 = 1.0 / (1.0 + field.spiral_tan(r, theta) ** 2)
        return self.parallel(r, beta, R) * (cos2 + self.rho_r * (1.0 - cos2))

    def polar(self, r, beta: float, R: float) -> np.ndarray:
        """``K_thetatheta`` [cm^2/s] (Eq. 4)."""
        return self.rho_theta * self.parallel(r, beta, R)

    def drift_factor(self, R: float) -> float:
        """``f_A(R) = k_A (R/R_A)^2/(1 + (R/R_A)^2)``."""
        x2 = (R / self.drift_R_A_GV) ** 2
        return self.drift_scale * x2 / (1.0 + x2)

    def stream_amplitude(self, field: HeliosphericField, beta: float, R: float, charge_sign: int) -> float:
        """``-s f_A beta c L_0 / 3`` [cm^2/s]: multiplies :meth:`HeliosphericField.stream_shape` in Eq. 3."""
        s = charge_sign * field.polarity
        return float(-s * self.drift_factor(R) * beta * SPEED_OF_LIGHT * field.larmor_radius_r0(R) / 3.0)
