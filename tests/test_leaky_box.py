"""Tests of the leaky box (positrons.propagation.leaky_box).

Compared against the analytic limits of the leaky box: no losses (n = Q tau_esc, also as
the limit of vanishing losses), no escape (n = (1/b) int_T Q, by scipy quadrature and in
closed form for a power law with Thomson losses), a delta-like source (n = N/b below the
line), the nucleus formula in its two limits and by hand, the Jones et al. (2001) grammage
by hand, and the residual of the transport equation d(b n)/dT = n/tau - Q on a solution.
Tolerances are set by the energy step (second-order scheme: ~(dy)^2 with dy the log step)
unless the limit is exact, and are said at each test.
"""

import math

import numpy as np
import pytest
from scipy import integrate

from positrons import constants as const
from positrons import kinematics as kin
from positrons import units as u
from positrons.interstellar import InterstellarMedium
from positrons.losses import lepton_loss_rate
from positrons.propagation.leaky_box import JONES2001, Grammage, LeakyBox

C = 2.99792458e10
U_G = 1.66053906660e-24  # atomic mass unit [g]
M_PER_H = (1.008 + 0.1 * 4.002602) * U_G  # H + 0.1 He per H atom [g]
T = np.geomspace(1e-3, 1e4, 561)  # 80 points per decade, dy = 0.029


def thomson(b0):
    return lambda t: b0 * np.asarray(t) ** 2


# --- grammage and escape time ------------------------------------------------------------
def test_jones2001_grammage_by_hand():
    # proton at R = 49 GV: X = 11.8 beta (10)^-0.54; below 4.9 GV: 11.8 beta
    T_hi = kin.kinetic_from_rigidity(49.0, "proton")
    beta = kin.beta_from_kinetic(T_hi, const.m_proton)
    assert JONES2001(T_hi, "proton") == pytest.approx(11.8 * beta * 10**-0.54, rel=1e-12)
    T_lo = kin.kinetic_from_rigidity(1.0, "proton")
    assert JONES2001(T_lo, "proton") == pytest.approx(11.8 * kin.beta_from_kinetic(T_lo, const.m_proton), rel=1e-12)
    # without the flat part the power law continues below R0
    assert Grammage(flat_below=False)(T_lo, "proton") > JONES2001(T_lo, "proton")


def test_escape_time_by_hand():
    box = LeakyBox(n_H_cm3=0.5)
    T10 = np.array([10.0])
    beta = kin.beta_from_kinetic(T10, const.m_electron)
    X = 11.8 * (kin.rigidity_from_kinetic(T10, "positron") / 4.9) ** -0.54 * beta
    expected = X / (M_PER_H * 0.5 * beta * C)
    assert box.escape_time(T10, "positron") == pytest.approx(expected, rel=1e-4)  # masses: 4 digits
    assert box.mean_mass_per_H_g == pytest.approx(1.41 * U_G, rel=2e-3)  # 1.4 m_p (H plus 10 % He by number)


# --- leptons -------------------------------------------------------------------------------
def test_no_losses_is_q_tau():
    Q = T**-2.4
    box = LeakyBox(n_H_cm3=1.0)
    assert np.allclose(box.solve_lepton(Q, T), Q * box.escape_time(T, "positron"), rtol=1e-14, atol=0)


def test_vanishing_losses_tend_to_q_tau():
    # the loss-escape scheme in its stiff limit is exact (not just O(dy^2)); last point is 0
    Q = T**-2.4 * np.exp(-T / 300.0)
    box = LeakyBox(n_H_cm3=1.0, loss_rate=thomson(1e-30))
    n = box.solve_lepton(Q, T)
    assert np.allclose(n[:-1], (Q * box.escape_time(T, "positron"))[:-1], rtol=1e-6, atol=0)
    assert n[-1] == 0.0


def test_no_escape_is_integral_of_source_over_b():
    # general Q and b, against scipy quad.  80 points/decade: 1e-3 where Q is a power law;
    # deep in the exponential cut-off (T = 420 GeV, Q T drops by e^-0.24 per step) the
    # trapezoid-like O(step^2) error is ~ 0.24^2/12 = 0.5 %: 1e-2 there
    def Q(t):
        return np.asarray(t) ** -2.2 * np.exp(-np.asarray(t) / 50.0)

    def b(t):
        t = np.asarray(t)
        return 1e-16 * (0.1 + t + t**2)

    box = LeakyBox(grammage=None, loss_rate=b)
    n = box.solve_lepton(Q, T)
    def Q_dy(y):  # Q dT = Q T dy
        return Q(np.exp(y)) * np.exp(y)

    for i, rtol in ((0, 1e-3), (100, 1e-3), (300, 1e-3), (450, 1e-2)):
        ref = integrate.quad(Q_dy, math.log(T[i]), math.log(T[-1]), epsabs=0, epsrel=1e-10, limit=200)[0] / b(T[i])
        assert n[i] == pytest.approx(ref, rel=rtol)


def test_power_law_with_thomson_losses_no_escape_analytic():
    # Q = Q0 T^-s, b = b0 T^2: n = Q0 (T^(1-s) - T_max^(1-s)) / ((s-1) b0 T^2)
    s, b0 = 2.5, 1e-16
    box = LeakyBox(grammage=None, loss_rate=thomson(b0))
    n = box.solve_lepton(T**-s, T)
    analytic = (T ** (1 - s) - T[-1] ** (1 - s)) / ((s - 1) * b0 * T**2)
    assert np.allclose(n[:-1], analytic[:-1], rtol=1e-3, atol=0)


def test_delta_like_source():
    # a narrow line at T0 carrying N per cm^3 per s: n = N / b(T) below it, 0 above
    T0, width, N = 100.0, 0.05, 3.0e-20
    y = np.log(T)
    Q = N / (T * width * math.sqrt(2 * math.pi)) * np.exp(-0.5 * ((y - math.log(T0)) / width) ** 2)
    b0 = 1e-16
    box = LeakyBox(grammage=None, loss_rate=thomson(b0))
    n = box.solve_lepton(Q, T)
    below = T < T0 * math.exp(-6 * width)
    above = T > T0 * math.exp(6 * width)
    # a Gaussian of width 0.05 in ln T sampled every 0.029: its trapezoid sum is exact to
    # ~exp(-2 pi^2 (0.05/0.029)^2) ~ 1e-25; the line holds a fraction 1 - 1e-9 within 6 sigma
    assert np.allclose(n[below] * b0 * T[below] ** 2, N, rtol=1e-6)
    assert np.all(n[above] * b0 * T[above] ** 2 < 1e-8 * N)


def test_escape_and_losses_satisfy_the_transport_equation():
    # d(b n)/dT = n / tau - Q, checked by centred differences in ln T: O(dy^2) ~ 1e-3
    ism = InterstellarMedium.default()
    box = LeakyBox.from_ism(ism)
    Q = T**-2.5 * np.exp(-T / 1e3)
    n = box.solve_lepton(Q, T)
    bn = box.loss_rate(T) * n
    tau = box.escape_time(T, "positron")
    lhs = np.gradient(bn, T)
    rhs = n / tau - Q
    inner = slice(5, 400)  # away from both ends (the top is truncated)
    scale = np.abs(Q[inner]) + np.abs(n[inner] / tau[inner])
    assert np.max(np.abs(lhs[inner] - rhs[inner]) / scale) < 5e-3


def test_from_ism_uses_local_gas_and_losses():
    ism = InterstellarMedium.default()
    box = LeakyBox.from_ism(ism)
    assert box.n_H_cm3 == pytest.approx(float(ism.gas.n_H_total(8.5, 0.0)))
    grid = np.geomspace(1e-3, 1e3, 7)
    assert np.allclose(box.loss_rate(grid), lepton_loss_rate(grid, ism, 8.5, 0.0), rtol=1e-14)


def test_lepton_input_validation():
    box = LeakyBox(loss_rate=thomson(1e-16))
    with pytest.raises(ValueError):
        box.solve_lepton(np.ones(3), np.array([1.0, 0.5, 2.0]))
    with pytest.raises(ValueError):
        box.solve_lepton(np.ones(2), T)
    with pytest.raises(ValueError, match="no steady state"):
        LeakyBox(grammage=None).solve_lepton(T**-2, T)


# --- nuclei --------------------------------------------------------------------------------
def test_nucleus_formula_by_hand_and_limits():
    box = LeakyBox(n_H_cm3=1.0)
    Tp = np.array([10.0])
    Q = np.array([2.0e-25])
    X = JONES2001(Tp, "proton")[0]
    tau = box.escape_time(Tp, "proton")[0]
    sigma = 40.0  # mb
    expected = Q[0] * tau / (1 + X * sigma * 1e-27 / M_PER_H)
    assert box.solve_nucleus(Q, Tp, "proton", sigma)[0] == pytest.approx(expected, rel=1e-4)
    # X sigma/m << 1: escape only
    assert box.solve_nucleus(Q, Tp, "proton", 1e-6)[0] == pytest.approx(Q[0] * tau, rel=1e-6)
    # X sigma/m >> 1: destruction only, n = Q / (n_H beta c sigma)
    beta = kin.beta_from_kinetic(10.0, const.m_proton)
    big = 1e6
    n = box.solve_nucleus(Q, Tp, "proton", big)[0]
    assert n == pytest.approx(Q[0] / (1.0 * beta * C * big * 1e-27), rel=1e-4)
    # and exactly that without escape
    assert LeakyBox(grammage=None).solve_nucleus(Q, Tp, "proton", sigma)[0] == pytest.approx(
        Q[0] / (beta * C * sigma * u.mb_to_cm2), rel=1e-12
    )


def test_nucleus_box_without_escape_or_destruction_is_refused():
    # n = Q/(n_H beta c sigma) is infinite for sigma = 0 without escape: the degenerate box has
    # no steady state and must say so instead of returning inf; nonsense input is refused too
    Tp, Q = np.array([1.0, 10.0]), np.array([1e-25, 1e-26])
    with pytest.raises(ValueError, match="no steady state"):
        LeakyBox(grammage=None).solve_nucleus(Q, Tp, "proton", 0.0)
    with pytest.raises(ValueError, match="no steady state"):
        LeakyBox(grammage=None).solve_nucleus(Q, Tp, "proton", np.array([30.0, 0.0]))
    with pytest.raises(ValueError, match=">= 0"):
        LeakyBox().solve_nucleus(Q, Tp, "proton", -5.0)
    with pytest.raises(ValueError, match="> 0"):
        LeakyBox().solve_nucleus(Q, np.array([-1.0, 10.0]), "proton", 30.0)
    # with escape, sigma = 0 is fine: n = Q tau_esc
    box = LeakyBox()
    assert np.allclose(box.solve_nucleus(Q, Tp, "proton", 0.0), Q * box.escape_time(Tp, "proton"), rtol=1e-14)


def test_unstable_nucleus_by_hand():
    """n = Q / (1/tau_esc + n_H beta c sigma + 1/(gamma tau)) (Eq. 2'), by hand at 10 GeV for a
    proton given the 10Be lifetime; without decay it is Eq. 2; a very long lifetime gives the
    stable result, a very short one Q gamma tau; without escape the decay alone gives a
    steady state."""
    box = LeakyBox(n_H_cm3=1.0)
    Tp, Q = np.array([1.0, 10.0]), np.array([2.0e-25, 3.0e-27])
    sigma, tau = 40.0, 4.4e13
    beta = kin.beta_from_kinetic(Tp, const.m_proton)
    gamma = 1.0 + Tp / const.m_proton
    esc = box.escape_time(Tp, "proton")
    expected = Q / (1 / esc + 1.0 * beta * C * sigma * 1e-27 + 1 / (gamma * tau))
    n = box.solve_nucleus(Q, Tp, "proton", sigma, lifetime_s=tau)
    assert np.allclose(n, expected, rtol=1e-4)  # constants to 4 digits
    assert np.allclose(box.solve_nucleus(Q, Tp, "proton", sigma, lifetime_s=1e40),
                       box.solve_nucleus(Q, Tp, "proton", sigma), rtol=1e-12)
    assert np.allclose(box.solve_nucleus(Q, Tp, "proton", 0.0, lifetime_s=1.0), Q * gamma * 1.0, rtol=1e-9)
    assert np.allclose(LeakyBox(grammage=None).solve_nucleus(Q, Tp, "proton", 0.0, lifetime_s=tau),
                       Q * gamma * tau, rtol=1e-12)
    # time dilation: the decay term is 1/gamma smaller at 10 GeV than in the rest frame
    assert gamma[1] == pytest.approx(11.66, rel=1e-3)
    with pytest.raises(ValueError, match="lifetime"):
        box.solve_nucleus(Q, Tp, "proton", sigma, lifetime_s=0.0)
