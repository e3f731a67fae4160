r"""Continuous energy-loss rates b = -dE/dt [GeV/s] of cosmic rays in the interstellar medium.

Conventions
-----------
* every function takes ``T``, the **kinetic energy** of the particle (or whole nucleus) in
  GeV, as a float or array; ``gamma = 1 + T/m``, ``E = T + m`` (total energy), ``beta``;
  ``b = -dT/dt = -dE/dt`` (the rest mass does not change) in **GeV/s**;
* densities in cm^-3, magnetic fields in microgauss, radiation energy densities in
  GeV cm^-3 (internal units, :mod:`positrons.units`), temperatures in K;
* every function refuses ``T <= 0`` (and NaN); the ionization (Bethe-type) formulas also
  refuse energies below their validity: ``T < LEPTON_IONIZATION_T_MIN`` = 1 keV for e+-
  (the non-relativistic stopping formula needs T >> I ~ 20-40 eV; it turns negative below
  ~40 eV) and kinetic energies per nucleon below ``NUCLEUS_IONIZATION_T_MIN_PER_NUCLEON`` =
  0.1 MeV for nuclei (beta ~ 2 alpha: below, shell corrections and the effective charge
  matter, and the formula turns negative at ~10-20 keV per nucleon); a ``ValueError`` says so;
* each process is its own vectorised function, linear in its density (or B^2, or u);
  :func:`lepton_loss_terms` / :func:`nucleus_loss_terms` assemble them, with the spatial
  factors of an :class:`~positrons.interstellar.InterstellarMedium`, into a
  :class:`LossTerms` -- ``b(R, z, T) = sum_k spatial_k(R, z) energy_k(T)`` -- which is what
  the propagation solvers consume.

Leptons (e+ and e-; the electron formulas are used for both)
------------------------------------------------------------
=============================  ===========================================  ==========================
process                        function                                     reference
=============================  ===========================================  ==========================
ionization, neutral H and He   :func:`lepton_ionization_loss`               Pages et al. 1972; SM98 App.
Coulomb, free electrons        :func:`lepton_coulomb_loss`                  Ginzburg 1979 p. 361
bremsstrahlung, neutral gas    :func:`lepton_bremsstrahlung_neutral_loss`   BG70 Sect. 3; SM98 App.
bremsstrahlung, ionized gas    :func:`lepton_bremsstrahlung_ionized_loss`   Ginzburg 1979 p. 408
synchrotron                    :func:`synchrotron_loss`                     BG70 Sect. 4
inverse Compton, grey body     :func:`inverse_compton_loss` (full KN)       BG70 Eq. 2.48
=============================  ===========================================  ==========================

Nuclei: :func:`nucleus_ionization_loss` and :func:`nucleus_coulomb_loss` (Mannheim &
Schlickeiser 1994, A&A 286, 983; SM98 App.).  Catastrophic (inelastic) losses are not
continuous losses and belong to the solver.

References: SM98 = Strong & Moskalenko 1998, ApJ 509, 212 (astro-ph/9807150), Appendix, as
implemented in GALPROP's ``energy_losses.cc``; BG70 = Blumenthal & Gould 1970, Rev. Mod.
Phys. 42, 237; Ginzburg 1979, *Theoretical Physics and Astrophysics* (Pergamon); Pages et
al. 1972, Atomic Data 4, 1; Jones 1965, Phys. Rev. 137, B1306.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy.interpolate import CubicSpline
from scipy.special import zeta

from . import constants as const
from . import units as u
from .interstellar import M_H_ATOM_G, M_HE_ATOM_G, MICROGAUSS, InterstellarMedium
from .kinematics import Species, get_species
from .quadrature import gauss_legendre

__all__ = [
    "LossTerm",
    "LossTerms",
    "lepton_loss_terms",
    "nucleus_loss_terms",
    "lepton_loss_rate",
    "lepton_ionization_loss",
    "lepton_coulomb_loss",
    "lepton_bremsstrahlung_neutral_loss",
    "lepton_bremsstrahlung_ionized_loss",
    "synchrotron_loss",
    "synchrotron_coefficient",
    "inverse_compton_loss",
    "inverse_compton_thomson_loss",
    "kn_blackbody_factor",
    "kn_monochromatic_factor",
    "nucleus_ionization_loss",
    "nucleus_coulomb_loss",
    "loss_time",
]

M_E = const.m_electron  # [GeV]
#: 2 pi r_e^2 m_e c^2 c [GeV cm^3 s^-1]: the prefactor of collisional losses (= pi e^4/(m c) x 2)
TWO_PI_RE2_MC3 = 2.0 * math.pi * const.r_electron**2 * M_E * const.c_light
#: (4/3) sigma_T c [cm^3 s^-1]
FOUR_THIRDS_SIGMA_T_C = 4.0 / 3.0 * const.sigma_thomson * const.c_light
#: 4 alpha r_e^2 c [cm^3 s^-1]: the prefactor of relativistic bremsstrahlung losses
FOUR_ALPHA_RE2_C = 4.0 * const.alpha_em * const.r_electron**2 * const.c_light

#: effective mean excitation energies for *electron* ionization losses [GeV]
#: (Pages et al. 1972, Atomic Data 4, 1; the values of GALPROP constants.h: 18.9 and 42.0 eV)
I_H_LEPTON = 18.9 * u.eV
I_HE_LEPTON = 42.0 * u.eV
#: effective ionization potentials for *nucleus* ionization losses [GeV] (GALPROP: 19 and 44 eV)
I_H_NUCLEUS = 19.0 * u.eV
I_HE_NUCLEUS = 44.0 * u.eV
#: radiation lengths [g cm^-2]: hydrogen 63.04, helium 94.32 (PDG, Atomic and nuclear properties
#: of materials; Tsai 1974).  GALPROP uses 62.8 and 93.1.
X0_H = 63.04
X0_HE = 94.32
#: electron temperature of the warm ionized medium entering nucleus Coulomb losses [K] (SM98 App.)
T_E_WARM_IONIZED = 1.0e4
#: Lorentz factors bounding the interpolation between unscreened and completely screened
#: bremsstrahlung in neutral gas (SM98 App.; GALPROP: "max 10% error")
GAMMA_UNSCREENED_MAX = 100.0
GAMMA_SCREENED_MIN = 800.0
#: lowest e+- kinetic energy of the ionization formula [GeV] (module docstring)
LEPTON_IONIZATION_T_MIN = 1.0 * u.keV
#: lowest kinetic energy per nucleon of the nucleus ionization (Bethe) formula [GeV]
NUCLEUS_IONIZATION_T_MIN_PER_NUCLEON = 0.1 * u.MeV


def _kinetic_energy(T, minimum: float = 0.0, what: str = "") -> np.ndarray:
    """``T`` as a float array; refuses T <= 0, NaN, and T below ``minimum`` [GeV]."""
    T = np.asarray(T, dtype=float)
    bad = np.isnan(T) | (T <= 0)
    if np.any(bad):
        raise ValueError(f"kinetic energy T must be > 0 GeV, got {T[bad].flat[0]}")
    if minimum > 0 and np.any(T < minimum):
        raise ValueError(f"{what} is valid for T >= {minimum:g} GeV only, got T = {T.min():g} GeV")
    return T


def _lepton_kinematics(T, minimum: float = 0.0, what: str = ""):
    T = _kinetic_energy(T, minimum, what)
    gamma = 1.0 + T / M_E
    beta2 = T * (T + 2.0 * M_E) / (T + M_E) ** 2
    return T, gamma, beta2


# =====================================================================================
# Lepton processes (each linear in its density / field)
# =====================================================================================
def _moller_bracket(T, gamma, beta2, I):
    """Bracket of the electron stopping formula (Pages et al. 1972; Rohrlich & Carlson 1954)."""
    t = T / M_E
    return (
        np.log(t**2 * (t + 2.0) / 2.0)
        + (t**2 / 8.0 - (2.0 * t + 1.0) * math.log(2.0)) / (t + 1.0) ** 2
        + 1.0 / gamma**2
        - 2.0 * math.log(I / M_E)
    )


def lepton_ionization_loss(T, n_H=1.0, n_He=0.0):
    r"""Ionization + excitation losses of e+- in neutral H and He [GeV/s].

    Electron stopping power (Rohrlich & Carlson 1954; Pages et al. 1972, the form in SM98
    App. / GALPROP ``electron_loss``), density effect neglected (dilute gas), ``t = T/m c^2``:

        b = (2 pi r_e^2 m c^3 / beta) sum_j Z_j n_j [ ln(t^2 (t+2)/2) + (t^2/8 - (2t+1) ln 2)/(t+1)^2
                                                   + 1/gamma^2 - 2 ln(I_j / m c^2) ]

    with Z_H = 1, Z_He = 2, I_H = 18.9 eV, I_He = 42.0 eV.  For gamma >> 1 the H term is
    ``7.64e-9 eV/s n_H (3 ln gamma + 19.8)`` (Longair 2011, *High Energy Astrophysics*, 3rd ed.,
    ch. 6; section not re-checked here).  Valid for T >> I: below ``LEPTON_IONIZATION_T_MIN``
    = 1 keV a ``ValueError`` (the bracket turns negative below ~40 eV for helium).

    Parameters: ``T`` kinetic energy [GeV], >= 1 keV; ``n_H``, ``n_He`` atoms [cm^-3].
    """
    T, gamma, beta2 = _lepton_kinematics(T, LEPTON_IONIZATION_T_MIN, "the e+- ionization loss (Bethe-type formula)")
    beta = np.sqrt(beta2)
    pref = TWO_PI_RE2_MC3 / beta
    return pref * (
        n_H * _moller_bracket(T, gamma, beta2, I_H_LEPTON) + 2.0 * n_He * _moller_bracket(T, gamma, beta2, I_HE_LEPTON)
    )


def _lepton_coulomb_parts(T):
    """(prefactor, L0) with b_Coulomb = prefactor n_e (L0 - ln(n_e / cm^-3))."""
    T, gamma, beta2 = _lepton_kinematics(T)
    E = T + M_E
    pref = TWO_PI_RE2_MC3 / np.sqrt(beta2)
    L0 = np.log(E * M_E / (4.0 * math.pi * const.r_electron * const.hbar_c**2)) - 0.75
    return pref, L0


def lepton_coulomb_loss(T, n_e=1.0):
    r"""Coulomb losses of e+- on the free electrons of a cold plasma [GeV/s].

    Ginzburg (1979, p. 361; SM98 App.):

        b = (2 pi r_e^2 m c^3 / beta) n_e [ ln(E m c^2 / (4 pi r_e hbar^2 c^2 n_e)) - 3/4 ],

    ``E`` the total energy; the logarithm is ``ln(gamma (m c^2/hbar omega_p)^2)`` with the
    plasma frequency ``omega_p^2 = 4 pi n_e e^2/m``.  It is linear in ``n_e`` up to the
    ``n_e ln n_e`` term, which :func:`lepton_loss_terms` carries as a separate spatial factor.
    """
    pref, L0 = _lepton_coulomb_parts(T)
    n_e = np.asarray(n_e, dtype=float)
    return pref * n_e * (L0 - np.log(np.where(n_e > 0, n_e, 1.0)))


def lepton_bremsstrahlung_neutral_loss(T, n_H=1.0, n_He=0.0):
    r"""Bremsstrahlung losses of e+- in neutral H and He [GeV/s].

    SM98 App. (GALPROP ``electron_loss``), from Ginzburg (1979, pp. 386, 409) and BG70
    Sect. 3:

    * weak screening, gamma <= 100 (unscreened nucleus, BG70 Sect. 3; electron-nucleus plus
      electron-electron collisions, hence Z(Z+1)):
      ``b = 4 alpha r_e^2 c E sum_j Z_j (Z_j + 1) n_j (ln 2 gamma - 1/3)``;
    * complete screening, gamma >= 800: ``b = c E sum_j n_j m_j / X0_j`` with the radiation
      lengths X0_H = 63.04, X0_He = 94.32 g cm^-2 (PDG) and atomic masses m_j;
    * in between, linear interpolation in gamma between the two end values (SM98; quoted
      there as accurate to 10 %).

    ``E = T + m`` is the total energy.
    """
    T, gamma, beta2 = _lepton_kinematics(T)
    E = T + M_E
    weak_per_E = FOUR_ALPHA_RE2_C * (2.0 * n_H + 6.0 * n_He)  # sum Z(Z+1) n: H 2, He 6
    strong_per_E = const.c_light * (n_H * M_H_ATOM_G / X0_H + n_He * M_HE_ATOM_G / X0_HE)

    def weak(g):
        return weak_per_E * g * M_E * (np.log(2.0 * g) - 1.0 / 3.0)

    def strong(g):
        return strong_per_E * g * M_E

    g1, g2 = GAMMA_UNSCREENED_MAX, GAMMA_SCREENED_MIN
    w = np.clip((gamma - g1) / (g2 - g1), 0.0, 1.0)
    middle = weak(g1) * (1.0 - w) + strong(g2) * w
    out = np.where(gamma <= g1, weak(gamma), np.where(gamma >= g2, strong(gamma), middle))
    return out * np.ones_like(E)


def lepton_bremsstrahlung_ionized_loss(T, n_e=1.0):
    r"""Bremsstrahlung losses of e+- in fully ionized hydrogen [GeV/s].

    Ginzburg (1979, p. 408; SM98 App.), electron-proton plus electron-electron collisions
    in an unscreened plasma, ultra-relativistic:

        b = 4 alpha r_e^2 c E (2 n_e) (ln 2 gamma - 1/3)     (n_e = n_HII),

    ``E`` the total energy.  Derived for gamma >> 1; at T ~ 1 MeV it is an order-of-magnitude
    value, negligible there against the Coulomb losses.
    """
    T, gamma, beta2 = _lepton_kinematics(T)
    E = T + M_E
    return FOUR_ALPHA_RE2_C * E * 2.0 * np.asarray(n_e, dtype=float) * (np.log(2.0 * gamma) - 1.0 / 3.0)


#: mean sin^2 of the pitch angle, by name: 90 deg, or averaged over an isotropic distribution
PITCH_SIN2 = {"perpendicular": 1.0, "isotropic": 2.0 / 3.0}


def synchrotron_coefficient(pitch: str = "isotropic", mass: float = M_E) -> float:
    r"""k_s [GeV^-1 s^-1 G^-2] of the synchrotron loss ``b = k_s p^2 B^2`` (p momentum in GeV, B in G).

    ``b = 2 sigma_T c U_B gamma^2 beta^2 <sin^2 alpha> (m_e/m)^2``, ``U_B = B^2/8 pi`` [erg cm^-3]
    (Rybicki & Lightman 1979, Eq. 6.7b; BG70 Sect. 4), with ``gamma^2 beta^2 = p^2/m^2``:
    ``pitch="perpendicular"`` is sin(alpha) = 1 (equatorially mirroring trapped particles),
    ``"isotropic"`` the average over an isotropic distribution, <sin^2> = 2/3 (Eq. 6.7c; the
    interstellar case).  For e+- at 90 deg, k_s = sigma_T c/(4 pi m_e^2) = 3.79e-6.
    """
    try:
        sin2 = PITCH_SIN2[pitch]
    except KeyError:
        raise ValueError(f"pitch must be 'perpendicular' or 'isotropic', got {pitch!r}") from None
    return 2.0 * const.sigma_thomson * const.c_light / (8.0 * math.pi) * u.erg * sin2 * M_E**2 / mass**4


def synchrotron_loss(T, B_muG=1.0, mass=M_E, pitch: str = "isotropic"):
    r"""Synchrotron losses in a field of strength ``B_muG`` [microgauss] [GeV/s].

    The one synchrotron formula of the package (the belt's Thomson coefficient is
    :func:`synchrotron_coefficient` too):

        b = 2 sigma_T c gamma^2 beta^2 B^2/(8 pi) <sin^2 alpha> (m_e/m)^2,

    by default averaged over an isotropic pitch-angle distribution, <sin^2> = 2/3, i.e.
    ``(4/3) sigma_T c gamma^2 beta^2 U_B`` (BG70 Sect. 4; Ginzburg 1979 p. 386); the last
    factor for a particle of mass ``mass`` (1 for e+-).  ``T`` kinetic energy [GeV], > 0.
    """
    T = _kinetic_energy(T)
    B_gauss = np.asarray(B_muG, dtype=float) * MICROGAUSS
    return synchrotron_coefficient(pitch, mass) * T * (T + 2.0 * mass) * B_gauss**2


def inverse_compton_thomson_loss(T, u_rad=1.0 * u.eV):
    r"""Inverse-Compton losses in the Thomson limit [GeV/s]: ``(4/3) sigma_T c gamma^2 beta^2 u``.

    Exact for any velocity when ``gamma eps << m c^2`` (Rybicki & Lightman 1979, Eq. 7.16a);
    ``u_rad`` in GeV cm^-3.
    """
    T, gamma, beta2 = _lepton_kinematics(T)
    return FOUR_THIRDS_SIGMA_T_C * gamma**2 * beta2 * np.asarray(u_rad, dtype=float)


def inverse_compton_loss(T, temperature_K, u_rad=1.0 * u.eV):
    r"""Inverse-Compton losses on a grey-body photon field, full Klein-Nishina [GeV/s].

        b = (4/3) sigma_T c gamma^2 beta^2 u g(a),     a = 4 gamma k T / (m c^2),

    ``u`` the energy density [GeV cm^-3] of a Planck spectrum of temperature ``temperature_K``
    (diluted: only the shape is Planckian) and ``g`` the Klein-Nishina factor of
    :func:`kn_blackbody_factor`, from the BG70 Eq. (2.48) kernel integrated over the
    scattered photon and over the Planck spectrum.  ``g -> 1`` for ``a -> 0`` (the exact
    Thomson result); for ``a >> 1`` it reproduces the extreme-KN result of BG70 Eq. (2.58).
    """
    T, gamma, beta2 = _lepton_kinematics(T)
    a = 4.0 * gamma * const.k_boltzmann * temperature_K / M_E
    return FOUR_THIRDS_SIGMA_T_C * gamma**2 * beta2 * np.asarray(u_rad, dtype=float) * kn_blackbody_factor(a)


# --- Klein-Nishina factors --------------------------------------------------------------
#: first-order KN coefficient for monochromatic isotropic photons: G = 1 - (63/40) Gamma
#: (the -(63/10) gamma eps/mc^2 term of Jones 1965 / BG70 Sect. 2.7 with Gamma = 4 gamma eps/mc^2)
KN_FIRST_ORDER_MONO = 63.0 / 40.0
#: the same for a Planck spectrum: g = 1 - (63/40) (<eps^2>/<eps> / kT) a, <eps^2>/<eps> = 24 zeta(5)/(6 zeta(4)) kT
KN_FIRST_ORDER_PLANCK = KN_FIRST_ORDER_MONO * 24.0 * zeta(5) / (6.0 * zeta(4))
#: C_l = -zeta'(2)/zeta(2) of the extreme-KN blackbody loss (BG70 Eq. 2.58), 0.5700
C_L = 0.9375482543158437 / (math.pi**2 / 6.0)
EULER_GAMMA = 0.5772156649015329

_GAMMA_TABLE = (1e-7, 1e13)  # monochromatic Gamma range tabulated
_A_TABLE = (1e-6, 1e11)  # blackbody a range tabulated


def _kn_monochromatic_quadrature(Gamma, nodes=256):
    r"""G(Gamma) = 9 int_0^1 q F(q, Gamma) / (1 + Gamma q)^3 dq by Gauss-Legendre in ln q."""
    Gamma = np.asarray(Gamma, dtype=float)[..., None]
    x, w = gauss_legendre(nodes)
    s_min = np.log(1e-10 / (1.0 + Gamma))  # the integrand ~ q^2 below: the tail is < 1e-20
    s = 0.5 * s_min * (1.0 - x)
    ws = -0.5 * s_min * w
    q = np.exp(s)
    gq = Gamma * q
    F = 2.0 * q * s + (1.0 + 2.0 * q) * (1.0 - q) + gq**2 * (1.0 - q) / (2.0 * (1.0 + gq))
    return 9.0 * np.sum(ws * q * q * F / (1.0 + gq) ** 3, axis=-1)


@functools.lru_cache(maxsize=1)
def _kn_tables():
    """Splines of ln G(ln Gamma) and ln g(ln a), built once per process (~0.1 s)."""
    lnG_grid = np.linspace(math.log(_GAMMA_TABLE[0]), math.log(_GAMMA_TABLE[1]), 2001)
    G = np.concatenate([_kn_monochromatic_quadrature(chunk) for chunk in np.array_split(np.exp(lnG_grid), 8)])
    mono = CubicSpline(lnG_grid, np.log(G))

    def G_of(Gam):
        lg = np.log(Gam)
        out = np.exp(mono(np.clip(lg, lnG_grid[0], lnG_grid[-1])))
        small = Gam < _GAMMA_TABLE[0]
        large = Gam > _GAMMA_TABLE[1]
        out = np.where(small, 1.0 - KN_FIRST_ORDER_MONO * Gam, out)
        return np.where(large, 4.5 * (lg - 11.0 / 6.0) / Gam**2, out)

    # Planck average g(a) = (15/pi^4) int x^3/(e^x - 1) G(a x) dx, Gauss-Legendre in ln x
    xg, wg = gauss_legendre(200)
    lx_lo, lx_hi = math.log(1e-6), math.log(80.0)
    lx = 0.5 * (lx_hi - lx_lo) * xg + 0.5 * (lx_hi + lx_lo)
    wx = 0.5 * (lx_hi - lx_lo) * wg
    x = np.exp(lx)
    planck = x**4 / np.expm1(x) * wx * 15.0 / math.pi**4
    lna_grid = np.linspace(math.log(_A_TABLE[0]), math.log(_A_TABLE[1]), 1201)
    g = np.array([np.sum(planck * G_of(math.exp(la) * x)) for la in lna_grid])
    return mono, CubicSpline(lna_grid, np.log(g))


def kn_monochromatic_factor(Gamma):
    r"""Klein-Nishina factor G(Gamma) of the IC loss on isotropic monochromatic photons.

    ``b = (4/3) sigma_T c gamma^2 u G(Gamma)``, ``Gamma = 4 gamma eps / (m c^2)``, with the
    BG70 Eq. (2.48) kernel ``F(q, Gamma) = 2q ln q + (1+2q)(1-q) + (Gamma q)^2 (1-q)/(2(1+Gamma q))``
    integrated over the scattered-photon energy ``eps_1 = gamma m c^2 Gamma q/(1 + Gamma q)``:

        G(Gamma) = 9 int_0^1 q F(q, Gamma) / (1 + Gamma q)^3 dq

    (lower limit 1/(4 gamma^2) -> 0, i.e. gamma >> 1 and the initial photon energy
    neglected).  Limits: ``1 - (63/40) Gamma`` (Gamma << 1) and ``(9/2)(ln Gamma - 11/6)/Gamma^2``
    (Gamma >> 1, extreme Klein-Nishina limit, BG70 Sect. 2.7).  Evaluated by quadrature (not tabulated).
    """
    return _kn_monochromatic_quadrature(Gamma)


def kn_blackbody_factor(a):
    r"""Klein-Nishina factor g(a) of the IC loss on a (grey-)body spectrum, a = 4 gamma kT/(m c^2).

        g(a) = (15/pi^4) int_0^inf x^3/(e^x - 1) G(a x) dx      (G of :func:`kn_monochromatic_factor`)

    tabulated once on 1e-6 <= a <= 1e11 (spline in ln-ln, relative accuracy ~1e-7); below,
    ``1 - 6.036 a`` (first-order KN, Jones 1965); above, the extreme-KN asymptote of BG70
    Eq. (2.58), ``g = (45/(4 pi^2)) [ln a - 5/6 - C_E - C_l] / a^2`` with C_E = 0.5772 (Euler)
    and C_l = -zeta'(2)/zeta(2) = 0.5700.
    """
    a = np.asarray(a, dtype=float)
    _, planck = _kn_tables()
    la = np.log(np.clip(a, _A_TABLE[0], _A_TABLE[1]))
    out = np.exp(planck(la))
    out = np.where(a < _A_TABLE[0], 1.0 - KN_FIRST_ORDER_PLANCK * a, out)
    big = np.maximum(a, _A_TABLE[1])
    asym = 45.0 / (4.0 * math.pi**2) * (np.log(big) - 5.0 / 6.0 - EULER_GAMMA - C_L) / big**2
    return np.where(a > _A_TABLE[1], asym, out)


# =====================================================================================
# Nuclei
# =====================================================================================
def _nucleus(species) -> Species:
    sp = get_species(species)
    if sp.mass_number < 1:
        raise ValueError(f"{sp.name} is not a nucleus (use the lepton functions)")
    return sp


def nucleus_ionization_loss(T, species="proton", n_H=1.0, n_He=0.0):
    r"""Ionization losses of a nucleus in neutral H and He [GeV/s] (Bethe formula).

    Mannheim & Schlickeiser (1994, A&A 286, 983; SM98 App., GALPROP ``nucleon_loss``):

        b = (2 pi r_e^2 m_e c^3 Z^2 / beta) sum_j Z_j n_j [ ln(2 m_e c^2 beta^2 gamma^2 Q_max / I_j^2) - 2 beta^2 ],
        Q_max = 2 m_e c^2 beta^2 gamma^2 / (1 + 2 gamma m_e / M),

    ``Z``, ``M`` the charge number and mass of the nucleus, ``Z_j`` the electrons per target
    atom (H 1, He 2; GALPROP weights He by 1, an underestimate of its -- small -- term),
    I_H = 19 eV, I_He = 44 eV (SM98).  Valid in the Bethe regime: kinetic energies per
    nucleon below ``NUCLEUS_IONIZATION_T_MIN_PER_NUCLEON`` = 0.1 MeV raise a ``ValueError``.
    """
    sp = _nucleus(species)
    T = _kinetic_energy(T, NUCLEUS_IONIZATION_T_MIN_PER_NUCLEON * sp.mass_number,
                        f"the ionization loss of {sp.name} (Bethe formula, T/A >= 0.1 MeV)")
    gamma = 1.0 + T / sp.mass
    bg2 = T * (T + 2.0 * sp.mass) / sp.mass**2
    beta2 = bg2 / gamma**2
    qmax = 2.0 * M_E * bg2 / (1.0 + 2.0 * gamma * M_E / sp.mass)

    def bracket(I):
        return np.log(2.0 * M_E * bg2 * qmax / I**2) - 2.0 * beta2

    pref = TWO_PI_RE2_MC3 * sp.charge**2 / np.sqrt(beta2)
    return pref * (n_H * bracket(I_H_NUCLEUS) + 2.0 * n_He * bracket(I_HE_NUCLEUS))


def _nucleus_coulomb_parts(T, species, T_e=T_E_WARM_IONIZED):
    """(prefactor, L0) with b = prefactor n_e (L0 - ln(n_e/cm^-3)/2) -- see nucleus_coulomb_loss."""
    sp = _nucleus(species)
    T = _kinetic_energy(T)
    gamma = 1.0 + T / sp.mass
    beta2 = T * (T + 2.0 * sp.mass) / (T + sp.mass) ** 2
    beta = np.sqrt(beta2)
    x_m = (3.0 * math.sqrt(math.pi) / 4.0) ** (1.0 / 3.0) * math.sqrt(2.0 * const.k_boltzmann * T_e / M_E)
    w = beta**3 / (x_m**3 + beta**3)
    L0 = 0.5 * np.log(
        M_E**2 * gamma**2 * beta2**2 * sp.mass / (math.pi * const.r_electron * const.hbar_c**2 * (sp.mass + 2.0 * gamma * M_E))
    )
    pref = 2.0 * TWO_PI_RE2_MC3 * sp.charge**2 / beta * w
    return pref, L0


def nucleus_coulomb_loss(T, species="proton", n_e=1.0, T_e=T_E_WARM_IONIZED):
    r"""Coulomb losses of a nucleus in a fully ionized plasma [GeV/s].

    Mannheim & Schlickeiser (1994; SM98 App., GALPROP ``nucleon_loss``), cold-plasma limit:

        b = (4 pi r_e^2 m_e c^3 Z^2 n_e / beta) ln Lambda  beta^3/(x_m^3 + beta^3),
        ln Lambda = (1/2) ln( m_e^2 c^4 gamma^2 beta^4 M / (pi r_e hbar^2 c^2 n_e (M + 2 gamma m_e)) ),
        x_m = (3 sqrt(pi)/4)^(1/3) sqrt(2 k T_e / m_e c^2),     T_e = 1e4 K.
    """
    pref, L0 = _nucleus_coulomb_parts(T, species, T_e)
    n_e = np.asarray(n_e, dtype=float)
    return pref * n_e * (L0 - 0.5 * np.log(np.where(n_e > 0, n_e, 1.0)))


# =====================================================================================
# Factorised loss terms for the solver
# =====================================================================================
class LossTerm(NamedTuple):
    """One separable term: b_k(R, z, T) = spatial(R_kpc, z_kpc) * energy[T index] [GeV/s].

    ``name`` is ``process`` or ``process/detail``; :meth:`LossTerms.evaluate_by_process`
    sums the terms of a process.
    """

    name: str
    spatial: Callable
    energy: np.ndarray


@dataclass(frozen=True, eq=False)
class LossTerms:
    """Energy-loss rate as a sum of separable terms, ``b(R, z, T) = sum_k spatial_k(R, z) energy_k(T)``.

    ``T`` is the 1-D kinetic-energy grid [GeV] the ``energy`` arrays are given on; ``terms``
    a tuple of :class:`LossTerm` (``(name, spatial, energy)``).
    """

    T: np.ndarray
    terms: tuple

    def __post_init__(self):
        T = np.asarray(self.T, dtype=float)
        if T.ndim != 1:
            raise ValueError("T must be a 1-D array")
        object.__setattr__(self, "T", T)
        object.__setattr__(self, "terms", tuple(LossTerm(*t) for t in self.terms))
        for t in self.terms:
            if np.shape(t.energy) != T.shape:
                raise ValueError(f"term {t.name!r}: energy has shape {np.shape(t.energy)}, T has {T.shape}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(t.name for t in self.terms)

    @property
    def processes(self) -> tuple[str, ...]:
        """Process names (the part of each term name before '/'), in order of appearance."""
        return tuple(dict.fromkeys(t.name.split("/")[0] for t in self.terms))

    def _spatial(self, term, R, z):
        shape = np.broadcast(np.asarray(R), np.asarray(z)).shape
        return np.broadcast_to(np.asarray(term.spatial(R, z), dtype=float), shape)

    def evaluate(self, R_kpc, z_kpc):
        """b [GeV/s] with shape ``np.broadcast(R, z).shape + T.shape``."""
        shape = np.broadcast(np.asarray(R_kpc), np.asarray(z_kpc)).shape
        total = np.zeros(shape + self.T.shape)
        for term in self.terms:
            total += self._spatial(term, R_kpc, z_kpc)[..., None] * term.energy
        return total

    def evaluate_by_process(self, R_kpc, z_kpc) -> dict[str, np.ndarray]:
        """{process: b [GeV/s]} (same shapes as :meth:`evaluate`)."""
        out = {}
        for term in self.terms:
            process = term.name.split("/")[0]
            value = self._spatial(term, R_kpc, z_kpc)[..., None] * term.energy
            out[process] = out[process] + value if process in out else value
        return out


def _n_log_n(density):
    """n ln(n / cm^-3), 0 where n = 0."""
    def f(R, z):
        n = np.asarray(density(R, z), dtype=float)
        return np.where(n > 0, n * np.log(np.where(n > 0, n, 1.0)), 0.0)

    return f


def lepton_loss_terms(T, ism: InterstellarMedium) -> LossTerms:
    """Separable e+- energy-loss terms in ``ism`` on the kinetic-energy grid ``T`` [GeV].

    Terms (spatial factor x energy function):

    ==============================  =====================  =========================================
    name                            spatial(R, z)          energy(T)
    ==============================  =====================  =========================================
    ionization/H                    n_HI + 2 n_H2          lepton_ionization_loss(T, n_H=1)
    ionization/He                   n_He                   lepton_ionization_loss(T, 0, n_He=1)
    coulomb                         n_e = n_HII            prefactor x L0(T)
    coulomb/log_ne                  n_e ln n_e             -prefactor
    bremsstrahlung_neutral/H        n_HI + 2 n_H2          lepton_bremsstrahlung_neutral_loss(T, 1, 0)
    bremsstrahlung_neutral/He       n_He                   lepton_bremsstrahlung_neutral_loss(T, 0, 1)
    bremsstrahlung_ionized          n_HII                  lepton_bremsstrahlung_ionized_loss(T, 1)
    synchrotron                     B^2 [muG^2]            synchrotron_loss(T, 1 muG)
    inverse_compton/<component>     u_i [GeV cm^-3]        inverse_compton_loss(T, T_i, u=1)
    ==============================  =====================  =========================================
    """
    T = np.asarray(T, dtype=float)
    gas, rad, mag = ism.gas, ism.radiation, ism.magnetic
    coul_pref, coul_L0 = _lepton_coulomb_parts(T)
    terms = [
        LossTerm("ionization/H", gas.n_neutral_H, lepton_ionization_loss(T, 1.0, 0.0)),
        LossTerm("ionization/He", gas.n_He, lepton_ionization_loss(T, 0.0, 1.0)),
        LossTerm("coulomb", gas.n_electron_free, coul_pref * coul_L0),
        LossTerm("coulomb/log_ne", _n_log_n(gas.n_electron_free), -coul_pref),
        LossTerm("bremsstrahlung_neutral/H", gas.n_neutral_H, lepton_bremsstrahlung_neutral_loss(T, 1.0, 0.0)),
        LossTerm("bremsstrahlung_neutral/He", gas.n_He, lepton_bremsstrahlung_neutral_loss(T, 0.0, 1.0)),
        LossTerm("bremsstrahlung_ionized", gas.n_electron_free, lepton_bremsstrahlung_ionized_loss(T, 1.0)),
        LossTerm("synchrotron", mag.strength_squared, synchrotron_loss(T, 1.0)),
    ]
    for comp in rad.components:
        terms.append(LossTerm(f"inverse_compton/{comp.name}", comp.energy_density, inverse_compton_loss(T, comp.temperature_K, 1.0)))
    return LossTerms(T, tuple(terms))


def nucleus_loss_terms(T, species, ism: InterstellarMedium) -> LossTerms:
    """Separable energy-loss terms of a nucleus (ionization + Coulomb) on the grid ``T`` [GeV].

    Terms: ``ionization/H`` (n_HI + 2 n_H2), ``ionization/He`` (n_He), ``coulomb`` (n_e) and
    ``coulomb/log_ne`` (n_e ln n_e); ``T`` is the kinetic energy of the whole nucleus.
    """
    T = np.asarray(T, dtype=float)
    gas = ism.gas
    pref, L0 = _nucleus_coulomb_parts(T, species)
    terms = (
        LossTerm("ionization/H", gas.n_neutral_H, nucleus_ionization_loss(T, species, 1.0, 0.0)),
        LossTerm("ionization/He", gas.n_He, nucleus_ionization_loss(T, species, 0.0, 1.0)),
        LossTerm("coulomb", gas.n_electron_free, pref * L0),
        LossTerm("coulomb/log_ne", _n_log_n(gas.n_electron_free), -0.5 * pref),
    )
    return LossTerms(T, terms)


def lepton_loss_rate(T, ism: InterstellarMedium, R_kpc, z_kpc):
    """Total e+- loss rate b [GeV/s] at (R, z): ``lepton_loss_terms(T, ism).evaluate(R, z)``."""
    return lepton_loss_terms(T, ism).evaluate(R_kpc, z_kpc)


def loss_time(T, b):
    """Energy-loss time T/b [s] (kinetic energy T > 0 [GeV] over loss rate b [GeV/s])."""
    return _kinetic_energy(T) / np.asarray(b, dtype=float)
