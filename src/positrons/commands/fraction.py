"""``positrons fraction``: the predicted positron fraction, a primary source, fits to the data."""

from __future__ import annotations

import json

from ._common import (UserInputError, add_grid_arguments, add_model_argument, csv_text, emit, grid_spec,
                      parse_energy_grid, positive, response_cache, save_figure)

DEFAULT_PULSARS = ("geminga", "monogem")


def _component(args, secondary):
    """The primary source of ``--source`` (None for secondary only)."""
    from ..stats import fraction_fit as ff

    if args.source == "pulsars":
        from ..sources.pulsars import LocalTransport, get_pulsar

        names = tuple(args.pulsar or DEFAULT_PULSARS)
        try:
            pulsars = tuple(get_pulsar(n) for n in names)
        except ValueError as err:
            raise UserInputError(str(err)) from None
        return ff.PulsarComponent(pulsars, LocalTransport.from_model(args.model), tau0_yr=args.tau0)
    if args.source == "dm":
        try:
            return ff.dark_matter_component(args.model, args.dm_mass, args.channel, args.process,
                                            grid_spec=grid_spec(args), cache=response_cache(args))
        except ValueError as err:
            raise UserInputError(str(err)) from None
    return None


def _cmd_fraction(args) -> int:
    import numpy as np

    from ..fraction import secondary_lis
    from ..stats import fraction_fit as ff

    T = parse_energy_grid(args.energies)
    if args.format == "json" and not args.fit:
        raise UserInputError("--format json reports a fit: give --fit DATASET")
    if args.fit:  # check the dataset before the transport runs
        from ..data import load

        try:
            load(args.fit)
        except KeyError as err:
            raise UserInputError(str(err).strip("'\"")) from None
    from ..propagation.models import get_propagation_model

    spec = grid_spec(args, get_propagation_model(args.model))
    secondary = secondary_lis(args.model, xs_model=args.cross_section, grid_spec=spec, cache=response_cache(args))
    if T.min() < secondary.T[0] or T.max() > secondary.T[-1]:
        raise UserInputError(f"--energies must lie inside {secondary.T[0]:g}-{secondary.T[-1]:g} GeV")
    component = _component(args, secondary)
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
        pred = ff._fraction_model(secondary, component, secondary.phi_GV)(T, values)

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
        from ..plotting.fraction import plot_fraction

        save_figure(plot_fraction(pred, label=source, fit=fit), args.plot)
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
    p.add_argument("--pulsar", action="append", metavar="NAME",
                   help="a catalogue pulsar (repeat; default geminga and monogem): geminga, monogem, vela, crab, ...")
    p.add_argument("--efficiency", type=positive("--efficiency"), default=0.1,
                   help="pulsar e+- efficiency without --fit (default 0.1)")
    p.add_argument("--tau0", type=positive("--tau0"), default=1e4, help="pulsar spin-down time [yr] (default 1e4)")
    p.add_argument("--dm-mass", type=positive("--dm-mass"), default=1000.0, help="dark-matter mass [GeV] (default 1000)")
    p.add_argument("--channel", choices=["ee", "mumu"], default="mumu", help="dark-matter channel (default mumu)")
    p.add_argument("--process", choices=["annihilation", "decay"], default="annihilation")
    p.add_argument("--sigma-v", type=positive("--sigma-v"), default=None,
                   help="<sigma v> [cm^3/s] (or 1/tau [1/s] for decay) without --fit (default 1e-25 / 1e-26)")
    p.add_argument("--fit", metavar="DATASET", help="fit to a fraction dataset, e.g. ams02_positron_fraction_prl2019")
    p.add_argument("--energy-min", type=positive("--energy-min"), default=10.0, help="lowest fitted energy [GeV] (default 10)")
    p.add_argument("--energy-max", type=positive("--energy-max"), default=None, help="highest fitted energy [GeV]")
    p.add_argument("--cross-section", default="hybrid", help="production model (default hybrid)")
    p.add_argument("--energies", default="0.5:1000:40", metavar="LO:HI:N", help="energies [GeV] (default 0.5:1000:40)")
    add_grid_arguments(p)
    p.add_argument("--format", choices=["csv", "json"], default="csv", help="csv table, or json fit summary (with --fit)")
    p.add_argument("--output", metavar="FILE", help="write the table to FILE")
    p.add_argument("--plot", metavar="FILE.png", help="draw the prediction over every shipped fraction measurement")
    p.set_defaults(func=_cmd_fraction)
