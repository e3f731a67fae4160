"""The command line, run in-process through ``positrons.cli.main`` as a user would type it."""

import argparse
import csv
import io
import json

import pytest

from positrons import __version__
from positrons.cli import main
from positrons.data import list_datasets, load
from clitools import run


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_data_list_shows_every_dataset(capsys):
    code, out, _ = run(capsys, "data", "list")
    assert code == 0
    for info in list_datasets():
        line = next(line for line in out.splitlines() if line.startswith(info.id + " "))
        assert info.experiment[:10] in line
        assert str(info.year) in line
        assert line.rstrip().endswith(str(info.n_points))
    assert "atnf_nearby_pulsars_derived" in out


def test_data_show_csv_keeps_every_number(capsys):
    code, out, _ = run(capsys, "data", "show", "ams02_positron_fraction_prl2019", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO("\n".join(line for line in out.splitlines() if not line.startswith("#")))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["T_low_GeV", "T_high_GeV", "T_GeV", "value"]
    ds = load("ams02_positron_fraction_prl2019")
    assert len(body) == ds.n_points == 74
    assert [float(r[3]) for r in body] == list(ds.value)
    assert float(body[0][3]) == 0.1309  # first AMS-02 bin, 0.5-0.65 GeV (PRL 122, 101101)


def test_data_show_json_and_output_file(capsys, tmp_path):
    out_file = tmp_path / "v.json"
    code, _, err = run(capsys, "data", "show", "voyager1_electron_lis_cummings2016", "--format", "json", "--output", str(out_file))
    assert code == 0 and "wrote" in err
    doc = json.loads(out_file.read_text())
    assert doc["meta"]["dataset_id"] == "voyager1_electron_lis_cummings2016"
    assert "missing_errors" in doc["meta"]["flags"]


def test_data_show_table_and_alias(capsys):
    code, out, _ = run(capsys, "data", "show", "ams02_positron_flux")
    assert code == 0
    assert out.startswith("ams02_positron_flux_prl2019")


@pytest.mark.parametrize(
    "argv,name",
    [
        (["data", "plot", "fraction"], "fraction.png"),
        (["data", "plot", "flux", "--species", "positron"], "positrons.png"),
        (["data", "plot", "ams02_positron_flux_prl2019", "pamela_positron_flux_2013"], "two.png"),
    ],
)
def test_plots_are_written(capsys, tmp_path, argv, name):
    target = tmp_path / name
    code, out, _ = run(capsys, *argv, "--output", str(target))
    assert code == 0
    assert target.stat().st_size > 20_000  # a real figure, not an empty canvas
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_fraction_figures_have_distinct_default_names(capsys, tmp_path, monkeypatch):
    """'data plot fraction' (the data alone) and 'fraction --plot' (a prediction) do not overwrite each other."""
    from positrons.cli import build_parser

    monkeypatch.chdir(tmp_path)
    code, _, _ = run(capsys, "data", "plot", "fraction")
    assert code == 0
    assert (tmp_path / "data_fraction.png").stat().st_size > 20_000
    assert build_parser().parse_args(["fraction", "--plot"]).plot == "fraction_prediction.png"


def test_validated_types_accept_what_they_should(tmp_path):
    """Good values of the types of positrons.commands._common (bad ones: test_bad_inputs.py)."""
    from positrons.commands import _common as c

    assert c.real(0.0, 5.0)("0") == 0.0 and c.real(0.0, 5.0)("5") == 5.0  # closed ends
    with pytest.raises(argparse.ArgumentTypeError, match="> 0"):
        c.positive()("0")
    assert list(c.log_grid("g", 5e14, 1e18, min_points=1)("1e16:1e16:1")) == [1e16]
    grid = c.log_grid("GeV")("1:100:3")
    assert grid == pytest.approx([1.0, 10.0, 100.0], rel=1e-12)
    assert c.output_file(str(tmp_path / "new.csv")) == str(tmp_path / "new.csv")
    assert not (tmp_path / "new.csv").exists()  # checked, not created
    assert c.output_directory(str(tmp_path / "a" / "b")) == str(tmp_path / "a" / "b")
    assert not (tmp_path / "a").exists()
    assert c.figure_file(str(tmp_path / "f.pdf")).endswith("f.pdf")
    assert c.dataset_id("fraction", ("positron",))("ams02_positron_fraction") == "ams02_positron_fraction"
    assert c.given_options(["pbh", "limits", "--mass=1e16", "--dR", "2", "-1"]) == {"--mass", "--dR"}


def test_an_option_is_refused_only_where_it_would_be_ignored(capsys):
    # --sigma is fine with a log-normal, refused without one (test_bad_inputs.py)
    code, out, err = run(capsys, "pbh", "spectrum", "--mass", "1e16", "--mass-function", "lognormal", "--sigma", "1",
                         "--energies", "1e-3:1e-2:2")
    assert code == 0 and err == ""
