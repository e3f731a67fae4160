"""Writing analysis results: astropy tables with their settings, as files or as text.

One job: turn columns and settings into an :class:`astropy.table.Table`, write it to a
file whose suffix chooses the format (``.ecsv``, ``.csv``, ``.fits``; an unknown suffix is
refused before anything is written, and the file appears only once it is complete), and
render it as the text a command prints (:func:`format_table`).

The printed formats (``positrons ... --format table|csv|json|ecsv``), one code path for
every command.  Column names carry their unit (``E_kin_GeV``, ``flux_per_GeV_m2_s_sr``);
every format also states each column's unit, the settings and the package version:

``csv``
    ``#`` comment lines (the description and method lines, ``# columns: name [unit], ...``,
    one ``# setting: key = value`` line per setting, ``# positrons VERSION``), then a row of
    column names, then one row per value, numbers as Python ``repr`` (exact round trip).
    Reads back with ``numpy.loadtxt(..., delimiter=",", skiprows=...)`` or
    ``astropy.table.Table.read(text, format="ascii.csv", comment="#")``.
``table``
    The same comment lines, then the column names and the rows aligned in columns
    (numbers with 7 significant digits), for reading by eye; reads back with
    ``astropy.table.Table.read(text, format="ascii.basic")``.
``json``
    One object ``{"meta": {"description", "header", "settings", "positrons_version"},
    "columns": {name: unit}, "data": {name: [values]}}`` (column-oriented; a non-finite
    number is ``null``).  ``meta.header`` holds the comment lines of the csv format.
``ecsv``
    The astropy ECSV of the table (units on the columns, ``meta`` as above in its YAML
    header); reads back with ``astropy.table.Table.read(text, format="ascii.ecsv")``.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Sequence
from pathlib import Path

#: file suffix -> astropy writer
FORMATS = {".ecsv": "ascii.ecsv", ".csv": "ascii.csv", ".fits": "fits"}


def result_table(columns: dict, units: dict, settings: dict, description: str):
    """An astropy Table of ``columns`` (name -> array) with ``units`` (name -> unit string or
    None), and ``meta`` holding ``description``, the ``settings`` and the package version."""
    from astropy.table import Table

    from .. import __version__

    table = Table()
    for name, values in columns.items():
        table[name] = values
        if units.get(name):
            table[name].unit = units[name]
    table.meta["description"] = description
    table.meta["settings"] = dict(settings)
    table.meta["positrons_version"] = __version__
    return table


def write_table(table, path) -> Path:
    """Write ``table`` to ``path`` atomically; the suffix chooses the format (see FORMATS).

    CSV keeps the description, settings and version as ``#`` comment lines; FITS keeps them
    as header keywords where they fit (the settings as one string).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"{path}: unknown file type {suffix or '(none)'!r}; use one of {', '.join(FORMATS)}")
    table = table.copy()
    if suffix == ".csv":
        comments = [str(table.meta.get("description", ""))]
        comments += [f"{k} = {v}" for k, v in table.meta.get("settings", {}).items()]
        comments.append(f"positrons {table.meta.get('positrons_version', '')}")
        table.meta = {"comments": comments}
    elif suffix == ".fits":
        meta = table.meta
        table.meta = {"DESCR": str(meta.get("description", ""))[:60], "SETTINGS": repr(meta.get("settings", {})),
                      "VERSION": str(meta.get("positrons_version", ""))}
    from .records import atomic_write

    options = {"comment": "# "} if suffix == ".csv" else {}
    atomic_write(path, lambda handle: table.write(handle, format=FORMATS[suffix], **options), binary=suffix == ".fits")
    return path


#: the formats :func:`format_table` renders (``--format`` of the commands)
TEXT_FORMATS = ("table", "csv", "json", "ecsv")
#: meta keys that are not settings (a table's ``meta`` is either ``{description, settings,
#: positrons_version}`` as :func:`result_table` makes it, or the settings themselves plus
#: ``positrons_version`` as :func:`positrons.analysis.records.table_with_meta` makes it)
_NOT_SETTINGS = ("description", "settings", "positrons_version", "comments")


def table_meta(table, header: Sequence[str] = ()) -> dict:
    """``{"description", "header", "settings", "positrons_version"}`` of ``table`` (either meta
    layout) with the command's ``header`` lines, as plain values (lists, numbers, strings)."""
    from .records import package_version, plain

    meta = dict(table.meta)
    settings = meta.get("settings")
    if settings is None:
        settings = {k: v for k, v in meta.items() if k not in _NOT_SETTINGS}
    description = str(meta.get("description") or (header[0] if header else ""))
    return {"description": description, "header": [str(h) for h in header], "settings": plain(dict(settings)),
            "positrons_version": str(meta.get("positrons_version") or package_version())}


def column_units(table) -> dict:
    """``{name: unit}`` of ``table`` ('' for a dimensionless or unitless column)."""
    return {name: "" if table[name].unit is None else table[name].unit.to_string() for name in table.colnames}


def _json_value(value):
    """A cell as JSON: finite float, int, str; None for NaN and infinities."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _comment_lines(meta: dict, units: dict) -> list[str]:
    lines = list(meta["header"]) or ([meta["description"]] if meta["description"] else [])
    lines.append("columns: " + ", ".join(f"{name} [{unit or '1'}]" for name, unit in units.items()))
    lines += [f"setting: {key} = {json.dumps(value)}" for key, value in meta["settings"].items()]
    lines.append(f"positrons {meta['positrons_version']}")
    return [f"# {line}" for line in lines]


def _cell(value, width: int | None = None) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool):
        text = repr(float(value)) if width is None else f"{float(value):.7g}"
    else:
        text = str(value)
    return text if width is None else text.rjust(width)


def format_table(table, fmt: str, header: Sequence[str] = ()) -> str:
    """``table`` as the text of format ``fmt`` (one of :data:`TEXT_FORMATS`; see the module
    docstring for each layout), with the command's ``header`` lines (what was computed, the
    method and its references) in the comments (csv, table) or ``meta.header`` (json, ecsv)."""
    if fmt not in TEXT_FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(TEXT_FORMATS)}")
    meta, units = table_meta(table, header), column_units(table)
    names = table.colnames
    rows = [[_json_value(table[name][i]) for name in names] for i in range(len(table))]
    if fmt == "json":
        doc = {"meta": meta, "columns": units, "data": {name: [row[j] for row in rows] for j, name in enumerate(names)}}
        return json.dumps(doc, indent=1, allow_nan=False) + "\n"
    if fmt == "ecsv":
        out = table.copy(copy_data=False)
        out.meta = meta
        buffer = io.StringIO()
        out.write(buffer, format="ascii.ecsv")
        return buffer.getvalue()
    lines = _comment_lines(meta, units)
    cells = [["nan" if v is None else v for v in row] for row in rows]
    if fmt == "csv":
        lines.append(",".join(names))
        lines += [",".join(_cell(v) for v in row) for row in cells]
    else:
        widths = [max(len(name), 14) for name in names]
        lines.append("  ".join(name.rjust(w) for name, w in zip(names, widths)))
        lines += ["  ".join(_cell(v, w) for v, w in zip(row, widths)) for row in cells]
    return "\n".join(lines) + "\n"
