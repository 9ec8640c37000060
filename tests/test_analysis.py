"""Questions across levels: context, periods, panels and the network."""

from __future__ import annotations

import csv
import datetime
import io
import json
import subprocess
import sys
from collections import Counter
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sinoperu
from sinoperu import strategies
from sinoperu.analysis import (
    PANEL_UNITS,
    context,
    division_of,
    exchanges_of,
    panel,
    periods,
)
from sinoperu.dates import PartialDate, sort_key
from sinoperu.export.frames import panel_frame
from sinoperu.export.network import EDGE_COLUMNS, edge_list_csv, to_networkx
from sinoperu.models import Exchange, Milestone, Twinning


def _keys(items: Any) -> list[tuple[int, ...]]:
    return [sort_key(item.date) for item in items]


# --- context ------------------------------------------------------------------------


def test_a_month_is_concurrent_with_the_days_in_it(bundled: sinoperu.Dataset) -> None:
    found = bundled.context("tw-chancay-suzhou")
    before = {m.id for m in found.before}
    concurrent = {m.id for m in found.concurrent}
    for event in (
        "ms-2024-xi-jinping-state-visit",
        "ms-2024-chancay-port-inauguration",
        "ms-2024-fta-upgrade-protocol",
    ):
        assert event in concurrent
        assert event not in before
    # The visit is not before the twinning, and the twinning is not before the visit.
    visit, twinning = bundled.lookup("ms-2024-xi-jinping-state-visit"), bundled.lookup("tw-chancay-suzhou")
    assert isinstance(visit, Milestone)
    assert isinstance(twinning, Twinning)
    assert visit.date is not None
    assert twinning.date is not None
    assert not visit.date.certainly_before(twinning.date)
    assert not twinning.date.certainly_before(visit.date)
    # And from the visit's side: the other events of 14 November 2024 are concurrent with it.
    assert "ms-2024-fta-upgrade-protocol" in {m.id for m in bundled.context(visit).concurrent}


def test_context_lists_exchanges_and_provisions(bundled: sinoperu.Dataset) -> None:
    found = context(bundled, "tw-chancay-suzhou")
    assert [e.id for e in found.exchanges] == [e.id for e in exchanges_of(bundled, "tw-chancay-suzhou")]
    assert {e.twinning for e in found.exchanges} == {"tw-chancay-suzhou"}
    papers = [m for m in found.before if m.kind.value in ("policy_paper", "action_plan")]
    assert [m.id for m, _ in found.provisions] == [m.id for m in papers]
    assert all(p == m.subnational for m, p in found.provisions)
    assert "ms-2024-joint-action-plan-2024-2029" in [m.id for m, _ in found.provisions]


def test_the_window_limits_before(bundled: sinoperu.Dataset) -> None:
    wide = {m.id for m in context(bundled, "tw-cusco-kaiping", years=50).before}
    narrow = {m.id for m in context(bundled, "tw-cusco-kaiping", years=1).before}
    assert narrow < wide
    assert "ms-2008-policy-paper-lac" in wide - narrow


def test_context_of_undated_and_milestone_records(bundled: sinoperu.Dataset) -> None:
    undated = context(bundled, "tw-cusco-xian")
    assert undated.before == ()
    assert undated.concurrent == ()
    assert "undated" in undated.to_text()
    paper = context(bundled, "ms-2016-policy-paper-lac")
    assert paper.record.id not in {m.id for m in paper.before + paper.concurrent}
    assert paper.exchanges == ()


def test_context_as_dict_and_text(bundled: sinoperu.Dataset) -> None:
    found = bundled.context("tw-chancay-suzhou")
    data = json.loads(json.dumps(found.as_dict()))
    assert data["record"] == "tw-chancay-suzhou"
    assert data["date"] == "2024-11"
    assert [m["id"] for m in data["concurrent"]] == [m.id for m in found.concurrent]
    assert [e["id"] for e in data["exchanges"]] == [e.id for e in found.exchanges]
    text = found.to_text()
    assert text.splitlines()[0] == "tw-chancay-suzhou (2024-11)"
    assert text.index("concurrent") < text.index("ms-2024-xi-jinping-state-visit")


@pytest.mark.parametrize(
    ("record", "years", "error", "message"),
    [
        ("no-such-id", 2, LookupError, "no record of this dataset has the id 'no-such-id'"),
        ("pe", 2, LookupError, "'pe' is a place, not a record"),
        ("tw-lima-beijing", -1, ValueError, "years must be a whole number"),
        ("tw-lima-beijing", 1.5, ValueError, "years must be a whole number"),
        (42, 2, TypeError, "expected a record or its id, got int"),
    ],
)
def test_context_bad_input(
    bundled: sinoperu.Dataset, record: Any, years: Any, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        context(bundled, record, years=years)


@given(strategies.datasets(), st.integers(0, 30))
def test_context_before_is_certainly_before_and_complete(dataset: sinoperu.Dataset, years: int) -> None:
    for record in dataset.records:
        found = context(dataset, record, years=years)
        date = record.date
        assert _keys(found.before) == sorted(_keys(found.before))
        assert _keys(found.concurrent) == sorted(_keys(found.concurrent))
        assert not {m.id for m in found.before} & {m.id for m in found.concurrent}
        for milestone in found.before:
            assert date is not None
            assert milestone.date is not None
            assert milestone.date.certainly_before(date)
            assert milestone.date.latest is not None
            assert date.earliest is not None
            # Could be no more than `years` years before: within years * 366 days at most.
            assert (date.earliest - milestone.date.latest).days <= years * 366
        for milestone in found.concurrent:
            assert date is not None
            assert milestone.date is not None
            assert milestone.date.overlaps(date)
        listed = {m.id for m in found.before + found.concurrent}
        for milestone in dataset.milestones:
            if milestone.id in listed or milestone is record:
                continue
            # Left out: undated, certainly after, or certainly before but outside the window.
            if date is None or milestone.date is None:
                continue
            assert not milestone.date.overlaps(date)
            if milestone.date.certainly_before(date):
                assert date.earliest is not None
                assert milestone.date.latest is not None
                assert (date.earliest - milestone.date.latest).days > years * 365
        if isinstance(record, Twinning):
            assert {e.id for e in found.exchanges} == {
                e.id for e in dataset.exchanges if e.twinning == record.id
            }


# --- navigation ---------------------------------------------------------------------


@given(strategies.datasets())
def test_division_is_the_place_below_a_country(dataset: sinoperu.Dataset) -> None:
    for place in dataset.places:
        division = division_of(dataset, place)
        if division is None:
            assert place.kind.value == "country" or place.parent is None
            continue
        parent = dataset.get(division.parent or "")
        assert isinstance(parent, sinoperu.Place)
        assert parent.kind.value == "country"


def test_division_of_the_bundled_places(bundled: sinoperu.Dataset) -> None:
    assert division_of(bundled, bundled.place("Kaiping")).name == "Guangdong"  # type: ignore[union-attr]
    assert division_of(bundled, bundled.place("Machupicchu")).id == "pe-cus"  # type: ignore[union-attr]
    with pytest.raises(LookupError, match="no place of this dataset has the id 'tw-lima-beijing'"):
        division_of(bundled, "tw-lima-beijing")
    with pytest.raises(TypeError, match="is a milestone, not a twinning"):
        exchanges_of(bundled, "ms-2016-policy-paper-lac")


# --- periods ------------------------------------------------------------------------


def test_default_cuts_come_from_the_data(bundled: sinoperu.Dataset) -> None:
    found = bundled.periods()
    opened = [m for p in found for m in p.opened_by]
    kinds = {m.kind.value for m in bundled.milestones if m.id in opened}
    assert kinds == {"policy_paper", "forum_founding", "ministerial_meeting"}
    assert "ms-2008-policy-paper-lac" in opened
    assert found[0].start is None
    assert found[-1].end is None
    assert [p.end for p in found][:-1] == [p.start for p in found][1:]
    assert "tw-chancay-suzhou" in next(p for p in found if p.start == datetime.date(2021, 12, 3)).twinnings
    undated = [t.id for t in bundled.twinnings if t.date is None]
    assert len(found.undated_twinnings) == len(undated)
    assert f"undated: twinnings {len(undated)}" in found.to_text()


def test_a_year_across_a_cut_is_uncertain(bundled: sinoperu.Dataset) -> None:
    found = periods(bundled, cuts=[datetime.date(2024, 6, 1)])
    assert [p.start for p in found] == [None, datetime.date(2024, 6, 1)]
    # ex-2024-hubei-ucayali-intent-renewal is dated only "2024".
    for period in found:
        assert "ex-2024-hubei-ucayali-intent-renewal" in period.uncertain_exchanges
        assert "ex-2024-hubei-ucayali-intent-renewal" not in period.exchanges
    assert found[0].counts()["twinnings"] == 11
    assert [p.start for p in periods(bundled, cuts=[2016, PartialDate(2010, 5)])][1:] == [
        datetime.date(2010, 5, 1),
        datetime.date(2016, 1, 1),
    ]


@pytest.mark.parametrize("cuts", ["2016", [PartialDate(2016, qualifier=sinoperu.Qualifier.UNCERTAIN)], [1.5]])
def test_bad_cuts(bundled: sinoperu.Dataset, cuts: Any) -> None:
    with pytest.raises(TypeError, match="cut"):
        periods(bundled, cuts=cuts)


@given(
    strategies.datasets(),
    st.none() | st.lists(st.dates(datetime.date(1940, 1, 1), datetime.date(2030, 12, 31)), max_size=5),
)
def test_periods_account_for_every_record(
    dataset: sinoperu.Dataset, cuts: list[datetime.date] | None
) -> None:
    found = periods(dataset, cuts)
    for kind, records in (("twinnings", dataset.twinnings), ("exchanges", dataset.exchanges)):
        certain = [i for p in found for i in getattr(p, kind)]
        uncertain = {i for p in found for i in getattr(p, f"uncertain_{kind}")}
        undated = list(getattr(found, f"undated_{kind}"))
        assert len(certain) == len(set(certain))  # certainly inside one period only
        assert not set(certain) & uncertain
        assert len(certain) + len(uncertain) + len(undated) == len(records)
        assert set(certain) | uncertain | set(undated) == {r.id for r in records}
        for period in found:
            for record_id in getattr(period, kind):
                date = dataset.lookup(record_id).date  # type: ignore[union-attr]
                assert date is not None
                assert period.start is None or (date.earliest is not None and date.earliest >= period.start)
                assert period.end is None or (date.latest is not None and date.latest < period.end)
        for record_id in uncertain:  # an uncertain record may be in two periods or more
            assert sum(record_id in getattr(p, f"uncertain_{kind}") for p in found) >= 2


# --- panels -------------------------------------------------------------------------


def _span(twinning: Twinning, as_of: int) -> int:
    assert twinning.date is not None
    first = twinning.date.earliest or twinning.date.latest
    assert first is not None
    last = twinning.end_date.year if twinning.end_date else as_of
    return max(0, last - first.year + 1)


def test_relation_year_rows(bundled: sinoperu.Dataset) -> None:
    rows = bundled.panel("relation-year")
    assert bundled.as_of is not None
    assert set(rows[0]) == set(PANEL_UNITS["relation-year"])
    by_twinning = Counter(r["twinning"] for r in rows)
    assert by_twinning["tw-lima-beijing"] == bundled.as_of.year - 1983 + 1
    assert set(rows.undated) == {t.id for t in bundled.twinnings if t.date is None}
    assert not set(rows.undated) & set(by_twinning)
    clipped = panel(bundled, "relation-year", start=2020, end=2021)
    assert {r["year"] for r in clipped} == {2020, 2021}
    hedged = {
        t.id
        for t in bundled.twinnings
        if t.date is not None and not t.date.in_years(t.date.earliest.year, t.date.earliest.year)
    }
    assert all(r["date_certain"] for r in rows if r["twinning"] not in hedged)


def test_ended_and_uncertain_relations_enter_the_panel(bundled: sinoperu.Dataset) -> None:
    lima = bundled.lookup("tw-lima-beijing")
    assert isinstance(lima, Twinning)
    ended = attrs.evolve(lima, status=sinoperu.Status.ENDED, end_date=PartialDate(1990, 6))
    shanghai_twinning = bundled.lookup("tw-lima-shanghai")
    assert isinstance(shanghai_twinning, Twinning)
    hedged = attrs.evolve(shanghai_twinning, date=sinoperu.parse_date("2017/2019"))
    twinnings = [t for t in bundled.twinnings if t.id not in (ended.id, hedged.id)] + [ended, hedged]
    dataset = sinoperu.Dataset(
        places=bundled.places, twinnings=twinnings, version="test", as_of=PartialDate(2020, 1, 1)
    )
    rows = dataset.panel("relation-year")
    assert [r["year"] for r in rows if r["twinning"] == ended.id] == list(range(1983, 1991))
    shanghai = [r for r in rows if r["twinning"] == hedged.id]
    assert [r["year"] for r in shanghai] == [2017, 2018, 2019, 2020]
    assert {r["date_certain"] for r in shanghai} == {False}
    places = dataset.panel("place-year")
    assert sum(r["uncertain"] for r in places if r["place"] == hedged.chinese_party) == 4


def test_panel_needs_an_end(bundled: sinoperu.Dataset) -> None:
    dataset = sinoperu.Dataset(places=bundled.places, twinnings=bundled.twinnings)
    with pytest.raises(ValueError, match="no as_of: pass end="):
        dataset.panel("relation-year")
    assert dataset.panel("relation-year", end=1990)[-1]["year"] == 1990


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (("country-year",), ValueError, "unknown panel unit 'country-year'; valid units are 'relation-year'"),
        (("dyad-year", 2020, 2019), ValueError, "end 2019 comes before start 2020"),
        (("place-year", "2020"), TypeError, "panel start must be an int year"),
    ],
)
def test_panel_bad_input(bundled: sinoperu.Dataset, args: Any, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        panel(bundled, *args)


def test_dyad_year_of_the_bundled_data(bundled: sinoperu.Dataset) -> None:
    rows = panel(bundled, "dyad-year", start=2018, end=2018)
    assert set(rows[0]) == set(PANEL_UNITS["dyad-year"])
    cusco_shaanxi = next(
        r for r in rows if (r["peruvian_division"], r["chinese_division"]) == ("pe-cus", "cn-sn")
    )
    assert cusco_shaanxi["twinnings"] == 1
    assert cusco_shaanxi["kind_memorandum"] == 1
    assert sum(r["twinnings"] for r in rows) == 8  # 1983, 2004, 2014, 2016, an interval and three of 2018


@given(strategies.datasets(), st.integers(1950, 2030))
def test_panels_sum_back(dataset: sinoperu.Dataset, end: int) -> None:
    as_of = dataset.as_of.year if dataset.as_of is not None else end
    relation = panel(dataset, "relation-year", end=end)
    per_twinning = Counter(r["twinning"] for r in relation)
    for twinning in dataset.twinnings:
        if twinning.date is None:
            assert twinning.id in relation.undated
            assert twinning.id not in per_twinning
        else:
            # Clipped at `end`: the span up to the earlier of `end` and the data's own end.
            assert per_twinning[twinning.id] == _span(twinning, min(as_of, end))
    per_year = Counter(r["year"] for r in relation)
    dyads = panel(dataset, "dyad-year", end=end)
    places = panel(dataset, "place-year", end=end)
    for year, count in per_year.items():
        dyad_rows = [r for r in dyads if r["year"] == year]
        assert sum(r["twinnings"] for r in dyad_rows) == count
        for prefix in ("kind_", "evidence_"):
            assert sum(v for r in dyad_rows for k, v in r.items() if k.startswith(prefix)) == count
        assert sum(r["twinnings"] for r in places if r["year"] == year) == 2 * count
    assert sum(r["twinnings"] for r in dyads) == len(relation)
    for rows in (relation, dyads, places):
        assert all(tuple(row) == rows.columns for row in rows)


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_panel_frames(bundled: sinoperu.Dataset, library: str) -> None:
    rows = bundled.panel("relation-year")
    frame = panel_frame(rows, library=library)
    assert list(frame.columns) == list(PANEL_UNITS["relation-year"])
    assert len(frame) == len(rows)
    with pytest.raises(ValueError, match="library must be 'pandas' or 'polars'"):
        panel_frame(rows, library="arrow")


# --- network ------------------------------------------------------------------------


def test_network_nodes_and_edges(bundled: sinoperu.Dataset) -> None:
    graph = to_networkx(bundled)
    assert graph.number_of_edges() == len(bundled.twinnings)
    parties = {p for t in bundled.twinnings for p in t.places}
    assert set(graph.nodes) == parties
    kaiping = graph.nodes["cn-gd-jiangmen-kaiping"]
    assert kaiping["division"] == "cn-gd"
    assert kaiping["country"] == "CN"
    edge = graph.edges["pe-cus-cusco", "cn-sn-xian", "tw-cusco-xian"]
    assert edge["date"] is None
    assert edge["evidence"] == "reported"
    with pytest.raises(TypeError, match="to_networkx takes a Dataset"):
        to_networkx(bundled.twinnings)  # type: ignore[arg-type]


def test_network_names_the_extra(monkeypatch: pytest.MonkeyPatch, bundled: sinoperu.Dataset) -> None:
    monkeypatch.setitem(sys.modules, "networkx", None)
    with pytest.raises(ImportError, match=r'pip install "sinoperu\[network\]"'):
        to_networkx(bundled)


@given(strategies.datasets())
def test_edge_list_matches_the_graph(dataset: sinoperu.Dataset) -> None:
    rows = list(csv.DictReader(io.StringIO(edge_list_csv(dataset, spreadsheet=False))))
    assert tuple(rows[0]) == EDGE_COLUMNS if rows else True
    assert [r["id"] for r in rows] == [t.id for t in dataset.twinnings]
    graph = to_networkx(dataset)
    for row in rows:
        edge = graph.edges[row["source"], row["target"], row["id"]]
        assert all((edge[name] or "") == row[name] for name in EDGE_COLUMNS[2:])


# --- command line -------------------------------------------------------------------


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sinoperu", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_cli_context() -> None:
    text = _run("context", "tw-chancay-suzhou")
    assert text.returncode == 0, text.stderr
    assert text.stdout.index("concurrent") < text.stdout.index("ms-2024-xi-jinping-state-visit")
    data = json.loads(_run("context", "tw-chancay-suzhou", "--years", "1", "--format", "json").stdout)
    assert data["years"] == 1
    assert data["record"] == "tw-chancay-suzhou"
    unknown = _run("context", "tw-nowhere")
    assert unknown.returncode == 2
    assert unknown.stdout == ""
    assert unknown.stderr == "sinoperu: error: no record of this dataset has the id 'tw-nowhere'\n"


def test_cli_network(tmp_path: Any) -> None:
    out = _run("network")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[0] == ",".join(EDGE_COLUMNS)
    target = tmp_path / "edges.csv"
    assert _run("network", "--output", str(target)).returncode == 0
    assert target.read_text(encoding="utf-8-sig").splitlines() == out.stdout.splitlines()


def test_exchange_records_are_counted_in_periods(bundled: sinoperu.Dataset) -> None:
    found = bundled.periods()
    counted = sum(len(p.exchanges) for p in found) + len({i for p in found for i in p.uncertain_exchanges})
    assert counted + len(found.undated_exchanges) == len(
        [r for r in bundled.records if isinstance(r, Exchange)]
    )
