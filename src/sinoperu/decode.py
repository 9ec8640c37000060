"""The fast path from JSON text to records, built while the text is parsed; no cattrs.

Loading a file is the hot path (every notebook pays it, and users load files of 10^5
relations and more), so the records are built here by hand-written functions that check
exactly what the converter in :mod:`sinoperu.serialize` checks. They only say *that*
something is wrong: on any failure the loader runs the converter's detailed path, which
says *where*. A property test holds the two paths to the same answers.

>>> decode_source({"url": "https://example.org", "title": "t", "publisher": "p", "language": "en"})
Source(url='https://example.org', title='t', publisher='p', language='en', published=None)
>>> decode_source({"url": "https://example.org", "colour": "red"})
Traceback (most recent call last):
...
sinoperu.decode.Reject: Source
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any, TypeVar

from .dataset import Dataset
from .dates import DateInterval, PartialDate, parse_date
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
from .errors import DatasetError
from .jsonio import finite_float, refuse_constant
from .models import Coordinates, Exchange, Milestone, Place, Source, Twinning

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "SECTIONS",
    "Reject",
    "decode_exchange",
    "decode_milestone",
    "decode_place",
    "decode_source",
    "decode_text",
    "decode_twinning",
    "read_header",
]

E = TypeVar("E")

FORMAT = "sinoperu-dataset"
FORMAT_VERSION = 1
#: The dataset file's sections, in file order, with the record type each holds.
SECTIONS: tuple[tuple[str, type[Any]], ...] = (
    ("places", Place),
    ("twinnings", Twinning),
    ("milestones", Milestone),
    ("exchanges", Exchange),
)
_TOP_KEYS = frozenset({"format", "format_version", "version", "as_of", *(name for name, _ in SECTIONS)})


def describe(value: Any) -> str:
    """A short repr of a value for an error message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def read_header(raw: Any, *, file: str | None) -> tuple[str, PartialDate | None]:
    """Check a dataset file's top level; return its data version and as-of date."""
    if type(raw) is not dict:
        raise DatasetError(f"expected a JSON object at the top, got {describe(raw)}", file=file)
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise DatasetError(f"unknown top-level key(s) {', '.join(map(repr, unknown))}", file=file)
    if raw.get("format") != FORMAT:
        raise DatasetError(f"'format' must be {FORMAT!r}, got {describe(raw.get('format'))}", file=file)
    if raw.get("format_version") != FORMAT_VERSION or type(raw.get("format_version")) is not int:
        raise DatasetError(
            f"'format_version' must be {FORMAT_VERSION}, got {describe(raw.get('format_version'))}",
            file=file,
        )
    version = raw.get("version")
    if type(version) is not str:
        raise DatasetError(f"'version' must be text, got {describe(version)}", file=file)
    as_of = raw.get("as_of")
    if as_of is not None and type(as_of) is not str:
        raise DatasetError(f"expected an ISO date text, got {describe(as_of)}", file=file, field="as_of")
    try:
        return version, None if as_of is None else PartialDate.parse(as_of)
    except ValueError as error:
        raise DatasetError(getattr(error, "reason", str(error)), file=file, field="as_of") from None


class _Duplicate(Exception):
    """An object repeats a key; the strict parser will say which."""


def _build(pairs: list[tuple[str, Any]]) -> Any:
    """Called by the JSON parser for every object, innermost first: build the record at once.

    The parsed dict is dropped as soon as its record exists, so a large file never holds
    its whole raw form and its records in memory together. An object that does not decode
    stays a dict; the section checks then reject the file for the detailed path to explain.
    """
    memo = _MEMO.get()
    if memo is not None and pairs and pairs[0][0] == "url":
        # A source cited before, written the same way: reuse it without building anything.
        try:
            found = memo.get(("pairs", *pairs))
        except TypeError:  # an unhashable value: decoded (and refused) below
            found = None
        if found is not None:
            return found
    d = dict(pairs)
    if len(d) != len(pairs):
        raise _Duplicate
    try:
        if "peruvian_party" in d:
            return decode_twinning(d)
        if "url" in d:
            source = decode_source(d, memo)
            if memo is not None:
                with contextlib.suppress(TypeError):
                    memo[("pairs", *pairs)] = source
            return source
        if "twinning" in d:
            return decode_exchange(d)
        if "level" in d:
            return decode_milestone(d)
        if "country" in d:
            return decode_place(d)
        if "lat" in d:
            return _coordinates(d)
    except Exception:
        return d
    return d


def decode_text(text: str, *, file: str | None) -> Dataset:
    """A Dataset from a file's text by the fast path, records built while parsing.

    Raises :class:`Reject` (or another exception) when anything is off, for the caller to
    explain with the strict parser and the detailed converter; raises a located
    :class:`DatasetError` for a bad header or a problem between records.
    """
    token = _MEMO.set({})  # per load, and per thread: loads never share state
    try:
        try:
            raw = json.loads(
                text, object_pairs_hook=_build, parse_constant=refuse_constant, parse_float=finite_float
            )
        except (_Duplicate, ValueError, RecursionError) as error:
            raise Reject("json") from error
        version, as_of = read_header(raw, file=file)
        sections = {}
        for name, cls in SECTIONS:
            items = raw.get(name, [])
            if type(items) is not list:
                raise Reject(name)
            for item in items:
                if type(item) is not cls:
                    raise Reject(name)
            sections[name] = items
    finally:
        _MEMO.reset(token)
    try:
        return Dataset(version=version, as_of=as_of, **sections)
    except DatasetError as error:
        raise DatasetError(error.reason, file=file, record=error.record, field=error.field) from None


#: Per-load memo of equal values (dates by text, sources by content) so that each is built
#: once and shared; None outside :func:`decode_text`.
_MEMO: ContextVar[dict[Any, Any] | None] = ContextVar("sinoperu_decode_memo", default=None)


class Reject(Exception):
    """The fast path refuses this input; the detailed path will explain why."""


def _keys(raw: Any, allowed: frozenset[str], required: frozenset[str], name: str) -> dict[str, Any]:
    if type(raw) is not dict:
        raise Reject(name)
    keys = raw.keys()
    if not keys <= allowed or not required <= keys:
        raise Reject(name)
    return raw


def _text(value: Any) -> str:
    if type(value) is not str:
        raise Reject("text")
    return value


def _optional_text(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        raise Reject("text")
    return value


def _record_date(value: Any) -> PartialDate | DateInterval | None:
    if value is None:
        return None
    if type(value) is not str:
        raise Reject("date")
    memo = _MEMO.get()
    if memo is None:
        return parse_date(value)
    date: PartialDate | DateInterval | None = memo.get(value)
    if date is None:  # dates repeat across records: parse each text once, share the object
        date = memo[value] = parse_date(value)
    return date


def _date(value: Any) -> PartialDate | None:
    """A plain-date field (``published``, ``end_date``): the models refuse a qualifier."""
    date = _record_date(value)
    if date is not None and type(date) is not PartialDate:
        raise Reject("date")
    return date


def _enum(cls: Iterable[E]) -> Callable[[Any], E]:
    members = {member.value: member for member in cls}  # type: ignore[attr-defined]

    def decode(value: Any) -> E:
        try:
            return members[value]
        except (KeyError, TypeError):  # unknown, or unhashable: the detailed path names it
            raise Reject("enum") from None

    return decode


def _texts(value: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise Reject("list")
    for item in value:
        if type(item) is not str:
            raise Reject("text")
    return tuple(value)


_place_kind = _enum(PlaceKind)
_twinning_kind = _enum(TwinningKind)
_status = _enum(Status)
_evidence = _enum(Evidence)
_exchange_kind = _enum(ExchangeKind)
_milestone_kind = _enum(MilestoneKind)
_level = _enum(Level)
_area = _enum(CooperationArea)


def _number(value: Any) -> float:
    if type(value) is not float and type(value) is not int:
        raise Reject("number")
    if not math.isfinite(value):
        raise Reject("number")
    return float(value)


_SOURCE_KEYS = frozenset({"url", "title", "publisher", "language", "published"})
_SOURCE_REQUIRED = frozenset({"url", "title", "publisher", "language"})


def decode_source(raw: Any, cache: dict[tuple[Any, ...], Source] | None = None) -> Source:
    """A :class:`Source` from its JSON object; with a ``cache``, one object per distinct source."""
    d = _keys(raw, _SOURCE_KEYS, _SOURCE_REQUIRED, "Source")
    if cache is not None:
        # Many records cite the same page: share one frozen Source (less memory, less work).
        key = ("source", d["url"], d["title"], d["publisher"], d["language"], d.get("published"))
        try:
            found = cache.get(key)
        except TypeError:  # an unhashable value: let the checks below refuse it
            found = None
        if found is not None:
            return found
        source = decode_source(d)
        with contextlib.suppress(TypeError):
            cache[key] = source
        return source
    return Source(
        url=_text(d["url"]),
        title=_text(d["title"]),
        publisher=_text(d["publisher"]),
        language=_text(d["language"]),
        published=_date(d.get("published")),
    )


def _sources(value: Any) -> tuple[Source, ...]:
    if type(value) is not list:
        raise Reject("list")
    cache = _MEMO.get()
    # While streaming (decode_text), sources arrive already built.
    return tuple([item if type(item) is Source else decode_source(item, cache) for item in value])


_COORD_KEYS = frozenset({"lat", "lon"})


def _coordinates(value: Any) -> Coordinates | None:
    if value is None or type(value) is Coordinates:
        return value
    d = _keys(value, _COORD_KEYS, _COORD_KEYS, "Coordinates")
    return Coordinates(lat=_number(d["lat"]), lon=_number(d["lon"]))


_PLACE_KEYS = frozenset(
    {
        "id",
        "kind",
        "country",
        "name",
        "name_zh",
        "pinyin",
        "aliases",
        "parent",
        "iso_code",
        "coordinates",
        "notes",
        "sources",
    }
)
_PLACE_REQUIRED = frozenset({"id", "kind", "country", "name", "sources"})


def decode_place(raw: Any) -> Place:
    """A :class:`Place` from its JSON object."""
    d = _keys(raw, _PLACE_KEYS, _PLACE_REQUIRED, "Place")
    get = d.get
    return Place(
        id=_text(d["id"]),
        kind=_place_kind(d["kind"]),
        country=_text(d["country"]),
        name=_text(d["name"]),
        name_zh=_optional_text(get("name_zh")),
        pinyin=_optional_text(get("pinyin")),
        aliases=_texts(get("aliases", [])),
        parent=_optional_text(get("parent")),
        iso_code=_optional_text(get("iso_code")),
        coordinates=_coordinates(get("coordinates")),
        notes=_text(get("notes", "")),
        sources=_sources(d["sources"]),
    )


_TWINNING_KEYS = frozenset(
    {
        "id",
        "peruvian_party",
        "chinese_party",
        "kind",
        "status",
        "evidence",
        "date",
        "areas",
        "summary",
        "notes",
        "sources",
    }
)
_TWINNING_REQUIRED = _TWINNING_KEYS - {"areas", "notes"}


def decode_twinning(raw: Any) -> Twinning:
    """A :class:`Twinning` from its JSON object."""
    d = _keys(raw, _TWINNING_KEYS, _TWINNING_REQUIRED, "Twinning")
    areas = d.get("areas", [])
    if type(areas) is not list:
        raise Reject("list")
    return Twinning(
        id=_text(d["id"]),
        peruvian_party=_text(d["peruvian_party"]),
        chinese_party=_text(d["chinese_party"]),
        kind=_twinning_kind(d["kind"]),
        status=_status(d["status"]),
        evidence=_evidence(d["evidence"]),
        date=_record_date(d["date"]),
        areas=tuple(map(_area, areas)),
        summary=_text(d["summary"]),
        notes=_text(d.get("notes", "")),
        sources=_sources(d["sources"]),
    )


_EXCHANGE_KEYS = frozenset(
    {"id", "twinning", "kind", "evidence", "date", "origin", "destination", "title", "summary", "sources"}
)
_EXCHANGE_REQUIRED = _EXCHANGE_KEYS - {"origin", "destination"}


def decode_exchange(raw: Any) -> Exchange:
    """An :class:`Exchange` from its JSON object."""
    d = _keys(raw, _EXCHANGE_KEYS, _EXCHANGE_REQUIRED, "Exchange")
    return Exchange(
        id=_text(d["id"]),
        twinning=_text(d["twinning"]),
        kind=_exchange_kind(d["kind"]),
        evidence=_evidence(d["evidence"]),
        date=_record_date(d["date"]),
        origin=_optional_text(d.get("origin")),
        destination=_optional_text(d.get("destination")),
        title=_text(d["title"]),
        summary=_text(d["summary"]),
        sources=_sources(d["sources"]),
    )


_MILESTONE_KEYS = frozenset(
    {
        "id",
        "level",
        "kind",
        "date",
        "end_date",
        "title",
        "parties",
        "venue",
        "places",
        "summary",
        "notes",
        "sources",
    }
)
_MILESTONE_REQUIRED = _MILESTONE_KEYS - {"end_date", "parties", "venue", "places", "notes"}


def decode_milestone(raw: Any) -> Milestone:
    """A :class:`Milestone` from its JSON object."""
    d = _keys(raw, _MILESTONE_KEYS, _MILESTONE_REQUIRED, "Milestone")
    get = d.get
    return Milestone(
        id=_text(d["id"]),
        level=_level(d["level"]),
        kind=_milestone_kind(d["kind"]),
        date=_record_date(d["date"]),
        end_date=_date(get("end_date")),
        title=_text(d["title"]),
        parties=_texts(get("parties", [])),
        venue=_optional_text(get("venue")),
        places=_texts(get("places", [])),
        summary=_text(d["summary"]),
        notes=_text(get("notes", "")),
        sources=_sources(d["sources"]),
    )
