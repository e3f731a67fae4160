"""Feedback on long work, as a user sees it: on a terminal each long command says in one line
what it computes and draws progress bars on standard error; piped, or with --quiet, it says
nothing there (standard output carries the numbers only, in either case)."""

import io
import sys

import pytest
from clitools import run

GRID = ["--dR", "2", "--dz", "0.2", "--dz-max", "0.5", "--energy-points-per-decade", "8"]

#: command line -> (words of the summary line, label of a progress bar)
LONG_COMMANDS = {
    "fraction": (["fraction", "--model", "DB", "--energies", "1:100:3", *GRID],
                 "positrons fraction: model DB", "secondary e+, e- and primary e-"),
    "propagate": (["propagate", "--source", "pbh", "--mass", "1e16", "--energies", "0.01:10:3", *GRID],
                  "positrons propagate: positrons from PBHs", "source, then transport solve"),
    "pbh limits": (["pbh", "limits", "--masses", "1e15:1e17:3", *GRID],
                   "positrons pbh limits: model MED", "limits, one per mass"),
    "secondary source": (["secondary", "source", "--energies", "0.1:100:3"],
                         "positrons secondary source: positron source term", None),
    "secondary cross-section --plot": (["secondary", "cross-section", "--projectile-energy", "10", "--plot",
                                        "{lis}.png"], "positrons secondary cross-section: the figure draws",
                                       "cross-section models"),
    "belt": (["belt", "--pion-source", "computed", "--energies", "0.01:0.2:4"],
             "positrons belt: L = 1.2, the pion production from trapped protons", None),
    "modulate drift": (["modulate", "--lis", "{lis}", "--species", "electron", "--method", "drift",
                        "--period", "ams02_2011_2018"], "positrons modulate: electron LIS through the 2D heliosphere",
                       None),
}


@pytest.fixture(scope="module")
def lis_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("lis") / "lis.csv"
    path.write_text("E_kin_GeV,flux\n" + "".join(f"{t},{1e-2 * t ** -3.2!r}\n" for t in (0.5, 1.0, 5.0, 20.0)))
    return str(path)


class _Terminal(io.StringIO):
    """Standard error as a terminal (tqdm and Feedback ask ``isatty``)."""

    def isatty(self):
        return True


@pytest.mark.parametrize("name", list(LONG_COMMANDS))
def test_a_terminal_gets_the_summary_and_the_bars(capsys, monkeypatch, name, lis_file):
    argv, summary, bar = LONG_COMMANDS[name]
    argv = [word.format(lis=lis_file) for word in argv]
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code, out, _ = run(capsys, *argv)
    text = terminal.getvalue()
    assert code == 0, text
    assert summary in text.splitlines()[0]
    if bar is not None:
        assert bar in text
    assert out and not out.startswith("positrons")  # the numbers alone on standard output


@pytest.mark.parametrize("name", list(LONG_COMMANDS))
def test_quiet_and_pipes_get_nothing(capsys, monkeypatch, name, lis_file):
    argv, summary, _ = LONG_COMMANDS[name]
    argv = [word.format(lis=lis_file) for word in argv]
    code, out, err = run(capsys, *argv)  # standard error captured: not a terminal
    assert code == 0 and out and _only_files_written(err)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code, out, _ = run(capsys, *argv, "--quiet")
    assert code == 0 and out and _only_files_written(terminal.getvalue())


def _only_files_written(err: str) -> bool:
    """Nothing on standard error but the 'wrote FILE' lines of a figure."""
    return all(line.startswith("wrote ") for line in err.splitlines())


def test_the_all_campaign_reports_through_the_same_feedback(monkeypatch, tmp_path):
    """``pbh limits --all`` tells its plan and draws one bar over the scans (tqdm), not an
    always-on text bar: silent under --quiet."""
    seen = []

    def fake_campaign(masses, settings, scheduler, progress, grid_note_suffix):
        seen.append(progress)
        raise ValueError("stop here")

    monkeypatch.setattr("positrons.analysis.pbh_campaign.limit_figure_campaign", fake_campaign)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    from positrons.cli import main

    assert main(["pbh", "limits", "--all", "--quick", "--scheduler", "none", "--output", str(tmp_path / "campaign")]) == 2
    assert "positrons pbh limits --all:" in terminal.getvalue() and callable(seen[-1])
    seen[-1](1, 4, "a scan")
    assert "limit scans" in terminal.getvalue()
    quiet = _Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    assert main(["pbh", "limits", "--all", "--quick", "--scheduler", "none", "--quiet",
                 "--output", str(tmp_path / "campaign")]) == 2
    assert seen[-1] is None and "positrons pbh limits --all:" not in quiet.getvalue()
