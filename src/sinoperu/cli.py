"""The command line: ``sinoperu`` (or ``python -m sinoperu``), a thin layer over the library.

Exit status: 0 on success, 1 when a query finds nothing, 2 on bad usage or bad input (one
line on stderr, never a traceback), 130 on Ctrl-C (one line on stderr), 141 when the reader
of the output goes away (``sinoperu query | head``: nothing on stderr). 130 and 141 are
128 + SIGINT and 128 + SIGPIPE, what a shell reports for a program those signals stopped.

>>> main(["query", "--city", "Santa"])
date       level  kind         id                     title
---------  -----  -----------  ---------------------  -----------------
2019/2020  micro  sister_city  tw-chimbote-zhangzhou  Santa – Zhangzhou
(1 records)
0"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import __version__
from .dataset import Dataset
from .dates import anchor
from .errors import SinoperuError, UnknownPlaceError
from .loader import DEFAULT_MAX_BYTES, load

__all__ = ["main"]

EXIT_OK, EXIT_NOTHING, EXIT_BAD = 0, 1, 2
EXIT_INTERRUPTED, EXIT_CLOSED_PIPE = 130, 141


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, not argparse's usage block
        raise _UsageError(f"{message} (see '{self.prog} --help')")

    def _print_message(self, message: str, file: Any = None) -> None:
        # argparse drops write errors; a closed pipe must reach main() to end with its status.
        if message:
            (file or sys.stderr).write(message)


def _whole(text: str, what: str) -> int:
    # ASCII digits only, as in the data: int() alone would take " 12", "1_2" and "١٢".
    if not text.isascii() or not text.isdigit() or len(text) > 20:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not {what}")
    return int(text)


def _year(text: str) -> int:
    year = _whole(text, "a year")
    if not 1 <= year <= 9999:
        raise argparse.ArgumentTypeError(f"{year} is not a year between 1 and 9999")
    return year


def _size(text: str) -> int:
    if text.startswith("-") and text[1:].isdigit():
        raise argparse.ArgumentTypeError("a size cannot be negative")
    return _whole(text, "a number of bytes")


class _Version(argparse.Action):
    """``--version``: the package and the bundled data, read only when asked for."""

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> NoReturn:
        data = load()
        as_of = f", as of {data.as_of}" if data.as_of is not None else ""
        print(f"sinoperu {__version__} (data {data.version}{as_of})")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sinoperu",
        description="China–Peru relations (twinnings, bloc and meso milestones), every record cited.",
    )
    parser.add_argument("--version", action=_Version, nargs=0, help="print the package and data versions")
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
    query.add_argument("--evidence", help="confirmed, official_media or reported")
    query.add_argument("--status", help="in_force, draft, intent, ended or unknown")
    query.add_argument("--type", dest="record_type", help="twinning, milestone or exchange")
    query.add_argument(
        "--possible",
        action="store_true",
        help="with a year filter, add the records whose uncertain dates may lie in the years",
    )
    query.add_argument(
        "--format",
        choices=("table", "json", "csv", "geojson"),
        default="table",
        help="output (default: table)",
    )
    query.add_argument(
        "--output",
        metavar="FILE",
        help="write to this file (replaced atomically) instead of standard output; CSV gets a BOM",
    )
    query.add_argument("--bom", action="store_true", help="start CSV on standard output with a UTF-8 BOM")
    _raw_option(query)

    export = commands.add_parser("export", help="write the dataset in every format to a folder")
    export.add_argument("folder", help="folder to write (created if missing)")
    export.add_argument(
        "--force",
        action="store_true",
        help="write even into a folder holding files sinoperu did not write (replacing same names)",
    )
    _raw_option(export)
    export.add_argument(
        "--sqlite", action="store_true", help="also write sinoperu.db (SQLite) and Datasette's metadata.json"
    )

    validate = commands.add_parser("validate", help="check a dataset file and report every error found")
    validate.add_argument("file", help="the dataset file (JSON) to check")
    validate.add_argument(
        "--max-bytes",
        type=_size,
        default=DEFAULT_MAX_BYTES,
        help=f"refuse larger files (default {DEFAULT_MAX_BYTES})",
    )

    show = commands.add_parser("show", help="one place or record, by id or place name, as JSON")
    show.add_argument("id", metavar="ID_OR_NAME")

    from .cite import STYLES

    cite = commands.add_parser("cite", help="how to cite the data (its version, licence and repository)")
    cite.add_argument("--style", choices=STYLES, default="bibtex", help="citation style (default: bibtex)")

    diff = commands.add_parser("diff", help="what changed between two dataset files")
    diff.add_argument("old", help="the older dataset file (JSON)")
    diff.add_argument("new", help="the newer dataset file (JSON)")
    diff.add_argument("--format", choices=("text", "json"), default="text", help="output (default: text)")

    context = commands.add_parser("context", help="bloc and meso events before and around a record")
    context.add_argument("id", help="the record's id")
    context.add_argument("--years", type=lambda t: _whole(t, "a number of years"), default=2)
    context.add_argument("--format", choices=("text", "json"), default="text", help="output (default: text)")

    network = commands.add_parser("network", help="the twinnings as an edge list (CSV)")
    network.add_argument("--output", metavar="FILE", help="write to this file (replaced atomically)")
    _raw_option(network)
    return parser


def _raw_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--raw",
        "--no-spreadsheet-safe",
        dest="raw",
        action="store_true",
        help="CSV for programs, not spreadsheets: do not quote text beginning with = + - @",
    )


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
    # An interval counts in the decade it is filed under (its start, or its end if open).
    decades = Counter(f"{anchor(r.date).year // 10 * 10}s" for r in dataset.records if r.date)
    undated = sum(r.date is None for r in dataset.records)
    lines.append(
        "by decade: " + ", ".join(f"{d} {n}" for d, n in sorted(decades.items())) + f", undated {undated}"
    )
    return "\n".join(lines)


def _table(records: Sequence[Any], dataset: Dataset) -> str:
    from .export.columns import SUMMARY, places_of, summary_rows

    wanted = ("date", "level", "kind", "id", "title")
    index = [next(i for i, c in enumerate(SUMMARY.columns) if c.name == name) for name in wanted]
    body = [
        [("" if row[i] is None else str(row[i])) for i in index]
        for row in summary_rows(records, places_of(dataset))
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
        city=args.city,
        province=args.province,
        year=year,
        level=args.level,
        kind=args.kind,
        evidence=args.evidence,
        status=args.status,
        type=args.record_type,
        possible=args.possible,
    )
    if args.format == "json":
        from .serialize import to_json

        text = to_json(records) + "\n"
    elif args.format == "csv":
        from .export.csv import csv_text

        text = csv_text(records, dataset=dataset, spreadsheet=not args.raw)
    elif args.format == "geojson":
        from .export.geojson import geojson_text

        text = geojson_text(records, dataset=dataset)
    else:
        text = _table(records, dataset) + "\n"
    if args.output is not None:
        from .export.files import encode, write_file

        # A CSV file is for spreadsheets, which need the BOM to read UTF-8; a pipe gets it on request.
        encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
        write_file(args.output, encode(text, path=args.output, encoding=encoding))
    else:
        sys.stdout.write(("\ufeff" if args.bom and args.format == "csv" else "") + text)
    return EXIT_OK if records else EXIT_NOTHING


def _export(args: argparse.Namespace, dataset: Dataset) -> int:
    from .export.csv import csv_files
    from .export.files import encode, write_files
    from .export.geojson import geojson_text
    from .export.schema import schema_text
    from .serialize import to_json

    # Every file is rendered before any is written, then all are written as one set.
    files = {
        f"csv/{name}": data
        for name, data in csv_files(dataset, spreadsheet=not args.raw, caller="export").items()
    }
    for name, text in (
        ("sinoperu.json", to_json(dataset)),
        ("sinoperu.geojson", geojson_text(dataset)),
        ("sinoperu.schema.json", schema_text()),
    ):
        files[name] = encode(text, path=name)
    written = write_files(args.folder, files, overwrite=args.force)
    if args.sqlite:
        from .export.sqlite import METADATA_FILE, write_sqlite

        database = write_sqlite(dataset, Path(args.folder) / "sinoperu.db")
        written += [database, database.with_name(METADATA_FILE)]
    for path in written:
        print(path)
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from .loader import collect_errors

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

    found = dataset.get(args.id)
    if found is None:  # not an id: any name of a place, in any script
        try:
            found = dataset.place(args.id)
        except UnknownPlaceError as error:
            hint = f"; did you mean {', '.join(map(repr, error.suggestions))}?" if error.suggestions else ""
            raise LookupError(f"no place or record has the id or name {args.id!r}{hint}") from None
    print(to_json(found))
    return EXIT_OK


def _cite(args: argparse.Namespace, dataset: Dataset) -> int:
    from .cite import cite

    print(cite(args.style, dataset))
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    old, new = load(args.old), load(args.new)
    change = old.diff(new)
    print(change.to_json() if args.format == "json" else change.to_text())
    return EXIT_OK


def _context(args: argparse.Namespace, dataset: Dataset) -> int:
    found = dataset.context(args.id, years=args.years)
    if args.format == "json":
        import json

        print(json.dumps(found.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(found.to_text())
    return EXIT_OK


def _network(args: argparse.Namespace, dataset: Dataset) -> int:
    from .export.network import edge_list_csv

    text = edge_list_csv(dataset, spreadsheet=not args.raw)
    if args.output is not None:
        from .export.files import encode, write_file

        write_file(args.output, encode(text, path=args.output, encoding="utf-8-sig"))
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _run(argv: Sequence[str] | None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return EXIT_BAD
        if args.command == "validate":
            return _validate(args)
        if args.command == "diff":
            return _diff(args)
        dataset = _dataset(args)
        handler = {
            "summary": None,
            "query": _query,
            "export": _export,
            "show": _show,
            "cite": _cite,
            "context": _context,
            "network": _network,
        }[args.command]
        if handler is None:
            print(_summary(dataset))
            return EXIT_OK
        return handler(args, dataset)
    except BrokenPipeError:
        raise
    except (_UsageError, SinoperuError, LookupError, ValueError, TypeError, OSError) as error:
        message = str(error) if not isinstance(error, KeyError) else str(error.args[0])
        print(f"sinoperu: error: {message}", file=sys.stderr)
        return EXIT_BAD


def _quiet_stdout() -> None:
    """Point standard output at the null device, so the final flush cannot fail again.

    The recipe of the Python documentation for SIGPIPE (the signal module's notes).
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file behind sys.stdout (a test harness)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")  # Chinese names must not crash a narrow console
    try:
        try:
            status = _run(argv)
        finally:  # also before argparse's SystemExit (--help), so a closed pipe is caught here
            sys.stdout.flush()
    except BrokenPipeError:  # the reader went away, e.g. `sinoperu query | head`: not an error to report
        _quiet_stdout()
        return EXIT_CLOSED_PIPE
    except KeyboardInterrupt:
        print("sinoperu: interrupted", file=sys.stderr)
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _quiet_stdout()
        except KeyboardInterrupt:
            pass
        return EXIT_INTERRUPTED
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
