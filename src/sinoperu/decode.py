"""The fast path from JSON text to records, generated from :mod:`sinoperu.format`; no cattrs.

Loading a file is the hot path (every notebook pays it, and users load files of 10^5
relations and more), so the records are built while the text is parsed, by one function per
record type. Those functions are generated from the format's description on the first load (not
at import): the key sets, the required keys, each field's conversion and the test that tells a
source from a place all come from the models' field rules, and each field's rule is checked inline
by the same closure its validator runs, once, before the fields are set on the new record (records
built in Python run their validators as ever). They only say *that* something is wrong: on any
failure the loader runs the converter's detailed path, which says *where*. A property test holds
the two paths to the same answers.

>>> decode_record("source", {"url": "https://x.org", "title": "t", "publisher": "p", "language": "en"})
Source(url='https://x.org', title='t', publisher='p', language='en', published=None, kind=None, original=None)
>>> decode_record("source", {"url": "https://example.org", "colour": "red"})
Traceback (most recent call last):
...
sinoperu.decode.Reject: source
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from enum import Enum
from typing import Any

import attrs

from .dataset import Dataset
from .dates import DateInterval, PartialDate, parse_date
from .errors import DatasetError
from .fields import Choice, Const, DateRule, ListOf, Nested, Number, Rule, Text, _checker, describe_value
from .format import HEADER, RECORD_TYPES, SECTIONS, FieldSpec, RecordSpec, record_spec

__all__ = ["Reject", "decode_record", "decode_text", "decode_validated", "describe", "read_header"]

#: A short repr of a value for an error message.
describe = describe_value

_TOP_KEYS = frozenset([*(field.name for field in HEADER), *(section.name for section in SECTIONS)])


def read_header(raw: Any, *, file: str | None) -> tuple[str, PartialDate | None]:
    """Check a dataset file's top level against :data:`~sinoperu.format.HEADER`; return its data
    version and as-of date, or raise a :class:`DatasetError` naming the header field."""
    if type(raw) is not dict:
        raise DatasetError(f"expected a JSON object at the top, got {describe(raw)}", file=file)
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise DatasetError(f"unknown top-level key(s) {', '.join(map(repr, unknown))}", file=file)
    values: dict[str, Any] = {}
    for field in HEADER:
        if field.name not in raw:
            if field.required:
                raise DatasetError("this required header field is missing", file=file, field=field.name)
            values[field.name] = field.default
            continue
        value = raw[field.name]
        if value is None and field.optional:
            values[field.name] = None
            continue
        try:
            values[field.name] = _header_value(field.rule, value)
        except (TypeError, ValueError) as error:
            raise DatasetError(getattr(error, "reason", str(error)), file=file, field=field.name) from None
    return values["version"], values["as_of"]


def _header_value(rule: Rule, value: Any) -> Any:
    if isinstance(rule, DateRule):
        if type(value) is not str:
            raise TypeError(f"expected an ISO date text, got {describe(value)}")
        value = parse_date(value)
    return rule.check(value)


class Reject(Exception):
    """The fast path refuses this input; the detailed path will explain why."""


class _Duplicate(Exception):
    """An object repeats a key; the strict parser will say which."""


#: Per-load memo of equal values (dates by text, sources by content) so that each is built
#: once and shared; None outside :func:`decode_text`.
_MEMO: ContextVar[dict[Any, Any] | None] = ContextVar("sinoperu_decode_memo", default=None)
#: Per-load table of the repeated texts (place ids, codes...), each kept once; apart from the
#: memo, whose keys are texts too (a date's).
_TEXTS: ContextVar[dict[str, str] | None] = ContextVar("sinoperu_decode_texts", default=None)


# --- conversions of one JSON value, by rule: the building blocks of the generated decoders ---


def _number(value: Any) -> float:
    if (type(value) is not float and type(value) is not int) or not math.isfinite(value):
        raise Reject("number")
    return value


def _integer(value: Any) -> int:
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():  # JSON has one number type: 2024.0 is 2024
        return int(value)
    raise Reject("integer")


def _date(value: Any) -> PartialDate | DateInterval:
    if type(value) is not str:
        raise Reject("date")
    memo = _MEMO.get()
    if memo is None:
        return parse_date(value)
    date = memo.get(value)
    if date is None:  # dates repeat across records: parse each text once, share the object
        date = memo[value] = parse_date(value)
    return date


def _const(value: Any) -> Any:
    return value


def _choice(enum: type[Enum]) -> Callable[[Any], Any]:
    members = {member.value: member for member in enum}

    def decode(value: Any) -> Any:
        try:
            return members[value]
        except (KeyError, TypeError):  # unknown, or unhashable: the detailed path names it
            raise Reject("enum") from None

    return decode


def _nested(cls: type, table: dict[type, Callable[[Any], Any]]) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        if type(value) is cls:  # while streaming, nested records arrive already built
            return value
        return table[cls](value)

    if table is not _TRUSTED:
        return decode

    def shared(value: Any) -> Any:
        # The cache stores each source once however often it is cited (see _cache.share), and
        # the same object is built once: its identity is a key while the structure is alive.
        memo = _MEMO.get()
        if memo is None:
            return decode(value)
        key = ("object", id(value))
        found = memo.get(key)
        if found is None:
            found = memo[key] = decode(value)
        return found

    return shared


def _shared_text(value: Any) -> Any:
    # Kept once per load, not interned: the interpreter's table of interned texts would grow
    # (and stay grown) with every file loaded.
    texts = _TEXTS.get()
    if texts is None or type(value) is not str:  # not text: its check says so
        return value
    return texts.setdefault(value, value)


def _is_shared(cls: type, field: FieldSpec) -> bool:
    """Whether a text field repeats across records and is kept once per load: the ids of
    places and every field that names a place (the most repeated texts of a file), codes, and
    the fields described as ``repeats``."""
    rule = field.rule.item if isinstance(field.rule, ListOf) else field.rule
    if not isinstance(rule, Text):
        return False
    names_place = field.refers_to == _PLACES.name or (cls is _PLACES.cls and field.name == "id")
    return names_place or field.repeats or rule.limit == "code"


def _list_of(convert: Callable[[Any], Any], item_cls: type | None) -> Callable[[Any], Any]:
    def decode(value: Any) -> tuple[Any, ...]:
        if type(value) is not list:
            raise Reject("list")
        if item_cls is not None and all(type(item) is item_cls for item in value):
            items = tuple(value)
        else:
            items = tuple([convert(item) for item in value])
        memo = _MEMO.get()
        if memo is None or not items:
            return items
        # Records cite the same sources and name the same areas: an equal tuple is kept once.
        # The memo keeps every tuple it holds, and so its items, alive until the load ends, so
        # no id is reused meanwhile and equal ids in order mean the very same items.
        shared: tuple[Any, ...] = memo.setdefault(("tuple", *map(id, items)), items)
        return shared

    return decode


def _converter(rule: Rule, table: dict[type, Callable[[Any], Any]]) -> Callable[[Any], Any] | None:
    """How a JSON value becomes the field's value (None: it is kept as it is)."""
    if isinstance(rule, Choice):
        return _choice(rule.enum)
    if isinstance(rule, Number):
        return _integer if rule.integer else _number
    if isinstance(rule, DateRule):
        return _date
    if isinstance(rule, Nested):
        return _nested(rule.cls, table)
    if isinstance(rule, ListOf):
        item = rule.item
        convert = _converter(item, table) or _const
        return _list_of(convert, item.cls if isinstance(item, Nested) else None)
    if isinstance(rule, (Text, Const)):
        return None
    raise TypeError(f"no decoder for the rule {rule!r}")  # pragma: no cover - a new rule needs one


def _needs_check(rule: Rule) -> bool:
    """Whether the rule's check says more than its conversion already did: a nested record
    checked itself when it was built, and an enum member converted from its value is one."""
    if isinstance(rule, Nested):
        return False
    return not (isinstance(rule, Choice) and rule.allowed is None)


def _json_default(field: FieldSpec) -> Any:
    """The JSON form of a field's default, fed to its converter when the key is absent."""
    default = field.default
    return list(default) if isinstance(default, tuple) else default


def _generate(
    spec: RecordSpec, table: dict[type, Callable[[Any], Any]], *, trusted: bool
) -> Callable[[Any], Any]:
    """Write, compile and return the decoder of one record type (as attrs writes ``__init__``).

    The decoder converts each value and runs the field's rule (the same closure the model's
    validator runs) inline, then sets the fields on a new instance, so no rule is checked twice.
    ``trusted`` decoders skip the checks, for data this library validated and cached itself.
    """
    cls = spec.cls
    converters = {attribute.name: attribute.converter for attribute in attrs.fields(cls)}
    namespace: dict[str, Any] = {
        "Reject": Reject,
        "new": object.__new__,
        "put": object.__setattr__,
        "cls": cls,
        "allowed": spec.keys,
        "required": spec.required_keys,
        "tag": spec.tag,
    }
    lines = []
    for position, field in enumerate(spec.fields):
        value = f"raw[{field.name!r}]" if field.required else f"get({field.name!r}, d{position})"
        namespace[f"d{position}"] = _json_default(field)
        expression = f"v{position}"
        convert: Callable[[Any], Any] | None
        if _is_shared(cls, field):
            convert = _list_of(_shared_text, None) if isinstance(field.rule, ListOf) else _shared_text
        else:
            convert = _converter(field.rule, table)
        if convert is not None:
            namespace[f"c{position}"] = convert
            expression = f"c{position}({expression})"
        if converters[field.name] is not None and not isinstance(field.rule, ListOf):
            # The model's own converter (floats); a list's conversion already made its tuple.
            namespace[f"a{position}"] = converters[field.name]
            expression = f"a{position}({expression})"
        if not trusted and _needs_check(field.rule):
            namespace[f"k{position}"] = _checker(field.rule)
            expression = f"k{position}({expression})"
        if field.optional:  # inline, not a wrapper: most optional values are absent or null
            expression = f"None if (v{position} := {value}) is None else {expression}"
        else:
            expression = expression.replace(f"v{position}", value, 1)
        lines.append(f"put(self, {field.name!r}, {expression})")
    post_init = getattr(cls, "__attrs_post_init__", None)
    if post_init is not None and not trusted:  # the checks that relate two fields of a record
        lines.append("self.__attrs_post_init__()")
    check = (
        ""
        if trusted
        else """if type(raw) is not dict:
        raise Reject(tag)
    keys = raw.keys()
    if not keys <= allowed or not required <= keys:
        raise Reject(tag)
    """
    )
    body = "\n    ".join(lines)
    source = f"""
def decode_{spec.tag}(raw):
    {check}get = raw.get
    self = new(cls)
    {body}
    return self
"""
    exec(compile(source, f"<sinoperu.decode: {spec.tag}>", "exec"), namespace)
    decoder: Callable[[Any], Any] = namespace[f"decode_{spec.tag}"]
    decoder.__doc__ = f"A {cls.__name__} from its JSON object (generated from the format)."
    return decoder


#: The generated decoders by record class, checked and trusted; filled on first use, so that
#: importing the library compiles nothing.
_DECODERS: dict[type, Callable[[Any], Any]] = {}
_TRUSTED: dict[type, Callable[[Any], Any]] = {}
_SOURCE: type = RECORD_TYPES["source"]
_PLACES = next(section for section in SECTIONS if section.name == "places")
#: (signature key, decoder): an object holding the key is a record of that type.
_BY_SIGNATURE: tuple[tuple[str, Callable[[Any], Any]], ...] = ()
_generated_lock = threading.Lock()


def _ensure_decoders(*, trusted: bool = False) -> None:
    global _BY_SIGNATURE
    table = _TRUSTED if trusted else _DECODERS
    if table and (trusted or _BY_SIGNATURE):
        return
    with _generated_lock:
        if not table:
            for cls in RECORD_TYPES.values():
                table[cls] = _generate(record_spec(cls), table, trusted=trusted)
        if not trusted and not _BY_SIGNATURE:
            # Sources outnumber every other object in a file, so they are tried first.
            _BY_SIGNATURE = tuple(
                (spec.signature, _DECODERS[cls])
                for cls in sorted(RECORD_TYPES.values(), key=lambda cls: cls is not _SOURCE)
                if (spec := record_spec(cls)).signature is not None
            )


def decode_record(tag: str, raw: Any) -> Any:
    """Decode one JSON object as the record type ``tag`` (``"place"``, ``"source"``...)."""
    _ensure_decoders()
    return _DECODERS[RECORD_TYPES[tag]](raw)


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
    for key, decode in _BY_SIGNATURE:
        if key in d:
            try:
                record = decode(d)
            except Exception:
                return d
            if memo is not None and type(record) is _SOURCE:
                with contextlib.suppress(TypeError):
                    memo[("pairs", *pairs)] = record
            return record
    return d


@contextlib.contextmanager
def _one_load() -> Iterator[None]:
    """The memo and the table of texts of one load, per thread (loads never share state), and
    emptied when it ends: a ContextVar keeps its last value cached, and must not keep theirs."""
    memo: dict[Any, Any] = {}
    texts: dict[str, str] = {}
    memo_token, texts_token = _MEMO.set(memo), _TEXTS.set(texts)
    try:
        yield
    finally:
        memo.clear()
        texts.clear()
        _TEXTS.reset(texts_token)
        _MEMO.reset(memo_token)


def decode_text(text: str, *, file: str | None) -> Dataset:
    """A Dataset from a file's text by the fast path, records built while parsing.

    Raises :class:`Reject` (or another exception) when anything is off, for the caller to
    explain with the strict parser and the detailed converter; raises a located
    :class:`DatasetError` for a bad header or a problem between records.
    """
    import json  # here, not at import: the cached bundled data never needs it

    from .jsonio import finite_float, refuse_constant

    _ensure_decoders()
    with _one_load():
        try:
            raw = json.loads(
                text, object_pairs_hook=_build, parse_constant=refuse_constant, parse_float=finite_float
            )
        except (_Duplicate, ValueError, RecursionError) as error:
            raise Reject("json") from error
        version, as_of = read_header(raw, file=file)
        sections = {}
        for section in SECTIONS:
            items = raw.get(section.name, [])
            if type(items) is not list:
                raise Reject(section.name)
            for item in items:
                if type(item) is not section.cls:
                    raise Reject(section.name)
            sections[section.name] = items
    try:
        return Dataset(version=version, as_of=as_of, **sections)
    except DatasetError as error:  # every check of the whole collection relates records
        raise DatasetError(
            error.reason, file=file, record=error.record, field=error.field, relational=True
        ) from None


def decode_validated(raw: Any, *, file: str | None) -> Dataset:
    """A Dataset from the JSON structure of a file this library has already loaded and checked
    (its own cache of the bundled file): the records are built without checking their fields
    again. Any other input must go through :func:`decode_text`."""
    _ensure_decoders(trusted=True)
    version, as_of = read_header(raw, file=file)
    with _one_load():
        sections = {
            section.name: [_TRUSTED[section.cls](item) for item in raw.get(section.name, [])]
            for section in SECTIONS
        }
    return Dataset(version=version, as_of=as_of, **sections)
