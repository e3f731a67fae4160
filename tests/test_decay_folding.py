"""The one decay folding (positrons.decay_folding) checked independently of its callers.

* Number sum rule: a pi+ at rest gives one positron (the polarised mu+ line at E* through
  the Michel spectrum); a muon and a pion in flight give one lepton each.
* Energy sum rule: an unpolarised muon is isotropic in its rest frame, so the mean lab
  lepton energy is gamma_mu <eps> (<eps> from the rest-frame Michel spectrum).
* A monoenergetic pi+ beam folded against a direct Monte Carlo of pi+ -> mu+ nu, the
  polarised mu+ -> e+ nu nu (rest-frame Michel distribution with the angle to the spin) and
  the two boosts, written here from the kinematics alone.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad

from positrons import constants as const
from positrons import decay_folding as df
from positrons import decays

M_E, M_MU, M_PI = const.m_electron, const.m_muon, const.m_pion_charged


def _integral(f, lo, hi, breaks=()):
    """Integral of a scalar function of the lepton kinetic energy over [lo, hi]."""
    return quad(f, lo, hi, points=[b for b in breaks if lo < b < hi] or None, limit=400, epsabs=0.0,
                epsrel=1e-10)[0]


def test_pion_at_rest_gives_one_positron():
    T_max = float(df.max_daughter_energy(0.0, "pion")) - M_E
    n = _integral(lambda T: df.decay_matrix(T, [0.0], "pion", +1)[0], 0.0, T_max)
    assert n == pytest.approx(1.0, rel=1e-6)


@pytest.mark.parametrize("parent, T_parent", [("muon", 0.05), ("muon", 3.0), ("pion", 0.3), ("pion", 5.0)])
def test_one_lepton_per_parent(parent, T_parent):
    T_max = float(df.max_daughter_energy(T_parent, parent)) - M_E
    breaks = np.geomspace(1e-6, T_max, 40)
    n = _integral(lambda T: df.decay_matrix(T, [T_parent], parent, -1)[0], 0.0, T_max, breaks)
    assert n == pytest.approx(1.0, rel=1e-5)


def test_unpolarised_muon_mean_energy():
    """<E_e> = gamma <eps>: the boost of an isotropic distribution."""
    W = decays.W_MICHEL
    eps = _integral(lambda E: E * decays.michel_rest_frame(E), M_E, W) / _integral(decays.michel_rest_frame, M_E, W)
    T_mu = 2.0
    gamma = (T_mu + M_MU) / M_MU
    T_max = float(df.max_daughter_energy(T_mu, "muon")) - M_E
    breaks = np.geomspace(1e-6, T_max, 40)
    mean_E = _integral(lambda T: (T + M_E) * df.decay_matrix(T, [T_mu], "muon", +1)[0], 0.0, T_max, breaks)
    assert mean_E == pytest.approx(gamma * eps, rel=1e-6)


def test_fold_is_the_weighted_sum_of_the_kernels():
    T_e = np.geomspace(1e-3, 10.0, 7)
    T_pi = np.geomspace(0.01, 30.0, 9)
    w = np.linspace(1.0, 3.0, 9)
    K = df.decay_matrix(T_e, T_pi, "pion", +1)
    assert K.shape == (7, 9)
    assert np.allclose(df.fold(T_e, T_pi, w, "pion", +1), K @ w, rtol=1e-14, atol=0.0)
    two = df.fold(T_e, T_pi, np.stack([w, 2 * w], axis=1), "pion", +1)
    assert np.allclose(two[:, 1], 2 * two[:, 0], rtol=1e-14)


def test_refuses_bad_arguments():
    with pytest.raises(ValueError):
        df.decay_matrix(1.0, [1.0], "kaon")
    with pytest.raises(ValueError):
        df.decay_matrix(1.0, [1.0], "pion", polarization=0.5)
    with pytest.raises(ValueError):
        df.decay_matrix(1.0, [[1.0]], "pion")


# --- Monte Carlo of pi+ -> mu+ -> e+ ------------------------------------------------------


def _boost(E, p, n, beta):
    """Boost the 4-vectors (E, p) by velocity ``beta`` along the unit vectors ``n`` (rows)."""
    gamma = 1.0 / np.sqrt(1.0 - beta**2)
    p_par = np.sum(p * n, axis=1)
    E_new = gamma * (E + beta * p_par)
    p_new = p + ((gamma - 1.0) * p_par + gamma * beta * E)[:, None] * n
    return E_new, p_new


def _isotropic(rng, size):
    cos = rng.uniform(-1.0, 1.0, size)
    phi = rng.uniform(0.0, 2 * np.pi, size)
    sin = np.sqrt(1.0 - cos**2)
    return np.stack([sin * np.cos(phi), sin * np.sin(phi), cos], axis=1)


def _about(axis, cos, rng):
    """Unit vectors at angle arccos(cos) to the unit vectors ``axis``, uniform in azimuth."""
    helper = np.where(np.abs(axis[:, :1]) < 0.9, np.array([[1.0, 0.0, 0.0]]), np.array([[0.0, 1.0, 0.0]]))
    e1 = np.cross(axis, helper)
    e1 /= np.linalg.norm(e1, axis=1)[:, None]
    e2 = np.cross(axis, e1)
    phi = rng.uniform(0.0, 2 * np.pi, cos.size)
    sin = np.sqrt(1.0 - cos**2)
    return cos[:, None] * axis + sin[:, None] * (np.cos(phi)[:, None] * e1 + np.sin(phi)[:, None] * e2)


def _michel_polarised(rng, size):
    """(x, cos theta) of e+ from a fully polarised mu+ at rest: density
    sqrt(x^2 - x0^2) [F_IS(x) + cos F_AS(x)] (Standard Model Michel parameters), by rejection."""
    W = decays.W_MICHEL
    x0 = M_E / W
    c = 0.5 - 0.5 * (np.sqrt(1.0 - x0**2) - 1.0)
    out_x, out_c = [], []
    n = 0
    while n < size:
        x = rng.uniform(x0, 1.0, 4 * size)
        cos = rng.uniform(-1.0, 1.0, 4 * size)
        root = np.sqrt(x * x - x0**2)
        f = root * (x / 2 - x * x / 3 - x0**2 / 6 + cos * root * (x - c) / 3.0)
        keep = rng.uniform(0.0, 0.35, x.size) < f  # max of f is 1/3 (x = 1, cos = 1)
        assert f.max() < 0.35
        out_x.append(x[keep])
        out_c.append(cos[keep])
        n += keep.sum()
    return np.concatenate(out_x)[:size], np.concatenate(out_c)[:size]


def _monte_carlo_positrons(T_pi: float, size: int, seed: int = 7) -> np.ndarray:
    """Lab kinetic energies of the e+ of ``size`` pi+ of kinetic energy T_pi moving along z."""
    rng = np.random.default_rng(seed)
    # pi+ -> mu+ nu in the pion frame: isotropic, muon helicity -1 (spin against its momentum)
    n_mu = _isotropic(rng, size)
    beta_mu = decays.P_MU_STAR / decays.E_MU_STAR
    # e+ in the muon rest frame (reached from the pion frame along n_mu): angle to the spin -n_mu
    x, cos_spin = _michel_polarised(rng, size)
    eps = x * decays.W_MICHEL
    k = np.sqrt(eps**2 - M_E**2)
    direction = _about(-n_mu, cos_spin, rng)
    E, p = _boost(eps, k[:, None] * direction, n_mu, beta_mu)  # to the pion frame
    gamma_pi = (T_pi + M_PI) / M_PI
    beta_pi = np.sqrt(1.0 - 1.0 / gamma_pi**2)
    z = np.tile([0.0, 0.0, 1.0], (size, 1))
    E, _ = _boost(E, p, z, beta_pi)  # to the lab
    return E - M_E


@pytest.mark.parametrize("T_pi", [0.05, 1.0])
def test_pion_beam_against_monte_carlo(T_pi):
    size = 400_000
    T_e = _monte_carlo_positrons(T_pi, size)
    T_max = float(df.max_daughter_energy(T_pi, "pion")) - M_E
    assert T_e.max() <= T_max * (1 + 1e-9)
    edges = np.linspace(0.0, T_max, 21)
    counts, _ = np.histogram(T_e, edges)
    # the folded spectrum integrated over each bin (Gauss-Legendre, 16 nodes per bin)
    nodes, weights = np.polynomial.legendre.leggauss(16)
    a, b = edges[:-1, None], edges[1:, None]
    T = 0.5 * (a + b) + 0.5 * (b - a) * nodes
    dN = df.fold(T, np.array([T_pi]), np.array([1.0]), "pion", +1)
    expected = size * np.sum(0.5 * (b - a) * weights * dN, axis=1)
    assert expected.sum() == pytest.approx(size, rel=1e-3)
    sigma = np.sqrt(np.maximum(expected, 25.0))
    assert np.max(np.abs(counts - expected) / sigma) < 5.0
    chi2 = np.sum((counts - expected) ** 2 / np.maximum(expected, 25.0))
    assert chi2 < 20 + 5 * np.sqrt(40)
