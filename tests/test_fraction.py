"""The secondary-only positron fraction (coarse transport grid; physics of each layer tested elsewhere)."""

import numpy as np
import pytest

from positrons.cli import main
from positrons.fraction import secondary_fraction

COARSE = dict(dR_kpc=2.0, dz_kpc=0.4, transport_energies=np.geomspace(0.1, 1e4, 31))


@pytest.mark.parametrize("model", ["MED", "DB"])
def test_secondary_fraction_falls_above_a_few_GeV(model):
    """Secondaries alone predict a positron fraction that falls with energy above a few GeV
    (SPEC section 1): the rise seen by PAMELA, Fermi-LAT and AMS-02 needs a primary source.
    Checked from 5 GeV to 1 TeV: every step down, and the fraction stays below 0.1."""
    pred = secondary_fraction(model, np.geomspace(5.0, 1000.0, 12), **COARSE)
    assert np.all(np.diff(pred.fraction) < 0)
    assert np.all((pred.fraction > 0) & (pred.fraction < 0.1))
    assert np.all(pred.electrons > pred.positrons)


def test_cli_fraction(capsys):
    code = main(["fraction", "--model", "DB", "--dR", "2", "--dz", "0.4", "--energies", "1:100:4"])
    out, err = capsys.readouterr()
    assert code == 0
    rows = [line.split(",") for line in out.splitlines() if not line.startswith("#")]
    assert rows[0][:3] == ["E_GeV", "fraction", "fraction_secondary"]
    assert len(rows) == 5
    code = main(["fraction", "--source", "pulsars"])
    assert code == 2 and "not implemented" in capsys.readouterr().err
