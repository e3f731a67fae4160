"""Writing analysis results: astropy tables with their settings, written atomically.

One job: turn columns and settings into an :class:`astropy.table.Table` and write it to a
file whose suffix chooses the format (``.ecsv``, ``.csv``, ``.fits``); an unknown suffix is
refused before anything is written, and the file appears only once it is complete (written
to a temporary file in the same directory, then renamed).
"""

from __future__ import annotations

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
