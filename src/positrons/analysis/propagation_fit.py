r"""Fit the propagation parameters to cosmic-ray nuclei: AMS-02 B/C, p, He (C, O, Be/B) and
ACE-CRIS 10Be/9Be, with the fast slab model.

Pipeline (:func:`fit_propagation`):

1. the likelihood (:class:`PropagationLikelihood`): for a parameter vector, the slab network
   (:class:`positrons.propagation.slab.SlabNetwork`, thin disc + diffusive halo; Maurin et al.
   2001) of Li-Si nuclei, of 4He/3He and of protons -- tabulated once, ~ 2-3 ms per evaluation
   (``benchmarks/bench_fit.py``);
   force-field modulation of every isotope with its own Z/A (Gleeson & Axford 1968) at the
   data set's phi; element sums; chi^2 against each data set;
2. the sampler: nested sampling with ``nautilus`` (Lange 2023, MNRAS 525, 3181; the default)
   or ``emcee`` (Foreman-Mackey et al. 2013, PASP 125, 306), likelihoods evaluated in parallel
   (a pool of 2 processes, or a ``dask.distributed`` cluster), checkpointed and resumable; or
   the quick mode: ``iminuit`` MIGRAD + HESSE, the maximum posterior and a Gaussian
   approximation of the posterior;
3. the result (:class:`PropagationFitResult`): a
   :class:`~positrons.analysis.posterior.PropagationPosterior` (ECSV), the best-fit model (TOML),
   the diagnostics, chi^2 per data set, the corner plot and the best-fit ratios with their band.

**Likelihood.** chi^2 = sum (model - data)^2 / sigma^2 per data set with sigma the statistical
and systematic errors in quadrature (the mean of the two sides): an approximation, the AMS-02
systematic errors are correlated in rigidity (Derome et al. 2019, A&A 627, A158; Boudaud et
al. 2020, PRR 2, 023022) and a diagonal chi^2 over-weights them at low rigidity -- chi^2/n < 1
is expected for B/C.  Primary normalisations (p, He, C, O; the slab's injection is
unit-normalised) enter linearly: each is profiled analytically (the chi^2-minimising factor).
Fluxes are used between 5 and 200 GV (:class:`FitSettings`): below ~5 GV the force field is
not adequate at the AMS-02 precision, above ~200 GV the spectra harden, which a single
injection index and diffusion slope do not describe.  Ratios above 2 GV.

**Parameters and priors.** Uniform priors on the propagation parameters (:data:`PRIORS`: ranges
wider than every published B/C fit); Gaussian priors on the nuisances:

* ``nuisance_phi_<data>`` -- a force-field potential per data set [GV]: 0.6 +- 0.15 GV for the
  AMS-02 data (2011-2018; the neutron-monitor reconstruction of Ghelfi et al. 2017, AdSpR 60,
  833, gives 0.5-0.75 GV over these years), 0.45 +- 0.15 GV for ACE-CRIS (1997-1999, solar
  minimum; Yanasak et al. 2001 use 400-500 MV);
* ``nuisance_xs_norm_<element>`` -- the normalisation of every production cross section into
  one element (:data:`XS_NORM_FAMILIES`: boron with B/C or Be/B, beryllium with Be/B),
  1 +- 0.15: the measured production cross sections of the main channels (12C, 16O -> 10B, 11B,
  7Be, 9Be, 10Be) are known to 10-20 % (Génolini, Maurin, Moskalenko & Unger 2018, PRC 98,
  034611; Evoli et al. 2019 quote their fits within ~ 20 %).  10Be/9Be needs none: a common
  beryllium normalisation cancels in it;
* the injection index of He and of all heavier nuclei (``nuisance_he_index_0``, uniform) -- one
  spectrum in rigidity for every nucleus with Z >= 2 (AMS-02 finds He, C, O with the same
  rigidity dependence above 60 GV, PRL 119, 251101, 2017); the proton index is the model's
  ``proton_injection_index_0``.  Relative source abundances of the nuclei are fixed
  (:data:`positrons.propagation.network.SOURCE_ABUNDANCES`).

Degeneracy: without a radioactive clock B/C fixes D0/z_h, not D0 and z_h separately; the
ACE-CRIS 10Be/9Be points (``be10``) break it (weakly: 4 points).

Parameter names are those of :class:`~positrons.analysis.posterior.PropagationPosterior`:
model fields (``D0_1e28_cm2_s``, ``delta1``, ``v_alfven_km_s``, ``z_h_kpc``, ``v_conv0_km_s``,
``eta``, ...), ``proton_injection_index_<i>`` (and ``proton_injection_break_GV_<i>``), and
``nuisance_*``.  Caution: in the slab the re-acceleration acts in the thin disc only (see
:mod:`positrons.propagation.slab`), so the fitted ``v_alfven_km_s`` is a slab value; a model
built from the posterior (:class:`~positrons.analysis.posterior.PropagationPosterior`) for the
2D engine gets V_a sqrt(h / z_h), which gives the same B/C (docs/propagation_fit.md).
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import constants as const
from .. import kinematics as kin
from ..cross_sections.fragmentation import ELEMENTS, isotope_species, parse_isotope
from ..propagation.models import Injection, PropagationModel, get_propagation_model
from ..propagation.network import DEFAULT_ISOTOPES, NetworkSettings
from ..propagation.slab import SlabDisc, SlabNetwork
from .posterior import NUISANCE_PREFIX, PropagationPosterior, model_with, quantile_band
from .records import atomic_write, plain

__all__ = ["FIT_DATA", "PRIORS", "DEFAULT_FREE", "FREE_CHOICES", "chain_diagnostics", "FitSettings", "PropagationLikelihood", "PropagationFitResult",
           "fit_propagation", "fit_quick", "FitSettingsMismatch", "START_MODEL", "CHAIN_FILE"]


@dataclass(frozen=True)
class FitDataSpec:
    """One data set of the fit: shipped dataset id, ``kind`` ("ratio" or "flux"), the ratio
    (``"B/C"``) or element symbol of a flux, and the Gaussian prior (mean, sigma) [GV] of its
    force-field potential."""

    dataset: str
    kind: str
    quantity: str
    phi_prior_GV: tuple[float, float]


#: the data sets a fit can use, by short name (``--data bc,p,he``)
FIT_DATA = {
    "bc": FitDataSpec("ams02_bc_ratio_physrep2021_kiss", "ratio", "B/C", (0.6, 0.15)),
    "beb": FitDataSpec("ams02_beb_ratio_prl2018_kiss", "ratio", "Be/B", (0.6, 0.15)),
    "be10": FitDataSpec("ace_cris_be10_be9_yanasak2001_galprop", "ratio", "10Be/9Be", (0.45, 0.15)),
    "p": FitDataSpec("ams02_proton_flux_physrep2021", "flux", "H", (0.6, 0.15)),
    "he": FitDataSpec("ams02_helium_flux_physrep2021", "flux", "He", (0.6, 0.15)),
    "c": FitDataSpec("ams02_carbon_flux_physrep2021", "flux", "C", (0.6, 0.15)),
    "o": FitDataSpec("ams02_o_flux_prl2017_ssdc", "flux", "O", (0.6, 0.15)),
}

#: uniform prior ranges (lo, hi) of the parameters that may be free (wider than the published
#: B/C fits: Génolini et al. 2019 find delta ~ 0.5, K0/L ~ 0.01-0.02 kpc/Myr, V_a 0-100 km/s)
PRIORS = {
    "D0_1e28_cm2_s": (0.3, 60.0),
    "delta1": (0.2, 0.9),
    "v_alfven_km_s": (0.0, 150.0),
    "z_h_kpc": (1.0, 20.0),
    "v_conv0_km_s": (0.0, 60.0),
    "eta": (-3.0, 3.0),
    "delta0": (-1.5, 1.0),
    "rigidity_break_GV": (1.0, 50.0),
    "proton_injection_index_0": (1.5, 3.5),
    "proton_injection_index_1": (1.5, 3.5),
    "proton_injection_break_GV_0": (1.0, 50.0),
    "nuisance_he_index_0": (1.5, 3.5),
    "nuisance_he_index_1": (1.5, 3.5),
    "nuisance_he_break_GV_0": (1.0, 50.0),
}

#: the names ``FitSettings.free`` accepts (the injection indices and nuisances follow from the data)
FREE_CHOICES = tuple(p for p in PRIORS if not p.startswith(("proton_injection", NUISANCE_PREFIX)))

#: Gaussian prior (mean, sigma) of every production-normalisation nuisance (see the module docstring)
XS_NORM_PRIOR = (1.0, 0.15)
#: cross-section families with a normalisation nuisance: element -> (its charge Z, the data
#: sets that bring it in)
XS_NORM_FAMILIES = {"B": (5, ("bc", "beb")), "Be": (4, ("beb",))}

#: the free propagation parameters by default (>= 6, the issue's list)
DEFAULT_FREE = ("D0_1e28_cm2_s", "delta1", "v_alfven_km_s", "z_h_kpc", "v_conv0_km_s", "eta")

#: the base model of a fit: every parameter that is not free, and the starting point
START_MODEL = PropagationModel(
    "propfit", z_h_kpc=4.0, D0_1e28_cm2_s=4.0, eta=1.0, delta1=0.45, v_alfven_km_s=30.0, v_conv0_km_s=5.0,
    phi_GV=0.6, proton_injection=Injection((2.35,)),
    description="positrons fit propagation (slab model): v_alfven_km_s acts in the 0.1 kpc disc only; "
    "for the 2D engine use v_alfven_km_s * sqrt(0.1 / z_h_kpc) (docs/propagation_fit.md)")

#: the checkpoint of an emcee chain in the output directory
CHAIN_FILE = "chain.npz"

#: the checkpoint of a nautilus run in the output directory (HDF5, written by nautilus after
#: every batch of 100 evaluations) and the settings it was made with
NESTED_FILE = "nautilus.h5"
NESTED_SETTINGS_FILE = "nautilus_settings.json"
#: likelihood evaluations per nautilus batch (fixed: nautilus's default follows the pool size,
#: which would make a run resumed on another pool a different run); a checkpoint per batch
NESTED_BATCH = 100

#: nautilus stops exploring when the live set holds less than this fraction of the evidence
#: (its default)
NESTED_F_LIVE = 0.01

#: the samplers of :class:`FitSettings`
SAMPLERS = ("nautilus", "emcee", "minuit")


class FitSettingsMismatch(ValueError):
    """``--resume`` with settings that differ from the checkpoint's."""


@dataclass(frozen=True)
class FitSettings:
    """Everything a fit depends on (recorded in the posterior file and the checkpoint).

    ``data``: short names of :data:`FIT_DATA`; ``free``: the free model parameters (keys of
    :data:`PRIORS`; injection indices are added from the data: the proton index with ``p``,
    the He/nuclei index with ``he``, ``c`` or ``o``; ``injection_break`` frees one break of each);
    ``model``: the base model (preset name or TOML path; default :data:`START_MODEL`);
    ``sampler``: "nautilus" (nested sampling, the default), "emcee" or "minuit"; for emcee
    ``steps`` (total, may be raised on resume), ``walkers`` and ``checkpoint_every`` (steps); for
    nautilus ``live_points`` and ``effective_samples`` (the target effective sample size, may be
    raised on resume); ``seed``; ``flux_rigidity_GV`` and ``ratio_rigidity_min_GV``:
    the data ranges; ``energy_points_per_decade``: the slab's grid (0.03-3000 GeV/n);
    ``he_index``: the He/nuclei injection index when it is not free.
    """

    data: tuple[str, ...] = ("bc", "p", "he", "be10")
    free: tuple[str, ...] = DEFAULT_FREE
    model: str | None = None
    sampler: str = "nautilus"
    steps: int = 6000
    walkers: int = 32
    seed: int = 1
    checkpoint_every: int = 100
    live_points: int = 1000
    effective_samples: int = 10000
    injection_break: bool = False
    flux_rigidity_GV: tuple[float, float] = (5.0, 200.0)
    ratio_rigidity_min_GV: float = 2.0
    energy_points_per_decade: int = 16
    he_index: float = 2.3
    disc: SlabDisc = SlabDisc()

    def __post_init__(self):
        object.__setattr__(self, "data", tuple(self.data))
        object.__setattr__(self, "free", tuple(self.free))
        unknown = [d for d in self.data if d not in FIT_DATA]
        if unknown or not self.data:
            raise ValueError(f"unknown data set(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(FIT_DATA)}")
        bad = [p for p in self.free if p not in FREE_CHOICES]
        if bad:
            raise ValueError(f"cannot free {', '.join(bad)}; free parameters: {', '.join(FREE_CHOICES)} "
                             "(injection indices follow from the data)")
        if ("delta0" in self.free) != ("rigidity_break_GV" in self.free):
            raise ValueError("delta0 and rigidity_break_GV are freed together (a diffusion break)")
        if self.sampler not in SAMPLERS:
            raise ValueError(f"unknown sampler {self.sampler!r}; choose {', '.join(SAMPLERS)}")
        if self.steps < 1 or self.walkers < 2 or self.checkpoint_every < 1:
            raise ValueError("steps >= 1, walkers >= 2 and checkpoint_every >= 1 are needed")
        if self.live_points < 2 * len(self.parameters()) + 50 or self.effective_samples < 1:
            raise ValueError(f"nautilus needs live_points >= 2 x parameters + 50 ({2 * len(self.parameters()) + 50}) "
                             f"and effective_samples >= 1; got {self.live_points} and {self.effective_samples}")
        if self.sampler == "emcee" and self.walkers < 2 * len(self.parameters()):
            raise ValueError(f"emcee needs at least twice as many walkers as parameters: {self.walkers} walkers for "
                             f"{len(self.parameters())} parameters ({', '.join(self.parameters())})")

    def base_model(self) -> PropagationModel:
        base = START_MODEL if self.model is None else get_propagation_model(self.model)
        if self.injection_break and len(base.proton_injection.indices) != 2:
            i0 = base.proton_injection.indices[0]
            base = base.replace(proton_injection=Injection((i0, i0), (10.0,)))
        if "delta0" in self.free and base.rigidity_break_GV is None:
            base = base.replace(delta0=base.delta1, rigidity_break_GV=5.0)
        if base.dv_conv_dz_km_s_kpc != 0:
            raise ValueError(f"model {base.name}: the slab fit has a constant V_c; dv_conv_dz_km_s_kpc must be 0")
        return base

    def parameters(self) -> tuple[str, ...]:
        """Names of the sampled parameters: free model parameters, injection, nuisances."""
        names = list(self.free)
        n_index = 2 if self.injection_break else 1
        if "p" in self.data:
            names += [f"proton_injection_index_{i}" for i in range(n_index)]
            names += ["proton_injection_break_GV_0"] if self.injection_break else []
        if set(self.data) & {"he", "c", "o"}:
            names += [f"nuisance_he_index_{i}" for i in range(n_index)]
            names += ["nuisance_he_break_GV_0"] if self.injection_break else []
        names += [f"nuisance_phi_{d}" for d in self.data]
        names += [f"nuisance_xs_norm_{element}" for element, (_, data) in XS_NORM_FAMILIES.items()
                  if set(self.data) & set(data)]
        return tuple(names)

    def as_dict(self) -> dict:
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        out["disc"] = self.disc.as_dict()
        out["datasets"] = {d: FIT_DATA[d].dataset for d in self.data}
        return plain(out)

    @classmethod
    def from_dict(cls, recorded: dict) -> "FitSettings":
        """The settings of :meth:`as_dict` (e.g. a posterior file's ``settings["fit"]``)."""
        values = {k: v for k, v in recorded.items() if k != "datasets"}
        unknown = set(values) - {f.name for f in dataclasses.fields(cls)}
        if unknown:
            raise ValueError(f"unknown fit settings {', '.join(sorted(unknown))}")
        if "disc" in values:
            values["disc"] = SlabDisc(**values["disc"])
        if "flux_rigidity_GV" in values:
            values["flux_rigidity_GV"] = tuple(values["flux_rigidity_GV"])
        return cls(**values)


def _prior_of(name: str, settings: FitSettings):
    """("uniform", lo, hi) or ("gauss", mean, sigma) of one parameter."""
    if name in PRIORS:
        return ("uniform",) + PRIORS[name]
    if name.startswith("nuisance_phi_"):
        return ("gauss",) + FIT_DATA[name[len("nuisance_phi_"):]].phi_prior_GV
    if name.startswith("nuisance_xs_norm_") and name[len("nuisance_xs_norm_"):] in XS_NORM_FAMILIES:
        return ("gauss",) + XS_NORM_PRIOR
    raise KeyError(name)


@dataclass(frozen=True)
class _Observable:
    """One data set prepared for fast evaluation: the x of its points, the isotopes of the
    numerator (and denominator) with their energies and Jacobians at those x."""

    key: str
    spec: FitDataSpec
    variable: str
    x: np.ndarray
    value: np.ndarray
    error: np.ndarray
    network: str  # "nuclei", "light" or "proton"
    numerator: tuple  # ((isotope name, Z, A, mass, T_at, jacobian), ...)
    denominator: tuple


def _members_of(side: str, isotopes) -> list[str]:
    symbols = {v.lower(): k for k, v in ELEMENTS.items()}
    if side.lower() in symbols:
        return [n for n in isotopes if parse_isotope(n)[0] == symbols[side.lower()]]
    return [n for n in isotopes if parse_isotope(n) == parse_isotope(side)]


def _prepare(key, spec, x, variable, isotopes):
    def side(text):
        out = []
        for name in _members_of(text, isotopes):
            sp = isotope_species(*parse_isotope(name))
            if variable == "rigidity":
                T_at = kin.kinetic_from_rigidity(x, sp)
                jac = kin.dT_dR(T_at, sp)
            else:
                T_at, jac = sp.mass_number * x, np.full_like(x, float(sp.mass_number))
            out.append((name, sp.charge, sp.mass_number, sp.mass, T_at, jac))
        if not out:
            raise ValueError(f"{key}: no isotope of {text} in the network")
        return tuple(out)

    if spec.kind == "ratio":
        num, den = spec.quantity.split("/")
        return side(num), side(den)
    return side(spec.quantity), ()


def _toa_sum(result, members, phi):
    """Sum over ``members`` of the force-field TOA flux [arbitrary units per unit x] at their T_at."""
    total = 0.0
    for name, Z, A, mass, T_at, jac in members:
        T_grid = A * result.T_n
        beta = kin.beta_from_kinetic(T_grid, mass)
        lis = const.c_light * beta * result.density[name] / (4.0 * np.pi * A)  # per unit T
        logj = np.log(np.maximum(lis, 1e-300))
        T_lis = T_at + abs(Z) * phi
        j = np.exp(np.interp(np.log(T_lis), np.log(T_grid), logj))
        total = total + j * T_at * (T_at + 2 * mass) / (T_lis * (T_lis + 2 * mass)) * jac
    return total


class PropagationLikelihood:
    """The log posterior of a :class:`FitSettings` fit: ``like(theta)`` (a picklable callable, for
    process pools and dask workers).  ``data``: ``{key: (value, error)}`` replacing the measured
    values (mock data) -- the same points and errors."""

    def __init__(self, settings: FitSettings, data: dict | None = None):
        from ..data import load

        self.settings = settings
        self.base = settings.base_model()
        self.parameters = settings.parameters()
        self.priors = [_prior_of(p, settings) for p in self.parameters]
        decades = np.log10(3e3 / 0.03)
        T_n = np.logspace(np.log10(0.03), np.log10(3e3), int(round(decades * settings.energy_points_per_decade)) + 1)
        wanted = set(settings.data)
        self.networks = {}
        if wanted & {"bc", "beb", "be10", "c", "o"}:
            self.networks["nuclei"] = SlabNetwork(T_n, NetworkSettings(isotopes=DEFAULT_ISOTOPES), settings.disc)
        if "he" in wanted:
            self.networks["light"] = SlabNetwork(
                T_n, NetworkSettings(isotopes=("4He", "3He"), abundances=(("4He", 1.0),)), settings.disc)
        if "p" in wanted:
            self.networks["proton"] = SlabNetwork(
                T_n, NetworkSettings(isotopes=("1H",), abundances=(("1H", 1.0),)), settings.disc)
        observables = []
        for key in settings.data:
            spec = FIT_DATA[key]
            ds = load(spec.dataset)
            variable = "rigidity" if ds.energy_variable == "rigidity" else "kinetic_energy_per_nucleon"
            x = np.asarray(ds.energy, dtype=float) * (1e-3 if ds.energy_unit == "MeV" else 1.0)
            lo, hi = ds.errors()
            err = 0.5 * (np.asarray(lo, dtype=float) + np.asarray(hi, dtype=float))
            keep = np.isfinite(err) & (err > 0)
            if variable == "rigidity":
                lo_R, hi_R = settings.flux_rigidity_GV if spec.kind == "flux" else (settings.ratio_rigidity_min_GV, np.inf)
                keep &= (x >= lo_R) & (x <= hi_R)
            value = np.asarray(ds.value, dtype=float)[keep]
            if data is not None and key in data:
                value = np.asarray(data[key][0], dtype=float)
                if value.shape != err[keep].shape:
                    raise ValueError(f"mock data for {key}: {value.shape[0]} values for {int(keep.sum())} points")
            name = "nuclei" if spec.kind == "ratio" or spec.quantity not in ("H", "He") else (
                "proton" if spec.quantity == "H" else "light")
            num, den = _prepare(key, spec, x[keep], variable, self.networks[name].isotopes)
            observables.append(_Observable(key, spec, variable, x[keep], value, err[keep], name, num, den))
        self.observables = tuple(observables)

    # --- evaluation ----------------------------------------------------------------------
    def log_prior(self, theta) -> float:
        total = 0.0
        for value, prior in zip(theta, self.priors):
            if prior[0] == "uniform":
                if not prior[1] <= value <= prior[2]:
                    return -np.inf
            elif value < 0:  # a potential or a normalisation: Gaussian truncated at 0
                return -np.inf
            else:
                total -= 0.5 * ((value - prior[1]) / prior[2]) ** 2
        return total

    def _solve(self, values: dict):
        model = model_with(self.base, values)
        he = [values.get(f"nuisance_he_index_{i}") for i in range(2)]
        if he[0] is None:
            he_injection = Injection((self.settings.he_index,))
        elif he[1] is None:
            he_injection = Injection((he[0],))
        else:
            he_injection = Injection((he[0], he[1]), (values["nuisance_he_break_GV_0"],))
        scale = {z: values.get(f"nuisance_xs_norm_{element}", 1.0) for element, (z, _) in XS_NORM_FAMILIES.items()}
        results = {}
        for name, net in self.networks.items():
            if name == "proton":
                results[name] = net.solve(model)
            else:
                results[name] = net.solve(model, injection=he_injection, production_scale=scale)
        return model, results

    def predictions(self, theta) -> dict:
        """``{key: (model at the data points, chi^2)}`` (fluxes with their profiled normalisation)."""
        values = dict(zip(self.parameters, map(float, theta)))
        _, results = self._solve(values)
        out = {}
        for obs in self.observables:
            phi = values.get(f"nuisance_phi_{obs.key}", obs.spec.phi_prior_GV[0])
            result = results[obs.network]
            model = _toa_sum(result, obs.numerator, phi)
            if obs.denominator:
                model = model / _toa_sum(result, obs.denominator, phi)
            else:
                w = 1.0 / obs.error**2
                model = model * np.sum(w * obs.value * model) / np.sum(w * model * model)
            out[obs.key] = (model, float(np.sum(((model - obs.value) / obs.error) ** 2)))
        return out

    def log_likelihood(self, theta) -> float:
        """-chi^2/2 of ``theta`` (no prior); -inf for a model the engine refuses."""
        try:
            chi2 = sum(c for _, c in self.predictions(theta).values())
        except ValueError:  # a model the record refuses (e.g. delta out of the D_pp range)
            return -np.inf
        return float(-0.5 * chi2) if np.isfinite(chi2) else -np.inf

    def __call__(self, theta) -> float:
        """The log posterior (up to a constant): :meth:`log_prior` + :meth:`log_likelihood`."""
        lp = self.log_prior(theta)
        if not np.isfinite(lp):
            return -np.inf
        return lp + self.log_likelihood(theta)

    def prior_transform(self, unit) -> np.ndarray:
        """The parameters at a point of the unit cube whose uniform measure is the prior (the
        inverse prior CDF per parameter: uniform, or Gaussian truncated at 0), for nested
        sampling."""
        from scipy.stats import truncnorm

        out = np.empty(len(self.priors))
        for i, (u, prior) in enumerate(zip(unit, self.priors)):
            if prior[0] == "uniform":
                out[i] = prior[1] + u * (prior[2] - prior[1])
            else:
                out[i] = truncnorm.ppf(u, -prior[1] / prior[2], np.inf, loc=prior[1], scale=prior[2])
        return out

    def start(self) -> np.ndarray:
        """The starting vector: the base model's values, the prior means of the nuisances."""
        out = []
        for name, prior in zip(self.parameters, self.priors):
            if name.startswith("nuisance_he_index_"):
                out.append(self.settings.he_index)
            elif name == "nuisance_he_break_GV_0":
                out.append(10.0)
            elif name.startswith(NUISANCE_PREFIX):
                out.append(prior[1])
            elif name.startswith("proton_injection_index_"):
                out.append(self.base.proton_injection.indices[int(name.rsplit("_", 1)[1])])
            elif name.startswith("proton_injection_break_GV_"):
                out.append(self.base.proton_injection.breaks_GV[int(name.rsplit("_", 1)[1])])
            else:
                out.append(float(getattr(self.base, name)))
        return np.array(out, dtype=float)

    def ratio_curve(self, theta, key: str, x) -> np.ndarray:
        """The model ratio of data set ``key`` at ``x`` (its energy variable), TOA at its phi."""
        values = dict(zip(self.parameters, map(float, theta)))
        _, results = self._solve(values)
        obs = next(o for o in self.observables if o.key == key)
        x = np.asarray(x, dtype=float)
        num, den = _prepare(key, obs.spec, x, obs.variable, self.networks[obs.network].isotopes)
        phi = values.get(f"nuisance_phi_{key}", obs.spec.phi_prior_GV[0])
        return _toa_sum(results[obs.network], num, phi) / _toa_sum(results[obs.network], den, phi)

    def mock(self, theta, seed: int = 0) -> "PropagationLikelihood":
        """The same fit on mock data: the predictions of ``theta`` plus Gaussian noise of the
        data's errors (seeded)."""
        rng = np.random.default_rng(seed)
        pred = self.predictions(theta)
        data = {o.key: (pred[o.key][0] + rng.normal(0.0, o.error), o.error) for o in self.observables}
        return PropagationLikelihood(self.settings, data)


# =========================================================================================
# samplers
# =========================================================================================
def _apply(theta, like, what="posterior"):
    return like(theta) if what == "posterior" else like.log_likelihood(theta)


#: the likelihood of a worker process of :class:`_ProcessPool` (set once per process, at its start)
_WORKER_LIKELIHOOD = None


def _hold_likelihood(like) -> None:
    global _WORKER_LIKELIHOOD
    _WORKER_LIKELIHOOD = like


def _held_likelihood(theta, what="posterior") -> float:
    return _apply(theta, _WORKER_LIKELIHOOD, what)


class _ProcessPool:
    """The ``map`` a sampler needs, on forked processes that receive the likelihood once when
    they start: emcee's own use of a pool pickles the likelihood (its tables, ~ MB) with every
    batch, which cost more than the ~ 2 ms evaluations themselves.  ``map(fn, points)``
    evaluates the held likelihood's log posterior (``what="posterior"``: ``fn`` is emcee's
    wrapper of it) or its log likelihood (``what="likelihood"``, for nested sampling)."""

    def __init__(self, like, processes: int = 2, what: str = "posterior"):
        import multiprocessing

        self.size = self.processes = processes
        self.what = what
        self.pool = multiprocessing.get_context("fork").Pool(processes, initializer=_hold_likelihood, initargs=(like,))

    def map(self, fn, points):
        from functools import partial

        points = list(points)
        return self.pool.map(partial(_held_likelihood, what=self.what), points,
                             chunksize=max(1, -(-len(points) // self.processes)))

    def close(self) -> None:
        self.pool.close()

    def plain(self):
        """The same processes for any function (nautilus trains its networks on them)."""
        return self.pool


class _DaskPool:
    """The ``map`` a sampler needs, on a ``dask.distributed`` client (the likelihood scattered
    once); ``what`` as for :class:`_ProcessPool`."""

    def __init__(self, client, like, what: str = "posterior"):
        self.client = client
        self.what = what
        self.like = client.scatter(like, broadcast=True)
        self.size = max(1, len(client.nthreads()))

    def map(self, fn, points):
        futures = self.client.map(_apply, list(points), like=self.like, what=self.what, pure=False)
        return self.client.gather(futures)

    def plain(self):
        """The cluster for any function (nautilus supports a client directly)."""
        return self.client


def _pool_for(like, scheduler, what: str):
    """(pool, close) for ``scheduler`` (see :func:`fit_propagation`); (None, None) when serial."""
    if scheduler not in (None, "none"):
        from distributed import Client

        client = Client(scheduler) if scheduler != "local" else Client(n_workers=2, threads_per_worker=1)
        return _DaskPool(client, like, what), client.close
    if scheduler is None:
        pool = _ProcessPool(like, what=what)
        return pool, pool.close
    return None, None


def fit_quick(like: PropagationLikelihood, start=None, n_draws: int = 4000, seed: int = 0) -> dict:
    """MIGRAD + HESSE on -2 ln(posterior) (iminuit): ``{"values", "errors", "covariance",
    "log_posterior", "valid", "n_evaluations", "samples", "sample_log_posterior"}``; the samples
    are drawn from the Gaussian approximation (inside the uniform priors), the first one being
    the maximum; their log posterior is the quadratic approximation."""
    from iminuit import Minuit

    x0 = like.start() if start is None else np.asarray(start, dtype=float)

    def cost(theta):
        value = like(theta)
        return 1e10 if not np.isfinite(value) else -2.0 * value

    m = Minuit(cost, x0, name=like.parameters)
    m.errordef = Minuit.LEAST_SQUARES
    for name, prior in zip(like.parameters, like.priors):
        if prior[0] == "uniform":
            m.limits[name] = (prior[1], prior[2])
        else:
            m.limits[name] = (max(prior[1] - 5 * prior[2], 0.0), prior[1] + 5 * prior[2])
    m.errors = [max(0.05 * abs(v), 0.02) for v in x0]
    m.migrad()
    m.hesse()
    best = np.array(m.values)
    cov = np.array(m.covariance)
    logp = like(best)
    rng = np.random.default_rng(seed)
    draws = rng.multivariate_normal(best, cov, size=n_draws, check_valid="ignore")
    inside = np.array([np.isfinite(like.log_prior(d)) for d in draws])
    draws = np.vstack([best, draws[inside]])
    inv = np.linalg.pinv(cov)
    d = draws - best
    sample_logp = logp - 0.5 * np.einsum("ij,jk,ik->i", d, inv, d)
    return {"values": best, "errors": np.array(m.errors), "covariance": cov, "log_posterior": logp,
            "valid": bool(m.valid), "n_evaluations": int(m.nfcn), "samples": draws,
            "sample_log_posterior": sample_logp}


#: settings that do not change a run's samples, per sampler: its length (may be raised on
#: resume), the other sampler's settings, and how often emcee writes its checkpoint
_NOT_IN_KEY = {"emcee": ("steps", "checkpoint_every", "live_points", "effective_samples"),
               "nautilus": ("effective_samples", "steps", "walkers", "checkpoint_every")}


def _settings_key(settings: FitSettings) -> dict:
    """The settings a resumed run must share: every setting that changes the samples, with the
    base model by its contents (an edited TOML file is a different fit; the same file under
    another path is not)."""
    out = settings.as_dict()
    for name in _NOT_IN_KEY[settings.sampler]:
        out.pop(name)
    out.pop("model")
    model = dataclasses.asdict(settings.base_model())
    for name in ("name", "description"):
        model.pop(name)
    out["base_model"] = plain(model)
    return out


def _read_checkpoint(path: Path, settings: FitSettings):
    with np.load(path, allow_pickle=False) as f:
        stored = json.loads(str(f["settings"]))
        chain, log_prob = f["chain"], f["log_prob"]
    _check_settings(path, stored, settings)
    return chain, log_prob


def _check_settings(path: Path, stored, settings: FitSettings) -> None:
    if not isinstance(stored, dict):
        raise FitSettingsMismatch(f"{path}: the recorded settings are not a settings table; rerun without --resume "
                                  "in a new directory")
    current = json.loads(json.dumps(_settings_key(settings)))
    diff = sorted(k for k in set(stored) | set(current) if stored.get(k) != current.get(k))
    if diff:
        detail = "; ".join(f"{k}: checkpoint {stored.get(k)!r}, now {current.get(k)!r}" for k in diff)
        raise FitSettingsMismatch(f"{path}: --resume with different settings ({detail}); "
                                  "rerun with the checkpoint's settings or without --resume in a new directory")


def _write_checkpoint(path: Path, settings: FitSettings, parameters, chain, log_prob) -> None:
    def write(handle):
        np.savez(handle, chain=chain, log_prob=log_prob, parameters=np.array(parameters),
                 settings=np.array(json.dumps(_settings_key(settings))))

    atomic_write(path, write, binary=True)


def chain_diagnostics(chain: np.ndarray, factor: float = 50.0) -> dict:
    """Convergence of an emcee chain (steps, walkers, dims): the integrated autocorrelation
    time per parameter (emcee's estimator, Goodman & Weare 2010 / Sokal), the effective sample
    size, the mean acceptance fraction (steps where a walker moved), burn-in and thinning, and
    ``converged`` = steps >= ``factor`` x max tau (emcee's recommendation: > 50 tau)."""
    import emcee

    steps, walkers, _ = chain.shape
    with np.errstate(invalid="ignore", divide="ignore"):  # a walker that never moved in a short chain
        tau = emcee.autocorr.integrated_time(chain, tol=0, quiet=True)
    tau = np.where(np.isfinite(tau), tau, float(steps))  # unknown: as long as the chain (not converged)
    tau_max = float(np.max(tau))
    moved = np.any(chain[1:] != chain[:-1], axis=2)
    burn = min(int(np.ceil(2 * tau_max)), steps // 2)
    thin = max(1, int(tau_max / 2))
    return {"steps": int(steps), "walkers": int(walkers), "tau": tau.tolist(), "tau_max": tau_max,
            "n_eff": float((steps - burn) * walkers / tau_max),
            "acceptance_fraction": float(moved.mean()) if steps > 1 else float("nan"),
            "burn_in": burn, "thin": thin, "converged": bool(steps >= factor * tau_max),
            "required_steps": int(np.ceil(factor * tau_max))}


def _run_emcee(like, settings, output: Path | None, resume: bool, scheduler, progress):
    import emcee

    ndim = len(like.parameters)
    checkpoint = None if output is None else output / CHAIN_FILE
    previous = _read_checkpoint(checkpoint, settings) if resume else None  # (_check_checkpoint ran)
    done = 0 if previous is None else previous[0].shape[0]
    rng = np.random.default_rng(settings.seed + done)
    quick = None
    if previous is None:
        quick = fit_quick(like, seed=settings.seed)
        centre = quick["values"]
        spread = np.sqrt(np.clip(np.diag(quick["covariance"]), 1e-10, None))
        p0 = []
        while len(p0) < settings.walkers:
            trial = centre + 0.5 * spread * rng.standard_normal(ndim)
            if np.isfinite(like(trial)):
                p0.append(trial)
        p0 = np.array(p0)
    else:
        p0 = previous[0][-1]
    remaining = max(settings.steps - done, 0)
    pool, close = _pool_for(like, scheduler, "posterior")
    chains, logps = ([previous[0]], [previous[1]]) if previous is not None else ([], [])
    try:
        if remaining:
            sampler = emcee.EnsembleSampler(settings.walkers, ndim, like, pool=pool)
            sampler.random_state = np.random.RandomState(int(rng.integers(2**31))).get_state()
            since = 0
            for i, _ in enumerate(sampler.sample(p0, iterations=remaining, store=True)):
                since += 1
                if progress is not None:
                    progress(done + i + 1, settings.steps)
                if checkpoint is not None and (since >= settings.checkpoint_every or i + 1 == remaining):
                    chain = np.concatenate(chains + [sampler.get_chain()]) if chains else sampler.get_chain()
                    logp = np.concatenate(logps + [sampler.get_log_prob()]) if logps else sampler.get_log_prob()
                    _write_checkpoint(checkpoint, settings, like.parameters, chain, logp)
                    since = 0
            chains.append(sampler.get_chain())
            logps.append(sampler.get_log_prob())
    finally:
        if close is not None:
            close()
    return np.concatenate(chains), np.concatenate(logps), quick


def _run_nautilus(like, settings, output: Path | None, resume: bool, scheduler, progress):
    """Nested sampling with nautilus (Lange 2023, MNRAS 525, 3181: importance nested sampling
    with neural-network bounds): likelihood evaluations on the pool of ``scheduler``; the run is
    checkpointed by nautilus after every batch of evaluations and continues from the checkpoint
    with ``resume``.  Returns (all points, their log likelihoods, the equal-weight posterior
    samples, their log likelihoods, diagnostics)."""
    from nautilus import Sampler

    checkpoint = None if output is None else output / NESTED_FILE
    recorded = None if output is None else output / NESTED_SETTINGS_FILE
    if resume:  # (_check_checkpoint ran: both files exist)
        _check_settings(checkpoint, json.loads(recorded.read_text()), settings)
    if recorded is not None and not resume:
        text = json.dumps(_settings_key(settings), indent=1)
        atomic_write(recorded, lambda h: h.write(text))
    pool, close = _pool_for(like, scheduler, "likelihood")
    try:
        # nautilus maps the likelihood on the first pool, its own computations on the second
        pools = None if pool is None else (pool, pool.plain())
        sampler = Sampler(like.prior_transform, like.log_likelihood, n_dim=len(like.parameters),
                          n_live=settings.live_points, n_batch=NESTED_BATCH, pool=pools, seed=settings.seed,
                          pass_dict=False,
                          filepath=None if checkpoint is None else str(checkpoint), resume=resume)
        target = settings.effective_samples
        # in slices of evaluations, to report progress (nautilus continues where it stopped)
        while not sampler.run(f_live=NESTED_F_LIVE, n_eff=target, n_like_max=sampler.n_like + 20000, verbose=False):
            if progress is not None:
                progress(min(int(sampler.n_eff), target - 1), target)
        if progress is not None:
            progress(target, target)
    finally:
        if close is not None:
            close()
    points, _, log_l = sampler.posterior()
    equal, _, equal_log_l = sampler.posterior(equal_weight=True)
    # the statistical error of ln Z is ~ 1/sqrt(N_eff), N_eff the effective sample size of the
    # importance weights (nautilus documentation, "evidence uncertainty"; Lange 2023); a
    # systematic part from the exploration phase is not included
    diagnostics = {"sampler": "nautilus", "n_like": int(sampler.n_like), "live_points": settings.live_points,
                   "log_z": float(sampler.log_z), "log_z_error": float(1.0 / np.sqrt(sampler.n_eff)),
                   "n_eff": float(sampler.n_eff), "n_eff_target": target,
                   # nautilus ends its exploration when f_live <= the target; then f_live is not updated
                   "explored": bool(sampler.explored),
                   "f_live": NESTED_F_LIVE if sampler.explored else float(sampler.f_live),
                   "f_live_target": NESTED_F_LIVE, "n_points": int(points.shape[0]),
                   "converged": bool(sampler.explored and sampler.n_eff >= target)}
    return points, log_l, equal, equal_log_l, diagnostics


# =========================================================================================
# the result
# =========================================================================================
@dataclass(frozen=True)
class PropagationFitResult:
    """A propagation fit: the posterior, its diagnostics, chi^2 per data set at the maximum,
    and the best-fit ratio of each ratio data set with its posterior band.

    ``diagnostics``: sampler, autocorrelation times, effective sample size, acceptance
    fraction, converged (emcee), or MIGRAD's validity (minuit); ``chi2``: ``{key: (chi2, n)}``;
    ``curves``: ``{key: {"x", "value", "error", "best", "median", "lo68", "hi68", "lo95", "hi95",
    "variable", "quantity"}}``.
    """

    settings: FitSettings
    posterior: PropagationPosterior
    best: dict
    chi2: dict
    diagnostics: dict
    curves: dict = field(repr=False)
    elapsed_s: float = 0.0

    @property
    def converged(self) -> bool:
        return bool(self.diagnostics.get("converged", False))

    def to_table(self):
        """The posterior samples (:meth:`PropagationPosterior.to_table`)."""
        return self.posterior.to_table()

    def write(self, directory) -> dict:
        """Write posterior.ecsv, best_fit_model.toml, summary.txt, corner.png and bc.png (if B/C
        was fitted) into ``directory``; returns ``{what: path}``."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        paths = {"posterior": self.posterior.write(directory / "posterior.ecsv")}
        toml = directory / "best_fit_model.toml"
        text = self.posterior.best_model().to_toml()
        atomic_write(toml, lambda h: h.write(text))
        paths["best_fit_model"] = toml
        summary = directory / "summary.txt"
        text_summary = self.summary() + "\n"
        atomic_write(summary, lambda h: h.write(text_summary))
        paths["summary"] = summary
        for kind, name in (("corner", "corner.png"), ("bc", "bc.png")):
            if kind == "bc" and "bc" not in self.curves:
                continue
            fig = self.plot(kind)
            path = directory / name
            atomic_write(path, lambda h, f=fig: f.savefig(h, format="png", dpi=110), binary=True)
            paths[kind] = path
        return paths

    def plot(self, kind: str = "corner", ax=None):
        """``"corner"``: the posterior (:func:`positrons.plotting.corner.corner_plot`); a data-set
        key (``"bc"``, ``"be10"``, ...): the best-fit ratio with its band against the data."""
        from ..plotting.corner import corner_plot, fit_ratio_plot

        if kind == "corner":
            return corner_plot(self.posterior.samples, self.posterior.parameters,
                               truths=[self.best[p] for p in self.posterior.parameters])
        if kind not in self.curves:
            raise ValueError(f"no ratio curve {kind!r}; available: corner, {', '.join(self.curves)}")
        return fit_ratio_plot(self.curves[kind], ax=ax)

    def summary(self) -> str:
        d = self.diagnostics
        lines = [f"propagation fit ({self.settings.sampler}, slab model) to {', '.join(self.settings.data)}: "
                 f"{self.posterior.n_samples} posterior samples, {self.elapsed_s:.0f} s"]
        if self.settings.sampler == "emcee":
            lines.append(f"  {d['steps']} steps x {d['walkers']} walkers; autocorrelation time max {d['tau_max']:.0f} "
                         f"steps; effective samples {d['n_eff']:.0f}; acceptance {d['acceptance_fraction']:.2f}")
            if d["converged"]:
                lines.append(f"  converged: steps >= 50 tau ({d['required_steps']})")
            else:
                lines.append(f"  NOT CONVERGED: {d['steps']} steps < 50 tau = {d['required_steps']}; continue with "
                             f"--resume --steps {int(1.2 * d['required_steps'])} (same --output)")
        elif self.settings.sampler == "nautilus":
            lines.append(f"  nested sampling (nautilus), {d['live_points']} live points: {d['n_like']} likelihood "
                         f"evaluations; effective samples {d['n_eff']:.0f}; ln Z = {d['log_z']:.2f} +- "
                         f"{d['log_z_error']:.2f}; " + ("exploration finished (evidence in the live set f_live <= "
                         f"{d['f_live_target']})" if d["explored"] else f"exploring, f_live = {d['f_live']:.1e}"))
            if d["converged"]:
                lines.append(f"  converged: effective samples >= {d['n_eff_target']} and f_live <= {d['f_live_target']}")
            else:
                lines.append(f"  NOT CONVERGED: effective samples {d['n_eff']:.0f} (target {d['n_eff_target']})"
                             + ("" if d["explored"] else f", f_live {d['f_live']:.1e} (target {d['f_live_target']})")
                             + "; continue with --resume (same --output)")
        else:
            lines.append(f"  MIGRAD {'valid' if d['valid'] else 'NOT VALID'} after {d['n_evaluations']} evaluations; "
                         "Gaussian (HESSE) errors")
        total = sum(c for c, _ in self.chi2.values())
        npts = sum(n for _, n in self.chi2.values())
        lines.append(f"  chi2 at the maximum: {total:.1f} for {npts} points; per data set: "
                     + ", ".join(f"{k} {c:.1f}/{n}" for k, (c, n) in self.chi2.items()))
        lines.append("  parameter: median [16%, 84%] (maximum)")
        for name, med, lo, hi in self.posterior.summary_table():
            lines.append(f"    {name:28s} {med:9.4g} [{lo:9.4g}, {hi:9.4g}]  ({self.best[name]:.4g})")
        return "\n".join(lines)


def _curves(like: PropagationLikelihood, best, samples, n_draws=100, seed=0) -> dict:
    out = {}
    rng = np.random.default_rng(seed)
    idx = rng.choice(samples.shape[0], size=min(n_draws, samples.shape[0]), replace=False)
    for obs in like.observables:
        if obs.spec.kind != "ratio":
            continue
        lo, hi = obs.x.min(), obs.x.max()
        x = np.geomspace(lo, hi, 60)
        best_curve = like.ratio_curve(best, obs.key, x)
        curve = {"x": x, "best": best_curve, "data_x": obs.x, "value": obs.value, "error": obs.error,
                 "variable": obs.variable, "quantity": obs.spec.quantity, "dataset": obs.spec.dataset}
        if len(idx) >= 2:
            draws = np.array([like.ratio_curve(samples[i], obs.key, x) for i in idx])
            curve.update(quantile_band(draws))
        out[obs.key] = curve
    return out


def _require_sampler(sampler: str) -> None:
    """A one-line ImportError, before any work, when the sampler's package is missing."""
    needed = {"emcee": ("emcee",), "nautilus": ("nautilus", "h5py"), "minuit": ("iminuit",)}[sampler]
    import importlib.util

    missing = [m for m in needed if importlib.util.find_spec(m) is None]
    if missing:
        raise ImportError(f"the {sampler} sampler needs {', '.join(missing)}: pip install 'positrons[fit]'")


def _check_checkpoint(settings: FitSettings, output: Path | None, resume: bool) -> None:
    """Refuse, before any work or file, a ``resume`` without a checkpoint (or without an
    ``output``, or for the quick fit, which has none) and a new run over an existing checkpoint."""
    if resume:
        if settings.sampler == "minuit":
            raise ValueError("--resume applies only to the nautilus and emcee samplers (the quick fit has no checkpoint)")
        files = (NESTED_FILE, NESTED_SETTINGS_FILE) if settings.sampler == "nautilus" else (CHAIN_FILE,)
        missing = [f for f in files if output is None or not (output / f).is_file()]
        if missing:
            raise ValueError(f"--resume: no {settings.sampler} checkpoint file {missing[0]} in {output}")
    elif output is not None:
        for name in (NESTED_FILE, CHAIN_FILE):  # any fit's results would be overwritten
            if (output / name).is_file():
                raise ValueError(f"{output / name} exists: pass --resume to continue that run, or choose another "
                                 "--output")


def fit_propagation(settings: FitSettings = FitSettings(), output=None, resume: bool = False,
                    scheduler: str | None = None, progress=None, data: dict | None = None) -> PropagationFitResult:
    """Run the fit of ``settings`` (see the module docstring).

    ``output``: directory of the checkpoint (emcee: the chain, written every
    ``settings.checkpoint_every`` steps, atomically; nautilus: its HDF5 file, written after every
    batch of evaluations, and the settings) -- the other files are written by
    :meth:`PropagationFitResult.write`; ``resume``: continue the checkpoint's chain (refused if
    any setting but ``steps`` differs); ``scheduler``: None (a pool of 2 processes), "none"
    (serial), "local" (a local dask cluster of 2 workers) or a ``tcp://`` address;
    ``progress(step, total)``: called after every step; ``data``: mock data (see
    :meth:`PropagationLikelihood.mock`)."""
    t0 = time.perf_counter()
    _require_sampler(settings.sampler)
    output = None if output is None else Path(output)
    _check_checkpoint(settings, output, resume)
    like = PropagationLikelihood(settings, data)
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
    if settings.sampler == "minuit":
        quick = fit_quick(like, seed=settings.seed)
        best = quick["values"]
        samples, logp = quick["samples"], quick["sample_log_posterior"]
        diagnostics = {"sampler": "minuit", "valid": quick["valid"], "n_evaluations": quick["n_evaluations"],
                       "errors": dict(zip(like.parameters, quick["errors"].tolist())),
                       "converged": quick["valid"], "posterior": "Gaussian approximation (HESSE covariance)"}
    elif settings.sampler == "nautilus":
        points, log_l, samples, samples_log_l, diagnostics = _run_nautilus(like, settings, output, resume,
                                                                          scheduler, progress)
        best = points[int(np.argmax(log_l + np.array([like.log_prior(x) for x in points])))]
        logp = np.array([like.log_prior(x) for x in samples]) + samples_log_l
    else:
        chain, log_prob, quick = _run_emcee(like, settings, output, resume, scheduler, progress)
        diagnostics = {"sampler": "emcee", **chain_diagnostics(chain)}
        burn, thin = diagnostics["burn_in"], diagnostics["thin"]
        samples = chain[burn::thin].reshape(-1, chain.shape[2])
        logp = log_prob[burn::thin].reshape(-1)
        good = np.isfinite(logp)
        samples, logp = samples[good], logp[good]
        # the maximum over every evaluation of the chain (burn-in included) and MIGRAD's start
        flat_logp = np.where(np.isfinite(log_prob), log_prob, -np.inf).reshape(-1)
        k = int(np.argmax(flat_logp))
        best = chain.reshape(-1, chain.shape[2])[k]
        if quick is not None and quick["log_posterior"] > flat_logp[k]:
            best = np.asarray(quick["values"], dtype=float)
    diagnostics["wall_time_s"] = time.perf_counter() - t0  # of this call (a resumed run: since the resume)
    posterior = PropagationPosterior(like.base, like.parameters, samples, logp,
                                     {"fit": settings.as_dict(), "diagnostics": plain(diagnostics),
                                      "engine": "slab (thin disc + diffusive halo)",
                                      "maximum_posterior": dict(zip(like.parameters, map(float, best)))})
    chi2 = {k: (c, int(o.x.size)) for (k, (_, c)), o in zip(like.predictions(best).items(), like.observables)}
    curves = _curves(like, best, samples)
    return PropagationFitResult(settings, posterior, dict(zip(like.parameters, map(float, best))), chi2,
                                diagnostics, curves, time.perf_counter() - t0)
