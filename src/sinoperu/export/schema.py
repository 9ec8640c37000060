"""A JSON Schema (draft 2020-12) of the dataset file, generated from the format's description.

Every property comes from :mod:`sinoperu.format`: the header, the sections, and for each record
type its fields' rules (lengths, patterns, vocabularies, required keys). The schema states every
rule about one value; the rules that relate values to each other
(:data:`~sinoperu.format.RELATIONAL_RULES`) are listed in its description, since a schema cannot
check them. A copy ships as ``sinoperu/data/sinoperu.schema.json`` for tools outside Python.

>>> schema = json_schema()
>>> schema["properties"]["format"]["const"], sorted(schema["$defs"])[:3]
('sinoperu-dataset', ['Coordinates', 'Exchange', 'Milestone'])
>>> schema["$defs"]["Place"]["properties"]["name"]["maxLength"]
300
"""

from __future__ import annotations

import json
from typing import Any

from ..fields import (
    NON_BLANK,
    PATTERNS,
    SURROGATE,
    Choice,
    Const,
    DateRule,
    ListOf,
    Nested,
    Number,
    Rule,
    Text,
    date_pattern,
)
from ..format import HEADER, RELATIONAL_RULES, SECTIONS, FieldSpec, record_spec

__all__ = ["anchored", "json_schema", "schema_text"]


def anchored(regex: str) -> str:
    """A full-match regex as a JSON Schema pattern, which matches anywhere unless anchored.

    ``(?!\\n)`` after ``$`` keeps Python's ``$`` from matching before a final newline, so
    validators built on Python's ``re`` give the verdict that ECMA-262 gives.
    """
    return f"^(?:{regex})$(?!\\n)"


def _for_rule(rule: Rule, defs: dict[str, Any]) -> dict[str, Any]:
    if isinstance(rule, Text):
        schema: dict[str, Any] = {
            "type": "string",
            "maxLength": rule.max_length,
            "not": {"pattern": SURROGATE},
        }
        if rule.min_length:
            schema["minLength"] = rule.min_length
        if rule.pattern is not None:
            schema["pattern"] = anchored(PATTERNS[rule.pattern].regex)
        elif not rule.blank:
            schema["pattern"] = NON_BLANK
        return schema
    if isinstance(rule, Choice):
        return {"enum": list(rule.values)}
    if isinstance(rule, Number):
        return {
            "type": "integer" if rule.integer else "number",
            "minimum": rule.minimum,
            "maximum": rule.maximum,
        }
    if isinstance(rule, DateRule):
        return {"type": "string", "pattern": anchored(date_pattern(plain=rule.plain))}
    if isinstance(rule, Const):
        return {"const": rule.value}
    if isinstance(rule, Nested):
        _define(rule.cls, defs)
        return {"$ref": f"#/$defs/{rule.cls.__name__}"}
    if isinstance(rule, ListOf):
        schema = {"type": "array", "items": _for_rule(rule.item, defs)}
        if rule.unique:
            schema["uniqueItems"] = True
        if rule.non_empty:
            schema["minItems"] = 1
        return schema
    raise TypeError(f"no JSON Schema for the rule {rule!r}")  # pragma: no cover - a new rule needs one


def _for_field(field: FieldSpec, defs: dict[str, Any]) -> dict[str, Any]:
    schema = _for_rule(field.rule, defs)
    schema = {"anyOf": [schema, {"type": "null"}]} if field.optional else schema
    return {"description": field.meaning, **schema}


def _define(cls: type, defs: dict[str, Any]) -> None:
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # placeholder against recursion
    spec = record_spec(cls)
    defs[cls.__name__] = {
        "type": "object",
        "description": spec.doc,
        "properties": {field.name: _for_field(field, defs) for field in spec.fields},
        "required": [field.name for field in spec.fields if field.required],
        "additionalProperties": False,
    }


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a sinoperu dataset file."""
    defs: dict[str, Any] = {}
    properties = {field.name: _for_field(field, defs) for field in HEADER}
    for section in SECTIONS:
        _define(section.cls, defs)
        properties[section.name] = {"type": "array", "items": {"$ref": f"#/$defs/{section.cls.__name__}"}}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://pypi.org/project/sinoperu/sinoperu.schema.json",
        "title": "sinoperu dataset file",
        "description": (
            "China–Peru relations at the bloc, meso and micro levels, every record cited. This schema "
            "checks every rule about a single value; the loader also checks these rules between values: "
            + "; ".join(RELATIONAL_RULES)
            + "."
        ),
        "type": "object",
        "properties": properties,
        "required": [field.name for field in HEADER if field.required],
        "additionalProperties": False,
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    """:func:`json_schema` as the canonical text of the shipped file."""
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
