"""Converged by default: the default grid against all spacings halved (and the solver tolerance
tightened 10x) on a reduced model, the check of benchmarks/convergence.py in CI size.

The reduced model is MED with a smaller disc (R_h = 12 kpc, the Sun at 6 kpc; the halo height
3.2 kpc kept, which sets how far re-acceleration lifts PBH positrons): the same physics, fewer
nodes.  Quantities: the local flux of PBH positrons (1e16 g, NFW halo) at Voyager 1 energies
(10, 30 MeV) and at AMS-02's lowest (1 GeV), and of an SNR-like E^-2.4 electron source (0.5,
5, 50 GeV); both spatial profiles averaged over the cells, as the package's pipelines do.  Tolerance: the 2 % of the default grid's contract.  (Far tails converge slower: a
flux 1e-7 of its peak, e.g. these holes' e+ at 5 GeV, moves by more.)
"""

import numpy as np
import pytest

from positrons.propagation.diffusion2d import Propagator, SolverSettings
from positrons.propagation.grid import GridSpec
from positrons.propagation.models import PRESETS
from positrons.sources.pbh.mass_functions import Monochromatic
from positrons.sources.pbh.source import PBHSource

MODEL = PRESETS["MED"].replace(name="MED-small", R_h_kpc=12.0, r_sun_kpc=6.0)


def _at(E, T, flux) -> float:
    """Log-log interpolation on the positive part (the PBH flux underflows far above its peak)."""
    keep = flux > 0
    return float(np.exp(np.interp(np.log(E), np.log(T[keep]), np.log(flux[keep]))))


def _fluxes(spec: GridSpec, settings: SolverSettings) -> dict:
    out = {}
    T = spec.energies(1e-4, 100.0)
    grid = spec.grid(MODEL, T)
    prop = Propagator.for_species(MODEL, grid, "positron", settings=settings)
    pbh = PBHSource(mass_function=Monochromatic(1e16))
    profile = grid.cell_average(pbh.profile)
    flux = prop.solve(profile[:, :, None] * pbh.spectrum(T)[None, None, :]).flux(MODEL.r_sun_kpc)
    for E in (0.01, 0.03, 1.0):
        out[f"PBH e+ at {E:g} GeV"] = _at(E, T, flux)
    snr_profile = grid.cell_average(MODEL.source_distribution)
    snr = prop.solve(snr_profile[:, :, None] * T[None, None, :] ** -2.4).flux(MODEL.r_sun_kpc)
    for E in (0.5, 5.0, 50.0):
        out[f"E^-2.4 source at {E:g} GeV"] = _at(E, T, snr)
    return out


@pytest.mark.slow
def test_default_grid_is_converged_to_two_percent():
    default = _fluxes(GridSpec(), SolverSettings())
    fine = _fluxes(GridSpec().refined(2.0), SolverSettings().tightened(10.0))
    changes = {k: fine[k] / default[k] - 1 for k in default}
    assert max(abs(c) for c in changes.values()) < 0.02, changes


def test_a_coarse_grid_is_not_converged():
    """The check can fail: 4 energies per decade and 0.5 kpc steps move the same numbers by more."""
    coarse = _fluxes(GridSpec(1.0, 0.3, 0.5, 4), SolverSettings())
    default = _fluxes(GridSpec(0.5, 0.15, 0.25, 8), SolverSettings())
    assert max(abs(default[k] / coarse[k] - 1) for k in coarse) > 0.02
