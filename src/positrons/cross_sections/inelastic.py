"""Total inelastic cross sections of cosmic-ray protons and helium on interstellar H and He.

The catastrophic-loss rate of nuclei in the transport, beta c (n_H sigma_pH + n_He sigma_pHe)
(:func:`positrons.propagation.rates.species_rates`), takes them from here.
"""

from __future__ import annotations

import numpy as np

from .. import kinematics as kin


def inelastic_cross_section_mb(T, species: str, target: str):
    """Inelastic cross section [mb] of a proton or 4He projectile (kinetic energy T [GeV],
    whole nucleus) on H or He.

    p + H: Kamae et al. 2006 Eqs. 1-4 (the sum of their four components);
    other pairs: the high-energy geometric form of Letaw, Silberberg & Tsao (1983, ApJS 51,
    271), sigma = 45 A^0.7 [1 + 0.016 sin(5.3 - 2.63 ln A)] mb for a proton on a nucleus of
    mass number A, with p + He <-> He + p by symmetry and He + He scaled by (A_1^(1/3) +
    A_2^(1/3))^2 / (1 + 4^(1/3))^2 from p + He (geometric overlap); energy dependence neglected
    above threshold (a ~10 % approximation above 1 GeV/n).
    """
    from . import kamae2006

    sp_ = kin.get_species(species)
    A_proj = max(sp_.mass_number, 1)
    targets = {"H": 1, "He": 4}
    if target not in targets:
        raise ValueError(f"target must be 'H' or 'He' (got {target!r})")
    A_targ = targets[target]
    T = np.asarray(T, dtype=float)
    if A_proj == 1 and A_targ == 1:
        return np.asarray(sum(kamae2006.sigma_pp_components(T)))
    A = max(A_proj, A_targ)
    letaw = 45.0 * A**0.7 * (1.0 + 0.016 * np.sin(5.3 - 2.63 * np.log(A)))
    if A_proj > 1 and A_targ > 1:
        letaw *= (A_proj ** (1 / 3) + A_targ ** (1 / 3)) ** 2 / (1 + 4 ** (1 / 3)) ** 2
    return np.full(T.shape, letaw)
