"""Kelner, Aharonian & Bugayov (2006) e+- spectra of p + p collisions above 100 GeV.

S. R. Kelner, F. A. Aharonian & V. V. Bugayov, PRD 74, 034018 (2006), astro-ph/0606058
(erratum PRD 79, 039901 (2009), which concerns the pion-spectrum parametrisation; the
lepton formulas used here are the ones carried unchanged by every public implementation).

Fits to SIBYLL simulations, valid for proton energies E_p >= 0.1 TeV and lepton energy
fractions x = E_e/E_p >= 1e-3 (Eqs. 62-65):

    F_e(x, E_p) = B_e (1 + k_e ln^2 x)^3 / (x (1 + 0.3 / x^beta_e)) (-ln x)^5
    B_e    = 1 / (69.5 + 2.65 L + 0.3 L^2)
    beta_e = (0.201 + 0.062 L + 0.00042 L^2)^(-1/4)
    k_e    = (0.279 + 0.141 L + 0.0172 L^2) / (0.3 + (2.3 + L)^2),   L = ln(E_p / TeV)

``F_e dx`` counts electrons AND positrons per inelastic collision (energy bookkeeping: the
lepton/neutrino energy ratio of the fit equals that of pi -> mu -> e decays only if both
charges are included).  With the inelastic cross section of Eq. 79,
``sigma_inel = (34.3 + 1.88 L + 0.25 L^2) [1 - (E_th/E_p)^4]^2`` mb, E_th = 1.22 GeV,
``dsigma/dE_e = sigma_inel F_e(E_e/E_p) / E_p``.

The paper does not separate e+ from e-.  This module splits the sum with the e+ share of
Kamae et al. (2006) at the same (T_p, E_e) (:func:`positron_share`); that choice is ours and
is named in the model's description.
"""

from __future__ import annotations

import numpy as np

from .. import constants as const
from . import kamae2006

E_P_MIN = 100.0  # GeV, total proton energy (Sect. IV of the paper)
X_MIN = 1e-3
_E_THRESHOLD = 1.22  # GeV, total energy: m_p + 2 m_pi + m_pi^2 / (2 m_p)


def sigma_inelastic(E_p):
    """Inelastic p + p cross section [mb] of Kelner et al. Eq. 79; ``E_p`` total energy [GeV]."""
    E_p = np.asarray(E_p, dtype=float)
    L = np.log(E_p / 1e3)
    threshold = np.clip(1.0 - (_E_THRESHOLD / E_p) ** 4, 0.0, None) ** 2
    return (34.3 + 1.88 * L + 0.25 * L * L) * threshold


def lepton_spectrum(x, E_p):
    """F_e(x, E_p): e+ + e- per collision per unit x (Eq. 62); ``E_p`` total energy [GeV]."""
    x = np.asarray(x, dtype=float)
    L = np.log(np.asarray(E_p, dtype=float) / 1e3)
    B = 1.0 / (69.5 + 2.65 * L + 0.3 * L * L)
    beta = (0.201 + 0.062 * L + 0.00042 * L * L) ** -0.25
    k = (0.279 + 0.141 * L + 0.0172 * L * L) / (0.3 + (2.3 + L) ** 2)
    inside = (x > 0) & (x < 1)
    xs = np.where(inside, x, 0.5)
    lnx = np.log(xs)
    F = B * (1.0 + k * lnx * lnx) ** 3 / (xs * (1.0 + 0.3 / xs**beta)) * (-lnx) ** 5
    return np.where(inside, F, 0.0)


def positron_share(T_p, E_e):
    """e+ / (e+ + e-) of Kamae et al. 2006 at proton kinetic energy T_p and lepton energy E_e."""
    pos = kamae2006.e_dsigma_dE(T_p, E_e, "positron")
    ele = kamae2006.e_dsigma_dE(T_p, E_e, "electron")
    total = pos + ele
    return np.where(total > 0, pos / np.where(total > 0, total, 1.0), 0.5)


def dsigma_dE(T_p, E_e, lepton: str):
    """dsigma/dE_e [mb/GeV] for p + p -> e(lepton) + X; ``T_p`` kinetic [GeV], ``E_e`` [GeV]."""
    if lepton not in ("positron", "electron"):
        raise ValueError(f"lepton must be 'positron' or 'electron', got {lepton!r}")
    T_p = np.asarray(T_p, dtype=float)
    E_e = np.asarray(E_e, dtype=float)
    E_p = T_p + const.m_proton
    total = sigma_inelastic(E_p) * lepton_spectrum(E_e / E_p, E_p) / E_p
    share = positron_share(np.minimum(T_p, kamae2006.T_MAX), E_e)
    return total * (share if lepton == "positron" else 1.0 - share)
