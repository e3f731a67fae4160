"""``positrons modulate``: the top-of-atmosphere spectrum of a LIS file, with the phi band.

A thin layer over :mod:`positrons.analysis.lis_modulation`: take ``phi`` from ``--phi`` (or
the published value for ``--dataset``), read and modulate the LIS table with the force field
or the Parker solver (the diffusion coefficient whose force-field equivalent is ``phi``),
write ``E_kin_GeV,flux_TOA,flux_TOA_low,flux_TOA_high`` on the input energies.
"""

from __future__ import annotations

import argparse
import sys

from ._common import (UserInputError, add_output_arguments, add_quiet_argument, dataset_id, feedback, figure_file,
                      input_file, real, save_figure, write_numbers)

#: --phi, --delta-phi: a force-field potential [GV]
phi_potential = real(0.0, 5.0, unit="GV", why="a force-field potential, typically 0.3-1 GV")
#: --species: the names of :data:`positrons.kinematics.SPECIES`, written here so that
#: ``positrons modulate --help`` imports no physics (tests/test_cli_startup.py checks they agree)
SPECIES_NAMES = ("electron", "positron", "proton", "antiproton", "helium", "muon-", "muon+", "pion-", "pion+")

_DESCRIPTION = """\
Modulate a local interstellar spectrum (LIS) to the top of the atmosphere (TOA).

Input FILE.csv (or - for standard input): a header row with the columns E_kin_GeV,flux,
or E_kin_GeV,flux_per_GeV_m2_s_sr as 'positrons propagate' writes them (other columns are
ignored; lines starting with '#' are comments); the output of 'positrons propagate' in any
--format (csv, table, json, ecsv) is read unchanged, e.g.
  positrons propagate --source pbh --mass 2e16 | positrons modulate --lis - --phi 0.55 --species positron
  E_kin_GeV is the kinetic energy of the
whole particle in GeV (for nuclei: of the nucleus, not per nucleon), strictly increasing
and > 0; flux is the LIS per unit kinetic energy, > 0, in any unit (e.g.
m^-2 s^-1 sr^-1 GeV^-1): the output has the same unit.

Output (same energies as the input; --format csv, table, json or ecsv, with '#' header
lines giving the settings): E_kin_GeV,flux_TOA,flux_TOA_low,flux_TOA_high.
flux_TOA is the spectrum for phi; the band flux_TOA_low/high is the pointwise
minimum/maximum of the spectra for phi - delta_phi (at least 0), phi and phi + delta_phi.

Methods:
  force-field  Gleeson & Axford (1968): Phi_TOA(T) = Phi_LIS(T + |Z|phi)
               T(T+2m)/((T+|Z|phi)(T+|Z|phi+2m)).  Above the last LIS point the LIS is
               continued as the power law through the last two points.
  parker       1D steady-state Parker equation (diffusion, solar wind 400 km/s,
               adiabatic losses; LIS at the heliopause, 120 AU), evaluated at 1 AU, with
               kappa = (beta/3) K0 (R/1 GV)(1 + r/1 AU) and K0 chosen so that
               phi = Integral_1AU^120AU V/(3 kappa_1) dr (its force-field equivalent).

phi comes from --phi (GV) or, with --dataset ID, from the published value for that
dataset's data-taking period (positrons.heliosphere.phi_table; 0 for Voyager data).
"""


def _lis_source(lis: str) -> tuple[str, str | None]:
    """(name, text) of ``--lis``: a file (text read by the library) or ``-`` (standard input)."""
    return ("<stdin>", sys.stdin.read()) if lis == "-" else (lis, None)


def _lis_file(text: str) -> str:
    """argparse type of ``--lis``: a readable file, or ``-`` for standard input."""
    return text if text == "-" else input_file(text)


def _cmd_modulate(args) -> int:
    from ..analysis.lis_modulation import modulate_lis_file
    from ..heliosphere.phi_table import explain_phi

    if args.method == "drift":
        return _cmd_modulate_drift(args)
    if args.period is not None:
        raise UserInputError("--period goes with --method drift")
    if args.phi is None and args.dataset is None:
        raise UserInputError("give the modulation potential with --phi (GV) or take it from a dataset with --dataset ID")
    choice = explain_phi(args.dataset, args.phi)
    if choice.source != "user":
        print(f"positrons modulate: phi = {choice.phi:g} GV ({choice.note})", file=sys.stderr)
    try:
        path, text = _lis_source(args.lis)
        result = modulate_lis_file(path, args.species, choice, args.delta_phi, args.method, text=text)
    except ValueError as exc:
        raise UserInputError(str(exc)) from None
    _write(result, args)
    if args.plot:
        save_figure(result.plot(), args.plot)
    return 0


def _cmd_modulate_drift(args) -> int:
    """``--method drift --period NAME|FILE.toml``: the 2D model with drifts, no phi band."""
    from ..analysis.lis_modulation import modulate_lis_drift_file

    if args.period is None:
        raise UserInputError("--method drift needs --period NAME or FILE.toml (shipped: ams02_2011_2018, pamela_2006_2009)")
    info = feedback(args)
    info.say(f"positrons modulate: {args.species} LIS through the 2D heliosphere with drifts, period {args.period} "
             "(one 2D solve; takes a few seconds)")
    try:
        path, text = _lis_source(args.lis)
        result = modulate_lis_drift_file(path, args.species, args.period, text=text)
    except ValueError as exc:
        raise UserInputError(str(exc)) from None
    _write(result, args)
    if args.plot:
        save_figure(result.plot(), args.plot)
    return 0


def _write(result, args) -> None:
    """The TOA columns of ``result`` (the LIS itself is the input) in the format of ``--format``."""
    table = result.to_table()
    table.remove_column("flux_LIS")
    band = "" if result.phi is None else f"; band: phi -/+ {result.delta_phi:g} GV (pointwise min/max)"
    header = [f"{result.species} LIS {args.lis} modulated to the top of the atmosphere ({result.method}{band})",
              f"phi: {result.phi_note}" if result.phi is not None else f"period {args.period}",
              "E_kin_GeV: kinetic energy per particle; flux_TOA*: in the unit of the input LIS"]
    write_numbers(table, args, header)


def add_commands(sub) -> None:
    """Register ``positrons modulate`` on the top-level subparsers."""
    p = sub.add_parser(
        "modulate",
        help="modulate a LIS to the top of the atmosphere (force field or Parker), with the phi band",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,  # keep the formulas' line breaks
    )
    p.add_argument("--lis", required=True, type=_lis_file, metavar="FILE.csv", help="LIS table with columns E_kin_GeV,flux (kinetic energy per particle [GeV], flux per GeV), e.g. the output of 'positrons propagate' unchanged; - reads standard input")
    p.add_argument("--species", default="positron", choices=list(SPECIES_NAMES), help="particle species (sets mass and |Z|; default: positron)")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--phi", type=phi_potential, metavar="GV", help="force-field modulation potential phi in GV, 0 to 5 (e.g. 0.55); the energy shift is |Z| phi per particle")
    source.add_argument("--dataset", type=dataset_id(), metavar="ID", help="take phi from the published value for this dataset's data-taking period (instead of --phi)")
    p.add_argument("--delta-phi", type=phi_potential, default=0.1, metavar="GV", help="half-width of the phi band in GV, 0 to 5 (default: 0.1)")
    p.add_argument("--method", choices=["force-field", "parker", "drift"], default="force-field", help="modulation model (default: force-field); drift: 2D model with charge-sign-dependent drifts, needs --period")
    p.add_argument("--period", metavar="NAME|FILE.toml", help="with --method drift: a shipped parameter set (ams02_2011_2018, pamela_2006_2009) or a TOML file with the same keys")
    add_output_arguments(p)
    p.add_argument("--plot", type=figure_file, metavar="FILE.png", help="also draw the LIS, the TOA spectrum and its band (log axes)")
    add_quiet_argument(p)
    p.set_defaults(func=_cmd_modulate)
