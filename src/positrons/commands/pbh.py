"""``positrons pbh ...``: (being written)."""

from __future__ import annotations


def add_commands(sub) -> None:
    """Register ``positrons pbh`` on the top-level subparsers (nothing yet)."""
