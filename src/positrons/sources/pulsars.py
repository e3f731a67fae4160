r"""Electrons and positrons from nearby pulsars: the sources.

A pulsar (or its wind nebula) at distance d and age t_age injects e+ and e- with

    Q(E, t) = Q0 E^-gamma exp(-E / E_c) l(t),   l(t) = (1/tau0) (1 + t/tau0)^-2,

per charge; l is the spin-down history of a magnetic dipole (braking index 3), normalised to
1 over the pulsar's life, and the "burst" limit puts all of it at t = 0 (Hooper, Blasi &
Serpico 2009, arXiv:0810.1527).  The total energy W0 = L0 tau0 = Edot_today (1 + t_age/tau0)^2
tau0 follows from today's spin-down power; a fraction ``efficiency`` of it goes into e+ + e-
above ``E_min`` (both charges together).

Their propagation to the Sun (Atoyan, Aharonian & Voelk 1995, with energy losses) is
:mod:`positrons.propagation.pulsars`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .. import units as u

@dataclass(frozen=True)
class Pulsar:
    """A pulsar: ``distance_kpc``, ``age_yr`` (characteristic age unless set), today's
    spin-down power ``edot_erg_s``."""

    name: str
    distance_kpc: float
    age_yr: float
    edot_erg_s: float

    def __post_init__(self):
        for attr in ("distance_kpc", "age_yr", "edot_erg_s"):
            value = getattr(self, attr)
            if not (np.isfinite(value) and value > 0):
                raise ValueError(f"pulsar {self.name}: {attr} must be finite and > 0 (got {value})")

    def spin_down_energy_erg(self, tau0_yr: float) -> float:
        """W0 = L0 tau0 = Edot (1 + t_age/tau0)^2 tau0 [erg] (braking index 3)."""
        return self.edot_erg_s * (1.0 + self.age_yr / tau0_yr) ** 2 * tau0_yr * u.yr


#: catalogue with today's spin-down powers, characteristic ages and distances
PULSAR_CATALOGUE = "atnf_nearby_pulsars_derived"


def _catalogue_distance(row) -> tuple[float, str]:
    """Distance [kpc] from the catalogue row, in order of preference: independent estimate
    (DIST_A), parallax, midpoint of the limits, dispersion measure (YMW16)."""
    if np.isfinite(row["DIST_A_kpc"]):
        return float(row["DIST_A_kpc"]), "DIST_A"
    if np.isfinite(row["dist_from_PX_kpc"]):
        return float(row["dist_from_PX_kpc"]), "parallax"
    if np.isfinite(row["DIST_AMN_kpc"]) and np.isfinite(row["DIST_AMX_kpc"]):
        return 0.5 * float(row["DIST_AMN_kpc"] + row["DIST_AMX_kpc"]), "limits midpoint"
    return float(row["DIST_DM_kpc"]), "dispersion measure"


def _keys(row) -> set[str]:
    """Names a pulsar answers to: J name, common name, B name in parentheses, lower case."""
    common = str(row["common_name"]).lower()
    keys = {str(row["psrj"]).lower(), common, common.split(" (")[0]}
    if "(" in common:
        keys.add(common.split("(")[1].rstrip(")"))
        keys.add(common.split("(")[1].rstrip(")").replace("psr ", ""))
    keys.add(common.replace("psr ", ""))
    return keys


def catalogue_pulsars() -> dict[str, Pulsar]:
    """The shipped nearby pulsars (ATNF v1.66 derived values, flagged ``derived_values``),
    keyed by lower-case common name (``geminga``, ``monogem``, ``vela``, ``crab``, ...)."""
    from ..data import load_catalogue

    table = load_catalogue(PULSAR_CATALOGUE)
    out = {}
    for row in table:
        dist, _ = _catalogue_distance(row)
        name = str(row["common_name"]).split(" (")[0]
        out[name.lower()] = Pulsar(name, dist, float(row["age_char_yr"]), float(row["Edot_erg_s"]))
    return out


def get_pulsar(name: str) -> Pulsar:
    """A catalogue pulsar by common, J or B name (case-insensitive): ``geminga``,
    ``monogem``, ``B0656+14``, ``J0633+1746`` ..."""
    from ..data import load_catalogue

    table = load_catalogue(PULSAR_CATALOGUE)
    wanted = name.strip().lower()
    for row in table:
        if wanted in _keys(row):
            key = str(row["common_name"]).split(" (")[0].lower()
            return catalogue_pulsars()[key]
    known = ", ".join(sorted(catalogue_pulsars()))
    raise ValueError(f"unknown pulsar {name!r}; the catalogue has {known} (or build a Pulsar yourself)")


@dataclass(frozen=True)
class PulsarInjection:
    """e+- injection of a pulsar: per charge Q0 E^-gamma exp(-E/E_c), with a fraction
    ``efficiency`` of the spin-down energy in e+ + e- above ``E_min_GeV``.

    ``tau0_yr``: spin-down time scale (1e4 yr, Hooper et al. 2009); ``burst``: release
    everything at birth instead of following the spin-down history.
    """

    gamma: float = 1.8
    cutoff_GeV: float = 1000.0
    efficiency: float = 0.1
    tau0_yr: float = 1e4
    E_min_GeV: float = 0.1
    burst: bool = False

    def __post_init__(self):
        if not (self.cutoff_GeV > 0 and self.tau0_yr > 0 and self.E_min_GeV > 0):
            raise ValueError("cutoff, tau0 and E_min must be > 0")
        if not self.efficiency >= 0:
            raise ValueError(f"efficiency must be >= 0 (got {self.efficiency})")

    def normalisation(self, total_energy_GeV: float) -> float:
        """Q0 [GeV^(gamma-1)]: 2 Q0 int_{E_min}^inf E^(1-gamma) exp(-E/E_c) dE = eta W0."""
        from scipy.special import gammaincc, gamma as gamma_fn

        s = 2.0 - self.gamma
        x = self.E_min_GeV / self.cutoff_GeV
        if s > 0:
            integral = self.cutoff_GeV**s * gamma_fn(s) * gammaincc(s, x)
        else:  # incomplete gamma of non-positive order: integrate numerically
            y = np.geomspace(x, x + 60.0, 4000)
            integral = self.cutoff_GeV**s * np.trapezoid(y ** (s - 1) * np.exp(-y), y)
        return self.efficiency * total_energy_GeV / (2.0 * integral)

    def spectrum(self, total_energy_GeV: float) -> Callable:
        """Q(E) [GeV^-1] per charge: particles injected over the whole history."""
        Q0 = self.normalisation(total_energy_GeV)
        return lambda E: Q0 * np.asarray(E, dtype=float) ** -self.gamma * np.exp(-np.asarray(E) / self.cutoff_GeV)

    def history(self) -> Callable | None:
        """l(t) [1/s], normalised to 1 over [0, inf); None for a burst."""
        if self.burst:
            return None
        tau0 = self.tau0_yr * u.yr
        return lambda t: (1.0 / tau0) / (1.0 + np.asarray(t) / tau0) ** 2


__all__ = [
    "PULSAR_CATALOGUE",
    "Pulsar",
    "PulsarInjection",
    "catalogue_pulsars",
    "get_pulsar",
]
