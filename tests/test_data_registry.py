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
from positrons.data.manifest import MANIFEST_NAME, format_manifest, parse_manifest
from positrons.data.schema import FLAGS

MEASUREMENT_IDS = sorted(
    p.stem for p in Path(str(resources.files("positrons.data") / "measurements")).glob("*.ecsv")
)


def test_nothing_is_read_at_import():
    """Importing positrons.data reads no file (the registry is built on first use)."""
    code = (
        "import positrons.data as d\n"
        "from positrons.data import registry as r\n"
        "print(r.default_registry.cache_info().currsize)\n"
        "d.list_datasets()\n"
        "reg = r.default_registry()\n"
        "print(r.default_registry.cache_info().currsize, sorted(reg._listings), len(reg._datasets))\n"
    )
    out = subprocess.run([sys.executable, "-W", "error", "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["0", "1 ['measurements'] 0"]


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


def _copy_of_the_package_data(tmp_path) -> Path:
    """The shipped data directory (files and manifest) copied to ``tmp_path/data``."""
    root = tmp_path / "data"
    src = resources.files("positrons.data")
    for kind in ("measurements", "catalogues"):
        (root / kind).mkdir(parents=True)
        for entry in (src / kind).iterdir():
            (root / kind / entry.name).write_bytes(entry.read_bytes())
    (root / MANIFEST_NAME).write_bytes((src / MANIFEST_NAME).read_bytes())
    return root


def test_a_copy_of_the_package_data_lists_everything(tmp_path):
    reg = registry.Registry(_copy_of_the_package_data(tmp_path))
    assert [i.id for i in reg.list_datasets()] == MEASUREMENT_IDS
    assert reg.list_unreadable() == []
    assert reg.load("dampe_cre_2017").n_points == data.load("dampe_cre_2017").n_points


def test_manifest_covers_every_shipped_file():
    manifest = parse_manifest((resources.files("positrons.data") / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert {p.split("/")[1][: -len(".ecsv")] for p in manifest if p.startswith("measurements/")} == set(MEASUREMENT_IDS)
    assert len(manifest) == len(MEASUREMENT_IDS) + len(data.list_catalogues())


def test_a_changed_number_is_refused_naming_the_file(tmp_path):
    """One AMS-02 value x100 inside the installation: the load fails with a one-line
    ChecksumError (a ValueError) that names the file; the other datasets still load."""
    root = _copy_of_the_package_data(tmp_path)
    path = root / "measurements" / "ams02_positron_flux_prl2019.ecsv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(k for k, line in enumerate(lines) if not line.startswith("#") and line[0].isdigit())
    fields = lines[i].split(" ")
    fields[3] = repr(float(fields[3]) * 100)
    lines[i] = " ".join(fields)
    path.write_text("".join(lines), encoding="utf-8")
    reg = registry.Registry(root)
    with pytest.raises(data.ChecksumError) as info:
        reg.load("ams02_positron_flux")
    message = str(info.value)
    assert message.startswith("ams02_positron_flux_prl2019.ecsv: checksum mismatch") and "\n" not in message
    assert isinstance(info.value, ValueError)
    assert reg.load("dampe_cre_2017").n_points == 38
    assert [(u.id, u.kind) for u in reg.list_unreadable()] == [("ams02_positron_flux_prl2019", "measurements")]


def test_a_file_changed_after_listing_is_refused_at_load(tmp_path):
    root = _copy_of_the_package_data(tmp_path)
    reg = registry.Registry(root)
    assert "dampe_cre_2017" in [i.id for i in reg.list_datasets()]
    path = root / "measurements" / "dampe_cre_2017.ecsv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(data.ChecksumError, match=r"^dampe_cre_2017\.ecsv: checksum mismatch"):
        reg.load("dampe_cre_2017")


def test_an_empty_file_does_not_break_the_listing(tmp_path):
    root = _copy_of_the_package_data(tmp_path)
    (root / "measurements" / "calet_cre_2018.ecsv").write_bytes(b"")
    reg = registry.Registry(root)
    ids = [i.id for i in reg.list_datasets()]
    assert ids == [i for i in MEASUREMENT_IDS if i != "calet_cre_2018"]
    (bad,) = reg.list_unreadable()
    assert bad.id == "calet_cre_2018" and bad.reason.startswith("calet_cre_2018.ecsv: checksum mismatch")
    with pytest.raises(data.ChecksumError, match="calet_cre_2018.ecsv"):
        reg.load("calet_cre_2018")


def test_unreadable_reasons(tmp_path):
    """A renamed file (ID differs from its name, and not in the manifest), a file deleted
    from the installation, and a missing manifest: each is reported, none raises at listing."""
    root = _copy_of_the_package_data(tmp_path)
    (root / "measurements" / "dampe_cre_2017.ecsv").rename(root / "measurements" / "renamed.ecsv")
    reasons = {u.id: u.reason for u in registry.Registry(root).list_unreadable()}
    assert reasons == {
        "dampe_cre_2017": "dampe_cre_2017.ecsv: listed in checksums.sha256 but missing from the installation",
        "renamed": "renamed.ecsv: not in the checksum manifest checksums.sha256 (not a shipped file?)",
    }
    (root / MANIFEST_NAME).unlink()
    reg = registry.Registry(root)
    assert reg.list_datasets() == []
    assert all("cannot read the checksum manifest" in u.reason for u in reg.list_unreadable())


def test_a_file_whose_id_is_not_its_name_is_unreadable(tmp_path):
    root = _copy_of_the_package_data(tmp_path)
    good = root / "measurements" / "dampe_cre_2017.ecsv"
    renamed = root / "measurements" / "renamed.ecsv"
    renamed.write_bytes(good.read_bytes())
    manifest = parse_manifest((root / MANIFEST_NAME).read_text(encoding="utf-8"))
    manifest["measurements/renamed.ecsv"] = manifest["measurements/dampe_cre_2017.ecsv"]
    (root / MANIFEST_NAME).write_text(format_manifest(manifest), encoding="utf-8")
    reasons = {u.id: u.reason for u in registry.Registry(root).list_unreadable()}
    assert reasons == {"renamed": "renamed.ecsv: dataset_id 'dampe_cre_2017' differs from the file name"}


def test_data_list_shows_the_unreadable_file_and_the_others(tmp_path, monkeypatch, capsys):
    from positrons.cli import main

    root = _copy_of_the_package_data(tmp_path)
    (root / "measurements" / "calet_cre_2018.ecsv").write_bytes(b"")
    monkeypatch.setattr(registry, "default_registry", lambda: registry.Registry(root))
    assert main(["data", "list"]) == 0
    out = capsys.readouterr().out
    assert "dampe_cre_2017 " in out and "voyager1_electron_lis_cummings2016 " in out
    (line,) = [line for line in out.splitlines() if line.startswith("calet_cre_2018 ")]
    assert "UNREADABLE: calet_cre_2018.ecsv: checksum mismatch" in line
    assert f"{len(MEASUREMENT_IDS) - 1} measurements, 1 unreadable" in out
