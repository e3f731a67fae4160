r"""Evaporation of a black hole: number and energy rates, mass loss, lifetime, the mass
evaporating today.


    -dM/dt c^2 = sum_i g_i (hbar c^6 / G^2 M^2) / hbar * p_{s_i}(G M m_i / hbar c^3),
    p_s(y) = (1/2 pi) Integral_y^inf x S_s(x) / (exp(8 pi x) -+ 1) dx

usually quoted as ``dM/dt = -5.34e25 f(M) (M/g)^-2 g/s`` (MacGibbon 1991, PRD 44, 376),
``f = 1`` for photons and three neutrino species.  The lifetime is
``tau(M0) = Integral_0^M0 dM / |dM/dt|``; the hole that evaporates in the age of the Universe
is :func:`evaporating_mass`.

The particle content (:data:`~.emission.CONTENTS`) and the greybody ``tables`` are those of
the spectra (:mod:`.emission`); the integrals of a table are cached per table object.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.integrate import cumulative_simpson
from scipy.interpolate import CubicSpline
from scipy.optimize import brentq

from ... import constants as const
from ... import units as u
from ...quadrature import gauss_legendre
from . import greybody
from .emission import _HBAR_C3_OVER_G, _positive, _rate_x, get_content


#: MacGibbon's normalisation: dM/dt = -ALPHA_MACGIBBON f(M) / M^2 [g^3 s^-1] (MacGibbon 1991)
ALPHA_MACGIBBON = 5.34e25

#: age of the Universe [s]: 13.787 +- 0.020 Gyr, Planck 2018 VI (A&A 641, A6), Table 2,
#: TT,TE,EE+lowE+lensing+BAO (68 % limits)
AGE_OF_UNIVERSE = 13.787 * u.Gyr


# --- integrated rates, mass loss, lifetime -----------------------------------------------------

_X_INTEGRAL = (1e-9, 8.0)  # exp(-8 pi 8) = 1e-87 at the top

#: (spin, id(table)) -> (table, n spline, p spline); the table is kept so that its id stays its own
_INTEGRALS: dict = {}


def _integrals(spin: float, tables=None):
    """Splines in ln y of n_s(y) and p_s(y) = (1/2 pi) Integral_y^inf x^{0,1} S/(e^{8 pi x} -+ 1) dx,
    for the greybody table of ``spin`` in ``tables`` (default: shipped); cached per table."""
    table = (tables or greybody.default_tables())[spin]
    key = (spin, id(table))
    if key not in _INTEGRALS:
        x = np.geomspace(*_X_INTEGRAL, 6001)
        g = _rate_x(spin, x, {spin: table}) / (2.0 * math.pi)
        lnx = np.log(x)
        # integrate in ln x from the top: Integral_y^xmax f dx = Integral f x dlnx
        n_rev = cumulative_simpson((g * x)[::-1], x=-lnx[::-1], initial=0.0)[::-1]
        p_rev = cumulative_simpson((g * x * x)[::-1], x=-lnx[::-1], initial=0.0)[::-1]
        _INTEGRALS[key] = (table, CubicSpline(lnx, n_rev), CubicSpline(lnx, p_rev))
    return _INTEGRALS[key][1:]


def dof_integrals(spin, y, tables=None):
    """(n_s(y), p_s(y)): number and energy integrals per state above x = y (dimensionless).

    ``p_s(0)`` is the power per state in units of hbar c^6 / (G^2 M^2), ``n_s(0)`` the number
    rate in units of c^3 / (G M).  ``tables``: greybody tables (default: shipped).
    """
    spin = greybody.check_spin(spin)
    y = np.asarray(y, dtype=float)
    n_spl, p_spl = _integrals(spin, tables)
    lo, hi = _X_INTEGRAL
    ly = np.log(np.clip(y, lo, hi))
    n = np.where(y >= hi, 0.0, n_spl(ly))
    p = np.where(y >= hi, 0.0, p_spl(ly))
    return n, p


def species_rates(mass, content="standard", tables=None) -> dict:
    """{species name: (number rate [s^-1], power [GeV s^-1])} of a hole of ``mass`` [g]."""
    mass = _positive(mass, "black-hole mass")
    scale = _HBAR_C3_OVER_G / np.asarray(mass)  # hbar c^3/(G M) [GeV]
    rates = {}
    for s in get_content(content):
        n, p = dof_integrals(s.spin, s.mass / scale, tables)
        rates[s.name] = (s.dof * n * scale / const.hbar, s.dof * p * scale**2 / const.hbar)
    return rates


def power_coefficient(mass, content="standard", tables=None):
    """M^2 P in units of hbar c^6 / G^2: sum_i g_i p_{s_i}(G M m_i / hbar c^3) (dimensionless).

    For massless species it is independent of M: 2.011e-4 for Page 1976's set ("page1976").
    """
    mass = _positive(mass, "black-hole mass")
    scale = _HBAR_C3_OVER_G / np.asarray(mass)
    return sum(s.dof * dof_integrals(s.spin, s.mass / scale, tables)[1] for s in get_content(content))


def mass_loss_rate(mass, content="standard", tables=None):
    """-dM/dt [g s^-1] (a positive number) of a hole of ``mass`` [g]; broadcasts over ``mass``.

    ``-dM/dt c^2 = power_coefficient(M) hbar c^6 / (G^2 M^2)``.
    """
    scale = _HBAR_C3_OVER_G / np.asarray(_positive(mass, "black-hole mass"))
    return power_coefficient(mass, content, tables) * scale**2 / const.hbar / const.gram_in_GeV


def macgibbon_f(mass, content="standard", tables=None):
    """f(M) = M^2 |dM/dt| / 5.34e25 g^3 s^-1 (MacGibbon 1991 normalisation; 1 for gamma + 3 nu)."""
    return np.asarray(mass) ** 2 * mass_loss_rate(mass, content, tables) / ALPHA_MACGIBBON


def lifetime(mass, content="standard", n_nodes: int = 400, tables=None):
    """Time [s] for a hole of initial ``mass`` [g] to evaporate: Integral_0^M dM' / |dM'/dt|.

    Gauss-Legendre in ln M' over [1e-6 M, M] (the part below holds < 1e-17 of the lifetime,
    which scales as M^3).  The content is the same at every mass: the "standard" content has
    no quarks or gluons, which a hole hotter than Lambda_QCD (M < ~5e13 g) would emit; for
    M > 5e14 g this changes the lifetime by < 0.5 %.
    """
    mass = _positive(mass, "black-hole mass")
    masses = np.atleast_1d(mass).astype(float)
    nodes, wts = gauss_legendre(n_nodes)
    out = np.empty_like(masses)
    span = math.log(1e6)
    for i, m0 in enumerate(masses):
        lnm = math.log(m0) - span * (1.0 - nodes) / 2.0
        m = np.exp(lnm)
        out[i] = np.sum(wts * span / 2.0 * m / mass_loss_rate(m, content, tables))
    return out.reshape(np.shape(mass)) if np.ndim(mass) else float(out[0])


def evaporating_mass(age: float = AGE_OF_UNIVERSE, content="standard", tables=None) -> float:
    """Initial mass [g] of a hole that evaporates in ``age`` [s] (default: age of the Universe)."""
    age = _positive(age, "age")
    lnm = brentq(lambda v: lifetime(math.exp(v), content, tables=tables) - age, math.log(1e5), math.log(1e20),
                 xtol=1e-10)
    return math.exp(lnm)
