"""Exports: each one round-trips or validates."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sinoperu
from sinoperu import Dataset, DatasetError
from sinoperu import strategies as sps
from sinoperu.export import (
    csv_text,
    datapackage,
    geojson_text,
    json_schema,
    read_csv,
    schema_text,
    to_geojson,
    to_pandas,
    to_polars,
    write_csv,
)
from sinoperu.export.tables import join_list, split_list

ROOT = Path(__file__).resolve().parent.parent


# --- CSV --------------------------------------------------------------------------------


@given(st.lists(st.text()))
def test_list_cells_split_back_into_the_same_items(items: list[str]) -> None:
    if items == [""]:  # a single empty item and no item share the empty cell; models forbid both
        return
    assert split_list(join_list(items)) == items


@given(sps.datasets())
def test_csv_round_trips_random_datasets(tmp_path_factory: pytest.TempPathFactory, dataset: Dataset) -> None:
    folder = tmp_path_factory.mktemp("csv")
    write_csv(dataset, folder)
    assert read_csv(folder) == dataset


def test_csv_round_trips_the_bundled_dataset(tmp_path: Path, bundled: Dataset) -> None:
    write_csv(bundled, tmp_path)
    assert read_csv(tmp_path) == bundled


def test_csv_files_open_cleanly_in_a_spreadsheet(tmp_path: Path, bundled: Dataset) -> None:
    write_csv(bundled, tmp_path)
    raw = (tmp_path / "twinnings.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that tells Excel it is UTF-8
    text = raw.decode("utf-8-sig")
    assert "利马" in text
    assert "\ufffd" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(bundled.twinnings)
    lima = next(r for r in rows if r["id"] == "tw-lima-shanghai")
    assert (lima["peruvian_name"], lima["chinese_name_zh"], lima["date"], lima["year"], lima["day"]) == (
        "Lima",
        "上海",
        "2018-07-19/2018-07-22",  # an interval: no single year, month or day column
        "",
        "",
    )


def test_csv_of_a_query_result(tmp_path: Path) -> None:
    records = sinoperu.by_province("Lima")
    with pytest.raises(TypeError, match="dataset="):
        write_csv(records, tmp_path)
    written = write_csv(records, tmp_path, dataset=sinoperu.load())
    assert {p.name for p in written} >= {"twinnings.csv", "sources.csv", "datapackage.json"}
    with pytest.raises(TypeError, match="dataset="):
        csv_text(records)
    text = csv_text(records, dataset=sinoperu.load())
    assert text.splitlines()[0].startswith("id,type,level,kind,date")
    assert len(text.splitlines()) == len(records) + 1


@pytest.mark.parametrize(
    ("file", "change", "message", "field"),
    [
        (
            "twinnings.csv",
            lambda t: t.replace("sister_city", "sister_town", 1),
            "'sister_town' is not one of",
            "kind",
        ),
        ("twinnings.csv", lambda t: t.replace(",1983-11,", ",1983-13,", 1), "13 is not a month", "date"),
        ("places.csv", lambda t: t.replace("id,kind", "id,kind,colour", 1), "unknown column", None),
        ("places.csv", lambda t: t.replace(",-12.", ",x-12.", 1), "is not a finite number", "lat"),
        (
            "sources.csv",
            lambda t: t + "tw-nowhere,0,https://x.org,t,p,en,,,\r\n",
            "unknown record",
            "record_id",
        ),
    ],
)
def test_bad_csv_is_located(
    tmp_path: Path, bundled: Dataset, file: str, change: Any, message: str, field: str | None
) -> None:
    write_csv(bundled, tmp_path)
    path = tmp_path / file
    path.write_text(change(path.read_text(encoding="utf-8-sig")), encoding="utf-8-sig")
    with pytest.raises(DatasetError, match=message) as caught:
        read_csv(tmp_path)
    assert caught.value.file == str(path)
    assert caught.value.field == field


def test_csv_reader_refuses_missing_files(tmp_path: Path, bundled: Dataset) -> None:
    write_csv(bundled, tmp_path)
    (tmp_path / "places.csv").unlink()
    with pytest.raises(DatasetError, match="missing"):
        read_csv(tmp_path)
    with pytest.raises(DatasetError, match="not a folder"):
        read_csv(tmp_path / "nothing")


# --- Frictionless -----------------------------------------------------------------------


def test_datapackage_validates_with_frictionless(tmp_path: Path, bundled: Dataset) -> None:
    frictionless = pytest.importorskip("frictionless")
    write_csv(bundled, tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    errors = [error.message for task in report.tasks for error in task.errors] + [
        e.message for e in report.errors
    ]
    assert report.valid, errors[:5]


def test_datapackage_states_licence_version_and_sources(bundled: Dataset) -> None:
    descriptor = datapackage(bundled)
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["version"] == bundled.version
    assert descriptor["sources"]
    names = {resource["name"] for resource in descriptor["resources"]}
    assert names == {"places", "twinnings", "milestones", "exchanges", "totals", "sources", "subnational"}


# --- JSON Schema --------------------------------------------------------------------------


def test_bundled_file_matches_the_schema(bundled: Dataset) -> None:
    jsonschema.validate(json.loads(sinoperu.to_json(bundled)), json_schema())


@given(sps.datasets())
def test_generated_datasets_match_the_schema(dataset: Dataset) -> None:
    jsonschema.validate(json.loads(sinoperu.to_json(dataset)), json_schema())


def test_schema_refuses_what_the_loader_refuses(bundled_dict: dict[str, Any]) -> None:
    bundled_dict["twinnings"][0]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bundled_dict, json_schema())


def test_shipped_schema_is_up_to_date() -> None:
    from importlib.resources import files

    shipped = files("sinoperu").joinpath("data", "sinoperu.schema.json").read_text(encoding="utf-8")
    assert shipped == schema_text(), "run: python scripts/regenerate.py"


# --- GeoJSON ----------------------------------------------------------------------------


def test_geojson_follows_rfc_7946(bundled: Dataset) -> None:
    collection = to_geojson(bundled)
    assert collection["type"] == "FeatureCollection"
    for feature in collection["features"]:
        geometry = feature["geometry"]
        points = [geometry["coordinates"]] if geometry["type"] == "Point" else geometry["coordinates"]
        for lon, lat in points:
            assert -180 <= lon <= 180
            assert -90 <= lat <= 90
        if geometry["type"] == "LineString":
            (pe_lon, _), (cn_lon, _) = points
            assert pe_lon < -60  # Peru first, longitude before latitude
            assert cn_lon > 70
            assert feature["properties"]["peruvian_point_from"]


def test_geojson_lines_cover_every_twinning_with_a_point(bundled: Dataset) -> None:
    lines = {f["id"] for f in to_geojson(bundled)["features"] if f["geometry"]["type"] == "LineString"}
    assert "tw-lima-shanghai" in lines
    assert lines <= {t.id for t in bundled.twinnings}


def test_committed_geojson_is_up_to_date(bundled: Dataset) -> None:
    committed = (ROOT / "docs" / "maps" / "sinoperu.geojson").read_text(encoding="utf-8")
    assert committed == geojson_text(bundled), "run: python scripts/regenerate.py"


# --- frames -------------------------------------------------------------------------------


def test_pandas_frames_have_typed_columns(bundled: Dataset) -> None:
    pd = pytest.importorskip("pandas")
    frame = to_pandas(bundled.twinnings, dataset=bundled)
    assert len(frame) == len(bundled.twinnings)
    assert isinstance(frame["evidence"].dtype, pd.CategoricalDtype)
    assert list(frame["evidence"].cat.categories) == [e.value for e in sinoperu.Evidence]
    assert str(frame["month"].dtype) == "Int64"
    assert frame["month"].isna().any()  # partial dates stay partial
    rows = frame.set_index("id")
    kaiping = rows.loc["tw-cusco-kaiping"]
    assert (kaiping["date"], kaiping["year"], kaiping["chinese_name_zh"]) == ("2025-07", 2025, "开平")
    lima = rows.loc["tw-lima-shanghai"]  # an interval keeps its text and fills no single year
    assert lima["date"] == "2018-07-19/2018-07-22"
    assert pd.isna(lima["year"])


def test_polars_frames_have_typed_columns(bundled: Dataset) -> None:
    pl = pytest.importorskip("polars")
    frame = to_polars(bundled.milestones)
    assert frame.height == len(bundled.milestones)
    assert isinstance(frame.schema["level"], pl.Enum)
    assert frame.schema["year"] == pl.Int64
    mixed = to_polars(sinoperu.by_city("Lima"), dataset=bundled)
    assert mixed.columns[:3] == ["id", "type", "level"]


def test_frames_refuse_a_whole_dataset(bundled: Dataset) -> None:
    with pytest.raises(TypeError, match="one kind of record"):
        to_pandas(bundled)  # type: ignore[arg-type]


def test_missing_extra_says_which_to_install() -> None:
    code = (
        "import sys; sys.modules['pandas'] = None\n"
        "import sinoperu\n"
        "from sinoperu.export import to_pandas\n"
        "try:\n    to_pandas(sinoperu.load().twinnings)\n"
        "except ImportError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert 'pip install "sinoperu[pandas]"' in out
