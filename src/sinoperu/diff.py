"""What changed between two versions of the data: records added, removed and changed, field by field.

Places and records are matched by id. A kept record lists each field whose value changed,
with the old and the new value; its sources are matched by URL, so a new page, a page
dropped and a page whose title or date was corrected are told apart.

>>> import sinoperu
>>> from attrs import evolve
>>> old = sinoperu.load()
>>> shanghai = old.lookup("tw-lima-shanghai")
>>> new = sinoperu.Dataset(
...     places=old.places,
...     twinnings=[evolve(shanghai, evidence=sinoperu.Evidence.REPORTED) if t is shanghai else t
...                for t in old.twinnings],
...     milestones=old.milestones,
...     exchanges=old.exchanges,
...     version="2027.01.01",
... )
>>> change = old.diff(new)
>>> print(change.to_text())
Data ... -> 2027.01.01: 0 added, 0 removed, 1 changed
Changed:
  twinning tw-lima-shanghai (Lima – Shanghai)
    evidence: confirmed -> reported
>>> old.diff(old).is_empty
True
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from enum import Enum
from typing import TYPE_CHECKING, Any, Final

import attrs
from attrs import field, frozen

from .dates import DateInterval, PartialDate
from .models import Exchange, Milestone, Place, Record, Source, Twinning

if TYPE_CHECKING:
    from .dataset import Dataset

__all__ = ["DatasetDiff", "Entry", "FieldChange", "RecordChange", "SourceChange", "SourceChanges", "diff"]

Item = Place | Record

#: The sections compared, in the order a diff lists them.
SECTIONS: Final = ("places", "twinnings", "milestones", "exchanges")
_TYPE_NAMES: Final[dict[type, str]] = {
    Place: "place",
    Twinning: "twinning",
    Milestone: "milestone",
    Exchange: "exchange",
}


def _plain(value: Any) -> Any:
    """A value as JSON data: enums as their text, dates as ISO text, tuples as lists."""
    from .serialize import converter

    return converter.unstructure(value)


def _shown(value: Any) -> str:
    """A value as short text for people."""
    if value is None:
        return "(none)"
    if isinstance(value, (PartialDate, DateInterval)):
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, str):
        return _clip(value)
    if isinstance(value, tuple):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    if attrs.has(type(value)):
        return ", ".join(f"{k} {_shown(v)}" for k, v in attrs.asdict(value, recurse=False).items())
    return str(value)


def _clip(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


@frozen
class FieldChange:
    """One field whose value changed; ``old`` and ``new`` are the values themselves."""

    field: str
    old: Any
    new: Any

    def inverted(self) -> FieldChange:
        """The same change seen from the other side."""
        return FieldChange(self.field, self.new, self.old)

    def as_dict(self) -> dict[str, Any]:
        """As JSON data."""
        return {"field": self.field, "old": _plain(self.old), "new": _plain(self.new)}

    def to_text(self, *, separator: str = ": ", arrow: str = "->") -> str:
        """``field: old -> new`` (a long text only says that it changed).

        >>> FieldChange("date", PartialDate(2018), PartialDate(2018, 7)).to_text(separator=" ", arrow="→")
        'date 2018 → 2018-07'
        """
        old, new = self.old, self.new
        if isinstance(old, str) and isinstance(new, str) and (len(old) > 80 or len(new) > 80):
            return f"{self.field}{separator}reworded (was {len(old)} characters, now {len(new)})"
        return f"{self.field}{separator}{_shown(old)} {arrow} {_shown(new)}"


@frozen
class SourceChange:
    """A source kept (same URL) whose other fields changed.

    ``occurrence`` tells apart two sources of one record that share a URL (0 for the first).
    """

    url: str
    fields: tuple[FieldChange, ...]
    occurrence: int = 0

    def inverted(self) -> SourceChange:
        """The same change seen from the other side."""
        return SourceChange(self.url, tuple(f.inverted() for f in self.fields), self.occurrence)


@frozen
class SourceChanges:
    """How a record's sources changed: pages added, removed, corrected, and a new order.

    ``order`` is the new sequence of URLs when it differs from the old one with the removed
    pages dropped and the added ones appended; otherwise None.
    """

    added: tuple[Source, ...] = ()
    removed: tuple[Source, ...] = ()
    changed: tuple[SourceChange, ...] = ()
    order: tuple[str, ...] | None = None
    old_order: tuple[str, ...] | None = field(default=None, repr=False)

    @property
    def is_empty(self) -> bool:
        """True when the sources did not change."""
        return not (self.added or self.removed or self.changed or self.order is not None)

    def inverted(self) -> SourceChanges:
        """The same changes seen from the other side."""
        return SourceChanges(
            added=self.removed,
            removed=self.added,
            changed=tuple(change.inverted() for change in self.changed),
            order=self.old_order,
            old_order=self.order,
        )

    def as_dict(self) -> dict[str, Any]:
        """As JSON data (added and removed sources in full)."""
        return {
            "added": [_plain(source) for source in self.added],
            "removed": [_plain(source) for source in self.removed],
            "changed": [
                {"url": c.url, "occurrence": c.occurrence, "fields": [f.as_dict() for f in c.fields]}
                for c in self.changed
            ],
            "order": None if self.order is None else list(self.order),
        }

    def lines(self) -> list[str]:
        """One line per change, for people."""
        lines = [f"source added: {source.url}" for source in self.added]
        lines += [f"source removed: {source.url}" for source in self.removed]
        for change in self.changed:
            which = change.url + (f" (#{change.occurrence + 1})" if change.occurrence else "")
            lines += [f"source {which}: {f.to_text(separator=' ')}" for f in change.fields]
        if self.order is not None:
            lines.append("sources reordered: " + ", ".join(self.order))
        return lines


@frozen
class Entry:
    """A place or record that one side has and the other lacks."""

    item: Item
    label: str

    @property
    def id(self) -> str:
        """The item's id."""
        return self.item.id

    @property
    def type(self) -> str:
        """``place``, ``twinning``, ``milestone`` or ``exchange``."""
        return _TYPE_NAMES[type(self.item)]

    def as_dict(self) -> dict[str, Any]:
        """As JSON data, the whole record included."""
        return {"type": self.type, "id": self.id, "label": self.label, "record": _plain(self.item)}


@frozen
class RecordChange:
    """A place or record on both sides whose content differs."""

    type: str
    id: str
    old_label: str
    new_label: str
    fields: tuple[FieldChange, ...]
    sources: SourceChanges = SourceChanges()

    def inverted(self) -> RecordChange:
        """The same change seen from the other side."""
        return RecordChange(
            self.type,
            self.id,
            self.new_label,
            self.old_label,
            tuple(f.inverted() for f in self.fields),
            self.sources.inverted(),
        )

    def as_dict(self) -> dict[str, Any]:
        """As JSON data."""
        return {
            "type": self.type,
            "id": self.id,
            "label": self.new_label,
            "fields": [f.as_dict() for f in self.fields],
            "sources": self.sources.as_dict(),
        }

    def lines(self) -> list[str]:
        """One line per changed field or source, for people."""
        return [f.to_text() for f in self.fields] + self.sources.lines()


@frozen
class DatasetDiff:
    """What changed from an old dataset to a new one (see :meth:`sinoperu.Dataset.diff`).

    ``added``, ``removed`` and ``changed`` list places first, then twinnings, milestones
    and exchanges; added and removed ones in their dataset's order, changed ones by id.
    """

    old_version: str
    new_version: str
    old_as_of: PartialDate | None
    new_as_of: PartialDate | None
    added: tuple[Entry, ...] = ()
    removed: tuple[Entry, ...] = ()
    changed: tuple[RecordChange, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when no place or record was added, removed or changed (versions aside)."""
        return not (self.added or self.removed or self.changed)

    def inverted(self) -> DatasetDiff:
        """The diff from the new dataset back to the old one."""
        return DatasetDiff(
            old_version=self.new_version,
            new_version=self.old_version,
            old_as_of=self.new_as_of,
            new_as_of=self.old_as_of,
            added=self.removed,
            removed=self.added,
            changed=tuple(change.inverted() for change in self.changed),
        )

    def as_dict(self) -> dict[str, Any]:
        """As JSON data: ``{"old": ..., "new": ..., "added": [...], "removed": [...], "changed": [...]}``."""

        def side(version: str, as_of: PartialDate | None) -> dict[str, Any]:
            return {"version": version, "as_of": None if as_of is None else as_of.isoformat()}

        return {
            "old": side(self.old_version, self.old_as_of),
            "new": side(self.new_version, self.new_as_of),
            "added": [entry.as_dict() for entry in self.added],
            "removed": [entry.as_dict() for entry in self.removed],
            "changed": [change.as_dict() for change in self.changed],
        }

    def to_json(self) -> str:
        """:meth:`as_dict` as JSON text."""
        return json.dumps(self.as_dict(), ensure_ascii=False, indent=2)

    def to_text(self) -> str:
        """A readable report, one line per record and per changed field."""

        def version(text: str, as_of: PartialDate | None) -> str:
            return text + (f" (as of {as_of})" if as_of is not None else "")

        old, new = version(self.old_version, self.old_as_of), version(self.new_version, self.new_as_of)
        lines = [
            f"Data {old} -> {new}: "
            f"{len(self.added)} added, {len(self.removed)} removed, {len(self.changed)} changed"
        ]
        for title, entries in (("Added", self.added), ("Removed", self.removed)):
            if entries:
                lines.append(f"{title}:")
                lines += [f"  {entry.type} {entry.id} ({entry.label})" for entry in entries]
        if self.changed:
            lines.append("Changed:")
            for change in self.changed:
                lines.append(f"  {change.type} {change.id} ({change.new_label})")
                lines += [f"    {line}" for line in change.lines()]
        return "\n".join(lines)


# --- computing a diff ------------------------------------------------------------------


def label(item: Item, places: Mapping[str, Place]) -> str:
    """A short human name: a place's name, a twinning's two parties, a record's title."""
    if isinstance(item, Place):
        return item.name + (f" {item.name_zh}" if item.name_zh else "")
    if isinstance(item, Twinning):
        return " – ".join(places[ref].name if ref in places else ref for ref in item.places)
    return item.title


def _source_changes(old: Sequence[Source], new: Sequence[Source]) -> SourceChanges:
    if tuple(old) == tuple(new):
        return SourceChanges()
    old_by_url: dict[str, list[Source]] = {}
    for source in old:
        old_by_url.setdefault(source.url, []).append(source)
    new_by_url: dict[str, list[Source]] = {}
    for source in new:
        new_by_url.setdefault(source.url, []).append(source)
    added: list[Source] = []
    changed: list[SourceChange] = []
    for url, news in new_by_url.items():
        olds = old_by_url.get(url, [])
        for occurrence, (before, after) in enumerate(zip(olds, news, strict=False)):
            fields = _field_changes(before, after)
            if fields:
                changed.append(SourceChange(url, fields, occurrence))
        added.extend(news[len(olds) :])
    changed.sort(key=lambda change: (change.url, change.occurrence))  # the same from either side
    removed = [s for url, olds in old_by_url.items() for s in olds[len(new_by_url.get(url, [])) :]]
    # The order a reader would expect: the old one without the removed pages, the added at the end.
    expected = _expected_order([s.url for s in old], [s.url for s in removed], [s.url for s in added])
    new_order = tuple(source.url for source in new)
    old_expected = _expected_order([s.url for s in new], [s.url for s in added], [s.url for s in removed])
    old_order = tuple(source.url for source in old)
    return SourceChanges(
        added=tuple(added),
        removed=tuple(removed),
        changed=tuple(changed),
        order=None if new_order == expected else new_order,
        old_order=None if old_order == old_expected else old_order,
    )


def _expected_order(start: list[str], dropped: list[str], appended: list[str]) -> tuple[str, ...]:
    kept = list(start)
    for url in dropped:  # drop the last occurrences: removal takes the unpaired extras
        del kept[len(kept) - 1 - kept[::-1].index(url)]
    return (*kept, *appended)


def _field_changes(old: Any, new: Any) -> tuple[FieldChange, ...]:
    changes = []
    for attribute in attrs.fields(type(old)):
        if attribute.name == "sources":
            continue
        before, after = getattr(old, attribute.name), getattr(new, attribute.name)
        if before != after:
            changes.append(FieldChange(attribute.name, before, after))
    return tuple(changes)


def _items(dataset: Dataset) -> Iterable[Item]:
    for section in SECTIONS:
        yield from getattr(dataset, section)


def diff(old: Dataset, new: Dataset) -> DatasetDiff:
    """What changed from ``old`` to ``new``; see :class:`DatasetDiff`."""
    for name, value in (("old", old), ("new", new)):  # a Dataset, known by what it holds
        if not all(hasattr(value, section) for section in SECTIONS):
            raise TypeError(f"diff compares two Datasets; {name} is a {type(value).__name__}")
    old_places = {place.id: place for place in old.places}
    new_places = {place.id: place for place in new.places}
    old_items = {item.id: item for item in _items(old)}
    new_items = {item.id: item for item in _items(new)}
    added, changed = [], []
    for item in _items(new):
        before = old_items.get(item.id)
        if before is None or type(before) is not type(item):
            added.append(Entry(item, label(item, new_places)))
        elif before != item:
            changed.append(
                RecordChange(
                    _TYPE_NAMES[type(item)],
                    item.id,
                    label(before, old_places),
                    label(item, new_places),
                    _field_changes(before, item),
                    _source_changes(before.sources, item.sources),
                )
            )
    changed.sort(key=lambda change: (SECTIONS.index(change.type + "s"), change.id))  # either side
    removed = [
        Entry(item, label(item, old_places))
        for item in _items(old)
        if item.id not in new_items or type(new_items[item.id]) is not type(item)
    ]
    return DatasetDiff(
        old_version=old.version,
        new_version=new.version,
        old_as_of=old.as_of,
        new_as_of=new.as_of,
        added=tuple(added),
        removed=tuple(removed),
        changed=tuple(changed),
    )
