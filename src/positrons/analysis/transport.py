"""The prediction chain, written once: grid -> propagator -> energy response -> flux -> modulation.

* :class:`Transport` -- the numerical settings of a transport solution as one frozen value:
  the grid (:class:`~positrons.propagation.grid.GridSpec`), the solver
  (:class:`~positrons.propagation.solution.SolverSettings`) and the disk cache of responses
  and solutions (:class:`~positrons.cache.ArrayCache`; None: none).  ``settings()`` is the flat
  mapping every result records.
* :class:`GalacticResponse` -- one propagation model, one species, one transport energy range
  and one :class:`Transport`: it builds its propagator on first use and keeps the energy
  responses it computed (Green's-function rows, :meth:`Propagator.energy_response`), so that a
  source of a fixed spatial profile costs a matrix-vector product per spectrum.  There is no
  module-level cache: a caller that wants to reuse a response holds the object and passes it
  on (``response=`` of the pipelines).
* :func:`interstellar_range` -- the interstellar kinetic energies [GeV] that data at Earth
  need under a modulation (the rows of a response to compute).
* :func:`flux_at_data` -- a propagated interstellar flux modulated and evaluated at the data
  energies (log-log interpolation).

Units: kinetic energy T [GeV] of the whole particle; fluxes in m^-2 s^-1 sr^-1 GeV^-1 (as
:meth:`positrons.propagation.solution.Solution.flux`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .. import kinematics as kin
from ..cache import ArrayCache
from ..heliosphere.force_field import as_spectrum, charge_shift
from ..heliosphere.modulation import ForceFieldModulation, Modulation, NoModulation
from ..propagation.diffusion2d import Propagator
from ..propagation.grid import GridSpec
from ..propagation.models import PropagationModel, get_propagation_model
from ..propagation.solution import SolverSettings

#: kind (subdirectory) of the default disk cache of transport responses and solutions
RESPONSE_CACHE_KIND = "responses"


def default_cache() -> ArrayCache:
    """The disk cache of transport responses (:data:`RESPONSE_CACHE_KIND`; directory resolved
    when the cache is made: ``$POSITRONS_CACHE_DIR`` or ``~/.cache/positrons``)."""
    return ArrayCache(RESPONSE_CACHE_KIND)


@dataclass(frozen=True)
class Transport:
    """Numerical settings of a transport solution (a grid is part of a result: every result
    records :meth:`settings`).  ``cache`` is where responses are kept on disk (None: nowhere);
    it changes no number, so it is not compared and not recorded."""

    grid_spec: GridSpec = field(default_factory=GridSpec)
    solver: SolverSettings = field(default_factory=SolverSettings)
    cache: ArrayCache | None = field(default_factory=default_cache, compare=False, repr=False)

    def __post_init__(self):
        if not isinstance(self.grid_spec, GridSpec):
            raise TypeError(f"grid_spec must be a GridSpec, got {type(self.grid_spec).__name__}")
        if not isinstance(self.solver, SolverSettings):
            raise TypeError(f"solver must be SolverSettings, got {type(self.solver).__name__}")

    @classmethod
    def of(cls, value: Transport | GridSpec | None) -> Transport:
        """``value`` as a Transport: None -> the defaults, a GridSpec -> that grid with the
        default solver and cache, a Transport -> itself."""
        if value is None:
            return cls()
        if isinstance(value, Transport):
            return value
        if isinstance(value, GridSpec):
            return cls(grid_spec=value)
        raise TypeError(f"expected a Transport, a GridSpec or None, got {type(value).__name__}")

    def settings(self) -> dict:
        """The settings that change a number: grid spacings [kpc], energies per decade, solver."""
        spec = self.grid_spec
        return {"dR_kpc": spec.dR_kpc, "dz_kpc": spec.dz_kpc, "dz_max_kpc": spec.dz_max_kpc,
                "energy_points_per_decade": spec.energy_points_per_decade, "solver": self.solver.as_dict()}

    def propagator(self, model: PropagationModel, species: str, T, ism=None) -> Propagator:
        """The propagator of ``species`` for ``model`` on kinetic energies ``T`` [GeV] (assembled;
        factorised on its first solve)."""
        grid = self.grid_spec.grid(model, T)
        return Propagator.for_species(model, grid, species, ism=ism, settings=self.solver, cache=self.cache)


class GalacticResponse:
    """A propagator of one model, species and energy range, and the responses it computed.

    Parameters
    ----------
    model : str or PropagationModel
    species : str
        Propagated species (its energy losses; e.g. "positron").
    energy_range_GeV : (float, float)
        Transport kinetic-energy range [GeV]; the energies are ``transport.grid_spec.energies``.
    transport : Transport, GridSpec or None
    ism : positrons.interstellar.InterstellarMedium, optional
        The medium of the energy losses (default: the model's default medium).
    """

    def __init__(self, model, species: str, energy_range_GeV: tuple[float, float],
                 transport: Transport | GridSpec | None = None, ism=None):
        self.model = get_propagation_model(model)
        self.species = species
        self.energy_range_GeV = (float(energy_range_GeV[0]), float(energy_range_GeV[1]))
        self.transport = Transport.of(transport)
        self.ism = ism
        self.transport.grid_spec.validate_for(self.model)
        self._propagator: Propagator | None = None
        self._responses: dict = {}

    @property
    def T(self) -> np.ndarray:
        """Transport kinetic energies [GeV]."""
        return self.transport.grid_spec.energies(*self.energy_range_GeV)

    @property
    def propagator(self) -> Propagator:
        """The propagator (built on first use)."""
        if self._propagator is None:
            self._propagator = self.transport.propagator(self.model, self.species, self.T, ism=self.ism)
        return self._propagator

    @property
    def grid(self):
        return self.propagator.grid

    def matches(self, model: PropagationModel, species: str, energy_range_GeV, transport: Transport) -> bool:
        """True if this response was made for these settings (a passed-in ``response=`` is checked)."""
        return (self.model == model and self.species == species
                and self.energy_range_GeV == (float(energy_range_GeV[0]), float(energy_range_GeV[1]))
                and self.transport == transport)

    def response(self, profile: Callable | np.ndarray, observed_GeV: tuple | None = None,
                 name: str | None = None, progress: Callable | None = None) -> np.ndarray:
        """Energy response G [n_T x n_T] at the Sun to sources ``profile(R, z) x Q(T)``:
        ``density = G @ Q`` [cm^-3 GeV^-1] (:meth:`Propagator.energy_response`).

        A callable profile is averaged over the grid cells (a cusp, e.g. the NFW halo, is not
        sampled at a node).  ``observed_GeV = (lo, hi)``: only the rows of the grid energies
        bracketing that range (the others NaN).  ``name``: a label under which this object keeps
        the response (a second call with the same name and range costs nothing); the disk cache
        is keyed by the profile values, the operator and the solver settings.  ``progress``:
        ``progress(done, total)`` after each adjoint solve (:meth:`Propagator.energy_response`)."""
        key = (name, observed_GeV)
        if name is not None and key in self._responses:
            return self._responses[key]
        prop = self.propagator
        values = prop.grid.cell_average(profile) if callable(profile) else np.asarray(profile, dtype=float)
        G = prop.energy_response(values, observed_GeV=observed_GeV, progress=progress)
        if name is not None:
            self._responses[key] = G
        return G

    def halo_response(self, observed_GeV: tuple | None = None, progress: Callable | None = None) -> np.ndarray:
        """Response to sources shaped like the dark-matter density of the NFW halo (f_PBH = 1,
        :class:`positrons.sources.pbh.source.PBHSource`), per unit source spectrum [GeV^-1 s^-1
        per GeV of PBH mass].  The propagator's LU factors are released afterwards (they are
        rebuilt if a solve needs them)."""
        from ..sources.pbh.mass_functions import Monochromatic
        from ..sources.pbh.source import PBHSource

        key = ("pbh halo", observed_GeV)
        if key not in self._responses:
            profile = PBHSource(mass_function=Monochromatic(1e16)).profile  # rho_DM of the NFW halo
            self.response(profile, observed_GeV, name="pbh halo", progress=progress)
            self.propagator.release_factors()
        return self._responses[key]

    def flux(self, G: np.ndarray, Q: np.ndarray) -> np.ndarray:
        """Intensity at the Sun [m^-2 s^-1 sr^-1 GeV^-1] of spectrum ``Q`` on :attr:`T` through
        response ``G`` (NaN outside the rows G holds)."""
        return kin.flux_from_density(G @ np.asarray(Q, dtype=float), self.grid.T, kin.get_species(self.species).mass)

    def solve(self, source):
        """The whole :class:`~positrons.propagation.solution.Solution` of ``source`` (an array
        of ``grid.shape`` or a callable q(R, z, T), as :meth:`Propagator.solve`)."""
        return self.propagator.solve(source)

    def solve_flux(self, source) -> np.ndarray:
        """Intensity at the Sun [m^-2 s^-1 sr^-1 GeV^-1] of ``source`` (one forward solve)."""
        return self.solve(source).flux(self.model.r_sun_kpc)


def interstellar_range(modulation: Modulation, E, species: str, spread: float = 0.0) -> tuple[float, float] | None:
    """Interstellar kinetic energies [GeV] that data at Earth energies ``E`` need.

    Force field: T at Earth maps to T + |Z| phi outside the heliosphere; ``spread`` [GV] widens
    the range to phi -/+ spread (a band of potentials; the low side stops at phi = 0).  No
    modulation: the data energies themselves.  Any other model: None (every energy)."""
    E = np.asarray(E, dtype=float)
    if isinstance(modulation, ForceFieldModulation):
        phi = modulation.phi_GV
        if phi > 0:
            lo, hi = charge_shift(max(phi - spread, 0.0), species), charge_shift(phi + spread, species)
            return float(E.min() + lo), float(E.max() + hi)
        return float(E.min()), float(E.max())
    if isinstance(modulation, NoModulation):
        return float(E.min()), float(E.max())
    return None


def flux_at_data(T, flux, E, modulation: Modulation, species: str) -> np.ndarray:
    """The interstellar ``flux`` on ``T`` [GeV] modulated by ``modulation`` at Earth energies ``E``.

    ``flux`` may be NaN outside the energies a response was computed for: the interstellar
    energies the data need (:func:`interstellar_range`) must lie inside its finite part, else
    ValueError.  Where the flux underflows to 0 (far above a hole's emission) the result is 0;
    between the positive points it is interpolated in log-log."""
    T, flux, E = np.asarray(T, dtype=float), np.asarray(flux, dtype=float), np.asarray(E, dtype=float)
    computed = T[np.isfinite(flux)]
    needed = interstellar_range(modulation, E, species)
    if needed is not None and (computed.size == 0 or needed[0] < computed[0] * (1 - 1e-9)
                               or needed[1] > computed[-1] * (1 + 1e-9)):
        raise ValueError(f"the propagated flux covers {computed[0] if computed.size else np.nan:g}-"
                         f"{computed[-1] if computed.size else np.nan:g} GeV; the data need {needed[0]:g}-"
                         f"{needed[1]:g} GeV")
    positive = np.isfinite(flux) & (flux > 0)
    if positive.sum() < 2:  # nothing reaches these energies (e.g. no re-acceleration): no signal
        return np.zeros(E.shape)
    lis = (T[positive], flux[positive])
    if isinstance(modulation, ForceFieldModulation) and modulation.phi_GV == 0 or isinstance(modulation, NoModulation):
        toa = as_spectrum(lis)(E)
    else:
        toa = modulation.modulate(E, lis, species)
    return np.nan_to_num(toa, nan=0.0)


def choose_modulation(modulation: Modulation | None, phi_GV: float | None, default_phi_GV: float,
                      local_interstellar: bool = False) -> Modulation:
    """The modulation of a pipeline from exactly one of ``modulation`` and ``phi_GV``.

    ``modulation`` given: used as it is.  Else a force field at ``phi_GV`` (None: the model's
    ``default_phi_GV``); data taken beyond the heliopause (``local_interstellar``, Voyager 1)
    get :class:`NoModulation`."""
    if modulation is not None and phi_GV is not None:
        raise ValueError("give a modulation or phi_GV, not both")
    if modulation is not None:
        if not isinstance(modulation, Modulation):
            raise TypeError(f"modulation must implement positrons.heliosphere.modulation.Modulation, "
                            f"got {type(modulation).__name__}")
        return modulation
    if local_interstellar:
        return NoModulation()
    if phi_GV is not None and not (np.isfinite(phi_GV) and phi_GV >= 0):
        raise ValueError(f"phi_GV must be a finite potential >= 0 GV (got {phi_GV})")
    return ForceFieldModulation(default_phi_GV if phi_GV is None else float(phi_GV))


def phi_of(modulation: Modulation) -> float | None:
    """The force-field potential [GV] a result records: phi of a force field, 0 without
    modulation, None for any other model (its settings say what it is)."""
    if isinstance(modulation, ForceFieldModulation):
        return modulation.phi_GV
    if isinstance(modulation, NoModulation):
        return 0.0
    return None
