"""Every artefact of the format gives the loader's verdict: the JSON Schema, the CSV round trip, the
Frictionless table schemas. Valid files are mutated field by field, every mutation read off the
field's rule in :mod:`sinoperu.format` (to and past each limit, patterns, types, missing and extra
keys, vocabularies, dates), and each verdict is compared.

Two kinds of rule are exempt where a tool cannot state them, and only there:
* rules between values (:data:`sinoperu.format.RELATIONAL_RULES`): the loader flags its error as
  relational, and the JSON Schema and table schemas, which see one value at a time, may accept;
* what a Frictionless table schema cannot say about a CSV cell: how many rows a child table holds for
  one record, repeated list items, rules on items of a text list, fields of a nested record whose
  columns are optional together, and the file header (which is not a table). The CSV round trip,
  which ends in the loader, must agree on these too.
"""

from __future__ import annotations

import copy
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import frictionless
import jsonschema
import pytest

import sinoperu
from sinoperu import fields as rules
from sinoperu.export.columns import TABLES, CellError
from sinoperu.export.csv import raw_csv_files
from sinoperu.export.datapackage import datapackage
from sinoperu.export.schema import json_schema
from sinoperu.fields import LIMITS, PATTERNS, Choice, Const, DateRule, ListOf, Nested, Number, Rule, Text
from sinoperu.format import HEADER, SECTIONS, FieldSpec, record_spec

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from datadictionary import data_dictionary

MISSING = object()  # a mutation that removes the key


@attrs.frozen
class Mutation:
    """One change to a valid file: at ``path`` (keys and indices), put ``value`` (or drop the key)."""

    path: tuple[Any, ...]
    value: Any
    what: str
    table_exempt: bool = False  # a Frictionless table schema cannot state the rule this breaks


def base_file() -> dict[str, Any]:
    """A small valid file with a record of every section and every optional field filled in."""
    source = {
        "url": "https://example.org/a",
        "title": "A page",
        "publisher": "Example",
        "language": "es",
        "published": "2020-02-29",
        "kind": "party_government",
        "original": "Example Daily",
    }
    other = {**source, "url": "https://example.org/b", "published": None, "kind": None, "original": None}

    def place(id: str, kind: str, country: str, parent: str | None, **extra: Any) -> dict[str, Any]:
        return {
            "id": id,
            "kind": kind,
            "country": country,
            "name": id.upper(),
            "name_zh": "利马",
            "pinyin": "Lìmǎ",
            "aliases": ["Alias one", "Alias two"],
            "parent": parent,
            "iso_code": None,
            "ubigeo": None,
            "gb2260": None,
            "gb2260_year": None,
            "wikidata": "Q2868",
            "coordinates": {"lat": -12.05, "lon": -77.04},
            "notes": "A note.",
            "sources": [source, other],
            **extra,
        }

    return {
        "format": "sinoperu-dataset",
        "format_version": 1,
        "version": "2026.12.01",
        "as_of": "2026-12-01",
        "places": [
            place("pe", "country", "PE", None),
            place("cn", "country", "CN", None),
            place("pe-lim", "region", "PE", "pe", iso_code="PE-LIM", ubigeo="15"),
            place("cn-bj", "municipality", "CN", "cn", iso_code="CN-BJ", gb2260="110000", gb2260_year=2024),
        ],
        "twinnings": [
            {
                "id": "tw-lima-beijing",
                "peruvian_party": "pe-lim",
                "chinese_party": "cn-bj",
                "kind": "sister_city",
                "status": "in_force",
                "evidence": "confirmed",
                "date": "1983-11",
                "end_date": "2020-01-31",
                "areas": ["culture", "education"],
                "summary": "A summary.",
                "notes": "",
                "sources": [source],
            }
        ],
        "milestones": [
            {
                "id": "ms-2008-paper",
                "level": "bloc",
                "kind": "policy_paper",
                "date": "2008-11-05",
                "end_date": "2008-11-06",
                "title": "A paper",
                "parties": ["China", "CELAC"],
                "venue": "Beijing",
                "places": ["cn-bj"],
                "subnational": [{"section": "Part III, 4", "summary": "Local exchanges."}],
                "summary": "A summary.",
                "notes": "A note.",
                "sources": [source],
            }
        ],
        "exchanges": [
            {
                "id": "ex-2019-visit",
                "twinning": "tw-lima-beijing",
                "kind": "delegation_visit",
                "evidence": "reported",
                "date": "2019",
                "origin": "cn-bj",
                "destination": "pe-lim",
                "title": "A visit",
                "summary": "A summary.",
                "notes": "A note.",
                "sources": [other],
            }
        ],
        "totals": [
            {
                "id": "total-world-2017",
                "date": "2017-12-31",
                "scope": "world",
                "count": 2526,
                "qualifier": "exactly",
                "reporter": "CPAFFC",
                "summary": "A count.",
                "notes": "",
                "sources": [source],
            }
        ],
    }


# --- mutations, read off the rules -------------------------------------------------------


# Values that break only a length limit: a table schema cannot state it for the items of a list cell.
LENGTH_ONLY = "past its limit"


def _texts_for(rule: Text, original: Any) -> Iterator[tuple[Any, str, bool]]:
    limit = LIMITS[rule.limit]
    if rule.pattern is None:
        yield "x" * limit, "text at its limit", False
        yield "x" * (limit + 1), f"text {LENGTH_ONLY}", False
        yield "", "empty text", False
        yield " \t", "blank text", False
        yield "\u3000", "ideographic space only", False
        yield "a\ud800b", "a lone surrogate", False
        yield "Ｌｉｍａ ١٢", "full-width letters and Arabic-Indic digits", False
    else:
        pattern = PATTERNS[rule.pattern]
        regex = pattern.regex
        original = original if isinstance(original, str) else pattern.example
        yield original, "a text matching the pattern", False
        yield original + "\n", "pattern with a final newline", False
        yield " " + str(original), "pattern with a leading space", False
        yield (
            str(original).upper() if str(original) != str(original).upper() else str(original).lower(),
            ("pattern in the other case"),
            False,
        )
        yield "", "empty text", False
        yield str(original)[: max(1, len(str(original)) - 1)] + "\u0661", "an Arabic-Indic digit", False
        yield str(original) * (limit // max(1, len(str(original))) + 1), f"{regex[:20]}: {LENGTH_ONLY}", False
    yield 5, "a number for text", False
    yield ["x"], "a list for text", False
    yield {"x": 1}, "an object for text", False


def _values_for(rule: Rule, original: Any) -> Iterator[tuple[Any, str, bool]]:
    """(value, what, table_exempt) for one field's rule."""
    if isinstance(rule, Text):
        yield from _texts_for(rule, original)
    elif isinstance(rule, Choice):
        for value in rule.enum:
            yield value.value, f"the value {value.value!r}", False
        yield "nope", "a word outside the vocabulary", False
        yield str(original).upper(), "a value in the other case", False
        yield 1, "a number for a value", False
    elif isinstance(rule, Number):
        for value, what in (
            (rule.minimum, "the minimum"),
            (rule.maximum, "the maximum"),
            (rule.minimum - 1, "under the minimum"),
            (rule.maximum + 1, "over the maximum"),
            (True, "a boolean"),
            (str(original), "a number as text"),
            (int(rule.minimum) if not rule.integer else rule.minimum + 0.5, "a whole number / a fraction"),
            (float(rule.maximum), "a whole number written as a float"),
        ):
            yield (
                (int(value) if rule.integer and isinstance(value, float) and value.is_integer() else value),
                (what),
                False,
            )
    elif isinstance(rule, DateRule):
        for value in (
            "2020-02-29",
            "2019-02-29",
            "1900-02-29",
            "2000-02-29",
            "2019-04-31",
            "2019-13",
            "2019-00",
        ):
            yield value, f"the date {value}", False
        for value in (
            "0000",
            "9999-12-31",
            "19",
            "2019-5",
            "2019-05-1",
            "١٩٨٣-١١",
            "１９８３-１１",
            "2019-05 ",
        ):
            yield value, f"the date text {value!r}", False
        yield 2019, "a number for a date", False
    elif isinstance(rule, Const):
        yield rule.value, "the constant", False
        yield (
            str(rule.value) + "x" if isinstance(rule.value, str) else rule.value + 1,
            "another constant",
            False,
        )
        yield None, "null for a constant", False
    elif isinstance(rule, Nested):
        yield {}, "an empty object", True
        yield "x", "text for an object", False
        yield [original], "a list for an object", False
        if isinstance(original, dict):
            yield {**original, "colour": "red"}, "an unknown key in a nested object", False
    elif isinstance(rule, ListOf):
        yield [], "an empty list", rule.non_empty
        yield "abc", "text for a list", False
        yield {"a": 1}, "an object for a list", False
        if isinstance(original, list) and original:
            yield [*original, original[0]], "an item twice", True
            item_exempt = isinstance(rule.item, Text) and rule.item.pattern is None
            for value, what, exempt in _values_for(rule.item, original[0]):
                repeated = value in original[1:]
                exempt = exempt or item_exempt or repeated or LENGTH_ONLY in what
                yield [value, *original[1:]], f"a list item: {what}", exempt


def _mutations_of(spec_fields: tuple[FieldSpec, ...], raw: Any, path: tuple[Any, ...]) -> Iterator[Mutation]:
    for field in spec_fields:
        original = raw.get(field.name)
        for value, what, exempt in _values_for(field.rule, original):
            yield Mutation(
                (*path, field.name), value, f"{'.'.join(map(str, path))}.{field.name}: {what}", exempt
            )
        if field.optional:
            yield Mutation((*path, field.name), None, f"{field.name}: null", False)
        # A missing required key of a nested record hides among optional columns in a table, and
        # a missing list of nested records is a child table with no rows for this record.
        in_nested = len(path) > 2
        child = isinstance(field.rule, ListOf) and isinstance(field.rule.item, Nested)
        yield Mutation((*path, field.name), MISSING, f"{field.name}: key removed", in_nested or child)
        nested = field.nested
        if nested is not None and isinstance(original, dict):
            yield from _mutations_of(record_spec(nested).fields, original, (*path, field.name))
        if nested is not None and isinstance(original, list) and original:
            yield from _mutations_of(record_spec(nested).fields, original[0], (*path, field.name, 0))
    yield Mutation((*path, "colour"), "red", f"{path}: an unknown key", False)


def mutations() -> list[Mutation]:
    """Every mutation of the base file the rules give, plus seeded random ones: 1,000 or more."""
    base = base_file()
    found = [
        Mutation((field.name,), value, f"header {field.name}: {what}", True)
        for field in HEADER
        for value, what, _ in _values_for(field.rule, base.get(field.name))
    ]
    for section in SECTIONS:
        for position, raw in enumerate(base[section.name]):
            found += list(_mutations_of(section.spec.fields, raw, (section.name, position)))
        found.append(Mutation((section.name,), {}, f"{section.name}: an object for a list", False))
        found.append(Mutation((section.name, 0), 5, f"{section.name}[0]: a number for a record", False))
    # Relations: a duplicate id, a dangling reference, an end before its start.
    found.append(Mutation(("exchanges", 0, "id"), "tw-lima-beijing", "a duplicate id", False))
    found.append(Mutation(("twinnings", 0, "chinese_party"), "cn-nowhere", "a dangling reference", False))
    found.append(Mutation(("twinnings", 0, "peruvian_party"), "cn-bj", "a Peruvian party in China", False))
    found.append(Mutation(("milestones", 0, "end_date"), "2008-11-04", "an end before its start", False))
    # Random texts around the limits of every text field, seeded so each run checks the same files.
    rng = random.Random(20261201)
    texts = [m for m in found if isinstance(m.value, str) and len(m.path) > 1]
    alphabet = "aZ09 -_.|\\\n\t=+@'\"áñ利马\u3000\u200b"
    while len(found) < 1200:
        template = rng.choice(texts)
        size = rng.choice([0, 1, 2, 50, 99, 100, 101, 299, 300, 301, 600, 601])
        value = "".join(rng.choice(alphabet) for _ in range(size))
        found.append(attrs.evolve(template, value=value, what=f"{template.what} (random, {size} chars)"))
    return found


def apply(base: dict[str, Any], mutation: Mutation) -> dict[str, Any]:
    raw = copy.deepcopy(base)
    target: Any = raw
    for step in mutation.path[:-1]:
        target = target[step]
    if mutation.value is MISSING:
        target.pop(mutation.path[-1], None)
    else:
        target[mutation.path[-1]] = mutation.value
    return raw


# --- the verdicts ---------------------------------------------------------------------


def loader_verdict(raw: dict[str, Any], folder: Path) -> tuple[bool, bool]:
    """(accepted, refused only for a rule between values)."""
    path = folder / "file.json"
    path.write_text(json.dumps(raw, ensure_ascii=True), encoding="utf-8")
    try:
        sinoperu.load(path)
    except sinoperu.DatasetError as error:
        return False, error.relational
    return True, False


def csv_files_of(raw: dict[str, Any]) -> dict[str, bytes] | None:
    """The CSV export of a dataset file's JSON form, or None where a CSV file cannot hold it."""
    sections = {section.name: raw.get(section.name, []) for section in SECTIONS}
    places_raw = raw.get("places", [])
    places = (
        {p["id"]: p for p in places_raw if type(p) is dict and type(p.get("id")) is str}
        if type(places_raw) is list
        else {}
    )
    try:
        texts = raw_csv_files(sections, places)
        header = {field.name: raw[field.name] for field in HEADER if field.name in raw}
        texts["datapackage.json"] = json.dumps(datapackage(header=header), ensure_ascii=False)
        return {name: text.encode("utf-8") for name, text in texts.items()}
    except (CellError, TypeError, UnicodeEncodeError):
        return None


def csv_verdict(files: dict[str, bytes], folder: Path) -> bool:
    target = folder / "csv"
    target.mkdir()
    for name, data in files.items():
        (target / name).write_bytes(data)
    try:
        sinoperu.export.read_csv(target)
    except sinoperu.DatasetError:
        return False
    return True


DESCRIPTOR = datapackage()
# Foreign keys are rules between values (relational): they need the whole package, and the loader
# states them; each table is validated on its own here.
SCHEMAS = {
    r["path"]: frictionless.Schema.from_descriptor(
        {k: v for k, v in r["schema"].items() if k != "foreignKeys"}
    )
    for r in DESCRIPTOR["resources"]
}


def table_verdict(files: dict[str, bytes], base_files: dict[str, bytes]) -> bool:
    """Frictionless validation of every table the mutation changed."""
    for name, data in files.items():
        if name in SCHEMAS and data != base_files[name]:
            report = frictionless.Resource(data, format="csv", schema=SCHEMAS[name]).validate()
            if not report.valid:
                return False
    return True


VALIDATOR = jsonschema.Draft202012Validator(json_schema())


def test_the_base_file_is_valid_everywhere(tmp_path: Path) -> None:
    base = base_file()
    assert loader_verdict(base, tmp_path) == (True, False)
    assert VALIDATOR.is_valid(base)
    files = csv_files_of(base)
    assert files is not None
    assert csv_verdict(files, tmp_path)
    assert table_verdict(files, dict.fromkeys(files, b""))


MUTATIONS = mutations()


def test_there_are_at_least_a_thousand_mutations() -> None:
    assert len(MUTATIONS) >= 1000
    assert len({m.path[0] for m in MUTATIONS}) == len(HEADER) + len(SECTIONS)


@pytest.mark.parametrize("chunk", range(10))
def test_every_artefact_gives_the_loaders_verdict(chunk: int, tmp_path: Path) -> None:
    base = base_file()
    base_files = csv_files_of(base)
    assert base_files is not None
    disagreements = []
    for number, mutation in enumerate(MUTATIONS[chunk::10]):
        raw = apply(base, mutation)
        folder = tmp_path / str(number)
        folder.mkdir()
        accepted, relational = loader_verdict(raw, folder)
        schema_ok = VALIDATOR.is_valid(raw)
        files = csv_files_of(raw)
        csv_ok = files is not None and csv_verdict(files, folder)
        table_ok = files is not None and table_verdict(files, base_files)
        verdicts = f"loader {accepted}, schema {schema_ok}, csv {csv_ok}, tables {table_ok}"
        if accepted:
            if not (schema_ok and csv_ok and table_ok):
                disagreements.append(f"{mutation.what}: {verdicts}")
            continue
        if csv_ok:
            disagreements.append(f"{mutation.what}: {verdicts}")
        if relational:
            continue
        if schema_ok or (table_ok and not mutation.table_exempt):
            disagreements.append(f"{mutation.what}: {verdicts}")
    assert disagreements == []


def test_the_mutations_refuse_and_accept(tmp_path: Path) -> None:
    """The mutations are not all refused, nor all accepted: the comparison has two sides."""
    base = base_file()
    verdicts = [loader_verdict(apply(base, m), tmp_path)[0] for m in MUTATIONS[::7]]
    assert 0.1 < sum(verdicts) / len(verdicts) < 0.9


def test_one_limit_changed_is_followed_everywhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Raising the name limit in the description is a one-line change: every artefact follows."""
    base = base_file()
    long_name = apply(base, Mutation(("places", 0, "name"), "x" * 400, "a 400-character name"))
    assert loader_verdict(long_name, tmp_path)[0] is False
    assert not VALIDATOR.is_valid(long_name)
    monkeypatch.setitem(LIMITS, "name", 400)
    assert loader_verdict(long_name, tmp_path)[0] is True
    schema = json_schema()
    assert schema["$defs"]["Place"]["properties"]["name"]["maxLength"] == 400
    assert jsonschema.Draft202012Validator(schema).is_valid(long_name)
    files = csv_files_of(long_name)
    assert files is not None
    assert csv_verdict(files, tmp_path)
    places = next(r for r in datapackage()["resources"] if r["name"] == "places")
    name = next(f for f in places["schema"]["fields"] if f["name"] == "name")
    assert name["constraints"]["maxLength"] == 400
    assert "1 to 400 characters" in record_spec(sinoperu.Place).field("name").type_text
    assert "| `name` | text (1 to 400 characters, not blank) |" in data_dictionary()
    assert TABLES["places"].column("name").rule is not None


def test_one_pattern_changed_is_followed_everywhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    base = base_file()
    three_letters = apply(base, Mutation(("places", 0, "sources", 0, "language"), "quz-PE", "Cusco Quechua"))
    assert loader_verdict(three_letters, tmp_path)[0] is True
    monkeypatch.setitem(PATTERNS, "language", rules.Pattern("[a-z]{2}", "a two-letter language code", "es"))
    assert loader_verdict(three_letters, tmp_path)[0] is False
    assert not jsonschema.Draft202012Validator(json_schema()).is_valid(three_letters)
    sources = next(r for r in datapackage()["resources"] if r["name"] == "sources")
    language = next(f for f in sources["schema"]["fields"] if f["name"] == "language")
    assert "[a-z]{2}" in language["constraints"]["pattern"]
