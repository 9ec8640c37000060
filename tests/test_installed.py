"""The tests run against the installed package, not the source tree (CI sets the flag)."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

import pytest

import sinoperu


@pytest.mark.skipif(not os.environ.get("SINOPERU_EXPECT_INSTALLED"), reason="only CI installs the wheel")
def test_sinoperu_comes_from_the_installed_wheel() -> None:
    location = Path(sinoperu.__file__).resolve()
    assert "site-packages" in location.parts, location
    assert (location.parent / "py.typed").is_file()


def test_data_ships_inside_the_package() -> None:
    resource = files("sinoperu").joinpath("data", "sinoperu.json")
    assert resource.is_file()
    assert files("sinoperu").joinpath("py.typed").is_file()


def test_citation_file_ships_in_the_package_and_follows_the_versions() -> None:
    from sinoperu.cite import cff_text

    root = Path(__file__).resolve().parent.parent
    repository = (root / "CITATION.cff").read_text(encoding="utf-8")
    assert cff_text(repository, sinoperu.load()) == repository, "run: python scripts/regenerate.py"
    shipped = files("sinoperu").joinpath("CITATION.cff")
    if os.environ.get("SINOPERU_EXPECT_INSTALLED"):
        assert shipped.is_file(), "CITATION.cff is missing from the wheel"
    if shipped.is_file():  # a source checkout reads the root file instead
        assert shipped.read_text(encoding="utf-8") == repository
    citation = sinoperu.cite()
    assert sinoperu.__version__ in citation
    assert sinoperu.load().version in citation
    assert "CC-BY-4.0" in citation
