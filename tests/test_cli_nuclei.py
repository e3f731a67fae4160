"""``positrons nuclei ratio`` and ``positrons antiprotons`` in-process, on coarse grids, and the
analysis records behind them."""

import json

import numpy as np
import pytest

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
    first = nuclei_ratio("B/C", "MED", grid_spec=COARSE)
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
    assert data["model"] == "mine" and data["chi2"][0]["dataset"].startswith("ace_cris")


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

    fit = fit_source_abundances("MED", COARSE)
    assert set(fit.scale) == {"C", "N", "O"} and all(v > 0 for v in fit.scale.values())
    assert all(n > 40 for _, n in fit.chi2.values())
    assert 0.5 < fit.scale["C"] / fit.scale["O"] < 2.0
