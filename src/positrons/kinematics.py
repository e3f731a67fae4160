"""Relativistic kinematics of cosmic rays: T <-> p <-> R <-> beta, for any species.

Energy variables (all floats in internal units, see :mod:`positrons.units`):

* ``T``   kinetic energy of the whole particle or nucleus [GeV] (the package's default)
* ``T_n`` kinetic energy per nucleon, ``T / A`` [GeV/n]
* ``E``   total energy, ``T + m`` [GeV]
* ``p``   momentum times c [GeV]
* ``R``   rigidity ``p c / (|Z| e)`` [GV]; numerically ``p / |Z|`` with p in GeV
* ``beta = p / E``, ``gamma = E / m``

Spectral densities convert with the Jacobians given here, e.g. a flux per unit rigidity
becomes a flux per unit kinetic energy as ``dN/dT = dN/dR / (dT/dR)`` with
``dT/dR = |Z| beta``.  A flux and a number density per unit energy are related by
``Phi = c beta n / (4 pi)`` (isotropic distribution).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import constants as const


@dataclass(frozen=True)
class Species:
    """A cosmic-ray species: name, mass [GeV], charge number Z and mass number A.

    ``mass`` is the rest mass of the particle or nucleus (not per nucleon).  For leptons and
    mesons ``mass_number`` is 0 and per-nucleon quantities are undefined.
    """

    name: str
    mass: float
    charge: int
    mass_number: int = 0

    @property
    def abs_charge(self) -> int:
        return abs(self.charge)


SPECIES: dict[str, Species] = {
    "electron": Species("electron", const.m_electron, -1),
    "positron": Species("positron", const.m_electron, +1),
    "proton": Species("proton", const.m_proton, +1, 1),
    "antiproton": Species("antiproton", const.m_proton, -1, 1),
    "helium": Species("helium", const.m_helium4, +2, 4),
    "muon-": Species("muon-", const.m_muon, -1),
    "muon+": Species("muon+", const.m_muon, +1),
    "pion-": Species("pion-", const.m_pion_charged, -1),
    "pion+": Species("pion+", const.m_pion_charged, +1),
}


def get_species(species: str | Species) -> Species:
    """Return the :class:`Species` named ``species`` (or ``species`` itself)."""
    if isinstance(species, Species):
        return species
    try:
        return SPECIES[species]
    except KeyError:
        raise ValueError(
            f"unknown species {species!r}; known species: {', '.join(SPECIES)}"
        ) from None


def _nonnegative(x, what: str) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if np.any(x < 0) or np.any(np.isnan(x)):
        raise ValueError(f"{what} must be >= 0 (got {x[np.logical_or(x < 0, np.isnan(x))].ravel()[:3]})")
    return x


def momentum_from_kinetic(T, mass):
    """Momentum p c [GeV] of a particle of kinetic energy ``T`` [GeV] and mass [GeV]."""
    T = _nonnegative(T, "kinetic energy")
    return np.sqrt(T * (T + 2.0 * mass))


def kinetic_from_momentum(p, mass):
    """Kinetic energy [GeV] from momentum p c [GeV]; stable for p << mass."""
    p = _nonnegative(p, "momentum")
    # T = sqrt(p^2 + m^2) - m written without cancellation
    return p * p / (np.sqrt(p * p + mass * mass) + mass)


def beta_from_kinetic(T, mass):
    """Velocity beta = p / E for kinetic energy ``T`` [GeV]."""
    T = _nonnegative(T, "kinetic energy")
    return np.sqrt(T * (T + 2.0 * mass)) / (T + mass)


def gamma_from_kinetic(T, mass):
    """Lorentz factor gamma = E / m = 1 + T / m."""
    T = _nonnegative(T, "kinetic energy")
    return 1.0 + T / mass


def rigidity_from_kinetic(T, species):
    """Rigidity R [GV] of a particle of the given species with kinetic energy ``T`` [GeV]."""
    sp = get_species(species)
    return momentum_from_kinetic(T, sp.mass) / sp.abs_charge


def kinetic_from_rigidity(R, species):
    """Kinetic energy [GeV] of the whole particle from rigidity ``R`` [GV]."""
    sp = get_species(species)
    return kinetic_from_momentum(np.asarray(R, dtype=float) * sp.abs_charge, sp.mass)


def kinetic_per_nucleon(T, species):
    """Kinetic energy per nucleon ``T / A`` [GeV/n] (nuclei only)."""
    sp = get_species(species)
    if sp.mass_number < 1:
        raise ValueError(f"kinetic energy per nucleon is undefined for {sp.name}")
    return np.asarray(T, dtype=float) / sp.mass_number


def kinetic_from_per_nucleon(T_n, species):
    """Kinetic energy of the whole nucleus [GeV] from ``T_n`` [GeV/n]."""
    sp = get_species(species)
    if sp.mass_number < 1:
        raise ValueError(f"kinetic energy per nucleon is undefined for {sp.name}")
    return np.asarray(T_n, dtype=float) * sp.mass_number


def dT_dR(T, species):
    """Jacobian dT/dR = |Z| beta [GeV/GV] at kinetic energy ``T`` [GeV]."""
    sp = get_species(species)
    return sp.abs_charge * beta_from_kinetic(T, sp.mass)


def kinetic_from_total(E, mass):
    """Kinetic energy [GeV] from total energy ``E`` [GeV]; refuses E < mass."""
    E = np.asarray(E, dtype=float)
    if np.any(E < mass):
        raise ValueError("total energy below the rest mass")
    return E - mass


# --- flux <-> density -------------------------------------------------------------------
#: m^-2 per cm^-2
_CM2_PER_M2 = 1e4


def flux_from_density(n, T, mass):
    """Intensity Phi [m^-2 s^-1 sr^-1 GeV^-1] of an isotropic population.

    ``n`` is the number density per unit kinetic energy [cm^-3 GeV^-1] at kinetic energy
    ``T`` [GeV]; ``Phi = c beta n / (4 pi)``.
    """
    beta = beta_from_kinetic(T, mass)
    return const.c_light * beta * np.asarray(n, dtype=float) / const.FOUR_PI * _CM2_PER_M2


def density_from_flux(flux, T, mass):
    """Number density [cm^-3 GeV^-1] from an intensity [m^-2 s^-1 sr^-1 GeV^-1].

    Inverse of :func:`flux_from_density`; undefined at T = 0 (beta = 0).
    """
    beta = beta_from_kinetic(T, mass)
    if np.any(beta <= 0):
        raise ValueError("density_from_flux needs T > 0 (beta = 0 at rest)")
    return np.asarray(flux, dtype=float) / _CM2_PER_M2 * const.FOUR_PI / (const.c_light * beta)
