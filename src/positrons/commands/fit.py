"""``positrons fit propagation``: fit the propagation parameters to AMS-02 B/C, p, He, ... with
the slab model (thin: parse, one call of
:func:`positrons.analysis.propagation_fit.fit_propagation`, print and write)."""

from __future__ import annotations

import argparse

from ._common import UserInputError, only_with, output_directory, propagation_model
from ._progress import Feedback
from .pbh import scheduler_address

_DESCRIPTION = """\
Fit the propagation parameters (D0, delta, v_A, z_h, V_c, eta, ...) to cosmic-ray nuclei with
the fast thin-disc/diffusive-halo ("slab") model (~ 2-3 ms per likelihood evaluation):
AMS-02 B/C (bc), Be/B (beb), p, He, C, O fluxes and ACE-CRIS 10Be/9Be (be10).  Nuisances: a
force-field potential per data set (Gaussian priors), the boron (with B/C, Be/B) and beryllium
(with Be/B) production cross-section normalisations (1 +- 0.15); the He/nuclei injection
index; primary normalisations are
profiled.  Samplers: nautilus (nested sampling, the default: converged when the effective
sample size reaches --effective-samples and the live points hold < 1 % of the evidence) or
emcee (converged when the chain is > 50 autocorrelation times), likelihoods evaluated on 2
processes or a dask cluster (--scheduler), checkpointed in --output and continued by --resume;
or minuit (--quick: MIGRAD + HESSE).  Writes into --output: posterior.ecsv (for --posterior
elsewhere), best_fit_model.toml (for --model), corner.png, bc.png, summary.txt, and the
checkpoint (nautilus.h5 or chain.npz).
"""


#: the library's choices, written here so that ``--help`` imports no physics (a test checks them
#: against :mod:`positrons.analysis.propagation_fit`)
FIT_DATA_KEYS = ("bc", "beb", "be10", "p", "he", "c", "o")
FREE_CHOICES = ("D0_1e28_cm2_s", "delta1", "v_alfven_km_s", "z_h_kpc", "v_conv0_km_s", "eta", "delta0",
                "rigidity_break_GV")
DEFAULT_FREE = ("D0_1e28_cm2_s", "delta1", "v_alfven_km_s", "z_h_kpc", "v_conv0_km_s", "eta")
SAMPLERS = ("nautilus", "emcee", "minuit")

_PROGRESS_LABEL = {"emcee": "emcee steps", "nautilus": "effective samples (nautilus)"}


def _names(choices, what):
    def parse(text: str) -> tuple[str, ...]:
        names = tuple(t.strip() for t in text.split(",") if t.strip())
        bad = [n for n in names if n not in choices]
        if bad or not names:
            raise argparse.ArgumentTypeError(f"unknown {what} {', '.join(bad) or '(none)'}; choose from {', '.join(choices)}")
        return names

    return parse


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def add_commands(sub) -> None:
    """Register ``positrons fit propagation``."""
    p = sub.add_parser("fit", help="fit the propagation model to B/C, p, He and 10Be/9Be (slab model; nautilus, emcee or minuit)")
    fsub = p.add_subparsers(dest="fit_command", metavar="SUBCOMMAND", required=True)
    f = fsub.add_parser("propagation", help="fit the propagation parameters to nuclei data",
                        description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    f.add_argument("--data", type=_names(FIT_DATA_KEYS, "data set"), default=("bc", "p", "he", "be10"),
                   help=f"comma-separated data sets among {','.join(FIT_DATA_KEYS)} (default bc,p,he,be10)")
    f.add_argument("--free", type=_names(FREE_CHOICES, "parameter"), default=DEFAULT_FREE,
                   help=f"comma-separated free propagation parameters (default {','.join(DEFAULT_FREE)})")
    f.add_argument("--injection-break", action="store_true", help="free one break of the p and He injection spectra")
    f.add_argument("--model", type=propagation_model, default=None,
                   help="base model (preset or .toml): the fixed parameters and the start (default: the fit's start model)")
    f.add_argument("--sampler", choices=SAMPLERS, default="nautilus",
                   help="nautilus (nested sampling; default), emcee (ensemble MCMC) or minuit (= --quick)")
    f.add_argument("--quick", action="store_true", help="the maximum posterior with iminuit (same as --sampler minuit)")
    f.add_argument("--steps", type=_positive_int, default=6000,
                   help="emcee: total steps (may be raised with --resume; default 6000)")
    f.add_argument("--walkers", type=_positive_int, default=32, help="emcee walkers (default 32)")
    f.add_argument("--live-points", type=_positive_int, default=1000, help="nautilus live points (default 1000)")
    f.add_argument("--effective-samples", type=_positive_int, default=10000,
                   help="nautilus: sample until the posterior has this effective sample size (may be raised with "
                   "--resume; default 10000)")
    f.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    f.add_argument("--output", type=output_directory, default="propagation_fit", metavar="DIR",
                   help="directory of the results and the sampler's checkpoint (default ./propagation_fit)")
    f.add_argument("--scheduler", type=scheduler_address, default=None,
                   help="likelihood evaluations on 'none' (serial), 'local' (dask, 2 workers) or tcp://host:port "
                   "(default: a pool of 2 processes)")
    f.add_argument("--resume", action="store_true", help="continue the run checkpointed in --output")
    f.add_argument("--quiet", action="store_true", help="no progress bar")
    f.set_defaults(func=_cmd_propagation)
    only_with(f, ["--sampler"], "without --quick (--quick is --sampler minuit)", lambda a: not a.quick)
    only_with(f, ["--steps", "--walkers"], "with --sampler emcee", lambda a: _sampler(a) == "emcee")
    only_with(f, ["--live-points", "--effective-samples"], "with --sampler nautilus (the default)",
              lambda a: _sampler(a) == "nautilus")
    only_with(f, ["--scheduler", "--resume"], "with the nautilus and emcee samplers (the quick fit runs serially and "
              "has no checkpoint)", lambda a: _sampler(a) != "minuit")


def _sampler(args) -> str:
    return "minuit" if args.quick else args.sampler


def _cmd_propagation(args) -> int:
    import sys

    from ..analysis.propagation_fit import FitSettings, FitSettingsMismatch, fit_propagation

    sampler = _sampler(args)
    try:
        settings = FitSettings(data=args.data, free=args.free, model=args.model, sampler=sampler, steps=args.steps,
                               walkers=args.walkers, seed=args.seed, injection_break=args.injection_break,
                               live_points=args.live_points, effective_samples=args.effective_samples)
    except ValueError as exc:
        raise UserInputError(str(exc)) from None
    feedback = Feedback(args.quiet)
    feedback.say(f"fitting {', '.join(settings.parameters())} to {', '.join(settings.data)} ({sampler})")
    try:
        result = fit_propagation(settings, output=args.output, resume=args.resume, scheduler=args.scheduler,
                                 progress=feedback.callback(_PROGRESS_LABEL.get(sampler, sampler)))
    except (FitSettingsMismatch, ImportError) as exc:
        raise UserInputError(str(exc)) from None
    finally:
        feedback.close()
    paths = result.write(args.output)
    print(result.summary())
    print("wrote " + ", ".join(str(p) for p in paths.values()), file=sys.stderr)
    return 0
