"""``positrons propagate``: the local interstellar flux of a source through a propagation model."""

from __future__ import annotations

from ._common import (UserInputError, add_grid_arguments, add_model_argument, check_full_secondary_route,
                      cross_section_model, csv_text, emit, figure_file, grid_header, grid_spec, log_grid, only_with,
                      output_file, response_cache, save_figure)
from .pbh import MAX_SPECTRUM_ENERGY_GEV, present_day_mass, sigma_width


def _cmd_propagate(args) -> int:
    import numpy as np

    from ..analysis import galactic
    from ..propagation.diffusion2d import Propagator, SolverSettings
    from ..propagation.models import get_propagation_model
    from ..analysis.pbh_limits import PBH_RANGE_GEV

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
    spec = grid_spec(args, model)
    settings = SolverSettings()
    cache = response_cache(args)
    T_out = args.energies
    # the transport grid: the converged spacing over the requested energies, extended below
    # (PBH positrons down to their emission) and above (particles cool from higher energies;
    # PBH spectra are tabulated up to MAX_SPECTRUM_ENERGY_GEV)
    if args.source == "pbh":
        T = spec.energies(min(T_out[0] / 2, PBH_RANGE_GEV[0]), min(T_out[-1] * 10, MAX_SPECTRUM_ENERGY_GEV))
    else:
        T = spec.energies(T_out[0] / 2, T_out[-1] * 10)
    field = None
    if args.source == "secondary":
        if args.secondary_method == "full":
            field, fit_p, fit_he = galactic.secondary_source_field(
                model, args.species, T, xs_model=args.cross_section, grid_spec=spec, settings=settings, cache=cache)
            what = (f"secondary {args.species}s (cross sections {args.cross_section}; propagated p and He normalised "
                    f"to AMS-02: chi2/n = {fit_p.chi2 / fit_p.n_points:.1f}, {fit_he.chi2 / fit_he.n_points:.1f})")
        else:
            profile, spectrum = galactic.secondary_profile_and_spectrum(
                model, args.species, T, xs_model=args.cross_section, grid_spec=spec)
            what = (f"secondary {args.species}s (cross sections {args.cross_section}; CR spatial distribution from "
                    "propagated 10 GeV protons, spectra of the shipped LIS: approximation 'local-LIS-shape')")
    else:
        profile, spectrum = galactic.pbh_profile_and_spectrum(
            args.mass, args.species, T, mass_function=args.mass_function, sigma=args.sigma)
        width = f", log-normal sigma = {args.sigma:g}" if args.mass_function == "lognormal" else ""
        what = f"PBHs of {args.mass:g} g ({args.mass_function}{width}), f_PBH = 1, NFW halo"
    if field is not None:
        grid = spec.grid(model, T)
        solution = Propagator.for_species(model, grid, args.species, settings=settings, cache=cache).solve(field)
        flux_grid = solution.flux(model.r_sun_kpc)
    else:
        flux_grid, solution = galactic.local_flux(model, args.species, profile, spectrum, T, grid_spec=spec,
                                                  settings=settings, cache=cache)
    # log-log interpolation from the transport grid to the requested energies (0 where the
    # flux underflows)
    positive = flux_grid > 0
    flux = np.zeros_like(T_out)
    inside = (T_out >= T[positive].min()) & (T_out <= T[positive].max()) if positive.any() else np.zeros(T_out.shape, bool)
    flux[inside] = np.exp(np.interp(np.log(T_out[inside]), np.log(T[positive]), np.log(flux_grid[positive])))
    header = [
        f"local interstellar {args.species} flux at (R, z) = ({model.r_sun_kpc:g} kpc, 0) from {what}",
        f"propagation model {model.name}: {model.description}",
        grid_header(spec, settings),
        f"transport energies {T[0]:g}-{T[-1]:g} GeV ({T.size}); GMRES {solution.iterations} iterations, "
        f"block residual {solution.residual:.1e}",
        "E_kin_GeV: kinetic energy; flux in m^-2 s^-1 sr^-1 GeV^-1 (unmodulated)",
    ]
    T = T_out
    emit(csv_text(header, {"E_kin_GeV": T, "flux_per_GeV_m2_s_sr": flux}), args.output)
    if args.plot:
        from ..plotting.style import new_axes

        fig, ax = new_axes("kinetic energy $T$ [GeV]", r"$T^3\,\Phi$ [GeV$^2$ m$^{-2}$ s$^{-1}$ sr$^{-1}$]",
                           title=f"{args.source} {args.species}s, model {model.name} (LIS)")
        keep = flux > 0
        ax.plot(T[keep], (T**3 * flux)[keep], lw=2)
        save_figure(fig, args.plot)
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
    p.add_argument("--format", choices=["csv"], default="csv", help="output format (csv)")
    p.add_argument("--output", type=output_file, metavar="FILE", help="write the table to FILE")
    p.add_argument("--plot", type=figure_file, metavar="FILE.png", help="also draw E^3 x flux")
    p.set_defaults(func=_cmd_propagate)
    only_with(p, ["--cross-section", "--secondary-method"], "with --source secondary", lambda a: a.source == "secondary")
    only_with(p, ["--mass", "--mass-function"], "with --source pbh", lambda a: a.source == "pbh")
    only_with(p, ["--sigma"], "with --source pbh --mass-function lognormal",
              lambda a: a.source == "pbh" and a.mass_function == "lognormal")
