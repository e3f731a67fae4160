"""Every recipe of the docs runs as written: the ``positrons`` command lines of the fenced
```bash blocks and the fenced ```python blocks of docs/*.md.

Each document runs in its own fresh directory holding a copy of ``examples/``, its blocks in
the order they appear (a later command may read a file an earlier one wrote); each Python
block runs alone, in a fresh namespace, as a user pasting it would.  A block marked with
``<!-- norun -->`` on the line before it is left out: only production-size runs are marked
(the converged grid), and the document then shows a quick variant that runs here.  Recipes
use quick settings (a coarse grid), so the whole set runs in about a minute.
"""

import shutil
from pathlib import Path

import pytest
from clitools import NORUN, command_lines, fenced_blocks, run_line

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md"))


def _recipes(path: Path):
    return fenced_blocks(path, languages=("bash", "python"))


def _with_recipes():
    return [p for p in DOCS if _recipes(p)]


def test_the_docs_have_recipes_and_mark_few_as_not_runnable():
    documents = _with_recipes()
    assert len(documents) >= 8, [p.name for p in documents]
    commands = [w for p in DOCS for lang, _, text in _recipes(p) if lang == "bash" for w in command_lines(text)]
    assert len(commands) >= 15
    marked = sum(p.read_text().count(NORUN) for p in DOCS)
    assert marked <= 5, f"{marked} blocks marked {NORUN}: keep it for production-size runs only"


def test_every_bash_block_is_a_command_line():
    """A ```bash block holds commands to run, not a synopsis ('[--option]' goes in a plain block)."""
    for path in DOCS:
        for lang, line, text in _recipes(path):
            if lang != "bash":
                continue
            lines = command_lines(text)
            assert lines, f"{path.name}:{line}: a bash block without a positrons command"
            for words in lines:
                assert not any(w.startswith("[") for w in words), f"{path.name}:{line}: {' '.join(words)}"


@pytest.mark.slow
@pytest.mark.parametrize("path", _with_recipes(), ids=lambda p: p.name)
def test_every_docs_recipe_runs(path, tmp_path, monkeypatch, capsys):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    for lang, line, text in _recipes(path):
        where = f"{path.name}:{line}"
        if lang == "bash":
            for words in command_lines(text):
                run_line(words, capsys)
        else:
            code = compile(text, where, "exec")
            try:
                exec(code, {"__name__": "__main__"})
            except Exception as exc:  # noqa: BLE001 - name the recipe that failed
                raise AssertionError(f"the Python recipe at {where} fails: {exc!r}") from exc
            finally:
                plt.close("all")
            capsys.readouterr()
