"""How to cite sinoperu: BibTeX, APA and CSL-JSON, from ``CITATION.cff`` and the versions in code.

``CITATION.cff`` (shipped inside the package) is the one source of the static parts: the
title, the authors, the data licence and the repository. The versions come from the code:
the package's ``__version__`` and the dataset's ``version`` and ``as_of``, so a citation
always names the data actually loaded.

>>> import sinoperu
>>> print(sinoperu.cite(style="apa"))  # doctest: +ELLIPSIS
sinoperu developers. (2026). sinoperu dataset ... (Version ..., as of ...) [Data set; ...
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, Final

from ._version import __version__

if TYPE_CHECKING:
    from .dataset import Dataset

__all__ = ["STYLES", "CffError", "cff_text", "citation_metadata", "cite", "parse_cff"]

#: The citation styles :func:`cite` writes.
STYLES: Final = ("bibtex", "apa", "csl-json")

_CFF_NAME = "CITATION.cff"


# --- a small, strict reader for the YAML that CITATION.cff uses --------------------------
#
# Block mappings and sequences, plain, single- and double-quoted scalars and folded or
# literal block scalars; every value is text. Anything else (flow collections, anchors,
# tags, tabs) is refused with its line number rather than misread.

_Line = tuple[int, int, str]  # (line number, indent, text without the indent)


class CffError(ValueError):
    """CITATION.cff holds something the reader does not accept; the message names the line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"{_CFF_NAME} line {line}: {message}")
        self.line = line


def _lines(text: str) -> list[_Line]:
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.lstrip(" ")
        if stripped.startswith("\t"):
            raise CffError(number, "indents with a tab; YAML indents with spaces")
        if stripped == "" or stripped.startswith("#"):
            lines.append((number, -1, ""))  # kept: blank lines matter inside block scalars
            continue
        lines.append((number, len(raw) - len(stripped), stripped.rstrip()))
    return lines


_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_.-]*):(?: +(.*))?$")
_UNSUPPORTED = tuple("[{&*!%@`")


def _scalar(text: str, number: int) -> str:
    if text.startswith('"'):
        if not text.endswith('"') or len(text) < 2:
            raise CffError(number, "a double-quoted value must close on the same line")
        import json  # the library's import does not need it

        try:
            value = json.loads(text)  # YAML's double-quoted escapes, as far as CFF files use them
        except json.JSONDecodeError:
            raise CffError(number, f"cannot read the quoted value {text}") from None
        if not isinstance(value, str):
            raise CffError(number, f"cannot read the quoted value {text}")
        return value
    if text.startswith("'"):
        if not text.endswith("'") or len(text) < 2:
            raise CffError(number, "a single-quoted value must close on the same line")
        body = text[1:-1]
        if "'" in body.replace("''", ""):
            raise CffError(number, f"stray quote in {text}")
        return body.replace("''", "'")
    if text.startswith(_UNSUPPORTED) or text.startswith(("- ", "? ")) or text in ("-", "?"):
        raise CffError(number, f"unsupported YAML value {text!r} (flow style, anchor, tag or nested item)")
    comment = text.find(" #")
    value = text[:comment].rstrip() if comment >= 0 else text
    if ": " in value or value.endswith(":"):
        raise CffError(number, f"quote a value that holds ': ' ({value!r})")
    return value


class _Reader:
    def __init__(self, text: str) -> None:
        self.lines = _lines(text)
        self.position = 0

    def _next_content(self) -> _Line | None:
        while self.position < len(self.lines) and self.lines[self.position][1] < 0:
            self.position += 1
        return self.lines[self.position] if self.position < len(self.lines) else None

    def block(self, indent: int, number: int) -> Any:
        line = self._next_content()
        if line is None or line[1] < indent:
            raise CffError(number, "expected a nested value (an empty value is not text)")
        if line[2] == "-" or line[2].startswith("- "):
            return self.sequence(line[1])
        return self.mapping(line[1])

    def mapping(self, indent: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while (line := self._next_content()) is not None and line[1] >= indent:
            number, line_indent, text = line
            if line_indent > indent:
                raise CffError(number, "unexpected indentation")
            if text == "-" or text.startswith("- "):
                break  # a sequence at the parent's indent ends this mapping
            self.position += 1
            key, value = self._entry(number, text)
            if key in result:
                raise CffError(number, f"the key {key!r} appears twice")
            result[key] = self._value(value, number, indent)
        return result

    def sequence(self, indent: int) -> list[Any]:
        items: list[Any] = []
        while (line := self._next_content()) is not None and line[1] == indent:
            number, _, text = line
            if text != "-" and not text.startswith("- "):
                break
            rest = text[1:].lstrip(" ")
            item_indent = indent + len(text) - len(rest)
            if rest == "":
                self.position += 1
                items.append(self.block(indent + 1, number))
            elif _KEY.match(rest) or rest == "-" or rest.startswith("- "):
                # "- key: value" or "- - item": the item is a mapping or a sequence whose entries
                # sit at the item's indent; read it as if it began on its own line.
                self.lines[self.position] = (number, item_indent, rest)
                items.append(self.mapping(item_indent) if _KEY.match(rest) else self.sequence(item_indent))
            else:
                self.position += 1
                items.append(_scalar(rest, number))
        if line is not None and line[1] > indent:
            raise CffError(line[0], "unexpected indentation")
        return items

    def _entry(self, number: int, text: str) -> tuple[str, str | None]:
        match = _KEY.match(text)
        if match is None:
            raise CffError(number, f"expected 'key: value', got {text!r}")
        return match.group(1), match.group(2)

    def _value(self, value: str | None, number: int, indent: int) -> Any:
        if value is None or value.startswith("#"):
            line = self._next_content()
            same_indent_sequence = (
                line is not None and line[1] == indent and (line[2] == "-" or line[2].startswith("- "))
            )
            return self.block(indent if same_indent_sequence else indent + 1, number)
        if value in (">", ">-", "|", "|-"):
            return self._block_scalar(value, indent)
        return _scalar(value, number)

    def _block_scalar(self, style: str, indent: int) -> str:
        collected: list[str] = []
        body_indent: int | None = None
        while self.position < len(self.lines):
            number, line_indent, text = self.lines[self.position]
            if line_indent < 0:
                collected.append("")
                self.position += 1
                continue
            if line_indent <= indent:
                break
            body_indent = line_indent if body_indent is None else body_indent
            if line_indent < body_indent or (style.startswith(">") and line_indent > body_indent):
                raise CffError(number, "a block value's lines must keep their indent")
            collected.append(" " * (line_indent - body_indent) + text)
            self.position += 1
        while collected and collected[-1] == "":
            collected.pop()
        if style.startswith(">"):
            paragraphs: list[str] = []
            current: list[str] = []
            for piece in collected:
                if piece == "":
                    paragraphs.append(" ".join(current))
                    current = []
                else:
                    current.append(piece)
            paragraphs.append(" ".join(current))
            text = "\n".join(paragraphs)
        else:
            text = "\n".join(collected)
        return text if style.endswith("-") else text + "\n"


def parse_cff(text: str) -> dict[str, Any]:
    """Read the YAML of a ``CITATION.cff`` file into dicts, lists and text.

    >>> parse_cff('title: "A title"\\nauthors:\\n  - name: "Someone"\\nkeywords:\\n- one\\n- two\\n')
    {'title': 'A title', 'authors': [{'name': 'Someone'}], 'keywords': ['one', 'two']}
    """
    reader = _Reader(text)
    if reader._next_content() is None:
        raise CffError(1, "the file is empty")
    result = reader.mapping(0)
    leftover = reader._next_content()
    if leftover is not None:
        raise CffError(leftover[0], "unexpected indentation or item")
    return result


# --- the file and the citation -----------------------------------------------------------


def _cff_source() -> str:
    """The text of CITATION.cff: the copy inside the package, else the checkout's own."""
    from importlib.resources import files  # here: importing the library should not pay for it
    from pathlib import Path

    shipped = files("sinoperu").joinpath(_CFF_NAME)
    if shipped.is_file():
        return shipped.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parent.parent.parent / _CFF_NAME  # src/sinoperu/ -> root
    if checkout.is_file():
        return checkout.read_text(encoding="utf-8")
    raise FileNotFoundError(f"{_CFF_NAME} is missing from the installed package; reinstall sinoperu")


@functools.cache
def _static() -> dict[str, Any]:
    """The static parts of the citation, read once from CITATION.cff and checked."""
    cff = parse_cff(_cff_source())

    def text(mapping: dict[str, Any], key: str, where: str) -> str:
        value = mapping.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{_CFF_NAME}: {where} needs a '{key}' (text)")
        return value

    data = [ref for ref in cff.get("references", []) if isinstance(ref, dict) and ref.get("type") == "data"]
    if len(data) != 1:
        raise ValueError(f"{_CFF_NAME}: 'references' needs exactly one entry of type 'data'")
    authors = cff.get("authors")
    if not isinstance(authors, list) or not authors:
        raise ValueError(f"{_CFF_NAME}: 'authors' needs at least one author")
    names = []
    for author in authors:
        if not isinstance(author, dict):
            raise ValueError(f"{_CFF_NAME}: each author is a mapping")
        if "name" in author:  # an entity (a group, an institution)
            names.append({"literal": text(author, "name", "an author")})
        else:
            names.append(
                {"family": text(author, "family-names", "an author"), "given": author.get("given-names", "")}
            )
    return {
        "software_title": text(cff, "title", "the file"),
        "title": text(data[0], "title", "the data reference"),
        "authors": names,
        "license": text(data[0], "license", "the data reference"),
        "code_license": text(cff, "license", "the file"),
        "repository": text(cff, "repository-code", "the file"),
    }


def _author_text(author: dict[str, str]) -> str:
    if "literal" in author:
        return author["literal"]
    return f"{author['family']}, {author['given']}".rstrip(", ")


def citation_metadata(dataset: Dataset | None = None) -> dict[str, Any]:
    """The citation as plain data, for exporters to embed (GeoJSON, data package, JSON).

    >>> meta = citation_metadata()
    >>> meta["license"], meta["data_version"], meta["as_of"]
    ('CC-BY-4.0', '2026.12.01', '2026-12-01')
    """
    if dataset is None:
        from .loader import load

        dataset = load()
    static = _static()
    meta = {
        "title": static["title"],
        "authors": [_author_text(author) for author in static["authors"]],
        "data_version": dataset.version,
        "as_of": None if dataset.as_of is None else dataset.as_of.isoformat(),
        "license": static["license"],
        "package": "sinoperu",
        "package_version": __version__,
        "repository": static["repository"],
    }
    meta["text"] = _apa(meta)
    return meta


def _apa(meta: dict[str, Any]) -> str:
    authors = meta["authors"]
    who = authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + ", & " + authors[-1]
    year = meta["as_of"][:4] if meta["as_of"] else "n.d."
    version = f"Version {meta['data_version']}" + (f", as of {meta['as_of']}" if meta["as_of"] else "")
    return (
        f"{who.rstrip('.')}. ({year}). {meta['title']} ({version}) "
        f"[Data set; Python package sinoperu {meta['package_version']}]. "
        f"Licence {meta['license']}. {meta['repository']}"
    )


_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}~^\\])")
_BIBTEX_ESCAPES = {"~": r"\textasciitilde{}", "^": r"\textasciicircum{}", "\\": r"\textbackslash{}"}


def _bibtex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES.get(m.group(1), "\\" + m.group(1)), text)


def _bibtex(meta: dict[str, Any]) -> str:
    key = "sinoperu_" + re.sub(r"[^A-Za-z0-9]+", "_", meta["data_version"]).strip("_")
    note = f"Data version {meta['data_version']}"
    if meta["as_of"]:
        note += f", checked against its sources on {meta['as_of']}"
    note += f". Data licence: {meta['license']}"
    fields = [
        ("author", " and ".join("{" + _bibtex_escape(a) + "}" for a in meta["authors"])),
        ("title", "{" + _bibtex_escape(meta["title"]) + "}"),
        *([("year", meta["as_of"][:4])] if meta["as_of"] else []),
        ("version", _bibtex_escape(meta["data_version"])),
        ("howpublished", f"Python package sinoperu {_bibtex_escape(meta['package_version'])}"),
        ("note", _bibtex_escape(note)),
        ("url", meta["repository"]),
    ]
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}"


def _csl(meta: dict[str, Any]) -> str:
    item: dict[str, Any] = {
        "id": f"sinoperu-{meta['data_version']}",
        "type": "dataset",
        "title": meta["title"],
        "author": _static()["authors"],
        "version": meta["data_version"],
        "URL": meta["repository"],
        "note": (
            f"Python package sinoperu {meta['package_version']}; data licence {meta['license']}"
            + (f"; data as of {meta['as_of']}" if meta["as_of"] else "")
        ),
        "custom": {"license": meta["license"], "package_version": meta["package_version"]},
    }
    if meta["as_of"]:
        item["issued"] = {"date-parts": [[int(part) for part in meta["as_of"].split("-")]]}
    import json

    return json.dumps([item], ensure_ascii=False, indent=2)


def cite(style: str = "bibtex", dataset: Dataset | None = None) -> str:
    """The citation of the data (default: the bundled dataset) in one style of :data:`STYLES`.

    It names the package version, the data version and its as-of date, the data licence
    and the repository.

    >>> print(cite())  # doctest: +ELLIPSIS
    @misc{sinoperu_2026_12_01,
      author       = {{sinoperu developers}},
      title        = {{sinoperu dataset (China–Peru twinnings, milestones and exchanges)}},
      year         = {2026},
      version      = {2026.12.01},
      howpublished = {Python package sinoperu 26.2.0},
      note         = {Data version 2026.12.01, checked against its sources on 2026-12-01. ...},
      url          = {https://github.com/sinoperu/sinoperu}
    }
    >>> cite("mla")
    Traceback (most recent call last):
    ...
    ValueError: unknown citation style 'mla'; the styles are 'bibtex', 'apa', 'csl-json'
    """
    writers = {"bibtex": _bibtex, "apa": _apa, "csl-json": _csl}
    if style not in writers:
        choices = ", ".join(map(repr, STYLES))
        raise ValueError(f"unknown citation style {style!r}; the styles are {choices}")
    return writers[style](citation_metadata(dataset))


# --- keeping CITATION.cff's version lines in step with the code --------------------------

_TOP_VERSION = re.compile(r'^version: ".*"$', re.MULTILINE)


def cff_text(text: str, dataset: Dataset) -> str:
    """``text`` (a CITATION.cff) with its version lines set from the package and ``dataset``.

    GitHub's "Cite this repository" reads those lines; ``scripts/regenerate.py`` rewrites
    them and a test fails when they are stale.
    """
    if len(_TOP_VERSION.findall(text)) != 1:
        raise ValueError(f'{_CFF_NAME} needs exactly one top-level line: version: "..."')
    text = _TOP_VERSION.sub(f'version: "{__version__}"', text)
    lines = text.split("\n")
    start = next((n for n, line in enumerate(lines) if line.strip() == "- type: data"), None)
    if start is None:
        raise ValueError(f"{_CFF_NAME} has no reference of type data")
    indent = len(lines[start]) - len(lines[start].lstrip()) + 2
    for n in range(start + 1, len(lines)):
        line = lines[n]
        if line.strip() and len(line) - len(line.lstrip()) < indent:
            break
        if line.startswith(" " * indent + "version: "):
            lines[n] = f'{" " * indent}version: "{dataset.version}"'
            break
    else:
        raise ValueError(f"{_CFF_NAME}: the data reference has no version line")
    return "\n".join(lines)
