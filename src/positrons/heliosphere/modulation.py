"""The ``Modulation`` protocol: one interface for every model of the heliosphere.

An analysis (a PBH limit, a fraction fit) needs one operation from the heliosphere: the flux at
Earth (top of the atmosphere, TOA) of a species from its local interstellar spectrum (LIS).
Every model offers it as ``modulate(T, lis, species)``:

* ``T`` -- kinetic energies [GeV] (whole particle) at which the TOA flux is wanted;
* ``lis`` -- the LIS: a callable ``lis(T)`` or a table ``(T_lis, flux_lis)`` (any flux unit per
  unit kinetic energy; every model here is linear in it);
* ``species`` -- a name of :func:`positrons.kinematics.get_species` (charge and mass matter;
  a charge-sign-dependent model also needs the sign);

and records its parameters with ``settings()`` (a flat mapping of plain values, written into
every result that used it).  Implementations: :class:`ForceFieldModulation` (Gleeson & Axford
1968), :class:`TransferMatrixModulation` (a LIS -> TOA matrix per species, e.g. from HelMod),
:class:`ParkerModulation` (the 1D Parker equation of :mod:`.parker` with the HelMod-like
diffusion whose force-field equivalent is a given phi), :class:`NoModulation` (data outside
the heliosphere, Voyager 1 beyond the heliopause).  A new
model (e.g. with drifts) implements the two methods and is usable everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from .. import kinematics as kin
from .force_field import modulate as _force_field
from .force_field import phi_value


@runtime_checkable
class Modulation(Protocol):
    """LIS -> flux at Earth (see the module docstring)."""

    name: str

    def modulate(self, T, lis, species: str) -> np.ndarray:
        """TOA flux at kinetic energies ``T`` [GeV] of ``species`` with interstellar spectrum ``lis``."""

    def settings(self) -> dict:
        """The parameters that change a number (recorded in every result)."""


@dataclass(frozen=True)
class NoModulation:
    """The identity: local interstellar data (Voyager 1 beyond the heliopause)."""

    name: str = "none"

    def modulate(self, T, lis, species: str) -> np.ndarray:
        from .force_field import as_spectrum

        return np.asarray(as_spectrum(lis)(np.asarray(T, dtype=float)), dtype=float)

    def settings(self) -> dict:
        return {"modulation": self.name}


class _OnePotential:
    """What a model set by one potential ``phi_GV`` [GV] shares: the check of phi (finite,
    >= 0) and its settings."""

    def __post_init__(self):
        phi = phi_value(self.phi_GV)
        if not phi >= 0:
            raise ValueError(f"phi must be a finite potential >= 0 GV (got {self.phi_GV!r})")
        object.__setattr__(self, "phi_GV", phi)

    def settings(self) -> dict:
        return {"modulation": self.name, "phi_GV": self.phi_GV}


@dataclass(frozen=True)
class ForceFieldModulation(_OnePotential):
    """Force field with potential ``phi_GV`` [GV] for every species (Gleeson & Axford 1968):
    Phi_TOA(T) = Phi_LIS(T + |Z| e phi) T (T + 2m) / ((T + |Z| e phi)(T + |Z| e phi + 2m))."""

    phi_GV: float
    name: str = "force field"


    def modulate(self, T, lis, species: str) -> np.ndarray:
        return _force_field(T, lis, self.phi_GV, species)



@dataclass(frozen=True)
class ParkerModulation(_OnePotential):
    """The steady 1D Parker equation (diffusion, solar wind, adiabatic losses; the LIS at the
    heliopause) solved at the observer, with the HelMod-like diffusion
    kappa = (beta/3) K0 (R/1 GV)(1 + r/1 AU) whose force-field equivalent is ``phi_GV`` [GV]
    (:meth:`~.parker.HelModLikeDiffusion.from_phi`); phi = 0 is no modulation."""

    phi_GV: float
    name: str = "parker"


    def modulate(self, T, lis, species: str) -> np.ndarray:
        from .parker import HelModLikeDiffusion, solve_parker

        if self.phi_GV == 0.0:
            return _force_field(T, lis, 0.0, species)  # no modulation
        diffusion = HelModLikeDiffusion.from_phi(self.phi_GV)
        return solve_parker(T, lis, species, diffusion).flux(T)



@dataclass(frozen=True)
class TransferMatrixModulation:
    """A LIS -> TOA :class:`~positrons.heliosphere.transfer_matrix.TransferMatrix` per species
    (a numerical code's result, e.g. HelMod); a species without a matrix is refused."""

    matrices: dict = field(default_factory=dict)
    name: str = "transfer matrix"

    def modulate(self, T, lis, species: str) -> np.ndarray:
        name = kin.get_species(species).name
        if name not in self.matrices:
            raise ValueError(f"no transfer matrix for {name} (have: {', '.join(sorted(self.matrices)) or 'none'})")
        return self.matrices[name].apply(lis, T)

    def settings(self) -> dict:
        return {"modulation": self.name,
                "provenance": {k: m.provenance for k, m in sorted(self.matrices.items())}}
