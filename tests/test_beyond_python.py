"""The exported tables stay easy to read outside Python, and the page that says how names every file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sinoperu.export.tables import TABLES

ROOT = Path(__file__).resolve().parent.parent

#: R's reserved words: a column of one of these names would need backquotes.
R_RESERVED = {"if", "else", "repeat", "while", "function", "for", "next", "break", "in", "TRUE", "FALSE"}
R_RESERVED |= {"NULL", "Inf", "NaN", "NA", "NA_integer_", "NA_real_", "NA_character_"}


@pytest.mark.parametrize("table", list(TABLES))
def test_column_names_need_no_quoting_in_r_or_sql(table: str) -> None:
    for column in TABLES[table].columns:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", column.name), column.name
        assert column.name not in R_RESERVED


def test_beyond_python_page_names_every_exported_file() -> None:
    page = (ROOT / "docs" / "beyond-python.md").read_text(encoding="utf-8")
    for name in [*(f"{table}.csv" for table in TABLES), "datapackage.json", "sinoperu.db"]:
        assert f"`{name}`" in page, name
