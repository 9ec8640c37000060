"""From what a user types to a :class:`~sinoperu.Place`: ids, codes, names, and names with a kind.

A text is read, in this order, as:

1. a place id (``"pe-lma"``);
2. a code of the place: ISO 3166-2 (``"CN-FJ"``), and, where a place has them, Peru's
   UBIGEO (``"080101"``), China's GB/T 2260 (``"350000"``) and Wikidata (``"Q5582"``);
   any case;
3. a name, alias, Chinese name or pinyin, in any case, spacing or punctuation, first with
   accents and tone marks as typed, then without them (:mod:`sinoperu.names`);
4. a name with a word that says its kind, in English, Spanish or Chinese: "Cusco region",
   "región Cusco", "库斯科大区", "Lima city", "ciudad de Lima", "Lima province", "distrito de
   Chancay": only places of that kind are candidates (or places with an alias that says it).

When several places remain, ``prefer`` ("city" or "division") keeps those of that kind, then
a place's own name outranks another's alias; the :class:`Resolution` names the places that
were set aside, so that the choice can be shown. What is still shared raises
:class:`~sinoperu.AmbiguousPlaceError`; what matches nothing raises
:class:`~sinoperu.UnknownPlaceError` with the nearest names. Both echo at most
:data:`~sinoperu.names.ECHO_LIMIT` characters of the text (in the message and in ``.name``).

>>> from sinoperu import load
>>> ds = load()
>>> [ds.place(text).id for text in ("CN-FJ", "región Cusco", "Lima city", "Lima province")]
['cn-fj', 'pe-cus', 'pe-lma', 'pe-lma']
>>> ds.resolve("Lima", prefer="city").note
"'Lima' read as the city pe-lma; the region is pe-lim"
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Final

from attrs import frozen

from .enums import CITY_KINDS, PlaceKind
from .errors import AmbiguousPlaceError, UnknownPlaceError
from .index import BoundedCache
from .models import Place
from .names import KIND_WORDS, SCAN_LIMIT, Suggester, echo, exact_key, loose_key, qualified

__all__ = ["CODE_FIELDS", "PREFERENCES", "Resolution", "Resolver"]

#: The attributes of a place that hold codes a user may type instead of a name.
CODE_FIELDS: Final = ("iso_code", "ubigeo", "gb2260", "wikidata")

#: The values of ``prefer``.
PREFERENCES: Final = (None, "city", "division")

#: Names resolved are kept for this many names (of at most MAX_CACHED_NAME characters).
MAX_RESOLVED: Final = 4096
MAX_CACHED_NAME: Final = 1024

# How a leading kind word may join the name in an alias: "Provincia de Lima", "City of Lima".
_JOINED = ("", "de", "del", "of")


def _label(place: Place) -> str:
    return place.kind.value.replace("_", " ")


@frozen
class Resolution:
    """The place a text was read as, and the places it could also have meant.

    ``alternatives`` is empty when the text names one place only; otherwise they are the
    places a preference (or a primary name over an alias) set aside.
    """

    name: str
    place: Place
    alternatives: tuple[Place, ...] = ()

    @property
    def note(self) -> str | None:
        """One line saying which place was chosen and which were not, or None if none was set aside."""
        if not self.alternatives:
            return None
        others = ", ".join(f"the {_label(other)} is {other.id}" for other in self.alternatives)
        return f"{self.name!r} read as the {_label(self.place)} {self.place.id}; {others}"


class Resolver:
    """Name, alias, id and code tables over the places of a dataset, built in one pass."""

    def __init__(self, places: Sequence[Place], lookup: Mapping[str, object]) -> None:
        self._lookup = lookup
        self.exact: dict[str, list[Place]] = {}
        self.loose: dict[str, list[Place]] = {}
        self.codes: dict[str, list[Place]] = {}
        exact, loose, codes = self.exact, self.loose, self.codes
        for place in places:
            for spelling in place.names:
                for table, key in ((exact, exact_key(spelling)), (loose, loose_key(spelling))):
                    bucket = table.get(key)
                    if bucket is None:
                        table[key] = [place]
                    elif bucket[-1] is not place:  # a place's spellings are added together
                        bucket.append(place)
            for field in CODE_FIELDS:
                code = getattr(place, field, None)
                if isinstance(code, str) and code:
                    codes.setdefault(code.upper(), []).append(place)
        self._resolved: BoundedCache[tuple[str, str | None], Resolution] = BoundedCache(MAX_RESOLVED)
        # Above SCAN_LIMIT keys the suggester sorts every key, which takes about a second at 10^6
        # places: it is made with the tables, so that no misspelt name pays for it.
        self._suggester: Suggester | None = (
            Suggester(self.loose, self._spell) if len(self.loose) > SCAN_LIMIT else None
        )
        self._lock = threading.Lock()

    def resolve(self, name: str | Place, prefer: str | None = None) -> Resolution:
        """Read ``name`` as a place of the dataset (see the module's documentation)."""
        if type(name) is str and (prefer is None or type(prefer) is str):  # a name asked before
            found = self._resolved.get((name, prefer))
            if found is not None:
                return found
        if isinstance(name, Place):
            if self._lookup.get(name.id) != name:
                raise UnknownPlaceError(echo(name.id), ())
            return Resolution(name.id, name)
        if not isinstance(name, str):
            raise TypeError(f"a place name is text, got {type(name).__name__}")
        if prefer not in PREFERENCES:
            shown = echo(prefer) if isinstance(prefer, str) else prefer
            raise ValueError(f"prefer must be 'city', 'division' or None, not {shown!r}")
        found = self._resolve(name, prefer)
        if len(name) <= MAX_CACHED_NAME:  # bounded memory, whatever is typed
            found = self._resolved.put((name, prefer), found)
        return found

    def _resolve(self, name: str, prefer: str | None) -> Resolution:
        text = name.strip()
        place = self._lookup.get(text)
        if isinstance(place, Place):
            return Resolution(echo(name), place)
        by_code = self.codes.get(text.upper())
        if by_code:
            return self._choose(name, by_code, prefer, None)
        key = exact_key(name)
        candidates = self.exact.get(key) or self.loose.get(loose_key(key))
        if candidates:
            return self._choose(name, candidates, prefer, key)
        shared: list[Place] = []  # places of that name but of another kind, to suggest
        for label, base in qualified(name):
            kinds = KIND_WORDS[label][0]
            for table, key_of in ((self.exact, exact_key), (self.loose, loose_key)):
                named = table.get(key_of(base), ())
                shared.extend(named)
                found = [p for p in named if p.kind in kinds]
                for spelling in _spelt_with(label, key_of(base), key_of):  # aliases that say the kind
                    found.extend(table.get(spelling, ()))
                if found:
                    return self._choose(name, list(dict.fromkeys(found)), prefer, base)
        if shared:
            raise UnknownPlaceError(echo(name), list(dict.fromkeys(p.id for p in shared)))
        raise UnknownPlaceError(echo(name), self.suggester().suggest(name))

    def _choose(self, name: str, candidates: list[Place], prefer: str | None, key: str | None) -> Resolution:
        chosen = candidates
        if len(chosen) > 1 and prefer is not None:
            chosen = [p for p in chosen if self._fits(p, prefer)] or chosen
        if len(chosen) > 1 and key is not None:  # a primary name outranks an alias
            chosen = [
                p for p in chosen if key in {exact_key(n) for n in (p.name, p.name_zh, p.pinyin) if n}
            ] or chosen
        if len(chosen) > 1:
            raise AmbiguousPlaceError(echo(name), [(p.id, f"{p.kind.value} {p.name}") for p in chosen])
        place = chosen[0]
        return Resolution(echo(name), place, tuple(p for p in candidates if p is not place))

    def _fits(self, place: Place, prefer: str) -> bool:
        if prefer == "city":
            return place.kind in CITY_KINDS
        parent = self._lookup.get(place.parent) if place.parent else None
        return isinstance(parent, Place) and parent.kind is PlaceKind.COUNTRY

    def suggester(self) -> Suggester:
        """ "Did you mean" over every loose key: made with the tables when big, else on the first miss."""
        suggester = self._suggester
        if suggester is None:
            with self._lock:
                suggester = self._suggester
                if suggester is None:
                    suggester = self._suggester = Suggester(self.loose, self._spell)
        return suggester

    def _spell(self, key: str) -> str:
        # The first spelling with this key, as written in the data.
        return next(s for s in self.loose[key][0].names if loose_key(s) == key)


def _spelt_with(label: str, base: str, key_of: Callable[[str], str]) -> list[str]:
    """Keys of the ways an alias may write ``base`` with a kind word of ``label``."""
    _, words, suffixes = KIND_WORDS[label]
    keys = []
    for word in words:
        word = key_of(word)
        keys.append(base + word)  # "Lima Province"
        keys.extend(word + joiner + base for joiner in _JOINED)  # "Provincia de Lima"
    keys.extend(base + key_of(suffix) for suffix in suffixes)  # "利马市"
    return keys
