"""Orusa, Di Mauro, Donato & Korsmeier (2022): e+- production from the published tables.

L. Orusa et al., PRD 105, 123021 (2022), arXiv:2203.13143, fitted pi+- and K+-
invariant cross sections to NA49/NA61/ALICE/LHCb data and distributed dsigma/dT_e tables
(best fit and 1-sigma band; 5-7 % uncertainty at AMS-02 energies) for p, D, 3He, 4He, C, N, O
projectiles on H and 4He.  The analytic parametrisation is in the paper body, which was not
readable in the environment where this module was written, and the tables could not be
downloaded there; so the package reads the tables from disk, and does not ship them.

Getting the tables: the files ``supplementary_table_{positrons,electrons}_{best_fit,upper_band,lower_band}.dat``
of the authors' repository ``lucaorusa/positron_electron_cross_section`` (GitHub).
:func:`fetch_tables` (``positrons secondary fetch-orusa2022 DIR``) downloads them with the
authors' README (which they ask to keep beside the tables) and checks each file; or put them
in one directory by hand.  Then pass the directory to :func:`orusa2022_model` or set the
environment variable ``POSITRONS_ORUSA2022_DIR``; ``get_model("orusa2022")`` works.

Table layout (from the authors' script): whitespace-separated rows, ``#`` or text lines
ignored; column 0 the projectile kinetic energy per nucleon [GeV/n], column 1 the lepton
kinetic energy [GeV], then dsigma/dT_e [mb/GeV] per projectile nucleus for
p+H, p+He, D+H, D+He, 3He+H, 3He+He, 4He+H, 4He+He, ... (columns 2-9 used here: p+H -> pp,
p+He -> pHe, 4He+H -> Hep, 4He+He -> HeHe).  Rows run over T_e fastest.  Interpolation is
bilinear in (ln T_n, ln T_e) of ln sigma where the table is positive (zero elsewhere).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

ENV_VAR = "POSITRONS_ORUSA2022_DIR"
BANDS = ("best_fit", "upper_band", "lower_band")
#: where :func:`fetch_tables` looks by default (the authors' repository, default branch)
REPOSITORY_URL = "https://github.com/lucaorusa/positron_electron_cross_section/raw/HEAD/"
#: column of each reaction in the published tables (authors' mapping; 0-based)
COLUMNS = {"pp": 2, "pHe": 3, "Hep": 8, "HeHe": 9}


class OrusaTablesMissing(ValueError):
    """The Orusa et al. (2022) tables are not on disk."""


def read_table(path) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """(T_n grid [GeV/n], T_e grid [GeV], {reaction: sigma[n_Tn, n_Te] mb/GeV}) of one file."""
    path = Path(path)
    rows = []
    with path.open() as handle:
        for line in handle:
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            try:
                rows.append([float(x) for x in parts])
            except ValueError:
                continue  # header text
    if not rows:
        raise ValueError(f"{path.name}: no numeric rows")
    widths = {len(r) for r in rows}
    if len(widths) != 1 or widths.pop() < 10:
        raise ValueError(f"{path.name}: rows must all have >= 10 columns (T_n, T_e, 8 reactions or more)")
    data = np.array(rows)
    T_n = np.unique(data[:, 0])
    T_e = np.unique(data[:, 1])
    if T_n.size * T_e.size != data.shape[0]:
        raise ValueError(f"{path.name}: {data.shape[0]} rows do not form a {T_n.size} x {T_e.size} grid")
    order = np.lexsort((data[:, 1], data[:, 0]))
    data = data[order]
    if np.any(data[:, 2:] < 0):
        raise ValueError(f"{path.name}: negative cross sections")
    tables = {r: data[:, c].reshape(T_n.size, T_e.size) for r, c in COLUMNS.items()}
    return T_n, T_e, tables


def table_filenames(bands=BANDS) -> list[str]:
    """Names of the published table files for ``bands`` (e+ and e-)."""
    return [f"supplementary_table_{stem}_{band}.dat" for band in bands for stem in ("positrons", "electrons")]


def fetch_tables(directory, base_url: str = REPOSITORY_URL, bands=BANDS, timeout_s: float = 60.0) -> list[Path]:
    """Download the published tables (and the authors' README.md) into ``directory``.

    Each table is read with :func:`read_table` before it is put in place, so a truncated or
    wrong download never lands under the published name.  ``base_url`` may be any URL
    urllib opens (``file://`` for a local mirror).  Network errors raise
    :class:`OrusaTablesMissing` naming the file and the URL.
    """
    import shutil
    import tempfile
    import urllib.error
    import urllib.request

    for band in bands:
        if band not in BANDS:
            raise ValueError(f"band must be one of {BANDS}, got {band!r}")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    base_url = base_url if base_url.endswith("/") else base_url + "/"
    written = []
    for name in ["README.md"] + table_filenames(bands):
        url = base_url + name
        try:
            with urllib.request.urlopen(url, timeout=timeout_s) as response, tempfile.NamedTemporaryFile(
                dir=directory, prefix=f".{name}.", delete=False
            ) as tmp:
                shutil.copyfileobj(response, tmp)
        except (urllib.error.URLError, OSError) as exc:
            raise OrusaTablesMissing(f"could not download {name} from {url}: {exc}") from exc
        tmp_path = Path(tmp.name)
        if name.endswith(".dat"):
            try:
                read_table(tmp_path)
            except ValueError as exc:
                tmp_path.unlink()
                raise ValueError(f"{url} is not a table in the published layout: {exc}") from exc
        target = directory / name
        tmp_path.replace(target)
        written.append(target)
    return written


class _LogLogTable:
    """Bilinear interpolation of ln sigma in (ln T_n, ln T_e); zero where the table is zero."""

    def __init__(self, T_n, T_e, sigma):
        from scipy.interpolate import RegularGridInterpolator

        positive = sigma > 0
        log_sigma = np.where(positive, np.log(np.where(positive, sigma, 1.0)), -700.0)
        self._interp = RegularGridInterpolator((np.log(T_n), np.log(T_e)), log_sigma, bounds_error=False, fill_value=-700.0)

    def __call__(self, T_p, T_e):
        T_p, T_e = np.broadcast_arrays(np.asarray(T_p, dtype=float), np.asarray(T_e, dtype=float))
        points = np.stack([np.log(T_p).ravel(), np.log(T_e).ravel()], axis=-1)
        values = np.exp(self._interp(points)).reshape(T_p.shape)
        return np.where(values > 1e-300, values, 0.0)


def orusa2022_model(directory=None, band: str = "best_fit"):
    """The Orusa et al. (2022) model from the tables in ``directory`` (or ``$POSITRONS_ORUSA2022_DIR``)."""
    from . import ProductionModel

    if band not in BANDS:
        raise ValueError(f"band must be one of {BANDS}, got {band!r}")
    directory = directory or os.environ.get(ENV_VAR)
    if not directory:
        raise OrusaTablesMissing(
            "orusa2022 needs the published tables of Orusa et al. (2022): put "
            "supplementary_table_{positrons,electrons}_" + band + ".dat in a directory and set "
            f"{ENV_VAR} to it (see positrons.cross_sections.orusa2022)"
        )
    directory = Path(directory)
    tables = {}
    for lepton, stem in (("positron", "positrons"), ("electron", "electrons")):
        path = directory / f"supplementary_table_{stem}_{band}.dat"
        if not path.is_file():
            raise OrusaTablesMissing(f"{path} not found (Orusa et al. 2022 table; see positrons.cross_sections.orusa2022)")
        T_n, T_e, sigma = read_table(path)
        tables[lepton] = {r: _LogLogTable(T_n, T_e, s) for r, s in sigma.items()}

    def kernel_for(reaction):
        return lambda T_p, T_lep, lepton: tables[lepton][reaction](T_p, T_lep)

    return ProductionModel(
        name="orusa2022" if band == "best_fit" else f"orusa2022_{band}",
        reference="L. Orusa, M. Di Mauro, F. Donato & M. Korsmeier, PRD 105, 123021 (2022), arXiv:2203.13143 (tables)",
        projectile_min=float(T_n[0]),
        projectile_max=float(T_n[-1]),
        pp_kernel=kernel_for("pp"),
        description=f"published tables ({band}), log-log bilinear interpolation; He channels from the tables",
        reaction_kernels={r: kernel_for(r) for r in ("pHe", "Hep", "HeHe")},
    )
