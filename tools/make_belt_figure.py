"""Make ``docs/figures/belt.png`` and print the headline numbers of ``docs/belt.md``.

Usage::

    python tools/make_belt_figure.py [OUTPUT.png]     # default docs/figures/belt.png

Panels: (a) pion production per unit grammage, published table vs computed from the
trapped protons; (b) e+ production P_e(E) with the fixed fractions (on kinetic and on
total energies) and with the exact decay; (c) the usual figure (published route) with
the exact and computed routes (the pion integral production, a rate per unit grammage, on
its own right-hand axis); (d) the MSIS drift-shell density against L.
Needs pymsis (and spacepy for the L = 1.3, 1.4 rows of the table).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure

from positrons.magnetosphere import (
    BeltModel,
    MSISAtmosphere,
    computed_pion_production,
    drift_shell_density,
    martin1995_l12,
    proton_spectrum_for_shell,
    table_pion_production,
)
from positrons.analysis.belt import pion_integral_curve
from positrons.plotting import belt as belt_plot

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "docs" / "figures" / "belt.png"
THRESHOLD = 0.02  # GeV


def routes():
    """The models of the headline table: name -> BeltModel."""
    table = table_pion_production()
    air = computed_pion_production(martin1995_l12())
    msis = drift_shell_density(1.2, MSISAtmosphere())
    shell_air = computed_pion_production(martin1995_l12(), mass_fractions=msis.mass_fractions)
    out = {
        "table, fixed fractions on T (published)": BeltModel(table),
        "table, fixed fractions on T, PCHIP bins": BeltModel(table.with_interpolation("pchip-cumulative")),
        "table, fixed fractions on T, H0 = 100 km": BeltModel(table, scale_height_km=100.0),
        "table, fixed fractions on E_total": BeltModel(table, energy_variable="total"),
        "table, exact decay": BeltModel(table, decay="exact"),
        "table, exact decay, MSIS rho": BeltModel(table, decay="exact", density=msis.density),
        "computed (air), fixed fractions on T": BeltModel(air),
        "computed (air), exact decay": BeltModel(air, decay="exact"),
        "computed (MSIS composition), exact decay, MSIS rho": BeltModel(shell_air, decay="exact", density=msis.density),
    }
    try:
        for L in (1.3, 1.4):
            shell = drift_shell_density(L, MSISAtmosphere())
            pions = computed_pion_production(proton_spectrum_for_shell(L, "ap8-min"), mass_fractions=shell.mass_fractions)
            out[f"L = {L}: computed (MSIS composition, AP-8 MIN scaled), exact, MSIS rho"] = BeltModel(
                pions, L=L, decay="exact", density=shell.density)
    except ValueError as exc:  # spacepy missing
        print(f"skipping other shells: {exc}", file=sys.stderr)
    return out, table, air, msis


def headline_table(models) -> str:
    rows = ["| route | rho [g cm^-3] | I_e+(>20 MeV) no synch | I_e+(>20 MeV) synch | I_e-(>20 MeV) synch | e+/e- (>20 MeV) synch | e+/e- no synch |",
            "|---|---|---|---|---|---|---|"]
    for name, m in models.items():
        s = m.solve([THRESHOLD]).summary(THRESHOLD)
        rows.append(f"| {name} | {m.density:.2g} | {s['I_pos_gt_threshold']:.4g} | {s['I_pos_gt_threshold_synch']:.4g} | "
                    f"{s['I_ele_gt_threshold_synch']:.4g} | {s['ratio_pos_ele_synch']:.3g} | {s['ratio_pos_ele']:.3g} |")
    return "\n".join(rows)


def make_figure(models, table, air) -> Figure:
    fig = Figure(figsize=(13.0, 10.0), layout="constrained")
    axes = fig.subplots(2, 2)

    # (a) pion production
    ax = axes[0, 0]
    belt_plot.plot_pion_sources(ax, {
        r"$\pi^+$ table (Martin et al. 1995)": (table.edges, table.bin_values(+1), dict(color="#d62728", lw=2)),
        r"$\pi^-$ table": (table.edges, table.bin_values(-1), dict(color="#1f77b4", lw=2)),
        r"$\pi^+$ computed (AP-8 protons, p+p model, isospin, $A^{3/4}$)": (air.edges, air.bin_values(+1),
                                                                         dict(color="#d62728", lw=1.4, ls="--")),
        r"$\pi^-$ computed": (air.edges, air.bin_values(-1), dict(color="#1f77b4", lw=1.4, ls="--")),
    })
    ax.set_yscale("log")
    ax.set_xlim(0, 1000)
    ax.set_ylim(5, 3e4)
    ax.legend(frameon=False, fontsize=8.5, loc="upper right")
    ax.set_title("(a) pion production per unit grammage, L = 1.2", fontsize=11)

    # (b) e+ production: fixed fractions vs exact decay
    ax = axes[0, 1]
    E = np.geomspace(1e-3, 1.1, 700)
    published = models["table, fixed fractions on T (published)"]
    total = models["table, fixed fractions on E_total"]
    exact = models["table, exact decay"]
    belt_plot.plot_production(ax, E, {
        r"fixed fractions $q_1q_2 = 0.264$ on kinetic energy (as printed)": (published.production(E, +1), dict(color="k", lw=1.6)),
        "fixed fractions on total energy": (total.production(E, +1), dict(color="#7f7f7f", lw=1.4, ls="--")),
        r"exact $\pi\to\mu\to e$ (positrons.decays)": (exact.production(E, +1), dict(color="#d62728", lw=2.0)),
    })
    ax.set_ylim(1, 1e4)
    ax.set_xlim(1, 1100)
    ax.legend(frameon=False, fontsize=8.5, loc="lower left")
    ax.set_title("(b) e$^+$ production from the table pions", fontsize=11)

    # (c) the usual figure
    ax = axes[1, 0]
    ax.set_xscale("log")
    ax.set_yscale("log")
    E_pub = np.geomspace(1e-3, published.E_max * (1 - 1e-9), 300)
    twin = belt_plot.plot_belt_on(ax, published.solve(E_pub), pion_integral_curve(table, E_pub[0]), label="published route")
    E_ex = np.geomspace(1e-3, exact.E_max * (1 - 1e-9), 200)
    ax.plot(E_ex * 1e3, exact.integral_flux(E_ex, +1, True), color="#ff7f0e", lw=1.6,
            label="e$^+$, with synchrotron loss (exact decay)")
    comp = models["computed (air), exact decay"]
    ax.plot(E_ex * 1e3, comp.integral_flux(E_ex, +1, True), color="#2ca02c", lw=1.6, ls=":",
            label="e$^+$, with synchrotron loss (computed pions, exact decay)")
    belt_plot.draw_cosmos_point(ax)
    ax.set_xlim(1, 1000)
    ax.set_ylim(1, 1e5)
    ax.set_xlabel(r"Kinetic energy $E$ (e$^\pm$), $T_\pi$ (pions) [MeV]", fontsize=11)
    ax.set_ylabel(r"e$^\pm$ integral flux $I(>E)$ [m$^{-2}$ s$^{-1}$ sr$^{-1}$]", fontsize=11)
    twin.set_ylim(1, 1e5)
    belt_plot.belt_legend(ax, twin, frameon=False, fontsize=8, loc="lower left")
    ax.set_title(r"(c) trapped e$^\pm$ at the top of L = 1.2, B = 0.18 G, $\rho = 10^{-18}$ g cm$^{-3}$", fontsize=11)

    # (d) drift-shell density
    ax = axes[1, 1]
    L = np.linspace(1.1, 1.6, 26)
    for f107, colour in ((70, "#1f77b4"), (150, "k"), (250, "#d62728")):
        atm = MSISAtmosphere(f107=f107, f107a=f107, ap=4)
        rho = [drift_shell_density(x, atm).density for x in L]
        ax.plot(L, rho, color=colour, lw=1.8, label=f"MSIS 2.1, equatorial mirroring, F10.7 = {f107}")
    atm = MSISAtmosphere()
    rho_500 = [drift_shell_density(x, atm, mirror_altitude_km=500.0).density for x in L]
    ax.plot(L, rho_500, color="k", lw=1.4, ls="--", label="F10.7 = 150, mirroring at 500 km")
    ax.axhline(1e-18, color="#7f7f7f", lw=1, ls=":")
    ax.text(1.45, 1.3e-18, r"Martin et al.: $10^{-18}$", fontsize=9, color="#555555")
    ax.set_yscale("log")
    ax.set_xlabel("McIlwain L", fontsize=11)
    ax.set_ylabel(r"drift-shell mean density $\langle\rho\rangle$ [g cm$^{-3}$]", fontsize=11)
    ax.legend(frameon=False, fontsize=8.5)
    ax.grid(True, alpha=0.3)
    ax.set_title("(d) residual atmosphere on the drift shell (Ap = 4, equinox)", fontsize=11)
    for a in axes.ravel():
        a.tick_params(which="both", direction="in", top=True, right=True, labelsize=9)
        if a is not axes[1, 1]:
            a.grid(True, which="major", alpha=0.3)
    axes[1, 0].tick_params(which="both", right=False)  # the right axis of (c) is the pion production
    return fig


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    output = Path(argv[0]) if argv else DEFAULT_OUTPUT
    models, table, air, msis = routes()
    print(msis.description)
    print("composition:", {k: round(v, 3) for k, v in msis.mass_fractions.items()})
    print(headline_table(models))
    for charge, name in ((+1, "pi+"), (-1, "pi-")):
        print(f"{name}: table total {table.total(charge):.4g}, computed {air.total(charge):.4g}, "
              f"ratio {air.total(charge) / table.total(charge):.3g}; bins computed/table "
              f"{np.round(air.bin_values(charge) / table.bin_values(charge), 2).tolist()}")
    print(f"pi+/pi- table {table.total(1) / table.total(-1):.3g}, computed {air.total(1) / air.total(-1):.3g}")
    output.parent.mkdir(parents=True, exist_ok=True)
    make_figure(models, table, air).savefig(output, dpi=130)
    print(f"wrote {output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
