"""Helpers shared by the command-line tests: run ``positrons`` in-process, read its CSV, and
extract and run the command lines and Python recipes of the README and the docs."""

import io
import shlex
import sys
from pathlib import Path

import numpy as np

from positrons.cli import main

#: a comment on the line before a fenced block that marks it as not run by the tests (only
#: for production-size runs; the document then shows a quick variant that is run)
NORUN = "<!-- norun -->"


def run(capsys, *argv):
    """(exit status, stdout, stderr) of ``positrons *argv``."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def csv_table(out):
    """(column names, rows) of a CSV printed with ``#`` header lines."""
    lines = [line for line in out.splitlines() if not line.startswith("#")]
    return lines[0].split(","), np.loadtxt(io.StringIO("\n".join(lines[1:])), delimiter=",", ndmin=2)


def fenced_blocks(path: Path, languages=("bash", "sh")) -> list[tuple[str, int, str]]:
    """(language, first line number, text) of the fenced blocks of ``path`` in ``languages``,
    in order, leaving out a block whose previous non-blank line is :data:`NORUN`."""
    blocks, lines = [], Path(path).read_text().splitlines()
    i = 0
    while i < len(lines):
        fence = lines[i].strip()
        if fence.startswith("```") and len(fence) > 3:
            end = next(j for j in range(i + 1, len(lines)) if lines[j].strip() == "```")
            previous = next((lines[j].strip() for j in range(i - 1, -1, -1) if lines[j].strip()), "")
            if fence[3:] in languages and previous != NORUN:
                blocks.append((fence[3:], i + 2, "\n".join(lines[i + 1:end])))
            i = end
        i += 1
    return blocks


def command_lines(text: str) -> list[list[str]]:
    """The ``positrons`` command lines of a shell block, as word lists (comments stripped,
    backslash continuations joined, ``pip install ... &&`` prefixes dropped)."""
    commands, pending = [], ""
    for line in text.splitlines():
        line = pending + line
        if line.rstrip().endswith("\\"):
            pending = line.rstrip()[:-1] + " "
            continue
        pending = ""
        words = shlex.split(line, comments=True)
        if "&&" in words:
            words = words[len(words) - words[::-1].index("&&"):]
        if words and words[0] == "positrons":
            commands.append(words)
    return commands


def run_line(words: list[str], capsys) -> None:
    """Run one command line: ``positrons ... [| positrons ...] [> FILE]``, as a shell would."""
    target = None
    if ">" in words:
        i = words.index(">")
        words, target = words[:i], words[i + 1]
    stdin = None
    stages = [[]]
    for w in words:
        if w == "|":
            stages.append([])
        else:
            stages[-1].append(w)
    for stage in stages:
        assert stage[0] == "positrons", stage
        saved = sys.stdin
        if stdin is not None:
            sys.stdin = io.StringIO(stdin)
        try:
            code = main(stage[1:])
        except SystemExit as exc:  # --version and --help end through argparse
            code = exc.code
        finally:
            sys.stdin = saved
        out, err = capsys.readouterr()
        assert code == 0, f"{' '.join(stage)} -> exit {code}: {err.strip()[-600:]}"
        stdin = out
    if target is not None:
        Path(target).write_text(stdin)
