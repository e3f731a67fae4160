r"""Electrons and positrons from nearby pulsars, propagated analytically with energy losses.

The pulsars themselves (catalogue, spin-down, injection spectrum) are
:mod:`positrons.sources.pulsars`; this module carries their e+- to the Sun.

Propagation with uniform diffusion D(E) and energy losses b(E) = -dE/dt in an infinite medium
(Atoyan, Aharonian & Voelk 1995, Phys. Rev. D 52, 3265; Hooper, Blasi & Serpico 2009,
arXiv:0810.1527, Eqs. 1-3): particles seen at E after a time dt were injected at E0 with
tau(E) - tau(E0) = dt, tau(E) = int_E^inf dE'/b(E'), and

    N(E, d) = Q(E0) b(E0)/b(E) exp(-d^2/r_d^2) / (pi^(3/2) r_d^3),
    r_d^2 = 4 int_E^E0 D(E')/b(E') dE'.

A source with a history l(t) is the integral of bursts over emission time.  With
``halo_half_height_kpc`` the vertical factor carries the image series of absorbing
boundaries at z = +-H (source and observer in the plane z = 0):
exp(-d^2/r_d^2)/(pi r_d^2) x sum_n (-1)^n exp(-(2 n H)^2/r_d^2)/(sqrt(pi) r_d).

Approximations, named: D and b are those at the Sun, uniform in space (the pulsars of
interest are within ~1 kpc); no re-acceleration or convection (negligible above ~10 GeV);
the distance is taken in the Galactic plane; energies are kinetic energies of the leptons,
and above 1 GeV the distinction from total energy is below 0.1 %.  Valid for E >~ 5 GeV, where
the excess lies.

:class:`LocalTransport` tabulates tau(E) and int D/b dE once, so each pulsar spectrum is a
vectorised quadrature (milliseconds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .. import kinematics as kin
from .. import units as u
from ..sources.pulsars import Pulsar, PulsarInjection, get_pulsar
from .models import get_propagation_model

#: table range of :class:`LocalTransport` [GeV]; above it b is continued as E^2 (synchrotron
#: and Thomson-regime inverse Compton; KN-suppressed terms only make it slightly softer)
TABLE_RANGE_GEV = (1e-4, 1e8)


@dataclass(frozen=True, eq=False)
class LocalTransport:
    """Uniform diffusion D(E) [cm^2/s] and loss rate b(E) [GeV/s] for leptons, tabulated.

    ``E`` [GeV] is the increasing table grid, ``b`` and ``D`` their values on it.  Build with
    :meth:`from_model` (the Sun's interstellar medium and a propagation model) or
    :meth:`from_functions`.
    """

    E: np.ndarray
    b: np.ndarray
    D: np.ndarray
    _lnE: np.ndarray = field(init=False, repr=False)
    _tau: np.ndarray = field(init=False, repr=False)
    _lam: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        E, b, D = (np.asarray(a, dtype=float) for a in (self.E, self.b, self.D))
        if E.ndim != 1 or E.size < 10 or np.any(np.diff(E) <= 0) or E[0] <= 0:
            raise ValueError("E must be >= 10 increasing positive energies [GeV]")
        if b.shape != E.shape or D.shape != E.shape or np.any(~(b > 0)) or np.any(~(D > 0)):
            raise ValueError("b and D must be positive and tabulated on E")
        lnE = np.log(E)
        # tails above the table: b ~ E^2, D ~ E^delta (delta from the last two points, < 1)
        delta_top = float(np.log(D[-1] / D[-2]) / (lnE[-1] - lnE[-2]))
        if delta_top >= 1.0:
            raise ValueError("D must grow slower than E at the top of the table (int D/b diverges otherwise)")
        tau_top = E[-1] / b[-1]
        lam_top = E[-1] * D[-1] / (b[-1] * (1.0 - delta_top))
        tau = tau_top + _cumulative_from_top(lnE, E / b)
        lam = lam_top + _cumulative_from_top(lnE, E * D / b)
        for name, value in (("E", E), ("b", b), ("D", D), ("_lnE", lnE), ("_tau", tau), ("_lam", lam)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_delta_top", delta_top)

    @classmethod
    def from_functions(cls, b: Callable, D: Callable, E_range=TABLE_RANGE_GEV, n: int = 3000) -> "LocalTransport":
        """Tabulate ``b(E)`` [GeV/s] and ``D(E)`` [cm^2/s] on ``n`` log-spaced energies."""
        E = np.geomspace(*E_range, n)
        return cls(E, np.broadcast_to(b(E), E.shape), np.broadcast_to(D(E), E.shape))

    @classmethod
    def from_model(cls, model, ism=None, species: str = "positron", R_kpc: float | None = None,
                   z_kpc: float = 0.0, n: int = 3000) -> "LocalTransport":
        """D of ``model`` (a :class:`~positrons.propagation.models.PropagationModel` or preset
        name) and the lepton losses of ``ism`` (default interstellar medium) at (R, z), default
        the Sun."""
        from ..interstellar import InterstellarMedium
        from ..losses import lepton_loss_terms

        model = get_propagation_model(model)
        ism = InterstellarMedium.default(r_sun_kpc=model.r_sun_kpc) if ism is None else ism
        R_kpc = model.r_sun_kpc if R_kpc is None else R_kpc
        E = np.geomspace(*TABLE_RANGE_GEV, n)
        b = lepton_loss_terms(E, ism).evaluate(R_kpc, z_kpc)
        return cls(E, b, model.diffusion(E, species))

    def cooling_time(self, E) -> np.ndarray:
        """tau(E) = int_E^inf dE'/b(E') [s] (log-log interpolation, exact for power laws)."""
        lnE = np.log(np.asarray(E, dtype=float))
        inside = np.exp(np.interp(lnE, self._lnE, np.log(self._tau)))
        above = self._tau[-1] * np.exp(self._lnE[-1] - lnE)
        return np.where(lnE > self._lnE[-1], above, inside)

    def diffusion_integral(self, E) -> np.ndarray:
        """lambda(E) = int_E^inf D(E')/b(E') dE' [cm^2]."""
        lnE = np.log(np.asarray(E, dtype=float))
        inside = np.exp(np.interp(lnE, self._lnE, np.log(self._lam)))
        above = self._lam[-1] * np.exp((self._delta_top - 1.0) * (lnE - self._lnE[-1]))
        return np.where(lnE > self._lnE[-1], above, inside)

    def loss_rate(self, E) -> np.ndarray:
        """b(E) [GeV/s] (log-log interpolation; E^2 above the table)."""
        lnE = np.log(np.asarray(E, dtype=float))
        inside = np.exp(np.interp(lnE, self._lnE, np.log(self.b)))
        return np.where(lnE > self._lnE[-1], self.b[-1] * np.exp(2.0 * (lnE - self._lnE[-1])), inside)

    def injection_energy(self, E, dt_s) -> np.ndarray:
        """E0 [GeV] that cools to E in ``dt_s`` seconds; inf where dt >= tau(E)."""
        E = np.asarray(E, dtype=float)
        target = self.cooling_time(E) - np.asarray(dt_s, dtype=float)
        if np.any(E < self.E[0]):
            raise ValueError(f"energies below the table start {self.E[0]:g} GeV")
        with np.errstate(divide="ignore", invalid="ignore"):
            # tau decreases with E: interpolate ln E against ln tau on the reversed table
            ln_target = np.log(np.where(target > 0, target, np.nan))
            lnE0 = np.interp(ln_target, np.log(self._tau[::-1]), self._lnE[::-1])
            above = self._lnE[-1] + np.log(self._tau[-1]) - ln_target
            lnE0 = np.where(ln_target < np.log(self._tau[-1]), above, lnE0)
        return np.where(target > 0, np.exp(lnE0), np.inf)


def _cumulative_from_top(lnE, integrand_per_lnE):
    """int_{E_i}^{E_max} f dlnE on the grid (trapezoid)."""
    steps = 0.5 * (integrand_per_lnE[1:] + integrand_per_lnE[:-1]) * np.diff(lnE)
    return np.concatenate([np.cumsum(steps[::-1])[::-1], [0.0]])


def _vertical(rd2, H):
    """Vertical factor [1/cm] at z = 0 of a source at z = 0 between absorbing planes z = +-H:
    the image series sum_n (-1)^n exp(-(2nH)^2/r^2)/(sqrt(pi) r) for r < 2H, its Poisson dual
    (1/H) sum_k exp(-(2k+1)^2 pi^2 r^2/(16 H^2)) for r >= 2H (both converge fast there)."""
    r = np.sqrt(rd2)
    n = np.arange(-8, 9)
    images = np.sum((-1.0) ** np.abs(n) * np.exp(-((2 * n * H) ** 2) / rd2[..., None]), axis=-1) / np.sqrt(np.pi * rd2)
    k = np.arange(20)
    modes = np.sum(np.exp(-((2 * k + 1) ** 2) * np.pi**2 * rd2[..., None] / (16 * H**2)), axis=-1) / H
    return np.where(r < 2 * H, images, modes)


def _green(d_cm, rd2, halo_half_height_cm=None):
    """exp(-d^2/r_d^2)/(pi^(3/2) r_d^3) [cm^-3] (with absorbing planes at +-H if given)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        rd2 = np.where(rd2 > 0, rd2, np.nan)
        radial = np.exp(-(d_cm**2) / rd2) / (np.pi * rd2)
        if halo_half_height_cm is None:
            vertical = 1.0 / np.sqrt(np.pi * rd2)
        else:
            vertical = _vertical(rd2, halo_half_height_cm)
        return np.nan_to_num(radial * vertical, nan=0.0, posinf=0.0)


def propagated_density(E, distance_kpc: float, age_s: float, spectrum: Callable, transport: LocalTransport,
                       history: Callable | None = None, halo_half_height_kpc: float | None = None,
                       history_scale_s: float | None = None, n_steps: int = 400) -> np.ndarray:
    """Density per unit energy [cm^-3 GeV^-1] at distance d from a source of age ``age_s`` [s].

    ``spectrum(E0)`` [GeV^-1]: particles injected per unit energy (per unit of ``history``).
    ``history`` None: a burst at t = 0 (all of ``spectrum`` injected then).  Otherwise
    ``history(t_emit_s)`` [1/s] weights the emission times 0 <= t_emit <= age (it may be a
    constant for a steady source: with a large age the steady state follows).  A continuous
    source needs d > 0 (the density at the source diverges as 1/d).  ``history_scale_s``: the
    time over which ``history`` changes near t = 0 (tau0 of a spin-down), so the quadrature
    resolves it.  The quadrature (``n_steps`` nodes per part, trapezoid in ln E0) converges
    to 1e-3 at the default; injection above 1e8 GeV is neglected.
    """
    E = np.atleast_1d(np.asarray(E, dtype=float))
    d = float(distance_kpc) * u.kpc
    if not (np.isfinite(d) and d >= 0):
        raise ValueError(f"distance must be >= 0 kpc (got {distance_kpc})")
    if not age_s > 0:
        raise ValueError(f"age must be > 0 (got {age_s} s)")
    H = None if halo_half_height_kpc is None else float(halo_half_height_kpc) * u.kpc
    b_E = transport.loss_rate(E)
    lam_E = transport.diffusion_integral(E)
    if history is None:
        E0 = transport.injection_energy(E, age_s)
        finite = np.isfinite(E0)
        E0f = np.where(finite, E0, E)
        rd2 = 4.0 * (lam_E - transport.diffusion_integral(E0f))
        value = spectrum(E0f) * transport.loss_rate(E0f) / b_E * _green(d, rd2, H)
        return np.where(finite, value, 0.0)
    if d == 0:
        raise ValueError("a continuous source needs an observer at distance > 0")
    # integrate over the injection energy, u = ln(E0/E) log-spaced up to the energy injected
    # at birth (or the table top if the particles injected at birth have cooled below E):
    # dt = tau(E) - tau(E0), dt' = dE0/b(E0), so N = (1/b(E)) int Q(E0) l(age - dt) G E0 du
    E0_birth = transport.injection_energy(E, age_s)
    u_max = np.log(np.minimum(E0_birth, TABLE_RANGE_GEV[1]) / E)
    if np.any(u_max <= 0):
        raise ValueError(f"energies must be below the table top {TABLE_RANGE_GEV[1]:g} GeV")
    # nodes dense near both ends: fresh particles (small u) and those injected at birth
    half = np.geomspace(1e-9, 0.5, n_steps // 2)
    x = np.concatenate([half, 1.0 - half[::-1], [1.0]])
    nodes = [u_max[:, None] * x[None, :]]
    if history_scale_s is not None and history_scale_s < age_s:
        # emission times resolved on the scale of the history (e.g. tau0 of the spin-down)
        emitted = np.geomspace(1e-3 * history_scale_s, age_s, n_steps)
        E0_nodes = transport.injection_energy(E[:, None], age_s - emitted[None, :])
        nodes.append(np.minimum(np.log(np.minimum(E0_nodes, TABLE_RANGE_GEV[1]) / E[:, None]), u_max[:, None]))
    uu = np.sort(np.concatenate(nodes, axis=1), axis=1)
    E0 = E[:, None] * np.exp(uu)
    rd2 = 4.0 * (lam_E[:, None] - transport.diffusion_integral(E0))
    emitted = np.clip(age_s - (transport.cooling_time(E)[:, None] - transport.cooling_time(E0)), 0.0, age_s)
    integrand = spectrum(E0) * history(emitted) * E0 * _green(d, rd2, H) / b_E[:, None]
    return np.trapezoid(integrand, uu, axis=1)


def pulsar_flux(E, pulsars, injection: PulsarInjection, transport: LocalTransport,
                halo_half_height_kpc: float | None = None) -> np.ndarray:
    """Interstellar intensity of e+ (the same for e-) [m^-2 s^-1 sr^-1 GeV^-1] at the Sun from
    ``pulsars`` (a :class:`Pulsar`, a name, or a list of them), summed."""
    if isinstance(pulsars, (Pulsar, str)):
        pulsars = [pulsars]
    E = np.atleast_1d(np.asarray(E, dtype=float))
    total = np.zeros_like(E)
    for p in pulsars:
        p = get_pulsar(p) if isinstance(p, str) else p
        W0 = p.spin_down_energy_erg(injection.tau0_yr) * u.erg
        density = propagated_density(E, p.distance_kpc, p.age_yr * u.yr, injection.spectrum(W0), transport,
                                     injection.history(), halo_half_height_kpc, injection.tau0_yr * u.yr)
        total += density
    return kin.flux_from_density(total, E, kin.SPECIES["positron"].mass)


__all__ = [
    "TABLE_RANGE_GEV",
    "LocalTransport",
    "propagated_density",
    "pulsar_flux",
]
