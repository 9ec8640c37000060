"""The records of the dataset: frozen, slotted attrs classes that validate themselves.

A record that exists is valid: every constructor checks its fields and raises
:class:`~sinoperu.errors.InvalidFieldError` naming the field otherwise. Collections are
tuples, so nothing a user holds can change the data.

>>> src = Source(url="https://example.org/a", title="A page", publisher="Example", language="en")
>>> src.url
'https://example.org/a'
>>> src.url = "https://elsewhere.org"
Traceback (most recent call last):
...
attr.exceptions.FrozenInstanceError: can't set attribute
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from attrs import Attribute, field, frozen

from .dates import UNDATED_KEY, DateInterval, PartialDate
from .enums import (
    CooperationArea,
    Evidence,
    ExchangeKind,
    Level,
    MilestoneKind,
    PlaceKind,
    Status,
    TwinningKind,
)
from .errors import InvalidFieldError

__all__ = [
    "Coordinates",
    "Exchange",
    "Milestone",
    "Place",
    "Record",
    "Source",
    "Twinning",
]

#: Longest text a name or title field may hold, and a summary or note.
MAX_NAME_LENGTH = 300
MAX_TEXT_LENGTH = 20_000
MAX_URL_LENGTH = 2_048

_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_COUNTRY = re.compile(r"[A-Z]{2}")
_ISO_3166_2 = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*")

_Validator = Callable[[Any, "Attribute[Any]", Any], None]


# --- validators: each raises InvalidFieldError naming the attribute -----------------


def _fail(attribute: Attribute[Any], message: str) -> InvalidFieldError:
    return InvalidFieldError(attribute.name, message)


def _text(max_length: int, *, optional: bool = False) -> _Validator:
    def check(_: Any, attribute: Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str):
            raise _fail(attribute, f"expected text, got {type(value).__name__}")
        if not value or value.isspace():  # isspace, not strip: no copy of a long text
            raise _fail(attribute, "must not be empty")
        if len(value) > max_length:
            raise _fail(attribute, f"is {len(value)} characters long; the limit is {max_length}")

    return check


def _long_text(_: Any, attribute: Attribute[Any], value: Any) -> None:
    # Summaries and notes may be empty strings but must be strings.
    if not isinstance(value, str):
        raise _fail(attribute, f"expected text, got {type(value).__name__}")
    if len(value) > MAX_TEXT_LENGTH:
        raise _fail(attribute, f"is {len(value)} characters long; the limit is {MAX_TEXT_LENGTH}")


def _pattern(regex: re.Pattern[str], what: str, *, optional: bool = False) -> _Validator:
    def check(_: Any, attribute: Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str) or len(value) > MAX_URL_LENGTH or not regex.fullmatch(value):
            raise _fail(attribute, f"{value!r} is not {what}")

    return check


_record_id = _pattern(_ID, "an id (lowercase letters, digits and single hyphens)")
_optional_id = _pattern(_ID, "an id (lowercase letters, digits and single hyphens)", optional=True)


def _instance(cls: type | tuple[type, ...], *, optional: bool = False) -> _Validator:
    def check(_: Any, attribute: Attribute[Any], value: Any) -> None:
        if value is None and optional:
            return
        if not isinstance(value, cls):
            names = cls.__name__ if isinstance(cls, type) else " or ".join(c.__name__ for c in cls)
            raise _fail(attribute, f"expected {names}, got {value!r}")

    return check


def _plain_date(_: Any, attribute: Attribute[Any], value: Any) -> None:
    # A publication day or a milestone's end is stated, not hedged: no qualifier here.
    if value is None:
        return
    if type(value) is not PartialDate:
        raise _fail(attribute, f"expected PartialDate, got {value!r}")
    if value.qualifier is not None:
        raise _fail(attribute, f"{value} is qualified; this field takes a plain date (YYYY[-MM[-DD]])")


_record_date = _instance((PartialDate, DateInterval), optional=True)


def _items(
    check_item: _Validator, *, of: type | None = None, non_empty: bool = False, unique: bool = False
) -> _Validator:
    """Check every item; ``of`` names the one type allowed, checked inline (the hot path)."""

    def check(instance: Any, attribute: Attribute[Any], value: Any) -> None:
        if not value:
            if non_empty:
                raise _fail(attribute, "needs at least one entry")
            return
        for item in value:
            if of is None or type(item) is not of:
                check_item(instance, attribute, item)
        if unique and len(value) > 1 and len(set(value)) != len(value):
            raise _fail(attribute, "lists the same entry twice")

    return check


def _as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Freeze a list into a tuple, refusing a lone string (which would split into letters)."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise TypeError(f"expected a list or tuple, got {type(value).__name__}")
    return tuple(value)


# --- records -----------------------------------------------------------------------


@frozen
class Coordinates:
    """A WGS84 point in decimal degrees.

    >>> Coordinates(lat=-12.05, lon=-77.04)
    Coordinates(lat=-12.05, lon=-77.04)
    """

    lat: float
    lon: float

    def __attrs_post_init__(self) -> None:
        for name, value, limit in (("lat", self.lat, 90.0), ("lon", self.lon, 180.0)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise InvalidFieldError(name, f"expected a number, got {value!r}")
            if not math.isfinite(value) or not -limit <= value <= limit:
                raise InvalidFieldError(name, f"{value!r} is outside -{limit:g}..{limit:g}")


@frozen(kw_only=True)
class Source:
    """A public page that supports a record."""

    url: str = field(validator=_pattern(_URL, "an http(s) URL"))
    title: str = field(validator=_text(MAX_NAME_LENGTH * 2))
    publisher: str = field(validator=_text(MAX_NAME_LENGTH))
    language: str = field(validator=_pattern(_LANGUAGE, "a language code such as 'es' or 'zh'"))
    published: PartialDate | None = field(default=None, validator=_plain_date)


def _sources() -> Any:
    # A fresh field per class: attrs orders fields by creation, so a shared one would jump first.
    return field(
        converter=_as_tuple, validator=_items(_instance(Source), of=Source, non_empty=True, unique=True)
    )


@frozen(kw_only=True)
class Place:
    """A country, a first-level division, or a city, county or district that takes part.

    ``name`` is Spanish for Peruvian places and English (toneless pinyin) for Chinese
    ones; ``pinyin`` keeps the tone marks, which tell Shǎnxī 陕西 from Shānxī 山西.
    """

    id: str = field(validator=_record_id)
    kind: PlaceKind = field(validator=_instance(PlaceKind))
    country: str = field(validator=_pattern(_COUNTRY, "an ISO 3166-1 alpha-2 code"))
    name: str = field(validator=_text(MAX_NAME_LENGTH))
    name_zh: str | None = field(default=None, validator=_text(MAX_NAME_LENGTH, optional=True))
    pinyin: str | None = field(default=None, validator=_text(MAX_NAME_LENGTH, optional=True))
    aliases: tuple[str, ...] = field(
        default=(), converter=_as_tuple, validator=_items(_text(MAX_NAME_LENGTH), unique=True)
    )
    parent: str | None = field(default=None, validator=_optional_id)
    iso_code: str | None = field(
        default=None, validator=_pattern(_ISO_3166_2, "an ISO 3166-2 code", optional=True)
    )
    coordinates: Coordinates | None = field(default=None, validator=_instance(Coordinates, optional=True))
    notes: str = field(default="", validator=_long_text)
    sources: tuple[Source, ...] = _sources()

    def __attrs_post_init__(self) -> None:
        if self.iso_code is not None and not self.iso_code.startswith(self.country + "-"):
            raise InvalidFieldError("iso_code", f"{self.iso_code} is not a code of {self.country}")
        if self.parent == self.id:
            raise InvalidFieldError("parent", "a place cannot be its own parent")

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a user may type for this place: name, Chinese, pinyin, aliases."""
        primary = tuple(n for n in (self.name, self.name_zh, self.pinyin) if n is not None)
        return primary + self.aliases


@frozen(kw_only=True)
class Twinning:
    """A relation between a Peruvian and a Chinese sub-national government (micro level)."""

    id: str = field(validator=_record_id)
    peruvian_party: str = field(validator=_record_id)
    chinese_party: str = field(validator=_record_id)
    kind: TwinningKind = field(validator=_instance(TwinningKind))
    status: Status = field(validator=_instance(Status))
    evidence: Evidence = field(validator=_instance(Evidence))
    date: PartialDate | DateInterval | None = field(validator=_record_date)
    areas: tuple[CooperationArea, ...] = field(
        default=(),
        converter=_as_tuple,
        validator=_items(_instance(CooperationArea), of=CooperationArea, unique=True),
    )
    summary: str = field(validator=_long_text)
    notes: str = field(default="", validator=_long_text)
    sources: tuple[Source, ...] = _sources()

    @property
    def level(self) -> Level:
        """Always :attr:`Level.MICRO`."""
        return Level.MICRO

    @property
    def places(self) -> tuple[str, ...]:
        """Ids of the places this record involves."""
        return (self.peruvian_party, self.chinese_party)


@frozen(kw_only=True)
class Exchange:
    """Something done under a twinning: a donation, scholarships, a visit (micro level)."""

    id: str = field(validator=_record_id)
    twinning: str = field(validator=_record_id)
    kind: ExchangeKind = field(validator=_instance(ExchangeKind))
    evidence: Evidence = field(validator=_instance(Evidence))
    date: PartialDate | DateInterval | None = field(validator=_record_date)
    origin: str | None = field(default=None, validator=_optional_id)
    destination: str | None = field(default=None, validator=_optional_id)
    title: str = field(validator=_text(MAX_NAME_LENGTH * 2))
    summary: str = field(validator=_long_text)
    sources: tuple[Source, ...] = _sources()

    @property
    def level(self) -> Level:
        """Always :attr:`Level.MICRO`."""
        return Level.MICRO

    @property
    def places(self) -> tuple[str, ...]:
        """Ids of the giving and receiving places, where the record names them."""
        return tuple(p for p in (self.origin, self.destination) if p is not None)


def _bloc_or_meso(_: Any, attribute: Attribute[Any], value: Any) -> None:
    if value not in (Level.BLOC, Level.MESO):
        raise _fail(attribute, f"a milestone is 'bloc' or 'meso', not {value!r}")


@frozen(kw_only=True)
class Milestone:
    """A bloc- or meso-level event: a policy paper, a forum meeting, a treaty, a visit."""

    id: str = field(validator=_record_id)
    level: Level = field(validator=_bloc_or_meso)
    kind: MilestoneKind = field(validator=_instance(MilestoneKind))
    date: PartialDate | DateInterval | None = field(validator=_record_date)
    end_date: PartialDate | None = field(default=None, validator=_plain_date)
    title: str = field(validator=_text(MAX_NAME_LENGTH * 2))
    parties: tuple[str, ...] = field(
        default=(), converter=_as_tuple, validator=_items(_text(MAX_NAME_LENGTH), unique=True)
    )
    venue: str | None = field(default=None, validator=_text(MAX_NAME_LENGTH, optional=True))
    places: tuple[str, ...] = field(
        default=(), converter=_as_tuple, validator=_items(_record_id, unique=True)
    )
    summary: str = field(validator=_long_text)
    notes: str = field(default="", validator=_long_text)
    sources: tuple[Source, ...] = _sources()

    def __attrs_post_init__(self) -> None:
        # Refused only when the end certainly precedes the start: "2018" may end a "2018-07" start.
        if self.end_date is not None and (self.date is None or self.end_date.certainly_before(self.date)):
            raise InvalidFieldError("end_date", f"{self.end_date} comes before the start {self.date}")


#: A record that queries return.
Record = Twinning | Milestone | Exchange


def sort_key(record: Record) -> tuple[tuple[int, ...], str]:
    """Chronological order: dated records first, by :func:`sinoperu.dates.sort_key`, then by id."""
    date = record.date
    # A record's date is validated already: read its key directly (sorting 10^6 records calls this).
    return (UNDATED_KEY if date is None else date._sort, record.id)
