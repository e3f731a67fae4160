"""The force-field approximation of solar modulation (Gleeson & Axford 1968).

Physics
-------
In the force-field limit of the Parker equation (diffusion balances convection, the
streaming flux vanishes) the phase-space density ``f(r, p)`` is constant along curves on
which the *total energy per unit charge* changes by the modulation potential ``phi``.
Between the heliopause and Earth every particle of charge number ``Z`` therefore loses the
total energy

    Phi_Z = |Z| e phi                                                         (1)

and, because ``f ∝ Phi(T) / p^2`` is conserved (Liouville), the top-of-atmosphere (TOA)
intensity at kinetic energy ``T`` is (Gleeson & Axford 1968, ApJ 154, 1011, Eq. 11)

    Phi_TOA(T) = Phi_LIS(T + Phi_Z) * T (T + 2m) / ((T + Phi_Z)(T + Phi_Z + 2m))   (2)

where the last factor is ``p^2(T) / p^2(T + Phi_Z)``.  Conventions of this package:

* ``T`` is the kinetic energy of the **whole particle or nucleus** [GeV] and ``m`` its
  rest mass [GeV]; ``phi`` is in GV (internal unit, ``positrons.units.GV = 1``).
* ``Phi_Z = |Z| phi`` [GeV] *per particle*.  For a nucleus of mass number ``A`` this is the
  familiar shift ``|Z| phi / A`` of the kinetic energy *per nucleon*; written per particle
  no ``A`` appears.  For e+ and e- ``Phi_Z = phi`` (charge-sign independent: the force
  field has no drifts).
* Fluxes are per unit kinetic energy (any unit: Eq. 2 is linear).

Particle number is *not* conserved (adiabatic losses move particles to lower energy and
the factor in Eq. 2 is not a Jacobian ``dT'/dT = 1``); phase-space density is conserved:
``Phi_TOA(T)/p(T)^2 = Phi_LIS(T')/p(T')^2`` with ``T' = T + Phi_Z``.  Composition is exact:
modulating with ``phi_1`` and then ``phi_2`` equals modulating with ``phi_1 + phi_2``
(Eq. 2 is a shift of total energy).

Interpolation of a tabulated LIS
--------------------------------
A LIS given as arrays ``(T_grid, flux_grid)`` is interpolated linearly in
``(ln T, ln Phi)`` (:class:`LogLogSpectrum`; exact for a power law).  Eq. 2 reads the LIS at
``T + Phi_Z``, i.e. *above* the requested energy, so at the upper edge of the grid it
would read past the table.  Two rules, chosen with ``extrapolate=``:

* ``"power-law"`` (default): above the last grid point the LIS continues as the power law
  through the last two points, ``Phi(T) = Phi_n (T/T_n)^s`` with
  ``s = ln(Phi_n/Phi_{n-1}) / ln(T_n/T_{n-1})``.  Above a few GeV, where this matters for a
  shift of ~0.5 GeV, cosmic-ray spectra are power laws to a good approximation.
* ``"nan"``: points that would need the LIS above the grid are NaN.

Below the first grid point the LIS is always NaN (never extrapolated).

Inverse (TOA -> LIS)
--------------------
Eq. 2 inverts pointwise: ``Phi_LIS(T) = Phi_TOA(T - Phi_Z) p^2(T)/p^2(T - Phi_Z)``, defined
for ``T > Phi_Z`` and, for a tabulated TOA spectrum on ``T_i``, exactly on the shifted grid
``T_i + Phi_Z`` (interpolated between, NaN below ``T_1 + Phi_Z``: the LIS below ``Phi_Z``
never reaches Earth, so it cannot be recovered).

Uncertainty band
----------------
:func:`modulate_band` evaluates Eq. 2 at ``phi``, ``phi - dphi`` (clipped at 0) and
``phi + dphi`` and returns ``(central, low, high)`` with ``low``/``high`` the *pointwise*
minimum/maximum of the three (default ``dphi = 0.1`` GV, the typical uncertainty of
published ``phi`` values).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.interpolate import PchipInterpolator

from .. import kinematics as kin

__all__ = [
    "DEFAULT_DELTA_PHI",
    "EXTRAPOLATIONS",
    "ForceField",
    "LogLogSpectrum",
    "as_spectrum",
    "charge_shift",
    "demodulate",
    "force_field_factor",
    "modulate",
    "modulate_band",
    "phase_space_density",
    "phi_value",
]

#: default half-width of the phi band [GV]
DEFAULT_DELTA_PHI = 0.1
#: rules for reading a tabulated LIS above its last point
EXTRAPOLATIONS = ("power-law", "nan")

Spectrum = Callable[[np.ndarray], np.ndarray]


def phi_value(phi) -> float:
    """``phi`` as a float in GV; accepts a float (GV) or an astropy Quantity in volts."""
    if hasattr(phi, "unit") and hasattr(phi, "to_value"):
        phi = phi.to_value("GV")
    phi = float(phi)
    if not np.isfinite(phi):
        raise ValueError(f"the modulation potential must be finite (got {phi})")
    return phi


class LogLogSpectrum:
    """A positive spectrum on a grid, interpolated in (ln T, ln Phi) by a monotone cubic
    (PCHIP: Fritsch & Carlson 1980, SIAM J. Numer. Anal. 17, 238): exact for power laws and for
    broken power laws away from the break, third order for smooth spectra, and never
    overshooting the tabulated values.  (Linear interpolation in log-log is second order: at
    16 points per decade its error on the curved e+ spectra near 1-5 GeV reaches ~0.3 %, which
    a poorly fitting background amplifies several times.)

    Parameters
    ----------
    T : array, strictly increasing, > 0
        Kinetic energies [GeV].
    flux : array, > 0, finite
        Spectrum values at ``T`` (any unit).
    extrapolate : ``"power-law"`` or ``"nan"``
        Rule above ``T[-1]`` (module docstring).  Below ``T[0]`` the result is NaN.
    """

    def __init__(self, T, flux, extrapolate: str = "power-law"):
        T = np.asarray(T, dtype=float)
        flux = np.asarray(flux, dtype=float)
        if T.ndim != 1 or T.shape != flux.shape or T.size < 2:
            raise ValueError("a tabulated spectrum needs 1-d energy and flux arrays of equal length >= 2")
        if not (np.all(np.isfinite(T)) and np.all(T > 0)):
            raise ValueError("the energies of a tabulated spectrum must be finite and > 0")
        if np.any(np.diff(T) <= 0):
            raise ValueError("the energies of a tabulated spectrum must be strictly increasing")
        if not (np.all(np.isfinite(flux)) and np.all(flux > 0)):
            raise ValueError("a tabulated spectrum must be finite and > 0 (it is interpolated in log-log)")
        if extrapolate not in EXTRAPOLATIONS:
            raise ValueError(f"extrapolate must be one of {EXTRAPOLATIONS} (got {extrapolate!r})")
        self.T = T
        self.flux = flux
        self.extrapolate = extrapolate
        self._lnT = np.log(T)
        self._lnF = np.log(flux)
        self._cubic = PchipInterpolator(self._lnT, self._lnF, extrapolate=False)
        #: power-law index through the last two points (used above the grid)
        self.upper_index = (self._lnF[-1] - self._lnF[-2]) / (self._lnT[-1] - self._lnT[-2])

    def __call__(self, T) -> np.ndarray:
        T = np.asarray(T, dtype=float)
        out = np.full(T.shape, np.nan)
        positive = T > 0
        lnT = np.log(np.where(positive, T, 1.0))
        inside = positive & (T >= self.T[0]) & (T <= self.T[-1])
        out[inside] = np.exp(self._cubic(np.clip(lnT[inside], self._lnT[0], self._lnT[-1])))
        if self.extrapolate == "power-law":
            above = positive & (T > self.T[-1])
            out[above] = np.exp(self._lnF[-1] + self.upper_index * (lnT[above] - self._lnT[-1]))
        return out


def as_spectrum(lis, extrapolate: str = "power-law") -> Spectrum:
    """A callable ``Phi(T)`` from a callable or an ``(T, flux)`` pair of arrays."""
    if extrapolate not in EXTRAPOLATIONS:
        raise ValueError(f"extrapolate must be one of {EXTRAPOLATIONS} (got {extrapolate!r})")
    if callable(lis):
        return lambda T: np.asarray(lis(np.asarray(T, dtype=float)), dtype=float)
    try:
        T, flux = lis
    except (TypeError, ValueError):
        raise TypeError("a spectrum is a callable Phi(T) or a pair of arrays (T [GeV], Phi)") from None
    return LogLogSpectrum(T, flux, extrapolate=extrapolate)


def charge_shift(phi, species="positron") -> float:
    """Total-energy shift ``Phi_Z = |Z| phi`` [GeV] of a whole particle (Eq. 1)."""
    return kin.get_species(species).abs_charge * phi_value(phi)


def force_field_factor(T, Phi_Z: float, mass: float):
    """Kernel of Eq. 2: ``(T + Phi_Z, T(T + 2m) / ((T + Phi_Z)(T + Phi_Z + 2m)))``.

    ``T`` and ``mass`` in GeV, ``Phi_Z`` the total-energy shift in GeV (may be negative for
    the inverse map; then the factor is NaN where ``T + Phi_Z <= 0``).
    """
    T = np.asarray(T, dtype=float)
    T_lis = T + Phi_Z
    with np.errstate(invalid="ignore", divide="ignore"):
        factor = T * (T + 2.0 * mass) / (T_lis * (T_lis + 2.0 * mass))
    factor = np.where(T_lis > 0, factor, np.nan)
    return T_lis, factor


def modulate(T, lis, phi, species="positron", extrapolate: str = "power-law") -> np.ndarray:
    """TOA spectrum at kinetic energies ``T`` [GeV] from the LIS (Eq. 2).

    Parameters
    ----------
    T : array
        Kinetic energies of the whole particle [GeV] at which the TOA flux is wanted.
    lis : callable or (T_grid, flux_grid)
        The local interstellar spectrum per unit kinetic energy (any flux unit).
    phi : float or Quantity
        Force-field modulation potential [GV], >= 0.
    species : str or :class:`positrons.kinematics.Species`
        Sets ``m`` and ``|Z|`` (``Phi_Z = |Z| phi``).
    extrapolate : ``"power-law"`` or ``"nan"``
        Rule for a tabulated LIS above its grid (module docstring).
    """
    phi = phi_value(phi)
    if phi < 0:
        raise ValueError(f"the modulation potential must be >= 0 GV (got {phi}); use demodulate() for the inverse")
    sp = kin.get_species(species)
    T_lis, factor = force_field_factor(T, sp.abs_charge * phi, sp.mass)
    return as_spectrum(lis, extrapolate)(T_lis) * factor


def demodulate(T, toa, phi, species="positron", extrapolate: str = "power-law") -> np.ndarray:
    """LIS at kinetic energies ``T`` [GeV] from a TOA spectrum: the inverse of Eq. 2.

    ``Phi_LIS(T) = Phi_TOA(T - Phi_Z) p^2(T) / p^2(T - Phi_Z)``; NaN where ``T <= Phi_Z`` (never
    observable at Earth) and, for a tabulated TOA spectrum on ``T_i``, where
    ``T - Phi_Z < T_1`` (below the shifted grid).  On ``T = T_i + Phi_Z`` it is exact.
    """
    phi = phi_value(phi)
    if phi < 0:
        raise ValueError(f"the modulation potential must be >= 0 GV (got {phi})")
    sp = kin.get_species(species)
    T_toa, factor = force_field_factor(T, -sp.abs_charge * phi, sp.mass)
    spectrum = as_spectrum(toa, extrapolate)
    with np.errstate(invalid="ignore", divide="ignore"):
        values = spectrum(np.where(T_toa > 0, T_toa, np.nan))
    return np.where(T_toa > 0, values * factor, np.nan)


def modulate_band(T, lis, phi, delta_phi=DEFAULT_DELTA_PHI, species="positron", extrapolate: str = "power-law"):
    """``(central, low, high)`` TOA spectra for ``phi`` and ``phi -/+ delta_phi`` [GV].

    ``low``/``high`` are the pointwise minimum/maximum of the spectra at ``phi - delta_phi``
    (clipped at 0 GV), ``phi`` and ``phi + delta_phi``; for a LIS that falls with energy
    the largest ``phi`` gives the lowest flux, but near a spectral peak the ordering can
    change, hence the pointwise extremes.
    """
    phi = phi_value(phi)
    delta_phi = phi_value(delta_phi)
    if delta_phi < 0:
        raise ValueError(f"delta_phi must be >= 0 GV (got {delta_phi})")
    spectrum = as_spectrum(lis, extrapolate)
    central = modulate(T, spectrum, phi, species)
    variants = np.stack(
        [central, modulate(T, spectrum, max(phi - delta_phi, 0.0), species), modulate(T, spectrum, phi + delta_phi, species)]
    )
    return central, np.min(variants, axis=0), np.max(variants, axis=0)


def phase_space_density(T, flux, species="positron") -> np.ndarray:
    """``f ∝ Phi(T) / p^2`` [flux unit / GeV^2]: the quantity Eq. 2 conserves.

    With ``Phi = c p^2 f`` (isotropic distribution, ``Phi`` per unit kinetic energy) this is
    the phase-space density up to the constant ``c``.
    """
    sp = kin.get_species(species)
    p = kin.momentum_from_kinetic(T, sp.mass)
    return np.asarray(flux, dtype=float) / p**2


@dataclass(frozen=True)
class ForceField:
    """Force-field modulation with potential ``phi`` [GV] for one species.

    A frozen record around the kernels of this module: ``ForceField(0.55).modulate(T, lis)``
    is :func:`modulate` with those parameters; :meth:`band` gives ``(central, low, high)``
    for ``phi -/+ delta_phi``.
    """

    phi: float
    species: str | kin.Species = "positron"
    delta_phi: float = DEFAULT_DELTA_PHI
    extrapolate: str = "power-law"

    def __post_init__(self):
        object.__setattr__(self, "phi", phi_value(self.phi))
        object.__setattr__(self, "delta_phi", phi_value(self.delta_phi))
        kin.get_species(self.species)
        if self.phi < 0 or self.delta_phi < 0:
            raise ValueError("phi and delta_phi must be >= 0 GV")
        if self.extrapolate not in EXTRAPOLATIONS:
            raise ValueError(f"extrapolate must be one of {EXTRAPOLATIONS}")

    @property
    def shift(self) -> float:
        """``Phi_Z = |Z| phi`` [GeV]."""
        return charge_shift(self.phi, self.species)

    def modulate(self, T, lis) -> np.ndarray:
        return modulate(T, lis, self.phi, self.species, self.extrapolate)

    def demodulate(self, T, toa) -> np.ndarray:
        return demodulate(T, toa, self.phi, self.species, self.extrapolate)

    def band(self, T, lis):
        return modulate_band(T, lis, self.phi, self.delta_phi, self.species, self.extrapolate)
