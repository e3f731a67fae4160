"""Local interstellar spectra (LIS) of cosmic-ray protons and helium.

Fluxes are per unit kinetic energy per nucleon, m^-2 s^-1 sr^-1 (GeV/n)^-1, as functions of
the kinetic energy per nucleon T_n [GeV/n] (for protons T_n = T).

* :func:`proton_lis_vos_potgieter_2015`: the published fit of E. E. Vos & M. S. Potgieter,
  ApJ 815, 119 (2015) to Voyager 1 (beyond the heliopause) and PAMELA (2006-2009) protons:
  ``j = 2.70 T^1.12 beta^-2 ((T + 0.67)/1.67)^-3.93`` m^-2 s^-1 sr^-1 MeV^-1, T in GeV.
* :class:`SmoothLIS` and :func:`fit_lis`: the same functional form with free parameters,
  fitted to the shipped AMS-02 (modulated, force field) and Voyager 1 (unmodulated) data;
  this is how the helium LIS is obtained.
"""

from __future__ import annotations

import numpy as np

from . import kinematics as kin


def proton_lis_vos_potgieter_2015(T):
    """Proton LIS [m^-2 s^-1 sr^-1 GeV^-1] of Vos & Potgieter (2015, ApJ 815, 119), T [GeV].

    Fitted for 1 MeV - 100 GeV (Voyager 1 and PAMELA); above that the power law
    T^(1.12 - 3.93) = T^-2.81 continues, softer than the AMS-02 proton spectrum (index ~2.7
    and a hardening at ~300 GV), so use :func:`fit_lis` for TeV work.
    """
    T = np.asarray(T, dtype=float)
    beta = kin.beta_from_kinetic(T, kin.SPECIES["proton"].mass)
    per_mev = 2.70 * T**1.12 / beta**2 * ((T + 0.67) / 1.67) ** -3.93
    return 1e3 * per_mev
