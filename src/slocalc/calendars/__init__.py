"""Calendars: when a clock runs.

* :class:`BusinessCalendar`: weekly hours in an IANA zone, holidays, per-date overrides;
* :class:`RecurringCalendar`: windows from an RFC 5545 recurrence rule;
* ``a | b``, ``a & b``, ``a - b``: union (follow-the-sun), intersection, difference;
* :data:`ALWAYS` (24x7) and :data:`NEVER`.

Every calendar answers ``is_open``, ``next_open``, ``next_close``, ``add``, ``between`` and
``intervals``, and the ``*_many`` forms over arrays; single-zone calendars also
``add_days``, ``days_between`` and ``is_business_date`` (docs/concepts/business-days.md).
:class:`ZoneTable` answers a zone's offsets and the boundary rule for numpy arrays.
"""

from slocalc.calendars._base import Calendar, Difference, Intersection, Union
from slocalc.calendars._batch import NEVER_US
from slocalc.calendars._batch import read_column as read_column
from slocalc.calendars._business import ALWAYS, NEVER, BusinessCalendar
from slocalc.calendars._recurring import RecurringCalendar
from slocalc.calendars._zoned import ZonedCalendar
from slocalc.calendars._zones import ZoneTable

__all__ = [
    "ALWAYS",
    "NEVER",
    "NEVER_US",
    "BusinessCalendar",
    "Calendar",
    "Difference",
    "Intersection",
    "RecurringCalendar",
    "Union",
    "ZoneTable",
    "ZonedCalendar",
]
