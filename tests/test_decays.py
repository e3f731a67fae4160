"""Tests of the pi -> mu -> e decay kernels.

Compared against: normalisation and mean energies computed independently (quadrature of the
rest-frame Michel distribution, Lorentz transformation of the mean four-momentum), the
ultra-relativistic formulas (Kelner, Aharonian & Bugayov 2006), and a Monte Carlo that samples the decays in
their rest frames, carries the muon spin four-vector through the boosts and boosts the
electrons back to the lab.
"""

import numpy as np
import pytest
from scipy import integrate

from positrons import constants as const
from positrons import decays

M_MU = const.m_muon
M_PI = const.m_pion_charged
M_E = const.m_electron
W = decays.W_MICHEL
X0 = M_E / W


def _integrate_spectrum(kernel, E_max, n=200001, power=0):
    """Integral of E^power * kernel over [m_e, E_max] on a dense log grid (trapezoid).

    Log spacing with 2e5 points: the spectra are continuous with kinks, so the trapezoid
    error scales as h^2 and stays below 2e-7 here (4e4 points give 3e-6).
    """
    E = np.geomspace(M_E, E_max, n)
    return np.trapezoid(kernel(E) * E**power, E)


# --- pi -> mu -----------------------------------------------------------------------------


def test_muon_rest_frame_energy_matches_pdg_kinematics():
    # two-body kinematics: E* ~ 109.8 MeV, p* ~ 29.8 MeV
    assert decays.E_MU_STAR == pytest.approx(0.1098, abs=1e-4)
    assert decays.P_MU_STAR == pytest.approx(0.0298, abs=1e-4)
    assert decays.R_PION == pytest.approx(0.573, abs=1e-3)


@pytest.mark.parametrize("E_pi", [0.15, 1.0, 100.0])
def test_pion_to_muon_normalised_and_mean(E_pi):
    lo, hi = decays.pion_to_muon_range(E_pi)
    E = np.linspace(lo, hi, 1001)
    f = decays.pion_to_muon_spectrum(E, E_pi)
    assert np.trapezoid(f, E) == pytest.approx(1.0, rel=1e-12)
    # mean energy = gamma E* (isotropic decay of a spin-0 particle)
    assert np.trapezoid(f * E, E) == pytest.approx(E_pi / M_PI * decays.E_MU_STAR, rel=1e-12)


def test_pion_to_muon_ultrarelativistic_range_and_mean_fraction():
    E_pi = 1e5
    lo, hi = decays.pion_to_muon_range(E_pi)
    assert lo / E_pi == pytest.approx(decays.R_PION, rel=1e-6)
    assert hi / E_pi == pytest.approx(1.0, rel=1e-6)
    mean = 0.5 * (lo + hi) / E_pi
    assert mean == pytest.approx((1 + decays.R_PION) / 2, rel=1e-6)  # ~0.79
    assert mean == pytest.approx(0.79, abs=0.005)


def test_muon_polarization_limits():
    E_pi = 1e4
    lo, hi = decays.pion_to_muon_range(E_pi)
    # mu+ from pi+ has helicity -1 in the pion frame: -1 when emitted forward, +1 backward
    assert decays.muon_polarization_from_pion(hi, E_pi, +1) == pytest.approx(-1.0, abs=1e-6)
    assert decays.muon_polarization_from_pion(lo, E_pi, +1) == pytest.approx(+1.0, abs=1e-6)
    # ultra-relativistic formula (Lipari 1993): P = h (1 + r - 2 r / x) / (1 - r)
    x = np.linspace(0.6, 0.99, 5)
    r = decays.R_PION
    expected = +1 * (1 + r - 2 * r / x) / (1 - r)  # mu- from pi-: h = +1
    assert np.allclose(decays.muon_polarization_from_pion(x * E_pi, E_pi, -1), expected, atol=1e-6)


def test_pion_at_rest_is_refused_for_a_density():
    with pytest.raises(ValueError, match="at rest"):
        decays.pion_to_muon_spectrum(0.11, M_PI)
    with pytest.raises(ValueError, match="below the rest mass"):
        decays.pion_to_muon_spectrum(0.11, 0.1)


# --- mu -> e ------------------------------------------------------------------------------


def _rest_frame_moments():
    """<eps> and <k cos(theta)> (for P = 1, mu+) of the Michel distribution, by quadrature."""
    C = 1.0 / (2.0 * integrate.quad(lambda x: np.sqrt(x * x - X0**2) * (x / 2 - x * x / 3 - X0**2 / 6), X0, 1)[0])
    f_is = lambda x: x / 2 - x * x / 3 - X0**2 / 6  # noqa: E731
    f_as = lambda x: np.sqrt(x * x - X0**2) * (x - 0.5 + 0.5 * (np.sqrt(1 - X0**2) - 1)) / 3  # noqa: E731
    mean_eps = 2 * C * integrate.quad(lambda x: W * x * np.sqrt(x * x - X0**2) * f_is(x), X0, 1)[0]
    # <k cos> = C Int dx sqrt(x^2-x0^2) F_AS * W sqrt(x^2-x0^2) * Int cos^2 dcos (= 2/3)
    mean_kcos = C * (2.0 / 3.0) * integrate.quad(lambda x: W * (x * x - X0**2) * f_as(x), X0, 1)[0]
    return mean_eps, mean_kcos


def test_michel_rest_frame_normalised_and_mean():
    norm = _integrate_spectrum(decays.michel_rest_frame, W)
    assert norm == pytest.approx(1.0, rel=1e-6)
    mean_eps, _ = _rest_frame_moments()
    # massless limit <x> = 7/10: the electron mass shifts it by O(x0^2) ~ 1e-4
    assert mean_eps / W == pytest.approx(0.7, abs=2e-4)
    assert _integrate_spectrum(decays.michel_rest_frame, W, power=1) == pytest.approx(mean_eps, rel=1e-6)


@pytest.mark.parametrize("E_mu", [M_MU * (1 + 1e-6), 0.11, 0.2, 3.0, 1e3])
@pytest.mark.parametrize("pol", [-1.0, -0.3, 0.0, 1.0])
@pytest.mark.parametrize("charge", [+1, -1])
def test_muon_decay_normalisation_and_energy(E_mu, pol, charge):
    """Normalisation, and <E_e> = gamma (<eps> + q P beta <k cos>) from the Lorentz
    transformation of the mean electron four-momentum."""
    kernel = lambda E: decays.muon_to_electron_spectrum(E, E_mu, pol, charge)  # noqa: E731
    E_max = decays.muon_to_electron_range(E_mu)
    assert _integrate_spectrum(kernel, E_max) == pytest.approx(1.0, rel=1e-6)
    gamma = E_mu / M_MU
    beta = np.sqrt(max(1 - 1 / gamma**2, 0.0))
    mean_eps, mean_kcos = _rest_frame_moments()
    expected = gamma * (mean_eps + charge * pol * beta * mean_kcos)
    assert _integrate_spectrum(kernel, E_max, power=1) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("pol", [-1.0, 0.0, 0.5, 1.0])
@pytest.mark.parametrize("charge", [+1, -1])
def test_muon_decay_ultrarelativistic_limit(pol, charge):
    """Boosted Michel spectrum: f(y) = 5/3 - 3y^2 + 4/3 y^3, polarised part (1/3 - 3y^2 + 8/3 y^3).

    Sign convention (ours): the polarised part enters as -q P, with P the helicity of the
    muon and q its charge; a right-handed mu+ gives a harder positron spectrum.
    At E_mu = 10 TeV the mass corrections are O(m_e/m_mu)^2 and O(1/gamma^2): tolerance 3e-4.
    """
    E_mu = 1e4
    y = np.linspace(0.02, 0.98, 25)
    f = decays.muon_to_electron_spectrum(y * E_mu, E_mu, pol, charge) * E_mu
    expected = 5 / 3 - 3 * y**2 + 4 / 3 * y**3 - charge * pol * (1 / 3 - 3 * y**2 + 8 / 3 * y**3)
    assert np.allclose(f, expected, atol=3e-4)
    # mean energy fraction 7/20 (unpolarised), shifted by +q P / 20
    mean = np.trapezoid(np.append(f, 0) * np.append(y, 1), np.append(y, 1))
    assert mean == pytest.approx(7 / 20 + charge * pol / 20, abs=3e-3)


def test_muon_at_rest_gives_the_rest_frame_spectrum():
    E = np.linspace(M_E, W, 50)
    assert np.allclose(decays.muon_to_electron_spectrum(E, M_MU, 0.7, -1), decays.michel_rest_frame(E))


def test_muon_decay_is_continuous_and_vanishes_above_endpoint():
    """No jumps: halving the step halves the largest step-to-step change (a jump would not
    shrink).  The first 1 % of the range is left out: there the spectrum rises like
    sqrt(E - m_e), whose increments shrink only by 1/sqrt(2)."""
    E_mu = 0.5
    E_max = decays.muon_to_electron_range(E_mu)
    largest_change = []
    for n in (4001, 8001):
        E = np.linspace(M_E + 0.01 * E_max, E_max * 1.01, n)
        f = decays.muon_to_electron_spectrum(E, E_mu, 0.0, +1)
        assert np.all(f >= 0)
        assert np.all(f[E > E_max * (1 + 1e-9)] == 0)
        largest_change.append(np.max(np.abs(np.diff(f))))
    assert largest_change[1] < 0.6 * largest_change[0]


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="charge"):
        decays.muon_to_electron_spectrum(0.01, 0.2, 0.0, charge=2)
    with pytest.raises(ValueError, match="polarization"):
        decays.muon_to_electron_spectrum(0.01, 0.2, 1.5)
    with pytest.raises(ValueError, match="rest mass"):
        decays.muon_to_electron_spectrum(0.01, 0.05)


# --- pi -> mu -> e ------------------------------------------------------------------------


@pytest.mark.parametrize("E_pi", [M_PI * (1 + 1e-12), M_PI * 1.001, 0.3, 5.0, 2e3])
def test_pion_chain_normalisation_and_mean_energy(E_pi):
    """<E_e> = gamma_pi <E_e>_pion-frame: a spin-0 parent decays isotropically, so the mean
    electron momentum vanishes in its frame.  In that frame the muon has E*, p* and
    helicity h = -q, so <E_e> = (E*/m_mu) <eps> - (p*/m_mu) <k cos>."""
    mean_eps, mean_kcos = _rest_frame_moments()
    mean_rest = (decays.E_MU_STAR * mean_eps - decays.P_MU_STAR * mean_kcos) / M_MU
    _, hi = decays.pion_to_muon_range(E_pi)
    E_max = decays.muon_to_electron_range(hi)
    for charge in (+1, -1):
        kernel = lambda E: decays.pion_to_electron_spectrum(E, E_pi, charge)  # noqa: E731
        assert _integrate_spectrum(kernel, E_max) == pytest.approx(1.0, rel=1e-6)
        assert _integrate_spectrum(kernel, E_max, power=1) == pytest.approx(
            E_pi / M_PI * mean_rest, rel=1e-6
        )


def test_pion_chain_charge_symmetry():
    """CP: the e+ spectrum of pi+ equals the e- spectrum of pi-."""
    E = np.geomspace(M_E, 10.0, 50)
    assert np.allclose(
        decays.pion_to_electron_spectrum(E, 7.0, +1), decays.pion_to_electron_spectrum(E, 7.0, -1), rtol=1e-13
    )


@pytest.mark.parametrize("E_pi,tol", [(0.14, 1e-9), (0.15, 1e-8), (1.0, 1e-9), (100.0, 1e-9), (0.1452, 1e-5)])
def test_pion_chain_quadrature_converges(E_pi, tol):
    """Second method: the default 12 nodes per sub-interval against 100.  Near
    E_pi = 145 MeV the muon can be at rest in the lab and convergence is slower (doc)."""
    E_e = np.geomspace(M_E * 1.01, 0.5, 300)
    coarse = decays.pion_to_electron_spectrum(E_e, E_pi)
    fine = decays.pion_to_electron_spectrum(E_e, E_pi, n_nodes=100)
    assert np.max(np.abs(coarse - fine)) < tol * np.max(fine)


def test_pion_chain_ultrarelativistic_mean_fraction():
    """With m_e -> 0 and E_pi >> m_pi: <E_e>/E_pi = (7 E* - p*) / (20 m_mu m_pi) * m_mu...
    i.e. (W/m_mu)(7 E* - p*)/(10 m_pi) with W = m_mu/2: about 0.2646."""
    expected = (7 * decays.E_MU_STAR - decays.P_MU_STAR) / (20 * M_PI)
    E_pi = 1e3
    _, hi = decays.pion_to_muon_range(E_pi)
    kernel = lambda E: decays.pion_to_electron_spectrum(E, E_pi)  # noqa: E731
    mean = _integrate_spectrum(kernel, decays.muon_to_electron_range(hi), power=1) / E_pi
    assert mean == pytest.approx(expected, rel=2e-4)  # m_e corrections O(x0^2)


# --- Monte Carlo of the decays ------------------------------------------------------------


def _boost(four, beta_vec):
    """Lorentz-transform four-vectors ``four`` (N, 4) into a frame moving with beta_vec (N, 3)."""
    b2 = np.sum(beta_vec**2, axis=1)
    gamma = 1.0 / np.sqrt(1.0 - b2)
    bp = np.sum(beta_vec * four[:, 1:], axis=1)
    t = gamma * (four[:, 0] - bp)
    coef = np.where(b2 > 0, (gamma - 1.0) * bp / np.where(b2 > 0, b2, 1.0), 0.0) - gamma * four[:, 0]
    return np.column_stack([t, four[:, 1:] + coef[:, None] * beta_vec])


def _isotropic(rng, n):
    cos = rng.uniform(-1, 1, n)
    phi = rng.uniform(0, 2 * np.pi, n)
    sin = np.sqrt(1 - cos**2)
    return np.column_stack([sin * np.cos(phi), sin * np.sin(phi), cos])


def _sample_michel(rng, spin_dir, charge):
    """Electron four-momenta in the muon rest frame by rejection from the polarised Michel
    density (spin_dir: unit spin vectors, |P| = 1)."""
    n = len(spin_dir)
    out = np.empty((n, 4))
    todo = np.arange(n)
    f_max = 1.0 / 3.0 + 0.01  # max of F_IS + |F_AS| at x = 1 (times sqrt(x^2 - x0^2) <= 1)
    while todo.size:
        m = todo.size
        x = rng.uniform(X0, 1.0, m)
        u = _isotropic(rng, m)
        root = np.sqrt(x * x - X0**2)
        cos = np.sum(u * spin_dir[todo], axis=1)
        dens = root * (x / 2 - x * x / 3 - X0**2 / 6 + charge * cos * root * (x - 0.5 + 0.5 * (np.sqrt(1 - X0**2) - 1)) / 3)
        ok = rng.uniform(0, f_max, m) < dens
        idx = todo[ok]
        out[idx, 0] = W * x[ok]
        out[idx, 1:] = W * root[ok, None] * u[ok]
        todo = todo[~ok]
    return out


def _compare_histogram(samples, kernel, edges, n_samples):
    counts, _ = np.histogram(samples, bins=edges)
    expected = np.array([integrate.quad(kernel, a, b, epsrel=1e-8, limit=200)[0] for a, b in zip(edges[:-1], edges[1:])]) * n_samples
    sigma = np.sqrt(np.maximum(expected, 1.0))
    pulls = (counts - expected) / sigma
    return pulls, expected


@pytest.mark.parametrize("E_mu,pol,charge", [(0.15, 0.8, +1), (1.0, -1.0, -1), (0.3, 0.0, +1)])
def test_muon_decay_against_monte_carlo(E_mu, pol, charge):
    """Muon moving along z with spin polarisation pol along z: sample the spin direction
    (fully polarised along +-z with probabilities (1 +- P)/2), the Michel decay, boost."""
    rng = np.random.default_rng(1)
    n = 400_000
    spin = np.zeros((n, 3))
    spin[:, 2] = np.where(rng.uniform(size=n) < (1 + pol) / 2, 1.0, -1.0)
    e_rest = _sample_michel(rng, spin, charge)
    gamma = E_mu / M_MU
    beta = np.sqrt(1 - 1 / gamma**2)
    e_lab = _boost(e_rest, np.tile([0, 0, -beta], (n, 1)))
    edges = np.linspace(M_E, decays.muon_to_electron_range(E_mu), 31)
    kernel = lambda E: float(decays.muon_to_electron_spectrum(E, E_mu, pol, charge))  # noqa: E731
    pulls, expected = _compare_histogram(e_lab[:, 0], kernel, edges, n)
    assert np.sum(expected) == pytest.approx(n, rel=1e-4)
    # 30 bins: chi^2 with 30 dof exceeds 70 with probability < 1e-4
    assert np.sum(pulls**2) < 70, pulls


@pytest.mark.parametrize("E_pi,charge", [(0.2, +1), (2.0, -1), (M_PI * 1.0000001, +1)])
def test_pion_chain_against_monte_carlo(E_pi, charge):
    """Full chain: pion along z; muon isotropic in the pion frame with helicity h = -q;
    its spin four-vector is boosted to the lab and then to the muon rest frame (this carries
    the Wigner rotation, independently of the closed-form P_L); Michel decay; boost back."""
    rng = np.random.default_rng(2)
    n = 400_000
    h = -charge
    n_star = _isotropic(rng, n)
    p_mu = np.column_stack([np.full(n, decays.E_MU_STAR), decays.P_MU_STAR * n_star])
    s_mu = h * np.column_stack([np.full(n, decays.P_MU_STAR / M_MU), decays.E_MU_STAR / M_MU * n_star])
    beta_pi = np.sqrt(max(1 - (M_PI / E_pi) ** 2, 0.0))
    to_lab = np.tile([0, 0, -beta_pi], (n, 1))
    p_lab = _boost(p_mu, to_lab)
    s_lab = _boost(s_mu, to_lab)
    v_mu = p_lab[:, 1:] / p_lab[:, :1]
    s_rest = _boost(s_lab, v_mu)
    assert np.allclose(s_rest[:, 0], 0, atol=1e-9)
    spin_dir = s_rest[:, 1:] / np.linalg.norm(s_rest[:, 1:], axis=1)[:, None]
    e_rest = _sample_michel(rng, spin_dir, charge)
    e_lab = _boost(e_rest, -v_mu)
    _, hi = decays.pion_to_muon_range(E_pi)
    edges = np.linspace(M_E, decays.muon_to_electron_range(hi), 31)
    kernel = lambda E: float(decays.pion_to_electron_spectrum(E, E_pi, charge))  # noqa: E731
    pulls, _ = _compare_histogram(e_lab[:, 0], kernel, edges, n)
    assert np.sum(pulls**2) < 70, pulls


def test_monte_carlo_sees_the_polarisation():
    """The test above can fail: the unpolarised chain differs from the MC at >5 sigma."""
    rng = np.random.default_rng(3)
    n = 400_000
    E_mu = 1.0
    spin = np.zeros((n, 3))
    spin[:, 2] = 1.0
    e_rest = _sample_michel(rng, spin, +1)
    gamma = E_mu / M_MU
    e_lab = _boost(e_rest, np.tile([0, 0, -np.sqrt(1 - 1 / gamma**2)], (n, 1)))
    edges = np.linspace(M_E, decays.muon_to_electron_range(E_mu), 31)
    wrong = lambda E: float(decays.muon_to_electron_spectrum(E, E_mu, 0.0, +1))  # noqa: E731
    pulls, _ = _compare_histogram(e_lab[:, 0], wrong, edges, n)
    assert np.sum(pulls**2) > 300
