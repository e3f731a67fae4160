"""Plotting of measurements: each function returns a Figure with the expected series
(counted through the legend); no image comparison."""

from __future__ import annotations

import pytest
from matplotlib.figure import Figure

import positrons.data as data
from positrons.plotting import COMBINED_PLOT_EXCLUDED_FLAGS, plot_datasets, plot_quantity


def legend_labels(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_plot_datasets_one_series_per_dataset(tmp_path):
    fig = plot_datasets(["ams02_positron_flux_prl2019", "pamela_positron_flux_2013"], energy_power=3)
    assert isinstance(fig, Figure)
    assert legend_labels(fig) == ["AMS-02 (2019)", "PAMELA (2013)"]
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert "E^{3}" in ax.get_ylabel() and "GeV$^{2}$" in ax.get_ylabel()
    assert len(ax.containers) == 2  # two errorbar containers
    fig.savefig(tmp_path / "two.png")  # renders headless (Agg)
    assert (tmp_path / "two.png").stat().st_size > 10_000


def test_rows_without_errors_are_a_separate_open_series():
    fig = plot_datasets([data.load("voyager1_electron_lis_cummings2016")])
    assert legend_labels(fig) == ["Voyager 1 (2016)", "Voyager 1 (2016) (no error)"]
    ax = fig.axes[0]
    open_line = [line for line in ax.get_lines() if line.get_label().endswith("(no error)")][0]
    assert open_line.get_markerfacecolor() == "none"
    assert len(open_line.get_xdata()) == 4


def test_plot_on_given_axes():
    fig = Figure()
    ax = fig.add_subplot()
    assert plot_datasets("ams02_positron_fraction", ax=ax) is fig
    assert ax.get_yscale() == "linear"


def test_same_label_is_disambiguated():
    fig = plot_datasets(["ams02_proton_flux_prl2015_crdb_rigidity", "ams02_proton_flux_prl2015_crdb"])
    labels = legend_labels(fig)
    assert len(set(labels)) == 2 and all(lab.startswith("AMS-02 (2015) [") for lab in labels)


def test_plot_datasets_refuses_mixtures():
    with pytest.raises(ValueError, match="different quantities"):
        plot_datasets(["ams02_positron_fraction", "ams02_positron_flux"])
    with pytest.raises(ValueError, match="energy_power applies to fluxes only"):
        plot_datasets(["ams02_positron_fraction"], energy_power=3)
    with pytest.raises(ValueError, match="no datasets"):
        plot_datasets([])


def _expected_ids(quantity, species=None):
    return data.find(species=species, quantity=quantity, exclude_flags=COMBINED_PLOT_EXCLUDED_FLAGS)


def test_plot_quantity_fraction():
    fig = plot_quantity("fraction")
    labels = legend_labels(fig)
    ids = _expected_ids("fraction")
    assert len(labels) == len(ids) == 7
    assert {"AMS-02 (2013)", "AMS-02 (2014)", "AMS-02 (2019)", "Fermi-LAT (2012)"} <= set(labels)
    assert sum(lab.startswith("PAMELA") for lab in labels) == 3
    assert "AMS-02 (2021)" not in labels  # the Physics-Reports copy is flagged duplicate


@pytest.mark.parametrize("species", ["positron", "electron"])
def test_plot_quantity_lepton_fluxes(species):
    fig = plot_quantity("flux", species, energy_power=3)
    assert len(legend_labels(fig)) == len(_expected_ids("flux", species)) == 6
    assert fig.axes[0].get_title() == f"{species.capitalize()} flux"


def test_plot_quantity_all_electrons_leaves_out_flagged_and_marks_lis():
    fig = plot_quantity("flux", "electron+positron", energy_power=3)
    labels = legend_labels(fig)
    ids = _expected_ids("flux", "electron+positron")
    # one series per dataset, plus the open-marker series of the 4 Voyager rows without errors
    assert len(labels) == len(ids) + 1 == 13
    assert not any(lab.startswith("VERITAS") for lab in labels)  # units_unverified
    assert "AMS-02 (2019)" not in labels  # not_independent_measurement (SSDC e- + e+ sum)
    assert "Voyager 1 (2016) (LIS)" in labels
    assert "Voyager 1 (2016) (LIS) (no error)" in labels


def test_plot_quantity_needs_species_for_flux():
    with pytest.raises(ValueError, match="needs a species"):
        plot_quantity("flux")
    with pytest.raises(ValueError, match="no shipped dataset"):
        plot_quantity("fraction", exclude=_expected_ids("fraction"))
