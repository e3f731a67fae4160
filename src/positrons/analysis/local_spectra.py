"""The local interstellar spectrum of one source propagated through the Galaxy (``positrons propagate``).

:func:`local_spectrum` propagates secondary e+- (the full route: propagated p and He normalised
to AMS-02 through the production matrix in every cell, or the ``local-LIS-shape``
approximation; :mod:`positrons.analysis.galactic`) or PBH e+- (NFW halo, f_PBH = 1) with a
model and a :class:`~positrons.analysis.transport.Transport`, and returns a
:class:`LocalSpectrum`: the intensity at the Sun [m^-2 s^-1 sr^-1 GeV^-1] (not modulated) at
the requested kinetic energies, log-log interpolated from the transport grid (0 where the flux
underflows), with ``to_table()``, ``write(path)`` and ``plot(ax=None)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..propagation.models import get_propagation_model
from .transport import Transport

#: sources :func:`local_spectrum` propagates
SOURCES = ("secondary", "pbh")
#: routes of the secondary source (see :mod:`positrons.analysis.galactic`)
SECONDARY_METHODS = ("full", "local-lis-shape")
#: top of the PBH spectra [GeV]: the secondaries of the emission are tabulated up to there
PBH_MAX_ENERGY_GEV = 1e3


@dataclass(frozen=True)
class LocalSpectrum:
    """Intensity at the Sun of one source [m^-2 s^-1 sr^-1 GeV^-1] at kinetic energies ``T_GeV``."""

    model: str
    species: str
    source: str
    T_GeV: np.ndarray
    flux: np.ndarray
    #: what was propagated (one line), e.g. the cross sections and the normalisation of p and He
    description: str
    #: transport energies [GeV] (first, last, number), GMRES iterations and block residual
    transport_energies_GeV: tuple
    iterations: int
    residual: float
    settings: dict = field(default_factory=dict)

    def to_table(self):
        """Energies [GeV] and flux [1 / (GeV m2 s sr)]; model, source and settings in ``meta``."""
        from .records import table_with_meta

        return table_with_meta(
            {"E_kin_GeV": (self.T_GeV, "GeV", "kinetic energy"),
             "flux_per_GeV_m2_s_sr": (self.flux, "1 / (GeV m2 s sr)", "local interstellar flux (unmodulated)")},
            {"model": self.model, "species": self.species, "source": self.source, "description": self.description,
             "transport_energies_GeV": list(self.transport_energies_GeV), "iterations": self.iterations,
             "residual": self.residual, **self.settings})

    def write(self, path) -> None:
        """Write :meth:`to_table` atomically (``.ecsv`` or ``.csv``)."""
        from .records import write_result

        write_result(self, path, (".ecsv", ".csv"))

    def plot(self, ax=None):
        """T^3 x flux (:func:`positrons.plotting.spectra.plot_local_spectrum`); returns the figure."""
        from ..plotting.spectra import plot_local_spectrum

        return plot_local_spectrum(self.T_GeV, self.flux, f"{self.source} {self.species}s, model {self.model} (LIS)",
                                   ax=ax)


def local_spectrum(model, source: str, species: str, T_GeV, transport: Transport | None = None, *,
                   cross_section: str = "hybrid", secondary_method: str = "full", mass_g: float | None = None,
                   mass_function: str = "monochromatic", sigma: float | None = None, progress=None) -> LocalSpectrum:
    """The local interstellar flux of ``source`` ("secondary" or "pbh") of ``species`` at
    ``T_GeV`` [GeV] (increasing).  ``progress``: called as ``progress(done, 2)`` after the
    source is built on the grid and after the transport solve (e.g. a progress bar).

    The transport grid spans the requested energies at the grid's spacing, extended below
    (PBH positrons down to their emission: :data:`positrons.analysis.pbh_limits.PBH_RANGE_GEV`)
    and above (particles cool from higher energies: x10, PBH spectra up to
    :data:`PBH_MAX_ENERGY_GEV`)."""
    from . import galactic
    from .pbh_limits import PBH_RANGE_GEV
    from .pbh_settings import check_choice

    check_choice("source", source, SOURCES)
    check_choice("secondary_method", secondary_method, SECONDARY_METHODS)
    model = get_propagation_model(model)
    transport = Transport.of(transport)
    spec = transport.grid_spec
    T_out = np.asarray(T_GeV, dtype=float)
    if source == "pbh":
        T = spec.energies(min(T_out[0] / 2, PBH_RANGE_GEV[0]), min(T_out[-1] * 10, PBH_MAX_ENERGY_GEV))
    else:
        T = spec.energies(T_out[0] / 2, T_out[-1] * 10)
    if source == "secondary" and secondary_method == "full":
        field_, fit_p, fit_he = galactic.secondary_source_field(model, species, T, xs_model=cross_section,
                                                                transport=transport)
        what = (f"secondary {species}s (cross sections {cross_section}; propagated p and He normalised "
                f"to AMS-02: chi2/n = {fit_p.chi2 / fit_p.n_points:.1f}, {fit_he.chi2 / fit_he.n_points:.1f})")
        if progress is not None:
            progress(1, 2)
        solution = transport.propagator(model, species, T).solve(field_)
        flux_grid = solution.flux(model.r_sun_kpc)
    else:
        if source == "secondary":
            profile, spectrum = galactic.secondary_profile_and_spectrum(model, species, T, xs_model=cross_section,
                                                                        grid_spec=spec)
            what = (f"secondary {species}s (cross sections {cross_section}; CR spatial distribution from "
                    "propagated 10 GeV protons, spectra of the shipped LIS: approximation 'local-LIS-shape')")
        else:
            profile, spectrum = galactic.pbh_profile_and_spectrum(mass_g, species, T, mass_function=mass_function,
                                                                  sigma=sigma)
            width = f", log-normal sigma = {sigma:g}" if mass_function == "lognormal" else ""
            what = f"PBHs of {mass_g:g} g ({mass_function}{width}), f_PBH = 1, NFW halo"
        if progress is not None:
            progress(1, 2)
        flux_grid, solution = galactic.local_flux(model, species, profile, spectrum, T, transport=transport)
    if progress is not None:
        progress(2, 2)
    positive = flux_grid > 0
    flux = np.zeros_like(T_out)
    inside = (T_out >= T[positive].min()) & (T_out <= T[positive].max()) if positive.any() else np.zeros(T_out.shape, bool)
    flux[inside] = np.exp(np.interp(np.log(T_out[inside]), np.log(T[positive]), np.log(flux_grid[positive])))
    settings = {"cross_section": cross_section, "secondary_method": secondary_method} if source == "secondary" else \
        {"mass_g": mass_g, "mass_function": mass_function, "sigma": sigma}
    return LocalSpectrum(model.name, species, source, T_out, flux, what, (float(T[0]), float(T[-1]), int(T.size)),
                         int(solution.iterations), float(solution.residual), {**settings, **transport.settings()})
