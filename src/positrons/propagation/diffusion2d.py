"""Steady-state 2D (R, z) transport: diffusion, re-acceleration, convection, losses.

Solves the transport equation of Strong & Moskalenko (1998, ApJ 509, 212) for psi(R, z, p) on
the cylinder R <= R_h, |z| <= z_h with psi = 0 on its boundary (discretisation:
:mod:`positrons.propagation.operator`; linear solver: :mod:`positrons.propagation.solver`).

Which tool when (all on one :class:`Propagator`, built once per model, grid and species):

* :meth:`Propagator.solve` -- the whole solution of one source (primaries, secondaries);
* :meth:`Propagator.energy_response` -- the matrix from injected to observed spectrum for one
  spatial profile (PBH or dark-matter halo, the SNR distribution): one adjoint solve per
  observed energy once, then any spectrum costs a matrix-vector product;
* :meth:`Propagator.observer_response` -- the Green's function of the observer: one adjoint
  solve per observed energy once, then ANY source costs one dot product.

``SolverSettings(method="reference")`` selects the discretisation and solver of version 0.1
(:mod:`positrons.propagation.reference2d`), kept as the reference of the benchmarks.
Responses are cached in memory per propagator and, with ``cache=``, on disk
(:mod:`positrons.cache`).

This module only assembles and solves: the loss and catastrophic rates of a species are wired
in :mod:`positrons.propagation.rates`, the inelastic cross sections live in
:mod:`positrons.cross_sections.inelastic`.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from .. import kinematics as kin
from .. import units as u
from . import solver as _solver
from .grid import Grid, GridSpec
from .models import PropagationModel
from .operator import TransportOperator, assemble
from .rates import species_rates
from .solution import Solution, SolverSettings, observation_weights, observed_rows

__all__ = ["Grid", "GridSpec", "Propagator", "Solution", "SolverSettings", "observation_weights"]


class Propagator:
    """The transport operator of one model on one grid for one species, assembled and
    preconditioned once.

    Parameters
    ----------
    model : PropagationModel
    grid : Grid
    species : str
        ``positron``, ``electron``, ``proton``, ``helium`` ... (sets mass, charge).
    loss_rate : callable, optional
        ``loss_rate(R_kpc, z_kpc, T) -> b`` [GeV/s], b = -dT/dt >= 0, broadcasting over
        (n_R-1, 1, 1), (1, n_z', 1) and (1, 1, n_energies) arrays; evaluated at the momentum
        faces.  None: no energy losses.
    catastrophic_rate : callable, optional
        ``rate(R_kpc, z_kpc, T) -> 1/tau`` [1/s] (fragmentation, decay).  None: none.
    settings : SolverSettings
    cache : positrons.cache.ArrayCache, optional
        A disk cache for :meth:`solve` and :meth:`energy_response`, keyed by the assembled
        operator itself (its fingerprint), the source and the settings.
    preconditioner : positrons.propagation.solver.TwoLevelPreconditioner, optional
        The (forward) preconditioner of a similar operator on the same grid, e.g.
        :meth:`preconditioner` of another nucleus: its factorisations are reused
        (:meth:`~positrons.propagation.solver.TwoLevelPreconditioner.for_operator`) instead of
        factorising this operator; the solution is this operator's to the same tolerance, GMRES
        taking a few more iterations.  None: factorise this operator (on the first solve).

    Sources and solutions are mirror-symmetric about the disc (the solver works on z >= 0):
    a source that is not is refused by :meth:`solve`; the observer routines at z = 0 use its
    symmetric part, which is exact there.
    """

    def __new__(cls, model=None, grid=None, species=None, loss_rate=None, catastrophic_rate=None,
                settings: SolverSettings = SolverSettings(), cache=None, preconditioner=None):
        if cls is Propagator and settings.method == "reference":
            from .reference2d import ReferencePropagator

            return ReferencePropagator(model, grid, species, loss_rate, catastrophic_rate, settings)
        return super().__new__(cls)

    def __init__(self, model: PropagationModel, grid: Grid, species: str, loss_rate: Callable | None = None,
                 catastrophic_rate: Callable | None = None, settings: SolverSettings = SolverSettings(),
                 cache=None, preconditioner: _solver.TwoLevelPreconditioner | None = None):
        self.model = model
        self.grid = grid
        self.species = kin.get_species(species).name
        self.settings = settings
        self.cache = cache
        self._species = kin.get_species(species)
        self.operator: TransportOperator = assemble(model, grid, species, loss_rate, catastrophic_rate,
                                                    settings.power_weight_offset)
        # factorised on the first solve (a cached result needs none), or another operator's factors
        self._precondition = None if preconditioner is None else preconditioner.for_operator(self.operator)
        self._precondition_T = None  # built on the first adjoint solve
        self._responses: dict = {}
        self._observers: dict = {}

    @classmethod
    def for_species(cls, model: PropagationModel, grid: Grid, species: str, ism=None,
                    settings: SolverSettings = SolverSettings(), lifetime_s: float | None = None, cache=None):
        """A propagator with the energy losses (and, for nuclei, the inelastic collisions) of
        ``species`` in the interstellar medium ``ism`` (default
        :meth:`positrons.interstellar.InterstellarMedium.default`); ``lifetime_s`` adds the decay
        of an unstable species (:func:`~positrons.propagation.rates.species_rates`).  The decay
        products are not followed."""
        from ..interstellar import InterstellarMedium

        ism = InterstellarMedium.default(r_sun_kpc=model.r_sun_kpc) if ism is None else ism
        loss_rate, catastrophic = species_rates(species, ism, lifetime_s)
        if settings.method == "reference":
            from .reference2d import ReferencePropagator

            return ReferencePropagator(model, grid, species, loss_rate, catastrophic, settings)
        return cls(model, grid, species, loss_rate=loss_rate, catastrophic_rate=catastrophic, settings=settings,
                   cache=cache)

    def preconditioner(self) -> _solver.TwoLevelPreconditioner:
        """The forward preconditioner (factorised now if not yet), e.g. to share with the
        propagator of a similar operator (the ``preconditioner`` argument)."""
        if self._precondition is None:
            self._precondition = _solver.TwoLevelPreconditioner(self.operator)
        return self._precondition

    def release_factors(self) -> None:
        """Free the preconditioners' LU factors (tens of MB per propagator); they are rebuilt
        on the next solve.  For a propagator kept only for its cached responses."""
        self._precondition = self._precondition_T = None

    # --- sources --------------------------------------------------------------------------------
    def _source_array(self, source) -> np.ndarray:
        """The source on the whole grid, shape ``grid.shape``, per unit kinetic energy."""
        g = self.grid
        q = source(g.R_kpc[:, None, None], g.z_kpc[None, :, None], g.T[None, None, :]) if callable(source) else source
        q = np.broadcast_to(np.asarray(q, dtype=float), g.shape)
        if not np.all(np.isfinite(q)):
            raise ValueError("the source must be finite")
        return q

    def _internal(self, q_full: np.ndarray) -> np.ndarray:
        """Per unit kinetic energy on the whole grid -> per unit momentum, internal ordering."""
        return (self.operator.fold(q_full) * self.operator.beta[None, :, None]).reshape(-1)

    def _density(self, x: np.ndarray) -> np.ndarray:
        """Internal psi (per unit momentum) -> density per GeV on the whole grid."""
        op = self.operator
        half = x.reshape(op.n_rows, op.n_T, op.n_z) / op.beta[None, :, None]
        return op.unfold(half)

    def _solve(self, b, transpose=False):
        """x = S b (S^T b with ``transpose``), S the solution operator of the settings: A1^-1
        (first order), or with the defect correction S = A1^-1 (2 - A2 A1^-1), A2 the
        second-order operator (:attr:`TransportOperator.matrix2`).  Returns (x, iterations)."""
        if transpose and self._precondition_T is None:
            self._precondition_T = _solver.TwoLevelPreconditioner(self.operator, transpose=True)
            self._matrix2_T = self.operator.matrix2.T.tocsr()
        if not transpose and self._precondition is None:
            self._precondition = _solver.TwoLevelPreconditioner(self.operator)
        s = self.settings
        precondition = self._precondition_T if transpose else self._precondition
        x, iterations = _solver.solve(self.operator, b, precondition, s.rtol, s.restart, s.maxiter, transpose=transpose)
        if s.defect_correction:  # the correction to the accuracy of the first solve
            A2 = self._matrix2_T if transpose else self.operator.matrix2
            dx, more = _solver.solve(self.operator, b - A2 @ x, precondition, s.rtol, s.restart, s.maxiter,
                                     transpose=transpose,
                                     reference_norm=_solver.scaled_norm(self.operator, precondition, b))
            x, iterations = x + dx, iterations + more
        return x, iterations

    # --- solutions ------------------------------------------------------------------------------
    def solve(self, source) -> Solution:
        """Steady state for ``source`` [cm^-3 s^-1 GeV^-1 per unit kinetic energy]: an array of
        shape ``grid.shape`` or a callable ``q(R_kpc, z_kpc, T)`` broadcasting as (nR,1,1),
        (1,nz,1), (1,1,nT); mirror-symmetric in z."""
        b = self._internal(self._source_array(source))
        key = None
        if self.cache is not None:
            key = self.cache.key("solve", self.operator.fingerprint(), b, self.settings.as_dict())
            cached = self.cache.load(key)
            if cached is not None and cached.shape == (b.size + 2,):
                return Solution(self.grid, self.species, self._density(cached[:-2]), self.model.name, self.settings,
                                int(cached[-2]), float(cached[-1]))
        x, iters = self._solve(b)
        op = self.operator
        A = op.matrix2 if self.settings.defect_correction else op.matrix
        r = np.abs(A @ x - b).reshape(op.n_rows, op.n_T, op.n_z)
        scale = (np.abs(A.diagonal() * x) + np.abs(b)).reshape(op.n_rows, op.n_T, op.n_z)
        worst_r = np.moveaxis(r, 1, 0).reshape(op.n_T, -1).max(axis=1)
        worst_s = np.moveaxis(scale, 1, 0).reshape(op.n_T, -1).max(axis=1)
        residual = float(np.max(worst_r / np.where(worst_s > 0, worst_s, 1.0)))
        if key is not None:
            self.cache.save(key, np.concatenate([x, [iters, residual]]), what="solution", species=self.species,
                            model=self.model.name)
        return Solution(self.grid, self.species, self._density(x), self.model.name, self.settings, iters, residual)

    def _observer_vector(self, R_kpc, z_kpc) -> np.ndarray:
        """Observation weights folded onto the half grid (node z and -z add up)."""
        w_full = observation_weights(self.grid, R_kpc, z_kpc)
        nz = self.operator.n_z
        half = w_full[:, nz - 1:].copy()
        half[:, 1:] += w_full[:, nz - 2::-1]
        return half  # (nR, nz')

    def _adjoint_row(self, w_half: np.ndarray, i: int) -> np.ndarray:
        """Solution y of A^T y = e_i (e_i: the observation weights in energy block i, for the
        density per unit kinetic energy), in the internal ordering (nR, nT, nz')."""
        op = self.operator
        e = np.zeros((op.n_rows, op.n_T, op.n_z))
        e[:, i, :] = w_half / op.beta[i]  # density = psi / beta
        y, _ = self._solve(e.reshape(-1), transpose=True)
        return y.reshape(op.n_rows, op.n_T, op.n_z) * op.beta[None, :, None]  # b = q beta

    def energy_response(self, profile: Callable, R_kpc: float | None = None, z_kpc: float = 0.0,
                        observed_GeV: tuple | None = None, progress: Callable | None = None) -> np.ndarray:
        """Response matrix G [n_T x n_T] from injected to observed spectrum for one spatial profile.

        For sources q(R, z, T) = profile(R, z) Q(T) (Q per unit kinetic energy; ``profile`` a
        callable sampled at the nodes, as :meth:`solve` does, or an array of shape
        ``grid.shape[:2]``, e.g. its cell averages :meth:`Grid.cell_average` for a cusp),
        ``density_obs = G @ Q``
        [cm^-3 GeV^-1] at the observer (default the Sun).  One adjoint solve per observed
        energy; ``observed_GeV = (lo, hi)`` limits them to the grid energies bracketing that
        range (the other rows are NaN, so that a product outside it cannot pass unnoticed).
        Cached per (profile values, observer, range) in memory and in ``cache`` on disk.
        ``progress``: called as ``progress(done, total)`` after each adjoint solve (e.g. a
        progress bar; not called when the response comes from a cache).
        """
        R_kpc = self.model.r_sun_kpc if R_kpc is None else float(R_kpc)
        g, op = self.grid, self.operator
        values = profile(g.R_kpc[:, None], g.z_kpc[None, :]) if callable(profile) else profile
        shape_full = np.broadcast_to(np.asarray(values, dtype=float), g.shape[:2])
        shape_half = op.fold(shape_full[:, :, None], what="the profile")[:, 0, :]  # (nR, nz')
        rows = observed_rows(g.T, observed_GeV)
        key = (shape_half.tobytes(), R_kpc, float(z_kpc), rows.tobytes())
        if key in self._responses:
            return self._responses[key]
        disk_key = None
        if self.cache is not None:
            disk_key = self.cache.key("energy_response", self.operator.fingerprint(), shape_half, R_kpc,
                                      float(z_kpc), rows, self.settings.as_dict())
            cached = self.cache.load(disk_key)
            if cached is not None:
                self._responses[key] = cached
                return cached
        w_half = self._observer_vector(R_kpc, z_kpc)
        G = np.full((g.T.size, g.T.size), np.nan)
        for done, i in enumerate(rows, start=1):
            y = self._adjoint_row(w_half, i)
            G[i, :] = np.einsum("ijk,ik->j", y, shape_half)
            if progress is not None:
                progress(done, len(rows))
        if self.cache is not None:
            self.cache.save(disk_key, G)
        self._responses[key] = G
        return G

    def local_flux(self, profile: Callable, spectrum, R_kpc: float | None = None, z_kpc: float = 0.0,
                   observed_GeV: tuple | None = None) -> np.ndarray:
        """Intensity at the observer [m^-2 s^-1 sr^-1 GeV^-1] for q = profile(R, z) spectrum(T),
        through :meth:`energy_response` (``spectrum`` an array on ``grid.T`` or a callable)."""
        Q = spectrum(self.grid.T) if callable(spectrum) else np.asarray(spectrum, dtype=float)
        density = self.energy_response(profile, R_kpc, z_kpc, observed_GeV) @ Q
        return kin.flux_from_density(density, self.grid.T, self._species.mass)

    def observer_response(self, R_kpc: float | None = None, z_kpc: float = 0.0) -> np.ndarray:
        """Green's function of the observer: W [cm^-3 GeV^-1 per (cm^-3 s^-1 GeV^-1)] of shape
        ``(n_T,) + grid.shape`` (observed energy i, R, z, injected energy j) such that, for ANY
        source array ``q`` of shape ``grid.shape`` (per unit kinetic energy),

            density_obs[i] = np.einsum("irzj,rzj->i", W, q)

        equals ``solve(q).at(R_kpc, z_kpc)[i]`` (for sources not symmetric in z: their
        symmetric part, exact at z = 0).  One adjoint solve per observed energy; cached per
        observer.  Memory: n_T^2 x the spatial cells.
        """
        R_kpc = self.model.r_sun_kpc if R_kpc is None else float(R_kpc)
        key = (R_kpc, float(z_kpc))
        if key not in self._observers:
            g = self.grid
            w_half = self._observer_vector(R_kpc, z_kpc)
            W = np.empty((g.T.size,) + g.shape)
            for i in range(g.T.size):
                y = np.moveaxis(self._adjoint_row(w_half, i), 1, 2)  # (nR, nz', nT)
                # a symmetric source counts its z != 0 nodes twice in the half problem
                W[i] = np.concatenate([0.5 * y[:, :0:-1, :], y[:, :1, :], 0.5 * y[:, 1:, :]], axis=1)
            self._observers[key] = W
        return self._observers[key]

    def observer_density(self, source, R_kpc: float | None = None, z_kpc: float = 0.0) -> np.ndarray:
        """Density at the observer [cm^-3 GeV^-1] on ``grid.T`` for any ``source`` (array of
        shape ``grid.shape`` or callable, as for :meth:`solve`) through :meth:`observer_response`."""
        q = self._source_array(source)
        if z_kpc != 0.0:
            self.operator.fold(q)  # off the disc plane the antisymmetric part would count: refuse it
        W = self.observer_response(R_kpc, z_kpc)
        return np.tensordot(W, q, axes=3)

    def observer_flux(self, source, R_kpc: float | None = None, z_kpc: float = 0.0) -> np.ndarray:
        """Intensity at the observer [m^-2 s^-1 sr^-1 GeV^-1] for any ``source`` through
        :meth:`observer_response`: after the first call for an observer a new source costs
        one dot product (no solve)."""
        density = self.observer_density(source, R_kpc, z_kpc)
        return kin.flux_from_density(density, self.grid.T, self._species.mass)

    # --- conservation diagnostics ------------------------------------------------------------
    def boundary_outflow(self, solution: Solution) -> float:
        """Particles per second leaving through R = R_h, z = +-z_h and below the lowest
        momentum face (diffusion, convection, cooling), from the boundary fluxes alone: the
        conservation check (equal to :meth:`injection_rate` in a steady state)."""
        op = self.operator
        x = self._internal(solution.density).reshape(op.n_rows, op.n_T, op.n_z)  # psi per unit p
        dz_cm = op.z_widths_kpc * u.kpc
        vol = op.R_volumes[:, None] * u.kpc**2 * dz_cm[None, :]  # half-domain cells [cm^3]
        dp = op.dp
        # radial boundary: the coupling of the last row to psi = 0 at R_h
        out = np.sum(op.D[:, None] * op.R_upper[-1] * x[-1] * vol[-1][None, :] * dp[:, None])
        # top boundary: the z flux through the face between the last node and z_h
        out += np.sum(op.z_top_outflow_rate[None, :] * x[:, :, -1] * vol[:, -1][:, None] * dp[None, :])
        # cooling below the lowest momentum face
        out += np.sum(op.cooling_rate_lowest_face * x[:, 0, :] * vol)
        return float(2.0 * out)

    @property
    def energy_bin_widths(self) -> np.ndarray:
        """Kinetic-energy width [GeV] of each energy cell (beta dp): the weights with which a
        source per unit kinetic energy on ``grid.T`` counts particles (a spectral line at one
        node is 1 / width there)."""
        return self.operator.beta * self.operator.dp

    def injection_rate(self, source) -> float:
        """Particles per second injected by ``source`` on the whole grid (cells x energy widths)."""
        op = self.operator
        q = self._internal(self._source_array(source)).reshape(op.n_rows, op.n_T, op.n_z)
        vol = op.R_volumes[:, None] * u.kpc**2 * (op.z_widths_kpc * u.kpc)[None, :]
        return float(2.0 * np.sum(q * vol[:, None, :] * op.dp[None, :, None]))
