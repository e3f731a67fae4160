"""The :class:`Dataset` record: one measured spectrum (or fraction, or ratio) with provenance.

A :class:`Dataset` holds the numbers of one shipped file as read-only numpy arrays, in the
file's own energy variable and units, plus its metadata.  Conversions never modify it;
they return a new :class:`Dataset`:

* :meth:`Dataset.to_kinetic_energy` -- energies in GeV of kinetic energy per particle (for
  nuclei: of the whole nucleus), fluxes in m^-2 s^-1 sr^-1 GeV^-1.  This is the package's
  convention (``docs/conventions.md``) and what models are compared with.
* :meth:`Dataset.to_rigidity` -- energies in GV, fluxes per GV.
* :meth:`Dataset.select` -- the rows whose representative energy lies in a range.

Energy conversions use :mod:`positrons.kinematics` with the dataset's species (helium is
taken as 4He and carbon as 12C; e+ + e- as a particle of the electron mass and |Z| = 1).
The flux conversions are

* per nucleon -> per particle: ``T = A T_n``, ``Phi_T = Phi_Tn / A``;
* total energy -> kinetic: ``T = E - m``, ``Phi_T = Phi_E`` (``dT = dE``);
* rigidity -> kinetic, for a bin with both edges: the bin-averaged flux keeps the number of
  particles in the bin, ``Phi_T = Phi_R (R_high - R_low) / (T_high - T_low)``; for a
  point-like row: ``Phi_T = Phi_R / (dT/dR)`` with ``dT/dR = |Z| beta`` at the point
  (:func:`positrons.kinematics.dT_dR`).

A fraction or a ratio converts its energy axis only.  Units (MeV, TeV, per cm^2, ...) are
converted with :mod:`astropy.units` from the column units of the file.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

import astropy.units as u
import numpy as np

from .. import constants as const
from .. import kinematics as kin
from .io import ASSUMED_COLUMN, ERROR_COLUMNS, MULTI_SPECIES, REQUIRED_META, representative_energy

__all__ = ["Dataset", "FLUX_UNIT", "kinematic_species"]

#: the package's flux unit at its public edges (AMS convention)
FLUX_UNIT = u.Unit("1 / (m2 s sr GeV)")
_FLUX_PER_GV = u.Unit("1 / (m2 s sr GV)")
_GEV = u.Unit("GeV")
_GV = u.Unit("GV")
_DIMENSIONLESS = u.dimensionless_unscaled

_M_CARBON12 = const.m_carbon12  # [GeV], nuclear mass of 12C (PDG via `particle`)

_ENERGY_PREFIX = {
    "kinetic_energy": "T",
    "kinetic_energy_per_nucleon": "Tn",
    "rigidity": "R",
    "total_energy": "E",
}


def kinematic_species(species: str) -> kin.Species:
    """The :class:`positrons.kinematics.Species` used to convert a dataset of ``species``.

    ``electron+positron`` (the sum e- + e+) converts as a particle of the electron mass with
    |Z| = 1; ``helium`` is 4He and ``carbon`` is 12C.  A ratio of two species (``boron/carbon``)
    has no single mass, so its energy axis cannot be converted: ``ValueError``.
    """
    if species == "electron+positron":
        return kin.Species("electron+positron", const.m_electron, -1)
    if species == "carbon":
        return kin.Species("carbon", _M_CARBON12, 6, 12)
    if species in kin.SPECIES:
        return kin.SPECIES[species]
    if "/" in species:
        why = "a ratio of two species has no single mass or charge"
    elif species in MULTI_SPECIES:
        why = "the rows are several elements (column Z), with no single mass or charge"
    else:
        why = "no isotopic composition is assumed for it yet"
    raise ValueError(
        f"energy conversions are undefined for species {species!r}: {why}; compare it in its own energy variable"
    )


# --- immutability helpers --------------------------------------------------------------
def _freeze(obj):
    if isinstance(obj, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in obj.items()})
    if isinstance(obj, list | tuple):
        return tuple(_freeze(v) for v in obj)
    return obj


def _thaw(obj):
    if isinstance(obj, Mapping):
        return {k: _thaw(v) for k, v in obj.items()}
    if isinstance(obj, tuple | list):
        return [_thaw(v) for v in obj]
    return obj


def _readonly(a) -> np.ndarray:
    a = np.array(a, copy=True)
    a.flags.writeable = False
    return a


def _apply_finite(func, x: np.ndarray) -> np.ndarray:
    """``func(x)`` on the finite entries of ``x``; NaN (not given) stays NaN."""
    out = np.full(x.shape, np.nan)
    ok = np.isfinite(x)
    if np.any(ok):
        out[ok] = func(x[ok])
    return out


def _unit_slug(unit) -> str:
    """A unit as a name fragment, e.g. 1/(GeV m2 s sr) -> 'per_GeV_m2_s_sr'."""
    unit = u.Unit(unit)
    if unit == _DIMENSIONLESS:
        return ""
    pos, neg = [], []
    for base, power in zip(unit.bases, unit.powers):
        p = abs(power)
        text = base.to_string() + ("" if p == 1 else f"{p:g}")
        (pos if power > 0 else neg).append(text)
    key = str.lower
    parts = sorted(pos, key=key) + (["per"] + sorted(neg, key=key) if neg else [])
    if unit.scale != 1:
        parts.insert(0, f"{unit.scale:g}")
    return "_".join(parts)


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
        object.__setattr__(self, "meta", _freeze(dict(self.meta)))

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
    def _replace(self, *, rows=None, energies=None, factor=None, meta_updates=None, transformation=None):
        """A new Dataset: rows selected, energies replaced, value/errors scaled by ``factor``."""
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
        meta = _thaw(self.meta)
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

    def _value_factor(self, target_unit) -> float:
        """Factor converting ``value`` to ``target_unit`` (fluxes only); clear error if impossible."""
        try:
            return self.value_unit.to(target_unit)
        except u.UnitConversionError:
            hint = " (this dataset is flagged units_unverified; read its notes)" if "units_unverified" in self.flags else ""
            raise ValueError(
                f"{self.id}: value unit {self.value_unit!s} cannot be converted to {target_unit!s}{hint}"
            ) from None

    def to_kinetic_energy(self) -> Dataset:
        """A new Dataset in kinetic energy per particle [GeV], fluxes per GeV per m^2.

        For nuclei the kinetic energy is that of the whole nucleus (``T = A T_n``).  See the
        module docstring for the flux Jacobians; a rigidity bin with both edges converts
        exactly (same particle count per bin).  Fractions and ratios convert their energy
        axis only.  Raises ``ValueError`` for a ratio of two nuclei (no single mass) and for
        a flux whose unit is not a flux per energy (see ``units_unverified``).
        """
        var = self.energy_variable
        is_flux = self.quantity == "flux"
        sp = None if var == "kinetic_energy" else kinematic_species(self.species)
        if var == "rigidity":
            e_factor = self.energy_unit.to(_GV)
            v_factor = self._value_factor(_FLUX_PER_GV) if is_flux else 1.0
        else:
            e_factor = self.energy_unit.to(_GEV)
            v_factor = self._value_factor(FLUX_UNIT) if is_flux else 1.0
        low, high, ref = (a * e_factor for a in (self.energy_low, self.energy_high, self.energy_ref))
        factor = np.full(self.n_points, v_factor)

        if var == "kinetic_energy":
            how = "units converted to GeV" + (" and m^-2 s^-1 sr^-1 GeV^-1" if is_flux else "")
        elif var == "total_energy":
            low, high, ref = (_apply_finite(lambda e: kin.kinetic_from_total(e, sp.mass), a) for a in (low, high, ref))
            how = f"T = E - m with m = {sp.mass!r} GeV; flux per unit E equals flux per unit T"
        elif var == "kinetic_energy_per_nucleon":
            if sp.mass_number < 1:
                raise ValueError(f"{self.id}: kinetic energy per nucleon given for {self.species}, which has no nucleons")
            A = sp.mass_number
            low, high, ref = (a * A for a in (low, high, ref))
            if is_flux:
                factor = factor / A
            how = f"T = A T_n, Phi_T = Phi_Tn / A with A = {A} ({sp.name})"
        elif var == "rigidity":
            T = [_apply_finite(lambda r: kin.kinetic_from_rigidity(r, sp), a) for a in (low, high, ref)]
            if is_flux:
                binned = np.isfinite(low) & np.isfinite(high) & (high > low)
                with np.errstate(invalid="ignore", divide="ignore"):
                    exact = (high - low) / (T[1] - T[0])
                t_point = np.where(np.isfinite(T[2]), T[2], T[0])
                jac = 1.0 / _apply_finite(lambda t: kin.dT_dR(t, sp), t_point)
                factor = factor * np.where(binned, exact, jac)
            low, high, ref = T
            how = (
                f"T(R) for {sp.name} (m = {sp.mass!r} GeV, |Z| = {sp.abs_charge}); binned flux "
                "Phi_T = Phi_R (R_high - R_low) / (T_high - T_low), point rows Phi_T = Phi_R / (|Z| beta)"
            )
        else:  # pragma: no cover - the vocabulary is closed
            raise ValueError(f"unknown energy variable {var!r}")

        updates = {"energy_variable": "kinetic_energy", "energy_unit": _GEV.to_string()}
        if is_flux:
            updates["value_unit"] = FLUX_UNIT.to_string()
        if var != "kinetic_energy":
            updates["energy_ref_meaning"] = f"{self.meta['energy_ref_meaning']} (converted from {var})"
        return self._replace(
            energies=(low, high, ref),
            factor=factor,
            meta_updates=updates,
            transformation=f"to_kinetic_energy from {var} [{self.meta['energy_unit']}]: {how}",
        )

    def to_rigidity(self) -> Dataset:
        """A new Dataset in rigidity [GV], fluxes per GV per m^2 (via kinetic energy).

        Binned fluxes convert exactly, ``Phi_R = Phi_T (T_high - T_low) / (R_high - R_low)``;
        point rows with the Jacobian ``Phi_R = Phi_T |Z| beta``.
        """
        if self.energy_variable == "rigidity":
            kinetic = None
            sp = None
        else:
            kinetic = self.to_kinetic_energy()
            sp = kinematic_species(self.species)
        if kinetic is None:  # already rigidity: only units
            e_factor = self.energy_unit.to(_GV)
            is_flux = self.quantity == "flux"
            factor = self._value_factor(_FLUX_PER_GV) if is_flux else 1.0
            updates = {"energy_unit": _GV.to_string()}
            if is_flux:
                updates["value_unit"] = _FLUX_PER_GV.to_string()
            return self._replace(
                energies=tuple(a * e_factor for a in (self.energy_low, self.energy_high, self.energy_ref)),
                factor=np.full(self.n_points, factor),
                meta_updates=updates,
                transformation="to_rigidity: units converted to GV",
            )
        T = (kinetic.energy_low, kinetic.energy_high, kinetic.energy_ref)
        R = [_apply_finite(lambda t: kin.rigidity_from_kinetic(t, sp), a) for a in T]
        factor = np.ones(self.n_points)
        updates = {"energy_variable": "rigidity", "energy_unit": _GV.to_string()}
        if kinetic.quantity == "flux":
            binned = np.isfinite(T[0]) & np.isfinite(T[1]) & (T[1] > T[0])
            with np.errstate(invalid="ignore", divide="ignore"):
                exact = (T[1] - T[0]) / (R[1] - R[0])
            t_point = np.where(np.isfinite(T[2]), T[2], T[0])
            jac = _apply_finite(lambda t: kin.dT_dR(t, sp), t_point)
            factor = np.where(binned, exact, jac)
            updates["value_unit"] = _FLUX_PER_GV.to_string()
        updates["energy_ref_meaning"] = f"{self.meta['energy_ref_meaning']} (converted to rigidity)"
        return kinetic._replace(
            energies=tuple(R),
            factor=factor,
            meta_updates=updates,
            transformation=(
                f"to_rigidity: R(T) for {sp.name}; binned flux Phi_R = Phi_T (T_high - T_low) / "
                "(R_high - R_low), point rows Phi_R = Phi_T |Z| beta"
            ),
        )

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
        return self._replace(
            rows=rows,
            transformation=f"select: representative energy in [{lo!r}, {hi!r}] {self.meta['energy_unit']}",
        )

    # --- output ------------------------------------------------------------------------
    def _columns(self):
        """(name, array, unit or None) for the columns written out, in file order."""
        eu, vu = self.meta["energy_unit"], self.meta["value_unit"]
        cols = [
            ("energy_low", self.energy_low, eu),
            ("energy_high", self.energy_high, eu),
            ("energy_ref", self.energy_ref, eu),
            ("value", self.value, vu),
        ]
        for name in ERROR_COLUMNS:
            arr = getattr(self, name)
            if np.any(np.isfinite(arr)):
                cols.append((name, arr, vu))
        for name, arr in self.extra.items():
            cols.append((name, arr, self.extra_units.get(name)))
        return cols

    def to_table(self):
        """An astropy ``QTable`` with unit-carrying columns and the metadata (``table.meta``)."""
        from astropy.table import Column, QTable, Table

        table = Table()
        for name, arr, unit in self._columns():
            table[name] = Column(np.array(arr), unit=unit)
        table.meta.update(_thaw(self.meta))
        return QTable(table)

    def write(self, path, format: str | None = None, overwrite: bool = False) -> Path:
        """Write to ``path`` as ``"ecsv"`` (the package format), ``"csv"`` or ``"json"``.

        The format is taken from the file suffix when not given.  ECSV files written here
        read back with :func:`positrons.data.read_dataset`.  The CSV has ``#`` comment lines
        with the metadata, then a header row whose names carry the units (e.g.
        ``T_low_GeV,T_high_GeV,T_GeV,value_per_GeV_m2_s_sr,stat_err_low,...``; errors are in
        the unit of ``value``); numbers are written with ``repr`` (exact round trip), NaN as
        ``nan``.  JSON: ``{"meta": {...}, "columns": {name: {"unit": ..., "values": [...]}}}``
        with NaN as ``null``.
        """
        path = Path(path)
        fmt = (format or path.suffix.lstrip(".")).lower()
        if fmt not in ("ecsv", "csv", "json"):
            raise ValueError(f"unknown format {fmt!r}; expected 'ecsv', 'csv' or 'json'")
        if path.exists() and not overwrite:
            raise FileExistsError(f"{path} exists (pass overwrite=True)")
        if fmt == "ecsv":
            from astropy.table import Column, Table

            table = Table()
            for name, arr, unit in self._columns():
                table[name] = Column(np.array(arr), unit=unit)
            table.meta.update(_thaw(self.meta))
            table.write(path, format="ascii.ecsv", overwrite=True)
        elif fmt == "csv":
            path.write_text(self._to_csv_text(), encoding="utf-8")
        else:
            path.write_text(self._to_json_text(), encoding="utf-8")
        return path

    def to_text(self, format: str = "csv") -> str:
        """The dataset as text: ``"csv"`` and ``"json"`` as written by :meth:`write` (exact
        numbers), or ``"table"``: the metadata and aligned columns for reading on a terminal
        (numbers rounded for display only)."""
        if format == "csv":
            return self._to_csv_text()
        if format == "json":
            return self._to_json_text()
        if format != "table":
            raise ValueError(f"unknown format {format!r}; expected 'table', 'csv' or 'json'")
        from astropy.table import Column, Table

        table = Table()
        for name, arr, unit in self._columns():
            table[name] = Column(np.array(arr), unit=unit)
        m = self.meta
        head = [
            f"{m['dataset_id']}: {m['experiment']}, {m['species']} {m['quantity']} ({m['year']})",
            f"reference: {m['reference']}",
            f"energy: {m['energy_variable']} [{m['energy_unit']}]; value unit: {m['value_unit'] or 'dimensionless'}",
        ]
        if m["flags"]:
            head.append(f"flags: {', '.join(m['flags'])}")
        if self.error_assumed.any():
            rule = m["assumed_errors"]
            head.append(
                f"assumed errors ({ASSUMED_COLUMN} = True, rows {np.flatnonzero(self.error_assumed).tolist()}): "
                f"{100 * rule['relative_error']:g} % of value; {rule['basis']}"
            )
        return "\n".join(head) + "\n\n" + "\n".join(table.pformat(max_lines=-1, max_width=-1)) + "\n"

    def _csv_names(self) -> list[str]:
        prefix = _ENERGY_PREFIX[self.energy_variable]
        eslug = _unit_slug(self.energy_unit)
        vslug = _unit_slug(self.value_unit)
        names = []
        for name, _, unit in self._columns():
            if name in ("energy_low", "energy_high"):
                names.append(f"{prefix}_{name.split('_')[1]}_{eslug}")
            elif name == "energy_ref":
                names.append(f"{prefix}_{eslug}")
            elif name == "value":
                names.append(f"value_{vslug}" if vslug else "value")
            elif name in ERROR_COLUMNS:
                names.append(name)
            else:
                slug = _unit_slug(unit) if unit else ""
                names.append(f"{name}_{slug}" if slug else name)
        return names

    def _to_csv_text(self) -> str:
        import io as _io

        m = self.meta
        lines = [
            f"# dataset_id: {m['dataset_id']}",
            f"# experiment: {m['experiment']}",
            f"# species: {m['species']}",
            f"# quantity: {m['quantity']}",
            f"# energy_variable: {m['energy_variable']} [{m['energy_unit']}]",
            f"# energy_ref: {m['energy_ref_meaning']}",
            f"# value_unit: {m['value_unit'] or 'dimensionless'} (errors absolute, same unit)",
            f"# reference: {m['reference']}",
            f"# doi: {m['doi']}",
            f"# flags: {', '.join(m['flags'])}",
            *(f"# transformation: {t}" for t in m.get("transformations", ())),
            "# written by positrons.data.Dataset.write (NaN = not given)",
        ]
        buf = _io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(self._csv_names())
        cols = self._columns()
        for i in range(self.n_points):
            row = []
            for _, arr, _ in cols:
                x = arr[i]
                if isinstance(x, float | np.floating):
                    row.append(repr(float(x)))
                elif isinstance(x, np.integer):
                    row.append(str(int(x)))
                else:
                    row.append(str(x))
            writer.writerow(row)
        return "\n".join(lines) + "\n" + buf.getvalue()

    def _to_json_text(self) -> str:
        def plain(x):
            if isinstance(x, float | np.floating):
                return None if math.isnan(x) else float(x)
            if isinstance(x, np.integer):
                return int(x)
            if isinstance(x, np.bool_):
                return bool(x)
            if isinstance(x, np.str_):
                return str(x)
            return x

        columns = {
            name: {"unit": unit, "values": [plain(x) for x in arr]} for name, arr, unit in self._columns()
        }
        doc = {"meta": _thaw(self.meta), "columns": columns}
        return json.dumps(doc, indent=1, allow_nan=False) + "\n"
