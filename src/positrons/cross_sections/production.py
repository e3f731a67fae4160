"""The production-model record, the registry of named models and piecewise combination
(the interface of :mod:`positrons.cross_sections`, which documents it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

from . import nuclear

LEPTONS = ("positron", "electron")


class OutsideValidityError(ValueError):
    """A model was evaluated outside the projectile-energy range where it is valid."""


@dataclass(frozen=True)
class ProductionModel:
    """A named e+- production cross section with its validity range.

    ``pp_kernel(T_p, T_e, lepton)`` returns the p + p cross section dsigma/dT_e [mb/GeV]
    (broadcasting), for proton kinetic energy T_p [GeV] inside
    ``[projectile_min, projectile_max]``.
    """

    name: str
    reference: str
    projectile_min: float
    projectile_max: float
    pp_kernel: Callable = field(repr=False)
    description: str = ""
    #: kernels ``(T_n, T_e, lepton)`` of other reactions given by the model itself (e.g. a
    #: table with its own p + He columns); reactions not listed follow from p + p by scaling
    reaction_kernels: Mapping[str, Callable] = field(default_factory=dict, repr=False)

    def check_range(self, T_projectile, outside: str = "raise"):
        """Mask of projectile energies inside the validity range; raises if asked to."""
        if outside not in ("raise", "zero"):
            raise ValueError(f"outside must be 'raise' or 'zero', got {outside!r}")
        T = np.asarray(T_projectile, dtype=float)
        inside = (T >= self.projectile_min) & (T <= self.projectile_max)
        if outside == "raise" and not np.all(inside):
            bad = T[~inside] if T.ndim else T
            raise OutsideValidityError(
                f"model {self.name!r} is valid for projectile kinetic energies "
                f"{self.projectile_min:g}-{self.projectile_max:g} GeV/n; got {np.ravel(bad)[:3]} GeV/n "
                "(pass outside='zero' to neglect production there, or combine models)"
            )
        return inside

    def dsigma_dT(self, T_projectile, T_lepton, lepton: str = "positron", reaction: str = "pp", outside: str = "raise"):
        """dsigma/dT_lepton [mb/GeV] per projectile nucleus, for ``reaction`` and ``lepton``."""
        if lepton not in LEPTONS:
            raise ValueError(f"lepton must be one of {LEPTONS}, got {lepton!r}")
        nuclear.Reaction.parse(reaction)  # validates the name
        T_p, T_e = np.broadcast_arrays(np.asarray(T_projectile, dtype=float), np.asarray(T_lepton, dtype=float))
        if np.any(T_e <= 0):
            raise ValueError("lepton kinetic energies must be > 0")
        inside = self.check_range(T_p, outside)
        T_safe = np.where(inside, T_p, self.projectile_min)
        if reaction == "pp":
            sigma = self.pp_kernel(T_safe, T_e, lepton)
        elif reaction in self.reaction_kernels:
            sigma = self.reaction_kernels[reaction](T_safe, T_e, lepton)
        else:
            sigma = nuclear.scale_from_pp(
                reaction, self.pp_kernel(T_safe, T_e, "positron"), self.pp_kernel(T_safe, T_e, "electron"), lepton
            )
        return np.where(inside, sigma, 0.0)


_REGISTRY: dict[str, Callable[[], ProductionModel]] = {}


def register(name: str):
    """Decorator registering a zero-argument factory of a :class:`ProductionModel`."""

    def wrap(factory):
        _REGISTRY[name] = factory
        return factory

    return wrap


def combine(name: str, pieces: list[tuple[ProductionModel, float, float]], description: str = "") -> ProductionModel:
    """A model that uses ``pieces[i][0]`` for projectile energies in ``[lo_i, hi_i)``.

    The ranges must tile an interval without gaps and lie inside each piece's validity.
    """
    pieces = sorted(pieces, key=lambda p: p[1])
    for (m1, lo1, hi1), (m2, lo2, hi2) in zip(pieces, pieces[1:]):
        if hi1 != lo2:
            raise ValueError(f"combined ranges must touch: {m1.name} ends at {hi1}, {m2.name} starts at {lo2}")
    for m, lo, hi in pieces:
        if lo < m.projectile_min or hi > m.projectile_max:
            raise ValueError(f"{m.name} is not valid over {lo}-{hi} GeV")

    def kernel(T_p, T_e, lepton):
        T_p = np.asarray(T_p, dtype=float)
        out = np.zeros(np.broadcast_shapes(T_p.shape, np.shape(T_e)))
        for i, (m, lo, hi) in enumerate(pieces):
            last = i == len(pieces) - 1
            sel = (T_p >= lo) & ((T_p <= hi) if last else (T_p < hi))
            if np.any(sel):
                out = np.where(sel, m.pp_kernel(np.clip(T_p, lo, hi), T_e, lepton), out)
        return out

    return ProductionModel(
        name=name,
        reference="; ".join(m.reference for m, _, _ in pieces),
        projectile_min=pieces[0][1],
        projectile_max=pieces[-1][2],
        pp_kernel=kernel,
        description=description or " + ".join(f"{m.name} [{lo:g}, {hi:g}) GeV" for m, lo, hi in pieces),
    )
