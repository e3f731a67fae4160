r"""Source term of e+- (or photons) from evaporating PBHs in the Galactic halo
(Boudaud & Cirelli 2019, PRL 122, 041104, arXiv:1807.03075).

.. math::

    q(R, z, T) = f_{PBH}\,\rho_{DM}(R, z) \int dM\, \frac{\psi(M)}{M}\,
                 \frac{d^2N}{dt\,dT}(T, M) \qquad [\mathrm{cm^{-3}\,s^{-1}\,GeV^{-1}}]

with the mass function psi of :mod:`.mass_functions` (``Integral psi dM = 1``), the emission
per hole of :mod:`.spectra` (primary + secondary, per unit kinetic energy T) and a dark-matter
profile of :mod:`positrons.sources.halo`.  Coordinates in **kpc**, like the propagation
solvers.  The source factorises, ``q = profile x spectrum`` exactly:

* :meth:`PBHSource.profile` -- ``f_PBH rho_DM(R, z)`` [GeV cm^-3], the PBH mass density as
  an energy density, at galactocentric ``(R_kpc, z_kpc)``; broadcasts;
* :meth:`PBHSource.spectrum` -- ``Integral dM psi(M)/M d2N/dt dT`` with M in GeV
  [GeV^-1 s^-1 per GeV of PBH mass] at kinetic energies T [GeV] of any shape (total:
  primary + secondary); :meth:`PBHSource.components` gives primary and secondary;
* ``source(R_kpc, z_kpc, T)`` -- their product, broadcasting: the transport solver calls it
  as ``source(R[:, None, None], z[None, :, None], T[None, None, :])``;
  :meth:`PBHSource.grid` is the same on the outer product of 1-D arrays.

For the response-matrix route of the solver pass ``source.profile`` and ``source.spectrum``
separately (``Propagator.local_flux(source.profile, source.spectrum)``).

:func:`population_spectrum` is the emission per **gram** of PBHs [GeV^-1 s^-1 g^-1]; the
source's spectrum is the same divided by ``constants.gram_in_GeV`` (grams -> GeV).  The mass
integral uses the mass function's quadrature (composite Gauss-Legendre in ln M) and sums the
parent spectra over masses before the decay matrices, so a whole population costs about as
much as one hole.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ... import constants as const
from ..halo import NFW, HaloProfile
from . import emission, spectra
from .mass_functions import M_MIN_DEFAULT, MassFunction

#: unit of :func:`population_spectrum`
POPULATION_UNIT = "GeV^-1 s^-1 per gram of PBHs"
#: unit of :meth:`PBHSource.spectrum` and :meth:`PBHSource.components`
SOURCE_SPECTRUM_UNIT = "GeV^-1 s^-1 per GeV of PBH mass"


class EvaporatedMassWarning(UserWarning):
    """A present-day PBH source whose mass function reaches below M_min = 5e14 g."""


def population_spectrum(particle: str, E_kin, mass_function: MassFunction, content="standard",
                        panel_width: float = 0.25) -> spectra.Spectrum:
    """Emission per unit PBH mass density: Integral dM psi(M)/M d2N/dt dE [GeV^-1 s^-1 g^-1].

    Multiply by ``rho_PBH`` [g cm^-3] for a source term per cm^3.  ``E_kin`` are kinetic
    energies [GeV]; ``panel_width`` sets the mass quadrature (:mod:`.mass_functions`).
    """
    masses, weights = mass_function.quadrature(panel_width)
    result = spectra.spectrum(particle, E_kin, masses, weights / masses, content=content)
    return spectra.Spectrum(result.particle, result.E_kin, result.primary, result.secondary, POPULATION_UNIT)


@dataclass(frozen=True, kw_only=True)
class PBHSource:
    """PBHs of mass function ``mass_function`` making a fraction ``f_pbh`` of the halo ``halo``.

    A present-day source: a mass function with mass below ``M_MIN_DEFAULT`` = 5e14 g (only
    possible with an explicitly lowered ``M_min``) draws an :class:`EvaporatedMassWarning`.
    """

    mass_function: MassFunction
    f_pbh: float = 1.0
    halo: HaloProfile = field(default_factory=NFW)
    particle: str = "positron"
    content: str = "standard"

    def __post_init__(self):
        if not (np.isfinite(self.f_pbh) and self.f_pbh >= 0):
            raise ValueError(f"f_pbh must be >= 0, got {self.f_pbh}")
        emission._check_particle(self.particle)
        emission.get_content(self.content)
        masses, weights = self.mass_function.quadrature()
        below = float(np.sum(weights[masses < M_MIN_DEFAULT]))
        if below > 0:
            warnings.warn(f"{below:.3g} of the PBH mass lies below {M_MIN_DEFAULT:g} g, where holes have evaporated "
                          "by today (Page 1976)", EvaporatedMassWarning, stacklevel=3)

    def profile(self, R_kpc, z_kpc):
        """f_PBH rho_DM(R, z) [GeV cm^-3] at galactocentric cylindrical (R, z) [kpc]; broadcasts."""
        return self.f_pbh * self.halo.density_cylindrical(R_kpc, z_kpc)

    def components(self, T) -> spectra.Spectrum:
        """Primary, secondary and total emission per GeV of PBH mass [GeV^-1 s^-1 GeV^-1] at the
        kinetic energies ``T`` [GeV] (a number or a 1-D array)."""
        per_gram = population_spectrum(self.particle, T, self.mass_function, self.content)
        return spectra.Spectrum(per_gram.particle, per_gram.E_kin, per_gram.primary / const.gram_in_GeV,
                                per_gram.secondary / const.gram_in_GeV, SOURCE_SPECTRUM_UNIT)

    def spectrum(self, T) -> np.ndarray:
        """Total emission per GeV of PBH mass [GeV^-1 s^-1 GeV^-1] at kinetic energies ``T`` [GeV];
        ``T`` of any shape (the result has its shape)."""
        T = np.asarray(T, dtype=float)
        return self.components(T.ravel()).total.reshape(T.shape)

    def __call__(self, R_kpc, z_kpc, T) -> np.ndarray:
        """q = profile(R, z) spectrum(T) [cm^-3 s^-1 GeV^-1]; (R, z) in kpc, T kinetic [GeV]; broadcasts."""
        return self.profile(R_kpc, z_kpc) * self.spectrum(T)

    def grid(self, R_kpc, z_kpc, T) -> np.ndarray:
        """q [cm^-3 s^-1 GeV^-1] on the outer product of 1-D ``R_kpc``, ``z_kpc`` [kpc] and ``T``
        [GeV]: shape (len(R), len(z), len(T))."""
        R = np.atleast_1d(np.asarray(R_kpc, dtype=float))
        z = np.atleast_1d(np.asarray(z_kpc, dtype=float))
        T = np.atleast_1d(np.asarray(T, dtype=float))
        return self(R[:, None, None], z[None, :, None], T[None, None, :])
