"""The positron fraction e+/(e+ + e-) predicted by secondary production alone (SPEC section 1).

For a propagation model: secondary e+ and e- from the propagated, AMS-02-normalised protons
and helium (:func:`positrons.propagation.galactic.secondary_source_field`), primary electrons
from SNR-like sources normalised to the AMS-02 electron flux
(:func:`positrons.propagation.primaries.fit_primary`; the small secondary e- contribution is
not subtracted before that fit), all propagated on one grid and modulated with the force field
at the model's phi.  Primary positron sources (pulsars, dark matter) are the next step of the
positron-fraction issue.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .heliosphere.force_field import modulate
from .propagation import galactic
from .propagation.diffusion2d import Grid, Propagator
from .propagation.models import get_propagation_model
from .propagation.primaries import fit_primary

#: transport grid of the prediction [GeV]: extends well above the 1 TeV of the data so the
#: top-of-grid depletion does not reach it
TRANSPORT_ENERGIES = np.geomspace(0.1, 1e4, 61)


@dataclass(frozen=True)
class FractionPrediction:
    """Modulated fluxes [m^-2 s^-1 sr^-1 GeV^-1] and the fraction at kinetic energies ``T`` [GeV]."""

    model: str
    phi_GV: float
    T: np.ndarray
    positrons: np.ndarray
    secondary_electrons: np.ndarray
    primary_electrons: np.ndarray

    @property
    def electrons(self) -> np.ndarray:
        return self.secondary_electrons + self.primary_electrons

    @property
    def fraction(self) -> np.ndarray:
        return self.positrons / (self.positrons + self.electrons)


def secondary_fraction(model="MED", T=None, xs_model: str = "hybrid", dR_kpc=galactic.DEFAULT_DR_KPC,
                       dz_kpc=galactic.DEFAULT_DZ_KPC, transport_energies=TRANSPORT_ENERGIES) -> FractionPrediction:
    """Secondary-only positron fraction of ``model`` at kinetic energies ``T`` [GeV] (default 0.5-1000)."""
    model = get_propagation_model(model)
    T = np.geomspace(0.5, 1000.0, 40) if T is None else np.asarray(T, dtype=float)
    Tt = np.asarray(transport_energies, dtype=float)
    if T.min() < Tt[0] or T.max() > Tt[-1]:
        raise ValueError(f"energies must lie inside the transport grid {Tt[0]:g}-{Tt[-1]:g} GeV")
    grid = Grid.for_model(model, Tt, dR_kpc=dR_kpc, dz_kpc=dz_kpc)
    lis = {}
    for lepton in ("positron", "electron"):
        field, _, _ = galactic.secondary_source_field(model, lepton, Tt, xs_model=xs_model, dR_kpc=dR_kpc, dz_kpc=dz_kpc)
        lis[lepton] = Propagator.for_species(model, grid, lepton).solve(field).flux(model.r_sun_kpc)
    primary = fit_primary(model, "electron", "ams02_electron_flux_physrep2021_crdb", T=Tt, dR_kpc=dR_kpc, dz_kpc=dz_kpc)

    def at_earth(flux, species):
        positive = flux > 0
        return modulate(T, (Tt[positive], flux[positive]), model.phi_GV, species)

    return FractionPrediction(model.name, model.phi_GV, T, at_earth(lis["positron"], "positron"),
                              at_earth(lis["electron"], "electron"), at_earth(primary.flux_lis, "electron"))
