"""JSON text in and out, strictly: what the standard library lets through, refused here.

The standard parser keeps the last of two equal keys, reads ``NaN`` and turns ``1e400``
into infinity; a dataset file with any of these is refused instead, with its name. Output
is canonical: two-space indent, characters as written, a final newline.

>>> parse_json('{"a": 1, "a": 2}', file="x.json")
Traceback (most recent call last):
...
sinoperu.errors.DatasetError: x.json: not valid JSON here: the key 'a' appears twice in one object
"""

from __future__ import annotations

import json
import math
from typing import Any

from .errors import DatasetError

__all__ = ["dumps", "finite_float", "parse_json", "refuse_constant"]


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        duplicate = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
        label = f" (in the object with id {result['id']!r})" if isinstance(result.get("id"), str) else ""
        raise ValueError(f"the key {duplicate!r} appears twice in one object{label}")
    return result


def refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is too large for a float")
    return value


def parse_json(text: str, *, file: str | None = None) -> Any:
    """Parse JSON strictly: no duplicate keys, no NaN or Infinity, no overflowing numbers."""
    if text.startswith("\ufeff"):
        raise DatasetError("starts with a byte-order mark; save it as UTF-8 without BOM", file=file)
    try:
        return json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=refuse_constant,
            parse_float=finite_float,
        )
    except json.JSONDecodeError as error:
        raise DatasetError(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}", file=file
        ) from None
    except RecursionError:
        raise DatasetError("not valid JSON here: arrays or objects nested too deeply", file=file) from None
    except ValueError as error:  # from the hooks above, or an integer too long to read
        raise DatasetError(f"not valid JSON here: {error}", file=file) from None


def dumps(obj: Any) -> str:
    """Canonical JSON text: two-space indent, UTF-8 characters as written, final newline."""
    return json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
