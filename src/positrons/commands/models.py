"""``positrons models list|show``: the propagation models as documents a user can copy and edit."""

from __future__ import annotations

from ._common import OUTPUT_FORMATS, Parser, add_output_arguments, output_format, propagation_model, write_numbers

#: the columns of ``models list --format ...``: field of PropagationModel -> unit
LIST_COLUMNS = {"z_h_kpc": "kpc", "D0_1e28_cm2_s": "1e28 cm2 / s", "delta1": "", "v_alfven_km_s": "km / s",
                "phi_GV": "GV"}


def _cmd_models_list(args) -> int:
    from ..propagation.models import PRESETS

    if output_format(args) != "summary":
        from ..analysis._output import result_table

        columns = {"name": list(PRESETS)} | {k: [getattr(m, k) for m in PRESETS.values()] for k in LIST_COLUMNS}
        table = result_table(columns, LIST_COLUMNS, {f"reference_{n}": m.description for n, m in PRESETS.items()},
                             "the propagation-model presets (Huang & Zhou, Table 1)")
        write_numbers(table, args, ["the propagation-model presets (Huang & Zhou, Table 1); "
                                    "'positrons models show NAME' prints every parameter"])
        return 0
    print(f"{'name':5s} {'z_h_kpc':>7s} {'D0_1e28_cm2_s':>13s} {'delta1':>6s} {'v_alfven_km_s':>13s} {'phi_GV':>6s}")
    for name, m in PRESETS.items():
        print(f"{name:5s} {m.z_h_kpc:7.2f} {m.D0_1e28_cm2_s:13.2f} {m.delta1:6.3f} {m.v_alfven_km_s:13.1f} {m.phi_GV:6.2f}")
    print("(positrons models show NAME prints one as TOML: save it, edit it, pass it with --model FILE.toml)")
    return 0


def _cmd_models_show(args) -> int:
    from ..propagation.models import get_propagation_model

    print(get_propagation_model(args.name).to_toml(), end="")
    return 0


def add_commands(sub) -> None:
    """Register ``positrons models list|show``."""
    p = sub.add_parser("models", help="list the propagation models, print one as an editable TOML file",
                       description="The six presets (Huang & Zhou, Table 1) and any TOML model file. "
                       "'positrons models show MED > my.toml' writes a file that '--model my.toml' reads back "
                       "to the same parameters; edit it to make your own model.")
    cmds = p.add_subparsers(dest="models_command", metavar="SUBCOMMAND", parser_class=Parser, required=True)
    lst = cmds.add_parser("list", help="the presets with their main parameters")
    add_output_arguments(lst, default="summary", formats=("summary", *OUTPUT_FORMATS))
    lst.set_defaults(func=_cmd_models_list)
    show = cmds.add_parser("show", help="one model as TOML, every key with its unit and meaning")
    show.add_argument("name", type=propagation_model, metavar="NAME|FILE.toml",
                      help="a preset (GH, MIN, MED, MAX, MAX2, DB) or a model file")
    show.set_defaults(func=_cmd_models_show)
