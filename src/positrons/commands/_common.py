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


def parse_energy_grid(text: str, what: str = "--energies"):
    """``"LO:HI:N"`` -> N log-spaced energies from LO to HI [GeV]; refuses anything else."""
    import numpy as np

    parts = text.split(":")
    try:
        lo, hi, n = float(parts[0]), float(parts[1]), int(parts[2])
        if len(parts) != 3:
            raise ValueError
    except (ValueError, IndexError):
        raise UserInputError(f"{what} must be LO:HI:N (GeV, GeV, count), got {text!r}") from None
    if not (np.isfinite(lo) and np.isfinite(hi)) or lo <= 0 or hi <= lo or n < 2:
        raise UserInputError(f"{what} needs 0 < LO < HI and N >= 2, got {text!r}")
    return np.geomspace(lo, hi, n)


def positive_float(text: str) -> float:
    """argparse type: a finite number > 0."""
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number > 0, got {text!r}")
    return value


def non_negative_float(text: str) -> float:
    """argparse type: a finite number >= 0."""
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"must be a finite number >= 0, got {text!r}")
    return value


def csv_text(header_lines: list[str], columns: dict) -> str:
    """``#`` header lines, a row of column names, then rows of ``repr`` floats."""
    import numpy as np

    names = list(columns)
    arrays = [np.asarray(columns[n], dtype=float) for n in names]
    lines = [f"# {h}" for h in header_lines]
    lines.append(",".join(names))
    for row in zip(*arrays):
        lines.append(",".join(repr(float(x)) for x in row))
    return "\n".join(lines) + "\n"


def save_figure(fig, output: str | Path) -> Path:
    """Save a matplotlib figure as a PNG (150 dpi) and say where."""
    output = Path(output)
    fig.savefig(output, dpi=150, bbox_inches="tight")
    print(f"wrote {output}", file=sys.stderr)
    return output
