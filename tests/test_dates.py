from __future__ import annotations

import calendar
import datetime
import json
import math
import re
from typing import Any

import attrs
import edtf
import pytest
import regress
from hypothesis import assume, given
from hypothesis import strategies as st

import sinoperu
from sinoperu import (
    Dataset,
    DatasetError,
    DateInterval,
    InvalidFieldError,
    Level,
    Milestone,
    MilestoneKind,
    PartialDate,
    Qualifier,
    Source,
    format_date,
    from_json,
    parse_date,
    serialize,
    to_json,
)
from sinoperu import strategies as sps
from sinoperu.dates import DATE_PATTERN, PLAIN_DATE_PATTERN, anchor, sort_key

Value = PartialDate | DateInterval
U, A, UA = Qualifier.UNCERTAIN, Qualifier.APPROXIMATE, Qualifier.UNCERTAIN_APPROXIMATE
D = datetime.date

# Close years, so that generated values meet, nest and touch as often as they miss.
close_dates = sps.dates(2018, 2020)
any_dates = sps.dates(1, 9999)


def plain(value: Value) -> Value:
    """The value as stated, qualifiers dropped."""
    if isinstance(value, PartialDate):
        return attrs.evolve(value, qualifier=None)
    start, end = (None if e is None else attrs.evolve(e, qualifier=None) for e in (value.start, value.end))
    return DateInterval(start, end)


def refused(text: Any) -> InvalidFieldError | None:
    try:
        parse_date(text)
    except InvalidFieldError as error:
        return error
    return None


# --- the existing API, unchanged --------------------------------------------------------


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
    assert date.qualifier is None
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
        ("2007/2010", "date"),
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
    with pytest.raises(InvalidFieldError, match="qualifier"):
        PartialDate(2018, qualifier="uncertain")  # type: ignore[arg-type]


def test_order_puts_coarser_dates_first() -> None:
    dates = [PartialDate(2018, 7, 21), PartialDate(2018), PartialDate(2017, 12), PartialDate(2018, 7)]
    assert sorted(dates) == [
        PartialDate(2017, 12),
        PartialDate(2018),
        PartialDate(2018, 7),
        PartialDate(2018, 7, 21),
    ]
    assert PartialDate(2018) != PartialDate(2018, 1)
    assert PartialDate(2018) != PartialDate(2018, qualifier=U)


def test_comparison_with_other_types_is_refused() -> None:
    with pytest.raises(TypeError):
        _ = PartialDate(2018) < 2019  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = PartialDate(2018) < parse_date("2018/2019")  # type: ignore[operator]
    for method in ("certainly_before", "possibly_before", "overlaps"):
        with pytest.raises(TypeError, match="PartialDate or a DateInterval"):
            getattr(PartialDate(2018), method)(None)
        with pytest.raises(TypeError, match="PartialDate or a DateInterval"):
            getattr(parse_date("2018/2019"), method)("2019")
    for function in (sort_key, format_date, anchor):
        with pytest.raises(TypeError):
            function("2019")  # type: ignore[arg-type]


@given(sps.partial_dates())
def test_iso_text_round_trips(date: PartialDate) -> None:
    assert PartialDate.parse(date.isoformat()) == date


@given(sps.partial_dates(), sps.partial_dates())
def test_order_agrees_with_iso_text_of_equal_precision(a: PartialDate, b: PartialDate) -> None:
    if a.precision == b.precision:
        assert (a < b) == (a.isoformat() < b.isoformat())
    assert (a < b) + (a == b) + (a > b) == 1


@given(sps.partial_dates(qualified=True), sps.partial_dates(qualified=True))
def test_partial_date_operators_are_the_sort_order(a: PartialDate, b: PartialDate) -> None:
    assert (a < b) == (sort_key(a) < sort_key(b))
    assert (a <= b) == (sort_key(a) <= sort_key(b))
    assert (a > b) == (sort_key(a) > sort_key(b))
    assert (a >= b) == (sort_key(a) >= sort_key(b))


# --- the text forms -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2019-05?", PartialDate(2019, 5, qualifier=U)),
        ("2019~", PartialDate(2019, qualifier=A)),
        ("2019-05-03%", PartialDate(2019, 5, 3, qualifier=UA)),
        ("2007/2010", DateInterval(PartialDate(2007), PartialDate(2010))),
        ("2019-05/2019-06-10", DateInterval(PartialDate(2019, 5), PartialDate(2019, 6, 10))),
        ("../2021-04-29", DateInterval(None, PartialDate(2021, 4, 29))),
        ("2019/..", DateInterval(PartialDate(2019), None)),
        ("2004?/2006~", DateInterval(PartialDate(2004, qualifier=U), PartialDate(2006, qualifier=A))),
        ("2019-05/2019-05-10", DateInterval(PartialDate(2019, 5), PartialDate(2019, 5, 10))),
        ("2019-05-31/2019-05", DateInterval(PartialDate(2019, 5, 31), PartialDate(2019, 5))),
        ("2020-02-29", PartialDate(2020, 2, 29)),
        ("2000-02-29~", PartialDate(2000, 2, 29, qualifier=A)),
    ],
)
def test_every_form_reads_and_writes_back(text: str, value: Value) -> None:
    assert parse_date(text) == value
    assert format_date(value) == value.isoformat() == str(value) == text
    assert re.fullmatch(DATE_PATTERN, text)
    if isinstance(value, DateInterval):
        assert DateInterval.parse(text) == value
    else:
        assert PartialDate.parse(text) == value


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        # Digits other than ASCII 0-9, which `\d` would accept.
        ("١٩٨٣-١١", "date", "non-ASCII digit '١' (ARABIC-INDIC DIGIT ONE)"),
        ("１９８３-１１", "date", "non-ASCII digit '１' (FULLWIDTH DIGIT ONE)"),
        ("2019-0५", "date", "DEVANAGARI DIGIT FIVE"),
        ("2019‐05", "date", "non-ASCII character '‐' (HYPHEN)"),
        # A qualifier qualifies the whole date and comes last (level 2 forms are refused).
        ("2019?-05", "date", "comes last"),
        ("?2019", "date", "comes last"),
        ("2019-?05", "date", "comes last"),
        ("2019-05??", "date", "comes last"),
        ("2019~?", "date", "comes last"),
        ("20?19", "date", "comes last"),
        ("2019/2020~?", "end", "comes last"),
        ("..~/2020", "start", "not a date"),
        # Intervals with no content, unknown ends, or more than two parts.
        ("/", "start", "write '..'"),
        ("../..", "start", "open at both ends"),
        ("/2021", "start", "write '..'"),
        ("2019/", "end", "write '..'"),
        ("2019//2020", "date", "more than one '/'"),
        ("2007/2010/2012", "date", "more than one '/'"),
        ("2019/...", "end", "not a date"),
        (".../2019", "start", "not a date"),
        # Written backwards, whatever the qualifiers.
        ("2010/2007", "end", "2007 comes before the start 2010"),
        ("2019-05-03/2019-05-01", "end", "comes before the start"),
        ("2019-06/2019-05-31", "end", "comes before the start"),
        ("2019~/2018", "end", "comes before the start"),
        # Days that are not in the calendar.
        ("2019-02-30", "day", "30 is not a day of 2019-02"),
        ("2019-02-29", "day", "29 is not a day of 2019-02"),
        ("1900-02-29", "day", "29 is not a day of 1900-02"),
        ("2019-04-31?", "day", "31 is not a day of 2019-04"),
        ("2019-02-30/2020", "start", "day: 30 is not a day of 2019-02"),
        ("2019/2020-13", "end", "month: 13 is not a month"),
        ("0000~", "year", "outside 1..9999"),
        # Not a date at all.
        ("", "date", "is not a date"),
        (" 2019", "date", "is not a date"),
        ("2019 ", "date", "is not a date"),
        ("2019\n", "date", "is not a date"),
        ("2019-5", "date", "is not a date"),
        ("19", "date", "is not a date"),
        ("20190", "date", "is not a date"),
        ("2019-05-03T10:00", "date", "is not a date"),
        ("2019-21", "month", "21 is not a month"),  # an EDTF season: not in this format
        ("-2019", "date", "is not a date"),
        ("2019X", "date", "is not a date"),
    ],
)
def test_refused_texts_name_the_field_and_the_reason(text: str, field: str, message: str) -> None:
    error = refused(text)
    assert error is not None, f"{text!r} was accepted"
    assert error.field == field
    assert message in error.reason
    assert not re.fullmatch(DATE_PATTERN, text) or "comes before the start" in error.reason


@pytest.mark.parametrize("value", [True, False, 2019, 2019.0, None, b"2019", ["2019"], PartialDate(2019)])
def test_only_text_is_parsed(value: Any) -> None:
    error = refused(value)
    assert error is not None
    assert error.field == "date"
    assert "expected EDTF date text" in error.reason
    with pytest.raises(InvalidFieldError, match="expected EDTF date text"):
        PartialDate.parse(value)


def test_interval_constructor_checks_its_ends() -> None:
    with pytest.raises(InvalidFieldError, match="start: an interval open at both ends"):
        DateInterval(None, None)
    with pytest.raises(InvalidFieldError, match="end: expected a PartialDate or None"):
        DateInterval(PartialDate(2019), "2020")  # type: ignore[arg-type]
    with pytest.raises(InvalidFieldError, match="start: expected a PartialDate or None"):
        DateInterval(parse_date("2019/2020"), None)  # type: ignore[arg-type]
    with pytest.raises(InvalidFieldError, match="is a single date, not an interval"):
        DateInterval.parse("2019")


def test_qualifier_symbols() -> None:
    assert [q.symbol for q in Qualifier] == ["?", "~", "%"]
    assert [Qualifier.from_symbol(s) for s in "?~%"] == [U, A, UA]
    with pytest.raises(ValueError, match="not a qualifier"):
        Qualifier.from_symbol("!")


# --- the patterns ------------------------------------------------------------------------

_LOOKALIKES = "0123456789-/.?~% X١１"


def near_misses() -> st.SearchStrategy[str]:
    """Texts close to the format: pieces of dates put together right and wrong."""
    piece = st.one_of(
        st.from_regex(r"[0-9]{1,5}", fullmatch=True),
        st.sampled_from(["-", "/", "..", "?", "~", "%", "-02-29", "-02-30", "-04-31", "-13", "-00", "0000"]),
        st.from_regex(PLAIN_DATE_PATTERN, fullmatch=True),
        st.text(_LOOKALIKES, max_size=3),
    )
    return st.lists(piece, max_size=6).map("".join)


def texts_near_the_format() -> st.SearchStrategy[str]:
    return st.one_of(
        st.from_regex(DATE_PATTERN, fullmatch=True),
        any_dates.map(format_date),
        near_misses(),
    )


@given(texts_near_the_format())
def test_the_pattern_matches_exactly_what_parses(text: str) -> None:
    """``DATE_PATTERN`` accepts what ``parse_date`` accepts, calendar included; the one
    thing only the parser checks is an interval's order."""
    error = refused(text)
    if re.fullmatch(DATE_PATTERN, text):
        assert error is None or ("comes before the start" in error.reason and error.field == "end")
    else:
        assert error is not None


@given(st.one_of(st.from_regex(PLAIN_DATE_PATTERN, fullmatch=True), near_misses()))
def test_the_plain_pattern_matches_exactly_the_plain_dates(text: str) -> None:
    value = None if refused(text) else parse_date(text)
    is_plain_date = isinstance(value, PartialDate) and value.qualifier is None
    assert bool(re.fullmatch(PLAIN_DATE_PATTERN, text)) == is_plain_date


@given(texts_near_the_format())
def test_the_patterns_mean_the_same_in_ecma_262(text: str) -> None:
    """A JSON Schema validator in JavaScript (or Rust's regress) reads the patterns as Python does."""
    for pattern in (DATE_PATTERN, PLAIN_DATE_PATTERN):
        for flags in ("", "u"):
            ecma = regress.Regex(pattern, flags)
            assert (ecma.find(text) is not None) == bool(re.fullmatch(pattern, text))


def _real_day(year: int, month: int, day: int) -> bool:
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return True


def test_the_patterns_know_the_calendar() -> None:
    """Checked against datetime for every 29 February of years 1-9999 and every month-day
    pair (00-00 to 13-39) of a common, a leap, a century and a 400th year."""
    patterns = [re.compile(p) for p in (DATE_PATTERN, PLAIN_DATE_PATTERN)]
    ecma = regress.Regex(DATE_PATTERN, "u")
    for year in range(1, 10_000):
        text = f"{year:04d}-02-29"
        leap = calendar.isleap(year)
        assert all(bool(p.fullmatch(text)) == leap for p in patterns), text
        assert (ecma.find(text) is not None) == leap, text
    for year in (2019, 2020, 1900, 2000):
        for month in range(14):
            for day in range(40):
                text = f"{year:04d}-{month:02d}-{day:02d}"
                real = _real_day(year, month, day)
                assert all(bool(p.fullmatch(text)) == real for p in patterns), text
                assert (refused(text) is None) == real, text
    assert not any(p.fullmatch("0000") for p in patterns)


def test_the_patterns_use_no_python_only_syntax() -> None:
    for pattern in (DATE_PATTERN, PLAIN_DATE_PATTERN):
        assert pattern.startswith("^")
        assert pattern.endswith("$")
        # No \d (Unicode digits in Python), no named groups, no lookaround (absent from RE2).
        for construct in (r"\d", "(?P", "(?=", "(?!", "(?<", r"\Z", r"\A"):
            assert construct not in pattern
        regress.Regex(pattern, "u")  # compiles under ECMA-262's strictest reading


def test_the_schema_uses_the_patterns() -> None:
    from sinoperu.export.schema import anchored, json_schema
    from sinoperu.fields import date_pattern

    schema = json_schema()
    defs = schema["$defs"]
    assert re.fullmatch(date_pattern(plain=False), "2007/2010?")
    assert "^" + date_pattern() + "$" == PLAIN_DATE_PATTERN
    for record in ("Twinning", "Exchange", "Milestone"):
        assert defs[record]["properties"]["date"]["anyOf"][0]["pattern"] == anchored(
            date_pattern(plain=False)
        )
    plain = anchored(date_pattern(plain=True))
    assert defs["Milestone"]["properties"]["end_date"]["anyOf"][0]["pattern"] == plain
    assert defs["Source"]["properties"]["published"]["anyOf"][0]["pattern"] == plain
    assert schema["properties"]["as_of"]["anyOf"][0]["pattern"] == plain


# --- round trips and the oracle --------------------------------------------------------------


@given(any_dates)
def test_text_round_trips_exactly(value: Value) -> None:
    text = format_date(value)
    assert parse_date(text) == value
    assert format_date(parse_date(text)) == text


@given(st.from_regex(DATE_PATTERN, fullmatch=True))
def test_every_accepted_text_writes_back_unchanged(text: str) -> None:
    assume(refused(text) is None)
    assert format_date(parse_date(text)) == text


def _edtf_day(moment: Any) -> datetime.date | None:
    """A day from edtf's struct_time; its open ends are float infinities."""
    if isinstance(moment, float):
        assert math.isinf(moment)
        return None
    return datetime.date(moment.tm_year, moment.tm_mon, moment.tm_mday)


def _edtf_qualifier(node: Any) -> Qualifier | None:
    if getattr(node, "is_uncertain_and_approximate", False):
        return UA
    if getattr(node, "is_uncertain", False):
        return U
    if getattr(node, "is_approximate", False):
        return A
    return None


def _edtf_point(node: Any) -> tuple[Any, ...] | None:
    if getattr(node, "is_open", False):
        return None
    return (_edtf_day(node.lower_strict()), _edtf_day(node.upper_strict()), _edtf_qualifier(node))


def _our_point(date: PartialDate | None) -> tuple[Any, ...] | None:
    if date is None:
        return None
    stated = plain(date).certain_span()
    assert stated is not None
    return (*stated, date.qualifier)


@given(any_dates)
def test_edtf_reads_every_generated_text_the_same_way(value: Value) -> None:
    """The edtf package, as the oracle: same kind, same stated days, same qualifiers and ends."""
    parsed = edtf.parse_edtf(format_date(value))
    if isinstance(value, PartialDate):
        assert not isinstance(parsed, edtf.Interval)
        assert _edtf_point(parsed) == _our_point(value)
    else:
        assert isinstance(parsed, edtf.Interval)
        assert _edtf_point(parsed.lower) == _our_point(value.start)
        assert _edtf_point(parsed.upper) == _our_point(value.end)
        stated = plain(value).certain_span()
        assert stated is not None
        lower = None if value.start is None else _edtf_day(parsed.lower_strict())
        upper = None if value.end is None else _edtf_day(parsed.upper_strict())
        assert stated == (lower, upper)


@given(sps.partial_dates(4, 9996, qualified=True))
def test_possible_spans_agree_with_edtf_for_years_and_lie_within_its_wider_ones(date: PartialDate) -> None:
    """edtf widens a qualified date by one unit of *every* part it names (a day by a year, a
    month and a day); we widen by the unit the source used. The spans agree for years, and
    ours lie inside edtf's otherwise."""
    assume(date.qualifier is not None)  # (edtf's widening runs past the calendar at years 1-3)
    parsed = edtf.parse_edtf(date.isoformat())
    fuzzy = (_edtf_day(parsed.lower_fuzzy()), _edtf_day(parsed.upper_fuzzy()))
    ours = date.possible_span()
    if date.precision == "year":
        assert ours == fuzzy
    else:
        assert fuzzy[0] is not None
        assert fuzzy[1] is not None
        assert fuzzy[0] <= ours[0]
        assert ours[1] <= fuzzy[1]


# --- spans ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "possible", "certain"),
    [
        ("2024-11", (D(2024, 11, 1), D(2024, 11, 30)), (D(2024, 11, 1), D(2024, 11, 30))),
        ("2024-02-29", (D(2024, 2, 29), D(2024, 2, 29)), (D(2024, 2, 29), D(2024, 2, 29))),
        ("2019-05?", (D(2019, 4, 1), D(2019, 6, 30)), None),
        ("2019-05-03~", (D(2019, 5, 2), D(2019, 5, 4)), None),
        ("2019~", (D(2018, 1, 1), D(2020, 12, 31)), None),
        ("2019%", (D(2017, 1, 1), D(2021, 12, 31)), None),
        ("2019-12%", (D(2019, 10, 1), D(2020, 2, 29)), None),
        ("2019-01-01?", (D(2018, 12, 31), D(2019, 1, 2)), None),
        ("0001~", (D(1, 1, 1), D(2, 12, 31)), None),
        ("0001-01%", (D(1, 1, 1), D(1, 3, 31)), None),
        ("9999-12-31?", (D(9999, 12, 30), D(9999, 12, 31)), None),
        ("9999%", (D(9997, 1, 1), D(9999, 12, 31)), None),
        ("2007/2010", (D(2007, 1, 1), D(2010, 12, 31)), (D(2007, 1, 1), D(2010, 12, 31))),
        ("2007~/2010", (D(2006, 1, 1), D(2010, 12, 31)), None),
        ("../2021-04-29", (None, D(2021, 4, 29)), (None, D(2021, 4, 29))),
        ("2019-05/..", (D(2019, 5, 1), None), (D(2019, 5, 1), None)),
    ],
)
def test_spans(text: str, possible: tuple[Any, Any], certain: tuple[Any, Any] | None) -> None:
    value = parse_date(text)
    assert value.possible_span() == possible == (value.earliest, value.latest)
    assert value.certain_span() == certain


@given(any_dates)
def test_a_qualifier_only_widens(value: Value) -> None:
    stated = plain(value)
    span = stated.certain_span()
    assert span is not None
    assert (value.certain_span() is None) == (value != stated)
    low, high = value.possible_span()
    assert (low is None) == (span[0] is None)
    assert (high is None) == (span[1] is None)
    if low is not None and span[0] is not None:
        assert low <= span[0]
    if high is not None and span[1] is not None:
        assert span[1] <= high
    if value.certain_span() is None and isinstance(value, PartialDate) and 2 < value.year < 9998:
        assert (low, high) != span  # qualified: strictly wider, away from the calendar's ends


# --- honest comparisons ---------------------------------------------------------------------


def test_a_month_neither_precedes_nor_follows_its_days() -> None:
    visit, signing = parse_date("2024-11-14"), parse_date("2024-11")
    assert not signing.certainly_before(visit)
    assert not visit.certainly_before(signing)
    assert signing.possibly_before(visit)
    assert visit.possibly_before(signing)
    assert signing.overlaps(visit)
    assert visit.overlaps(signing)
    assert signing < visit  # the sort order still files the month first


@pytest.mark.parametrize(
    ("a", "b", "certainly", "possibly", "overlaps"),
    [
        ("2024-11-13", "2024-11-14", True, True, False),
        ("2024-11-14", "2024-11-14", False, False, True),
        ("2024-11-14?", "2024-11-15", False, True, True),
        ("2024-11-13?", "2024-11-15", True, True, False),
        ("2019-05?", "2019-06", False, True, True),
        ("2019-05?", "2019-07", True, True, False),
        ("2019~", "2021", True, True, False),
        ("2019~", "2020-12-31", False, True, True),
        ("2007/2010", "2010-06", False, True, True),
        ("2007/2010", "2011", True, True, False),
        ("../2021-04-29", "2021-04-30", True, True, False),
        ("../2021-04-29", "1000", False, True, True),
        ("2019/..", "9999", False, True, True),
        ("2021", "../2021", False, True, True),
        ("2022", "../2021", False, False, False),
        ("2019/..", "../2018", False, False, False),
    ],
)
def test_comparisons(a: str, b: str, certainly: bool, possibly: bool, overlaps: bool) -> None:
    x, y = parse_date(a), parse_date(b)
    assert x.certainly_before(y) is certainly
    assert x.possibly_before(y) is possibly
    assert x.overlaps(y) is overlaps is y.overlaps(x)


@given(close_dates, close_dates)
def test_certainly_implies_possibly_and_excludes_the_converse(a: Value, b: Value) -> None:
    if a.certainly_before(b):
        assert a.possibly_before(b)
        assert not b.possibly_before(a)
        assert not b.certainly_before(a)  # antisymmetric


@given(close_dates)
def test_nothing_certainly_precedes_itself(a: Value) -> None:
    assert not a.certainly_before(a)
    assert a.overlaps(a)


@given(close_dates, close_dates, close_dates)
def test_certainly_before_is_transitive(a: Value, b: Value, c: Value) -> None:
    if a.certainly_before(b) and b.certainly_before(c):
        assert a.certainly_before(c)


@given(close_dates, close_dates)
def test_two_values_overlap_or_one_certainly_comes_first(a: Value, b: Value) -> None:
    assert a.overlaps(b) == b.overlaps(a)
    assert [a.certainly_before(b), b.certainly_before(a), a.overlaps(b)].count(True) == 1


def _days(value: Value) -> tuple[datetime.date | None, datetime.date | None]:
    """The stated first and last day, read by edtf (an independent reading of the text)."""
    parsed = edtf.parse_edtf(format_date(value))
    low = (
        None if isinstance(value, DateInterval) and value.start is None else _edtf_day(parsed.lower_strict())
    )
    high = None if isinstance(value, DateInterval) and value.end is None else _edtf_day(parsed.upper_strict())
    return low, high


@given(close_dates.map(plain), close_dates.map(plain))
def test_for_plain_values_the_answers_are_the_days_compared(a: Value, b: Value) -> None:
    (a_first, a_last), (b_first, b_last) = _days(a), _days(b)
    certainly = a_last is not None and b_first is not None and a_last < b_first
    possibly = a_first is None or b_last is None or a_first < b_last
    assert a.certainly_before(b) == certainly
    assert a.possibly_before(b) == possibly
    assert a.latest == a_last
    assert b.earliest == b_first


@given(close_dates, close_dates)
def test_a_qualifier_never_makes_an_answer_more_certain(a: Value, b: Value) -> None:
    if a.certainly_before(b):
        assert plain(a).certainly_before(plain(b))
    if plain(a).possibly_before(plain(b)):
        assert a.possibly_before(b)
    if plain(a).overlaps(plain(b)):
        assert a.overlaps(b)


@given(close_dates, st.integers(2016, 2022), st.integers(0, 3))
def test_in_years(value: Value, start: int, length: int) -> None:
    end = start + length
    years = DateInterval(PartialDate(start), PartialDate(end))
    certain = value.in_years(start, end)
    possible = value.in_years(start, end, possible=True)
    assert possible == value.overlaps(years)
    low, high = value.possible_span()
    assert certain == (low is not None and high is not None and start <= low.year and high.year <= end)
    if certain:
        assert possible
        assert not value.certainly_before(years)
        assert not years.certainly_before(value)


def test_in_years_examples_and_arguments() -> None:
    assert parse_date("2019-05?").in_years(2019, 2019)  # April to June 2019: all in 2019
    assert not parse_date("2019-01?").in_years(2019, 2019)  # may be December 2018
    assert parse_date("2019-01?").in_years(2019, 2019, possible=True)
    assert not parse_date("../2010").in_years(1, 2010)
    assert parse_date("../2010").in_years(2010, 2010, possible=True)
    assert not parse_date("2011/..").in_years(2000, 2010, possible=True)
    with pytest.raises(TypeError, match="int year"):
        PartialDate(2019).in_years(True, 2020)
    with pytest.raises(ValueError, match="range is empty"):
        PartialDate(2019).in_years(2020, 2019)


# --- the sort order --------------------------------------------------------------------------


@given(st.none() | close_dates, st.none() | close_dates)
def test_sort_key_is_a_total_order_that_tells_values_apart(a: Value | None, b: Value | None) -> None:
    ka, kb = sort_key(a), sort_key(b)
    assert [ka < kb, ka == kb, ka > kb].count(True) == 1
    assert (ka == kb) == (a == b)
    if a is None:
        assert b is None or ka > kb  # undated last


@given(sps.partial_dates(2018, 2020), sps.partial_dates(2018, 2020))
def test_sort_key_keeps_the_order_of_plain_dates(a: PartialDate, b: PartialDate) -> None:
    def old_key(d: PartialDate) -> tuple[int, int, int]:
        return (d.year, d.month or 0, d.day or 0)

    assert (sort_key(a) < sort_key(b)) == (old_key(a) < old_key(b))


@given(close_dates, close_dates)
def test_sorting_never_puts_a_value_after_one_it_certainly_precedes(a: Value, b: Value) -> None:
    if a.certainly_before(b):
        assert sort_key(a) < sort_key(b)


@given(st.lists(st.none() | close_dates, max_size=12), st.randoms(use_true_random=False))
def test_sorting_does_not_depend_on_the_input_order(values: list[Value | None], random: Any) -> None:
    shuffled = values[:]
    random.shuffle(shuffled)
    assert sorted(values, key=sort_key) == sorted(shuffled, key=sort_key)


@given(close_dates)
def test_values_are_filed_under_their_anchor(value: Value) -> None:
    date = anchor(value)
    assert sort_key(value)[1:4] == (date.year, date.month or 0, date.day or 0)
    if isinstance(value, DateInterval):
        assert date in (value.start, value.end)


# --- in records, files and exports --------------------------------------------------------

SOURCE = Source(url="https://example.org/page", title="A page", publisher="Example", language="es")


def _milestone(**changes: Any) -> Milestone:
    fields: dict[str, Any] = {
        "id": "ms-x",
        "level": Level.MESO,
        "kind": MilestoneKind.STATE_VISIT,
        "date": PartialDate(2018, 7),
        "title": "A visit",
        "summary": "A summary.",
        "sources": (SOURCE,),
    }
    return Milestone(**{**fields, **changes})


def test_records_take_intervals_and_qualified_dates_where_a_date_is_stated_plainly_elsewhere() -> None:
    for text in ("2007/2010", "../2021-04-29", "2019-05?"):
        assert _milestone(date=parse_date(text)).date == parse_date(text)
    with pytest.raises(InvalidFieldError, match="date: expected a PartialDate or a DateInterval"):
        _milestone(date="2019")
    with pytest.raises(InvalidFieldError, match="published: 2019~ is qualified"):
        attrs.evolve(SOURCE, published=parse_date("2019~"))
    with pytest.raises(InvalidFieldError, match="end_date: 2019-07\\? is qualified"):
        _milestone(end_date=parse_date("2019-07?"))
    with pytest.raises(InvalidFieldError, match="end_date: 2019/2020 is an interval"):
        _milestone(end_date=parse_date("2019/2020"))
    with pytest.raises(DatasetError, match="as_of"):
        Dataset(as_of=parse_date("2026-11?"))  # type: ignore[arg-type]


def test_a_milestone_may_end_in_the_period_it_starts_in() -> None:
    assert _milestone(end_date=PartialDate(2018)).end_date == PartialDate(2018)  # July 2018 to 2018
    assert _milestone(date=parse_date("2018/2019"), end_date=PartialDate(2018, 3)).end_date is not None
    with pytest.raises(InvalidFieldError, match="end_date: 2018-06 comes before the start 2018-07"):
        _milestone(end_date=PartialDate(2018, 6))
    with pytest.raises(InvalidFieldError, match="end_date"):
        _milestone(date=parse_date("2019/.."), end_date=PartialDate(2018))


@given(st.none() | any_dates)
def test_dates_round_trip_through_json(value: Value | None) -> None:
    if value is not None:
        assert from_json(to_json(value)) == value
        assert json.loads(to_json(value)) == format_date(value)
    milestone = _milestone(date=value)
    assert from_json(to_json(milestone)) == milestone


@pytest.mark.parametrize(
    ("field", "text", "where", "message"),
    [
        ("date", "2010/2007", "date", "end: 2007 comes before the start 2010"),
        ("date", "2019-02-30/2020", "date", "start: day: 30 is not a day of 2019-02"),
        ("date", "١٩٨٣", "date", "non-ASCII digit"),
        ("date", "2019?-05", "date", "comes last"),
        ("end_date", "2019~", "end_date", "is qualified"),
        ("end_date", "2019/2020", "end_date", "is an interval, not a single date"),
    ],
)
def test_bad_dates_in_a_file_are_located(
    bundled_dict: dict[str, Any], write_json: Any, field: str, text: str, where: str, message: str
) -> None:
    bundled_dict["milestones"][0][field] = text
    record_id = bundled_dict["milestones"][0]["id"]
    with pytest.raises(DatasetError) as caught:
        sinoperu.load(write_json(bundled_dict))
    assert caught.value.field == where
    assert record_id in (caught.value.record or "")
    assert message in caught.value.reason


def test_a_qualified_as_of_or_published_date_in_a_file_is_refused(
    bundled_dict: dict[str, Any], write_json: Any
) -> None:
    with pytest.raises(DatasetError) as caught:
        sinoperu.load(write_json({**bundled_dict, "as_of": "2026-11?"}))
    assert caught.value.field == "as_of"
    bundled_dict["twinnings"][0]["sources"][0]["published"] = "2019-05?"
    with pytest.raises(DatasetError) as caught:
        sinoperu.load(write_json(bundled_dict))
    assert caught.value.field == "sources[0].published"


def test_a_file_with_every_form_loads_by_both_paths(bundled_dict: dict[str, Any], write_json: Any) -> None:
    texts = [
        "2019-05?",
        "2019~",
        "2019-05-03%",
        "2007/2010",
        "2019-05/2019-06-10",
        "../2021-04-29",
        "2019/..",
    ]
    for record, text in zip(bundled_dict["twinnings"], texts, strict=False):
        record["date"] = text
    loaded = sinoperu.load(write_json(bundled_dict))
    assert {format_date(r.date) for r in loaded.twinnings if r.date} >= set(texts)
    assert list(loaded.twinnings) == sorted(loaded.twinnings, key=lambda t: (sort_key(t.date), t.id))
    # The detailed converter reads the same file to the same records as the fast path.
    assert serialize.dataset_from_dict(json.loads(sinoperu.to_json(loaded))) == loaded
    assert sinoperu.to_json(loaded) == sinoperu.to_json(sinoperu.from_json(sinoperu.to_json(loaded)))


def test_tables_leave_the_parts_of_an_interval_empty() -> None:
    from sinoperu.export.columns import TABLES, format_rows

    table = TABLES["milestones"]
    names = [column.name for column in table.columns]
    for text, parts in (("2007/2010", [None, None, None]), ("2019-05?", [2019, 5, None])):
        raw = sinoperu.serialize.converter.unstructure(_milestone(date=parse_date(text)))
        (row,) = format_rows(table, [raw], {})
        cells = dict(zip(names, row, strict=True))
        assert cells["date"] == text
        assert [cells["year"], cells["month"], cells["day"]] == parts


@given(texts_near_the_format())
def test_the_data_package_pattern_is_the_same_pattern(text: str) -> None:
    from sinoperu.export.columns import TABLES as COLUMNS
    from sinoperu.export.datapackage import field_descriptor

    pattern = field_descriptor(COLUMNS["twinnings"].column("date"))["constraints"]["pattern"]
    assert not pattern.startswith("^")
    # Frictionless anchors the pattern itself, as ^...$ with re.match.
    assert bool(re.match(f"^{pattern}$", text)) == bool(re.fullmatch(DATE_PATTERN, text))
