"""Loading dataset files: every kind of bad file is refused with a located DatasetError."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

import sinoperu
from sinoperu import DatasetError, loader


def test_bundled_dataset_is_loaded_once_and_shared() -> None:
    assert sinoperu.load() is sinoperu.load()


def test_a_dumped_dataset_loads_back_equal(bundled: sinoperu.Dataset, write_json: Any) -> None:
    path = write_json(sinoperu.to_json(bundled))
    mine = sinoperu.load(path)
    assert mine == bundled
    assert mine is not bundled
    assert sinoperu.load(str(path)) == bundled


def test_loading_a_file_leaves_the_bundled_dataset_alone(
    bundled_dict: dict[str, Any], write_json: Any
) -> None:
    bundled_dict["twinnings"] = bundled_dict["twinnings"][:1]
    bundled_dict["exchanges"] = [
        e for e in bundled_dict["exchanges"] if e["twinning"] == bundled_dict["twinnings"][0]["id"]
    ]
    mine = sinoperu.load(write_json(bundled_dict))
    assert len(mine.twinnings) == 1
    assert len(sinoperu.load().twinnings) > 1


def _break(data: dict[str, Any], section: str, field: str, value: Any) -> str:
    record = data[section][0]
    if value is KeyError:
        del record[field]
    else:
        record[field] = value
    return record["id"]


@pytest.mark.parametrize(
    ("section", "field", "value", "message"),
    [
        ("twinnings", "date", "2019-02-30", "30 is not a day of 2019-02"),
        ("twinnings", "date", 2019, "expected an ISO date text"),
        ("twinnings", "kind", "twin_town", "'twin_town' is not one of"),
        ("twinnings", "status", KeyError, "required field is missing"),
        ("twinnings", "summary", ["a"], "expected text"),
        ("twinnings", "areas", "education", "expected a list"),
        ("twinnings", "colour", "red", "unknown field(s) 'colour'"),
        ("twinnings", "peruvian_party", "pe-atlantis", "'pe-atlantis' is not a place"),
        ("places", "coordinates", {"lat": -95.0, "lon": 10.0}, "outside -90..90"),
        ("places", "coordinates", {"lat": "-12", "lon": 10.0}, "expected a finite number"),
        ("places", "kind", None, "None is not one of"),
        ("milestones", "level", "micro", "is not one of 'bloc', 'meso'"),
        ("exchanges", "twinning", "tw-nowhere", "'tw-nowhere' is not a twinning"),
    ],
)
def test_bad_fields_are_located(
    bundled_dict: dict[str, Any], write_json: Any, section: str, field: str, value: Any, message: str
) -> None:
    record_id = _break(bundled_dict, section, field, value)
    path = write_json(bundled_dict)
    with pytest.raises(DatasetError) as caught:
        sinoperu.load(path)
    error = caught.value
    assert message in str(error)
    assert error.file == str(path)
    assert record_id in (error.record or "")
    assert (error.field or "").split(".")[0].split("[")[0] == field
    assert str(path) in str(error)
    assert f"field {error.field!r}" in str(error)


def test_nested_fields_get_a_full_path(bundled_dict: dict[str, Any], write_json: Any) -> None:
    bundled_dict["twinnings"][0]["sources"][0]["url"] = "not a url"
    with pytest.raises(DatasetError) as caught:
        sinoperu.load(write_json(bundled_dict))
    assert caught.value.field == "sources[0].url"


def test_duplicate_ids_are_located(bundled_dict: dict[str, Any], write_json: Any) -> None:
    bundled_dict["twinnings"].append(bundled_dict["twinnings"][0])
    with pytest.raises(DatasetError, match="duplicate id") as caught:
        sinoperu.load(write_json(bundled_dict))
    assert caught.value.field == "id"


def test_a_record_that_is_not_an_object(bundled_dict: dict[str, Any], write_json: Any) -> None:
    bundled_dict["places"][3] = "Lima"
    with pytest.raises(DatasetError, match=r"places\[3\].*expected a JSON object"):
        sinoperu.load(write_json(bundled_dict))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "is empty"),
        ("   \n", "is empty"),
        ('{"format": "sinoperu-dataset", ', "not valid JSON"),
        ("[]", "expected a JSON object at the top"),
        ('{"format": "other"}', "field 'format': must be 'sinoperu-dataset'"),
        (
            '{"format": "sinoperu-dataset", "format_version": 2, "version": "x"}',
            "field 'format_version': must be 1",
        ),
        (
            '{"format": "sinoperu-dataset", "format_version": 1, "version": "x", "extra": 1}',
            "unknown top-level",
        ),
        (
            '{"format": "sinoperu-dataset", "format_version": 1, "version": 3}',
            "field 'version': expected text",
        ),
        (
            '{"format": "sinoperu-dataset", "format_version": 1, "version": "x", "as_of": "2020-13"}',
            "not a month",
        ),
        (
            '{"format": "sinoperu-dataset", "format_version": 1, "version": "x", "places": {}}',
            "expected a list",
        ),
        ('{"format": "sinoperu-dataset", "format": "sinoperu-dataset"}', "appears twice"),
        ('{"format": NaN}', "not a number JSON allows"),
    ],
)
def test_broken_files_are_refused(write_json: Any, content: str, message: str) -> None:
    path = write_json(content)
    with pytest.raises(DatasetError, match=message) as caught:
        sinoperu.load(path)
    assert caught.value.file == str(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match="no such file"):
        sinoperu.load(tmp_path / "absent.json")
    with pytest.raises(DatasetError, match="is a directory"):
        sinoperu.load(tmp_path)


def test_invalid_utf8_and_bom(tmp_path: Path, bundled: sinoperu.Dataset) -> None:
    path = tmp_path / "latin1.json"
    path.write_bytes('{"format": "Perú"}'.encode("latin-1"))
    with pytest.raises(DatasetError, match="not UTF-8: invalid byte at offset 15"):
        sinoperu.load(path)
    path.write_bytes(b"\xef\xbb\xbf" + sinoperu.to_json(bundled).encode())
    with pytest.raises(DatasetError, match="byte-order mark"):
        sinoperu.load(path)


def test_size_limit_is_checked_before_reading(write_json: Any, bundled: sinoperu.Dataset) -> None:
    path = write_json(sinoperu.to_json(bundled))
    size = path.stat().st_size
    with pytest.raises(DatasetError, match="over the limit"):
        sinoperu.load(path, max_bytes=size - 1)
    assert sinoperu.load(path, max_bytes=size) == bundled
    assert sinoperu.load(path, max_bytes=None) == bundled
    with pytest.raises(ValueError, match="max_bytes"):
        sinoperu.load(path, max_bytes=-1)


def test_bad_path_types() -> None:
    with pytest.raises(TypeError, match="dataset path"):
        sinoperu.load(42)  # type: ignore[arg-type]


def test_cold_start_under_many_threads_gives_one_dataset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader, "_bundled", None)  # as if nobody had loaded it yet
    threads_count = 16
    barrier = threading.Barrier(threads_count)
    seen: list[Any] = [None] * threads_count
    expected = [r.id for r in sinoperu.load(_path_of_bundled()).by_province("Fujian")]
    monkeypatch.setattr(loader, "_bundled", None)

    def work(n: int) -> None:
        barrier.wait()
        dataset = sinoperu.load()
        seen[n] = (dataset, [r.id for r in sinoperu.by_province("Fujian")], len(sinoperu.by_city("Lima")))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    datasets = {id(dataset) for dataset, _, _ in seen}
    assert len(datasets) == 1
    assert all(ids == expected for _, ids, _ in seen)
    assert len({count for _, _, count in seen}) == 1


def _path_of_bundled() -> Path:
    from importlib.resources import as_file, files

    with as_file(files("sinoperu").joinpath("data", "sinoperu.json")) as path:
        copy = Path(path).read_text(encoding="utf-8")
    target = Path(__import__("tempfile").mkdtemp()) / "bundled.json"
    target.write_text(copy, encoding="utf-8")
    return target


def test_file_format_is_plain_json_others_can_read(bundled: sinoperu.Dataset) -> None:
    data = json.loads(sinoperu.to_json(bundled))
    assert list(data)[:4] == ["format", "format_version", "version", "as_of"]
    assert data["format"] == "sinoperu-dataset"


def test_a_loaded_file_keeps_each_repeated_value_once(bundled_dict: dict[str, Any], write_json: Any) -> None:
    dataset = sinoperu.load(write_json(bundled_dict))
    places = {p.id: p for p in dataset.places}
    for twinning in dataset.twinnings:  # a party is the very text its place holds
        assert twinning.peruvian_party is places[twinning.peruvian_party].id
        assert twinning.chinese_party is places[twinning.chinese_party].id
    for milestone in dataset.milestones:
        assert all(ref is places[ref].id for ref in milestone.places)
    by_sources: dict[Any, Any] = {}
    for record in dataset.records:  # records citing the same pages share one tuple of them
        assert by_sources.setdefault(record.sources, record.sources) is record.sources
    cited = [s for r in dataset.records for s in r.sources]
    for field in ("language", "publisher"):  # a code, and a field described as repeating
        assert len({id(getattr(s, field)) for s in cited}) == len({getattr(s, field) for s in cited})
    years = [r.date.year for r in dataset.records if isinstance(r.date, sinoperu.PartialDate)]
    assert len({id(year) for year in years}) == len(set(years))  # one int per year


def test_a_load_keeps_nothing_behind(bundled_dict: dict[str, Any], write_json: Any) -> None:
    from sinoperu import decode

    sinoperu.load(write_json(bundled_dict))
    # The per-load memo and table of texts are emptied however the load ends.
    assert not decode._MEMO.get()
    assert not decode._TEXTS.get()
    broken = dict(bundled_dict, places=[*bundled_dict["places"], {"id": 1}])
    with pytest.raises(DatasetError):
        sinoperu.load(write_json(broken))
    assert not decode._MEMO.get()
    assert not decode._TEXTS.get()


def test_a_load_leaves_the_interpreters_interned_texts_alone(
    bundled_dict: dict[str, Any], write_json: Any
) -> None:
    import sys

    # A place renamed to an id written nowhere else: had the load interned it, sys.intern
    # would hand back the loaded object itself.
    place = bundled_dict["places"][-1]["id"]
    fresh = "-".join((place, "renamed", str(id(bundled_dict))))
    edited = json.loads(json.dumps(bundled_dict).replace(json.dumps(place), json.dumps(fresh)))
    dataset = sinoperu.load(write_json(edited))
    loaded = dataset.place(fresh).id
    assert loaded == fresh
    assert loaded is not fresh
    assert sys.intern(fresh) is not loaded
