"""Accelerator measurements of pion production used to check the production models.

NA49_PI_PLUS_158: the pi+ Feynman-x density dn/dx_F per inelastic p + p collision at
p_lab = 158 GeV/c (sqrt(s) = 17.3 GeV), x_F = 2 p_L*/sqrt(s), x_F >= 0 (p p is symmetric).
C. Alt et al. (NA49), Eur. Phys. J. C 45, 343 (2006), hep-ex/0510009, Table 6 / Fig. 48a;
HEPData ins694016, doi:10.17182/hepdata.43114.v1/t24, as distributed in Rivet's reference
file NA49_2006_I694016.yoda.  Statistical errors are 0.1-4 %; the paper's systematic
errors are a few per cent.  Numbers copied unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FeynmanXDensity:
    """dn/dx_F of one particle per inelastic collision at one beam momentum."""

    particle: str
    p_lab_GeV: float  #: beam momentum [GeV/c]
    x_F: np.ndarray
    dn_dxF: np.ndarray
    stat_error: np.ndarray
    reference: str

    def multiplicity(self) -> float:
        """Mean multiplicity 2 Integral_0^max dn/dx_F dx_F, with monotone (PCHIP) interpolation of
        ln dn/dx_F between the points; the trapezoidal rule differs by ~1 % (3.06 against 3.02
        for NA49 pi+), which is the integration uncertainty."""
        return 2.0 * self.moment(0.0)

    def moment(self, power: float) -> float:
        """Integral over the measured x_F >= 0 of x_F^power dn/dx_F."""
        from scipy.integrate import quad
        from scipy.interpolate import PchipInterpolator

        log_density = PchipInterpolator(self.x_F, np.log(self.dn_dxF))
        return quad(lambda x: x**power * np.exp(log_density(x)), self.x_F[0], self.x_F[-1], limit=200)[0]


NA49_PI_PLUS_158 = FeynmanXDensity(
    particle="pi+",
    p_lab_GeV=158.0,
    x_F=np.array([0.0, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85]),
    dn_dxF=np.array([20.959, 19.64, 16.348, 13.344, 9.134, 6.084, 4.353, 2.502, 1.549, 1.007, 0.6325, 0.4061,
                     0.1745, 0.0792, 0.0309, 0.0095, 0.0023]),
    stat_error=np.array([0.0293, 0.0255, 0.0196, 0.0160, 0.0110, 0.0073, 0.0052, 0.0030, 0.0022, 0.0020, 0.0016,
                         0.0011, 0.0005, 0.0005, 0.0003, 0.0002, 0.0001]),
    reference="C. Alt et al. (NA49), EPJC 45, 343 (2006), hep-ex/0510009, Table 6; HEPData ins694016 t24",
)
