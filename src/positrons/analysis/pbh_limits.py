"""Upper limits on the PBH fraction of dark matter, f_PBH(M), from e+- data (SPEC section 7).

For one propagation model, one dataset and a list of masses:

1. the transport operator is built once and its energy response to sources shaped like the
   dark-matter halo is computed once (:meth:`Propagator.energy_response`): every mass then
   costs a matrix-vector product;
2. the local interstellar e+ flux for f_PBH = 1 is modulated with the force field (phi of the
   model, or 0 for local-interstellar data such as Voyager 1) and evaluated at the data
   energies (log-log interpolation); for datasets of e+ + e- the PBH signal is doubled
   (holes emit both charges equally);
3. the limit is :func:`positrons.stats.limits.limit_without_background` (no point exceeded by
   more than 2 sigma) or, with ``background="secondary"``, the profiled Delta chi^2 = 3.84 limit of
   :func:`positrons.stats.limits.limit_with_background` with the propagated and modulated
   secondary positrons rescaled by A (T/GeV)^delta.

Datasets: AMS-02 positron flux (default, 0.5-5.2 GeV: SPEC section 7), AMS-02 e+ + e-, Voyager
1 e+ + e-.  Points without a published error (4 of the 9 Voyager 1 points) are used with the
error the dataset declares (``missing_errors="assume"``, default: 10 % for Voyager 1) or left
out (``"skip"``); every result records the rule and the counts (``data_points_used``,
``data_points_assumed_error``; :class:`~positrons.stats.likelihood.Chi2`).

Which tool when:

* :func:`pbh_limit_scan` -- one (model, dataset, mass function), a list of masses, in this process;
* :func:`pbh_limit_band` -- the same at phi - 0.1, phi, phi + 0.1 GV (the force-field
  uncertainty); for Voyager 1 (local interstellar, unmodulated) the band has zero width;
* :func:`limit_spectra` -- the signal at the limit and the fitted background on a fine energy
  grid, for a figure of one mass;
* :func:`positrons.stats.scan_io.run_scan` -- a resumable scan written to ECSV;
* :mod:`positrons.stats.dask_scan` -- many (model, dataset, mass function) jobs at once.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from ..data import load
from ..heliosphere.force_field import as_spectrum, modulate
from . import galactic
from ..propagation.diffusion2d import Propagator, SolverSettings
from ..propagation.grid import GridSpec
from ..propagation.models import PropagationModel, get_propagation_model
from ..sources.pbh.mass_functions import M_MIN_DEFAULT, MAX_PRESENT_DAY_MASS_G
from ..stats.likelihood import Chi2
from ..stats.limits import limit_with_background, limit_without_background

#: default energy ranges [GeV] per dataset (SPEC section 7 for the AMS-02 positron flux)
DEFAULT_RANGES = {
    "ams02_positron_flux_prl2019": (0.5, 5.2),
    "ams02_allelectron_flux_physrep2021_crdb": (0.5, 5.2),
    "voyager1_electron_lis_cummings2016": (None, None),
}
#: masses [g] a limit scan accepts: from the lightest holes surviving today to the heaviest that
#: still emit e+- (:mod:`positrons.sources.pbh.mass_functions`)
MASS_RANGE_G = (M_MIN_DEFAULT, MAX_PRESENT_DAY_MASS_G)
#: transport energy range for PBH positrons [GeV]: from 0.1 MeV (below the lightest holes'
#: emission and Voyager 1) to 100 GeV
PBH_RANGE_GEV = (1e-4, 100.0)


@dataclass(frozen=True)
class ScanResult:
    """f_PBH limits for each mass, with the settings that produced them."""

    model: str
    dataset: str
    mass_function: str
    sigma: float | None
    background: str
    phi_GV: float
    masses_g: np.ndarray
    f_limit: np.ndarray
    driving_energy_GeV: np.ndarray
    chi2_min: np.ndarray = field(default=None)
    A_best: np.ndarray = field(default=None)
    delta_best: np.ndarray = field(default=None)
    #: transport grid (a grid is part of the result: STYLE convention 6): spacings [kpc] and
    #: energies per decade, and the solver settings
    dR_kpc: float | None = None
    dz_kpc: float | None = None
    dz_max_kpc: float | None = None
    energy_points_per_decade: float | None = None
    solver: dict | None = None
    #: (low, high) kinetic-energy range of the data points used [GeV]; None: no cut on that side
    energy_range_GeV: tuple | None = None
    #: rule for data points without a published error ("assume" or "skip", Chi2's missing_errors)
    missing_errors: str | None = None
    #: number of data points used, and how many of them with an assumed (not published) error
    data_points_used: int | None = None
    data_points_assumed_error: int | None = None
    #: every field of the PropagationModel used (plain types; written to scan files, not in settings())
    model_parameters: Mapping | None = None

    @property
    def fit_ndof(self) -> int | None:
        """Degrees of freedom of the background fit (data points - 3: f_PBH, A, delta); None
        without background."""
        if self.background == "none" or self.data_points_used is None:
            return None
        return int(self.data_points_used) - 3

    @property
    def fit_p_value(self) -> np.ndarray | None:
        """Probability of a chi^2 at least chi2_min with :attr:`fit_ndof` degrees of freedom
        (the goodness of the background fit behind each limit; a small value says the limit
        rests on a rejected fit)."""
        from scipy.stats import chi2 as chi2_distribution

        ndof = self.fit_ndof
        if ndof is None or ndof < 1 or self.chi2_min is None:
            return None
        return chi2_distribution.sf(np.asarray(self.chi2_min, dtype=float), ndof)

    def columns(self) -> dict:
        cols = {"M_g": self.masses_g, "f_PBH_limit": self.f_limit, "driving_point_E_GeV": self.driving_energy_GeV}
        if self.background != "none":
            cols.update({"chi2_min": self.chi2_min, "A_best": self.A_best, "delta_best": self.delta_best})
            if self.fit_p_value is not None:
                cols.update({"chi2_min_per_ndof": np.asarray(self.chi2_min, dtype=float) / self.fit_ndof,
                             "fit_p_value": self.fit_p_value})
        return cols

    def settings(self) -> dict:
        """The settings that produced the scan (everything but the per-mass columns and the
        model parameters).  A resumed scan file must agree on every key
        (:func:`positrons.stats.scan_io.run_scan`); :func:`requested_settings` must give the same
        keys (a test checks it)."""
        return {"model": self.model, "dataset": self.dataset, "mass_function": self.mass_function,
                "sigma": self.sigma, "background": self.background, "phi_GV": self.phi_GV,
                "dR_kpc": self.dR_kpc, "dz_kpc": self.dz_kpc, "dz_max_kpc": self.dz_max_kpc,
                "energy_points_per_decade": self.energy_points_per_decade, "solver": self.solver,
                "energy_range_GeV": None if self.energy_range_GeV is None else list(self.energy_range_GeV),
                "missing_errors": self.missing_errors, "data_points_used": self.data_points_used,
                "data_points_assumed_error": self.data_points_assumed_error}

    @classmethod
    def from_settings(cls, settings: Mapping, **arrays) -> ScanResult:
        """A ScanResult from a :meth:`settings` mapping (as read from a file) and the per-mass
        arrays (and ``model_parameters``); settings a file lacks are None."""
        names = {f.name for f in dataclasses.fields(cls)}
        kwargs = {k: v for k, v in settings.items() if k in names}
        if kwargs.get("energy_range_GeV") is not None:
            kwargs["energy_range_GeV"] = tuple(kwargs["energy_range_GeV"])
        kwargs["phi_GV"] = float(kwargs["phi_GV"])
        return cls(**{"sigma": None, **kwargs, **arrays})

    def to_table(self):
        """An astropy Table: one row per mass, units on the columns, the settings in ``meta``
        (see :func:`positrons.stats.scan_io.scan_to_table`)."""
        from .scans import scan_to_table

        return scan_to_table(self)

    def write(self, path) -> None:
        """Write the scan to ECSV atomically (:func:`positrons.stats.scan_io.write_scan`)."""
        from .scans import write_scan

        write_scan(self, path)

    def take(self, index) -> ScanResult:
        """The scan restricted to the masses ``index`` selects (a mask or integer indices)."""
        def pick(a):
            return None if a is None else np.asarray(a)[index]

        return replace(self, masses_g=pick(self.masses_g), f_limit=pick(self.f_limit),
                       driving_energy_GeV=pick(self.driving_energy_GeV), chi2_min=pick(self.chi2_min),
                       A_best=pick(self.A_best), delta_best=pick(self.delta_best))

    def merged(self, other: ScanResult) -> ScanResult:
        """This scan and ``other`` (same settings) in one, sorted by mass; ``other`` wins on a
        repeated mass."""
        if other.settings() != self.settings():
            raise ValueError(f"cannot merge scans with different settings: {self.settings()} vs {other.settings()}")
        keep = ~np.isin(self.masses_g, other.masses_g)

        def cat(a, b, n_a, n_b):
            a = np.full(n_a, np.nan) if a is None else np.asarray(a, dtype=float)
            b = np.full(n_b, np.nan) if b is None else np.asarray(b, dtype=float)
            return np.concatenate([a, b])

        mine = self.take(keep)
        n_a, n_b = len(mine.masses_g), len(other.masses_g)
        both = replace(self, **{name: cat(getattr(mine, name), getattr(other, name), n_a, n_b)
                               for name in _PER_MASS})
        return both.take(np.argsort(both.masses_g, kind="stable"))


_PER_MASS = ("masses_g", "f_limit", "driving_energy_GeV", "chi2_min", "A_best", "delta_best")


@dataclass(frozen=True)
class PhiBand:
    """Limits at the force-field potential phi and at phi -/+ dphi (SPEC section 7 asks 0.1 GV).

    ``low`` and ``high`` are the scans at phi - dphi and phi + dphi; ``lower_f`` and
    ``upper_f`` their per-mass envelope with the central scan.  For local-interstellar data
    (Voyager 1) nothing is modulated: ``modulated`` is False and the band has zero width
    (``low`` and ``high`` are the central scan)."""

    central: ScanResult
    low: ScanResult
    high: ScanResult
    dphi_GV: float
    modulated: bool

    @property
    def lower_f(self) -> np.ndarray:
        return np.fmin(np.fmin(self.low.f_limit, self.high.f_limit), self.central.f_limit)

    @property
    def upper_f(self) -> np.ndarray:
        return np.fmax(np.fmax(self.low.f_limit, self.high.f_limit), self.central.f_limit)


def _signal_at_data(T, flux_lis, chi2: Chi2, phi: float, species: str):
    """Force-field modulated flux evaluated at the data energies (log-log interpolation).

    ``flux_lis`` may be NaN outside the energies a response was computed for: the interstellar
    energies the data need (T + phi) must lie inside the finite part, else an error.  Where the
    computed flux underflows to 0 (far above a hole's emission) the signal is 0."""
    computed = T[np.isfinite(flux_lis)]
    needed = np.asarray(chi2.energies, dtype=float) + (phi if phi > 0 else 0.0)
    if computed.size == 0 or needed.min() < computed[0] * (1 - 1e-9) or needed.max() > computed[-1] * (1 + 1e-9):
        raise ValueError(f"the propagated flux covers {computed[0] if computed.size else np.nan:g}-"
                         f"{computed[-1] if computed.size else np.nan:g} GeV; the data need {needed.min():g}-"
                         f"{needed.max():g} GeV")
    positive = np.isfinite(flux_lis) & (flux_lis > 0)
    if positive.sum() < 2:  # nothing reaches these energies (e.g. no re-acceleration): no signal
        return np.zeros(len(chi2.energies))
    if phi > 0:
        toa = modulate(chi2.energies, (T[positive], flux_lis[positive]), phi, species)
    else:
        toa = as_spectrum((T[positive], flux_lis[positive]))(np.asarray(chi2.energies, dtype=float))
    return np.nan_to_num(toa, nan=0.0)


def _observed_range(chi2: Chi2, phi: float, dphi: float = 0.0) -> tuple[float, float]:
    """Interstellar kinetic energies [GeV] the data points of ``chi2`` need: the force field
    maps T at Earth to T + phi (e+-) outside the heliosphere."""
    E = np.asarray(chi2.energies, dtype=float)
    lo_phi, hi_phi = (max(phi - dphi, 0.0), phi + dphi) if phi > 0 else (0.0, 0.0)
    return float(E.min() + lo_phi), float(E.max() + hi_phi)


_RESPONSES: dict = {}


def halo_propagator(model: PropagationModel, grid_spec: GridSpec | None = None,
                    settings: SolverSettings = SolverSettings(), cache=None) -> Propagator:
    """The e+ propagator of ``model`` on :data:`PBH_RANGE_GEV` (the operator is assembled; it
    is factorised on its first solve)."""
    spec = GridSpec() if grid_spec is None else grid_spec
    grid = spec.grid(model, spec.energies(*PBH_RANGE_GEV))
    return Propagator.for_species(model, grid, "positron", settings=settings, cache=cache)


def propagated_halo_response(model: PropagationModel, grid_spec: GridSpec | None = None,
                             settings: SolverSettings = SolverSettings(), cache=None, observed_GeV=None):
    """(propagator, response) for e+ sources shaped like the NFW halo (f_PBH = 1, averaged over
    the grid cells), for the interstellar energies ``observed_GeV = (lo, hi)`` (None: all):
    kept in this process per (model, grid, settings, range), and on disk in ``cache``."""
    from ..sources.pbh.mass_functions import Monochromatic
    from ..sources.pbh.source import PBHSource

    spec = GridSpec() if grid_spec is None else grid_spec
    key = (model, spec, settings, observed_GeV)
    if key not in _RESPONSES:
        prop = halo_propagator(model, spec, settings, cache)
        halo_profile = PBHSource(mass_function=Monochromatic(1e16)).profile  # f_PBH = 1, NFW
        if len(_RESPONSES) > 8:
            _RESPONSES.clear()
        G = prop.energy_response(prop.grid.cell_average(halo_profile), observed_GeV=observed_GeV)
        prop.release_factors()  # kept for its grid and (rarely) a background solve: not its LU factors
        _RESPONSES[key] = (prop, G)
    return _RESPONSES[key]


def pbh_limit_scan(
    model: str | PropagationModel,
    masses_g,
    dataset: str = "ams02_positron_flux_prl2019",
    mass_function: str = "monochromatic",
    sigma: float = 1.0,
    background: str = "none",
    phi_GV: float | None = None,
    energy_range=None,
    grid_spec: GridSpec | None = None,
    settings: SolverSettings = SolverSettings(),
    cache=None,
    dphi_GV: float = 0.0,
    missing_errors: str = "assume",
) -> ScanResult:
    """Upper limits on f_PBH for each mass [g] (see the module docstring).

    ``missing_errors`` ("assume" or "skip"): data points without a published error
    (:class:`~positrons.stats.likelihood.Chi2`); the result records it and the point counts."""
    from ..sources.pbh.mass_functions import LogNormal, Monochromatic
    from ..sources.pbh.source import PBHSource

    spec = GridSpec() if grid_spec is None else grid_spec
    model, data, chi2, header = _scan_header(model, dataset, mass_function, sigma, background, phi_GV,
                                             energy_range, spec, settings, missing_errors)
    phi = header.phi_GV
    both_charges = data.species == "electron+positron"

    # the response rows for the data (and, with dphi, the same rows serve phi -+ dphi)
    prop, response = propagated_halo_response(model, spec, settings, cache, _observed_range(chi2, phi, dphi_GV))
    grid = prop.grid

    background_at_data = None
    if background == "secondary":
        background_at_data = _signal_at_data(grid.T, _secondary_background(model, prop, spec), chi2, phi, "positron")

    masses = np.atleast_1d(np.asarray(masses_g, dtype=float))
    if masses.size and not (np.all(np.isfinite(masses)) and masses.min() >= MASS_RANGE_G[0]
                            and masses.max() <= MASS_RANGE_G[1]):
        raise ValueError(f"PBH masses must lie in {MASS_RANGE_G[0]:g}-{MASS_RANGE_G[1]:g} g (lighter holes have "
                         "evaporated by today; heavier ones emit too few e+ for these data)")
    f_lim = np.full(masses.shape, np.nan)
    driving = np.full(masses.shape, np.nan)
    chi2_min, A_best, d_best = (np.full(masses.shape, np.nan) for _ in range(3))
    for i, mass in enumerate(masses):
        mf = Monochromatic(mass) if mass_function == "monochromatic" else LogNormal(mass, sigma)
        Q = PBHSource(mass_function=mf).spectrum(grid.T)
        from .. import kinematics as kin

        flux = kin.flux_from_density(response @ Q, grid.T, kin.SPECIES["positron"].mass)
        signal = _signal_at_data(grid.T, flux, chi2, phi, "positron") * (2.0 if both_charges else 1.0)
        if background == "none":
            lim = limit_without_background(signal, chi2)
            f_lim[i], driving[i] = lim.f, lim.driving_energy_GeV if lim.driving_energy_GeV is not None else np.nan
        else:
            lim = limit_with_background(signal, background_at_data, chi2)
            f_lim[i], driving[i] = lim.f_limit, lim.driving_energy_GeV
            chi2_min[i], A_best[i], d_best[i] = lim.chi2_min, lim.A_best, lim.delta_best
    return replace(header, masses_g=masses, f_limit=f_lim, driving_energy_GeV=driving, chi2_min=chi2_min,
                   A_best=A_best, delta_best=d_best)


def _secondary_background(model: PropagationModel, prop: Propagator, spec: GridSpec) -> np.ndarray:
    """Interstellar flux of secondary e+ [m^-2 s^-1 sr^-1 GeV^-1] on ``prop``'s energies
    (the local-LIS-shape source of :func:`positrons.propagation.galactic.secondary_profile_and_spectrum`)."""
    profile, q = galactic.secondary_profile_and_spectrum(model, "positron", prop.grid.T, grid_spec=spec)
    sec = prop.solve(lambda R, z, TT: profile(R[..., 0], z[..., 0])[..., None] * q[None, None, :])
    return sec.flux(model.r_sun_kpc)


def _range(lo, hi) -> tuple:
    return (None if lo is None else float(lo), None if hi is None else float(hi))


def _phi(model: PropagationModel, data, phi_GV) -> float:
    """Force-field potential [GV]: 0 for local-interstellar data, else ``phi_GV`` or the model's."""
    return 0.0 if "local_interstellar" in data.flags else (model.phi_GV if phi_GV is None else float(phi_GV))


def _model_parameters(model: PropagationModel) -> dict:
    """Every field of the model as plain types (tuples as lists), for a file header."""
    def plain(x):
        if isinstance(x, dict):
            return {k: plain(v) for k, v in x.items()}
        if isinstance(x, list | tuple):
            return [plain(v) for v in x]
        return x

    return plain(dataclasses.asdict(model))


def _scan_header(model, dataset, mass_function, sigma, background, phi_GV, energy_range, spec: GridSpec,
                 settings: SolverSettings, missing_errors):
    """(model, dataset, Chi2, ScanResult without masses): every setting of a scan, resolved
    and checked without any transport computation."""
    model = get_propagation_model(model)
    if background not in ("none", "secondary"):
        raise ValueError(f"background must be 'none' or 'secondary', got {background!r}")
    if phi_GV is not None and not (np.isfinite(phi_GV) and phi_GV >= 0):
        raise ValueError(f"phi_GV must be a finite potential >= 0 GV (got {phi_GV})")
    spec.validate_for(model)
    data = load(dataset)
    if data.species not in ("positron", "electron+positron") or data.quantity != "flux":
        raise ValueError(f"{data.id} is not an e+ or e+ + e- flux")
    lo, hi = energy_range if energy_range is not None else DEFAULT_RANGES.get(data.id, (None, None))
    chi2 = Chi2(data, lo, hi, missing_errors=missing_errors)
    empty = np.array([], dtype=float)
    header = ScanResult(model.name, data.id, mass_function, sigma if mass_function == "lognormal" else None,
                        background, _phi(model, data, phi_GV), empty, empty, empty,
                        dR_kpc=spec.dR_kpc, dz_kpc=spec.dz_kpc, dz_max_kpc=spec.dz_max_kpc,
                        energy_points_per_decade=spec.energy_points_per_decade, solver=settings.as_dict(),
                        energy_range_GeV=_range(lo, hi),
                        missing_errors=missing_errors, data_points_used=chi2.n_points,
                        data_points_assumed_error=chi2.n_assumed, model_parameters=_model_parameters(model))
    return model, data, chi2, header


def requested_settings(model, dataset: str = "ams02_positron_flux_prl2019", mass_function: str = "monochromatic",
                       sigma: float = 1.0, background: str = "none", phi_GV: float | None = None, energy_range=None,
                       grid_spec: GridSpec | None = None, settings: SolverSettings = SolverSettings(), cache=None,
                       dphi_GV: float = 0.0, missing_errors: str = "assume") -> dict:
    """``settings()`` plus ``model_parameters`` of the scan :func:`pbh_limit_scan` would make
    with these arguments, computed without any transport (to check a file before resuming)."""
    spec = GridSpec() if grid_spec is None else grid_spec
    header = _scan_header(model, dataset, mass_function, sigma, background, phi_GV, energy_range, spec, settings,
                          missing_errors)[3]
    return {**header.settings(), "model_parameters": header.model_parameters}


#: force-field uncertainty of SPEC section 7 [GV]
DPHI_GV = 0.1


def pbh_limit_band(model, masses_g, dataset: str = "ams02_positron_flux_prl2019", *, phi_GV: float | None = None,
                   dphi_GV: float = DPHI_GV, **kwargs) -> PhiBand:
    """:func:`pbh_limit_scan` at phi, phi - dphi and phi + dphi (the transport response is
    computed once: only the modulation changes).  ``phi`` is the model's unless ``phi_GV`` is
    given.  For local-interstellar data (Voyager 1) the three are one unmodulated scan."""
    central = pbh_limit_scan(model, masses_g, dataset, phi_GV=phi_GV, dphi_GV=dphi_GV, **kwargs)
    if "local_interstellar" in load(dataset).flags:
        return PhiBand(central, central, central, dphi_GV, modulated=False)
    if central.phi_GV - dphi_GV < 0:
        raise ValueError(f"phi - dphi = {central.phi_GV - dphi_GV:g} GV < 0")
    low = pbh_limit_scan(model, masses_g, dataset, phi_GV=central.phi_GV - dphi_GV, dphi_GV=dphi_GV, **kwargs)
    high = pbh_limit_scan(model, masses_g, dataset, phi_GV=central.phi_GV + dphi_GV, dphi_GV=dphi_GV, **kwargs)
    return PhiBand(central, low, high, dphi_GV, modulated=True)


@dataclass(frozen=True)
class LimitSpectra:
    """Fluxes at Earth for one mass, for a figure [GeV^-1 cm^-2 s^-1 sr^-1].

    ``signal`` is f_limit times the PBH flux (x2 for e+ + e- data). With a background,
    ``background`` is A (T/GeV)^delta x secondaries at the f_PBH limit (A, delta profiled
    there, so signal + background is the model that reaches Delta chi^2 = 3.84), and
    ``background_best`` the best fit; both None without background."""

    T_GeV: np.ndarray
    signal: np.ndarray
    background: np.ndarray | None
    background_best: np.ndarray | None
    f_limit: float
    model: str
    dataset: str
    mass_g: float
    label: str
    phi_GV: float
    #: the data rule and counts of the limit (as in ScanResult)
    missing_errors: str = "assume"
    data_points_used: int | None = None
    data_points_assumed_error: int | None = None


def limit_spectra(model, mass_g: float, dataset: str = "ams02_positron_flux_prl2019",
                  mass_function: str = "monochromatic", sigma: float = 1.0, background: str = "secondary",
                  phi_GV: float | None = None, grid_spec: GridSpec | None = None,
                  settings: SolverSettings = SolverSettings(), cache=None, T_plot=None,
                  missing_errors: str = "assume") -> LimitSpectra:
    """The PBH flux at the f_PBH limit of ``mass_g`` and the fitted background on ``T_plot``
    [GeV] (default 0.1-30 GeV), modulated as in :func:`pbh_limit_scan` (same limit: the data
    points use the same response; the curve on ``T_plot`` is one forward solve)."""
    from .. import kinematics as kin
    from ..sources.pbh.mass_functions import LogNormal, Monochromatic
    from ..sources.pbh.source import PBHSource

    model = get_propagation_model(model)
    data = load(dataset)
    phi = _phi(model, data, phi_GV)
    chi2 = Chi2(data, *DEFAULT_RANGES.get(data.id, (None, None)), missing_errors=missing_errors)
    counts = dict(missing_errors=missing_errors, data_points_used=chi2.n_points,
                  data_points_assumed_error=chi2.n_assumed)
    T_plot = np.geomspace(0.1, 30.0, 120) if T_plot is None else np.asarray(T_plot, dtype=float)
    points = _PlotPoints(T_plot)
    spec = GridSpec() if grid_spec is None else grid_spec
    prop, response = propagated_halo_response(model, spec, settings, cache, _observed_range(chi2, phi))
    grid = prop.grid
    mf = Monochromatic(mass_g) if mass_function == "monochromatic" else LogNormal(mass_g, sigma)
    pbh = PBHSource(mass_function=mf)
    Q = pbh.spectrum(grid.T)
    flux = kin.flux_from_density(response @ Q, grid.T, kin.SPECIES["positron"].mass)
    profile = grid.cell_average(pbh.profile)
    curve = prop.solve(profile[:, :, None] * Q[None, None, :]).flux(model.r_sun_kpc)
    factor = 2.0 if data.species == "electron+positron" else 1.0
    s_data = factor * _signal_at_data(grid.T, flux, chi2, phi, "positron")
    s_plot = factor * _signal_at_data(grid.T, curve, points, phi, "positron")
    if background == "none":
        f = limit_without_background(s_data, chi2).f
        return LimitSpectra(T_plot, f * s_plot, None, None, f, model.name, data.id, float(mass_g), mf.label(), phi,
                            **counts)
    sec_flux = _secondary_background(model, prop, spec)
    lim = limit_with_background(s_data, _signal_at_data(grid.T, sec_flux, chi2, phi, "positron"), chi2)
    b_plot = _signal_at_data(grid.T, sec_flux, points, phi, "positron")
    return LimitSpectra(T_plot, lim.f_limit * s_plot, lim.A_at_limit * T_plot ** lim.delta_at_limit * b_plot,
                        lim.A_best * T_plot ** lim.delta_best * b_plot, lim.f_limit, model.name, data.id,
                        float(mass_g), mf.label(), phi, **counts)


@dataclass(frozen=True)
class _PlotPoints:
    """Stands in for a Chi2 where only ``energies`` is read (:func:`_signal_at_data`)."""

    energies: np.ndarray
