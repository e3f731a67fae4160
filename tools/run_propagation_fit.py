"""Run the propagation fit of docs/propagation_fit.md (AMS-02 B/C + p + He + ACE-CRIS 10Be/9Be,
6 free propagation parameters; nested sampling with nautilus, 1000 live points, to 10 000
effective samples) into OUTPUT_DIR (default ``propagation_fit_run``), then copy the
posterior, the best-fit model and the summary to ``docs/figures/propagation_fit/`` and the
figures to ``docs/figures/propagation_fit_*.png``.

    python tools/run_propagation_fit.py [OUTPUT_DIR] [--resume] [--sampler emcee --steps N]
    python tools/run_propagation_fit.py --check-2d docs/figures/propagation_fit/posterior.ecsv

``--check-2d``: the maximum-posterior model of a posterior file in the 2D engine (nuclear
network on the default grid): its B/C against AMS-02 beside the slab's, as is and with the
Alfvén speed rescaled by sqrt(h/z_h) (the slab confines re-acceleration to the disc).

The same as ``positrons fit propagation --data bc,p,he,be10 --output OUTPUT_DIR``.
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
    parser.add_argument("--sampler", choices=("nautilus", "emcee"), default="nautilus")
    parser.add_argument("--steps", type=int, default=None, help="emcee (default 30000)")
    parser.add_argument("--walkers", type=int, default=None, help="emcee (default 32)")
    parser.add_argument("--resume", action="store_true")
    parser.add_argument("--check-2d", metavar="POSTERIOR")
    args = parser.parse_args(argv)
    if args.check_2d:
        return check_2d(args.check_2d)
    if args.sampler != "emcee" and (args.steps is not None or args.walkers is not None):
        parser.error("--steps and --walkers apply only with --sampler emcee")
    if args.sampler == "emcee":  # a 30 000-step chain is ~ 100 MB: checkpoint it 30 times
        settings = FitSettings(data=("bc", "p", "he", "be10"), sampler="emcee", steps=args.steps or 30000,
                               walkers=args.walkers or 32, checkpoint_every=1000)
    else:
        settings = FitSettings(data=("bc", "p", "he", "be10"))
    t0 = time.time()

    def progress(step, total):
        if settings.sampler != "emcee" or step % 100 == 0:
            print(f"{step}/{total} ({'steps' if settings.sampler == 'emcee' else 'effective samples'}) after "
                  f"{time.time() - t0:.0f} s", file=sys.stderr, flush=True)

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


def check_2d(path) -> int:
    """B/C of the best-fit model: slab vs 2D network (default grid), chi^2 against AMS-02."""
    import numpy as np

    from positrons.analysis.nuclei import nuclei_ratio
    from positrons.analysis.posterior import PropagationPosterior, model_with
    from positrons.analysis.propagation_fit import FitSettings, PropagationLikelihood

    posterior = PropagationPosterior.read(path)
    settings = FitSettings.from_dict(posterior.settings["fit"])
    like = PropagationLikelihood(settings)
    values = posterior.best_values()
    theta = np.array([values[p] for p in like.parameters])
    obs = next(o for o in like.observables if o.key == "bc")
    slab = like.ratio_curve(theta, "bc", obs.x)
    unscaled = theta.copy()
    for i, name in enumerate(like.parameters):
        if name.startswith("nuisance_xs_norm_"):
            unscaled[i] = 1.0
    slab_1 = like.ratio_curve(unscaled, "bc", obs.x)  # the 2D runs have the nominal cross sections
    phi = values["nuisance_phi_bc"]
    literal = model_with(posterior.base_model, values, "slab_values_literal").replace(phi_GV=phi)
    scaled = posterior.best_model().replace(phi_GV=phi)  # V_a sqrt(h / z_h), as every --posterior user gets
    print(f"best fit: {values}")
    print(f"slab B/C chi2: {np.sum(((slab - obs.value) / obs.error) ** 2):.1f} / {obs.x.size} with the fitted "
          f"boron cross-section normalisation, {np.sum(((slab_1 - obs.value) / obs.error) ** 2):.1f} with 1")
    for label, model in (("2D, same parameters", literal), ("2D, V_a x sqrt(h/z_h)", scaled)):
        t0 = time.time()
        result = nuclei_ratio("B/C", model, datasets=(obs.spec.dataset,))
        comp = result.comparisons[0]
        two_d = np.interp(np.log(obs.x), np.log(comp.x), comp.model)
        ratio = two_d / slab_1
        print(f"{label} (V_a = {model.v_alfven_km_s:.1f} km/s): chi2 {comp.chi2:.1f}/{comp.n_points}; "
              f"2D/slab (nominal cross sections) at 2, 10, 100, 1000 GV: "
              f"{np.round(np.interp(np.log([2.0, 10.0, 100.0, 1000.0]), np.log(obs.x), ratio), 3)}; "
              f"{time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
