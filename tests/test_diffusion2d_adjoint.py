"""The observer (adjoint) response of the 2D solver: any source in one dot product.

``Propagator.observer_response`` solves the transposed system once per observed energy; the
density at the observer for any source q is then sum(W[i] * q).  Checked against forward
solves (random mirror-symmetric sources, off-plane observers, with losses, re-acceleration
and convection), against ``energy_response`` for a separable source, against a direct sparse
LU, and (reference method) the transposed preconditioner against the forward one.  Coarse
grids (dR = 2 kpc, dz = 0.5 kpc, 12 energies): each test well under 10 s.
"""

import numpy as np
import pytest

from positrons.propagation.diffusion2d import Grid, Propagator, SolverSettings
from positrons.propagation.models import PRESETS

T = np.geomspace(0.01, 100, 12)


def _loss(R, z, TT):
    return 1e-16 * TT**2 + 1e-17


def _prop(name, rtol=1e-8, method="two_level"):
    model = PRESETS[name]
    grid = Grid.for_model(model, T, dR_kpc=2.0, dz_kpc=0.5)
    return model, Propagator(model, grid, "positron", loss_rate=_loss, settings=SolverSettings(rtol=rtol, method=method))


def _random_source(grid, rng):
    """Positive, arbitrary in space and in energy (a random spectral index times noise),
    mirror-symmetric in z (the solver's symmetry)."""
    q = rng.random(grid.shape) * grid.T[None, None, :] ** -rng.uniform(1.5, 3.5)
    return 0.5 * (q + q[:, ::-1, :])


def test_transposed_preconditioner_is_the_transpose():
    """Reference method: v . P(u) = u . P^T(v) to round-off (GH: losses, re-acceleration,
    convection)."""
    _, prop = _prop("GH", method="reference")
    rng = np.random.default_rng(0)
    n = prop.matrix.shape[0]
    for _ in range(3):
        u_, v = rng.standard_normal(n), rng.standard_normal(n)
        lhs, rhs = v @ prop._precondition(u_), u_ @ prop._precondition_T(v)
        assert lhs == pytest.approx(rhs, rel=1e-10)


@pytest.mark.parametrize("name, rtol, method", [("MED", 1e-8, "two_level"), ("GH", 1e-10, "two_level"),
                                                ("DB", 1e-8, "two_level"), ("GH", 1e-10, "reference")])
def test_observer_response_equals_forward_solves(name, rtol, method):
    """W . q = solve(q).at(observer) for two random positive sources, at the Sun and at an
    off-plane observer between nodes.  MED: losses + re-acceleration; GH: + convection
    (rtol 1e-10 for both routes); DB: no re-acceleration.  Asserted: 1e-6."""
    model, prop = _prop(name, rtol, method)
    grid = prop.grid
    rng = np.random.default_rng(42)
    W = prop.observer_response()
    assert W.shape == (T.size,) + grid.shape
    assert prop.observer_response() is W  # cached
    for _ in range(2):
        q = _random_source(grid, rng)
        sol = prop.solve(q)
        assert np.allclose(np.einsum("irzj,rzj->i", W, q), sol.at(model.r_sun_kpc), rtol=1e-6, atol=0)
        assert np.allclose(prop.observer_flux(q), sol.flux(model.r_sun_kpc), rtol=1e-6, atol=0)
    # an observer off the plane and between nodes (bilinear weights)
    q = _random_source(grid, rng)
    assert np.allclose(prop.observer_density(q, 5.0, 0.7), prop.solve(q).at(5.0, 0.7), rtol=1e-6, atol=0)


def test_observer_flux_is_linear_and_takes_callables():
    """Linear to round-off (a contraction with a fixed W), and a callable source gives the
    same result as its array on the grid."""
    model, prop = _prop("MED")
    grid = prop.grid
    rng = np.random.default_rng(7)
    q1, q2 = _random_source(grid, rng), _random_source(grid, rng)
    a, b = 3.0, 2e4
    f12 = prop.observer_flux(a * q1 + b * q2)
    assert np.allclose(f12, a * prop.observer_flux(q1) + b * prop.observer_flux(q2), rtol=1e-12, atol=0)

    def src(R, z, TT):
        return model.source_distribution(R, z) * TT**-2.4

    arr = src(grid.R_kpc[:, None, None], grid.z_kpc[None, :, None], grid.T[None, None, :])
    assert np.allclose(prop.observer_flux(src), prop.observer_flux(arr), rtol=1e-14, atol=0)
    with pytest.raises(ValueError, match="outside the halo"):
        prop.observer_response(25.0, 0.0)


def _direct_observer_response(prop, R_kpc, z_kpc=0.0):
    """Reference W from direct forward solves with a sparse LU of the whole (small) system:
    the solution operator S = A1^-1 (2 - A2 A1^-1) of the defect correction, applied to a unit
    source in every cell and energy, read at the observer."""
    import scipy.sparse.linalg as spla

    from positrons.propagation.diffusion2d import observation_weights

    g, op = prop.grid, prop.operator
    lu = spla.splu(op.matrix.tocsc())
    w = observation_weights(g, R_kpc, z_kpc)
    n = op.matrix.shape[0]
    # the columns of S for every internal unknown at once (a dense n x n problem: small grid)
    X1 = lu.solve(np.eye(n))
    S = lu.solve(2 * np.eye(n) - op.matrix2 @ X1)
    W = np.empty((g.T.size,) + g.shape)
    for col in range(n):
        e = np.zeros(n)
        e[col] = 1.0
        # a unit source in the internal unknown col, per unit momentum: density field on the grid
        dens = prop._density(S[:, col])
        i, j, k = np.unravel_index(col, (op.n_rows, op.n_T, op.n_z))
        value = np.tensordot(w, dens, axes=([0, 1], [0, 1]))  # (nT,) at the observer
        # that internal unknown is the node (i, z_k) -- and its mirror -- at energy j, per unit T
        mirror = [op.n_z - 1 + k] + ([op.n_z - 1 - k] if k > 0 else [])
        for kk in mirror:
            W[:, i, kk, j] = value * op.beta[j] / len(mirror)
    return W


def test_observer_response_against_a_direct_solve():
    """W against direct forward solves with a sparse LU (MED): every row (observed energy) to
    1e-6 of its largest element."""
    model, prop = _prop("MED")
    W = prop.observer_response()
    W_ref = _direct_observer_response(prop, model.r_sun_kpc)
    row_max = np.abs(W_ref).reshape(T.size, -1).max(axis=1)
    assert np.all(np.abs(W - W_ref).reshape(T.size, -1).max(axis=1) < 1e-6 * row_max)


def test_observer_response_agrees_with_energy_response():
    """Separable source q = profile(R, z) Q(T): contracting W with the profile gives the
    injected -> observed matrix G of ``energy_response``.  The observed spectrum of a power
    law agrees with ``local_flux`` to 1e-6.  Element by element, against G from the direct
    LU: to 5e-5 on elements above 1e-6 of the largest, and to 1e-5 of the largest
    everywhere.  (With the defect correction a single-energy injection -- a column of G --
    has small negative elements next to the injected energy: the second-order correction of
    a step; smooth spectra are positive.)"""
    model, prop = _prop("MED")
    grid = prop.grid
    profile = model.source_distribution
    shape = profile(grid.R_kpc[:, None], grid.z_kpc[None, :])
    G_adjoint = np.einsum("irzj,rz->ij", prop.observer_response(), shape)
    via_response = prop.local_flux(profile, T**-2.3)
    via_observer = prop.observer_flux(lambda R, z, TT: profile(R, z) * TT**-2.3)
    assert np.allclose(via_observer, via_response, rtol=1e-6, atol=0)
    assert np.allclose(G_adjoint @ T**-2.3, prop.energy_response(profile) @ T**-2.3, rtol=1e-6, atol=0)
    G_ref = np.einsum("irzj,rz->ij", _direct_observer_response(prop, model.r_sun_kpc), shape)
    big = np.abs(G_ref) > 1e-6 * G_ref.max()
    # the defect correction is solved to the first solve's accuracy (not to rtol of its own
    # small right-hand side): measured 1.7e-5
    assert np.max(np.abs(G_adjoint[big] / G_ref[big] - 1)) < 5e-5
    assert np.max(np.abs(G_adjoint - G_ref)) < 1e-5 * G_ref.max()
