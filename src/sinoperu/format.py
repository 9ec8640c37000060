"""The one description of the dataset file format, read off the models themselves.

A dataset file is a JSON object: a header (:data:`HEADER`) and one list per section
(:data:`SECTIONS`), each list holding records of one attrs class. Every field's rule, meaning,
optionality and CSV name is declared once, on the model (see :mod:`sinoperu.fields`); this module
reads them back with :func:`attrs.fields` (not the type hints, costly to evaluate at import). The
fast decoder, the cattrs converter, the JSON Schema, the CSV columns, the frames' dtypes, the
Frictionless descriptor and the data dictionary are all functions of what is here, and no other
module states a rule.

>>> [section.name for section in SECTIONS]
['places', 'twinnings', 'milestones', 'exchanges', 'totals']
>>> spec = record_spec(Twinning)
>>> spec.tag, spec.field("kind").type_text
('twinning', 'one of: sister_city, friendly_exchange, memorandum, letter_of_intent, cooperation_agreement')
>>> spec.field("notes").type_text
'text or empty (at most 20,000 characters)'
>>> record_spec(Source).field("published").type_text
'ISO date: YYYY, YYYY-MM or YYYY-MM-DD, or null'
"""

from __future__ import annotations

import functools
import re
from typing import Any, Final

import attrs
from attrs import frozen

from .fields import (
    METADATA_KEY,
    Const,
    Described,
    ListOf,
    Nested,
    Rule,
    Text,
)
from .models import (
    PLAIN_DATE,
    Coordinates,
    Exchange,
    Milestone,
    NationalTotal,
    Place,
    Provision,
    Source,
    Twinning,
)

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "HEADER",
    "RECORD_TYPES",
    "RELATIONAL_RULES",
    "SECTIONS",
    "FieldSpec",
    "RecordSpec",
    "Section",
    "record_spec",
]

FORMAT: Final = "sinoperu-dataset"
FORMAT_VERSION: Final = 1


@frozen
class FieldSpec:
    """One field of a record (or of the header) as the file format sees it."""

    name: str
    rule: Rule
    meaning: str
    optional: bool  # null is allowed
    required: bool  # the key must be written
    default: Any  # the value when the key is absent (attrs.NOTHING when required)
    csv: str  # the CSV column, or the child table of a list of records
    refers_to: str | None = None  # the section whose ids the value names
    repeats: bool = False  # the same text recurs across records (see fields.described)

    @property
    def type_text(self) -> str:
        """The field's type as a person writes it, e.g. ``text (1 to 300 characters, not blank), or null``."""
        return self.rule.describe() + (", or null" if self.optional else "")

    @property
    def nested(self) -> type | None:
        """The attrs class a field holds (one record, or a list of them), else None."""
        rule = self.rule.item if isinstance(self.rule, ListOf) else self.rule
        return rule.cls if isinstance(rule, Nested) else None


@frozen
class RecordSpec:
    """Every field of one record type, in declaration order, and how to tell its objects apart."""

    cls: type
    tag: str
    doc: str
    fields: tuple[FieldSpec, ...]

    @functools.cached_property
    def keys(self) -> frozenset[str]:
        return frozenset(field.name for field in self.fields)

    @functools.cached_property
    def required_keys(self) -> frozenset[str]:
        return frozenset(field.name for field in self.fields if field.required)

    def field(self, name: str) -> FieldSpec:
        """The field called ``name``; KeyError if there is none."""
        for field in self.fields:
            if field.name == name:
                return field
        raise KeyError(name)

    @property
    def signature(self) -> str | None:
        """A required key no other record type has (an object holding it is one of these), or None."""
        others = {key for spec in _all_specs() if spec.cls is not self.cls for key in spec.keys}
        return next(
            (field.name for field in self.fields if field.required and field.name not in others), None
        )


def _tag(cls: type) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", cls.__name__).lower()


def record_spec(cls: type) -> RecordSpec:
    """The description of one attrs record class, read from its fields' metadata (once)."""
    found = _SPECS.get(cls)
    if found is None:
        found = _SPECS[cls] = _read_spec(cls)
    return found


_SPECS: dict[type, RecordSpec] = {}


def _read_spec(cls: type) -> RecordSpec:
    fields = []
    for attribute in attrs.fields(cls):
        if not attribute.init:
            continue
        described = attribute.metadata.get(METADATA_KEY)
        if not isinstance(described, Described):  # pragma: no cover - a model field without a rule
            raise TypeError(f"{cls.__name__}.{attribute.name} ({attribute.type}) is not described")
        fields.append(
            FieldSpec(
                name=attribute.name,
                rule=described.rule,
                meaning=described.meaning,
                optional=described.optional,
                required=attribute.default is attrs.NOTHING,
                default=attribute.default,
                csv=described.csv or attribute.name,
                refers_to=described.refers_to,
                repeats=described.repeats,
            )
        )
    return RecordSpec(cls, _tag(cls), (cls.__doc__ or "").strip().splitlines()[0], tuple(fields))


@frozen
class Section:
    """A list of records in a dataset file: its key and the class of its records."""

    name: str
    cls: type

    @property
    def spec(self) -> RecordSpec:
        return record_spec(self.cls)


#: The file's sections, in file order.
SECTIONS: Final = (
    Section("places", Place),
    Section("twinnings", Twinning),
    Section("milestones", Milestone),
    Section("exchanges", Exchange),
    Section("totals", NationalTotal),
)

#: The keys of the top-level object besides the sections (the header).
HEADER: Final = (
    FieldSpec("format", Const(FORMAT), "the format's name", False, True, attrs.NOTHING, "format"),
    FieldSpec(
        "format_version",
        Const(FORMAT_VERSION),
        "the format's version",
        False,
        True,
        attrs.NOTHING,
        "format_version",
    ),
    FieldSpec(
        "version",
        Text("name"),
        "the data version (CalVer of its release)",
        False,
        True,
        attrs.NOTHING,
        "version",
    ),
    FieldSpec(
        "as_of",
        PLAIN_DATE,
        "the day the data was last checked against its sources",
        True,
        False,
        None,
        "as_of",
    ),
)

#: Every record type a JSON object of the format may hold, by its tag (sections' and nested).
RECORD_TYPES: Final[dict[str, type]] = {
    _tag(cls): cls
    for cls in (Place, Twinning, Milestone, Exchange, NationalTotal, Source, Coordinates, Provision)
}


@functools.cache
def _all_specs() -> tuple[RecordSpec, ...]:
    return tuple(record_spec(cls) for cls in RECORD_TYPES.values())


#: Rules that tie a field to another field or to other records. The loader checks them; a JSON
#: Schema or a Frictionless table schema, which see one value at a time, cannot state them.
RELATIONAL_RULES: Final = (
    "ids are unique across the whole file",
    "every reference (parent, parties, twinning, origin, destination, places) names a record of the file",
    "a twinning's Peruvian party is in PE and its Chinese party in CN",
    "a place's parent country is its own country, and no place lies inside itself (no cycle)",
    "a place's ISO 3166-2 code begins with its country code",
    "an end date does not come before its start date",
)
