"""CSV: one file per section, one per list of nested records (``sources.csv``...), a data package.

Files are UTF-8 with a byte-order mark, which spreadsheet programs need to show Chinese
characters correctly; the reader (:func:`sinoperu.csvloader.read_csv`, also importable from here)
accepts them with or without it. Lists sit in one cell joined with ``|`` (see
:func:`~sinoperu.export.columns.join_list`). The columns come from
:data:`~sinoperu.export.columns.TABLES`, which the file format's description defines. Text cells
that a spreadsheet would run as a formula are quoted (see :mod:`sinoperu.export.spreadsheet`)
unless ``spreadsheet=False``; ``datapackage.json`` records which, so the reader restores the text
exactly. Files are written all or nothing (see :mod:`sinoperu.export.files`).

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
    places_for,
    summary_rows,
    table_for,
)
from .files import encode, write_files

__all__ = ["ENCODING", "csv_files", "csv_text", "raw_csv_files", "read_csv", "write_csv"]

#: UTF-8 with a byte-order mark: Excel and LibreOffice then read Chinese text correctly.
ENCODING = "utf-8-sig"


def _text(table: Table, rows: Iterable[list[Any]], spreadsheet: bool) -> str:
    buffer = io.StringIO()
    writer = _csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in table.columns])
    for row in rows:
        writer.writerow(
            [
                encode_cell(column, value, spreadsheet=spreadsheet)
                for column, value in zip(table.columns, row, strict=True)
            ]
        )
    return buffer.getvalue()


def raw_csv_files(
    sections: Mapping[str, Any], places: Mapping[str, Any], *, spreadsheet: bool = True
) -> dict[str, str]:
    """Every CSV file of an export, by file name, from the records' JSON forms (as a dataset file
    holds them) and the places' JSON forms by id; CellError where a value has no exact cell."""
    texts = {}
    for section in SECTIONS:
        records = sections.get(section.name, [])
        if type(records) is not list:
            raise CellError(f"{section.name}: expected a list of records")
        table = TABLES[section.name]
        texts[f"{section.name}.csv"] = _text(table, format_rows(table, records, places), spreadsheet)
    everything = [raw for section in SECTIONS for raw in sections.get(section.name, [])]
    for name, table in TABLES.items():
        if table.parent_field is not None:
            rows = format_rows(table, child_rows(table, everything), places)
            texts[f"{name}.csv"] = _text(table, rows, spreadsheet)
    return texts


def _json_places(places: Mapping[str, Place]) -> dict[str, Any]:
    from ..serialize import converter

    return {place_id: converter.unstructure(place) for place_id, place in places.items()}


def csv_text(records: Iterable[Any], *, dataset: Dataset | None = None, spreadsheet: bool = True) -> str:
    """One CSV table (no byte-order mark) for these records: their type's own table, or a summary.

    Records that name places (twinnings, or a mixed query result) need ``dataset=``, the Dataset
    they come from, for the names. ``spreadsheet=False`` leaves formula-like text unquoted.

    >>> import sinoperu
    >>> ds = sinoperu.load()
    >>> csv_text(ds.query(city="Lima", kind="sister_city"), dataset=ds).splitlines()[1].split(",")[:3]
    ['tw-lima-beijing', 'pe-lma', 'Lima']
    """
    from ..serialize import converter

    records = tuple(records)
    table = table_for(records)
    places = places_for(records, dataset, caller="csv_text", table=table)
    if table is SUMMARY:
        return _text(table, summary_rows(records, places), spreadsheet)
    raw = [converter.unstructure(record) for record in records]
    return _text(table, format_rows(table, raw, _json_places(places)), spreadsheet)


def _sections(data: Dataset | Iterable[Record | Place]) -> dict[str, tuple[Any, ...]]:
    if isinstance(data, Dataset):
        return {section.name: getattr(data, section.name) for section in SECTIONS}
    items = tuple(data)
    types = tuple(section.cls for section in SECTIONS)
    for item in items:
        if not isinstance(item, types):
            raise TypeError(f"write_csv takes a Dataset or records, not {type(item).__name__}")
    return {section.name: tuple(i for i in items if isinstance(i, section.cls)) for section in SECTIONS}


def csv_files(
    data: Dataset | Iterable[Record | Place],
    *,
    dataset: Dataset | None = None,
    spreadsheet: bool = True,
    caller: str = "csv_files",
) -> dict[str, bytes]:
    """The files :func:`write_csv` writes, by name, as the bytes to write; nothing touches disk.

    >>> import sinoperu
    >>> sorted(csv_files(sinoperu.load()))[:3]
    ['datapackage.json', 'exchanges.csv', 'milestones.csv']
    """
    from ..serialize import converter
    from .datapackage import datapackage_bytes

    full = data if isinstance(data, Dataset) else dataset
    sections = _sections(data)
    named = [record for name in sections if TABLES[name].uses_places for record in sections[name]]
    places = _json_places(places_for(named, full, caller=caller))
    raw = {name: [converter.unstructure(record) for record in records] for name, records in sections.items()}
    files = {
        name: encode(text, path=name, encoding=ENCODING)
        for name, text in raw_csv_files(raw, places, spreadsheet=spreadsheet).items()
    }
    files["datapackage.json"] = datapackage_bytes(full, spreadsheet=spreadsheet)
    return files


def write_csv(
    data: Dataset | Iterable[Record | Place],
    folder: str | os.PathLike[str],
    *,
    dataset: Dataset | None = None,
    overwrite: bool = False,
    spreadsheet: bool = True,
) -> list[Path]:
    """Write one CSV per table and ``datapackage.json`` into ``folder``.

    ``data`` is a Dataset or any records (a query result); records that name places need
    ``dataset=``, the Dataset they come from, for the parties' names (there is no default).
    Every file is rendered first, then written all or nothing, beside a manifest
    (``sinoperu-export.json``); a folder holding files sinoperu did not write is refused unless
    ``overwrite=True`` (see :mod:`sinoperu.export.files`). ``spreadsheet=False`` leaves
    formula-like text unquoted. Returns the paths of the files written (not the manifest).
    """
    return write_files(
        folder,
        csv_files(data, dataset=dataset, spreadsheet=spreadsheet, caller="write_csv"),
        overwrite=overwrite,
    )
