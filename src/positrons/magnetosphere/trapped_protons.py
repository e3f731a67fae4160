"""Trapped-proton spectra of the inner belt.

* :func:`martin1995_l12` -- the integral flux at the top (magnetic equator) of L = 1.2
  used by Martin et al. (1995), from Vette et al. (1978) / AP-8.  The
  points at 100, 200 and 300 MeV are AP-8 MIN at B/B_0 = 1 (within 1 %, checked in the
  tests when spacepy is installed); 400-1000 MeV lie beyond AP-8's range.
* :func:`ap8_scaled` -- the same table moved to another shell with AP-8 (spacepy's IRBEM
  interface, offline): multiplied at each energy by ``J_AP8(L, E) / J_AP8(1.2, E)``, the
  ratio taken at 100, 200, 300 MeV (AP-8 gives no integral flux above ~300 MeV) and held
  at its 300 MeV value above.  An extrapolation: it assumes the spectral shape above
  300 MeV does not change with L.
* :func:`proton_spectrum_for_shell` -- the dispatcher: the table at L = 1.2, AP-8 scaling
  only when asked for, and an error otherwise (nothing is rescaled silently).

:class:`IntegralProtonSpectrum` turns an integral-flux table into a smooth spectrum:
monotone piecewise-cubic (PCHIP, Fritsch & Carlson 1980) interpolation of ln J against
ln E, which keeps J decreasing so the differential flux ``-dJ/dE`` is never negative, and
power laws beyond the table with the slope of the end segments, up to ``E_max``.

Units: proton kinetic energy T [GeV] (the tables are quoted in MeV), omnidirectional
integral flux J(>T) [m^-2 s^-1], differential flux [m^-2 s^-1 GeV^-1]; the intensity per
steradian is ``dJ/dT / (4 pi)`` for an isotropic distribution (the pitch-angle
distribution of trapped protons is not isotropic: this is an approximation).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from scipy.interpolate import PchipInterpolator

from .. import units as u

#: proton kinetic energies [MeV] and integral fluxes J(>E) [m^-2 s^-1] at the top of L = 1.2
#: (Martin et al. 1995 after Vette et al. 1978)
MARTIN1995_L12_ENERGIES_MEV = (100.0, 200.0, 300.0, 400.0, 600.0, 1000.0)
MARTIN1995_L12_INTEGRAL_FLUX = (2.1e7, 9.3e6, 4.1e6, 1.8e6, 1.0e6, 3.0e5)
#: the shell of the table
TABLE_L = 1.2
#: energies [MeV] where AP-8 gives an integral proton flux used for the L scaling
AP8_ENERGIES_MEV = (100.0, 200.0, 300.0)
#: default upper end of the trapped-proton spectrum [GeV] (production above is neglected)
DEFAULT_E_MAX = 10.0


@dataclass(frozen=True)
class IntegralProtonSpectrum:
    """A trapped-proton spectrum given as an integral-flux table (module docstring).

    Parameters
    ----------
    energies : tuple of float
        Proton kinetic energies [GeV], increasing.
    integral_flux : tuple of float
        Omnidirectional integral flux J(>T) [m^-2 s^-1], decreasing and positive.
    L : float
        The shell the spectrum belongs to.
    description : str
        Where it comes from.
    E_max : float
        Kinetic energy [GeV] above which the spectrum is taken to be zero.
    """

    energies: tuple
    integral_flux: tuple
    L: float
    description: str
    E_max: float = DEFAULT_E_MAX

    def __post_init__(self):
        E = np.asarray(self.energies, dtype=float)
        J = np.asarray(self.integral_flux, dtype=float)
        if E.ndim != 1 or E.shape != J.shape or E.size < 2:
            raise ValueError("energies and integral_flux must be 1-D of the same length >= 2")
        if np.any(~np.isfinite(E)) or np.any(E <= 0) or np.any(np.diff(E) <= 0):
            raise ValueError("proton energies must be positive and increasing")
        if np.any(~np.isfinite(J)) or np.any(J <= 0) or np.any(np.diff(J) >= 0):
            raise ValueError("an integral flux must be positive and strictly decreasing with energy")
        if not self.E_max > E[-1]:
            raise ValueError(f"E_max = {self.E_max} GeV must lie above the last tabulated energy {E[-1]} GeV")

    @cached_property
    def _log_interp(self):
        return PchipInterpolator(np.log(self.energies), np.log(self.integral_flux), extrapolate=False)

    def _slopes(self):
        lnE, lnJ = np.log(self.energies), np.log(self.integral_flux)
        return (lnJ[1] - lnJ[0]) / (lnE[1] - lnE[0]), (lnJ[-1] - lnJ[-2]) / (lnE[-1] - lnE[-2])

    def integral(self, T):
        """J(>T) [m^-2 s^-1] at kinetic energy T [GeV] (before the cut at ``E_max``)."""
        T = np.asarray(T, dtype=float)
        lnT = np.log(np.maximum(T, 1e-300))
        E, J = self.energies, self.integral_flux
        s_lo, s_hi = self._slopes()
        inner = self._log_interp(np.clip(lnT, np.log(E[0]), np.log(E[-1])))
        out = np.where(T < E[0], np.log(J[0]) + s_lo * (lnT - np.log(E[0])), inner)
        out = np.where(T > E[-1], np.log(J[-1]) + s_hi * (lnT - np.log(E[-1])), out)
        return np.exp(out)

    def differential(self, T):
        """Omnidirectional differential flux ``-dJ/dT`` [m^-2 s^-1 GeV^-1]; zero above ``E_max``."""
        T = np.asarray(T, dtype=float)
        lnT = np.log(np.maximum(T, 1e-300))
        E = self.energies
        s_lo, s_hi = self._slopes()
        dlnJ = self._log_interp.derivative()(np.clip(lnT, np.log(E[0]), np.log(E[-1])))
        dlnJ = np.where(T < E[0], s_lo, np.where(T > E[-1], s_hi, dlnJ))
        return np.where((T > 0) & (T <= self.E_max), -dlnJ * self.integral(T) / np.maximum(T, 1e-300), 0.0)

    def intensity(self, T):
        """Directional intensity [m^-2 s^-1 sr^-1 GeV^-1] for an isotropic distribution: ``-dJ/dT / 4 pi``."""
        return self.differential(T) / (4.0 * np.pi)


def martin1995_l12(E_max: float = DEFAULT_E_MAX) -> IntegralProtonSpectrum:
    """The L = 1.2 trapped-proton integral spectrum of Martin et al. (1995) after Vette et al. (1978)."""
    return IntegralProtonSpectrum(
        energies=tuple(e * u.MeV for e in MARTIN1995_L12_ENERGIES_MEV),
        integral_flux=MARTIN1995_L12_INTEGRAL_FLUX,
        L=TABLE_L,
        description="trapped protons at the top of L = 1.2 (Vette et al. 1978 / AP-8, as in Martin et al. 1995)",
        E_max=E_max,
    )


def ap8_integral_flux(L: float, energies_mev=AP8_ENERGIES_MEV, model: str = "min"):
    """AP-8 omnidirectional integral proton flux [m^-2 s^-1] at the equator (B/B_0 = 1) of ``L``.

    Through ``spacepy.irbempy.get_AEP8`` (IRBEM library; Sawyer & Vette 1976, NSSDC 76-06),
    which needs no time or network when given ``[B/B_0, L]``.  ``model`` is ``"min"`` or
    ``"max"`` (solar minimum or maximum).
    """
    if model not in ("min", "max"):
        raise ValueError(f"AP-8 model must be 'min' or 'max', got {model!r}")
    try:
        import spacepy.irbempy as irbem
    except ImportError:  # pragma: no cover - depends on the environment
        raise ValueError("AP-8 needs the 'spacepy' package (pip install spacepy)") from None
    flux = np.array([irbem.get_AEP8(float(e), [1.0, float(L)], model=model, fluxtype="INT", particles="p")
                     for e in energies_mev], dtype=float)
    return flux * u.m**2  # cm^-2 s^-1 -> m^-2 s^-1


def ap8_scaled(L: float, model: str = "min", E_max: float = DEFAULT_E_MAX) -> IntegralProtonSpectrum:
    """The L = 1.2 table moved to shell ``L`` with the AP-8 ratio (module docstring)."""
    ratio = ap8_integral_flux(L, model=model) / ap8_integral_flux(TABLE_L, model=model)
    if np.any(~np.isfinite(ratio)) or np.any(ratio <= 0):
        raise ValueError(
            f"AP-8 {model.upper()} has no trapped protons of 100-300 MeV at the equator of L = {L:g} "
            "(the shell lies in the atmosphere's loss region); supply a proton spectrum instead"
        )
    table = martin1995_l12(E_max)
    E_mev = np.asarray(MARTIN1995_L12_ENERGIES_MEV)
    scale = np.interp(np.log(E_mev), np.log(AP8_ENERGIES_MEV), np.log(ratio))  # held constant beyond
    J = np.asarray(table.integral_flux) * np.exp(scale)
    return IntegralProtonSpectrum(
        energies=table.energies, integral_flux=tuple(J), L=float(L), E_max=E_max,
        description=f"trapped protons at the top of L = {L:g}: the L = 1.2 table times the AP-8 {model.upper()} "
        f"ratio J(L)/J(1.2) at 100-300 MeV (held above 300 MeV)",
    )


PROTON_SOURCES = ("table", "ap8-min", "ap8-max")


def proton_spectrum_for_shell(L: float, source: str = "table", E_max: float = DEFAULT_E_MAX) -> IntegralProtonSpectrum:
    """The trapped-proton spectrum of shell ``L`` from ``source`` (``PROTON_SOURCES``).

    ``"table"`` exists only for L = 1.2 and is refused elsewhere; ``"ap8-min"`` /
    ``"ap8-max"`` scale it with AP-8 (:func:`ap8_scaled`).
    """
    if source == "table":
        if abs(L - TABLE_L) > 1e-9:
            raise ValueError(
                f"the trapped-proton table of Martin et al. (1995) is for L = 1.2 only (asked L = {L:g}); "
                "use the AP-8 scaling (ap8-min/ap8-max) or supply a proton spectrum"
            )
        return martin1995_l12(E_max)
    if source in ("ap8-min", "ap8-max"):
        return ap8_scaled(L, model=source.split("-")[1], E_max=E_max)
    raise ValueError(f"unknown proton source {source!r}; expected one of {', '.join(PROTON_SOURCES)}")
