"""The transport grid: cylinder nodes in (R, z), kinetic energies, and the user's grid settings.

Two records:

* :class:`GridSpec` -- what a user chooses (spacings in kpc, energies per decade), independent
  of the model; one default per setting, defined here.  ``GridSpec.validate_for(model)``
  refuses a grid too coarse for the model's halo or too large for memory with a one-line
  error, before anything is computed.
* :class:`Grid` -- the nodes themselves for one model: R_i = i dR (i = 0 .. n_R - 1, the last
  on the boundary R_h), z nodes symmetric about the disc (n_z odd, z = 0 a node, the first and
  last on the boundaries +-z_h), optionally stretched: spacing ``dz`` at the disc growing
  smoothly (z = z_h sinh(kappa xi) / sinh(kappa), xi uniform) to ``z_stretch`` x dz at the
  halo boundary.  The stretched grid resolves the gas disc (scale heights 0.05-0.2 kpc) and the
  source disc (0.2 kpc) with few nodes in the nearly empty halo, where the solution is smooth.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .. import units as u

#: default grid (the converged one), defined in :mod:`.grid_defaults`
from .grid_defaults import DEFAULT_DR_KPC, DEFAULT_DZ_KPC, DEFAULT_DZ_MAX_KPC, DEFAULT_ENERGY_POINTS_PER_DECADE  # noqa: E402

#: fewest z nodes between the disc and the halo boundary, and R nodes across the halo
MIN_NODES_ACROSS_HALF_HEIGHT = 3
MIN_NODES_ACROSS_RADIUS = 4
#: largest number of unknowns (R x z x energy, half domain) a solve may have: the two operators,
#: their LU-factorised planes (both preconditioners) and GMRES's Krylov vectors take ~1 kB each
#: (measured: benchmarks/bench_propagation.py), so 3e6 is ~3 GB
MAX_UNKNOWNS = 3_000_000
#: energies assumed by :meth:`GridSpec.validate_for` when their number is not given: 7.5 decades
#: (10 MeV - 330 TeV, the widest range the package propagates)
DECADES_IF_UNKNOWN = 7.5


@dataclass(frozen=True)
class GridSpec:
    """Grid settings [kpc, points per decade of kinetic energy], recorded in every result.

    ``dz_kpc`` is the spacing at the disc (z = 0); ``dz_max_kpc`` the spacing at the halo
    boundary (the grid is stretched smoothly between them; equal values give a uniform grid).
    Halving ``dR_kpc``, ``dz_kpc``, ``dz_max_kpc`` and doubling
    ``energy_points_per_decade`` is the refinement of the convergence tables.
    """

    dR_kpc: float = DEFAULT_DR_KPC
    dz_kpc: float = DEFAULT_DZ_KPC
    dz_max_kpc: float = DEFAULT_DZ_MAX_KPC
    energy_points_per_decade: float = DEFAULT_ENERGY_POINTS_PER_DECADE

    def __post_init__(self):
        for name in ("dR_kpc", "dz_kpc", "dz_max_kpc", "energy_points_per_decade"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
                raise ValueError(f"{name} must be a finite number > 0 (got {value!r})")
        if self.dz_max_kpc < self.dz_kpc:
            raise ValueError(f"dz_max_kpc ({self.dz_max_kpc}) must be >= dz_kpc ({self.dz_kpc})")
        if self.energy_points_per_decade < 2:
            raise ValueError(f"energy_points_per_decade must be >= 2 (got {self.energy_points_per_decade})")

    def refined(self, factor: float = 2.0) -> "GridSpec":
        """All spacings divided by ``factor`` (the convergence check)."""
        return GridSpec(self.dR_kpc / factor, self.dz_kpc / factor, self.dz_max_kpc / factor,
                        self.energy_points_per_decade * factor)

    def energies(self, T_min_GeV: float, T_max_GeV: float) -> np.ndarray:
        """Log-spaced kinetic energies [GeV] from ``T_min_GeV`` to ``T_max_GeV`` (both
        included) with at least ``energy_points_per_decade`` per decade."""
        if not (0 < T_min_GeV < T_max_GeV and math.isfinite(T_max_GeV)):
            raise ValueError(f"need 0 < T_min < T_max (got {T_min_GeV}, {T_max_GeV} GeV)")
        n = int(math.ceil(math.log10(T_max_GeV / T_min_GeV) * self.energy_points_per_decade - 1e-9)) + 1
        return np.geomspace(T_min_GeV, T_max_GeV, max(n, 3))

    def grid(self, model, T) -> "Grid":
        """The nodes for ``model`` (its halo R_h, z_h) and kinetic energies ``T`` [GeV],
        after :meth:`validate_for`."""
        self.validate_for(model, np.size(T))
        return Grid.for_model(model, T, dR_kpc=self.dR_kpc, dz_kpc=self.dz_kpc, dz_max_kpc=self.dz_max_kpc)

    def validate_for(self, model, n_energies: int | None = None) -> None:
        """Refuse, in one line, a grid too coarse for ``model`` or too large for memory."""
        half = model.z_h_kpc
        if self.dz_kpc > half / MIN_NODES_ACROSS_HALF_HEIGHT:
            raise ValueError(
                f"dz = {self.dz_kpc:g} kpc is too coarse for model {model.name} (halo half-height "
                f"{half:g} kpc needs >= {MIN_NODES_ACROSS_HALF_HEIGHT} nodes: dz <= "
                f"{half / MIN_NODES_ACROSS_HALF_HEIGHT:.3g} kpc)")
        if self.dz_max_kpc > half / MIN_NODES_ACROSS_HALF_HEIGHT:
            raise ValueError(
                f"dz_max = {self.dz_max_kpc:g} kpc is too coarse for model {model.name} (halo half-height "
                f"{half:g} kpc: dz_max <= {half / MIN_NODES_ACROSS_HALF_HEIGHT:.3g} kpc)")
        if self.dR_kpc > model.R_h_kpc / MIN_NODES_ACROSS_RADIUS:
            raise ValueError(
                f"dR = {self.dR_kpc:g} kpc is too coarse for the halo radius {model.R_h_kpc:g} kpc "
                f"(dR <= {model.R_h_kpc / MIN_NODES_ACROSS_RADIUS:.3g} kpc)")
        n_R = int(round(model.R_h_kpc / self.dR_kpc))
        n_z = len(_half_nodes(half, self.dz_kpc, self.dz_max_kpc / self.dz_kpc)) - 1
        n_T = n_energies if n_energies is not None else int(math.ceil(DECADES_IF_UNKNOWN * self.energy_points_per_decade))
        unknowns = n_R * n_z * n_T
        if unknowns > MAX_UNKNOWNS:
            raise ValueError(
                f"the grid is too large: {n_R} x {n_z} x {n_T} = {unknowns:.3g} unknowns (R x z x energy) "
                f"> {MAX_UNKNOWNS:.0e} (~{MAX_UNKNOWNS * 1e3 / 2**30:.0f} GB of memory): coarsen dR, dz or the energies")

    def as_dict(self) -> dict:
        return {"dR_kpc": self.dR_kpc, "dz_kpc": self.dz_kpc, "dz_max_kpc": self.dz_max_kpc,
                "energy_points_per_decade": self.energy_points_per_decade}


def _half_nodes(z_h: float, dz: float, stretch: float) -> np.ndarray:
    """Nodes 0 = z_0 < ... < z_K = z_h [kpc]: spacing ~dz at 0 growing to ~stretch x dz at z_h
    (sinh map; uniform for stretch = 1); K the smallest count that keeps the disc spacing <= dz."""
    if stretch <= 1.0 + 1e-12:
        K = max(int(math.ceil(z_h / dz - 1e-9)), 1)
        return np.linspace(0.0, z_h, K + 1)
    kappa = math.acosh(stretch)
    K = max(int(math.ceil(z_h * kappa / (dz * math.sinh(kappa)) - 1e-9)), 1)
    xi = np.linspace(0.0, 1.0, K + 1)
    return z_h * np.sinh(kappa * xi) / math.sinh(kappa)


@dataclass(frozen=True)
class Grid:
    """Spatial and energy grid.  ``T`` are kinetic energies [GeV] (whole particle), increasing.

    ``n_R`` nodes from R = 0 to R_h (the last is the boundary), ``n_z`` nodes from -z_h to
    +z_h (the first and last are boundaries; odd, so z = 0 is a node), spaced uniformly
    (``z_stretch`` = 1) or stretched: the spacing at |z| = z_h is ``z_stretch`` times the one
    at the disc (see the module docstring).
    """

    R_h_kpc: float
    z_h_kpc: float
    n_R: int
    n_z: int
    T: np.ndarray = field(repr=False)
    z_stretch: float = 1.0

    def __post_init__(self):
        if self.n_R < 3 or self.n_z < 3 or self.n_z % 2 == 0:
            raise ValueError("need n_R >= 3 and an odd n_z >= 3")
        if not (math.isfinite(self.z_stretch) and self.z_stretch >= 1):
            raise ValueError(f"z_stretch must be >= 1 (got {self.z_stretch})")
        T = np.asarray(self.T, dtype=float)
        if T.ndim != 1 or T.size < 3 or np.any(~np.isfinite(T)) or np.any(T <= 0) or np.any(np.diff(T) <= 0):
            raise ValueError("the energy grid must be >= 3 increasing positive kinetic energies [GeV]")
        object.__setattr__(self, "T", T)

    @classmethod
    def for_model(cls, model, T, dR_kpc: float = DEFAULT_DR_KPC, dz_kpc: float = DEFAULT_DZ_KPC,
                  dz_max_kpc: float | None = None) -> "Grid":
        """The grid of ``model``'s halo with spacing ``dR_kpc`` and ``dz_kpc`` at the disc,
        stretched to ``dz_max_kpc`` at the halo boundary (None: uniform ``dz_kpc``)."""
        n_R = int(round(model.R_h_kpc / dR_kpc)) + 1
        stretch = 1.0 if dz_max_kpc is None else max(dz_max_kpc / dz_kpc, 1.0)
        half = _half_nodes(model.z_h_kpc, dz_kpc, stretch)
        return cls(model.R_h_kpc, model.z_h_kpc, n_R, 2 * (half.size - 1) + 1, np.asarray(T, dtype=float), stretch)

    # --- nodes -------------------------------------------------------------------------------
    @property
    def z_half_nodes_kpc(self) -> np.ndarray:
        """Nodes 0 .. z_h [kpc] (the last on the boundary)."""
        K = (self.n_z - 1) // 2
        if self.z_stretch <= 1.0 + 1e-12:
            return np.linspace(0.0, self.z_h_kpc, K + 1)
        kappa = math.acosh(self.z_stretch)
        return self.z_h_kpc * np.sinh(kappa * np.linspace(0.0, 1.0, K + 1)) / math.sinh(kappa)

    @property
    def z_nodes_kpc(self) -> np.ndarray:
        """All n_z nodes from -z_h to +z_h [kpc], boundaries included."""
        half = self.z_half_nodes_kpc
        return np.concatenate([-half[:0:-1], half])

    @property
    def dR_kpc(self) -> float:
        return self.R_h_kpc / (self.n_R - 1)

    @property
    def dz_kpc(self) -> float:
        """Spacing at the disc [kpc] (everywhere, for a uniform grid)."""
        half = self.z_half_nodes_kpc
        return float(half[1] - half[0])

    @property
    def uniform_z(self) -> bool:
        return self.z_stretch <= 1.0 + 1e-12

    @property
    def R_kpc(self) -> np.ndarray:
        """Unknown R nodes [kpc] (the boundary node excluded)."""
        return np.arange(self.n_R - 1) * self.dR_kpc

    @property
    def z_kpc(self) -> np.ndarray:
        """Unknown z nodes [kpc] (the two boundary nodes excluded), from -z_h to +z_h."""
        return self.z_nodes_kpc[1:-1]

    @property
    def shape(self) -> tuple[int, int, int]:
        """(R, z, energy) shape of sources and densities on the whole (both-sided) grid."""
        return (self.n_R - 1, self.n_z - 2, self.T.size)

    # --- cells -------------------------------------------------------------------------------
    def R_cell_edges_kpc(self) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper) radial edges of the finite-volume cells [kpc]: [R - dR/2, R + dR/2],
        [0, dR/2] on the axis."""
        R, dR = self.R_kpc, self.dR_kpc
        return np.maximum(R - 0.5 * dR, 0.0), R + 0.5 * dR

    def z_cell_edges_kpc(self) -> tuple[np.ndarray, np.ndarray]:
        """(lower, upper) z edges of the cells of the unknown nodes [kpc] (midpoints between
        nodes)."""
        nodes = self.z_nodes_kpc
        mid = 0.5 * (nodes[1:] + nodes[:-1])
        return mid[:-1], mid[1:]

    def cell_volumes_cm3(self) -> np.ndarray:
        """(n_R-1, n_z-2) volumes of the finite-volume cells [cm^3]."""
        R_lo, R_hi = self.R_cell_edges_kpc()
        z_lo, z_hi = self.z_cell_edges_kpc()
        ring = np.pi * (R_hi**2 - R_lo**2) * u.kpc**2
        return ring[:, None] * ((z_hi - z_lo) * u.kpc)[None, :]

    def cell_average(self, profile, n_sub: int = 12) -> np.ndarray:
        """(n_R-1, n_z-2) volume averages of ``profile(R_kpc, z_kpc)`` over the cells (midpoint
        rule with ``n_sub`` x ``n_sub`` points per cell, ring-weighted in R).  A cusp (the NFW
        rho^2 at the Galactic centre) sampled at a node misrepresents its cell by orders of
        magnitude; its cell average is what a finite-volume solver needs."""
        t = (np.arange(n_sub) + 0.5) / n_sub
        R_lo, R_hi = self.R_cell_edges_kpc()
        z_lo, z_hi = self.z_cell_edges_kpc()
        Rs = R_lo[:, None] + (R_hi - R_lo)[:, None] * t  # (nR, n)
        zs = z_lo[:, None] + (z_hi - z_lo)[:, None] * t  # (nz, n)
        values = np.asarray(profile(Rs[:, None, :, None], zs[None, :, None, :]), dtype=float)
        values = np.broadcast_to(values, (Rs.shape[0], zs.shape[0], n_sub, n_sub))
        weights = Rs / Rs.sum(axis=1, keepdims=True)
        return np.einsum("ia,izab->iz", weights, values) / n_sub

    def settings(self) -> dict:
        """The grid as a flat record (for result headers and cache keys)."""
        return {"R_h_kpc": self.R_h_kpc, "z_h_kpc": self.z_h_kpc, "n_R": self.n_R, "n_z": self.n_z,
                "dR_kpc": self.dR_kpc, "dz_kpc": self.dz_kpc, "z_stretch": self.z_stretch,
                "T_min_GeV": float(self.T[0]), "T_max_GeV": float(self.T[-1]), "n_T": int(self.T.size)}
