"""The public API answers the seed essay's questions, and refuses bad arguments clearly."""

from __future__ import annotations

from typing import Any

import pytest

import sinoperu
from sinoperu import DateInterval, Level, PartialDate, UnknownPlaceError


def ids(records: tuple[Any, ...]) -> list[str]:
    return [r.id for r in records]


def test_lima_shanghai_twinning_of_july_2018() -> None:
    twinning = sinoperu.load().lookup("tw-lima-shanghai")
    assert twinning in sinoperu.by_city("Lima")
    assert twinning in sinoperu.by_city("Shanghai")
    # The sources give only Li Qiang's 19-22 July visit, not the day of the signing.
    assert twinning.date == DateInterval(PartialDate(2018, 7, 19), PartialDate(2018, 7, 22))
    assert twinning in sinoperu.by_year(2018)


def test_shanghai_gave_lima_vehicles_and_scholarships() -> None:
    exchanges = [r for r in sinoperu.by_city("上海") if isinstance(r, sinoperu.Exchange)]
    kinds = {e.kind.value for e in exchanges if e.twinning == "tw-lima-shanghai"}
    assert {"donation", "scholarship"} <= kinds
    donation = next(e for e in exchanges if e.kind.value == "donation")
    assert (donation.origin, donation.destination) == ("cn-sh", "pe-lma")


def test_chimbote_zhangzhou_in_fujian() -> None:
    # The party is the provincial municipality of Santa, seated in Chimbote (docs/data.md).
    record = sinoperu.load().lookup("tw-chimbote-zhangzhou")
    assert record in sinoperu.by_city("Santa")
    assert sinoperu.place("Chimbote").parent == record.peruvian_party
    assert record in sinoperu.by_province("Fujian")
    assert record in sinoperu.by_province("Áncash")


def test_the_2008_and_2016_policy_papers() -> None:
    papers = sinoperu.query(level="bloc", kind="policy_paper")
    years = [p.date.year for p in papers if p.date]
    assert {2008, 2016} <= set(years)
    assert all(p.level is Level.BLOC for p in papers)


@pytest.mark.parametrize(
    "spellings",
    [
        ("Lima", "lima", "LIMA", "利马", " Lima "),
        ("Zhangzhou", "Zhangzhóu", "漳州", "ZHANGZHOU"),
        ("Cusco", "Cuzco", "cusco", "库斯科"),
        ("Xi'an", "Xian", "西安", "xi an", "Xī'ān"),
    ],
)
def test_spellings_of_a_city_give_the_same_answer(spellings: tuple[str, ...]) -> None:
    results = [sinoperu.by_city(name) for name in spellings]
    assert all(result == results[0] for result in results)
    assert results[0]


@pytest.mark.parametrize(
    "spellings", [("Fujian", "Fujián", "福建", "福建省"), ("Áncash", "Ancash", "ancash")]
)
def test_spellings_of_a_province_give_the_same_answer(spellings: tuple[str, ...]) -> None:
    results = [sinoperu.by_province(name) for name in spellings]
    assert all(result == results[0] for result in results)


def test_tones_keep_shaanxi_and_shanxi_apart() -> None:
    shaanxi, shanxi = sinoperu.place("Shaanxi"), sinoperu.place("Shanxi")
    assert shaanxi.id != shanxi.id
    assert sinoperu.place("陕西") == sinoperu.place("Shǎnxī") == shaanxi
    assert sinoperu.place("山西") == sinoperu.place("Shānxī") == shanxi


def test_lima_means_the_city_and_ids_pick_the_others() -> None:
    assert sinoperu.place("Lima", prefer="city").id == "pe-lma"
    assert sinoperu.place("Lima", prefer="division").id == "pe-lma"
    assert sinoperu.place("pe-lim").id == "pe-lim"
    assert sinoperu.by_province("pe-lim") != sinoperu.by_province("Lima")


def test_unknown_names_suggest_the_nearest() -> None:
    with pytest.raises(UnknownPlaceError) as caught:
        sinoperu.by_city("Chimbotte")
    assert "Chimbote" in caught.value.suggestions
    assert "did you mean 'Chimbote'" in str(caught.value)
    assert isinstance(caught.value, LookupError)


def test_known_place_without_records_gives_an_empty_tuple() -> None:
    quiet = [p for p in sinoperu.load().places if not sinoperu.by_province(p.id)]
    assert quiet, "expected some place with no record"
    assert sinoperu.by_city(quiet[0].id) == ()


def test_year_range_is_inclusive() -> None:
    decade = sinoperu.by_year(2010, 2019)
    for record in decade:
        assert record.date is not None, record.id
        earliest, latest = record.date.earliest, record.date.latest
        assert earliest is not None, record.id
        assert latest is not None, record.id
        assert earliest.year >= 2010, record.id
        assert latest.year <= 2019, record.id
    assert set(ids(sinoperu.by_year(2010))) <= set(ids(decade))
    assert set(ids(sinoperu.by_year(2019))) <= set(ids(decade))


def test_level_takes_text_or_enum() -> None:
    assert sinoperu.by_level("micro") == sinoperu.by_level(Level.MICRO) == sinoperu.by_level("MICRO")


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: sinoperu.by_city(5), TypeError, "place name is text"),
        (lambda: sinoperu.by_city(None), TypeError, "place name is text"),
        (lambda: sinoperu.by_province(["Fujian"]), TypeError, "place name is text"),
        (lambda: sinoperu.by_year("2018"), TypeError, "int year"),
        (lambda: sinoperu.by_year(2018.0), TypeError, "int year"),
        (lambda: sinoperu.by_year(2019, 2010), ValueError, "range is empty"),
        (lambda: sinoperu.by_level("macro"), ValueError, "'bloc', 'meso', 'micro'"),
        (lambda: sinoperu.by_level(3), TypeError, "level must be"),
        (lambda: sinoperu.query(kind="twin"), ValueError, "valid kinds are"),
        (lambda: sinoperu.query(kind=3), TypeError, "kind must be"),
        (lambda: sinoperu.query(year="2018"), TypeError, "year must be"),
        (lambda: sinoperu.query(year=(2018,)), TypeError, "year must be"),
    ],
)
def test_bad_arguments_raise_clear_errors(call: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()


def test_module_functions_match_dataset_methods() -> None:
    ds = sinoperu.load()
    assert sinoperu.by_city("Lima") == ds.by_city("Lima")
    assert sinoperu.by_province("Cusco") == ds.by_province("Cusco")
    assert sinoperu.by_year(2016) == ds.by_year(2016)
    assert sinoperu.by_level("bloc") == ds.by_level("bloc")
    assert sinoperu.query(province="Lima", year=(2010, 2020)) == ds.query(province="Lima", year=(2010, 2020))


def test_query_without_filters_gives_everything() -> None:
    assert sinoperu.query() == sinoperu.load().records


def test_versions() -> None:
    ds = sinoperu.load()
    assert sinoperu.__version__.count(".") == 2
    assert ds.version
    assert ds.as_of is not None
    assert ds.as_of <= PartialDate(2026, 12, 31)
