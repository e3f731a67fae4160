r"""Antiproton production and destruction cross sections (Galactic secondary antiprotons).

**Production, di Mauro, Donato, Goudelis & Serpico (2014, PRD 90, 085017, arXiv:1408.0288),
their parametrisation II** (fitted to NA49 and earlier p + p -> p̄ + X data): the Lorentz-invariant
cross section of prompt antiprotons

    E d^3sigma/dp^3 = sigma_in(s) (1 - x_R)^C1 exp(-C2 x_R)
                      [C3 sqrt(s)^C4 exp(-C5 p_T) + C6 sqrt(s)^C7 exp(-C8 p_T^2)]   [mb GeV^-2 c^3]

with x_R = E*/E*_max the radial scaling variable (E* the p̄ energy in the centre of mass,
E*_max = (s - 8 m_p^2) / (2 sqrt(s))), p_T [GeV/c] and sigma_in = sigma_tot - sigma_el of p + p
in the form of the paper (Z + B ln^2(s/s_M) + Y1 (s_M/s)^eta1 - Y2 (s_M/s)^eta2, s_M = (2 m_p + M)^2,
B = pi (hbar c)^2 / M^2).  The constants are those of the paper as implemented in XS4GCR
(C. Evoli, MIT; read for the numbers only).  The lab spectrum is

    dsigma/dT = 2 pi p ∫ d cos(theta) E d^3sigma/dp^3,

times ``PBAR_TOTAL_FACTOR`` = 2.3 for the antiprotons from antineutron (isospin-enhanced) and
hyperon decays (the factor adopted with this parametrisation in XS4GCR; di Mauro et al. 2014
discuss 2 x (1 + ~15 %)).  Helium: the nuclear scaling of :func:`nuclear_factor`.

**Destruction, Tan & Ng (1983, J. Phys. G 9, 227)**: p̄ + p total inelastic (annihilation plus
non-annihilating) and annihilation cross sections [mb] of the p̄ kinetic energy T [GeV]:

    sigma_inel = 24.7 (1 + 0.584 T^-0.115 + 0.856 T^-0.566)
    sigma_ann  = 661 (1 + 0.0115 T^-0.774 - 0.948 T^0.0151)   (T < 15.5 GeV),  36 T^-0.5 above.

Non-annihilating collisions redistribute the p̄ uniformly below their energy ("tertiaries",
dsigma/dT = sigma_non-ann(T') / T').  On He the p̄ cross sections are scaled by 4^(2/3)
(geometric; our choice).
"""

from __future__ import annotations

import numpy as np

from .. import constants as const

__all__ = ["dimauro2014_invariant", "dimauro2014_dsigma_dT", "pp_inelastic_dimauro_mb", "tan_ng_inelastic_mb",
           "tan_ng_annihilation_mb", "tan_ng_non_annihilating_mb", "nuclear_factor", "PBAR_TOTAL_FACTOR",
           "PBAR_HE_TARGET_FACTOR", "production_matrix"]

#: prompt p̄ -> all p̄ (antineutrons and hyperons), used with the di Mauro et al. parametrisation
PBAR_TOTAL_FACTOR = 2.3
#: p̄ + He / p̄ + p cross sections (geometric 4^(2/3); our choice)
PBAR_HE_TARGET_FACTOR = 4.0 ** (2.0 / 3.0)

_M_P = const.m_proton
_HBARC2_MB = 0.389379  # (hbar c)^2 [GeV^2 mb]
_C = (4.49878, 3.40740, 9.41840e-03, 4.44547e-01, 3.50178, 6.22119e-02, -2.47658e-01, 2.57568)


def _regge(s, Z, M, Y1, Y2, eta1, eta2):
    s_M = (2.0 * 0.938 + M) ** 2
    B = np.pi * _HBARC2_MB / M**2
    return Z + B * np.log(s / s_M) ** 2 + Y1 * (s_M / s) ** eta1 - Y2 * (s_M / s) ** eta2


def pp_inelastic_dimauro_mb(s) -> np.ndarray:
    """sigma_tot - sigma_el of p + p [mb] at the Mandelstam s [GeV^2] (di Mauro et al. 2014)."""
    s = np.asarray(s, dtype=float)
    return _regge(s, 33.44, 2.06, 13.53, 6.38, 0.324, 0.324) - _regge(s, 144.98, 3.06, 2.64, 137.27, 1.57, -4.65e-3)


def dimauro2014_invariant(sqrt_s, x_R, p_T) -> np.ndarray:
    """E d^3sigma/dp^3 [mb GeV^-2 c^3] of prompt p̄ in p + p (parametrisation II); 0 for x_R >= 1."""
    sqrt_s, x_R, p_T = (np.asarray(v, dtype=float) for v in (sqrt_s, x_R, p_T))
    C1, C2, C3, C4, C5, C6, C7, C8 = _C
    x = np.clip(x_R, 0.0, 1.0)
    f = (1.0 - x) ** C1 * np.exp(-C2 * x) * (C3 * sqrt_s**C4 * np.exp(-C5 * p_T) + C6 * sqrt_s**C7 * np.exp(-C8 * p_T**2))
    return np.where(x_R < 1.0, pp_inelastic_dimauro_mb(sqrt_s**2) * f, 0.0)


def dimauro2014_dsigma_dT(T_p, T_pbar, n_angles: int = 400, total: bool = True) -> np.ndarray:
    """dsigma/dT [mb/GeV] of p + p -> p̄ + X for proton kinetic energies ``T_p`` [GeV] (shape
    (n,)) and p̄ kinetic energies ``T_pbar`` [GeV] (shape (m,)): array (n, m).  ``total``:
    times :data:`PBAR_TOTAL_FACTOR` (antineutrons, hyperons); zero below the threshold T_p = 6 m_p."""
    T_p = np.atleast_1d(np.asarray(T_p, dtype=float))
    T_pbar = np.atleast_1d(np.asarray(T_pbar, dtype=float))
    s = 2.0 * _M_P * (T_p + 2.0 * _M_P)  # (n,)
    sqrt_s = np.sqrt(s)
    gamma = sqrt_s / (2.0 * _M_P)
    beta_gamma = np.sqrt(np.maximum(s - 4.0 * _M_P**2, 0.0)) / (2.0 * _M_P)
    E = T_pbar + _M_P
    p = np.sqrt(T_pbar * (T_pbar + 2.0 * _M_P))
    # cos(theta) nodes, dense near 1 (the forward peak): Gauss-Legendre in u with cos = 1 - 2 u^2
    u, w = np.polynomial.legendre.leggauss(n_angles)
    u = 0.5 * (u + 1.0)
    w = 0.5 * w
    cos = 1.0 - 2.0 * u**2
    dcos = 4.0 * u * w
    sin = np.sqrt(np.maximum(1.0 - cos**2, 0.0))
    Ecm = gamma[:, None, None] * E[None, :, None] - beta_gamma[:, None, None] * p[None, :, None] * cos[None, None, :]
    Emax = (s - 8.0 * _M_P**2) / (2.0 * sqrt_s)
    with np.errstate(divide="ignore", invalid="ignore"):
        x_R = np.where(Emax[:, None, None] > 0, Ecm / Emax[:, None, None], 2.0)
    p_T = p[None, :, None] * sin[None, None, :]
    inv = dimauro2014_invariant(sqrt_s[:, None, None], x_R, p_T)
    out = 2.0 * np.pi * p[None, :] * np.sum(inv * dcos[None, None, :], axis=2)
    out = np.where((T_p >= 6.0 * _M_P)[:, None], out, 0.0)
    return out * (PBAR_TOTAL_FACTOR if total else 1.0)


def nuclear_factor(projectile: str, target: str) -> float:
    """sigma(A1 + A2 -> p̄) / sigma(p + p -> p̄) at equal energy per nucleon, per projectile
    nucleus: (A1 A2)^0.9 (our choice: within ~10 % of the AAfrag ratios -- 3.2-3.9 for p + He and
    He + p, 10-12 for He + He -- at 20-1000 GeV/n, see docs/nuclei.md; the p̄ spectrum shape is
    taken from p + p)."""
    A = {"p": 1, "He": 4}
    return float((A[projectile] * A[target]) ** 0.9)


def tan_ng_inelastic_mb(T) -> np.ndarray:
    """p̄ + p total inelastic cross section [mb] (Tan & Ng 1983) at p̄ kinetic energy T [GeV]."""
    T = np.maximum(np.asarray(T, dtype=float), 1e-3)
    return 24.7 * (1.0 + 0.584 * T**-0.115 + 0.856 * T**-0.566)


def tan_ng_annihilation_mb(T) -> np.ndarray:
    """p̄ + p annihilation cross section [mb] (Tan & Ng 1983)."""
    T = np.maximum(np.asarray(T, dtype=float), 1e-3)
    low = 661.0 * (1.0 + 0.0115 * T**-0.774 - 0.948 * T**0.0151)
    return np.where(T < 15.5, low, 36.0 * T**-0.5)


def tan_ng_non_annihilating_mb(T) -> np.ndarray:
    """sigma_inel - sigma_ann [mb], >= 0: the collisions that leave a (tertiary) p̄."""
    return np.maximum(tan_ng_inelastic_mb(T) - tan_ng_annihilation_mb(T), 0.0)


def production_matrix(dsigma_dT, T_primary, T_pbar) -> np.ndarray:
    """K[j, i] = dsigma/dT(T_primary[i] -> T_pbar[j]) x the log-trapezoid weight of T_primary[i]
    [mb]: ``K @ (beta c N_primary)`` integrates the production over the primary spectrum.
    ``dsigma_dT(T_primary, T_pbar) -> (n_primary, n_pbar)`` [mb/GeV]."""
    T_primary = np.asarray(T_primary, dtype=float)
    x = np.log(T_primary)
    w = np.zeros_like(x)
    w[1:] += 0.5 * np.diff(x)
    w[:-1] += 0.5 * np.diff(x)
    return (np.asarray(dsigma_dT(T_primary, T_pbar)) * (w * T_primary)[:, None]).T
