"""JSON in and out: the one preconfigured cattrs converter, canonical output, located errors.

The converter starts from cattrs' ``preconf.json`` and is stricter: text must be text (no ``5``
turned into ``"5"``), numbers numbers, lists lists, and a record with a field the format does not
know is refused. Its structure functions come from the attrs classes; what each field allows is
checked by the models' validators, which read their rules from :mod:`sinoperu.fields`. Errors are
located with cattrs' own :func:`cattrs.transform_error`, and standalone records carry a ``"type"``
tag through cattrs' tagged-union strategy. Output is canonical: the same data always gives the
same bytes.

>>> from sinoperu import PartialDate, to_json, from_json
>>> to_json(PartialDate(2018, 7))
'"2018-07"'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, Final, get_args, get_origin

import cattrs
from cattrs.cols import homogenous_tuple_structure_factory
from cattrs.errors import ForbiddenExtraKeysError
from cattrs.preconf.json import make_converter as make_json_converter
from cattrs.strategies import configure_tagged_union

from .dataset import Dataset
from .dates import DateInterval, PartialDate, format_date, parse_date
from .decode import Reject, decode_record, describe, read_header
from .enums import ENUMS
from .errors import DatasetError, InvalidFieldError
from .format import FORMAT, FORMAT_VERSION, RECORD_TYPES, SECTIONS, record_spec
from .jsonio import dumps, parse_json
from .models import Coordinates

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "converter",
    "dataset_from_dict",
    "dataset_to_dict",
    "dumps",
    "explain",
    "from_json",
    "parse_json",
    "structure_records",
    "to_json",
]


#: Every record type a standalone JSON object may hold, as one tagged union (the tag is "type").
_TAGGED = tuple(cls for tag, cls in RECORD_TYPES.items() if tag not in ("coordinates", "provision"))
TaggedRecord: Any = _TAGGED[0]
for _cls in _TAGGED[1:]:
    TaggedRecord = TaggedRecord | _cls
_TAG_OF = {cls: record_spec(cls).tag for cls in _TAGGED}


# --- the converter ------------------------------------------------------------------


def _strict(expected: type, label: str) -> Callable[[Any, Any], Any]:
    def structure(value: Any, _: Any) -> Any:
        if type(value) is not expected:  # exact: bool is not an int, int is not text
            raise TypeError(f"expected {label}, got {describe(value)}")
        return value

    return structure


def _structure_int(value: Any, _: Any) -> int:
    if type(value) is float and value.is_integer():  # JSON has one number type: 2024.0 is 2024
        return int(value)
    if type(value) is not int:
        raise TypeError(f"expected a whole number, got {describe(value)}")
    return value


def _structure_float(value: Any, _: Any) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise TypeError(f"expected a finite number, got {describe(value)}")
    return float(value)


def _structure_date(value: Any, _: Any) -> PartialDate | DateInterval:
    if type(value) is not str:
        raise TypeError(f"expected an ISO date text, got {describe(value)}")
    try:
        return parse_date(value)
    except InvalidFieldError as error:  # the date field is the location, not its month or day;
        # an interval's end is part of what is wrong ("end: 2007 comes before the start 2010")
        raise ValueError(str(error) if error.field in ("start", "end") else error.reason) from None


def _enum_hook(cls: type[Enum]) -> Callable[[Any, Any], Enum]:
    choices = ", ".join(repr(member.value) for member in cls)

    def structure(value: Any, _: Any) -> Enum:
        if type(value) is str:
            try:
                return cls(value)
            except ValueError:
                pass
        raise ValueError(f"{describe(value)} is not one of {choices}")

    return structure


def _enum_value(member: Enum) -> Any:
    return member.value


def _tuple_of(value: Any, _: Any) -> Any:
    if type(value) is not list and type(value) is not tuple:
        raise TypeError(f"expected a list, got {describe(value)}")
    return value


def make_converter() -> cattrs.Converter:
    """The strict converter: cattrs' JSON preconfiguration with exact types and no extra keys."""
    conv = make_json_converter(forbid_extra_keys=True)
    conv.register_structure_hook(str, _strict(str, "text"))
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    conv.register_structure_hook(float, _structure_float)
    # The enums derive from str: each gets its own hook, which singledispatch prefers to str's.
    for enum in ENUMS:
        conv.register_structure_hook(enum, _enum_hook(enum))
        conv.register_unstructure_hook(enum, _enum_value)
    # Dates are text: one parser reads every form; the models say which forms a field takes.
    conv.register_structure_hook(PartialDate, _structure_date)
    conv.register_structure_hook_func(lambda type_: type_ == PartialDate | DateInterval, _structure_date)
    conv.register_unstructure_hook(PartialDate, format_date)
    conv.register_unstructure_hook(DateInterval, format_date)

    # A list must be a list (cattrs alone would split a text into letters): check the type, then
    # structure the items with cattrs' own homogeneous-tuple hook, which locates their errors.
    def tuple_factory(cls: Any) -> Callable[[Any, Any], Any]:
        items = homogenous_tuple_structure_factory(cls, conv)

        def structure(value: Any, type_: Any) -> Any:
            return items(_tuple_of(value, type_), type_)

        return structure

    conv.register_structure_hook_factory(_is_homogeneous_tuple, tuple_factory)
    configure_tagged_union(TaggedRecord, conv, tag_name="type", tag_generator=_TAG_OF.__getitem__)
    return conv


def _is_homogeneous_tuple(cls: Any) -> bool:
    args = get_args(cls)
    return get_origin(cls) is tuple and len(args) == 2 and args[1] is Ellipsis


#: The preconfigured converter, as in ``converter.structure(obj, Twinning)`` and back.
converter: Final = make_converter()


# --- locating errors ----------------------------------------------------------------


def _format_exception(error: BaseException, _type: Any) -> str:
    """One leaf error as ``message`` or ``message\\x00field`` (a field the leaf names itself)."""
    if isinstance(error, ForbiddenExtraKeysError):
        names = sorted(error.extra_fields)
        return f"unknown field(s) {', '.join(map(repr, names))}; the format allows no others\x00{names[0]}"
    if isinstance(error, KeyError):
        return "this required field is missing"
    if isinstance(error, InvalidFieldError):
        return f"{error.reason}\x00{error.field}"
    return str(error) or type(error).__name__


def _locate(line: str) -> tuple[str | None, str]:
    message, _, path = line.rpartition(" @ $")
    if not _:  # no path: the error is about the object as a whole
        message, path = line, ""
    message, _, own_field = message.partition("\x00")
    path = path.lstrip(".")
    if own_field:
        path = f"{path}.{own_field}" if path else own_field
    return path or None, message


def explain(error: BaseException, raw: Any, cls: type[Any]) -> tuple[str | None, str]:
    """The field path and the message for the first thing wrong in ``raw``."""
    if not isinstance(raw, Mapping):
        return None, f"expected a JSON object for a {record_spec(cls).tag}, got {describe(raw)}"
    try:
        converter.structure(raw, cls)
    except Exception as detailed_error:
        error = detailed_error
    else:  # pragma: no cover - the fast path refused what the converter accepts: say so plainly
        return None, f"refused by the fast path only ({error!r})"
    lines = cattrs.transform_error(error, path="$", format_exception=_format_exception)
    return _locate(lines[0]) if lines else (None, str(error))


def _relational(error: BaseException) -> bool:
    found = [error]
    while found:
        current = found.pop()
        if isinstance(current, InvalidFieldError) and current.relational:
            return True
        found.extend(getattr(current, "exceptions", ()))
    return False


# --- datasets -------------------------------------------------------------------------


def dataset_to_dict(dataset: Dataset) -> dict[str, Any]:
    """The dataset as the plain dict written to a dataset file."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "version": dataset.version,
        "as_of": None if dataset.as_of is None else dataset.as_of.isoformat(),
        **{section.name: converter.unstructure(getattr(dataset, section.name)) for section in SECTIONS},
    }


def record_label(section: str, position: int, raw: Any) -> str:
    """How an error names a record: its id (when it has a usable one) and its place in the file."""
    if isinstance(raw, Mapping) and isinstance(raw.get("id"), str) and len(raw["id"]) <= 100:
        return f"{raw['id']!r} ({section}[{position}])"
    return f"{section}[{position}]"


def structure_record(raw: Any, cls: type[Any], *, where: str, file: str | None) -> Any:
    """One record from its JSON object: the generated decoder, and the converter to say where."""
    try:
        return decode_record(record_spec(cls).tag, raw)
    except (Reject, InvalidFieldError, TypeError, ValueError) as error:
        try:
            converter.structure(raw, cls)
        except Exception as detailed:
            relational = _relational(detailed)
        else:
            relational = False
        field, message = explain(error, raw, cls)
        raise DatasetError(message, file=file, record=where, field=field, relational=relational) from None


def structure_records(
    raw: Any,
    cls: type[Any],
    *,
    section: str,
    file: str | None,
    label: Callable[[int, Any], str] | None = None,
) -> list[Any]:
    """Structure a JSON array of records; the first bad one raises a located DatasetError.

    ``label(position, raw)`` names a record in errors (default: its id and index).
    """
    if type(raw) is not list:
        raise DatasetError(f"expected a list of records, got {describe(raw)}", file=file, record=section)
    name = label or (lambda n, r: record_label(section, n, r))
    return [structure_record(item, cls, where=name(n, item), file=file) for n, item in enumerate(raw)]


def dataset_from_dict(raw: Any, *, file: str | None = None) -> Dataset:
    """Build and validate a Dataset from a parsed dataset file, explaining the first error."""
    version, as_of = read_header(raw, file=file)
    sections: dict[str, list[Any]] = {
        section.name: structure_records(
            raw.get(section.name, []), section.cls, section=section.name, file=file
        )
        for section in SECTIONS
    }
    try:
        return Dataset(version=version, as_of=as_of, **sections)
    except DatasetError as error:
        raise DatasetError(
            error.reason, file=file, record=error.record, field=error.field, relational=True
        ) from None


# --- public functions -----------------------------------------------------------------


def _unstructure_any(obj: Any) -> Any:
    if isinstance(obj, Dataset):
        return dataset_to_dict(obj)
    if isinstance(obj, (PartialDate, DateInterval)):
        return format_date(obj)
    if type(obj) in _TAG_OF:
        return converter.unstructure(obj, unstructure_as=TaggedRecord)
    if isinstance(obj, tuple):
        return [_unstructure_any(item) for item in obj]
    if isinstance(obj, Coordinates):
        return converter.unstructure(obj)
    raise TypeError(f"to_json takes a record, a tuple of records or a Dataset, not {type(obj).__name__}")


def to_json(obj: Any) -> str:
    """Canonical JSON of a record, a tuple of records, a PartialDate or a whole Dataset.

    A Dataset gives exactly the file format that :func:`sinoperu.load` reads; a record
    carries a ``"type"`` tag so :func:`from_json` knows what to build.
    """
    text = dumps(_unstructure_any(obj))
    return text if isinstance(obj, Dataset) else text.rstrip("\n")


def _structure_tagged(raw: Any, where: str) -> Any:
    if not isinstance(raw, dict) or type(raw.get("type")) is not str or raw["type"] not in _TAG_OF.values():
        tags = ", ".join(map(repr, _TAG_OF.values()))
        raise DatasetError(f"expected an object whose 'type' is one of {tags}", record=where)
    cls = RECORD_TYPES[raw["type"]]
    body = {key: value for key, value in raw.items() if key != "type"}
    structure_record(body, cls, where=where, file=None)  # the located error, if any
    return converter.structure(raw, TaggedRecord)


def from_json(text: str | bytes) -> Any:
    """Read what :func:`to_json` wrote: a Dataset, a record, a tuple of records or a date."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise DatasetError(f"not UTF-8: {error.reason} at byte {error.start}") from None
    if not isinstance(text, str):
        raise TypeError(f"from_json takes JSON text, not {type(text).__name__}")
    raw = parse_json(text)
    if isinstance(raw, dict) and "format" in raw:
        return dataset_from_dict(raw)
    if isinstance(raw, list):
        return tuple(_structure_tagged(item, f"[{n}]") for n, item in enumerate(raw))
    if isinstance(raw, str):
        try:
            return parse_date(raw)
        except InvalidFieldError as error:
            raise DatasetError(error.reason) from None
    return _structure_tagged(raw, "the object")
