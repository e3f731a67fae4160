"""Figures of the propagation-uncertainty bands (docs/pbh_limits.md, docs/fraction.md) from a posterior file.

    python tools/make_posterior_band_figures.py POSTERIOR.ecsv [--draws 50] [--seed 0] [--grid light|default]
                                                [--figures docs/figures] [--tables build/posterior_bands]

For ``n`` draws of the propagation posterior POSTERIOR (an ECSV file of
:class:`positrons.analysis.posterior.PropagationPosterior`, e.g. the output of the propagation
fit, or the demonstration examples/demo_posterior.ecsv):

* ``posterior_band_pbh_limits.png`` -- f_PBH upper limits from the AMS-02 positron flux (no
  background, monochromatic, 20 masses from 5e14 to 1e17 g): median and 68 % / 95 % bands over
  the draws, with the six presets on the same grid as thin lines
  (:func:`positrons.analysis.propagation_bands.pbh_limits_over_posterior`);
* ``posterior_band_fraction.png`` and ``posterior_band_positron_flux.png`` -- the secondary
  positron fraction and e+ flux with their bands on the data
  (:func:`positrons.analysis.propagation_bands.fraction_over_posterior`).

The records behind them are written as ECSV to ``--tables`` (every draw, the posterior's
SHA-256, the seed).  ``--grid light`` (default) is the coarse grid of the tests and of ``pbh
limits --all --quick`` (dR 2 kpc, dz 0.2-0.5 kpc, 8 energies per decade: about a second per
draw); ``--grid default`` the converged one (5-30 s per draw).  A demonstration posterior is
labelled so on every figure.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from positrons.analysis.pbh_limits import pbh_limit_scan
from positrons.analysis.propagation_bands import (DEFAULT_DRAWS, fraction_over_posterior, open_posterior,
                                                  pbh_limits_over_posterior)
from positrons.analysis.transport import Transport
from positrons.plotting.limits import LimitCurve
from positrons.propagation.grid import GridSpec
from positrons.propagation.models import PRESETS

ROOT = Path(__file__).resolve().parents[1]
#: the coarse grid of the tests and of ``pbh limits --all --quick``
LIGHT_GRID = GridSpec(dR_kpc=2.0, dz_kpc=0.2, dz_max_kpc=0.5, energy_points_per_decade=8)
MASSES_G = np.geomspace(5e14, 1e17, 20)
ENERGIES_GEV = np.geomspace(0.5, 1000.0, 60)
YLIM = (1e-9, 1e2)
PRESET_COLOURS = ("#7f7f7f", "#9467bd", "#2ca02c", "#1f77b4", "#8c564b", "#ff7f0e")


def _label(posterior_settings: dict, grid: str) -> str:
    demo = posterior_settings.get("demonstration")
    what = "DEMONSTRATION posterior (spread of the presets, NOT a fit)" if demo else "propagation posterior"
    return f"{what}; {grid} grid"


def run(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posterior", help="the posterior ECSV file")
    parser.add_argument("--draws", type=int, default=DEFAULT_DRAWS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--grid", choices=["light", "default"], default="light")
    parser.add_argument("--figures", default=str(ROOT / "docs" / "figures"))
    parser.add_argument("--tables", default=str(ROOT / "build" / "posterior_bands"))
    args = parser.parse_args(argv)
    transport = Transport(LIGHT_GRID) if args.grid == "light" else Transport()
    figures, tables = Path(args.figures), Path(args.tables)
    figures.mkdir(parents=True, exist_ok=True)
    tables.mkdir(parents=True, exist_ok=True)
    record = open_posterior(args.posterior)[1]
    label = _label(record["posterior_settings"], args.grid)
    start = time.perf_counter()

    def progress(what):
        def report(done, total):
            print(f"{what}: draw {done}/{total} ({time.perf_counter() - start:.0f} s)", file=sys.stderr)
        return report

    limits = pbh_limits_over_posterior(args.posterior, MASSES_G, n_draws=args.draws, seed=args.seed,
                                       transport=transport, progress=progress("PBH limits"))
    limits.write(tables / "posterior_band_pbh_limits.ecsv")
    presets = []
    for name, colour in zip(PRESETS, PRESET_COLOURS):
        f = pbh_limit_scan(name, MASSES_G, transport=transport).f_limit
        off = not np.any(np.isfinite(f) & (f < YLIM[1]))  # DB: no re-acceleration, no PBH e+ in 0.5-5 GeV
        presets.append(LimitCurve(f"{name} (single model{', off scale' if off else ''})", MASSES_G, f, colour=colour,
                                  linestyle="--"))
    fig = limits.plot(curves=presets)
    ax = fig.axes[0]
    ax.set_ylim(*YLIM)
    ax.set_title(f"f$_{{PBH}}$ limits, AMS-02 e$^+$, monochromatic, no background\n{label}", fontsize=11)
    fig.savefig(figures / "posterior_band_pbh_limits.png", dpi=130)
    print(limits.summary(), file=sys.stderr)

    fraction = fraction_over_posterior(args.posterior, n_draws=args.draws, seed=args.seed, T=ENERGIES_GEV,
                                       transport=transport, progress=progress("fraction"))
    fraction.write(tables / "posterior_band_fraction.ecsv")
    for quantity, name in (("fraction", "posterior_band_fraction.png"),
                           ("positron_flux", "posterior_band_positron_flux.png")):
        fig = fraction.plot(quantity=quantity)
        fig.axes[0].set_title(f"{'Positron fraction' if quantity == 'fraction' else 'Positron flux'}, secondary "
                              f"only: {label}", fontsize=11)
        fig.savefig(figures / name, dpi=130)
    print(fraction.summary(), file=sys.stderr)
    print(f"wrote the figures to {figures} and the tables to {tables} in {time.perf_counter() - start:.0f} s",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(run())
