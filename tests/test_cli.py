"""The command line, run as a real subprocess the way a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import sinoperu


def run(*args: str, check_status: int | None = None) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "sinoperu", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    if check_status is not None:
        assert result.returncode == check_status, result.stderr
    return result


def test_help_everywhere() -> None:
    for args in ([], ["query"], ["export"], ["validate"], ["summary"], ["show"], ["cite"], ["diff"]):
        result = run(*args, "--help", check_status=0)
        assert "usage: sinoperu" in result.stdout


def test_summary_counts() -> None:
    out = run("summary", check_status=0).stdout
    ds = sinoperu.load()
    assert f"{len(ds.places)} places" in out
    assert f"micro {len(ds.by_level('micro'))}" in out
    assert "twinning evidence: confirmed" in out


def test_query_prints_a_table_by_default() -> None:
    out = run("query", "--city", "Cuzco", check_status=0).stdout
    assert "tw-cusco-xian" in out
    assert out.splitlines()[0].split() == ["date", "level", "kind", "id", "title"]


def test_query_formats() -> None:
    records = json.loads(run("query", "--province", "福建", "--format", "json", check_status=0).stdout)
    assert [r["id"] for r in records] == [r.id for r in sinoperu.by_province("Fujian")]
    csv_out = run(
        "query", "--level", "bloc", "--since", "2015", "--until", "2016", "--format", "csv", check_status=0
    ).stdout
    assert len(csv_out.splitlines()) == 1 + len(sinoperu.query(level="bloc", year=(2015, 2016)))
    geo = json.loads(run("query", "--city", "Lima", "--format", "geojson", check_status=0).stdout)
    assert geo["type"] == "FeatureCollection"


def test_query_that_finds_nothing_exits_1() -> None:
    result = run("query", "--city", "Lima", "--year", "1850")
    assert result.returncode == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "--city", "Limma"], "did you mean 'Lima'"),
        (["query", "--year", "twenty"], "is not a year"),
        (["query", "--level", "macro"], "valid levels are"),
        (["query", "--kind", "twin"], "valid kinds are"),
        (["query", "--year", "2018", "--since", "2010"], "not both"),
        (["query", "--format", "xml"], "invalid choice"),
        (["nonsense"], "invalid choice"),
        (["--data", "/nonexistent.json", "summary"], "no such file"),
        (["show", "no-such-id"], "no place or record"),
        (["validate", "--max-bytes", "-5", "x.json"], "cannot be negative"),
        (["show", "Limma"], "did you mean 'Lima'"),
        (["show", "Cuzco"], "'pe-cus-cusco' (city Cusco)"),
        (["cite", "--style", "mla"], "invalid choice"),
        (["diff", "/nonexistent.json", "/nonexistent.json"], "no such file"),
        (["diff", "only-one.json"], "the following arguments are required: new"),
    ],
)
def test_bad_usage_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_export_writes_every_format(tmp_path: Path) -> None:
    out = run("export", str(tmp_path / "out"), check_status=0).stdout
    written = {Path(line).name for line in out.splitlines()}
    assert {
        "sinoperu.json",
        "sinoperu.geojson",
        "sinoperu.schema.json",
        "twinnings.csv",
        "datapackage.json",
    } <= written
    assert sinoperu.load(tmp_path / "out" / "sinoperu.json") == sinoperu.load()
    from sinoperu.export import read_csv

    assert read_csv(tmp_path / "out" / "csv") == sinoperu.load()


def test_validate_accepts_a_good_file_and_reports_every_error(
    tmp_path: Path, bundled_dict: dict[str, Any]
) -> None:
    good = tmp_path / "good.json"
    good.write_text(sinoperu.to_json(sinoperu.load()), encoding="utf-8")
    assert "valid" in run("validate", str(good), check_status=0).stdout
    bundled_dict["twinnings"][0]["date"] = "2019-02-30"
    bundled_dict["places"][1]["coordinates"] = {"lat": 200, "lon": 0}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(bundled_dict), encoding="utf-8")
    result = run("validate", str(bad))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert any("field 'date'" in line and bundled_dict["twinnings"][0]["id"] in line for line in lines)
    assert any("field 'coordinates.lat'" in line for line in lines)


def test_validate_broken_files(tmp_path: Path) -> None:
    (tmp_path / "empty.json").write_text("", encoding="utf-8")
    assert "is empty" in run("validate", str(tmp_path / "empty.json")).stderr
    assert run("validate", str(tmp_path)).returncode == 2


def test_data_option_uses_the_users_file(tmp_path: Path, bundled_dict: dict[str, Any]) -> None:
    bundled_dict["twinnings"] = bundled_dict["twinnings"][:1]
    bundled_dict["exchanges"] = [
        e for e in bundled_dict["exchanges"] if e["twinning"] == bundled_dict["twinnings"][0]["id"]
    ]
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(bundled_dict), encoding="utf-8")
    out = run("--data", str(path), "summary", check_status=0).stdout
    assert "twinning status: " in out
    assert sum(int(n) for n in out.split("twinning evidence: ")[1].splitlines()[0].split()[1::2]) == 1


def test_console_script_is_installed() -> None:
    script = Path(sys.executable).parent / "sinoperu"
    if not script.exists():
        pytest.skip("no console script in this environment (not installed from the wheel)")
    result = subprocess.run(
        [str(script), "query", "--city", "Santa"], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0
    assert "tw-chimbote-zhangzhou" in result.stdout


def test_version_names_the_package_and_the_data() -> None:
    out = run("--version", check_status=0).stdout.strip()
    ds = sinoperu.load()
    assert out == f"sinoperu {sinoperu.__version__} (data {ds.version}, as of {ds.as_of})"


def test_show_takes_ids_and_names_in_any_script() -> None:
    assert json.loads(run("show", "pe-cus-cusco", check_status=0).stdout)["name"] == "Cusco"
    assert json.loads(run("show", "tw-lima-shanghai", check_status=0).stdout)["type"] == "twinning"
    for name in ("西安", "Xian", "xi'an"):
        assert json.loads(run("show", name, check_status=0).stdout)["id"] == sinoperu.place("Xi'an").id
    assert json.loads(run("show", "chimbote", check_status=0).stdout)["id"] == "pe-anc-chimbote"
    shared = run("show", "库斯科")  # the region and the city: the user picks an id
    assert shared.returncode == 2
    assert "'pe-cus'" in shared.stderr
    assert "'pe-cus-cusco'" in shared.stderr


def test_cite_in_every_style() -> None:
    assert run("cite", check_status=0).stdout == sinoperu.cite() + "\n"
    assert run("cite", "--style", "apa", check_status=0).stdout == sinoperu.cite("apa") + "\n"
    assert json.loads(run("cite", "--style", "csl-json", check_status=0).stdout)[0]["type"] == "dataset"
