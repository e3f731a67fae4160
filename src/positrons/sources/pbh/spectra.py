"""Total (primary + secondary) spectra of a black hole or of a weighted set of holes: the API
the PBH source term and the commands use.

Primary emission: :mod:`.emission`; secondaries from mu, pi decays: :mod:`.secondaries`.
Energies are kinetic [GeV], masses in grams.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .emission import _check_particle, _nonnegative, _positive, primary_spectrum
from .secondaries import _secondary, _warn_outside_validity



@dataclass(frozen=True)
class Spectrum:
    """Primary and secondary d2N/dt dE_kin at kinetic energies ``E_kin`` [GeV]; ``unit`` says per what."""

    particle: str
    E_kin: np.ndarray
    primary: np.ndarray
    secondary: np.ndarray
    unit: str = "GeV^-1 s^-1 per black hole"

    @property
    def total(self) -> np.ndarray:
        return self.primary + self.secondary


def spectrum(particle: str, E_kin, masses, weights=None, content="standard", tables=None) -> Spectrum:
    """Primary, secondary and total spectra of ``particle`` at kinetic energies ``E_kin`` [GeV].

    * ``masses`` a number [g], ``weights`` None: per hole [GeV^-1 s^-1].
    * ``masses`` a 1-D array and ``weights`` of the same length: ``sum_k weights_k
      d2N/dt dE(E, masses_k)`` -- a quadrature over a mass function (see
      :mod:`.source`); the unit is then that of the weights times GeV^-1 s^-1.

    ``content`` sets the emitted species, primary and secondary (zeros for a particle the
    content does not emit); ``tables`` the greybody tables.  Warns (:class:`OutsideValidityWarning`)
    for holes hotter than 0.2 GeV and energies above 1e3 GeV (module docstring).
    """
    particle = _check_particle(particle)
    E_kin = np.atleast_1d(_nonnegative(E_kin, "kinetic energy")).astype(float)
    if E_kin.ndim != 1:
        raise ValueError("E_kin must be a number or a 1-D array")
    masses = np.atleast_1d(_positive(masses, "black-hole mass"))
    if weights is None:
        if masses.size != 1:
            raise ValueError("several masses need weights (a quadrature); or call once per mass")
        w = np.ones(1)
    else:
        w = np.asarray(weights, dtype=float)
        if w.shape != masses.shape or masses.ndim != 1:
            raise ValueError("masses and weights must be 1-D arrays of the same length")
    _warn_outside_validity(E_kin, masses, w)
    primary = primary_spectrum(particle, E_kin[:, None], masses[None, :], tables, content) @ w
    secondary = _secondary(particle, E_kin, masses, w, content, tables)
    return Spectrum(particle, E_kin, primary, secondary)
