"""Regenerate docs/figures/pbh_limits_*.png (and the scans behind them) for docs/pbh_limits.md.

    python tools/make_pbh_limit_figures.py            # default grid (dR 1 kpc, dz 0.1 kpc), 30 masses
    python tools/make_pbh_limit_figures.py --quick    # coarse grid (dR 2, dz 0.2-0.5 kpc, 8/decade), 30 masses
    python tools/make_pbh_limit_figures.py --scheduler tcp://host:8786

Runs :func:`positrons.analysis.pbh_campaign.limit_figure_campaign` on its default masses
(30 log-spaced from 5e14 to 1e17 g, a smooth curve): the scans are written as ECSV next to
the figures in a scratch directory (``--scans``, default build/pbh_limits), then the figures
are copied to docs/figures/.  ``positrons pbh limits --all`` runs the same campaign from the
command line on the masses of ``--masses``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from positrons.analysis.dask_scans import default_scheduler
from positrons.analysis.pbh_campaign import DEFAULT_MASSES_G, limit_figure_campaign
from positrons.analysis.transport import Transport
from positrons.propagation.grid import GridSpec

ROOT = Path(__file__).resolve().parents[1]
#: the coarse grid of --quick (as ``positrons pbh limits --all --quick``)
QUICK_GRID = GridSpec(dR_kpc=2.0, dz_kpc=0.2, dz_max_kpc=0.5, energy_points_per_decade=8)


def run(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="coarse grid")
    parser.add_argument("--scheduler", help="none, local or tcp://host:port (default: local if dask is installed)")
    parser.add_argument("--scans", default=str(ROOT / "build" / "pbh_limits"), help="directory for scans and figures")
    args = parser.parse_args(argv)
    transport = Transport(QUICK_GRID) if args.quick else Transport()
    start = time.perf_counter()

    def progress(done, total, what):
        print(f"[{done}/{total}] {what} ({time.perf_counter() - start:.0f} s)", file=sys.stderr)

    campaign = limit_figure_campaign(DEFAULT_MASSES_G, transport, scheduler=args.scheduler or default_scheduler(),
                                     progress=progress, grid_note_suffix=" (--quick: coarse)" if args.quick else "")
    campaign.write(args.scans, on_figure=lambda path: print(f"wrote {path}", file=sys.stderr))
    figures = ROOT / "docs" / "figures"
    for png in sorted(Path(args.scans).glob("pbh_limits_*.png")):
        shutil.copy(png, figures / png.name)
        print(f"copied {png.name} -> {figures}", file=sys.stderr)
    print(f"done in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(run())
