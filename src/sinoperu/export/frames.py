"""pandas and polars DataFrames with typed columns (optional extras).

Enums become categoricals, dates stay ISO text beside nullable integer year, month and
day columns, lists stay lists. ``pip install sinoperu[pandas]`` or ``sinoperu[polars]``.

>>> import sinoperu
>>> frame = to_pandas(sinoperu.load().twinnings)   # doctest: +SKIP
>>> frame["evidence"].dtype                          # doctest: +SKIP
CategoricalDtype(categories=['confirmed', 'reported'], ordered=False, ...)
>>> _missing_extra("nosuchmodule", "pandas")
Traceback (most recent call last):
...
ImportError: to_pandas needs the optional dependency 'nosuchmodule': pip install "sinoperu[pandas]"
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from types import ModuleType
from typing import Any

from ..dataset import Dataset
from ..dates import PartialDate
from ..enums import (
    CooperationArea,
    Evidence,
    ExchangeKind,
    Level,
    MilestoneKind,
    PlaceKind,
    Status,
    TwinningKind,
)
from ..models import Place, Record
from .tables import Table, places_of, rows, table_for

__all__ = ["polars_frame", "to_pandas", "to_polars"]

# The full set of values of each category column, so a frame of a few records still knows
# every category (and two frames concatenate cleanly).
_CATEGORIES: dict[tuple[str, str], list[str]] = {
    ("places", "kind"): [k.value for k in PlaceKind],
    ("twinnings", "kind"): [k.value for k in TwinningKind],
    ("twinnings", "status"): [s.value for s in Status],
    ("twinnings", "evidence"): [e.value for e in Evidence],
    ("milestones", "level"): [Level.BLOC.value, Level.MESO.value],
    ("milestones", "kind"): [k.value for k in MilestoneKind],
    ("exchanges", "kind"): [k.value for k in ExchangeKind],
    ("exchanges", "evidence"): [e.value for e in Evidence],
    ("records", "level"): [lv.value for lv in Level],
    ("records", "type"): ["twinning", "milestone", "exchange"],
    ("records", "evidence"): [e.value for e in Evidence],
}
_AREAS = [a.value for a in CooperationArea]


def _missing_extra(module: str, extra: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(
            f'to_{extra} needs the optional dependency {module!r}: pip install "sinoperu[{extra}]"'
        ) from None


def _columns(
    data: Dataset | Iterable[Any], dataset: Dataset | None, table: Table | None = None
) -> tuple[Table, dict[str, list[Any]]]:
    """Plain column values of ``data`` in ``table`` (default: the table that fits the records)."""
    if isinstance(data, Dataset):
        raise TypeError("pass one kind of record, e.g. to_pandas(ds.twinnings), or a query result")
    records = tuple(data)
    table = table_for(records) if table is None else table
    values = rows(table, records, places_of(dataset))
    columns: dict[str, list[Any]] = {column.name: [] for column in table.columns}
    for row in values:
        for column, value in zip(table.columns, row, strict=True):
            if isinstance(value, PartialDate):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = [getattr(item, "value", item) for item in value]
            columns[column.name].append(value)
    return table, columns


def to_pandas(records: Iterable[Place | Record], *, dataset: Dataset | None = None) -> Any:
    """A pandas DataFrame of records of one type (their own columns) or of a query result."""
    pd = _missing_extra("pandas", "pandas")
    table, columns = _columns(records, dataset)
    frame = pd.DataFrame(columns, columns=[column.name for column in table.columns])
    for column in table.columns:
        series = frame[column.name]
        if column.type == "category":
            categories = _CATEGORIES.get((table.name, column.name))
            frame[column.name] = pd.Categorical(series, categories=categories)
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
    return polars_frame(*_columns(records, dataset))


def polars_frame(table: Table, columns: dict[str, list[Any]]) -> Any:
    """The polars frame of a table's columns (plain values), typed as :func:`to_polars` types them."""
    pl = _missing_extra("polars", "polars")
    schema: dict[str, Any] = {}
    for column in table.columns:
        if column.type == "category":
            categories = _CATEGORIES.get((table.name, column.name))
            schema[column.name] = pl.Enum(categories) if categories else pl.Categorical
        elif column.type == "integer":
            schema[column.name] = pl.Int64
        elif column.type == "number":
            schema[column.name] = pl.Float64
        elif column.type == "list":
            schema[column.name] = pl.List(pl.Utf8)
        else:
            schema[column.name] = pl.Utf8
    return pl.DataFrame(columns, schema=schema)
