"""Physical constants in the internal unit system (GeV, cm, s, g, mb).

Each constant is written once, here, with its source:

* particle masses and lifetimes: the Particle Data Group tables shipped with the
  `particle` package (PDG 2024 edition in particle >= 0.24), read once at import;
* fundamental constants: CODATA 2018 through :mod:`scipy.constants`;
* astronomical constants: IAU resolutions (see :mod:`positrons.units`).

Nothing here is a typed particle mass.
"""

from __future__ import annotations

import math

import scipy.constants as _si
from particle import Particle as _Particle

from . import units as u


def _pdg_mass(pdgid: int) -> float:
    """PDG mass of ``pdgid`` in GeV."""
    return _Particle.from_pdgid(pdgid).mass * u.MeV


def _pdg_lifetime(pdgid: int) -> float:
    """PDG mean lifetime of ``pdgid`` in s (the `particle` package gives ns)."""
    return _Particle.from_pdgid(pdgid).lifetime * 1e-9 * u.s


# --- fundamental constants (CODATA 2018) ------------------------------------------------
c_light = _si.c * 100.0  # speed of light [cm/s]
alpha_em = _si.fine_structure  # fine-structure constant
hbar = _si.hbar / _si.e * 1e-9  # reduced Planck constant [GeV s]
hbar_c = hbar * c_light  # [GeV cm]
k_boltzmann = _si.k / _si.e * 1e-9  # Boltzmann constant [GeV/K]
G_newton = _si.G * 1e3  # Newton's constant [cm^3 g^-1 s^-2]
r_electron = _si.physical_constants["classical electron radius"][0] * 100.0  # [cm]
sigma_thomson = _si.physical_constants["Thomson cross section"][0] * 1e4  # [cm^2]
gram_in_GeV = (1e-3 * _si.c**2) / _si.e * 1e-9  # rest energy of 1 g [GeV]
elementary_charge_SI = _si.e  # [C], for the few SI conversions at the edges

# --- particle data (PDG via `particle`) -------------------------------------------------
PDG_ELECTRON = 11
PDG_MUON = 13
PDG_PION_PLUS = 211
PDG_PION_ZERO = 111
PDG_KAON_PLUS = 321
PDG_PROTON = 2212
PDG_NEUTRON = 2112
PDG_HELIUM4 = 1000020040
PDG_CARBON12 = 1000060120
PDG_DEUTERON = 1000010020

m_electron = _pdg_mass(PDG_ELECTRON)  # [GeV]
m_muon = _pdg_mass(PDG_MUON)  # [GeV]
m_pion_charged = _pdg_mass(PDG_PION_PLUS)  # [GeV]
m_pion_neutral = _pdg_mass(PDG_PION_ZERO)  # [GeV]
m_kaon_charged = _pdg_mass(PDG_KAON_PLUS)  # [GeV]
m_proton = _pdg_mass(PDG_PROTON)  # [GeV]
m_neutron = _pdg_mass(PDG_NEUTRON)  # [GeV]
m_helium4 = _pdg_mass(PDG_HELIUM4)  # nuclear mass of 4He [GeV]
m_carbon12 = _pdg_mass(PDG_CARBON12)  # nuclear mass of 12C [GeV]
m_deuteron = _pdg_mass(PDG_DEUTERON)  # [GeV]

tau_muon = _pdg_lifetime(PDG_MUON)  # [s]
tau_pion_charged = _pdg_lifetime(PDG_PION_PLUS)  # [s]
tau_kaon_charged = _pdg_lifetime(PDG_KAON_PLUS)  # [s]

#: atomic mass unit [GeV] (CODATA 2018)
m_atomic_unit = _si.physical_constants["atomic mass constant energy equivalent in MeV"][0] * u.MeV

#: 4 pi, the solid angle of the full sphere [sr]
FOUR_PI = 4.0 * math.pi
