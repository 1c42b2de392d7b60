"""slocalc: exact service-level deadlines and breach checks.

Business time in IANA zones, holidays, per-date overrides, follow-the-sun unions,
policies as data, and case evaluation.

>>> from datetime import datetime, timedelta
>>> from zoneinfo import ZoneInfo
>>> from slocalc import BusinessCalendar
>>> cal = BusinessCalendar(tz="America/New_York", hours="Mon-Fri 08:00-17:00")
>>> opened = datetime(2026, 11, 27, 15, 0, tzinfo=ZoneInfo("America/New_York"))  # a Friday
>>> cal.add(opened, timedelta(hours=4))
datetime.datetime(2026, 11, 30, 10, 0, tzinfo=zoneinfo.ZoneInfo(key='America/New_York'))

Submodules: :mod:`slocalc.calendars` (and :mod:`slocalc.calendars.centers`),
:mod:`slocalc.policies`, :mod:`slocalc.cases`, :mod:`slocalc.staffing`,
:mod:`slocalc.testing` (needs the ``testing`` extra).

``import slocalc`` is cheap: each name below is imported from its layer on first use
(a module ``__getattr__``), so a program that only needs calendars never loads pydantic.
See docs/architecture.md.
"""

import importlib

# not `from typing import TYPE_CHECKING`: typing costs more than a bare interpreter start, and
# `slocalc --version` must stay cheap; mypy and pyright treat any name TYPE_CHECKING alike
TYPE_CHECKING = False

__version__ = "0.1.0"

#: where each exported name lives; it is imported from there on first access
_HOMES: dict[str, str] = {
    "ALWAYS": "slocalc.calendars",
    "NEVER": "slocalc.calendars",
    "BusinessCalendar": "slocalc.calendars",
    "Calendar": "slocalc.calendars",
    "RecurringCalendar": "slocalc.calendars",
    "Alert": "slocalc.cases",
    "Case": "slocalc.cases",
    "CaseReport": "slocalc.cases",
    "Event": "slocalc.cases",
    "TargetResult": "slocalc.cases",
    "check": "slocalc.cases",
    "evaluate": "slocalc.cases",
    "CalendarSpecError": "slocalc.errors",
    "MissingExtraError": "slocalc.errors",
    "NaiveDatetimeError": "slocalc.errors",
    "NaiveTimelineError": "slocalc.errors",
    "NoBusinessTimeError": "slocalc.errors",
    "PolicyError": "slocalc.errors",
    "SlocalcError": "slocalc.errors",
    "SlocalcTypeError": "slocalc.errors",
    "SlocalcValueError": "slocalc.errors",
    "TimelineError": "slocalc.errors",
    "UnknownTimezoneError": "slocalc.errors",
    "RAPID7": "slocalc.policies",
    "Customer": "slocalc.policies",
    "Policy": "slocalc.policies",
}

#: public submodules, reachable as attributes (``slocalc.calendars``) without importing them first
_SUBMODULES = frozenset({"calendars", "cases", "cli", "errors", "policies", "staffing", "testing"})

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time __getattr__ provides these
    from slocalc.calendars import ALWAYS, NEVER, BusinessCalendar, Calendar, RecurringCalendar
    from slocalc.cases import Alert, Case, CaseReport, Event, TargetResult, check, evaluate
    from slocalc.errors import (
        CalendarSpecError,
        MissingExtraError,
        NaiveDatetimeError,
        NaiveTimelineError,
        NoBusinessTimeError,
        PolicyError,
        SlocalcError,
        SlocalcTypeError,
        SlocalcValueError,
        TimelineError,
        UnknownTimezoneError,
    )
    from slocalc.policies import RAPID7, Customer, Policy

__all__ = [
    "ALWAYS",
    "NEVER",
    "RAPID7",
    "Alert",
    "BusinessCalendar",
    "Calendar",
    "CalendarSpecError",
    "Case",
    "CaseReport",
    "Customer",
    "Event",
    "MissingExtraError",
    "NaiveDatetimeError",
    "NaiveTimelineError",
    "NoBusinessTimeError",
    "Policy",
    "PolicyError",
    "RecurringCalendar",
    "SlocalcError",
    "SlocalcTypeError",
    "SlocalcValueError",
    "TargetResult",
    "TimelineError",
    "UnknownTimezoneError",
    "__version__",
    "check",
    "evaluate",
]


def _load(name: str) -> object:
    """Import an exported name (or a public submodule) from its home on first access (PEP 562)."""
    home = _HOMES.get(name)
    if home is not None:
        value: object = getattr(importlib.import_module(home), name)
        globals()[name] = value  # later lookups are plain attribute reads
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _names() -> list[str]:
    """``dir(slocalc)``: what is loaded so far, every exported name and the public submodules."""
    return sorted(set(globals()) | set(__all__) | _SUBMODULES)


if not TYPE_CHECKING:  # hidden from type checkers, so a misspelt name stays an error for them
    __getattr__ = _load
    __dir__ = _names
