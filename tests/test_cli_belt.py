"""`positrons belt` run in-process as a user would.

Compared against: the library (the CLI must print exactly what BeltModel computes), and
the one-line error contract of the CLI (exit status 2, one line on stderr).
"""

import json

import pytest

from positrons.magnetosphere import BeltModel, table_pion_production
from clitools import csv_table as _table, run

COLUMNS = ["E_GeV", "I_pos_gt_E", "I_ele_gt_E", "I_pos_gt_E_synch", "I_ele_gt_E_synch"]


def test_csv_matches_the_library_and_carries_the_ratio(capsys):
    code, out, _ = run(capsys, "belt", "--L", "1.2", "--rho", "1e-18", "--energies", "0.01:0.2:5")
    assert code == 0
    names, rows = _table(out)
    assert names == COLUMNS
    model = BeltModel(table_pion_production(), L=1.2, density=1e-18)
    assert rows[:, 3] == pytest.approx(model.integral_flux(rows[:, 0], +1, True), rel=1e-14)
    assert rows[:, 2] == pytest.approx(model.integral_flux(rows[:, 0], -1, False), rel=1e-14)
    ratio_line = [line for line in out.splitlines() if line.startswith("# e+/e- ratio above 20 MeV")]
    assert len(ratio_line) == 1 and "3.157 (with synchrotron loss)" in ratio_line[0]


def test_json_exact_decay_and_plot(capsys, tmp_path):
    png = tmp_path / "belt.png"
    code, out, _ = run(capsys, "belt", "--decay", "exact", "--B-gauss", "0.2", "--format", "json",
                       "--energies", "0.01:0.1:3", "--plot", str(png))
    assert code == 0
    payload = json.loads(out)
    assert list(payload["columns"]) == list(payload["data"]) == COLUMNS
    assert payload["columns"]["I_pos_gt_E"] == "1 / (s sr m2)" and len(payload["data"]["E_GeV"]) == 3
    assert payload["meta"]["summary"]["ratio_pos_ele_synch"] > 1
    assert any("B = 0.2 G (given)" in note for note in payload["meta"]["notes"])
    assert png.stat().st_size > 20_000


def test_a_user_proton_spectrum_opens_other_shells(capsys, tmp_path):
    # the L = 1.2 table written to a file and used at L = 1.5: same pions, other B
    from positrons.magnetosphere import trapped_protons as tp

    path = tmp_path / "protons.csv"
    rows = "\n".join(f"{e * 1e-3!r},{j!r}" for e, j in zip(tp.MARTIN1995_L12_ENERGIES_MEV, tp.MARTIN1995_L12_INTEGRAL_FLUX))
    path.write_text("# test\nE_GeV,J_gt_E\n" + rows + "\n")
    code, out, _ = run(capsys, "belt", "--L", "1.5", "--pion-source", "computed", "--protons-file", str(path),
                       "--energies", "0.01:0.1:3")
    assert code == 0 and "B = 0.09244 G" in out
    path.write_text("E_GeV,J_gt_E\n0.1,1\n0.2,2\n")
    code, _, err = run(capsys, "belt", "--L", "1.5", "--pion-source", "computed", "--protons-file", str(path))
    assert code == 2 and "decreasing" in err and len(err.strip().splitlines()) == 1


def test_mirror_altitude_sets_density_and_synchrotron_field_together(capsys):
    # with --mirror-altitude both the MSIS density and the synchrotron field are bounce-averaged
    # for the same particles: the CLI must print what BeltModel computes with both
    pytest.importorskip("pymsis")
    from positrons.magnetosphere import MSISAtmosphere, drift_shell_density

    code, out, _ = run(capsys, "belt", "--rho", "msis", "--mirror-altitude", "800", "--energies", "0.02:0.1:3")
    assert code == 0
    shell = drift_shell_density(1.2, MSISAtmosphere(), mirror_altitude_km=800.0)
    model = BeltModel(table_pion_production(), L=1.2, density=shell.density, mirror_altitude_km=800.0)
    _, rows = _table(out)
    assert rows[:, 3] == pytest.approx(model.integral_flux(rows[:, 0], +1, True), rel=1e-12)
    assert any("bounce average" in line and "800 km" in line for line in out.splitlines())
