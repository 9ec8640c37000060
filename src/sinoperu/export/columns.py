"""The tabular view of the records, derived from :mod:`sinoperu.format`, and the CSV cell codec.

One :class:`Table` per section, plus one per list of nested records (``sources``,
``subnational``), which become child tables keyed by ``record_id`` and ``position``. Each stored
column is a field of the format (a nested record such as ``coordinates`` is spread over its own
fields' columns, ``lat`` and ``lon``); CSV, pandas, polars and the Frictionless descriptor all read
these tables, so a column means the same thing everywhere. Columns marked ``derived`` repeat what
other columns or the places already say (a party's names, the year of a date); they help a
spreadsheet user and are ignored when a table is read back.

Cells are converted to and from the *JSON* form of a record (what :func:`sinoperu.to_json`
writes), so the CSV path ends in the same decoder and the same located errors as a dataset file.

>>> [column.name for column in TABLES["exchanges"].columns][:4]
['id', 'twinning', 'kind', 'evidence']
>>> encode_cell(TABLES["places"].column("aliases"), ["Cuzco", "a|b"])
'Cuzco|a\\\\|b'
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from attrs import frozen

from ..dataset import Dataset
from ..dates import PartialDate
from ..enums import Evidence, Level
from ..fields import Choice, DateRule, ListOf, Nested, Number, Rule, Text
from ..format import SECTIONS, FieldSpec, record_spec
from ..models import Place, Record
from .spreadsheet import quote_cell, unquote_cell

__all__ = [
    "LIST_SEPARATOR",
    "SUMMARY",
    "TABLES",
    "TEXT_TYPES",
    "CellError",
    "Column",
    "Table",
    "child_rows",
    "decode_cell",
    "encode_cell",
    "format_rows",
    "join_list",
    "places_for",
    "places_of",
    "split_list",
    "summary_rows",
]

#: Lists in a single cell are joined with this separator; a literal "|" or "\" in an item is
#: escaped with a backslash, so a cell always splits back into the same items.
LIST_SEPARATOR: Final = "|"


def join_list(items: Iterable[str]) -> str:
    """``["a", "b|c"]`` -> ``'a|b\\\\|c'``: join, escaping the separator and backslashes."""
    return LIST_SEPARATOR.join(item.replace("\\", "\\\\").replace("|", "\\|") for item in items)


def split_list(cell: str) -> list[str]:
    """The inverse of :func:`join_list`; an empty cell is an empty list.

    >>> split_list(join_list(["Cuzco", "a|b", "back\\\\slash"])) == ["Cuzco", "a|b", "back\\\\slash"]
    True
    """
    if cell == "":
        return []
    items, current, chars = [], [], iter(cell)
    for char in chars:
        if char == "\\":
            current.append(next(chars, ""))
        elif char == LIST_SEPARATOR:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    return items


class CellError(ValueError):
    """A value has no CSV cell (or a cell no value): the message says why."""


def column_type(rule: Rule) -> str:
    """``string``, ``category``, ``date``, ``integer``, ``number`` or ``list``, from a field's rule."""
    if isinstance(rule, Choice):
        return "category"
    if isinstance(rule, DateRule):
        return "date"
    if isinstance(rule, Number):
        return "integer" if rule.integer else "number"
    if isinstance(rule, ListOf):
        return "list"
    return "string"


@frozen
class Column:
    """One column: its name, its type, its field (when stored), how to read it, what it means.

    ``path`` is where the column's value sits in a record's JSON form (``("coordinates", "lat")``);
    derived columns have none and compute their value with ``derive`` instead.
    """

    name: str
    type: str
    description: str
    field: FieldSpec | None = None
    path: tuple[str, ...] = ()
    derive: Callable[[Any, Mapping[str, Place]], Any] | None = None
    optional: bool = False
    uses_places: bool = False  # a derived column that reads the dataset's places
    vocabulary: tuple[str, ...] | None = None  # a derived category column's values

    @property
    def categories(self) -> tuple[str, ...] | None:
        """Every value a category column may hold (its field's vocabulary, or its own)."""
        rule = self.rule
        return rule.values if isinstance(rule, Choice) else self.vocabulary

    @property
    def derived(self) -> bool:
        return self.field is None

    @property
    def rule(self) -> Rule | None:
        return None if self.field is None else self.field.rule


@frozen
class Table:
    """The columns of one record type, and the file it is written to.

    ``parent_field`` names the list field a child table spreads out (``sources``); its rows carry
    ``record_id`` and ``position`` before the record's own columns.
    """

    name: str
    record_type: type[Any]
    columns: tuple[Column, ...]
    parent_field: str | None = None

    @property
    def uses_places(self) -> bool:
        """True when a derived column needs the dataset's places (a party's name)."""
        return any(column.uses_places for column in self.columns)

    @property
    def stored(self) -> tuple[Column, ...]:
        """The columns read back (not derived)."""
        return tuple(column for column in self.columns if not column.derived)

    def column(self, name: str) -> Column:
        """The column called ``name``; KeyError if there is none."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


# --- the cell codec: a JSON value <-> one CSV cell ---------------------------------------

# Numbers in a cell are written by the library and read back exactly as JSON writes them: ASCII
# digits only, no underscores, spaces, "inf" or "nan" (which Python's int() and float() accept).
_INTEGER = re.compile(r"-?(?:0|[1-9][0-9]{0,17})")  # no count the format holds needs more digits
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


#: Column types whose cells are text a spreadsheet could take for a formula (see
#: :mod:`sinoperu.export.spreadsheet`); numbers are never quoted.
TEXT_TYPES: Final = frozenset({"string", "category", "date", "list"})


def encode_cell(column: Column, value: Any, *, spreadsheet: bool = False) -> str:
    """The cell for a JSON value of ``column``; CellError when a cell cannot hold it exactly.

    ``spreadsheet=True`` quotes text that a spreadsheet would run as a formula.
    """
    cell = _encode(column, value)
    return quote_cell(cell) if spreadsheet and column.type in TEXT_TYPES else cell


def _encode(column: Column, value: Any) -> str:
    rule = column.rule
    if value is None:
        return ""
    kind = column.type
    if kind == "list":
        if type(value) is not list or any(type(item) is not str for item in value):
            raise CellError(f"expected a list of text, got {value!r:.60}")
        if value == [""] or (rule is not None and any(item == "" for item in value)):
            raise CellError("an empty item has no cell of its own")
        return join_list(value)
    if kind in ("integer", "number"):
        if type(value) is bool or type(value) not in (int, float) or not math.isfinite(value):
            raise CellError(f"expected a number, got {value!r:.60}")
        if kind == "integer":
            if type(value) is float and value.is_integer():  # one JSON number: 2024.0 is 2024
                value = int(value)
            if type(value) is not int:
                raise CellError(f"expected a whole number, got {value!r:.60}")
        return repr(value) if type(value) is float else str(value)
    if type(value) is not str:
        raise CellError(f"expected text, got {value!r:.60}")
    if value == "" and column.field is not None and column.field.optional:
        raise CellError("an empty text and a null are one empty cell")
    return value


def decode_cell(column: Column, cell: str, *, spreadsheet: bool = False) -> Any:
    """The JSON value of a cell of ``column`` (the inverse of :func:`encode_cell`)."""
    kind = column.type
    if spreadsheet and kind in TEXT_TYPES:
        cell = unquote_cell(cell)
    if kind == "list":
        return split_list(cell)
    if cell == "":
        field = column.field
        if field is None or field.optional:
            return None
        if isinstance(field.rule, Text):
            return ""
        return None
    if kind == "integer":
        if not _INTEGER.fullmatch(cell):
            raise CellError(f"{cell[:60]!r} is not a whole number")
        return int(cell)
    if kind == "number":
        if not _NUMBER.fullmatch(cell):
            raise CellError(f"{cell[:60]!r} is not a finite number written with ASCII digits")
        value = float(cell)
        if not math.isfinite(value):
            raise CellError(f"{cell[:60]!r} is not a finite number written with ASCII digits")
        return int(cell) if _INTEGER.fullmatch(cell) else value
    return cell


# --- tables, derived from the format ----------------------------------------------------


def _stored(field: FieldSpec, prefix: tuple[str, ...] = ()) -> list[Column]:
    """The columns of one field: a nested record is spread over its own fields."""
    if isinstance(field.rule, Nested):
        columns = []
        for inner in record_spec(field.rule.cls).fields:
            for column in _stored(inner, (*prefix, field.name)):
                columns.append(
                    Column(
                        column.name,
                        column.type,
                        f"{column.description} (of {field.name})",
                        column.field,
                        column.path,
                        optional=column.optional or field.optional,
                    )
                )
        return columns
    return [
        Column(
            field.csv,
            column_type(field.rule),
            field.meaning,
            field,
            (*prefix, field.name),
            optional=field.optional,
        )
    ]


def _date_parts(field: FieldSpec) -> list[Column]:
    def part(attribute: str) -> Callable[[Any, Mapping[str, Any]], int | None]:
        def get(raw: Any, _: Mapping[str, Any]) -> int | None:
            try:
                date = PartialDate.parse(raw.get(field.name))
            except (TypeError, ValueError):  # no date, or not one this column can split
                return None
            return getattr(date, attribute)  # type: ignore[no-any-return]

        return get

    return [
        Column("year", "integer", "year of the date (derived)", derive=part("year"), optional=True),
        Column(
            "month",
            "integer",
            "month of the date, empty if unknown (derived)",
            derive=part("month"),
            optional=True,
        ),
        Column(
            "day", "integer", "day of the date, empty if unknown (derived)", derive=part("day"), optional=True
        ),
    ]


def _party_names(side: str) -> list[Column]:
    def name(attribute: str) -> Callable[[Any, Mapping[str, Any]], str | None]:
        def get(raw: Any, places: Mapping[str, Any]) -> str | None:
            party = raw.get(f"{side}_party")
            place = places.get(party) if type(party) is str else None
            return None if place is None else place.get(attribute)

        return get

    return [
        Column(
            f"{side}_{attribute}",
            "string",
            f"the {side} party's {label} (derived)",
            derive=name(attribute),
            optional=True,
            uses_places=True,
        )
        for attribute, label in (("name", "name"), ("name_zh", "Chinese name"), ("pinyin", "pinyin"))
    ]


def _derived_after(field: FieldSpec) -> list[Column]:
    """Columns added after a stored field for spreadsheet users."""
    if field.name in ("peruvian_party", "chinese_party"):
        return _party_names(field.name.removesuffix("_party"))
    if field.name == "date" and isinstance(field.rule, DateRule) and not field.rule.plain:
        return _date_parts(field)
    return []


def _table(name: str, cls: type) -> tuple[Table, list[tuple[str, FieldSpec]]]:
    columns: list[Column] = []
    children = []
    for field in record_spec(cls).fields:
        if isinstance(field.rule, ListOf) and isinstance(field.rule.item, Nested):
            children.append((field.csv, field))
            continue
        columns += _stored(field)
        columns += _derived_after(field)
    return Table(name, cls, tuple(columns)), children


def _child(name: str, field: FieldSpec) -> Table:
    assert isinstance(field.rule, ListOf)
    assert isinstance(field.rule.item, Nested)
    keys = (
        Column("record_id", "string", "id of the place or record it belongs to"),
        Column("position", "integer", "order among the record's entries, from 0"),
    )
    inner = record_spec(field.rule.item.cls)
    columns = [column for inner_field in inner.fields for column in _stored(inner_field)]
    return Table(name, field.rule.item.cls, (*keys, *columns), parent_field=field.name)


def _tables() -> dict[str, Table]:
    tables: dict[str, Table] = {}
    children: dict[str, Table] = {}
    for section in SECTIONS:
        table, nested = _table(section.name, section.cls)
        tables[section.name] = table
        for child_name, field in nested:
            children.setdefault(child_name, _child(child_name, field))
    return {**tables, **children}


#: Every CSV table, sections first (in file order), then the child tables.
TABLES: Final[dict[str, Table]] = _tables()
_CHILD_FIELDS = {table.parent_field for table in TABLES.values() if table.parent_field}
_NESTED_COLUMNS: dict[str, list[Column]] = {}
_NESTED_REQUIRED: dict[str, frozenset[str]] = {}
for _table_ in TABLES.values():
    for _column in _table_.stored:
        if len(_column.path) == 2:
            _NESTED_COLUMNS.setdefault(_column.path[0], []).append(_column)
    for _field in record_spec(_table_.record_type).fields if _table_.record_type is not object else ():
        if _field.nested is not None and not isinstance(_field.rule, ListOf):
            _NESTED_REQUIRED[_field.name] = record_spec(_field.nested).required_keys

_SUMMARY_TYPE = {
    section.cls: record_spec(section.cls).tag for section in SECTIONS if hasattr(section.cls, "level")
}


def _summary_places(record: Record, places: Mapping[str, Place]) -> list[str]:
    return [places[ref].name if ref in places else ref for ref in record.places]


def _derived(
    name: str,
    type_: str,
    description: str,
    get: Callable[[Any, Mapping[str, Place]], Any],
    *,
    uses_places: bool = False,
    vocabulary: Iterable[Any] | None = None,
) -> Column:
    values = None if vocabulary is None else tuple(str(getattr(v, "value", v)) for v in vocabulary)
    return Column(
        name, type_, description, derive=get, optional=True, uses_places=uses_places, vocabulary=values
    )


#: A mixed list of records (a query result) as one readable table; not read back.
SUMMARY: Final = Table(
    "records",
    object,
    (
        _derived("id", "string", "record id", lambda r, _: r.id),
        _derived(
            "type",
            "category",
            "twinning, milestone or exchange",
            lambda r, _: _SUMMARY_TYPE[type(r)],
            vocabulary=_SUMMARY_TYPE.values(),
        ),
        _derived("level", "category", "bloc, meso or micro", lambda r, _: r.level.value, vocabulary=Level),
        _derived("kind", "category", "kind", lambda r, _: r.kind.value),
        _derived("date", "date", "ISO date", lambda r, _: r.date),
        _derived(
            "title",
            "string",
            "title, or the two parties of a twinning",
            lambda r, p: r.title if hasattr(r, "title") else " – ".join(_summary_places(r, p)),
            uses_places=True,
        ),
        _derived("places", "list", "places involved", lambda r, p: _summary_places(r, p), uses_places=True),
        _derived(
            "evidence",
            "category",
            "evidence grade (twinnings and exchanges)",
            lambda r, _: getattr(r, "evidence", None),
            vocabulary=Evidence,
        ),
        _derived("source", "string", "first source", lambda r, _: r.sources[0].url),
    ),
)


def table_for(records: Iterable[Any]) -> Table:
    """The table that fits these records: their type's own, or the summary for a mixture."""
    types = {type(record) for record in records}
    for table in TABLES.values():
        if table.parent_field is None and types == {table.record_type}:
            return table
    return SUMMARY


def format_rows(table: Table, raw_records: Iterable[Any], places: Mapping[str, Any]) -> list[list[Any]]:
    """Each record's row as JSON values, from the record's JSON form (what a dataset file holds).

    Stored columns read their value at their path (an absent key is an empty cell); derived columns
    compute theirs from the record and the places' JSON forms by id. A key the table has no column
    for raises CellError: a CSV file could not hold it. Child tables take ``(record_id, position,
    nested JSON object)`` triples (see :func:`child_rows`).
    """
    known = {column.path[0] for column in table.stored if column.path}
    result = []
    for item in raw_records:
        if table.parent_field is not None:
            record_id, position, raw = item
            row: list[Any] = [record_id, position]
            columns = table.columns[2:]
        else:
            raw, row, columns = item, [], table.columns
        if type(raw) is not dict:
            raise CellError(f"expected a JSON object, got {raw!r:.60}")
        unknown = [key for key in raw if key not in known and key != table.parent_field]
        if table.parent_field is None:
            unknown = [key for key in unknown if key not in _CHILD_FIELDS]
        if unknown:
            raise CellError(f"no column for the field(s) {unknown}")
        for column in columns:
            row.append(
                column.derive(raw, places) if column.derive is not None else value_at(raw, column.path)
            )
        result.append(row)
    return result


def summary_rows(records: Iterable[Any], places: Mapping[str, Place]) -> list[list[Any]]:
    """The :data:`SUMMARY` table's cells for a mixed list of records, as JSON values."""
    result = []
    for record in records:
        row = []
        for column in SUMMARY.columns:
            assert column.derive is not None
            value = column.derive(record, places)
            value = getattr(value, "value", value)
            row.append(value.isoformat() if hasattr(value, "isoformat") else value)
        result.append(row)
    return result


def child_rows(table: Table, raw_records: Iterable[Any]) -> list[tuple[Any, int, Any]]:
    """The ``(record_id, position, nested JSON object)`` triples a child table holds."""
    field = table.parent_field
    assert field is not None
    triples = []
    for raw in raw_records:
        items = raw.get(field, []) if type(raw) is dict else []
        if type(items) is not list:
            raise CellError(f"{field}: expected a list, got {items!r:.60}")
        triples += [(raw.get("id"), position, nested) for position, nested in enumerate(items)]
    return triples


def value_at(raw: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """The value at ``path`` in a record's JSON form: None where a key is absent or a nested
    record is null; CellError where a nested value is no object with those keys."""
    value: Any = raw
    for depth, key in enumerate(path):
        if value is None:
            return None
        if type(value) is not dict:
            raise CellError(f"{path[depth - 1]}: expected a JSON object, got {value!r:.60}")
        if depth and not value.keys() <= {c.path[-1] for c in _NESTED_COLUMNS[path[0]]}:
            raise CellError(f"{path[0]}: no column for a field of {sorted(value)}")
        if depth and not _NESTED_REQUIRED[path[0]] <= value.keys():
            raise CellError(f"{path[0]}: an object without {sorted(_NESTED_REQUIRED[path[0]])} has no cells")
        value = value.get(key)
    return value


def places_of(data: Dataset) -> Mapping[str, Place]:
    """Places by id, from a dataset."""
    if not isinstance(data, Dataset):
        raise TypeError(f"dataset= takes a Dataset, not {type(data).__name__}")
    return {place.id: place for place in data.places}


def places_for(
    records: Iterable[Any], dataset: Dataset | None, *, caller: str, table: Table | None = None
) -> Mapping[str, Place]:
    """The places whose names ``records`` need (in ``table``, or anywhere), from their ``dataset``.

    Records carry only the ids of their places; the names are in the dataset they belong to,
    and nothing else is guessed. Records that name no place (places themselves, milestones
    and exchanges in their own tables) need no dataset. A missing ``dataset`` or one that does
    not hold a named place is a clear error, never an empty column.

    >>> import sinoperu
    >>> ds = sinoperu.load()
    >>> places_for(ds.twinnings, None, caller="csv_text", table=TABLES["twinnings"])
    Traceback (most recent call last):
    ...
    TypeError: csv_text needs dataset=...: ...
    >>> len(places_for(ds.twinnings, ds, caller="csv_text")) == len(ds.places)
    True
    """
    if table is not None and not table.uses_places:
        return {}
    records = tuple(records)
    if dataset is None:
        ids = sorted({ref for record in records for ref in getattr(record, "places", ())})
        if not ids:
            return {}
        shown = ", ".join(map(repr, ids[:3])) + (", ..." if len(ids) > 3 else "")
        raise TypeError(
            f"{caller} needs dataset=the Dataset these records come from: they name places "
            f"({shown}) by id, and the names are in that dataset; e.g. {caller}(records, dataset=ds)"
        )
    places = places_of(dataset)
    for record in records:
        for ref in getattr(record, "places", ()):
            if ref not in places:
                raise ValueError(
                    f"{caller}: record {record.id!r} names the place {ref!r}, which the dataset given as "
                    "dataset= does not hold; pass the Dataset the records come from"
                )
    return places
