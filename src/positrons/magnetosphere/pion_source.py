"""Pion production by trapped protons in the residual atmosphere, per unit grammage.

The quantity is the one tabulated by Martin et al. (1995)::

    Q_pi(T_pi)  [m^-2 s^-1 sr^-1 GeV^-1 (g cm^-2)^-1]

pions per m^2 s sr of pion intensity and per GeV of pion kinetic energy T_pi, produced
while the protons cross one g cm^-2 of air.  Grammage, not density, is the variable: the
pion production rate per unit volume is ``4 pi rho Q / u.m**2`` [cm^-3 s^-1 GeV^-1] (rho in
g cm^-3; ``u.m**2`` turns m^-2 into cm^-2), but the belt equilibrium only needs Q per gram because ionisation and bremsstrahlung losses are
also per gram (see :mod:`positrons.magnetosphere.belt`).  Density enters only through
the synchrotron term.

Two routes, one result type (:class:`PionProduction`, bin averages on T_pi cells):

* :func:`table_pion_production` -- the published table (intranuclear-cascade double-
  differential cross sections, pions within ~10 deg of the proton direction, L = 1.2).
* :func:`computed_pion_production` -- from a trapped-proton spectrum
  (:mod:`positrons.magnetosphere.trapped_protons`) and the package's p + p model
  (:mod:`positrons.cross_sections.pion_production`, Moskalenko & Strong 1998 / Dermer
  1986), carried to a nucleus (A, Z) by

  - **isospin**, with :mod:`positrons.cross_sections.nuclear` (the same rule as the helium
    channels of secondary production): a fraction Z/A of the nucleon-nucleon collisions
    are p + p, which keep the pi+ excess; the rest are p + n, taken as charge symmetric,
    ``sigma_pn(pi+-) = (sigma_pp(pi+) + sigma_pp(pi-)) / 2``.  The pi+/pi- asymmetry
    therefore comes out of the p + p model and Z/A, not put in;
  - **a nuclear factor** at equal kinetic energy per nucleon: Orth & Buffington (1976,
    ApJ 206, 312) ``(A^(3/8) + 1 - 1)^2 = A^(3/4)`` for a proton projectile
    (:func:`positrons.cross_sections.nuclear.enhancement`, the default), or, as a separate
    choice kept here, the geometric ``A^(2/3)``;

  ``Q(T_pi) = sum_t (w_t / m_t) Integral dT_p I_p(T_p) dsigma_t/dT_pi`` with mass
  fractions ``w_t``, atom masses ``m_t = A_r,t m_u`` [g] (IUPAC standard atomic weights,
  :data:`positrons.constants.ELEMENTS`; ``1/m_t = N_A / M_t``), the proton intensity
  ``I_p = (-dJ/dT_p) / 4 pi`` (isotropic) and cross sections in cm^2 (1 mb = 1e-27 cm^2).
  Neglected: Fermi motion (which lowers the threshold below the free-nucleon
  T_p = 0.29 GeV and smears the spectra), pion absorption and charge exchange in the
  target nucleus, and the forward selection of the table (pions along the proton
  direction); the angular distribution is integrated out.

Interpolation of the bins (``interpolation=``): ``"bin-average"`` (default) is piecewise
constant, the published numbers, integrals over each bin exact; ``"pchip-cumulative"``
interpolates the cumulative ``P_pi(>T)`` at the bin edges with a monotone cubic
(Fritsch & Carlson 1980), so Q is continuous, never negative, and the bin integrals are
still exact.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
from scipy.interpolate import PchipInterpolator

from .. import constants as const
from .. import units as u
from ..cross_sections import nuclear
from ..cross_sections import pion_production as pp_model
from ..quadrature import gauss_legendre

#: T_pi bin edges [MeV] of the published table (Martin et al. 1995)
MARTIN1995_EDGES_MEV = (0.0, 20.0, 40.0, 60.0, 80.0, 100.0, 200.0, 400.0, 600.0, 800.0, 1000.0)
#: bin-averaged Q_pi- and Q_pi+ [m^-2 s^-1 sr^-1 GeV^-1 (g cm^-2)^-1]
MARTIN1995_Q_MINUS = (556.4, 750.6, 846.9, 763.7, 635.2, 411.4, 522.1, 172.6, 70.0, 20.0)
MARTIN1995_Q_PLUS = (760.5, 1177.3, 1359.3, 1408.1, 1072.7, 1103.8, 1596.5, 540.1, 301.2, 79.0)

INTERPOLATIONS = ("bin-average", "pchip-cumulative")


@dataclass(frozen=True)
class Target:
    """A target element: its nucleus (mass number A, charge Z) and atom mass [g]."""

    name: str
    A: int
    Z: int
    atom_mass_g: float

    @classmethod
    def of(cls, symbol: str) -> "Target":
        """The element ``symbol`` of :data:`positrons.constants.ELEMENTS`."""
        el = const.element(symbol)
        return cls(el.symbol, el.A, el.Z, el.atom_mass_g)

    @property
    def nucleus(self) -> nuclear.Nucleus:
        return nuclear.Nucleus(self.name, self.A, self.Z)


#: target elements (the constituents of air and of the residual atmosphere)
TARGETS = {symbol: Target.of(symbol) for symbol in ("H", "He", "N", "O", "Ar")}

#: dry air by mass (U.S. Standard Atmosphere 1976, Table 3: N2 75.52 %, O2 23.14 %, Ar 1.29 %)
AIR_MASS_FRACTIONS = {"N": 0.7552, "O": 0.2314, "Ar": 0.0129}

#: nuclear factor S(A) of a proton on a nucleus of mass number A, by name
NUCLEAR_SCALINGS = {
    "orth-buffington": lambda A: nuclear.enhancement(A, 1.0),  # = A^(3/4)
    "geometric": lambda A: A ** (2.0 / 3.0),
}


@dataclass(frozen=True)
class PionProduction:
    """Binned pion production per unit grammage (module docstring).

    Parameters
    ----------
    edges : tuple of float
        Pion kinetic-energy bin edges [GeV], increasing from >= 0.
    q_plus, q_minus : tuple of float
        Bin-averaged Q for pi+ and pi- [m^-2 s^-1 sr^-1 GeV^-1 (g cm^-2)^-1].
    description : str
        Where the numbers come from.
    interpolation : str
        How Q is read inside a bin (``INTERPOLATIONS``).
    """

    edges: tuple
    q_plus: tuple
    q_minus: tuple
    description: str
    interpolation: str = "bin-average"

    def __post_init__(self):
        e = np.asarray(self.edges, dtype=float)
        if e.ndim != 1 or e.size < 2 or e[0] < 0 or np.any(np.diff(e) <= 0):
            raise ValueError("pion bin edges must be increasing kinetic energies >= 0")
        for name in ("q_plus", "q_minus"):
            q = np.asarray(getattr(self, name), dtype=float)
            if q.shape != (e.size - 1,) or np.any(~np.isfinite(q)) or np.any(q < 0):
                raise ValueError(f"{name} needs one finite value >= 0 per bin")
        if self.interpolation not in INTERPOLATIONS:
            raise ValueError(f"unknown interpolation {self.interpolation!r}; expected one of {', '.join(INTERPOLATIONS)}")

    def with_interpolation(self, interpolation: str) -> "PionProduction":
        """The same bins read with another interpolation."""
        return replace(self, interpolation=interpolation)

    def bin_values(self, charge: int) -> np.ndarray:
        """Bin-averaged Q of pi+ (``charge=+1``) or pi- (``-1``)."""
        if charge == +1:
            return np.asarray(self.q_plus, dtype=float)
        if charge == -1:
            return np.asarray(self.q_minus, dtype=float)
        raise ValueError(f"charge must be +1 or -1, got {charge!r}")

    @property
    def T_max(self) -> float:
        """Upper end of the tabulated pion energies [GeV]; no production above."""
        return float(self.edges[-1])

    def _cumulative_at_edges(self, charge):
        e = np.asarray(self.edges, dtype=float)
        content = self.bin_values(charge) * np.diff(e)
        return np.concatenate([np.cumsum(content[::-1])[::-1], [0.0]])

    @cached_property
    def _pchip(self):
        e = np.asarray(self.edges, dtype=float)
        return {c: PchipInterpolator(e, self._cumulative_at_edges(c), extrapolate=False) for c in (+1, -1)}

    def differential(self, T, charge: int):
        """Q(T_pi) [m^-2 s^-1 sr^-1 GeV^-1 (g cm^-2)^-1] at pion kinetic energies T [GeV]; 0 outside."""
        T = np.asarray(T, dtype=float)
        e = np.asarray(self.edges, dtype=float)
        inside = (T >= e[0]) & (T <= e[-1])
        if self.interpolation == "bin-average":
            idx = np.clip(np.searchsorted(e, T, side="right") - 1, 0, e.size - 2)
            return np.where(inside, self.bin_values(charge)[idx], 0.0)
        Tc = np.clip(T, e[0], e[-1])
        return np.where(inside, np.maximum(-self._pchip[charge].derivative()(Tc), 0.0), 0.0)

    def integral_above(self, T, charge: int):
        """P_pi(>T) = Integral_T^T_max Q dT' [m^-2 s^-1 sr^-1 (g cm^-2)^-1]."""
        T = np.asarray(T, dtype=float)
        e = np.asarray(self.edges, dtype=float)
        cum = self._cumulative_at_edges(charge)
        Tc = np.clip(T, e[0], e[-1])
        if self.interpolation == "bin-average":
            # piecewise constant Q: P(>T) is linear inside each bin, exact at the edges
            return np.interp(Tc, e, cum)
        return np.maximum(self._pchip[charge](Tc), 0.0)

    def total(self, charge: int) -> float:
        """Integral of Q over all bins [m^-2 s^-1 sr^-1 (g cm^-2)^-1]."""
        return float(np.sum(self.bin_values(charge) * np.diff(np.asarray(self.edges, dtype=float))))

    def breakpoints(self) -> np.ndarray:
        """Pion energies [GeV] where Q may be discontinuous or kinked (the bin edges)."""
        return np.asarray(self.edges, dtype=float)


def table_pion_production(interpolation: str = "bin-average") -> PionProduction:
    """The published L = 1.2 pion production table (Martin et al. 1995)."""
    return PionProduction(
        edges=tuple(x * u.MeV for x in MARTIN1995_EDGES_MEV),
        q_plus=MARTIN1995_Q_PLUS, q_minus=MARTIN1995_Q_MINUS, interpolation=interpolation,
        description="pion production in residual air at L = 1.2, Martin et al. (1995) table",
    )


# --- the computed route -------------------------------------------------------------------


def _momentum_to_kinetic(p):
    return np.sqrt(p * p + const.m_proton**2) - const.m_proton


#: beam momenta [GeV/c] where the p + p model changes form (Dermer 1986 pieces, MS98 bridge)
_MODEL_KINKS_MOMENTUM = (0.791, 0.80, 0.95, 1.29, 1.65, 2.81, 3.0, 4.0, 5.52, 7.0)
#: lowest proton kinetic energy with pion production in the p + p model [GeV] (pp -> pi+ d)
PP_THRESHOLD = float(_momentum_to_kinetic(0.791))


def nucleus_cell_cross_sections(T_p: float, pion_edges_total, target: Target, nuclear_scaling: str = "orth-buffington"):
    """pi+ and pi- production on one nucleus, integrated over pion total-energy cells [mb].

    ``sigma_A(pi+-) = S(A) [ (Z/A) sigma_pp(pi+-) + (1 - Z/A) (sigma_pp(pi+) + sigma_pp(pi-))/2 ]``
    -- the isospin rule of :func:`positrons.cross_sections.nuclear.isospin_combination` for a
    proton on (A, Z) -- with ``S`` from ``NUCLEAR_SCALINGS`` (module docstring) and
    ``sigma_pp`` the cell integrals of
    :func:`positrons.cross_sections.pion_production.cell_cross_sections`.
    Returns ``(cells_plus, cells_minus)``.
    """
    try:
        S = NUCLEAR_SCALINGS[nuclear_scaling](target.A) if target.A > 1 else 1.0
    except KeyError:
        raise ValueError(f"unknown nuclear scaling {nuclear_scaling!r}; expected one of {', '.join(NUCLEAR_SCALINGS)}") from None
    plus = pp_model.cell_cross_sections(T_p, pion_edges_total, +1)
    minus = pp_model.cell_cross_sections(T_p, pion_edges_total, -1)
    pairs = nuclear.nucleon_pair_fractions(nuclear.PROTON, target.nucleus)
    return S * nuclear.isospin_combination(plus, minus, pairs), S * nuclear.isospin_combination(minus, plus, pairs)


def _proton_nodes(protons, n_per_segment: int):
    """Gauss-Legendre nodes [GeV] and weights in ln T_p between the model's kinks."""
    kinks = [_momentum_to_kinetic(p) for p in _MODEL_KINKS_MOMENTUM]
    kinks += list(np.asarray(protons.energies, dtype=float))
    lo, hi = PP_THRESHOLD, float(protons.E_max)
    grid = np.geomspace(lo, hi, 25)
    breaks = np.unique(np.clip(np.concatenate([grid, [k for k in kinks if lo < k < hi]]), lo, hi))
    x, w = gauss_legendre(n_per_segment)
    a, b = np.log(breaks[:-1])[:, None], np.log(breaks[1:])[:, None]
    lnT = 0.5 * (a + b) + 0.5 * (b - a) * x
    T = np.exp(lnT).ravel()
    weight = (0.5 * (b - a) * w).ravel() * T  # dT = T dlnT
    return T, weight


def computed_pion_production(protons, edges=None, mass_fractions=None, nuclear_scaling: str = "orth-buffington",
                             n_per_segment: int = 6, interpolation: str = "bin-average") -> PionProduction:
    """Q_pi on the bins ``edges`` [GeV of T_pi] from a trapped-proton spectrum (module docstring).

    Parameters
    ----------
    protons : IntegralProtonSpectrum
        Trapped protons (their ``intensity`` per sr, isotropic).
    edges : array_like, optional
        Pion kinetic-energy bin edges [GeV]; default those of the published table.
    mass_fractions : dict, optional
        Mass fraction of each target element (keys of ``TARGETS``); default dry air.
        They are normalised to sum to one.
    nuclear_scaling : str
        ``"orth-buffington"`` (A^(3/4), default) or ``"geometric"`` (A^(2/3)).
    n_per_segment : int
        Gauss-Legendre nodes per proton-energy segment (the default converges to 1e-3).
    """
    edges = np.asarray(MARTIN1995_EDGES_MEV, dtype=float) * u.MeV if edges is None else np.asarray(edges, dtype=float)
    fractions = dict(AIR_MASS_FRACTIONS if mass_fractions is None else mass_fractions)
    unknown = set(fractions) - set(TARGETS)
    if unknown:
        raise ValueError(f"unknown target elements {sorted(unknown)}; known: {', '.join(TARGETS)}")
    total = sum(fractions.values())
    if not total > 0 or any(v < 0 for v in fractions.values()):
        raise ValueError("mass fractions must be >= 0 with a positive sum")
    pion_edges_total = edges + const.m_pion_charged
    T_p, w_p = _proton_nodes(protons, n_per_segment)
    intensity = protons.intensity(T_p)  # m^-2 s^-1 sr^-1 GeV^-1
    sum_plus = np.zeros(edges.size - 1)
    sum_minus = np.zeros(edges.size - 1)
    for el, frac in fractions.items():
        if frac == 0:
            continue
        target = TARGETS[el]
        per_gram = (frac / total) / target.atom_mass_g  # nuclei per g
        for T, w, I in zip(T_p, w_p, intensity):
            if I <= 0:
                continue
            plus, minus = nucleus_cell_cross_sections(T, pion_edges_total, target, nuclear_scaling)
            sum_plus += per_gram * w * I * plus * u.mb_to_cm2
            sum_minus += per_gram * w * I * minus * u.mb_to_cm2
    width = np.diff(edges)
    composition = ", ".join(f"{el} {v / total:.3g}" for el, v in fractions.items() if v > 0)
    return PionProduction(
        edges=tuple(edges), q_plus=tuple(sum_plus / width), q_minus=tuple(sum_minus / width),
        interpolation=interpolation,
        description=f"pion production computed from {protons.description} with the p+p model of Moskalenko & Strong "
        f"(1998), isospin and the {nuclear_scaling} nuclear factor, targets by mass: {composition}",
    )
