from __future__ import annotations

import pickle
import re
from enum import Enum
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sinoperu import (
    AmbiguousPlaceError,
    Dataset,
    DatasetError,
    Evidence,
    Exchange,
    Level,
    Milestone,
    PartialDate,
    Place,
    PlaceKind,
    Source,
    Status,
    Twinning,
    UnknownPlaceError,
)
from sinoperu import strategies as sps
from sinoperu.dates import anchor
from sinoperu.models import sort_key
from sinoperu.names import exact_key


def attempt(function: Any, *args: Any) -> Any:
    """The result, or the type of LookupError raised: lets properties compare both."""
    try:
        return function(*args)
    except LookupError as error:
        return type(error)


# --- properties over random datasets --------------------------------------------------


@given(sps.datasets(), st.data())
def test_query_results_are_chronological_subsets(dataset: Dataset, data: st.DataObject) -> None:
    records = set(map(id, dataset.records))
    place = data.draw(st.sampled_from(dataset.places))
    for result in (
        attempt(dataset.by_city, place.id),
        attempt(dataset.by_province, place.id),
        dataset.by_level(data.draw(st.sampled_from(Level))),
        dataset.by_year(data.draw(st.integers(1950, 2026))),
    ):
        assert set(map(id, result)) <= records
        assert list(result) == sorted(result, key=sort_key)


@given(sps.datasets(), st.data())
def test_query_is_the_intersection_of_single_filters(dataset: Dataset, data: st.DataObject) -> None:
    place = data.draw(st.sampled_from(dataset.places)).id
    filters = {
        "city": place,
        "province": data.draw(st.sampled_from(dataset.places)).id,
        "year": data.draw(
            st.integers(1950, 2026) | st.tuples(st.integers(1950, 1990), st.integers(1990, 2026))
        ),
        "level": data.draw(st.sampled_from(Level)),
        "kind": data.draw(st.sampled_from(["sister_city", "policy_paper", "donation", "memorandum"])),
    }
    chosen = data.draw(st.lists(st.sampled_from(sorted(filters)), min_size=1, unique=True))
    singles = [dataset.query(**{name: filters[name]}) for name in chosen]
    together = dataset.query(**{name: filters[name] for name in chosen})
    expected = [r for r in dataset.records if all(any(r is s for s in single) for single in singles)]
    assert list(together) == expected


def _plain(record: Any) -> bool:
    return isinstance(record.date, PartialDate) and record.date.qualifier is None


@given(sps.datasets(), st.integers(1950, 2026), st.integers(0, 15))
def test_year_range_is_the_union_of_single_years(dataset: Dataset, start: int, span: int) -> None:
    # For plain dates exactly; an interval or a hedged date may lie in the range but in no one year.
    union = [r for year in range(start, start + span + 1) for r in dataset.by_year(year)]
    ranged = dataset.by_year(start, start + span)
    assert {id(r) for r in union} <= {id(r) for r in ranged}
    assert [r for r in ranged if _plain(r)] == [r for r in union if _plain(r)]
    assert all(start <= anchor(r.date).year <= start + span for r in ranged if r.date)


@given(sps.datasets(), st.integers(1950, 2026), st.integers(0, 15), st.booleans())
def test_by_year_keeps_the_records_certainly_or_possibly_in_the_years(
    dataset: Dataset, start: int, span: int, possible: bool
) -> None:
    expected = [
        r for r in dataset.records if r.date and r.date.in_years(start, start + span, possible=possible)
    ]
    assert list(dataset.by_year(start, start + span, possible=possible)) == expected
    if possible:
        assert {id(r) for r in dataset.by_year(start, start + span)} <= {id(r) for r in expected}


@given(sps.datasets())
def test_levels_partition_the_records(dataset: Dataset) -> None:
    by_level = [dataset.by_level(level) for level in Level]
    assert sum(map(len, by_level)) == len(dataset.records) == len(dataset)
    assert set(map(id, dataset.by_level("micro"))) == set(map(id, dataset.twinnings + dataset.exchanges))


@given(sps.datasets(), st.data())
def test_spelling_variants_of_a_name_give_identical_results(dataset: Dataset, data: st.DataObject) -> None:
    place = data.draw(st.sampled_from(dataset.places))
    name = data.draw(st.sampled_from(place.names))
    assume(exact_key(name))  # a name of punctuation only has no key
    variant = data.draw(st.sampled_from([name.upper(), name.lower(), f" {name} ", name.replace(" ", "-")]))
    assume(exact_key(variant) == exact_key(name))  # e.g. 'ǰ'.upper() changes the letters
    assert attempt(dataset.by_city, variant) == attempt(dataset.by_city, name)
    assert attempt(dataset.by_province, variant) == attempt(dataset.by_province, name)


@given(sps.datasets(), st.data())
def test_province_results_include_city_results_below(dataset: Dataset, data: st.DataObject) -> None:
    place = data.draw(st.sampled_from([p for p in dataset.places if p.parent]))
    below = set(map(id, dataset.by_city(place.id)))
    assert below <= set(map(id, dataset.by_province(place.parent)))


@given(sps.datasets())
def test_records_cannot_be_mutated_through_the_dataset(dataset: Dataset) -> None:
    assert isinstance(dataset.places, tuple)
    for record in dataset.records[:3]:
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            record.id = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        dataset.places = ()  # type: ignore[misc]


@given(sps.datasets())
def test_datasets_pickle(dataset: Dataset) -> None:
    assert pickle.loads(pickle.dumps(dataset)) == dataset


# --- construction and validation -------------------------------------------------------


def test_records_are_sorted_by_date_then_id_with_undated_last(bundled: Dataset) -> None:
    for records in (bundled.twinnings, bundled.milestones, bundled.exchanges, bundled.records):
        assert list(records) == sorted(records, key=sort_key)
    dated = [r.date is not None for r in bundled.records]
    assert dated == sorted(dated, reverse=True)


def test_input_order_does_not_matter(bundled: Dataset) -> None:
    shuffled = Dataset(
        places=reversed(bundled.places),
        twinnings=reversed(bundled.twinnings),
        milestones=reversed(bundled.milestones),
        exchanges=reversed(bundled.exchanges),
        totals=reversed(bundled.totals),
        version=bundled.version,
        as_of=bundled.as_of,
    )
    assert bundled.totals  # the bundled data has totals, so their order is exercised too
    assert shuffled == bundled
    assert hash(shuffled) == hash(bundled)


def _rebuild(bundled: Dataset, **changes: Any) -> Dataset:
    parts: dict[str, Any] = {
        "places": bundled.places,
        "twinnings": bundled.twinnings,
        "milestones": bundled.milestones,
        "exchanges": bundled.exchanges,
    }
    parts.update(changes)
    return Dataset(**parts)


def test_duplicate_ids_are_refused(bundled: Dataset) -> None:
    with pytest.raises(DatasetError, match="duplicate id") as caught:
        _rebuild(bundled, twinnings=bundled.twinnings + bundled.twinnings[:1])
    assert caught.value.field == "id"


def test_dangling_references_are_refused(bundled: Dataset) -> None:
    bad = attrs.evolve(bundled.twinnings[0], chinese_party="cn-nowhere")
    with pytest.raises(DatasetError, match="'cn-nowhere' is not a place") as caught:
        _rebuild(bundled, twinnings=(bad, *bundled.twinnings[1:]))
    assert caught.value.field == "chinese_party"
    assert bad.id in str(caught.value)


def test_parties_must_be_in_the_right_country(bundled: Dataset) -> None:
    twinning = bundled.twinnings[0]
    swapped = attrs.evolve(twinning, chinese_party=twinning.peruvian_party)
    with pytest.raises(DatasetError, match="not CN"):
        _rebuild(bundled, twinnings=(swapped, *bundled.twinnings[1:]))


def test_exchange_must_point_at_a_twinning(bundled: Dataset) -> None:
    exchange = bundled.exchanges[0]
    bad = attrs.evolve(exchange, twinning=bundled.milestones[0].id)
    with pytest.raises(DatasetError, match="is not a twinning") as caught:
        _rebuild(bundled, exchanges=(bad, *bundled.exchanges[1:]))
    assert caught.value.field == "twinning"


def test_cycles_among_places_are_refused(bundled: Dataset) -> None:
    by_id = {p.id: p for p in bundled.places}
    looped = {**by_id, "pe": attrs.evolve(by_id["pe"], parent="pe-cus")}
    with pytest.raises(DatasetError, match="cycle"):
        _rebuild(bundled, places=looped.values())


def test_wrong_record_types_are_refused() -> None:
    with pytest.raises(DatasetError, match=r"twinnings\[0\]"):
        Dataset(twinnings=["tw-a"])  # type: ignore[list-item]
    with pytest.raises(DatasetError, match="version"):
        Dataset(version="")
    with pytest.raises(DatasetError, match="as_of"):
        Dataset(as_of="2018")  # type: ignore[arg-type]


# --- lookups --------------------------------------------------------------------------


def test_get_returns_none_and_lookup_raises(bundled: Dataset) -> None:
    assert bundled.get("tw-lima-shanghai") is bundled.lookup("tw-lima-shanghai")
    assert bundled.get("nothing") is None
    with pytest.raises(LookupError, match="nothing"):
        bundled.lookup("nothing")
    with pytest.raises(TypeError):
        bundled.get(5)  # type: ignore[arg-type]


def test_place_objects_are_accepted_but_foreign_ones_refused(bundled: Dataset) -> None:
    lima = bundled.place("Lima")
    assert bundled.by_city(lima) == bundled.by_city("Lima")
    stranger = attrs.evolve(lima, name="Not Lima")
    with pytest.raises(UnknownPlaceError):
        bundled.by_city(stranger)


def test_ambiguous_names_list_the_candidates() -> None:
    src = Source(url="https://example.org", title="t", publisher="p", language="en")
    places = [
        Place(id="pe", kind=PlaceKind.COUNTRY, country="PE", name="Perú", sources=(src,)),
        Place(id="pe-a", kind=PlaceKind.REGION, country="PE", name="Santa", parent="pe", sources=(src,)),
        Place(id="pe-b", kind=PlaceKind.REGION, country="PE", name="Santa", parent="pe", sources=(src,)),
    ]
    dataset = Dataset(places=places)
    with pytest.raises(AmbiguousPlaceError) as caught:
        dataset.by_province("santa")
    assert caught.value.candidates == ("pe-a", "pe-b")
    assert dataset.by_province("pe-a") == ()


def test_prefer_must_be_known(bundled: Dataset) -> None:
    with pytest.raises(ValueError, match="prefer"):
        bundled.place("Lima", prefer="town")


def test_repr_and_len(bundled: Dataset) -> None:
    assert repr(bundled).startswith(f"<Dataset {bundled.version}: {len(bundled.places)} places")
    assert len(bundled) == len(bundled.records)


def test_as_of_is_a_partial_date(bundled: Dataset) -> None:
    assert isinstance(bundled.as_of, PartialDate)


# --- filters by evidence, status and type ----------------------------------------------

FILTER_VALUES: dict[str, list[Any]] = {
    "evidence": ["confirmed", "reported", Evidence.CONFIRMED, " Reported "],
    "status": ["in_force", "ended", Status.DRAFT, "INTENT"],
    "type": ["twinning", "milestone", "exchange", Twinning, Milestone, Exchange, " Twinning"],
    "level": ["micro", "bloc", Level.MESO],
    "kind": ["sister_city", "policy_paper", "donation", "memorandum", "other"],
}


def passes(record: Any, name: str, value: Any) -> bool:
    """What a single filter means, written out plainly."""
    if name == "type":
        cls = (
            value
            if isinstance(value, type)
            else {"twinning": Twinning, "milestone": Milestone}.get(value.strip().lower(), Exchange)
        )
        return isinstance(record, cls)
    attribute = getattr(record, name, None)
    if attribute is None:
        return False
    wanted = value.value if isinstance(value, Enum) else value
    return bool(attribute.value == (wanted if name == "kind" else wanted.strip().lower()))


@given(sps.datasets(), st.data())
def test_each_new_filter_keeps_exactly_the_records_that_pass_it(
    dataset: Dataset, data: st.DataObject
) -> None:
    for name, values in FILTER_VALUES.items():
        value = data.draw(st.sampled_from(values))
        expected = [r for r in dataset.records if passes(r, name, value)]
        assert list(dataset.query(**{name: value})) == expected


@given(sps.datasets(), st.data())
def test_several_filters_are_the_intersection_of_each_in_order(dataset: Dataset, data: st.DataObject) -> None:
    filters: dict[str, Any] = {
        name: data.draw(st.sampled_from(values)) for name, values in FILTER_VALUES.items()
    }
    filters["city"] = data.draw(st.sampled_from(dataset.places)).id
    filters["province"] = data.draw(st.sampled_from(dataset.places)).id
    filters["year"] = data.draw(
        st.integers(1950, 2026) | st.tuples(st.integers(1950, 1990), st.integers(1990, 2026))
    )
    chosen = data.draw(st.lists(st.sampled_from(sorted(filters)), min_size=2, unique=True))
    singles = [{id(r) for r in dataset.query(**{name: filters[name]})} for name in chosen]
    together = dataset.query(**{name: filters[name] for name in chosen})
    assert list(together) == [r for r in dataset.records if all(id(r) in single for single in singles)]


def test_milestones_match_no_evidence_or_status(bundled: Dataset) -> None:
    for grade in Evidence:
        assert not any(isinstance(r, Milestone) for r in bundled.query(evidence=grade))
    for status in Status:
        assert all(isinstance(r, Twinning) for r in bundled.query(status=status))
    graded = sum(len(bundled.query(evidence=grade)) for grade in Evidence)
    assert graded == len(bundled.twinnings) + len(bundled.exchanges)


@pytest.mark.parametrize(
    ("filters", "error", "message"),
    [
        (
            {"evidence": "certain"},
            ValueError,
            "valid evidence grades are 'confirmed', 'official_media', 'reported'",
        ),
        (
            {"status": "active"},
            ValueError,
            "valid statuses are 'in_force', 'draft', 'intent', 'ended', 'unknown'",
        ),
        ({"type": "event"}, ValueError, "valid types are 'twinning', 'milestone', 'exchange'"),
        ({"type": Place}, ValueError, "type must be one of 'twinning', 'milestone', 'exchange' or its class"),
        ({"type": int}, ValueError, "not int"),
        ({"evidence": 1}, TypeError, "evidence must be an Evidence or text, got int"),
        ({"status": ["in_force"]}, TypeError, "status must be a Status or text, got list"),
        ({"type": 3}, TypeError, "type must be text or a record class, got int"),
        ({"level": Evidence.CONFIRMED}, ValueError, "unknown level"),
        ({"year": True}, TypeError, "year must be"),
        ({"year": (2010, "2012")}, TypeError, "end must be an int"),
    ],
)
def test_bad_filter_values_are_refused_clearly(
    bundled: Dataset, filters: dict[str, Any], error: type, message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        bundled.query(**filters)


def test_the_module_query_takes_the_same_filters() -> None:
    import inspect

    import sinoperu

    assert inspect.signature(sinoperu.query).parameters.keys() == inspect.signature(
        Dataset.query
    ).parameters.keys() - {"self"}
    assert sinoperu.query(type="milestone", level="bloc") == sinoperu.load().query(
        type=Milestone, level="bloc"
    )


# --- navigation ---------------------------------------------------------------------------


@given(sps.datasets(), st.data())
def test_division_is_idempotent_and_lies_under_a_country(dataset: Dataset, data: st.DataObject) -> None:
    place = data.draw(st.sampled_from(dataset.places))
    division = dataset.division(place)
    assert division == dataset.division(place.id)
    if place.kind is PlaceKind.COUNTRY:
        assert division is None
    if division is not None:
        parent = dataset.get(division.parent)  # type: ignore[arg-type]
        assert isinstance(parent, Place)
        assert parent.kind is PlaceKind.COUNTRY
        assert dataset.division(division) == division
        assert set(map(id, dataset.by_city(place.id))) <= set(map(id, dataset.by_province(division.id)))


def test_division_of_the_bundled_places(bundled: Dataset) -> None:
    assert bundled.division("Kaiping").id == "cn-gd"  # type: ignore[union-attr]
    assert bundled.division("Zhongmu").id == "cn-ha"  # type: ignore[union-attr]
    assert bundled.division("Chancay").id == "pe-lim"  # type: ignore[union-attr]
    assert bundled.division("Cusco").id == "pe-cus"  # type: ignore[union-attr]
    assert bundled.division("Lima").id == "pe-lma"  # type: ignore[union-attr]
    assert bundled.division("Shanghai").id == "cn-sh"  # type: ignore[union-attr]
    assert bundled.division("China") is None
    with pytest.raises(UnknownPlaceError):
        bundled.division("Atlantis")
    with pytest.raises(TypeError):
        bundled.division(5)  # type: ignore[arg-type]


def test_exchanges_of_a_twinning(bundled: Dataset) -> None:
    twinning = bundled.lookup("tw-lima-shanghai")
    assert isinstance(twinning, Twinning)
    under = bundled.exchanges_of(twinning)
    assert under == bundled.exchanges_of("tw-lima-shanghai")
    assert under == tuple(e for e in bundled.exchanges if e.twinning == twinning.id)
    assert list(under) == sorted(under, key=sort_key)
    assert len(under) == 4
    assert bundled.exchanges_of("tw-chimbote-zhangzhou") == ()
    with pytest.raises(LookupError, match="is an exchange, not a twinning"):
        bundled.exchanges_of(under[0].id)
    with pytest.raises(LookupError, match="is nothing"):
        bundled.exchanges_of("tw-nowhere")
    with pytest.raises(LookupError, match="not one of this dataset"):
        bundled.exchanges_of(attrs.evolve(twinning, summary="changed"))
    with pytest.raises(TypeError, match="a twinning is a Twinning or its id"):
        bundled.exchanges_of(5)  # type: ignore[arg-type]
