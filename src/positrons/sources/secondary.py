"""Secondary e+ and e- source term from cosmic rays hitting interstellar gas
(Moskalenko & Strong 1998, ApJ 493, 694).

    q(T_e) = sum_{i in CR} sum_{j in ISM} n_j Integral dT_i 4 pi Phi_i(T_i) dsigma_ij/dT_e (T_i, T_e)

[cm^-3 s^-1 GeV^-1].  Projectiles are protons and helium (Phi per unit kinetic energy per
nucleon, m^-2 s^-1 sr^-1 (GeV/n)^-1); targets are hydrogen (n_H) and helium
(n_He = he_to_h * n_H, default 0.1; the helium channels follow from p + p with the scaling of
:mod:`positrons.cross_sections.nuclear`).

The integral is linear in the fluxes, so it is a matrix: :func:`build_production_matrix`
evaluates the cross section once on (lepton grid x projectile grid) with the quadrature
weights folded in, and :meth:`ProductionMatrix.source` is a matrix product, cheap enough to
run on every cell of a (R, z) grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping

import numpy as np

from .. import units as u
from ..cross_sections import ProductionModel, get_model
from ..cross_sections.nuclear import REACTIONS

#: default helium-to-hydrogen number ratio of the interstellar gas
HE_TO_H = 0.1

# 4 pi [sr] * (1 m^2 = 1e4 cm^2)^-1 * (1 mb = 1e-27 cm^2): flux per m^2 times mb -> per cm^2
_FLUX_TIMES_MB = 4.0 * np.pi * 1e-4 * u.mb_to_cm2


def _log_trapezoid_weights(x: np.ndarray) -> np.ndarray:
    """Weights w with sum(w f) = trapezoid integral of f dx done in ln x (f x d ln x)."""
    lx = np.log(x)
    dl = np.diff(lx)
    w = np.zeros_like(x)
    w[:-1] += 0.5 * dl
    w[1:] += 0.5 * dl
    return w * x


@dataclass(frozen=True)
class ProductionMatrix:
    """Production matrices of one model and lepton on fixed energy grids.

    ``matrices[reaction][i, k] = 4 pi w_k dsigma/dT_e(T_k, T_e,i)`` with ``w_k`` the
    log-trapezoid weight of projectile energy ``T_k`` [GeV/n] and the unit conversions
    (mb -> cm^2, m^-2 -> cm^-2) folded in, so that ``M @ Phi`` with Phi in
    m^-2 s^-1 sr^-1 (GeV/n)^-1 is the production rate per target atom [s^-1 GeV^-1].
    """

    model: str
    lepton: str
    lepton_energies: np.ndarray
    projectile_energies: np.ndarray
    matrices: Mapping[str, np.ndarray] = field(repr=False)
    he_to_h: float = HE_TO_H

    def source(self, proton_flux, helium_flux=None, n_H: float = 1.0, he_to_h: float | None = None):
        """q(T_e) [cm^-3 s^-1 GeV^-1] for hydrogen density ``n_H`` [cm^-3].

        ``proton_flux`` and ``helium_flux`` are arrays on :attr:`projectile_energies` or
        callables of the kinetic energy per nucleon [GeV/n], in m^-2 s^-1 sr^-1 (GeV/n)^-1.
        ``helium_flux=None`` leaves out helium projectiles (not the helium target).
        """
        if n_H < 0:
            raise ValueError(f"n_H must be >= 0, got {n_H}")
        y = self.he_to_h if he_to_h is None else he_to_h
        if y < 0:
            raise ValueError(f"he_to_h must be >= 0, got {y}")
        phi_p = self._on_grid(proton_flux, "proton_flux")
        q = self.matrices["pp"] @ phi_p + y * (self.matrices["pHe"] @ phi_p)
        if helium_flux is not None:
            phi_he = self._on_grid(helium_flux, "helium_flux")
            q = q + self.matrices["Hep"] @ phi_he + y * (self.matrices["HeHe"] @ phi_he)
        return n_H * q

    def _on_grid(self, flux, name):
        values = flux(self.projectile_energies) if callable(flux) else np.asarray(flux, dtype=float)
        if values.shape[0] != self.projectile_energies.size:
            raise ValueError(
                f"{name} has {values.shape[0]} values; the projectile grid has {self.projectile_energies.size}"
            )
        if np.any(values < 0) or not np.all(np.isfinite(values)):
            raise ValueError(f"{name} must be finite and >= 0")
        return values


def default_projectile_grid(model: ProductionModel, per_decade: int = 20, T_max: float = 1e6) -> np.ndarray:
    """Kinetic energies per nucleon [GeV/n] covering the model's range up to ``T_max``."""
    lo = model.projectile_min
    hi = min(model.projectile_max, T_max)
    n = max(int(np.ceil(per_decade * np.log10(hi / lo))) + 1, 2)
    return np.geomspace(lo, hi, n)


def build_production_matrix(
    model: str | ProductionModel,
    lepton: str,
    lepton_energies,
    projectile_energies=None,
    reactions=REACTIONS,
) -> ProductionMatrix:
    """Evaluate ``model`` once on the grids and fold in the quadrature weights.

    ``lepton_energies`` are e+- kinetic energies [GeV]; ``projectile_energies`` kinetic
    energies per nucleon [GeV/n], sorted, inside the model's validity range (default:
    :func:`default_projectile_grid`, 20 per decade).  Production by projectiles outside the
    grid is neglected: with the default grid that is below the model's lower validity edge
    (e.g. 0.488 GeV for kamae2006) and above 1 PeV/n.
    """
    model = get_model(model) if isinstance(model, str) else model
    T_e = np.asarray(lepton_energies, dtype=float)
    if T_e.ndim != 1 or np.any(T_e <= 0) or np.any(np.diff(T_e) <= 0):
        raise ValueError("lepton_energies must be a 1-D increasing array of positive energies [GeV]")
    T_p = default_projectile_grid(model) if projectile_energies is None else np.asarray(projectile_energies, dtype=float)
    if T_p.ndim != 1 or T_p.size < 2 or np.any(np.diff(T_p) <= 0):
        raise ValueError("projectile_energies must be a 1-D increasing array with at least two energies")
    model.check_range(T_p, "raise")
    weights = _log_trapezoid_weights(T_p) * _FLUX_TIMES_MB
    matrices = {}
    for reaction in reactions:
        sigma = model.dsigma_dT(T_p[None, :], T_e[:, None], lepton=lepton, reaction=reaction)
        matrices[reaction] = sigma * weights[None, :]
    return ProductionMatrix(
        model=model.name,
        lepton=lepton,
        lepton_energies=T_e,
        projectile_energies=T_p,
        matrices=MappingProxyType(matrices),
    )


def secondary_source(
    model: str,
    lepton: str,
    lepton_energies,
    proton_flux: Callable,
    helium_flux: Callable | None = None,
    n_H: float = 1.0,
    he_to_h: float = HE_TO_H,
):
    """One-shot q(T_e) [cm^-3 s^-1 GeV^-1]; build a :class:`ProductionMatrix` to reuse it."""
    matrix = build_production_matrix(model, lepton, lepton_energies)
    return matrix.source(proton_flux, helium_flux, n_H=n_H, he_to_h=he_to_h)
