"""Result records of the analyses behind ``positrons belt``, ``modulate`` and ``secondary``:
``to_table()`` (units, settings and version in meta), ``write()`` (atomic, the suffix chooses
the format, an unknown suffix refused) and ``plot(ax=None)``."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from matplotlib.figure import Figure

from positrons import __version__
from positrons.analysis.belt import BeltSettings, belt_spectra
from positrons.analysis.lis_modulation import modulate_lis, read_lis_csv
from positrons.analysis.secondary_spectra import compare_cross_sections, cross_section_spectrum, secondary_source


@pytest.fixture(scope="module")
def records():
    T = np.geomspace(0.1, 100.0, 12)
    return {
        "belt": belt_spectra(BeltSettings(), np.geomspace(0.005, 0.25, 6)),
        "modulate": modulate_lis(T, T**-2.7, "positron", 0.55),
        "cross_section": cross_section_spectrum("kamae2006", 10.0, np.geomspace(0.01, 20.0, 8)),
        "source": secondary_source("kamae2006", "positron", np.geomspace(0.1, 10.0, 5)),
    }


@pytest.mark.parametrize("name", ["belt", "modulate", "cross_section", "source"])
def test_table_has_units_settings_and_version(records, name):
    table = records[name].to_table()
    assert table.meta["positrons_version"] == __version__
    assert table.meta["settings"]
    assert str(table.columns[0].unit) == "GeV"


@pytest.mark.parametrize("name", ["belt", "modulate", "cross_section", "source"])
def test_write_round_trips_and_leaves_no_temporary_file(records, name, tmp_path):
    record = records[name]
    path = record.write(tmp_path / "out.ecsv")
    back = Table.read(path)
    first = record.to_table().colnames[0]
    np.testing.assert_array_equal(back[first], record.to_table()[first])
    assert back.meta["settings"] == record.to_table().meta["settings"]
    record.write(tmp_path / "out.csv")
    assert (tmp_path / "out.csv").read_text().startswith("# ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "out.ecsv"]


@pytest.mark.parametrize("suffix", [".txt", ".png", ""])
def test_write_refuses_an_unknown_suffix(records, suffix, tmp_path):
    with pytest.raises(ValueError, match="unknown file type"):
        records["modulate"].write(tmp_path / f"out{suffix}")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["belt", "modulate", "cross_section", "source"])
def test_plot_draws_on_a_given_axes_or_a_new_figure(records, name):
    fig = records[name].plot()
    assert isinstance(fig, Figure) and fig.axes[0].lines
    own = Figure()
    ax = own.add_subplot()
    assert records[name].plot(ax=ax) is own and ax.lines


def test_comparison_skips_models_outside_their_range():
    comparison = compare_cross_sections(["kamae2006", "kelner2006"], 10.0)
    assert "kelner2006" in comparison.skipped and set(comparison.curves) == {"kamae2006"}
    assert "not shown: kelner2006" in comparison.plot().axes[0].get_title()


def test_belt_settings_refuse_the_table_away_from_its_shell():
    with pytest.raises(ValueError, match="L = 1.2 only"):
        BeltSettings(L=1.5)
    with pytest.raises(ValueError, match="rho"):
        BeltSettings(rho="dense")


def test_lis_file_errors_name_the_line(tmp_path):
    path = tmp_path / "lis.csv"
    path.write_text("E_kin_GeV,flux\n1,2\n0.5,1\n")
    with pytest.raises(ValueError, match="line 3"):
        read_lis_csv(path)
