"""Citing: one source (CITATION.cff) for the static parts, the code for the versions."""

from __future__ import annotations

import json
import re
import string
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sinoperu
from sinoperu import strategies as sps
from sinoperu.cite import STYLES, CffError, cff_text, citation_metadata, cite, parse_cff
from sinoperu.export import datapackage, to_geojson

ROOT = Path(__file__).resolve().parent.parent
CFF = (ROOT / "CITATION.cff").read_text(encoding="utf-8")


# --- the reader ----------------------------------------------------------------------------


def test_reader_agrees_with_pyyaml_on_the_citation_file() -> None:
    yaml = pytest.importorskip("yaml")
    assert parse_cff(CFF) == yaml.safe_load(CFF)


_KEYS = st.text(string.ascii_lowercase + "-", min_size=1, max_size=8).map(lambda k: "k" + k)
# Printable text, with the characters that force YAML to quote (": ", " #", quotes, leading "- ").
_VALUES = st.text(
    st.sampled_from(string.ascii_letters + string.digits + " :#-'\"!&*[]{},.–利马上海"), max_size=20
)
_TREES: st.SearchStrategy[Any] = st.recursive(
    _VALUES,
    lambda children: (
        st.lists(children, min_size=1, max_size=3) | st.dictionaries(_KEYS, children, min_size=1, max_size=3)
    ),
    max_leaves=12,
)


@given(st.dictionaries(_KEYS, _TREES, min_size=1, max_size=4))
def test_reader_reads_what_pyyaml_writes(tree: dict[str, Any]) -> None:
    yaml = pytest.importorskip("yaml")
    for indent in (2, 4):
        text = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False, width=sys.maxsize, indent=indent)
        assert parse_cff(text) == tree, text


def test_reader_reads_folded_and_literal_blocks() -> None:
    text = "a: >-\n  one\n  two\n\n  three\nb: |\n  x\n    y\nc: done\n"
    assert parse_cff(text) == {"a": "one two\nthree", "b": "x\n  y\n", "c": "done"}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: [1, 2]\n", 1, "flow style"),
        ("a: &anchor x\n", 1, "anchor"),
        ("a: x\n\tb: y\n", 2, "tab"),
        ("a: x\na: y\n", 2, "appears twice"),
        ("a:\nb: x\n", 1, "nested value"),
        ("a: x\n   b: y\n", 2, "indentation"),
        ('a: "open\n', 1, "close on the same line"),
        ("a: b: c\n", 1, "quote a value"),
        ("just text\n", 1, "expected 'key: value'"),
        ("", 1, "empty"),
    ],
)
def test_reader_refuses_what_it_does_not_know(text: str, line: int, message: str) -> None:
    with pytest.raises(CffError, match=message) as caught:
        parse_cff(text)
    assert caught.value.line == line
    assert f"line {line}" in str(caught.value)


# --- one source ----------------------------------------------------------------------------


def test_citation_file_version_lines_follow_the_code(bundled: sinoperu.Dataset) -> None:
    assert cff_text(CFF, bundled) == CFF, "run: python scripts/regenerate.py"
    cff = parse_cff(CFF)
    assert cff["version"] == sinoperu.__version__
    (data,) = [ref for ref in cff["references"] if ref["type"] == "data"]
    assert data["version"] == bundled.version


def test_stale_version_lines_are_rewritten(bundled: sinoperu.Dataset) -> None:
    stale = CFF.replace(f'version: "{bundled.version}"', 'version: "1999.01.01"').replace(
        f'version: "{sinoperu.__version__}"', 'version: "0.0.1"'
    )
    assert stale != CFF
    assert cff_text(stale, bundled) == CFF


def test_citation_takes_static_parts_from_the_file(bundled: sinoperu.Dataset) -> None:
    cff = parse_cff(CFF)
    (data,) = [ref for ref in cff["references"] if ref["type"] == "data"]
    meta = citation_metadata(bundled)
    assert meta["title"] == data["title"]
    assert meta["license"] == data["license"] == "CC-BY-4.0"
    assert meta["repository"] == cff["repository-code"]
    assert meta["authors"] == [author["name"] for author in cff["authors"]]


def test_data_licence_of_the_data_package_is_the_citation_one(bundled: sinoperu.Dataset) -> None:
    from sinoperu.export.datapackage import DATA_LICENSE

    assert DATA_LICENSE["name"] == citation_metadata(bundled)["license"]


@given(sps.datasets())
def test_every_style_names_both_versions_date_licence_and_repository(dataset: sinoperu.Dataset) -> None:
    meta = citation_metadata(dataset)
    for style in STYLES:
        text = cite(style, dataset)
        assert dataset.version in text
        assert sinoperu.__version__ in text
        assert meta["license"] in text
        assert meta["repository"] in text
        if dataset.as_of is not None:
            assert dataset.as_of.isoformat() in text


def test_bibtex_is_one_balanced_entry(bundled: sinoperu.Dataset) -> None:
    text = sinoperu.cite()
    assert text.startswith(f"@misc{{sinoperu_{bundled.version.replace('.', '_')},\n")
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
    assert re.search(r"^  year\s+= \{2026\},$", text, re.MULTILINE)


def test_bibtex_escapes_special_characters() -> None:
    ds = sinoperu.Dataset(version="v_1&2%")
    text = cite("bibtex", ds)
    assert r"{v\_1\&2\%}" in text
    assert "@misc{sinoperu_v_1_2," in text
    assert "year" not in text  # no as-of date, no year


def test_csl_json_is_a_dataset_item(bundled: sinoperu.Dataset) -> None:
    (item,) = json.loads(cite("csl-json"))
    assert item["type"] == "dataset"
    assert item["version"] == bundled.version
    assert bundled.as_of is not None
    assert item["issued"] == {"date-parts": [[bundled.as_of.year, bundled.as_of.month, bundled.as_of.day]]}
    assert item["author"] == [{"literal": "sinoperu developers"}]
    allowed = {"id", "type", "title", "author", "issued", "version", "URL", "note", "custom"}
    assert set(item) <= allowed


def test_apa_without_a_date_says_no_date() -> None:
    text = cite("apa", sinoperu.Dataset(version="draft"))
    assert "(n.d.)" in text
    assert "(Version draft)" in text


def test_unknown_style_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown citation style 'chicago'"):
        cite("chicago")


def test_cite_is_the_function_even_after_importing_the_module() -> None:
    import importlib

    module = importlib.import_module("sinoperu.cite")
    from sinoperu.cite import cite as from_module

    assert callable(sinoperu.cite)
    assert sinoperu.cite is module.cite is from_module


# --- in the exports ----------------------------------------------------------------------


def test_geojson_carries_the_citation(bundled: sinoperu.Dataset) -> None:
    assert to_geojson(bundled)["citation"] == citation_metadata(bundled)
    other = sinoperu.Dataset(version="mine")
    assert to_geojson((), dataset=other)["citation"]["data_version"] == "mine"


def test_data_package_carries_the_citation(bundled: sinoperu.Dataset) -> None:
    assert datapackage(bundled)["sinoperu:citation"] == citation_metadata(bundled)
