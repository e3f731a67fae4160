"""The discretised transport operator on the half cylinder z >= 0 (mirror symmetry about the disc).

The steady-state equation of Strong & Moskalenko (1998, ApJ 509, 212, Eq. 1), for psi = 4 pi p^2 f
per unit momentum::

    0 = q + div(D_xx grad psi - V_c psi) + d/dp [p^2 D_pp d/dp (psi/p^2)]
          - d/dp [(pdot - p div(V_c)/3) psi] - psi / tau

is discretised by finite volumes (particle number is conserved to round-off) on the nodes of
:class:`~positrons.propagation.grid.Grid` with z >= 0.  All the package's models and sources
are symmetric under z -> -z (V_c is odd in z), so the solution is too: the disc plane is a
symmetry plane (zero flux through z = 0) and half the domain is solved.

**Space.**  Radial diffusion by central fluxes on the uniform R grid (cells [R - dR/2, R + dR/2],
ring volumes); in z, diffusion and convection together by exponential fitting (Scharfetter &
Gummel 1969, IEEE Trans. Electron Devices 16, 64; Il'in 1969): the face flux
J = (D/h) [B(-Pe) psi_k - B(Pe) psi_{k+1}], Pe = V h / D, B(x) = x / (e^x - 1), exact for
constant coefficients, central (second order) where diffusion dominates, upwind where
convection does, and an M-matrix (positive solutions) on any grid.  Plain upwind convection adds
a numerical diffusion V h / 2 that at MeV energies rivals D itself.

**Momentum.**  The energy flux J = -K dN/dx + (pdot/p + 3K) N (x = ln p, N = p psi,
K = D_pp/p^2) by exponential fitting in the weighted variable phi = psi p^s, with the weight
exponent s = nu + ``power_weight_offset`` per face and cell, nu = d ln|pdot| / d ln p the local
slope of the loss rate.  Where losses dominate the face value is the upwind cell's, scaled as
psi ~ p^-s (exact for the loss-dominated spectrum of a p^-2 source, psi ~ p^-1 / |pdot|);
where re-acceleration dominates the scheme is central (second order); the matrix is an
M-matrix on any grid, so the solution is positive for a positive source.  Particles cooled
below the lowest face leave the grid; no flux crosses the top face.

Unknowns are ordered (R row i, energy j, z node k), z fastest: a row of constant R is a
contiguous (energy x z) plane, which :mod:`positrons.propagation.solver` solves exactly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import Callable

import numpy as np
import scipy.sparse as sp

from .. import kinematics as kin
from .. import units as u
from .grid import Grid


def bernoulli(x) -> np.ndarray:
    """B(x) = x / (e^x - 1) (B(0) = 1; B(x) ~ -x for x -> -inf, ~ x e^-x for x -> +inf)."""
    x = np.asarray(x, dtype=float)
    out = np.ones_like(x)
    small = np.abs(x) < 1e-8
    big = x > 700.0
    mid = ~small & ~big
    out[mid] = x[mid] / np.expm1(x[mid])
    out[small] = 1.0 - 0.5 * x[small]
    out[big] = 0.0
    return out


def _exponential_fitting(velocity, diffusion, h):
    """(a, c) >= 0 with face flux J = a psi_below - c psi_above for J = V psi - D dpsi/dx
    across a step h (Scharfetter-Gummel); D = 0 gives pure upwind."""
    velocity, diffusion = np.broadcast_arrays(np.asarray(velocity, float), np.asarray(diffusion, float))
    g = np.zeros(velocity.shape)
    has = diffusion > 0
    g[has] = diffusion[has] / np.broadcast_to(h, velocity.shape)[has] * bernoulli(
        np.abs(velocity[has]) * np.broadcast_to(h, velocity.shape)[has] / diffusion[has])
    return np.maximum(velocity, 0.0) + g, np.maximum(-velocity, 0.0) + g


@dataclass(frozen=True, eq=False)
class TransportOperator:
    """The assembled operator A (A psi = q, psi per unit momentum) of one model, grid, species.

    Attributes (half domain, n_R' = n_R - 1 rows, n_T energies, n_z' = (n_z - 1)/2 z nodes):

    * ``D`` (n_T,) spatial diffusion coefficient [cm^2/s];
    * ``R_lower, R_diag, R_upper`` (n_R',) the radial Laplacian [cm^-2];
    * ``z_lower, z_diag, z_upper`` (n_T, n_z') the z operator per energy [1/s];
    * ``e_sub, e_diag, e_sup`` (n_R', n_T, n_z') energy coupling and catastrophic losses [1/s]
      (``e_diag`` includes the catastrophic rate);
    all in d psi/dt form (A is minus their sum).  ``matrix`` is A in CSR.
    """

    grid: Grid
    species: str
    p: np.ndarray  # momenta of the energy nodes [GeV/c]
    dp: np.ndarray  # momentum cell widths [GeV/c]
    beta: np.ndarray
    D: np.ndarray
    R_lower: np.ndarray
    R_diag: np.ndarray
    R_upper: np.ndarray
    z_lower: np.ndarray
    z_diag: np.ndarray
    z_upper: np.ndarray
    e_sub: np.ndarray
    e_diag: np.ndarray
    e_sup: np.ndarray
    cooling_rate_lowest_face: np.ndarray  # (n_R', n_z') [GeV/c /s]: -J through the lowest face per unit psi_0
    z_top_outflow_rate: np.ndarray  # (n_T,) [1/s]: rate per unit psi of the last z node leaving through z_h
    R_volumes: np.ndarray  # (n_R',) ring areas pi (R_hi^2 - R_lo^2) [kpc^2]
    z_widths_kpc: np.ndarray  # (n_z',) half-domain cell widths [kpc]
    matrix: sp.csr_matrix
    matrix2: sp.csr_matrix  # the second-order discretisation (defect correction)

    @property
    def n_rows(self) -> int:
        return self.R_diag.size

    @property
    def n_T(self) -> int:
        return self.p.size

    @property
    def n_z(self) -> int:
        return self.z_diag.shape[1]

    @property
    def plane_size(self) -> int:
        return self.n_T * self.n_z

    @cached_property
    def fingerprint_value(self) -> str:
        return self._fingerprint()

    def fingerprint(self) -> str:
        """SHA-256 of the assembled matrices and momenta (computed once)."""
        return self.fingerprint_value

    def _fingerprint(self) -> str:
        """SHA-256 of the assembled matrix (and momenta): two operators with equal
        fingerprints solve the same equations (the key of response caches)."""
        h = hashlib.sha256()
        for a in (self.matrix.data, self.matrix.indices, self.matrix.indptr, self.matrix2.data,
                  self.matrix2.indices, self.matrix2.indptr, self.p, self.dp, self.beta):
            h.update(np.ascontiguousarray(a).tobytes())
        h.update(self.species.encode())
        return h.hexdigest()

    # --- (energy x z) planes -----------------------------------------------------------------
    def plane(self, radial_diag: float, e_sub, e_diag, e_sup) -> sp.csc_matrix:
        """A's (energy x z) block with radial diagonal ``radial_diag`` [cm^-2] and energy bands
        (n_T, n_z): the diagonal block of row i (``radial_diag = R_diag[i]``) or a separable
        mode (``radial_diag`` an eigenvalue of the radial Laplacian)."""
        nT, nz = self.n_T, self.n_z
        diag = self.D[:, None] * radial_diag + self.z_diag + e_diag
        zl = self.z_lower.copy()
        zl[:, 0] = 0.0
        zu = self.z_upper.copy()
        zu[:, -1] = 0.0
        offsets = [0, -1, 1]
        data = [diag.ravel(), zl.ravel()[1:], zu.ravel()[:-1]]
        if nT > 1:
            offsets += [-nz, nz]
            data += [e_sub[1:].ravel(), e_sup[:-1].ravel()]
        return (-sp.diags(data, offsets, shape=(nT * nz, nT * nz), format="csc")).tocsc()

    def row_plane(self, i: int) -> sp.csc_matrix:
        return self.plane(self.R_diag[i], self.e_sub[i], self.e_diag[i], self.e_sup[i])

    # --- conversions between the user's (R, z, T) arrays and the internal vector ------------
    def fold(self, q_full: np.ndarray, what: str = "the source") -> np.ndarray:
        """(n_R', n_z_full, n_T) array on the whole grid -> internal (n_R', n_T, n_z') half,
        refusing arrays that are not mirror-symmetric in z."""
        nz = self.n_z
        q_full = np.asarray(q_full, dtype=float)
        upper = q_full[:, nz - 1:, :]
        lower = q_full[:, nz - 1::-1, :]
        scale = np.max(np.abs(q_full)) if q_full.size else 0.0
        if scale > 0 and np.max(np.abs(upper - lower)) > 1e-9 * scale:
            raise ValueError(f"{what} is not symmetric under z -> -z; the solver assumes mirror "
                             "symmetry about the disc (symmetrise it: (q(z) + q(-z)) / 2)")
        return np.ascontiguousarray(np.moveaxis(upper, 2, 1))

    def unfold(self, x_half: np.ndarray) -> np.ndarray:
        """Internal (n_R', n_T, n_z') -> (n_R', n_z_full, n_T) on the whole grid (mirrored)."""
        half = np.moveaxis(x_half, 1, 2)  # (nR, nz', nT)
        return np.concatenate([half[:, :0:-1, :], half], axis=1)


def assemble(model, grid: Grid, species: str, loss_rate: Callable | None = None,
             catastrophic_rate: Callable | None = None, power_weight_offset: float = 1.0) -> TransportOperator:
    """Assemble the operator (see the module docstring).

    ``loss_rate(R_kpc, z_kpc, T)`` -> b = -dT/dt >= 0 [GeV/s] and ``catastrophic_rate(R_kpc,
    z_kpc, T)`` -> 1/tau [1/s] broadcast over (n_R', 1, 1), (1, n_z', 1), (1, 1, n) arrays
    (the loss rate is evaluated at the momentum faces, the catastrophic rate at the nodes).
    """
    if abs(grid.R_h_kpc - model.R_h_kpc) > 1e-9 or abs(grid.z_h_kpc - model.z_h_kpc) > 1e-9:
        raise ValueError("the grid's halo size differs from the model's (use Grid.for_model)")
    spc = kin.get_species(species)
    T = grid.T
    nT = T.size
    # --- radial Laplacian (uniform R, ring volumes) ------------------------------------------
    nR = grid.n_R - 1
    dR = grid.dR_kpc * u.kpc
    i = np.arange(nR)
    with np.errstate(divide="ignore", invalid="ignore"):
        R_upper = np.where(i > 0, (i + 0.5) / (i * dR**2), 4.0 / dR**2)
        R_lower = np.where(i > 0, (i - 0.5) / (i * dR**2), 0.0)
    R_diag = -(R_upper + R_lower)
    R_lo, R_hi = grid.R_cell_edges_kpc()
    # --- z: half domain, exponential fitting of diffusion + convection -----------------------
    nodes = grid.z_half_nodes_kpc  # 0 .. z_h
    nz = nodes.size - 1
    faces_kpc = 0.5 * (nodes[1:] + nodes[:-1])  # face above node k, k = 0 .. nz-1
    widths_kpc = faces_kpc - np.concatenate([[0.0], faces_kpc[:-1]])
    h = np.diff(nodes) * u.kpc
    w = widths_kpc * u.kpc
    V = np.asarray(model.convection_velocity(faces_kpc), dtype=float)  # cm/s at z > 0 faces
    D = np.asarray(model.diffusion(T, spc), dtype=float)
    a, c = _exponential_fitting(V[None, :], D[:, None], h[None, :])  # (nT, nz): J = a psi_k - c psi_k+1
    z_diag = -a / w
    z_diag[:, 1:] -= c[:, :-1] / w[None, 1:]
    z_upper = c / w  # coefficient of psi_{k+1} in row k (last: boundary psi = 0)
    z_lower = np.zeros_like(a)
    z_lower[:, 1:] = a[:, :-1] / w[None, 1:]
    V_below = np.concatenate([[0.0], V[:-1]])
    div_V = (V - V_below) / w  # 1/s; the symmetry plane carries no flux
    # --- momentum faces -----------------------------------------------------------------------
    p = kin.momentum_from_kinetic(T, spc.mass)
    lnp = np.log(p)
    faces_ln = np.concatenate([[1.5 * lnp[0] - 0.5 * lnp[1]], 0.5 * (lnp[1:] + lnp[:-1]), [1.5 * lnp[-1] - 0.5 * lnp[-2]]])
    p_face = np.exp(faces_ln)
    T_face = kin.kinetic_from_momentum(p_face, spc.mass)
    dp = np.diff(p_face)
    beta = kin.beta_from_kinetic(T, spc.mass)
    R3 = grid.R_kpc[:, None, None]
    z3 = nodes[:-1][None, :, None]
    pdot = np.zeros((nR, nz, nT + 1))
    if loss_rate is not None:
        b = np.broadcast_to(np.asarray(loss_rate(R3, z3, T_face[None, None, :]), dtype=float), (nR, nz, nT + 1))
        if not np.all(np.isfinite(b)) or np.any(b < 0):
            raise ValueError("loss rates must be finite and >= 0 (b = -dT/dt)")
        pdot = pdot - b / kin.beta_from_kinetic(T_face, spc.mass)
    pdot = pdot - p_face / 3.0 * div_V[None, :, None]
    if np.any(pdot > 0):
        raise ValueError("energy gains other than re-acceleration are not supported (pdot > 0)")
    K = np.asarray(model.momentum_diffusion(T_face, spc), dtype=float) / p_face**2  # 1/s
    # weight exponent per face: local slope of |pdot| plus the offset
    rate = -pdot
    with np.errstate(divide="ignore"):
        ln_rate = np.log(np.where(rate > 0, rate, np.nan))
    nu = np.gradient(ln_rate, faces_ln, axis=2) if nT + 1 >= 2 else np.zeros_like(rate)
    nu = np.nan_to_num(np.clip(nu, -2.0, 4.0), nan=0.0)
    s = nu + power_weight_offset
    velocity = pdot / p_face + (2.0 + s) * K  # u' of the weighted variable [1/s in ln p]
    alpha = np.zeros((nR, nz, nT + 1))
    betac = np.zeros((nR, nz, nT + 1))
    step = np.diff(lnp)  # (nT-1,) between node f-1 and f
    A_f, C_f = _exponential_fitting(velocity[:, :, 1:nT], np.broadcast_to(K[1:nT], (nR, nz, nT - 1)), step)
    s_int = s[:, :, 1:nT]
    alpha[:, :, 1:nT] = p_face[1:nT] * (p[:-1] / p_face[1:nT]) ** s_int * A_f  # phi = psi p^s, J = p^(1-s) x flux of phi
    betac[:, :, 1:nT] = p_face[1:nT] * (p[1:] / p_face[1:nT]) ** s_int * C_f
    # lowest face: cooling out of the grid (upwind, weighted); re-acceleration closed
    betac[:, :, 0] = rate[:, :, 0] * (p[0] / p_face[0]) ** s[:, :, 0]
    e_sub = np.moveaxis(alpha[:, :, :-1] / dp, 2, 1)  # (nR, nT, nz)
    e_sup = np.moveaxis(betac[:, :, 1:] / dp, 2, 1)
    e_diag = np.moveaxis(-(betac[:, :, :-1] + alpha[:, :, 1:]) / dp, 2, 1)
    if catastrophic_rate is not None:
        cat = np.broadcast_to(np.asarray(catastrophic_rate(R3, z3, T[None, None, :]), dtype=float), (nR, nz, nT))
        if not np.all(np.isfinite(cat)) or np.any(cat < 0):
            raise ValueError("catastrophic rates must be finite and >= 0")
        e_diag = e_diag - np.moveaxis(cat, 2, 1)
    e_diag = np.ascontiguousarray(e_diag)
    first = np.zeros((5,) + e_diag.shape)
    first[1], first[2], first[3] = e_sub, e_diag, e_sup
    second = _second_order_energy_bands(velocity, K, s, p, p_face, lnp, faces_ln, dp, first)
    correction = _energy_band_csr(second - first)
    matrix = _csr(D, R_lower, R_diag, R_upper, z_lower, z_diag, z_upper, e_sub, e_diag, e_sup)
    return TransportOperator(grid, spc.name, p, dp, beta, D, R_lower, R_diag, R_upper, z_lower, z_diag, z_upper,
                             np.ascontiguousarray(e_sub), e_diag, np.ascontiguousarray(e_sup),
                             betac[:, :, 0].copy(), a[:, -1] / w[-1],
                             np.pi * (R_hi**2 - R_lo**2), widths_kpc, matrix, (matrix + correction).tocsr())


def _upwinding(peclet) -> np.ndarray:
    """xi(Pe) = coth(|Pe|/2) - 2/|Pe|: the upwind fraction of the exponentially fitted face value
    (0 where diffusion dominates, 1 where advection does)."""
    a = np.abs(np.asarray(peclet, dtype=float))
    out = np.ones_like(a)
    small = a < 1e-3
    mid = ~small & (a < 60.0)
    out[small] = a[small] / 6.0
    out[mid] = 1.0 / np.tanh(0.5 * a[mid]) - 2.0 / a[mid]
    return out


def _second_order_energy_bands(velocity, K, s, p, p_face, lnp, faces_ln, dp, first_bands):
    """Energy bands (offsets -2 .. 2, shape (5, n_R', n_T, n_z')) of the second-order
    discretisation used by the defect correction: the exponentially fitted flux plus, on its
    upwind part, the linear extrapolation (in ln p, of phi = psi p^s) from the two upwind
    cells, weighted by the upwind fraction xi(Pe) so that it vanishes where re-acceleration
    (diffusion in ln p) dominates and the fitted flux is already central.  Not an M-matrix."""
    nR, nz, nF = velocity.shape
    nT = nF - 1
    coef = np.zeros((nR, nz, nT + 1, 4))  # correction to J_f = sum_m coef[f, m] psi_{f-2+m}
    for f in range(1, nT):
        w = p_face[f]
        sf = s[:, :, f]
        u_ = velocity[:, :, f]
        xi = _upwinding(u_ * (lnp[f] - lnp[f - 1]) / K[f]) if K[f] > 0 else np.ones_like(u_)
        down = np.minimum(u_, 0.0) * xi
        up = np.maximum(u_, 0.0) * xi
        if f + 1 <= nT - 1:
            theta = (lnp[f] - faces_ln[f]) / (lnp[f + 1] - lnp[f])
            coef[:, :, f, 2] += w * down * theta * (p[f] / w) ** sf
            coef[:, :, f, 3] -= w * down * theta * (p[f + 1] / w) ** sf
        if f - 2 >= 0:
            theta = (faces_ln[f] - lnp[f - 1]) / (lnp[f - 1] - lnp[f - 2])
            coef[:, :, f, 1] += w * up * theta * (p[f - 1] / w) ** sf
            coef[:, :, f, 0] -= w * up * theta * (p[f - 2] / w) ** sf
    # the lowest face keeps its first-order outflow: A1 and A2 then have the same boundary
    # fluxes, and the corrected solution conserves particles exactly (to the solver tolerance)
    bands = np.zeros((5, nR, nz, nT))
    # row j: (J_j - J_{j+1}) / dp_j; J_j couples psi_{j-2..j+1} (d = -2..1), J_{j+1} psi_{j-1..j+2}
    for m in range(4):
        bands[m] += coef[:, :, :nT, m] / dp  # d = m - 2
        bands[m + 1] -= coef[:, :, 1:, m] / dp  # d = m - 1
    return first_bands + np.moveaxis(bands, 3, 2)  # (5, nR, nT, nz)


def _energy_band_csr(bands) -> sp.csr_matrix:
    """-(energy bands) in CSR (offsets -2 .. 2 in energy), unknowns ordered (i, j, k)."""
    _, nR, nT, nz = bands.shape
    n = nR * nT * nz
    data, offsets = [], []
    for m, d in enumerate(range(-2, 3)):
        b = bands[m].copy()
        if d < 0:
            b[:, :-d, :] = 0.0  # no coupling below j = 0
            data.append(b.ravel()[-d * nz:])
        elif d > 0:
            b[:, nT - d:, :] = 0.0
            data.append(b.ravel()[:n - d * nz])
        else:
            data.append(b.ravel())
        offsets.append(d * nz)
    return (-sp.diags(data, offsets, shape=(n, n), format="csr")).tocsr()


def _csr(D, R_lower, R_diag, R_upper, z_lower, z_diag, z_upper, e_sub, e_diag, e_sup) -> sp.csr_matrix:
    """A = -(radial + z + energy) in CSR, unknowns ordered (i, j, k)."""
    nR, nT, nz = e_diag.shape
    n = nR * nT * nz
    plane = nT * nz
    diag = D[None, :, None] * R_diag[:, None, None] + z_diag[None] + e_diag
    zl = np.broadcast_to(z_lower, (nR, nT, nz)).copy()
    zl[:, :, 0] = 0.0
    zu = np.broadcast_to(z_upper, (nR, nT, nz)).copy()
    zu[:, :, -1] = 0.0
    el = e_sub.copy()
    el[:, 0, :] = 0.0
    eu = e_sup.copy()
    eu[:, -1, :] = 0.0
    rl = np.broadcast_to(D[None, :, None] * R_lower[:, None, None], (nR, nT, nz))
    ru = np.broadcast_to(D[None, :, None] * R_upper[:, None, None], (nR, nT, nz))
    offsets = [0, -1, 1, -nz, nz, -plane, plane]
    data = [diag.ravel(), zl.ravel()[1:], zu.ravel()[:-1], el.ravel()[nz:], eu.ravel()[:-nz],
            rl.ravel()[plane:], ru.ravel()[:-plane]]
    keep = [k for k, d in enumerate(data) if d.size]
    return (-sp.diags([data[k] for k in keep], [offsets[k] for k in keep], shape=(n, n), format="csr")).tocsr()
