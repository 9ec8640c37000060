"""docs/performance.md shows what benchmarks/results/results.json holds, and no figure typed by hand."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import render  # noqa: E402

RESULTS = json.loads(render.RESULTS.read_text(encoding="utf-8"))
PAGE = render.PAGE.read_text(encoding="utf-8")


def test_the_page_is_what_the_results_file_gives() -> None:
    assert render.update(PAGE, RESULTS) == PAGE, "run: python benchmarks/render.py"


def test_the_page_states_the_machine_python_and_date_of_the_run() -> None:
    run = RESULTS["run"]
    for key in ("date", "machine", "python"):
        assert run[key]
        assert run[key] in PAGE


def test_no_figure_outside_the_generated_block() -> None:
    start, end = PAGE.index(render.BEGIN), PAGE.index(render.END)
    outside = PAGE[:start] + PAGE[end:]
    figures = re.findall(r"[0-9][0-9.,]*\s*(?:×|µs|ms|KB|MB|GB|bytes\b)", outside)
    assert figures == []


def test_the_real_run_is_in_the_results_file() -> None:
    assert not RESULTS["run"]["smoke"]
    assert {row["size"] for row in RESULTS["rows"]} >= {1000, 10_000, 100_000}


def test_a_changed_figure_is_caught() -> None:
    changed: dict[str, Any] = json.loads(json.dumps(RESULTS))
    changed["rows"][0]["ours_median"] *= 2
    assert render.update(PAGE, changed) != PAGE


def test_a_page_without_markers_is_refused() -> None:
    with pytest.raises(ValueError, match="markers"):
        render.update("# Performance\n", RESULTS)


@given(st.floats(min_value=1e-7, max_value=10), st.floats(min_value=1e-7, max_value=10))
def test_the_verdict_follows_the_limit(ours: float, base: float) -> None:
    ratio = ours / base
    row = {"ratio": ratio, "ours_median": ours, "target": "≤ 1.2×", "unit": "s"}
    verdict = render._verdict(row)
    assert verdict is not None
    assert verdict[1] == ("met" if ratio <= 1.2 else "missed")
