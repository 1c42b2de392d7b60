"""Cheap lower bounds of deadlines, so the replay can skip computing most of them.

Private. A target answered well before its deadline never needs the deadline itself, only
proof that the answer came first. ``lower_bound`` gives a bound from the target alone;
``weekly_bound`` a much tighter one for ``business_days`` on weekly business hours. Both
are never later than the deadline ``Target.due`` computes (the property tests check the
replay that uses them against one that computes every deadline).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final, NamedTuple

from slocalc._time import from_us
from slocalc.calendars import BusinessCalendar, Calendar
from slocalc.policies import Target

__all__ = ["Weekly", "lower_bound", "weekly_bound", "weekly_of"]

_ZERO: Final = timedelta(0)
_DAY: Final = timedelta(days=1)
#: more than any change of UTC offset within a day or over a few days (DST is 1 h, 2 h on
#: Antarctica/Troll); a zone that skips a whole date is handled by the date arithmetic
_SLACK: Final = timedelta(hours=3)


class Weekly(NamedTuple):
    """What a calendar's weekly hours say about its business dates.

    ``weekdays``: the weekdays on which it may have open time (a superset of its business
    dates' weekdays: holidays only close dates). ``earliest``: no open interval begins at an
    earlier local wall time (from midnight).
    """

    weekdays: frozenset[int]
    earliest: timedelta


def weekly_of(cal: Calendar) -> Weekly | None:
    """The :class:`Weekly` of a :class:`BusinessCalendar` without overrides, else ``None``
    (overrides may open any date)."""
    if not isinstance(cal, BusinessCalendar) or cal.overrides:
        return None
    days: set[int] = set()
    earliest = 1440
    for wd, ranges in enumerate(cal.weekly):
        for start, end in ranges:
            days.add(wd)
            earliest = min(earliest, start)
            if end > 1440:  # an overnight shift opens the next date from midnight
                days.add((wd + 1) % 7)
                earliest = 0
    if not days:
        return None
    return Weekly(frozenset(days), timedelta(minutes=earliest))


def lower_bound(target: Target) -> timedelta:
    """A duration the target's deadline is never earlier than, from its start.

    Clock time never runs faster than elapsed time, so ``N hours`` is at least N hours
    away. ``N business_days``/``calendar_days`` keep the local wall time N local dates on:
    at least N - 1 days, less any offset change (a zone skipping a date loses a day).
    """
    step = target.clock_time
    if step is not None:
        return step
    return max(_ZERO, (target.amount - 1) * _DAY - _SLACK)


_MIDNIGHTS: dict[tuple[int, int, int], tuple[Calendar, datetime]] = {}


def weekly_bound(cal: Calendar, weekly: Weekly | None, start: datetime, n: int) -> datetime:
    """A lower bound of ``cal.add_days(start, n)`` (``start`` when ``weekly`` is ``None``).

    ``add_days`` lands on ``s = next_open(start)``'s local wall time ``W`` on the n-th
    business date ``D`` after ``s``'s local date. Business dates fall on ``weekdays``, so
    ``D`` is no earlier than ``B``, the n-th date after ``start``'s local date on one of
    them. ``W`` is ``start``'s own wall time when ``start`` is open, and no earlier than
    ``earliest`` otherwise. So the deadline is at least local ``B`` + ``W`` (midnight of
    ``B`` plus ``W``, less the slack of an offset change that day). Midnights are cached
    per calendar, date and ``n``.
    """
    if weekly is None or not isinstance(cal, BusinessCalendar):
        return start
    local = start.astimezone(cal.zone)
    day = local.date()
    key = (id(cal), day.toordinal(), n)
    hit = _MIDNIGHTS.get(key)
    if hit is not None and hit[0] is cal:
        midnight = hit[1]
    else:
        weekdays = weekly.weekdays
        while n:
            day += _DAY
            if day.weekday() in weekdays:
                n -= 1
        midnight = from_us(cal.boundary(day), UTC)
        if len(_MIDNIGHTS) >= 65_536:
            _MIDNIGHTS.clear()
        _MIDNIGHTS[key] = (cal, midnight)
    if cal.is_open(start):
        wall = timedelta(
            hours=local.hour, minutes=local.minute, seconds=local.second, microseconds=local.microsecond
        )
    else:
        wall = weekly.earliest
    return max(midnight, midnight + wall - _SLACK)
