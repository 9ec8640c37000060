"""``Dataset``: a validated, immutable collection of places and records, and its queries.

A Dataset is a small facade over three parts, each in its own module:

* :mod:`sinoperu.integrity` checks the whole collection once, when it is made (ids unique,
  every reference resolves, parties in the right countries, no cycle among places);
* :mod:`sinoperu.index` holds the records in chronological order and the positions that
  queries intersect, built lazily, once, behind a lock, on the first query;
* :mod:`sinoperu.resolve` reads names, aliases, ids and codes as places (built likewise).

>>> ds = Dataset(places=(), twinnings=())
>>> ds.twinnings, len(ds)
((), 0)
"""

from __future__ import annotations

import builtins
import gc
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from .dates import PartialDate
from .dates import sort_key as date_order
from .enums import Evidence, Level, Status
from .errors import DatasetError
from .index import CODES, FACETS, TYPES, Index
from .integrity import check
from .models import PLAIN_DATE, Exchange, Milestone, NationalTotal, Place, Record, Twinning, sort_key
from .names import echo
from .resolve import Resolution, Resolver

if TYPE_CHECKING:  # sinoperu.analysis and sinoperu.diff import this module
    from .analysis import Context, Panel, Periods
    from .diff import DatasetDiff

__all__ = ["Dataset", "Resolution"]

R = TypeVar("R")


def _sorted(records: Iterable[R], key: Any, label: str, cls: builtins.type) -> tuple[R, ...]:
    items = tuple(records) if not isinstance(records, tuple) else records
    for position, item in enumerate(items):
        if not isinstance(item, cls):
            raise DatasetError(
                f"expected a {cls.__name__}, got {builtins.type(item).__name__}",
                record=f"{label}[{position}]",
            )
    return tuple(sorted(items, key=key))


def _place_key(place: Place) -> str:
    return place.id


def _total_key(total: NationalTotal) -> tuple[tuple[int, ...], str]:
    return (date_order(total.date), total.id)


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
        "_resolver",
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
        if as_of is not None:
            try:  # the header's rule (format.HEADER): a plain date, as a file must write it
                PLAIN_DATE.checker()(as_of)
            except (TypeError, ValueError) as error:
                raise DatasetError(str(error), field="as_of") from None
        self._version = version
        self._as_of = as_of
        self._places: tuple[Place, ...] = _sorted(places, _place_key, "places", Place)
        self._twinnings: tuple[Twinning, ...] = _sorted(twinnings, sort_key, "twinnings", Twinning)
        self._milestones: tuple[Milestone, ...] = _sorted(milestones, sort_key, "milestones", Milestone)
        self._exchanges: tuple[Exchange, ...] = _sorted(exchanges, sort_key, "exchanges", Exchange)
        self._totals: tuple[NationalTotal, ...] = _sorted(totals, _total_key, "totals", NationalTotal)
        self._by_id = check(self._places, self._twinnings, self._milestones, self._exchanges, self._totals)
        self._lock = threading.Lock()
        self._index: Index | None = None
        self._resolver: Resolver | None = None

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
        return (self._index or self._get_index()).records

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
            raise LookupError(f"no place or record has the id {echo(id)!r}")
        return found

    def place(self, name: str | Place, *, prefer: str | None = None) -> Place:
        """The place a name, alias, id or code denotes, in any case, accents or script.

        Codes are ISO 3166-2 (``"CN-FJ"``) and, where places carry them, UBIGEO, GB/T 2260
        and Wikidata ids. A name may say its kind ("Cusco region", "provincia de Lima",
        "库斯科大区"); see :mod:`sinoperu.resolve`. ``prefer`` breaks ties when a name is
        shared: ``"city"`` prefers towns and cities, ``"division"`` prefers first-level
        divisions (regions, provinces). Raises :class:`~sinoperu.UnknownPlaceError` (with
        suggestions) or :class:`~sinoperu.AmbiguousPlaceError` (with the candidate ids).

        >>> import sinoperu
        >>> ds = sinoperu.load()
        >>> {ds.place(name, prefer="city").id for name in ("Cuzco", "cusco", "库斯科")}
        {'pe-cus-cusco'}
        >>> ds.place("Cusco region").id, ds.place("CN-FJ").id
        ('pe-cus', 'cn-fj')
        """
        return (self._resolver or self._get_resolver()).resolve(name, prefer).place

    def resolve(self, name: str | Place, *, prefer: str | None = None) -> Resolution:
        """Like :meth:`place`, with the places the name could also have meant.

        >>> import sinoperu
        >>> reading = sinoperu.load().resolve("Lima", prefer="city")
        >>> reading.place.id, [p.id for p in reading.alternatives]
        ('pe-lma', ['pe-lim'])
        >>> reading.note
        "'Lima' read as the city pe-lma; the region is pe-lim"
        """
        return (self._resolver or self._get_resolver()).resolve(name, prefer)

    def division(self, place: str | Place, *, prefer: str | None = "city") -> Place | None:
        """The first-level division (a place whose parent is a country) a place lies in.

        A division is its own division; a country, or a place outside any country's tree,
        has none (None). ``place`` is a Place, an id or a name (``prefer`` as in :meth:`place`).

        >>> import sinoperu
        >>> ds = sinoperu.load()
        >>> ds.division("Kaiping").name, ds.division("Beijing").name, ds.division("pe") is None
        ('Guangdong', 'Beijing', True)
        """
        found = (self._index or self._get_index()).division(
            (self._resolver or self._get_resolver()).resolve(place, prefer).place.id
        )
        return None if found is None else self._places_by_id(found)

    def exchanges_of(self, twinning: str | Twinning) -> tuple[Exchange, ...]:
        """The exchanges done under a twinning (a Twinning or its id), in chronological order.

        >>> import sinoperu
        >>> [(str(e.date), e.kind.value) for e in sinoperu.load().exchanges_of("tw-lima-shanghai")]
        [('2018-07/..', 'scholarship'), ('2018-07/..', 'donation'),
         ('2018-07-19/2018-07-22', 'delegation_visit'), ('2024-11-30/2024-12?', 'delegation_visit')]
        """
        if isinstance(twinning, Twinning):
            if self._by_id.get(twinning.id) != twinning:
                raise LookupError(f"the twinning {echo(twinning.id)!r} is not one of this dataset")
            twinning_id = twinning.id
        elif isinstance(twinning, str):
            found = self._by_id.get(twinning)
            if not isinstance(found, Twinning):
                what = "nothing" if found is None else _a(type(found).__name__.lower())
                raise LookupError(f"{echo(twinning)!r} is {what}, not a twinning of this dataset")
            twinning_id = twinning
        else:
            raise TypeError(f"a twinning is a Twinning or its id, got {type(twinning).__name__}")
        return (self._index or self._get_index()).exchanges_of(twinning_id)

    # --- queries ----------------------------------------------------------------------

    def by_city(self, name: str | Place) -> tuple[Record, ...]:
        """Records in which this place itself is a party.

        A twinning involves its two parties; an exchange involves the parties of its
        twinning and its origin and destination; a milestone involves the places it
        lists (where it happened). A name shared by a city and a region ("Lima") means
        the city; pass an id (``"pe-lim"``) to pick another.
        """
        return (self._index or self._get_index()).answer(
            city=(self._resolver or self._get_resolver()).resolve(name, "city").place.id
        )

    def by_province(self, name: str | Place) -> tuple[Record, ...]:
        """Records involving this place or any place inside it (its cities, counties...).

        A name shared by several places means a first-level division ("Fujian",
        "Cusco" the region, "Lima" Metropolitan Lima); pass an id to pick another.
        """
        return (self._index or self._get_index()).answer(
            province=(self._resolver or self._get_resolver()).resolve(name, "division").place.id
        )

    def by_year(self, start: int, end: int | None = None, *, possible: bool = False) -> tuple[Record, ...]:
        """Records dated in ``start``, or from ``start`` to ``end`` inclusive.

        A record matches when its date lies certainly in the years; ``possible=True`` adds
        the records whose dates may (see :meth:`sinoperu.PartialDate.in_years`): an uncertain
        "2019?" or an interval "2018/2020" is possibly in 2019, not certainly. Undated records
        never match.

        >>> import sinoperu
        >>> len(sinoperu.by_year(2010, 2019)) <= len(sinoperu.by_year(2010, 2019, possible=True))
        True
        """
        return (self._index or self._get_index()).answer(
            years=_as_years(start, end), possible=_as_possible(possible)
        )

    def by_level(self, level: Level | str) -> tuple[Record, ...]:
        """Records of one level: ``"bloc"``, ``"meso"`` or ``"micro"`` (or a :class:`Level`)."""
        return (self._index or self._get_index()).answer(facets=(_facet("level", level),))

    def by_kind(self, kind: str) -> tuple[Record, ...]:
        """Records whose ``kind`` has this value (e.g. ``"sister_city"``, ``"policy_paper"``)."""
        return (self._index or self._get_index()).answer(facets=(_facet("kind", kind),))

    def query(
        self,
        *,
        city: str | Place | None = None,
        province: str | Place | None = None,
        year: int | tuple[int, int] | None = None,
        level: Level | str | None = None,
        kind: str | None = None,
        evidence: Evidence | str | None = None,
        status: Status | str | None = None,
        type: RecordType | str | None = None,
        possible: bool = False,
    ) -> tuple[Record, ...]:
        """Records that pass every filter given (AND), in chronological order; no filter gives all.

        ``year`` is one year or an inclusive ``(start, end)`` pair, matched as by
        :meth:`by_year` (``possible=True`` adds the records that may lie in it). ``evidence`` and
        ``status`` match only the records that have them (twinnings; exchanges have an
        evidence grade too; milestones neither). ``type`` is ``"twinning"``,
        ``"milestone"``, ``"exchange"`` or the class. An unknown value raises ``ValueError``
        listing the valid ones, a value of the wrong type ``TypeError``.

        >>> import sinoperu
        >>> [r.id for r in sinoperu.query(city="Lima", level="micro", kind="sister_city")]
        ['tw-lima-beijing', 'tw-lima-shanghai']
        >>> [r.id for r in sinoperu.query(city="Lima", type="twinning", evidence="confirmed")]
        ['tw-lima-beijing', 'tw-lima-shanghai']
        """
        facets = tuple(
            _facet(facet, value)
            for facet, value in (
                ("level", level),
                ("kind", kind),
                ("evidence", evidence),
                ("status", status),
                ("type", type),
            )
            if value is not None
        )
        years: tuple[int, int] | None = None
        if year is not None:
            if isinstance(year, tuple) and len(year) == 2:
                years = _as_years(year[0], year[1])
            elif isinstance(year, int) and not isinstance(year, bool):
                years = _as_years(year)
            else:
                raise TypeError(f"year must be an int or a (start, end) pair, got {echo(repr(year))}")
        resolver = self._resolver or self._get_resolver()
        city_id = None if city is None else resolver.resolve(city, "city").place.id
        province_id = None if province is None else resolver.resolve(province, "division").place.id
        if city_id is None and province_id is None and years is None and not facets:
            return self.records
        return (self._index or self._get_index()).answer(
            city=city_id, province=province_id, years=years, facets=facets, possible=_as_possible(possible)
        )

    # --- notebooks and comparisons (results.py, diff.py) ------------------------------

    def _repr_html_(self) -> str:
        from .results import dataset_html

        return dataset_html(self)

    def diff(self, other: Dataset) -> DatasetDiff:
        """What changed from this dataset to ``other``: see :class:`sinoperu.diff.DatasetDiff`."""
        from .diff import diff

        return diff(self, other)

    # --- internals --------------------------------------------------------------------

    def _get_index(self) -> Index:
        index = self._index
        if index is None:
            with self._lock:  # built once even when many threads ask at the same time
                index = self._index
                if index is None:
                    with gc_paused():  # millions of new containers, none garbage: skip the scans
                        index = self._index = Index.of(self)
        return index

    def _get_resolver(self) -> Resolver:
        resolver = self._resolver
        if resolver is None:
            with self._lock:
                resolver = self._resolver
                if resolver is None:
                    with gc_paused():
                        resolver = self._resolver = Resolver(self._places, self._by_id)
        return resolver

    def _places_by_id(self, place_id: str) -> Place:
        place = self._by_id[place_id]
        assert isinstance(place, Place)
        return place

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


#: What ``type=`` accepts besides the names in :data:`sinoperu.index.TYPES`.
RecordType = builtins.type[Twinning] | builtins.type[Milestone] | builtins.type[Exchange]

_ENUMS: dict[str, builtins.type[StrEnum]] = {"level": Level, "evidence": Evidence, "status": Status}
_CLASSES = {cls: name for name, cls in TYPES.items()}


def _facet(facet: str, value: object) -> tuple[str, int]:
    """A filter's value as (facet, code), or the error a user should see."""
    vocabulary = FACETS[facet]
    if facet == "type" and isinstance(value, builtins.type):
        text = _CLASSES.get(value)
        if text is None:
            raise ValueError(f"type must be one of {_valid(vocabulary)} or its class, not {value.__name__}")
    elif isinstance(value, str):  # an enum member is text too
        text = value.value if isinstance(value, Enum) else value
        if facet != "kind":  # kinds are exact (they are many, and spelt like identifiers)
            text = text.strip().lower()
    else:
        expected = {"type": "text or a record class", "kind": "text or a kind enum"}.get(
            facet, f"{_a(_ENUMS[facet].__name__)} or text" if facet in _ENUMS else "text"
        )
        raise TypeError(f"{facet} must be {expected}, got {builtins.type(value).__name__}")
    code = CODES[facet].get(text)
    if code is None:
        plural = {"status": "statuses", "evidence": "evidence grades", "kind": "kinds"}.get(
            facet, f"{facet}s"
        )
        raise ValueError(f"unknown {facet} {echo(str(value))!r}; valid {plural} are {_valid(vocabulary)}")
    return facet, code


def _a(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def _valid(values: Sequence[str]) -> str:
    # Kinds are many: listed bare, as they always were; the short vocabularies quoted.
    return ", ".join(sorted(values)) if len(values) > 6 else ", ".join(map(repr, values))


def _as_possible(possible: object) -> bool:
    if builtins.type(possible) is not bool:
        raise TypeError(f"possible must be True or False, got {echo(repr(possible))}")
    return possible


def _as_years(start: object, end: object = None) -> tuple[int, int]:
    if builtins.type(start) is not int:  # bool is an int subclass: refused too
        raise TypeError(f"by_year start must be an int year, got {builtins.type(start).__name__}")
    if end is None:
        return start, start
    if builtins.type(end) is not int:
        raise TypeError(f"by_year end must be an int year, got {builtins.type(end).__name__}")
    if end < start:
        raise ValueError(f"by_year range is empty: end {end} comes before start {start}")
    return start, end
