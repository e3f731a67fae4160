"""Run the propagation fit of docs/propagation_fit.md (AMS-02 B/C + p + He + ACE-CRIS 10Be/9Be,
emcee, 6 free propagation parameters) into OUTPUT_DIR (default ``propagation_fit_run``; the
chain checkpoint is ~ 30 MB), then copy the posterior, the best-fit model and the summary to
``docs/figures/propagation_fit/`` and the figures to ``docs/figures/propagation_fit_*.png``.

    python tools/run_propagation_fit.py [OUTPUT_DIR] [--steps N] [--resume]

The same as ``positrons fit propagation --data bc,p,he,be10 --steps N --output OUTPUT_DIR``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from positrons.analysis.propagation_fit import FitSettings, fit_propagation

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="propagation_fit_run")
    parser.add_argument("--steps", type=int, default=8000)
    parser.add_argument("--walkers", type=int, default=32)
    parser.add_argument("--resume", action="store_true")
    args = parser.parse_args(argv)
    settings = FitSettings(data=("bc", "p", "he", "be10"), steps=args.steps, walkers=args.walkers)
    t0 = time.time()

    def progress(step, total):
        if step % 100 == 0:
            print(f"step {step}/{total} after {time.time() - t0:.0f} s", file=sys.stderr, flush=True)

    result = fit_propagation(settings, output=args.output, resume=args.resume, progress=progress)
    paths = result.write(args.output)
    print(result.summary())
    figures = ROOT / "docs" / "figures"
    (figures / "propagation_fit").mkdir(exist_ok=True)
    for kind in ("posterior", "best_fit_model", "summary"):
        shutil.copy(paths[kind], figures / "propagation_fit" / Path(paths[kind]).name)
    for kind in ("corner", "bc"):
        if kind in paths:
            shutil.copy(paths[kind], figures / f"propagation_fit_{kind}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
