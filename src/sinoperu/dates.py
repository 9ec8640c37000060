"""Dates as the sources give them: partial, qualified, or known only to lie in an interval.

Sources often give "July 2018" or just "2013", hedge ("very likely May 2019"), or only
bound a date ("while X was governor, 2007–2010"; "before 29 April 2021"). The values here
keep exactly what was said, so nothing downstream pretends to know a day nobody reported.

**Text forms.** The dataset writes dates in a subset of the Extended Date/Time Format
(EDTF, ISO 8601-2) level 1; :func:`~sinoperu.parse_date` reads every one of them and
:func:`~sinoperu.format_date` writes them back character for character.

==========================  ==============================================================
``2018``, ``2018-07``,      a :class:`PartialDate` of year, month or day precision
``2018-07-21``
``2019-05?``                uncertain (:attr:`~sinoperu.Qualifier.UNCERTAIN`): "very likely May 2019"
``2019~``                   approximate (:attr:`~sinoperu.Qualifier.APPROXIMATE`): "about 2019"
``2019-05-03%``             both (:attr:`~sinoperu.Qualifier.UNCERTAIN_APPROXIMATE`)
``2007/2010``               a :class:`DateInterval`: some time from 2007 to 2010
``2019-05/2019-06-10``      ends of any precision, each possibly qualified (``2004?/2006~``)
``../2021-04-29``           open start: on or before 29 April 2021
``2019/..``                 open end: in 2019 or later
==========================  ==============================================================

A qualifier qualifies the whole date and is written last (EDTF level 1); the level-2
forms that qualify one part (``2019?-05``, ``?2019``) are refused. Digits are ASCII
``0-9`` only. An *unknown* end (``/2021``, ``2019/``) is refused too: for the date of an
event it says no more than an open end, and EDTF gives it a different meaning (an end
that exists but is unknown), so the format writes ``..`` only. ``../..`` says nothing
and is refused: leave the date empty. So is an interval written backwards, whose end is
over before its start begins (``2010/2007``, ``2019-05-03/2019-05-01``); a qualifier does
not excuse it (``2019~/2018``).

:data:`DATE_PATTERN` is a regular expression that matches exactly the texts
:func:`~sinoperu.parse_date` accepts, calendar included (``2019-02-29`` does not match,
``2020-02-29`` does), except one rule no regular expression can hold: the order of an
interval's ends. :data:`PLAIN_DATE_PATTERN` matches a plain date (no qualifier, no
interval), the form of a source's ``published`` date and a dataset's ``as_of``.

**Spans: what a value says about the day.** Every value is read as the set of days on
which the thing it dates may have happened:

* a plain date spans its period: ``2024-11`` is 2024-11-01 to 2024-11-30;
* a qualified date may lie outside its nominal period, so its *possible span* is wider:
  by one unit of its own precision on each side for ``?`` and ``~``, by two for ``%``
  (``2019-05?`` is 2019-04-01 to 2019-06-30; ``2019%`` is 2017 to 2021). A source that
  names a month and hedges doubts the month, not the century: the widening is in the
  unit the source used. The span is clamped to the years 1–9999;
* an interval spans from the earliest day of its start to the latest day of its end; an
  open end is unbounded.

:attr:`~sinoperu.PartialDate.earliest` and :attr:`~sinoperu.PartialDate.latest` are the ends of the possible
span (``None`` for an open end); :meth:`~sinoperu.PartialDate.possible_span` returns both, and
:meth:`~sinoperu.PartialDate.certain_span` returns the span the text states, or ``None`` when a
qualifier says the statement itself may be off.

**The two orders.** *Sorting* uses :func:`~sinoperu.dates.sort_key`, a deterministic total order on
dates, intervals and ``None`` (undated last). A value is filed under its :func:`anchor`:
a date under itself, an interval under its start, or under its end when the start is
open. Among values with the same anchor a less precise date comes before a more precise
one (``2018 < 2018-01 < 2018-01-01``), an unqualified one before a qualified one, a date
before an interval that starts with it, and intervals with a start before those with an
open start. The order never lists a value after one it certainly precedes, but it claims
nothing more: of two values that overlap, neither is known to come first.

*Comparisons* say only what the spans settle:

* ``a.certainly_before(b)``: every possible day of ``a`` precedes every possible day of
  ``b`` (``a.latest < b.earliest``);
* ``a.possibly_before(b)``: some possible day of ``a`` precedes some possible day of
  ``b`` (``a.earliest < b.latest``);
* ``a.overlaps(b)``: the possible spans share a day.

For any two values exactly one of ``a.certainly_before(b)``, ``b.certainly_before(a)``
and ``a.overlaps(b)`` holds. A month neither certainly precedes nor certainly follows a
day in it:

>>> month, day = parse_date("2024-11"), parse_date("2024-11-14")
>>> month < day  # the sort order
True
>>> month.certainly_before(day), day.certainly_before(month), month.overlaps(day)
(False, False, True)
>>> parse_date("2019-05?").certainly_before(parse_date("2019-06")), parse_date("2019-05?").latest
(False, datetime.date(2019, 6, 30))
>>> parse_date("../2021-04-29").certainly_before(parse_date("2021-05"))
True
>>> parse_date("2007/2010").in_years(2007, 2010), parse_date("2007/2010").in_years(2008, 2012)
(True, False)
>>> parse_date("2007/2010").in_years(2008, 2012, possible=True)
True
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from enum import StrEnum
from typing import Any, Final

from attrs import field, frozen

from .errors import InvalidFieldError

__all__ = [
    "DATE_PATTERN",
    "OPEN_END",
    "PLAIN_DATE_PATTERN",
    "QUALIFIER_SYMBOLS",
    "DateInterval",
    "PartialDate",
    "Qualifier",
    "anchor",
    "format_date",
    "parse_date",
    "sort_key",
]

#: The marks that qualify a whole date, in the order of :class:`Qualifier`'s members:
#: uncertain, approximate, both (EDTF level 1).
QUALIFIER_SYMBOLS: Final = "?~%"
#: What an interval writes for an end that is open or unknown (``../2021-04-29``).
OPEN_END: Final = ".."

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """Days in a month of the proleptic Gregorian calendar (no ``calendar`` import: it is slow).

    >>> days_in_month(2024, 2), days_in_month(1900, 2), days_in_month(2000, 2)
    (29, 28, 29)
    """
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


# --- the patterns -------------------------------------------------------------------
# Built from named parts so each rule is written once. Only syntax that ECMA-262 (with
# or without the "u" flag), Python and RE2 read alike: [0-9] classes, (?:...) groups,
# alternation, ? quantifiers, and escapes of syntax characters only. No lookaround.

_YEAR = "(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"  # 0001-9999
_MONTH = "(?:0[1-9]|1[0-2])"
# Days 1-28 in every month, 29-30 in all but February, 31 in the long months.
_MONTH_DAY = "(?:" + _MONTH + "-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
# Leap years: multiples of 4 that are not centuries (0004...9996), and centuries that are
# multiples of 400 (0400...9600; 0000 is not a year).
_LEAP_YEAR = "(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_PLAIN = "(?:" + _YEAR + "(?:-(?:" + _MONTH_DAY + "|" + _MONTH + "))?|" + _LEAP_YEAR + "-02-29)"
_QUALIFIED = _PLAIN + "[" + QUALIFIER_SYMBOLS + "]?"  # literal inside a class: no escaping
_OPEN = re.escape(OPEN_END)

#: Plain dates only (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), each a real day of the calendar.
PLAIN_DATE_PATTERN: Final[str] = "^" + _PLAIN + "$"

#: Every text :func:`~sinoperu.parse_date` reads: a date, qualified or not, or an interval of two
#: (either end may be open, not both). Anchored and ECMA-262 compatible, so a JSON Schema
#: ``pattern`` can use it as it is. It cannot check that an interval's start does not
#: come after its end; :func:`~sinoperu.parse_date` does.
DATE_PATTERN: Final[str] = (
    "^(?:" + _QUALIFIED + "(?:/(?:" + _QUALIFIED + "|" + _OPEN + "))?|" + _OPEN + "/" + _QUALIFIED + ")$"
)


# --- qualifiers ---------------------------------------------------------------------


class Qualifier(StrEnum):
    """How a source hedges a whole date (EDTF level 1): ``?``, ``~`` or ``%``.

    >>> Qualifier.UNCERTAIN.symbol, Qualifier.from_symbol("~")
    ('?', <Qualifier.APPROXIMATE: 'approximate'>)
    """

    UNCERTAIN = "uncertain"  # "2019-05?": the source is not sure of it
    APPROXIMATE = "approximate"  # "2019~": about then
    UNCERTAIN_APPROXIMATE = "uncertain_approximate"  # "2019-05-03%": both

    @property
    def symbol(self) -> str:
        """The character EDTF writes after the date."""
        return _SYMBOL[self]

    @property
    def widening(self) -> int:
        """Units of the date's precision by which the possible span grows on each side."""
        return 2 if self is Qualifier.UNCERTAIN_APPROXIMATE else 1

    @classmethod
    def from_symbol(cls, symbol: str) -> Qualifier:
        """The qualifier written ``symbol`` (``"?"``, ``"~"`` or ``"%"``)."""
        try:
            return _FROM_SYMBOL[symbol]
        except (KeyError, TypeError):
            raise ValueError(f"{symbol!r} is not a qualifier; use {_SYMBOLS_TEXT}") from None


_SYMBOL: Final = dict(zip(Qualifier, QUALIFIER_SYMBOLS, strict=True))
_FROM_SYMBOL: Final = {symbol: qualifier for qualifier, symbol in _SYMBOL.items()}
#: The marks as an error message lists them: "'?', '~' or '%'".
_SYMBOLS_TEXT: Final = ", ".join(map(repr, QUALIFIER_SYMBOLS[:-1])) + f" or {QUALIFIER_SYMBOLS[-1]!r}"
_RANK: Final[dict[Qualifier | None, int]] = {None: 0} | {q: n for n, q in enumerate(Qualifier, start=1)}


# --- checks ---------------------------------------------------------------------------


def _check_int(name: str, value: object) -> int:
    if type(value) is not int:  # bool is an int subclass: refuse it too
        raise InvalidFieldError(name, f"expected a whole number, got {value!r}")
    return value


def _shown(text: str) -> str:
    shown = repr(text)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _check_text(text: object) -> str:
    if type(text) is not str:  # not bool, not int: a date is text in every format we read
        raise InvalidFieldError("date", f"expected EDTF date text such as '2019-05', got {text!r}")
    if not text.isascii():
        for char in text:
            if not char.isascii():
                what = "digit" if char.isdigit() else "character"
                name = unicodedata.name(char, f"U+{ord(char):04X}")
                raise InvalidFieldError(
                    "date", f"{_shown(text)} has the non-ASCII {what} {char!r} ({name}); use 0-9"
                )
    return text


_ISO: Final = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")
_FORMS: Final = "YYYY, YYYY-MM or YYYY-MM-DD, optionally followed by ?, ~ or %"


_YEARS: dict[str, int] = {}


def _parse_point(text: str, where: str) -> PartialDate:
    """One date, qualified or not; ``where`` names it in errors ("date", "start", "end")."""
    qualifier = None
    body = text
    if text and text[-1] in _FROM_SYMBOL:
        qualifier = _FROM_SYMBOL[text[-1]]
        body = text[:-1]
    if any(char in _FROM_SYMBOL for char in body):
        raise InvalidFieldError(
            where, f"{_shown(text)}: a qualifier (?, ~ or %) qualifies the whole date and comes last"
        )
    match = _ISO.fullmatch(body)
    if match is None:
        raise InvalidFieldError(where, f"{_shown(text)} is not a date ({_FORMS})")
    year, month, day = match.groups()
    number = _YEARS.get(year)
    if number is None:  # one int per year however many dates name it (at most 10,000 of them)
        number = _YEARS.setdefault(year, int(year))
    try:
        return PartialDate(
            number,
            None if month is None else int(month),
            None if day is None else int(day),
            qualifier=qualifier,
        )
    except InvalidFieldError as error:
        if where == "date":  # a lone date: the part that is wrong is the field
            raise
        raise InvalidFieldError(where, str(error)) from None


# --- spans and comparisons ------------------------------------------------------------


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, days_in_month(year, month))


def _month_start(index: int) -> datetime.date:
    """The first day of the month ``index`` (year * 12 + month - 1), clamped to year 1."""
    year, month = divmod(index, 12)
    return datetime.date.min if year < 1 else datetime.date(year, month + 1, 1)


def _month_end(index: int) -> datetime.date:
    year, month = divmod(index, 12)
    return datetime.date.max if year > 9999 else _last_day(year, month + 1)


def _shift(day: datetime.date, days: int) -> datetime.date:
    try:
        return day + datetime.timedelta(days=days)
    except OverflowError:  # past year 1 or 9999: the calendar's own end
        return datetime.date.min if days < 0 else datetime.date.max


Span = tuple[datetime.date | None, datetime.date | None]


def _value(other: Any, what: str) -> PartialDate | DateInterval:
    if not isinstance(other, (PartialDate, DateInterval)):
        raise TypeError(f"{what} compares with a PartialDate or a DateInterval, not {type(other).__name__}")
    return other


def _year_arg(label: str, value: object) -> int:
    if type(value) is not int:
        raise TypeError(f"in_years {label} must be an int year, got {type(value).__name__}")
    return value


class _Spanned:
    """The comparisons shared by dates and intervals, all read off ``earliest`` and ``latest``."""

    __slots__ = ()

    @property
    def earliest(self) -> datetime.date | None:  # pragma: no cover - both subclasses define it
        raise NotImplementedError

    @property
    def latest(self) -> datetime.date | None:  # pragma: no cover - both subclasses define it
        raise NotImplementedError

    def possible_span(self) -> Span:
        """``(earliest, latest)``: every day this value may denote; ``None`` is an open end."""
        return self.earliest, self.latest

    def certainly_before(self, other: PartialDate | DateInterval) -> bool:
        """True when every possible day of this value precedes every possible day of ``other``.

        >>> PartialDate(2024, 11, 13).certainly_before(PartialDate(2024, 11, 14))
        True
        >>> PartialDate(2024, 11).certainly_before(PartialDate(2024, 11, 14))
        False
        """
        other = _value(other, "certainly_before")
        latest, earliest = self.latest, other.earliest
        return latest is not None and earliest is not None and latest < earliest

    def possibly_before(self, other: PartialDate | DateInterval) -> bool:
        """True when some possible day of this value precedes some possible day of ``other``.

        >>> PartialDate(2024, 11).possibly_before(PartialDate(2024, 11, 14))
        True
        >>> PartialDate(2024, 11, 14).possibly_before(PartialDate(2024, 11))
        True
        >>> PartialDate(2024, 11, 14).possibly_before(PartialDate(2024, 11, 14))
        False
        """
        other = _value(other, "possibly_before")
        earliest, latest = self.earliest, other.latest
        return earliest is None or latest is None or earliest < latest

    def overlaps(self, other: PartialDate | DateInterval) -> bool:
        """True when this value and ``other`` may denote the same day (their spans meet).

        >>> parse_date("2007/2010").overlaps(parse_date("2010-06~"))
        True
        """
        other = _value(other, "overlaps")
        earliest, latest = self.earliest, self.latest
        other_earliest, other_latest = other.earliest, other.latest
        return (latest is None or other_earliest is None or other_earliest <= latest) and (
            earliest is None or other_latest is None or earliest <= other_latest
        )

    def in_years(self, start: int, end: int, *, possible: bool = False) -> bool:
        """True when this value lies within the years ``start`` to ``end`` inclusive.

        By default only when it *certainly* does (its whole possible span is inside);
        ``possible=True`` also when it *may* (its possible span meets the years).

        >>> PartialDate(2019, qualifier=Qualifier.APPROXIMATE).in_years(2019, 2019)
        False
        >>> PartialDate(2019, qualifier=Qualifier.APPROXIMATE).in_years(2019, 2019, possible=True)
        True
        """
        start, end = _year_arg("start", start), _year_arg("end", end)
        if end < start:
            raise ValueError(f"in_years range is empty: end {end} comes before start {start}")
        earliest, latest = self.earliest, self.latest
        if possible:
            return (earliest is None or earliest.year <= end) and (latest is None or latest.year >= start)
        return earliest is not None and latest is not None and start <= earliest.year and latest.year <= end


# --- dates ----------------------------------------------------------------------------


@frozen(order=False)
class PartialDate(_Spanned):
    """A calendar date with year, optional month and optional day (month required for a day),
    optionally qualified as a whole as uncertain or approximate.

    Ordering (``<``) is the sort order of :func:`~sinoperu.dates.sort_key`; it puts a less
    precise date before the more precise ones in the same period: ``2018 < 2018-01 < 2018-01-01``.
    To ask which came first, use :meth:`~sinoperu.PartialDate.certainly_before` and
    :meth:`~sinoperu.PartialDate.possibly_before`.

    >>> d = PartialDate.parse("2018-07")
    >>> d.year, d.month, d.day, str(d), d.precision
    (2018, 7, None, '2018-07', 'month')
    >>> PartialDate(2018) < PartialDate(2018, 1) < PartialDate(2018, 7, 21)
    True
    >>> q = PartialDate.parse("2019-05?")
    >>> q.qualifier, q.certain_span(), q.possible_span()
    (<Qualifier.UNCERTAIN: 'uncertain'>, None, (datetime.date(2019, 4, 1), datetime.date(2019, 6, 30)))
    """

    year: int
    month: int | None = None
    day: int | None = None
    qualifier: Qualifier | None = field(default=None, kw_only=True)
    _span: tuple[datetime.date, datetime.date] | None = field(
        init=False, default=None, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        year = _check_int("year", self.year)
        if not 1 <= year <= 9999:
            raise InvalidFieldError("year", f"{year} is outside 1..9999")
        month = 0 if self.month is None else _check_int("month", self.month)
        if self.month is not None and not 1 <= month <= 12:
            raise InvalidFieldError("month", f"{month} is not a month")
        day = 0
        if self.day is not None:
            day = _check_int("day", self.day)
            if self.month is None:
                raise InvalidFieldError("day", "a day needs a month")
            if not 1 <= day <= days_in_month(year, month):
                raise InvalidFieldError("day", f"{day} is not a day of {year:04d}-{month:02d}")
        qualifier = self.qualifier
        if qualifier is not None and type(qualifier) is not Qualifier:
            choices = ", ".join(repr(q.value) for q in Qualifier)
            raise InvalidFieldError("qualifier", f"expected a Qualifier ({choices}) or None: {qualifier!r}")

    @property
    def _sort(self) -> tuple[int, ...]:
        # Made when asked rather than kept: a file has about one distinct date per two records.
        return (0, self.year, self.month or 0, self.day or 0, _RANK[self.qualifier], 0)

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read one date: ``"2018"``, ``"2018-07"``, ``"2018-07-21"``, each optionally
        followed by ``?``, ``~`` or ``%``. Intervals are read by :func:`~sinoperu.parse_date`.

        >>> PartialDate.parse("2019-02-30")
        Traceback (most recent call last):
        ...
        sinoperu.errors.InvalidFieldError: day: 30 is not a day of 2019-02
        """
        text = _check_text(text)
        if "/" in text:
            raise InvalidFieldError("date", f"{_shown(text)} is an interval, not a single date")
        return _parse_point(text, "date")

    @property
    def precision(self) -> str:
        """``"year"``, ``"month"`` or ``"day"``."""
        if self.day is not None:
            return "day"
        return "year" if self.month is None else "month"

    @property
    def is_plain(self) -> bool:
        """True when the date carries no qualifier."""
        return self.qualifier is None

    def isoformat(self) -> str:
        """The EDTF text of this date, at its own precision, with its qualifier."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        if self.qualifier is not None:
            text += _SYMBOL[self.qualifier]
        return text

    __str__ = isoformat

    def _nominal(self) -> tuple[datetime.date, datetime.date]:
        year, month, day = self.year, self.month, self.day
        if month is None:
            return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        if day is None:
            return datetime.date(year, month, 1), _last_day(year, month)
        same = datetime.date(year, month, day)
        return same, same

    def _bounds(self) -> tuple[datetime.date, datetime.date]:
        span = self._span
        if span is None:  # computed on first use and kept: dates are shared by many records
            span = self._nominal()
            if self.qualifier is not None:
                span = self._widened(span, self.qualifier.widening)
            object.__setattr__(self, "_span", span)
        return span

    def _widened(
        self, span: tuple[datetime.date, datetime.date], units: int
    ) -> tuple[datetime.date, datetime.date]:
        if self.month is None:
            first, last = self.year - units, self.year + units
            return (
                datetime.date.min if first < 1 else datetime.date(first, 1, 1),
                datetime.date.max if last > 9999 else datetime.date(last, 12, 31),
            )
        if self.day is None:
            index = self.year * 12 + self.month - 1
            return _month_start(index - units), _month_end(index + units)
        return _shift(span[0], -units), _shift(span[1], units)

    @property
    def earliest(self) -> datetime.date:
        """The first day this date may denote (widened by its qualifier).

        >>> PartialDate(2019, 5).earliest, PartialDate(2019, 5, qualifier=Qualifier.APPROXIMATE).earliest
        (datetime.date(2019, 5, 1), datetime.date(2019, 4, 1))
        """
        return self._bounds()[0]

    @property
    def latest(self) -> datetime.date:
        """The last day this date may denote (widened by its qualifier)."""
        return self._bounds()[1]

    def possible_span(self) -> tuple[datetime.date, datetime.date]:
        """``(earliest, latest)``: every day this date may denote."""
        return self._bounds()

    def certain_span(self) -> tuple[datetime.date, datetime.date] | None:
        """The first and last day of the stated period; ``None`` when the date is qualified.

        >>> PartialDate(2024, 2).certain_span()
        (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
        """
        return None if self.qualifier is not None else self._nominal()

    def __lt__(self, other: Any) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._sort < other._sort

    def __le__(self, other: Any) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._sort <= other._sort

    def __gt__(self, other: Any) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._sort > other._sort

    def __ge__(self, other: Any) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._sort >= other._sort


# An open end sorts after every date an end can hold (years stop at 9999).
_OPEN_END: Final = (10_000, 0, 0, 0)


@frozen
class DateInterval(_Spanned):
    """Some time from ``start`` to ``end``, each a :class:`PartialDate` (possibly qualified)
    or ``None`` for an open end; at least one end is given.

    As a record's date it bounds when the thing happened: ``2007/2010`` is "some time
    from 2007 to 2010", ``../2021-04-29`` "on or before 29 April 2021".

    >>> span = DateInterval.parse("2019-05/2019-06-10")
    >>> span.start, span.end.day, str(span)
    (PartialDate(year=2019, month=5, day=None, qualifier=None), 10, '2019-05/2019-06-10')
    >>> span.earliest, span.latest
    (datetime.date(2019, 5, 1), datetime.date(2019, 6, 10))
    >>> DateInterval(PartialDate(2010), PartialDate(2007))
    Traceback (most recent call last):
    ...
    sinoperu.errors.InvalidFieldError: end: 2007 comes before the start 2010
    """

    start: PartialDate | None
    end: PartialDate | None
    _sort: tuple[int, ...] = field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        start, end = self.start, self.end
        for name, value in (("start", start), ("end", end)):
            if value is not None and type(value) is not PartialDate:
                raise InvalidFieldError(name, f"expected a PartialDate or None (open), got {value!r}")
        if start is None and end is None:
            raise InvalidFieldError("start", "an interval open at both ends says nothing; leave out the date")
        # Reversed as written: the stated end is over before the stated start begins. Checked
        # on the stated spans, qualifiers aside, so "2019~/2018" is refused like "2019/2018".
        if start is not None and end is not None and end._nominal()[1] < start._nominal()[0]:
            raise InvalidFieldError("end", f"{end} comes before the start {start}")
        if start is None:
            assert end is not None
            key = (*end._sort[:5], 2)
        else:
            key = (*start._sort[:5], 1, *(_OPEN_END if end is None else end._sort[1:5]))
        object.__setattr__(self, "_sort", key)

    @classmethod
    def parse(cls, text: str) -> DateInterval:
        """Read an interval: ``"2007/2010"``, ``"../2021-04-29"``, ``"2019?/.."``.

        >>> DateInterval.parse("2019-05")
        Traceback (most recent call last):
        ...
        sinoperu.errors.InvalidFieldError: date: '2019-05' is a single date, not an interval
        """
        value = parse_date(text)
        if not isinstance(value, DateInterval):
            raise InvalidFieldError("date", f"{_shown(text)} is a single date, not an interval")
        return value

    @property
    def earliest(self) -> datetime.date | None:
        """The first day the interval may include; ``None`` when the start is open."""
        return None if self.start is None else self.start.earliest

    @property
    def latest(self) -> datetime.date | None:
        """The last day the interval may include; ``None`` when the end is open."""
        return None if self.end is None else self.end.latest

    @property
    def is_plain(self) -> bool:
        """True when neither end carries a qualifier."""
        return all(end is None or end.qualifier is None for end in (self.start, self.end))

    def certain_span(self) -> Span | None:
        """The stated first and last day (``None`` for an open end), or ``None`` when an end
        is qualified.

        >>> DateInterval.parse("../2021-04-29").certain_span()
        (None, datetime.date(2021, 4, 29))
        >>> DateInterval.parse("2007~/2010").certain_span() is None
        True
        """
        if not self.is_plain:
            return None
        return self.earliest, self.latest

    def isoformat(self) -> str:
        """The EDTF text of the interval: its two ends joined by ``/``, ``..`` for an open one."""
        start = OPEN_END if self.start is None else self.start.isoformat()
        return start + "/" + (OPEN_END if self.end is None else self.end.isoformat())

    __str__ = isoformat


# --- one parser, one writer, one order ------------------------------------------------


def parse_date(text: str) -> PartialDate | DateInterval:
    """Read any date text the format allows (see the module docs); the inverse of :func:`format_date`.

    >>> parse_date("2019-05?")
    PartialDate(year=2019, month=5, day=None, qualifier=<Qualifier.UNCERTAIN: 'uncertain'>)
    >>> parse_date("../2021-04-29")
    DateInterval(start=None, end=PartialDate(year=2021, month=4, day=29, qualifier=None))
    >>> parse_date("١٩٨٣-١١")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sinoperu.errors.InvalidFieldError: date: '١٩٨٣-١١' has the non-ASCII digit '١' (ARABIC-INDIC ...); use 0-9
    """
    text = _check_text(text)
    if "/" not in text:
        return _parse_point(text, "date")
    start_text, _, end_text = text.partition("/")
    if "/" in end_text:
        raise InvalidFieldError("date", f"{_shown(text)} has more than one '/'")
    if not start_text or not end_text:
        raise InvalidFieldError(
            "start" if not start_text else "end",
            f"{_shown(text)} leaves an end unknown; write {OPEN_END!r} for an open end, "
            f"as in '{OPEN_END}/2021' or '2019/{OPEN_END}'",
        )
    start = None if start_text == OPEN_END else _parse_point(start_text, "start")
    end = None if end_text == OPEN_END else _parse_point(end_text, "end")
    return DateInterval(start, end)


def format_date(value: PartialDate | DateInterval) -> str:
    """The EDTF text of a date or an interval; ``parse_date(format_date(v)) == v``.

    >>> format_date(DateInterval(PartialDate(2007), PartialDate(2010, qualifier=Qualifier.APPROXIMATE)))
    '2007/2010~'
    """
    if not isinstance(value, (PartialDate, DateInterval)):
        raise TypeError(f"format_date takes a PartialDate or a DateInterval, not {type(value).__name__}")
    return value.isoformat()


def anchor(value: PartialDate | DateInterval) -> PartialDate:
    """The date a value is filed under in the sort order: a date itself, an interval's
    start, or its end when the start is open.

    >>> str(anchor(parse_date("2007/2010"))), str(anchor(parse_date("../2021-04-29")))
    ('2007', '2021-04-29')
    """
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, DateInterval):
        if value.start is not None:
            return value.start
        if value.end is not None:
            return value.end
    raise TypeError(f"anchor takes a PartialDate or a DateInterval, not {type(value).__name__}")


#: The sort key of ``None`` (an undated value): after every date.
UNDATED_KEY: Final = (1,)


def sort_key(value: PartialDate | DateInterval | None) -> tuple[int, ...]:
    """A key for sorting dates, intervals and ``None`` together: a deterministic total
    order, undated last (see "The two orders" in the module docs). Distinct values get
    distinct keys.

    >>> texts = ["2018-07", None, "2018", "../2018-03", "2018/2019", "2017~", "2018-01-01"]
    >>> values = [None if t is None else parse_date(t) for t in texts]
    >>> [None if v is None else str(v) for v in sorted(values, key=sort_key)]
    ['2017~', '2018', '2018/2019', '2018-01-01', '../2018-03', '2018-07', None]
    """
    if value is None:
        return UNDATED_KEY
    if type(value) is PartialDate or type(value) is DateInterval:
        return value._sort
    raise TypeError(f"sort_key takes a PartialDate, a DateInterval or None, not {type(value).__name__}")
