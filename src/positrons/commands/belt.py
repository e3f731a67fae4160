"""``positrons belt``: trapped e+- of the inner radiation belt at shell L (Martin et al. 1995).

A thin layer over :mod:`positrons.magnetosphere`: pick the pion production (published
table or computed from trapped protons), the density (fixed or an MSIS drift-shell
average), the field (dipole or given) and the decay treatment; write the integral spectra
``E_GeV,I_pos_gt_E,I_ele_gt_E,I_pos_gt_E_synch,I_ele_gt_E_synch`` [m^-2 s^-1 sr^-1] and
the e+/e- ratio above a threshold.
"""

from __future__ import annotations

import argparse

from ._common import (UserInputError, add_output_arguments, add_quiet_argument, feedback, figure_file, input_file,
                      iso_date, log_grid, only_with, positive, real, save_figure, write_numbers)

#: densest gas a trapped particle can drift through [g cm^-3]: air at sea level (US Standard
#: Atmosphere 1976, 1.225e-3 g cm^-3)
MAX_DENSITY = 1.225e-3
#: outermost shell [Earth radii]: beyond ~10 R_E the dayside magnetopause (Shue et al. 1998,
#: JGR 103, 17691) cuts the dipole field lines, so no drift shell closes
MAX_SHELL = 10.0
#: strongest geomagnetic field [G]: ~0.66 G at the surface near the south magnetic pole (IGRF)
MAX_FIELD_GAUSS = 1.0

_density = real(0.0, MAX_DENSITY, lo_open=True, unit="g/cm^3", why="sea-level air is 1.225e-3 g/cm^3")
_shell = real(1.0, MAX_SHELL, why="a drift shell from the surface (L = 1) to inside the magnetopause (~10)")
_field = real(0.0, MAX_FIELD_GAUSS, lo_open=True, unit="G", why="the geomagnetic field is below 0.7 G everywhere")
#: MSIS inputs: daily F10.7 since 1947 lies within ~60-460 sfu; Ap is 0-400 by definition
_f107 = real(50.0, 500.0, unit="sfu", why="observed F10.7 lies within ~60-460 sfu")
_ap = real(0.0, 400.0, why="the Ap index runs from 0 to 400")

# The choices of the model options, written here so that ``positrons belt --help`` imports
# no physics; tests/test_cli_startup.py checks that they agree with positrons.magnetosphere.
#: --decay: magnetosphere.DECAY_MODELS
DECAY_MODELS = ("fixed-fractions", "exact")
#: --fraction-energy: magnetosphere.ENERGY_VARIABLES
ENERGY_VARIABLES = ("kinetic", "total")
#: --interpolation: magnetosphere.pion_source.INTERPOLATIONS
INTERPOLATIONS = ("bin-average", "pchip-cumulative")
#: --protons: magnetosphere.trapped_protons.PROTON_SOURCES
PROTON_SOURCES = ("table", "ap8-min", "ap8-max")

_DESCRIPTION = """\
Equilibrium trapped e+ and e- at the top (magnetic equator) of shell L, after Martin,
Gusev, Pugacheva & Silva Mello (1995): trapped protons make pions in the residual air
(production Q_pi per g cm^-2), the pions decay to e+-, which are trapped and lose energy by
ionisation, bremsstrahlung and synchrotron radiation:

  F(E) = P(>E) / (dE/dx),  dE/dx = 0.002 + 0.028 E + 3.86e-6 E^2 B^2/(rho c) GeV g^-1 cm^2
  I(>E) = Integral_E F dE'

(E the lepton kinetic energy in GeV, B in G: the equatorial field, or with --mirror-altitude
the bounce average of B^2 sin^2 alpha).

Output columns (E: lepton kinetic energy [GeV]; fluxes in m^-2 s^-1 sr^-1):
  E_GeV, I_pos_gt_E, I_ele_gt_E (no synchrotron loss), I_pos_gt_E_synch, I_ele_gt_E_synch.
A '#' line (csv, table) or meta.summary (json, ecsv) gives the e+/e- ratio above --threshold.
Details and the headline numbers: docs/belt.md.
"""


def _or_word(word: str, parse):
    """argparse type: ``word`` (returned as ``word``, or None for 'auto') or a value that ``parse`` accepts."""

    def either(text: str):
        if text.strip().lower() == word:
            return None if word == "auto" else word
        try:
            return parse(text)
        except argparse.ArgumentTypeError as exc:
            raise argparse.ArgumentTypeError(f"'{word}' or a number: {exc}") from None

    return either


#: --rho: a density [g cm^-3] in (0, MAX_DENSITY], or 'msis'
_rho = _or_word("msis", _density)
#: --B-gauss: a field [G] in (0, MAX_FIELD_GAUSS], or 'auto' (None: the dipole 0.312/L^3)
_b_gauss = _or_word("auto", _field)


def _energies(text: str):
    """--energies: LO:HI:N lepton energies [GeV] from the belt model's floor (0.1 MeV) on."""
    from ..magnetosphere import BeltModel

    return log_grid("GeV", BeltModel.E_floor, why="the lowest energy of the belt model")(text)


def _uses_msis(args) -> bool:
    return args.rho == "msis" or (args.pion_source == "computed" and args.composition == "msis")


def read_proton_file(path: str, L: float):
    """A trapped-proton integral spectrum from a CSV file with columns ``E_GeV,J_gt_E`` [GeV, m^-2 s^-1]."""
    import csv
    import io
    from pathlib import Path

    from ..magnetosphere import IntegralProtonSpectrum

    try:
        text = Path(path).read_text()
    except OSError as exc:
        raise UserInputError(f"cannot read {path}: {exc.strerror or exc}") from None
    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    if not rows or [h.strip() for h in rows[0]][:2] != ["E_GeV", "J_gt_E"]:
        raise UserInputError(f"{path}: the first row must be the header E_GeV,J_gt_E (GeV; m^-2 s^-1)")
    try:
        E = [float(r[0]) for r in rows[1:]]
        J = [float(r[1]) for r in rows[1:]]
    except (ValueError, IndexError):
        raise UserInputError(f"{path}: every row needs two numbers E_GeV,J_gt_E") from None
    try:
        return IntegralProtonSpectrum(tuple(E), tuple(J), L=L, description=f"trapped protons from {path}",
                                      E_max=max(10.0, 2 * max(E)) if E else 10.0)
    except ValueError as exc:
        raise UserInputError(f"{path}: {exc}") from None


def belt_settings(args):
    """The :class:`~positrons.analysis.belt.BeltSettings` of the parsed arguments."""
    from ..analysis.belt import BeltSettings

    protons = read_proton_file(args.protons_file, args.L) if args.protons_file else args.protons
    return BeltSettings(
        L=args.L, rho=args.rho, mirror_altitude_km=args.mirror_altitude, f107=args.f107, f107a=args.f107a,
        ap=args.ap, date=args.date, B_gauss=args.B_gauss, pion_source=args.pion_source, protons=protons,
        composition=args.composition, decay=args.decay, fraction_energy=args.fraction_energy,
        interpolation=args.interpolation, scale_height_km=args.scale_height, threshold=args.threshold,
    )


def _cmd_belt(args) -> int:
    from ..analysis.belt import belt_spectra

    steps = [s for s, on in (("the MSIS 2.1 drift-shell average", _uses_msis(args)),
                             ("the pion production from trapped protons", args.pion_source == "computed")) if on]
    if steps:
        feedback(args).say(f"positrons belt: L = {args.L:g}, {' and '.join(steps)} (a few seconds)")
    try:
        result = belt_spectra(belt_settings(args), args.energies)
    except ValueError as exc:
        raise UserInputError(str(exc)) from None
    write_numbers(result.to_table(), args, result.header_lines())
    if args.plot:
        save_figure(result.plot(), args.plot)
    return 0


def add_commands(sub) -> None:
    """Register ``positrons belt`` on the top-level subparsers."""
    p = sub.add_parser(
        "belt",
        help="trapped e+- of the inner radiation belt (Martin et al. 1995 and beyond)",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--L", type=_shell, default=1.2, help=f"McIlwain shell [Earth radii], 1 to {MAX_SHELL:g} (default 1.2)")
    p.add_argument("--rho", type=_rho, default=1e-18, metavar="G_PER_CM3|msis",
                   help="mean density along the drift path [g cm^-3], at most 1.225e-3 (default 1e-18, as Martin et al.), or 'msis' "
                   "for the MSIS 2.1 drift-shell average (needs pymsis)")
    p.add_argument("--mirror-altitude", type=positive(unit="km"), default=None, metavar="KM",
                   help="with msis: density and synchrotron field (bounce-averaged B^2 sin^2 alpha) for particles "
                   "mirroring at this altitude (default: at the equator)")
    p.add_argument("--f107", type=_f107, default=150.0, help="MSIS F10.7 of the previous day [sfu], 50 to 500 (default 150)")
    p.add_argument("--f107a", type=_f107, default=None, help="MSIS 81-day mean F10.7 [sfu] (default = --f107)")
    p.add_argument("--ap", type=_ap, default=4.0, help="MSIS daily Ap, 0 to 400 (default 4)")
    p.add_argument("--date", type=iso_date, default="2000-03-20T12:00", help="MSIS date and UT (default 2000-03-20T12:00)")
    p.add_argument("--B-gauss", dest="B_gauss", type=_b_gauss, default=None, metavar="G|auto",
                   help="field for the synchrotron loss [G], at most 1 (default auto: the dipole 0.312/L^3)")
    p.add_argument("--pion-source", choices=["table", "computed"], default="table",
                   help="pion production: the published L = 1.2 table (default) or computed from trapped protons")
    protons = p.add_mutually_exclusive_group()
    protons.add_argument("--protons", choices=PROTON_SOURCES, default="table",
                   help="trapped protons for --pion-source computed: the L = 1.2 table (default) or scaled with AP-8 "
                   "(needs spacepy)")
    protons.add_argument("--protons-file", type=input_file, metavar="FILE.csv",
                   help="trapped protons for --pion-source computed from a CSV file with columns E_GeV,J_gt_E "
                   "(omnidirectional integral flux, m^-2 s^-1; any L)")
    p.add_argument("--composition", choices=["air", "msis"], default="air",
                   help="targets for --pion-source computed: dry air (default) or the MSIS drift-shell composition")
    p.add_argument("--decay", choices=DECAY_MODELS, default="fixed-fractions",
                   help="pi -> mu -> e: Daniel & Stephens fixed fractions (default) or the exact kernel")
    p.add_argument("--fraction-energy", choices=ENERGY_VARIABLES, default="kinetic",
                   help="energy the fixed fractions act on (default kinetic, as printed)")
    p.add_argument("--interpolation", choices=INTERPOLATIONS, default="bin-average",
                   help="reading of the pion bins (default bin-average: piecewise constant)")
    p.add_argument("--scale-height", type=positive(unit="km"), default=None, metavar="KM",
                   help="H0 of the Daniel & Stephens decay factors (default: the high-altitude limit)")
    p.add_argument("--energies", type=_energies, default="0.005:0.25:41", metavar="LO:HI:N",
                   help="lepton kinetic energies [GeV], N log-spaced, LO >= 1e-4 (default 0.005:0.25:41)")
    p.add_argument("--threshold", type=positive(unit="GeV"), default=0.02, metavar="GEV",
                   help="energy above which the e+/e- ratio is given [GeV] (default 0.02)")
    add_output_arguments(p)
    p.add_argument("--plot", type=figure_file, metavar="FILE.png", help="also draw the usual figure")
    add_quiet_argument(p)
    p.set_defaults(func=_cmd_belt)
    only_with(p, ["--f107", "--f107a", "--ap", "--date", "--mirror-altitude"], "with --rho msis or --composition msis",
              _uses_msis)
    only_with(p, ["--protons", "--protons-file", "--composition"], "with --pion-source computed",
              lambda a: a.pion_source == "computed")
    only_with(p, ["--scale-height", "--fraction-energy"], "with --decay fixed-fractions",
              lambda a: a.decay == "fixed-fractions")
