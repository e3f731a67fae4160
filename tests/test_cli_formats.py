"""Every command that prints numbers prints them in four formats that read back to the same numbers.

``--format csv`` is the reference (numbers as Python ``repr``: exact); ``json`` and ``ecsv`` must
give exactly the same numbers (``repr`` round trip), ``table`` the same to its 7 printed digits
(rtol 1e-6).  Each format must also name every column's unit, carry the settings and the
package version (analysis/_output.py documents the layouts).  Parsed with the readers a user
would use: ``numpy.loadtxt`` and astropy's ``ascii.csv`` for csv, ``json.loads``, astropy's
``ascii.ecsv`` and ``ascii.basic`` (table).
"""

import io
import json

import numpy as np
import pytest
from astropy.table import Table
from clitools import run

from positrons import __version__

#: a coarse transport grid: the numbers differ from the converged ones, the formats do not
GRID = ["--dR", "2", "--dz", "0.2", "--dz-max", "0.5", "--energy-points-per-decade", "8"]

COMMANDS = {
    "secondary cross-section": ["secondary", "cross-section", "--projectile-energy", "10", "--energies", "0.01:5:4"],
    "secondary source": ["secondary", "source", "--model", "kamae2006", "--energies", "0.1:100:3"],
    "pbh spectrum": ["pbh", "spectrum", "--mass", "1e16", "--energies", "1e-3:0.1:4"],
    "pbh lifetime": ["pbh", "lifetime", "--mass", "1e15"],
    "pbh limits": ["pbh", "limits", "--masses", "1e15:1e17:3", *GRID],
    "propagate": ["propagate", "--source", "pbh", "--mass", "1e16", "--energies", "0.01:10:4", *GRID],
    "fraction": ["fraction", "--model", "DB", "--energies", "1:100:3", *GRID],
    "modulate": ["modulate", "--lis", "{lis}", "--phi", "0.5"],
    "belt": ["belt", "--energies", "0.01:0.2:4"],
    "models list": ["models", "list"],
}
#: units every command must state for these columns (the column convention: the unit in the name)
UNITS = {"E_kin_GeV": "GeV", "flux_per_GeV_m2_s_sr": "1 / (GeV s sr m2)", "M_g": "g", "E_GeV": "GeV"}


def _csv_numbers(text):
    """(names, 2D array) of the csv format read with numpy, skipping the '#' lines."""
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    return lines[0].split(","), np.loadtxt(io.StringIO("\n".join(lines[1:])), delimiter=",", ndmin=2)


def _numeric_only(text, fmt):
    """``text`` without the first (text) column, in the same format (for ``models list``)."""
    if fmt == "json":
        doc = json.loads(text)
        for part in ("columns", "data"):
            doc[part].pop("name")
        return json.dumps(doc)
    if fmt == "ecsv":
        table = Table.read(text, format="ascii.ecsv")
        table.remove_column("name")
        buffer = io.StringIO()
        table.write(buffer, format="ascii.ecsv")
        return buffer.getvalue()
    separator = "," if fmt == "csv" else None
    lines = []
    for line in text.splitlines():
        if line.startswith("#"):
            lines.append(line)
        else:
            cells = line.split(separator)[1:]
            lines.append(",".join(cells) if fmt == "csv" else "  ".join(cells))
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def lis_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("lis") / "lis.csv"
    T = np.geomspace(0.5, 50.0, 6)
    path.write_text("E_kin_GeV,flux\n" + "".join(f"{float(t)!r},{1e-2 * float(t) ** -3.2!r}\n" for t in T))
    return str(path)


def _outputs(capsys, argv):
    texts = {}
    for fmt in ("csv", "json", "ecsv", "table"):
        code, out, err = run(capsys, *argv, "--format", fmt)
        assert code == 0, err
        texts[fmt] = out
    return texts


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_format_reads_back_to_the_same_numbers(capsys, name, lis_file):
    argv = [word.format(lis=lis_file) for word in COMMANDS[name]]
    texts = _outputs(capsys, argv)

    texts = {fmt: _numeric_only(text, fmt) for fmt, text in texts.items()} if name == "models list" else texts
    names, reference = _csv_numbers(texts["csv"])
    csv_table = Table.read(texts["csv"], format="ascii.csv", comment="#")
    assert csv_table.colnames == names
    np.testing.assert_array_equal(np.column_stack([np.asarray(csv_table[n], float) for n in names]), reference)
    assert f"# positrons {__version__}" in texts["csv"] and "# columns: " in texts["csv"]
    assert "# setting: " in texts["csv"]

    doc = json.loads(texts["json"])
    assert set(doc) == {"meta", "columns", "data"}
    assert list(doc["columns"]) == list(doc["data"]) == names
    assert doc["meta"]["positrons_version"] == __version__ and doc["meta"]["settings"]
    from_json = np.column_stack([np.array(doc["data"][n], dtype=float) for n in names])
    np.testing.assert_array_equal(from_json, reference)

    ecsv = Table.read(texts["ecsv"], format="ascii.ecsv")
    assert ecsv.colnames == names and ecsv.meta["positrons_version"] == __version__
    np.testing.assert_array_equal(np.column_stack([np.asarray(ecsv[n], float) for n in names]), reference)
    for column, unit in doc["columns"].items():
        assert (ecsv[column].unit.to_string() if ecsv[column].unit is not None else "") == unit
        if column in UNITS:
            assert unit == UNITS[column]

    table = Table.read(texts["table"], format="ascii.basic")
    assert table.colnames == names
    np.testing.assert_allclose(np.column_stack([np.asarray(table[n], float) for n in names]), reference, rtol=1e-6)


def test_the_suffix_of_output_chooses_the_format(capsys, tmp_path):
    for suffix, read in ((".json", lambda p: json.loads(p.read_text())["data"]["E_kin_GeV"]),
                         (".ecsv", lambda p: list(Table.read(p, format="ascii.ecsv")["E_kin_GeV"])),
                         (".csv", lambda p: list(Table.read(p, format="ascii.csv", comment="#")["E_kin_GeV"]))):
        path = tmp_path / f"q{suffix}"
        code, out, err = run(capsys, *COMMANDS["secondary cross-section"], "--output", str(path))
        assert code == 0 and out == "" and f"wrote {path}" in err
        assert np.allclose(read(path), np.geomspace(0.01, 5, 4), rtol=1e-15)


def test_data_show_formats_read_back(capsys):
    """``data show`` prints the shipped files' own layouts (a measurement, not a result)."""
    _, csv_text, _ = run(capsys, "data", "show", "ams02_positron_fraction_prl2019", "--format", "csv")
    _, ecsv_text, _ = run(capsys, "data", "show", "ams02_positron_fraction_prl2019", "--format", "ecsv")
    _, json_text, _ = run(capsys, "data", "show", "ams02_positron_fraction_prl2019", "--format", "json")
    ecsv = Table.read(ecsv_text, format="ascii.ecsv")
    csv = Table.read(csv_text, format="ascii.csv", comment="#")
    doc = json.loads(json_text)
    assert len(ecsv) == len(csv) > 10
    assert ecsv.meta and doc["meta"]
    np.testing.assert_array_equal(np.asarray(ecsv.columns[2], float), np.asarray(csv.columns[2], float))


@pytest.mark.parametrize("fmt", ["csv", "table", "json", "ecsv"])
def test_propagate_output_is_a_modulate_input(capsys, tmp_path, fmt):
    """Outputs that chain: propagate's output, in any format, is modulate's --lis unchanged
    (the same numbers to the table's 7 digits)."""
    lis = tmp_path / "lis.out"
    code, _, err = run(capsys, *COMMANDS["propagate"], "--format", fmt, "--output", str(lis))
    assert code == 0, err
    code, out, err = run(capsys, "modulate", "--lis", str(lis), "--phi", "0.5", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert np.allclose(doc["data"]["E_kin_GeV"], np.geomspace(0.01, 10, 4), rtol=1e-6)
    assert all(f > 0 for f in doc["data"]["flux_TOA"])
    reference = tmp_path / "lis.csv"
    run(capsys, *COMMANDS["propagate"], "--output", str(reference))
    _, out, _ = run(capsys, "modulate", "--lis", str(reference), "--phi", "0.5", "--format", "json")
    np.testing.assert_allclose(doc["data"]["flux_TOA"], json.loads(out)["data"]["flux_TOA"], rtol=1e-6)
