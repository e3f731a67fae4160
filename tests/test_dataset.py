"""Dataset: representative energy, errors, conversions (against hand calculations and
against a second source of the same measurement), selection and output."""

from __future__ import annotations

import csv
import json
import math

import astropy.units as u
import numpy as np
import pytest

import positrons.data as data
from positrons import constants as const
from positrons.data.dataset import kinematic_species

# PDG 2024 masses written out for the hand calculations (the package takes them from
# `particle`; a new PDG edition moves them by < 1e-9 relative, far below the tolerances).
M_PROTON = 0.93827208943  # GeV
M_ELECTRON = 0.51099895069e-3  # GeV


# --- hand calculations -----------------------------------------------------------------
def test_proton_rigidity_bin_to_kinetic_energy_by_hand():
    """AMS-02 Physics Reports proton flux, bin 1.00-1.16 GV: 824.7 per GV.

    T = sqrt(R^2 + m^2) - m:  T(1.00) = 0.4329881, T(1.16) = 0.5536912 GeV;
    same particle count in the bin: Phi_T = 824.7 * (1.16 - 1.00) / (0.5536912 - 0.4329881)
    = 1093.19 per GeV.  Tolerance 1e-7: the hand numbers use the same PDG mass.
    """
    t_low = math.sqrt(1.00**2 + M_PROTON**2) - M_PROTON
    t_high = math.sqrt(1.16**2 + M_PROTON**2) - M_PROTON
    expected = 824.7 * (1.16 - 1.00) / (t_high - t_low)
    assert expected == pytest.approx(1093.19, abs=0.01)

    ds = data.load("ams02_proton_flux_physrep2021")
    assert (ds.energy_low[0], ds.energy_high[0], ds.value[0]) == (1.0, 1.16, 824.7)
    kin = ds.to_kinetic_energy()
    assert kin.energy_variable == "kinetic_energy"
    assert u.Unit(kin.meta["value_unit"]) == u.Unit("1 / (GeV m2 s sr)")
    assert kin.energy_low[0] == pytest.approx(t_low, rel=1e-7)
    assert kin.energy_high[0] == pytest.approx(t_high, rel=1e-7)
    assert kin.value[0] == pytest.approx(expected, rel=1e-7)
    # errors scale with the flux: stat 0.4 per GV
    assert kin.stat_err_low[0] == pytest.approx(0.4 * expected / 824.7, rel=1e-7)


def _convertible(species: str) -> bool:
    try:
        kinematic_species(species)
    except ValueError:
        return False
    return True


#: rigidity fluxes with bin edges, of species with a mass (B, Be, Li, N, O: no isotopic composition assumed yet)
RIGIDITY_FLUXES = [
    i.id for i in data.list_datasets()
    if i.energy_variable == "rigidity" and i.quantity == "flux" and _convertible(i.species)
    and np.isfinite(data.load(i.id).energy_low).all()
]


def test_rigidity_fluxes_checked_include_nuclei_and_antiprotons():
    assert {"ams02_proton_flux_physrep2021", "ams02_carbon_flux_physrep2021", "ams02_pbar_flux_physrep2021_crdb"} <= set(
        RIGIDITY_FLUXES
    )


@pytest.mark.parametrize(
    ("dataset_id", "why"),
    [
        ("ams02_b_flux_physrep2021_ssdc", "no isotopic composition is assumed"),
        ("ams02_pbar_p_ratio_physrep2021", "a ratio of two species"),
        ("voyager1_nuclei_z3_28_cummings2016_table9", "several elements"),
    ],
)
def test_unconvertible_species_say_why(dataset_id, why):
    with pytest.raises(ValueError, match=f"energy conversions are undefined .*{why}"):
        data.load(dataset_id).to_kinetic_energy()


@pytest.mark.parametrize("dataset_id", RIGIDITY_FLUXES)
def test_rigidity_conversion_keeps_particle_count_per_bin(dataset_id):
    """Phi_R (R_high - R_low) = Phi_T (T_high - T_low) in every binned row (to rounding)."""
    ds = data.load(dataset_id)
    kin = ds.to_kinetic_energy()
    binned = np.isfinite(ds.energy_low) & (ds.energy_high > ds.energy_low)
    assert binned.all()
    np.testing.assert_allclose(
        kin.value * (kin.energy_high - kin.energy_low), ds.value * (ds.energy_high - ds.energy_low), rtol=1e-12
    )


def test_rigidity_round_trip():
    ds = data.load("ams02_proton_flux_physrep2021")
    back = ds.to_kinetic_energy().to_rigidity()
    assert back.energy_variable == "rigidity"
    np.testing.assert_allclose(back.energy_low, ds.energy_low, rtol=1e-12)
    np.testing.assert_allclose(back.value, ds.value, rtol=1e-12)
    np.testing.assert_allclose(back.extra["sys_acc_err_low"], ds.extra["sys_acc_err_low"], rtol=1e-12)


def test_point_rows_use_the_jacobian():
    """A point-like rigidity row converts with dT/dR = |Z| beta at the point."""
    ds = data.load("ams02_bc_ratio_prl2018_ssdc_rigidity")
    with pytest.raises(ValueError, match="undefined for species 'boron/carbon'"):
        ds.to_kinetic_energy()
    # a lepton point row, via total energy -> kinetic -> rigidity: Phi_R = Phi_T * beta
    hess = data.load("hess_cre_2008_crdb").to_rigidity()
    T = 714.713  # CRDB axis EK: kinetic energy of a point row
    p = math.sqrt(T * (T + 2 * M_ELECTRON))
    beta = p / (T + M_ELECTRON)
    assert hess.energy_low[0] == pytest.approx(p, rel=1e-12)
    assert hess.value[0] == pytest.approx(4.071e-07 * beta, rel=1e-12)


def test_ams_prl2015_proton_rigidity_and_crdb_per_nucleon_agree():
    """Same measurement twice: the published rigidity table and CRDB's conversion of it
    to kinetic energy per nucleon.  After both are converted to kinetic energy per
    particle, fluxes agree to 1e-3 and energies to 3e-4 (relative).  Why not better: CRDB
    used m_p = 0.938 GeV (shifts T by 2e-4 at 1 GV) and converted with the Jacobian beta at
    its representative rigidity, where we convert each bin exactly (6.6e-4 in the lowest bin,
    falling as beta -> 1); the CRDB export also rounds to 7 digits."""
    rig = data.load("ams02_proton_flux_prl2015_crdb_rigidity").to_kinetic_energy()
    ekn = data.load("ams02_proton_flux_prl2015_crdb").to_kinetic_energy()
    assert rig.n_points == ekn.n_points == 72
    np.testing.assert_allclose(rig.value, ekn.value, rtol=1e-3)
    np.testing.assert_allclose(rig.errors()[1], ekn.errors()[1], rtol=1e-3)
    for c in ("energy_low", "energy_high", "energy_ref"):
        np.testing.assert_allclose(getattr(rig, c), getattr(ekn, c), rtol=3e-4)
    # and the tolerance is not idle: the lowest bin differs by more than 5e-4
    assert abs(rig.value[0] / ekn.value[0] - 1) > 5e-4


def test_helium_per_nucleon_to_kinetic_energy():
    """Voyager 1 He Table 8 row 1: E_plot = 3.8 MeV/n, J = 1.530 per (m^2 s sr MeV/n).
    T = 4 x 3.8 MeV = 0.0152 GeV; Phi_T = 1.530e3 / 4 = 382.5 per GeV (4He assumed)."""
    kin = data.load("voyager1_helium_cummings2016_table8").to_kinetic_energy()
    assert kin.energy_ref[0] == pytest.approx(0.0152, rel=1e-12)
    assert kin.energy_low[0] == pytest.approx(0.012, rel=1e-12)
    assert kin.value[0] == pytest.approx(382.5, rel=1e-12)
    assert kin.tot_err_low[0] == pytest.approx(7.964e-02 * 1e3 / 4, rel=1e-12)


def test_helium_rigidity_uses_helium4():
    kin = data.load("ams02_helium_flux_physrep2021").to_kinetic_energy()
    m = const.m_helium4
    assert kin.energy_low[0] == pytest.approx(math.sqrt((2 * 1.92) ** 2 + m**2) - m, rel=1e-12)


def test_fermi_2017_total_energy_to_kinetic():
    """T = E - m_e: the first bin edge 42.1697 GeV of total energy is 42.1691890 GeV of
    kinetic energy; the flux per unit energy is unchanged (dT = dE)."""
    ds = data.load("fermi_cre_2017_he_crdb")
    kin = ds.to_kinetic_energy()
    assert kin.energy_low[0] == pytest.approx(42.1697 - M_ELECTRON, rel=1e-14)
    assert kin.energy_low[0] == pytest.approx(42.169189, rel=1e-8)
    np.testing.assert_array_equal(kin.value, ds.value)
    np.testing.assert_array_equal(kin.errors()[0], ds.errors()[0])


def test_voyager_mev_to_gev():
    """Voyager 1 e- + e+: 3.5 MeV, J = 1.01e3 +- 101 per (m^2 s sr MeV) ->
    0.0035 GeV, 1.01e6 +- 1.01e5 per (m^2 s sr GeV)."""
    ds = data.load("voyager1_electron_lis_cummings2016")
    assert ds.meta["energy_unit"] == "MeV"
    kin = ds.to_kinetic_energy()
    assert kin.energy_ref[0] == pytest.approx(0.0035, rel=1e-12)
    assert kin.value[0] == pytest.approx(1.01e6, rel=1e-12)
    assert kin.tot_err_high[0] == pytest.approx(1.01e5, rel=1e-12)
    assert math.isnan(kin.errors()[0][3])


def test_e3_export_equals_crdb_electron_table():
    """INDEX.md: the SSDC E^3-weighted export divided by E^3 equals the CRDB Physics-Reports
    electron table in all 75 bins to < 1e-6 relative (rounding of the export)."""
    e3 = data.load("ams02_electron_flux_prl2019_ssdc_E3")
    crdb = data.load("ams02_electron_flux_physrep2021_crdb")
    assert e3.meta["value_scaling"] is None
    assert u.Unit(e3.meta["value_unit"]) == u.Unit("1 / (GeV m2 s sr)")
    assert e3.value[0] == pytest.approx(3.205691 / 0.57**3, rel=1e-15)
    np.testing.assert_allclose(e3.value, crdb.value, rtol=1e-6)
    np.testing.assert_allclose(e3.errors()[0], crdb.errors()[0], rtol=1e-6)


def test_fraction_converts_energy_axis_only():
    ds = data.load("pamela_positron_fraction_2016_points_crdb")
    kin = ds.to_kinetic_energy()
    np.testing.assert_array_equal(kin.value, ds.value)
    np.testing.assert_array_equal(kin.energy_low, ds.energy_low)
    rig = ds.to_rigidity()
    np.testing.assert_array_equal(rig.value, ds.value)
    assert rig.energy_low[0] == pytest.approx(math.sqrt(0.7 * (0.7 + 2 * M_ELECTRON)), rel=1e-12)


def test_unverified_units_are_not_converted():
    ds = data.load("veritas_cre_2018")
    with pytest.raises(ValueError, match="cannot be converted.*units_unverified"):
        ds.to_kinetic_energy()


def test_conversion_returns_a_new_object():
    ds = data.load("ams02_proton_flux_physrep2021")
    kin = ds.to_kinetic_energy()
    assert kin is not ds and kin is not ds.to_kinetic_energy()
    assert ds.energy_variable == "rigidity"
    assert kin.meta["transformations"][-1].startswith("to_kinetic_energy from rigidity")


# --- energy and errors -------------------------------------------------------------------
def test_representative_energy():
    crdb = data.load("ams02_electron_flux_physrep2021_crdb")
    assert math.isnan(crdb.energy_ref[0])
    assert crdb.energy[0] == pytest.approx(math.sqrt(0.5 * 0.65), rel=1e-15)
    ssdc = data.load("ams02_positron_flux_prl2019")
    assert ssdc.energy[0] == 0.57


def test_total_errors_combine_stat_and_sys():
    ds = data.load("ams02_positron_flux_prl2019")  # row 0: stat 0.109, sys 0.141
    lo, hi = ds.errors()
    assert lo[0] == pytest.approx(math.hypot(0.109, 0.141), rel=1e-15)
    assert ds.errors("stat")[1][0] == 0.109
    assert ds.errors("sys")[0][0] == 0.141
    with pytest.raises(ValueError, match="unknown error kind"):
        ds.errors("systematic")


def test_total_error_given_by_source_is_used():
    """CAPRICE94 e+ row 0 (GALPROP, err_plus = 0): symmetric 0.2e+1."""
    lo, hi = data.load("caprice94_positron_flux").errors()
    assert (lo[0], hi[0]) == (2.0, 2.0)
    he = data.load("voyager1_helium_cummings2016_table8")
    assert he.errors()[0][0] == 7.964e-02  # sig, the total, not hypot(sig, sys)
    assert np.isnan(he.errors("stat")[0]).all()


def test_rows_without_errors_give_nan_not_zero():
    ds = data.load("voyager1_electron_lis_cummings2016")
    lo, hi = ds.errors()
    missing = np.isnan(lo)
    assert missing.sum() == 4 and np.array_equal(missing, np.isnan(hi))
    assert np.all(lo[~missing] > 0)
    assert list(ds.extra["src"][missing]) == ["galoguz"] * 4


def test_stat_only_sources_give_stat_as_total():
    ds = data.load("pamela_positron_fraction_2009_nature")
    assert "stat_errors_only" in ds.flags
    np.testing.assert_array_equal(ds.errors()[0], ds.stat_err_low)


# --- select ---------------------------------------------------------------------------------
def test_select():
    ds = data.load("ams02_positron_fraction_prl2019")
    sub = ds.select(10.0, 100.0)
    inside = (ds.energy >= 10.0) & (ds.energy <= 100.0)
    assert sub.n_points == inside.sum() == sub.meta["n_points"] > 0
    assert np.all((sub.energy >= 10) & (sub.energy <= 100))
    np.testing.assert_array_equal(sub.value, ds.value[inside])
    assert sub.meta["energy_range"] == (sub.energy.min(), sub.energy.max())
    assert ds.n_points == 74  # the original is untouched
    q = ds.select(0.01 * u.TeV, 0.1 * u.TeV)
    np.testing.assert_array_equal(q.value, sub.value)
    assert ds.select(energy_min=500.0).n_points == 2
    assert ds.select(energy_max=0.6).n_points == 1
    empty = ds.select(2000.0, 3000.0)
    assert empty.n_points == 0 and empty.meta["energy_range"] is None
    with pytest.raises(ValueError, match="energy_min"):
        ds.select(100.0, 10.0)


def test_select_keeps_extra_columns_aligned():
    ds = data.load("ams02_positron_fraction_prl2014")
    sub = ds.select(100.0, None)
    np.testing.assert_array_equal(sub.extra["N_events"], ds.extra["N_events"][ds.energy >= 100.0])


# --- properties and output -----------------------------------------------------------------
def test_properties():
    ds = data.load("ams02_positron_fraction_prl2019")
    assert ds.id == "ams02_positron_fraction_prl2019"
    assert (ds.experiment, ds.species, ds.quantity, ds.energy_variable) == (
        "AMS-02", "positron", "fraction", "kinetic_energy"
    )
    assert ds.year == 2019 and ds.label == "AMS-02 (2019)"
    assert ds.n_points == len(ds) == 74
    assert ds.meta["doi"] == "10.1103/PhysRevLett.122.101101"
    assert "ams02_positron_fraction_prl2019" in repr(ds)


def test_to_table_has_units_and_meta():
    table = data.load("voyager1_electron_lis_cummings2016").to_table()
    assert table["energy_ref"].unit == u.MeV
    assert table["value"].unit == u.Unit("1 / (m2 s sr MeV)")
    assert table.meta["dataset_id"] == "voyager1_electron_lis_cummings2016"
    assert "stat_err_low" not in table.colnames  # the source has no such error


def test_ecsv_round_trip(tmp_path):
    kin = data.load("ams02_proton_flux_physrep2021").to_kinetic_energy()
    path = kin.write(tmp_path / "kin.ecsv")
    back = data.read_dataset(path)
    for c in ("energy_low", "energy_high", "energy_ref", "value", "stat_err_low", "sys_err_high"):
        np.testing.assert_array_equal(getattr(back, c), getattr(kin, c))
    assert back.meta["transformations"] == kin.meta["transformations"]
    with pytest.raises(FileExistsError):
        kin.write(path)


def test_e3_dataset_written_is_not_divided_twice(tmp_path):
    ds = data.load("ams02_electron_flux_prl2019_ssdc_E3")
    back = data.read_dataset(ds.write(tmp_path / "e3.ecsv"))
    np.testing.assert_array_equal(back.value, ds.value)


def test_csv_output_names_units_and_keeps_numbers(tmp_path):
    ds = data.load("ams02_positron_flux_prl2019")
    path = ds.write(tmp_path / "out.csv")
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.reader(line for line in fh if not line.startswith("#")))
    assert rows[0][:8] == [
        "T_low_GeV", "T_high_GeV", "T_GeV", "value_per_GeV_m2_s_sr",
        "stat_err_low", "stat_err_high", "sys_err_low", "sys_err_high",
    ]
    values = np.array([float(r[3]) for r in rows[1:]])
    np.testing.assert_array_equal(values, ds.value)
    kin = data.load("ams02_proton_flux_physrep2021").to_kinetic_energy()
    text = kin.to_text("csv")
    assert "sys_acc_err_low_per_GeV_m2_s_sr" in text
    nan_row = data.load("voyager1_electron_lis_cummings2016").to_text("csv").splitlines()
    assert ",nan," in nan_row[-1]


def test_json_output(tmp_path):
    ds = data.load("voyager1_electron_lis_cummings2016")
    doc = json.loads(ds.write(tmp_path / "out.json").read_text(encoding="utf-8"))
    assert doc["meta"]["dataset_id"] == ds.id
    assert doc["columns"]["energy_low"]["unit"] == "MeV"
    assert doc["columns"]["energy_low"]["values"][3] is None  # NaN -> null
    assert doc["columns"]["value"]["values"] == list(ds.value)
    with pytest.raises(ValueError, match="unknown format"):
        ds.write(tmp_path / "out.txt")


# --- errors that are not published; printed mantissas; several elements in one table ------
def test_voyager_assumed_errors_are_marked_per_point():
    """4 of the 9 Voyager 1 electron rows (8.4, 15.4, 25.9, 39.5 MeV) have no published error:
    they are marked per row and given 10 % of the value, the published errors stay NaN."""
    ds = data.load("voyager1_electron_lis_cummings2016")
    assert "assumed_errors" in ds.flags and "missing_errors" in ds.flags
    assert ds.energy[ds.error_assumed].tolist() == [8.4, 15.4, 25.9, 39.5]
    assert ds.meta["assumed_errors"]["relative_error"] == 0.1
    lo, hi = ds.errors()
    assert np.all(np.isnan(lo[ds.error_assumed])) and np.all(np.isfinite(lo[~ds.error_assumed]))
    a_lo, a_hi = ds.assumed_errors()
    np.testing.assert_array_equal(a_lo[ds.error_assumed], 0.1 * ds.value[ds.error_assumed])
    assert np.all(np.isnan(a_hi[~ds.error_assumed]))
    assert "assumed errors (error_assumed = True, rows [3, 6, 7, 8]): 10 % of value" in ds.to_text("table")
    picked = ds.to_kinetic_energy().select(0.008, 0.02)  # GeV: 8.4, 10.2, 11.9, 15.4 MeV
    assert picked.error_assumed.tolist() == [True, False, False, True]
    assert json.loads(ds.to_text("json"))["columns"]["error_assumed"]["values"][3] is True


def test_datasets_without_assumed_errors_have_none():
    ds = data.load("ams02_positron_flux_prl2019")
    assert not ds.error_assumed.any() and np.all(np.isnan(ds.assumed_errors()[0]))


def test_scale_factor_mantissas_are_multiplied_when_read():
    """AMS-02 pbar/p (Physics Reports Table 6): first bin printed 7.78 (stat 1.04) x 1e-6."""
    ds = data.load("ams02_pbar_p_ratio_physrep2021")
    assert ds.value[0] == pytest.approx(7.78e-6, rel=1e-15)
    assert ds.stat_err_low[0] == pytest.approx(1.04e-6, rel=1e-15)
    assert ds.value[2] == pytest.approx(1.23e-5, rel=1e-15)
    assert ds.meta["value_scaling"] is None and "scale_factor" in ds.meta["transformations"][0]


def test_nuclei_table_sorted_by_charge_then_energy():
    ds = data.load("voyager1_nuclei_z3_28_cummings2016_table9")
    z = np.asarray(ds.extra["Z"])
    assert np.all(np.diff(z) >= 0) and set(z) == set(range(3, 27)) | {28}
    for charge in set(z):
        assert np.all(np.diff(ds.energy[z == charge]) >= 0)
    assert "rows_reordered" in ds.flags
