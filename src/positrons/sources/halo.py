r"""Dark-matter density profiles of the Milky Way halo: rho(r) in GeV cm^-3.

Every profile is a frozen dataclass of parameters with a pure ``density(r)`` method:

* ``r`` is the galactocentric radius in **cm** (the internal unit; write ``8.5 * u.kpc``);
  an astropy Quantity of length is also accepted.  :meth:`~HaloProfile.density_cylindrical`
  takes galactocentric cylindrical ``(R, z)`` [cm] and broadcasts;
  :meth:`~HaloProfile.density_grid` returns the (len(R), len(z)) array of a grid.
* the result is in **GeV cm^-3** (multiply by ``1 / constants.gram_in_GeV`` for g cm^-3).
* each profile is normalised to the local density ``rho_local`` at the Sun's radius
  ``r_sun``; the shape parameters are those cited below.  Defaults: rho_local = 0.43 GeV
  cm^-3, r_sun = 8.5 kpc (SPEC section 3.1).
* inside ``r_min`` the density is held at its value at ``r_min`` (default 1 pc for the NFW
  cusp, 0 for the finite profiles), so a grid point at the Galactic centre stays finite; the
  NFW mass inside 1 pc is ~1e-7 of that inside r_sun.

Profiles (``u = r / r_s``):

=================  ==========================================  =================================
name               shape rho(r) / rho_s                        default shape parameters
=================  ==========================================  =================================
``nfw``            1 / (u (1 + u)^2)  (Navarro, Frenk & White   r_s = 20 kpc (SPEC 3.1)
                   1997, ApJ 490, 493, Eq. 3)
``einasto``        exp(-(2/alpha) (u^alpha - 1))  (Einasto      r_s = 28.44 kpc, alpha = 0.17
                   1965; Navarro et al. 2004)
``burkert``        1 / ((1 + u)(1 + u^2))  (Burkert 1995)      r_s = 12.67 kpc
``isothermal``     1 / (1 + u^2)  (cored isothermal sphere)     r_s = 4.38 kpc
=================  ==========================================  =================================

The Einasto, Burkert and isothermal scale radii are those of the PPPC 4 DM ID (Cirelli et al.
2011, arXiv:1012.4515, Sec. 2, table of halo parameters; fitted there with rho_sun = 0.3 GeV
cm^-3 at 8.33 kpc -- here only their shapes are used, renormalised to rho_local at r_sun).
The SPEC's NFW is written ``rho(r) = rho_0 (1 + r_sun/r_s)^2 (r/r_sun)^-1 (1 + r/r_s)^-2``, the
same normalisation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import units as u


def _length(value, what: str) -> np.ndarray:
    value = np.asarray(u.to_internal(value, "length"), dtype=float)
    if np.any(np.isnan(value)) or np.any(value < 0):
        raise ValueError(f"{what} must be >= 0 (in cm)")
    return value


@dataclass(frozen=True, kw_only=True)
class HaloProfile:
    """Base of the profiles: local density [GeV cm^-3], solar radius [cm], inner cutoff [cm]."""

    rho_local: float = 0.43
    r_sun: float = 8.5 * u.kpc
    r_min: float = 0.0

    def __post_init__(self):
        if not self.rho_local > 0:
            raise ValueError(f"rho_local must be > 0 GeV cm^-3, got {self.rho_local}")
        if not self.r_sun > 0:
            raise ValueError(f"r_sun must be > 0 cm, got {self.r_sun}")
        if not self.r_min >= 0:
            raise ValueError(f"r_min must be >= 0 cm, got {self.r_min}")

    def shape(self, r: np.ndarray) -> np.ndarray:  # pragma: no cover - implemented by subclasses
        raise NotImplementedError

    def density(self, r):
        """rho(r) [GeV cm^-3] at galactocentric radius ``r`` [cm]."""
        r = np.maximum(_length(r, "r"), self.r_min)
        with np.errstate(divide="ignore"):
            return self.rho_local * self.shape(r) / self.shape(np.asarray(self.r_sun))

    def density_cylindrical(self, R, z):
        """rho at galactocentric cylindrical radius ``R`` and height ``z`` [cm]; broadcasts."""
        R = _length(R, "R")
        z = np.asarray(u.to_internal(z, "length"), dtype=float)
        return self.density(np.hypot(R, z))

    def density_grid(self, R, z) -> np.ndarray:
        """rho on the grid of 1-D ``R`` and ``z`` [cm]: shape (len(R), len(z))."""
        R = np.atleast_1d(_length(R, "R"))
        z = np.atleast_1d(np.asarray(u.to_internal(z, "length"), dtype=float))
        return self.density_cylindrical(R[:, None], z[None, :])


@dataclass(frozen=True, kw_only=True)
class NFW(HaloProfile):
    """Navarro-Frenk-White: rho ~ 1/(u (1+u)^2), u = r/r_s; SPEC defaults (r_s = 20 kpc)."""

    r_s: float = 20.0 * u.kpc
    r_min: float = 1.0 * u.pc

    def shape(self, r):
        x = r / self.r_s
        return 1.0 / (x * (1.0 + x) ** 2)


@dataclass(frozen=True, kw_only=True)
class Einasto(HaloProfile):
    """Einasto: rho ~ exp(-(2/alpha)(u^alpha - 1)); PPPC shape r_s = 28.44 kpc, alpha = 0.17."""

    r_s: float = 28.44 * u.kpc
    alpha: float = 0.17

    def shape(self, r):
        return np.exp(-(2.0 / self.alpha) * ((r / self.r_s) ** self.alpha - 1.0))


@dataclass(frozen=True, kw_only=True)
class Burkert(HaloProfile):
    """Burkert: rho ~ 1/((1+u)(1+u^2)); PPPC shape r_s = 12.67 kpc."""

    r_s: float = 12.67 * u.kpc

    def shape(self, r):
        x = r / self.r_s
        return 1.0 / ((1.0 + x) * (1.0 + x * x))


@dataclass(frozen=True, kw_only=True)
class Isothermal(HaloProfile):
    """Cored isothermal sphere: rho ~ 1/(1+u^2); PPPC shape r_s = 4.38 kpc."""

    r_s: float = 4.38 * u.kpc

    def shape(self, r):
        x = r / self.r_s
        return 1.0 / (1.0 + x * x)


#: profiles by name
PROFILES = {"nfw": NFW, "einasto": Einasto, "burkert": Burkert, "isothermal": Isothermal}


def get_profile(name: str = "nfw", **params) -> HaloProfile:
    """A profile by name (:data:`PROFILES`) with parameters in internal units (an unknown
    parameter is an error)."""
    try:
        cls = PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown halo profile {name!r}; choose one of {', '.join(PROFILES)}") from None
    try:
        return cls(**params)
    except TypeError as exc:
        raise ValueError(f"{name} profile: {exc}") from None
