"""Read and validate measurement files (and catalogues) in the package's ECSV format.

The format is described in ``src/positrons/data/README.md`` and defined in :mod:`.schema`;
:func:`read_dataset` refuses a malformed file with a
:class:`~positrons.data.schema.DatasetFormatError` whose message starts with the file name
and names the problem.

Use :func:`read_dataset` for a file of your own; use :func:`positrons.data.load` for the
shipped datasets (it calls the same reader).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from .convert import representative_energy
from .dataset import Dataset
from .schema import (ASSUMED_COLUMN, CATALOGUE_META, ENERGY_COLUMNS, ENERGY_VARIABLES, ERROR_COLUMNS, FLAGS,
                     MULTI_SPECIES, OPTIONAL_META, QUANTITIES, REQUIRED_COLUMNS, REQUIRED_META, SPECIES,
                     VALUE_SCALINGS, DatasetFormatError, _ISO_DATE)

__all__ = ["catalogue_from_text", "dataset_from_text", "read_catalogue", "read_dataset", "read_header"]

# --- reading -------------------------------------------------------------------------
def _header_lines(lines) -> list[str]:
    """The ECSV header lines (comment prefix stripped), up to the first data line."""
    out = []
    for line in lines:
        if not line.startswith("#"):
            break
        out.append(line[2:].rstrip("\n") if line.startswith("# ") else line[1:].rstrip("\n"))
    return out


def read_header(lines, name: str) -> dict[str, Any]:
    """Metadata of an ECSV file from its header lines only (no data rows are parsed).

    ``lines`` is an iterable of text lines (an open file is fine); ``name`` is used in
    error messages.  Used by the registry so that listing datasets reads no data.
    """
    from astropy.table.meta import get_header_from_yaml

    header = _header_lines(lines)
    if not header or not header[0].startswith("%ECSV"):
        raise DatasetFormatError(f"{name}: not an ECSV file (first line must be '# %ECSV ...')")
    try:
        parsed = get_header_from_yaml(header[1:])
    except Exception as exc:  # astropy raises several error types for bad YAML
        raise DatasetFormatError(f"{name}: unreadable ECSV header ({exc})") from None
    meta = parsed.get("meta")
    if not isinstance(meta, Mapping):
        raise DatasetFormatError(f"{name}: the ECSV header has no 'meta' mapping")
    return dict(meta)


def _read_table(text: str, name: str):
    """Parse ECSV text into an astropy Table; unknown units are a format error."""
    from astropy.table import Table
    from astropy.units import UnitsWarning, UnrecognizedUnit

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            table = Table.read(text, format="ascii.ecsv")
        except Exception as exc:  # astropy raises many error types for a bad file
            raise DatasetFormatError(f"{name}: not a readable ECSV table ({exc})") from None
    for w in caught:
        if issubclass(w.category, UnitsWarning):
            raise DatasetFormatError(f"{name}: unknown unit ({w.message})")
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    for col in table.itercols():
        if isinstance(col.unit, UnrecognizedUnit):
            raise DatasetFormatError(f"{name}: unknown unit {col.unit!s} in column {col.name!r}")
    return table


def _parse_unit(text, name: str, what: str):
    import astropy.units as u

    if text is None:
        raise DatasetFormatError(f"{name}: {what} is missing")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return u.Unit(text, parse_strict="raise")
    except (ValueError, TypeError, u.UnitsWarning) as exc:
        raise DatasetFormatError(f"{name}: unknown unit {text!r} in {what} ({exc})") from None


def _column_unit(col):
    import astropy.units as u

    return u.dimensionless_unscaled if col.unit is None else col.unit


def _check_meta(meta: Mapping, name: str) -> None:
    missing = [k for k in REQUIRED_META if k not in meta]
    if missing:
        raise DatasetFormatError(f"{name}: missing metadata key(s) {missing}")
    unknown = sorted(set(meta) - set(REQUIRED_META) - set(OPTIONAL_META))
    if unknown:
        raise DatasetFormatError(
            f"{name}: unknown metadata key(s) {unknown}; allowed: {list(REQUIRED_META + OPTIONAL_META)}"
        )
    for key, vocab in (
        ("species", SPECIES),
        ("quantity", QUANTITIES),
        ("energy_variable", ENERGY_VARIABLES),
        ("value_scaling", VALUE_SCALINGS),
    ):
        if meta[key] not in vocab:
            raise DatasetFormatError(f"{name}: unknown {key} {meta[key]!r}; expected one of {list(vocab)}")
    if not isinstance(meta["dataset_id"], str) or not meta["dataset_id"]:
        raise DatasetFormatError(f"{name}: dataset_id must be a non-empty string")
    year = meta["year"]
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2100:
        raise DatasetFormatError(f"{name}: year must be an integer publication year, got {year!r}")
    n = meta["n_points"]
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise DatasetFormatError(f"{name}: n_points must be a non-negative integer, got {n!r}")
    flags = meta["flags"]
    if not isinstance(flags, list | tuple) or not all(isinstance(f, str) for f in flags):
        raise DatasetFormatError(f"{name}: flags must be a list of strings")
    unknown_flags = sorted(set(flags) - set(FLAGS))
    if unknown_flags:
        raise DatasetFormatError(f"{name}: unknown flag(s) {unknown_flags}; known flags: {sorted(FLAGS)}")
    notes = meta["notes"]
    if not isinstance(notes, list | tuple) or not all(isinstance(s, str) for s in notes):
        raise DatasetFormatError(f"{name}: notes must be a list of strings")
    period = meta["data_taking_period"]
    if period is not None:
        if (
            not isinstance(period, list | tuple)
            or len(period) != 2
            or not all(isinstance(p, str) and _ISO_DATE.match(p) for p in period)
        ):
            raise DatasetFormatError(
                f"{name}: data_taking_period must be null or [start, end] ISO date strings, got {period!r}"
            )
        if period[0] > period[1]:
            raise DatasetFormatError(f"{name}: data_taking_period starts after it ends: {period!r}")
    phi = meta["solar_modulation_phi_GV"]
    if phi is not None and not isinstance(phi, int | float):
        raise DatasetFormatError(f"{name}: solar_modulation_phi_GV must be null or a number, got {phi!r}")
    for key in ("doi", "arxiv"):
        if meta[key] is not None and not isinstance(meta[key], str):
            raise DatasetFormatError(f"{name}: {key} must be null or a string")


def _float_column(table, colname: str, name: str) -> np.ndarray:
    col = table[colname]
    if col.dtype.kind not in "fiu":
        raise DatasetFormatError(f"{name}: column {colname!r} must be numeric, got dtype {col.dtype}")
    data = np.ma.filled(np.ma.asarray(col, dtype=float), np.nan)
    return np.asarray(data, dtype=float)


def read_dataset(path) -> Dataset:
    """Read and validate one measurement file; return a :class:`~positrons.data.Dataset`.

    Checks (each failure raises :class:`DatasetFormatError` naming the file and the
    problem): required and allowed metadata keys; species, quantity, energy variable and
    flags in the vocabularies; required columns present; every unit known to astropy and
    the column units consistent with ``energy_unit``/``value_unit``; errors in low/high
    pairs and non-negative; ``energy_low <= energy_high`` where both are given; every row
    has a representative energy; rows sorted by representative energy (non-decreasing);
    ``n_points`` equal to the number of rows; ``energy_range`` equal to the data.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DatasetFormatError(f"{path.name}: cannot read the file ({exc.strerror})") from None
    return dataset_from_text(text, path.name)


def dataset_from_text(text: str, name: str) -> Dataset:
    """Like :func:`read_dataset` for ECSV ``text``; ``name`` is used in error messages."""
    import astropy.units as u


    meta = read_header(text.splitlines(keepends=True), name)
    _check_meta(meta, name)
    table = _read_table(text, name)

    missing = [c for c in REQUIRED_COLUMNS if c not in table.colnames]
    if missing:
        raise DatasetFormatError(f"{name}: missing column(s) {missing}")
    present_err = [c for c in ERROR_COLUMNS if c in table.colnames]
    for c in present_err:
        partner = c.replace("_low", "_high") if c.endswith("_low") else c.replace("_high", "_low")
        if partner not in table.colnames:
            raise DatasetFormatError(f"{name}: error column {c!r} has no partner {partner!r}")

    energy_unit = _parse_unit(meta["energy_unit"], name, "energy_unit")
    value_unit = _parse_unit(meta["value_unit"], name, "value_unit")
    for c in ENERGY_COLUMNS:
        if _column_unit(table[c]) != energy_unit:
            raise DatasetFormatError(
                f"{name}: column {c!r} has unit {_column_unit(table[c])!s}, expected energy_unit {energy_unit!s}"
            )
    for c in ("value", *present_err):
        if _column_unit(table[c]) != value_unit:
            raise DatasetFormatError(
                f"{name}: column {c!r} has unit {_column_unit(table[c])!s}, expected value_unit {value_unit!s}"
            )
    if meta["quantity"] in ("fraction", "ratio") and value_unit != u.dimensionless_unscaled:
        raise DatasetFormatError(f"{name}: a {meta['quantity']} must be dimensionless, got {value_unit!s}")

    n = len(table)
    if meta["n_points"] != n:
        raise DatasetFormatError(f"{name}: n_points is {meta['n_points']} but the table has {n} rows")

    arrays = {c: _float_column(table, c, name) for c in (*REQUIRED_COLUMNS, *present_err)}
    if not np.all(np.isfinite(arrays["value"])):
        bad = np.flatnonzero(~np.isfinite(arrays["value"]))
        raise DatasetFormatError(f"{name}: value is not a finite number in row(s) {bad.tolist()}")
    for c in present_err:
        neg = np.flatnonzero(arrays[c] < 0)
        if neg.size:
            raise DatasetFormatError(
                f"{name}: negative error in column {c!r}, row(s) {neg.tolist()} (errors are absolute, >= 0)"
            )
    low, high, ref = arrays["energy_low"], arrays["energy_high"], arrays["energy_ref"]
    for c in ENERGY_COLUMNS:
        neg = np.flatnonzero(arrays[c] < 0)
        if neg.size:
            raise DatasetFormatError(f"{name}: negative energy in column {c!r}, row(s) {neg.tolist()}")
    inverted = np.flatnonzero(low > high)
    if inverted.size:
        raise DatasetFormatError(f"{name}: energy_low > energy_high in row(s) {inverted.tolist()}")
    energy = representative_energy(low, high, ref)
    no_energy = np.flatnonzero(~np.isfinite(energy))
    if no_energy.size:
        raise DatasetFormatError(
            f"{name}: row(s) {no_energy.tolist()} have no representative energy (energy_ref or both edges needed)"
        )
    _check_order(table, energy, meta["species"], name)
    erange = meta["energy_range"]
    if n == 0:
        if erange is not None:
            raise DatasetFormatError(f"{name}: energy_range must be null for an empty table")
    else:
        expected = [float(energy.min()), float(energy.max())]
        if (
            not isinstance(erange, list | tuple)
            or len(erange) != 2
            or not all(isinstance(x, int | float) and math.isclose(x, y, rel_tol=1e-12) for x, y in zip(erange, expected))
        ):
            raise DatasetFormatError(f"{name}: energy_range {erange!r} does not match the data {expected!r}")
    if meta["value_scaling"] == "E^3" and not np.all(np.isfinite(ref)):
        raise DatasetFormatError(f"{name}: value_scaling 'E^3' needs energy_ref in every row")
    if meta["value_scaling"] == "scale_factor":
        _check_scale_factor(table, name)
    _check_assumed_errors(table, meta, arrays, present_err, name)

    extra, extra_units = {}, {}
    for c in table.colnames:
        if c in REQUIRED_COLUMNS or c in ERROR_COLUMNS:
            continue
        col = table[c]
        extra[c] = np.ma.filled(col, np.nan).copy() if col.dtype.kind == "f" else np.asarray(col).copy()
        extra_units[c] = None if col.unit is None else col.unit.to_string()
    errors = {c: arrays.get(c, np.full(n, np.nan)) for c in ERROR_COLUMNS}
    return Dataset._from_file(
        energy_low=low,
        energy_high=high,
        energy_ref=ref,
        value=arrays["value"],
        errors=errors,
        extra=extra,
        extra_units=extra_units,
        meta=meta,
    )


def _check_order(table, energy: np.ndarray, species: str, name: str) -> None:
    """Rows sorted by representative energy; for several species (``nuclei``) by the integer
    column ``Z`` first, then by energy within each ``Z``."""
    if species in MULTI_SPECIES:
        if "Z" not in table.colnames or table["Z"].dtype.kind not in "iu":
            raise DatasetFormatError(f"{name}: a '{species}' dataset needs an integer column 'Z' (charge number per row)")
        z = np.asarray(table["Z"])
        step_down = np.flatnonzero(np.diff(z) < 0)
        if step_down.size:
            i = int(step_down[0])
            raise DatasetFormatError(f"{name}: rows not sorted by Z (row {i}: Z = {z[i]} > row {i + 1}: Z = {z[i + 1]})")
        same = np.diff(z) == 0
    else:
        same = np.ones(max(len(energy) - 1, 0), dtype=bool)
    unsorted = np.flatnonzero(same & (np.diff(energy) < 0))
    if unsorted.size:
        i = int(unsorted[0])
        raise DatasetFormatError(
            f"{name}: rows not sorted by energy (row {i}: {energy[i]!r} > row {i + 1}: {energy[i + 1]!r})"
        )


def _check_scale_factor(table, name: str) -> None:
    """``value_scaling: scale_factor`` needs a dimensionless column of finite positive factors."""
    if "scale_factor" not in table.colnames:
        raise DatasetFormatError(f"{name}: value_scaling 'scale_factor' needs a column 'scale_factor'")
    factor = _float_column(table, "scale_factor", name)
    if table["scale_factor"].unit not in (None, "") or not np.all(np.isfinite(factor) & (factor > 0)):
        raise DatasetFormatError(f"{name}: column 'scale_factor' must be dimensionless, finite and > 0 in every row")


def _check_assumed_errors(table, meta: Mapping, arrays: Mapping, present_err, name: str) -> None:
    """The column ``error_assumed``, the meta key ``assumed_errors`` and the flag of the same
    name come together; an assumed error is allowed only on a row without any published error."""
    has_column = ASSUMED_COLUMN in table.colnames
    has_meta = "assumed_errors" in meta
    has_flag = "assumed_errors" in meta["flags"]
    if not has_column == has_meta == has_flag:
        raise DatasetFormatError(
            f"{name}: column {ASSUMED_COLUMN!r}, meta 'assumed_errors' and flag 'assumed_errors' go together "
            f"(column {has_column}, meta {has_meta}, flag {has_flag})"
        )
    if not has_column:
        return
    if table[ASSUMED_COLUMN].dtype.kind != "b":
        raise DatasetFormatError(f"{name}: column {ASSUMED_COLUMN!r} must be boolean")
    rule = meta["assumed_errors"]
    rel = rule.get("relative_error") if isinstance(rule, Mapping) else None
    if (
        not isinstance(rule, Mapping)
        or set(rule) != {"relative_error", "basis"}
        or not isinstance(rel, float)
        or not 0 < rel <= 1
        or not isinstance(rule["basis"], str)
    ):
        raise DatasetFormatError(
            f"{name}: assumed_errors must be {{relative_error: a number in (0, 1], basis: text}}, got {rule!r}"
        )
    assumed = np.asarray(table[ASSUMED_COLUMN], dtype=bool)
    published = np.zeros(len(table), dtype=bool)
    for c in present_err:
        published |= np.isfinite(arrays[c])
    clash = np.flatnonzero(assumed & published)
    if clash.size:
        raise DatasetFormatError(f"{name}: row(s) {clash.tolist()} have a published error and {ASSUMED_COLUMN} true")


def read_catalogue(path):
    """Read a catalogue file (e.g. the ATNF pulsar tables); return an astropy ``Table``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DatasetFormatError(f"{path.name}: cannot read the file ({exc.strerror})") from None
    return catalogue_from_text(text, path.name)


def catalogue_from_text(text: str, name: str):
    """Like :func:`read_catalogue` for ECSV ``text``; ``name`` is used in error messages."""
    meta = read_header(text.splitlines(keepends=True), name)
    missing = [k for k in CATALOGUE_META if k not in meta]
    if missing:
        raise DatasetFormatError(f"{name}: missing metadata key(s) {missing}")
    unknown = sorted(set(meta) - set(CATALOGUE_META))
    if unknown:
        raise DatasetFormatError(f"{name}: unknown metadata key(s) {unknown}")
    if meta["kind"] != "catalogue":
        raise DatasetFormatError(f"{name}: kind must be 'catalogue', got {meta['kind']!r}")
    unknown_flags = sorted(set(meta["flags"]) - set(FLAGS))
    if unknown_flags:
        raise DatasetFormatError(f"{name}: unknown flag(s) {unknown_flags}")
    table = _read_table(text, name)
    if meta["n_points"] != len(table):
        raise DatasetFormatError(f"{name}: n_points is {meta['n_points']} but the table has {len(table)} rows")
    return table
