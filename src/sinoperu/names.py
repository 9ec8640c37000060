"""Turning any spelling of a place name into lookup keys, and "did you mean".

Two keys per spelling:

* the *exact* key folds case and drops spaces and punctuation but keeps accents, so the
  tone marks of pinyin still tell Shǎnxī (陕西) from Shānxī (山西);
* the *loose* key also drops accents, so "Zhangzhóu" finds Zhangzhou and "Fujián" finds
  Fujian when no spelling matches exactly.

>>> exact_key("Xi'an"), loose_key("Xī'ān"), exact_key("Shǎnxī") == exact_key("Shānxī")
('xian', 'xian', False)
>>> loose_key("Shǎnxī") == loose_key("Shānxī")
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

__all__ = ["exact_key", "loose_key", "nearest"]


# Everything but letters and digits (str.isalnum): spaces, punctuation, underscores, and
# combining marks, which after NFKD are the accents and tone marks.
_NOT_ALNUM = re.compile(r"[\W_]+")


@lru_cache(maxsize=4096)
def exact_key(text: str) -> str:
    """Case-folded, NFKC (full-width letters become plain), letters and digits only."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return _NOT_ALNUM.sub("", folded)


@lru_cache(maxsize=4096)
def loose_key(text: str) -> str:
    """Like :func:`exact_key`, and accents, tone marks and umlauts removed."""
    # Decompose before and after folding: either step can expose the other's work.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return _NOT_ALNUM.sub("", decomposed)


def nearest(name: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The known names that look most like ``name``, best first.

    >>> nearest("Limma", ["Lima", "Lambayeque", "Shanghai"])
    ['Lima']
    """
    import difflib  # only an error message needs it: keep it off the import path

    by_key: dict[str, str] = {}
    for spelling in known:
        by_key.setdefault(loose_key(spelling), spelling)
    matches = difflib.get_close_matches(loose_key(name), list(by_key), n=limit, cutoff=0.6)
    return [by_key[key] for key in matches]
