"""Reading a CSV export back: the same records, checked like a dataset file.

Every cell is turned back into the JSON value it came from (the codec in
:mod:`sinoperu.export.columns`), the rows become JSON records, and those go through the same
decoder and the same located errors as :func:`sinoperu.load`. ``datapackage.json``, when present,
gives the data version and as-of date, and is read as strictly as a dataset file.

>>> import sinoperu, tempfile
>>> from sinoperu.export import write_csv
>>> folder = tempfile.mkdtemp()
>>> _ = write_csv(sinoperu.load(), folder)
>>> read_csv(folder) == sinoperu.load()
True
"""

from __future__ import annotations

import csv as _csv
import io
import os
from pathlib import Path
from typing import Any

from .dataset import Dataset
from .dates import PartialDate
from .decode import describe, read_header
from .errors import DatasetError
from .export.columns import TABLES, CellError, Column, Table, decode_cell
from .export.datapackage import descriptor_key
from .export.spreadsheet import unquote_cell
from .format import FORMAT, FORMAT_VERSION, HEADER, SECTIONS
from .jsonio import parse_json
from .loader import DEFAULT_MAX_BYTES, read_dataset_text
from .serialize import structure_records

__all__ = ["read_csv"]


def _read_table(folder: Path, table: Table, max_bytes: int | None) -> tuple[Path, list[dict[str, str]]]:
    path = folder / f"{table.name}.csv"
    if not path.exists():
        raise DatasetError("missing; every CSV export has it", file=str(path))
    text = read_dataset_text(path, max_bytes=max_bytes).removeprefix("\ufeff")
    try:
        reader = _csv.reader(io.StringIO(text, newline=""), strict=True)
        header = next(reader, None)
        if header is None:
            raise DatasetError("is empty; every CSV export has a header", file=str(path))
        known = {column.name for column in table.columns}
        unknown = [name for name in header if name not in known]
        missing = [column.name for column in table.stored if column.name not in header]
        if unknown or missing or len(set(header)) != len(header):
            problem = f"unknown column(s) {unknown}" if unknown else f"missing column(s) {missing}"
            if not unknown and not missing:
                problem = "a column appears twice"
            raise DatasetError(f"bad header: {problem}", file=str(path), record="row 1")
        rows = []
        for line_number, row in enumerate(reader, start=2):
            if len(row) != len(header):
                raise DatasetError(
                    f"has {len(row)} cells; the header has {len(header)}",
                    file=str(path),
                    record=f"row {line_number}",
                )
            rows.append(dict(zip(header, row, strict=True)))
    except _csv.Error as error:
        raise DatasetError(f"not valid CSV: {error}", file=str(path)) from None
    return path, rows


def _cell(column: Column, row: dict[str, str], where: dict[str, str], quoted: bool = False) -> Any:
    try:
        return decode_cell(column, row[column.name], spreadsheet=quoted)
    except CellError as error:
        raise DatasetError(
            str(error), file=where["file"], record=where["record"], field=column.name
        ) from None


def _raw_record(table: Table, row: dict[str, str], where: dict[str, str], quoted: bool) -> dict[str, Any]:
    """A record's JSON form from its row; a nested record whose cells are all empty is null."""
    raw: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for column in table.stored:
        if column.name in ("record_id", "position") and table.parent_field is not None:
            continue
        value = _cell(column, row, where, quoted)
        if len(column.path) == 2:
            nested.setdefault(column.path[0], {})[column.path[1]] = value
        else:
            raw[column.path[0]] = value
    for name, values in nested.items():
        raw[name] = None if all(value is None for value in values.values()) else values
    return raw


def _children(
    folder: Path, max_bytes: int | None, quoted: bool
) -> tuple[dict[str, dict[str, list[Any]]], dict[str, tuple[Path, set[str]]]]:
    """For each child table: the JSON records it holds for each record id, in position order."""
    found: dict[str, dict[str, list[Any]]] = {}
    paths: dict[str, tuple[Path, set[str]]] = {}
    for table in TABLES.values():
        if table.parent_field is None:
            continue
        path, rows = _read_table(folder, table, max_bytes)
        by_record: dict[str, list[tuple[int, Any]]] = {}
        for line, row in enumerate(rows, start=2):
            where = {"file": str(path), "record": f"row {line}"}
            position = _cell(table.column("position"), row, where)
            if position is None:
                raise DatasetError("needs a position", file=str(path), record=f"row {line}", field="position")
            raw = _raw_record(table, row, where, quoted)
            by_record.setdefault(unquote_cell(row["record_id"]) if quoted else row["record_id"], []).append(
                (position, raw)
            )
        ordered: dict[str, list[Any]] = {}
        for record_id, entries in by_record.items():
            entries.sort(key=lambda pair: pair[0])
            if [position for position, _ in entries] != list(range(len(entries))):
                raise DatasetError(
                    f"positions of {record_id[:100]!r} are not 0, 1, 2...", file=str(path), field="position"
                )
            ordered[record_id] = [raw for _, raw in entries]
        found[table.parent_field] = ordered
        paths[table.parent_field] = (path, set(ordered))
    return found, paths


def read_csv(
    folder: str | os.PathLike[str],
    *,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    spreadsheet: bool | None = None,
) -> Dataset:
    """Read a folder written by :func:`~sinoperu.export.write_csv` back into the same Dataset.

    Every file is checked (header, cells, then the records themselves), ``datapackage.json``
    as strictly as a dataset file; a problem raises :class:`~sinoperu.DatasetError` naming
    the file, the row and the column. Numbers are read by JSON's grammar with ASCII digits.
    Quoted formula-like text is restored when ``datapackage.json`` says the files were written
    for spreadsheets; ``spreadsheet=True`` or ``False`` says so instead.
    """
    base = Path(folder)
    if not base.is_dir():
        raise DatasetError("is not a folder of CSV files", file=str(base))
    if spreadsheet is not None and not isinstance(spreadsheet, bool):
        raise TypeError(f"spreadsheet must be True, False or None, got {spreadsheet!r}")
    version, as_of, written_quoted = _metadata(base, max_bytes)
    quoted = written_quoted if spreadsheet is None else spreadsheet
    children, child_paths = _children(base, max_bytes, quoted)
    claimed: set[str] = set()
    sections: dict[str, list[Any]] = {}
    for section in SECTIONS:
        table = TABLES[section.name]
        path, rows = _read_table(base, table, max_bytes)
        raws = []
        for line, row in enumerate(rows, start=2):
            where = {"file": str(path), "record": f"row {line} (id {row.get('id', '')[:100]!r})"}
            raw = _raw_record(table, row, where, quoted)
            for field, by_record in children.items():
                if field in section.spec.keys:
                    raw[field] = by_record.get(raw.get("id") or "", [])
            claimed.add(raw.get("id") or "")
            raws.append(raw)
        sections[section.name] = structure_records(
            raws,
            table.record_type,
            section=section.name,
            file=str(path),
            label=lambda n, raw: f"row {n + 2} (id {str(raw.get('id', ''))[:100]!r})",
        )
    for path, ids in child_paths.values():
        orphans = sorted(ids - claimed)
        if orphans:
            raise DatasetError(f"rows for unknown record(s) {orphans[:5]}", file=str(path), field="record_id")
    try:
        return Dataset(version=version, as_of=as_of, **sections)
    except DatasetError as error:
        raise DatasetError(error.reason, file=str(base), record=error.record, field=error.field) from None


def _metadata(folder: Path, max_bytes: int | None) -> tuple[str, PartialDate | None, bool]:
    """The data version, as-of date and spreadsheet quoting kept in ``datapackage.json``, read as
    strictly as the header of a dataset file (the same checks, on the same header fields)."""
    path = folder / "datapackage.json"
    if not path.exists():
        return "unversioned", None, False
    file = str(path)
    descriptor = parse_json(read_dataset_text(path, max_bytes=max_bytes), file=file)
    if type(descriptor) is not dict:
        raise DatasetError(f"expected a JSON object at the top, got {describe(descriptor)}", file=file)
    header = {field.name: field.default for field in HEADER}
    # Exports of the format's first edition did not record the format: it can only be this one.
    header.update(format=FORMAT, format_version=FORMAT_VERSION)
    header.pop("version")
    for field in HEADER:
        key = descriptor_key(field)
        if key in descriptor:
            header[field.name] = descriptor[key]
    quoted = descriptor.get("sinoperu:spreadsheet_safe", False)
    if type(quoted) is not bool:
        raise DatasetError(
            f"expected true or false, got {describe(quoted)}", file=file, field="sinoperu:spreadsheet_safe"
        )
    try:
        return (*read_header(header, file=file), quoted)
    except DatasetError as error:
        where = next((descriptor_key(f) for f in HEADER if f.name == error.field), error.field)
        raise DatasetError(error.reason, file=file, field=where) from None
