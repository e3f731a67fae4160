"""Folding a parent spectrum through the decays pi -> mu -> e and mu -> e: written once.

Every story of the package that turns pions or muons into e+- uses these functions: the
Hawking secondaries of a black hole (:mod:`positrons.sources.pbh.secondaries`), the p + p
-> pi -> mu -> e production matrices (:mod:`positrons.cross_sections.chain`) and the pions
made in the atmosphere under the radiation belt (:mod:`positrons.magnetosphere.belt`).
Each chooses its own quadrature over the parent energy (nodes and weights); the kernel and
the folding are the ones here.

Energies are KINETIC energies [GeV] (``T = E - m``), spectra per unit kinetic energy (equal
to those per unit total energy).  The kernels are the exact ones of :mod:`positrons.decays`
(exact boosts, the muon polarisation of pi -> mu nu, Michel spectrum with the electron mass;
references there), normalised to one e+- per parent decay, so that

    dN_e/dT_e (T_e) = Integral dT_p  N_p(T_p) K(T_e; T_p)
                    ~ sum_j w_j N_p(T_j) K(T_e; T_j)   =   fold(T_e, T_j, w_j N_p(T_j))

for parent nodes ``T_j`` and quadrature weights ``w_j``.
"""

from __future__ import annotations

import numpy as np

from . import constants as const
from . import decays

#: parents whose decay into e+- is folded here
PARENTS = ("pion", "muon")


def _check_parent(parent: str) -> str:
    if parent not in PARENTS:
        raise ValueError(f"parent must be one of {PARENTS} (got {parent!r})")
    return parent


def decay_matrix(T_daughter, T_parent, parent: str = "pion", charge: int = +1, polarization=0.0,
                 n_nodes: int = 12) -> np.ndarray:
    """K[..., j] = dN/dT_e [GeV^-1] at lepton kinetic energy ``T_daughter`` of the e+- from one
    ``parent`` of kinetic energy ``T_parent[j]`` [GeV].

    Parameters
    ----------
    T_daughter : array_like
        Lepton kinetic energies [GeV], any shape; the result has shape
        ``np.shape(T_daughter) + np.shape(T_parent)``.
    T_parent : array_like
        Parent kinetic energies [GeV], 1-D.
    parent : {"pion", "muon"}
        ``"pion"``: pi -> mu -> e with the muon polarisation of the pion decay
        (:func:`positrons.decays.pion_to_electron_spectrum`); ``"muon"``: mu -> e nu nu with the
        longitudinal ``polarization`` (:func:`positrons.decays.muon_to_electron_spectrum`).
    charge : {+1, -1}
        Charge of the parent and of the lepton (+1: pi+ or mu+ -> e+).
    polarization : float or array_like
        Muon polarisation along its lab momentum, in [-1, 1] (``parent="muon"`` only; 0 for
        unpolarised muons).
    n_nodes : int
        Gauss-Legendre nodes per sub-interval of the muon-energy integral (``parent="pion"``).
    """
    parent = _check_parent(parent)
    E_e = np.asarray(T_daughter, dtype=float)[..., None] + const.m_electron
    T_parent = np.asarray(T_parent, dtype=float)
    if T_parent.ndim != 1:
        raise ValueError("T_parent must be a 1-D array of parent kinetic energies")
    if parent == "muon":
        return decays.muon_to_electron_spectrum(E_e, T_parent + const.m_muon, polarization, charge)
    if np.any(polarization != 0.0):
        raise ValueError("the polarisation of muons from pion decays is fixed by the decay; pass none")
    return decays.pion_to_electron_spectrum(E_e, T_parent + const.m_pion_charged, charge, n_nodes)


def fold(T_daughter, T_parent, weighted_parents, parent: str = "pion", charge: int = +1, polarization=0.0,
         n_nodes: int = 12) -> np.ndarray:
    """Lepton spectrum dN/dT_e at ``T_daughter`` [GeV] from parents on quadrature nodes.

    ``weighted_parents[j]`` is the number of parents the node ``T_parent[j]`` [GeV] stands
    for (the parent spectrum times the quadrature weight, ``w_j N_p(T_j)``); a 2-D array
    (n_parent, k) folds k spectra at once.  The result has the unit of ``weighted_parents``
    per GeV and shape ``np.shape(T_daughter)`` (+ ``(k,)``).  Other arguments: as
    :func:`decay_matrix`.
    """
    K = decay_matrix(T_daughter, T_parent, parent, charge, polarization, n_nodes)
    return K @ np.asarray(weighted_parents, dtype=float)


def max_daughter_energy(T_parent, parent: str = "pion"):
    """Largest lepton TOTAL energy [GeV] from a ``parent`` of kinetic energy ``T_parent`` [GeV]
    (the kinematic end point of :func:`decay_matrix`)."""
    parent = _check_parent(parent)
    T_parent = np.asarray(T_parent, dtype=float)
    if parent == "muon":
        return decays.muon_to_electron_range(T_parent + const.m_muon)
    _, E_mu_max = decays.pion_to_muon_range(T_parent + const.m_pion_charged)
    return decays.muon_to_electron_range(E_mu_max)
