"""Regenerate every file derived from the bundled data: the JSON Schema, the GeoJSON map, the data
page's counts and table of twinnings, the figures, and the version lines of CITATION.cff.

python scripts/regenerate.py          # rewrite them
python scripts/regenerate.py --check  # exit 1 if any is out of date (the tests check too)
"""

from __future__ import annotations

import sys
from pathlib import Path

import sinoperu
from sinoperu.cite import cff_text
from sinoperu.export import geojson_text, schema_text

ROOT = Path(__file__).resolve().parent.parent


def derived_files() -> dict[Path, str]:
    """Each derived text file and the text it should hold."""
    from datacounts import PAGES, pages  # beside this script

    dataset = sinoperu.load()
    files = {
        ROOT / "src" / "sinoperu" / "data" / "sinoperu.schema.json": schema_text(),
        ROOT / "docs" / "maps" / "sinoperu.geojson": geojson_text(dataset),
        ROOT / "CITATION.cff": cff_text((ROOT / "CITATION.cff").read_text(encoding="utf-8"), dataset),
    }
    files.update({ROOT / "docs" / PAGES[name]: text for name, text in pages(dataset).items()})
    return files


def main(check: bool) -> int:
    stale = []
    for path, text in derived_files().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path)
            if not check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    if check and stale:
        print("out of date:", *(str(p.relative_to(ROOT)) for p in stale))
        return 1
    try:
        from figures import draw_all  # the figures need matplotlib (the docs extra)
    except ImportError:
        return 0
    if not check:
        draw_all(ROOT / "docs" / "_static")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.exit(main(check="--check" in sys.argv[1:]))
