"""``positrons modulate``, run in-process through ``positrons.cli.main`` as a user would type it.

Compared against: the library functions it wraps (the CSV must carry exactly
``modulate_band`` on the input energies, to the 10 printed digits), the published phi
table for ``--dataset``, and the documented refusals of malformed input (one line on
stderr, exit status 2, no traceback).
"""

import csv
import io

import numpy as np
import pytest

from positrons.cli import main
from positrons.heliosphere import force_field as ff

ENERGIES = np.geomspace(0.1, 200.0, 25)


def lis(T):
    T = np.asarray(T, dtype=float)
    return 1.6e-2 * (T / 10.0) ** -3.3 * ((T / (T + 2.0)) / (10.0 / 12.0)) ** 4


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def lis_file(tmp_path):
    path = tmp_path / "lis.csv"
    rows = "\n".join(f"{float(T)!r},{float(F)!r}" for T, F in zip(ENERGIES, lis(ENERGIES)))
    path.write_text("# an illustrative positron LIS\nE_kin_GeV,flux\n" + rows + "\n")
    return path


def parse(out):
    rows = list(csv.reader(io.StringIO("\n".join(line for line in out.splitlines() if not line.startswith("#")))))
    assert rows[0] == ["E_kin_GeV", "flux_TOA", "flux_TOA_low", "flux_TOA_high"]
    return np.array([[float(x) for x in row] for row in rows[1:]])


def test_force_field_output_is_the_library_band(capsys, lis_file):
    code, out, err = run(capsys, "modulate", "--lis", lis_file, "--species", "positron", "--phi", 0.55)
    assert code == 0 and err == ""
    table = parse(out)
    assert np.allclose(table[:, 0], ENERGIES, rtol=1e-9)  # same energies as the input
    central, low, high = ff.modulate_band(ENERGIES, (ENERGIES, lis(ENERGIES)), 0.55, 0.1, "positron")
    assert np.allclose(table[:, 1], central, rtol=1e-9)
    assert np.allclose(table[:, 2], low, rtol=1e-9)
    assert np.allclose(table[:, 3], high, rtol=1e-9)


def test_delta_phi_and_species(capsys, lis_file):
    _, out, _ = run(capsys, "modulate", "--lis", lis_file, "--species", "helium", "--phi", 0.4, "--delta-phi", 0.2)
    table = parse(out)
    central, low, high = ff.modulate_band(ENERGIES, (ENERGIES, lis(ENERGIES)), 0.4, 0.2, "helium")
    assert np.allclose(table[:, 1:], np.column_stack([central, low, high]), rtol=1e-9)


def test_parker_method(capsys, lis_file):
    code, out, _ = run(capsys, "modulate", "--lis", lis_file, "--phi", 0.5, "--method", "parker")
    assert code == 0
    table = parse(out)
    assert np.all(table[:, 2] <= table[:, 1]) and np.all(table[:, 1] <= table[:, 3])
    # above 2 GeV the Parker solution with the same force-field-equivalent phi is within 2 %
    # of the force field (tests/test_parker.py)
    sel = ENERGIES > 2.0
    force = ff.modulate(ENERGIES[sel], lis, 0.5)
    assert np.max(np.abs(table[sel, 1] / force - 1)) < 0.02


def test_phi_from_a_dataset(capsys, lis_file):
    code, out, err = run(capsys, "modulate", "--lis", lis_file, "--dataset", "ams02_positron_fraction_prl2014")
    assert code == 0
    assert "phi = 0.564 GV" in err and "AMS02(2011/05-2013/11)" in err
    central = ff.modulate(ENERGIES, (ENERGIES, lis(ENERGIES)), 0.564)
    assert np.allclose(parse(out)[:, 1], central, rtol=1e-9)


def test_output_file_table_format_and_plot(capsys, lis_file, tmp_path):
    out_file, png = tmp_path / "toa.txt", tmp_path / "toa.png"
    code, out, err = run(capsys, "modulate", "--lis", lis_file, "--phi", 0.3, "--format", "table", "--output", out_file, "--plot", png)
    assert code == 0 and out == ""
    assert f"wrote {out_file}" in err and f"wrote {png}" in err
    lines = [line for line in out_file.read_text().splitlines() if not line.startswith("#")]
    assert lines[0].split() == ["E_kin_GeV", "flux_TOA", "flux_TOA_low", "flux_TOA_high"]
    assert len(lines) == 1 + ENERGIES.size
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_help_explains_units_and_band(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["modulate", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    for words in ("E_kin_GeV,flux", "kinetic energy", "GeV", "per unit kinetic energy", "flux_TOA_low", "minimum/maximum", "phi - delta_phi", "GV", "parker", "force-field"):
        assert words in text, words


@pytest.mark.parametrize(
    "content, message",
    [
        ("E_kin_GeV,value\n1,2\n2,1\n", "missing column(s) flux"),
        ("energy,flux\n1,2\n2,1\n", "missing column(s) E_kin_GeV"),
        ("E_kin_GeV,flux\n1,2\n2,abc\n", "line 3: 'abc' in column flux is not a number"),
        ("E_kin_GeV,flux\n0,2\n2,1\n", "E_kin_GeV = 0 must be > 0"),
        ("E_kin_GeV,flux\n-1,2\n2,1\n", "must be > 0"),
        ("E_kin_GeV,flux\n2,2\n1,1\n", "not above the previous"),
        ("E_kin_GeV,flux\n1,2\n1,1\n", "strictly increasing"),
        ("E_kin_GeV,flux\n1,2\n2,-1\n", "flux = -1 must be > 0"),
        ("E_kin_GeV,flux\n1,2\n2,nan\n", "not a finite number"),
        ("E_kin_GeV,flux\n1,2\n", "at least 2 data rows"),
        ("", "no header row"),
    ],
)
def test_malformed_lis_is_refused_in_one_line(capsys, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    code, out, err = run(capsys, "modulate", "--lis", path, "--phi", 0.5)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("positrons: error: ") and "Traceback" not in err
    assert message in err
