"""Parquet through polars: the same schema and values as the frames, read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import sinoperu
from sinoperu import Dataset
from sinoperu import strategies as sps
from sinoperu.cite import citation_metadata
from sinoperu.export import to_polars, write_parquet
from sinoperu.export.parquet import CITATION_KEY
from sinoperu.export.tables import TABLES
from sinoperu.format import SECTIONS

pl = pytest.importorskip("polars")


def _same(path: Path, expected: object) -> None:
    back = pl.read_parquet(path)
    assert back.schema == expected.schema  # type: ignore[attr-defined]
    assert back.equals(expected)


def test_a_dataset_goes_to_one_file_per_table(tmp_path: Path, bundled: Dataset) -> None:
    written = write_parquet(bundled, tmp_path / "parquet")
    assert [p.name for p in written] == [f"{name}.parquet" for name in TABLES]
    for name in (section.name for section in SECTIONS):
        _same(tmp_path / "parquet" / f"{name}.parquet", to_polars(getattr(bundled, name), dataset=bundled))
    sources = pl.read_parquet(tmp_path / "parquet" / "sources.parquet")
    assert sources.columns == [column.name for column in TABLES["sources"].columns]
    assert sources.height == sum(
        len(item.sources) for section in SECTIONS for item in getattr(bundled, section.name)
    )
    assert sources.schema["position"] == pl.Int64


def test_typed_columns_survive(tmp_path: Path, bundled: Dataset) -> None:
    write_parquet(bundled, tmp_path)
    twinnings = pl.read_parquet(tmp_path / "twinnings.parquet")
    assert isinstance(twinnings.schema["evidence"], pl.Enum)
    assert twinnings.schema["areas"] == pl.List(pl.Utf8)
    assert twinnings.schema["month"] == pl.Int64
    shanghai = twinnings.filter(pl.col("id") == "tw-lima-shanghai").row(0, named=True)
    # An interval keeps its text and fills no single year, month or day, as in the CSV files.
    assert (shanghai["date"], shanghai["year"], shanghai["month"], shanghai["day"]) == (
        "2018-07-19/2018-07-22",
        None,
        None,
        None,
    )
    assert shanghai["chinese_name_zh"] == "上海"
    places = pl.read_parquet(tmp_path / "places.parquet")
    lima = places.filter(pl.col("id") == "pe-lma").row(0, named=True)
    assert lima["lat"] == bundled.lookup("pe-lma").coordinates.lat  # type: ignore[union-attr]


def test_a_query_result_goes_to_one_file(tmp_path: Path) -> None:
    result = sinoperu.by_city("Lima")
    ds = sinoperu.load()
    (path,) = write_parquet(result, tmp_path / "lima.parquet", dataset=ds)
    _same(path, to_polars(result, dataset=ds))
    with pytest.raises(TypeError, match="needs dataset="):  # the names are in the dataset, never guessed
        write_parquet(result, tmp_path / "other.parquet")
    with pytest.raises(IsADirectoryError, match="is a folder"):
        write_parquet(result, tmp_path, dataset=ds)
    with pytest.raises(NotADirectoryError, match="is a file"):
        write_parquet(sinoperu.load(), path)


def test_each_file_carries_the_citation(tmp_path: Path, bundled: Dataset) -> None:
    if not hasattr(pl, "read_parquet_metadata"):
        pytest.skip("this polars cannot write file metadata")
    write_parquet(bundled, tmp_path)
    metadata = pl.read_parquet_metadata(tmp_path / "twinnings.parquet")
    assert json.loads(metadata[CITATION_KEY]) == citation_metadata(bundled)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sps.datasets())
def test_generated_datasets_read_back_the_same(tmp_path: Path, dataset: Dataset) -> None:
    write_parquet(dataset, tmp_path)  # every table, even an empty one, keeps its typed columns
    for name in ("places", "twinnings", "milestones", "exchanges"):
        back = pl.read_parquet(tmp_path / f"{name}.parquet")
        assert back.columns == [column.name for column in TABLES[name].columns]
        assert back.height == len(getattr(dataset, name))
        if getattr(dataset, name):
            _same(tmp_path / f"{name}.parquet", to_polars(getattr(dataset, name), dataset=dataset))
