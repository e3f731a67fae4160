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
import re

import numpy as np

from ._common import Parser, UserInputError, emit, save_figure

_PARTICLES = ("positron", "electron", "photon")
_CONTENTS = ("standard", "blackhawk", "massless", "page1976")
_DEFAULT_ENERGIES = "1e-5:10:200"

#: the usual figure: masses [g] of the left panel, log-normal widths at M_c = 1e16 g on the right
FIGURE_MASSES = (5e14, 1e16, 5e16)
FIGURE_SIGMAS = (0.5, 1.0, 2.0)
FIGURE_M_C = 1e16


class _NumberParser(Parser):
    """Parser that reads '-1e15' or '-1:2:3' as a value, so that a negative mass or energy is
    refused by its own check (argparse would take it for an option: 'expected one argument')."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._negative_number_matcher = re.compile(r"^-[\d.]")


def _positive_number(what: str):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number, got {text!r}") from None
        if not math.isfinite(value) or value <= 0:
            raise argparse.ArgumentTypeError(f"{what} must be a finite number > 0, got {text!r}")
        return value

    return parse


def _energy_grid(text: str) -> np.ndarray:
    """'LO:HI:N' -> N log-spaced kinetic energies [GeV] from LO to HI."""
    parts = text.split(":")
    if len(parts) != 3:
        raise argparse.ArgumentTypeError(f"energies must be LO:HI:N (GeV, e.g. {_DEFAULT_ENERGIES}), got {text!r}")
    try:
        lo, hi = float(parts[0]), float(parts[1])
        n = int(parts[2])
    except ValueError:
        raise argparse.ArgumentTypeError(f"energies must be LO:HI:N with numbers LO, HI and an integer N, got {text!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo <= 0 or hi <= 0:
        raise argparse.ArgumentTypeError(f"energies must be > 0 GeV, got {text!r}")
    if n < 1 or (n > 1 and hi <= lo):
        raise argparse.ArgumentTypeError(f"energies need N >= 1 and HI > LO, got {text!r}")
    if n > 100000:
        raise argparse.ArgumentTypeError(f"at most 100000 energies, got {n}")
    return np.geomspace(lo, hi, n)


def _mass_function(args):
    from ..sources.pbh.mass_functions import LogNormal, Monochromatic

    if args.mass_function == "monochromatic":
        if args.sigma is not None:
            raise UserInputError("--sigma applies only to --mass-function lognormal")
        return Monochromatic(args.mass)
    if args.sigma is None:
        raise UserInputError("--mass-function lognormal needs --sigma (width in ln M, e.g. 1)")
    try:
        return LogNormal(args.mass, args.sigma)
    except ValueError as exc:
        raise UserInputError(str(exc)) from None


def _compute(particle: str, energies: np.ndarray, mass_function, content: str):
    """(Spectrum, normalisation text) for a monochromatic hole or a population."""
    from ..sources.pbh import hawking
    from ..sources.pbh.mass_functions import Monochromatic
    from ..sources.pbh.source import population_spectrum

    if isinstance(mass_function, Monochromatic):
        spec = hawking.spectrum(particle, energies, mass_function.mass, content=content)
        return spec, "per black hole [GeV^-1 s^-1]"
    spec = population_spectrum(particle, energies, mass_function, content=content)
    return spec, (
        "per gram of PBHs [GeV^-1 s^-1 g^-1] = Integral dM psi(M)/M d2N/dtdE; "
        "multiply by rho_PBH [g cm^-3] for a source per cm^3"
    )


def _table_text(spec, header: list[str], fmt: str) -> str:
    columns = ["E_kin_GeV", "primary_dN_dtdE_per_GeV_s", "secondary_dN_dtdE_per_GeV_s", "dN_dtdE_per_GeV_s"]
    rows = np.column_stack([spec.E_kin, spec.primary, spec.secondary, spec.total])
    lines = [f"# {h}" for h in header]
    if fmt == "csv":
        lines.append(",".join(columns))
        lines += [",".join(f"{v:.6e}" for v in row) for row in rows]
    else:
        lines.append("  ".join(f"{c:>28s}" for c in columns))
        lines += ["  ".join(f"{v:28.6e}" for v in row) for row in rows]
    return "\n".join(lines) + "\n"


def _cmd_spectrum(args) -> int:
    from ..sources.pbh import hawking

    mass_function = _mass_function(args)
    energies = args.energies if args.energies is not None else _energy_grid(_DEFAULT_ENERGIES)
    spec, normalisation = _compute(args.particle, energies, mass_function, args.content)
    T = hawking.hawking_temperature(args.mass)
    secondary_from = {"photon": "pi0 -> gamma gamma"}.get(args.particle, "mu -> e nu nu (unpolarised) and pi -> mu -> e")
    header = [
        f"positrons pbh spectrum: {args.particle} emission of Schwarzschild black holes, {mass_function.label()}"
        f" (T = {T * 1e3:.4g} MeV at M = {args.mass:.4g} g)",
        f"normalisation: {normalisation}",
        "columns: kinetic energy [GeV]; primary (Hawking emission, greybody factors solved in positrons.sources.pbh.greybody);"
        f" secondary ({secondary_from}); total",
        f"particle content: {args.content}; neglected: QCD jets (M < 1e14 g), kaons, final-state radiation",
    ]
    if args.output or not args.plot:
        emit(_table_text(spec, header, args.format), args.output)
    if args.plot:
        save_figure(_figure(args.particle, args.content, spec, mass_function), args.plot)
    return 0


def _figure(particle: str, content: str, requested=None, requested_mass_function=None):
    """The usual two-panel figure of PBH spectra (draws only)."""
    from matplotlib.figure import Figure

    from ..sources.pbh import hawking
    from ..sources.pbh.mass_functions import LogNormal, Monochromatic
    from ..sources.pbh.source import population_spectrum

    energies = np.geomspace(1e-5, 3.0, 300)
    fig = Figure(figsize=(12.0, 4.8), layout="constrained")
    left, right = fig.subplots(1, 2)
    colours = ("#1f77b4", "#d62728", "#2ca02c")
    name = {"positron": "e$^+$", "electron": "e$^-$", "photon": r"$\gamma$"}[particle]

    peaks = []
    for mass, colour in zip(FIGURE_MASSES, colours):
        spec = hawking.spectrum(particle, energies, mass, content=content)
        exponent = int(math.floor(math.log10(mass)))
        mantissa = mass / 10**exponent
        T_MeV = hawking.hawking_temperature(mass) * 1e3
        label = (f"{mantissa:g}" + r"$\times$" if mantissa != 1 else "") + f"$10^{{{exponent}}}$ g  (T = {T_MeV:.3g} MeV)"
        left.loglog(energies, spec.total, color=colour, lw=2.0, label=label)
        left.loglog(energies, spec.primary, color=colour, lw=1.0, ls="--")
        left.loglog(energies, spec.secondary, color=colour, lw=1.0, ls=":")
        peaks.append(spec.total.max())
    for sigma, colour in zip(FIGURE_SIGMAS, colours):
        spec = population_spectrum(particle, energies, LogNormal(FIGURE_M_C, sigma), content=content)
        right.loglog(energies, spec.total, color=colour, lw=2.0, label=rf"log-normal, $\sigma$ = {sigma:g}")
        right.loglog(energies, spec.primary, color=colour, lw=1.0, ls="--")
        right.loglog(energies, spec.secondary, color=colour, lw=1.0, ls=":")
    mono = hawking.spectrum(particle, energies, FIGURE_M_C, content=content)
    right.loglog(energies, mono.total / FIGURE_M_C, color="0.5", lw=1.5, ls="-.", label=r"monochromatic $10^{16}$ g ($\div M$)")

    if requested is not None and not _is_figure_curve(requested_mass_function):
        axis = left if isinstance(requested_mass_function, Monochromatic) else right
        axis.loglog(requested.E_kin, requested.total, color="k", lw=1.2, ls=(0, (4, 2)),
                    label=f"requested: {requested_mass_function.label()}")

    top = max(peaks)
    left.set_ylim(top * 1e-8, top * 5)
    left.set_title(f"Monochromatic: {name} per black hole")
    left.set_ylabel(r"$d^2N/dt\,dE$  [GeV$^{-1}$ s$^{-1}$]")
    rtop = max(line.get_ydata().max() for line in right.get_lines())
    right.set_ylim(rtop * 1e-8, rtop * 5)
    right.set_title(rf"Log-normal, $M_c = 10^{{16}}$ g: {name} per gram of PBHs")
    right.set_ylabel(r"$\int dM\,\psi(M)/M\;d^2N/dt\,dE$  [GeV$^{-1}$ s$^{-1}$ g$^{-1}$]")
    for axis in (left, right):
        axis.set_xlim(energies[0], energies[-1])
        axis.set_xlabel("kinetic energy [GeV]")
        axis.grid(True, which="major", alpha=0.3)
        axis.legend(loc="upper left" if particle == "photon" else "lower left", fontsize=8.5, frameon=False)
    from matplotlib.lines import Line2D

    secondary = r"secondary ($\mu$, $\pi^\pm$ decays)" if particle != "photon" else r"secondary ($\pi^0 \to \gamma\gamma$)"
    styles = [Line2D([], [], color="0.2", lw=2.0), Line2D([], [], color="0.2", lw=1.0, ls="--"),
              Line2D([], [], color="0.2", lw=1.0, ls=":")]
    fig.legend(styles, ["total", "primary (Hawking)", secondary], loc="outside lower center", ncol=3, fontsize=9,
               frameon=False)
    fig.suptitle(f"Hawking emission of Schwarzschild PBHs (particle content: {content})", fontsize=11)
    return fig


def _is_figure_curve(mass_function) -> bool:
    """True if ``mass_function`` is already one of the figure's standard curves."""
    from ..sources.pbh.mass_functions import LogNormal, Monochromatic

    if isinstance(mass_function, Monochromatic):
        return any(math.isclose(mass_function.mass, m, rel_tol=1e-9) for m in FIGURE_MASSES)
    if isinstance(mass_function, LogNormal):
        return math.isclose(mass_function.M_c, FIGURE_M_C, rel_tol=1e-9) and any(
            math.isclose(mass_function.sigma, s, rel_tol=1e-9) for s in FIGURE_SIGMAS)
    return False


def _cmd_lifetime(args) -> int:
    from .. import units as u
    from ..sources.pbh import hawking

    M = args.mass
    T = hawking.hawking_temperature(M)
    rate = hawking.mass_loss_rate(M, args.content)
    tau = hawking.lifetime(M, args.content)
    m_star = hawking.evaporating_mass(content=args.content)
    lines = [
        f"black-hole mass          M = {M:.4g} g",
        f"Hawking temperature      T = {T * 1e3:.5g} MeV",
        f"mass-loss rate      -dM/dt = {rate:.4g} g/s  (f(M) = {hawking.macgibbon_f(M, args.content):.4g}"
        " in MacGibbon's normalisation dM/dt = -5.34e25 f / M^2 g/s)",
        f"lifetime               tau = {tau:.4g} s = {tau / u.Gyr:.4g} Gyr",
        f"evaporating in the age of the Universe ({hawking.AGE_OF_UNIVERSE / u.Gyr:.5g} Gyr, Planck 2018): "
        f"M = {m_star:.4g} g",
        f"particle content: {args.content}",
    ]
    print("\n".join(lines))
    return 0


def add_commands(sub) -> None:
    """Register ``positrons pbh`` and its subcommands on the top-level subparsers."""
    pbh = sub.add_parser("pbh", help="Hawking emission of primordial black holes: spectra and lifetimes")
    pbh_sub = pbh.add_subparsers(dest="pbh_command", metavar="SUBCOMMAND", parser_class=_NumberParser, required=True)

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
    p.add_argument("--mass", required=True, type=_positive_number("--mass"), metavar="GRAMS",
                   help="black-hole mass, or the centre M_c of the log-normal [g]")
    p.add_argument("--mass-function", choices=["monochromatic", "lognormal"], default="monochromatic",
                   help="monochromatic: per black hole; lognormal: per gram of PBHs (default: monochromatic)")
    p.add_argument("--sigma", type=_positive_number("--sigma"), metavar="S", help="log-normal width (in ln M)")
    p.add_argument("--particle", choices=_PARTICLES, default="positron", help="emitted particle (default: positron)")
    p.add_argument("--energies", type=_energy_grid, metavar="LO:HI:N",
                   help=f"N log-spaced kinetic energies from LO to HI GeV (default: {_DEFAULT_ENERGIES})")
    p.add_argument("--content", choices=_CONTENTS, default="standard",
                   help="particle content emitted (sets the secondaries; default: standard = gamma, nu, graviton, e, mu, pi)")
    p.add_argument("--format", choices=["csv", "table"], default="csv", help="output format (default: csv)")
    p.add_argument("--output", metavar="FILE", help="write the numbers to FILE instead of standard output")
    p.add_argument("--plot", metavar="FILE.png",
                   help="draw the usual figure (5e14, 1e16, 5e16 g; log-normal sigma 0.5, 1, 2 at 1e16 g) with this "
                   "spectrum added; the numbers are then written only with --output")
    p.set_defaults(func=_cmd_spectrum)

    p = pbh_sub.add_parser(
        "lifetime",
        help="temperature, mass-loss rate and lifetime of a black hole",
        description="Hawking temperature, -dM/dt, lifetime of a black hole of mass --mass, and the mass that "
        "evaporates in the age of the Universe, for the chosen particle content.",
    )
    p.add_argument("--mass", required=True, type=_positive_number("--mass"), metavar="GRAMS", help="black-hole mass [g]")
    p.add_argument("--content", choices=_CONTENTS, default="standard", help="particle content emitted (default: standard)")
    p.set_defaults(func=_cmd_lifetime)
