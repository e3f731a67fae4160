"""Derived results over the draws of a propagation posterior: the propagation-uncertainty band.

A propagation fit gives a posterior over the model parameters
(:class:`~positrons.analysis.posterior.PropagationPosterior`, an ECSV file).  Here each derived
result is computed for ``n_draws`` posterior draws (each draw a
:class:`~positrons.propagation.models.PropagationModel`) and summarised per mass or energy by
the median and the central 68 % and 95 % intervals over the draws
(:func:`~positrons.analysis.posterior.quantile_band`):

* :func:`pbh_limits_over_posterior` -- upper limits on f_PBH (the rules of
  :func:`positrons.analysis.pbh_limits.pbh_limit_scan`) -> :class:`PosteriorLimits`;
* :func:`fraction_over_posterior` -- the secondary positron flux and fraction at Earth (the
  chain of :func:`positrons.analysis.fraction.secondary_lis`) -> :class:`PosteriorFraction`.

What is shared across draws, and what is not.  A draw changes the transport operator (diffusion,
re-acceleration, convection, halo size), so within one run nothing that depends on it can be
reused from one draw to the next: each draw builds its own propagator and energy response
(a few seconds to half a minute per draw on the default grid).  Everything that does not depend
on the propagation parameters is computed once per run: the PBH source spectra on the transport
energies, the production matrices of the secondary source, the data and their likelihood, and
the modulation (one per distinct force-field potential: the draws share it unless the posterior
samples ``phi_GV``).  Draws that do share the operator -- a sample repeated in a chain, or (for
the limits) draws that differ only in phi -- share its response within the run.  The energy
responses and solutions of each draw are also kept on disk by the
:class:`~positrons.analysis.transport.Transport` cache, keyed by the operator, so a rerun with
the same posterior, seed and grid costs little.

Draws are chosen by :meth:`PropagationPosterior.draw_indices` (without replacement, seeded:
the same ``seed`` gives the same draws); every record keeps the posterior's file name, its
SHA-256, the number of draws, the seed and the sample indices used.  With few draws the
95 % interval is rough (its ends are the 2nd-3rd most extreme of 50 draws, for instance).
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..heliosphere.modulation import Modulation
from ..propagation.grid import GridSpec
from .pbh_settings import DEFAULT_DATASET, DEFAULT_SIGMA
from .posterior import BAND_QUANTILES, PropagationPosterior, quantile_band
from .transport import Transport

__all__ = ["DEFAULT_DRAWS", "PosteriorFraction", "PosteriorLimits", "fraction_over_posterior", "open_posterior",
           "pbh_limits_over_posterior"]

#: posterior draws of a band unless told otherwise
DEFAULT_DRAWS = 50
#: the band columns, in order (:data:`positrons.analysis.posterior.BAND_QUANTILES`)
BAND_NAMES = tuple(BAND_QUANTILES)


# --- the posterior and its draws -----------------------------------------------------------------
def open_posterior(posterior: PropagationPosterior | str | Path) -> tuple[PropagationPosterior, dict]:
    """(the posterior, what a result records of it).

    ``posterior``: a :class:`PropagationPosterior` or the path of its ECSV file.  The record
    holds the file name (None for a posterior given in memory), the SHA-256 of the file (of the
    ECSV text the posterior writes, for one given in memory), the base model, the sampled
    parameters, the number of samples and the posterior's own settings."""
    if isinstance(posterior, PropagationPosterior):
        text = io.StringIO()
        posterior.to_table().write(text, format="ascii.ecsv")
        digest, name = hashlib.sha256(text.getvalue().encode()).hexdigest(), None
        post = posterior
    else:
        path = Path(posterior)
        post = PropagationPosterior.read(path)
        digest, name = hashlib.sha256(path.read_bytes()).hexdigest(), path.name
    record = {"posterior_file": name, "posterior_sha256": digest, "posterior_base_model": post.base_model.name,
              "posterior_parameters": list(post.parameters), "posterior_n_samples": post.n_samples,
              "posterior_settings": dict(post.settings)}
    return post, record


def _draws(post: PropagationPosterior, n_draws: int, seed: int, transport: Transport) -> tuple[np.ndarray, list]:
    """(sample indices, models) of the draws, each model checked against the grid (before any transport)."""
    if isinstance(n_draws, bool) or int(n_draws) != n_draws or n_draws < 2:
        raise ValueError(f"a band needs n_draws >= 2 posterior draws (got {n_draws})")
    if post.n_samples < 2:
        raise ValueError(f"a band needs at least 2 posterior samples; this posterior has {post.n_samples}")
    indices = post.draw_indices(int(n_draws), seed)
    models = [post.model(int(i)) for i in indices]
    for model in models:
        try:
            transport.grid_spec.validate_for(model)
        except ValueError as exc:
            raise ValueError(f"posterior draw {model.name} (z_h = {model.z_h_kpc:g} kpc): {exc}") from None
    return indices, models


def _draw_record(record: dict, indices: np.ndarray, n_draws: int, seed: int) -> dict:
    return {**record, "n_draws_requested": int(n_draws), "n_draws": len(indices), "seed": int(seed),
            "draw_indices": [int(i) for i in indices],
            "band": "median and central 68 % / 95 % intervals over the draws (numpy.quantile, linear)"}


def _band_columns(prefix: str, draws: np.ndarray, unit: str, what: str) -> dict:
    """``{prefix_median: (values, unit, description), prefix_lo68: ...}`` over the draws (axis 0)."""
    band = quantile_band(draws)
    words = {"median": "median", "lo68": "16 % quantile", "hi68": "84 % quantile", "lo95": "2.3 % quantile",
             "hi95": "97.7 % quantile"}
    return {f"{prefix}_{k}": (band[k], unit, f"{words[k]} over the posterior draws of {what}") for k in BAND_NAMES}


def _draw_columns(prefix: str, draws: np.ndarray, indices, unit: str, what: str) -> dict:
    return {f"{prefix}_draw{int(i)}": (draws[k], unit, f"{what}, posterior sample {int(i)}")
            for k, i in enumerate(indices)}


def _modulations(modulation: Modulation | None, phi_GV: float | None, local_interstellar: bool):
    """``modulation_of(model)``: the modulation of a draw, made once per distinct force-field
    potential (the model's phi unless ``modulation`` or ``phi_GV`` fixes it)."""
    from .transport import choose_modulation

    made: dict = {}

    def modulation_of(model) -> Modulation:
        key = model.phi_GV if modulation is None and phi_GV is None and not local_interstellar else None
        if key not in made:
            made[key] = choose_modulation(modulation, phi_GV, model.phi_GV, local_interstellar)
        return made[key]

    return modulation_of


# --- PBH limits ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class PosteriorLimits:
    """Upper limits on f_PBH for each mass and each posterior draw, and their band.

    ``f_limit_draws`` has one row per draw (sample ``draw_indices[k]`` of the posterior) and one
    column per mass [g]; :attr:`band` is the per-mass median and central 68 % / 95 % intervals.
    ``settings`` holds every setting of the limits (dataset, data rule, mass function,
    background, modulation, transport grid) and of the draws (posterior file and SHA-256,
    number of draws, seed, sample indices)."""

    masses_g: np.ndarray
    f_limit_draws: np.ndarray
    draw_indices: np.ndarray
    settings: dict

    @property
    def band(self) -> dict[str, np.ndarray]:
        """``{"median", "lo68", "hi68", "lo95", "hi95"}``: per mass, over the draws."""
        return quantile_band(self.f_limit_draws)

    @property
    def dataset(self) -> str:
        return self.settings["dataset"]

    def to_table(self):
        """An astropy Table: ``M_g``, the band (``f_PBH_limit_median``, ``_lo68``, ``_hi68``,
        ``_lo95``, ``_hi95``) and the limit of every draw (``f_PBH_limit_draw<i>``, i the sample
        index); every setting and the package version in ``meta``."""
        import datetime

        from .pbh_results import LIMIT_METHOD
        from .records import table_with_meta

        what = "the upper limit on f_PBH"
        columns = {"M_g": (self.masses_g, "g", "PBH mass (central mass of a log-normal)"),
                   **_band_columns("f_PBH_limit", self.f_limit_draws, "", what),
                   **_draw_columns("f_PBH_limit", self.f_limit_draws, self.draw_indices, "", "upper limit on f_PBH")}
        table = table_with_meta(columns, {"kind": "PBH limits over a propagation posterior", **self.settings})
        table.meta["date"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        table.meta["method"] = LIMIT_METHOD
        return table

    def write(self, path) -> None:
        """Write :meth:`to_table` atomically (``.ecsv``: self-describing; ``.csv``: the columns)."""
        from .records import write_result

        write_result(self, path, (".ecsv", ".csv"))

    def plot(self, ax=None, curves=()):
        """The band of f_PBH(M) (:func:`positrons.plotting.limits.plot_limit_bands`), with
        optional reference ``curves`` (:class:`~positrons.plotting.limits.LimitCurve`, e.g. the
        presets); returns the figure."""
        from ..plotting.limits import DATASET_COLOURS, DATASET_LABELS, LimitBand, method_note, plot_limit_bands

        s, b = self.settings, self.band
        label = (f"{DATASET_LABELS.get(self.dataset, self.dataset)}: median of {s['n_draws']} draws")
        band = LimitBand(label, np.asarray(self.masses_g, dtype=float), b["median"], b["lo68"], b["hi68"], b["lo95"],
                         b["hi95"], colour=DATASET_COLOURS.get(self.dataset))
        width = f" sigma = {s['sigma']:g}" if s.get("mass_function") == "lognormal" and s.get("sigma") else ""
        note = (f"{method_note(s['background'])}\nband: {s['n_draws']} draws of the propagation posterior "
                f"{s['posterior_file'] or '(in memory)'}, seed {s['seed']}")
        return plot_limit_bands([band], curves, note=note, ax=ax,
                                title=f"posterior of {s['posterior_base_model']}, {s['mass_function']}{width}, "
                                f"background: {s['background']}")

    def summary(self) -> str:
        """A few lines: what was computed, and per mass the median with the 68 % and 95 % ranges."""
        s, b = self.settings, self.band
        lines = [(f"f_PBH upper limits over {s['n_draws']} draws (seed {s['seed']}) of the propagation posterior "
                 f"{s['posterior_file'] or '(in memory)'} (sha256 {s['posterior_sha256'][:12]}...): dataset "
                 f"{s['dataset']}, {s['mass_function']}, background {s['background']}"),
                 f"{'M [g]':>10s}  {'median':>10s}  {'68 % range':>23s}  {'95 % range':>23s}"]
        for k, m in enumerate(self.masses_g):
            lines.append(f"{m:10.3g}  {b['median'][k]:10.3g}  {b['lo68'][k]:10.3g} - {b['hi68'][k]:10.3g}  "
                         f"{b['lo95'][k]:10.3g} - {b['hi95'][k]:10.3g}")
        return "\n".join(lines)


def pbh_limits_over_posterior(posterior: PropagationPosterior | str | Path, masses_g, n_draws: int = DEFAULT_DRAWS,
                              seed: int = 0, dataset: str = DEFAULT_DATASET, mass_function: str = "monochromatic",
                              sigma: float = DEFAULT_SIGMA, background: str = "none", phi_GV: float | None = None,
                              energy_range=None, transport: Transport | GridSpec | None = None,
                              missing_errors: str = "assume", modulation: Modulation | None = None, progress=None,
                              response_progress=None) -> PosteriorLimits:
    """Upper limits on f_PBH for each mass [g] and each of ``n_draws`` posterior draws.

    The settings are those of :func:`positrons.analysis.pbh_limits.pbh_limit_scan` (the same
    limit rules and defaults; ``model`` is each draw's), checked for every draw before any
    transport.  Computed once for the run: the data and their errors, the PBH spectra of every
    mass on the transport energies, the production spectrum of the secondary background, the
    modulation (per distinct phi).  Per draw: the propagator, the halo energy response (cached
    on disk by ``transport``), with ``background="secondary"`` the propagated secondaries, and
    the limits (see the module docstring: a draw changes the operator, so nothing else can be
    shared, except between draws with the same operator, which share the response rows and
    the secondaries).

    Parameters
    ----------
    posterior : PropagationPosterior or path of its ECSV file
    n_draws, seed : int
        Number of draws (>= 2; all samples if the posterior has fewer) and the seed choosing them.
    progress : callable(done, total), optional
        Called after each draw.
    response_progress : callable(done, total), optional
        Passed to each draw's halo-response build (one call per adjoint solve).
    """
    from ..data import load
    from ..sources.pbh.mass_functions import M_MIN_DEFAULT, MAX_PRESENT_DAY_MASS_G
    from ..stats.likelihood import Chi2
    from . import galactic
    from .pbh_limits import PBH_RANGE_GEV, pbh_response, requested_settings
    from .transport import phi_of
    transport = Transport.of(transport)
    post, record = open_posterior(posterior)
    indices, models = _draws(post, n_draws, seed, transport)
    masses = np.atleast_1d(np.asarray(masses_g, dtype=float))
    if masses.size == 0 or not (np.all(np.isfinite(masses)) and masses.min() >= M_MIN_DEFAULT
                                and masses.max() <= MAX_PRESENT_DAY_MASS_G):
        raise ValueError(f"PBH masses must lie in {M_MIN_DEFAULT:g}-{MAX_PRESENT_DAY_MASS_G:g} g (at least one)")
    # every setting resolved and checked as pbh_limit_scan does, without transport (the draws
    # differ only in the model, and in the modulation if they differ in phi_GV)
    settings = requested_settings(models[0], dataset, mass_function, sigma, background, phi_GV, energy_range,
                                  transport, missing_errors=missing_errors, modulation=modulation)
    settings = {k: v for k, v in settings.items() if k not in ("model", "model_parameters")}
    data = load(dataset)
    lo, hi = settings["energy_range_GeV"]
    chi2 = Chi2(data, lo, hi, missing_errors=missing_errors)
    factor = 2.0 if data.species == "electron+positron" else 1.0  # holes emit both charges alike
    modulation_of = _modulations(modulation, phi_GV, "local_interstellar" in data.flags)
    phis = [phi_of(modulation_of(m)) for m in models]
    if len(set(phis)) > 1:
        settings.update(phi_GV=None, phi_GV_per_draw=phis, modulation="force field at each draw's phi_GV")
    T = transport.grid_spec.energies(*PBH_RANGE_GEV)
    spectra = [galactic.pbh_profile_and_spectrum(m, "positron", T, mass_function, sigma)[1] for m in masses]
    f_limit = np.full((len(models), masses.size), np.nan)
    q_secondary = None
    # draws with one transport operator (a sample repeated in a chain, or draws that differ only in
    # phi) share the response rows and the background: kept as arrays, not propagators (memory)
    shared: dict = {}
    for k, model in enumerate(models):
        mod = modulation_of(model)
        observed = _interstellar(mod, chi2.energies)
        key = (_operator_key(model), observed)
        if key not in shared:
            galaxy = pbh_response(model, transport)
            G = galaxy.halo_response(observed, progress=response_progress)
            flux = None
            if background == "secondary":
                flux, q_secondary = _secondary_positrons(galaxy, q_secondary)
            shared[key] = (G, flux)
            del galaxy  # its propagator is not kept across draws
        G, background_flux = shared[key]
        background_at_data = None if background_flux is None else _at_data(T, background_flux, chi2.energies, mod)
        for i, Q in enumerate(spectra):
            signal = factor * _at_data(T, _flux_at_sun(G, Q, T), chi2.energies, mod)
            f_limit[k, i] = _limit(signal, background_at_data, chi2)
        if progress is not None:
            progress(k + 1, len(models))
    return PosteriorLimits(masses, f_limit, indices, {**settings, **_draw_record(record, indices, n_draws, seed)})


def _operator_key(model):
    """``model`` without what does not enter the transport operator (its name and description,
    the force-field potential): draws with equal keys have equal responses."""
    return dataclasses.replace(model, name="", description="", phi_GV=0.0)


def _flux_at_sun(G, Q, T):
    """Intensity at the Sun [m^-2 s^-1 sr^-1 GeV^-1] of spectrum ``Q`` through the e+ response
    ``G`` on the transport energies ``T`` (as :meth:`GalacticResponse.flux`)."""
    from .. import kinematics as kin

    return kin.flux_from_density(G @ np.asarray(Q, dtype=float), T, kin.get_species("positron").mass)


def _interstellar(mod, energies):
    from .transport import interstellar_range

    return interstellar_range(mod, energies, "positron")


def _at_data(T, flux, energies, mod):
    from .transport import flux_at_data

    return flux_at_data(T, flux, energies, mod, "positron")


def _secondary_positrons(galaxy, q_per_atom):
    """(interstellar secondary e+ flux on the response's energies, the production spectrum):
    the background of :func:`positrons.analysis.pbh_limits.secondary_background`, with the
    model-independent production spectrum ``q_per_atom`` reused when given."""
    from . import galactic

    profile, q = galactic.secondary_profile_and_spectrum(galaxy.model, "positron", galaxy.grid.T,
                                                         grid_spec=galaxy.transport.grid_spec, q_per_atom=q_per_atom)
    flux = galaxy.solve_flux(lambda R, z, TT: profile(R[..., 0], z[..., 0])[..., None] * q[None, None, :])
    return flux, q


def _limit(signal, background_at_data, chi2) -> float:
    """The f_PBH limit of one mass and draw, by the rule of ``pbh_limit_scan``."""
    from ..stats.limits import limit_with_background, limit_without_background

    if background_at_data is None:
        return limit_without_background(signal, chi2).f
    return limit_with_background(signal, background_at_data, chi2).f_limit


# --- the secondary positron flux and fraction -----------------------------------------------------
@dataclass(frozen=True)
class PosteriorFraction:
    """The secondary e+ flux and fraction at Earth over posterior draws, and their bands.

    ``fraction_draws``, ``positron_draws`` and ``electron_draws`` have one row per draw (sample
    ``draw_indices[k]``) and one column per kinetic energy ``T`` [GeV]; fluxes in m^-2 s^-1 sr^-1
    GeV^-1 (e-: secondary + primary, normalised to AMS-02 in each draw).  ``settings``: the
    cross sections, modulation, transport grid and the draws (posterior file and SHA-256,
    number of draws, seed, sample indices)."""

    T: np.ndarray
    fraction_draws: np.ndarray
    positron_draws: np.ndarray
    electron_draws: np.ndarray
    draw_indices: np.ndarray
    settings: dict

    @property
    def fraction_band(self) -> dict[str, np.ndarray]:
        """Median and central 68 % / 95 % intervals of e+/(e+ + e-) per energy."""
        return quantile_band(self.fraction_draws)

    @property
    def positron_band(self) -> dict[str, np.ndarray]:
        """Median and central 68 % / 95 % intervals of the secondary e+ flux per energy."""
        return quantile_band(self.positron_draws)

    def to_table(self, draws: bool = True):
        """An astropy Table: ``E_GeV``, the bands of the fraction (``fraction_median``, ...) and of
        the e+ flux (``flux_positron_median``, ...) and, with ``draws``, each draw's values
        (``fraction_draw<i>``, ``flux_positron_draw<i>``, i the sample index); settings in ``meta``."""
        from .records import table_with_meta

        unit = "1 / (GeV m2 s sr)"
        columns = {"E_GeV": (self.T, "GeV", "kinetic energy"),
                   **_band_columns("fraction", self.fraction_draws, "", "e+ / (e+ + e-), secondary e+ only"),
                   **_band_columns("flux_positron", self.positron_draws, unit, "the secondary e+ flux at Earth")}
        if draws:
            columns.update(_draw_columns("fraction", self.fraction_draws, self.draw_indices, "", "e+ / (e+ + e-)"))
            columns.update(_draw_columns("flux_positron", self.positron_draws, self.draw_indices, unit,
                                         "secondary e+ flux at Earth"))
        return table_with_meta(columns, {"kind": "secondary positron fraction over a propagation posterior",
                                         **self.settings})

    def write(self, path) -> None:
        """Write :meth:`to_table` atomically (``.ecsv`` or ``.csv``)."""
        from .records import write_result

        write_result(self, path, (".ecsv", ".csv"))

    def _label_and_note(self) -> tuple[str, str]:
        s = self.settings
        label = f"secondary only, posterior of {s['posterior_base_model']}: median of {s['n_draws']} draws"
        note = (f"propagation posterior {s['posterior_file'] or '(in memory)'}, {s['n_draws']} draws (seed {s['seed']}); "
                f"cross sections {s['cross_sections']}")
        return label, note

    def plot(self, ax=None, quantity: str = "fraction"):
        """The band over every shipped measurement: ``quantity="fraction"``
        (:func:`positrons.plotting.fraction.plot_fraction_band`) or ``"positron_flux"``
        (:func:`~positrons.plotting.fraction.plot_positron_flux_band`); returns the figure."""
        from ..plotting.fraction import plot_fraction_band, plot_positron_flux_band

        label, note = self._label_and_note()
        if quantity == "fraction":
            return plot_fraction_band(self.T, self.fraction_band, label, note, ax=ax)
        if quantity == "positron_flux":
            return plot_positron_flux_band(self.T, self.positron_band, label, note, ax=ax)
        raise ValueError(f"quantity must be 'fraction' or 'positron_flux' (got {quantity!r})")

    def summary(self) -> str:
        """A few lines: what was computed, and the fraction band at a few energies."""
        s, b = self.settings, self.fraction_band
        lines = [(f"secondary positron fraction over {s['n_draws']} draws (seed {s['seed']}) of the propagation "
                 f"posterior {s['posterior_file'] or '(in memory)'} (sha256 {s['posterior_sha256'][:12]}...)"),
                 f"{'E [GeV]':>10s}  {'median':>8s}  {'68 % range':>17s}  {'95 % range':>17s}"]
        for k in np.unique(np.linspace(0, self.T.size - 1, min(self.T.size, 8)).round().astype(int)):
            lines.append(f"{self.T[k]:10.4g}  {b['median'][k]:8.4f}  {b['lo68'][k]:8.4f}-{b['hi68'][k]:8.4f}  "
                         f"{b['lo95'][k]:8.4f}-{b['hi95'][k]:8.4f}")
        return "\n".join(lines)


def fraction_over_posterior(posterior: PropagationPosterior | str | Path, n_draws: int = DEFAULT_DRAWS,
                            seed: int = 0, T=None, xs_model: str = "hybrid",
                            transport: Transport | GridSpec | None = None, modulation: Modulation | None = None,
                            progress=None) -> PosteriorFraction:
    """The secondary positron flux and fraction at kinetic energies ``T`` [GeV] (default
    0.5-1000 GeV, 40 energies) for each of ``n_draws`` posterior draws.

    Per draw the chain of :func:`positrons.analysis.fraction.secondary_lis` (propagated p and He
    normalised to AMS-02 through the production matrices of ``xs_model``, primary e- normalised
    to AMS-02, one lepton propagator) and
    :meth:`~positrons.analysis.fraction.SecondaryLIS.prediction` (``modulation``, default the
    force field at the draw's phi).  Computed once for the run: the production matrices of e+
    and e- (they do not depend on the model); per draw the propagators and solves (a draw
    changes the operator: see the module docstring), the proton and helium fits once for both
    leptons; equal samples (a chain repeats a sample when a move is rejected) are computed
    once.  ``progress(done, total)`` is called after each draw.
    """
    from ..sources.secondary import build_production_matrix
    from . import galactic
    from .fraction import ELECTRON_DATASET, TRANSPORT_RANGE_GEV, SecondaryLIS
    from .primaries import fit_primary
    from .transport import GalacticResponse

    T = np.geomspace(0.5, 1000.0, 40) if T is None else np.atleast_1d(np.asarray(T, dtype=float))
    lo, hi = TRANSPORT_RANGE_GEV
    if not (np.all(np.isfinite(T)) and T.min() >= lo and T.max() <= hi):
        raise ValueError(f"energies must lie inside the transport grid {lo:g}-{hi:g} GeV")
    transport = Transport.of(transport)
    post, record = open_posterior(posterior)
    indices, models = _draws(post, n_draws, seed, transport)

    T_lepton = transport.grid_spec.energies(*TRANSPORT_RANGE_GEV)
    T_projectile = galactic.projectile_energies(transport.grid_spec)
    production = {lepton: build_production_matrix(xs_model, lepton, T_lepton, projectile_energies=T_projectile).matrices
                  for lepton in ("positron", "electron")}
    fraction, positrons, electrons = (np.full((len(models), T.size), np.nan) for _ in range(3))
    phis, done = [], {}
    for k, model in enumerate(models):
        same = dataclasses.replace(model, name="", description="")
        if same in done:  # a sample repeated in the chain: the same numbers
            j = done[same]
            fraction[k], positrons[k], electrons[k] = fraction[j], positrons[j], electrons[j]
            phis.append(phis[j])
            if progress is not None:
                progress(k + 1, len(models))
            continue
        done[same] = k
        galaxy = GalacticResponse(model, "electron", TRANSPORT_RANGE_GEV, transport)
        lis, primaries = {}, None
        for lepton in ("positron", "electron"):
            field, fit_p, fit_he = galactic.secondary_source_field(model, lepton, galaxy.T, xs_model=xs_model,
                                                                   transport=transport, production=production[lepton],
                                                                   primaries=primaries)
            primaries = (fit_p, fit_he)
            lis[lepton] = galaxy.solve_flux(field)
        primary = fit_primary(model, "electron", ELECTRON_DATASET, propagator=galaxy.propagator)
        secondary = SecondaryLIS(model.name, model.phi_GV, xs_model, galaxy.T, lis["positron"], lis["electron"],
                                 primary.flux_lis)
        prediction = secondary.prediction(T, modulation=modulation)
        fraction[k], positrons[k], electrons[k] = prediction.fraction_secondary, prediction.positrons, prediction.electrons
        phis.append(prediction.phi_GV)
        if progress is not None:
            progress(k + 1, len(models))
    settings = {"cross_sections": xs_model, **transport.settings(), "electron_dataset": ELECTRON_DATASET,
                "phi_GV": phis[0] if len(set(phis)) == 1 else None,
                "modulation": modulation.settings() if modulation is not None else "force field at each draw's phi_GV"}
    if len(set(phis)) > 1:
        settings["phi_GV_per_draw"] = phis
    return PosteriorFraction(T, fraction, positrons, electrons, indices,
                             {**settings, **_draw_record(record, indices, n_draws, seed)})
