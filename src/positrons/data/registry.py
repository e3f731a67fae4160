"""Registry of the shipped measurement and catalogue files.

The registry is built on first use (never at import) from the files inside the package
(``importlib.resources``), reading only their ECSV headers.  Loaded datasets are cached
per process; they are immutable, so the cache hands out the same object every time.
Catalogues (astropy Tables, mutable) are cached once and handed out as copies.

Dataset IDs are the source CSV file names without ``.csv``.  :data:`ALIASES` adds short
names for the sets one usually wants (the most recent, most complete table of each
measurement).
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from importlib import resources

from . import io as _io

__all__ = [
    "ALIASES",
    "DatasetInfo",
    "UnknownDatasetError",
    "find",
    "list_catalogues",
    "list_datasets",
    "load",
    "load_catalogue",
    "resolve",
]

#: short names -> dataset IDs (checked against the shipped files by the tests)
ALIASES: dict[str, str] = {
    "ams02_positron_fraction": "ams02_positron_fraction_prl2019",
    "ams02_positron_flux": "ams02_positron_flux_prl2019",
    "ams02_electron_flux": "ams02_electron_flux_physrep2021_crdb",
    "ams02_allelectron_flux": "ams02_allelectron_flux_physrep2021_crdb",
    "ams02_proton_flux": "ams02_proton_flux_physrep2021",
    "ams02_helium_flux": "ams02_helium_flux_physrep2021",
    "ams02_carbon_flux": "ams02_carbon_flux_physrep2021",
    "ams02_bc": "ams02_bc_ratio_physrep2021_kiss",
    "pamela_positron_fraction": "pamela_positron_fraction_2013_crdb",
    "pamela_positron_flux": "pamela_positron_flux_2013",
    "fermi_positron_fraction": "fermi_positron_fraction_2012_crdb",
    "fermi_cre": "fermi_cre_2017_he_crdb",
    "dampe_cre": "dampe_cre_2017",
    "calet_cre": "calet_cre_2023",
    "hess_cre": "hess_cre_2008_crdb",
    "voyager1_electron": "voyager1_electron_lis_cummings2016",
    "voyager1_proton": "voyager1_proton_lis_2012_crdb",
    "voyager1_helium": "voyager1_helium_cummings2016_table8",
    "psrcat": "atnf_psrcat_v1p66_nearby_pulsars",
    "nearby_pulsars": "atnf_nearby_pulsars_derived",
}

_PACKAGE = "positrons.data"
_MEASUREMENTS = "measurements"
_CATALOGUES = "catalogues"


class UnknownDatasetError(KeyError):
    """No shipped dataset has this ID or alias; the message lists close matches."""

    def __str__(self) -> str:  # KeyError would print the repr of the message
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class DatasetInfo:
    """What the registry knows of a shipped dataset from its file header alone."""

    id: str
    experiment: str
    species: str
    quantity: str
    energy_variable: str
    energy_unit: str
    energy_range: tuple[float, float]
    year: int
    n_points: int
    flags: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.experiment} ({self.year})"


def _resource_dir(kind: str):
    return resources.files(_PACKAGE) / kind


@functools.cache
def _headers(kind: str) -> dict[str, dict]:
    """dataset ID -> header metadata for every ``*.ecsv`` of ``kind`` (read once)."""
    out = {}
    for entry in sorted(_resource_dir(kind).iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".ecsv"):
            continue
        with entry.open("r", encoding="utf-8") as fh:
            meta = _io.read_header(fh, entry.name)
        stem = entry.name[: -len(".ecsv")]
        if meta.get("dataset_id") != stem:
            raise _io.DatasetFormatError(f"{entry.name}: dataset_id {meta.get('dataset_id')!r} differs from the file name")
        out[stem] = meta
    return out


def _all_names() -> list[str]:
    return sorted(set(_headers(_MEASUREMENTS)) | set(_headers(_CATALOGUES)) | set(ALIASES))


def _unknown(name: str, kind: str) -> UnknownDatasetError:
    close = difflib.get_close_matches(name, _all_names(), n=5, cutoff=0.5)
    hint = f"; close matches: {', '.join(close)}" if close else "; see positrons.data.list_datasets()"
    return UnknownDatasetError(f"unknown {kind} {name!r}{hint}")


def resolve(name: str) -> str:
    """The dataset ID of ``name`` (an ID or an alias)."""
    return ALIASES.get(name, name)


def list_datasets() -> list[DatasetInfo]:
    """A record per shipped measurement (spectra, fractions, ratios), sorted by ID."""
    out = []
    for dataset_id, m in _headers(_MEASUREMENTS).items():
        out.append(
            DatasetInfo(
                id=dataset_id,
                experiment=m["experiment"],
                species=m["species"],
                quantity=m["quantity"],
                energy_variable=m["energy_variable"],
                energy_unit=m["energy_unit"],
                energy_range=tuple(m["energy_range"]),
                year=m["year"],
                n_points=m["n_points"],
                flags=tuple(m["flags"]),
            )
        )
    return out


def list_catalogues() -> list[str]:
    """The IDs of the shipped catalogue tables."""
    return list(_headers(_CATALOGUES))


def find(species=None, quantity=None, experiment=None, energy_variable=None, exclude_flags=()) -> list[str]:
    """IDs of the shipped measurements matching every given criterion.

    ``species``, ``quantity``, ``energy_variable`` are checked against the vocabularies
    (a typo is a ``ValueError``, not an empty list); ``experiment`` is compared exactly
    (e.g. ``"AMS-02"``); datasets carrying any flag in ``exclude_flags`` are left out.
    """
    for key, val, vocab in (
        ("species", species, _io.SPECIES),
        ("quantity", quantity, _io.QUANTITIES),
        ("energy_variable", energy_variable, _io.ENERGY_VARIABLES),
    ):
        if val is not None and val not in vocab:
            raise ValueError(f"unknown {key} {val!r}; expected one of {list(vocab)}")
    unknown_flags = set(exclude_flags) - set(_io.FLAGS)
    if unknown_flags:
        raise ValueError(f"unknown flag(s) {sorted(unknown_flags)}; known flags: {sorted(_io.FLAGS)}")
    out = []
    for info in list_datasets():
        if species is not None and info.species != species:
            continue
        if quantity is not None and info.quantity != quantity:
            continue
        if experiment is not None and info.experiment != experiment:
            continue
        if energy_variable is not None and info.energy_variable != energy_variable:
            continue
        if set(info.flags) & set(exclude_flags):
            continue
        out.append(info.id)
    return out


def load(name: str):
    """The :class:`~positrons.data.Dataset` with this ID or alias (cached, immutable)."""
    dataset_id = resolve(name)
    if dataset_id not in _headers(_MEASUREMENTS):
        if dataset_id in _headers(_CATALOGUES):
            raise UnknownDatasetError(f"{name!r} is a catalogue, not a measurement; use load_catalogue({name!r})")
        raise _unknown(name, "dataset")
    return _load(dataset_id)


@functools.lru_cache(maxsize=None)
def _load(dataset_id: str):
    entry = _resource_dir(_MEASUREMENTS) / f"{dataset_id}.ecsv"
    return _io.dataset_from_text(entry.read_text(encoding="utf-8"), entry.name)


def load_catalogue(name: str):
    """The catalogue table with this ID or alias, as an astropy ``Table`` (a fresh copy)."""
    dataset_id = resolve(name)
    if dataset_id not in _headers(_CATALOGUES):
        raise _unknown(name, "catalogue")
    return _load_catalogue(dataset_id).copy()


@functools.lru_cache(maxsize=None)
def _load_catalogue(dataset_id: str):
    entry = _resource_dir(_CATALOGUES) / f"{dataset_id}.ecsv"
    return _io.catalogue_from_text(entry.read_text(encoding="utf-8"), entry.name)
