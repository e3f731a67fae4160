"""Every ``positrons`` command of the README's command blocks runs as written, in order, in one
fresh directory (a later command may read a file an earlier one wrote), with the shipped data
and the files of ``examples/``.  Pipes (``a | b``) and output redirection (``> FILE``) are
carried out as a shell would."""

import shutil
from pathlib import Path

import pytest
from clitools import command_lines, fenced_blocks, run_line

from positrons.cli import main

ROOT = Path(__file__).resolve().parents[1]


def readme_commands(path: Path = ROOT / "README.md") -> list[list[str]]:
    """The ``positrons`` command lines of the fenced bash blocks of ``path``, as word lists
    (comments stripped, backslash continuations joined, ``pip install ... &&`` prefixes dropped)."""
    return [words for _, _, text in fenced_blocks(path) for words in command_lines(text)]


def test_the_readme_has_commands_to_run():
    commands = readme_commands()
    assert len(commands) >= 15
    assert commands[0][:3] == ["positrons", "pbh", "limits"]  # the headline command comes first


@pytest.mark.slow
def test_every_readme_command_runs(tmp_path, monkeypatch, capsys):
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    for words in readme_commands():
        run_line(words, capsys)
    assert Path("my.toml").read_text().startswith("# Propagation model MED")


@pytest.mark.slow
def test_a_shown_preset_gives_the_numbers_of_the_preset(tmp_path, monkeypatch, capsys):
    """``positrons models show MED > m.toml && positrons pbh limits --model m.toml`` gives the
    limits of ``--model MED``."""
    monkeypatch.chdir(tmp_path)
    run_line(["positrons", "models", "show", "MED", ">", "m.toml"], capsys)
    limits = {}
    for model in ("MED", "m.toml"):
        assert main(["pbh", "limits", "--model", model, "--masses", "1e16:5e16:3", "--output", f"{model}.ecsv"]) == 0
        capsys.readouterr()
        from astropy.table import Table

        limits[model] = Table.read(f"{model}.ecsv")["f_PBH_limit"]
    assert list(limits["MED"]) == list(limits["m.toml"])


def test_the_worked_example_of_a_new_source_runs(capsys):
    """examples/new_source.py (docs/architecture.md) on a coarse grid: a finite, positive limit
    set by a point inside the chosen range."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("new_source", ROOT / "examples" / "new_source.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    limit = module.main()
    assert 0 < limit.f < float("inf") and 1.0 <= limit.driving_energy_GeV <= 50.0
    assert "largest strength allowed" in capsys.readouterr().out
