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

import math

import numpy as np

from .. import units as u
from ._common import Parser, UserInputError, emit, parse_energy_grid, positive, save_figure

_PARTICLES = ("positron", "electron", "photon")
_CONTENTS = ("standard", "blackhawk", "massless", "page1976")
_DEFAULT_ENERGIES = "1e-5:10:200"

#: the usual figure: masses [g] of the left panel, log-normal widths at M_c = 1e16 g on the right
FIGURE_MASSES = (5e14, 1e16, 5e16)
FIGURE_SIGMAS = (0.5, 1.0, 2.0)
FIGURE_M_C = 1e16


def _energy_grid(text: str) -> np.ndarray:
    """--energies 'LO:HI:N' -> N log-spaced kinetic energies [GeV] (a single one for N = 1)."""
    return parse_energy_grid(text, "--energies", min_points=1)


def _mass_function(args):
    """None for one black hole (monochromatic: per hole, any mass), else the log-normal population."""
    from ..sources.pbh.mass_functions import LogNormal

    if args.mass_function == "monochromatic":
        if args.sigma is not None:
            raise UserInputError("--sigma applies only to --mass-function lognormal")
        return None
    if args.sigma is None:
        raise UserInputError("--mass-function lognormal needs --sigma (width in ln M, e.g. 1)")
    try:
        return LogNormal(args.mass, args.sigma)
    except ValueError as exc:
        raise UserInputError(str(exc)) from None


def _label(mass: float, mass_function) -> str:
    return f"monochromatic, M = {mass:.3g} g" if mass_function is None else mass_function.label()


def _compute(particle: str, energies: np.ndarray, mass: float, mass_function, content: str):
    """(Spectrum, normalisation text) for one hole of ``mass`` (``mass_function`` None) or a population."""
    from ..sources.pbh import hawking
    from ..sources.pbh.source import population_spectrum

    if mass_function is None:
        spec = hawking.spectrum(particle, energies, mass, content=content)
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
    from ..sources.pbh.mass_functions import M_MIN_DEFAULT

    mass_function = _mass_function(args)
    energies = args.energies if args.energies is not None else _energy_grid(_DEFAULT_ENERGIES)
    spec, normalisation = _compute(args.particle, energies, args.mass, mass_function, args.content)
    T = hawking.hawking_temperature(args.mass)
    secondary_from = {"photon": "pi0 -> gamma gamma"}.get(args.particle, "mu -> e nu nu (unpolarised) and pi -> mu -> e")
    header = [
        f"positrons pbh spectrum: {args.particle} emission of Schwarzschild black holes, {_label(args.mass, mass_function)}"
        f" (T = {T / u.MeV:.4g} MeV at M = {args.mass:.4g} g)",
        f"normalisation: {normalisation}",
        "columns: kinetic energy [GeV]; primary (Hawking emission, greybody factors solved in positrons.sources.pbh.greybody);"
        f" secondary ({secondary_from}); total",
        f"particle content: {args.content}; neglected: QCD jets (M < 1e14 g), kaons, final-state radiation",
    ]
    if mass_function is None and args.mass < M_MIN_DEFAULT:
        header.append(f"note: holes lighter than {M_MIN_DEFAULT:g} g have evaporated by today (SPEC's M_min)")
    if args.output or not args.plot:
        emit(_table_text(spec, header, args.format), args.output)
    if args.plot:
        save_figure(_figure(args.particle, args.content, spec, args.mass, mass_function), args.plot)
    return 0


def _figure(particle: str, content: str, requested=None, requested_mass=None, requested_mass_function=None):
    """The usual two-panel figure of PBH spectra: computes the curves, plotting.pbh draws them."""
    from ..plotting.pbh import SpectrumCurve, mass_label, plot_pbh_spectra
    from ..sources.pbh import hawking
    from ..sources.pbh.mass_functions import LogNormal
    from ..sources.pbh.source import population_spectrum

    energies = np.geomspace(1e-5, 3.0, 300)
    per_hole = [SpectrumCurve(mass_label(m, hawking.hawking_temperature(m) / u.MeV),
                              hawking.spectrum(particle, energies, m, content=content)) for m in FIGURE_MASSES]
    per_gram = [SpectrumCurve(rf"log-normal, $\sigma$ = {sigma:g}",
                              population_spectrum(particle, energies, LogNormal(FIGURE_M_C, sigma), content=content))
                for sigma in FIGURE_SIGMAS]
    mono = hawking.spectrum(particle, energies, FIGURE_M_C, content=content)
    reference = (rf"monochromatic {mass_label(FIGURE_M_C)} ($\div M$)", energies, mono.total / FIGURE_M_C)
    extra = None
    if requested is not None and not _is_figure_curve(requested_mass, requested_mass_function):
        extra = SpectrumCurve(f"requested: {_label(requested_mass, requested_mass_function)}", requested)
    return plot_pbh_spectra(particle, content, per_hole, per_gram, reference, extra,
                            requested_panel="left" if requested_mass_function is None else "right",
                            lognormal_centre_g=FIGURE_M_C)


def _is_figure_curve(mass: float, mass_function) -> bool:
    """True if the requested spectrum is already one of the figure's standard curves."""
    if mass_function is None:
        return any(math.isclose(mass, m, rel_tol=1e-9) for m in FIGURE_MASSES)
    return math.isclose(mass_function.M_c, FIGURE_M_C, rel_tol=1e-9) and any(
        math.isclose(mass_function.sigma, s, rel_tol=1e-9) for s in FIGURE_SIGMAS)


def _cmd_lifetime(args) -> int:
    from ..sources.pbh import hawking

    M = args.mass
    T = hawking.hawking_temperature(M)
    rate = hawking.mass_loss_rate(M, args.content)
    tau = hawking.lifetime(M, args.content)
    m_star = hawking.evaporating_mass(content=args.content)
    lines = [
        f"black-hole mass          M = {M:.4g} g",
        f"Hawking temperature      T = {T / u.MeV:.5g} MeV",
        f"mass-loss rate      -dM/dt = {rate:.4g} g/s  (f(M) = {hawking.macgibbon_f(M, args.content):.4g}"
        " in MacGibbon's normalisation dM/dt = -5.34e25 f / M^2 g/s)",
        f"lifetime               tau = {tau:.4g} s = {tau / u.Gyr:.4g} Gyr",
        f"evaporating in the age of the Universe ({hawking.AGE_OF_UNIVERSE / u.Gyr:.5g} Gyr, Planck 2018): "
        f"M = {m_star:.4g} g",
        f"particle content: {args.content}",
    ]
    print("\n".join(lines))
    return 0


def _cmd_limits(args) -> int:
    from ..stats.pbh_scan import pbh_limit_scan
    from ._common import csv_text

    if args.mass is not None:
        masses = np.array([args.mass])
    else:
        masses = parse_energy_grid(args.masses, "--masses")
    if masses.min() < 5e14:
        raise UserInputError("masses below 5e14 g have evaporated by today (SPEC section 3.1)")
    if args.mass_function == "lognormal" and args.sigma is None:
        raise UserInputError("--mass-function lognormal needs --sigma")
    result = pbh_limit_scan(args.model, masses, dataset=args.dataset, mass_function=args.mass_function,
                            sigma=args.sigma or 1.0, background=args.background, phi_GV=args.phi,
                            dR_kpc=args.dR, dz_kpc=args.dz)
    width = f" sigma = {args.sigma:g}" if args.mass_function == "lognormal" else ""
    header = [
        f"upper limits (95 % C.L. or 2 sigma) on f_PBH: model {result.model}, dataset {result.dataset}, "
        f"{result.mass_function}{width}, background {result.background}, phi = {result.phi_GV:g} GV",
        "no background: largest f for which no data point is exceeded by more than 2 sigma (Boudaud & Cirelli 2019); "
        "secondary: profiled Delta chi^2 = 3.84 over A (T/GeV)^delta x propagated secondaries",
        "M_g: PBH mass (central mass for a log-normal) [g]; driving_point_E_GeV: the data point that sets the limit",
    ]
    emit(csv_text(header, result.columns()), args.output)
    if args.plot:
        from ..plotting.style import new_axes

        fig, ax = new_axes("$M$ [g]", "$f_{PBH}$ upper limit", title=f"{result.model}, {result.dataset}")
        ax.plot(result.masses_g, result.f_limit, "o-", lw=2)
        ax.axhline(1.0, color="k", lw=0.8, ls=":")
        save_figure(fig, args.plot)
    return 0


def add_commands(sub) -> None:
    """Register ``positrons pbh`` and its subcommands on the top-level subparsers."""
    pbh = sub.add_parser("pbh", help="Hawking emission of primordial black holes: spectra and lifetimes")
    pbh_sub = pbh.add_subparsers(dest="pbh_command", metavar="SUBCOMMAND", parser_class=Parser, required=True)

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
    p.add_argument("--mass", required=True, type=positive("--mass"), metavar="GRAMS",
                   help="black-hole mass, or the centre M_c of the log-normal [g]")
    p.add_argument("--mass-function", choices=["monochromatic", "lognormal"], default="monochromatic",
                   help="monochromatic: per black hole; lognormal: per gram of PBHs (default: monochromatic)")
    p.add_argument("--sigma", type=positive("--sigma"), metavar="S", help="log-normal width (in ln M)")
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
    p.add_argument("--mass", required=True, type=positive("--mass"), metavar="GRAMS", help="black-hole mass [g]")
    p.add_argument("--content", choices=_CONTENTS, default="standard", help="particle content emitted (default: standard)")
    p.set_defaults(func=_cmd_lifetime)

    p = pbh_sub.add_parser(
        "limits",
        help="upper limits on the PBH fraction of dark matter from e+- data",
        description="Propagate PBH positrons through a Galactic model (2D solver, one energy response per model), "
        "modulate them (force field; none for Voyager), and derive the largest f_PBH allowed by the data, without "
        "background (2 sigma) or with a fitted secondary background (profiled Delta chi^2 = 3.84).",
    )
    p.add_argument("--model", default="MED", help="propagation model: MIN, MED, MAX, MAX2, DB, GH or a .toml file (default MED)")
    p.add_argument("--mass", type=positive("--mass"), metavar="GRAMS", help="one PBH mass [g]")
    p.add_argument("--masses", default="5e14:1e17:10", metavar="LO:HI:N", help="N log-spaced masses [g] (default 5e14:1e17:10)")
    p.add_argument("--mass-function", choices=["monochromatic", "lognormal"], default="monochromatic")
    p.add_argument("--sigma", type=positive("--sigma"), metavar="S", help="log-normal width")
    p.add_argument("--dataset", default="ams02_positron_flux_prl2019",
                   help="ams02_positron_flux_prl2019 (default, 0.5-5.2 GeV), ams02_allelectron_flux_physrep2021_crdb, "
                   "voyager1_electron_lis_cummings2016")
    p.add_argument("--background", choices=["none", "secondary"], default="none")
    p.add_argument("--phi", type=float, metavar="GV", help="force-field potential (default: the model's)")
    p.add_argument("--dR", type=positive("--dR"), default=1.0, metavar="KPC", help="radial grid step (default 1 kpc)")
    p.add_argument("--dz", type=positive("--dz"), default=0.1, metavar="KPC", help="vertical grid step (default 0.1 kpc)")
    p.add_argument("--format", choices=["csv"], default="csv")
    p.add_argument("--output", metavar="FILE", help="write the table to FILE")
    p.add_argument("--plot", metavar="FILE.png", help="draw f_PBH(M)")
    p.set_defaults(func=_cmd_limits)
