"""``positrons belt ...``: (being written)."""

from __future__ import annotations


def add_commands(sub) -> None:
    """Register ``positrons belt`` on the top-level subparsers (nothing yet)."""
