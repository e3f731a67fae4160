"""Upper limits on the PBH fraction of dark matter, f_PBH(M), from e+- data (SPEC section 7).

For one propagation model, one dataset and a list of masses:

1. the transport operator is built once and its energy response to sources shaped like the
   dark-matter halo is computed once (:meth:`Propagator.energy_response`): every mass then
   costs a matrix-vector product;
2. the local interstellar e+ flux for f_PBH = 1 is modulated with the force field (phi of the
   model, or 0 for local-interstellar data such as Voyager 1) and evaluated at the data
   energies (log-log interpolation); for datasets of e+ + e- the PBH signal is doubled
   (holes emit both charges equally);
3. the limit is :func:`positrons.stats.limits.limit_without_background` (no point exceeded by
   more than 2 sigma) or, with ``background="secondary"``, the profiled Delta chi^2 = 3.84 limit of
   :func:`positrons.stats.limits.limit_with_background` with the propagated and modulated
   secondary positrons rescaled by A (T/GeV)^delta.

Datasets: AMS-02 positron flux (default, 0.5-5.2 GeV: SPEC section 7), AMS-02 e+ + e-, Voyager
1 e+ + e- (points without errors are skipped, see :class:`~positrons.stats.likelihood.Chi2`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..data import load
from ..heliosphere.force_field import modulate
from ..propagation import galactic
from ..propagation.diffusion2d import Grid, Propagator
from ..propagation.models import PropagationModel, get_propagation_model
from .likelihood import Chi2
from .limits import limit_with_background, limit_without_background

#: default energy ranges [GeV] per dataset (SPEC section 7 for the AMS-02 positron flux)
DEFAULT_RANGES = {
    "ams02_positron_flux_prl2019": (0.5, 5.2),
    "ams02_allelectron_flux_physrep2021_crdb": (0.5, 5.2),
    "voyager1_electron_lis_cummings2016": (None, None),
}
#: transport energy grid for PBH positrons: 0.1 MeV - 100 GeV, 12 per decade
PBH_ENERGIES = np.geomspace(1e-4, 100.0, 73)


@dataclass(frozen=True)
class ScanResult:
    """f_PBH limits for each mass, with the settings that produced them."""

    model: str
    dataset: str
    mass_function: str
    sigma: float | None
    background: str
    phi_GV: float
    masses_g: np.ndarray
    f_limit: np.ndarray
    driving_energy_GeV: np.ndarray
    chi2_min: np.ndarray = field(default=None)
    A_best: np.ndarray = field(default=None)
    delta_best: np.ndarray = field(default=None)

    def columns(self) -> dict:
        cols = {"M_g": self.masses_g, "f_PBH_limit": self.f_limit, "driving_point_E_GeV": self.driving_energy_GeV}
        if self.background != "none":
            cols.update({"chi2_min": self.chi2_min, "A_best": self.A_best, "delta_best": self.delta_best})
        return cols


def _signal_at_data(T, flux_lis, chi2: Chi2, phi: float, species: str):
    """Force-field modulated flux evaluated at the data energies (log-log interpolation)."""
    positive = flux_lis > 0
    if phi > 0:
        toa = modulate(chi2.energies, (T[positive], flux_lis[positive]), phi, species)
    else:
        toa = np.exp(np.interp(np.log(chi2.energies), np.log(T[positive]), np.log(flux_lis[positive])))
    return np.nan_to_num(toa, nan=0.0)


_RESPONSES: dict = {}


def propagated_halo_response(model: PropagationModel, T=PBH_ENERGIES, dR_kpc=galactic.DEFAULT_DR_KPC,
                             dz_kpc=galactic.DEFAULT_DZ_KPC):
    """(propagator, response) for e+ sources shaped like the NFW halo (f_PBH = 1), cached per
    (model, grid) in this process: a scan over datasets and masses builds it once."""
    from ..sources.pbh.mass_functions import Monochromatic
    from ..sources.pbh.source import PBHSource

    key = (model, tuple(np.asarray(T, dtype=float)), dR_kpc, dz_kpc)
    if key not in _RESPONSES:
        grid = Grid.for_model(model, T, dR_kpc=dR_kpc, dz_kpc=dz_kpc)
        prop = Propagator.for_species(model, grid, "positron")
        halo_profile = PBHSource(mass_function=Monochromatic(1e16)).profile  # f_PBH = 1, NFW
        if len(_RESPONSES) > 8:
            _RESPONSES.clear()
        _RESPONSES[key] = (prop, prop.energy_response(halo_profile))
    return _RESPONSES[key]


def pbh_limit_scan(
    model: str | PropagationModel,
    masses_g,
    dataset: str = "ams02_positron_flux_prl2019",
    mass_function: str = "monochromatic",
    sigma: float = 1.0,
    background: str = "none",
    phi_GV: float | None = None,
    energy_range=None,
    dR_kpc: float = galactic.DEFAULT_DR_KPC,
    dz_kpc: float = galactic.DEFAULT_DZ_KPC,
    T=PBH_ENERGIES,
) -> ScanResult:
    """Upper limits on f_PBH for each mass [g] (see the module docstring)."""
    from ..sources.pbh.mass_functions import LogNormal, Monochromatic
    from ..sources.pbh.source import PBHSource

    model = get_propagation_model(model)
    if background not in ("none", "secondary"):
        raise ValueError(f"background must be 'none' or 'secondary', got {background!r}")
    data = load(dataset)
    lis_data = "local_interstellar" in data.flags
    phi = 0.0 if lis_data else (model.phi_GV if phi_GV is None else float(phi_GV))
    lo, hi = energy_range if energy_range is not None else DEFAULT_RANGES.get(data.id, (None, None))
    chi2 = Chi2(data, lo, hi)
    both_charges = data.species == "electron+positron"
    if data.species not in ("positron", "electron+positron") or data.quantity != "flux":
        raise ValueError(f"{data.id} is not an e+ or e+ + e- flux")

    prop, response = propagated_halo_response(model, T, dR_kpc, dz_kpc)
    grid = prop.grid

    background_at_data = None
    if background == "secondary":
        profile, q = galactic.secondary_profile_and_spectrum(model, "positron", grid.T, dR_kpc=dR_kpc, dz_kpc=dz_kpc)
        sec = prop.solve(lambda R, z, TT: profile(R[..., 0], z[..., 0])[..., None] * q[None, None, :])
        background_at_data = _signal_at_data(grid.T, sec.flux(model.r_sun_kpc), chi2, phi, "positron")

    masses = np.atleast_1d(np.asarray(masses_g, dtype=float))
    f_lim = np.full(masses.shape, np.nan)
    driving = np.full(masses.shape, np.nan)
    chi2_min, A_best, d_best = (np.full(masses.shape, np.nan) for _ in range(3))
    for i, mass in enumerate(masses):
        mf = Monochromatic(mass) if mass_function == "monochromatic" else LogNormal(mass, sigma)
        Q = PBHSource(mass_function=mf).spectrum(grid.T)
        from .. import kinematics as kin

        flux = kin.flux_from_density(response @ Q, grid.T, kin.SPECIES["positron"].mass)
        signal = _signal_at_data(grid.T, flux, chi2, phi, "positron") * (2.0 if both_charges else 1.0)
        if background == "none":
            lim = limit_without_background(signal, chi2)
            f_lim[i], driving[i] = lim.f, lim.driving_energy_GeV if lim.driving_energy_GeV is not None else np.nan
        else:
            lim = limit_with_background(signal, background_at_data, chi2)
            f_lim[i], driving[i] = lim.f_limit, lim.driving_energy_GeV
            chi2_min[i], A_best[i], d_best[i] = lim.chi2_min, lim.A_best, lim.delta_best
    return ScanResult(model.name, data.id, mass_function, sigma if mass_function == "lognormal" else None,
                      background, phi, masses, f_lim, driving, chi2_min, A_best, d_best)
