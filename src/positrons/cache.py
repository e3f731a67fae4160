"""Disk caches of expensive arrays (transport responses, propagated primaries, greybody tables).

One directory for all: ``cache_dir`` if given, else ``$POSITRONS_CACHE_DIR``, else
``$XDG_CACHE_HOME/positrons`` or ``~/.cache/positrons``; one subdirectory per kind of array.

An entry is keyed by SHA-256 of everything that determines it (passed to :meth:`ArrayCache.key`:
numbers, strings, arrays, mappings of settings) plus the package version, so a cache can never
hand back an array computed with other settings or by another version.  Each file stores its key
and a checksum of its values; a file whose key or checksum does not match is ignored and
recomputed.  Files are written atomically (temporary file in the same directory, then renamed),
so a killed process leaves no partial entry.  ``positrons cache clear`` (or
:meth:`ArrayCache.clear`) removes them.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np

#: environment variable that overrides the cache directory
CACHE_ENV = "POSITRONS_CACHE_DIR"


def cache_root(cache_dir=None) -> Path:
    """The cache directory (see the module docstring); not created here."""
    if cache_dir is None:
        cache_dir = os.environ.get(CACHE_ENV)
    if cache_dir is None:
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        cache_dir = Path(base) / "positrons"
    return Path(cache_dir)


def _canonical(part, digest) -> None:
    """Feed one key part into ``digest`` unambiguously (type-tagged)."""
    if isinstance(part, np.ndarray):
        a = np.ascontiguousarray(part)
        digest.update(f"array{a.dtype.str}{a.shape}".encode())
        digest.update(a.tobytes())
    elif isinstance(part, (dict, list, tuple, str, int, float, bool)) or part is None:
        digest.update(json.dumps(part, sort_keys=True, default=_json_default).encode())
    else:
        raise TypeError(f"cannot key a cache entry on {type(part).__name__}")


def _json_default(value):
    if isinstance(value, float):
        return float.hex(value)
    if isinstance(value, np.ndarray):
        return [float.hex(float(v)) for v in value.ravel()]
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    raise TypeError(f"cannot key a cache entry on {type(value).__name__}")


def _checksum(arrays: dict) -> str:
    digest = hashlib.sha256()
    for name in sorted(arrays):
        digest.update(name.encode())
        digest.update(np.ascontiguousarray(arrays[name], dtype="<f8").tobytes())
    return digest.hexdigest()[:16]


class ArrayCache:
    """Arrays on disk under ``cache_root(cache_dir) / kind``, keyed by their inputs."""

    def __init__(self, kind: str, cache_dir=None):
        self.kind = kind
        self.directory = cache_root(cache_dir) / kind

    def key(self, *parts) -> str:
        """SHA-256 (hex) of ``parts`` and the package version."""
        from . import __version__

        digest = hashlib.sha256(f"positrons {__version__} {self.kind}".encode())
        for part in parts:
            _canonical(part, digest)
        return digest.hexdigest()

    def _path(self, key: str) -> Path:
        return self.directory / f"{key[:32]}.npz"

    def load(self, key: str) -> np.ndarray | None:
        """The array stored under ``key``, or None (absent, foreign or corrupt file)."""
        path = self._path(key)
        if not path.exists():
            return None
        try:  # read the bytes first: a damaged archive must not leave a file handle open
            with np.load(io.BytesIO(path.read_bytes()), allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                value = np.asarray(data["value"])
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, EOFError):
            return None
        if meta.get("key") != key or meta.get("checksum") != _checksum({"value": value}):
            return None
        return value

    def save(self, key: str, value: np.ndarray, **meta) -> Path:
        """Store ``value`` under ``key`` atomically, with the key, a checksum and ``meta``."""
        from . import __version__

        self.directory.mkdir(parents=True, exist_ok=True)
        path = self._path(key)
        value = np.asarray(value, dtype=float)
        record = dict(meta, key=key, checksum=_checksum({"value": value}), version=__version__)
        tmp = path.with_name(f".{path.stem}.tmp{os.getpid()}.npz")
        try:
            np.savez(tmp, value=value, meta=np.array(json.dumps(record, default=_json_default)))
            os.replace(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()
        return path

    def entries(self) -> list[Path]:
        return sorted(self.directory.glob("*.npz")) if self.directory.exists() else []

    def clear(self) -> int:
        """Remove every entry (and stray temporary files); returns the number removed."""
        removed = 0
        if self.directory.exists():
            for path in list(self.directory.glob("*.npz")) + list(self.directory.glob(".*.tmp*.npz")):
                path.unlink(missing_ok=True)
                removed += 1
        return removed


#: the kinds of cached arrays (subdirectories of the cache root): transport responses and
#: solutions (propagated primaries, secondaries), greybody tables
KINDS = ("responses", "greybody")


def clear_all(cache_dir=None) -> dict:
    """Remove every cached entry of every kind; {kind: number removed}."""
    return {kind: ArrayCache(kind, cache_dir).clear() for kind in KINDS}
