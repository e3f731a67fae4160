r"""Greybody factors of a Schwarzschild black hole for massless fields of spin 0, 1/2, 1 and 2.

What is computed
----------------
For a field of spin ``s`` and angular momentum ``l`` (``l = j`` for spin 1/2), the transmission
probability :math:`\Gamma_{s,l}` through the potential barrier around the hole, and the sum

.. math::

    S_s(x) = \sum_{l \ge s} (2l+1)\,\Gamma_{s,l}(x), \qquad
    x = \frac{G M E}{\hbar c^3} = M\omega \;(G = c = \hbar = 1),

which gives the absorption cross section per helicity state
:math:`\sigma_s = (\pi/\omega^2) S_s = \pi (G M/c^2)^2 S_s(x)/x^2` and the emission rate per
helicity state (Hawking 1975; Page 1976, PRD 13, 198 -- equation numbers of Page's papers
were not re-read for this module)

.. math::

    \frac{d^2N}{dt\,dE} = \frac{1}{2\pi\hbar}\,\frac{S_s(x)}{e^{E/T} \mp 1}, \qquad E/T = 8\pi x.

**Convention.** Our public variable is ``x = G M E / (hbar c^3)`` (= M omega).  BlackHawk
(Arbey & Auffinger 2019, arXiv:1905.04268) tabulates in ``x_BH = 2 G M E = 2 x``; nothing in
this package stores or expects ``x_BH``.  Units inside this module: ``G = c = hbar = 1`` and
``M = 1``, so lengths are in units of ``G M / c^2``, the horizon is at ``r = 2`` and ``omega = x``.

Equations (Chandrasekhar 1983, *The Mathematical Theory of Black Holes*, chapters 4 and 10;
the potentials are the ``a = 0`` limits of those coded in BlackHawk's greybody scripts)
-------------------------------------------------------------------------------------------
With the tortoise coordinate :math:`r_* = r + 2\ln(r/2 - 1)` and :math:`f = 1 - 2/r`, every
radial mode obeys the Schroedinger-like equation

.. math::

    \frac{d^2\psi}{dr_*^2} + [\omega^2 - V_s(r)]\,\psi = 0

with the short-range potentials

* spin 0 (Klein-Gordon): :math:`V_0 = f\,[l(l+1)/r^2 + 2/r^3]`;
* spin 1/2 (Dirac, Chandrasekhar's supersymmetric form): :math:`V_{1/2} = W^2 + dW/dr_*`,
  :math:`W = k\sqrt f/r`, :math:`k = j + 1/2`, i.e.
  :math:`V_{1/2} = k^2 f/r^2 + k\sqrt f\,(3 - r)/r^3` (the partner :math:`W^2 - dW/dr_*`
  has the same transmission);
* spin 1 (Maxwell): :math:`V_1 = f\,l(l+1)/r^2`;
* spin 2 (Regge-Wheeler, isospectral with Zerilli): :math:`V_2 = f\,[l(l+1)/r^2 - 6/r^3]`.

Boundary conditions: a purely ingoing wave at the horizon, :math:`\psi = e^{-i\omega r_*}`
(unit amplitude), and :math:`\psi = A_{in} e^{-i\omega r_*} + A_{out} e^{+i\omega r_*}` at
infinity.  The flux is conserved (:math:`|A_{in}|^2 = |A_{out}|^2 + 1`, real potential), so
:math:`\Gamma = 1/|A_{in}|^2`.

Numerical method
----------------
* Independent variable :math:`r_*`; the radius is carried as :math:`y = \ln(r/2 - 1)`, which
  obeys :math:`dy/dr_* = 1/r` and keeps full precision next to the horizon (no ``1 - 2/r``
  cancellation).  All ``l`` of one ``x`` are integrated together as one system (they share
  ``r(r_*)``), with scipy's DOP853 at ``rtol = 1e-10``.
* Start at :math:`r = 2(1 + \epsilon)`, :math:`\epsilon = 10^{-20}` (:math:`r_* \approx -90`),
  with :math:`\psi = e^{-i\omega r_*}, \psi' = -i\omega\psi`.  The neglected potential makes an
  error :math:`O(\epsilon)` for bosons but :math:`O(\sqrt\epsilon)` for spin 1/2, because
  :math:`V_{1/2} \propto \sqrt f` at the horizon; with :math:`\epsilon = 10^{-8}` the spin-1/2
  factors would be 0.3 % too high at low ``x`` -- hence the very small offset.
* Stop at :math:`r_{max} = \max(400, 50\,(l_{max}+1)/x)` and split the solution into WKB waves
  with the local wavenumber :math:`k = \sqrt{\omega^2 - V}` and its derivative: the incident
  amplitude (flux-normalised) is
  :math:`b = [\sqrt k\,\psi - (\psi' + \tfrac{k'}{2k}\psi)/(i\sqrt k)]/2` and
  :math:`\Gamma = \omega/|b|^2`.  There is no subtraction, so tiny transmissions
  (:math:`10^{-40}`) keep their relative precision; the flux identity
  :math:`(|b|^2 - |a|^2)/\omega = 1` is checked (to ``1e-6/Gamma``, the precision of that
  subtraction).  The matching error is ~1e-7; a second integrator with other radii and
  tolerances agrees to 1e-6 (tests).
* The sum over ``l`` starts with ``l = s ... s + ceil(3 sqrt(3) x) + 4`` (the critical
  impact parameter :math:`b_c = 3\sqrt3\,GM/c^2` gives :math:`l_c \approx 3\sqrt 3 x`) and adds
  four more ``l`` until the last term is below ``sum_tolerance`` (``1e-10``) times the sum.

Tables, interpolation and limits
--------------------------------
:func:`load_table` returns a :class:`GreybodyTable`: ``S_s`` on a grid of ``x``, interpolated
by a cubic spline in ``(ln x, ln S)``.  Outside the grid:

* below ``x_lo`` the leading low-energy law (Starobinsky & Churilov 1973; Page 1976;
  Unruh 1976 for spin 1/2), times a linear correction matched to the table value at ``x_lo``
  (so there is no step)::

      S_0 -> 16 x^2      (sigma -> 16 pi M^2, the horizon area)
      S_1/2 -> 2 x^2     (sigma -> 2 pi M^2, Unruh 1976)
      S_1 -> (64/3) x^4  (Gamma_{1,1} -> (64/9) x^4)
      S_2 -> (256/45) x^6 (Gamma_{2,2} -> (256/225) x^6)

      S(x) = C x^n [1 + (S(x_lo)/(C x_lo^n) - 1) x / x_lo]

  (the first correction to the leading law is linear in ``x``: 6.3 x for spin 1/2);
* above ``x_hi`` the geometric-optics limit :math:`\sigma \to 27\pi M^2` (capture by the photon
  sphere, :math:`S \to 27 x^2`) with its diffraction oscillations, whose period in ``x`` is
  set by the photon-sphere impact parameter :math:`b_c = 3\sqrt3\,GM/c^2` and whose amplitude
  decays as ``1/x`` (Sanchez 1978; for the scalar field
  :math:`\sigma \simeq 27\pi M^2[1 - 8\pi e^{-\pi}\,\mathrm{sinc}(2\pi\,3\sqrt3\,x)]`,
  Decanini, Esposito-Farese & Folacci 2011, arXiv:1101.0781; spin-dependent phases in
  Ould El Hadj 2025, arXiv:2504.19324)::

      S(x) = 27 x^2 [1 + (A sin kx + B cos kx)/x + (r0 + a1 d + a2 d^2) e^{-d/lambda}],  d = x - x_hi

  with ``k = 2 pi 3 sqrt 3``, ``A, B`` fitted (least squares) to the table's last three
  periods, and ``r0, a1, a2`` set by the remaining mismatch of the value and of the first two
  derivatives at ``x_hi`` (r0 ~ 1e-3), removed over ``lambda = 0.1``: ``S`` is C2 there.
  The fit gives ``A = -0.0333`` for spin 0, the amplitude ``8 pi e^{-pi}/k`` of the formula.

The shipped table (``greybody_table.ecsv``, made by ``tools/build_greybody_table.py``) covers
``1e-4 <= x <= 4`` (``E/T`` up to 100) for the four spins on 337 points; the spline matches
direct solutions at the grid midpoints to < 6e-5 (build log).  The shipped table is used
whenever the inputs are its own (the defaults): no file in a cache can shadow it.  Any other
grid or accuracy is computed on demand and cached on disk, keyed by its inputs (spin, grid,
``l_max``, solver settings) and :data:`CACHE_FORMAT_VERSION`, in ``$POSITRONS_CACHE_DIR``
(default ``~/.cache/positrons``) or the directory passed as ``cache_dir``; a cached file
stores its key and a checksum of its values, and a file whose key or checksum does not match
is ignored (recomputed and overwritten).  ``rebuild=True`` recomputes.  Computing a table
takes minutes.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from scipy.integrate import solve_ivp
from scipy.interpolate import CubicSpline

from ...cache import CACHE_ENV, cache_root  # noqa: F401  (CACHE_ENV: the directory's environment variable)

#: spins for which greybody factors are available
SPINS = (0.0, 0.5, 1.0, 2.0)

#: low-energy limits S_s -> C x^n: spin -> (C, n)
LOW_ENERGY_LAW = {0.0: (16.0, 2), 0.5: (2.0, 2), 1.0: (64.0 / 3.0, 4), 2.0: (256.0 / 45.0, 6)}

#: geometric-optics limit: S_s -> GEOMETRIC_OPTICS x^2, i.e. sigma -> 27 pi (GM/c^2)^2
GEOMETRIC_OPTICS = 27.0

#: wavenumber in x of the diffraction oscillations of sigma: 2 pi b_c c^2/(G M) = 2 pi 3 sqrt(3)
DIFFRACTION_WAVENUMBER = 2.0 * math.pi * 3.0 * math.sqrt(3.0)

#: decay length in x of the correction that makes the high-energy law C1 at the table's end
MATCH_DECAY = 0.1

#: file name of the shipped table (in this package)
SHIPPED_TABLE = "greybody_table.ecsv"


#: version of the cached-table format and of the code that computes tables; part of every
#: cache key, so raising it invalidates old cache files
CACHE_FORMAT_VERSION = 2


def check_spin(spin) -> float:
    """Return ``spin`` as one of :data:`SPINS` (accepts 0, 0.5, '1/2', 1, 2)."""
    if isinstance(spin, str) and spin.strip() == "1/2":
        spin = 0.5
    try:
        value = float(spin)
    except (TypeError, ValueError):
        value = math.nan
    if value not in SPINS:
        raise ValueError(f"spin must be one of {SPINS}, got {spin!r}")
    return value


def default_x_grid() -> np.ndarray:
    """The ``x`` grid of the shipped table.

    32 points per decade, log-spaced, from 1e-4 to 0.2 (a power law at low x), then linear
    steps of 0.01 up to 1 (where the first modes open) and of 0.02 up to 4 (the diffraction
    oscillations have a period ~0.19 in ``x``).  The cubic spline in (ln x, ln S)
    on this grid reproduces direct solutions at the midpoints to < 1e-4 (build log of the
    shipped table).
    """
    low = np.logspace(-4.0, math.log10(0.2), int(round(32 * (math.log10(0.2) + 4.0))) + 1)
    mid = np.linspace(0.2, 1.0, 81)
    high = np.linspace(1.0, 4.0, 151)
    return np.unique(np.concatenate([low, mid, high]).round(12))


@dataclass(frozen=True)
class SolverSettings:
    """Numerical settings of the wave-equation solver (everything that changes a table).

    Lengths are in units of ``G M / c^2``.
    """

    horizon_offset: float = 1e-20  #: start at r = 2 (1 + horizon_offset)
    rtol: float = 1e-10  #: relative tolerance of the integrator
    atol: float = 1e-14  #: absolute tolerance (the solution starts with modulus 1)
    method: str = "DOP853"  #: scipy.integrate.solve_ivp method
    r_match: float = 400.0  #: smallest matching radius
    match_wavelengths: float = 50.0  #: matching radius >= match_wavelengths (l + 1) / x
    sum_tolerance: float = 1e-10  #: stop the l sum when the last term < this times the sum

    def __post_init__(self):
        if not 0.0 < self.horizon_offset < 1e-3:
            raise ValueError(f"horizon_offset must lie in (0, 1e-3), got {self.horizon_offset}")
        if self.rtol <= 0 or self.atol <= 0 or self.sum_tolerance <= 0:
            raise ValueError("tolerances must be > 0")
        if self.r_match < 20.0 or self.match_wavelengths <= 0:
            raise ValueError("r_match must be >= 20 and match_wavelengths > 0")


DEFAULT_SETTINGS = SolverSettings()


# --- the wave equation ------------------------------------------------------------------


def _lowest_l(spin: float) -> float:
    return spin  # l = s, s + 1, ... (j = 1/2, 3/2, ... for spin 1/2)


def _potential_u(spin: float, l, u):
    """V_s(r) with r = 2 (1 + u), G = c = M = 1; broadcasts over ``l`` and ``u``."""
    r = 2.0 * (1.0 + u)
    f = u / (1.0 + u)
    if spin == 0.0:
        return f * (l * (l + 1.0) / r**2 + 2.0 / r**3)
    if spin == 1.0:
        return f * l * (l + 1.0) / r**2
    if spin == 2.0:
        return f * (l * (l + 1.0) / r**2 - 6.0 / r**3)
    k = l + 0.5
    return k * k * f / r**2 + k * np.sqrt(f) * (3.0 - r) / r**3


def potential(spin, l, r):
    """Potential V_s(r) of the radial equation [units (c^3/GM)^2 = 1], ``r`` in GM/c^2 (> 2).

    ``l`` is the orbital angular momentum (the total ``j`` for spin 1/2).
    """
    spin = check_spin(spin)
    r = np.asarray(r, dtype=float)
    if np.any(r <= 2.0):
        raise ValueError("r must lie outside the horizon (r > 2 G M / c^2)")
    return _potential_u(spin, np.asarray(l, dtype=float), r / 2.0 - 1.0)


def _dpotential_dr(spin: float, l, u):
    """dV/dr at r = 2 (1 + u), by a central difference in r (used only for the WKB k')."""
    r = 2.0 * (1.0 + u)
    h = 1e-5 * r
    return (_potential_u(spin, l, (r + h) / 2.0 - 1.0) - _potential_u(spin, l, (r - h) / 2.0 - 1.0)) / (2.0 * h)


def _solve_modes(spin: float, ls: np.ndarray, x: float, settings: SolverSettings):
    """Gamma_{s,l}(x) for the array ``ls`` (one ODE system), and the flux-identity residual."""
    n = ls.size
    eps = settings.horizon_offset
    r_max = max(settings.r_match, settings.match_wavelengths * (float(ls.max()) + 1.0) / x)
    rs_start = 2.0 * (1.0 + eps) + 2.0 * math.log(eps)
    rs_end = r_max + 2.0 * math.log(r_max / 2.0 - 1.0)
    psi0 = np.exp(-1j * x * rs_start) * np.ones(n)
    dpsi0 = -1j * x * psi0
    y0 = np.concatenate([[math.log(eps)], psi0.real, psi0.imag, dpsi0.real, dpsi0.imag])
    x2 = x * x

    def rhs(_rs, y):
        u = math.exp(y[0])
        q = _potential_u(spin, ls, u) - x2
        out = np.empty_like(y)
        out[0] = 1.0 / (2.0 * (1.0 + u))  # d ln(r/2 - 1)/dr* = 1/r
        out[1 : 1 + 2 * n] = y[1 + 2 * n :]
        out[1 + 2 * n : 1 + 3 * n] = q * y[1 : 1 + n]
        out[1 + 3 * n :] = q * y[1 + n : 1 + 2 * n]
        return out

    sol = solve_ivp(rhs, (rs_start, rs_end), y0, method=settings.method, rtol=settings.rtol, atol=settings.atol)
    if sol.status != 0:
        raise RuntimeError(f"wave equation (spin {spin}, x = {x}) failed: {sol.message}")
    y = sol.y[:, -1]
    u = math.exp(y[0])
    psi = y[1 : 1 + n] + 1j * y[1 + n : 1 + 2 * n]
    dpsi = y[1 + 2 * n : 1 + 3 * n] + 1j * y[1 + 3 * n :]
    V = _potential_u(spin, ls, u)
    k = np.sqrt(x2 - V)
    if np.any(x2 - V <= 0.0):
        raise RuntimeError("matching radius inside the potential barrier; increase match_wavelengths")
    f = u / (1.0 + u)
    dk = -0.5 * _dpotential_dr(spin, ls, u) * f / k  # dk/dr*
    dpsi_wkb = dpsi + 0.5 * (dk / k) * psi
    sk = np.sqrt(k)
    b2 = np.abs(sk * psi - dpsi_wkb / (1j * sk)) ** 2 / 4.0  # incident wave, squared
    a2 = np.abs(sk * psi + dpsi_wkb / (1j * sk)) ** 2 / 4.0  # reflected wave, squared
    return x / b2, (b2 - a2) / x - 1.0


def transmission(spin, l, x, *, settings: SolverSettings = DEFAULT_SETTINGS) -> np.ndarray:
    """Transmission probability Gamma_{s,l}(x) by solving the radial equation.

    Parameters
    ----------
    spin : {0, 0.5, 1, 2}
    l : float or array_like
        Angular momenta (``j = 1/2, 3/2, ...`` for spin 1/2); all are solved as one system.
    x : float
        ``G M E / (hbar c^3)`` (> 0).
    settings : SolverSettings

    Returns
    -------
    ndarray, same shape as ``l``.
    """
    spin = check_spin(spin)
    x = float(x)
    if not x > 0.0:
        raise ValueError(f"x must be > 0, got {x}")
    ls = np.atleast_1d(np.asarray(l, dtype=float))
    if np.any(ls < spin) or np.any(np.abs((ls - spin) - np.round(ls - spin)) > 1e-12):
        raise ValueError(f"l must be one of {spin}, {spin + 1}, ... for spin {spin}")
    gamma, _ = _solve_modes(spin, ls, x, settings)
    return gamma.reshape(np.shape(l)) if np.ndim(l) else float(gamma[0])


def greybody_sum(spin, x, *, settings: SolverSettings = DEFAULT_SETTINGS, l_max=None, return_terms=False):
    """S_s(x) = sum_l (2l+1) Gamma_{s,l}(x) by solving the radial equation at one ``x``.

    The sum stops when the last term falls below ``settings.sum_tolerance`` times the sum, or
    at ``l_max`` if given.  With ``return_terms`` also returns the arrays ``l`` and
    ``Gamma_l``.
    """
    spin = check_spin(spin)
    x = float(x)
    if not x > 0.0:
        raise ValueError(f"x must be > 0, got {x}")
    l0 = _lowest_l(spin)
    n_first = max(3, int(math.ceil(3.0 * math.sqrt(3.0) * x)) + 5)
    ls = l0 + np.arange(n_first, dtype=float)
    if l_max is not None:
        if l_max < l0:
            raise ValueError(f"l_max must be >= {l0} for spin {spin}")
        ls = ls[ls <= l_max]
    gammas = list(_check_flux(*_solve_modes(spin, ls, x, settings), spin, x))
    all_l = list(ls)
    while True:
        terms = (2.0 * np.asarray(all_l) + 1.0) * np.asarray(gammas)
        total = float(terms.sum())
        if terms[-1] <= settings.sum_tolerance * total:
            break
        if l_max is not None and all_l[-1] + 1 > l_max:
            break
        new = all_l[-1] + 1.0 + np.arange(4, dtype=float)
        if l_max is not None:
            new = new[new <= l_max]
        gammas += list(_check_flux(*_solve_modes(spin, new, x, settings), spin, x))
        all_l += list(new)
    if return_terms:
        return total, np.asarray(all_l), np.asarray(gammas)
    return total


def _check_flux(gamma, residual, spin, x):
    """Refuse a solution whose flux identity fails.

    ``residual = (|b|^2 - |a|^2)/omega - 1`` subtracts two numbers of size omega/Gamma, so a
    relative error delta of the amplitudes shows up as delta/Gamma: test ``|residual| Gamma``.
    """
    bad = np.abs(residual) * np.minimum(gamma, 1.0) > 1e-6
    if np.any(bad):
        raise RuntimeError(f"flux not conserved (spin {spin}, x = {x}): residual {np.abs(residual[bad]).max():.2e}")
    return gamma


# --- tables -----------------------------------------------------------------------------


@dataclass(frozen=True)
class GreybodyTable:
    """S_s(x) = sum_l (2l+1) Gamma_{s,l} on a grid of ``x = G M E/(hbar c^3)``, with limits.

    Call it (``table(x)``) for S at any ``x > 0``: cubic spline in (ln x, ln S) inside the
    grid, the matched low-energy law below it and the matched geometric-optics law above it
    (module docstring).  ``settings`` and ``l_max`` record how it was computed.
    """

    spin: float
    x: np.ndarray = field(repr=False)
    values: np.ndarray = field(repr=False)
    settings: SolverSettings = DEFAULT_SETTINGS
    l_max: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "spin", check_spin(self.spin))
        x = np.asarray(self.x, dtype=float)
        values = np.asarray(self.values, dtype=float)
        if x.ndim != 1 or x.shape != values.shape or x.size < 4:
            raise ValueError("x and values must be 1-D arrays of the same length (>= 4)")
        if np.any(np.diff(x) <= 0) or x[0] <= 0 or np.any(values <= 0):
            raise ValueError("x must be increasing and > 0, values > 0")
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "_spline", CubicSpline(np.log(x), np.log(values)))
        c, n = LOW_ENERGY_LAW[self.spin]
        object.__setattr__(self, "_low_correction", values[0] / (c * x[0] ** n) - 1.0)
        object.__setattr__(self, "_high", self._fit_high_energy_oscillation())

    def _fit_high_energy_oscillation(self):
        """(A, B, r0, r1) of the high-energy law: module docstring."""
        x, values = self.x, self.values
        k = DIFFRACTION_WAVENUMBER
        window = x >= self.x_hi - 3.0 * (2.0 * math.pi / k)  # the last three periods
        if np.count_nonzero(window) < 8:
            return 0.0, 0.0, values[-1] / (GEOMETRIC_OPTICS * x[-1] ** 2) - 1.0, 0.0, 0.0
        xw = x[window]
        delta = values[window] / (GEOMETRIC_OPTICS * xw**2) - 1.0
        design = np.column_stack([np.sin(k * xw), np.cos(k * xw)]) / xw[:, None]
        (A, B), *_ = np.linalg.lstsq(design, delta, rcond=None)
        # the table's delta = S/(27 x^2) - 1 and its first two x-derivatives at x_hi, from the
        # spline L(u) = ln S, u = ln x: with phi = L - ln 27 - 2u, delta = e^phi - 1,
        # delta' = e^phi phi_u / x, delta'' = e^phi (phi_u^2 + phi_uu - phi_u) / x^2
        xh, uh = self.x_hi, math.log(self.x_hi)
        d_hi = values[-1] / (GEOMETRIC_OPTICS * xh**2) - 1.0
        phi_u = float(self._spline(uh, 1)) - 2.0
        phi_uu = float(self._spline(uh, 2))
        d1 = (1.0 + d_hi) * phi_u / xh
        d2 = (1.0 + d_hi) * (phi_u**2 + phi_uu - phi_u) / xh**2
        fit, dfit, ddfit = _oscillation(A, B, xh)
        r0, r1, r2 = d_hi - fit, d1 - dfit, d2 - ddfit
        lam = MATCH_DECAY
        a1 = r1 + r0 / lam
        a2 = 0.5 * (r2 + 2.0 * a1 / lam - r0 / lam**2)
        return A, B, r0, a1, a2

    @property
    def x_lo(self) -> float:
        return float(self.x[0])

    @property
    def x_hi(self) -> float:
        return float(self.x[-1])

    def __call__(self, x):
        """S_s(x) (dimensionless) for any ``x >= 0``; broadcasts."""
        x = np.asarray(x, dtype=float)
        if np.any(x < 0) or np.any(np.isnan(x)):
            raise ValueError("x must be >= 0")
        out = np.empty_like(x)
        low, high = x < self.x_lo, x > self.x_hi
        inside = ~(low | high)
        out[inside] = np.exp(self._spline(np.log(x[inside])))
        c, n = LOW_ENERGY_LAW[self.spin]
        xl = x[low]
        out[low] = c * xl**n * (1.0 + self._low_correction * xl / self.x_lo)
        if np.any(high):
            A, B, r0, a1, a2 = self._high
            xh = x[high]
            dx = xh - self.x_hi
            delta = _oscillation(A, B, xh)[0] + (r0 + a1 * dx + a2 * dx * dx) * np.exp(-dx / MATCH_DECAY)
            out[high] = GEOMETRIC_OPTICS * xh**2 * (1.0 + delta)
        return out if out.ndim else float(out)

    def cross_section(self, x):
        """Absorption cross section per helicity state in units of pi (G M / c^2)^2: S(x)/x^2."""
        x = np.asarray(x, dtype=float)
        if np.any(x <= 0):
            raise ValueError("x must be > 0")
        return self(x) / x**2

    def key(self) -> str:
        """Hash of what determines the table (spin, grid, l_max, settings): the cache key."""
        return table_key(self.spin, self.x, self.settings, self.l_max)


def _oscillation(A, B, x):
    """f(x) = (A sin kx + B cos kx)/x, f' and f'' (k = DIFFRACTION_WAVENUMBER)."""
    k = DIFFRACTION_WAVENUMBER
    s, c = np.sin(k * x), np.cos(k * x)
    value = (A * s + B * c) / x
    first = (k * (A * c - B * s) - value) / x
    return value, first, -k * k * value - 2.0 * first / x


def table_key(spin, x, settings: SolverSettings = DEFAULT_SETTINGS, l_max=None) -> str:
    """Cache key of a table: SHA-256 (first 16 hex digits) of its inputs and :data:`CACHE_FORMAT_VERSION`."""
    doc = {
        "format": CACHE_FORMAT_VERSION,
        "spin": check_spin(spin),
        "x": [float.hex(float(v)) for v in np.asarray(x, dtype=float)],
        "l_max": None if l_max is None else float(l_max),
        "settings": asdict(settings),
    }
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()[:16]


def compute_table(spin, x=None, *, settings: SolverSettings = DEFAULT_SETTINGS, l_max=None, processes: int = 1) -> GreybodyTable:
    """Solve the wave equation on the grid ``x`` (default :func:`default_x_grid`): minutes."""
    spin = check_spin(spin)
    x = default_x_grid() if x is None else np.asarray(x, dtype=float)
    args = [(spin, float(v), settings, l_max) for v in x]
    if processes > 1:
        from multiprocessing import Pool

        with Pool(processes) as pool:
            values = pool.map(_sum_worker, args, chunksize=1)
    else:
        values = [_sum_worker(a) for a in args]
    return GreybodyTable(spin, x, np.asarray(values), settings, l_max)


def _sum_worker(args):
    spin, x, settings, l_max = args
    return greybody_sum(spin, x, settings=settings, l_max=l_max)


def cache_directory(cache_dir=None) -> Path:
    """Directory of cached tables: the ``greybody`` subdirectory of
    :func:`positrons.cache.cache_root` (``cache_dir``, else ``$POSITRONS_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/positrons`` or ``~/.cache/positrons``)."""
    return cache_root(cache_dir) / "greybody"


def _values_checksum(x, values) -> str:
    """SHA-256 (16 hex digits) of a table's grid and values, stored with a cached file."""
    digest = hashlib.sha256(np.ascontiguousarray(x, dtype="<f8").tobytes())
    digest.update(np.ascontiguousarray(values, dtype="<f8").tobytes())
    return digest.hexdigest()[:16]


def write_npz(table: GreybodyTable, path) -> Path:
    """Write a table (with its settings, key and a checksum of its values) as .npz."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = json.dumps({"spin": table.spin, "l_max": table.l_max, "settings": asdict(table.settings),
                       "key": table.key(), "checksum": _values_checksum(table.x, table.values),
                       "format": CACHE_FORMAT_VERSION})
    tmp = path.with_name(path.name + f".tmp{os.getpid()}.npz")
    np.savez(tmp, x=table.x, values=table.values, meta=np.array(meta))
    os.replace(tmp, path)
    return path


class CacheMismatchError(ValueError):
    """A cached table whose stored key or checksum does not match what was asked for."""


def read_npz(path, expected_key: str | None = None) -> GreybodyTable:
    """Read a table written by :func:`write_npz`, verifying its stored key and checksum.

    The key recomputed from the stored inputs, the key stored in the file and (if given)
    ``expected_key`` must agree, and the values must match their checksum; otherwise
    :class:`CacheMismatchError`.
    """
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        x, values = np.asarray(data["x"]), np.asarray(data["values"])
    try:
        table = GreybodyTable(meta["spin"], x, values, SolverSettings(**meta["settings"]), meta["l_max"])
        stored_key, checksum = meta["key"], meta["checksum"]
    except (KeyError, TypeError, ValueError) as exc:
        raise CacheMismatchError(f"{path}: not a greybody table of this version ({exc})") from None
    if stored_key != table.key() or (expected_key is not None and stored_key != expected_key):
        raise CacheMismatchError(f"{path}: stored key {stored_key} does not match the inputs")
    if checksum != _values_checksum(x, values):
        raise CacheMismatchError(f"{path}: the values do not match their checksum")
    return table


@lru_cache(maxsize=1)
def _shipped_tables() -> dict:
    """The shipped ECSV table, read once: spin -> GreybodyTable."""
    from astropy.table import Table

    source = resources.files(__package__) / SHIPPED_TABLE
    with resources.as_file(source) as path:
        data = Table.read(path, format="ascii.ecsv")
    settings = SolverSettings(**data.meta["solver_settings"])
    x = np.asarray(data["x"], dtype=float)
    tables = {}
    for spin in SPINS:
        column = f"S_{_spin_label(spin)}"
        tables[spin] = GreybodyTable(spin, x, np.asarray(data[column], dtype=float), settings, data.meta.get("l_max"))
    return tables


def _spin_label(spin: float) -> str:
    """'0', '0.5', '1', '2': column suffix in the shipped table and in cache file names."""
    return {0.0: "0", 0.5: "0.5", 1.0: "1", 2.0: "2"}[spin]


_MEMORY: dict = {}


def load_table(spin, x=None, *, settings: SolverSettings | None = None, l_max=None, cache_dir=None,
               rebuild: bool = False, processes: int = 1) -> GreybodyTable:
    """The greybody table of ``spin`` for the grid ``x`` and ``settings`` (defaults: shipped).

    Lookup order: memory; the shipped table if the inputs are its own (a cache file cannot
    shadow it); the disk cache (:func:`cache_directory`, keyed by :func:`table_key`, file
    verified by :func:`read_npz`; a mismatching file is ignored); else the table is computed
    (minutes; ``processes`` > 1 uses a process pool) and written to the cache.
    ``rebuild=True`` skips the lookups and recomputes.
    """
    spin = check_spin(spin)
    settings = DEFAULT_SETTINGS if settings is None else settings
    grid = default_x_grid() if x is None else np.asarray(x, dtype=float)
    key = table_key(spin, grid, settings, l_max)
    path = cache_directory(cache_dir) / f"greybody_spin{_spin_label(spin)}_{key}.npz"
    if not rebuild:
        if key in _MEMORY:
            return _MEMORY[key]
        table = None
        try:
            shipped = _shipped_tables()[spin]
        except FileNotFoundError:  # pragma: no cover - only before the table is built
            shipped = None
        if shipped is not None and shipped.key() == key:
            table = shipped
        elif path.exists():
            try:
                table = read_npz(path, expected_key=key)
            except CacheMismatchError:
                table = None  # stale or foreign file: recompute and overwrite
        if table is not None:
            _MEMORY[key] = table
            return table
    table = compute_table(spin, grid, settings=settings, l_max=l_max, processes=processes)
    write_npz(table, path)
    _MEMORY[key] = table
    return table


@lru_cache(maxsize=1)
def default_tables() -> dict:
    """spin -> the default (shipped) :class:`GreybodyTable`, for all :data:`SPINS` (read once)."""
    return {spin: load_table(spin) for spin in SPINS}
