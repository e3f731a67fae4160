"""The PBH figure (positrons.plotting.pbh) draws what it is given and computes nothing.

Compared against: the arrays passed in (each curve's total, primary and secondary must be the
plotted data, unchanged), with made-up spectra that no physics code could produce.
"""

from types import SimpleNamespace

import numpy as np

from positrons.plotting.pbh import SpectrumCurve, mass_label, plot_pbh_spectra


def _fake(scale):
    E = np.geomspace(1e-4, 1.0, 7)
    primary, secondary = scale * E, 0.5 * scale * E**2
    return SimpleNamespace(E_kin=E, primary=primary, secondary=secondary, total=primary + secondary)


def test_the_curves_are_drawn_as_given():
    left = [SpectrumCurve("a", _fake(1.0)), SpectrumCurve("b", _fake(3.0))]
    right = [SpectrumCurve("c", _fake(7.0))]
    extra = SpectrumCurve("requested", _fake(11.0))
    fig = plot_pbh_spectra("positron", "standard", left, right, ("ref", np.array([1e-3, 1e-2]), np.array([2.0, 1.0])),
                           extra, requested_panel="right")
    ax_left, ax_right = fig.axes
    left_data = [line.get_ydata() for line in ax_left.get_lines()]
    for curve, (total, primary, secondary) in zip(left, zip(*[iter(left_data)] * 3)):
        assert np.array_equal(total, curve.spectrum.total)
        assert np.array_equal(primary, curve.spectrum.primary)
        assert np.array_equal(secondary, curve.spectrum.secondary)
    labels = [line.get_label() for line in ax_right.get_lines()]
    assert labels[0] == "c" and "ref" in labels and labels[-1] == "requested"
    assert np.array_equal(ax_right.get_lines()[-1].get_ydata(), extra.spectrum.total)
    assert mass_label(5e14, 21.14) == r"5$\times$$10^{14}$ g  (T = 21.1 MeV)"
