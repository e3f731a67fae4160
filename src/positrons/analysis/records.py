"""What every analysis result shares: its settings in a table's ``meta`` and an atomic write.

* :func:`package_version` -- the ``positrons`` version recorded in every result;
* :func:`plain` -- settings as plain values (tuples as lists, nested mappings kept) for a
  file header;
* :func:`write_result` -- a result's :meth:`to_table` (or a mapping, for JSON) written
  atomically, the format chosen by the file's suffix among those the result accepts; an
  unknown suffix is refused before anything is written;
* :func:`locked` / :func:`atomic_write` -- one writer per file (an exclusive ``flock`` on
  ``.<name>.lock`` beside it; a second writer is refused with :class:`FileLockedError`) and
  writes through ``.<name>.<pid>.tmp`` + :func:`os.replace` (a killed writer never leaves a
  partial file; files get mode 0o666 minus the umask).
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import numpy as np

try:  # POSIX; on Windows the lock file is created exclusively instead (see _acquire_lock)
    import fcntl
except ImportError:  # pragma: no cover - not on the test platform
    fcntl = None

#: file suffix -> astropy format of a table
TABLE_FORMATS = {".ecsv": "ascii.ecsv", ".csv": "ascii.csv"}


class FileLockedError(ValueError):
    """Another process is writing the same file."""


def package_version() -> str:
    from .. import __version__

    return __version__


def plain(value):
    """``value`` with tuples as lists, numpy scalars as Python numbers, mappings kept (for a
    file header)."""
    if isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def table_with_meta(columns: Mapping[str, tuple], settings: Mapping):
    """An astropy Table from ``{name: (values, unit, description)}`` with ``settings`` and the
    package version (``positrons_version``) in ``meta``."""
    from astropy.table import Table

    table = Table()
    for name, (values, unit, description) in columns.items():
        table[name] = np.asarray(values, dtype=float)
        table[name].unit = unit or None
        table[name].description = description
    table.meta.update(plain(settings))
    table.meta["positrons_version"] = package_version()
    return table


def checked_suffix(path, allowed) -> str:
    """The suffix of ``path`` if in ``allowed``, else ValueError naming the accepted ones."""
    suffix = Path(path).suffix.lower()
    if suffix not in allowed:
        raise ValueError(f"cannot write {Path(path).name}: the suffix must be one of {', '.join(allowed)}")
    return suffix


def write_result(result, path, allowed=(".ecsv", ".csv"), lock=None) -> Path:
    """Write ``result`` to ``path`` atomically in the format of its suffix: ``.ecsv`` and
    ``.csv`` from ``result.to_table()``, ``.json`` from ``result.to_dict()``.  ``lock``: None, or
    ``(what, error)`` to hold the file's lock while writing (:func:`locked`)."""
    path = Path(path)
    suffix = checked_suffix(path, allowed)
    if suffix == ".json":
        text = json.dumps(plain(result.to_dict()), indent=2) + "\n"

        def write(handle):
            handle.write(text)
    else:
        table = result.to_table()

        def write(handle):
            table.write(handle, format=TABLE_FORMATS[suffix])
    if lock is not None:
        with locked(path, *lock):
            atomic_write(path, write)
    else:
        atomic_write(path, write)
    return path


# --- lock, temporary files, atomic write --------------------------------------------------------
def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def temporary_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _acquire_lock(path: Path, what: str, error: type) -> int:
    """An open descriptor holding the exclusive lock of ``path`` (``error`` if held)."""
    lock = lock_path(path)
    busy = error(
        f"{path} is being written by another {what} (lock file {lock.name}); wait for it or write to another file"
    )
    if fcntl is None:  # pragma: no cover - Windows: an exclusive create; a killed writer leaves it behind
        try:
            return os.open(lock, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            raise error(f"{busy} (delete {lock} if no {what} is running)") from None
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise busy from None
        try:
            same_file = os.stat(lock).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:  # the previous holder removed it after we opened it
            same_file = False
        if same_file:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
            return fd
        os.close(fd)  # we locked a file that was unlinked meanwhile: start again


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files of ``path`` left by killed writers (called with the lock held)."""
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        stale.unlink(missing_ok=True)


@contextlib.contextmanager
def locked(path, what: str = "writer", error: type = FileLockedError) -> Iterator[None]:
    """Hold the lock of ``path`` (refused at once with ``error``, naming ``what`` holds it, if
    another process holds it); remove the
    temporary files killed writers left.  The operating system releases the lock when a
    process dies; the lock file is removed when the holder finishes."""
    path = Path(path)
    fd = _acquire_lock(path, what, error)
    try:
        _remove_stale_temporaries(path)
        yield
    finally:
        lock_path(path).unlink(missing_ok=True)
        os.close(fd)


def atomic_write(path, write: Callable, binary: bool = False) -> None:
    """Call ``write(handle)`` on a temporary file in the directory of ``path`` (text, or bytes
    with ``binary``), then :func:`os.replace` it over ``path``.  If anything fails, any previous
    file is left as it was and no temporary file remains.  Mode 0o666 minus the umask."""
    path = Path(path)
    tmp = temporary_path(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8")) as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
