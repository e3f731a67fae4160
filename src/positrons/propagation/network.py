r"""The nuclear network: primaries and secondaries from Si down to Li, in the 2D model and the leaky box.

Each isotope i (charge Z_i, mass number A_i) obeys the transport equation of
:mod:`positrons.propagation.diffusion2d` with

* catastrophic losses ``beta c [n_H sigma_i,H + n_He sigma_i,He] + 1/(gamma tau_i)``
  (inelastic collisions, :meth:`NuclearCrossSections.inelastic_mb`; decay of radioactive
  isotopes with the rest-frame lifetime tau_i);
* continuous ionisation and Coulomb losses (:func:`positrons.losses.nucleus_loss_terms`);
* the source ``q_i = a_i q_inj + sum_{j heavier} q_j->i``, the primary injection of abundance
  ``a_i`` (the model's injection in rigidity, :func:`positrons.propagation.injection.injection_on_grid`)
  plus the fragmentation of the heavier isotopes, in the straight-ahead approximation (the
  fragment keeps the kinetic energy per nucleon T_n of its parent):

      q_j->i(R, z, T_i) = (A_j / A_i) beta c N_j(R, z, T_j) [n_H sigma_j->i,H + n_He sigma_j->i,He](T_n)

  with T_j = A_j T_n and T_i = A_i T_n (densities per unit kinetic energy of the whole
  nucleus, hence the factor A_j/A_i), and the decay of a radioactive parent,
  ``N_j / (gamma tau_j)`` (10Be -> 10B, 14C -> 14N, 26Al -> 26Mg).

Every isotope is propagated on the grid ``T = A T_n`` of one per-nucleon grid, so that the
energy index is shared.  Fragmentation only lowers A (channels to the same A -- charge
exchange, ~1 mb -- are dropped) and decays keep A, so the network is triangular: it is solved
isotope by isotope from the heaviest down, the decaying isotope of a mass number before its
daughter (:func:`solve_order`), each solve being one linear solve with the isotope's own
operator.  Short-lived ("ghost") nuclei are in the cumulative cross sections.

Two solvers of the same network: :func:`solve_network` (2D, the engine) and
:func:`solve_leaky_box_network` (the homogeneous leaky box, Eq. 2' of
:mod:`positrons.propagation.leaky_box`, without continuous losses).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .. import constants as const
from .. import kinematics as kin
from .. import units as u
from ..cross_sections.fragmentation import (NuclearCrossSections, isotope_name, isotope_species,
                                            nuclear_cross_sections, parse_isotope)
from .diffusion2d import Propagator
from .grid import GridSpec
from .models import Injection, PropagationModel
from .solution import SolverSettings, observation_weights

__all__ = ["DEFAULT_ISOTOPES", "SOURCE_ABUNDANCES", "NetworkSettings", "NetworkResult", "solve_order",
           "solve_network", "solve_leaky_box_network"]

#: the isotopes of the default network: Li to Si (26)
DEFAULT_ISOTOPES = ("28Si", "27Al", "26Al", "26Mg", "25Mg", "24Mg", "23Na", "22Ne", "21Ne", "20Ne", "19F", "18O",
                    "17O", "16O", "15N", "14C", "14N", "13C", "12C", "11B", "10Be", "10B", "9Be", "7Be", "7Li",
                    "6Li")

#: source abundances at equal rigidity relative to 16O (our choice: rounded solar-system-like
#: ratios with the C/O and N/O of cosmic-ray sources, e.g. Evoli et al. 2019; only their overall
#: normalisation is fitted, to the AMS-02 oxygen flux -- see docs/nuclei.md)
SOURCE_ABUNDANCES = (("12C", 0.92), ("13C", 0.01), ("14N", 0.065), ("16O", 1.0), ("18O", 0.002), ("20Ne", 0.14),
                     ("22Ne", 0.02), ("23Na", 0.008), ("24Mg", 0.16), ("25Mg", 0.02), ("26Mg", 0.022),
                     ("27Al", 0.018), ("28Si", 0.15))


@dataclass(frozen=True)
class NetworkSettings:
    """What the network includes (each switch is a check: fragmentation off gives each isotope
    its single-species solve).  ``injection``: the primary injection in rigidity (None: the
    model's proton injection at equal rigidity)."""

    isotopes: tuple[str, ...] = DEFAULT_ISOTOPES
    abundances: tuple[tuple[str, float], ...] = SOURCE_ABUNDANCES
    fragmentation: bool = True
    decays: bool = True
    energy_losses: bool = True
    production_model: str = "evoli2019"
    injection: Injection | None = None
    share_preconditioner: bool = True

    def abundance(self, name: str) -> float:
        return dict(self.abundances).get(name, 0.0)

    def as_dict(self) -> dict:
        return {"isotopes": list(self.isotopes), "abundances": dict(self.abundances),
                "fragmentation": self.fragmentation, "decays": self.decays, "energy_losses": self.energy_losses,
                "production_model": self.production_model, "share_preconditioner": self.share_preconditioner}


@dataclass(frozen=True)
class NetworkResult:
    """Local interstellar densities of every isotope of a network solution.

    ``T_n`` [GeV/n]; ``density[name]`` [cm^-3 (GeV/n)^-1] per unit kinetic energy per nucleon
    at the observer; ``flux_per_nucleon(name)`` the intensity [m^-2 s^-1 sr^-1 (GeV/n)^-1].
    ``solutions`` (2D with ``keep_solutions``): ``{name: (propagator, solution, source)}``, for
    the conservation diagnostics (:meth:`Propagator.boundary_outflow`).  ``numerics`` (2D): the
    grid spacings and the solver settings of the solve (dR_kpc, dz_kpc, dz_max_kpc,
    energy_points_per_decade, solver).
    """

    T_n: np.ndarray
    isotopes: tuple[str, ...]
    density: dict
    method: str
    settings: NetworkSettings
    model: str
    solutions: dict = field(default_factory=dict, repr=False)
    numerics: dict = field(default_factory=dict)

    def species(self, name: str) -> kin.Species:
        return isotope_species(*parse_isotope(name))

    def flux_per_nucleon(self, name: str) -> np.ndarray:
        """Intensity [m^-2 s^-1 sr^-1 (GeV/n)^-1] of one isotope: c beta N / 4 pi."""
        sp = self.species(name)
        beta = kin.beta_from_kinetic(sp.mass_number * self.T_n, sp.mass)
        return const.c_light * beta * self.density[name] / (4.0 * np.pi) * u.m**2

    def element_flux_per_nucleon(self, Z: int) -> np.ndarray:
        """Sum of the isotopes of charge ``Z`` [m^-2 s^-1 sr^-1 (GeV/n)^-1]."""
        names = [n for n in self.isotopes if parse_isotope(n)[0] == Z]
        if not names:
            raise ValueError(f"no isotope of Z = {Z} in the network")
        return sum(self.flux_per_nucleon(n) for n in names)


def solve_order(isotopes, xs: NuclearCrossSections) -> list[tuple[int, int]]:
    """(Z, A) of ``isotopes`` from the heaviest down; within one A a decaying isotope before its
    daughter."""
    zas = [parse_isotope(n) if isinstance(n, str) else tuple(n) for n in isotopes]
    present = set(zas)

    def steps(za):  # decays down the chain inside the network
        n, seen = 0, za
        while True:
            d = xs.decay(seen)
            if d is None or d[0] not in present or n > 5:
                return n
            seen, n = d[0], n + 1

    return sorted(zas, key=lambda za: (-za[1], -steps(za), za[0]))


def _couplings(order, xs, settings):
    """{daughter: [(parent, kind)]} with kind 'frag' or 'decay'."""
    into = {za: [] for za in order}
    for parent in order:
        if settings.fragmentation:
            for d in xs.daughters(parent):
                if d in into and d[1] < parent[1]:
                    into[d].append((parent, "frag"))
        if settings.decays:
            dec = xs.decay(parent)
            if dec is not None and dec[0] in into:
                into[dec[0]].append((parent, "decay"))
    return into


def _nucleus_losses(species, ism):
    """Ionisation + Coulomb loss-rate callable of ``species`` for the operator."""
    from .. import losses

    def loss_rate(R, z, T):
        terms = losses.nucleus_loss_terms(np.ravel(T), species, ism)
        return terms.evaluate(np.asarray(R)[:, :, 0], np.asarray(z)[:, :, 0])

    return loss_rate


def _catastrophic_rate(ism, beta, sigma_H, sigma_He, lifetime_s, gamma):
    """Callable 1/tau(R, z, T) [1/s] of one isotope for the operator: inelastic collisions on H
    and He (``sigma_*`` [cm^2] and ``beta`` on the isotope's energy grid) plus, for a radioactive
    isotope, the decay 1/(gamma tau) (``lifetime_s`` None: stable)."""

    def rate(R, z, T):
        Rk, zk = np.asarray(R)[:, :, 0], np.asarray(z)[:, :, 0]
        out = beta * const.c_light * (ism.gas.n_H_total(Rk, zk)[:, :, None] * sigma_H
                                      + ism.gas.n_He(Rk, zk)[:, :, None] * sigma_He)
        if lifetime_s is not None:
            out = out + 1.0 / (gamma * lifetime_s)
        return out

    return rate


def solve_network(model: PropagationModel, T_n, settings: NetworkSettings = NetworkSettings(),
                  grid_spec: GridSpec | None = None, ism=None, solver: SolverSettings = SolverSettings(),
                  xs: NuclearCrossSections | None = None, keep_solutions: bool = False,
                  progress: Callable | None = None) -> NetworkResult:
    """Solve the network in the 2D model on kinetic energies per nucleon ``T_n`` [GeV/n].

    The primary injection of each isotope is ``abundance x`` the unit-normalised injection of
    :func:`positrons.propagation.injection.injection_on_grid` (per unit T of the isotope at equal
    rigidity); the result is linear in it.  ``xs``: any object with the methods of
    :class:`NuclearCrossSections` (default: ``nuclear_cross_sections(settings.production_model)``).
    ``progress``: called as ``progress(done, total)`` after each isotope.

    With ``settings.share_preconditioner`` (the default, two-level solver only) the stable
    isotopes share the preconditioner (LU factors) of the first one solved, the heaviest
    (:meth:`Propagator.preconditioner`): each is still solved with its own operator to the
    solver's tolerance, and GMRES needs about as many iterations as with its own factors
    (measured on the default grid with MED: 189 against 185 for the 25 solves), so the
    network costs 3 factorisations instead of 25.  A radioactive isotope factorises its own
    operator (its decay rate fills the halo, where a stable nucleus has almost no losses: with
    the factors of 28Si, 26Al does not converge); a shared solve that takes more than twice the
    iterations of the factorised one, or fails to converge, hands the sharing to the next
    isotope's own factors.
    """
    from ..interstellar import InterstellarMedium
    from .injection import injection_on_grid
    from .solver import ConvergenceError

    T_n = np.asarray(T_n, dtype=float)
    ism = InterstellarMedium.default(r_sun_kpc=model.r_sun_kpc) if ism is None else ism
    xs = nuclear_cross_sections(settings.production_model) if xs is None else xs
    spec = GridSpec() if grid_spec is None else grid_spec
    order = solve_order(settings.isotopes, xs)
    into = _couplings(order, xs, settings)
    base = spec.grid(model, T_n * order[0][1])
    R2, z2 = base.R_kpc[:, None], base.z_kpc[None, :]
    n_H = np.asarray(ism.gas.n_H_total(R2, z2), dtype=float)[:, :, None]
    n_He = np.asarray(ism.gas.n_He(R2, z2), dtype=float)[:, :, None]
    w_obs = observation_weights(base, model.r_sun_kpc, 0.0)
    solved, density, keep = {}, {}, {}
    injection = settings.injection or model.proton_injection
    share = settings.share_preconditioner and solver.method == "two_level"
    shared = None  # (preconditioner, GMRES iterations of the solve that factorised it)
    for done, za in enumerate(order, start=1):
        sp = isotope_species(*za)
        A = za[1]
        grid = spec.grid(model, A * T_n)
        q = _network_source(za, settings, xs, into, solved, T_n, n_H, n_He)
        a = settings.abundance(sp.name)
        if a > 0:
            q += a * injection_on_grid(model, sp, grid, injection)
        decay = xs.decay(za) if settings.decays else None
        catastrophic = _catastrophic_rate(ism, kin.beta_from_kinetic(grid.T, sp.mass),
                                          xs.inelastic_mb(za, T_n, "H") * u.mb_to_cm2,
                                          xs.inelastic_mb(za, T_n, "He") * u.mb_to_cm2,
                                          None if decay is None else decay[1],
                                          kin.gamma_from_kinetic(grid.T, sp.mass))
        loss_rate = _nucleus_losses(sp, ism) if settings.energy_losses else None
        if not np.any(q > 0):
            N = np.zeros(grid.shape)
        else:
            reuse = shared[0] if share and decay is None and shared is not None else None
            rates = {"loss_rate": loss_rate, "catastrophic_rate": catastrophic, "settings": solver}
            prop = Propagator(model, grid, sp, preconditioner=reuse, **rates)
            try:
                solution = prop.solve(q)
            except ConvergenceError:
                if reuse is None:
                    raise
                prop, reuse, shared = Propagator(model, grid, sp, **rates), None, None
                solution = prop.solve(q)
            if share and decay is None:
                if reuse is None:
                    shared = (prop.preconditioner(), solution.iterations)
                elif solution.iterations > 2 * max(shared[1], 1):
                    shared = None  # the next stable isotope factorises its own operator
            N = solution.density
            if keep_solutions:
                prop.release_factors()
                keep[sp.name] = (prop, solution, q)
        solved[za] = N
        density[sp.name] = A * np.tensordot(w_obs, N, axes=([0, 1], [0, 1]))  # per unit T_n
        if progress is not None:
            progress(done, len(order))
    names = tuple(isotope_name(*za) for za in order)
    numerics = {**spec.as_dict(), "solver": solver.as_dict()}
    return NetworkResult(T_n, names, density, "2D", settings, model.name, keep, numerics)


def _network_source(za, settings, xs, into, solved, T_n, n_H, n_He) -> np.ndarray:
    """Secondary source [cm^-3 s^-1 GeV^-1] of isotope ``za`` on its grid (n_R-1, n_z-2, n_T):
    fragmentation of the solved heavier isotopes on H and He (``n_H``, ``n_He`` [cm^-3] on the
    grid, shape (n_R-1, n_z-2, 1)) and decays of its radioactive parents."""
    A = za[1]
    from_H, from_He, decayed = 0.0, 0.0, 0.0
    for parent, kind in into[za]:
        N_p = solved.get(parent)
        if N_p is None:
            continue
        m_p = isotope_species(*parent).mass
        if kind == "frag":
            # q = (A_p / A) beta_p c (n_H sigma_H + n_He sigma_He) N_p (straight-ahead, per unit T)
            w = (parent[1] / A) * kin.beta_from_kinetic(parent[1] * T_n, m_p) * const.c_light * u.mb_to_cm2
            from_H = from_H + (w * xs.production_mb(parent, za, T_n, "H")) * N_p
            from_He = from_He + (w * xs.production_mb(parent, za, T_n, "He")) * N_p
        else:
            _, tau = xs.decay(parent)
            decayed = decayed + N_p / (kin.gamma_from_kinetic(parent[1] * T_n, m_p) * tau)
    return np.broadcast_to(n_H * from_H + n_He * from_He + decayed, n_H.shape[:2] + T_n.shape).copy()


def solve_leaky_box_network(box, T_n, settings: NetworkSettings = NetworkSettings(), xs=None,
                            injection: Injection | None = None) -> NetworkResult:
    """Solve the network in the homogeneous leaky box ``box``
    (:class:`positrons.propagation.leaky_box.LeakyBox`: grammage, n_H, He/H) on ``T_n`` [GeV/n].

    Per isotope, Eq. 2' of :mod:`.leaky_box`: ``N = Q / (1/tau_esc + n_H beta c sigma + 1/(gamma tau))``
    with ``sigma = sigma_H + (He/H) sigma_He``; the source is the primary injection
    ``a_i R^-gamma / (dT/dR)`` [per unit T, arbitrary units] plus ``sum_j n_H beta_j c
    (sigma_j->i,H + (He/H) sigma_j->i,He) N_j (A_j/A_i)`` and the decays.  No continuous losses,
    so this is the 2D network's limit at high energy (or with ``energy_losses=False``).
    """
    T_n = np.asarray(T_n, dtype=float)
    xs = nuclear_cross_sections(settings.production_model) if xs is None else xs
    order = solve_order(settings.isotopes, xs)
    into = _couplings(order, xs, settings)
    injection = injection or settings.injection or Injection((2.4,))
    y = box.he_to_h
    solved, density = {}, {}
    for za in order:
        sp = isotope_species(*za)
        A = za[1]
        T = A * T_n
        q = np.zeros(T_n.shape)
        a = settings.abundance(sp.name)
        if a > 0:
            q += a * injection.shape(kin.rigidity_from_kinetic(T, sp)) / kin.dT_dR(T, sp)
        for parent, kind in into[za]:
            N_p = solved.get(parent)
            if N_p is None:
                continue
            if kind == "frag":
                beta_p = kin.beta_from_kinetic(parent[1] * T_n, isotope_species(*parent).mass)
                sigma = (xs.production_mb(parent, za, T_n, "H") + y * xs.production_mb(parent, za, T_n, "He"))
                q += (parent[1] / A) * box.n_H_cm3 * beta_p * const.c_light * sigma * u.mb_to_cm2 * N_p
            else:
                _, tau = xs.decay(parent)
                q += N_p / (kin.gamma_from_kinetic(parent[1] * T_n, isotope_species(*parent).mass) * tau)
        sigma_in = xs.inelastic_mb(za, T_n, "H") + y * xs.inelastic_mb(za, T_n, "He")
        decay = xs.decay(za) if settings.decays else None
        N = box.solve_nucleus(q, T, sp, sigma_in, None if decay is None else decay[1])
        solved[za] = N
        density[sp.name] = A * N
    names = tuple(isotope_name(*za) for za in order)
    return NetworkResult(T_n, names, density, "leaky_box", settings, "leaky box")
