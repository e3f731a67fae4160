"""Solar modulation: from the local interstellar spectrum (LIS) to the flux at Earth (TOA).

Which tool when:

* :mod:`~positrons.heliosphere.force_field` -- the force-field approximation (Gleeson &
  Axford 1968): one parameter ``phi`` [GV], any species, any energy grid, with the
  ``phi -/+ dphi`` band (:func:`modulate_band`) and the inverse (:func:`demodulate`).  The
  default for comparing a model with data of a known period; it has no charge-sign
  dependence (no drifts) and degrades below ~1 GV for strong modulation.
* :mod:`~positrons.heliosphere.phi_table` -- published ``phi`` for the data-taking periods
  of shipped datasets (:func:`phi_for_dataset`; Voyager sets get 0).
* :mod:`~positrons.heliosphere.transfer_matrix` -- :class:`TransferMatrix`, a linear LIS ->
  TOA map on rigidity grids as distributed by numerical codes (HelMod, SOLARPROP), with a
  documented ECSV format; use it to apply such a code's result, or the force field written
  as a matrix (:meth:`TransferMatrix.from_force_field`).
* :mod:`~positrons.heliosphere.parker` -- :func:`solve_parker`, a numerical steady-state 1D
  (spherically symmetric) Parker equation with diffusion, convection with the solar wind
  and adiabatic losses; use it to study the physics beyond the force field (radial
  dependence, low rigidities where convection matters).  It reduces to the force field
  for ``kappa = kappa_1(r) beta R`` and large ``kappa``.

* :mod:`~positrons.heliosphere.drift_modulation` -- :class:`DriftModulation`, a 2D (r, theta)
  Parker equation with gradient, curvature and current-sheet drifts in a Parker spiral with a
  tilted current sheet (:mod:`~positrons.heliosphere.drift_field`,
  :mod:`~positrons.heliosphere.drift_solver`), for a period's parameter set
  (:func:`load_period`, shipped sets :func:`period_names`); use it where e+ and e- (or p and
  pbar) must be modulated differently (below ~10 GeV), and export it as a
  :class:`TransferMatrix` for scans.

Units: kinetic energy of the whole particle ``T`` [GeV], rigidity [GV], ``phi`` [GV],
lengths [cm], fluxes per unit kinetic energy in any unit (all maps are linear).  The
equations, boundary conditions and the ``phi`` table are written out in
``docs/heliosphere.md``.
"""

from .drift_modulation import DriftModulation
from .drift_periods import DriftPeriod, load_period, period_names
from .drift_solver import DriftGrid
from .force_field import DEFAULT_DELTA_PHI, ForceField, LogLogSpectrum, demodulate, modulate, modulate_band
from .parker import HelModLikeDiffusion, ParkerGrid, ParkerSolution, SeparableDiffusion, solve_parker
from .phi_table import PHI_TABLE, NoPublishedPhiError, explain_phi, phi_for_dataset
from .transfer_matrix import TransferMatrix, TransferMatrixFormatError, read_transfer_matrix

__all__ = [
    "DEFAULT_DELTA_PHI",
    "DriftGrid",
    "DriftModulation",
    "DriftPeriod",
    "PHI_TABLE",
    "ForceField",
    "HelModLikeDiffusion",
    "LogLogSpectrum",
    "NoPublishedPhiError",
    "ParkerGrid",
    "ParkerSolution",
    "SeparableDiffusion",
    "TransferMatrix",
    "TransferMatrixFormatError",
    "demodulate",
    "explain_phi",
    "load_period",
    "modulate",
    "modulate_band",
    "period_names",
    "phi_for_dataset",
    "read_transfer_matrix",
    "solve_parker",
]
