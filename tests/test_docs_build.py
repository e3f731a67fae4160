"""The documentation site builds without a warning (Sphinx ``-W``): every page of docs/, the
command-line reference generated from ``--help`` and the API reference from the docstrings."""

import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.slow
def test_sphinx_site_builds_without_warnings(tmp_path):
    pytest.importorskip("sphinx")
    pytest.importorskip("myst_parser")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", "-d", str(tmp_path / "doctrees"),
         str(DOCS), str(tmp_path / "html")],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    cli = (tmp_path / "html" / "cli.html").read_text()
    assert "positrons pbh limits" in cli and "--energy-points-per-decade" in cli
    assert (tmp_path / "html" / "_api" / "positrons.propagation.html").exists()


def test_every_docs_page_is_in_the_site():
    """A page left out of the toctree would build with a warning; this says which."""
    index = (DOCS / "index.md").read_text()
    pages = {p.stem for p in DOCS.glob("*.md")} - {"index", "api", "cli"}
    missing = sorted(p for p in pages if f"\n{p}\n" not in index)
    assert not missing, f"docs pages not in docs/index.md: {missing}"
