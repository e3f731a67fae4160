"""Physical constants in the internal unit system (GeV, cm, s, g, mb).

Each constant is written once, here, with its source:

* particle masses and lifetimes: the Particle Data Group tables shipped with the
  `particle` package (PDG 2024 edition in particle >= 0.24), read once at import;
* fundamental constants: the CODATA recommended values of :mod:`scipy.constants` (the
  2022 adjustment in scipy >= 1.15; the SI-defining constants h, e, k, N_A are exact);
* standard atomic weights: IUPAC (:data:`ELEMENTS`);
* astronomical constants: IAU resolutions (see :mod:`positrons.units`).

Unit conversions go through :mod:`positrons.units` (``_si.c * u.m`` is c in cm/s).

Nothing here is a typed particle mass.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import scipy.constants as _si
from particle import Particle as _Particle

from . import units as u


def _pdg_mass(pdgid: int) -> float:
    """PDG mass of ``pdgid`` in GeV."""
    return _Particle.from_pdgid(pdgid).mass * u.MeV


def _pdg_lifetime(pdgid: int) -> float:
    """PDG mean lifetime of ``pdgid`` in s (the `particle` package gives ns)."""
    return _Particle.from_pdgid(pdgid).lifetime * _si.nano * u.s


# --- fundamental constants (CODATA via scipy.constants) ---------------------------------
# SI -> internal: metres times u.m, kilograms times u.kg, joules / e -> eV times u.eV
c_light = _si.c * u.m  # speed of light [cm/s]
alpha_em = _si.fine_structure  # fine-structure constant
hbar = _si.hbar / _si.e * u.eV  # reduced Planck constant [GeV s]
hbar_c = hbar * c_light  # [GeV cm]
k_boltzmann = _si.k / _si.e * u.eV  # Boltzmann constant [GeV/K]
G_newton = _si.G * u.m**3 / u.kg  # Newton's constant [cm^3 g^-1 s^-2]
r_electron = _si.physical_constants["classical electron radius"][0] * u.m  # [cm]
sigma_thomson = _si.physical_constants["Thomson cross section"][0] * u.m**2  # [cm^2]
gram_in_GeV = _si.c**2 / u.kg / _si.e * u.eV  # rest energy of 1 g [GeV]: (1e-3 kg) c^2 / e
elementary_charge_SI = _si.e  # [C], for the few SI conversions at the edges
#: Avogadro constant [mol^-1] (exact since the 2019 SI redefinition; CODATA)
N_avogadro = _si.Avogadro

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

#: atomic mass unit [GeV] (CODATA)
m_atomic_unit = _si.physical_constants["atomic mass constant energy equivalent in MeV"][0] * u.MeV
#: atomic mass unit [g] (CODATA); 1 / (N_A m_u) = 1 mol/g to 1e-9
m_atomic_unit_g = _si.atomic_mass * u.kg


# --- elements (IUPAC) ------------------------------------------------------------------
@dataclass(frozen=True)
class Element:
    """A chemical element: symbol, charge ``Z``, mass number ``A`` of its main isotope, and
    standard atomic weight (relative atomic mass, dimensionless = molar mass in g/mol)."""

    symbol: str
    Z: int
    A: int
    atomic_weight: float

    @property
    def atom_mass_g(self) -> float:
        """Mean mass of one atom [g]: atomic weight x m_u."""
        return self.atomic_weight * m_atomic_unit_g

    @property
    def molar_mass(self) -> float:
        """Molar mass [g/mol] = N_A x atom mass (the atomic weight to 1e-9)."""
        return N_avogadro * self.atom_mass_g


#: the elements the package needs (gas, air, the residual atmosphere), with IUPAC standard
#: atomic weights (CIAAW/IUPAC 2021, Prohaska et al. 2022, Pure Appl. Chem. 94, 573): the
#: standard value of He (4.002602(2)) and the conventional values of H (1.008), C (12.011),
#: N (14.007), O (15.999) and Ar (39.95), whose weights are given as intervals.
ELEMENTS = {
    "H": Element("H", 1, 1, 1.008),
    "He": Element("He", 2, 4, 4.002602),
    "C": Element("C", 6, 12, 12.011),
    "N": Element("N", 7, 14, 14.007),
    "O": Element("O", 8, 16, 15.999),
    "Ar": Element("Ar", 18, 40, 39.95),
}


def element(symbol: str) -> Element:
    """The :class:`Element` of ``symbol`` (a key of :data:`ELEMENTS`); refuses unknown symbols."""
    try:
        return ELEMENTS[symbol]
    except KeyError:
        raise ValueError(f"unknown element {symbol!r}; known: {', '.join(ELEMENTS)}") from None

#: 4 pi, the solid angle of the full sphere [sr]
FOUR_PI = 4.0 * math.pi
