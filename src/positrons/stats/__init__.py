"""Statistics: chi2 of a model against a measurement, and upper limits on a signal.

Which tool when:

* :class:`Chi2` -- chi2 of model values against one dataset (converted to kinetic energy,
  GeV): sigma^2 = sigma_stat^2 + sigma_sys^2, asymmetric errors by the 'side' rule (or
  ``"mean"``), points without errors skipped by default, or a covariance matrix
  (``r^T C^-1 r``).  :meth:`Chi2.from_arrays` for numbers of your own.  Evaluate the model
  on :attr:`Chi2.energies` (e.g. a LIS modulated with
  :func:`positrons.heliosphere.modulate`) and call the object.
* :func:`limit_without_background` -- the conservative limit of Boudaud & Cirelli (2019):
  the signal alone may exceed no point by more than 2 sigma.  Needs no background model;
  use it when the background is uncertain or for a quick bound.
* :func:`limit_with_background` -- fit ``f s + A (T/GeV)^delta b`` with iminuit and put the
  95% C.L. limit where the profiled Delta chi2 = 3.84.  Use it when a background model
  (the secondary flux) is available; it is stronger and model dependent.
* :func:`profile_upper_limit` -- the Delta chi2 root finding alone, for a profile of your own.

The formulas, units and references are in each module's docstring.  iminuit is imported
only when :func:`limit_with_background` runs.
"""

from .likelihood import ASYMMETRIC_RULES, SELECT_BY, Chi2, parse_missing_error_rule
from .limits import (
    DELTA_CHI2_95,
    BackgroundLimit,
    Limit,
    delta_chi2_for,
    limit_with_background,
    limit_without_background,
    profile_upper_limit,
)

__all__ = [
    "ASYMMETRIC_RULES",
    "DELTA_CHI2_95",
    "SELECT_BY",
    "BackgroundLimit",
    "Chi2",
    "Limit",
    "delta_chi2_for",
    "limit_with_background",
    "limit_without_background",
    "parse_missing_error_rule",
    "profile_upper_limit",
]
