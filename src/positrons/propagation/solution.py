"""Solver settings and the solution record of the 2D transport (both recorded in every result)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from .. import kinematics as kin
from .grid import Grid

#: the solver methods: the default, and the one of version 0.1 kept as a reference
METHODS = ("two_level", "reference")

#: largest ln-momentum step of the reference method's second-order energy scheme: its
#: extrapolation weights grow like exp(s h) and, with re-acceleration, coarser steps give
#: oscillating (negative) spectra
MAX_STEP_ORDER2 = 0.35


@dataclass(frozen=True)
class SolverSettings:
    """Numerical accuracy, apart from physics; recorded in every result.

    ``method``: ``"two_level"`` (default: exponential fitting in z and momentum, half domain,
    GMRES with the two-level preconditioner of :mod:`positrons.propagation.solver`) or
    ``"reference"`` (version 0.1: first-order upwind energy losses weighted by p^-power_weight,
    optionally second order with ``energy_order=2``, upwind convection, the whole domain, GMRES
    with a block Gauss-Seidel sweep in energy; uniform z grids only).
    ``rtol``: GMRES tolerance relative to a p^-3 reference spectrum in every energy block.
    ``defect_correction``: the two-level method's energy scheme is exponential fitting (an
    M-matrix: positive on any grid, first order where losses dominate) followed by one
    defect-correction step with a second-order discretisation (second order for smooth
    spectra, two solves); False keeps the first-order, positive solution (e.g. for a spectral
    line injected on the grid).  ``power_weight_offset``: the face weight exponent is the local
    slope of the loss rate plus this (see :mod:`positrons.propagation.operator`).
    """

    rtol: float = 1e-6
    maxiter: int = 30  # GMRES restart cycles
    restart: int = 60
    method: str = "two_level"
    defect_correction: bool = True
    power_weight_offset: float = 1.0
    energy_order: int = 1  # reference method only
    power_weight: float = 3.0  # reference method only

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)} (got {self.method!r})")
        if self.energy_order not in (1, 2):
            raise ValueError("energy_order must be 1 or 2")
        if self.energy_order == 2 and self.method != "reference":
            raise ValueError("energy_order = 2 belongs to the reference method (method='reference')")
        if not (isinstance(self.rtol, (int, float)) and 0 < self.rtol < 1):
            raise ValueError(f"rtol must lie in (0, 1) (got {self.rtol!r})")
        for name in ("maxiter", "restart"):
            if not (isinstance(getattr(self, name), int) and getattr(self, name) >= 1):
                raise ValueError(f"{name} must be an integer >= 1")
        if not math.isfinite(self.power_weight_offset):
            raise ValueError("power_weight_offset must be finite")

    def tightened(self, factor: float = 10.0) -> "SolverSettings":
        """The same with ``rtol`` divided by ``factor`` (the convergence check)."""
        from dataclasses import replace

        return replace(self, rtol=self.rtol / factor)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict | None) -> "SolverSettings":
        """The settings of :meth:`as_dict` (None: the defaults); unknown keys are an error."""
        return cls() if values is None else cls(**values)


def observation_weights(grid: Grid, R_kpc: float, z_kpc: float) -> np.ndarray:
    """(n_R-1, n_z-2) weights of the point (R, z) on the unknown nodes of the whole grid:
    linear in R and in z between the neighbouring nodes (boundary nodes carry psi = 0)."""
    if not (0 <= R_kpc < grid.R_h_kpc and abs(z_kpc) < grid.z_h_kpc):
        raise ValueError(f"({R_kpc}, {z_kpc}) kpc lies outside the halo")
    w = np.zeros(grid.shape[:2])
    fr = R_kpc / grid.dR_kpc
    i0 = int(np.floor(fr))
    tr = fr - i0
    nodes = grid.z_nodes_kpc
    k0 = int(np.clip(np.searchsorted(nodes, z_kpc, side="right") - 1, 0, nodes.size - 2))
    tz = (z_kpc - nodes[k0]) / (nodes[k0 + 1] - nodes[k0])
    for di, wr in ((0, 1 - tr), (1, tr)):
        for dk, wz in ((0, 1 - tz), (1, tz)):
            i, k = i0 + di, k0 + dk - 1  # unknown z index = node index - 1
            if wr * wz == 0 or i >= grid.n_R - 1 or not 0 <= k < grid.n_z - 2:
                continue
            w[i, k] += wr * wz
    return w


def observed_rows(T, observed_GeV) -> np.ndarray:
    """Indices of the grid energies ``T`` [GeV] a response for ``observed_GeV = (lo, hi)`` needs:
    the nodes bracketing [lo, hi] and one more on each side (interpolation margin); all for None."""
    if observed_GeV is None:
        return np.arange(T.size)
    lo, hi = observed_GeV
    if not (np.isfinite(lo) and np.isfinite(hi) and 0 < lo <= hi):
        raise ValueError(f"observed energy range must be 0 < lo <= hi GeV (got {observed_GeV})")
    i_lo = max(int(np.searchsorted(T, lo, side="right")) - 2, 0)
    i_hi = min(int(np.searchsorted(T, hi, side="left")) + 1, T.size - 1)
    return np.arange(i_lo, i_hi + 1)


@dataclass(frozen=True)
class Solution:
    """psi on the grid, as density per unit kinetic energy [cm^-3 GeV^-1], with its provenance."""

    grid: Grid
    species: str
    density: np.ndarray  # (n_R-1, n_z-2, n_T) per GeV of kinetic energy
    model: str
    settings: SolverSettings
    iterations: int  # GMRES iterations (both solves with the defect correction)
    residual: float  # worst relative residual over the energy blocks of the discrete equations

    def at(self, R_kpc: float, z_kpc: float = 0.0) -> np.ndarray:
        """Density per GeV [cm^-3 GeV^-1] at (R, z), linear between the nodes."""
        w = observation_weights(self.grid, R_kpc, z_kpc)
        return np.tensordot(w, self.density, axes=([0, 1], [0, 1]))

    def flux(self, R_kpc: float, z_kpc: float = 0.0) -> np.ndarray:
        """Intensity [m^-2 s^-1 sr^-1 GeV^-1] at (R, z): c beta n / 4 pi."""
        sp_ = kin.get_species(self.species)
        return kin.flux_from_density(self.at(R_kpc, z_kpc), self.grid.T, sp_.mass)
