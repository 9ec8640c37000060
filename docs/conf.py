"""Sphinx configuration: MyST Markdown pages, the furo theme, autodoc for the reference.

Build with:  python -m sphinx -W -b html docs docs/_build/html
The figures, the data dictionary and the data page's counts are regenerated from the bundled data
on every build.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "scripts"))

from datacounts import write_all as write_data_counts  # noqa: E402
from datadictionary import write_data_dictionary  # noqa: E402
from figures import draw_all  # noqa: E402

import sinoperu  # noqa: E402

project = "sinoperu"
author = "sinoperu developers"
copyright = "2026, sinoperu developers (code: MIT; data: CC BY 4.0)"
release = sinoperu.__version__
version = sinoperu.__version__

extensions = ["myst_parser", "sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.viewcode"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build", "maps", "_generated"]  # the generated pages are included in data.md
html_theme = "furo"
html_static_path = ["_static"]
html_title = f"sinoperu {release}"
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
nitpicky = False
suppress_warnings = ["myst.header"]

# Derived pages and pictures: drawn from the data on every build, so they cannot go stale.
draw_all(HERE / "_static")
write_data_dictionary(HERE / "reference" / "data-dictionary.md")
write_data_counts(HERE)  # the data page's counts and table of twinnings (docs/_generated/)
