"""Shared test setup: hypothesis profiles, and helpers that write dataset files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

import sinoperu
from sinoperu import serialize

# "ci" keeps the suite quick; "long" is for a deliberate, longer hunt:
#   HYPOTHESIS_PROFILE=long python -m pytest
settings.register_profile("ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def bundled() -> sinoperu.Dataset:
    return sinoperu.load()


@pytest.fixture
def bundled_dict(bundled: sinoperu.Dataset) -> dict[str, Any]:
    """A fresh, mutable copy of the bundled file's content, for tests that break it."""
    return json.loads(sinoperu.to_json(bundled))


@pytest.fixture
def write_json(tmp_path: Path) -> Any:
    def write(content: Any, name: str = "data.json") -> Path:
        path = tmp_path / name
        text = content if isinstance(content, str) else serialize.dumps(content)
        path.write_text(text, encoding="utf-8")
        return path

    return write
