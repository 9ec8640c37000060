"""The SQLite export: keys, counts, views, full-text search, Datasette metadata, and the round trip."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import sinoperu
from sinoperu import Dataset
from sinoperu import strategies as sps
from sinoperu.cite import citation_metadata
from sinoperu.dates import DateInterval, PartialDate
from sinoperu.errors import DatasetError
from sinoperu.export import read_sqlite, write_sqlite
from sinoperu.export.columns import TABLES, format_rows
from sinoperu.export.sqlite import METADATA_FILE, VIEWS, datasette_metadata, sqlite_schema
from sinoperu.format import SECTIONS
from sinoperu.serialize import converter


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sqlite(sinoperu.load(), tmp_path_factory.mktemp("db") / "sinoperu.db")


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path)
    db.execute("PRAGMA foreign_keys = ON")
    return db


def test_the_bundled_data_round_trips(database: Path, bundled: Dataset) -> None:
    assert read_sqlite(database) == bundled


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sps.datasets())
def test_generated_datasets_round_trip(tmp_path: Path, dataset: Dataset) -> None:
    path = write_sqlite(dataset, tmp_path / "data.db", metadata=False)  # replaced on each example
    assert read_sqlite(path) == dataset
    db = _connect(path)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    # Every view shows the CSV's columns with the CSV's values (lists as JSON arrays): SQL computes
    # the derived ones (names joined from places, generated year, month and day) as the CSV does.
    places = {place.id: converter.unstructure(place) for place in dataset.places}
    for view in VIEWS:
        table = TABLES[view.removesuffix("_named")]
        records = [converter.unstructure(record) for record in getattr(dataset, table.name)]
        expected = {row[0]: row for row in format_rows(table, records, places)}
        names = ", ".join(column.name for column in table.columns)
        found = {
            row[0]: [
                json.loads(v) if c.type == "list" else v for c, v in zip(table.columns, row, strict=True)
            ]
            for row in db.execute(f"SELECT {names} FROM {view}")
        }
        assert found == expected
    db.close()


@given(sps.dates(min_year=1, max_year=9999))
def test_the_date_check_takes_every_date_of_the_format(date: PartialDate | DateInterval) -> None:
    db = sqlite3.connect(":memory:")
    db.executescript(sqlite_schema())
    db.execute(
        "INSERT INTO totals (id, date, scope, count, qualifier, reporter, summary, notes) VALUES "
        "('t', '2020', 'world', 1, 'exactly', 'r', 's', '')"
    )
    db.execute("UPDATE totals SET date = ? WHERE id = 't'", ("2020",))  # a plain date column
    db.execute(
        "INSERT INTO exchanges (id, twinning, kind, evidence, date, title, summary, notes) VALUES "
        "('e', 'tw', 'event', 'reported', ?, 't', 's', '')",
        (date.isoformat(),),
    )
    row = db.execute("SELECT year, month, day FROM exchanges").fetchone()
    single = date if isinstance(date, PartialDate) else None
    assert row == ((None, None, None) if single is None else (single.year, single.month, single.day))
    db.close()


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("date", "2018-7"),
        ("date", "18"),
        ("date", "2018??"),
        ("date", "../.."),
        ("date", "/2019"),
        ("date", "2019/"),
        ("date", "2019-05-01/2019-5"),
        ("date", "2019 "),
    ],
)
def test_the_date_check_refuses_what_is_no_date(column: str, value: str) -> None:
    db = sqlite3.connect(":memory:")
    db.executescript(sqlite_schema())
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute(
            "INSERT INTO exchanges (id, twinning, kind, evidence, date, title, summary, notes) VALUES "
            "('e', 'tw', 'event', 'reported', ?, 't', 's', '')",
            (value,),
        )
    db.close()


_CATEGORY_COLUMNS = [
    (table.name, column.name)
    for table in TABLES.values()
    if table.parent_field is None
    for column in table.stored
    if column.categories
]
_REFERENCES = [
    (table.name, column.name)
    for table in TABLES.values()
    for column in table.stored
    if column.field is not None and column.field.refers_to and column.type != "list"
]


@pytest.mark.parametrize(("table", "column"), _CATEGORY_COLUMNS)
def test_every_category_column_refuses_a_value_outside_its_vocabulary(
    database: Path, tmp_path: Path, table: str, column: str
) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(database.read_bytes())
    db = _connect(copy)
    if db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0:
        pytest.skip(f"the bundled data has no {table}")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute(f"UPDATE {table} SET {column} = 'not-a-value'")
    db.close()


@pytest.mark.parametrize(("table", "column"), _REFERENCES)
def test_every_reference_of_the_format_is_a_foreign_key(
    database: Path, tmp_path: Path, table: str, column: str
) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(database.read_bytes())
    db = _connect(copy)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute(f"UPDATE {table} SET {column} = 'no-such-record' WHERE rowid = 1")
    db.close()
    assert _REFERENCES  # the format's refers_to reaches the schema
    assert ("places", "parent") in _REFERENCES
    assert ("exchanges", "twinning") in _REFERENCES


def test_list_items_refer_and_keep_their_vocabulary(database: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(database.read_bytes())
    db = _connect(copy)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute("UPDATE milestones_places SET place_id = 'no-such-place' WHERE rowid = 1")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute("UPDATE twinnings_areas SET area = 'astrology' WHERE rowid = 1")
    db.close()


def _broken(database: Path, tmp_path: Path, sql: str) -> Path:
    copy = tmp_path / "broken.db"
    copy.write_bytes(database.read_bytes())
    db = sqlite3.connect(copy)
    db.execute(sql)
    db.commit()
    db.close()
    return copy


def test_child_rows_must_belong_to_a_record_and_count_from_zero(database: Path, tmp_path: Path) -> None:
    orphan = _broken(
        database,
        tmp_path,
        (
            "INSERT INTO sources (record_id, position, url, title, publisher, language) "
            "SELECT 'nobody', 0, url, title, publisher, language FROM sources WHERE rowid = 1"
        ),
    )
    with pytest.raises(DatasetError, match=r"rows for unknown record\(s\) \['nobody'\]"):
        read_sqlite(orphan)
    gap = _broken(database, tmp_path, "UPDATE sources SET position = 7 WHERE rowid = 1")
    with pytest.raises(DatasetError, match="the positions of its sources are not 0, 1, 2"):
        read_sqlite(gap)
    half = _broken(
        database,
        tmp_path,
        "UPDATE places SET lat = NULL WHERE lat IS NOT NULL AND rowid = "
        "(SELECT min(rowid) FROM places WHERE lat IS NOT NULL)",
    )
    with pytest.raises(DatasetError, match="coordinates"):
        read_sqlite(half)


def test_a_header_from_another_format_is_refused(database: Path, tmp_path: Path) -> None:
    other = _broken(database, tmp_path, "UPDATE dataset_info SET value = 'other' WHERE key = 'format'")
    with pytest.raises(DatasetError, match="field 'format'"):
        read_sqlite(other)


def test_keys_hold_and_counts_match(database: Path, bundled: Dataset) -> None:
    db = _connect(database)
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    items = [item for section in SECTIONS for item in getattr(bundled, section.name)]
    for section in SECTIONS:
        count = db.execute(f"SELECT count(*) FROM {section.name}").fetchone()[0]
        assert count == len(getattr(bundled, section.name))
    sources = sum(len(item.sources) for item in items)
    assert db.execute("SELECT count(*) FROM sources").fetchone()[0] == sources
    provisions = sum(len(getattr(item, "subnational", ())) for item in items)
    assert db.execute("SELECT count(*) FROM subnational").fetchone()[0] == provisions
    ids = {item.id for item in items}
    cited = {row[0] for row in db.execute("SELECT DISTINCT record_id FROM sources")}
    assert cited == ids
    aliases = sum(len(p.aliases) for p in bundled.places)
    assert db.execute("SELECT count(*) FROM places_aliases").fetchone()[0] == aliases
    assert db.execute("SELECT count(*) FROM twinnings_named").fetchone()[0] == len(bundled.twinnings)
    assert db.execute("SELECT count(*) FROM exchanges_named").fetchone()[0] == len(bundled.exchanges)
    db.close()


def test_foreign_keys_refuse_a_dangling_reference(database: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(database.read_bytes())
    db = _connect(copy)
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        db.execute("UPDATE twinnings SET chinese_party = 'no-such-place' WHERE id = 'tw-lima-shanghai'")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute("UPDATE twinnings SET evidence = 'rumoured' WHERE id = 'tw-lima-shanghai'")
    with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
        db.execute("UPDATE milestones SET date = '2018-7' WHERE rowid = 1")
    db.close()


def test_views_join_both_parties_names(database: Path, bundled: Dataset) -> None:
    db = _connect(database)
    db.row_factory = sqlite3.Row
    row = db.execute("SELECT * FROM twinnings_named WHERE id = 'tw-lima-shanghai'").fetchone()
    assert (row["peruvian_name"], row["peruvian_name_zh"]) == ("Lima", "利马")
    assert (row["chinese_name"], row["chinese_name_zh"], row["chinese_pinyin"]) == (
        "Shanghai",
        "上海",
        "Shànghǎi",
    )
    # An interval fills no single year, month or day, as in the CSV files.
    assert (row["date"], row["year"], row["month"], row["day"]) == ("2018-07-19/2018-07-22", None, None, None)
    shanghai = bundled.lookup("tw-lima-shanghai")
    assert json.loads(row["areas"]) == [area.value for area in shanghai.areas]  # type: ignore[union-attr]
    # The view has the CSV's twinnings columns, in the same order.
    assert list(row.keys()) == [column.name for column in TABLES["twinnings"].columns]
    exchange = bundled.exchanges[0]
    row = db.execute("SELECT * FROM exchanges_named WHERE id = ?", (exchange.id,)).fetchone()
    twinning = bundled.lookup(exchange.twinning)
    assert row["peruvian_party"] == twinning.peruvian_party  # type: ignore[union-attr]
    assert row["chinese_name_zh"] == bundled.lookup(twinning.chinese_party).name_zh  # type: ignore[union-attr]
    db.close()


def test_full_text_search_finds_a_word_of_a_summary(database: Path, bundled: Dataset) -> None:
    db = _connect(database)
    for name in ("twinnings", "milestones", "exchanges"):
        search = (
            f"SELECT t.id FROM {name}_fts JOIN {name} AS t ON t.rowid = {name}_fts.rowid "
            f"WHERE {name}_fts MATCH ?"
        )
        for record in getattr(bundled, name):
            words = re.findall(r"[A-Za-z]{4,}", record.summary)
            if not words:
                continue
            word = max(words, key=len)
            found = {row[0] for row in db.execute(search, (word,))}
            assert record.id in found, (name, word)
    db.close()


def test_search_stays_current_when_a_row_is_edited(database: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    copy.write_bytes(database.read_bytes())
    db = _connect(copy)
    db.execute("UPDATE twinnings SET notes = 'Zyxwvut en el Perú' WHERE id = 'tw-lima-shanghai'")
    search = (
        "SELECT t.id FROM twinnings_fts JOIN twinnings AS t ON t.rowid = twinnings_fts.rowid "
        "WHERE twinnings_fts MATCH ?"
    )
    assert db.execute(search, ("zyxwvut peru",)).fetchall() == [("tw-lima-shanghai",)]  # accents aside
    db.execute("DELETE FROM exchanges WHERE twinning = 'tw-lima-shanghai'")
    db.execute("DELETE FROM twinnings WHERE id = 'tw-lima-shanghai'")
    assert db.execute(search, ("zyxwvut",)).fetchall() == []
    db.close()


def test_dataset_info_holds_version_and_citation(database: Path, bundled: Dataset) -> None:
    db = _connect(database)
    info = dict(db.execute("SELECT key, value FROM dataset_info"))
    assert info["version"] == bundled.version
    assert info["as_of"] == str(bundled.as_of)
    assert json.loads(info["citation"]) == citation_metadata(bundled)
    db.close()


def test_datasette_metadata_beside_the_database(database: Path, bundled: Dataset) -> None:
    metadata = json.loads((database.parent / METADATA_FILE).read_text(encoding="utf-8"))
    assert metadata == datasette_metadata(bundled, "sinoperu")
    assert metadata["license"] == "CC-BY-4.0"
    assert bundled.version in metadata["description"]
    tables = metadata["databases"]["sinoperu"]["tables"]
    assert tables["twinnings"]["fts_table"] == "twinnings_fts"
    assert tables["twinnings"]["columns"]["evidence"] == TABLES["twinnings"].column("evidence").description
    db = _connect(database)
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    assert {name for name in names if "_fts" not in name} == set(tables)
    db.close()


def test_overwrites_a_database_but_never_another_file(tmp_path: Path, bundled: Dataset) -> None:
    path = write_sqlite(bundled, tmp_path / "data.db")
    assert read_sqlite(write_sqlite(bundled, path)) == bundled  # replaced, not appended to
    other = tmp_path / "notes.txt"
    other.write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError, match="not a SQLite database"):
        write_sqlite(bundled, other)
    assert other.read_text(encoding="utf-8") == "keep me"
    with pytest.raises(IsADirectoryError):
        write_sqlite(bundled, tmp_path)


def test_reading_bad_databases_says_what_and_where(tmp_path: Path, database: Path) -> None:
    with pytest.raises(DatasetError, match="no such database file"):
        read_sqlite(tmp_path / "missing.db")
    text = tmp_path / "text.db"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(DatasetError, match="is not a SQLite database"):
        read_sqlite(text)
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).execute("CREATE TABLE x (a)").connection.close()
    with pytest.raises(DatasetError, match="not a sinoperu database: no such table: dataset_info"):
        read_sqlite(empty)
    broken = tmp_path / "broken.db"
    broken.write_bytes(database.read_bytes())
    db = sqlite3.connect(broken)
    db.execute("UPDATE places SET name = '' WHERE id = 'pe-lma'")
    db.commit()
    db.close()
    with pytest.raises(DatasetError) as caught:
        read_sqlite(broken)
    message = str(caught.value)
    assert "'pe-lma' (table places" in message
    assert "field 'name'" in message


def test_cli_export_with_sqlite(tmp_path: Path, bundled: Dataset) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sinoperu", "export", str(tmp_path / "out"), "--sqlite"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    written = {Path(line).name for line in result.stdout.splitlines()}
    assert {"sinoperu.db", METADATA_FILE} <= written
    assert read_sqlite(tmp_path / "out" / "sinoperu.db") == bundled
