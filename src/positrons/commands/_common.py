"""Shared pieces of the command modules: the one-line user error and output helpers."""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

#: most energies a LO:HI:N grid may ask for
MAX_GRID_POINTS = 100_000


class UserInputError(Exception):
    """A problem with what the user asked for; reported as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line (no usage block) and exit with status 2.

    It reads anything that starts like a negative number ('-1e15', '-.5', '-1:2:3') as a
    value, so that a negative mass, density or energy is refused by its own check ("must be
    > 0") instead of argparse's "expected one argument".  No option of the package's CLI
    looks like a negative number.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(r"^-[\d.]")

    def error(self, message):  # noqa: D102 - argparse API
        raise UserInputError(f"{self.prog}: {message} (see '{self.prog} --help')")


def emit(text: str, output: str | None) -> None:
    """Write ``text`` to ``output`` (a path) or to standard output."""
    if output:
        Path(output).write_text(text)
        print(f"wrote {output}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def parse_energy_grid(text: str, what: str = "--energies", min_points: int = 2):
    """``"LO:HI:N"`` -> N log-spaced energies from LO to HI [GeV]; refuses anything else.

    Usable after parsing and as an argparse ``type`` (it raises :class:`UserInputError`,
    which the CLI reports as one line).  ``min_points`` is the smallest N (1 gives the single
    energy LO); at most :data:`MAX_GRID_POINTS`.
    """
    import numpy as np

    parts = text.split(":")
    try:
        if len(parts) != 3:
            raise ValueError
        lo, hi, n = float(parts[0]), float(parts[1]), int(parts[2])
    except ValueError:
        raise UserInputError(f"{what} must be LO:HI:N (GeV, GeV, count), got {text!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo <= 0 or hi <= 0:
        raise UserInputError(f"{what}: energies must be > 0 GeV (0 < LO < HI), got {text!r}")
    if n < min_points or n > MAX_GRID_POINTS:
        raise UserInputError(f"{what} needs {min_points} <= N <= {MAX_GRID_POINTS}, got {text!r}")
    if n > 1 and hi <= lo:
        raise UserInputError(f"{what} needs HI > LO (0 < LO < HI), got {text!r}")
    return np.geomspace(lo, hi, n)


def number(text: str, what: str | None = None) -> float:
    """``text`` as a float, or an argparse error ("not a number", or "``what`` must be a number")."""
    try:
        return float(text)
    except ValueError:
        message = f"{what} must be a number, got {text!r}" if what else f"not a number: {text!r}"
        raise argparse.ArgumentTypeError(message) from None


def positive(what: str | None = None):
    """argparse type: a finite number > 0; ``what`` (e.g. ``"--mass"``) starts its messages."""

    def parse(text: str) -> float:
        value = number(text, what)
        if not math.isfinite(value) or value <= 0:
            raise argparse.ArgumentTypeError(f"{what + ' ' if what else ''}must be a finite number > 0, got {text!r}")
        return value

    return parse


def non_negative(what: str | None = None):
    """argparse type: a finite number >= 0; ``what`` starts its messages."""

    def parse(text: str) -> float:
        value = number(text, what)
        if not math.isfinite(value) or value < 0:
            raise argparse.ArgumentTypeError(f"{what + ' ' if what else ''}must be a finite number >= 0, got {text!r}")
        return value

    return parse


#: argparse type: a finite number > 0
positive_float = positive()
#: argparse type: a finite number >= 0
non_negative_float = non_negative()


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


def add_model_argument(parser) -> None:
    """``--model``: a propagation-model preset or a TOML file (commands that propagate)."""
    parser.add_argument("--model", default="MED",
                        help="propagation model: MIN, MED, MAX, MAX2, DB, GH or a .toml file (default MED)")


def add_grid_arguments(parser) -> None:
    """The transport grid (defaults: the converged ones of :class:`positrons.propagation.grid.GridSpec`)
    and the response cache."""
    from ..propagation import grid as g

    parser.add_argument("--dR", type=positive("--dR"), default=g.DEFAULT_DR_KPC, metavar="KPC",
                        help=f"radial grid step [kpc] (default {g.DEFAULT_DR_KPC:g})")
    parser.add_argument("--dz", type=positive("--dz"), default=g.DEFAULT_DZ_KPC, metavar="KPC",
                        help=f"vertical grid step at the disc [kpc] (default {g.DEFAULT_DZ_KPC:g})")
    parser.add_argument("--dz-max", type=positive("--dz-max"), default=None, metavar="KPC",
                        help=f"vertical grid step at the halo boundary [kpc], the grid stretched in between "
                        f"(default {g.DEFAULT_DZ_MAX_KPC:g}, or --dz if that is larger)")
    parser.add_argument("--energy-points-per-decade", type=positive("--energy-points-per-decade"),
                        default=g.DEFAULT_ENERGY_POINTS_PER_DECADE, metavar="N",
                        help=f"transport energies per decade (default {g.DEFAULT_ENERGY_POINTS_PER_DECADE:g})")
    parser.add_argument("--no-cache", action="store_true",
                        help="neither read nor write the disk cache of transport responses "
                        "($POSITRONS_CACHE_DIR or ~/.cache/positrons; 'positrons cache clear' empties it)")


def grid_spec(args, model=None):
    """The :class:`~positrons.propagation.grid.GridSpec` of ``--dR``/``--dz``/``--dz-max``/
    ``--energy-points-per-decade``, checked against ``model`` (too coarse, too large: one line)."""
    from ..propagation.grid import DEFAULT_DZ_MAX_KPC, GridSpec

    dz_max = args.dz_max if args.dz_max is not None else max(DEFAULT_DZ_MAX_KPC, args.dz)
    try:
        spec = GridSpec(args.dR, args.dz, dz_max, args.energy_points_per_decade)
        if model is not None:
            spec.validate_for(model)
    except ValueError as exc:
        raise UserInputError(str(exc).replace("dR =", "--dR").replace("dz =", "--dz").replace("dz_max =", "--dz-max")) from None
    return spec


def response_cache(args):
    """The disk cache of transport responses and solutions (None with ``--no-cache``)."""
    if args.no_cache:
        return None
    from ..cache import ArrayCache

    return ArrayCache("responses")


def grid_header(spec, settings) -> str:
    """One header line: the transport grid and solver settings that produced a result."""
    from .. import __version__

    return (f"transport grid: dR = {spec.dR_kpc:g} kpc, dz = {spec.dz_kpc:g} kpc at the disc to "
            f"{spec.dz_max_kpc:g} kpc at the halo boundary, {spec.energy_points_per_decade:g} energies per decade; "
            f"solver {settings.method}, rtol {settings.rtol:g}, defect correction {settings.defect_correction}; "
            f"positrons {__version__}")
