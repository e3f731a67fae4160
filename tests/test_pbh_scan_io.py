"""PBH scans on disk (ECSV round trip, resume, refusal on any setting change, lock, kill,
umask, row validation, atomic writes), the data rule of the limits, the phi band and job
splitting.

Coarse transport grid (dR = 2 kpc, dz = 0.4 kpc) and 1-3 masses: these test bookkeeping, not
physics (the physics of each layer is tested elsewhere).  The file tests use small synthetic
scans (settings from :func:`requested_settings`, made-up limits): no transport is solved."""

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import positrons
from positrons.analysis.transport import Transport
from positrons.propagation.grid import GridSpec
from positrons.propagation.models import PropagationModel
from positrons.propagation.solution import SolverSettings
from positrons.analysis import pbh_limits, scans
from positrons.analysis.dask_scans import ScanJob, dask_available, run_jobs, split_jobs
from positrons.analysis.pbh_limits import (
    ScanResult,
    pbh_limit_band,
    pbh_limit_scan,
    requested_settings,
)
from positrons.analysis.scans import (
    ScanFileError,
    ScanLockedError,
    ScanSettingsError,
    read_scan,
    run_scan,
    scan_settings,
    settings_differences,
    write_scan,
)

COARSE = dict(transport=Transport(GridSpec(dR_kpc=2.0, dz_kpc=0.2, dz_max_kpc=0.5, energy_points_per_decade=8)))
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
                "energy_range_GeV: [0.5, 5.2]", "missing_errors: assume", "data_points_used: 15",
                "data_points_assumed_error: 0", "D0_1e28_cm2_s: 5.8"):
        assert key in text, key
    assert back.model_parameters == res.model_parameters


def test_resume_computes_only_missing_masses(tmp_path, monkeypatch):
    """An interrupted scan: the file holds two of three masses; a rerun computes only the third
    and the merged result equals an uninterrupted scan."""
    path = tmp_path / "scan.ecsv"
    masses = [1e15, 1e16, 3e16]
    full = pbh_limit_scan("MED", masses, **COARSE)
    full.take([0, 2]).write(path)  # as if killed after 1e15 and 3e16

    computed = []
    real = scans.pbh_limit_scan

    def counting(model, masses_g, **kwargs):
        computed.extend(np.atleast_1d(masses_g).tolist())
        return real(model, masses_g, **kwargs)

    monkeypatch.setattr(scans, "pbh_limit_scan", counting)
    res = run_scan("MED", masses, path, **COARSE)
    assert computed == [1e16]
    assert np.array_equal(res.masses_g, full.masses_g)
    assert np.array_equal(res.f_limit, full.f_limit)
    assert np.array_equal(read_scan(path).f_limit, full.f_limit)
    computed.clear()
    run_scan("MED", masses, path, **COARSE)  # all done: nothing to compute
    assert computed == []


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
    results = run_jobs(jobs, [1e16], scheduler="none", **COARSE, progress=lambda i, n, job: done.append(i))
    assert done == [1, 2, 3, 4]
    direct = pbh_limit_scan("MED", [1e16], VOYAGER, "lognormal", 1.0, **COARSE)
    assert np.array_equal(results[3].f_limit, direct.f_limit)


def test_bad_scheduler():
    if not dask_available():
        with pytest.raises(ImportError, match="dask"):
            run_jobs([ScanJob("MED", VOYAGER)], [1e16], scheduler="local", **COARSE)
    else:
        with pytest.raises(ValueError, match="scheduler"):
            run_jobs([ScanJob("MED", VOYAGER)], [1e16], scheduler="bogus", **COARSE)


@pytest.mark.slow
@pytest.mark.skipif(not dask_available(), reason="dask.distributed not installed")
def test_dask_local_cluster_gives_the_serial_numbers():
    """Same function, same inputs, other processes. Not bit-identical: the workers run with one
    thread, so multi-threaded BLAS in this process sums in another order (observed relative
    differences 5e-14); 1e-12 leaves a margin and would catch any real difference."""
    jobs = split_jobs(["MED"], datasets=["ams02_positron_flux_prl2019", VOYAGER])
    serial = run_jobs(jobs, [1e16, 3e16], scheduler="none", **COARSE)
    parallel = run_jobs(jobs, [1e16, 3e16], scheduler="local", **COARSE)
    for a, b in zip(serial, parallel):
        assert a.settings() == b.settings()
        np.testing.assert_allclose(b.f_limit, a.f_limit, rtol=1e-12)


def test_limit_spectra_reproduce_the_scan():
    spec = pbh_limits.limit_spectra("MED", 1e16, **COARSE)
    scan = pbh_limit_scan("MED", [1e16], background="secondary", **COARSE)
    assert spec.f_limit == pytest.approx(scan.f_limit[0], rel=1e-6)
    assert np.all(spec.background > 0) and np.all(spec.signal >= 0)


# --- the data rule of the limits (Voyager 1: 4 of 9 points without a published error) ----
def test_voyager_limit_states_the_rule_and_the_counts(tmp_path):
    """Default 'assume': all 9 points, 4 with the assumed 10 %; 'skip': the 5 published ones.
    The rule and both counts are in the result and in the file header; the limits differ."""
    assume = pbh_limit_scan("MED", [1e16], VOYAGER, **COARSE)
    skip = pbh_limit_scan("MED", [1e16], VOYAGER, missing_errors="skip", **COARSE)
    assert (assume.missing_errors, assume.data_points_used, assume.data_points_assumed_error) == ("assume", 9, 4)
    assert (skip.missing_errors, skip.data_points_used, skip.data_points_assumed_error) == ("skip", 5, 0)
    assert assume.f_limit[0] != skip.f_limit[0]
    assume.write(tmp_path / "v.ecsv")
    text = (tmp_path / "v.ecsv").read_text()
    for key in ("missing_errors: assume", "data_points_used: 9", "data_points_assumed_error: 4"):
        assert key in text, key
    spectra = pbh_limits.limit_spectra("MED", 1e16, VOYAGER, background="none", missing_errors="skip", **COARSE)
    assert (spectra.data_points_used, spectra.data_points_assumed_error) == (5, 0)
    assert spectra.f_limit == pytest.approx(skip.f_limit[0], rel=1e-12)


def test_requested_settings_are_those_of_a_real_scan():
    """What run_scan compares before resuming is exactly what a scan records (every key,
    including any added to ScanResult.settings() later)."""
    res = pbh_limit_scan("MED", [1e16], VOYAGER, **COARSE)
    probe = {**requested_settings("MED", dataset=VOYAGER, **COARSE), "positrons_version": positrons.__version__}
    assert settings_differences(scan_settings(res), probe) == []
    fields = {f.name for f in dataclasses.fields(PropagationModel)}
    assert set(res.model_parameters) == fields


# --- scan files: synthetic scans, no transport ----------------------------------------------
def synthetic_scan(model="MED", masses=(1e15, 1e16), **kwargs) -> ScanResult:
    """A scan with the settings pbh_limit_scan would record for these arguments and made-up limits."""
    settings = requested_settings(model, **{**COARSE, **kwargs})
    n = len(masses)
    return ScanResult.from_settings(settings, model_parameters=settings["model_parameters"],
                                    masses_g=np.array(masses, dtype=float), f_limit=np.geomspace(1e-4, 1e-2, n),
                                    driving_energy_GeV=np.ones(n))


@pytest.fixture
def no_transport(monkeypatch):
    """Make any transport computation in run_scan a test failure."""
    def forbidden(*args, **kwargs):
        raise AssertionError("pbh_limit_scan was called")

    monkeypatch.setattr(scans, "pbh_limit_scan", forbidden)


def _one_line(exc_info) -> str:
    message = str(exc_info.value)
    assert "\n" not in message and isinstance(exc_info.value, ValueError)
    return message


@pytest.mark.parametrize(
    ("file_kwargs", "requested", "expected"),
    [
        ({}, dict(transport=Transport(GridSpec(1.0, 0.2, 0.5, 8))), "dR_kpc is 2.0 in the file, 1.0 requested"),
        ({}, dict(transport=Transport(GridSpec(2.0, 0.1, 0.5, 8))), "dz_kpc is 0.2 in the file, 0.1 requested"),
        ({}, dict(transport=Transport(GridSpec(2.0, 0.2, 0.5, 16))), "energy_points_per_decade is 8 in the file, 16 requested"),
        ({}, dict(transport=Transport(GridSpec(2.0, 0.2, 0.5, 8), SolverSettings(rtol=1e-7))), "solver.rtol is 1e-06 in the file, 1e-07 requested"),
        ({}, dict(dataset="ams02_allelectron_flux_physrep2021_crdb"),
         "dataset is 'ams02_positron_flux_prl2019' in the file, 'ams02_allelectron_flux_physrep2021_crdb' requested"),
        ({}, dict(energy_range=(0.5, 10.0)), "energy_range_GeV is [0.5, 5.2] in the file, [0.5, 10.0] requested"),
        (dict(dataset=VOYAGER), dict(dataset=VOYAGER, missing_errors="skip"),
         "missing_errors is 'assume' in the file, 'skip' requested (and 2 more: data_points_used, data_points_assumed_error)"),
        ({}, dict(phi_GV=0.9), "phi_GV is 0.55 in the file, 0.9 requested"),
        ({}, dict(background="secondary"), "background is 'none' in the file, 'secondary' requested"),
        (dict(mass_function="lognormal", sigma=1.0), dict(mass_function="lognormal", sigma=2.0),
         "sigma is 1.0 in the file, 2.0 requested"),
        ({}, dict(model="MAX"), "model is 'MED' in the file, 'MAX' requested"),
    ],
    ids=["dR", "dz", "energies", "solver", "dataset", "energy_range", "missing_errors", "phi", "background", "sigma", "model"],
)
def test_resume_refused_on_any_setting_change(tmp_path, no_transport, file_kwargs, requested, expected):
    path = tmp_path / "scan.ecsv"
    synthetic_scan(**file_kwargs).write(path)
    before = path.read_bytes()
    requested = {**COARSE, **requested}
    model = requested.pop("model", "MED")
    with pytest.raises(ScanSettingsError) as info:
        run_scan(model, [1e15, 2e16], path, **requested)
    assert _one_line(info).startswith(f"{path} holds a scan with other settings: {expected}")
    assert path.read_bytes() == before


def test_resume_refused_after_editing_the_model_toml(tmp_path, no_transport):
    """The model's name is the same (the file name); one parameter changed in the TOML."""
    toml = tmp_path / "mymodel.toml"
    text = textwrap.dedent("""\
        z_h_kpc = 3.2
        D0_1e28_cm2_s = 5.8
        eta = 1.0
        delta1 = 0.29
        v_alfven_km_s = 38.0
        proton_injection_indices = [1.79, 2.45]
        proton_injection_breaks_GV = [4.0]
    """)
    toml.write_text(text)
    path = tmp_path / "scan.ecsv"
    synthetic_scan(str(toml)).write(path)
    assert len(run_scan(str(toml), [1e15, 1e16], path, **COARSE).masses_g) == 2  # unchanged: resumes
    toml.write_text(text.replace("D0_1e28_cm2_s = 5.8", "D0_1e28_cm2_s = 5.9"))
    with pytest.raises(ScanSettingsError) as info:
        run_scan(str(toml), [1e15, 1e16], path, **COARSE)
    assert "model_parameters.D0_1e28_cm2_s is 5.8 in the file, 5.9 requested" in _one_line(info)


def test_resume_refused_for_another_package_version(tmp_path, no_transport, monkeypatch):
    path = tmp_path / "scan.ecsv"
    synthetic_scan().write(path)
    positrons_version = positrons.__version__
    monkeypatch.setattr(positrons, "__version__", "99.0")
    with pytest.raises(ScanSettingsError) as info:
        run_scan("MED", [1e15], path, **COARSE)
    assert f"positrons_version is {positrons_version!r} in the file, '99.0' requested" in _one_line(info)


def test_a_setting_added_later_is_compared_without_a_change():
    """The comparison runs over every key: a key recorded on one side only is a difference."""
    assert settings_differences({"a": 1.0, "b": {"c": [1, 2]}}, {"a": 1.0, "b": {"c": [1, 2]}}) == []
    assert settings_differences({"a": 1}, {"a": 1.0 + 1e-15}) == []
    assert settings_differences({"a": 1.0}, {"a": 1.0, "solver_rtol": 1e-8}) == [("solver_rtol", "<not recorded>", 1e-8)]
    assert settings_differences({"m": {"x": [1.0, 2.0]}}, {"m": {"x": [1.0, 2.5]}}) == [("m.x", [1.0, 2.0], [1.0, 2.5])]


def test_resuming_says_so_on_stderr(tmp_path, no_transport, capsys):
    path = tmp_path / "scan.ecsv"
    synthetic_scan(masses=(1e15, 1e16, 3e16)).write(path)
    res = run_scan("MED", [1e15, 3e16], path, **COARSE)
    assert capsys.readouterr().err == f"resuming scan {path}: 2 of 2 masses done\n"
    assert len(res.masses_g) == 3


def test_a_second_writer_is_refused(tmp_path):
    """While one writer holds the file's lock (here this process, through another descriptor:
    flock locks conflict between open files even within a process), write_scan and run_scan
    are refused at once; after the first one finishes the lock file is gone."""
    path = tmp_path / "scan.ecsv"
    res = synthetic_scan()
    with scans._locked(path):
        with pytest.raises(ScanLockedError) as info:
            write_scan(res, path)
        assert _one_line(info) == (f"{path} is being written by another scan (lock file .scan.ecsv.lock); "
                                   "wait for it or write to another file")
        with pytest.raises(ScanLockedError):
            run_scan("MED", [1e15], path, **COARSE)
    write_scan(res, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scan.ecsv"]


_KILLED_WRITER = """
import os, sys, time
from positrons.analysis import scans
from positrons.analysis.pbh_limits import ScanResult, requested_settings

from positrons.analysis.transport import Transport
from positrons.propagation.grid import GridSpec
settings = requested_settings("MED", transport=Transport(GridSpec(2.0, 0.2, 0.5, 8)))
res = ScanResult.from_settings(settings, model_parameters=settings["model_parameters"],
                               masses_g=[1e15, 1e16, 3e16], f_limit=[1.0, 2.0, 3.0], driving_energy_GeV=[1.0, 1.0, 1.0])

def hang(src, dst):  # the temporary file is written: stop just before it replaces the scan
    print("ready", flush=True)
    time.sleep(120)

os.replace = hang
scans.write_scan(res, sys.argv[1])
"""


def test_a_killed_writer_leaves_nothing_behind_after_the_next_open(tmp_path, no_transport):
    """SIGKILL a writer between writing its temporary file and the rename: the scan file is
    intact, and the next run of the same file removes the temporary and the lock file."""
    path = tmp_path / "scan.ecsv"
    synthetic_scan().write(path)
    before = path.read_bytes()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(path)], stdout=subprocess.PIPE, text=True,
                            env=env)
    try:
        assert proc.stdout.readline() == "ready\n"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".scan.ecsv.lock", f".scan.ecsv.{proc.pid}.tmp", "scan.ecsv"]
    )
    assert path.read_bytes() == before
    res = run_scan("MED", [1e15, 1e16], path, **COARSE)  # the next open: nothing to compute
    assert len(res.masses_g) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scan.ecsv"]


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_files_get_the_users_umask(tmp_path, umask):
    path = tmp_path / "scan.ecsv"
    old = os.umask(umask)
    try:
        write_scan(synthetic_scan(), path)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def _edited_copy(tmp_path, edit):
    from astropy.table import Table

    path = tmp_path / "scan.ecsv"
    synthetic_scan(masses=(1e15, 1e16, 3e16)).write(path)
    table = Table.read(path, format="ascii.ecsv")
    edit(table)
    table.write(path, format="ascii.ecsv", overwrite=True)
    return path


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda t: t["f_PBH_limit"].__setitem__(1, -1.0), "row 1 (M = 1e+16 g): f_PBH_limit -1.0 is not >= 0"),
        (lambda t: t["f_PBH_limit"].__setitem__(2, np.nan), "row 2 (M = 3e+16 g): f_PBH_limit nan is not >= 0"),
        (lambda t: t["M_g"].__setitem__(0, 1e10), "row 0: mass 10000000000.0 g is not a finite mass >= 5.29e+13 g"),
        (lambda t: t["M_g"].__setitem__(1, np.inf), "row 1: mass inf g is not a finite mass"),
        (lambda t: t["M_g"].__setitem__(2, 1e16), "row 2: mass 1e+16 g does not increase"),
        (lambda t: t.meta.pop("dataset"), "not a PBH scan file (lacks dataset)"),
    ],
    ids=["negative_f", "nan_f", "mass_too_light", "infinite_mass", "repeated_mass", "no_dataset"],
)
def test_rows_read_back_are_validated(tmp_path, no_transport, edit, problem):
    path = _edited_copy(tmp_path, edit)
    with pytest.raises(ScanFileError) as info:
        read_scan(path)
    assert _one_line(info).startswith(f"{path}: ") and problem in str(info.value)
    with pytest.raises(ScanFileError):
        run_scan("MED", [1e15], path, **COARSE)


def test_an_unreadable_scan_file_is_one_line(tmp_path):
    path = tmp_path / "scan.ecsv"
    path.write_text("# %ECSV 1.0\n# ---\n# garbage: [\n")
    with pytest.raises(ScanFileError) as info:
        read_scan(path)
    assert _one_line(info).startswith(f"{path}: not a readable ECSV scan file")


def test_resume_refused_for_another_modulation(tmp_path, no_transport):
    """The modulation's settings are part of a scan: a file made with the force field is not
    resumed with no modulation or with a transfer matrix."""
    from positrons.heliosphere.modulation import NoModulation, TransferMatrixModulation
    from positrons.heliosphere.transfer_matrix import TransferMatrix

    path = tmp_path / "scan.ecsv"
    synthetic_scan().write(path)
    matrix = TransferMatrix.from_force_field(0.55, "positron", np.geomspace(0.01, 300.0, 200))
    for modulation, first in ((NoModulation(), "phi_GV is 0.55 in the file, 0.0 requested"),
                              (TransferMatrixModulation({"positron": matrix}), "phi_GV is 0.55 in the file, None requested")):
        with pytest.raises(ScanSettingsError) as info:
            run_scan("MED", [1e15], path, modulation=modulation, **COARSE)
        message = _one_line(info)
        assert message.startswith(f"{path} holds a scan with other settings: {first}") and "modulation.modulation" in message
