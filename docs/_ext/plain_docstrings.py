"""Sphinx extension: show the package's docstrings as written.

The docstrings are plain text with formulas (``|z|``, ``D_xx(R) = ...``, indented equations),
not reStructuredText; rendering them as a literal block keeps every symbol and alignment and
cannot produce markup warnings.
"""


def _as_literal(app, what, name, obj, options, lines):
    if not lines:
        return
    body = ["    " + line if line else "" for line in lines]
    lines[:] = ["::", ""] + body + [""]


def setup(app):
    app.connect("autodoc-process-docstring", _as_literal)
    return {"parallel_read_safe": True}
