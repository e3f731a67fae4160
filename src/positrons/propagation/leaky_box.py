r"""The homogeneous steady-state leaky box, for nuclei and for leptons
(e.g. Jones et al. 2001, ApJ 547, 264).

Cosmic rays fill a box of mean hydrogen density ``n_H`` (plus helium, He/H by number) and
leave it after the escape time

    tau_esc(T) = X(R) / (rho beta c),     rho = m n_H,  m = m_H + (He/H) m_He ~ 1.4 m_p,     (1)

with the grammage (escape length) ``X`` in g cm^-2 of :class:`Grammage`.  In a steady state
production balances escape, destruction and energy losses.

**Stable nuclei**, destroyed on the gas with the effective inelastic cross-section per H atom
``sigma = sigma_pH + (He/H) sigma_pHe``, no energy losses (unstable nuclei: Eq. 2' of
:meth:`LeakyBox.solve_nucleus`, with the decay rate 1/(gamma tau) added):

    n(T) = Q(T) tau_esc / (1 + X sigma / m)                                              (2)

-- the usual ``n = Q_X (X/m)/(1 + X sigma/m)`` with ``Q_X = Q / (n_H beta c)`` the source per
unit column of H atoms.  Limits: ``Q tau_esc`` (X sigma/m << 1, escape wins) and
``Q / (n_H beta c sigma)`` (X sigma/m >> 1, destruction wins).

**Leptons** (or any particle) with continuous losses b(T) = -dT/dt [GeV/s] and escape:

    n(T) = (1/b(T)) int_T^inf dT' Q(T') exp( -int_T^T' dT''/(b(T'') tau_esc(T'')) )        (3)

(the steady-state solution of d(b n)/dT = n/tau_esc - Q, with n -> 0 at T -> inf).  Limits:
``Q tau_esc`` without losses, ``(1/b) int_T^inf Q`` without escape.

Numerics of Eq. 3 on the user's increasing grid ``T_i`` (log-spaced recommended): with
``y = ln T``, ``Lambda(T) = int dT/(b tau)`` (cumulative trapezoid in y, Lambda increasing)
and ``S_i = int_{T_i}^inf Q(T') exp(-(Lambda(T') - Lambda(T_i))) dT'``, the backward recursion

    S_i = int_{T_i}^{T_i+1} Q e^{-(Lambda - Lambda_i)} dT + e^{-(Lambda_i+1 - Lambda_i)} S_i+1

multiplies only by factors <= 1 (no overflow).  In each interval ``Lambda`` is taken linear
in y and the product with the exponential integrated exactly, with either ``Q T`` (where
``Lambda_i+1 - Lambda_i <= 0.1``, losses dominate) or ``g = Q b tau_esc`` (escape dominates;
``Q dT = g dLambda``) linear in y; both are second order in the step, and the second is
exact in the escape-dominated limit ``n -> Q tau_esc``.  The integral is truncated at the
last grid point, where ``n = 0``: extend the grid until ``Q`` is negligible there (the top
of the grid, within a loss-escape length of the end, is biased low).  ``n = S / b``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .. import constants as const
from .. import kinematics as kin
from .. import units as u
from ..interstellar import M_H_ATOM_G, M_HE_ATOM_G, InterstellarMedium

__all__ = ["Grammage", "LeakyBox", "JONES2001"]

#: an interval with Lambda_i+1 - Lambda_i above this is integrated in the escape-dominated form
STIFF_INTERVAL = 0.1


@dataclass(frozen=True)
class Grammage:
    r"""Escape length X [g cm^-2] as a function of rigidity:

        X(R) = X0 beta                          for R <= R0 (if ``flat_below``)
        X(R) = X0 beta (R / R0)^-delta          otherwise.

    Default: Jones, Lukasiak, Ptuskin & Webber (2001, ApJ 547, 264), X0 = 11.8 g cm^-2,
    R0 = 4.9 GV, delta = 0.54, flat below R0 (as quoted by Strong, Moskalenko & Ptuskin 2007,
    ARNPS 57, 285, and in the issue; only the abstracts of both papers were readable here).
    """

    X0_g_cm2: float = 11.8
    rigidity0_GV: float = 4.9
    delta: float = 0.54
    flat_below: bool = True

    def __post_init__(self):
        if not (self.X0_g_cm2 > 0 and self.rigidity0_GV > 0):
            raise ValueError("X0_g_cm2 and rigidity0_GV must be > 0")

    def __call__(self, T, species) -> np.ndarray:
        """X [g cm^-2] at kinetic energy ``T`` [GeV] of ``species`` (name or Species)."""
        sp = kin.get_species(species)
        T = np.asarray(T, dtype=float)
        R = kin.rigidity_from_kinetic(T, sp)
        beta = kin.beta_from_kinetic(T, sp.mass)
        ratio = R / self.rigidity0_GV
        if self.flat_below:
            ratio = np.maximum(ratio, 1.0)
        return self.X0_g_cm2 * beta * ratio ** (-self.delta)


#: the Jones et al. (2001) leaky-box grammage (the :class:`Grammage` default)
JONES2001 = Grammage()


def _phi1(lam):
    """int_0^1 e^{-lam t} dt = (1 - e^-lam)/lam, stable for small and large lam >= 0."""
    lam = np.asarray(lam, dtype=float)
    small = lam < 1e-4
    safe = np.where(small, 1.0, lam)
    return np.where(small, 1.0 - lam / 2.0 + lam**2 / 6.0, -np.expm1(-safe) / safe)


def _phi2(lam):
    """int_0^1 t e^{-lam t} dt = (1 - e^-lam (1 + lam))/lam^2, stable."""
    lam = np.asarray(lam, dtype=float)
    small = lam < 1e-3
    safe = np.where(small, 1.0, lam)
    big = (-np.expm1(-safe) - safe * np.exp(-safe)) / safe**2
    return np.where(small, 0.5 - lam / 3.0 + lam**2 / 8.0, big)


def _nucleus_inputs(Q, T, sigma_mb):
    """(T [GeV], q, sigma [cm^2]) checked: T > 0, sigma finite and >= 0."""
    T = np.asarray(T, dtype=float)
    if np.any(np.isnan(T)) or np.any(T <= 0):
        raise ValueError("kinetic energies T must be > 0 GeV")
    q = np.asarray(Q(T) if callable(Q) else Q, dtype=float)
    sigma = np.asarray(sigma_mb(T) if callable(sigma_mb) else sigma_mb, dtype=float) * u.mb_to_cm2
    if np.any(~np.isfinite(sigma)) or np.any(sigma < 0):
        raise ValueError("the inelastic cross-section sigma_mb must be finite and >= 0")
    return T, q, sigma


@dataclass(frozen=True)
class LeakyBox:
    """A homogeneous leaky box: grammage, gas and (for leptons) an energy-loss rate.

    Parameters
    ----------
    grammage : Grammage or None
        Escape length; ``None`` means no escape (tau_esc = infinity).
    n_H_cm3 : float
        Mean hydrogen density [cm^-3] in Eq. 1 (all H nuclei).
    he_to_h : float
        He/H by number; the mean mass per H atom is ``m_H + he_to_h m_He`` (1.41 u for 0.1).
    loss_rate : callable or None
        ``loss_rate(T) -> b`` [GeV/s], b = -dT/dt > 0, for :meth:`solve_lepton`; ``None``
        means no continuous losses.  :meth:`from_ism` builds it from
        :func:`positrons.losses.lepton_loss_rate` at a point of the Galaxy.
    """

    grammage: Grammage | None = JONES2001
    n_H_cm3: float = 1.0
    he_to_h: float = 0.1
    loss_rate: Callable | None = None

    def __post_init__(self):
        if not self.n_H_cm3 > 0:
            raise ValueError("n_H_cm3 must be > 0")
        if self.he_to_h < 0:
            raise ValueError("he_to_h must be >= 0")

    @classmethod
    def from_ism(cls, ism: InterstellarMedium, R_kpc: float | None = None, z_kpc: float = 0.0,
                 grammage: Grammage | None = JONES2001) -> "LeakyBox":
        """Box with the gas density and e+- losses of ``ism`` at (R, z) (default: the Sun)."""
        from ..losses import lepton_loss_rate

        R = ism.r_sun_kpc if R_kpc is None else R_kpc
        n_H = float(ism.gas.n_H_total(R, z_kpc))

        def loss_rate(T):
            return lepton_loss_rate(np.atleast_1d(np.asarray(T, dtype=float)), ism, R, z_kpc)

        return cls(grammage, n_H, ism.gas.he_to_h, loss_rate)

    # --- escape ----------------------------------------------------------------------
    @property
    def mean_mass_per_H_g(self) -> float:
        """m = m_H + (He/H) m_He [g]."""
        return M_H_ATOM_G + self.he_to_h * M_HE_ATOM_G

    def escape_time(self, T, species) -> np.ndarray:
        """tau_esc = X / (m n_H beta c) [s] (Eq. 1); infinite without a grammage."""
        T = np.asarray(T, dtype=float)
        if self.grammage is None:
            return np.full(T.shape, np.inf)
        sp = kin.get_species(species)
        beta = kin.beta_from_kinetic(T, sp.mass)
        rho = self.mean_mass_per_H_g * self.n_H_cm3
        return self.grammage(T, sp) / (rho * beta * const.c_light)

    # --- solutions -------------------------------------------------------------------
    def solve_nucleus(self, Q, T, species="proton", sigma_mb=0.0, lifetime_s=None) -> np.ndarray:
        """Density n(T) [cm^-3 GeV^-1] of a stable nucleus (Eq. 2), or of an unstable one.

        ``Q`` [cm^-3 s^-1 GeV^-1]: array on ``T`` [GeV] (> 0) or callable ``Q(T)``; ``sigma_mb``
        [mb]: effective inelastic cross-section per H atom (scalar, array on T, or callable),
        finite and >= 0.  Ionization losses are not included (Eq. 2 has none).  A box without
        escape (``grammage=None``) needs ``sigma > 0`` at every energy: with neither escape nor
        destruction a stable nucleus has no steady state (``ValueError``).

        ``lifetime_s``: rest-frame lifetime tau [s] of an unstable nucleus (None: stable).  The
        decay rate 1/(gamma tau), gamma = 1 + T/m, adds to escape and fragmentation:

            n = Q / (1/tau_esc + n_H beta c sigma + 1/(gamma tau))          (2')

        (Eq. 2 is Eq. 2' without decay, since X sigma / m = tau_esc n_H beta c sigma.)
        """
        if lifetime_s is not None:
            return self._solve_unstable_nucleus(Q, T, species, sigma_mb, lifetime_s)
        T, q, sigma = _nucleus_inputs(Q, T, sigma_mb)
        if self.grammage is None and np.any(sigma <= 0):
            raise ValueError("a box without escape (grammage=None) and without destruction (sigma_mb = 0) "
                             "has no steady state for a stable nucleus")
        if self.grammage is None:
            # no escape: destruction only, n = Q / (n_H beta c sigma)
            beta = kin.beta_from_kinetic(T, kin.get_species(species).mass)
            return q / (self.n_H_cm3 * beta * const.c_light * sigma)
        X = self.grammage(T, species)
        return q * self.escape_time(T, species) / (1.0 + X * sigma / self.mean_mass_per_H_g)

    def _solve_unstable_nucleus(self, Q, T, species, sigma_mb, lifetime_s) -> np.ndarray:
        tau_d = float(lifetime_s)
        if not (np.isfinite(tau_d) and tau_d > 0):
            raise ValueError(f"lifetime_s must be finite and > 0 (got {lifetime_s})")
        T, q, sigma = _nucleus_inputs(Q, T, sigma_mb)
        sp = kin.get_species(species)
        beta = kin.beta_from_kinetic(T, sp.mass)
        escape = 1.0 / self.escape_time(T, sp)  # 0 without grammage
        destruction = self.n_H_cm3 * beta * const.c_light * sigma
        decay = 1.0 / (kin.gamma_from_kinetic(T, sp.mass) * tau_d)
        return q / (escape + destruction + decay)

    def solve_lepton(self, Q, T, species="positron") -> np.ndarray:
        """Density n(T) [cm^-3 GeV^-1] with escape and continuous losses (Eq. 3).

        ``Q`` [cm^-3 s^-1 GeV^-1]: array on the increasing grid ``T`` [GeV] or callable.
        Without ``loss_rate`` this is ``Q tau_esc``; without grammage, ``(1/b) int_T Q``.
        """
        T = np.asarray(T, dtype=float)
        if T.ndim != 1 or T.size < 2 or np.any(np.diff(T) <= 0) or T[0] <= 0:
            raise ValueError("T must be a 1-D increasing grid of positive energies")
        q = np.asarray(Q(T) if callable(Q) else Q, dtype=float)
        if q.shape != T.shape:
            raise ValueError("Q must have the shape of T")
        tau = self.escape_time(T, species)
        if self.loss_rate is None:
            if self.grammage is None:
                raise ValueError("a box without escape and without losses has no steady state")
            return q * tau
        b = np.asarray(self.loss_rate(T), dtype=float).reshape(T.shape)
        if np.any(~np.isfinite(b)) or np.any(b <= 0):
            raise ValueError("loss rates must be finite and > 0")
        y = np.log(T)
        dy = np.diff(y)
        # Lambda' = dLambda/dy = T / (b tau); cumulative trapezoid in y
        rate = T / (b * tau)  # 0 without escape (tau = inf)
        lam = 0.5 * (rate[:-1] + rate[1:]) * dy  # Lambda_{i+1} - Lambda_i >= 0
        p1, p2 = _phi1(lam), _phi2(lam)
        # escape-weak intervals: f = Q T linear in y, int (f_i (1-t) + f_i+1 t) e^{-lam t} dy
        f = q * T
        piece_f = dy * (f[:-1] * (p1 - p2) + f[1:] * p2)
        # escape-dominated intervals: Q dT = g dLambda with g = Q b tau linear in y, so that
        # the stiff limit (lam >> 1) gives n = Q tau exactly
        g = q * b * np.where(np.isfinite(tau), tau, 0.0)
        piece_g = g[:-1] * lam * (p1 - p2) + g[1:] * lam * p2
        piece = np.where(lam > STIFF_INTERVAL, piece_g, piece_f)
        decay = np.exp(-lam)
        S = np.zeros_like(T)
        for i in range(T.size - 2, -1, -1):
            S[i] = piece[i] + decay[i] * S[i + 1]
        return S / b
