"""``positrons data ...``: list, show and plot the shipped measurements."""

from __future__ import annotations

from ._common import Parser, UserInputError, dataset_id, emit, figure_file, only_with, output_file, save_figure


def _plot_id(text: str) -> str:
    """argparse type of ``data plot``: 'fraction', 'flux' or a dataset ID."""
    return text if text in ("fraction", "flux") else dataset_id()(text)


def _cmd_data_list(args) -> int:
    from ..data import list_catalogues, list_datasets, list_unreadable

    rows = list_datasets()
    header = f"{'ID':44s} {'experiment':22s} {'quantity':30s} {'year':>4s} {'points':>6s}"
    print(header)
    print("-" * len(header))
    for r in rows:
        quantity = f"{r.species} {r.quantity}"
        flags = f"  [{', '.join(r.flags)}]" if args.flags and r.flags else ""
        print(f"{r.id:44s} {r.experiment[:22]:22s} {quantity[:30]:30s} {r.year or '':>4} {r.n_points:6d}{flags}")
    unreadable = list_unreadable()
    for bad in unreadable:
        print(f"{bad.id:44s} UNREADABLE: {bad.reason}")
    catalogues = list_catalogues()
    broken = f", {len(unreadable)} unreadable (listed above)" if unreadable else ""
    print(f"\n{len(rows)} measurements{broken}; pulsar catalogues: {', '.join(catalogues)}.")
    print("'positrons data show ID' prints one; IDs also accept the aliases of 'positrons data aliases'.")
    return 0


def _cmd_data_aliases(args) -> int:
    from ..data import ALIASES

    for alias, target in sorted(ALIASES.items()):
        print(f"{alias:32s} -> {target}")
    return 0


def _cmd_data_show(args) -> int:
    from ..data import load

    dataset = load(args.id)
    if args.format == "ecsv":  # the package's file format: units per column, provenance in the YAML header
        import io

        import numpy as np
        from astropy.table import Column, Table

        from ..data.writers import columns, thaw

        table = Table([Column(np.array(values), name=name, unit=unit) for name, values, unit in columns(dataset)],
                      meta=thaw(dataset.meta))
        buffer = io.StringIO()
        table.write(buffer, format="ascii.ecsv")
        text = buffer.getvalue()
    else:
        text = dataset.to_text(args.format)
    emit(text, args.output)
    return 0


def _cmd_data_plot(args) -> int:
    from ..plotting.data import plot_datasets, plot_quantity

    ids = args.ids
    if len(ids) == 1 and ids[0] in ("fraction", "flux"):
        if ids[0] == "flux" and args.species is None:
            raise UserInputError("'data plot flux' needs --species positron|electron|electron+positron")
        fig = plot_quantity(ids[0], species=args.species, energy_power=3 if ids[0] == "flux" else None)
        default = f"data_{ids[0]}{'_' + args.species.replace('+', '_') if args.species else ''}.png"
    else:
        from ..data import load

        datasets = [load(i) for i in ids]
        quantities = {d.quantity for d in datasets}
        if len(quantities) > 1:
            raise UserInputError(f"cannot draw different quantities on one figure: {sorted(quantities)}")
        fig = plot_datasets(datasets, energy_power=3 if "flux" in quantities else None)
        default = "data_datasets.png"
    save_figure(fig, args.output or default)
    return 0


def add_commands(sub) -> None:
    """Register ``positrons data`` and its subcommands on the top-level subparsers."""
    data = sub.add_parser("data", help="list, show and plot the shipped measurements")
    data_sub = data.add_subparsers(dest="data_command", metavar="SUBCOMMAND", parser_class=Parser, required=True)

    p = data_sub.add_parser("list", help="list every shipped dataset")
    p.add_argument("--flags", action="store_true", help="also print each dataset's quality flags")
    p.set_defaults(func=_cmd_data_list)

    p = data_sub.add_parser("aliases", help="list the short aliases of dataset IDs")
    p.set_defaults(func=_cmd_data_aliases)

    p = data_sub.add_parser("show", help="print one dataset (all numbers as shipped)")
    p.add_argument("id", type=dataset_id(), help="dataset ID (file name without .csv, e.g. ams02_positron_fraction_prl2019) or alias")
    p.add_argument("--format", choices=["table", "csv", "json", "ecsv"], default="table",
                   help="output format (default: table); csv, json and ecsv are the layouts of the shipped data files "
                   "(every column with its unit, the provenance in the header)")
    p.add_argument("--output", type=output_file, metavar="FILE", help="write to FILE instead of standard output")
    p.set_defaults(func=_cmd_data_show)

    p = data_sub.add_parser(
        "plot",
        help="plot datasets, or every shipped set of a quantity",
        description=(
            "Plot the given dataset IDs on one figure, or 'fraction' for every positron-fraction "
            "measurement, or 'flux --species S' for every flux of species S (E^3-weighted)."
        ),
    )
    p.add_argument("ids", nargs="+", type=_plot_id, metavar="ID", help="dataset IDs, or 'fraction', or 'flux'")
    p.add_argument("--species", choices=["positron", "electron", "electron+positron"], help="species for 'flux'")
    p.add_argument("--output", type=figure_file, metavar="FILE.png",
                   help="image file to write (default: data_fraction.png, data_flux_<species>.png or "
                        "data_datasets.png; 'positrons fraction --plot' writes fraction_prediction.png)")
    p.set_defaults(func=_cmd_data_plot)
    only_with(p, ["--species"], "with 'flux'", lambda a: a.ids == ["flux"])
