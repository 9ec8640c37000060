"""The exceptions sinoperu raises, so callers can catch exactly what they mean.

Every error is a :class:`SinoperuError` and also a built-in type (``ValueError``,
``LookupError`` or ``OSError``), so code that already catches the built-in keeps working.

Every error survives :mod:`pickle` with its message and attributes, so it reaches the parent
of a :class:`~concurrent.futures.ProcessPoolExecutor` worker intact:

>>> import pickle
>>> error = pickle.loads(pickle.dumps(AmbiguousPlaceError("Cusco", [("pe-cus", "region Cusco")])))
>>> str(error), error.candidates
("'Cusco' names several places; pass one id of: 'pe-cus' (region Cusco)", ('pe-cus',))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = [
    "AmbiguousPlaceError",
    "DatasetError",
    "ExportError",
    "InvalidFieldError",
    "SinoperuError",
    "UnknownPlaceError",
]


def _rebuild(cls: type[SinoperuError], args: tuple[Any, ...], state: dict[str, Any]) -> SinoperuError:
    # The constructors take the parts and compose the message; unpickling must not run them
    # again on the composed message, so the instance is restored as it was: args, then attributes.
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class SinoperuError(Exception):
    """Base class of every error raised on purpose by sinoperu."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


class InvalidFieldError(SinoperuError, ValueError):
    """A single field of a record holds a value the model refuses.

    Raised by the models' validators; ``field`` names the attribute so a loader can
    say where in a file the bad value sits.

    >>> from sinoperu import PartialDate
    >>> PartialDate(2019, 2, 30)
    Traceback (most recent call last):
    ...
    sinoperu.errors.InvalidFieldError: day: 30 is not a day of 2019-02
    """

    def __init__(self, field: str, message: str, *, relational: bool = False) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.reason = message
        #: True when the rule relates this field to another field or record (see
        #: :data:`sinoperu.format.RELATIONAL_RULES`); a JSON Schema cannot state those.
        self.relational = relational


class DatasetError(SinoperuError, ValueError):
    """A dataset file (or collection of records) is invalid.

    The message names the file, the record (its id, or its position when it has no
    usable id) and the field, as far as each is known. The parts are also attributes.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        record: str | None = None,
        field: str | None = None,
        relational: bool = False,
    ) -> None:
        self.file = file
        self.relational = relational
        self.record = record
        self.field = field
        self.reason = message
        where = []
        if file is not None:
            where.append(file)
        if record is not None:
            where.append(f"record {record}")
        if field is not None:
            where.append(f"field {field!r}")
        prefix = ": ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class UnknownPlaceError(SinoperuError, LookupError):
    """A name matches no place of the dataset; ``suggestions`` holds the nearest names."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(map(repr, self.suggestions))}?" if suggestions else ""
        super().__init__(f"no known place is called {name!r}{hint}")

    def __str__(self) -> str:  # LookupError would otherwise repr() the message
        return str(self.args[0])


class AmbiguousPlaceError(SinoperuError, LookupError):
    """A name denotes several places equally well; pass one of ``candidates`` (ids) instead."""

    def __init__(self, name: str, candidates: Sequence[tuple[str, str]]) -> None:
        self.name = name
        self.candidates = tuple(place_id for place_id, _ in candidates)
        listing = ", ".join(f"{place_id!r} ({label})" for place_id, label in candidates)
        super().__init__(f"{name!r} names several places; pass one id of: {listing}")

    def __str__(self) -> str:
        return str(self.args[0])


class ExportError(SinoperuError, OSError):
    """Files could not be written, or writing them would replace files sinoperu did not write.

    ``path`` names the folder or file, ``reason`` says what was wrong. When it is raised,
    every file that was there before is unchanged (see :mod:`sinoperu.export.files`).

    >>> str(ExportError("holds files sinoperu did not write", path="out"))
    'out: holds files sinoperu did not write'
    """

    def __init__(self, message: str, *, path: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.reason = message

    def __str__(self) -> str:  # OSError would otherwise format errno and filename
        return str(self.args[0])
