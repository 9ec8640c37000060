"""Query results that read as tables in a notebook: :class:`Records`, and a Dataset's HTML view.

A :class:`Records` is a plain tuple of records in every respect (equality, hashing,
indexing, ``isinstance(result, tuple)``) that also knows the dataset it came from, so
Jupyter can show it as a table with dates, both parties' names (with their Chinese
characters) and the evidence grade.

>>> import sinoperu
>>> result = sinoperu.by_city("Santa")
>>> isinstance(result, tuple), result == tuple(result)
(True, True)
>>> "漳州" in result._repr_html_()
True
"""

from __future__ import annotations

import heapq
import itertools
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

from .models import Exchange, Milestone, Place, Record, Twinning, sort_key

if TYPE_CHECKING:
    from .dataset import Dataset


__all__ = ["MAX_HTML_ROWS", "Records", "dataset_html", "records_html"]

#: Rows a notebook table shows before it says how many more there are.
MAX_HTML_ROWS: Final = 30
_DESCRIPTION_LENGTH = 120
_TYPE = {Twinning: "twinning", Milestone: "milestone", Exchange: "exchange"}


class Records(tuple[Record, ...]):
    """A tuple of records from one dataset; shows as a table in Jupyter.

    Slicing or adding gives a plain tuple; a pickled result comes back without its
    dataset (its table then shows place ids instead of names).
    """

    _dataset: Dataset | None

    def __new__(cls, records: Iterable[Record] = (), dataset: Dataset | None = None) -> Records:
        self = super().__new__(cls, records)
        self._dataset = dataset
        return self

    @property
    def dataset(self) -> Dataset | None:
        """The dataset these records come from, if known."""
        return self._dataset

    def __reduce__(self) -> tuple[Any, ...]:
        return (Records, (tuple(self),))

    def _repr_html_(self) -> str:
        return records_html(self, self._dataset)


def _escape(text: str) -> str:
    """HTML-escaped ``text`` (quotes too); :mod:`html` is imported by the first table shown."""
    from html import escape as html_escape

    return html_escape(text)


def _place(ref: str, dataset: Dataset | None) -> Place | None:
    found = None if dataset is None else dataset.get(ref)
    return found if isinstance(found, Place) else None


def _place_html(ref: str, dataset: Dataset | None) -> str:
    place = _place(ref, dataset)
    if place is None:
        return f"<code>{_escape(ref)}</code>"
    text = _escape(place.name)
    if place.name_zh:
        text += f' <span lang="zh">{_escape(place.name_zh)}</span>'
    return f'<span title="{_escape(place.id)}">{text}</span>'


def _parties(record: Record, dataset: Dataset | None) -> tuple[str, str]:
    """The Peruvian and the Chinese side of a record, as HTML cells."""
    if isinstance(record, Exchange):
        twinning = dataset.get(record.twinning) if dataset is not None else None
        if isinstance(twinning, Twinning):
            record_places: tuple[str, ...] = twinning.places
        else:
            return f"<code>{_escape(record.twinning)}</code>", ""
    else:
        record_places = record.places
    sides: dict[str, list[str]] = {"PE": [], "CN": []}
    for ref in record_places:
        place = _place(ref, dataset)
        side = "CN" if place is not None and place.country == "CN" else "PE"
        if isinstance(record, Twinning):
            side = "PE" if ref == record.peruvian_party else "CN"
        sides[side].append(_place_html(ref, dataset))
    return ", ".join(sides["PE"]), ", ".join(sides["CN"])


def _description(record: Record) -> str:
    text = record.summary if isinstance(record, Twinning) else record.title
    shown = text if len(text) <= _DESCRIPTION_LENGTH else text[: _DESCRIPTION_LENGTH - 1] + "…"
    return f'<span title="{_escape(record.summary)}">{_escape(shown)}</span>'


_HEADER = ("id", "type", "kind", "date", "Peru", "China", "evidence", "title or summary")
_STYLE = "border-collapse:collapse;text-align:left"


def _table(records: Iterable[Record], dataset: Dataset | None) -> str:
    rows = []
    for record in records:
        peru, china = _parties(record, dataset)
        evidence = getattr(record, "evidence", None)
        cells = (
            f"<code>{_escape(record.id)}</code>",
            _TYPE[type(record)],
            _escape(record.kind.value),
            "" if record.date is None else _escape(record.date.isoformat()),
            peru,
            china,
            "" if evidence is None else _escape(evidence.value),
            _description(record),
        )
        *short, description = cells  # short cells stay on one line; the description wraps
        rows.append(
            "<tr>"
            + "".join(f'<td style="white-space:nowrap">{cell}</td>' for cell in short)
            + f"<td>{description}</td></tr>"
        )
    head = "".join(f"<th>{_escape(name)}</th>" for name in _HEADER)
    return (
        f'<table class="sinoperu-records" style="{_STYLE}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def records_html(records: Iterable[Record], dataset: Dataset | None = None) -> str:
    """An HTML table of records (the first :data:`MAX_HTML_ROWS`), every text escaped.

    >>> import sinoperu
    >>> html = records_html(sinoperu.query(city="Lima", kind="sister_city"), sinoperu.load())
    >>> "Shanghai <span lang=\\"zh\\">上海</span>" in html, html.count("<tr>") - 1
    (True, 2)
    """
    items = records if isinstance(records, tuple) else tuple(records)
    shown = items[:MAX_HTML_ROWS]
    count = len(items)
    caption = f"{count} record{'s' if count != 1 else ''}"
    if count > len(shown):
        caption = f"the first {len(shown)} of {count} records"
    return f'<div class="sinoperu"><p>{caption}</p>{_table(shown, dataset)}</div>'


def dataset_html(dataset: Dataset) -> str:
    """A Dataset's notebook view: its version, counts, and its first records."""
    as_of = "" if dataset.as_of is None else f" (as of {_escape(dataset.as_of.isoformat())})"
    counts = [
        ("places", len(dataset.places), ""),
        *(
            (name, len(getattr(dataset, name)), _grades(getattr(dataset, name)))
            for name in ("twinnings", "milestones", "exchanges")
        ),
    ]
    body = "".join(
        f"<tr><td>{name}</td><td style='text-align:right'>{n}</td><td>{grades}</td></tr>"
        for name, n, grades in counts
    )
    # The first records without building the query indices (costly for a large dataset).
    sections: tuple[tuple[Record, ...], ...] = (dataset.twinnings, dataset.milestones, dataset.exchanges)
    first = tuple(itertools.islice(heapq.merge(*sections, key=sort_key), min(MAX_HTML_ROWS, 10)))
    more = len(dataset) - len(first)
    tail = f"<p>… and {more} more records.</p>" if more > 0 else ""
    return (
        f'<div class="sinoperu"><p><strong>sinoperu data {_escape(dataset.version)}</strong>{as_of}</p>'
        f'<table style="{_STYLE}"><thead><tr><th>section</th><th>count</th><th>evidence</th></tr></thead>'
        f"<tbody>{body}</tbody></table>"
        f"<p>First records, by date:</p>{_table(first, dataset)}{tail}</div>"
    )


def _grades(records: Iterable[Any]) -> str:
    grades = Counter(r.evidence.value for r in records if hasattr(r, "evidence"))
    return _escape(", ".join(f"{grade} {n}" for grade, n in sorted(grades.items())))
