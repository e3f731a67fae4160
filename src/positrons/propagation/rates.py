"""Energy-loss and catastrophic rates of a species in the interstellar medium, as the callables
the transport operator takes: ``rate(R_kpc, z_kpc, T)`` broadcasting over (n_R, 1, 1),
(1, n_z, 1) and (1, 1, n_T) arrays."""

from __future__ import annotations

from typing import Callable

import numpy as np

from .. import constants as const
from .. import kinematics as kin
from .. import units as u
from ..cross_sections.inelastic import inelastic_cross_section_mb


def decay_rate(species, lifetime_s: float) -> Callable:
    """Catastrophic-rate callable ``rate(R_kpc, z_kpc, T) = 1 / (gamma(T) tau)`` [1/s] of a
    species with rest-frame lifetime ``lifetime_s`` [s] (time dilation: gamma = 1 + T/m, T the
    kinetic energy of the whole particle [GeV]); uniform in space."""
    tau = float(lifetime_s)
    if not (np.isfinite(tau) and tau > 0):
        raise ValueError(f"lifetime_s must be finite and > 0 (got {lifetime_s})")
    mass = kin.get_species(species).mass

    def rate(R, z, T):
        return 1.0 / (kin.gamma_from_kinetic(T, mass) * tau)

    return rate


def species_rates(species: str, ism, lifetime_s: float | None = None) -> tuple[Callable, Callable | None]:
    """(loss_rate, catastrophic_rate) of ``species`` in the interstellar medium ``ism``.

    Leptons: ionization, Coulomb, bremsstrahlung, synchrotron, inverse Compton
    (:func:`positrons.losses.lepton_loss_terms`); no catastrophic losses.  Nuclei: ionization
    and Coulomb (:func:`positrons.losses.nucleus_loss_terms`) and the inelastic rate
    beta c (n_H sigma_pH + n_He sigma_pHe)
    (:func:`positrons.cross_sections.inelastic.inelastic_cross_section_mb`).  ``lifetime_s``
    adds the decay rate of an unstable species (:func:`decay_rate`).
    """
    from .. import losses

    sp_ = kin.get_species(species)
    lepton = sp_.mass_number == 0

    def loss_rate(R, z, T):
        T1 = np.ravel(T)
        terms = losses.lepton_loss_terms(T1, ism) if lepton else losses.nucleus_loss_terms(T1, sp_.name, ism)
        return terms.evaluate(np.asarray(R)[:, :, 0], np.asarray(z)[:, :, 0])

    inelastic = None
    if not lepton:
        def inelastic(R, z, T):
            beta = kin.beta_from_kinetic(T, sp_.mass)
            Rk, zk = np.asarray(R)[:, :, 0], np.asarray(z)[:, :, 0]
            n_H = ism.gas.n_H_total(Rk, zk)[:, :, None]
            n_He = ism.gas.n_He(Rk, zk)[:, :, None]
            sigma_H = inelastic_cross_section_mb(T, sp_.name, "H")
            sigma_He = inelastic_cross_section_mb(T, sp_.name, "He")
            return beta * const.c_light * (n_H * sigma_H + n_He * sigma_He) * u.mb_to_cm2

    if lifetime_s is None:
        return loss_rate, inelastic
    decay = decay_rate(sp_, lifetime_s)
    if inelastic is None:
        return loss_rate, decay

    def catastrophic(R, z, T):
        return inelastic(R, z, T) + decay(R, z, T)

    return loss_rate, catastrophic
