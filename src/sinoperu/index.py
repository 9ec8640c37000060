"""The indices of a :class:`~sinoperu.Dataset`, built once, and the answers to its queries.

Every record has a *position*: its place in the chronological order of all records. The
indices hold sorted positions, never copies of the records:

* for each place, the positions of the records it is a party to;
* for each value of a record's type, level, kind, evidence and status, a one-byte *column*
  (the value's code at each position) and, made on first use, the positions that hold it;
* the year of each dated record, in position order (dated records come first, by date), so
  a range of years is a range of positions, found by bisection.

A query with several filters starts from the filter with the fewest positions and keeps
those that pass the others: a bisection for a range of years, one byte read per position for
a type, level, kind, evidence or status, a merge for a place. Its cost grows with the size
of the smallest filter, not with the dataset.

Answers are kept in a :class:`BoundedCache`, the one kind of cache the library has: names
resolved, ranges of years, places below a division and combined queries all go through one.

>>> from sinoperu import load
>>> index = Index.of(load())
>>> [index.records[n].id for n in index.involving("pe-anc-santa")]
['tw-chimbote-zhangzhou']
"""

from __future__ import annotations

import bisect
import math
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from itertools import compress
from operator import itemgetter
from typing import TYPE_CHECKING, Final, Generic, TypeVar

from .dates import PartialDate, anchor
from .enums import KIND_VALUES, Evidence, Level, PlaceKind, Status
from .models import Exchange, Milestone, Place, Record, Twinning, sort_key
from .results import Records

if TYPE_CHECKING:
    from .dataset import Dataset

__all__ = ["ABSENT", "CODES", "FACETS", "TYPES", "BoundedCache", "Index"]

K = TypeVar("K")
V = TypeVar("V")

#: Record types by the name a query gives them.
TYPES: Final[dict[str, type[Twinning] | type[Milestone] | type[Exchange]]] = {
    "twinning": Twinning,
    "milestone": Milestone,
    "exchange": Exchange,
}

#: The values each column can hold, in code order (a value's code is its position here).
FACETS: Final[dict[str, tuple[str, ...]]] = {
    "type": tuple(TYPES),
    "level": tuple(level.value for level in Level),
    "kind": tuple(sorted(KIND_VALUES)),
    "evidence": tuple(evidence.value for evidence in Evidence),
    "status": tuple(status.value for status in Status),
}

#: The code of a record that has no such attribute (a milestone has no evidence or status).
ABSENT: Final = 255

#: Answers (tuples of records or positions) one cache may hold, and references in all
#: beyond those of the records themselves (see :meth:`Index.__init__`).
MAX_ANSWERS: Final = 1024
SPARE_REFERENCES: Final = 65_536

CODES = {facet: {value: code for code, value in enumerate(values)} for facet, values in FACETS.items()}
_NO_POSITIONS: Final = array("I")
_TYPE_CODES = {cls: CODES["type"][name] for name, cls in TYPES.items()}


def _pick(records: tuple[Record, ...], positions: Sequence[int]) -> tuple[Record, ...]:
    """The records at ``positions`` (ascending), copied at C speed: a range of years is a slice,
    and any other list of positions one ``itemgetter`` call, never a Python loop per record."""
    if type(positions) is range and positions.step == 1:
        return records[positions.start : positions.stop]
    if len(positions) < 2:
        return tuple(records[n] for n in positions)
    return itemgetter(*positions)(records)  # type: ignore[no-any-return]


class BoundedCache(Generic[K, V]):
    """A thread-safe cache that forgets the least recently used entry beyond its bounds.

    ``maxsize`` bounds the entries; with ``weigh``, the weights of all entries together stay
    at most ``max_weight`` (an entry heavier than that is never kept).

    >>> cache: BoundedCache[str, tuple[int, ...]] = BoundedCache(2, weigh=len, max_weight=3)
    >>> cache.put("a", (1,)), cache.put("b", (2,)), cache.put("c", (3, 4))
    ((1,), (2,), (3, 4))
    >>> cache.get("a"), cache.get("b"), cache.get("c"), cache.weight
    (None, (2,), (3, 4), 3)
    >>> cache.put("d", (5, 6, 7, 8)), cache.get("d"), len(cache)
    ((5, 6, 7, 8), None, 2)
    """

    __slots__ = ("_data", "_lock", "_max_weight", "_maxsize", "_weigh", "_weight")

    def __init__(self, maxsize: int, *, weigh: Callable[[V], int] | None = None, max_weight: int = 0) -> None:
        if maxsize < 1 or (weigh is not None and max_weight < 1):
            raise ValueError("a bounded cache needs room for one entry at least")
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        self._maxsize = maxsize
        self._weigh = weigh
        self._max_weight = max_weight
        self._weight = 0

    def __len__(self) -> int:
        return len(self._data)

    @property
    def weight(self) -> int:
        """The weight of every entry together (0 without ``weigh``)."""
        return self._weight

    def get(self, key: K) -> V | None:
        """The value kept for ``key``, or None; it becomes the most recently used."""
        data = self._data
        try:  # no lock to read: each step is one operation on the dict
            value = data[key]
            data.move_to_end(key)
        except KeyError:  # absent, or forgotten by another thread meanwhile
            return None
        return value

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` for ``key`` (unless another thread kept one first) and return what is kept."""
        weight = 0 if self._weigh is None else self._weigh(value)
        if weight > self._max_weight and self._weigh is not None:
            return value
        with self._lock:
            kept = self._data.get(key)
            if kept is not None:
                return kept
            self._data[key] = value
            self._weight += weight
            while len(self._data) > self._maxsize or self._weight > self._max_weight:
                _, dropped = self._data.popitem(last=False)
                if self._weigh is not None:
                    self._weight -= self._weigh(dropped)
        return value


def _weigh(value: Sequence[object]) -> int:
    return len(value)


class Index:
    """Positions of the records by place, type, level, kind, evidence, status and year.

    Built in a few passes over the records, most of them in C; nothing here is copied from
    the records but the order they go in. The caches of answers hold at most
    :data:`MAX_ANSWERS` answers each, and at most four references per record plus
    :data:`SPARE_REFERENCES` in all: memory that stays proportional to the dataset whatever
    the queries.
    """

    def __init__(
        self,
        places: Sequence[Place],
        twinnings: Sequence[Twinning],
        milestones: Sequence[Milestone],
        exchanges: Sequence[Exchange],
        lookup: Mapping[str, object],
        owner: Dataset | None = None,
    ) -> None:
        # Each section is sorted already: sorting their concatenation merges three runs in C.
        concat: tuple[Record, ...] = (*twinnings, *milestones, *exchanges)
        keys = list(map(sort_key, concat))
        order = sorted(range(len(concat)), key=keys.__getitem__)
        del keys
        # Answers are Records (tuples that show as tables in notebooks), made once, never copied.
        self._owner = owner
        self.records: tuple[Record, ...] = Records(map(concat.__getitem__, order), owner)
        del order, concat
        self._lookup = lookup

        self._columns: dict[str, bytes] = {}  # made on the first query that needs each
        self._postings: dict[tuple[str, int], array[int]] = {}

        parties = {t.id: (t.peruvian_party, t.chinese_party) for t in twinnings}
        involving: dict[str, array[int]] = {}  # arrays, not lists: no int object is kept per position
        for position, record in enumerate(self.records):
            refs: Sequence[str] = record.places
            if type(record) is Exchange:
                refs = tuple(dict.fromkeys((*parties[record.twinning], *refs)))  # each place once
            for ref in refs:
                found = involving.get(ref)
                if found is None:
                    involving[ref] = array("I", (position,))
                else:
                    found.append(position)
        self._involving = involving
        # Dated records come first, sorted by the year they are filed under (their anchor). A date
        # that is qualified or an interval may fall outside that year: such records are kept apart
        # with the first and last year they may fall in (open ends unbounded).
        self._years = array("H")
        self._hedged: list[tuple[int, float, float]] = []
        for position, record in enumerate(self.records):
            date = record.date
            if date is None:
                break
            self._years.append(anchor(date).year)
            if type(date) is not PartialDate or date.qualifier is not None:
                first, last = date.earliest, date.latest
                self._hedged.append(
                    (
                        position,
                        -math.inf if first is None else first.year,
                        math.inf if last is None else last.year,
                    )
                )
        self._hedged_positions = frozenset(position for position, _, _ in self._hedged)

        under: dict[str, list[Exchange]] = {}
        for exchange in exchanges:
            under.setdefault(exchange.twinning, []).append(exchange)
        self._exchanges = {twinning: tuple(found) for twinning, found in under.items()}
        self._places = places
        self.children: dict[str, list[str]] = {}
        for place in places:
            if place.parent is not None:
                self.children.setdefault(place.parent, []).append(place.id)
        self._divisions: dict[str, str | None] | None = None

        bound = 4 * len(self.records) + SPARE_REFERENCES
        self.answers: BoundedCache[tuple[object, ...], tuple[Record, ...]] = BoundedCache(
            MAX_ANSWERS, weigh=_weigh, max_weight=bound
        )
        self.below: BoundedCache[str, Sequence[int]] = BoundedCache(
            MAX_ANSWERS, weigh=_weigh, max_weight=bound
        )
        self._lock = threading.Lock()

    @classmethod
    def of(cls, dataset: Dataset) -> Index:
        """The index of a dataset's records (what :class:`~sinoperu.Dataset` builds on first use)."""
        return cls(
            dataset.places, dataset.twinnings, dataset.milestones, dataset.exchanges, dataset._by_id, dataset
        )

    # --- positions ----------------------------------------------------------------------

    def involving(self, place_id: str) -> Sequence[int]:
        """Positions of the records this place is itself a party to."""
        return self._involving.get(place_id, _NO_POSITIONS)

    def within(self, place_id: str) -> Sequence[int]:
        """Positions of the records involving this place or any place below it."""
        found = self.below.get(place_id)
        if found is None:
            ids = [place_id]
            for current in ids:  # breadth-first over the places below
                ids.extend(self.children.get(current, ()))
            lists = [self._involving[ref] for ref in ids if ref in self._involving]
            if len(lists) <= 1:
                found = lists[0] if lists else _NO_POSITIONS
            else:
                found = array("I", sorted(set().union(*lists)))
            found = self.below.put(place_id, found)
        return found

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The positions ``low:high`` of the records filed under the years ``start`` to ``end``."""
        years = self._years
        return bisect.bisect_left(years, start), bisect.bisect_right(years, end)

    def in_years(self, start: int, end: int, possible: bool) -> Sequence[int]:
        """Positions of the records certainly dated in ``start..end`` (``possible``: that may be).

        A plain date lies in the year it is filed under; any other value is checked on the first
        and last year it may fall in, as :meth:`sinoperu.PartialDate.in_years` does.
        """
        low, high = self.span(start, end)
        if not self._hedged:
            return range(low, high)
        hedged = self._hedged_positions
        plain = [p for p in range(low, high) if p not in hedged]
        if possible:
            extra = [p for p, first, last in self._hedged if first <= end and last >= start]
        else:
            extra = [p for p, first, last in self._hedged if start <= first and last <= end]
        return array("I", sorted(plain + extra))

    def column(self, facet: str) -> bytes:
        """The code of ``facet`` (a key of :data:`FACETS`) at each position."""
        column = self._columns.get(facet)
        if column is None:
            codes = CODES[facet]
            code_of: Callable[[Record], int] = {
                "type": lambda r: _TYPE_CODES[type(r)],
                "level": lambda r: codes[r.level],
                "kind": lambda r: codes[r.kind],
                "evidence": lambda r: ABSENT if type(r) is Milestone else codes[r.evidence],
                "status": lambda r: codes[r.status] if type(r) is Twinning else ABSENT,
            }[facet]
            column = bytes(map(code_of, self.records))
            with self._lock:
                column = self._columns.setdefault(facet, column)
        return column

    def positions(self, facet: str, code: int) -> Sequence[int]:
        """Positions of the records whose ``facet`` has the value of this code."""
        found = self._postings.get((facet, code))
        if found is None:
            column = self.column(facet)
            if column.count(code) * 16 < len(column):  # rare: bytes.find jumps over the rest in C
                found = array("I")
                start = column.find(code)
                while start >= 0:
                    found.append(start)
                    start = column.find(code, start + 1)
            else:  # common: select from every position in C
                found = array("I", compress(range(len(column)), map(code.__eq__, column)))
            with self._lock:  # one per value of a closed vocabulary: bounded by the vocabulary
                found = self._postings.setdefault((facet, code), found)
        return found

    # --- answers ------------------------------------------------------------------------

    def answer(
        self,
        *,
        city: str | None = None,
        province: str | None = None,
        years: tuple[int, int] | None = None,
        facets: tuple[tuple[str, int], ...] = (),
        possible: bool = False,
    ) -> tuple[Record, ...]:
        """The records passing every filter given, in chronological order (kept in :attr:`answers`).

        ``city`` and ``province`` are place ids, ``years`` an inclusive pair (records certainly in
        them, or with ``possible`` those that may be), ``facets`` pairs of a facet and a code
        (:data:`FACETS`).
        """
        key = (city, province, years, facets, possible)
        found = self.answers.get(key)
        if found is None:
            selected = self._select(city, province, years, facets, possible)
            found = Records(_pick(self.records, selected), self._owner)
            found = self.answers.put(key, found)
        return found

    def _select(
        self,
        city: str | None,
        province: str | None,
        years: tuple[int, int] | None,
        facets: tuple[tuple[str, int], ...],
        possible: bool = False,
    ) -> Sequence[int]:
        # (size, order given, positions, column to read or None for a place, code in the column)
        filters: list[tuple[int, int, Sequence[int], bytes | None, int]] = []
        for place, positions_of in ((city, self.involving), (province, self.within)):
            if place is not None:
                found = positions_of(place)
                filters.append((len(found), len(filters), found, None, 0))
        for facet, code in facets:
            found = self.positions(facet, code)
            filters.append((len(found), len(filters), found, self.column(facet), code))
        if years is not None and self._hedged:  # not one slice: a list of positions like a place's
            found = self.in_years(*years, possible)
            filters.append((len(found), len(filters), found, None, 0))
            years = None
        low, high = self.span(*years) if years is not None else (0, len(self.records))
        if not filters:
            return range(low, high)
        filters.sort(key=lambda item: item[:2])
        rest: Sequence[tuple[int, int, Sequence[int], bytes | None, int]]
        if years is not None and high - low <= filters[0][0]:
            positions: Sequence[int] = range(low, high)  # the years are the fewest: start from them
            rest = filters
        else:
            positions, rest = filters[0][2], filters[1:]
            if years is not None:  # sorted positions: the years in range are a slice
                positions = positions[
                    bisect.bisect_left(positions, low) : bisect.bisect_left(positions, high)
                ]
        for _, _, others, column, code in rest:
            if not positions:
                break
            if column is not None:  # one byte read per position (faster than chains of C iterators)
                positions = [p for p in positions if column[p] == code]
            else:
                positions = _common(positions, others)
        return positions

    # --- places -------------------------------------------------------------------------

    def division(self, place_id: str) -> str | None:
        """The id of the first-level division (a place whose parent is a country) a place lies in."""
        divisions = self._divisions
        if divisions is None:
            with self._lock:
                divisions = self._divisions
                if divisions is None:
                    divisions = self._divisions = self._all_divisions()
        return divisions.get(place_id)

    def _all_divisions(self) -> dict[str, str | None]:
        # One walk up per place, stopping at the first place already answered: linear in all.
        lookup = self._lookup
        answered: dict[str, str | None] = {}
        for place in self._places:
            path: list[str] = []
            current = place
            while True:
                if current.id in answered:
                    answer = answered[current.id]
                    break
                if current.kind is PlaceKind.COUNTRY:
                    answer = None
                    break
                path.append(current.id)
                parent = lookup.get(current.parent) if current.parent is not None else None
                if not isinstance(parent, Place):
                    answer = None
                    break
                if parent.kind is PlaceKind.COUNTRY:
                    answer = current.id
                    break
                current = parent
            for place_id in path:
                answered[place_id] = answer
        return answered

    def exchanges_of(self, twinning_id: str) -> tuple[Exchange, ...]:
        """The exchanges under a twinning, in chronological order."""
        return self._exchanges.get(twinning_id, ())


def _common(positions: Sequence[int], others: Sequence[int]) -> list[int]:
    """The positions also in ``others`` (both sorted); each bisection starts where the last ended."""
    kept = []
    low, end = 0, len(others)
    for position in positions:
        low = bisect.bisect_left(others, position, low)
        if low == end:
            break
        if others[low] == position:
            kept.append(position)
    return kept
