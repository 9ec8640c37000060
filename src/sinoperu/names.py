"""Turning any spelling of a place name into lookup keys, kind words, and "did you mean".

Two keys per spelling:

* the *exact* key folds case and drops spaces and punctuation but keeps accents, so the
  tone marks of pinyin still tell Shǎnxī (陕西) from Shānxī (山西);
* the *loose* key also drops accents, so "Zhangzhóu" finds Zhangzhou and "Fujián" finds
  Fujian when no spelling matches exactly.

>>> exact_key("Xi'an"), loose_key("Xī'ān"), exact_key("Shǎnxī") == exact_key("Shānxī")
('xian', 'xian', False)
>>> loose_key("Shǎnxī") == loose_key("Shānxī")
True

A name may carry a word that says what kind of place it is ("Cusco region", "provincia de
Lima", "库斯科大区"); :func:`qualified` separates that word from the name (:data:`KIND_WORDS`
is the vocabulary, written once).

"Did you mean" (:class:`Suggester`) ranks names as :mod:`difflib` does, and finds them fast
on big datasets. A full scan with :func:`difflib.get_close_matches` costs about 10 s at 10^6
places; a full scan with ``rapidfuzz`` (C speed, maintained, MIT) still costs about 0.5 s
there, since every comparison pays for converting a Python string. So up to
:data:`SCAN_LIMIT` distinct keys every key is scored; above it, the keys scored are the
neighbours of the misspelt name in two sorted lists (the keys, and the keys spelt backwards),
which are the keys that share its longest beginning or its longest ending: a typo leaves at
least one end of a name intact far more often than neither. ``rapidfuzz``'s similarity is
never below difflib's (it counts the longest common subsequence, difflib a greedy part of
it), so filtering with it at difflib's cutoff loses no match difflib would make, and difflib
has the last word on the order. The sorted lists are made with the suggester (two sorts of the
keys, about a second at 10^6 places), and a dataset makes its suggester with its name tables once
it has more than :data:`SCAN_LIMIT` keys, so that even the first misspelt name takes milliseconds.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Final

from .enums import CITY_KINDS, PlaceKind

if TYPE_CHECKING:
    from difflib import SequenceMatcher

__all__ = [
    "ECHO_LIMIT",
    "KIND_WORDS",
    "SCAN_LIMIT",
    "Suggester",
    "echo",
    "exact_key",
    "loose_key",
    "nearest",
    "qualified",
]


# Everything but letters and digits (str.isalnum): spaces, punctuation, underscores, and
# combining marks, which after NFKD are the accents and tone marks.
_NOT_ALNUM = re.compile(r"[\W_]+")

#: At most this many characters of what a user typed are echoed in an error message.
ECHO_LIMIT: Final = 200


def echo(text: str) -> str:
    """``text`` cut to :data:`ECHO_LIMIT` characters (with an ellipsis), to quote it in a message.

    >>> echo("Lima"), len(echo("x" * 10_000))
    ('Lima', 201)
    """
    return text if len(text) <= ECHO_LIMIT else text[:ECHO_LIMIT] + "…"


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def exact_key(text: str) -> str:
    """Case-folded, NFKC (full-width letters become plain), letters and digits only."""
    return _NOT_ALNUM.sub("", _folded(text))


def loose_key(text: str) -> str:
    """Like :func:`exact_key`, and accents, tone marks and umlauts removed."""
    # Decompose before and after folding: either step can expose the other's work.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return _NOT_ALNUM.sub("", decomposed)


# --- kind words ---------------------------------------------------------------------

_CITIES = frozenset(CITY_KINDS - {PlaceKind.COUNTY, PlaceKind.DISTRICT})
_REGIONS = frozenset({PlaceKind.REGION, PlaceKind.AUTONOMOUS_REGION, PlaceKind.SPECIAL_ADMINISTRATIVE_REGION})

#: The words that say what kind of place a name means, by the kinds they mean. They are English
#: and Spanish words (before or after the name, "de"/"del"/"of" allowed after a leading word,
#: accents optional) and Chinese suffixes (written after the name, with no space).
KIND_WORDS: Final[dict[str, tuple[frozenset[PlaceKind], tuple[str, ...], tuple[str, ...]]]] = {
    # label: (kinds, words, Chinese suffixes)
    "region": (_REGIONS, ("region", "región", "departamento", "department", "departement"), ("大区",)),
    "autonomous region": (
        frozenset({PlaceKind.AUTONOMOUS_REGION}),
        ("autonomous region", "región autónoma", "zizhiqu"),
        ("自治区",),
    ),
    "special administrative region": (
        frozenset({PlaceKind.SPECIAL_ADMINISTRATIVE_REGION}),
        ("special administrative region", "región administrativa especial", "sar"),
        ("特别行政区",),
    ),
    "province": (frozenset({PlaceKind.PROVINCE}), ("province", "provincia", "sheng"), ("省",)),
    "municipality": (
        frozenset({PlaceKind.MUNICIPALITY, PlaceKind.CITY}),
        ("municipality", "municipalidad", "municipio"),
        ("直辖市",),
    ),
    "city": (_CITIES, ("city", "ciudad", "shi"), ("市", "城")),
    "prefecture": (
        frozenset({PlaceKind.PREFECTURE_CITY}),
        ("prefecture", "prefecture level city", "prefectura"),
        ("地级市",),
    ),
    "county-level city": (frozenset({PlaceKind.COUNTY_CITY}), ("county level city",), ("县级市",)),
    "county": (frozenset({PlaceKind.COUNTY}), ("county", "condado", "xian"), ("县",)),
    "district": (frozenset({PlaceKind.DISTRICT}), ("district", "distrito", "qu"), ("区",)),
    "country": (frozenset({PlaceKind.COUNTRY}), ("country", "país", "republic", "república"), ()),
}

# Words that may join a leading kind word to the name: "provincia de Lima", "city of Lima".
_JOINERS = frozenset({"de", "del", "of"})


def _word_tokens(word: str) -> tuple[str, ...]:
    return tuple(loose_key(part) for part in word.split())


def _kind_tables() -> tuple[dict[tuple[str, ...], str], list[tuple[str, str]], int]:
    words: dict[tuple[str, ...], str] = {}
    suffixes: list[tuple[str, str]] = []
    for label, (_, spellings, han) in KIND_WORDS.items():
        for spelling in spellings:
            words[_word_tokens(spelling)] = label
        suffixes.extend((exact_key(suffix), label) for suffix in han)
    suffixes.sort(key=lambda pair: -len(pair[0]))  # 自治区 before 区
    return words, suffixes, max(map(len, words))


_WORDS, _SUFFIXES, _LONGEST_WORD = _kind_tables()


def qualified(text: str) -> list[tuple[str, str]]:
    """Each way to read ``text`` as a name with a kind word: ``(label, exact key of the name)``.

    The label is a key of :data:`KIND_WORDS`. A text with no kind word gives ``[]``; the name
    left must not be empty.

    >>> qualified("Cusco region"), qualified("provincia de Lima"), qualified("库斯科大区")
    ([('region', 'cusco')], [('province', 'lima')], [('region', '库斯科')])
    >>> qualified("Lima"), qualified("region")
    ([], [])
    """
    tokens = [token for token in _NOT_ALNUM.split(_folded(text)) if token]
    loose = [loose_key(token) for token in tokens]
    readings: list[tuple[str, str]] = []
    for size in range(min(_LONGEST_WORD, len(tokens) - 1), 0, -1):
        label = _WORDS.get(tuple(loose[:size]))  # a leading word: "región Cusco"
        if label is not None:
            start = size + 1 if loose[size] in _JOINERS and len(tokens) > size + 1 else size
            readings.append((label, "".join(tokens[start:])))
        label = _WORDS.get(tuple(loose[-size:]))  # a trailing word: "Cusco region"
        if label is not None:
            readings.append((label, "".join(tokens[:-size])))
    if tokens:
        last = tokens[-1]
        for suffix, label in _SUFFIXES:  # a Chinese suffix: "库斯科大区"
            if last.endswith(suffix) and (len(last) > len(suffix) or len(tokens) > 1):
                readings.append((label, "".join([*tokens[:-1], last[: -len(suffix)]])))
                break
    return list(dict.fromkeys(readings))


# --- did you mean ---------------------------------------------------------------------

#: Up to this many distinct keys, "did you mean" compares a misspelt name with every key.
SCAN_LIMIT: Final = 20_000
_NEIGHBOURS = 2_000  # keys taken from each sorted list above SCAN_LIMIT
_SHORTLIST = 200  # best keys by rapidfuzz that difflib then ranks
_CUTOFF = 0.6  # difflib.get_close_matches' default


class Suggester:
    """The known names nearest to a misspelt one, best first.

    Built once over distinct loose keys; ``spell`` turns a key back into a name to show.

    >>> Suggester(["lima", "lambayeque", "shanghai"]).suggest("Limma")
    ['lima']
    """

    __slots__ = ("_backward", "_forward", "_keys", "_longest", "_spell")

    def __init__(self, keys: Iterable[str], spell: Callable[[str], str] | None = None) -> None:
        unique = keys if isinstance(keys, dict) else dict.fromkeys(keys)  # a dict's keys are unique
        self._keys: list[str] = [key for key in unique if key] if "" in unique else list(unique)
        self._spell = spell
        self._longest = max(map(len, self._keys), default=0)
        self._forward: list[str] | None = None
        self._backward: list[str] | None = None
        if len(self._keys) > SCAN_LIMIT:
            self._forward = sorted(self._keys)
            self._backward = sorted(key[::-1] for key in self._keys)
            _matchers()  # a big suggester is made ahead of its first use: so are its imports

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Up to ``limit`` names close to ``name``, as :func:`difflib.get_close_matches` ranks them."""
        word = loose_key(name)
        if not word or not self._keys or len(word) > 3 * self._longest:
            return []  # nothing of that length is close to any key: no need to compare
        SequenceMatcher, fuzz, process = _matchers()
        pool: Sequence[str] = self._keys
        if self._forward is not None and self._backward is not None:
            nearby = _neighbours(self._forward, word)
            nearby.update(key[::-1] for key in _neighbours(self._backward, word[::-1]))
            pool = list(nearby)
        # Just below the cutoff, so that rounding never drops a key difflib would keep.
        shortlist = process.extract(
            word, pool, scorer=fuzz.ratio, limit=_SHORTLIST, score_cutoff=_CUTOFF * 100 - 1e-6
        )
        matcher = SequenceMatcher()
        matcher.set_seq2(word)
        scored = []
        for key, _, _ in shortlist:
            matcher.set_seq1(key)
            if matcher.real_quick_ratio() >= _CUTOFF and matcher.quick_ratio() >= _CUTOFF:
                score = matcher.ratio()
                if score >= _CUTOFF:
                    scored.append((score, key))
        scored.sort(reverse=True)  # as get_close_matches: best score, then the greater key
        spell = self._spell
        return [key if spell is None else spell(key) for _, key in scored[:limit]]


@functools.cache
def _matchers() -> tuple[type[SequenceMatcher[str]], ModuleType, ModuleType]:
    """difflib's matcher and rapidfuzz, imported on first need: only error messages use them."""
    from difflib import SequenceMatcher

    from rapidfuzz import fuzz, process

    return SequenceMatcher, fuzz, process


def _neighbours(keys: list[str], probe: str) -> set[str]:
    """The keys that share the longest beginning with ``probe``, about ``_NEIGHBOURS`` of them."""
    low = high = bisect.bisect_left(keys, probe)
    for size in range(len(probe), 0, -1):
        prefix = probe[:size]
        low = bisect.bisect_left(keys, prefix, 0, low)
        after = _after(prefix)
        high = len(keys) if after is None else bisect.bisect_left(keys, after, high)
        if high - low >= _NEIGHBOURS:
            break
    if high - low > _NEIGHBOURS:  # keep those nearest the place the probe would sort
        middle = bisect.bisect_left(keys, probe, low, high)
        low = max(low, min(middle - _NEIGHBOURS // 2, high - _NEIGHBOURS))
        high = low + _NEIGHBOURS
    return set(keys[low:high])


def _after(prefix: str) -> str | None:
    """The least text that sorts after every text beginning with ``prefix`` (None: there is none)."""
    while prefix and ord(prefix[-1]) == 0x10FFFF:
        prefix = prefix[:-1]
    return prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else None


def nearest(name: str, known: Iterable[str], limit: int = 3) -> list[str]:
    """The known names that look most like ``name``, best first.

    >>> nearest("Limma", ["Lima", "Lambayeque", "Shanghai"])
    ['Lima']
    """
    by_key: dict[str, str] = {}
    for spelling in known:
        by_key.setdefault(loose_key(spelling), spelling)
    return Suggester(by_key, by_key.__getitem__).suggest(name, limit)
