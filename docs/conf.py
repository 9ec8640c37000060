"""Sphinx configuration: MyST Markdown pages, the furo theme, autodoc for the reference.

Build with:  python -m sphinx -n -W -b html docs docs/_build/html
The figures, the interactive map, the data dictionary and the data page's counts are regenerated from
the bundled data on every build. Every cross-reference must resolve (nitpicky); the build reads no
network.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "scripts"))

from datacounts import write_all as write_data_counts  # noqa: E402
from datadictionary import write_data_dictionary  # noqa: E402
from docutils import nodes  # noqa: E402
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
nitpicky = True
# "ref.python" is Sphinx's "more than one target found": the builtin ``type`` in signatures also
# matches the records' ``type`` attributes. Missing targets still fail the build.
suppress_warnings = ["myst.header", "ref.python"]
# A private base class that the inheritance lines of PartialDate and DateInterval name.
nitpick_ignore = [("py:class", "sinoperu.dates._Spanned")]

# Objects of other projects that the signatures name, linked to their own documentation. The build has
# no network, so intersphinx cannot fetch those projects' inventories; this list stands in for them,
# and a name missing from it fails the nitpicky build rather than passing unlinked.
EXTERNAL_DOCS = {
    "https://docs.python.org/3/library/{module}.html#{name}": (
        "collections.abc.Callable",
        "collections.abc.Iterable",
        "collections.abc.Mapping",
        "collections.abc.Sequence",
        "datetime.date",
        "difflib",
        "difflib.get_close_matches",
        "enum.Enum",
        "enum.StrEnum",
        "json.dumps",
        "os.PathLike",
        "os.replace",
        "pathlib.Path",
    ),
    "https://catt.rs/en/stable/cattrs.html#{name}": ("cattrs.transform_error",),
    "https://www.attrs.org/en/stable/api.html#{name}": ("attrs.fields",),
    "https://hypothesis.readthedocs.io/en/latest/reference/strategies.html#{name}": (
        "hypothesis.strategies.SearchStrategy",
    ),
}
EXTERNAL = {name: url for url, names in EXTERNAL_DOCS.items() for name in names}


def link_external(
    app: object, env: object, node: nodes.Element, contnode: nodes.Element
) -> nodes.Node | None:
    """Resolve a Python reference to another project's object from :data:`EXTERNAL`."""
    target = node.get("reftarget", "")
    if node.get("refdomain") != "py" or target not in EXTERNAL:
        return None
    module = target.rpartition(".")[0] or target  # a module's own page for a module
    url = EXTERNAL[target].format(module=module, name=target)
    reference = nodes.reference("", "", internal=False, refuri=url, reftitle=f"{target} (external)")
    reference.append(contnode)
    return reference


def setup(app: object) -> None:
    app.connect("missing-reference", link_external)  # type: ignore[attr-defined]


# Derived pages and pictures: drawn from the data on every build, so they cannot go stale.
draw_all(HERE / "_static")
write_data_dictionary(HERE / "reference" / "data-dictionary.md")
write_data_counts(HERE)  # the data page's counts and table of twinnings (docs/_generated/)
