"""The reference method of the 2D transport (version 0.1), kept to check the default one.

Selected with ``SolverSettings(method="reference")`` in
:class:`~positrons.propagation.diffusion2d.Propagator`; the default method is described in
:mod:`positrons.propagation.operator` and :mod:`positrons.propagation.solver`.

Discretisation (finite volumes, so that particle number is conserved to round-off):

* **space**: the whole cylinder, uniform vertex grid R_i = i dR, z_k = -z_h + k dz (n_z odd,
  z = 0 a node); diffusion by central differences of the fluxes; convection by upwind fluxes
  (first order), its divergence from the same face velocities;
* **momentum**: energy losses (and adiabatic losses) are fluxes through the faces, taken upwind
  (from the higher momentum), with the face value reconstructed in the weighted variable
  phi = psi p^s: order 1 (default) takes phi from the cell above -- exact for psi ~ p^-s,
  first order otherwise, positive on any grid; order 2 extrapolates phi linearly in ln p
  from the two cells above -- not positivity preserving, refused on grids coarser than
  ``MAX_STEP_ORDER2``.  Re-acceleration: central fluxes in p.

The linear system is solved by GMRES, right-preconditioned with a symmetric block
Gauss-Seidel sweep in energy (the diagonal blocks, one 2D operator per energy, LU-factorised
once); the number of iterations grows with the number of energies per decade, because
re-acceleration couples neighbouring energies ever more strongly.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import scipy.sparse as sp
from scipy.sparse import linalg as spla

from .. import kinematics as kin
from .. import units as u
from .grid import Grid
from .models import PropagationModel
from .solution import MAX_STEP_ORDER2, Solution, SolverSettings, observation_weights, observed_rows


def _laplacian_1d_R(grid: Grid) -> sp.csr_matrix:
    """Cylindrical radial part (1/R) d/dR (R d/dR) [cm^-2], finite volumes, psi(R_h) = 0."""
    n = grid.n_R - 1
    dR = grid.dR_kpc * u.kpc
    i = np.arange(n)
    R = i * dR
    R_plus = (i + 0.5) * dR
    R_minus = np.clip(i - 0.5, 0, None) * dR
    with np.errstate(divide="ignore", invalid="ignore"):
        up = np.where(i > 0, R_plus / (R * dR**2), 4.0 / dR**2)
        down = np.where(i > 0, R_minus / (R * dR**2), 0.0)
    diag = -(up + down)
    return sp.diags([diag, down[1:], up[:-1]], [0, -1, 1], shape=(n, n), format="csr")


def _laplacian_1d_z(grid: Grid) -> sp.csr_matrix:
    n = grid.n_z - 2
    dz = grid.dz_kpc * u.kpc
    ones = np.ones(n)
    return sp.diags([-2 * ones / dz**2, ones[1:] / dz**2, ones[1:] / dz**2], [0, -1, 1], format="csr")


def _convection_1d_z(grid: Grid, model: PropagationModel):
    """(C, div V): C psi = -d(V psi)/dz with upwind face fluxes [s^-1]; div V per node [s^-1]."""
    n = grid.n_z - 2
    dz_kpc = grid.dz_kpc
    z = grid.z_kpc
    v_up = model.convection_velocity(z + 0.5 * dz_kpc)  # face above node k
    v_down = model.convection_velocity(z - 0.5 * dz_kpc)  # face below node k
    dz = dz_kpc * u.kpc
    rows, cols, vals = [], [], []
    k = np.arange(n)
    # flux through the upper face of k: V>0 carries psi_k up, V<0 carries psi_{k+1} down
    pos = v_up > 0
    rows += [k[pos]]; cols += [k[pos]]; vals += [-v_up[pos] / dz]  # noqa: E702
    neg = (v_up < 0) & (k + 1 < n)
    rows += [k[neg]]; cols += [k[neg] + 1]; vals += [-v_up[neg] / dz]  # noqa: E702
    # flux through the lower face of k (enters with + sign)
    pos = (v_down > 0) & (k - 1 >= 0)
    rows += [k[pos]]; cols += [k[pos] - 1]; vals += [v_down[pos] / dz]  # noqa: E702
    neg = v_down < 0
    rows += [k[neg]]; cols += [k[neg]]; vals += [v_down[neg] / dz]  # noqa: E702
    C = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(n, n))
    return C, (v_up - v_down) / dz


class ReferencePropagator:
    """The reference method (version 0.1) of :class:`~positrons.propagation.diffusion2d.Propagator`:
    the transport operator of one model on one uniform grid for one species, assembled once.

    Parameters
    ----------
    model : PropagationModel
    grid : Grid
    species : str
        ``positron``, ``electron``, ``proton``, ``helium`` ... (sets mass, charge).
    loss_rate : callable, optional
        ``loss_rate(R_kpc, z_kpc, T) -> b`` [GeV/s], b = -dT/dt >= 0, broadcasting over
        (n_R-1, 1, 1), (1, n_z-2, 1) and (1, 1, n_energies) arrays; evaluated at the momentum
        faces.  None: no energy losses.
    catastrophic_rate : callable, optional
        ``rate(R_kpc, z_kpc, T) -> 1/tau`` [1/s] (fragmentation, decay).  None: none.
    settings : SolverSettings
    """

    def __init__(
        self,
        model: PropagationModel,
        grid: Grid,
        species: str,
        loss_rate: Callable | None = None,
        catastrophic_rate: Callable | None = None,
        settings: SolverSettings = SolverSettings(),
    ):
        if abs(grid.R_h_kpc - model.R_h_kpc) > 1e-9 or abs(grid.z_h_kpc - model.z_h_kpc) > 1e-9:
            raise ValueError("the grid's halo size differs from the model's (use Grid.for_model)")
        if not grid.uniform_z:
            raise ValueError("the reference method needs a uniform z grid (z_stretch = 1)")
        self.model = model
        self.grid = grid
        self.species = kin.get_species(species).name
        self.settings = settings
        self._species = kin.get_species(species)
        self._assemble(loss_rate, catastrophic_rate)
        self._factorise()
        self._responses: dict = {}
        self._observers: dict = {}
        self._adjoint = None  # transposed blocks, built on the first adjoint solve

    # --- assembly ----------------------------------------------------------------------------
    def _assemble(self, loss_rate, catastrophic_rate):
        g, m, spc = self.grid, self.model, self._species
        nR, nz, nT = g.shape
        ns = nR * nz
        self.n_space = ns
        T = g.T
        p = kin.momentum_from_kinetic(T, spc.mass)
        lnp = np.log(p)
        faces_ln = np.concatenate([[1.5 * lnp[0] - 0.5 * lnp[1]], 0.5 * (lnp[1:] + lnp[:-1]), [1.5 * lnp[-1] - 0.5 * lnp[-2]]])
        p_face = np.exp(faces_ln)  # nT + 1
        if self.settings.energy_order == 2 and np.max(np.diff(lnp)) > MAX_STEP_ORDER2:
            raise ValueError(
                f"the second-order energy scheme needs momentum steps <= {MAX_STEP_ORDER2} in ln p "
                f"(>= {np.log(10) / MAX_STEP_ORDER2:.1f} points per decade); this grid has "
                f"{np.max(np.diff(lnp)):.2f}: refine it or use SolverSettings(energy_order=1)"
            )
        T_face = kin.kinetic_from_momentum(p_face, spc.mass)
        dp = np.diff(p_face)  # cell widths, nT
        self._p, self._dp = p, dp
        self._beta = kin.beta_from_kinetic(T, spc.mass)

        R3 = g.R_kpc[:, None, None]
        z3 = g.z_kpc[None, :, None]
        # --- spatial operators (per energy: D(T_j) L + C) --------------------------------
        LR, Lz = _laplacian_1d_R(g), _laplacian_1d_z(g)
        L = sp.kron(LR, sp.identity(nz)) + sp.kron(sp.identity(nR), Lz)
        Cz, divV_z = _convection_1d_z(g, m)
        C = sp.kron(sp.identity(nR), Cz)
        D = m.diffusion(T, spc)  # cm^2/s, nT
        # --- momentum-face rates -----------------------------------------------------------
        beta_face = kin.beta_from_kinetic(T_face, spc.mass)
        pdot = np.zeros((nR, nz, nT + 1))
        if loss_rate is not None:
            b = np.broadcast_to(np.asarray(loss_rate(R3, z3, T_face[None, None, :]), dtype=float), (nR, nz, nT + 1))
            if np.any(b < 0) or not np.all(np.isfinite(b)):
                raise ValueError("loss rates must be finite and >= 0 (b = -dT/dt)")
            pdot = pdot - b / beta_face  # dp/dt = (dT/dt) / beta
        pdot = pdot - p_face[None, None, :] / 3.0 * divV_z[None, :, None]  # adiabatic
        if np.any(pdot > 0):
            raise ValueError("energy gains other than re-acceleration are not supported (pdot > 0)")
        self._pdot_face = pdot
        Dpp_face = m.momentum_diffusion(T_face, spc)  # GeV^2/s, nT+1

        rows, cols, vals = [], [], []
        space = np.arange(ns)

        def add(j_row, j_col, coeff):
            """Add coeff (per spatial cell, or scalar) * psi[j_col] to d psi[j_row] / dt."""
            c = np.broadcast_to(np.asarray(coeff, dtype=float).reshape(-1), (ns,))
            keep = c != 0
            rows.append(j_row * ns + space[keep])
            cols.append(j_col * ns + space[keep])
            vals.append(c[keep])

        # face reconstruction weights for the upwind value at face f (between j = f-1 and f),
        # from cells f (and f+1): psi_face = w1 psi_f + w2 psi_{f+1}
        s_w = self.settings.power_weight
        for f in range(0, nT):  # faces 0 .. nT-1 (face nT: no inflow from above the grid)
            j_up = f
            pf = p_face[f]
            theta = 0.0
            if self.settings.energy_order == 2 and j_up + 1 < nT:
                theta = (lnp[j_up] - faces_ln[f]) / (lnp[j_up + 1] - lnp[j_up])
            w1 = (p[j_up] / pf) ** s_w * (1.0 + theta)
            w2 = -((p[j_up + 1] / pf) ** s_w) * theta if theta else 0.0
            rate = -pdot[:, :, f].reshape(-1)  # |pdot| at face f, per spatial cell
            # outflow from cell f (downwards through its lower face)
            add(j_up, j_up, -rate * w1 / dp[j_up])
            if w2:
                add(j_up, j_up + 1, -rate * w2 / dp[j_up])
            # inflow into cell f-1
            if f - 1 >= 0:
                add(f - 1, j_up, rate * w1 / dp[f - 1])
                if w2:
                    add(f - 1, j_up + 1, rate * w2 / dp[f - 1])
        # re-acceleration through interior faces f = 1 .. nT-1 (between f-1 and f)
        for f in range(1, nT):
            G = p_face[f] ** 2 * Dpp_face[f] / (p[f] - p[f - 1])
            if G == 0:
                continue
            a_hi, a_lo = G / p[f] ** 2, G / p[f - 1] ** 2  # G_f = a_hi psi_f - a_lo psi_{f-1}
            add(f - 1, f, a_hi / dp[f - 1])
            add(f - 1, f - 1, -a_lo / dp[f - 1])
            add(f, f, -a_hi / dp[f])
            add(f, f - 1, a_lo / dp[f])
        if catastrophic_rate is not None:
            rate = np.broadcast_to(np.asarray(catastrophic_rate(R3, z3, T[None, None, :]), dtype=float), (nR, nz, nT))
            if np.any(rate < 0):
                raise ValueError("catastrophic rates must be >= 0")
            for j in range(nT):
                add(j, j, -rate[:, :, j].reshape(-1))
        energy = sp.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(ns * nT, ns * nT))
        spatial_blocks = [(D[j] * L + C).tocsr() for j in range(nT)]
        self.matrix = (-(sp.block_diag(spatial_blocks, format="csr") + energy)).tocsr()

    def _factorise(self):
        ns, nT = self.n_space, self.grid.T.size
        M = self.matrix
        self._diag_lu = []
        self._upper = []
        for j in range(nT):
            sl = slice(j * ns, (j + 1) * ns)
            self._diag_lu.append(spla.splu(M[sl, sl].tocsc(), permc_spec="MMD_AT_PLUS_A"))
            self._upper.append(M[sl, (j + 1) * ns:] if j + 1 < nT else None)
        # re-acceleration couples energy j to j - 1 only
        self._lower_block = [M[j * ns:(j + 1) * ns, (j - 1) * ns:j * ns] if j > 0 else None for j in range(nT)]

    def _precondition(self, r):
        """Symmetric block Gauss-Seidel in energy: a sweep down in energy (the direction of
        losses, with their coupling to the two blocks above solved exactly), then a sweep up
        (the re-acceleration coupling to the block below).  Each block is a 2D spatial
        problem solved exactly with its LU factors."""
        x = self._sweep(r)
        return x + self._sweep_up(r - self.matrix @ x)

    def _sweep_up(self, r):
        """Inverse of the block lower-bidiagonal part (low -> high energy)."""
        ns, nT = self.n_space, self.grid.T.size
        x = np.zeros_like(r)
        for j in range(nT):
            rhs = r[j * ns:(j + 1) * ns]
            if self._lower_block[j] is not None:
                rhs = rhs - self._lower_block[j] @ x[(j - 1) * ns:j * ns]
            x[j * ns:(j + 1) * ns] = self._diag_lu[j].solve(rhs)
        return x

    def _sweep(self, r):
        """Apply the inverse of the block upper-triangular part (high -> low energy)."""
        ns, nT = self.n_space, self.grid.T.size
        x = np.zeros_like(r)
        for j in range(nT - 1, -1, -1):
            rhs = r[j * ns:(j + 1) * ns]
            if self._upper[j] is not None:
                rhs = rhs - self._upper[j] @ x[(j + 1) * ns:]
            x[j * ns:(j + 1) * ns] = self._diag_lu[j].solve(rhs)
        return x

    # --- the adjoint (transposed) system ---------------------------------------------------
    def _adjoint_blocks(self):
        """M^T and, per energy j, the transposed off-diagonal blocks used by the transposed
        sweeps: (M[blocks k < j, block j])^T (the loss coupling, seen from below) and
        (M[block j, block j-1])^T (re-acceleration)."""
        if self._adjoint is None:
            ns, nT = self.n_space, self.grid.T.size
            M = self.matrix
            upper_T = [M[:j * ns, j * ns:(j + 1) * ns].T.tocsr() if j > 0 else None for j in range(nT)]
            lower_T = [blk.T.tocsr() if blk is not None else None for blk in self._lower_block]
            self._adjoint = (M.T.tocsr(), upper_T, lower_T)
        return self._adjoint

    def _precondition_T(self, r):
        """Transpose of :meth:`_precondition`: with P = U^-1 + L^-1 (I - M U^-1) (U the block
        upper-triangular part, L the block lower-bidiagonal one), P^T = L^-T + U^-T (I - M^T L^-T).
        The diagonal blocks reuse the LU factors (SuperLU ``solve(trans='T')``)."""
        M_T, _, _ = self._adjoint_blocks()
        y = self._sweep_up_T(r)
        return y + self._sweep_T(r - M_T @ y)

    def _sweep_T(self, r):
        """Inverse of U^T (block lower triangular): low -> high energy."""
        ns, nT = self.n_space, self.grid.T.size
        _, upper_T, _ = self._adjoint_blocks()
        x = np.zeros_like(r)
        for j in range(nT):
            rhs = r[j * ns:(j + 1) * ns]
            if upper_T[j] is not None:
                rhs = rhs - upper_T[j] @ x[:j * ns]
            x[j * ns:(j + 1) * ns] = self._diag_lu[j].solve(rhs, trans="T")
        return x

    def _sweep_up_T(self, r):
        """Inverse of L^T (block upper bidiagonal): high -> low energy."""
        ns, nT = self.n_space, self.grid.T.size
        _, _, lower_T = self._adjoint_blocks()
        x = np.zeros_like(r)
        for j in range(nT - 1, -1, -1):
            rhs = r[j * ns:(j + 1) * ns]
            if j + 1 < nT and lower_T[j + 1] is not None:
                rhs = rhs - lower_T[j + 1] @ x[(j + 1) * ns:(j + 2) * ns]
            x[j * ns:(j + 1) * ns] = self._diag_lu[j].solve(rhs, trans="T")
        return x

    def _gmres(self, A, b, precond, transpose: bool = False):
        """GMRES on the block-scaled system (W A S) y = W b, x = S y.

        Spectra span many decades across the energy blocks, so a relative tolerance on the
        plain residual would leave the high-energy (small) components unresolved.  The
        unknowns are scaled by the fixed reference spectrum S_j = (p_j / p_0)^-s (s the
        ``power_weight`` setting) and each equation block by W_j = 1 / (median |M_jj| S_j), so
        the tolerance holds relative to that reference in every energy block whatever the
        source.  Both are constant per block, so the preconditioner carries over exactly.

        ``transpose``: ``A`` is M^T and ``precond`` the transposed preconditioner; the system
        is the transpose of the scaled one, (S M^T W) z = S b, y = W z.  The adjoint solution
        y gives the density at the observer as y . b_source, whose error r . x (r the adjoint
        residual, x the forward solution) is then bounded relative to the same reference
        spectrum as the forward solve.
        """
        ns, nT = self.n_space, self.grid.T.size
        if not np.any(b):
            return np.zeros_like(b), 0
        x0 = precond(b)
        ref = (self._p / self._p[0]) ** -self.settings.power_weight
        S = np.repeat(ref, ns)
        diag = np.abs(A.diagonal()).reshape(nT, ns)
        W = np.repeat(1.0 / (np.median(diag, axis=1) * ref), ns)
        if transpose:  # unknowns scaled by W, equations by S
            S, W = W, S
        n = b.size
        A_s = spla.LinearOperator((n, n), matvec=lambda y: W * (A @ (S * y)), dtype=float)
        M_s = spla.LinearOperator((n, n), matvec=lambda r: precond(r / W) / S, dtype=float)
        b_s = W * b
        y0 = x0 / S
        counter = {"n": 0}

        def count(_):
            counter["n"] += 1

        if np.linalg.norm(A_s @ y0 - b_s) <= self.settings.rtol * np.linalg.norm(b_s):
            return x0, 0
        y, info = spla.gmres(
            A_s, b_s, x0=y0, M=M_s, rtol=self.settings.rtol, atol=0.0, restart=self.settings.restart,
            maxiter=self.settings.maxiter, callback=count, callback_type="pr_norm",
        )
        if info != 0:
            raise RuntimeError(f"GMRES did not converge (info={info}) to rtol={self.settings.rtol}")
        return S * y, counter["n"]

    # --- public API ----------------------------------------------------------------------------
    def _source_array(self, source) -> np.ndarray:
        """The source on the grid, shape ``grid.shape``, per unit kinetic energy."""
        g = self.grid
        q = source(g.R_kpc[:, None, None], g.z_kpc[None, :, None], g.T[None, None, :]) if callable(source) else source
        q = np.broadcast_to(np.asarray(q, dtype=float), g.shape)
        if not np.all(np.isfinite(q)):
            raise ValueError("the source must be finite")
        return q

    def _source_vector(self, source) -> np.ndarray:
        q = self._source_array(source)
        # per unit kinetic energy -> per unit momentum: dT/dp = beta
        q_p = q * self._beta[None, None, :]
        return np.moveaxis(q_p, 2, 0).reshape(-1)

    def solve(self, source) -> Solution:
        """Steady state for ``source`` [cm^-3 s^-1 GeV^-1 per unit kinetic energy]: an array of
        shape ``grid.shape`` or a callable ``q(R_kpc, z_kpc, T)`` broadcasting as (nR,1,1),
        (1,nz,1), (1,1,nT)."""
        b = self._source_vector(source)
        x, iters = self._gmres(self.matrix, b, self._precondition)
        # worst relative residual over the energy blocks (each block measured on its own)
        r = (self.matrix @ x - b).reshape(self.grid.T.size, -1)
        scale = np.abs(self.matrix.diagonal() * x).reshape(self.grid.T.size, -1).max(axis=1) + np.abs(b).reshape(self.grid.T.size, -1).max(axis=1)
        residual = float(np.max(np.abs(r).max(axis=1) / np.where(scale > 0, scale, 1.0)))
        psi = np.moveaxis(x.reshape(self.grid.T.size, *self.grid.shape[:2]), 0, 2)
        density = psi / self._beta[None, None, :]
        return Solution(self.grid, self.species, density, self.model.name, self.settings, iters, residual)

    def energy_response(self, profile, R_kpc: float | None = None, z_kpc: float = 0.0,
                        observed_GeV: tuple | None = None) -> np.ndarray:
        """Response matrix G [n_T x n_T] from injected to observed spectrum for one spatial profile.

        For sources q(R, z, T) = profile(R, z) Q(T) (Q per unit kinetic energy, e.g. a PBH or
        dark-matter halo, or the SNR distribution; ``profile`` a callable or an array on the
        nodes), ``density_obs = G @ Q`` [cm^-3 GeV^-1] at the observer (default the Sun).  Costs
        one solve per injected energy, cached per (profile, observer); afterwards a new spectrum
        is a matrix-vector product.  ``observed_GeV``: rows outside the grid energies bracketing
        that range are NaN, as in the default method (all are computed here).
        """
        R_kpc = self.model.r_sun_kpc if R_kpc is None else R_kpc
        g = self.grid
        values = profile(g.R_kpc[:, None], g.z_kpc[None, :]) if callable(profile) else profile
        shape = np.broadcast_to(np.asarray(values, dtype=float), g.shape[:2])
        key = (shape.tobytes(), R_kpc, z_kpc)
        if key not in self._responses:
            w = observation_weights(g, R_kpc, z_kpc)
            nT = g.T.size
            G = np.zeros((nT, nT))
            for j in range(nT):
                q = np.zeros(g.shape)
                q[:, :, j] = shape
                G[:, j] = np.tensordot(w, self.solve(q).density, axes=([0, 1], [0, 1]))
            self._responses[key] = G
        G = self._responses[key].copy()
        keep = np.zeros(g.T.size, bool)
        keep[observed_rows(g.T, observed_GeV)] = True
        G[~keep] = np.nan
        return G

    def local_flux(self, profile: Callable, spectrum, R_kpc: float | None = None, z_kpc: float = 0.0) -> np.ndarray:
        """Intensity at the observer [m^-2 s^-1 sr^-1 GeV^-1] for q = profile(R, z) spectrum(T),
        through :meth:`energy_response` (``spectrum`` an array on ``grid.T`` or a callable)."""
        Q = spectrum(self.grid.T) if callable(spectrum) else np.asarray(spectrum, dtype=float)
        density = self.energy_response(profile, R_kpc, z_kpc) @ Q
        return kin.flux_from_density(density, self.grid.T, self._species.mass)

    def observer_response(self, R_kpc: float | None = None, z_kpc: float = 0.0) -> np.ndarray:
        """Green's function of the observer: W [cm^-3 GeV^-1 per (cm^-3 s^-1 GeV^-1)] of shape
        ``(n_T,) + grid.shape`` = (observed energy i, R, z, injected energy j) such that, for
        ANY source array ``q`` of shape ``grid.shape`` (per unit kinetic energy, as
        :meth:`solve` takes it),

            density_obs[i] = np.einsum("irzj,rzj->i", W, q) = solve(q).at(R_kpc, z_kpc)[i]

        (observer default: the Sun, z = 0).  Built by solving the adjoint system
        M^T y_i = e_i once per observed energy (n_T GMRES solves with the transposed block
        Gauss-Seidel preconditioner, reusing the LU factors), e_i the bilinear observation
        weights in energy block i; cached per observer.  Memory: n_T^2 x the spatial cells
        (68 MB for 40 x 79 cells and 52 energies).
        """
        R_kpc = self.model.r_sun_kpc if R_kpc is None else R_kpc
        key = (float(R_kpc), float(z_kpc))
        if key not in self._observers:
            g = self.grid
            ns, nT = self.n_space, g.T.size
            w = observation_weights(g, R_kpc, z_kpc).reshape(-1)
            M_T, _, _ = self._adjoint_blocks()
            W = np.empty((nT,) + g.shape)
            for i in range(nT):
                e = np.zeros(ns * nT)
                e[i * ns:(i + 1) * ns] = w / self._beta[i]  # density = psi / beta
                y, _ = self._gmres(M_T, e, self._precondition_T, transpose=True)
                # b = q beta (per unit momentum), so d density_i / d q = y beta
                W[i] = np.moveaxis(y.reshape(nT, *g.shape[:2]), 0, 2) * self._beta[None, None, :]
            self._observers[key] = W
        return self._observers[key]

    def observer_density(self, source, R_kpc: float | None = None, z_kpc: float = 0.0) -> np.ndarray:
        """Density at the observer [cm^-3 GeV^-1] on ``grid.T`` for any ``source`` (array of
        shape ``grid.shape`` or callable, as for :meth:`solve`) through :meth:`observer_response`."""
        W = self.observer_response(R_kpc, z_kpc)
        return np.tensordot(W, self._source_array(source), axes=3)

    def observer_flux(self, source, R_kpc: float | None = None, z_kpc: float = 0.0) -> np.ndarray:
        """Intensity at the observer [m^-2 s^-1 sr^-1 GeV^-1] for any ``source`` (array or
        callable, as for :meth:`solve`) through :meth:`observer_response`: after the first
        call for an observer a new source costs one dot product (no solve)."""
        density = self.observer_density(source, R_kpc, z_kpc)
        return kin.flux_from_density(density, self.grid.T, self._species.mass)

    def boundary_outflow(self, solution: Solution) -> float:
        """Particles per second leaving through R = R_h, z = +-z_h and below the lowest
        momentum face (diffusion, convection, cooling): the conservation check."""
        g, m = self.grid, self.model
        psi = solution.density * self._beta[None, None, :]  # per unit momentum
        D = m.diffusion(g.T, self._species)
        dR, dz = g.dR_kpc * u.kpc, g.dz_kpc * u.kpc
        R = g.R_kpc * u.kpc
        V = g.cell_volumes_cm3()
        out = 0.0
        # radial boundary: face at R_h - dR/2, gradient (0 - psi_last)/dR
        R_face = (g.n_R - 1.5) * dR
        area_R = 2 * np.pi * R_face * dz
        out += np.sum(area_R * D[None, :] * psi[-1, :, :] / dR * self._dp[None, :])
        # z boundaries: faces at +-(z_h - dz/2)
        ring = np.where(R > 0, 2 * np.pi * R * dR, np.pi * (dR / 2) ** 2)
        for k, zf in ((0, -(g.z_h_kpc - 0.5 * g.dz_kpc)), (-1, g.z_h_kpc - 0.5 * g.dz_kpc)):
            diff = D[None, :] * psi[:, k, :] / dz
            v = abs(float(m.convection_velocity(zf)))
            out += np.sum(ring[:, None] * (diff + v * psi[:, k, :]) * self._dp[None, :])
        # cooling through the lowest momentum face (upwind value of order 1 or 2)
        rate = -self._pdot_face[:, :, 0]
        s_w = self.settings.power_weight
        p, pf = self._p, self._p[0] ** 1.5 / self._p[1] ** 0.5
        theta = 0.5 if self.settings.energy_order == 2 else 0.0
        face = (p[0] / pf) ** s_w * (1 + theta) * psi[:, :, 0] - theta * (p[1] / pf) ** s_w * psi[:, :, 1]
        out += np.sum(V * rate * face)
        return float(out)

    @property
    def energy_bin_widths(self) -> np.ndarray:
        """Kinetic-energy width [GeV] of each energy cell (beta dp): the weights with which a
        source per unit kinetic energy on ``grid.T`` counts particles (a spectral line at one
        node is 1 / width there)."""
        return self._beta * self._dp

    def injection_rate(self, source) -> float:
        """Particles per second injected by ``source`` on the grid (cells x energy widths)."""
        q = self._source_vector(source).reshape(self.grid.T.size, -1)
        V = self.grid.cell_volumes_cm3().reshape(-1)
        return float(np.sum(q * V[None, :] * self._dp[:, None]))
