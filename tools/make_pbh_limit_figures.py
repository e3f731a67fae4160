"""Regenerate docs/figures/pbh_limits_*.png (and the scans behind them) for docs/pbh_limits.md.

    python tools/make_pbh_limit_figures.py            # default grid (dR 1 kpc, dz 0.1 kpc, 10 masses)
    python tools/make_pbh_limit_figures.py --quick    # coarse grid (dR 2, dz 0.4, 6 masses), ~40 s
    python tools/make_pbh_limit_figures.py --scheduler tcp://host:8786

Runs ``positrons pbh limits --all``: the scans are written as ECSV next to the figures in
a scratch directory (``--scans``, default build/pbh_limits), then the figures are copied to
docs/figures/.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from positrons.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="coarse grid")
    parser.add_argument("--scheduler", help="none, local or tcp://host:port (default: local if dask is installed)")
    parser.add_argument("--scans", default=str(ROOT / "build" / "pbh_limits"), help="directory for scans and figures")
    args = parser.parse_args(argv)
    cli = ["pbh", "limits", "--all", "--output", args.scans]
    if args.quick:
        cli.append("--quick")
    if args.scheduler:
        cli += ["--scheduler", args.scheduler]
    start = time.perf_counter()
    code = main(cli)
    if code:
        return code
    figures = ROOT / "docs" / "figures"
    for png in sorted(Path(args.scans).glob("pbh_limits_*.png")):
        shutil.copy(png, figures / png.name)
        print(f"copied {png.name} -> {figures}", file=sys.stderr)
    print(f"done in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(run())
