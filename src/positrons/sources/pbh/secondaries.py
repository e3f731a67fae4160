r"""Secondary e+- and photons of a black hole: the decays of the emitted mu, pi+- and pi0.

equally), so each mu+ gives e+ through the Michel spectrum
(:func:`positrons.decays.muon_to_electron_spectrum`, ``P = 0``); each pi+ gives e+ through
pi+ -> mu+ -> e+ with the muon polarisation (:func:`positrons.decays.pion_to_electron_spectrum`);
pi0 -> gamma gamma gives photons (flat box between ``(E - p)/2`` and ``(E + p)/2``).
Numerics: the decay kernels are tabulated once per process on a fixed grid of parent and
daughter kinetic energies (32 per decade, 1e-7 to 1e3 GeV); the parent integral treats the
parent spectrum as exponential and the kernel as linear between nodes (exact for Boltzmann
tails), with the kinematic threshold of each daughter energy located exactly; the daughter
spectrum is interpolated to the requested energies (monotone cubic in log-log).  pi0 photons
are integrated directly at the requested energies (their spectrum has a cusp at m_pi0/2).
Accuracy against direct quadrature: 1e-3 up to E ~ 15 T, 1-3 % at 20-40 T (tests).  The black
hole is neutral, so the electron and positron spectra are equal.
The mu and pi decay kernels and their kinematic end points are those of
:mod:`positrons.decay_folding` (one folding for the whole package).

Validity: :func:`secondary_spectrum` emits an :class:`~.emission.OutsideValidityWarning`
(not an error) when a hole is hotter than :data:`~.emission.QCD_TEMPERATURE` = 0.2 GeV
(M < 5.3e13 g: quark and gluon jets, neglected here, dominate the secondaries) and when a
requested kinetic energy exceeds the top of the decay grid, 1e3 GeV (the secondaries are set
to zero there).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.interpolate import PchipInterpolator

from ... import constants as const
from ... import decay_folding
from .emission import (QCD_TEMPERATURE, OutsideValidityWarning, EmittedSpecies, _check_particle, _positive,
                       _nonnegative, _species, hawking_temperature, species_spectrum)

# secondary channels: particle -> [(parent species, kernel, fraction of the parent's dof)]
_SECONDARY_CHANNELS = {
    "positron": [("muon", "muon_to_electron", 0.5), ("pion_charged", "pion_to_electron", 0.5)],
    "electron": [("muon", "muon_to_electron", 0.5), ("pion_charged", "pion_to_electron", 0.5)],
    "photon": [("pion_neutral", "pion0_to_photons", 1.0)],
}


#: fixed kinetic-energy grid [GeV] of parents and daughters in the secondary integrals
_GRID_LOG10 = (-7.0, 3.0)
_GRID_PER_DECADE = 32


def _log_grid() -> np.ndarray:
    lo, hi = _GRID_LOG10
    return np.logspace(lo, hi, int(round((hi - lo) * _GRID_PER_DECADE)) + 1)


def _phi(r):
    """(Integral_0^1 e^{rs}(1-s) ds, Integral_0^1 e^{rs} s ds) for r <= 0 (series near 0)."""
    small = np.abs(r) < 1e-3
    rs = np.where(small, -1.0, r)
    em1 = np.expm1(rs)
    phi0 = np.where(small, 0.5 + r / 6.0 + r * r / 24.0, (em1 - rs) / rs**2)
    phi1 = np.where(small, 0.5 + r / 3.0 + r * r / 8.0, (em1 * (rs - 1.0) + rs) / rs**2)
    return phi0, phi1


def _interval_weights(t: np.ndarray, n: np.ndarray):
    """Per interval [t_j, t_j+1]: (a_j, b_j) with Integral K N dt = K_j a_j + K_j+1 b_j, exact for
    N exponential and K linear on the interval; also (n0, n1, r = ln(n1/n0), positive, dt)."""
    dt = np.diff(t).reshape((-1,) + (1,) * (n.ndim - 1))
    n0, n1 = n[:-1], n[1:]
    positive = (n0 > 0) & (n1 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(positive, np.log(np.where(positive, n1, 1.0) / np.where(positive, n0, 1.0)), 0.0)
    # for a rising N use the mirrored formulas (no overflow): n0 phi_k(r) = n1 phi_{1-k}(-r)
    rising = r > 0
    p0, p1 = _phi(-np.abs(r))
    a = np.where(rising, n1 * p1, n0 * p0)
    b = np.where(rising, n1 * p0, n0 * p1)
    # where N vanishes at a node (underflow), N linear instead: K_j (N0/3 + N1/6) + K_j+1 (N0/6 + N1/3)
    a = np.where(positive, a, n0 / 3.0 + n1 / 6.0) * dt
    b = np.where(positive, b, n0 / 6.0 + n1 / 3.0) * dt
    return a, b, (n0, n1, r, positive, dt)


def _parent_quadrature(t: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Vector v with K @ v = Integral_0^inf K(t) N(t) dt for a kernel K sampled at ``t``.

    Exact when N is exponential and K linear on each [t_j, t_j+1] -- so the Boltzmann tails of
    Hawking spectra (N ~ exp(-t/T) over intervals much wider than T) are integrated exactly;
    [0, t_0] adds t_0 N_0 K_0.  ``n`` has shape (len(t), ...) (several masses in columns).
    """
    a, b, _ = _interval_weights(t, n)
    v = np.zeros_like(n, dtype=float)
    v[:-1] += a
    v[1:] += b
    v[0] += t[0] * n[0]
    return v


def _threshold_terms(kernel, t: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Correction weights for the interval holding each threshold row's kinematic threshold.

    Above E_e ~ 53 MeV (mu) or 70 MeV (pi) a daughter energy needs a parent above t_thr, and the
    kernel rises linearly from 0 there; interpolating it linearly from the node below would
    smear it over a region where the parent spectrum is exp((t_thr - t_j)/T) times larger.
    The interval [t_j, t_j+1] holding t_thr = t_j + s0 dt contributes instead
    K_j+1 Integral_{s0}^1 (s - s0)/(1 - s0) N ds dt = K_j+1 c,  c = dt N(s0) w phi_1(r w),  w = 1 - s0.
    Returns ``c - b`` (b: what :func:`_parent_quadrature` gave K_j+1 from that interval), shape
    (len(threshold_rows), M): add ``K[rows, j+1] (c - b)`` to ``K @ v``.
    """
    rows, j, s0 = kernel.threshold_rows, kernel.threshold_index, kernel.threshold_s0
    if rows.size == 0:
        return np.zeros((0,) + n.shape[1:])
    _, b, (n0, n1, r, positive, dt) = _interval_weights(t, n)
    n0, n1, r, positive, dt, b = n0[j], n1[j], r[j], positive[j], dt[j], b[j]
    w = (1.0 - s0)[:, None]
    s0c = s0[:, None]
    rw = r * w
    p0, p1 = _phi(-np.abs(rw))
    exact = np.where(r > 0, n1 * w * p0, n0 * np.exp(np.minimum(r, 0.0) * s0c) * w * p1)
    linear = w * ((n0 + (n1 - n0) * s0c) / 6.0 + n1 / 3.0)
    return np.where(positive, exact, linear) * dt - b


@dataclass(frozen=True)
class _DecayKernel:
    """K[i, j] = dN/dE(T_out_i; parent t_j) and, per row with a kinematic threshold inside the
    grid, the interval j holding it and its position s0 in that interval."""

    matrix: np.ndarray
    threshold_rows: np.ndarray
    threshold_index: np.ndarray
    threshold_s0: np.ndarray


@dataclass(frozen=True)
class _SecondaryMatrices:
    """Decay kernels on the fixed grids: daughter(T_out) = K @ _parent_quadrature(t, N(t)) + threshold correction."""

    t: np.ndarray  # parent kinetic energies [GeV]
    T_out: np.ndarray  # daughter kinetic energies [GeV]
    kernels: dict


def _decay_kernel(matrix: np.ndarray, t: np.ndarray, E_e: np.ndarray, max_energy) -> _DecayKernel:
    """Attach to ``matrix`` the parent threshold of each daughter energy (bisection on ``max_energy``)."""
    lo, hi = np.zeros_like(E_e), np.full_like(E_e, t[-1])
    needs = max_energy(lo) < E_e
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        below = max_energy(mid) < E_e
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    t_thr = 0.5 * (lo + hi)
    inside = needs & (t_thr > t[0]) & (t_thr < t[-1])
    rows = np.nonzero(inside)[0]
    j = np.searchsorted(t, t_thr[rows]) - 1
    s0 = (t_thr[rows] - t[j]) / (t[j + 1] - t[j])
    # the kernel vanishes below the threshold (the node j included): the correction replaces
    # the interval's share entirely
    matrix = matrix.copy()
    matrix[rows, j] = 0.0
    return _DecayKernel(matrix, rows, j, s0)


@lru_cache(maxsize=1)
def _secondary_matrices() -> _SecondaryMatrices:
    """Build the decay kernels once per process (a fraction of a second)."""
    t = _log_grid()
    T_out = _log_grid()
    E_e = T_out + const.m_electron
    mu = decay_folding.decay_matrix(T_out, t, "muon", +1, polarization=0.0)
    pi = decay_folding.decay_matrix(T_out, t, "pion", +1)
    kernels = {
        "muon_to_electron": _decay_kernel(mu, t, E_e, lambda t_mu: decay_folding.max_daughter_energy(t_mu, "muon")),
        "pion_to_electron": _decay_kernel(pi, t, E_e, lambda t_pi: decay_folding.max_daughter_energy(t_pi, "pion")),
    }
    return _SecondaryMatrices(t, T_out, kernels)


def _exp_interval_integrals(g0, g1, dt, s0=0.0):
    """Integral of g over [t_j + s0 dt, t_j + dt], g exponential between g0 = g(t_j) and g1.

    g is taken linear where an end vanishes (underflow) or the two ends are equal.
    """
    positive = (g0 > 0) & (g1 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(positive, np.log(np.where(positive, g1, 1.0) / np.where(positive, g0, 1.0)), 0.0)
    width = 1.0 - s0
    g_start = g0 + (g1 - g0) * s0
    linear = width * (g_start + g1) / 2.0
    flat = np.abs(r) < 1e-6
    rs = np.where(flat, 1.0, r)
    # from the larger end, so nothing overflows: falling g0 e^{r s0} (e^{r w} - 1)/r, rising g1 (1 - e^{-r w})/r
    falling = g0 * np.exp(np.minimum(rs, 0.0) * s0) * np.expm1(np.minimum(rs, 0.0) * width) / np.where(rs < 0, rs, -1.0)
    rising = -g1 * np.expm1(-np.maximum(rs, 0.0) * width) / np.where(rs > 0, rs, 1.0)
    exact = np.where(rs < 0, falling, rising)
    return np.where(positive & ~flat, exact, linear) * dt


def _pion0_photons(E_gamma: np.ndarray, t: np.ndarray, n: np.ndarray) -> np.ndarray:
    """dN_gamma/dE_gamma of pi0 -> gamma gamma at ``E_gamma`` for pi0 spectra ``n`` (len(t), M).

    Each pi0 of momentum p gives two photons spread evenly over [(E - p)/2, (E + p)/2], so
    dN/dE_gamma = 2 Integral_{t_min}^inf N(t) / p(t) dt with
    t_min = (2 E_gamma - m)^2 / (4 E_gamma) (the kinetic energy of the slowest pi0 that reaches
    E_gamma).  g = N/p is taken exponential between grid nodes (exact for Boltzmann tails);
    below t_0, p ~ sqrt(2 m t).  Evaluated directly at ``E_gamma`` (the spectrum has a cusp at
    m/2 that an interpolation would round off).  Returns (len(E_gamma), M).
    """
    m = const.m_pion_neutral
    p = np.sqrt(t * (t + 2.0 * m))[:, None]
    g = n / p
    dt = np.diff(t)[:, None]
    full = _exp_interval_integrals(g[:-1], g[1:], dt)
    above = np.concatenate([np.cumsum(full[::-1], axis=0)[::-1], np.zeros((1, n.shape[1]))])  # Integral_{t_j}^inf
    t_min = (2.0 * E_gamma - m) ** 2 / (4.0 * E_gamma)
    k = np.clip(np.searchsorted(t, t_min) - 1, 0, t.size - 2)  # t[k] < t_min <= t[k+1] inside the grid
    s0 = np.clip((t_min - t[k]) / (t[k + 1] - t[k]), 0.0, 1.0)[:, None]
    inside = above[k + 1] + _exp_interval_integrals(g[k], g[k + 1], dt[k], s0)
    below = above[0] + n[0] * 2.0 * (math.sqrt(t[0]) - np.sqrt(np.minimum(t_min, t[0])))[:, None] / math.sqrt(2.0 * m)
    out = np.where((t_min <= t[0])[:, None], below, inside)
    return 2.0 * np.where((t_min >= t[-1])[:, None], 0.0, out)


def _parent_spectra(species: EmittedSpecies, t: np.ndarray, masses: np.ndarray, tables=None) -> np.ndarray:
    """Primary spectra of ``species`` on parent grid ``t`` for each hole mass: shape (t, M)."""
    return species_spectrum(species, t[:, None], masses[None, :], tables)


def _hot_masses(parent: EmittedSpecies, t: np.ndarray, masses: np.ndarray, weights, tables=None) -> np.ndarray:
    """Mask of the masses whose parent emission can matter (all of them without weights).

    The total emission of a mass is bounded by its spectrum's maximum times the grid width;
    masses whose weighted maximum is below 1e-20 of the largest are left out (a 1e-20 change).
    """
    if weights is None or masses.size == 1:
        return np.ones(masses.shape, dtype=bool)
    # the spectrum peaks at t ~ 4 T: sample a few nodes around it for each mass
    T = hawking_temperature(masses)
    probe = np.clip(T[None, :] * np.array([0.0, 1.0, 3.0, 6.0])[:, None], 0.0, t[-1])
    peak = species_spectrum(parent, probe, masses[None, :], tables).max(axis=0) * np.abs(weights) * np.maximum(T, t[0])
    return peak > 1e-20 * peak.max() if peak.max() > 0 else np.zeros(masses.shape, dtype=bool)


def _secondary(particle: str, E_kin: np.ndarray, masses: np.ndarray, weights: np.ndarray | None, content,
               tables=None) -> np.ndarray:
    """Secondary spectrum at ``E_kin``: (len(E_kin), len(masses)), or (len(E_kin),) summed with ``weights``.

    Decay kernels (mu, pi -> e) act on the fixed daughter grid, then are interpolated to E_kin;
    pi0 -> gamma gamma is evaluated at E_kin directly.  Everything is linear in the parent
    spectra, so with weights the masses are summed before the kernels are applied.
    """
    mats = _secondary_matrices()
    tail = () if weights is not None else masses.shape
    on_grid = np.zeros(mats.T_out.shape + tail)
    direct = np.zeros(E_kin.shape + tail)
    for parent_name, kernel, share in _SECONDARY_CHANNELS[particle]:
        parent = _species(content, parent_name)
        if parent is None:
            continue
        hot = _hot_masses(parent, mats.t, masses, weights, tables)
        if not np.any(hot):
            continue
        n_parent = _parent_spectra(parent, mats.t, masses[hot], tables)

        def combine(per_mass):
            """Sum over the hot masses with the weights, or scatter them into all masses."""
            if weights is not None:
                return per_mass @ weights[hot]
            out = np.zeros(per_mass.shape[:1] + masses.shape)
            out[:, hot] = per_mass
            return out

        if kernel == "pion0_to_photons":
            direct += share * combine(_pion0_photons(np.maximum(E_kin, 1e-300), mats.t, n_parent))
            continue
        decay = mats.kernels[kernel]
        daughters = decay.matrix @ combine(_parent_quadrature(mats.t, n_parent))
        k_next = decay.matrix[decay.threshold_rows, decay.threshold_index + 1]
        correction = combine(_threshold_terms(decay, mats.t, n_parent))
        daughters[decay.threshold_rows] += k_next.reshape((-1,) + (1,) * (correction.ndim - 1)) * correction
        on_grid += share * daughters
    if weights is not None:
        return direct + _interpolate_loglog(mats.T_out, on_grid, E_kin)
    return direct + np.stack([_interpolate_loglog(mats.T_out, on_grid[:, k], E_kin) for k in range(masses.size)], axis=1)


def _interpolate_loglog(T_grid: np.ndarray, values: np.ndarray, E_kin: np.ndarray) -> np.ndarray:
    """Monotone cubic (PCHIP) interpolation in (ln T, ln value); power law below the grid, 0 above."""
    tiny = 1e-300
    positive = values > tiny
    if not np.any(positive):
        return np.zeros_like(E_kin)
    logv = np.log(np.maximum(values, tiny))
    spline = PchipInterpolator(np.log(T_grid), logv, extrapolate=False)
    out = np.zeros_like(E_kin)
    inside = (E_kin >= T_grid[0]) & (E_kin <= T_grid[-1])
    out[inside] = np.exp(spline(np.log(E_kin[inside])))
    below = (E_kin < T_grid[0]) & (E_kin > 0)
    if np.any(below) and positive[0] and positive[1]:
        slope = (logv[1] - logv[0]) / math.log(T_grid[1] / T_grid[0])
        out[below] = values[0] * (E_kin[below] / T_grid[0]) ** slope
    out[out <= 1e-290] = 0.0
    return out


def _warn_outside_validity(E_kin: np.ndarray, masses: np.ndarray, weights=None) -> None:
    """OutsideValidityWarning for holes hotter than QCD_TEMPERATURE or energies above the decay grid."""
    used = masses if weights is None else masses[np.asarray(weights) != 0]
    if used.size and hawking_temperature(used.min()) > QCD_TEMPERATURE:
        warnings.warn(f"a hole of {used.min():.3g} g has T = {hawking_temperature(used.min()):.3g} GeV > "
                      f"{QCD_TEMPERATURE:g} GeV: the emission of quarks and gluons and their jets (MacGibbon & Webber "
                      "1990) is neglected, so the secondaries are incomplete", OutsideValidityWarning, stacklevel=3)
    top = 10.0 ** _GRID_LOG10[1]
    if np.any(E_kin > top):
        warnings.warn(f"kinetic energies above {top:g} GeV (up to {np.max(E_kin):.3g} GeV) lie beyond the decay grid: "
                      "the secondary spectrum is set to zero there", OutsideValidityWarning, stacklevel=3)


def secondary_spectrum(particle: str, E_kin, mass, content="standard", tables=None):
    """Secondary d2N/dt dE_kin [GeV^-1 s^-1 per hole] from the decays of emitted mu, pi (e+-) or pi0 (photons).

    ``E_kin`` [GeV] is 0- or 1-D; ``mass`` [g] a number (for several masses call
    :func:`spectrum` with ``weights``).  Warns outside validity (module docstring).
    """
    particle = _check_particle(particle)
    mass = _positive(mass, "black-hole mass")
    if np.ndim(mass) != 0:
        raise ValueError("secondary_spectrum takes one mass; use spectrum(..., weights=...) for several")
    E_kin = _nonnegative(E_kin, "kinetic energy")
    _warn_outside_validity(np.atleast_1d(E_kin), np.array([mass]))
    out = _secondary(particle, np.atleast_1d(E_kin).astype(float), np.array([mass]), None, content, tables)[:, 0]
    return out.reshape(np.shape(E_kin)) if np.ndim(E_kin) else float(out[0])
