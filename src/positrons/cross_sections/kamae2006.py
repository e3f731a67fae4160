"""Kamae et al. (2006) parametrisation of inclusive e+ and e- production in p + p.

T. Kamae, N. Karlsson, T. Mizuno, T. Abe & T. Koi, ApJ 647, 692 (2006),
astro-ph/0605581; erratum ApJ 662, 779 (2007).

The paper fits Monte Carlo spectra (non-diffractive + diffractive + the Delta(1232) and
"res(1600)" resonances) on the grid T_p = 0.488 GeV * sqrt(2)^n, n = 0..40, so the model is
valid for **0.488 GeV <= T_p <= 512 TeV**.  Its quantity is ``E dsigma/dE`` [mb] (called
dsigma/dlogE in the paper; the amplitudes were converted with the 0.05-dex bin width to a
per-ln(E) density), so ``dsigma/dE = F / E``.

Sources of the coefficients.  The paper body and its erratum were not readable here; the
coefficients (paper Tables 2, 4 and 5, and the sigma_pp fit of Eqs. 1-4, Table 1) are those
of the authors' own library *cparamlib* (N. Karlsson, final version 2007-2008), checked
digit by digit against its raw-fit comments and against four other public transcriptions
(GALPROP kamae.cc, a Fortran port, aafragpy, CRPropa).  Choices where transcriptions
disagree (each changes the result by < 2 % except where said):

* y = log10(T_p / TeV) (the renormalisation r(y) is continuous only with TeV);
* positron r(y) denominator 10.4 (1.04 in early copies switches e+ production off below
  5.52 GeV; a probable erratum item);
* e- a1 y^5 coefficient 3.4297e-9 (raw fit; 3.4297e-8 in two transcriptions, up to 12 %
  above 100 TeV);
* e+ a4 w^3 coefficient -0.47872 (raw fit);
* sigma_res(1600) g0 = 4.257e-4, g4 = 503.5 (the continuous post-erratum values) and the
  exponents exp(+f2 (E - f3)^2) with f2 = -5.5, g2 = -7.0 (continuous; cparamlib flips it).

The resonance and diffractive terms switch on at grid points, so the cross section has
genuine steps in T_p (e.g. at 1.95 GeV); that is the model, not a numerical artefact.
"""

from __future__ import annotations

import numpy as np

T_MIN = 0.488  # GeV, lowest grid point of the fit
T_MAX = 512e3  # GeV

# Table 2: (coefficient of L_max = k log10(T_p/GeV), W_ndl, W_ndh) of the non-diffractive cut-off
_ND_CUTOFF = {"electron": (0.96, 20.0, 45.0), "positron": (0.94, 15.0, 47.0)}
_L_MIN = -2.6
_W_DIFF = 75.0


def _log10(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log10(x)


def _a_params(y, lepton):
    """Non-diffractive a0..a8 (Table 4 for e-, Table 5 for e+) as functions of y."""
    z, w = y + 3.3, y + 3.32
    if lepton == "electron":
        return [
            -0.018639 * z + 2.4315 * z**2 - 0.57719 * z**3 + 0.063435 * z**4,
            7.1827e-6 - 3.5067e-6 * y + 1.3264e-6 * y**2 - 3.3481e-7 * y**3 + 2.3551e-8 * y**4 + 3.4297e-9 * y**5,
            563.91 - 362.18 * _log10(2.7187 * (y + 3.4)) - 2.8924e4 / (y + 7.9031) ** 2,
            0.52684 + 0.57717 * y + 0.0045336 * y**2 - 0.0089066 * y**3,
            0.36108 * w + 1.6963 * w**2 - 0.074456 * w**3 - 0.071455 * w**4 + 0.010473 * w**5,
            9.7387e-5 + 7.8573e-5 * _log10(0.0036055 * (y + 4.3)) + 0.00024660 / (y + 4.9390) - 3.8097e-7 * y**2,
            -273.00 - 106.22 * _log10(0.34100 * (y + 3.4)) + 89.037 * y - 12.546 * y**2,
            432.53 - 883.99 * _log10(0.19737 * (y + 3.9)) - 4.1938e4 / (y + 8.5518) ** 2,
            -0.12756 + 0.43478 * y - 0.0027797 * y**2 - 0.0083074 * y**3,
        ]
    return [
        -0.79606 * z + 7.7496 * z**2 - 3.9326 * z**3 + 0.80202 * z**4 - 0.054994 * z**5,
        6.7943e-6 - 3.5345e-6 * y + 6.0927e-7 * y**2 + 2.0219e-7 * y**3 + 5.1005e-8 * y**4 - 4.2622e-8 * y**5,
        44.827 + 81.378 * _log10(0.027733 * (y + 3.5)) - 1.3886e4 / (y + 8.4417) ** 2,
        0.52010 + 0.59336 * y + 0.012032 * y**2 - 0.0064242 * y**3,
        2.1361 * w + 1.8514 * w**2 - 0.47872 * w**3 + 0.0032043 * w**4 + 0.0082955 * w**5,
        1.0845e-6 + 1.4336e-6 * _log10(0.0077255 * (y + 4.3)) + 1.3018e-4 / (y + 4.8188) ** 2 + 9.3601e-8 * y,
        -267.74 + 14.175 * _log10(0.35391 * (y + 3.4)) + 64.669 * y - 7.7036 * y**2,
        138.26 - 529.84 * _log10(0.12467 * (y + 3.9)) - 1.9869e4 / (y + 7.6884) ** 2 + 1.0675 * y**2,
        -0.14707 + 0.40135 * y + 0.0039899 * y**2 - 0.0016602 * y**3,
    ]


def _gauss_ratio(amplitude, width, centre, shape1, shape2, y):
    """amplitude * exp(-width ((y - centre) / (1 + shape1 (y - centre)))^2)-type helper."""
    u = (y + centre) / (1.0 + shape1 * (y + centre + shape2))
    return amplitude * np.exp(-width * u * u)


def _b_params(y, T, lepton):
    """Diffractive b0..b7; b0..b3 only above 5.52 GeV (e-) or 11.05 GeV (e+)."""
    if lepton == "electron":
        high = T > 5.51
        b0 = 0.20463 * np.tanh(-6.2370 * (y + 2.2)) - 0.16362 * (y + 1.6878) ** 2 + 3.5183e-4 * (y + 9.6400) ** 4
        b1 = 1.6537 + _gauss_ratio(3.8530, 3.2027, 2.0154, 0.62779, 0.0, y)
        b2 = -10.722 - 0.082672 * np.tanh(-1.8879 * (y + 2.1)) + 1.4895e-4 * (y + 256.63) ** 2
        # numerator shift 1.9877 and denominator shift 1.988, as printed
        b3 = -0.023752 - _gauss_ratio(0.51734, 3.3087, 1.9877, 0.40300, 1.988 - 1.9877, y)
        zz = y + 2.9
        b4 = 0.94921 + 0.12280 * zz**2 - 7.1585e-4 * zz**4 + 0.52130 * _log10(zz)
        b5 = -4.2295 - 1.0025 * np.tanh(9.0733 * (y + 1.9)) - 0.11452 * (y - 62.382)
        b6 = 1.4862 + 0.99544 * y - 0.042763 * y**2 - 0.0040065 * y**3 + 0.0057987 * y**4
        b7 = 6.2629 + 6.9517 * np.tanh(-0.36480 * (y + 2.1)) - 0.26033 * (y - 2.8542) ** 2
    else:
        high = T > 11.0
        b0 = 29.192 * np.tanh(-0.37879 * (y + 2.2)) - 3.2196 * (y + 0.67500) ** 2 + 3.6687e-3 * (y + 9.0824) ** 4
        b1 = -142.97 + _gauss_ratio(147.86, 0.37194, 1.8781, 3.8389, 0.0, y)
        b2 = -14.487 - 4.2223 * np.tanh(-13.546 * (y + 2.2)) + 1.6988e-4 * (y + 234.65) ** 2
        b3 = -0.0036974 - _gauss_ratio(0.41976, 6.1527, 1.8194, 0.99946, 0.0, y)
        zz = y + 2.95
        inner = (y + 2.29) - 0.18967 * (y + 2.29)  # linear inner term, as in the reference code
        b4 = 1.8108 + 0.18545 * zz**2 - 2.0049e-3 * zz**4 + 0.85084 * np.exp(-14.987 * inner**2)
        b5 = 2.0404 - 0.51548 * np.tanh(2.2758 * (y + 1.9)) - 0.035009 * (y - 6.6555)
        b6 = 1.5258 + 1.0132 * y - 0.064388 * y**2 - 0.0040209 * y**3 + 0.0082772 * y**4
        b7 = 3.0551 + 3.5240 * np.tanh(-0.36739 * (y + 2.1)) - 0.13382 * (y - 2.7718) ** 2
    on = (T > 1.94) & (T < 512000.1)
    first = [np.where(on & high, b, 0.0) for b in (b0, b1, b2, b3)]
    second = [np.where(on, b, 0.0) for b in (b4, b5, b6, b7)]
    return first + second


def _c_params(y, T, lepton):
    """Delta(1232) c0..c4: e+ only (pp -> N Delta makes no pi-), 0.488 <= T_p <= 1.95 GeV."""
    if lepton == "electron":
        return [np.zeros_like(y)] * 5
    on = (T >= 0.488) & (T <= 1.95)
    ys = np.where(on, y, -3.0)  # c0 has 9.6984 / y: keep y away from 0 outside the window
    c = [
        _gauss_ratio(2.9841, 67.857, 3.1272, 0.22831, 0.0, ys) - (6.5855 + 9.6984 / ys - 0.41256 * ys**2),
        6.8276 + 5.2236 * ys + 1.4630 * ys**2,
        -6.0291 - 6.4581 * np.tanh(5.0830 * (ys + 2.1)) + 0.46352 * ys,
        0.59300 + 0.36093 * ys,
        0.77368 + 0.44776 * ys + 0.056409 * ys**2,
    ]
    return [np.where(on, ci, 0.0) for ci in c]


def _d_params(y, T, lepton):
    """res(1600) d0..d4, 0.69 <= T_p <= 2.76 GeV (e+: T_p < 2.76 GeV)."""
    if lepton == "electron":
        on = (T >= 0.69) & (T <= 2.76)
        d = [
            _gauss_ratio(0.37790, 56.826, 2.9537, 1.5221, 0.0, y) - 0.059458 + 0.0096583 * y**2,
            -5.5135 - 3.3988 * y,
            -7.1209 - 7.1850 * np.tanh(30.801 * (y + 2.1)) + 0.35108 * y,
            -6.7841 - 4.8385 * y - 0.91523 * y**2,
            -134.03 - 139.63 * y - 48.316 * y**2 - 5.5526 * y**3,
        ]
    else:
        on = (T >= 0.69) & (T < 2.76)
        d = [
            _gauss_ratio(1.9186, 56.544, 2.9485, 1.2892, 0.0, y) - (0.23720 - 0.041315 * y**2),
            -4.9866 - 3.1435 * y,
            -7.0550 - 7.2165 * np.tanh(31.033 * (y + 2.1)) + 0.38541 * y,
            -2.8915 - 2.1495 * y - 0.45006 * y**2,
            -1.2970 - 0.13947 * y + 0.41197 * y**2 + 0.10641 * y**3,
        ]
    return [np.where(on, di, 0.0) for di in d]


def _renormalisation(y, T, lepton):
    """Low-energy renormalisation r(y) of the non-diffractive term (Sect. 3 of the paper)."""
    if lepton == "electron":
        low = _gauss_ratio(3.63, 106.0, 3.26, 9.21, 0.0, y) - 0.182 * y - 0.175 * y**2
        return np.where(T <= 15.6, low, 1.01)
    low = _gauss_ratio(2.22, 98.9, 3.25, 10.4, 0.0, y)
    return np.where(T <= 5.52, low, 1.0)


def components(T_p, E, lepton: str):
    """The four terms of E dsigma/dE [mb]: non-diffractive, diffractive, Delta(1232), res(1600).

    ``T_p`` proton kinetic energy [GeV], ``E`` lepton energy [GeV] (broadcast together).
    Each term is clipped at zero as in the reference implementation.  No validity check:
    use :func:`dsigma_dE`.
    """
    if lepton not in _ND_CUTOFF:
        raise ValueError(f"lepton must be 'positron' or 'electron', got {lepton!r}")
    T_p, E = np.broadcast_arrays(np.asarray(T_p, dtype=float), np.asarray(E, dtype=float))
    inside = (T_p > 0.487) & (T_p < 512000.1) & (E > 0)
    Ts = np.where(inside, T_p, 1.0)
    x = _log10(np.where(inside, E, 1.0))
    y = np.log10(Ts) - 3.0
    l_max = y + 3.0  # log10(T_p / GeV)

    k, w_low, w_high = _ND_CUTOFF[lepton]
    with np.errstate(over="ignore"):
        w_nd = 1.0 / ((np.exp(w_low * (_L_MIN - x)) + 1.0) * (np.exp(w_high * (x - k * l_max)) + 1.0))
        w_res = 1.0 / (np.exp(_W_DIFF * (x - l_max)) + 1.0)

    a = _a_params(y, lepton)
    u = (x - a[3]) + a[2] * (x - a[3]) ** 2
    v = (x - a[8]) + a[6] * (x - a[8]) ** 2 + a[7] * (x - a[8]) ** 3
    f_nd = a[0] * np.exp(-a[1] * u * u) + a[4] * np.exp(-a[5] * v * v)
    nd = np.maximum(np.maximum(f_nd * w_nd, 0.0) * _renormalisation(y, Ts, lepton), 0.0)

    b = _b_params(y, Ts, lepton)
    u = (x - b[2]) / (1.0 + b[3] * (x - b[2]))
    v = (x - b[6]) / (1.0 + b[7] * (x - b[6]))
    diff = np.maximum((b[0] * np.exp(-b[1] * u * u) + b[4] * np.exp(-b[5] * v * v)) * w_res, 0.0)

    def resonance(p):
        dx = x - p[2]
        s = dx / (1.0 + p[3] * dx + p[4] * dx * dx)
        return np.maximum(p[0] * np.exp(-p[1] * s * s) * w_res, 0.0)

    delta = resonance(_c_params(y, Ts, lepton))
    res = resonance(_d_params(y, Ts, lepton))
    keep = inside & (E < T_p)
    return tuple(np.where(keep, t, 0.0) for t in (nd, diff, delta, res))


def e_dsigma_dE(T_p, E, lepton: str):
    """E dsigma/dE [mb] for p + p -> e(lepton) + X (sum of the four terms)."""
    return sum(components(T_p, E, lepton))


def dsigma_dE(T_p, E, lepton: str):
    """dsigma/dE [mb/GeV] for p + p -> e(lepton) + X; ``T_p`` [GeV], ``E`` [GeV]."""
    E = np.asarray(E, dtype=float)
    return e_dsigma_dE(T_p, E, lepton) / np.where(E > 0, E, 1.0)


# --- the inelastic p + p cross section of the same paper (Eqs. 1-4, Table 1) -------------------


def sigma_pp_components(T_p):
    """Non-diffractive, diffractive, Delta(1232) and res(1600) p + p cross sections [mb].

    Kamae et al. 2006, Eqs. 1-4 with Table 1 (post-erratum res(1600) constants);
    ``T_p`` proton kinetic energy [GeV].  Needed to turn cross sections into multiplicities.
    """
    from .. import constants as const

    T_p = np.asarray(T_p, dtype=float)
    E_p = T_p + const.m_proton
    p_p = np.sqrt(np.maximum(T_p * (T_p + 2.0 * const.m_proton), 1e-300))
    x = np.log10(p_p)
    a1, a2, a3, a4, a5, a6, a7, a8 = 0.1176, 0.3829, 23.10, 6.454, -5.764, -23.63, 94.75, 0.02667
    b0, b1 = 11.34, 23.72
    c0, c1, c2 = 28.5, -6.133, 1.464
    mid = a3 + a4 * x**2 + a5 * x**3 + a6 * np.exp(-a7 * (x + a8) ** 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        rise = 0.57 * np.power(np.maximum(x / a1, 0.0), 1.2) * mid
    nd = np.select(
        [p_p < 1.0, p_p < 1.3, p_p < 2.4, p_p <= 10.0],
        [0.0, rise, (b0 * np.abs(a2 - x) + b1 * np.abs(a1 - x)) / (a2 - a1), mid],
        c0 + c1 * x + c2 * x**2,
    )
    d0, d1, d2, d3, d4, d5, d6 = 0.3522, 0.1530, 1.498, 2.0, 30.0, 3.155, 1.042
    e0, e1 = 5.922, 1.632
    with np.errstate(invalid="ignore", divide="ignore"):
        body = d2 + d3 * np.log10(d4 * np.maximum(x - 0.25, 1e-300)) + d5 * x**2 - d6 * x**3
        onset = np.sqrt(np.maximum((x - d0) / d1, 0.0)) * body
    diff = np.select([p_p < 2.25, p_p < 3.2, p_p <= 100.0], [0.0, onset, body], e0 + e1 * x)
    f0, f1, f2, f3, f4 = 0.0834, 9.5, -5.5, 1.68, 3134.0
    delta = np.select(
        [E_p < 1.4, E_p < 1.6, E_p < 1.8, E_p <= 10.0],
        [0.0, f0 * E_p**10, f1 * np.exp(f2 * (E_p - f3) ** 2), f4 * E_p**-10.0],
        0.0,
    )
    g0, g1, g2, g3, g4 = 4.257e-4, 4.5, -7.0, 2.1, 503.5
    res = np.select(
        [E_p < 1.6, E_p < 1.9, E_p < 2.3, E_p <= 20.0],
        [0.0, g0 * E_p**14, g1 * np.exp(g2 * (E_p - g3) ** 2), g4 * E_p**-6.0],
        0.0,
    )
    return nd, diff, delta, res
