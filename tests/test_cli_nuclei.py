"""``positrons nuclei ratio`` and ``positrons antiprotons`` in-process, on coarse grids, and the
analysis records behind them."""

import contextlib
import io
import json
import sys

import numpy as np
import pytest
from astropy import units as u
from clitools import csv_table, run

from positrons.analysis.nuclei import RATIO_DATASETS, nuclei_ratio, parse_ratio
from positrons.propagation.grid import GridSpec

GRID = ("--dR", "2", "--dz", "0.2", "--energy-points-per-decade", "5", "--no-cache")
COARSE = GridSpec(dR_kpc=2.0, dz_kpc=0.2, dz_max_kpc=0.5, energy_points_per_decade=5)


def test_parse_ratio():
    assert parse_ratio("B/C") == ("B", "C")
    assert parse_ratio("10Be/9Be") == ("10Be", "9Be")
    with pytest.raises(ValueError):
        parse_ratio("B")
    with pytest.raises(ValueError):
        parse_ratio("Xx/C")


def test_every_ratio_against_its_data_from_one_network():
    first = nuclei_ratio("B/C", "MED", transport=COARSE)
    for ratio in RATIO_DATASETS:
        res = nuclei_ratio(ratio, "MED", network=first.network)
        assert np.all(np.isfinite(res.ratio_toa[(res.T_n > 0.1) & (res.T_n < 1e3)]))
        assert any(c.n_points > 0 for c in res.comparisons)
        assert all(np.isfinite(c.chi2) for c in res.comparisons)
    bc = first.comparisons[0]
    assert np.all((bc.model / bc.value > 0.5) & (bc.model / bc.value < 1.5))  # MED: within 50 % of AMS-02


def test_cli_nuclei_ratio_csv_and_plot(capsys, tmp_path):
    png = tmp_path / "bc.png"
    code, out, err = run(capsys, "nuclei", "ratio", "B/C", "--model", "MIN", "--plot", str(png), *GRID)
    assert code == 0, err
    names, rows = csv_table(out)
    assert names == ["T_kin_GeV_per_n", "ratio_LIS", "ratio_TOA"]
    assert rows.shape[0] > 10 and png.stat().st_size > 1000
    assert "chi2" in err and "ams02_bc_ratio" in err


def test_cli_nuclei_ratio_json_toml_model(capsys, tmp_path):
    toml = tmp_path / "mine.toml"
    toml.write_text('name = "mine"\nz_h_kpc = 4.0\nD0_1e28_cm2_s = 4.0\neta = 1.0\ndelta1 = 0.4\nv_alfven_km_s = 20.0\n')
    code, out, err = run(capsys, "nuclei", "ratio", "10Be/9Be", "--model", str(toml), "--format", "json", *GRID)
    assert code == 0, err
    data = json.loads(out)
    settings = data["meta"]["settings"]
    assert settings["model"] == "mine" and next(iter(settings["comparisons"])).startswith("ace_cris")
    assert data["columns"] == {"T_kin_GeV_per_n": "GeV", "ratio_LIS": "", "ratio_TOA": ""}
    assert settings["transport"]["dR_kpc"] == 2.0 and settings["transport"]["solver"]["rtol"] > 0
    assert len(data["data"]["ratio_TOA"]) == len(data["data"]["T_kin_GeV_per_n"]) > 10


def test_cli_nuclei_bad_ratio(capsys):
    code, _, err = run(capsys, "nuclei", "ratio", "Q/C")
    assert code == 2 and "Traceback" not in err


def test_cli_antiprotons_csv(capsys, tmp_path):
    png = tmp_path / "pbar.png"
    code, out, err = run(capsys, "antiprotons", "--xs", "dimauro2014", "--plot", str(png), *GRID)
    assert code == 0, err
    names, rows = csv_table(out)
    assert names[:4] == ["T_kin_GeV", "flux_LIS", "flux_TOA", "pbar_p_TOA"]
    assert "ams02_pbar_p_ratio" in err and png.exists()


def test_cli_nuclei_fit_abundances(capsys):
    code, out, err = run(capsys, "nuclei", "ratio", "B/O", "--fit-abundances", *GRID)
    assert code == 0, err
    assert "source abundances fitted" in err and "N chi2" in err
    names, rows = csv_table(out)
    assert names == ["T_kin_GeV_per_n", "ratio_LIS", "ratio_TOA"] and np.all(np.isfinite(rows[5:-5, 2]))


def test_abundance_fit_improves_the_element_fluxes():
    from positrons.analysis.nuclei import fit_source_abundances

    fit = fit_source_abundances("MED", COARSE, voyager=False)
    assert set(fit.scale) == {"C", "N", "O"} and all(v > 0 for v in fit.scale.values())
    assert all(n > 40 for _, n in fit.chi2.values())
    assert 0.5 < fit.scale["C"] / fit.scale["O"] < 2.0


class _Terminal(io.StringIO):
    """Standard error as a terminal (tqdm and Feedback ask ``isatty``)."""

    def isatty(self):
        return True


def test_cli_nuclei_ratio_every_format_reads_back():
    """table, csv, json and ecsv of one ratio carry the same numbers (to the 7 digits of the table)."""
    from astropy.table import Table

    from positrons.cli import main

    texts = {}
    for fmt in ("csv", "table", "json", "ecsv"):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            assert main(["nuclei", "ratio", "B/C", "--format", fmt, *GRID]) == 0
        texts[fmt] = out.getvalue()
    names, rows = csv_table(texts["csv"])
    reference = {name: rows[:, i] for i, name in enumerate(names)}
    data = json.loads(texts["json"])["data"]
    ecsv = Table.read(texts["ecsv"], format="ascii.ecsv")
    table = Table.read(texts["table"], format="ascii.basic")
    assert ecsv["T_kin_GeV_per_n"].unit == "GeV"
    for name in ("T_kin_GeV_per_n", "ratio_LIS", "ratio_TOA"):
        np.testing.assert_allclose(np.array(data[name], dtype=float), reference[name], rtol=1e-15)
        np.testing.assert_allclose(np.asarray(ecsv[name]), reference[name], rtol=1e-15)
        np.testing.assert_allclose(np.asarray(table[name]), reference[name], rtol=1e-6)


def test_cli_nuclei_feedback_on_a_terminal_only(capsys, monkeypatch):
    """On a terminal: the one-line summary, a bar over the isotopes, then the chi2; --quiet: nothing."""
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code, out, _ = run(capsys, "nuclei", "ratio", "Li/C", *GRID)
    text = terminal.getvalue()
    assert code == 0, text
    assert text.splitlines()[0].startswith("positrons nuclei ratio Li/C: the nuclear network (26 isotopes")
    assert "network (isotopes)" in text and "chi2" in text and out
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code, out, _ = run(capsys, "antiprotons", "--xs", "dimauro2014", "--format", "json", "--quiet", *GRID)
    assert code == 0 and terminal.getvalue() == ""
    data = json.loads(out)
    assert u.Unit(data["columns"]["flux_TOA"]) == u.Unit("1 / (GeV m2 s sr)") and data["meta"]["settings"]["xs"] == ["dimauro2014"]


def test_voyager_in_the_abundance_fit():
    """Voyager 1 (C, N, O beyond the heliopause, unmodulated) enters the fit beside AMS-02: its
    points inside the network's energies (>= 30 MeV/n) get a chi2, the fit stays sound and moves
    the abundances by a few per cent at most (the fit has normalisations only); progress runs
    over the three network solves."""
    from positrons.analysis.nuclei import fit_source_abundances

    calls = []
    fit = fit_source_abundances("MED", COARSE, progress=lambda done, total: calls.append((done, total)))
    without = fit_source_abundances("MED", COARSE, voyager=False)
    assert set(fit.chi2_voyager) == {"C", "N", "O"} and without.chi2_voyager == {}
    assert all(n >= 5 for _, n in fit.chi2_voyager.values())
    assert all(c / n < 20 for c, n in fit.chi2_voyager.values())
    for g in ("C", "N", "O"):
        assert abs(fit.scale[g] / without.scale[g] - 1) < 0.05
    assert calls[-1][0] == calls[-1][1] == 3 * 26 and len(calls) == 3 * 26
    assert "Voyager 1 (LIS)" in fit.summary()
