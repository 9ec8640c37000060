"""The old home of the CSV column model, kept so existing imports work: see :mod:`sinoperu.export.columns`.

>>> from sinoperu.export.tables import TABLES, join_list
>>> TABLES["places"].columns[0].name, join_list(["a", "b"])
('id', 'a|b')
"""

from __future__ import annotations

from .columns import (
    LIST_SEPARATOR,
    SUMMARY,
    TABLES,
    TEXT_TYPES,
    Column,
    Table,
    join_list,
    places_for,
    places_of,
    split_list,
    table_for,
)

__all__ = [
    "LIST_SEPARATOR",
    "SUMMARY",
    "TABLES",
    "TEXT_TYPES",
    "Column",
    "Table",
    "join_list",
    "places_for",
    "places_of",
    "split_list",
    "table_for",
]
