"""The observer (adjoint) response of the 2D solver: any source in one dot product.

``Propagator.observer_response`` solves M^T y_i = e_i once per observed energy; the density at
the observer for any source q is then sum(W[i] * q).  Checked against forward solves (random
sources, off-plane observers, with losses, re-acceleration and convection), against
``energy_response`` for a separable source, and the transposed preconditioner against the
forward one.  Coarse grids (dR = 2 kpc, dz = 0.5 kpc, 12 energies): each test well under 10 s.
"""

import numpy as np
import pytest

from positrons.propagation.diffusion2d import Grid, Propagator, SolverSettings
from positrons.propagation.models import PRESETS

T = np.geomspace(0.01, 100, 12)


def _loss(R, z, TT):
    return 1e-16 * TT**2 + 1e-17


def _prop(name, rtol=1e-8):
    model = PRESETS[name]
    grid = Grid.for_model(model, T, dR_kpc=2.0, dz_kpc=0.5)
    return model, Propagator(model, grid, "positron", loss_rate=_loss, settings=SolverSettings(rtol=rtol))


def _random_source(grid, rng):
    """Positive, arbitrary in space and in energy (a random spectral index times noise)."""
    return rng.random(grid.shape) * grid.T[None, None, :] ** -rng.uniform(1.5, 3.5)


def test_transposed_preconditioner_is_the_transpose():
    """v . P(u) = u . P^T(v) to round-off (GH: losses, re-acceleration, convection)."""
    _, prop = _prop("GH")
    rng = np.random.default_rng(0)
    n = prop.matrix.shape[0]
    for _ in range(3):
        u_, v = rng.standard_normal(n), rng.standard_normal(n)
        lhs, rhs = v @ prop._precondition(u_), u_ @ prop._precondition_T(v)
        assert lhs == pytest.approx(rhs, rel=1e-10)


@pytest.mark.parametrize("name, rtol", [("MED", 1e-8), ("GH", 1e-10), ("DB", 1e-8)])
def test_observer_response_equals_forward_solves(name, rtol):
    """W . q = solve(q).at(observer) for two random positive sources, at the Sun and at an
    off-plane observer between nodes.  MED: losses + re-acceleration; GH: + convection
    (rtol 1e-10 for both routes: at 1e-8 other random sources reached 8e-7 there); DB: no
    re-acceleration, where both block sweeps are exact.  Measured: <= 8.8e-8 (MED),
    <= 1.2e-9 (GH at 1e-10), 3e-15 (DB).  Asserted: 1e-6."""
    model, prop = _prop(name, rtol)
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
    """Reference W from a direct sparse LU of the whole (small) system, solved transposed."""
    import scipy.sparse.linalg as spla

    from positrons.propagation.diffusion2d import _observation_weights

    g = prop.grid
    ns, nT = prop.n_space, g.T.size
    lu = spla.splu(prop.matrix.tocsc())
    w = _observation_weights(g, R_kpc, z_kpc).reshape(-1)
    W = np.empty((nT,) + g.shape)
    for i in range(nT):
        e = np.zeros(ns * nT)
        e[i * ns:(i + 1) * ns] = w / prop._beta[i]
        y = lu.solve(e, trans="T")
        W[i] = np.moveaxis(y.reshape(nT, *g.shape[:2]), 0, 2) * prop._beta[None, None, :]
    return W


def test_observer_response_against_a_direct_solve():
    """W against the transposed direct sparse LU of the 1320 x 1320 system (MED): every row
    (observed energy) to 1e-6 of its largest element (measured 9e-9)."""
    model, prop = _prop("MED")
    W = prop.observer_response()
    W_ref = _direct_observer_response(prop, model.r_sun_kpc)
    row_max = np.abs(W_ref).reshape(T.size, -1).max(axis=1)
    assert np.all(np.abs(W - W_ref).reshape(T.size, -1).max(axis=1) < 1e-6 * row_max)


def test_observer_response_agrees_with_energy_response():
    """Separable source q = profile(R, z) Q(T): contracting W with the profile gives the
    injected -> observed matrix G of ``energy_response``.  The observed spectrum of a power
    law agrees with ``local_flux`` to 1e-6 (measured 2e-9).  Element by element, against G
    from the direct LU: the adjoint G to 1e-5 on elements above 1e-6 of the largest
    (measured 4.8e-7).  (The forward ``energy_response`` at its default rtol 1e-8 is off by
    up to 0.5 % there, on a 50 GeV injection observed at 0.01 GeV, 2 % of that row's
    largest element: its GMRES tolerance is weighted by a p^-3 reference spectrum, which a
    single high-energy injection observed far below violates; smooth spectra are not
    affected, as the first check shows.)"""
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
    big = G_ref > 1e-6 * G_ref.max()
    assert np.max(np.abs(G_adjoint[big] / G_ref[big] - 1)) < 1e-5
    assert np.all(np.abs(G_adjoint[~big]) < 1e-5 * G_ref.max())
