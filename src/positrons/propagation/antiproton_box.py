r"""The leaky-box solution for a secondary produced on the gas and destroyed on it (antiprotons).

In a homogeneous leaky box with grammage X(R) [g cm^-2] and mean gas mass per H atom m [g],
a secondary with production rate per H atom ``s(T)`` [s^-1 GeV^-1] and destruction cross
section per H atom sigma(T) has the steady state

    n_H s(T) = n(T) [1/tau_esc + n_H sigma beta c],   tau_esc = X / (m n_H beta c)
    =>  n(T) = (s(T) / (beta c)) (X/m) / (1 + X sigma / m)

(the issue's n = (∫ n_p dsigma/dT dE - n sigma) X/m; n_H drops out),
i.e. the intensity

    Phi(T) = beta c n / (4 pi) = (s(T) / 4 pi) (X/m) / (1 + X sigma / m).

For antiprotons ``s(T) = 4 pi sum_{i,t} (n_t/n_H) ∫ dT_n Phi_i(T_n) dsigma_it/dT(T_n, T)`` from
the primary intensities Phi_i (p, He per nucleon) on the targets t (H, He), and sigma the
p̄ inelastic cross section (annihilation + non-annihilating, tertiaries neglected here).  It is
the 2D model's limit for a thin gas disc in a halo where the escape grammage is X (see
:mod:`positrons.propagation.leaky_box` for the grammage records).
"""

from __future__ import annotations

import numpy as np

__all__ = ["leaky_box_secondary_intensity"]


def leaky_box_secondary_intensity(source_per_H, X_g_cm2, sigma_mb, mean_mass_per_H_g) -> np.ndarray:
    """Intensity of a leaky-box secondary: ``(s / 4 pi) (X/m) / (1 + X sigma/m)``.

    ``source_per_H`` s(T) [s^-1 GeV^-1 per H atom] (the ``4 pi ∫ Phi dsigma`` of the module
    docstring: with Phi in m^-2 s^-1 sr^-1 GeV^-1 and dsigma in cm^2 the intensity comes out in
    m^-2 s^-1 sr^-1 GeV^-1); ``X_g_cm2`` the escape grammage, ``sigma_mb`` the destruction cross
    section per H atom [mb], ``mean_mass_per_H_g`` m [g].  Arrays on one energy grid."""
    s = np.asarray(source_per_H, dtype=float)
    X_over_m = np.asarray(X_g_cm2, dtype=float) / float(mean_mass_per_H_g)
    sigma = np.asarray(sigma_mb, dtype=float) * 1e-27
    if np.any(sigma < 0) or np.any(X_over_m < 0):
        raise ValueError("grammage and cross sections must be >= 0")
    return s / (4.0 * np.pi) * X_over_m / (1.0 + X_over_m * sigma)
