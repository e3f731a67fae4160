"""The inner radiation belt: trapped e+- made by trapped protons in the residual atmosphere.

The inner-belt positron story of Martin, Gusev, Pugacheva & Silva Mello (1995), in the order
the physics happens; which tool when:

* :mod:`~positrons.magnetosphere.dipole` -- the centred dipole: B = 0.312/L^3 G at the
  equator of shell L, field-line geometry, mirror points, bounce-average weights.  Use it
  for the synchrotron field and to place a drift shell in the atmosphere.
* :mod:`~positrons.magnetosphere.atmosphere` -- the residual atmosphere: NRL MSIS through
  ``pymsis`` (:class:`MSISAtmosphere`, solar activity passed explicitly, offline) or an
  analytic :class:`ExponentialAtmosphere`; :func:`drift_shell_density` gives the mean
  density (and composition) over the drift shell of L, for particles mirroring at a given
  altitude.  Use it instead of a fixed rho.
* :mod:`~positrons.magnetosphere.trapped_protons` -- trapped-proton integral spectra: the
  L = 1.2 table (AP-8 MIN), moved to other shells only on request with AP-8 through
  ``spacepy`` (:func:`proton_spectrum_for_shell`).  Needed only by the computed pion route.
* :mod:`~positrons.magnetosphere.pion_source` -- pion production per unit grammage Q_pi:
  the published table (:func:`table_pion_production`) or computed from the protons and the
  package's p + p model with isospin and a nuclear factor
  (:func:`computed_pion_production`).  Both return a :class:`PionProduction`.
* :mod:`~positrons.magnetosphere.belt` -- from pions to trapped leptons:
  :class:`BeltModel` (decay by the Daniel & Stephens fixed fractions or the exact
  pi -> mu -> e kernel, energy losses, equilibrium flux) and :class:`BeltResult` (integral
  spectra I(>E) of e+ and e- with and without synchrotron losses, the e+/e- ratio).

Units: lepton and pion kinetic energies in GeV, densities in g cm^-3, fields in gauss,
fluxes per m^2 s sr (the published unit), production per unit grammage (g cm^-2).
The model, equations and headline numbers are in ``docs/belt.md``.
"""

from .atmosphere import ExponentialAtmosphere, MSISAtmosphere, ShellDensity, drift_shell_density
from .belt import (
    DECAY_MODELS,
    ENERGY_VARIABLES,
    BeltModel,
    BeltResult,
    exact_decay_production,
    fixed_fraction_production,
    loss_rate,
    synchrotron_coefficient,
)
from .dipole import equatorial_altitude_km, equatorial_field
from .pion_source import PionProduction, computed_pion_production, table_pion_production
from .trapped_protons import IntegralProtonSpectrum, martin1995_l12, proton_spectrum_for_shell

__all__ = [
    "DECAY_MODELS",
    "ENERGY_VARIABLES",
    "BeltModel",
    "BeltResult",
    "ExponentialAtmosphere",
    "IntegralProtonSpectrum",
    "MSISAtmosphere",
    "PionProduction",
    "ShellDensity",
    "computed_pion_production",
    "drift_shell_density",
    "equatorial_altitude_km",
    "equatorial_field",
    "exact_decay_production",
    "fixed_fraction_production",
    "loss_rate",
    "martin1995_l12",
    "proton_spectrum_for_shell",
    "synchrotron_coefficient",
    "table_pion_production",
]
