"""Chi-square of a model against one measured spectrum.

Physics and statistics
----------------------
For ``n`` data points ``d_i`` at kinetic energies ``T_i`` [GeV] and model values ``m_i``
on the same energies (same unit as the data, m^-2 s^-1 sr^-1 GeV^-1 for a flux),

    chi2 = sum_i (m_i - d_i)^2 / sigma_i^2,    sigma_i^2 = sigma_stat,i^2 + sigma_sys,i^2   (1)

(statistical and systematic errors added in quadrature, as the AMS-02
collaboration recommends for its tables, e.g. Aguilar et al. 2019, PRL 122, 041102).  The
per-point total error is :meth:`positrons.data.Dataset.errors` ``("total")``: the source's
total error where it gives one, else Eq. (1)'s quadrature sum, else whichever of stat or
sys is given.

Asymmetric errors (``asymmetric_rule``)
    * ``"side"`` (default) -- the common 'side' rule: ``sigma_i`` is the *upper* error
      where the model lies above the data (``m_i > d_i``) and the *lower* error where it
      lies below (``m_i <= d_i``; at ``m_i = d_i`` the term is zero either way).  This is a
      piecewise Gaussian approximation of an asymmetric likelihood (Barlow 2003,
      arXiv:physics/0306138, section 3 "the simplest approach").  chi2 stays continuous
      with a continuous first derivative in the model, which Migrad handles.
    * ``"mean"`` -- ``sigma_i = (sigma_low + sigma_high) / 2`` for every point.
    Where only one side of an error is given, that side is used for both.

Points without a published error (``missing_errors``)
    Such points are never dropped silently: every :class:`Chi2` counts the points it uses
    (``n_points``), those among them whose error is not published (``n_assumed``) and those
    it left out (``n_skipped``).

    * ``"assume"`` (default) -- use the error the dataset declares for them
      (:meth:`positrons.data.Dataset.assumed_errors`, flag ``assumed_errors``; for Voyager 1
      electrons 10 % of the value, the sigma/J = 10.0-10.1 % of the published rows).  A
      point with neither a published nor an assumed error is a ``ValueError``: the choice
      must then be made explicitly;
    * ``"skip"`` -- leave the point out;
    * ``"relative:0.1"`` (any positive number) -- give it ``sigma = 0.1 * |d_i|``;
    * ``"raise"`` -- ``ValueError``.

Covariance (``covariance=``)
    With a known covariance matrix ``C`` of the selected points (in the unit of the
    kinetic-energy dataset squared), Eq. (1) is replaced by

        chi2 = r^T C^-1 r,    r_i = m_i - d_i                                   (2)

    and the error columns (hence both rules above) are not used; Eq. (2) reduces to
    Eq. (1) for a diagonal ``C = diag(sigma_i^2)``.  ``C`` may be given for the selected
    points or for every row of the dataset (then the selected rows are taken).

Energy range (``select_by``)
    * ``"energy"`` (default) -- keep rows whose representative energy (``Dataset.energy``,
      in GeV of kinetic energy) is in ``[energy_min, energy_max]``: the rule of
      :meth:`positrons.data.Dataset.select`;
    * ``"bin_overlap"`` -- keep rows whose bin ``[energy_low, energy_high]`` overlaps the
      range (point rows without edges: by representative energy).  For the AMS-02 positron
      flux (PRL 2019) and the range 0.5 - 5.2 GeV (Huang & Zhou 2024, arXiv:2403.04987) this
      gives 16 points; ``"energy"`` gives 15 (the bin 5.00 - 5.49 GeV has its representative
      energy 5.24 GeV above 5.2 GeV).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import linalg

__all__ = ["ASYMMETRIC_RULES", "MISSING_ERRORS", "SELECT_BY", "Chi2", "parse_missing_error_rule"]

#: named rules for asymmetric errors (see the module docstring)
ASYMMETRIC_RULES = ("side", "mean")
#: named rules for the energy selection (see the module docstring)
SELECT_BY = ("energy", "bin_overlap")
#: named rules for points without a published error (see the module docstring); also "relative:<x>"
MISSING_ERRORS = ("assume", "skip", "raise")


def parse_missing_error_rule(rule: str) -> tuple[str, float | None]:
    """``(name, relative error)`` of a ``missing_errors`` rule: ``("assume", None)``,
    ``("skip", None)``, ``("raise", None)`` or ``("relative", x)`` for ``"relative:<x>"``.

    Any other text raises ``ValueError`` (choices are names, STYLE.md convention 5).
    """
    if rule in MISSING_ERRORS:
        return rule, None
    if isinstance(rule, str) and rule.startswith("relative:"):
        try:
            x = float(rule.split(":", 1)[1])
        except ValueError:
            x = math.nan
        if math.isfinite(x) and x > 0:
            return "relative", x
    raise ValueError(
        f"unknown missing_errors rule {rule!r}; expected 'assume', 'skip', 'raise' or 'relative:<x>' with x > 0"
    )


def _range_mask(energy, low, high, energy_min, energy_max, select_by):
    lo = -math.inf if energy_min is None else float(energy_min)
    hi = math.inf if energy_max is None else float(energy_max)
    if lo > hi:
        raise ValueError(f"energy_min {lo} > energy_max {hi}")
    if select_by not in SELECT_BY:
        raise ValueError(f"unknown select_by {select_by!r}; expected one of {SELECT_BY}")
    by_energy = (energy >= lo) & (energy <= hi)
    if select_by == "energy":
        return by_energy
    binned = np.isfinite(low) & np.isfinite(high)
    with np.errstate(invalid="ignore"):
        overlap = (high >= lo) & (low <= hi)
    return np.where(binned, overlap, by_energy)


class Chi2:
    """chi2 of model values against the selected points of a dataset (Eqs. 1-2 of the module).

    Parameters
    ----------
    dataset : positrons.data.Dataset
        Converted with :meth:`~positrons.data.Dataset.to_kinetic_energy` first, so energies
        are kinetic energies [GeV] and fluxes are per GeV per m^2 (``docs/conventions.md``).
    energy_min, energy_max : float, optional
        Range in kinetic energy [GeV] (``None``: unbounded); rows chosen by ``select_by``.
    covariance : array, optional
        Covariance of the selected points (or of all rows); replaces Eq. (1) by Eq. (2).
    missing_errors : str
        ``"assume"`` (default), ``"skip"``, ``"relative:<x>"`` or ``"raise"``: points without
        a published error (module docstring); ``n_assumed`` and ``n_skipped`` count them.
    asymmetric_rule : str
        ``"side"`` (default) or ``"mean"``.
    error_kind : str
        Which :meth:`~positrons.data.Dataset.errors` to use: ``"total"`` (default, stat and
        sys in quadrature), ``"stat"`` or ``"sys"``.
    select_by : str
        ``"energy"`` (default) or ``"bin_overlap"``.

    Calling the object with the model values on :attr:`energies` returns chi2.
    Build one from plain arrays with :meth:`from_arrays`.
    """

    def __init__(
        self,
        dataset,
        energy_min=None,
        energy_max=None,
        covariance=None,
        missing_errors: str = "assume",
        *,
        asymmetric_rule: str = "side",
        error_kind: str = "total",
        select_by: str = "energy",
    ):
        kin = dataset.to_kinetic_energy()
        err_low, err_high = kin.errors(error_kind)
        in_range = _range_mask(kin.energy, kin.energy_low, kin.energy_high, energy_min, energy_max, select_by)
        self.dataset = kin
        self.label = kin.label
        self._setup(kin.energy, kin.value, (err_low, err_high), kin.assumed_errors(), in_range, covariance,
                    missing_errors, asymmetric_rule)
        self.select_by = select_by
        self.error_kind = error_kind

    @classmethod
    def from_arrays(
        cls,
        energy,
        value,
        err_low,
        err_high=None,
        *,
        energy_min=None,
        energy_max=None,
        covariance=None,
        missing_errors: str = "assume",
        asymmetric_rule: str = "side",
    ) -> Chi2:
        """A :class:`Chi2` from arrays: kinetic energies [GeV], values and absolute 1-sigma
        errors (``err_high`` defaults to ``err_low``; NaN = not given, and arrays declare no
        assumed errors: choose ``missing_errors="skip"`` or ``"relative:<x>"`` for them).
        The range selects by ``energy``."""
        energy = np.asarray(energy, dtype=float)
        value = np.asarray(value, dtype=float)
        err_low = np.broadcast_to(np.asarray(err_low, dtype=float), energy.shape)
        err_high = err_low if err_high is None else np.broadcast_to(np.asarray(err_high, dtype=float), energy.shape)
        if value.shape != energy.shape or energy.ndim != 1:
            raise ValueError(f"energy {energy.shape} and value {value.shape} must be 1-d of the same length")
        nan = np.full(energy.shape, np.nan)
        self = cls.__new__(cls)
        in_range = _range_mask(energy, nan, nan, energy_min, energy_max, "energy")
        self.dataset = None
        self.label = "arrays"
        self._setup(energy, value, (err_low, err_high), (nan, nan), in_range, covariance, missing_errors, asymmetric_rule)
        self.select_by = "energy"
        self.error_kind = "total"
        return self

    # --- construction ------------------------------------------------------------------
    def _setup(self, energy, value, errors, assumed, in_range, covariance, missing_errors, asymmetric_rule):
        """``errors``: published (low, high), NaN where none; ``assumed``: the dataset's assumed
        (low, high) errors, NaN where none."""
        if asymmetric_rule not in ASYMMETRIC_RULES:
            raise ValueError(f"unknown asymmetric_rule {asymmetric_rule!r}; expected one of {ASYMMETRIC_RULES}")
        rule, relative = parse_missing_error_rule(missing_errors)
        self.asymmetric_rule = asymmetric_rule
        self.missing_errors = missing_errors
        err_low, err_high = errors
        err_low = np.where(np.isfinite(err_low), err_low, err_high)
        err_high = np.where(np.isfinite(err_high), err_high, err_low)
        n_all = len(energy)
        rows = np.asarray(in_range, dtype=bool).copy()
        assumed_rows = np.zeros(n_all, dtype=bool)

        self._cho = None
        self.n_skipped = 0
        if covariance is not None:
            cov = np.asarray(covariance, dtype=float)
            n_sel = int(rows.sum())
            if cov.shape == (n_all, n_all):
                cov = cov[np.ix_(rows, rows)]
            elif cov.shape != (n_sel, n_sel):
                raise ValueError(
                    f"covariance has shape {cov.shape}; expected ({n_sel}, {n_sel}) for the selected points "
                    f"or ({n_all}, {n_all}) for all rows"
                )
            if not np.allclose(cov, cov.T, rtol=1e-10, atol=0.0):
                raise ValueError("covariance is not symmetric")
            try:
                self._cho = linalg.cho_factor(cov)
            except linalg.LinAlgError:
                raise ValueError("covariance is not positive definite") from None
            self.covariance = cov
            sig = np.sqrt(np.diag(cov))
            err_low = np.where(rows, 0.0, np.nan)
            err_low[rows] = sig
            err_high = err_low
        else:
            self.covariance = None
            missing = rows & ~np.isfinite(err_low)
            if rule == "skip":
                rows &= ~missing
                self.n_skipped = int(missing.sum())
            elif missing.any():
                if rule == "assume":
                    sigma_low, sigma_high = assumed
                    undeclared = missing & ~np.isfinite(sigma_low)
                    if undeclared.any():
                        raise ValueError(
                            f"{self._name()}: {int(undeclared.sum())} selected point(s) at {energy[undeclared]} GeV have "
                            "neither a published nor an assumed error; choose missing_errors='skip' or 'relative:<x>'"
                        )
                elif rule == "raise":
                    raise ValueError(
                        f"{self._name()}: {int(missing.sum())} selected point(s) have no errors (missing_errors='raise')"
                    )
                else:  # relative
                    sigma_low = sigma_high = relative * np.abs(value)
                err_low = np.where(missing, sigma_low, err_low)
                err_high = np.where(missing, sigma_high, err_high)
                assumed_rows = missing
            bad = rows & ~((err_low > 0) & (err_high > 0))
            if bad.any():
                raise ValueError(f"non-positive error at energies {energy[bad]} GeV; chi2 would divide by zero")

        self._assumed = np.array(assumed_rows[rows], dtype=bool)
        self._assumed.flags.writeable = False
        self.rows = rows
        self._energy = np.array(energy[rows], dtype=float)
        self._value = np.array(value[rows], dtype=float)
        self._err_low = np.array(err_low[rows], dtype=float)
        self._err_high = np.array(err_high[rows], dtype=float)
        for a in (self._energy, self._value, self._err_low, self._err_high):
            a.flags.writeable = False

    def _name(self) -> str:
        """The dataset ID (or "arrays") for error messages."""
        return self.dataset.id if self.dataset is not None else self.label

    # --- the points ----------------------------------------------------------------------
    @property
    def energies(self) -> np.ndarray:
        """Kinetic energies [GeV] of the points used, where the model must be evaluated."""
        return self._energy

    @property
    def values(self) -> np.ndarray:
        """Measured values of the points used (unit of the kinetic-energy dataset)."""
        return self._value

    @property
    def err_low(self) -> np.ndarray:
        """Lower 1-sigma errors used (with covariance: ``sqrt(diag C)``)."""
        return self._err_low

    @property
    def err_high(self) -> np.ndarray:
        """Upper 1-sigma errors used (with covariance: ``sqrt(diag C)``)."""
        return self._err_high

    @property
    def n_points(self) -> int:
        """Number of points used (with a published or an assumed error)."""
        return int(self._energy.shape[0])

    @property
    def error_assumed(self) -> np.ndarray:
        """Per point used: True where its error is not published but assumed (``missing_errors``)."""
        return self._assumed

    @property
    def n_assumed(self) -> int:
        """Number of points used whose error is assumed, not published."""
        return int(self._assumed.sum())

    def __len__(self) -> int:
        return self.n_points

    def __repr__(self) -> str:
        how = "covariance" if self._cho is not None else f"asymmetric_rule={self.asymmetric_rule!r}"
        return (
            f"Chi2({self.label}, n_points={self.n_points}, n_assumed={self.n_assumed}, n_skipped={self.n_skipped}, "
            f"missing_errors={self.missing_errors!r}, {how})"
        )

    # --- evaluation ---------------------------------------------------------------------
    def _model(self, model) -> np.ndarray:
        m = np.asarray(model, dtype=float)
        if m.shape != self._value.shape:
            raise ValueError(f"model has shape {m.shape}; expected ({self.n_points},) values on Chi2.energies")
        if not np.all(np.isfinite(m)):
            raise ValueError("model values are not all finite")
        return m

    def sigma_above(self) -> np.ndarray:
        """The error used where the model lies above the data (upper error for ``"side"``)."""
        if self.asymmetric_rule == "mean":
            return 0.5 * (self._err_low + self._err_high)
        return self._err_high

    def sigma(self, model) -> np.ndarray:
        """Per-point sigma of Eq. (1) for these model values (``asymmetric_rule``)."""
        m = self._model(model)
        if self.asymmetric_rule == "mean":
            return 0.5 * (self._err_low + self._err_high)
        return np.where(m > self._value, self._err_high, self._err_low)

    def residuals(self, model) -> np.ndarray:
        """``m_i - d_i``."""
        return self._model(model) - self._value

    def pulls(self, model) -> np.ndarray:
        """``(m_i - d_i) / sigma_i``: positive where the model is above the data.  With a
        covariance, ``sigma_i = sqrt(C_ii)`` (the terms then do not sum to chi2)."""
        return self.residuals(model) / self.sigma(model)

    def __call__(self, model) -> float:
        """chi2 (Eq. 1, or Eq. 2 with a covariance) for model values on :attr:`energies`."""
        r = self.residuals(model)
        if self._cho is not None:
            return float(r @ linalg.cho_solve(self._cho, r))
        return float(np.sum((r / self.sigma(model)) ** 2))
