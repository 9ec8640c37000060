"""The command line at its edges: a closed pipe, Ctrl-C, bad paths, spreadsheets and the BOM."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import sinoperu

SRC = Path(sinoperu.__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(SRC)}
posix_only = pytest.mark.skipif(os.name != "posix", reason="pipes and signals as POSIX has them")


def _commands(tmp_path: Path, *, write: bool = True) -> dict[str, list[str]]:
    """Every subcommand (and option) that writes to standard output."""
    good = tmp_path / "good.json"
    if write:
        good.write_text(sinoperu.to_json(sinoperu.load()), encoding="utf-8")
    return {
        "summary": ["summary"],
        "query-table": ["query"],
        "query-json": ["query", "--format", "json"],
        "query-csv": ["query", "--format", "csv"],
        "query-geojson": ["query", "--format", "geojson"],
        "export": ["export", str(tmp_path / "out")],
        "validate": ["validate", str(good)],
        "show": ["show", "tw-lima-shanghai"],
        "help": ["--help"],
        "query-help": ["query", "--help"],
        "version": ["--version"],
    }


COMMANDS = sorted(_commands(Path("unused"), write=False))


@posix_only
@pytest.mark.parametrize("name", COMMANDS)
def test_a_closed_pipe_ends_quietly_with_status_141(tmp_path: Path, name: str) -> None:
    args = _commands(tmp_path)[name]
    process = subprocess.Popen(
        [sys.executable, "-m", "sinoperu", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV
    )
    assert process.stdout is not None
    process.stdout.close()  # the reader is gone before the first byte is written
    _, stderr = process.communicate(timeout=120)
    assert stderr.decode() == ""
    assert process.returncode == 141  # 128 + SIGPIPE, as a shell reports a program the pipe stopped


@posix_only
@pytest.mark.skipif(
    shutil.which("bash") is None or shutil.which("head") is None, reason="needs bash and head"
)
@pytest.mark.parametrize("name", ["query-json", "summary", "query-csv"])
def test_piping_into_head_prints_no_error(tmp_path: Path, name: str) -> None:
    args = " ".join(_commands(tmp_path)[name])
    script = f"set -o pipefail; '{sys.executable}' -m sinoperu {args} | head -c 10"
    result = subprocess.run(["bash", "-c", script], capture_output=True, env=ENV, timeout=120)
    assert len(result.stdout) == 10
    assert result.stderr == b""
    assert result.returncode in (0, 141)  # 0 if everything fitted in the pipe before head left


# Ctrl-C delivered as a real SIGINT while the subcommand is at work (not before it starts).
_INTERRUPTED = """
import os, signal, sys, time
import sinoperu.cli as cli
work = getattr(cli, sys.argv[1])
def interrupted(*args):
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(30)  # the signal arrives here
    return work(*args)
setattr(cli, sys.argv[1], interrupted)
sys.exit(cli.main(sys.argv[2:]))
"""

_WORK = {
    "summary": "_summary",
    "query-table": "_query",
    "query-json": "_query",
    "query-csv": "_query",
    "query-geojson": "_query",
    "export": "_export",
    "validate": "_validate",
    "show": "_show",
}


@posix_only
@pytest.mark.parametrize("name", sorted(_WORK))
def test_ctrl_c_in_any_subcommand_is_one_line_and_status_130(tmp_path: Path, name: str) -> None:
    args = _commands(tmp_path)[name]
    result = subprocess.run(
        [sys.executable, "-c", _INTERRUPTED, _WORK[name], *args],
        capture_output=True,
        text=True,
        env=ENV,
        timeout=120,
    )
    assert result.returncode == 130
    assert result.stderr == "sinoperu: interrupted\n"


@posix_only
def test_ctrl_c_while_blocked_on_a_full_pipe() -> None:
    # Every bundled record as JSON is about 190 kB, more than a pipe holds (64 KiB on Linux).
    process = subprocess.Popen(
        [sys.executable, "-m", "sinoperu", "query", "--format", "json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=ENV,
    )
    assert process.stdout is not None
    assert process.stdout.read(1) == b"["  # it is writing; nobody reads on, so it blocks
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130
    assert stderr.decode() == "sinoperu: interrupted\n"


@posix_only
def test_ctrl_c_during_an_export_leaves_the_previous_export(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    subprocess.run(
        [sys.executable, "-m", "sinoperu", "export", str(folder)], check=True, env=ENV, timeout=120
    )
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    code = textwrap.dedent(
        """
        import os, signal, sys
        import sinoperu.export.files as files
        real = files._commit
        def interrupted(*args):
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C as the files are written
            return real(*args)
        files._commit = interrupted
        import sinoperu.cli
        sys.exit(sinoperu.cli.main(["export", "--raw", sys.argv[1]]))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, env=ENV, timeout=120
    )
    assert result.returncode == 130
    assert result.stderr == "sinoperu: interrupted\n"
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--data", "no-such-file.json", "summary"], "no such file"),
        (["validate", "."], "is a directory"),
        (["query", "--output", "no/such/folder/x.csv"], "is not an existing folder"),
        (["query", "--format", "xml"], "invalid choice"),
        (["export"], "the following arguments are required"),
        (["query", "--year", "١٩٨٣"], "not a year"),
    ],
)
def test_wrong_usage_and_bad_paths_exit_2_with_one_line(args: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sinoperu", *args], capture_output=True, text=True, env=ENV, timeout=120
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]


# --- spreadsheets and the byte-order mark on the command line ------------------------------------


def _query_csv(*options: str, data: Path | None = None) -> bytes:
    prefix = ["--data", str(data)] if data else []
    return subprocess.run(
        [sys.executable, "-m", "sinoperu", *prefix, "query", "--format", "csv", "--level", "micro", *options],
        capture_output=True,
        env=ENV,
        timeout=120,
        check=True,
    ).stdout


def test_query_csv_on_a_pipe_has_no_bom_unless_asked() -> None:
    assert _query_csv().startswith(b"id,")
    assert _query_csv("--bom").startswith(b"\xef\xbb\xbfid,")


def test_exported_csv_files_carry_the_bom(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "sinoperu", "export", str(tmp_path)], check=True, env=ENV, timeout=120
    )
    for name in ("places", "twinnings", "milestones", "exchanges", "sources"):
        assert (tmp_path / "csv" / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_query_csv_quotes_formulas_unless_raw(tmp_path: Path) -> None:
    data = json.loads(sinoperu.to_json(sinoperu.load()))
    for twinning in data["twinnings"]:
        twinning["summary"] = "@SUM(1+1)*cmd"
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps(data), encoding="utf-8")
    # The query table of a twinning shows the parties as title; the twinnings table has the summary.
    export = tmp_path / "out"
    subprocess.run(
        [sys.executable, "-m", "sinoperu", "--data", str(mine), "export", str(export)],
        check=True,
        env=ENV,
        timeout=120,
    )
    assert ",'@SUM(1+1)*cmd," in (export / "csv" / "twinnings.csv").read_text(encoding="utf-8-sig")
    for place in data["places"]:
        place["name"] = "-" + place["name"]
    mine.write_text(json.dumps(data), encoding="utf-8")
    assert b",'-" in _query_csv(data=mine)
    assert b",'-" not in _query_csv("--raw", data=mine)
    assert b",-" in _query_csv("--no-spreadsheet-safe", data=mine)
