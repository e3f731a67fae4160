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
Nothing is read at import time.
"""

from .dataset import Dataset
from .io import FLAGS, ChecksumError, DatasetFormatError, read_catalogue, read_dataset
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
