"""Fit the drift model of one period to that period's e+ and e- fluxes, beside a single force-field phi.

    python tools/fit_drift_period.py [PERIOD] [--search grid|minimise|none] [--set KEY=VALUE ...]
                                     [--with-fraction] [--propagated-below GEV]
                                     [--figure docs/figures/heliosphere_drift.png]

PERIOD is a shipped period (``ams02_2011_2018``, ``pamela_2006_2009``) or a FILE.toml; its data
are chosen by its name (``ams02_*``: AMS-02, ``pamela_*``: PAMELA) or by ``--data``:

* AMS-02 (2011/05-2018/05): e+ and e- fluxes and the positron fraction of Phys. Rep. 894 (2021) 1;
* PAMELA (2006/07-2009/12, A < 0): e+ flux of Adriani et al. 2013, PRL 111, 081102 (data
  2006/07-2010/01), e- flux of Adriani et al. 2011, PRL 106, 201101 (data 2006/07-2010/01, as
  the paper states; the shipped file has no period in its metadata), positron fraction of
  PRL 111, 081102 (2006/07-2009/12, statistical errors only).

Both models get the same freedom in the local interstellar spectra (LIS): per charge
``Phi(T) = N (T/10 GeV)^-gamma ((T/(T + T_c)) / (10/(10 + T_c)))^a`` (N, gamma, a, T_c free,
bounded), fitted to the e+ and e- fluxes between ``T_fit`` (0.5 GeV for AMS-02, 1 GeV for
PAMELA, the lowest energy of its e- data) and 20 GeV (above 20 GeV this smooth form cannot
follow the positron hardening).  The heliosphere then has to explain the low-energy e+ and e-
*together*:

* force field: one phi for both charges (phi free);
* drift model: the period's parameters with K0 and the drift scale k_A free (``--search``):
  ``grid``, K0 on 9 log steps x k_A in {0, 0.25, 0.5, 1}; ``minimise``, Powell's method in
  (log10 K0, k_A) from the period's values, bounded; ``none``, the period as it is.  Each point
  is solved once as transfer matrices on a coarse grid (``FIT_GRID``), so the LIS fit is a
  matrix product; the best point is re-solved and the LIS refitted on the default grid.

chi2 uses the total (stat + sys in quadrature) errors; printed for T < 10 GeV and for the whole
fit range.  The positron fraction computed from each fitted pair is compared with the
measured fraction (chi2 over its points between T_fit and 10 GeV): the fraction is *not*
fitted unless ``--with-fraction`` adds it to the LIS fit (an investigation: it shares events
with the fluxes).  ``--propagated-below GEV`` gives both LIS, below GEV, the shape of the LIS
the package propagates in MED (an investigation of the LIS below the data).  Writes the flux/fraction figure and prints the parameter set as TOML.
Runtime 1-5 minutes (shared 2-core machine).
"""

import argparse
import sys
import time
from dataclasses import dataclass

import numpy as np
from scipy.optimize import least_squares, minimize

from positrons.data import load
from positrons.heliosphere import force_field
from positrons.heliosphere.drift_modulation import DriftModulation
from positrons.heliosphere.drift_periods import load_period
from positrons.heliosphere.drift_solver import DriftGrid

T_LOW = 10.0
T_MAX = 20.0
FIT_GRID = DriftGrid(n_r=32, n_theta=12, n_p_per_decade=16)
K0_VALUES = np.geomspace(3.0e22, 1.9e23, 9)
KA_VALUES = (0.0, 0.25, 0.5, 1.0)
#: bounds of (log10 K0 [cm^2/s], k_A) for --search minimise
SEARCH_BOUNDS = ((22.0, 24.0), (0.0, 1.5))
#: bounds of (ln N, gamma, a, ln T_c) per charge: a smooth LIS that does not rise at low energy
#: faster than T^-gamma (a >= -1) nor cut off faster than T^6; without them a single phi is
#: traded against an arbitrarily steep low-energy LIS (both unobservable at 1 AU)
LIS_BOUNDS = (np.array([-12.0, 2.0, -1.0, np.log(0.1)] * 2), np.array([3.0, 4.5, 6.0, np.log(20.0)] * 2))
NP = 4
PHI_RANGE = (0.1, 1.5)
START = {"positron": (2.0e-2, 3.1, 1.0, 1.0), "electron": (3.0e-1, 3.2, 1.0, 1.0)}
SPECIES = ("positron", "electron")


@dataclass(frozen=True)
class Campaign:
    """The datasets of one period: e+ and e- fluxes (fitted) and the positron fraction (compared)."""

    label: str
    positron: str
    electron: str
    fraction: str
    T_fit_min: float


CAMPAIGNS = {
    "ams02": Campaign("AMS-02 2011-2018", "ams02_positron_flux_physrep2021_crdb",
                      "ams02_electron_flux_physrep2021_crdb", "ams02_positron_fraction_physrep2021", 0.5),
    "pamela": Campaign("PAMELA 2006-2009", "pamela_positron_flux_2013", "pamela_electron_flux_kiss",
                       "pamela_positron_fraction_2013_crdb", 1.0),
}


def lis_form(T, N, gamma, a, Tc):
    return N * (T / 10.0) ** -gamma * ((T / (T + Tc)) / (10.0 / (10.0 + Tc))) ** a


def data(name, T_min, T_max):
    """(T [GeV], value, symmetric total error) of a dataset between T_min and T_max."""
    d = load(name)
    T = np.asarray(d.energy, dtype=float)
    lo, hi = d.errors("total")
    keep = (T >= T_min) & (T <= T_max)
    return T[keep], np.asarray(d.value, dtype=float)[keep], 0.5 * (np.asarray(lo) + np.asarray(hi))[keep]


class Fit:
    """The data of one campaign and the chi2 of a modulation map ``predict(species, lis, T)``."""

    def __init__(self, campaign: Campaign, with_fraction: bool = False, low_shape=None):
        self.campaign = campaign
        self.E = {"positron": data(campaign.positron, campaign.T_fit_min, T_MAX),
                  "electron": data(campaign.electron, campaign.T_fit_min, T_MAX)}
        self.F = data(campaign.fraction, campaign.T_fit_min, T_LOW)
        self.with_fraction = with_fraction
        self.low_shape = low_shape

    def residuals(self, predict, x, fraction=None):
        out = []
        for sp in SPECIES:
            T, y, s = self.E[sp]
            out.append((predict(sp, self.lis_of(x, sp), T) - y) / s)
        if self.with_fraction if fraction is None else fraction:
            T, y, s = self.F
            out.append((self.fraction(predict, x, T) - y) / s)
        return np.concatenate(out)

    def fraction(self, predict, x, T):
        p = predict("positron", self.lis_of(x, "positron"), T)
        return p / (p + predict("electron", self.lis_of(x, "electron"), T))

    def lis_of(self, x, sp):
        """The LIS of parameters ``x`` for ``sp``; below ``low_shape[0]`` GeV (if set) the
        tabulated shape ``low_shape[1][sp]`` (T, flux), joined continuously."""
        form = lis_of(x, sp)
        if self.low_shape is None:
            return form
        T_join, (T_tab, flux) = self.low_shape[0], self.low_shape[1][sp]

        def shape(t):
            return np.exp(np.interp(np.log(t), np.log(T_tab), np.log(flux)))

        def lis(t):
            t = np.asarray(t, dtype=float)
            return np.where(t < T_join, form(T_join) * shape(np.minimum(t, T_join)) / shape(T_join), form(t))

        return lis

    def chi2(self, predict, x):
        """(chi2 of the fluxes below T_LOW, of the fluxes in the fit range, of the fraction)."""
        low = tot = 0.0
        for sp in SPECIES:
            T, y, s = self.E[sp]
            r2 = ((predict(sp, self.lis_of(x, sp), T) - y) / s) ** 2
            low += r2[T < T_LOW].sum()
            tot += r2.sum()
        T, y, s = self.F
        return low, tot, float((((self.fraction(predict, x, T) - y) / s) ** 2).sum())

    def n_points(self):
        return (sum(int((T < T_LOW).sum()) for T, _, _ in self.E.values()), sum(T.size for T, _, _ in self.E.values()),
                self.F[0].size)

    def fit_lis(self, predict, starts):
        """LIS parameters (ln N, gamma, a, ln T_c per charge) of least chi2 from several starts
        (the LIS fit has local minima), and that chi2."""
        best = None
        for x0 in starts:
            res = least_squares(lambda x: self.residuals(predict, x), np.clip(x0, *LIS_BOUNDS), bounds=LIS_BOUNDS,
                                x_scale="jac")
            if best is None or res.cost < best[1]:
                best = (res.x, float(res.cost))
        return best[0], 2 * best[1]

    def force_field(self):
        best = None
        for phi in np.arange(0.2, 1.46, 0.05):
            x, c = self.fit_lis(lambda sp, lis, T, phi=phi: force_field.modulate(T, lis, phi, sp),
                                [x_start()] + ([best[1]] if best is not None else []))
            if best is None or c < best[2]:
                best = (phi, x, c)
        phi0, x0, _ = best

        def residuals(z):
            return self.residuals(lambda sp, lis, T: force_field.modulate(T, lis, z[0], sp), z[1:])

        bounds = (np.concatenate([[PHI_RANGE[0]], LIS_BOUNDS[0]]), np.concatenate([[PHI_RANGE[1]], LIS_BOUNDS[1]]))
        res = least_squares(residuals, np.concatenate([[phi0], x0]), bounds=bounds, x_scale="jac")
        return res.x[0], res.x[1:]


def x_start():
    x = []
    for sp in SPECIES:
        N, g, a, Tc = START[sp]
        x += [np.log(N), g, a, np.log(Tc)]
    return np.array(x)


def lis_of(x, sp):
    k = SPECIES.index(sp)
    lnN, g, a, lnTc = x[NP * k:NP * k + NP]
    return lambda t: lis_form(t, np.exp(lnN), g, a, np.exp(lnTc))


def matrices(period, grid, fit):
    """Drift transfer matrices (both species) covering the fit range; a map predict(sp, lis, T)."""
    lo = 0.9 * fit.campaign.T_fit_min
    model = DriftModulation(period, grid)
    mats = {sp: model.transfer_matrix(sp, lo, 3.0 * T_MAX) for sp in SPECIES}
    return lambda sp, lis, T: mats[sp].apply(lis, T)


def drift_point(period, K0, kA, fit, starts):
    """LIS fit and chi2 parts at one (K0, k_A) on the coarse grid."""
    predict = matrices(period.with_values(K0_cm2_s=float(K0), drift_scale=float(kA)), FIT_GRID, fit)
    x, _ = fit.fit_lis(predict, starts)
    return x, fit.chi2(predict, x)


def objective_chi2(parts, fit):
    """What the search minimises: the flux chi2 of the fit range (plus the fraction's with --with-fraction)."""
    return parts[1] + (parts[2] if fit.with_fraction else 0.0)


def search_grid(period, fit, x_ff):
    best, table = None, []
    for K0 in K0_VALUES:
        for kA in KA_VALUES:
            t0 = time.perf_counter()
            x, parts = drift_point(period, K0, kA, fit, [x_start(), x_ff] + ([best[2]] if best else []))
            table.append((K0, kA, *parts))
            print(f"  K0 = {K0:.3e} cm^2/s  k_A = {kA:4.2f}: chi2(<10 GeV) = {parts[0]:8.1f}  chi2(fit range) = "
                  f"{parts[1]:8.1f}  chi2(fraction) = {parts[2]:8.1f}  [{time.perf_counter() - t0:.0f} s]", flush=True)
            if best is None or objective_chi2(parts, fit) < best[3]:
                best = (K0, kA, x, objective_chi2(parts, fit))
    return best, table


def search_minimise(period, fit, x_ff, free_drift=True):
    """Powell in (log10 K0, k_A) (k_A fixed at 0 with ``free_drift=False``), the LIS refitted at each point."""
    table, state = [], {"x": x_ff}

    def cost(z):
        K0, kA = 10.0 ** z[0], (z[1] if free_drift else 0.0)
        x, parts = drift_point(period, K0, kA, fit, [state["x"], x_ff, x_start()])
        state["x"] = x
        table.append((K0, kA, *parts))
        print(f"  K0 = {K0:.3e} cm^2/s  k_A = {kA:5.3f}: chi2(<10 GeV) = {parts[0]:8.1f}  chi2(fit range) = "
              f"{parts[1]:8.1f}  chi2(fraction) = {parts[2]:8.1f}", flush=True)
        return objective_chi2(parts, fit)

    z0 = [np.log10(period.K0_cm2_s), period.drift_scale] if free_drift else [np.log10(period.K0_cm2_s)]
    bounds = SEARCH_BOUNDS if free_drift else SEARCH_BOUNDS[:1]
    res = minimize(cost, np.clip(z0, [b[0] for b in bounds], [b[1] for b in bounds]), method="Powell",
                   bounds=bounds, options={"xtol": 1e-2, "ftol": 1e-3})
    K0, kA = 10.0 ** res.x[0], (float(res.x[1]) if free_drift else 0.0)
    return (K0, kA, state["x"], float(res.fun)), table


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("period", nargs="?", default="ams02_2011_2018")
    ap.add_argument("--data", choices=sorted(CAMPAIGNS), help="datasets (default: from the period's name)")
    ap.add_argument("--search", choices=["grid", "minimise", "none"], default="grid")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--with-fraction", action="store_true", help="add the fraction to the fitted chi2")
    ap.add_argument("--propagated-below", type=float, metavar="GEV",
                    help="below GEV give both LIS the shape of the MED LIS propagated by the package "
                         "(positrons.analysis.fraction.secondary_lis), joined continuously")
    ap.add_argument("--figure", default="docs/figures/heliosphere_drift.png")
    args = ap.parse_args(argv)
    period = load_period(args.period)
    if args.set:
        changes = {k: float(v) for k, v in (item.split("=", 1) for item in args.set)}
        period = period.with_values(**changes)
        print("changed:", changes)
    campaign = CAMPAIGNS[args.data or period.name.split("_")[0]]
    low_shape = None
    if args.propagated_below is not None:
        from positrons.analysis.fraction import secondary_lis

        med = secondary_lis("MED")
        low_shape = (args.propagated_below, {"positron": (med.T, med.positrons),
                                             "electron": (med.T, med.secondary_electrons + med.primary_electrons)})
        print(f"LIS below {args.propagated_below} GeV: the shape of the propagated MED LIS")
    fit = Fit(campaign, args.with_fraction, low_shape)
    n_low, n_tot, n_frac = fit.n_points()
    print(f"{campaign.label} e+ and e-: {n_low} points below {T_LOW} GeV, {n_tot} in {campaign.T_fit_min}-{T_MAX} "
          f"GeV; fraction: {n_frac} points in {campaign.T_fit_min}-{T_LOW} GeV"
          + (" (fitted too)" if fit.with_fraction else " (not fitted)"))

    phi, x_ff = fit.force_field()

    def ff_predict(sp, lis, T):
        return force_field.modulate(T, lis, phi, sp)

    chi2_ff = fit.chi2(ff_predict, x_ff)
    print(f"force field: phi = {phi:.3f} GV  chi2(<10 GeV) = {chi2_ff[0]:.1f}  chi2(fit range) = {chi2_ff[1]:.1f}  "
          f"chi2(fraction) = {chi2_ff[2]:.1f}  (free parameters: 1 + 8 LIS)")

    table = []
    if args.search == "grid":
        (K0, kA, x_d, _), table = search_grid(period, fit, x_ff)
    elif args.search == "minimise":
        (K0, kA, x_d, _), table = search_minimise(period, fit, x_ff)
        _, table_off = search_minimise(period, fit, x_ff, free_drift=False)
        table += table_off
    else:
        K0, kA, x_d = period.K0_cm2_s, period.drift_scale, x_ff
    fitted = period.with_values(K0_cm2_s=float(K0), drift_scale=float(kA))
    final = DriftModulation(fitted)  # default grid: LIS refitted there (chi2 moves by O(100) for a 1 % flux shift)
    d_predict = matrices(fitted, final.grid, fit)
    x_d, _ = fit.fit_lis(d_predict, [x_d, x_ff, x_start()])
    chi2_d = fit.chi2(d_predict, x_d)
    print(f"drift model ({period.name}): K0 = {K0:.4g} cm^2/s, k_A = {kA:.3g}, R_A = {period.drift_R_A_GV} GV, "
          f"tilt {period.tilt_deg} deg, B_E {period.B_earth_nT} nT, A>0 fraction {period.a_positive_fraction}: "
          f"chi2(<10 GeV) = {chi2_d[0]:.1f}  chi2(fit range) = {chi2_d[1]:.1f}  chi2(fraction) = {chi2_d[2]:.1f} "
          "(default grid; free: 2 + 8 LIS)")
    if table:
        no_drift = min((r for r in table if r[1] == 0.0), key=lambda r: r[3])
        print(f"drifts off (best K0 = {no_drift[0]:.3e}, coarse grid): chi2(<10 GeV) = {no_drift[2]:.1f}  "
              f"chi2(fit range) = {no_drift[3]:.1f}  chi2(fraction) = {no_drift[4]:.1f}")
    print("LIS parameters (ln N, gamma, a, ln T_c) e+ | e-:  force field", np.round(x_ff, 3), " drift", np.round(x_d, 3))
    T_lis = np.array([0.5, 1.0, 2.0, 5.0])
    for label, x in (("force field", x_ff), ("drift", x_d)):
        pos, ele = fit.lis_of(x, "positron")(T_lis), fit.lis_of(x, "electron")(T_lis)
        print(f"fitted LIS ({label}) at {T_lis} GeV: e+ {np.round(pos, 3)}, e- {np.round(ele, 2)}, "
              f"e+/(e+ + e-) {np.round(pos / (pos + ele), 3)}")
    print("\n# fitted parameter set\n" + fitted.to_toml())
    figure(args.figure, fit, phi, x_ff, final, x_d, chi2_ff, chi2_d)
    return 0


def figure(path, fit, phi, x_ff, drift, x_d, chi2_ff, chi2_d):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lo = fit.campaign.T_fit_min
    T = np.geomspace(lo, T_MAX, 40)
    ff = {sp: force_field.modulate(T, fit.lis_of(x_ff, sp), phi, sp) for sp in SPECIES}
    dr = {sp: drift.modulate(T, fit.lis_of(x_d, sp), sp) for sp in SPECIES}
    fig = plt.figure(figsize=(10, 5.2))
    grid = fig.add_gridspec(2, 2, height_ratios=(3, 1))
    ax1, ax2 = fig.add_subplot(grid[:, 0]), fig.add_subplot(grid[0, 1])
    ax3 = fig.add_subplot(grid[1, 1], sharex=ax2)
    label = fit.campaign.label
    for sp, c in (("positron", "C3"), ("electron", "C0")):
        Td, y, s = fit.E[sp]
        ax1.errorbar(Td, y * Td**3, s * Td**3, fmt="o", ms=3, color=c, label=f"{label} {sp}")
        ax1.plot(T, ff[sp] * T**3, "--", color=c)
        ax1.plot(T, dr[sp] * T**3, "-", color=c)
        ax1.plot(T, fit.lis_of(x_d, sp)(T) * T**3, ":", color=c, lw=1)
    ax1.set(xscale="log", yscale="log", xlabel="T [GeV]", ylabel=r"$T^3\Phi$ [GeV$^2$ m$^{-2}$ s$^{-1}$ sr$^{-1}$]")
    ax1.set_title(f"dashed: force field $\\phi$={phi:.2f} GV; solid: drifts; dotted: drift LIS", fontsize=9)
    ax1.legend(fontsize=7)
    n_low, _, n_frac = fit.n_points()
    Tf, yf, sf = data(fit.campaign.fraction, 0.0, T_MAX)
    ax2.errorbar(Tf, yf, sf, fmt="o", ms=3, color="k", label=f"{label} positron fraction" + (" (fitted too)" if fit.with_fraction else " (not fitted)"))
    (Tp_, yp_, _), (Te_, ye_, _) = fit.E["positron"], fit.E["electron"]
    inside = (Tp_ >= Te_.min()) & (Tp_ <= Te_.max())
    e_at_p = np.exp(np.interp(np.log(Tp_[inside]), np.log(Te_), np.log(ye_)))
    ax2.plot(Tp_[inside], yp_[inside] / (yp_[inside] + e_at_p), "s", ms=4, mfc="none", color="0.5",
             label="the e+ and e- flux tables themselves")
    ax2.plot(T, ff["positron"] / (ff["positron"] + ff["electron"]), "--", color="C1",
             label=f"force field: $\\chi^2_{{\\rm flux<10}}$ = {chi2_ff[0]:.0f}/{n_low}, "
                   f"$\\chi^2_{{\\rm frac}}$ = {chi2_ff[2]:.0f}/{n_frac}")
    ax2.plot(T, dr["positron"] / (dr["positron"] + dr["electron"]), "-", color="C2",
             label=f"drifts: $\\chi^2_{{\\rm flux<10}}$ = {chi2_d[0]:.0f}/{n_low}, "
                   f"$\\chi^2_{{\\rm frac}}$ = {chi2_d[2]:.0f}/{n_frac}")
    if len(drift.period.polarity_weights()) == 2:
        for pol, ls in ((1, (0, (1, 1))), (-1, (0, (3, 1, 1, 1)))):
            one = DriftModulation(drift.period.with_values(a_positive_fraction=1.0 if pol == 1 else 0.0), drift.grid)
            p = one.modulate(T, fit.lis_of(x_d, "positron"), "positron")
            e = one.modulate(T, fit.lis_of(x_d, "electron"), "electron")
            ax2.plot(T, p / (p + e), ls=ls, color="C2", lw=1, label=f"drifts, A {'>' if pol == 1 else '<'} 0 only")
    ax2.axvspan(T_LOW, T_MAX, color="0.9", zorder=0)
    ax2.set(xscale="log", xlim=(lo * 0.9, T_MAX), ylim=(0, 0.25), ylabel="e+/(e+ + e-)")
    ax2.tick_params(labelbottom=False)
    Tp, yp, sp_ = fit.F
    for predict, x, style, color in ((lambda sp, lis, T: force_field.modulate(T, lis, phi, sp), x_ff, "s", "C1"),
                                     (lambda sp, lis, T: drift.modulate(T, lis, sp), x_d, "o", "C2")):
        ax3.plot(Tp, (fit.fraction(predict, x, Tp) - yp) / sp_, style, ms=3, color=color)
    ax3.axhline(0.0, color="k", lw=0.8)
    ax3.axvspan(T_LOW, T_MAX, color="0.9", zorder=0)
    ax3.set(xscale="log", xlabel="T [GeV]", ylabel="(model - data)/$\\sigma$")
    ax2.set_title(f"fraction from the fitted e+ and e- (chi2 over {fit.campaign.T_fit_min:g}-{T_LOW:g} GeV)",
                  fontsize=9)
    ax2.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit(main())
