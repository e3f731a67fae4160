"""A posterior over propagation-model parameters: samples, the models they stand for, bands.

A :class:`PropagationPosterior` is what a propagation fit produces and what every derived
result reads to carry the propagation uncertainty (``--posterior FILE``).  It holds

* ``base_model`` -- a :class:`~positrons.propagation.models.PropagationModel` giving every
  parameter that was not free;
* ``parameters`` -- the names of the sampled quantities, one column of ``samples`` each.  A
  name is either a field of the model (``z_h_kpc``, ``D0_1e28_cm2_s``, ``delta1``,
  ``v_alfven_km_s``, ...), an element of the proton injection (``proton_injection_index_0``,
  ``proton_injection_index_1``, ..., ``proton_injection_break_GV_0``, ...), or a nuisance
  parameter of the fit whose name starts with ``nuisance_`` (a modulation potential per data
  set, a cross-section normalisation); nuisance parameters do not enter the model;
  A slab-model fit (``settings["engine"]`` "slab ...") samples the Alfvén speed of the disc;
  :meth:`model` and friends return 2D-engine models with V_a sqrt(h / z_h);
* ``samples`` (n_samples, n_parameters) -- equally weighted posterior draws (an MCMC chain after
  burn-in and thinning, or a nested sampler's equal-weight resample);
* ``log_posterior`` (n_samples,) -- the log posterior of each sample;
* ``settings`` -- the fit's settings (data sets, priors, sampler, diagnostics), recorded in the
  file header.  ``settings["maximum_posterior"]`` (``{parameter: value}``), when present, is the
  maximum found by the sampler over all its evaluations (a nested sampler's equal-weight
  resample need not contain it); :meth:`best_values` falls back to the highest-posterior sample.

Files are ECSV (one column per parameter plus ``log_posterior``; the base model and the
settings in the header), written atomically.  Quantile bands over a derived quantity computed
for a set of draws are :func:`quantile_band`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..propagation.models import Injection, PropagationModel, UnknownModelKeyError
from .records import atomic_write, package_version, plain

NUISANCE_PREFIX = "nuisance_"
_INDEX = "proton_injection_index_"
_BREAK = "proton_injection_break_GV_"

#: the one-sided probabilities of the median and of the central 68 % and 95 % intervals
BAND_QUANTILES = {"median": 0.5, "lo68": 0.15865525393145707, "hi68": 0.8413447460685429,
                  "lo95": 0.022750131948179195, "hi95": 0.9772498680518208}


def _model_field_names() -> set[str]:
    return {f.name for f in dataclasses.fields(PropagationModel)} - {"name", "description", "proton_injection"}


def check_parameter_name(name: str) -> None:
    """ValueError unless ``name`` is a model field, an injection element or a nuisance name."""
    if name.startswith(NUISANCE_PREFIX) or name in _model_field_names():
        return
    for prefix in (_INDEX, _BREAK):
        if name.startswith(prefix) and name[len(prefix):].isdigit():
            return
    raise UnknownModelKeyError(
        f"{name!r} is not a propagation-model parameter; allowed: {', '.join(sorted(_model_field_names()))}, "
        f"{_INDEX}<i>, {_BREAK}<i>, or a name starting with {NUISANCE_PREFIX!r}"
    )


def model_with(base: PropagationModel, values: dict, name: str | None = None) -> PropagationModel:
    """``base`` with the model parameters of ``values`` (``{parameter name: value}``) set;
    nuisance parameters are ignored, unknown names refused."""
    changes, indices, breaks = {}, list(base.proton_injection.indices), list(base.proton_injection.breaks_GV)
    for key, value in values.items():
        check_parameter_name(key)
        if key.startswith(NUISANCE_PREFIX):
            continue
        if key.startswith(_INDEX) or key.startswith(_BREAK):
            target, prefix = (indices, _INDEX) if key.startswith(_INDEX) else (breaks, _BREAK)
            i = int(key[len(prefix):])
            if i >= len(target):
                raise UnknownModelKeyError(
                    f"{key}: the base model's proton injection has {len(indices)} indices and {len(breaks)} breaks"
                )
            target[i] = float(value)
        else:
            changes[key] = float(value)
    if indices != list(base.proton_injection.indices) or breaks != list(base.proton_injection.breaks_GV):
        changes["proton_injection"] = Injection(tuple(indices), tuple(breaks))
    if name is not None:
        changes["name"] = name
    return dataclasses.replace(base, **changes)


def quantile_band(values, axis: int = 0) -> dict[str, np.ndarray]:
    """Median and central 68 % / 95 % intervals of ``values`` over ``axis`` (the draws):
    ``{"median", "lo68", "hi68", "lo95", "hi95"}``, each with that axis removed."""
    values = np.asarray(values, dtype=float)
    if values.shape[axis] < 2:
        raise ValueError(f"a band needs at least 2 draws (got {values.shape[axis]})")
    q = np.quantile(values, list(BAND_QUANTILES.values()), axis=axis)
    return dict(zip(BAND_QUANTILES, q))


@dataclass(frozen=True)
class PropagationPosterior:
    """Equally weighted posterior samples of propagation parameters (see the module docstring)."""

    base_model: PropagationModel
    parameters: tuple[str, ...]
    samples: np.ndarray
    log_posterior: np.ndarray
    settings: dict = field(default_factory=dict)

    def __post_init__(self):
        samples = np.atleast_2d(np.asarray(self.samples, dtype=float))
        logp = np.asarray(self.log_posterior, dtype=float).ravel()
        object.__setattr__(self, "samples", samples)
        object.__setattr__(self, "log_posterior", logp)
        object.__setattr__(self, "parameters", tuple(self.parameters))
        if samples.shape[1] != len(self.parameters):
            raise ValueError(f"samples have {samples.shape[1]} columns for {len(self.parameters)} parameters")
        if logp.shape[0] != samples.shape[0]:
            raise ValueError(f"{logp.shape[0]} log-posterior values for {samples.shape[0]} samples")
        if len(set(self.parameters)) != len(self.parameters):
            raise ValueError("parameter names must be distinct")
        for name in self.parameters:
            check_parameter_name(name)
        if samples.shape[0] == 0 or not np.all(np.isfinite(samples)):
            raise ValueError("a posterior needs at least one sample, all finite")

    @property
    def n_samples(self) -> int:
        return self.samples.shape[0]

    def column(self, name: str) -> np.ndarray:
        """The samples of parameter ``name``."""
        try:
            return self.samples[:, self.parameters.index(name)]
        except ValueError:
            raise KeyError(f"{name!r} is not a parameter of this posterior ({', '.join(self.parameters)})") from None

    def values(self, i: int) -> dict[str, float]:
        """Sample ``i`` as ``{parameter: value}`` (as sampled)."""
        return dict(zip(self.parameters, map(float, self.samples[i])))

    @property
    def slab_disc_half_height_kpc(self) -> float | None:
        """The disc half-height h [kpc] if the samples come from the slab model (re-acceleration
        in the disc only), else None."""
        if not str(self.settings.get("engine", "")).startswith("slab"):
            return None
        return float(self.settings.get("fit", {}).get("disc", {}).get("h_kpc", 0.1))

    def _model(self, values: dict, name: str) -> PropagationModel:
        """The 2D-engine model of ``values``.  A slab fit's Alfvén speed acts in the disc only;
        the 2D engine re-accelerates in the whole halo, so it gets V_a sqrt(h / z_h), which
        gives the same B/C to 1-8 % from 2 GV to 1 TV (docs/propagation_fit.md)."""
        h = self.slab_disc_half_height_kpc
        if h is not None:  # sampled or fixed, the slab's Alfvén speed is a disc value
            values = dict(values)
            z_h = values.get("z_h_kpc", self.base_model.z_h_kpc)
            v_a = values.get("v_alfven_km_s", self.base_model.v_alfven_km_s)
            values["v_alfven_km_s"] = v_a * np.sqrt(h / z_h)
            model = model_with(self.base_model, values, name)
            return dataclasses.replace(model, description=(
                "from a slab-model propagation fit (positrons fit propagation), for the 2D engine: "
                f"v_alfven_km_s = the fit's disc value x sqrt({h:g} kpc / z_h) (docs/propagation_fit.md)"))
        return model_with(self.base_model, values, name)

    def model(self, i: int, name: str | None = None) -> PropagationModel:
        """The propagation model of sample ``i``."""
        return self._model(self.values(i), name or f"{self.base_model.name}_draw{i}")

    def draw_indices(self, n: int, seed: int = 0) -> np.ndarray:
        """``n`` distinct sample indices drawn without replacement (all, in order, if ``n`` >= the
        number of samples) with a seeded generator (reproducible)."""
        if n < 1:
            raise ValueError(f"the number of draws must be >= 1 (got {n})")
        if n >= self.n_samples:
            return np.arange(self.n_samples)
        return np.sort(np.random.default_rng(seed).choice(self.n_samples, size=n, replace=False))

    def draws(self, n: int, seed: int = 0) -> list[PropagationModel]:
        """The models of ``n`` posterior draws (:meth:`draw_indices`)."""
        return [self.model(int(i)) for i in self.draw_indices(n, seed)]

    def best_values(self) -> dict[str, float]:
        """The maximum posterior as ``{parameter: value}`` (as sampled): the fit's recorded
        ``settings["maximum_posterior"]`` if present, else the sample with the highest posterior."""
        recorded = self.settings.get("maximum_posterior")
        if recorded:
            missing = set(self.parameters) - set(recorded)
            if missing:
                raise ValueError(f"settings['maximum_posterior'] lacks {', '.join(sorted(missing))}")
            return {p: float(recorded[p]) for p in self.parameters}
        return self.values(int(np.argmax(self.log_posterior)))

    def best_model(self, name: str | None = None) -> PropagationModel:
        """The model of the maximum posterior (:meth:`best_values`)."""
        return self._model(self.best_values(), name or f"{self.base_model.name}_best_fit")

    def median_model(self, name: str | None = None) -> PropagationModel:
        """The model at the per-parameter posterior medians."""
        medians = dict(zip(self.parameters, np.median(self.samples, axis=0)))
        return self._model(medians, name or f"{self.base_model.name}_median")

    def summary_table(self) -> list[tuple[str, float, float, float]]:
        """Per parameter: (name, median, 16 % quantile, 84 % quantile)."""
        q = np.quantile(self.samples, [0.5, BAND_QUANTILES["lo68"], BAND_QUANTILES["hi68"]], axis=0)
        return [(p, float(q[0, j]), float(q[1, j]), float(q[2, j])) for j, p in enumerate(self.parameters)]

    # --- files -------------------------------------------------------------------------------
    def to_table(self):
        from astropy.table import Table

        table = Table()
        for j, name in enumerate(self.parameters):
            table[name] = self.samples[:, j]
        table["log_posterior"] = self.log_posterior
        base = {f.name: getattr(self.base_model, f.name) for f in dataclasses.fields(self.base_model)}
        injection = base.pop("proton_injection")
        base["proton_injection_indices"] = list(injection.indices)
        base["proton_injection_breaks_GV"] = list(injection.breaks_GV)
        table.meta["kind"] = "propagation posterior"
        table.meta["base_model"] = plain({k: v for k, v in base.items() if v is not None})
        table.meta["parameters"] = list(self.parameters)
        table.meta["settings"] = plain(self.settings)
        table.meta["positrons_version"] = package_version()
        return table

    def write(self, path) -> Path:
        """Write the posterior as ECSV (atomically); the suffix must be ``.ecsv``."""
        path = Path(path)
        if path.suffix.lower() != ".ecsv":
            raise ValueError(f"cannot write {path.name}: a posterior file must end in .ecsv")
        table = self.to_table()
        atomic_write(path, lambda handle: table.write(handle, format="ascii.ecsv"))
        return path

    @classmethod
    def read(cls, path) -> "PropagationPosterior":
        """Read a posterior written by :meth:`write`; a file that is not one is refused."""
        from astropy.table import Table

        path = Path(path)
        if not path.is_file():
            raise ValueError(f"posterior file {path} does not exist")
        try:
            table = Table.read(path, format="ascii.ecsv")
        except Exception as exc:  # astropy raises several types for a malformed file
            raise ValueError(f"{path.name}: not an ECSV table ({exc})") from None
        if table.meta.get("kind") != "propagation posterior":
            raise ValueError(f"{path.name}: not a propagation posterior (no 'kind: propagation posterior' in its header)")
        parameters = tuple(table.meta["parameters"])
        base_map = dict(table.meta["base_model"])
        name = base_map.pop("name", path.stem)
        base = PropagationModel.from_mapping(base_map, name=name)
        samples = np.column_stack([np.asarray(table[p], dtype=float) for p in parameters]) if parameters else np.empty((len(table), 0))
        return cls(base, parameters, samples, np.asarray(table["log_posterior"], dtype=float),
                   dict(table.meta.get("settings", {})))
