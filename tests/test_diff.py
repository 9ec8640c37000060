"""What changed between two datasets: properties on generated pairs, and the real data."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sinoperu
from sinoperu import Dataset, Evidence, PartialDate, Source
from sinoperu import strategies as sps
from sinoperu.diff import SECTIONS, DatasetDiff, FieldChange, diff
from sinoperu.errors import InvalidFieldError

ROOT = Path(__file__).resolve().parent.parent


# --- generated pairs: two edits of one dataset ------------------------------------------


@st.composite
def _edit_sources(draw: st.DrawFn, sources: tuple[Source, ...]) -> tuple[Source, ...]:
    items = list(sources)
    if draw(st.booleans()):
        items = draw(st.permutations(items))
    if len(items) > 1 and draw(st.booleans()):
        del items[draw(st.integers(0, len(items) - 1))]
    if draw(st.booleans()):
        items.append(draw(sps.sources()))
    if draw(st.booleans()):
        n = draw(st.integers(0, len(items) - 1))
        items[n] = attrs.evolve(items[n], title=draw(sps.texts()), published=draw(sps.partial_dates()))
    if draw(st.booleans()):  # a second page at an address already cited
        items.append(attrs.evolve(items[0], title=draw(sps.texts())))
    return tuple(items)


@st.composite
def _edited(draw: st.DrawFn, dataset: Dataset) -> Dataset:
    """``dataset`` with some records dropped and some fields and sources changed."""

    def edit(item: Any, changes: dict[str, Any]) -> Any:
        if not draw(st.booleans()):
            return item
        changes = {k: v for k, v in changes.items() if draw(st.booleans())}
        changes["sources"] = draw(_edit_sources(item.sources))
        try:
            return attrs.evolve(item, **changes)
        except InvalidFieldError:  # e.g. two equal sources: keep the record as it was
            return item

    places = [edit(p, {"name": draw(sps.texts()), "notes": draw(sps.texts())}) for p in dataset.places]
    twinnings = [
        edit(t, {"evidence": draw(st.sampled_from(Evidence)), "date": draw(st.none() | sps.partial_dates())})
        for t in dataset.twinnings
        if draw(st.integers(0, 3))  # drop about one in four
    ]
    kept = {t.id for t in twinnings}
    milestones = [
        edit(m, {"title": draw(sps.texts()), "summary": draw(sps.texts())})
        for m in dataset.milestones
        if draw(st.integers(0, 3))
    ]
    exchanges = [
        edit(e, {"summary": draw(sps.texts())})
        for e in dataset.exchanges
        if e.twinning in kept and draw(st.integers(0, 3))
    ]
    return Dataset(
        places=places,
        twinnings=twinnings,
        milestones=milestones,
        exchanges=exchanges,
        version=draw(st.sampled_from(("old", "new"))),
        as_of=dataset.as_of,
    )


@st.composite
def pairs(draw: st.DrawFn) -> tuple[Dataset, Dataset]:
    base = draw(sps.datasets())
    return draw(_edited(base)), draw(_edited(base))


def _content(dataset: Dataset) -> tuple[Any, ...]:
    return tuple(getattr(dataset, section) for section in SECTIONS)


def _apply_sources(sources: tuple[Source, ...], change: Any) -> tuple[Source, ...]:
    """Rebuild the new sources from the old ones and a SourceChanges, as a reader would."""
    by_url: dict[str, list[Source]] = {}
    for source in sources:
        by_url.setdefault(source.url, []).append(source)
    for source in change.removed:  # the unpaired extras are the last occurrences
        by_url[source.url].pop()
    for fix in change.changed:
        by_url[fix.url][fix.occurrence] = attrs.evolve(
            by_url[fix.url][fix.occurrence], **{f.field: f.new for f in fix.fields}
        )
    for source in change.added:
        by_url.setdefault(source.url, []).append(source)
    if change.order is None:
        order = [s.url for s in sources]
        for source in change.removed:
            del order[len(order) - 1 - order[::-1].index(source.url)]
        order += [s.url for s in change.added]
    else:
        order = list(change.order)
    taken: dict[str, int] = {}
    result = []
    for url in order:
        result.append(by_url[url][taken.get(url, 0)])
        taken[url] = taken.get(url, 0) + 1
    return tuple(result)


def _apply(old: Dataset, change: DatasetDiff) -> Dataset:
    """Rebuild the new dataset from the old one and the diff alone."""
    removed = {entry.id for entry in change.removed}
    changed = {c.id: c for c in change.changed}
    sections: dict[str, list[Any]] = {}
    for section in SECTIONS:
        items = []
        for item in getattr(old, section):
            if item.id in removed:
                continue
            if item.id in changed:
                c = changed[item.id]
                item = attrs.evolve(
                    item,
                    **{f.field: f.new for f in c.fields},
                    sources=_apply_sources(item.sources, c.sources),
                )
            items.append(item)
        sections[section] = items
    for entry in change.added:
        sections[entry.type + "s"].append(entry.item)
    return Dataset(**sections, version=change.new_version, as_of=change.new_as_of)


@given(sps.datasets())
def test_a_dataset_has_no_difference_with_itself(dataset: Dataset) -> None:
    change = dataset.diff(dataset)
    assert change.is_empty
    assert change.added == change.removed == change.changed == ()
    assert change.as_dict()["changed"] == []


@given(pairs())
def test_the_diff_is_complete_and_exact(pair: tuple[Dataset, Dataset]) -> None:
    a, b = pair
    change = a.diff(b)
    assert change.is_empty == (_content(a) == _content(b))
    assert _apply(a, change) == b  # nothing the new data holds is missing from the diff
    ids_a = {item.id for section in SECTIONS for item in getattr(a, section)}
    ids_b = {item.id for section in SECTIONS for item in getattr(b, section)}
    assert {e.id for e in change.added} == ids_b - ids_a
    assert {e.id for e in change.removed} == ids_a - ids_b
    for record in change.changed:  # a changed field lists its old and its new value
        before, after = a.get(record.id), b.get(record.id)
        assert before != after
        for field in record.fields:
            assert field.old == getattr(before, field.field)
            assert field.new == getattr(after, field.field)
            assert field.old != field.new
        assert record.fields or not record.sources.is_empty


@given(pairs())
def test_the_diff_backwards_is_the_diff_inverted(pair: tuple[Dataset, Dataset]) -> None:
    a, b = pair
    forwards, backwards = a.diff(b), b.diff(a)
    assert backwards == forwards.inverted()
    assert [e.item for e in forwards.added] == [e.item for e in backwards.removed]
    assert forwards.inverted().inverted() == forwards
    data = json.loads(forwards.to_json())  # and the JSON form is plain data
    assert data == forwards.as_dict()
    assert len(data["added"]) == len(forwards.added)
    assert data["old"]["version"] == a.version


# --- the real data ---------------------------------------------------------------------------


def _twinning_edited(bundled: Dataset, id: str, **changes: Any) -> Dataset:
    return Dataset(
        places=bundled.places,
        twinnings=[attrs.evolve(t, **changes) if t.id == id else t for t in bundled.twinnings],
        milestones=bundled.milestones,
        exchanges=bundled.exchanges,
        version="2027.01.01",
        as_of=PartialDate(2027, 1, 1),
    )


def test_dates_grades_and_sources_are_reported_field_by_field(bundled: Dataset) -> None:
    shanghai = bundled.lookup("tw-lima-shanghai")
    assert isinstance(shanghai, sinoperu.Twinning)
    first, *rest = shanghai.sources
    new_page = Source(url="https://example.org/new", title="A new page", publisher="Example", language="en")
    edited = _twinning_edited(
        bundled,
        "tw-lima-shanghai",
        date=PartialDate(2018, 7, 21),
        evidence=Evidence.REPORTED,
        sources=(attrs.evolve(first, title="Corrected title"), *rest[1:], new_page),
    )
    change = bundled.diff(edited)
    (record,) = change.changed
    assert record.id == "tw-lima-shanghai"
    assert record.new_label == "Lima – Shanghai"
    old_date = bundled.lookup("tw-lima-shanghai").date
    assert FieldChange("date", old_date, PartialDate(2018, 7, 21)) in record.fields
    assert FieldChange("evidence", Evidence.CONFIRMED, Evidence.REPORTED) in record.fields
    assert [s.url for s in record.sources.added] == ["https://example.org/new"]
    assert [s.url for s in record.sources.removed] == [rest[0].url]
    (fix,) = record.sources.changed
    assert fix.url == first.url
    assert fix.fields == (FieldChange("title", first.title, "Corrected title"),)
    assert record.sources.order is None

    text = change.to_text()
    assert text.splitlines()[0] == (
        "Data 2026.12.01 (as of 2026-12-01) -> 2027.01.01 (as of 2027-01-01): 0 added, 0 removed, 1 changed"
    )
    assert "    date: 2018-07-19/2018-07-22 -> 2018-07-21" in text
    assert "    evidence: confirmed -> reported" in text
    assert "    source added: https://example.org/new" in text
    assert f"    source removed: {rest[0].url}" in text
    assert f"    source {first.url}: title {first.title!r} -> 'Corrected title'" in text

    data = change.as_dict()["changed"][0]
    assert {"field": "date", "old": str(old_date), "new": "2018-07-21"} in data["fields"]
    assert data["sources"]["added"][0]["url"] == "https://example.org/new"


def test_reordered_sources_say_so(bundled: Dataset) -> None:
    record = next(t for t in bundled.twinnings if len(t.sources) >= 2)
    reordered = tuple(reversed(record.sources))
    (change,) = bundled.diff(_twinning_edited(bundled, record.id, sources=reordered)).changed
    assert change.fields == ()
    assert change.sources.order == tuple(s.url for s in reordered)
    assert (
        "sources reordered: "
        in bundled.diff(_twinning_edited(bundled, record.id, sources=reordered)).to_text()
    )


def test_a_removed_twinning_takes_its_label_from_the_old_data(bundled: Dataset) -> None:
    smaller = Dataset(
        places=bundled.places,
        twinnings=[t for t in bundled.twinnings if t.id != "tw-chimbote-zhangzhou"],
        milestones=bundled.milestones,
        exchanges=[e for e in bundled.exchanges if e.twinning != "tw-chimbote-zhangzhou"],
        version=bundled.version,
        as_of=bundled.as_of,
    )
    change = bundled.diff(smaller)
    removed = {e.id: e for e in change.removed}
    assert removed["tw-chimbote-zhangzhou"].label == "Santa – Zhangzhou"
    assert removed["tw-chimbote-zhangzhou"].type == "twinning"
    assert "  twinning tw-chimbote-zhangzhou (Santa – Zhangzhou)" in change.to_text()
    assert smaller.diff(bundled).added == change.removed


def test_diff_refuses_what_is_not_a_dataset(bundled: Dataset) -> None:
    with pytest.raises(TypeError, match="new is a dict"):
        diff(bundled, {})  # type: ignore[arg-type]


# --- command line and changelog script -------------------------------------------------------


def _write(dataset: Dataset, path: Path) -> Path:
    path.write_text(sinoperu.to_json(dataset), encoding="utf-8")
    return path


def test_cli_diff_text_and_json(tmp_path: Path, bundled: Dataset) -> None:
    old = _write(bundled, tmp_path / "old.json")
    new = _write(
        _twinning_edited(bundled, "tw-lima-shanghai", evidence=Evidence.REPORTED), tmp_path / "new.json"
    )
    command = [sys.executable, "-m", "sinoperu", "diff", str(old), str(new)]
    text = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", check=True).stdout
    assert "evidence: confirmed -> reported" in text
    out = subprocess.run(
        [*command, "--format", "json"], capture_output=True, text=True, encoding="utf-8", check=True
    ).stdout
    data = json.loads(out)
    assert data["changed"][0]["fields"] == [{"field": "evidence", "old": "confirmed", "new": "reported"}]


def test_changelog_script_writes_the_data_section(tmp_path: Path, bundled: Dataset) -> None:
    old = _write(bundled, tmp_path / "old.json")
    new = _write(
        _twinning_edited(bundled, "tw-lima-shanghai", evidence=Evidence.REPORTED), tmp_path / "new.json"
    )
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "changelog_data.py"), str(old), str(new)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    lines = result.stdout.splitlines()
    assert lines[0] == "### Data (2027.01.01)"
    assert any(
        "`tw-lima-shanghai` (Lima – Shanghai): evidence confirmed → reported" in line for line in lines
    )
