"""Hypothesis strategies for every model and for whole, valid datasets.

Shipped so that code built on sinoperu can be property-tested against realistic data.
Hypothesis is imported only here: ``pip install sinoperu[test]`` brings it.

>>> from hypothesis import given
>>> from sinoperu import strategies as sps
>>> @given(sps.datasets())
... def test_round_trip(ds):
...     import sinoperu
...     assert sinoperu.from_json(sinoperu.to_json(ds)) == ds
>>> test_round_trip()
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import attrs
from hypothesis import strategies as st

from .dataset import Dataset
from .dates import DateInterval, PartialDate, Qualifier, days_in_month
from .enums import (
    CooperationArea,
    CountQualifier,
    Evidence,
    ExchangeKind,
    Level,
    MilestoneKind,
    PlaceKind,
    SourceKind,
    Status,
    TotalScope,
    TwinningKind,
)
from .models import Coordinates, Exchange, Milestone, NationalTotal, Place, Provision, Source, Twinning

__all__ = [
    "coordinates",
    "datasets",
    "date_intervals",
    "dates",
    "exchanges",
    "ids",
    "milestones",
    "partial_dates",
    "places",
    "provisions",
    "sources",
    "texts",
    "totals",
    "twinnings",
]

# Names in the three scripts the data uses, with accents and tone marks, so that
# properties exercise normalization and Unicode round trips, not only ASCII.
_LETTERS = "abcdefghijklmnopqrstuvwxyzáéíóúñüāǎēěīǐōǒūǔǘ"
_HAN = "利马上海漳州福建库斯科西安陕西山西北京钦博特秘鲁中国省市区县"


@cache  # building a strategy costs far more than drawing from it
def texts(min_size: int = 1, max_size: int = 40) -> st.SearchStrategy[str]:
    """Non-blank text mixing Latin letters, tone marks, Chinese characters and punctuation."""
    alphabet = st.sampled_from(_LETTERS + _LETTERS.upper() + _HAN + " '-.,")
    return st.text(alphabet, min_size=min_size, max_size=max_size).filter(lambda s: s.strip() != "")


@cache
def ids(prefix: str = "") -> st.SearchStrategy[str]:
    """Record ids: lowercase words joined by single hyphens."""
    word = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
    return st.lists(word, min_size=1, max_size=3).map(lambda words: prefix + "-".join(words))


@st.composite
def partial_dates(
    draw: st.DrawFn, min_year: int = 1950, max_year: int = 2026, *, qualified: bool = False
) -> PartialDate:
    """Dates of year, month or day precision; ``qualified=True`` adds ``?``, ``~`` and ``%``.

    Plain by default: the form of a source's ``published`` date and of ``as_of``.
    """
    year = draw(st.integers(min_year, max_year))
    qualifier = draw(st.none() | st.sampled_from(Qualifier)) if qualified else None
    precision = draw(st.sampled_from(("year", "month", "day")))
    if precision == "year":
        return PartialDate(year, qualifier=qualifier)
    month = draw(st.integers(1, 12))
    if precision == "month":
        return PartialDate(year, month, qualifier=qualifier)
    return PartialDate(year, month, draw(st.integers(1, days_in_month(year, month))), qualifier=qualifier)


@st.composite
def date_intervals(draw: st.DrawFn, min_year: int = 1950, max_year: int = 2026) -> DateInterval:
    """Intervals of every form: ends of any precision, qualified or not, one of them possibly open."""
    ends = partial_dates(min_year, max_year, qualified=True)
    form = draw(st.sampled_from(("closed", "open start", "open end")))
    if form == "open start":
        return DateInterval(None, draw(ends))
    if form == "open end":
        return DateInterval(draw(ends), None)
    start, end = draw(ends), draw(ends)
    if attrs.evolve(end, qualifier=None).certainly_before(attrs.evolve(start, qualifier=None)):
        start, end = end, start  # written backwards; the other way round it is valid
    return DateInterval(start, end)


@cache
def dates(min_year: int = 1950, max_year: int = 2026) -> st.SearchStrategy[PartialDate | DateInterval]:
    """Every form a record's date takes: plain or qualified dates, and intervals (plain dates,
    the common case in the data, about half the time)."""
    return st.one_of(
        partial_dates(min_year, max_year),
        partial_dates(min_year, max_year, qualified=True),
        date_intervals(min_year, max_year),
    )


@cache
def coordinates() -> st.SearchStrategy[Coordinates]:
    """Any valid WGS84 point."""
    lat = st.floats(-90, 90, allow_nan=False, allow_infinity=False)
    lon = st.floats(-180, 180, allow_nan=False, allow_infinity=False)
    return st.builds(Coordinates, lat=lat, lon=lon)


@cache
def sources() -> st.SearchStrategy[Source]:
    """A cited page."""
    url = st.builds(lambda host, path: f"https://{host}.example.org/{path}", ids(), ids())
    return st.builds(
        Source,
        url=url,
        title=texts(),
        publisher=texts(max_size=20),
        language=st.sampled_from(("es", "zh", "en", "pt", "zh-Hans")),
        published=st.none() | partial_dates(),
        kind=st.none() | st.sampled_from(SourceKind),
        original=st.none() | texts(max_size=20),
    )


@cache
def _source_tuples() -> st.SearchStrategy[tuple[Source, ...]]:
    return st.lists(sources(), min_size=1, max_size=3, unique=True).map(tuple)


@cache
def places(
    *,
    id: st.SearchStrategy[str] | None = None,
    country: str | None = None,
    parent: str | None = None,
    kind: PlaceKind | None = None,
) -> st.SearchStrategy[Place]:
    """A place; pin ``country``, ``parent`` or ``kind`` to fit it into a hierarchy."""
    return st.builds(
        Place,
        id=ids() if id is None else id,
        kind=st.just(kind) if kind else st.sampled_from(PlaceKind),
        country=st.just(country) if country else st.sampled_from(("PE", "CN")),
        name=texts(),
        name_zh=st.none() | texts(max_size=6),
        pinyin=st.none() | texts(),
        aliases=st.lists(texts(), max_size=3, unique=True).map(tuple),
        parent=st.just(parent),
        iso_code=st.none(),
        ubigeo=(st.none() | st.text("0123456789", min_size=6, max_size=6)) if country != "CN" else st.none(),
        gb2260=(st.none() | st.integers(100000, 999999).map(str)) if country != "PE" else st.none(),
        gb2260_year=st.none() | st.integers(1980, 2026),
        wikidata=st.none() | st.integers(1, 10**8).map(lambda n: f"Q{n}"),
        coordinates=st.none() | coordinates(),
        notes=st.just("") | texts(max_size=80),
        sources=_source_tuples(),
    )


def twinnings(peruvian: Sequence[str], chinese: Sequence[str]) -> st.SearchStrategy[Twinning]:
    """A twinning between one of the given Peruvian place ids and one of the Chinese ones."""
    return st.builds(
        Twinning,
        id=ids("tw-"),
        peruvian_party=st.sampled_from(peruvian),
        chinese_party=st.sampled_from(chinese),
        kind=st.sampled_from(TwinningKind),
        status=st.sampled_from(Status),
        evidence=st.sampled_from(Evidence),
        date=st.none() | dates(),
        end_date=st.none(),
        areas=st.lists(st.sampled_from(CooperationArea), max_size=4, unique=True).map(tuple),
        summary=texts(max_size=120),
        notes=st.just("") | texts(max_size=80),
        sources=_source_tuples(),
    )


def milestones(place_ids: Sequence[str] = ()) -> st.SearchStrategy[Milestone]:
    """A bloc or meso milestone, held in some of ``place_ids`` (or elsewhere)."""
    where = st.lists(st.sampled_from(place_ids), max_size=2, unique=True) if place_ids else st.just([])
    return st.builds(
        Milestone,
        id=ids("ms-"),
        level=st.sampled_from((Level.BLOC, Level.MESO)),
        kind=st.sampled_from(MilestoneKind),
        date=st.none() | dates(),
        end_date=st.none(),
        title=texts(),
        parties=st.lists(texts(max_size=20), max_size=3, unique=True).map(tuple),
        venue=st.none() | texts(max_size=30),
        places=where.map(tuple),
        subnational=st.lists(provisions(), max_size=2, unique=True).map(tuple),
        summary=texts(max_size=120),
        notes=st.just("") | texts(max_size=80),
        sources=_source_tuples(),
    )


def exchanges(twinning_ids: Sequence[str], place_ids: Sequence[str]) -> st.SearchStrategy[Exchange]:
    """Something done under one of the given twinnings."""
    place = st.none() | st.sampled_from(place_ids)
    return st.builds(
        Exchange,
        id=ids("ex-"),
        twinning=st.sampled_from(twinning_ids),
        kind=st.sampled_from(ExchangeKind),
        evidence=st.sampled_from(Evidence),
        date=st.none() | dates(),
        origin=place,
        destination=place,
        title=texts(),
        summary=texts(max_size=120),
        notes=st.just("") | texts(max_size=80),
        sources=_source_tuples(),
    )


@cache
def provisions() -> st.SearchStrategy[Provision]:
    """What a part of a policy paper says about sub-national governments."""
    return st.builds(Provision, section=texts(max_size=20), summary=texts(max_size=80))


@cache
def totals() -> st.SearchStrategy[NationalTotal]:
    """A national count of friendship pairs."""
    return st.builds(
        NationalTotal,
        id=ids("total-"),
        date=partial_dates(),
        scope=st.sampled_from(TotalScope),
        count=st.integers(0, 5000),
        qualifier=st.sampled_from(CountQualifier),
        reporter=texts(max_size=20),
        summary=texts(max_size=80),
        notes=st.just("") | texts(max_size=40),
        sources=_source_tuples(),
    )


@st.composite
def datasets(draw: st.DrawFn, max_twinnings: int = 8) -> Dataset:
    """A whole valid dataset: countries, divisions, cities, and records that reference them."""
    countries = [
        draw(places(id=st.just("pe"), country="PE", kind=PlaceKind.COUNTRY)),
        draw(places(id=st.just("cn"), country="CN", kind=PlaceKind.COUNTRY)),
    ]
    divisions = [
        draw(places(id=ids(f"{c.id}-d"), country=c.country, parent=c.id, kind=PlaceKind.REGION))
        for c in countries
        for _ in range(draw(st.integers(1, 3)))
    ]
    cities = [
        draw(places(id=ids(f"{d.id}-c"), country=d.country, parent=d.id, kind=PlaceKind.CITY))
        for d in divisions
        for _ in range(draw(st.integers(0, 2)))
    ]
    all_places = {p.id: p for p in [*countries, *divisions, *cities]}
    peruvian = [p for p, place in all_places.items() if place.country == "PE" and p != "pe"]
    chinese = [p for p, place in all_places.items() if place.country == "CN" and p != "cn"]
    twinning_list = draw(
        st.lists(twinnings(peruvian, chinese), max_size=max_twinnings, unique_by=lambda t: t.id)
    )
    milestone_list = draw(st.lists(milestones(list(all_places)), max_size=4, unique_by=lambda m: m.id))
    exchange_list = (
        draw(
            st.lists(
                exchanges([t.id for t in twinning_list], list(all_places)),
                max_size=4,
                unique_by=lambda e: e.id,
            )
        )
        if twinning_list
        else []
    )
    total_list = draw(st.lists(totals(), max_size=2, unique_by=lambda t: t.id))
    # Record ids are drawn per type with distinct prefixes, so they cannot collide.
    return Dataset(
        places=all_places.values(),
        twinnings=twinning_list,
        milestones=milestone_list,
        exchanges=exchange_list,
        totals=total_list,
        version=draw(st.sampled_from(("2026.11.28", "test", "1"))),
        as_of=draw(st.none() | partial_dates()),
    )
