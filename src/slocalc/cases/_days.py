"""A cached ``add_days`` for the replay's hot path.

Private. ``ZonedCalendar.add_days(t, n)`` (SPEC §2): let ``s = next_open(t)``; the result
is ``s``'s local wall time on the n-th business date after ``s``'s local date, placed by
the boundary rule. Cases opened on the same day by customers of one calendar share the
date arithmetic, so :func:`add_days` caches it per (calendar, local date, n), and places
the result by shifting ``s`` by whole days, verified with one conversion: that is exact
unless the UTC offset differs between the two dates, in which case (and whenever the
shortcut cannot be verified) it defers to ``cal.add_days``. ``tests/test_cases_days.py``
checks it against ``cal.add_days``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Final

from slocalc.calendars import ZonedCalendar

__all__ = ["add_days"]

_DATES: dict[tuple[int, int, int], tuple[ZonedCalendar, date]] = {}
_CACHE_SIZE: Final = 65_536
_DAY: Final = timedelta(days=1)
_LOOKAHEAD: Final = 3660  # dates; the calendar's own search horizon handles the rest


def add_days(cal: ZonedCalendar, t: datetime, n: int) -> datetime:
    """``cal.add_days(t, n)`` for ``n >= 1`` and a UTC ``t``, as a UTC datetime."""
    s = cal.next_open(t)
    local = s.astimezone(cal.zone)
    first = local.date()
    key = (id(cal), first.toordinal(), n)
    hit = _DATES.get(key)
    if hit is not None and hit[0] is cal:
        day = hit[1]
    else:
        day, left, steps = first, n, 0
        while left and steps < _LOOKAHEAD:
            day += _DAY
            steps += 1
            if cal.is_business_date(day):
                left -= 1
        if left:  # no business date nearby: let the calendar search (and raise)
            return cal.add_days(t, n).astimezone(UTC)
        if len(_DATES) >= _CACHE_SIZE:
            _DATES.clear()
        _DATES[key] = (cal, day)
    shift = day - first
    candidate = s + shift
    seen = candidate.astimezone(cal.zone)
    if seen.fold == 0 and seen.date() == day and seen.time() == local.time():
        # the wall reading is exactly (day, W) and it is its first occurrence: that is the
        # earliest instant reading >= (day, W), the boundary rule's answer
        return candidate
    return cal.add_days(t, n).astimezone(UTC)
