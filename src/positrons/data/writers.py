"""Write a measurement out: astropy table, ECSV (the package format), CSV, JSON, text.

The functions take a :class:`~positrons.data.Dataset`; its methods ``to_table``, ``write``
and ``to_text`` call them.  ECSV files written here read back with
:func:`positrons.data.read_dataset`.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import astropy.units as u
import numpy as np

from .schema import ASSUMED_COLUMN, ERROR_COLUMNS, thaw

__all__ = ["columns", "to_table", "to_text", "write"]

_ENERGY_PREFIX = {
    "kinetic_energy": "T",
    "kinetic_energy_per_nucleon": "Tn",
    "rigidity": "R",
    "total_energy": "E",
}


def _unit_slug(unit) -> str:
    """A unit as a name fragment, e.g. 1/(GeV m2 s sr) -> 'per_GeV_m2_s_sr'."""
    unit = u.Unit(unit)
    if unit == u.dimensionless_unscaled:
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


def columns(ds):
    """(name, array, unit or None) for the columns written out, in file order."""
    eu, vu = ds.meta["energy_unit"], ds.meta["value_unit"]
    cols = [
        ("energy_low", ds.energy_low, eu),
        ("energy_high", ds.energy_high, eu),
        ("energy_ref", ds.energy_ref, eu),
        ("value", ds.value, vu),
    ]
    for name in ERROR_COLUMNS:
        arr = getattr(ds, name)
        if np.any(np.isfinite(arr)):
            cols.append((name, arr, vu))
    for name, arr in ds.extra.items():
        cols.append((name, arr, ds.extra_units.get(name)))
    return cols

def to_table(ds):
    """An astropy ``QTable`` with unit-carrying columns and the metadata (``table.meta``)."""
    from astropy.table import Column, QTable, Table

    table = Table()
    for name, arr, unit in columns(ds):
        table[name] = Column(np.array(arr), unit=unit)
    table.meta.update(thaw(ds.meta))
    return QTable(table)

def write(ds, path, format: str | None = None, overwrite: bool = False) -> Path:
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
        for name, arr, unit in columns(ds):
            table[name] = Column(np.array(arr), unit=unit)
        table.meta.update(thaw(ds.meta))
        table.write(path, format="ascii.ecsv", overwrite=True)
    elif fmt == "csv":
        path.write_text(_to_csv_text(ds), encoding="utf-8")
    else:
        path.write_text(_to_json_text(ds), encoding="utf-8")
    return path

def to_text(ds, format: str = "csv") -> str:
    """The dataset as text: ``"csv"`` and ``"json"`` as written by :meth:`write` (exact
    numbers), or ``"table"``: the metadata and aligned columns for reading on a terminal
    (numbers rounded for display only)."""
    if format == "csv":
        return _to_csv_text(ds)
    if format == "json":
        return _to_json_text(ds)
    if format != "table":
        raise ValueError(f"unknown format {format!r}; expected 'table', 'csv' or 'json'")
    from astropy.table import Column, Table

    table = Table()
    for name, arr, unit in columns(ds):
        table[name] = Column(np.array(arr), unit=unit)
    m = ds.meta
    head = [
        f"{m['dataset_id']}: {m['experiment']}, {m['species']} {m['quantity']} ({m['year']})",
        f"reference: {m['reference']}",
        f"energy: {m['energy_variable']} [{m['energy_unit']}]; value unit: {m['value_unit'] or 'dimensionless'}",
    ]
    if m["flags"]:
        head.append(f"flags: {', '.join(m['flags'])}")
    if ds.error_assumed.any():
        rule = m["assumed_errors"]
        head.append(
            f"assumed errors ({ASSUMED_COLUMN} = True, rows {np.flatnonzero(ds.error_assumed).tolist()}): "
            f"{100 * rule['relative_error']:g} % of value; {rule['basis']}"
        )
    return "\n".join(head) + "\n\n" + "\n".join(table.pformat(max_lines=-1, max_width=-1)) + "\n"

def _csv_names(ds) -> list[str]:
    prefix = _ENERGY_PREFIX[ds.energy_variable]
    eslug = _unit_slug(ds.energy_unit)
    vslug = _unit_slug(ds.value_unit)
    names = []
    for name, _, unit in columns(ds):
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

def _to_csv_text(ds) -> str:
    import io as _io

    m = ds.meta
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
    writer.writerow(_csv_names(ds))
    cols = columns(ds)
    for i in range(ds.n_points):
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

def _to_json_text(ds) -> str:
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

    table = {
        name: {"unit": unit, "values": [plain(x) for x in arr]} for name, arr, unit in columns(ds)
    }
    doc = {"meta": thaw(ds.meta), "columns": table}
    return json.dumps(doc, indent=1, allow_nan=False) + "\n"
