"""The Modulation protocol: every model of the heliosphere behind one call."""

import numpy as np
import pytest

from positrons.heliosphere import force_field
from positrons.heliosphere.modulation import (ForceFieldModulation, Modulation, NoModulation,
                                              TransferMatrixModulation)
from positrons.heliosphere.transfer_matrix import TransferMatrix

T = np.geomspace(0.5, 50.0, 12)
LIS = (np.geomspace(0.01, 1e4, 200), np.geomspace(0.01, 1e4, 200) ** -3.2)


def test_every_model_is_a_modulation_and_records_its_settings():
    for model in (NoModulation(), ForceFieldModulation(0.55)):
        assert isinstance(model, Modulation)
        assert model.settings()["modulation"] == model.name


def test_force_field_and_its_matrix_agree_and_none_is_the_identity():
    """The force field as a call and as a matrix (TransferMatrix.from_force_field): the same
    flux to the matrix's quadrature (1 %); NoModulation returns the LIS."""
    ff = ForceFieldModulation(0.55)
    direct = ff.modulate(T, LIS, "positron")
    assert np.allclose(direct, force_field.modulate(T, LIS, 0.55, "positron"), rtol=1e-14)
    R = np.geomspace(0.3, 200.0, 300)
    tm = TransferMatrixModulation({"positron": TransferMatrix.from_force_field(0.55, "positron", R)})
    assert np.allclose(tm.modulate(T, LIS, "positron"), direct, rtol=1e-2)
    assert np.allclose(NoModulation().modulate(T, LIS, "positron"), T**-3.2, rtol=1e-6)
    with pytest.raises(ValueError, match="no transfer matrix for electron"):
        tm.modulate(T, LIS, "electron")


def test_a_negative_or_nan_potential_is_refused():
    for phi in (-0.1, float("nan")):
        with pytest.raises(ValueError):
            ForceFieldModulation(phi)
