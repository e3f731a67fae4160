"""``positrons cache ...``: where the disk cache of transport responses lives, and emptying it."""

from __future__ import annotations

from ._common import Parser


def _cmd_cache_info(args) -> int:
    from ..cache import KINDS, ArrayCache, cache_root

    print(f"cache directory: {cache_root()} (set $POSITRONS_CACHE_DIR to move it)")
    for kind in KINDS:
        entries = ArrayCache(kind).entries()
        size = sum(p.stat().st_size for p in entries)
        print(f"{kind:10s} {len(entries):5d} entries {size / 2**20:9.1f} MB")
    return 0


def _cmd_cache_clear(args) -> int:
    from ..cache import cache_root, clear_all

    removed = clear_all()
    print(f"removed {sum(removed.values())} cached entries from {cache_root()} "
          f"({', '.join(f'{k}: {n}' for k, n in removed.items())})")
    return 0


def add_commands(sub) -> None:
    """Register ``positrons cache info|clear``."""
    p = sub.add_parser("cache", help="the disk cache of transport responses (info, clear)",
                       description="Transport responses, propagated primaries and non-default greybody tables are "
                       "cached on disk, keyed by everything that determines them (model parameters, grid, solver "
                       "settings, package version); a stale entry is never used.")
    cmds = p.add_subparsers(dest="cache_command", metavar="SUBCOMMAND", parser_class=Parser, required=True)
    info = cmds.add_parser("info", help="the cache directory and its size")
    info.set_defaults(func=_cmd_cache_info)
    clear = cmds.add_parser("clear", help="remove every cached entry (they are recomputed when needed)")
    clear.set_defaults(func=_cmd_cache_clear)
