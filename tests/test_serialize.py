from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sinoperu
from sinoperu import Dataset, DatasetError, PartialDate, from_json, to_json
from sinoperu import strategies as sps
from sinoperu.serialize import converter

PE = ["pe-a", "pe-b"]
CN = ["cn-a"]


@given(sps.partial_dates())
def test_dates_round_trip_with_their_precision(date: PartialDate) -> None:
    assert from_json(to_json(date)) == date
    assert json.loads(to_json(date)) == date.isoformat()


@given(sps.places())
def test_places_round_trip(place: sinoperu.Place) -> None:
    assert from_json(to_json(place)) == place


@given(sps.sources())
def test_sources_round_trip(source: sinoperu.Source) -> None:
    assert from_json(to_json(source)) == source


@given(sps.twinnings(PE, CN))
def test_twinnings_round_trip(twinning: sinoperu.Twinning) -> None:
    assert from_json(to_json(twinning)) == twinning


@given(sps.milestones(PE))
def test_milestones_round_trip(milestone: sinoperu.Milestone) -> None:
    assert from_json(to_json(milestone)) == milestone


@given(sps.exchanges(["tw-x"], PE + CN))
def test_exchanges_round_trip(exchange: sinoperu.Exchange) -> None:
    assert from_json(to_json(exchange)) == exchange


@given(st.lists(sps.twinnings(PE, CN) | sps.milestones(PE), max_size=5).map(tuple))
def test_tuples_of_records_round_trip(records: tuple[Any, ...]) -> None:
    assert from_json(to_json(records)) == records


@given(sps.datasets())
def test_datasets_round_trip_and_output_is_canonical(dataset: Dataset) -> None:
    text = to_json(dataset)
    again = from_json(text)
    assert again == dataset
    assert to_json(again) == text  # byte-identical


def test_bundled_file_is_in_canonical_form(bundled: Dataset) -> None:
    from importlib.resources import files

    text = files("sinoperu").joinpath("data", "sinoperu.json").read_text(encoding="utf-8")
    assert to_json(bundled) == text


def test_output_keeps_chinese_characters_readable(bundled: Dataset) -> None:
    text = to_json(bundled)
    assert "利马" in text
    assert "\\u" not in text


def test_a_record_carries_its_type_tag() -> None:
    place = sinoperu.load().places[0]
    assert json.loads(to_json(place))["type"] == "place"


def test_to_json_refuses_other_objects() -> None:
    with pytest.raises(TypeError, match="to_json takes"):
        to_json({"a": 1})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ('{"type": "nothing"}', "'type' is one of"),
        ("[1]", "'type' is one of"),
        ('"2019-02-30"', "30 is not a day"),
        ('{"a": 1, "a": 2}', "appears twice"),
        ("NaN", "not a number JSON allows"),
        ("1e400", "too large"),
    ],
)
def test_from_json_refuses_bad_text(text: str, message: str) -> None:
    with pytest.raises(DatasetError, match=message):
        from_json(text)


def test_from_json_takes_utf8_bytes_and_refuses_other_bytes() -> None:
    assert from_json(b'"2018"') == PartialDate(2018)
    with pytest.raises(DatasetError, match="not UTF-8"):
        from_json(b'"\xff"')


def test_converter_is_strict_about_types() -> None:
    raw = json.loads(to_json(sinoperu.load().places[0]))
    del raw["type"]
    raw["name"] = 5
    with pytest.raises(Exception, match="While structuring Place"):
        converter.structure(raw, sinoperu.Place)
    with pytest.raises(DatasetError, match="field 'name': expected text, got 5"):
        from_json(json.dumps({"type": "place", **raw}))
    raw["name"], raw["kind"] = "Lima", "capital"
    with pytest.raises(DatasetError, match="field 'kind': 'capital' is not one of 'country'"):
        from_json(json.dumps({"type": "place", **raw}))
