"""Decay kernels of the pi -> mu -> e chain, exact at any parent energy.

All energies are TOTAL energies in GeV (``E = T + m``); a spectrum ``dN/dE`` is per unit
total energy, which equals the spectrum per unit kinetic energy.  Every kernel is
normalised to one daughter per parent decay and broadcasts numpy-style over its arguments,
so ``kernel(E_daughter[:, None], E_parent[None, :])`` is a response matrix.

Physics (Kelner, Aharonian & Bugayov 2006, PRD 74, 034018, astro-ph/0606058; Moskalenko & Strong
1998, ApJ 493, 694, astro-ph/9710124):

* **pi -> mu nu** (two-body).  In the pion rest frame the muon has
  ``E* = (m_pi^2 + m_mu^2) / (2 m_pi)`` and ``p* = (m_pi^2 - m_mu^2) / (2 m_pi)``.  Isotropic
  emission makes the lab muon energy uniform on ``[gamma (E* - beta p*), gamma (E* + beta p*)]``.
  The muon is fully polarised in the pion frame: helicity ``h = -1`` for mu+ from pi+
  and ``h = +1`` for mu- from pi- (V-A; the neutrino is left-handed).  Its longitudinal
  polarisation along the LAB momentum, measured in the muon rest frame, follows from the
  scalar product of the two longitudinal spin four-vectors (derived in ``docs/decays.md``)::

      P_L = h (E* E_mu - m_mu^2 gamma_pi) / (p* p_mu)

  which reduces for E_pi >> m_pi to ``h (1 + r - 2 r / x) / (1 - r)`` with ``x = E_mu/E_pi``
  and ``r = (m_mu/m_pi)^2`` (Lipari 1993, Astropart. Phys. 1, 195; Kelner et al. 2006).
* **mu -> e nu nu** (three-body, Michel spectrum with the electron mass, Standard Model
  values rho = delta = 3/4, eta = 0, xi = 1; PDG review "Muon decay parameters",
  Eq. 1-3).  With ``W = (m_mu^2 + m_e^2) / (2 m_mu)``, ``x = E_e/W``, ``x0 = m_e/W``::

      d^2N/dx dcos(theta) = C sqrt(x^2 - x0^2) [F_IS(x) + q P cos(theta) F_AS(x)]
      F_IS = x/2 - x^2/3 - x0^2/6
      F_AS = (1/3) sqrt(x^2 - x0^2) (x - 1/2 + (sqrt(1 - x0^2) - 1)/2)

  ``theta`` is the angle between the electron and the muon spin, ``q = +1`` for mu+ -> e+
  (the positron follows the spin) and ``q = -1`` for mu- -> e-.  Radiative corrections
  (order alpha/pi ~ 0.2 %) are neglected.
* **Exact boost.**  Boosting along the muon momentum with (gamma, beta), an electron of
  rest-frame energy ``eps = W x`` and momentum ``k`` reaches lab energy
  ``E = gamma (eps + beta k cos(theta))``, so ``dcos(theta) = dE / (gamma beta k)`` and the
  factor ``sqrt(x^2 - x0^2)`` cancels against ``k``::

      dN/dE = C / (gamma beta W) * Integral_{x_lo}^{x_hi} dx
              [F_IS(x) + q P (x - c) (E/(gamma W) - x) / (3 beta)],   c = 1/2 - (sqrt(1-x0^2)-1)/2

  with ``[x_lo, x_hi] = [gamma (E - beta p_e), gamma (E + beta p_e)] / W`` clipped to
  ``[x0, 1]``.  The integrand is a quadratic polynomial: a 3-point Gauss-Legendre rule is
  exact, and no ultra-relativistic approximation is made.  For E_mu >> m_mu it tends to
  ``f(y) = 5/3 - 3 y^2 + 4/3 y^3  -  q P (1/3 - 3 y^2 + 8/3 y^3)``, ``y = E/E_mu``.
* **pi -> mu -> e**: the muon kernel averaged over the flat muon spectrum with the
  energy-dependent polarisation, integrated by Gauss-Legendre on the sub-intervals between
  the kinks of the integrand (located analytically in rapidity), in the muon rapidity so
  that the 1/p_mu behaviour of the polarisation near a muon at rest is smooth; the
  quadrature converges exponentially and ``n_nodes`` sets its accuracy.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy import integrate

from . import constants as const
from .quadrature import gauss_legendre

#: muon energy in the pion rest frame [GeV]
E_MU_STAR = (const.m_pion_charged**2 + const.m_muon**2) / (2.0 * const.m_pion_charged)
#: muon momentum in the pion rest frame [GeV]
P_MU_STAR = (const.m_pion_charged**2 - const.m_muon**2) / (2.0 * const.m_pion_charged)
#: (m_mu / m_pi)^2: the lowest fraction of the pion energy an ultra-relativistic muon takes
R_PION = (const.m_muon / const.m_pion_charged) ** 2

#: largest electron energy in the muon rest frame [GeV]
W_MICHEL = (const.m_muon**2 + const.m_electron**2) / (2.0 * const.m_muon)
_X0 = const.m_electron / W_MICHEL
_C_ASYM = 0.5 - 0.5 * (np.sqrt(1.0 - _X0**2) - 1.0)

# below this velocity a parent is treated as at rest (the boost formulas divide by beta)
_BETA_AT_REST = 1e-7

_GL3_NODES, _GL3_WEIGHTS = np.polynomial.legendre.leggauss(3)


def _charge_sign(charge: int) -> int:
    if charge not in (+1, -1):
        raise ValueError(f"charge must be +1 or -1, got {charge!r}")
    return charge


def _lorentz(E, mass):
    """gamma, beta and momentum [GeV] of total energy E; refuses E < mass."""
    E = np.asarray(E, dtype=float)
    if np.any(E < mass * (1.0 - 1e-12)):
        raise ValueError(f"total energy below the rest mass {mass} GeV")
    gamma = np.maximum(E / mass, 1.0)
    beta = np.sqrt(np.maximum(1.0 - 1.0 / gamma**2, 0.0))
    return gamma, beta, mass * gamma * beta


# --- pi -> mu nu --------------------------------------------------------------------------


def pion_to_muon_range(E_pi):
    """Lab muon energy range [GeV] ``(E_min, E_max)`` in pi -> mu nu for pion energy E_pi."""
    gamma, beta, _ = _lorentz(E_pi, const.m_pion_charged)
    return gamma * (E_MU_STAR - beta * P_MU_STAR), gamma * (E_MU_STAR + beta * P_MU_STAR)


def pion_to_muon_spectrum(E_mu, E_pi):
    """dN/dE_mu [GeV^-1] of pi -> mu nu for a pion of total energy E_pi [GeV].

    Uniform on :func:`pion_to_muon_range`; normalised to one muon.  A pion at rest gives a
    line at ``E*`` that a density cannot represent: E_pi must exceed m_pi.
    """
    E_mu = np.asarray(E_mu, dtype=float)
    gamma, beta, _ = _lorentz(E_pi, const.m_pion_charged)
    if np.any(beta < _BETA_AT_REST):
        raise ValueError("pion at rest: the muon line at E* has no density; use E_pi > m_pi")
    lo = gamma * (E_MU_STAR - beta * P_MU_STAR)
    hi = gamma * (E_MU_STAR + beta * P_MU_STAR)
    inside = (E_mu >= lo) & (E_mu <= hi)
    return np.where(inside, 1.0 / (2.0 * gamma * beta * P_MU_STAR), 0.0)


def muon_polarization_from_pion(E_mu, E_pi, charge: int):
    """Longitudinal polarisation of the muon along its lab momentum (muon rest frame).

    ``charge`` is that of the pion (+1: mu+ with helicity -1 in the pion frame).  Values lie
    in [-1, 1]; formula in the module docstring.
    """
    h = -_charge_sign(charge)
    gamma_pi, _, _ = _lorentz(E_pi, const.m_pion_charged)
    _, _, p_mu = _lorentz(E_mu, const.m_muon)
    num = E_MU_STAR * np.asarray(E_mu, dtype=float) - const.m_muon**2 * gamma_pi
    with np.errstate(divide="ignore", invalid="ignore"):
        pol = np.where(p_mu > 0, num / (P_MU_STAR * np.where(p_mu > 0, p_mu, 1.0)), 0.0)
    return h * np.clip(pol, -1.0, 1.0)


# --- mu -> e nu nu --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _michel_normalisation() -> float:
    """C such that the rest-frame Michel distribution integrates to one."""
    integral, _ = integrate.quad(
        lambda x: np.sqrt(x * x - _X0**2) * (x / 2 - x * x / 3 - _X0**2 / 6), _X0, 1.0,
        epsabs=0.0, epsrel=1e-13,
    )
    return 1.0 / (2.0 * integral)


def michel_rest_frame(E_e, polarization=0.0, cos_theta=None, charge: int = +1):
    """Michel spectrum in the muon rest frame.

    Without ``cos_theta``: dN/dE_e [GeV^-1] integrated over angles (independent of the
    polarisation).  With ``cos_theta`` (angle to the spin): d^2N/dE_e dcos(theta).
    ``E_e`` is the electron total energy [GeV], between m_e and ``W_MICHEL``.
    """
    q = _charge_sign(charge)
    x = np.asarray(E_e, dtype=float) / W_MICHEL
    inside = (x >= _X0) & (x <= 1.0)
    xs = np.clip(x, _X0, 1.0)
    root = np.sqrt(xs * xs - _X0**2)
    f_is = xs / 2 - xs * xs / 3 - _X0**2 / 6
    C = _michel_normalisation()
    if cos_theta is None:
        return np.where(inside, 2.0 * C * root * f_is / W_MICHEL, 0.0)
    f_as = root * (xs - _C_ASYM) / 3.0
    dens = C * root * (f_is + q * np.asarray(polarization) * np.asarray(cos_theta) * f_as)
    return np.where(inside, dens / W_MICHEL, 0.0)


def muon_to_electron_spectrum(E_e, E_mu, polarization=0.0, charge: int = +1):
    """dN/dE_e [GeV^-1] of mu -> e nu nu in the lab, exact boost.

    Parameters
    ----------
    E_e : array_like
        Electron (positron) total energy [GeV].
    E_mu : array_like
        Muon total energy [GeV].
    polarization : array_like
        Longitudinal polarisation of the muon along its lab momentum, in [-1, 1]
        (e.g. :func:`muon_polarization_from_pion`); 0 for an unpolarised muon.
    charge : {+1, -1}
        Muon charge: +1 for mu+ -> e+, -1 for mu- -> e-.
    """
    q = _charge_sign(charge)
    E_e = np.asarray(E_e, dtype=float)
    pol = np.asarray(polarization, dtype=float)
    if np.any(np.abs(pol) > 1.0 + 1e-12):
        raise ValueError("polarization must lie in [-1, 1]")
    gamma, beta, _ = _lorentz(E_mu, const.m_muon)
    E_e, gamma, beta, pol = np.broadcast_arrays(E_e, gamma, beta, pol)
    p_e = np.sqrt(np.maximum(E_e * E_e - const.m_electron**2, 0.0))
    at_rest = beta < _BETA_AT_REST
    b = np.where(at_rest, 1.0, beta)  # placeholder where the rest formula is used

    x_lo = np.maximum(gamma * (E_e - b * p_e) / W_MICHEL, _X0)
    x_hi = np.minimum(gamma * (E_e + b * p_e) / W_MICHEL, 1.0)
    width = np.maximum(x_hi - x_lo, 0.0)
    mid = 0.5 * (x_lo + x_hi)
    a = E_e / (gamma * W_MICHEL)
    total = np.zeros_like(width)
    for node, weight in zip(_GL3_NODES, _GL3_WEIGHTS):
        x = mid + 0.5 * width * node
        f = x / 2 - x * x / 3 - _X0**2 / 6 + q * pol * (x - _C_ASYM) * (a - x) / (3.0 * b)
        total += 0.5 * width * weight * f
    boosted = _michel_normalisation() * total / (gamma * b * W_MICHEL)
    boosted = np.where(E_e >= const.m_electron, boosted, 0.0)
    if np.any(at_rest):
        boosted = np.where(at_rest, michel_rest_frame(E_e, charge=q), boosted)
    return np.maximum(boosted, 0.0) if boosted.ndim else float(max(boosted, 0.0))


def muon_to_electron_range(E_mu):
    """Largest lab electron energy [GeV] from a muon of total energy E_mu [GeV]."""
    gamma, beta, _ = _lorentz(E_mu, const.m_muon)
    k_max = np.sqrt(W_MICHEL**2 - const.m_electron**2)
    return gamma * (W_MICHEL + beta * k_max)


# --- pi -> mu -> e --------------------------------------------------------------------------


def _kink_muon_rapidities(E_e):
    """Muon rapidities where the muon kernel at electron energy E_e has a kink.

    With the electron rapidity zeta (E_e = m_e cosh zeta) and W = m_e cosh xi, the limits
    of the x integral hit x0 or 1 when the muon rapidity is zeta, |zeta - xi| or zeta + xi.
    """
    zeta = np.arccosh(np.maximum(E_e / const.m_electron, 1.0))
    xi = np.arccosh(W_MICHEL / const.m_electron)
    return np.stack([zeta, np.abs(zeta - xi), zeta + xi])


def pion_to_electron_spectrum(E_e, E_pi, charge: int = +1, n_nodes: int = 12):
    """dN/dE_e [GeV^-1] of pi -> mu -> e (lab), with the muon polarisation.

    ``charge`` is that of the pion (+1: pi+ -> e+).  ``E_e`` and ``E_pi`` are total
    energies [GeV] and broadcast against each other.  The muon-energy integral uses
    ``n_nodes`` Gauss-Legendre points on each of up to four smooth sub-intervals (in muon
    rapidity).  The default reaches a relative accuracy of 1e-9 or better, except within
    ~1 MeV of E_pi = m_pi E*/m_mu ~ 145 MeV (where the muon can be born at rest in the lab)
    where it is 1e-5 (see tests).
    """
    q = _charge_sign(charge)
    E_e = np.asarray(E_e, dtype=float)
    gamma_pi, beta_pi, _ = _lorentz(E_pi, const.m_pion_charged)
    E_e, gamma_pi, beta_pi = np.broadcast_arrays(E_e, gamma_pi, beta_pi)
    result = np.zeros(E_e.shape)
    # only pairs inside the kinematic range cost anything (on a log grid about half are not)
    hi = gamma_pi * (E_MU_STAR + beta_pi * P_MU_STAR)
    live = (E_e >= const.m_electron) & (E_e <= muon_to_electron_range(hi))
    if np.any(live):
        result[live] = _pion_chain_live(E_e[live], gamma_pi[live], beta_pi[live], q, n_nodes)
    return result


def _pion_chain_live(E_e, gamma_pi, beta_pi, q, n_nodes):
    """pi -> mu -> e for 1-D arrays of pairs inside the kinematic range."""
    E_pi_b = gamma_pi * const.m_pion_charged
    at_rest = beta_pi < _BETA_AT_REST
    lo = gamma_pi * (E_MU_STAR - beta_pi * P_MU_STAR)
    hi = gamma_pi * (E_MU_STAR + beta_pi * P_MU_STAR)
    # integrate in muon rapidity eta (E_mu = m_mu cosh eta): the polarisation ~ 1/p_mu and
    # the kernel are smooth in eta, also where the muon can be at rest in the lab
    eta_lo = np.arccosh(np.maximum(lo / const.m_muon, 1.0))
    eta_hi = np.arccosh(np.maximum(hi / const.m_muon, 1.0))
    breaks = np.concatenate([eta_lo[None], np.clip(_kink_muon_rapidities(E_e), eta_lo, eta_hi), eta_hi[None]])
    breaks.sort(axis=0)

    nodes, weights = gauss_legendre(n_nodes)
    total = np.zeros(E_e.shape)
    span = np.where(at_rest, 1.0, hi - lo)
    for i in range(breaks.shape[0] - 1):
        a, b = breaks[i], breaks[i + 1]
        half = 0.5 * (b - a)
        if not np.any(half > 0):
            continue
        for node, weight in zip(nodes, weights):
            eta = 0.5 * (a + b) + half * node
            E_mu = const.m_muon * np.cosh(eta)
            pol = muon_polarization_from_pion(E_mu, E_pi_b, q)
            jacobian = const.m_muon * np.sinh(eta)  # dE_mu / d eta
            total += half * weight * jacobian * muon_to_electron_spectrum(E_e, E_mu, pol, q)
    result = total / span
    if np.any(at_rest):
        # pion at rest: a muon line at E* with helicity -q
        line = muon_to_electron_spectrum(E_e, E_MU_STAR, -q, q)
        result = np.where(at_rest, line, result)
    return result
