"""PBH limit scans end to end on a coarse transport grid (physics of each layer is tested elsewhere)."""

import numpy as np
import pytest

from positrons.cli import main
from positrons.analysis.transport import Transport
from positrons.propagation.grid import GridSpec
from positrons.analysis.pbh_limits import pbh_limit_scan, pbh_response

COARSE = dict(transport=Transport(GridSpec(dR_kpc=2.0, dz_kpc=0.2, dz_max_kpc=0.5, energy_points_per_decade=8)))


def test_limits_rise_with_mass_and_need_reacceleration():
    """Heavier holes are colder and emit fewer, softer positrons: the limit weakens with mass.
    Without re-acceleration (DB) PBH positrons never reach the 0.5-5 GeV AMS-02 window, so
    the DB limit is far weaker than MED's (the qualitative result of Huang & Zhou)."""
    med = pbh_limit_scan("MED", [1e16, 3e16], **COARSE)
    assert np.all(np.isfinite(med.f_limit)) and med.f_limit[0] < med.f_limit[1]
    assert med.f_limit[0] < 1e-2
    db = pbh_limit_scan("DB", [1e16], **COARSE)
    assert db.f_limit[0] > 1e3 * med.f_limit[0]


def test_voyager_limit_is_driven_at_mev_energies():
    res = pbh_limit_scan("MED", [1e16], dataset="voyager1_electron_lis_cummings2016", **COARSE)
    assert res.phi_GV == 0.0  # local interstellar data are compared unmodulated
    assert 0.002 < res.driving_energy_GeV[0] < 0.05
    assert np.isfinite(res.f_limit[0]) and res.f_limit[0] > 0


def test_cli_limits(capsys):
    code = main(["pbh", "limits", "--model", "MED", "--mass", "2e16", "--dR", "2", "--dz", "0.2", "--dz-max", "0.5",
                 "--energy-points-per-decade", "8", "--no-cache"])
    out, err = capsys.readouterr()
    assert code == 0
    row = [line for line in out.splitlines() if not line.startswith("#")][1].split(",")
    assert float(row[0]) == 2e16 and 0 < float(row[1]) < 1
    code = main(["pbh", "limits", "--mass", "1e14"])
    assert code == 2 and "evaporated" in capsys.readouterr().err


def test_bad_background():
    with pytest.raises(ValueError, match="background"):
        pbh_limit_scan("MED", [1e16], background="fancy", **COARSE)


def test_library_refuses_negative_phi_and_masses_outside_the_emission_range():
    """A negative or NaN potential is not 'no modulation' (that would give a limit 30x too
    strong); masses below the evaporation floor or above 1e18 g are refused, in one line."""
    for phi in (-0.3, float("nan")):
        with pytest.raises(ValueError, match="phi_GV must be a finite potential"):
            pbh_limit_scan("MED", [1e16], phi_GV=phi, **COARSE)
    for mass in (1e14, 2e19, float("inf")):
        with pytest.raises(ValueError, match="PBH masses must lie in"):
            pbh_limit_scan("MED", [mass], **COARSE)


def test_background_fit_quality_travels_with_the_limit():
    """With background every limit carries chi2_min / ndof and its p-value (ndof = points - 3)."""
    from scipy.stats import chi2

    res = pbh_limit_scan("MED", [2e16], background="secondary", **COARSE)
    assert res.fit_ndof == res.data_points_used - 3
    cols = res.columns()
    assert cols["chi2_min_per_ndof"][0] == pytest.approx(res.chi2_min[0] / res.fit_ndof)
    assert cols["fit_p_value"][0] == pytest.approx(chi2.sf(res.chi2_min[0], res.fit_ndof))
    assert pbh_limit_scan("MED", [2e16], **COARSE).fit_p_value is None


def test_a_mass_function_typo_is_refused_naming_the_accepted_ones():
    """A typo used to give a log-normal silently; now ValueError before any transport."""
    with pytest.raises(ValueError, match="mass_function must be one of monochromatic, lognormal .got 'lognormla'."):
        pbh_limit_scan("MED", [1e16], mass_function="lognormla", **COARSE)


def test_modulation_as_a_value_gives_the_limit_of_the_equivalent_model():
    """NoModulation on the AMS-02 positrons is the force field at phi = 0 (both identity: the
    same numbers); a transfer matrix built from the force field at the model's phi
    (TransferMatrix.from_force_field, 1 % quadrature: test_modulation_protocol) gives the
    force-field limit within 2 %, and every result records the modulation's settings."""
    from positrons.heliosphere.modulation import ForceFieldModulation, NoModulation, TransferMatrixModulation
    from positrons.heliosphere.transfer_matrix import TransferMatrix

    masses = [1e16, 3e16]
    response = pbh_response("MED", COARSE["transport"])
    zero = pbh_limit_scan("MED", masses, phi_GV=0.0, response=response, **COARSE)
    none = pbh_limit_scan("MED", masses, modulation=NoModulation(), response=response, **COARSE)
    assert np.array_equal(none.f_limit, zero.f_limit)
    assert none.modulation == {"modulation": "none"} and none.phi_GV == 0.0
    ff = pbh_limit_scan("MED", masses, modulation=ForceFieldModulation(0.55), response=response, **COARSE)
    matrix = TransferMatrix.from_force_field(0.55, "positron", np.geomspace(0.01, 300.0, 600))
    tm = pbh_limit_scan("MED", masses, modulation=TransferMatrixModulation({"positron": matrix}),
                        response=response, **COARSE)
    assert np.allclose(tm.f_limit, ff.f_limit, rtol=0.02)
    assert tm.modulation["modulation"] == "transfer matrix" and tm.phi_GV is None
    with pytest.raises(ValueError, match="not both"):
        pbh_limit_scan("MED", masses, phi_GV=0.5, modulation=NoModulation(), **COARSE)


def test_no_module_level_response_cache_two_grids_do_not_share_a_response(tmp_path):
    """Responses live in the GalacticResponse a caller holds: scans on two grids build two
    propagators (a response passed in for another grid is refused)."""
    from positrons.analysis import pbh_limits

    assert not any(isinstance(v, dict) and k.isupper() and "RESPONSE" in k for k, v in vars(pbh_limits).items())
    coarse = pbh_response("MED", COARSE["transport"])
    other = Transport(GridSpec(dR_kpc=2.0, dz_kpc=0.2, dz_max_kpc=0.5, energy_points_per_decade=6), cache=None)
    finer = pbh_response("MED", other)
    a = pbh_limit_scan("MED", [1e16], response=coarse, **COARSE)
    b = pbh_limit_scan("MED", [1e16], response=finer, transport=other)
    assert coarse.propagator is not finer.propagator and coarse.grid.T.size != finer.grid.T.size
    assert a.energy_points_per_decade == 8 and b.energy_points_per_decade == 6
    with pytest.raises(ValueError, match="another model, species, energy range or transport"):
        pbh_limit_scan("MED", [1e16], response=coarse, transport=other)
