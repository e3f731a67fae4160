"""Measurements shipped with the package: cosmic-ray spectra, fractions, ratios, catalogues.

Which tool when:

* :func:`list_datasets` / :func:`find` -- what is shipped (reads file headers only);
  :func:`list_unreadable` -- shipped files that cannot be used, and why;
* :func:`load` -- one measurement as an immutable :class:`Dataset` (by ID or alias);
* :meth:`Dataset.to_kinetic_energy` -- before comparing with a model (GeV, per GeV m^2);
* :meth:`Dataset.errors` -- lower/upper total (or stat/sys) errors, NaN where absent;
* :func:`read_dataset` -- a file of your own in the same ECSV format (validated);
* :func:`load_catalogue` -- the ATNF pulsar tables (astropy ``Table``).

The file format and the flag vocabulary are documented in ``src/positrons/data/README.md``;
the files are regenerated from the curated CSV tables by ``tools/import_shared_data.py``.
Modules, one job each: :mod:`.schema` (vocabularies, flags, metadata keys, columns),
:mod:`.dataset` (the record), :mod:`.convert` (unit and energy-variable conversions),
:mod:`.readers` and :mod:`.writers` (the file formats), :mod:`.manifest` (checksums of the
shipped files), :mod:`.registry` (what is shipped, by ID).  Nothing is read at import time.
"""

from .dataset import Dataset
from .readers import read_catalogue, read_dataset
from .schema import FLAGS, ChecksumError, DatasetFormatError
from .registry import (
    ALIASES,
    DatasetInfo,
    Registry,
    UnknownDatasetError,
    UnreadableFile,
    find,
    list_catalogues,
    list_datasets,
    list_unreadable,
    load,
    load_catalogue,
)

__all__ = [
    "ALIASES",
    "FLAGS",
    "ChecksumError",
    "Dataset",
    "DatasetFormatError",
    "DatasetInfo",
    "Registry",
    "UnknownDatasetError",
    "UnreadableFile",
    "find",
    "list_catalogues",
    "list_datasets",
    "list_unreadable",
    "load",
    "load_catalogue",
    "read_catalogue",
    "read_dataset",
]
