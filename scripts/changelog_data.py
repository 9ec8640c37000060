"""Print the CHANGELOG's data section for a new data release, from the diff of two dataset files.

python scripts/changelog_data.py OLD.json NEW.json

The section lists places and records added (with their main sources), removed, and changed
field by field; paste it under the release heading and add the words only people can add
(why a grade changed, what research round found a page).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

import sinoperu
from sinoperu.diff import DatasetDiff, Entry, RecordChange


def _facts(entry: Entry) -> str:
    item = entry.item
    facts = [] if isinstance(item, sinoperu.Place) else [item.kind.value.replace("_", " ")]
    if not isinstance(item, sinoperu.Place):
        facts.append(str(item.date) if item.date is not None else "undated")
    evidence = getattr(item, "evidence", None)
    if evidence is not None:
        facts.append(evidence.value)
    publishers = list(dict.fromkeys(source.publisher for source in item.sources))
    text = f"{entry.type.capitalize()} `{entry.id}` ({entry.label}"
    text += f"; {', '.join(facts)})" if facts else ")"
    return text + f": {', '.join(publishers)}."


def _change(change: RecordChange) -> str:
    parts = [field.to_text(separator=" ", arrow="→") for field in change.fields]
    parts += [line.replace(" -> ", " → ") for line in change.sources.lines()]
    return f"{change.type.capitalize()} `{change.id}` ({change.new_label}): " + "; ".join(parts) + "."


def _block(title: str, lines: Iterable[str]) -> list[str]:
    items = [f"- {line}" for line in lines]
    return [f"{title}:", *items, ""] if items else []


def section(change: DatasetDiff) -> str:
    """The Markdown data section for this diff."""
    as_of = f", checked against its sources on {change.new_as_of}" if change.new_as_of else ""
    previous = change.old_version + (f" (as of {change.old_as_of})" if change.old_as_of else "")
    lines = [
        f"### Data ({change.new_version})",
        f"Compared with {previous}{as_of}: {len(change.added)} added, "
        f"{len(change.removed)} removed, {len(change.changed)} changed.",
        "",
        *_block("Added, with their sources' publishers", map(_facts, change.added)),
        *_block("Removed", (f"{e.type.capitalize()} `{e.id}` ({e.label})." for e in change.removed)),
        *_block("Changed", map(_change, change.changed)),
    ]
    if change.is_empty:
        lines.append("No place or record changed.")
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python scripts/changelog_data.py OLD.json NEW.json", file=sys.stderr)
        return 2
    try:
        old, new = sinoperu.load(argv[0]), sinoperu.load(argv[1])
    except sinoperu.SinoperuError as error:
        print(f"changelog_data: {error}", file=sys.stderr)
        return 2
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    sys.stdout.write(section(old.diff(new)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
