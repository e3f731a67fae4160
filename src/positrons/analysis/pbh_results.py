"""Result records of the PBH limits (:mod:`positrons.analysis.pbh_limits`).

* :class:`ScanResult` -- f_PBH limits for a list of masses, with every setting that produced
  them (model, dataset, data rule, mass function, background, modulation, transport grid);
* :class:`PhiBand` -- the limits at phi and phi -/+ dphi (the force-field uncertainty);
* :class:`LimitSpectra` -- the fluxes at Earth at the limit of one mass, for a figure.

Each has ``to_table()`` (astropy Table: units on the columns, settings and the package version
in ``meta``), ``write(path)`` (atomic; format by suffix) and ``plot(ax=None)``
(:mod:`positrons.plotting.limits`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from .records import FileLockedError

#: column name -> (ScanResult attribute, unit, description)
SCAN_COLUMNS = {
    "M_g": ("masses_g", "g", "PBH mass (central mass of a log-normal)"),
    "f_PBH_limit": ("f_limit", "", "upper limit on the fraction of dark matter in PBHs"),
    "driving_point_E_GeV": ("driving_energy_GeV", "GeV", "energy of the data point that sets the limit"),
    "chi2_min": ("chi2_min", "", "best-fit chi2 (with background)"),
    "A_best": ("A_best", "", "best-fit background normalisation A"),
    "delta_best": ("delta_best", "", "best-fit background tilt delta, (T/GeV)^delta"),
}
class ScanLockedError(FileLockedError):
    """Another process is writing the same scan file."""


#: how the limits are set (recorded in a scan file's meta; not compared on resume)
LIMIT_METHOD = (
    "no background: largest f_PBH for which no data point is exceeded by more than 2 sigma "
    "(Boudaud & Cirelli 2019); secondary: profiled Delta chi2 = 3.84 over A (T/GeV)^delta x secondaries"
)


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
    #: settings of the heliospheric modulation (``Modulation.settings()``; phi_GV above is the
    #: force-field potential, 0 without modulation, None for another model)
    modulation: Mapping | None = None

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
        (:func:`positrons.analysis.scans.run_scan`); :func:`positrons.analysis.pbh_limits.requested_settings`
        must give the same keys (a test checks it)."""
        return {"model": self.model, "dataset": self.dataset, "mass_function": self.mass_function,
                "sigma": self.sigma, "background": self.background, "phi_GV": self.phi_GV,
                "dR_kpc": self.dR_kpc, "dz_kpc": self.dz_kpc, "dz_max_kpc": self.dz_max_kpc,
                "energy_points_per_decade": self.energy_points_per_decade, "solver": self.solver,
                "energy_range_GeV": None if self.energy_range_GeV is None else list(self.energy_range_GeV),
                "missing_errors": self.missing_errors, "data_points_used": self.data_points_used,
                "data_points_assumed_error": self.data_points_assumed_error,
                "modulation": None if self.modulation is None else dict(self.modulation)}

    @classmethod
    def from_settings(cls, settings: Mapping, **arrays) -> ScanResult:
        """A ScanResult from a :meth:`settings` mapping (as read from a file) and the per-mass
        arrays (and ``model_parameters``); settings a file lacks are None."""
        names = {f.name for f in dataclasses.fields(cls)}
        kwargs = {k: v for k, v in settings.items() if k in names}
        if kwargs.get("energy_range_GeV") is not None:
            kwargs["energy_range_GeV"] = tuple(kwargs["energy_range_GeV"])
        kwargs["phi_GV"] = None if kwargs["phi_GV"] is None else float(kwargs["phi_GV"])
        return cls(**{"sigma": None, **kwargs, **arrays})

    def to_table(self):
        """An astropy Table: one row per mass, units on the columns; in ``meta`` every setting
        (:meth:`settings`), the model parameters, the package version, the UTC date and the method."""
        import datetime

        from .records import table_with_meta

        cols = self.columns()
        table = table_with_meta({name: (getattr(self, attr), unit, description)
                                 for name, (attr, unit, description) in SCAN_COLUMNS.items() if name in cols},
                                {**self.settings(), "model_parameters": self.model_parameters})
        table.meta["date"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        table.meta["method"] = LIMIT_METHOD
        return table

    def write(self, path) -> None:
        """Write the scan atomically (``.ecsv``: self-describing, read back by
        :func:`positrons.analysis.scans.read_scan`; ``.csv``: the columns only), holding the
        file's lock (a concurrent writer is refused)."""
        from .records import write_result

        write_result(self, path, (".ecsv", ".csv"), lock=("scan", ScanLockedError))

    def plot(self, ax=None):
        """f_PBH(M) (:func:`positrons.plotting.limits.plot_limit_curves`); returns the figure."""
        from ..plotting.limits import DATASET_LABELS, LimitCurve, plot_limit_curves

        width = f" sigma = {self.sigma:g}" if self.mass_function == "lognormal" and self.sigma else ""
        curve = LimitCurve(DATASET_LABELS.get(self.dataset, self.dataset), np.asarray(self.masses_g, dtype=float),
                           np.asarray(self.f_limit, dtype=float))
        return plot_limit_curves([curve], title=f"{self.model}, {self.mass_function}{width}, background: "
                                 f"{self.background}", ax=ax)

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
    """Limits at the force-field potential phi and at phi -/+ dphi (0.1 GV: the typical uncertainty of a published phi).

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

    def to_table(self):
        """The central scan's table with the limits at phi -/+ dphi (``f_PBH_limit_phi_minus``,
        ``f_PBH_limit_phi_plus``) and ``dphi_GV``, ``modulated`` in ``meta``."""
        table = self.central.to_table()
        for name, scan, what in (("f_PBH_limit_phi_minus", self.low, "phi - dphi"),
                                 ("f_PBH_limit_phi_plus", self.high, "phi + dphi")):
            table[name] = np.asarray(scan.f_limit, dtype=float)
            table[name].description = f"upper limit on f_PBH at {what}"
        table.meta.update({"dphi_GV": self.dphi_GV, "modulated": self.modulated})
        return table

    def write(self, path) -> None:
        """Write :meth:`to_table` atomically (``.ecsv`` or ``.csv``)."""
        from .records import write_result

        write_result(self, path, (".ecsv", ".csv"))

    def plot(self, ax=None):
        """The central limit with the band shaded; returns the figure."""
        from ..plotting.limits import DATASET_LABELS, LimitCurve, plot_limit_curves

        c = self.central
        label = DATASET_LABELS.get(c.dataset, c.dataset) + (rf" ($\phi \pm {self.dphi_GV:g}$ GV)" if self.modulated else "")
        curve = LimitCurve(label, np.asarray(c.masses_g, dtype=float), np.asarray(c.f_limit, dtype=float),
                           self.lower_f, self.upper_f)
        return plot_limit_curves([curve], title=f"{c.model}, {c.mass_function}, background: {c.background}", ax=ax)




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
    #: the settings of the scan behind the limit (transport, modulation, data rule)
    settings: Mapping | None = None

    def to_table(self):
        """Fluxes at Earth [GeV^-1 cm^-2 s^-1 sr^-1] on ``T_GeV``, the limit and the settings in ``meta``."""
        from .records import table_with_meta

        unit = "1 / (GeV cm2 s sr)"
        columns = {"T_GeV": (self.T_GeV, "GeV", "kinetic energy at Earth"),
                   "signal": (self.signal, unit, "PBH flux at the f_PBH limit")}
        if self.background is not None:
            columns["background"] = (self.background, unit, "background A (T/GeV)^delta x secondaries at the limit")
            columns["background_best"] = (self.background_best, unit, "background at the best fit")
        meta = {"model": self.model, "dataset": self.dataset, "mass_g": self.mass_g, "label": self.label,
                "f_limit": self.f_limit, "phi_GV": self.phi_GV, "missing_errors": self.missing_errors,
                "data_points_used": self.data_points_used,
                "data_points_assumed_error": self.data_points_assumed_error, **dict(self.settings or {})}
        return table_with_meta(columns, meta)

    def write(self, path) -> None:
        """Write :meth:`to_table` atomically (``.ecsv`` or ``.csv``)."""
        from .records import write_result

        write_result(self, path, (".ecsv", ".csv"))

    def plot(self, ax=None, energy_power: float = 2.0):
        """The flux at the limit on the data (:func:`positrons.plotting.limits.plot_flux_at_limit`:
        grey every point of 0.1-30 GeV, black the fitted ones); returns the figure."""
        from ..data import load
        from ..plotting.limits import plot_flux_at_limit
        from ..stats.likelihood import Chi2

        data = load(self.dataset)
        lo, hi = (self.settings or {}).get("energy_range_GeV") or (None, None)
        fit = Chi2(data, lo, hi, missing_errors=self.missing_errors)
        every = Chi2(data, 0.1, 30.0, missing_errors=self.missing_errors)
        return plot_flux_at_limit(self, (every.energies, every.values, every.err_low, every.err_high),
                                  (fit.energies, fit.values, fit.err_low, fit.err_high),
                                  energy_power=energy_power, ax=ax)


