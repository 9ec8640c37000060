from __future__ import annotations

from typing import Any

import attrs
import pytest
from hypothesis import given

from sinoperu import (
    Coordinates,
    Evidence,
    InvalidFieldError,
    Level,
    Milestone,
    MilestoneKind,
    PartialDate,
    Place,
    PlaceKind,
    Source,
    Status,
    Twinning,
    TwinningKind,
)
from sinoperu import strategies as sps

SOURCE = Source(url="https://example.org/page", title="A page", publisher="Example", language="es")


def twinning(**changes: Any) -> Twinning:
    fields: dict[str, Any] = {
        "id": "tw-a-b",
        "peruvian_party": "pe-a",
        "chinese_party": "cn-b",
        "kind": TwinningKind.SISTER_CITY,
        "status": Status.IN_FORCE,
        "evidence": Evidence.CONFIRMED,
        "date": PartialDate(2018, 7),
        "summary": "A test twinning.",
        "sources": (SOURCE,),
    }
    fields.update(changes)
    return Twinning(**fields)


def test_records_are_frozen_and_slotted() -> None:
    record = twinning()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        record.status = Status.ENDED  # type: ignore[misc]
    with pytest.raises((AttributeError, TypeError)):
        record.extra = 1  # type: ignore[attr-defined]
    assert not hasattr(record, "__dict__")


def test_lists_are_frozen_into_tuples() -> None:
    sources = [SOURCE]
    record = twinning(sources=sources)
    sources.append(SOURCE)
    assert record.sources == (SOURCE,)
    assert isinstance(record.sources, tuple)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id": "Tw Lima"}, "id"),
        ({"id": "tw--lima"}, "id"),
        ({"peruvian_party": ""}, "peruvian_party"),
        ({"kind": "sister_city"}, "kind"),
        ({"status": None}, "status"),
        ({"evidence": "sure"}, "evidence"),
        ({"date": "2018-07"}, "date"),
        ({"areas": ("education",)}, "areas"),
        ({"summary": 5}, "summary"),
        ({"summary": "x" * 20_001}, "summary"),
        ({"sources": ()}, "sources"),
        ({"sources": (SOURCE, SOURCE)}, "sources"),
    ],
)
def test_twinning_validation_names_the_field(changes: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidFieldError) as caught:
        twinning(**changes)
    assert caught.value.field == field


def test_a_lone_string_is_not_taken_for_a_list() -> None:
    with pytest.raises(TypeError, match="expected a list or tuple"):
        twinning(sources="https://example.org")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"url": "ftp://example.org"}, "url"),
        ({"url": "https://"}, "url"),
        ({"url": "https://exa mple.org"}, "url"),
        ({"title": "  "}, "title"),
        ({"language": "Spanish"}, "language"),
        ({"published": "2018"}, "published"),
    ],
)
def test_source_validation(changes: dict[str, Any], field: str) -> None:
    fields = {"url": "https://example.org", "title": "t", "publisher": "p", "language": "es", **changes}
    with pytest.raises(InvalidFieldError) as caught:
        Source(**fields)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("lat", "lon", "field"),
    [
        (90.5, 0.0, "lat"),
        (0.0, -181.0, "lon"),
        (float("nan"), 0.0, "lat"),
        (0.0, float("inf"), "lon"),
        (True, 0, "lat"),
    ],
)
def test_coordinates_out_of_range(lat: float, lon: float, field: str) -> None:
    with pytest.raises(InvalidFieldError) as caught:
        Coordinates(lat=lat, lon=lon)
    assert caught.value.field == field


def test_place_checks_iso_code_against_country_and_self_parent() -> None:
    base: dict[str, Any] = {
        "id": "pe-cus",
        "kind": PlaceKind.REGION,
        "country": "PE",
        "name": "Cusco",
        "sources": (SOURCE,),
    }
    assert Place(**base, iso_code="PE-CUS").iso_code == "PE-CUS"
    with pytest.raises(InvalidFieldError, match="iso_code"):
        Place(**base, iso_code="CN-FJ")
    with pytest.raises(InvalidFieldError, match="parent"):
        Place(**base, parent="pe-cus")
    with pytest.raises(InvalidFieldError, match="country"):
        Place(**{**base, "country": "Peru"})


def test_milestone_level_and_end_date() -> None:
    fields: dict[str, Any] = {
        "id": "ms-x",
        "level": Level.BLOC,
        "kind": MilestoneKind.POLICY_PAPER,
        "date": PartialDate(2016, 11, 24),
        "title": "A paper",
        "summary": "A paper on the region.",
        "sources": (SOURCE,),
    }
    assert Milestone(**fields).level is Level.BLOC
    with pytest.raises(InvalidFieldError, match="level"):
        Milestone(**{**fields, "level": Level.MICRO})
    with pytest.raises(InvalidFieldError, match="end_date"):
        Milestone(**fields, end_date=PartialDate(2016, 11, 1))


def test_micro_records_report_their_level() -> None:
    assert twinning().level is Level.MICRO
    assert twinning().places == ("pe-a", "cn-b")


@given(sps.places())
def test_generated_places_are_hashable_and_equal_to_their_copy(place: Place) -> None:
    copy = attrs.evolve(place)
    assert copy == place
    assert hash(copy) == hash(place)
    assert place.names[0] == place.name
