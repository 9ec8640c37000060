"""The tabular view of the records: one column list per record type, shared by every flat format.

CSV, pandas, polars and the Frictionless descriptor all read the same :data:`TABLES`, so a
column means the same thing everywhere. Columns marked ``derived`` repeat what other
columns or the places already say (a party's names, the year of a date); they help a
spreadsheet user and are ignored when a table is read back.

>>> [column.name for column in TABLES["exchanges"].columns][:4]
['id', 'twinning', 'kind', 'evidence']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

from attrs import frozen

from ..dataset import Dataset
from ..dates import PartialDate
from ..models import Exchange, Milestone, Place, Record, Source, Twinning

__all__ = ["LIST_SEPARATOR", "SUMMARY", "TABLES", "Column", "Table", "join_list", "split_list", "table_for"]

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


@frozen
class Column:
    """One column: its name, its type, how to read it off a record, and what it means.

    ``type`` is one of ``string``, ``category`` (an enum value), ``date`` (EDTF text: a
    partial or qualified date, or an interval), ``integer``, ``number``, ``list`` (joined with ``|``).
    """

    name: str
    type: str
    get: Callable[[Any, Mapping[str, Place]], Any]
    description: str
    derived: bool = False
    optional: bool = False


@frozen
class Table:
    """The columns of one record type, and the file it is written to."""

    name: str
    record_type: type[Any]
    columns: tuple[Column, ...]

    @property
    def stored(self) -> tuple[Column, ...]:
        """The columns read back (not derived)."""
        return tuple(column for column in self.columns if not column.derived)


def _field(name: str, type_: str, description: str, *, optional: bool = False) -> Column:
    def get(record: Any, _: Mapping[str, Place]) -> Any:
        value = getattr(record, name)
        return getattr(value, "value", value)

    return Column(name, type_, get, description, optional=optional)


def _date_parts(prefix: str = "date") -> tuple[Column, ...]:
    def part(attribute: str) -> Callable[[Any, Mapping[str, Place]], int | None]:
        def get(record: Any, _: Mapping[str, Place]) -> int | None:
            date = getattr(record, prefix)
            # An interval has no one year, month or day: left empty (its text is in the date column).
            return getattr(date, attribute) if isinstance(date, PartialDate) else None

        return get

    return (
        Column(
            prefix,
            "date",
            lambda r, _: getattr(r, prefix),
            "EDTF date, precision as the sources give it: 2018, 2018-07, 2019-05?, 2007/2010, ../2021-04",
            optional=True,
        ),
        Column(
            "year",
            "integer",
            part("year"),
            "year of the date, empty for an interval (derived)",
            derived=True,
            optional=True,
        ),
        Column(
            "month",
            "integer",
            part("month"),
            "month of the date, empty if unknown (derived)",
            derived=True,
            optional=True,
        ),
        Column(
            "day",
            "integer",
            part("day"),
            "day of the date, empty if unknown (derived)",
            derived=True,
            optional=True,
        ),
    )


def _party_names(side: str) -> tuple[Column, ...]:
    def name(attribute: str) -> Callable[[Any, Mapping[str, Place]], str | None]:
        def get(record: Any, places: Mapping[str, Place]) -> str | None:
            place = places.get(getattr(record, f"{side}_party"))
            return None if place is None else getattr(place, attribute)

        return get

    return (
        Column(
            f"{side}_name",
            "string",
            name("name"),
            f"the {side} party's name (derived)",
            derived=True,
            optional=True,
        ),
        Column(
            f"{side}_name_zh",
            "string",
            name("name_zh"),
            f"the {side} party's Chinese name (derived)",
            derived=True,
            optional=True,
        ),
        Column(
            f"{side}_pinyin",
            "string",
            name("pinyin"),
            f"the {side} party's pinyin (derived)",
            derived=True,
            optional=True,
        ),
    )


def _coordinate(axis: str) -> Column:
    def get(place: Place, _: Mapping[str, Place]) -> float | None:
        return None if place.coordinates is None else getattr(place.coordinates, axis)

    return Column(axis, "number", get, f"WGS84 {'latitude' if axis == 'lat' else 'longitude'}", optional=True)


TABLES: Final[dict[str, Table]] = {
    "places": Table(
        "places",
        Place,
        (
            _field("id", "string", "stable id"),
            _field("kind", "category", "administrative kind"),
            _field("country", "category", "ISO 3166-1 alpha-2 code"),
            _field("name", "string", "name in Spanish (Peru) or English (China)"),
            _field("name_zh", "string", "name in simplified Chinese", optional=True),
            _field("pinyin", "string", "pinyin with tone marks", optional=True),
            _field("aliases", "list", "other spellings, joined with |"),
            _field("parent", "string", "id of the place it lies in", optional=True),
            _field("iso_code", "string", "ISO 3166-2 code (first-level divisions)", optional=True),
            _coordinate("lat"),
            _coordinate("lon"),
            _field("notes", "string", "disagreements between sources"),
        ),
    ),
    "twinnings": Table(
        "twinnings",
        Twinning,
        (
            _field("id", "string", "stable id"),
            _field("peruvian_party", "string", "id of the Peruvian place"),
            *_party_names("peruvian"),
            _field("chinese_party", "string", "id of the Chinese place"),
            *_party_names("chinese"),
            _field("kind", "category", "legal form of the relation"),
            _field("status", "category", "in force, draft, intent, ended or unknown"),
            _field("evidence", "category", "confirmed (official source) or reported"),
            *_date_parts(),
            _field("areas", "list", "fields of cooperation, joined with |"),
            _field("summary", "string", "what the sources say, in our words"),
            _field("notes", "string", "what is unconfirmed, and disagreements between sources"),
        ),
    ),
    "milestones": Table(
        "milestones",
        Milestone,
        (
            _field("id", "string", "stable id"),
            _field("level", "category", "bloc or meso"),
            _field("kind", "category", "kind of event"),
            *_date_parts(),
            Column(
                "end_date", "date", lambda r, _: r.end_date, "last day of a multi-day event", optional=True
            ),
            _field("title", "string", "short title, in our words"),
            _field("parties", "list", "parties, joined with |"),
            _field("venue", "string", "where it took place", optional=True),
            _field("places", "list", "ids of the Peruvian or Chinese places involved, joined with |"),
            _field("summary", "string", "what happened, in our words"),
            _field("notes", "string", "disagreements between sources"),
        ),
    ),
    "exchanges": Table(
        "exchanges",
        Exchange,
        (
            _field("id", "string", "stable id"),
            _field("twinning", "string", "id of the twinning it was done under"),
            _field("kind", "category", "donation, scholarship, visit..."),
            _field("evidence", "category", "confirmed (official source) or reported"),
            *_date_parts(),
            _field("origin", "string", "id of the giving or sending place", optional=True),
            _field("destination", "string", "id of the receiving or hosting place", optional=True),
            _field("title", "string", "short title, in our words"),
            _field("summary", "string", "what was done, in our words"),
        ),
    ),
    "sources": Table(
        "sources",
        Source,
        (
            Column("record_id", "string", lambda pair, _: pair[0], "id of the place or record it supports"),
            Column(
                "position", "integer", lambda pair, _: pair[1], "order among the record's sources, from 0"
            ),
            Column("url", "string", lambda pair, _: pair[2].url, "address of the page"),
            Column("title", "string", lambda pair, _: pair[2].title, "title of the page"),
            Column("publisher", "string", lambda pair, _: pair[2].publisher, "who published it"),
            Column("language", "string", lambda pair, _: pair[2].language, "language code"),
            Column("published", "date", lambda pair, _: pair[2].published, "publication date", optional=True),
        ),
    ),
}

_SUMMARY_TYPE = {Twinning: "twinning", Milestone: "milestone", Exchange: "exchange"}


def _summary_places(record: Record, places: Mapping[str, Place]) -> list[str]:
    return [places[ref].name if ref in places else ref for ref in record.places]


#: A mixed list of records (a query result) as one readable table; not read back.
SUMMARY: Final = Table(
    "records",
    object,
    (
        Column("id", "string", lambda r, _: r.id, "record id"),
        Column("type", "category", lambda r, _: _SUMMARY_TYPE[type(r)], "twinning, milestone or exchange"),
        Column("level", "category", lambda r, _: r.level.value, "bloc, meso or micro"),
        Column("kind", "category", lambda r, _: r.kind.value, "kind"),
        Column("date", "date", lambda r, _: r.date, "ISO date", optional=True),
        Column(
            "title",
            "string",
            lambda r, p: r.title if not isinstance(r, Twinning) else " – ".join(_summary_places(r, p)),
            "title, or the two parties of a twinning",
        ),
        Column("places", "list", lambda r, p: _summary_places(r, p), "places involved"),
        Column(
            "evidence",
            "category",
            lambda r, _: getattr(r, "evidence", None),
            "evidence grade (twinnings and exchanges)",
            optional=True,
        ),
        Column("source", "string", lambda r, _: r.sources[0].url, "first source"),
    ),
)


def table_for(records: Iterable[Any]) -> Table:
    """The table that fits these records: their type's own, or the summary for a mixture."""
    types = {type(record) for record in records}
    for table in TABLES.values():
        if types == {table.record_type}:
            return table
    return SUMMARY


def rows(table: Table, records: Iterable[Any], places: Mapping[str, Place]) -> list[list[Any]]:
    """The table's cells for each record, as Python values (enums as their text)."""
    result = []
    for record in records:
        row = []
        for column in table.columns:
            value = column.get(record, places)
            row.append(getattr(value, "value", value))
        result.append(row)
    return result


def source_rows(items: Iterable[Place | Record]) -> list[tuple[str, int, Source]]:
    """One (record id, position, source) triple per source of each item."""
    return [(item.id, n, source) for item in items for n, source in enumerate(item.sources)]


def places_of(data: Dataset | None) -> Mapping[str, Place]:
    """Places by id, from the given dataset or the bundled one."""
    from ..loader import load

    return {place.id: place for place in (data or load()).places}
