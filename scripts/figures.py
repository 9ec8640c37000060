"""Draw the documentation's figures from the bundled data (never by hand, so they stay true).

The docs build calls :func:`draw_all`; ``python scripts/regenerate.py`` does too.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no screen needed
import matplotlib.pyplot as plt

import sinoperu
from sinoperu import Evidence, Level, MilestoneKind, Twinning

COLOURS = {Level.BLOC: "#1f77b4", Level.MESO: "#2ca02c", Level.MICRO: "#d62728"}
# One shade per evidence grade, darkest for the best attested; the title names them in this order.
GRADE_COLOURS = {
    Evidence.CONFIRMED: "#d62728",
    Evidence.OFFICIAL_MEDIA: "#f28e2b",
    Evidence.REPORTED: "#ff9896",
}
GRADE_SHADES = {Evidence.CONFIRMED: "dark red", Evidence.OFFICIAL_MEDIA: "orange", Evidence.REPORTED: "pink"}


def timeline(dataset: sinoperu.Dataset, path: Path) -> None:
    """Relations by year and level, with the policy papers and forum meetings marked."""
    years = [r.date.year for r in dataset.records if r.date]
    first, last = min(years), max(years)
    fig, ax = plt.subplots(figsize=(11, 4.2), dpi=120)
    bottom = Counter[int]()
    for level in (Level.MESO, Level.BLOC, Level.MICRO):
        counts = Counter(r.date.year for r in dataset.by_level(level) if r.date)
        xs = list(range(first, last + 1))
        heights = [counts.get(x, 0) for x in xs]
        ax.bar(
            xs, heights, bottom=[bottom[x] for x in xs], color=COLOURS[level], label=level.value, width=0.8
        )
        for x, h in zip(xs, heights, strict=True):
            bottom[x] += h
    marks = [
        (m.date.year, "policy paper" if m.kind is MilestoneKind.POLICY_PAPER else "forum")
        for m in dataset.milestones
        if m.date
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
    ax.set_xlabel(f"year (records without a date are left out: {undated})")
    ax.set_ylabel("records")
    ax.set_title(f"China–Peru relations by year and level (sinoperu data {dataset.version})")
    ax.legend(loc="upper left")
    ax.set_ylim(0, top + 0.5)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def twinning_map(dataset: sinoperu.Dataset, path: Path) -> None:
    """Twinnings as lines between their parties' points, Peru on the left, China on the right."""
    from sinoperu.export import to_geojson

    features = to_geojson(dataset)["features"]
    fig, (ax_pe, ax_cn) = plt.subplots(1, 2, figsize=(11, 5), dpi=120, gridspec_kw={"width_ratios": [1, 1.6]})
    for ax, (lon0, lon1, lat0, lat1), title in (
        (ax_pe, (-82, -68, -19, 0.5), "Peru"),
        (ax_cn, (73, 135, 18, 54), "China"),
    ):
        ax.set_xlim(lon0, lon1)
        ax.set_ylim(lat0, lat1)
        ax.set_aspect("equal")
        ax.grid(True, linewidth=0.3)
        ax.set_title(title)
        ax.set_xlabel("longitude")
    ax_pe.set_ylabel("latitude")
    lines = [f for f in features if f["geometry"]["type"] == "LineString"]
    for n, feature in enumerate(sorted(lines, key=lambda f: f["id"]), start=1):
        (pe_lon, pe_lat), (cn_lon, cn_lat) = feature["geometry"]["coordinates"]
        props = feature["properties"]
        colour = GRADE_COLOURS[Evidence(props["evidence"])]
        ax_pe.plot(pe_lon, pe_lat, "o", color=colour)
        ax_cn.plot(cn_lon, cn_lat, "o", color=colour)
        ax_pe.annotate(str(n), (pe_lon, pe_lat), fontsize=7, xytext=(3, 3), textcoords="offset points")
        ax_cn.annotate(str(n), (cn_lon, cn_lat), fontsize=7, xytext=(3, 3), textcoords="offset points")
    key = "   ".join(
        f"{n} {f['properties']['peruvian_name']}–{f['properties']['chinese_name']}"
        for n, f in enumerate(sorted(lines, key=lambda f: f["id"]), start=1)
    )
    shades = ", ".join(f"{GRADE_SHADES[grade]}: {grade.value}" for grade in Evidence)
    fig.suptitle(f"Peru–China twinnings: the same number marks both parties ({shades})")
    fig.text(0.5, 0.01, key, ha="center", fontsize=6.5, wrap=True)
    fig.tight_layout(rect=(0, 0.08, 1, 0.95))
    fig.savefig(path)
    plt.close(fig)
    assert all(isinstance(dataset.lookup(f["id"]), Twinning) for f in lines)


def draw_all(folder: Path) -> list[Path]:
    """Draw every figure into ``folder``; returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    dataset = sinoperu.load()
    paths = [folder / "timeline.png", folder / "map.png"]
    timeline(dataset, paths[0])
    twinning_map(dataset, paths[1])
    return paths


if __name__ == "__main__":
    for written in draw_all(Path(__file__).resolve().parent.parent / "docs" / "_static"):
        print(written)
