"""``positrons modulate --method drift --period NAME|FILE.toml``, run in-process.

Compared against: the library it wraps (``DriftModulation(period).modulate`` on the input
energies, to the 10 printed digits) and the documented refusals (one line, exit status 2).
"""

import numpy as np

from positrons.cli import main
from positrons.heliosphere.drift_modulation import DriftModulation
from positrons.heliosphere.drift_periods import load_period

ENERGIES = np.geomspace(0.3, 30.0, 6)


def lis(T):
    return 1.6e-2 * (T / 10.0) ** -3.3 * ((T / (T + 2.0)) / (10.0 / 12.0)) ** 4


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_drift_method_is_the_library(capsys, tmp_path):
    path = tmp_path / "lis.csv"
    path.write_text("E_kin_GeV,flux\n" + "".join(f"{float(T)!r},{float(lis(T))!r}\n" for T in ENERGIES))
    period_file = tmp_path / "mine.toml"
    period_file.write_text(load_period("pamela_2006_2009").to_toml())
    code, out, err = run(capsys, "modulate", "--lis", path, "--species", "electron", "--method", "drift",
                       "--period", period_file)
    assert code == 0, err
    rows = np.loadtxt([line for line in out.splitlines() if not line.startswith("#")][1:], delimiter=",", ndmin=2)
    expected = DriftModulation(load_period("pamela_2006_2009")).modulate(ENERGIES, (list(ENERGIES), list(lis(ENERGIES))), "electron")
    assert np.allclose(rows[:, 1], expected, rtol=1e-9)
    assert np.all(rows[:, 2] == rows[:, 1]) and np.all(rows[:, 3] == rows[:, 1])


def test_drift_method_refusals(capsys, tmp_path):
    path = tmp_path / "lis.csv"
    path.write_text("E_kin_GeV,flux\n1,1\n2,0.2\n")
    for argv, message in ((("--method", "drift"), "needs --period"),
                          (("--method", "drift", "--period", "nope"), "unknown drift period"),
                          (("--phi", "0.5", "--period", "pamela_2006_2009"), "--period goes with --method drift")):
        try:
            code, _, err = run(capsys, "modulate", "--lis", path, *argv)
        except SystemExit as exc:
            code, err = exc.code, capsys.readouterr().err
        assert code == 2 and message in err, err
