"""CSV: one file per record type plus ``sources.csv``, and the reader that gives the same records back.

Files are UTF-8 with a byte-order mark, which spreadsheet programs need to show Chinese
characters correctly; the reader accepts them with or without it. Lists sit in one cell
joined with ``|`` (see :func:`~sinoperu.export.tables.join_list`).

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
import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..dataset import Dataset
from ..dates import DateInterval, PartialDate
from ..errors import DatasetError
from ..loader import DEFAULT_MAX_BYTES, read_dataset_text
from ..models import Place, Record
from .tables import TABLES, Column, Table, join_list, places_of, rows, source_rows, split_list, table_for

__all__ = ["ENCODING", "csv_text", "read_csv", "write_csv"]

#: UTF-8 with a byte-order mark: Excel and LibreOffice then read Chinese text correctly.
ENCODING = "utf-8-sig"
_SECTIONS = ("places", "twinnings", "milestones", "exchanges")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (PartialDate, DateInterval)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return join_list(str(getattr(item, "value", item)) for item in value)
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back as the same float
    return str(value)


def _table_text(table: Table, records: Iterable[Any], places: Mapping[str, Place]) -> str:
    buffer = io.StringIO()
    writer = _csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.name for column in table.columns])
    for row in rows(table, records, places):
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue()


def csv_text(records: Iterable[Any], *, dataset: Dataset | None = None) -> str:
    """One CSV table (no byte-order mark) for these records: their type's table, or a summary."""
    records = tuple(records)
    return _table_text(table_for(records), records, places_of(dataset))


def write_csv(
    data: Dataset | Iterable[Record | Place],
    folder: str | os.PathLike[str],
    *,
    dataset: Dataset | None = None,
) -> list[Path]:
    """Write one CSV per record type, ``sources.csv`` and ``datapackage.json`` into ``folder``.

    ``data`` is a Dataset or any records (a query result). Parties' names come from
    ``dataset`` (default: ``data`` itself, or the bundled dataset). Returns the paths written.
    """
    from .datapackage import write_datapackage

    full: Dataset | None
    if isinstance(data, Dataset):
        full = data
        sections: dict[str, tuple[Any, ...]] = {name: getattr(data, name) for name in _SECTIONS}
    else:
        full = dataset
        items = tuple(data)
        for item in items:
            if not isinstance(item, (Place, *(TABLES[name].record_type for name in _SECTIONS))):
                raise TypeError(f"write_csv takes a Dataset or records, not {type(item).__name__}")
        sections = {
            name: tuple(i for i in items if isinstance(i, TABLES[name].record_type)) for name in _SECTIONS
        }
    places = places_of(full)
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, records in sections.items():
        path = target / f"{name}.csv"
        path.write_text(_table_text(TABLES[name], records, places), encoding=ENCODING, newline="")
        written.append(path)
    everything = [item for records in sections.values() for item in records]
    path = target / "sources.csv"
    path.write_text(
        _table_text(TABLES["sources"], source_rows(everything), places), encoding=ENCODING, newline=""
    )
    written.append(path)
    written.append(write_datapackage(target, full if isinstance(data, Dataset) else None))
    return written


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


def _value(column: Column, cell: str, where: dict[str, str]) -> Any:
    if column.type == "list":
        return split_list(cell)
    if cell == "":
        return None if column.optional else ""
    if column.type == "integer":
        try:
            return int(cell)
        except ValueError:
            raise DatasetError(f"{cell!r} is not a whole number", **where, field=column.name) from None
    if column.type == "number":
        try:
            return float(cell)
        except ValueError:
            raise DatasetError(f"{cell!r} is not a number", **where, field=column.name) from None
    return cell


def _raw_record(table: Table, row: dict[str, str], where: dict[str, str]) -> dict[str, Any]:
    raw = {column.name: _value(column, row[column.name], where) for column in table.stored}
    if table.name == "places":
        lat, lon = raw.pop("lat"), raw.pop("lon")
        if (lat is None) != (lon is None):
            raise DatasetError("lat and lon must be both given or both empty", **where, field="lat")
        raw["coordinates"] = None if lat is None else {"lat": lat, "lon": lon}
    return raw


def read_csv(folder: str | os.PathLike[str], *, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Dataset:
    """Read a folder written by :func:`write_csv` back into the same Dataset.

    Every file is checked (header, cells, then the records themselves); a problem raises
    :class:`~sinoperu.DatasetError` naming the file, the row and the column.
    """
    from ..serialize import structure_records

    base = Path(folder)
    if not base.is_dir():
        raise DatasetError("is not a folder of CSV files", file=str(base))
    source_path, source_rows_ = _read_table(base, TABLES["sources"], max_bytes)
    sources: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for line, row in enumerate(source_rows_, start=2):
        where = {"file": str(source_path), "record": f"row {line}"}
        raw = _raw_record(TABLES["sources"], row, where)
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
            raw = _raw_record(table, row, where)
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
    version, as_of = _metadata(base)
    try:
        return Dataset(version=version, as_of=as_of, **sections)
    except DatasetError as error:
        raise DatasetError(error.reason, file=str(base), record=error.record, field=error.field) from None


def _metadata(folder: Path) -> tuple[str, PartialDate | None]:
    """The data version and as-of date kept in ``datapackage.json``, when it is there."""
    path = folder / "datapackage.json"
    if not path.exists():
        return "unversioned", None
    try:
        descriptor = json.loads(read_dataset_text(path))
        version = descriptor.get("version", "unversioned")
        as_of = descriptor.get("sinoperu:as_of")
        return str(version), None if as_of is None else PartialDate.parse(as_of)
    except (ValueError, AttributeError) as error:
        raise DatasetError(f"unreadable descriptor: {error}", file=str(path)) from None
