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
"""

from slocalc.calendars import ALWAYS, NEVER, BusinessCalendar, Calendar, RecurringCalendar
from slocalc.errors import (
    CalendarSpecError,
    NaiveDatetimeError,
    NoBusinessTimeError,
    PolicyError,
    SlocalcError,
    TimelineError,
    UnknownTimezoneError,
)

__version__ = "0.1.0"

__all__ = [
    "ALWAYS",
    "NEVER",
    "BusinessCalendar",
    "Calendar",
    "CalendarSpecError",
    "NaiveDatetimeError",
    "NoBusinessTimeError",
    "PolicyError",
    "RecurringCalendar",
    "SlocalcError",
    "TimelineError",
    "UnknownTimezoneError",
    "__version__",
]
