"""The rules a field of the format obeys, each written once, and the function that declares a field.

A model field is declared with :func:`described`, which attaches one :class:`Rule` (what values
are allowed), its meaning and its CSV name to the attrs field, and derives the field's validator
from the same rule. :mod:`sinoperu.format` reads these back with :func:`attrs.fields`; the JSON
Schema, the decoders, the CSV columns, the frames' dtypes, the data package and the data
dictionary all come from there. Limits and patterns are looked up by name in :data:`LIMITS` and
:data:`PATTERNS` when a value is checked, so changing one entry changes every artefact at once.

>>> rule = Text("name")
>>> rule.check("Lima"), rule.describe()
('Lima', 'text (1 to 300 characters, not blank)')
>>> rule.check("   ")
Traceback (most recent call last):
...
ValueError: must not be empty or blank
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, Final

import attrs
from attrs import frozen

from .errors import InvalidFieldError

__all__ = [
    "LIMITS",
    "METADATA_KEY",
    "PATTERNS",
    "Choice",
    "Const",
    "DateRule",
    "Described",
    "ListOf",
    "Nested",
    "Number",
    "Pattern",
    "Rule",
    "Text",
    "date_pattern",
    "described",
]

#: The longest text each kind of field may hold, in characters (code points).
LIMITS: Final[dict[str, int]] = {
    "id": 100,
    "code": 20,
    "name": 300,
    "title": 600,
    "url": 2_048,
    "text": 20_000,
}


@frozen
class Pattern:
    """A regular expression a whole value must match, and how to say what it is.

    ``regex`` is written for a full match and uses only syntax that Python's ``re``, ECMA-262
    (JSON Schema) and Frictionless read alike: ASCII classes, groups, ``?``, ``*``, ``+``, ``{m,n}``.
    """

    regex: str
    what: str
    example: str


#: Every pattern of the format, by name.
PATTERNS: Final[dict[str, Pattern]] = {
    "id": Pattern(
        r"[a-z0-9]+(?:-[a-z0-9]+)*", "an id (lowercase letters, digits and single hyphens)", "tw-lima-beijing"
    ),
    "country": Pattern(r"[A-Z]{2}", "an ISO 3166-1 alpha-2 code", "PE"),
    "iso_3166_2": Pattern(r"[A-Z]{2}-[A-Z0-9]{1,3}", "an ISO 3166-2 code", "PE-LIM"),
    "language": Pattern(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*", "a language code such as 'es' or 'zh'", "es"),
    "url": Pattern(r"https?://[^\s/?#]+[^\s]*", "an http(s) URL", "https://example.org/page"),
    "ubigeo": Pattern(
        r"[0-9]{2}(?:[0-9]{2}(?:[0-9]{2})?)?", "an INEI UBIGEO code of 2, 4 or 6 digits", "150101"
    ),
    "gb2260": Pattern(r"[1-9][0-9]{5}", "a GB/T 2260 administrative-division code of 6 digits", "110000"),
    "wikidata": Pattern(r"Q[1-9][0-9]*", "a Wikidata item id", "Q2868"),
}


def date_pattern(*, plain: bool = True) -> str:
    """The full-match pattern of a date field's text, from :mod:`sinoperu.dates` (``plain``: no
    qualifier, no interval). It includes the calendar, so a JSON Schema or a table schema refuses
    exactly the dates the parser refuses."""
    from .dates import DATE_PATTERN, PLAIN_DATE_PATTERN

    return (PLAIN_DATE_PATTERN if plain else DATE_PATTERN).removeprefix("^").removesuffix("$")


# A text holding at least one character that is not white space; the same test in every tool.
NON_BLANK: Final = r"\S"
# UTF-16 surrogates cannot be written as UTF-8: a text holding one could never be saved again.
SURROGATE: Final = "[\\ud800-\\udfff]"
_NON_BLANK = re.compile(NON_BLANK)
_SURROGATE = re.compile(SURROGATE)
_COMPILED: dict[str, re.Pattern[str]] = {}


def _compiled(regex: str) -> re.Pattern[str]:
    found = _COMPILED.get(regex)
    if found is None:
        found = _COMPILED[regex] = re.compile(regex)
    return found


def describe_value(value: Any) -> str:
    """A short repr of a value for an error message (at most 60 characters)."""
    text = repr(value.value if isinstance(value, Enum) else value)
    return text if len(text) <= 60 else text[:57] + "..."


class Rule:
    """What values a field allows. ``check`` returns the value or raises ValueError/TypeError
    saying what is wrong; ``describe`` says it as a person would.

    Each rule writes its check once, in ``checker``, as a closure over its own settings: loading a
    file runs it for every field of every record, so it reads no attribute it can capture (limits and
    patterns are still read from :data:`LIMITS` and :data:`PATTERNS` at each call).
    """

    __slots__ = ()

    def checker(self) -> Callable[[Any], Any]:  # pragma: no cover - every rule overrides it
        raise NotImplementedError

    def check(self, value: Any) -> Any:
        return _checker(self)(value)

    def describe(self) -> str:  # pragma: no cover
        raise NotImplementedError


@frozen
class Text(Rule):
    """Text up to ``LIMITS[limit]`` characters; ``blank=True`` also allows an empty text."""

    limit: str
    pattern: str | None = None
    blank: bool = False

    @property
    def max_length(self) -> int:
        return LIMITS[self.limit]

    @property
    def min_length(self) -> int:
        return 0 if self.blank else 1

    def checker(self) -> Callable[[Any], Any]:
        limit, pattern_name, blank = self.limit, self.pattern, self.blank
        surrogate = _SURROGATE.search

        def check(value: Any) -> Any:
            if type(value) is not str:
                raise TypeError(f"expected text, got {describe_value(value)}")
            if len(value) > LIMITS[limit]:
                raise ValueError(f"is {len(value)} characters long; the limit is {LIMITS[limit]}")
            if not value.isascii() and surrogate(value):  # isascii is O(1) in CPython
                raise ValueError("holds a lone UTF-16 surrogate, which cannot be written as UTF-8")
            if pattern_name is not None:
                pattern = PATTERNS[pattern_name]
                if not _compiled(pattern.regex).fullmatch(value):
                    raise ValueError(f"{describe_value(value)} is not {pattern.what}")
            elif not blank and (not value or value.isspace()):  # the same test as NON_BLANK's \S
                raise ValueError("must not be empty or blank")
            return value

        return check

    def describe(self) -> str:
        if self.pattern is not None:
            return f"{PATTERNS[self.pattern].what} (at most {self.max_length:,} characters)"
        if self.blank:
            return f"text or empty (at most {self.max_length:,} characters)"
        return f"text (1 to {self.max_length:,} characters, not blank)"


@frozen
class Choice(Rule):
    """One value of an enum (``allowed`` narrows it to some members)."""

    enum: type[Enum]
    allowed: tuple[Any, ...] | None = None

    @property
    def values(self) -> tuple[str, ...]:
        members = self.enum if self.allowed is None else self.allowed
        return tuple(str(member.value) for member in members)

    def checker(self) -> Callable[[Any], Any]:
        enum, allowed = self.enum, self.allowed
        listing = ", ".join(map(repr, self.values))

        def check(value: Any) -> Any:
            if not isinstance(value, enum) or (allowed is not None and value not in allowed):
                raise ValueError(f"{describe_value(value)} is not one of {listing}")
            return value

        return check

    def describe(self) -> str:
        return "one of: " + ", ".join(self.values)


@frozen
class Number(Rule):
    """A finite number within ``minimum``..``maximum``; whole numbers when ``integer``."""

    minimum: float
    maximum: float
    integer: bool = False

    def checker(self) -> Callable[[Any], Any]:
        kinds: tuple[type, ...] = (int,) if self.integer else (int, float)
        low, high = self.minimum, self.maximum
        what = "a whole number" if self.integer else "a number"

        def check(value: Any) -> Any:
            if type(value) not in kinds:
                raise TypeError(f"expected {what}, got {describe_value(value)}")
            if not low <= value <= high or not math.isfinite(value):
                raise ValueError(f"{describe_value(value)} is outside {low:g}..{high:g}")
            return value

        return check

    def describe(self) -> str:
        if self.integer:
            return f"whole number from {int(self.minimum):,} to {int(self.maximum):,}"
        return f"number from {self.minimum:g} to {self.maximum:g}"


@frozen
class DateRule(Rule):
    """A date as precise as the sources give it; ``plain`` dates have no EDTF qualifier or interval."""

    plain: bool = False

    def checker(self) -> Callable[[Any], Any]:
        from .dates import DateInterval, PartialDate

        if self.plain:

            def check_plain(value: Any) -> Any:
                if type(value) is DateInterval:
                    raise ValueError(f"{value} is an interval, not a single date")
                if type(value) is not PartialDate:
                    raise TypeError(f"expected a PartialDate, got {describe_value(value)}")
                if value.qualifier is not None:
                    raise ValueError(f"{value} is qualified; this field takes a plain date (YYYY[-MM[-DD]])")
                return value

            return check_plain

        def check(value: Any) -> Any:
            if type(value) is not PartialDate and type(value) is not DateInterval:
                raise TypeError(f"expected a PartialDate or a DateInterval, got {describe_value(value)}")
            return value

        return check

    def describe(self) -> str:
        if self.plain:
            return "ISO date: YYYY, YYYY-MM or YYYY-MM-DD"
        return (
            "ISO date (YYYY, YYYY-MM or YYYY-MM-DD), optionally uncertain (?), approximate (~) or both (%), "
            "or an interval of two (start/end, .. for an open end)"
        )


@frozen
class Const(Rule):
    """Exactly one value (the file header's format name and version)."""

    value: str | int

    def checker(self) -> Callable[[Any], Any]:
        expected = self.value

        def check(value: Any) -> Any:
            if type(value) is not type(expected) or value != expected:
                raise ValueError(f"must be {expected!r}, got {describe_value(value)}")
            return value

        return check

    def describe(self) -> str:
        return f"exactly {self.value!r}"


@frozen
class Nested(Rule):
    """A record of another attrs class, written as a JSON object."""

    cls: type

    def checker(self) -> Callable[[Any], Any]:
        cls = self.cls

        def check(value: Any) -> Any:
            if type(value) is not cls:
                raise TypeError(f"expected {cls.__name__}, got {describe_value(value)}")
            return value

        return check

    def describe(self) -> str:
        return f"a {self.cls.__name__} object"


@frozen
class ListOf(Rule):
    """A list of items that each obey ``item``; ``non_empty`` and ``unique`` as named."""

    item: Rule
    non_empty: bool = False
    unique: bool = True

    def checker(self) -> Callable[[Any], Any]:
        non_empty, unique = self.non_empty, self.unique
        check_item = _checker(self.item)
        # Records in a list (sources) validated themselves when they were built: their type suffices.
        record_type = self.item.cls if isinstance(self.item, Nested) else None

        def check(value: Any) -> Any:
            if type(value) is not tuple:
                raise TypeError(f"expected a list, got {describe_value(value)}")
            if not value:
                if non_empty:
                    raise ValueError("needs at least one entry")
                return value
            for position, item in enumerate(value):
                if type(item) is record_type:
                    continue
                try:
                    check_item(item)
                except (TypeError, ValueError) as error:
                    raise type(error)(f"[{position}] {error}") from None
            if unique and len(value) > 1 and len(set(value)) != len(value):
                raise ValueError("lists the same entry twice")
            return value

        return check

    def describe(self) -> str:
        least = "one or more" if self.non_empty else "a list of"
        return f"{least} {self.item.describe()}" + (", each once" if self.unique else "")


@frozen
class Described:
    """What :func:`described` attaches to a field: its rule, meaning and CSV name."""

    rule: Rule
    meaning: str
    optional: bool = False
    csv: str | None = None
    refers_to: str | None = None  # the section whose ids the value names
    repeats: bool = False  # the same text recurs across records: a load keeps it once


#: The key under which a field's :class:`Described` sits in its attrs metadata.
METADATA_KEY: Final = "sinoperu"


def _as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Freeze a list into a tuple, refusing a lone string (which would split into letters)."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"expected a list or tuple, got {type(value).__name__}")
    return tuple(value)


def _as_float(value: Any) -> Any:
    # Equal values give equal bytes: 1 and 1.0 are one coordinate. Booleans stay refused, and an
    # int too large for a float stays an int, for the range check to refuse.
    if type(value) is int:
        try:
            return float(value)
        except OverflowError:
            return value
    return value


@functools.cache
def _checker(rule: Rule) -> Callable[[Any], Any]:
    return rule.checker()


def _validator(rule: Rule, optional: bool) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    check = _checker(rule)

    def validate(_: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        try:
            check(value)
        except (TypeError, ValueError) as error:
            raise InvalidFieldError(attribute.name, str(error)) from None

    return validate


def described(
    rule: Rule,
    meaning: str,
    *,
    optional: bool = False,
    default: Any = attrs.NOTHING,
    csv: str | None = None,
    refers_to: str | None = None,
    repeats: bool = False,
) -> Any:
    """An attrs field that obeys ``rule``, means ``meaning`` and is the CSV column ``csv``.

    ``refers_to`` names the section whose ids the value (or each item) names; ``repeats`` says
    that the same text recurs across records (a publisher), so a load keeps it once. ``optional``
    allows ``None``, which becomes the default unless another ``default`` is given, so an absent
    key and a null mean the same (as they do in a CSV cell). Lists are frozen into tuples; numbers
    are stored as floats.
    """
    if optional and default is attrs.NOTHING:
        default = None
    converter: Callable[[Any], Any] | None = None
    if isinstance(rule, ListOf):
        converter = _as_tuple
    elif isinstance(rule, Number) and not rule.integer:
        converter = _as_float
    return attrs.field(
        default=default,
        validator=_validator(rule, optional),
        converter=converter,
        metadata={METADATA_KEY: Described(rule, meaning, optional, csv, refers_to, repeats)},
    )
