"""PBH mass functions (positrons.sources.pbh.mass_functions): normalisations (Carr et al. 2017).

Every normalisation is checked against a direct numerical integral (scipy.integrate.quad in
ln M, relative accuracy ~1e-10), so the tolerances (1e-7) only leave room for quad.
"""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from positrons.sources.pbh import mass_functions as mf


def _integral_ln_mass(f, lo, hi):
    """Integral of f(M) dM over [lo, hi], done in ln M."""
    value, _ = quad(lambda lnm: f(math.exp(lnm)) * math.exp(lnm), math.log(lo), math.log(hi),
                    epsabs=0.0, epsrel=1e-11, limit=400)
    return value


@pytest.mark.parametrize("sigma", [0.5, 1.0, 2.0])
def test_lognormal_k_is_spec_integral_and_between_half_and_one(sigma):
    # k(sigma) = Integral_{M_min}^inf dM/(sqrt(2 pi) sigma M) exp(-ln^2(M/M_c)/(2 sigma^2)),
    # M_min = 5e14 g; at M_c = 1e16 g it must lie in 0.5-1 for sigma = 0.5-2
    lognormal = mf.LogNormal(1e16, sigma)
    direct = _integral_ln_mass(
        lambda m: math.exp(-math.log(m / 1e16) ** 2 / (2 * sigma**2)) / (math.sqrt(2 * math.pi) * sigma * m),
        5e14, 1e16 * math.exp(40 * sigma))
    assert lognormal.k == pytest.approx(direct, rel=1e-8)
    assert 0.5 <= lognormal.k <= 1.0


def test_lognormal_number_density_is_specs_form():
    # dn/dM = A_2/(sqrt(2 pi) sigma M^2) exp(-ln^2(M/M_c)/(2 sigma^2)), A_2 = rho/k
    lognormal, rho = mf.LogNormal(1e16, 1.0), 3.0e-25
    M = np.array([6e14, 1e16, 3e17])
    A2 = rho / lognormal.k
    expected = A2 / (math.sqrt(2 * math.pi) * M**2) * np.exp(-np.log(M / 1e16) ** 2 / 2)
    assert np.allclose(lognormal.number_density(M, rho), expected, rtol=1e-13)
    assert lognormal.number_density(4e14, rho) == 0.0  # below M_min: evaporated


@pytest.mark.parametrize(
    "mass_function,lo,hi",
    [
        (mf.LogNormal(1e16, 0.5), 5e14, 1e19),
        (mf.LogNormal(1e16, 2.0), 5e14, 1e16 * math.exp(40.0)),
        (mf.LogNormal(1e15, 1.0), 5e14, 1e15 * math.exp(20.0)),
        (mf.PowerLaw(5e14, 1e18, -0.5), 5e14, 1e18),
        (mf.PowerLaw(5e14, 1e18, 0.0), 5e14, 1e18),
        (mf.CriticalCollapse(1e16), 5e14, 1e18),
    ],
)
def test_mass_density_normalisation(mass_function, lo, hi):
    # Integral M dn/dM dM = rho, i.e. Integral psi dM = 1
    rho = 2.0e-24
    mass_density = _integral_ln_mass(lambda m: m * mass_function.number_density(m, rho), lo, hi)
    assert mass_density == pytest.approx(rho, rel=1e-7)
    # the quadrature nodes reproduce it too, and an M^-1 moment
    nodes, weights = mass_function.quadrature()
    assert weights.sum() == pytest.approx(1.0, rel=1e-7)
    inverse_mean = _integral_ln_mass(lambda m: mass_function.psi(m) / m, lo, hi)
    assert np.sum(weights / nodes) == pytest.approx(inverse_mean, rel=1e-6)


def test_critical_collapse_untruncated_prefactor_is_3_2():
    # Carr et al. 2017 write psi = (3.2/M_f) (M/M_f)^2.85 exp(-(M/M_f)^2.85); 3.2 = 2.85/Gamma(1 + 1/2.85)
    cc = mf.CriticalCollapse(1e16, M_min=1.0)
    assert cc.psi(1e16) * 1e16 == pytest.approx(3.2 * math.exp(-1.0), rel=2e-3)


def test_monochromatic_is_a_single_node():
    mono = mf.Monochromatic(3e15)
    nodes, weights = mono.quadrature()
    assert nodes.tolist() == [3e15] and weights.tolist() == [1.0]
    assert mono.number_density(3e-25) == pytest.approx(1e-40)
    with pytest.raises(ValueError, match="delta"):
        mono.psi(3e15)


def test_narrow_lognormal_quadrature_tends_to_the_central_mass():
    nodes, weights = mf.LogNormal(1e16, 0.01).quadrature()
    assert np.sum(weights * nodes) == pytest.approx(1e16 * math.exp(0.5 * 0.01**2), rel=1e-8)


def test_invalid_parameters_are_refused():
    with pytest.raises(ValueError, match="> 0"):
        mf.LogNormal(1e16, 0.0)
    with pytest.raises(ValueError, match="> 0"):
        mf.Monochromatic(-1.0)
    with pytest.raises(ValueError, match="number"):
        mf.Monochromatic("heavy")
    with pytest.raises(ValueError, match="M_max"):
        mf.PowerLaw(1e16, 1e15)
    with pytest.raises(ValueError, match="almost no mass"):
        mf.LogNormal(1e10, 0.1)
    with pytest.raises(ValueError, match="unknown mass function"):
        mf.get_mass_function("gaussian")
    with pytest.raises(ValueError, match="lognormal"):
        mf.get_mass_function("lognormal", M_c=1e16, width=1.0)


def test_monochromatic_below_m_min_is_refused():
    # default M_min = 5e14 g, after Page 1976 (the package's own evaporating mass is 5.31e14 g): lighter holes
    # have evaporated; a lower M_min must be asked for explicitly
    assert mf.M_MIN_DEFAULT == 5e14
    with pytest.raises(ValueError, match="evaporated"):
        mf.Monochromatic(1e14)
    assert mf.Monochromatic(5e14).quadrature()[0].tolist() == [5e14]
    assert mf.Monochromatic(1e14, M_min=1e13).mass == 1e14


def test_lognormal_quadrature_never_drops_mass():
    # n_sigma = 0.5 kept 38 % of the mass, a window entirely below M_min none: both refused
    with pytest.raises(ValueError, match="n_sigma"):
        mf.LogNormal(1e16, 1.0, n_sigma=0.5)
    with pytest.raises(ValueError, match="below M_min"):
        # M_c e^(6 sigma) = 4.8e14 g < M_min = 5e14 g, though k = 8e-10 is not negligible
        mf.LogNormal(1e14, 0.26, n_sigma=6.0).quadrature()
    # the smallest allowed window holds all but 2e-9 of the mass
    nodes, weights = mf.LogNormal(1e16, 1.0, n_sigma=6.0).quadrature()
    assert weights.sum() == pytest.approx(1.0, abs=1e-8)


@pytest.mark.parametrize("gamma", [-200.0, -30.0, 30.0, 200.0])
def test_steep_power_laws_are_normalised(gamma):
    # |gamma| large raised ZeroDivisionError (M^gamma underflows) or OverflowError; in log form
    # psi is finite, integrates to 1 (quad in ln M over the e^-40 window next to the dominant
    # end) and its quadrature weights sum to 1
    power_law = mf.PowerLaw(5e14, 1e18, gamma)
    lo, hi = (5e14, 5e14 * math.exp(40 / abs(gamma))) if gamma < 0 else (1e18 * math.exp(-40 / abs(gamma)), 1e18)
    assert _integral_ln_mass(power_law.psi, lo, hi) == pytest.approx(1.0, rel=1e-7)
    nodes, weights = power_law.quadrature()
    assert weights.sum() == pytest.approx(1.0, rel=1e-7)
    assert np.all(np.isfinite(power_law.psi(np.geomspace(5e14, 1e18, 50))))
    # the mean mass by hand: <M> = |gamma|/(|gamma| - 1) M_min for gamma << -1 (M_max -> inf)
    if gamma == -200.0:
        assert np.sum(weights * nodes) == pytest.approx(200 / 199 * 5e14, rel=1e-9)
