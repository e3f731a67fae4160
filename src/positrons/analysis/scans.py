"""PBH limit scans on disk: self-describing ECSV files that can be trusted and resumed.

* :func:`scan_to_table` / :func:`write_scan` -- a :class:`~positrons.analysis.pbh_results.ScanResult`
  as an astropy Table (one row per mass, a unit per column) whose ``meta`` records every
  setting that changes a number (:func:`scan_settings`): ``ScanResult.settings()`` (model
  name, dataset, energy range, missing-errors rule and point counts, mass function, sigma,
  background, phi and the modulation settings, transport grid, ...), all parameters of the propagation model
  (``model_parameters``) and the package version (``positrons_version``); plus the UTC date
  and the method (not compared).
* :func:`read_scan` -- the inverse; the rows read back are validated (masses finite, above
  the validity limit of the emission model and increasing; f_PBH >= 0, not NaN); a bad file
  is a one-line :class:`ScanFileError`.
* :func:`run_band_scan` -- :func:`run_scan` at phi and, for a phi band, at phi -/+ dphi, each
  into its own file (``NAME_phi-0.1.ecsv``, ``NAME_phi+0.1.ecsv`` beside ``NAME.ecsv``:
  :func:`band_path`), as a :class:`~positrons.analysis.pbh_results.PhiBand`;
* :func:`run_scan` -- :func:`~positrons.analysis.pbh_limits.pbh_limit_scan` for the masses not yet
  in ``output``, merged with what is there and written after every ``chunk`` masses: a
  killed scan resumes where it stopped, and says so on standard error.  It refuses to resume
  a file whose recorded settings differ in anything from the requested ones
  (:class:`ScanSettingsError`, naming the first differing setting and both values).  The
  comparison is generic: every key of :func:`scan_settings` is compared, so a setting added
  to ``ScanResult.settings()`` is compared without a change here.

Safety of the file (``docs/pbh_limits.md``, "Scan files"):

* one writer per file: a writer holds an exclusive ``flock`` on ``.<name>.lock`` next to the
  file for as long as it runs; a second writer is refused at once (:class:`ScanLockedError`).
  The operating system releases the lock when a process dies, so a killed scan never blocks
  the next one; the lock file is removed when the writer finishes.
* atomic writes: the table goes to ``.<name>.<pid>.tmp`` in the same directory, then
  :func:`os.replace` moves it over the file.  A write interrupted by an exception removes its
  temporary file; one killed by a signal leaves it, and the next writer of the same file
  removes it (under the lock, so it is never another writer's live file).
* files are created with mode 0o666 filtered by the user's umask (not 0600).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Mapping
from pathlib import Path

import numpy as np

from .pbh_limits import pbh_limit_scan, requested_settings
from .pbh_results import SCAN_COLUMNS, PhiBand, ScanLockedError, ScanResult
from .pbh_settings import DEFAULT_DATASET, DPHI_GV
from .records import atomic_write, locked, package_version

__all__ = [
    "ScanFileError",
    "ScanLockedError",
    "ScanSettingsError",
    "band_path",
    "read_scan",
    "run_band_scan",
    "run_scan",
    "scan_settings",
    "scan_to_table",
    "write_scan",
]

#: settings without which a file is not a scan
_REQUIRED_META = ("model", "dataset", "mass_function", "background", "phi_GV")
#: meta keys that describe the file, not the numbers (never compared)
_DESCRIPTIVE = ("date", "method")
#: two recorded floats are the same setting within this relative tolerance (repr round trips exactly)
_RTOL = 1e-12
#: masses already in a file are matched to requested ones within this relative tolerance
_MASS_RTOL = 1e-9


class ScanFileError(ValueError):
    """A scan file is not a valid PBH scan (missing settings, bad rows); one line naming the file."""


class ScanSettingsError(ValueError):
    """A scan file was made with other settings than the requested ones; names the first difference."""


# --- the settings of a scan ----------------------------------------------------------------
def scan_settings(result: ScanResult) -> dict:
    """Every setting that changes a number of ``result``: ``result.settings()``, the
    propagation-model parameters and the package version."""
    return {**result.settings(), "model_parameters": result.model_parameters, "positrons_version": package_version()}


def _flatten(settings: Mapping, prefix: str = "") -> dict:
    """Nested mappings as one level with dotted keys (``model_parameters.D0_1e28_cm2_s``)."""
    out = {}
    for key, value in settings.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(_flatten(value, f"{name}."))
        else:
            out[name] = value
    return out


def _same(a, b) -> bool:
    """Equal settings: numbers within :data:`_RTOL` (an int equals the same float), sequences
    element by element, anything else exactly."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b or math.isclose(float(a), float(b), rel_tol=_RTOL)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


_ABSENT = "<not recorded>"


def settings_differences(recorded: Mapping, requested: Mapping) -> list[tuple[str, object, object]]:
    """``(setting, recorded value, requested value)`` for every setting that differs (dotted
    names for model parameters; a setting present on one side only differs)."""
    a, b = _flatten(recorded), _flatten(requested)
    keys = list(b) + [k for k in a if k not in b]
    return [(k, a.get(k, _ABSENT), b.get(k, _ABSENT)) for k in keys if not _same(a.get(k, _ABSENT), b.get(k, _ABSENT))]


def _check_same_settings(path: Path, recorded: Mapping, requested: Mapping) -> None:
    diffs = settings_differences(recorded, requested)
    if diffs:
        key, old, new = diffs[0]
        more = f" (and {len(diffs) - 1} more: {', '.join(d[0] for d in diffs[1:])})" if len(diffs) > 1 else ""
        raise ScanSettingsError(
            f"{path} holds a scan with other settings: {key} is {old!r} in the file, {new!r} requested{more}; "
            "write to another file to scan with these settings"
        )


# --- table <-> ScanResult --------------------------------------------------------------------
def scan_to_table(result: ScanResult):
    """The scan as an astropy Table with units, :func:`scan_settings`, the date and the method in
    ``meta`` (:meth:`ScanResult.to_table`)."""
    return result.to_table()


def _min_mass_g() -> float:
    """The lightest mass [g] where the emission model holds: Hawking temperature = QCD_TEMPERATURE
    (0.2 GeV, about 5.3e13 g; :mod:`positrons.sources.pbh.emission`, T proportional to 1/M)."""
    from ..sources.pbh.emission import QCD_TEMPERATURE, hawking_temperature

    return 1e15 * float(hawking_temperature(1e15)) / QCD_TEMPERATURE


def _validate_rows(result: ScanResult, name) -> None:
    """One-line :class:`ScanFileError` unless the masses are finite, >= the validity limit and
    strictly increasing, and every f_PBH limit is >= 0 (not NaN; +inf means no limit)."""
    m, f = np.asarray(result.masses_g, dtype=float), np.asarray(result.f_limit, dtype=float)
    m_min = _min_mass_g()
    bad_m = np.flatnonzero(~np.isfinite(m) | (m < m_min))
    if bad_m.size:
        i = int(bad_m[0])
        raise ScanFileError(f"{name}: row {i}: mass {float(m[i])!r} g is not a finite mass >= {m_min:.3g} g")
    repeat = np.flatnonzero(np.diff(m) <= 0)
    if repeat.size:
        i = int(repeat[0]) + 1
        raise ScanFileError(
            f"{name}: row {i}: mass {float(m[i])!r} g does not increase (previous row {float(m[i - 1])!r} g)"
        )
    bad_f = np.flatnonzero(np.isnan(f) | (f < 0))
    if bad_f.size:
        i = int(bad_f[0])
        raise ScanFileError(f"{name}: row {i} (M = {float(m[i])!r} g): f_PBH_limit {float(f[i])!r} is not >= 0")


def read_scan(path) -> ScanResult:
    """A :class:`ScanResult` from an ECSV file written by :func:`write_scan` (rows validated)."""
    return _read(path)[0]


def _read(path) -> tuple[ScanResult, dict]:
    """The scan in ``path`` and its recorded settings (the file meta but the date and method)."""
    from astropy.table import Table

    path = Path(path)
    try:
        table = Table.read(path, format="ascii.ecsv")
    except OSError as exc:
        raise ScanFileError(f"{path}: cannot read the scan file ({exc.strerror or exc})") from None
    except Exception as exc:  # astropy raises many error types for a damaged file
        raise ScanFileError(f"{path}: not a readable ECSV scan file ({type(exc).__name__}: {exc})") from None
    meta = table.meta
    missing = [k for k in _REQUIRED_META if k not in meta] + [c for c in ("M_g", "f_PBH_limit") if c not in table.colnames]
    if missing:
        raise ScanFileError(f"{path}: not a PBH scan file (lacks {', '.join(missing)})")
    values = {attr: (np.asarray(table[name], dtype=float) if name in table.colnames else None)
              for name, (attr, _, _) in SCAN_COLUMNS.items()}
    result = ScanResult.from_settings(meta, model_parameters=meta.get("model_parameters"), **values)
    _validate_rows(result, path)
    return result, {k: v for k, v in meta.items() if k not in _DESCRIPTIVE}


# --- lock and atomic write (positrons.analysis.records) -------------------------------------------
def _locked(path: Path):
    """Hold the lock of ``path`` (:class:`ScanLockedError` if another process holds it)."""
    return locked(path, "scan", ScanLockedError)


def _write_locked(result: ScanResult, path: Path) -> None:
    """Write ``result`` (ECSV) atomically (the lock of ``path`` must be held)."""
    table = scan_to_table(result)
    atomic_write(path, lambda handle: table.write(handle, format="ascii.ecsv"))


def write_scan(result: ScanResult, path) -> Path:
    """Write ``result`` to ``path`` (ECSV) atomically, holding the file's lock (a concurrent
    writer of the same file is refused with :class:`ScanLockedError`).  If anything fails, any
    previous ``path`` is left as it was and no temporary file remains."""
    path = Path(path)
    with _locked(path):
        _write_locked(result, path)
    return path


# --- resumable scans ----------------------------------------------------------------------------
def run_scan(model, masses_g, output=None, *, chunk: int = 1, progress=None, **kwargs) -> ScanResult:
    """:func:`~positrons.analysis.pbh_limits.pbh_limit_scan` that can be interrupted and resumed.

    Parameters
    ----------
    model, masses_g, **kwargs
        As for :func:`pbh_limit_scan` (dataset, mass_function, sigma, background, phi_GV or
        modulation, energy_range, missing_errors, transport, response).
    output : path, optional
        ECSV file.  If it exists, every recorded setting (:func:`scan_settings`) must equal the
        requested one, else :class:`ScanSettingsError` before anything is computed; masses
        already in it (relative tolerance 1e-9) are not recomputed, and "resuming scan ...: N of
        M masses done" is printed on standard error.  The file is rewritten atomically after
        every ``chunk`` new masses; it is locked for the whole run.
    progress : callable(done, total), optional
        Called after each chunk (e.g. a progress bar); without ``output`` too (the masses are
        then computed ``chunk`` at a time through one shared response).

    Returns the full scan (old and new masses, sorted by mass).
    """
    masses = np.unique(np.atleast_1d(np.asarray(masses_g, dtype=float)))
    chunk = max(1, int(chunk))
    if output is None:
        if progress is None or masses.size < 2:
            return pbh_limit_scan(model, masses, **kwargs)
        return _scan_in_chunks(model, masses, chunk, progress, **kwargs)
    output = Path(output)
    with _locked(output):
        done = None
        todo = masses
        if output.exists():
            done, recorded = _read(output)
            requested = {**requested_settings(model, **kwargs), "positrons_version": package_version()}
            _check_same_settings(output, recorded, requested)
            have = np.array([np.any(np.isclose(m, done.masses_g, rtol=_MASS_RTOL, atol=0)) for m in masses], dtype=bool)
            todo = masses[~have]
            print(f"resuming scan {output}: {int(have.sum())} of {len(masses)} masses done", file=sys.stderr)
        total = len(todo)
        for start in range(0, total, chunk):
            part = pbh_limit_scan(model, todo[start:start + chunk], **kwargs)
            done = part if done is None else done.merged(part)
            _write_locked(done, output)
            if progress is not None:
                progress(min(start + chunk, total), total)
        if done is None:  # no masses requested and no file
            done = pbh_limit_scan(model, masses, **kwargs)
    return done


def _scan_in_chunks(model, masses, chunk: int, progress, **kwargs) -> ScanResult:
    """:func:`pbh_limit_scan` of ``masses`` ``chunk`` at a time (one response built once and
    shared), calling ``progress(done, total)`` after each chunk."""
    from .pbh_limits import pbh_response

    if kwargs.get("response") is None:
        kwargs["response"] = pbh_response(model, kwargs.get("transport"))
    done = None
    for start in range(0, masses.size, chunk):
        part = pbh_limit_scan(model, masses[start:start + chunk], **kwargs)
        done = part if done is None else done.merged(part)
        progress(min(start + chunk, masses.size), masses.size)
    return done


def band_path(output, dphi_GV: float) -> Path:
    """The scan file at phi + ``dphi_GV`` beside ``output`` (``NAME.ecsv`` -> ``NAME_phi+0.1.ecsv``)."""
    output = Path(output)
    return output.with_name(f"{output.name[: -len(output.suffix)]}_phi{dphi_GV:+g}{output.suffix}")


def run_band_scan(model, masses_g, output=None, *, phi_GV: float | None = None, band: bool = True,
                  dphi_GV: float = DPHI_GV, dataset: str = DEFAULT_DATASET, **kwargs) -> PhiBand:
    """:func:`run_scan` at ``phi_GV`` (None: the model's) into ``output`` and, with ``band``, at
    phi -/+ ``dphi_GV`` into :func:`band_path` files beside it (each resumable; in that order).

    Returns a :class:`PhiBand`; its ``low`` and ``high`` are the central scan (``modulated``
    False) without ``band`` or for local-interstellar data (Voyager 1, compared unmodulated)."""
    from ..data import load

    central = run_scan(model, masses_g, output, phi_GV=phi_GV, dataset=dataset, **kwargs)
    if not band or "local_interstellar" in load(dataset).flags:
        return PhiBand(central, central, central, dphi_GV, modulated=False)
    low, high = (run_scan(model, masses_g, None if output is None else band_path(output, d),
                          phi_GV=central.phi_GV + d, dataset=dataset, **kwargs) for d in (-dphi_GV, dphi_GV))
    return PhiBand(central, low, high, dphi_GV, modulated=True)
