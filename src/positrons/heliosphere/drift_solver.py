"""Steady-state 2D (r, theta) Parker equation with drifts: finite volumes marched in momentum.

Equation
--------
For the isotropic phase-space density ``f(r, theta, p)`` (axisymmetric, steady state) the
Parker (1965) transport equation with a radial wind ``V``, the diagonal diffusion tensor and
the drift velocity of :mod:`~positrons.heliosphere.drift_field` reads::

    0 = div(K grad f) - (V e_r + v_d) . grad f + (2V/(3r)) p df/dp                      (1)

(Jokipii & Kopriva 1979, ApJ 234, 384, Eq. 1; ``div v_d = 0``).  With ``s = ln r``,
``x = ln p``, multiplied by ``r^3 sin(theta)`` and with the stream function ``Psi`` of the drift::

    sin(th) (2Vr^2/3)(-df/dx) = d_s(sin(th) r K_rr d_s f) + r d_th(sin(th) K_thth d_th f)
                                - sin(th) V r^2 d_s f - d_s(f d_th Psi) + d_th(f d_s Psi)      (2)

With ``theta``-independent coefficients and no drift, Eq. 2 divided by ``sin(theta)`` is Eq. 2 of
:mod:`~positrons.heliosphere.parker`.

Discretisation
--------------
* Radial nodes: those of :class:`~positrons.heliosphere.parker.ParkerGrid` (uniform in ``ln r``
  through ``r_obs`` and ``r_b``), faces halfway in ``ln r``; the radial diffusion-convection
  part is the 1D solver's (central differences with Il'in-Allen-Southwell fitting, Neumann at
  ``r_in``, Dirichlet ``f = f_LIS`` at ``r_b``), weighted by the cell's ``Delta cos(theta)``.
* Colatitude: ``n_theta`` cells on ``[0, pi/2]``; the problem is symmetric about the equator
  (Eq. 2 of drift_field makes ``v_r`` even and ``v_theta`` odd), so the pole and the equator
  are zero-flux faces.  Diffusive fluxes by central differences.
* Drift: ``Psi`` at the cell corners, the volume flux ``U`` through a face is the difference
  of ``Psi`` at its two ends (the discrete drift is exactly divergence-free), and the face
  flux of drift plus diffusion is Scharfetter & Gummel's (1969) exponentially fitted
  ``D [B(-P) f_i - B(P) f_{i+1}]`` with ``P = U/D`` and ``B(x) = x/(e^x - 1)``: second order
  where diffusion dominates, upwind where the drift does, and an M-matrix (positive
  solution) for any drift.
* Momentum: march from ``p_max`` down (BDF2, first step backward Euler, or ``euler``), one
  sparse LU (SuperLU) per step; ``f(p_max) = f_LIS`` everywhere.
* At Earth: ``f`` at ``r_obs`` averaged over the heliolatitudes ``|lambda| < 7.25 deg`` Earth
  samples in a year (area-weighted cell overlaps).

The march is linear in the boundary values, so it can carry many right-hand sides at once:
:func:`drift_green_matrix` carries one per momentum node and returns ``G`` with
``f_obs(p_k) = sum_j G_kj f_LIS(p_j)`` (the transfer matrix of the model on its nodes).

Which tool when: :class:`~positrons.heliosphere.drift_modulation.DriftModulation` for use in
an analysis; the functions here for the numerics (grids, convergence, field maps).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp_sparse
from scipy.sparse.linalg import splu

from .. import kinematics as kin
from .. import units as u
from .drift_field import DriftDiffusion, HeliosphericField
from .force_field import as_spectrum

__all__ = ["EARTH_LATITUDE_DEG", "DriftGrid", "DriftSolution", "drift_green_matrix", "solve_drift"]

#: maximum heliolatitude of Earth [deg] (inclination of the solar equator to the ecliptic)
EARTH_LATITUDE_DEG = 7.25


@dataclass(frozen=True)
class DriftGrid:
    """Numerical settings of the 2D solver (a value: recorded in every result).

    ``n_r``: cells of ``ln r`` between ``r_obs`` and ``r_b`` (same spacing inward to ``r_in``);
    ``n_theta``: cells of colatitude on ``[0, pi/2]``; ``n_p_per_decade``: momentum steps per
    decade; ``p_max`` [GeV] (``None``: ``max(10 p(T_max), 200 GeV)``); lengths [cm].
    """

    n_r: int = 64
    n_theta: int = 24
    n_p_per_decade: int = 32
    r_in: float = 0.05 * u.AU
    r_b: float = 120.0 * u.AU
    r_obs: float = 1.0 * u.AU
    p_max: float | None = None
    scheme: str = "bdf2"

    def __post_init__(self):
        if self.n_r < 4 or self.n_theta < 2 or self.n_p_per_decade < 2:
            raise ValueError("DriftGrid needs n_r >= 4, n_theta >= 2 and n_p_per_decade >= 2")
        if not (0 < self.r_in < self.r_obs < self.r_b):
            raise ValueError("DriftGrid needs 0 < r_in < r_obs < r_b")
        if self.scheme not in ("bdf2", "euler"):
            raise ValueError(f"scheme must be 'bdf2' or 'euler' (got {self.scheme!r})")

    def radial_nodes(self) -> np.ndarray:
        """Radial nodes [cm], uniform in ``ln r``, including ``r_obs`` and ``r_b``."""
        h = math.log(self.r_b / self.r_obs) / self.n_r
        n_in = max(1, round(math.log(self.r_obs / self.r_in) / h))
        return self.r_obs * np.exp(h * np.arange(-n_in, self.n_r + 1))

    def theta_faces(self) -> np.ndarray:
        """Colatitude faces [rad] from the pole to the equator."""
        return np.linspace(0.0, 0.5 * math.pi, self.n_theta + 1)

    def momenta(self, T, species) -> np.ndarray:
        """Momentum nodes [GeV] of the march, decreasing from ``p_max`` to ``p(min T)``."""
        sp = kin.get_species(species)
        T = np.asarray(T, dtype=float)
        p_lo = float(kin.momentum_from_kinetic(T.min(), sp.mass))
        p_hi = float(kin.momentum_from_kinetic(T.max(), sp.mass))
        p_max = self.p_max if self.p_max is not None else max(10.0 * p_hi, 200.0 * u.GeV)
        if p_max < p_hi:
            raise ValueError(f"p_max = {p_max:g} GeV is below the highest requested momentum {p_hi:g} GeV")
        n = max(2, math.ceil(math.log10(p_max / p_lo) * self.n_p_per_decade))
        p = np.exp(np.linspace(math.log(p_max), math.log(p_lo), n + 1))
        p[0], p[-1] = p_max, p_lo
        return p


@dataclass(frozen=True, eq=False)
class DriftSolution:
    """``f`` at Earth on the momentum nodes, with what produced it.

    ``p`` [GeV] increasing; ``f_obs`` shape ``(len(p),)`` or ``(len(p), m)`` for ``m``
    right-hand sides (LIS flux unit / GeV^2); ``f_map`` the last step's ``f(r, theta)`` of the
    first right-hand side (shape ``(n_r, n_theta)``, at the lowest momentum).
    """

    p: np.ndarray
    f_obs: np.ndarray
    species: kin.Species
    field: HeliosphericField
    diffusion: DriftDiffusion
    grid: DriftGrid
    f_map: np.ndarray | None = None
    elapsed_s: float = field(default=0.0)

    @property
    def T(self) -> np.ndarray:
        """Kinetic energies [GeV] of the momentum nodes."""
        return kin.kinetic_from_momentum(self.p, self.species.mass)

    def flux(self, T=None) -> np.ndarray:
        """Intensity per unit kinetic energy ``p^2 f`` at Earth; at ``T`` [GeV] interpolated in
        ``(ln p, ln Phi)`` (NaN outside the nodes), else at the nodes."""
        nodes = self.p**2 * self.f_obs
        if T is None:
            return nodes
        T = np.asarray(T, dtype=float)
        p = kin.momentum_from_kinetic(np.where(T > 0, T, 0.0), self.species.mass)
        inside = (T > 0) & (p >= self.p[0] * (1 - 1e-12)) & (p <= self.p[-1] * (1 + 1e-12))
        out = np.full(T.shape, np.nan)
        lnp = np.log(np.clip(p[inside], self.p[0], self.p[-1]))
        out[inside] = np.exp(np.interp(lnp, np.log(self.p), np.log(nodes)))
        return out


def _earth_weights(theta_faces: np.ndarray) -> np.ndarray:
    """Area weights of the theta cells overlapping ``|lambda| < EARTH_LATITUDE_DEG`` (sum 1)."""
    lo = 0.5 * math.pi - math.radians(EARTH_LATITUDE_DEG)
    a = np.clip(theta_faces[:-1], lo, None)
    b = np.clip(theta_faces[1:], lo, None)
    w = np.cos(a) - np.cos(b)
    return w / w.sum()


def _sg_parts(U, D):
    """``(alpha, gamma)`` with drift flux ``alpha f_i + gamma f_{i+1} = D[(B(-P) - 1) f_i - (B(P) - 1) f_{i+1}]``,
    ``B(x) = x/(e^x - 1)`` the Bernoulli function, ``P = U/D`` (Scharfetter & Gummel 1969,
    IEEE Trans. Electron Devices 16, 64)."""
    P = U / D

    def bern(x):
        small = np.abs(x) < 1e-4
        xs = np.where(small, 1.0, x)
        return np.where(small, 1.0 - x / 2.0 + x**2 / 12.0, xs / np.expm1(xs))

    return D * (bern(-P) - 1.0), -D * (bern(P) - 1.0)


class _Operator:
    """Spatial geometry of Eq. 2 (everything independent of momentum), built once per solve."""

    def __init__(self, grid: DriftGrid, fld: HeliosphericField):
        r = grid.radial_nodes()
        self.r = r
        self.h = h = math.log(r[1] / r[0])
        self.r_face = np.concatenate([[r[0] * math.exp(-h / 2)], r * math.exp(h / 2)])  # n_r + 1 faces
        th_f = grid.theta_faces()
        self.th_f = th_f
        self.th_c = 0.5 * (th_f[:-1] + th_f[1:])
        self.k = th_f[1] - th_f[0]
        self.w = np.cos(th_f[:-1]) - np.cos(th_f[1:])  # Delta cos(theta) per cell
        self.n_r, self.n_t = r.size, self.th_c.size
        # spatial parts of K_rr at radial faces x cell centres, of K_thth at nodes x theta faces
        cos2 = 1.0 / (1.0 + fld.spiral_tan(self.r_face[:, None], self.th_c[None, :]) ** 2)
        self.cos2_face = cos2
        self.radial_profile_face = 1.0 + self.r_face / u.AU
        self.radial_profile_node = 1.0 + r / u.AU
        # Psi shape at corners (radial faces x theta faces)
        self.psi_shape = fld.stream_shape(self.r_face[:, None], th_f[None, :])
        self.V = fld.wind_speed
        self.capacity = (2.0 * self.V * r**2 / 3.0)[:, None] * self.w[None, :]  # per unit ds

    def matrix(self, diff: DriftDiffusion, beta: float, R: float, charge_sign: int, fld: HeliosphericField):
        """``L`` of Eq. 2 divided by ``h`` (sparse CSR, unknowns ordered ``i * n_theta + j``)."""
        n_r, n_t, h, k = self.n_r, self.n_t, self.h, self.k
        kpar_face = beta / 3.0 * diff.K0 * (R / u.GV + diff.g_low) * self.radial_profile_face
        K_rr = kpar_face[:, None] * (self.cos2_face + diff.rho_r * (1.0 - self.cos2_face))  # (n_r+1, n_t)
        A = self.r_face[:, None] * K_rr  # r K_rr at faces
        A_minus, A_plus = A[:-1], A[1:]
        B = (self.V * self.r**2)[:, None] * np.ones((1, n_t))
        with np.errstate(divide="ignore", invalid="ignore"):
            Pe = B * h / np.minimum(A_minus, A_plus)
            sig = np.where(Pe > 1e-6, 0.5 * Pe / np.tanh(0.5 * np.maximum(Pe, 1e-6)), 1.0 + Pe**2 / 12.0)
        w = self.w[None, :]
        a = w * (sig * A_minus / h**2 + B / (2 * h))  # coefficient of f_{i-1}
        c = w * (sig * A_plus / h**2 - B / (2 * h))  # of f_{i+1}
        b = -w * sig * (A_minus + A_plus) / h**2
        a[0] = 0.0
        c[0] = w[0] * (A_minus[0] + A_plus[0]) / h**2
        b[0] = -c[0]
        # polar diffusion: r_i/h * [sin K_thth d_th f] over theta faces, scaled per unit ds
        kpar_node = beta / 3.0 * diff.K0 * (R / u.GV + diff.g_low) * self.radial_profile_node
        Dth = (self.r * diff.rho_theta * kpar_node)[:, None] * np.sin(self.th_f[None, 1:-1]) / k  # interior theta faces
        s_minus = np.zeros((n_r, n_t))  # coefficient of f_{j-1}
        s_plus = np.zeros((n_r, n_t))
        s_plus[:, :-1] = Dth
        s_minus[:, 1:] = Dth
        b = b - s_minus - s_plus
        # drift fluxes from Psi at corners (divided by h: per unit ds)
        amp = diff.stream_amplitude(fld, beta, R, charge_sign)
        if amp != 0.0:
            psi = amp * self.psi_shape / h  # (n_r+1, n_t+1)
            U = psi[:, 1:] - psi[:, :-1]  # radial volume flux through face (i -/+ 1/2) of cell j, (n_r+1, n_t)
            Vt = -(psi[1:, 1:-1] - psi[:-1, 1:-1])  # theta flux through interior faces j+1/2, (n_r, n_t-1)
            # Scharfetter-Gummel: the drift flux added to the diffusive flux D (f_i - f_{i+1}) makes
            # the face flux D [B(-P) f_i - B(P) f_{i+1}], P = U/D, exact for a constant drift
            # and diffusion across the face; alpha + gamma = U, so the drift stays divergence-free
            D_r = w * A / h**2  # (n_r+1, n_t)
            alpha_r, gamma_r = _sg_parts(U, D_r)
            ao, go = alpha_r[1:], gamma_r[1:]  # outer face of node i
            ai, gi = alpha_r[:-1], gamma_r[:-1]  # inner face
            b = b - ao + gi
            c = c - go
            a = a + ai
            b[0] = b[0] + ai[0]  # at r_in the ghost node is f_0 (zero gradient)
            a[0] = 0.0
            alpha_t, gamma_t = _sg_parts(Vt, Dth)
            b[:, :-1] -= alpha_t
            s_plus[:, :-1] -= gamma_t
            s_minus[:, 1:] += alpha_t
            b[:, 1:] += gamma_t
        n = n_r * n_t
        offsets = (0, -1, 1, -n_t, n_t)
        diag0 = b.ravel()
        dm1 = s_minus.ravel()[1:]  # row m, column m-1 (same i)
        dp1 = s_plus.ravel()[:-1]
        dmt = a.ravel()[n_t:]
        dpt = c.ravel()[:-n_t]
        return sp_sparse.diags([diag0, dm1, dp1, dmt, dpt], offsets, shape=(n, n), format="csr")


def _march(T, boundary, species, fld: HeliosphericField, diff: DriftDiffusion, grid: DriftGrid, keep_map: bool):
    """March Eq. 2 with Dirichlet values ``boundary`` (shape ``(n_p, m)``) on the momentum nodes."""
    sp = kin.get_species(species)
    if sp.charge == 0:
        raise ValueError(f"{sp.name} is neutral: it is not modulated")
    charge_sign = 1 if sp.charge > 0 else -1
    p = grid.momenta(T, sp)
    x = np.log(p)
    dtau = x[0] - x[1]
    op = _Operator(grid, fld)
    n_r, n_t = op.n_r, op.n_t
    n = n_r * n_t
    m = boundary.shape[1]
    outer = np.arange((n_r - 1) * n_t, n)
    earth_i = int(np.argmin(np.abs(op.r - grid.r_obs)))
    we = _earth_weights(op.th_f)
    cap = op.capacity.ravel()[:, None]
    f_prev2 = None
    f_prev = np.repeat(boundary[0][None, :], n, axis=0)
    f_obs = np.empty((p.size, m))
    f_obs[0] = boundary[0]
    # Dirichlet rows: identity
    keep = np.ones(n)
    keep[outer] = 0.0
    K = sp_sparse.diags(keep)
    Id_outer = sp_sparse.diags(1.0 - keep)
    for kk in range(1, p.size):
        T_k = float(kin.kinetic_from_momentum(p[kk], sp.mass))
        beta = float(kin.beta_from_kinetic(T_k, sp.mass))
        R = p[kk] / sp.abs_charge
        L = op.matrix(diff, beta, R, charge_sign, fld)
        if grid.scheme == "euler" or kk == 1:
            D = cap[:, 0] / dtau
            rhs = cap / dtau * f_prev
        else:
            D = 1.5 * cap[:, 0] / dtau
            rhs = cap / (2 * dtau) * (4.0 * f_prev - f_prev2)
        Amat = K @ (sp_sparse.diags(D) - L) + Id_outer
        rhs[outer] = boundary[kk][None, :]
        # rows scaled to a unit diagonal: the Dirichlet rows (1) and the transport rows
        # (~1e34 in cgs) otherwise differ by 30 orders of magnitude, which ruins the pivoting
        scale = 1.0 / Amat.diagonal()
        Amat = sp_sparse.diags(scale) @ Amat
        f_new = splu(Amat.tocsc()).solve(rhs * scale[:, None])
        f_obs[kk] = we @ f_new.reshape(n_r, n_t, m)[earth_i]
        f_prev2, f_prev = f_prev, f_new
    f_map = f_prev[:, 0].reshape(n_r, n_t).copy() if keep_map else None
    return p, f_obs, sp, f_map


def solve_drift(T, lis, species, field_: HeliosphericField, diffusion: DriftDiffusion,
                grid: DriftGrid | None = None, extrapolate: str = "power-law") -> DriftSolution:
    """Solve Eq. 2 for one LIS (per unit kinetic energy, callable or ``(T, flux)``) at the heliopause.

    ``T`` [GeV] sets the momentum range; read the result with ``solution.flux(T)``.
    """
    start = time.perf_counter()
    grid = DriftGrid() if grid is None else grid
    T = np.asarray(T, dtype=float)
    if T.size == 0 or not np.all(np.isfinite(T)) or np.any(T <= 0):
        raise ValueError("solve_drift needs finite kinetic energies > 0")
    sp = kin.get_species(species)
    spectrum = as_spectrum(lis, extrapolate)
    p = grid.momenta(T, sp)
    T_nodes = kin.kinetic_from_momentum(p, sp.mass)
    T_nodes[-1] = T.min()
    f_lis = spectrum(T_nodes) / p**2
    if not np.all(np.isfinite(f_lis)) or np.any(f_lis < 0):
        raise ValueError("the LIS is undefined or negative on the solver's momentum range; it must cover the requested energies")
    p, f_obs, sp, f_map = _march(T, f_lis[:, None], sp, field_, diffusion, grid, keep_map=True)
    return DriftSolution(p[::-1].copy(), f_obs[::-1, 0].copy(), sp, field_, diffusion, grid, f_map,
                         time.perf_counter() - start)


def drift_green_matrix(T, species, field_: HeliosphericField, diffusion: DriftDiffusion,
                       grid: DriftGrid | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``(p, G)``: momentum nodes [GeV] (increasing) and ``G`` with ``f_obs(p_k) = sum_j G_kj f_LIS(p_j)``."""
    grid = DriftGrid() if grid is None else grid
    sp = kin.get_species(species)
    p = grid.momenta(np.asarray(T, dtype=float), sp)
    p_out, f_obs, _, _ = _march(T, np.eye(p.size), sp, field_, diffusion, grid, keep_map=False)
    return p_out[::-1].copy(), f_obs[::-1, ::-1].copy()
