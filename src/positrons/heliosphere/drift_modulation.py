"""``DriftModulation``: the charge-sign-dependent 2D drift model behind the ``Modulation`` protocol.

``DriftModulation(period, grid).modulate(T, lis, species)`` solves the 2D Parker equation with
drifts (:mod:`~positrons.heliosphere.drift_solver`) for the period's parameters
(:mod:`~positrons.heliosphere.drift_periods`), averaging the two polarities with the period's
weights; ``settings()`` records every parameter and the grid.  :meth:`DriftModulation.transfer_matrix`
returns the model as a :class:`~positrons.heliosphere.transfer_matrix.TransferMatrix` (the
ECSV format of user-supplied matrices): a scan over LIS then pays for the solve once.

From the Green's matrix ``f_obs(p_k) = sum_j G_kj f_LIS(p_j)`` on the solver's momentum nodes,
with ``Phi^T = p^2 f`` and ``Phi^R = |Z| beta Phi^T`` (per GV), the transfer matrix on the
rigidity nodes ``R_k = p_k/|Z|`` is ``M_kj = G_kj beta_k p_k^2 / (beta_j p_j^2)``; applied to a LIS
it reproduces the solver on its nodes exactly (the solver also samples the LIS there).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import kinematics as kin
from .drift_periods import DriftPeriod, load_period
from .drift_solver import DriftGrid, drift_green_matrix, solve_drift
from .transfer_matrix import TransferMatrix

__all__ = ["DriftModulation"]


@dataclass(frozen=True)
class DriftModulation:
    """2D heliosphere with drifts for one period (a :class:`DriftPeriod` or a period name/file)."""

    period: DriftPeriod
    grid: DriftGrid = field(default_factory=DriftGrid)
    name: str = "drift"

    def __post_init__(self):
        if not isinstance(self.period, DriftPeriod):
            object.__setattr__(self, "period", load_period(self.period))

    def modulate(self, T, lis, species: str) -> np.ndarray:
        """TOA flux at ``T`` [GeV] (same unit as the LIS, per unit kinetic energy)."""
        T = np.asarray(T, dtype=float)
        diffusion = self.period.diffusion()
        total = np.zeros(T.shape)
        for polarity, weight in self.period.polarity_weights().items():
            solution = solve_drift(T, lis, species, self.period.field(polarity), diffusion, self.grid)
            total = total + weight * solution.flux(T)
        return total

    def settings(self) -> dict:
        """Every parameter of the period and of the grid (flat, plain values)."""
        out = {"modulation": self.name}
        out.update({f"period_{k}" if k in ("name", "description", "start", "end", "reference") else k: v
                    for k, v in self.period.as_dict().items()})
        grid = self.grid
        out.update({"grid_n_r": grid.n_r, "grid_n_theta": grid.n_theta, "grid_n_p_per_decade": grid.n_p_per_decade,
                    "grid_r_in_cm": grid.r_in, "grid_r_b_cm": grid.r_b, "grid_r_obs_cm": grid.r_obs,
                    "grid_p_max_GeV": grid.p_max, "grid_scheme": grid.scheme})
        return out

    def transfer_matrix(self, species: str, T_min: float = 0.1, T_max: float = 100.0) -> TransferMatrix:
        """The model as a LIS -> TOA matrix on the solver's rigidity nodes covering ``[T_min, T_max]`` [GeV]."""
        sp = kin.get_species(species)
        T = np.array([T_min, T_max], dtype=float)
        diffusion = self.period.diffusion()
        G = None
        for polarity, weight in self.period.polarity_weights().items():
            p, g = drift_green_matrix(T, sp, self.period.field(polarity), diffusion, self.grid)
            G = weight * g if G is None else G + weight * g
        T_nodes = kin.kinetic_from_momentum(p, sp.mass)
        beta = kin.beta_from_kinetic(T_nodes, sp.mass)
        M = G * (beta * p**2)[:, None] / (beta * p**2)[None, :]
        R = p / sp.abs_charge
        period = self.period
        provenance = (
            f"positrons 2D drift model (positrons.heliosphere.drift_modulation), period {period.name} "
            f"({period.start} to {period.end}); " + ", ".join(f"{k} = {v}" for k, v in self.settings().items()
                                                              if k not in ("modulation", "period_name", "period_start", "period_end"))
        )
        return TransferMatrix(R, R, M, sp.name, provenance)
