"""``pbh limits --posterior FILE`` and ``fraction --posterior FILE`` end to end (coarse grid).

The numbers are those of :mod:`positrons.analysis.propagation_bands` (tested in
tests/test_propagation_bands.py); here: the band columns of the table, the self-describing
``--output FILE.ecsv``, the figure, and the refusals that need a real posterior file.
"""

import numpy as np
import pytest
from astropy.table import Table

from clitools import csv_table, run
from positrons.analysis.posterior import PropagationPosterior
from positrons.propagation.models import get_propagation_model

GRID = ["--dR", "2", "--dz", "0.2", "--dz-max", "0.5", "--energy-points-per-decade", "8"]
BAND = ("median", "lo68", "hi68", "lo95", "hi95")


@pytest.fixture
def posterior_file(tmp_path):
    rng = np.random.default_rng(7)
    samples = np.array([3.2, 5.8]) * (1.0 + 0.08 * rng.normal(size=(6, 2)))
    post = PropagationPosterior(get_propagation_model("MED"), ("z_h_kpc", "D0_1e28_cm2_s"), samples, np.zeros(6))
    return str(post.write(tmp_path / "post.ecsv"))


def test_pbh_limits_over_a_posterior(capsys, tmp_path, posterior_file):
    code, out, err = run(capsys, "pbh", "limits", "--posterior", posterior_file, "--draws", "3",
                         "--masses", "1e16:3e16:2", *GRID, "--plot", str(tmp_path / "band.png"))
    assert code == 0, err
    names, rows = csv_table(out)
    assert names == ["M_g", *(f"f_PBH_limit_{k}" for k in BAND)]
    assert rows.shape == (2, 6) and np.all(rows[:, 2] <= rows[:, 1]) and np.all(rows[:, 1] <= rows[:, 3])
    assert "post.ecsv (sha256" in out and "draws: 3 (seed 0)" in out
    assert (tmp_path / "band.png").stat().st_size > 0
    code, _, err = run(capsys, "pbh", "limits", "--posterior", posterior_file, "--draws", "3",
                       "--masses", "1e16:3e16:2", *GRID, "--output", str(tmp_path / "band.ecsv"))
    assert code == 0, err
    table = Table.read(tmp_path / "band.ecsv", format="ascii.ecsv")
    assert table.meta["posterior_file"] == "post.ecsv" and len(table.meta["draw_indices"]) == 3
    np.testing.assert_allclose(table["f_PBH_limit_median"], rows[:, 1], rtol=1e-12)


def test_fraction_over_a_posterior(capsys, tmp_path, posterior_file):
    code, out, err = run(capsys, "fraction", "--posterior", posterior_file, "--draws", "2", "--energies", "1:100:3",
                         *GRID, "--plot", str(tmp_path / "fraction.png"))
    assert code == 0, err
    names, rows = csv_table(out)
    assert names == ["E_GeV", *(f"fraction_{k}" for k in BAND), *(f"flux_positron_{k}" for k in BAND)]
    assert rows.shape == (3, 11) and np.all((rows[:, 1] > 0) & (rows[:, 1] < 0.5))
    assert (tmp_path / "fraction.png").stat().st_size > 0


def test_a_table_that_is_not_a_posterior_is_refused_in_one_line(capsys, tmp_path):
    other = tmp_path / "other.ecsv"
    Table({"a": [1.0]}).write(other, format="ascii.ecsv")
    for command in (["pbh", "limits"], ["fraction"]):
        code, out, err = run(capsys, *command, "--posterior", str(other))
        assert code == 2 and out == "" and len(err.splitlines()) == 1
        assert "--posterior" in err and "not a propagation posterior" in err


def test_the_help_default_is_the_library_default():
    from positrons.analysis.propagation_bands import DEFAULT_DRAWS
    from positrons.commands import _posterior

    assert _posterior.DEFAULT_DRAWS == DEFAULT_DRAWS


def test_the_demo_posterior_is_labelled_a_demonstration_and_regenerated_by_its_tool():
    """examples/demo_posterior.ecsv says in its header that it is not a fit, and
    tools/make_demo_posterior.py makes the same samples (its provenance)."""
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    shipped = PropagationPosterior.read(root / "examples" / "demo_posterior.ecsv")
    assert shipped.settings["demonstration"] is True and "NOT a fit" in shipped.settings["fit"]
    assert "DEMONSTRATION" in shipped.base_model.description
    spec = importlib.util.spec_from_file_location("make_demo_posterior", root / "tools" / "make_demo_posterior.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    made = tool.demo_posterior(shipped.n_samples, shipped.settings["seed"])
    np.testing.assert_allclose(made.samples, shipped.samples, rtol=1e-15)
    assert made.base_model == shipped.base_model
