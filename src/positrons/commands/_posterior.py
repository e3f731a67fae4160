"""``--posterior FILE [--draws N]`` of ``pbh limits`` and ``fraction``: results over the draws of a
propagation posterior, with the median and 68 % / 95 % bands.

Parses and checks the two options, calls
:func:`positrons.analysis.propagation_bands.pbh_limits_over_posterior` or
:func:`~positrons.analysis.propagation_bands.fraction_over_posterior`, and writes the band
table (CSV on standard output or ``--output``; ``--output FILE.ecsv`` the whole record, with
every draw) and the figure (``--plot``).  ``--posterior`` replaces ``--model`` (each draw is a
model): giving both is refused before any computation, as is ``--draws`` without
``--posterior``.
"""

from __future__ import annotations

import argparse
import sys

from ._common import UserInputError, csv_text, emit, grid_header, input_file, only_with, save_figure

#: the default number of draws, for the help text (the library's
#: :data:`positrons.analysis.propagation_bands.DEFAULT_DRAWS`, which this module must not import
#: while the parser is built; tests/test_propagation_bands_cli.py checks that they agree)
DEFAULT_DRAWS = 50


def draws_count(text: str) -> int:
    """argparse type of --draws: an integer >= 2 (a band needs two draws)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number of posterior draws >= 2, got {text!r}") from None
    if value < 2:
        raise argparse.ArgumentTypeError(f"must be >= 2 (a band needs at least two posterior draws), got {text!r}")
    return value


def add_posterior_arguments(parser, what: str) -> None:
    """``--posterior FILE`` and ``--draws N`` on ``parser``, with their rules (``what``: the result, for the help)."""
    parser.add_argument("--posterior", type=input_file, metavar="FILE.ecsv",
                        help=f"a propagation posterior (ECSV, from a propagation fit): {what} for --draws of its "
                        "samples, reported as the median and the central 68 %% and 95 %% bands (replaces --model)")
    parser.add_argument("--draws", type=draws_count, metavar="N",
                        help=f"with --posterior: the number of posterior draws, >= 2 (default {DEFAULT_DRAWS}; "
                        "seed 0: the same draws every run). Each draw costs one transport solve of its own")
    only_with(parser, ["--model"], "without --posterior (each posterior draw is a model)", lambda a: a.posterior is None)
    only_with(parser, ["--draws"], "with --posterior", lambda a: a.posterior is not None)


def read_posterior(args):
    """The posterior of ``--posterior``, read before any computation (one-line error if the file
    is not one); the library reads the file again, to record its name and checksum."""
    from ..analysis.propagation_bands import open_posterior

    try:
        return open_posterior(args.posterior)[0]
    except (ValueError, KeyError, TypeError) as exc:
        raise UserInputError(f"argument --posterior: {' '.join(str(exc).split())}") from None


def _n_draws(args) -> int:
    from ..analysis.propagation_bands import DEFAULT_DRAWS as library_default

    return args.draws if args.draws is not None else library_default


def _feedback(args, what: str):
    from ._progress import Feedback

    feedback = Feedback(quiet=getattr(args, "quiet", False))
    feedback.say(what)
    return feedback


def _band_header(result, n_draws_line: str, spec) -> list[str]:
    from ..propagation.solution import SolverSettings

    s = result.settings
    return [n_draws_line,
            (f"posterior: {s['posterior_file']} (sha256 {s['posterior_sha256']}), base model {s['posterior_base_model']}, "
            f"{s['posterior_n_samples']} samples of {', '.join(s['posterior_parameters'])}"),
            f"draws: {s['n_draws']} (seed {s['seed']}), sample indices {' '.join(map(str, s['draw_indices']))}",
            "band: median and central 68 % (lo68-hi68) and 95 % (lo95-hi95) intervals over the draws",
            grid_header(spec, SolverSettings.from_dict(s["solver"]))]


def _write(result, columns: dict, header: list[str], output: str | None) -> None:
    """The band table to ``output`` (``.ecsv``: the whole record, every draw) or standard output."""
    if output is not None and output.lower().endswith(".ecsv"):
        result.write(output)
        print(f"wrote {output}", file=sys.stderr)
    else:
        emit(csv_text(header, columns), output)


def posterior_limits(args, settings) -> int:
    """``pbh limits --posterior FILE``: the limits over the draws; ``settings`` the Transport."""
    from ..analysis.pbh_settings import DEFAULT_SIGMA
    from ..analysis.propagation_bands import pbh_limits_over_posterior

    posterior = read_posterior(args)
    n = _n_draws(args)
    masses = args.masses if args.mass is None else [args.mass]
    feedback = _feedback(args, f"positrons pbh limits: {min(n, posterior.n_samples)} draws of the posterior "
                         f"{args.posterior}, {len(masses)} masses; one energy response per draw (cached on disk)")
    try:
        result = pbh_limits_over_posterior(args.posterior, masses, n_draws=n, dataset=args.dataset,
                                           mass_function=args.mass_function, sigma=args.sigma or DEFAULT_SIGMA,
                                           background=args.background, phi_GV=args.phi, transport=settings,
                                           missing_errors=args.missing_errors,
                                           progress=feedback.callback("posterior draws"))
    except ValueError as exc:
        raise UserInputError(" ".join(str(exc).split())) from None
    finally:
        feedback.close()
    s = result.settings
    width = f" sigma = {s['sigma']:g}" if s["mass_function"] == "lognormal" else ""
    header = _band_header(result, f"upper limits (95 % C.L. or 2 sigma) on f_PBH over propagation-posterior draws: "
                          f"dataset {s['dataset']}, {s['mass_function']}{width}, background {s['background']}, "
                          f"phi = {s['phi_GV'] if s['phi_GV'] is not None else 'each draw'} GV", settings.grid_spec)
    header.append(f"data_points_used: {s['data_points_used']}; missing_errors: {s['missing_errors']}")
    b = result.band
    columns = {"M_g": result.masses_g, **{f"f_PBH_limit_{k}": b[k] for k in b}}
    _write(result, columns, header, args.output)
    if args.plot:
        save_figure(result.plot(), args.plot)
    return 0


def posterior_fraction(args, settings) -> int:
    """``fraction --posterior FILE``: the secondary e+ flux and fraction over the draws."""
    from ..analysis.propagation_bands import fraction_over_posterior

    posterior = read_posterior(args)
    n = _n_draws(args)
    feedback = _feedback(args, f"positrons fraction: {min(n, posterior.n_samples)} draws of the posterior "
                         f"{args.posterior}; one transport solve per draw (cached on disk)")
    try:
        result = fraction_over_posterior(args.posterior, n_draws=n, T=args.energies, xs_model=args.cross_section,
                                         transport=settings, progress=feedback.callback("posterior draws"))
    except ValueError as exc:
        raise UserInputError(" ".join(str(exc).split())) from None
    finally:
        feedback.close()
    header = _band_header(result, f"secondary positron fraction and e+ flux over propagation-posterior draws, cross "
                          f"sections {args.cross_section}, force field at each draw's phi", settings.grid_spec)
    header.append("E_GeV: kinetic energy; flux_positron: secondary e+ at Earth [m^-2 s^-1 sr^-1 GeV^-1]")
    fb, pb = result.fraction_band, result.positron_band
    columns = {"E_GeV": result.T, **{f"fraction_{k}": fb[k] for k in fb}, **{f"flux_positron_{k}": pb[k] for k in pb}}
    _write(result, columns, header, args.output)
    if args.plot:
        save_figure(result.plot(), args.plot)
    return 0
