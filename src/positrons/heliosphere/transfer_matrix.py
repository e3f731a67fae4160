"""Transfer-matrix modulation: ``Phi_TOA(R) = Integral G(R, R') Phi_LIS(R') dR'``.

Numerical heliospheric codes (HelMod, SOLARPROP, ...) distribute their results as a linear
map from the local interstellar spectrum (LIS) to the top-of-atmosphere (TOA) spectrum on
rigidity grids.  :class:`TransferMatrix` holds such a map with its grids,
species and provenance, applies it to any LIS, and reads/writes it in a small ECSV format.

Discrete convention
-------------------
The matrix ``M`` (shape ``(n_toa, n_lis)``, dimensionless) acts on the LIS *sampled* at the
LIS rigidity nodes, both spectra **per unit rigidity** (GV^-1)::

    Phi^R_TOA(R_i) = sum_j M_ij Phi^R_LIS(R'_j)                                  (1)

i.e. the quadrature of the integral is folded into ``M``.  A kernel ``G(R_i, R'_j)``
[GV^-1] tabulated on the grids becomes ``M_ij = G_ij w_j`` with trapezoid weights ``w_j``
in ``R'`` (:meth:`TransferMatrix.from_kernel`).

:meth:`TransferMatrix.apply` takes the LIS per unit *kinetic energy* (the package
convention; callable or ``(T, flux)`` arrays, interpolated log-log as in
:mod:`positrons.heliosphere.force_field`), converts with ``Phi^R = Phi^T |Z| beta``
(``docs/conventions.md``), applies Eq. 1, converts back and interpolates the TOA spectrum
onto any kinetic-energy grid (log-log inside ``[T(R_1), T(R_n)]``, NaN outside).

The force field as a matrix
---------------------------
:meth:`TransferMatrix.from_force_field` builds ``M`` for Gleeson & Axford's force field.  In
rigidity the force field maps ``R`` to ``R'(R)``, the rigidity at total energy
``E + |Z| phi``, with (from Eq. 2 of :mod:`~positrons.heliosphere.force_field` and
``dT/dR = |Z| beta``)::

    Phi^R_TOA(R) = c(R) Phi^R_LIS(R'(R)),   c = beta p^2 / (beta' p'^2)             (2)

a *shift*, i.e. ``G(R, R') = c(R) delta(R' - R'(R))``.  On a grid the delta function is
represented by the weights of linear interpolation in ``ln R'``: with
``R'_j <= R'(R_i) < R'_{j+1}`` and ``w = ln(R'(R_i)/R'_j) / ln(R'_{j+1}/R'_j)``, row ``i`` has
``M_ij = c (1 - w)`` and ``M_i,j+1 = c w`` (two non-zeros per row: a near-diagonal band).
The matrix reproduces Eq. 2 up to the interpolation error, bounded by
``(h^2/8) max|d^2 Phi^R / d(ln R)^2| / Phi^R`` with ``h`` the ``ln R'`` spacing; for a
power law ``R^-gamma`` that is ``gamma^2 h^2 / 8`` (8e-4 for gamma = 3.5 and 100 points per
decade).

File format (ECSV 1.0)
----------------------
One table, one row per TOA rigidity node::

    # %ECSV 1.0
    # ---
    # datatype:
    # - {name: R_toa, unit: GV, datatype: float64}
    # - {name: M, datatype: string, subtype: 'float64[n_lis]'}
    # meta: !!omap
    # - {format: positrons-transfer-matrix}
    # - {format_version: 1}
    # - {species: positron}
    # - {R_lis_GV: [R'_1, ..., R'_n_lis]}
    # - {provenance: free text: code, version, parameters, period, reference}
    # - {convention: 'Phi^R_TOA(R_toa_i) = sum_j M_ij Phi^R_LIS(R_lis_j); spectra per GV'}
    R_toa M
    1.0 [0.0,0.98,0.01,...]

* ``R_toa`` [GV], strictly increasing, > 0; ``M`` a row of ``n_lis`` floats (the matrix row
  for that ``R_toa``); the LIS grid is the metadata list ``R_lis_GV`` (strictly increasing,
  > 0, length ``n_lis``).
* ``species`` is a name known to :func:`positrons.kinematics.get_species`.
* Any other metadata key is refused, as are missing keys, NaN/inf entries, and a row
  length that differs from ``len(R_lis_GV)``; errors are :class:`TransferMatrixFormatError`
  (a ``ValueError``) whose message starts with the file name.

A HelMod/SOLARPROP table of ``G(R, R')`` values is converted by building
:meth:`TransferMatrix.from_kernel` and calling :meth:`TransferMatrix.write`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import kinematics as kin
from .force_field import as_spectrum, charge_shift, phi_value

__all__ = ["TransferMatrix", "TransferMatrixFormatError", "read_transfer_matrix", "FORMAT_NAME", "FORMAT_VERSION"]

FORMAT_NAME = "positrons-transfer-matrix"
FORMAT_VERSION = 1
_CONVENTION = "Phi^R_TOA(R_toa_i) = sum_j M_ij Phi^R_LIS(R_lis_j); spectra per GV"
_META_KEYS = ("format", "format_version", "species", "R_lis_GV", "provenance", "convention")


class TransferMatrixFormatError(ValueError):
    """A transfer-matrix file that does not follow the documented format."""


def _grid(R, what: str) -> np.ndarray:
    R = np.asarray(R, dtype=float)
    if R.ndim != 1 or R.size < 2:
        raise ValueError(f"{what} must be a 1-d array of at least 2 rigidities")
    if not (np.all(np.isfinite(R)) and np.all(R > 0)) or np.any(np.diff(R) <= 0):
        raise ValueError(f"{what} must be finite, > 0 and strictly increasing [GV]")
    return R


def _readonly(a) -> np.ndarray:
    a = np.array(a, dtype=float, copy=True)
    a.flags.writeable = False
    return a


@dataclass(frozen=True, eq=False)
class TransferMatrix:
    """A linear LIS -> TOA map on rigidity grids (Eq. 1 of the module docstring).

    Attributes
    ----------
    R_toa : (n,) array [GV]
        TOA rigidity nodes.
    R_lis : (m,) array [GV]
        LIS rigidity nodes.
    matrix : (n, m) array
        ``M_ij``, dimensionless, quadrature included.
    species : str
        Species name (:func:`positrons.kinematics.get_species`).
    provenance : str
        Where the matrix comes from (code, parameters, period, reference).
    """

    R_toa: np.ndarray
    R_lis: np.ndarray
    matrix: np.ndarray
    species: str
    provenance: str = ""

    def __post_init__(self):
        R_toa = _grid(self.R_toa, "R_toa")
        R_lis = _grid(self.R_lis, "R_lis")
        M = np.asarray(self.matrix, dtype=float)
        if M.shape != (R_toa.size, R_lis.size):
            raise ValueError(f"matrix has shape {M.shape}, expected ({R_toa.size}, {R_lis.size}) = (len(R_toa), len(R_lis))")
        if not np.all(np.isfinite(M)):
            raise ValueError("the transfer matrix must be finite")
        name = self.species.name if isinstance(self.species, kin.Species) else str(self.species)
        kin.get_species(name)  # refuses an unknown species
        object.__setattr__(self, "R_toa", _readonly(R_toa))
        object.__setattr__(self, "R_lis", _readonly(R_lis))
        object.__setattr__(self, "matrix", _readonly(M))
        object.__setattr__(self, "species", name)
        object.__setattr__(self, "provenance", str(self.provenance))

    # --- constructors -------------------------------------------------------------------
    @classmethod
    def from_kernel(cls, R_toa, R_lis, G, species, provenance: str = "") -> TransferMatrix:
        """From a kernel ``G(R_toa_i, R_lis_j)`` [GV^-1]: ``M_ij = G_ij w_j`` (trapezoid in R')."""
        R_lis = _grid(R_lis, "R_lis")
        dR = np.diff(R_lis)
        w = np.zeros_like(R_lis)
        w[:-1] += dR / 2
        w[1:] += dR / 2
        return cls(R_toa, R_lis, np.asarray(G, dtype=float) * w[None, :], species, provenance)

    @classmethod
    def from_force_field(cls, phi, species, R_grid, R_lis=None) -> TransferMatrix:
        """The force field of potential ``phi`` [GV] as a matrix (module docstring, Eq. 2).

        Parameters
        ----------
        phi : float
            Modulation potential [GV].
        species : str or Species
        R_grid : array [GV]
            TOA rigidity nodes.
        R_lis : array [GV], optional
            LIS nodes; by default ``R_grid`` continued upward with its last ``ln R``
            spacing until it covers ``R'(R_grid[-1])``.  A grid given here must contain
            ``R'(R)`` for every ``R`` in ``R_grid``.
        """
        phi = phi_value(phi)
        if phi < 0:
            raise ValueError(f"the modulation potential must be >= 0 GV (got {phi})")
        sp = kin.get_species(species)
        R = _grid(R_grid, "R_grid")
        T = kin.kinetic_from_rigidity(R, sp)
        T_shift = T + charge_shift(phi, sp)
        R_shift = kin.rigidity_from_kinetic(T_shift, sp)
        if R_lis is None:
            step = np.log(R[-1] / R[-2])
            n_extra = int(np.ceil(np.log(R_shift[-1] / R[-1]) / step - 1e-12))
            R_lis = np.concatenate([R, R[-1] * np.exp(step * np.arange(1, max(n_extra, 0) + 1))])
        R_lis = _grid(R_lis, "R_lis")
        if R_shift[0] < R_lis[0] * (1 - 1e-12) or R_shift[-1] > R_lis[-1] * (1 + 1e-12):
            raise ValueError(
                f"R_lis [{R_lis[0]:.4g}, {R_lis[-1]:.4g}] GV does not contain the shifted rigidities "
                f"[{R_shift[0]:.4g}, {R_shift[-1]:.4g}] GV of the force field"
            )
        beta = kin.beta_from_kinetic(T, sp.mass)
        beta_shift = kin.beta_from_kinetic(T_shift, sp.mass)
        c = beta * R**2 / (beta_shift * R_shift**2)  # p = |Z| R, the |Z|^2 cancels
        x = np.log(np.clip(R_shift, R_lis[0], R_lis[-1]))
        lnR = np.log(R_lis)
        j = np.clip(np.searchsorted(lnR, x, side="right") - 1, 0, R_lis.size - 2)
        w = (x - lnR[j]) / (lnR[j + 1] - lnR[j])
        M = np.zeros((R.size, R_lis.size))
        rows = np.arange(R.size)
        M[rows, j] += c * (1.0 - w)
        M[rows, j + 1] += c * w
        provenance = (
            f"force field (Gleeson & Axford 1968) phi = {phi:g} GV for {sp.name}, "
            "linear interpolation in ln R (positrons.heliosphere.transfer_matrix.from_force_field)"
        )
        return cls(R, R_lis, M, sp.name, provenance)

    # --- use ----------------------------------------------------------------------------
    @property
    def T_toa(self) -> np.ndarray:
        """Kinetic energies [GeV] of the TOA rigidity nodes."""
        return kin.kinetic_from_rigidity(self.R_toa, self.species)

    @property
    def T_lis(self) -> np.ndarray:
        """Kinetic energies [GeV] of the LIS rigidity nodes."""
        return kin.kinetic_from_rigidity(self.R_lis, self.species)

    def apply_rigidity(self, lis_R) -> np.ndarray:
        """Eq. 1 on a LIS per unit rigidity given at the ``R_lis`` nodes; returns per GV at ``R_toa``."""
        lis_R = np.asarray(lis_R, dtype=float)
        if lis_R.shape != self.R_lis.shape:
            raise ValueError(f"the LIS must be sampled on the {self.R_lis.size} R_lis nodes")
        return self.matrix @ lis_R

    def apply(self, lis, T=None, extrapolate: str = "power-law") -> np.ndarray:
        """TOA flux per unit kinetic energy at ``T`` [GeV] (default: at the ``R_toa`` nodes).

        ``lis`` is the LIS per unit kinetic energy: a callable ``Phi(T)`` or ``(T, flux)``
        arrays (log-log interpolation, ``extrapolate`` rule above the grid as in
        :mod:`~positrons.heliosphere.force_field`).  Between the ``R_toa`` nodes the result
        is interpolated linearly in ``(ln T, ln Phi)``; outside ``[T_toa[0], T_toa[-1]]`` it
        is NaN.
        """
        sp = kin.get_species(self.species)
        spectrum = as_spectrum(lis, extrapolate)
        T_lis = self.T_lis
        lis_R = spectrum(T_lis) * kin.dT_dR(T_lis, sp)
        T_toa = self.T_toa
        toa_T = self.apply_rigidity(lis_R) / kin.dT_dR(T_toa, sp)
        if T is None:
            return toa_T
        T = np.asarray(T, dtype=float)
        out = np.full(T.shape, np.nan)
        inside = (T >= T_toa[0]) & (T <= T_toa[-1])
        lnT = np.log(np.where(inside, T, 1.0))
        if np.all(toa_T > 0):
            out[inside] = np.exp(np.interp(lnT[inside], np.log(T_toa), np.log(toa_T)))
        else:
            out[inside] = np.interp(lnT[inside], np.log(T_toa), toa_T)
        return out

    # --- input / output -----------------------------------------------------------------
    def to_table(self):
        """The matrix as an astropy ``Table`` in the file format of the module docstring."""
        import astropy.units as u
        from astropy.table import Table

        table = Table()
        table["R_toa"] = self.R_toa * u.GV
        table["M"] = np.array(self.matrix)
        table.meta.update(
            {
                "format": FORMAT_NAME,
                "format_version": FORMAT_VERSION,
                "species": self.species,
                "R_lis_GV": [float(x) for x in self.R_lis],
                "provenance": self.provenance,
                "convention": _CONVENTION,
            }
        )
        return table

    def write(self, path, overwrite: bool = False) -> Path:
        """Write the ECSV file (module docstring) and return its path."""
        path = Path(path)
        self.to_table().write(path, format="ascii.ecsv", overwrite=overwrite)
        return path

    @classmethod
    def read(cls, path) -> TransferMatrix:
        """Read and validate a file written in the documented format."""
        return read_transfer_matrix(path)


def read_transfer_matrix(path) -> TransferMatrix:
    """Read a transfer-matrix ECSV file; a malformed one raises :class:`TransferMatrixFormatError`."""
    import astropy.units as u
    from astropy.table import Table

    path = Path(path)

    def fail(problem: str):
        raise TransferMatrixFormatError(f"{path.name}: {problem}")

    try:
        table = Table.read(path, format="ascii.ecsv")
    except FileNotFoundError:
        raise
    except Exception as exc:  # astropy raises various errors for a non-ECSV file
        fail(f"not a readable ECSV table ({exc})")
    meta = dict(table.meta)
    missing = [k for k in _META_KEYS if k not in meta]
    unknown = sorted(set(meta) - set(_META_KEYS))
    if missing:
        fail(f"missing metadata key(s) {missing}")
    if unknown:
        fail(f"unknown metadata key(s) {unknown}")
    if meta["format"] != FORMAT_NAME:
        fail(f"format is {meta['format']!r}, expected {FORMAT_NAME!r}")
    if meta["format_version"] != FORMAT_VERSION:
        fail(f"format_version {meta['format_version']!r} is not supported (expected {FORMAT_VERSION})")
    for name in ("R_toa", "M"):
        if name not in table.colnames:
            fail(f"missing column {name!r}")
    if table["R_toa"].unit is None:
        fail("column R_toa has no unit (expected GV)")
    try:
        R_toa = (table["R_toa"].quantity).to_value(u.GV)
    except u.UnitConversionError:
        fail(f"column R_toa has unit {table['R_toa'].unit}, not a rigidity (expected GV)")
    M = np.asarray(table["M"], dtype=float)
    R_lis = np.asarray(meta["R_lis_GV"], dtype=float)
    if M.ndim != 2 or M.shape != (len(table), R_lis.size):
        fail(f"matrix rows have shape {M.shape[1:]} but R_lis_GV has {R_lis.size} entries")
    try:
        return TransferMatrix(R_toa, R_lis, M, meta["species"], meta["provenance"])
    except ValueError as exc:
        fail(str(exc))
