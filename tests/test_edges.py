"""Hardening at the edges: exporters and their dataset, spreadsheets, numbers, equal values, processes."""

from __future__ import annotations

import ast
import copy
import csv
import io
import json
import pickle
import re
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sinoperu
from sinoperu import (
    AmbiguousPlaceError,
    Coordinates,
    Dataset,
    DatasetError,
    ExportError,
    InvalidFieldError,
    Place,
    PlaceKind,
    SinoperuError,
    Source,
    UnknownPlaceError,
)
from sinoperu import strategies as sps
from sinoperu.export import (
    csv_text,
    geojson_text,
    read_csv,
    to_geojson,
    to_pandas,
    to_polars,
    write_csv,
)
from sinoperu.export.spreadsheet import FORMULA_STARTS, quote_cell, unquote_cell

SOURCE = Source(url="https://example.org/p", title="A page", publisher="Example", language="en")


def _renamed(ds: Dataset) -> Dataset:
    """The bundled data with every place renamed, so names from the bundled file would show."""
    return Dataset(
        places=[attrs.evolve(p, name=f"Mine {p.name}") for p in ds.places],
        twinnings=ds.twinnings,
        milestones=ds.milestones,
        exchanges=ds.exchanges,
        version="mine",
    )


# --- exporters take the dataset they describe; no fallback to the bundled one -------------------

EXPORTERS = {
    "csv_text": lambda records, **kw: csv_text(records, **kw),
    "to_geojson": lambda records, **kw: to_geojson(records, **kw),
    "to_pandas": lambda records, **kw: to_pandas(records, **kw),
    "to_polars": lambda records, **kw: to_polars(records, **kw),
}


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_records_that_name_places_need_their_dataset(name: str, bundled: Dataset) -> None:
    with pytest.raises(TypeError, match=rf"{name} needs dataset="):
        EXPORTERS[name](bundled.twinnings)


def test_write_csv_without_the_dataset_writes_nothing(tmp_path: Path, bundled: Dataset) -> None:
    with pytest.raises(TypeError, match=r"write_csv needs dataset="):
        write_csv(bundled.query(city="Lima"), tmp_path / "out")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", sorted(EXPORTERS))
def test_exporters_use_the_dataset_given_never_the_bundled_one(
    name: str, bundled: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = _renamed(bundled)
    monkeypatch.setattr("sinoperu.loader.load_bundled", lambda: pytest.fail("the bundled data was loaded"))
    result = EXPORTERS[name](mine.twinnings, dataset=mine)
    if isinstance(result, (str, dict)):
        text = result if isinstance(result, str) else json.dumps(result, ensure_ascii=False)
    else:
        text = " ".join(map(str, result["peruvian_name"].to_list()))
    assert "Mine Lima" in text


def test_a_dataset_that_lacks_a_named_place_is_a_clear_error(bundled: Dataset) -> None:
    other = Dataset(places=[p for p in bundled.places if p.country == "CN"], version="cn only")
    for exporter in EXPORTERS.values():
        with pytest.raises(ValueError, match=r"names the place 'pe-"):
            exporter(bundled.twinnings, dataset=other)
    with pytest.raises(TypeError, match="takes a Dataset"):
        csv_text(bundled.twinnings, dataset=bundled.places)  # type: ignore[arg-type]


def test_records_that_name_no_place_need_no_dataset(tmp_path: Path, bundled: Dataset) -> None:
    assert len(csv_text(bundled.places).splitlines()) == len(bundled.places) + 1
    assert len(csv_text(bundled.exchanges).splitlines()) > 1
    assert len(to_geojson(bundled.places)["features"]) == sum(
        p.coordinates is not None for p in bundled.places
    )
    written = write_csv(bundled.milestones, tmp_path)
    assert tmp_path / "milestones.csv" in written
    assert "pe-lma" in (tmp_path / "milestones.csv").read_text(encoding="utf-8-sig")  # ids, no names


def test_no_exporter_imports_the_loader() -> None:
    from sinoperu import export

    for path in Path(export.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))  # the code, not the examples in docstrings
        imported = {
            alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names
        }
        called = {
            node.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        assert not {"load", "load_bundled"} & (imported | called), path.name


# --- spreadsheets: formulas neutralised on write, restored on read --------------------------------

_DANGEROUS = sorted(FORMULA_STARTS | {"'"})


@given(start=st.sampled_from(_DANGEROUS), rest=st.text())
def test_spreadsheet_quoting_round_trips_text_beginning_with_each_dangerous_character(
    start: str, rest: str
) -> None:
    text = start + rest
    cell = quote_cell(text)
    assert cell.startswith("'")  # a spreadsheet reads it as text
    assert cell[1:] == text
    assert unquote_cell(cell) == text


@given(st.text())
def test_spreadsheet_quoting_round_trips_any_text(text: str) -> None:
    assert unquote_cell(quote_cell(text)) == text
    assert quote_cell(text) == text or quote_cell(text)[0] == "'"
    assert not quote_cell(text) or quote_cell(text)[0] not in FORMULA_STARTS


def _with_texts(ds: Dataset, text: str) -> Dataset:
    return Dataset(
        places=[attrs.evolve(p, notes=text, aliases={*p.aliases, text + " alias"}) for p in ds.places],
        twinnings=[attrs.evolve(t, summary=text, notes=text) for t in ds.twinnings],
        milestones=[attrs.evolve(m, title=text, parties=(text,)) for m in ds.milestones],
        exchanges=[attrs.evolve(e, title=text, summary=text) for e in ds.exchanges],
        version=ds.version,
        as_of=ds.as_of,
    )


@given(
    dataset=sps.datasets(max_twinnings=3),
    start=st.sampled_from(_DANGEROUS),
    rest=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30),
    spreadsheet=st.booleans(),
)
def test_csv_with_formula_like_text_round_trips_exactly(
    tmp_path_factory: pytest.TempPathFactory, dataset: Dataset, start: str, rest: str, spreadsheet: bool
) -> None:
    text = start + rest
    if not text.strip():
        text = start + "x"
    ds = _with_texts(dataset, text)
    folder = tmp_path_factory.mktemp("csv")
    write_csv(ds, folder, spreadsheet=spreadsheet)
    assert read_csv(folder) == ds


def test_a_formula_in_a_summary_reaches_the_file_as_text(tmp_path: Path, bundled: Dataset) -> None:
    formula = '=HYPERLINK("http://evil.example","click")'
    ds = _with_texts(bundled, formula)
    write_csv(ds, tmp_path)

    def summaries(text: str) -> set[str]:
        rows = list(csv.reader(io.StringIO(text)))
        return {row[rows[0].index("summary")] for row in rows[1:]}

    assert summaries((tmp_path / "twinnings.csv").read_text("utf-8-sig")) == {"'" + formula}
    assert read_csv(tmp_path) == ds
    assert summaries(csv_text(ds.twinnings, dataset=ds)) == {"'" + formula}
    assert summaries(csv_text(ds.twinnings, dataset=ds, spreadsheet=False)) == {formula}


def test_numbers_are_never_quoted(bundled: Dataset) -> None:
    lima = bundled.place("pe-lma")
    assert lima.coordinates is not None
    assert lima.coordinates.lat < 0
    assert f",{lima.coordinates.lat!r}," in csv_text([lima])


def test_text_beginning_with_a_quote_round_trips(tmp_path: Path, bundled: Dataset) -> None:
    ds = _with_texts(bundled, "'quoted' and ''twice''")
    write_csv(ds, tmp_path)
    assert "''quoted'" in (tmp_path / "twinnings.csv").read_text("utf-8-sig")
    assert read_csv(tmp_path) == ds
    assert read_csv(tmp_path, spreadsheet=False) != ds  # the quoting is real, and recorded


# --- CSV numbers and datapackage.json read strictly ------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    ["1_2.5", " -12.0", "-12.0 ", "inf", "nan", "-Infinity", "١٢", "１２", "1e400", "+1", ".5", "1.", "0x1"],
)
def test_csv_numbers_are_parsed_strictly(tmp_path: Path, bundled: Dataset, bad: str) -> None:
    write_csv(bundled, tmp_path)
    path = tmp_path / "places.csv"
    lima = bundled.place("pe-lma").coordinates
    assert lima is not None
    text = path.read_text(encoding="utf-8-sig")
    assert f",{lima.lat!r}," in text
    path.write_text(text.replace(f",{lima.lat!r},", f",{bad},", 1), encoding="utf-8-sig")
    with pytest.raises(DatasetError, match="not a finite number written with ASCII digits") as caught:
        read_csv(tmp_path)
    assert (caught.value.file, caught.value.field) == (str(path), "lat")


@pytest.mark.parametrize("bad", ["1_0", " 1", "٣", "+1", "1.0", "01", "1" * 30])
def test_csv_integers_are_parsed_strictly(tmp_path: Path, bundled: Dataset, bad: str) -> None:
    write_csv(bundled, tmp_path)
    path = tmp_path / "sources.csv"
    lines = path.read_bytes().decode("utf-8-sig").split("\r\n")
    cells = lines[1].split(",")
    cells[1] = bad  # the position column
    lines[1] = ",".join(cells)
    path.write_bytes("\r\n".join(lines).encode("utf-8-sig"))
    with pytest.raises(DatasetError, match="not a whole number") as caught:
        read_csv(tmp_path)
    assert caught.value.field == "position"


@pytest.mark.parametrize(
    ("change", "message", "field"),
    [
        (lambda text: "\ufeff" + text, "byte-order mark", None),
        (lambda text: text.replace('"version"', '"version": "a", "version"', 1), "appears twice", None),
        (lambda text: text.replace('"sinoperu:spreadsheet_safe": true', '"x": NaN', 1), "NaN", None),
        (lambda text: text[: len(text) // 2], "not valid JSON", None),
        (lambda text: "[]", "expected a JSON object", None),
        (
            lambda text: re.sub(r'"version": "[^"]*"', '"version": 2026', text, count=1),
            "expected text",
            "version",
        ),
        (lambda text: re.sub(r'"version": "[^"]*",', "", text, count=1), "required header field", "version"),
        (
            lambda text: re.sub(r'"sinoperu:as_of": "[^"]*"', '"sinoperu:as_of": "2026-13"', text),
            "month",
            "sinoperu:as_of",
        ),
        (
            lambda text: re.sub(r'"sinoperu:as_of": "[^"]*"', '"sinoperu:as_of": 2026', text),
            "ISO date",
            "sinoperu:as_of",
        ),
        (
            lambda text: text.replace(
                '"sinoperu:spreadsheet_safe": true', '"sinoperu:spreadsheet_safe": "yes"'
            ),
            "true or false",
            "sinoperu:spreadsheet_safe",
        ),
    ],
)
def test_datapackage_json_is_read_as_strictly_as_a_dataset_file(
    tmp_path: Path, bundled: Dataset, change: Any, message: str, field: str | None
) -> None:
    write_csv(bundled, tmp_path)
    path = tmp_path / "datapackage.json"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(DatasetError, match=message) as caught:
        read_csv(tmp_path)
    assert caught.value.file == str(path)
    assert caught.value.field == field


# --- equal values give equal bytes ---------------------------------------------------------------


@given(lat=st.integers(-90, 90), lon=st.integers(-180, 180))
def test_whole_number_coordinates_equal_their_floats_in_every_format(lat: int, lon: int) -> None:
    ints, floats = Coordinates(lat=lat, lon=lon), Coordinates(lat=float(lat), lon=float(lon))
    assert ints == floats
    assert hash(ints) == hash(floats)
    assert sinoperu.to_json(ints) == sinoperu.to_json(floats)
    assert (type(ints.lat), type(ints.lon)) == (float, float)
    place = Place(id="pe-x", kind=PlaceKind.CITY, country="PE", name="X", coordinates=ints, sources=[SOURCE])
    same = attrs.evolve(place, coordinates=floats)
    assert csv_text([place]) == csv_text([same])
    assert geojson_text([place]) == geojson_text([same])


def test_coordinates_one_and_two() -> None:
    assert Coordinates(lat=1, lon=2) == Coordinates(lat=1.0, lon=2.0)
    assert sinoperu.to_json(Coordinates(lat=1, lon=2)) == sinoperu.to_json(Coordinates(lat=1.0, lon=2.0))
    assert repr(Coordinates(lat=1, lon=2)) == "Coordinates(lat=1.0, lon=2.0)"


@pytest.mark.parametrize("bad", [True, False, "1", None, [1], 10**400, float("nan")])
@pytest.mark.parametrize("axis", ["lat", "lon"])
def test_coordinates_still_refuse_what_is_not_a_number(axis: str, bad: Any) -> None:
    values = {"lat": 0, "lon": 0, axis: bad}
    with pytest.raises(InvalidFieldError) as caught:
        Coordinates(**values)
    assert caught.value.field == axis


def test_a_file_with_whole_number_coordinates_loads_to_the_same_bytes(
    write_json: Any, bundled_dict: dict[str, Any]
) -> None:
    bundled_dict["places"][0]["coordinates"] = {"lat": -12, "lon": -77}
    as_ints = sinoperu.load(write_json(bundled_dict, "ints.json"))
    bundled_dict["places"][0]["coordinates"] = {"lat": -12.0, "lon": -77.0}
    as_floats = sinoperu.load(write_json(bundled_dict, "floats.json"))
    assert as_ints == as_floats
    assert sinoperu.to_json(as_ints) == sinoperu.to_json(as_floats)


# --- other processes: every error survives pickle; the public API in a process pool -------------


class _UsersError(DatasetError):
    """A subclass in user code keeps working too."""


ERRORS = [
    SinoperuError("plain"),
    InvalidFieldError("day", "30 is not a day of 2019-02"),
    DatasetError("bad", file="mine.json", record="'tw-x' (twinnings[0])", field="date"),
    DatasetError("no location"),
    UnknownPlaceError("Limaa", ["Lima", "Lim"]),
    AmbiguousPlaceError("Cusco", [("pe-cus", "region Cusco"), ("pe-cus-cusco", "city Cusco")]),
    ExportError("holds 'x', which sinoperu did not write", path="/out"),
    _UsersError("mine", file="f"),
]


@pytest.mark.parametrize("error", ERRORS, ids=lambda e: type(e).__name__)
def test_every_error_survives_pickle_and_copy(error: Exception) -> None:
    error.add_note("a note added on the way")
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(error, protocol))
        assert type(again) is type(error)
        assert str(again) == str(error)
        assert again.args == error.args
        assert vars(again) == vars(error)
    assert vars(copy.deepcopy(error)) == vars(error)
    assert str(copy.copy(error)) == str(error)


@given(field=st.text(), reason=st.text(), name=st.text(), ids=st.lists(st.text(), max_size=3))
def test_errors_with_any_text_survive_pickle(field: str, reason: str, name: str, ids: list[str]) -> None:
    for error in (
        InvalidFieldError(field, reason),
        DatasetError(reason, file=name or None, record=field or None, field=field),
        UnknownPlaceError(name, ids),
        AmbiguousPlaceError(name, [(i, reason) for i in ids]),
        ExportError(reason, path=name),
    ):
        again = pickle.loads(pickle.dumps(error))
        assert (type(again), str(again), vars(again)) == (type(error), str(error), vars(error))


def _place_in_worker(name: str) -> str:
    return sinoperu.place(name).id


def _load_in_worker(path: str) -> int:
    return len(sinoperu.load(path))


def _date_in_worker(day: int) -> str:
    return str(sinoperu.PartialDate(2019, 2, day))


def _export_in_worker(folder: str) -> list[str]:
    return [p.name for p in write_csv(sinoperu.load(), folder)]


def _query_in_worker(dataset: Dataset, city: str) -> tuple[Any, ...]:
    return dataset.query(city=city)


@pytest.fixture(scope="module")
def pool() -> Any:
    # "spawn": a fresh interpreter, as on macOS and Windows, that must import everything itself.
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as executor:
        yield executor


def test_documented_errors_reach_the_parent_of_a_process_pool(pool: Any, tmp_path: Path) -> None:
    bad_file = tmp_path / "bad.json"
    bad_file.write_text('{"format": "sinoperu-dataset", "format_version": 1', encoding="utf-8")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "mine.txt").write_text("mine", encoding="utf-8")
    cases = [
        (
            _place_in_worker,
            "Cusco",
            AmbiguousPlaceError,
            {"name": "Cusco", "candidates": ("pe-cus", "pe-cus-cusco")},
        ),
        (_place_in_worker, "Limaa", UnknownPlaceError, {"name": "Limaa"}),
        (_load_in_worker, str(bad_file), DatasetError, {"file": str(bad_file)}),
        (_date_in_worker, 30, InvalidFieldError, {"field": "day"}),
        (_export_in_worker, str(foreign), ExportError, {"path": str(foreign)}),
    ]
    for function, argument, expected, attributes in cases:
        with pytest.raises(expected) as caught:
            pool.submit(function, argument).result(timeout=120)
        for attribute, value in attributes.items():
            assert getattr(caught.value, attribute) == value
        with pytest.raises(expected) as here:
            function(argument)
        assert str(caught.value) == str(here.value)  # the same message as in this process
        assert vars(caught.value) == vars(here.value)


def test_records_and_datasets_cross_process_boundaries(pool: Any, bundled: Dataset) -> None:
    bundled.query(city="Lima")  # indices built: they are not sent, and rebuilt on the other side
    assert pool.submit(_query_in_worker, bundled, "Lima").result(timeout=120) == bundled.query(city="Lima")
    for item in (bundled, *bundled.places[:3], *bundled.records[:10]):
        assert pickle.loads(pickle.dumps(item)) == item


@given(sps.datasets(max_twinnings=4))
def test_random_datasets_survive_pickle(dataset: Dataset) -> None:
    again = pickle.loads(pickle.dumps(dataset))
    assert again == dataset
    assert again.records == dataset.records


# --- GeoJSON: every twinning is a feature; points resolved once per place -------------------------


def _place(id: str, country: str, *, parent: str | None = None, point: bool = False) -> Place:
    return Place(
        id=id,
        kind=PlaceKind.CITY if parent else PlaceKind.COUNTRY,
        country=country,
        name=id.upper(),
        parent=parent,
        coordinates=Coordinates(lat=-10, lon=-75) if point else None,
        sources=[SOURCE],
    )


def test_a_twinning_without_points_is_a_feature_with_null_geometry(bundled: Dataset) -> None:
    twinning = attrs.evolve(bundled.twinnings[0], id="tw-nowhere", peruvian_party="pe", chinese_party="cn")
    ds = Dataset(places=[_place("pe", "PE"), _place("cn", "CN")], twinnings=[twinning])
    for collection in (to_geojson(ds), to_geojson(ds.twinnings, dataset=ds)):
        (feature,) = collection["features"]
        assert feature["id"] == "tw-nowhere"
        assert feature["geometry"] is None  # RFC 7946, section 3.2
        assert feature["properties"]["peruvian_name"] == "PE"
        assert feature["properties"]["chinese_point_from"] is None
    assert json.loads(geojson_text(ds))["features"][0]["geometry"] is None


@given(sps.datasets())
def test_geojson_has_one_feature_per_twinning(dataset: Dataset) -> None:
    features = to_geojson(dataset)["features"]
    twinnings = [f for f in features if f["properties"]["record_type"] == "twinning"]
    assert [f["id"] for f in twinnings] == [t.id for t in dataset.twinnings]
    for feature in twinnings:
        assert feature["geometry"] is None or feature["geometry"]["type"] == "LineString"


def test_points_are_resolved_once_per_place(bundled: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    depth, count = 200, 300
    chain = [_place("pe", "PE", point=True)]
    for n in range(depth):
        chain.append(_place(f"pe-{n}", "PE", parent=chain[-1].id))
    base = bundled.twinnings[0]
    twinnings = [
        attrs.evolve(base, id=f"tw-{n}", peruvian_party=chain[-1].id, chinese_party="cn")
        for n in range(count)
    ]
    ds = Dataset(places=[*chain, _place("cn", "CN", point=True)], twinnings=twinnings)
    slot = Place.__dict__["coordinates"]
    reads = []

    def counted(self: Place) -> Any:
        reads.append(self.id)
        return slot.__get__(self, Place)

    monkeypatch.setattr(Place, "coordinates", property(counted))
    features = to_geojson(ds.twinnings, dataset=ds)["features"]
    assert len(features) == count
    assert features[0]["properties"]["peruvian_point_from"] == "pe"
    assert len(reads) <= 3 * (depth + count)  # linear: a walk up the chain per twinning would be 60,000


def test_every_test_named_in_the_guarantees_exists() -> None:
    root = Path(__file__).resolve().parent.parent
    text = (root / "docs" / "guarantees.md").read_text(encoding="utf-8")
    named = re.findall(r"tests/(test_\w+\.py)::(test_\w+)", text)
    assert len(named) >= 40
    for file, test in named:
        source = (root / "tests" / file).read_text(encoding="utf-8")
        assert re.search(rf"^def {test}\(", source, re.MULTILINE), f"{file}::{test}"
