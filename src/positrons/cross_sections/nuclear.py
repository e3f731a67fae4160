"""Helium channels of secondary production: p + He, He + p, He + He from p + p.

A documented scaling, named so it can be replaced:

* **Enhancement.** At equal kinetic energy per nucleon, the inclusive meson yield of an
  A + B collision is that of p + p times ``(A^(3/8) + B^(3/8) - 1)^2`` (Orth & Buffington
  1976, ApJ 206, 312; used for secondary leptons by Moskalenko & Strong 1998,
  astro-ph/9710124, Sect. 2.2).  It gives 4^(3/4) = 2.83 for p + He and He + p and
  5.59 for He + He.
* **Isospin.** Nucleon-nucleon collisions are p p, n n or p n in proportion to the proton
  and neutron fractions.  n n is the isospin mirror of p p (e+ <-> e-); a p + n collision
  is charge symmetric in its total meson yield (isospin reflection maps p n -> pi+ onto
  n p -> pi-), so we take ``sigma_pn(e+-) = (sigma_pp(e+) + sigma_pp(e-)) / 2``.
  For 4He (Z = N = 2) this lowers the e+/e- ratio of p + He to the mean of p + p and 1,
  and makes He + He charge symmetric.

Both are approximations at the 10-20 % level near threshold (the target nucleus also shifts
the threshold and Fermi motion smears it); Orusa et al. 2022 fit the nuclear factor on p + C
data instead.  Cross sections are per projectile nucleus at kinetic energy per nucleon T_n.
"""

from __future__ import annotations

from dataclasses import dataclass

#: mass and charge numbers of the species that enter secondary production
_NUCLEI = {"p": (1, 1), "He": (4, 2)}

REACTIONS = ("pp", "pHe", "Hep", "HeHe")


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
    def enhancement(self) -> float:
        """(A^(3/8) + B^(3/8) - 1)^2 of Orth & Buffington (1976)."""
        a = _NUCLEI[self.projectile][0]
        b = _NUCLEI[self.target][0]
        return (a**0.375 + b**0.375 - 1.0) ** 2

    @property
    def nucleon_pair_fractions(self) -> tuple[float, float, float]:
        """Fractions of nucleon-nucleon collisions that are (p p, n n, p n).

        p p keeps the p + p charge asymmetry, n n is its isospin mirror (e+ <-> e-), p n is
        charge symmetric.
        """
        a, za = _NUCLEI[self.projectile]
        b, zb = _NUCLEI[self.target]
        pp = (za / a) * (zb / b)
        nn = (1 - za / a) * (1 - zb / b)
        return pp, nn, 1.0 - pp - nn


def scale_from_pp(reaction: str, sigma_pp_positron, sigma_pp_electron, lepton: str):
    """Cross section of ``reaction`` for ``lepton`` from the p + p e+ and e- cross sections."""
    r = Reaction.parse(reaction)
    pp, nn, pn = r.nucleon_pair_fractions
    own, mirror = (
        (sigma_pp_positron, sigma_pp_electron) if lepton == "positron" else (sigma_pp_electron, sigma_pp_positron)
    )
    return r.enhancement * (pp * own + nn * mirror + pn * 0.5 * (own + mirror))
