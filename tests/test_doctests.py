"""Every example in the docstrings, the README and the docs runs as a test."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import sinoperu

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(sinoperu.__path__, "sinoperu.")
    if not info.name.endswith(("__main__", "_version"))
)
DOCUMENTS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE


def _run(test: doctest.DocTest) -> None:
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} example(s) failed in {test.name}"


@pytest.mark.parametrize("module_name", MODULES)
def test_module_examples(module_name: str) -> None:
    module = importlib.import_module(module_name)
    tests = doctest.DocTestFinder().find(module, module_name)
    for test in tests:
        _run(test)


@pytest.mark.parametrize("path", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_document_examples(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    parser = doctest.DocTestParser()
    test = parser.get_doctest(text, {}, str(path.relative_to(ROOT)), str(path), 0)
    _run(test)


def test_every_module_has_examples() -> None:
    without = [
        name
        for name in MODULES
        if not any(t.examples for t in doctest.DocTestFinder().find(importlib.import_module(name), name))
    ]
    assert without == [], f"modules without a runnable example: {without}"
