"""Write examples/demo_posterior.ecsv: a DEMONSTRATION propagation posterior, NOT a fit to data.

    python tools/make_demo_posterior.py [--samples 200] [--seed 2026] [--output examples/demo_posterior.ecsv]

Until the propagation fit has produced a real posterior, the ``--posterior`` options (and
tools/make_posterior_band_figures.py) need a file to run on.  This one is built from the spread
of the presets of Huang & Zhou (Table 1; :mod:`positrons.propagation.models`), nothing else.
Four of the six presets, MIN, MED, MAX and MAX2, are one family: the same form, nearly the same
delta and V_a, and D0 growing with the halo height z_h as B/C requires.  The demonstration
spreads along that family:

* ln z_h is Gaussian with the mean and standard deviation of ln z_h over the four presets,
  truncated to their range (1.8-10 kpc);
* D0, delta and V_a follow the presets' relation with z_h (interpolated linearly in ln z_h, ln D0
  for D0), D0 scattered by 5 % (log-normal) and delta by 0.01 about it;
* everything else is MED's (eta, no convection, the proton injection, phi = 0.55 GV).

GH and DB are left out: GH has another velocity exponent eta and convection, DB a diffusion break
and no re-acceleration, which are not a change of these four parameters of MED.  The log
"posterior" written is the log density of that construction (unnormalised), not a likelihood.
Its settings say, in the file, that it is a demonstration and not a fit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from positrons.analysis.posterior import PropagationPosterior
from positrons.propagation.models import get_propagation_model

ROOT = Path(__file__).resolve().parents[1]
#: the presets whose spread is used: one family (MED's form, D0 rising with z_h)
PRESETS = ("MIN", "MED", "MAX", "MAX2")
PARAMETERS = ("z_h_kpc", "D0_1e28_cm2_s", "delta1", "v_alfven_km_s")
#: scatter about the presets' relation with z_h: of ln D0, and of delta
SCATTER_LN_D0 = 0.05
SCATTER_DELTA = 0.01


def demo_posterior(n_samples: int = 200, seed: int = 2026) -> PropagationPosterior:
    """The demonstration posterior (see the module docstring)."""
    presets = np.array([[getattr(get_propagation_model(p), name) for name in PARAMETERS] for p in PRESETS])
    ln_z = np.log(presets[:, 0])
    mean, sd = ln_z.mean(), ln_z.std(ddof=1)
    rng = np.random.default_rng(seed)
    kept = np.empty(0)
    while kept.size < n_samples:
        draw = rng.normal(mean, sd, size=4 * n_samples)
        kept = np.concatenate([kept, draw[(draw >= ln_z.min()) & (draw <= ln_z.max())]])
    x = kept[:n_samples]
    e_d0, e_delta = rng.normal(size=n_samples), rng.normal(size=n_samples)
    D0 = np.exp(np.interp(x, ln_z, np.log(presets[:, 1])) + SCATTER_LN_D0 * e_d0)
    delta = np.interp(x, ln_z, presets[:, 2]) + SCATTER_DELTA * e_delta
    v_a = np.interp(x, ln_z, presets[:, 3])
    samples = np.column_stack([np.exp(x), D0, delta, v_a])
    log_density = -0.5 * (((x - mean) / sd) ** 2 + e_d0**2 + e_delta**2)
    settings = {
        "demonstration": True,
        "fit": "NONE: this is NOT a fit to data; a demonstration file for the --posterior options",
        "built_from": f"the spread of the presets {', '.join(PRESETS)} (Huang & Zhou, Table 1): ln z_h Gaussian with "
                      "their mean and spread, truncated to their range; D0, delta1, V_a along their relation with "
                      f"z_h, ln D0 scattered by {SCATTER_LN_D0:g} and delta1 by {SCATTER_DELTA:g}; GH and DB left out "
                      "(other eta and convection; diffusion break without re-acceleration)",
        "log_posterior": "log density of that construction (unnormalised), not a likelihood",
        "tool": "tools/make_demo_posterior.py",
        "seed": seed,
    }
    base = get_propagation_model("MED").replace(
        name="demo", description="MED (Huang & Zhou, Table 1) as the base of a DEMONSTRATION posterior, not a fit")
    return PropagationPosterior(base, PARAMETERS, samples, log_density, settings)


def run(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--output", default=str(ROOT / "examples" / "demo_posterior.ecsv"))
    args = parser.parse_args(argv)
    post = demo_posterior(args.samples, args.seed)
    post.write(args.output)
    for name, median, lo, hi in post.summary_table():
        print(f"{name:>16s}: median {median:.4g}, 68 % {lo:.4g}-{hi:.4g}", file=sys.stderr)
    print(f"wrote {args.output} ({post.n_samples} samples; a demonstration, NOT a fit)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(run())
