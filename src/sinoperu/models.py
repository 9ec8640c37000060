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

from typing import Any, Final

from attrs import frozen

from .dates import UNDATED_KEY, DateInterval, PartialDate
from .enums import (
    CooperationArea,
    CountQualifier,
    Evidence,
    ExchangeKind,
    Level,
    MilestoneKind,
    PlaceKind,
    SourceKind,
    Status,
    TotalScope,
    TwinningKind,
)
from .errors import InvalidFieldError
from .fields import Choice, DateRule, ListOf, Nested, Number, Text, described

__all__ = [
    "PLAIN_DATE",
    "Coordinates",
    "Exchange",
    "Milestone",
    "NationalTotal",
    "Place",
    "Provision",
    "Record",
    "Source",
    "Twinning",
]

# Rules shared by several fields: each written here once, read by every artefact of the format.
_ID = Text("id", pattern="id")
_NAME = Text("name")
_TITLE = Text("title")
_LONG = Text("text", blank=True)  # summaries may not be blank; notes may be empty
_SUMMARY = Text("text")
_DATE = DateRule()  # a date, a qualified date ("2019-05?") or an interval ("2007/2010")
#: A stated date, no qualifier or interval: publication days, ends, counts, the data's as-of day.
PLAIN_DATE: Final = DateRule(plain=True)


def _ref(meaning: str, *, to: str = "places", optional: bool = False) -> Any:
    return described(_ID, meaning, optional=optional, refers_to=to)


def _notes() -> Any:
    return described(_LONG, "what is unconfirmed, and where sources disagree", default="")


def _sources() -> Any:
    # A fresh field per class: attrs orders fields by creation, so a shared one would jump first.
    return described(
        ListOf(Nested(Source), non_empty=True), "the public pages that support the record (at least one)"
    )


# --- records -----------------------------------------------------------------------


@frozen
class Coordinates:
    """A WGS84 point in decimal degrees.

    >>> Coordinates(lat=-12.05, lon=-77.04)
    Coordinates(lat=-12.05, lon=-77.04)
    >>> Coordinates(lat=1, lon=2) == Coordinates(lat=1.0, lon=2.0)
    True
    """

    lat: float = described(Number(-90, 90), "WGS84 latitude, decimal degrees", csv="lat")
    lon: float = described(Number(-180, 180), "WGS84 longitude, decimal degrees", csv="lon")


@frozen(kw_only=True)
class Source:
    """A public page that supports a record."""

    url: str = described(Text("url", pattern="url"), "address of the page")
    title: str = described(_TITLE, "title of the page")
    publisher: str = described(_NAME, "who published it", repeats=True)
    language: str = described(Text("code", pattern="language"), "language code of the page (BCP 47)")
    published: PartialDate | None = described(
        PLAIN_DATE, "publication date, where the page gives it", optional=True
    )
    kind: SourceKind | None = described(
        Choice(SourceKind), "who published it: a party's government, state media, press...", optional=True
    )
    original: str | None = described(
        _NAME, "the original outlet, when the page is a mirror or a reprint", optional=True, repeats=True
    )


@frozen(kw_only=True)
class Place:
    """A country, a first-level division, or a city, county or district that takes part.

    ``name`` is Spanish for Peruvian places and English (toneless pinyin) for Chinese
    ones; ``pinyin`` keeps the tone marks, which tell Shǎnxī 陕西 from Shānxī 山西.
    """

    id: str = described(_ID, "stable id")
    kind: PlaceKind = described(Choice(PlaceKind), "administrative kind")
    country: str = described(Text("code", pattern="country"), "ISO 3166-1 alpha-2 code of its country")
    name: str = described(_NAME, "name in Spanish (Peru) or English (China)")
    name_zh: str | None = described(_NAME, "name in simplified Chinese", optional=True)
    pinyin: str | None = described(_NAME, "pinyin with tone marks", optional=True)
    aliases: tuple[str, ...] = described(ListOf(_NAME), "other spellings users may type", default=())
    parent: str | None = _ref("id of the place it lies in", optional=True)
    iso_code: str | None = described(
        Text("code", pattern="iso_3166_2"), "ISO 3166-2 code (first-level divisions)", optional=True
    )
    ubigeo: str | None = described(
        Text("code", pattern="ubigeo"), "INEI UBIGEO code (Peruvian places)", optional=True
    )
    gb2260: str | None = described(
        Text("code", pattern="gb2260"),
        "GB/T 2260 administrative-division code (Chinese places)",
        optional=True,
    )
    gb2260_year: int | None = described(
        Number(1980, 2100, integer=True),
        "year of the GB/T 2260 code list the code is taken from",
        optional=True,
    )
    wikidata: str | None = described(Text("code", pattern="wikidata"), "Wikidata item id", optional=True)
    coordinates: Coordinates | None = described(
        Nested(Coordinates), "WGS84 point where a source gives one", optional=True
    )
    notes: str = _notes()
    sources: tuple[Source, ...] = _sources()

    def __attrs_post_init__(self) -> None:
        if self.iso_code is not None and not self.iso_code.startswith(self.country + "-"):
            raise InvalidFieldError(
                "iso_code", f"{self.iso_code} is not a code of {self.country}", relational=True
            )
        if self.parent == self.id:
            raise InvalidFieldError("parent", "a place cannot be its own parent", relational=True)

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a user may type for this place (name, Chinese, pinyin, aliases)."""
        primary = tuple(n for n in (self.name, self.name_zh, self.pinyin) if n is not None)
        return primary + self.aliases


@frozen(kw_only=True)
class Twinning:
    """A relation between a Peruvian and a Chinese sub-national government (micro level)."""

    id: str = described(_ID, "stable id")
    peruvian_party: str = _ref("id of the Peruvian place")
    chinese_party: str = _ref("id of the Chinese place")
    kind: TwinningKind = described(Choice(TwinningKind), "legal form of the relation")
    status: Status = described(Choice(Status), "where the relation stands")
    evidence: Evidence = described(Choice(Evidence), "how well it is attested (see the evidence rule)")
    date: PartialDate | DateInterval | None = described(
        _DATE, "when it was signed or agreed, as precisely as known", optional=True
    )
    end_date: PartialDate | None = described(
        _DATE, "when it ended or lapsed, where a source says", optional=True
    )
    areas: tuple[CooperationArea, ...] = described(
        ListOf(Choice(CooperationArea)), "fields of cooperation the sources name", default=()
    )
    summary: str = described(_SUMMARY, "what the sources say, in the project's own words")
    notes: str = _notes()
    sources: tuple[Source, ...] = _sources()

    def __attrs_post_init__(self) -> None:
        _check_end(self.date, self.end_date)

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

    id: str = described(_ID, "stable id")
    twinning: str = _ref("id of the twinning it was done under", to="twinnings")
    kind: ExchangeKind = described(Choice(ExchangeKind), "donation, scholarship, visit...")
    evidence: Evidence = described(Choice(Evidence), "how well it is attested (see the evidence rule)")
    date: PartialDate | DateInterval | None = described(
        _DATE, "when it happened, as precisely as known", optional=True
    )
    origin: str | None = _ref("id of the giving or sending place", optional=True)
    destination: str | None = _ref("id of the receiving or hosting place", optional=True)
    title: str = described(_TITLE, "short title, in the project's own words")
    summary: str = described(_SUMMARY, "what was done, in the project's own words")
    notes: str = _notes()
    sources: tuple[Source, ...] = _sources()

    @property
    def level(self) -> Level:
        """Always :attr:`Level.MICRO`."""
        return Level.MICRO

    @property
    def places(self) -> tuple[str, ...]:
        """Ids of the giving and receiving places, where the record names them."""
        return tuple(p for p in (self.origin, self.destination) if p is not None)


@frozen(kw_only=True)
class Provision:
    """What one part of a policy paper or action plan says about sub-national governments."""

    section: str = described(_NAME, "the part, section or item of the text, as the text numbers it")
    summary: str = described(_SUMMARY, "what it says, in the project's own words")


@frozen(kw_only=True)
class Milestone:
    """A bloc- or meso-level event: a policy paper, a forum meeting, a treaty, a visit."""

    id: str = described(_ID, "stable id")
    level: Level = described(Choice(Level, allowed=(Level.BLOC, Level.MESO)), "bloc or meso")
    kind: MilestoneKind = described(Choice(MilestoneKind), "kind of event")
    date: PartialDate | DateInterval | None = described(
        _DATE, "when it happened, as precisely as known", optional=True
    )
    end_date: PartialDate | None = described(PLAIN_DATE, "last day of a multi-day event", optional=True)
    title: str = described(_TITLE, "short title, in the project's own words")
    parties: tuple[str, ...] = described(ListOf(_NAME), "the parties, as named", default=())
    venue: str | None = described(_NAME, "where it took place", optional=True)
    places: tuple[str, ...] = described(
        ListOf(_ID), "ids of the Peruvian or Chinese places involved", default=(), refers_to="places"
    )
    subnational: tuple[Provision, ...] = described(
        ListOf(Nested(Provision)),
        "what the text says about provinces, cities and local governments, part by part",
        default=(),
    )
    summary: str = described(_SUMMARY, "what happened, in the project's own words")
    notes: str = _notes()
    sources: tuple[Source, ...] = _sources()

    def __attrs_post_init__(self) -> None:
        _check_end(self.date, self.end_date)


@frozen(kw_only=True)
class NationalTotal:
    """A national count of China's friendship provinces and cities, as a national body reported it."""

    id: str = described(_ID, "stable id")
    date: PartialDate = described(PLAIN_DATE, "the date the count refers to")
    scope: TotalScope = described(Choice(TotalScope), "all of China's pairs, or those with Latin America")
    count: int = described(Number(0, 1_000_000, integer=True), "the number of pairs reported")
    qualifier: CountQualifier = described(Choice(CountQualifier), "exactly, more than, or about the count")
    reporter: str = described(_NAME, "the body that reported the count (CPAFFC, CIFCA...)")
    summary: str = described(_SUMMARY, "what the source says, in the project's own words")
    notes: str = _notes()
    sources: tuple[Source, ...] = _sources()


def _check_end(start: PartialDate | DateInterval | None, end: PartialDate | None) -> None:
    if end is not None and (start is None or end.certainly_before(start)):
        raise InvalidFieldError("end_date", f"{end} comes before the start {start}", relational=True)


#: A record that queries return.
Record = Twinning | Milestone | Exchange


def sort_key(record: Record) -> tuple[tuple[int, ...], str]:
    """Chronological order: dated records first, by :func:`sinoperu.dates.sort_key`, then by id."""
    date = record.date
    # A record's date is validated already: read its key directly (sorting 10^6 records calls this).
    return (UNDATED_KEY if date is None else date._sort, record.id)
