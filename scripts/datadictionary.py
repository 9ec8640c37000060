"""Write the data dictionary from the format's description (sinoperu.format): every section, field,
type, limit and meaning, the vocabularies, the rules between values, and the CSV columns per file.

Nothing here states a rule: each line is read off the description, so the page says what the
loader does.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from sinoperu.export.columns import TABLES
from sinoperu.fields import LIMITS, PATTERNS, Choice, ListOf
from sinoperu.format import HEADER, RECORD_TYPES, RELATIONAL_RULES, SECTIONS, FieldSpec, record_spec


def cell(text: str) -> str:
    """Text for a Markdown table cell: a bare "|" would end the cell, a newline the row."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _field_row(field: FieldSpec) -> str:
    required = "yes" if field.required else "no"
    nested = field.nested
    kind = field.type_text
    if nested is not None:
        kind += f" (see [{nested.__name__}](#{nested.__name__.lower()}))"
    return f"| `{field.name}` | {cell(kind)} | {required} | {cell(field.meaning)} |"


def _record_section(cls: type) -> list[str]:
    spec = record_spec(cls)
    lines = [f"### {cls.__name__}", "", spec.doc, ""]
    section = next((s.name for s in SECTIONS if s.cls is cls), None)
    if section is not None:
        lines += [f"Held in the file's `{section}` list; written to `{section}.csv`.", ""]
    lines += ["| field | type | required key | meaning |", "|---|---|---|---|"]
    lines += [_field_row(field) for field in spec.fields]
    return [*lines, ""]


def _vocabularies() -> list[str]:
    enums: dict[str, type[Enum]] = {}
    for cls in RECORD_TYPES.values():
        for field in record_spec(cls).fields:
            rule = field.rule.item if isinstance(field.rule, ListOf) else field.rule
            if isinstance(rule, Choice):
                enums.setdefault(rule.enum.__name__, rule.enum)
    lines = ["## Vocabularies", ""]
    for name, enum in sorted(enums.items()):
        doc = (enum.__doc__ or "").strip().splitlines()[0]
        lines += [f"### {name}", "", doc, "", ", ".join(f"`{member.value}`" for member in enum), ""]
    return lines


def _patterns() -> list[str]:
    lines = ["## Patterns and limits", "", "| pattern | what it is | example |", "|---|---|---|"]
    lines += [
        f"| `{name}` | {cell(pattern.what)} | `{cell(pattern.example)}` |"
        for name, pattern in PATTERNS.items()
    ]
    lines += ["", "| text | longest, in characters |", "|---|---|"]
    lines += [f"| {name} | {limit:,} |" for name, limit in LIMITS.items()]
    return [*lines, ""]


def _csv_section() -> list[str]:
    lines = [
        "## CSV columns",
        "",
        "One file per table. Lists sit in one cell, joined with `|` (a literal `|` or `\\` in an item is",
        "escaped with a backslash). Columns marked *derived* repeat what other columns or the places",
        "already say; they help a spreadsheet user and are ignored on reading.",
        "",
    ]
    for table in TABLES.values():
        lines += [f"### {table.name}.csv", ""]
        if table.parent_field:
            lines += [f"One row per entry of a record's `{table.parent_field}` list.", ""]
        lines += ["| column | type | meaning |", "|---|---|---|"]
        for column in table.columns:
            kind = column.field.type_text if column.field is not None else column.type
            meaning = column.description + (
                " (derived)" if column.derived and "derived" not in column.description else ""
            )
            lines.append(f"| `{column.name}` | {cell(kind)} | {cell(meaning)} |")
        lines.append("")
    return lines


def data_dictionary() -> str:
    """The page, as Markdown."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from the format's description (`sinoperu.format`) on every docs build: the same",
        "description gives the loader its checks, the JSON Schema, the CSV columns and the data package,",
        "so this page says what they do.",
        "",
        "## The file",
        "",
        "A dataset file is one JSON object: the header fields below, then one list per section ("
        + ", ".join(f"`{section.name}`" for section in SECTIONS)
        + ").",
        "",
        "| field | type | required key | meaning |",
        "|---|---|---|---|",
        *[_field_row(field) for field in HEADER],
        "",
        "## Records",
        "",
    ]
    nested = [cls for cls in RECORD_TYPES.values() if all(section.cls is not cls for section in SECTIONS)]
    for cls in [*(section.cls for section in SECTIONS), *nested]:
        lines += _record_section(cls)
    lines += ["## Rules between values", "", "The loader also checks, across fields and records:", ""]
    lines += [f"* {rule}" for rule in RELATIONAL_RULES]
    lines.append("")
    lines += _vocabularies()
    lines += _patterns()
    lines += _csv_section()
    return "\n".join(lines)


def write_data_dictionary(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data_dictionary(), encoding="utf-8")
    return path
