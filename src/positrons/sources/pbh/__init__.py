"""Primordial black holes: Hawking emission of e+-, photons and the PBH source term (Hawking 1975; Page 1976).

Which tool when:

* :mod:`.greybody` -- greybody factors of massless spin 0, 1/2, 1, 2 fields, solved from the
  radial wave equation on Schwarzschild.  Use :func:`~.greybody.load_table` (the shipped table,
  or a cached one for other grids / accuracies) and call the table on ``x = G M E/(hbar c^3)``;
  :func:`~.greybody.transmission` and :func:`~.greybody.greybody_sum` solve the equation
  directly (slow: for checks).  Rebuild the shipped table with ``tools/build_greybody_table.py``.
* one black hole, by job: :mod:`.emission` -- :func:`~.emission.hawking_temperature`, the
  particle contents and the primary emission from the greybody factors;
  :mod:`.secondaries` -- e+- and photons from the decays of the emitted mu, pi;
  :mod:`.spectra` -- :func:`~.spectra.spectrum`, primary + secondary per unit kinetic
  energy (the API the rest uses); :mod:`.evaporation` -- :func:`~.evaporation.mass_loss_rate`,
  :func:`~.evaporation.lifetime` and :func:`~.evaporation.evaporating_mass` for a named
  particle content.
* :mod:`.mass_functions` -- monochromatic, log-normal (with its M_min truncation and k(sigma)),
  power-law and critical-collapse mass functions, normalised so that Integral psi dM = 1.
* :mod:`.source` -- a population in the Galactic halo: :func:`~.source.population_spectrum`
  (emission per gram of PBHs) and :class:`~.source.PBHSource`: ``source(R_kpc, z_kpc, T)`` =
  ``profile(R_kpc, z_kpc)`` [f_PBH rho_DM, GeV cm^-3] x ``spectrum(T)`` [per GeV of PBH
  mass] in cm^-3 s^-1 GeV^-1, the interface of the propagation solvers, with the halo
  profiles of :mod:`positrons.sources.halo` (kpc).

Units are the package's (GeV, cm, s, g); black-hole masses in grams, energies kinetic,
Galactic coordinates in kpc.
"""

from .emission import CONTENTS, OutsideValidityWarning, hawking_temperature
from .evaporation import AGE_OF_UNIVERSE, evaporating_mass, lifetime, mass_loss_rate
from .mass_functions import CriticalCollapse, LogNormal, Monochromatic, PowerLaw
from .source import EvaporatedMassWarning, PBHSource, population_spectrum
from .spectra import spectrum

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
