"""The ``positrons`` command line: a thin layer that parses, calls the library, writes.

Every command is a few lines over public functions (one module per command group in
:mod:`positrons.commands`).  Every input is checked where it enters, before any computation,
by the validated types and the "option X only with Y" rules of
:mod:`positrons.commands._common`; errors in user input end with a one-line message on
stderr and exit status 2, never a traceback (set ``POSITRONS_DEBUG=1`` to see one).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys

from . import __version__
from .commands._common import Parser, UserInputError, check_rules

#: the commands, in the order of ``positrons --help``: name -> (module of
#: :mod:`positrons.commands` that registers it, the one-line help shown by ``positrons --help``).
#: A command's module is imported only when that command is run or its ``--help`` is asked,
#: so ``positrons --help`` imports no physics; tests/test_cli_startup.py checks that each line
#: here matches what the module registers.
COMMANDS = {
    "data": ("data", "list, show and plot the shipped measurements"),
    "models": ("models", "list the propagation models, print one as an editable TOML file"),
    "secondary": ("secondary", "secondary e+- production: cross sections and the local source term"),
    "pbh": ("pbh", "Hawking emission of primordial black holes: spectra and lifetimes"),
    "propagate": ("propagate", "propagate a source through the Galaxy (2D diffusion model) to the local interstellar flux"),
    "modulate": ("modulate", "modulate a LIS to the top of the atmosphere (force field or Parker), with the phi band"),
    "fraction": ("fraction", "the positron fraction: secondary prediction, pulsars, dark matter, fits to the data"),
    "belt": ("belt", "trapped e+- of the inner radiation belt (Martin et al. 1995 and beyond)"),
    "nuclei": ("nuclei", "ratios of cosmic-ray nuclei (B/C, 10Be/9Be, ...) against data"),
    "antiprotons": ("antiprotons", "secondary antiprotons: flux and pbar/p against AMS-02 and PAMELA"),
    "fit": ("fit", "fit the propagation model to B/C, p, He and 10Be/9Be (slab model; nautilus, emcee or minuit)"),
    "cache": ("cache", "the disk cache of transport responses (info, clear)"),
}


def command_module(name: str):
    """The module of :mod:`positrons.commands` that registers command ``name`` (imported now)."""
    return importlib.import_module(f"positrons.commands.{COMMANDS[name][0]}")


def selected_command(argv) -> str | None:
    """The command named in ``argv``: its first word that is not an option (None if there is none).

    The top-level parser has only flag options (``--help``, ``--version``), so the first
    other word is the command (or an unknown word that the parser will refuse).
    """
    for word in argv:
        if word == "--":
            continue
        if not word.startswith("-"):
            return word
    return None


def build_parser(commands=None) -> argparse.ArgumentParser:
    """The ``positrons`` parser.

    ``commands``: names of the commands to register in full (their modules are imported);
    the others get a placeholder with their one-line help only, enough for ``positrons
    --help`` and for refusing an unknown command.  None (default): every command in full.
    """
    full = set(COMMANDS) if commands is None else set(commands)
    parser = Parser(
        prog="positrons",
        description="Cosmic-ray electron and positron spectra from first principles, confronted with data.",
    )
    parser.add_argument("--version", action="version", version=f"positrons {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser, required=True)
    for name, (_module, help_text) in COMMANDS.items():
        if name in full:
            command_module(name).add_commands(sub)
        else:
            sub.add_parser(name, help=help_text)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    command = selected_command(argv)
    parser = build_parser([command] if command in COMMANDS else [])
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
