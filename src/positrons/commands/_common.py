"""Shared pieces of the command modules: the one-line user error, the validated input types,
the "option X only makes sense with Y" rules, and output helpers.

Every value from the command line is checked where it enters, by an argparse ``type=`` built
here (or by a rule checked right after parsing), so that a bad input ends in one line naming
the option and the accepted range, exit status 2, before any computation:

* numbers: :func:`real` (finite, with bounds and a unit; :func:`positive`, :func:`non_negative`);
* grids ``LO:HI:N``: :func:`log_grid` (:func:`parse_energy_grid` after parsing);
* paths: :func:`output_file`, :func:`figure_file`, :func:`output_directory`, :func:`input_file`;
* names checked against the library: :func:`propagation_model`, :func:`cross_section_model`
  (and :func:`check_full_secondary_route`), :func:`dataset_id`, :func:`iso_date`;
* options that only make sense with others: :func:`only_with`, checked by :func:`check_rules`
  (mutually exclusive pairs use argparse's ``add_mutually_exclusive_group``).

Output, the same for every command that prints numbers (use these in a new command):

* :func:`add_output_arguments` adds ``--format table|csv|json|ecsv`` and ``--output FILE``
  (without ``--format``, the suffix of FILE chooses: .csv, .json, .ecsv, .txt = table);
* :func:`write_numbers` prints (or writes to ``--output``) a result's astropy table
  (``result.to_table()``) in that format, with the command's ``#`` header lines, through
  :func:`positrons.analysis._output.format_table` (one layout per format: column names
  with their unit, e.g. ``E_kin_GeV``, ``flux_per_GeV_m2_s_sr``; the units, settings and
  package version in the header; JSON as ``{"meta", "columns": {name: unit}, "data":
  {name: [values]}}``);
* :func:`add_quiet_argument` adds ``--quiet``, and :func:`feedback` gives the command's
  :class:`~positrons.commands._progress.Feedback` (a one-line summary of what is being
  computed and progress bars on standard error, on a terminal only).
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

#: most energies a LO:HI:N grid may ask for
MAX_GRID_POINTS = 100_000


class UserInputError(Exception):
    """A problem with what the user asked for; reported as one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line (no usage block) and exit with status 2.

    It reads anything that starts like a negative number ('-1e15', '-.5', '-1:2:3') as a
    value, so that a negative mass, density or energy is refused by its own check ("must be
    > 0") instead of argparse's "expected one argument".  No option of the package's CLI
    looks like a negative number.  Options must be spelled out (no abbreviations such as
    ``--mass-f``): :func:`check_rules` sees which options were given from the words typed.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(r"^-[\d.]")

    def error(self, message):  # noqa: D102 - argparse API
        raise UserInputError(f"{self.prog}: {message} (see '{self.prog} --help')")


# --- numbers ---------------------------------------------------------------------------


def number(text: str, what: str | None = None) -> float:
    """``text`` as a float, or an argparse error ("not a number", or "``what`` must be a number")."""
    try:
        return float(text)
    except ValueError:
        message = f"{what} must be a number, got {text!r}" if what else f"not a number: {text!r}"
        raise argparse.ArgumentTypeError(message) from None


def _bounds_text(lo, hi, lo_open: bool, hi_open: bool, unit: str) -> str:
    """'from 0.1 to 5 GV', '> 0 and <= 10', '> 0 GeV', ...: the accepted range in words."""
    if lo is not None and hi is not None and not (lo_open or hi_open):
        text = f"from {lo:.4g} to {hi:.4g}"
    else:
        parts = []
        if lo is not None:
            parts.append(f"{'>' if lo_open else '>='} {lo:.4g}")
        if hi is not None:
            parts.append(f"{'<' if hi_open else '<='} {hi:.4g}")
        text = " and ".join(parts)
    return text + (f" {unit}" if unit else "")


def real(lo: float | None = None, hi: float | None = None, *, lo_open: bool = False, hi_open: bool = False,
         unit: str = "", why: str = "", what: str | None = None):
    """argparse type: a finite number within ``[lo, hi]`` (a side open with ``lo_open``/``hi_open``).

    The message names the accepted range with its ``unit`` and, if given, ``why`` (the physics
    of the bound); argparse puts the option name in front.  ``what`` (e.g. ``"--mass"``)
    starts the message instead, for checks made after parsing.
    """

    def parse(text: str) -> float:
        value = number(text, what)
        inside = math.isfinite(value) and (lo is None or (value > lo if lo_open else value >= lo)) and (
            hi is None or (value < hi if hi_open else value <= hi))
        if not inside:
            reason = f" ({why})" if why else ""
            raise argparse.ArgumentTypeError(f"{what + ' ' if what else ''}must be a finite number "
                                             f"{_bounds_text(lo, hi, lo_open, hi_open, unit)}{reason}, got {text!r}")
        return value

    return parse


def positive(what: str | None = None, unit: str = ""):
    """argparse type: a finite number > 0 (``unit`` shown in the message)."""
    return real(0.0, lo_open=True, unit=unit, what=what)


def non_negative(what: str | None = None, unit: str = ""):
    """argparse type: a finite number >= 0 (``unit`` shown in the message)."""
    return real(0.0, unit=unit, what=what)


#: argparse type: a finite number > 0
positive_float = positive()
#: argparse type: a finite number >= 0
non_negative_float = non_negative()


def log_grid(unit: str = "GeV", lo: float | None = None, hi: float | None = None, min_points: int = 2,
             what: str | None = None, why: str = ""):
    """argparse type: ``"LO:HI:N"`` -> N log-spaced values from LO to HI (in ``unit``).

    Refuses anything else: not three fields, non-finite or non-positive ends, HI <= LO (for
    N > 1), N outside ``[min_points, MAX_GRID_POINTS]``, or ends outside ``[lo, hi]`` (the
    range where the computation holds, explained by ``why``).  N = 1 gives the single value LO.
    """

    def parse(text: str):
        import numpy as np

        lead = f"{what} " if what else ""
        parts = text.split(":")
        try:
            if len(parts) != 3:
                raise ValueError
            first, last, n = float(parts[0]), float(parts[1]), int(parts[2])
        except ValueError:
            raise argparse.ArgumentTypeError(f"{lead}must be LO:HI:N ({unit}, {unit}, count), got {text!r}") from None
        if not (math.isfinite(first) and math.isfinite(last)) or first <= 0 or last <= 0:
            raise argparse.ArgumentTypeError(f"{lead}LO and HI must be finite and > 0 {unit} (0 < LO < HI), got {text!r}")
        if n < min_points or n > MAX_GRID_POINTS:
            raise argparse.ArgumentTypeError(f"{lead}needs {min_points} <= N <= {MAX_GRID_POINTS}, got {text!r}")
        if n > 1 and last <= first:
            raise argparse.ArgumentTypeError(f"{lead}needs HI > LO (0 < LO < HI), got {text!r}")
        if (lo is not None and first < lo) or (hi is not None and max(first, last if n > 1 else first) > hi):
            reason = f" ({why})" if why else ""
            raise argparse.ArgumentTypeError(
                f"{lead}LO and HI must be {_bounds_text(lo, hi, False, False, unit)}{reason}, got {text!r}")
        return np.geomspace(first, last, n)

    return parse


def parse_energy_grid(text: str, what: str = "--energies", min_points: int = 2):
    """``"LO:HI:N"`` -> N log-spaced energies from LO to HI [GeV], after parsing (see :func:`log_grid`)."""
    try:
        return log_grid("GeV", min_points=min_points, what=what)(text)
    except argparse.ArgumentTypeError as exc:
        raise UserInputError(str(exc)) from None


# --- paths -----------------------------------------------------------------------------


def _writable_parent(path: Path, text: str) -> None:
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise argparse.ArgumentTypeError(f"cannot write {text!r}: the directory {str(parent)!r} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"cannot write {text!r}: the directory {str(parent)!r} is not writable")


def output_file(text: str) -> str:
    """argparse type: a file that can be written (its directory exists and is writable; not a
    directory; writable if it exists).  Checked when the option is parsed, before any work."""
    path = Path(text)
    if not text or path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a directory, not a file name" if text else "empty file name")
    _writable_parent(path, text)
    if path.exists() and not os.access(path, os.W_OK):
        raise argparse.ArgumentTypeError(f"cannot write {text!r}: the file is read-only")
    return text


def figure_file(text: str) -> str:
    """argparse type: a writable image file whose extension matplotlib can write (.png, .pdf, .svg, ...)."""
    output_file(text)
    suffix = Path(text).suffix.lower().lstrip(".")
    if suffix:
        from matplotlib.figure import Figure

        formats = sorted(Figure().canvas.get_supported_filetypes())
        if suffix not in formats:
            raise argparse.ArgumentTypeError(f"cannot draw a .{suffix} image; use one of .{', .'.join(formats)}")
    return text


def output_directory(text: str) -> str:
    """argparse type: a directory to write into: an existing writable one, or a new one whose
    nearest existing parent is a writable directory (it is created later, when needed)."""
    path = Path(text)
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a file, not a directory")
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"cannot create or write the directory {text!r} ({str(existing)!r} is not writable)")
    return text


def input_file(text: str) -> str:
    """argparse type: an existing, readable file."""
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text!r}" if not path.exists() else f"{text!r} is not a file")
    if not os.access(path, os.R_OK):
        raise argparse.ArgumentTypeError(f"cannot read {text!r}")
    return text


# --- names checked against the library -------------------------------------------------


def propagation_model(text: str) -> str:
    """argparse type: a propagation-model preset (MIN, MED, ...) or a readable TOML file that
    defines a valid model (read now, so that a typo is reported before any transport)."""
    from ..propagation.models import PRESETS, get_propagation_model

    if text.upper() not in PRESETS:
        if not text.endswith(".toml"):
            raise argparse.ArgumentTypeError(f"unknown model {text!r}: use one of {', '.join(PRESETS)} or a .toml file")
        input_file(text)
    try:
        model = get_propagation_model(text)
    except KeyError as exc:
        raise argparse.ArgumentTypeError(str(exc.args[0] if exc.args else exc)) from None
    except (ValueError, TypeError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    bad = _non_finite(model)
    if bad:
        raise argparse.ArgumentTypeError(f"{text}: {', '.join(bad)} must be finite (not nan or inf)")
    return text


def _non_finite(record, prefix: str = "") -> list[str]:
    """Names of the NaN or infinite numbers in a (nested) dataclass record such as a model."""
    import dataclasses

    bad = []
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if dataclasses.is_dataclass(value):
            bad += _non_finite(value, f"{prefix}{f.name}.")
            continue
        for v in value if isinstance(value, tuple) else (value,):
            if isinstance(v, (int, float)) and not isinstance(v, bool) and not math.isfinite(v):
                bad.append(prefix + f.name)
                break
    return bad


def cross_section_model(text: str) -> str:
    """argparse type: a registered production model that can be used now (orusa2022 needs its tables)."""
    from ..cross_sections import available_models, get_model

    if text not in available_models():
        raise argparse.ArgumentTypeError(f"unknown cross-section model {text!r}; use one of {', '.join(available_models())}")
    try:
        get_model(text)
    except (ValueError, OSError) as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def check_full_secondary_route(name: str) -> None:
    """The full secondary route (``propagate``, ``fraction``) feeds propagated p and He of
    ``positrons.analysis.galactic.PROJECTILE_RANGE_GEV`` through the cross-section model
    ``name``: refuse, before the transport, a model that does not cover them."""
    import numpy as np

    from ..cross_sections import get_model
    from ..analysis.galactic import PROJECTILE_RANGE_GEV

    model = get_model(name)
    if not model.check_range(np.asarray(PROJECTILE_RANGE_GEV), "zero").all():
        raise UserInputError(
            f"--cross-section {name} covers {model.projectile_min:g}-{model.projectile_max:g} GeV/n, but the propagated "
            f"protons and helium span {PROJECTILE_RANGE_GEV[0]:g}-{PROJECTILE_RANGE_GEV[1]:g} GeV/n: use --cross-section "
            "hybrid")


def dataset_id(quantity: str | None = None, species: tuple[str, ...] = ()):
    """argparse type: a shipped measurement ID (or alias), of this ``quantity`` and ``species`` if given."""

    def parse(text: str) -> str:
        import difflib

        from ..data import ALIASES, list_datasets, load

        try:
            data = load(text)
        except KeyError:
            close = difflib.get_close_matches(text, [i.id for i in list_datasets()] + list(ALIASES), n=3, cutoff=0.5)
            hint = f"close matches: {', '.join(close)}; " if close else ""
            raise argparse.ArgumentTypeError(f"unknown dataset {text!r} ({hint}'positrons data list' shows them all)") from None
        wanted = " ".join(filter(None, ["/".join(species), quantity]))
        if (quantity and data.quantity != quantity) or (species and data.species not in species):
            raise argparse.ArgumentTypeError(f"{text} is a {data.species} {data.quantity}; a {wanted} dataset is needed "
                                             "('positrons data list' shows them)")
        return text

    return parse


def iso_date(text: str) -> str:
    """argparse type: an ISO 8601 date and time, e.g. 2000-03-20T12:00."""
    from datetime import datetime

    try:
        datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO date and time (YYYY-MM-DDTHH:MM): {text!r}") from None
    return text


def checked(option: str, parse: Callable[[str], object], text: str):
    """``parse(text)`` for a check that needs another option first (e.g. ``--output`` is a file or,
    with ``--all``, a directory); a refusal names ``option`` as argparse would."""
    try:
        return parse(text)
    except argparse.ArgumentTypeError as exc:
        raise UserInputError(f"argument {option}: {exc}") from None


# --- options that only make sense with others ------------------------------------------


@dataclass(frozen=True)
class OnlyWith:
    """``option`` makes sense only when ``applies(args)``; ``needs`` says when, in CLI words."""

    option: str
    needs: str
    applies: Callable[[argparse.Namespace], bool]


def only_with(parser: argparse.ArgumentParser, options, needs: str, applies: Callable[[argparse.Namespace], bool]) -> None:
    """Declare that each of ``options`` (e.g. ``("--sigma",)``) applies only ``needs`` (e.g.
    ``"with --mass-function lognormal"``): giving it otherwise is an error, not ignored."""
    rules = list(parser.get_default("rules") or [])
    parser.set_defaults(rules=rules + [OnlyWith(option, needs, applies) for option in options])


def given_options(argv) -> set[str]:
    """The long options typed in ``argv`` (``--name`` or ``--name=value``; no abbreviations)."""
    return {word.split("=", 1)[0] for word in argv if word.startswith("--")}


def check_rules(args: argparse.Namespace, argv) -> None:
    """Refuse an option given where it would be ignored (rules of :func:`only_with`)."""
    given = given_options(argv)
    for rule in getattr(args, "rules", None) or ():
        if rule.option in given and not rule.applies(args):
            raise UserInputError(f"{rule.option} applies only {rule.needs}; remove it")


# --- output ----------------------------------------------------------------------------


def emit(text: str, output: str | None) -> None:
    """Write ``text`` to ``output`` (a path) or to standard output."""
    if output:
        Path(output).write_text(text)
        print(f"wrote {output}", file=sys.stderr)
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


#: the formats of --format (:func:`positrons.analysis._output.format_table`)
OUTPUT_FORMATS = ("table", "csv", "json", "ecsv")
#: --output suffix -> format, when --format is not given
SUFFIX_FORMATS = {".csv": "csv", ".json": "json", ".ecsv": "ecsv", ".txt": "table", ".dat": "table"}


def add_output_arguments(parser, default: str = "csv", formats=OUTPUT_FORMATS, output_help: str | None = None,
                         output_type=output_file) -> None:
    """``--format`` (one of ``formats``; default: the suffix of ``--output``, else ``default``)
    and ``--output FILE`` (numbers to FILE instead of standard output)."""
    suffixes = ", ".join(f"{k} = {v}" for k, v in SUFFIX_FORMATS.items() if v in formats)
    parser.add_argument("--format", choices=list(formats), default=None,
                        help=f"output format: {', '.join(formats)} (default: from the --output suffix, {suffixes}; "
                        f"else {default}). Every format gives the column units, the settings and the package version")
    parser.add_argument("--output", type=output_type, metavar="FILE",
                        help=output_help or "write the numbers to FILE instead of standard output")
    parser.set_defaults(default_format=default)


def output_format(args) -> str:
    """The format of the printed numbers: ``--format``, else the suffix of ``--output``, else the default."""
    if getattr(args, "format", None):
        return args.format
    output = getattr(args, "output", None)
    if output:
        suffix = Path(output).suffix.lower()
        if suffix in SUFFIX_FORMATS:
            return SUFFIX_FORMATS[suffix]
    return getattr(args, "default_format", "csv")


def write_numbers(table, args, header=()) -> None:
    """Print ``table`` (an astropy Table with units and settings in ``meta``) in the format of
    :func:`output_format`, with the ``header`` lines, to ``--output`` or standard output."""
    from ..analysis._output import format_table

    emit(format_table(table, output_format(args), header), getattr(args, "output", None))


def add_quiet_argument(parser) -> None:
    """``--quiet``: no status line or progress bar on standard error."""
    parser.add_argument("--quiet", action="store_true", help="no status line or progress bar on standard error "
                        "(they are shown only on a terminal anyway)")


def feedback(args):
    """The :class:`~positrons.commands._progress.Feedback` of a run (silent with ``--quiet``)."""
    from ._progress import Feedback

    return Feedback(quiet=getattr(args, "quiet", False))


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
    parser.add_argument("--model", default="MED", type=propagation_model,
                        help="propagation model: MIN, MED, MAX, MAX2, DB, GH or a .toml file (default MED)")


def add_grid_arguments(parser) -> None:
    """The transport grid (defaults: the converged ones of :class:`positrons.propagation.grid.GridSpec`)
    and the response cache."""
    from ..propagation import grid_defaults as g

    parser.add_argument("--dR", type=positive(unit="kpc"), default=g.DEFAULT_DR_KPC, metavar="KPC",
                        help=f"radial grid step [kpc] (default {g.DEFAULT_DR_KPC:g})")
    parser.add_argument("--dz", type=positive(unit="kpc"), default=g.DEFAULT_DZ_KPC, metavar="KPC",
                        help=f"vertical grid step at the disc [kpc] (default {g.DEFAULT_DZ_KPC:g})")
    parser.add_argument("--dz-max", type=positive(unit="kpc"), default=None, metavar="KPC",
                        help=f"vertical grid step at the halo boundary [kpc], the grid stretched in between "
                        f"(default {g.DEFAULT_DZ_MAX_KPC:g}, or --dz if that is larger)")
    parser.add_argument("--energy-points-per-decade", type=real(2.0, 1000.0, why="the transport's energy grid"),
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


def transport(args, model=None):
    """The :class:`~positrons.analysis.transport.Transport` of the grid options (checked against
    ``model``, as :func:`grid_spec`), the default solver and the response cache (none with
    ``--no-cache``)."""
    from ..analysis.transport import Transport

    return Transport(grid_spec(args, model), cache=response_cache(args))
