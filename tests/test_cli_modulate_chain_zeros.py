"""A LIS whose spectrum ends (zero flux at the high-energy end) is modulated up to where it ends;
a zero below a positive flux is refused."""

import pytest

from positrons.analysis.lis_modulation import read_lis_csv


def test_trailing_zero_rows_are_left_out():
    T, F = read_lis_csv("lis.csv", "E_kin_GeV,flux\n1,2e-3\n10,1e-5\n100,0.0\n1000,0\n")
    assert T == [1.0, 10.0] and F == [2e-3, 1e-5]


def test_a_zero_inside_the_spectrum_is_refused():
    with pytest.raises(ValueError, match="line 3: flux = 0"):
        read_lis_csv("lis.csv", "E_kin_GeV,flux\n1,2e-3\n10,0\n100,1e-7\n")


def test_a_spectrum_of_zeros_is_refused():
    with pytest.raises(ValueError, match="at least 2 data rows"):
        read_lis_csv("lis.csv", "E_kin_GeV,flux\n1,0\n10,0\n")
