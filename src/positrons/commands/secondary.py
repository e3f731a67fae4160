"""``positrons secondary ...``: production cross sections and the local secondary source."""

from __future__ import annotations

import argparse

from ._common import (
    UserInputError,
    add_output_arguments,
    add_quiet_argument,
    cross_section_model,
    feedback,
    figure_file,
    log_grid,
    non_negative,
    output_directory,
    positive,
    save_figure,
    write_numbers,
)

_SPECIES = ("positron", "electron")


def _cmd_cross_section(args) -> int:
    from ..analysis.secondary_spectra import compare_cross_sections, cross_section_spectrum
    from ..cross_sections import available_models

    try:
        result = cross_section_spectrum(args.model, args.projectile_energy, args.energies, args.species, args.reaction)
    except ValueError as exc:
        raise UserInputError(str(exc)) from None
    write_numbers(result.to_table(), args, result.header_lines())
    if args.plot:
        names = [m for m in available_models() if m != "hybrid"]
        info = feedback(args)
        info.say(f"positrons secondary cross-section: the figure draws {len(names)} models (chain: a few seconds "
                 "the first time)")
        try:
            comparison = compare_cross_sections(names, args.projectile_energy, args.species, args.reaction,
                                                progress=info.callback("cross-section models"))
        finally:
            info.close()
        save_figure(comparison.plot(), args.plot)
    return 0


def _cmd_source(args) -> int:
    from ..analysis.secondary_spectra import SOURCE_FIGURE_MODELS, compare_sources, secondary_source

    info = feedback(args)
    info.say(f"positrons secondary source: {args.species} source term of {args.model} on {len(args.energies)} energies "
             "(the production integral over the p and He spectra at each energy)"
             + (f", then {len(SOURCE_FIGURE_MODELS)} models for the figure" if args.plot else ""))
    result = secondary_source(args.model, args.species, args.energies, n_H=args.n_h, he_to_h=args.he_to_h)
    write_numbers(result.to_table(), args, result.header_lines())
    if args.plot:
        from ..plotting.secondary import plot_sources

        try:
            T_e, curves = compare_sources(SOURCE_FIGURE_MODELS, args.species, args.energies, n_H=args.n_h,
                                          progress=info.callback("source terms of the figure's models"))
        finally:
            info.close()
        save_figure(plot_sources(T_e, curves, args.species, args.n_h), args.plot)
    return 0


def _cmd_fetch_orusa(args) -> int:
    from ..cross_sections.orusa2022 import ENV_VAR, fetch_tables

    bands = ("best_fit", "upper_band", "lower_band") if args.bands else ("best_fit",)
    import shlex
    from pathlib import Path

    source = {} if args.base_url is None else {"base_url": args.base_url}  # default: the authors' repository
    for path in fetch_tables(args.directory, bands=bands, **source):
        print(f"wrote {path}")
    print(f"use them with: export {ENV_VAR}={shlex.quote(str(Path(args.directory).resolve()))}")
    return 0


def _base_url(text: str) -> str:
    """--base-url: an http(s)/file URL or an existing local directory."""
    from pathlib import Path

    if not (text.startswith(("http://", "https://", "file://")) or Path(text).is_dir()):
        raise argparse.ArgumentTypeError(f"not an http(s):// or file:// URL nor a directory: {text!r}")
    return text


def add_commands(sub) -> None:
    """Register ``positrons secondary`` and its subcommands."""
    from ._common import Parser

    group = sub.add_parser(
        "secondary",
        help="secondary e+- production: cross sections and the local source term",
        description="Secondary e+- from cosmic-ray protons and helium on interstellar H and He.",
    )
    group_sub = group.add_subparsers(dest="secondary_command", metavar="SUBCOMMAND", parser_class=Parser, required=True)

    models = "chain, kamae2006, kelner2006, hybrid, orusa2022 (needs its tables: $POSITRONS_ORUSA2022_DIR)"
    p = group_sub.add_parser(
        "cross-section",
        help="dsigma/dE of one model at one projectile energy",
        description="Differential production cross section dsigma/dE [mb/GeV] per projectile nucleus. "
        "Models: " + models + " ('positrons secondary cross-section --help').",
    )
    p.add_argument("--model", default="kamae2006", type=cross_section_model,
                   help=f"cross-section model ({models}); default kamae2006")
    p.add_argument("--projectile-energy", type=positive(unit="GeV/n"), required=True, metavar="T_GeV",
                   help="projectile kinetic energy per nucleon [GeV/n]")
    p.add_argument("--species", choices=_SPECIES, default="positron", help="lepton (default positron)")
    p.add_argument("--reaction", choices=["pp", "pHe", "Hep", "HeHe"], default="pp",
                   help="projectile and target (default pp)")
    p.add_argument("--energies", type=log_grid("GeV"), default="0.001:1000:61", metavar="LO:HI:N",
                   help="lepton kinetic energies [GeV], N log-spaced (default 0.001:1000:61); those above the "
                   "projectile energy are left out")
    add_output_arguments(p)
    p.add_argument("--plot", type=figure_file, metavar="FILE.png", help="also draw every model at this projectile energy")
    add_quiet_argument(p)
    p.set_defaults(func=_cmd_cross_section)

    p = group_sub.add_parser(
        "source",
        help="local secondary source term q(E) from the shipped proton and helium LIS",
        description="q(E) [GeV^-1 cm^-3 s^-1] = sum over CR (p, He) and gas (H, He) of n 4 pi Int Phi dsigma/dE, "
        "with the shipped local interstellar spectra.",
    )
    p.add_argument("--model", default="hybrid", type=cross_section_model, help=f"cross-section model ({models}); default hybrid")
    p.add_argument("--species", choices=_SPECIES, default="positron", help="lepton (default positron)")
    p.add_argument("--n-h", type=non_negative(unit="cm^-3"), default=1.0, metavar="N_H",
                   help="hydrogen density [cm^-3] (default 1)")
    p.add_argument("--he-to-h", type=non_negative(), default=0.1, metavar="RATIO",
                   help="helium-to-hydrogen number ratio of the gas (default 0.1)")
    p.add_argument("--energies", type=log_grid("GeV"), default="0.001:1000:61", metavar="LO:HI:N",
                   help="lepton kinetic energies [GeV], N log-spaced (default 0.001:1000:61)")
    add_output_arguments(p)
    p.add_argument("--plot", type=figure_file, metavar="FILE.png", help="also draw the source term of every model")
    add_quiet_argument(p)
    p.set_defaults(func=_cmd_source)

    p = group_sub.add_parser(
        "fetch-orusa2022",
        help="download the published tables of Orusa et al. (2022) for the orusa2022 model",
        description="Download the e+ and e- tables of Orusa et al. (2022), PRD 105, 123021, with the authors' "
        "README, into DIRECTORY and check their layout; then set POSITRONS_ORUSA2022_DIR=DIRECTORY.",
    )
    p.add_argument("directory", type=output_directory, metavar="DIRECTORY", help="where to put the tables")
    p.add_argument("--bands", action="store_true", help="also the upper and lower 1-sigma bands")
    p.add_argument("--base-url", type=_base_url, default=None, metavar="URL",
                   help="where the files are: a URL (default: the authors' repository on GitHub, "
                   "lucaorusa/positron_electron_cross_section) or a local directory")
    p.set_defaults(func=_cmd_fetch_orusa)
