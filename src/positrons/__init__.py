"""positrons: cosmic-ray electron and positron spectra from first principles.

Internal unit system: GeV, cm, s (see :mod:`positrons.units` and ``docs/conventions.md``).
Nothing heavy happens at import time; data tables load lazily.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("positrons")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
