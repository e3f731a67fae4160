"""Linear solver for the transport operator: GMRES with a two-level preconditioner.

The operator couples three directions of very different stiffness: z (the thin disc, steps of
~50 pc), energy (re-acceleration is a diffusion in ln p, losses an advection) and R (steps of
~1 kpc, the weakest).  The preconditioner treats the two stiff directions exactly:

1. **radial rows** -- for each R row the (energy x z) plane of the operator is a 2D sparse
   problem, LU-factorised once (SuperLU); a symmetric block Gauss-Seidel sweep over the rows
   (out, then back in) solves all local physics (losses, re-acceleration, z diffusion and
   convection, catastrophic losses) exactly and leaves only the radial coupling to iterate;
2. **separable modes** -- the radial coupling is slow to converge for errors smooth in R.  With
   the energy couplings averaged over R (volume-weighted) the operator separates: the radial
   Laplacian is diagonalised once and each of its modes is again an (energy x z) plane,
   LU-factorised.  Solving the R-averaged operator in the smoothest half of the modes corrects
   the smooth errors (the rough ones are the sweeps' job).

Applied multiplicatively (modes, then rows on the residual), GMRES converges in ~10-15
iterations to 1e-8 whatever the energy resolution (block Gauss-Seidel in energy, the previous
method, needs iterations in proportion to the number of energies per decade, because
re-acceleration couples neighbouring energies ever more strongly as they get closer).

Tolerances are relative to a reference spectrum: unknowns are scaled by (p/p_0)^-s_ref and each
energy block of equations by the inverse of its median diagonal, so that a tolerance holds in
every energy block although the spectra span tens of decades.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse.linalg as spla

from .operator import TransportOperator

#: exponent of the reference spectrum of the residual scaling
REFERENCE_INDEX = 3.0


def _factorise(plane):
    """SuperLU factors of an (energy x z) plane (minimum-degree ordering of A + A^T: the least
    fill for these 2D five-point couplings of the orderings SuperLU offers; single-precision
    factors were tried and cost more GMRES iterations than they saved)."""
    return spla.splu(plane.tocsc(), permc_spec="MMD_AT_PLUS_A")


def _radial_couplings(op, transpose):
    """Couplings of each row to the previous / next one, per plane entry:
    A[i, i-1] = -D R_lower[i], A[i, i+1] = -D R_upper[i] (A^T[i, i-1] = A[i-1, i]^T)."""
    D = np.repeat(op.D, op.n_z)  # (n_T * n_z,) per plane entry
    nR = op.n_rows
    if not transpose:
        return [D * op.R_lower[i] for i in range(nR)], [D * op.R_upper[i] for i in range(nR)]
    return ([D * op.R_upper[i - 1] if i > 0 else None for i in range(nR)],
            [D * op.R_lower[i + 1] if i + 1 < nR else None for i in range(nR)])


class TwoLevelPreconditioner:
    """Approximate inverse of A (or of A^T with ``transpose=True``); see the module docstring."""

    def __init__(self, op: TransportOperator, transpose: bool = False):
        self.op = op
        self.transpose = transpose
        trans = "T" if transpose else "N"
        self._trans = trans
        nR = op.n_rows
        self._rows = [_factorise(op.row_plane(i)) for i in range(nR)]
        self._from_prev, self._from_next = _radial_couplings(op, transpose)
        # separable modes of the radial Laplacian (symmetric in the volume-weighted product)
        L = np.diag(op.R_diag) + np.diag(op.R_upper[:-1], 1) + np.diag(op.R_lower[1:], -1)
        root = np.sqrt(op.R_volumes)
        L_sym = root[:, None] * L / root[None, :]
        lam, Q = np.linalg.eigh(0.5 * (L_sym + L_sym.T))
        # the smoothest half of the modes (eigenvalues nearest 0, last): the row sweeps already
        # damp the rough ones (measured: the same GMRES iterations as with all of them)
        keep = max(1, (nR + 1) // 2)
        lam, Q = lam[-keep:], Q[:, -keep:]
        if not transpose:
            self._to_modes = Q.T * root[None, :]
            self._from_modes = Q / root[:, None]
        else:
            self._to_modes = Q.T / root[None, :]
            self._from_modes = Q * root[:, None]
        w = op.R_volumes / op.R_volumes.sum()
        e_sub, e_diag, e_sup = (np.tensordot(w, e, axes=1) for e in (op.e_sub, op.e_diag, op.e_sup))
        self._modes = [_factorise(op.plane(lam_m, e_sub, e_diag, e_sup)) for lam_m in lam]
        self._A = op.matrix.T.tocsr() if transpose else op.matrix
        self.scaling = _scaling(op, transpose)

    def for_operator(self, op: TransportOperator) -> TwoLevelPreconditioner:
        """This preconditioner's factorisations applied to another operator ``op`` on the same
        grid (e.g. another nucleus of a network): the LU factors of the planes and the radial
        modes are shared (no factorisation), the radial couplings, the matrix whose residual
        the sweeps correct and the residual scaling are ``op``'s own.  It is exact only for
        ``op`` equal to the factorised operator; GMRES corrects the difference, in a few more
        iterations the closer the two operators are."""
        if (op.n_rows, op.n_T, op.n_z) != (self.op.n_rows, self.op.n_T, self.op.n_z):
            raise ValueError("a preconditioner is shared only between operators on the same grid")
        other = object.__new__(TwoLevelPreconditioner)
        other.__dict__.update(self.__dict__)
        other.op = op
        other._from_prev, other._from_next = _radial_couplings(op, self.transpose)
        other._A = op.matrix.T.tocsr() if self.transpose else op.matrix
        other.scaling = _scaling(op, self.transpose)
        return other

    def _mode_solve(self, r):
        """The R-averaged operator solved in the kept (smooth) modes; zero in the others."""
        nR = self.op.n_rows
        rh = self._to_modes @ r.reshape(nR, -1)
        xh = np.empty_like(rh)
        for m, lu in enumerate(self._modes):
            xh[m] = lu.solve(rh[m], trans=self._trans)
        return (self._from_modes @ xh).reshape(-1)

    def _row_sweeps(self, r):
        nR = self.op.n_rows
        r2 = r.reshape(nR, -1)
        x = np.empty_like(r2)
        for i in range(nR):
            rhs = r2[i] if i == 0 else r2[i] + self._from_prev[i] * x[i - 1]
            x[i] = self._rows[i].solve(rhs, trans=self._trans)
        res = (r - self._A @ x.reshape(-1)).reshape(nR, -1)
        y = np.empty_like(res)
        for i in range(nR - 1, -1, -1):
            rhs = res[i] if i == nR - 1 else res[i] + self._from_next[i] * y[i + 1]
            y[i] = self._rows[i].solve(rhs, trans=self._trans)
        return (x + y).reshape(-1)

    def __call__(self, r):
        x = self._mode_solve(r)
        return x + self._row_sweeps(r - self._A @ x)


class ConvergenceError(RuntimeError):
    """GMRES did not reach the requested tolerance."""


def _scaling(op: TransportOperator, transpose: bool):
    """(S, W): unknowns scaled by S = (p/p_0)^-s_ref per energy block, equations by
    W = 1 / (median |diagonal| S) (swapped for the transposed system)."""
    nR, nT, nz = op.n_rows, op.n_T, op.n_z
    ref = (op.p / op.p[0]) ** -REFERENCE_INDEX
    diag = np.abs(op.matrix.diagonal()).reshape(nR, nT, nz)
    med = np.median(np.moveaxis(diag, 1, 0).reshape(nT, -1), axis=1)
    S = np.broadcast_to(np.repeat(ref, nz)[None, :], (nR, nT * nz)).reshape(-1)
    W = np.broadcast_to(np.repeat(1.0 / (med * ref), nz)[None, :], (nR, nT * nz)).reshape(-1)
    return (W, S) if transpose else (S, W)


def scaled_norm(op: TransportOperator, precondition: TwoLevelPreconditioner, b: np.ndarray) -> float:
    """The norm in which :func:`solve` measures residuals, of the right-hand side ``b``."""
    return float(np.linalg.norm(precondition.scaling[1] * b))


def solve(op: TransportOperator, b: np.ndarray, precondition: TwoLevelPreconditioner, rtol: float,
          restart: int, maxiter: int, transpose: bool = False, reference_norm: float | None = None):
    """x with A x = b (A^T x = b with ``transpose``) by right-preconditioned GMRES on the
    scaled system; returns (x, iterations).  ``b`` in the internal (i, j, k) ordering.

    The residual must fall below ``rtol`` times the scaled norm of ``b`` or, with
    ``reference_norm``, of that norm (a correction equation needs only the accuracy of the
    equation it corrects, not ``rtol`` relative to its own small right-hand side)."""
    if not np.any(b):
        return np.zeros_like(b), 0
    A = precondition._A
    S, W = precondition.scaling
    n = b.size
    b_s = W * b
    norm_b = float(np.linalg.norm(b_s))
    target = rtol * (norm_b if reference_norm is None else reference_norm)
    if target >= norm_b:  # zero is already accurate enough
        return np.zeros_like(b), 0
    y0 = precondition(b_s / W) / S

    def apply_preconditioner(r):
        # scipy's GMRES starts by preconditioning b (for its tolerance): that is y0, already known
        if np.array_equal(r, b_s):
            return y0.copy()
        return precondition(r / W) / S

    A_s = spla.LinearOperator((n, n), matvec=lambda y: W * (A @ (S * y)), dtype=float)
    M_s = spla.LinearOperator((n, n), matvec=apply_preconditioner, dtype=float)
    count = [0]

    def callback(_):
        count[0] += 1

    if np.linalg.norm(A_s @ y0 - b_s) <= target:
        return S * y0, 0
    y, info = spla.gmres(A_s, b_s, x0=y0, M=M_s, rtol=target / norm_b, atol=0.0, restart=restart, maxiter=maxiter,
                         callback=callback, callback_type="pr_norm")
    if info != 0:
        raise ConvergenceError(f"the transport solve did not converge to rtol = {rtol:g} in "
                               f"{count[0]} GMRES iterations (info = {info})")
    return S * y, count[0]
