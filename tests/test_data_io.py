"""The shipped measurement files: all valid, numbers equal to the source CSV text, and
malformed files refused with a message naming the file and the problem.

The source tables live in ``../shared/data`` next to the repository (the curation); on a
machine without them the comparison with the source is skipped.
"""

from __future__ import annotations

import csv
import importlib.util
import math
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table

from positrons.data import DatasetFormatError, read_catalogue, read_dataset
from positrons.data.schema import ENERGY_COLUMNS, ERROR_COLUMNS

SHARED = Path(__file__).parents[2] / "shared" / "data"
PACKAGE_DATA = resources.files("positrons.data")
MEASUREMENT_FILES = sorted(Path(str(PACKAGE_DATA / "measurements")).glob("*.ecsv"))
CATALOGUE_FILES = sorted(Path(str(PACKAGE_DATA / "catalogues")).glob("*.ecsv"))

needs_shared = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"source CSV tables not present at {SHARED} (only in the development tree)"
)


def source_table(stem: str) -> tuple[list[str], list[list[str]]]:
    """Header row and data rows (as text) of a source CSV; '#' lines skipped."""
    with (SHARED / f"{stem}.csv").open(encoding="utf-8") as fh:
        rows = list(csv.reader(line for line in fh if not line.startswith("#")))
    return rows[0], [r for r in rows[1:] if r]


def _float_or_none(text: str):
    try:
        return float(text)
    except ValueError:
        return None


# --- every shipped file is valid -------------------------------------------------------
def test_files_are_shipped():
    assert len(MEASUREMENT_FILES) > 40
    assert len(CATALOGUE_FILES) == 2


@pytest.mark.parametrize("path", MEASUREMENT_FILES, ids=lambda p: p.stem)
def test_measurement_file_validates(path):
    ds = read_dataset(path)
    assert ds.id == path.stem
    assert ds.n_points == ds.meta["n_points"] > 0


@pytest.mark.parametrize("path", CATALOGUE_FILES, ids=lambda p: p.stem)
def test_catalogue_file_validates(path):
    table = read_catalogue(path)
    assert table.meta["dataset_id"] == path.stem
    assert len(table) == table.meta["n_points"]


@needs_shared
def test_one_shipped_file_per_source_csv():
    """IDs are the source file names; no file is lost or invented."""
    sources = {p.stem for p in SHARED.glob("*.csv")}
    shipped = [p.stem for p in MEASUREMENT_FILES + CATALOGUE_FILES]
    assert len(shipped) == len(sources)
    assert set(shipped) == sources
    assert {p.stem for p in CATALOGUE_FILES} == {s for s in sources if s.startswith("atnf_")}


@needs_shared
def test_import_script_regenerates_the_shipped_files_byte_for_byte(tmp_path, monkeypatch, capsys):
    """The shipped files are exactly what tools/import_shared_data.py writes (no hand edits)."""
    script = Path(__file__).parents[1] / "tools" / "import_shared_data.py"
    spec = importlib.util.spec_from_file_location("import_shared_data", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT_MEASUREMENTS", tmp_path / "measurements")
    monkeypatch.setattr(module, "OUT_CATALOGUES", tmp_path / "catalogues")
    assert module.main([str(SHARED)]) == 0
    for shipped in MEASUREMENT_FILES + CATALOGUE_FILES:
        fresh = tmp_path / shipped.parent.name / shipped.name
        assert fresh.read_bytes() == shipped.read_bytes(), shipped.name
    assert len(list(tmp_path.glob("*/*.ecsv"))) == len(MEASUREMENT_FILES + CATALOGUE_FILES)


# --- numbers unchanged ------------------------------------------------------------------
@needs_shared
@pytest.mark.parametrize("path", MEASUREMENT_FILES, ids=lambda p: p.stem)
def test_numbers_equal_source_text(path):
    """Every finite number of a shipped row is, as a float, one of the numbers written in the
    same row of the source CSV (exact equality: nothing is rounded, scaled or converted),
    and ``value`` is the source's value column.  NaN is allowed only where the source cell
    is empty, is GALPROP's E_mean = 0.00, or the source has no such column at all (the
    whole shipped column is NaN) -- the documented conventions."""
    table = Table.read(path, format="ascii.ecsv")
    columns, rows = source_table(path.stem)
    assert len(table) == len(rows)
    reordered = "rows_reordered" in table.meta["flags"]
    source_numbers = [{f for f in map(_float_or_none, r) if f is not None} for r in rows]
    numeric = [c for c in table.colnames if table[c].dtype.kind in "fi"]
    absent = {c for c in numeric if np.all(np.isnan(np.asarray(table[c], dtype=float)))}
    for i in range(len(table)):
        candidates = set().union(*source_numbers) if reordered else source_numbers[i]
        for c in numeric:
            x = float(table[c][i])
            if math.isnan(x):
                if c in absent:
                    continue
                cell_texts = rows[i]
                assert any(t.strip() == "" for t in cell_texts) or (
                    c == "energy_ref" and "E_mean" in columns and float(rows[i][columns.index("E_mean")]) == 0.0
                ), f"row {i} column {c}: NaN without an empty or zero source cell"
                continue
            assert x in candidates, f"row {i} column {c}: {x!r} is not a number of source row {i}"
    value_column = next(c for c in ("value", "value_E3", "J", "ratio_scaled") if c in columns)
    expected = [float(r[columns.index(value_column)]) for r in rows]
    if not reordered:
        assert list(table["value"]) == expected


@needs_shared
def test_numbers_check_can_fail(tmp_path):
    """The comparison above catches a changed number (here the last digit of one flux)."""
    path = Path(str(PACKAGE_DATA / "measurements" / "ams02_positron_flux_prl2019.ecsv"))
    table = Table.read(path, format="ascii.ecsv")
    table["value"][5] = np.nextafter(table["value"][5], 1.0)
    broken = tmp_path / path.name
    table.write(broken, format="ascii.ecsv")
    with pytest.raises(AssertionError, match="row 5 column value"):
        test_numbers_equal_source_text(broken)


@needs_shared
@pytest.mark.parametrize("path", CATALOGUE_FILES, ids=lambda p: p.stem)
def test_catalogue_numbers_equal_source_text(path):
    table = Table.read(path, format="ascii.ecsv")
    columns, rows = source_table(path.stem)
    assert table.colnames == columns
    for j, c in enumerate(columns):
        for i, r in enumerate(rows):
            cell = table[c][i]
            if np.ma.is_masked(cell):
                assert r[j] == ""
            elif table[c].dtype.kind in "fi":
                x = float(cell)
                assert (math.isnan(x) and r[j] == "") or x == float(r[j]), (c, i)
            else:
                assert str(cell) == r[j], (c, i)


# --- malformed files are refused ---------------------------------------------------------
GOOD = Path(str(PACKAGE_DATA / "measurements" / "ams02_positron_flux_prl2019.ecsv"))


def _broken_copy(tmp_path, edit) -> Path:
    table = Table.read(GOOD, format="ascii.ecsv")
    edit(table)
    out = tmp_path / "broken_copy.ecsv"
    table.write(out, format="ascii.ecsv", overwrite=True)
    return out


def _swap_rows(t):
    for c in t.colnames:
        t[c][3], t[c][4] = t[c][4], t[c][3]


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda t: t.remove_column("energy_ref"), r"missing column\(s\) \['energy_ref'\]"),
        (lambda t: t["stat_err_low"].__setitem__(3, -0.001), "negative error in column 'stat_err_low', row"),
        (_swap_rows, "rows not sorted by energy"),
        (lambda t: t.meta.__setitem__("n_points", 99), "n_points is 99 but the table has 74 rows"),
        (lambda t: t.meta.__setitem__("species", "muon"), "unknown species 'muon'"),
        (lambda t: t.meta.__setitem__("quantity", "density"), "unknown quantity 'density'"),
        (lambda t: t.meta.__setitem__("flags", ["looks_fine"]), r"unknown flag\(s\) \['looks_fine'\]"),
        (lambda t: t.meta.pop("reference"), r"missing metadata key\(s\) \['reference'\]"),
        (lambda t: t.meta.__setitem__("colour", "red"), r"unknown metadata key\(s\) \['colour'\]"),
        (lambda t: t.meta.__setitem__("energy_unit", "TeV"), "column 'energy_low' has unit GeV, expected energy_unit TeV"),
        (lambda t: t["energy_low"].__setitem__(2, 5.0), r"energy_low > energy_high in row\(s\) \[2\]"),
        (lambda t: t.meta.__setitem__("energy_range", [0.57, 1.0]), "energy_range .* does not match the data"),
    ],
    ids=[
        "missing_column", "negative_error", "unsorted", "wrong_n_points", "unknown_species",
        "unknown_quantity", "unknown_flag", "missing_meta", "unknown_meta", "unit_mismatch",
        "low_above_high", "wrong_energy_range",
    ],
)
def test_malformed_file_refused(tmp_path, edit, problem):
    path = _broken_copy(tmp_path, edit)
    with pytest.raises(DatasetFormatError, match=problem) as info:
        read_dataset(path)
    assert str(info.value).startswith("broken_copy.ecsv: ")


def test_unknown_unit_refused(tmp_path):
    """astropy cannot parse the unit: refused (not read as an 'unrecognized unit')."""
    text = GOOD.read_text(encoding="utf-8")
    assert "{name: energy_low, unit: GeV," in text
    bad = tmp_path / "bad_unit.ecsv"
    bad.write_text(text.replace("{name: energy_low, unit: GeV,", "{name: energy_low, unit: GeVish,"), encoding="utf-8")
    with pytest.raises(DatasetFormatError, match=r"^bad_unit\.ecsv: unknown unit .*GeVish"):
        read_dataset(bad)


def test_not_ecsv_refused(tmp_path):
    bad = tmp_path / "plain.csv"
    bad.write_text("E,value\n1,2\n", encoding="utf-8")
    with pytest.raises(DatasetFormatError, match=r"^plain\.csv: not an ECSV file"):
        read_dataset(bad)


def test_missing_file_refused(tmp_path):
    with pytest.raises(DatasetFormatError, match=r"^nothing\.ecsv: cannot read the file"):
        read_dataset(tmp_path / "nothing.ecsv")


def test_good_copy_accepted(tmp_path):
    """The broken copies differ from a valid file only by their edit."""
    path = _broken_copy(tmp_path, lambda t: None)
    assert read_dataset(path).n_points == 74


def test_shipped_columns_follow_the_format():
    for path in MEASUREMENT_FILES:
        table = Table.read(path, format="ascii.ecsv")
        assert table.colnames[:4] == [*ENERGY_COLUMNS, "value"], path.stem
        errs = [c for c in table.colnames if c in ERROR_COLUMNS]
        assert errs or "missing_errors" in table.meta["flags"], f"{path.stem}: no error column"
        assert errs == [c for c in ERROR_COLUMNS if c in errs], f"{path.stem}: error columns out of order"


VOYAGER_E = Path(str(PACKAGE_DATA / "measurements" / "voyager1_electron_lis_cummings2016.ecsv"))


def _broken_voyager(tmp_path, edit) -> Path:
    table = Table.read(VOYAGER_E, format="ascii.ecsv")
    edit(table)
    out = tmp_path / "broken_voyager.ecsv"
    table.write(out, format="ascii.ecsv", overwrite=True)
    return out


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda t: t.meta["flags"].remove("assumed_errors"), "go together"),
        (lambda t: t.remove_column("error_assumed"), "go together"),
        (lambda t: t["error_assumed"].__setitem__(0, True), r"row\(s\) \[0\] have a published error"),
        (lambda t: t.meta["assumed_errors"].__setitem__("relative_error", 2.0), "assumed_errors must be"),
    ],
    ids=["no_flag", "no_column", "assumed_over_published", "bad_relative_error"],
)
def test_inconsistent_assumed_errors_refused(tmp_path, edit, problem):
    with pytest.raises(DatasetFormatError, match=problem):
        read_dataset(_broken_voyager(tmp_path, edit))


def test_nuclei_rows_out_of_charge_order_refused(tmp_path):
    path = Path(str(PACKAGE_DATA / "measurements" / "voyager1_nuclei_z3_28_cummings2016_table9.ecsv"))
    table = Table.read(path, format="ascii.ecsv")
    out = tmp_path / "z.ecsv"
    table[::-1].write(out, format="ascii.ecsv")
    with pytest.raises(DatasetFormatError, match=r"rows not sorted by Z \(row 2: Z = 28 > row 3: Z = 26\)"):
        read_dataset(out)
