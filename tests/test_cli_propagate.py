"""`positrons propagate` in-process, on coarse grids (the physics is tested in test_diffusion2d)."""

import numpy as np

from clitools import csv_table as _table, run


COARSE = ["--dR", "2", "--dz", "0.2", "--dz-max", "0.5", "--energy-points-per-decade", "8", "--no-cache", "--energies", "0.001:10:9"]


def test_secondary_positrons(capsys):
    code, out, _ = run(capsys, "propagate", "--model", "MED", "--source", "secondary", *COARSE)
    assert code == 0
    names, rows = _table(out)
    assert names == ["E_kin_GeV", "flux_per_GeV_m2_s_sr"]
    assert np.all(rows[:, 1] > 0)


def test_pbh_reacceleration_versus_diffusion_break(capsys):
    """The qualitative result the PBH story rests on: with re-acceleration (MED) positrons of
    2e16 g PBHs reach 1 GeV; with the DB model (no re-acceleration, fast low-energy escape)
    they are cut off near 10 MeV."""
    fluxes = {}
    for model in ("MED", "DB"):
        code, out, _ = run(capsys, "propagate", "--model", model, "--source", "pbh", "--mass", "2e16", *COARSE)
        assert code == 0 and "f_PBH = 1" in out
        _, rows = _table(out)
        fluxes[model] = rows
    T = fluxes["MED"][:, 0]
    at_1GeV = np.argmin(np.abs(T - 1.0))
    assert fluxes["MED"][at_1GeV, 1] > 1e3 * max(fluxes["DB"][at_1GeV, 1], 1e-300)
    assert fluxes["DB"][at_1GeV, 1] < 1e-6 * fluxes["DB"][:, 1].max()


def test_secondary_full_and_approximate_routes_agree_roughly(capsys):
    """The full route (propagated p/He through the production matrix cell by cell) and the
    'local-LIS-shape' approximation differ by the spectral shapes of the primaries: within
    a factor 1.5 from 0.1 to 100 GeV (measured: -23 % to +22 % on the default grid)."""
    fluxes = []
    for method in ("full", "local-lis-shape"):
        code, out, _ = run(capsys, "propagate", "--model", "MED", "--secondary-method", method,
                           "--dR", "2", "--dz", "0.2", "--dz-max", "0.5", "--energy-points-per-decade", "8", "--no-cache", "--energies", "0.1:100:7")
        assert code == 0
        fluxes.append(_table(out)[1][:, 1])
    ratio = fluxes[0] / fluxes[1]
    assert np.all((ratio > 1 / 1.5) & (ratio < 1.5)), ratio


def test_a_toml_model_is_read_without_tomllib(capsys, tmp_path, monkeypatch):
    """Python 3.10 has no tomllib: --model FILE.toml is read with tomli (tomllib is tomli, moved
    into the standard library in 3.11, so the real tomllib stands in for it here)."""
    import sys
    import tomllib

    monkeypatch.setitem(sys.modules, "tomllib", None)  # 'import tomllib' fails, as on Python 3.10
    monkeypatch.setitem(sys.modules, "tomli", tomllib)
    path = tmp_path / "typo.toml"
    path.write_text('z_h_kpc = 4.0\nz_halo = 4.0\n')
    code, _, err = run(capsys, "propagate", "--model", str(path))
    assert code == 2 and "typo.toml" in err and "z_halo" in err and len(err.splitlines()) == 1
