"""Every analysis result record: to_table (units, settings and version in meta), write (atomic,
format by suffix, unknown suffix refused) and plot(ax=None) (draws on a given axes).

The records are built from made-up numbers (no transport is solved): these test the
bookkeeping of the records, not the physics that fills them (tested in test_pbh_scan*.py,
test_fraction*.py, test_primaries.py)."""

import json
from types import SimpleNamespace

import numpy as np
import pytest
from astropy.table import Table
from matplotlib.figure import Figure

import positrons
from positrons.analysis.antiprotons import AntiprotonResult, DataComparison
from positrons.analysis.fraction import FractionPrediction
from positrons.analysis.fraction_fit import FractionFit
from positrons.analysis.local_spectra import LocalSpectrum
from positrons.analysis.nuclei import NucleiRatioResult, RatioComparison
from positrons.analysis.pbh_limits import requested_settings
from positrons.analysis.pbh_results import LimitSpectra, PhiBand, ScanResult
from positrons.analysis.pbh_spectra import PBHLifetime, PBHSpectrum
from positrons.analysis.primaries import PrimaryFit
from positrons.analysis.scans import read_scan
from positrons.analysis.transport import Transport
from positrons.propagation.grid import GridSpec
from positrons.propagation.solution import SolverSettings
from positrons.sources.pbh.mass_functions import LogNormal
from positrons.sources.pbh.spectra import Spectrum

T = np.geomspace(0.5, 50.0, 8)
COARSE = Transport(GridSpec(2.0, 0.2, 0.5, 8), cache=None)


def _scan(phi=None) -> ScanResult:
    settings = requested_settings("MED", transport=COARSE, phi_GV=phi)
    return ScanResult.from_settings(settings, model_parameters=settings["model_parameters"],
                                    masses_g=np.array([1e15, 1e16, 3e16]), f_limit=np.array([1e-3, 1e-4, 1e-2]),
                                    driving_energy_GeV=np.ones(3))


def _records() -> dict:
    scan = _scan()
    band = PhiBand(scan, _scan(0.45), _scan(0.65), 0.1, True)
    spectra = LimitSpectra(T, T**-3, T**-2.5, T**-2.6, 1e-3, "MED", "ams02_positron_flux_prl2019", 1e16,
                           "monochromatic", 0.55, settings={"energy_range_GeV": [0.5, 5.2], **COARSE.settings()})
    pred = FractionPrediction("MED", 0.55, T, 0.1 * T**-3, T**-3, 2 * T**-3, 0.01 * T**-2.5,
                              {"modulation": "force field", "phi_GV": 0.55})
    fit = FractionFit("ams02_positron_fraction_prl2019", (10.0, 500.0), "secondary only", 12.0, 10,
                      {"sec_norm": 1.0, "sec_tilt": 0.1}, {"sec_norm": 0.1, "sec_tilt": 0.01}, True, T, 0.1 + 0 * T,
                      0.01 + 0 * T, 0.1 + 0 * T, lambda E, values: pred, {"modulation": "force field", "phi_GV": 0.55})
    solution = SimpleNamespace(settings=SolverSettings())
    primary = PrimaryFit("MED", "proton", "ams02_proton_flux_physrep2021", 0.55, 2.0, 30.0, 20, T, T**-2.7, solution,
                         {"modulation": "force field", "phi_GV": 0.55})
    local = LocalSpectrum("MED", "positron", "secondary", T, T**-3.2, "secondary positrons", (0.25, 500.0, 30), 12,
                          1e-7, {"cross_section": "hybrid", **COARSE.settings()})
    grid = COARSE.settings()
    bc = RatioComparison("ams02_bc_ratio", "rigidity", T, 0.3 * T**-0.3, 0.01 + 0 * T, 0.31 * T**-0.3, 5.0, 8)
    nuclei = NucleiRatioResult("B/C", "MED", 0.55, T, 0.3 * T**-0.33, 0.28 * T**-0.3, (bc,), network=None, transport=grid)
    xs = ("model_a", "model_b")
    pbar_p = DataComparison("ams02_pbar_p_ratio", "ratio", T, "rigidity", 2e-4 + 0 * T, 1e-5 + 0 * T, 2.1e-4 + 0 * T,
                            3.0, 8)
    pbar = AntiprotonResult("MED", 0.55, xs, T, {x: 1e-3 * T**-2.8 for x in xs}, {x: 9e-4 * T**-2.8 for x in xs},
                            {x: 2e-4 + 0 * T for x in xs}, 5.0 * T**-2.7, (pbar_p,), grid)
    return {"scan": scan, "band": band, "spectra": spectra, "prediction": pred, "fit": fit, "primary": primary,
            "local": local, "nuclei": nuclei, "antiprotons": pbar,
            "pbh_spectrum": PBHSpectrum("positron", "standard", 1e16, None, Spectrum("positron", T, T**-2, 0.1 * T**-2)),
            "pbh_population": PBHSpectrum("positron", "standard", 1e16, LogNormal(1e16, 1.0),
                                          Spectrum("positron", T, 1e-16 * T**-2, 1e-17 * T**-2))}


@pytest.mark.parametrize("name", ["scan", "band", "spectra", "prediction", "fit", "primary", "local", "nuclei",
                                  "antiprotons", "pbh_spectrum", "pbh_population"])
def test_every_record_has_a_table_a_write_and_a_plot(tmp_path, name):
    record = _records()[name]
    table = record.to_table()
    assert isinstance(table, Table) and len(table) == len(table.columns[0])
    assert table.meta["positrons_version"] == positrons.__version__
    assert any(col.unit is not None for col in table.columns.values()), "no column has a unit"
    path = tmp_path / f"{name}.ecsv"
    record.write(path)
    back = Table.read(path, format="ascii.ecsv")
    assert back.colnames == table.colnames
    for col in table.colnames:
        assert np.array_equal(np.asarray(back[col]), np.asarray(table[col]), equal_nan=True), col
        assert back[col].unit == table[col].unit, col
    assert back.meta["positrons_version"] == positrons.__version__
    record.write(tmp_path / f"{name}.csv")
    assert Table.read(tmp_path / f"{name}.csv", format="ascii.csv").colnames == table.colnames
    with pytest.raises(ValueError, match="suffix must be one of"):
        record.write(tmp_path / f"{name}.txt")
    assert not (tmp_path / f"{name}.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{name}.csv", f"{name}.ecsv"]  # no temporary left
    fig = Figure()
    ax = fig.add_subplot()
    assert record.plot(ax=ax) is fig and ax.lines, "plot(ax=...) draws on the given axes"
    assert isinstance(record.plot(), Figure)


def test_a_scan_written_by_its_record_reads_back_with_the_transport_and_modulation_settings(tmp_path):
    scan = _scan()
    scan.write(tmp_path / "scan.ecsv")
    back = read_scan(tmp_path / "scan.ecsv")
    assert back.settings() == scan.settings()
    assert back.modulation == {"modulation": "force field", "phi_GV": 0.55}
    assert back.dR_kpc == 2.0 and back.solver == SolverSettings().as_dict()


def test_a_fraction_fit_writes_its_summary_as_json(tmp_path):
    fit = _records()["fit"]
    fit.write(tmp_path / "fit.json")
    summary = json.loads((tmp_path / "fit.json").read_text())
    assert summary["chi2"] == 12.0 and summary["parameters"]["sec_tilt"] == {"value": 0.1, "error": 0.01}


def test_transport_is_a_value():
    """Transport.of accepts None, a GridSpec or a Transport; equality ignores the cache (it
    changes no number); settings() is the flat record a result keeps."""
    assert Transport.of(None) == Transport() == Transport(cache=None)
    spec = GridSpec(2.0, 0.2, 0.5, 8)
    assert Transport.of(spec).grid_spec == spec and Transport.of(COARSE) is COARSE
    assert COARSE.settings() == {"dR_kpc": 2.0, "dz_kpc": 0.2, "dz_max_kpc": 0.5, "energy_points_per_decade": 8,
                                 "solver": SolverSettings().as_dict()}
    with pytest.raises(TypeError):
        Transport.of("fine")


def test_nuclei_and_antiproton_tables_keep_settings_and_chi2():
    """The ratio and p-bar tables carry the model, phi, grid and each dataset's chi^2 in meta."""
    records = _records()
    nuclei = records["nuclei"].to_table()
    assert nuclei.meta["ratio"] == "B/C" and nuclei.meta["phi_GV"] == 0.55 and nuclei.meta["transport"]["dR_kpc"] == 2.0
    assert nuclei.meta["comparisons"]["ams02_bc_ratio"] == {"chi2": 5.0, "n_points": 8, "variable": "rigidity",
                                                           "flags": []}
    pbar = records["antiprotons"].to_table()
    assert pbar.colnames == ["T_GeV", "pbar_flux_lis_model_a", "pbar_flux_toa_model_a", "pbar_p_toa_model_a",
                             "pbar_flux_lis_model_b", "pbar_flux_toa_model_b", "pbar_p_toa_model_b", "proton_flux_toa"]
    assert pbar.meta["xs"] == ["model_a", "model_b"]
    assert pbar.meta["comparisons"]["ams02_pbar_p_ratio (ratio)"]["chi2"] == 3.0


def test_a_pbh_spectrum_says_per_what_and_a_lifetime_writes_one_row(tmp_path):
    """Per hole [1/(GeV s)] or per gram of PBHs [1/(GeV s g)], in the units and in meta; the
    lifetime record (made-up numbers) is one row with units."""
    records = _records()
    hole, population = records["pbh_spectrum"].to_table(), records["pbh_population"].to_table()
    assert hole["dN_dtdE_per_GeV_s"].unit == "1 / (GeV s)" and hole.meta["mass_function"] == "monochromatic"
    assert population["dN_dtdE_per_GeV_s"].unit == "1 / (GeV s g)" and population.meta["sigma"] == 1.0
    assert np.allclose(hole["dN_dtdE_per_GeV_s"], 1.1 * T**-2, rtol=1e-12)
    text = records["pbh_spectrum"].text("csv").splitlines()
    assert text[0].startswith("# positrons pbh spectrum: positron emission") and len(text) == 5 + T.size
    life = PBHLifetime(1e15, "standard", 0.01, 1e10, 1.5, 1e17, 5e14)
    life.write(tmp_path / "life.ecsv")
    back = Table.read(tmp_path / "life.ecsv", format="ascii.ecsv")
    assert len(back) == 1 and back["lifetime_s"][0] == 1e17 and back["lifetime_s"].unit == "s"
    assert "lifetime               tau = 1e+17 s" in life.summary()
