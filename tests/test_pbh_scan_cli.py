"""``positrons pbh limits`` with --output FILE.ecsv (resume), --phi-band, --scheduler and --all,
and the limit figures (coarse grid, few masses: bookkeeping, not physics)."""

import sys

import numpy as np
import pytest

from clitools import csv_table, run
from positrons.commands import pbh as pbh_cmd
from positrons.plotting.limits import LimitCurve, PublishedBound, plot_limit_curves, plot_limits_by_model
from positrons.analysis import pbh_campaign, scans
from positrons.analysis.dask_scans import ScanJob, run_jobs
from positrons.analysis.scans import read_scan

GRID = ["--dR", "2", "--dz", "0.2", "--dz-max", "0.5", "--energy-points-per-decade", "8", "--no-cache"]


def test_ecsv_output_is_resumed(capsys, tmp_path, monkeypatch):
    path = tmp_path / "med.ecsv"
    code, out, err = run(capsys, "pbh", "limits", "--mass", "1e16", "--output", str(path), *GRID)
    assert code == 0 and f"wrote {path}" in err
    computed = []
    real = scans.pbh_limit_scan
    monkeypatch.setattr(scans, "pbh_limit_scan",
                        lambda model, m, **kw: computed.extend(np.atleast_1d(m)) or real(model, m, **kw))
    code, out, _ = run(capsys, "pbh", "limits", "--masses", "1e16:4e16:3", "--output", str(path), *GRID)
    assert code == 0
    assert computed == pytest.approx([2e16, 4e16])  # 1e16 was in the file
    names, rows = csv_table(out)
    assert names[:2] == ["M_g", "f_PBH_limit"] and rows.shape[0] == 3
    assert np.array_equal(read_scan(path).f_limit, rows[:, 1])  # both files write repr floats: exact
    code, _, err = run(capsys, "pbh", "limits", "--mass", "1e16", "--phi", "0.3", "--output", str(path), *GRID)
    assert code == 2 and "other settings" in err


def test_phi_band_columns(capsys):
    code, out, _ = run(capsys, "pbh", "limits", "--mass", "1e16", "--phi-band", *GRID)
    assert code == 0
    names, rows = csv_table(out)
    f, lo, hi = rows[0, names.index("f_PBH_limit")], rows[0, names.index("f_PBH_limit_phi_minus_0.1")], \
        rows[0, names.index("f_PBH_limit_phi_plus_0.1")]
    assert lo != hi and min(lo, hi) <= f <= max(lo, hi)
    code, out, _ = run(capsys, "pbh", "limits", "--mass", "1e16", "--phi-band", "--dataset",
                       "voyager1_electron_lis_cummings2016", *GRID)
    assert code == 0 and "compared unmodulated" in out
    names, rows = csv_table(out)
    assert rows[0, names.index("f_PBH_limit_phi_minus_0.1")] == rows[0, names.index("f_PBH_limit")]


def test_phi_band_scans_are_written_beside_the_central_one(capsys, tmp_path):
    """--phi-band with FILE.ecsv: FILE_phi-0.1.ecsv and FILE_phi+0.1.ecsv beside it (scans.band_path),
    each at phi -/+ 0.1 GV, and the printed band columns are theirs."""
    path = tmp_path / "med.ecsv"
    code, out, err = run(capsys, "pbh", "limits", "--mass", "1e16", "--phi-band", "--output", str(path), *GRID)
    assert code == 0 and "(and the phi -/+ 0.1 GV scans next to it)" in err
    low, high = scans.band_path(path, -0.1), scans.band_path(path, 0.1)
    assert (low.name, high.name) == ("med_phi-0.1.ecsv", "med_phi+0.1.ecsv")
    central = read_scan(path)
    assert read_scan(low).phi_GV == pytest.approx(central.phi_GV - 0.1)
    assert read_scan(high).phi_GV == pytest.approx(central.phi_GV + 0.1)
    names, rows = csv_table(out)
    assert rows[0, names.index("f_PBH_limit_phi_minus_0.1")] == read_scan(low).f_limit[0]
    assert rows[0, names.index("f_PBH_limit_phi_plus_0.1")] == read_scan(high).f_limit[0]


def test_bad_scheduler_and_missing_dask(capsys, monkeypatch, tmp_path):
    code, _, err = run(capsys, "pbh", "limits", "--all", "--quick", "--scheduler", "bogus", "--output", str(tmp_path))
    assert code == 2 and "scheduler" in err
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # as if dask were not installed
    with pytest.raises(ImportError, match=r"pip install 'dask\[distributed\]'"):
        run_jobs([ScanJob("MED", "voyager1_electron_lis_cummings2016")], [1e16], scheduler="local")
    from positrons.analysis.dask_scans import default_scheduler

    assert default_scheduler() == "none"


def test_all_figures_quick(capsys, tmp_path, monkeypatch):
    """--all on one model and two masses (the full set is 6 models: tools/make_pbh_limit_figures.py);
    on a terminal it says what it runs and draws a bar over the scans."""
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(pbh_campaign, "ALL_MODELS", ("MED",))
    monkeypatch.setitem(pbh_cmd.QUICK, "masses", "1e16:3e16:2")
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code, _, _ = run(capsys, "pbh", "limits", "--all", "--quick", "--scheduler", "none", "--output", str(tmp_path))
    err = terminal.getvalue()
    assert code == 0 and "positrons pbh limits --all:" in err and "limit scans" in err and "wrote" in err
    for name in ("models", "widths", "background", "flux"):
        assert (tmp_path / f"pbh_limits_{name}.png").stat().st_size > 10_000
    scans = sorted(p.name for p in tmp_path.glob("scan_*.ecsv"))
    assert "scan_MED_ams02_positron_flux_prl2019_monochromatic_none.ecsv" in scans
    assert any("_phi" in s for s in scans) and not any("voyager" in s and "_phi" in s for s in scans)
    assert len(read_scan(tmp_path / scans[0]).masses_g) == 2


def test_published_bound_hook(tmp_path):
    table = tmp_path / "bc2019.txt"
    table.write_text("# M [g], f\n1e15, 1e-4\n1e16, 1e-2\n")
    bound = PublishedBound.from_file(table, "digitised by hand from a paper's figure")
    assert np.array_equal(bound.masses_g, [1e15, 1e16])
    with pytest.raises(ValueError, match="citation"):
        PublishedBound(bound.masses_g, bound.f, " ")
    curve = LimitCurve("x", np.array([1e15, 1e16]), np.array([1e-5, 1e-3]))
    fig = plot_limit_curves([curve], published=[bound])
    assert bound.citation in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    fig = plot_limits_by_model({"A": [curve], "B": [LimitCurve("y", curve.masses_g, np.array([1e9, np.inf]))]})
    assert any("off scale" in t.get_text() for t in fig.axes[1].texts)
