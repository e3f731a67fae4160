"""The table reader for Orusa et al. (2022), on a synthetic file in the published layout.

The published tables cannot be shipped (not reachable here); the reader is tested on a file
written in their layout (T_n, T_e, 18 reaction columns; T_e fastest) whose values come from
kamae2006, so interpolation errors can be measured.
"""

import os

import numpy as np
import pytest

from positrons.cross_sections import get_model
from positrons.cross_sections.orusa2022 import OrusaTablesMissing, orusa2022_model, read_table


def _write(directory, lepton_stem, scale_he=3.0):
    kamae = get_model("kamae2006")
    lepton = "positron" if lepton_stem == "positrons" else "electron"
    T_n = np.geomspace(0.5, 5e5, 120)
    T_e = np.geomspace(0.01, 1e4, 90)
    lines = ["# synthetic table in the layout of Orusa et al. (2022)", "T_proj T_e pp pHe ..."]
    for tp in T_n:
        pp = kamae.dsigma_dT(tp, T_e, lepton)
        for te, s in zip(T_e, pp):
            cols = [tp, te, s, scale_he * s] + [0.0] * 4 + [2.5 * s, 5.0 * s] + [0.0] * 10
            lines.append(" ".join(f"{c:.8e}" for c in cols))
    (directory / f"supplementary_table_{lepton_stem}_best_fit.dat").write_text("\n".join(lines) + "\n")


@pytest.fixture()
def table_dir(tmp_path):
    _write(tmp_path, "positrons")
    _write(tmp_path, "electrons")
    return tmp_path


def test_reader_and_interpolation(table_dir):
    model = orusa2022_model(table_dir)
    kamae = get_model("kamae2006")
    T_e = np.geomspace(0.05, 50, 15)
    for T_p in (3.3, 47.0, 880.0):
        ours = model.dsigma_dT(T_p, T_e[T_e < 0.3 * T_p])
        ref = kamae.dsigma_dT(T_p, T_e[T_e < 0.3 * T_p])
        # 20 points per decade in T_n, 10 in T_e: bilinear log-log interpolation of a smooth
        # function is good to a few per cent (Kamae's resonance steps sit at 1.95 GeV)
        assert np.allclose(ours, ref, rtol=0.06)


def test_helium_columns_come_from_the_table(table_dir):
    model = orusa2022_model(table_dir)
    pp = model.dsigma_dT(100.0, 1.0)
    assert model.dsigma_dT(100.0, 1.0, reaction="pHe") == pytest.approx(3.0 * pp, rel=1e-6)
    assert model.dsigma_dT(100.0, 1.0, reaction="Hep") == pytest.approx(2.5 * pp, rel=1e-6)
    assert model.dsigma_dT(100.0, 1.0, reaction="HeHe") == pytest.approx(5.0 * pp, rel=1e-6)


def test_missing_tables_give_instructions(tmp_path, monkeypatch):
    monkeypatch.delenv("POSITRONS_ORUSA2022_DIR", raising=False)
    with pytest.raises(OrusaTablesMissing, match="POSITRONS_ORUSA2022_DIR"):
        get_model("orusa2022")
    with pytest.raises(OrusaTablesMissing, match="not found"):
        orusa2022_model(tmp_path)


def test_malformed_table_refused(tmp_path):
    bad = tmp_path / "t.dat"
    bad.write_text("1 2 3\n4 5 6\n")
    with pytest.raises(ValueError, match=">= 10 columns"):
        read_table(bad)
    bad.write_text("\n".join(" ".join(["1"] * 10) for _ in range(3)))
    with pytest.raises(ValueError, match="grid"):
        read_table(bad)


def test_fetch_from_a_mirror_then_use(table_dir, tmp_path):
    """fetch_tables on a file:// mirror: files and README land in place, the model reads them."""
    from positrons.cross_sections.orusa2022 import fetch_tables

    (table_dir / "README.md").write_text("tables of Orusa et al. (2022)\n")
    target = tmp_path / "fetched"
    written = fetch_tables(target, base_url=table_dir.as_uri(), bands=("best_fit",))
    assert sorted(p.name for p in written) == sorted(
        ["README.md", "supplementary_table_positrons_best_fit.dat", "supplementary_table_electrons_best_fit.dat"]
    )
    umask = os.umask(0)
    os.umask(umask)
    assert all(p.stat().st_mode & 0o777 == 0o666 & ~umask for p in written)  # not tempfile's 0600
    assert not list(target.glob(".*"))  # no temporary files left
    assert orusa2022_model(target).dsigma_dT(47.0, 1.0) == pytest.approx(orusa2022_model(table_dir).dsigma_dT(47.0, 1.0))


def test_fetch_refuses_a_bad_download(table_dir, tmp_path):
    from positrons.cross_sections.orusa2022 import fetch_tables

    (table_dir / "README.md").write_text("readme\n")
    (table_dir / "supplementary_table_electrons_best_fit.dat").write_text("<html>404: Not Found</html>\n")
    target = tmp_path / "fetched"
    with pytest.raises(ValueError, match="not a table in the published layout"):
        fetch_tables(target, base_url=table_dir.as_uri(), bands=("best_fit",))
    assert not (target / "supplementary_table_electrons_best_fit.dat").exists()
    assert not list(target.glob(".*"))
    with pytest.raises(OrusaTablesMissing, match="could not download"):
        fetch_tables(target, base_url=(tmp_path / "nowhere").as_uri(), bands=("best_fit",))


def test_fetch_refuses_a_cut_table_and_keeps_the_old_files(table_dir, tmp_path):
    """A download cut at a projectile block still parses as a grid: the published-grid check
    refuses it, and tables already in the target stay as they were."""
    from positrons.cross_sections.orusa2022 import fetch_tables

    good = tmp_path / "good"
    fetch_tables(good, base_url=str(table_dir), bands=("best_fit",))  # a plain path works too
    before = (good / "supplementary_table_positrons_best_fit.dat").read_bytes()
    path = table_dir / "supplementary_table_electrons_best_fit.dat"
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines[: 2 + 90 * 50]) + "\n")  # header + 50 of 120 projectile blocks
    with pytest.raises(ValueError, match="not the published grid"):
        fetch_tables(good, base_url=str(table_dir), bands=("best_fit",))
    assert (good / "supplementary_table_positrons_best_fit.dat").read_bytes() == before
    assert len(read_table(good / "supplementary_table_electrons_best_fit.dat")[0]) == 120
    assert not list(good.glob(".*"))


def test_fetch_command(table_dir, tmp_path, capsys):
    from positrons.cli import main

    (table_dir / "README.md").write_text("readme\n")
    target = tmp_path / "t"
    assert main(["secondary", "fetch-orusa2022", str(target), "--base-url", table_dir.as_uri()]) == 0
    assert "POSITRONS_ORUSA2022_DIR" in capsys.readouterr().out
    assert (target / "supplementary_table_positrons_best_fit.dat").is_file()
    assert main(["secondary", "fetch-orusa2022", str(tmp_path / "u"), "--base-url", (tmp_path / "no").as_uri()]) == 2
    assert "could not download supplementary_table_positrons_best_fit.dat" in capsys.readouterr().err
