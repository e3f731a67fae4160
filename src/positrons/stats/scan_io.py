"""PBH limit scans on disk: self-describing ECSV, atomic writes, resumable runs.

* :func:`scan_to_table` / :func:`write_scan` -- a :class:`~positrons.stats.pbh_scan.ScanResult`
  as an astropy Table (one row per mass, a unit per column) with the settings in ``meta``:
  model, dataset, mass function, sigma, background, phi, transport grid, the package version
  (``positrons.__version__``) and the UTC date.  The file is written to a temporary file in
  the same directory and moved over the target with :func:`os.replace` (atomic on POSIX and
  Windows), so an interrupted or failed write leaves the previous file intact.
* :func:`read_scan` -- the inverse.
* :func:`run_scan` -- :func:`~positrons.stats.pbh_scan.pbh_limit_scan` for the masses not yet
  in ``output`` (same settings required), merged with what is there and written atomically
  after every ``chunk`` masses: a killed scan resumes where it stopped.
"""

from __future__ import annotations

import datetime
import math
import os
import tempfile
from pathlib import Path

import numpy as np

from .pbh_scan import DEFAULT_RANGES, ScanResult, pbh_limit_scan

__all__ = ["read_scan", "run_scan", "scan_to_table", "write_scan"]

#: column name -> (ScanResult attribute, unit, description)
_COLUMNS = {
    "M_g": ("masses_g", "g", "PBH mass (central mass of a log-normal)"),
    "f_PBH_limit": ("f_limit", "", "upper limit on the fraction of dark matter in PBHs"),
    "driving_point_E_GeV": ("driving_energy_GeV", "GeV", "energy of the data point that sets the limit"),
    "chi2_min": ("chi2_min", "", "best-fit chi2 (with background)"),
    "A_best": ("A_best", "", "best-fit background normalisation A"),
    "delta_best": ("delta_best", "", "best-fit background tilt delta, (T/GeV)^delta"),
}
_SETTINGS = ("model", "dataset", "mass_function", "sigma", "background", "phi_GV", "dR_kpc", "dz_kpc",
             "energy_range_GeV", "dz_max_kpc", "energy_points_per_decade", "solver")
#: settings that files written by earlier versions may lack (read as None: such a file is never resumed)
_OPTIONAL = ("energy_range_GeV", "dz_max_kpc", "energy_points_per_decade", "solver")
#: the settings that must agree for a file to be resumed (a float within this relative tolerance)
_RTOL = 1e-12


def scan_to_table(result: ScanResult):
    """The scan as an astropy Table with units and the settings, version and date in ``meta``."""
    from astropy.table import Table

    from .. import __version__

    table = Table()
    for name, (attr, unit, description) in _COLUMNS.items():
        if name not in result.columns():
            continue
        table[name] = np.asarray(getattr(result, attr), dtype=float)
        table[name].unit = unit or None
        table[name].description = description
    table.meta.update(result.settings())
    table.meta["positrons_version"] = __version__
    table.meta["date"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    table.meta["method"] = (
        "no background: largest f_PBH for which no data point is exceeded by more than 2 sigma "
        "(Boudaud & Cirelli 2019); secondary: profiled Delta chi2 = 3.84 over A (T/GeV)^delta x secondaries"
    )
    return table


def write_scan(result: ScanResult, path) -> Path:
    """Write ``result`` to ``path`` (ECSV) atomically: a temporary file in the same directory,
    then :func:`os.replace`.  If anything fails the temporary file is removed and any previous
    ``path`` is left as it was."""
    path = Path(path)
    table = scan_to_table(result)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as handle:
            table.write(handle, format="ascii.ecsv")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_scan(path) -> ScanResult:
    """A :class:`ScanResult` from an ECSV file written by :func:`write_scan`."""
    from astropy.table import Table

    table = Table.read(path, format="ascii.ecsv")
    meta = table.meta
    missing = [k for k in _SETTINGS if k not in meta and k not in _OPTIONAL]
    if missing:
        raise ValueError(f"{path}: not a PBH scan file (meta lacks {', '.join(missing)})")
    values = {attr: (np.asarray(table[name], dtype=float) if name in table.colnames else None)
              for name, (attr, _, _) in _COLUMNS.items()}
    return ScanResult(model=meta["model"], dataset=meta["dataset"], mass_function=meta["mass_function"],
                      sigma=meta["sigma"], background=meta["background"], phi_GV=float(meta["phi_GV"]),
                      dR_kpc=meta["dR_kpc"], dz_kpc=meta["dz_kpc"], dz_max_kpc=meta.get("dz_max_kpc"),
                      energy_points_per_decade=meta.get("energy_points_per_decade"),
                      solver=None if meta.get("solver") is None else dict(meta["solver"]),
                      energy_range_GeV=None if meta.get("energy_range_GeV") is None else tuple(meta["energy_range_GeV"]),
                      **values)


def _same_settings(a: dict, b: dict, keys=_SETTINGS) -> bool:
    for key in keys:
        x, y = a.get(key), b.get(key)
        if key == "energy_range_GeV":
            if x is None or y is None:
                x, y = x or [None, None], y or [None, None]
            if not all(_same_settings({"v": u}, {"v": v}, ("v",)) for u, v in zip(x, y)):
                return False
        elif isinstance(x, float) or isinstance(y, float):
            if x is None or y is None or not math.isclose(float(x), float(y), rel_tol=_RTOL):
                return False
        elif x != y:
            return False
    return True


def run_scan(model, masses_g, output=None, *, chunk: int = 1, progress=None, **kwargs) -> ScanResult:
    """:func:`~positrons.stats.pbh_scan.pbh_limit_scan` that can be interrupted and resumed.

    Parameters
    ----------
    model, masses_g, **kwargs
        As for :func:`pbh_limit_scan` (dataset, mass_function, sigma, background, phi_GV,
        energy_range, dR_kpc, dz_kpc).
    output : path, optional
        ECSV file.  If it exists, its settings must match the requested ones (else
        ``ValueError``: a scan is never silently mixed with another) and masses already in it
        (relative tolerance 1e-9) are not recomputed.  The file is rewritten atomically after
        every ``chunk`` new masses.
    progress : callable(done, total), optional
        Called after each chunk (e.g. a progress bar).

    Returns the full scan (old and new masses, sorted by mass).
    """
    masses = np.unique(np.atleast_1d(np.asarray(masses_g, dtype=float)))
    chunk = max(1, int(chunk))
    if output is None:
        return pbh_limit_scan(model, masses, **kwargs)
    output = Path(output)
    done = read_scan(output) if output.exists() else None
    if done is not None:
        # the settings this call would produce: compute nothing, just resolve them
        probe = _requested_settings(model, kwargs)
        if not _same_settings(done.settings(), probe):
            raise ValueError(f"{output} holds a scan with other settings ({done.settings()}); requested {probe}")
        have = np.array([np.any(np.isclose(m, done.masses_g, rtol=1e-9, atol=0)) for m in masses], dtype=bool)
        todo = masses[~have]
    else:
        todo = masses
    total = len(todo)
    for start in range(0, total, chunk):
        part = pbh_limit_scan(model, todo[start:start + chunk], **kwargs)
        done = part if done is None else done.merged(part)
        write_scan(done, output)
        if progress is not None:
            progress(min(start + chunk, total), total)
    if done is None:  # nothing requested and no file
        done = pbh_limit_scan(model, masses, **kwargs)
    return done


def _requested_settings(model, kwargs) -> dict:
    """The ScanResult settings a :func:`pbh_limit_scan` call with these arguments would record."""
    from ..data import load
    from ..propagation.diffusion2d import SolverSettings
    from ..propagation.grid import GridSpec
    from ..propagation.models import get_propagation_model

    model = get_propagation_model(model)
    dataset = kwargs.get("dataset", "ams02_positron_flux_prl2019")
    data = load(dataset)
    mass_function = kwargs.get("mass_function", "monochromatic")
    phi = kwargs.get("phi_GV")
    phi = 0.0 if "local_interstellar" in data.flags else (model.phi_GV if phi is None else float(phi))
    energy_range = kwargs.get("energy_range")
    lo, hi = energy_range if energy_range is not None else DEFAULT_RANGES.get(data.id, (None, None))
    return {"energy_range_GeV": [None if lo is None else float(lo), None if hi is None else float(hi)],"model": model.name, "dataset": data.id, "mass_function": mass_function,
            "sigma": kwargs.get("sigma", 1.0) if mass_function == "lognormal" else None,
            "background": kwargs.get("background", "none"), "phi_GV": phi,
            **_grid_settings(kwargs.get("grid_spec") or GridSpec(), kwargs.get("settings") or SolverSettings())}


def _grid_settings(spec, settings) -> dict:
    """The grid and solver entries of a scan's settings (as :meth:`ScanResult.settings` has them)."""
    return {"dR_kpc": spec.dR_kpc, "dz_kpc": spec.dz_kpc, "dz_max_kpc": spec.dz_max_kpc,
            "energy_points_per_decade": spec.energy_points_per_decade, "solver": settings.as_dict()}
