"""Files the library writes: all or nothing, never over what it did not write, clear about paths."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import sinoperu
from sinoperu import Dataset, ExportError, InvalidFieldError
from sinoperu.export import read_csv, write_csv, write_datapackage
from sinoperu.export.files import MANIFEST, write_file, write_files

SRC = Path(sinoperu.__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``folder`` (hidden ones too), by relative path: bytes, or None."""
    return {
        path.relative_to(folder).as_posix(): None
        if path.is_dir() and not path.is_symlink()
        else path.read_bytes()
        for path in sorted(folder.rglob("*"))
    }


def changed(ds: Dataset) -> Dataset:
    """The dataset with every twinning's summary changed: a second export differs in every CSV."""
    return Dataset(
        places=[attrs.evolve(p, notes=p.notes + " (revised)") for p in ds.places],
        twinnings=[attrs.evolve(t, summary=t.summary + " (revised)") for t in ds.twinnings],
        milestones=[attrs.evolve(m, summary=m.summary + " (revised)") for m in ds.milestones],
        exchanges=[attrs.evolve(e, summary=e.summary + " (revised)") for e in ds.exchanges],
        version=ds.version + "-revised",
        as_of=ds.as_of,
    )


def run_python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        env=env,
    )


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sinoperu", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


# --- atomic: a failure at any point leaves every earlier file as it was ------------------------

_FILE_SIZE_LIMIT = """
import resource, sys
import sinoperu
from sinoperu.export import write_csv
from {module} import changed
dataset = changed(sinoperu.load())
resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))  # under the largest CSV file
try:
    write_csv(dataset, sys.argv[1])
except sinoperu.ExportError as error:
    print(type(error).__name__, error.path, error, sep="|")
"""


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE as Linux has it")
def test_a_full_disk_leaves_the_previous_export_byte_identical(tmp_path: Path, bundled: Dataset) -> None:
    folder = tmp_path / "out"
    write_csv(bundled, folder)
    before = snapshot(folder)
    code = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r})\n" + _FILE_SIZE_LIMIT.format(
        module=Path(__file__).stem
    )
    result = run_python(code, str(folder))
    assert result.returncode == 0, result.stderr
    kind, path, message = result.stdout.strip().split("|")
    assert kind == "ExportError"
    assert "File too large" in message
    assert "nothing was changed" in message
    assert Path(path).parent == folder
    assert snapshot(folder) == before  # no file changed, no temporary file left


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE as Linux has it")
def test_a_full_disk_during_the_cli_export_exits_2_and_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    assert run_cli("export", str(folder)).returncode == 0
    before = snapshot(folder)
    result = run_python(
        """
        import resource, sys
        from sinoperu.cli import main
        resource.setrlimit(resource.RLIMIT_FSIZE, (30_000, 30_000))
        sys.exit(main(["export", "--raw", sys.argv[1]]))  # --raw: other bytes than the first export
        """,
        str(folder),
    )
    assert result.returncode == 2
    assert "File too large" in one_line(result.stderr)
    assert snapshot(folder) == before


class _Exploding:
    """A cell value whose text cannot be made: a record that fails half-way through a table."""

    def __str__(self) -> str:
        raise RuntimeError("this cell cannot be written")


def test_a_record_that_fails_half_way_changes_nothing(tmp_path: Path, bundled: Dataset) -> None:
    write_csv(bundled, tmp_path)
    before = snapshot(tmp_path)
    last = attrs.evolve(bundled.twinnings[-1])
    object.__setattr__(last, "summary", _Exploding())  # the last row of the second file fails
    records = (*changed(bundled).places, *bundled.twinnings[:-1], last)  # places.csv would change
    with pytest.raises(ValueError, match="expected text"):
        write_csv(records, tmp_path, dataset=bundled)
    assert snapshot(tmp_path) == before


def test_an_unencodable_character_is_a_clear_error_and_changes_nothing(
    tmp_path: Path, bundled: Dataset
) -> None:
    write_csv(bundled, tmp_path)
    before = snapshot(tmp_path)
    with pytest.raises(InvalidFieldError, match="surrogate"):  # a record refuses one when it is made
        attrs.evolve(bundled.places[0], notes="lone \ud800 surrogate")
    place = attrs.evolve(bundled.places[0])
    object.__setattr__(place, "notes", "lone \ud800 surrogate")  # past the model: the writer still refuses
    with pytest.raises(ExportError, match="cannot be written as utf-8-sig") as caught:
        write_csv((place,), tmp_path)
    assert caught.value.path == "places.csv"
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("failing_call", [1, 2, 4, 6])
@pytest.mark.parametrize("failure", [KeyboardInterrupt, OSError])
def test_an_interruption_between_the_renames_rolls_the_whole_set_back(
    tmp_path: Path, bundled: Dataset, failing_call: int, failure: type[BaseException]
) -> None:
    write_csv(bundled, tmp_path)
    before = snapshot(tmp_path)
    real_replace = os.replace
    calls = []

    def replace(source: Any, target: Any) -> None:
        calls.append(target)
        if len(calls) == failing_call:
            raise failure(errno.EIO, "injected") if failure is OSError else failure()
        real_replace(source, target)

    with mock.patch("os.replace", replace), pytest.raises(ExportError if failure is OSError else failure):
        write_csv(changed(bundled), tmp_path)
    assert len(calls) > failing_call or failing_call == 1  # the files already replaced were put back
    assert snapshot(tmp_path) == before


@given(
    existing=st.dictionaries(st.sampled_from(["a.csv", "b.csv", "sub/c.csv"]), st.binary(max_size=50)),
    new=st.dictionaries(
        st.sampled_from(["a.csv", "b.csv", "d.json", "sub/c.csv", "sub/e.csv"]),
        st.binary(max_size=50),
        min_size=1,
    ),
    fail_at=st.integers(1, 12),
    where=st.sampled_from(["os.replace", "os.fsync", "os.link"]),
)
def test_any_failure_anywhere_leaves_the_folder_as_it_was(
    tmp_path_factory: pytest.TempPathFactory,
    existing: dict[str, bytes],
    new: dict[str, bytes],
    fail_at: int,
    where: str,
) -> None:
    folder = tmp_path_factory.mktemp("set")
    if existing:
        write_files(folder, existing)
    before = snapshot(folder)
    real = {"os.replace": os.replace, "os.fsync": os.fsync, "os.link": os.link}[where]
    calls = []

    def failing(*args: Any) -> Any:
        calls.append(args)
        if len(calls) == fail_at:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args)

    try:
        with mock.patch(where, failing):
            write_files(folder, new)
    except ExportError as error:
        message = str(error)
        assert "No space left on device" in message
        assert snapshot(folder) == before
    else:  # the failure came too late to matter: the new set is all there, and the manifest says so
        after = snapshot(folder)
        assert all(after[name] == data for name, data in new.items())
        assert set(json.loads(after[MANIFEST])["files"]) == set(existing) | set(new)


# --- never over what the library did not write -------------------------------------------------


def test_export_refuses_a_folder_holding_the_users_own_dataset(tmp_path: Path) -> None:
    mine = tmp_path / "sinoperu.json"
    mine.write_text('{"my": "own data"}', encoding="utf-8")
    result = run_cli("export", str(tmp_path))
    assert result.returncode == 2
    line = one_line(result.stderr)
    assert "'sinoperu.json', which sinoperu did not write" in line
    assert "--force" in line
    assert mine.read_text(encoding="utf-8") == '{"my": "own data"}'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sinoperu.json"]
    assert run_cli("export", "--force", str(tmp_path)).returncode == 0
    assert sinoperu.load(mine) == sinoperu.load()


def test_write_csv_refuses_other_files_unless_asked(tmp_path: Path, bundled: Dataset) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    with pytest.raises(ExportError, match=r"'notes\.txt', which sinoperu did not write") as caught:
        write_csv(bundled, tmp_path)
    assert caught.value.path == str(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]
    write_csv(bundled, tmp_path, overwrite=True)
    assert notes.read_text(encoding="utf-8") == "mine"  # written beside, never deleted
    assert read_csv(tmp_path) == bundled
    with pytest.raises(ExportError, match=r"notes\.txt"):  # still not ours next time
        write_csv(bundled, tmp_path)


def test_a_re_export_over_its_own_export_is_allowed(tmp_path: Path, bundled: Dataset) -> None:
    write_csv(bundled, tmp_path)
    write_csv(changed(bundled), tmp_path)
    assert read_csv(tmp_path) == changed(bundled)
    for _ in range(2):
        assert run_cli("export", str(tmp_path / "all")).returncode == 0
    manifest = json.loads((tmp_path / "all" / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["library_version"] == sinoperu.__version__
    assert {"csv/twinnings.csv", "sinoperu.json", "sinoperu.geojson"} <= set(manifest["files"])


def test_a_file_edited_since_the_export_is_not_replaced(tmp_path: Path, bundled: Dataset) -> None:
    write_csv(bundled, tmp_path)
    edited = tmp_path / "places.csv"
    edited.write_bytes(edited.read_bytes() + b"my row\r\n")
    before = snapshot(tmp_path)
    with pytest.raises(ExportError, match="changed since sinoperu wrote it") as caught:
        write_csv(bundled, tmp_path)
    assert caught.value.path == str(edited)
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize(
    "manifest",
    [
        "not json",
        '{"format": "sinoperu-export", "format_version": 1, "files": {"../../etc/passwd": {}}}',
        '{"format": "something-else", "format_version": 1, "files": {}}',
        '{"format": "sinoperu-export", "format_version": 1, "files": {"places.csv": {"size": 1}}}',
    ],
)
def test_a_manifest_sinoperu_did_not_write_is_not_trusted(tmp_path: Path, manifest: str) -> None:
    (tmp_path / "places.csv").write_text("mine", encoding="utf-8")
    (tmp_path / MANIFEST).write_text(manifest, encoding="utf-8")
    before = snapshot(tmp_path)
    with pytest.raises(ExportError):
        write_csv(sinoperu.load(), tmp_path)
    assert snapshot(tmp_path) == before


def test_write_datapackage_joins_the_export_it_is_written_into(tmp_path: Path, bundled: Dataset) -> None:
    write_csv(bundled, tmp_path)
    write_datapackage(tmp_path, bundled)
    write_csv(bundled, tmp_path)  # still all ours
    fresh = tmp_path / "fresh"
    assert write_datapackage(fresh, bundled) == fresh / "datapackage.json"
    assert sorted(p.name for p in fresh.iterdir()) == ["datapackage.json", MANIFEST]


# --- paths: a link, a file where a folder should be, a read-only folder -------------------------


def test_an_existing_file_as_the_target_folder(tmp_path: Path, bundled: Dataset) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="exists and is not a folder"):
        write_csv(bundled, target)
    with pytest.raises(ExportError, match="is not a folder"):
        write_csv(bundled, target / "below")
    result = run_cli("export", str(target))
    assert result.returncode == 2
    assert "exists and is not a folder" in one_line(result.stderr)
    assert target.read_text(encoding="utf-8") == "x"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symlink_as_the_target_folder(tmp_path: Path, bundled: Dataset) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    with pytest.raises(ExportError, match="is a symbolic link") as caught:
        write_csv(bundled, link, overwrite=True)
    assert caught.value.path == str(link)
    result = run_cli("export", "--force", str(link))
    assert result.returncode == 2
    assert "is a symbolic link" in one_line(result.stderr)
    assert list(real.iterdir()) == []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_symlink_in_place_of_an_export_file_is_never_written_through(
    tmp_path: Path, bundled: Dataset
) -> None:
    elsewhere = tmp_path / "precious.csv"
    elsewhere.write_text("precious", encoding="utf-8")
    folder = tmp_path / "out"
    write_csv(bundled, folder)
    (folder / "places.csv").unlink()
    (folder / "places.csv").symlink_to(elsewhere)
    for overwrite in (False, True):
        with pytest.raises(ExportError, match=r"symbolic link|did not write"):
            write_csv(bundled, folder, overwrite=overwrite)
    assert elsewhere.read_text(encoding="utf-8") == "precious"
    assert (folder / "places.csv").is_symlink()


@pytest.fixture
def read_only_folder() -> Iterator[Path]:
    """A folder nobody may write to, readable by the unprivileged user the test drops to as root."""
    top = Path(tempfile.mkdtemp())
    top.chmod(0o755)
    folder = top / "read-only"
    folder.mkdir()
    (folder / "existing.txt").write_text("kept", encoding="utf-8")
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(top)


_AS_UNPRIVILEGED = """
import os, sys
import sinoperu, sinoperu.cli, sinoperu.serialize
import sinoperu.export, sinoperu.export.csv, sinoperu.export.files
import sinoperu.export.geojson, sinoperu.export.schema
import codecs, locale
codecs.lookup("utf-8-sig")
sinoperu.cli._parser().parse_args(["export", "x"])
sinoperu.load()  # everything read and imported before giving up root (root may write anywhere)
from sinoperu.cite import _static
_static()  # the citation the exports write, read while the package is readable
if hasattr(os, "geteuid") and os.geteuid() == 0:
    try:
        os.setgid(65534)
        os.setuid(65534)
    except OSError:
        sys.exit(77)
"""


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_read_only_folder_is_one_clear_error(read_only_folder: Path) -> None:
    result = run_python(
        _AS_UNPRIVILEGED
        + textwrap.dedent(
            """
            from sinoperu.export import write_csv
            try:
                write_csv(sinoperu.load(), sys.argv[1], overwrite=True)
            except sinoperu.ExportError as error:
                print(error)
            sys.exit(sinoperu.cli.main(["export", "--force", sys.argv[1]]))
            """
        ),
        str(read_only_folder),
    )
    if result.returncode == 77:
        pytest.skip("cannot drop root privileges here")
    assert "Permission denied" in result.stdout
    assert "nothing was changed" in result.stdout
    assert result.returncode == 2
    assert "Permission denied" in one_line(result.stderr)
    assert snapshot(read_only_folder) == {"existing.txt": b"kept"}


def test_query_output_writes_one_file_atomically(tmp_path: Path) -> None:
    target = tmp_path / "lima.csv"
    assert run_cli("query", "--city", "Lima", "--format", "csv", "--output", str(target)).returncode == 0
    first = target.read_bytes()
    assert first.startswith(b"\xef\xbb\xbf")  # a CSV file is for spreadsheets: it has the BOM
    assert run_cli("query", "--city", "Cusco", "--format", "csv", "--output", str(target)).returncode == 0
    assert target.read_bytes() != first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lima.csv"]
    for bad in (tmp_path, tmp_path / "missing" / "x.csv"):
        result = run_cli("query", "--format", "csv", "--output", str(bad))
        assert result.returncode == 2
        one_line(result.stderr)


def test_write_file_refuses_a_link_and_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="is a folder"):
        write_file(tmp_path, b"x")
    if hasattr(os, "symlink"):
        (tmp_path / "real.csv").write_text("real", encoding="utf-8")
        (tmp_path / "link.csv").symlink_to(tmp_path / "real.csv")
        with pytest.raises(ExportError, match="symbolic link"):
            write_file(tmp_path / "link.csv", b"x")
        assert (tmp_path / "real.csv").read_text(encoding="utf-8") == "real"
