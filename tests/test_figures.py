"""The docs' maps: label placement, the Pacific frame, the committed base map, the interactive page."""

from __future__ import annotations

import doctest
import importlib.util
import itertools
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sinoperu

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import labels  # noqa: E402
from labels import RINGS, overlaps, place_labels  # noqa: E402

BASEMAP = ROOT / "docs" / "maps" / "naturalearth-110m-countries.geojson"

# The drawing code needs matplotlib (the docs extra); the placement and the files do not.
HAS_PLOTTING = importlib.util.find_spec("matplotlib") is not None
if HAS_PLOTTING:
    import figures
needs_plotting = pytest.mark.skipif(not HAS_PLOTTING, reason="drawing the maps needs the docs extra")


# --- label placement ------------------------------------------------------------------------


def test_label_examples_run() -> None:
    result = doctest.testmod(labels)
    assert result.attempted > 0
    assert result.failed == 0


coordinate = st.floats(0, 100, allow_nan=False)
size = st.tuples(st.floats(1, 30), st.floats(1, 10))


@given(
    anchors=st.lists(st.tuples(coordinate, coordinate), min_size=1, max_size=14),
    sizes=st.data(),
    gap=st.floats(0.5, 6),
    obstacles=st.lists(
        st.tuples(coordinate, coordinate, st.floats(1, 20), st.floats(1, 20)).map(
            lambda b: (b[0], b[1], b[0] + b[2], b[1] + b[3])
        ),
        max_size=3,
    ),
)
def test_placed_labels_cover_nothing(
    anchors: list[tuple[float, float]],
    sizes: st.DataObject,
    gap: float,
    obstacles: list[tuple[float, float, float, float]],
) -> None:
    label_sizes = sizes.draw(st.lists(size, min_size=len(anchors), max_size=len(anchors)))
    bounds = (-40.0, -40.0, 140.0, 140.0)
    try:
        boxes = place_labels(anchors, label_sizes, bounds, gap=gap, obstacles=obstacles)
    except ValueError as error:
        message = str(error)  # crowded: said so, never overlapped
        assert "no free place for label" in message
        return
    assert len(boxes) == len(anchors)
    half = gap / 2
    for i, box in enumerate(boxes):
        (x, y), (width, height) = anchors[i], label_sizes[i]
        assert box[2] - box[0] == pytest.approx(width)
        assert box[3] - box[1] == pytest.approx(height)
        assert bounds[0] <= box[0]
        assert box[2] <= bounds[2]
        assert bounds[1] <= box[1]
        assert box[3] <= bounds[3]
        # Near its own point: within the last ring tried.
        assert box[0] - RINGS * gap - width <= x <= box[2] + RINGS * gap + width
        assert box[1] - RINGS * gap - height <= y <= box[3] + RINGS * gap + height
        for other in boxes[i + 1 :]:
            assert not overlaps(box, other)
        for u, v in anchors:
            assert not overlaps(box, (u - half, v - half, u + half, v + half))
        for obstacle in obstacles:
            assert not overlaps(box, obstacle)


@given(x=st.floats(20, 80), y=st.floats(20, 80), gap=st.floats(0.5, 3))
def test_a_lone_label_sits_just_right_of_its_point(x: float, y: float, gap: float) -> None:
    [box] = place_labels([(x, y)], [(10.0, 4.0)], (0.0, 0.0, 100.0, 100.0), gap=gap)
    assert box == (x + gap, y - 2.0, x + gap + 10.0, y + 2.0)


def test_labels_that_cannot_fit_are_named() -> None:
    with pytest.raises(ValueError, match="no free place for label 0"):
        place_labels([(5.0, 5.0)], [(50.0, 5.0)], (0.0, 0.0, 20.0, 20.0), gap=1.0)


@pytest.mark.parametrize(
    ("anchors", "sizes", "gap", "message"),
    [
        ([(1.0, 1.0)], [], 1.0, "1 anchors but 0 label sizes"),
        ([(1.0, 1.0)], [(1.0, 1.0)], 0.0, "gap must be positive"),
    ],
)
def test_bad_placement_arguments_are_refused(anchors: Any, sizes: Any, gap: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        place_labels(anchors, sizes, (0.0, 0.0, 10.0, 10.0), gap=gap)


# --- the committed base map ---------------------------------------------------------------------


def test_base_map_is_valid_geojson_with_both_countries() -> None:
    collection = json.loads(BASEMAP.read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    codes = set()
    for feature in collection["features"]:
        assert set(feature["properties"]) == {"name", "iso_a3"}
        assert feature["geometry"]["type"] == "MultiPolygon"
        for polygon in feature["geometry"]["coordinates"]:
            assert polygon, feature["properties"]["name"]
            for ring in polygon:
                assert len(ring) >= 4, feature["properties"]["name"]
                assert ring[0] == ring[-1], feature["properties"]["name"]
                assert all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in ring)
        codes.add(feature["properties"]["iso_a3"])
    assert {"PER", "CHN"} <= codes
    assert "ATA" not in codes  # left out: no twinning map reaches it
    assert BASEMAP.stat().st_size < 250_000  # small enough to commit and to embed in a page


# --- the Pacific frame and the lines --------------------------------------------------------------


@needs_plotting
@given(ring=st.lists(st.tuples(st.floats(-180, 180), st.floats(-90, 90)), min_size=2, max_size=40))
def test_unwrapped_rings_are_never_torn(ring: list[tuple[float, float]]) -> None:
    result = figures.unwrap(ring)
    assert 0 <= result[0][0] < 360
    for ((x0, _), (x1, y1)), (lon, lat) in zip(itertools.pairwise(result), ring[1:], strict=True):
        assert abs(x1 - x0) <= 180 + 1e-9  # no jump across the map
        offset = (x1 - lon) % 360
        assert min(offset, 360 - offset) < 1e-6  # the same meridian, shifted by whole turns
        assert y1 == lat


@needs_plotting
def test_both_countries_lie_whole_in_the_pacific_frame() -> None:
    shapes = {iso: polygons for iso, _, polygons in figures.countries()}
    for iso in figures.PARTIES:
        xs = [x for polygon in shapes[iso] for ring in polygon for x, _ in ring]
        assert min(xs) > 0
        assert max(xs) < 360
        assert max(xs) - min(xs) < 90  # not smeared across the map
    assert min(x for ring in shapes["PER"][0] for x, _ in ring) > min(
        x for ring in shapes["CHN"][0] for x, _ in ring
    )  # Peru to the east of China, across the Pacific


@needs_plotting
def test_every_drawable_twinning_is_one_numbered_line(bundled: sinoperu.Dataset) -> None:
    lines = figures.twinning_lines(bundled)
    assert [line.number for line in lines] == list(range(1, len(lines) + 1))
    assert {line.feature["id"] for line in lines} == {t.id for t in bundled.twinnings}
    dates = [line.feature["properties"]["date"] for line in lines]
    dated = [d for d in dates if d is not None]
    assert dated == sorted(dated)
    assert dates == dated + [None] * (len(dates) - len(dated))
    for line in lines:
        (pe_x, _), (cn_x, _) = line.points
        assert pe_x > cn_x  # Peru drawn east of China


@needs_plotting
@pytest.mark.parametrize("side", ["peruvian", "chinese"])
def test_end_labels_are_distinct_and_cover_every_line(bundled: sinoperu.Dataset, side: str) -> None:
    lines = figures.twinning_lines(bundled)
    ends = figures.line_ends(bundled, lines, side)
    names = [end.name for end in ends]
    assert len(names) == len(set(names)), names  # Cusco the region and Cusco the city told apart
    assert sorted(n for end in ends for n in end.numbers) == [line.number for line in lines]


@needs_plotting
def test_interactive_map_loads_nothing_from_other_sites(bundled: sinoperu.Dataset, tmp_path: Path) -> None:
    pytest.importorskip("folium")
    path = tmp_path / "twinnings-map.html"
    figures.interactive_map(bundled, path)
    page = path.read_text(encoding="utf-8")
    assets = re.findall(r'<script[^>]*\bsrc="([^"]+)"|<link[^>]*\bhref="([^"]+)"', page)
    assets_used = {a or b for a, b in assets}
    assert assets_used == {"leaflet/leaflet.js", "leaflet/leaflet.css"}
    for asset in assets_used:
        assert (ROOT / "docs" / "_static" / asset).is_file()
    assert "$(" not in page  # no jQuery: folium's own popups would need it from a CDN
    assert "tile" not in page.lower().replace("title", "")  # no tile layer
    assert page.count("L.polyline(") == len(figures.twinning_lines(bundled))
    assert page.count(".bindPopup(") == page.count("L.polyline(")
    assert json.dumps("利马")[1:-1] in page  # the popups carry the Chinese names (as JSON escapes)
