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
authors' README (their README asks public codes to keep it beside the tables) and checks
each file; or put them in one directory by hand.  Then pass the directory to :func:`orusa2022_model` or set the
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


#: the published grids (authors' script): >= 120 projectile energies from 0.1 GeV/n, 90 lepton
#: energies 0.01-1e4 GeV.  A download is accepted only if it is at least this complete.
MIN_PROJECTILE_POINTS = 100
LEPTON_RANGE_GEV = (0.01, 1.0e4)


def _check_published_grid(name: str, T_n, T_e) -> None:
    """Refuse a table that parses but is not the full published grid (e.g. a cut download)."""
    lo, hi = LEPTON_RANGE_GEV
    if T_n.size < MIN_PROJECTILE_POINTS or not (np.isclose(T_e[0], lo, rtol=1e-3) and np.isclose(T_e[-1], hi, rtol=1e-3)):
        raise ValueError(
            f"{name}: {T_n.size} projectile x {T_e.size} lepton energies ({T_e[0]:g}-{T_e[-1]:g} GeV), "
            f"not the published grid (>= {MIN_PROJECTILE_POINTS} projectile energies, leptons {lo:g}-{hi:g} GeV)"
        )


def _download(url: str, target: Path, timeout_s: float) -> None:
    """Copy ``url`` to ``target``; a body shorter than its Content-Length is an error."""
    import shutil
    import urllib.request

    with urllib.request.urlopen(url, timeout=timeout_s) as response, target.open("wb") as out:
        shutil.copyfileobj(response, out)
        expected = response.headers.get("Content-Length") if hasattr(response, "headers") else None
    if expected is not None and target.stat().st_size != int(expected):
        raise OSError(f"truncated: {target.stat().st_size} of {expected} bytes")


def fetch_tables(directory, base_url: str = REPOSITORY_URL, bands=BANDS, timeout_s: float = 60.0) -> list[Path]:
    """Download the published tables into ``directory``; returns the paths written.

    ``base_url``: any URL urllib opens, or a local directory (a mirror).  Everything is first
    downloaded to a temporary directory beside the target; every table must parse as the
    full published grid (:func:`read_table`, at least 100 projectile energies, leptons
    0.01-1e4 GeV) and the e+ and e- tables must share one grid.  Only then are the files moved
    into place together, so a failed or cut download leaves existing tables untouched.
    The authors' README.md, which they ask public codes to keep beside the tables, is
    fetched too when the source has it.  Network errors raise :class:`OrusaTablesMissing`
    naming the file and the URL; a malformed table raises ValueError.
    """
    import http.client
    import os
    import tempfile
    import urllib.error

    for band in bands:
        if band not in BANDS:
            raise ValueError(f"band must be one of {BANDS}, got {band!r}")
    if "://" not in base_url:
        base_url = Path(base_url).resolve().as_uri()
    base_url = base_url if base_url.endswith("/") else base_url + "/"
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    umask = os.umask(0)
    os.umask(umask)
    with tempfile.TemporaryDirectory(dir=directory, prefix=".orusa2022-") as staging:
        staging = Path(staging)
        fetched = []
        for name in table_filenames(bands):
            url = base_url + name
            try:
                _download(url, staging / name, timeout_s)
            except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
                raise OrusaTablesMissing(f"could not download {name} from {url}: {exc}") from exc
            try:
                T_n, T_e, _ = read_table(staging / name)
                _check_published_grid(name, T_n, T_e)
            except ValueError as exc:
                raise ValueError(f"{url} is not a table in the published layout: {exc}") from exc
            fetched.append((name, T_n, T_e))
        for band in bands:
            grids = [(T_n, T_e) for name, T_n, T_e in fetched if name.endswith(f"_{band}.dat")]
            if not all(np.array_equal(a, b) for a, b in zip(grids[0], grids[1])):
                raise ValueError(f"the e+ and e- tables of band {band} do not share one energy grid")
        names = [name for name, _, _ in fetched]
        try:
            _download(base_url + "README.md", staging / "README.md", timeout_s)
            names.insert(0, "README.md")
        except (urllib.error.URLError, http.client.HTTPException, OSError):
            pass  # the tables are usable without it
        written = []
        for name in names:
            (staging / name).chmod(0o666 & ~umask)
            (staging / name).replace(directory / name)
            written.append(directory / name)
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
    from .production import ProductionModel

    if band not in BANDS:
        raise ValueError(f"band must be one of {BANDS}, got {band!r}")
    directory = directory or os.environ.get(ENV_VAR)
    if not directory:
        raise OrusaTablesMissing(
            "orusa2022 needs the published tables of Orusa et al. (2022): put "
            "supplementary_table_{positrons,electrons}_" + band + ".dat in a directory and set "
            f"{ENV_VAR} to it ('positrons secondary fetch-orusa2022 DIR' downloads them; see "
            "positrons.cross_sections.orusa2022)"
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
