"""Every PBH-limit figure of docs/pbh_limits.md, and the scans behind them, in one call.

:func:`limit_figure_campaign` runs (serially or with dask, :mod:`positrons.analysis.dask_scans`)

* the monochromatic limits without background of every model of :data:`ALL_MODELS` on every
  dataset of :data:`~positrons.analysis.pbh_settings.LIMIT_DATASETS`, with the force-field band
  phi -/+ 0.1 GV (none for Voyager 1, compared unmodulated);
* the log-normal limits of widths :data:`ALL_SIGMAS` for the reference model and dataset;
* the limit with a fitted secondary background for the reference model and dataset;
* the fluxes at the limit of :data:`REFERENCE_MASS` (with background);

and returns a :class:`CampaignFigures` record: four figures (``pbh_limits_models.png``,
``pbh_limits_widths.png``, ``pbh_limits_background.png``, ``pbh_limits_flux.png``), the scans
by file name (``scan_<model>_<dataset>_<mass function>[_sigma<s>]_<background>[_phi<phi>].ecsv``)
and the settings.  :meth:`CampaignFigures.write` puts them in a directory.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .pbh_settings import DEFAULT_DATASET, LIMIT_DATASETS
from .transport import Transport

#: the models of the grid figure (one panel each)
ALL_MODELS = ("MIN", "MED", "MAX", "MAX2", "DB", "GH")
#: log-normal widths (in ln M) of the widths figure
ALL_SIGMAS = (0.5, 1.0, 2.0)
#: model, dataset and mass [g] of the width, background and flux figures
REFERENCE_MODEL = "MED"
REFERENCE_DATASET = DEFAULT_DATASET
REFERENCE_MASS = 1e16
#: masses [g] of a campaign when none are given: 30 log-spaced from 5e14 to 1e17 g, enough for
#: a smooth curve on a log axis (a limit changes by less than ~2x between neighbours)
DEFAULT_MASSES_G = tuple(float(m) for m in np.geomspace(5e14, 1e17, 30))
#: data points drawn (grey) on the flux figure [GeV]
FLUX_FIGURE_RANGE_GEV = (0.1, 30.0)


@dataclass(frozen=True)
class CampaignFigures:
    """The figures (file name -> matplotlib Figure), the scans (file name -> ScanResult), the
    fluxes at the reference limit (LimitSpectra) and the settings of a campaign."""

    figures: dict
    scans: dict
    spectra: object
    settings: dict = field(default_factory=dict)

    def write(self, directory, on_figure: Callable[[Path], None] | None = None) -> list[Path]:
        """Write every scan (ECSV, atomic) and every figure (PNG, 150 dpi) into ``directory``
        (created if needed); ``on_figure(path)`` is called after each figure.  Returns the paths."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        paths = []
        for name, scan in self.scans.items():
            scan.write(directory / name)
            paths.append(directory / name)
        for name, fig in self.figures.items():
            path = directory / name
            fig.savefig(path, dpi=150, bbox_inches="tight")
            paths.append(path)
            if on_figure is not None:
                on_figure(path)
        return paths

    def to_table(self):
        """One row per scan: its file name and settings (model, dataset, mass function, sigma,
        background, phi), the campaign's settings in ``meta``."""
        from astropy.table import Table

        from .records import plain

        rows = [(name, s.model, s.dataset, s.mass_function, s.sigma if s.sigma is not None else float("nan"),
                 s.background, s.phi_GV if s.phi_GV is not None else float("nan")) for name, s in self.scans.items()]
        table = Table(rows=rows or None, names=("file", "model", "dataset", "mass_function", "sigma", "background",
                                                "phi_GV"))
        table["phi_GV"].unit = "GV"
        table.meta.update(plain(self.settings))
        from .records import package_version

        table.meta["positrons_version"] = package_version()
        return table

    def plot(self, ax=None):
        """The figure of every model's limits (the campaign's first figure; ``ax`` is not used:
        the figure has one panel per model)."""
        return self.figures["pbh_limits_models.png"]


def campaign_jobs():
    """The scan jobs of a campaign (:class:`~positrons.analysis.dask_scans.ScanJob`), grouped by model."""
    from .dask_scans import split_jobs

    jobs = split_jobs(ALL_MODELS, LIMIT_DATASETS, phi_band=True)
    jobs += split_jobs([REFERENCE_MODEL], [REFERENCE_DATASET], [("lognormal", s) for s in ALL_SIGMAS])
    jobs += split_jobs([REFERENCE_MODEL], [REFERENCE_DATASET], backgrounds=["secondary"])
    return jobs


def limit_figure_campaign(masses_g=None, transport: Transport | None = None, *, scheduler: str = "none",
                          grid_note_suffix: str = "", progress: Callable[[int, int, str], None] | None = None
                          ) -> CampaignFigures:
    """Run every scan of :func:`campaign_jobs` on ``masses_g`` [g] (None: :data:`DEFAULT_MASSES_G`,
    30 masses) and the fluxes at the reference limit, and draw the four figures (see the module
    docstring).  Each figure states its limit rule (2 sigma without background, 95 % C.L. with
    it), model, dataset and mass function, and draws the force-field band phi -/+ 0.1 GV
    wherever it is computed (every monochromatic no-background curve of a modulated dataset).

    ``transport``: grid, solver and cache of every scan (each model's grid is checked first);
    ``scheduler``: as :func:`positrons.analysis.dask_scans.run_jobs`; ``grid_note_suffix``: text
    added to the grid note of the figure titles; ``progress(done, total, what)`` after each step.
    """
    from ..data import load
    from ..plotting.limits import (DATASET_COLOURS, DATASET_LABELS, PHI_BAND_NOTE, LimitCurve, method_note,
                                   plot_flux_at_limit, plot_limit_curves, plot_limits_by_model)
    from ..propagation.models import PRESETS
    from ..stats.likelihood import Chi2
    from .dask_scans import run_jobs, split_jobs
    from .pbh_limits import limit_spectra
    from .pbh_settings import DEFAULT_RANGES

    masses_g = np.asarray(DEFAULT_MASSES_G if masses_g is None else masses_g, dtype=float)
    transport = Transport.of(transport)
    spec = transport.grid_spec
    for name in ALL_MODELS:
        spec.validate_for(PRESETS[name])
    jobs = campaign_jobs()
    total = len(jobs) + 1
    results = run_jobs(jobs, masses_g, scheduler=scheduler, transport=transport,
                       progress=None if progress is None else (lambda i, n, job: progress(i, total, job.label())))
    by_job = dict(zip(jobs, results))
    scans = {}
    for job, res in by_job.items():
        runs = [res] if not job.phi_band else ([res.central] if not res.modulated else [res.central, res.low, res.high])
        for scan in runs:
            width = f"_sigma{job.sigma:g}" if job.sigma else ""
            tag = "" if scan is runs[0] else f"_phi{scan.phi_GV:g}"
            scans[f"scan_{job.model}_{job.dataset}_{job.mass_function}{width}_{job.background}{tag}.ecsv"] = scan
    spectra = limit_spectra(REFERENCE_MODEL, REFERENCE_MASS, REFERENCE_DATASET, background="secondary",
                            transport=transport)
    if progress is not None:
        progress(total, total, "flux at the limit")

    grid_note = (f"{spec.dR_kpc:g} x {spec.dz_kpc:g}-{spec.dz_max_kpc:g} kpc, {spec.energy_points_per_decade:g}/decade "
                 "transport grid" + grid_note_suffix)
    panels = {}
    for model in ALL_MODELS:
        curves = []
        for dataset in LIMIT_DATASETS:
            band = by_job[split_jobs([model], [dataset], phi_band=True)[0]]
            suffix = r" ($\phi \pm 0.1$ GV)" if band.modulated else " (unmodulated)"
            curves.append(LimitCurve(DATASET_LABELS[dataset] + suffix, band.central.masses_g, band.central.f_limit,
                                     band.lower_f, band.upper_f, DATASET_COLOURS[dataset]))
        panels[model] = curves
    figures = {"pbh_limits_models.png": plot_limits_by_model(
        panels, note=f"f$_{{PBH}}$ upper limits, monochromatic, {method_note('none')};\n"
                     f"{PHI_BAND_NOTE} (none for Voyager 1: local interstellar data); {len(masses_g)} masses; {grid_note}")}
    reference = f"{REFERENCE_MODEL}, {DATASET_LABELS[REFERENCE_DATASET]} ({REFERENCE_DATASET})"
    mono_band = by_job[split_jobs([REFERENCE_MODEL], [REFERENCE_DATASET], phi_band=True)[0]]
    mono = mono_band.central
    band = dict(f_low=mono_band.lower_f, f_high=mono_band.upper_f) if mono_band.modulated else {}
    band_note = f"\n{PHI_BAND_NOTE} on the monochromatic limit" if band else ""
    widths = [LimitCurve("monochromatic", mono.masses_g, mono.f_limit, **band)]
    for sigma in ALL_SIGMAS:
        r = by_job[split_jobs([REFERENCE_MODEL], [REFERENCE_DATASET], [("lognormal", sigma)])[0]]
        widths.append(LimitCurve(rf"log-normal, $\sigma$ = {sigma:g} (in ln M)", r.masses_g, r.f_limit))
    figures["pbh_limits_widths.png"] = plot_limit_curves(
        widths, title=f"{REFERENCE_MODEL}, AMS-02 e$^+$: mass functions; {grid_note}",
        note=f"{reference}\n{method_note('none')}{band_note}")
    bkg = by_job[split_jobs([REFERENCE_MODEL], [REFERENCE_DATASET], backgrounds=["secondary"])[0]]
    figures["pbh_limits_background.png"] = plot_limit_curves(
        [LimitCurve("no background (2$\\sigma$)", mono.masses_g, mono.f_limit, **band),
         LimitCurve(r"secondary background, $\Delta\chi^2$ = 3.84 (95 % C.L.)", bkg.masses_g, bkg.f_limit)],
        title=f"{REFERENCE_MODEL}, AMS-02 e$^+$, monochromatic; {grid_note}",
        note=f"{reference}, monochromatic\n{method_note()}" + (f"\n{PHI_BAND_NOTE} on the no-background limit" if band else ""))
    data = load(REFERENCE_DATASET)
    fit = Chi2(data, *DEFAULT_RANGES[REFERENCE_DATASET])
    every = Chi2(data, *FLUX_FIGURE_RANGE_GEV)
    lo, hi = DEFAULT_RANGES[REFERENCE_DATASET]
    figures["pbh_limits_flux.png"] = plot_flux_at_limit(
        spectra, (every.energies, every.values, every.err_low, every.err_high),
        (fit.energies, fit.values, fit.err_low, fit.err_high),
        title=f"{REFERENCE_MODEL}, M = {REFERENCE_MASS:g} g, AMS-02 e$^+$ (fit {lo:g}-{hi:g} GeV); {grid_note}")
    settings = {"models": list(ALL_MODELS), "datasets": list(LIMIT_DATASETS), "sigmas": list(ALL_SIGMAS),
                "reference_model": REFERENCE_MODEL, "reference_dataset": REFERENCE_DATASET,
                "reference_mass_g": REFERENCE_MASS, "masses_g": [float(m) for m in masses_g],
                **transport.settings()}
    return CampaignFigures(figures, scans, spectra, settings)
