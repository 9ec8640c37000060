"""Exports to the formats other tools read: CSV, GeoJSON, pandas, polars, Parquet, SQLite, Frictionless,
JSON Schema.

Each function takes a :class:`~sinoperu.Dataset` or any tuple of records (a query result);
records that name places also need ``dataset=``, the Dataset they come from, for the names.
Files are written all or nothing, never over files sinoperu did not write
(:mod:`sinoperu.export.files`), and CSV text is safe to open in a spreadsheet
(:mod:`sinoperu.export.spreadsheet`).

>>> import sinoperu
>>> from sinoperu.export import csv_text
>>> ds = sinoperu.load()
>>> csv_text(ds.twinnings, dataset=ds).splitlines()[0].split(",")[:4]
['id', 'peruvian_party', 'peruvian_name', 'peruvian_name_zh']
"""

from __future__ import annotations

from .csv import csv_text, read_csv, write_csv
from .datapackage import datapackage, write_datapackage
from .frames import to_pandas, to_polars
from .geojson import geojson_text, to_geojson
from .parquet import write_parquet
from .schema import json_schema, schema_text
from .sqlite import read_sqlite, write_sqlite

__all__ = [
    "csv_text",
    "datapackage",
    "geojson_text",
    "json_schema",
    "read_csv",
    "read_sqlite",
    "schema_text",
    "to_geojson",
    "to_pandas",
    "to_polars",
    "write_csv",
    "write_datapackage",
    "write_parquet",
    "write_sqlite",
]
