"""The checksum manifest of the shipped data directory (SHA-256 of every table).

The manifest is written by ``tools/import_shared_data.py`` and checked by
:class:`positrons.data.Registry` before a shipped file is read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping

from .schema import ChecksumError

__all__ = ["MANIFEST_NAME", "format_manifest", "parse_manifest", "sha256_hex", "verify_checksum"]

# --- the checksum manifest ----------------------------------------------------------------
#: file of the data directory with the SHA-256 of every shipped table, in the format of
#: ``sha256sum`` (``<hex digest>  <kind>/<file name>``, one line each; ``sha256sum -c`` reads it)
MANIFEST_NAME = "checksums.sha256"


def sha256_hex(data: bytes) -> str:
    """The SHA-256 digest of ``data`` as 64 hexadecimal characters."""
    return hashlib.sha256(data).hexdigest()


def format_manifest(entries: Mapping[str, str]) -> str:
    """Manifest text for ``{relative path: hex digest}``, sorted by path."""
    return "".join(f"{digest}  {path}\n" for path, digest in sorted(entries.items()))


def parse_manifest(text: str, name: str = MANIFEST_NAME) -> dict[str, str]:
    """``{relative path: hex digest}`` from manifest text; a malformed line is a :class:`ChecksumError`."""
    out = {}
    for number, line in enumerate(text.splitlines(), start=1):
        digest, sep, path = line.partition("  ")
        if not sep or not re.fullmatch(r"[0-9a-f]{64}", digest) or not path:
            raise ChecksumError(f"{name}: line {number} is not '<sha256 hex>  <path>': {line!r}")
        out[path] = digest
    return out


def verify_checksum(data: bytes, expected: str | None, name: str) -> None:
    """Raise :class:`ChecksumError` naming ``name`` unless ``sha256(data) == expected``."""
    if expected is None:
        raise ChecksumError(f"{name}: not in the checksum manifest {MANIFEST_NAME} (not a shipped file?)")
    actual = sha256_hex(data)
    if actual != expected:
        raise ChecksumError(
            f"{name}: checksum mismatch (sha256 {actual[:12]}..., manifest {expected[:12]}...): the installed file "
            "was changed after the import; reinstall positrons or rerun tools/import_shared_data.py"
        )
