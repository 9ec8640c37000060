"""A Frictionless Data Package descriptor (``datapackage.json``) for the CSV files.

It states each column's type and meaning, the keys between files, the data licence, the
sources and the version, so tools that speak Frictionless (and people) can use the CSV
files without this library.

>>> descriptor = datapackage()
>>> descriptor["licenses"][0]["name"], [r["name"] for r in descriptor["resources"]][:2]
('CC-BY-4.0', ['places', 'twinnings'])
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .._version import __version__
from ..dataset import Dataset
from ..fields import NON_BLANK, PATTERNS, Choice, DateRule, ListOf, Number, Rule, Text, date_pattern
from ..format import FORMAT, FORMAT_VERSION, HEADER, FieldSpec
from ..jsonio import dumps
from .columns import LIST_SEPARATOR, TABLES, Column
from .files import encode, write_files

__all__ = [
    "DATA_LICENSE",
    "datapackage",
    "datapackage_bytes",
    "descriptor_key",
    "field_descriptor",
    "header_of",
    "write_datapackage",
]

DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}

# Frictionless types by column type. Partial ISO dates ("2018", "2018-07") are no single
# Frictionless date type: they stay text, held to the format's own date pattern.
_TYPES = {"string": "string", "category": "string", "list": "string", "date": "string", "integer": "integer"}


def table_pattern(regex: str) -> str:
    """A full-match regex as a Frictionless pattern (implicitly anchored; no final newline)."""
    return f"(?:{regex})(?!\\n)"


def _item_regex(rule: Rule) -> str | None:
    """The regex of one list item, where its rule has one (a pattern or a vocabulary)."""
    if isinstance(rule, Text) and rule.pattern is not None:
        return PATTERNS[rule.pattern].regex
    if isinstance(rule, Choice):
        return "|".join(rule.values)
    return None


def _constraints(column: Column) -> dict[str, Any]:
    field = column.field
    if field is None:  # a derived column: its type alone
        return {}
    rule = field.rule
    constraints: dict[str, Any] = {}
    if isinstance(rule, Text):
        if not field.optional and not rule.blank:
            constraints["required"] = True
        if rule.min_length:
            constraints["minLength"] = rule.min_length
        constraints["maxLength"] = rule.max_length
        if rule.pattern is not None:
            constraints["pattern"] = table_pattern(PATTERNS[rule.pattern].regex)
        elif not rule.blank:
            constraints["pattern"] = table_pattern(f"[\\s\\S]*{NON_BLANK}[\\s\\S]*")
    elif isinstance(rule, Choice):
        constraints["enum"] = list(rule.values)
        if not field.optional:
            constraints["required"] = True
    elif isinstance(rule, Number):
        constraints.update(minimum=rule.minimum, maximum=rule.maximum)
        if not field.optional and not column.optional:
            constraints["required"] = True
    elif isinstance(rule, DateRule):
        constraints["pattern"] = table_pattern(date_pattern(plain=rule.plain))
        if not field.optional:
            constraints["required"] = True
    elif isinstance(rule, ListOf):
        item = _item_regex(rule.item)
        if item is not None:
            constraints["pattern"] = table_pattern(f"(?:{item})(?:\\{LIST_SEPARATOR}(?:{item}))*")
        if rule.non_empty:
            constraints["required"] = True
    return constraints


def field_descriptor(column: Column) -> dict[str, Any]:
    """One column as a Frictionless field descriptor: type, meaning and constraints."""
    descriptor: dict[str, Any] = {"name": column.name, "description": column.description}
    descriptor["type"] = _TYPES.get(column.type, column.type)
    if column.type == "list":
        descriptor["description"] += (
            f" (items separated by '{LIST_SEPARATOR}', a literal '|' escaped as '\\|')"
        )
    constraints = _constraints(column)
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def descriptor_key(field: FieldSpec) -> str:
    """Where a header field of the dataset file sits in ``datapackage.json``.

    >>> [descriptor_key(field) for field in HEADER]
    ['sinoperu:format', 'sinoperu:format_version', 'version', 'sinoperu:as_of']
    """
    return field.name if field.name == "version" else f"sinoperu:{field.name}"


def header_of(dataset: Dataset | None) -> dict[str, Any]:
    """A dataset's header as a dataset file writes it (format, versions, as-of date)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "version": "unversioned" if dataset is None else dataset.version,
        "as_of": None if dataset is None or dataset.as_of is None else dataset.as_of.isoformat(),
    }


def datapackage(
    dataset: Dataset | None = None, *, header: Mapping[str, Any] | None = None, spreadsheet: bool = True
) -> dict[str, Any]:
    """The descriptor as a dict; ``dataset`` (or the ``header`` of a dataset file's JSON form)
    supplies the format, the data version and the as-of date.

    ``spreadsheet`` says whether the CSV files quote formula-like text (the default), which
    the descriptor records as ``sinoperu:spreadsheet_safe`` so a reader can restore it.
    """
    resources = []
    for name, table in TABLES.items():
        schema: dict[str, Any] = {"fields": [field_descriptor(column) for column in table.columns]}
        schema["primaryKey"] = ["record_id", "position"] if table.parent_field else ["id"]
        keys = [
            {"fields": column.name, "reference": {"resource": column.field.refers_to, "fields": "id"}}
            for column in table.stored
            if column.field is not None and column.field.refers_to and column.type != "list"
        ]
        if keys:
            schema["foreignKeys"] = keys
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "sinoperu",
        "title": "sinoperu: China–Peru relations at the bloc, meso and micro levels",
        "description": (
            "Twinnings between Peruvian and Chinese cities and regions, the exchanges done under them, "
            "and the China–CELAC and China–Peru milestones around them. Every record cites public pages; "
            "see sources.csv."
        ),
        "homepage": "https://pypi.org/project/sinoperu/",
        "licenses": [DATA_LICENSE],
        "sources": [
            {"title": "Public web pages, cited record by record in sources.csv (url, title, publisher)"}
        ],
        "contributors": [{"title": "sinoperu developers", "role": "author"}],
        "sinoperu:library_version": __version__,
        "sinoperu:spreadsheet_safe": spreadsheet,
        "resources": resources,
    }
    if spreadsheet:
        descriptor["description"] += (
            " Text cells that a spreadsheet would run as a formula (beginning with =, +, -, @, a tab or "
            "a carriage return) and cells beginning with ' carry one extra ' in front; remove one "
            "leading ' from a text cell to get the text."
        )
    values = header_of(dataset) if header is None else header
    for field in HEADER:
        if field.name in values:
            descriptor[descriptor_key(field)] = values[field.name]
    if dataset is not None:
        from ..cite import citation_metadata

        descriptor["sinoperu:citation"] = citation_metadata(dataset)
    return descriptor


def datapackage_bytes(dataset: Dataset | None = None, *, spreadsheet: bool = True) -> bytes:
    """:func:`datapackage` as the bytes of ``datapackage.json``."""
    return encode(dumps(datapackage(dataset, spreadsheet=spreadsheet)), path="datapackage.json")


def write_datapackage(
    folder: str | Path,
    dataset: Dataset | None = None,
    *,
    overwrite: bool = False,
    spreadsheet: bool = True,
) -> Path:
    """Write ``datapackage.json`` into ``folder``; returns its path.

    Written like every export (see :mod:`sinoperu.export.files`): atomically, and refused in a
    folder holding files sinoperu did not write unless ``overwrite=True``.
    """
    return write_files(
        folder, {"datapackage.json": datapackage_bytes(dataset, spreadsheet=spreadsheet)}, overwrite=overwrite
    )[0]
