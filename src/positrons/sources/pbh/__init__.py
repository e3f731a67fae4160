"""Primordial black holes: Hawking emission of e+-, photons and the PBH source term (SPEC 3.1).

Which tool when:

* :mod:`.greybody` -- greybody factors of massless spin 0, 1/2, 1, 2 fields, solved from the
  radial wave equation on Schwarzschild.  Use :func:`~.greybody.load_table` (the shipped table,
  or a cached one for other grids / accuracies) and call the table on ``x = G M E/(hbar c^3)``;
  :func:`~.greybody.transmission` and :func:`~.greybody.greybody_sum` solve the equation
  directly (slow: for checks).  Rebuild the shipped table with ``tools/build_greybody_table.py``.
* :mod:`.hawking` -- one black hole: :func:`~.hawking.hawking_temperature`, emission
  spectra per unit kinetic energy (:func:`~.hawking.spectrum`: primary + secondary from mu, pi
  decays), :func:`~.hawking.mass_loss_rate`, :func:`~.hawking.lifetime` and
  :func:`~.hawking.evaporating_mass` for a named particle content.
* :mod:`.mass_functions` -- monochromatic, log-normal (SPEC's M_min truncation and k(sigma)),
  power-law and critical-collapse mass functions, normalised so that Integral psi dM = 1.
* :mod:`.source` -- a population in the Galactic halo: :func:`~.source.population_spectrum`
  (emission per gram of PBHs) and :class:`~.source.PBHSource`: ``source(R_kpc, z_kpc, T)`` =
  ``profile(R_kpc, z_kpc)`` [f_PBH rho_DM, GeV cm^-3] x ``spectrum(T)`` [per GeV of PBH
  mass] in cm^-3 s^-1 GeV^-1, the interface of the propagation solvers, with the halo
  profiles of :mod:`positrons.sources.halo` (kpc).

Units are the package's (GeV, cm, s, g); black-hole masses in grams, energies kinetic,
Galactic coordinates in kpc.
"""

from .hawking import (
    AGE_OF_UNIVERSE,
    CONTENTS,
    OutsideValidityWarning,
    evaporating_mass,
    hawking_temperature,
    lifetime,
    mass_loss_rate,
    spectrum,
)
from .mass_functions import CriticalCollapse, LogNormal, Monochromatic, PowerLaw
from .source import EvaporatedMassWarning, PBHSource, population_spectrum

__all__ = [
    "AGE_OF_UNIVERSE",
    "CONTENTS",
    "CriticalCollapse",
    "EvaporatedMassWarning",
    "LogNormal",
    "Monochromatic",
    "OutsideValidityWarning",
    "PBHSource",
    "PowerLaw",
    "evaporating_mass",
    "hawking_temperature",
    "lifetime",
    "mass_loss_rate",
    "population_spectrum",
    "spectrum",
]
