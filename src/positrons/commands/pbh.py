"""``positrons pbh ...``: Hawking emission of primordial black holes (spectra, lifetime).

* ``pbh spectrum`` -- e+, e- or photon spectrum of one hole (monochromatic) or of a
  log-normal population (per gram of PBHs), primary, secondary and total, as CSV or a table;
  ``--plot`` draws the usual figure (monochromatic 5e14, 1e16, 5e16 g; log-normal widths 0.5,
  1, 2 at M_c = 1e16 g) with the requested spectrum added.
* ``pbh lifetime`` -- temperature, mass-loss rate, lifetime, and the mass that evaporates in
  the age of the Universe.

The physics is in :mod:`positrons.sources.pbh`; this module parses, calls it and writes.
"""

from __future__ import annotations

import argparse
import math
import sys
from typing import TYPE_CHECKING

from ..analysis.pbh_settings import BACKGROUNDS, DEFAULT_DATASET, LIMIT_DATASETS, MASS_FUNCTIONS
from ._common import (add_grid_arguments, add_model_argument, add_output_arguments, add_quiet_argument, checked, dataset_id, figure_file, log_grid, only_with, output_directory, output_file, output_format, OUTPUT_FORMATS, Parser, real, save_figure, UserInputError, write_numbers)
from ._posterior import add_posterior_arguments

if TYPE_CHECKING:  # annotations only: numpy is imported where it is used, so --help stays light
    import numpy as np

_PARTICLES = ("positron", "electron", "photon")
_CONTENTS = ("standard", "blackhawk", "massless", "page1976")
_DEFAULT_ENERGIES = "1e-5:10:200"

#: heaviest hole of ``pbh spectrum`` and ``pbh lifetime`` [g]: the lifetime (~ M^3) stays far
#: inside double precision (it would overflow near 1e111 g)
MAX_HOLE_MASS_G = 1e100
#: widest log-normal [in ln M]: the mass quadrature spans +-6 sigma, i.e. +-26 decades at
#: sigma = 10, and leaves double precision near sigma = 20 (published limits use sigma <~ 3)
MAX_SIGMA = 10.0
#: top of the decay tables of positrons.sources.pbh.secondaries [GeV]: secondaries are zero above
MAX_SPECTRUM_ENERGY_GEV = 1e3


def planck_mass_g() -> float:
    """Planck mass sqrt(hbar c / G) [g] = sqrt(8 pi T(1 g) / (1 g c^2)): the lightest black hole
    for which Hawking's semiclassical emission is defined."""
    from .. import constants as const
    from ..sources.pbh import emission

    return math.sqrt(8.0 * math.pi * emission.hawking_temperature(1.0) / const.gram_in_GeV)


def qcd_mass_g() -> float:
    """Mass [g] of a hole at T = 0.2 GeV (:func:`positrons.analysis.pbh_spectra.qcd_mass_g`): the
    lightest single hole ``pbh spectrum`` accepts."""
    from ..analysis.pbh_spectra import qcd_mass_g as mass

    return mass()


def hole_mass(text: str) -> float:
    """argparse type: a black-hole mass [g] from the Planck mass to MAX_HOLE_MASS_G."""
    return real(planck_mass_g(), MAX_HOLE_MASS_G, unit="g",
                why="from the Planck mass, below which Hawking emission is undefined")(text)


def _present_day_reason() -> str:
    from ..sources.pbh.mass_functions import M_MIN_DEFAULT, MAX_PRESENT_DAY_MASS_G

    return (f"PBHs lighter than {M_MIN_DEFAULT:g} g have evaporated by today; heavier than "
            f"{MAX_PRESENT_DAY_MASS_G:g} g, they are too cold (T < m_e/48) to emit e+-")


def present_day_mass(text: str) -> float:
    """argparse type: the mass [g] of PBHs that shine in e+- today: 5e14 to 1e18 g."""
    from ..sources.pbh.mass_functions import M_MIN_DEFAULT, MAX_PRESENT_DAY_MASS_G

    return real(M_MIN_DEFAULT, MAX_PRESENT_DAY_MASS_G, unit="g", why=_present_day_reason())(text)


def present_day_masses(text: str) -> np.ndarray:
    """argparse type: LO:HI:N present-day masses [g] (see :func:`present_day_mass`)."""
    from ..sources.pbh.mass_functions import M_MIN_DEFAULT, MAX_PRESENT_DAY_MASS_G

    return log_grid("g", M_MIN_DEFAULT, MAX_PRESENT_DAY_MASS_G, min_points=1, why=_present_day_reason())(text)


#: argparse type: a log-normal width sigma (in ln M)
sigma_width = real(0.0, MAX_SIGMA, lo_open=True, why="the width in ln M")

#: argparse type: a force-field potential [GV]; the monthly reconstructions since 1936 (Usoskin,
#: Bazilevskaya & Kovaltsov 2011, JGR 116, A02104) stay well below 2 GV, so 5 GV also catches a
#: value typed in MV
phi_potential = real(0.0, 5.0, unit="GV", why="a force-field potential, typically 0.3-1 GV")


def scheduler_address(text: str) -> str:
    """argparse type of --scheduler: 'none', 'local' or a dask address (tcp://host:port, ...)."""
    import argparse

    from ..analysis.dask_scans import dask_available

    if text != "none":
        if text != "local" and not text.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
            raise argparse.ArgumentTypeError(f"must be none, local or a dask address like tcp://host:8786, got {text!r}")
        if not dask_available():
            raise argparse.ArgumentTypeError(f"{text!r} needs dask.distributed (pip install 'positrons[scan]'); "
                                             "or use --scheduler none")
    return text


_energy_grid = log_grid("GeV", hi=MAX_SPECTRUM_ENERGY_GEV, min_points=1,
                        why="the secondaries are tabulated up to there")


def _mass_function(args):
    """None for one black hole (monochromatic: per hole, any mass), else the log-normal population."""
    from ..sources.pbh.mass_functions import M_MIN_DEFAULT, LogNormal

    if args.mass_function == "monochromatic":
        if args.mass < qcd_mass_g():
            raise UserInputError(
                f"--mass must be >= {qcd_mass_g():.3g} g for one black hole: a lighter hole is hotter than "
                "0.2 GeV and emits quark and gluon jets, which are not modelled (a log-normal population is "
                f"truncated at {_grams(M_MIN_DEFAULT)} g and may be centred lower)")
        return None
    if args.sigma is None:
        raise UserInputError("--mass-function lognormal needs --sigma (width in ln M, e.g. 1)")
    try:
        return LogNormal(args.mass, args.sigma)
    except ValueError as exc:
        raise UserInputError(str(exc)) from None


def _grams(mass: float) -> str:
    """A mass [g] as the option texts write it (5e14, 1e18)."""
    return f"{mass:g}".replace("e+", "e")


def _cmd_spectrum(args) -> int:
    from ..analysis.pbh_spectra import pbh_spectrum

    mass_function = _mass_function(args)
    energies = args.energies if args.energies is not None else _energy_grid(_DEFAULT_ENERGIES)
    result = pbh_spectrum(args.particle, energies, args.mass, mass_function, args.content)
    if args.output or not args.plot:
        write_numbers(result.to_table(), args, result.header())
    if args.plot:
        save_figure(result.figure(), args.plot)
    return 0


def _cmd_lifetime(args) -> int:
    from ..analysis.pbh_spectra import pbh_lifetime

    result = pbh_lifetime(args.mass, args.content)
    if output_format(args) == "summary":
        from ._common import emit

        emit(result.summary(), args.output)
    else:
        write_numbers(result.to_table(), args, result.summary().splitlines())
    return 0


_LIMITS_HEADER = [
    "no background: largest f for which no data point is exceeded by more than 2 sigma (Boudaud & Cirelli 2019); "
    "secondary: profiled Delta chi^2 = 3.84 over A (T/GeV)^delta x propagated secondaries",
    "M_g: PBH mass (central mass for a log-normal) [g]; driving_point_E_GeV: the data point that sets the limit",
]


def _limits_header(result, width: str, band_note: list, spec) -> list[str]:
    """The '#' lines of a limits table: the settings of ``result``, the method, the data rule."""
    from ..propagation.solution import SolverSettings
    from ._common import grid_header

    return [
        f"upper limits (95 % C.L. or 2 sigma) on f_PBH: model {result.model}, dataset {result.dataset}, "
        f"{result.mass_function}{width}, background {result.background}, phi = {result.phi_GV:g} GV",
        *_LIMITS_HEADER, *band_note,
        f"missing_errors: {result.missing_errors} (data points without a published error: 'assume' uses the error "
        "the dataset declares, 'skip' leaves them out)",
        f"data_points_used: {result.data_points_used}",
        f"data_points_assumed_error: {result.data_points_assumed_error}",
        grid_header(spec, SolverSettings.from_dict(result.solver)),
    ]


def _limits_masses(args) -> np.ndarray:
    import numpy as np
    return np.array([args.mass]) if args.mass is not None else args.masses


def _local_interstellar(dataset: str) -> bool:
    """True for data taken beyond the heliopause (Voyager 1), compared unmodulated."""
    from ..data import load

    return "local_interstellar" in load(dataset).flags


def _cmd_limits(args) -> int:
    from ..analysis.pbh_settings import DEFAULT_SIGMA
    from ..analysis.scans import run_band_scan
    from ._common import transport
    from ._progress import Feedback

    model = _checked_limits_options(args)
    if args.all:
        return _all_limit_figures(args, args.scheduler or _default_scheduler())
    if args.posterior:  # limits over the draws of a propagation posterior
        from ._posterior import posterior_limits

        return posterior_limits(args, transport(args))
    ecsv = args.output is not None and args.output.endswith(".ecsv")
    settings = transport(args, model)
    masses = _limits_masses(args)
    feedback = Feedback(quiet=args.quiet)
    feedback.say(f"positrons pbh limits: model {args.model}, {args.dataset}, {len(masses)} masses; the energy response "
                 "is built once per model and grid (cached on disk), then each mass takes a fraction of a second")
    try:
        band = run_band_scan(args.model, masses, args.output if ecsv else None, phi_GV=args.phi,
                             band=args.phi_band, dataset=args.dataset, mass_function=args.mass_function,
                             sigma=args.sigma or DEFAULT_SIGMA, background=args.background, transport=settings,
                             missing_errors=args.missing_errors,
                             response_progress=feedback.callback("energy response (adjoint solves)"),
                             progress=feedback.callback("limits, one per mass"))
    except ValueError as exc:
        raise UserInputError(str(exc)) from None
    finally:
        feedback.close()
    band = _requested_masses(band, masses)
    width = f" sigma = {args.sigma:g}" if args.mass_function == "lognormal" else ""
    header, columns = _limits_table(args, band, width, settings.grid_spec)
    table = band.central.to_table()
    for name, values in columns.items():
        if name not in table.colnames:
            table[name] = values
    if ecsv:
        print(f"wrote {args.output}" + (" (and the phi -/+ 0.1 GV scans next to it)" if band.modulated else ""),
              file=sys.stderr)
        write_numbers(table, argparse.Namespace(format=args.format or "csv", output=None), header)
    else:
        write_numbers(table, args, header)
    if args.plot:
        save_figure(_limits_figure(args, band.central, columns, width), args.plot)
    return 0


def _requested_masses(band, masses):
    """``band`` restricted to the masses asked for: a resumed scan file (and each of its phi-band
    files) may hold other masses from earlier runs, so the printed rows are matched by mass."""
    import dataclasses

    import numpy as np

    def pick(scan):
        return scan.take(np.array([np.isclose(m, masses, rtol=1e-9, atol=0).any() for m in scan.masses_g], dtype=bool))

    return dataclasses.replace(band, central=pick(band.central), low=pick(band.low), high=pick(band.high))


def _checked_limits_options(args):
    """The propagation model of ``pbh limits`` (None with --all), after the checks argparse cannot make."""
    from ..analysis.pbh_settings import DPHI_GV
    from ..propagation.models import get_propagation_model

    if args.all and not args.output:
        raise UserInputError("--all needs --output DIR")
    if args.output is not None:  # first: a directory for --all, else a file
        checked("--output", output_directory if args.all else output_file, args.output)
    if args.mass_function == "lognormal" and args.sigma is None:
        raise UserInputError("--mass-function lognormal needs --sigma (width in ln M, e.g. 1)")
    if args.all:
        return None
    model = get_propagation_model(args.model)
    phi = args.phi if args.phi is not None else model.phi_GV
    if args.phi_band and not _local_interstellar(args.dataset) and phi < DPHI_GV:
        raise UserInputError(f"--phi-band needs phi >= {DPHI_GV:g} GV (the band reaches phi - {DPHI_GV:g} GV), "
                             f"got phi = {phi:g} GV")
    return model


def _limits_table(args, band, width: str, grid_spec) -> tuple[list[str], dict]:
    """The '#' header and the columns of the limits table (with the phi band if asked); warns on
    standard error when the background fit behind a limit is poor."""
    import numpy as np
    from ..analysis.pbh_settings import DPHI_GV

    result, columns, band_note = band.central, band.central.columns(), []
    if args.phi_band:
        band_note = [f"phi band: f_PBH_limit at phi -/+ {DPHI_GV:g} GV"] if band.modulated else \
            ["phi band: none -- local interstellar data (Voyager 1) are compared unmodulated"]
        columns.update({f"f_PBH_limit_phi_minus_{DPHI_GV:g}": band.low.f_limit,
                        f"f_PBH_limit_phi_plus_{DPHI_GV:g}": band.high.f_limit})
    header = _limits_header(result, width, band_note, grid_spec)
    if result.fit_p_value is not None:
        header.append(f"background fit: chi2_min_per_ndof with ndof = {result.fit_ndof} (points - 3: f_PBH, A, delta); "
                      "fit_p_value = P(chi2 >= chi2_min)")
        poor = np.asarray(result.fit_p_value) < 0.01
        if poor.any():
            print(f"positrons: warning: the background fit behind {int(poor.sum())} of {poor.size} limits is poor "
                  f"(p < 0.01; chi2_min/ndof up to {np.nanmax(result.chi2_min) / result.fit_ndof:.1f}): those limits "
                  "rest on a model the data reject (see docs/pbh_limits.md)", file=sys.stderr)
    return header, columns


def _limits_figure(args, result, columns: dict, width: str):
    """f_PBH(M) (with the phi band if asked) for --plot."""
    from ..analysis.pbh_settings import DPHI_GV
    from ..plotting.limits import DATASET_LABELS, LimitCurve, method_note, plot_limit_curves

    band = dict(f_low=columns[f"f_PBH_limit_phi_minus_{DPHI_GV:g}"], f_high=columns[f"f_PBH_limit_phi_plus_{DPHI_GV:g}"]) \
        if args.phi_band else {}
    label = DATASET_LABELS.get(result.dataset, result.dataset) + (r" ($\phi \pm 0.1$ GV)" if band else "")
    return plot_limit_curves([LimitCurve(label, result.masses_g, result.f_limit, **band)],
                             title=f"{result.model}, {result.mass_function}{width}, background: {result.background}",
                             note=method_note(result.background))


def _default_scheduler() -> str:
    from ..analysis.dask_scans import default_scheduler

    return default_scheduler()


#: ``--quick``: the masses and the coarse grid of a fast ``--all``
QUICK = {"masses": "5e14:1e17:6", "dR": 2.0, "dz": 0.2, "dz_max": 0.5, "energy_points_per_decade": 8}


def _all_limit_figures(args, scheduler: str) -> int:
    """Every figure of docs/pbh_limits.md into the directory ``--output``, scans saved as ECSV there
    (:func:`positrons.analysis.pbh_campaign.limit_figure_campaign`)."""
    from ..analysis.pbh_campaign import campaign_jobs, limit_figure_campaign
    from ._common import transport
    from ._progress import Feedback

    if args.quick:
        args.masses, args.dR, args.dz = present_day_masses(QUICK["masses"]), QUICK["dR"], QUICK["dz"]
        args.dz_max, args.energy_points_per_decade = QUICK["dz_max"], QUICK["energy_points_per_decade"]
    masses = _limits_masses(args)
    settings = transport(args)
    spec = settings.grid_spec
    info = Feedback(quiet=args.quiet)
    info.say(f"positrons pbh limits --all: {len(campaign_jobs())} scans of {len(masses)} masses on the {spec.dR_kpc:g} x "
             f"{spec.dz_kpc:g}-{spec.dz_max_kpc:g} kpc grid, {spec.energy_points_per_decade:g} energies per decade, "
             f"scheduler {scheduler}")
    bar = info.callback("limit scans")
    try:
        campaign = limit_figure_campaign(masses, settings, scheduler=scheduler,
                                         progress=None if bar is None else (lambda done, total, _what: bar(done, total)),
                                         grid_note_suffix=" (--quick: coarse)" if args.quick else "")
    except (ImportError, ValueError) as exc:
        raise UserInputError(str(exc)) from None
    finally:
        info.close()
    campaign.write(args.output, on_figure=lambda path: print(f"wrote {path}", file=sys.stderr))
    return 0


def add_commands(sub) -> None:
    """Register ``positrons pbh`` and its subcommands on the top-level subparsers."""
    pbh = sub.add_parser("pbh", help="Hawking emission of primordial black holes: spectra and lifetimes")
    pbh_sub = pbh.add_subparsers(dest="pbh_command", metavar="SUBCOMMAND", parser_class=Parser, required=True)

    p = pbh_sub.add_parser(
        "spectrum",
        help="e+, e- or photon spectrum of a black hole or of a log-normal population",
        description=(
            "Primary (Hawking) and secondary (mu, pi decays; pi0 for photons) spectra per unit kinetic "
            "energy. With --mass-function monochromatic (default) the spectrum is PER BLACK HOLE of mass "
            "--mass [GeV^-1 s^-1]; with --mass-function lognormal it is PER GRAM OF PBHs (per unit rho_PBH) "
            "[GeV^-1 s^-1 g^-1] for a log-normal of centre --mass and width --sigma truncated at 5e14 g. "
            "The '#' header lines of the output say which."
        ),
    )
    p.add_argument("--mass", required=True, type=hole_mass, metavar="GRAMS",
                   help="black-hole mass, or the centre M_c of the log-normal [g]; one hole: >= 5.3e13 g (T <= 0.2 GeV)")
    p.add_argument("--mass-function", choices=["monochromatic", "lognormal"], default="monochromatic",
                   help="monochromatic: per black hole; lognormal: per gram of PBHs (default: monochromatic)")
    p.add_argument("--sigma", type=sigma_width, metavar="S", help=f"log-normal width (in ln M), 0 < S <= {MAX_SIGMA:g}")
    p.add_argument("--particle", choices=_PARTICLES, default="positron", help="emitted particle (default: positron)")
    p.add_argument("--energies", type=_energy_grid, metavar="LO:HI:N",
                   help=f"N log-spaced kinetic energies from LO to HI GeV, HI <= {MAX_SPECTRUM_ENERGY_GEV:g} GeV "
                   f"(default: {_DEFAULT_ENERGIES})")
    p.add_argument("--content", choices=_CONTENTS, default="standard",
                   help="particle content emitted (sets the secondaries; default: standard = gamma, nu, graviton, e, mu, pi)")
    add_output_arguments(p)
    p.add_argument("--plot", type=figure_file, metavar="FILE.png",
                   help="draw the usual figure (5e14, 1e16, 5e16 g; log-normal sigma 0.5, 1, 2 at 1e16 g) with this "
                   "spectrum added; the numbers are then written only with --output")
    p.set_defaults(func=_cmd_spectrum)
    only_with(p, ["--sigma"], "with --mass-function lognormal", lambda a: a.mass_function == "lognormal")
    only_with(p, ["--format"], "to the numbers, written with --output or without --plot",
              lambda a: a.output is not None or a.plot is None)

    p = pbh_sub.add_parser(
        "lifetime",
        help="temperature, mass-loss rate and lifetime of a black hole",
        description="Hawking temperature, -dM/dt, lifetime of a black hole of mass --mass, and the mass that "
        "evaporates in the age of the Universe, for the chosen particle content.",
    )
    p.add_argument("--mass", required=True, type=hole_mass, metavar="GRAMS",
                   help="black-hole mass [g], from the Planck mass (2.2e-5 g) to 1e100 g")
    p.add_argument("--content", choices=_CONTENTS, default="standard", help="particle content emitted (default: standard)")
    add_output_arguments(p, default="summary", formats=("summary", *OUTPUT_FORMATS))
    p.set_defaults(func=_cmd_lifetime)

    p = pbh_sub.add_parser(
        "limits",
        help="upper limits on the PBH fraction of dark matter from e+- data",
        description="Propagate PBH positrons through a Galactic model (2D solver, one energy response per model), "
        "modulate them (force field; none for Voyager), and derive the largest f_PBH allowed by the data, without "
        "background (2 sigma) or with a fitted secondary background (profiled Delta chi^2 = 3.84).",
    )
    add_model_argument(p)
    masses = p.add_mutually_exclusive_group()
    masses.add_argument("--mass", type=present_day_mass, metavar="GRAMS", help="one PBH mass [g], 5e14 to 1e18 g")
    add_quiet_argument(p)
    p.add_argument("--missing-errors", choices=["assume", "skip"], default="assume",
                   help="data points without a published error (4 of Voyager 1's 9): 'assume' the error the dataset "
                   "declares (10 %% for Voyager 1, flagged in its metadata; default) or 'skip' them")
    masses.add_argument("--masses", type=present_day_masses, default="5e14:1e17:30", metavar="LO:HI:N",
                        help="N log-spaced masses [g] within 5e14-1e18 g (default 5e14:1e17:30)")
    p.add_argument("--mass-function", choices=list(MASS_FUNCTIONS), default="monochromatic",
                   help="PBH mass function (default monochromatic; lognormal needs --sigma)")
    p.add_argument("--sigma", type=sigma_width, metavar="S", help=f"log-normal width (in ln M), 0 < S <= {MAX_SIGMA:g}")
    p.add_argument("--dataset", default=DEFAULT_DATASET,
                   type=dataset_id("flux", ("positron", "electron+positron")),
                   help=f"{LIMIT_DATASETS[0]} (default, 0.5-5.2 GeV), {', '.join(LIMIT_DATASETS[1:])}")
    p.add_argument("--background", choices=list(BACKGROUNDS), default="none",
                   help="none (default) or a fitted secondary-positron background")
    p.add_argument("--phi", type=phi_potential, metavar="GV",
                   help="force-field potential [GV], 0 to 5 (default: the model's; not for Voyager 1, compared unmodulated)")
    add_grid_arguments(p)
    add_output_arguments(p, output_type=str, output_help=(
        "write the table to FILE (its directory must exist); FILE.ecsv: a self-describing scan (settings, version, "
        "date) that is resumed if it exists (masses already in it are not recomputed; written atomically after each "
        "mass), the table then printed on standard output in --format (default csv); with --all: the directory for "
        "the figures and scans"))
    p.add_argument("--plot", type=figure_file, metavar="FILE.png", help="draw f_PBH(M)")
    p.add_argument("--phi-band", action="store_true",
                   help="also the limits at phi -/+ 0.1 GV (force-field uncertainty); none for Voyager 1, which is "
                   "compared unmodulated")
    p.add_argument("--scheduler", type=scheduler_address, metavar="ADDRESS|none|local",
                   help="where the scans of --all run: 'none' (serially here), 'local' (dask LocalCluster, 2 "
                   "processes x 1 thread) or a dask scheduler address tcp://host:port. Default: local if "
                   "dask.distributed is installed, else none. A single scan runs in this process")
    p.add_argument("--all", action="store_true",
                   help="every figure of docs/pbh_limits.md (limits per model and dataset with the phi band, log-normal "
                   "widths, with/without background, the flux at the limit) and their scans (ECSV) into --output DIR; uses "
                   "--masses, the grid options (or --quick) and --scheduler, not --model, --dataset, --mass-function, "
                   "--background, --phi")
    p.add_argument("--quick", action="store_true",
                   help=f"with --all: coarse grid (masses {QUICK['masses']}, dR {QUICK['dR']:g} kpc, dz {QUICK['dz']:g} "
                   f"to {QUICK['dz_max']:g} kpc, {QUICK['energy_points_per_decade']} energies per decade)")
    add_posterior_arguments(p, "the limits")
    p.set_defaults(func=_cmd_limits)
    only_with(p, ["--posterior", "--draws"], "without --all", lambda a: not a.all)
    only_with(p, ["--phi-band", "--format"], "without --posterior (the band is written as CSV, or ECSV with --output)",
              lambda a: a.posterior is None)
    only_with(p, ["--sigma"], "with --mass-function lognormal", lambda a: a.mass_function == "lognormal")
    only_with(p, ["--model", "--dataset", "--mass-function", "--sigma", "--background", "--phi", "--phi-band", "--plot",
               "--missing-errors", "--format"],
              "without --all (--all makes every figure of every model and dataset)", lambda a: not a.all)
    only_with(p, ["--scheduler", "--quick"], "with --all (a single scan runs in this process)", lambda a: a.all)
    only_with(p, ["--mass", "--masses", "--dR", "--dz", "--dz-max", "--energy-points-per-decade"],
              "without --quick (--quick sets the masses and the grid)",
              lambda a: not a.quick)
    only_with(p, ["--phi"], "with modulated data (Voyager 1 is compared unmodulated)",
              lambda a: not _local_interstellar(a.dataset))
