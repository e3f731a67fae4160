"""``positrons antiprotons``: secondary antiprotons (flux and p̄/p) of a propagation model against
AMS-02 and PAMELA (thin: parse, one call of :func:`positrons.analysis.antiprotons.antiproton_flux`,
write)."""

from __future__ import annotations

import argparse

from ._common import (
    UserInputError,
    add_grid_arguments,
    add_model_argument,
    add_output_arguments,
    add_quiet_argument,
    feedback,
    figure_file,
    save_figure,
    transport,
    write_numbers,
)

OUTPUT_COLUMNS = ("T_kin_GeV", "flux_LIS", "flux_TOA", "pbar_p_TOA")
XS_CHOICES = ("dimauro2014", "aafrag", "all")

_DESCRIPTION = """\
Secondary and tertiary antiprotons in the 2D model: protons and helium normalised to AMS-02,
production on H and He (di Mauro et al. 2014 parametrisation with a nuclear scaling, or
AAfrag through the optional package aafragpy), annihilation and non-annihilating collisions
(Tan & Ng 1983), ionisation losses, force-field modulation at the model's phi.
Output (--format table|csv|json|ecsv, default csv): T_kin_GeV,flux_LIS,flux_TOA,pbar_p_TOA (fluxes in m^-2 s^-1 sr^-1 GeV^-1) for
the first production model; with --xs all the band of the models is in extra columns
pbar_p_TOA_low,pbar_p_TOA_high.  chi2 against AMS-02 p̄/p and p̄ flux and PAMELA p̄ flux is
printed on standard error.
"""


def add_commands(sub) -> None:
    """Register ``positrons antiprotons``."""
    p = sub.add_parser("antiprotons", help="secondary antiprotons: flux and pbar/p against AMS-02 and PAMELA",
                       description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_model_argument(p)
    p.add_argument("--xs", choices=XS_CHOICES, default="all",
                   help="production model: dimauro2014, aafrag (needs aafragpy) or all (band; default)")
    add_output_arguments(p)
    p.add_argument("--plot", type=figure_file, metavar="FILE.png", help="also draw pbar/p with its band and the data")
    add_quiet_argument(p)
    add_grid_arguments(p)
    p.set_defaults(func=_cmd_antiprotons)


def _cmd_antiprotons(args) -> int:
    import sys

    from ..analysis._output import result_table
    from ..analysis.antiprotons import PBAR_MODELS, antiproton_flux
    from ..cross_sections.aafrag import aafrag_available
    from ..propagation.models import get_propagation_model

    if args.xs == "aafrag" and not aafrag_available():
        raise UserInputError("--xs aafrag needs the optional package aafragpy (pip install aafragpy)")
    xs = PBAR_MODELS if args.xs == "all" else (args.xs,)
    model = get_propagation_model(args.model)
    settings = transport(args, model)
    info = feedback(args)
    info.say(f"positrons antiprotons: protons and helium of {model.name} fitted to AMS-02, then secondary and "
             f"tertiary antiprotons with {', '.join(xs)} (2D transport solves), modulation and chi2 against the data")
    result = antiproton_flux(model, xs, settings, progress=info.callback("transport solves"))
    info.close()
    if not args.quiet:
        print(result.summary(), file=sys.stderr)
    first = result.xs[0]
    columns = {"T_kin_GeV": result.T, "flux_LIS": result.flux_lis[first], "flux_TOA": result.flux_toa[first],
               "pbar_p_TOA": result.pbar_p_toa[first]}
    if len(result.xs) > 1:
        columns["pbar_p_TOA_low"], columns["pbar_p_TOA_high"] = result.band
    flux_unit = "1 / (GeV m2 s sr)"
    table = result_table(columns, {"T_kin_GeV": "GeV", "flux_LIS": flux_unit, "flux_TOA": flux_unit},
                         result.settings(), f"secondary antiprotons, model {result.model}")
    header = [*(line.strip() for line in result.summary().splitlines()),
              "fluxes in m^-2 s^-1 sr^-1 GeV^-1 (kinetic energy of the antiproton), of the first production model"]
    write_numbers(table, args, header)
    if args.plot:
        save_figure(result.plot(), args.plot)
    return 0
