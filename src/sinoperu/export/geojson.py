"""GeoJSON (RFC 7946): places as Points, twinnings as LineStrings from Peru to China.

Coordinates are ``[longitude, latitude]``. A twinning whose party has no sourced point is
drawn from the nearest place above it that has one (a city from its region), and the
properties ``peruvian_point_from`` / ``chinese_point_from`` say which place gave the point,
so nothing is presented as more precise than the sources are. Every twinning is a Feature: one
with no point at either end is a Feature whose ``geometry`` is ``null`` (RFC 7946, section 3.2),
never left out. Places are features by their points, so only places with coordinates are
included; milestones and exchanges have no geometry and are not features.

>>> import sinoperu
>>> collection = to_geojson(sinoperu.load())
>>> collection["type"], sorted({f["geometry"]["type"] for f in collection["features"] if f["geometry"]})
('FeatureCollection', ['LineString', 'Point'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..dataset import Dataset
from ..jsonio import dumps
from ..models import Exchange, Milestone, Place, Record, Twinning
from .tables import places_for

__all__ = ["geojson_text", "to_geojson"]

_Point = tuple[Place | None, list[float] | None]


def _properties(item: Place | Record) -> dict[str, Any]:
    from ..serialize import converter

    properties: dict[str, Any] = {"record_type": type(item).__name__.lower(), **converter.unstructure(item)}
    properties.pop("coordinates", None)
    if not isinstance(item, Place):
        properties["level"] = item.level.value
    return properties


def _pointer(places: Mapping[str, Place]) -> Any:
    """``point(place_id)``: the place that gives its point, and the point; each place resolved once."""
    known: dict[str, _Point] = {}

    def point(place_id: str) -> _Point:
        path: list[str] = []
        current: str | None = place_id
        found: _Point = (None, None)
        while current is not None:
            if current in known:
                found = known[current]
                break
            place = places.get(current)
            if place is None:
                break
            if place.coordinates is not None:
                found = (place, [place.coordinates.lon, place.coordinates.lat])
                known[current] = found
                break
            path.append(current)
            current = place.parent
        for visited in path:  # a chain of places without points is walked once, not once per twinning
            known[visited] = found
        return found

    return point


def to_geojson(data: Dataset | Iterable[Place | Record], *, dataset: Dataset | None = None) -> dict[str, Any]:
    """A FeatureCollection: a Point for each place with coordinates, a Feature for each twinning.

    Twinnings need ``dataset=`` (the Dataset they come from) for their parties' names and
    points, unless ``data`` is the Dataset itself. Milestones and exchanges have no geometry
    of their own and are not features. The member
    ``citation`` (:func:`sinoperu.cite.citation_metadata`) says how to cite the data.
    """
    if isinstance(data, Dataset):
        items: tuple[Any, ...] = (*data.places, *data.twinnings)
        full: Dataset | None = data
    else:
        items = tuple(data)
        full = dataset
        for item in items:
            if not isinstance(item, (Place, Twinning, Milestone, Exchange)):
                raise TypeError(f"to_geojson takes a Dataset or records, not {type(item).__name__}")
    twinnings = [item for item in items if isinstance(item, Twinning)]
    places = places_for(twinnings, full, caller="to_geojson")
    point = _pointer(places)
    features: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, Place):
            if item.coordinates is None:  # a place is a feature by its point; see the module's note
                continue
            geometry = {"type": "Point", "coordinates": [item.coordinates.lon, item.coordinates.lat]}
            features.append(
                {"type": "Feature", "id": item.id, "geometry": geometry, "properties": _properties(item)}
            )
        elif isinstance(item, Twinning):
            ends = [point(item.peruvian_party), point(item.chinese_party)]
            properties = _properties(item)
            for side, (source, _) in zip(("peruvian", "chinese"), ends, strict=True):
                party = places[getattr(item, f"{side}_party")]
                properties[f"{side}_name"] = party.name
                properties[f"{side}_name_zh"] = party.name_zh
                properties[f"{side}_point_from"] = source.id if source else None
            line = [coordinates for _, coordinates in ends]
            features.append(
                {
                    "type": "Feature",
                    "id": item.id,
                    # RFC 7946 section 3.2: a feature without a location has a null geometry.
                    "geometry": None if None in line else {"type": "LineString", "coordinates": line},
                    "properties": properties,
                }
            )
    from ..cite import citation_metadata

    # A foreign member (RFC 7946 section 6.1): how to cite the data travels with the map.
    citation = citation_metadata(data if isinstance(data, Dataset) else dataset)
    return {"type": "FeatureCollection", "features": features, "citation": citation}


def geojson_text(data: Dataset | Iterable[Place | Record], *, dataset: Dataset | None = None) -> str:
    """:func:`to_geojson` as canonical JSON text."""
    return dumps(to_geojson(data, dataset=dataset))
