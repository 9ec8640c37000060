"""A SQLite database (the standard library's ``sqlite3``) that any SQL tool opens and Datasette serves.

The tables are those of the CSV export, :data:`~sinoperu.export.columns.TABLES`, which the file
format defines: one per section and one per list of nested records (``sources``, ``subnational``,
keyed by ``record_id`` and ``position``). Lists of values go to their own tables,
``<table>_<list>``, one row per item with its position. Every rule SQLite can hold comes from the
format: primary and foreign keys (a field's ``refers_to``), the vocabulary of each category column
and the range of each number as CHECK constraints, the shape of each date. The year, month and day
of a date are generated columns; views join the names of the places a record refers to
(``twinnings_named``, ``exchanges_named``); full-text search covers the prose columns (FTS5 tables
``<table>_fts``, kept in step by triggers). The table ``dataset_info`` holds the file header (format,
data version, as-of date) and the citation; :func:`read_sqlite` reads all of it back, through the
same decoder as a dataset file, into an equal Dataset.

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
import math
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Final

from ..dataset import Dataset
from ..dates import OPEN_END, QUALIFIER_SYMBOLS
from ..errors import DatasetError
from ..fields import Choice, DateRule, ListOf, Number, Text
from ..format import HEADER, SECTIONS, record_spec
from .columns import TABLES, Column, Table, child_rows, format_rows
from .datapackage import DATA_LICENSE, header_of

__all__ = ["METADATA_FILE", "VIEWS", "read_sqlite", "sqlite_schema", "write_sqlite"]

#: The Datasette metadata file written beside the database.
METADATA_FILE: Final = "metadata.json"
_SQL_TYPES: Final = {
    "string": "TEXT",
    "category": "TEXT",
    "date": "TEXT",
    "integer": "INTEGER",
    "number": "REAL",
}
#: Text fields of these limits are prose, and searched.
_PROSE_LIMITS: Final = frozenset({"title", "text"})
_SQLITE_HEADER = b"SQLite format 3\x00"
_SECTION_TABLES: Final = tuple(TABLES[section.name] for section in SECTIONS)
_CHILD_TABLES: Final = tuple(table for table in TABLES.values() if table.parent_field is not None)

# --- the shape of a date, and its parts --------------------------------------------------
# SQLite has no regular expressions, so a CHECK holds the shape of the format's dates (digits,
# qualifier, interval); the calendar and the order of an interval's ends are checked when the
# database is read back, by the format's own date rule.
_PLAIN_GLOBS: Final = ("[0-9][0-9][0-9][0-9]", "[0-9][0-9][0-9][0-9]-[0-1][0-9]")
_DAY_GLOB: Final = "[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]"


def _plain_check(text: str) -> str:
    return "(" + " OR ".join(f"{text} GLOB '{glob}'" for glob in (*_PLAIN_GLOBS, _DAY_GLOB)) + ")"


def _qualified_check(text: str) -> str:
    return (
        f"({_plain_check(text)} OR ({text} GLOB '*[{QUALIFIER_SYMBOLS}]' "
        f"AND {_plain_check(f'substr({text}, 1, length({text}) - 1)')}))"
    )


def _date_check(column: str, rule: DateRule) -> str:
    if rule.plain:
        return _plain_check(column)
    start = f"substr({column}, 1, instr({column}, '/') - 1)"
    end = f"substr({column}, instr({column}, '/') + 1)"
    return (
        f"({_qualified_check(column)} OR (instr({column}, '/') > 0 "
        f"AND ({_qualified_check(start)} OR {start} = '{OPEN_END}') "
        f"AND ({_qualified_check(end)} OR {end} = '{OPEN_END}') "
        f"AND NOT ({start} = '{OPEN_END}' AND {end} = '{OPEN_END}')))"
    )


# The single date an interval is not: its parts are empty, as in the CSV's derived columns.
_BARE: Final = "(CASE WHEN instr({date}, '/') = 0 THEN rtrim({date}, '" + QUALIFIER_SYMBOLS + "') END)"
#: The year, month and day of a date, as SQL over the date's text.
_DATE_PARTS: Final = {
    "year": "CAST(substr({bare}, 1, 4) AS INTEGER)",
    "month": "CASE WHEN length({bare}) >= 7 THEN CAST(substr({bare}, 6, 2) AS INTEGER) END",
    "day": "CASE WHEN length({bare}) = 10 THEN CAST(substr({bare}, 9, 2) AS INTEGER) END",
}


def _date_part_sql(part: str, date: str) -> str:
    return _DATE_PARTS[part].format(bare=_BARE.format(date=date))


# --- what the tables hold, read off TABLES -----------------------------------------------


def _singular(name: str) -> str:
    if name.endswith("ies"):
        return name[:-3] + "y"
    if name.endswith("ses"):
        return name[:-2]
    return name.removesuffix("s")


def _owner_column(table: Table) -> str:
    return f"{_singular(table.name)}_id"


def _item_column(column: Column) -> str:
    """The column of a list's own table that holds one item (``alias``, ``place_id``)."""
    refers = column.field is not None and column.field.refers_to is not None
    return _singular(column.name) + ("_id" if refers else "")


def _keys(table: Table) -> tuple[Column, ...]:
    """A child table's ``record_id`` and ``position``."""
    return table.columns[:2] if table.parent_field is not None else ()


def _stored(table: Table) -> list[Column]:
    """The columns a table stores itself: its keys and its fields, lists aside."""
    return [*_keys(table), *(column for column in table.stored if column.type != "list")]


def _lists(table: Table) -> list[Column]:
    return [column for column in table.stored if column.type == "list"]


def _derivations(table: Table) -> dict[str, tuple[str, str]]:
    """How SQL computes each derived column: ``("part", date column)`` for a generated year, month
    or day, ``("place", (reference column, attribute of the place))`` for a place's name."""
    found: dict[str, tuple[str, str]] = {}
    date: str | None = None
    reference: str | None = None
    places = {column.name for column in TABLES["places"].stored}
    for column in table.columns[len(_keys(table)) :]:
        if not column.derived:
            date = column.name if column.type == "date" else date
            refers = column.field is not None and column.field.refers_to == "places"
            reference = column.name if refers and column.type != "list" else reference
            continue
        if column.name in _DATE_PARTS and date is not None:
            found[column.name] = ("part", date)
            continue
        if column.uses_places and reference is not None:
            # "peruvian_party" -> "peruvian_name_zh": the words after the shared ones name the attribute
            words, shared = column.name.split("_"), reference.split("_")
            common = next((n for n, (a, b) in enumerate(zip(words, shared, strict=False)) if a != b), 0)
            attribute = "_".join(words[common:])
            if attribute in places:
                found[column.name] = ("place", f"{reference}.{attribute}")
                continue
        raise TypeError(f"{table.name}.{column.name}: a derived column SQLite has no expression for")
    return found


def _place_names(table: Table) -> dict[str, list[tuple[str, str]]]:
    """The derived name columns that follow each reference to a place: ``[(column, attribute)]``."""
    names: dict[str, list[tuple[str, str]]] = {}
    for column, (kind, source) in _derivations(table).items():
        if kind == "place":
            reference, attribute = source.split(".")
            names.setdefault(reference, []).append((column, attribute))
    return names


#: The attributes of a place a view shows beside a reference to it (name, Chinese name, pinyin).
_NAME_ATTRIBUTES: Final = tuple(
    dict.fromkeys(
        attribute
        for table in _SECTION_TABLES
        for pairs in _place_names(table).values()
        for _, attribute in pairs
    )
)


def _references(table: Table) -> list[tuple[Column, str]]:
    """The stored (not list) columns that name a record of another section, and that section."""
    return [
        (column, column.field.refers_to)
        for column in table.stored
        if column.field is not None and column.field.refers_to is not None and column.type != "list"
    ]


def _has_view(table: Table) -> bool:
    """A section table whose records refer to another section's gets a ``_named`` view."""
    return table.parent_field is None and any(target != table.name for _, target in _references(table))


def _owners(child: Table) -> list[Table]:
    """The section tables whose records hold the child table's list."""
    return [table for table in _SECTION_TABLES if child.parent_field in record_spec(table.record_type).keys]


def _searched(table: Table) -> list[str]:
    return [
        column.name
        for column in table.stored
        if isinstance(column.rule, Text) and column.rule.limit in _PROSE_LIMITS
    ]


# --- the schema --------------------------------------------------------------------------


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _in(column: str, values: Iterable[str]) -> str:
    return f"CHECK ({column} IN ({', '.join(map(_quote, values))}))"


def _column_sql(table: Table, column: Column) -> str:
    parts = [column.name, _SQL_TYPES[column.type]]
    if not column.optional:
        parts.append("NOT NULL")
    if column.name == "id" and table.parent_field is None:
        parts.append("PRIMARY KEY")
    rule = column.rule
    if column.categories:
        parts.append(_in(column.name, column.categories))
    if isinstance(rule, DateRule):
        parts.append(f"CHECK ({_date_check(column.name, rule)})")
    if isinstance(rule, Number) and math.isfinite(rule.minimum) and math.isfinite(rule.maximum):
        parts.append(f"CHECK ({column.name} BETWEEN {rule.minimum!r} AND {rule.maximum!r})")
    return " ".join(parts)


def _table_sql(table: Table) -> list[str]:
    lines = [_column_sql(table, column) for column in _stored(table)]
    lines += [
        f"{name} INTEGER GENERATED ALWAYS AS ({_date_part_sql(name, date)}) VIRTUAL"
        for name, (kind, date) in _derivations(table).items()
        if kind == "part"
    ]
    if table.parent_field is not None:
        lines.append("PRIMARY KEY (record_id, position)")
        owners = _owners(table)
        if len(owners) == 1:  # a list only one kind of record holds: its record_id is a key
            lines.append(f"FOREIGN KEY (record_id) REFERENCES {owners[0].name}(id) ON DELETE CASCADE")
    lines += [f"FOREIGN KEY ({column.name}) REFERENCES {target}(id)" for column, target in _references(table)]
    statements = [f"CREATE TABLE {table.name} (\n  " + ",\n  ".join(lines) + "\n)"]
    for column in _lists(table):
        assert isinstance(column.rule, ListOf)
        assert column.field is not None
        item = _item_column(column)
        item_rule = column.rule.item
        check = f" {_in(item, item_rule.values)}" if isinstance(item_rule, Choice) else ""
        target = column.field.refers_to
        lines = [
            f"{_owner_column(table)} TEXT NOT NULL REFERENCES {table.name}(id) ON DELETE CASCADE",
            "position INTEGER NOT NULL",
            f"{item} TEXT NOT NULL{check}" + (f" REFERENCES {target}(id)" if target is not None else ""),
            f"PRIMARY KEY ({_owner_column(table)}, position)",
        ]
        statements.append(f"CREATE TABLE {table.name}_{column.name} (\n  " + ",\n  ".join(lines) + "\n)")
    return statements


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


def _view_sql(table: Table) -> str:
    """``<table>_named``: the CSV's columns with places' names joined in, then the columns of the
    records it refers to that name places, and the names of the places it refers to plainly."""
    derivations = _derivations(table)
    named = _place_names(table)
    selected: list[str] = []
    joins: list[str] = []
    trailing: list[str] = []
    references = {column.name: target for column, target in _references(table)}
    for column in table.columns:
        if column.derived:
            kind, source = derivations[column.name]
            reference, _, attribute = source.partition(".")
            selected.append(
                f"t.{column.name}" if kind == "part" else f"p_{reference}.{attribute} AS {column.name}"
            )
        elif column.type == "list":
            item, owner = _item_column(column), _owner_column(table)
            selected.append(
                f"(SELECT json_group_array({item}) FROM (SELECT {item} FROM {table.name}_{column.name} "
                f"WHERE {owner} = t.id ORDER BY position)) AS {column.name}"
            )
        else:
            selected.append(f"t.{column.name}")
        target = references.get(column.name)
        if target is None:
            continue
        if target == "places":
            joins.append(f"LEFT JOIN places AS p_{column.name} ON p_{column.name}.id = t.{column.name}")
            if column.name not in named:
                trailing += [f"p_{column.name}.{a} AS {column.name}_{a}" for a in _NAME_ATTRIBUTES]
        elif target != table.name and _has_view(TABLES[target]):
            alias = f"v_{column.name}"
            joins.append(f"LEFT JOIN {target}_named AS {alias} ON {alias}.id = t.{column.name}")
            other = TABLES[target]
            shown = {c.name for c, t in _references(other) if t == "places"}
            shown |= {name for pairs in _place_names(other).values() for name, _ in pairs}
            selected += [f"{alias}.{c.name}" for c in other.columns if c.name in shown]
    return (
        f"CREATE VIEW {table.name}_named AS SELECT "
        + ", ".join([*selected, *trailing])
        + f" FROM {table.name} AS t "
        + " ".join(joins)
    )


#: What each view holds, for Datasette and people.
VIEWS: Final = {
    f"{table.name}_named": f"{table.name} with the names of the places they refer to "
    f"({', '.join(column.name for column, _ in _references(table))})"
    for table in _SECTION_TABLES
    if _has_view(table)
}


def sqlite_schema() -> str:
    """The SQL that creates every table, view, full-text index and trigger.

    >>> "CREATE VIEW twinnings_named" in sqlite_schema()
    True
    """
    statements = ["CREATE TABLE dataset_info (key TEXT PRIMARY KEY, value)"]
    for table in TABLES.values():
        statements += _table_sql(table)
        if table.parent_field is None and _searched(table):
            statements += _fts(table.name, _searched(table))
    statements += [_view_sql(table) for table in _SECTION_TABLES if _has_view(table)]
    return ";\n\n".join(statements) + ";\n"


# --- writing -----------------------------------------------------------------------------


def _insert(db: sqlite3.Connection, table: str, columns: list[str], rows: Iterable[Sequence[Any]]) -> None:
    marks = ", ".join("?" for _ in columns)
    db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def _fill(db: sqlite3.Connection, dataset: Dataset) -> None:
    from ..cite import citation_metadata
    from ..serialize import converter

    info = {**header_of(dataset), "citation": json.dumps(citation_metadata(dataset), ensure_ascii=False)}
    _insert(db, "dataset_info", ["key", "value"], info.items())
    raw = {
        section.name: [converter.unstructure(r) for r in getattr(dataset, section.name)]
        for section in SECTIONS
    }
    everything = [record for records in raw.values() for record in records]
    for table in TABLES.values():  # sections first (places before the records naming them)
        if table.parent_field is None:
            records = raw[table.name]
            rows = format_rows(table, records, {})  # derived columns are SQL's own: no places needed
        else:
            records, rows = [], format_rows(table, child_rows(table, everything), {})
        positions = [table.columns.index(column) for column in _stored(table)]
        _insert(
            db, table.name, [c.name for c in _stored(table)], ([row[i] for i in positions] for row in rows)
        )
        for column in _lists(table):
            _insert(
                db,
                f"{table.name}_{column.name}",
                [_owner_column(table), "position", _item_column(column)],
                (
                    (record["id"], position, item)
                    for record in records
                    for position, item in enumerate(record[column.path[0]])
                ),
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
    """A table's description: its record type's, from the format."""
    doc = record_spec(table.record_type).doc
    if table.parent_field is None:
        return doc
    return f"{doc} (one row per entry of a record's {table.parent_field}, in order)"


def datasette_metadata(dataset: Dataset, database: str = "sinoperu") -> dict[str, Any]:
    """Datasette's metadata: licence, sources, citation, and what each table and column holds.

    >>> import sinoperu
    >>> tables = datasette_metadata(sinoperu.load())["databases"]["sinoperu"]["tables"]
    >>> list(tables["places_aliases"]["columns"])
    ['place_id', 'alias']
    """
    from ..cite import citation_metadata

    citation = citation_metadata(dataset)
    tables: dict[str, Any] = {}
    for table in TABLES.values():
        generated = [c for c in table.columns if _derivations(table).get(c.name, ("",))[0] == "part"]
        entry: dict[str, Any] = {
            "description": _description(table),
            "columns": {c.name: c.description for c in (*_stored(table), *generated)},
        }
        if table.parent_field is None and _searched(table):
            entry["fts_table"] = f"{table.name}_fts"
            entry["fts_pk"] = "rowid"
        tables[table.name] = entry
        for column in _lists(table):
            tables[f"{table.name}_{column.name}"] = {
                "description": f"the items of {table.name}.{column.name}, one row each, in order",
                "columns": {
                    _owner_column(table): f"id of the {_singular(table.name)}",
                    _item_column(column): column.description,
                },
            }
    for view, description in VIEWS.items():
        tables[view] = {"description": description}
    tables["dataset_info"] = {
        "description": "the file header (format, data version, as-of date) and the citation"
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


def _raw_record(table: Table, row: Sequence[Any]) -> dict[str, Any]:
    """A record's JSON form from its stored columns; a nested record whose columns are all empty is
    null (as in :mod:`sinoperu.csvloader`)."""
    raw: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    fields = _stored(table)[len(_keys(table)) :]
    for column, value in zip(fields, row, strict=True):
        if len(column.path) == 2:
            nested.setdefault(column.path[0], {})[column.path[1]] = value
        else:
            raw[column.path[0]] = value
    for name, values in nested.items():
        raw[name] = None if all(value is None for value in values.values()) else values
    return raw


def _children(db: sqlite3.Connection, file: str) -> dict[str, dict[str, list[Any]]]:
    """For each child table's list field: the JSON records it holds for each record id, in order."""
    found: dict[str, dict[str, list[Any]]] = {}
    for table in _CHILD_TABLES:
        assert table.parent_field is not None
        names = [column.name for column in _stored(table)]
        by_record: dict[str, list[tuple[int, Any]]] = {}
        query = f"SELECT {', '.join(names)} FROM {table.name} ORDER BY record_id, position"
        for record_id, position, *row in _select(db, query, file):
            by_record.setdefault(record_id, []).append((position, _raw_record(table, row)))
        ordered: dict[str, list[Any]] = {}
        for record_id, entries in by_record.items():
            if [position for position, _ in entries] != list(range(len(entries))):
                raise DatasetError(
                    f"the positions of its {table.parent_field} are not 0, 1, 2...",
                    file=file,
                    record=f"{record_id!r} in table {table.name}",
                    field="position",
                )
            ordered[record_id] = [raw for _, raw in entries]
        found[table.parent_field] = ordered
    return found


def _section(db: sqlite3.Connection, table: Table, file: str) -> list[dict[str, Any]]:
    """The JSON forms of a section's records: stored columns and list tables (no child records)."""
    names = [column.name for column in _stored(table)]
    raws = [
        _raw_record(table, row)
        for row in _select(db, f"SELECT {', '.join(names)} FROM {table.name} ORDER BY rowid", file)
    ]
    for column in _lists(table):
        owner, item = _owner_column(table), _item_column(column)
        found: dict[str, list[Any]] = {}
        query = f"SELECT {owner}, {item} FROM {table.name}_{column.name} ORDER BY {owner}, position"
        for record_id, value in _select(db, query, file):
            found.setdefault(record_id, []).append(value)
        for raw in raws:
            raw[column.path[0]] = found.get(raw["id"], [])
    return raws


def read_sqlite(path: str | os.PathLike[str]) -> Dataset:
    """Read a database written by :func:`write_sqlite` back into the same Dataset.

    The header and every record go through the decoder of a dataset file: a missing table or
    column, or a bad value, raises :class:`~sinoperu.DatasetError` naming the file, the table
    and the record.
    """
    from ..decode import read_header
    from ..serialize import structure_records

    target = Path(path)
    file = str(target)
    db = _connect(target)
    try:
        info = dict(_select(db, "SELECT key, value FROM dataset_info", file))
        version, as_of = read_header({f.name: info[f.name] for f in HEADER if f.name in info}, file=file)
        children = _children(db, file)
        sections: dict[str, list[Any]] = {}
        claimed: dict[str, set[str]] = {field: set() for field in children}
        for section, table in zip(SECTIONS, _SECTION_TABLES, strict=True):
            raws = _section(db, table, file)
            for field, by_record in children.items():
                if field in section.spec.keys:
                    for raw in raws:
                        raw[field] = by_record.get(raw["id"], [])
                        claimed[field].add(raw["id"])
            sections[section.name] = structure_records(
                raws, table.record_type, section=section.name, file=file, label=_row_label(table.name)
            )
    finally:
        db.close()
    for child in _CHILD_TABLES:
        assert child.parent_field is not None
        orphans = sorted(set(children[child.parent_field]) - claimed[child.parent_field])
        if orphans:
            raise DatasetError(
                f"rows for unknown record(s) {orphans[:5]}", file=file, record=f"table {child.name}"
            )
    try:
        return Dataset(version=version, as_of=as_of, **sections)
    except (DatasetError, ValueError) as error:
        reason = getattr(error, "reason", str(error))
        raise DatasetError(reason, file=file, record=getattr(error, "record", None)) from None
