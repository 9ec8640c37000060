"""Questions across levels: what came before a record, periods between cuts, and panels.

The founding question of the dataset is how the three levels connect: did twinnings
(micro) follow the policy papers and the China–CELAC Forum (bloc) and the state visits
and agreements (meso)? The functions here answer it with the dates' own comparisons
(:mod:`sinoperu.dates`), so an answer never claims an order the sources do not give.

* :func:`context`: the milestones *certainly* before a record within a window, those
  *concurrent* with it given the dates' precision, its exchanges, and what the earlier
  policy papers and action plans say about local governments.
* :func:`periods`: twinnings and exchanges between consecutive cuts, the records that
  may fall in more than one period and the undated ones counted apart.
* :func:`panel`: rows for ``"relation-year"``, ``"place-year"`` and ``"dyad-year"``
  panels, as plain dicts that ``pandas.DataFrame(list(rows))`` takes (or
  :func:`sinoperu.export.frames.panel_frame`).

A twinning signed in "November 2024" is neither before nor after a visit on
14 November 2024: it is concurrent with it.

>>> import sinoperu
>>> found = context(sinoperu.load(), "tw-chancay-suzhou")
>>> "ms-2024-xi-jinping-state-visit" in [m.id for m in found.concurrent]
True
>>> "ms-2024-xi-jinping-state-visit" in [m.id for m in found.before]
False
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final, Protocol

from attrs import frozen

from .dates import DateInterval, PartialDate, sort_key
from .enums import Evidence, MilestoneKind, PlaceKind, TwinningKind
from .models import Exchange, Milestone, NationalTotal, Place, Provision, Record, Twinning

__all__ = [
    "CUT_KINDS",
    "PANEL_UNITS",
    "PAPER_KINDS",
    "Context",
    "DatasetLike",
    "Panel",
    "Period",
    "Periods",
    "context",
    "division_of",
    "exchanges_of",
    "panel",
    "periods",
]

#: The kinds of milestone whose texts say what local governments should do (their provisions are listed).
PAPER_KINDS: Final = frozenset({MilestoneKind.POLICY_PAPER, MilestoneKind.ACTION_PLAN})
#: The kinds of milestone whose dates cut the default periods (the policy papers, the Forum's
#: founding and its ministerial meetings).
CUT_KINDS: Final = frozenset(
    {MilestoneKind.POLICY_PAPER, MilestoneKind.FORUM_FOUNDING, MilestoneKind.MINISTERIAL_MEETING}
)

Dated = PartialDate | DateInterval


class DatasetLike(Protocol):
    """What these functions read of a :class:`sinoperu.Dataset` (which has them all).

    A protocol, not the class, so that the Dataset's own methods can call this module.
    """

    @property
    def twinnings(self) -> tuple[Twinning, ...]: ...
    @property
    def milestones(self) -> tuple[Milestone, ...]: ...
    @property
    def exchanges(self) -> tuple[Exchange, ...]: ...
    @property
    def as_of(self) -> PartialDate | None: ...
    def get(self, id: str) -> Place | Record | NationalTotal | None: ...


def _chronological(records: Iterable[Record]) -> tuple[Any, ...]:
    return tuple(sorted(records, key=lambda r: (sort_key(r.date), r.id)))


# --- navigation ---------------------------------------------------------------------


def division_of(dataset: DatasetLike, place: Place | str) -> Place | None:
    """The first-level division a place lies in: the place up its parents whose parent is a
    country (the place itself for a division); ``None`` for a country or a place with no parent.

    >>> import sinoperu
    >>> ds = sinoperu.load()
    >>> division_of(ds, "cn-gd-jiangmen-kaiping").name, division_of(ds, "cn-bj").name, division_of(ds, "pe")
    ('Guangdong', 'Beijing', None)
    """
    current = _place(dataset, place)
    while current.parent is not None:
        parent = dataset.get(current.parent)
        if not isinstance(parent, Place):  # pragma: no cover - a Dataset checks every parent
            return None
        if parent.kind is PlaceKind.COUNTRY:
            return current
        current = parent
    return None


def _place(dataset: DatasetLike, place: Place | str) -> Place:
    found = dataset.get(place) if isinstance(place, str) else place
    if not isinstance(found, Place):
        what = repr(place) if isinstance(place, str) else type(place).__name__
        raise LookupError(f"no place of this dataset has the id {what}")
    return found


def exchanges_of(dataset: DatasetLike, twinning: Twinning | str) -> tuple[Exchange, ...]:
    """What was done under a twinning, oldest first (undated last).

    >>> import sinoperu
    >>> [e.kind.value for e in exchanges_of(sinoperu.load(), "tw-chancay-suzhou")]
    ['agreement', 'other']
    """
    found = _record(dataset, twinning)
    if not isinstance(found, Twinning):
        raise TypeError(f"{found.id!r} is a {type(found).__name__.lower()}, not a twinning")
    return tuple(e for e in dataset.exchanges if e.twinning == found.id)  # already chronological


def _record(dataset: DatasetLike, record: Record | str) -> Record:
    found = dataset.get(record) if isinstance(record, str) else record
    if not isinstance(found, (Twinning, Milestone, Exchange)):
        if isinstance(record, str):
            if found is None:
                raise LookupError(f"no record of this dataset has the id {record!r}")
            raise LookupError(f"{record!r} is a {type(found).__name__.lower()}, not a record")
        raise TypeError(f"expected a record or its id, got {type(record).__name__}")
    return found


# --- context ------------------------------------------------------------------------


def _years_back(day: datetime.date, years: int) -> datetime.date:
    year = day.year - years
    if year < 1:
        return datetime.date.min
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=year, day=28)


@frozen
class Context:
    """What happened at the other levels around one record (see :func:`context`)."""

    record: Record
    years: int
    before: tuple[Milestone, ...]
    concurrent: tuple[Milestone, ...]
    exchanges: tuple[Exchange, ...]
    provisions: tuple[tuple[Milestone, tuple[Provision, ...]], ...]

    def as_dict(self) -> dict[str, Any]:
        """Plain data (ids, EDTF date text, titles), ready for :func:`json.dumps`."""

        def event(m: Milestone | Exchange) -> dict[str, Any]:
            level = m.level.value
            return {"id": m.id, "level": level, "kind": m.kind.value, "date": _text(m.date), "title": m.title}

        return {
            "record": self.record.id,
            "date": _text(self.record.date),
            "years": self.years,
            "before": [event(m) for m in self.before],
            "concurrent": [event(m) for m in self.concurrent],
            "exchanges": [event(e) for e in self.exchanges],
            "provisions": [
                {"milestone": m.id, "section": p.section, "summary": p.summary}
                for m, found in self.provisions
                for p in found
            ],
        }

    def to_text(self) -> str:
        """A short report for reading in a terminal."""
        record = self.record
        lines = [f"{record.id} ({_text(record.date) or 'undated'})"]
        if record.date is None:
            lines.append("  undated: no milestone is known to come before it or at the same time")

        def block(title: str, items: Sequence[Milestone | Exchange]) -> None:
            lines.append(f"{title}:" + ("" if items else " none"))
            lines.extend(
                f"  {_text(m.date) or '-':12} {m.level.value:5} {m.kind.value:20} {m.id}  {m.title}"
                for m in items
            )

        block(f"before (certainly, at most {self.years} years)", self.before)
        block("concurrent (dates overlap)", self.concurrent)
        if isinstance(record, Twinning):
            block("exchanges", self.exchanges)
        papers = [(m, found) for m, found in self.provisions if found]
        lines.append("on local governments, in the texts before:" + ("" if papers else " none"))
        lines.extend(f"  {m.id} {p.section}: {p.summary}" for m, found in papers for p in found)
        return "\n".join(lines)


def _text(date: Dated | None) -> str | None:
    return None if date is None else date.isoformat()


def context(dataset: DatasetLike, record: Record | str, years: int = 2) -> Context:
    """The bloc and meso milestones around ``record`` (a record or its id).

    ``before``: milestones certainly before the record that could be at most ``years``
    years before it (their latest possible day is no earlier than ``years`` years before the
    record's earliest possible day). ``concurrent``: milestones whose dates overlap the
    record's, given both precisions: neither is certainly before the other. ``exchanges``:
    for a twinning, what was done under it. ``provisions``: for each policy paper or action
    plan in ``before``, what it says about local governments. Each list is chronological. An
    undated record has no milestones before it or concurrent with it.

    >>> import sinoperu
    >>> found = context(sinoperu.load(), "tw-cusco-kaiping", years=1)
    >>> [m.id for m in found.before][-2:]
    ['ms-2025-celac-forum-ministerial-4', 'ms-2025-joint-action-plan-2025-2027']
    >>> [(m.id, len(p)) for m, p in found.provisions]
    [('ms-2025-joint-action-plan-2025-2027', 1)]
    """
    if type(years) is not int or years < 0:
        raise ValueError(f"years must be a whole number of years, 0 or more, got {years!r}")
    found = _record(dataset, record)
    date = found.date
    before: list[Milestone] = []
    concurrent: list[Milestone] = []
    if date is not None:
        floor = None if date.earliest is None else _years_back(date.earliest, years)
        for milestone in dataset.milestones:
            other = milestone.date
            if other is None or milestone is found:
                continue
            if other.certainly_before(date):
                # certainly_before needs both ends known: other.latest and date.earliest are set.
                if floor is not None and other.latest is not None and other.latest >= floor:
                    before.append(milestone)
            elif other.overlaps(date):
                concurrent.append(milestone)
    exchanges = exchanges_of(dataset, found) if isinstance(found, Twinning) else ()
    ordered = _chronological(before)
    return Context(
        record=found,
        years=years,
        before=ordered,
        concurrent=_chronological(concurrent),
        exchanges=exchanges,
        provisions=tuple((m, m.subnational) for m in ordered if m.kind in PAPER_KINDS),
    )


# --- periods ------------------------------------------------------------------------


@frozen
class Period:
    """The records between two cuts: from ``start`` (inclusive) to ``end`` (exclusive).

    ``start`` is ``None`` for the period before the first cut, ``end`` for the one from the
    last cut on. ``twinnings`` and ``exchanges`` hold the ids of records certainly inside;
    ``uncertain_twinnings`` and ``uncertain_exchanges`` those that may be inside but may
    also be in another period (a record of year precision across a cut, an interval...).
    ``opened_by`` names the milestones whose dates made the start cut.
    """

    start: datetime.date | None
    end: datetime.date | None
    opened_by: tuple[str, ...]
    twinnings: tuple[str, ...]
    exchanges: tuple[str, ...]
    uncertain_twinnings: tuple[str, ...]
    uncertain_exchanges: tuple[str, ...]

    @property
    def label(self) -> str:
        """``"2008-11-05 – 2014-07-16"``, with ``…`` for an open end."""
        last = None if self.end is None else self.end - datetime.timedelta(days=1)
        return f"{self.start or '…'} – {last or '…'}"

    def counts(self) -> dict[str, int]:
        """The number of ids in each list."""
        return {
            "twinnings": len(self.twinnings),
            "exchanges": len(self.exchanges),
            "uncertain_twinnings": len(self.uncertain_twinnings),
            "uncertain_exchanges": len(self.uncertain_exchanges),
        }


@frozen
class Periods(Sequence[Period]):
    """The periods in order, and the undated records that no period can hold."""

    periods: tuple[Period, ...]
    undated_twinnings: tuple[str, ...]
    undated_exchanges: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.periods)

    def __iter__(self) -> Iterator[Period]:
        return iter(self.periods)

    def __getitem__(self, index: Any) -> Any:
        return self.periods[index]

    def to_text(self) -> str:
        """One line per period, then the undated counts."""
        lines = [
            f"{p.label:25} twinnings {len(p.twinnings)} (+{len(p.uncertain_twinnings)} uncertain), "
            f"exchanges {len(p.exchanges)} (+{len(p.uncertain_exchanges)} uncertain)"
            for p in self.periods
        ]
        lines.append(
            f"undated: twinnings {len(self.undated_twinnings)}, exchanges {len(self.undated_exchanges)}"
        )
        return "\n".join(lines)


def _cut_day(value: object) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    if type(value) is int:
        return PartialDate(value).earliest
    if isinstance(value, PartialDate) and value.qualifier is None:
        return value.earliest
    raise TypeError(f"a cut is a datetime.date, a year or a plain PartialDate, got {value!r}")


def periods(dataset: DatasetLike, cuts: Iterable[datetime.date | PartialDate | int] | None = None) -> Periods:
    """Twinnings and exchanges between consecutive cuts (see :class:`Period`).

    The default cuts are the days of the milestones of :data:`CUT_KINDS` with a plain date
    (a qualified or interval date cannot say on which day to cut). A cut given as a year or
    a month cuts at its first day. Every record is counted once: certainly inside one period,
    uncertain (listed in each period it may be in), or undated.

    >>> import sinoperu
    >>> found = periods(sinoperu.load())
    >>> found[0].label, found[0].twinnings
    ('… – 2008-11-04', ('tw-lima-beijing', 'tw-arequipa-guangzhou'))
    >>> len(found.undated_twinnings)
    1
    """
    opened: dict[datetime.date, list[str]] = {}
    if cuts is None:
        for milestone in dataset.milestones:
            date = milestone.date
            if milestone.kind in CUT_KINDS and isinstance(date, PartialDate) and date.qualifier is None:
                opened.setdefault(date.earliest, []).append(milestone.id)
    else:
        if isinstance(cuts, (str, bytes)):
            raise TypeError("cuts is a list of dates or years, not text")
        for cut in cuts:
            opened.setdefault(_cut_day(cut), [])
    days = sorted(opened)
    bounds: list[tuple[datetime.date | None, datetime.date | None]] = list(
        zip([None, *days], [*days, None], strict=True)
    )
    certain: list[dict[str, list[str]]] = [{"tw": [], "ex": []} for _ in bounds]
    uncertain: list[dict[str, list[str]]] = [{"tw": [], "ex": []} for _ in bounds]
    undated: dict[str, list[str]] = {"tw": [], "ex": []}
    for kind, records in (("tw", dataset.twinnings), ("ex", dataset.exchanges)):
        for record in records:
            date = record.date
            if date is None:
                undated[kind].append(record.id)
                continue
            first, last = date.earliest, date.latest
            possible = [
                n
                for n, (start, end) in enumerate(bounds)
                if (start is None or last is None or last >= start)
                and (end is None or first is None or first < end)
            ]
            if len(possible) == 1:  # the spans of the periods tile the calendar: one means certain
                certain[possible[0]][kind].append(record.id)
            else:
                for n in possible:
                    uncertain[n][kind].append(record.id)
    return Periods(
        periods=tuple(
            Period(
                start=start,
                end=end,
                opened_by=() if start is None else tuple(opened[start]),
                twinnings=tuple(certain[n]["tw"]),
                exchanges=tuple(certain[n]["ex"]),
                uncertain_twinnings=tuple(uncertain[n]["tw"]),
                uncertain_exchanges=tuple(uncertain[n]["ex"]),
            )
            for n, (start, end) in enumerate(bounds)
        ),
        undated_twinnings=tuple(undated["tw"]),
        undated_exchanges=tuple(undated["ex"]),
    )


# --- panels -------------------------------------------------------------------------

#: The units :func:`panel` builds, and the columns of their rows, in order.
PANEL_UNITS: Final[dict[str, tuple[str, ...]]] = {
    "relation-year": (
        "twinning",
        "year",
        "peruvian_party",
        "chinese_party",
        "peruvian_division",
        "chinese_division",
        "kind",
        "status",
        "evidence",
        "date",
        "end_date",
        "date_certain",
    ),
    "place-year": ("place", "name", "country", "kind", "division", "year", "twinnings", "uncertain"),
    "dyad-year": (
        "peruvian_division",
        "chinese_division",
        "year",
        "twinnings",
        *(f"kind_{k.value}" for k in TwinningKind),
        *(f"evidence_{e.value}" for e in Evidence),
    ),
}


@frozen
class Panel(Sequence[dict[str, Any]]):
    """Rows of a panel (plain dicts with the keys of ``columns``), and the ids of the undated
    twinnings, which no year can hold (``undated``)."""

    unit: str
    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    undated: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __getitem__(self, index: Any) -> Any:
        return self.rows[index]


def _first_year(date: Dated) -> int:
    # The earliest possible year; an open start ("../2021-04-29") has none, so the year by
    # which the relation certainly existed.
    first = date.earliest if date.earliest is not None else date.latest
    assert first is not None  # an interval has at least one end
    return first.year


def _relation_years(
    dataset: DatasetLike, start: int | None, end: int | None
) -> tuple[list[dict[str, Any]], list[str]]:
    rows: list[dict[str, Any]] = []
    undated: list[str] = []
    as_of = None if dataset.as_of is None else dataset.as_of.year
    divisions: dict[str, str | None] = {}

    def division(place_id: str) -> str | None:
        if place_id not in divisions:
            found = division_of(dataset, place_id)
            divisions[place_id] = None if found is None else found.id
        return divisions[place_id]

    for twinning in dataset.twinnings:
        date = twinning.date
        if date is None:
            undated.append(twinning.id)
            continue
        first = _first_year(date)
        last = twinning.end_date.year if twinning.end_date is not None else (end if as_of is None else as_of)
        if last is None:
            raise ValueError(
                f"{twinning.id!r} has no end date and the dataset no as_of: pass end= to close the panel"
            )
        certain = date.in_years(first, first)
        for year in range(max(first, start or first), min(last, last if end is None else end) + 1):
            rows.append(
                {
                    "twinning": twinning.id,
                    "year": year,
                    "peruvian_party": twinning.peruvian_party,
                    "chinese_party": twinning.chinese_party,
                    "peruvian_division": division(twinning.peruvian_party),
                    "chinese_division": division(twinning.chinese_party),
                    "kind": twinning.kind.value,
                    "status": twinning.status.value,
                    "evidence": twinning.evidence.value,
                    "date": date.isoformat(),
                    "end_date": _text(twinning.end_date),
                    "date_certain": certain,
                }
            )
    return rows, undated


def panel(dataset: DatasetLike, unit: str, start: int | None = None, end: int | None = None) -> Panel:
    """A panel of the twinnings: ``"relation-year"``, ``"place-year"`` or ``"dyad-year"``.

    * ``"relation-year"``: one row per twinning per year, from the earliest year its date
      allows (``date_certain`` is False when the date may lie in another year too) to the
      year of its ``end_date``, or the dataset's ``as_of`` year when it has none. Undated
      twinnings are left out and listed in :attr:`Panel.undated`.
    * ``"place-year"``: every place that is party to a dated twinning, every year of the
      panel, with the number of twinnings it was party to that year (``uncertain``: how many
      of them have an uncertain first year). Zero rows are kept: the panel is balanced.
    * ``"dyad-year"``: Peruvian first-level division × Chinese first-level division × year,
      for every pair of divisions that has a dated twinning, every year of the panel; counts
      in all, by kind (``kind_*``) and by evidence grade (``evidence_*``).

    ``start`` and ``end`` (inclusive years) clip the panel; by default it runs from the
    first year of any twinning to the last.

    >>> import sinoperu
    >>> rows = panel(sinoperu.load(), "relation-year", end=1985)
    >>> [(r["twinning"], r["year"]) for r in rows]
    [('tw-lima-beijing', 1983), ('tw-lima-beijing', 1984), ('tw-lima-beijing', 1985)]
    >>> rows.undated
    ('tw-cusco-xian',)
    """
    if unit not in PANEL_UNITS:
        raise ValueError(f"unknown panel unit {unit!r}; valid units are {', '.join(map(repr, PANEL_UNITS))}")
    for label, value in (("start", start), ("end", end)):
        if value is not None and type(value) is not int:
            raise TypeError(f"panel {label} must be an int year, got {type(value).__name__}")
    if start is not None and end is not None and end < start:
        raise ValueError(f"panel range is empty: end {end} comes before start {start}")
    relation, undated = _relation_years(dataset, start, end)
    columns = PANEL_UNITS[unit]
    if unit == "relation-year":
        return Panel(unit, columns, tuple(relation), tuple(undated))
    years = [r["year"] for r in relation]
    span = range(
        start if start is not None else min(years, default=0),
        (end if end is not None else max(years, default=-1)) + 1,
    )
    rows = _place_years(dataset, relation, span) if unit == "place-year" else _dyad_years(relation, span)
    return Panel(unit, columns, tuple(rows), tuple(undated))


def _place_years(dataset: DatasetLike, relation: list[dict[str, Any]], span: range) -> list[dict[str, Any]]:
    counts: Counter[tuple[str, int]] = Counter()
    uncertain: Counter[tuple[str, int]] = Counter()
    parties: dict[str, None] = {}
    for row in relation:
        for side in ("peruvian_party", "chinese_party"):
            key = (row[side], row["year"])
            parties[row[side]] = None
            counts[key] += 1
            uncertain[key] += not row["date_certain"]
    rows: list[dict[str, Any]] = []
    for place_id in sorted(parties):
        place = _place(dataset, place_id)
        division = division_of(dataset, place)
        for year in span:
            rows.append(
                {
                    "place": place.id,
                    "name": place.name,
                    "country": place.country,
                    "kind": place.kind.value,
                    "division": None if division is None else division.id,
                    "year": year,
                    "twinnings": counts[(place_id, year)],
                    "uncertain": uncertain[(place_id, year)],
                }
            )
    return rows


def _dyad_years(relation: list[dict[str, Any]], span: range) -> list[dict[str, Any]]:
    counts: dict[tuple[str | None, str | None, int], Counter[str]] = {}
    dyads: dict[tuple[str | None, str | None], None] = {}
    for row in relation:
        dyad = (row["peruvian_division"], row["chinese_division"])
        dyads[dyad] = None
        found = counts.setdefault((*dyad, row["year"]), Counter())
        found["twinnings"] += 1
        found[f"kind_{row['kind']}"] += 1
        found[f"evidence_{row['evidence']}"] += 1
    columns = PANEL_UNITS["dyad-year"]
    rows: list[dict[str, Any]] = []
    for peruvian, chinese in sorted(dyads, key=lambda d: (d[0] or "", d[1] or "")):
        for year in span:
            found = counts.get((peruvian, chinese, year), Counter())
            cells: dict[str, Any] = {"peruvian_division": peruvian, "chinese_division": chinese, "year": year}
            cells.update({name: found[name] for name in columns[3:]})
            rows.append(cells)
    return rows
