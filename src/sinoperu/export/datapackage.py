"""A Frictionless Data Package descriptor (``datapackage.json``) for the CSV files.

It states each column's type and meaning, the keys between files, the data licence, the
sources and the version, so tools that speak Frictionless (and people) can use the CSV
files without this library.

>>> descriptor = datapackage()
>>> descriptor["licenses"][0]["name"], [r["name"] for r in descriptor["resources"]][:2]
('CC-BY-4.0', ['places', 'twinnings'])
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .._version import __version__
from ..dataset import Dataset
from ..enums import CooperationArea
from .tables import LIST_SEPARATOR, TABLES, Column

__all__ = ["DATA_LICENSE", "datapackage", "write_datapackage"]

DATA_LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}

_TYPES: dict[str, dict[str, Any]] = {
    "string": {"type": "string"},
    "category": {"type": "string"},
    "list": {"type": "string"},
    # Partial ISO dates ("2018", "2018-07") are not one Frictionless date type: keep them as text
    # with a pattern that admits exactly the three precisions.
    "date": {"type": "string", "constraints": {"pattern": r"\d{4}(-\d{2}(-\d{2})?)?"}},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
}
_FOREIGN_KEYS = {
    "places": [("parent", "places")],
    "twinnings": [("peruvian_party", "places"), ("chinese_party", "places")],
    "exchanges": [("twinning", "twinnings"), ("origin", "places"), ("destination", "places")],
}


def _field(column: Column) -> dict[str, Any]:
    field: dict[str, Any] = {"name": column.name, "description": column.description}
    field.update(_TYPES[column.type])
    if column.type == "list":
        field["description"] += f" (items separated by '{LIST_SEPARATOR}', a literal '|' escaped as '\\|')"
    if not column.optional and column.type not in ("list",) and column.name not in ("notes", "summary"):
        field.setdefault("constraints", {})["required"] = True
    if column.name == "areas":
        field["description"] += "; values: " + ", ".join(area.value for area in CooperationArea)
    return field


def datapackage(dataset: Dataset | None = None) -> dict[str, Any]:
    """The descriptor as a dict; ``dataset`` supplies the data version and as-of date."""
    resources = []
    for name, table in TABLES.items():
        schema: dict[str, Any] = {"fields": [_field(column) for column in table.columns]}
        schema["primaryKey"] = ["record_id", "position"] if name == "sources" else ["id"]
        keys = [
            {"fields": field, "reference": {"resource": target, "fields": "id"}}
            for field, target in _FOREIGN_KEYS.get(name, [])
        ]
        if keys:
            schema["foreignKeys"] = keys
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "sinoperu",
        "title": "sinoperu: China–Peru relations at the bloc, meso and micro levels",
        "description": (
            "Twinnings between Peruvian and Chinese cities and regions, the exchanges done under them, "
            "and the China–CELAC and China–Peru milestones around them. Every record cites public pages; "
            "see sources.csv."
        ),
        "homepage": "https://pypi.org/project/sinoperu/",
        "version": dataset.version if dataset is not None else "unversioned",
        "licenses": [DATA_LICENSE],
        "sources": [
            {"title": "Public web pages, cited record by record in sources.csv (url, title, publisher)"}
        ],
        "contributors": [{"title": "sinoperu developers", "role": "author"}],
        "sinoperu:library_version": __version__,
        "resources": resources,
    }
    if dataset is not None and dataset.as_of is not None:
        descriptor["sinoperu:as_of"] = dataset.as_of.isoformat()
    if dataset is not None:
        from ..cite import citation_metadata

        descriptor["sinoperu:citation"] = citation_metadata(dataset)
    return descriptor


def write_datapackage(folder: str | Path, dataset: Dataset | None = None) -> Path:
    """Write ``datapackage.json`` into ``folder``; returns its path."""
    path = Path(folder) / "datapackage.json"
    path.write_text(json.dumps(datapackage(dataset), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
