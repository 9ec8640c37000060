"""sinoperu: a cited dataset of China–Peru relations at the bloc, meso and micro levels.

>>> import sinoperu
>>> [t.id for t in sinoperu.by_city("Lima") if isinstance(t, sinoperu.Twinning)]
['tw-lima-beijing', 'tw-lima-shanghai']

The module-level query functions run on the bundled dataset; each is also a method of
:class:`Dataset`, for datasets you load yourself.
"""

from __future__ import annotations

from typing import Any

from ._version import __version__
from .cite import cite
from .dataset import Dataset
from .dates import DateInterval, PartialDate, Qualifier, format_date, parse_date
from .enums import (
    CooperationArea,
    CountQualifier,
    Evidence,
    ExchangeKind,
    Level,
    MilestoneKind,
    PlaceKind,
    SourceKind,
    Status,
    TotalScope,
    TwinningKind,
)
from .errors import (
    AmbiguousPlaceError,
    DatasetError,
    ExportError,
    InvalidFieldError,
    SinoperuError,
    UnknownPlaceError,
)
from .loader import load
from .models import (
    Coordinates,
    Exchange,
    Milestone,
    NationalTotal,
    Place,
    Provision,
    Record,
    Source,
    Twinning,
)

__all__ = [
    "AmbiguousPlaceError",
    "CooperationArea",
    "Coordinates",
    "CountQualifier",
    "Dataset",
    "DatasetError",
    "DateInterval",
    "Evidence",
    "Exchange",
    "ExchangeKind",
    "ExportError",
    "InvalidFieldError",
    "Level",
    "Milestone",
    "MilestoneKind",
    "NationalTotal",
    "PartialDate",
    "Place",
    "PlaceKind",
    "Provision",
    "Qualifier",
    "Record",
    "SinoperuError",
    "Source",
    "SourceKind",
    "Status",
    "TotalScope",
    "Twinning",
    "TwinningKind",
    "UnknownPlaceError",
    "__version__",
    "by_city",
    "by_level",
    "by_province",
    "by_year",
    "cite",
    "format_date",
    "from_json",
    "load",
    "parse_date",
    "place",
    "query",
    "to_json",
]


def by_city(name: str | Place) -> tuple[Record, ...]:
    """Records of the bundled dataset in which this place is a party; see :meth:`Dataset.by_city`.

    >>> by_city("cusco") == by_city("Cuzco") == by_city("库斯科")
    True
    """
    return load().by_city(name)


def by_province(name: str | Place) -> tuple[Record, ...]:
    """Records involving this place or any place inside it; see :meth:`Dataset.by_province`.

    >>> by_province("Fujián") == by_province("福建")
    True
    """
    return load().by_province(name)


def by_year(start: int, end: int | None = None, *, possible: bool = False) -> tuple[Record, ...]:
    """Records dated in ``start``, or in ``start..end`` inclusive; see :meth:`Dataset.by_year`.

    >>> {r.date.year for r in by_year(2008)}
    {2008}
    """
    return load().by_year(start, end, possible=possible)


def by_level(level: Level | str) -> tuple[Record, ...]:
    """Records of one level; see :meth:`Dataset.by_level`.

    >>> {r.level for r in by_level("bloc")} == {Level.BLOC}
    True
    """
    return load().by_level(level)


def query(
    *,
    city: str | Place | None = None,
    province: str | Place | None = None,
    year: int | tuple[int, int] | None = None,
    level: Level | str | None = None,
    kind: str | None = None,
    evidence: Evidence | str | None = None,
    status: Status | str | None = None,
    type: type[Twinning] | type[Milestone] | type[Exchange] | str | None = None,
    possible: bool = False,
) -> tuple[Record, ...]:
    """Records passing every filter given; see :meth:`Dataset.query`.

    >>> [r.id for r in query(type="twinning", status="in_force", evidence="confirmed")]
    ['tw-lima-beijing', 'tw-lima-shanghai', 'tw-chancay-suzhou']
    """
    return load().query(
        city=city,
        province=province,
        year=year,
        level=level,
        kind=kind,
        evidence=evidence,
        status=status,
        type=type,
        possible=possible,
    )


def place(name: str | Place, *, prefer: str | None = None) -> Place:
    """The place a name, alias or id denotes; see :meth:`Dataset.place`.

    >>> place("Xian") == place("Xi'an") == place("西安")
    True
    """
    return load().place(name, prefer=prefer)


def to_json(obj: Any) -> str:
    """Canonical JSON of a record, a tuple of records or a Dataset (see :mod:`sinoperu.serialize`)."""
    from .serialize import to_json as _to_json

    return _to_json(obj)


def from_json(text: str | bytes) -> Any:
    """What :func:`to_json` wrote, read back; invalid input raises :class:`DatasetError`."""
    from .serialize import from_json as _from_json

    return _from_json(text)
