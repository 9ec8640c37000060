"""Checks that hold across a whole collection of records, not within one record.

Each record validates its own fields when it is made (:mod:`sinoperu.models`); what only the
collection can tell is checked here, once, when a :class:`~sinoperu.Dataset` is made:

* every id is unique across places and records;
* every reference resolves to a place (or, for an exchange's ``twinning``, to a twinning);
* a place whose parent is a country lies in that country;
* a twinning's Peruvian party is in PE and its Chinese party in CN;
* no place is its own ancestor.

Every check is linear in the number of places and records (the cycle check walks each place
up to the first place already known to reach a root, so a chain of 10^5 places costs 10^5
steps). A failure raises a :class:`~sinoperu.DatasetError` naming the record and the field.

>>> from sinoperu import Place, PlaceKind, Source
>>> src = Source(url="https://example.org", title="t", publisher="p", language="en")
>>> a = Place(id="a", kind=PlaceKind.REGION, country="PE", name="A", parent="b", sources=(src,))
>>> b = Place(id="b", kind=PlaceKind.REGION, country="PE", name="B", parent="a", sources=(src,))
>>> check((a, b), (), (), ())
Traceback (most recent call last):
...
sinoperu.errors.DatasetError: record 'a': field 'parent': places form a cycle: a -> b -> a
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .enums import PlaceKind
from .errors import DatasetError
from .models import Exchange, Milestone, NationalTotal, Place, Record, Twinning

__all__ = ["check", "check_no_cycles"]


def check(
    places: Sequence[Place],
    twinnings: Sequence[Twinning],
    milestones: Sequence[Milestone],
    exchanges: Sequence[Exchange],
    totals: Sequence[NationalTotal] = (),
) -> dict[str, Place | Record | NationalTotal]:
    """Check the collection as a whole; returns every place and record by id."""
    by_id: dict[str, Place | Record | NationalTotal] = {}
    sections: tuple[tuple[str, Sequence[Place | Record | NationalTotal]], ...] = (
        ("places", places),
        ("twinnings", twinnings),
        ("milestones", milestones),
        ("exchanges", exchanges),
        ("totals", totals),
    )
    for label, items in sections:
        for item in items:
            other = by_id.get(item.id)
            if other is not None:  # the same record listed twice is a duplicate too
                raise DatasetError(
                    f"duplicate id (a {type(other).__name__.lower()} has it too)",
                    record=f"{item.id!r} in {label}",
                    field="id",
                )
            by_id[item.id] = item

    def need(ref: str | None, record: str, field: str, cls: type = Place) -> Any:
        if ref is None:
            return None
        target = by_id.get(ref)
        if not isinstance(target, cls):
            what = "a place" if cls is Place else f"a {cls.__name__.lower()}"
            raise DatasetError(f"{ref!r} is not {what} of this dataset", record=repr(record), field=field)
        return target

    for place in places:
        parent = need(place.parent, place.id, "parent")
        if parent is not None and parent.kind is PlaceKind.COUNTRY and parent.country != place.country:
            raise DatasetError(
                f"lies in country {place.country} but its parent is {parent.id!r}",
                record=repr(place.id),
                field="parent",
            )
    check_no_cycles(places, by_id)
    for twinning in twinnings:
        for field, country in (("peruvian_party", "PE"), ("chinese_party", "CN")):
            party = need(getattr(twinning, field), twinning.id, field)
            if party.country != country:
                raise DatasetError(
                    f"{party.id!r} is in {party.country}, not {country}",
                    record=repr(twinning.id),
                    field=field,
                )
    for milestone in milestones:
        for position, ref in enumerate(milestone.places):
            need(ref, milestone.id, f"places[{position}]")
    for exchange in exchanges:
        need(exchange.twinning, exchange.id, "twinning", Twinning)
        need(exchange.origin, exchange.id, "origin")
        need(exchange.destination, exchange.id, "destination")
    return by_id


def check_no_cycles(places: Sequence[Place], by_id: Mapping[str, object]) -> None:
    """Refuse a place that is its own ancestor; each place is walked over once.

    The walk from a place stops at a root or at a place already settled (known to reach a
    root), and the path walked is kept in a dict, so finding a place on it is one lookup.
    """
    settled: set[str] = set()
    for place in places:
        path: dict[str, None] = {}
        current: Place | None = place
        while current is not None and current.id not in settled:
            if current.id in path:
                ids = list(path)
                cycle = " -> ".join([*ids[ids.index(current.id) :], current.id])
                raise DatasetError(f"places form a cycle: {cycle}", record=repr(current.id), field="parent")
            path[current.id] = None
            parent = by_id.get(current.parent) if current.parent is not None else None
            current = parent if isinstance(parent, Place) else None
        settled.update(path)
