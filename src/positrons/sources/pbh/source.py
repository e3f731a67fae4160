r"""Source term of e+- (or photons) from evaporating PBHs in the Galactic halo (SPEC section 3.1).

.. math::

    q(R, z, E) = f_{PBH}\,\rho_{DM}(R, z) \int dM\, \frac{\psi(M)}{M}\,
                 \frac{d^2N}{dt\,dE}(E, M) \qquad [\mathrm{cm^{-3}\,s^{-1}\,GeV^{-1}}]

with the mass function psi of :mod:`.mass_functions` (``Integral psi dM = 1``), the emission
per hole of :mod:`.hawking` (primary + secondary, per unit kinetic energy) and a dark-matter
profile of :mod:`positrons.sources.halo`.  The source factorises:

* :meth:`PBHSource.density` -- ``rho_PBH(R, z) = f_PBH rho_DM(R, z)`` [g cm^-3]
  (the profile's GeV cm^-3 divided by ``constants.gram_in_GeV``);
* :meth:`PBHSource.spectrum` -- ``Integral dM psi(M)/M d2N/dt dE`` [GeV^-1 s^-1 g^-1]: the
  emission per gram of PBHs, :func:`population_spectrum`;
* :meth:`PBHSource.q` -- their product on an (R, z, E) grid, shape (len(R), len(z), len(E)).

The mass integral uses the mass function's quadrature (composite Gauss-Legendre in ln M) and
sums the parent spectra over masses before the decay matrices, so a whole population costs
about as much as one hole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ... import constants as const
from ..halo import NFW, HaloProfile
from . import hawking
from .mass_functions import MassFunction

#: unit of :func:`population_spectrum`
POPULATION_UNIT = "GeV^-1 s^-1 per gram of PBHs"


def population_spectrum(particle: str, E_kin, mass_function: MassFunction, content="standard",
                        panel_width: float = 0.25) -> hawking.Spectrum:
    """Emission per unit PBH mass density: Integral dM psi(M)/M d2N/dt dE [GeV^-1 s^-1 g^-1].

    Multiply by ``rho_PBH`` [g cm^-3] for a source term per cm^3.  ``E_kin`` are kinetic
    energies [GeV]; ``panel_width`` sets the mass quadrature (:mod:`.mass_functions`).
    """
    masses, weights = mass_function.quadrature(panel_width)
    result = hawking.spectrum(particle, E_kin, masses, weights / masses, content=content)
    return hawking.Spectrum(result.particle, result.E_kin, result.primary, result.secondary, POPULATION_UNIT)


@dataclass(frozen=True, kw_only=True)
class PBHSource:
    """PBHs of mass function ``mass_function`` making a fraction ``f_pbh`` of the halo ``halo``."""

    mass_function: MassFunction
    f_pbh: float = 1.0
    halo: HaloProfile = field(default_factory=NFW)
    particle: str = "positron"
    content: str = "standard"

    def __post_init__(self):
        if not (np.isfinite(self.f_pbh) and self.f_pbh >= 0):
            raise ValueError(f"f_pbh must be >= 0, got {self.f_pbh}")
        hawking._check_particle(self.particle)
        hawking.get_content(self.content)

    def density(self, R, z):
        """rho_PBH(R, z) = f_PBH rho_DM [g cm^-3] at cylindrical (R, z) [cm]; broadcasts."""
        return self.f_pbh * self.halo.density_cylindrical(R, z) / const.gram_in_GeV

    def spectrum(self, E_kin) -> hawking.Spectrum:
        """Emission per gram of PBHs [GeV^-1 s^-1 g^-1] at kinetic energies ``E_kin`` [GeV]."""
        return population_spectrum(self.particle, E_kin, self.mass_function, self.content)

    def q(self, R, z, E_kin) -> np.ndarray:
        """q [cm^-3 s^-1 GeV^-1] on the grid of 1-D ``R``, ``z`` [cm] and ``E_kin`` [GeV]:
        shape (len(R), len(z), len(E_kin)); total (primary + secondary)."""
        R = np.atleast_1d(np.asarray(R, dtype=float))
        z = np.atleast_1d(np.asarray(z, dtype=float))
        rho = self.density(R[:, None], z[None, :])
        return rho[:, :, None] * self.spectrum(E_kin).total[None, None, :]
