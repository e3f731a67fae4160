r"""Fits of the positron fraction: secondaries plus one primary e+- source.

Model at Earth (a :class:`~positrons.heliosphere.modulation.Modulation`, default the force
field at the model's phi), per kinetic energy E:

    e+  = A (E / 10 GeV)^alpha S+(E) + P(E)
    e-  = S-(E) + E-(E) + P(E)
    fraction = e+ / (e+ + e-)

with S+- the propagated secondaries and E- the primary electrons normalised to AMS-02
(:class:`positrons.analysis.fraction.SecondaryLIS`), A and alpha the free normalisation and tilt of
the secondary positrons (the spread of cross sections and propagation), and P the flux of
each charge from the primary source, a :class:`PrimaryComponent`:

* :class:`PulsarComponent` -- nearby pulsars with the analytic solution of
  :mod:`positrons.sources.pulsars`; free: efficiency eta, index gamma, log10 of the cutoff;
* :class:`DarkMatterComponent` -- annihilation or decay at a fixed mass and channel,
  propagated with a :class:`~positrons.analysis.transport.GalacticResponse` (pass
  ``response=`` to reuse it for other masses and channels); free: <sigma v> (in 1e-26 cm^3/s) or
  the decay rate (in 1e-26 / s).

The primary electrons are not refitted with the source (a fraction-only fit; the e- flux
above 10 GeV moves by less than the source's share of it, a few per cent).  chi2 is that of
:class:`positrons.stats.likelihood.Chi2` (stat and sys in quadrature); Migrad (iminuit)
minimises it, Hesse gives the errors, and :func:`upper_limit` profiles the other parameters
to the 95 % C.L. (Delta chi2 = 3.84) of one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from ..data import load
from ..heliosphere.modulation import Modulation
from ..stats.likelihood import Chi2
from .transport import GalacticResponse, Transport, phi_of

#: pivot energy of the secondary tilt [GeV]
TILT_PIVOT_GEV = 10.0


@dataclass(frozen=True)
class Parameter:
    name: str
    start: float
    limits: tuple[float | None, float | None]
    doc: str


SECONDARY_PARAMETERS = (
    Parameter("sec_norm", 1.0, (0.05, 20.0), "A: normalisation of the secondary e+"),
    Parameter("sec_tilt", 0.0, (-1.0, 1.0), "alpha: tilt (E/10 GeV)^alpha of the secondary e+"),
)


class PrimaryComponent:
    """A primary e+- source: ``parameters`` and ``lis(E, **values)`` [m^-2 s^-1 sr^-1 GeV^-1]
    per charge at kinetic energies E [GeV]."""

    label = "primary"
    parameters: tuple[Parameter, ...] = ()
    #: extra starting points of the fit (the chi2 of a spectral shape has local minima)
    starts: tuple[dict, ...] = ({},)

    def lis(self, E, **values) -> np.ndarray:  # pragma: no cover - interface
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover - interface
        return self.label


@dataclass(frozen=True, eq=False)
class PulsarComponent(PrimaryComponent):
    """Pulsars from :mod:`positrons.sources.pulsars` with a common injection."""

    pulsars: tuple
    transport: object  # positrons.sources.pulsars.LocalTransport
    tau0_yr: float = 1e4
    E_min_GeV: float = 0.1

    label = "pulsars"
    parameters = (
        Parameter("efficiency", 0.1, (0.0, 5.0), "eta: fraction of the spin-down energy in e+ + e-"),
        Parameter("gamma", 1.8, (1.0, 2.8), "injection index"),
        Parameter("log10_cutoff_GeV", 3.0, (1.3, 5.0), "log10 of the exponential cutoff [GeV]"),
    )
    starts = tuple({"efficiency": 0.3, "gamma": g, "log10_cutoff_GeV": c} for g, c in
                   ((1.6, 2.7), (1.9, 3.0), (2.2, 3.3), (1.8, 3.7)))

    def lis(self, E, efficiency, gamma, log10_cutoff_GeV):
        from ..propagation.pulsars import pulsar_flux
        from ..sources.pulsars import PulsarInjection

        inj = PulsarInjection(gamma=gamma, cutoff_GeV=10.0**log10_cutoff_GeV, efficiency=efficiency,
                              tau0_yr=self.tau0_yr, E_min_GeV=self.E_min_GeV)
        return pulsar_flux(E, list(self.pulsars), inj, self.transport)

    def describe(self) -> str:
        names = ", ".join(p if isinstance(p, str) else p.name for p in self.pulsars)
        return f"pulsars ({names}; spin-down tau0 = {self.tau0_yr:g} yr, energy counted above {self.E_min_GeV:g} GeV)"


@dataclass(frozen=True, eq=False)
class DarkMatterComponent(PrimaryComponent):
    """Dark matter at fixed mass and channel; ``unit_lis(E)`` is the flux per charge for a
    rate parameter of 1 (<sigma v> = 1e-26 cm^3/s, or 1/tau = 1e-26 /s)."""

    mass_GeV: float
    channel: str
    process: str
    unit_lis: Callable

    label = "dark matter"

    @property
    def parameters(self):
        if self.process == "annihilation":
            return (Parameter("sigma_v_1e26", 10.0, (0.0, 1e6), "<sigma v> [1e-26 cm^3/s]"),)
        return (Parameter("decay_rate_1e26", 1.0, (0.0, 1e6), "1/tau [1e-26 /s]"),)

    def lis(self, E, **values):
        (rate,) = values.values()
        return rate * self.unit_lis(E)

    def describe(self) -> str:
        return f"dark matter {self.process}, m = {self.mass_GeV:g} GeV, channel {self.channel}"


@dataclass
class FractionFit:
    """Result of :func:`fit_fraction`."""

    dataset: str
    energy_range_GeV: tuple[float, float]
    source: str
    chi2: float
    ndof: int
    values: dict
    errors: dict
    valid: bool
    energies: np.ndarray
    data: np.ndarray
    sigma: np.ndarray
    model_at_data: np.ndarray
    _model: Callable = field(repr=False, default=None)
    #: the modulation of the fit (``Modulation.settings()``)
    modulation: dict | None = None

    @property
    def chi2_per_dof(self) -> float:
        return self.chi2 / self.ndof if self.ndof > 0 else float("nan")

    def prediction(self, T):
        """:class:`positrons.analysis.fraction.FractionPrediction` at the best fit, energies ``T`` [GeV]."""
        return self._model(np.asarray(T, dtype=float), self.values)

    def to_table(self):
        """The fitted points: energy [GeV], data, error and the model; the fit (chi2, ndof, values,
        errors, source, modulation) in ``meta``."""
        from .records import table_with_meta

        return table_with_meta(
            {"E_kin_GeV": (self.energies, "GeV", "kinetic energy of the data point"),
             "fraction_data": (self.data, "", "measured positron fraction"),
             "sigma": (self.sigma, "", "error used in chi2 (stat and sys in quadrature)"),
             "fraction_model": (self.model_at_data, "", "best-fit fraction")},
            {**self.to_dict(), "modulation": self.modulation})

    def write(self, path) -> None:
        """``.json``: :meth:`to_dict` (the summary of ``positrons fraction --format json``);
        ``.ecsv`` / ``.csv``: :meth:`to_table`.  Atomic."""
        from .records import write_result

        write_result(self, path, (".ecsv", ".csv", ".json"))

    def plot(self, ax=None, T=None):
        """The best-fit prediction (on ``T`` [GeV], default 0.5-1000 GeV) over every fraction
        measurement, the fitted range marked; returns the figure."""
        T = np.geomspace(0.5, 1000.0, 40) if T is None else T
        return self.prediction(T).plot(ax=ax, label=self.source, fit=self)

    def to_dict(self) -> dict:
        return {
            "dataset": self.dataset,
            "energy_range_GeV": list(self.energy_range_GeV),
            "source": self.source,
            "chi2": self.chi2,
            "ndof": self.ndof,
            "chi2_per_dof": self.chi2_per_dof,
            "valid": self.valid,
            "parameters": {k: {"value": self.values[k], "error": self.errors[k]} for k in self.values},
        }


def predict_fraction(secondary, component: PrimaryComponent | None, values: dict, T,
                     phi_GV: float | None = None, modulation: Modulation | None = None):
    """The :class:`positrons.analysis.fraction.FractionPrediction` at Earth, energies ``T``
    [GeV], of the secondaries of ``secondary`` (:class:`~positrons.analysis.fraction.SecondaryLIS`)
    scaled by A (T/10 GeV)^alpha and ``component`` (None: no primary source) at parameter
    ``values`` (``sec_norm``, ``sec_tilt`` and the component's); modulated by ``modulation``
    (default: a force field at ``phi_GV``, itself by default the model's)."""
    from .fraction import FractionPrediction

    T = np.asarray(T, dtype=float)
    mod = secondary.modulation(phi_GV, modulation)
    A, alpha = values["sec_norm"], values["sec_tilt"]
    base = secondary.prediction(T, modulation=mod)
    pairs = None
    if component is not None:
        own = {p.name: values[p.name] for p in component.parameters}
        pairs = mod.modulate(T, lambda E: component.lis(E, **own), "positron")
    tilt = A * (T / TILT_PIVOT_GEV) ** alpha
    settings = dict(base.settings or {}, source="secondary only" if component is None else component.describe())
    return FractionPrediction(base.model, phi_of(mod), T, tilt * base.secondary_positrons, base.secondary_electrons,
                              base.primary_electrons, pairs, settings)


def _fraction_model(secondary, component: PrimaryComponent | None, modulation: Modulation):
    """model(T, values) -> FractionPrediction at Earth (:func:`predict_fraction`)."""

    def model(T, values):
        return predict_fraction(secondary, component, values, T, modulation=modulation)

    return model


def _cached_model(secondary, component, modulation: Modulation, T):
    """The fraction at fixed energies ``T``, with the secondary parts computed once."""
    from .fraction import FractionPrediction

    base = secondary.prediction(T, modulation=modulation)
    phi_GV = phi_of(modulation)
    factor_T = T / TILT_PIVOT_GEV

    def fraction(values):
        pos = values["sec_norm"] * factor_T ** values["sec_tilt"] * base.secondary_positrons
        pairs = None
        if component is not None:
            own = {p.name: values[p.name] for p in component.parameters}
            pairs = modulation.modulate(T, lambda E: component.lis(E, **own), "positron")
        return FractionPrediction(base.model, phi_GV, T, pos, base.secondary_electrons, base.primary_electrons,
                                  pairs).fraction

    return fraction


def fit_fraction(secondary, component: PrimaryComponent | None = None,
                 dataset: str = "ams02_positron_fraction_prl2019", energy_min: float | None = 10.0,
                 energy_max: float | None = None, phi_GV: float | None = None, fixed: dict | None = None,
                 start: dict | None = None, modulation: Modulation | None = None, progress=None) -> FractionFit:
    """Fit the positron fraction ``dataset`` with the secondaries of ``secondary``
    (:class:`positrons.analysis.fraction.SecondaryLIS`) and ``component`` (or none: secondary only).

    ``fixed``: {parameter: value} held fixed; ``start``: starting values (default: the
    component's few starting points, the best minimum kept).  Returns a :class:`FractionFit`
    (chi2, ndof = points - free parameters, values and Hesse errors).  ``progress``: called as
    ``progress(done, total)`` after each starting point is minimised (e.g. a progress bar).
    """
    data = load(dataset)
    if data.quantity != "fraction":
        raise ValueError(f"{data.id} is a {data.quantity}, not a positron fraction")
    chi2 = Chi2(data, energy_min, energy_max)
    if chi2.n_points == 0:
        raise ValueError(f"no point of {data.id} between {energy_min} and {energy_max} GeV")
    mod = secondary.modulation(phi_GV, modulation)
    params = SECONDARY_PARAMETERS + (component.parameters if component is not None else ())
    names = [p.name for p in params]
    fraction_at = _cached_model(secondary, component, mod, chi2.energies)

    def cost(*args):
        if not np.all(np.isfinite(args)):
            return 1e30
        value = chi2(fraction_at(dict(zip(names, args))))
        return value if np.isfinite(value) else 1e30

    for name in fixed or {}:
        if name not in names:
            raise ValueError(f"unknown parameter {name!r}; the fit has {', '.join(names)}")
    defaults = {p.name: p.start for p in params}
    if start is not None:
        candidates = [defaults | start]
    else:
        candidates = [defaults | extra for extra in (component.starts if component is not None else ({},))]
    m = None
    # the shape parameters of a source (all but its first, the normalisation) are held at
    # their starting values first, then released: the normalisations alone are nearly linear
    shape = [p.name for p in (component.parameters[1:] if component is not None else ()) if p.name not in (fixed or {})]
    for done, candidate in enumerate(candidates, start=1):
        first = _minimise(cost, names, params, candidate | (fixed or {}), (fixed or {}) | {n: candidate[n] for n in shape})
        if shape:
            first = _minimise(cost, names, params, {n: float(first.values[n]) for n in names}, fixed or {})
        trial = first
        if m is None or _fval(trial, cost) < _fval(m, cost):
            m = trial
        if progress is not None:
            progress(done, len(candidates))
    values = {n: float(m.values[n]) for n in names}
    errors = {n: (0.0 if m.fixed[n] else float(m.errors[n])) for n in names}
    n_free = sum(not m.fixed[n] for n in names)
    best = fraction_at(values)
    lo = float(chi2.energies.min()) if energy_min is None else float(energy_min)
    hi = float(chi2.energies.max()) if energy_max is None else float(energy_max)
    source = "secondary only" if component is None else component.describe()
    return FractionFit(data.id, (lo, hi), source, float(chi2(best)), chi2.n_points - n_free, values, errors,
                       bool(m.valid) or n_free == 0, chi2.energies, chi2.values, chi2.sigma(best), best,
                       _fraction_model(secondary, component, mod), mod.settings())


def _fval(m, cost) -> float:
    return float(m.fval) if m.fval is not None else float(cost(*m.values))


def _minimise(cost, names, params, starts, fixed):
    from iminuit import Minuit

    m = Minuit(cost, *[starts[n] for n in names], name=names)
    m.errordef = Minuit.LEAST_SQUARES
    for p in params:
        m.limits[p.name] = p.limits
    for name in fixed:
        m.fixed[name] = True
    if any(not m.fixed[n] for n in names):
        m.migrad()
        if not m.valid:  # one restart from the first minimum usually settles it
            m.migrad()
        m.hesse()
    return m


def upper_limit(secondary, component: PrimaryComponent, parameter: str, delta_chi2: float = 3.84,
                **fit_options) -> tuple[float, FractionFit]:
    """95 % C.L. upper limit on ``parameter`` (default Delta chi2 = 3.84 above the minimum,
    the other parameters profiled): (limit, best fit).  Scans upwards from the best fit with a
    bracketing root search on the profiled chi2."""
    from scipy.optimize import brentq

    best = fit_fraction(secondary, component, **fit_options)
    fixed = dict(fit_options.pop("fixed", None) or {})

    def excess(value):
        refit = fit_fraction(secondary, component, fixed=fixed | {parameter: value}, start=best.values, **fit_options)
        return refit.chi2 - best.chi2 - delta_chi2

    lo = best.values[parameter]
    step = max(best.errors[parameter], 1e-3 * max(abs(lo), 1.0))
    hi = lo + step
    for _ in range(60):
        if excess(hi) > 0:
            break
        lo, hi = hi, hi + 2.0 * (hi - best.values[parameter])
    else:
        raise RuntimeError(f"no upper limit on {parameter} found below {hi:g}")
    return brentq(excess, lo, hi, xtol=1e-4 * hi), best


def dark_matter_component(model, mass_GeV: float, channel: str = "mumu", process: str = "annihilation",
                          transport: Transport | None = None, halo=None,
                          response: GalacticResponse | None = None, progress=None) -> DarkMatterComponent:
    """A :class:`DarkMatterComponent` propagated with the 2D engine of ``model``.

    The response to the halo factor (rho^2 or rho, averaged over the grid cells:
    :meth:`positrons.propagation.grid.Grid.cell_average`) is computed once per
    :class:`~positrons.analysis.transport.GalacticResponse` (one adjoint solve per transport
    energy the first time; on disk in the transport's cache): pass the same ``response`` (from
    :func:`dark_matter_response`) to reuse it for every mass and channel.  ``progress``:
    ``progress(done, total)`` after each adjoint solve of that response.
    """
    from ..sources.dark_matter import DarkMatterSource
    from ..sources.halo import NFW

    halo = NFW() if halo is None else halo
    galaxy = dark_matter_response(model, transport) if response is None else response
    T = galaxy.T
    rate = {"sigma_v_cm3_s": 1e-26} if process == "annihilation" else {"lifetime_s": 1e26}
    source = DarkMatterSource(mass_GeV=mass_GeV, channel=channel, process=process, halo=halo, **rate)
    if source.primary_energy_GeV > T[-1]:
        raise ValueError(f"the DM leptons ({source.primary_energy_GeV:g} GeV) lie above the transport grid ({T[-1]:g} GeV)")
    G = galaxy.response(source.profile, name=f"dark matter {process} {halo!r}", progress=progress)
    Q = source.spectrum(T, widths=galaxy.propagator.energy_bin_widths)
    flux = galaxy.flux(G, Q)
    positive = flux > 0
    lnT, lnF = np.log(T[positive]), np.log(flux[positive])

    def unit_lis(E):
        lnE = np.log(np.asarray(E, dtype=float))
        inside = (lnE >= lnT[0]) & (lnE <= lnT[-1])
        return np.where(inside, np.exp(np.interp(lnE, lnT, lnF)), 0.0)

    return DarkMatterComponent(float(mass_GeV), channel, process, unit_lis)


def dark_matter_response(model, transport: Transport | None = None) -> GalacticResponse:
    """The e+ :class:`GalacticResponse` of ``model`` on the fraction's transport range
    (:data:`positrons.analysis.fraction.TRANSPORT_RANGE_GEV`), for :func:`dark_matter_component`."""
    from .fraction import TRANSPORT_RANGE_GEV

    return GalacticResponse(model, "positron", TRANSPORT_RANGE_GEV, Transport.of(transport))
