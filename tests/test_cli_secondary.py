"""`positrons secondary ...` run in-process as a user would."""

import numpy as np

from positrons.cross_sections import get_model
from clitools import csv_table as _table, run


def test_cross_section_csv(capsys):
    code, out, _ = run(capsys, "secondary", "cross-section", "--model", "kamae2006", "--projectile-energy", "10",
                       "--energies", "0.01:5:6")
    assert code == 0
    names, rows = _table(out)
    assert names == ["E_kin_GeV", "dsigma_dE_mb_per_GeV"]
    expected = get_model("kamae2006").dsigma_dT(10.0, rows[:, 0], "positron")
    assert np.allclose(rows[:, 1], expected, rtol=1e-15)


def test_source_csv_and_plot(capsys, tmp_path):
    png = tmp_path / "q.png"
    code, out, _ = run(capsys, "secondary", "source", "--model", "kamae2006", "--species", "electron", "--n-h", "2",
                       "--energies", "0.1:100:4", "--plot", str(png))
    assert code == 0
    names, rows = _table(out)
    assert names == ["E_kin_GeV", "q_per_GeV_cm3_s"]
    assert np.all(rows[:, 1] > 0)
    assert png.stat().st_size > 20_000
