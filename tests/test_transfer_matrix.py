"""Tests of transfer-matrix modulation (positrons.heliosphere.transfer_matrix).

Compared against: the force field evaluated directly (Eq. 2 of force_field) -- the matrix
built by ``from_force_field`` must reproduce it up to the error of linear interpolation in
ln R, whose bound ``(h^2/8) max|Phi''/Phi|`` (h the ln R spacing, '' the second derivative
in ln R of the LIS per GV) is computed from the LIS and used as the tolerance; the error
must also fall as h^2.  The trapezoid folding of ``from_kernel`` is checked on a kernel
whose integral is known in closed form, and the ECSV format by exact round trip and by
refusing broken files.
"""

import numpy as np
import pytest

from positrons import kinematics as kin
from positrons.heliosphere import force_field as ff
from positrons.heliosphere.transfer_matrix import TransferMatrix, TransferMatrixFormatError, read_transfer_matrix


def lis_peaked(T, N=1.6e-2, gamma=3.3, Tc=2.0, a=4.0):
    T = np.asarray(T, dtype=float)
    return N * (T / 10.0) ** -gamma * ((T / (T + Tc)) / (10.0 / (10.0 + Tc))) ** a


def interpolation_bound(tm, lis):
    """(h^2/8) max |d^2 Phi_R/d(ln R)^2| / Phi_R over the LIS nodes (finite differences, fine grid)."""
    sp = kin.get_species(tm.species)
    lnR = np.linspace(np.log(tm.R_lis[0]), np.log(tm.R_lis[-1]), 20001)
    T = kin.kinetic_from_rigidity(np.exp(lnR), sp)
    y = lis(T) * kin.dT_dR(T, sp)
    d2 = np.gradient(np.gradient(y, lnR), lnR)
    h = np.max(np.diff(np.log(tm.R_lis)))
    return h**2 / 8 * np.max(np.abs(d2 / y)[5:-5])


@pytest.mark.parametrize("species", ["positron", "proton", "helium"])
def test_force_field_matrix_reproduces_the_force_field(species):
    R = np.geomspace(0.05, 1000.0, 401)  # 93 points per decade
    phi = 0.55
    tm = TransferMatrix.from_force_field(phi, species, R)
    got = tm.apply(lis_peaked)
    expected = ff.modulate(tm.T_toa, lis_peaked, phi, species)
    err = np.max(np.abs(got / expected - 1))
    bound = interpolation_bound(tm, lis_peaked)
    # tolerance: the interpolation bound (8e-4 here), +10 % because the bound divides by
    # Phi at the node rather than by its minimum over the interval (the helium error
    # reaches 0.9998 of the bound)
    assert err <= 1.1 * bound
    assert bound < 2e-3


def test_interpolation_error_falls_as_h_squared():
    errors = []
    for n in (101, 201, 401):
        tm = TransferMatrix.from_force_field(0.6, "positron", np.geomspace(0.1, 100.0, n))
        errors.append(np.max(np.abs(tm.apply(lis_peaked) / ff.modulate(tm.T_toa, lis_peaked, 0.6) - 1)))
    ratios = np.array(errors[:-1]) / np.array(errors[1:])
    assert np.all((ratios > 3.0) & (ratios < 5.0)), ratios  # second order: 4 per halving of h


def test_force_field_matrix_is_a_two_point_shift():
    R = np.geomspace(0.1, 100.0, 121)
    tm = TransferMatrix.from_force_field(0.8, "positron", R)
    sp = kin.get_species("positron")
    T = kin.kinetic_from_rigidity(R, sp)
    T1 = T + 0.8
    R1 = kin.rigidity_from_kinetic(T1, sp)
    c = kin.beta_from_kinetic(T, sp.mass) * R**2 / (kin.beta_from_kinetic(T1, sp.mass) * R1**2)
    for i, row in enumerate(tm.matrix):
        nz = np.flatnonzero(row)
        assert 1 <= nz.size <= 2 and (nz.size == 1 or nz[1] == nz[0] + 1)
        assert tm.R_lis[nz[0]] <= R1[i] * (1 + 1e-12) and R1[i] <= tm.R_lis[nz[-1]] * (1 + 1e-12)
        assert row.sum() == pytest.approx(c[i], rel=1e-12)  # Eq. 2: the weights add up to c(R)
    # the default LIS grid extends the TOA grid upward to cover R'(R_max)
    assert tm.R_lis[-1] >= R1[-1] and np.allclose(tm.R_lis[: R.size], R)


def test_zero_phi_gives_the_identity():
    R = np.geomspace(0.1, 100.0, 50)
    tm = TransferMatrix.from_force_field(0.0, "proton", R)
    assert np.allclose(tm.matrix, np.eye(R.size), atol=1e-12)


def test_from_kernel_folds_the_trapezoid_rule():
    # G(R, R') = R / (R'_max - R'_min) (a smearing): for Phi_LIS^R(R') = 3 + 2 R' (linear,
    # the trapezoid rule is exact) the TOA is R * (mean of Phi over [R'_min, R'_max])
    R_lis = np.geomspace(1.0, 10.0, 37)
    R_toa = np.array([1.0, 2.0, 5.0])
    G = R_toa[:, None] / (R_lis[-1] - R_lis[0]) * np.ones((3, R_lis.size))
    tm = TransferMatrix.from_kernel(R_toa, R_lis, G, "proton", "analytic test kernel")
    mean = 3.0 + (R_lis[0] + R_lis[-1])  # mean of 3 + 2R over [1, 10]
    assert np.allclose(tm.apply_rigidity(3.0 + 2.0 * R_lis), R_toa * mean, rtol=1e-13)


def test_apply_on_any_energy_grid():
    tm = TransferMatrix.from_force_field(0.5, "positron", np.geomspace(0.1, 300.0, 401))
    T = np.geomspace(0.05, 500.0, 97)
    got = tm.apply(lis_peaked, T)
    inside = (T >= tm.T_toa[0]) & (T <= tm.T_toa[-1])
    assert np.all(np.isnan(got[~inside])) and np.all(np.isfinite(got[inside]))
    # between the nodes the TOA is interpolated log-log: allow the matrix error plus the
    # same bound once more for the interpolation of the result
    tol = 2 * interpolation_bound(tm, lis_peaked)
    assert np.max(np.abs(got[inside] / ff.modulate(T[inside], lis_peaked, 0.5) - 1)) <= tol
    # a tabulated LIS (arrays) gives the same as the callable on a fine table
    grid = np.geomspace(0.01, 1e4, 3001)
    assert np.allclose(tm.apply((grid, lis_peaked(grid))), tm.apply(lis_peaked), rtol=1e-5)


def test_ecsv_round_trip_is_exact(tmp_path):
    rng = np.random.default_rng(1)
    R_toa, R_lis = np.geomspace(0.2, 50.0, 7), np.geomspace(0.2, 80.0, 9)
    tm = TransferMatrix(R_toa, R_lis, rng.random((7, 9)), "helium", "HelMod-like test, period X")
    path = tm.write(tmp_path / "m.ecsv")
    text = path.read_text()
    assert text.startswith("# %ECSV 1.0")
    for key in ("format: positrons-transfer-matrix", "format_version: 1", "species: helium", "R_lis_GV", "provenance", "convention"):
        assert key in text
    back = read_transfer_matrix(path)
    assert np.array_equal(back.matrix, tm.matrix)
    assert np.array_equal(back.R_toa, tm.R_toa) and np.array_equal(back.R_lis, tm.R_lis)
    assert (back.species, back.provenance) == ("helium", "HelMod-like test, period X")
    assert TransferMatrix.read(path).matrix.shape == (7, 9)


def _write_broken(tmp_path, edit):
    tm = TransferMatrix(np.array([1.0, 2.0]), np.array([1.0, 2.0, 3.0]), np.ones((2, 3)), "proton", "x")
    table = tm.to_table()
    edit(table)
    path = tmp_path / "broken.ecsv"
    table.write(path, format="ascii.ecsv", overwrite=True)
    return path


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda t: t.meta.pop("species"), "missing metadata"),
        (lambda t: t.meta.update(colour="blue"), "unknown metadata"),
        (lambda t: t.meta.update(format="other"), "format is"),
        (lambda t: t.meta.update(R_lis_GV=[1.0, 2.0]), "R_lis_GV has 2"),
        (lambda t: t.meta.update(species="neutrino"), "unknown species"),
        (lambda t: t.meta.update(R_lis_GV=[3.0, 2.0, 1.0]), "strictly increasing"),
        (lambda t: setattr(t["R_toa"], "unit", "GeV"), "not a rigidity"),
        (lambda t: t.remove_column("M"), "missing column"),
    ],
)
def test_malformed_files_are_refused(tmp_path, edit, message):
    path = _write_broken(tmp_path, edit)
    with pytest.raises(TransferMatrixFormatError, match=message) as exc:
        read_transfer_matrix(path)
    assert str(exc.value).startswith("broken.ecsv: ")


def test_invalid_construction_is_refused():
    with pytest.raises(ValueError, match="shape"):
        TransferMatrix([1.0, 2.0], [1.0, 2.0, 3.0], np.ones((3, 2)), "proton")
    with pytest.raises(ValueError, match="strictly increasing"):
        TransferMatrix([2.0, 1.0], [1.0, 2.0], np.ones((2, 2)), "proton")
    with pytest.raises(ValueError, match="finite"):
        TransferMatrix([1.0, 2.0], [1.0, 2.0], np.array([[1.0, np.nan], [0.0, 1.0]]), "proton")
    with pytest.raises(ValueError, match="does not contain"):
        TransferMatrix.from_force_field(1.0, "positron", np.geomspace(0.1, 10, 20), R_lis=np.geomspace(0.1, 10, 20))
