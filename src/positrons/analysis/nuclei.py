r"""Secondary-to-primary ratios of cosmic-ray nuclei (B/C, B/O, Be/B, Li/C, Be/C, 10Be/9Be)
from the nuclear network, modulated and compared with the shipped measurements.

Pipeline (:func:`nuclei_ratio`): the network of :mod:`positrons.propagation.network` (2D,
Li to Si) on the model's grid -> local interstellar spectrum of every isotope -> force-field
modulation of each isotope with its own Z/A at the model's phi
(:func:`positrons.heliosphere.force_field.modulate`) -> element sums -> the ratio, per unit
kinetic energy per nucleon or per unit rigidity (as each dataset is given) -> chi^2 against
each dataset of :data:`RATIO_DATASETS` with its total errors (mean of the two sides).

Ratios are independent of the overall normalisation of the injection; the relative source
abundances are :data:`positrons.propagation.network.SOURCE_ABUNDANCES` (not fitted here).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .. import kinematics as kin
from ..cross_sections.fragmentation import ELEMENTS, isotope_species, parse_isotope
from ..propagation.grid import GridSpec
from ..propagation.models import get_propagation_model
from ..propagation.network import NetworkResult, NetworkSettings, solve_network
from .transport import Transport

__all__ = ["RATIO_DATASETS", "RatioComparison", "NucleiRatioResult", "nuclei_ratio", "parse_ratio",
           "network_ratios", "NUCLEI_ENERGY_RANGE_GEV_N", "AbundanceFit", "fit_source_abundances",
           "ABUNDANCE_DATASETS", "ABUNDANCE_GROUPS", "VOYAGER_DATASET"]

#: the shipped measurements of each ratio (the first is the reference of the chi^2 summary)
RATIO_DATASETS = {
    "B/C": ("ams02_bc_ratio_physrep2021_kiss",),
    "B/O": ("ams02_bo_ratio_physrep2021_kiss",),
    "Be/B": ("ams02_beb_ratio_prl2018_kiss",),
    "Be/C": ("ams02_bec_ratio_physrep2021_kiss",),
    "Li/C": ("ams02_lic_ratio_physrep2021_kiss",),
    "10Be/9Be": ("ace_cris_be10_be9_yanasak2001_galprop", "isomax_be10_be9_hams2004_galprop",
                 "ams02_be10_be9_tevpa2024_preliminary_nlbm"),
}

#: kinetic energies per nucleon of the network [GeV/n]
NUCLEI_ENERGY_RANGE_GEV_N = (0.03, 3e3)

_SYMBOLS = {v.lower(): k for k, v in ELEMENTS.items()}


def parse_ratio(text: str) -> tuple[str, str]:
    """``"B/C"`` -> ("B", "C"); each side an element symbol or an isotope (``10Be``)."""
    parts = [p.strip() for p in str(text).split("/")]
    if len(parts) != 2 or not all(parts):
        raise ValueError(f"a ratio is NUM/DEN, e.g. B/C or 10Be/9Be (got {text!r})")
    for p in parts:
        if p.lower() not in _SYMBOLS:
            parse_isotope(p)  # raises on nonsense
    return parts[0], parts[1]


def _members(side: str, isotopes) -> list[str]:
    """The network isotopes summed on one side of a ratio."""
    if side.lower() in _SYMBOLS:
        Z = _SYMBOLS[side.lower()]
        names = [n for n in isotopes if parse_isotope(n)[0] == Z]
    else:
        Z, A = parse_isotope(side)
        names = [n for n in isotopes if parse_isotope(n) == (Z, A)]
    if not names:
        raise ValueError(f"{side} is not in the network ({', '.join(isotopes)})")
    return names


def _isotope_toa(result: NetworkResult, name: str, phi: float):
    """(T [GeV] whole nucleus, LIS, TOA) per unit T [m^-2 s^-1 sr^-1 GeV^-1] of one isotope."""
    from ..heliosphere.force_field import modulate

    sp = isotope_species(*parse_isotope(name))
    T = sp.mass_number * result.T_n
    lis = result.flux_per_nucleon(name) / sp.mass_number
    positive = lis > 0
    if phi == 0 or not np.any(positive):
        return T, lis, lis.copy()
    toa = modulate(T, (T[positive], lis[positive]), phi, sp, extrapolate="nan")
    toa = np.where(np.isfinite(toa), toa, 0.0)
    return T, lis, toa


def _element_on(result, names, phi, x, variable):
    """(LIS, TOA) of the sum of ``names`` at ``x`` [GeV/n or GV], per unit of ``variable``."""
    lis_sum = np.zeros(np.shape(x))
    toa_sum = np.zeros(np.shape(x))
    for name in names:
        sp = isotope_species(*parse_isotope(name))
        T_grid, lis, toa = _isotope_toa(result, name, phi)
        if variable == "rigidity":
            T_at = kin.kinetic_from_rigidity(x, sp)
            jac = kin.dT_dR(T_at, sp)  # per GV
        else:
            T_at = sp.mass_number * np.asarray(x, dtype=float)
            jac = sp.mass_number  # per GeV/n
        for arr, out in ((lis, lis_sum), (toa, toa_sum)):
            good = arr > 0
            if good.sum() < 2:
                continue
            vals = np.exp(np.interp(np.log(T_at), np.log(T_grid[good]), np.log(arr[good]), left=np.nan, right=np.nan))
            out += np.where(np.isfinite(vals), vals, 0.0) * jac
    return lis_sum, toa_sum


def network_ratios(result: NetworkResult, ratio: str, phi_GV: float, x, variable: str = "kinetic_energy_per_nucleon"):
    """(ratio_LIS, ratio_TOA) of ``ratio`` at ``x`` (GeV/n, or GV with ``variable="rigidity"``)."""
    num, den = parse_ratio(ratio)
    n_lis, n_toa = _element_on(result, _members(num, result.isotopes), phi_GV, x, variable)
    d_lis, d_toa = _element_on(result, _members(den, result.isotopes), phi_GV, x, variable)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(d_lis > 0, n_lis / d_lis, np.nan), np.where(d_toa > 0, n_toa / d_toa, np.nan)


@dataclass(frozen=True)
class RatioComparison:
    """One dataset against the model ratio (TOA) at its energies."""

    dataset: str
    variable: str  # "rigidity" [GV] or "kinetic_energy_per_nucleon" [GeV/n]
    x: np.ndarray
    value: np.ndarray
    error: np.ndarray  # total, mean of the two sides
    model: np.ndarray
    chi2: float
    n_points: int
    flags: tuple = ()

    @property
    def chi2_per_point(self) -> float:
        return self.chi2 / self.n_points if self.n_points else float("nan")


@dataclass(frozen=True)
class NucleiRatioResult:
    """A ratio of the network for one model: LIS and TOA on ``T_n`` [GeV/n], and the data."""

    ratio: str
    model: str
    phi_GV: float
    T_n: np.ndarray
    ratio_lis: np.ndarray
    ratio_toa: np.ndarray
    comparisons: tuple[RatioComparison, ...]
    network: NetworkResult = field(repr=False)
    transport: dict = field(default_factory=dict)  # Transport.settings(): grid and solver

    def settings(self) -> dict:
        """What the numbers depend on: ratio, model, phi [GV], the transport (grid and solver),
        the network (isotopes, abundances, switches) and per dataset its chi^2."""
        network = self.network.settings.as_dict() if self.network is not None else {}
        return {"ratio": self.ratio, "model": self.model, "phi_GV": self.phi_GV, "transport": dict(self.transport),
                "network": network, "comparisons": {c.dataset: {"chi2": c.chi2, "n_points": c.n_points, "variable": c.variable,
                                            "flags": list(c.flags)} for c in self.comparisons}}

    def to_table(self):
        """Kinetic energy per nucleon [GeV/n], the ratio in the interstellar medium (LIS) and at the
        top of the atmosphere (TOA, force field); settings and chi^2 per dataset in ``meta``."""
        from .records import table_with_meta

        return table_with_meta(
            {"T_n_GeV_per_n": (self.T_n, "GeV", "kinetic energy per nucleon"),
             "ratio_lis": (self.ratio_lis, "", f"{self.ratio} in the local interstellar medium"),
             "ratio_toa": (self.ratio_toa, "", f"{self.ratio} at the top of the atmosphere (force field)")},
            self.settings())

    def write(self, path) -> None:
        """Write :meth:`to_table` atomically (``.ecsv`` or ``.csv``)."""
        from .records import write_result

        write_result(self, path, (".ecsv", ".csv"))

    def plot(self, ax=None):
        """LIS and TOA ratio with the data (:func:`positrons.plotting.nuclei.plot_ratio`), on ``ax``
        if given; returns the matplotlib Figure."""
        from ..plotting.nuclei import plot_ratio

        return plot_ratio(self, ax=ax)

    def summary(self) -> str:
        lines = [f"{self.ratio}, model {self.model}, force field phi = {self.phi_GV:g} GV"]
        for c in self.comparisons:
            flag = " (preliminary)" if "preliminary" in c.flags else ""
            lines.append(f"  {c.dataset}{flag}: chi2 = {c.chi2:.1f} for {c.n_points} points "
                         f"(chi2/n = {c.chi2_per_point:.2f})")
        return "\n".join(lines)


def compare(result: NetworkResult, ratio: str, phi_GV: float, dataset_id: str) -> RatioComparison:
    """chi^2 of the TOA ratio against one dataset (points inside the network's energy range
    with finite, positive errors)."""
    from ..data import load

    ds = load(dataset_id)
    variable = "rigidity" if ds.energy_variable == "rigidity" else "kinetic_energy_per_nucleon"
    if ds.energy_variable not in ("rigidity", "kinetic_energy_per_nucleon"):
        raise ValueError(f"{dataset_id}: ratios need rigidity or kinetic energy per nucleon (got {ds.energy_variable})")
    x = np.asarray(ds.energy, dtype=float) * (1e-3 if ds.energy_unit == "MeV" else 1.0)
    lo, hi = ds.errors()
    err = 0.5 * (np.asarray(lo, dtype=float) + np.asarray(hi, dtype=float))
    _, model = network_ratios(result, ratio, phi_GV, x, variable)
    ok = np.isfinite(err) & (err > 0) & np.isfinite(model) & (model > 0)
    chi2 = float(np.sum(((model[ok] - ds.value[ok]) / err[ok]) ** 2))
    return RatioComparison(dataset_id, variable, x[ok], np.asarray(ds.value)[ok], err[ok], model[ok], chi2,
                           int(ok.sum()), tuple(ds.flags or ()))


def nuclei_ratio(ratio: str = "B/C", model="MED", transport: Transport | GridSpec | None = None,
                 settings: NetworkSettings = NetworkSettings(), datasets: tuple[str, ...] | None = None,
                 network: NetworkResult | None = None, T_n=None, progress=None) -> NucleiRatioResult:
    """Compute ``ratio`` (e.g. ``"B/C"``, ``"10Be/9Be"``) for ``model`` (preset name, TOML path or
    :class:`PropagationModel`) and compare it with ``datasets`` (default :data:`RATIO_DATASETS`).

    ``transport``: the grid and solver (:class:`~positrons.analysis.transport.Transport`; a
    GridSpec or None as :meth:`Transport.of`), recorded in the result; the network solve is not
    cached on disk.  ``network``: a solved network of the same model, reused (one solve serves
    every ratio; the result records the grid and solver the network was solved with).  ``progress``: ``progress(done, total)`` after each isotope of the network."""
    num, den = parse_ratio(ratio)
    model = get_propagation_model(model)
    transport = Transport.of(transport)
    spec = transport.grid_spec
    if network is None:
        T_n = spec.energies(*NUCLEI_ENERGY_RANGE_GEV_N) if T_n is None else np.asarray(T_n, dtype=float)
        network = solve_network(model, T_n, settings, spec, solver=transport.solver, progress=progress)
    key = f"{num}/{den}"
    if datasets is None:
        datasets = RATIO_DATASETS.get(key, ())
    lis, toa = network_ratios(network, key, model.phi_GV, network.T_n)
    comparisons = tuple(compare(network, key, model.phi_GV, d) for d in datasets)
    return NucleiRatioResult(key, model.name, model.phi_GV, network.T_n, lis, toa, comparisons, network,
                             dict(network.numerics) or transport.settings())


def _offset_progress(progress, k: int, n: int):
    """``progress`` of the k-th of ``n`` equal steps: (done, total) of one network solve reported
    as (k total + done, n total)."""

    def step(done: int, total: int) -> None:
        progress(k * total + done, n * total)

    return step


#: AMS-02 element fluxes the source abundances are fitted to
ABUNDANCE_DATASETS = (("C", "ams02_carbon_flux_physrep2021"), ("N", "ams02_n_flux_physrep2021_kiss"),
                      ("O", "ams02_o_flux_prl2017_ssdc"))
#: the primary groups of the fit: each scales the listed isotopes' injection together (the
#: isotopes heavier than O go with O, at their ratios of SOURCE_ABUNDANCES)
ABUNDANCE_GROUPS = (("C", ("12C", "13C")), ("N", ("14N", "15N")),
                    ("O", ("16O", "17O", "18O", "20Ne", "21Ne", "22Ne", "23Na", "24Mg", "25Mg", "26Mg", "27Al",
                           "28Si")))
#: Voyager 1 beyond the heliopause (Cummings et al. 2016, ApJ 831, 18, Table 9): the local
#: interstellar C, N, O intensities [(m^2 s sr MeV/n)^-1] at 5-150 MeV/n, fitted unmodulated
VOYAGER_DATASET = "voyager1_nuclei_z3_28_cummings2016_table9"


@dataclass(frozen=True)
class AbundanceFit:
    """Source abundances of C, N and O(+ heavier) fitted to the AMS-02 fluxes after modulation.

    ``scale[g]``: the factor multiplying group g's abundances of the starting settings;
    ``abundances``: the fitted source abundances (absolute: per unit-normalised injection);
    ``chi2[element] = (chi2, n_points)`` against AMS-02, ``chi2_voyager[element]`` against
    Voyager 1 (empty when Voyager was not fitted); ``network``: the network with the fitted
    abundances."""

    model: str
    scale: dict
    abundances: tuple
    chi2: dict
    network: NetworkResult = field(repr=False)
    chi2_voyager: dict = field(default_factory=dict)

    def summary(self) -> str:
        rel = {g: self.scale[g] / self.scale["O"] for g in self.scale}
        parts = ", ".join(f"{g}: x{rel[g]:.3f}" for g in rel)
        fits = ", ".join(f"{e} chi2 = {c:.0f}/{n}" for e, (c, n) in self.chi2.items())
        if self.chi2_voyager:
            fits += "; Voyager 1 (LIS) " + ", ".join(f"{e} chi2 = {c:.0f}/{n}" for e, (c, n) in self.chi2_voyager.items())
        return f"source abundances fitted to AMS-02 C, N, O (relative to the defaults, O = 1): {parts}; {fits}"


def fit_source_abundances(model="MED", transport: Transport | GridSpec | None = None,
                          settings: NetworkSettings = NetworkSettings(), T_n=None, rigidity_min_GV: float = 5.0,
                          progress=None, voyager: bool = True) -> AbundanceFit:
    """Fit the C, N and O (+ heavier) source abundances to the AMS-02 C, N, O fluxes (TOA,
    rigidities above ``rigidity_min_GV``, where the force field is adequate), by linear least
    squares: the network is linear in its sources, so one network solve per group
    (:data:`ABUNDANCE_GROUPS`) gives every element's flux as a linear combination.  Three
    network solves (``progress(done, total)`` after each isotope of each, total over the three).
    ``transport`` as for :func:`nuclei_ratio`.

    ``voyager``: also fit the Voyager 1 C, N, O intensities beyond the heliopause
    (:data:`VOYAGER_DATASET`; Cummings et al. 2016) to the unmodulated (LIS) element fluxes, at
    the points inside the network's energies (its lowest ``T_n``, 30 MeV/n by default, up to
    150 MeV/n), each with its total error: the low-energy end of the source spectra, which
    AMS-02 above ``rigidity_min_GV`` does not see."""
    from ..data import load

    model = get_propagation_model(model)
    transport = Transport.of(transport)
    spec = transport.grid_spec
    T_n = spec.energies(*NUCLEI_ENERGY_RANGE_GEV_N) if T_n is None else np.asarray(T_n, dtype=float)
    base = dict(settings.abundances)
    parts = {}
    for k, (group, names) in enumerate(ABUNDANCE_GROUPS):
        only = tuple((n, base[n]) for n in names if base.get(n, 0) > 0)
        step = None if progress is None else _offset_progress(progress, k, len(ABUNDANCE_GROUPS))
        parts[group] = solve_network(model, T_n, replace(settings, abundances=only), spec, solver=transport.solver,
                                     progress=step)
    rows, values, errors, which = [], [], [], []
    for element, dataset in ABUNDANCE_DATASETS:
        ds = load(dataset)
        x = np.asarray(ds.energy, dtype=float)
        lo, hi = ds.errors()
        err = 0.5 * (np.asarray(lo, dtype=float) + np.asarray(hi, dtype=float))
        keep = (x >= rigidity_min_GV) & np.isfinite(err) & (err > 0)
        cols = [_element_on(parts[g], _members(element, parts[g].isotopes), model.phi_GV, x[keep], "rigidity")[1]
                for g, _ in ABUNDANCE_GROUPS]
        rows.append(np.stack(cols, axis=1))
        values.append(np.asarray(ds.value, dtype=float)[keep])
        errors.append(err[keep])
        which += [element] * int(keep.sum())
    if voyager:
        ds = load(VOYAGER_DATASET)
        if ds.energy_unit != "MeV" or ds.energy_variable != "kinetic_energy_per_nucleon":
            raise ValueError(f"{VOYAGER_DATASET}: expected kinetic energies per nucleon in MeV")
        per_MeV = float(ds.value_unit.to("1 / (MeV s sr m2)"))  # the intensity unit of the rows
        x = np.asarray(ds.energy, dtype=float) * 1e-3  # GeV/n
        lo, hi = ds.errors()
        err = 0.5 * (np.asarray(lo, dtype=float) + np.asarray(hi, dtype=float)) * per_MeV
        Z = np.asarray(ds.extra["Z"], dtype=int)
        for element, _ in ABUNDANCE_DATASETS:
            keep = (Z == _SYMBOLS[element.lower()]) & (x >= T_n[0]) & (x <= T_n[-1]) & np.isfinite(err) & (err > 0)
            # LIS per GeV/n -> per MeV/n
            cols = [1e-3 * _element_on(parts[g], _members(element, parts[g].isotopes), 0.0, x[keep],
                                       "kinetic_energy_per_nucleon")[0] for g, _ in ABUNDANCE_GROUPS]
            rows.append(np.stack(cols, axis=1))
            values.append(np.asarray(ds.value, dtype=float)[keep] * per_MeV)
            errors.append(err[keep])
            which += [f"{element} (Voyager 1)"] * int(keep.sum())
    A = np.concatenate(rows)
    d = np.concatenate(values)
    s = np.concatenate(errors)
    coef, *_ = np.linalg.lstsq(A / s[:, None], d / s, rcond=None)
    if np.any(coef <= 0):
        raise ValueError(f"the abundance fit gave a non-positive scale ({coef}); check the model")
    model_values = A @ coef
    which = np.array(which)
    chi2, chi2_voyager = ({e: (float(np.sum(((model_values - d) / s)[which == key] ** 2)), int(np.sum(which == key)))
                           for e, _ in ABUNDANCE_DATASETS for key in [e + suffix] if np.any(which == key)}
                          for suffix in ("", " (Voyager 1)"))
    scale = {g: float(c) for (g, _), c in zip(ABUNDANCE_GROUPS, coef)}
    density = {}
    for name in parts["O"].isotopes:
        density[name] = sum(scale[g] * parts[g].density[name] for g, _ in ABUNDANCE_GROUPS)
    group_of = {n: g for g, names in ABUNDANCE_GROUPS for n in names}
    abundances = tuple((n, a * scale[group_of[n]]) for n, a in settings.abundances if n in group_of)
    fitted = replace(settings, abundances=abundances)
    network = NetworkResult(T_n, parts["O"].isotopes, density, "2D", fitted, model.name,
                            numerics=parts["O"].numerics)
    return AbundanceFit(model.name, scale, abundances, chi2, network, chi2_voyager)
