"""Write the data dictionary (every field, type and meaning) from the models and the CSV tables."""

from __future__ import annotations

import typing
from enum import Enum
from pathlib import Path

import attrs

from sinoperu import (
    CooperationArea,
    Coordinates,
    Evidence,
    Exchange,
    ExchangeKind,
    Level,
    Milestone,
    MilestoneKind,
    PartialDate,
    Place,
    PlaceKind,
    Source,
    Status,
    Twinning,
    TwinningKind,
)
from sinoperu.export.tables import TABLES

MEANINGS = {
    "id": "stable identifier: lowercase letters, digits, single hyphens",
    "sources": "the public pages that support the record (at least one)",
    "notes": "what is unconfirmed, and where sources disagree",
    "summary": "what the sources say, in the project's own words",
    "date": "date as precise as the sources give it (year, month or day); empty if none does",
}


def _cell(text: str) -> str:
    """Text for a Markdown table cell: a bare "|" would end the cell."""
    return text.replace("|", "\\|")


def _type_name(tp: object) -> str:
    if isinstance(tp, type):  # a plain class or enum: its name, not "<enum 'Level'>"
        return tp.__name__
    text = str(tp).replace("typing.", "").replace("sinoperu.models.", "").replace("sinoperu.dates.", "")
    for enum in (
        PlaceKind,
        TwinningKind,
        Status,
        Evidence,
        CooperationArea,
        ExchangeKind,
        MilestoneKind,
        Level,
    ):
        text = text.replace(f"sinoperu.enums.{enum.__name__}", enum.__name__)
    return text.replace("<class '", "").replace("'>", "")


def _model_section(cls: type) -> list[str]:
    hints = typing.get_type_hints(cls)
    csv_columns = next((t for t in TABLES.values() if t.record_type is cls), None)
    described = {c.name: c.description for c in csv_columns.columns} if csv_columns else {}
    lines = [
        f"## {cls.__name__}",
        "",
        (cls.__doc__ or "").strip().splitlines()[0],
        "",
        "| field | type | required | meaning |",
        "|---|---|---|---|",
    ]
    for field in attrs.fields(cls):
        if not field.init:
            continue
        required = "yes" if field.default is attrs.NOTHING else "no"
        meaning = described.get(field.name) or MEANINGS.get(field.name, "")
        if field.name == "coordinates":
            meaning = "WGS84 point (lat, lon) where a source gives one"
        type_name = _cell(_type_name(hints[field.name]))
        lines.append(f"| `{field.name}` | `{type_name}` | {required} | {_cell(meaning)} |")
    return [*lines, ""]


def _enum_section(enum: type[Enum]) -> list[str]:
    doc = (enum.__doc__ or "").strip().splitlines()[0]
    return [f"### {enum.__name__}", "", doc, "", ", ".join(f"`{m.value}`" for m in enum), ""]


def write_data_dictionary(path: Path) -> Path:
    lines = [
        "# Data dictionary",
        "",
        "Generated from the models on every docs build: every field of every record, its type and its",
        "meaning. In CSV exports the same fields are columns; lists are joined with `|` and columns marked",
        "*derived* (a party's names, the year of a date) are added for spreadsheets and ignored on reading.",
        "",
    ]
    for cls in (Place, Twinning, Exchange, Milestone, Source, Coordinates, PartialDate):
        lines += _model_section(cls)
    lines += ["## Vocabularies", ""]
    for enum in (
        Level,
        PlaceKind,
        TwinningKind,
        Status,
        Evidence,
        CooperationArea,
        ExchangeKind,
        MilestoneKind,
    ):
        lines += _enum_section(enum)
    lines += ["## CSV columns", ""]
    for table in TABLES.values():
        lines += [f"### {table.name}.csv", "", "| column | type | meaning |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {c.type} | {_cell(c.description)} |" for c in table.columns]
        lines.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
