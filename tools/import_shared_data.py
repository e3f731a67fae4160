#!/usr/bin/env python
"""Regenerate the package's measurement and catalogue files from the curated CSV tables.

Usage (from the repository root)::

    python tools/import_shared_data.py [SHARED_DATA_DIR]

``SHARED_DATA_DIR`` defaults to ``../shared/data`` relative to the repository root.  Each
CSV there (``#`` comment header + one data table, see its INDEX.md) becomes one ECSV file:

* spectra, fractions, ratios -> ``src/positrons/data/measurements/<dataset_id>.ecsv``
* pulsar catalogue tables (``atnf_*``) -> ``src/positrons/data/catalogues/<dataset_id>.ecsv``

Everything this script knows about a file (species, quantity, energy variable and unit,
column mapping, error convention, flags, year, data-taking period, DOI/arXiv) is written in
the mapping tables :data:`MEASUREMENTS` and :data:`CATALOGUES` below, one entry per file.
Numbers are never changed: each number is parsed with ``float(text)`` and written back
with ``repr`` (exact round trip).  The representational conventions resolved here (GALPROP
``err_plus = 0`` means symmetric, ``E_mean = 0.00`` means not given, a single symmetric
error column, empty cells) are written into each file's ``notes``, prefixed ``[import]``.

The output is deterministic: re-running the script regenerates the files byte for byte.
It refuses to run if a CSV has no mapping entry or an entry has no CSV, and it reads every
written file back with :func:`positrons.data.read_dataset` (the format validator).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import re
import sys
from pathlib import Path

import numpy as np
from astropy.table import Column, MaskedColumn, Table

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = ROOT.parent / "shared" / "data"
OUT_MEASUREMENTS = ROOT / "src" / "positrons" / "data" / "measurements"
OUT_CATALOGUES = ROOT / "src" / "positrons" / "data" / "catalogues"

sys.path.insert(0, str(ROOT / "src"))
from positrons.data.convert import representative_energy  # noqa: E402  (after the sys.path line, on purpose)
from positrons.data.manifest import MANIFEST_NAME, format_manifest, sha256_hex  # noqa: E402
from positrons.data.readers import read_catalogue, read_dataset  # noqa: E402
from positrons.data.schema import ASSUMED_COLUMN, ERROR_COLUMNS, MULTI_SPECIES, REQUIRED_META  # noqa: E402

# --- units (astropy strings) ----------------------------------------------------------
FLUX_GEV = "1 / (m2 s sr GeV)"
FLUX_GV = "1 / (m2 s sr GV)"
FLUX_MEV = "1 / (m2 s sr MeV)"
DIMENSIONLESS = ""

PHYSREP_DOI = "10.1016/j.physrep.2020.09.003"
PRL122_101101 = "10.1103/PhysRevLett.122.101101"

# --- column layouts: source column -> format column -------------------------------------
# value and the standard error names (stat_err_low, ..., tot_err_high) map to themselves.
SSDC_EDGES_MEAN = {"E_low": "energy_low", "E_high": "energy_high", "E_mean": "energy_ref"}
EDGES = {"E_low": "energy_low", "E_high": "energy_high"}
MEAN_EDGES = {"E_mean": "energy_ref", "E_low": "energy_low", "E_high": "energy_high"}
RIGIDITY_EDGES = {"R_low": "energy_low", "R_high": "energy_high"}
KISS_X = {"E_x": "energy_ref"}
AMS_SYS_COMPONENTS = (
    "sys_acc_err_low",
    "sys_unf_err_low",
    "sys_scale_err_low",
    "sys_acc_err_high",
    "sys_unf_err_high",
    "sys_scale_err_high",
)
AMS_FRACTION_SYS_COMPONENTS = tuple(
    f"sys_{c}_err_{side}" for side in ("low", "high") for c in ("acc", "sel", "mig", "ref", "cc")
)


def day_of_year(year: int, day: int) -> str:
    """ISO calendar date of day ``day`` (1-based) of ``year``."""
    return (datetime.date(year, 1, 1) + datetime.timedelta(days=day - 1)).isoformat()


VOYAGER_CUMMINGS_PERIOD = [day_of_year(2012, 342), day_of_year(2015, 181)]  # 2012/342-2015/181

NOTE_GALPROP_TOT = (
    "[import] The GALPROP data file does not say whether its error columns include systematic "
    "errors; they are shipped as tot_err_low/high (flag total_errors_only)."
)
NOTE_CRDB_AXIS_R = (
    "[import] CRDB labels this axis R [GV]; the numbers are the published lepton energy bins "
    "in GeV (source header), shipped as kinetic energy in GeV (flag energy_variable_assumed)."
)
NOTE_NO_REF = "not given by the source; Dataset.energy uses the geometric mean of the bin edges"
NOTE_RIGIDITY_NO_REF = "not given by the source; Dataset.energy uses the geometric mean of the rigidity bin edges"
NOTE_KISS_FLUX_REF = (
    "representative rigidity computed by KISS from the CRDB bin edges (Lafferty & Wyatt 1995 point of an "
    "R^-2.7 spectrum); no bin edges in this source"
)
NOTE_KISS_RATIO_REF = "geometric mean of the CRDB rigidity bin edges computed by KISS; no bin edges in this source"
NOTE_CRDB_SYS_ZERO = (
    "[import] sys_err is 0 in every row, as written by CRDB: no systematic error is given for this "
    "set (flag stat_errors_only); the zeros are kept as numbers, so total errors are statistical only."
)

# --- the mapping table: one entry per measurement file ---------------------------------
# keys: experiment (short name for legends), species, quantity, energy_variable,
# energy_unit, value_unit, columns (layout dict), energy_ref_meaning, doi, arxiv, year,
# period ([start, end] ISO or None), flags, notes (added [import] notes), and optionally
# galprop_errors ("tot"/"stat"), symmetric_errors ({source column: "tot"/"stat"/"sys"}),
# zero_is_missing (source columns whose 0 means not given), extra_units, value_scaling,
# sig_is_total_rtol (Cummings et al. 2016 tables: check sig = sqrt(sys^2 + stat^2) to this tolerance),
# assumed_errors ({relative_error, basis}: the error assumed on rows without a published one).
MEASUREMENTS: dict[str, dict] = {
    "ams01_electron_flux_1998": dict(
        experiment="AMS-01", species="electron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=MEAN_EDGES, galprop_errors="tot", zero_is_missing=("E_mean",),
        energy_ref_meaning="not given (E_mean = 0.00 in the GALPROP file); Dataset.energy uses the geometric mean of the bin edges",
        doi="10.1016/S0370-1573(02)00013-3", arxiv=None, year=2002, period=["1998-06", "1998-06"],
        flags=["total_errors_only"], notes=[NOTE_GALPROP_TOT],
    ),
    "ams01_positron_flux_1998": dict(
        experiment="AMS-01", species="positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=MEAN_EDGES, galprop_errors="tot", zero_is_missing=("E_mean",),
        energy_ref_meaning="not given (E_mean = 0.00 in the GALPROP file); Dataset.energy uses the geometric mean of the bin edges",
        doi="10.1016/S0370-1573(02)00013-3", arxiv=None, year=2002, period=["1998-06", "1998-06"],
        flags=["total_errors_only"], notes=[NOTE_GALPROP_TOT],
    ),
    "ams02_allelectron_flux_physrep2021_crdb": dict(
        experiment="AMS-02", species="electron+positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=EDGES, energy_ref_meaning=NOTE_NO_REF,
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=["2011-05", "2018-05"],
        flags=["energy_variable_assumed"], notes=[NOTE_CRDB_AXIS_R],
    ),
    "ams02_allelectron_sum_prl2019_ssdc": dict(
        experiment="AMS-02", species="electron+positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=SSDC_EDGES_MEAN, energy_ref_meaning="representative energy given by the source (SSDC E_mean)",
        doi=PRL122_101101, arxiv=None, year=2019, period=["2011-05-19T00:00:00", "2017-11-12T00:00:00"],
        flags=["not_independent_measurement"],
        notes=["[import] not_independent_measurement: bin-by-bin sum of the AMS-02 e- and e+ flux tables (see the CAUTION note); never fit it together with them."],
    ),
    "ams02_bc_ratio_physrep2021_kiss": dict(
        experiment="AMS-02", species="boron/carbon", quantity="ratio",
        energy_variable="rigidity", energy_unit="GV", value_unit=DIMENSIONLESS,
        columns={"R_x": "energy_ref"},
        energy_ref_meaning="geometric bin centre computed by KISS (sqrt of the product of the CRDB rigidity bin edges; no edges in this source)",
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=None,
        flags=["representative_energy_computed"], notes=[],
    ),
    "ams02_bc_ratio_prl2018_ssdc_ekn": dict(
        experiment="AMS-02", species="boron/carbon", quantity="ratio",
        energy_variable="kinetic_energy_per_nucleon", energy_unit="GeV", value_unit=DIMENSIONLESS,
        columns={"Ekn": "energy_ref"}, extra_units={"Ekn_err_low": "GeV", "Ekn_err_high": "GeV"},
        energy_ref_meaning="kinetic energy per nucleon of the bin's representative rigidity, converted by the SSDC plotting tool",
        doi="10.1103/PhysRevLett.120.021101", arxiv=None, year=2018, period=["2011-05-19", "2016-05-26"],
        flags=["converted_by_ssdc", "total_errors_only"],
        notes=[
            "[import] Ekn_err_low/high are 0 in every row: they are not uncertainties (kept as extra columns with their source names).",
            "[import] 67 rows here vs 66 in ams02_bc_ratio_prl2018_ssdc_rigidity: the first row (0.4444 GeV/n, about 2.03 GV for A/Z = 2) has no counterpart there. The values are not those of the rigidity export at the same rigidity (e.g. 0.31580 at 0.5347 GeV/n, i.e. about 2.27 GV for A/Z = 2, vs 0.2947 at 2.27156 GV): SSDC converted the ratio itself, with isotopic assumptions the source does not state.",
        ],
    ),
    "ams02_bc_ratio_prl2018_ssdc_rigidity": dict(
        experiment="AMS-02", species="boron/carbon", quantity="ratio",
        energy_variable="rigidity", energy_unit="GV", value_unit=DIMENSIONLESS,
        columns={"R": "energy_ref"}, energy_ref_meaning="representative rigidity as exported by SSDC (no bin edges)",
        doi="10.1103/PhysRevLett.120.021101", arxiv=None, year=2018, period=["2011-05-19", "2016-05-26"],
        flags=["total_errors_only"], notes=[],
    ),
    "ams02_carbon_flux_physrep2021": dict(
        experiment="AMS-02", species="carbon", quantity="flux",
        energy_variable="rigidity", energy_unit="GV", value_unit=FLUX_GV,
        columns=RIGIDITY_EDGES, extra_units=dict.fromkeys(AMS_SYS_COMPONENTS, FLUX_GV),
        energy_ref_meaning=NOTE_RIGIDITY_NO_REF,
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=["2011-05-19T00:00:00", "2018-05-28T00:00:00"],
        flags=["carbon_isotopes_assumed_12C"], notes=[],
    ),
    "ams02_electron_flux_physrep2021_crdb": dict(
        experiment="AMS-02", species="electron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=EDGES, energy_ref_meaning=NOTE_NO_REF,
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=["2011-05", "2018-05"],
        flags=["energy_variable_assumed"], notes=[NOTE_CRDB_AXIS_R],
    ),
    "ams02_electron_flux_prl2019_ssdc_E3": dict(
        experiment="AMS-02", species="electron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit="GeV2 / (m2 s sr)",
        columns={"E": "energy_ref", "value_E3": "value"},
        extra_units={"E_err_low": "GeV", "E_err_high": "GeV"}, value_scaling="E^3",
        energy_ref_meaning="bin representative energy as exported by SSDC (no bin edges)",
        doi=PRL122_101101, arxiv=None, year=2019, period=["2011-05-19", "2017-11-12"],
        flags=["total_errors_only", "duplicate"],
        notes=[
            "[import] value_E3 -> value with value_scaling 'E^3' (unit GeV^2 m^-2 s^-1 sr^-1): this file keeps the published E^3-weighted numbers; positrons.data divides value and errors by energy_ref**3 when it reads the file.",
            "[import] E_err_low/high are 0 in every row: they are not uncertainties (kept as extra columns with their source names).",
            "[import] duplicate of ams02_electron_flux_physrep2021_crdb (same 75 bins; flux = value/E^3 agrees to < 1e-6 relative, tested); prefer that table (separate stat/sys errors, bin edges).",
        ],
    ),
    "ams02_helium_flux_physrep2021": dict(
        experiment="AMS-02", species="helium", quantity="flux",
        energy_variable="rigidity", energy_unit="GV", value_unit=FLUX_GV,
        columns=RIGIDITY_EDGES, extra_units=dict.fromkeys(AMS_SYS_COMPONENTS, FLUX_GV),
        energy_ref_meaning=NOTE_RIGIDITY_NO_REF,
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=["2011-05-19T00:00:00", "2018-05-28T00:00:00"],
        flags=["helium_isotopes_assumed_4He"], notes=[],
    ),
    "ams02_helium_flux_prl2015_crdb": dict(
        experiment="AMS-02", species="helium", quantity="flux",
        energy_variable="kinetic_energy_per_nucleon", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=MEAN_EDGES,
        energy_ref_meaning="kinetic energy per nucleon of the CRDB representative rigidity of the bin (computed by CRDB)",
        doi="10.1103/PhysRevLett.115.211101", arxiv=None, year=2015, period=["2011-05", "2013-11"],
        flags=["converted_by_crdb", "representative_energy_computed", "helium_isotopes_assumed_4He"],
        notes=[
            "[import] value is per GeV of kinetic energy per nucleon (energy_variable). The CRDB edges match T_n(R) of 4He (A = 4, Z = 2, m(4He)): 1.92 GV -> 0.405962 GeV/n (CRDB 0.4059623), so CRDB also took helium as 4He.",
        ],
    ),
    "ams02_positron_flux_physrep2021_crdb": dict(
        experiment="AMS-02", species="positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=EDGES, energy_ref_meaning=NOTE_NO_REF,
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=["2011-05", "2018-05"],
        flags=["energy_variable_assumed", "duplicate"],
        notes=[
            NOTE_CRDB_AXIS_R,
            "[import] duplicate of ams02_positron_flux_prl2019 (identical except one stat error and one bin edge, see the note above); combined plots use the PRL 2019 table, which gives the representative energy.",
        ],
    ),
    "ams02_positron_flux_prl2019": dict(
        experiment="AMS-02", species="positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=SSDC_EDGES_MEAN, energy_ref_meaning="bin representative energy as given in the AMS table (SSDC E_mean)",
        doi="10.1103/PhysRevLett.122.041102", arxiv=None, year=2019, period=["2011-05-19T00:00:00", "2017-11-12T00:00:00"],
        flags=[], notes=[],
    ),
    "ams02_positron_fraction_physrep2021": dict(
        experiment="AMS-02", species="positron", quantity="fraction",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=DIMENSIONLESS,
        columns=SSDC_EDGES_MEAN, energy_ref_meaning="representative energy given by the source (SSDC E_mean)",
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=["2011-05-19T00:00:00", "2018-05-28T00:00:00"],
        flags=["energy_variable_assumed", "duplicate"],
        notes=["[import] duplicate of ams02_positron_fraction_prl2019 (numerically identical but for one bin edge, see the note above); combined plots use the PRL 2019 table."],
    ),
    "ams02_positron_fraction_prl2013": dict(
        experiment="AMS-02", species="positron", quantity="fraction",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=DIMENSIONLESS,
        columns=EDGES, extra_units=dict.fromkeys(AMS_FRACTION_SYS_COMPONENTS, DIMENSIONLESS),
        energy_ref_meaning=NOTE_NO_REF,
        doi="10.1103/PhysRevLett.110.141102", arxiv=None, year=2013, period=["2011-05-19T00:00:00", "2012-12-10T23:59:59"],
        flags=["energy_variable_assumed"], notes=[],
    ),
    "ams02_positron_fraction_prl2014": dict(
        experiment="AMS-02", species="positron", quantity="fraction",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=DIMENSIONLESS,
        columns=EDGES, extra_units=dict.fromkeys(AMS_FRACTION_SYS_COMPONENTS, DIMENSIONLESS),
        energy_ref_meaning=NOTE_NO_REF,
        doi="10.1103/PhysRevLett.113.121101", arxiv=None, year=2014, period=["2011-05-19T00:00:00", "2013-11-26T23:59:59"],
        flags=["energy_variable_assumed"], notes=[],
    ),
    "ams02_positron_fraction_prl2019": dict(
        experiment="AMS-02", species="positron", quantity="fraction",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=DIMENSIONLESS,
        columns=SSDC_EDGES_MEAN, energy_ref_meaning="representative energy given by the source (SSDC E_mean)",
        doi=PRL122_101101, arxiv=None, year=2019, period=["2011-05-19T00:00:00", "2017-11-12T00:00:00"],
        flags=["energy_variable_assumed"], notes=[],
    ),
    "ams02_proton_flux_physrep2021": dict(
        experiment="AMS-02", species="proton", quantity="flux",
        energy_variable="rigidity", energy_unit="GV", value_unit=FLUX_GV,
        columns=RIGIDITY_EDGES, extra_units=dict.fromkeys(AMS_SYS_COMPONENTS, FLUX_GV),
        energy_ref_meaning=NOTE_RIGIDITY_NO_REF,
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=["2011-05-19T00:00:00", "2018-05-28T00:00:00"],
        flags=[], notes=[],
    ),
    "ams02_proton_flux_prl2015_crdb": dict(
        experiment="AMS-02", species="proton", quantity="flux",
        energy_variable="kinetic_energy_per_nucleon", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=MEAN_EDGES,
        energy_ref_meaning="kinetic energy per nucleon of the CRDB representative rigidity of the bin (computed by CRDB)",
        doi="10.1103/PhysRevLett.114.171103", arxiv=None, year=2015, period=["2011-05", "2013-11"],
        flags=["converted_by_crdb", "representative_energy_computed", "duplicate"],
        notes=[
            "[import] duplicate of ams02_proton_flux_prl2015_crdb_rigidity, the published rigidity table that CRDB converted. CRDB used m_p = 0.938 GeV (1.00 GV -> 0.4330753 GeV/n; the PDG mass gives 0.4329881) and the Jacobian beta at its representative rigidity (626.9 / beta(1.07634 GV) = 831.55 per GeV), where the bin-exact conversion gives 831.00 per GeV (0.07 % lower).",
        ],
    ),
    "ams02_proton_flux_prl2015_crdb_rigidity": dict(
        experiment="AMS-02", species="proton", quantity="flux",
        energy_variable="rigidity", energy_unit="GV", value_unit=FLUX_GV,
        columns={"R_mean": "energy_ref", "R_low": "energy_low", "R_high": "energy_high"},
        energy_ref_meaning="representative rigidity computed by CRDB (below the geometric mean of the edges, consistent with a power-law weighted point; the source header calls it the geometric mean)",
        doi="10.1103/PhysRevLett.114.171103", arxiv=None, year=2015, period=["2011-05", "2013-11"],
        flags=["representative_energy_computed"],
        notes=[
            "[import] R_mean is not the geometric mean of the edges the header names: 1.076340 vs sqrt(1.00 * 1.16) = 1.077033 GV, 1417.26 vs sqrt(1130 * 1800) = 1426.18 GV; it matches the Lafferty-Wyatt point of a power law of index about 2.7 (1418 GV for the last bin).",
        ],
    ),
    "atic_electron_flux_2008_galprop": dict(
        experiment="ATIC", species="electron+positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=MEAN_EDGES, galprop_errors="tot",
        energy_ref_meaning="mean energy as listed in the GALPROP data file",
        doi="10.1038/nature07477", arxiv=None, year=2008, period=None,
        flags=["total_errors_only", "energy_variable_assumed"],
        notes=[NOTE_GALPROP_TOT, "[import] species electron+positron: ATIC does not separate charge signs (GALPROP label 'electron (+positron)')."],
    ),
    "bets_electron_flux_2001_galprop": dict(
        experiment="BETS", species="electron+positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=MEAN_EDGES, galprop_errors="tot",
        energy_ref_meaning="mean energy as listed in the GALPROP data file",
        doi=None, arxiv=None, year=2001, period=None,
        flags=["total_errors_only", "energy_variable_assumed"],
        notes=[NOTE_GALPROP_TOT, "[import] species electron+positron: BETS does not separate charge signs (GALPROP label 'electron (+positron)')."],
    ),
    "calet_cre_2018": dict(
        experiment="CALET", species="electron+positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=SSDC_EDGES_MEAN, energy_ref_meaning="representative energy given by the source (SSDC E_mean)",
        doi="10.1103/PhysRevLett.120.261102", arxiv=None, year=2018, period=["2015-10-13T00:00:00", "2017-11-30T23:59:59"],
        flags=[], notes=[],
    ),
    "calet_cre_2023": dict(
        experiment="CALET", species="electron+positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=EDGES, energy_ref_meaning=NOTE_NO_REF,
        doi="10.1103/PhysRevLett.131.191001", arxiv="2311.05916", year=2023, period=None,
        flags=["energy_variable_assumed"], notes=[],
    ),
    "caprice94_electron_flux": dict(
        experiment="CAPRICE94", species="electron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=MEAN_EDGES, galprop_errors="tot",
        energy_ref_meaning="mean energy as listed in the GALPROP data file (Table 3 of the paper)",
        doi=None, arxiv=None, year=2000, period=["1994", "1994"],
        flags=["total_errors_only"], notes=[NOTE_GALPROP_TOT],
    ),
    "caprice94_positron_flux": dict(
        experiment="CAPRICE94", species="positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=MEAN_EDGES, galprop_errors="tot",
        energy_ref_meaning="mean energy as listed in the GALPROP data file (Table 3 of the paper)",
        doi=None, arxiv=None, year=2000, period=["1994", "1994"],
        flags=["total_errors_only", "errors_suspect"],
        notes=[NOTE_GALPROP_TOT, "[import] errors_suspect: the lowest 10 bins (0.46-5.2 GeV), see the CAUTION note."],
    ),
    "dampe_cre_2017": dict(
        experiment="DAMPE", species="electron+positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=SSDC_EDGES_MEAN, energy_ref_meaning="representative energy given by the source (SSDC E_mean)",
        doi="10.1038/nature24475", arxiv="1711.10981", year=2017, period=["2015-12-27T00:00:00", "2017-06-08T00:00:00"],
        flags=[], notes=[],
    ),
    "fermi_cre_2009_galprop": dict(
        experiment="Fermi-LAT", species="electron+positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=MEAN_EDGES, galprop_errors="tot",
        energy_ref_meaning="mean energy as listed in the GALPROP data file",
        doi="10.1103/PhysRevLett.102.181101", arxiv=None, year=2009, period=None,
        flags=["total_errors_only", "energy_variable_assumed"],
        notes=[
            "[import] errors shipped as tot_err_low/high: per the GALPROP comment they are sqrt(stat^2 + sys^2).",
            "[import] species electron+positron: the measurement is e- + e+ although the GALPROP file labels it electrons.",
        ],
    ),
    "fermi_cre_2017_he_crdb": dict(
        experiment="Fermi-LAT", species="electron+positron", quantity="flux",
        energy_variable="total_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=EDGES, energy_ref_meaning=NOTE_NO_REF,
        doi="10.1103/PhysRevD.95.082007", arxiv="1704.07195", year=2017, period=["2008-08", "2015-06"],
        flags=[], notes=[],
    ),
    "fermi_electron_flux_2012_kiss": dict(
        experiment="Fermi-LAT", species="electron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=KISS_X, energy_ref_meaning="geometric bin centre computed by KISS from the CRDB bin (not the paper's mean energy)",
        doi="10.1103/PhysRevLett.108.011103", arxiv=None, year=2012, period=["2008-06", "2011-04"],
        flags=["representative_energy_computed"],
        notes=["[import] the bin edges are those of fermi_positron_fraction_2012_crdb (source header); they are not in this source and not copied here."],
    ),
    "fermi_positron_flux_2012_kiss": dict(
        experiment="Fermi-LAT", species="positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=KISS_X, energy_ref_meaning="geometric bin centre computed by KISS from the CRDB bin (not the paper's mean energy)",
        doi="10.1103/PhysRevLett.108.011103", arxiv=None, year=2012, period=["2008-06", "2011-04"],
        flags=["representative_energy_computed"],
        notes=["[import] the bin edges are those of fermi_positron_fraction_2012_crdb (source header); they are not in this source and not copied here."],
    ),
    "fermi_positron_fraction_2012_crdb": dict(
        experiment="Fermi-LAT", species="positron", quantity="fraction",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=DIMENSIONLESS,
        columns=EDGES, energy_ref_meaning=NOTE_NO_REF,
        doi="10.1103/PhysRevLett.108.011103", arxiv="1109.0521", year=2012, period=["2008-06", "2011-04"],
        flags=[], notes=[],
    ),
    "heat_electron_flux_1994_95": dict(
        experiment="HEAT", species="electron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=MEAN_EDGES, galprop_errors="tot",
        energy_ref_meaning="single energies as listed in the GALPROP data file (E_low = E_high = E_mean)",
        doi=None, arxiv=None, year=2001, period=["1994", "1995"],
        flags=["total_errors_only", "contains_other_species", "point_energies"],
        notes=[NOTE_GALPROP_TOT, "[import] contains_other_species: the last row (66.40 GeV) is e+ + e- (GALPROP comment 'NB e+e- !'); the other rows are e-."],
    ),
    "heat_positron_flux_1994_95": dict(
        experiment="HEAT", species="positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=MEAN_EDGES, galprop_errors="tot",
        energy_ref_meaning="single energies as listed in the GALPROP data file (E_low = E_high = E_mean)",
        doi=None, arxiv=None, year=2001, period=["1994", "1995"],
        flags=["total_errors_only", "point_energies"], notes=[NOTE_GALPROP_TOT],
    ),
    "hess_cre_2008_crdb": dict(
        experiment="H.E.S.S.", species="electron+positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=EDGES, energy_ref_meaning="not given; E_low = E_high is the point energy",
        doi="10.1103/PhysRevLett.101.261104", arxiv=None, year=2008, period=None,
        flags=["stat_errors_only", "point_energies"],
        notes=[
            NOTE_CRDB_SYS_ZERO,
            "[import] the file data/lake/HESS_e+e-_totalEnergy.txt of github:carmeloevoli/CosmicRayLeptonBreaks@389bfca8 (not imported) carries the same points with non-zero systematic errors (e.g. 714.713 GeV: -8.56495e-08 +8.38748e-08, about 20 %).",
        ],
    ),
    "hess_cre_lowenergy_2009_crdb": dict(
        experiment="H.E.S.S.", species="electron+positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=EDGES, energy_ref_meaning="not given; E_low = E_high is the point energy",
        doi=None, arxiv=None, year=2009, period=None,
        flags=["stat_errors_only", "point_energies"],
        notes=[
            NOTE_CRDB_SYS_ZERO,
            "[import] the file data/lake/HESS_e+e-_totalEnergy.txt of github:carmeloevoli/CosmicRayLeptonBreaks@389bfca8 (not imported) carries the same points with non-zero systematic errors (e.g. 373.11 GeV: -7.51511e-07 +7.84475e-07, about 26 %).",
        ],
    ),
    "pamela_electron_flux_kiss": dict(
        experiment="PAMELA", species="electron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=KISS_X, energy_ref_meaning="geometric bin centre computed by KISS from the CRDB bin (not necessarily the paper's mean energy)",
        doi="10.1103/PhysRevLett.106.201101", arxiv=None, year=2011, period=None,
        flags=["attribution_uncertain", "representative_energy_computed"],
        notes=["[import] doi and year are those of PRL 106, 201101 (2011), whose SSDC export has the same values; KISS/CRDB cite PRL 111, 081102 (2013)."],
    ),
    "pamela_positron_flux_2013": dict(
        experiment="PAMELA", species="positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns={"E_mean": "energy_ref"}, extra_units={"R_low": "GV", "R_high": "GV"},
        energy_ref_meaning="kinetic energy as published (E_mean); the bins are rigidity ranges (extra columns R_low, R_high)",
        doi="10.1103/PhysRevLett.111.081102", arxiv=None, year=2013, period=["2006-07-15T00:00:00", "2010-01-27T23:59:59"],
        flags=[],
        notes=["[import] the published bins are rigidity ranges: kept as extra columns R_low, R_high [GV]; energy_low/high are NaN (the source gives no kinetic-energy edges)."],
    ),
    "pamela_positron_fraction_2009_nature": dict(
        experiment="PAMELA", species="positron", quantity="fraction",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=DIMENSIONLESS,
        columns={"E_mean": "energy_ref"}, galprop_errors="stat", extra_units={"R_low": "GV", "R_high": "GV"},
        energy_ref_meaning="mean kinetic energy of the bin (Table 1 of the paper, via GALPROP); the bins are rigidity ranges (extra columns R_low, R_high)",
        doi="10.1038/nature07942", arxiv="0810.4995", year=2009, period=["2006-07", "2008-02"],
        flags=["stat_errors_only"],
        notes=[
            "[import] errors shipped as stat_err_low/high (statistical per Table 1 of the paper, source header).",
            "[import] the published bins are rigidity ranges: kept as extra columns R_low, R_high [GV]; energy_low/high are NaN.",
        ],
    ),
    "pamela_positron_fraction_2013_crdb": dict(
        experiment="PAMELA", species="positron", quantity="fraction",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=DIMENSIONLESS,
        columns=EDGES, energy_ref_meaning=NOTE_NO_REF,
        doi="10.1103/PhysRevLett.111.081102", arxiv=None, year=2013, period=["2006-07", "2009-12"],
        flags=["stat_errors_only"],
        notes=[
            NOTE_CRDB_SYS_ZERO,
            "[import] checked: the rows of this file are already in energy order. The out-of-order pair of the CRDB dump involved point-like rows (3.0 and 4.25 GeV) that were split into pamela_positron_fraction_2016_points_crdb, so no re-ordering was needed.",
        ],
    ),
    "pamela_positron_fraction_2016_points_crdb": dict(
        experiment="PAMELA", species="positron", quantity="fraction",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=DIMENSIONLESS,
        columns=EDGES, energy_ref_meaning="not given; E_low = E_high is the point energy",
        doi="10.1103/PhysRevLett.116.241105", arxiv=None, year=2016, period=["2006-07", "2009-12"],
        flags=["attribution_uncertain", "stat_errors_only", "point_energies"],
        notes=[NOTE_CRDB_SYS_ZERO, "[import] data_taking_period is that of the CRDB sub-experiment the rows sit in; it may not be the period of these points."],
    ),
    "ppbbets_electron_flux_2008_galprop": dict(
        experiment="PPB-BETS", species="electron+positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=MEAN_EDGES, galprop_errors="tot",
        energy_ref_meaning="mean energy as listed in the GALPROP data file",
        doi=None, arxiv="0809.0760", year=2008, period=None,
        flags=["total_errors_only", "energy_variable_assumed"],
        notes=[NOTE_GALPROP_TOT, "[import] species electron+positron: PPB-BETS does not separate charge signs (GALPROP label 'electron (+positron)')."],
    ),
    "veritas_cre_2018": dict(
        experiment="VERITAS", species="electron+positron", quantity="flux",
        energy_variable="total_energy", energy_unit="TeV", value_unit="1 / (cm2 s TeV)",
        columns={"E_low_TeV": "energy_low", "E_high_TeV": "energy_high"}, symmetric_errors={"err": "stat"},
        energy_ref_meaning=NOTE_NO_REF,
        doi="10.1103/PhysRevD.98.062004", arxiv=None, year=2018, period=None,
        flags=["units_unverified", "attribution_uncertain", "stat_errors_only"],
        notes=[
            "[import] value_unit is the unit the source file states, cm^-2 s^-1 TeV^-1 (no sr), kept unverified. Magnitude check against DAMPE 2017 and CALET 2018 (log-log interpolation at the VERITAS bin centres sqrt(E_low E_high), 0.33-3.3 TeV): taken at face value (per cm^2 s TeV, i.e. 1e-3 of the number per m^2 s GeV) VERITAS is (0.49-0.82)e-3 of DAMPE and (0.46-1.09)e-3 of CALET, impossible for the same particles. Read as cm^-2 s^-1 sr^-1 GeV^-1 it is 0.49-0.82 of DAMPE (0.82 at 0.335 TeV, 0.54 at 1.0 TeV) and 0.46-1.09 of CALET, within IACT energy-scale systematics. The numbers are therefore most probably per cm^2 s sr GeV (github:carmeloevoli/CosmicRayLeptonBreaks converts them with a factor 1e4 only, i.e. reads them so); not changed here until checked against Table 1 of the paper. Dataset.to_kinetic_energy refuses this unit (no sr).",
            "[import] the single error column 'err' is symmetric and statistical (the CosmicRayLeptonBreaks README says its Table 1 transcription carries statistical errors): err -> stat_err_low and stat_err_high.",
            "[import] energy_variable total_energy: the source file name says totalEnergy (0.5 MeV from kinetic energy, negligible at TeV).",
        ],
    ),
    "voyager1_electron_lis_cummings2016": dict(
        experiment="Voyager 1", species="electron+positron", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="MeV", value_unit=FLUX_MEV,
        columns=SSDC_EDGES_MEAN, symmetric_errors={"tot_err": "tot"},
        energy_ref_meaning="plotting energy E_plot of the paper's table (not a geometric bin centre)",
        doi="10.3847/0004-637X/831/1/18", arxiv=None, year=2016, period=VOYAGER_CUMMINGS_PERIOD,
        flags=["local_interstellar", "attribution_uncertain", "missing_errors", "total_errors_only", "point_energies"],
        assumed_errors=dict(
            relative_error=0.10,
            basis="not published in either source (INDEX.md); the 5 rows with a published total error all have "
            "sigma/J = 10.0-10.1 % (a ~10 % systematic), so 10 % of J is assumed for the 4 rows without one",
        ),
        notes=[
            "[import] the single error column 'tot_err' (the table's sig, a total uncertainty) is symmetric: tot_err -> tot_err_low and tot_err_high.",
            "[import] energies in MeV and intensity per MeV are kept as in the source (column units); Dataset.to_kinetic_energy converts to GeV.",
            "[import] data_taking_period: day-of-year 2012/342-2015/181 as calendar dates.",
        ],
    ),
    "voyager1_helium_cummings2016_table8": dict(
        experiment="Voyager 1", species="helium", quantity="flux",
        energy_variable="kinetic_energy_per_nucleon", energy_unit="MeV", value_unit=FLUX_MEV,
        columns={"E_min": "energy_low", "E_max": "energy_high", "E_plot": "energy_ref", "J": "value"},
        symmetric_errors={"sig": "tot", "sys": "sys"}, sig_is_total_rtol=3e-3,
        energy_ref_meaning="plotting energy E_plot of Table 8 (not a geometric bin centre)",
        doi="10.3847/0004-637X/831/1/18", arxiv=None, year=2016, period=VOYAGER_CUMMINGS_PERIOD,
        flags=["local_interstellar", "helium_isotopes_assumed_4He"],
        notes=[
            "[import] the column 'sig' is labelled statistical in the source header but equals sqrt(sys^2 + (J/sqrt(Counts))^2) in every row (INDEX.md; checked again by the import script to 0.3 %, e.g. row 1: sqrt(0.0765^2 + (1.530/sqrt(4780))^2) = 0.07964): sig -> tot_err_low/high, sys -> sys_err_low/high (both symmetric). No separate statistical error is given (J/sqrt(Counts) is not computed here).",
            "[import] energies in MeV/nucleon and intensity per MeV/nucleon are kept as in the source (column units); Dataset.to_kinetic_energy converts to GeV of the whole nucleus.",
            "[import] data_taking_period: day-of-year 2012/342-2015/181 (header of voyager1_electron_lis_cummings2016) as calendar dates.",
        ],
    ),
    "voyager1_helium_lis_2012_crdb": dict(
        experiment="Voyager 1", species="helium", quantity="flux",
        energy_variable="kinetic_energy_per_nucleon", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=MEAN_EDGES, energy_ref_meaning="point energy as given by CRDB (E_low = E_high = E_mean)",
        doi=None, arxiv=None, year=2013, period=["2012-10", "2012-12"],
        flags=["local_interstellar", "attribution_uncertain", "stat_errors_only", "point_energies", "helium_isotopes_assumed_4He"],
        notes=[NOTE_CRDB_SYS_ZERO],
    ),
    "voyager1_proton_lis_2012_crdb": dict(
        experiment="Voyager 1", species="proton", quantity="flux",
        energy_variable="kinetic_energy_per_nucleon", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=MEAN_EDGES, energy_ref_meaning="point energy as given by CRDB (E_low = E_high = E_mean)",
        doi=None, arxiv=None, year=2013, period=["2012-10", "2012-12"],
        flags=["local_interstellar", "attribution_uncertain", "stat_errors_only", "point_energies"],
        notes=[NOTE_CRDB_SYS_ZERO],
    ),
    # --- nuclei and antiprotons (curated for the nuclear-network and antiproton issues) ---
    "ace_cris_be10_be9_yanasak2001_galprop": dict(
        experiment="ACE/CRIS", species="beryllium-10/beryllium-9", quantity="ratio",
        energy_variable="kinetic_energy_per_nucleon", energy_unit="MeV", value_unit=DIMENSIONLESS,
        columns=MEAN_EDGES, galprop_errors="tot",
        energy_ref_meaning="geometric mean sqrt(E_low E_high) computed by the GALPROP compilers (not the paper's value)",
        doi=None, arxiv=None, year=2001, period=None,
        flags=["total_errors_only", "representative_energy_computed", "not_independent_measurement"],
        notes=[
            NOTE_GALPROP_TOT,
            "[import] not_independent_measurement: the row with energy_frame = 'interstellar' (120-350 MeV/n) is the same measurement as the three 'measured' rows (energies at 1 AU), expressed on the interstellar energy interval; never fit it together with them (column energy_frame).",
        ],
    ),
    "ams02_b_flux_physrep2021_ssdc": dict(
        experiment="AMS-02", species="boron", quantity="flux",
        energy_variable="rigidity", energy_unit="GV", value_unit=FLUX_GV,
        columns={"R": "energy_ref"},
        energy_ref_meaning="arithmetic mid-point of the AMS rigidity bin as exported by SSDC (no bin edges in this source)",
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=["2011-05-19T00:00:00", "2018-05-28T00:00:00"],
        flags=["total_errors_only", "representative_energy_computed"], notes=[],
    ),
    "ams02_be10_be9_tevpa2024_preliminary_nlbm": dict(
        experiment="AMS-02 (preliminary)", species="beryllium-10/beryllium-9", quantity="ratio",
        energy_variable="kinetic_energy_per_nucleon", energy_unit="GeV", value_unit=DIMENSIONLESS,
        columns={"E": "energy_ref"},
        energy_ref_meaning="kinetic energy per nucleon as digitized (no bin edges)",
        doi=None, arxiv=None, year=2024, period=None,
        flags=["preliminary", "digitized", "missing_errors"],
        notes=[
            "[import] preliminary and digitized (see the note above): never use as a published measurement.",
            "[import] no error columns: the source gives the band value_min..value_max, kept as extra columns with the printed numbers; value - value_min and value_max - value are not computed here, so every error is NaN and a chi2 needs an explicit choice.",
        ],
    ),
    "ams02_be_flux_physrep2021_kiss": dict(
        experiment="AMS-02", species="beryllium", quantity="flux",
        energy_variable="rigidity", energy_unit="GV", value_unit=FLUX_GV,
        columns={"R_x": "energy_ref"}, energy_ref_meaning=NOTE_KISS_FLUX_REF,
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=["2011-05", "2018-05"],
        flags=["representative_energy_computed"], notes=[],
    ),
    "ams02_beb_ratio_prl2018_kiss": dict(
        experiment="AMS-02", species="beryllium/boron", quantity="ratio",
        energy_variable="rigidity", energy_unit="GV", value_unit=DIMENSIONLESS,
        columns={"R_x": "energy_ref"}, energy_ref_meaning=NOTE_KISS_RATIO_REF,
        doi="10.1103/PhysRevLett.120.021101", arxiv=None, year=2018, period=["2011-05", "2016-05"],
        flags=["representative_energy_computed"], notes=[],
    ),
    "ams02_bec_ratio_physrep2021_kiss": dict(
        experiment="AMS-02", species="beryllium/carbon", quantity="ratio",
        energy_variable="rigidity", energy_unit="GV", value_unit=DIMENSIONLESS,
        columns={"R_x": "energy_ref"}, energy_ref_meaning=NOTE_KISS_RATIO_REF,
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=["2011-05", "2018-05"],
        flags=["representative_energy_computed"], notes=[],
    ),
    "ams02_bo_ratio_physrep2021_kiss": dict(
        experiment="AMS-02", species="boron/oxygen", quantity="ratio",
        energy_variable="rigidity", energy_unit="GV", value_unit=DIMENSIONLESS,
        columns={"R_x": "energy_ref"}, energy_ref_meaning=NOTE_KISS_RATIO_REF,
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=["2011-05", "2018-05"],
        flags=["representative_energy_computed"], notes=[],
    ),
    "ams02_li_flux_physrep2021_kiss": dict(
        experiment="AMS-02", species="lithium", quantity="flux",
        energy_variable="rigidity", energy_unit="GV", value_unit=FLUX_GV,
        columns={"R_x": "energy_ref"}, energy_ref_meaning=NOTE_KISS_FLUX_REF,
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=["2011-05", "2018-05"],
        flags=["representative_energy_computed"], notes=[],
    ),
    "ams02_lic_ratio_physrep2021_kiss": dict(
        experiment="AMS-02", species="lithium/carbon", quantity="ratio",
        energy_variable="rigidity", energy_unit="GV", value_unit=DIMENSIONLESS,
        columns={"R_x": "energy_ref"}, energy_ref_meaning=NOTE_KISS_RATIO_REF,
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=["2011-05", "2018-05"],
        flags=["representative_energy_computed"], notes=[],
    ),
    "ams02_n_flux_physrep2021_kiss": dict(
        experiment="AMS-02", species="nitrogen", quantity="flux",
        energy_variable="rigidity", energy_unit="GV", value_unit=FLUX_GV,
        columns={"R_x": "energy_ref"}, energy_ref_meaning=NOTE_KISS_FLUX_REF,
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=["2011-05", "2018-05"],
        flags=["representative_energy_computed"], notes=[],
    ),
    "ams02_o_flux_prl2017_ssdc": dict(
        experiment="AMS-02", species="oxygen", quantity="flux",
        energy_variable="rigidity", energy_unit="GV", value_unit=FLUX_GV,
        columns=RIGIDITY_EDGES, extra_units=dict.fromkeys(AMS_SYS_COMPONENTS, FLUX_GV),
        energy_ref_meaning=NOTE_RIGIDITY_NO_REF,
        doi="10.1103/PhysRevLett.119.251101", arxiv=None, year=2017, period=["2011-05-19T00:00:00", "2016-05-26T00:00:00"],
        flags=[],
        notes=["[import] value_unit per GV, as the source's units line says: the table is binned in rigidity (the SSDC header's 'per GeV' is a label slip)."],
    ),
    "ams02_pbar_flux_physrep2021_crdb": dict(
        experiment="AMS-02", species="antiproton", quantity="flux",
        energy_variable="rigidity", energy_unit="GV", value_unit=FLUX_GV,
        columns=RIGIDITY_EDGES, energy_ref_meaning=NOTE_RIGIDITY_NO_REF,
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=["2011-05", "2018-05"],
        flags=[], notes=[],
    ),
    "ams02_pbar_flux_prl2016_crdb_ekin": dict(
        experiment="AMS-02", species="antiproton", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns=MEAN_EDGES,
        energy_ref_meaning="representative kinetic energy computed by CRDB when it converted the published rigidity table",
        doi="10.1103/PhysRevLett.117.091103", arxiv=None, year=2016, period=["2011-05", "2015-05"],
        flags=["converted_by_crdb", "representative_energy_computed", "attribution_uncertain", "units_unverified"],
        notes=[
            "[import] units_unverified: the file states no unit; per GeV of kinetic energy is the curation's inference (CRDB kinetic-energy export convention and the magnitudes).",
            "[import] attribution_uncertain: PRL 117, 091103 (2016) is inferred from the data period 2011/05-2015/05; the file names no paper.",
        ],
    ),
    "ams02_pbar_p_ratio_physrep2021": dict(
        experiment="AMS-02", species="antiproton/proton", quantity="ratio",
        energy_variable="rigidity", energy_unit="GV", value_unit=DIMENSIONLESS,
        columns={"R_low": "energy_low", "R_high": "energy_high", "ratio_scaled": "value"},
        symmetric_errors={"stat_err_scaled": "stat", "sys_err_scaled": "sys"}, value_scaling="scale_factor",
        energy_ref_meaning=NOTE_RIGIDITY_NO_REF,
        doi=PHYSREP_DOI, arxiv=None, year=2021, period=["2011-05-19", "2018-05-26"],
        flags=["transcription_unverified"],
        notes=[
            "[import] value_scaling 'scale_factor': value (ratio_scaled) and the errors are the printed mantissas; positrons.data multiplies them by the column scale_factor when it reads the file (the file keeps the printed numbers).",
            "[import] stat_err_scaled -> stat_err_low/high and sys_err_scaled (total systematic) -> sys_err_low/high, both symmetric.",
        ],
    ),
    "isomax_be10_be9_hams2004_galprop": dict(
        experiment="ISOMAX", species="beryllium-10/beryllium-9", quantity="ratio",
        energy_variable="kinetic_energy_per_nucleon", energy_unit="GeV", value_unit=DIMENSIONLESS,
        columns=MEAN_EDGES, galprop_errors="tot",
        energy_ref_meaning="sqrt(E_low E_high) computed by the GALPROP compilers (not the paper's value)",
        doi=None, arxiv=None, year=2004, period=None,
        flags=["total_errors_only", "representative_energy_computed"],
        notes=["[import] errors shipped as tot_err_low/high: stat and sys in quadrature per the GALPROP comment (source header)."],
    ),
    "pamela_pbar_flux_jetpl2013_ssdc": dict(
        experiment="PAMELA", species="antiproton", quantity="flux",
        energy_variable="kinetic_energy", energy_unit="GeV", value_unit=FLUX_GEV,
        columns={"E_k": "energy_ref"}, extra_units={"R_low": "GV", "R_high": "GV"},
        energy_ref_meaning="kinetic energy as given by SSDC/the paper; the bins are rigidity ranges (extra columns R_low, R_high)",
        doi="10.1134/S002136401222002X", arxiv=None, year=2013, period=["2006-06-15", "2010-01-27"],
        flags=["total_errors_only"],
        notes=[
            "[import] the published bins are rigidity ranges: kept as extra columns R_low, R_high [GV]; energy_low/high are NaN.",
            "[import] errors shipped as tot_err_low/high as SSDC tags them; SSDC's column list calls them statistical, so whether they include systematics is not resolved (see the note above).",
        ],
    ),
    "voyager1_nuclei_z3_28_cummings2016_table9": dict(
        experiment="Voyager 1", species="nuclei", quantity="flux",
        energy_variable="kinetic_energy_per_nucleon", energy_unit="MeV", value_unit=FLUX_MEV,
        columns={"E_min": "energy_low", "E_max": "energy_high", "J": "value"},
        symmetric_errors={"sig": "tot", "sys": "sys"}, sig_is_total_rtol=5e-3,
        energy_ref_meaning=NOTE_NO_REF,
        doi="10.3847/0004-637X/831/1/18", arxiv=None, year=2016, period=None,
        flags=["local_interstellar"],
        notes=[
            "[import] species 'nuclei': one table of several elements; the charge number of each row is the column Z. Rows are sorted by Z, then by energy within each Z (the import re-orders them, flag rows_reordered).",
            "[import] sig is the total error (sqrt(sys^2 + (J/sqrt(Counts))^2) in every row, checked again by the import script to 0.5 %): sig -> tot_err_low/high, sys -> sys_err_low/high (both symmetric).",
            "[import] energies in MeV/nucleon and intensity per MeV/nucleon are kept as in the source (column units).",
        ],
    ),
}

# --- the mapping table for catalogue files -------------------------------------------
CATALOGUES: dict[str, dict] = {
    "atnf_psrcat_v1p66_nearby_pulsars": dict(
        experiment="ATNF pulsar catalogue v1.66",
        doi="10.1086/428488", arxiv="astro-ph/0412641", year=2005,
        flags=[], column_units={}, string_columns=("psrj", "common_name", "parameter", "value", "ref_code"),
        notes=[
            "[import] 'value' is kept as text (psrcat mixes numbers, sexagesimal coordinates and words); units per parameter are in source_description['units'].",
            "[import] the source header's columns line says 'uncertainty_in_last_digits', the table's column is 'uncertainty_last_digits' (name kept); empty cells are masked.",
        ],
    ),
    "atnf_nearby_pulsars_derived": dict(
        experiment="ATNF pulsar catalogue v1.66 (derived by the curation)",
        doi=None, arxiv=None, year=None,
        flags=["derived_values"],
        column_units={
            "P_s": "s", "Pdot": None, "age_char_yr": "yr", "Edot_erg_s": "erg / s", "Bsurf_G": "G",
            "DIST_A_kpc": "kpc", "DIST_AMN_kpc": "kpc", "DIST_AMX_kpc": "kpc", "DIST_DM_kpc": "kpc",
            "dist_from_PX_kpc": "kpc",
        },
        string_columns=("psrj", "common_name"),
        notes=["[import] empty cells (no catalogue entry) are NaN."],
    ),
}

_KEY_LINE = re.compile(r"^#\s?([a-z_]+):\s?(.*)$")
_CONT_LINE = re.compile(r"^#\s+:\s?(.*)$")
_INT = re.compile(r"^[+-]?\d+$")


def read_source(path: Path) -> tuple[dict[str, list[str]], list[str], list[list[str]]]:
    """The ``#`` header (key -> list of lines, continuations kept) and the CSV table."""
    header: dict[str, list[str]] = {}
    data_lines = []
    last = None
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.startswith("#"):
                data_lines.append(line)
                continue
            m = _CONT_LINE.match(line)
            if m and last is not None:
                header[last].append(m.group(1))
                continue
            m = _KEY_LINE.match(line)
            if not m:
                raise ValueError(f"{path.name}: cannot parse header line {line!r}")
            last = m.group(1)
            if last in header:
                raise ValueError(f"{path.name}: header key {last!r} appears twice")
            header[last] = [m.group(2)]
    rows = list(csv.reader(data_lines))
    columns, rows = rows[0], [r for r in rows[1:] if r]
    for r in rows:
        if len(r) != len(columns):
            raise ValueError(f"{path.name}: row {r} has {len(r)} cells, header has {len(columns)}")
    return header, columns, rows


def _floats(texts: list[str]) -> np.ndarray:
    """Parse number texts exactly; an empty cell is NaN (not given)."""
    return np.array([float(t) if t.strip() != "" else np.nan for t in texts], dtype=float)


def _extra_column(name: str, texts: list[str], unit):
    """An extra source column as int, float or text, whichever holds every cell exactly."""
    filled = [t for t in texts if t.strip() != ""]
    if filled and all(_INT.match(t) for t in filled) and len(filled) == len(texts):
        return Column(np.array([int(t) for t in texts], dtype=np.int64), name=name, unit=unit)
    try:
        return Column(_floats(texts), name=name, unit=unit)
    except ValueError:
        return Column(np.array(texts, dtype=str), name=name)


def build_measurement(dataset_id: str, header, columns, rows, spec: dict) -> Table:
    """The ECSV table of one measurement file, per its mapping-table entry ``spec``."""
    n = len(rows)
    cells = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    notes = list(header.get("notes", []))
    mapping = {"value": "value", **{c: c for c in ERROR_COLUMNS}, **spec["columns"]}
    used = set()
    target: dict[str, np.ndarray] = {}
    for src, dst in mapping.items():
        if src in cells:
            target[dst] = _floats(cells[src])
            used.add(src)
    for src in spec["columns"]:
        if src not in cells:
            raise ValueError(f"{dataset_id}: mapped column {src!r} not in the source")

    empties = [c for c in used if any(t.strip() == "" for t in cells[c])]
    if empties:
        notes.append(f"[import] empty cells in the source columns {sorted(empties)} are NaN (not given).")

    for src in spec.get("zero_is_missing", ()):
        dst = mapping[src]
        zero = target[dst] == 0
        target[dst] = np.where(zero, np.nan, target[dst])
        notes.append(f"[import] {src} = 0 in the source means 'not given' (GALPROP convention): {dst} is NaN in those {int(zero.sum())} of {n} rows.")

    kind = spec.get("galprop_errors")
    if kind:
        minus, plus = _floats(cells["err_minus"]), _floats(cells["err_plus"])
        sym = plus == 0
        target[f"{kind}_err_low"] = minus
        target[f"{kind}_err_high"] = np.where(sym, minus, plus)
        used |= {"err_minus", "err_plus"}
        notes.append(
            f"[import] GALPROP error convention resolved: err_minus -> {kind}_err_low, err_plus -> {kind}_err_high; "
            f"err_plus = 0 means a symmetric error, so {kind}_err_high = err_minus in those {int(sym.sum())} of {n} rows."
        )
    for src, kind in spec.get("symmetric_errors", {}).items():
        err = _floats(cells[src])
        target[f"{kind}_err_low"] = err
        target[f"{kind}_err_high"] = err.copy()
        used.add(src)

    for c in ("energy_low", "energy_high", "energy_ref"):
        target.setdefault(c, np.full(n, np.nan))
    point = np.isfinite(target["energy_low"]) & (target["energy_low"] == target["energy_high"])
    if point.any():
        notes.append(f"[import] {int(point.sum())} of {n} rows are point-like (energy_low = energy_high), kept as such.")

    energy = representative_energy(target["energy_low"], target["energy_high"], target["energy_ref"])
    flags = list(spec["flags"])
    if spec["species"] in MULTI_SPECIES:
        order = np.lexsort((energy, _floats(cells["Z"])))
        how = "by Z, then by representative energy"
    else:
        order = np.argsort(energy, kind="stable")
        how = "by representative energy"
    if np.any(order != np.arange(n)):
        notes.append(f"[import] rows re-ordered {how}; source row order was {order.tolist()}.")
        flags.append("rows_reordered")

    assumed = None
    if "assumed_errors" in spec:
        assumed = assumed_error_column(dataset_id, target, spec["assumed_errors"])
        flags.append("assumed_errors")
        notes.append(
            f"[import] assumed_errors: the {int(assumed.sum())} rows without a published error (column "
            f"{ASSUMED_COLUMN} = True) are given {100 * spec['assumed_errors']['relative_error']:g} % of the value by "
            "the likelihood unless it is told missing_errors='skip'; no error column is filled in (the published "
            "numbers are unchanged)."
        )

    extras = [c for c in columns if c not in used]
    extra_units = spec.get("extra_units", {})
    unknown_units = set(extra_units) - set(extras)
    if unknown_units:
        raise ValueError(f"{dataset_id}: extra_units for columns not in the source: {sorted(unknown_units)}")

    table = Table()
    for c in ("energy_low", "energy_high", "energy_ref"):
        table[c] = Column(target[c][order], unit=spec["energy_unit"])
    table["value"] = Column(target["value"][order], unit=spec["value_unit"])
    for c in ERROR_COLUMNS:
        if c in target:
            table[c] = Column(target[c][order], unit=spec["value_unit"])
    for c in extras:
        col = _extra_column(c, cells[c], extra_units.get(c) or None)
        table[c] = col[order]
    if assumed is not None:
        table[ASSUMED_COLUMN] = Column(assumed[order])

    for key in ("doi", "arxiv"):
        if spec[key] is not None and spec[key] not in " ".join(header["reference"]):
            raise ValueError(f"{dataset_id}: {key} {spec[key]!r} does not appear in the source reference line")
    if int(header["n_points"][0]) != n:
        raise ValueError(f"{dataset_id}: header n_points {header['n_points'][0]} but {n} rows")

    meta = {
        "dataset_id": dataset_id,
        "experiment": spec["experiment"],
        "species": spec["species"],
        "quantity": spec["quantity"],
        "energy_variable": spec["energy_variable"],
        "energy_unit": table["energy_ref"].unit.to_string(),
        "value_unit": table["value"].unit.to_string() if spec["value_unit"] else "",
        "energy_ref_meaning": spec["energy_ref_meaning"],
        "reference": "\n".join(header["reference"]),
        "doi": spec["doi"],
        "arxiv": spec["arxiv"],
        "year": spec["year"],
        "data_taking_period": spec["period"],
        "solar_modulation_phi_GV": None,
        "source": "\n".join(header["source"]),
        "notes": notes,
        "flags": flags,
        "n_points": n,
        "energy_range": [float(energy.min()), float(energy.max())],
        "value_scaling": spec.get("value_scaling"),
        "source_description": {
            k: "\n".join(header[k]) for k in ("experiment", "quantity", "units", "energy_variable", "columns")
        },
    }
    if "assumed_errors" in spec:
        meta["assumed_errors"] = dict(spec["assumed_errors"])
    assert list(meta)[: len(REQUIRED_META)] == list(REQUIRED_META)
    table.meta.update(meta)
    return table


def build_catalogue(dataset_id: str, header, columns, rows, spec: dict) -> Table:
    """The ECSV table of one catalogue file."""
    cells = {c: [r[i] for r in rows] for i, c in enumerate(columns)}
    table = Table()
    for c in columns:
        texts = cells[c]
        if c in spec["string_columns"]:
            table[c] = Column(np.array(texts, dtype=str))
        elif all(_INT.match(t) or t == "" for t in texts) and c not in spec["column_units"]:
            mask = [t == "" for t in texts]
            table[c] = MaskedColumn([int(t) if t else 0 for t in texts], mask=mask, dtype=np.int64)
        else:
            table[c] = Column(_floats(texts), unit=spec["column_units"].get(c))
    for key in ("doi", "arxiv"):
        if spec[key] is not None and spec[key] not in " ".join(header["reference"]):
            raise ValueError(f"{dataset_id}: {key} {spec[key]!r} does not appear in the source reference line")
    if int(header["n_points"][0]) != len(rows):
        raise ValueError(f"{dataset_id}: header n_points {header['n_points'][0]} but {len(rows)} rows")
    table.meta.update(
        {
            "dataset_id": dataset_id,
            "kind": "catalogue",
            "experiment": spec["experiment"],
            "content": "\n".join(header["quantity"]),
            "reference": "\n".join(header["reference"]),
            "doi": spec["doi"],
            "arxiv": spec["arxiv"],
            "year": spec["year"],
            "source": "\n".join(header["source"]),
            "notes": list(header.get("notes", [])) + spec["notes"],
            "flags": spec["flags"],
            "n_points": len(rows),
            "source_description": {k: "\n".join(header[k]) for k in ("experiment", "quantity", "units", "columns")},
        }
    )
    return table


def check_sig_is_total(dataset_id: str, columns, rows, rtol: float) -> None:
    """Cummings et al. 2016 Tables 8 and 9: ``sig`` is the total error,
    sig = sqrt(sys^2 + (J/sqrt(Counts))^2) in every row (to ``rtol``)."""
    c = {name: _floats([r[i] for r in rows]) for i, name in enumerate(columns) if name in ("sig", "sys", "J", "Counts")}
    total = np.hypot(c["sys"], c["J"] / np.sqrt(c["Counts"]))
    if not np.allclose(c["sig"], total, rtol=rtol, atol=0):
        raise ValueError(f"{dataset_id}: sig is not sqrt(sys^2 + stat^2) to {rtol:g}")


def assumed_error_column(dataset_id: str, target: dict, rule: dict) -> np.ndarray:
    """Rows without any published error (they get ``rule["relative_error"]``), after checking
    that the published rows' relative errors are that value to 0.002 (the basis of the rule)."""
    errors = [v for k, v in target.items() if k in ERROR_COLUMNS]
    published = np.zeros(len(target["value"]), dtype=bool)
    for err in errors:
        published |= np.isfinite(err)
    rel = np.concatenate([err[published] / np.abs(target["value"][published]) for err in errors if np.isfinite(err[published]).all()])
    if not np.allclose(rel, rule["relative_error"], rtol=0, atol=2e-3):
        raise ValueError(f"{dataset_id}: published relative errors {rel.min():.4f}-{rel.max():.4f} are not {rule['relative_error']}")
    return ~published


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE, help="directory of the curated CSV files")
    args = parser.parse_args(argv)
    source = args.source.resolve()
    csvs = {p.stem: p for p in sorted(source.glob("*.csv"))}
    known = set(MEASUREMENTS) | set(CATALOGUES)
    if set(csvs) != known:
        raise SystemExit(
            f"mapping table and {source} disagree: no entry for {sorted(set(csvs) - known)}, "
            f"no CSV for {sorted(known - set(csvs))}"
        )
    out_measurements, out_catalogues = OUT_MEASUREMENTS, OUT_CATALOGUES
    out_measurements.mkdir(parents=True, exist_ok=True)
    out_catalogues.mkdir(parents=True, exist_ok=True)
    for dataset_id, path in csvs.items():
        header, columns, rows = read_source(path)
        if header["dataset_id"] != [dataset_id]:
            raise SystemExit(f"{path.name}: header dataset_id {header['dataset_id']} differs from the file name")
        rtol = MEASUREMENTS.get(dataset_id, {}).get("sig_is_total_rtol")
        if rtol is not None:
            check_sig_is_total(dataset_id, columns, rows, rtol)
        if dataset_id in CATALOGUES:
            table = build_catalogue(dataset_id, header, columns, rows, CATALOGUES[dataset_id])
            out = out_catalogues / f"{dataset_id}.ecsv"
            table.write(out, format="ascii.ecsv", overwrite=True)
            read_catalogue(out)
        else:
            table = build_measurement(dataset_id, header, columns, rows, MEASUREMENTS[dataset_id])
            out = out_measurements / f"{dataset_id}.ecsv"
            table.write(out, format="ascii.ecsv", overwrite=True)
            read_dataset(out)
        print(f"{path.name} -> {out.parent.name}/{out.name} ({len(rows)} rows)")
    manifest = write_manifest(out_measurements.parent, [out_measurements, out_catalogues])
    print(f"checksums of {len(csvs)} files -> {manifest.name}")
    return 0


def write_manifest(data_dir: Path, kinds: list[Path]) -> Path:
    """The SHA-256 manifest of every shipped ``.ecsv`` (checked by the registry when a file is read)."""
    entries = {
        f"{kind.name}/{f.name}": sha256_hex(f.read_bytes()) for kind in kinds for f in sorted(kind.glob("*.ecsv"))
    }
    out = data_dir / MANIFEST_NAME
    out.write_text(format_manifest(entries), encoding="utf-8")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
