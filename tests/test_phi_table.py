"""Tests of the published-phi table and its matching to datasets (positrons.heliosphere.phi_table).

Compared against: the published numbers themselves (CRDB ``phi [MV]`` column, export of
2019/07/31, copied by hand here from the source file named in the module docstring), the
data-taking periods of the shipped datasets, and the documented matching rule (overlap
ratio >= 0.6; year/month-precision periods matched to a flight of the same experiment).
"""

import datetime as dt

import astropy.units as au
import pytest

from positrons.data import list_datasets, load
from positrons.heliosphere import phi_table as pt

# CRDB sub-experiment -> (phi [MV], DATIMES) as printed in the source file
PUBLISHED = {
    "CAPRICE94(1994/08)": (518.0, "1994/08/08-160000:1994/08/09-150000"),
    "AMS01(1998/06)": (555.0, "1998/06/02-000000:1998/06/12-000000"),
    "PAMELA(2006/07-2008/12)": (372.0, "2006/07/01-000000:2008/12/01-000000"),
    "AMS02(2011/05-2013/11)": (564.0, "2011/05/19-000000:2013/11/26-000000"),
}


def _crdb_datetime(text):
    return dt.datetime.strptime(text, "%Y/%m/%d-%H%M%S")


def test_table_holds_the_published_numbers():
    assert {e.key for e in pt.PHI_TABLE} == set(PUBLISHED)
    for entry in pt.PHI_TABLE:
        phi, datimes = PUBLISHED[entry.key]
        assert entry.phi_MV == phi
        assert entry.phi == pytest.approx(phi / 1000)  # GV
        start, end = datimes.split(":")
        assert dt.datetime.fromisoformat(entry.start) == _crdb_datetime(start)
        assert dt.datetime.fromisoformat(entry.end) == _crdb_datetime(end)
        assert "CRDB" in entry.source and "Ghelfi" in entry.source and entry.reference
        assert "grcrfit@f73f17266f887a9b2cf0e575bc6824bb260bb0a3" in entry.copy


@pytest.mark.parametrize(
    "dataset_id, phi",
    [
        ("ams02_positron_fraction_prl2014", 0.564),  # same period as the table entry
        ("ams02_proton_flux_prl2015_crdb", 0.564),
        ("ams02_positron_fraction_prl2013", 0.564),  # 2011/05-2012/12: overlap ratio 0.62
        ("pamela_positron_flux_2013", 0.372),  # 2006/07-2010/01: overlap ratio 0.67
        ("pamela_positron_fraction_2009_nature", 0.372),
        ("caprice94_positron_flux", 0.518),  # period "1994": the CAPRICE94 flight inside it
        ("ams01_positron_flux_1998", 0.555),  # period "1998-06": STS-91 inside it
    ],
)
def test_table_value_for_a_dataset(dataset_id, phi):
    assert pt.phi_for_dataset(dataset_id) == pytest.approx(phi, rel=1e-12)
    # a Dataset object works as well as its ID
    assert pt.phi_for_dataset(load(dataset_id)) == pytest.approx(phi, rel=1e-12)
    choice = pt.explain_phi(dataset_id)
    assert choice.entry is not None and choice.source == choice.entry.key
    assert f"{choice.entry.phi_MV:g} MV" in choice.note


def test_user_value_wins():
    assert pt.phi_for_dataset("ams02_positron_fraction_prl2014", phi=0.7) == 0.7
    assert pt.phi_for_dataset("ams02_positron_flux_prl2019", phi=450 * au.MV) == pytest.approx(0.45)
    assert pt.explain_phi("ams02_positron_flux_prl2019", phi=0.7).source == "user"
    with pytest.raises(ValueError):
        pt.phi_for_dataset("ams02_positron_flux_prl2019", phi=-0.1)


def test_local_interstellar_data_are_unmodulated():
    choice = pt.explain_phi("voyager1_electron_lis_cummings2016")
    assert choice.phi == 0.0 and choice.source == "local_interstellar"
    assert "unmodulated" in choice.note and "heliopause" in choice.note


@pytest.mark.parametrize(
    "dataset_id",
    [
        "ams02_positron_flux_prl2019",  # 2011/05-2017/11: overlap ratio 0.38 with 2011/05-2013/11
        "ams02_positron_flux_physrep2021_crdb",
        "fermi_positron_flux_2012_kiss",  # no published value found for 2008/06-2011/04
        "heat_positron_flux_1994_95",  # no HEAT flight in the table
        "ams02_bc_ratio_prl2018_ssdc_ekn",  # 2011/05-2016/05: overlap ratio 0.36
        "hess_cre_2008_crdb",  # no data-taking period at all
    ],
)
def test_missing_value_asks_for_phi(dataset_id):
    with pytest.raises(pt.NoPublishedPhiError, match="--phi") as exc:
        pt.phi_for_dataset(dataset_id)
    assert isinstance(exc.value, ValueError)
    assert dataset_id in str(exc.value)


def test_every_shipped_dataset_gets_a_value_or_the_clear_error():
    matched = 0
    for info in list_datasets():
        try:
            phi = pt.phi_for_dataset(info.id)
        except pt.NoPublishedPhiError:
            continue
        assert 0.0 <= phi < 1.0
        matched += 1
    assert matched >= 15  # AMS-02 2011-2013 sets, PAMELA, CAPRICE94, AMS-01, Voyager


def test_matching_rule():
    # identical period
    entry, why = pt.match_period(["2011-05-19", "2013-11-25"])
    assert entry.key == "AMS02(2011/05-2013/11)" and why.startswith("overlap ratio 1.00")
    # overlap ratio just above / below the threshold 0.6
    assert pt.match_period(["2011-05-19", "2012-12-10"]) is not None  # 0.62
    assert pt.match_period(["2011-05-19", "2012-10-31"]) is None  # 0.58
    # a period disjoint from every entry
    assert pt.match_period(["2020-01", "2021-01"]) is None
    # year precision: only a flight of the same experiment inside the year
    assert pt.match_period(["1994", "1994"], "CAPRICE94")[0].key == "CAPRICE94(1994/08)"
    assert pt.match_period(["1994", "1994"], "HEAT") is None
    assert pt.match_period(["1994", "1994"]) is None
    # ... but not a multi-year period given to the month (AMS-02 2011/05-2018/05 is not
    # the 2011/05-2013/11 sub-period)
    assert pt.match_period(["2011-05", "2018-05"], "AMS-02") is None


def test_period_parsing():
    start, end, precision = pt.parse_period(["1994", "1995"])
    assert (start, end, precision) == (dt.datetime(1994, 1, 1), dt.datetime(1996, 1, 1), "year")
    start, end, precision = pt.parse_period(["2011-05", "2012-12"])
    assert (start, end, precision) == (dt.datetime(2011, 5, 1), dt.datetime(2013, 1, 1), "month")
    start, end, precision = pt.parse_period(["2011-05-19T00:00:00", "2012-12-10"])
    assert end == dt.datetime(2012, 12, 11) and precision == "day"
    with pytest.raises(ValueError):
        pt.parse_period(["2012", "2011"])
    with pytest.raises(ValueError):
        pt.parse_period(["May 2011", "2012"])
    with pytest.raises(ValueError):
        pt.parse_period(["2011"])
