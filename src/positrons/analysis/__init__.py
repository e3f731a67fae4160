"""Analyses: where a propagation model, a grid, a source, a modulation and data meet.

Each analysis returns a result record with ``.to_table()`` (an astropy Table with units, and
the settings and package version in ``meta``), ``.write(path)`` and ``.plot(ax=None)``.
"""
