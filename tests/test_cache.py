"""The cache of the bundled dataset's validated data: used only for the very bytes it was made from,
and never a reason to fail (stale, corrupt, tampered, unwritable)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sinoperu
from sinoperu import _cache, decode, loader


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(_cache.CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def bundled_bytes() -> bytes:
    return loader._bundled_bytes()


def _cached_loads(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record each use of the cached (unchecked) path."""
    calls: list[Any] = []
    original = decode.decode_validated

    def spy(raw: Any, *, file: str | None) -> Any:
        calls.append(raw)
        return original(raw, file=file)

    monkeypatch.setattr(decode, "decode_validated", spy)
    return calls


def _same(a: sinoperu.Dataset, b: sinoperu.Dataset) -> bool:
    return (a.version, a.as_of, a.places, a.records, a.totals) == (
        b.version,
        b.as_of,
        b.places,
        b.records,
        b.totals,
    )


def _cache_file(folder: Path) -> Path:
    (found,) = folder.glob("bundled-*.marshal")
    return found


def test_second_load_uses_the_cache_and_builds_the_same_records(
    cache: Path, bundled_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _cached_loads(monkeypatch)
    first = loader._load_bundled_bytes(bundled_bytes)
    assert calls == []
    assert _cache_file(cache).stat().st_size > 0
    second = loader._load_bundled_bytes(bundled_bytes)
    assert len(calls) == 1
    assert _same(first, second)
    assert _same(second, sinoperu.load())
    # Sources cited by several records are one object, as on the ordinary path.
    assert len({id(s) for r in second.records for s in r.sources}) == len(
        {s for r in second.records for s in r.sources}
    )


def test_a_cache_of_other_bytes_is_not_used(
    cache: Path, bundled_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = json.loads(bundled_bytes)
    raw["places"][0]["notes"] = "edited after the cache was written"
    edited = json.dumps(raw, ensure_ascii=False).encode()
    edited_dataset = loader._load_bundled_bytes(edited)  # caches the edited file
    calls = _cached_loads(monkeypatch)
    dataset = loader._load_bundled_bytes(bundled_bytes)  # same version, other bytes: stale
    assert calls == []
    assert dataset.places[0].notes != edited_dataset.places[0].notes
    assert _same(dataset, sinoperu.load())


def test_the_key_holds_the_bytes_not_only_the_version(bundled_bytes: bytes) -> None:
    assert _cache.cache_key(bundled_bytes, 1) != _cache.cache_key(bundled_bytes + b" ", 1)
    assert _cache.cache_key(bundled_bytes, 1) != _cache.cache_key(bundled_bytes, 2)


@pytest.mark.parametrize(
    "content",
    [b"", b"garbage", b"sinoperu-bundled-cache\n", b"sinoperu-bundled-cache\n\xff\x00\x01", b"\x00" * 100],
)
def test_a_corrupt_cache_is_replaced(
    cache: Path, bundled_bytes: bytes, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    loader._load_bundled_bytes(bundled_bytes)
    path = _cache_file(cache)
    path.write_bytes(content)
    calls = _cached_loads(monkeypatch)
    assert _same(loader._load_bundled_bytes(bundled_bytes), sinoperu.load())
    assert calls == []
    assert path.read_bytes() != content  # written again, valid
    assert _cache.read_cached(bundled_bytes, 1) is not None


def test_a_truncated_cache_is_not_used(cache: Path, bundled_bytes: bytes) -> None:
    loader._load_bundled_bytes(bundled_bytes)
    path = _cache_file(cache)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert _cache.read_cached(bundled_bytes, 1) is None
    assert _same(loader._load_bundled_bytes(bundled_bytes), sinoperu.load())


def test_a_cache_that_does_not_decode_falls_back(cache: Path, bundled_bytes: bytes) -> None:
    from sinoperu.format import FORMAT_VERSION

    # The right key, a structure that is not a dataset: the ordinary path loads the file.
    assert _cache.write_cached(bundled_bytes, FORMAT_VERSION, {"places": 5})
    assert _same(loader._load_bundled_bytes(bundled_bytes), sinoperu.load())


def test_an_unwritable_cache_folder_is_no_cache(
    tmp_path: Path, bundled_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setenv(_cache.CACHE_ENV, str(blocker / "sinoperu"))
    assert _same(loader._load_bundled_bytes(bundled_bytes), sinoperu.load())
    assert blocker.read_text() == "a file where the folder should be"


def test_a_read_only_cache_folder_is_no_cache(
    cache: Path, bundled_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.mkdir()

    def refuse(*_: Any, **__: Any) -> Any:
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    assert _same(loader._load_bundled_bytes(bundled_bytes), sinoperu.load())
    assert list(cache.iterdir()) == []  # the temporary file is removed too


def test_the_empty_setting_turns_the_cache_off(
    monkeypatch: pytest.MonkeyPatch, bundled_bytes: bytes, tmp_path: Path
) -> None:
    monkeypatch.setenv(_cache.CACHE_ENV, "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _cache.cache_dir() is None
    assert not _cache.write_cached(bundled_bytes, 1, {})
    assert _cache.read_cached(bundled_bytes, 1) is None
    assert list(tmp_path.iterdir()) == []


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner, max_size=4),
    max_leaves=20,
)


@given(_json)
def test_sharing_keeps_every_value(value: Any) -> None:
    shared = _cache.share(value)
    assert json.dumps(shared) == json.dumps(value)
    assert json.dumps(_cache.share([value, value, {"k": 1}, {"k": 1.0}, {"k": True}])) == json.dumps(
        [value, value, {"k": 1}, {"k": 1.0}, {"k": True}]
    )


@given(st.binary(), st.binary())
def test_different_bytes_have_different_keys(a: bytes, b: bytes) -> None:
    assert (_cache.cache_key(a, 1) == _cache.cache_key(b, 1)) == (a == b)
