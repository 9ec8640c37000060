"""``PartialDate``: a date known only to the year, the month or the day.

Sources often give "July 2018" or just "2013"; a partial date keeps exactly that
precision, so nothing downstream pretends to know a day nobody reported.

>>> d = PartialDate.parse("2018-07")
>>> d.year, d.month, d.day, str(d), d.precision
(2018, 7, None, '2018-07', 'month')
>>> PartialDate(2018) < PartialDate(2018, 1) < PartialDate(2018, 7, 21)
True
"""

from __future__ import annotations

import re
from typing import Any

from attrs import field, frozen

from .errors import InvalidFieldError

__all__ = ["PartialDate"]

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in_month(year: int, month: int) -> int:
    """Days in a month of the proleptic Gregorian calendar (no ``calendar`` import: it is slow).

    >>> days_in_month(2024, 2), days_in_month(1900, 2), days_in_month(2000, 2)
    (29, 28, 29)
    """
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


_ISO = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")  # ASCII digits only


def _check_int(name: str, value: object) -> int:
    if type(value) is not int:  # bool is an int subclass: refuse it too
        raise InvalidFieldError(name, f"expected a whole number, got {value!r}")
    return value


@frozen(order=False)
class PartialDate:
    """A calendar date with year, optional month and optional day (month required for a day).

    Ordering puts a less precise date before the more precise ones in the same period:
    ``2018 < 2018-01 < 2018-01-01``.
    """

    year: int
    month: int | None = None
    day: int | None = None
    _key: tuple[int, int, int] = field(init=False, repr=False, eq=False, hash=False)

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
        object.__setattr__(self, "_key", (year, month, day))

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ISO text: ``"2018"``, ``"2018-07"`` or ``"2018-07-21"``.

        >>> PartialDate.parse("2019-02-30")
        Traceback (most recent call last):
        ...
        sinoperu.errors.InvalidFieldError: day: 30 is not a day of 2019-02
        """
        if not isinstance(text, str):
            raise InvalidFieldError("date", f"expected ISO date text, got {text!r}")
        match = _ISO.fullmatch(text)
        if match is None:
            raise InvalidFieldError("date", f"{text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
        year, month, day = match.groups()
        return cls(int(year), None if month is None else int(month), None if day is None else int(day))

    @property
    def precision(self) -> str:
        """``"year"``, ``"month"`` or ``"day"``."""
        if self.day is not None:
            return "day"
        return "year" if self.month is None else "month"

    def isoformat(self) -> str:
        """The ISO text of this date, at its own precision."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    __str__ = isoformat

    def __lt__(self, other: Any) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key < other._key

    def __le__(self, other: Any) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key <= other._key

    def __gt__(self, other: Any) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key > other._key

    def __ge__(self, other: Any) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self._key >= other._key
