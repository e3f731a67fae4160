"""The measurement-file schema: vocabularies, flags, metadata keys, columns, errors.

The format (one ECSV file per dataset, written by ``tools/import_shared_data.py``) is
described in ``src/positrons/data/README.md``; this module holds its definitions: the
vocabularies (:data:`SPECIES`, :data:`QUANTITIES`, :data:`ENERGY_VARIABLES`,
:data:`FLAGS`), the required and optional metadata keys, the column names, and the errors
a malformed file raises.  The reader that enforces them is :mod:`.readers`.  Metadata are
held read-only (:func:`freeze`) and copied back to plain containers by :func:`thaw`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType

__all__ = [
    "ASSUMED_COLUMN",
    "CATALOGUE_META",
    "ChecksumError",
    "DatasetFormatError",
    "ENERGY_COLUMNS",
    "ENERGY_VARIABLES",
    "ERROR_COLUMNS",
    "FLAGS",
    "MULTI_SPECIES",
    "OPTIONAL_META",
    "QUANTITIES",
    "REQUIRED_COLUMNS",
    "REQUIRED_META",
    "SPECIES",
    "VALUE_SCALINGS",
    "freeze",
    "thaw",
]

# --- vocabularies -----------------------------------------------------------------------
#: particle species a dataset refers to (``electron+positron`` = the sum e- + e+)
SPECIES = (
    "positron",
    "electron",
    "electron+positron",
    "proton",
    "antiproton",
    "helium",
    "lithium",
    "beryllium",
    "boron",
    "carbon",
    "nitrogen",
    "oxygen",
    "nuclei",  # several elements in one table: the charge number of each row is the column Z
    "boron/carbon",
    "boron/oxygen",
    "lithium/carbon",
    "beryllium/carbon",
    "beryllium/boron",
    "antiproton/proton",
    "beryllium-10/beryllium-9",
)
#: the species whose rows carry their own charge number (integer column ``Z``)
MULTI_SPECIES = ("nuclei",)
#: what ``value`` is: a differential flux (intensity), the positron fraction
#: e+/(e+ + e-), or a ratio of two species' fluxes (e.g. B/C)
QUANTITIES = ("flux", "fraction", "ratio")
#: the energy axis of ``energy_low/high/ref``
ENERGY_VARIABLES = (
    "kinetic_energy",  # T of the whole particle or nucleus
    "kinetic_energy_per_nucleon",  # T / A
    "rigidity",  # p c / (|Z| e)
    "total_energy",  # T + m
)
#: how ``value`` is written in the file (None: it is the quantity itself; "E^3": E^3 times
#: the flux; "scale_factor": a printed mantissa, to be multiplied by the column scale_factor)
VALUE_SCALINGS = (None, "E^3", "scale_factor")

#: machine-readable flags and their meaning (documented again in README.md)
FLAGS: dict[str, str] = {
    "attribution_uncertain": "the paper the numbers come from is inferred, or sources disagree on it; see notes",
    "errors_suspect": "some error bars are probably wrong (e.g. copied from another table); see notes",
    "missing_errors": "some rows have no uncertainty at all (their errors are NaN)",
    "not_independent_measurement": "derived from other shipped measurements (e.g. a sum of two tables); do not fit together with them",
    "units_unverified": "the unit given by the source is doubtful; see notes before using the numbers",
    "contains_other_species": "some rows measure a different species than the dataset's species; see notes",
    "local_interstellar": "measured beyond the heliopause: an unmodulated local interstellar spectrum",
    "derived_values": "numbers computed by the curation from catalogue entries, not copied from a source",
    "representative_energy_computed": "energy_ref was computed by a database or converter (e.g. geometric bin centre), not given by the paper",
    "total_errors_only": "the source gives combined (stat + sys) errors only",
    "stat_errors_only": "the source gives statistical errors only (systematic errors absent or written as 0)",
    "converted_by_crdb": "the energy axis (and the flux per unit energy) was converted from the published variable by CRDB",
    "converted_by_ssdc": "the energy axis (and the value) was converted from the published variable by the SSDC plotting tool",
    "energy_variable_assumed": "the source says 'energy' without saying kinetic or total; taken as stated in energy_variable (< 0.1 % difference for e± above 0.5 GeV)",
    "point_energies": "some or all rows are single energies (no bin edges, or energy_low = energy_high)",
    "duplicate": "numerically the same measurement as another shipped dataset (named in the notes); left out of combined plots",
    "rows_reordered": "rows were re-ordered by energy because the source order was wrong; see notes",
    "helium_isotopes_assumed_4He": "conversions of this helium dataset take every nucleus as 4He (A = 4, Z = 2, m = m(4He))",
    "carbon_isotopes_assumed_12C": "conversions of this carbon dataset take every nucleus as 12C (A = 12, Z = 6, m = m(12C))",
    "assumed_errors": "rows without a published error carry an assumed one (column error_assumed, meta assumed_errors); the likelihood uses it unless told missing_errors='skip'",
    "preliminary": "a preliminary (conference) result, not a published measurement: for illustration only",
    "digitized": "numbers read off a figure by a third party, not copied from a table",
    "transcription_unverified": "numbers typed from a paper table by a third party and not checked against the paper; see notes",
}

# --- metadata and columns ------------------------------------------------------------
#: metadata keys every measurement file must carry (in this order in shipped files)
REQUIRED_META = (
    "dataset_id",
    "experiment",
    "species",
    "quantity",
    "energy_variable",
    "energy_unit",
    "value_unit",
    "energy_ref_meaning",
    "reference",
    "doi",
    "arxiv",
    "year",
    "data_taking_period",
    "solar_modulation_phi_GV",
    "source",
    "notes",
    "flags",
    "n_points",
    "energy_range",
    "value_scaling",
)
#: metadata keys a file may carry in addition; any other key is refused
OPTIONAL_META = (
    "source_description",  # the source CSV's descriptive header lines, verbatim
    "transformations",  # what positrons did to the numbers after reading the file
    "assumed_errors",  # {relative_error, basis}: the error assumed where the column error_assumed is true
)
#: the boolean column marking the rows whose error is assumed (see ``assumed_errors``)
ASSUMED_COLUMN = "error_assumed"
ENERGY_COLUMNS = ("energy_low", "energy_high", "energy_ref")
ERROR_COLUMNS = (
    "stat_err_low",
    "stat_err_high",
    "sys_err_low",
    "sys_err_high",
    "tot_err_low",
    "tot_err_high",
)
REQUIRED_COLUMNS = ENERGY_COLUMNS + ("value",)

#: metadata keys of a catalogue file (pulsar tables); any other key is refused
CATALOGUE_META = (
    "dataset_id",
    "kind",
    "experiment",
    "content",
    "reference",
    "doi",
    "arxiv",
    "year",
    "source",
    "notes",
    "flags",
    "n_points",
    "source_description",
)

_ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}:\d{2})?)?)?$")


class DatasetFormatError(ValueError):
    """A measurement file does not follow the format; the message starts with the file name."""


class ChecksumError(DatasetFormatError):
    """A shipped file differs from its checksum in the manifest (it was changed after the import)."""


# --- read-only metadata ------------------------------------------------------------------
def freeze(obj):
    """A read-only copy of nested metadata (mappings -> MappingProxyType, lists -> tuples)."""
    if isinstance(obj, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in obj.items()})
    if isinstance(obj, list | tuple):
        return tuple(freeze(v) for v in obj)
    return obj


def thaw(obj):
    """Plain, writable containers (dicts and lists) from :func:`freeze`'d metadata."""
    if isinstance(obj, Mapping):
        return {k: thaw(v) for k, v in obj.items()}
    if isinstance(obj, tuple | list):
        return [thaw(v) for v in obj]
    return obj
