"""Write the docs' base map (``docs/maps/naturalearth-110m-countries.geojson``) from Natural Earth.

The maps in the docs draw coastlines and borders from Natural Earth's 1:110m Admin 0 – Countries layer
(public domain, https://www.naturalearthdata.com/about/terms-of-use/). The committed GeoJSON is made from
the shapefile that GeoPandas shipped as ``naturalearth_lowres`` (pyogrio ships the same file among its
test fixtures), so the docs build reads a file in the repository and downloads nothing. To remake it::

    pip install pyshp
    python scripts/naturalearth.py PATH/TO/naturalearth_lowres.shp

Only the name and ISO 3166-1 alpha-3 code of each country are kept, coordinates are rounded to 0.01°
(about 1 km, finer than the 1:110m line work; slivers that this collapses are dropped) and Antarctica,
which no twinning map shows, is left out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent.parent / "docs" / "maps" / "naturalearth-110m-countries.geojson"
DIGITS = 2
LEFT_OUT = {"Antarctica"}


def _ring(points: list[tuple[float, float]]) -> list[list[float]]:
    ring: list[list[float]] = []
    for lon, lat in points:
        point = [round(lon, DIGITS), round(lat, DIGITS)]
        if not ring or ring[-1] != point:  # rounding can merge neighbours
            ring.append(point)
    return ring


def convert(shapefile_path: Path) -> dict[str, Any]:
    """The countries of a Natural Earth admin-0 shapefile as a GeoJSON FeatureCollection."""
    import shapefile  # pyshp: needed only to remake the file

    features = []
    with shapefile.Reader(str(shapefile_path)) as reader:
        for shape_record in reader.iterShapeRecords():
            record = shape_record.record.as_dict()
            if record["name"] in LEFT_OUT:
                continue
            geometry = shape_record.shape.__geo_interface__
            if geometry["type"] == "Polygon":
                polygons = [geometry["coordinates"]]
            else:
                polygons = list(geometry["coordinates"])
            # A sliver that rounding collapses below a triangle is no ring any more: drop it.
            coordinates = [
                [ring for ring in (_ring(list(r)) for r in polygon) if len(ring) >= 4] for polygon in polygons
            ]
            coordinates = [polygon for polygon in coordinates if polygon]
            features.append(
                {
                    "type": "Feature",
                    "properties": {"name": record["name"], "iso_a3": record["iso_a3"]},
                    "geometry": {"type": "MultiPolygon", "coordinates": coordinates},
                }
            )
    features.sort(key=lambda feature: feature["properties"]["name"])
    return {"type": "FeatureCollection", "features": features}


if __name__ == "__main__":
    collection = convert(Path(sys.argv[1]))
    OUT.write_text(json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(OUT, OUT.stat().st_size, "bytes,", len(collection["features"]), "countries")
