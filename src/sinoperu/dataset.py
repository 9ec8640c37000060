"""``Dataset``: a validated, immutable collection of places and records, and its queries.

A Dataset checks the whole collection once when it is made (ids unique, every reference
resolves, no cycle among places) and sorts each kind of record by date, then id. The
indices that queries need are built lazily, once, behind a lock, on the first query.

>>> ds = Dataset(places=(), twinnings=())
>>> ds.twinnings, len(ds)
((), 0)
"""

from __future__ import annotations

import bisect
import gc
import heapq
import math
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from .dates import PartialDate, anchor
from .enums import CITY_KINDS, KIND_VALUES, Level, PlaceKind
from .errors import AmbiguousPlaceError, DatasetError, UnknownPlaceError
from .models import Exchange, Milestone, NationalTotal, Place, Record, Twinning, sort_key
from .names import exact_key, loose_key, nearest

if TYPE_CHECKING:  # sinoperu.analysis imports this module
    from .analysis import Context, Panel, Periods

__all__ = ["Dataset"]

R = TypeVar("R")


_LEVELS = ", ".join(repr(level.value) for level in Level)
_KINDS = ", ".join(sorted(KIND_VALUES))


def _sorted(records: Iterable[R], key: Callable[[R], Any], label: str, cls: type) -> tuple[R, ...]:
    items = tuple(records) if not isinstance(records, tuple) else records
    for position, item in enumerate(items):
        if not isinstance(item, cls):
            raise DatasetError(
                f"expected a {cls.__name__}, got {type(item).__name__}", record=f"{label}[{position}]"
            )
    return tuple(sorted(items, key=key))


def _place_key(place: Place) -> str:
    return place.id


def _total_key(total: NationalTotal) -> tuple[tuple[int, int, int], str]:
    return (total.date._key, total.id)


class Dataset:
    """Places, twinnings, milestones and exchanges, validated together.

    Build one from records (``Dataset(places=..., twinnings=...)``), from a file
    (:func:`sinoperu.load`) or from JSON (:func:`sinoperu.from_json`). It never changes;
    to extend the data, make a new Dataset.

    >>> import sinoperu
    >>> ds = sinoperu.load()
    >>> ds.lookup("tw-lima-shanghai") in ds.by_city("Lima")
    True
    """

    __slots__ = (
        "__weakref__",
        "_as_of",
        "_by_id",
        "_exchanges",
        "_index",
        "_lock",
        "_milestones",
        "_places",
        "_totals",
        "_twinnings",
        "_version",
    )

    def __init__(
        self,
        *,
        places: Iterable[Place] = (),
        twinnings: Iterable[Twinning] = (),
        milestones: Iterable[Milestone] = (),
        exchanges: Iterable[Exchange] = (),
        totals: Iterable[NationalTotal] = (),
        version: str = "unversioned",
        as_of: PartialDate | None = None,
    ) -> None:
        if not isinstance(version, str) or not version.strip():
            raise DatasetError("expected non-empty text", field="version")
        if as_of is not None and not isinstance(as_of, PartialDate):
            raise DatasetError(f"expected a PartialDate, got {as_of!r}", field="as_of")
        if as_of is not None and as_of.qualifier is not None:
            raise DatasetError(f"{as_of} is qualified; the day the data was checked is plain", field="as_of")
        self._version = version
        self._as_of = as_of
        self._places: tuple[Place, ...] = _sorted(places, _place_key, "places", Place)
        self._twinnings: tuple[Twinning, ...] = _sorted(twinnings, sort_key, "twinnings", Twinning)
        self._milestones: tuple[Milestone, ...] = _sorted(milestones, sort_key, "milestones", Milestone)
        self._exchanges: tuple[Exchange, ...] = _sorted(exchanges, sort_key, "exchanges", Exchange)
        self._totals: tuple[NationalTotal, ...] = _sorted(totals, _total_key, "totals", NationalTotal)
        self._by_id = self._validate()
        self._lock = threading.Lock()
        self._index: _Index | None = None

    # --- the collection ---------------------------------------------------------------

    @property
    def places(self) -> tuple[Place, ...]:
        """Every place, sorted by id."""
        return self._places

    @property
    def twinnings(self) -> tuple[Twinning, ...]:
        """Micro-level relations, by date then id (undated last)."""
        return self._twinnings

    @property
    def milestones(self) -> tuple[Milestone, ...]:
        """Bloc- and meso-level events, by date then id (undated last)."""
        return self._milestones

    @property
    def exchanges(self) -> tuple[Exchange, ...]:
        """What was done under twinnings, by date then id (undated last)."""
        return self._exchanges

    @property
    def totals(self) -> tuple[NationalTotal, ...]:
        """National counts of China's friendship pairs, as context (by date, then id)."""
        return self._totals

    @property
    def records(self) -> tuple[Record, ...]:
        """Twinnings, milestones and exchanges together, in chronological order."""
        return self._get_index().records

    @property
    def version(self) -> str:
        """The version of the data (CalVer of the day it was released)."""
        return self._version

    @property
    def as_of(self) -> PartialDate | None:
        """The day the data was last checked against its sources."""
        return self._as_of

    def __len__(self) -> int:
        """The number of records (twinnings, milestones and exchanges; places not counted)."""
        return len(self._twinnings) + len(self._milestones) + len(self._exchanges)

    def _parts(self) -> tuple[object, ...]:
        return (
            self._version,
            self._as_of,
            self._places,
            self._twinnings,
            self._milestones,
            self._exchanges,
            self._totals,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return self is other or self._parts() == other._parts()

    def __hash__(self) -> int:
        return hash(self._parts())

    def __repr__(self) -> str:
        return (
            f"<Dataset {self._version}: {len(self._places)} places, {len(self._twinnings)} twinnings, "
            f"{len(self._milestones)} milestones, {len(self._exchanges)} exchanges>"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickle as the records; the lock and the indices are rebuilt on the other side.
        kwargs = {
            "places": self._places,
            "twinnings": self._twinnings,
            "milestones": self._milestones,
            "exchanges": self._exchanges,
            "totals": self._totals,
            "version": self._version,
            "as_of": self._as_of,
        }
        return (_rebuild, (kwargs,))

    # --- lookups by id ----------------------------------------------------------------

    def get(self, id: str) -> Place | Record | NationalTotal | None:
        """The place or record with this id, or None.

        >>> import sinoperu
        >>> sinoperu.load().get("cn-fj").name
        'Fujian'
        >>> sinoperu.load().get("no-such-id") is None
        True
        """
        if not isinstance(id, str):
            raise TypeError(f"an id is text, got {type(id).__name__}")
        return self._by_id.get(id)

    def lookup(self, id: str) -> Place | Record | NationalTotal:
        """The place or record with this id; raises :class:`LookupError` if there is none."""
        found = self.get(id)
        if found is None:
            raise LookupError(f"no place or record has the id {id!r}")
        return found

    def place(self, name: str | Place, *, prefer: str | None = None) -> Place:
        """The place a name, alias or id denotes, in any case, accents or script.

        ``prefer`` breaks ties when a name is shared: ``"city"`` prefers towns and
        cities, ``"division"`` prefers first-level divisions (regions, provinces).
        Raises :class:`~sinoperu.UnknownPlaceError` (with suggestions) or
        :class:`~sinoperu.AmbiguousPlaceError` (with the candidate ids).

        >>> import sinoperu
        >>> ds = sinoperu.load()
        >>> {ds.place(name, prefer="city").id for name in ("Cuzco", "cusco", "库斯科")}
        {'pe-cus-cusco'}
        """
        return self._get_index().resolve(name, prefer)

    # --- queries ----------------------------------------------------------------------

    def by_city(self, name: str | Place) -> tuple[Record, ...]:
        """Records in which this place itself is a party.

        A twinning involves its two parties; an exchange involves the parties of its
        twinning and its origin and destination; a milestone involves the places it
        lists (where it happened). A name shared by a city and a region ("Lima") means
        the city; pass an id (``"pe-lim"``) to pick another.
        """
        index = self._get_index()
        return index.involving(index.resolve(name, "city").id)

    def by_province(self, name: str | Place) -> tuple[Record, ...]:
        """Records involving this place or any place inside it (its cities, counties...).

        A name shared by several places means a first-level division ("Fujian",
        "Cusco" the region, "Lima" Metropolitan Lima); pass an id to pick another.
        """
        index = self._get_index()
        return index.within(index.resolve(name, "division").id)

    def by_year(self, start: int, end: int | None = None, *, possible: bool = False) -> tuple[Record, ...]:
        """Records dated in ``start``, or from ``start`` to ``end`` inclusive.

        A record matches when its date *certainly* lies in those years (an uncertain
        ``2019?`` or an interval ``2018/2019`` is not certainly in 2019);
        ``possible=True`` adds the records whose dates may (see
        :meth:`sinoperu.PartialDate.in_years`). Undated records never match.
        """
        for label, value in (("start", start), ("end", end)):
            if value is not None and (type(value) is not int):
                raise TypeError(f"by_year {label} must be an int year, got {type(value).__name__}")
        if type(possible) is not bool:
            raise TypeError(f"by_year possible must be True or False, got {possible!r}")
        last = start if end is None else end
        if last < start:
            raise ValueError(f"by_year range is empty: end {last} comes before start {start}")
        return self._get_index().years(start, last, possible)

    def by_level(self, level: Level | str) -> tuple[Record, ...]:
        """Records of one level: ``"bloc"``, ``"meso"`` or ``"micro"`` (or a :class:`Level`)."""
        return self._get_index().level(_as_level(level))

    def by_kind(self, kind: str) -> tuple[Record, ...]:
        """Records whose ``kind`` has this value (e.g. ``"sister_city"``, ``"policy_paper"``)."""
        return self._get_index().kind(_as_kind(kind))

    def query(
        self,
        *,
        city: str | Place | None = None,
        province: str | Place | None = None,
        year: int | tuple[int, int] | None = None,
        level: Level | str | None = None,
        kind: str | None = None,
    ) -> tuple[Record, ...]:
        """Records that pass every filter given (AND); no filter gives every record.

        ``year`` is one year or an inclusive ``(start, end)`` pair.

        >>> import sinoperu
        >>> [r.id for r in sinoperu.query(city="Lima", level="micro", kind="sister_city")]
        ['tw-lima-beijing', 'tw-lima-shanghai']
        """
        results: list[tuple[Record, ...]] = []
        if city is not None:
            results.append(self.by_city(city))
        if province is not None:
            results.append(self.by_province(province))
        if year is not None:
            if isinstance(year, tuple) and len(year) == 2:
                results.append(self.by_year(year[0], year[1]))
            elif type(year) is int:
                results.append(self.by_year(year))
            else:
                raise TypeError(f"year must be an int or a (start, end) pair, got {year!r}")
        if level is not None:
            results.append(self.by_level(level))
        if kind is not None:
            results.append(self.by_kind(kind))
        if not results:
            return self.records
        results.sort(key=len)
        smallest, others = results[0], results[1:]
        keep = [frozenset(map(id, other)) for other in others]
        return tuple(r for r in smallest if all(id(r) in ids for ids in keep))

    # --- internals --------------------------------------------------------------------

    def _get_index(self) -> _Index:
        index = self._index
        if index is None:
            with self._lock:  # built once even when many threads ask at the same time
                index = self._index
                if index is None:
                    with gc_paused():  # millions of new containers, none garbage: skip the scans
                        index = self._index = _Index(self)
        return index

    def _validate(self) -> dict[str, Place | Record | NationalTotal]:
        by_id: dict[str, Place | Record | NationalTotal] = {}
        for label, items in (
            ("places", self._places),
            ("twinnings", self._twinnings),
            ("milestones", self._milestones),
            ("exchanges", self._exchanges),
            ("totals", self._totals),
        ):
            for item in items:
                if item.id in by_id:
                    other = type(by_id[item.id]).__name__.lower()
                    raise DatasetError(
                        f"duplicate id (a {other} has it too)",
                        record=f"{item.id!r} in {label}",
                        field="id",
                        relational=True,
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

        for place in self._places:
            parent = need(place.parent, place.id, "parent")
            if parent is not None and parent.kind is PlaceKind.COUNTRY and parent.country != place.country:
                raise DatasetError(
                    f"lies in country {place.country} but its parent is {parent.id!r}",
                    record=repr(place.id),
                    field="parent",
                )
        self._check_no_cycles(by_id)
        for twinning in self._twinnings:
            for field, country in (("peruvian_party", "PE"), ("chinese_party", "CN")):
                party = need(getattr(twinning, field), twinning.id, field)
                if party.country != country:
                    raise DatasetError(
                        f"{party.id!r} is in {party.country}, not {country}",
                        record=repr(twinning.id),
                        field=field,
                    )
        for milestone in self._milestones:
            for position, ref in enumerate(milestone.places):
                need(ref, milestone.id, f"places[{position}]")
        for exchange in self._exchanges:
            need(exchange.twinning, exchange.id, "twinning", Twinning)
            need(exchange.origin, exchange.id, "origin")
            need(exchange.destination, exchange.id, "destination")
        return by_id

    def _check_no_cycles(self, by_id: dict[str, Place | Record | NationalTotal]) -> None:
        settled: set[str] = set()
        for place in self._places:
            path: list[str] = []
            current: Place | None = place
            while current is not None and current.id not in settled:
                if current.id in path:
                    cycle = " -> ".join([*path[path.index(current.id) :], current.id])
                    raise DatasetError(
                        f"places form a cycle: {cycle}", record=repr(current.id), field="parent"
                    )
                path.append(current.id)
                parent = by_id.get(current.parent) if current.parent else None
                current = parent if isinstance(parent, Place) else None
            settled.update(path)

    # --- questions across levels (see sinoperu.analysis) -------------------------------

    def context(self, record: Record | str, years: int = 2) -> Context:
        """The milestones before and concurrent with a record, and its exchanges:
        :func:`sinoperu.analysis.context`."""
        from .analysis import context

        return context(self, record, years)

    def periods(self, cuts: Iterable[Any] | None = None) -> Periods:
        """Twinnings and exchanges between cuts: :func:`sinoperu.analysis.periods`."""
        from .analysis import periods

        return periods(self, cuts)

    def panel(self, unit: str, start: int | None = None, end: int | None = None) -> Panel:
        """Relation-, place- or dyad-year rows: :func:`sinoperu.analysis.panel`."""
        from .analysis import panel

        return panel(self, unit, start, end)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many objects that stay alive.

    Building 10^6 records otherwise triggers full collections that scan every object
    made so far, for nothing: none of them is garbage yet.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _rebuild(kwargs: dict[str, Any]) -> Dataset:
    return Dataset(**kwargs)


def _as_level(level: Level | str) -> Level:
    if isinstance(level, Level):
        return level
    if not isinstance(level, str):
        raise TypeError(f"level must be a Level or text, got {type(level).__name__}")
    try:
        return Level(level.strip().lower())
    except ValueError:
        raise ValueError(f"unknown level {level!r}; valid levels are {_LEVELS}") from None


def _as_kind(kind: Any) -> str:
    value = getattr(kind, "value", kind)
    if not isinstance(value, str):
        raise TypeError(f"kind must be text or a kind enum, got {type(kind).__name__}")
    if value not in KIND_VALUES:
        raise ValueError(f"unknown kind {kind!r}; valid kinds are {_KINDS}")
    return value


class _Index:
    """Every lookup structure a query needs, built in one pass over the dataset."""

    def __init__(self, dataset: Dataset) -> None:
        places = dataset.places
        self.places_by_id = {place.id: place for place in places}
        self.exact: dict[str, list[Place]] = {}
        self.loose: dict[str, list[Place]] = {}
        for place in places:
            for spelling in place.names:
                for table, key in ((self.exact, exact_key(spelling)), (self.loose, loose_key(spelling))):
                    bucket = table.setdefault(key, [])
                    if place not in bucket:
                        bucket.append(place)
        self.children: dict[str, list[str]] = {}
        for place in places:
            if place.parent is not None:
                self.children.setdefault(place.parent, []).append(place.id)

        # Each section is sorted already: merge them by their keys instead of sorting anew.
        self.records: tuple[Record, ...] = tuple(
            heapq.merge(dataset.twinnings, dataset.milestones, dataset.exchanges, key=sort_key)
        )
        twinning_places = {t.id: t.places for t in dataset.twinnings}
        involving: dict[str, list[Record]] = {}
        by_level: dict[Level, list[Record]] = {}
        by_kind: dict[str, list[Record]] = {}
        self._year_keys: list[int] = []
        # Records whose dates are qualified or intervals, with the first and last year each may
        # fall in (infinite for an open end): for them a year says less.
        self._hedged: list[tuple[Record, float, float]] = []
        for record in self.records:
            refs: Sequence[str] = record.places
            if isinstance(record, Exchange):
                refs = (*twinning_places[record.twinning], *refs)
            for ref in dict.fromkeys(refs):  # each place once, in order
                involving.setdefault(ref, []).append(record)
            by_level.setdefault(record.level, []).append(record)
            by_kind.setdefault(record.kind.value, []).append(record)
            date = record.date
            if date is not None:
                self._year_keys.append(anchor(date).year)  # sorted records: these years never decrease
                if not isinstance(date, PartialDate) or date.qualifier is not None:
                    first, last = date.earliest, date.latest
                    self._hedged.append(
                        (
                            record,
                            -math.inf if first is None else first.year,
                            math.inf if last is None else last.year,
                        )
                    )
        self._involving = {ref: tuple(found) for ref, found in involving.items()}
        self._by_level = {level: tuple(found) for level, found in by_level.items()}
        self._by_kind = {kind: tuple(found) for kind, found in by_kind.items()}
        self._position = {id(record): n for n, record in enumerate(self.records)}
        self._hedged_ids = frozenset(id(record) for record, _, _ in self._hedged)
        self._within: dict[str, tuple[Record, ...]] = {}
        self._year_ranges: dict[tuple[int, int, bool], tuple[Record, ...]] = {}
        self._resolved: dict[tuple[str, str | None], Place] = {}
        self._lock = threading.Lock()

    # Names --------------------------------------------------------------------------

    def resolve(self, name: str | Place, prefer: str | None) -> Place:
        if isinstance(name, Place):
            if self.places_by_id.get(name.id) != name:
                raise UnknownPlaceError(name.id, ())
            return name
        if not isinstance(name, str):
            raise TypeError(f"a place name is text, got {type(name).__name__}")
        if prefer not in (None, "city", "division"):
            raise ValueError(f"prefer must be 'city', 'division' or None, not {prefer!r}")
        cached = self._resolved.get((name, prefer))
        if cached is not None:
            return cached
        place = self._resolve_uncached(name, prefer)
        self._resolved[(name, prefer)] = place
        return place

    def _resolve_uncached(self, name: str, prefer: str | None) -> Place:
        by_id = self.places_by_id.get(name.strip())
        if by_id is not None:
            return by_id
        key = exact_key(name)
        candidates = self.exact.get(key) or self.loose.get(loose_key(name)) or []
        if not candidates:
            known = [spelling for place in self.places_by_id.values() for spelling in place.names]
            raise UnknownPlaceError(name, nearest(name, known))
        if len(candidates) > 1 and prefer is not None:
            preferred = [p for p in candidates if self._fits(p, prefer)]
            candidates = preferred or candidates
        if len(candidates) > 1:  # a primary name outranks an alias
            primary = [
                p for p in candidates if key in {exact_key(n) for n in (p.name, p.name_zh, p.pinyin) if n}
            ]
            candidates = primary or candidates
        if len(candidates) > 1:
            raise AmbiguousPlaceError(name, [(p.id, f"{p.kind.value} {p.name}") for p in candidates])
        return candidates[0]

    def _fits(self, place: Place, prefer: str) -> bool:
        if prefer == "city":
            return place.kind in CITY_KINDS
        parent = self.places_by_id.get(place.parent) if place.parent else None
        return parent is not None and parent.kind is PlaceKind.COUNTRY

    # Queries ------------------------------------------------------------------------

    def involving(self, place_id: str) -> tuple[Record, ...]:
        return self._involving.get(place_id, ())

    def within(self, place_id: str) -> tuple[Record, ...]:
        found = self._within.get(place_id)
        if found is None:
            ids = [place_id]
            for current in ids:  # breadth-first over the places below
                ids.extend(self.children.get(current, ()))
            position = self._position
            # Sort positions (plain ints, compared in C), not records by a Python key function.
            positions = sorted({position[id(r)] for ref in ids for r in self._involving.get(ref, ())})
            records = self.records
            found = tuple([records[n] for n in positions])
            with self._lock:
                found = self._within.setdefault(place_id, found)
        return found

    def years(self, start: int, end: int, possible: bool) -> tuple[Record, ...]:
        found = self._year_ranges.get((start, end, possible))
        if found is None:
            low = bisect.bisect_left(self._year_keys, start)
            high = bisect.bisect_right(self._year_keys, end)
            found = self.records[low:high]  # dated records come first, in the years of their anchors
            if self._hedged:
                found = self._hedged_years(found, start, end, possible)
            with self._lock:
                if len(self._year_ranges) >= 256:  # a bounded cache: slices of big datasets are big
                    self._year_ranges.clear()
                self._year_ranges[(start, end, possible)] = found
        return found

    def _hedged_years(
        self, found: tuple[Record, ...], start: int, end: int, possible: bool
    ) -> tuple[Record, ...]:
        # A plain date lies in the years of its anchor; any other value is checked on its years,
        # as PartialDate.in_years and DateInterval.in_years would (a test holds them equal).
        hedged = self._hedged_ids
        plain = [r for r in found if id(r) not in hedged]
        if possible:
            extra = [r for r, first, last in self._hedged if first <= end and last >= start]
        else:
            extra = [r for r, first, last in self._hedged if start <= first and last <= end]
        position = self._position
        return tuple(heapq.merge(plain, extra, key=lambda r: position[id(r)]))

    def level(self, level: Level) -> tuple[Record, ...]:
        return self._by_level.get(level, ())

    def kind(self, kind: str) -> tuple[Record, ...]:
        return self._by_kind.get(kind, ())
