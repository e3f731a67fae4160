"""Adaptor to ``aafragpy`` (Koldobskiy et al. 2021, PRD 104, 123027; MIT, optional: ``pip install
positrons[aafrag]``): AAfrag production cross sections of antiprotons (p̄ + n̄, the antineutrons
decaying into p̄) and e± in p + p, p + He, He + p, He + He, and aafragpy's own Kamae et al. 2006.

Conventions: projectile kinetic energy per nucleon ``T_n`` [GeV/n] (aafragpy takes the total
energy of the projectile nucleus, E = A (T_n) + M), secondary kinetic energy [GeV];
cross sections dsigma/dT [mb/GeV] per projectile nucleus.  Outside the AAfrag tables
(projectile energies below ~4 GeV for p, ~5 GeV for He) the cross sections are zero
(AAfrag starts where the p̄ threshold region ends; our spectra lose the p̄ from the first
GeV/n above threshold).
"""

from __future__ import annotations

import warnings

import numpy as np

from .. import constants as const

__all__ = ["aafrag_available", "aafrag_dsigma_dT", "REACTIONS"]

REACTIONS = ("p-p", "p-He", "He-p", "He-He")
_MASS = {"p": const.m_proton, "He": const.m_helium4}
_A = {"p": 1, "He": 4}
_SECONDARY = {"antiproton": ("ap", "an"), "positron": ("posi",), "electron": ("el",)}


def aafrag_available() -> bool:
    """True if ``aafragpy`` can be imported."""
    try:
        import aafragpy  # noqa: F401
    except ImportError:
        return False
    return True


def aafrag_dsigma_dT(T_n, T_secondary, reaction: str = "p-p", secondary: str = "antiproton") -> np.ndarray:
    """dsigma/dT [mb/GeV] of ``reaction`` (``"p-p"``, ``"p-He"``, ``"He-p"``, ``"He-He"``) for
    projectile kinetic energies per nucleon ``T_n`` [GeV/n] (n,) and secondary kinetic energies
    ``T_secondary`` [GeV] (m,): array (n, m).  ``secondary``: antiproton (p̄ + n̄), positron,
    electron."""
    if reaction not in REACTIONS:
        raise ValueError(f"reaction must be one of {', '.join(REACTIONS)} (got {reaction!r})")
    try:
        import aafragpy
    except ImportError as exc:
        raise ImportError("the aafrag model needs the optional package aafragpy: pip install aafragpy") from exc
    projectile = reaction.split("-")[0]
    T_n = np.atleast_1d(np.asarray(T_n, dtype=float))
    T_s = np.atleast_1d(np.asarray(T_secondary, dtype=float))
    E_primary = _A[projectile] * T_n + _MASS[projectile]
    m_s = const.m_proton if secondary == "antiproton" else const.m_electron
    total = np.zeros((T_n.size, T_s.size))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for code in _SECONDARY[secondary]:
            cs, _, _ = aafragpy.get_cross_section(code, reaction, E_primaries=E_primary, E_secondaries=T_s + m_s,
                                                  outside_bounds="zeros")
            total += np.nan_to_num(np.asarray(cs, dtype=float).reshape(T_n.size, T_s.size))
    return total  # dsigma/dE_total = dsigma/dT
