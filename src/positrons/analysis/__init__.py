"""Analyses: where a propagation model, a transport grid, a source, a modulation and a dataset meet.

This is the one layer that both runs physics and loads measurements.  Below it,
``propagation/`` ends at the local interstellar spectrum and ``stats/`` holds only
likelihoods and limit rules; above it, ``commands/`` parse options, call one function here
and write its result.  Importing this package imports none of its modules.

Modules:

* :mod:`~positrons.analysis.transport` -- :class:`Transport` (grid, solver and response cache
  as one value) and :class:`GalacticResponse` (a propagator and its energy responses, the
  one place the chain grid -> propagator -> response -> flux is written), plus
  :func:`interstellar_range` and :func:`flux_at_data` (modulated flux at the data energies);
* :mod:`~positrons.analysis.galactic` -- source profiles and spectra on the transport grid
  (secondaries, PBHs) and the local interstellar flux of one source;
* :mod:`~positrons.analysis.primaries` -- primary p, He, e- propagated and normalised to data
  (:class:`PrimaryFit`);
* :mod:`~positrons.analysis.local_spectra` -- the local interstellar spectrum of one source
  (``positrons propagate``; :class:`LocalSpectrum`);
* :mod:`~positrons.analysis.pbh_limits` -- upper limits on f_PBH (scans, phi bands, the
  fluxes at a limit); :mod:`~positrons.analysis.pbh_results` their records
  (:class:`ScanResult`, :class:`PhiBand`, :class:`LimitSpectra`);
* :mod:`~positrons.analysis.pbh_spectra` -- Hawking emission of a hole or a population and a
  hole's lifetime (:class:`PBHSpectrum`, :class:`PBHLifetime`; ``positrons pbh spectrum`` and
  ``pbh lifetime``);
* :mod:`~positrons.analysis.scans` -- scan files (ECSV, atomic, locked, resumable; the phi band
  beside the central scan, :func:`run_band_scan`);
  :mod:`~positrons.analysis.dask_scans` -- many scans at once;
* :mod:`~positrons.analysis.pbh_campaign` -- every PBH-limit figure of docs/pbh_limits.md;
* :mod:`~positrons.analysis.fraction` -- the secondary positron fraction
  (:class:`FractionPrediction`); :mod:`~positrons.analysis.fraction_fit` -- fits of it with
  pulsars or dark matter (:class:`FractionFit`);
* :mod:`~positrons.analysis.pbh_settings` -- the defaults and choices of a PBH limit, defined once
  (light: the command line reads them to build its options);
* :mod:`~positrons.analysis.propagation_bands` -- PBH limits and the secondary e+ flux and
  fraction over the draws of a propagation posterior, with median and 68 % / 95 % bands
  (:class:`PosteriorLimits`, :class:`PosteriorFraction`; ``--posterior FILE``);
* :mod:`~positrons.analysis.records` -- what every result shares: atomic writes of tables by
  suffix, settings and package version in ``meta``;
* :mod:`~positrons.analysis.lis_fit` -- a LIS fitted to modulated data (:class:`LISFit`);
* :mod:`~positrons.analysis.lis_modulation` -- a LIS table through a modulation model
  (``positrons modulate``);
* :mod:`~positrons.analysis.secondary_spectra` -- production cross sections and secondary source
  terms compared across models (``positrons secondary``);
* :mod:`~positrons.analysis.belt` -- the inner-belt positron spectra (``positrons belt``);
* :mod:`~positrons.analysis.nuclei` -- the nuclear network against B/C, Be/B, 10Be/9Be, ...
  (:class:`NucleiRatioResult`; ``positrons nuclei ratio``);
* :mod:`~positrons.analysis.antiprotons` -- secondary antiprotons and pbar/p
  (:class:`AntiprotonResult`; ``positrons antiprotons``).

Each analysis returns a result record with ``.to_table()`` (an astropy Table with units, and
the settings and package version in ``meta``), ``.write(path)`` and ``.plot(ax=None)``.
"""
