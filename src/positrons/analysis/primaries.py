"""Primary cosmic rays (protons, helium, electrons) from SNR-like sources, normalised to data.

Injection: q(R, z, rho) = n(R, z) x broken power law in rigidity rho, with
the model's source distribution n(R, z) (:meth:`PropagationModel.source_distribution`) and
injection indices (:attr:`PropagationModel.proton_injection` for protons and, at equal
rigidity, helium; :data:`ELECTRON_INJECTION` for electrons).  Per unit kinetic energy the
source is ``q_R / (dT/dR)``.

The normalisation is not predicted: :func:`fit_primary` propagates the shape once, modulates
it (a :class:`~positrons.heliosphere.modulation.Modulation`; default the force field at the
model's phi) and fits the one free factor to a dataset (weighted least squares, analytic
because the flux is linear in it).  The result, :class:`PrimaryFit`, has ``to_table()``,
``write(path)`` and ``plot(ax=None)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .. import kinematics as kin
from ..data import load
from ..heliosphere.modulation import Modulation
from ..propagation.diffusion2d import Propagator, Solution
from ..propagation.grid import GridSpec
from ..propagation.injection import injection_on_grid
from ..propagation.models import Injection, PropagationModel, get_propagation_model
from .transport import Transport, choose_modulation

#: default kinetic-energy range of propagated primaries [GeV] (whole nucleus)
PRIMARY_RANGE_GEV = (0.1, 1e4)

@dataclass(frozen=True)
class PrimaryFit:
    """A propagated primary normalised to a dataset."""

    model: str
    species: str
    dataset: str
    phi_GV: float
    normalisation: float  # multiplies the unit-normalised source (1 per cm^3 s GV at 1 GV, at the Sun)
    chi2: float
    n_points: int
    T: np.ndarray
    flux_lis: np.ndarray  # m^-2 s^-1 sr^-1 GeV^-1 at the Sun, unmodulated
    solution: Solution
    #: the modulation used in the fit (``Modulation.settings()``)
    modulation: dict | None = None

    def to_table(self):
        """The normalised local interstellar flux on ``T`` [GeV]; normalisation, chi2, the
        modulation and the solver settings in ``meta``."""
        from .records import table_with_meta

        return table_with_meta(
            {"T_GeV": (self.T, "GeV", "kinetic energy (whole nucleus)"),
             "flux_lis": (self.flux_lis, "1 / (GeV m2 s sr)", "local interstellar flux at the Sun (unmodulated)")},
            {"model": self.model, "species": self.species, "dataset": self.dataset, "phi_GV": self.phi_GV,
             "normalisation": self.normalisation, "chi2": self.chi2, "n_points": self.n_points,
             "modulation": self.modulation, "solver": self.solution.settings.as_dict()})

    def write(self, path) -> None:
        """Write :meth:`to_table` atomically (``.ecsv`` or ``.csv``)."""
        from .records import write_result

        write_result(self, path, (".ecsv", ".csv"))

    def plot(self, ax=None):
        """T^3 x the local interstellar flux; returns the figure."""
        from ..plotting.spectra import plot_local_spectrum

        return plot_local_spectrum(self.T, self.flux_lis, f"{self.species}, model {self.model} (LIS, fitted to "
                                   f"{self.dataset})", ax=ax)


def propagate_primary(model, species: str, T, transport: Transport | GridSpec | None = None,
                      injection: Injection | None = None, ism=None) -> tuple[Propagator, Solution]:
    """Propagate the unit-normalised primary ``species`` with ``model`` on energies ``T`` [GeV]
    (grid, solver and solution cache of ``transport``)."""
    model = get_propagation_model(model)
    prop = Transport.of(transport).propagator(model, species, T, ism=ism)
    return prop, prop.solve(injection_on_grid(model, species, prop.grid, injection))


def fit_primary(model, species: str, dataset: str, T=None, energy_min=None, energy_max=None,
                transport: Transport | GridSpec | None = None, injection: Injection | None = None,
                propagator: Propagator | None = None, modulation: Modulation | None = None) -> PrimaryFit:
    """Propagate and normalise a primary to ``dataset`` (``modulation``; default the force field
    at the model's phi).

    ``propagator``: an already built one for ``species`` (or a particle of the same mass and
    losses, e.g. electrons for positrons) on ``model``'s grid, reused instead of a new one.
    The factor A minimising chi^2 = sum ((A f_i - d_i) / sigma_i)^2 is
    A = sum(f d / sigma^2) / sum(f^2 / sigma^2) (sigma: total errors, the mean of the two sides).
    """
    model = get_propagation_model(model)
    if propagator is not None:
        solution = propagator.solve(injection_on_grid(model, species, propagator.grid, injection))
    else:
        transport = Transport.of(transport)
        T = transport.grid_spec.energies(*PRIMARY_RANGE_GEV) if T is None else np.asarray(T, dtype=float)
        _, solution = propagate_primary(model, species, T, transport, injection)
    return normalise_primary(model, species, solution, dataset, energy_min, energy_max, modulation)


def normalise_primary(model: PropagationModel, species: str, solution: Solution, dataset: str, energy_min=None,
                      energy_max=None, modulation: Modulation | None = None) -> PrimaryFit:
    """Normalise a propagated unit-injection ``solution`` to ``dataset`` (see :func:`fit_primary`)."""
    mod = choose_modulation(modulation, None, model.phi_GV)
    T = solution.grid.T
    flux = solution.flux(model.r_sun_kpc)
    data = load(dataset).to_kinetic_energy()
    if energy_min is not None or energy_max is not None:
        data = data.select(energy_min, energy_max)
    lo, hi = data.errors()
    sigma = 0.5 * (lo + hi)
    keep = np.isfinite(sigma) & (sigma > 0) & (data.energy >= T[0]) & (data.energy <= T[-1])
    E, d, s = data.energy[keep], data.value[keep], sigma[keep]
    positive = flux > 0
    model_at_data = mod.modulate(E, (T[positive], flux[positive]), species)
    A = float(np.sum(model_at_data * d / s**2) / np.sum(model_at_data**2 / s**2))
    chi2 = float(np.sum(((A * model_at_data - d) / s) ** 2))
    phi = getattr(mod, "phi_GV", float("nan"))
    return PrimaryFit(model.name, kin.get_species(species).name, data.id, phi, A, chi2, int(E.size), T,
                      A * flux, solution, mod.settings())
