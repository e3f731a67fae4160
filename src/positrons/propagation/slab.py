r"""The thin-disc / diffusive-halo ("slab") model: a fast semi-analytic 1D nuclear network.

The standard tool of B/C fits (Maurin, Donato, Taillet & Salati 2001, ApJ 555, 585, Sects. 3-4;
Maurin, Putze & Derome 2010, A&A 516, A67, Sect. 2; Génolini et al. 2019, PRD 99, 123028; the
USINE code, Maurin 2020, CPC 247, 106942).  The Galaxy is an infinite slab in (x, y):

* a thin gas disc of half-height ``h`` (0.1 kpc) holding the sources, the gas (n_H, n_He,
  n_e), and so the spallation, the ionisation/Coulomb losses and the re-acceleration;
* a diffusive halo of half-height ``L`` (the model's ``z_h_kpc``), N = 0 at |z| = L;
* diffusion K(R) (the model's D_xx: beta^eta D0 (R/R0)^delta with its optional break),
  constant convection V_c sign(z) away from the disc (``v_conv0_km_s``), radioactive decay
  Gamma_rad = 1/(gamma tau) everywhere.

For every isotope, with N_0(E) the density in the disc per unit kinetic energy E of the whole
nucleus, the halo equation ``-K N'' + V_c N' + Gamma_rad N = 0`` (z > 0, N(L) = 0) is solved by

    N(z) = N_0 exp(V_c z / 2K) sinh(S (L - z)/2) / sinh(S L/2),   S = sqrt(V_c^2/K^2 + 4 Gamma_rad/K)   (1)

and integrating the transport equation across the disc gives the disc equation (Maurin et al.
2001, Eqs. 8-10; the thin disc replaced by 2h delta(z))

    (A / 2h + Gamma_inel + Gamma_rad) N_0 + d/dE [ b N_0 - c dN_0/dE ] = q_0                  (2)
    A = V_c + K S coth(S L / 2)                     (escape through the halo, both sides)
    Gamma_inel = beta c (n_H sigma_H + n_He sigma_He)   (inelastic destruction, "2h n sigma v" per 2h)
    b = -b_ion/Coul(E) - (V_c / 3h) p beta + (1 + beta^2)/E_tot  beta^2 K_pp      (energy gain rate)
    c = beta^2 K_pp                                                                 (energy diffusion)

with the adiabatic loss of the convective wind's jump at the disc (dV/dz = 2 V_c delta(z)),
and K_pp [GeV^2/s] the re-acceleration coefficient of
:meth:`positrons.propagation.models.PropagationModel.momentum_diffusion` (D_pp = 4 V_a^2 p^2 /
(3 K delta (4 - delta^2)(4 - delta)), Seo & Ptuskin 1994), acting in the disc only -- as in the
slab fits cited above, not in the whole halo as in the 2D engine.  A slab V_a is therefore not
the 2D model's: the same energy gain needs V_a(2D) ~ V_a(slab) sqrt(h/L).

Sources in the disc: the primary injection ``a_i Q(R)/(dE/dR)`` (per unit disc volume,
unit-normalised: only ratios and profiled normalisations are used) and the fragmentation of
heavier isotopes, in the straight-ahead approximation (E/A conserved) with the cross sections
and the solve order of :mod:`positrons.propagation.network` (:func:`~.network.solve_order`,
heaviest first), ``q_j->i = (A_j/A_i) beta_j c (n_H sigma_j->i,H + n_He sigma_j->i,He) N_0,j``.
A radioactive parent (10Be -> 10B, ...) decays in the disc and in the whole halo; its halo
decays give the daughter the disc-equivalent source

    q_eq = Gamma_p N_0,p (1 + I / h),   I = int_0^L [N_p(z)/N_0,p] phi_d(z) dz                   (3)

where phi_d(z) = exp(-V_c z / 2K_d) sinh(S_d (L - z)/2) / sinh(S_d L/2) solves the adjoint halo
equation of the daughter (Green's identity); I is evaluated in closed form.

Eq. 2 is a second-order ODE in E per isotope, discretised conservatively on the node grid
E_i = A T_n,i (first-order upwind for the drift b, central differences for c, no flux through
the ends except the drift carrying particles out of the grid) and solved as a tridiagonal
system (LAPACK ``gtsv``, Gaussian elimination with partial pivoting).  Without the energy terms (``energy_terms=False``,
or b = c = 0) Eq. 2 is algebraic: N_0 = q_0 / (A/2h + Gamma_inel + Gamma_rad).  With V_c = 0
and no decay, A = 2K/L: the slab is the leaky box with the grammage X = mu v L / (2K),
mu = 2h rho the disc's surface density (Maurin et al. 2001, Sect. 5; Jones et al. 2001).

Validity: the infinite slab has no radial boundary and a uniform disc, adequate when the
halo height L is small compared with the distance to the radial edge of the Galaxy (~ 10 kpc
from the Sun) and for stable species above ~ 1 GeV/n: the 2D network's B/C differs from the
slab's by the radial escape and the radial gas gradient (a few to ~20 %; measured in
tests/test_slab.py and docs/propagation_fit.md).  Constant V_c only (a gradient dV_c/dz is
refused).  The numbers are as good as the energy grid: use >= 10 points per decade.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.linalg import lapack

from .. import constants as const
from .. import kinematics as kin
from .. import units as u
from ..cross_sections.fragmentation import isotope_name, isotope_species, nuclear_cross_sections
from .models import Injection, PropagationModel
from .network import NetworkResult, NetworkSettings, _couplings, solve_order

__all__ = ["SlabDisc", "SlabNetwork", "escape_rate", "halo_decay_integral", "solve_slab_network",
           "slab_grammage"]

#: a lower bound on S L / 2 (the stable, convection-free limit is taken at this value: the
#: relative error is ~ (1e-3)^2)
_SMALL_SL = 1e-3


@dataclass(frozen=True)
class SlabDisc:
    """The thin gas disc of the slab model.

    ``h_kpc``: half-height (0.1 kpc, Maurin et al. 2001); ``n_H_cm3``, ``n_He_cm3``, ``n_e_cm3``:
    mean densities in the disc [cm^-3].  Defaults: the package's gas model
    (:class:`positrons.interstellar.GasDistribution`) at r = 8.5 kpc, its column density
    int n dz over |z| < 5 kpc divided by 2h (:meth:`from_gas` reproduces them), so that the
    slab's disc holds the 2D model's column at the Sun: n_H = 1.33, n_He = 0.133, n_e (free
    electrons, warm ionised medium) = 0.209 cm^-3.  For comparison, the slab fits of Maurin et
    al. (2001) use n_H = 0.9, n_He = 0.1 cm^-3.
    """

    h_kpc: float = 0.1
    n_H_cm3: float = 1.33
    n_He_cm3: float = 0.133
    n_e_cm3: float = 0.209

    def __post_init__(self):
        if not self.h_kpc > 0 or min(self.n_H_cm3, self.n_He_cm3, self.n_e_cm3) < 0:
            raise ValueError("the disc needs h > 0 and non-negative densities")

    @classmethod
    def from_gas(cls, ism=None, r_kpc: float = 8.5, h_kpc: float = 0.1, z_max_kpc: float = 5.0) -> "SlabDisc":
        """The disc holding the column of the gas model ``ism`` (default
        :meth:`InterstellarMedium.default`) at radius ``r_kpc`` within |z| < ``z_max_kpc``."""
        from ..interstellar import InterstellarMedium

        ism = InterstellarMedium.default(r_sun_kpc=r_kpc) if ism is None else ism
        z = np.linspace(-z_max_kpc, z_max_kpc, 20001)
        r = np.full_like(z, r_kpc)

        def column(density):
            return float(np.trapezoid(np.asarray(density(r, z), dtype=float), z)) / (2.0 * h_kpc)

        return cls(h_kpc, column(ism.gas.n_H_total), column(ism.gas.n_He), column(ism.gas.n_electron_free))

    @property
    def surface_density_g_cm2(self) -> float:
        """mu = 2 h (m_H n_H + m_He n_He) [g cm^-2]."""
        from ..interstellar import M_H_ATOM_G, M_HE_ATOM_G

        return 2.0 * self.h_kpc * u.kpc * (M_H_ATOM_G * self.n_H_cm3 + M_HE_ATOM_G * self.n_He_cm3)

    def as_dict(self) -> dict:
        return {"h_kpc": self.h_kpc, "n_H_cm3": self.n_H_cm3, "n_He_cm3": self.n_He_cm3, "n_e_cm3": self.n_e_cm3}


def _x_coth_x(x):
    """x coth(x), 1 at x -> 0."""
    x = np.asarray(x, dtype=float)
    small = np.abs(x) < 1e-6
    return np.where(small, 1.0 + x * x / 3.0, x / np.tanh(np.where(small, 1.0, x)))


def _solve_tridiagonal(lower, upper, rhs):
    """x of the tridiagonal system with unit diagonal, sub-diagonal ``lower`` and super-diagonal
    ``upper`` (LAPACK ``dgtsv`` called directly: the sampler calls it ~ 30 times per evaluation,
    where :func:`scipy.linalg.solve_banded`'s argument checks cost as much as the solve)."""
    *_, x, info = lapack.dgtsv(lower, np.ones(rhs.size), upper, rhs)
    if info != 0:
        raise ValueError(f"singular slab energy operator (LAPACK dgtsv info {info})")
    return x


def escape_rate(K, V_c, gamma_rad, L):
    """A = V_c + K S coth(S L/2) [cm/s] of Eq. 2 (``K`` [cm^2/s], ``V_c`` [cm/s],
    ``gamma_rad`` [1/s], ``L`` [cm]); 2K/L + ... as S -> 0."""
    K = np.asarray(K, dtype=float)
    S = np.sqrt((V_c / K) ** 2 + 4.0 * np.asarray(gamma_rad, dtype=float) / K)
    return V_c + (2.0 * K / L) * _x_coth_x(0.5 * S * L)


def halo_decay_integral(K_p, K_d, V_c, gamma_p, gamma_d, L):
    """I [cm] of Eq. 3: int_0^L [N_p(z)/N_0,p] phi_d(z) dz, for a parent with (K_p, Gamma_p) and
    a daughter with (K_d, Gamma_d) (arrays over energy; cm^2/s, 1/s, cm/s, cm).

    With a = S_p/2, b = S_d/2, c = V_c (1/K_p - 1/K_d)/2 the integrand is
    exp(c z) sinh(a (L-z)) sinh(b (L-z)) / (sinh(aL) sinh(bL)); expanding the sinh into
    exponentials gives four terms int_0^L exp(k z) dz, each written with non-positive
    exponents (no overflow).  a and b are bounded below by 1e-3/L (their zero limit)."""
    K_p, K_d = np.asarray(K_p, dtype=float), np.asarray(K_d, dtype=float)
    floor = _SMALL_SL / L
    a = np.maximum(0.5 * np.sqrt((V_c / K_p) ** 2 + 4.0 * np.asarray(gamma_p, dtype=float) / K_p), floor)
    b = np.maximum(0.5 * np.sqrt((V_c / K_d) ** 2 + 4.0 * np.asarray(gamma_d, dtype=float) / K_d), floor)
    c = 0.5 * V_c * (1.0 / K_p - 1.0 / K_d)
    top = (c - a - b) * L  # the exponent of every term at z = L (<= 0 since c <= a + b)

    def term(k, low):
        """(exp(top) - exp(low)) / k = exp(low) int_0^L exp(k z) dz, with low = top - k L."""
        k = np.asarray(k, dtype=float)
        tiny = np.abs(k * L) < 1e-8
        safe = np.where(tiny, 1.0, k)
        return np.where(tiny, np.exp(low) * L, (np.exp(top) - np.exp(low)) / safe)

    total = (term(c - a - b, 0.0 * top) - term(c - a + b, -2.0 * b * L) - term(c + a - b, -2.0 * a * L)
             + term(c + a + b, -2.0 * (a + b) * L))
    return total / (-np.expm1(-2.0 * a * L) * -np.expm1(-2.0 * b * L))


def slab_grammage(model: PropagationModel, T, species, disc: SlabDisc = SlabDisc()):
    """Grammage X = mu v L / (2K) [g cm^-2] of a stable species without convection (the slab's
    leaky-box equivalent; Maurin et al. 2001, Sect. 5), at kinetic energy ``T`` [GeV]."""
    sp = kin.get_species(species)
    beta = kin.beta_from_kinetic(T, sp.mass)
    K = model.diffusion(T, sp)
    return disc.surface_density_g_cm2 * beta * const.c_light * model.z_h_kpc * u.kpc / (2.0 * K)


@dataclass(frozen=True)
class _Isotope:
    """Precomputed per-isotope tables of a :class:`SlabNetwork` (energy grid E = A T_n)."""

    za: tuple[int, int]
    species: kin.Species
    T: np.ndarray
    beta: np.ndarray
    gamma: np.ndarray
    p: np.ndarray  # momentum [GeV/c]
    R: np.ndarray  # rigidity [GV]
    gamma_inel: np.ndarray  # [1/s]
    gamma_rad: np.ndarray  # [1/s]
    loss: np.ndarray  # ionisation + Coulomb [GeV/s]
    abundance: float
    parents: tuple  # ((index, kind, coefficient array), ...)


class SlabNetwork:
    """The nuclear network of the slab model on one grid of kinetic energy per nucleon.

    The cross sections, loss rates and couplings are tabulated once at construction (a few
    ms to a second); :meth:`solve` then costs one tridiagonal solve per isotope (~ 0.1 ms each),
    which is what a sampler needs.  ``T_n`` [GeV/n], increasing (log-spaced, >= 10 per decade);
    ``settings``: the isotopes, abundances and switches of :class:`NetworkSettings`
    (``energy_losses`` switches ionisation/Coulomb); ``energy_terms=False`` drops the whole
    energy operator (losses, adiabatic losses, re-acceleration): Eq. 2 becomes algebraic.
    """

    def __init__(self, T_n, settings: NetworkSettings = NetworkSettings(), disc: SlabDisc = SlabDisc(),
                 xs=None, energy_terms: bool = True):
        from .. import losses

        T_n = np.asarray(T_n, dtype=float)
        if T_n.ndim != 1 or T_n.size < 3 or np.any(np.diff(T_n) <= 0):
            raise ValueError("T_n must be an increasing 1D grid of at least 3 energies")
        self.T_n = T_n
        self.settings = settings
        self.disc = disc
        self.energy_terms = bool(energy_terms)
        xs = nuclear_cross_sections(settings.production_model) if xs is None else xs
        order = solve_order(settings.isotopes, xs)
        into = _couplings(order, xs, settings)
        index = {za: i for i, za in enumerate(order)}
        n_H, n_He = disc.n_H_cm3, disc.n_He_cm3
        isotopes = []
        for za in order:
            sp = isotope_species(*za)
            A = za[1]
            T = A * T_n
            beta = kin.beta_from_kinetic(T, sp.mass)
            sigma = n_H * xs.inelastic_mb(za, T_n, "H") + n_He * xs.inelastic_mb(za, T_n, "He")
            decay = xs.decay(za) if settings.decays else None
            gamma = kin.gamma_from_kinetic(T, sp.mass)
            gamma_rad = 1.0 / (gamma * decay[1]) if decay is not None else np.zeros_like(T)
            loss = np.zeros_like(T)
            if settings.energy_losses and energy_terms:
                loss = (losses.nucleus_ionization_loss(T, sp, n_H, n_He)
                        + losses.nucleus_coulomb_loss(T, sp, disc.n_e_cm3))
            parents = []
            for parent, kind in into[za]:
                if kind == "frag":
                    beta_p = kin.beta_from_kinetic(parent[1] * T_n, isotope_species(*parent).mass)
                    s = n_H * xs.production_mb(parent, za, T_n, "H") + n_He * xs.production_mb(parent, za, T_n, "He")
                    parents.append((index[parent], "frag", (parent[1] / A) * beta_p * const.c_light * s * u.mb_to_cm2))
                else:
                    parents.append((index[parent], "decay", None))
            isotopes.append(_Isotope(za, sp, T, beta, gamma, kin.momentum_from_kinetic(T, sp.mass),
                                     kin.rigidity_from_kinetic(T, sp),
                                     beta * const.c_light * sigma * u.mb_to_cm2, gamma_rad, loss,
                                     settings.abundance(sp.name), tuple(parents)))
        self._isotopes = tuple(isotopes)
        # finite-volume geometry of the energy grid, per isotope (E = A T_n: scaled by A)
        logT = np.log(T_n)
        edges = np.exp(np.concatenate([[1.5 * logT[0] - 0.5 * logT[1]], 0.5 * (logT[1:] + logT[:-1]),
                                       [1.5 * logT[-1] - 0.5 * logT[-2]]]))
        self._width_n = np.diff(edges)  # cell widths in T_n
        self._step_n = np.diff(T_n)  # node spacing in T_n

    @property
    def isotopes(self) -> tuple[str, ...]:
        return tuple(iso.species.name for iso in self._isotopes)

    def _disc_operator(self, iso: _Isotope, model: PropagationModel, K, V_c, h):
        """(diagonal, upper, lower) of the energy part of Eq. 2 on ``iso``'s grid [1/s]."""
        n = iso.T.size
        zero = np.zeros(n)
        if not self.energy_terms:
            return zero, zero[:-1], zero[:-1]
        A = iso.za[1]
        Kpp = model.momentum_diffusion_at(iso.p, K) if model.v_alfven_km_s > 0 else zero
        c = iso.beta**2 * Kpp
        E_tot = iso.T + iso.species.mass
        b = -iso.loss - (V_c / (3.0 * h)) * iso.p * iso.beta + (1.0 + iso.beta**2) / E_tot * c
        width = A * self._width_n
        step = A * self._step_n
        b_e = 0.5 * (b[1:] + b[:-1])
        c_e = 0.5 * (c[1:] + c[:-1]) / step
        c_lo = np.maximum(b_e, 0.0) + c_e  # coefficient of N_j in the flux F_{j+1/2}
        c_hi = np.minimum(b_e, 0.0) - c_e  # coefficient of N_{j+1}
        diag = np.zeros(n)
        diag[:-1] += c_lo / width[:-1]
        diag[1:] -= c_hi / width[1:]
        diag[0] -= min(b[0], 0.0) / width[0]  # drift out through the bottom
        diag[-1] += max(b[-1], 0.0) / width[-1]  # and through the top
        upper = c_hi / width[:-1]
        lower = -c_lo / width[1:]
        return diag, upper, lower

    def solve(self, model: PropagationModel, injection: Injection | None = None,
              injections: dict | None = None, production_scale: dict | None = None) -> NetworkResult:
        """Solve the network for ``model``: the disc densities of every isotope.

        ``injection``: the spectrum in rigidity of every primary (default: ``settings.injection``
        or the model's proton injection, as :func:`~.network.solve_network`); ``injections``:
        ``{isotope name: Injection}`` overriding it per isotope (e.g. protons and helium with
        their own indices); ``production_scale``: ``{daughter charge Z: factor}`` multiplying
        every fragmentation cross section into the isotopes of that element (a cross-section
        normalisation nuisance of a fit, e.g. ``{5: 1.1}`` for boron).  Returns a :class:`~.network.NetworkResult` (``method="slab"``;
        densities per unit T_n at the Sun, for a unit-normalised injection per unit disc volume).
        """
        if model.dv_conv_dz_km_s_kpc != 0:
            raise ValueError("the slab model has a constant convection speed: dv_conv_dz_km_s_kpc must be 0")
        injection = injection or self.settings.injection or model.proton_injection
        injections = injections or {}
        production_scale = production_scale or {}
        L = model.z_h_kpc * u.kpc
        h = self.disc.h_kpc * u.kpc
        V_c = model.v_conv0_km_s * u.km
        solved, K_of, density = [], [], {}
        for iso in self._isotopes:
            K = model.diffusion_at(iso.R, iso.beta)
            q = np.zeros_like(iso.T)
            if iso.abundance > 0:
                spectrum = injections.get(iso.species.name, injection)
                q += iso.abundance * spectrum.shape(iso.R) / (
                    iso.species.abs_charge * iso.beta)
            scale = production_scale.get(iso.za[0], 1.0)
            for j, kind, coefficient in iso.parents:
                parent = self._isotopes[j]
                if kind == "frag":
                    q += (scale * coefficient) * solved[j]
                else:
                    I = halo_decay_integral(K_of[j], K, V_c, parent.gamma_rad, iso.gamma_rad, L)
                    q += parent.gamma_rad * solved[j] * (1.0 + I / h)
            diag = escape_rate(K, V_c, iso.gamma_rad, L) / (2.0 * h) + iso.gamma_inel + iso.gamma_rad
            if not np.any(q > 0):
                N = np.zeros_like(q)
            else:
                d_e, up, lo = self._disc_operator(iso, model, K, V_c, h)
                if not self.energy_terms or not (np.any(up) or np.any(lo) or np.any(d_e)):
                    N = q / diag
                else:
                    row = diag + d_e  # row scaling keeps the system well conditioned
                    N = _solve_tridiagonal(lo / row[1:], up / row[:-1], q / row)
            solved.append(N)
            K_of.append(K)
            density[iso.species.name] = iso.za[1] * N
        names = tuple(isotope_name(*iso.za) for iso in self._isotopes)
        return NetworkResult(self.T_n, names, density, "slab", self.settings, model.name)


def solve_slab_network(model: PropagationModel, T_n, settings: NetworkSettings = NetworkSettings(),
                       disc: SlabDisc = SlabDisc(), xs=None, energy_terms: bool = True,
                       injection: Injection | None = None) -> NetworkResult:
    """One-shot :class:`SlabNetwork` ``(T_n, settings, disc, xs, energy_terms).solve(model, injection)``
    (build the network once and call :meth:`SlabNetwork.solve` for many models)."""
    return SlabNetwork(T_n, settings, disc, xs, energy_terms).solve(model, injection)
