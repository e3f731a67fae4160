"""Sphinx extension: the command-line reference, generated from ``positrons ... --help``.

Walks the argparse tree of :func:`positrons.cli.build_parser` and writes ``cli.md`` (one
section per command and subcommand with its help text) before the build reads the sources, so
the reference cannot drift from the code.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def _subparsers(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


def _sections(parser: argparse.ArgumentParser, prefix: str, level: int):
    yield f"{'#' * level} `{prefix}`\n\n```text\n{parser.format_help().rstrip()}\n```\n"
    for name, sub in _subparsers(parser):
        yield from _sections(sub, f"{prefix} {name}", min(level + 1, 4))


def write_cli_reference(app) -> None:
    import os

    from positrons.cli import build_parser

    os.environ.setdefault("COLUMNS", "100")  # argparse wraps help at the terminal width
    text = ["# Command-line reference\n",
            "Generated from `positrons ... --help` at every build of these pages.\n"]
    text += list(_sections(build_parser(), "positrons", 2))
    Path(app.srcdir, "cli.md").write_text("\n".join(text))


def setup(app):
    app.connect("builder-inited", write_cli_reference)
    return {"parallel_read_safe": True}
