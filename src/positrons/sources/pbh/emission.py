r"""Primary Hawking emission of a Schwarzschild black hole from the greybody factors.

Emission rate of a species i (spin s_i, g_i internal states, mass m_i) per unit time and
total energy E (Hawking 1975, CMaPh 43, 199; Page 1976, PRD 13, 198)::

    d2N_i/dt dE = g_i / (2 pi hbar) * S_{s_i}(x) / (exp(E/T) -+ 1),      E >= m_i
    T = hbar c^3 / (8 pi G M k_B) = 1.0573e13 GeV (1 g / M),   x = G M E/(hbar c^3) = E / (8 pi T)

with ``S_s = sum_l (2l+1) Gamma_{s,l}`` the greybody sum of :mod:`.greybody` (massless fields)
and - for bosons, + for fermions.  Public energies are **kinetic**, ``E_kin = E - m``; a
spectrum per unit kinetic energy equals the one per unit total energy.

**Massive species** follow BlackHawk's rule (Arbey & Auffinger 2019, arXiv:1905.04268; code
``primary.c``, ``dNdtdE``): the massless greybody factor evaluated at the total energy, and
nothing below threshold (``E < m``).  It neglects the suppression of the transmission of
slow massive particles (Page 1977, PRD 16, 2402), which matters only within ~T of threshold.

**Degrees of freedom** ``g`` (as in BlackHawk v2 ``fM.c``): photon 2 (helicities),
neutrinos 6 (3 flavours x one helicity x (nu, nu-bar)), graviton 2, electron 4 and muon 4
(2 helicities x (particle + antiparticle)), charged pions 2 (pi+ and pi-), neutral pion 1.
``particle="positron"`` (or ``"electron"``) is one charge state: ``g = 2``.

**Particle contents** (the species emitted, for the primary spectra, the secondaries of
:mod:`.secondaries` and the mass loss of :mod:`.evaporation`), chosen by
name; a content without electrons (``"massless"``, ``"page1976"``) emits no e+-: the primary
(and secondary) spectra are then zero, not an error:

* ``"standard"`` (default): photon, 3 neutrinos, graviton, e, mu, pi+-, pi0 -- the
  particles a hole emits below the QCD scale (T < Lambda_QCD ~ 0.2-0.3 GeV, M > ~5e13 g).
* ``"blackhawk"``: BlackHawk v2's elementary content (``fM.c``): leptons, free quarks with
  current masses, gluons above 0.2 GeV, W, Z, Higgs, graviton -- with BlackHawk's own mass
  values.  Free light quarks are emitted from T ~ MeV on, which is unphysical below
  Lambda_QCD; it is here to compare with BlackHawk's f(M) table.  Its secondaries include
  only the muon decays (hadronisation of quarks and gluons is not modelled).
* ``"massless"``: photon, 3 neutrinos, graviton.  ``"page1976"``: photon, 2 two-component
  neutrinos (4 states), graviton -- the set of Page 1976.

**Neglected** (and where it matters): emission of quarks and gluons and their fragmentation
into jets once T approaches Lambda_QCD ~ 0.2-0.3 GeV (MacGibbon & Webber 1990): pions as
elementary particles are an approximation for M < ~1e14 g (T > 0.1 GeV), and below ~5e13 g
the jets dominate the secondary e+- and photons; kaons, eta and heavier hadrons (their
thresholds, 0.5 GeV and up, make them negligible above ~1e14 g); final-state radiation and
the radiative muon decays (order alpha); the electric charge of the emitted e+- (reduces
their emission by ~3 %, MacGibbon 1991); the photons and e+- from tau, W, Z, Higgs decays in
the "blackhawk" content.

**Greybody tables.**  Every function takes ``tables`` (spin -> :class:`~.greybody.GreybodyTable`,
default the shipped ones).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ... import constants as const
from . import greybody

#: hbar c^3 / G [GeV g]: the energy scale G M E/(hbar c^3) = 1 of a hole of 1 g
_HBAR_C3_OVER_G = const.hbar * const.c_light**3 / const.G_newton

#: hotter holes emit quarks and gluons, whose jets (not modelled) dominate the secondaries
#: (Lambda_QCD ~ 0.2-0.3 GeV; MacGibbon & Webber 1990) [GeV]
QCD_TEMPERATURE = 0.2


class OutsideValidityWarning(UserWarning):
    """A spectrum asked for outside the range where the model holds (module docstring)."""


def hawking_temperature(mass):
    """Hawking temperature k_B T = hbar c^3 / (8 pi G M) [GeV] of a hole of mass ``mass`` [g]."""
    mass = _positive(mass, "black-hole mass")
    return _HBAR_C3_OVER_G / (8.0 * math.pi * mass)


def energy_to_x(energy, mass):
    """x = G M E / (hbar c^3) for total energy ``energy`` [GeV] and mass ``mass`` [g]."""
    return np.asarray(energy, dtype=float) * _positive(mass, "black-hole mass") / _HBAR_C3_OVER_G


def _positive(value, what: str):
    value = np.asarray(value, dtype=float)
    if np.any(~np.isfinite(value)) or np.any(value <= 0):
        raise ValueError(f"{what} must be a finite number > 0 (got {value.ravel()[:3]})")
    return value if value.ndim else float(value)


def _nonnegative(value, what: str):
    value = np.asarray(value, dtype=float)
    if np.any(np.isnan(value)) or np.any(value < 0):
        raise ValueError(f"{what} must be >= 0 (got {value.ravel()[:3]})")
    return value


# --- emitted species ---------------------------------------------------------------------


@dataclass(frozen=True)
class EmittedSpecies:
    """A species emitted by the hole: name, spin, internal states ``dof`` and mass [GeV]."""

    name: str
    spin: float
    dof: int
    mass: float = 0.0

    @property
    def fermion(self) -> bool:
        return self.spin % 1.0 == 0.5


_PHOTON = EmittedSpecies("photon", 1.0, 2)
_NEUTRINOS = EmittedSpecies("neutrinos", 0.5, 6)
_GRAVITON = EmittedSpecies("graviton", 2.0, 2)

# BlackHawk v2 fM.c particle table (masses in GeV as used there, not PDG values)
_BLACKHAWK = (
    _PHOTON,
    EmittedSpecies("gluons", 1.0, 16, 0.2),
    EmittedSpecies("W", 1.0, 6, 80.403),
    EmittedSpecies("Z", 1.0, 3, 91.1876),
    EmittedSpecies("higgs", 0.0, 1, 125.03),
    _NEUTRINOS,
    EmittedSpecies("electron", 0.5, 4, 5.109989461e-4),
    EmittedSpecies("muon", 0.5, 4, 0.1056583745),
    EmittedSpecies("tau", 0.5, 4, 1.77686),
    EmittedSpecies("up", 0.5, 12, 2.2e-3),
    EmittedSpecies("down", 0.5, 12, 4.7e-3),
    EmittedSpecies("strange", 0.5, 12, 0.096),
    EmittedSpecies("charm", 0.5, 12, 1.27),
    EmittedSpecies("bottom", 0.5, 12, 4.18),
    EmittedSpecies("top", 0.5, 12, 173.21),
    _GRAVITON,
)

#: particle contents by name (module docstring)
CONTENTS: dict[str, tuple[EmittedSpecies, ...]] = {
    "standard": (
        _PHOTON,
        _NEUTRINOS,
        _GRAVITON,
        EmittedSpecies("electron", 0.5, 4, const.m_electron),
        EmittedSpecies("muon", 0.5, 4, const.m_muon),
        EmittedSpecies("pion_charged", 0.0, 2, const.m_pion_charged),
        EmittedSpecies("pion_neutral", 0.0, 1, const.m_pion_neutral),
    ),
    "blackhawk": _BLACKHAWK,
    "massless": (_PHOTON, _NEUTRINOS, _GRAVITON),
    "page1976": (_PHOTON, EmittedSpecies("neutrinos", 0.5, 4), _GRAVITON),
}

#: particles whose spectra are computed, with the content species they are a share of:
#: particle -> (species name, fraction of its dof)
PARTICLES = {
    "positron": ("electron", 0.5),
    "electron": ("electron", 0.5),
    "photon": ("photon", 1.0),
}

def get_content(content) -> tuple[EmittedSpecies, ...]:
    """The species of a particle content, by name (:data:`CONTENTS`) or as a sequence."""
    if isinstance(content, str):
        try:
            return CONTENTS[content]
        except KeyError:
            raise ValueError(f"unknown particle content {content!r}; known: {', '.join(CONTENTS)}") from None
    species = tuple(content)
    if not all(isinstance(s, EmittedSpecies) for s in species):
        raise ValueError("a particle content is a name or a sequence of EmittedSpecies")
    return species


def _species(content, name: str) -> EmittedSpecies | None:
    return next((s for s in get_content(content) if s.name == name), None)


def _check_particle(particle: str) -> str:
    if particle not in PARTICLES:
        raise ValueError(f"unknown particle {particle!r}; choose one of {', '.join(PARTICLES)}")
    return particle


# --- emission rates ----------------------------------------------------------------------


def _occupation_x(x, fermion: bool):
    """1/(exp(8 pi x) +- 1) without overflow; 0 at x = 0 is handled by the caller."""
    y = 8.0 * math.pi * np.asarray(x, dtype=float)
    with np.errstate(over="ignore", divide="ignore"):
        if fermion:
            return np.exp(-y) / (1.0 + np.exp(-y))
        return np.where(y > 0, -np.exp(-y) / np.expm1(-np.where(y > 0, y, 1.0)), 0.0)


def _rate_x(spin: float, x, tables=None):
    """S_s(x)/(exp(8 pi x) -+ 1) (dimensionless, per helicity state); 0 at x = 0."""
    table = (tables or greybody.default_tables())[spin]
    x = np.asarray(x, dtype=float)
    # exp(-8 pi x) underflows beyond x = 745/(8 pi): only the rest needs the greybody factor
    emitting = (x > 0) & (x < 745.0 / (8.0 * math.pi))
    value = np.zeros_like(x)
    xs = x[emitting]
    value[emitting] = table(xs) * _occupation_x(xs, spin % 1.0 == 0.5)
    return value if value.ndim else float(value)


def dof_spectrum(spin, energy, mass, tables=None):
    """d2N/dt dE [GeV^-1 s^-1] per internal state of a massless field of spin ``spin``.

    ``energy`` is the (total = kinetic) energy [GeV], ``mass`` the hole mass [g]; they
    broadcast.  ``tables`` maps spin -> :class:`~.greybody.GreybodyTable` (default: shipped).
    """
    spin = greybody.check_spin(spin)
    energy = _nonnegative(energy, "energy")
    x = energy_to_x(energy, mass)
    return _rate_x(spin, x, tables) / (2.0 * math.pi * const.hbar)


def species_spectrum(species: EmittedSpecies, E_kin, mass, tables=None):
    """Primary d2N/dt dE_kin [GeV^-1 s^-1] of all ``species.dof`` states, kinetic energy E_kin."""
    E_kin = _nonnegative(E_kin, "kinetic energy")
    return species.dof * dof_spectrum(species.spin, E_kin + species.mass, mass, tables)


def primary_spectrum(particle: str, E_kin, mass, tables=None, content="standard"):
    """Primary d2N/dt dE_kin [GeV^-1 s^-1 per hole] of ``particle`` ('positron', 'electron', 'photon').

    ``E_kin`` [GeV] and ``mass`` [g] broadcast.  For e+ (or e-) alone ``g = 2``.  The species
    (its mass and states) is taken from ``content``; a content without it emits none: zeros.
    """
    name, share = PARTICLES[_check_particle(particle)]
    species = _species(content, name)
    if species is None:
        shape = np.broadcast(np.asarray(E_kin), np.asarray(mass)).shape
        _nonnegative(E_kin, "kinetic energy")
        _positive(mass, "black-hole mass")
        return np.zeros(shape) if shape else 0.0
    return share * species_spectrum(species, E_kin, mass, tables)
