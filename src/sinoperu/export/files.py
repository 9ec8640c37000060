"""Writing export files: all or nothing, and never over files sinoperu did not write.

Every writer of the library (:func:`~sinoperu.export.write_csv`,
:func:`~sinoperu.export.write_datapackage`, ``sinoperu export``, ``sinoperu query --output``)
renders all its content to bytes first, then hands it to :func:`write_files`, which

* writes each file to a temporary file in the same folder, flushes it to disk (``fsync``) and
  moves it into place with :func:`os.replace`, so a reader never sees half a file;
* replaces the files as a set: if anything fails before the last one is in place (a full disk,
  a file-size limit, Ctrl-C, an error), the files already replaced are put back from hard links
  kept until the end, new ones are removed, and no temporary file is left behind. Ctrl-C during
  the few renames is held until they are done, then honoured. What no program can promise: a
  power cut or ``kill -9`` in the middle of those renames may leave a mix of complete old and
  new files (never a partial one), and the next export then asks for ``overwrite=True``;
* records what it wrote in a manifest, :data:`MANIFEST` (``sinoperu-export.json``: each file's
  name, size and SHA-256, and the library version). Writing into a folder that already holds
  anything else is refused with :class:`~sinoperu.ExportError`, unless ``overwrite=True``
  (``--force``). "Anything else" is every file the manifest does not list, every listed file
  whose content changed since (you edited it), and a manifest that is not one sinoperu wrote.
  So a re-export over the library's own previous export just works, and your own
  ``sinoperu.json`` is never replaced by surprise. With ``overwrite=True`` files of the same
  names are replaced and other files are left alone (nothing is ever deleted);
* refuses, whatever ``overwrite`` says, to write through a symbolic link (the folder itself or
  any file it would replace), into a path that exists and is not a folder, or over a folder.

>>> import tempfile
>>> folder = tempfile.mkdtemp()
>>> [path.name for path in write_files(folder, {"a.txt": b"one"})]
['a.txt']
>>> _ = write_files(folder, {"a.txt": b"two"})   # its own earlier export: replaced
>>> import pathlib
>>> _ = pathlib.Path(folder, "mine.txt").write_text("my notes")
>>> write_files(folder, {"a.txt": b"three"})
Traceback (most recent call last):
...
sinoperu.errors.ExportError: ...: holds 'mine.txt', which sinoperu did not write; ...
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import signal
import stat
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any, Final

from .._version import __version__
from ..errors import DatasetError, ExportError
from ..jsonio import parse_json

__all__ = ["MANIFEST", "encode", "write_file", "write_files"]

#: The manifest's file name, at the top of every folder an export writes.
MANIFEST: Final = "sinoperu-export.json"
_FORMAT: Final = "sinoperu-export"
_FORMAT_VERSION: Final = 1
_MANIFEST_MAX_BYTES: Final = 16 * 1024 * 1024
_FLAGS: Final = (
    os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
)
_FORCE_HINT: Final = "pass overwrite=True (--force on the command line) to replace it anyway"


def encode(text: str, *, path: str | os.PathLike[str], encoding: str = "utf-8") -> bytes:
    """``text`` as bytes for the file at ``path``; a character it cannot encode is an ExportError.

    >>> encode("利马", path="x.csv", encoding="utf-8-sig")
    b'\\xef\\xbb\\xbf\\xe5\\x88\\xa9\\xe9\\xa9\\xac'
    >>> encode("\\ud800", path="x.csv")
    Traceback (most recent call last):
    ...
    sinoperu.errors.ExportError: x.csv: cannot be written as utf-8: '\\ud800' at character 0 ...
    """
    try:
        return text.encode(encoding)
    except UnicodeEncodeError as error:
        bad = error.object[error.start : error.end][:10]
        raise ExportError(
            f"cannot be written as {encoding}: {bad!r} at character {error.start} is not a character "
            "it can encode (a lone surrogate?)",
            path=os.fspath(path),
        ) from None


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _safe_name(name: Any) -> bool:
    """A relative path inside the folder, in POSIX form, with no way out of it."""
    if not isinstance(name, str) or not name or "\\" in name or "\0" in name:
        return False
    parts = PurePosixPath(name).parts
    return (
        not name.startswith("/")
        and all(part not in ("", ".", "..") for part in parts)
        and ("/".join(parts) == name)
    )


def _manifest_bytes(entries: Mapping[str, tuple[int, str]]) -> bytes:
    content = {
        "format": _FORMAT,
        "format_version": _FORMAT_VERSION,
        "library": "sinoperu",
        "library_version": __version__,
        "files": {name: {"size": size, "sha256": digest} for name, (size, digest) in sorted(entries.items())},
    }
    return (json.dumps(content, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _read_manifest(root: Path) -> dict[str, tuple[int, str]] | None:
    """The files an earlier export wrote here: {} if there is no manifest, None if it is not ours."""
    path = root / MANIFEST
    try:
        info = path.lstat()
    except FileNotFoundError:
        return {}
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > _MANIFEST_MAX_BYTES:
        return None
    try:
        raw = parse_json(path.read_bytes().decode("utf-8"), file=str(path))
    except (OSError, UnicodeDecodeError, DatasetError):
        return None
    if (
        not isinstance(raw, dict)
        or raw.get("format") != _FORMAT
        or raw.get("format_version") != _FORMAT_VERSION
        or not isinstance(raw.get("files"), dict)
    ):
        return None
    entries = {}
    for name, entry in raw["files"].items():
        if not _safe_name(name) or name == MANIFEST or not isinstance(entry, dict):
            return None
        size, digest = entry.get("size"), entry.get("sha256")
        if type(size) is not int or size < 0 or not isinstance(digest, str) or len(digest) != 64:
            return None
        entries[name] = (size, digest)
    return entries


def _unchanged(path: Path, size: int, digest: str) -> bool:
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size != size:
            return False
        hasher = hashlib.sha256()
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                hasher.update(block)
    except OSError:
        return False
    return hasher.hexdigest() == digest


def _first_foreign(root: Path, ours: set[str]) -> str | None:
    """The first entry under ``root`` (in name order) that is not one of ``ours``, if any."""
    pending = [(root, "")]
    while pending:
        folder, prefix = pending.pop()
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name, reverse=True)
        for entry in reversed(entries):
            name = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                pending.append((Path(entry.path), name + "/"))
            elif name not in ours:
                return name
    return None


def _check_target(root: Path, name: str) -> None:
    """Refuse a link, a folder or a file where the path of ``name`` needs a folder."""
    current = root
    parts = PurePosixPath(name).parts
    for depth, part in enumerate(parts):
        current = current / part
        try:
            info = current.lstat()
        except FileNotFoundError:
            return
        if stat.S_ISLNK(info.st_mode):
            raise ExportError("is a symbolic link; sinoperu does not write through links", path=str(current))
        last = depth == len(parts) - 1
        if last and stat.S_ISDIR(info.st_mode):
            raise ExportError("is a folder, where the export writes a file", path=str(current))
        if not last and not stat.S_ISDIR(info.st_mode):
            raise ExportError("exists and is not a folder", path=str(current))


def _check_root(root: Path) -> bool:
    """Whether ``root`` exists (as a folder); anything else in its place is an ExportError."""
    try:
        info = root.lstat()
    except (FileNotFoundError, NotADirectoryError):
        ancestor = root.parent
        while not ancestor.exists() and ancestor != ancestor.parent:
            ancestor = ancestor.parent
        if ancestor.exists() and not ancestor.is_dir():
            raise ExportError(f"cannot be created: {ancestor} is not a folder", path=str(root)) from None
        return False
    except OSError as error:
        raise ExportError(f"cannot be used: {error.strerror or error}", path=str(root)) from None
    if stat.S_ISLNK(info.st_mode):
        raise ExportError("is a symbolic link; give the folder it points to", path=str(root))
    if not stat.S_ISDIR(info.st_mode):
        raise ExportError("exists and is not a folder", path=str(root))
    return True


def write_files(
    folder: str | os.PathLike[str], files: Mapping[str, bytes], *, overwrite: bool = False
) -> list[Path]:
    """Write ``files`` (relative POSIX name -> content) into ``folder`` as one set, with a manifest.

    Returns the paths written, in the order given (the manifest is not listed). Raises
    :class:`~sinoperu.ExportError`, with every file that was there before unchanged, when the
    folder holds files sinoperu did not write (unless ``overwrite=True``), when a path is a
    link, a file where a folder is needed or a folder where a file is, or when writing fails.
    """
    if not isinstance(overwrite, bool):
        raise TypeError(f"overwrite must be True or False, got {overwrite!r}")
    root = Path(folder)
    names = list(files)
    for name in names:
        if not _safe_name(name) or name == MANIFEST or not isinstance(files[name], bytes):
            raise ValueError(f"cannot write {name!r}: expected a relative file name and bytes")
    entries: dict[str, tuple[int, str]] = {}
    if _check_root(root):
        for name in [*names, MANIFEST]:
            _check_target(root, name)
        previous = _read_manifest(root)
        for name, (size, digest) in (previous or {}).items():
            if _unchanged(root / name, size, digest):
                entries[name] = (size, digest)
            elif not overwrite and os.path.lexists(root / name):
                raise ExportError(f"changed since sinoperu wrote it; {_FORCE_HINT}", path=str(root / name))
        if not overwrite:
            ours = set(entries) | ({MANIFEST} if previous is not None else set())
            foreign = _first_foreign(root, ours)
            if foreign == MANIFEST:
                raise ExportError(
                    f"is not a manifest sinoperu wrote; {_FORCE_HINT}", path=str(root / MANIFEST)
                )
            if foreign is not None:
                raise ExportError(
                    f"holds {foreign!r}, which sinoperu did not write; export into a new or empty folder, "
                    "or pass overwrite=True (--force on the command line) to write beside it and replace "
                    "files of the same names",
                    path=str(root),
                )
    for name in names:
        entries[name] = (len(files[name]), _digest(files[name]))
    _commit(root, {**files, MANIFEST: _manifest_bytes(entries)})
    return [root / name for name in names]


def write_file(path: str | os.PathLike[str], data: bytes) -> Path:
    """Replace (or create) one file the user named, atomically; no manifest.

    The folder must exist; a link or a folder at ``path`` is refused.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp(), "out.csv")
    >>> write_file(target, b"id\\r\\n").read_bytes()
    b'id\\r\\n'
    """
    target = Path(path)
    if not target.name:
        raise ExportError("is not a file name", path=str(target))
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"cannot be written: {folder} is not an existing folder", path=str(target))
    _check_target(folder, target.name)
    _commit(folder, {target.name: data})
    return target


# --- the commit: temporary files, then the renames, undone together on failure -----------


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) for the duration, then deliver it: the renames finish or roll back."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    try:
        previous = signal.signal(signal.SIGINT, lambda signum, _: caught.append(signum))
    except (ValueError, OSError):  # no signals here (an embedded interpreter)
        yield
        return
    try:
        yield
    finally:
        # None: a handler set outside Python, which cannot be put back; the default is the nearest.
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
        if caught and previous is not signal.SIG_IGN:
            if callable(previous):
                previous(signal.SIGINT, None)
            else:
                raise KeyboardInterrupt


def _temporary(target: Path, kind: str) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(6)}.sinoperu-{kind}")


def _make_folders(folder: Path, created: list[Path]) -> None:
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for path in reversed(missing):
        path.mkdir()
        created.append(path)


def _backup(target: Path) -> Path:
    backup = _temporary(target, "bak")
    try:
        os.link(target, backup)  # instant, and takes no space
    except OSError:
        shutil.copy2(target, backup)
    return backup


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can open a folder
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _commit(root: Path, files: Mapping[str, bytes]) -> None:
    created: list[Path] = []
    temporaries: dict[str, Path] = {}
    unrestored: list[str] = []
    current = root  # the file being written, to name it if writing fails
    try:
        for name, data in files.items():
            current = root / name
            _make_folders(current.parent, created)
            temporary = _temporary(current, "tmp")
            handle = os.open(temporary, _FLAGS, 0o666)
            temporaries[name] = temporary
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        backups: dict[str, Path] = {}
        replaced: list[str] = []
        with _interrupts_held():
            try:
                for name in files:
                    current = root / name
                    if os.path.lexists(current):
                        backups[name] = _backup(current)
                for name in files:
                    current = root / name
                    os.replace(temporaries[name], current)
                    replaced.append(name)
            except BaseException:
                for name in reversed(replaced):
                    try:
                        if name in backups:
                            os.replace(backups.pop(name), root / name)
                        else:
                            os.unlink(root / name)
                    except OSError:
                        unrestored.append(name)
                raise
            finally:
                for backup in backups.values():
                    with contextlib.suppress(OSError):
                        os.unlink(backup)
        for folder in {(root / name).parent for name in files}:
            _sync_folder(folder)
    except BaseException as error:
        for temporary in temporaries.values():
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        if isinstance(error, OSError) and not isinstance(error, ExportError):
            outcome = (
                f"these could not be put back: {', '.join(unrestored)}"
                if unrestored
                else "nothing was changed"
            )
            raise ExportError(
                f"cannot be written: {error.strerror or error}; {outcome}", path=str(current)
            ) from error
        raise
