"""CSV: one file per record type plus ``sources.csv``, and the reader that gives the same records back.

Files are UTF-8 with a byte-order mark, which spreadsheet programs need to show Chinese
characters correctly; the reader accepts them with or without it. Lists sit in one cell
joined with ``|`` (see :func:`~sinoperu.export.tables.join_list`). Text cells that a
spreadsheet would run as a formula are quoted (see :mod:`sinoperu.export.spreadsheet`)
unless ``spreadsheet=False``; ``datapackage.json`` records which, so the reader restores
the text exactly. Files are written all or nothing (see :mod:`sinoperu.export.files`).

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
import math
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

from ..dataset import Dataset
from ..dates import PartialDate
from ..errors import DatasetError, InvalidFieldError
from ..jsonio import parse_json
from ..loader import DEFAULT_MAX_BYTES, read_dataset_text
from ..models import Place, Record
from .files import encode, write_files
from .spreadsheet import quote_cell, unquote_cell
from .tables import (
    TABLES,
    TEXT_TYPES,
    Column,
    Table,
    join_list,
    places_for,
    rows,
    source_rows,
    split_list,
    table_for,
)

__all__ = ["ENCODING", "csv_files", "csv_text", "read_csv", "write_csv"]

#: UTF-8 with a byte-order mark: Excel and LibreOffice then read Chinese text correctly.
ENCODING = "utf-8-sig"
_SECTIONS = ("places", "twinnings", "milestones", "exchanges")
#: What a number cell may hold: JSON's grammar, ASCII digits only (no "1_2.5", " 1", "inf", "١").
_INTEGER: Final = re.compile(r"-?(?:0|[1-9][0-9]*)")
_NUMBER: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, PartialDate):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return join_list(str(getattr(item, "value", item)) for item in value)
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back as the same float
    return str(value)


def _table_text(table: Table, records: Iterable[Any], places: Mapping[str, Place], spreadsheet: bool) -> str:
    buffer = io.StringIO()
    writer = _csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in table.columns])
    quoted = [spreadsheet and column.type in TEXT_TYPES for column in table.columns]
    for row in rows(table, records, places):
        writer.writerow(
            [
                quote_cell(_cell(value)) if quote else _cell(value)
                for value, quote in zip(row, quoted, strict=True)
            ]
        )
    return buffer.getvalue()


def csv_text(records: Iterable[Any], *, dataset: Dataset | None = None, spreadsheet: bool = True) -> str:
    """One CSV table (no byte-order mark) for these records: their type's table, or a summary.

    Records that name places (twinnings, or a mixed query result) need ``dataset=``, the
    Dataset they come from, for the names. ``spreadsheet=False`` leaves formula-like text
    unquoted (see :mod:`sinoperu.export.spreadsheet`).

    >>> import sinoperu
    >>> ds = sinoperu.load()
    >>> csv_text(ds.query(city="Chimbote"), dataset=ds).splitlines()[1].split(",")[:3]
    ['tw-chimbote-zhangzhou', 'pe-anc-chimbote', 'Chimbote']
    """
    records = tuple(records)
    table = table_for(records)
    return _table_text(
        table, records, places_for(records, dataset, caller="csv_text", table=table), spreadsheet
    )


def _sections(data: Dataset | Iterable[Record | Place], caller: str) -> dict[str, tuple[Any, ...]]:
    if isinstance(data, Dataset):
        return {name: getattr(data, name) for name in _SECTIONS}
    items = tuple(data)
    for item in items:
        if not isinstance(item, (Place, *(TABLES[name].record_type for name in _SECTIONS))):
            raise TypeError(f"{caller} takes a Dataset or records, not {type(item).__name__}")
    return {name: tuple(i for i in items if isinstance(i, TABLES[name].record_type)) for name in _SECTIONS}


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
    from .datapackage import datapackage_bytes

    full = data if isinstance(data, Dataset) else dataset
    sections = _sections(data, caller)
    named = [
        record
        for name in _SECTIONS
        if any(column.needs_places for column in TABLES[name].columns)
        for record in sections[name]
    ]
    places = places_for(named, full, caller=caller)
    files = {}
    for name, records in sections.items():
        text = _table_text(TABLES[name], records, places, spreadsheet)
        files[f"{name}.csv"] = encode(text, path=f"{name}.csv", encoding=ENCODING)
    everything = [item for records in sections.values() for item in records]
    text = _table_text(TABLES["sources"], source_rows(everything), places, spreadsheet)
    files["sources.csv"] = encode(text, path="sources.csv", encoding=ENCODING)
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
    """Write one CSV per record type, ``sources.csv`` and ``datapackage.json`` into ``folder``.

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


# --- reading ----------------------------------------------------------------------------


def _read_table(folder: Path, table: Table, max_bytes: int | None) -> tuple[Path, list[dict[str, str]]]:
    path = folder / f"{table.name}.csv"
    text = read_dataset_text(path, max_bytes=max_bytes) if path.exists() else ""
    if not text:
        raise DatasetError("missing or empty; every CSV export has it", file=str(path))
    text = text.removeprefix("\ufeff")
    try:
        reader = _csv.reader(io.StringIO(text, newline=""), strict=True)
        header = next(reader)
        known = {column.name for column in table.columns}
        unknown = [name for name in header if name not in known]
        missing = [column.name for column in table.stored if column.name not in header]
        if unknown or missing or len(set(header)) != len(header):
            problem = f"unknown column(s) {unknown}" if unknown else f"missing column(s) {missing}"
            if not unknown and not missing:
                problem = "a column appears twice"
            raise DatasetError(f"bad header: {problem}", file=str(path), record="row 1")
        records = []
        for line_number, row in enumerate(reader, start=2):
            if len(row) != len(header):
                raise DatasetError(
                    f"has {len(row)} cells; the header has {len(header)}",
                    file=str(path),
                    record=f"row {line_number}",
                )
            records.append(dict(zip(header, row, strict=True)))
    except _csv.Error as error:
        raise DatasetError(f"not valid CSV: {error}", file=str(path)) from None
    return path, records


def _shown(cell: str) -> str:
    return repr(cell) if len(cell) <= 40 else repr(cell[:40]) + "..."


def _value(column: Column, cell: str, where: dict[str, str], quoted: bool) -> Any:
    if quoted and column.type in TEXT_TYPES:
        cell = unquote_cell(cell)
    if column.type == "list":
        return split_list(cell)
    if cell == "":
        return None if column.optional else ""
    if column.type == "integer":
        if not _INTEGER.fullmatch(cell) or len(cell) > 20:
            raise DatasetError(
                f"{_shown(cell)} is not a whole number (ASCII digits only)", **where, field=column.name
            )
        return int(cell)
    if column.type == "number":
        value = float(cell) if _NUMBER.fullmatch(cell) and len(cell) <= 400 else None
        if value is None or not math.isfinite(value):  # not JSON's grammar, or too large for a float
            raise DatasetError(
                f"{_shown(cell)} is not a finite number written with ASCII digits", **where, field=column.name
            )
        return value
    return cell


def _raw_record(table: Table, row: dict[str, str], where: dict[str, str], quoted: bool) -> dict[str, Any]:
    raw = {column.name: _value(column, row[column.name], where, quoted) for column in table.stored}
    if table.name == "places":
        lat, lon = raw.pop("lat"), raw.pop("lon")
        if (lat is None) != (lon is None):
            raise DatasetError("lat and lon must be both given or both empty", **where, field="lat")
        raw["coordinates"] = None if lat is None else {"lat": lat, "lon": lon}
    return raw


def read_csv(
    folder: str | os.PathLike[str],
    *,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    spreadsheet: bool | None = None,
) -> Dataset:
    """Read a folder written by :func:`write_csv` back into the same Dataset.

    Every file is checked (header, cells, then the records themselves), ``datapackage.json``
    as strictly as a dataset file; a problem raises :class:`~sinoperu.DatasetError` naming
    the file, the row and the column. Numbers are read by JSON's grammar with ASCII digits.
    Quoted formula-like text is restored when ``datapackage.json`` says the files were written
    for spreadsheets; ``spreadsheet=True`` or ``False`` says so instead.
    """
    from ..serialize import structure_records

    base = Path(folder)
    if not base.is_dir():
        raise DatasetError("is not a folder of CSV files", file=str(base))
    if spreadsheet is not None and not isinstance(spreadsheet, bool):
        raise TypeError(f"spreadsheet must be True, False or None, got {spreadsheet!r}")
    version, as_of, written_quoted = _metadata(base, max_bytes)
    quoted = written_quoted if spreadsheet is None else spreadsheet
    source_path, source_rows_ = _read_table(base, TABLES["sources"], max_bytes)
    sources: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for line, row in enumerate(source_rows_, start=2):
        where = {"file": str(source_path), "record": f"row {line}"}
        raw = _raw_record(TABLES["sources"], row, where, quoted)
        record_id, position = raw.pop("record_id"), raw.pop("position")
        sources.setdefault(record_id, []).append((position, raw))
    sections: dict[str, list[Any]] = {}
    claimed: set[str] = set()
    for name in _SECTIONS:
        table = TABLES[name]
        path, table_rows = _read_table(base, table, max_bytes)
        raws = []
        for line, row in enumerate(table_rows, start=2):
            where = {"file": str(path), "record": f"row {line} (id {row.get('id', '')!r})"}
            raw = _raw_record(table, row, where, quoted)
            attached = sorted(sources.get(raw["id"], []), key=lambda pair: pair[0])
            if [position for position, _ in attached] != list(range(len(attached))):
                raise DatasetError("its sources' positions are not 0, 1, 2...", **where, field="sources")
            raw["sources"] = [source for _, source in attached]
            claimed.add(raw["id"])
            raws.append(raw)
        sections[name] = structure_records(
            raws,
            table.record_type,
            section=name,
            file=str(path),
            label=lambda n, raw: f"row {n + 2} (id {raw['id']!r})",
        )
    orphans = sorted(set(sources) - claimed)
    if orphans:
        raise DatasetError(
            f"sources for unknown record(s) {orphans[:5]}", file=str(source_path), field="record_id"
        )
    try:
        return Dataset(version=version, as_of=as_of, **sections)
    except DatasetError as error:
        raise DatasetError(error.reason, file=str(base), record=error.record, field=error.field) from None


def _metadata(folder: Path, max_bytes: int | None) -> tuple[str, PartialDate | None, bool]:
    """The data version, as-of date and spreadsheet quoting recorded in ``datapackage.json``.

    Without the file the data is "unversioned" and unquoted; with it, it is read as strictly as
    a dataset file (strict JSON, the version as text, the date as a date, the flag as a boolean).
    """
    path = folder / "datapackage.json"
    if not path.exists():
        return "unversioned", None, False
    file = str(path)
    descriptor = parse_json(read_dataset_text(path, max_bytes=max_bytes), file=file)
    if not isinstance(descriptor, dict):
        raise DatasetError(f"expected a JSON object at the top, got {type(descriptor).__name__}", file=file)
    version = descriptor.get("version")
    if not isinstance(version, str) or not version.strip():
        raise DatasetError(f"expected non-empty text, got {version!r:.60}", file=file, field="version")
    as_of = descriptor.get("sinoperu:as_of")
    if as_of is not None:
        if not isinstance(as_of, str):
            raise DatasetError(
                f"expected an ISO date as text, got {as_of!r:.60}", file=file, field="sinoperu:as_of"
            )
        try:
            as_of = PartialDate.parse(as_of)
        except InvalidFieldError as error:
            raise DatasetError(error.reason, file=file, field="sinoperu:as_of") from None
    quoted = descriptor.get("sinoperu:spreadsheet_safe", False)
    if not isinstance(quoted, bool):
        raise DatasetError(
            f"expected true or false, got {quoted!r:.60}", file=file, field="sinoperu:spreadsheet_safe"
        )
    return version, as_of, quoted
