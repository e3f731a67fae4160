"""``positrons propagate``: the local interstellar flux of a source through a propagation model.

Parses, builds the transport settings, calls :func:`positrons.analysis.local_spectra.local_spectrum`
and writes its result."""

from __future__ import annotations

from ._common import (UserInputError, add_grid_arguments, add_model_argument, add_output_arguments, add_quiet_argument,
                      check_full_secondary_route, cross_section_model, feedback, figure_file, grid_header, log_grid,
                      only_with, save_figure, transport, write_numbers)
from .pbh import MAX_SPECTRUM_ENERGY_GEV, present_day_mass, sigma_width


def _cmd_propagate(args) -> int:
    from ..analysis.local_spectra import local_spectrum
    from ..propagation.models import get_propagation_model

    if args.source == "primary":
        raise UserInputError("--source primary is not implemented yet (secondary and pbh are)")
    if args.species not in ("positron", "electron"):
        raise UserInputError(f"--source {args.source} makes positrons or electrons: use --species positron or electron")
    if args.source == "pbh":
        if args.mass is None:
            raise UserInputError("--source pbh needs --mass GRAMS (the central mass for a log-normal)")
        if args.mass_function == "lognormal" and args.sigma is None:
            raise UserInputError("--mass-function lognormal needs --sigma (width in ln M, e.g. 1)")
        if args.energies.max() > MAX_SPECTRUM_ENERGY_GEV:
            raise UserInputError(f"--source pbh: --energies must end at <= {MAX_SPECTRUM_ENERGY_GEV:g} GeV "
                                 "(the PBH secondaries are tabulated up to there)")
    if args.source == "secondary" and args.secondary_method == "full":
        check_full_secondary_route(args.cross_section)
    model = get_propagation_model(args.model)
    settings = transport(args, model)
    result = local_spectrum(model, args.source, args.species, args.energies, settings,
                            cross_section=args.cross_section, secondary_method=args.secondary_method,
                            mass_g=args.mass, mass_function=args.mass_function, sigma=args.sigma)
    first, last, n = result.transport_energies_GeV
    header = [
        f"local interstellar {args.species} flux at (R, z) = ({model.r_sun_kpc:g} kpc, 0) from {result.description}",
        f"propagation model {model.name}: {model.description}",
        grid_header(settings.grid_spec, settings.solver),
        f"transport energies {first:g}-{last:g} GeV ({n}); GMRES {result.iterations} iterations, "
        f"block residual {result.residual:.1e}",
        "E_kin_GeV: kinetic energy; flux in m^-2 s^-1 sr^-1 GeV^-1 (unmodulated)",
    ]
    write_numbers(result.to_table(), args, header)
    if args.plot:
        save_figure(result.plot(), args.plot)
    return 0


def add_commands(sub) -> None:
    """Register ``positrons propagate``."""
    p = sub.add_parser(
        "propagate",
        help="propagate a source through the Galaxy (2D diffusion model) to the local interstellar flux",
        description="Solve the steady-state 2D transport equation (diffusion, re-acceleration, convection, "
        "energy losses) for a source and print the local interstellar flux at the Sun (not solar-modulated).",
    )
    add_model_argument(p)
    p.add_argument("--source", choices=["secondary", "pbh", "primary"], default="secondary", help="the source (default secondary)")
    p.add_argument("--species", choices=["positron", "electron", "proton", "helium"], default="positron",
                   help="species to propagate (default positron)")
    p.add_argument("--cross-section", default="hybrid", type=cross_section_model,
                   help="production model for --source secondary (default hybrid)")
    p.add_argument("--secondary-method", choices=["full", "local-lis-shape"], default="full",
                   help="full: propagated p and He (normalised to AMS-02) through the production matrix in every cell; "
                   "local-lis-shape: the shipped local spectra everywhere, shaped by propagated 10 GeV protons")
    p.add_argument("--mass", type=present_day_mass, metavar="GRAMS",
                   help="PBH mass (central mass of a log-normal) [g], 5e14 to 1e18 g (--source pbh)")
    p.add_argument("--mass-function", choices=["monochromatic", "lognormal"], default="monochromatic",
                   help="PBH mass function (default monochromatic; lognormal needs --sigma)")
    p.add_argument("--sigma", type=sigma_width, metavar="S", help="log-normal width in ln M (--mass-function lognormal)")
    p.add_argument("--energies", type=log_grid("GeV"), default="0.001:1000:61", metavar="LO:HI:N",
                   help="kinetic energies [GeV], N log-spaced (default 0.001:1000:61)")
    add_grid_arguments(p)
    add_output_arguments(p)
    p.add_argument("--plot", type=figure_file, metavar="FILE.png", help="also draw E^3 x flux")
    add_quiet_argument(p)
    p.set_defaults(func=_cmd_propagate)
    only_with(p, ["--cross-section", "--secondary-method"], "with --source secondary", lambda a: a.source == "secondary")
    only_with(p, ["--mass", "--mass-function"], "with --source pbh", lambda a: a.source == "pbh")
    only_with(p, ["--sigma"], "with --source pbh --mass-function lognormal",
              lambda a: a.source == "pbh" and a.mass_function == "lognormal")
