"""Published force-field modulation potentials for the data-taking periods of shipped datasets.

The table
---------
Every value is copied, not computed: it is the ``phi [MV]`` column (Col. 13) that the
Cosmic-Ray DataBase (CRDB; Maurin, Melot & Taillet 2014, A&A 569, A32) attaches to each
sub-experiment.  CRDB's values come from its neutron-monitor reconstruction of the
force-field ``phi`` (Ghelfi et al. 2017, Adv. Space Res. 60, 833, "Neutron monitors and
muon detectors for solar modulation studies: 2. phi time series", whose abstract announces
"updated phi values for the cosmic-ray database"; quoted accuracy ``Delta phi / phi ~ 10 %``),
averaged over the sub-experiment's data-taking times.  They were read from a CRDB export
in USINE format dated 2019/07/31 (H fluxes) stored in
github:jessicametzger/grcrfit@f73f17266f887a9b2cf0e575bc6824bb260bb0a3 ``hdatabase.USINE``;
the DATIMES column (Col. 15) gives the periods below.

A force-field ``phi`` is tied to the LIS it was derived with (here the Ghelfi et al. 2016,
A&A 591, A94 H/He interstellar fluxes); with another LIS the best ``phi`` differs by up to
~0.1 GV, which is the default width of the band of
:func:`positrons.heliosphere.force_field.modulate_band`.

No published value was found (in the material searched) for the data-taking periods of
AMS-02 2011/05-2016/05, 2011/05-2017/11 and 2011/05-2018/05, Fermi-LAT 2008/06-2011/04 and
2008/08-2015/06, HEAT 1994-1995, CALET 2015/10-2017/11 and DAMPE 2015/12-2017/06; they are
left out, and :func:`phi_for_dataset` asks for an explicit ``phi`` for those datasets.

Matching a dataset to the table
-------------------------------
:func:`explain_phi` / :func:`phi_for_dataset` decide in this order:

1. an explicit ``phi`` (GV) wins;
2. a dataset flagged ``local_interstellar`` (Voyager beyond the heliopause) gets ``phi = 0``
   (it is the LIS itself; compare it unmodulated);
3. otherwise the dataset's ``meta['data_taking_period']`` ``[start, end]`` is compared
   with every table period by the overlap ratio (Jaccard index)
   ``J = |overlap| / |union|``; the entry with the largest ``J`` is used if ``J >= 0.6``
   (the two periods share at least 60 % of their combined span, so the averaged solar
   activity is essentially the same);
4. a period that is one year or one month (``["1994", "1994"]``, ``["1998-06", "1998-06"]``:
   a balloon flight or a shuttle mission known to that precision) matches an entry of the
   *same experiment* that lies inside it (CAPRICE94: flight of 1994 August 8-9; AMS-01:
   STS-91, 1998 June 2-12);
5. otherwise :class:`NoPublishedPhiError` (a ``ValueError``) tells the user to pass ``phi``
   (``--phi`` on the command line).

Period strings are ISO dates at any precision (``"1994"``, ``"2011-05"``, ``"2011-05-19"``,
``"2011-05-19T00:00:00"``); a year or month stands for the whole year or month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .force_field import phi_value

__all__ = [
    "JACCARD_THRESHOLD",
    "PHI_TABLE",
    "NoPublishedPhiError",
    "PhiChoice",
    "PhiEntry",
    "explain_phi",
    "match_period",
    "parse_period",
    "phi_for_dataset",
]

#: minimum overlap ratio |overlap| / |union| for a table period to stand for a dataset's
JACCARD_THRESHOLD = 0.6

_CRDB = (
    "CRDB (Maurin, Melot & Taillet 2014, A&A 569, A32), phi [MV] column of the USINE export of "
    "2019/07/31; phi from neutron monitors (Ghelfi et al. 2017, Adv. Space Res. 60, 833)"
)
_CRDB_COPY = "github:jessicametzger/grcrfit@f73f17266f887a9b2cf0e575bc6824bb260bb0a3 hdatabase.USINE"


class NoPublishedPhiError(ValueError):
    """No published phi for a dataset's data-taking period: the user must give one."""


@dataclass(frozen=True)
class PhiEntry:
    """One published force-field potential: a period, its ``phi`` [MV as published] and source."""

    key: str  # the source's name of the period (CRDB sub-experiment)
    experiment: str  # as in Dataset.meta['experiment']
    start: str  # ISO date/time
    end: str
    phi_MV: float
    reference: str  # measurement the sub-experiment belongs to (ADS bibcode)
    source: str = _CRDB
    copy: str = _CRDB_COPY

    @property
    def phi(self) -> float:
        """``phi`` in GV (internal unit)."""
        return self.phi_MV * 1e-3


#: the published values (module docstring); periods are the CRDB DATIMES of each sub-experiment
PHI_TABLE: tuple[PhiEntry, ...] = (
    PhiEntry("CAPRICE94(1994/08)", "CAPRICE94", "1994-08-08T16:00:00", "1994-08-09T15:00:00", 518.0, "1999ApJ...518..457B"),
    PhiEntry("AMS01(1998/06)", "AMS-01", "1998-06-02T00:00:00", "1998-06-12T00:00:00", 555.0, "2000PhLB..490...27A"),
    PhiEntry("PAMELA(2006/07-2008/12)", "PAMELA", "2006-07-01T00:00:00", "2008-12-01T00:00:00", 372.0, "2011Sci...332...69A"),
    PhiEntry("AMS02(2011/05-2013/11)", "AMS-02", "2011-05-19T00:00:00", "2013-11-26T00:00:00", 564.0, "2015PhRvL.114q1103A"),
)


@dataclass(frozen=True)
class PhiChoice:
    """The ``phi`` [GV] chosen for a dataset, where it comes from and why."""

    phi: float
    source: str  # "user", "local_interstellar" or the PhiEntry key
    note: str
    entry: PhiEntry | None = None


# --- periods ----------------------------------------------------------------------------
def _parse_instant(text: str, end: bool) -> tuple[dt.datetime, str]:
    """Start (or end) of the period an ISO string of any precision stands for, and its precision."""
    text = str(text).strip()
    try:
        if len(text) == 4:
            year = int(text)
            return (dt.datetime(year + 1, 1, 1) if end else dt.datetime(year, 1, 1)), "year"
        if len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            if end:
                return (dt.datetime(year + 1, 1, 1) if month == 12 else dt.datetime(year, month + 1, 1)), "month"
            return dt.datetime(year, month, 1), "month"
        if len(text) == 10:
            day = dt.datetime.fromisoformat(text)
            return (day + dt.timedelta(days=1) if end else day), "day"
        return dt.datetime.fromisoformat(text), "time"
    except ValueError:
        raise ValueError(f"cannot read the date {text!r} (expected ISO: 1994, 2011-05, 2011-05-19, 2011-05-19T00:00:00)") from None


def parse_period(period) -> tuple[dt.datetime, dt.datetime, str]:
    """``(start, end, coarsest precision)`` of a ``[start, end]`` pair of ISO strings."""
    if period is None or len(period) != 2:
        raise ValueError(f"a period is a pair [start, end] of ISO dates (got {period!r})")
    start, p0 = _parse_instant(period[0], end=False)
    stop, p1 = _parse_instant(period[1], end=True)
    if _parse_instant(period[1], end=False)[0] < start:
        raise ValueError(f"the period {list(period)} ends before it starts")
    order = ("time", "day", "month", "year")
    return start, stop, max(p0, p1, key=order.index)


def _jaccard(a: tuple[dt.datetime, dt.datetime], b: tuple[dt.datetime, dt.datetime]) -> float:
    overlap = (min(a[1], b[1]) - max(a[0], b[0])).total_seconds()
    union = (max(a[1], b[1]) - min(a[0], b[0])).total_seconds()
    if union <= 0:
        return 1.0 if overlap == 0 and a == b else 0.0
    return max(overlap, 0.0) / union


def match_period(period, experiment: str | None = None, table=PHI_TABLE) -> tuple[PhiEntry, str] | None:
    """The table entry standing for ``period`` and why (rules 3-4 of the module docstring), or None."""
    start, stop, precision = parse_period(period)
    best, best_j = None, -1.0
    for entry in table:
        e0, e1, _ = parse_period((entry.start, entry.end))
        j = _jaccard((start, stop), (e0, e1))
        if j > best_j:
            best, best_j = entry, j
    if best is not None and best_j >= JACCARD_THRESHOLD:
        return best, f"overlap ratio {best_j:.2f}"
    single = str(period[0]).strip() == str(period[1]).strip()
    if single and precision in ("year", "month") and experiment is not None:
        for entry in table:
            e0, e1, _ = parse_period((entry.start, entry.end))
            if entry.experiment == experiment and start <= e0 and e1 <= stop:
                return entry, f"the {experiment} flight inside the {precision} of the dataset"
    return None


# --- datasets ---------------------------------------------------------------------------
def explain_phi(dataset_or_id, phi=None) -> PhiChoice:
    """The ``phi`` [GV] to use for a dataset (or dataset ID), with its source and a note."""
    if phi is not None:
        value = phi_value(phi)
        if value < 0:
            raise ValueError(f"the modulation potential must be >= 0 GV (got {value})")
        return PhiChoice(value, "user", "given by the user")
    if isinstance(dataset_or_id, str):
        from ..data import load

        dataset = load(dataset_or_id)
    else:
        dataset = dataset_or_id
    meta = dataset.meta
    name = meta.get("dataset_id", "the dataset")
    if "local_interstellar" in tuple(meta.get("flags", ())):
        return PhiChoice(0.0, "local_interstellar", f"{name} is local interstellar (beyond the heliopause): compare it unmodulated, phi = 0")
    period = meta.get("data_taking_period")
    hint = "pass phi in GV (command line: --phi, e.g. --phi 0.5)"
    if period is None:
        raise NoPublishedPhiError(f"{name} has no data-taking period, so no published phi can be matched; {hint}")
    found = match_period(period, meta.get("experiment"))
    if found is None:
        raise NoPublishedPhiError(
            f"no published force-field phi for the data-taking period {period[0]} .. {period[1]} of {name} "
            f"(table: positrons.heliosphere.phi_table); {hint}"
        )
    entry, why = found
    note = (
        f"{entry.key}: phi = {entry.phi_MV:g} MV ({entry.start[:10]} .. {entry.end[:10]}; {why}, "
        f"data taking {period[0]} .. {period[1]}); {entry.source}"
    )
    return PhiChoice(entry.phi, entry.key, note, entry)


def phi_for_dataset(dataset_or_id, phi=None) -> float:
    """``phi`` [GV] for a dataset: ``phi`` if given, else the published value for its period.

    Local-interstellar datasets get 0.  Raises :class:`NoPublishedPhiError` (a
    ``ValueError``) when the table has no value for the period; see :func:`explain_phi` for
    the source and the matching note.
    """
    return explain_phi(dataset_or_id, phi).phi
