"""The residual atmosphere along a drift shell: density and composition.

Two atmospheres share one small interface (``mass_density`` and ``mass_fractions`` at
arrays of geographic longitude/latitude [deg] and altitude [km]):

* :class:`MSISAtmosphere` -- NRL MSIS through the ``pymsis`` package: MSIS 2.1 (Emmert et
  al. 2022, Earth Space Sci. 9, e2022EA002219; the default) or NRLMSISE-00 (Picone et al.
  2002, JGR 107, 1468; ``version=0``).  Solar and geomagnetic activity are passed
  explicitly (F10.7 of the previous day, its 81-day mean, daily Ap), so nothing is
  downloaded.  Needs ``pip install pymsis``.
* :class:`ExponentialAtmosphere` -- ``rho(h) = rho_ref exp(-(h - h_ref)/H)``, an analytic
  atmosphere for tests and for users without ``pymsis``; it has no default parameters (an
  isothermal atmosphere is a poor fit between 400 and 1500 km, where the dominant species
  changes from O to He: pick the numbers for your altitude range).

:func:`drift_shell_density` averages an atmosphere over the drift shell of ``L`` in the
dipole of :mod:`positrons.magnetosphere.dipole`; the definition of the average is in its
docstring.

Units: mass density in g cm^-3 (MSIS gives kg m^-3 and number densities in m^-3, converted
with :mod:`positrons.units`), altitudes in km, angles in degrees at this interface.  Atom
masses are the IUPAC standard atomic weights of :data:`positrons.constants.ELEMENTS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .. import constants as const
from .. import units as u
from . import dipole

#: the elements MSIS reports (molecules split into atoms); their data in ``constants.ELEMENTS``
MSIS_ELEMENTS = ("H", "He", "N", "O", "Ar")


@dataclass(frozen=True)
class MSISAtmosphere:
    """NRL MSIS at fixed solar/geomagnetic activity and date (module docstring).

    Parameters
    ----------
    f107, f107a : float
        Daily F10.7 of the previous day and its 81-day centred mean [sfu]; default 150
        (moderate activity).
    ap : float
        Daily Ap index, also used for the seven 3-hour slots MSIS asks for; default 4 (quiet).
    date : str
        ISO date and UT (season and UT of the evaluation); default the March equinox 2000.
    version : float
        MSIS version: 2.1 (default), 2.0, or 0 (NRLMSISE-00).
    """

    f107: float = 150.0
    f107a: float = 150.0
    ap: float = 4.0
    date: str = "2000-03-20T12:00"
    version: float = 2.1

    def __post_init__(self):
        for name in ("f107", "f107a", "ap"):
            value = getattr(self, name)
            if not np.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
        if self.version not in (0, 2.0, 2.1):
            raise ValueError(f"MSIS version must be 0 (NRLMSISE-00), 2.0 or 2.1, got {self.version!r}")

    @property
    def description(self) -> str:
        name = "NRLMSISE-00" if self.version == 0 else f"MSIS {self.version}"
        return f"{name} (F10.7 = {self.f107:g}, F10.7a = {self.f107a:g}, Ap = {self.ap:g}, {self.date} UT)"

    def _run(self, lon, lat, alt_km):
        try:
            import pymsis
        except ImportError:  # pragma: no cover - depends on the environment
            raise ValueError(
                "the MSIS atmosphere needs the 'pymsis' package (pip install pymsis); "
                "or pass a fixed density or an ExponentialAtmosphere"
            ) from None
        lon, lat, alt = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (lon, lat, alt_km)))
        n = lon.size
        out = pymsis.calculate(
            np.full(n, np.datetime64(self.date)), lon.ravel(), lat.ravel(), alt.ravel(),
            f107s=np.full(n, float(self.f107)), f107as=np.full(n, float(self.f107a)),
            aps=np.full((n, 7), float(self.ap)), version=self.version,
        )
        return out.reshape(lon.shape + (out.shape[-1],)), pymsis.Variable

    def mass_density(self, lon, lat, alt_km):
        """Total mass density [g cm^-3] at geographic lon, lat [deg] and altitude [km]."""
        out, var = self._run(lon, lat, alt_km)
        return out[..., var.MASS_DENSITY] * (u.kg / u.m**3)  # kg m^-3 -> g cm^-3

    def element_mass_densities(self, lon, lat, alt_km) -> dict:
        """Mass density [g cm^-3] of each element (H, He, N, O, Ar; molecules split into atoms)."""
        out, var = self._run(lon, lat, alt_km)
        nd = {k: np.nan_to_num(out[..., getattr(var, k)]) for k in ("N2", "O2", "O", "HE", "H", "AR", "N", "ANOMALOUS_O")}
        atoms = {
            "H": nd["H"],
            "He": nd["HE"],
            "N": 2 * nd["N2"] + nd["N"],
            "O": 2 * nd["O2"] + nd["O"] + nd["ANOMALOUS_O"],
            "Ar": nd["AR"],
        }
        # number density m^-3 -> cm^-3, times the atom mass [g]
        return {el: n / u.m**3 * const.element(el).atom_mass_g for el, n in atoms.items()}


@dataclass(frozen=True)
class ExponentialAtmosphere:
    """``rho(h) = rho_ref exp(-(h - h_ref) / H)`` [g cm^-3], the same at every lon and lat.

    ``composition`` gives the (constant) mass fractions by element; default pure oxygen,
    the dominant species between ~200 and ~600 km.
    """

    rho_ref: float
    h_ref_km: float
    scale_height_km: float
    composition: dict = field(default_factory=lambda: {"O": 1.0})

    def __post_init__(self):
        if not (self.rho_ref > 0 and self.scale_height_km > 0):
            raise ValueError("ExponentialAtmosphere needs rho_ref > 0 and scale_height_km > 0")
        unknown = set(self.composition) - set(const.ELEMENTS)
        if unknown:
            raise ValueError(f"unknown elements {sorted(unknown)}; known: {sorted(const.ELEMENTS)}")

    @property
    def description(self) -> str:
        return (f"exponential atmosphere rho = {self.rho_ref:.3g} g/cm^3 at {self.h_ref_km:g} km, "
                f"scale height {self.scale_height_km:g} km")

    def mass_density(self, lon, lat, alt_km):
        lon, lat, alt = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (lon, lat, alt_km)))
        return self.rho_ref * np.exp(-(alt - self.h_ref_km) / self.scale_height_km)

    def element_mass_densities(self, lon, lat, alt_km) -> dict:
        rho = self.mass_density(lon, lat, alt_km)
        total = sum(self.composition.values())
        return {el: rho * f / total for el, f in self.composition.items()}


@dataclass(frozen=True)
class ShellDensity:
    """Mean density [g cm^-3] and mean composition (mass fractions) over a drift shell."""

    L: float
    density: float
    mass_fractions: dict
    mirror_altitude_km: float
    equatorial_altitude_km: float
    atmosphere: str

    @property
    def description(self) -> str:
        return (f"rho = {self.density:.3g} g/cm^3: drift-shell average at L = {self.L:g} for particles mirroring at "
                f"{self.mirror_altitude_km:.0f} km (equator crossing {self.equatorial_altitude_km:.0f} km), "
                f"{self.atmosphere}")


def drift_shell_density(L: float, atmosphere, mirror_altitude_km: float | None = None,
                        n_longitude: int = 24, n_bounce: int = dipole.BOUNCE_NODES) -> ShellDensity:
    """Density averaged over the drift shell of ``L`` for particles mirroring at a given altitude.

    Definition (centred axis-aligned dipole, :mod:`~positrons.magnetosphere.dipole`)::

        <rho> = (1/2pi) Integral dphi  Integral rho(phi, lam, h(lam)) ds/v_par / Integral ds/v_par

    * the bounce average runs along the field line between the mirror points +-lam_m,
      weighted by the time spent (``ds / sqrt(1 - B/B_m)``, :func:`dipole.bounce_nodes`),
      each latitude taken in both hemispheres;
    * the drift average is uniform in longitude at the fixed UT of the atmosphere's date:
      a drift period (about a minute for 30 MeV e+- at L = 1.2) is much shorter than
      any change of the atmosphere, and the longitudes sample all local times.
    * ``mirror_altitude_km=None`` (default) means equatorially mirroring particles
      (pitch angle 90 deg): the longitude average at the equatorial crossing altitude
      ``(L - 1) R_E``.  A lower mirror altitude weights the denser air near the mirror
      points and raises the average steeply.

    The mass fractions are the grammage-weighted ones, ``<rho_el>/<rho>``.
    """
    L = float(L)
    h_eq = float(dipole.equatorial_altitude_km(L))
    h_m = h_eq if mirror_altitude_km is None else float(mirror_altitude_km)
    lam_m = float(dipole.mirror_latitude(L, h_m))
    lam, w = dipole.bounce_nodes(L, lam_m, n_bounce)
    lon = np.arange(n_longitude) * (360.0 / n_longitude)
    lat_deg = np.degrees(np.concatenate([lam, -lam]))
    weights = np.concatenate([w, w]) / 2.0
    alt = np.concatenate([dipole.altitude_km(L, lam)] * 2)
    LON, LAT = np.meshgrid(lon, lat_deg, indexing="ij")
    ALT = np.broadcast_to(alt, LAT.shape)
    per_element = atmosphere.element_mass_densities(LON, LAT, ALT)
    mean = {el: float(np.mean(np.sum(rho * weights, axis=1))) for el, rho in per_element.items()}
    total = sum(mean.values())
    if not total > 0:
        raise ValueError(f"the atmosphere has zero density on the drift shell of L = {L:g}")
    return ShellDensity(
        L=L, density=total, mass_fractions={el: v / total for el, v in mean.items() if v > 0},
        mirror_altitude_km=h_m, equatorial_altitude_km=h_eq,
        atmosphere=getattr(atmosphere, "description", type(atmosphere).__name__),
    )
