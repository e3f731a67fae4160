r"""Mass functions of primordial black holes, normalised to the PBH mass density.

Convention (Carr et al. 2017, arXiv:1705.05567, Sec. II): a mass function
is the mass fraction per unit mass

.. math::

    \psi(M) = \frac{M}{\rho_{PBH}} \frac{dn}{dM}, \qquad \int \psi(M)\, dM = 1 \;[\mathrm{g^{-1}}],

so that the number density is ``dn/dM = rho_PBH psi(M) / M`` and
``Integral M dn/dM dM = rho_PBH``.  A population's emission per unit volume is
``rho_PBH Integral dM psi(M)/M d2N/dt dE`` (:mod:`.source`).  All masses in grams.

* :class:`Monochromatic` -- ``psi = delta(M - M_c)``; refuses ``M_c < M_min``.
* :class:`LogNormal` -- the log-normal form with the truncation at ``M_min = 5e14 g`` (lighter holes
  have evaporated)::

      dn/dM = A_2 / (sqrt(2 pi) sigma M^2) exp(-ln^2(M/M_c) / (2 sigma^2)),  M >= M_min,
      A_2 = rho / k(sigma),
      k(sigma) = Integral_{M_min}^inf dM / (sqrt(2 pi) sigma M) exp(-ln^2(M/M_c)/(2 sigma^2))
               = erfc(ln(M_min/M_c) / (sqrt 2 sigma)) / 2

  (the closed form of k is the Gaussian integral in ln M).
* :class:`PowerLaw` -- ``psi ~ M^(gamma - 1)`` between ``M_min`` and ``M_max``; PBHs formed
  in an era of equation of state ``w`` from scale-invariant fluctuations have
  ``gamma = -2 w/(1 + w)`` (-1/2 in radiation domination; Carr 1975; Carr et al. 2017).
* :class:`CriticalCollapse` -- ``psi ~ M^2.85 exp(-(M/M_f)^2.85)`` (critical collapse with a
  delta-function power spectrum, Niemeyer & Jedamzik 1998; Carr et al. 2017), truncated at
  ``M_min``.  Normalised with the upper incomplete gamma function.

The equation numbers of Carr et al. 2017 were not re-read for this module; the forms above
are the standard ones and each normalisation is tested numerically.

**M_min.**  Every mass function has a lower mass ``M_min``, default
:data:`M_MIN_DEFAULT` = 5e14 g, after Page 1976's (5 +- 1)e14 g: holes lighter than
that have evaporated by today.  The package's own evaporating mass for the standard
particle content and 13.787 Gyr is 5.31e14 g (:func:`.evaporation.evaporating_mass`); we keep
5e14 g as the default (the 6 % difference moves the lower edge of a population, not
its physics).  ``M_min`` can be lowered explicitly (a population at an earlier epoch);
:class:`~.source.PBHSource` warns when a present-day source has mass below 5e14 g.

Each mass function gives a quadrature (:meth:`quadrature`): nodes ``M_k`` and weights ``w_k``
with ``sum_k w_k f(M_k) ~ Integral psi(M) f(M) dM`` for smooth ``f`` -- composite
Gauss-Legendre in ln M, panels of ``panel_width`` e-folds (default 0.25) with 8 nodes each,
which integrates the Boltzmann tails of Hawking spectra (varying as exp(-E/T(M))) to < 1e-6.
The weights sum to 1 (the quadrature of ``Integral psi dM``); a quadrature that would drop
more than :data:`MAX_DROPPED_MASS` of it is refused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy.special import erfc, gamma as gamma_function, gammaincc

from ...quadrature import gauss_legendre

#: lightest PBH surviving today [g] (our default after Page 1976, who found (5 +- 1)e14 g; the
#: package's own value for the standard content is 5.31e14 g, module docstring)
M_MIN_DEFAULT = 5e14
#: heaviest holes of the e+- limits [g]: at 1e18 g, T = 10.6 keV = m_e/48, so e+- emission is
#: suppressed by exp(-48) ~ 1e-21 and the limits exceed f = 1e23 (no constraint); from ~2e19 g
#: on the propagated e+ flux underflows to zero
MAX_PRESENT_DAY_MASS_G = 1e18

#: largest fraction of Integral psi dM a quadrature may leave out
MAX_DROPPED_MASS = 1e-6

#: smallest half-width of the log-normal quadrature window, in sigma: the two tails beyond
#: 6 sigma hold erfc(6/sqrt 2) = 2e-9 of the mass
MIN_N_SIGMA = 6.0

_NODES_PER_PANEL = 8


class MassFunction(Protocol):
    """What :mod:`.source` needs from a mass function."""

    def psi(self, mass) -> np.ndarray:  # pragma: no cover - protocol
        """Mass fraction per unit mass [g^-1]."""

    def quadrature(self, panel_width: float = 0.25) -> tuple[np.ndarray, np.ndarray]:  # pragma: no cover
        """Nodes [g] and weights (dimensionless) of Integral psi(M) f(M) dM."""


def _positive(value, what: str) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a number, got {value!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{what} must be a finite number > 0, got {value}")
    return value


def _ln_mass_quadrature(ln_lo: float, ln_hi: float, panel_width: float):
    """Composite Gauss-Legendre nodes (in M) and weights (d ln M) on [ln_lo, ln_hi]."""
    if panel_width <= 0:
        raise ValueError("panel_width must be > 0")
    if not ln_hi > ln_lo:
        raise ValueError(f"empty mass range for the quadrature: {math.exp(ln_lo):.3g} to {math.exp(ln_hi):.3g} g")
    n_panels = max(1, int(math.ceil((ln_hi - ln_lo) / panel_width)))
    edges = np.linspace(ln_lo, ln_hi, n_panels + 1)
    x, w = gauss_legendre(_NODES_PER_PANEL)
    half = 0.5 * np.diff(edges)[:, None]
    mid = 0.5 * (edges[:-1] + edges[1:])[:, None]
    ln_m = (mid + half * x[None, :]).ravel()
    weights = (half * w[None, :]).ravel()
    return np.exp(ln_m), weights


def _checked(nodes, weights, what: str):
    """Refuse a quadrature whose weights do not sum to 1 within MAX_DROPPED_MASS."""
    total = float(np.sum(weights))
    if not abs(total - 1.0) <= MAX_DROPPED_MASS:
        raise ValueError(f"{what}: the mass quadrature holds {total:.6g} of the mass instead of 1 "
                         f"(tolerance {MAX_DROPPED_MASS:g}); widen its window")
    return nodes, weights


def _evaporated(mass: float, M_min: float) -> str:
    return (f"mass {mass:.4g} g is below M_min = {M_min:.4g} g: such holes have evaporated by today "
            f"(default M_min; the package's own evaporating mass is 5.31e14 g, evaporation.evaporating_mass()); "
            "pass a lower M_min for a population at an earlier time, or use spectra.spectrum for one hole")


@dataclass(frozen=True)
class Monochromatic:
    """All holes have mass ``mass`` [g]: psi = delta(M - mass).

    ``mass < M_min`` (default 5e14 g, module docstring) is refused: those holes have evaporated.
    """

    mass: float
    M_min: float = M_MIN_DEFAULT

    def __post_init__(self):
        object.__setattr__(self, "mass", _positive(self.mass, "mass"))
        object.__setattr__(self, "M_min", _positive(self.M_min, "M_min"))
        if self.mass < self.M_min:
            raise ValueError(_evaporated(self.mass, self.M_min))

    def psi(self, mass):
        """A delta function has no density: refuses (use :meth:`quadrature`)."""
        raise ValueError("the monochromatic mass function is a delta function; use quadrature()")

    def quadrature(self, panel_width: float = 0.25):
        return np.array([self.mass]), np.array([1.0])

    def number_density(self, rho: float) -> float:
        """Number of holes per unit volume for mass density ``rho`` [g cm^-3 -> cm^-3]."""
        return rho / self.mass

    def label(self) -> str:
        return f"monochromatic, M = {self.mass:.3g} g"


@dataclass(frozen=True)
class LogNormal:
    """Log-normal in M of width ``sigma`` about ``M_c`` [g], truncated at ``M_min`` [g] (Carr et al. 2017)."""

    M_c: float
    sigma: float
    M_min: float = M_MIN_DEFAULT
    n_sigma: float = 8.0  #: quadrature range: ln(M/M_c) within +- n_sigma sigma (>= MIN_N_SIGMA)

    def __post_init__(self):
        for name in ("M_c", "sigma", "M_min", "n_sigma"):
            object.__setattr__(self, name, _positive(getattr(self, name), name))
        if self.n_sigma < MIN_N_SIGMA:
            raise ValueError(f"n_sigma must be >= {MIN_N_SIGMA:g} (a narrower window drops mass), got {self.n_sigma:g}")
        if self.k < 1e-12:
            raise ValueError(f"almost no mass above M_min = {self.M_min:g} g for M_c = {self.M_c:g} g, sigma = {self.sigma:g}")

    @property
    def k(self) -> float:
        """k(sigma): fraction of the untruncated log-normal above M_min."""
        return 0.5 * float(erfc(math.log(self.M_min / self.M_c) / (math.sqrt(2.0) * self.sigma)))

    def psi(self, mass):
        """psi(M) [g^-1] = exp(-ln^2(M/M_c)/(2 sigma^2)) / (sqrt(2 pi) sigma M k), 0 below M_min."""
        mass = np.asarray(mass, dtype=float)
        with np.errstate(divide="ignore"):
            ln = np.log(mass / self.M_c)
            value = np.exp(-0.5 * (ln / self.sigma) ** 2) / (math.sqrt(2.0 * math.pi) * self.sigma * mass * self.k)
        return np.where(mass >= self.M_min, value, 0.0)

    def number_density(self, mass, rho: float):
        """dn/dM [cm^-3 g^-1] = A_2/(sqrt(2 pi) sigma M^2) exp(...), A_2 = rho/k, for rho [g cm^-3]."""
        return rho * self.psi(mass) / np.asarray(mass, dtype=float)

    def quadrature(self, panel_width: float = 0.25):
        ln_c = math.log(self.M_c)
        lo = max(math.log(self.M_min), ln_c - self.n_sigma * self.sigma)
        hi = ln_c + self.n_sigma * self.sigma
        if lo >= hi:
            raise ValueError(f"the quadrature window lies below M_min = {self.M_min:g} g")
        m, w = _ln_mass_quadrature(lo, hi, min(panel_width, self.sigma))  # a narrow peak needs panels < sigma
        return _checked(m, w * m * self.psi(m), self.label())

    def label(self) -> str:
        return f"log-normal, M_c = {self.M_c:.3g} g, sigma = {self.sigma:g}"


@dataclass(frozen=True)
class PowerLaw:
    """psi ~ M^(gamma - 1) on [M_min, M_max] [g]; ``gamma = -1/2`` for radiation domination."""

    M_min: float = M_MIN_DEFAULT
    M_max: float = 1e18
    gamma: float = -0.5

    def __post_init__(self):
        object.__setattr__(self, "M_min", _positive(self.M_min, "M_min"))
        object.__setattr__(self, "M_max", _positive(self.M_max, "M_max"))
        if not self.M_max > self.M_min:
            raise ValueError("M_max must exceed M_min")
        if not math.isfinite(self.gamma):
            raise ValueError("gamma must be finite")

    def _log_psi(self, ln_m):
        """ln psi(M) [ln g^-1] at ln M, computed in log form (no overflow for any gamma).

        psi = gamma M^(gamma-1) / (M_max^gamma - M_min^gamma); with a = |gamma| ln(M_max/M_min),
        |M_max^gamma - M_min^gamma| = M_top^gamma (1 - e^-a), M_top = M_max for gamma > 0 and
        M_min for gamma < 0, and ln(1 - e^-a) = ln(-expm1(-a)).  gamma = 0: 1/(M ln(M_max/M_min)).
        """
        g = self.gamma
        span = math.log(self.M_max / self.M_min)
        if abs(g) * span < 1e-12:
            return -ln_m - math.log(span)
        ln_top = math.log(self.M_max if g > 0 else self.M_min)
        return math.log(abs(g)) + (g - 1.0) * ln_m - g * ln_top - math.log(-math.expm1(-abs(g) * span))

    def psi(self, mass):
        """psi(M) [g^-1] = gamma M^(gamma-1) / (M_max^gamma - M_min^gamma) inside, 0 outside."""
        mass = np.asarray(mass, dtype=float)
        inside = (mass >= self.M_min) & (mass <= self.M_max)
        with np.errstate(under="ignore"):
            return np.where(inside, np.exp(self._log_psi(np.log(np.where(inside, mass, self.M_min)))), 0.0)

    def number_density(self, mass, rho: float):
        """dn/dM [cm^-3 g^-1] = rho psi(M) / M for mass density rho [g cm^-3]."""
        return rho * self.psi(mass) / np.asarray(mass, dtype=float)

    def quadrature(self, panel_width: float = 0.25):
        """In ln M, psi M ~ exp(gamma ln M): panels of at most 1/|gamma| e-folds, and only the
        40/|gamma| e-folds next to the heavy (gamma > 0) or light (gamma < 0) end, beyond
        which psi M has fallen by e^-40."""
        lo, hi = math.log(self.M_min), math.log(self.M_max)
        g = abs(self.gamma)
        if g > 0:
            panel_width = min(panel_width, 1.0 / g)
            if self.gamma < 0:
                hi = min(hi, lo + 40.0 / g)
            else:
                lo = max(lo, hi - 40.0 / g)
        m, w = _ln_mass_quadrature(lo, hi, panel_width)
        return _checked(m, w * m * self.psi(m), self.label())

    def label(self) -> str:
        return f"power law, gamma = {self.gamma:g}, {self.M_min:.3g}-{self.M_max:.3g} g"


#: critical-collapse exponent 1/gamma_c = 1/0.35 ~ 2.85 (Niemeyer & Jedamzik 1998)
CRITICAL_EXPONENT = 2.85


@dataclass(frozen=True)
class CriticalCollapse:
    """psi ~ M^2.85 exp(-(M/M_f)^2.85), truncated at ``M_min`` [g] (Carr et al. 2017)."""

    M_f: float
    M_min: float = M_MIN_DEFAULT

    def __post_init__(self):
        object.__setattr__(self, "M_f", _positive(self.M_f, "M_f"))
        object.__setattr__(self, "M_min", _positive(self.M_min, "M_min"))
        if self._fraction_above_min() < 1e-12:
            raise ValueError(f"almost no mass above M_min = {self.M_min:g} g for M_f = {self.M_f:g} g")

    def _fraction_above_min(self) -> float:
        a = 1.0 + 1.0 / CRITICAL_EXPONENT
        return float(gammaincc(a, (self.M_min / self.M_f) ** CRITICAL_EXPONENT))

    def psi(self, mass):
        """psi(M) [g^-1]; without truncation the prefactor is 3.2/M_f (Carr et al. 2017)."""
        mass = np.asarray(mass, dtype=float)
        a = 1.0 + 1.0 / CRITICAL_EXPONENT
        norm = CRITICAL_EXPONENT / (gamma_function(a) * self._fraction_above_min() * self.M_f)
        z = mass / self.M_f
        value = norm * z**CRITICAL_EXPONENT * np.exp(-(z**CRITICAL_EXPONENT))
        return np.where(mass >= self.M_min, value, 0.0)

    def number_density(self, mass, rho: float):
        """dn/dM [cm^-3 g^-1] = rho psi(M) / M for mass density rho [g cm^-3]."""
        return rho * self.psi(mass) / np.asarray(mass, dtype=float)

    def quadrature(self, panel_width: float = 0.25):
        lo = max(math.log(self.M_min), math.log(self.M_f) - 12.0)  # (M/M_f)^3.85 = 1e-20 below
        hi = math.log(self.M_f) + math.log(40.0) / CRITICAL_EXPONENT + 0.5  # exp(-(M/M_f)^2.85) < 1e-20 above
        m, w = _ln_mass_quadrature(lo, hi, panel_width)
        return _checked(m, w * m * self.psi(m), self.label())

    def label(self) -> str:
        return f"critical collapse, M_f = {self.M_f:.3g} g"


def get_mass_function(name: str, **params) -> MassFunction:
    """A mass function by name: 'monochromatic' (mass), 'lognormal' (M_c, sigma[, M_min]),
    'powerlaw' ([M_min, M_max, gamma]), 'critical' (M_f[, M_min])."""
    classes = {"monochromatic": Monochromatic, "lognormal": LogNormal, "powerlaw": PowerLaw, "critical": CriticalCollapse}
    try:
        cls = classes[name]
    except KeyError:
        raise ValueError(f"unknown mass function {name!r}; choose one of {', '.join(classes)}") from None
    try:
        return cls(**params)
    except TypeError as exc:
        raise ValueError(f"{name} mass function: {exc}") from None
