"""Many PBH limit scans at once, serially or on a ``dask.distributed`` cluster.

A figure set needs one :func:`~positrons.analysis.pbh_limits.pbh_limit_scan` per
(propagation model, dataset, mass function[, background]).  :func:`split_jobs` lists them as
:class:`ScanJob` records; :func:`run_jobs` runs them

* ``scheduler="none"`` -- one after the other in this process (the transport response of a
  model, a :class:`~positrons.analysis.transport.GalacticResponse`, is made once and passed
  to each of its jobs);
* ``scheduler="local"`` -- on a ``LocalCluster`` of 2 worker processes with one thread each
  (the 2D solver is single-threaded and CPU bound: processes, not threads);
* ``scheduler="tcp://host:port"`` -- on an existing cluster.

With dask, one task is one job, so every worker builds the transport response of the models it
meets (a few seconds on the coarse grid, about a minute on the default grid) or reads it from
the disk cache of the :class:`~positrons.analysis.transport.Transport` (shared by the workers of
one machine).  Jobs are submitted grouped by model.  The numbers are the same as the serial
path's (the same function runs on the same inputs; tests check equality).

dask is optional (``pip install positrons[scan]``); :func:`run_jobs` with a dask scheduler
raises :class:`ImportError` saying so when it is missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from .pbh_limits import pbh_limit_band, pbh_limit_scan, pbh_response
from .pbh_results import PhiBand, ScanResult
from .pbh_settings import DEFAULT_SIGMA, LIMIT_DATASETS
from .transport import GalacticResponse, Transport

__all__ = ["ScanJob", "dask_available", "default_scheduler", "run_job", "run_jobs", "split_jobs"]

#: the datasets of the limit figures (:data:`positrons.analysis.pbh_settings.LIMIT_DATASETS`)
DATASETS = LIMIT_DATASETS


@dataclass(frozen=True)
class ScanJob:
    """One task: a scan of all masses for one (model, dataset, mass function, background)."""

    model: str
    dataset: str
    mass_function: str = "monochromatic"
    sigma: float | None = None
    background: str = "none"
    phi_band: bool = False
    #: data points without a published error: "assume" (default) or "skip" (Chi2's missing_errors)
    missing_errors: str = "assume"

    def label(self) -> str:
        width = f" sigma={self.sigma:g}" if self.mass_function == "lognormal" else ""
        rule = "" if self.missing_errors == "assume" else f"/missing_errors={self.missing_errors}"
        return f"{self.model}/{self.dataset}/{self.mass_function}{width}/{self.background}{rule}"


def split_jobs(models: Iterable[str], datasets: Iterable[str] = DATASETS,
               mass_functions: Iterable[tuple[str, float | None]] = (("monochromatic", None),),
               backgrounds: Iterable[str] = ("none",), phi_band: bool = False,
               missing_errors: str = "assume") -> list[ScanJob]:
    """Every (model, dataset, mass function, background) combination, grouped by model.

    ``mass_functions`` are pairs ``("monochromatic", None)`` or ``("lognormal", sigma)``;
    ``missing_errors`` is the data rule of every job."""
    return [ScanJob(m, d, mf, sigma, b, phi_band, missing_errors) for m in models for d in datasets
            for (mf, sigma) in mass_functions for b in backgrounds]


def run_job(job: ScanJob, masses_g, transport: Transport | None = None,
            response: GalacticResponse | None = None) -> ScanResult | PhiBand:
    """Run one job in this process (what a dask task calls); ``response``: the model's, to reuse."""
    kwargs = dict(dataset=job.dataset, mass_function=job.mass_function, sigma=job.sigma or DEFAULT_SIGMA,
                  background=job.background, missing_errors=job.missing_errors, transport=transport,
                  response=response)
    if job.phi_band:
        return pbh_limit_band(job.model, masses_g, **kwargs)
    return pbh_limit_scan(job.model, masses_g, **kwargs)


def dask_available() -> bool:
    try:
        import dask.distributed  # noqa: F401
    except ImportError:
        return False
    return True


def default_scheduler() -> str:
    """"local" when dask.distributed is installed, else "none"."""
    return "local" if dask_available() else "none"


def run_jobs(jobs: list[ScanJob], masses_g, *, scheduler: str = "none", transport: Transport | None = None,
             n_workers: int = 2, progress: Callable[[int, int, ScanJob], None] | None = None) -> list:
    """Results of ``jobs`` (a ScanResult, or a PhiBand for ``phi_band`` jobs), in job order.

    Parameters
    ----------
    scheduler : "none", "local" or "tcp://host:port"
        See the module docstring.
    transport : Transport
        Grid, solver and response cache of every scan (default :class:`Transport`()).
    progress : callable(done, total, job), optional
        Called as each job finishes (in completion order with dask).
    """
    masses = np.atleast_1d(np.asarray(masses_g, dtype=float))
    transport = Transport.of(transport)
    total = len(jobs)
    if scheduler == "none":
        out, responses = [], {}
        for i, job in enumerate(jobs):
            if job.model not in responses:
                responses[job.model] = pbh_response(job.model, transport)
            out.append(run_job(job, masses, transport, responses[job.model]))
            if progress is not None:
                progress(i + 1, total, job)
        return out
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ImportError(
            f"scheduler={scheduler!r} needs dask.distributed: pip install 'dask[distributed]' "
            "(or positrons[scan]); use scheduler='none' to run serially") from None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=n_workers, threads_per_worker=1, processes=True,
                               dashboard_address=":0")  # any free port: never clashes with a running cluster
        client = Client(cluster)
    elif scheduler.startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        cluster, client = None, Client(scheduler)
    else:
        raise ValueError(f"scheduler must be 'none', 'local' or an address like tcp://host:8786, got {scheduler!r}")
    try:
        futures = [client.submit(run_job, job, masses, transport, pure=False, key=f"pbh-scan-{i}-{job.label()}")
                   for i, job in enumerate(jobs)]
        index = {f.key: i for i, f in enumerate(futures)}
        out = [None] * total
        for done, future in enumerate(as_completed(futures), start=1):
            i = index[future.key]
            out[i] = future.result()
            if progress is not None:
                progress(done, total, jobs[i])
        return out
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
