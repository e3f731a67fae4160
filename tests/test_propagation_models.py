"""Propagation-model presets (Huang & Zhou 2024, arXiv:2403.04987, Table 1) and user models from TOML."""

import numpy as np
import pytest

from positrons.propagation.models import PRESETS, Injection, PropagationModel, UnknownModelKeyError, get_propagation_model


def test_presets_match_the_table():
    """Huang & Zhou Table 1."""
    table = {  # z_h, D0, eta, delta1, V_a
        "GH": (4.0, 4.3, 0.7, 0.415, 30), "MIN": (1.8, 3.2, 1, 0.30, 38), "MED": (3.2, 5.8, 1, 0.29, 38),
        "MAX": (6.0, 9.8, 1, 0.29, 36), "MAX2": (10.0, 13.9, 1, 0.29, 36), "DB": (4.0, 5.05, 1, 0.49, 0),
    }
    for name, (z_h, D0, eta, d1, va) in table.items():
        m = PRESETS[name]
        assert (m.z_h_kpc, m.D0_1e28_cm2_s, m.eta, m.delta1, m.v_alfven_km_s) == (z_h, D0, eta, d1, va)
    assert PRESETS["DB"].delta0 == -0.98 and PRESETS["DB"].rigidity_break_GV == 3.94
    assert PRESETS["DB"].v_conv0_km_s == 3.34 and PRESETS["GH"].dv_conv_dz_km_s_kpc == 9.8
    assert PRESETS["DB"].phi_GV == 0.61 and PRESETS["MED"].phi_GV == 0.55


def test_diffusion_coefficient_values():
    """D = beta^eta D0 (R/4 GV)^delta: at R = 4 GV (a 4 GeV electron, beta = 1) D = D0;
    the DB break is continuous and D rises below it (delta0 < 0)."""
    m = PRESETS["MED"]
    T4 = 4.0 - 0.000511  # kinetic energy of a 4 GV electron (m_e neglected to 1e-7)
    assert m.diffusion(T4, "electron") == pytest.approx(5.8e28, rel=1e-6)
    db = PRESETS["DB"]
    R = np.array([3.94 * (1 - 1e-9), 3.94 * (1 + 1e-9)])
    D = db.diffusion(R, "electron")
    assert D[0] == pytest.approx(D[1], rel=1e-6)
    assert db.diffusion(0.5, "electron") > db.diffusion(3.0, "electron")


def test_reacceleration_coefficient():
    """D_pp = 4 V_a^2 p^2 / (3 D delta (4 - delta^2)(4 - delta)) by hand at p = 10 GeV (MED)."""
    m = PRESETS["MED"]
    T = 10.0
    d = 0.29
    D = m.diffusion(T, "electron")
    expected = 4 * (38e5) ** 2 * T**2 / (3 * D * d * (4 - d * d) * (4 - d))
    assert m.momentum_diffusion(T, "electron") == pytest.approx(expected, rel=1e-4)
    assert np.all(PRESETS["DB"].momentum_diffusion(np.array([1.0, 10.0]), "electron") == 0)


def test_convection_and_source_distribution():
    m = PRESETS["GH"]
    assert m.convection_velocity(1.0) == pytest.approx(9.8e5)  # cm/s at z = 1 kpc
    assert m.convection_velocity(-1.0) == pytest.approx(-9.8e5)
    assert PRESETS["DB"].convection_velocity(0.5) == pytest.approx(3.34e5)
    assert m.source_distribution(8.5, 0.0) == pytest.approx(1.0)
    assert m.source_distribution(0.0, 0.0) == 0.0


def test_injection_broken_power_law():
    inj = Injection((1.8, 2.45), (4.0,))
    R = np.array([2.0, 4.0, 8.0])
    s = inj.shape(R)
    assert s[0] == pytest.approx(2.0**-1.8)
    assert s[2] / s[1] == pytest.approx(2.0**-2.45)
    with pytest.raises(ValueError):
        Injection((2.0,), (4.0,))


def test_toml_models_and_unknown_keys(tmp_path):
    good = tmp_path / "mine.toml"
    good.write_text('z_h_kpc = 5.0\nD0_1e28_cm2_s = 7.0\neta = 1.0\ndelta1 = 0.33\nv_alfven_km_s = 20.0\n'
                    'proton_injection_indices = [1.8, 2.4]\nproton_injection_breaks_GV = [5.0]\n')
    m = get_propagation_model(str(good))
    assert m.name == "mine" and m.z_h_kpc == 5.0 and m.proton_injection.breaks_GV == (5.0,)
    bad = tmp_path / "typo.toml"
    bad.write_text('z_h_kpc = 5.0\nD0_1e28_cm2_s = 7.0\neta = 1.0\ndelta1 = 0.33\nv_alfven_km_s = 20.0\nvalfven = 3\n')
    with pytest.raises(UnknownModelKeyError, match="typo.toml: unknown propagation-model key.*valfven"):
        get_propagation_model(str(bad))
    with pytest.raises(ValueError, match="unknown propagation model"):
        get_propagation_model("MEDIUM")
    with pytest.raises(UnknownModelKeyError):
        PRESETS["MED"].replace(zh=3)
    with pytest.raises(ValueError, match="> 0"):
        PRESETS["MED"].replace(z_h_kpc=-1.0)
