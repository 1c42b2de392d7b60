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
"""

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

__version__ = "0.1.0"

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
