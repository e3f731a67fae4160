"""Numerical solution of the Parker transport equation, 1D spherically symmetric, steady state.

Equation
--------
For the isotropic phase-space density ``f(r, p)`` the Parker (1965, Planet. Space Sci. 13, 9)
equation with a radial solar wind ``V(r)`` and radial diffusion ``kappa(r, p)`` reads (drifts
are not included)::

    df/dt = (1/r^2) d/dr (r^2 kappa df/dr) - V df/dr + (1/(3 r^2)) d(r^2 V)/dr p df/dp     (1)

This is the usual form in ``U`` (density per unit kinetic energy) rewritten with
``U ∝ p^2 f / beta``: the intensity per unit kinetic energy is ``Phi(T) = c p^2 f`` exactly,
so this module works with ``f ≡ Phi / p^2`` in the units of the LIS divided by GeV^2.
For a constant wind ``(1/r^2) d(r^2 V)/dr = 2V/r``.  In steady state, with ``s = ln r``,
``x = ln p`` and Eq. 1 multiplied by ``r^3``::

    (2 V r^2 / 3) (-df/dx) = d/ds (r kappa df/ds) - V r^2 df/ds                        (2)

Adiabatic cooling has a fixed sign, so Eq. 2 is parabolic in ``tau = -ln p``: particles
only lose momentum, and ``f`` at ``p`` depends on ``f`` at higher momenta.  The solver
marches from ``p_max`` down to ``p_min`` and solves one tridiagonal system in ``r`` per
step (stable for any step, cost ``O(n_r n_p)``).

Boundary conditions
-------------------
* Outer boundary, the heliopause ``r_b`` (default 120 AU): ``f = f_LIS(p)`` (Dirichlet).
* Inner boundary ``r_in`` (default 0.05 AU): zero radial gradient ``df/dr = 0`` (Neumann,
  symmetric ghost node).
* Highest momentum ``p_max`` (default ``max(10 p(T_max), 200 GeV)``): unmodulated,
  ``f = f_LIS(p_max)`` for all ``r``.  The error this makes, ~``gamma |Z| phi / p_max``,
  is forgotten within ``Delta p ~ |Z| phi`` below ``p_max``.

Discretisation
--------------
* ``s = ln r`` uniform, with nodes at the observer ``r_obs`` (default 1 AU) and at ``r_b``
  (``n_r`` cells between them, the same spacing inward to ``r_in``, rounded to a whole
  number of cells); second-order central differences for both terms of the right-hand
  side of Eq. 2, with Il'in-Allen-Southwell exponential fitting of the diffusion (factor
  ``(Pe/2) coth(Pe/2)``, ``Pe = V r^2 h / (r kappa)``) so that the matrix stays an
  M-matrix (positive solution) even where convection dominates; in the diffusive regime
  the fitting changes the scheme only at order ``h^2``.
* ``x = ln p`` uniform (``n_p_per_decade``), BDF2 in ``tau`` (second order, L-stable; the
  first step is backward Euler), or backward Euler throughout (``scheme="euler"``, first
  order, positivity guaranteed).
* For ``V = 0`` Eq. 2 reduces to ``d/ds(r kappa df/ds) = 0`` whose solution with these
  boundary conditions is ``f = f_LIS(p)``: no modulation.

Force-field limit
-----------------
With ``kappa = kappa_1(r) beta R`` and negligible streaming (``V r / kappa << 1``) the solution
tends to the force field with (Gleeson & Axford 1968, Eq. 15)::

    phi(r) = Integral_r^{r_b} V / (3 kappa_1(r')) dr'                                  (3)

For the HelMod-like coefficient ``K_par = (beta/3) K_0 (R/1 GV + g_low)(1 + r/1 AU)`` with
``g_low = 0`` (:class:`HelModLikeDiffusion`), ``kappa_1 = (K_0/3)(1 + r/AU)`` per GV and
Eq. 3 gives ``phi = (V AU / K_0) ln((1 + r_b/AU) / (1 + r/AU))``.

Which tool when: :func:`solve_parker` for a physical modulation model (radial
dependence, convection-diffusion), the force field (:mod:`~positrons.heliosphere.force_field`)
for a one-parameter description calibrated on data.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from scipy.linalg import solve_banded

from .. import kinematics as kin
from .. import units as u
from .force_field import as_spectrum, phi_value

__all__ = [
    "DEFAULT_WIND_SPEED",
    "HelModLikeDiffusion",
    "ParkerGrid",
    "ParkerSolution",
    "SCHEMES",
    "SeparableDiffusion",
    "solve_parker",
]

#: constant radial solar-wind speed [cm/s] (~400 km/s, the typical speed near the ecliptic)
DEFAULT_WIND_SPEED = 400.0 * u.km / u.s
#: time-stepping schemes in tau = -ln p
SCHEMES = ("bdf2", "euler")

Diffusion = Callable[[np.ndarray, float, kin.Species], np.ndarray]


@dataclass(frozen=True)
class SeparableDiffusion:
    """``kappa(r, p) = kappa_1(r) beta R`` [cm^2/s], the form with an exact force-field limit.

    ``kappa_1`` is a callable of ``r`` [cm] returning cm^2 s^-1 GV^-1; ``R`` in GV.
    """

    kappa_1: Callable[[np.ndarray], np.ndarray]

    def __call__(self, r, p: float, species: kin.Species) -> np.ndarray:
        T = kin.kinetic_from_momentum(p, species.mass)
        beta = kin.beta_from_kinetic(T, species.mass)
        return np.asarray(self.kappa_1(np.asarray(r, dtype=float)), dtype=float) * beta * p / species.abs_charge

    def force_field_phi(self, r, r_b: float, V: float = DEFAULT_WIND_SPEED, n: int = 4001) -> float:
        """Eq. 3 by Simpson quadrature in ``ln r`` (``n`` odd points) [GV]."""
        from scipy.integrate import simpson

        s = np.linspace(math.log(r), math.log(r_b), n)
        rr = np.exp(s)
        return float(simpson(V / (3.0 * self.kappa_1(rr)) * rr, x=s))


@dataclass(frozen=True)
class HelModLikeDiffusion:
    """``K_par = (beta/3) K_0 (R/1 GV + g_low)(1 + r/1 AU)`` [cm^2/s] (HelMod-like; our parametrisation).

    ``K_0`` in cm^2/s; ``g_low`` (dimensionless) flattens the rigidity dependence at low
    rigidity.  With ``g_low = 0`` it is separable, ``kappa_1(r) = (K_0/3)(1 + r/AU)`` per GV,
    and :meth:`force_field_phi` is Eq. 3 in closed form.
    """

    K0: float
    g_low: float = 0.0

    def __call__(self, r, p: float, species: kin.Species) -> np.ndarray:
        T = kin.kinetic_from_momentum(p, species.mass)
        beta = kin.beta_from_kinetic(T, species.mass)
        R = p / species.abs_charge
        return beta / 3.0 * self.K0 * (R / u.GV + self.g_low) * (1.0 + np.asarray(r, dtype=float) / u.AU)

    def kappa_1(self, r) -> np.ndarray:
        """``(K_0/3)(1 + r/AU)`` [cm^2 s^-1 GV^-1] (the separable part when ``g_low = 0``)."""
        return self.K0 / 3.0 * (1.0 + np.asarray(r, dtype=float) / u.AU)

    def force_field_phi(self, r, r_b: float, V: float = DEFAULT_WIND_SPEED) -> float:
        """Eq. 3: ``phi = (V AU / K_0) ln((1 + r_b/AU)/(1 + r/AU))`` [GV] (exact for ``g_low = 0``)."""
        if self.g_low != 0.0:
            raise ValueError("the force-field limit (Eq. 3) needs kappa = kappa_1(r) beta R, i.e. g_low = 0")
        return V * u.AU / self.K0 * math.log((1.0 + r_b / u.AU) / (1.0 + r / u.AU))

    @classmethod
    def from_phi(cls, phi, r_obs: float = u.AU, r_b: float = 120 * u.AU, V: float = DEFAULT_WIND_SPEED) -> HelModLikeDiffusion:
        """The ``K_0`` (with ``g_low = 0``) whose force-field equivalent (Eq. 3) at ``r_obs`` is ``phi`` [GV]."""
        phi = phi_value(phi)
        if phi <= 0:
            raise ValueError(f"phi must be > 0 GV to define a diffusion coefficient (got {phi})")
        return cls(K0=V * u.AU / phi * math.log((1.0 + r_b / u.AU) / (1.0 + r_obs / u.AU)))


@dataclass(frozen=True)
class ParkerGrid:
    """Numerical settings of :func:`solve_parker` (a value: recorded in every solution).

    ``n_r``: cells of ``ln r`` between ``r_obs`` and ``r_b`` (the same spacing continues to
    ``r_in``); ``n_p_per_decade``: steps of ``ln p`` per decade of momentum; ``p_max``
    [GeV]: start of the march (``None``: ``max(10 p(T_max), 200 GeV)``); lengths in cm.
    """

    n_r: int = 96
    n_p_per_decade: int = 48
    r_in: float = 0.05 * u.AU
    r_b: float = 120.0 * u.AU
    r_obs: float = 1.0 * u.AU
    p_max: float | None = None
    scheme: str = "bdf2"

    def __post_init__(self):
        if self.n_r < 4 or self.n_p_per_decade < 2:
            raise ValueError("ParkerGrid needs n_r >= 4 and n_p_per_decade >= 2")
        if not (0 < self.r_in < self.r_obs < self.r_b):
            raise ValueError("ParkerGrid needs 0 < r_in < r_obs < r_b")
        if self.scheme not in SCHEMES:
            raise ValueError(f"scheme must be one of {SCHEMES} (got {self.scheme!r})")

    def radial_nodes(self) -> np.ndarray:
        """Nodes in ``r`` [cm], uniform in ``ln r``, including ``r_obs`` and ``r_b``."""
        h = math.log(self.r_b / self.r_obs) / self.n_r
        n_in = max(1, round(math.log(self.r_obs / self.r_in) / h))
        return self.r_obs * np.exp(h * np.arange(-n_in, self.n_r + 1))


@dataclass(frozen=True, eq=False)
class ParkerSolution:
    """``f(r, p) = Phi/p^2`` on the solver grid, with what produced it.

    ``r`` [cm] and ``p`` [GeV] increasing; ``f`` has shape ``(len(r), len(p))`` in the LIS
    flux unit per GeV^2.  :meth:`flux` gives the intensity per unit kinetic energy.
    """

    r: np.ndarray
    p: np.ndarray
    f: np.ndarray
    species: kin.Species
    wind_speed: float
    diffusion: object
    grid: ParkerGrid
    elapsed_s: float = field(default=0.0)

    @property
    def T(self) -> np.ndarray:
        """Kinetic energies [GeV] of the momentum nodes."""
        return kin.kinetic_from_momentum(self.p, self.species.mass)

    def f_at(self, r: float) -> np.ndarray:
        """``f(r, p)`` on the momentum nodes, linear in ``ln r`` between radial nodes."""
        s = np.log(self.r)
        x = math.log(r)
        if not (s[0] <= x <= s[-1]):
            raise ValueError(f"r = {r / u.AU:g} AU is outside the solved range [{self.r[0] / u.AU:g}, {self.r[-1] / u.AU:g}] AU")
        i = int(np.clip(np.searchsorted(s, x, side="right") - 1, 0, s.size - 2))
        w = (x - s[i]) / (s[i + 1] - s[i])
        return (1.0 - w) * self.f[i] + w * self.f[i + 1]

    def flux(self, T=None, r: float | None = None) -> np.ndarray:
        """Intensity per unit kinetic energy ``Phi = p^2 f`` at ``r`` (default: ``r_obs``).

        At the momentum nodes if ``T`` is None; otherwise interpolated linearly in
        ``(ln p, ln Phi)``, NaN outside ``[T(p_min), T(p_max)]``.
        """
        r = self.grid.r_obs if r is None else r
        phi_nodes = self.p**2 * self.f_at(r)
        if T is None:
            return phi_nodes
        T = np.asarray(T, dtype=float)
        p = kin.momentum_from_kinetic(np.where(T > 0, T, 0.0), self.species.mass)
        inside = (T > 0) & (p >= self.p[0] * (1 - 1e-12)) & (p <= self.p[-1] * (1 + 1e-12))
        out = np.full(T.shape, np.nan)
        lnp = np.log(np.clip(p[inside], self.p[0], self.p[-1]))
        out[inside] = np.exp(np.interp(lnp, np.log(self.p), np.log(phi_nodes)))
        return out


def _tridiagonal_operator(r, h, kappa_faces, V):
    """Coefficients ``(a, b, c)`` of the right-hand side of Eq. 2 at the nodes.

    ``(L f)_i = a_i f_{i-1} + b_i f_i + c_i f_{i+1}``; ``kappa_faces`` [cm^2/s] holds kappa at
    the lower face of node 0 and at the upper face ``i + 1/2`` of every node; row 0 has the
    Neumann ghost node folded in.
    """
    r_faces = r * math.exp(h / 2.0)  # face i+1/2 of node i
    r_lower0 = r[0] * math.exp(-h / 2.0)
    A_plus = r_faces * kappa_faces[1:]  # r kappa at i+1/2
    A_minus = np.concatenate([[r_lower0 * kappa_faces[0]], A_plus[:-1]])  # at i-1/2
    B = V * r**2
    with np.errstate(divide="ignore", invalid="ignore"):
        Pe = B * h / np.minimum(A_minus, A_plus)
        sigma = np.where(Pe > 1e-6, 0.5 * Pe / np.tanh(0.5 * np.maximum(Pe, 1e-6)), 1.0 + Pe**2 / 12.0)
    a = sigma * A_minus / h**2 + B / (2 * h)
    c = sigma * A_plus / h**2 - B / (2 * h)
    b = -sigma * (A_minus + A_plus) / h**2
    # inner Neumann boundary: ghost f_{-1} = f_1, the convection term cancels
    a[0] = 0.0
    c[0] = (A_minus[0] + A_plus[0]) / h**2
    b[0] = -c[0]
    return a, b, c


def solve_parker(
    T,
    lis,
    species="positron",
    diffusion: Diffusion | None = None,
    wind_speed: float = DEFAULT_WIND_SPEED,
    grid: ParkerGrid | None = None,
    extrapolate: str = "power-law",
) -> ParkerSolution:
    """Solve Eq. 2 for the LIS imposed at the heliopause; returns a :class:`ParkerSolution`.

    Parameters
    ----------
    T : array
        Kinetic energies [GeV] the solution must cover (sets ``p_min`` and the default
        ``p_max``); read the result with ``solution.flux(T)``.
    lis : callable or (T_grid, flux_grid)
        LIS per unit kinetic energy (any unit), read at the heliopause for every
        ``p <= p_max`` (log-log interpolation; ``extrapolate`` above its grid).
    species : str or Species
    diffusion : callable ``kappa(r [cm], p [GeV], species) -> cm^2/s``
        Default: :class:`HelModLikeDiffusion` with the ``K_0`` giving a force-field
        equivalent ``phi = 0.5`` GV at 1 AU.
    wind_speed : float
        Constant radial wind speed [cm/s] (>= 0; 0 means no modulation).
    grid : ParkerGrid
        Numerical settings (module docstring).
    """
    start = time.perf_counter()
    sp = kin.get_species(species)
    grid = ParkerGrid() if grid is None else grid
    if diffusion is None:
        diffusion = HelModLikeDiffusion.from_phi(0.5, grid.r_obs, grid.r_b, DEFAULT_WIND_SPEED)
    V = float(wind_speed)
    if not (np.isfinite(V) and V >= 0):
        raise ValueError(f"the wind speed must be >= 0 (got {V})")
    T = np.asarray(T, dtype=float)
    if T.size == 0 or not np.all(np.isfinite(T)) or np.any(T <= 0):
        raise ValueError("solve_parker needs finite kinetic energies > 0")
    spectrum = as_spectrum(lis, extrapolate)

    p_lo = float(kin.momentum_from_kinetic(T.min(), sp.mass))
    p_hi_req = float(kin.momentum_from_kinetic(T.max(), sp.mass))
    p_max = grid.p_max if grid.p_max is not None else max(10.0 * p_hi_req, 200.0 * u.GeV)
    if p_max < p_hi_req:
        raise ValueError(f"grid.p_max = {p_max:g} GeV is below the highest requested momentum {p_hi_req:g} GeV")
    n_steps = max(2, math.ceil(math.log10(p_max / p_lo) * grid.n_p_per_decade))
    x = np.linspace(math.log(p_max), math.log(p_lo), n_steps + 1)  # decreasing ln p
    dtau = x[0] - x[1]
    p_desc = np.exp(x)
    # The march ends exactly at the lowest requested energy: exp(ln p) and the round trip
    # T -> p -> T are off by an ulp or two, which put the last node just below a LIS table
    # starting there (then undefined), depending on how its first energy rounds.
    p_desc[0], p_desc[-1] = p_max, p_lo
    T_desc = kin.kinetic_from_momentum(p_desc, sp.mass)
    T_desc[-1] = T.min()

    def f_lis(k):
        value = spectrum(T_desc[k]) / p_desc[k] ** 2
        if not np.all(np.isfinite(value)) or np.any(value < 0):
            raise ValueError(
                f"the LIS is undefined or negative at T = {float(T_desc[k]):.4g} GeV; "
                "it must cover the requested energies (and, with extrapolate='nan', up to p_max)"
            )
        return float(value)

    r = grid.radial_nodes()
    h = math.log(r[1] / r[0])
    r_faces_all = np.concatenate([[r[0] * math.exp(-h / 2.0)], r * math.exp(h / 2.0)])
    C = 2.0 * V * r**2 / 3.0  # capacity of the adiabatic term
    n_r = r.size

    f = np.empty((n_r, x.size))
    f[:, 0] = f_lis(0)
    ab = np.zeros((3, n_r))
    for k in range(1, x.size):
        p = p_desc[k]
        kappa_faces = diffusion(r_faces_all, p, sp)
        a, b, c = _tridiagonal_operator(r, h, kappa_faces, V)
        if grid.scheme == "euler" or k == 1:
            diag = C / dtau - b
            rhs = C / dtau * f[:, k - 1]
        else:
            diag = 1.5 * C / dtau - b
            rhs = C / (2.0 * dtau) * (4.0 * f[:, k - 1] - f[:, k - 2])
        ab[0, 1:] = -c[:-1]  # super-diagonal
        ab[1, :] = diag
        ab[2, :-1] = -a[1:]  # sub-diagonal
        # outer Dirichlet boundary: f = f_LIS(p)
        ab[1, -1] = 1.0
        ab[2, -2] = 0.0
        rhs = rhs.copy()
        rhs[-1] = f_lis(k)
        f[:, k] = solve_banded((1, 1), ab, rhs)
    elapsed = time.perf_counter() - start
    return ParkerSolution(
        r=r,
        p=p_desc[::-1].copy(),
        f=f[:, ::-1].copy(),
        species=sp,
        wind_speed=V,
        diffusion=diffusion,
        grid=grid,
        elapsed_s=elapsed,
    )
