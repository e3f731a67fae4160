"""Galactic sources on the transport grid, and the local interstellar flux they give.

The transport solver takes sources q(R, z, T) = profile(R, z) x spectrum(T); this module
builds the profiles and spectra of the package's sources for a model and grid:

* :func:`secondary_profile_and_spectrum` -- secondary e+- (Delahaye et al. 2009, A&A 501, 821) with the
  approximation named ``local-LIS-shape``: the cosmic-ray spectra have the shape of the shipped
  local interstellar spectra everywhere, and their spatial distribution is that of the model's
  propagated 10 GeV protons (normalised at the Sun); times the gas density n_H(R, z).
  This neglects the spectral variation of the proton flux across the Galaxy (tens of per cent
  in the inner Galaxy); the full route (propagated p and He spectra at every cell through the
  production matrix) is the next step of the transport issue.
* :func:`local_flux` -- propagate a (profile, spectrum) source with a model and return the
  intensity at the Sun [m^-2 s^-1 sr^-1 GeV^-1].
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from ..propagation.diffusion2d import Propagator
from ..propagation.grid import GridSpec
from ..propagation.models import PropagationModel
from .transport import Transport


def _spec(grid_spec: GridSpec | None) -> GridSpec:
    return GridSpec() if grid_spec is None else grid_spec


def cosmic_ray_profile(model: PropagationModel, grid_spec: GridSpec | None = None) -> Callable:
    """Density of 10 GeV protons propagated with ``model`` from its SNR-like source
    distribution (no energy losses: at 10 GeV they are negligible), 1 at the Sun; a callable
    of (R_kpc, z_kpc), bilinear between the grid nodes, 0 outside the halo."""
    from scipy.interpolate import RegularGridInterpolator

    grid = _spec(grid_spec).grid(model, np.array([5.0, 10.0, 20.0]))
    prop = Propagator(model, grid, "proton")
    shape = model.proton_injection.shape
    density = prop.solve(lambda R, z, T: model.source_distribution(R, z) * shape(T)).density[:, :, 1]
    R_nodes = np.append(grid.R_kpc, model.R_h_kpc)
    z_nodes = grid.z_nodes_kpc
    table = np.zeros((R_nodes.size, z_nodes.size))
    table[:-1, 1:-1] = density
    interp = RegularGridInterpolator((R_nodes, z_nodes), table, bounds_error=False, fill_value=0.0)
    sun = float(interp([[model.r_sun_kpc, 0.0]])[0])

    def profile(R_kpc, z_kpc):
        R, z = np.broadcast_arrays(np.asarray(R_kpc, dtype=float), np.asarray(z_kpc, dtype=float))
        return interp(np.stack([R.ravel(), z.ravel()], axis=-1)).reshape(R.shape) / sun

    return profile


def secondary_profile_and_spectrum(model: PropagationModel, lepton: str, T, xs_model: str = "hybrid", ism=None,
                                   grid_spec: GridSpec | None = None, q_per_atom=None):
    """(profile(R, z) [cm^-3: n_H x relative CR density], q_local(T) [s^-1 GeV^-1 per H atom]).

    ``q_per_atom``: the spectrum of an earlier call on the same ``T`` with the same ``lepton``
    and ``xs_model`` (it does not depend on the model), to skip the production matrix."""
    from ..interstellar import InterstellarMedium
    from ..lis import shipped_lis
    from ..sources.secondary import build_production_matrix

    ism = InterstellarMedium.default(r_sun_kpc=model.r_sun_kpc) if ism is None else ism
    cr = cosmic_ray_profile(model, grid_spec)
    if q_per_atom is None:
        protons, helium = shipped_lis()
        q_per_atom = build_production_matrix(xs_model, lepton, T).source(protons, helium, n_H=1.0)

    def profile(R_kpc, z_kpc):
        return ism.gas.n_H_total(R_kpc, z_kpc) * cr(R_kpc, z_kpc)

    return profile, q_per_atom


def local_flux(model: PropagationModel, species: str, profile: Callable, spectrum, T,
               transport: Transport | GridSpec | None = None, ism=None):
    """Intensity at the Sun [m^-2 s^-1 sr^-1 GeV^-1] for q = profile(R, z) spectrum(T).

    Builds the propagator (losses of ``species`` in ``ism``) on ``T`` [GeV] and the model's
    halo with the grid, solver and cache of ``transport``, and solves once.  Returns (flux, solution).
    """
    prop = Transport.of(transport).propagator(model, species, T, ism=ism)
    Q = spectrum(prop.grid.T) if callable(spectrum) else np.asarray(spectrum, dtype=float)
    solution = prop.solve(lambda R, z, TT: profile(R[..., 0], z[..., 0])[..., None] * Q[None, None, :])
    return solution.flux(model.r_sun_kpc), solution


def pbh_profile_and_spectrum(mass_g: float, lepton: str, T, mass_function: str = "monochromatic",
                             sigma: float | None = 1.0, f_pbh: float = 1.0):
    """(profile(R, z) [GeV cm^-3]: f_PBH rho_DM of the NFW halo, spectrum(T) [GeV^-1 s^-1 per
    GeV of PBH mass]), from :class:`positrons.sources.pbh.source.PBHSource`.

    ``mass_g`` is the mass of a monochromatic population or the central mass of a log-normal
    one (truncated at the evaporation floor, 5e14 g).  q = profile x spectrum [cm^-3 s^-1 GeV^-1].
    """
    from ..sources.pbh.mass_functions import LogNormal, Monochromatic
    from ..sources.pbh.source import PBHSource
    from .pbh_settings import MASS_FUNCTIONS, check_choice

    check_choice("mass_function", mass_function, MASS_FUNCTIONS)
    mf = Monochromatic(mass_g) if mass_function == "monochromatic" else LogNormal(mass_g, sigma)
    source = PBHSource(mass_function=mf, f_pbh=f_pbh, particle=lepton)
    return source.profile, np.asarray(source.spectrum(T), dtype=float)


#: projectile range of the full secondary source [GeV/n]
PROJECTILE_RANGE_GEV = (0.3, 1e5)


def projectile_energies(grid_spec: GridSpec | None = None) -> np.ndarray:
    """Kinetic energies per nucleon [GeV/n] on which p and He are propagated for the secondary
    source: :data:`PROJECTILE_RANGE_GEV` at the grid's energies per decade."""
    return _spec(grid_spec).energies(*PROJECTILE_RANGE_GEV)


def secondary_source_field(model: PropagationModel, lepton: str, T, xs_model: str = "hybrid", ism=None,
                           transport: Transport | GridSpec | None = None, he_to_h: float = 0.1,
                           production: dict | None = None, primaries: tuple | None = None):
    """q(R, z, T) [cm^-3 s^-1 GeV^-1] on the transport grid from propagated primaries.

    Protons and helium (4He) are propagated with ``model`` (fragmentation and losses on),
    each normalised to its AMS-02 flux (Physics Reports 2021) after force-field modulation
    (:func:`positrons.analysis.primaries.fit_primary`); in every cell their spectra go
    through the production matrix of ``xs_model`` with the local gas: n_H (p + H, He + H) and
    n_He = he_to_h n_H (p + He, He + He).  Production by projectiles above 1e5 GeV/n is
    neglected.  Returns (q on the grid, PrimaryFit of protons, PrimaryFit of helium).

    To reuse work across calls: ``production`` -- the matrices of an earlier call with the same
    ``lepton``, ``xs_model``, ``T`` and grid (``build_production_matrix(...).matrices``; they do
    not depend on the model); ``primaries`` -- the (proton, helium) fits of an earlier call with
    the same model and transport (the second lepton of one model).
    """
    from .. import kinematics as kin
    from ..interstellar import InterstellarMedium
    from ..sources.secondary import build_production_matrix
    from .primaries import fit_primary

    ism = InterstellarMedium.default(r_sun_kpc=model.r_sun_kpc) if ism is None else ism
    transport = Transport.of(transport)
    T_n = projectile_energies(transport.grid_spec)
    if primaries is None:
        primaries = (fit_primary(model, "proton", "ams02_proton_flux_physrep2021", T=T_n, transport=transport),
                     fit_primary(model, "helium", "ams02_helium_flux_physrep2021", T=4.0 * T_n, transport=transport))
    fit_p, fit_he = primaries
    # flux fields per unit kinetic energy per nucleon [m^-2 s^-1 sr^-1 (GeV/n)^-1]
    phi_p = fit_p.normalisation * kin.flux_from_density(fit_p.solution.density, T_n, kin.SPECIES["proton"].mass)
    phi_he = 4.0 * fit_he.normalisation * kin.flux_from_density(fit_he.solution.density, 4.0 * T_n,
                                                               kin.SPECIES["helium"].mass)
    M = build_production_matrix(xs_model, lepton, T, projectile_energies=T_n).matrices if production is None \
        else production
    grid = fit_p.solution.grid
    n_H = grid.cell_average(ism.gas.n_H_total)  # the gas disc (scale heights 0.05-0.2 kpc), cell averages
    per_atom = phi_p @ (M["pp"] + he_to_h * M["pHe"]).T + phi_he @ (M["Hep"] + he_to_h * M["HeHe"]).T
    return n_H[:, :, None] * per_atom, fit_p, fit_he
