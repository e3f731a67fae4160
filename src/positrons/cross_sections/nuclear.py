"""Nuclear channels of meson (and lepton) production from p + p: any nucleus (A, Z).

A documented scaling, named so it can be replaced; used for the helium channels of
secondary production (p + He, He + p, He + He) and for pion production on the air of the
inner magnetosphere (:mod:`positrons.magnetosphere.pion_source`).

* **Enhancement.** At equal kinetic energy per nucleon, the inclusive meson yield of an
  A + B collision is that of p + p times ``(A^(3/8) + B^(3/8) - 1)^2`` (Orth & Buffington
  1976, ApJ 206, 312; used for secondary leptons by Moskalenko & Strong 1998,
  astro-ph/9710124, Sect. 2.2).  It gives 4^(3/4) = 2.83 for p + He and He + p,
  5.59 for He + He and A^(3/4) for a proton on a nucleus of mass number A
  (:func:`enhancement`).
* **Isospin.** Nucleon-nucleon collisions are p p, n n or p n in proportion to the proton
  and neutron fractions Z/A and 1 - Z/A of the two nuclei (:func:`nucleon_pair_fractions`).
  n n is the isospin mirror of p p (e+ <-> e-, pi+ <-> pi-); a p + n collision is charge
  symmetric in its total meson yield (isospin reflection maps p n -> pi+ onto n p -> pi-),
  so we take ``sigma_pn(+-) = (sigma_pp(+) + sigma_pp(-)) / 2`` (:func:`isospin_combination`).
  For 4He (Z = N = 2) this lowers the e+/e- ratio of p + He to the mean of p + p and 1,
  and makes He + He charge symmetric; for a proton on 14N it halves the pi+ - pi- difference
  of p + p and keeps the sum.

Both are approximations at the 10-20 % level near threshold (the target nucleus also shifts
the threshold and Fermi motion smears it); Orusa et al. 2022 fit the nuclear factor on p + C
data instead.  Cross sections are per projectile nucleus at kinetic energy per nucleon T_n.

:class:`Reaction` names the pairs of secondary production (``Reaction.parse("pHe")``); any
other pair is two :class:`Nucleus` records passed to :func:`scale_to_nuclei`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Nucleus:
    """A nucleus by name, mass number ``A`` and charge ``Z`` (0 <= Z <= A, A >= 1)."""

    name: str
    A: int
    Z: int

    def __post_init__(self):
        if not (isinstance(self.A, int) and isinstance(self.Z, int)) or self.A < 1 or not 0 <= self.Z <= self.A:
            raise ValueError(f"a nucleus needs integers A >= 1 and 0 <= Z <= A, got A = {self.A!r}, Z = {self.Z!r}")

    @property
    def proton_fraction(self) -> float:
        """Z / A."""
        return self.Z / self.A


PROTON = Nucleus("p", 1, 1)
HELIUM4 = Nucleus("He", 4, 2)

#: the species that enter the named reactions of secondary production
_NUCLEI = {"p": PROTON, "He": HELIUM4}

REACTIONS = ("pp", "pHe", "Hep", "HeHe")


def enhancement(A: float, B: float = 1.0) -> float:
    """(A^(3/8) + B^(3/8) - 1)^2 of Orth & Buffington (1976) for mass numbers A and B."""
    if not (A >= 1 and B >= 1):
        raise ValueError(f"mass numbers must be >= 1, got {A!r} and {B!r}")
    return (A**0.375 + B**0.375 - 1.0) ** 2


def nucleon_pair_fractions(projectile: Nucleus, target: Nucleus) -> tuple[float, float, float]:
    """Fractions of nucleon-nucleon collisions that are (p p, n n, p n) in ``projectile + target``."""
    fa, fb = projectile.proton_fraction, target.proton_fraction
    pp = fa * fb
    nn = (1.0 - fa) * (1.0 - fb)
    return pp, nn, 1.0 - pp - nn


def isospin_combination(own, mirror, pair_fractions):
    """Per nucleon-nucleon collision: ``pp own + nn mirror + pn (own + mirror)/2``.

    ``own`` is the p + p cross section of the wanted charge (e+ or pi+ for a positive one),
    ``mirror`` that of the opposite charge; arrays broadcast.
    """
    pp, nn, pn = pair_fractions
    return pp * own + nn * mirror + pn * 0.5 * (own + mirror)


@dataclass(frozen=True)
class Reaction:
    """A projectile + target pair, e.g. ``Reaction.parse("pHe")`` (proton on helium)."""

    projectile: str
    target: str

    @classmethod
    def parse(cls, name: str) -> "Reaction":
        for proj in _NUCLEI:
            if name.startswith(proj) and name[len(proj):] in _NUCLEI:
                return cls(proj, name[len(proj):])
        raise ValueError(f"unknown reaction {name!r}; expected one of {', '.join(REACTIONS)}")

    @property
    def name(self) -> str:
        return self.projectile + self.target

    @property
    def nuclei(self) -> tuple[Nucleus, Nucleus]:
        return _NUCLEI[self.projectile], _NUCLEI[self.target]

    @property
    def enhancement(self) -> float:
        """(A^(3/8) + B^(3/8) - 1)^2 of Orth & Buffington (1976)."""
        a, b = self.nuclei
        return enhancement(a.A, b.A)

    @property
    def nucleon_pair_fractions(self) -> tuple[float, float, float]:
        """Fractions of nucleon-nucleon collisions that are (p p, n n, p n).

        p p keeps the p + p charge asymmetry, n n is its isospin mirror (e+ <-> e-), p n is
        charge symmetric.
        """
        return nucleon_pair_fractions(*self.nuclei)


def scale_to_nuclei(projectile: Nucleus, target: Nucleus, own, mirror):
    """Cross section of ``projectile + target`` for one charge from the p + p ones.

    ``enhancement(A_proj, A_target) * isospin_combination(own, mirror, pairs)``: ``own`` the
    p + p cross section of that charge, ``mirror`` of the opposite charge.
    """
    pairs = nucleon_pair_fractions(projectile, target)
    return enhancement(projectile.A, target.A) * isospin_combination(own, mirror, pairs)


def scale_from_pp(reaction: str, sigma_pp_positron, sigma_pp_electron, lepton: str):
    """Cross section of ``reaction`` for ``lepton`` from the p + p e+ and e- cross sections."""
    r = Reaction.parse(reaction)
    own, mirror = (
        (sigma_pp_positron, sigma_pp_electron) if lepton == "positron" else (sigma_pp_electron, sigma_pp_positron)
    )
    return scale_to_nuclei(*r.nuclei, own, mirror)
