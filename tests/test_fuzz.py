"""Fuzzing the loader: mutated dataset files give a valid Dataset or a DatasetError, nothing else,
and the fast decoder agrees with the detailed converter on every input.

Run longer with: HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz.py
"""

from __future__ import annotations

import copy
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

import sinoperu
from sinoperu import Dataset, DatasetError
from sinoperu import strategies as sps
from sinoperu.decode import decode_text
from sinoperu.loader import load_text
from sinoperu.serialize import dataset_from_dict

# Values of every JSON type, including the awkward ones a hand-edited file holds.
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(
        ["", "2019-02-30", "2018-13", "sister_city", "bloc", "micro", "pe-lma", "https://x.org", "PE"]
    ),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _containers(node: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths to every dict and list inside a parsed JSON document."""
    found = [path] if isinstance(node, (dict, list)) else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _containers(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _containers(value, (*path, index))
    return found


def _at(node: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        node = node[step]
    return node


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A dataset file's content with one to three mutations: drop, duplicate, retype, corrupt, add."""
    base = draw(st.one_of(st.just(sinoperu.load()), sps.datasets(max_twinnings=3)))
    raw: dict[str, Any] = json.loads(sinoperu.to_json(base))
    for _ in range(draw(st.integers(1, 3))):
        target = _at(raw, draw(st.sampled_from(_containers(raw))))
        operation = draw(st.sampled_from(["drop", "duplicate", "retype", "add"]))
        if isinstance(target, dict) and target:
            key = draw(st.sampled_from(sorted(target)))
            if operation == "drop":
                del target[key]
            elif operation == "add":
                target[draw(st.text(min_size=1, max_size=8))] = draw(JUNK)
            else:
                target[key] = draw(JUNK)
        elif isinstance(target, list) and target:
            index = draw(st.integers(0, len(target) - 1))
            if operation == "drop":
                del target[index]
            elif operation == "duplicate":
                target.append(copy.deepcopy(target[index]))
            else:
                target[index] = draw(JUNK)
    return raw


@given(mutated())
def test_loader_gives_a_dataset_or_a_dataset_error(raw: dict[str, Any]) -> None:
    text = json.dumps(raw, ensure_ascii=False)
    try:
        result: Dataset | DatasetError = load_text(text, file="fuzz.json")
    except DatasetError as error:
        result = error
    if isinstance(result, DatasetError):
        assert result.file == "fuzz.json"
        return
    assert isinstance(result, Dataset)
    assert sinoperu.from_json(sinoperu.to_json(result)) == result


@given(mutated())
def test_fast_and_detailed_paths_agree(raw: dict[str, Any]) -> None:
    try:
        slow: Dataset | None = dataset_from_dict(copy.deepcopy(raw), file="f")
    except DatasetError:
        slow = None
    try:
        streamed: Dataset | None = decode_text(json.dumps(raw, ensure_ascii=False), file="f")
    except Exception:
        streamed = None
    assert streamed == slow


@given(sps.datasets())
def test_fast_path_builds_the_same_records(dataset: Dataset) -> None:
    text = sinoperu.to_json(dataset)
    assert decode_text(text, file=None) == dataset


def test_fast_path_never_imports_cattrs() -> None:
    import subprocess
    import sys

    code = "import sys, sinoperu; sinoperu.by_city('Lima'); print('cattrs' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
