"""Shared pieces of the command modules: the one-line user error and output helpers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


class UserInputError(Exception):
    """A problem with what the user asked for; reported as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line (no usage block) and exit with status 2."""

    def error(self, message):  # noqa: D102 - argparse API
        raise UserInputError(f"{self.prog}: {message} (see '{self.prog} --help')")


def emit(text: str, output: str | None) -> None:
    """Write ``text`` to ``output`` (a path) or to standard output."""
    if output:
        Path(output).write_text(text)
        print(f"wrote {output}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def save_figure(fig, output: str | Path) -> Path:
    """Save a matplotlib figure as a PNG (150 dpi) and say where."""
    output = Path(output)
    fig.savefig(output, dpi=150, bbox_inches="tight")
    print(f"wrote {output}")
    return output
