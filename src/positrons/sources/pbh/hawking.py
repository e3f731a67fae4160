r"""Hawking emission of a Schwarzschild black hole: temperature, spectra, mass loss, lifetime.

Emission rate of a species i (spin s_i, g_i internal states, mass m_i) per unit time and
total energy E (Hawking 1975; Page 1976, PRD 13, 198; SPEC section 3.1)::

    d2N_i/dt dE = g_i / (2 pi hbar) * S_{s_i}(x) / (exp(E/T) -+ 1),      E >= m_i
    T = hbar c^3 / (8 pi G M k_B) = 1.0573e13 GeV (1 g / M),   x = G M E/(hbar c^3) = E / (8 pi T)

with ``S_s = sum_l (2l+1) Gamma_{s,l}`` the greybody sum of :mod:`.greybody` (massless fields)
and - for bosons, + for fermions.  Public energies are **kinetic**, ``E_kin = E - m``; a
spectrum per unit kinetic energy equals the one per unit total energy.

**Massive species** follow BlackHawk's rule (Arbey & Auffinger 2019, arXiv:1905.04268; code
``primary.c``, ``dNdtdE``): the massless greybody factor evaluated at the total energy, and
nothing below threshold (``E < m``).  It neglects the suppression of the transmission of
slow massive particles (Page 1977, PRD 16, 2402), which matters only within ~T of threshold.

**Degrees of freedom** ``g`` (as in BlackHawk v2 ``fM.c``): photon 2 (helicities),
neutrinos 6 (3 flavours x one helicity x (nu, nu-bar)), graviton 2, electron 4 and muon 4
(2 helicities x (particle + antiparticle)), charged pions 2 (pi+ and pi-), neutral pion 1.
``particle="positron"`` (or ``"electron"``) is one charge state: ``g = 2``.

**Secondary e+-** (and photons): emitted muons are unpolarised on average (both helicities
equally), so each mu+ gives e+ through the Michel spectrum
(:func:`positrons.decays.muon_to_electron_spectrum`, ``P = 0``); each pi+ gives e+ through
pi+ -> mu+ -> e+ with the muon polarisation (:func:`positrons.decays.pion_to_electron_spectrum`);
pi0 -> gamma gamma gives photons (flat box between ``(E - p)/2`` and ``(E + p)/2``).
Numerics: the decay kernels are tabulated once per process on a fixed grid of parent and
daughter kinetic energies (32 per decade, 1e-7 to 1e3 GeV); the parent integral treats the
parent spectrum as exponential and the kernel as linear between nodes (exact for Boltzmann
tails), with the kinematic threshold of each daughter energy located exactly; the daughter
spectrum is interpolated to the requested energies (monotone cubic in log-log).  pi0 photons
are integrated directly at the requested energies (their spectrum has a cusp at m_pi0/2).
Accuracy against direct quadrature: 1e-3 up to E ~ 15 T, 1-3 % at 20-40 T (tests).  The black
hole is neutral, so the electron and positron spectra are equal.

**Particle contents** (for the primary e+- and photons, dM/dt and the secondaries), chosen by
name; a content without electrons (``"massless"``, ``"page1976"``) emits no e+-: the primary
(and secondary) spectra are then zero, not an error:

* ``"standard"`` (default): photon, 3 neutrinos, graviton, e, mu, pi+-, pi0 -- the
  particles a hole emits below the QCD scale (T < Lambda_QCD ~ 0.2-0.3 GeV, M > ~5e13 g).
* ``"blackhawk"``: BlackHawk v2's elementary content (``fM.c``): leptons, free quarks with
  current masses, gluons above 0.2 GeV, W, Z, Higgs, graviton -- with BlackHawk's own mass
  values.  Free light quarks are emitted from T ~ MeV on, which is unphysical below
  Lambda_QCD; it is here to compare with BlackHawk's f(M) table.  Its secondaries include
  only the muon decays (hadronisation of quarks and gluons is not modelled).
* ``"massless"``: photon, 3 neutrinos, graviton.  ``"page1976"``: photon, 2 two-component
  neutrinos (4 states), graviton -- the set of Page 1976.

**Neglected** (and where it matters): emission of quarks and gluons and their fragmentation
into jets once T approaches Lambda_QCD ~ 0.2-0.3 GeV (MacGibbon & Webber 1990): pions as
elementary particles are an approximation for M < ~1e14 g (T > 0.1 GeV), and below ~5e13 g
the jets dominate the secondary e+- and photons; kaons, eta and heavier hadrons (their
thresholds, 0.5 GeV and up, make them negligible above ~1e14 g); final-state radiation and
the radiative muon decays (order alpha); the electric charge of the emitted e+- (reduces
their emission by ~3 %, MacGibbon 1991); the photons and e+- from tau, W, Z, Higgs decays in
the "blackhawk" content.

**Mass loss**::

    -dM/dt c^2 = sum_i g_i (hbar c^6 / G^2 M^2) / hbar * p_{s_i}(G M m_i / hbar c^3),
    p_s(y) = (1/2 pi) Integral_y^inf x S_s(x) / (exp(8 pi x) -+ 1) dx

usually quoted as ``dM/dt = -5.34e25 f(M) (M/g)^-2 g/s`` (MacGibbon 1991, PRD 44, 376),
``f = 1`` for photons and three neutrino species.  The lifetime is
``tau(M0) = Integral_0^M0 dM / |dM/dt|``; the hole that evaporates in the age of the Universe
is :func:`evaporating_mass`.

**Validity, and what is refused or warned.**  :func:`spectrum` and :func:`secondary_spectrum`
emit an :class:`OutsideValidityWarning` (not an error) when a hole is hotter than
:data:`QCD_TEMPERATURE` = 0.2 GeV (M < 5.3e13 g: quark and gluon jets, neglected here,
dominate the secondaries) and when a requested kinetic energy exceeds the top of the decay
grid, 1e3 GeV (the secondaries are set to zero there).

**Greybody tables.**  Every function takes ``tables`` (spin -> :class:`~.greybody.GreybodyTable`,
default the shipped ones): the spectra and the integrated rates (dM/dt, the lifetime, the
evaporating mass) use the same tables.  The integrals of a table are cached per table object.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.integrate import cumulative_simpson
from scipy.interpolate import CubicSpline, PchipInterpolator
from scipy.optimize import brentq

from ... import constants as const
from ... import decays
from ... import units as u
from ...quadrature import gauss_legendre
from . import greybody

#: hbar c^3 / G [GeV g]: the energy scale G M E/(hbar c^3) = 1 of a hole of 1 g
_HBAR_C3_OVER_G = const.hbar * const.c_light**3 / const.G_newton

#: MacGibbon's normalisation: dM/dt = -ALPHA_MACGIBBON f(M) / M^2 [g^3 s^-1] (MacGibbon 1991)
ALPHA_MACGIBBON = 5.34e25

#: age of the Universe [s]: 13.787 +- 0.020 Gyr, Planck 2018 VI (A&A 641, A6), Table 2,
#: TT,TE,EE+lowE+lensing+BAO (68 % limits)
AGE_OF_UNIVERSE = 13.787 * u.Gyr

#: hotter holes emit quarks and gluons, whose jets (not modelled) dominate the secondaries
#: (Lambda_QCD ~ 0.2-0.3 GeV; MacGibbon & Webber 1990) [GeV]
QCD_TEMPERATURE = 0.2


class OutsideValidityWarning(UserWarning):
    """A spectrum asked for outside the range where the model holds (module docstring)."""


def hawking_temperature(mass):
    """Hawking temperature k_B T = hbar c^3 / (8 pi G M) [GeV] of a hole of mass ``mass`` [g]."""
    mass = _positive(mass, "black-hole mass")
    return _HBAR_C3_OVER_G / (8.0 * math.pi * mass)


def energy_to_x(energy, mass):
    """x = G M E / (hbar c^3) for total energy ``energy`` [GeV] and mass ``mass`` [g]."""
    return np.asarray(energy, dtype=float) * _positive(mass, "black-hole mass") / _HBAR_C3_OVER_G


def _positive(value, what: str):
    value = np.asarray(value, dtype=float)
    if np.any(~np.isfinite(value)) or np.any(value <= 0):
        raise ValueError(f"{what} must be a finite number > 0 (got {value.ravel()[:3]})")
    return value if value.ndim else float(value)


def _nonnegative(value, what: str):
    value = np.asarray(value, dtype=float)
    if np.any(np.isnan(value)) or np.any(value < 0):
        raise ValueError(f"{what} must be >= 0 (got {value.ravel()[:3]})")
    return value


# --- emitted species ---------------------------------------------------------------------


@dataclass(frozen=True)
class EmittedSpecies:
    """A species emitted by the hole: name, spin, internal states ``dof`` and mass [GeV]."""

    name: str
    spin: float
    dof: int
    mass: float = 0.0

    @property
    def fermion(self) -> bool:
        return self.spin % 1.0 == 0.5


_PHOTON = EmittedSpecies("photon", 1.0, 2)
_NEUTRINOS = EmittedSpecies("neutrinos", 0.5, 6)
_GRAVITON = EmittedSpecies("graviton", 2.0, 2)

# BlackHawk v2 fM.c particle table (masses in GeV as used there, not PDG values)
_BLACKHAWK = (
    _PHOTON,
    EmittedSpecies("gluons", 1.0, 16, 0.2),
    EmittedSpecies("W", 1.0, 6, 80.403),
    EmittedSpecies("Z", 1.0, 3, 91.1876),
    EmittedSpecies("higgs", 0.0, 1, 125.03),
    _NEUTRINOS,
    EmittedSpecies("electron", 0.5, 4, 5.109989461e-4),
    EmittedSpecies("muon", 0.5, 4, 0.1056583745),
    EmittedSpecies("tau", 0.5, 4, 1.77686),
    EmittedSpecies("up", 0.5, 12, 2.2e-3),
    EmittedSpecies("down", 0.5, 12, 4.7e-3),
    EmittedSpecies("strange", 0.5, 12, 0.096),
    EmittedSpecies("charm", 0.5, 12, 1.27),
    EmittedSpecies("bottom", 0.5, 12, 4.18),
    EmittedSpecies("top", 0.5, 12, 173.21),
    _GRAVITON,
)

#: particle contents by name (module docstring)
CONTENTS: dict[str, tuple[EmittedSpecies, ...]] = {
    "standard": (
        _PHOTON,
        _NEUTRINOS,
        _GRAVITON,
        EmittedSpecies("electron", 0.5, 4, const.m_electron),
        EmittedSpecies("muon", 0.5, 4, const.m_muon),
        EmittedSpecies("pion_charged", 0.0, 2, const.m_pion_charged),
        EmittedSpecies("pion_neutral", 0.0, 1, const.m_pion_neutral),
    ),
    "blackhawk": _BLACKHAWK,
    "massless": (_PHOTON, _NEUTRINOS, _GRAVITON),
    "page1976": (_PHOTON, EmittedSpecies("neutrinos", 0.5, 4), _GRAVITON),
}

#: particles whose spectra are computed, with the content species they are a share of:
#: particle -> (species name, fraction of its dof)
PARTICLES = {
    "positron": ("electron", 0.5),
    "electron": ("electron", 0.5),
    "photon": ("photon", 1.0),
}

# secondary channels: particle -> [(parent species, kernel, fraction of the parent's dof)]
_SECONDARY_CHANNELS = {
    "positron": [("muon", "muon_to_electron", 0.5), ("pion_charged", "pion_to_electron", 0.5)],
    "electron": [("muon", "muon_to_electron", 0.5), ("pion_charged", "pion_to_electron", 0.5)],
    "photon": [("pion_neutral", "pion0_to_photons", 1.0)],
}


def get_content(content) -> tuple[EmittedSpecies, ...]:
    """The species of a particle content, by name (:data:`CONTENTS`) or as a sequence."""
    if isinstance(content, str):
        try:
            return CONTENTS[content]
        except KeyError:
            raise ValueError(f"unknown particle content {content!r}; known: {', '.join(CONTENTS)}") from None
    species = tuple(content)
    if not all(isinstance(s, EmittedSpecies) for s in species):
        raise ValueError("a particle content is a name or a sequence of EmittedSpecies")
    return species


def _species(content, name: str) -> EmittedSpecies | None:
    return next((s for s in get_content(content) if s.name == name), None)


def _check_particle(particle: str) -> str:
    if particle not in PARTICLES:
        raise ValueError(f"unknown particle {particle!r}; choose one of {', '.join(PARTICLES)}")
    return particle


# --- emission rates ----------------------------------------------------------------------


def _occupation_x(x, fermion: bool):
    """1/(exp(8 pi x) +- 1) without overflow; 0 at x = 0 is handled by the caller."""
    y = 8.0 * math.pi * np.asarray(x, dtype=float)
    with np.errstate(over="ignore", divide="ignore"):
        if fermion:
            return np.exp(-y) / (1.0 + np.exp(-y))
        return np.where(y > 0, -np.exp(-y) / np.expm1(-np.where(y > 0, y, 1.0)), 0.0)


def _rate_x(spin: float, x, tables=None):
    """S_s(x)/(exp(8 pi x) -+ 1) (dimensionless, per helicity state); 0 at x = 0."""
    table = (tables or greybody.default_tables())[spin]
    x = np.asarray(x, dtype=float)
    # exp(-8 pi x) underflows beyond x = 745/(8 pi): only the rest needs the greybody factor
    emitting = (x > 0) & (x < 745.0 / (8.0 * math.pi))
    value = np.zeros_like(x)
    xs = x[emitting]
    value[emitting] = table(xs) * _occupation_x(xs, spin % 1.0 == 0.5)
    return value if value.ndim else float(value)


def dof_spectrum(spin, energy, mass, tables=None):
    """d2N/dt dE [GeV^-1 s^-1] per internal state of a massless field of spin ``spin``.

    ``energy`` is the (total = kinetic) energy [GeV], ``mass`` the hole mass [g]; they
    broadcast.  ``tables`` maps spin -> :class:`~.greybody.GreybodyTable` (default: shipped).
    """
    spin = greybody.check_spin(spin)
    energy = _nonnegative(energy, "energy")
    x = energy_to_x(energy, mass)
    return _rate_x(spin, x, tables) / (2.0 * math.pi * const.hbar)


def species_spectrum(species: EmittedSpecies, E_kin, mass, tables=None):
    """Primary d2N/dt dE_kin [GeV^-1 s^-1] of all ``species.dof`` states, kinetic energy E_kin."""
    E_kin = _nonnegative(E_kin, "kinetic energy")
    return species.dof * dof_spectrum(species.spin, E_kin + species.mass, mass, tables)


def primary_spectrum(particle: str, E_kin, mass, tables=None, content="standard"):
    """Primary d2N/dt dE_kin [GeV^-1 s^-1 per hole] of ``particle`` ('positron', 'electron', 'photon').

    ``E_kin`` [GeV] and ``mass`` [g] broadcast.  For e+ (or e-) alone ``g = 2``.  The species
    (its mass and states) is taken from ``content``; a content without it emits none: zeros.
    """
    name, share = PARTICLES[_check_particle(particle)]
    species = _species(content, name)
    if species is None:
        shape = np.broadcast(np.asarray(E_kin), np.asarray(mass)).shape
        _nonnegative(E_kin, "kinetic energy")
        _positive(mass, "black-hole mass")
        return np.zeros(shape) if shape else 0.0
    return share * species_spectrum(species, E_kin, mass, tables)


# --- secondaries ---------------------------------------------------------------------------

#: fixed kinetic-energy grid [GeV] of parents and daughters in the secondary integrals
_GRID_LOG10 = (-7.0, 3.0)
_GRID_PER_DECADE = 32


def _log_grid() -> np.ndarray:
    lo, hi = _GRID_LOG10
    return np.logspace(lo, hi, int(round((hi - lo) * _GRID_PER_DECADE)) + 1)


def _phi(r):
    """(Integral_0^1 e^{rs}(1-s) ds, Integral_0^1 e^{rs} s ds) for r <= 0 (series near 0)."""
    small = np.abs(r) < 1e-3
    rs = np.where(small, -1.0, r)
    em1 = np.expm1(rs)
    phi0 = np.where(small, 0.5 + r / 6.0 + r * r / 24.0, (em1 - rs) / rs**2)
    phi1 = np.where(small, 0.5 + r / 3.0 + r * r / 8.0, (em1 * (rs - 1.0) + rs) / rs**2)
    return phi0, phi1


def _interval_weights(t: np.ndarray, n: np.ndarray):
    """Per interval [t_j, t_j+1]: (a_j, b_j) with Integral K N dt = K_j a_j + K_j+1 b_j, exact for
    N exponential and K linear on the interval; also (n0, n1, r = ln(n1/n0), positive, dt)."""
    dt = np.diff(t).reshape((-1,) + (1,) * (n.ndim - 1))
    n0, n1 = n[:-1], n[1:]
    positive = (n0 > 0) & (n1 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(positive, np.log(np.where(positive, n1, 1.0) / np.where(positive, n0, 1.0)), 0.0)
    # for a rising N use the mirrored formulas (no overflow): n0 phi_k(r) = n1 phi_{1-k}(-r)
    rising = r > 0
    p0, p1 = _phi(-np.abs(r))
    a = np.where(rising, n1 * p1, n0 * p0)
    b = np.where(rising, n1 * p0, n0 * p1)
    # where N vanishes at a node (underflow), N linear instead: K_j (N0/3 + N1/6) + K_j+1 (N0/6 + N1/3)
    a = np.where(positive, a, n0 / 3.0 + n1 / 6.0) * dt
    b = np.where(positive, b, n0 / 6.0 + n1 / 3.0) * dt
    return a, b, (n0, n1, r, positive, dt)


def _parent_quadrature(t: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Vector v with K @ v = Integral_0^inf K(t) N(t) dt for a kernel K sampled at ``t``.

    Exact when N is exponential and K linear on each [t_j, t_j+1] -- so the Boltzmann tails of
    Hawking spectra (N ~ exp(-t/T) over intervals much wider than T) are integrated exactly;
    [0, t_0] adds t_0 N_0 K_0.  ``n`` has shape (len(t), ...) (several masses in columns).
    """
    a, b, _ = _interval_weights(t, n)
    v = np.zeros_like(n, dtype=float)
    v[:-1] += a
    v[1:] += b
    v[0] += t[0] * n[0]
    return v


def _threshold_terms(kernel, t: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Correction weights for the interval holding each threshold row's kinematic threshold.

    Above E_e ~ 53 MeV (mu) or 70 MeV (pi) a daughter energy needs a parent above t_thr, and the
    kernel rises linearly from 0 there; interpolating it linearly from the node below would
    smear it over a region where the parent spectrum is exp((t_thr - t_j)/T) times larger.
    The interval [t_j, t_j+1] holding t_thr = t_j + s0 dt contributes instead
    K_j+1 Integral_{s0}^1 (s - s0)/(1 - s0) N ds dt = K_j+1 c,  c = dt N(s0) w phi_1(r w),  w = 1 - s0.
    Returns ``c - b`` (b: what :func:`_parent_quadrature` gave K_j+1 from that interval), shape
    (len(threshold_rows), M): add ``K[rows, j+1] (c - b)`` to ``K @ v``.
    """
    rows, j, s0 = kernel.threshold_rows, kernel.threshold_index, kernel.threshold_s0
    if rows.size == 0:
        return np.zeros((0,) + n.shape[1:])
    _, b, (n0, n1, r, positive, dt) = _interval_weights(t, n)
    n0, n1, r, positive, dt, b = n0[j], n1[j], r[j], positive[j], dt[j], b[j]
    w = (1.0 - s0)[:, None]
    s0c = s0[:, None]
    rw = r * w
    p0, p1 = _phi(-np.abs(rw))
    exact = np.where(r > 0, n1 * w * p0, n0 * np.exp(np.minimum(r, 0.0) * s0c) * w * p1)
    linear = w * ((n0 + (n1 - n0) * s0c) / 6.0 + n1 / 3.0)
    return np.where(positive, exact, linear) * dt - b


@dataclass(frozen=True)
class _DecayKernel:
    """K[i, j] = dN/dE(T_out_i; parent t_j) and, per row with a kinematic threshold inside the
    grid, the interval j holding it and its position s0 in that interval."""

    matrix: np.ndarray
    threshold_rows: np.ndarray
    threshold_index: np.ndarray
    threshold_s0: np.ndarray


@dataclass(frozen=True)
class _SecondaryMatrices:
    """Decay kernels on the fixed grids: daughter(T_out) = K @ _parent_quadrature(t, N(t)) + threshold correction."""

    t: np.ndarray  # parent kinetic energies [GeV]
    T_out: np.ndarray  # daughter kinetic energies [GeV]
    kernels: dict


def _max_electron_energy_muon(t_mu):
    """Largest e energy [GeV] from a muon of kinetic energy t_mu."""
    return decays.muon_to_electron_range(t_mu + const.m_muon)


def _max_electron_energy_pion(t_pi):
    """Largest e energy [GeV] from pi -> mu -> e for a pion of kinetic energy t_pi."""
    _, e_mu_max = decays.pion_to_muon_range(t_pi + const.m_pion_charged)
    return decays.muon_to_electron_range(e_mu_max)


def _decay_kernel(matrix: np.ndarray, t: np.ndarray, E_e: np.ndarray, max_energy) -> _DecayKernel:
    """Attach to ``matrix`` the parent threshold of each daughter energy (bisection on ``max_energy``)."""
    lo, hi = np.zeros_like(E_e), np.full_like(E_e, t[-1])
    needs = max_energy(lo) < E_e
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        below = max_energy(mid) < E_e
        lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
    t_thr = 0.5 * (lo + hi)
    inside = needs & (t_thr > t[0]) & (t_thr < t[-1])
    rows = np.nonzero(inside)[0]
    j = np.searchsorted(t, t_thr[rows]) - 1
    s0 = (t_thr[rows] - t[j]) / (t[j + 1] - t[j])
    # the kernel vanishes below the threshold (the node j included): the correction replaces
    # the interval's share entirely
    matrix = matrix.copy()
    matrix[rows, j] = 0.0
    return _DecayKernel(matrix, rows, j, s0)


@lru_cache(maxsize=1)
def _secondary_matrices() -> _SecondaryMatrices:
    """Build the decay kernels once per process (a fraction of a second)."""
    t = _log_grid()
    T_out = _log_grid()
    E_e = T_out + const.m_electron
    mu = decays.muon_to_electron_spectrum(E_e[:, None], (t + const.m_muon)[None, :], 0.0, +1)
    pi = decays.pion_to_electron_spectrum(E_e[:, None], (t + const.m_pion_charged)[None, :], +1)
    kernels = {
        "muon_to_electron": _decay_kernel(mu, t, E_e, _max_electron_energy_muon),
        "pion_to_electron": _decay_kernel(pi, t, E_e, _max_electron_energy_pion),
    }
    return _SecondaryMatrices(t, T_out, kernels)


def _exp_interval_integrals(g0, g1, dt, s0=0.0):
    """Integral of g over [t_j + s0 dt, t_j + dt], g exponential between g0 = g(t_j) and g1.

    g is taken linear where an end vanishes (underflow) or the two ends are equal.
    """
    positive = (g0 > 0) & (g1 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(positive, np.log(np.where(positive, g1, 1.0) / np.where(positive, g0, 1.0)), 0.0)
    width = 1.0 - s0
    g_start = g0 + (g1 - g0) * s0
    linear = width * (g_start + g1) / 2.0
    flat = np.abs(r) < 1e-6
    rs = np.where(flat, 1.0, r)
    # from the larger end, so nothing overflows: falling g0 e^{r s0} (e^{r w} - 1)/r, rising g1 (1 - e^{-r w})/r
    falling = g0 * np.exp(np.minimum(rs, 0.0) * s0) * np.expm1(np.minimum(rs, 0.0) * width) / np.where(rs < 0, rs, -1.0)
    rising = -g1 * np.expm1(-np.maximum(rs, 0.0) * width) / np.where(rs > 0, rs, 1.0)
    exact = np.where(rs < 0, falling, rising)
    return np.where(positive & ~flat, exact, linear) * dt


def _pion0_photons(E_gamma: np.ndarray, t: np.ndarray, n: np.ndarray) -> np.ndarray:
    """dN_gamma/dE_gamma of pi0 -> gamma gamma at ``E_gamma`` for pi0 spectra ``n`` (len(t), M).

    Each pi0 of momentum p gives two photons spread evenly over [(E - p)/2, (E + p)/2], so
    dN/dE_gamma = 2 Integral_{t_min}^inf N(t) / p(t) dt with
    t_min = (2 E_gamma - m)^2 / (4 E_gamma) (the kinetic energy of the slowest pi0 that reaches
    E_gamma).  g = N/p is taken exponential between grid nodes (exact for Boltzmann tails);
    below t_0, p ~ sqrt(2 m t).  Evaluated directly at ``E_gamma`` (the spectrum has a cusp at
    m/2 that an interpolation would round off).  Returns (len(E_gamma), M).
    """
    m = const.m_pion_neutral
    p = np.sqrt(t * (t + 2.0 * m))[:, None]
    g = n / p
    dt = np.diff(t)[:, None]
    full = _exp_interval_integrals(g[:-1], g[1:], dt)
    above = np.concatenate([np.cumsum(full[::-1], axis=0)[::-1], np.zeros((1, n.shape[1]))])  # Integral_{t_j}^inf
    t_min = (2.0 * E_gamma - m) ** 2 / (4.0 * E_gamma)
    k = np.clip(np.searchsorted(t, t_min) - 1, 0, t.size - 2)  # t[k] < t_min <= t[k+1] inside the grid
    s0 = np.clip((t_min - t[k]) / (t[k + 1] - t[k]), 0.0, 1.0)[:, None]
    inside = above[k + 1] + _exp_interval_integrals(g[k], g[k + 1], dt[k], s0)
    below = above[0] + n[0] * 2.0 * (math.sqrt(t[0]) - np.sqrt(np.minimum(t_min, t[0])))[:, None] / math.sqrt(2.0 * m)
    out = np.where((t_min <= t[0])[:, None], below, inside)
    return 2.0 * np.where((t_min >= t[-1])[:, None], 0.0, out)


def _parent_spectra(species: EmittedSpecies, t: np.ndarray, masses: np.ndarray, tables=None) -> np.ndarray:
    """Primary spectra of ``species`` on parent grid ``t`` for each hole mass: shape (t, M)."""
    return species_spectrum(species, t[:, None], masses[None, :], tables)


def _hot_masses(parent: EmittedSpecies, t: np.ndarray, masses: np.ndarray, weights, tables=None) -> np.ndarray:
    """Mask of the masses whose parent emission can matter (all of them without weights).

    The total emission of a mass is bounded by its spectrum's maximum times the grid width;
    masses whose weighted maximum is below 1e-20 of the largest are left out (a 1e-20 change).
    """
    if weights is None or masses.size == 1:
        return np.ones(masses.shape, dtype=bool)
    # the spectrum peaks at t ~ 4 T: sample a few nodes around it for each mass
    T = hawking_temperature(masses)
    probe = np.clip(T[None, :] * np.array([0.0, 1.0, 3.0, 6.0])[:, None], 0.0, t[-1])
    peak = species_spectrum(parent, probe, masses[None, :], tables).max(axis=0) * np.abs(weights) * np.maximum(T, t[0])
    return peak > 1e-20 * peak.max() if peak.max() > 0 else np.zeros(masses.shape, dtype=bool)


def _secondary(particle: str, E_kin: np.ndarray, masses: np.ndarray, weights: np.ndarray | None, content,
               tables=None) -> np.ndarray:
    """Secondary spectrum at ``E_kin``: (len(E_kin), len(masses)), or (len(E_kin),) summed with ``weights``.

    Decay kernels (mu, pi -> e) act on the fixed daughter grid, then are interpolated to E_kin;
    pi0 -> gamma gamma is evaluated at E_kin directly.  Everything is linear in the parent
    spectra, so with weights the masses are summed before the kernels are applied.
    """
    mats = _secondary_matrices()
    tail = () if weights is not None else masses.shape
    on_grid = np.zeros(mats.T_out.shape + tail)
    direct = np.zeros(E_kin.shape + tail)
    for parent_name, kernel, share in _SECONDARY_CHANNELS[particle]:
        parent = _species(content, parent_name)
        if parent is None:
            continue
        hot = _hot_masses(parent, mats.t, masses, weights, tables)
        if not np.any(hot):
            continue
        n_parent = _parent_spectra(parent, mats.t, masses[hot], tables)

        def combine(per_mass):
            """Sum over the hot masses with the weights, or scatter them into all masses."""
            if weights is not None:
                return per_mass @ weights[hot]
            out = np.zeros(per_mass.shape[:1] + masses.shape)
            out[:, hot] = per_mass
            return out

        if kernel == "pion0_to_photons":
            direct += share * combine(_pion0_photons(np.maximum(E_kin, 1e-300), mats.t, n_parent))
            continue
        decay = mats.kernels[kernel]
        daughters = decay.matrix @ combine(_parent_quadrature(mats.t, n_parent))
        k_next = decay.matrix[decay.threshold_rows, decay.threshold_index + 1]
        correction = combine(_threshold_terms(decay, mats.t, n_parent))
        daughters[decay.threshold_rows] += k_next.reshape((-1,) + (1,) * (correction.ndim - 1)) * correction
        on_grid += share * daughters
    if weights is not None:
        return direct + _interpolate_loglog(mats.T_out, on_grid, E_kin)
    return direct + np.stack([_interpolate_loglog(mats.T_out, on_grid[:, k], E_kin) for k in range(masses.size)], axis=1)


def _interpolate_loglog(T_grid: np.ndarray, values: np.ndarray, E_kin: np.ndarray) -> np.ndarray:
    """Monotone cubic (PCHIP) interpolation in (ln T, ln value); power law below the grid, 0 above."""
    tiny = 1e-300
    positive = values > tiny
    if not np.any(positive):
        return np.zeros_like(E_kin)
    logv = np.log(np.maximum(values, tiny))
    spline = PchipInterpolator(np.log(T_grid), logv, extrapolate=False)
    out = np.zeros_like(E_kin)
    inside = (E_kin >= T_grid[0]) & (E_kin <= T_grid[-1])
    out[inside] = np.exp(spline(np.log(E_kin[inside])))
    below = (E_kin < T_grid[0]) & (E_kin > 0)
    if np.any(below) and positive[0] and positive[1]:
        slope = (logv[1] - logv[0]) / math.log(T_grid[1] / T_grid[0])
        out[below] = values[0] * (E_kin[below] / T_grid[0]) ** slope
    out[out <= 1e-290] = 0.0
    return out


def _warn_outside_validity(E_kin: np.ndarray, masses: np.ndarray, weights=None) -> None:
    """OutsideValidityWarning for holes hotter than QCD_TEMPERATURE or energies above the decay grid."""
    used = masses if weights is None else masses[np.asarray(weights) != 0]
    if used.size and hawking_temperature(used.min()) > QCD_TEMPERATURE:
        warnings.warn(f"a hole of {used.min():.3g} g has T = {hawking_temperature(used.min()):.3g} GeV > "
                      f"{QCD_TEMPERATURE:g} GeV: the emission of quarks and gluons and their jets (MacGibbon & Webber "
                      "1990) is neglected, so the secondaries are incomplete", OutsideValidityWarning, stacklevel=3)
    top = 10.0 ** _GRID_LOG10[1]
    if np.any(E_kin > top):
        warnings.warn(f"kinetic energies above {top:g} GeV (up to {np.max(E_kin):.3g} GeV) lie beyond the decay grid: "
                      "the secondary spectrum is set to zero there", OutsideValidityWarning, stacklevel=3)


def secondary_spectrum(particle: str, E_kin, mass, content="standard", tables=None):
    """Secondary d2N/dt dE_kin [GeV^-1 s^-1 per hole] from the decays of emitted mu, pi (e+-) or pi0 (photons).

    ``E_kin`` [GeV] is 0- or 1-D; ``mass`` [g] a number (for several masses call
    :func:`spectrum` with ``weights``).  Warns outside validity (module docstring).
    """
    particle = _check_particle(particle)
    mass = _positive(mass, "black-hole mass")
    if np.ndim(mass) != 0:
        raise ValueError("secondary_spectrum takes one mass; use spectrum(..., weights=...) for several")
    E_kin = _nonnegative(E_kin, "kinetic energy")
    _warn_outside_validity(np.atleast_1d(E_kin), np.array([mass]))
    out = _secondary(particle, np.atleast_1d(E_kin).astype(float), np.array([mass]), None, content, tables)[:, 0]
    return out.reshape(np.shape(E_kin)) if np.ndim(E_kin) else float(out[0])


@dataclass(frozen=True)
class Spectrum:
    """Primary and secondary d2N/dt dE_kin at kinetic energies ``E_kin`` [GeV]; ``unit`` says per what."""

    particle: str
    E_kin: np.ndarray
    primary: np.ndarray
    secondary: np.ndarray
    unit: str = "GeV^-1 s^-1 per black hole"

    @property
    def total(self) -> np.ndarray:
        return self.primary + self.secondary


def spectrum(particle: str, E_kin, masses, weights=None, content="standard", tables=None) -> Spectrum:
    """Primary, secondary and total spectra of ``particle`` at kinetic energies ``E_kin`` [GeV].

    * ``masses`` a number [g], ``weights`` None: per hole [GeV^-1 s^-1].
    * ``masses`` a 1-D array and ``weights`` of the same length: ``sum_k weights_k
      d2N/dt dE(E, masses_k)`` -- a quadrature over a mass function (see
      :mod:`.source`); the unit is then that of the weights times GeV^-1 s^-1.

    ``content`` sets the emitted species, primary and secondary (zeros for a particle the
    content does not emit); ``tables`` the greybody tables.  Warns (:class:`OutsideValidityWarning`)
    for holes hotter than 0.2 GeV and energies above 1e3 GeV (module docstring).
    """
    particle = _check_particle(particle)
    E_kin = np.atleast_1d(_nonnegative(E_kin, "kinetic energy")).astype(float)
    if E_kin.ndim != 1:
        raise ValueError("E_kin must be a number or a 1-D array")
    masses = np.atleast_1d(_positive(masses, "black-hole mass"))
    if weights is None:
        if masses.size != 1:
            raise ValueError("several masses need weights (a quadrature); or call once per mass")
        w = np.ones(1)
    else:
        w = np.asarray(weights, dtype=float)
        if w.shape != masses.shape or masses.ndim != 1:
            raise ValueError("masses and weights must be 1-D arrays of the same length")
    _warn_outside_validity(E_kin, masses, w)
    primary = primary_spectrum(particle, E_kin[:, None], masses[None, :], tables, content) @ w
    secondary = _secondary(particle, E_kin, masses, w, content, tables)
    return Spectrum(particle, E_kin, primary, secondary)


# --- integrated rates, mass loss, lifetime -----------------------------------------------------

_X_INTEGRAL = (1e-9, 8.0)  # exp(-8 pi 8) = 1e-87 at the top

#: (spin, id(table)) -> (table, n spline, p spline); the table is kept so that its id stays its own
_INTEGRALS: dict = {}


def _integrals(spin: float, tables=None):
    """Splines in ln y of n_s(y) and p_s(y) = (1/2 pi) Integral_y^inf x^{0,1} S/(e^{8 pi x} -+ 1) dx,
    for the greybody table of ``spin`` in ``tables`` (default: shipped); cached per table."""
    table = (tables or greybody.default_tables())[spin]
    key = (spin, id(table))
    if key not in _INTEGRALS:
        x = np.geomspace(*_X_INTEGRAL, 6001)
        g = _rate_x(spin, x, {spin: table}) / (2.0 * math.pi)
        lnx = np.log(x)
        # integrate in ln x from the top: Integral_y^xmax f dx = Integral f x dlnx
        n_rev = cumulative_simpson((g * x)[::-1], x=-lnx[::-1], initial=0.0)[::-1]
        p_rev = cumulative_simpson((g * x * x)[::-1], x=-lnx[::-1], initial=0.0)[::-1]
        _INTEGRALS[key] = (table, CubicSpline(lnx, n_rev), CubicSpline(lnx, p_rev))
    return _INTEGRALS[key][1:]


def dof_integrals(spin, y, tables=None):
    """(n_s(y), p_s(y)): number and energy integrals per state above x = y (dimensionless).

    ``p_s(0)`` is the power per state in units of hbar c^6 / (G^2 M^2), ``n_s(0)`` the number
    rate in units of c^3 / (G M).  ``tables``: greybody tables (default: shipped).
    """
    spin = greybody.check_spin(spin)
    y = np.asarray(y, dtype=float)
    n_spl, p_spl = _integrals(spin, tables)
    lo, hi = _X_INTEGRAL
    ly = np.log(np.clip(y, lo, hi))
    n = np.where(y >= hi, 0.0, n_spl(ly))
    p = np.where(y >= hi, 0.0, p_spl(ly))
    return n, p


def species_rates(mass, content="standard", tables=None) -> dict:
    """{species name: (number rate [s^-1], power [GeV s^-1])} of a hole of ``mass`` [g]."""
    mass = _positive(mass, "black-hole mass")
    scale = _HBAR_C3_OVER_G / np.asarray(mass)  # hbar c^3/(G M) [GeV]
    rates = {}
    for s in get_content(content):
        n, p = dof_integrals(s.spin, s.mass / scale, tables)
        rates[s.name] = (s.dof * n * scale / const.hbar, s.dof * p * scale**2 / const.hbar)
    return rates


def power_coefficient(mass, content="standard", tables=None):
    """M^2 P in units of hbar c^6 / G^2: sum_i g_i p_{s_i}(G M m_i / hbar c^3) (dimensionless).

    For massless species it is independent of M: 2.011e-4 for Page 1976's set ("page1976").
    """
    mass = _positive(mass, "black-hole mass")
    scale = _HBAR_C3_OVER_G / np.asarray(mass)
    return sum(s.dof * dof_integrals(s.spin, s.mass / scale, tables)[1] for s in get_content(content))


def mass_loss_rate(mass, content="standard", tables=None):
    """-dM/dt [g s^-1] (a positive number) of a hole of ``mass`` [g]; broadcasts over ``mass``.

    ``-dM/dt c^2 = power_coefficient(M) hbar c^6 / (G^2 M^2)``.
    """
    scale = _HBAR_C3_OVER_G / np.asarray(_positive(mass, "black-hole mass"))
    return power_coefficient(mass, content, tables) * scale**2 / const.hbar / const.gram_in_GeV


def macgibbon_f(mass, content="standard", tables=None):
    """f(M) = M^2 |dM/dt| / 5.34e25 g^3 s^-1 (MacGibbon 1991 normalisation; 1 for gamma + 3 nu)."""
    return np.asarray(mass) ** 2 * mass_loss_rate(mass, content, tables) / ALPHA_MACGIBBON


def lifetime(mass, content="standard", n_nodes: int = 400, tables=None):
    """Time [s] for a hole of initial ``mass`` [g] to evaporate: Integral_0^M dM' / |dM'/dt|.

    Gauss-Legendre in ln M' over [1e-6 M, M] (the part below holds < 1e-17 of the lifetime,
    which scales as M^3).  The content is the same at every mass: the "standard" content has
    no quarks or gluons, which a hole hotter than Lambda_QCD (M < ~5e13 g) would emit; for
    M > 5e14 g this changes the lifetime by < 0.5 %.
    """
    mass = _positive(mass, "black-hole mass")
    masses = np.atleast_1d(mass).astype(float)
    nodes, wts = gauss_legendre(n_nodes)
    out = np.empty_like(masses)
    span = math.log(1e6)
    for i, m0 in enumerate(masses):
        lnm = math.log(m0) - span * (1.0 - nodes) / 2.0
        m = np.exp(lnm)
        out[i] = np.sum(wts * span / 2.0 * m / mass_loss_rate(m, content, tables))
    return out.reshape(np.shape(mass)) if np.ndim(mass) else float(out[0])


def evaporating_mass(age: float = AGE_OF_UNIVERSE, content="standard", tables=None) -> float:
    """Initial mass [g] of a hole that evaporates in ``age`` [s] (default: age of the Universe)."""
    age = _positive(age, "age")
    lnm = brentq(lambda v: lifetime(math.exp(v), content, tables=tables) - age, math.log(1e5), math.log(1e20),
                 xtol=1e-10)
    return math.exp(lnm)
