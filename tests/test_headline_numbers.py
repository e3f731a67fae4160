"""Regression table of the headline numbers, computed through the command line.

Every number is produced by ``positrons ...`` run in-process (``positrons.cli.main``) and
read back from the file the command writes (ECSV for ``pbh limits``, CSV for ``fraction``,
JSON for ``belt``), so the table checks the results a user gets, whatever the library API
behind the commands looks like.

Reference values: measured at commit 3eb2383 with the default GridSpec (dR = 1 kpc, dz =
0.05 kpc at the disc stretched to 0.5 kpc at the halo boundary, 20 energies per decade).
Tolerance of the transport results: 2 %, the grid convergence of the engine (default grid
against all spacings halved: largest change 1.87 %; convergence table in
docs/propagation.md). The belt numbers do not use the transport grid: their quadrature
agrees with ``scipy.quad`` to 1e-4 (docs/belt.md), so they are held to 0.1 % (the
reference values have four significant digits).

Models: GH (Huang & Zhou 2024, Table 1) and MED (Donato et al. 2004). Data: AMS-02
positron flux (Aguilar et al. 2019, PRL 122, 041102), Voyager 1 e+ + e- LIS (Cummings et al.
2016, ApJ 831, 18). Belt: Martin, Gusev, Pugacheva & Silva Mello (1995), L = 1.2.
"""

import contextlib
import io
import json

import pytest
from astropy.table import Table

from positrons.cli import main

TRANSPORT_RTOL = 0.02  # grid convergence of the engine, docs/propagation.md
BELT_RTOL = 1e-3  # four significant digits; quadrature within 1e-4 of scipy.quad

AMS02_POSITRONS = "ams02_positron_flux_prl2019"
VOYAGER1 = "voyager1_electron_lis_cummings2016"

# (model, dataset, background, mass [g]) -> f_PBH limit, monochromatic mass function
F_PBH_LIMITS = {
    ("GH", AMS02_POSITRONS, "none", 1e16): 4.478e-5,
    ("GH", AMS02_POSITRONS, "none", 2e16): 2.762e-4,
    ("GH", AMS02_POSITRONS, "secondary", 2e16): 2.307e-6,
    ("GH", VOYAGER1, "none", 2e16): 1.560e-3,
    ("MED", AMS02_POSITRONS, "none", 1e16): 1.404e-4,
    ("MED", AMS02_POSITRONS, "none", 2e16): 1.094e-3,
}

# model -> secondary positron fraction at 10 GeV (force field, the model's phi)
FRACTION_AT_10_GEV = {"GH": 0.01648, "MED": 0.01828}

# published belt model (table route, fixed fractions on T, rho = 1e-18 g cm^-3, L = 1.2):
# summary field -> value above 20 MeV [m^-2 s^-1 sr^-1] or ratio
BELT_L12 = {
    "I_pos_gt_threshold": 1.240e4,
    "I_pos_gt_threshold_synch": 3282.0,
    "I_ele_gt_threshold_synch": 1040.0,
    "ratio_pos_ele_synch": 3.157,
}


def _run(*argv):
    """Run ``positrons *argv`` in-process, its printed output discarded; fail on a non-zero
    exit status."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in argv])
    assert code == 0, f"positrons {' '.join(map(str, argv))} exited {code}: {err.getvalue()}"
    return out.getvalue()


def _limits(directory, model, dataset, background, masses):
    """{mass [g]: f_PBH limit} from ``positrons pbh limits ... --output FILE.ecsv``; the
    settings written in the file are checked against the request."""
    path = directory / f"limits_{model}_{dataset}_{background}.ecsv"
    mass_argument = ["--mass", masses[0]] if len(masses) == 1 else ["--masses", f"{masses[0]}:{masses[-1]}:{len(masses)}"]
    _run("pbh", "limits", "--model", model, "--dataset", dataset, "--background", background,
         *mass_argument, "--output", path)
    table = Table.read(path, format="ascii.ecsv")
    assert (table.meta["model"], table.meta["dataset"], table.meta["background"]) == (model, dataset, background)
    assert table.meta["mass_function"] == "monochromatic"
    return {float(m): float(f) for m, f in zip(table["M_g"], table["f_PBH_limit"])}


def _fraction_at_10_gev(directory, model):
    """Secondary positron fraction at 10 GeV from ``positrons fraction --output FILE.csv``."""
    path = directory / f"fraction_{model}.csv"
    _run("fraction", "--model", model, "--energies", "10:20:2", "--output", path)
    table = Table.read(path, format="ascii.csv", comment="#")
    (row,) = [row for row in table if row["E_kin_GeV"] == pytest.approx(10.0, rel=1e-12)]
    return float(row["fraction"])


def _headline(directory, model):
    """Every headline number of one model, the runs sharing its transport responses through
    the session's disk cache."""
    limits = {}
    masses_by_run = {}
    for (row_model, dataset, background, mass) in F_PBH_LIMITS:
        if row_model == model:
            masses_by_run.setdefault((dataset, background), []).append(mass)
    for (dataset, background), masses in masses_by_run.items():
        computed = _limits(directory, model, dataset, background, sorted(masses))
        for mass in masses:
            (value,) = [f for m, f in computed.items() if m == pytest.approx(mass, rel=1e-9)]
            limits[(model, dataset, background, mass)] = value
    return {"limits": limits, "fraction": _fraction_at_10_gev(directory, model)}


@pytest.fixture(scope="session")
def headline_gh(tmp_path_factory):
    return _headline(tmp_path_factory.mktemp("headline-GH"), "GH")


@pytest.fixture(scope="session")
def headline_med(tmp_path_factory):
    return _headline(tmp_path_factory.mktemp("headline-MED"), "MED")


@pytest.fixture
def headline(request):
    """The computed numbers of the model named by the test's ``model`` parameter."""
    model = request.node.callspec.params["model"]
    return request.getfixturevalue({"GH": "headline_gh", "MED": "headline_med"}[model])


@pytest.mark.slow
@pytest.mark.parametrize(("model", "dataset", "background", "mass"), list(F_PBH_LIMITS), ids=lambda v: str(v))
def test_f_pbh_limit(headline, model, dataset, background, mass):
    reference = F_PBH_LIMITS[(model, dataset, background, mass)]
    assert headline["limits"][(model, dataset, background, mass)] == pytest.approx(reference, rel=TRANSPORT_RTOL)


@pytest.mark.slow
@pytest.mark.parametrize("model", list(FRACTION_AT_10_GEV))
def test_secondary_positron_fraction_at_10_gev(headline, model):
    assert headline["fraction"] == pytest.approx(FRACTION_AT_10_GEV[model], rel=TRANSPORT_RTOL)


@pytest.fixture(scope="module")
def belt_summary(tmp_path_factory):
    path = tmp_path_factory.mktemp("headline-belt") / "belt.json"
    _run("belt", "--L", "1.2", "--rho", "1e-18", "--threshold", "0.02", "--format", "json", "--output", path)
    return json.loads(path.read_text())["meta"]["summary"]


@pytest.mark.parametrize("quantity", list(BELT_L12))
def test_belt_published_model(belt_summary, quantity):
    assert belt_summary["threshold_GeV"] == pytest.approx(0.02)
    assert belt_summary[quantity] == pytest.approx(BELT_L12[quantity], rel=BELT_RTOL)
