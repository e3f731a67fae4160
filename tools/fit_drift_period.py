"""Fit the drift model of one period to the AMS-02 e+ and e- fluxes, beside a single force-field phi.

    python tools/fit_drift_period.py [PERIOD] [--set KEY=VALUE ...] [--figure docs/figures/heliosphere_drift.png]

``--set`` changes a parameter of the period before the fit (investigations: e.g.
``--set a_positive_fraction=1`` or ``--set tilt_deg=20``).

Both models get the same freedom in the local interstellar spectra (LIS): per charge
``Phi(T) = N (T/10 GeV)^-gamma ((T/(T + T_c)) / (10/(10 + T_c)))^a`` (N, gamma, a, T_c free,
bounded), fitted to AMS-02 (Phys. Rep. 894 (2021) 1, 2011/05-2018/05) e+ and e- between 0.5
and 20 GeV (above 20 GeV this smooth form cannot follow the positron hardening); above
~10 GeV the modulation is small and the data fix the LIS.  The heliosphere then has
to explain the low-energy e+ and e- *together*:

* force field: one phi for both charges (phi free);
* drift model: the period's parameters with K0 and the drift scale k_A free, on a grid
  (each grid point solved once as transfer matrices for e+ and e-, both polarities, so the LIS
  fit is a matrix product).  The best point is re-solved on the default grid.

chi2 uses the total (stat + sys in quadrature) errors; printed for T < 10 GeV and for the whole
fit range.  Writes the fraction/flux figure and prints a TOML parameter set with the fitted
K0 and k_A.  Runtime ~3 minutes (shared 2-core machine).
"""

import argparse
import sys
import time

import numpy as np
from scipy.optimize import least_squares

from positrons.data import load
from positrons.heliosphere import force_field
from positrons.heliosphere.drift_modulation import DriftModulation
from positrons.heliosphere.drift_periods import load_period
from positrons.heliosphere.drift_solver import DriftGrid

T_FIT = (0.5, 20.0)
T_LOW = 10.0
FIT_GRID = DriftGrid(n_r=32, n_theta=12, n_p_per_decade=16)
K0_VALUES = np.geomspace(3.0e22, 1.9e23, 9)
#: bounds of (ln N, gamma, a, ln T_c) per charge: a smooth LIS that does not rise at low energy
#: faster than T^-gamma (a >= -1) nor cut off faster than T^6; without them a single phi is
#: traded against an arbitrarily steep low-energy LIS (both unobservable at 1 AU)
LIS_BOUNDS = (np.array([-12.0, 2.0, -1.0, np.log(0.1)] * 2), np.array([3.0, 4.5, 6.0, np.log(20.0)] * 2))
NP = 4
PHI_RANGE = (0.1, 1.5)
KA_VALUES = (0.0, 0.25, 0.5, 1.0)


def lis_form(T, N, gamma, a, Tc):
    return N * (T / 10.0) ** -gamma * ((T / (T + Tc)) / (10.0 / (10.0 + Tc))) ** a


def data(name):
    d = load(name)
    T = np.asarray(d.energy, dtype=float)
    lo, hi = d.errors("total")
    keep = (T >= T_FIT[0]) & (T <= T_FIT[1])
    return T[keep], np.asarray(d.value, dtype=float)[keep], 0.5 * (np.asarray(lo) + np.asarray(hi))[keep]


E = {"positron": data("ams02_positron_flux_physrep2021_crdb"), "electron": data("ams02_electron_flux_physrep2021_crdb")}
START = {"positron": (2.0e-2, 3.1, 1.0, 1.0), "electron": (3.0e-1, 3.2, 1.0, 1.0)}


def chi2_parts(model_of):
    low = tot = 0.0
    for sp, (T, y, s) in E.items():
        r2 = ((model_of[sp] - y) / s) ** 2
        low += r2[T < T_LOW].sum()
        tot += r2.sum()
    return low, tot


def n_points():
    return sum(int((T < T_LOW).sum()) for T, _, _ in E.values()), sum(T.size for T, _, _ in E.values())


def fit_lis(predict, x0):
    """LIS parameters (ln N, gamma, a, ln T_c per charge) minimising chi2 for a map predict(sp, lis, T)."""
    def residuals(x):
        out = []
        for sp in ("positron", "electron"):
            T, y, s = E[sp]
            out.append((predict(sp, lis_of(x, sp), T) - y) / s)
        return np.concatenate(out)

    res = least_squares(residuals, np.clip(x0, LIS_BOUNDS[0], LIS_BOUNDS[1]), bounds=LIS_BOUNDS, x_scale="jac")
    return res.x, float(2 * res.cost)


def x_start():
    x = []
    for sp in ("positron", "electron"):
        N, g, a, Tc = START[sp]
        x += [np.log(N), g, a, np.log(Tc)]
    return np.array(x)


def lis_of(x, sp):
    k = 0 if sp == "positron" else 1
    lnN, g, a, lnTc = x[NP * k:NP * k + NP]
    return lambda t: lis_form(t, np.exp(lnN), g, a, np.exp(lnTc))


def force_field_fit():
    best = None
    for phi in np.arange(0.2, 1.46, 0.05):
        x, c = best_lis(lambda sp, lis, T, phi=phi: force_field.modulate(T, lis, phi, sp),
                        [x_start()] + ([best[1]] if best is not None else []))
        if best is None or c < best[2]:
            best = (phi, x, c)
    phi0, x0, _ = best

    def residuals(z):
        phi, x = z[0], z[1:]
        out = []
        for sp in ("positron", "electron"):
            T, y, s = E[sp]
            out.append((force_field.modulate(T, lis_of(x, sp), phi, sp) - y) / s)
        return np.concatenate(out)

    bounds = (np.concatenate([[PHI_RANGE[0]], LIS_BOUNDS[0]]), np.concatenate([[PHI_RANGE[1]], LIS_BOUNDS[1]]))
    res = least_squares(residuals, np.concatenate([[phi0], x0]), bounds=bounds, x_scale="jac")
    phi, x = res.x[0], res.x[1:]
    model = {sp: force_field.modulate(E[sp][0], lis_of(x, sp), phi, sp) for sp in E}
    return phi, x, model


def best_lis(predict, starts):
    """``fit_lis`` from several starting points (the LIS fit has local minima); the lowest chi2."""
    return min((fit_lis(predict, x0) for x0 in starts), key=lambda r: r[1])


def drift_fit(period, x_ff):
    table = []
    T_range = (0.45, 60.0)
    best = None
    for K0 in K0_VALUES:
        for kA in KA_VALUES:
            t0 = time.perf_counter()
            model = DriftModulation(period.with_values(K0_cm2_s=float(K0), drift_scale=float(kA)), FIT_GRID)
            mats = {sp: model.transfer_matrix(sp, *T_range) for sp in E}
            starts = [x_start(), x_ff] + ([best[2]] if best is not None else [])
            x, _ = best_lis(lambda sp, lis, T, mats=mats: mats[sp].apply(lis, T), starts)
            low, tot = chi2_parts({sp: mats[sp].apply(lis_of(x, sp), E[sp][0]) for sp in E})
            table.append((K0, kA, low, tot))
            print(f"  K0 = {K0:.3e} cm^2/s  k_A = {kA:4.2f}: chi2(<10 GeV) = {low:8.1f}  chi2(0.5-20) = {tot:8.1f}"
                  f"  [{time.perf_counter() - t0:.0f} s]", flush=True)
            if best is None or tot < best[3]:
                best = (K0, kA, x, tot)
    return best, table


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("period", nargs="?", default="ams02_2011_2018")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--figure", default="docs/figures/heliosphere_drift.png")
    args = ap.parse_args(argv)
    period = load_period(args.period)
    if args.set:
        changes = {k: float(v) for k, v in (item.split("=", 1) for item in args.set)}
        period = period.with_values(**changes)
        print("changed:", changes)
    n_low, n_tot = n_points()
    print(f"AMS-02 e+ and e-: {n_low} points below {T_LOW} GeV, {n_tot} in {T_FIT} GeV")

    phi, x_ff, model_ff = force_field_fit()
    low_ff, tot_ff = chi2_parts(model_ff)
    print(f"force field: phi = {phi:.3f} GV  chi2(<10 GeV) = {low_ff:.1f}  chi2(0.5-20) = {tot_ff:.1f}  "
          f"(free parameters: 1 + 8 LIS)")

    (K0, kA, x_d, _), table = drift_fit(period, x_ff)
    fitted = period.with_values(K0_cm2_s=float(K0), drift_scale=float(kA))
    final = DriftModulation(fitted)  # default grid: LIS refitted there (chi2 moves by O(100) for a 1 % flux shift)
    mats = {sp: final.transfer_matrix(sp, 0.45, 60.0) for sp in E}
    x_d, _ = best_lis(lambda sp, lis, T: mats[sp].apply(lis, T), [x_d, x_ff, x_start()])
    model_d = {sp: mats[sp].apply(lis_of(x_d, sp), E[sp][0]) for sp in E}
    low_d, tot_d = chi2_parts(model_d)
    print(f"drift model ({period.name}): K0 = {K0:.3e} cm^2/s, k_A = {kA}, tilt {period.tilt_deg} deg, "
          f"B_E {period.B_earth_nT} nT, A>0 fraction {period.a_positive_fraction}: "
          f"chi2(<10 GeV) = {low_d:.1f}  chi2(0.5-20) = {tot_d:.1f} (default grid; free: 2 + 8 LIS)")
    no_drift = min((r for r in table if r[1] == 0.0), key=lambda r: r[3])
    print(f"drifts off (best K0 = {no_drift[0]:.3e}): chi2(<10 GeV) = {no_drift[2]:.1f}  chi2(0.5-20) = {no_drift[3]:.1f}")
    print("LIS parameters (ln N, gamma, a, ln T_c) e+ | e-:  force field", np.round(x_ff, 3), " drift", np.round(x_d, 3))
    print("\n# fitted parameter set\n" + fitted.to_toml())
    figure(args.figure, phi, x_ff, final, x_d, (low_ff, tot_ff, low_d, tot_d))
    return 0


def figure(path, phi, x_ff, drift, x_d, chi2):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    T = np.geomspace(0.5, 20.0, 40)
    ff = {sp: force_field.modulate(T, lis_of(x_ff, sp), phi, sp) for sp in E}
    dr = {sp: drift.modulate(T, lis_of(x_d, sp), sp) for sp in E}
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for sp, c in (("positron", "C3"), ("electron", "C0")):
        Td, y, s = E[sp]
        ax1.errorbar(Td, y * Td**3, s * Td**3, fmt="o", ms=3, color=c, label=f"AMS-02 {sp} (2011-2018)")
        ax1.plot(T, ff[sp] * T**3, "--", color=c)
        ax1.plot(T, dr[sp] * T**3, "-", color=c)
        ax1.plot(T, lis_of(x_d, sp)(T) * T**3, ":", color=c, lw=1)
    ax1.set(xscale="log", yscale="log", xlabel="T [GeV]", ylabel=r"$T^3\Phi$ [GeV$^2$ m$^{-2}$ s$^{-1}$ sr$^{-1}$]",
            title=f"dashed: force field $\\phi$={phi:.2f} GV; solid: drifts; dotted: LIS")
    ax1.legend(fontsize=7)
    frac = load("ams02_positron_fraction_physrep2021")
    ax2.errorbar(frac.energy, frac.value, 0.5 * (frac.errors("total")[0] + frac.errors("total")[1]), fmt="o", ms=3,
                 color="k", label="AMS-02 positron fraction (2011-2018)")
    ax2.plot(T, ff["positron"] / (ff["positron"] + ff["electron"]), "--", color="C1",
             label=f"force field: $\\chi^2_{{<10}}$ = {chi2[0]:.0f}")
    ax2.plot(T, dr["positron"] / (dr["positron"] + dr["electron"]), "-", color="C2",
             label=f"drifts: $\\chi^2_{{<10}}$ = {chi2[2]:.0f}")
    for pol, ls in ((1, (0, (1, 1))), (-1, (0, (3, 1, 1, 1)))):
        one = DriftModulation(drift.period.with_values(a_positive_fraction=1.0 if pol == 1 else 0.0), drift.grid)
        p = one.modulate(T, lis_of(x_d, "positron"), "positron")
        e = one.modulate(T, lis_of(x_d, "electron"), "electron")
        ax2.plot(T, p / (p + e), ls=ls, color="C2", lw=1, label=f"drifts, A {'>' if pol == 1 else '<'} 0 only")
    ax2.set(xscale="log", xlim=(0.5, 20), ylim=(0, 0.3), xlabel="T [GeV]", ylabel="e+/(e+ + e-)")
    ax2.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
