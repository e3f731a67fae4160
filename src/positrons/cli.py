"""The ``positrons`` command line: a thin layer that parses, calls the library, writes.

Every command is a few lines over public functions (one module per command group in
:mod:`positrons.commands`).  Every input is checked where it enters, before any computation,
by the validated types and the "option X only with Y" rules of
:mod:`positrons.commands._common`; errors in user input end with a one-line message on
stderr and exit status 2, never a traceback (set ``POSITRONS_DEBUG=1`` to see one).
"""

from __future__ import annotations

import argparse
import os
import sys

from . import __version__
from .commands import belt, cache, data, fraction, modulate, pbh, propagate, secondary
from .commands import antiprotons, nuclei
from .commands._common import Parser, UserInputError, check_rules

#: command modules, in the order of ``positrons --help``
COMMAND_MODULES = (data, secondary, pbh, propagate, modulate, fraction, belt, cache, nuclei, antiprotons)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="positrons",
        description="Cosmic-ray electron and positron spectra from first principles, confronted with data.",
    )
    parser.add_argument("--version", action="version", version=f"positrons {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser, required=True)
    for module in COMMAND_MODULES:
        module.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = parser.parse_args(argv)
        check_rules(args, argv)
        return args.func(args)
    except BrokenPipeError:  # output piped into e.g. `head`
        sys.stderr.close()
        return 0
    except UserInputError as exc:
        print(f"positrons: error: {exc}".replace("positrons: error: positrons", "positrons"), file=sys.stderr)
        return 2
    except (ValueError, KeyError, OSError) as exc:
        # invalid values reach the library, which refuses them with a message; show it as one
        # line (set POSITRONS_DEBUG=1 for the traceback)
        if os.environ.get("POSITRONS_DEBUG"):
            raise
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        print(f"positrons: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
