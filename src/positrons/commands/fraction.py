"""``positrons fraction``: the predicted positron fraction against the measurements."""

from __future__ import annotations

from ._common import UserInputError, add_grid_arguments, add_model_argument, csv_text, emit, parse_energy_grid, save_figure


def _cmd_fraction(args) -> int:
    from ..fraction import secondary_fraction

    if args.source != "secondary":
        raise UserInputError(f"--source {args.source} is not implemented yet (secondary is)")
    T = parse_energy_grid(args.energies)
    pred = secondary_fraction(args.model, T, xs_model=args.cross_section, dR_kpc=args.dR, dz_kpc=args.dz)
    header = [
        f"positron fraction, model {pred.model}, secondary production only (cross sections {args.cross_section}), "
        f"force field phi = {pred.phi_GV:g} GV",
        "secondaries from propagated p and He normalised to AMS-02; primary electrons normalised to AMS-02 e-",
        "E_GeV: kinetic energy; fluxes at Earth in m^-2 s^-1 sr^-1 GeV^-1",
    ]
    emit(csv_text(header, {"E_GeV": pred.T, "fraction": pred.fraction, "fraction_secondary": pred.fraction,
                           "flux_positron": pred.positrons, "flux_electron": pred.electrons}), args.output)
    if args.plot:
        from ..plotting.data import plot_quantity

        fig = plot_quantity("fraction")
        ax = fig.axes[0]
        ax.plot(pred.T, pred.fraction, color="k", lw=2.2, label=f"secondary only ({pred.model})", zorder=10)
        ax.legend(fontsize=9)
        save_figure(fig, args.plot)
    return 0


def add_commands(sub) -> None:
    """Register ``positrons fraction``."""
    p = sub.add_parser(
        "fraction",
        help="the predicted positron fraction (secondary production), with the data",
        description="Positron fraction e+/(e+ + e-) at Earth predicted by a propagation model with secondary "
        "production only: it falls with energy, while PAMELA, Fermi-LAT and AMS-02 see it rise above ~10 GeV.",
    )
    add_model_argument(p)
    p.add_argument("--source", choices=["secondary", "pulsars", "dm"], default="secondary",
                   help="primary positron source (only secondary so far)")
    p.add_argument("--cross-section", default="hybrid", help="production model (default hybrid)")
    p.add_argument("--energies", default="0.5:1000:40", metavar="LO:HI:N", help="energies [GeV] (default 0.5:1000:40)")
    add_grid_arguments(p)
    p.add_argument("--format", choices=["csv"], default="csv")
    p.add_argument("--output", metavar="FILE", help="write the table to FILE")
    p.add_argument("--plot", metavar="FILE.png", help="draw the prediction over every shipped fraction measurement")
    p.set_defaults(func=_cmd_fraction)
