"""The command line: ``sinoperu`` (or ``python -m sinoperu``), a thin layer over the library.

Exit status: 0 on success, 1 when a query finds nothing, 2 on bad usage or bad input (one
line on stderr, never a traceback).

>>> main(["query", "--city", "Chimbote"])
date  level  kind         id                     title
----  -----  -----------  ---------------------  --------------------
      micro  sister_city  tw-chimbote-zhangzhou  Chimbote – Zhangzhou
(1 records)
0"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import __version__
from .dataset import Dataset
from .errors import SinoperuError
from .loader import DEFAULT_MAX_BYTES, load

__all__ = ["main"]

EXIT_OK, EXIT_NOTHING, EXIT_BAD = 0, 1, 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage block
        raise _UsageError(f"{message} (see '{self.prog} --help')")


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year") from None
    if not 1 <= year <= 9999:
        raise argparse.ArgumentTypeError(f"{year} is not a year between 1 and 9999")
    return year


def _size(text: str) -> int:
    try:
        size = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of bytes") from None
    if size < 0:
        raise argparse.ArgumentTypeError("a size cannot be negative")
    return size


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sinoperu",
        description="China–Peru relations (twinnings, bloc and meso milestones), every record cited.",
    )
    parser.add_argument("--version", action="version", version=f"sinoperu {__version__}")
    parser.add_argument("--data", metavar="FILE", help="use this dataset file instead of the bundled one")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    commands.add_parser("summary", help="counts by level, kind, status, evidence and year")

    query = commands.add_parser("query", help="records matching every filter given")
    query.add_argument("--city", help="a party to the record (name, alias or id, any script)")
    query.add_argument("--province", help="a party in this province or region, or the division itself")
    query.add_argument("--year", type=_year, help="dated in this year")
    query.add_argument("--since", type=_year, help="dated in this year or later")
    query.add_argument("--until", type=_year, help="dated in this year or earlier")
    query.add_argument("--level", help="bloc, meso or micro")
    query.add_argument("--kind", help="e.g. sister_city, policy_paper, donation")
    query.add_argument(
        "--format",
        choices=("table", "json", "csv", "geojson"),
        default="table",
        help="output (default: table)",
    )

    export = commands.add_parser("export", help="write the dataset in every format to a folder")
    export.add_argument("folder", help="folder to write (created if missing)")

    validate = commands.add_parser("validate", help="check a dataset file and report every error found")
    validate.add_argument("file", help="the dataset file (JSON) to check")
    validate.add_argument(
        "--max-bytes",
        type=_size,
        default=DEFAULT_MAX_BYTES,
        help=f"refuse larger files (default {DEFAULT_MAX_BYTES})",
    )

    show = commands.add_parser("show", help="one place or record, by id, as JSON")
    show.add_argument("id")
    return parser


def _dataset(args: argparse.Namespace) -> Dataset:
    return load(args.data) if args.data else load()


def _summary(dataset: Dataset) -> str:
    lines = [f"sinoperu data {dataset.version} (checked {dataset.as_of}): {len(dataset.places)} places"]
    for label, counter in (
        ("level", Counter(r.level.value for r in dataset.records)),
        ("twinning kind", Counter(t.kind.value for t in dataset.twinnings)),
        ("twinning status", Counter(t.status.value for t in dataset.twinnings)),
        ("twinning evidence", Counter(t.evidence.value for t in dataset.twinnings)),
        ("milestone kind", Counter(m.kind.value for m in dataset.milestones)),
        ("exchange kind", Counter(e.kind.value for e in dataset.exchanges)),
        ("exchange evidence", Counter(e.evidence.value for e in dataset.exchanges)),
    ):
        lines.append(f"{label}: " + ", ".join(f"{key} {count}" for key, count in sorted(counter.items())))
    decades = Counter(f"{r.date.year // 10 * 10}s" for r in dataset.records if r.date)
    undated = sum(r.date is None for r in dataset.records)
    lines.append(
        "by decade: " + ", ".join(f"{d} {n}" for d, n in sorted(decades.items())) + f", undated {undated}"
    )
    return "\n".join(lines)


def _table(records: Sequence[Any], dataset: Dataset) -> str:
    from .export.tables import SUMMARY, places_of, rows

    wanted = ("date", "level", "kind", "id", "title")
    index = [next(i for i, c in enumerate(SUMMARY.columns) if c.name == name) for name in wanted]
    body = [
        [("" if row[i] is None else str(row[i])) for i in index]
        for row in rows(SUMMARY, records, places_of(dataset))
    ]
    widths = [min(max([len(name)] + [len(r[n]) for r in body]), 60) for n, name in enumerate(wanted)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            (cell if len(cell) <= width else cell[: width - 1] + "…").ljust(width)
            for cell, width in zip(cells, widths, strict=True)
        ).rstrip()

    return "\n".join(
        [line(wanted), line(["-" * w for w in widths]), *map(line, body), f"({len(records)} records)"]
    )


def _query(args: argparse.Namespace, dataset: Dataset) -> int:
    if args.year is not None and (args.since is not None or args.until is not None):
        raise _UsageError("give --year, or --since/--until, not both")
    year: int | tuple[int, int] | None = args.year
    if args.since is not None or args.until is not None:
        year = (args.since if args.since is not None else 1, args.until if args.until is not None else 9999)
    for name, prefer in ((args.city, "city"), (args.province, "division")):
        note = None if name is None else dataset.resolve(name, prefer=prefer).note
        if note is not None:  # a shared name was read by preference: say which, and the others
            print(f"sinoperu: note: {note}", file=sys.stderr)
    records = dataset.query(
        city=args.city, province=args.province, year=year, level=args.level, kind=args.kind
    )
    if args.format == "json":
        from .serialize import to_json

        print(to_json(records))
    elif args.format == "csv":
        from .export.csv import csv_text

        sys.stdout.write(csv_text(records, dataset=dataset))
    elif args.format == "geojson":
        from .export.geojson import geojson_text

        sys.stdout.write(geojson_text(records, dataset=dataset))
    else:
        print(_table(records, dataset))
    return EXIT_OK if records else EXIT_NOTHING


def _export(args: argparse.Namespace, dataset: Dataset) -> int:
    from .export import geojson_text, schema_text, write_csv
    from .serialize import to_json

    folder = Path(args.folder)
    if folder.exists() and not folder.is_dir():
        raise _UsageError(f"{folder} exists and is not a folder")
    written = write_csv(dataset, folder / "csv")
    for name, text in (
        ("sinoperu.json", to_json(dataset)),
        ("sinoperu.geojson", geojson_text(dataset)),
        ("sinoperu.schema.json", schema_text()),
    ):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    for path in written:
        print(path)
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from .serialize import collect_errors

    errors = collect_errors(args.file, max_bytes=args.max_bytes)
    for error in errors:
        print(f"sinoperu: invalid: {error}", file=sys.stderr)
    if errors:
        return EXIT_BAD
    dataset = load(args.file, max_bytes=args.max_bytes)
    print(f"{args.file}: valid ({len(dataset.places)} places, {len(dataset)} records)")
    return EXIT_OK


def _show(args: argparse.Namespace, dataset: Dataset) -> int:
    from .serialize import to_json

    print(to_json(dataset.lookup(args.id)))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")  # Chinese names must not crash a narrow console
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return EXIT_BAD
        if args.command == "validate":
            return _validate(args)
        dataset = _dataset(args)
        handler = {"summary": None, "query": _query, "export": _export, "show": _show}[args.command]
        if handler is None:
            print(_summary(dataset))
            return EXIT_OK
        return handler(args, dataset)
    except (_UsageError, SinoperuError, LookupError, ValueError, TypeError, OSError) as error:
        message = str(error) if not isinstance(error, KeyError) else str(error.args[0])
        print(f"sinoperu: error: {message}", file=sys.stderr)
        return EXIT_BAD
    except BrokenPipeError:  # e.g. `sinoperu query | head`
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
