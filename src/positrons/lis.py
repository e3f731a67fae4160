"""Local interstellar spectra (LIS) of cosmic-ray protons and helium.

Fluxes are per unit kinetic energy per nucleon, m^-2 s^-1 sr^-1 (GeV/n)^-1, as functions of
the kinetic energy per nucleon T_n [GeV/n] (for protons T_n = T).  One smooth form serves
all of them (:class:`SmoothLIS`)::

    Phi(T_n) = N beta^-2 T_n^a ((T_n + c) / (1 + c))^-b          (T_n in GeV/n)

* :data:`VOS_POTGIETER_2015`: protons, the published fit of E. E. Vos & M. S. Potgieter,
  ApJ 815, 119 (2015), to Voyager 1 beyond the heliopause and PAMELA (2006-2009):
  N = 2.70e3 (2.70 per MeV), a = 1.12, b = 3.93, c = 0.67 GeV.
* :data:`HELIUM_FIT`: helium (taken as 4He), the same form fitted (by
  :func:`positrons.analysis.lis_fit.fit_lis`) to the
  shipped Voyager 1 helium (Cummings et al. 2016, Table 8, unmodulated) and AMS-02 helium
  (PRL 115, 211101 (2015), force-field modulated with phi free) below 200 GV.  The stored
  parameters are the output of ``tools/fit_lis.py``; a test refits and compares.

:func:`shipped_lis` returns the pair the package uses by default.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import kinematics as kin


@dataclass(frozen=True)
class SmoothLIS:
    """``Phi(T_n) = norm beta^-2 T_n^a ((T_n + c)/(1 + c))^-b`` [m^-2 s^-1 sr^-1 (GeV/n)^-1].

    ``species`` sets beta(T_n) (protons or 4He: same beta at equal T_n up to the binding
    energy).  Call with T_n [GeV/n]; :meth:`per_particle` takes the kinetic energy of the
    whole nucleus and returns the flux per GeV of it.
    """

    species: str
    norm: float
    a: float
    b: float
    c: float
    description: str = field(default="", compare=False)

    def __call__(self, T_n):
        T_n = np.asarray(T_n, dtype=float)
        sp = kin.get_species(self.species)
        nucleons = max(sp.mass_number, 1)
        beta = kin.beta_from_kinetic(T_n * nucleons, sp.mass)
        return self.norm * T_n**self.a / beta**2 * ((T_n + self.c) / (1.0 + self.c)) ** -self.b

    def per_particle(self, T):
        """Flux per GeV of whole-nucleus kinetic energy at T [GeV] (``Phi_n(T/A) / A``)."""
        A = max(kin.get_species(self.species).mass_number, 1)
        return self(np.asarray(T, dtype=float) / A) / A


VOS_POTGIETER_2015 = SmoothLIS(
    "proton", 2.70e3, 1.12, 3.93, 0.67,
    description="proton LIS of Vos & Potgieter 2015 (ApJ 815, 119)",
)

#: helium LIS fitted by tools/fit_lis.py (see fit_lis); phi of the AMS-02 2011-2013 period
#: came out as HELIUM_FIT_PHI [GV]
HELIUM_FIT = SmoothLIS(
    "helium", 167.72, 1.1047, 3.8676, 0.59852,
    description="helium (4He) LIS fitted to Voyager 1 (Cummings et al. 2016) and AMS-02 (PRL 115, 211101) He",
)
HELIUM_FIT_PHI = 0.6947


def proton_lis_vos_potgieter_2015(T):
    """Proton LIS [m^-2 s^-1 sr^-1 GeV^-1] of Vos & Potgieter (2015, ApJ 815, 119), T [GeV].

    Fitted for 1 MeV - 100 GeV (Voyager 1 and PAMELA); above that the power law
    T^(1.12 - 3.93) = T^-2.81 continues, softer than the AMS-02 proton spectrum (index ~2.7
    and a hardening at ~300 GV).
    """
    return VOS_POTGIETER_2015(T)


def shipped_lis() -> tuple[SmoothLIS, SmoothLIS]:
    """The default (proton, helium) LIS, both per nucleon."""
    return VOS_POTGIETER_2015, HELIUM_FIT
