"""Inclusive pi+- production in p + p from threshold to ~1 TeV (Moskalenko & Strong 1998).

The model of I. V. Moskalenko & A. W. Strong, ApJ 493, 694 (1998), astro-ph/9710124,
Appendix B (as also coded in GALPROP's ``pp_meson``), following Dermer (1986):

    dsigma/dE_pi = sigma_D(p_p) [(1 - w) F_iso(E_pi) + w F_scal(E_pi)]  (+ sigma_d F_d for pi+)

* ``sigma_D``: Dermer's (1986, A&A 157, 223; ApJ 307, 47) fits to the measured inclusive
  cross sections sigma(pp -> pi+ X) (without pi+ d) and sigma(pp -> pi- X);
  ``sigma_d`` is the two-body pp -> pi+ d channel with its flat spectrum ``F_d``.
* ``F_iso``: isobar model (Stecker 1970): pp -> N Delta(1232), the Delta moving forward or
  backward along the axis in the CM frame and decaying isotropically to N pi; its mass
  follows a Breit-Wigner of centre 1.232 GeV and half width 0.0575 GeV (MS98 App. B1-B2).
* ``F_scal``: the scaling model of Badhwar, Stephens & Golden (1977, PRD 15, 820) and
  Stephens & Badhwar (1981), E d^3sigma/dp^3 = A G(s) (1 - x~)^Q exp(-B p_T/(1 + 4 m_p^2/s)),
  integrated over angles (MS98 Eqs. B3-B10), used only as a normalised shape.
* ``w`` bridges the two shapes linearly in beam momentum between 3 and 7 GeV/c.

Approximations carried over from the model (named here so nobody mistakes them for
physics): the pi- isobar shape uses single-Delta (N pi) kinematics, which slightly
overshoots the pp -> pp pi+ pi- kinematic limit, and the pi- fit starts at p_p = 1.65 GeV/c
(T_p = 0.96 GeV) rather than the physical 1.22 GeV/c.  Dermer's piecewise fits have small
steps (largest: sigma(pi-) 11.57 -> 10.46 mb at p_p = 5.52 GeV/c).  Kaons are not included.

Spectra are returned as the integral of dsigma/dE_pi over the cells of a pion-energy grid
(``cell_cross_sections``): the isobar and deuteron terms are boxes in E_pi, and integrating
them over each cell exactly keeps their sharp edges from degrading the decay folding.
"""

from __future__ import annotations

import numpy as np

from .. import constants as const
from ..quadrature import gauss_legendre

M_P = const.m_proton
M_N = const.m_neutron
M_PI = const.m_pion_charged
M_D = const.m_deuteron

DELTA_MASS = 1.232  # GeV (MS98 App. B1)
DELTA_HALF_WIDTH = 0.0575  # GeV, the Gamma of MS98's Breit-Wigner (half of 0.115 GeV)

# BSG77/SB81 invariant cross-section coefficients (MS98 Table/Eqs. B3-B8 as in GALPROP)
_BSG = {
    +1: dict(A=153.0, B=5.55, R=1.0, C1=5.3667, C2=3.5, C3=0.8334, MX=M_P + M_N),
    -1: dict(A=127.0, B=5.3, R=3.0, C1=7.0334, C2=4.5, C3=1.667, MX=2 * M_P + M_PI),
}
#: beam momenta [GeV/c] between which the isobar shape is blended into the scaling shape
BRIDGE = (3.0, 7.0)


def _s(T_p):
    """Mandelstam s [GeV^2] of p + p at proton kinetic energy T_p [GeV]."""
    return 2.0 * M_P * (T_p + 2.0 * M_P)


def _momentum(T_p):
    return np.sqrt(T_p * (T_p + 2.0 * M_P))


def _eta(s, M_X):
    """Dermer's eta = p*_max / m_pi for pp -> pi + X(M_X)."""
    lam = (s - M_PI**2 - M_X**2) ** 2 - 4.0 * M_PI**2 * M_X**2
    return np.sqrt(np.maximum(lam, 0.0)) / (2.0 * M_PI * np.sqrt(s))


def dermer_cross_section(T_p, charge: int):
    """Inclusive sigma(pp -> pi X) [mb] of Dermer (1986) (pi+: without the pi+ d channel)."""
    T_p = np.asarray(T_p, dtype=float)
    p = _momentum(T_p)
    s = _s(T_p)
    safe_p = np.maximum(p, 1e-9)
    if charge == +1:
        eta = _eta(s, M_P + M_N)
        return np.select(
            [p <= 0.80, p <= 0.95, p <= 1.29, p <= 4.0],
            [0.0, eta**4 * (0.95 + eta**2 * (0.099 + eta**2 * 0.204)), 0.67 * eta**4.7 + 0.3,
             22.0 * np.maximum(p - 1.27, 0.0) ** 0.15],
            27.0 * np.log(safe_p) + 57.9 / np.sqrt(safe_p) - 40.9,
        )
    if charge == -1:
        return np.select(
            [p <= 1.65, p <= 2.81, p <= 5.52],
            [0.0, 2.33 * np.maximum(p - 1.65, 0.0) ** 1.2, 0.32 * p**2.1],
            28.2 * np.log(safe_p) + 74.2 / np.sqrt(safe_p) - 69.3,
        )
    raise ValueError(f"charge must be +1 or -1, got {charge!r}")


def deuteron_channel_cross_section(T_p):
    """sigma(pp -> pi+ d) [mb] of Dermer (1986)."""
    T_p = np.asarray(T_p, dtype=float)
    p = _momentum(T_p)
    eta = _eta(_s(T_p), M_D)
    Ts = np.maximum(T_p, 1e-9)
    return np.select(
        [p <= 0.791, T_p <= 0.65, T_p <= 1.43],
        [0.0, eta * (0.18 + eta**2 * (0.95 - eta**6 * 0.016)), 0.56 * Ts**-3.9],
        0.34 * Ts**-2.5,
    )


def _box_cell_fractions(lo, hi, edges):
    """Fraction of a uniform distribution on [lo, hi] inside each cell of ``edges``.

    ``lo``, ``hi`` broadcast with a trailing cell axis appended.
    """
    lo = np.asarray(lo)[..., None]
    hi = np.asarray(hi)[..., None]
    a, b = edges[:-1], edges[1:]
    overlap = np.clip(np.minimum(hi, b) - np.maximum(lo, a), 0.0, None)
    width = hi - lo
    point = width <= 0
    # a zero-width box puts all its weight in the cell that contains it
    inside = (lo >= a) & (lo < b)
    return np.where(point, inside.astype(float), overlap / np.where(point, 1.0, width))


def _two_body_lab_range(gamma_c, betagamma_c, E_star, M):
    """Lab energy range of a particle of mass M and CM energy E_star (isotropic in the CM)."""
    g = np.maximum(E_star / M, 1.0)
    bg = np.sqrt(g * g - 1.0)
    return M * (gamma_c * g - betagamma_c * bg), M * (gamma_c * g + betagamma_c * bg)


def isobar_cells(T_p: float, edges, n_mass: int = 240):
    """Isobar-model shape F_iso integrated over the pion total-energy cells ``edges`` [GeV].

    MS98 App. B1-B2: pp -> N Delta, Delta(m) forward or backward along the axis in the CM
    (probability 1/2 each), isotropic Delta -> N pi; Breit-Wigner in m on
    [m_p + m_pi, sqrt(s) - m_p], normalised there.  Returns the fraction of pions per cell
    (sums to one when the cells cover the kinematic range).
    """
    s = _s(T_p)
    rs = np.sqrt(s)
    m_lo, m_hi = M_P + M_PI, rs - M_P
    if m_hi <= m_lo:
        return np.zeros(len(edges) - 1)
    # Gauss-Legendre in the Breit-Wigner angle variable: uniform weight per node
    a_lo = np.arctan((m_lo - DELTA_MASS) / DELTA_HALF_WIDTH)
    a_hi = np.arctan((m_hi - DELTA_MASS) / DELTA_HALF_WIDTH)
    x, w = gauss_legendre(n_mass)
    angle = 0.5 * (a_hi - a_lo) * x + 0.5 * (a_hi + a_lo)
    weight = 0.5 * w  # sums to one over the normalised Breit-Wigner
    m = DELTA_MASS + DELTA_HALF_WIDTH * np.tan(angle)

    gamma_c = rs / (2.0 * M_P)
    bg_c = np.sqrt(gamma_c**2 - 1.0)
    g_delta_star = np.maximum((s + m * m - M_P**2) / (2.0 * rs * m), 1.0)
    bg_delta_star = np.sqrt(g_delta_star**2 - 1.0)
    g_pi_prime = np.maximum((m * m + M_PI**2 - M_P**2) / (2.0 * m * M_PI), 1.0)
    bg_pi_prime = np.sqrt(g_pi_prime**2 - 1.0)
    cells = np.zeros(len(edges) - 1)
    for sign in (+1.0, -1.0):
        g_d = gamma_c * g_delta_star + sign * bg_c * bg_delta_star
        bg_d = np.sqrt(np.maximum(g_d**2 - 1.0, 0.0))
        lo = M_PI * (g_d * g_pi_prime - bg_d * bg_pi_prime)
        hi = M_PI * (g_d * g_pi_prime + bg_d * bg_pi_prime)
        cells += 0.5 * np.sum(weight[:, None] * _box_cell_fractions(lo, hi, edges), axis=0)
    return cells


def _invariant_bsg(s, p_pi, cos_theta, charge):
    """E d^3sigma/dp^3 [mb GeV^-2] of BSG77 for pi+- (MS98 Eqs. B3-B8)."""
    c = _BSG[charge]
    rs = np.sqrt(s)
    gamma_c = rs / (2.0 * M_P)
    bg_c = np.sqrt(gamma_c**2 - 1.0)
    E_pi = np.sqrt(p_pi**2 + M_PI**2)
    p_t = p_pi * np.sqrt(np.maximum(1.0 - cos_theta**2, 0.0))
    p_par_star = gamma_c * p_pi * cos_theta - bg_c * E_pi
    lam = (s - M_PI**2 - c["MX"] ** 2) ** 2 - 4.0 * M_PI**2 * c["MX"] ** 2
    p_star_max = np.sqrt(np.maximum(lam, 0.0)) / (2.0 * rs)
    x_par = p_par_star / p_star_max
    x_tilde = np.sqrt(x_par**2 + 4.0 / s * (p_t**2 + M_PI**2))
    f = 1.0 + 4.0 * M_P**2 / s
    Q = (c["C1"] - c["C2"] * p_t + c["C3"] * p_t**2) / np.sqrt(f)
    with np.errstate(invalid="ignore"):
        value = c["A"] * f ** (-c["R"]) * np.power(np.clip(1.0 - x_tilde, 0.0, None), Q) * np.exp(-c["B"] * p_t / f)
    return np.where(x_tilde < 1.0, value, 0.0)


def scaling_spectrum(T_p: float, E_pi, charge: int, n_angle: int = 96):
    """Unnormalised scaling-model dsigma/dE_pi [mb/GeV] (MS98 Eq. B9) at pion energies E_pi.

    dsigma/dE = 2 pi p_pi Integral dcos(theta) E d^3sigma/dp^3 over the physical angles;
    Gauss-Legendre in theta^(1/2)-like variable concentrating nodes at small angles, where
    the exp(-B p_T) factor puts the weight at high energies.
    """
    E_pi = np.asarray(E_pi, dtype=float)
    s = _s(T_p)
    p_pi = np.sqrt(np.maximum(E_pi**2 - M_PI**2, 0.0))
    x, w = gauss_legendre(n_angle)
    u = 0.5 * (x + 1.0)  # [0, 1]
    theta = np.pi * u**2  # dense near theta = 0
    dtheta = 0.5 * w * 2.0 * np.pi * u
    cos_t = np.cos(theta)
    vals = _invariant_bsg(s, p_pi[..., None], cos_t, charge) * np.sin(theta) * dtheta
    return 2.0 * np.pi * p_pi * np.sum(vals, axis=-1)


def scaling_total(T_p: float, charge: int, n_energy: int = 160) -> float:
    """sigma_SB [mb]: the scaling spectrum integrated over all pion energies (MS98 Eq. B10).

    Gauss-Legendre in ln T_pi from 1e-7 GeV to the two-body kinematic limit of the channel.
    """
    s = _s(T_p)
    rs = np.sqrt(s)
    gamma_c = rs / (2.0 * M_P)
    bg_c = np.sqrt(gamma_c**2 - 1.0)
    M_X = _BSG[charge]["MX"]
    E_star_max = (s - M_X**2 + M_PI**2) / (2.0 * rs)
    _, E_max = _two_body_lab_range(gamma_c, bg_c, E_star_max, M_PI)
    if E_max <= M_PI:
        return 0.0
    x, w = gauss_legendre(n_energy)
    lo, hi = np.log(1e-7), np.log(E_max - M_PI)
    ln_T = 0.5 * (hi - lo) * x + 0.5 * (hi + lo)
    T_pi = np.exp(ln_T)
    values = scaling_spectrum(T_p, T_pi + M_PI, charge) * T_pi
    return float(0.5 * (hi - lo) * np.sum(w * values))


def dsigma_dxF(T_p: float, x_F, charge: int, n_pt: int = 160):
    """Feynman-x distribution dsigma/dx_F [mb] of the model above 7 GeV/c (pure scaling shape).

    T_p: proton kinetic energy [GeV] (beam momentum >= 7 GeV/c); x_F = 2 p_L*/sqrt(s), the
    CM longitudinal momentum fraction as NA49 and NA61 define it (p p is symmetric, so
    dsigma/dx_F(-x_F) = dsigma/dx_F(x_F)); charge +1 or -1; n_pt Gauss-Legendre nodes in p_T
    (160 is converged to 1e-6).  The BSG77 invariant cross section, normalised like the
    energy spectrum to Dermer's sigma(pp -> pi X), is integrated over transverse momentum:
    dsigma/dx_F = (sqrt(s)/2) Integral 2 pi p_T dp_T (E d^3sigma/dp^3) / E*.
    The pi+ d channel (1e-6 mb at 158 GeV/c) is left out.  Divide by the inelastic cross
    section for the density per collision, dn/dx_F.  Below 7 GeV/c the isobar term, which
    has no x_F form here, contributes: ValueError.
    """
    if charge not in _BSG:
        raise ValueError(f"charge must be +1 or -1, got {charge!r}")
    if _momentum(T_p) < BRIDGE[1] * (1.0 - 1e-9):
        raise ValueError(f"dsigma_dxF needs beam momentum >= {BRIDGE[1]} GeV/c (pure scaling shape)")
    x_F = np.abs(np.asarray(x_F, dtype=float))
    s = _s(T_p)
    rs = np.sqrt(s)
    gamma_c = rs / (2.0 * M_P)
    bg_c = np.sqrt(gamma_c**2 - 1.0)
    p_L_star = x_F * rs / 2.0
    pt_max = np.sqrt(np.maximum(s / 4.0 * (1.0 - x_F**2) - M_PI**2, 0.0))
    x, w = gauss_legendre(n_pt)
    u = 0.5 * (x + 1.0)
    p_t = pt_max[..., None] * u**2  # dense at small p_T, where exp(-B p_T) peaks the weight
    dp_t = pt_max[..., None] * u * w
    E_star = np.sqrt(p_L_star[..., None] ** 2 + p_t**2 + M_PI**2)
    p_L_lab = gamma_c * p_L_star[..., None] + bg_c * E_star
    p_lab = np.sqrt(p_L_lab**2 + p_t**2)
    invariant = _invariant_bsg(s, p_lab, p_L_lab / p_lab, charge)
    shape = 0.5 * rs * np.sum(2.0 * np.pi * p_t * invariant / E_star * dp_t, axis=-1)
    return float(dermer_cross_section(T_p, charge)) / scaling_total(T_p, charge) * shape


def bridge_weight(T_p):
    """Weight w of the scaling shape: 0 below 3 GeV/c, 1 above 7 GeV/c, linear in p_p between."""
    p = _momentum(np.asarray(T_p, dtype=float))
    return np.clip((p - BRIDGE[0]) / (BRIDGE[1] - BRIDGE[0]), 0.0, 1.0)


def deuteron_cells(T_p: float, edges):
    """Flat pi+ spectrum of pp -> pi+ d, integrated over the cells (fractions)."""
    s = _s(T_p)
    rs = np.sqrt(s)
    gamma_c = rs / (2.0 * M_P)
    bg_c = np.sqrt(gamma_c**2 - 1.0)
    E_star = (s - M_D**2 + M_PI**2) / (2.0 * rs)
    lo, hi = _two_body_lab_range(gamma_c, bg_c, E_star, M_PI)
    return _box_cell_fractions(lo, hi, edges)


def cell_cross_sections(T_p: float, edges, charge: int):
    """Integral of dsigma/dE_pi [mb] over each pion total-energy cell of ``edges`` [GeV].

    The sum over all cells covering the kinematic range is sigma_D (+ sigma_d for pi+).
    """
    edges = np.asarray(edges, dtype=float)
    sigma = float(dermer_cross_section(T_p, charge))
    cells = np.zeros(len(edges) - 1)
    if sigma > 0:
        w = float(bridge_weight(T_p))
        if w < 1.0:
            cells += (1.0 - w) * sigma * isobar_cells(T_p, edges)
        if w > 0.0:
            # the scaling shape is smooth: two-point Gauss-Legendre per cell
            a, b = edges[:-1], edges[1:]
            half, mid = 0.5 * (b - a), 0.5 * (a + b)
            g = 1.0 / np.sqrt(3.0)
            raw = half * (scaling_spectrum(T_p, mid - g * half, charge) + scaling_spectrum(T_p, mid + g * half, charge))
            total = scaling_total(T_p, charge)
            if total > 0:
                cells += w * sigma * raw / total
    if charge == +1:
        sigma_d = float(deuteron_channel_cross_section(T_p))
        if sigma_d > 0:
            cells += sigma_d * deuteron_cells(T_p, edges)
    return cells
