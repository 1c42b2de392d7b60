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
    "did_you_mean",
    "shorten",
]

#: the longest rendering of an input value that a message echoes back
MAX_ECHO = 80


class SlocalcError(Exception):
    """Root of every error slocalc raises."""


class NaiveDatetimeError(SlocalcError, ValueError):
    """A datetime without a time zone was given where an instant is required.

    Attributes:
        param: the name of the parameter that received it.
        value: the naive datetime.
    """

    def __init__(self, param: str, value: Any, zone: str | None = None) -> None:
        self.param = param
        self.value = value
        example = zone or "America/New_York"
        super().__init__(
            f'{param}: got naive datetime {value}; attach a zone, e.g. tzinfo=ZoneInfo("{example}")'
        )


class UnknownTimezoneError(SlocalcError, KeyError):
    """An IANA time zone name that zoneinfo/tzdata does not know.

    Attributes:
        value: the name given.
        suggestions: close matches among the known zone names.
    """

    def __init__(self, value: Any, suggestions: Iterable[str] = ()) -> None:
        self.value = value
        self.suggestions = tuple(suggestions)
        hint = (
            f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?"
            if self.suggestions
            else "; use an IANA name such as 'Europe/London' or 'UTC'"
        )
        self.message = f"unknown time zone {value!r}{hint}"
        super().__init__(self.message)

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class CalendarSpecError(SlocalcError, ValueError):
    """A calendar definition (hours, holidays, overrides, recurrence) is invalid."""


class NoBusinessTimeError(SlocalcError, ValueError):
    """A calendar has no open time within the search horizon (10 years)."""


class PolicyError(SlocalcError, ValueError):
    """A policy definition is invalid.

    Attributes:
        problems: every problem found, as ``(field path, message)`` pairs.
    """

    def __init__(self, message: str, problems: Iterable[tuple[str, str]] = ()) -> None:
        self.problems = tuple(problems)
        super().__init__(message)


class SlocalcTypeError(SlocalcError, TypeError):
    """An argument of the wrong type (e.g. a string where a ``datetime`` is required)."""


class SlocalcValueError(SlocalcError, ValueError):
    """An argument of the right type with an invalid value (e.g. mismatched batch lengths)."""


class MissingExtraError(SlocalcError, ImportError):
    """An optional dependency (hypothesis, numpy, pandas, matplotlib) is not installed.

    The message names the extra to install, e.g. ``pip install 'slocalc[pandas]'``.
    """


class TimelineError(SlocalcError, ValueError):
    """A case's events cannot be replayed (bad order, unknown kind or status, ...)."""


class NaiveTimelineError(NaiveDatetimeError, TimelineError):
    """A case or event was given a naive datetime.

    Both a :class:`NaiveDatetimeError` (pinned for every naive instant) and a
    :class:`TimelineError` (pinned for every bad timeline), so either ``except`` clause
    catches it. ``param`` names the field, e.g. ``events[2].at``.
    """


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
    hits = close_matches(str(value), candidates, n=n)
    return f"; did you mean {' or '.join(map(repr, hits))}?" if hits else ""


def shorten(value: object, limit: int = MAX_ECHO) -> str:
    """``repr(value)``, cut to ``limit`` characters with ``...`` so huge inputs stay readable.

    >>> shorten("x" * 1000, 12)
    "'xxxxxxxx..."
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."
