from __future__ import annotations

import pytest
from hypothesis import given

from sinoperu import InvalidFieldError, PartialDate
from sinoperu import strategies as sps


@pytest.mark.parametrize(
    ("text", "parts", "precision"),
    [
        ("2018", (2018, None, None), "year"),
        ("2018-07", (2018, 7, None), "month"),
        ("2018-07-21", (2018, 7, 21), "day"),
        ("2024-02-29", (2024, 2, 29), "day"),
    ],
)
def test_parse_keeps_precision(text: str, parts: tuple[int, int | None, int | None], precision: str) -> None:
    date = PartialDate.parse(text)
    assert (date.year, date.month, date.day) == parts
    assert date.precision == precision
    assert date.isoformat() == text == str(date)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("2019-02-30", "day"),
        ("2023-02-29", "day"),
        ("2018-13", "month"),
        ("2018-00", "month"),
        ("0000", "year"),
        ("18-07-2018", "date"),
        ("2018-7", "date"),
        ("2018-07-21T10:00", "date"),
        ("", "date"),
    ],
)
def test_parse_refuses_impossible_dates(text: str, field: str) -> None:
    with pytest.raises(InvalidFieldError) as caught:
        PartialDate.parse(text)
    assert caught.value.field == field


def test_day_needs_month_and_ints_only() -> None:
    with pytest.raises(InvalidFieldError, match="day: a day needs a month"):
        PartialDate(2018, None, 3)
    with pytest.raises(InvalidFieldError, match="year"):
        PartialDate(True)  # type: ignore[arg-type]
    with pytest.raises(InvalidFieldError, match="month"):
        PartialDate(2018, 7.0)  # type: ignore[arg-type]


def test_order_puts_coarser_dates_first() -> None:
    dates = [PartialDate(2018, 7, 21), PartialDate(2018), PartialDate(2017, 12), PartialDate(2018, 7)]
    assert sorted(dates) == [
        PartialDate(2017, 12),
        PartialDate(2018),
        PartialDate(2018, 7),
        PartialDate(2018, 7, 21),
    ]
    assert PartialDate(2018) != PartialDate(2018, 1)


def test_comparison_with_other_types_is_refused() -> None:
    with pytest.raises(TypeError):
        _ = PartialDate(2018) < 2019  # type: ignore[operator]


@given(sps.partial_dates())
def test_iso_text_round_trips(date: PartialDate) -> None:
    assert PartialDate.parse(date.isoformat()) == date


@given(sps.partial_dates(), sps.partial_dates())
def test_order_agrees_with_iso_text_of_equal_precision(a: PartialDate, b: PartialDate) -> None:
    if a.precision == b.precision:
        assert (a < b) == (a.isoformat() < b.isoformat())
    assert (a < b) + (a == b) + (a > b) == 1
