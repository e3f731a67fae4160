"""``positrons nuclei ratio NUM/DEN``: a secondary-to-primary ratio of the nuclear network
against the shipped measurements (thin: parse, one call of :func:`positrons.analysis.nuclei.nuclei_ratio`,
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

OUTPUT_COLUMNS = ("T_kin_GeV_per_n", "ratio_LIS", "ratio_TOA")

_DESCRIPTION = """\
Compute a ratio of cosmic-ray nuclei (B/C, B/O, Be/B, Be/C, Li/C, 10Be/9Be, or any
NUM/DEN of elements or isotopes from Li to Si) with the nuclear network in the 2D model:
fragmentation (Evoli et al. 2019 fits + Webber et al. 2003 tables, ghosts included),
inelastic losses (Tripathi et al. 1999), ionisation and Coulomb losses, decays (10Be, 14C,
26Al); force-field modulation at the model's phi.  Output (--format table|csv|json|ecsv,
default csv): T_kin_GeV_per_n,ratio_LIS,ratio_TOA; the chi2 against each shipped dataset of
the ratio is printed on standard error (and in the header: settings.comparisons).
"""


def _ratio(text: str) -> str:
    from ..analysis.nuclei import parse_ratio

    try:
        num, den = parse_ratio(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return f"{num}/{den}"


def add_commands(sub) -> None:
    """Register ``positrons nuclei ratio``."""
    p = sub.add_parser("nuclei", help="ratios of cosmic-ray nuclei (B/C, 10Be/9Be, ...) against data")
    nsub = p.add_subparsers(dest="nuclei_command", metavar="SUBCOMMAND", required=True)
    r = nsub.add_parser("ratio", help="one ratio of the nuclear network, with chi2 against the data",
                        description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("ratio", type=_ratio, metavar="NUM/DEN", help="e.g. B/C, B/O, Be/B, Li/C, Be/C, 10Be/9Be")
    add_model_argument(r)
    r.add_argument("--fit-abundances", action="store_true",
                   help="fit the C, N, O(+heavier) source abundances to the AMS-02 C, N, O fluxes first "
                   "(three network solves instead of one)")
    add_output_arguments(r)
    r.add_argument("--plot", type=figure_file, metavar="FILE.png", help="also draw the ratio with the data")
    add_quiet_argument(r)
    add_grid_arguments(r)
    r.set_defaults(func=_cmd_ratio)


def _cmd_ratio(args) -> int:
    import sys

    from ..analysis._output import result_table
    from ..analysis.nuclei import fit_source_abundances, nuclei_ratio
    from ..propagation.models import get_propagation_model
    from ..propagation.network import NetworkSettings

    model = get_propagation_model(args.model)
    settings = transport(args, model)
    info = feedback(args)
    n = len(NetworkSettings().isotopes)
    info.say(f"positrons nuclei ratio {args.ratio}: the nuclear network ({n} isotopes, Li-Si) in the 2D model "
             f"{model.name}" + (", three times for the abundance fit" if args.fit_abundances else "")
             + ", then force-field modulation and chi2 against the data")
    network, fit_line = None, None
    if args.fit_abundances:
        fit = fit_source_abundances(model, settings, progress=info.callback("abundance fit (isotopes)"))
        network, fit_line = fit.network, fit.summary()
        if not args.quiet:
            print(fit_line, file=sys.stderr)
    try:
        result = nuclei_ratio(args.ratio, model, settings, network=network,
                              progress=info.callback("network (isotopes)"))
    except ValueError as exc:
        raise UserInputError(str(exc)) from None
    info.close()
    if not args.quiet:
        print(result.summary(), file=sys.stderr)
    table = result_table({"T_kin_GeV_per_n": result.T_n, "ratio_LIS": result.ratio_lis, "ratio_TOA": result.ratio_toa},
                         {"T_kin_GeV_per_n": "GeV"},
                         {**result.settings(), **({"abundance_fit": fit_line} if fit_line else {})},
                         f"{result.ratio} of the nuclear network, model {result.model}")
    header = [*(line.strip() for line in result.summary().splitlines()),
              "T_kin_GeV_per_n: kinetic energy per nucleon [GeV/n]; ratio_LIS, ratio_TOA: interstellar and "
              "modulated ratio", *([fit_line] if fit_line else [])]
    write_numbers(table, args, header)
    if args.plot:
        save_figure(result.plot(), args.plot)
    return 0
