"""The registry: lazy, header-only listing; IDs and aliases; helpful errors; the flags that
the curation notes ask for are carried by the right datasets."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pytest

import positrons.data as data
from positrons.data import registry
from positrons.data.io import FLAGS

MEASUREMENT_IDS = sorted(
    p.stem for p in Path(str(resources.files("positrons.data") / "measurements")).glob("*.ecsv")
)


def test_nothing_is_read_at_import():
    """Importing positrons.data reads no file (the registry is built on first use)."""
    code = (
        "import positrons.data as d\n"
        "from positrons.data import registry as r\n"
        "print(r._headers.cache_info().currsize, r._load.cache_info().currsize)\n"
        "d.list_datasets()\n"
        "print(r._headers.cache_info().currsize, r._load.cache_info().currsize)\n"
    )
    out = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["0 0", "1 0"]


def test_list_datasets_matches_the_files():
    infos = data.list_datasets()
    assert [i.id for i in infos] == MEASUREMENT_IDS
    for info in infos:
        ds = data.load(info.id)
        assert (info.experiment, info.species, info.quantity, info.year) == (
            ds.experiment, ds.species, ds.quantity, ds.year
        )
        assert info.n_points == ds.n_points
        assert info.energy_range == (ds.energy.min(), ds.energy.max())
        assert info.flags == ds.flags
        assert info.label == ds.label


def test_catalogues_listed_apart():
    assert sorted(data.list_catalogues()) == ["atnf_nearby_pulsars_derived", "atnf_psrcat_v1p66_nearby_pulsars"]
    assert not set(data.list_catalogues()) & set(MEASUREMENT_IDS)


def test_load_is_cached_and_aliases_resolve():
    ds = data.load("ams02_positron_fraction_prl2019")
    assert data.load("ams02_positron_fraction") is ds
    for alias, target in data.ALIASES.items():
        assert target in MEASUREMENT_IDS or target in data.list_catalogues(), alias
        assert alias not in MEASUREMENT_IDS, f"alias {alias} shadows a dataset ID"


def test_unknown_id_lists_close_matches():
    with pytest.raises(KeyError) as info:
        data.load("ams02_positron_fractoin_prl2019")
    assert isinstance(info.value, data.UnknownDatasetError)
    message = str(info.value)
    assert message.startswith("unknown dataset 'ams02_positron_fractoin_prl2019'; close matches:")
    assert "ams02_positron_fraction_prl2019" in message


def test_unknown_id_without_close_match():
    with pytest.raises(data.UnknownDatasetError, match="see positrons.data.list_datasets"):
        data.load("zzzz")


def test_catalogue_asked_as_dataset():
    with pytest.raises(data.UnknownDatasetError, match="is a catalogue.*load_catalogue"):
        data.load("atnf_nearby_pulsars_derived")


def test_load_catalogue_returns_independent_tables():
    t1 = data.load_catalogue("atnf_nearby_pulsars_derived")
    t2 = data.load_catalogue("nearby_pulsars")
    assert len(t1) == t1.meta["n_points"] == 6
    assert "derived_values" in t1.meta["flags"]
    assert str(t1["P_s"].unit) == "s"
    geminga = t1[t1["common_name"] == "Geminga"][0]
    assert geminga["P_s"] == 0.237099
    t1["P_s"][0] = -1.0
    assert t2["P_s"][0] != -1.0
    raw = data.load_catalogue("atnf_psrcat_v1p66_nearby_pulsars")
    assert len(raw) == 109
    with pytest.raises(data.UnknownDatasetError, match="unknown catalogue"):
        data.load_catalogue("ams02_positron_flux_prl2019")


def test_find():
    fractions = data.find(species="positron", quantity="fraction")
    assert set(fractions) == {i for i in MEASUREMENT_IDS if "positron_fraction" in i}
    cre = data.find(species="electron+positron", quantity="flux", exclude_flags=("units_unverified",))
    assert "dampe_cre_2017" in cre and "veritas_cre_2018" not in cre
    assert data.find(experiment="DAMPE") == ["dampe_cre_2017"]
    assert data.find(energy_variable="total_energy") == ["fermi_cre_2017_he_crdb", "veritas_cre_2018"]


@pytest.mark.parametrize(
    "kwargs", [{"species": "muon"}, {"quantity": "density"}, {"energy_variable": "momentum"}, {"exclude_flags": ("nope",)}]
)
def test_find_refuses_unknown_words(kwargs):
    with pytest.raises(ValueError, match="unknown"):
        data.find(**kwargs)


def test_datasets_are_immutable():
    ds = data.load("dampe_cre_2017")
    with pytest.raises(ValueError, match="read-only"):
        ds.value[0] = 1.0
    with pytest.raises(TypeError):
        ds.meta["species"] = "proton"
    with pytest.raises(dataclasses.FrozenInstanceError):
        ds.value = np.zeros(3)
    assert isinstance(ds.flags, tuple)


# (dataset, flag) pairs the curation (INDEX.md and the file notes) asks for
EXPECTED_FLAGS = [
    ("pamela_positron_fraction_2016_points_crdb", "attribution_uncertain"),
    ("veritas_cre_2018", "attribution_uncertain"),
    ("voyager1_proton_lis_2012_crdb", "attribution_uncertain"),
    ("voyager1_helium_lis_2012_crdb", "attribution_uncertain"),
    ("pamela_electron_flux_kiss", "attribution_uncertain"),
    ("voyager1_electron_lis_cummings2016", "attribution_uncertain"),
    ("caprice94_positron_flux", "errors_suspect"),
    ("voyager1_electron_lis_cummings2016", "missing_errors"),
    ("ams02_allelectron_sum_prl2019_ssdc", "not_independent_measurement"),
    ("veritas_cre_2018", "units_unverified"),
    ("heat_electron_flux_1994_95", "contains_other_species"),
    ("voyager1_electron_lis_cummings2016", "local_interstellar"),
    ("voyager1_helium_cummings2016_table8", "local_interstellar"),
    ("voyager1_helium_lis_2012_crdb", "local_interstellar"),
    ("voyager1_proton_lis_2012_crdb", "local_interstellar"),
    ("pamela_electron_flux_kiss", "representative_energy_computed"),
    ("fermi_electron_flux_2012_kiss", "representative_energy_computed"),
    ("ams02_bc_ratio_physrep2021_kiss", "representative_energy_computed"),
    ("ams02_proton_flux_prl2015_crdb", "converted_by_crdb"),
    ("ams02_helium_flux_prl2015_crdb", "converted_by_crdb"),
    ("ams02_helium_flux_prl2015_crdb", "helium_isotopes_assumed_4He"),
    ("ams02_helium_flux_physrep2021", "helium_isotopes_assumed_4He"),
    ("ams02_electron_flux_prl2019_ssdc_E3", "total_errors_only"),
]


@pytest.mark.parametrize(("dataset_id", "flag"), EXPECTED_FLAGS)
def test_curation_flags_are_carried(dataset_id, flag):
    assert flag in data.load(dataset_id).flags


def test_derived_catalogue_flagged():
    assert "derived_values" in data.load_catalogue("atnf_nearby_pulsars_derived").meta["flags"]


def test_local_interstellar_only_on_voyager():
    lis = {i.id for i in data.list_datasets() if "local_interstellar" in i.flags}
    assert lis == {i for i in MEASUREMENT_IDS if i.startswith("voyager1_")}


def test_every_flag_is_documented_in_readme():
    readme = (Path(__file__).parents[1] / "src" / "positrons" / "data" / "README.md").read_text(encoding="utf-8")
    for flag in FLAGS:
        assert f"`{flag}`" in readme, flag


def test_registry_refuses_a_file_whose_id_is_not_its_name(tmp_path, monkeypatch):
    good = resources.files("positrons.data") / "measurements" / "dampe_cre_2017.ecsv"
    (tmp_path / "measurements").mkdir()
    (tmp_path / "measurements" / "renamed.ecsv").write_text(good.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(registry, "_resource_dir", lambda kind: tmp_path / kind)
    registry._headers.cache_clear()
    try:
        with pytest.raises(data.DatasetFormatError, match="renamed.ecsv: dataset_id 'dampe_cre_2017' differs"):
            registry.list_datasets()
    finally:
        registry._headers.cache_clear()
