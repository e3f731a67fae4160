"""Upper limits on the PBH fraction of dark matter, f_PBH(M), from e+- data.

For one propagation model, one dataset and a list of masses:

1. the energy response of the transport to e+ sources shaped like the dark-matter halo is
   computed once (:meth:`positrons.analysis.transport.GalacticResponse.halo_response`; pass
   ``response=`` to reuse it across calls): every mass then costs a matrix-vector product;
2. the local interstellar e+ flux for f_PBH = 1 is modulated (``modulation``: a force field at
   ``phi_GV``, the model's by default; :class:`~positrons.heliosphere.modulation.NoModulation`
   for local-interstellar data such as Voyager 1; any
   :class:`~positrons.heliosphere.modulation.Modulation`, e.g. a transfer matrix) and
   evaluated at the data energies (log-log interpolation); for datasets of e+ + e- the PBH
   signal is doubled (holes emit both charges equally);
3. the limit is :func:`positrons.stats.limits.limit_without_background` (no point exceeded by
   more than 2 sigma; Boudaud & Cirelli 2019, PRL 122, 041104) or, with
   ``background="secondary"``, the profiled Delta chi^2 = 3.84 limit of
   :func:`positrons.stats.limits.limit_with_background` with the propagated and modulated
   secondary positrons rescaled by A (T/GeV)^delta.

Datasets (:mod:`positrons.analysis.pbh_settings`): AMS-02 positron flux (default, 0.5-5.2 GeV),
AMS-02 e+ + e-, Voyager 1 e+ + e-.  Points without a published error (4 of the 9 Voyager 1
points) are used with the error the dataset declares (``missing_errors="assume"``, default: 10 %
for Voyager 1) or left out (``"skip"``); every result records the rule and the counts.

Which tool when:

* :func:`pbh_limit_scan` -- one (model, dataset, mass function), a list of masses, in this process;
* :func:`pbh_limit_band` -- the same at phi - 0.1, phi, phi + 0.1 GV (the force-field
  uncertainty); for Voyager 1 (local interstellar, unmodulated) the band has zero width;
* :func:`limit_spectra` -- the signal at the limit and the fitted background on a fine energy
  grid, for a figure of one mass;
* :func:`positrons.analysis.scans.run_scan` -- a resumable scan written to ECSV;
* :mod:`positrons.analysis.dask_scans` -- many (model, dataset, mass function) jobs at once.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from ..data import load
from ..heliosphere.modulation import ForceFieldModulation, Modulation
from ..propagation.models import PropagationModel, get_propagation_model
from ..sources.pbh.mass_functions import M_MIN_DEFAULT, MAX_PRESENT_DAY_MASS_G
from ..stats.likelihood import Chi2
from ..stats.limits import limit_with_background, limit_without_background
from . import galactic
from .pbh_results import LimitSpectra, PhiBand, ScanResult
from .pbh_settings import (BACKGROUNDS, DEFAULT_DATASET, DEFAULT_RANGES, DEFAULT_SIGMA, DPHI_GV, MASS_FUNCTIONS,
                           check_choice)
from .transport import GalacticResponse, Transport, choose_modulation, flux_at_data, interstellar_range, phi_of

__all__ = ["DEFAULT_DATASET", "DEFAULT_RANGES", "DPHI_GV", "MASS_FUNCTIONS", "MASS_RANGE_G", "PBH_RANGE_GEV",
           "LimitSpectra", "PhiBand", "ScanResult", "limit_spectra", "pbh_limit_band", "pbh_limit_scan",
           "pbh_response", "requested_settings"]

#: masses [g] a limit scan accepts: from the lightest holes surviving today to the heaviest that
#: still emit e+- (:mod:`positrons.sources.pbh.mass_functions`)
MASS_RANGE_G = (M_MIN_DEFAULT, MAX_PRESENT_DAY_MASS_G)
#: transport energy range for PBH positrons [GeV]: from 0.1 MeV (below the lightest holes'
#: emission and Voyager 1) to 100 GeV
PBH_RANGE_GEV = (1e-4, 100.0)


def pbh_response(model, transport: Transport | None = None) -> GalacticResponse:
    """The e+ :class:`GalacticResponse` of ``model`` on :data:`PBH_RANGE_GEV` (nothing is
    computed until a response is asked for).  Hold it and pass it as ``response=`` to reuse
    its halo response across scans of the same model and transport."""
    return GalacticResponse(model, "positron", PBH_RANGE_GEV, Transport.of(transport))


def _mass_function(mass_function: str, mass: float, sigma: float):
    from ..sources.pbh.mass_functions import LogNormal, Monochromatic

    return Monochromatic(mass) if mass_function == "monochromatic" else LogNormal(mass, sigma)


def _own_response(response: GalacticResponse | None, model: PropagationModel, transport: Transport) -> GalacticResponse:
    """``response`` if it was made for ``model`` and ``transport`` (else ValueError), or a new one."""
    if response is None:
        return pbh_response(model, transport)
    if not response.matches(model, "positron", PBH_RANGE_GEV, transport):
        raise ValueError("the response passed in was made for another model, species, energy range or transport")
    return response


def pbh_limit_scan(
    model: str | PropagationModel,
    masses_g,
    dataset: str = DEFAULT_DATASET,
    mass_function: str = "monochromatic",
    sigma: float = DEFAULT_SIGMA,
    background: str = "none",
    phi_GV: float | None = None,
    energy_range=None,
    transport: Transport | None = None,
    dphi_GV: float = 0.0,
    missing_errors: str = "assume",
    modulation: Modulation | None = None,
    response: GalacticResponse | None = None,
    response_progress=None,
) -> ScanResult:
    """Upper limits on f_PBH for each mass [g] (see the module docstring).

    Parameters
    ----------
    dataset, mass_function, sigma, background, energy_range, missing_errors
        The data, the mass function (:data:`MASS_FUNCTIONS`; ``sigma`` the log-normal width in
        ln M), the background (``"none"`` or ``"secondary"``), the (lo, hi) kinetic-energy
        range of the data points [GeV] (default :data:`DEFAULT_RANGES`), and the rule for
        points without a published error (:class:`~positrons.stats.likelihood.Chi2`).
    phi_GV, modulation
        At most one: a force field at ``phi_GV`` [GV] (default the model's), or any
        :class:`~positrons.heliosphere.modulation.Modulation`.  Local-interstellar data are
        compared unmodulated unless ``modulation`` says otherwise.
    transport : Transport
        Grid, solver and response cache (default :class:`Transport`()).
    dphi_GV : float
        The response rows also cover phi -/+ dphi (so a phi band reuses them).
    response : GalacticResponse, optional
        A response of :func:`pbh_response` for this model and transport, to reuse.
    response_progress : callable(done, total), optional
        Called after each adjoint solve while the halo response is built (not when it comes
        from a cache): feedback on the one long step of a scan.
    """
    transport = Transport.of(transport)
    model, data, chi2, header, mod = _scan_header(model, dataset, mass_function, sigma, background, phi_GV,
                                                  energy_range, transport, missing_errors, modulation)
    both_charges = data.species == "electron+positron"
    masses = np.atleast_1d(np.asarray(masses_g, dtype=float))
    if masses.size and not (np.all(np.isfinite(masses)) and masses.min() >= MASS_RANGE_G[0]
                            and masses.max() <= MASS_RANGE_G[1]):
        raise ValueError(f"PBH masses must lie in {MASS_RANGE_G[0]:g}-{MASS_RANGE_G[1]:g} g (lighter holes have "
                         "evaporated by today; heavier ones emit too few e+ for these data)")

    galaxy = _own_response(response, model, transport)
    G = galaxy.halo_response(interstellar_range(mod, chi2.energies, "positron", spread=dphi_GV),
                             progress=response_progress)
    T = galaxy.grid.T

    background_at_data = None
    if background == "secondary":
        background_at_data = flux_at_data(T, secondary_background(galaxy), chi2.energies, mod, "positron")

    f_lim = np.full(masses.shape, np.nan)
    driving = np.full(masses.shape, np.nan)
    chi2_min, A_best, d_best = (np.full(masses.shape, np.nan) for _ in range(3))
    from ..sources.pbh.source import PBHSource

    for i, mass in enumerate(masses):
        Q = PBHSource(mass_function=_mass_function(mass_function, mass, sigma)).spectrum(T)
        signal = flux_at_data(T, galaxy.flux(G, Q), chi2.energies, mod, "positron") * (2.0 if both_charges else 1.0)
        if background == "none":
            lim = limit_without_background(signal, chi2)
            f_lim[i], driving[i] = lim.f, lim.driving_energy_GeV if lim.driving_energy_GeV is not None else np.nan
        else:
            lim = limit_with_background(signal, background_at_data, chi2)
            f_lim[i], driving[i] = lim.f_limit, lim.driving_energy_GeV
            chi2_min[i], A_best[i], d_best[i] = lim.chi2_min, lim.A_best, lim.delta_best
    return dataclasses.replace(header, masses_g=masses, f_limit=f_lim, driving_energy_GeV=driving, chi2_min=chi2_min,
                               A_best=A_best, delta_best=d_best)


def secondary_background(galaxy: GalacticResponse) -> np.ndarray:
    """Interstellar flux of secondary e+ [m^-2 s^-1 sr^-1 GeV^-1] on the response's energies
    (the local-LIS-shape source of :func:`positrons.analysis.galactic.secondary_profile_and_spectrum`)."""
    profile, q = galactic.secondary_profile_and_spectrum(galaxy.model, "positron", galaxy.grid.T,
                                                         grid_spec=galaxy.transport.grid_spec)
    return galaxy.solve_flux(lambda R, z, TT: profile(R[..., 0], z[..., 0])[..., None] * q[None, None, :])


def _range(lo, hi) -> tuple:
    return (None if lo is None else float(lo), None if hi is None else float(hi))


def _model_parameters(model: PropagationModel) -> dict:
    """Every field of the model as plain types (tuples as lists), for a file header."""
    from .records import plain

    return plain(dataclasses.asdict(model))


def _check_settings(mass_function: str, background: str) -> None:
    check_choice("mass_function", mass_function, MASS_FUNCTIONS)
    check_choice("background", background, BACKGROUNDS)


def _scan_header(model, dataset, mass_function, sigma, background, phi_GV, energy_range, transport: Transport,
                 missing_errors, modulation):
    """(model, dataset, Chi2, ScanResult without masses, Modulation): every setting of a scan,
    resolved and checked without any transport computation."""
    model = get_propagation_model(model)
    _check_settings(mass_function, background)
    transport.grid_spec.validate_for(model)
    data = load(dataset)
    if data.species not in ("positron", "electron+positron") or data.quantity != "flux":
        raise ValueError(f"{data.id} is not an e+ or e+ + e- flux")
    mod = choose_modulation(modulation, phi_GV, model.phi_GV, "local_interstellar" in data.flags)
    lo, hi = energy_range if energy_range is not None else DEFAULT_RANGES.get(data.id, (None, None))
    chi2 = Chi2(data, lo, hi, missing_errors=missing_errors)
    empty = np.array([], dtype=float)
    header = ScanResult(model.name, data.id, mass_function, sigma if mass_function == "lognormal" else None,
                        background, phi_of(mod), empty, empty, empty, **_transport_fields(transport),
                        energy_range_GeV=_range(lo, hi),
                        missing_errors=missing_errors, data_points_used=chi2.n_points,
                        data_points_assumed_error=chi2.n_assumed, model_parameters=_model_parameters(model),
                        modulation=mod.settings())
    return model, data, chi2, header, mod


def _transport_fields(transport: Transport) -> dict:
    s = transport.settings()
    return dict(dR_kpc=s["dR_kpc"], dz_kpc=s["dz_kpc"], dz_max_kpc=s["dz_max_kpc"],
                energy_points_per_decade=s["energy_points_per_decade"], solver=s["solver"])


def requested_settings(model, dataset: str = DEFAULT_DATASET, mass_function: str = "monochromatic",
                       sigma: float = DEFAULT_SIGMA, background: str = "none", phi_GV: float | None = None,
                       energy_range=None, transport: Transport | None = None, dphi_GV: float = 0.0,
                       missing_errors: str = "assume", modulation: Modulation | None = None,
                       response: GalacticResponse | None = None, response_progress=None) -> dict:
    """``settings()`` plus ``model_parameters`` of the scan :func:`pbh_limit_scan` would make
    with these arguments, computed without any transport (to check a file before resuming)."""
    header = _scan_header(model, dataset, mass_function, sigma, background, phi_GV, energy_range,
                          Transport.of(transport), missing_errors, modulation)[3]
    return {**header.settings(), "model_parameters": header.model_parameters}


def pbh_limit_band(model, masses_g, dataset: str = DEFAULT_DATASET, *, phi_GV: float | None = None,
                   dphi_GV: float = DPHI_GV, modulation: ForceFieldModulation | None = None,
                   transport: Transport | None = None, response: GalacticResponse | None = None,
                   **kwargs) -> PhiBand:
    """:func:`pbh_limit_scan` at phi, phi - dphi and phi + dphi (the transport response is
    computed once: only the modulation changes).  ``phi`` is the model's unless ``phi_GV`` (or a
    force-field ``modulation``) is given.  For local-interstellar data (Voyager 1) the three are
    one unmodulated scan."""
    transport = Transport.of(transport)
    if modulation is not None and not isinstance(modulation, ForceFieldModulation):
        raise ValueError(f"a phi band needs a force-field modulation, got {modulation.name}")
    galaxy = _own_response(response, get_propagation_model(model), transport)
    central = pbh_limit_scan(model, masses_g, dataset, phi_GV=phi_GV, dphi_GV=dphi_GV, transport=transport,
                             modulation=modulation, response=galaxy, **kwargs)
    if "local_interstellar" in load(dataset).flags:
        return PhiBand(central, central, central, dphi_GV, modulated=False)
    if central.phi_GV - dphi_GV < 0:
        raise ValueError(f"phi - dphi = {central.phi_GV - dphi_GV:g} GV < 0")
    low, high = (pbh_limit_scan(model, masses_g, dataset, dphi_GV=dphi_GV, transport=transport, response=galaxy,
                                modulation=ForceFieldModulation(central.phi_GV + d), **kwargs)
                 for d in (-dphi_GV, dphi_GV))
    return PhiBand(central, low, high, dphi_GV, modulated=True)


def limit_spectra(model, mass_g: float, dataset: str = DEFAULT_DATASET, mass_function: str = "monochromatic",
                  sigma: float = DEFAULT_SIGMA, background: str = "secondary", phi_GV: float | None = None,
                  transport: Transport | None = None, T_plot=None, missing_errors: str = "assume",
                  modulation: Modulation | None = None, response: GalacticResponse | None = None) -> LimitSpectra:
    """The PBH flux at the f_PBH limit of ``mass_g`` and the fitted background on ``T_plot``
    [GeV] (default 0.1-30 GeV), modulated as in :func:`pbh_limit_scan` (same limit: the data
    points use the same response; the curve on ``T_plot`` is one forward solve)."""
    from ..sources.pbh.source import PBHSource

    transport = Transport.of(transport)
    model, data, chi2, header, mod = _scan_header(model, dataset, mass_function, sigma, background, phi_GV, None,
                                                  transport, missing_errors, modulation)
    counts = dict(missing_errors=missing_errors, data_points_used=chi2.n_points,
                  data_points_assumed_error=chi2.n_assumed, settings=header.settings())
    T_plot = np.geomspace(0.1, 30.0, 120) if T_plot is None else np.asarray(T_plot, dtype=float)
    galaxy = _own_response(response, model, transport)
    G = galaxy.halo_response(interstellar_range(mod, chi2.energies, "positron"))
    T = galaxy.grid.T
    mf = _mass_function(mass_function, mass_g, sigma)
    pbh = PBHSource(mass_function=mf)
    Q = pbh.spectrum(T)
    profile = galaxy.grid.cell_average(pbh.profile)
    curve = galaxy.solve_flux(profile[:, :, None] * Q[None, None, :])
    factor = 2.0 if data.species == "electron+positron" else 1.0
    s_data = factor * flux_at_data(T, galaxy.flux(G, Q), chi2.energies, mod, "positron")
    s_plot = factor * flux_at_data(T, curve, T_plot, mod, "positron")
    phi = header.phi_GV
    if background == "none":
        f = limit_without_background(s_data, chi2).f
        return LimitSpectra(T_plot, f * s_plot, None, None, f, model.name, data.id, float(mass_g), mf.label(), phi,
                            **counts)
    sec_flux = secondary_background(galaxy)
    lim = limit_with_background(s_data, flux_at_data(T, sec_flux, chi2.energies, mod, "positron"), chi2)
    b_plot = flux_at_data(T, sec_flux, T_plot, mod, "positron")
    return LimitSpectra(T_plot, lim.f_limit * s_plot, lim.A_at_limit * T_plot ** lim.delta_at_limit * b_plot,
                        lim.A_best * T_plot ** lim.delta_best * b_plot, lim.f_limit, model.name, data.id,
                        float(mass_g), mf.label(), phi, **counts)
