"""Calendars: when a clock runs.

* :class:`BusinessCalendar`: weekly hours in an IANA zone, holidays, per-date overrides;
* :class:`RecurringCalendar`: windows from an RFC 5545 recurrence rule;
* ``a | b``, ``a & b``, ``a - b``: union (follow-the-sun), intersection, difference;
* :data:`ALWAYS` (24x7) and :data:`NEVER`.

Every calendar answers ``is_open``, ``next_open``, ``next_close``, ``add``, ``between`` and
``intervals``; single-zone calendars also ``add_days``.
"""

from slocalc.calendars._base import Calendar, Difference, Intersection, Union
from slocalc.calendars._business import ALWAYS, NEVER, BusinessCalendar
from slocalc.calendars._recurring import RecurringCalendar
from slocalc.calendars._zoned import ZonedCalendar

__all__ = [
    "ALWAYS",
    "NEVER",
    "BusinessCalendar",
    "Calendar",
    "Difference",
    "Intersection",
    "RecurringCalendar",
    "Union",
    "ZonedCalendar",
]
