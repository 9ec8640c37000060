"""A SQLite database (the standard library's ``sqlite3``) that any SQL tool opens and Datasette serves.

One table per record type with the columns of the CSV files (``sinoperu.export.tables.TABLES``);
lists go to their own tables, ``<table>_<list>``, one row per item with its position.
It has primary and foreign keys, the year, month and day of each date as generated columns,
views that join both parties' names (``twinnings_named``, ``exchanges_named``), and
full-text search over titles, summaries and notes (FTS5 tables ``<table>_fts``, kept in
step by triggers). The table ``dataset_info`` holds the data version, its as-of date and
the citation; :func:`read_sqlite` reads all of it back into an equal Dataset.

``write_sqlite`` also writes ``metadata.json`` beside the database for Datasette (licence,
sources, citation, table and column descriptions): ``datasette sinoperu.db -m metadata.json``.

>>> import sinoperu, sqlite3, tempfile, pathlib
>>> path = write_sqlite(sinoperu.load(), pathlib.Path(tempfile.mkdtemp()) / "sinoperu.db")
>>> read_sqlite(path) == sinoperu.load()
True
>>> db = sqlite3.connect(path)
>>> db.execute("SELECT peruvian_name_zh, chinese_name_zh FROM twinnings_named WHERE id = ?",
...            ("tw-lima-shanghai",)).fetchone()
('利马', '上海')
>>> db.execute("SELECT id FROM twinnings_fts JOIN twinnings ON twinnings.rowid = twinnings_fts.rowid "
...            "WHERE twinnings_fts MATCH 'Chancay' ORDER BY id").fetchall()
[('tw-chancay-suzhou',), ('tw-ucayali-hubei',)]
>>> db.close()
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from .._version import __version__
from ..dataset import Dataset
from ..dates import PartialDate
from ..errors import DatasetError
from ..models import Place
from .datapackage import _FOREIGN_KEYS, DATA_LICENSE
from .frames import _AREAS, _CATEGORIES
from .tables import TABLES, Column, Table, places_of, source_rows

__all__ = ["METADATA_FILE", "read_sqlite", "sqlite_schema", "write_sqlite"]

#: The Datasette metadata file written beside the database.
METADATA_FILE: Final = "metadata.json"
_SECTIONS: Final = ("places", "twinnings", "milestones", "exchanges")
_SQL_TYPES: Final = {
    "string": "TEXT",
    "category": "TEXT",
    "date": "TEXT",
    "integer": "INTEGER",
    "number": "REAL",
}
#: The column that holds one item of a list, in its own table.
_ITEM_COLUMNS: Final = {"aliases": "alias", "areas": "area", "parties": "party", "places": "place_id"}
#: Lists whose items are ids of another table.
_LIST_REFERENCES: Final = {("milestones", "places"): "places"}
_SEARCHED: Final = ("title", "summary", "notes")
_SQLITE_HEADER = b"SQLite format 3\x00"
# The year, month and day of a partial ISO date ("2018", "2018-07", "2018-07-21").
_DATE_PARTS: Final = {
    "year": "CAST(substr({date}, 1, 4) AS INTEGER)",
    "month": "CASE WHEN length({date}) >= 7 THEN CAST(substr({date}, 6, 2) AS INTEGER) END",
    "day": "CASE WHEN length({date}) = 10 THEN CAST(substr({date}, 9, 2) AS INTEGER) END",
}


def _singular(table: str) -> str:
    return table.removesuffix("s")


def _owner_column(table: str) -> str:
    return f"{_singular(table)}_id"


def _stored(table: Table) -> list[Column]:
    """The columns a table stores itself: not derived, not lists."""
    return [column for column in table.stored if column.type != "list"]


def _lists(table: Table) -> list[Column]:
    return [column for column in table.stored if column.type == "list"]


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _column_sql(table: Table, column: Column) -> str:
    parts = [column.name, _SQL_TYPES[column.type]]
    if not column.optional:
        parts.append("NOT NULL")
    if column.name == "id":
        parts.append("PRIMARY KEY")
    categories = _CATEGORIES.get((table.name, column.name))
    if categories:
        parts.append(f"CHECK ({column.name} IN ({', '.join(map(_quote, categories))}))")
    if column.type == "date":
        parts.append(
            f"CHECK ({column.name} GLOB '[0-9][0-9][0-9][0-9]' "
            f"OR {column.name} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]' "
            f"OR {column.name} GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')"
        )
    return " ".join(parts)


def sqlite_schema() -> str:
    """The SQL that creates every table, view, full-text index and trigger."""
    statements = [
        "CREATE TABLE dataset_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ]
    for name in (*_SECTIONS, "sources"):
        table = TABLES[name]
        lines = [_column_sql(table, column) for column in _stored(table)]
        derived = {column.name for column in table.columns if column.derived}
        for column in _stored(table):
            if column.type == "date" and column.name == "date":
                lines += [
                    f"{part} INTEGER GENERATED ALWAYS AS ({expression.format(date='date')}) VIRTUAL"
                    for part, expression in _DATE_PARTS.items()
                    if part in derived
                ]
        if name == "sources":
            lines.append("PRIMARY KEY (record_id, position)")
        for field, target in _FOREIGN_KEYS.get(name, []):
            lines.append(f"FOREIGN KEY ({field}) REFERENCES {target}(id)")
        statements.append(f"CREATE TABLE {name} (\n  " + ",\n  ".join(lines) + "\n)")
        for column in _lists(table):
            item = _ITEM_COLUMNS.get(column.name, "value")
            owner = _owner_column(name)
            reference = _LIST_REFERENCES.get((name, column.name))
            categories = _AREAS if column.name == "areas" else _CATEGORIES.get((name, column.name))
            check = f" CHECK ({item} IN ({', '.join(map(_quote, categories))}))" if categories else ""
            lines = [
                f"{owner} TEXT NOT NULL REFERENCES {name}(id) ON DELETE CASCADE",
                "position INTEGER NOT NULL",
                f"{item} TEXT NOT NULL{check}"
                + (f" REFERENCES {reference}(id)" if reference is not None else ""),
                f"PRIMARY KEY ({owner}, position)",
            ]
            statements.append(f"CREATE TABLE {name}_{column.name} (\n  " + ",\n  ".join(lines) + "\n)")
        searched = [column.name for column in _stored(table) if column.name in _SEARCHED]
        if searched and name != "sources":
            statements += _fts(name, searched)
    statements += _views()
    return ";\n\n".join(statements) + ";\n"


def _fts(table: str, columns: list[str]) -> list[str]:
    """An external-content FTS5 index over ``columns`` and the triggers that keep it current."""
    fts = f"{table}_fts"
    names = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    # content="table" (double quotes) is how Datasette finds a table's search index.
    return [
        f'CREATE VIRTUAL TABLE {fts} USING fts5({names}, content="{table}", content_rowid="rowid", '
        "tokenize='unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {names}) VALUES (new.rowid, {new}); END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.rowid, {old}); END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {names}) VALUES ('delete', old.rowid, {old}); "
        f"INSERT INTO {fts}(rowid, {names}) VALUES (new.rowid, {new}); END",
    ]


def _names(alias: str, prefix: str) -> list[str]:
    return [
        f"{alias}.name AS {prefix}_name",
        f"{alias}.name_zh AS {prefix}_name_zh",
        f"{alias}.pinyin AS {prefix}_pinyin",
    ]


def _views() -> list[str]:
    columns = []
    for column in TABLES["twinnings"].columns:  # the CSV's columns, names joined from places
        side = column.name.split("_", 1)[0]
        if column.derived and side in ("peruvian", "chinese"):
            attribute = column.name.removeprefix(side + "_")
            columns.append(f"{'pe' if side == 'peruvian' else 'cn'}.{attribute} AS {column.name}")
        elif column.type == "list":
            columns.append(
                f"(SELECT json_group_array(area) FROM (SELECT area FROM twinnings_areas "
                f"WHERE twinning_id = t.id ORDER BY position)) AS {column.name}"
            )
        else:
            columns.append(f"t.{column.name}")
    twinnings = (
        "CREATE VIEW twinnings_named AS SELECT " + ", ".join(columns) + " FROM twinnings AS t "
        "JOIN places AS pe ON pe.id = t.peruvian_party JOIN places AS cn ON cn.id = t.chinese_party"
    )
    exchange_columns = [f"e.{column.name}" for column in TABLES["exchanges"].columns]
    exchanges = (
        "CREATE VIEW exchanges_named AS SELECT "
        + ", ".join(
            [
                *exchange_columns[:2],
                "t.peruvian_party",
                *_names("pe", "peruvian"),
                "t.chinese_party",
                *_names("cn", "chinese"),
                *exchange_columns[2:],
                "o.name AS origin_name",
                "o.name_zh AS origin_name_zh",
                "d.name AS destination_name",
                "d.name_zh AS destination_name_zh",
            ]
        )
        + " FROM exchanges AS e JOIN twinnings AS t ON t.id = e.twinning "
        "JOIN places AS pe ON pe.id = t.peruvian_party JOIN places AS cn ON cn.id = t.chinese_party "
        "LEFT JOIN places AS o ON o.id = e.origin LEFT JOIN places AS d ON d.id = e.destination"
    )
    return [twinnings, exchanges]


#: What each view holds, for Datasette and people.
VIEWS: Final = {
    "twinnings_named": "twinnings with both parties' names (Spanish or English, Chinese, pinyin)",
    "exchanges_named": "exchanges with the parties of their twinning and the names of origin and destination",
}


# --- writing -----------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    value = getattr(value, "value", value)
    return value.isoformat() if isinstance(value, PartialDate) else value


def _insert(db: sqlite3.Connection, table: str, columns: list[str], rows: Iterable[Sequence[Any]]) -> None:
    marks = ", ".join("?" for _ in columns)
    db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _fill(db: sqlite3.Connection, dataset: Dataset) -> None:
    from ..cite import citation_metadata

    info = {
        "version": dataset.version,
        "as_of": "" if dataset.as_of is None else dataset.as_of.isoformat(),
        "library_version": __version__,
        "citation": json.dumps(citation_metadata(dataset), ensure_ascii=False),
    }
    _insert(db, "dataset_info", ["key", "value"], info.items())
    places: Mapping[str, Place] = places_of(dataset)
    for name in _SECTIONS:  # places first: the others refer to them
        table = TABLES[name]
        records = getattr(dataset, name)
        stored = _stored(table)
        _insert(
            db,
            name,
            [c.name for c in stored],
            ([_cell(c.get(record, places)) for c in stored] for record in records),
        )
        for column in _lists(table):
            _insert(
                db,
                f"{name}_{column.name}",
                [_owner_column(name), "position", _ITEM_COLUMNS.get(column.name, "value")],
                (
                    (record.id, position, _cell(item))
                    for record in records
                    for position, item in enumerate(getattr(record, column.name))
                ),
            )
    table = TABLES["sources"]
    items = [item for name in _SECTIONS for item in getattr(dataset, name)]
    _insert(
        db,
        "sources",
        [c.name for c in table.columns],
        ([_cell(c.get(row, places)) for c in table.columns] for row in source_rows(items)),
    )


def write_sqlite(dataset: Dataset, path: str | os.PathLike[str], *, metadata: bool = True) -> Path:
    """Write ``dataset`` to a SQLite database at ``path`` (replacing an older one); returns the path.

    With ``metadata`` (the default), Datasette's ``metadata.json`` is written beside it.
    A file at ``path`` that is not a SQLite database is never overwritten.
    """
    if not isinstance(dataset, Dataset):
        raise TypeError(f"write_sqlite takes a Dataset, not {type(dataset).__name__}")
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(f"{target} is a folder; give the path of the database file")
    if target.exists():
        with open(target, "rb") as stream:
            if stream.read(len(_SQLITE_HEADER)) not in (_SQLITE_HEADER, b""):
                raise FileExistsError(f"{target} exists and is not a SQLite database; not overwritten")
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(target)
    try:
        db.execute("PRAGMA foreign_keys = ON")
        db.executescript(sqlite_schema())
        with db:
            db.execute("PRAGMA defer_foreign_keys = ON")  # checked at commit: places refer to places
            _fill(db, dataset)
    except BaseException:  # no half-filled database is left behind
        db.close()
        target.unlink(missing_ok=True)
        raise
    db.close()
    if metadata:
        write_datasette_metadata(dataset, target)
    return target


def _description(table: Table) -> str:
    """A table's description: the first line of its record type's docstring."""
    return (table.record_type.__doc__ or table.name).strip().splitlines()[0]


def datasette_metadata(dataset: Dataset, database: str = "sinoperu") -> dict[str, Any]:
    """Datasette's metadata: licence, sources, citation, and what each table and column holds."""
    from ..cite import citation_metadata

    citation = citation_metadata(dataset)
    tables: dict[str, Any] = {}
    for name in (*_SECTIONS, "sources"):
        table = TABLES[name]
        entry: dict[str, Any] = {
            "description": _description(table),
            "columns": {
                c.name: c.description
                for c in table.columns
                if c.type != "list" and (not c.derived or c.name in _DATE_PARTS)
            },
        }
        if any(c.name in _SEARCHED for c in _stored(table)) and name != "sources":
            entry["fts_table"] = f"{name}_fts"
            entry["fts_pk"] = "rowid"
        tables[name] = entry
        for column in _lists(table):
            item = _ITEM_COLUMNS.get(column.name, "value")
            tables[f"{name}_{column.name}"] = {
                "description": f"the items of {name}.{column.name}, one row each, in order",
                "columns": {_owner_column(name): f"id of the {_singular(name)}", item: column.description},
            }
    for view, description in VIEWS.items():
        tables[view] = {"description": description}
    tables["dataset_info"] = {
        "description": "the data version, its as-of date, the library version and the citation"
    }
    description = (
        f"Data version {citation['data_version']}"
        + (f", checked against its sources on {citation['as_of']}" if citation["as_of"] else "")
        + f". Cite as: {citation['text']}"
    )
    return {
        "title": citation["title"],
        "description": description,
        "license": DATA_LICENSE["name"],
        "license_url": DATA_LICENSE["path"],
        "source": "public web pages, cited record by record (table sources)",
        "source_url": citation["repository"],
        "about": f"sinoperu {citation['package_version']}",
        "about_url": citation["repository"],
        "databases": {database: {"title": citation["title"], "description": description, "tables": tables}},
    }


def write_datasette_metadata(dataset: Dataset, database: str | os.PathLike[str]) -> Path:
    """Write :func:`datasette_metadata` as ``metadata.json`` beside the database file."""
    target = Path(database)
    path = target.with_name(METADATA_FILE)
    text = json.dumps(datasette_metadata(dataset, target.stem), ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


# --- reading -----------------------------------------------------------------------------


def _connect(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise DatasetError("no such database file", file=str(path))
    with open(path, "rb") as stream:
        if stream.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
            raise DatasetError("is not a SQLite database", file=str(path))
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


def _select(db: sqlite3.Connection, sql: str, file: str) -> list[tuple[Any, ...]]:
    try:
        return db.execute(sql).fetchall()
    except sqlite3.Error as error:
        raise DatasetError(f"not a sinoperu database: {error}", file=file) from None


def _row_label(table: str) -> Callable[[int, Any], str]:
    def label(position: int, raw: Any) -> str:
        return f"{raw.get('id')!r} (table {table}, row {position + 1})"

    return label


def read_sqlite(path: str | os.PathLike[str]) -> Dataset:
    """Read a database written by :func:`write_sqlite` back into the same Dataset.

    A missing table or column, or a bad value, raises :class:`~sinoperu.DatasetError`
    naming the file, the table and the record.
    """
    from ..serialize import structure_records

    target = Path(path)
    file = str(target)
    db = _connect(target)
    try:
        info = dict(_select(db, "SELECT key, value FROM dataset_info", file))
        sources: dict[str, list[tuple[int, dict[str, Any]]]] = {}
        source_columns = [c.name for c in TABLES["sources"].columns]
        query = f"SELECT {', '.join(source_columns)} FROM sources ORDER BY record_id, position"
        for row in _select(db, query, file):
            raw = dict(zip(source_columns, row, strict=True))
            sources.setdefault(raw.pop("record_id"), []).append((raw.pop("position"), raw))
        sections: dict[str, list[Any]] = {}
        claimed: set[str] = set()
        for name in _SECTIONS:
            table = TABLES[name]
            stored = [c.name for c in _stored(table)]
            raws = [
                dict(zip(stored, row, strict=True))
                for row in _select(db, f"SELECT {', '.join(stored)} FROM {name} ORDER BY rowid", file)
            ]
            lists: dict[str, dict[str, list[Any]]] = {}
            for column in _lists(table):
                item = _ITEM_COLUMNS.get(column.name, "value")
                found: dict[str, list[Any]] = {}
                query = (
                    f"SELECT {_owner_column(name)}, {item} FROM {name}_{column.name} "
                    f"ORDER BY {_owner_column(name)}, position"
                )
                for owner, value in _select(db, query, file):
                    found.setdefault(owner, []).append(value)
                lists[column.name] = found
            for raw in raws:
                record_id = raw["id"]
                for column_name, found in lists.items():
                    raw[column_name] = found.get(record_id, [])
                if name == "places":
                    lat, lon = raw.pop("lat"), raw.pop("lon")
                    if (lat is None) != (lon is None):
                        raise DatasetError(
                            "lat and lon must be both given or both empty",
                            file=file,
                            record=f"{record_id!r} in table places",
                            field="lat",
                        )
                    raw["coordinates"] = None if lat is None else {"lat": lat, "lon": lon}
                attached = sources.get(record_id, [])
                if [position for position, _ in attached] != list(range(len(attached))):
                    raise DatasetError(
                        "its sources' positions are not 0, 1, 2...",
                        file=file,
                        record=f"{record_id!r} in table {name}",
                        field="sources",
                    )
                raw["sources"] = [source for _, source in attached]
                claimed.add(record_id)
            sections[name] = structure_records(
                raws,
                table.record_type,
                section=name,
                file=file,
                label=_row_label(name),
            )
    finally:
        db.close()
    orphans = sorted(set(sources) - claimed)
    if orphans:
        raise DatasetError(f"sources for unknown record(s) {orphans[:5]}", file=file, record="table sources")
    as_of = info.get("as_of") or None
    try:
        return Dataset(
            version=info.get("version", "unversioned"),
            as_of=None if as_of is None else PartialDate.parse(as_of),
            **sections,
        )
    except (DatasetError, ValueError) as error:
        reason = getattr(error, "reason", str(error))
        raise DatasetError(reason, file=file, record=getattr(error, "record", None)) from None
