"""``positrons fraction``: the predicted positron fraction, a primary source, fits to the data."""

from __future__ import annotations


from ._common import (add_grid_arguments, add_model_argument, add_output_arguments, add_quiet_argument, check_full_secondary_route, cross_section_model, dataset_id, feedback, figure_file, grid_header, log_grid, only_with, positive, real, save_figure, transport, UserInputError, write_numbers)
from ._posterior import add_posterior_arguments

DEFAULT_PULSARS = ("geminga", "monogem")
#: the image written by a bare ``--plot`` (``data plot fraction`` writes data_fraction.png)
DEFAULT_PLOT = "fraction_prediction.png"


def _energies(text: str):
    """argparse type: LO:HI:N energies [GeV] inside the transport grid of positrons.analysis.fraction."""
    from ..analysis.fraction import TRANSPORT_RANGE_GEV

    return log_grid("GeV", *TRANSPORT_RANGE_GEV, why="the transport grid")(text)


def _pulsar(text: str) -> str:
    """argparse type: a pulsar of the shipped catalogue."""
    import argparse

    from ..sources.pulsars import get_pulsar

    try:
        get_pulsar(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err).replace(" (or build a Pulsar yourself)", "")) from None
    return text


def _check_inputs(args) -> None:
    """Checks that need several options, made before the transport runs."""
    from .. import constants as const
    from ..analysis.fraction import TRANSPORT_RANGE_GEV

    check_full_secondary_route(args.cross_section)
    if args.pulsar and len(set(args.pulsar)) < len(args.pulsar):
        raise UserInputError(f"--pulsar names a pulsar twice ({', '.join(args.pulsar)}): it would be counted twice")
    if args.fit:
        from ..data import load
        from ..stats.likelihood import Chi2

        if args.energy_max is not None and args.energy_max <= args.energy_min:
            raise UserInputError(f"--energy-max ({args.energy_max:g} GeV) must exceed --energy-min ({args.energy_min:g} GeV)")
        if Chi2(load(args.fit), args.energy_min, args.energy_max).n_points == 0:
            top = f"{args.energy_max:g}" if args.energy_max is not None else "inf"
            raise UserInputError(f"{args.fit} has no point between --energy-min {args.energy_min:g} and "
                                 f"--energy-max {top} GeV")
    if args.source == "dm":
        lepton = const.m_muon if args.channel == "mumu" else const.m_electron
        energy = args.dm_mass if args.process == "annihilation" else args.dm_mass / 2.0
        top = TRANSPORT_RANGE_GEV[1]
        if not lepton < energy <= top:
            factor = "" if args.process == "annihilation" else "2 x "
            raise UserInputError(f"--dm-mass must lie between {factor}{lepton:.4g} GeV (the {args.channel} threshold) and "
                                 f"{factor}{top:g} GeV (the top of the transport grid) for {args.process}")


def _component(args, settings, info=None):
    """The primary source of ``--source`` (None for secondary only); ``settings`` the Transport;
    ``info`` the run's Feedback (a progress bar over the dark-matter response)."""
    from ..analysis import fraction_fit as ff

    if args.source == "pulsars":
        from ..propagation.pulsars import LocalTransport
        from ..sources.pulsars import get_pulsar

        pulsars = tuple(get_pulsar(n) for n in args.pulsar or DEFAULT_PULSARS)
        return ff.PulsarComponent(pulsars, LocalTransport.from_model(args.model), tau0_yr=args.tau0)
    if args.source == "dm":
        try:
            return ff.dark_matter_component(args.model, args.dm_mass, args.channel, args.process,
                                            transport=settings, progress=None if info is None else
                                            info.callback("dark-matter response (adjoint solves)"))
        except ValueError as err:
            raise UserInputError(str(err)) from None
    return None


def _cmd_fraction(args) -> int:
    from ..analysis.fraction import secondary_lis
    from ..analysis import fraction_fit as ff

    _check_inputs(args)
    if args.posterior:  # the secondary flux and fraction over the draws of a propagation posterior
        from ._posterior import posterior_fraction

        return posterior_fraction(args, transport(args))
    T = args.energies
    from ..propagation.models import get_propagation_model

    settings = transport(args, get_propagation_model(args.model))
    modulation = None
    if args.modulation == "drift":
        from ..heliosphere.drift_modulation import DriftModulation

        if args.period is None:
            raise UserInputError("--modulation drift needs --period NAME or FILE.toml (shipped: ams02_2011_2018, "
                                 "pamela_2006_2009)")
        try:
            modulation = DriftModulation(args.period)
        except ValueError as err:
            raise UserInputError(str(err)) from None
    info = feedback(args)
    info.say(_summary(args))
    try:
        secondary = secondary_lis(args.model, xs_model=args.cross_section, transport=settings,
                                  progress=info.callback("secondary e+, e- and primary e- (transport solves)"))
        component = _component(args, settings, info)
        fit = None
        if args.fit:
            try:
                fit = ff.fit_fraction(secondary, component, dataset=args.fit, energy_min=args.energy_min,
                                      energy_max=args.energy_max, modulation=modulation,
                                      progress=info.callback(f"fit to {args.fit}"))
            except (ValueError, KeyError) as err:
                raise UserInputError(str(err).strip("'\"")) from None
            pred = fit.prediction(T)
        else:
            values = {p.name: p.start for p in ff.SECONDARY_PARAMETERS}
            if component is not None:
                values |= {p.name: p.start for p in component.parameters}
                if args.source == "pulsars":
                    values["efficiency"] = args.efficiency
                elif args.sigma_v is not None:
                    values[component.parameters[0].name] = args.sigma_v / 1e-26
            pred = ff.predict_fraction(secondary, component, values, T, modulation=modulation)
    finally:
        info.close()

    source = "secondary production only" if component is None else component.describe()
    header = [
        f"positron fraction, model {pred.model}, cross sections {args.cross_section}, "
        + (f"force field phi = {pred.phi_GV:g} GV" if modulation is None else f"drift model, period {args.period}"),
        f"primary source: {source}",
        "secondaries from propagated p and He normalised to AMS-02; primary electrons normalised to AMS-02 e-",
        "E_kin_GeV: kinetic energy; fluxes at Earth in m^-2 s^-1 sr^-1 GeV^-1 (flux_primary_pair_*: each charge)",
        grid_header(settings.grid_spec, settings.solver),
    ]
    table = pred.to_table()
    table.meta.update({"source": source, **settings.settings()})
    if fit is not None:
        header.append(f"fit to {fit.dataset} above {fit.energy_range_GeV[0]:g} GeV: chi2/ndof = {fit.chi2:.2f}/{fit.ndof}; "
                      + ", ".join(f"{k} = {v:.4g} +- {fit.errors[k]:.2g}" for k, v in fit.values.items()))
        table.meta["fit"] = fit.to_dict()
    write_numbers(table, args, header)
    if args.plot:
        save_figure(pred.plot(label=source, fit=fit), args.plot)
    return 0


def _summary(args) -> str:
    """The one line said before the work: what is computed, and what takes the time."""
    source = {"secondary": "secondary production only", "pulsars": f"pulsars {', '.join(args.pulsar or DEFAULT_PULSARS)}",
              "dm": f"dark matter {args.dm_mass:g} GeV {args.channel} {args.process}"}[args.source]
    steps = ["three transport solves (secondary e+ and e-, primary e-; cached on disk)"]
    if args.source == "dm":
        steps.append("the dark-matter response (one adjoint solve per energy; cached)")
    if args.fit:
        steps.append(f"a fit to {args.fit}")
    return f"positrons fraction: model {args.model}, {source}: " + ", then ".join(steps)


def add_commands(sub) -> None:
    """Register ``positrons fraction``."""
    p = sub.add_parser(
        "fraction",
        help="the positron fraction: secondary prediction, pulsars, dark matter, fits to the data",
        description="Positron fraction e+/(e+ + e-) at Earth: secondary production alone falls with energy, "
        "while PAMELA, Fermi-LAT and AMS-02 see it rise above ~10 GeV; add nearby pulsars or dark matter and "
        "fit them (with a free normalisation and tilt of the secondary positrons) to a fraction dataset.",
    )
    add_model_argument(p)
    p.add_argument("--source", choices=["secondary", "pulsars", "dm"], default="secondary",
                   help="primary e+- source (default: secondary production only)")
    p.add_argument("--pulsar", action="append", metavar="NAME", type=_pulsar,
                   help="a catalogue pulsar (repeat; default geminga and monogem): geminga, monogem, vela, crab, ...")
    p.add_argument("--efficiency", type=real(0.0, 1.0, lo_open=True, why="the fraction of the spin-down energy in e+-"),
                   default=0.1, help="pulsar e+- efficiency, 0 < eta <= 1, without --fit (default 0.1)")
    p.add_argument("--tau0", type=positive(unit="yr"), default=1e4, help="pulsar spin-down time [yr] (default 1e4)")
    p.add_argument("--dm-mass", type=positive(unit="GeV"), default=1000.0,
                   help="dark-matter mass [GeV] (default 1000; its leptons must lie inside the 0.1-1e4 GeV transport grid)")
    p.add_argument("--channel", choices=["ee", "mumu"], default="mumu", help="dark-matter channel (default mumu)")
    p.add_argument("--process", choices=["annihilation", "decay"], default="annihilation",
                   help="dark-matter annihilation (default) or decay")
    p.add_argument("--sigma-v", type=positive(unit="cm^3/s (or 1/s)"), default=None,
                   help="<sigma v> [cm^3/s] (or 1/tau [1/s] for decay) without --fit (default 1e-25 / 1e-26)")
    p.add_argument("--fit", metavar="DATASET", type=dataset_id("fraction", ("positron",)),
                   help="fit to a fraction dataset, e.g. ams02_positron_fraction_prl2019")
    p.add_argument("--energy-min", type=positive(unit="GeV"), default=10.0, help="lowest fitted energy [GeV] (default 10)")
    p.add_argument("--energy-max", type=positive(unit="GeV"), default=None, help="highest fitted energy [GeV]")
    p.add_argument("--cross-section", default="hybrid", type=cross_section_model, help="production model (default hybrid)")
    p.add_argument("--energies", type=_energies, default="0.5:1000:40", metavar="LO:HI:N",
                   help="kinetic energies [GeV], within 0.1-1e4 GeV (default 0.5:1000:40)")
    add_grid_arguments(p)
    p.add_argument("--modulation", choices=["force-field", "drift"], default="force-field",
                   help="solar modulation (default: the force field at the model's phi); drift: the 2D model with "
                        "charge-sign-dependent drifts, needs --period")
    p.add_argument("--period", metavar="NAME|FILE.toml",
                   help="with --modulation drift: a shipped parameter set (ams02_2011_2018, pamela_2006_2009) or a "
                        "TOML file with the same keys")
    add_output_arguments(p)
    add_quiet_argument(p)
    p.add_argument("--plot", type=figure_file, metavar="FILE.png", nargs="?", const=DEFAULT_PLOT,
                   help="draw the prediction over every shipped fraction measurement into FILE.png "
                        f"(default {DEFAULT_PLOT}; 'positrons data plot fraction' writes the data alone to "
                        "data_fraction.png)")
    add_posterior_arguments(p, "the secondary e+ flux and fraction")
    p.set_defaults(func=_cmd_fraction)
    only_with(p, ["--source"], "without --posterior, or as --source secondary (the band is of the secondary prediction)",
              lambda a: a.posterior is None or a.source == "secondary")
    only_with(p, ["--fit"], "without --posterior (the band is of the secondary prediction)", lambda a: a.posterior is None)
    only_with(p, ["--modulation", "--period", "--format"], "without --posterior (the band is written as CSV, or ECSV with --output)",
              lambda a: a.posterior is None)
    only_with(p, ["--pulsar", "--efficiency", "--tau0"], "with --source pulsars", lambda a: a.source == "pulsars")
    only_with(p, ["--dm-mass", "--channel", "--process", "--sigma-v"], "with --source dm", lambda a: a.source == "dm")
    only_with(p, ["--efficiency", "--sigma-v"], "without --fit (the fit determines it)", lambda a: a.fit is None)
    only_with(p, ["--energy-min", "--energy-max"], "with --fit", lambda a: a.fit is not None)
    only_with(p, ["--period"], "with --modulation drift", lambda a: a.modulation == "drift")
