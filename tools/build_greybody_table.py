"""Regenerate the shipped greybody table ``src/positrons/sources/pbh/greybody_table.ecsv``.

Solves the radial wave equation of massless spin 0, 1/2, 1 and 2 fields on Schwarzschild
(:mod:`positrons.sources.pbh.greybody`) for S_s(x) = sum_l (2l+1) Gamma_{s,l}(x) on the default
grid of ``x = G M E / (hbar c^3)`` with the default solver settings, and writes one ECSV file
(one column per spin, the settings in its metadata) -- the file
:func:`positrons.sources.pbh.greybody.load_table` returns for the default inputs.

    python tools/build_greybody_table.py [--processes N] [--output FILE] [--check-midpoints K]
    python tools/build_greybody_table.py --plot docs/figures/pbh_greybody.png

Takes 5-10 minutes on 2 cores.  ``--check-midpoints K`` also solves at K midpoints of the
grid per spin and prints the interpolation error there.  ``--plot`` only draws the cross
sections of the existing table.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

from positrons.sources.pbh import greybody as gb

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "src" / "positrons" / "sources" / "pbh" / gb.SHIPPED_TABLE


def build(processes: int) -> dict:
    tables = {}
    for spin in gb.SPINS:
        start = time.perf_counter()
        tables[spin] = gb.compute_table(spin, settings=gb.DEFAULT_SETTINGS, processes=processes)
        print(f"spin {spin}: {tables[spin].x.size} points in {time.perf_counter() - start:.0f} s", file=sys.stderr)
    return tables


def write_ecsv(tables: dict, output: Path) -> None:
    from astropy.table import Table

    x = tables[gb.SPINS[0]].x
    columns = {"x": x}
    for spin in gb.SPINS:
        columns[f"S_{gb._spin_label(spin)}"] = tables[spin].values
    table = Table(columns)
    table["x"].description = "x = G M E / (hbar c^3) (BlackHawk's x is 2 G M E = 2 x)"
    for spin in gb.SPINS:
        table[f"S_{gb._spin_label(spin)}"].description = (
            f"sum over l of (2l+1) Gamma_l for massless spin {gb._spin_label(spin)} (per helicity state); "
            "sigma = pi (G M/c^2)^2 S / x^2"
        )
    table.meta["title"] = "Greybody factors of a Schwarzschild black hole, massless spin 0, 1/2, 1, 2"
    table.meta["generated_by"] = "tools/build_greybody_table.py (positrons.sources.pbh.greybody.compute_table)"
    table.meta["date"] = _dt.date.today().isoformat()
    table.meta["method"] = (
        "Regge-Wheeler/Chandrasekhar radial equation in the tortoise coordinate, ingoing wave at the "
        "horizon, WKB matching at large r; see the module docstring of positrons.sources.pbh.greybody"
    )
    table.meta["solver_settings"] = asdict(gb.DEFAULT_SETTINGS)
    table.meta["l_max"] = None
    output.parent.mkdir(parents=True, exist_ok=True)
    table.write(output, format="ascii.ecsv", overwrite=True)
    print(f"wrote {output} ({output.stat().st_size / 1024:.0f} kB)", file=sys.stderr)


def check_midpoints(tables: dict, k: int) -> None:
    for spin, table in tables.items():
        x = table.x
        idx = np.unique(np.linspace(0, x.size - 2, k).astype(int))
        mids = np.sqrt(x[idx] * x[idx + 1])
        exact = np.array([gb.greybody_sum(spin, m) for m in mids])
        err = table(mids) / exact - 1.0
        worst = np.argmax(np.abs(err))
        print(f"spin {spin}: largest interpolation error {err[worst]:+.2e} at x = {mids[worst]:.4g}", file=sys.stderr)


def plot(tables: dict, output: Path) -> None:
    """Absorption cross sections sigma_s / (pi G^2 M^2 / c^4) against x, with the limits."""
    from matplotlib.figure import Figure

    x = np.geomspace(1e-3, 10.0, 2000)
    fig = Figure(figsize=(7.0, 4.6), layout="constrained")
    ax = fig.subplots()
    names = {0.0: "spin 0", 0.5: "spin 1/2", 1.0: "spin 1 (photon)", 2.0: "spin 2 (graviton)"}
    for (spin, table), colour in zip(tables.items(), ("#1f77b4", "#d62728", "#2ca02c", "#9467bd")):
        ax.loglog(x, table.cross_section(x), color=colour, lw=1.8, label=names[spin])
        ax.plot(table.x[::6], table.cross_section(table.x[::6]), "o", ms=2.5, color=colour)
    ax.axhline(27.0, color="0.3", ls="--", lw=1.0)
    ax.text(1.2e-3, 31.0, r"geometric optics $27\pi M^2$", fontsize=8.5, va="bottom")
    ax.axhline(16.0, color="0.6", ls=":", lw=1.0)
    ax.text(1.2e-3, 13.0, r"horizon area $16\pi M^2$ (spin 0)", fontsize=8.5, va="top")
    ax.axhline(2.0, color="0.6", ls=":", lw=1.0)
    ax.text(1.2e-3, 1.7, r"$2\pi M^2$ (spin 1/2, Unruh 1976)", fontsize=8.5, va="top")
    ax.axvspan(x[0], tables[0.0].x_lo, color="0.92")
    ax.axvspan(tables[0.0].x_hi, x[-1], color="0.92")
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(1e-4, 100.0)
    ax.set_xlabel(r"$x = G M E / \hbar c^3$")
    ax.set_ylabel(r"$\sigma_s \,/\, \pi (G M/c^2)^2$")
    ax.set_title("Schwarzschild absorption cross sections (dots: solved table; shaded: matched limits)", fontsize=9.5)
    ax.legend(loc="lower right", fontsize=8.5, frameon=False)
    fig.savefig(output, dpi=150)
    print(f"wrote {output}", file=sys.stderr)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check-midpoints", type=int, default=0, metavar="K")
    parser.add_argument("--plot", type=Path, metavar="FILE.png",
                        help="only draw the cross sections of the existing table (no rebuild)")
    args = parser.parse_args(argv)
    if args.plot:
        plot(gb.default_tables(), args.plot)
        return 0
    tables = build(args.processes)
    write_ecsv(tables, args.output)
    if args.check_midpoints:
        check_midpoints(tables, args.check_midpoints)
    return 0


if __name__ == "__main__":
    sys.exit(main())
