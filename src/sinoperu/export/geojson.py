"""GeoJSON (RFC 7946): places as Points, twinnings as LineStrings from Peru to China.

Coordinates are ``[longitude, latitude]``. A twinning whose party has no sourced point is
drawn from the nearest place above it that has one (a city from its region), and the
properties ``peruvian_point_from`` / ``chinese_point_from`` say which place gave the point,
so nothing is presented as more precise than the sources are.

>>> import sinoperu
>>> collection = to_geojson(sinoperu.load())
>>> collection["type"], {f["geometry"]["type"] for f in collection["features"]} == {"Point", "LineString"}
('FeatureCollection', True)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from ..dataset import Dataset
from ..models import Place, Record, Twinning
from .tables import places_of

__all__ = ["geojson_text", "to_geojson"]


def _properties(item: Place | Record) -> dict[str, Any]:
    from ..serialize import converter

    properties: dict[str, Any] = {"record_type": type(item).__name__.lower(), **converter.unstructure(item)}
    properties.pop("coordinates", None)
    if not isinstance(item, Place):
        properties["level"] = item.level.value
    return properties


def _point(place: Place, places: Mapping[str, Place]) -> tuple[Place | None, list[float] | None]:
    current: Place | None = place
    while current is not None and current.coordinates is None:
        current = places.get(current.parent) if current.parent else None
    if current is None or current.coordinates is None:
        return None, None
    return current, [current.coordinates.lon, current.coordinates.lat]


def to_geojson(data: Dataset | Iterable[Place | Record], *, dataset: Dataset | None = None) -> dict[str, Any]:
    """A FeatureCollection of the places (with points) and twinnings in ``data``.

    Milestones and exchanges have no geometry of their own and are left out. The member
    ``citation`` (:func:`sinoperu.cite.citation_metadata`) says how to cite the data.
    """
    places = places_of(data if isinstance(data, Dataset) else dataset)
    items = (*data.places, *data.twinnings) if isinstance(data, Dataset) else tuple(data)
    features = []
    for item in items:
        if isinstance(item, Place) and item.coordinates is not None:
            geometry = {"type": "Point", "coordinates": [item.coordinates.lon, item.coordinates.lat]}
            features.append(
                {"type": "Feature", "id": item.id, "geometry": geometry, "properties": _properties(item)}
            )
        elif isinstance(item, Twinning):
            ends = [_point(places[item.peruvian_party], places), _point(places[item.chinese_party], places)]
            if any(coordinates is None for _, coordinates in ends):
                continue
            properties = _properties(item)
            for side, (source, _) in zip(("peruvian", "chinese"), ends, strict=True):
                party = places[getattr(item, f"{side}_party")]
                properties[f"{side}_name"] = party.name
                properties[f"{side}_name_zh"] = party.name_zh
                properties[f"{side}_point_from"] = source.id if source else None
            geometry = {"type": "LineString", "coordinates": [coordinates for _, coordinates in ends]}
            features.append(
                {"type": "Feature", "id": item.id, "geometry": geometry, "properties": properties}
            )
    from ..cite import citation_metadata

    # A foreign member (RFC 7946 section 6.1): how to cite the data travels with the map.
    citation = citation_metadata(data if isinstance(data, Dataset) else dataset)
    return {"type": "FeatureCollection", "features": features, "citation": citation}


def geojson_text(data: Dataset | Iterable[Place | Record], *, dataset: Dataset | None = None) -> str:
    """:func:`to_geojson` as canonical JSON text."""
    return json.dumps(to_geojson(data, dataset=dataset), ensure_ascii=False, indent=2) + "\n"
