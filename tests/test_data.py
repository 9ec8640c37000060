"""Integrity of the bundled dataset: the checks a reviewer of the data would make."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

import sinoperu
from sinoperu import Dataset, PlaceKind
from sinoperu.names import exact_key, loose_key

# Generous boxes around each country: a point outside is a typo (a lost minus sign, lat and
# lon swapped), not a border subtlety.
BOUNDS = {"PE": ((-18.5, 0.1), (-81.5, -68.5)), "CN": ((18.0, 53.6), (73.4, 135.1))}

# Shared names the docs explain (docs/data.md, "Shared names"): Metropolitan Lima and the
# Lima region both go by "Lima"; Shaanxi and Shanxi meet only when tone marks are dropped.
DOCUMENTED_SHARED = {frozenset({"pe-lma", "pe-lim"}), frozenset({"cn-sn", "cn-sx"})}


def test_every_first_level_division_is_there(bundled: Dataset) -> None:
    codes = {p.iso_code for p in bundled.places if p.iso_code}
    assert sum(code.startswith("PE-") for code in codes) == 26  # 25 regions and Lima Metropolitana
    assert sum(code.startswith("CN-") for code in codes) == 34
    for place in bundled.places:
        if place.iso_code:
            assert place.parent == place.country.lower()
            assert place.id == place.iso_code.lower()


def test_every_record_cites_an_http_source(bundled: Dataset) -> None:
    for item in (*bundled.places, *bundled.records):
        assert item.sources, item.id
        for source in item.sources:
            assert re.match(r"https?://", source.url), (item.id, source.url)
            assert source.title.strip()
            assert source.publisher.strip()


def test_no_date_is_in_the_future(bundled: Dataset) -> None:
    assert bundled.as_of is not None
    for record in bundled.records:
        for date in (record.date, getattr(record, "end_date", None)):
            assert date is None or date <= bundled.as_of, record.id
        for source in record.sources:
            assert source.published is None or source.published <= bundled.as_of, record.id


def test_coordinates_lie_in_the_place_country(bundled: Dataset) -> None:
    for place in bundled.places:
        if place.coordinates is None:
            continue
        (lat_min, lat_max), (lon_min, lon_max) = BOUNDS[place.country]
        assert lat_min <= place.coordinates.lat <= lat_max, place.id
        assert lon_min <= place.coordinates.lon <= lon_max, place.id


def test_chinese_places_have_characters_and_toned_pinyin(bundled: Dataset) -> None:
    for place in bundled.places:
        if place.country != "CN":
            continue
        assert place.name_zh, place.id
        assert re.search(r"[\u4e00-\u9fff]", place.name_zh), place.id
        assert place.pinyin, place.id
        assert not place.pinyin.isascii(), f"{place.id}: pinyin without tone marks"


def test_places_hang_from_their_country(bundled: Dataset) -> None:
    by_id = {p.id: p for p in bundled.places}
    for place in bundled.places:
        if place.kind is PlaceKind.COUNTRY:
            assert place.parent is None
            continue
        assert place.parent is not None, place.id
        assert by_id[place.parent].country == place.country, place.id
        assert place.id.startswith(place.parent + "-") or place.parent in ("pe", "cn"), place.id


def test_shared_names_are_a_city_and_its_division_or_documented(bundled: Dataset) -> None:
    by_id = {p.id: p for p in bundled.places}
    for key_function in (exact_key, loose_key):
        holders: defaultdict[str, set[str]] = defaultdict(set)
        for place in bundled.places:
            for name in place.names:
                holders[key_function(name)].add(place.id)
        for key, ids in holders.items():
            if len(ids) == 1 or frozenset(ids) in DOCUMENTED_SHARED:
                continue
            assert len(ids) == 2, (key, ids)
            child, parent = sorted(ids, key=lambda i: by_id[i].parent == "pe" or by_id[i].parent == "cn")
            assert by_id[child].parent == parent, (key, ids)
            assert by_id[child].kind in {PlaceKind.CITY, PlaceKind.PREFECTURE_CITY}, (key, ids)


@pytest.mark.parametrize("name", ["Lima", "Callao", "Cusco", "Arequipa", "库斯科", "Cuzco"])
def test_shared_names_resolve_for_both_functions(name: str) -> None:
    city = sinoperu.place(name, prefer="city")
    division = sinoperu.place(name, prefer="division")
    assert city.kind in {PlaceKind.CITY, PlaceKind.PREFECTURE_CITY}
    assert division.parent in ("pe", "cn")
    sinoperu.by_city(name)
    sinoperu.by_province(name)


def test_twinnings_are_graded_and_summarised(bundled: Dataset) -> None:
    for twinning in bundled.twinnings:
        assert len(twinning.summary) >= 40, twinning.id
        if twinning.evidence is sinoperu.Evidence.REPORTED:
            assert twinning.notes, f"{twinning.id}: a reported relation must say what is unconfirmed"


def test_the_seed_relations_are_present(bundled: Dataset) -> None:
    for record_id in (
        "tw-lima-shanghai",
        "tw-chimbote-zhangzhou",
        "ms-2008-policy-paper-lac",
        "ms-2016-policy-paper-lac",
    ):
        assert bundled.get(record_id) is not None, record_id


def test_no_summary_repeats_another(bundled: Dataset) -> None:
    summaries = [r.summary for r in bundled.records if r.summary]
    assert len(summaries) == len(set(summaries))
