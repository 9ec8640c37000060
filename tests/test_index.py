"""The indices: positions, columns, combined answers, divisions, and the one bounded cache."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sinoperu import Dataset, Exchange, Place, PlaceKind
from sinoperu import strategies as sps
from sinoperu.dates import anchor
from sinoperu.index import ABSENT, CODES, FACETS, MAX_ANSWERS, TYPES, BoundedCache, Index, _common
from sinoperu.models import sort_key

# --- the bounded cache ------------------------------------------------------------------


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: BoundedCache[str, int] = BoundedCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # now "b" is the oldest
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)


def test_a_value_kept_first_wins() -> None:
    cache: BoundedCache[str, list[int]] = BoundedCache(4)
    first, second = [1], [1]
    assert cache.put("k", first) is first
    assert cache.put("k", second) is first


def test_bounds_must_leave_room() -> None:
    with pytest.raises(ValueError, match="room"):
        BoundedCache(0)
    with pytest.raises(ValueError, match="room"):
        BoundedCache(4, weigh=len, max_weight=0)


@given(
    st.integers(1, 8),
    st.integers(1, 20),
    st.lists(st.tuples(st.integers(0, 12), st.integers(0, 10)), max_size=60),
)
def test_bounds_hold_after_any_puts(maxsize: int, max_weight: int, puts: list[tuple[int, int]]) -> None:
    cache: BoundedCache[int, tuple[int, ...]] = BoundedCache(maxsize, weigh=len, max_weight=max_weight)
    for key, size in puts:
        value = tuple(range(size))
        kept = cache.put(key, value)
        assert len(cache) <= maxsize
        assert cache.weight <= max_weight
        assert cache.weight == sum(len(v) for v in cache._data.values())
        if size <= max_weight:
            assert cache.get(key) is kept  # what was just put is still there


def test_many_threads_keep_the_bounds() -> None:
    cache: BoundedCache[int, tuple[int, ...]] = BoundedCache(16, weigh=len, max_weight=64)

    def work(seed: int) -> None:
        for n in range(2000):
            key = (seed * 7919 + n) % 50
            cache.put(key, tuple(range(key % 9)))
            cache.get((key + 3) % 50)

    threads = [threading.Thread(target=work, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) <= 16
    assert cache.weight == sum(len(v) for v in cache._data.values()) <= 64


# --- positions and columns --------------------------------------------------------------


def brute_involving(dataset: Dataset, place_id: str) -> list[int]:
    twinnings = {t.id: t for t in dataset.twinnings}
    found = []
    for position, record in enumerate(dataset.records):
        refs = set(record.places)
        if isinstance(record, Exchange):
            refs.update(twinnings[record.twinning].places)
        if place_id in refs:
            found.append(position)
    return found


def check_places(dataset: Dataset, index: Index) -> None:
    for place in dataset.places:
        assert list(index.involving(place.id)) == brute_involving(dataset, place.id)
        below = {place.id}
        for other in dataset.places:  # every place whose chain of parents reaches this one
            chain, current = [], other
            while current is not None:
                chain.append(current.id)
                current = dataset.get(current.parent) if current.parent else None  # type: ignore[assignment]
            if place.id in chain:
                below.add(other.id)
        expected = sorted({n for ref in below for n in brute_involving(dataset, ref)})
        assert list(index.within(place.id)) == expected


def check_columns(index: Index) -> None:
    for position, record in enumerate(index.records):
        values = {
            "type": next(name for name, cls in TYPES.items() if isinstance(record, cls)),
            "level": record.level.value,
            "kind": record.kind.value,
            "evidence": getattr(getattr(record, "evidence", None), "value", None),
            "status": getattr(getattr(record, "status", None), "value", None),
        }
        for facet, value in values.items():
            code = index.column(facet)[position]
            assert code == (ABSENT if value is None else CODES[facet][value])
    for facet, vocabulary in FACETS.items():
        for code, value in enumerate(vocabulary):
            assert list(index.positions(facet, code)) == [
                n for n, code_here in enumerate(index.column(facet)) if code_here == code
            ], value


def check_divisions(dataset: Dataset, index: Index) -> None:
    for place in dataset.places:
        current: Any = place
        expected = None
        while current is not None and current.kind is not PlaceKind.COUNTRY:
            parent = dataset.get(current.parent) if current.parent else None
            if isinstance(parent, Place) and parent.kind is PlaceKind.COUNTRY:
                expected = current.id
                break
            current = parent
        assert index.division(place.id) == expected


@given(sps.datasets(), st.integers(1950, 2026), st.integers(0, 30))
def test_every_index_agrees_with_a_plain_reading_of_the_records(
    dataset: Dataset, start: int, span: int
) -> None:
    index = Index.of(dataset)
    # Chronological order, from three sorted sections.
    assert list(index.records) == sorted(
        dataset.twinnings + dataset.milestones + dataset.exchanges, key=sort_key
    )
    check_places(dataset, index)  # sorted positions by place, and below a place
    check_columns(index)  # one code per record and facet; positions by code
    low, high = index.span(start, start + span)  # a range of years is a range of positions
    assert list(range(low, high)) == [
        n for n, r in enumerate(index.records) if r.date and start <= anchor(r.date).year <= start + span
    ]
    for possible in (False, True):  # the records in those years, as each date itself reads them
        assert list(index.in_years(start, start + span, possible)) == [
            n
            for n, r in enumerate(index.records)
            if r.date and r.date.in_years(start, start + span, possible=possible)
        ]
    check_divisions(dataset, index)
    for twinning in dataset.twinnings:
        assert index.exchanges_of(twinning.id) == tuple(
            e for e in dataset.exchanges if e.twinning == twinning.id
        )


def test_a_common_value_and_a_rare_one_give_the_same_positions() -> None:
    # positions() picks bytes.find for rare codes and compress for common ones: both are exact.
    from sinoperu import load

    index = Index.of(load())
    for facet in FACETS:
        column = index.column(facet)
        for code in set(column):
            assert list(index.positions(facet, code)) == [n for n, c in enumerate(column) if c == code]


@given(
    st.lists(st.integers(0, 300), unique=True).map(sorted),
    st.lists(st.integers(0, 300), unique=True).map(sorted),
)
def test_common_positions_are_the_sorted_intersection(a: list[int], b: list[int]) -> None:
    assert _common(a, b) == sorted(set(a) & set(b))


# --- answers ----------------------------------------------------------------------------


@given(sps.datasets(), st.data())
def test_an_answer_is_every_filter_at_once(dataset: Dataset, data: st.DataObject) -> None:
    index = Index.of(dataset)
    places = [p.id for p in dataset.places]
    city = data.draw(st.none() | st.sampled_from(places))
    province = data.draw(st.none() | st.sampled_from(places))
    years = data.draw(st.none() | st.tuples(st.integers(1950, 1990), st.integers(1990, 2026)))
    possible = data.draw(st.booleans())
    facets = tuple(
        (facet, data.draw(st.sampled_from(range(len(FACETS[facet])))))
        for facet in data.draw(st.lists(st.sampled_from(sorted(FACETS)), unique=True, max_size=3))
    )
    expected = set(range(len(index.records)))
    if city is not None:
        expected &= set(index.involving(city))
    if province is not None:
        expected &= set(index.within(province))
    if years is not None:
        expected &= set(index.in_years(*years, possible))
    for facet, code in facets:
        expected &= {n for n, c in enumerate(index.column(facet)) if c == code}
    answer = index.answer(city=city, province=province, years=years, facets=facets, possible=possible)
    assert answer == tuple(index.records[n] for n in sorted(expected))
    again = index.answer(city=city, province=province, years=years, facets=facets, possible=possible)
    assert again is answer  # kept


def test_answers_stay_bounded_whatever_is_asked(bundled: Dataset) -> None:
    index = Index.of(bundled)
    for start in range(1, 3000):
        index.answer(years=(start, start + 5))
    assert len(index.answers) <= MAX_ANSWERS
    assert index.answers.weight <= 4 * len(index.records) + 65_536
