"""The :class:`Dataset` record: one measured spectrum (or fraction, or ratio) with provenance.

A :class:`Dataset` holds the numbers of one shipped file as read-only numpy arrays, in the
file's own energy variable and units, plus its metadata.  Nothing modifies it; a derived copy
(rows selected, energies or units converted) is a new Dataset made by :meth:`Dataset.derive`,
which records the transformation in its metadata:

* :meth:`Dataset.to_kinetic_energy`, :meth:`Dataset.to_rigidity` -- conversions
  (:mod:`.convert`), e.g. to the package's convention (``docs/conventions.md``: GeV of
  kinetic energy per particle, fluxes per GeV m^2) before comparing with a model;
* :meth:`Dataset.select` -- the rows whose representative energy lies in a range;
* :meth:`Dataset.to_table`, :meth:`Dataset.write`, :meth:`Dataset.to_text` -- output
  (:mod:`.writers`).

The file format and its vocabularies are in :mod:`.schema`, the reader in :mod:`.readers`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import astropy.units as u
import numpy as np

from . import convert, writers
from .convert import FLUX_UNIT, kinematic_species, representative_energy
from .schema import ASSUMED_COLUMN, ERROR_COLUMNS, REQUIRED_META, freeze, thaw

__all__ = ["Dataset", "FLUX_UNIT", "kinematic_species"]


def _readonly(a) -> np.ndarray:
    a = np.array(a, copy=True)
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False, repr=False)
class Dataset:
    """One measurement: energies, values, errors (read-only numpy arrays) and metadata.

    Arrays are in the units named by ``meta["energy_unit"]`` and ``meta["value_unit"]`` and
    in the energy variable ``meta["energy_variable"]``.  ``energy_ref`` is NaN where the
    source gives no representative energy; ``energy_low/high`` are NaN where it gives no
    bin edges; an error array is NaN where the source does not give that error.  Errors are
    absolute (same unit as ``value``) and non-negative.

    ``extra`` holds the source's additional columns (systematic components, event counts,
    GALPROP flags, ...) under their own names, with units in ``extra_units``.  ``meta`` is a
    read-only mapping with the keys of the file format (see ``src/positrons/data/README.md``).

    Build one with :func:`positrons.data.load` or :func:`positrons.data.read_dataset`.
    For the SSDC E^3-weighted electron export (file ``value_scaling: E^3``) ``value`` and
    the errors are the flux: the published numbers are divided by ``energy_ref**3`` when
    the file is read, and ``meta["transformations"]`` says so.
    """

    energy_low: np.ndarray
    energy_high: np.ndarray
    energy_ref: np.ndarray
    value: np.ndarray
    stat_err_low: np.ndarray
    stat_err_high: np.ndarray
    sys_err_low: np.ndarray
    sys_err_high: np.ndarray
    tot_err_low: np.ndarray
    tot_err_high: np.ndarray
    meta: Mapping[str, Any]
    extra: Mapping[str, np.ndarray] = field(default_factory=dict)
    extra_units: Mapping[str, str | None] = field(default_factory=dict)

    def __post_init__(self):
        n = np.shape(self.value)[0] if np.ndim(self.value) else None
        if n is None:
            raise ValueError("value must be a 1-d array")
        for name in ("energy_low", "energy_high", "energy_ref", "value", *ERROR_COLUMNS):
            arr = np.asarray(getattr(self, name), dtype=float)
            if arr.shape != (n,):
                raise ValueError(f"{name} has shape {arr.shape}, expected ({n},)")
            object.__setattr__(self, name, _readonly(arr))
        extra = {}
        for name, arr in dict(self.extra).items():
            arr = np.asarray(arr)
            if arr.shape != (n,):
                raise ValueError(f"extra column {name!r} has shape {arr.shape}, expected ({n},)")
            extra[name] = _readonly(arr)
        object.__setattr__(self, "extra", MappingProxyType(extra))
        units = {name: dict(self.extra_units).get(name) for name in extra}
        object.__setattr__(self, "extra_units", MappingProxyType(units))
        missing = [k for k in REQUIRED_META if k not in self.meta]
        if missing:
            raise ValueError(f"meta lacks key(s) {missing}")
        object.__setattr__(self, "meta", freeze(dict(self.meta)))

    # --- construction from a file ------------------------------------------------------
    @classmethod
    def _from_file(cls, *, energy_low, energy_high, energy_ref, value, errors, extra, extra_units, meta):
        """Build from validated file contents; undoes a ``value_scaling`` of the file."""
        meta = dict(meta)
        if meta["value_scaling"] == "E^3":
            weight = np.asarray(energy_ref, dtype=float) ** 3
            value_unit = u.Unit(meta["value_unit"])
            flux_unit = value_unit / u.Unit(meta["energy_unit"]) ** 3
            value = np.asarray(value) / weight
            errors = {k: np.asarray(v) / weight for k, v in errors.items()}
            extra = dict(extra)
            for name, unit in extra_units.items():
                if unit is not None and u.Unit(unit) == value_unit:
                    extra[name] = np.asarray(extra[name], dtype=float) / weight
                    extra_units = {**extra_units, name: flux_unit.to_string()}
            meta["value_unit"] = flux_unit.to_string()
            meta["value_scaling"] = None
            meta["transformations"] = [
                *meta.get("transformations", []),
                "value and errors divided by energy_ref**3 when read (the file keeps the "
                "published E^3-weighted numbers, value_scaling 'E^3')",
            ]
        if meta["value_scaling"] == "scale_factor":
            factor = np.asarray(extra["scale_factor"], dtype=float)
            value = np.asarray(value) * factor
            errors = {k: np.asarray(v) * factor for k, v in errors.items()}
            meta["value_scaling"] = None
            meta["transformations"] = [
                *meta.get("transformations", []),
                "value and errors multiplied by the column scale_factor when read (the file keeps the "
                "printed mantissas, value_scaling 'scale_factor')",
            ]
        return cls(
            energy_low=energy_low,
            energy_high=energy_high,
            energy_ref=energy_ref,
            value=value,
            meta=meta,
            extra=extra,
            extra_units=extra_units,
            **errors,
        )

    # --- simple properties -------------------------------------------------------------
    @property
    def id(self) -> str:
        return self.meta["dataset_id"]

    @property
    def experiment(self) -> str:
        return self.meta["experiment"]

    @property
    def species(self) -> str:
        return self.meta["species"]

    @property
    def quantity(self) -> str:
        return self.meta["quantity"]

    @property
    def energy_variable(self) -> str:
        return self.meta["energy_variable"]

    @property
    def energy_unit(self) -> u.UnitBase:
        return u.Unit(self.meta["energy_unit"])

    @property
    def value_unit(self) -> u.UnitBase:
        return u.Unit(self.meta["value_unit"])

    @property
    def year(self) -> int:
        return self.meta["year"]

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(self.meta["flags"])

    @property
    def notes(self) -> tuple[str, ...]:
        return tuple(self.meta["notes"])

    @property
    def reference(self) -> str:
        return self.meta["reference"]

    @property
    def n_points(self) -> int:
        return int(self.value.shape[0])

    def __len__(self) -> int:
        return self.n_points

    @property
    def label(self) -> str:
        """Legend label, e.g. ``"AMS-02 (2019)"``."""
        return f"{self.experiment} ({self.year})"

    @property
    def energy(self) -> np.ndarray:
        """Representative energy per row: ``energy_ref`` where given, else ``sqrt(low * high)``."""
        e = representative_energy(self.energy_low, self.energy_high, self.energy_ref)
        e.flags.writeable = False
        return e

    def __repr__(self) -> str:
        return (
            f"Dataset({self.id!r}, {self.species} {self.quantity}, n_points={self.n_points}, "
            f"{self.energy_variable} [{self.meta['energy_unit']}])"
        )

    # --- errors ------------------------------------------------------------------------
    def errors(self, kind: str = "total") -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper 1-sigma errors (absolute, unit of ``value``).

        ``kind="stat"`` or ``"sys"``: that error as given (NaN where not given).
        ``kind="total"``: per side, the source's total error where it gives one
        (``tot_err_*``), else ``sqrt(stat^2 + sys^2)`` where both are given, else whichever of
        stat or sys is given (check the ``stat_errors_only`` flag).  A row without any
        error gives NaN, never zero.
        """
        if kind == "stat":
            return self.stat_err_low.copy(), self.stat_err_high.copy()
        if kind == "sys":
            return self.sys_err_low.copy(), self.sys_err_high.copy()
        if kind != "total":
            raise ValueError(f"unknown error kind {kind!r}; expected 'total', 'stat' or 'sys'")
        out = []
        for stat, sys, tot in (
            (self.stat_err_low, self.sys_err_low, self.tot_err_low),
            (self.stat_err_high, self.sys_err_high, self.tot_err_high),
        ):
            both = np.hypot(stat, sys)  # NaN if either is NaN
            combined = np.where(np.isfinite(both), both, np.where(np.isfinite(stat), stat, sys))
            out.append(np.where(np.isfinite(tot), tot, combined))
        return out[0], out[1]

    @property
    def error_assumed(self) -> np.ndarray:
        """Per row: True where the error is not published but assumed (``meta["assumed_errors"]``)."""
        if ASSUMED_COLUMN not in self.extra:
            return np.zeros(self.n_points, dtype=bool)
        return np.asarray(self.extra[ASSUMED_COLUMN], dtype=bool)

    def assumed_errors(self) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper assumed errors (unit of ``value``): ``relative_error * |value|`` on
        the rows marked :attr:`error_assumed`, NaN elsewhere (published errors: :meth:`errors`).

        The relative error and its basis are in ``meta["assumed_errors"]``; for Voyager 1
        electrons it is the 10 % of the neighbouring published rows (sigma/J = 10.0-10.1 %).
        """
        rows = self.error_assumed
        if not rows.any():
            nan = np.full(self.n_points, np.nan)
            return nan, nan.copy()
        err = np.where(rows, self.meta["assumed_errors"]["relative_error"] * np.abs(self.value), np.nan)
        return err, err.copy()

    # --- derived datasets --------------------------------------------------------------
    def derive(self, *, rows=None, energies=None, factor=None, meta_updates=None, transformation=None) -> Dataset:
        """A derived copy: ``rows`` selected (mask or index), ``energies`` = (low, high, ref)
        replaced, value, errors (and extra columns in the value unit) scaled by ``factor``
        (number or per-row array), metadata updated with ``meta_updates``; ``transformation``
        (text) is appended to ``meta["transformations"]``."""
        sel = slice(None) if rows is None else rows
        low, high, ref = (
            (self.energy_low[sel], self.energy_high[sel], self.energy_ref[sel]) if energies is None else energies
        )
        f = 1.0 if factor is None else factor
        value_unit = self.value_unit
        errors = {c: getattr(self, c)[sel] * f for c in ERROR_COLUMNS}
        extra = {}
        extra_units = dict(self.extra_units)
        new_value_unit = (meta_updates or {}).get("value_unit")
        for name, arr in self.extra.items():
            unit = self.extra_units.get(name)
            arr = arr[sel]
            if factor is not None and unit is not None and u.Unit(unit) == value_unit:
                arr = arr * f
                if new_value_unit is not None:
                    extra_units[name] = new_value_unit
            extra[name] = arr
        meta = thaw(self.meta)
        meta.update(meta_updates or {})
        energy = representative_energy(low, high, ref)
        meta["n_points"] = int(len(ref))
        meta["energy_range"] = [float(energy.min()), float(energy.max())] if len(ref) else None
        if transformation:
            meta["transformations"] = [*meta.get("transformations", []), transformation]
        return Dataset(
            energy_low=low,
            energy_high=high,
            energy_ref=ref,
            value=self.value[sel] * f,
            meta=meta,
            extra=extra,
            extra_units=extra_units,
            **errors,
        )

    def to_kinetic_energy(self) -> Dataset:
        """A new Dataset in kinetic energy per particle [GeV], fluxes per GeV per m^2
        (:func:`positrons.data.convert.to_kinetic_energy`: flux Jacobians, refusals)."""
        return convert.to_kinetic_energy(self)

    def to_rigidity(self) -> Dataset:
        """A new Dataset in rigidity [GV], fluxes per GV per m^2
        (:func:`positrons.data.convert.to_rigidity`)."""
        return convert.to_rigidity(self)

    def select(self, energy_min=None, energy_max=None) -> Dataset:
        """The rows whose representative energy (:attr:`energy`) lies in ``[energy_min, energy_max]``.

        Bounds are floats in the dataset's energy unit, or astropy Quantities (converted);
        ``None`` means unbounded.
        """

        def _bound(x, default):
            if x is None:
                return default
            if isinstance(x, u.Quantity):
                return float(x.to_value(self.energy_unit))
            return float(x)

        lo = _bound(energy_min, -math.inf)
        hi = _bound(energy_max, math.inf)
        if lo > hi:
            raise ValueError(f"energy_min {lo} > energy_max {hi}")
        rows = (self.energy >= lo) & (self.energy <= hi)
        return self.derive(
            rows=rows,
            transformation=f"select: representative energy in [{lo!r}, {hi!r}] {self.meta['energy_unit']}",
        )

    # --- output ------------------------------------------------------------------------
    def to_table(self):
        """An astropy ``QTable`` with unit-carrying columns and the metadata (``table.meta``)."""
        return writers.to_table(self)

    def write(self, path, format: str | None = None, overwrite: bool = False) -> Path:
        """Write to ``path`` as ``"ecsv"`` (the package format), ``"csv"`` or ``"json"``
        (:func:`positrons.data.writers.write`; the format from the suffix when not given)."""
        return writers.write(self, path, format, overwrite)

    def to_text(self, format: str = "csv") -> str:
        """The dataset as text: ``"csv"``, ``"json"`` or ``"table"`` (:func:`positrons.data.writers.to_text`)."""
        return writers.to_text(self, format)
