"""Hostile input, frozen installs and bad arguments: the guarantees of docs/guarantees.md."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import attrs
import pytest

import sinoperu
from sinoperu import DatasetError, Level
from sinoperu.export import read_csv, write_csv


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 5000 + "]" * 5000, "nested too deeply"),
        ('{"format": ' + "[" * 100_000, "not valid JSON"),
        ('{"format": 1e400}', "too large for a float"),
        ('{"format": ' + "9" * 5000 + "}", "not valid JSON here"),
        ('{"format": "sinoperu-dataset", "format_version": 1, "version": "x"', "not valid JSON"),
        ('"just a string"', "expected a JSON object at the top"),
        ("null", "expected a JSON object at the top"),
    ],
)
def test_hostile_json_files(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DatasetError, match=message):
        sinoperu.load(path)


def test_very_long_strings_are_refused(tmp_path: Path, bundled_dict: dict[str, Any]) -> None:
    bundled_dict["twinnings"][0]["summary"] = "x" * 5_000_000
    path = tmp_path / "long.json"
    path.write_text(json.dumps(bundled_dict), encoding="utf-8")
    with pytest.raises(DatasetError, match="characters long; the limit is 20000") as caught:
        sinoperu.load(path)
    assert caught.value.field == "summary"


@pytest.mark.parametrize("bad_id", ["TW-Lima", "tw_lima", "tw lima", "twé", "tw--a", "-tw", ""])
def test_ids_must_be_lowercase_slugs(tmp_path: Path, bundled_dict: dict[str, Any], bad_id: str) -> None:
    bundled_dict["twinnings"][0]["id"] = bad_id
    path = tmp_path / "ids.json"
    path.write_text(json.dumps(bundled_dict), encoding="utf-8")
    with pytest.raises(DatasetError) as caught:
        sinoperu.load(path)
    assert caught.value.field == "id"


def test_a_file_of_several_hundred_megabytes_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as stream:  # sparse: takes no disk and no time to make
        stream.truncate(300 * 1024 * 1024)
    with pytest.raises(DatasetError, match="over the limit of 268,435,456"):
        sinoperu.load(path)
    result = subprocess.run(
        [sys.executable, "-m", "sinoperu", "validate", str(path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert "over the limit" in result.stderr


def test_csv_hostile_files(tmp_path: Path, bundled: sinoperu.Dataset) -> None:
    write_csv(bundled, tmp_path)
    twinnings = tmp_path / "twinnings.csv"
    original = twinnings.read_bytes()
    twinnings.write_bytes(original[: len(original) // 2])  # truncated mid-row
    with pytest.raises(DatasetError) as caught:
        read_csv(tmp_path)
    assert caught.value.file == str(twinnings)
    twinnings.write_bytes(original.replace("利马".encode(), b"\xff\xfe", 1))
    with pytest.raises(DatasetError, match="not UTF-8"):
        read_csv(tmp_path)
    twinnings.write_bytes(original)
    with pytest.raises(DatasetError, match="over the limit"):
        read_csv(tmp_path, max_bytes=100)
    assert read_csv(tmp_path) == bundled


def test_text_is_kept_exactly_as_written(tmp_path: Path, bundled: sinoperu.Dataset) -> None:
    decomposed = unicodedata.normalize("NFD", "Junín, Xī'ān, 利马 – «ñandú»")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    twinning = attrs.evolve(bundled.twinnings[0], summary=decomposed)
    dataset = sinoperu.Dataset(
        places=bundled.places,
        twinnings=(twinning, *bundled.twinnings[1:]),
        milestones=bundled.milestones,
        exchanges=bundled.exchanges,
        version=bundled.version,
        as_of=bundled.as_of,
    )
    again = sinoperu.from_json(sinoperu.to_json(dataset))
    assert again.lookup(twinning.id).summary == decomposed
    write_csv(dataset, tmp_path)
    assert read_csv(tmp_path).lookup(twinning.id).summary == decomposed


def test_bundled_json_is_byte_identical_after_load_and_dump() -> None:
    from importlib.resources import files

    raw = files("sinoperu").joinpath("data", "sinoperu.json").read_bytes()
    assert sinoperu.to_json(sinoperu.from_json(raw)).encode("utf-8") == raw


def test_works_when_imported_from_a_zip(tmp_path: Path) -> None:
    package = Path(sinoperu.__file__).parent
    archive = tmp_path / "sinoperu.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in package.rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                zipped.write(path, Path("sinoperu") / path.relative_to(package))
    code = (
        "import sinoperu, sys; "
        "assert sinoperu.__file__.startswith(sys.argv[1]), sinoperu.__file__; "
        "print(len(sinoperu.by_city('Lima')), sinoperu.load().version)"
    )
    env = {**os.environ, "PYTHONPATH": str(archive)}  # the zip comes before site-packages
    result = subprocess.run(
        [sys.executable, "-c", code, str(archive)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    count, version = result.stdout.split()
    assert int(count) == len(sinoperu.by_city("Lima"))
    assert version == sinoperu.load().version


# --- every public function refuses bad arguments with a clear, documented error ----------

BAD_VALUES = [
    None,
    42,
    3.5,
    b"bytes",
    ["Lima"],
    {"city": "Lima"},
    object(),
    "",
    "   ",
    "\x00",
    "no-such-place-x",
]
CLEAR = (TypeError, ValueError, LookupError)


def _calls() -> list[tuple[str, Any]]:
    ds = sinoperu.load()
    return [
        ("by_city", sinoperu.by_city),
        ("by_province", sinoperu.by_province),
        ("by_level", sinoperu.by_level),
        ("by_year", sinoperu.by_year),
        ("place", sinoperu.place),
        ("query(city=)", lambda v: sinoperu.query(city=v)),
        ("query(province=)", lambda v: sinoperu.query(province=v)),
        ("query(year=)", lambda v: sinoperu.query(year=v)),
        ("query(level=)", lambda v: sinoperu.query(level=v)),
        ("query(kind=)", lambda v: sinoperu.query(kind=v)),
        ("load", sinoperu.load),
        ("from_json", sinoperu.from_json),
        ("to_json", sinoperu.to_json),
        ("Dataset.get", ds.get),
        ("Dataset.lookup", ds.lookup),
        ("Dataset.by_kind", ds.by_kind),
        ("Dataset.place(prefer=)", lambda v: ds.place("Lima", prefer=v)),
        ("by_year(end=)", lambda v: sinoperu.by_year(2018, v)),
        ("PartialDate.parse", sinoperu.PartialDate.parse),
        ("read_csv", read_csv),
    ]


@pytest.mark.parametrize(("name", "function"), _calls(), ids=[name for name, _ in _calls()])
def test_bad_arguments_never_leak_internal_errors(name: str, function: Any) -> None:
    for value in BAD_VALUES:
        try:
            function(value)
        except CLEAR:
            continue
        except Exception as error:  # an AttributeError or KeyError from inside would land here
            pytest.fail(f"{name}({value!r}) raised {type(error).__name__}: {error}")


def test_level_enum_and_text_agree() -> None:
    assert sinoperu.by_level(Level.BLOC) == sinoperu.by_level(" bloc ")
