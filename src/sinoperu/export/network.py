"""The twinnings as a network: places as nodes, twinnings as edges.

:func:`to_networkx` builds a :class:`networkx.MultiGraph` (two places may be joined by more
than one twinning), keyed by twinning id; it needs the optional extra ``network``
(``pip install "sinoperu[network]"``). :func:`edge_list_csv` writes the same edges as CSV
without it. The nodes are the places that are party to a twinning.

>>> import sinoperu
>>> print(edge_list_csv(sinoperu.load()).splitlines()[1])
pe-lma,cn-bj,tw-lima-beijing,sister_city,in_force,confirmed,1983-11,
"""

from __future__ import annotations

import csv
import io
from typing import Any, Final

from ..analysis import division_of
from ..dataset import Dataset
from ..models import Place, Twinning
from .frames import _missing_extra
from .spreadsheet import quote_cell

__all__ = ["EDGE_COLUMNS", "NODE_COLUMNS", "edge_list_csv", "to_networkx"]

#: The attributes of a node, in order (after its id).
NODE_COLUMNS: Final = ("name", "name_zh", "kind", "country", "division")
#: The columns of the edge list: the two ends, then the attributes of an edge.
EDGE_COLUMNS: Final = ("source", "target", "id", "kind", "status", "evidence", "date", "end_date")


def _node(dataset: Dataset, place: Place) -> dict[str, Any]:
    division = division_of(dataset, place)
    return {
        "name": place.name,
        "name_zh": place.name_zh,
        "kind": place.kind.value,
        "country": place.country,
        "division": None if division is None else division.id,
    }


def _edge(twinning: Twinning) -> dict[str, Any]:
    return {
        "source": twinning.peruvian_party,
        "target": twinning.chinese_party,
        "id": twinning.id,
        "kind": twinning.kind.value,
        "status": twinning.status.value,
        "evidence": twinning.evidence.value,
        "date": None if twinning.date is None else twinning.date.isoformat(),
        "end_date": None if twinning.end_date is None else twinning.end_date.isoformat(),
    }


def _dataset(dataset: object, caller: str) -> Dataset:
    if not isinstance(dataset, Dataset):
        raise TypeError(f"{caller} takes a Dataset, not {type(dataset).__name__}")
    return dataset


def to_networkx(dataset: Dataset) -> Any:
    """A ``networkx.MultiGraph``: a node per place party to a twinning (attributes
    :data:`NODE_COLUMNS`), an edge per twinning keyed by its id (attributes :data:`EDGE_COLUMNS`
    after the two ends; the date is EDTF text, ``None`` where unknown).

    >>> import sinoperu
    >>> graph = to_networkx(sinoperu.load())
    >>> graph.nodes["cn-bj"]["division"], graph.edges["pe-lma", "cn-bj", "tw-lima-beijing"]["kind"]
    ('cn-bj', 'sister_city')
    """
    dataset = _dataset(dataset, "to_networkx")
    nx = _missing_extra("networkx", "network")
    graph = nx.MultiGraph(version=dataset.version)
    for twinning in dataset.twinnings:
        for place_id in twinning.places:
            if place_id not in graph:
                place = dataset.get(place_id)
                assert isinstance(place, Place)  # a Dataset checks every party
                graph.add_node(place_id, **_node(dataset, place))
        edge = _edge(twinning)
        graph.add_edge(edge.pop("source"), edge.pop("target"), key=twinning.id, **edge)
    return graph


def edge_list_csv(dataset: Dataset, *, spreadsheet: bool = True) -> str:
    """The twinnings as an edge list (columns :data:`EDGE_COLUMNS`), CSV text with CRLF line ends.

    Empty cells are unknown values. Text a spreadsheet would run as a formula is quoted
    unless ``spreadsheet=False`` (see :mod:`sinoperu.export.spreadsheet`).
    """
    dataset = _dataset(dataset, "edge_list_csv")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(EDGE_COLUMNS)
    for twinning in dataset.twinnings:
        edge = _edge(twinning)
        cells = ["" if edge[name] is None else str(edge[name]) for name in EDGE_COLUMNS]
        writer.writerow([quote_cell(cell) for cell in cells] if spreadsheet else cells)
    return buffer.getvalue()
