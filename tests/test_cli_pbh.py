"""``positrons pbh ...`` run in-process as a user would type it."""

import csv
import io

import numpy as np
import pytest

from positrons.sources.pbh import emission, evaporation, secondaries, spectra
from positrons.sources.pbh.mass_functions import LogNormal
from positrons.sources.pbh.source import population_spectrum
from clitools import run


def parse_csv(text):
    header = [line for line in text.splitlines() if line.startswith("#")]
    rows = list(csv.reader(io.StringIO("\n".join(line for line in text.splitlines() if not line.startswith("#")))))
    return header, rows[0], np.array(rows[1:], dtype=float)


def test_spectrum_csv_per_black_hole(capsys):
    code, out, _ = run(capsys, "pbh", "spectrum", "--mass", "1e16", "--energies", "1e-4:0.1:20")
    assert code == 0
    header, columns, data = parse_csv(out)
    assert columns == ["E_kin_GeV", "primary_dN_dtdE_per_GeV_s", "secondary_dN_dtdE_per_GeV_s", "dN_dtdE_per_GeV_s"]
    assert any("per black hole" in line for line in header)
    assert data.shape == (20, 4)
    expected = spectra.spectrum("positron", data[:, 0], 1e16)
    assert np.allclose(data[:, 1], expected.primary, rtol=1e-5)  # 6 printed digits
    assert np.allclose(data[:, 3], data[:, 1] + data[:, 2], rtol=2e-6)


def test_spectrum_lognormal_is_per_gram(capsys, tmp_path):
    target = tmp_path / "s.csv"
    code, _, err = run(capsys, "pbh", "spectrum", "--mass", "1e16", "--mass-function", "lognormal", "--sigma", "1",
                       "--particle", "electron", "--energies", "1e-3:1:5", "--output", str(target))
    assert code == 0 and "wrote" in err
    header, _, data = parse_csv(target.read_text())
    assert any("per gram of PBHs" in line for line in header)
    expected = population_spectrum("electron", data[:, 0], LogNormal(1e16, 1.0)).total
    assert np.allclose(data[:, 3], expected, rtol=1e-5)


def test_spectrum_table_format_and_photons(capsys):
    code, out, _ = run(capsys, "pbh", "spectrum", "--mass", "5e14", "--particle", "photon", "--format", "table",
                       "--energies", "0.01:0.1:3")
    assert code == 0
    assert "pi0 -> gamma gamma" in out
    assert len([line for line in out.splitlines() if not line.startswith("#")]) == 4


def test_one_hole_below_the_evaporation_mass_is_noted(capsys):
    # a per-hole spectrum is defined for any mass; the header says such holes are gone today
    code, out, _ = run(capsys, "pbh", "spectrum", "--mass", "2e14", "--energies", "0.01:0.1:3")
    assert code == 0
    assert any("evaporated by today" in line for line in out.splitlines() if line.startswith("#"))
    code, _, err = run(capsys, "pbh", "spectrum", "--mass", "1e13", "--mass-function", "lognormal", "--sigma", "0.1")
    assert code == 2 and "almost no mass above M_min" in err


def test_lifetime(capsys):
    code, out, _ = run(capsys, "pbh", "lifetime", "--mass", "1e15")
    assert code == 0
    assert "T = 10.573 MeV" in out
    assert "lifetime" in out and "Gyr" in out
    m_star = evaporation.evaporating_mass()
    assert f"M = {m_star:.4g} g" in out


def test_plot_writes_the_usual_figure(capsys, tmp_path):
    target = tmp_path / "pbh.png"
    code, _, _ = run(capsys, "pbh", "spectrum", "--mass", "2e15", "--plot", str(target))
    assert code == 0
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_mass_bounds_come_from_the_physics():
    """The bounds of --mass: the Planck mass sqrt(hbar c/G) = 2.176434e-5 g (CODATA 2018), the
    hole at T = 0.2 GeV (QCD jets, emission.QCD_TEMPERATURE) and the top of the decay tables."""
    from positrons.commands import pbh

    assert pbh.planck_mass_g() == pytest.approx(2.176434e-5, rel=1e-5)
    assert emission.hawking_temperature(pbh.qcd_mass_g()) == pytest.approx(emission.QCD_TEMPERATURE, rel=1e-12)
    assert pbh.MAX_SPECTRUM_ENERGY_GEV == 10.0 ** secondaries._GRID_LOG10[1]


def test_masses_at_the_bounds_are_accepted(capsys):
    code, out, _ = run(capsys, "pbh", "lifetime", "--mass", "2.2e-5")  # just above the Planck mass
    assert code == 0
    assert "note: at T > 0.2 GeV" in out  # the standard content lacks quarks and gluons there
    code, out, _ = run(capsys, "pbh", "lifetime", "--mass", "1e100")
    assert code == 0 and "nan" not in out and "inf" not in out and "note" not in out
    code, out, _ = run(capsys, "pbh", "spectrum", "--mass", "5.3e13", "--energies", "0.01:1000:3")
    assert code == 0 and out.count("\n") > 3
