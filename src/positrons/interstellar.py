r"""The interstellar medium: gas, radiation field and magnetic field as values you pass.

Every ingredient is a frozen dataclass of parameters with pure methods of the galactocentric
cylindrical coordinates ``(R, z)``; nothing is global, nothing is read at import.  The energy-loss
rates (:mod:`positrons.losses`) and the propagation solvers take an :class:`InterstellarMedium`.

Coordinates and units
---------------------
* ``R`` (galactocentric radius) and ``z`` (height above the plane) are in **kpc** -- floats or
  arrays that broadcast against each other; every method returns ``np.broadcast(R, z).shape``.
* gas number densities in **cm^-3** (the internal unit of length is cm); ``n_H2`` counts
  *molecules*;
* radiation energy densities in **GeV cm^-3** (internal unit; ``u / units.eV`` is eV cm^-3);
  temperatures in K;
* magnetic field strengths in **microgauss** (the package has no internal unit for B; the
  field's energy density :meth:`MagneticField.energy_density` is in GeV cm^-3).

Which model to use when
-----------------------
:meth:`InterstellarMedium.default` is the GALPROP-like axisymmetric model:
the gas of Moskalenko et al. (2002) / Strong & Moskalenko (1998) (:class:`GasDistribution`), a
four-component grey-body radiation field (:class:`RadiationField`, local values of Hooper et
al. 2017 by default, ``RadiationField.named("schlickeiser2002")`` for the textbook values) and
the exponential magnetic field of Strong, Moskalenko & Reimer (2000) (:class:`MagneticField`).
Every parameter can be changed by constructing the records yourself; ``dataclasses.replace``
makes variants.  The sources of every number are given where it is defined and collected in
``docs/interstellar.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import scipy.constants as _si

from . import constants as const
from . import units as u

__all__ = [
    "GasDistribution",
    "RadiationComponent",
    "RadiationField",
    "MagneticField",
    "InterstellarMedium",
    "blackbody_energy_density",
    "RADIATION_PRESETS",
]

#: kpc in cm (internal unit of length)
_KPC_CM = u.kpc


def _rz(R_kpc, z_kpc):
    """(R, z) as float arrays broadcast against each other; refuses R < 0."""
    R = np.asarray(R_kpc, dtype=float)
    z = np.asarray(z_kpc, dtype=float)
    if np.any(R < 0):
        raise ValueError("galactocentric radius R must be >= 0 kpc")
    return np.broadcast_arrays(R, z)


# =====================================================================================
# Gas
# =====================================================================================
# --- HI: Gordon & Burton 1976 (ApJ 208, 346) Table 1, as tabulated in GALPROP nH.cc ------
#: ring edges [kpc, on the R0 = 10 kpc scale of the survey]; GB76 Table 1 col. 1
_GB76_EDGES = np.array([0.0, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.0,
                        8.5, 9.0, 9.5, 10.0, 10.5, 11.0, 11.5, 12.0, 12.5, 13.0, 13.5, 14.0,
                        14.5, 15.0, 15.5, 16.0])
#: mean HI density of each ring [cm^-3]; GB76 Table 1 col. 3 (last ring value 0 is unused)
_GB76_DENSITY = np.array([0.10, 0.13, 0.14, 0.16, 0.19, 0.25, 0.30, 0.33, 0.32, 0.31, 0.30,
                          0.37, 0.38, 0.36, 0.32, 0.29, 0.38, 0.40, 0.25, 0.23, 0.32, 0.36,
                          0.32, 0.25, 0.16, 0.10, 0.09, 0.08, 0.06])
#: GB76's mean disc density at 4-8 kpc [cm^-3], the normalisation of their radial profile
_GB76_MEAN_DENSITY = 0.33
#: e-folding length of the HI density beyond the last ring [kpc] (GALPROP nH.cc extrapolation)
_HI_OUTER_SCALE_KPC = 3.0

# --- H2: CO emissivity of Bronfman et al. 1988 (ApJ 324, 248) Table 3 col. 4 ---------------
#: ring centres [kpc, R0 = 10 kpc scale]: 0 (emissivity set to 0 as in Moskalenko et al. 2002),
#: B88 rings 2.25-9.75 kpc, then the outer Galaxy of Wouterloot et al. 1990 (A&A 230, 21)
#: as tabulated in GALPROP nH.cc (v56), which ends at 24.7 kpc.
_CO_RADIUS = np.array([0.0, 2.25, 2.75, 3.25, 3.75, 4.25, 4.75, 5.25, 5.75, 6.25, 6.75, 7.25,
                       7.75, 8.25, 8.75, 9.25, 9.75, 10.6, 11.8, 12.9, 14.1, 15.3, 16.5, 17.6,
                       18.8, 20.0, 21.2, 22.4, 23.5, 24.7])
#: CO volume emissivity [K km s^-1 kpc^-1]
_CO_EMISSIVITY = np.array([0.0, 1.5, 3.3, 5.8, 5.5, 8.4, 9.0, 9.6, 8.6, 9.1, 7.9, 9.2, 7.7,
                           5.0, 3.6, 4.8, 1.7, 1.7, 0.3, 0.9, 0.7, 0.5, 0.21, 0.11, 0.07, 0.05,
                           0.04, 0.003, 0.006, 0.002])


def _gauss_hwhm(z, hwhm):
    """exp(-ln 2 (z / hwhm)^2): a Gaussian of half width at half maximum ``hwhm``."""
    return np.exp(-math.log(2.0) * (z / hwhm) ** 2)


@dataclass(frozen=True)
class GasDistribution:
    r"""Axisymmetric interstellar gas: atomic (HI), molecular (H2) and ionized (HII) hydrogen.

    The model is the one of GALPROP (Strong & Moskalenko 1998, ApJ 509, 212, Sect. 3;
    Moskalenko et al. 2002, ApJ 565, 280, Sect. 2), with every number taken from the
    tables and formulas transcribed in GALPROP's ``nH.cc`` (v56) and checked against the
    references given there:

    **HI** (:meth:`n_HI`) -- radial profile of Gordon & Burton (1976, Table 1 col. 3),
    linearly interpolated between ring centres and continued beyond 15.75 kpc as
    ``Y(15.75) exp(-(R - 15.75)/3 kpc)``, normalised by GB76's mean 4-8 kpc density
    0.33 cm^-3 and multiplied by a z profile: inside 8 kpc that of Dickey & Lockman (1990,
    ARA&A 28, 215)

        f_DL(z) = 0.395 g(z; 0.106) + 0.107 g(z; 0.265) + 0.064 exp(-|z|/0.403 kpc)  [cm^-3],

    ``g(z; h) = exp(-ln2 (z/h)^2)`` (the DL90 Gaussians of FWHM 212 and 530 pc), beyond
    10 kpc the flaring disc of Cox, Kruegel & Mezger (1986, A&A 155, 380)
    ``f_C(z) = 0.57 exp(-(z / (0.0523 kpc exp(0.11 R/kpc)))^2)``, linearly interpolated in
    R between 8 and 10 kpc.  ``n_HI = f(z) Y(R) / 0.33``; at the Sun (R = 8.5 kpc on the
    present scale, i.e. 10 kpc on the survey scale) ``n_HI(z=0) = 0.57 x 0.39/0.33 = 0.67``.

    **H2** (:meth:`n_H2`, molecules cm^-3) -- the CO volume emissivity ``eps(R)`` of
    Bronfman et al. (1988, Table 3 col. 4; 2.25-9.75 kpc, zero at R = 0 as in Moskalenko
    et al. 2002) and, beyond, of Wouterloot et al. (1990) as tabulated in GALPROP v56,
    linearly interpolated, converted with ``X_CO = N(H2)/W(CO) = 1.9e20 cm^-2 (K km/s)^-1``
    (Strong & Mattox 1996, A&A 308, L21):

        n_H2 = eps(R) X_CO / (1 kpc in cm) exp(-ln2 (z/z_h)^2),

    with a half width at half maximum ``z_h = 70 pc`` (the mean of B88 Table 3 col. 10 over
    4-8 kpc is 73 pc; we take the mid-plane ``z0 = 0`` for axial symmetry instead of B88's
    per-ring z0, |z0| < 25 pc).

    **HII** (:meth:`n_HII`) -- the two-component model of Cordes et al. (1991, Nature 354,
    121, Eq. 6 and Table 1), GALPROP's ``nHII_model = 1``:

        n_HII = 0.025 exp(-|z|/1 kpc - (R/20 kpc)^2) + 0.2 exp(-|z|/0.15 kpc - ((R - 4 kpc)/2 kpc)^2).

    **Distance scale.**  Gordon & Burton, Bronfman et al. and Wouterloot et al. place the
    Sun at R0 = 10 kpc.  As GALPROP v56 does, the HI and CO radial tables are read at
    ``R_s = R survey_r_sun / r_sun`` and the CO emissivity (per unit length) is multiplied
    by ``survey_r_sun / r_sun`` (distances shrink by ``r_sun/survey_r_sun``, the integrated
    W(CO) does not).  The HI z profiles (DL90 used R0 = 8.5 kpc) and the Cordes et al. model
    are used as published.  Set ``survey_r_sun_kpc = r_sun_kpc`` to switch the rescaling off.

    **Helium and free electrons.**  ``n_He = he_to_h n_H_total`` (He/H = 0.1 by number,
    as in GALPROP), all helium neutral; the free electrons are those of ionized hydrogen,
    ``n_e = n_HII`` (ionized helium, at most ~10 % of n_e in the warm ionized medium, is
    neglected).

    Near the Sun (R = 8.5 kpc, z = 0) the defaults give n_HI = 0.674, n_H2 = 0.123
    (molecules), n_HII = 0.022, n_H_total = 0.942 cm^-3.
    """

    x_co: float = 1.9e20
    """X_CO [H2 molecules cm^-2 (K km s^-1)^-1] (Strong & Mattox 1996)"""
    h2_hwhm_kpc: float = 0.070
    """half width at half maximum of the H2 layer [kpc]"""
    he_to_h: float = 0.1
    """He/H by number"""
    r_sun_kpc: float = 8.5
    """galactocentric radius of the Sun [kpc]"""
    survey_r_sun_kpc: float = 10.0
    """R0 adopted by the HI and CO surveys [kpc] (GB76, B88, W90)"""
    hii_thick: tuple[float, float, float, float] = (0.025, 1.0, 20.0, 0.0)
    """Cordes et al. 1991 thick component: (n [cm^-3], z scale [kpc], R width [kpc], R centre [kpc])"""
    hii_thin: tuple[float, float, float, float] = (0.2, 0.15, 2.0, 4.0)
    """Cordes et al. 1991 annular component, same layout"""

    def __post_init__(self):
        for name in ("x_co", "h2_hwhm_kpc", "r_sun_kpc", "survey_r_sun_kpc"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be > 0")
        if self.he_to_h < 0:
            raise ValueError("he_to_h must be >= 0")

    # --- components ---------------------------------------------------------------
    @property
    def _scale(self) -> float:
        return self.survey_r_sun_kpc / self.r_sun_kpc

    def n_HI(self, R_kpc, z_kpc):
        """Atomic hydrogen density [cm^-3] (GB76 radial table x DL90/C86 z profiles)."""
        R, z = _rz(R_kpc, z_kpc)
        Rs = R * self._scale
        centres = 0.5 * (_GB76_EDGES[:-1] + _GB76_EDGES[1:])
        radial = np.interp(Rs, centres, _GB76_DENSITY)
        last = centres[-1]
        radial = np.where(Rs > last, _GB76_DENSITY[-1] * np.exp(-(Rs - last) / _HI_OUTER_SCALE_KPC), radial)
        az = np.abs(z)
        f_dl = 0.395 * _gauss_hwhm(z, 0.212 / 2) + 0.107 * _gauss_hwhm(z, 0.530 / 2) + 0.064 * np.exp(-az / 0.403)
        f_cox = 0.57 * np.exp(-((z / (0.0523 * np.exp(0.11 * Rs))) ** 2))
        w = np.clip((Rs - 8.0) / 2.0, 0.0, 1.0)
        return (f_dl * (1.0 - w) + f_cox * w) * radial / _GB76_MEAN_DENSITY

    def co_emissivity(self, R_kpc):
        """CO volume emissivity [K km s^-1 kpc^-1] at radius R (kpc, present distance scale)."""
        R = np.asarray(R_kpc, dtype=float)
        Rs = R * self._scale
        eps = np.interp(Rs, _CO_RADIUS, _CO_EMISSIVITY, right=0.0)
        return eps * self._scale

    def n_H2(self, R_kpc, z_kpc):
        """Molecular hydrogen density [H2 molecules cm^-3] (B88/W90 CO, X_CO, Gaussian layer)."""
        R, z = _rz(R_kpc, z_kpc)
        return self.co_emissivity(R) * self.x_co / _KPC_CM * _gauss_hwhm(z, self.h2_hwhm_kpc)

    def n_HII(self, R_kpc, z_kpc):
        """Ionized hydrogen density [cm^-3] (Cordes et al. 1991, two components)."""
        R, z = _rz(R_kpc, z_kpc)
        total = np.zeros(R.shape)
        for n0, hz, width, centre in (self.hii_thick, self.hii_thin):
            total = total + n0 * np.exp(-np.abs(z) / hz - ((R - centre) / width) ** 2)
        return total

    # --- derived --------------------------------------------------------------------
    def n_neutral_H(self, R_kpc, z_kpc):
        """Neutral hydrogen atoms [cm^-3]: n_HI + 2 n_H2."""
        return self.n_HI(R_kpc, z_kpc) + 2.0 * self.n_H2(R_kpc, z_kpc)

    def n_H_total(self, R_kpc, z_kpc):
        """All hydrogen nuclei [cm^-3]: n_HI + 2 n_H2 + n_HII."""
        return self.n_neutral_H(R_kpc, z_kpc) + self.n_HII(R_kpc, z_kpc)

    def n_He(self, R_kpc, z_kpc):
        """Helium atoms [cm^-3]: he_to_h n_H_total (all taken neutral)."""
        return self.he_to_h * self.n_H_total(R_kpc, z_kpc)

    def n_electron_free(self, R_kpc, z_kpc):
        """Free electrons [cm^-3]: n_HII (ionized helium neglected)."""
        return self.n_HII(R_kpc, z_kpc)

    def mass_density(self, R_kpc, z_kpc):
        """Gas mass density [g cm^-3]: n_H_total m_H + n_He m_He (atomic masses, CODATA u)."""
        return self.n_H_total(R_kpc, z_kpc) * (M_H_ATOM_G + self.he_to_h * M_HE_ATOM_G)


#: mass of a hydrogen atom [g]: standard atomic weight (IUPAC, :data:`positrons.constants.ELEMENTS`) x u
M_H_ATOM_G = const.element("H").atom_mass_g
#: mass of a helium atom [g]: standard atomic weight 4.002602 (IUPAC) x u
M_HE_ATOM_G = const.element("He").atom_mass_g


# =====================================================================================
# Radiation
# =====================================================================================
#: radiation constant a = 4 sigma_SB / c [GeV cm^-3 K^-4] (CODATA via scipy): J m^-3 K^-4 -> GeV cm^-3
A_RADIATION = 4.0 * _si.Stefan_Boltzmann / _si.c / _si.e * u.eV / u.m**3


def blackbody_energy_density(temperature_K):
    """Energy density a T^4 of an undiluted black body [GeV cm^-3] at ``temperature_K`` [K]."""
    T = np.asarray(temperature_K, dtype=float)
    return A_RADIATION * T**4


@dataclass(frozen=True)
class RadiationComponent:
    r"""One grey-body component of the interstellar radiation field.

    The photon spectrum is a Planck spectrum of temperature ``temperature_K`` diluted to the
    energy density ``u(R, z)``:
    ``n(eps) = [u(R, z) / (a T^4)] eps^2 / (pi^2 (hbar c)^3 (exp(eps/kT) - 1))``.
    The spatial profile is an exponential disc normalised at the Sun,

        u(R, z) = u_sun exp(-(R - r_sun)/r_scale - |z|/z_scale),

    uniform in a direction whose scale is ``None`` (the CMB).  ``u_sun`` is in GeV cm^-3
    (write ``0.6 * units.eV``).
    """

    name: str
    temperature_K: float
    u_sun: float
    r_scale_kpc: float | None = None
    z_scale_kpc: float | None = None
    r_sun_kpc: float = 8.5

    def __post_init__(self):
        if not self.temperature_K > 0:
            raise ValueError("temperature_K must be > 0")
        if self.u_sun < 0:
            raise ValueError("u_sun must be >= 0")
        for scale in (self.r_scale_kpc, self.z_scale_kpc):
            if scale is not None and not scale > 0:
                raise ValueError("scale lengths must be > 0 (or None for uniform)")

    def energy_density(self, R_kpc, z_kpc):
        """u(R, z) [GeV cm^-3]."""
        R, z = _rz(R_kpc, z_kpc)
        exponent = np.zeros(R.shape)
        if self.r_scale_kpc is not None:
            exponent = exponent - (R - self.r_sun_kpc) / self.r_scale_kpc
        if self.z_scale_kpc is not None:
            exponent = exponent - np.abs(z) / self.z_scale_kpc
        return self.u_sun * np.exp(exponent)

    def dilution(self, R_kpc, z_kpc):
        """u(R, z) / (a T^4): the grey-body dilution factor (1 for an undiluted black body)."""
        return self.energy_density(R_kpc, z_kpc) / blackbody_energy_density(self.temperature_K)

    def photon_density(self, eps, R_kpc=None, z_kpc=None):
        """Photon number density per unit energy [cm^-3 GeV^-1] at photon energy ``eps`` [GeV].

        At the Sun when ``R_kpc``/``z_kpc`` are omitted; otherwise ``eps`` must broadcast
        with ``(R, z)``.
        """
        R = self.r_sun_kpc if R_kpc is None else R_kpc
        z = 0.0 if z_kpc is None else z_kpc
        eps = np.asarray(eps, dtype=float)
        kT = const.k_boltzmann * self.temperature_K
        planck = eps**2 / (math.pi**2 * const.hbar_c**3) / np.expm1(eps / kT)
        return self.dilution(R, z) * planck


#: T_CMB = 2.7255 K (Fixsen 2009, ApJ 707, 916); u = a T^4 = 0.2606 eV cm^-3
T_CMB_K = 2.7255


def _cmb(r_sun_kpc: float) -> RadiationComponent:
    return RadiationComponent("CMB", T_CMB_K, float(blackbody_energy_density(T_CMB_K)), None, None, r_sun_kpc)


#: Assumed exponential-disc scales (r_scale, z_scale) [kpc] of the Galactic components.  NOT
#: fitted: no ISRF table was available offline.  Round numbers chosen so that the stellar
#: field grows ~ e^(8.5/3) ~ 17x towards the Galactic centre and halves ~1.4 kpc above the
#: plane, qualitatively like the GALPROP ISRF (Porter et al. 2008, ApJ 682, 400, Fig. 2);
#: replace them (or the whole component) when a fitted profile is needed.
ASSUMED_DISC_SCALES_KPC = {"infrared": (3.0, 1.5), "stellar": (3.0, 2.0), "ultraviolet": (3.0, 2.0)}


def _galactic(name, T, u_ev, r_sun_kpc, scales_key):
    r_scale, z_scale = ASSUMED_DISC_SCALES_KPC[scales_key]
    return RadiationComponent(name, T, u_ev * u.eV, r_scale, z_scale, r_sun_kpc)


def _hooper2017(r_sun_kpc: float) -> tuple[RadiationComponent, ...]:
    # Hooper, Cholis, Linden & Fang 2017, PRD 96, 103013 (arXiv:1702.08436), Sect. II
    return (
        _cmb(r_sun_kpc),
        _galactic("infrared", 20.0, 0.60, r_sun_kpc, "infrared"),
        _galactic("stellar", 5000.0, 0.60, r_sun_kpc, "stellar"),
        _galactic("ultraviolet", 20000.0, 0.10, r_sun_kpc, "ultraviolet"),
    )


def _schlickeiser2002(r_sun_kpc: float) -> tuple[RadiationComponent, ...]:
    # Schlickeiser 2002, "Cosmic Ray Astrophysics", Sect. 2.3 (grey bodies: dust 20 K 0.4 eV/cm3,
    # G-K stars 5000 K 0.3 eV/cm3); the B-star component is left out (its energy density
    # could not be checked here)
    return (
        _cmb(r_sun_kpc),
        _galactic("infrared", 20.0, 0.40, r_sun_kpc, "infrared"),
        _galactic("stellar", 5000.0, 0.30, r_sun_kpc, "stellar"),
    )


#: named local radiation-field models: name -> factory(r_sun_kpc)
RADIATION_PRESETS = {"hooper2017": _hooper2017, "schlickeiser2002": _schlickeiser2002}


@dataclass(frozen=True)
class RadiationField:
    r"""The interstellar radiation field as a sum of grey-body components.

    Default (``RadiationField.named("hooper2017")``), local values as adopted by Hooper,
    Cholis, Linden & Fang (2017, PRD 96, 103013, Sect. II) for e+- energy losses:

    ============  ==========  ====================  ==================================
    component     T [K]       u_sun [eV cm^-3]      spatial profile
    ============  ==========  ====================  ==================================
    CMB           2.7255      0.2606 (= a T^4)      uniform (Fixsen 2009 temperature)
    infrared      20          0.60                  exp disc, r 3.0 kpc, z 1.5 kpc *
    stellar       5000        0.60                  exp disc, r 3.0 kpc, z 2.0 kpc *
    ultraviolet   20000       0.10                  exp disc, r 3.0 kpc, z 2.0 kpc *
    ============  ==========  ====================  ==================================

    ``*`` assumed scales, not fits (:data:`ASSUMED_DISC_SCALES_KPC`).  The 20000 K
    temperature of the ultraviolet (B-star) component agrees with Schlickeiser & Ruppel
    (2010, NJP 12, 033044): a critical Klein-Nishina energy of 40 GeV =
    0.27 m_e^2 c^4/(k T) for T = 2.0e4 K.  ``RadiationField.named("schlickeiser2002")`` has
    the textbook grey bodies (dust 20 K, 0.4 eV cm^-3; G-K stars 5000 K, 0.3 eV cm^-3).
    """

    components: tuple[RadiationComponent, ...] = field(default_factory=lambda: _hooper2017(8.5))

    def __post_init__(self):
        names = [c.name for c in self.components]
        if len(set(names)) != len(names):
            raise ValueError(f"component names must be unique, got {names}")

    @classmethod
    def named(cls, name: str, r_sun_kpc: float = 8.5) -> "RadiationField":
        """A preset by name (:data:`RADIATION_PRESETS`)."""
        try:
            factory = RADIATION_PRESETS[name]
        except KeyError:
            raise ValueError(f"unknown radiation field {name!r}; known: {', '.join(RADIATION_PRESETS)}") from None
        return cls(factory(r_sun_kpc))

    def component(self, name: str) -> RadiationComponent:
        for c in self.components:
            if c.name == name:
                return c
        raise KeyError(f"no radiation component {name!r}; have {[c.name for c in self.components]}")

    def energy_density(self, R_kpc, z_kpc):
        """Total energy density [GeV cm^-3]."""
        R, z = _rz(R_kpc, z_kpc)
        total = np.zeros(R.shape)
        for c in self.components:
            total = total + c.energy_density(R, z)
        return total


# =====================================================================================
# Magnetic field
# =====================================================================================
#: one microgauss in gauss.  The package has no internal unit of B: a field is in G or in
#: microgauss, and its name says which (``B_gauss``, ``B_muG``); multiply muG by this for G.
MICROGAUSS = 1e-6
#: magnetic energy density B^2/(8 pi) of 1 microgauss [GeV cm^-3] (Gaussian units: erg cm^-3)
U_B_PER_MUG2 = MICROGAUSS**2 / (8.0 * math.pi) * u.erg


@dataclass(frozen=True)
class MagneticField:
    r"""Total (regular + random) magnetic field strength (Strong, Moskalenko & Reimer 2000):

        B(R, z) = B0 exp(-(R - r_sun)/r_B - |z|/z_B)   [microgauss].

    Defaults B0 = 5 muG, r_B = 10 kpc, z_B = 2 kpc: the model of Strong, Moskalenko & Reimer
    (2000, ApJ 537, 763), as quoted in
    the issue (only the abstract of that paper was readable here).  Its energy density at
    the Sun is B0^2/(8 pi) = 0.62 eV cm^-3.
    """

    b0_muG: float = 5.0
    r_scale_kpc: float = 10.0
    z_scale_kpc: float = 2.0
    r_sun_kpc: float = 8.5

    def __post_init__(self):
        if self.b0_muG < 0:
            raise ValueError("b0_muG must be >= 0")
        if not (self.r_scale_kpc > 0 and self.z_scale_kpc > 0):
            raise ValueError("scale lengths must be > 0")

    def strength(self, R_kpc, z_kpc):
        """B(R, z) [microgauss]."""
        R, z = _rz(R_kpc, z_kpc)
        return self.b0_muG * np.exp(-(R - self.r_sun_kpc) / self.r_scale_kpc - np.abs(z) / self.z_scale_kpc)

    def strength_squared(self, R_kpc, z_kpc):
        """B(R, z)^2 [microgauss^2] (the spatial factor of synchrotron losses)."""
        return self.strength(R_kpc, z_kpc) ** 2

    def energy_density(self, R_kpc, z_kpc):
        """B^2/(8 pi) [GeV cm^-3]."""
        return self.strength_squared(R_kpc, z_kpc) * U_B_PER_MUG2


# =====================================================================================
# Bundle
# =====================================================================================
@dataclass(frozen=True)
class InterstellarMedium:
    """Gas, radiation field and magnetic field, and the Sun's galactocentric radius [kpc].

    The components carry their own ``r_sun_kpc`` (they are normalised at the Sun); it must
    agree with ``r_sun_kpc`` here.
    """

    gas: GasDistribution
    radiation: RadiationField
    magnetic: MagneticField
    r_sun_kpc: float = 8.5

    def __post_init__(self):
        suns = {"gas": self.gas.r_sun_kpc, "magnetic": self.magnetic.r_sun_kpc}
        suns.update({f"radiation:{c.name}": c.r_sun_kpc for c in self.radiation.components})
        bad = {k: v for k, v in suns.items() if not math.isclose(v, self.r_sun_kpc)}
        if bad:
            raise ValueError(f"r_sun_kpc = {self.r_sun_kpc} but components have {bad}")

    @classmethod
    def default(cls, r_sun_kpc: float = 8.5, radiation: str = "hooper2017") -> "InterstellarMedium":
        """GALPROP-like gas, the named radiation field and the SMR2000 magnetic field."""
        return cls(
            GasDistribution(r_sun_kpc=r_sun_kpc),
            RadiationField.named(radiation, r_sun_kpc),
            MagneticField(r_sun_kpc=r_sun_kpc),
            r_sun_kpc,
        )
