"""pandas and polars DataFrames with typed columns (optional extras).

Enums become categoricals, dates stay ISO text beside nullable integer year, month and
day columns, lists stay lists. ``pip install sinoperu[pandas]`` or ``sinoperu[polars]``.

>>> import sinoperu
>>> frame = to_pandas(sinoperu.load().twinnings)   # doctest: +SKIP
>>> frame["evidence"].dtype                          # doctest: +SKIP
CategoricalDtype(categories=['confirmed', 'official_media', 'reported'], ordered=False, ...)
>>> _missing_extra("nosuchmodule", "pandas")
Traceback (most recent call last):
...
ImportError: to_pandas needs the optional dependency 'nosuchmodule': pip install "sinoperu[pandas]"
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from types import ModuleType
from typing import Any

from ..analysis import Panel
from ..dataset import Dataset
from ..models import Place, Record
from .columns import SUMMARY, Table, format_rows, places_for, summary_rows, table_for

__all__ = ["panel_frame", "polars_frame", "to_pandas", "to_polars"]


def _missing_extra(module: str, extra: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(
            f'to_{extra} needs the optional dependency {module!r}: pip install "sinoperu[{extra}]"'
        ) from None


def _columns(
    data: Dataset | Iterable[Any], dataset: Dataset | None, caller: str, table: Table | None = None
) -> tuple[Table, dict[str, list[Any]]]:
    """Plain column values of ``data`` in ``table`` (default: the table that fits the records)."""
    if isinstance(data, Dataset):
        raise TypeError("pass one kind of record, e.g. to_pandas(ds.twinnings), or a query result")
    records = tuple(data)
    table = table_for(records) if table is None else table
    found = places_for(records, dataset, caller=caller, table=table)
    if table is SUMMARY:
        rows = summary_rows(records, found)
    else:
        from ..serialize import converter

        places = {place_id: converter.unstructure(place) for place_id, place in found.items()}
        rows = format_rows(table, [converter.unstructure(record) for record in records], places)
    return table, table_columns(table, rows)


def table_columns(table: Table, rows: Iterable[list[Any]]) -> dict[str, list[Any]]:
    """A table's rows of JSON values, turned into one list per column."""
    columns: dict[str, list[Any]] = {column.name: [] for column in table.columns}
    for row in rows:
        for column, value in zip(table.columns, row, strict=True):
            columns[column.name].append(value)
    return columns


def to_pandas(records: Iterable[Place | Record], *, dataset: Dataset | None = None) -> Any:
    """A pandas DataFrame of records of one type (their own columns) or of a query result."""
    pd = _missing_extra("pandas", "pandas")
    table, columns = _columns(records, dataset, "to_pandas")
    frame = pd.DataFrame(columns, columns=[column.name for column in table.columns])
    for column in table.columns:
        series = frame[column.name]
        if column.type == "category":
            frame[column.name] = pd.Categorical(series, categories=column.categories)
        elif column.type == "integer":
            frame[column.name] = series.astype("Int64")
        elif column.type == "number":
            frame[column.name] = series.astype("Float64")
        elif column.type in ("string", "date"):
            frame[column.name] = series.astype("string")
    return frame


def to_polars(records: Iterable[Place | Record], *, dataset: Dataset | None = None) -> Any:
    """A polars DataFrame of records of one type (their own columns) or of a query result."""
    _missing_extra("polars", "polars")
    return polars_frame(*_columns(records, dataset, "to_polars"))


def polars_frame(table: Table, columns: dict[str, list[Any]]) -> Any:
    """The polars frame of a table's columns (plain values), typed as :func:`to_polars` types them."""
    pl = _missing_extra("polars", "polars")
    schema: dict[str, Any] = {}
    for column in table.columns:
        if column.type == "category":
            values = column.categories
            schema[column.name] = pl.Enum(list(values)) if values else pl.Categorical
        elif column.type == "integer":
            schema[column.name] = pl.Int64
        elif column.type == "number":
            schema[column.name] = pl.Float64
        elif column.type == "list":
            schema[column.name] = pl.List(pl.Utf8)
        else:
            schema[column.name] = pl.Utf8
    return pl.DataFrame(columns, schema=schema)


def panel_frame(rows: Panel | Sequence[dict[str, Any]], library: str = "pandas") -> Any:
    """A pandas or polars DataFrame of panel rows (:func:`sinoperu.analysis.panel`), columns in order.

    >>> import sinoperu
    >>> frame = panel_frame(sinoperu.load().panel("dyad-year", start=2024, end=2024))
    >>> int(frame["twinnings"].sum())
    13
    """
    if library not in ("pandas", "polars"):
        raise ValueError(f"library must be 'pandas' or 'polars', not {library!r}")
    module = _missing_extra(library, library)
    columns = list(rows.columns) if isinstance(rows, Panel) else None
    if library == "pandas":
        return module.DataFrame(list(rows), columns=columns)
    frame = module.DataFrame(list(rows), infer_schema_length=None)
    return frame if columns is None or not len(rows) else frame.select(columns)
