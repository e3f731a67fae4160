"""Helpers shared by the command-line tests: run ``positrons`` in-process, read its CSV."""

import io

import numpy as np

from positrons.cli import main


def run(capsys, *argv):
    """(exit status, stdout, stderr) of ``positrons *argv``."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def csv_table(out):
    """(column names, rows) of a CSV printed with ``#`` header lines."""
    lines = [line for line in out.splitlines() if not line.startswith("#")]
    return lines[0].split(","), np.loadtxt(io.StringIO("\n".join(lines[1:])), delimiter=",", ndmin=2)
