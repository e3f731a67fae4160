"""Sphinx configuration of the positrons documentation (``sphinx-build -W -b html docs docs/_build``)."""

import os
import sys

sys.path.insert(0, os.path.abspath("_ext"))

from positrons import __version__  # noqa: E402

project = "positrons"
author = "the positrons developers"
release = version = __version__
extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "cli_reference",
    "plain_docstrings",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build", "_generated_cli.md"]
myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath"]
autosummary_generate = True
autosummary_imported_members = False
nitpicky = False
autodoc_default_options = {"members": True, "undoc-members": False}
autodoc_member_order = "bysource"
html_theme = "alabaster"
suppress_warnings = ["myst.header", "ref.python"]  # re-exported names (positrons.data.Dataset) are found twice
