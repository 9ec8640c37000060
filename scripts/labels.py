"""Place map labels so that none covers another label, a marked point or an obstacle.

Pure geometry in display units (any unit: pixels, points), so the docs' figures stay free of an extra
plotting dependency and the rule can be tested on its own. Each label tries positions around its
point, nearest first; the first free one is kept, and a label placed further out gets a leader line.

>>> anchors, sizes = [(10.0, 10.0), (12.0, 10.0)], [(8.0, 3.0), (8.0, 3.0)]
>>> boxes = place_labels(anchors, sizes, (0.0, 0.0, 60.0, 40.0), gap=2.0)
>>> boxes[0] != boxes[1] and not overlaps(boxes[0], boxes[1])
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

#: A rectangle as (left, bottom, right, top).
Box = tuple[float, float, float, float]

#: Directions tried at each distance, in order: right and left first, they read best on a map.
DIRECTIONS: Final = ((1, 0), (-1, 0), (1, 1), (-1, 1), (1, -1), (-1, -1), (0, 1), (0, -1))
#: How many distances (multiples of ``gap``) are tried before giving up.
RINGS: Final = 16


def overlaps(a: Box, b: Box) -> bool:
    """Whether two boxes share more than an edge.

    >>> overlaps((0, 0, 2, 2), (1, 1, 3, 3)), overlaps((0, 0, 2, 2), (2, 0, 4, 2))
    (True, False)
    """
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(box: Box, bounds: Box) -> bool:
    return bounds[0] <= box[0] and box[2] <= bounds[2] and bounds[1] <= box[1] and box[3] <= bounds[3]


def _candidate(
    anchor: tuple[float, float], size: tuple[float, float], direction: tuple[int, int], distance: float
) -> Box:
    (x, y), (width, height), (dx, dy) = anchor, size, direction
    left = x + distance if dx > 0 else x - distance - width if dx < 0 else x - width / 2
    bottom = y + distance if dy > 0 else y - distance - height if dy < 0 else y - height / 2
    return (left, bottom, left + width, bottom + height)


def place_labels(
    anchors: Sequence[tuple[float, float]],
    sizes: Sequence[tuple[float, float]],
    bounds: Box,
    *,
    gap: float,
    marker: float | None = None,
    obstacles: Sequence[Box] = (),
) -> list[Box]:
    """One box per label, beside its anchor, inside ``bounds``, overlapping no other box.

    No box covers an anchor (a square of half-side ``marker``, ``gap / 2`` by default) or an
    obstacle. Crowded labels are placed first, so they get the near positions. Raises
    :class:`ValueError`, naming the label, when no position within ``RINGS * gap`` is free.

    >>> place_labels([(5.0, 5.0)], [(4.0, 2.0)], (0.0, 0.0, 20.0, 20.0), gap=1.0)
    [(6.0, 4.0, 10.0, 6.0)]
    """
    if len(anchors) != len(sizes):
        raise ValueError(f"{len(anchors)} anchors but {len(sizes)} label sizes")
    if gap <= 0:
        raise ValueError(f"gap must be positive, not {gap}")
    half = gap / 2 if marker is None else marker
    taken: list[Box] = [*obstacles, *((x - half, y - half, x + half, y + half) for x, y in anchors)]
    reach = RINGS * gap

    def crowding(i: int) -> tuple[int, int]:
        x, y = anchors[i]
        near = sum(1 for u, v in anchors if abs(u - x) < reach and abs(v - y) < reach)
        return (-near, i)

    placed: dict[int, Box] = {}
    for i in sorted(range(len(anchors)), key=crowding):
        for ring in range(1, RINGS + 1):
            free = (
                box
                for direction in DIRECTIONS
                if _inside(box := _candidate(anchors[i], sizes[i], direction, ring * gap), bounds)
                and not any(overlaps(box, other) for other in taken)
            )
            found = next(free, None)
            if found is not None:
                placed[i] = found
                taken.append(found)
                break
        else:
            raise ValueError(f"no free place for label {i} at {anchors[i]} within {reach} units")
    return [placed[i] for i in range(len(anchors))]
