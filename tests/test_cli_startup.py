"""``positrons --help`` and ``positrons COMMAND --help`` import no physics.

Each case runs in a fresh interpreter (a subprocess), builds the parser, prints the help and
then lists ``sys.modules``: numpy, scipy, astropy, matplotlib, particle and every module of
the library outside :mod:`positrons.commands` must be absent.  The timing is measured by
``benchmarks/bench_cli_startup.py``, not here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from positrons import cli

#: third-party packages that make the start-up slow
HEAVY = ("numpy", "scipy", "astropy", "matplotlib", "particle", "pandas", "dask")
#: the only modules of the package that building the parser may import
#: (and the settings modules that hold defaults and choices as plain values, defined once)
LIGHT = ("positrons", "positrons.cli", "positrons.commands", "positrons.analysis", "positrons.analysis.pbh_settings",
         "positrons.propagation", "positrons.propagation.grid_defaults")

#: ``--help`` cases checked here: the top level and every command whose module is light.
CHECKED = [
    (),
    ("data",), ("data", "list"), ("data", "aliases"), ("data", "show"), ("data", "plot"),
    ("secondary",), ("secondary", "cross-section"), ("secondary", "source"), ("secondary", "fetch-orusa2022"),
    ("modulate",),
    ("belt",),
    ("cache",), ("cache", "info"), ("cache", "clear"),
    ("models",), ("models", "list"), ("models", "show"),
    ("pbh",), ("pbh", "spectrum"), ("pbh", "lifetime"), ("pbh", "limits"),
    ("propagate",),
    ("fraction",),
    ("nuclei",), ("nuclei", "ratio"),
    ("antiprotons",),
    ("fit",), ("fit", "propagation"),
]

_PROBE = """
import contextlib, io, json, sys
import positrons.cli
out = io.StringIO()
try:
    with contextlib.redirect_stdout(out):
        positrons.cli.main(sys.argv[1:] + ["--help"])
except SystemExit as exc:
    code = exc.code
else:
    code = None
print(json.dumps({"code": code, "help": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def _probe(words):
    run = subprocess.run([sys.executable, "-c", _PROBE, *words], capture_output=True, text=True, check=True)
    return json.loads(run.stdout)


def _offending(modules):
    heavy = [m for m in modules if m.split(".")[0] in HEAVY]
    library = [m for m in modules if m.split(".")[0] == "positrons"
               and m not in LIGHT and not m.startswith("positrons.commands.")]
    return heavy[:5] + library


@pytest.mark.parametrize("words", CHECKED, ids=lambda w: " ".join(w) or "top-level")
def test_help_imports_no_physics(words):
    result = _probe(words)
    assert result["code"] == 0
    assert "usage: positrons" in result["help"]
    assert _offending(result["modules"]) == []


def test_every_command_is_checked_or_listed():
    """A new command lands in the list above."""
    named = {w[0] for w in CHECKED if w}
    assert named == set(cli.COMMANDS)


def test_the_checker_sees_an_import():
    """The probe does see a module imported while the help is built (here: numpy, on purpose)."""
    assert _offending(["numpy", "positrons.units", "positrons.commands.data"]) == ["numpy", "positrons.units"]


def _subparser_helps(parser):
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {choice.dest: choice.help for choice in action._choices_actions}


def test_the_command_table_matches_the_modules():
    """The one-line helps of ``positrons --help`` (from the table) are the modules' own."""
    assert _subparser_helps(cli.build_parser()) == _subparser_helps(cli.build_parser([]))
    assert cli.build_parser([]).format_help() == cli.build_parser().format_help()


def test_literal_choices_match_the_library():
    """Choices written in the light command modules agree with the library's."""
    from positrons import kinematics, magnetosphere
    from positrons.commands import belt, modulate
    from positrons.magnetosphere import pion_source, trapped_protons

    assert modulate.SPECIES_NAMES == tuple(kinematics.SPECIES)
    assert belt.DECAY_MODELS == tuple(magnetosphere.DECAY_MODELS)
    assert belt.ENERGY_VARIABLES == tuple(magnetosphere.ENERGY_VARIABLES)
    assert belt.INTERPOLATIONS == tuple(pion_source.INTERPOLATIONS)
    assert belt.PROTON_SOURCES == tuple(trapped_protons.PROTON_SOURCES)
