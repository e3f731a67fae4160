"""PBH scans on disk (ECSV round trip, resume, atomic writes), the phi band and job splitting.

Coarse transport grid (dR = 2 kpc, dz = 0.4 kpc) and 1-3 masses: these test bookkeeping, not
physics (the physics of each layer is tested elsewhere)."""

import os

import numpy as np
import pytest

import positrons
from positrons.propagation.grid import GridSpec
from positrons.stats import pbh_scan, scan_io
from positrons.stats.dask_scan import ScanJob, dask_available, run_jobs, split_jobs
from positrons.stats.pbh_scan import pbh_limit_band, pbh_limit_scan
from positrons.stats.scan_io import read_scan, run_scan

COARSE = dict(grid_spec=GridSpec(dR_kpc=2.0, dz_kpc=0.2, dz_max_kpc=0.5, energy_points_per_decade=8))
VOYAGER = "voyager1_electron_lis_cummings2016"


def test_ecsv_round_trip_is_exact_and_self_describing(tmp_path):
    res = pbh_limit_scan("MED", [1e16, 3e16], background="secondary", **COARSE)
    path = tmp_path / "scan.ecsv"
    res.write(path)
    back = read_scan(path)
    assert back.settings() == res.settings()
    for name in ("masses_g", "f_limit", "driving_energy_GeV", "chi2_min", "A_best", "delta_best"):
        # ECSV writes floats with repr: the round trip is exact
        assert np.array_equal(getattr(back, name), getattr(res, name)), name
    text = path.read_text()
    for key in ("model: MED", "dataset: ams02_positron_flux_prl2019", "background: secondary",
                f"positrons_version: {positrons.__version__}", "date:", "dR_kpc: 2.0", "unit: g",
                "energy_range_GeV: [0.5, 5.2]"):
        assert key in text, key


def test_resume_computes_only_missing_masses(tmp_path, monkeypatch):
    """An interrupted scan: the file holds two of three masses; a rerun computes only the third
    and the merged result equals an uninterrupted scan."""
    path = tmp_path / "scan.ecsv"
    masses = [1e15, 1e16, 3e16]
    full = pbh_limit_scan("MED", masses, **COARSE)
    full.take([0, 2]).write(path)  # as if killed after 1e15 and 3e16

    computed = []
    real = scan_io.pbh_limit_scan

    def counting(model, masses_g, **kwargs):
        computed.extend(np.atleast_1d(masses_g).tolist())
        return real(model, masses_g, **kwargs)

    monkeypatch.setattr(scan_io, "pbh_limit_scan", counting)
    res = run_scan("MED", masses, path, **COARSE)
    assert computed == [1e16]
    assert np.array_equal(res.masses_g, full.masses_g)
    assert np.array_equal(res.f_limit, full.f_limit)
    assert np.array_equal(read_scan(path).f_limit, full.f_limit)
    computed.clear()
    run_scan("MED", masses, path, **COARSE)  # all done: nothing to compute
    assert computed == []


def test_resume_refuses_other_settings(tmp_path):
    path = tmp_path / "scan.ecsv"
    pbh_limit_scan("MED", [1e16], **COARSE).write(path)
    with pytest.raises(ValueError, match="other settings"):
        run_scan("MED", [1e16, 2e16], path, phi_GV=0.9, **COARSE)
    with pytest.raises(ValueError, match="other settings"):
        run_scan("MED", [1e16, 2e16], path, energy_range=(0.5, 10.0), **COARSE)
    assert len(run_scan("MED", [1e16], path, energy_range=(0.5, 5.2), **COARSE).masses_g) == 1  # the default


def test_failed_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "scan.ecsv"
    res = pbh_limit_scan("MED", [1e16], **COARSE)
    res.write(path)
    before = path.read_bytes()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)  # fail at the last step ...
    with pytest.raises(OSError, match="disk full"):
        pbh_limit_scan("MED", [1e16, 2e16], **COARSE).write(path)
    monkeypatch.undo()
    from astropy.table import Table

    monkeypatch.setattr(Table, "write", broken)  # ... and in the middle of serialising
    with pytest.raises(OSError, match="disk full"):
        res.write(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["scan.ecsv"]  # no temporary file left behind


def test_phi_band():
    """phi -/+ 0.1 GV changes the AMS-02 limit (modulated data) and not Voyager's (local
    interstellar data are compared unmodulated: a zero-width band)."""
    band = pbh_limit_band("MED", [1e16], **COARSE)
    assert band.modulated
    assert band.low.phi_GV == pytest.approx(band.central.phi_GV - 0.1)
    assert band.high.phi_GV == pytest.approx(band.central.phi_GV + 0.1)
    assert band.low.f_limit[0] != band.high.f_limit[0]
    assert np.all(band.lower_f <= band.central.f_limit) and np.all(band.central.f_limit <= band.upper_f)
    voyager = pbh_limit_band("MED", [1e16], VOYAGER, **COARSE)
    assert not voyager.modulated and np.array_equal(voyager.lower_f, voyager.upper_f)


def test_split_jobs_and_serial_run_equal_direct_scans():
    jobs = split_jobs(["MED"], datasets=["ams02_positron_flux_prl2019", VOYAGER],
                      mass_functions=[("monochromatic", None), ("lognormal", 1.0)])
    assert len(jobs) == 4 and len(set(jobs)) == 4
    assert jobs[1] == ScanJob("MED", "ams02_positron_flux_prl2019", "lognormal", 1.0)
    done = []
    results = run_jobs(jobs, [1e16], scheduler="none", grid=COARSE, progress=lambda i, n, job: done.append(i))
    assert done == [1, 2, 3, 4]
    direct = pbh_limit_scan("MED", [1e16], VOYAGER, "lognormal", 1.0, **COARSE)
    assert np.array_equal(results[3].f_limit, direct.f_limit)


def test_bad_scheduler():
    if not dask_available():
        with pytest.raises(ImportError, match="dask"):
            run_jobs([ScanJob("MED", VOYAGER)], [1e16], scheduler="local", grid=COARSE)
    else:
        with pytest.raises(ValueError, match="scheduler"):
            run_jobs([ScanJob("MED", VOYAGER)], [1e16], scheduler="bogus", grid=COARSE)


@pytest.mark.slow
@pytest.mark.skipif(not dask_available(), reason="dask.distributed not installed")
def test_dask_local_cluster_gives_the_serial_numbers():
    """Same function, same inputs, other processes. Not bit-identical: the workers run with one
    thread, so multi-threaded BLAS in this process sums in another order (observed relative
    differences 5e-14); 1e-12 leaves a margin and would catch any real difference."""
    jobs = split_jobs(["MED"], datasets=["ams02_positron_flux_prl2019", VOYAGER])
    serial = run_jobs(jobs, [1e16, 3e16], scheduler="none", grid=COARSE)
    parallel = run_jobs(jobs, [1e16, 3e16], scheduler="local", grid=COARSE)
    for a, b in zip(serial, parallel):
        assert a.settings() == b.settings()
        np.testing.assert_allclose(b.f_limit, a.f_limit, rtol=1e-12)


def test_limit_spectra_reproduce_the_scan():
    spec = pbh_scan.limit_spectra("MED", 1e16, **COARSE)
    scan = pbh_limit_scan("MED", [1e16], background="secondary", **COARSE)
    assert spec.f_limit == pytest.approx(scan.f_limit[0], rel=1e-6)
    assert np.all(spec.background > 0) and np.all(spec.signal >= 0)
