"""CSV: one file per section, one per list of nested records (``sources.csv``...), a data package.

Files are UTF-8 with a byte-order mark, which spreadsheet programs need to show Chinese
characters correctly; the reader (:func:`sinoperu.csvloader.read_csv`, also importable from here)
accepts them with or without it. Lists sit in one cell joined with ``|`` (see
:func:`~sinoperu.export.columns.join_list`). The columns come from
:data:`~sinoperu.export.columns.TABLES`, which the file format's description defines.

>>> import sinoperu, tempfile
>>> from sinoperu.export import read_csv, write_csv
>>> folder = tempfile.mkdtemp()
>>> names = [path.name for path in write_csv(sinoperu.load(), folder)]
>>> names[:3]
['places.csv', 'twinnings.csv', 'milestones.csv']
>>> read_csv(folder) == sinoperu.load()
True
"""

from __future__ import annotations

import csv as _csv
import io
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..csvloader import read_csv
from ..dataset import Dataset
from ..format import SECTIONS
from ..models import Place, Record
from .columns import (
    SUMMARY,
    TABLES,
    CellError,
    Table,
    child_rows,
    encode_cell,
    format_rows,
    places_of,
    summary_rows,
    table_for,
)

__all__ = ["ENCODING", "csv_files", "csv_text", "raw_csv_files", "read_csv", "write_csv"]

#: UTF-8 with a byte-order mark: Excel and LibreOffice then read Chinese text correctly.
ENCODING = "utf-8-sig"


def _text(table: Table, rows: Iterable[list[Any]]) -> str:
    buffer = io.StringIO()
    writer = _csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in table.columns])
    for row in rows:
        writer.writerow(
            [encode_cell(column, value) for column, value in zip(table.columns, row, strict=True)]
        )
    return buffer.getvalue()


def raw_csv_files(sections: Mapping[str, Any], places: Mapping[str, Any]) -> dict[str, str]:
    """Every CSV file of an export, by file name, from the records' JSON forms (as a dataset file
    holds them) and the places' JSON forms by id; CellError where a value has no exact cell."""
    texts = {}
    for section in SECTIONS:
        records = sections.get(section.name, [])
        if type(records) is not list:
            raise CellError(f"{section.name}: expected a list of records")
        texts[f"{section.name}.csv"] = _text(
            TABLES[section.name], format_rows(TABLES[section.name], records, places)
        )
    everything = [raw for section in SECTIONS for raw in sections.get(section.name, [])]
    for name, table in TABLES.items():
        if table.parent_field is not None:
            texts[f"{name}.csv"] = _text(table, format_rows(table, child_rows(table, everything), places))
    return texts


def _json_places(dataset: Dataset | None, needed_by: str) -> dict[str, Any]:
    from ..serialize import converter

    places = places_of(dataset, needed_by=needed_by)
    return {place_id: converter.unstructure(place) for place_id, place in places.items()}


def csv_text(records: Iterable[Any], *, dataset: Dataset | None = None) -> str:
    """One CSV table (no byte-order mark) for these records: their type's own table, or a summary.

    Tables that name the parties (twinnings, summaries) need the ``dataset`` the records come from.
    """
    from ..serialize import converter

    records = tuple(records)
    table = table_for(records)
    if table is SUMMARY:
        return _text(table, summary_rows(records, places_of(dataset, needed_by="csv_text")))
    places = _json_places(dataset, "csv_text") if table.uses_places else {}
    return _text(table, format_rows(table, [converter.unstructure(r) for r in records], places))


def _sections(data: Dataset | Iterable[Record | Place]) -> dict[str, tuple[Any, ...]]:
    if isinstance(data, Dataset):
        return {section.name: getattr(data, section.name) for section in SECTIONS}
    items = tuple(data)
    types = tuple(section.cls for section in SECTIONS)
    for item in items:
        if not isinstance(item, types):
            raise TypeError(f"write_csv takes a Dataset or records, not {type(item).__name__}")
    return {section.name: tuple(i for i in items if isinstance(i, section.cls)) for section in SECTIONS}


def csv_files(data: Dataset | Iterable[Record | Place], *, dataset: Dataset | None = None) -> dict[str, str]:
    """Every CSV file of an export, by file name, as text (no byte-order mark)."""
    from ..serialize import converter

    full = data if isinstance(data, Dataset) else dataset
    sections = _sections(data)
    places = _json_places(full, "write_csv") if sections["twinnings"] else {}
    raw = {name: [converter.unstructure(record) for record in records] for name, records in sections.items()}
    return raw_csv_files(raw, places)


def write_csv(
    data: Dataset | Iterable[Record | Place],
    folder: str | os.PathLike[str],
    *,
    dataset: Dataset | None = None,
) -> list[Path]:
    """Write one CSV per table and ``datapackage.json`` into ``folder``; returns the paths written.

    ``data`` is a Dataset or any records (a query result); twinnings need the ``dataset`` they
    come from, which names their parties.
    """
    from .datapackage import write_datapackage

    files = csv_files(data, dataset=dataset)
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files.items():
        path = target / name
        path.write_text(text, encoding=ENCODING, newline="")
        written.append(path)
    written.append(write_datapackage(target, data if isinstance(data, Dataset) else dataset))
    return written
