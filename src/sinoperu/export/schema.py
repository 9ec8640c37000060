"""A JSON Schema (draft 2020-12) of the dataset file, generated from the models.

The schema is derived from the attrs classes themselves, so it cannot drift from the code;
a copy ships as ``sinoperu/data/sinoperu.schema.json`` for tools outside Python, and a test
keeps that copy equal to this function's output.

>>> schema = json_schema()
>>> schema["properties"]["format"], sorted(schema["$defs"])[:3]
({'const': 'sinoperu-dataset'}, ['Coordinates', 'Exchange', 'Milestone'])
"""

from __future__ import annotations

import json
import types
import typing
from enum import Enum
from typing import Any

import attrs

from ..dates import DATE_PATTERN, PLAIN_DATE_PATTERN, DateInterval, PartialDate
from ..models import MAX_NAME_LENGTH, MAX_TEXT_LENGTH, MAX_URL_LENGTH, Exchange, Milestone, Place, Twinning

__all__ = ["json_schema", "schema_text"]

_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_PATTERNS = {
    "id": _ID,
    "parent": _ID,
    "peruvian_party": _ID,
    "chinese_party": _ID,
    "twinning": _ID,
    "origin": _ID,
    "destination": _ID,
    "places": _ID,
    "url": r"^https?://[^\s/?#]+[^\s]*$",
    "language": r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
    "country": r"^[A-Z]{2}$",
    "iso_code": r"^[A-Z]{2}-[A-Z0-9]{1,3}$",
}
_LONG_TEXT = {"summary", "notes"}


def _for_type(tp: Any, field: str, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        # A record's date: one pattern for a date or an interval, as parse_date reads it.
        dated = {PartialDate, DateInterval} == set(options)
        inner = {"type": "string", "pattern": DATE_PATTERN} if dated else _for_type(options[0], field, defs)
        return {"anyOf": [inner, {"type": "null"}]}
    if origin is tuple:
        return {"type": "array", "items": _for_type(typing.get_args(tp)[0], field, defs), "uniqueItems": True}
    if tp is PartialDate:
        return {"type": "string", "pattern": PLAIN_DATE_PATTERN}
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"enum": [member.value for member in tp]}
    if attrs.has(tp):
        _define(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    if tp is float:
        return {"type": "number"}
    if tp is int:
        return {"type": "integer"}
    if tp is str:
        schema: dict[str, Any] = {"type": "string"}
        if field in _PATTERNS:
            schema["pattern"] = _PATTERNS[field]
        limit = (
            MAX_TEXT_LENGTH
            if field in _LONG_TEXT
            else MAX_URL_LENGTH
            if field == "url"
            else MAX_NAME_LENGTH * 2
        )
        schema["maxLength"] = limit
        if field not in _LONG_TEXT:
            schema["minLength"] = 1
        return schema
    raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover - a new model type needs a rule


def _define(cls: type, defs: dict[str, Any]) -> None:
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # placeholder against recursion
    hints = typing.get_type_hints(cls)
    properties = {}
    required = []
    for attribute in attrs.fields(cls):
        if not attribute.init:
            continue
        properties[attribute.name] = _for_type(hints[attribute.name], attribute.name, defs)
        if attribute.default is attrs.NOTHING:
            required.append(attribute.name)
    defs[cls.__name__] = {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a sinoperu dataset file."""
    defs: dict[str, Any] = {}
    sections = {}
    for name, cls in (
        ("places", Place),
        ("twinnings", Twinning),
        ("milestones", Milestone),
        ("exchanges", Exchange),
    ):
        _define(cls, defs)
        sections[name] = {"type": "array", "items": {"$ref": f"#/$defs/{cls.__name__}"}}
    milestone = defs["Milestone"]["properties"]
    milestone["level"] = {"enum": ["bloc", "meso"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://pypi.org/project/sinoperu/sinoperu.schema.json",
        "title": "sinoperu dataset file",
        "description": "China–Peru relations at the bloc, meso and micro levels, every record cited.",
        "type": "object",
        "properties": {
            "format": {"const": "sinoperu-dataset"},
            "format_version": {"const": 1},
            "version": {"type": "string", "minLength": 1},
            "as_of": {"anyOf": [{"type": "string", "pattern": PLAIN_DATE_PATTERN}, {"type": "null"}]},
            **sections,
        },
        "required": ["format", "format_version", "version"],
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    """:func:`json_schema` as the canonical text of the shipped file."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
