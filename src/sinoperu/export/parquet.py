"""Parquet files (through the polars extra) typed as the :func:`~sinoperu.export.to_polars` frames.

Records of one type (or a query result) go to one file; a whole Dataset goes to a folder with
one file per record type and ``sources.parquet``, the same tables as the CSV export. Each
file carries the citation (:func:`sinoperu.cite.citation_metadata`) in its key-value
metadata, under ``sinoperu:citation``, where the installed polars can write it.

>>> import sinoperu, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> [p.name for p in write_parquet(sinoperu.load(), folder)] == [f"{name}.parquet" for name in TABLES]
True
"""

from __future__ import annotations

import inspect
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..dataset import Dataset
from ..format import SECTIONS
from ..models import Place, Record
from .columns import TABLES, child_rows, format_rows
from .frames import _columns, _missing_extra, polars_frame, table_columns

__all__ = ["CITATION_KEY", "write_parquet"]

#: The key of the citation in each file's key-value metadata.
CITATION_KEY = "sinoperu:citation"


def _write(frame: Any, path: Path, dataset: Dataset | None) -> Path:
    from ..cite import citation_metadata

    options: dict[str, Any] = {}
    if "metadata" in inspect.signature(frame.write_parquet).parameters:  # newer polars only
        options["metadata"] = {CITATION_KEY: json.dumps(citation_metadata(dataset), ensure_ascii=False)}
    frame.write_parquet(path, **options)
    return path


def write_parquet(
    data: Dataset | Iterable[Place | Record],
    path: str | os.PathLike[str],
    *,
    dataset: Dataset | None = None,
) -> list[Path]:
    """Write Parquet: a Dataset to a folder of files (one per table), records to one file.

    Parties' names (derived columns) come from ``dataset`` (default: ``data`` itself, or
    the bundled dataset). Returns the paths written. Needs ``pip install "sinoperu[polars]"``.
    """
    _missing_extra("polars", "polars")
    target = Path(path)
    if not isinstance(data, Dataset):
        if target.is_dir():
            raise IsADirectoryError(f"{target} is a folder; records are written to one .parquet file")
        return [_write(polars_frame(*_columns(data, dataset, "write_parquet")), target, dataset)]
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target} is a file; a whole dataset is written to a folder")
    target.mkdir(parents=True, exist_ok=True)
    written = []
    from ..serialize import converter

    for section in SECTIONS:  # the table is named, not guessed, so an empty section keeps its columns
        table = TABLES[section.name]
        frame = polars_frame(*_columns(getattr(data, section.name), data, "write_parquet", table))
        written.append(_write(frame, target / f"{section.name}.parquet", data))
    raw = [converter.unstructure(item) for section in SECTIONS for item in getattr(data, section.name)]
    for name, table in TABLES.items():
        if table.parent_field is not None:
            rows = format_rows(table, child_rows(table, raw), {})
            frame = polars_frame(table, table_columns(table, rows))
            written.append(_write(frame, target / f"{name}.parquet", data))
    return written
