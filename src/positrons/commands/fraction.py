"""``positrons fraction``: the predicted positron fraction, a primary source, fits to the data."""

from __future__ import annotations

import json

from ._common import (UserInputError, add_grid_arguments, add_model_argument, check_full_secondary_route,
                      cross_section_model, csv_text, dataset_id, emit, figure_file, log_grid, only_with,
                      output_file, positive, real, save_figure, transport)
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

    if args.format == "json" and not args.fit:
        raise UserInputError("--format json reports a fit: give --fit DATASET")
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


def _component(args, settings):
    """The primary source of ``--source`` (None for secondary only); ``settings`` the Transport."""
    from ..analysis import fraction_fit as ff

    if args.source == "pulsars":
        from ..propagation.pulsars import LocalTransport
        from ..sources.pulsars import get_pulsar

        pulsars = tuple(get_pulsar(n) for n in args.pulsar or DEFAULT_PULSARS)
        return ff.PulsarComponent(pulsars, LocalTransport.from_model(args.model), tau0_yr=args.tau0)
    if args.source == "dm":
        try:
            return ff.dark_matter_component(args.model, args.dm_mass, args.channel, args.process,
                                            transport=settings)
        except ValueError as err:
            raise UserInputError(str(err)) from None
    return None


def _cmd_fraction(args) -> int:
    import numpy as np

    from ..analysis.fraction import secondary_lis
    from ..analysis import fraction_fit as ff

    _check_inputs(args)
    if args.posterior:  # the secondary flux and fraction over the draws of a propagation posterior
        from ._posterior import posterior_fraction

        return posterior_fraction(args, transport(args))
    T = args.energies
    from ..propagation.models import get_propagation_model

    settings = transport(args, get_propagation_model(args.model))
    secondary = secondary_lis(args.model, xs_model=args.cross_section, transport=settings)
    component = _component(args, settings)
    fit = None
    if args.fit:
        try:
            fit = ff.fit_fraction(secondary, component, dataset=args.fit, energy_min=args.energy_min,
                                  energy_max=args.energy_max)
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
        pred = ff.predict_fraction(secondary, component, values, T)

    source = "secondary production only" if component is None else component.describe()
    header = [
        f"positron fraction, model {pred.model}, cross sections {args.cross_section}, force field phi = {pred.phi_GV:g} GV",
        f"primary source: {source}",
        "secondaries from propagated p and He normalised to AMS-02; primary electrons normalised to AMS-02 e-",
        "E_GeV: kinetic energy; fluxes at Earth in m^-2 s^-1 sr^-1 GeV^-1 (flux_primary_pair: each charge)",
    ]
    if fit is not None:
        header.append(f"fit to {fit.dataset} above {fit.energy_range_GeV[0]:g} GeV: chi2/ndof = {fit.chi2:.2f}/{fit.ndof}; "
                      + ", ".join(f"{k} = {v:.4g} +- {fit.errors[k]:.2g}" for k, v in fit.values.items()))
    if args.format == "json":
        emit(json.dumps(fit.to_dict() | {"model": pred.model, "phi_GV": pred.phi_GV,
                                         "cross_sections": args.cross_section}, indent=2) + "\n", args.output)
    else:
        pairs = pred.primary_pairs if pred.primary_pairs is not None else np.zeros_like(pred.T)
        emit(csv_text(header, {"E_GeV": pred.T, "fraction": pred.fraction, "fraction_secondary": pred.fraction_secondary,
                               "flux_positron": pred.positrons, "flux_electron": pred.electrons,
                               "flux_primary_pair": pairs}), args.output)
    if args.plot:
        save_figure(pred.plot(label=source, fit=fit), args.plot)
    return 0


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
    p.add_argument("--format", choices=["csv", "json"], default="csv", help="csv table, or json fit summary (with --fit)")
    p.add_argument("--output", type=output_file, metavar="FILE", help="write the table to FILE")
    p.add_argument("--plot", type=figure_file, metavar="FILE.png", nargs="?", const=DEFAULT_PLOT,
                   help="draw the prediction over every shipped fraction measurement into FILE.png "
                        f"(default {DEFAULT_PLOT}; 'positrons data plot fraction' writes the data alone to "
                        "data_fraction.png)")
    add_posterior_arguments(p, "the secondary e+ flux and fraction")
    p.set_defaults(func=_cmd_fraction)
    only_with(p, ["--source"], "without --posterior, or as --source secondary (the band is of the secondary prediction)",
              lambda a: a.posterior is None or a.source == "secondary")
    only_with(p, ["--fit"], "without --posterior (the band is of the secondary prediction)", lambda a: a.posterior is None)
    only_with(p, ["--pulsar", "--efficiency", "--tau0"], "with --source pulsars", lambda a: a.source == "pulsars")
    only_with(p, ["--dm-mass", "--channel", "--process", "--sigma-v"], "with --source dm", lambda a: a.source == "dm")
    only_with(p, ["--efficiency", "--sigma-v"], "without --fit (the fit determines it)", lambda a: a.fit is None)
    only_with(p, ["--energy-min", "--energy-max"], "with --fit", lambda a: a.fit is not None)
