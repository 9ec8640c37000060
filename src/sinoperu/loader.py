"""Reading dataset files: the bundled one (once, cached, thread-safe) and the user's own.

The bundled file is read from beside the package, or through :mod:`importlib.resources` when the
package sits inside a zip, so the library works from a wheel, a zip or a frozen application alike.
Its validated data is cached per user (:mod:`sinoperu._cache`) so that a fresh interpreter starts fast.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

from .errors import DatasetError

if TYPE_CHECKING:
    from .dataset import Dataset

__all__ = [
    "BUNDLED_FILE",
    "DEFAULT_MAX_BYTES",
    "collect_errors",
    "load",
    "load_bundled",
    "read_dataset_text",
]

#: Files larger than this are refused before they are read; pass ``max_bytes`` to change it.
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
#: The bundled dataset's file name inside ``sinoperu/data``.
BUNDLED_FILE = "sinoperu.json"

_bundled: Dataset | None = None
_bundled_lock = threading.Lock()


def read_dataset_text(path: str | os.PathLike[str], *, max_bytes: int | None = DEFAULT_MAX_BYTES) -> str:
    """The text of a dataset file, checked: it exists, is a file, is not too large, is UTF-8."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"a dataset path is text or a path, got {type(path).__name__}")
    if max_bytes is not None and (type(max_bytes) is not int or max_bytes < 0):
        raise ValueError(f"max_bytes must be a non-negative int or None, got {max_bytes!r}")
    file = os.fspath(path)
    try:
        if os.path.isdir(file):
            raise DatasetError("is a directory, not a dataset file", file=file)
        with open(file, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if max_bytes is not None and size > max_bytes:
                raise DatasetError(
                    f"is {size:,} bytes, over the limit of {max_bytes:,}; pass max_bytes to allow it",
                    file=file,
                )
            # Read one byte past the limit so a file that grows while we read is still caught.
            data = stream.read() if max_bytes is None else stream.read(max_bytes + 1)
    except FileNotFoundError:
        raise DatasetError("no such file", file=file) from None
    except IsADirectoryError:
        raise DatasetError("is a directory, not a dataset file", file=file) from None
    except PermissionError:
        raise DatasetError("permission denied", file=file) from None
    except OSError as error:
        raise DatasetError(f"cannot be read: {error.strerror or error}", file=file) from None
    if max_bytes is not None and len(data) > max_bytes:
        raise DatasetError(f"is over the limit of {max_bytes:,} bytes", file=file)
    if not data.strip():
        raise DatasetError("is empty", file=file)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DatasetError(f"is not UTF-8: invalid byte at offset {error.start}", file=file) from None


def load_text(text: str, *, file: str | None) -> Dataset:
    """Parse and validate a dataset file's text.

    The fast path builds records while parsing and never imports cattrs; on any failure the
    strict parser and the detailed converter run instead, to say exactly what is wrong and
    where (or, should the fast path have been too strict, to load the file all the same).
    """
    from .dataset import gc_paused
    from .decode import decode_text

    with gc_paused():  # a large file makes millions of objects, none of them garbage yet
        try:
            return decode_text(text, file=file)
        except DatasetError:
            raise
        except Exception:
            pass
        from .jsonio import parse_json
        from .serialize import dataset_from_dict

        return dataset_from_dict(parse_json(text, file=file), file=file)


def collect_errors(
    path: str | os.PathLike[str], *, max_bytes: int | None = DEFAULT_MAX_BYTES, limit: int = 100
) -> list[DatasetError]:
    """Every record-level error in a dataset file (up to ``limit``), then the first
    collection-level one (duplicate ids, dangling references); empty when the file is valid.

    >>> collect_errors("no-such-file.json")[0].reason
    'no such file'
    """
    from .decode import describe, read_header
    from .format import SECTIONS
    from .jsonio import parse_json
    from .serialize import dataset_from_dict, record_label, structure_record

    file = os.fspath(path) if isinstance(path, (str, os.PathLike)) else str(path)
    try:
        raw = parse_json(read_dataset_text(path, max_bytes=max_bytes), file=file)
        read_header(raw, file=file)
        errors: list[DatasetError] = []
        for section in SECTIONS:
            items = raw.get(section.name, [])
            if type(items) is not list:
                errors.append(
                    DatasetError(
                        f"expected a list of records, got {describe(items)}", file=file, record=section.name
                    )
                )
                continue
            for position, item in enumerate(items):
                try:
                    structure_record(
                        item, section.cls, where=record_label(section.name, position, item), file=file
                    )
                except DatasetError as error:
                    errors.append(error)
                    if len(errors) >= limit:
                        return errors
        if errors:
            return errors
        dataset_from_dict(raw, file=file)
    except DatasetError as error:
        return [error]
    return []


def _bundled_bytes() -> bytes:
    # Read beside this module when it is a plain file: importlib.resources (and the zipfile,
    # tempfile and shutil it imports) is needed only when the package is inside a zip.
    try:
        with open(os.path.join(os.path.dirname(__file__), "data", BUNDLED_FILE), "rb") as stream:
            return stream.read()
    except OSError:
        from importlib.resources import files

        return files("sinoperu").joinpath("data", BUNDLED_FILE).read_bytes()


def _load_bundled_bytes(data: bytes) -> Dataset:
    """The bundled dataset from its file's bytes, through the cache of its validated data when
    that cache is for these very bytes (see :mod:`sinoperu._cache`), else checked in full."""
    from ._cache import read_cached, write_cached
    from .dataset import gc_paused
    from .format import FORMAT_VERSION

    file = f"<bundled {BUNDLED_FILE}>"
    raw = read_cached(data, FORMAT_VERSION)
    if raw is not None:
        from .decode import decode_validated

        try:
            with gc_paused():
                return decode_validated(raw, file=file)
        except Exception:  # a cache that decodes badly is no cache: never fail because of it
            pass
    text = data.decode("utf-8")
    dataset = load_text(text, file=file)
    import json

    write_cached(data, FORMAT_VERSION, json.loads(text))  # only checked data is ever cached
    return dataset


def load_bundled() -> Dataset:
    """The dataset shipped inside the package: read once, then the same object every time."""
    global _bundled
    dataset = _bundled
    if dataset is None:
        with _bundled_lock:
            dataset = _bundled
            if dataset is None:
                dataset = _bundled = _load_bundled_bytes(_bundled_bytes())
    return dataset


def load(path: str | os.PathLike[str] | None = None, *, max_bytes: int | None = DEFAULT_MAX_BYTES) -> Dataset:
    """The bundled dataset, or the dataset in the file at ``path``.

    Without a path, the bundled dataset is loaded on first use and cached: every call
    returns the same object, even from many threads at once. With a path, the file is
    read and validated; any problem raises :class:`~sinoperu.DatasetError` naming the
    file, the record and the field, and no partial Dataset is returned. Files over
    ``max_bytes`` (256 MiB unless given; ``None`` for no limit) are refused unread.

    >>> import sinoperu
    >>> sinoperu.load() is sinoperu.load()
    True
    """
    if path is None:
        return load_bundled()
    text = read_dataset_text(path, max_bytes=max_bytes)
    return load_text(text, file=os.fspath(path))
