"""Query results as Records (still plain tuples to every caller), and the notebook tables."""

from __future__ import annotations

import pickle
import re
from html.parser import HTMLParser

import attrs
from hypothesis import given
from hypothesis import strategies as st

import sinoperu
from sinoperu import Dataset, Twinning
from sinoperu import strategies as sps
from sinoperu.results import MAX_HTML_ROWS, Records, records_html


def _answers(ds: Dataset) -> list[tuple[sinoperu.Record, ...]]:
    return [
        ds.by_city("Lima"),
        ds.by_province("Fujian"),
        ds.by_year(2018),
        ds.by_year(1800),
        ds.by_level("micro"),
        ds.by_kind("sister_city"),
        ds.query(),
        ds.query(city="Lima", level="micro"),
        ds.query(year=(2010, 2019), kind="donation"),
        sinoperu.by_city("Cusco"),
        sinoperu.query(level="bloc"),
    ]


def test_every_query_answers_with_records(bundled: Dataset) -> None:
    for answer in _answers(bundled):
        assert type(answer) is Records
        assert answer.dataset is bundled


def test_records_behave_as_the_tuples_they_hold(bundled: Dataset) -> None:
    for answer in _answers(bundled):
        plain = tuple(answer)
        assert answer == plain
        assert plain == answer
        assert hash(answer) == hash(plain)
        assert isinstance(answer, tuple)
        assert repr(answer) == repr(plain)
        assert list(answer[:2]) == list(plain[:2])
        if plain:
            assert answer[0] is plain[0]
            assert answer[-1] is plain[-1]
    assert bundled.by_year(1800) == ()


def test_records_are_handed_back_without_copying(bundled: Dataset) -> None:
    assert bundled.by_level("micro") is bundled.by_level("micro")
    assert bundled.by_city("Lima") is bundled.by_city("Lima")


def test_records_pickle_as_their_records(bundled: Dataset) -> None:
    answer = bundled.by_city("Zhangzhou")
    assert answer
    back = pickle.loads(pickle.dumps(answer))
    assert back == answer
    assert type(back) is Records
    assert back.dataset is None
    assert "<code>cn-fj-zhangzhou</code>" in back._repr_html_()  # ids, no names without the data


class _Cells(HTMLParser):
    """The text of each table cell, and every tag seen."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.tags: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _parse(html: str) -> _Cells:
    parser = _Cells()
    parser.feed(html)
    return parser


def test_the_table_shows_dates_both_parties_and_the_grade(bundled: Dataset) -> None:
    cells = _parse(bundled.query(city="Lima", kind="sister_city")._repr_html_())
    header, *rows = cells.rows
    assert header == ["id", "type", "kind", "date", "Peru", "China", "evidence", "title or summary"]
    by_id = {row[0]: row for row in rows}
    assert by_id["tw-lima-shanghai"][1:7] == [
        "twinning",
        "sister_city",
        "2018-07-19/2018-07-22",
        "Lima 利马",
        "Shanghai 上海",
        "confirmed",
    ]


def test_exchanges_show_the_parties_of_their_twinning(bundled: Dataset) -> None:
    exchange = bundled.exchanges[0]
    twinning = bundled.lookup(exchange.twinning)
    assert isinstance(twinning, Twinning)
    row = _parse(records_html([exchange], bundled)).rows[1]
    peru, china = (bundled.lookup(ref) for ref in twinning.places)
    assert peru.name in row[4]
    assert china.name in row[5]
    assert (china.name_zh or "") in row[5]
    assert row[6] == exchange.evidence.value


def test_long_results_say_how_many_are_not_shown(bundled: Dataset) -> None:
    answer = bundled.query()
    assert len(answer) > MAX_HTML_ROWS
    html = answer._repr_html_()
    assert f"the first {MAX_HTML_ROWS} of {len(answer)} records" in html
    assert len(_parse(html).rows) == MAX_HTML_ROWS + 1


def test_text_is_escaped(bundled: Dataset) -> None:
    shanghai = bundled.lookup("tw-lima-shanghai")
    hostile = attrs.evolve(shanghai, summary='<script>alert("x")</script> & "quotes"')
    html = records_html([hostile], bundled)
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert _parse(html).rows[1][7] == '<script>alert("x")</script> & "quotes"'
    assert set(_parse(html).tags) <= {"div", "p", "table", "thead", "tbody", "tr", "th", "td", "span", "code"}


@given(sps.datasets(), st.data())
def test_any_text_is_escaped_and_any_answer_renders(dataset: Dataset, data: st.DataObject) -> None:
    answer = dataset.query()
    assert type(answer) is Records
    html = answer._repr_html_()
    parsed = _parse(html)
    assert set(parsed.tags) <= {"div", "p", "table", "thead", "tbody", "tr", "th", "td", "span", "code"}
    assert len(parsed.rows) == 1 + min(len(answer), MAX_HTML_ROWS)
    for row, record in zip(parsed.rows[1:], answer, strict=False):
        assert row[0] == record.id
        assert row[3] == ("" if record.date is None else record.date.isoformat())
    overview = _parse(dataset._repr_html_())
    assert [row[:2] for row in overview.rows[1:5]] == [
        ["places", str(len(dataset.places))],
        ["twinnings", str(len(dataset.twinnings))],
        ["milestones", str(len(dataset.milestones))],
        ["exchanges", str(len(dataset.exchanges))],
    ]


def test_the_dataset_view_shows_version_counts_and_first_records(bundled: Dataset) -> None:
    html = bundled._repr_html_()
    assert f"sinoperu data {bundled.version}" in html
    assert f"as of {bundled.as_of}" in html
    rows = _parse(html).rows
    twinnings = next(row for row in rows if row[0] == "twinnings")
    confirmed = sum(t.evidence.value == "confirmed" for t in bundled.twinnings)
    assert twinnings[1] == str(len(bundled.twinnings))
    assert f"confirmed {confirmed}" in twinnings[2]
    assert re.search(r"and \d+ more records", html)
    fresh = Dataset(places=bundled.places, twinnings=bundled.twinnings, version="x")
    fresh._repr_html_()
    assert fresh._index is None  # the view builds no query index (costly on large data)
