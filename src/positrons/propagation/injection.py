"""Injection of primary cosmic rays by SNR-like sources: q(R, z, rho) = n(R, z) x a broken
power law in rigidity rho (per unit kinetic energy, ``q_R / (dT/dR)``), unit-normalised.

The spatial distribution n(R, z) is the model's (:meth:`PropagationModel.source_distribution`),
the spectrum :attr:`PropagationModel.proton_injection` for protons and nuclei (at equal
rigidity) and :data:`ELECTRON_INJECTION` for electrons.  Normalising to data is an analysis
(:mod:`positrons.analysis.primaries`).
"""

from __future__ import annotations

import numpy as np

from .. import kinematics as kin
from .models import Injection, PropagationModel

#: default electron injection, a broken power law in rigidity:
#: 1.6 below 5 GV, 2.7 to 50 GV, 2.5 above (the AMS-02 electron hardening above ~40 GeV).
#: Our choice from a coarse scan against the AMS-02 electron flux with MED (chi^2/n: 13 with a
#: single 2.7 above 5 GV, 8.2 with this break); only the normalisation is fitted per model.
ELECTRON_INJECTION = Injection((1.6, 2.7, 2.5), (5.0, 50.0))



def injection_source(model: PropagationModel, species: str, injection: Injection | None = None):
    """q(R_kpc, z_kpc, T) per unit kinetic energy [cm^-3 s^-1 GeV^-1] of a unit-normalised injection."""
    sp = kin.get_species(species)
    if injection is None:
        injection = ELECTRON_INJECTION if sp.mass_number == 0 else model.proton_injection

    def source(R, z, T):
        rigidity = kin.rigidity_from_kinetic(T, sp)
        return model.source_distribution(R, z) * injection.shape(rigidity) / kin.dT_dR(T, sp)

    return source


def injection_on_grid(model: PropagationModel, species: str, grid, injection: Injection | None = None) -> np.ndarray:
    """The unit-normalised injection of :func:`injection_source` on ``grid`` [cm^-3 s^-1 GeV^-1],
    shape ``grid.shape``, its spatial distribution averaged over the cells (the source disc's
    0.2 kpc scale height is a few z steps: point values would misplace a few % of it)."""
    sp = kin.get_species(species)
    if injection is None:
        injection = ELECTRON_INJECTION if sp.mass_number == 0 else model.proton_injection
    spectrum = injection.shape(kin.rigidity_from_kinetic(grid.T, sp)) / kin.dT_dR(grid.T, sp)
    return grid.cell_average(model.source_distribution)[:, :, None] * spectrum[None, None, :]
