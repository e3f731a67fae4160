"""The secondary-only positron fraction (coarse transport grid; physics of each layer tested elsewhere)."""

import numpy as np
import pytest

from positrons.cli import main
from positrons.analysis.fraction import secondary_fraction
from positrons.analysis.transport import Transport
from positrons.propagation.grid import GridSpec

COARSE = dict(transport=Transport(GridSpec(dR_kpc=2.0, dz_kpc=0.2, dz_max_kpc=0.5, energy_points_per_decade=8)))


@pytest.mark.parametrize("model", ["MED", "DB"])
def test_secondary_fraction_falls_above_a_few_GeV(model):
    """Secondaries alone predict a positron fraction that falls with energy above a few GeV
    (Moskalenko & Strong 1998; Adriani et al. 2009): the rise seen by PAMELA, Fermi-LAT and AMS-02 needs a primary source.
    Checked from 5 GeV to 1 TeV: every step down, and the fraction stays below 0.1."""
    pred = secondary_fraction(model, np.geomspace(5.0, 1000.0, 12), **COARSE)
    assert np.all(np.diff(pred.fraction) < 0)
    assert np.all((pred.fraction > 0) & (pred.fraction < 0.1))
    assert np.all(pred.electrons > pred.positrons)


def test_leaky_box_fraction_falls_and_its_electrons_fit_ams02():
    """The leaky box (Jones et al. 2001 escape, the Sun's losses) predicts a falling fraction too,
    and its primary electrons, normalised to AMS-02, meet the data within 25 % at 10-100 GeV."""
    from positrons.data import load
    from positrons.analysis.fraction import leaky_box_lis

    box = leaky_box_lis(np.geomspace(0.1, 1e4, 81))
    pred = box.prediction(np.geomspace(5.0, 1000.0, 12))
    assert np.all(np.diff(pred.fraction) < 0) and np.all(pred.fraction < 0.1)
    data = load("ams02_electron_flux_physrep2021_crdb").to_kinetic_energy().select(10.0, 100.0)
    model = box.prediction(data.energy).electrons
    assert np.all(np.abs(model / data.value - 1) < 0.25)


def test_cli_fraction(capsys):
    code = main(["fraction", "--model", "DB", "--dR", "2", "--dz", "0.2", "--dz-max", "0.5", "--energy-points-per-decade", "8", "--no-cache", "--energies", "1:100:4"])
    out, err = capsys.readouterr()
    assert code == 0
    rows = [line.split(",") for line in out.splitlines() if not line.startswith("#")]
    assert rows[0][:3] == ["E_kin_GeV", "fraction", "fraction_secondary"]
    assert len(rows) == 5
    assert all(abs(float(r[1]) / float(r[2]) - 1) < 1e-12 for r in rows[1:])  # no primary source (sums in another order)


@pytest.mark.slow
def test_cli_fraction_pulsar_fit_json(capsys, tmp_path):
    """The issue's command: --fit DATASET --source pulsars --pulsar geminga --pulsar monogem."""
    import json

    plot = tmp_path / "fraction.png"
    code = main(["fraction", "--model", "MED", "--dR", "2", "--dz", "0.2", "--dz-max", "0.5", "--energy-points-per-decade", "8", "--no-cache", "--source", "pulsars", "--pulsar", "geminga",
                 "--pulsar", "monogem", "--fit", "ams02_positron_fraction_prl2019", "--format", "json",
                 "--plot", str(plot)])
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    fit = doc["meta"]["settings"]["fit"]
    assert doc["columns"]["flux_positron_per_GeV_m2_s_sr"] == "1 / (GeV s sr m2)"
    assert len(doc["data"]["E_kin_GeV"]) == len(doc["data"]["fraction"]) == 40
    assert fit["chi2"] > 0 and fit["ndof"] > 0 and fit["energy_range_GeV"][0] == 10.0
    assert set(fit["parameters"]) == {"sec_norm", "sec_tilt", "efficiency", "gamma", "log10_cutoff_GeV"}
    assert all(p["error"] > 0 for p in fit["parameters"].values())
    assert plot.stat().st_size > 10_000


def test_cli_fraction_errors(capsys):
    assert main(["fraction", "--energy-min", "5"]) == 2
    assert "--fit" in capsys.readouterr().err
    assert main(["fraction", "--source", "pulsars", "--pulsar", "nope", "--dR", "2", "--dz", "0.2", "--dz-max", "0.5", "--energy-points-per-decade", "8", "--no-cache"]) == 2
    assert "unknown pulsar" in capsys.readouterr().err
