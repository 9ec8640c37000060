"""A cache of the bundled dataset's validated data, so that a fresh interpreter need not check it again.

The first load of the bundled file parses and checks it as any file is; its JSON structure is then
written with :mod:`marshal` (which reads back many times faster than JSON) to the user's cache
folder. A later load uses it only when the hash of the JSON file's bytes, the library version, the
format version and the Python version all match what the cache holds; a version alone never
decides. Anything wrong with the cache (missing, stale, corrupt, unreadable, a read-only folder)
means no cache: the file is loaded the ordinary way and nothing fails because of it.

Set ``SINOPERU_CACHE_DIR`` to choose the folder, or to the empty text to use no cache.

>>> import os
>>> os.environ["SINOPERU_CACHE_DIR"] = ""
>>> cache_dir() is None
True
>>> del os.environ["SINOPERU_CACHE_DIR"]
"""

from __future__ import annotations

import contextlib
import marshal
import os
import sys
import threading
from typing import Any

from ._version import __version__

try:  # the C module hashlib itself uses; importing hashlib would load OpenSSL for one hash
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

__all__ = ["CACHE_ENV", "cache_dir", "cache_key", "read_cached", "share", "write_cached"]

#: The environment variable that names the cache folder ("" turns the cache off).
CACHE_ENV = "SINOPERU_CACHE_DIR"
_MAGIC = b"sinoperu-bundled-cache\n"


def cache_dir() -> str | None:
    """The folder for the cache: ``$SINOPERU_CACHE_DIR``, else the platform's user cache folder."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return configured or None
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or os.path.expanduser("~\\AppData\\Local")
    elif sys.platform == "darwin":
        base = os.path.expanduser("~/Library/Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return os.path.join(base, "sinoperu")


def _path(folder: str) -> str:
    # marshal's format belongs to one Python version: one file per interpreter.
    return os.path.join(folder, f"bundled-{sys.implementation.cache_tag}.marshal")


def cache_key(data: bytes, format_version: int) -> str:
    """What a cache must hold to be used for a JSON file of these bytes.

    >>> cache_key(b"{}", 1) == cache_key(b"{}", 1) != cache_key(b"{ }", 1)
    True
    """
    digest = blake2b(data, digest_size=32).hexdigest()
    return f"{digest} sinoperu {__version__} format {format_version} {sys.version}"


def read_cached(data: bytes, format_version: int) -> Any:
    """The cached JSON structure of a file of these bytes, or None when there is no valid cache."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(_path(folder), "rb") as stream:
            blob = stream.read()
    except (OSError, ValueError):
        return None
    if not blob.startswith(_MAGIC):
        return None
    try:
        stored = marshal.loads(blob[len(_MAGIC) :])
    except (ValueError, EOFError, TypeError):  # a truncated or corrupt file
        return None
    if type(stored) is not tuple or len(stored) != 2 or stored[0] != cache_key(data, format_version):
        return None
    return stored[1]


def share(value: Any, memo: dict[Any, Any] | None = None) -> Any:
    """``value`` with equal texts and equal objects made one object each, which :mod:`marshal`
    then writes once (a source cited by fifty records is stored, and read back, once).

    >>> a = share([{"url": "x"}, {"url": "x"}])
    >>> a[0] is a[1]
    True
    """
    memo = {} if memo is None else memo
    if type(value) is dict:
        shared = {key: share(item, memo) for key, item in value.items()}
        try:
            # Types are in the key: 1, 1.0 and True are equal, but not the same JSON.
            key = ("object", *((name, type(item), item) for name, item in shared.items()))
            return memo.setdefault(key, shared)
        except TypeError:  # holds a list: kept as it is
            return shared
    if type(value) is list:
        return [share(item, memo) for item in value]
    if type(value) is str:
        return memo.setdefault(value, value)
    return value


def write_cached(data: bytes, format_version: int, raw: Any) -> bool:
    """Store ``raw`` (validated) for a file of these bytes; False, silently, when it cannot be."""
    folder = cache_dir()
    if folder is None:
        return False
    path = _path(folder)
    temporary = f"{path}.{os.getpid()}-{threading.get_ident()}.tmp"
    try:
        blob = _MAGIC + marshal.dumps((cache_key(data, format_version), share(raw)))
        os.makedirs(folder, exist_ok=True)
        with open(temporary, "wb") as stream:
            stream.write(blob)
        os.replace(temporary, path)  # readers see the old cache or the new one, never half of one
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return False
    return True
