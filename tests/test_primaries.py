"""Primary protons and electrons: SNR-like injection, propagation, normalisation to AMS-02."""

import numpy as np
import pytest

from positrons.data import load
from positrons.heliosphere.force_field import modulate
from positrons.analysis.transport import Transport
from positrons.propagation.grid import GridSpec
from positrons.propagation.models import Injection
from positrons.analysis.primaries import fit_primary

COARSE = dict(transport=Transport(GridSpec(dR_kpc=2.0, dz_kpc=0.2, dz_max_kpc=0.5)), T=np.geomspace(0.3, 3e3, 25))


def test_med_protons_match_ams02_after_normalisation():
    """MED's injection (1.79 / 2.45 around 4 GV, Huang & Zhou) propagated and modulated
    (phi = 0.55 GV): once normalised, within 25 % of AMS-02 protons from 5 to 500 GeV (only the
    normalisation is fitted; the shape is the model's)."""
    fit = fit_primary("MED", "proton", "ams02_proton_flux_physrep2021", **COARSE)
    data = load("ams02_proton_flux_physrep2021").to_kinetic_energy()
    sel = (data.energy > 5) & (data.energy < 500)
    positive = fit.flux_lis > 0
    toa = modulate(data.energy[sel], (fit.T[positive], fit.flux_lis[positive]), fit.phi_GV, "proton")
    assert np.allclose(toa / data.value[sel], 1.0, atol=0.25)


def test_normalisation_is_the_weighted_least_squares_factor():
    """A source twice as strong halves the fitted normalisation and leaves chi^2 unchanged
    (the flux is linear in the source)."""

    class Twice(Injection):
        def shape(self, R):
            return 2.0 * super().shape(R)

    dataset = "ams02_electron_flux_physrep2021_crdb"
    base = fit_primary("DB", "electron", dataset, **COARSE, injection=Injection((1.6, 2.7), (5.0,)))
    twice = fit_primary("DB", "electron", dataset, **COARSE, injection=Twice((1.6, 2.7), (5.0,)))
    assert twice.normalisation == pytest.approx(0.5 * base.normalisation, rel=1e-6)
    assert twice.chi2 == pytest.approx(base.chi2, rel=1e-6)
