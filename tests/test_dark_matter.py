"""Dark-matter annihilation and decay sources (positrons.sources.dark_matter).

References: exact sum rules of the line split; the Michel spectrum boosted to an
ultra-relativistic muon (Michel spectrum boosted: f(y) = 5/3 - 3y^2 + 4/3 y^3, Integral f = 1, <y> = 7/20);
the rate densities (<sigma v>/2)(rho/m)^2, (<sigma v>/4)(rho/m)^2 and rho/(m tau) written out
by hand at the Sun, where the halo module fixes rho = 0.43 GeV cm^-3.  Energies GeV, kpc.
"""

import math
import re

import numpy as np
import pytest

from positrons import constants as const
from positrons.sources import dark_matter as dm
from positrons.sources.halo import NFW, get_profile

# trapezoid in ln T on 20001 points from 1e-7 E_mu: the quadrature error is ~(dlnT)^2 ~ 1e-6 and the
# part below the grid ~ 5/3 x 1e-7; the brief's tolerance 1e-3 leaves room for the electron-mass
# corrections of the Michel spectrum (~(m_e/m_mu)^2 ~ 2e-5 on <E>).
TOL_INTEGRAL = 1e-3


def log_grid(T_max, n=20001, decades=7):
    T = np.geomspace(T_max * 10.0**-decades, T_max, n)
    return T


def integrate_lnT(f, T):
    """Integral f dT on a log grid (trapezoid in ln T)."""
    return float(np.trapezoid(f * T, np.log(T)))


def grid_with_widths(T_lo=1e-4, T_hi=1e5, per_decade=16):
    """Log-spaced nodes and cell widths between the ln-midpoints (like the propagator's cells)."""
    n = int(round(math.log10(T_hi / T_lo) * per_decade)) + 1
    T = np.geomspace(T_lo, T_hi, n)
    ln = np.log(T)
    faces = np.exp(np.concatenate([[1.5 * ln[0] - 0.5 * ln[1]], 0.5 * (ln[1:] + ln[:-1]), [1.5 * ln[-1] - 0.5 * ln[-2]]]))
    return T, np.diff(faces)


# --- the e+e- line ------------------------------------------------------------------------


@pytest.mark.parametrize("T_line", [3.7, 1e-4, 1e5, 99.99999])
def test_line_on_grid_counts_one_particle_and_keeps_mean_log_energy(T_line):
    T, w = grid_with_widths()
    Q = dm.line_on_grid(T_line, T, w)
    assert np.sum(Q * w) == pytest.approx(1.0, abs=1e-14)
    assert np.sum(Q * w * np.log(T)) == pytest.approx(math.log(T_line), abs=1e-12)
    assert np.count_nonzero(Q) <= 2 and np.all(Q >= 0)


def test_ee_channel_is_the_line_at_m_chi_minus_m_e():
    T, w = grid_with_widths()
    m = 200.0
    Q_ann = dm.lepton_spectrum("ee", m, T, widths=w)
    Q_dec = dm.lepton_spectrum("ee", m, T, process="decay", widths=w)
    assert np.sum(Q_ann * w * np.log(T)) == pytest.approx(math.log(m - const.m_electron), abs=1e-12)
    assert np.sum(Q_dec * w * np.log(T)) == pytest.approx(math.log(m / 2 - const.m_electron), abs=1e-12)
    # decay of 2m = annihilation of m
    assert np.array_equal(dm.lepton_spectrum("ee", 2 * m, T, "decay", w), Q_ann)


@pytest.mark.parametrize("T_line", [0.9e-4, 1.01e5])
def test_line_outside_the_grid_raises(T_line):
    T, w = grid_with_widths()
    with pytest.raises(ValueError, match="outside the energy grid"):
        dm.line_on_grid(T_line, T, w)


def test_ee_needs_widths_and_a_matching_grid():
    T, w = grid_with_widths()
    with pytest.raises(ValueError, match="widths"):
        dm.lepton_spectrum("ee", 10.0, T)
    with pytest.raises(ValueError, match="widths"):
        dm.line_on_grid(1.0, T, w[:-1])
    with pytest.raises(ValueError, match="increasing"):
        dm.line_on_grid(1.0, T[::-1], w)
    with pytest.raises(ValueError, match="outside"):  # m_chi = 1e6 GeV beyond a grid ending at 1e5
        dm.lepton_spectrum("ee", 1e6, T, widths=w)


# --- mu+ mu- ------------------------------------------------------------------------------


@pytest.mark.parametrize("E_mu", [0.2, 1.0, 100.0, 1e4])
def test_mumu_is_normalised_with_michel_mean_energy(E_mu):
    T = log_grid(E_mu)
    f = dm.lepton_spectrum("mumu", E_mu, T)
    assert integrate_lnT(f, T) == pytest.approx(1.0, abs=TOL_INTEGRAL)
    # <E_e> = gamma <eps> = 7/20 E_mu exactly for an unpolarised muon (no cos(theta) term)
    mean_E = integrate_lnT(f * (T + const.m_electron), T)
    assert mean_E == pytest.approx(0.35 * E_mu, rel=TOL_INTEGRAL)


def test_mumu_is_the_boosted_michel_spectrum_at_high_energy():
    # boosted Michel: dN/dE = f(y)/E_mu, f = 5/3 - 3y^2 + 4/3 y^3, for E_mu >> m_mu (corrections ~ m_e/E)
    E_mu = 1000.0
    y = np.linspace(0.01, 0.95, 95)
    f = dm.lepton_spectrum("mumu", E_mu, y * E_mu - const.m_electron) * E_mu
    assert np.allclose(f, 5 / 3 - 3 * y**2 + 4 / 3 * y**3, rtol=1e-3, atol=0)


def test_mumu_endpoint_and_shape():
    E_mu = 50.0
    assert np.all(dm.lepton_spectrum("mumu", E_mu, np.linspace(E_mu, 3 * E_mu, 50)) == 0.0)
    assert dm.lepton_spectrum("mumu", E_mu, 0.9 * E_mu) > 0
    T = np.ones((3, 1, 4)) * np.array([0.1, 1.0, 10.0, 40.0])
    assert dm.lepton_spectrum("mumu", E_mu, T).shape == (3, 1, 4)


def test_decay_of_twice_the_mass_is_annihilation():
    T = log_grid(300.0, n=200)
    for m in (0.5, 37.0, 300.0):
        assert np.array_equal(dm.lepton_spectrum("mumu", 2 * m, T, "decay"), dm.lepton_spectrum("mumu", m, T))
    # and a decay of m is not an annihilation of m
    assert not np.allclose(dm.lepton_spectrum("mumu", 300.0, T, "decay"), dm.lepton_spectrum("mumu", 300.0, T), rtol=1e-3, atol=0)


def test_mumu_threshold():
    with pytest.raises(ValueError, match="m_mu"):
        dm.lepton_spectrum("mumu", 0.9 * const.m_muon, 0.01)
    with pytest.raises(ValueError, match="m_mu"):
        dm.lepton_spectrum("mumu", 1.5 * const.m_muon, 0.01, process="decay")
    with pytest.raises(ValueError, match="m_mu"):
        dm.DarkMatterSource(mass_GeV=0.15, channel="mumu", process="decay", lifetime_s=1e26)
    assert dm.lepton_spectrum("mumu", 2.5 * const.m_muon, 0.01, process="decay") > 0


# --- the source term ----------------------------------------------------------------------

# rho = 0.43 GeV/cm^3 at R = 8.5 kpc, z = 0 (halo.py's normalisation), numbers by hand:
# (3e-26/2) (0.43/100)^2 = 1.5e-26 x 1.849e-5 = 2.7735e-31; Dirac half; 0.43/(1000 x 1e27) = 4.3e-31
MAJORANA_100GEV_3E26 = 2.7735e-31
DIRAC_100GEV_3E26 = 1.38675e-31
DECAY_1TEV_1E27S = 4.3e-31


def injected(source, T, widths=None):
    q = source(8.5, 0.0, T, widths)
    return float(np.sum(q * widths)) if widths is not None else integrate_lnT(q, T)


@pytest.mark.parametrize("channel", ["ee", "mumu"])
def test_injection_rate_at_the_sun(channel):
    T, w = grid_with_widths()
    if channel == "mumu":
        T, w = log_grid(1000.0), None
    tol = 1e-13 if channel == "ee" else TOL_INTEGRAL
    maj = dm.DarkMatterSource(mass_GeV=100.0, channel=channel, sigma_v_cm3_s=3e-26)
    dirac = dm.DarkMatterSource(mass_GeV=100.0, channel=channel, sigma_v_cm3_s=3e-26, self_conjugate=False)
    dec = dm.DarkMatterSource(mass_GeV=1000.0, channel=channel, process="decay", lifetime_s=1e27)
    # ratios: pytest.approx keeps an absolute tolerance of 1e-12, which would swallow 1e-31
    assert injected(maj, T, w) / MAJORANA_100GEV_3E26 == pytest.approx(1.0, abs=tol)
    assert injected(dirac, T, w) / DIRAC_100GEV_3E26 == pytest.approx(1.0, abs=tol)
    assert injected(dec, T, w) / DECAY_1TEV_1E27S == pytest.approx(1.0, abs=tol)


def test_profile_depends_only_on_halo_and_process():
    # one response matrix per (halo, process): the profile values are equal and hash alike
    a = dm.DarkMatterSource(mass_GeV=100.0, channel="mumu", sigma_v_cm3_s=3e-26)
    b = dm.DarkMatterSource(mass_GeV=5000.0, channel="ee", sigma_v_cm3_s=1e-24, self_conjugate=False)
    c = dm.DarkMatterSource(mass_GeV=100.0, channel="mumu", process="decay", lifetime_s=1e27)
    d = dm.DarkMatterSource(mass_GeV=100.0, channel="mumu", sigma_v_cm3_s=3e-26, halo=get_profile("burkert"))
    assert a.profile == b.profile and hash(a.profile) == hash(b.profile)
    assert a.profile != c.profile and a.profile != d.profile
    assert {a.profile: 1}[b.profile] == 1  # usable as the propagator's cache key
    # the factors: (rho / 1 GeV cm^-3)^2 and rho / 1 GeV cm^-3
    R = np.array([1.0, 8.5, 15.0])
    rho = NFW().density_cylindrical(R, 0.3)
    assert np.allclose(a.profile(R, 0.3), rho**2, rtol=1e-14, atol=0)
    assert np.allclose(c.profile(R, 0.3), rho, rtol=1e-14, atol=0)
    assert a.profile(8.5, 0.0) == pytest.approx(0.43**2, rel=1e-14)


def test_source_factorises_and_broadcasts_like_the_solver_calls_it():
    s = dm.DarkMatterSource(mass_GeV=80.0, channel="mumu", sigma_v_cm3_s=2e-26)
    R, z, T = np.array([0.5, 8.5, 12.0]), np.array([-1.0, 0.0, 2.0]), log_grid(80.0, n=30)
    q = s(R[:, None, None], z[None, :, None], T[None, None, :])
    assert q.shape == (3, 3, 30)
    expected = s.profile(R, 0.0)[:, None] * s.spectrum(T)[None, :]
    assert np.allclose(s.grid(R, 0.0, T)[:, 0, :], expected, rtol=1e-14, atol=0)
    assert np.allclose(q[:, 1, :], expected, rtol=1e-14, atol=0)
    # the line too, with the widths bound: one particle per annihilation in every cell
    Tg, w = grid_with_widths()
    line = dm.DarkMatterSource(mass_GeV=80.0, channel="ee", sigma_v_cm3_s=2e-26)
    q_line = line(R[:, None, None], z[None, :, None], Tg[None, None, :], w)
    assert np.allclose(np.sum(q_line * w, axis=2), line.rate_normalisation * line.profile(R[:, None], z[None, :]), rtol=1e-13, atol=0)


def test_energy_sum_rule_mumu_annihilation():
    m = 500.0
    s = dm.DarkMatterSource(mass_GeV=m, channel="mumu", sigma_v_cm3_s=3e-26)
    T = log_grid(m)
    q = s.spectrum(T)
    mean_E = integrate_lnT(q * (T + const.m_electron), T) / integrate_lnT(q, T)
    assert mean_E == pytest.approx(0.35 * m, rel=TOL_INTEGRAL)
    assert 2 * mean_E < 2 * m  # e+ and e- together take 0.7 m_chi of the 2 m_chi; neutrinos the rest


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(mass_GeV=0.0, channel="mumu", sigma_v_cm3_s=1e-26), "mass"),
        (dict(mass_GeV=-5.0, channel="mumu", sigma_v_cm3_s=1e-26), "mass"),
        (dict(mass_GeV=float("nan"), channel="mumu", sigma_v_cm3_s=1e-26), "mass"),
        (dict(mass_GeV=float("inf"), channel="mumu", sigma_v_cm3_s=1e-26), "mass"),
        (dict(mass_GeV="heavy", channel="mumu", sigma_v_cm3_s=1e-26), "mass"),
        (dict(mass_GeV=100.0, channel="mumu", sigma_v_cm3_s=-1e-26), "sigma_v"),
        (dict(mass_GeV=100.0, channel="mumu", sigma_v_cm3_s=float("nan")), "sigma_v"),
        (dict(mass_GeV=100.0, channel="mumu"), "sigma_v_cm3_s is required"),
        (dict(mass_GeV=100.0, channel="mumu", process="decay", lifetime_s=0.0), "lifetime"),
        (dict(mass_GeV=100.0, channel="mumu", process="decay", lifetime_s=-1e26), "lifetime"),
        (dict(mass_GeV=100.0, channel="mumu", process="decay", lifetime_s=float("inf")), "lifetime"),
        (dict(mass_GeV=100.0, channel="mumu", process="decay"), "lifetime_s is required"),
        (dict(mass_GeV=100.0, channel="mumu", process="decay", lifetime_s=1e26, sigma_v_cm3_s=1e-26), "sigma_v"),
        (dict(mass_GeV=100.0, channel="mumu", sigma_v_cm3_s=1e-26, lifetime_s=1e26), "lifetime"),
        (dict(mass_GeV=100.0, channel="bb", sigma_v_cm3_s=1e-26), "ee, mumu"),
        (dict(mass_GeV=100.0, channel="mumu", process="scattering", sigma_v_cm3_s=1e-26), "annihilation, decay"),
        (dict(mass_GeV=100.0, channel="mumu", sigma_v_cm3_s=1e-26, halo="nfw"), "HaloProfile"),
        (dict(mass_GeV=100.0, channel="mumu", sigma_v_cm3_s=1e-26, self_conjugate="yes"), "self_conjugate"),
    ],
)
def test_bad_source_parameters_raise(kwargs, message):
    with pytest.raises(ValueError, match=message):
        dm.DarkMatterSource(**kwargs)


def test_bad_spectrum_inputs_raise():
    with pytest.raises(ValueError, match="ee, mumu"):
        dm.lepton_spectrum("tautau", 100.0, 1.0)
    with pytest.raises(ValueError, match="annihilation, decay"):
        dm.lepton_spectrum("mumu", 100.0, 1.0, process="annihilate")
    with pytest.raises(ValueError, match="mass"):
        dm.lepton_spectrum("mumu", -100.0, 1.0)
    with pytest.raises(ValueError, match=">= 0"):
        dm.lepton_spectrum("mumu", 100.0, np.array([1.0, -1.0]))
    with pytest.raises(ValueError, match=">= 0"):
        dm.lepton_spectrum("mumu", 100.0, np.nan)


# --- user tables --------------------------------------------------------------------------


def test_user_table_round_trip(tmp_path):
    # dN/dx = 3x^2 on [1e-3, 1]: a power law, which the log-log interpolation reproduces exactly
    # (and linear interpolation would not); Integral = 1 - 1e-9
    x = np.geomspace(1e-3, 1.0, 9)
    path = tmp_path / "three_x2.csv"
    path.write_text("# x = T/E_0, dN/dx\n\n" + "".join(f"{float(a)!r}, {3 * float(a) ** 2!r}\n" for a in x))
    table = dm.SpectrumTable.from_file(path)
    assert table.name == str(path)
    probe = np.array([1.3e-3, 0.02, 0.5, 0.999])
    assert np.allclose(table(probe), 3 * probe**2, rtol=1e-12, atol=0)
    assert np.all(table(np.array([0.0, 0.5e-3])) == 0.0)
    assert table.number() == pytest.approx(1.0 - 1e-9, rel=1e-12)
    # through the source: dN/dT = dN/dx(T/E_0)/E_0, and the injection rate is rate x number()
    m = 40.0
    s = dm.DarkMatterSource(mass_GeV=m, channel=table, process="decay", lifetime_s=1e26)
    T = np.array([0.1, 1.0, 19.0])
    assert np.allclose(s.lepton_spectrum(T), 3 * (T / (m / 2)) ** 2 / (m / 2), rtol=1e-12, atol=0)
    T = np.geomspace(1e-3 * m / 2, m / 2, 20001)
    rate = integrate_lnT(s(8.5, 0.0, T), T)
    assert rate / (0.43 / (m * 1e26)) == pytest.approx(1.0 - 1e-9, abs=1e-6)  # trapezoid error ~1e-8
    assert np.all(s.lepton_spectrum(np.array([m / 2 * 1.0001, m])) == 0.0)


def test_user_table_with_zeros_is_linear_there(tmp_path):
    path = tmp_path / "triangle.txt"
    path.write_text("0 0\n0.5 1\n1.0 0\n")  # a triangle: number 1/2
    table = dm.SpectrumTable.from_file(path)
    assert np.allclose(table(np.array([0.25, 0.5, 0.75, 1.0])), [0.5, 1.0, 0.5, 0.0], rtol=1e-14, atol=0)
    assert table.number() == pytest.approx(0.5, rel=1e-14)


@pytest.mark.parametrize(
    "content, problem",
    [
        ("0.1 1\n0.2 abc\n", "not numeric"),
        ("x dNdx\n0.1 1\n0.2 1\n", "not numeric"),
        ("0.5 1\n", "at least 2 rows"),
        ("# only a comment\n", "at least 2 rows"),
        ("0.1 1\n0.2 -1\n", "negative"),
        ("-0.1 1\n0.2 1\n", "negative"),
        ("0.2 1\n0.1 1\n", "strictly increasing"),
        ("0.1 1\n0.1 2\n", "strictly increasing"),
        ("0.1 1 3\n0.2 1 3\n", "columns"),
        ("0.1 nan\n0.2 1\n", "non-finite"),
        ("0.5 1\n2.0 1\n", "exceed 1"),
    ],
)
def test_malformed_user_table_names_file_and_problem(tmp_path, content, problem):
    path = tmp_path / "bad_table.csv"
    path.write_text(content)
    with pytest.raises(ValueError, match=re.escape(str(path))) as info:
        dm.SpectrumTable.from_file(path)
    assert problem in str(info.value)
