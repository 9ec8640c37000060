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
    # 10^6 relations included: the growth is fitted up to there, as the issue asks.
    assert {row["size"] for row in RESULTS["rows"]} >= {1000, 10_000, 100_000, 1_000_000}


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


@given(
    st.floats(min_value=-1, max_value=3),
    st.floats(min_value=1e-6, max_value=1e3),
    st.lists(st.integers(1, 7), min_size=2, max_size=4, unique=True),
)
def test_the_growth_exponent_is_the_power_the_figures_follow(
    power: float, scale: float, exps: list[int]
) -> None:
    points = [(10.0**e, scale * (10.0**e) ** power) for e in exps]
    assert render.exponent(points) == pytest.approx(power, abs=1e-6)


def test_growth_is_fitted_from_the_larger_sizes_against_each_figure_s_bound() -> None:
    def figure(size: int, value: float, bound: int) -> dict[str, Any]:
        return {"what": f"cost {bound}", "size": size, "ours_median": value, "growth_bound": bound}

    # Flat from 10^4 on after a costly first size: the fixed cost below GROWTH_FROM is left out.
    rows = [figure(1000, 1.0, 0), figure(10_000, 1e-3, 0), figure(100_000, 1e-3, 0)]
    rows += [figure(10_000, 1.0, 1), figure(100_000, 100.0, 1)]  # quadratic where linear is the bound
    table = render.growth(rows)
    assert "| cost 0 | 10,000 to 100,000 | 0.00 | 0 | met | - |" in table
    assert "| cost 1 | 10,000 to 100,000 | 2.00 | 1 | missed | - |" in table


def test_the_baseline_s_growth_is_fitted_over_the_same_sizes() -> None:
    rows = [
        {"what": "q", "size": size, "ours_median": 1e-6 * size, "baseline_median": 1e-9 * size**1.5}
        for size in (1000, 10_000, 100_000, 1_000_000)
    ]
    assert "| q | 10,000 to 1,000,000 | 1.00 | 1 | met | 1.50 |" in render.growth(rows)
