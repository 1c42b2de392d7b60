"""The exception tree.

Every error slocalc raises derives from :class:`SlocalcError` *and* from the builtin it
refines, so ``except ValueError`` keeps working in code that does not know slocalc.
Messages begin with the offending input and say what would be valid.

>>> from slocalc import BusinessCalendar, CalendarSpecError
>>> try:
...     BusinessCalendar(tz="UTC", hours="Mon-Fri 8-17")
... except CalendarSpecError as exc:
...     print(exc)
hours 'Mon-Fri 8-17': bad time range '8-17'; expected HH:MM-HH:MM, e.g. '08:00-17:00'
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any

__all__ = [
    "CalendarSpecError",
    "MissingExtraError",
    "NaiveDatetimeError",
    "NaiveTimelineError",
    "NoBusinessTimeError",
    "PolicyError",
    "SlocalcError",
    "SlocalcTypeError",
    "SlocalcValueError",
    "TimelineError",
    "UnknownTimezoneError",
    "close_matches",
    "describe",
    "did_you_mean",
    "shorten",
    "suggest",
]

#: the longest rendering of an input value that a message echoes back
MAX_ECHO = 80

#: ``(field path, message)``: one problem of an input with several
Problem = tuple[str, str]


def _rebuild(cls: type[SlocalcError], args: tuple[Any, ...], state: dict[str, Any]) -> SlocalcError:
    """Unpickle an error: its args and attributes exactly, without calling ``__init__``."""
    error = cls.__new__(cls, *args)
    error.args = args
    error.__dict__.update(state)
    return error


class SlocalcError(Exception):
    """Root of every error slocalc raises.

    An error is built from structured fields, which compose its message in the library's
    voice, ``"<param>: expected <expected>, got <type> <value>; did you mean 'x'?"``, or from
    a message written out (the fields then describe it where they are given).

    Attributes:
        message: the whole message (also ``str(error)``).
        param: the parameter or field path at fault, or ``None``.
        value: the offending input, or ``None``.
        expected: what would be valid, or ``None``.
        suggestions: close matches among the valid spellings.

    >>> str(SlocalcError(param="customer", value="Berlin", expected="a Customer"))
    "customer: expected a Customer, got str 'Berlin'"
    >>> str(SlocalcError(param="unit", value="hour", expected="hours or minutes", suggestions=["hours"]))
    "unit: expected hours or minutes, got str 'hour'; did you mean 'hours'?"
    """

    message: str
    param: str | None
    value: Any
    expected: str | None
    suggestions: tuple[str, ...]

    def __init__(
        self,
        message: str | None = None,
        /,
        *,
        param: str | None = None,
        value: Any = None,
        expected: str | None = None,
        suggestions: Iterable[str] = (),
    ) -> None:
        self.param = param
        self.value = value
        self.expected = expected
        self.suggestions = tuple(suggestions)
        if message is None:
            text = f"expected {expected}, got {describe(value)}" if expected else f"got {describe(value)}"
            message = (f"{param}: " if param else "") + text + suggest(self.suggestions)
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.args, dict(self.__dict__)))


class NaiveDatetimeError(SlocalcError, ValueError):
    """A datetime without a time zone was given where an instant is required.

    Attributes:
        param: the name of the parameter that received it.
        value: the naive datetime.
    """

    def __init__(self, param: str, value: Any, zone: str | None = None) -> None:
        example = zone or "America/New_York"
        super().__init__(
            f'{param}: got naive datetime {value}; attach a zone, e.g. tzinfo=ZoneInfo("{example}")',
            param=param,
            value=value,
            expected="an aware datetime",
        )


class UnknownTimezoneError(SlocalcError, KeyError):
    """An IANA time zone name that zoneinfo/tzdata does not know.

    Attributes:
        value: the name given.
        suggestions: close matches among the known zone names.

    >>> print(UnknownTimezoneError("BST", ["Europe/London", "Europe/Belfast"]))
    unknown time zone 'BST'; did you mean 'Europe/London' or 'Europe/Belfast'?
    """

    def __init__(self, value: Any, suggestions: Iterable[str] = ()) -> None:
        hits = tuple(suggestions)
        hint = suggest(hits) or "; use an IANA name such as 'Europe/London' or 'UTC'"
        super().__init__(
            f"unknown time zone {value!r}{hint}",
            param="tz",
            value=value,
            expected="an IANA time zone name",
            suggestions=hits,
        )


class CalendarSpecError(SlocalcError, ValueError):
    """A calendar definition (hours, holidays, overrides, recurrence) is invalid."""


class NoBusinessTimeError(SlocalcError, ValueError):
    """A calendar has no open time within the search horizon (10 years)."""


def _listing(what: str, problems: tuple[Problem, ...]) -> str:
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    return "\n".join([f"invalid {what} ({count}):"] + [f"  {path}: {msg}" for path, msg in problems])


class PolicyError(SlocalcError, ValueError):
    """A policy definition is invalid.

    Give a message, or ``what`` and the problems to list them in the library's layout.

    Attributes:
        problems: every problem found, as ``(field path, message)`` pairs.

    >>> print(PolicyError(what="target", problems=[("amount", "must be a positive whole number, got 0")]))
    invalid target (1 problem):
      amount: must be a positive whole number, got 0
    """

    problems: tuple[Problem, ...]

    def __init__(
        self,
        message: str | None = None,
        /,
        problems: Iterable[Problem] = (),
        *,
        what: str | None = None,
        **fields: Any,
    ) -> None:
        self.problems = tuple((str(path), str(msg)) for path, msg in problems)
        if message is None and what is not None:
            message = _listing(what, self.problems)
        super().__init__(message, **fields)


class SlocalcTypeError(SlocalcError, TypeError):
    """An argument of the wrong type (e.g. a string where a ``datetime`` is required)."""


class SlocalcValueError(SlocalcError, ValueError):
    """An argument of the right type with an invalid value (e.g. mismatched batch lengths)."""


class MissingExtraError(SlocalcError, ImportError):
    """An optional dependency (hypothesis, numpy, pandas, matplotlib) is not installed.

    The message names the extra to install, e.g. ``pip install 'slocalc[pandas]'``.
    """


class TimelineError(SlocalcError, ValueError):
    """A case's events cannot be replayed (bad order, unknown kind or status, ...).

    Attributes:
        problems: every problem found, as ``(field path, message)`` pairs, e.g.
            ``("events[2].at", "required; this field is missing")``; empty when the
            message is the only problem.
    """

    problems: tuple[Problem, ...]

    def __init__(
        self, message: str | None = None, /, problems: Iterable[Problem] = (), **fields: Any
    ) -> None:
        self.problems = tuple((str(path), str(msg)) for path, msg in problems)
        super().__init__(message, **fields)


class NaiveTimelineError(NaiveDatetimeError, TimelineError):
    """A case or event was given a naive datetime.

    Both a :class:`NaiveDatetimeError` (pinned for every naive instant) and a
    :class:`TimelineError` (pinned for every bad timeline), so either ``except`` clause
    catches it. ``param`` names the field, e.g. ``events[2].at``; ``problems`` holds it
    as its one problem.
    """

    def __init__(self, param: str, value: Any, zone: str | None = None) -> None:
        super().__init__(param, value, zone)
        self.problems = ((param, self.message.removeprefix(f"{param}: ")),)


def close_matches(word: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` candidates close to ``word`` (case-insensitive)."""
    cands = list(candidates)
    lowered = {c.lower(): c for c in cands}
    hits = difflib.get_close_matches(str(word).lower(), list(lowered), n=n, cutoff=0.6)
    return [lowered[h] for h in hits]


def did_you_mean(value: object, candidates: Iterable[str], n: int = 3) -> str:
    """The suggestion suffix every message uses: ``"; did you mean 'x' or 'y'?"``, or ``""``.

    ``candidates`` are the valid spellings; the closest (case-insensitive) are suggested.

    >>> did_you_mean("suport_update", ["support_update", "customer_update", "status"])
    "; did you mean 'support_update' or 'customer_update'?"
    >>> did_you_mean("xyz", ["support_update"])
    ''
    """
    return suggest(close_matches(str(value), candidates, n=n))


def suggest(hits: Iterable[str]) -> str:
    """The suffix of :func:`did_you_mean` for suggestions found otherwise, or ``""``.

    >>> suggest(["Europe/London", "UTC"])
    "; did you mean 'Europe/London' or 'UTC'?"
    """
    shown = [repr(h) for h in hits]
    return f"; did you mean {' or '.join(shown)}?" if shown else ""


def describe(value: object) -> str:
    """How a message shows an input it got: its type and :func:`shorten`-ed repr.

    >>> describe(5), describe(None), describe([])
    ('int 5', 'None', 'list []')
    """
    return "None" if value is None else f"{type(value).__name__} {shorten(value)}"


def shorten(value: object, limit: int = MAX_ECHO) -> str:
    """``repr(value)``, cut to ``limit`` characters with ``...`` so huge inputs stay readable.

    >>> shorten("x" * 1000, 12)
    "'xxxxxxxx..."
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
