"""Draw the documentation's figures from the bundled data (never by hand, so they stay true).

The docs build calls :func:`draw_all`; ``python scripts/regenerate.py`` does too.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from html import escape
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no screen needed
import matplotlib.pyplot as plt
from attrs import frozen
from labels import place_labels

import sinoperu
from sinoperu import Evidence, Level, MilestoneKind, Twinning
from sinoperu.enums import EVIDENCE_ORDER

COLOURS = {Level.BLOC: "#1f77b4", Level.MESO: "#2ca02c", Level.MICRO: "#d62728"}


def _year(record: sinoperu.Record) -> int | None:
    """The year a record certainly falls in, or ``None`` (undated, or its possible span crosses a year)."""
    if record.date is None:
        return None
    earliest, latest = record.date.earliest, record.date.latest
    if earliest is None or latest is None or earliest.year != latest.year:
        return None
    return earliest.year


def timeline(dataset: sinoperu.Dataset, path: Path) -> None:
    """Relations by year and level, with the policy papers and forum meetings marked."""
    years = [y for r in dataset.records if (y := _year(r)) is not None]
    first, last = min(years), max(years)
    fig, ax = plt.subplots(figsize=(11, 4.2), dpi=120)
    bottom = Counter[int]()
    for level in (Level.MESO, Level.BLOC, Level.MICRO):
        counts = Counter(y for r in dataset.by_level(level) if (y := _year(r)) is not None)
        xs = list(range(first, last + 1))
        heights = [counts.get(x, 0) for x in xs]
        ax.bar(
            xs, heights, bottom=[bottom[x] for x in xs], color=COLOURS[level], label=level.value, width=0.8
        )
        for x, h in zip(xs, heights, strict=True):
            bottom[x] += h
    marks = [
        (year, "policy paper" if m.kind is MilestoneKind.POLICY_PAPER else "forum")
        for m in dataset.milestones
        if (year := _year(m)) is not None
        and m.kind
        in (MilestoneKind.POLICY_PAPER, MilestoneKind.MINISTERIAL_MEETING, MilestoneKind.FORUM_FOUNDING)
    ]
    top = max(bottom.values()) + 1
    for year, label in sorted(set(marks)):
        style = "--" if label == "policy paper" else ":"
        ax.axvline(year, color="black", linestyle=style, linewidth=1, alpha=0.7)
        height = top if label == "policy paper" else top * 0.62  # stagger: same-year labels stay legible
        ax.text(year, height, f"{label} {year}", rotation=90, va="top", ha="right", fontsize=7)
    undated = sum(1 for r in dataset.records if r.date is None)
    spread = sum(1 for r in dataset.records if r.date is not None and _year(r) is None)
    ax.set_xlabel(f"year (left out: {undated} undated records, {spread} that may fall in more than one year)")
    ax.set_ylabel("records")
    ax.set_title(f"China–Peru relations by year and level (sinoperu data {dataset.version})")
    ax.legend(loc="upper left")
    ax.set_ylim(0, top + 0.5)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


# --- the map: one Pacific-centred frame, shared by the static figure and the interactive page ---------

#: Coastlines and borders: Natural Earth 1:110m Admin 0 – Countries (public domain); see docs/maps/README.md.
BASEMAP = Path(__file__).resolve().parent.parent / "docs" / "maps" / "naturalearth-110m-countries.geojson"
#: The two countries of every twinning, tinted on both maps (ISO 3166-1 alpha-3, as Natural Earth codes them).
PARTIES = ("PER", "CHN")
LAND, PARTY_LAND, BORDER, SEA = "#e3e3e0", "#f2e3bd", "#8f8f8a", "#dce9f2"
#: How each evidence grade is drawn: matplotlib and Leaflet read the same colours and dashes.
STYLE = {
    Evidence.CONFIRMED: {
        "colour": "#b2182b",
        "width": 1.8,
        "dash": None,
        "label": "confirmed (a government page)",
    },
    Evidence.OFFICIAL_MEDIA: {
        "colour": "#e08214",
        "width": 1.5,
        "dash": (1.5, 1.5),
        "label": "official media only",
    },
    Evidence.REPORTED: {
        "colour": "#2166ac",
        "width": 1.2,
        "dash": (4.0, 2.5),
        "label": "reported (secondary sources)",
    },
}

Ring = list[tuple[float, float]]


def pacific(lon: float) -> float:
    """A longitude in degrees east of Greenwich, 0 up to 360: the Pacific sits in the middle of the map."""
    east = lon % 360
    return 0.0 if east == 360 else east  # a tiny negative longitude rounds up to a whole turn


def unwrap(ring: Ring) -> Ring:
    """A ring in the Pacific frame, each point within 180° of the one before, so no ring is torn apart.

    Natural Earth cuts shapes at the antimeridian; a shape that crosses Greenwich instead lands wholly
    beyond one edge of the Pacific frame rather than being smeared across it.
    """
    x = pacific(ring[0][0])
    result = [(x, ring[0][1])]
    for (lon0, _), (lon1, lat1) in itertools.pairwise(ring):
        x += (lon1 - lon0 + 180) % 360 - 180
        result.append((x, lat1))
    return result


def countries() -> list[tuple[str, str, list[list[Ring]]]]:
    """(ISO code, name, polygons as lists of rings) for each country of the base map, in the Pacific frame."""
    collection = json.loads(BASEMAP.read_text(encoding="utf-8"))
    return [
        (
            feature["properties"]["iso_a3"],
            feature["properties"]["name"],
            [
                [unwrap([(lon, lat) for lon, lat in ring]) for ring in polygon]
                for polygon in feature["geometry"]["coordinates"]
            ],
        )
        for feature in collection["features"]
    ]


@frozen
class End:
    """One end of a twinning line: the party's name, where it is drawn, and the twinnings it takes part in."""

    name: str
    lon: float  # in the Pacific frame
    lat: float
    numbers: tuple[int, ...]

    @property
    def label(self) -> str:
        return f"{self.name} {', '.join(map(str, self.numbers))}"


@frozen
class Line:
    """A twinning as drawn: its number on the maps, its two ends and its evidence."""

    number: int
    feature: dict[str, Any]

    @property
    def evidence(self) -> Evidence:
        return Evidence(self.feature["properties"]["evidence"])

    @property
    def points(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """(lon, lat) of the Peruvian and the Chinese end, in the Pacific frame."""
        (pe_lon, pe_lat), (cn_lon, cn_lat) = self.feature["geometry"]["coordinates"]
        return (pacific(pe_lon), pe_lat), (pacific(cn_lon), cn_lat)

    @property
    def title(self) -> str:
        props = self.feature["properties"]
        return f"{props['peruvian_name']} – {props['chinese_name']}"


def twinning_lines(dataset: sinoperu.Dataset) -> list[Line]:
    """The twinnings the exported GeoJSON can draw, numbered by date (undated last), then by id."""
    from sinoperu.export import to_geojson

    features = [f for f in to_geojson(dataset)["features"] if f["geometry"]["type"] == "LineString"]
    assert all(isinstance(dataset.lookup(f["id"]), Twinning) for f in features)
    features.sort(key=lambda f: (f["properties"]["date"] is None, f["properties"]["date"] or "", f["id"]))
    return [Line(n, feature) for n, feature in enumerate(features, start=1)]


def line_ends(dataset: sinoperu.Dataset, lines: list[Line], side: str) -> list[End]:
    """One labelled end per party and point on one side ("peruvian" or "chinese").

    Two parties of the same name (Cusco the region, Cusco the city) are told apart by their kind.
    """
    by_party: dict[str, list[Line]] = {}
    for line in lines:
        by_party.setdefault(line.feature["properties"][f"{side}_party"], []).append(line)
    names = Counter(dataset.get(party).name for party in by_party)
    ends = []
    for party, its_lines in by_party.items():
        place = dataset.get(party)
        name = (
            place.name if names[place.name] == 1 else f"{place.name} ({place.kind.value.replace('_', ' ')})"
        )
        lon, lat = its_lines[0].points[0 if side == "peruvian" else 1]
        ends.append(End(name, lon, lat, tuple(line.number for line in its_lines)))
    return sorted(ends, key=lambda end: end.numbers)


def _draw_land(ax: Any, shapes: list[tuple[str, str, list[list[Ring]]]]) -> None:
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path as MplPath

    ax.set_facecolor(SEA)
    for iso, _, polygons in shapes:
        rings = [ring for polygon in polygons for ring in polygon]
        path = MplPath.make_compound_path(*(MplPath(ring, closed=True) for ring in rings))
        colour = PARTY_LAND if iso in PARTIES else LAND
        ax.add_patch(PathPatch(path, facecolor=colour, edgecolor=BORDER, linewidth=0.45, zorder=1))


def _draw_lines(ax: Any, lines: list[Line], *, ends: bool) -> None:
    # Weaker grades first, so the better attested lines stay on top where they cross.
    for line in sorted(lines, key=lambda line: -EVIDENCE_ORDER.index(line.evidence)):
        style = STYLE[line.evidence]
        (x0, y0), (x1, y1) = line.points
        ax.plot(
            [x0, x1],
            [y0, y1],
            color=style["colour"],
            linewidth=style["width"],
            linestyle=_linestyle(line.evidence),
            alpha=0.85,
            zorder=3,
            solid_capstyle="round",
        )
        if ends:
            ax.plot([x0, x1], [y0, y1], "o", color="#333333", markersize=2.5, zorder=4)


def _label_ends(ax: Any, ends: list[End], fontsize: float) -> None:
    """Name each end, the labels placed so that none covers another or a point (scripts/labels.py)."""
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    to_pixels = ax.transData.transform
    scale = fig.dpi / 72  # points to pixels
    pad = 0.25 * fontsize * scale
    anchors = [tuple(to_pixels((end.lon, end.lat))) for end in ends]
    sizes = []
    for end in ends:
        probe = ax.text(0, 0, end.label, fontsize=fontsize)
        extent = probe.get_window_extent(renderer)
        probe.remove()
        sizes.append((extent.width + 2 * pad, extent.height + 2 * pad))
    box = ax.get_window_extent(renderer)
    boxes = place_labels(anchors, sizes, (box.x0, box.y0, box.x1, box.y1), gap=4 * scale, marker=2.5 * scale)
    to_data = ax.transData.inverted().transform
    for end, anchor, (left, bottom, right, top) in zip(ends, anchors, boxes, strict=True):
        centre = to_data(((left + right) / 2, (bottom + top) / 2))
        far = max(
            abs(anchor[0] - (left + right) / 2) - (right - left) / 2,
            abs(anchor[1] - (bottom + top) / 2) - (top - bottom) / 2,
        )
        ax.annotate(
            end.label,
            (end.lon, end.lat),
            xytext=centre,
            textcoords="data",
            ha="center",
            va="center",
            fontsize=fontsize,
            zorder=6,
            bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            arrowprops=None
            if far <= 5 * scale
            else {"arrowstyle": "-", "color": "#555555", "linewidth": 0.6, "shrinkA": 0, "shrinkB": 2},
        )


def _degrees(value: float, axis: str) -> str:
    if axis == "lat":
        return "0°" if value == 0 else f"{abs(value):g}°{'N' if value > 0 else 'S'}"
    lon = (value + 180) % 360 - 180
    return "180°" if abs(lon) == 180 else "0°" if lon == 0 else f"{abs(lon):g}°{'E' if lon > 0 else 'W'}"


def _frame(ax: Any, lon0: float, lon1: float, lat0: float, lat1: float, step: float) -> None:
    import numpy as np

    ax.set_xlim(lon0, lon1)
    ax.set_ylim(lat0, lat1)
    # Equal distances look equal at the middle latitude (plate carrée, stretched there).
    ax.set_aspect(1 / np.cos(np.radians((lat0 + lat1) / 2)))
    xs = np.arange(np.ceil(lon0 / step) * step, lon1 + 1e-9, step)
    ys = np.arange(np.ceil(lat0 / step) * step, lat1 + 1e-9, step)
    ax.set_xticks(xs, [_degrees(x, "lon") for x in xs], fontsize=6.5)
    ax.set_yticks(ys, [_degrees(y, "lat") for y in ys], fontsize=6.5)
    ax.grid(True, color="white", linewidth=0.5, zorder=0)
    ax.set_axisbelow(True)


def _linestyle(evidence: Evidence) -> Any:
    dash = STYLE[evidence]["dash"]
    return (0, dash) if dash else "-"


def twinning_map(dataset: sinoperu.Dataset, path: Path) -> None:
    """Both countries on one Pacific-centred map, the twinnings as lines; a close-up of each end below.

    Sized for the docs' text column (about 8.5 inches), so that the labels read at the size shown.
    """
    from matplotlib.lines import Line2D

    shapes = countries()
    lines = twinning_lines(dataset)
    fig = plt.figure(figsize=(8.6, 11.2), dpi=150)
    grid = fig.add_gridspec(
        3, 2, height_ratios=[3.55, 4.9, 1.55], width_ratios=[0.74, 1.0], hspace=0.2, wspace=0.1
    )
    ax_world = fig.add_subplot(grid[0, :])
    ax_pe = fig.add_subplot(grid[1, 0])
    ax_cn = fig.add_subplot(grid[1, 1])
    ax_key = fig.add_subplot(grid[2, :])

    _draw_land(ax_world, shapes)
    _frame(ax_world, 62, 302, -38, 62, 30)
    _draw_lines(ax_world, lines, ends=True)
    for text, lon, lat, italic in (
        ("CHINA", 100, 38, False),
        ("PERU", 270, -20, False),
        ("Pacific Ocean", 195, -24, True),
    ):
        ax_world.text(
            lon,
            lat,
            text,
            ha="center",
            va="center",
            zorder=5,
            fontsize=8.5,
            fontweight="normal" if italic else "bold",
            fontstyle="italic" if italic else "normal",
            color="#4a6a85" if italic else "#5a4a20",
        )
    ax_world.set_title(
        f"Peru–China twinnings across the Pacific (sinoperu data {dataset.version})", fontsize=10.5
    )
    handles = [
        Line2D(
            [],
            [],
            color=style["colour"],
            linewidth=style["width"] + 0.4,
            linestyle=_linestyle(evidence),
            label=style["label"],
        )
        for evidence, style in STYLE.items()
    ]
    ax_world.legend(
        handles=handles, loc="lower left", fontsize=7, framealpha=0.92, title="evidence", title_fontsize=7
    )

    for ax, extent, title in (
        (ax_pe, (278.2, 292.5, -19, 0.5), "Peru"),
        (ax_cn, (98, 132, 19, 47), "China (east)"),
    ):
        _draw_land(ax, shapes)
        _frame(ax, *extent, 5)
        _draw_lines(ax, lines, ends=True)
        ax.set_title(title, fontsize=9.5)
    fig.canvas.draw()  # the label placement measures the text as drawn
    _label_ends(ax_pe, line_ends(dataset, lines, "peruvian"), 7)
    _label_ends(ax_cn, line_ends(dataset, lines, "chinese"), 7)

    # The key: two columns, by date; the numbers are those of the close-ups' labels.
    ax_key.axis("off")
    rows = (len(lines) + 1) // 2
    ax_key.set_xlim(0, 2)
    ax_key.set_ylim(rows + 0.2, -1.2)
    ax_key.text(
        0,
        -0.7,
        "Twinnings by date; the numbers label the close-ups",
        fontsize=7.5,
        fontweight="bold",
        va="center",
    )
    for line in lines:
        column, row = divmod(line.number - 1, rows)
        x, style = column * 1.02, STYLE[line.evidence]
        ax_key.plot(
            [x, x + 0.07],
            [row, row],
            color=style["colour"],
            linewidth=style["width"] + 0.3,
            linestyle=_linestyle(line.evidence),
        )
        date = line.feature["properties"]["date"] or "undated"
        ax_key.text(x + 0.1, row, f"{line.number:>2}  {line.title} ({date})", fontsize=7, va="center")
    fig.text(
        0.5,
        0.012,
        "Lines join the two parties of each twinning, drawn straight on the map (not routes). "
        "A party without a sourced\npoint is drawn at the place it lies in. "
        "Coastlines and borders: Natural Earth 1:110m (public domain), which\n"
        "draws boundaries as administered in fact; the project takes no position on them.",
        ha="center",
        fontsize=6.5,
        color="#444444",
        linespacing=1.4,
    )
    fig.subplots_adjust(left=0.07, right=0.985, top=0.965, bottom=0.06)
    fig.savefig(path)
    plt.close(fig)


#: Leaflet's own files, kept in docs/_static/leaflet (BSD-2-Clause, its LICENSE beside them), so that
#: the interactive map loads nothing from another site and works offline.
LEAFLET = "leaflet"
#: The part of the Pacific frame the interactive map may show: no view wider than the base map.
INTERACTIVE_BOUNDS = ((-58.0, 40.0), (75.0, 335.0))
#: What the interactive map first shows: all of China and of Peru.
HOME = ((-20.0, 72.0), (54.0, 292.0))


def _shorten(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _popup(line: Line, dataset: sinoperu.Dataset) -> str:
    props = line.feature["properties"]
    chinese = " – ".join(filter(None, (props.get("peruvian_name_zh"), props.get("chinese_name_zh"))))
    facts = " · ".join(
        (props["kind"].replace("_", " "), props["status"].replace("_", " "), props["date"] or "undated")
    )
    sources = "".join(
        f'<li><a href="{escape(source["url"])}" target="_blank" rel="noopener">'
        f"{escape(_shorten(source['title']))}</a>"
        f" ({escape(source['publisher'])}, {escape(source['published'] or 'undated')})</li>"
        for source in props["sources"]
    )
    drawn_from = [
        f"{props[f'{side}_name']} has no sourced point: "
        f"drawn at {dataset.get(props[f'{side}_point_from']).name}"
        for side in ("peruvian", "chinese")
        if props[f"{side}_point_from"] != props[f"{side}_party"]
    ]
    return (
        f"<b>{line.number}. {escape(line.title)}</b>"
        + (f"<br>{escape(chinese)}" if chinese else "")
        + f"<br>{escape(facts)}<br>evidence: <b>{line.evidence.value}</b>"
        + "".join(f"<br><i>{escape(note)}</i>" for note in drawn_from)
        + f"<br><code>{escape(props['id'])}</code>"
        + f"<ul style='margin:4px 0 0 0;padding-left:18px'>{sources}</ul>"
    )


def _line_sample(evidence: Evidence) -> str:
    """A short SVG line drawn as the map draws that grade's lines."""
    style = STYLE[evidence]
    dash = f' stroke-dasharray="{_dash_array(evidence)}"' if style["dash"] else ""
    return (
        f'<svg width="30" height="10" style="vertical-align:middle"><line x1="1" y1="5" x2="29" y2="5" '
        f'stroke="{style["colour"]}" stroke-width="{style["width"] + 1.2}"{dash}/></svg>'
    )


def _dash_array(evidence: Evidence) -> str | None:
    """Leaflet's dash pattern, in pixels, for matplotlib's (in points, at the wider web line)."""
    dash = STYLE[evidence]["dash"]
    return " ".join(f"{2 * d:g}" for d in dash) if dash else None


def _popup_element(html: str) -> Any:
    """A popup bound to its parent layer by Leaflet alone (folium's own popups need jQuery)."""
    from branca.element import MacroElement
    from jinja2 import Template

    element = MacroElement()
    element._template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.bindPopup({{ this.html|tojson }}, {maxWidth: 360});"
        "{% endmacro %}"
    )
    element.html = html
    return element


def interactive_map(dataset: sinoperu.Dataset, path: Path) -> None:
    """A Leaflet page (through folium) of the exported GeoJSON, on the same Pacific-centred base map.

    Written beside a ``leaflet/`` folder holding Leaflet's script and style sheet.
    """
    import folium
    from branca.element import MacroElement
    from jinja2 import Template

    (south, west), (north, east) = INTERACTIVE_BOUNDS
    fmap = folium.Map(
        location=[12, 195],
        zoom_start=2,
        tiles=None,
        max_bounds=True,
        min_lat=south,
        max_lat=north,
        min_lon=west,
        max_lon=east,
        zoom_snap=0.25,
        max_zoom=9,
        font_size="0.8rem",
    )
    fmap.default_js = [("leaflet", f"{LEAFLET}/leaflet.js")]
    fmap.default_css = [("leaflet_css", f"{LEAFLET}/leaflet.css")]
    base = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": name, "party": iso in PARTIES},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [
                        [[[round(x, 2), y] for x, y in ring] for ring in polygon] for polygon in polygons
                    ],
                },
            }
            for iso, name, polygons in countries()
        ],
    }
    folium.GeoJson(
        base,
        name="countries",
        control=False,
        interactive=False,
        attribution="Borders: Natural Earth (public domain)",
        style_function=lambda feature: {
            "fillColor": PARTY_LAND if feature["properties"]["party"] else LAND,
            "fillOpacity": 1,
            "color": BORDER,
            "weight": 0.6,
        },
    ).add_to(fmap)
    lines = twinning_lines(dataset)
    # The layer switcher doubles as the legend: each name carries a sample of its line.
    groups = {
        evidence: folium.FeatureGroup(name=f"{_line_sample(evidence)} {escape(style['label'])}").add_to(fmap)
        for evidence, style in STYLE.items()
    }
    # Weaker grades first, so that the better attested lines are drawn on top.
    for line in sorted(lines, key=lambda line: -EVIDENCE_ORDER.index(line.evidence)):
        style = STYLE[line.evidence]
        (x0, y0), (x1, y1) = line.points
        folium.PolyLine(
            [[y0, x0], [y1, x1]],
            color=style["colour"],
            weight=style["width"] + 1.2,
            opacity=0.85,
            dash_array=_dash_array(line.evidence),
            tooltip=f"{line.number}. {line.title} ({line.evidence.value})",
        ).add_to(groups[line.evidence]).add_child(_popup_element(_popup(line, dataset)))
    places = folium.FeatureGroup(name="parties").add_to(fmap)
    for side in ("peruvian", "chinese"):
        for end in line_ends(dataset, lines, side):
            folium.CircleMarker(
                [end.lat, end.lon],
                radius=4,
                color="#333333",
                weight=1,
                fill=True,
                fill_color="#ffffff",
                fill_opacity=1,
                tooltip=f"{end.name} (twinnings {', '.join(map(str, end.numbers))})",
            ).add_to(places)
    folium.LayerControl(collapsed=False).add_to(fmap)
    fmap.get_root().html.add_child(
        folium.Element(
            '<div style="position:fixed;bottom:22px;left:10px;z-index:1000;'
            "background:rgba(255,255,255,.92);padding:4px 8px;border-radius:4px;"
            'font:12px/1.45 sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3)">'
            f"<b>Peru–China twinnings</b> · sinoperu data {escape(dataset.version)}<br>"
            "<span style='color:#555'>Click a line for its sources.</span></div>"
        )
    )
    # The sea shows through where there is no land.
    fmap.get_root().header.add_child(
        folium.Element(f"<style>.folium-map.leaflet-container{{background:{SEA}}}</style>")
    )
    # No zoom-out past the base map's edges, and both countries in view whatever the page's size: an
    # embedding page may size the map only after it is drawn, so this runs again on each resize
    # until the reader moves the map.
    view = MacroElement()
    view._template = Template(
        "{% macro script(this, kwargs) %}"
        "(function (map, home) { var moved = false;"
        " ['pointerdown', 'wheel', 'keydown'].forEach(function (name) {"
        " map.getContainer().addEventListener(name, function () { moved = true; }); });"
        # The floor is set before the fit: setMinZoom alone would start an animated zoom that
        # ends after, and undoes, the fit.
        " function fit() { var floor = map.getBoundsZoom(map.options.maxBounds, true);"
        " map.options.minZoom = floor; if (!moved) { map.fitBounds(home, {animate: false}); }"
        " map.setMinZoom(floor); }"
        " fit(); map.on('resize', fit); })"
        "({{ this._parent.get_name() }}, {{ this.home|tojson }});"
        "{% endmacro %}"
    )
    view.home = HOME
    fmap.add_child(view)
    fmap.save(str(path))


def draw_all(folder: Path) -> list[Path]:
    """Draw every figure into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    dataset = sinoperu.load()
    paths = [folder / "timeline.png", folder / "map.png", folder / "twinnings-map.html"]
    timeline(dataset, paths[0])
    twinning_map(dataset, paths[1])
    interactive_map(dataset, paths[2])
    return paths


if __name__ == "__main__":
    for written in draw_all(Path(__file__).resolve().parent.parent / "docs" / "_static"):
        print(written)
