"""Registry of the shipped measurement and catalogue files.

A :class:`Registry` lists and loads the files of one data directory (``measurements/``,
``catalogues/`` and the checksum manifest ``checksums.sha256`` written by
``tools/import_shared_data.py``).  The package's own registry is built on first use (never
at import) from the files inside the package (``importlib.resources``); the module-level
functions (:func:`list_datasets`, :func:`load`, ...) use it.

* Listing reads the ECSV headers only.  Every file is checked against its SHA-256 in the
  manifest when it is listed and again when it is loaded; a file that differs is refused
  with a one-line :class:`~positrons.data.schema.ChecksumError` naming it.
* One unreadable file (empty, corrupt, changed, missing) does not hide the others: it is
  left out of :func:`list_datasets` and reported, with the reason, by :func:`list_unreadable`;
  loading it raises that reason.
* Loaded datasets are cached per registry; they are immutable, so the cache hands out the
  same object every time.  Catalogues (astropy Tables, mutable) are cached once and handed
  out as copies.

Dataset IDs are the source CSV file names without ``.csv``.  :data:`ALIASES` adds short
names for the sets one usually wants (the most recent, most complete table of each
measurement).
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass, field
from importlib import resources

from . import readers, schema
from .manifest import MANIFEST_NAME, parse_manifest, verify_checksum

__all__ = [
    "ALIASES",
    "DatasetInfo",
    "Registry",
    "UnreadableFile",
    "default_registry",
    "list_unreadable",
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


@dataclass(frozen=True)
class UnreadableFile:
    """A file of the data directory that cannot be used, and why (one line)."""

    id: str
    kind: str  # "measurements" or "catalogues"
    reason: str


@dataclass
class _Listing:
    """Headers of the readable files of one kind, and the errors of the others."""

    headers: dict[str, dict] = field(default_factory=dict)
    errors: dict[str, Exception] = field(default_factory=dict)


class Registry:
    """The measurement and catalogue files under ``root`` (a directory: a ``pathlib.Path`` or
    an ``importlib.resources`` traversable), checked against ``root/checksums.sha256``."""

    def __init__(self, root):
        self.root = root
        self._listings: dict[str, _Listing] = {}
        self._datasets: dict = {}
        self._catalogues: dict = {}

    def __repr__(self) -> str:
        return f"Registry({str(self.root)!r})"

    # --- reading files -------------------------------------------------------------------
    @functools.cached_property
    def _manifest(self) -> dict[str, str] | schema.ChecksumError:
        """``{kind/file: digest}``, or the error that makes every file unverifiable."""
        entry = self.root / MANIFEST_NAME
        try:
            return parse_manifest(entry.read_text(encoding="utf-8"))
        except OSError as exc:
            return schema.ChecksumError(f"{MANIFEST_NAME}: cannot read the checksum manifest ({exc.strerror or exc})")
        except schema.ChecksumError as exc:
            return exc

    def _verified_text(self, kind: str, filename: str) -> str:
        """The text of ``kind/filename`` after checking its SHA-256 against the manifest."""
        manifest = self._manifest
        if isinstance(manifest, Exception):
            raise schema.ChecksumError(f"{filename}: cannot be verified: {manifest}")
        try:
            data = (self.root / kind / filename).read_bytes()
        except OSError as exc:
            raise schema.DatasetFormatError(f"{filename}: cannot read the file ({exc.strerror or exc})") from None
        verify_checksum(data, manifest.get(f"{kind}/{filename}"), filename)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise schema.DatasetFormatError(f"{filename}: not UTF-8 text ({exc.reason})") from None

    def _listing(self, kind: str) -> _Listing:
        """Headers of every ``*.ecsv`` of ``kind`` (read once); unreadable files recorded apart."""
        if kind in self._listings:
            return self._listings[kind]
        out = _Listing()
        directory = self.root / kind
        names = sorted(e.name for e in directory.iterdir() if e.name.endswith(".ecsv")) if directory.is_dir() else []
        for filename in names:
            stem = filename[: -len(".ecsv")]
            try:
                meta = readers.read_header(self._verified_text(kind, filename).splitlines(keepends=True), filename)
                if meta.get("dataset_id") != stem:
                    raise schema.DatasetFormatError(
                        f"{filename}: dataset_id {meta.get('dataset_id')!r} differs from the file name"
                    )
            except schema.DatasetFormatError as exc:
                out.errors[stem] = exc
            else:
                out.headers[stem] = meta
        manifest = self._manifest
        if not isinstance(manifest, Exception):
            for path in manifest:
                folder, _, filename = path.partition("/")
                if folder == kind and filename not in names:
                    out.errors[filename[: -len(".ecsv")]] = schema.DatasetFormatError(
                        f"{filename}: listed in {MANIFEST_NAME} but missing from the installation"
                    )
        self._listings[kind] = out
        return out

    def _all_names(self) -> list[str]:
        names = set(ALIASES)
        for kind in (_MEASUREMENTS, _CATALOGUES):
            names |= set(self._listing(kind).headers)
        return sorted(names)

    def _unknown(self, name: str, kind: str) -> UnknownDatasetError:
        close = difflib.get_close_matches(name, self._all_names(), n=5, cutoff=0.5)
        hint = f"; close matches: {', '.join(close)}" if close else "; see positrons.data.list_datasets()"
        return UnknownDatasetError(f"unknown {kind} {name!r}{hint}")

    def _raise_if_unreadable(self, dataset_id: str) -> None:
        for kind in (_MEASUREMENTS, _CATALOGUES):
            exc = self._listing(kind).errors.get(dataset_id)
            if exc is not None:
                raise type(exc)(str(exc))

    # --- listing -------------------------------------------------------------------------
    def list_datasets(self) -> list[DatasetInfo]:
        """A record per readable measurement (spectra, fractions, ratios), sorted by ID."""
        return [
            DatasetInfo(
                id=dataset_id,
                experiment=m["experiment"],
                species=m["species"],
                quantity=m["quantity"],
                energy_variable=m["energy_variable"],
                energy_unit=m["energy_unit"],
                energy_range=tuple(m["energy_range"]) if m["energy_range"] is not None else (None, None),
                year=m["year"],
                n_points=m["n_points"],
                flags=tuple(m["flags"]),
            )
            for dataset_id, m in self._listing(_MEASUREMENTS).headers.items()
        ]

    def list_unreadable(self) -> list[UnreadableFile]:
        """Every file (measurement or catalogue) that cannot be used, with the reason."""
        return [
            UnreadableFile(dataset_id, kind, str(exc))
            for kind in (_MEASUREMENTS, _CATALOGUES)
            for dataset_id, exc in sorted(self._listing(kind).errors.items())
        ]

    def list_catalogues(self) -> list[str]:
        """The IDs of the readable catalogue tables."""
        return list(self._listing(_CATALOGUES).headers)

    def find(self, species=None, quantity=None, experiment=None, energy_variable=None, exclude_flags=()) -> list[str]:
        """IDs of the readable measurements matching every given criterion (see :func:`find`)."""
        for key, val, vocab in (
            ("species", species, schema.SPECIES),
            ("quantity", quantity, schema.QUANTITIES),
            ("energy_variable", energy_variable, schema.ENERGY_VARIABLES),
        ):
            if val is not None and val not in vocab:
                raise ValueError(f"unknown {key} {val!r}; expected one of {list(vocab)}")
        unknown_flags = set(exclude_flags) - set(schema.FLAGS)
        if unknown_flags:
            raise ValueError(f"unknown flag(s) {sorted(unknown_flags)}; known flags: {sorted(schema.FLAGS)}")
        wanted = {"species": species, "quantity": quantity, "experiment": experiment, "energy_variable": energy_variable}
        return [
            info.id
            for info in self.list_datasets()
            if all(v is None or getattr(info, k) == v for k, v in wanted.items()) and not set(info.flags) & set(exclude_flags)
        ]

    # --- loading -------------------------------------------------------------------------
    def load(self, name: str):
        """The :class:`~positrons.data.Dataset` with this ID or alias (checksum verified, cached)."""
        dataset_id = resolve(name)
        if dataset_id not in self._listing(_MEASUREMENTS).headers:
            self._raise_if_unreadable(dataset_id)
            if dataset_id in self._listing(_CATALOGUES).headers:
                raise UnknownDatasetError(f"{name!r} is a catalogue, not a measurement; use load_catalogue({name!r})")
            raise self._unknown(name, "dataset")
        if dataset_id not in self._datasets:
            filename = f"{dataset_id}.ecsv"
            text = self._verified_text(_MEASUREMENTS, filename)
            self._datasets[dataset_id] = readers.dataset_from_text(text, filename)
        return self._datasets[dataset_id]

    def load_catalogue(self, name: str):
        """The catalogue table with this ID or alias, as an astropy ``Table`` (a fresh copy)."""
        dataset_id = resolve(name)
        if dataset_id not in self._listing(_CATALOGUES).headers:
            self._raise_if_unreadable(dataset_id)
            raise self._unknown(name, "catalogue")
        if dataset_id not in self._catalogues:
            filename = f"{dataset_id}.ecsv"
            text = self._verified_text(_CATALOGUES, filename)
            self._catalogues[dataset_id] = readers.catalogue_from_text(text, filename)
        return self._catalogues[dataset_id].copy()


@functools.cache
def default_registry() -> Registry:
    """The registry of the files shipped inside the package (built on first use)."""
    return Registry(resources.files(_PACKAGE))


def resolve(name: str) -> str:
    """The dataset ID of ``name`` (an ID or an alias)."""
    return ALIASES.get(name, name)


def list_datasets() -> list[DatasetInfo]:
    """A record per readable shipped measurement (spectra, fractions, ratios), sorted by ID."""
    return default_registry().list_datasets()


def list_unreadable() -> list[UnreadableFile]:
    """The shipped files that cannot be used (empty, corrupt, changed after the import), with the reason."""
    return default_registry().list_unreadable()


def list_catalogues() -> list[str]:
    """The IDs of the shipped catalogue tables."""
    return default_registry().list_catalogues()


def find(species=None, quantity=None, experiment=None, energy_variable=None, exclude_flags=()) -> list[str]:
    """IDs of the shipped measurements matching every given criterion.

    ``species``, ``quantity``, ``energy_variable`` are checked against the vocabularies
    (a typo is a ``ValueError``, not an empty list); ``experiment`` is compared exactly
    (e.g. ``"AMS-02"``); datasets carrying any flag in ``exclude_flags`` are left out.
    """
    return default_registry().find(species, quantity, experiment, energy_variable, exclude_flags)


def load(name: str):
    """The :class:`~positrons.data.Dataset` with this ID or alias (cached, immutable)."""
    return default_registry().load(name)


def load_catalogue(name: str):
    """The catalogue table with this ID or alias, as an astropy ``Table`` (a fresh copy)."""
    return default_registry().load_catalogue(name)
