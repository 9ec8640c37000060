"""JSON in and out: the one preconfigured cattrs converter, canonical output, located errors.

The converter is strict in the manner of cattrs' ``preconf`` modules, and stricter: text
must be text (no ``5`` turned into ``"5"``), numbers numbers, lists lists, and a record
with a field the format does not know is refused. Output is canonical: the same data
always gives the same bytes.

>>> from sinoperu import PartialDate, to_json, from_json
>>> to_json(PartialDate(2018, 7))
'"2018-07"'
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, Final, TypeVar, get_args, get_origin

import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from .dataset import Dataset
from .dates import DateInterval, PartialDate, parse_date
from .decode import FORMAT, FORMAT_VERSION, SECTIONS, describe, read_header
from .enums import ENUMS
from .errors import DatasetError, InvalidFieldError
from .jsonio import dumps, parse_json
from .models import Coordinates, Exchange, Milestone, Place, Source, Twinning

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "converter",
    "dataset_from_dict",
    "dataset_to_dict",
    "dumps",
    "from_json",
    "parse_json",
    "to_json",
]

T = TypeVar("T")

#: The record types a standalone JSON object may hold, by the tag written in its "type".
RECORD_TYPES: Final[dict[str, type[Any]]] = {
    "place": Place,
    "twinning": Twinning,
    "milestone": Milestone,
    "exchange": Exchange,
    "source": Source,
}
_TAG_OF = {cls: tag for tag, cls in RECORD_TYPES.items()}


# --- the converter ------------------------------------------------------------------


def _strict(expected: type, label: str) -> Callable[[Any, Any], Any]:
    def structure(value: Any, _: Any) -> Any:
        if type(value) is not expected:  # exact: bool is not an int, int is not text
            raise TypeError(f"expected {label}, got {describe(value)}")
        return value

    return structure


def _structure_float(value: Any, _: Any) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise TypeError(f"expected a finite number, got {describe(value)}")
    return float(value)


def _structure_date(value: Any, _: Any) -> PartialDate:
    if type(value) is not str:
        raise TypeError(f"expected an ISO date text, got {describe(value)}")
    try:
        return PartialDate.parse(value)
    except InvalidFieldError as error:  # the date field is the location, not its month or day
        raise ValueError(error.reason) from None


#: The type of a record's ``date``: a date, an interval, or none.
_RECORD_DATE: Final = PartialDate | DateInterval | None


def _structure_record_date(value: Any, _: Any) -> PartialDate | DateInterval | None:
    if value is None:
        return None
    if type(value) is not str:
        raise TypeError(f"expected an ISO date text, got {describe(value)}")
    try:
        return parse_date(value)
    except InvalidFieldError as error:  # located at the date field; an interval's end says which
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


def _tuple_hook(cls: Any, conv: cattrs.Converter) -> Callable[[Any, Any], tuple[Any, ...]]:
    item_type = get_args(cls)[0]
    structure_item = conv.get_structure_hook(item_type)

    def structure(value: Any, _: Any) -> tuple[Any, ...]:
        if type(value) is not list and type(value) is not tuple:
            raise TypeError(f"expected a list, got {describe(value)}")
        items = []
        for position, item in enumerate(value):
            try:
                items.append(structure_item(item, item_type))
            except Exception as error:
                error.add_note(f"@ [{position}]")
                raise
        return tuple(items)

    return structure


def _is_homogeneous_tuple(cls: Any) -> bool:
    args = get_args(cls)
    return get_origin(cls) is tuple and len(args) == 2 and args[1] is Ellipsis


def make_converter(*, detailed: bool = True) -> cattrs.Converter:
    """Build the converter. ``detailed=False`` is the fast one used on the happy path."""
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)
    conv.register_structure_hook(str, _strict(str, "text"))
    conv.register_structure_hook(int, _strict(int, "a whole number"))
    conv.register_structure_hook(bool, _strict(bool, "true or false"))
    conv.register_structure_hook(float, _structure_float)
    # The enums derive from str: each gets its own hook, which singledispatch prefers to str's.
    for enum in ENUMS:
        conv.register_structure_hook(enum, _enum_hook(enum))
    conv.register_structure_hook(PartialDate, _structure_date)
    conv.register_unstructure_hook(PartialDate, PartialDate.isoformat)
    conv.register_structure_hook_func(lambda tp: tp == _RECORD_DATE, _structure_record_date)
    conv.register_unstructure_hook(DateInterval, DateInterval.isoformat)
    conv.register_structure_hook_factory(_is_homogeneous_tuple, lambda cls: _tuple_hook(cls, conv))
    return conv


#: The preconfigured converter: ``converter.structure(obj, Twinning)`` and back.
converter: Final = make_converter()
_fast: Final = make_converter(detailed=False)


# --- locating errors ----------------------------------------------------------------


def _paths(error: BaseException, path: str = "") -> list[tuple[str, BaseException]]:
    """Flatten cattrs' exception groups into (field path, leaf error) pairs."""
    if isinstance(error, (ClassValidationError, IterableValidationError)):
        found: list[tuple[str, BaseException]] = []
        for inner in error.exceptions:
            found.extend(_paths(inner, path + _step(inner)))
        return found
    if isinstance(error, InvalidFieldError):
        return [(_join(path, error.field), error)]
    return [(path, error)]


def _step(error: BaseException) -> str:
    """The path that an error's notes describe; notes are added innermost first."""
    steps = []
    for note in reversed(getattr(error, "__notes__", ())):
        if type(note) is str:  # our own tuple hook's "@ [n]"
            if note.startswith("@ ["):
                steps.append(note[2:])
        elif getattr(note, "name", None) is not None:
            steps.append("." + str(note.name))
        elif getattr(note, "index", None) is not None:
            steps.append(f"[{note.index}]")
    return "".join(steps)


def _join(path: str, field: str) -> str:
    return f"{path}.{field}" if path else f".{field}"


def _reason(error: BaseException) -> str:
    if isinstance(error, ForbiddenExtraKeysError):
        names = ", ".join(map(repr, sorted(error.extra_fields)))
        return f"unknown field(s) {names}; the format allows no others"
    if isinstance(error, KeyError):
        return "this required field is missing"
    if isinstance(error, InvalidFieldError):
        return error.reason
    return str(error) or type(error).__name__


def explain(error: BaseException, raw: Any, cls: type[Any]) -> tuple[str | None, str]:
    """The field path and the message for the first thing wrong in ``raw``."""
    if not isinstance(raw, Mapping):
        return None, f"expected a JSON object for a {cls.__name__.lower()}, got {describe(raw)}"
    try:
        converter.structure(raw, cls)
    except Exception as detailed_error:
        error = detailed_error
    leaves = _paths(error)
    path, leaf = leaves[0] if leaves else ("", error)
    if isinstance(leaf, KeyError) and leaf.args:
        path = _join(path, str(leaf.args[0])) if not path.endswith(f".{leaf.args[0]}") else path
    field = path.lstrip(".") or None
    if isinstance(leaf, ForbiddenExtraKeysError):
        field = ".".join(filter(None, [field, sorted(leaf.extra_fields)[0]]))
    return field, _reason(leaf)


# --- datasets -------------------------------------------------------------------------


def dataset_to_dict(dataset: Dataset) -> dict[str, Any]:
    """The dataset as the plain dict written to a dataset file."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "version": dataset.version,
        "as_of": None if dataset.as_of is None else dataset.as_of.isoformat(),
        **{name: converter.unstructure(getattr(dataset, name)) for name, _ in SECTIONS},
    }


def _record_at(section: str, position: int, _: int, raw: Any) -> str:
    return _record_label(section, position, raw)


def _record_label(section: str, position: int, raw: Any) -> str:
    if isinstance(raw, Mapping) and isinstance(raw.get("id"), str) and len(raw["id"]) <= 100:
        return f"{raw['id']!r} ({section}[{position}])"
    return f"{section}[{position}]"


def structure_records(
    raw: Any,
    cls: type[T],
    *,
    section: str,
    file: str | None,
    label: Callable[[int, Any], str] | None = None,
) -> list[T]:
    """Structure a JSON array of records; the first bad one raises a located DatasetError.

    ``label(position, raw)`` names a record in errors (default: its id and index).
    """
    if type(raw) is not list:
        raise DatasetError(f"expected a list of records, got {describe(raw)}", file=file, record=section)
    structure = _fast.get_structure_hook(cls)
    records = []
    for position, item in enumerate(raw):
        try:
            records.append(structure(item, cls))
        except Exception as error:
            field, message = explain(error, item, cls)
            raise DatasetError(
                message,
                file=file,
                record=(label or (lambda n, r: _record_label(section, n, r)))(position, item),
                field=field,
            ) from None
    return records


def dataset_from_dict(raw: Any, *, file: str | None = None) -> Dataset:
    """Build and validate a Dataset from a parsed dataset file, explaining the first error."""
    version, as_of = read_header(raw, file=file)
    sections = {
        name: structure_records(raw.get(name, []), cls, section=name, file=file) for name, cls in SECTIONS
    }
    try:
        return Dataset(version=version, as_of=as_of, **sections)
    except DatasetError as error:
        raise DatasetError(error.reason, file=file, record=error.record, field=error.field) from None


def collect_errors(path: Any, *, max_bytes: int | None, limit: int = 100) -> list[DatasetError]:
    """Every record-level error in a dataset file (up to ``limit``), then the first
    collection-level one (duplicate ids, dangling references); empty when the file is valid."""
    from .loader import read_dataset_text

    file = str(path)
    try:
        raw = parse_json(read_dataset_text(path, max_bytes=max_bytes), file=file)
        if not isinstance(raw, dict):
            return [DatasetError(f"expected a JSON object at the top, got {describe(raw)}", file=file)]
        errors: list[DatasetError] = []
        for name, cls in SECTIONS:
            items = raw.get(name, [])
            if type(items) is not list:
                errors.append(
                    DatasetError(f"expected a list of records, got {describe(items)}", file=file, record=name)
                )
                continue
            for position, item in enumerate(items):
                try:
                    structure_records(
                        [item],
                        cls,
                        section=name,
                        file=file,
                        label=functools.partial(_record_at, name, position),
                    )
                except DatasetError as error:
                    errors.append(error)
                    if len(errors) >= limit:
                        return errors
        if errors:
            return errors
        dataset_from_dict(raw, file=file)
    except DatasetError as error:
        return [error]
    return []


# --- public functions -----------------------------------------------------------------


def _unstructure_any(obj: Any) -> Any:
    if isinstance(obj, Dataset):
        return dataset_to_dict(obj)
    if isinstance(obj, (PartialDate, DateInterval)):
        return obj.isoformat()
    tag = _TAG_OF.get(type(obj))
    if tag is not None:
        return {"type": tag, **converter.unstructure(obj)}
    if isinstance(obj, tuple):
        return [_unstructure_any(item) for item in obj]
    if isinstance(obj, Coordinates):
        return converter.unstructure(obj)
    raise TypeError(f"to_json takes a record, a tuple of records or a Dataset, not {type(obj).__name__}")


def to_json(obj: Any) -> str:
    """Canonical JSON of a record, a tuple of records, a date (or interval) or a whole Dataset.

    A Dataset gives exactly the file format that :func:`sinoperu.load` reads; a record
    carries a ``"type"`` tag so :func:`from_json` knows what to build.
    """
    return (
        dumps(_unstructure_any(obj)).rstrip("\n")
        if not isinstance(obj, Dataset)
        else dumps(_unstructure_any(obj))
    )


def _structure_tagged(raw: Any, where: str) -> Any:
    if not isinstance(raw, dict) or type(raw.get("type")) is not str or raw["type"] not in RECORD_TYPES:
        tags = ", ".join(map(repr, RECORD_TYPES))
        raise DatasetError(f"expected an object whose 'type' is one of {tags}", record=where)
    body = {key: value for key, value in raw.items() if key != "type"}
    return structure_records([body], RECORD_TYPES[raw["type"]], section=where, file=None)[0]


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
