r"""Dark-matter density profiles of the Milky Way halo: rho(r) in GeV cm^-3.

Every profile is a frozen dataclass of parameters with pure methods.  Coordinates are in
**kpc**, like :mod:`positrons.interstellar` and the propagation solvers:

* :meth:`~HaloProfile.density` takes the galactocentric radius ``r`` [kpc] (an astropy
  Quantity of length is also accepted); :meth:`~HaloProfile.density_cylindrical` -- also
  spelled ``profile(R_kpc, z_kpc)``, i.e. calling the profile -- takes galactocentric
  cylindrical ``(R, z)`` [kpc] and broadcasts; :meth:`~HaloProfile.density_grid` returns
  the (len(R), len(z)) array of a grid.  A profile is therefore a spatial profile
  ``profile(R_kpc, z_kpc)`` for :meth:`positrons.propagation.diffusion2d.Propagator.energy_response`.
* the result is in **GeV cm^-3** (multiply by ``1 / constants.gram_in_GeV`` for g cm^-3).
* each profile is normalised to the local density ``rho_local`` at the Sun's radius
  ``r_sun_kpc``; the shape parameters are those cited below.  Defaults: rho_local = 0.43 GeV
  cm^-3, r_sun = 8.5 kpc (our defaults).  All parameters must be finite and > 0
  (``r_min_kpc`` >= 0, Einasto's ``alpha`` > 0).
* inside ``r_min_kpc`` the density is held at its value at ``r_min_kpc`` (default 1 pc for
  the NFW cusp, 0 for the finite profiles), so a grid point at the Galactic centre stays
  finite; the NFW mass inside 1 pc is ~1e-7 of that inside r_sun.  The normalisation uses
  the same clamp, so ``density(r_sun) = rho_local`` whatever ``r_min_kpc``.

Profiles (``u = r / r_s``):

=================  ==========================================  =================================
name               shape rho(r) / rho_s                        default shape parameters
=================  ==========================================  =================================
``nfw``            1 / (u (1 + u)^2)  (Navarro, Frenk & White   r_s = 20 kpc (our default)
                   1997, ApJ 490, 493, Eq. 3)
``einasto``        exp(-(2/alpha) (u^alpha - 1))  (Einasto      r_s = 28.44 kpc, alpha = 0.17
                   1965; Navarro et al. 2004)
``burkert``        1 / ((1 + u)(1 + u^2))  (Burkert 1995)      r_s = 12.67 kpc
``isothermal``     1 / (1 + u^2)  (cored isothermal sphere)     r_s = 4.38 kpc
=================  ==========================================  =================================

The Einasto, Burkert and isothermal scale radii are those of the PPPC 4 DM ID (Cirelli et al.
2011, arXiv:1012.4515, Sec. 2, table of halo parameters; fitted there with rho_sun = 0.3 GeV
cm^-3 at 8.33 kpc -- here only their shapes are used, renormalised to rho_local at r_sun).
Our NFW is written ``rho(r) = rho_0 (1 + r_sun/r_s)^2 (r/r_sun)^-1 (1 + r/r_s)^-2``, the
same normalisation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from .. import units as u


def _kpc(value, what: str, allow_negative: bool = False) -> np.ndarray:
    """A length in kpc as a float array (astropy Quantities converted); refuses NaN (and < 0)."""
    if hasattr(value, "unit") and hasattr(value, "to_value"):
        value = value.to_value("kpc")
    value = np.asarray(value, dtype=float)
    if np.any(np.isnan(value)) or (not allow_negative and np.any(value < 0)):
        raise ValueError(f"{what} must be {'a number' if allow_negative else '>= 0'} (in kpc)")
    return value


def _check_parameter(name: str, value, minimum_exclusive: bool = True) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    ok = math.isfinite(value) and (value > 0 if minimum_exclusive else value >= 0)
    if not ok:
        raise ValueError(f"{name} must be a finite number {'>' if minimum_exclusive else '>='} 0, got {value!r}")
    return value


@dataclass(frozen=True, kw_only=True)
class HaloProfile:
    """Base of the profiles: local density [GeV cm^-3], solar radius [kpc], inner cutoff [kpc]."""

    rho_local: float = 0.43
    r_sun_kpc: float = 8.5
    r_min_kpc: float = 0.0

    def __post_init__(self):
        for f in fields(self):
            value = _check_parameter(f.name, getattr(self, f.name), minimum_exclusive=f.name != "r_min_kpc")
            object.__setattr__(self, f.name, value)

    def shape(self, r: np.ndarray) -> np.ndarray:  # pragma: no cover - implemented by subclasses
        raise NotImplementedError

    def density(self, r_kpc):
        """rho(r) [GeV cm^-3] at galactocentric radius ``r_kpc`` [kpc]."""
        r = np.maximum(_kpc(r_kpc, "r"), self.r_min_kpc)
        norm = self.shape(np.asarray(max(self.r_sun_kpc, self.r_min_kpc)))
        return self.rho_local * self.shape(r) / norm

    def density_cylindrical(self, R_kpc, z_kpc):
        """rho [GeV cm^-3] at galactocentric cylindrical radius ``R_kpc`` and height ``z_kpc`` [kpc]; broadcasts."""
        R = _kpc(R_kpc, "R")
        z = _kpc(z_kpc, "z", allow_negative=True)
        return self.density(np.hypot(R, z))

    def __call__(self, R_kpc, z_kpc):
        """The spatial profile rho(R, z) [GeV cm^-3], (R, z) in kpc: :meth:`density_cylindrical`."""
        return self.density_cylindrical(R_kpc, z_kpc)

    def density_grid(self, R_kpc, z_kpc) -> np.ndarray:
        """rho on the grid of 1-D ``R_kpc`` and ``z_kpc`` [kpc]: shape (len(R), len(z))."""
        R = np.atleast_1d(_kpc(R_kpc, "R"))
        z = np.atleast_1d(_kpc(z_kpc, "z", allow_negative=True))
        return self.density_cylindrical(R[:, None], z[None, :])


@dataclass(frozen=True, kw_only=True)
class NFW(HaloProfile):
    """Navarro-Frenk-White: rho ~ 1/(u (1+u)^2), u = r/r_s; our defaults (r_s = 20 kpc)."""

    r_s_kpc: float = 20.0
    r_min_kpc: float = u.pc / u.kpc  # 1 pc

    def shape(self, r):
        x = r / self.r_s_kpc
        with np.errstate(divide="ignore"):
            return 1.0 / (x * (1.0 + x) ** 2)


@dataclass(frozen=True, kw_only=True)
class Einasto(HaloProfile):
    """Einasto: rho ~ exp(-(2/alpha)(u^alpha - 1)); PPPC shape r_s = 28.44 kpc, alpha = 0.17."""

    r_s_kpc: float = 28.44
    alpha: float = 0.17

    def shape(self, r):
        return np.exp(-(2.0 / self.alpha) * ((r / self.r_s_kpc) ** self.alpha - 1.0))


@dataclass(frozen=True, kw_only=True)
class Burkert(HaloProfile):
    """Burkert: rho ~ 1/((1+u)(1+u^2)); PPPC shape r_s = 12.67 kpc."""

    r_s_kpc: float = 12.67

    def shape(self, r):
        x = r / self.r_s_kpc
        return 1.0 / ((1.0 + x) * (1.0 + x * x))


@dataclass(frozen=True, kw_only=True)
class Isothermal(HaloProfile):
    """Cored isothermal sphere: rho ~ 1/(1+u^2); PPPC shape r_s = 4.38 kpc."""

    r_s_kpc: float = 4.38

    def shape(self, r):
        x = r / self.r_s_kpc
        return 1.0 / (1.0 + x * x)


#: profiles by name
PROFILES = {"nfw": NFW, "einasto": Einasto, "burkert": Burkert, "isothermal": Isothermal}


def get_profile(name: str = "nfw", **params) -> HaloProfile:
    """A profile by name (:data:`PROFILES`) with parameters in kpc and GeV cm^-3 (an unknown
    parameter is an error)."""
    try:
        cls = PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown halo profile {name!r}; choose one of {', '.join(PROFILES)}") from None
    try:
        return cls(**params)
    except TypeError as exc:
        raise ValueError(f"{name} profile: {exc}") from None
