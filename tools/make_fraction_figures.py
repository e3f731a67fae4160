"""Figures of docs/fraction.md: the positron fraction with pulsars and dark matter.

    python tools/make_fraction_figures.py [OUTDIR]    (default docs/figures; ~5 minutes)

Writes fraction_secondary_models.png, fraction_pulsars_MED.png, fraction_dm_MED.png,
lepton_fluxes_MED.png, dm_scan_MED.png and prints the fitted numbers quoted in the docs.
"""

import sys
from pathlib import Path

import numpy as np

from positrons.analysis.fraction import secondary_lis
from positrons.plotting.fraction import plot_fraction, plot_lepton_fluxes
from positrons.plotting.style import new_axes
from positrons.propagation.models import PRESETS
from positrons.propagation.pulsars import LocalTransport
from positrons.analysis import fraction_fit as ff

DATASET = "ams02_positron_fraction_prl2019"
XS_SPREAD = 0.10
PHI_SPREAD_GV = 0.1
T = np.geomspace(0.5, 1000.0, 80)


def main(outdir="docs/figures"):
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)

    # secondary fraction of the six models
    from positrons.plotting.data import plot_quantity

    fig = plot_quantity("fraction")
    ax = fig.axes[0]
    for k, name in enumerate(PRESETS):
        pred = secondary_lis(name).prediction(T)
        ax.plot(T, pred.fraction_secondary, lw=1.8, color=f"C{k}", label=f"secondary {name}", zorder=10)
        print(f"{name}: secondary fraction at 5/10/100/500 GeV:",
              np.round(np.interp(np.log([5, 10, 100, 500]), np.log(T), pred.fraction_secondary), 4))
    from positrons.analysis.fraction import leaky_box_lis

    box = leaky_box_lis().prediction(T)
    ax.plot(T, box.fraction_secondary, lw=2.2, color="k", ls="--", label="secondary, leaky box", zorder=10)
    print("leaky box: secondary fraction at 5/10/100/500 GeV:",
          np.round(np.interp(np.log([5, 10, 100, 500]), np.log(T), box.fraction_secondary), 4))
    ax.set_ylim(0, 0.4)
    ax.legend(fontsize=6, ncol=3)
    fig.savefig(out / "fraction_secondary_models.png", dpi=130)

    # MED: secondary band from the cross-section spread and phi.  Only the hybrid model covers
    # the whole projectile grid (chain stops at 1 TeV/n, kamae2006 starts at 0.49 GeV/n), so the
    # cross-section part is the +-10 % spread measured between the models where they overlap
    # above 1 GeV (docs/secondary.md)
    from positrons.analysis.fraction import FractionPrediction

    med = secondary_lis("MED")
    curves = []
    for dphi in (-PHI_SPREAD_GV, 0.0, PHI_SPREAD_GV):
        p = med.prediction(T, med.phi_GV + dphi)
        for scale in (1.0 - XS_SPREAD, 1.0 + XS_SPREAD):
            curves.append(FractionPrediction(p.model, p.phi_GV, T, scale * p.secondary_positrons,
                                             scale * p.secondary_electrons, p.primary_electrons).fraction_secondary)
    band = (T, np.min(curves, axis=0), np.max(curves, axis=0))

    pulsars = ff.PulsarComponent(("geminga", "monogem"), LocalTransport.from_model("MED"))
    fit = ff.fit_fraction(med, pulsars, dataset=DATASET)
    print("pulsars:", fit.to_dict())
    pred = fit.prediction(T)
    plot_fraction(pred, label="Geminga + Monogem", fit=fit, band=band).savefig(out / "fraction_pulsars_MED.png", dpi=130)
    plot_lepton_fluxes(pred, label="Geminga + Monogem").savefig(out / "lepton_fluxes_MED.png", dpi=130)

    # dark matter: mass scan per channel, best fit and 95 % upper limit on <sigma v>
    masses = np.geomspace(100.0, 5000.0, 12)
    fig, ax = new_axes("dark-matter mass [GeV]", r"$\langle\sigma v\rangle$ [cm$^3$ s$^{-1}$]",
                       "MED, NFW: AMS-02 fraction above 10 GeV")
    best_dm = None
    response = ff.dark_matter_response("MED")  # one energy response for every mass and channel
    for colour, channel in (("C0", "ee"), ("C3", "mumu")):
        sv, err, limit, chi2 = [], [], [], []
        for m in masses:
            comp = ff.dark_matter_component("MED", m, channel, response=response)
            up, best = ff.upper_limit(med, comp, "sigma_v_1e26", dataset=DATASET)
            sv.append(best.values["sigma_v_1e26"] * 1e-26)
            err.append(best.errors["sigma_v_1e26"] * 1e-26)
            limit.append(up * 1e-26)
            chi2.append(best.chi2_per_dof)
            if best_dm is None or best.chi2 < best_dm[1].chi2:
                best_dm = (comp, best)
        print(channel, "m, <sv>_fit, 95% UL, chi2/dof:")
        for row in zip(masses, sv, limit, chi2):
            print("   %8.1f  %.3g  %.3g  %.2f" % row)
        shown = np.array(sv) > 1e-2 * np.array(limit)  # best fits pinned at 0 are not drawn
        ax.errorbar(masses[shown], np.array(sv)[shown], yerr=np.array(err)[shown], fmt="o-", color=colour, ms=4,
                    label=f"{channel}: best fit")
        ax.plot(masses, limit, ls="--", color=colour, label=f"{channel}: 95% C.L. upper limit")
    ax.axhline(3e-26, color="0.5", lw=0.8, ls=":")
    ax.text(110, 3.4e-26, "thermal 3e-26", fontsize=8, color="0.4")
    ax.legend(fontsize=8)
    fig.savefig(out / "dm_scan_MED.png", dpi=130)

    comp, best = best_dm
    print("best DM:", comp.describe(), best.to_dict())
    plot_fraction(best.prediction(T), label=comp.describe(), fit=best, band=band).savefig(out / "fraction_dm_MED.png", dpi=130)


if __name__ == "__main__":
    main(*sys.argv[1:])
